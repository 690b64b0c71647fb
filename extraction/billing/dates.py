# ruff: noqa: E501  (regular expressions read better unbroken)
"""Dates in their common written forms, and periods ("six (6) months").

Forms: ISO ``2026-03-03``; ``March 3, 2026`` / ``Mar. 3rd 2026``; ``3 March 2026``;
``the 1st day of June, 2026`` / ``the first day of June 2026`` / ``the last day of
June 2026``; numeric
``03/03/2026``, ``3.3.2026``, ``3-3-26``; a register's ``2026/03/03`` and ``03-Mar-2026``.

Numeric day/month order: a first number over 12 means day-first, a second over
12 means month-first; otherwise a dotted date (``03.04.2026``) is day-first, as it is
everywhere it is written, and for the rest the document's convention decides, passed in
as ``day_first``. The extractor sets ``day_first`` from the currency: USD (or
no currency at all) means month-first (US usage); any other currency means
day-first (the UK, EU, Commonwealth and most of the world).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from extraction.billing.numbers import NUMBER_WORDS, ordinal_to_number, words_to_number
from extraction.billing.vocabulary import FOREIGN_COUNTS, MONTH_NAMES, PERIOD_UNITS, alternation

_MONTHS = (
    {name.lower(): index for index, name in enumerate(calendar.month_name) if name}
    | {name.lower(): index for index, name in enumerate(calendar.month_abbr) if name}
    | {"sept": 9}
    | {name: index for index, names in MONTH_NAMES.items() for name in names}
)
# Month names of the other languages first (longest first), so "marzo" is not left as "mar".
_FOREIGN_MONTH = "|".join(sorted({n for names in MONTH_NAMES.values() for n in names}, key=len, reverse=True))
_MONTH = rf"(?:{_FOREIGN_MONTH}|january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?"
_ORD_WORD = r"(?:(?:twenty|thirty)[\s-])?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth)"
_DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"

DATE_RE = re.compile(
    rf"(?P<iso>\b(?P<iy>\d{{4}})-(?P<im>[01]\d)-(?P<id>[0-3]\d)\b)"
    rf"|(?P<dayof>\bthe\s+(?P<dd>{_DAY}|{_ORD_WORD}|last)\s+day\s+of\s+(?P<dm>{_MONTH}),?\s+(?P<dy>\d{{4}})\b)"
    rf"|(?P<mdy>\b(?P<mm>{_MONTH})\s+(?P<md>{_DAY}),?\s+(?P<my>\d{{4}})\b)"
    # "3 March 2026"; "31. August 2027" (de), "1er mars 2027" (fr), "1 de marzo de 2027" (es/pt)
    rf"|(?P<dmy>\b(?P<xd>{_DAY})(?:\.|er|º|°|o)?\s+(?:of\s+|de\s+)?(?P<xm>{_MONTH}),?\s+(?:de\s+)?(?P<xy>\d{{4}})\b)"
    # "2027/03/01" (ZA, CN, JP registers), "2027.03.01": year first, then month and day
    rf"|(?P<ymd>\b(?P<yy>\d{{4}})(?P<ysep>[/.])(?P<ym>[01]?\d)(?P=ysep)(?P<yd>[0-3]?\d)\b)"
    # "01-Apr-2027", "15-Jan-25": a register's day, month abbreviation and year joined by hyphens
    rf"|(?P<dash>\b(?P<hd>[0-3]?\d)-(?P<hm>{_MONTH})-(?P<hy>\d{{4}}|\d{{2}})\b)"
    rf"|(?P<num>\b(?P<n1>[0-3]?\d)(?P<sep>[/.\-])(?P<n2>[0-3]?\d)(?P=sep)(?P<n3>\d{{4}}|\d{{2}})\b)",
    re.IGNORECASE,
)
_FOREIGN_COUNT = alternation(tuple(w for words in FOREIGN_COUNTS.values() for w in words))
_PERIOD_UNIT_RE = {kind: re.compile(rf"{alternation(words)}$", re.I) for kind, words in PERIOD_UNITS.items()}
PERIOD_RE = re.compile(
    rf"\b(?:(?P<words>{NUMBER_WORDS})|(?P<foreign>{_FOREIGN_COUNT}))?\s*\(?(?P<digits>\d{{1,3}})?\)?\s*"
    rf"(?P<unit>days?|{alternation(tuple(w for words in PERIOD_UNITS.values() for w in words))})\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class FoundDate:
    value: dt.date
    start: int
    end: int
    ambiguous: bool = False


def _year(raw: str) -> int:
    year = int(raw)
    return year + 2000 if year < 100 else year


def _safe(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def find_dates(text: str, *, day_first: bool = False) -> list[FoundDate]:
    """Every date in ``text``, in order.

    Parameters
    ----------
    text
        Any text.
    day_first
        How to read an ambiguous numeric date such as ``03/04/2026``.

    Returns
    -------
    list of FoundDate
        ``ambiguous`` is set for numeric dates that the convention decided.
    """
    out: list[FoundDate] = []
    for m in DATE_RE.finditer(text):
        value: dt.date | None = None
        ambiguous = False
        if m.group("iso"):
            value = _safe(int(m.group("iy")), int(m.group("im")), int(m.group("id")))
        elif m.group("dayof"):
            month = _MONTHS.get(m.group("dm").lower().rstrip("."))
            if m.group("dd").lower() == "last" and month:
                # "ending on the last day of February, 2029"
                day: int | None = calendar.monthrange(int(m.group("dy")), month)[1]
            else:
                day = ordinal_to_number(m.group("dd"))
            value = _safe(int(m.group("dy")), month or 0, day or 0)
        elif m.group("mdy"):
            month = _MONTHS.get(m.group("mm").lower().rstrip("."))
            value = _safe(int(m.group("my")), month or 0, ordinal_to_number(m.group("md")) or 0)
        elif m.group("dmy"):
            month = _MONTHS.get(m.group("xm").lower().rstrip("."))
            value = _safe(int(m.group("xy")), month or 0, ordinal_to_number(m.group("xd")) or 0)
        elif m.group("ymd"):
            value = _safe(int(m.group("yy")), int(m.group("ym")), int(m.group("yd")))
        elif m.group("dash"):
            month = _MONTHS.get(m.group("hm").lower().rstrip("."))
            value = _safe(_year(m.group("hy")), month or 0, int(m.group("hd")))
        elif m.group("num"):
            a, b, year = int(m.group("n1")), int(m.group("n2")), _year(m.group("n3"))
            if a > 12:
                value = _safe(year, b, a)
            elif b > 12:
                value = _safe(year, a, b)
            elif m.group("sep") == ".":
                # "04.09.2028": dotted numeric dates are written day first wherever they are used
                value = _safe(year, b, a)
            else:
                ambiguous = a != b
                value = _safe(year, b, a) if day_first else _safe(year, a, b)
        if value is not None:
            out.append(FoundDate(value, m.start(), m.end(), ambiguous))
    return out


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole months, clamped to the month's last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def period_end(start: dt.date, amount: int, unit: str) -> dt.date:
    """The last day of a period of ``amount`` ``unit`` beginning on ``start``.

    "Six months from 1 March 2026" ends on 31 August 2026: the period covers
    whole months and the last day is the day before the same date six months on.
    """
    kind = period_kind(unit)
    if kind == "day":
        return start + dt.timedelta(days=amount - 1)
    if kind == "week":
        return start + dt.timedelta(days=7 * amount - 1)
    months = amount * 12 if kind == "year" else amount
    return add_months(start, months) - dt.timedelta(days=1)


def period_kind(unit: str) -> str:
    """ "day", "week", "month" or "year" for a period's unit word in any of the languages
    ("Monaten" -> "month", "semaines" -> "week", "anni" -> "year")."""
    word = unit.lower().strip()
    if word.startswith("day"):
        return "day"
    # years before months: the Portuguese "anos" is no month, the Spanish "mes" no year
    for kind in ("week", "year", "month"):
        if _PERIOD_UNIT_RE[kind].match(word):
            return kind
    return "month"


def parse_period(match: re.Match[str]) -> int | None:
    """The count of a :data:`PERIOD_RE` match ("six (6) months" -> 6, "doze meses" -> 12)."""
    if match.group("digits"):
        return int(match.group("digits"))
    if match.group("words"):
        return words_to_number(match.group("words"))
    if match.group("foreign"):
        word = match.group("foreign").lower()
        return next(
            (n for n, words in FOREIGN_COUNTS.items() if re.fullmatch(alternation(words), word, re.I)), None
        )
    return None


__all__ = [
    "DATE_RE",
    "PERIOD_RE",
    "FoundDate",
    "add_months",
    "find_dates",
    "parse_period",
    "period_end",
    "period_kind",
]
