"""Turn the model's proposals into grounded values, or drop them.

Each proposal carries a quote. :class:`Grounder` locates it in the page text
(:class:`~extraction.llm.locator.QuoteLocator`), checks that the located text
states the value (:mod:`extraction.llm.support`), and makes the evidence with
:meth:`extraction.document.Document.evidence`, so the contract's
``page_text[start:end] == quote`` holds. A value whose quote is not found, or
does not state it, is dropped and counted.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from extraction.document import Document
from extraction.llm import support
from extraction.llm.locator import QuoteLocator
from extraction.llm.proposals import (
    BillingProposal,
    ProposedClause,
    ProposedMilestone,
    ProposedRate,
    ProposedRiskNote,
)
from extraction.schemas import (
    CLAUSE_TYPES,
    Evidence,
    GroundedValue,
    MilestoneValue,
    RateValue,
    RiskCategory,
)

# What each scalar billing field's quote must state, given the proposed value.
_SCALAR_CHECKS: dict[str, Callable[[str, Any], bool]] = {
    "billing_model": support.states_billing_model,
    "currency": support.states_currency,
    "total_fee": support.states_number,
    "not_to_exceed": support.states_number,
    "payment_terms_days": support.states_days,
    "invoice_frequency": support.states_invoice_frequency,
    "start_date": support.states_date,
    "end_date": support.states_date,
    "late_fee_percent_per_month": lambda text, value: support.states_percent(text, value, per_month=True),
    "retainage_percent": support.states_percent,
    "expenses_reimbursable": lambda text, value: support.mentions_expenses(text),
    "expenses_cap": support.states_number,
}


@dataclass
class GroundingTally:
    """How many proposals were made and why some were dropped; shared by a document's threads."""

    proposed: int = 0
    dropped_unfound: int = 0
    dropped_unsupported: int = 0
    unfound_fields: list[str] = field(default_factory=list)
    unsupported_fields: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def count(self, label: str, outcome: str) -> None:
        with self._lock:
            self.proposed += 1
            if outcome == "unfound":
                self.dropped_unfound += 1
                self.unfound_fields.append(label)
            elif outcome == "unsupported":
                self.dropped_unsupported += 1
                self.unsupported_fields.append(label)

    @property
    def dropped(self) -> int:
        return self.dropped_unfound + self.dropped_unsupported

    def warning(self) -> str | None:
        """One line for the result's warnings, or None when nothing was dropped."""
        if not self.dropped:
            return None
        parts = []
        if self.dropped_unfound:
            names = ", ".join(sorted(set(self.unfound_fields)))
            parts.append(f"{self.dropped_unfound} whose quote is not in the document ({names})")
        if self.dropped_unsupported:
            names = ", ".join(sorted(set(self.unsupported_fields)))
            parts.append(f"{self.dropped_unsupported} whose quote does not state the value ({names})")
        return f"llm: dropped {self.dropped} of {self.proposed} proposed values: " + "; ".join(parts)


@dataclass(frozen=True)
class ClauseCandidate:
    """A clause the model found, grounded; the playbook decides what it means."""

    type: str
    summary: str
    evidence: Evidence
    confidence: float


@dataclass(frozen=True)
class RiskNoteCandidate:
    category: RiskCategory
    note: str
    evidence: Evidence


@dataclass
class BillingCandidates:
    """One chunk's grounded billing values, before merging across chunks."""

    scalars: dict[str, GroundedValue[Any]] = field(default_factory=dict)
    rates: list[GroundedValue[RateValue]] = field(default_factory=list)
    milestones: list[GroundedValue[MilestoneValue]] = field(default_factory=list)


