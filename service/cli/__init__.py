"""The ``handoff`` command line.

Each module below adds its own commands to the root app; importing them here
is what registers them.
"""

from __future__ import annotations

import sys

import typer

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
from service.cli._output import write_failure


def main() -> None:
    """The ``handoff`` console script.

    Click frames a usage error (an unknown option, a value outside its choices, a missing
    argument) in a multi-line box; the contract promises one line on stderr for every failure,
    so usage errors are written as ``fail`` writes the others, with Click's exit code (2).
    """
    # Typer carries its own copy of Click; its exceptions are only importable from there.
    from typer._click import exceptions as click_errors

    try:
        code = app(standalone_mode=False)
    except click_errors.NoArgsIsHelpError as error:  # the help is already printed
        sys.exit(error.exit_code)
    except click_errors.UsageError as error:
        command = error.ctx.command_path if error.ctx else "handoff"
        where = command.partition(" ")[2]
        _fail_line(
            f"{where + ': ' if where else ''}{error.format_message()} (see {command} --help)", error.exit_code
        )
    except click_errors.ClickException as error:
        _fail_line(error.format_message(), error.exit_code)
    except typer.Abort:
        _fail_line("aborted", 1)
    sys.exit(code if isinstance(code, int) else 0)


def _fail_line(message: str, code: int) -> None:
    write_failure(message)
    sys.exit(code)


__all__ = ["app", "main"]
