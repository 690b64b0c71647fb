"""Eval runner, HTML report and the promotion gate, with a toy spec and suite."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Literal

import pytest

from evals.gate import compare_headline, promote
from evals.report import write_reports
from evals.runner import run_suite
from evals.suite import EvalContext, Headline
from tests.lifecycle_toys import ToySpec, ToySuite
from training.lifecycle import champion_version, train_model
from training.mlflow_store import EVAL_EXPERIMENT, PROMOTION_EXPERIMENT, ModelStore
from training.spec import TrainingInputs


@pytest.mark.parametrize(
    ("direction", "candidate", "champion", "fell", "worse_by"),
    [
        ("higher", 0.80, 0.90, True, 0.10),
        ("higher", 0.895, 0.90, False, 0.005),
        ("higher", 0.95, 0.90, False, -0.05),
        ("lower", 0.30, 0.20, True, 0.10),
        ("lower", 0.10, 0.20, False, -0.10),
    ],
)
def test_compare_headline_honours_direction_and_tolerance(
    direction: Literal["higher", "lower"], candidate: float, champion: float, fell: bool, worse_by: float
) -> None:
    comparison = compare_headline(
        "s",
        "m",
        Headline(direction, 0.01),
        candidate={"m": candidate},
        champion={"m": champion},
    )
    assert comparison.fell is fell
    assert comparison.worse_by == pytest.approx(worse_by)


@pytest.mark.parametrize("metrics", [{}, {"m": float("nan")}])
def test_compare_headline_missing_candidate_value_falls(metrics: dict[str, float]) -> None:
    assert compare_headline("s", "m", Headline(), candidate=metrics, champion={"m": 0.5}).fell


def test_gate_refuses_a_worse_model_records_why_and_promotes_a_good_one(model_store: ModelStore) -> None:
    suites = {"toy-suite": ToySuite()}
    good = ToySpec()
    train_model("toy", TrainingInputs(seed=1), store=model_store, spec=good)
    worse = train_model("toy", TrainingInputs(seed=1), store=model_store, spec=ToySpec(label_noise=0.45))

    refused = promote("toy", store=model_store, suites=suites, spec=good)

    assert refused.outcome == "refused" and not refused.promoted
    assert refused.candidate == worse.version == "2"
    assert champion_version("toy", store=model_store, spec=good) == "1"
    fallen = {c.metric for c in refused.comparisons if c.fell}
    assert "accuracy" in fallen
    assert "toy-suite/accuracy fell by" in refused.reason
    accuracy = next(c for c in refused.comparisons if c.metric == "accuracy")
    assert accuracy.champion is not None and accuracy.candidate is not None
    assert accuracy.worse_by == pytest.approx(accuracy.champion - accuracy.candidate)
    # the refusal is recorded in MLflow: a tag on the candidate and a promotion run
    tags = model_store.client.get_model_version("handoff-toy", "2").tags
    assert tags["handoff.promotion"].startswith("refused: v2 is worse than champion v1")
    run = model_store.client.get_run(tags["handoff.promotion_run"])
    assert run.data.tags["handoff.outcome"] == "refused"
    assert run.data.metrics["toy-suite/accuracy/candidate"] == pytest.approx(accuracy.candidate)

    # a retrained good model passes, reusing the logged eval of the champion
    evals_before = _eval_runs(model_store)
    better = train_model("toy", TrainingInputs(seed=2), store=model_store, spec=good)
    promoted = promote("toy", better.version, store=model_store, suites=suites, spec=good)
    assert promoted.outcome == "promoted", promoted.reason
    assert champion_version("toy", store=model_store, spec=good) == "3"
    assert _eval_runs(model_store) == evals_before + 1  # only the new candidate was evaluated

    again = promote("toy", "3", store=model_store, suites=suites, spec=good)
    assert again.outcome == "unchanged"


def test_gate_refuses_when_every_suite_is_skipped(model_store: ModelStore) -> None:
    spec = ToySpec()
    train_model("toy", TrainingInputs(seed=1), store=model_store, spec=spec)
    train_model("toy", TrainingInputs(seed=2), store=model_store, spec=spec)
    decision = promote("toy", store=model_store, suites={"toy-suite": ToySuite(skip=True)}, spec=spec)
    assert decision.outcome == "refused"
    assert decision.suites == {"toy-suite": "skipped: toy data absent"}
    assert "no headline metric could be compared" in decision.reason
    assert champion_version("toy", store=model_store, spec=spec) == "1"


def _eval_runs(store: ModelStore) -> int:
    experiment = store.client.get_experiment_by_name(EVAL_EXPERIMENT)
    return len(store.client.search_runs([experiment.experiment_id])) if experiment else 0


def test_run_suite_logs_metrics_and_writes_self_contained_report(
    model_store: ModelStore, tmp_path: Path
) -> None:
    spec = ToySpec()
    trained = train_model("toy", TrainingInputs(seed=4), store=model_store, spec=spec)
    suites = {"toy-suite": ToySuite(), "toy-skipped": ToySuite(name="toy-skipped", skip=True)}
    ran = run_suite("toy-suite", store=model_store, suites=suites, spec=spec, context=EvalContext(seed=4))
    skipped = run_suite("toy-skipped", store=model_store, suites=suites, spec=spec)

    assert (ran.status, ran.model_version) == ("ok", "1")
    assert skipped.status == "skipped" and skipped.error is None
    assert ran.result is not None and ran.run_id is not None
    assert 0.5 < ran.result.metrics["accuracy"] <= 1.0
    mlflow_run = model_store.client.get_run(ran.run_id)
    assert mlflow_run.data.metrics["accuracy"] == pytest.approx(ran.result.metrics["accuracy"])
    assert mlflow_run.data.tags["handoff.model_version"] == "1"
    logged = {item.path for item in model_store.client.list_artifacts(ran.run_id)}
    assert {"eval_result.json", "report.html"} <= logged
    # the evaluated version carries its evals too: the report on its run, the headline as a tag
    on_training_run = {item.path for item in model_store.client.list_artifacts(trained.run_id, "evals")}
    assert on_training_run == {"evals/toy-suite.html", "evals/toy-skipped.html"}
    tag = json.loads(model_store.client.get_model_version("handoff-toy", "1").tags["handoff.eval.toy-suite"])
    assert (tag["status"], tag["run_id"]) == ("ok", ran.run_id)
    assert tag["headline"]["accuracy"] == pytest.approx(ran.result.metrics["accuracy"])

    pages = write_reports([ran, skipped], tmp_path / "report")
    page = pages[0].read_text()
    assert "http" not in page.replace("http-equiv", "")  # nothing fetched from elsewhere
    images = page.split("data:image/png;base64,")[1:]
    assert len(images) == 3
    assert base64.b64decode(images[0].split("'", 1)[0])[:8] == b"\x89PNG\r\n\x1a\n"
    assert "skipped" in pages[1].read_text()
    index = (tmp_path / "report" / "index.html").read_text()
    assert "toy-suite.html" in index and "toy-skipped.html" in index
    assert json.loads(json.dumps(ran.to_json()))["headline"]["accuracy"]["direction"] == "higher"


def test_promotion_run_experiment_exists_after_first_promotion(model_store: ModelStore) -> None:
    spec = ToySpec()
    train_model("toy", TrainingInputs(seed=1), store=model_store, spec=spec)
    model_store.client.delete_registered_model_alias("handoff-toy", "champion")
    decision = promote("toy", "1", store=model_store, suites={"toy-suite": ToySuite()}, spec=spec)
    assert decision.outcome == "promoted" and decision.reason == "there was no champion"
    assert model_store.client.get_experiment_by_name(PROMOTION_EXPERIMENT) is not None
