"""Run eval suites against registered model versions, log them to MLflow, write reports.

``run_suite`` loads the model version a suite evaluates (the champion unless a
version is given), runs the suite, renders its figures once, and logs an eval
run in the ``handoff-evals`` experiment tagged with the model, version, suite
and an *eval key* (a hash of the suite's code, the model's domain code and the
eval context). The promotion gate reuses a logged result whose key matches
instead of re-running the suite.

A suite whose data is absent returns ``EvalResult.skipped``: it is reported as
skipped, never as a failure. A suite that raises is reported with ``error``.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from evals.registry import get_eval_suite, suite_names
from evals.suite import EvalContext, EvalResult, EvalSuite, Headline
from training.errors import LifecycleError, StoreUnavailableError
from training.lifecycle import (
    TAG_SOURCE_MODULES,
    champion_version,
    get_model_version,
    load_version,
    resolve_spec,
    source_sha256,
)
from training.mlflow_store import EVAL_EXPERIMENT, ModelStore, first_line, quiet_mlflow
from training.spec import ModelSpec, ProgressCallback

RESULT_ARTIFACT = "eval_result.json"
REPORT_ARTIFACT = "report.html"

TAG_SUITE = "handoff.suite"
TAG_MODEL = "handoff.model"
TAG_MODEL_VERSION = "handoff.model_version"
TAG_EVAL_KEY = "handoff.eval_key"
TAG_STATUS = "handoff.eval_status"
# Each suite's headline is left on the evaluated model version as the tag EVAL_TAG_PREFIX + suite,
# so the MLflow UI and GET /v1/models/evals show a version's evals without a search.
EVAL_TAG_PREFIX = "handoff.eval."

_METRIC_NAME = re.compile(r"[^A-Za-z0-9_\-. /:]")


class EvalRunError(LifecycleError):
    """A suite could not be run at all (unknown suite, model not loadable)."""


@dataclass
class SuiteRun:
    """One suite's run against one model version."""

    suite: str
    model_short_name: str | None
    model_version: str | None
    result: EvalResult | None
    error: str | None = None
    run_id: str | None = None
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    context_seed: int = 42
    reused: bool = False
    figures_png: list[tuple[str, str]] = field(default_factory=list)
    report_html: str | None = None
    report_path: Path | None = None

    @property
    def status(self) -> str:
        if self.error:
            return "error"
        if self.result is not None and self.result.skipped:
            return "skipped"
        return "ok"

    def to_json(self) -> dict[str, Any]:
        result = self.result
        return {
            "suite": self.suite,
            "model": self.model_short_name,
            "model_version": self.model_version,
            "status": self.status,
            "skipped": result.skipped if result else None,
            "error": self.error,
            "metrics": result.metrics if result else {},
            "headline": {
                name: {"value": result.metrics.get(name), **asdict(headline)}
                for name, headline in result.headline.items()
            }
            if result
            else {},
            "notes": result.notes if result else [],
            "run_id": self.run_id,
            "reused": self.reused,
            "seconds": round(self.seconds, 3),
            "cpu_seconds": round(self.cpu_seconds, 3),
            "report": str(self.report_path) if self.report_path else None,
        }


def result_to_json(result: EvalResult) -> dict[str, Any]:
    """An ``EvalResult`` without its figures, as JSON (what the eval run logs)."""
    return {
        "suite": result.suite,
        "model_short_name": result.model_short_name,
        "metrics": result.metrics,
        "headline": {name: asdict(headline) for name, headline in result.headline.items()},
        "tables": result.tables,
        "notes": result.notes,
        "skipped": result.skipped,
    }


def result_from_json(document: Mapping[str, Any]) -> EvalResult:
    return EvalResult(
        suite=str(document["suite"]),
        model_short_name=str(document["model_short_name"]),
        metrics={name: float(value) for name, value in document.get("metrics", {}).items()},
        headline={name: Headline(**spec) for name, spec in document.get("headline", {}).items()},
        tables=dict(document.get("tables") or {}),
        notes=list(document.get("notes") or []),
        skipped=document.get("skipped"),
    )


