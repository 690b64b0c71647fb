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


def test_other_firm_suite_quick_scores_a_firm_unlike_our_generator() -> None:
    from evals.other_firm import SUITE as OTHER_FIRM

    result = OTHER_FIRM.run(TimeEntryAnomalyModel(n_estimators=50), EvalContext(quick=True, seed=3))
    metrics = result.metrics
    # Before the scorer learned the firm's calendar, moves, roles and rates, this quick run
    # flagged 27.5% of the firm's ordinary entries, at an AUPRC of 0.33.
    assert metrics["time_false_alarm_rate"] < 0.12
    assert metrics["time_auprc"] > 0.35
    assert metrics["invoice_false_alarm_rate"] < 0.15
    assert {"time_auprc", "time_false_alarm_rate", "invoice_auprc"} <= set(result.headline)
    kinds = {row["kind"] for row in result.tables["time entries: recall per kind"]}
    assert "off_day_billing" in kinds and "padding_creep" in kinds
