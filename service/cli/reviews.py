"""Commands: reviews (not written yet)."""
