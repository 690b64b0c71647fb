"""Commands: ``handoff score time-entries FILE`` and ``handoff score invoices FILE --lines LINES``:
score a batch with the champion model (``contracts/anomaly.md``)."""

from __future__ import annotations

import csv
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from service.cli._app import app
from service.cli._output import emit_json, fail
from service.settings import Settings

if TYPE_CHECKING:
    from anomaly import ScoringResult

score_app = typer.Typer(
    help="Score time entries or invoices with the champion anomaly model.", no_args_is_help=True
)
app.add_typer(score_app, name="score")


class ScoreFormat(StrEnum):
    json = "json"
    csv = "csv"


FormatOption = Annotated[
    ScoreFormat, typer.Option("--format", help="json: one document; csv: one row per item.")
]
ContextOption = Annotated[
    Path | None, typer.Option("--context", help="Projects, rate cards, people and holidays (JSON).")
]


def _file(option: str, path: Path | None) -> Path | None:
    if path is not None and not path.is_file():
        fail(f"{option} {path}: no such file")
    return path


def load_anomaly_champion(short_name: str, settings: Settings) -> tuple[Any, str]:
    """The champion model and its version, or a one-line failure telling how to get one.

    Everything loaded by then (libraries, MLflow, the model) lives until the command exits, so it
    is frozen out of the cycle collector, as the service does after startup: a large batch's
    collections would otherwise walk it again and again, and so would the one at exit.
    """
    from service.model_serving import freeze_long_lived_heap
    from training.errors import LifecycleError, ModelNotRegisteredError
    from training.lifecycle import load_champion

    try:
        loaded = load_champion(
            short_name, tracking_uri=settings.resolved_mlflow_uri, artifact_root=settings.mlflow_artifact_root
        )
    except ModelNotRegisteredError:
        fail(f"no champion {short_name} model is registered; run `handoff train {short_name}` first")
    except LifecycleError as error:
        fail(f"the {short_name} model cannot be loaded: {error}")
    freeze_long_lived_heap()
    return loaded.model, str(loaded.version)


def _emit(result: ScoringResult, output: ScoreFormat) -> None:
    if output is ScoreFormat.json:
        emit_json(result.to_dict())
        return
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(
        ["id", "risk", "flagged", "severity", "route", "score", "model_version", "reasons", "controls"]
    )
    for item in result.results:
        writer.writerow(
            [
                item.id,
                item.risk,
                str(item.flagged).lower(),
                item.severity,
                item.route or "",
                item.score,
                item.model_version or "",
                " | ".join(r.message for r in item.reasons),
                " | ".join(f"{c.rule}: {c.message}" for c in item.controls),
            ]
        )
    sys.stdout.flush()
    if result.rejected:
        shown = "; ".join(f"row {r.row}: {', '.join(r.errors)}" for r in result.rejected[:5])
        more = f" (and {len(result.rejected) - 5} more)" if len(result.rejected) > 5 else ""
        sys.stderr.write(f"handoff: warning: {len(result.rejected)} row(s) rejected: {shown}{more}\n")


@score_app.command("time-entries")
def score_time_entries_command(
    file: Annotated[Path, typer.Argument(help="Time entries, CSV or JSON.")],
    context: ContextOption = None,
    output: FormatOption = ScoreFormat.json,
) -> None:
    """Score time entries: one result per valid entry in input order, and the rejected rows."""
    from anomaly import AnomalyError, read_context, score_time_entries

    _file("FILE", file)
    _file("--context", context)
    settings = Settings()
    model, version = load_anomaly_champion("time-entries", settings)
    try:
        ctx = read_context(context) if context is not None else None
        result = score_time_entries(
            file, model=model, context=ctx, model_version=version, review_budget=settings.review_budget
        )
    except AnomalyError as error:
        fail(str(error))
    _emit(result, output)


@score_app.command("invoices")
def score_invoices_command(
    file: Annotated[Path, typer.Argument(help="Invoice headers, CSV or JSON.")],
    lines: Annotated[Path, typer.Option("--lines", help="Invoice lines, CSV or JSON, joined on invoice_id.")],
    context: ContextOption = None,
    time_entries: Annotated[
        Path | None,
        typer.Option("--time-entries", help="Time logged for the invoiced periods (CSV or JSON)."),
    ] = None,
    output: FormatOption = ScoreFormat.json,
) -> None:
    """Score invoices with their lines: one result per valid invoice in input order, and the rejected rows."""
    from anomaly import AnomalyError, read_context, score_invoices

    _file("FILE", file)
    _file("--lines", lines)
    _file("--context", context)
    _file("--time-entries", time_entries)
    settings = Settings()
    model, version = load_anomaly_champion("invoices", settings)
    try:
        ctx = read_context(context) if context is not None else None
        result = score_invoices(
            file,
            lines,
            model=model,
            context=ctx,
            time_entries=time_entries,
            model_version=version,
            review_budget=settings.review_budget,
        )
    except AnomalyError as error:
        fail(str(error))
    _emit(result, output)
