# ruff: noqa: E501  (regular expressions read better unbroken)
"""The text units billing extraction reads: sentences with their section heading.

Label-anchored extraction needs to know *where* a number sits: in which
sentence, under which heading. This splitter is deliberately light (regular
expressions, no model) so billing costs little next to PDF parsing; table rows
are units of their own so a rate row is never glued to the prose around it.
Offsets are global offsets into :attr:`extraction.document.Document.text`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extraction.billing.numbers import NUMBER_WORDS
from extraction.billing.vocabulary import MONTH_NAMES, alternation

_HEADING = re.compile(
    r"^\s*(?:#{1,6}\s+)?(?:(?i:article|artikel|art[íi]culo|articolo|artigo|art\.|section|schedule|exhibit|appendix|annexure|annex|attachment|part|clause)\s+[\w.]+[.:)\s–—-]*|§\s*\d+\s*|"
    r"\d{1,2}(?:\.\d{1,2})*\.?\s+|[IVX]{1,5}\.\s+|[A-Z]\.\s+)?(?P<title>[A-ZÀ-ÖØ-Þ](?:[^\W\d_]|[&/,' –—-]){2,60}?)"
    r"(?:\s*\((?P<aside>[^()]{1,40})\))?\s*:?\s*$"
)
# A line ending in a figure ("... Go-live: $35,000", "... Design Phase: fifteen percent (15%)")
# and a capitalised next line are two sentences even without a full stop.
_SENTENCE_END = re.compile(
    r"(?<=[.;!?])\s+(?=[\"“(\[]?[A-Z0-9])|(?:(?<=\d)|(?<=%)|(?<=\d\))|(?<=%\)))"
    # (not "complete them by 30\nSeptember 2026": a date wrapped after its day)
    r"(?![ \t]*\n\s*(?:January|February|March|April|May|June|July|August|September|October|November|December)\b)"
    r"[ \t]*\n\s*(?=[A-Z][a-z])"
    # "... allocated among the phases as follows:" ends its sentence at the line break.
    # (not any colon: a PDF wraps "Scrum Master:" above its "295 USD per hour").
    r"|(?:(?<=follows:)|(?<=below:)|(?<=following:))[ \t]*\n\s*(?=[A-Z(•*-])"
    # "...; and" at the end of a line ends a list item (the next line is the last item).
    r"|(?:(?<=;\sand)|(?<=;\sor))[ \t]*\n\s*(?=[A-Z$€£₹¥])"
    # "$25,200 upon execution;\n$33,600 upon approval": a list item a line that opens with its amount
    r"|(?<=;)[ \t]*\n\s*(?=[$€£₹¥]\s?\d|[A-Z]{3}\s?\d)"
)
_ABBREVIATION_END = re.compile(
    r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|No|Nos|Rs|Inc|Ltd|Co|Corp|Mr|Ms|Dr|St|Sr|Jr|Snr|vs|e\.g|i\.e|U\.S|approx|Sec|art|para"
    # the same in the other languages: "ca. NOK 290 000", "zzgl. USt.", "eks. mva.", "aprox."
    r"|ca|dvs|bzw|inkl|exkl|zzgl|ggf|evtl|aprox|env|eks|ekskl|excl|incl|ust|mwst|nr)\.$",
    re.I,
)
# "beginnt am 1. April 2027", "od 1. marca": a day written with a full stop before its month.
_DAY_BEFORE_MONTH = re.compile(
    rf"\s+{alternation(tuple(n for names in MONTH_NAMES.values() for n in names))}\b"
    r"|\s+(?:January|February|March|April|May|June|July|August|September|October|November|December)\b",
    re.I,
)
_CLAUSE_LABEL = re.compile(
    r"^\s*(?:\([a-z]{1,3}\)|\([ivx]{1,5}\)|\(\d{1,2}\)|[a-z]\)|[ivx]{1,5}\.(?=\s)|[a-z]\.(?=\s)|\d{1,2}(?:\.\d{1,3})+\.?|\d{1,2}\.|[•\-*])\s+\S"
)
# "Milestone 2 - Prototype delivered: $40,000" on its own line: one schedule entry per line.
_LABELLED_LINE = re.compile(
    r"^\s*(?:[-•*]\s*)?(?:milestone|phase|stage|deliverable|instal(?:l)?ment|tranche)\s*(?:\d+|[A-Z]\b|[IVX]+\b)\s*[:–—-]",
    re.I,
)
# "... within forty-five\n(45) days": a bracketed figure after a number word wrapped onto the
# next line restates it; it is no item number.
_WORDS_BEFORE_FIGURE = re.compile(rf"\b(?:{NUMBER_WORDS})\s*$", re.I)
_TABLE_ROW = re.compile(r"\S(?:\t+| {2,}|\s\|\s)\S")
# A line that ends by announcing a list ends its unit there.
_INTRO_LINE = re.compile(
    r"\b(?:follow\w*|below|schedule|milestones|instal\w*|payments|tranches|stages)\b[^.:;]{0,20}:$", re.I
)
# "Engagement Director ...... $310 per hour": a dot-leader line is a list entry of its own.
_LEADER_LINE = re.compile(r"\S\s?(?:\.{3,}|…+)\s?\S")
# "Item 9  Date for Completion": an item of a contract-details form with its value on the next line.
_ITEM_LABEL_ROW = re.compile(
    r"^\s*Item\s+\d{1,2}[A-Za-z]?(?:\s{2,}|\t+)(?P<label>[A-Z][^\d$€£:|]{2,60}?)\s*:?\s*$"
)
# "Contract Price    | ZAR 3,750,000.00 (excluding VAT), fixed": a two-column table of terms
# is a list of labelled statements, read as "label: value" (the bar becomes a colon, so
# offsets hold).
_KEY_VALUE_ROW = re.compile(
    r"\s*(?:\|\s*)?[A-Z][A-Za-z&/'’ ()-]{1,40}?\s*(?P<bar>\|)\s*[^|\s][^|]*?(?:\s*\|)?\s*"
)


@dataclass(frozen=True)
class Unit:
    """A sentence (or table row) of the document."""

    start: int
    end: int
    text: str
    heading: str
    is_row: bool = False


def _is_heading(line: str) -> bool:
    stripped = line.strip()
    if not stripped or len(stripped) > 70 or stripped.endswith((".", ",", ";")):
        return False
    if _TABLE_ROW.search(stripped):
        return False
    match = _HEADING.match(stripped)
    if not match:
        return False
    # "SECTION B - SUPPLIES OR SERVICES": a dash between words is punctuation, not a word.
    words = [w for w in match.group("title").split() if w not in {"-", "–", "—", "/"}]
    capitalised = sum(
        1 for w in words if w[:1].isupper() or w.lower() in {"and", "of", "the", "&", "for", "to", "or"}
    )
    return len(words) <= 8 and capitalised == len(words)


def split_units(text: str) -> list[Unit]:
    """Sentences and table rows of ``text``, each with the heading it falls under.

    Parameters
    ----------
    text
        The document's joined text.

    Returns
    -------
    list of Unit
        In reading order; ``heading`` is lower-cased ("" before the first heading).
    """
    units: list[Unit] = []
    heading = ""
    paragraph: list[tuple[int, int]] = []

    def flush() -> None:
        if not paragraph:
            return
        start, end = paragraph[0][0], paragraph[-1][1]
        _split_sentences(text, start, end, heading, units)
        paragraph.clear()

    position = 0
    previous = ""
    for line in text.split("\n"):
        wrapped_figure = bool(re.match(r"\s*\(\d{1,3}\)", line)) and bool(
            _WORDS_BEFORE_FIGURE.search(previous)
        )
        previous = line
        start, end = position, position + len(line)
        position = end + 1
        stripped = line.strip()
        if not stripped or stripped == "\f":
            flush()
            continue
        if _is_heading(line):
            flush()
            heading = stripped.lower()
            units.append(Unit(start, end, line, heading))
            continue
        item_label = _ITEM_LABEL_ROW.match(line)
        if item_label:
            # "Item 8  Retention" over "5% of each progress payment": a contract-details form whose
            # label heads the value on the lines below it.
            flush()
            heading = item_label.group("label").strip().lower()
            units.append(Unit(start, end, line, heading))
            continue
        if _TABLE_ROW.search(stripped):
            flush()
            pair = _KEY_VALUE_ROW.fullmatch(line)
            if pair:
                bar = pair.start("bar")
                units.append(Unit(start, end, line[:bar] + ":" + line[bar + 1 :], heading))
            else:
                units.append(Unit(start, end, line, heading, is_row=True))
            continue
        if _LEADER_LINE.search(stripped):
            flush()
            units.append(Unit(start, end, line, heading))
            continue
        if (_CLAUSE_LABEL.match(line) and not wrapped_figure) or _LABELLED_LINE.match(line):
            # "(c) The rates are ..." / "3.4 Provider shall ...": a numbered item starts a new unit.
            flush()
        paragraph.append((start, end))
        if _INTRO_LINE.search(stripped):
            flush()  # "Payment will be made on the following milestones:" introduces a list
    flush()
    return units


# "Term. March 1, 2027 – February 29, 2028." / "3.2 Fees and Billing. Our fees ...": a run-in
# heading opens its paragraph and heads the sentences after it.
_RUN_IN = re.compile(
    r"^\s*(?:\d{1,2}(?:\.\d{1,2})*\.?\s+|\([a-z0-9]{1,3}\)\s+|[A-Z]\.\d{1,2}\s+)?(?P<title>[A-Z][A-Za-z&/' –—-]{1,50})\.\s*$"
)


_LIST_LABEL_ONLY = re.compile(r"^\s*(?:\d{1,2}(?:\.\d{1,2})*\.|\(?[a-z0-9]{1,3}[.)]|[A-Z]\.\d{1,2}\.?)\s*$")


def _run_in_heading(piece: str) -> str | None:
    match = _RUN_IN.match(piece)
    if not match:
        return None
    words = [w for w in match.group("title").split() if w not in {"-", "–", "—", "/"}]
    small = {"and", "of", "the", "&", "for", "to", "or"}
    if not 1 <= len(words) <= 5 or not all(w[:1].isupper() or w.lower() in small for w in words):
        return None
    return match.group("title").strip().lower()


def _split_sentences(text: str, start: int, end: int, heading: str, out: list[Unit]) -> None:
    chunk = text[start:end]
    cursor = 0
    line_start = True
    for match in _SENTENCE_END.finditer(chunk):
        if _ABBREVIATION_END.search(chunk[max(0, match.start() - 8) : match.start()]):
            continue
        if re.search(r"(?<![\d.])\d{1,2}\.$", chunk[max(0, match.start() - 4) : match.start()]) and (
            _DAY_BEFORE_MONTH.match(chunk, match.start())
        ):
            continue
        piece = chunk[cursor : match.start()]
        if _LIST_LABEL_ONLY.match(piece):
            continue  # "1. The Contract Sum is ...": the item number is no sentence
        if piece.strip():
            out.append(Unit(start + cursor, start + match.start(), piece, heading))
            if line_start:
                heading = _run_in_heading(piece) or heading
        line_start = "\n" in match.group(0)
        cursor = match.end()
    piece = chunk[cursor:]
    if piece.strip():
        out.append(Unit(start + cursor, end, piece, heading))


__all__ = ["Unit", "split_units"]
