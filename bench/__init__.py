"""Benchmarks. `python -m bench [NAME ...]` runs them; each compares against a raw
baseline measured in the same run and prints the ratio."""
