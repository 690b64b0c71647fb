"""Commands: serve (not written yet)."""
