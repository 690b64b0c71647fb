"""How every command prints: one JSON document on stdout with ``--format json``,
progress and logs on stderr, and a one-line message with a non-zero exit on failure."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import Any, NoReturn

import typer


class OutputFormat(StrEnum):
    json = "json"
    table = "table"


def emit_json(document: Any) -> None:
    sys.stdout.write(json.dumps(document, default=str, ensure_ascii=False))
    sys.stdout.write("\n")
    sys.stdout.flush()


def write_failure(message: str) -> None:
    """The one line on stderr every failure of the CLI gives (whitespace folded to spaces)."""
    sys.stderr.write("handoff: " + " ".join(message.split()) + "\n")


def fail(message: str, *, code: int = 1) -> NoReturn:
    """Exit with one line on stderr; the message must not span lines."""
    write_failure(message)
    raise typer.Exit(code)
