"""Commands: demo (not written yet)."""