def mlflow_metric_name(name: str) -> str:
    """``name`` with characters MLflow refuses in metric keys replaced by ``_``."""
    return _METRIC_NAME.sub("_", name)[:250]


def context_json(context: EvalContext) -> dict[str, Any]:
    return {
        "seed": context.seed,
        "quick": context.quick,
        "shared_data": str(Path(context.shared_data).resolve()) if context.shared_data else None,
        "options": {key: str(value) for key, value in sorted(context.options.items())},
    }


def eval_key(
    suite: EvalSuite,
    context: EvalContext,
    *,
    source_modules: Sequence[str] = (),
) -> str:
    """A hash of what determines a suite's result for one model version: the suite's
    code, the model's domain code (``source_modules``) and the eval context."""
    digest = hashlib.sha256()
    digest.update(source_sha256(type(suite).__module__, *source_modules).encode())
    digest.update(json.dumps(context_json(context), sort_keys=True).encode())
    return digest.hexdigest()


def resolve_suite(name: str, suites: Mapping[str, EvalSuite] | None = None) -> EvalSuite:
    """The suite named ``name``: from ``suites`` when given (tests inject toys), else the registry."""
    if suites is not None:
        try:
            return suites[name]
        except KeyError:
            raise EvalRunError(f"unknown eval suite {name!r}; known: {', '.join(sorted(suites))}") from None
    return get_eval_suite(name)


def suites_for_model(short_name: str, suites: Mapping[str, EvalSuite] | None = None) -> list[EvalSuite]:
    """Every suite whose ``model_short_name`` is ``short_name`` (a suite that fails to import is skipped)."""
    found = []
    if suites is not None:
        return [suite for suite in suites.values() if suite.model_short_name == short_name]
    for name in suite_names():
        try:
            suite = get_eval_suite(name)
        except Exception:
            continue
        if suite.model_short_name == short_name:
            found.append(suite)
    return found


def _render_figures(result: EvalResult) -> list[tuple[str, str]]:
    from evals.plots import figure_to_png_base64

    rendered = []
    for title, figure in result.figures:
        rendered.append((title, figure_to_png_base64(figure)))
    # The PNGs are all the report needs; dropping the figures frees their memory.
    result.figures = []
    return rendered


def _source_modules(model_version: Any) -> list[str]:
    modules = (model_version.tags or {}).get(TAG_SOURCE_MODULES, "")
    return [module for module in modules.split(",") if module]


def find_logged_run(
    store: ModelStore,
    *,
    suite: str,
    short_name: str | None,
    version: str | None,
    key: str,
) -> SuiteRun | None:
    """A finished eval run with the same suite, model version and eval key, read back."""
    try:
        with quiet_mlflow():
            client = store.client
            experiment_id = store.experiment_id(EVAL_EXPERIMENT)
            runs = client.search_runs(
                [experiment_id],
                filter_string=(
                    f"tags.`{TAG_SUITE}` = '{suite}' and tags.`{TAG_MODEL}` = '{short_name or '-'}' "
                    f"and tags.`{TAG_MODEL_VERSION}` = '{version or '-'}' "
                    f"and tags.`{TAG_EVAL_KEY}` = '{key}' and attributes.status = 'FINISHED'"
                ),
                order_by=["attributes.start_time DESC"],
                max_results=1,
            )
            if not runs:
                return None
            run = runs[0]
            with tempfile.TemporaryDirectory(prefix="handoff-eval-") as work:
                path = Path(client.download_artifacts(run.info.run_id, RESULT_ARTIFACT, work))
                document = json.loads(path.read_text(encoding="utf-8"))
    except Exception:
        # A result we cannot read back is simply not reused; the suite runs again.
        return None
    return SuiteRun(
        suite=suite,
        model_short_name=short_name,
        model_version=version,
        result=result_from_json(document),
        run_id=run.info.run_id,
        reused=True,
    )


