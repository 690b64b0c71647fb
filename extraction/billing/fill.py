"""The learned fill: scalar billing figures the rules left null, read by the candidate reader.

The rules (:mod:`extraction.billing.extract`) answer only where an anchor phrase they know stands
near a figure. :class:`LearnedBillingFill` runs the fitted
:class:`~extraction.billing.candidates.CandidateReader` over the same pages and fills the scalar
figure fields (:data:`~extraction.billing.candidates.FIELD_KINDS`: total fee, not-to-exceed,
expenses cap, payment days, late fee, retainage, start and end dates) that the rules left null.
A value the rules found is never replaced, and rates and milestones stay with the rules: filling
those lists lost precision on hand-written text (``python -m evals.billing_candidates``, fill10).

Each filled value quotes the line its figure stands on (``page_text[start:end] == quote``), its
confidence is the reader's score through a :class:`~extraction.billing.calibration.Calibrator`
fitted on proposals the reader did not learn from (held-out generated SOWs, and hand-written
batches read by readers trained only on the batches before them: ``training.billing_fill``), and
its note says it is a learned fill.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from extraction.billing.calibration import Calibrator
from extraction.billing.candidates import FIELD_KINDS, CandidateReader, FigureCandidate, find_candidates
from extraction.document import Document
from extraction.schemas import Billing, Evidence

#: The note on every value the learned fill supplied.
FILL_NOTE = "learned fill (billing-fill model): no rule read this field"


@dataclass
class LearnedBillingFill:
    """A fitted candidate reader and the calibration of its scores.

    Parameters
    ----------
    reader
        A fitted :class:`CandidateReader`; its ``threshold`` is the least score a fill needs.
    calibrator
        Maps the reader's score for a field to the probability that the fill is right.
    training_sources
        What it was trained on (recorded for evals and ``handoff models``).
    """

    reader: CandidateReader
    calibrator: Calibrator = field(default_factory=Calibrator)
    training_sources: dict[str, Any] = field(default_factory=dict)

    def proposals(self, pages: list[str]) -> dict[str, tuple[FigureCandidate, Any, float]]:
        """The reader's best candidate per scalar field: ``(candidate, value, raw score)``."""
        return self.reader.propose(find_candidates(pages))

    def fill(self, billing: Billing, document: Document) -> tuple[Billing, list[str]]:
        """``billing`` with its null scalar figure fields filled, and the names filled.

        Parameters
        ----------
        billing
            The rules' reading of ``document``.
        document
            The ingested document the rules read.

        Returns
        -------
        (Billing, list of str)
            A new :class:`Billing` (the input is not changed) and the fields it filled, in
            :data:`FIELD_KINDS` order.
        """
        empty = [name for name in FIELD_KINDS if getattr(billing, name) is None]
        if not empty:
            return billing, []
        pages = [page.text for page in document.pages]
        found = self.proposals(pages)
        # A figure the rules already read as one term, or one this fill has used, is not
        # a second term: the same words would be stated twice as two facts.
        taken = [
            (evidence.page, evidence.start, evidence.end)
            for name in FIELD_KINDS
            if (read := getattr(billing, name)) is not None
            for evidence in read.evidence
        ]
        dates = {
            name: getattr(billing, name).value for name in _TERM_DATES if getattr(billing, name) is not None
        }
        updates: dict[str, Any] = {}
        for name in empty:
            if name not in found:
                continue
            candidate, value, score = found[name]
            if any(
                page == candidate.page and start < candidate.end and candidate.start < end
                for page, start, end in taken
            ):
                continue
            if name in _TERM_DATES and not _term_in_order({**dates, name: value}):
                continue
            taken.append((candidate.page, candidate.start, candidate.end))
            if name in _TERM_DATES:
                dates[name] = value
            updates[name] = {
                "value": value,
                "confidence": self.calibrator.confidence(name, score),
                "evidence": [line_evidence(candidate, pages)],
                "note": FILL_NOTE + ("; a per-annum rate divided by 12" if value != candidate.value else ""),
            }
        if not updates:
            return billing, []
        filled = Billing.model_validate({**billing.model_dump(), **updates})
        return filled, [name for name in FIELD_KINDS if name in updates]


_TERM_DATES = ("start_date", "end_date")


def _term_in_order(dates: dict[str, Any]) -> bool:
    """Whether a term's start (when known) comes before its end (when known)."""
    start, end = (dates.get(name) for name in _TERM_DATES)
    return start is None or end is None or str(start) < str(end)


def line_evidence(candidate: FigureCandidate, pages: list[str]) -> Evidence:
    """The line a figure stands on, without its surrounding blanks, as evidence."""
    text = pages[candidate.page - 1]
    line = text[candidate.line_start : candidate.line_end]
    start = candidate.line_start + len(line) - len(line.lstrip())
    end = max(start, candidate.line_start + len(line.rstrip()))
    return Evidence(page=candidate.page, start=start, end=end, quote=text[start:end])


__all__ = ["FILL_NOTE", "LearnedBillingFill", "line_evidence"]
