"""Commands: ``handoff reviews list``."""

from __future__ import annotations

from typing import Annotated

import typer
from sqlalchemy.exc import SQLAlchemyError

from service.auth import Principal, Role
from service.cli._app import app
from service.cli._db import command_session
from service.cli._output import OutputFormat, emit_json, fail
from service.problems import ProblemError
from service.reviews.schemas import ReviewRoute, ReviewStatus
from service.reviews.service import list_reviews
from service.settings import Settings

reviews_app = typer.Typer(help="The review queue.", no_args_is_help=True)
app.add_typer(reviews_app, name="reviews")

# The CLI runs on the server with the database's own rights: it sees every item, like admin.
_OPERATOR = Principal(key_id="cli", name="command line", role=Role.admin.value)


@reviews_app.command("list")
def list_command(
    route: Annotated[ReviewRoute | None, typer.Option(help="legal, finance or delivery.")] = None,
    status: Annotated[
        ReviewStatus | None, typer.Option(help="pending, approved, rejected, overridden.")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=200)] = 50,
    cursor: Annotated[str | None, typer.Option(help="next_cursor of the previous page.")] = None,
    output: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.table,
) -> None:
    """List review items, newest first."""
    settings = Settings()
    try:
        with command_session(settings) as db:
            page = list_reviews(
                db,
                principal=_OPERATOR,
                route=route.value if route else None,
                status=status.value if status else None,
                limit=limit,
                cursor=cursor,
            )
    except ProblemError as exc:
        fail(exc.detail)
    except SQLAlchemyError as exc:
        fail(f"database error: {exc.__class__.__name__}: {exc}")
    if output is OutputFormat.json:
        emit_json(page.model_dump(mode="json"))
        return
    if not page.items:
        typer.echo("no review items", err=True)
    for item in page.items:
        typer.echo(
            f"{item.id}  {item.route.value:<8}  {item.status.value:<10}  {item.severity.value:<8}  "
            + item.title
        )
    if page.next_cursor:
        typer.echo(f"more: --cursor {page.next_cursor}", err=True)
