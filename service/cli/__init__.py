"""The ``handoff`` command line.

Each module below adds its own commands to the root app; importing them here
is what registers them.
"""

from __future__ import annotations

from service.cli import (  # noqa: F401  (imported for their commands)
    anomaly,
    demo,
    extract,
    keys,
    lifecycle,
    reviews,
    serve,
    staffing,
)
from service.cli._app import app


def main() -> None:
    app()


__all__ = ["app", "main"]
