"""The learned fill: billing figures the rules left null, read by the candidate reader.

The rules (:mod:`extraction.billing.extract`) answer only where an anchor phrase they know stands
near a figure. :class:`LearnedBillingFill` runs the fitted
:class:`~extraction.billing.candidates.CandidateReader` over the same pages and fills the scalar
figure fields (:data:`~extraction.billing.candidates.FIELD_KINDS`: total fee, not-to-exceed,
expenses cap, payment days, late fee, retainage, start and end dates) that the rules left null,
and, when its ``lists`` say so, an empty milestones list with the reader's schedule items. A
value the rules found is never replaced, and rates stay with the rules: their fills read day
rates as hourly and took a misread currency (``python -m evals.billing_candidates``, fill10).

Each filled value quotes the line its figure stands on (``page_text[start:end] == quote``), its
confidence is the reader's score through a :class:`~extraction.billing.calibration.Calibrator`
fitted on proposals the reader did not learn from (held-out generated SOWs, and hand-written
batches read by readers trained only on the batches before them: ``training.billing_fill``), and
its note says it is a learned fill.
"""

from __future__ import annotations

import re
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
    lists
        List fields to fill when the rules left them empty: ``("milestones",)`` or none.
    """

    reader: CandidateReader
    calibrator: Calibrator = field(default_factory=Calibrator)
    training_sources: dict[str, Any] = field(default_factory=dict)
    #: The list fields it fills when the rules left them empty (``"milestones"``); none by
    #: default, and a model saved before lists were filled unpickles with none.
    lists: tuple[str, ...] = ()

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
        lists = [name for name in self.lists if not getattr(billing, name)]
        if not empty and not lists:
            return billing, []
        pages = [page.text for page in document.pages]
        candidates = find_candidates(pages)
        found = self.reader.propose(candidates)
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
        if "milestones" in lists:
            milestones = self._milestones(candidates, pages, taken)
            if milestones:
                updates["milestones"] = milestones
        if not updates:
            return billing, []
        filled = Billing.model_validate({**billing.model_dump(), **updates})
        return filled, [name for name in (*FIELD_KINDS, "milestones") if name in updates]

    def _milestones(
        self, candidates: list[FigureCandidate], pages: list[str], taken: list[tuple[int, int, int]]
    ) -> list[dict[str, Any]]:
        """The reader's schedule items, each quoting the lines its figures stand on.

        An item whose figure is already another term (the total fee read as the one instalment) is
        left out: the same words would be stated twice as two facts.
        """
        out = []
        for figures, item, score in self.reader.propose_items(candidates)["milestones"]:
            if any(
                page == c.page and start < c.end and c.start < end
                for c in figures
                for page, start, end in taken
            ):
                continue
            evidence = []
            for c in figures:
                quote = line_evidence(c, pages)
                if quote not in evidence:
                    evidence.append(quote)
            out.append(
                {
                    "value": {
                        "name": item["name"] or milestone_name(figures, pages),
                        "amount": item["amount"],
                        "percent": item["percent"],
                    },
                    "confidence": self.calibrator.confidence("milestones", score),
                    "evidence": evidence,
                    "note": FILL_NOTE,
                }
            )
        return out


_TERM_DATES = ("start_date", "end_date")


def _term_in_order(dates: dict[str, Any]) -> bool:
    """Whether a term's start (when known) comes before its end (when known)."""
    start, end = (dates.get(name) for name in _TERM_DATES)
    return start is None or end is None or str(start) < str(end)


#: What stands between a schedule line's label and its figures: table rules, dot leaders, dashes.
_LABEL_TAIL = " \t|.:;,-–—_=*·…()[]"


def milestone_name(figures: list[FigureCandidate], pages: list[str]) -> str:
    """A schedule item's name as its line gives it: the words before its first figure
    ("Zweite Rate", "Milestone 2 – Design sign-off"), else the whole line."""
    first = min(figures, key=lambda c: (c.page, c.start))
    text = pages[first.page - 1]
    label = text[first.line_start : first.start]
    # A currency sign or code written before the amount belongs to the figure, not the name.
    label = re.sub(r"(?:[A-Z]{3}|[$€£¥₹])\s*$", "", label).strip(_LABEL_TAIL)
    if not re.search(r"\w", label):
        label = text[first.line_start : first.line_end].strip()
    return " ".join(label.split())[:200]


def line_evidence(candidate: FigureCandidate, pages: list[str]) -> Evidence:
    """The line a figure stands on, without its surrounding blanks, as evidence."""
    text = pages[candidate.page - 1]
    line = text[candidate.line_start : candidate.line_end]
    start = candidate.line_start + len(line) - len(line.lstrip())
    end = max(start, candidate.line_start + len(line.rstrip()))
    return Evidence(page=candidate.page, start=start, end=end, quote=text[start:end])


__all__ = ["FILL_NOTE", "LearnedBillingFill", "line_evidence", "milestone_name"]
