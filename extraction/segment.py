"""Segmentation of a document into sections, clauses and sentences, as a spaCy pipeline.

The pipeline is ``spacy.blank("en")`` with two components of our own:

- ``handoff_section_splitter_v1`` (spaCy forbids "." in factory names, hence
  ``_v1``) finds headings ("7. Fees and Payment", "Article IV – Term",
  "§ 3 Liability", "SCHEDULE 2", an all-caps line) and stores the sections in ``doc.spans["sections"]``;
- ``handoff_clause_splitter_v1`` splits each section into clauses (paragraphs
  and numbered items such as "7.2", "(b)", "12.") in ``doc.spans["clauses"]``
  and sets sentence starts so ``doc.sents`` yields sentence / sub-clause units,
  the grain at which evidence is quoted. Page furniture is not a clause and is
  left out: signature blocks and execution lines, table-of-contents lines,
  definitions paragraphs and cover-page party blocks (:func:`non_clause_kind`).

Offsets: segmentation runs over :attr:`extraction.document.Document.text` (the
pages joined by ``PAGE_SEPARATOR``), so every unit has a global span; a page
break always ends a line, and a clause that crosses a page break is kept as one
clause whose :attr:`Clause.page` is the page it starts on. Its evidence is split
per page by :meth:`Document.evidence_for_span`, so every quote slices exactly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy
import spacy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span

from extraction.billing.numbers import NUMBER_WORDS

if TYPE_CHECKING:
    from extraction.document import Document

SECTION_SPLITTER = "handoff_section_splitter_v1"
CLAUSE_SPLITTER = "handoff_clause_splitter_v1"

#: Clauses longer than this are cut at sentence boundaries: a classifier sees
#: clause-sized text, and unnumbered walls of text (common in PDFs) stay usable.
MAX_CLAUSE_CHARS = 900

_ROMAN = r"[IVXLC]+"
_HEADING_PATTERNS = [
    # "Article IV – Fees", "ARTICLE 4. FEES", "Section 7. Fees", "§ 3 Liability", "Clause 5: Term"
    re.compile(
        rf"^\s*(?:article|section|clause|§|part)\s*(?:\d{{1,3}}|{_ROMAN})\b\.?\s*[:.–—-]?\s*\S.{{0,90}}$",
        re.IGNORECASE,
    ),
    # "7. Fees and Payment", "7 FEES", "A. Services", "III. Protection of Company",
    # "16. Assignment; Governing Law" (short, no sentence-final period)
    re.compile(rf"^\s*(?:\d{{1,2}}\.?|[A-Z]\.?|{_ROMAN}\.)\s+[A-Z][A-Za-z&/,;()'’ -]{{2,70}}$"),
    # "SCHEDULE 2 – RATE CARD", "Exhibit A", "Appendix 1: Rates"
    re.compile(r"^\s*(?:schedule|exhibit|appendix|annex|attachment)\s+[\dA-Z]{1,3}\b.{0,80}$", re.IGNORECASE),
    # Letter-prefixed labels of public-sector and special conditions: "GCC 18. LIQUIDATED DAMAGES",
    # "H.1 ORGANIZATIONAL CONFLICT OF INTEREST", "C3 Liability", "SC1 Fee"
    re.compile(
        r"^\s*[A-Z]{1,4}\s?\.?\d{1,3}(?:\.\d{1,3})?\.?\s+"
        r"(?!.*\b(?:shall|will|must|may|is|are|agrees?)\b)[A-Z][A-Za-z&/,()'’ –-]{2,70}$"
    ),
]
# Markings stamped on a document ("PRIVILEGED AND CONFIDENTIAL", "DRAFT", "SUBJECT TO CONTRACT")
# look like headings but head nothing: the letter under one is not a confidentiality clause.
_MARKING = re.compile(
    r"^\s*(?:(?:strictly\s+)?(?:private\s+and\s+|privileged\s+(?:and|&)\s+)?confidential(?:\s+(?:and|&)\s+privileged)?|commercial[\s-]in[\s-]confidence"
    r"|draft(?:\s+for\s+discussion)?|without\s+prejudice|subject\s+to\s+contract|attorney[\s-]client\s+privileged?(?:\s+communication)?)\s*$",
    re.IGNORECASE,
)
_ALL_CAPS = re.compile(r"^\s*[A-Z][A-Z0-9&/,;'’ –—-]{2,70}$")
_CLAUSE_LABEL = re.compile(
    r"^[ \t]*(?:\d{1,2}(?:\.\d{1,3}){1,3}\.?|\d{1,2}\.|\([a-z]{1,3}\)|\([ivx]{1,5}\)|\(\d{1,2}\)|[a-z]\))"
    r"[ \t]+"
)
_ABBREVIATIONS = {
    "no", "nos", "inc", "ltd", "llc", "llp", "corp", "co", "e.g", "i.e", "etc", "u.s", "sec", "art", "cl",
    "para", "vs", "mr", "ms", "dr", "st", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
    "oct", "nov", "dec", "approx", "b.v", "s.a", "plc", "n.v", "pty", "gmbh", "ag",
}  # fmt: skip
_SENTENCE_END = re.compile(r"(?<=[.;!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9(])")

# --- page furniture: text that sits among the clauses but is none ------------------------------

# A line of a signature block: "By: ____", "Name:", "Title:", "Signed for and on behalf of", dotted
# or underscored blanks to sign on.
_SIGNATURE_LINE = re.compile(
    r"^\s*(?:by|per|name|print(?:ed)?\s+name|title|role|position|date|signature|signed|witness|authori[sz]ed\s+signatory)\s*(?::|\.{3,}|_{3,})"
    r"|\bfor\s+and\s+on\s+behalf\s+of\b|^\s*signed\s+(?:by|for|on\s+behalf)\b|^\s*agreed\s+(?:and\s+accepted\s+)?(?:on\s+behalf|by|for)\b"
    r"|^\s*(?:agreed|accepted|acknowledged)(?:,?\s+(?:and|&)\s+(?:agreed|accepted|acknowledged))?(?:\s+(?:to|by))?\s*:\s*$",
    re.IGNORECASE,
)
_EXECUTION = re.compile(
    r"^\s*(?:in\s+witness\s+whereof|executed\s+as\s+a\s+deed"
    r"|(?:agreed|accepted)(?:\s+(?:and|&)\s+(?:agreed|accepted))?\s+(?:to\s+)?by\s+the\s+parties'?\s+(?:duly\s+)?authori[sz]ed\s+(?:signatories|representatives))\b"
    # a letter's close: "If these terms are acceptable, please sign and return a copy", "Yours faithfully"
    r"|^\s*(?:if\s+(?:these|the\s+(?:above|foregoing)|this)\b[^.\n]{0,60}\b(?:acceptable|agreeable|agree|in\s+order)\b[^.\n]{0,60}\b(?:sign|countersign|return)"
    r"|please\s+(?:sign|countersign)\s+(?:and\s+return|below)|(?:very\s+)?(?:truly|sincerely|faithfully)\s+yours|yours\s+(?:very\s+)?(?:truly|sincerely|faithfully)|(?:kind|best|warm)\s+regards)\b",
    re.IGNORECASE,
)
# "4. Liquidated Damages ........ 5": a heading, dot leaders, a page number.
_TOC_LINE = re.compile(r"\S.*?(?:\.{4,}|…{2,}|(?:\s\.){4,})\s*(?:page\s*)?\d{1,3}\s*$", re.IGNORECASE)
_DEFINITION = re.compile(
    r"^\s*(?:\S+\s+)?(?:[^\"“”\n]{0,50}:\s*)?"
    # a run-in heading and its scope: "Definitions. In this Schedule, "Service Credits" means …"
    r"(?:(?:definitions?|interpretation)\s*[.:–-]\s*)?(?:in\s+this\s+[\w ]{1,40},\s*)?"
    r"[\"“][^\"“”\n]{1,60}[\"”]\s+(?:means|shall\s+mean|has\s+the\s+meaning|have\s+the\s+meanings?|includes|shall\s+include|refers\s+to|is\s+defined)\b",
    re.IGNORECASE,
)
# A blank to sign on: a run of underscores or dots on a line with little else.
_SIGN_HERE = re.compile(r"_{4,}|\.{8,}")
# The labels of a signature strip set on one line ("ACME CORP. Per: ____ Name: A. Person Date:").
_SIGNATURE_LABELS = re.compile(r"\b(?:per|by|name|title|date|signature|position)\s*:", re.IGNORECASE)
# Dots that lead to a value ("Data Engineer II .......... $118.00 per hour") are a rate list.
_LEADER_TO_VALUE = re.compile(r"\.{4,}\s*(?:[A-Z]{3}\s*)?[$€£¥]?\s*\d")
# "Client: Acme Ltd" / "Between: …" lines of a cover page, with no obligation in them.
_LABEL_LINE = re.compile(r"^\s*[A-Z][\w .'’/&()-]{0,40}:\s*\S")
_PARTY_LINE = re.compile(
    r"^\s*(?:the\s+)?(?:client|customer|buyer|purchaser|supplier|agency|vendor|consultant|consultancy|contractor|"
    r"subcontractor|sub-contractor|service\s+provider|provider|firm|parties|party\s+[ab12]|between|and|prime\s+contractor|"
    r"end\s+(?:customer|client)|authority|company)\s*:\s*\S",
    re.IGNORECASE,
)
_CELL_GAP = re.compile(r"\t+| {2,}|\s\|\s")
_RULE = re.compile(r"^[\s|:+\-=_]+$")
_MONTH_MAY = re.compile(r"\bMay\s+\d{1,2}\b|\b\d{1,2}\s+May\b|\bMay\s+(?:19|20)\d\d\b")
_OBLIGATION = re.compile(r"\b(?:shall|will|must|may|agrees?|undertakes?)\b", re.IGNORECASE)
# A document's title line: capitals, then perhaps a note in brackets ("CONTRACT FOR WORK AND
# SERVICES (convenience translation; the German version prevails)") or a number ("No. 7").
_TITLE_LINE = re.compile(
    r"^\s*[A-Z][A-Z0-9&/,.'’ –—-]{6,90}(?:\bNo\.?\s*[\w./-]+)?\s*(?:\([^()\n]{1,90}\))?\s*$"
)


def non_clause_kind(text: str) -> str | None:
    """Why a segment is page furniture rather than a clause, or None when it is a clause.

    ``"signature"`` (a signature block or execution line), ``"contents"`` (table
    of contents lines), ``"definitions"`` (a paragraph of defined terms) or
    ``"parties"`` (a cover page's "Client: …" block, with its title and reference lines),
    ``"table"`` (rows of cells with no obligation in them: a rate card, a schedule) or
    ``"title"`` (a title line on its own). Such text names clause
    types ("7. Governing Law ..... 8", "\"Service Credits\" means …") without
    being the clause, so the classifier never sees it.
    """
    lines = [line for line in text.split("\n") if line.strip() and line.strip() != "\f"]
    if not lines:
        return None
    body = _CLAUSE_LABEL.sub("", lines[0], count=1)
    if all(_TOC_LINE.fullmatch(line.strip()) for line in lines):
        return "contents"
    if _EXECUTION.match(body):
        return "signature"
    signature = sum(
        1
        for line in lines
        if _SIGNATURE_LINE.search(line)
        or (_SIGN_HERE.search(line) and len(_SIGNATURE_LABELS.findall(line)) >= 2)
        or (
            _SIGN_HERE.search(line)
            and sum(c.isalpha() for c in line) < 60
            and not _LEADER_TO_VALUE.search(line)
        )
    )
    if signature and 2 * signature >= len(lines):
        return "signature"
    if _DEFINITION.match(body):
        return "definitions"
    # A table of figures (a rate card, a milestone or deliverables schedule) read row by row:
    # its rows name roles, deliverables and audits without stating any term. Rows are lines of
    # two or more cells; a line of one cell is a wrapped cell's rest, and rules are no rows.
    # Its dates are no duty: "May 14, 2027" is a month.
    rows = [line for line in lines if not _RULE.match(line)]
    multi = sum(1 for line in rows if len(_CELL_GAP.split(line.strip())) >= 2)
    if (
        len(rows) >= 3
        and len(_CELL_GAP.split(rows[0].strip())) >= 2
        and 3 * multi >= 2 * len(rows)
        and not _OBLIGATION.search(_MONTH_MAY.sub(" ", text))
    ):
        return "table"
    if _OBLIGATION.search(text):
        return None
    if (
        len(lines) == 1
        and _TITLE_LINE.match(lines[0])
        and not lines[0].rstrip().endswith(".")
        and not re.search(r"\b(?:is|are|be)\b", lines[0], re.I)
    ):
        return "title"
    # A cover block: its title and reference lines ("TASK AUTHORIZATION No. 7", "Contract No. …")
    # stand among the "Client: …" / "Contractor: …" lines.
    labelled = sum(1 for line in lines if _LABEL_LINE.match(line))
    if (
        any(_PARTY_LINE.search(line) for line in lines)
        and 2 * labelled >= len(lines)
        and all(_LABEL_LINE.match(line) or len(line.strip()) <= 90 for line in lines)
    ):
        return "parties"
    return None


# A heading line in sentence case ("Limitation of our liability", "Ownership of work") is only a
# heading by its place: on its own after a blank line, with the text it heads right below it.
_SHORT_HEADING = re.compile(r"^\s*[A-Z][A-Za-z'’&/()-]*(?:[ ,][A-Za-z'’&/()-]+){0,7}\s*$")


@dataclass(frozen=True)
class Section:
    """A heading and the text under it (global offsets into ``Document.text``)."""

    heading: str
    start: int
    end: int


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Clause:
    """A clause: a paragraph or numbered item of a section.

    ``start``/``end`` are global offsets into ``Document.text`` (``text`` is that
    slice); ``page`` is the 1-based page the clause starts on.
    """

    index: int
    text: str
    start: int
    end: int
    page: int
    heading: str
    sentences: tuple[Sentence, ...]


# --- the splitting rules (pure functions over one string) ---------------------------------------


def _lines(text: str) -> Iterable[tuple[int, int]]:
    # Split on "\n" only: str.splitlines would also split on the form feed of a page break.
    position = 0
    length = len(text)
    while position <= length:
        newline = text.find("\n", position)
        end = length if newline < 0 else newline
        yield position, end - 1 if end > position and text[end - 1] == "\r" else end
        if newline < 0:
            break
        position = newline + 1


def is_heading(line: str) -> bool:
    """Whether one line of text reads as a section heading."""
    stripped = line.strip()
    if not stripped or len(stripped) > 100 or "\f" in stripped or _MARKING.match(stripped):
        return False
    if stripped.endswith((".", ";", ",")) and not re.match(r"^(?:article|section|§)", stripped, re.I):
        # "1.1 The Supplier shall..." is a clause, not a heading
        return False
    if _CLAUSE_LABEL.match(stripped) and re.match(r"^\d+\.\d+", stripped):
        return False
    if any(p.match(stripped) for p in _HEADING_PATTERNS):
        words = stripped.split()
        return len(words) <= 12
    letters = [c for c in stripped if c.isalpha()]
    return bool(_ALL_CAPS.match(stripped)) and len(letters) >= 4 and len(stripped.split()) <= 8


def _is_contextual_heading(line: str, previous: str | None, following: str | None) -> bool:
    stripped = line.strip()
    if previous is not None and previous.strip(" \t\f"):
        return False
    if following is None or not following.strip() or "\f" in following:
        return False
    if len(stripped) > 60 or "   " in stripped or not _SHORT_HEADING.match(stripped):
        return False
    # The line under a heading is a sentence, not the next line of an address or a list of names.
    body = following.strip()
    return len(body) > len(stripped) and bool(re.search(r"[a-z]{2,}\s+[a-z]{2,}", body))


_SUBHEADING = re.compile(r"^\s*\d{1,2}(?:\.\d{1,3}){1,2}\.?\s+[A-Z][A-Za-z&/,;()'’ -]{2,60}$")


def _is_subheading(line: str, following: str | None) -> bool:
    """A numbered sub-heading on its own line ("2.2 Out of Scope") over the text it heads: not
    a sentence cut by the line's end ("10.1 The Consultant" over "shall not disclose ...")."""
    stripped = line.strip()
    if not _SUBHEADING.match(stripped) or len(stripped.split()) > 8 or _OBLIGATION.search(stripped):
        return False
    if re.search(r"\b(?:is|are|be|the|a|an)$", stripped, re.I):
        return False
    body = (following or "").strip()
    return bool(body) and (body[:1].isupper() or body[:1] in '("“•') and "\f" not in body


def _heading_lines(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, by_place) of every heading line; ``by_place`` for the sentence-case kind."""
    lines = list(_lines(text))
    out: list[tuple[int, int, bool]] = []
    for i, (s, e) in enumerate(lines):
        line = text[s:e]
        previous = text[slice(*lines[i - 1])] if i > 0 else None
        following = text[slice(*lines[i + 1])] if i + 1 < len(lines) else None
        if is_heading(line) or _is_subheading(line, following):
            out.append((s, e, False))
            continue
        if _is_contextual_heading(line, previous, following):
            out.append((s, e, True))
    return out


def find_headings(text: str) -> list[tuple[int, int]]:
    """Spans of heading lines in ``text``.

    A line is a heading by its form (:func:`is_heading`), or, for a short line in
    sentence case, by its place: alone after a blank line with a sentence under it.
    """
    return [(s, e) for s, e, _ in _heading_lines(text)]


_NUMBER_WORD_END = re.compile(rf"\b{NUMBER_WORDS}\s*$", re.IGNORECASE)


def _numeral_of_previous_words(text: str, previous_end: int, line: str) -> bool:
    """A line that opens with "(45) days" right after "... within forty-five" carries the figures of
    a number in words broken across lines, not a list label."""
    return bool(
        re.match(r"\s*\(\d{1,4}\)\s+[a-z%]", line)
        and _NUMBER_WORD_END.search(text[max(0, previous_end - 40) : previous_end])
    )


def find_clause_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Clause spans in ``text[start:end]``: blank lines, page breaks and numbering labels split."""
    spans: list[tuple[int, int]] = []
    current: int | None = None
    last_content = start
    for s, e in _lines(text[start:end]):
        s, e = s + start, e + start
        line = text[s:e]
        if line.strip(" \t") == "\f":
            # A page break alone does not end a clause: a paragraph may continue on the next page.
            continue
        if not line.strip():
            if current is not None:
                spans.append((current, last_content))
                current = None
            continue
        if (
            current is not None
            and _CLAUSE_LABEL.match(line)
            and not _numeral_of_previous_words(text, last_content, line)
        ):
            spans.append((current, last_content))
            current = None
        if current is None:
            current = s + (len(line) - len(line.lstrip()))
        last_content = e
    if current is not None:
        spans.append((current, last_content))
    out: list[tuple[int, int]] = []
    for s, e in spans:
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.extend(_cap_length(text, s, e))
    return out


def find_sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence / sub-clause spans of ``text[start:end]`` (abbreviation- and number-aware)."""
    spans: list[tuple[int, int]] = []
    s = start
    chunk = text[start:end]
    for match in _SENTENCE_END.finditer(chunk):
        cut = start + match.start()
        before = text[s:cut]
        word = re.search(r"([A-Za-z.]+)[.;!?]$", before)
        if word and word.group(1).lower().rstrip(".") in _ABBREVIATIONS:
            continue
        if re.search(r"\b[A-Z]\.$", before):  # initials, "U.S."
            continue
        if re.search(r"(?:^|\s)\(?[a-z0-9]{1,4}[.)]$", before.strip()) and len(before.strip()) <= 6:
            continue  # a clause label such as "1.1." or "(a)" on its own
        if cut > s:
            spans.append((s, cut))
        s = start + match.end()
    if s < end:
        spans.append((s, end))
    cleaned: list[tuple[int, int]] = []
    for a, b in spans:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            cleaned.append((a, b))
    # A run-in heading ("Secrecy.", "8.2 Exclusions.", "Section 4.2 Termination for Convenience.")
    # is not a sentence of its own: it belongs to the sentence it heads.
    if len(cleaned) > 1 and _is_run_in_heading(text[cleaned[0][0] : cleaned[0][1]]):
        cleaned[0:2] = [(cleaned[0][0], cleaned[1][1])]
    return cleaned


_RUN_IN_LABEL = re.compile(
    r"^\s*(?:(?:section|clause|article|§)\s*)?(?:\d{1,3}(?:\.\d{1,3})*\.?|\([a-z0-9]{1,4}\)|[A-Za-z][.)]|[IVX]+\.)?\s*",
    re.IGNORECASE,
)


def run_in_heading(text: str) -> str | None:
    """The run-in heading a clause opens with ("Termination." in "12.3 Termination. Either…"), or None."""
    label = _RUN_IN_LABEL.match(text)
    at = label.end() if label else 0
    first = re.match(r"[^.:\n]{1,80}[.:]", text[at:])
    if first is None or at + first.end() >= len(text.rstrip()):
        return None
    if not _is_run_in_heading(text[: at + first.end()]):
        return None
    return first.group(0).rstrip(".: ").strip() or None


# Verbs a short sentence carries and a heading does not.
_VERB = (
    r"(?:be|been|was|were|has|have|had|do|does|did|can|could|should|would|apply|applies|"
    r"include|includes|remain|remains|survive|survives|pays?|accepts?|agrees?|applied|ends?|begins?|starts?)"
)


def _is_run_in_heading(sentence: str) -> bool:
    title = _RUN_IN_LABEL.sub("", sentence, count=1).rstrip(".:– -")
    words = title.split()
    if not 1 <= len(words) <= 6 or not sentence.rstrip().endswith((".", ":")):
        return False
    # Headings are capitalised and carry no verb of obligation.
    if re.search(r"\b(?:shall|will|must|may|is|are|means)\b", title, re.I):
        return False
    if not words[0][:1].isupper():
        return False
    # Title case ("Limitation of Liability.") at any length up to six words; sentence case
    # ("8.1 Limitation of liability.") only when short and free of any other verb, so a short
    # sentence ("Fees are fixed.", "Time is of the essence.") stays a sentence.
    return all(w[:1].isupper() or len(w) <= 3 for w in words) or (
        len(words) <= 4 and not re.search(rf"\b{_VERB}\b", title, re.I) and not re.search(r"\d", title)
    )


def _cap_length(text: str, start: int, end: int) -> list[tuple[int, int]]:
    if end - start <= MAX_CLAUSE_CHARS:
        return [(start, end)]
    pieces: list[tuple[int, int]] = []
    piece_start: int | None = None
    piece_end = start
    for s, e in find_sentence_spans(text, start, end):
        if piece_start is None:
            piece_start = s
        elif e - piece_start > MAX_CLAUSE_CHARS:
            pieces.append((piece_start, piece_end))
            piece_start = s
        piece_end = e
    if piece_start is not None:
        pieces.append((piece_start, piece_end))
    return pieces or [(start, end)]


# --- the spaCy components ------------------------------------------------------------------------


def _char_span(doc: Doc, start: int, end: int, label: str) -> Span | None:
    return doc.char_span(start, end, label=label, alignment_mode="expand")


@Language.component(SECTION_SPLITTER)
def section_splitter(doc: Doc) -> Doc:
    """Store heading-delimited sections in ``doc.spans["sections"]`` (label = heading text)."""
    text = doc.text
    headings = _heading_lines(text)
    bounds: list[tuple[int, int, str]] = []
    if not headings or headings[0][0] > 0:
        bounds.append((0, headings[0][0] if headings else len(text), ""))
    for i, (hs, he, by_place) in enumerate(headings):
        section_end = headings[i + 1][0] if i + 1 < len(headings) else len(text)
        if by_place:
            # A heading known only by its place heads the paragraph under it, not what follows
            # (a letter's "Governing law" does not head its "Yours faithfully").
            blank = re.search(r"\n[ \t\f]*\n", text[he:section_end])
            if blank is not None and he + blank.start() < section_end:
                bounds.append((hs, he + blank.start(), text[hs:he].strip()))
                bounds.append((he + blank.start(), section_end, ""))
                continue
        bounds.append((hs, section_end, text[hs:he].strip()))
    spans: list[Span] = []
    for s, e, heading in bounds:
        span = _char_span(doc, s, e, heading or "preamble")
        if span is not None and len(span):
            spans.append(span)
    doc.spans["sections"] = spans
    return doc


@Language.component(CLAUSE_SPLITTER)
def clause_splitter(doc: Doc) -> Doc:
    """Clauses into ``doc.spans["clauses"]``, sentence starts onto the tokens."""
    text = doc.text
    sections = doc.spans["sections"] if "sections" in doc.spans else [doc[:]]
    clause_spans: list[Span] = []
    sentence_starts: set[int] = set()
    for section in sections:
        heading_end = section.start_char
        if section.label_ and section.label_ != "preamble":
            line_end = text.find("\n", section.start_char, section.end_char)
            heading_end = section.end_char if line_end < 0 else line_end
        for cs, ce in find_clause_spans(text, heading_end, section.end_char):
            if non_clause_kind(text[cs:ce]) is not None:
                continue
            span = _char_span(doc, cs, ce, section.label_)
            if span is None or not len(span):
                continue
            clause_spans.append(span)
            for ss, _ in find_sentence_spans(text, cs, ce):
                token_span = _char_span(doc, ss, ss + 1, "")
                if token_span is not None and len(token_span):
                    sentence_starts.add(token_span.start)
            sentence_starts.add(span.start)
        head = _char_span(doc, section.start_char, max(section.start_char + 1, heading_end), "")
        if head is not None and len(head):
            sentence_starts.add(head.start)
    # One array write: setting token.is_sent_start in a loop re-scans the doc each time.
    if len(doc):
        starts = numpy.full((len(doc), 1), -1, dtype="int64").astype("uint64")
        starts[sorted(sentence_starts | {0}), 0] = 1
        doc.from_array([SENT_START], starts)  # type: ignore[arg-type]
    doc.spans["clauses"] = clause_spans
    return doc


@lru_cache(maxsize=1)
def segmentation_pipeline() -> Language:
    """The segmentation pipeline: ``spacy.blank("en")`` plus our two components."""
    nlp = spacy.blank("en")
    nlp.add_pipe(SECTION_SPLITTER)
    nlp.add_pipe(CLAUSE_SPLITTER)
    nlp.max_length = 5_000_000
    return nlp


def segment_text(text: str, *, nlp: Language | None = None) -> list[Clause]:
    """Clauses of a plain string (page 1, offsets into ``text``).

    Parameters
    ----------
    text:
        The text to segment.
    nlp:
        A pipeline from :func:`segmentation_pipeline` (the default).

    Returns
    -------
    list of Clause
    """
    return _clauses_from_doc((nlp or segmentation_pipeline())(text), page_of=lambda _offset: 1)


def segment_document(document: Document, *, nlp: Language | None = None) -> list[Clause]:
    """Clauses of a :class:`~extraction.document.Document`, in global offsets.

    Parameters
    ----------
    document:
        The ingested document.
    nlp:
        A pipeline from :func:`segmentation_pipeline` (the default).

    Returns
    -------
    list of Clause
        Each with the page it starts on; ``document.text[c.start:c.end] == c.text``.
    """
    doc = (nlp or segmentation_pipeline())(document.text)
    return _clauses_from_doc(doc, page_of=lambda offset: document.locate(offset)[0])


def sections_of(text: str, *, nlp: Language | None = None) -> list[Section]:
    """The sections of ``text`` (heading and span)."""
    doc = (nlp or segmentation_pipeline())(text)
    return [Section(s.label_, s.start_char, s.end_char) for s in doc.spans["sections"]]


def _clauses_from_doc(doc: Doc, *, page_of: object) -> list[Clause]:
    text = doc.text
    out: list[Clause] = []
    for i, span in enumerate(doc.spans["clauses"]):
        start, end = span.start_char, span.end_char
        sentences = tuple(Sentence(s, e, text[s:e]) for s, e in find_sentence_spans(text, start, end))
        page = page_of(start)  # type: ignore[operator]
        heading = "" if span.label_ == "preamble" else span.label_
        out.append(Clause(i, text[start:end], start, end, int(page), heading, sentences))
    return out


__all__ = [
    "CLAUSE_SPLITTER",
    "MAX_CLAUSE_CHARS",
    "SECTION_SPLITTER",
    "Clause",
    "Section",
    "Sentence",
    "find_clause_spans",
    "find_headings",
    "find_sentence_spans",
    "is_heading",
    "non_clause_kind",
    "run_in_heading",
    "sections_of",
    "segment_document",
    "segment_text",
    "segmentation_pipeline",
]
