"""The promotion gate: a version becomes ``champion`` only if it is not worse than the
current champion on any headline metric of its eval suites beyond that metric's
tolerance.

For each suite evaluating the model (``EvalSuite.model_short_name``), the gate
runs the suite on the candidate and on the champion, or reuses a logged result
of the same version with the same eval key (same suite code, domain code and
context). Each ``Headline`` says which direction is better and how far a
candidate may fall. A suite skipped on either side (data absent) is noted and
not compared; a suite that errors refuses the promotion, and so does a gate
with nothing to compare. Every decision, refusal or promotion, is recorded in
MLflow: a run in the ``handoff-promotions`` experiment (with ``decision.json``)
and ``handoff.promotion`` tags on the candidate version.
"""

from __future__ import annotations

import json
import math
import tempfile
import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from evals.runner import SuiteRun, run_suite, suites_for_model
from evals.suite import EvalContext, EvalSuite, Headline
from training.errors import NoChampionError
from training.lifecycle import (
    champion_version,
    get_model_version,
    latest_version,
    resolve_spec,
    set_champion,
)
from training.mlflow_store import PROMOTION_EXPERIMENT, ModelStore, quiet_mlflow
from training.spec import ModelSpec, ProgressCallback

Outcome = Literal["promoted", "refused", "unchanged"]

# Floating-point noise must not refuse a model that is exactly as good.
_EPSILON = 1e-9


@dataclass(frozen=True)
class MetricComparison:
    suite: str
    metric: str
    direction: str
    tolerance: float
    candidate: float | None
    champion: float | None
    #: How much worse the candidate is, in the metric's units (negative: better).
    worse_by: float | None
    fell: bool
    note: str | None = None

    def describe(self) -> str:
        arrow = "higher is better" if self.direction == "higher" else "lower is better"
        if self.note:
            return f"{self.suite}/{self.metric}: {self.note}"
        return (
            f"{self.suite}/{self.metric} fell by {self.worse_by:.4f} "
            f"({self.champion:.4f} -> {self.candidate:.4f}, {arrow}, tolerance {self.tolerance:g})"
        )


@dataclass
class PromotionDecision:
    model: str
    registered_name: str
    candidate: str
    champion_before: str | None
    outcome: Outcome
    reason: str
    comparisons: list[MetricComparison] = field(default_factory=list)
    suites: dict[str, str] = field(default_factory=dict)  # suite -> ok / skipped: why / error: why
    run_id: str | None = None

    @property
    def promoted(self) -> bool:
        return self.outcome == "promoted"

    @property
    def champion_after(self) -> str | None:
        return self.candidate if self.outcome in ("promoted", "unchanged") else self.champion_before

    def to_json(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "registered_name": self.registered_name,
            "candidate": self.candidate,
            "champion_before": self.champion_before,
            "champion_after": self.champion_after,
            "outcome": self.outcome,
            "promoted": self.promoted,
            "reason": self.reason,
            "suites": self.suites,
            "comparisons": [asdict(comparison) for comparison in self.comparisons],
            "run_id": self.run_id,
        }


def _number(metrics: Mapping[str, float], name: str) -> float | None:
    value = metrics.get(name)
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def compare_headline(
    suite: str,
    metric: str,
    headline: Headline,
    *,
    candidate: Mapping[str, float],
    champion: Mapping[str, float],
) -> MetricComparison:
    """Compare one headline metric; a candidate missing it falls, a champion missing it cannot be beaten.

    Parameters
    ----------
    suite, metric : str
        Names, for the message.
    headline : Headline
        Direction and tolerance.
    candidate, champion : mapping of str to float
        Each side's metrics.

    Returns
    -------
    MetricComparison
    """
    candidate_value = _number(candidate, metric)
    champion_value = _number(champion, metric)
    if candidate_value is None:
        return MetricComparison(
            suite, metric, headline.direction, headline.tolerance, None, champion_value, None, True,
            note="the candidate has no finite value",
        )  # fmt: skip
    if champion_value is None:
        return MetricComparison(
            suite, metric, headline.direction, headline.tolerance, candidate_value, None, None, False,
            note="the champion has no value to compare with",
        )  # fmt: skip
    if headline.direction == "higher":
        worse_by = champion_value - candidate_value
    else:
        worse_by = candidate_value - champion_value
    fell = worse_by > headline.tolerance + _EPSILON
    return MetricComparison(
        suite, metric, headline.direction, headline.tolerance, candidate_value, champion_value, worse_by, fell
    )


def _status(run: SuiteRun) -> str:
    if run.error:
        return f"error: {run.error}"
    if run.result is not None and run.result.skipped:
        return f"skipped: {run.result.skipped}"
    return "ok"


def _record(
    store: ModelStore,
    decision: PromotionDecision,
) -> str | None:
    """Log the decision as a run and tag the candidate version; never hides the decision if logging fails."""
    from mlflow.entities import Metric, RunTag

    with quiet_mlflow():
        client = store.client
        experiment_id = store.experiment_id(PROMOTION_EXPERIMENT)
        run = client.create_run(
            experiment_id,
            run_name=f"promote-{decision.model}-v{decision.candidate}",
            tags={
                "handoff.kind": "promotion",
                "handoff.model": decision.model,
                "handoff.candidate": decision.candidate,
                "handoff.champion_before": decision.champion_before or "-",
                "handoff.outcome": decision.outcome,
                "handoff.reason": decision.reason[:5000],
            },
        )
        run_id = run.info.run_id
        now_ms = int(time.time() * 1000)
        metrics = []
        for comparison in decision.comparisons:
            base = f"{comparison.suite}/{comparison.metric}"
            for side, value in (("candidate", comparison.candidate), ("champion", comparison.champion)):
                if value is not None:
                    metrics.append(Metric(f"{base}/{side}", value, now_ms, 0))
        client.log_batch(
            run_id, metrics=metrics, tags=[RunTag("handoff.suites", json.dumps(decision.suites))]
        )
        with tempfile.TemporaryDirectory(prefix="handoff-promotion-") as work:
            path = Path(work) / "decision.json"
            path.write_text(json.dumps({**decision.to_json(), "run_id": run_id}, indent=2), encoding="utf-8")
            client.log_artifact(run_id, str(path))
        client.set_terminated(run_id, "FINISHED")
        tag = decision.outcome if decision.outcome != "refused" else f"refused: {decision.reason}"
        client.set_model_version_tag(
            decision.registered_name, decision.candidate, "handoff.promotion", tag[:5000]
        )
        client.set_model_version_tag(
            decision.registered_name, decision.candidate, "handoff.promotion_run", run_id
        )
    return run_id


