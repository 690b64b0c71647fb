"""Commands: lifecycle (not written yet)."""
