"""Commands: anomaly (not written yet)."""
