"""Reviewers' decisions as labelled examples for training.

``handoff feedback export --out FILE.jsonl`` reads decided review items from the
service's database and writes one JSON object per line, built here by a pure
function over plain dicts (no database, no MLflow), so specs and tests can use
it directly. Specs read the file through ``TrainingInputs.feedback`` with
:func:`read_feedback`.

A line (``FeedbackExample.to_json``)::

    {"review_id": "rev_01J...", "model": "clauses", "model_version": "3",
     "kind": "clause", "rule": "auto_renewal.present",
     "outcome": "rejected", "label": "false_positive",
     "finding": {...}, "subject": {...}, "corrections": null,
     "reason": "...", "decided_by": "legal:ana", "decided_at": "2026-..."}

Labels: an approved flag is a ``true_positive``; a rejected flag is a
``false_positive``; an overridden one is ``corrected`` and carries the
reviewer's corrected values in ``corrections``. ``model`` is the model short
name (``training.registry``) the example concerns, or null when the item was
raised by a rule with no model behind it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from training.errors import FeedbackFormatError

Label = Literal["true_positive", "false_positive", "corrected"]

LABEL_BY_OUTCOME: dict[str, Label] = {
    "approved": "true_positive",
    "rejected": "false_positive",
    "overridden": "corrected",
}

# Review item kinds -> the model short name whose output they review. Kinds are
# normalised (lower case, "-" and " " as "_", trailing "s" dropped) before lookup.
MODEL_BY_KIND: dict[str, str] = {
    "clause": "clauses",
    "time_entry": "time-entries",
    "invoice": "invoices",
    "staffing": "staffing",
    "staffing_recommendation": "staffing",
}


@dataclass(frozen=True)
class FeedbackExample:
    """One reviewer decision on one model output, as a labelled example."""

    review_id: str
    model: str | None
    model_version: str | None
    kind: str
    rule: str | None
    outcome: str
    label: Label
    finding: dict[str, Any] = field(default_factory=dict)
    subject: dict[str, Any] = field(default_factory=dict)
    corrections: dict[str, Any] | None = None
    reason: str | None = None
    decided_by: str | None = None
    decided_at: str | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _normalise_kind(kind: str) -> str:
    key = kind.strip().lower().replace("-", "_").replace(" ", "_")
    if key.endswith("ies"):
        key = key[:-3] + "y"
    elif key.endswith("s"):
        key = key[:-1]
    return key


def split_model_version(model_version: str | None, *, kind: str) -> tuple[str | None, str | None]:
    """Split a review item's ``model_version`` stamp into (model short name, version).

    Parameters
    ----------
    model_version : str or None
        ``"clauses/3"`` (name and version) or ``"3"`` (version only; the model
        is then inferred from ``kind``), or None for rule-only findings.
    kind : str
        The review item's kind, used when the stamp carries no model name.

    Returns
    -------
    (str or None, str or None)
    """
    inferred = MODEL_BY_KIND.get(_normalise_kind(kind))
    if not model_version:
        return inferred, None
    name, separator, version = str(model_version).rpartition("/")
    if separator:
        return name or inferred, version or None
    return inferred, version


def feedback_example_from_review(item: Mapping[str, Any]) -> FeedbackExample | None:
    """Turn one review item (as the API returns it) into a labelled example.

    Parameters
    ----------
    item : mapping
        A review item: ``id``, ``kind``, ``rule``, ``model_version``,
        ``status``, ``finding``, ``subject``, and the decision either nested
        under ``decision`` (``outcome``, ``reason``, ``corrections``,
        ``actor``/``decided_by``) or flat on the item. ``decided_at`` may be
        on either.

    Returns
    -------
    FeedbackExample or None
        None for an item not decided yet (pending), which teaches nothing.

    Raises
    ------
    FeedbackFormatError
        The item has no id or kind, or an outcome that is not one of
        approved, rejected, overridden.
    """
    decision = item.get("decision") or {}
    if not isinstance(decision, Mapping):
        raise FeedbackFormatError(f"review item {item.get('id')!r}: decision is not an object")
    outcome = decision.get("outcome") or item.get("outcome")
    if outcome is None:
        status = item.get("status")
        if status in (None, "pending"):
            return None
        outcome = status
    outcome = str(outcome)
    if outcome not in LABEL_BY_OUTCOME:
        raise FeedbackFormatError(
            f"review item {item.get('id')!r}: outcome {outcome!r} is not one of {', '.join(LABEL_BY_OUTCOME)}"
        )
    review_id = item.get("id")
    kind = item.get("kind")
    if not review_id or not kind:
        raise FeedbackFormatError(f"review item {review_id!r}: id and kind are required")
    model, version = split_model_version(item.get("model_version"), kind=str(kind))
    corrections = decision.get("corrections", item.get("corrections"))
    decided_at = decision.get("decided_at") or item.get("decided_at")
    return FeedbackExample(
        review_id=str(review_id),
        model=model,
        model_version=version,
        kind=str(kind),
        rule=item.get("rule"),
        outcome=outcome,
        label=LABEL_BY_OUTCOME[outcome],
        finding=dict(item.get("finding") or {}),
        subject=dict(item.get("subject") or {}),
        corrections=dict(corrections) if outcome == "overridden" and corrections else None,
        reason=decision.get("reason") or item.get("reason"),
        decided_by=decision.get("actor") or decision.get("decided_by") or item.get("decided_by"),
        decided_at=str(decided_at) if decided_at is not None else None,
    )


def feedback_examples(items: Iterable[Mapping[str, Any]]) -> list[FeedbackExample]:
    """Convert review items to labelled examples, skipping undecided ones.

    Parameters
    ----------
    items : iterable of mapping
        Review items as for :func:`feedback_example_from_review`.

    Returns
    -------
    list of FeedbackExample
        In input order.
    """
    examples = []
    for item in items:
        example = feedback_example_from_review(item)
        if example is not None:
            examples.append(example)
    return examples


def write_feedback(examples: Iterable[FeedbackExample], path: Path) -> int:
    """Write examples as JSONL to ``path`` (replacing it); return how many were written."""
    count = 0
    temporary = path.with_name(path.name + ".part")
    with temporary.open("w", encoding="utf-8") as stream:
        for example in examples:
            stream.write(json.dumps(example.to_json(), ensure_ascii=False, sort_keys=True, default=str))
            stream.write("\n")
            count += 1
    # Write-then-rename so an interrupted export never leaves a half file under the real name.
    temporary.replace(path)
    return count


def _iter_lines(path: Path) -> Iterator[tuple[int, str]]:
    with path.open(encoding="utf-8") as stream:
        for number, line in enumerate(stream, start=1):
            if line.strip():
                yield number, line


def read_feedback(path: Path, *, model: str | None = None) -> list[FeedbackExample]:
    """Read a feedback JSONL file written by ``handoff feedback export``.

    Parameters
    ----------
    path : Path
        The JSONL file.
    model : str, optional
        Keep only examples concerning this model short name (e.g. ``"invoices"``).

    Returns
    -------
    list of FeedbackExample

    Raises
    ------
    FeedbackFormatError
        A line is not JSON or not a valid example; the message names the line.
    FileNotFoundError
        ``path`` does not exist.
    """
    examples = []
    for number, line in _iter_lines(path):
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise FeedbackFormatError(f"{path.name} line {number}: not JSON ({error.msg})") from None
        if not isinstance(record, dict):
            raise FeedbackFormatError(f"{path.name} line {number}: expected a JSON object")
        label = record.get("label")
        outcome = record.get("outcome")
        if outcome not in LABEL_BY_OUTCOME or label != LABEL_BY_OUTCOME[outcome]:
            raise FeedbackFormatError(
                f"{path.name} line {number}: outcome {outcome!r} and label {label!r} do not match"
            )
        try:
            example = FeedbackExample(
                review_id=str(record["review_id"]),
                model=record.get("model"),
                model_version=record.get("model_version"),
                kind=str(record["kind"]),
                rule=record.get("rule"),
                outcome=outcome,
                label=label,
                finding=dict(record.get("finding") or {}),
                subject=dict(record.get("subject") or {}),
                corrections=record.get("corrections"),
                reason=record.get("reason"),
                decided_by=record.get("decided_by"),
                decided_at=record.get("decided_at"),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise FeedbackFormatError(
                f"{path.name} line {number}: missing or invalid field {error}"
            ) from None
        if model is None or example.model == model:
            examples.append(example)
    return examples


__all__ = [
    "LABEL_BY_OUTCOME",
    "MODEL_BY_KIND",
    "FeedbackExample",
    "feedback_example_from_review",
    "feedback_examples",
    "read_feedback",
    "split_model_version",
    "write_feedback",
]