def _parse_date(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None


class Grounder:
    """Grounds one document's proposals.

    Parameters
    ----------
    document
        The document the quotes must come from.
    confidence
        The confidence given to a grounded value only the model proposed.
    tally
        Where proposals and drops are counted.
    """

    def __init__(self, document: Document, *, confidence: float, tally: GroundingTally) -> None:
        self.document = document
        self.confidence = confidence
        self.tally = tally
        self.locator = QuoteLocator((page.number, page.text) for page in document.pages)
        self._lock = threading.Lock()

    def evidence_for(
        self,
        quote: str,
        *,
        label: str,
        page: int | None,
        pages: Sequence[int],
        states: Callable[[str], bool] | None = None,
    ) -> Evidence | None:
        """The evidence for ``quote`` when it is in the document and ``states`` accepts it; else None.

        Parameters
        ----------
        quote
            As the model gave it.
        label
            The field's name, for the drop count (``billing.total_fee``).
        page, pages
            The page the model named and the pages it read, tried first.
        states
            Whether the located text states the value; None accepts any located text.

        Returns
        -------
        Evidence or None
        """
        with self._lock:  # the locator builds its normalised pages lazily
            match = self.locator.locate(quote, pages=[*([page] if page else []), *pages])
        if match is None:
            self.tally.count(label, "unfound")
            return None
        if states is not None and not states(match.text):
            self.tally.count(label, "unsupported")
            return None
        self.tally.count(label, "kept")
        return self.document.evidence(match.page, match.start, match.end)

    def _value(self, value: Any, evidence: Evidence) -> GroundedValue[Any]:
        return GroundedValue(value=value, confidence=self.confidence, evidence=[evidence])

    def billing(self, proposal: BillingProposal, *, pages: Sequence[int]) -> BillingCandidates:
        """Ground one chunk's billing proposal field by field."""
        out = BillingCandidates()
        for name, check in _SCALAR_CHECKS.items():
            proposed = getattr(proposal, name)
            if proposed is None:
                continue
            value: Any = proposed.value
            if name in ("start_date", "end_date"):
                value = _parse_date(value)
                if value is None:
                    self.tally.count(f"billing.{name}", "unsupported")
                    continue
            elif name == "currency":
                value = str(value).strip().upper()
                if len(value) != 3 or not value.isalpha():
                    self.tally.count(f"billing.{name}", "unsupported")
                    continue
            evidence = self.evidence_for(
                proposed.quote,
                label=f"billing.{name}",
                page=proposed.page,
                pages=pages,
                states=lambda text, value=value, check=check: check(text, value),  # type: ignore[misc]
            )
            if evidence is not None:
                out.scalars[name] = self._value(value, evidence)
        for rate in proposal.rates:
            grounded_rate = self._rate(rate, pages=pages)
            if grounded_rate is not None:
                out.rates.append(grounded_rate)
        for milestone in proposal.milestones:
            grounded_milestone = self._milestone(milestone, pages=pages)
            if grounded_milestone is not None:
                out.milestones.append(grounded_milestone)
        return out

    def _rate(self, rate: ProposedRate, *, pages: Sequence[int]) -> GroundedValue[RateValue] | None:
        evidence = self.evidence_for(
            rate.quote,
            label="billing.rates",
            page=rate.page,
            pages=pages,
            states=lambda text: (
                support.states_number(text, rate.rate) and support.names_overlap(text, rate.role)
            ),
        )
        if evidence is None:
            return None
        currency = rate.currency.strip().upper() if rate.currency else None
        value = RateValue(role=rate.role.strip(), rate=rate.rate, unit=rate.unit, currency=currency)
        return GroundedValue(value=value, confidence=self.confidence, evidence=[evidence])

    def _milestone(
        self, milestone: ProposedMilestone, *, pages: Sequence[int]
    ) -> GroundedValue[MilestoneValue] | None:
        due = _parse_date(milestone.due_date)

        def states(text: str) -> bool:
            return (
                support.names_overlap(text, milestone.name)
                and (milestone.amount is None or support.states_number(text, milestone.amount))
                and (milestone.percent is None or support.states_percent(text, milestone.percent))
                and (due is None or support.states_date(text, due))
            )

        evidence = self.evidence_for(
            milestone.quote, label="billing.milestones", page=milestone.page, pages=pages, states=states
        )
        if evidence is None:
            return None
        value = MilestoneValue(
            name=milestone.name.strip(), amount=milestone.amount, percent=milestone.percent, due_date=due
        )
        return GroundedValue(value=value, confidence=self.confidence, evidence=[evidence])

    def clause(self, proposal: ProposedClause, *, pages: Sequence[int]) -> ClauseCandidate | None:
        """A clause is kept when its quote is found and reads like its type; the playbook judges it."""
        if proposal.type not in CLAUSE_TYPES:
            self.tally.count("clauses", "unsupported")
            return None
        evidence = self.evidence_for(
            proposal.quote,
            label=f"clauses.{proposal.type}",
            page=proposal.page,
            pages=pages,
            states=lambda text: support.states_clause_type(text, proposal.type),
        )
        if evidence is None:
            return None
        return ClauseCandidate(proposal.type, " ".join(proposal.summary.split()), evidence, self.confidence)

    def risk_note(self, proposal: ProposedRiskNote, *, pages: Sequence[int]) -> RiskNoteCandidate | None:
        evidence = self.evidence_for(proposal.quote, label="risk_notes", page=proposal.page, pages=pages)
        if evidence is None:
            return None
        return RiskNoteCandidate(proposal.category, " ".join(proposal.note.split()), evidence)


__all__ = ["BillingCandidates", "ClauseCandidate", "Grounder", "GroundingTally", "RiskNoteCandidate"]
