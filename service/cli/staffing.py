"""Commands: staffing (not written yet)."""
