"""Reviewers' decisions -> labelled examples, and the JSONL round trip specs read."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from training.errors import FeedbackFormatError
from training.feedback import (
    feedback_example_from_review,
    feedback_examples,
    read_feedback,
    split_model_version,
    write_feedback,
)


def _item(**overrides: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": "rev_1",
        "kind": "clause",
        "rule": "auto_renewal.present",
        "status": "rejected",
        "model_version": "clauses/3",
        "finding": {"clause": "renews automatically"},
        "subject": {"type": "sow_extraction", "id": "ext_1"},
        "decided_at": "2026-12-01T08:00:00Z",
        "decision": {
            "outcome": "rejected",
            "reason": "not a renewal",
            "corrections": None,
            "decided_by": "legal:a",
        },
    }
    item.update(overrides)
    return item


@pytest.mark.parametrize(
    ("outcome", "label"),
    [("approved", "true_positive"), ("rejected", "false_positive"), ("overridden", "corrected")],
)
def test_feedback_example_label_follows_the_decision(outcome: str, label: str) -> None:
    corrections = {"renewal_term_months": 6} if outcome == "overridden" else None
    example = feedback_example_from_review(
        _item(status=outcome, decision={"outcome": outcome, "reason": "r", "corrections": corrections})
    )
    assert example is not None
    assert (example.label, example.outcome) == (label, outcome)
    assert (example.model, example.model_version, example.rule) == ("clauses", "3", "auto_renewal.present")
    assert example.corrections == corrections


@pytest.mark.parametrize(
    ("stamp", "kind", "expected"),
    [
        ("clauses/3", "clause", ("clauses", "3")),
        ("4", "time_entry", ("time-entries", "4")),
        ("2", "invoices", ("invoices", "2")),
        (None, "time-entry", ("time-entries", None)),
        (None, "billing", (None, None)),
    ],
)
def test_split_model_version_infers_the_model_from_the_kind(
    stamp: str | None, kind: str, expected: tuple[str | None, str | None]
) -> None:
    assert split_model_version(stamp, kind=kind) == expected


def test_pending_items_teach_nothing_and_bad_outcomes_are_refused() -> None:
    pending = _item(status="pending", decision=None)
    assert feedback_examples([pending, _item()])[0].review_id == "rev_1"
    assert len(feedback_examples([pending])) == 0
    with pytest.raises(FeedbackFormatError, match="outcome 'maybe'"):
        feedback_example_from_review(_item(decision={"outcome": "maybe"}))


def test_feedback_jsonl_round_trip_filters_by_model(tmp_path: Path) -> None:
    examples = feedback_examples(
        [_item(), _item(id="rev_2", kind="invoice", model_version="7", rule="invoice.anomaly")]
    )
    path = tmp_path / "feedback.jsonl"
    assert write_feedback(examples, path) == 2
    assert read_feedback(path) == examples
    (only,) = read_feedback(path, model="invoices")
    assert (only.review_id, only.model_version, only.label) == ("rev_2", "7", "false_positive")

    path.write_text(path.read_text() + '{"review_id": "x", "kind": "clause", "outcome": "approved"}\n')
    with pytest.raises(FeedbackFormatError, match="line 3"):
        read_feedback(path)
