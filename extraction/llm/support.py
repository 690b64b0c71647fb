"""Does a quote state the value proposed with it?

A located quote proves the words are in the document, not that they say what
the model claims. These checks read the quote the way the local extractor
reads text, with its own parsers (:mod:`extraction.billing`: amounts,
figures, number words, dates), plus keywords for the enumerations, and accept a
value only when the quote itself states it: "payable within forty-five (45)
days" supports 45, not 30.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable

from extraction.billing.dates import find_dates
from extraction.billing.money import find_money, parse_number
from extraction.billing.numbers import find_number_words

# Bare figures that are not money ("45 days", "1.5%"); grouping as the billing parsers read it.
_FIGURE = re.compile(
    r"(?<![\w.,])\d{1,3}(?:(?:,\d{3})+|(?:[ \u2009\u202f']\d{3})+)(?:\.\d+)?(?!\d)"
    r"|(?<![\w.,])\d+(?:[.,]\d+)?(?!\d)"
)

_WORD = re.compile(r"[a-z]+", re.IGNORECASE)

_CURRENCY_HINTS: dict[str, tuple[str, ...]] = {
    "USD": ("$", "usd", "us$", "dollar"),
    "CAD": ("$", "cad", "c$", "canadian dollar"),
    "AUD": ("$", "aud", "a$", "australian dollar"),
    "NZD": ("$", "nzd", "nz$"),
    "SGD": ("$", "sgd", "s$"),
    "EUR": ("€", "eur", "euro"),
    "GBP": ("£", "gbp", "pound", "sterling"),
    "JPY": ("¥", "jpy", "yen"),
    "CHF": ("chf", "franc"),
    "INR": ("₹", "inr", "rupee"),
}

_BILLING_MODEL_HINTS: dict[str, tuple[str, ...]] = {
    "fixed_fee": ("fixed", "lump sum", "flat fee", "firm price", "not-to-exceed fee"),
    "time_and_materials": ("time and material", "time & material", "t&m", "hourly", "per hour", "daily rate"),
    "milestone": ("milestone",),
    "retainer": ("retainer",),
    "mixed": ("mixed", "hybrid", "combination", "portion", "partly", "in part"),
}

_FREQUENCY_HINTS: dict[str, tuple[str, ...]] = {
    "weekly": ("weekly", "each week", "every week", "per week"),
    "biweekly": ("biweekly", "bi-weekly", "every two weeks", "every other week", "fortnight"),
    "semimonthly": ("semimonthly", "semi-monthly", "twice a month", "twice monthly", "twice per month"),
    "monthly": ("monthly", "each month", "every month", "per month", "each calendar month"),
    "quarterly": ("quarterly", "each quarter", "every quarter", "every three months"),
    "on_milestone": ("milestone",),
    "upfront": (
        "upfront",
        "up front",
        "up-front",
        "in advance",
        "advance",
        "prior to commencement",
        "on signing",
    ),
    "on_completion": ("completion", "final acceptance", "upon delivery", "on delivery"),
}

_UPON_RECEIPT = ("upon receipt", "on receipt", "due immediately", "upon presentation", "due on receipt")
_EXPENSE_WORDS = ("expense", "travel", "out-of-pocket", "out of pocket", "disbursement", "lodging")


def numbers_in(text: str) -> list[float]:
    """Every number the text states: amounts of money (scale words included), figures and number words."""
    found = [money.amount for money in find_money(text)]
    for match in _FIGURE.finditer(text):
        number = parse_number(match.group(0))
        if number is not None:
            found.append(number)
    found.extend(float(value) for value, _, _ in find_number_words(text))
    return found


def _same_number(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=0.005)


def states_number(text: str, value: float) -> bool:
    """Whether ``text`` states ``value`` (e.g. 45000 in "$45,000" or "45k")."""
    return any(_same_number(number, value) for number in numbers_in(text))


def states_days(text: str, days: int) -> bool:
    """Whether ``text`` states a payment period of ``days`` (0 for 'upon receipt')."""
    lowered = text.lower()
    if days == 0 and any(phrase in lowered for phrase in _UPON_RECEIPT):
        return True
    numbers = numbers_in(text)
    if any(_same_number(n, days) for n in numbers):
        return True
    # "within six weeks", "within one month"
    if "week" in lowered and any(_same_number(n * 7, days) for n in numbers):
        return True
    return "month" in lowered and any(_same_number(n * 30, days) for n in numbers)


def states_percent(text: str, value: float, *, per_month: bool = False) -> bool:
    """Whether ``text`` states ``value`` percent (for a monthly rate, also as a yearly one)."""
    numbers = numbers_in(text)
    if any(_same_number(n, value) for n in numbers):
        return True
    lowered = text.lower()
    if per_month and any(w in lowered for w in ("annum", "annual", "year")):
        return any(_same_number(n / 12, value) for n in numbers)
    if "one and a half" in lowered or "one and one-half" in lowered or "one and one half" in lowered:
        return _same_number(value, 1.5)
    return False


def dates_in(text: str) -> set[dt.date]:
    """Every calendar date the text states; an ambiguous numeric date yields both readings."""
    return {found.value for day_first in (False, True) for found in find_dates(text, day_first=day_first)}


def states_date(text: str, value: dt.date) -> bool:
    return value in dates_in(text)


def _mentions(text: str, hints: Iterable[str]) -> bool:
    lowered = text.lower()
    return any(hint in lowered for hint in hints)


def states_currency(text: str, code: str) -> bool:
    hints = _CURRENCY_HINTS.get(code.upper(), (code.lower(),))
    return code.lower() in text.lower() or _mentions(text, hints)


def states_billing_model(text: str, model: str) -> bool:
    if model == "mixed":
        kinds = sum(_mentions(text, hints) for key, hints in _BILLING_MODEL_HINTS.items() if key != "mixed")
        return kinds >= 2 or _mentions(text, _BILLING_MODEL_HINTS["mixed"])
    return _mentions(text, _BILLING_MODEL_HINTS.get(model, (model.replace("_", " "),)))


def states_invoice_frequency(text: str, frequency: str) -> bool:
    return _mentions(text, _FREQUENCY_HINTS.get(frequency, (frequency,)))


def mentions_expenses(text: str) -> bool:
    return _mentions(text, _EXPENSE_WORDS)


# Words (stems) at least one of which any clause of the type uses. Lenient on purpose: they catch
# a model that labels a confidentiality clause "non_compete", not a clause worded unusually.
_CLAUSE_WORDS: dict[str, tuple[str, ...]] = {
    "limitation_of_liability": ("liab", "damages", "aggregate"),
    "uncapped_liability": ("liab", "unlimited", "uncapped", "damages"),
    "indemnification": ("indemn", "hold harmless", "defend"),
    "auto_renewal": ("renew", "extend", "successive"),
    "termination_for_convenience": (
        "terminat", "cancel", "convenience", "end this", "at will", "any reason", "without cause",
    ),
    "most_favored_nation": (
        "favo", "best pric", "lowest", "lower", "mfn", "better terms", "no less", "comparable", "same rates",
        "other client", "other customer",
    ),
    "non_solicitation": ("solicit", "hire", "employ", "recruit", "engage"),
    "non_compete": ("compet", "similar services", "rival"),
    "exclusivity": ("exclusiv", "sole provider", "sole supplier", "solely", "only from", "only provider"),
    "ip_assignment": (
        "intellectual property", "title", "owner", "own", "property", "assign", "work product", "copyright",
        "vest",
    ),
    "liquidated_damages": ("liquidated", "credit", "penalt", "damages", "compensation", "fixed sum", "late"),
    "audit_rights": ("audit", "inspect", "books", "records", "examine"),
    "change_of_control": ("control", "merger", "acqui", "change of owner"),
    "anti_assignment": ("assign", "transfer", "delegat"),
    "governing_law": ("law", "jurisdiction", "court", "venue"),
    "warranty": (
        "warrant", "guarantee", "defect", "workmanlike", "re-perform", "reperform", "conform", "remedy",
    ),
    "insurance": ("insur", "coverage", "policy", "policies"),
    "minimum_commitment": ("minimum", "at least", "no fewer", "no less than", "not less than", "commit"),
    "acceptance": ("accept", "approv", "sign-off", "sign off", "satisf", "reject"),
    "payment_terms": ("pay", "paid", "invoice", "due", "net ", "remit", "settle"),
    "late_payment": ("late", "overdue", "interest", "past due", "arrears"),
    "rate_change": ("rate", "price", "pricing", "increase", "adjust", "escalat", "fee"),
    "confidentiality": ("confiden", "proprietary", "disclos", "secret"),
}  # fmt: skip


def states_clause_type(text: str, clause_type: str) -> bool:
    """Whether ``text`` reads like a clause of ``clause_type`` at all (see ``_CLAUSE_WORDS``)."""
    words = _CLAUSE_WORDS.get(clause_type)
    return words is None or _mentions(text, words)


def names_overlap(text: str, name: str) -> bool:
    """Whether most of the words of ``name`` (a role, a milestone) appear in ``text``."""
    wanted = {w.lower() for w in _WORD.findall(name) if len(w) > 2}
    if not wanted:
        return True
    present = {w.lower() for w in _WORD.findall(text)}
    return len(wanted & present) * 2 >= len(wanted)


__all__ = [
    "dates_in",
    "mentions_expenses",
    "names_overlap",
    "numbers_in",
    "states_billing_model",
    "states_clause_type",
    "states_currency",
    "states_date",
    "states_days",
    "states_invoice_frequency",
    "states_number",
    "states_percent",
]
