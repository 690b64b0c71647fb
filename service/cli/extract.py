"""Commands: extract (not written yet)."""
