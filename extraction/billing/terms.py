# ruff: noqa: E501  (regular expressions read better unbroken)
"""Payment terms: days from invoice to payment, and conditional payment.

Recognised: ``net 30`` / ``Net-45`` / ``N30``; "within thirty (30) days of
receipt of invoice"; "30 days after the invoice date"; "due upon receipt" /
"payable on receipt" / "immediately" → 0; ``60 days end of month`` / ``net 60
EOM``.

End of month (EOM): "60 days end of month", "net 60 EOM" and "30 days from the
end of the month" all report the stated number of days (60, 60, 30) with
``eom=True``; the extractor adds a note. Conventions differ on whether the
days run to a month end or from one, but either way the month end makes the
real due date later than the stated days by up to a month (about 15 days on
average), which the ``payment_terms.long`` rule should keep in mind; the
stated figure is the one a reviewer can find in the text. Business days are reported
as stated, with a note. Pay-when-paid / pay-if-paid language is flagged
separately (:func:`find_pay_when_paid`); it makes the term conditional, not
longer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extraction.billing.numbers import NUMBER_WORDS, words_to_number
from extraction.billing.vocabulary import (
    DAY_WORDS,
    IMMEDIATE_WORDS,
    INVOICE_WORDS,
    IS_WORDS,
    PAYMENT_TERM_LABELS,
    WITHIN_WORDS,
    alternation,
)

_DAYS = rf"(?:(?P<words>{NUMBER_WORDS})\s*)?(?:\(\s*(?P<paren>\d{{1,3}})\s*\)|(?P<digits>\d{{1,3}})(?:\s*\(\s*{NUMBER_WORDS}\s*\))?)?[\s-]*(?P<kind>calendar\s+|natural\s+|business\s+|working\s+)?{alternation(DAY_WORDS)}\b"
_INVOICE_CTX = rf"(?:receipt|received|invoice|invoicing|billing|date\s+of\s+(?:the\s+)?invoice|submission|presentation|{alternation(INVOICE_WORDS)})"

_NET = re.compile(
    rf"\b(?:netto|net|n)[\s\-]?(?:(?P<n>\d{{1,3}})|(?P<words>{NUMBER_WORDS})(?=\W|$))\b(?P<eom>\s*(?:days?\s*)?(?:EOM|end\s+of\s+(?:the\s+)?month))?",
    re.IGNORECASE,
)
# "thirty days net" / "30 days net": the figure before the word.
_DAYS_NET = re.compile(rf"\b{_DAYS}\s+net\b", re.IGNORECASE)
_WITHIN = re.compile(
    rf"\b(?:within|in|no\s+later\s+than|not\s+later\s+than|not\s+more\s+than|up\s+to|after|payable|due|paid|{alternation(WITHIN_WORDS)})\s+(?:the\s+)?{_DAYS}"
    rf"(?P<eom>\s*(?:EOM|end\s+of\s+(?:the\s+)?month|(?:from|following|after)\s+the\s+end\s+of\s+the\s+month))?"
    rf"(?P<tail>[^.;\n]{{0,60}})",
    re.IGNORECASE,
)
_BARE_DAYS = re.compile(
    rf"\b{_DAYS}(?P<eom>\s*(?:EOM|end\s+of\s+(?:the\s+)?month))?\s+(?:after|from|of|following)\s+(?:the\s+)?(?:[\w\s]{{0,40}}?){_INVOICE_CTX}",
    re.IGNORECASE,
)
# "payment term 30 days" / "Terms of payment: 45 days": the label is the anchor.
# A connector between the label and the days: "is", "of", ":", "à", "de", "innerhalb von", "wynosi".
_LINK_WORDS = (*IS_WORDS, *WITHIN_WORDS, "are", "[àa]", "strictly")
_LABEL_LINK = rf"\s*{alternation(_LINK_WORDS)}"
_TERM_LABEL = re.compile(
    rf"\b{alternation(PAYMENT_TERM_LABELS)}\b(?:{_LABEL_LINK}){{0,2}}\s*(?:net(?:to)?\s+)?{_DAYS}",
    re.IGNORECASE,
)
# "payables par virement à 30 jours", "Betalning ska ske senast 30 dagar": a few words between
# the label and its "within" word.
_GAP_WITHIN = alternation((*WITHIN_WORDS, "[àa]", "within", "in"))
_LABEL_GAP = re.compile(
    rf"\b{alternation(PAYMENT_TERM_LABELS)}\b(?:\s+[^\W\d]+){{1,3}}?\s+{_GAP_WITHIN}\s+{_DAYS}",
    re.IGNORECASE,
)
# "med 30 dagers betalingsfrist", "30 Tage Zahlungsziel": the days before the label.
_DAYS_LABEL = re.compile(rf"\b{_DAYS}\s+{alternation(PAYMENT_TERM_LABELS)}\b", re.IGNORECASE)
# "Payment terms: 45 days end of month": a days figure with EOM needs no invoice word.
_DAYS_EOM = re.compile(rf"\b{_DAYS}\s*(?:EOM|end\s+of\s+(?:the\s+)?month)\b", re.IGNORECASE)
# "the 30th day after the designated billing office receives a proper invoice" (US federal
# prompt-payment wording): an ordinal day counted from the invoice.
_ORDINAL_DAY = re.compile(
    r"\b(?:the\s+)?(?P<n>\d{1,3})(?:st|nd|rd|th)\s+(?P<kind>calendar\s+|business\s+|working\s+)?day\s+(?:after|following|from)\s+(?P<tail>[^.;\n]{0,80})",
    re.IGNORECASE,
)
# "due 14 days after the due date" (a final date for payment) counts from a due date, not an invoice.
_FROM_DUE_DATE = re.compile(
    r"\s*(?:after|from|following)\s+(?:the\s+)?(?:relevant\s+|applicable\s+)?due\s+date", re.I
)
_RECEIPT = re.compile(
    r"\b(?:due|payable|paid|pay)\s+(?:in\s+full\s+)?(?:up)?on\s+(?:receipt|presentation|presentment)(?:\s+of\s+(?:the\s+|each\s+|an\s+|any\s+)?invoices?)?"
    r"|\b(?:due|payable)\s+immediately\b|\bdue\s+on\s+demand\b"
    rf"|\b{alternation(IMMEDIATE_WORDS)}\b",
    re.IGNORECASE,
)
_PAY_WHEN_PAID = re.compile(
    r"\bpay[\s\-]+(?:when|if)[\s\-]+paid\b"
    r"|\b(?:contingent|conditional|conditioned)\s+(?:up)?on\s+(?:\w+\s+){0,4}(?:receipt\s+of\s+payment|receiving\s+payment|being\s+paid|payment\s+(?:from|by)\s+(?:the\s+|its\s+)?(?:end[\s-])?(?:client|customer|owner))"
    r"|\breceipt\s+of\s+(?:the\s+)?(?:corresponding\s+|related\s+|its\s+|their\s+)?(?:payment|funds)\s+(?:from|by)\s+(?:the\s+|its\s+)?(?:project\s+|end[\s-]+|ultimate\s+)?(?:owner|client|customer|principal|funder)"
    r"|\bonly\s+(?:after|when|if|once)\s+(?:\w+\s+){0,4}(?:has\s+)?(?:received|receives|been\s+paid)\s+(?:\w+\s+){0,3}payment\s+from\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class PaymentTerm:
    days: int
    start: int
    end: int
    eom: bool = False
    business_days: bool = False
    strong: bool = True


def _count(match: re.Match[str]) -> int | None:
    if match.group("paren"):
        return int(match.group("paren"))
    if match.group("digits"):
        return int(match.group("digits"))
    if match.group("words"):
        return words_to_number(match.group("words"))
    return None


def find_payment_terms(text: str) -> list[PaymentTerm]:
    """Payment-term statements in ``text`` (a sentence about payment), best first.

    Parameters
    ----------
    text
        A sentence or clause; offsets in the result index it.

    Returns
    -------
    list of PaymentTerm
        ``strong`` is False for a days figure without an invoice/receipt cue nearby.
    """
    out: list[PaymentTerm] = []
    for m in _NET.finditer(text):
        if m.group("words") and not m.group(0).lower().startswith("net"):
            continue  # "n" before a number word is an ordinary word, not "N30"
        days = int(m.group("n")) if m.group("n") else words_to_number(m.group("words"))
        if days is not None:
            out.append(PaymentTerm(days, m.start(), m.end(), eom=bool(m.group("eom"))))
    for m in _DAYS_NET.finditer(text):
        days = _count(m)
        if days is not None:
            out.append(PaymentTerm(days, m.start(), m.end()))
    for m in _DAYS_EOM.finditer(text):
        days = _count(m)
        if days is not None and not any(p.start <= m.start() < p.end for p in out):
            out.append(PaymentTerm(days, m.start(), m.end(), eom=True))
    for m in _RECEIPT.finditer(text):
        out.append(PaymentTerm(0, m.start(), m.end()))
    for m in (*_TERM_LABEL.finditer(text), *_LABEL_GAP.finditer(text), *_DAYS_LABEL.finditer(text)):
        days = _count(m)
        if days is not None and not any(p.start <= m.end() - 1 and m.start() < p.end for p in out):
            kind = (m.group("kind") or "").lower()
            out.append(
                PaymentTerm(
                    days,
                    m.start(),
                    m.end(),
                    business_days=bool(kind) and not kind.startswith(("calendar", "natural")),
                )
            )
    for m in _ORDINAL_DAY.finditer(text):
        cues = list(re.finditer(_INVOICE_CTX + r"\w*", m.group("tail"), re.IGNORECASE))
        inv = cues[-1] if cues else None
        if inv:
            kind = (m.group("kind") or "").lower()
            out.append(
                PaymentTerm(
                    int(m.group("n")),
                    m.start(),
                    m.start("tail") + inv.end(),
                    business_days=bool(kind) and not kind.startswith(("calendar", "natural")),
                )
            )
    for pattern in (_BARE_DAYS, _WITHIN):
        for m in pattern.finditer(text):
            days = _count(m)
            if days is None or any(
                p.start <= m.start() < p.end or m.start() <= p.start < m.end() for p in out
            ):
                continue
            tail = m.groupdict().get("tail") or ""
            if re.match(
                r"\s*(?:prior\s+to|before|in\s+advance)", tail, re.IGNORECASE
            ) or _FROM_DUE_DATE.match(tail):
                continue
            # "Invoices are payable within 30 days": the invoice is the sentence's subject.
            # ("Tax documents (invoices) are due 30 days from ...": the verb opens the match.)
            lead = re.match(r"(?:payable|due|paid)\s", m.group(0), re.IGNORECASE)
            subject = re.search(
                r"\b(?:invoices?|bills?|fee\s+notes?)\b[^.;]{0,30}?\b(?:are|is|shall\s+be|will\s+be|must\s+be|become|becomes)\s+(?:due\s+and\s+)?(?:payable|due|paid)\s*$",
                text[max(0, m.start() - 50) : m.start() + (lead.end() if lead else 0)],
                re.IGNORECASE,
            )
            # "The retainer is invoiced monthly in advance and is payable within 30 days."
            invoiced = re.search(
                r"\binvoic\w*\b[^.;]{0,60}\b(?:payable|due|paid)\s*$",
                text[max(0, m.start() - 90) : m.start()],
                re.IGNORECASE,
            )
            # "The Buyer will pay valid, undisputed invoices within 30 days": invoices are the object.
            pays_invoices = re.search(
                r"\bpay\s+(?:[\w-]+,?\s+){0,4}invoices?\s*$",
                text[max(0, m.start() - 60) : m.start()],
                re.IGNORECASE,
            )
            strong = (
                pattern is _BARE_DAYS
                or bool(re.search(_INVOICE_CTX, tail, re.IGNORECASE))
                or bool(subject)
                or bool(invoiced)
                or bool(pays_invoices)
            )
            end = m.end("eom") if m.group("eom") else m.end("kind") if m.group("kind") else _days_end(m)
            if pattern is _BARE_DAYS:
                end = m.end()
            elif strong:
                inv = re.search(_INVOICE_CTX + r"\w*", tail, re.IGNORECASE)
                end = m.start("tail") + inv.end() if inv else end
            out.append(
                PaymentTerm(
                    days,
                    m.start(),
                    end,
                    eom=bool(m.group("eom"))
                    or bool(re.search(r"end\s+of\s+(?:the\s+)?month", m.group(0), re.IGNORECASE)),
                    business_days=bool(m.group("kind"))
                    and not m.group("kind").lower().startswith(("calendar", "natural")),
                    strong=strong,
                )
            )
    out.sort(key=lambda p: (not p.strong, p.start))
    return out


def _days_end(match: re.Match[str]) -> int:
    """End of the first "day(s)" word in the match (the quote stops at the duration)."""
    found = re.search(r"days?\b", match.group(0), re.IGNORECASE)
    return match.start() + (found.end() if found else len(match.group(0)))


def find_pay_when_paid(text: str) -> list[tuple[int, int]]:
    """Spans of pay-when-paid / pay-if-paid language."""
    return [(m.start(), m.end()) for m in _PAY_WHEN_PAID.finditer(text)]


__all__ = ["PaymentTerm", "find_pay_when_paid", "find_payment_terms"]
