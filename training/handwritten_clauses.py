"""Training examples for the clause classifier from the hand-written clause cases.

The cases in :data:`training.handwritten.CLAUSES_DIR` are SOWs by other firms' hands with
every clause of the contract's vocabulary labelled by its region (the format is in
``tests/extraction/test_clauses_realistic.py``). The generator's drafts teach the classifier
our own phrasing; these teach it other firms' wording, where its precision was lowest.

Each case is ingested and segmented as the service does it, and every clause-sized segment
(and every sentence of a segment of several) becomes one example:

- a **positive** of each type whose labelled region covers at least half of it, or at least
  half of which it holds (the scorer counts any finding that touches the region, so a unit
  that only grazes a region is neither: that type is left out of its fit, see ``known`` in
  :meth:`extraction.clauses.ClauseClassifier.fit`);
- a **negative** of every other type: the case lists every clause it holds, so a finding of
  any other type there is a false positive;
- not an example at all for a type whose region is ``optional`` (a reader could call it
  either way);
- a **hard negative** (weight :data:`HARD_NEGATIVE_WEIGHT`) where it touches a distractor,
  a place the case names as drawing false findings.

Cases are named by batch (:func:`batch_of`); training on batches up to some point and
scoring the later ones (``evals.clauses_later_batches``) is the honest measure of what
they teach.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from extraction import ingest
from extraction.clauses import clause_features_text, party_names
from extraction.schemas import CLAUSE_TYPES
from extraction.segment import segment_document, segmentation_pipeline
from training.handwritten import CLAUSES_DIR

#: Weight of a hand-written example against a generated one (each type's fit and calibrator).
HANDWRITTEN_WEIGHT = 1.0
#: Extra factor on an example that touches a distractor.
HARD_NEGATIVE_WEIGHT = 2.0
#: Share of a unit (or of a region) two spans must share for the unit to be the region's type.
COVER_SHARE = 0.5

_BATCH = re.compile(r"^r(\d+)_")
# A line that opens a clause: a number or letter label, or a "Section 4.2" / "Clause 7" / "§ 3" word label.
_OPENS_CLAUSE = re.compile(
    r"^\s*(?:\d{1,3}(?:\.\d{1,3})*\.?\s|\([a-z0-9]{1,4}\)|[a-z]\)\s|[A-Z]\.\s"
    r"|(?:section|clause|article|§)\s*[\dIVX]+)",
    re.IGNORECASE,
)


def batch_of(name: str) -> int:
    """The batch a case was written in: ``r7_...`` is 7, a name without a prefix the first."""
    match = _BATCH.match(name)
    return int(match.group(1)) if match else 1


def case_names(folder: Path = CLAUSES_DIR, *, batches: Collection[int] | None = None) -> list[str]:
    """The cases in ``folder`` (of ``batches`` only, when given), sorted by name."""
    names = sorted(p.stem for p in folder.glob("*.txt"))
    return [n for n in names if batches is None or batch_of(n) in batches]


def load_case(name: str, folder: Path = CLAUSES_DIR) -> tuple[str, dict[str, Any]]:
    """A case's text and its expectations."""
    text = (folder / f"{name}.txt").read_text(encoding="utf-8")
    expected = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
    return text, expected


def _line_start(text: str, position: int) -> int:
    return text.rfind("\n", 0, position) + 1


def _line_end(text: str, position: int) -> int:
    end = text.find("\n", position)
    return len(text) if end < 0 else end


def region_of(text: str, anchor: str, until: str | None = None) -> tuple[int, int]:
    """The clause around ``anchor`` (to ``until``) in ``text``, as (start, end) offsets: its
    lines, back to the line that opens it with a number or a heading and on to the next
    numbered line or blank line."""
    first, last = anchor_span(text, anchor, until)
    start = _line_start(text, first)
    while start > 0 and not _OPENS_CLAUSE.match(text[start : _line_end(text, start)]):
        previous = _line_start(text, start - 1)
        if not text[previous : start - 1].strip():
            break
        start = previous
    end = _line_end(text, last)
    while end < len(text):
        following = end + 1
        line = text[following : _line_end(text, following)]
        if not line.strip() or _OPENS_CLAUSE.match(line):
            break
        end = _line_end(text, following)
    return start, end


def anchor_span(text: str, anchor: str, until: str | None = None) -> tuple[int, int]:
    """The offsets of ``anchor`` (to the end of ``until``) in ``text``."""
    first = text.find(anchor)
    if first < 0:
        raise ValueError(f"anchor {anchor!r} is not in the text")
    last = first + len(anchor)
    if until is not None:
        at = text.find(until, first)
        if at < 0:
            raise ValueError(f"until {until!r} is not after its anchor")
        last = at + len(until)
    return first, last


@dataclass
class HandwrittenExamples:
    """Examples for :meth:`~extraction.clauses.ClauseClassifier.fit`: feature texts, label
    sets, the types each example speaks for, and weights; one example per distinct text."""

    texts: list[str] = field(default_factory=list)
    labels: list[set[str]] = field(default_factory=list)
    known: list[set[str]] = field(default_factory=list)
    weights: list[float] = field(default_factory=list)
    cases: int = 0


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


