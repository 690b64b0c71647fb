"""Commands: ``handoff train``, ``handoff eval``, ``handoff promote``, ``handoff models list``
and ``handoff feedback export``.

Progress goes to stderr (rich); ``--format json`` prints one JSON document on
stdout. MLflow and the domain packages are imported only inside the commands,
so ``import service.cli`` stays fast.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from service.cli._app import app
from service.cli._output import OutputFormat, emit_json, fail
from service.settings import Settings

if TYPE_CHECKING:
    from training.mlflow_store import ModelStore
    from training.spec import ProgressCallback

models_app = typer.Typer(help="Registered models: list versions and champions.", no_args_is_help=True)
app.add_typer(models_app, name="models")
feedback_app = typer.Typer(help="Reviewers' decisions as labelled training examples.", no_args_is_help=True)
app.add_typer(feedback_app, name="feedback")

FormatOption = Annotated[OutputFormat, typer.Option("--format", help="json: one JSON document on stdout.")]
SharedDataOption = Annotated[
    Path | None,
    typer.Option(
        "--shared-data",
        help="The public benchmark folder; defaults to ../shared/data when it exists.",
        show_default=False,
    ),
]


def default_shared_data(explicit: Path | None) -> Path | None:
    """``explicit`` when given (it must exist), else ``../shared/data`` relative to the
    current directory when that exists, else None."""
    if explicit is not None:
        if not explicit.is_dir():
            fail(f"--shared-data {explicit} is not a folder")
        return explicit
    candidate = Path("..") / "shared" / "data"
    return candidate if candidate.is_dir() else None


def _existing_file(option: str, path: Path | None) -> Path | None:
    if path is not None and not path.exists():
        fail(f"{option} {path}: no such file or folder")
    return path


def _store(settings: Settings) -> ModelStore:
    from training.errors import StoreUnavailableError
    from training.mlflow_store import ModelStore

    store = ModelStore.from_settings(settings)
    try:
        _ = store.client
    except StoreUnavailableError as error:
        fail(str(error))
    return store


@contextlib.contextmanager
def _progress() -> Iterator[Any]:
    """A rich Progress on stderr; ``callback(task_name)`` makes a ProgressCallback for one task."""
    from rich.console import Console
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    progress = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
    )
    with progress:
        yield progress


def _callback(progress: Any, description: str) -> tuple[Any, ProgressCallback]:
    task = progress.add_task(description, total=None)

    def update(text: str, completed: int, total: int) -> None:
        progress.update(task, description=text, completed=completed, total=total or None)

    return task, update


def _names(requested: str, known: list[str], what: str) -> list[str]:
    if requested == "all":
        return known
    if requested not in known:
        fail(f"unknown {what} {requested!r}; known: {', '.join(known)}, or all")
    return [requested]


@app.command("train")
def train(
    model: Annotated[str, typer.Argument(help="A model short name, or all.")] = "all",
    data: Annotated[
        Path | None, typer.Option(help="Your own history / labelled data (CSV, JSON, folder).")
    ] = None,
    lines: Annotated[Path | None, typer.Option(help="Invoice lines CSV (with --data INVOICES.csv).")] = None,
    context: Annotated[Path | None, typer.Option(help="Projects, rate cards, people (JSON).")] = None,
    feedback: Annotated[
        Path | None, typer.Option(help="Labelled examples from `handoff feedback export`.")
    ] = None,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 42,
    shared_data: SharedDataOption = None,
    quick: Annotated[bool, typer.Option("--quick", help="A small, fast configuration.")] = False,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Train models, log the runs in MLflow and register new versions (the first becomes champion)."""
    from training.errors import LifecycleError
    from training.lifecycle import train_model
    from training.registry import model_names
    from training.spec import TrainingInputs

    names = _names(model, model_names(), "model")
    if model == "all" and (data or lines or context):
        fail("--data, --lines and --context describe one model's data: name the model instead of all")
    inputs = TrainingInputs(
        seed=seed,
        data=_existing_file("--data", data),
        lines=_existing_file("--lines", lines),
        context=_existing_file("--context", context),
        feedback=_existing_file("--feedback", feedback),
        shared_data=default_shared_data(shared_data),
        quick=quick,
    )
    settings = Settings()
    store = _store(settings)
    results: list[dict[str, Any]] = []
    failed: dict[str, str] = {}
    with _progress() as progress:
        for name in names:
            task, callback = _callback(progress, f"{name}: training")
            try:
                result = train_model(name, inputs, store=store, progress=callback)
            except (LifecycleError, LookupError, TypeError, ImportError) as error:
                failed[name] = " ".join(str(error).split())
                progress.update(task, description=f"{name}: failed", completed=1, total=1)
                continue
            results.append(result.to_json())
            status = " (champion)" if result.champion else ""
            progress.update(task, description=f"{name}: v{result.version}{status}", completed=1, total=1)
    if output is OutputFormat.json:
        emit_json({"models": results, "failed": failed})
    else:
        for item in results:
            champion = "champion" if item["champion"] else "candidate: `handoff promote` to serve it"
            typer.echo(f"{item['model']}: v{item['version']} ({champion}) in {item['seconds']:.1f} s")
    if failed:
        fail("; ".join(f"{name}: {why}" for name, why in failed.items()))


