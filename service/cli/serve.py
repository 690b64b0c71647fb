"""Commands: ``handoff serve`` and ``handoff db upgrade``."""

from __future__ import annotations

import inspect
import os
import shutil
from typing import Annotated, Any

import typer
import uvicorn
from sqlalchemy.exc import SQLAlchemyError

from service.cli._app import app
from service.cli._output import OutputFormat, emit_json, fail
from service.db.migrate import upgrade_database
from service.logging import configure_logging
from service.model_serving import bootstrap_models
from service.settings import Settings

db_app = typer.Typer(help="The database: migrations.", no_args_is_help=True)
app.add_typer(db_app, name="db")


def _migrate(settings: Settings) -> str:
    settings.ensure_home()
    url = settings.resolved_database_url
    try:
        upgrade_database(url)
    except SQLAlchemyError as exc:
        fail(f"cannot migrate the database: {exc.__class__.__name__}: {exc}")
    return url


def _prepare_multiprocess_metrics(settings: Settings) -> None:
    # Each worker writes its metrics to files here; any worker's /metrics sums them. Values
    # from a previous run would be summed too, so the folder starts empty.
    folder = (settings.home / "prometheus").resolve()
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(folder)


@db_app.command("upgrade")
def upgrade(
    output: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.table,
) -> None:
    """Apply every pending migration (creates the SQLite database under HANDOFF_HOME)."""
    settings = Settings()
    _migrate(settings)
    if output is OutputFormat.json:
        emit_json({"status": "upgraded", "revision": "head"})
    else:
        typer.echo("database is at the latest revision", err=True)


@app.command("serve")
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="uvicorn worker processes.")] = 1,
) -> None:
    """Migrate, train default models on first start, and serve the API and console."""
    settings = Settings()
    configure_logging(level=settings.log_level, json_logs=settings.log_json)
    _migrate(settings)
    if settings.bootstrap_models:
        bootstrap_models(settings)
    # Workers are separate processes that read HANDOFF_* themselves: pin the home we migrated.
    os.environ["HANDOFF_HOME"] = str(settings.home.resolve())
    if workers > 1:
        _prepare_multiprocess_metrics(settings)
    uvicorn.run(
        "service.app:create_app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_config=None,
        access_log=False,
        proxy_headers=False,
        **_worker_healthcheck_option(),
    )


# A spawned worker imports this CLI and the domain libraries (scikit-learn, scipy) before it can answer
# the supervisor's ping; on a busy 2-core machine that took 12 s, past uvicorn's default 5 s, so every
# worker was killed and respawned forever. A uvicorn without the option keeps its own behaviour.
WORKER_HEALTHCHECK_SECONDS = 120


def _worker_healthcheck_option() -> dict[str, Any]:
    if "timeout_worker_healthcheck" in inspect.signature(uvicorn.Config.__init__).parameters:
        return {"timeout_worker_healthcheck": WORKER_HEALTHCHECK_SECONDS}
    return {}