@dataclass(frozen=True)
class Region:
    """A labelled clause of a case: its type, its region, the words its anchor (to its
    ``until``) quotes, and whether it is optional."""

    type: str
    span: tuple[int, int]
    anchor: tuple[int, int]
    optional: bool = False


def unit_labels(
    unit: tuple[int, int],
    regions: Iterable[Region],
    *,
    sentence: bool = False,
    cover_share: float = COVER_SHARE,
) -> tuple[set[str], set[str]]:
    """(types the unit is, types it says nothing about) given the case's regions: see the
    module docstring. A ``sentence`` is its region's type only when it holds some of the
    anchor's words: a region is a whole clause, and its other sentences need not carry it."""
    positive: set[str] = set()
    unknown: set[str] = set()
    length = max(1, unit[1] - unit[0])
    for region in regions:
        shared = _overlap(unit, region.span)
        if not shared:
            continue
        if region.optional:
            unknown.add(region.type)
        elif sentence:
            (positive if _overlap(unit, region.anchor) else unknown).add(region.type)
        elif shared >= cover_share * min(length, max(1, region.span[1] - region.span[0])):
            positive.add(region.type)
        else:
            unknown.add(region.type)
    return positive, unknown - positive


def case_examples(
    text: str,
    expected: dict[str, Any],
    *,
    nlp: Any | None = None,
    hard_negative_weight: float = HARD_NEGATIVE_WEIGHT,
    sentences: bool = True,
) -> list[tuple[str, set[str], set[str], float]]:
    """One case's (feature text, labels, known types, weight) examples: its segments as the
    service cuts them and, with ``sentences``, the sentences of segments of several."""
    document = ingest(text.encode("utf-8"), filename="sow.txt")
    doc_text = document.text
    regions = [
        Region(
            c["type"],
            region_of(doc_text, c["anchor"], c.get("until")),
            anchor_span(doc_text, c["anchor"], c.get("until")),
            bool(c.get("optional")),
        )
        for c in expected["clauses"]
    ]
    distractors = [(d.get("type"), region_of(doc_text, d["anchor"])) for d in expected.get("distractors", [])]
    parties = party_names(doc_text)
    every = set(CLAUSE_TYPES)
    out: list[tuple[str, set[str], set[str], float]] = []

    def add(span: tuple[int, int], body: str, heading: str, *, sentence: bool = False) -> None:
        positive, unknown = unit_labels(span, regions, sentence=sentence)
        hard = [t for t, region in distractors if _overlap(span, region)]
        # A distractor names the types it must not draw (all of them when it names none);
        # a labelled region it overlaps still counts, the distractor only adds weight.
        hard_types = every if any(t is None for t in hard) else {t for t in hard if t}
        weight = hard_negative_weight if hard_types - positive else 1.0
        out.append((clause_features_text(body, heading, parties), positive, every - unknown, weight))

    for clause in segment_document(document, nlp=nlp):
        if len(clause.text.split()) < 4:
            continue
        add((clause.start, clause.end), clause.text, clause.heading)
        if sentences and len(clause.sentences) > 1:
            for sentence in clause.sentences:
                if len(sentence.text.split()) >= 4:
                    add((sentence.start, sentence.end), sentence.text, clause.heading, sentence=True)
    return out


def handwritten_examples(
    *,
    folder: Path = CLAUSES_DIR,
    batches: Collection[int] | None = None,
    weight: float = HANDWRITTEN_WEIGHT,
    hard_negative_weight: float = HARD_NEGATIVE_WEIGHT,
    sentences: bool = True,
) -> HandwrittenExamples:
    """The examples of every case in ``folder`` (of ``batches`` only, when given), merged by
    feature text (labels and known types joined, the larger weight kept), each weighed
    ``weight`` times its own weight."""
    nlp = segmentation_pipeline()
    by_text: dict[str, tuple[set[str], set[str], float]] = {}
    names = case_names(folder, batches=batches)
    for name in names:
        text, expected = load_case(name, folder)
        for feature_text, labels, known, own in case_examples(
            text, expected, nlp=nlp, hard_negative_weight=hard_negative_weight, sentences=sentences
        ):
            old_labels, old_known, old_weight = by_text.get(feature_text, (set(), set(), 0.0))
            by_text[feature_text] = (old_labels | labels, old_known | known, max(old_weight, own))
    texts = list(by_text)
    return HandwrittenExamples(
        texts=texts,
        labels=[by_text[t][0] for t in texts],
        known=[by_text[t][1] for t in texts],
        weights=[weight * by_text[t][2] for t in texts],
        cases=len(names),
    )


__all__ = [
    "COVER_SHARE",
    "HANDWRITTEN_WEIGHT",
    "HARD_NEGATIVE_WEIGHT",
    "HandwrittenExamples",
    "Region",
    "anchor_span",
    "batch_of",
    "case_examples",
    "case_names",
    "handwritten_examples",
    "load_case",
    "region_of",
    "unit_labels",
]