def promote(
    short_name: str,
    version: str | None = None,
    *,
    store: ModelStore,
    context: EvalContext | None = None,
    suites: Mapping[str, EvalSuite] | None = None,
    spec: ModelSpec | None = None,
    reuse: bool = True,
    progress: ProgressCallback | None = None,
) -> PromotionDecision:
    """Move ``champion`` to ``version`` (default: the newest) if the gate allows it.

    Parameters
    ----------
    short_name : str
        The model, e.g. ``"invoices"``.
    version : str, optional
        The candidate version; the newest registered one when unset.
    store : ModelStore
        The MLflow store.
    context : EvalContext, optional
        The eval context both sides are run in.
    suites, spec : optional
        Injected suites (name -> suite) and spec, for tests; the registries otherwise.
    reuse : bool
        Reuse logged eval results with the same eval key.
    progress : callable, optional
        ``(description, completed, total)``.

    Returns
    -------
    PromotionDecision
        ``outcome`` is ``promoted`` (alias moved), ``refused`` (alias kept;
        ``reason`` names each metric that fell and by how much) or
        ``unchanged`` (the candidate already is the champion).

    Raises
    ------
    ModelNotRegisteredError
        No such model or version.
    StoreUnavailableError
        The store cannot be reached.
    """
    context = context or EvalContext()
    model_spec = resolve_spec(short_name, spec)
    candidate = (
        str(version) if version is not None else latest_version(short_name, store=store, spec=model_spec)
    )
    get_model_version(short_name, candidate, store=store, spec=model_spec)
    decision = PromotionDecision(
        model=short_name,
        registered_name=model_spec.registered_name,
        candidate=candidate,
        champion_before=None,
        outcome="refused",
        reason="",
    )
    try:
        champion = champion_version(short_name, store=store, spec=model_spec)
    except NoChampionError:
        champion = None
    decision.champion_before = champion
    if champion is None:
        set_champion(short_name, candidate, store=store, spec=model_spec)
        decision.outcome = "promoted"
        decision.reason = "there was no champion"
        decision.run_id = _record(store, decision)
        return decision
    if champion == candidate:
        decision.outcome = "unchanged"
        decision.reason = f"v{candidate} already is the champion"
        return decision

    model_suites = suites_for_model(short_name, suites)
    if not model_suites:
        decision.reason = f"no eval suite evaluates {short_name}, so nothing shows v{candidate} is not worse"
        decision.run_id = _record(store, decision)
        return decision

    errors = []
    total = 2 * len(model_suites)
    for index, suite in enumerate(model_suites):
        sides = {}
        for offset, (side, side_version) in enumerate((("candidate", candidate), ("champion", champion))):
            if progress is not None:
                progress(f"gate: {suite.name} on v{side_version}", 2 * index + offset, total)
            sides[side] = run_suite(
                suite.name,
                store=store,
                model_version=side_version,
                context=context,
                suites=suites,
                spec=model_spec,
                reuse=reuse,
            )
        candidate_run, champion_run = sides["candidate"], sides["champion"]
        status = _status(candidate_run)
        if status == "ok":
            status = _status(champion_run)
            if status.startswith("error"):
                status = f"error on the champion v{champion}: {champion_run.error}"
        decision.suites[suite.name] = status
        if status.startswith("error"):
            errors.append(f"{suite.name}: {status}")
            continue
        if status.startswith("skipped"):
            continue
        assert candidate_run.result is not None and champion_run.result is not None
        for metric, headline in candidate_run.result.headline.items():
            decision.comparisons.append(
                compare_headline(
                    suite.name,
                    metric,
                    headline,
                    candidate=candidate_run.result.metrics,
                    champion=champion_run.result.metrics,
                )
            )
    if progress is not None:
        progress("gate: compared", total, total)

    fell = [comparison for comparison in decision.comparisons if comparison.fell]
    compared = [comparison for comparison in decision.comparisons if comparison.worse_by is not None]
    if errors:
        decision.reason = "a suite could not run: " + "; ".join(errors)
    elif fell:
        decision.reason = f"v{candidate} is worse than champion v{champion}: " + "; ".join(
            comparison.describe() for comparison in fell
        )
    elif not compared:
        decision.reason = (
            "no headline metric could be compared ("
            + "; ".join(f"{name}: {status}" for name, status in decision.suites.items())
            + ")"
        )
    else:
        set_champion(short_name, candidate, store=store, spec=model_spec)
        decision.outcome = "promoted"
        decision.reason = f"v{candidate} is not worse than v{champion} on {len(compared)} headline metrics"
    decision.run_id = _record(store, decision)
    return decision


__all__ = ["MetricComparison", "PromotionDecision", "compare_headline", "promote"]