@app.command("eval")
def evaluate(
    suite: Annotated[str, typer.Argument(help="An eval suite, or all.")] = "all",
    model_version: Annotated[
        str | None, typer.Option("--model-version", help="Version to evaluate (default: the champion).")
    ] = None,
    report: Annotated[Path | None, typer.Option(help="Write the HTML reports into this folder.")] = None,
    shared_data: SharedDataOption = None,
    backend: Annotated[str | None, typer.Option(help="Extraction backend: local, llm or hybrid.")] = None,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 42,
    quick: Annotated[bool, typer.Option("--quick", help="A small, fast configuration.")] = False,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Run eval suites, print their table, log them to MLflow and write HTML reports."""
    from evals.registry import suite_names
    from evals.report import write_reports
    from evals.runner import print_runs, run_suite
    from evals.suite import EvalContext
    from training.errors import StoreUnavailableError

    names = _names(suite, suite_names(), "eval suite")
    if model_version is not None and len(names) != 1:
        fail("--model-version needs one suite, not all")
    if backend is not None and backend not in ("local", "llm", "hybrid"):
        fail(f"--backend {backend!r}: use local, llm or hybrid")
    options: dict[str, Any] = {"backend": backend} if backend else {}
    if backend in ("llm", "hybrid"):
        from service.llm import build_llm_backend

        llm_backend = build_llm_backend(Settings())
        if llm_backend is not None:
            options["llm"] = llm_backend
    context = EvalContext(
        seed=seed, shared_data=default_shared_data(shared_data), quick=quick, options=options
    )
    settings = Settings()
    store = _store(settings)
    runs = []
    with _progress() as progress:
        for name in names:
            task, callback = _callback(progress, f"{name}: starting")
            if name == "extraction" and backend in ("llm", "hybrid") and "llm" not in options:
                # Nothing to evaluate without a server: say so, and do not fail the command.
                from evals.runner import SuiteRun
                from evals.suite import EvalResult

                skipped = EvalResult(
                    suite=name,
                    model_short_name="clauses",
                    metrics={},
                    headline={},
                    skipped=f"the {backend} backend needs an LLM server "
                    "(set HANDOFF_LLM_BASE_URL and HANDOFF_LLM_MODEL); nothing was run",
                )
                runs.append(
                    SuiteRun(suite=name, model_short_name="clauses", model_version=None, result=skipped)
                )
                progress.update(task, description=f"{name}: skipped", completed=1, total=1)
                continue
            try:
                run = run_suite(
                    name, store=store, model_version=model_version, context=context, progress=callback
                )
            except StoreUnavailableError as error:
                fail(str(error))
            except (LookupError, ImportError, TypeError) as error:
                from evals.runner import SuiteRun

                run = SuiteRun(suite=name, model_short_name=None, model_version=None, result=None)
                run.error = f"suite unavailable: {type(error).__name__}: {' '.join(str(error).split())}"
            runs.append(run)
            progress.update(task, description=f"{name}: {run.status}", completed=1, total=1)
    if report is not None:
        pages = write_reports(runs, report)
        for run, page in zip(runs, pages, strict=True):
            run.report_path = page
    print_runs(runs)
    if output is OutputFormat.json:
        emit_json({"suites": [run.to_json() for run in runs], "report": str(report) if report else None})
    errors = [run for run in runs if run.status == "error"]
    if errors:
        fail("; ".join(f"{run.suite}: {run.error}" for run in errors))


@app.command("promote")
def promote_command(
    model: Annotated[str, typer.Argument(help="The model short name.")],
    version: Annotated[str | None, typer.Option(help="The candidate version (default: the newest).")] = None,
    shared_data: SharedDataOption = None,
    seed: Annotated[int, typer.Option(help="Random seed of the eval suites.")] = 42,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Make a version the champion if it is not worse than the current one on its eval suites."""
    from evals.gate import promote
    from evals.suite import EvalContext
    from training.errors import LifecycleError
    from training.registry import model_names

    _names(model, model_names(), "model")
    settings = Settings()
    store = _store(settings)
    context = EvalContext(seed=seed, shared_data=default_shared_data(shared_data))
    with _progress() as progress:
        _, callback = _callback(progress, f"{model}: gate")
        try:
            decision = promote(model, version, store=store, context=context, progress=callback)
        except LifecycleError as error:
            fail(str(error))
    if output is OutputFormat.json:
        emit_json(decision.to_json())
    else:
        for comparison in decision.comparisons:
            mark = "FELL" if comparison.fell else "ok"
            typer.echo(
                f"{mark:4} {comparison.suite}/{comparison.metric}: champion {comparison.champion} "
                f"-> candidate {comparison.candidate} ({comparison.direction} is better, "
                f"tolerance {comparison.tolerance:g})"
            )
        typer.echo(f"{model}: {decision.outcome}: {decision.reason}")
    if decision.outcome == "refused":
        fail(f"promotion refused: {decision.reason}")


@models_app.command("list")
def list_command(output: FormatOption = OutputFormat.table) -> None:
    """Registered models with their champion and latest versions."""
    from training.errors import LifecycleError
    from training.lifecycle import list_models

    settings = Settings()
    store = _store(settings)
    try:
        summaries = list_models(store=store)
    except LifecycleError as error:
        fail(str(error))
    if output is OutputFormat.json:
        emit_json({"models": [summary.to_json() for summary in summaries]})
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Models")
    for column in ("model", "registered name", "champion", "latest", "versions"):
        table.add_column(column)
    for summary in summaries:
        table.add_row(
            summary.short_name,
            summary.registered_name,
            summary.champion or "-",
            summary.latest or "-",
            str(len(summary.versions)) if summary.registered else "not registered",
        )
    Console().print(table)


def decided_review_items(db: Any) -> list[dict[str, Any]]:
    """Every decided review item, as the API shows it (oldest decision first)."""
    from sqlalchemy import select

    from service.db.models import ReviewItemRow
    from service.reviews.service import review_item_from_row

    rows = db.scalars(
        select(ReviewItemRow)
        .where(ReviewItemRow.status != "pending")
        .order_by(ReviewItemRow.decided_at, ReviewItemRow.id)
    )
    return [review_item_from_row(row).model_dump(mode="json") for row in rows]


@feedback_app.command("export")
def export_feedback(
    out: Annotated[Path, typer.Option("--out", help="The JSONL file to write.")],
    model: Annotated[str | None, typer.Option(help="Only examples about this model.")] = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Write reviewers' decisions as labelled examples (JSONL) that `handoff train --feedback` reads."""
    from sqlalchemy.exc import SQLAlchemyError

    from service.cli._db import command_session
    from training.errors import FeedbackFormatError
    from training.feedback import feedback_examples, write_feedback

    if not out.parent.is_dir():
        fail(f"--out {out}: the folder {out.parent} does not exist")
    settings = Settings()
    try:
        with command_session(settings) as db:
            items = decided_review_items(db)
    except SQLAlchemyError as error:
        fail(f"database error: {error.__class__.__name__}: {error}")
    try:
        examples = feedback_examples(items)
    except FeedbackFormatError as error:
        fail(str(error))
    if model is not None:
        examples = [example for example in examples if example.model == model]
    count = write_feedback(examples, out)
    by_label: dict[str, int] = {}
    for example in examples:
        by_label[example.label] = by_label.get(example.label, 0) + 1
    if output is OutputFormat.json:
        emit_json({"out": str(out), "examples": count, "by_label": by_label})
    else:
        typer.echo(f"{count} labelled examples written to {out}", err=True)