def _log_run(
    store: ModelStore, run: SuiteRun, *, key: str, context: EvalContext, model_version: Any | None = None
) -> str:
    from mlflow.entities import Metric, Param, RunTag

    from evals.report import render_suite_report

    run.report_html = render_suite_report(run)
    with quiet_mlflow():
        client = store.client
        experiment_id = store.experiment_id(EVAL_EXPERIMENT)
        tags = {
            TAG_SUITE: run.suite,
            TAG_MODEL: run.model_short_name or "-",
            TAG_MODEL_VERSION: run.model_version or "-",
            TAG_EVAL_KEY: key,
            TAG_STATUS: run.status,
            "handoff.kind": "eval",
        }
        if run.result is not None and run.result.skipped:
            tags["handoff.skipped"] = run.result.skipped[:500]
        mlflow_run = client.create_run(experiment_id, run_name=f"eval-{run.suite}", tags=tags)
        run_id = mlflow_run.info.run_id
        now_ms = int(time.time() * 1000)
        metrics = []
        if run.result is not None:
            for name, value in sorted(run.result.metrics.items()):
                if isinstance(value, int | float) and math.isfinite(value):
                    metrics.append(Metric(mlflow_metric_name(name), float(value), now_ms, 0))
        params = [Param(name, str(value)[:6000]) for name, value in context_json(context).items()]
        client.log_batch(
            run_id, metrics=metrics, params=params, tags=[RunTag("handoff.seconds", f"{run.seconds:.3f}")]
        )
        with tempfile.TemporaryDirectory(prefix="handoff-eval-") as work:
            folder = Path(work)
            if run.result is not None:
                (folder / RESULT_ARTIFACT).write_text(
                    json.dumps(result_to_json(run.result), default=str, sort_keys=True), encoding="utf-8"
                )
            (folder / REPORT_ARTIFACT).write_text(run.report_html, encoding="utf-8")
            client.log_artifacts(run_id, str(folder))
        client.set_terminated(run_id, "FAILED" if run.error else "FINISHED")
    if model_version is not None:
        _attach_to_model_version(store, run, model_version, eval_run_id=run_id)
    return run_id


def _attach_to_model_version(
    store: ModelStore, run: SuiteRun, model_version: Any, *, eval_run_id: str
) -> None:
    """Put the report on the evaluated version's training run and its headline on the version,
    so the MLflow UI shows a model's evals where the model is. Best effort: the eval run has it all."""
    from evals.report import report_filename

    headline = {}
    if run.result is not None and not run.result.skipped:
        headline = {name: run.result.metrics.get(name) for name in run.result.headline}
    summary = json.dumps({"status": run.status, "run_id": eval_run_id, "headline": headline}, default=str)
    try:
        with quiet_mlflow():
            store.client.log_text(
                str(model_version.run_id), run.report_html or "", f"evals/{report_filename(run.suite)}"
            )
            store.client.set_model_version_tag(
                model_version.name, str(model_version.version), EVAL_TAG_PREFIX + run.suite, summary[:5000]
            )
    except Exception:
        return


