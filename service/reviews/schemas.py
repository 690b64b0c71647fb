"""The review queue's HTTP shapes (contracts/api.md, "Review items")."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from service.text_guard import reject_nul


class ReviewRoute(StrEnum):
    legal = "legal"
    finance = "finance"
    delivery = "delivery"


class Severity(StrEnum):
    low = "low"
    medium = "medium"
    high = "high"
    critical = "critical"


class ReviewStatus(StrEnum):
    pending = "pending"
    approved = "approved"
    rejected = "rejected"
    overridden = "overridden"


class DecisionOutcome(StrEnum):
    approved = "approved"
    rejected = "rejected"
    overridden = "overridden"


_NAME = r"^[A-Za-z0-9][A-Za-z0-9_.:\-/]*$"


class Subject(BaseModel):
    """What the item is about, e.g. ``{"type": "sow_extraction", "id": "ext_01J…"}``."""

    model_config = ConfigDict(extra="forbid")

    type: str = Field(min_length=1, max_length=80, pattern=_NAME)
    id: str = Field(min_length=1, max_length=200)

    _no_nul = field_validator("id")(reject_nul)


class Decision(BaseModel):
    outcome: DecisionOutcome
    reason: str | None
    corrections: dict[str, Any] | None
    decided_by: str
    decided_at: datetime


class ReviewItem(BaseModel):
    id: str
    kind: str
    route: ReviewRoute
    severity: Severity
    status: ReviewStatus
    title: str
    rule: str | None
    subject: Subject
    finding: dict[str, Any]
    model_version: str | None
    created_at: datetime
    decided_at: datetime | None
    decision: Decision | None
    version: int


class ReviewCreateRequest(BaseModel):
    """Escalate something for human review by hand."""

    model_config = ConfigDict(extra="forbid")

    kind: str = Field(min_length=1, max_length=40, pattern=_NAME, examples=["manual"])
    route: ReviewRoute
    severity: Severity
    title: str = Field(min_length=1, max_length=500)
    finding: dict[str, Any] = Field(default_factory=dict)
    subject: Subject
    rule: str | None = Field(default=None, min_length=1, max_length=200, pattern=_NAME)
    model_version: str | None = Field(default=None, min_length=1, max_length=120)

    _no_nul = field_validator("title", "finding", "model_version")(reject_nul)

    @field_validator("title")
    @classmethod
    def _title_has_words(cls, value: str) -> str:
        # A reviewer reads the title first; one of only spaces is an empty line in the queue.
        if not value.strip():
            raise ValueError("title must not be blank")
        return value


class DecisionRequest(BaseModel):
    """A reviewer's final word: ``reason`` is required to reject or override; corrections only to override."""

    model_config = ConfigDict(extra="forbid")

    outcome: DecisionOutcome
    # validate_default: the rules below must also run when the field is left out.
    reason: str | None = Field(default=None, max_length=5000, validate_default=True)
    corrections: dict[str, Any] | None = Field(default=None, validate_default=True)

    _no_nul = field_validator("reason", "corrections")(reject_nul)

    @field_validator("reason")
    @classmethod
    def _reason_required(cls, reason: str | None, info: ValidationInfo) -> str | None:
        if reason is not None and not reason.strip():
            reason = None
        outcome = info.data.get("outcome")
        if outcome in (DecisionOutcome.rejected, DecisionOutcome.overridden) and reason is None:
            raise ValueError(f"a reason is required to mark an item {outcome.value}")
        return reason

    @field_validator("corrections")
    @classmethod
    def _corrections_only_to_override(
        cls, corrections: dict[str, Any] | None, info: ValidationInfo
    ) -> dict[str, Any] | None:
        outcome = info.data.get("outcome")
        if outcome is None:
            return corrections
        if corrections is not None and outcome is not DecisionOutcome.overridden:
            raise ValueError("corrections are only accepted with outcome 'overridden'")
        if outcome is DecisionOutcome.overridden and not corrections:
            raise ValueError("an override needs the corrected values in 'corrections'")
        return corrections


class ReviewEvent(BaseModel):
    at: datetime
    actor: str
    action: str
    data: dict[str, Any]


class ReviewListQuery(BaseModel):
    """``GET /v1/reviews``'s query: exact-match filters and the page (validated in one call)."""

    route: ReviewRoute | None = None
    status: ReviewStatus | None = None
    kind: str | None = Field(default=None, max_length=40)
    rule: str | None = Field(default=None, max_length=200)
    subject_id: str | None = Field(default=None, max_length=200)
    limit: int = Field(default=25, ge=1, le=200)
    cursor: str | None = Field(default=None, max_length=200)

    @model_validator(mode="before")
    @classmethod
    def _empty_means_any(cls, data: Any) -> Any:
        # The contract writes the query as ``?route=&status=&...``, and URL builders send a filter
        # left blank as ``route=``: an empty value is no filter, not an invalid one.
        if isinstance(data, Mapping):
            return {key: value for key, value in data.items() if value != ""}
        return data


class ReviewPage(BaseModel):
    items: list[ReviewItem]
    next_cursor: str | None
