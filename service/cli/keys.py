"""Commands: ``handoff keys create|list|revoke|ensure-admin``."""

from __future__ import annotations

from typing import Annotated

import typer
from sqlalchemy.exc import SQLAlchemyError

from service.auth import (
    ApiKeyNotFoundError,
    Role,
    UnknownRoleError,
    create_api_key,
    has_active_admin,
    list_api_keys,
    revoke_api_key,
)
from service.cli._app import app
from service.cli._db import command_session
from service.cli._output import OutputFormat, emit_json, fail
from service.settings import Settings

keys_app = typer.Typer(help="API keys: create (shown once), list, revoke.", no_args_is_help=True)
app.add_typer(keys_app, name="keys")

FormatOption = Annotated[OutputFormat, typer.Option("--format", help="json: one JSON document on stdout.")]


@keys_app.command("create")
def create(
    role: Annotated[str, typer.Option(help="engine, legal, finance, delivery, analyst or admin.")],
    name: Annotated[str, typer.Option(help="Who holds the key, or what for.")],
    output: FormatOption = OutputFormat.table,
) -> None:
    """Create an API key; the key is printed only this once."""
    settings = Settings()
    try:
        with command_session(settings) as db:
            created = create_api_key(db, role=role, name=name)
            db.commit()
    except (UnknownRoleError, ValueError) as exc:
        fail(str(exc))
    except SQLAlchemyError as exc:
        fail(f"database error: {exc.__class__.__name__}: {exc}")
    document = {"id": created.id, "key": created.key, "role": created.role, "name": created.name}
    if output is OutputFormat.json:
        emit_json(document)
    else:
        typer.echo(f"{created.id}  role={created.role}  name={created.name}")
        typer.echo(f"key: {created.key}")
        typer.echo("Store it now: it is not shown again.", err=True)


@keys_app.command("list")
def list_keys(output: FormatOption = OutputFormat.table) -> None:
    """List keys (never their secrets)."""
    settings = Settings()
    try:
        with command_session(settings) as db:
            rows = list_api_keys(db)
    except SQLAlchemyError as exc:
        fail(f"database error: {exc.__class__.__name__}: {exc}")
    documents = [
        {
            "id": r.id,
            "name": r.name,
            "role": r.role,
            "prefix": "hk_" + r.prefix,
            "created_at": r.created_at.isoformat(),
            "revoked_at": r.revoked_at.isoformat() if r.revoked_at else None,
            "last_used_at": r.last_used_at.isoformat() if r.last_used_at else None,
        }
        for r in rows
    ]
    if output is OutputFormat.json:
        emit_json({"items": documents})
        return
    for d in documents:
        state = "revoked" if d["revoked_at"] else "active"
        typer.echo(f"{d['id']}  {d['role']:<8}  {state:<7}  {d['prefix']}…  {d['name']}")


@keys_app.command("revoke")
def revoke(
    key_id: Annotated[str, typer.Argument(help="The key's id, key_…")],
    output: FormatOption = OutputFormat.table,
) -> None:
    """Revoke a key: it stops authenticating at once."""
    settings = Settings()
    try:
        with command_session(settings) as db:
            row = revoke_api_key(db, key_id)
            db.commit()
            document = {"id": row.id, "revoked_at": row.revoked_at.isoformat() if row.revoked_at else None}
    except ApiKeyNotFoundError as exc:
        fail(str(exc))
    except SQLAlchemyError as exc:
        fail(f"database error: {exc.__class__.__name__}: {exc}")
    if output is OutputFormat.json:
        emit_json(document)
    else:
        typer.echo(f"revoked {document['id']}")


@keys_app.command("ensure-admin")
def ensure_admin(
    name: Annotated[str, typer.Option(help="The name of the admin key if one is created.")] = "admin",
    output: FormatOption = OutputFormat.table,
) -> None:
    """Create an admin key only if no active admin key exists, and print it once."""
    settings = Settings()
    try:
        with command_session(settings) as db:
            if has_active_admin(db):
                created = None
            else:
                created = create_api_key(db, role=Role.admin.value, name=name)
                db.commit()
    except SQLAlchemyError as exc:
        fail(f"database error: {exc.__class__.__name__}: {exc}")
    if output is OutputFormat.json:
        emit_json(
            {"created": False}
            if created is None
            else {
                "created": True,
                "id": created.id,
                "key": created.key,
                "role": created.role,
                "name": created.name,
            }
        )
        return
    if created is None:
        typer.echo("An admin key already exists; none created.", err=True)
    else:
        typer.echo(f"Admin key (shown once, store it now): {created.key}")