def run_suite(
    suite_name: str,
    *,
    store: ModelStore | None,
    model_version: str | None = None,
    context: EvalContext | None = None,
    suites: Mapping[str, EvalSuite] | None = None,
    spec: ModelSpec | None = None,
    model: Any | None = None,
    reuse: bool = False,
    log: bool = True,
    progress: ProgressCallback | None = None,
) -> SuiteRun:
    """Run one suite against one model version (default the champion) and log it.

    Parameters
    ----------
    suite_name : str
        The suite (``evals.registry``), e.g. ``"odds"``.
    store : ModelStore or None
        Where the model is loaded from and the run is logged; None runs a
        suite that needs no model without logging.
    model_version : str, optional
        The version to evaluate; the champion when unset.
    context : EvalContext, optional
        Seed, shared data folder, quick mode, suite options.
    suites, spec : optional
        Injected suites / model spec (tests); the registries otherwise.
    model : optional
        An already loaded model for ``model_version`` (skips loading).
    reuse : bool
        Return a logged result with the same eval key instead of running.
    log : bool
        Log the run (metrics, ``eval_result.json``, ``report.html``) to MLflow.
    progress : callable, optional
        ``(description, completed, total)``.

    Returns
    -------
    SuiteRun
        With ``error`` set when the model could not be loaded or the suite raised.
    """
    context = context or EvalContext()
    started = time.perf_counter()
    started_cpu = time.process_time()
    suite = resolve_suite(suite_name, suites)
    short_name = suite.model_short_name
    version = model_version
    source_modules: list[str] = []
    version_entity: Any | None = None
    run = SuiteRun(suite=suite.name, model_short_name=short_name, model_version=None, result=None)
    run.context_seed = context.seed
    try:
        if short_name is not None:
            if store is None:
                raise EvalRunError(f"suite {suite.name} evaluates {short_name}: a model store is needed")
            model_spec = resolve_spec(short_name, spec)
            version = version or champion_version(short_name, store=store, spec=model_spec)
            run.model_version = version
            version_entity = get_model_version(short_name, version, store=store, spec=model_spec)
            source_modules = _source_modules(version_entity)
        key = eval_key(suite, context, source_modules=source_modules)
        if reuse and store is not None:
            logged = find_logged_run(store, suite=suite.name, short_name=short_name, version=version, key=key)
            if logged is not None:
                logged.seconds = time.perf_counter() - started
                return logged
        if progress is not None:
            progress(f"{suite.name}: loading", 0, 2)
        if short_name is not None and model is None:
            assert store is not None and version is not None
            model = load_version(short_name, version, store=store, spec=spec).model
        if progress is not None:
            progress(f"{suite.name}: running", 1, 2)
        try:
            result = suite.run(model, context)
        except Exception as error:
            raise EvalRunError(
                f"suite {suite.name} failed: {type(error).__name__}: {first_line(error)}"
            ) from error
        run.result = result
        run.figures_png = _render_figures(result)
    except StoreUnavailableError:
        raise
    except LifecycleError as error:
        run.error = str(error)
        key = ""
    run.seconds = time.perf_counter() - started
    run.cpu_seconds = time.process_time() - started_cpu
    if log and store is not None and run.result is not None:
        run.run_id = _log_run(store, run, key=key, context=context, model_version=version_entity)
    if progress is not None:
        progress(f"{suite.name}: {run.status}", 2, 2)
    return run


def print_runs(runs: Sequence[SuiteRun], *, console: Any | None = None) -> None:
    """A rich table of suite runs: status, headline metrics and time (on stderr by default)."""
    from rich.console import Console
    from rich.table import Table

    from evals.report import format_number

    out = console or Console(stderr=True)
    if console is None and not out.is_terminal:
        # Logs and CI capture: do not squeeze the table into 80 columns.
        out = Console(stderr=True, width=160)
    table = Table(title="Eval results", show_lines=False)
    for column in ("suite", "model", "version", "status", "headline metrics", "seconds", "cpu s"):
        table.add_column(column, justify="right" if column in ("seconds", "cpu s") else "left")
    for run in runs:
        if run.error:
            detail = run.error
        elif run.result is not None and run.result.skipped:
            detail = run.result.skipped
        elif run.result is not None:
            detail = ", ".join(
                f"{name} {format_number(run.result.metrics.get(name, float('nan')))}"
                f" ({'↑' if headline.direction == 'higher' else '↓'})"
                for name, headline in run.result.headline.items()
            )
        else:
            detail = ""
        style = {"ok": "green", "skipped": "yellow", "error": "red"}[run.status]
        table.add_row(
            run.suite,
            run.model_short_name or "-",
            run.model_version or "-",
            f"[{style}]{run.status}[/{style}]",
            detail,
            f"{run.seconds:.1f}",
            f"{run.cpu_seconds:.1f}",
        )
    out.print(table)


__all__ = [
    "EvalRunError",
    "SuiteRun",
    "eval_key",
    "find_logged_run",
    "print_runs",
    "resolve_suite",
    "result_from_json",
    "result_to_json",
    "run_suite",
    "suites_for_model",
]
