"""The anomaly eval suites in quick mode: they run, and the numbers they report mean
what they say (a renamed firm is not a firm of anomalies)."""

from __future__ import annotations

from anomaly import TimeEntryAnomalyModel
from evals.suite import EvalContext
from evals.time_entries import SUITE as TIME_ENTRIES


def test_time_entries_suite_quick_reports_quiet_scoring_of_an_unseen_firm() -> None:
    result = TIME_ENTRIES.run(TimeEntryAnomalyModel(n_estimators=50), EvalContext(quick=True, seed=3))
    metrics = result.metrics
    assert metrics["auprc"] > 0.5
    assert metrics["unseen_model_flagged_share_normal"] <= 0.05
    assert 0.0 <= metrics["unseen_recall_model"] <= 1.0
