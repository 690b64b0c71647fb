"""The root ``handoff`` command; each module of this package adds its commands to it."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="handoff",
    help="Handoff: SOW extraction, anomaly scoring and staffing recommendations, with human review.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
