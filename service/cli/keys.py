"""Commands: keys (not written yet)."""
