"""Run benchmarks: `python -m bench` (all) or `python -m bench extraction anomaly`.

Each benchmark is a module `bench/<name>.py` with a `main(argv: list[str]) -> None`.
"""

from __future__ import annotations

import importlib
import sys

BENCHMARKS = ["service_load", "extraction", "clauses", "anomaly", "staffing", "lifecycle", "llm"]


def main(argv: list[str]) -> None:
    names = [a for a in argv if not a.startswith("-")] or BENCHMARKS
    options = [a for a in argv if a.startswith("-")]
    for name in names:
        print(f"== bench {name}", flush=True)
        importlib.import_module(f"bench.{name}").main(options)


if __name__ == "__main__":
    main(sys.argv[1:])
