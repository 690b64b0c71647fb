"""Overlapping the scoring stages on a second thread changes nothing in the answer,
and an error in a stage that ran in the background still reaches the caller."""

from __future__ import annotations

from typing import Any

import pytest
from joblib import parallel_config

import anomaly.scoring
from anomaly import TimeEntryAnomalyModel, read_time_entries, score_time_entries
from training.firm_generator import generate_firm


@pytest.fixture(scope="module")
def firm() -> Any:
    return generate_firm(seed=8, n_people=16, n_projects=5, months=3)


@pytest.fixture(scope="module")
def fitted(firm: Any) -> TimeEntryAnomalyModel:
    return TimeEntryAnomalyModel(random_state=2).fit(
        firm.entries.drop(columns=["label_kind"]), context=firm.context
    )


def _score(firm: Any, model: TimeEntryAnomalyModel) -> dict[str, Any]:
    batch = read_time_entries(firm.entries.drop(columns=["label_kind"]))
    return score_time_entries(batch, model=model, context=firm.context, model_version="3").to_dict()


def test_overlapped_stages_give_the_sequential_answer(
    firm: Any, fitted: TimeEntryAnomalyModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(anomaly.scoring, "OVERLAP_MIN_ROWS", 10**9)
    sequential = _score(firm, fitted)
    monkeypatch.setattr(anomaly.scoring, "OVERLAP_MIN_ROWS", 1)
    with parallel_config(backend="threading", n_jobs=2):
        overlapped = _score(firm, fitted)
    assert overlapped == sequential
    # Not vacuous: the batch has flagged entries with reasons and control hits, and burn.
    assert any(r["reasons"] for r in sequential["results"])
    assert any(r["controls"] for r in sequential["results"])
    assert sequential["burn"]


@pytest.mark.parametrize("stage", ["project_burn", "time_entry_controls"])
def test_an_error_in_a_background_stage_reaches_the_caller(
    stage: str, firm: Any, fitted: TimeEntryAnomalyModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(f"{stage} broke")

    monkeypatch.setattr(anomaly.scoring, "OVERLAP_MIN_ROWS", 1)
    monkeypatch.setattr(anomaly.scoring, stage, broken)
    with pytest.raises(RuntimeError, match=f"{stage} broke"):
        _score(firm, fitted)
