"""Pydantic schemas of the anomaly package's inputs and outputs
(see ``contracts/anomaly.md``)."""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, Literal, cast, overload

import numpy as np
from pydantic import AliasChoices, BaseModel, ConfigDict, Field, model_validator

__all__ = [
    "AnomalyReason",
    "AnomalyScore",
    "ControlHit",
    "Holiday",
    "Invoice",
    "InvoiceLine",
    "PersonContext",
    "ProjectBurn",
    "ProjectContext",
    "RateCardEntry",
    "RejectedRow",
    "ScoringContext",
    "ScoringResult",
    "Severity",
    "TimeEntry",
]

Severity = Literal["none", "low", "medium", "high"]
Route = Literal["finance", "delivery"]


class _Input(BaseModel):
    # Unknown fields are ignored, as unknown CSV columns are.
    model_config = ConfigDict(extra="ignore")


class TimeEntry(_Input):
    entry_id: str
    person_id: str
    project_id: str
    client_id: str | None = None
    work_date: dt.date
    hours: float = Field(gt=0, le=24, allow_inf_nan=False)
    billable: bool
    role: str | None = None
    bill_rate: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    currency: str | None = None
    description: str | None = None
    logged_at: dt.datetime | None = None


class InvoiceLine(_Input):
    invoice_id: str
    description: str | None = None
    quantity: float = Field(allow_inf_nan=False)
    unit_price: float = Field(allow_inf_nan=False)
    amount: float = Field(allow_inf_nan=False)
    role: str | None = None
    period_start: dt.date | None = None
    period_end: dt.date | None = None


class Invoice(_Input):
    invoice_id: str
    invoice_number: str
    client_id: str
    project_id: str
    issue_date: dt.date
    due_date: dt.date
    currency: str
    subtotal: float = Field(allow_inf_nan=False)
    tax: float = Field(allow_inf_nan=False)
    total: float = Field(allow_inf_nan=False)
    po_number: str | None = None


class RateCardEntry(_Input):
    role: str
    rate: float = Field(ge=0, allow_inf_nan=False)
    unit: str = "hour"


class ProjectContext(_Input):
    project_id: str
    client_id: str | None = None
    currency: str | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    not_to_exceed: float | None = Field(default=None, allow_inf_nan=False)
    payment_terms_days: int | None = None
    invoice_frequency: str | None = None
    rate_card: list[RateCardEntry] = Field(default_factory=list)
    #: Person ids staffed on the project; when given, hours by anyone else are flagged.
    team: list[str] | None = None


class PersonContext(_Input):
    person_id: str
    role: str | None = None
    cost_rate: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    hours_per_day: float | None = Field(default=None, gt=0, le=24, allow_inf_nan=False)
    country: str | None = None
    #: Projects the person is staffed on; when given, hours elsewhere are flagged.
    project_ids: list[str] | None = None
    #: First and last day of employment (an HR export's hire and leaving dates); when given,
    #: hours dated outside them are flagged.
    start_date: dt.date | None = Field(default=None, validation_alias=AliasChoices("start_date", "hire_date"))
    end_date: dt.date | None = Field(
        default=None, validation_alias=AliasChoices("end_date", "leaving_date", "termination_date")
    )

    @model_validator(mode="after")
    def _dates_in_order(self) -> PersonContext:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValueError(f"end_date {self.end_date} is before start_date {self.start_date}")
        return self


class Holiday(_Input):
    country: str
    date: dt.date


class ScoringContext(_Input):
    """Projects (as an approved SOW extraction produced them), people and holidays."""

    projects: list[ProjectContext] = Field(default_factory=list)
    people: list[PersonContext] = Field(default_factory=list)
    holidays: list[Holiday] = Field(default_factory=list)

    def project(self, project_id: str) -> ProjectContext | None:
        for project in self.projects:
            if project.project_id == project_id:
                return project
        return None


class AnomalyReason(BaseModel):
    """One model reason, with how far the feature sits from this subject's usual."""

    code: str
    feature: str
    value: float | str | None
    expected: float | str | None
    message: str
    #: How much moving this feature back to its expected value lowers the anomaly score.
    contribution: float = 0.0


class ControlHit(BaseModel):
    """A deterministic rule that fired, whatever the model score."""

    rule: str
    message: str


class AnomalyScore(BaseModel):
    """The contract's per-item output."""

    id: str
    risk: float = Field(ge=0.0, le=1.0)
    flagged: bool
    severity: Severity
    route: Route | None
    #: IsolationForest ``score_samples``: lower is more abnormal (about -0.5 is ordinary).
    score: float
    model_version: str | None
    reasons: list[AnomalyReason] = Field(default_factory=list)
    controls: list[ControlHit] = Field(default_factory=list)


class RejectedRow(BaseModel):
    """An input row that was not scored, with every problem found in it."""

    #: 1-based position of the row in its input (the data row of a CSV, the item of a JSON list).
    row: int
    errors: list[str]
    id: str | None = None
    #: ``"items"`` for the batch itself, ``"lines"`` for an invoice line.
    source: Literal["items", "lines"] = "items"


class ProjectBurn(BaseModel):
    """How fast a project burns its not-to-exceed, and at what margin."""

    project_id: str
    client_id: str | None = None
    currency: str | None = None
    as_of: dt.date
    not_to_exceed: float | None
    billed_to_date: float
    cost_to_date: float | None
    burn_fraction: float | None
    schedule_fraction: float | None
    daily_burn_rate: float
    forecast_cap_date: dt.date | None
    end_date: dt.date | None
    margin_to_date: float | None
    margin_recent: float | None
    flags: list[ControlHit] = Field(default_factory=list)
    flagged: bool = False
    severity: Severity = "none"
    route: Route | None = None


class _LazyScores(Sequence[AnomalyScore]):
    """Scores kept column-wise; an ``AnomalyScore`` is built only when read, so a
    million-row batch does not pay for a million pydantic objects up front."""

    def __init__(
        self,
        columns: dict[str, Any],
        reasons: Mapping[int, list[AnomalyReason]],
        controls: Mapping[int, list[ControlHit]],
    ) -> None:
        self._columns = columns
        # Both read only for the items built: the reasons' objects are themselves written lazily.
        self._reasons = reasons
        self._controls = controls
        self._n = len(columns["id"])

    def __len__(self) -> int:
        return self._n

    def _build(self, i: int) -> AnomalyScore:
        reasons = self._reasons.get(i) or []
        controls = self._controls.get(i) or []
        c = self._columns
        route = c["route"][i]
        return AnomalyScore.model_construct(
            id=str(c["id"][i]),
            risk=float(c["risk"][i]),
            flagged=bool(c["flagged"][i]),
            severity=cast(Severity, str(c["severity"][i])),
            route=cast(Route, route) if isinstance(route, str) else None,
            score=float(c["score"][i]),
            model_version=c["model_version"],
            reasons=reasons,
            controls=controls,
        )

    @overload
    def __getitem__(self, index: int) -> AnomalyScore: ...
    @overload
    def __getitem__(self, index: slice) -> list[AnomalyScore]: ...
    def __getitem__(self, index: int | slice) -> AnomalyScore | list[AnomalyScore]:
        if isinstance(index, slice):
            return [self._build(i) for i in range(*index.indices(self._n))]
        if index < 0:
            index += self._n
        if not 0 <= index < self._n:
            raise IndexError(index)
        return self._build(index)

    def __iter__(self) -> Iterator[AnomalyScore]:
        for i in range(self._n):
            yield self._build(i)

    def flagged_indices(self) -> list[int]:
        return [int(i) for i in (self._columns["flagged"]).nonzero()[0]]

    def documents(self, indices: Sequence[int] | None = None) -> list[dict[str, Any]]:
        """The items' JSON documents (all, or those at ``indices``), exactly as
        ``AnomalyScore.model_dump(mode="json")`` of each item writes them, but column-wise:
        no ``AnomalyScore`` is built, and a reason's message is written once for every item
        whose reason reads the same values."""
        n = self._n
        positions = list(range(n)) if indices is None else [int(i) + n if i < 0 else int(i) for i in indices]
        if positions and not 0 <= min(positions) <= max(positions) < n:
            raise IndexError(f"positions outside 0..{n - 1}")
        at = np.asarray(positions, dtype=np.int64)
        c = self._columns
        reasons = _documents(self._reasons, positions)
        controls = _documents(self._controls, positions)
        version = c["model_version"]
        return [
            {
                "id": str(item),
                "risk": risk,
                "flagged": flagged,
                "severity": str(severity),
                "route": route if isinstance(route, str) else None,
                "score": score,
                "model_version": version,
                "reasons": why,
                "controls": hits,
            }
            for item, risk, flagged, severity, route, score, why, hits in zip(
                np.asarray(c["id"])[at].tolist(),
                np.asarray(c["risk"], dtype=float)[at].tolist(),
                np.asarray(c["flagged"], dtype=bool)[at].tolist(),
                np.asarray(c["severity"])[at].tolist(),
                np.asarray(c["route"], dtype=object)[at].tolist(),
                np.asarray(c["score"], dtype=float)[at].tolist(),
                reasons,
                controls,
                strict=True,
            )
        ]


def _documents(found: Mapping[int, Sequence[BaseModel]], positions: list[int]) -> list[list[dict[str, Any]]]:
    """Per position, its reasons' or hits' JSON documents: from the mapping's own column-wise
    writer when it has one (the lazy reasons and time-entry hits), else dumped one by one."""
    documents = getattr(found, "documents", None)
    if documents is not None:
        return cast(list[list[dict[str, Any]]], documents(positions))
    return [[x.model_dump(mode="json") for x in found.get(i) or []] for i in positions]


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off while a batch's documents are written, as it was after.

    A million documents are three million new dicts and lists, each allocation counted towards
    the next collection, and every few hundred thousand of them a full pass over the whole heap,
    which they grow: most of the writing time (1M rows: 2.9 CPU s, 0.8 with it off, plus 0.4 for
    the one full pass it then makes). The documents hold only text, numbers and their own
    lists, no cycles, so nothing is left for the collector to find meanwhile."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class ScoringResult:
    """Scores for the valid items (in input order), the rejected rows, and
    (for time entries) the project burn."""

    def __init__(
        self,
        results: Sequence[AnomalyScore],
        rejected: list[RejectedRow],
        burn: list[ProjectBurn] | None = None,
    ) -> None:
        self.results = results
        self.rejected = rejected
        self.burn = burn or []

    @property
    def flagged(self) -> list[AnomalyScore]:
        if isinstance(self.results, _LazyScores):
            return [self.results[i] for i in self.results.flagged_indices()]
        return [r for r in self.results if r.flagged]

    def to_dict(self) -> dict[str, Any]:
        """The JSON document the CLI prints: ``{"results", "rejected", "burn"}``."""
        if isinstance(self.results, _LazyScores):
            with _collector_paused():
                results = self.results.documents()
        else:
            results = [r.model_dump(mode="json") for r in self.results]
        return {
            "results": results,
            "rejected": [r.model_dump(mode="json") for r in self.rejected],
            "burn": [b.model_dump(mode="json") for b in self.burn],
        }

    def __repr__(self) -> str:
        counts = f"results={len(self.results)}, rejected={len(self.rejected)}, burn={len(self.burn)}"
        return f"ScoringResult({counts})"
