# ruff: noqa: E501  (regular expressions read better unbroken)
"""Billing terms from a document, every value grounded in its text.

Label-anchored: each field first finds the sentences that talk about it (an
anchor phrase such as "not to exceed", "invoice", "retainage", or a heading
such as "Fees" / "Payment Terms"), then parses the value next to the anchor.
Every match is a :class:`Candidate` with an anchor strength; the candidates of
a field are grouped by value, and the value with the most support wins. Its
raw score combines anchor strength, the number of agreeing mentions and
whether other values conflict; :mod:`extraction.billing.calibration` maps it
to a calibrated confidence.

Consistency checks run last (milestones add up to the fee, the cap is not
below the fee and fits stated hours at the card's rates, dates fall inside
the term); a failure lowers the confidence of the values involved and adds a
warning.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from extraction.billing.calibration import Calibrator, default_calibrator
from extraction.billing.dates import PERIOD_RE, find_dates, parse_period, period_end, period_kind
from extraction.billing.money import (
    ISO_CODES,
    PREFIX_SYMBOLS,
    Money,
    document_dollar,
    document_krona,
    document_rand,
    find_money,
    parse_number,
    symbol_currency,
)
from extraction.billing.numbers import NUMBER_WORDS, words_to_number
from extraction.billing.terms import find_pay_when_paid, find_payment_terms
from extraction.billing.units import Unit, split_units
from extraction.billing.vocabulary import (
    ABOUT_WORDS,
    AS_FOLLOWS,
    BILLED_AT,
    BIWEEKLY_WORDS,
    CAP_AFTER,
    CAP_LABELS,
    EVENT_WORDS,
    EXPENSE_COST_WORDS,
    EXPENSE_WORDS,
    EXPENSES_BILLED,
    EXPENSES_INCLUDED,
    EXPENSES_NOT_BILLED,
    EXPENSES_PASSED_ON,
    FEE_HEADINGS,
    FOR_ROLE,
    INVOICE_WORDS,
    IS_WORDS,
    LATE_WORDS,
    LATEST_WORDS,
    LIABILITY_WORDS,
    MILESTONE_COLUMNS,
    MODEL_WORDS,
    MONTHLY_WORDS,
    PAY_VERBS,
    PAYMENT_TERM_LABELS,
    PER_MONTH_WORDS,
    PER_WORDS,
    PER_YEAR_WORDS,
    PERIOD_FROM_WORDS,
    PERIOD_LEAD_WORDS,
    PRICE_COLUMNS,
    PRICE_WORDS,
    RATE_LABELS,
    RATE_UNIT_WORDS,
    RETENTION_WORDS,
    ROLE_WORDS,
    SCHEDULE_LABELS,
    SHARE_COLUMNS,
    TAX_WORDS,
    TERM_END_LABELS,
    TERM_END_WORDS,
    TERM_LABELS,
    TERM_RANGES,
    TERM_START_LABELS,
    TERM_START_WORDS,
    THAT_IS,
    TOTAL_LABELS,
    TOTAL_ROWS,
    alternation,
)
from extraction.document import Document, TableCell
from extraction.schemas import Billing, GroundedValue, MilestoneValue, RateValue


@dataclass
class Candidate:
    """One reading of a field: a value, its global span and how strongly it was anchored."""

    value: Any
    start: int
    end: int
    anchor: float
    note: str | None = None
    extra_spans: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class BillingExtraction:
    billing: Billing
    warnings: list[str]
    raw_scores: dict[str, float]
    list_raw_scores: dict[str, list[float]] = field(default_factory=dict)


_FEE_HEADING = re.compile(
    r"fee|pric|compensat|payment|invoic|billing|charges|cost|commercial|rates|\brate\b|rate\s+card|budget|tarif|\binvestment\b"
    # no closing \b: German and Dutch headings compound ("Zahlungsbedingungen", "Preisblatt")
    rf"|\b{alternation(FEE_HEADINGS)}",
    re.I,
)
_FEE_WORDS = re.compile(
    r"\bfees?\b|\b(?:hourly|daily)\s+rates\b|\bremuneration\b|\bconsideration\b|\bhonorari\w*|\bprice\b|\bcompensation\b|\bcharges?\b|\bcost\b|\bpaid\b|\bpay\b|\bpayable\b|\bbudget\b|\bamount\b|\bsum\b|\binvoice|\bcontract\s+(?:value|price|sum)\b|\bbill(?:ed|ing)\b|\bcharged\b|\btotal\s*[:=]|\bestimated\s+(?:total|value|cost)\b|\b(?:total|your|the)\s+investment\b|\b\d{1,3}\s?%\s+deposit\b|\bpayments?\s+(?:shall|will)\s+be\s+made\b"
    # the same words in the languages contracts in English often keep them in
    r"|\bfa[ck]tur\w*|\bfattur\w*|\brechnung\w*|\bbetaling\w*|\bzahlung\w*|\bpagamento\b|\bvederlag\b|\bvergütung\b"
    rf"|\b{alternation(FEE_HEADINGS)}\b|\b{alternation(TOTAL_LABELS)}\b|\b{alternation(PAY_VERBS)}\b",
    re.I,
)
_NEGATION = re.compile(
    r"\b(?:not|no|never|neither|nor|rather\s+than|instead\s+of|other\s+than|excluding)\b[^.;]{0,25}$", re.I
)
# The unit words of every language in the vocabulary; Norwegian/Danish "time" (hour) only where
# no English phrase ("each time", "time and materials") can be meant.
_UNIT_WORDS = alternation(tuple(w for words in RATE_UNIT_WORDS.values() for w in words if w != "time"))
_PER = alternation(PER_WORDS)
_TAX_ASIDE = (
    r"\(?(?:excl\.?|excluding|exclusive\s+of|exclusief|excl\.|exklusive|exkl\.?|ekskl\.?|eksklusive|ex\.?|plus|más|mais|oltre|acrescido\s+de|zzgl\.?|net\s+of|\+)\s*"
    r"(?:VAT|GST|HST|MwSt\.?|USt\.?|TVA|IVA|BTW|moms|mva|VAT/GST|taxes|tax|consumption\s+tax)\)?"
    r"|\(?H\.?T\.?\)?|net|netto|nett"
)
_RATE_UNIT = re.compile(
    # "€650 excl. VAT per consultant day": a tax aside may sit between the figure and its unit.
    rf"^\s*(?:(?:{_TAX_ASIDE}),?\s+)?(?:/\s*|{_PER}\s+)(?:(?!cent\b)(?P<per_role>[A-Z][\w-]*(?:\s+[A-Z][\w-]*)?)\s+per\s+)?(?:(?:man|person|consultant|resource|FTE|head|seat|working|work|billable|calendar|business)[\s-]?(?:(?:per|/)\s*)?)?(?P<u>{_UNIT_WORDS}|time(?![\s-]+(?:and|&|period|spent|unit|basis)\b))\b"
    r"|^\s*(?P<adj>hourly|daily|weekly|monthly)\b|^\s*(?P<pu>p\s?/\s?[hd]|p\.[hd]\.?|p[hd]\b)(?![a-z])",
    re.I,
)
_PERCENT = re.compile(r"(?P<num>\d{1,3}(?:[.,]\d{1,3})?)\s?(?:%|percent\b|per\s*cent\b|pct\b)", re.I)
_MONTH_WORDS = re.compile(
    rf"per\s+month|a\s+month|each\s+month|monthly|per\s+mensem|every\s+month|month\b|{alternation(PER_MONTH_WORDS)}",
    re.I,
)
_CHANGE_WORK = re.compile(
    r"change\s+(?:requests?|orders?|notes?)|additional\s+(?:work|services)|out[\s-]+of[\s-]+scope|outside\s+(?:the|its)\s+scope|further\s+work|extra\s+work",
    re.I,
)
_RATE_LEAD_IN = re.compile(
    r"(?:\b(?P<unit>hourly|daily|day|weekly|monthly)\s+(?:billing\s+|billable\s+|charge[\s-]?out\s+)?rates?\b"
    # the same in the languages contracts keep them in: "Tagessatz:", "uurtarief", "taux journalier"
    rf"|\b(?P<unit3>{alternation(tuple(w for words in RATE_LABELS.values() for w in words))})\b"
    r"|\brates?\s+(?:are\s+)?(?:per|/)\s+(?P<unit2>(?:(?:man|person|consultant|resource)[\s-]?)?(?:hour|day|week|month)))(?:(?!\.\s).)*$",
    re.I | re.S,
)
# "beginnt am", "prend effet le"; "endet am", "jusqu'au": a verb of the term before its date.
# "begins on the Effective Date of March 15, 2027"
_BEGINS_ON_DATE_OF = re.compile(
    r"(?:begin\w*|commenc\w*|start\w*)\s+(?:on\s+)?the\s+(?:effective|commencement|start)\s+date(?:\s+of)?\s*,?\s*$",
    re.I,
)
_TERM_START_RE = re.compile(rf"(?:^|\s){alternation(TERM_START_WORDS)}\s*$", re.I)
_TERM_END = rf"(?:^|\s|\b){alternation(TERM_END_WORDS)}"
_TERM_END_RE = re.compile(rf"{_TERM_END}\s*$", re.I)
# "Call-Off Start Date:     1st February 2027", "Beginn: 01.04.2027", "Start date:  Monday 7 June 2027":
# a cover block's label (after at most three words naming what starts) right before the date.
_WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day|montag|dienstag|mittwoch|donnerstag|freitag|lundi|mardi|mercredi|jeudi|vendredi|lunes|martes|mi[ée]rcoles|jueves|viernes|maandag|dinsdag|woensdag|donderdag|vrijdag|luned[iì]|marted[iì]|mercoled[iì]|gioved[iì]|venerd[iì]|m[åa]ndag|tisdag|onsdag|torsdag|fredag"
_TERM_DATE_LABEL = re.compile(
    rf"^\s*(?:[-•*]\s*|\(?[a-z0-9]{{1,3}}[.)]\s+|item\s+\d{{1,2}}[a-z]?\s+)?(?P<qual>(?:[\w&/'’-]+\s+){{0,3}}?)"
    rf"(?:(?P<start>{alternation(TERM_START_LABELS)})|(?P<end>{alternation(TERM_END_LABELS)}))"
    rf"\s*(?:[:|]|\s?(?:\.{{3,}}|…+)|\s{{2,}}|\t|[–—-]\s)\s*(?:(?:{_WEEKDAY})\.?,?\s+)?$",
    re.I,
)
# What the qualifier of such a label names when the date is not the term's: a milestone's, an
# option's, the offer's.
_OTHER_DATE_QUALIFIER = re.compile(
    r"milestone|phase|stage|deliverable|invoice|payment|option|renewal|extension|warranty|defects|tender|quot|offer|bid|proposal|draft|interim|order\s+date|fiscal|financial",
    re.I,
)
_LATEST = re.compile(rf",?\s*\b{alternation(LATEST_WORDS)}\b\s*,?", re.I)
_BEFORE_WEEKDAY = re.compile(rf"\b(?:{_WEEKDAY})\s*,?\s*$", re.I)
# "... commencing on 15 March 2027 and completing the tender phase by 26 November 2027": the
# second date of a sentence that began the term, after a verb that ends it.
_AND_THEN_ENDS = re.compile(
    r"\s*,?\s*(?:and|und|et|y|en|e|och|og|i)\s+(?:(?:is|are|will\s+be|shall\s+be|to\s+be|to|will|shall|be)\s+)?"
    r"(?:end|conclud|finish|complet|terminat|expir|wrap\w*\s+up|run\w*\s+(?:until|through|to)"
    # "... and to issue our report no later than April 23, 2027": a report that closes the work
    r"|issu\w*\s+(?:our|the|its|their)\s+(?:final\s+|audit\s+)?report|deliver\w*\s+(?:our|the|its|their)\s+final\s+report)"
    r"\w*\b[^.;\d]{0,60}",
    re.I,
)
_PERIOD_LEAD = re.compile(rf"(?:{alternation(PERIOD_LEAD_WORDS)})\s*(?:an?\s+)?$", re.I)
_PERIOD_FROM = re.compile(rf"^\s*,?\s*(?:{alternation(PERIOD_FROM_WORDS)})\b", re.I)
_FOR_ROLE = alternation(FOR_ROLE)
_FOREIGN_ROLES = "|".join(ROLE_WORDS)
_DATE_LABEL_HEADING = re.compile(
    r"(?:(?P<end>date\s+for\s+(?:practical\s+)?completion|completion\s+date|end\s+date|expiry\s+date|expiration\s+date)"
    r"|commencement\s+date|start\s+date|date\s+of\s+commencement|starting\s+date)\s*$"
)
# A cap said after its amount in another language ("auf 80.000 € begrenzt").
_CAP_AFTER = rf"{alternation(CAP_AFTER)}\b"
# A period in another language: its from-word before the first date, its to-word between the two
# (English "from … to …" has rules of its own in term_dates).
_RANGE_FROM_END = re.compile(rf"(?:^|\s){alternation(tuple(f for f, _ in TERM_RANGES[1:]))}\s*$", re.I)
_TERM_RANGES = [
    (re.compile(rf"(?:^|\s)(?:{start})\s*$", re.I), re.compile(rf"\s*(?:{to})\s*", re.I))
    for start, to in TERM_RANGES[1:]
]
_ABBREVIATION_DOT = re.compile(
    r"\b(?:excl|incl|zzgl|inkl|exkl|eks|ekskl|ca|approx|ust|mwst|bzw|ggf|evtl|dvs|aprox|env|nr)\.", re.I
)


def _without_abbreviation_dots(text: str) -> str:
    """``text`` with the dot of "excl.", "zzgl.", "ca." blanked (same length, so offsets hold): a
    rate lead-in ("hourly tariffs (excl. VAT):") runs on past such a dot."""
    return _ABBREVIATION_DOT.sub(lambda m: m.group(0)[:-1] + " ", text)


_LINE_ROLE = re.compile(
    r"(?:^|\n)[ \t]*(?:[-•*–][ \t]*)?(?P<role>[A-ZÀ-Þ][\w-]*(?:[ \t]+[\w'-]+){0,4})[ \t]*:[ \t]*$"
)
# "Der Tagessatz beträgt", "le taux journalier est de", "stawka dzienna wynosi": a rate label, then
# the verb or preposition that leads to its figure.
_RATE_LABEL_IS = re.compile(
    rf"\b{alternation(tuple(w for words in RATE_LABELS.values() for w in words))}\b(?:\s*\([^()]{{1,30}}\))?"
    # "Timepris for seniorkonsulent er", "Der Stundensatz für Senior Berater beträgt"
    rf"(?:\s+{alternation(FOR_ROLE)}\s+[^.;:$€£\d]{{1,40}}?)?\s*(?:{alternation(IS_WORDS)}\s*)?$",
    re.I,
)
# "Bill rate: C$118.00/hour": a rate labelled as such, its role named on a line of its own nearby.
_RATE_LABEL = re.compile(
    r"(?:^|\n|[.;:]\s)\s*(?:(?:bill|billing|charge[\s-]?out|contract|hourly|daily|day|standard)\s+)?(?:rate|fee|fees|price|charges?|remuneration|honorar\w*|"
    + alternation(tuple(w for words in RATE_LABELS.values() for w in words))
    + r")(?:\s*\([^()]{1,30}\))?\s*[:=–—-]\s*$",
    re.I,
)
_ROLE_LABEL = re.compile(
    r"^\s*(?:resource|role|position|title|consultant|labou?r\s+category|job\s+title|personnel)\s*[:–—-]\s*(?P<role>[^\n]{2,60}?)\s*$",
    re.I | re.M,
)
_GENERIC_ROLE = r"(?:the\s+)?(?:fees?|rates?|services|total|price|invoice|client|supplier|contractor|sow|agreement|contract|order|schedule|charges?|remuneration|compensation|honorar\w*)"
# "billed at $175/hour" with no role: one rate for the work it names.
_BARE_RATE = re.compile(
    r"(?:(?:billed|charged|invoiced|chargeable|payable|priced)\s+(?:out\s+)?at|(?:be\s+)?(?:paid|compensated|remunerated)(?:\s+at)?)\s+(?:the\s+|a\s+)?(?:rate\s+of\s+)?$"
    # "We will charge £1,200 per day"
    r"|\b(?:will|shall|we|to)\s+(?:charge|bill)(?:\s+(?:you|the\s+client|the\s+customer|the\s+buyer))?\s+(?:at\s+)?(?:a\s+rate\s+of\s+)?$"
    # the same verbs in the vocabulary's languages: "fatturate a", "à razão de", "debiteras med"
    rf"|\b{alternation(BILLED_AT)}\s*$",
    re.I,
)
# "The Consultant's fee is SEK 1 250 per hour", "The unit price ... is JPY 950,000 per
# person-month": a price stated per unit of time is one rate for the work.
_PRICE_IS = re.compile(
    r"\b(?:fees?|price|unit\s+price|rate|charge|remuneration)\s+(?:for\s+[^.;:$€£\d]{0,40}?\s+)?(?:is|shall\s+be|will\s+be|amounts\s+to)\s*$"
    # "... and the rate of PLN 185 net per man-hour"
    r"|\b(?:the|a)\s+(?:single\s+|flat\s+)?rate\s+of\s*$"
    # "Hours beyond the monthly allotment: $165/hr": the rate for work over an allowance.
    r"|\b(?:hours?|days?|time|work)\s+(?:beyond|above|over|in\s+excess\s+of|exceeding|outside)\b[^.;$€£\d]{0,50}?(?:[:–—-]|\b(?:at|is|are))\s*$"
    # "Additional hours: S$320 per hour"
    r"|\b(?:additional|extra|further|excess)\s+(?:hours?|days?|time|work)\s*(?:[:–—-]|\b(?:at|are|is|will\s+be|shall\s+be)(?:\s+(?:charged|billed)\s+at)?)\s*$"
    # An amendment: "the daily rate ... is increased from EUR 1.080,00 to EUR 1.150,00": the new rate.
    r"|\b(?:rates?|fees?|price)\b(?:(?!\.\s)[^;]){0,80}?\b(?:increased|decreased|reduced|raised|lowered|changed|amended|adjusted)\s+from\s+(?:(?!\.\s)[^;]){1,40}?\s+to\s*$",
    re.I,
)
# "The price per man-day of the Contractor's work is CZK 14 500": the unit before the figure.
_PRICE_PER_UNIT = re.compile(
    r"\b(?:price|rate|fee|charge|remuneration)\s+(?:per|for\s+(?:each|one|a))\s+(?:(?:man|person|consultant|working|work)[\s-]?)?(?P<u>hour|day|week)\b[^.;:$€£\d]{0,40}?\b(?:is|shall\s+be|will\s+be|amounts\s+to)\s*[:=]?\s*$",
    re.I,
)
# A variation of the price ("the daily rate ... is increased", "paragraph 3.1 is deleted and
# replaced with ... £1,050 per day"): a date it takes effect on is not the term's start.
_AMENDS_PRICE = re.compile(
    r"\b(?:increased|decreased|reduced|raised|lowered|amended|adjusted|replaced|deleted|varied|revised)\b(?=(?:(?!\.\s)[^;]){0,200}\b(?:rates?|fees?|price|charges?|per\s+(?:hour|day))\b)"
    r"|\b(?:rates?|fees?|price|charges?)\b(?:(?!\.\s)[^;]){0,120}\b(?:increased|decreased|reduced|raised|lowered|amended|adjusted|replaced|varied|revised)\b",
    re.I,
)
# "Our standard daily rate ... is S$2,400. ... a 10% discount, giving an engagement rate of S$2,160":
# the list price before a discount is not what is billed.
_LIST_PRICE = re.compile(r"\b(?:standard|list|usual|normal|published|rack)\s+(?:\w+\s+)?rates?\b", re.I)
_DISCOUNTED = re.compile(
    r"\bdiscount(?:ed)?\b[^.;]{0,80}?\b(?:rates?|giving|resulting|bringing)\b|\b(?:reduced|discounted|engagement)\s+(?:\w+\s+)?rate\b",
    re.I,
)
_LIST_ITEM = re.compile(r"\s*(?:[-•*–]|\(?[a-z0-9]{1,3}[.)])\s+(?P<body>.+)", re.S)
_SCHEDULE_INTRO = re.compile(
    r"(?:payable|paid|invoiced|billed|due|schedule|instal\w*|made|effected|released|allocated|apportioned|split|divided)[^.]{0,60}(?:as\s+follows|below)\s*:?\s*$"
    # the vocabulary's "as follows" ("a ser pago da seguinte forma:", "zahlbar wie folgt:")
    rf"|\b{alternation(AS_FOLLOWS)}\s*:?\s*$"
    # a schedule's label in those languages: "Échéancier de paiement :", "wird in drei Raten fällig:"
    rf"|^\s*(?:\d{{1,2}}(?:\.\d{{1,2}})*\.?\s+|\(?[a-z0-9]{{1,3}}\)\s+)?(?:[^.\n]|\.\d){{0,100}}\b{alternation(SCHEDULE_LABELS)}\b[^.\n]{{0,30}}:\s*$"
    # A label line: "7.2 Payment Schedule (against PO No. 4100087213):", "Terms of Payment:"
    r"|^\s*(?:(?:[A-Z]\.)?\d{1,2}(?:\.\d{1,2})*\.?\s+)?[^.]{0,40}\b(?:payments|payment\s+(?:schedule|plan|milestones|terms|stages)|(?:stage|milestone|phase)[\s-]?wise\s+payments?|terms\s+of\s+payment|schedule\s+of\s+payments|milestones|instal(?:l)?ments)\b[^.]{0,60}:\s*$"
    # "4.2. The amount shall be paid in the following installments:"
    r"|\b(?:in|as\s+per|according\s+to|in\s+accordance\s+with|against|on|at)\s+the\s+following\s+(?:\w+\s+)?(?:instal\w*|payments?|tranches|milestones|stages|proportions|schedule|manner|events)\b[^.]{0,30}:\s*$"
    # "The Consultant's charges are fixed per Deliverable as follows:": a price per payable item
    r"|\b(?:per|for\s+each)\s+(?:deliverable|milestone|stage|phase|work\s+package)\b[^.]{0,40}(?:as\s+follows|below)\s*:?\s*$",
    re.I,
)
# "Design Approval: 25% of the Contract Value": an item of a schedule named by its label.
_ITEM_LABEL = re.compile(r"^\s*(?P<name>[A-Z0-9][^:\n$€£%]{2,60}?)\s*:\s*\S")
# "D2  Market Assessment ....... HK$420,000": an item named before a dot leader.
_LEADER_ITEM = re.compile(r"^\s*(?P<name>[A-Za-z0-9][^\n$€£%.]{2,60}?)\s?(?:\.{3,}|…+)\s?\S")
# Items of a payment list that are not payment events: bonds, guarantees, retention, interest.
_NOT_A_PAYMENT_EVENT = re.compile(
    r"\bbond\b|retention|retain|withh|hold\s*back|discount|\blate\b|overdue|interest|penalt|liquidated", re.I
)
# "30% on signature, 40% on delivery of Phase 2 and 30% on acceptance": shares of the fee per event;
# "a 40% deposit to reserve your place ..., 40% when the design is approved" in a proposal.
_INLINE_SHARE = re.compile(
    # "forty percent (40%) as an advance payment against ...": a share in brackets, named as a payment
    r"(?P<num>\d{1,3}(?:[.,]\d{1,2})?)\s?(?:%|percent\b|per\s*cent\b)\)?(?:\s+of\s+the\s+(?:\w+\s+)?(?:fee|price|total|amount|contract\s+\w+)\w*)?(?:\s+(?:as\s+)?(?:an?\s+|the\s+)?(?:deposit|balance|advance(?:\s+payment)?|payment|instal(?:l)?ment|tranche|restante|remaining|restant|rimanente|resterende|restante?s?|pozosta[łl]e))?\s+(?:(?:is|are|will\s+be|shall\s+be)\s+)?(?:payable\s+|due\s+|invoiced\s+|billed\s+|paid\s+)?(?P<event>(?<=deposit\s)to|"
    + alternation(EVENT_WORDS)
    + r")\s+(?P<what>[^,;.%()]{3,70}?)(?=\s*(?:[,;.(]|\band\b|\bet\b|\bund\b|\ben\b|\bog\b|\boch\b|\by\b|\be\b|\bi\b|$))",
    re.I,
)
# "payable in three installments of $6,000 each: upon execution ..., upon delivery of ... and
# upon ...": one amount shared by a list of billing events.
_EQUAL_INSTALMENTS = re.compile(
    rf"\b(?P<count>\d{{1,2}}|{NUMBER_WORDS})\s+(?:equal\s+)?(?:instal(?:l)?ments|payments|tranches)\s+of\s+(?P<amount>[^:;]{{1,40}}?)\s+each\s*[:,]\s*(?P<events>[^.;]+)",
    re.I,
)
# "paid in two parts: an advance payment of ¥2,640,000 after conclusion ..., and the remaining
# ¥6,160,000 after the delivery inspection": amounts, each tied to its event, as many as the parts.
_PAID_IN_PARTS = re.compile(
    rf"\b(?:paid|payable|settled|made|invoiced)\s+in\s+(?P<count>\d{{1,2}}|{NUMBER_WORDS})\s+(?:parts|instal(?:l)?ments|payments|tranches|portions|stages)\b",
    re.I,
)
# "We will bill you as follows: $15,000 upon signing, $20,000 at the start of fieldwork, and
# $11,500 upon delivery of our report": the amounts run on in the sentence after the colon.
_AMOUNTS_AS_FOLLOWS = re.compile(
    r"\b(?:bill|invoice|pay|paid|payable|invoiced|billed|due)\b[^.;:$€£\d]{0,30}?\bas\s+follows\s*:"
    # "We will invoice $20,000 on signing, $30,000 on delivery ...": the verb right before the first amount
    r"|\b(?:will|shall|to|we)\s+(?:bill|invoice|charge)(?:\s+(?:you|the\s+client|the\s+customer|the\s+buyer))?\s+(?=[$€£₹¥]|[A-Z]{3}\s?\d)",
    re.I,
)
_AMOUNT_EVENT = re.compile(
    r"\s*(?:\([^()]{0,40}\)\s*)?,?\s*(?:(?:is|are|shall\s+be|will\s+be)\s+)?(?:payable\s+|due\s+|paid\s+)?(?P<event>(?:up)?on|after|following|at)\s+(?P<what>[^,;.]{3,80})",
    re.I,
)
_EVENT_START = re.compile(r"(?:up)?on\b|at\b|after\b|following\b|within\b", re.I)
# Fees of another SOW or an earlier engagement ("Under SOW No. 3 ... fees totalling $50,000").
_OTHER_ENGAGEMENT = re.compile(
    r"\b(?:previous|prior|earlier|former|preceding)\s+(?:sow|statement\s+of\s+work|engagement|work\s+order|phase)"
    # "Phase 1 ... was completed in 2026 for a fee of €28,000 under a separate engagement letter"
    r"|\bunder\s+(?:a\s+)?separate\s+(?:engagement(?:\s+letter)?|agreement|contract|sow|statement\s+of\s+work|order)\b"
    r"|\b(?:was|were|has\s+been|have\s+been)\s+(?:completed|delivered|billed|invoiced|paid)\b"
    r"|\bunder\s+(?:sow|statement\s+of\s+work|work\s+order)\s+(?:no\.?|#|number)\s*\d"
    r"|\b(?:now|already)\s+(?:been\s+)?(?:fully\s+)?paid\b"
    # "This engagement letter replaces our quotation dated 3 March 2027, in which we estimated fees of R480 000"
    r"|\b(?:replaces?|supersedes?)\s+(?:our|the|any|its)\s+(?:\w+\s+)?(?:quotation|quote|proposal|estimate|offer|engagement\s+letter)\b"
    r"|\b(?:previous|prior|earlier|former|original)\s+(?:quotation|quote|proposal|estimate|offer)\b",
    re.I,
)
# A part payment ("a mobilisation fee of $20,000", "a deposit of") is not the total fee.
_PART_PAYMENT = re.compile(
    r"mobili[sz]ation|deposit|down[\s-]+payment|advance\s+payment|set[\s-]?up\s+fee|up[\s-]?front\s+(?:fee|payment)|first\s+instal\w*|balance",
    re.I,
)
# "£90,000, excluding VAT and expenses": what an amount leaves out does not make it an expense.
_EXCLUSIVE_OF = re.compile(
    r"\b(?:excluding|exclusive\s+of|excl\.?|plus|net\s+of|before|in\s+addition\s+to|not\s+including)\s+(?:[\w,]+\s+){0,4}?(?:expenses|disbursements|travel(?:\s+costs)?|out[\s-]of[\s-]pocket\s+costs)\b",
    re.I,
)
_STAGE_WORD = re.compile(r"stage|phase|milestone|part|tranche|instal|work\s+package", re.I)
_PERIODIC_FEE = re.compile(
    r"\b(?:monthly|weekly|quarterly)\s+(?:flat|fixed)\b|\b(?:flat|fixed)\s+(?:monthly|weekly|quarterly)\b|\b(?:flat|fixed)[\s-]+(?:fee|amount|sum)\s+of\s+[^.;]{0,25}?\b(?:per|a|each)\s+(?:month|week|quarter)\b",
    re.I,
)
_DEPOSIT_RETAINER = re.compile(
    r"trust\s+account|escrow|appl(?:y|ied)\s+(?:it\s+|them\s+)?(?:to|against)\s+(?:our|the|your)\s+(?:final\s+|last\s+)?(?:invoice|bill|statement)|credited\s+(?:against|towards?)|held\s+on\s+account|retainer\s+deposit|advance\s+retainer|evergreen\s+retainer|replenish",
    re.I,
)
_LATE_CUE = re.compile(
    r"\blate\b|overdue|past[\s-]+due|interest|unpaid|delinquent|not\s+paid\s+when\s+due|finance\s+charge"
    rf"|\b{alternation(LATE_WORDS)}",
    re.I,
)
_LATE_PERIOD = re.compile(
    r"[^.;\d]{0,25}?(per\s+annum|per\s+year|a\s+year|annual\w*|yearly|\bAPR\b|p\.a\.|per\s+month|a\s+month|each\s+month|monthly|every\s+month|per\s+mensem|(?:per|a|each|every)\s+(?:calendar\s+)?month"
    rf"|{alternation(PER_MONTH_WORDS)}|{alternation(PER_YEAR_WORDS)})(?!\w)",
    re.I,
)
_YEAR_WORDS = re.compile(
    rf"per\s+annum|per\s+year|a\s+year|annual|annually|\bAPR\b|yearly|p\.a\.|{alternation(PER_YEAR_WORDS)}",
    re.I,
)


# "Fees (£)", "Fees (US$)": a symbol in brackets that names one currency (a bare "$" does not).
_HEADER_SYMBOL = re.compile(
    r"\(\s*(?P<sym>"
    + "|".join(re.escape(s) for s in sorted(PREFIX_SYMBOLS, key=len, reverse=True) if s != "$")
    + r")\s*\)",
    re.I,
)


_UNIT_OF_WORD = [
    (
        unit,
        re.compile(
            rf"\b(?:{alternation(RATE_LABELS[unit])}|{alternation(RATE_UNIT_WORDS[unit])}|{extra})\b", re.I
        ),
    )
    for unit, extra in (
        ("hour", r"hourly|hrs|/h|ph|p\.h"),
        ("day", r"daily|days|/d|pd|p\.d"),
        ("week", r"weekly"),
        ("month", r"monthly"),
    )
]


def _unit_for(text: str) -> str | None:
    for unit, pattern in _UNIT_OF_WORD:
        if pattern.search(text):
            return unit
    return None


# The vocabulary's alternations, built once (the methods below interpolate them per sentence).
_TOTAL_LABEL = alternation(TOTAL_LABELS)
_IS = alternation(IS_WORDS)
_PRICE_WORD = alternation(PRICE_WORDS)
_CAP_LABEL = alternation(CAP_LABELS)
_PAYMENT_TERM_LABEL = alternation(PAYMENT_TERM_LABELS)
_INVOICE_WORD = alternation(INVOICE_WORDS)
_TERM_LABEL_WORD = alternation(TERM_LABELS)
_RANGE_FROM = alternation(tuple(f for f, _ in TERM_RANGES))
_RANGE_TO = alternation(tuple(t for _, t in TERM_RANGES))
_EVENT = alternation(EVENT_WORDS)
_BIWEEKLY = alternation(BIWEEKLY_WORDS)
_EXPENSE_WORD = alternation(EXPENSE_WORDS)
_ABOUT = rf"(?:{alternation(ABOUT_WORDS)}\s+)?"
_MONTHLY = alternation(MONTHLY_WORDS)
_RETAINER_WORDS = rf"\b{alternation(MODEL_WORDS['retainer'])}\b"
_FIXED_WORDS = rf"\b{alternation(MODEL_WORDS['fixed_fee'])}\b"
_TM_WORDS = rf"\b{alternation(MODEL_WORDS['time_and_materials'])}\b"


_PRICE_COLUMN = alternation(PRICE_COLUMNS)
_TOTAL_ROW = alternation(TOTAL_ROWS)
_TAX_WORD = alternation(TAX_WORDS)
_EFFORT_THAT_IS = (
    r"\b\d[\d.,]*\s*(?:uur|hours?|stunden|heures|horas|ore|timmar|timer|godzin|days?|tage[n]?|jours|d[ií]as|giorni|dagar|dager|dni|man[\s-]?days?)\b"
    rf"[^;$€£]{{0,50}}?\b{alternation(THAT_IS)}\s*,?\s*{_ABOUT}$"
)
_TAX_WORD_RE = re.compile(rf"\b{_TAX_WORD}\b", re.I)
# "HST (13%): $4,680.00", "VAT at 20%: £10,000": a tax stated as an amount of its own.
_TAX_LINE = re.compile(
    rf"\b{_TAX_WORD}\b[^.;\n$€£\d]{{0,12}}(?:\(?\s*(?:at\s+)?\d{{1,2}}(?:[.,]\d{{1,2}})?\s?%\s*\)?)?[^.;\n$€£\d]{{0,12}}[:=]?\s*$",
    re.I,
)
# "(all figures per day, …)", "Note: rates are hourly", "Tarieven (per uur, excl. btw)"
_TABLE_UNIT_NOTE = re.compile(
    rf"\b(?:{_PER})\s+(?:(?:man|person|consultant|working)[\s-]?)?(?:{_UNIT_WORDS})\b|\b(?:rates?|figures|fees|prices|amounts|tarie\w*|tarif\w*|s[äa]tze)\b[^.;\n]{{0,30}}?\b(?:hourly|daily|weekly|monthly|(?:{_PER})\s+(?:(?:man|person|consultant|working)[\s-]?)?(?:{_UNIT_WORDS}))\b",
    re.I,
)
# Patterns the methods below use per sentence or per figure, compiled once.
_CAP_WORD_BEFORE = re.compile(
    rf"\b(?:maximum|max\.|ceiling|capped|cap|{_CAP_LABEL})\b[^.;$€£\d]{{0,60}}$",
    re.I,
)
_CAP_AFTER_RE = re.compile(
    rf"\s*(?:(?:{_TAX_ASIDE})\s*)?{_CAP_AFTER}",
    re.I,
)
_CAP_SAID_AFTER = re.compile(
    r"\s*(?:\([^()]{0,40}\)\s*)?,?\s*(?:and|which|that)\s+(?:(?:may|shall|will|must|can)\s+not|cannot)\s+be\s+exceeded"
    # "ist auf 80.000,00 € netto begrenzt", "45 000 € HT maximum"
    rf"|\s*(?:(?:{_TAX_ASIDE})\s*)?{_CAP_AFTER}",
    re.I,
)
_PAY_CONTEXT = re.compile(
    r"invoice|payment|payable|\bpaid\b|\bpay\b|\bdue\b|net\s*\d|\bterms\b|betaling|betalning|zahlung|pagamento|paiement"
    rf"|\b{_PAYMENT_TERM_LABEL}|\b{_INVOICE_WORD}",
    re.I,
)
_TERM_LABEL_BEFORE = re.compile(
    # "Call-Off Contract Period:", "Base Year:" (a federal order's awarded period, not its options)
    rf"(?:^|\n|[.;]\s)\s*(?:the\s+)?(?:(?:call[\s-]?off|initial|base)\s+)?{_TERM_LABEL_WORD}\s*[:–—-]?\s*(?:{_RANGE_FROM}\s+)?$",
    re.I,
)
_RANGE_BETWEEN = re.compile(
    rf"\s*(?:to|until|through|thru|[-–—]|{_RANGE_TO})\s*",
    re.I,
)
_START_THEN_END = re.compile(
    rf"\s*(?:to|until|through|thru|and\s+(?:ends?|ending|continu\w+|terminat\w+)\s+(?:on|until)|[-–—]|and\s+ending\s+on|(?:und|et|y|en|e|och|og|i)\s+{_TERM_END})\s*",
    re.I,
)
_RETENTION_CUE = re.compile(
    rf"{alternation(RETENTION_WORDS)}|withh(?:o|e)ld|retain(?:ed|s)?\b",
    re.I,
)
_RETENTION_WORD = re.compile(
    alternation(RETENTION_WORDS),
    re.I,
)
_EXPENSE_CUE = re.compile(
    # "Hosting, stock photography and font licences are passed through at cost": costs billed on
    r"expens|travel|out[\s-]of[\s-]pocket|disbursement|reisekosten|spesen|auslagen|frais\s+de\s+(?:déplacement|voyage)|reiskosten|spese\s+di\s+viaggio|passed\s+through\s+at\s+cost"
    rf"|\b{_EXPENSE_WORD}",
    re.I,
)
_REIMBURSED = re.compile(
    rf"reimburs|at\s+cost|erstattet|rembours|vergoed|rimborsat|{alternation(EXPENSES_BILLED)}",
    re.I,
)
_EXPENSE_NAMED = re.compile(
    r"expens|travel|disbursement|out[\s-]of[\s-]pocket|reisekosten|spesen|auslagen|frais|reiskosten|spese"
    rf"|{_EXPENSE_WORD}",
    re.I,
)
_MILESTONE_COLUMN = alternation(MILESTONE_COLUMNS)
_NOT_A_ROLE = re.compile(
    rf"\b(?:{_TOTAL_ROW}|{_TAX_WORD}|{_CAP_LABEL}|sub-?total|estimate[ds]?|budget|maximum|contract\s+(?:price|sum|value)|"
    rf"fees|disbursements?|expenses|{_EXPENSE_WORD})\b",
    re.I,
)
_COST_WORD = re.compile(rf"\b{alternation(EXPENSE_COST_WORDS)}\b", re.I)
_NOT_BILLED = re.compile(rf"\b{alternation(EXPENSES_NOT_BILLED)}", re.I)
_PASSED_ON = re.compile(rf"\b{alternation(EXPENSES_PASSED_ON)}", re.I)
_OTHER_COSTS = re.compile(
    r"\b(?:other|any\s+other|all\s+other|sonstige|andere|autres|otros|outras|altre|andra|øvrige|inne|pozosta[łl]e)\s+(?:\w+\s+)?(?:expenses|costs|disbursements|auslagen|kosten|frais|gastos|despesas|spese|kostnader|utgifter|koszty)\b",
    re.I,
)


def _cost_named_from(text: str, start: int) -> int:
    """Where the quote of an expenses statement starts: at the cost it names ("Los gastos de
    desplazamiento ... se facturarán al coste"), so the evidence says what is or is not billed."""
    window = max(0, start - 120)
    named = [
        m
        for pattern in (_EXPENSE_NAMED, _COST_WORD, _OTHER_COSTS)
        for m in pattern.finditer(text, window, start)
    ]
    return min(m.start() for m in named) if named else start


_ITEM_TRIGGER = re.compile(
    r"\b(?:within|due|"
    + _EVENT
    + r")\b\s+(?P<event>(?:\d{1,3}\s+(?:days?|weeks?|months?)\s+)?[^.;$€£\d(]{3,80})",
    re.I,
)


class _Extractor:
    def __init__(self, document: Document, calibrator: Calibrator) -> None:
        self.document = document
        self.text = document.text
        self.calibrator = calibrator
        self.units = split_units(self.text)
        self.dollar = document_dollar(self.text)
        self.rand = document_rand(self.text)
        self.krona = document_krona(self.text)
        self.money: dict[int, list[Money]] = {}
        self.fee_context: dict[int, bool] = {}
        self.warnings: list[str] = []
        self.raw: dict[str, float] = {}
        self.list_raw: dict[str, list[float]] = {}
        self.rate_rows: list[tuple[int, int]] = []  # spans of table rows read as rates
        self.part_caps: set[int] = set()  # starts of caps on one phase or stage only

    # -- helpers ---------------------------------------------------------------------------------
    def money_in(self, unit: Unit) -> list[Money]:
        if unit.start not in self.money:
            self.money[unit.start] = [
                Money(m.amount, m.currency, m.start + unit.start, m.end + unit.start)
                for m in find_money(unit.text, dollar=self.dollar, rand=self.rand, krona=self.krona)
            ]
        return self.money[unit.start]

    def in_fee_context(self, unit: Unit) -> bool:
        # asked for every unit by most fields: read once per unit
        if unit.start not in self.fee_context:
            self.fee_context[unit.start] = bool(_FEE_HEADING.search(unit.heading)) or bool(
                _FEE_WORDS.search(unit.text)
            )
        return self.fee_context[unit.start]

    def grounded(self, field_name: str, candidate: Candidate, raw: float) -> GroundedValue[Any] | None:
        evidence = self.document.evidence_for_span(candidate.start, candidate.end)
        for s, e in candidate.extra_spans:
            evidence.extend(self.document.evidence_for_span(s, e))
        if not evidence:
            return None
        if field_name in ("rates", "milestones"):
            self.list_raw.setdefault(field_name, []).append(raw)
        else:
            self.raw[field_name] = raw
        return GroundedValue[Any](
            value=candidate.value,
            confidence=self.calibrator.confidence(field_name, raw),
            evidence=evidence,
            note=candidate.note,
        )

    def choose(self, field_name: str, candidates: list[Candidate]) -> GroundedValue[Any] | None:
        if not candidates:
            return None
        groups: dict[Any, list[Candidate]] = defaultdict(list)
        for c in candidates:
            groups[c.value].append(c)

        def support(items: list[Candidate]) -> float:
            return max(c.anchor for c in items) + 0.05 * min(len(items) - 1, 3)

        ranked = sorted(groups.values(), key=support, reverse=True)
        best = ranked[0]
        top = max(best, key=lambda c: (c.anchor, -c.start))
        conflict = 0.0
        if len(ranked) > 1:
            runner_up = support(ranked[1])
            conflict = max(0.0, runner_up - (support(best) - 0.3))
        raw = max(0.0, min(1.0, top.anchor + 0.05 * min(len(best) - 1, 3) - 0.5 * conflict))
        return self.grounded(field_name, top, raw)

    # -- fields ----------------------------------------------------------------------------------
    def currency(self) -> GroundedValue[Any] | None:
        candidates: list[Candidate] = []
        names = r"(?:u\.?s\.?\s+dollars?|united\s+states\s+dollars?|us\s+dollars?|euros?|pounds?\s+sterling|british\s+pounds?|sterling|swiss\s+francs?|canadian\s+dollars?|australian\s+dollars?|japanese\s+yen|indian\s+rupees?|singapore\s+dollars?|new\s+zealand\s+dollars?|saudi\s+riyals?|qatari\s+riyals?|uae\s+dirhams?|emirati\s+dirhams?|dirhams?|south\s+african\s+rand|(?<=[a-z]\s)rand\b|brazilian\s+reais|reais|swedish\s+kronor|kronor|danish\s+kroner|norwegian\s+kroner|yen\b|philippine\s+pesos?|mexican\s+pesos?|pesos\b)"
        name_codes = {
            "u": "USD", "united": "USD", "us": "USD", "euro": "EUR", "pound": "GBP", "british": "GBP",
            "sterling": "GBP", "swiss": "CHF", "canadian": "CAD", "australian": "AUD", "japanese": "JPY",
            "indian": "INR", "singapore": "SGD", "new": "NZD", "saudi": "SAR", "qatari": "QAR", "uae": "AED",
            "emirati": "AED", "dirham": "AED", "south": "ZAR", "rand": "ZAR", "brazilian": "BRL", "reai": "BRL",
            "swedish": "SEK", "kronor": "SEK", "danish": "DKK", "norwegian": "NOK", "yen": "JPY",
            "mexican": "MXN", "peso": "MXN", "philippine": "PHP",
        }  # fmt: skip
        for unit in self.units:
            # (\b: the French "tarif journalier moyen" names no yen)
            for m in re.finditer(rf"\b(?P<name>{names})(?:\s*\((?P<code>[A-Z]{{3}})\))?", unit.text, re.I):
                code = m.group("code") if m.group("code") in ISO_CODES else None
                if code is None:
                    first = re.split(r"[\s.]+", m.group("name").lower())[0].rstrip("s")
                    code = name_codes.get(first)
                if code:
                    strong = re.search(
                        r"currency|denominated|stated\s+in|payable\s+in|paid\s+in|expressed\s+in|amounts",
                        unit.text,
                        re.I,
                    )
                    candidates.append(
                        Candidate(code, unit.start + m.start(), unit.start + m.end(), 0.95 if strong else 0.8)
                    )
            for m in re.finditer(
                r"\b(?:currency|denominated\s+in|amounts?\s+(?:are\s+)?(?:stated\s+|expressed\s+|shown\s+)?in)\b[^.;\n]{0,30}?\b(?P<code>[A-Z]{3})\b",
                unit.text,
            ):
                if m.group("code") in ISO_CODES:
                    candidates.append(
                        Candidate(
                            m.group("code"), unit.start + m.start("code"), unit.start + m.end("code"), 0.95
                        )
                    )
        if not candidates:
            for unit in self.units:
                # Insurance limits and liability caps are in some currency too, but say nothing
                # about the currency the SOW bills in.
                if re.search(r"insurance|liabilit|indemn|damages|penalt", unit.text, re.I):
                    continue
                for money in self.money_in(unit):
                    if money.currency:
                        candidates.append(Candidate(money.currency, money.start, money.end, 0.7))
        if not candidates:
            # Figures without a symbol under "Rate Card (INR per hour)" or "Payment (EUR)".
            for unit in self.units:
                if not (_FEE_HEADING.search(unit.text) or _FEE_HEADING.search(unit.heading)):
                    continue
                if re.search(r"insurance|liabilit|indemn|damages|penalt", unit.text, re.I):
                    continue
                for m in re.finditer(rf"\(\s*(?P<code>{'|'.join(ISO_CODES)})\b", unit.text):
                    candidates.append(
                        Candidate(
                            m.group("code"), unit.start + m.start("code"), unit.start + m.end("code"), 0.65
                        )
                    )
                for m in _HEADER_SYMBOL.finditer(unit.text):
                    code = symbol_currency(m.group("sym"))
                    candidates.append(
                        Candidate(code, unit.start + m.start("sym"), unit.start + m.end("sym"), 0.65)
                    )
        return self.choose("currency", candidates)

    def billing_model(
        self, rates: list[GroundedValue[Any]], milestones: list[GroundedValue[Any]]
    ) -> GroundedValue[Any] | None:
        cues = [
            (
                "mixed",
                r"combination\s+of\s+(?:a\s+)?fixed[\s-]+(?:fee|price)\s+and\s+(?:time[\s-]+(?:and|&)[\s-]+materials?|T&M)|hybrid\s+(?:of\s+)?fixed[\s-]+(?:fee|price)\s+and\s+(?:T&M|time[\s-]+(?:and|&)[\s-]+materials?)|(?:mixed|blended|hybrid)\s+(?:pricing|billing|fee)\s+(?:model|basis|structure)",
                1.0,
            ),
            (
                "time_and_materials",
                r"time[\s-]+(?:and|&)[\s-]+materials?|\bT\s?&\s?M\b|time[\s-]+and[\s-]+expenses?|hourly\s+basis|(?:billed|charged|invoiced)\s+(?:on\s+an?\s+)?(?:hourly|daily)|actual\s+hours\s+(?:worked|spent)|(?:at\s+the|an?)\s+(?:\w+\s+)?(?:hourly\s+)?rate\s+of\s+[^;\n]{0,25}?per\s+(?:hour|day)|hourly\s+rates?\s+(?:set\s+out|set\s+forth|specified|stated|shown|listed|below|as\s+follows|in\s+(?:the\s+)?(?:attachment|exhibit|schedule|annex|appendix))|(?:time|hours)\s+(?:will|shall)\s+be\s+(?:billed|charged|invoiced)\s+at\s+(?:the\s+)?(?:\w+\s+)?rates|(?:on\s+the\s+basis\s+of|based\s+on|by\s+reference\s+to)\s+(?:the\s+)?time\s+(?:actually\s+)?(?:spent|worked|expended|incurred|recorded)|(?:hours|days|time)\s+actually\s+(?:worked|spent)"
                # Other drafting traditions' names for T&M: French "en régie", EU "quoted times and
                # means", AU "schedule of rates", Dutch "nacalculatie" (costing after the fact).
                r"|\br[ée]gie\b|\btimes?[\s-]+and[\s-]+means\b|schedule\s+of\s+rates\s+basis|\bnacalculatie\b|subsequent\s+calculation"
                # German "nach Aufwand vergütet / abgerechnet" (paid by effort), not travel "nach Aufwand erstattet"
                r"|\bnach\s+(?:tatsächlichem\s+)?Aufwand\s+(?:vergütet|abgerechnet|berechnet)|\b(?:Vergütung|Abrechnung)\s+nach\s+(?:tatsächlichem\s+)?Aufwand",
                0.9,
            ),
            (
                "fixed_fee",
                # "a fixed monthly fee" is a periodic fee (retainer-like), not a fixed price for the work.
                r"fixed[\s-]+(?:(?!(?:monthly|weekly|quarterly|hourly|daily|day|rate)\b)[a-z]+[\s-]+)?(?:fees?|price|charges?)\b"
                # "the fixed amount of $1,250,000.00", but not "a fixed sum of £900 for every week
                # the go-live is late" (damages) or "a fixed amount per month"
                r"|fixed\s+amount\b(?![^.;]{0,50}?\b(?:for\s+(?:every|each)|per|a\s+(?:day|week|month)|late|delay)\b)|firm[\s-]+fixed[\s-]+price|\bFFP\b|lump[\s-]+sum|flat[\s-]+(?:(?:project|engagement|total)\s+)?fee|\((?:fixed|fixed[\s-]+(?:fee|price))\)"
                # AIA "Stipulated Sum"; "The fees above are fixed."
                r"|stipulated\s+(?:sum|price)|\b(?:fees?|prices?|charges|amounts)\s+(?:\w+\s+){0,3}(?:is|are)\s+fixed\b(?!\s+(?:for|until|at|per)\b)"
                # "Contract Price: ZAR 3,750,000.00 (excluding VAT), fixed"
                r"|\b(?:price|fees?|sum)\b\s*:(?:(?!\.\s)[^;\n]){1,60}?,\s*fixed\s*$",
                0.85,
            ),
            (
                "milestone",
                r"milestone[\s-]+(?:basis|payments?|billing|based)|per\s+milestone|payment\s+milestones|payable\s+(?:up)?on\s+(?:the\s+)?(?:completion|achievement|acceptance)\s+of\s+(?:each|the\s+following)\s+milestones?",
                0.9,
            ),
            ("retainer", r"\bretainer(?:ship)?\b", 0.9),
            ("retainer", _RETAINER_WORDS, 0.9),
            # the vocabulary's words for a fixed price and for T&M in the other languages
            ("fixed_fee", _FIXED_WORDS, 0.8),
            ("time_and_materials", _TM_WORDS, 0.8),
        ]
        found: dict[str, list[Candidate]] = defaultdict(list)
        for unit in self.units:
            fee = self.in_fee_context(unit)
            for model, pattern, strength in cues:
                if model == "retainer" and _DEPOSIT_RETAINER.search(unit.text):
                    # A law firm's "advance retainer ... held in our trust account" is a deposit
                    # against invoices, not a periodic retainer fee.
                    continue
                for m in re.finditer(pattern, unit.text, re.I):
                    before = unit.text[: m.start()]
                    if _NEGATION.search(before[-40:]):
                        continue
                    if (
                        model == "time_and_materials"
                        and _EXPENSE_CUE.search(unit.text)
                        and not _RATE_UNIT.search(unit.text)
                        and not re.search(r"\brates?\b|hourly|daily|stunden|tages", unit.text, re.I)
                    ):
                        continue  # "Reisekosten werden … nach tatsächlichem Aufwand abgerechnet": expenses, not the fee
                    if model == "fixed_fee" and _PERIODIC_FEE.search(
                        unit.text[max(0, m.start() - 12) : m.end() + 30]
                    ):
                        # "a monthly flat fee of $22,000": a fee per period, not a price for the work.
                        continue
                    anchor = strength * (1.0 if fee else 0.7)
                    if _CHANGE_WORK.search(unit.text):
                        # "Changes will be charged on a T&M basis" prices extra work, not the SOW.
                        anchor *= 0.5
                    found[model].append(
                        Candidate(model, unit.start + m.start(), unit.start + m.end(), anchor)
                    )
        if found["fixed_fee"] and found["milestone"] and not found["time_and_materials"]:
            # "a fixed price of £186,000, payable in Milestone Payments": the price is fixed and
            # the milestones say when it is paid (invoice_frequency on_milestone says that).
            del found["milestone"]
        candidates = [c for items in found.values() for c in items]
        if not candidates:
            return self._implied_model(rates, milestones)
        if not found["mixed"] and found["fixed_fee"] and found["time_and_materials"]:
            fixed = max(c.anchor for c in found["fixed_fee"])
            tm = max(c.anchor for c in found["time_and_materials"])
            if min(fixed, tm) >= 0.8:
                # Both pricing bases stated in the fees section: a mixed engagement.
                first = min(found["fixed_fee"] + found["time_and_materials"], key=lambda c: c.start)
                return self.grounded(
                    "billing_model",
                    Candidate(
                        "mixed",
                        first.start,
                        first.end,
                        0.7,
                        note="both fixed-fee and time-and-materials pricing are stated",
                    ),
                    0.6,
                )
        first_by_model = {m: min(items, key=lambda c: c.start) for m, items in found.items() if items}
        # The first strong statement of a model usually states it; later ones refer back to it.
        ranked = sorted(
            first_by_model.values(),
            key=lambda c: (
                -(max(x.anchor for x in found[c.value]) + 0.05 * min(len(found[c.value]) - 1, 3)),
                c.start,
            ),
        )
        best = ranked[0]
        raw = max(x.anchor for x in found[best.value]) + 0.05 * min(len(found[best.value]) - 1, 3)
        if len(ranked) > 1:
            raw -= 0.2
        return self.grounded("billing_model", best, max(0.0, min(1.0, raw)))

    def _implied_model(
        self, rates: list[GroundedValue[Any]], milestones: list[GroundedValue[Any]]
    ) -> GroundedValue[Any] | None:
        """No pricing basis is named: a rate card implies T&M, paid milestones a milestone model."""
        if rates:
            basis, model, note = (
                rates[0],
                "time_and_materials",
                "implied by the rate card; no pricing basis is named",
            )
        elif milestones and any(
            m.value.amount is not None or m.value.percent is not None for m in milestones
        ):
            basis, model, note = (
                milestones[0],
                "milestone",
                "implied by the payment milestones; no pricing basis is named",
            )
        else:
            return None
        self.raw["billing_model"] = 0.55
        return GroundedValue[Any](
            value=model,
            confidence=self.calibrator.confidence("billing_model", 0.55),
            evidence=list(basis.evidence),
            note=note,
        )

    def total_fee(
        self, milestones: list[GroundedValue[Any]], *, model: str | None = None
    ) -> GroundedValue[Any] | None:
        anchors = [
            (
                r"(?:total|aggregate|overall)\s+(?:estimated\s+|project\s+|contract\s+|engagement\s+|tendered\s+|tender\s+|quoted\s+|PO\s+|order\s+|base\s+(?:year|period)\s+)?(?:fees?|price|cost|compensation|amount|value|budget|sum|consideration|charges|investment)(?:\s+(?:for|under|of)\s+[^.;]{0,40}?)?(?:\s*\([^()]{1,30}\))?(?:\s+(?:is|are|shall\s+be|will\s+be|of|amounts?\s+to|equals?|not\s+to\s+exceed))?(?:\s+estimated\s+(?:at|to\s+be))?\s*[:=]?\s*(?:approximately\s+|an\s+estimated\s+|up\s+to\s+)?$",
                1.0,
            ),
            (
                r"(?:for\s+a\s+total\s+of|in\s+the\s+total\s+(?:amount|sum)\s+of|totall?ing|in\s+total|a\s+total\s+of|total\s*[:=])\s*(?:approximately\s+)?$",
                1.0,
            ),
            (
                r"(?:fixed[\s-]+(?:(?:annual|total)\s+)?(?:fee|price|charge|amount)|lump[\s-]+sum|flat\s+fee|firm[\s-]+fixed[\s-]+price)(?:\s*\([^()]{1,30}\))?(?:\s+(?:for|of|under)\s+(?:the\s+|this\s+)?[^.;:$€£]{1,40}?(?=\s+(?:is|shall|will)\b))?(?:\s+(?:basis\s+)?(?:of|is|shall\s+be|will\s+be|amounting\s+to|in\s+the\s+amount\s+of))?\s*[:=]?\s*$",
                0.9,
            ),
            (
                r"(?:estimated\s+at|estimate\s+of|estimated\s+(?:to\s+be|fees?\s+(?:of|is|are))|budget\s+of|budgeted\s+at)\s*(?:approximately\s+)?$",
                0.85,
            ),
            (
                # "The estimated scope is 1 200 hours, i.e. approximately SEK 1 620 000"
                r"\bestimated\s+(?:scope|effort|volume|workload)\b[^;$€£]{0,60}?(?:\bi\.\s?e\.|\bthat\s+is\b|\bequivalent\s+to\b|\bcorresponding\s+to\b)\s*,?\s*(?:approximately|approx\.|about|around|roughly)?\s*$",
                0.8,
            ),
            (
                # "circa 160 uur in beslag nemen, ofwel ongeveer € 20.000": an effort, then its amount
                _EFFORT_THAT_IS,
                0.75,
            ),
            (
                # "we estimate our fees for this engagement at £90,000"; "Estimated value: C$194,700"
                r"estimate[sd]?\s+(?:our|the|its|your|total)\s+(?:total\s+|professional\s+)?(?:fees?|costs?|charges|price)\s+(?:for\s+[^.;$€£]{0,50}?\s+)?(?:at|to\s+be)\s*"
                + _ABOUT
                + r"$"
                # "We estimate that our fees for the work described above will be approximately £20,000"
                r"|estimate[sd]?\s+that\s+(?:our|the|your)\s+(?:total\s+|professional\s+)?(?:fees?|costs?|charges)\s+(?:for\s+[^.;$€£]{0,60}?\s+)?(?:will|would)\s+be\s*"
                + _ABOUT
                + r"$"
                r"|(?:^|\s)estimated\s+(?:total\s+)?(?:value|cost|fees?|price|budget|contract\s+value|amount)\s*[:=–—-]\s*$",
                0.85,
            ),
            (
                r"(?:estimated\s+)?(?:cost|fees?|price|budget|value|compensation)\s+(?:for|of|under)\s+(?:this|the)\s+(?:sow|statement\s+of\s+work|project|engagement|services|work\s+order|schedule)\s*(?:is|are|will\s+be|shall\s+be|amounts\s+to|:)?\s*(?:approximately\s+|estimated\s+at\s+)?$",
                0.85,
            ),
            (
                r"(?:^|\n|\s)(?:fixed\s+|professional\s+|project\s+|engagement\s+)?(?:fees?|price|contract\s+(?:value|price|sum)|project\s+(?:cost|budget))\s*[:=–—-]\s*$",
                0.7,
            ),
            (
                # A price label from the vocabulary ("Festpreis", "prix forfaitaire", "Tender Sum",
                # "wynagrodzenie ryczałtowe") and the verb between it and the amount.
                rf"\b{_TOTAL_LABEL}\b(?:\s*\([^()]{{1,30}}\))?[^.;$€£\d]{{0,40}}?(?:\b{_IS}|[:=])\s*$",
                0.85,
            ),
            (
                # "The fees (honorarios) for the services described in this proposal amount to €86.400"
                r"\b(?:fees?|price|cost|compensation|remuneration|consideration|honorari\w*)\b(?:\s*\([^()]{1,30}\))?[^.;:$€£\d]{0,60}?\b(?:amounts?\s+to|totals?|comes?\s+to|(?:is|are)\s+set\s+at)\s*$",
                0.85,
            ),
            (
                # "Remuneration: USD 650 per working day x 45 working days = USD 29,250"
                r"(?:x|×)\s*\d[\d,.]*\s*(?:working\s+|person[\s-]|man[\s-]|billable\s+)?(?:days?|hours?|weeks?|months?)\s*=\s*$",
                0.8,
            ),
            (
                r"(?:fees?|price|compensation|consideration|sum|amount|investment|charges)(?:\s+(?:payable|due|chargeable))?(?:\s+(?:for|of|under)\s+(?:the\s+|this\s+)?[^.;:$€£\d]{1,40}?)?\s+(?:of|is|are|shall\s+be|will\s+be)\s*[:=]?\s*$",
                0.55,
            ),
            (
                # "die Vergütung beträgt", "wynagrodzenie w kwocie": a plain price word, as weak as "fee of"
                rf"\b{_PRICE_WORD}\b(?:\s+[^.;:$€£\d]{{0,40}}?)?\s+{_IS}\s*$",
                0.5,
            ),
        ]
        exclusions = re.compile(
            r"expens|travel|insurance|liabilit|\blate\b|interest|per\s+(?:hour|day|week|month)|retainer(?:\s+fee)?\s+(?:of|is)\s*$|(?:monthly|weekly|quarterly)\s+(?:flat\s+|fixed\s+|service\s+|management\s+)?(?:fee|charge|payment|retainer)s?\s+(?:of|is)\s*$|penalt|damages|coverage|indemn|disburse",
            re.I,
        )
        candidates: list[Candidate] = []
        # A two-column terms table ("Item 1  Fee: $95,000 (GST exclusive)") reads as rows; only
        # its fee label, not any amount of a row, names the price.
        row_label = re.compile(
            r"(?:^|\s)(?:fixed\s+)?(?:fees?|price|contract\s+(?:value|price|sum)|lump\s+sum)\s*:\s*$", re.I
        )
        for unit in self.units:
            if not self.in_fee_context(unit) or _OTHER_ENGAGEMENT.search(unit.text):
                continue
            for money in self.money_in(unit):
                local = money.start - unit.start
                before = unit.text[max(0, local - 90) : local]
                if unit.is_row:
                    if row_label.search(before) and not re.search(
                        r"expens|travel|insurance|liabilit|GST|VAT", before, re.I
                    ):
                        candidates.append(Candidate(money.amount, money.start, money.end, 0.7))
                    continue
                after = unit.text[money.end - unit.start : money.end - unit.start + 25]
                if _RATE_UNIT.match(after) or re.match(
                    r"\s*(?:per|each|/)\s|\s*for\s+(?:every|each)\b", after
                ):
                    continue  # "£900 for every week the go-live is late" is no total
                if re.search(
                    r"(?:not\s+to\s+exceed|(?:shall|will|must|may|can|does|do)\s+not\s+exceed|cannot\s+exceed|capped\s+at|ceiling\s+of|cap\s+of|maximum\s+of)\s*$",
                    before,
                    re.I,
                ):
                    continue
                if _CAP_WORD_BEFORE.search(before):
                    continue  # "The maximum amount of this specific contract is EUR 249.600": a cap
                if self.budget_is_cap(unit, money) or _CAP_AFTER_RE.match(unit.text, money.end - unit.start):
                    continue
                if re.search(
                    r"\b(?:if|when|including|with)\s+(?:all\s+|the\s+)?options?\b", before[-60:], re.I
                ):
                    continue  # "Total Value if All Options are Exercised": options not yet awarded
                clause = re.split(r"[;:]", before)[-1] if ";" in before else before
                if clause.rsplit("\n", 1)[-1].strip():
                    # "Senior Developer: $980.00 per day\nTotal Estimated Cost: $50,000.00": the
                    # line above (its rate unit) is another clause
                    clause = clause.rsplit("\n", 1)[-1]
                if _PART_PAYMENT.search(clause[-60:]):
                    continue
                if exclusions.search(clause[-60:]) or (
                    exclusions.search(_EXCLUSIVE_OF.sub(" ", unit.text))
                    and not re.search(r"total|fixed", clause, re.I)
                ):
                    continue
                for pattern, strength in anchors:
                    if re.search(pattern, before, re.I):
                        candidates.append(Candidate(money.amount, money.start, money.end, strength))
                        break
        if model == "mixed":
            # One part's price ("the Discovery phase for a fixed fee of $60,000") is not the
            # engagement's; only an amount labelled as the total is.
            candidates = [c for c in candidates if c.anchor >= 1.0]
        candidates.extend(self._table_totals())
        candidates = self._without_tax_inclusive(candidates)
        chosen = self.choose("total_fee", candidates)
        if chosen is not None or not milestones:
            return chosen
        amounts = [m.value.amount for m in milestones]
        if amounts and all(a is not None for a in amounts):
            spans = [(e.page, e.start, e.end) for m in milestones for e in m.evidence]
            evidence = [self.document.evidence(p, s, e) for p, s, e in spans]
            self.raw["total_fee"] = 0.55
            return GroundedValue[Any](
                value=round(sum(amounts), 2),
                confidence=self.calibrator.confidence("total_fee", 0.55),
                evidence=evidence,
                note="the sum of the milestone amounts (no total is stated)",
            )
        return None

    def _without_tax_inclusive(self, candidates: list[Candidate]) -> list[Candidate]:
        """Drop a total that is another candidate plus a tax stated beside it ("Professional fees:
        $36,000.00 / HST (13%): $4,680.00 / Total: $40,680.00"): the fee is the pre-tax amount."""
        taxes = [
            money.amount
            for unit in self.units
            if _TAX_WORD_RE.search(unit.text)
            for money in self.money_in(unit)
            if _TAX_LINE.search(unit.text[max(0, money.start - unit.start - 40) : money.start - unit.start])
        ]
        if not taxes:
            return candidates
        values = {c.value for c in candidates}
        return [
            c
            for c in candidates
            if not any(
                abs(c.value - (other + tax)) < 0.01 for other in values if other != c.value for tax in taxes
            )
        ]

    def _table_totals(self) -> list[Candidate]:
        """The "Total" row of a fee or rate table ("| Total | | 1,440 | $287,200 |"): its
        last amount of money is the table's total (a cap only when the table says so)."""
        out: list[Candidate] = []
        for table in self.document.tables:
            if not table.header or not table.rows:
                continue
            header_text = " ".join(c.text for c in table.header)
            if not re.search(
                rf"rate|fee|price|cost|amount|extended|value|\$|€|£|\b{_PRICE_COLUMN}", header_text, re.I
            ):
                continue
            if re.search(
                r"expens|travel|insurance|liabilit", header_text + " " + self.heading_at(table), re.I
            ):
                continue
            last = table.rows[-1]
            if not re.fullmatch(
                r"\s*(?:estimated\s+)?(?:grand\s+)?total\b[^\d]{0,20}"
                rf"|\s*{_TOTAL_ROW}\b[^\d]{{0,20}}"
                # "Estimated cost of the TA (Applicable Taxes extra):" closes a task authorization's costing
                r"|\s*(?:total\s+)?estimated\s+(?:total\s+)?(?:cost|value|price|fees?)\b[^\d]{0,60}",
                last[0].text,
                re.I,
            ):
                continue
            if re.search(
                r"ceiling|\bcap\b|\bNTE\b|not[\s-]+to[\s-]+exceed|maximum",
                " ".join(c.text for c in last),
                re.I,
            ):
                continue  # "Total T&M Ceiling": the not_to_exceed, not a price
            offsets = self.document.page_offsets
            # "Professional fees (AUD)": the header names the currency of bare figures below it
            header_currency = any(re.search(rf"\b{c}\b", header_text) for c in ISO_CODES) or bool(
                _HEADER_SYMBOL.search(header_text)
            )
            for cell in reversed(last[1:]):
                money = [
                    m
                    for m in find_money(cell.text, dollar=self.dollar, rand=self.rand, krona=self.krona)
                    if m.currency
                ]
                base = offsets[cell.page - 1] + cell.start
                if money:
                    out.append(Candidate(money[-1].amount, base + money[-1].start, base + money[-1].end, 0.8))
                    break
                bare = re.fullmatch(r"\s*(\d{1,3}(?:[,.' ]\d{3})+(?:[.,]\d{2})?|\d{4,})\s*", cell.text)
                amount = parse_number(bare.group(1)) if bare and header_currency else None
                if bare and amount:
                    out.append(Candidate(amount, base + bare.start(1), base + bare.end(1), 0.75))
                    break
        return out

    def budget_is_cap(self, unit: Unit, money: Money) -> bool:
        """ "The budget for this engagement is $180,000. ... will not exceed the budget without an
        approved Change Order": a budget the text later says may not be exceeded is a cap."""
        before = unit.text[max(0, money.start - unit.start - 60) : money.start - unit.start]
        if not re.search(r"\bbudget\b[^.;$€£\d]{0,40}?(?:\bis|\bof|:)\s*$", before, re.I):
            return False
        later = self.text[money.end : money.end + 300]
        return bool(
            re.search(
                r"\b(?:not|never)\s+(?:to\s+)?(?:be\s+)?exceed(?:ed)?\s+(?:the|this|that)\s+budget\b|\bbudget\s+(?:is|shall\s+be|will\s+be)\s+(?:a\s+)?(?:cap|ceiling|not\s+to\s+be\s+exceeded)",
                later,
                re.I,
            )
        )

    def not_to_exceed(self) -> GroundedValue[Any] | None:
        anchor = re.compile(
            r"(?:not[\s-]+to[\s-]+exceed|shall\s+not\s+exceed|will\s+not\s+exceed|may\s+not\s+exceed|must\s+not\s+exceed|not\s+exceeding|\bNTE\b|capped\s+at|(?:fee|price|cost|budget)\s+cap\s*(?:of|:)|ceiling\s+(?:price\s+)?(?:for\s+[^.;:$€£]{0,40}?\s+)?(?:of|is)|ceiling(?:\s+price)?\s*:|\bceiling\s*$|(?:cost|fee|price|budget|spending|expenditure)\s+ceiling|cap\s+of|maximum\s+(?:fee|amount|price|total|contract\s+value|budget|value)?(?:\s+(?:payable|chargeable))?(?:\s+under\s+[^.;:$€£]{0,40})?(?:\s*\([^()]{1,30}\))?\s*(?:of|is|:)|up\s+to\s+a\s+maximum\s+of|limited\s+to|\bcap(?:ped)?\s+(?:our|the|its|their|your|total)?\s*(?:fees?|charges|costs|price)\b[^.;$€£\d]{0,50}?\bat|in\s+no\s+event\s+(?:will|shall)\s+[^.;]{0,60}?exceed"
            # a cap's label in the vocabulary ("Kostenobergrenze", "montant maximum", "takpris")
            rf"|\b{_CAP_LABEL}(?:\b|(?<=\s)))[^.;\d$€£]{{0,40}}?$",
            re.I,
        )
        exclusions = re.compile(
            r"expens|travel|out[\s-]of[\s-]pocket|disbursement|liabilit|insurance|damages|indemn|\blate\b|interest|penalt|retain|retention|holdback|hold\s+back|withh[eo]ld|other\s+direct\s+costs|\bODCs?\b"
            rf"|\b{alternation(LIABILITY_WORDS)}",
            re.I,
        )
        # In a line-item table the cap is the cell's own label: "T&M   Ceiling $1,250,000.00".
        row_anchor = re.compile(
            r"(?:ceiling(?:\s+price)?|\bNTE\b|not[\s-]+to[\s-]+exceed(?:\s+(?:amount|price|value|sum|total))?|\bcap(?:ped\s+at)?)\s*\)?\s*[:=]?\s*$"
            # "Maximum contract price (excluding GST):   $312,000.00" (not the same price with GST)
            r"|\bmaximum\s+(?:contract\s+|order\s+)?(?:price|value|amount|fees?|sum)(?:\s*\((?!incl|including|inclusive)[^()]{0,30}\))?\s*[:=]?\s*$"
            # a contract-details row that is a sentence: "Maximum Fees: The total Fees ... must not exceed $X"
            r"|\b(?:fees?|price|charges)\b[^$€£\d]{0,60}\b(?:shall|will|must|may)\s+not\s+exceed\s*$",
            re.I,
        )
        candidates: list[Candidate] = []
        # "A PO has been issued in the amount of $612,000. ... will not bill hours that would cause
        # billing to exceed the PO amount": a cap that names the amount stated just before it.
        refers = re.compile(
            r"\b(?:exceed|overrun|go\s+over)\w*\s+the\s+(?P<what>po|purchase\s+order|order|contract|funded|authori[sz]ed)\s+(?:amount|value|price|sum|total|ceiling)\b",
            re.I,
        )
        for index, unit in enumerate(self.units):
            named = refers.search(unit.text)
            if named and not self.money_in(unit) and index:
                what = named.group("what").split()[0]
                for previous in self.units[max(0, index - 2) : index]:
                    stated = [
                        m
                        for m in self.money_in(previous)
                        if re.search(
                            rf"\b{what}\b[^.;$€£]{{0,60}}\b(?:amount|value|price|sum|total)\s+of\s*$",
                            previous.text[: m.start - previous.start],
                            re.I,
                        )
                    ]
                    if len(stated) == 1:
                        candidates.append(Candidate(stated[0].amount, stated[0].start, stated[0].end, 0.85))
        for unit in self.units:
            for money in self.money_in(unit):
                local = money.start - unit.start
                before = unit.text[max(0, local - 120) : local]
                if unit.is_row:
                    if row_anchor.search(before[-90:]) and not exclusions.search(unit.text):
                        candidates.append(Candidate(money.amount, money.start, money.end, 0.9))
                    continue
                # "... is USD 1,320,000 and may not be exceeded without a Change Order": the cap
                # is said after the amount.
                cap_after = _CAP_SAID_AFTER.match(unit.text, money.end - unit.start)
                if self.budget_is_cap(unit, money) or re.search(
                    r"\b(?:capped|limited)\s+(?:at|to)\s+\d{1,4}\s+(?:days|hours|weeks)\s*\(\s*$",
                    before,
                    re.I,
                ):
                    # "capped at 60 days (NZ$81,000 plus GST)": the amount restates a cap in days
                    candidates.append(Candidate(money.amount, money.start, money.end, 0.85))
                    continue
                if re.search(
                    r"\blimitation\s+of\s+(?:expenditure|expenditures|cost|price)\b[^$€£\d]{0,120}?\bexceed\w*\s*$",
                    before,
                    re.I,
                ):
                    # Canadian federal "Limitation of Expenditure: the Contractor's liability to
                    # Canada ... must not exceed $250,000": the contract's cap, worded as a liability.
                    candidates.append(Candidate(money.amount, money.start, money.end, 0.9))
                    continue
                if not anchor.search(before) and not cap_after:
                    continue
                if (
                    exclusions.search(before[-80:])
                    or (
                        exclusions.search(unit.text)
                        and not re.search(r"\bfees?\b|charges|price|budget", unit.text, re.I)
                    )
                    # under a "Travel Expenses" heading the cap is the expenses' own
                    or (
                        exclusions.search(unit.heading)
                        and not re.search(
                            r"fee|price|compensation|payment|budget|total|contract", unit.heading, re.I
                        )
                    )
                ):
                    continue
                after = unit.text[money.end - unit.start : money.end - unit.start + 20]
                if _RATE_UNIT.match(after):
                    continue
                strength = (
                    1.0 if re.search(r"fee|charge|price|total|budget|amount|cost", unit.text, re.I) else 0.75
                )
                # "in any fiscal year shall not exceed $150,000, and for the entire term ... $450,000":
                # a cap per period is not the SOW's cap when a cap for the whole term is stated.
                clause = re.split(r"[;,]\s*(?:and|but)\b|;", before)[-1]
                if re.search(
                    r"\b(?:in\s+any|per|each|a|every)\s+(?:fiscal\s+|financial\s+|contract\s+|calendar\s+)?(?:year|month|quarter|week)\b|\bannual(?:ly)?\b|\bmonthly\b",
                    clause + unit.text[money.end - unit.start : money.end - unit.start + 30],
                    re.I,
                ):
                    strength *= 0.6
                elif re.search(
                    r"\b(?i:phase|stage|milestone|work\s+package|task|deliverable)\s+(?:\d{1,2}|[A-Z]|[IVX]{1,4})\b",
                    clause,
                ):
                    strength *= 0.6  # "fees for Phase 1 shall not exceed $40,000": one part's cap
                    self.part_caps.add(money.start)
                elif re.search(
                    r"\b(?:extension\s+period|if\s+the\s+\w+\s+exercises|(?:exercises?|exercised)\s+(?:the\s+|an?\s+|its\s+)?option(?:al)?)\b",
                    clause,
                    re.I,
                ):
                    continue  # "If the Buyer exercises the optional extension, … a further £120,000": not awarded
                elif re.search(r"\boption(?:al)?\b", clause.rsplit("\n", 1)[-1], re.I):
                    strength *= 0.6  # "CLIN 1001 Option Period 1 ... Ceiling $260,000": not yet awarded
                elif re.search(
                    r"\b(?:entire|whole|full|total|life\s+of)\b[^.;]{0,30}\bterm\b|^\s*(?:the\s+)?(?:total|aggregate|overall)\b",
                    clause,
                    re.I,
                ):
                    strength = min(1.0, strength + 0.05)
                candidates.append(Candidate(money.amount, money.start, money.end, strength))
        return self.choose("not_to_exceed", candidates)

    def payment_terms(self) -> tuple[GroundedValue[Any] | None, GroundedValue[Any] | None]:
        candidates: list[Candidate] = []
        conditional: list[Candidate] = []
        skip = re.compile(
            r"\blate\b|interest|terminat|notice|cure|warrant|accept|dispute|deliver|perform|complete|respond|audit|retain(?!er)|records",
            re.I,
        )
        for unit in self.units:
            text = unit.text
            pay_context = _PAY_CONTEXT.search(text)
            if not pay_context and not re.search(r"payment", unit.heading):
                continue
            conditional_spans = find_pay_when_paid(text)
            for s, e in conditional_spans:
                conditional.append(Candidate(True, unit.start + s, unit.start + e, 0.95))
            if conditional_spans:
                # The days run from the client's own receipt of funds, not from the invoice.
                continue
            for term in find_payment_terms(text):
                from_acceptance = not term.strong and re.match(
                    r"\s*(?:of|after|from|following)\s+(?:the\s+)?(?:\w+['’]s\s+)?(?:written\s+|formal\s+|final\s+)?acceptance\b",
                    text[term.end :],
                    re.I,
                )
                if from_acceptance and re.search(
                    r"\bpayments?\b|\bpayable\b|\bpaid\b", text[max(0, term.start - 60) : term.start], re.I
                ):
                    # "Each milestone payment is due within 30 days of Client's written acceptance":
                    # billed on acceptance, so the days run from the invoice in effect.
                    candidates.append(
                        Candidate(
                            term.days,
                            unit.start + term.start,
                            unit.start + term.end + from_acceptance.end(),
                            0.6,
                            note="counted from acceptance (the milestone's billing event), not from the invoice",
                        )
                    )
                    continue
                # Only the term's own clause counts: "payable within 30 days; overdue accounts
                # bear interest" is a payment term followed by a separate late-payment clause.
                clause_start = text.rfind(";", 0, term.start) + 1
                clause_end = text.find(";", term.end)
                clause = text[clause_start : clause_end if clause_end >= 0 else len(text)]
                if not term.strong and skip.search(clause):
                    continue
                anchor = 1.0 if term.strong else 0.6
                if re.search(r"late|overdue|past[\s-]+due", text[: term.start], re.I) and not term.strong:
                    continue
                note = None
                if term.eom:
                    note = "end-of-month terms: the stated days are reported; the month end moves the due date later (about 15 days on average)"
                elif term.business_days:
                    note = "business days, reported as stated (not converted to calendar days)"
                candidates.append(
                    Candidate(term.days, unit.start + term.start, unit.start + term.end, anchor, note=note)
                )
        return self.choose("payment_terms_days", candidates), self.choose("pay_when_paid", conditional)

    def invoice_frequency(self) -> GroundedValue[Any] | None:
        cues = [
            (
                "biweekly",
                r"bi-?weekly|(?:every|each)\s+(?:two|2|other|second)\s+weeks?|fortnightly|every\s+fortnight"
                # "issued every other Friday": a weekday every second week
                r"|every\s+(?:other|second|alternate)\s+(?:mon|tues|wednes|thurs|fri|satur|sun)day|every\s+(?:fourteen|14)\s+days"
                rf"|\b{_BIWEEKLY}\b",
            ),
            (
                "semimonthly",
                r"semi-?monthly|twice\s+(?:a\s+|per\s+|each\s+)?month(?:ly)?|twice\s+monthly|on\s+the\s+15th\s+and\s+(?:the\s+)?last\s+day",
            ),
            (
                "quarterly",
                r"quarterly|each\s+(?:calendar\s+)?quarter|every\s+(?:three|3)\s+months|every\s+quarter",
            ),
            ("weekly", r"(?<!bi-)(?<!bi)weekly|each\s+week|every\s+week|per\s+week"),
            (
                "on_milestone",
                r"(?:up)?on\s+(?:the\s+)?(?:completion|achievement|acceptance)\s+of\s+(?:each|a|the\s+relevant|every)\s+(?:milestone|stage|phase|deliverable)|each\s+(?:milestone|stage|phase|deliverable|instal(?:l)?ment)\s+(?:will\s+be|shall\s+be|is|are)\s+(?:invoiced|billed|payable)\s+(?:up)?on\s+(?:its\s+)?(?:completion|acceptance|delivery|achievement)|per\s+milestone|as\s+each\s+milestone|on\s+a\s+milestone\s+basis|milestone\s+(?:is\s+)?(?:completed|achieved|accepted)",
            ),
            (
                "upfront",
                r"in\s+advance|up-?front|prior\s+to\s+(?:the\s+)?commencement|before\s+(?:the\s+)?(?:work|services)\s+(?:begins?|commences?)|upon\s+(?:signing|execution)|on\s+signature",
            ),
            (
                "on_completion",
                r"(?:up)?on\s+(?:the\s+)?(?:final\s+)?(?:completion|acceptance)\s+of\s+(?:the\s+)?(?:services|project|engagement|work|deliverables)|at\s+the\s+end\s+of\s+the\s+(?:engagement|project)|upon\s+final\s+acceptance|on\s+completion\b",
            ),
            (
                "monthly",
                r"monthly|(?:each|every)\s+(?:calendar\s+)?month|per\s+month|month\s+in\s+arrears|end\s+of\s+each\s+month|\bone\s+calendar\s+month\b|\b(?:at|each)\s+month[\s-]end\b|\b(?:monatlich|mensuel(?:le|lement)?|maandelijks|mensil(?:e|mente)|m[åa]nedlig|månatlig|m[åa]natligen|m[åa]nadsvis|mensualmente|mensual|mensal(?:mente)?|miesi[eę]cznie)\b"
                rf"|\b{_MONTHLY}\b",
            ),
        ]
        # Construction and law-firm billing: "payment claims", "valuations", "monthly statements".
        verb = re.compile(
            r"invoic|\bpayable\b|\bbill(?:s|ed|ings?)?\b|submit\s+(?:an?\s+)?(?:invoice|statement)|\b(?:interim|progress)\s+payments?\b|\b(?:fa[ck]tur|fattur|rechnung|abrechnung|abgerechnet)"
            r"|\b(?:payment|progress)\s+claims?\b|\bclaims?\s+for\s+payment\b|\bvaluations?\b|\bapplications?\s+for\s+payment\b"
            r"|\b(?:send|issue|render|submit)\w*\s+(?:\w+\s+){0,3}statements?\b(?!\s+of\s+work)|\b(?:weekly|monthly|quarterly)\s+statements?\b(?!\s+of\s+work)"
            r"|\bpayments?\b[^.;]{0,40}\b(?:shall|will)\s+be\s+made\b"
            # "Accounts are rendered monthly", "statements are sent monthly", "Payment profile:
            # monthly in arrears": periodic billing named without the word invoice.
            r"|\baccounts?\s+(?:are|will\s+be)\s+rendered\b|\bstatements?\s+(?:are|will\s+be)\s+(?:sent|issued|rendered)\b"
            r"|\bpayment\s+profile\b|\bpayment\s*:\s*(?=\w+\s+in\s+arrears\b)"
            # Canadian federal "Method of payment: monthly payment for days worked"
            r"|\bmethod\s+of\s+payment\b|\b(?:weekly|monthly|quarterly)\s+payments?\b",
            re.I,
        )
        candidates: list[Candidate] = []
        for unit in self.units:
            if unit.is_row and not re.search(r"\b(?:payment|invoic\w*|billing)\s*:", unit.text, re.I):
                continue  # a terms table's "Payment: monthly in arrears" row still says how it is billed
            shares = self.inline_schedule(unit)
            if shares:
                # "on signature" inside "30% on signature, 40% on delivery" is one event of a schedule.
                candidates.append(
                    Candidate(
                        "on_milestone", unit.start + shares[0].start(), unit.start + shares[-1].end(), 1.0
                    )
                )
                continue
            verbs = list(verb.finditer(unit.text))
            if not verbs:
                continue
            if re.search(
                r"\blate\b|interest|dispute|past[\s-]+due|overdue|finance\s+charge", unit.text, re.I
            ) and not re.search(
                r"shall\s+invoice|will\s+invoice|(?:invoices?|accounts?)\s+(?:are|will\s+be|shall\s+be)\s+(?:issued|submitted|sent|rendered)",
                unit.text,
                re.I,
            ):
                continue

            def periodic(text: str = unit.text) -> bool:
                return any(
                    re.search(pattern, text, re.I)
                    for value, pattern in cues
                    if value in ("weekly", "biweekly", "semimonthly", "monthly", "quarterly")
                )

            taken: list[tuple[int, int]] = []
            for value, pattern in cues:
                for m in re.finditer(pattern, unit.text, re.I):
                    if any(s <= m.start() and m.end() <= e for s, e in taken):
                        continue  # "monthly" inside "twice monthly" / "semi-monthly"
                    if value == "upfront" and re.fullmatch(r"in\s+advance", m.group(0), re.I) and periodic():
                        # "invoiced monthly in advance": each period is billed at its start.
                        continue
                    if (
                        value == "monthly"
                        and re.search(
                            r"retainer|fee|rate", unit.text[max(0, m.start() - 3) : m.end() + 12], re.I
                        )
                        and not re.search(
                            r"invoice\w*\s+monthly|monthly\s+invoice|bill\w*\s+monthly", unit.text, re.I
                        )
                    ):
                        continue
                    distance = min(abs(m.start() - v.start()) for v in verbs)
                    anchor = 1.0 if distance <= 40 else 0.75
                    candidates.append(Candidate(value, unit.start + m.start(), unit.start + m.end(), anchor))
                    taken.append((m.start(), m.end()))
                    break
        return self.choose("invoice_frequency", candidates)

    def term_dates(self, day_first: bool) -> tuple[GroundedValue[Any] | None, GroundedValue[Any] | None]:
        starts: list[Candidate] = []
        ends: list[Candidate] = []
        term_cue = re.compile(
            r"commenc|\bbegin|\bstart|effect|into\s+force|period\s+of\s+performance|contract\s+period|base\s+year|kick[\s-]off|\blaunch|\bterm\b|perform|\bfrom\b|until|through|expir|\bend|complet\w*\s+date|time\s+for\s+completion|notice\s+to\s+proceed"
            rf"|\b{_TERM_LABEL_WORD}\b|\b{_RANGE_FROM}\b"
            rf"|(?:^|\s)(?:{alternation(TERM_START_WORDS)}|{alternation(TERM_END_WORDS)})",
            re.I,
        )
        for unit in self.units:
            if self._labelled_term_dates(unit, day_first, starts, ends) and unit.is_row:
                continue
            # "Item 9  Date for Completion" over "30 June 2028": a form's label heads a bare date.
            label_kind = _DATE_LABEL_HEADING.search(unit.heading)
            if label_kind and not unit.is_row:
                only = find_dates(unit.text, day_first=day_first)
                if len(only) == 1 and not unit.text.replace(unit.text[only[0].start : only[0].end], "").strip(
                    " .,"
                ):
                    found = Candidate(
                        only[0].value, unit.start + only[0].start, unit.start + only[0].end, 0.85
                    )
                    (ends if label_kind.group("end") else starts).append(found)
                    continue
            if (
                not term_cue.search(unit.text)
                and "term" not in unit.heading
                and not re.search(rf"\b{_TERM_LABEL_WORD}\b", unit.heading, re.I)
            ):
                continue
            # "Item 5   Contract Period: The Services must be performed from ...": a contract-details
            # row that names the term is read like a sentence; other rows date deliverables.
            first_date = find_dates(unit.text, day_first=day_first)[:1]
            if (
                unit.is_row
                and not re.search(
                    r"\b(?:contract|engagement|order|call[\s-]?off)\s+(?:period|term)\s*:", unit.text, re.I
                )
                # "Base Period:      March 1, 2027 through February 29, 2028" (not "Option Period 1:")
                and not (first_date and _TERM_LABEL_BEFORE.search("\n" + unit.text[: first_date[0].start]))
            ):
                continue
            # "dated" labels the date right after it (usually the MSA's), not the sentence.
            signing = re.search(r"\b(?:signature|signed|witness|executed)\b", unit.text, re.I)
            # A sentence that only names signing as the start ("effective as of the last date of
            # signature ... until 31 December 2027") still states its end date.
            if signing and not re.search(
                # "six months from the last signature, estimated to run from May 1, 2027 to October 31, 2027"
                r"(?:until|through|to|expir\w*\s+on|end\w*\s+on|terminat\w*\s+on)\s+(?:\w+\s+)?\d",
                unit.text[signing.end() :],
                re.I,
            ):
                continue
            text = unit.text
            dates = find_dates(text, day_first=day_first)
            for i, d in enumerate(dates):
                # "beginning Monday, March 1, 2027", "eindigt uiterlijk op": a weekday or an "at the
                # latest" between the verb and its date says nothing of which end it is.
                before = _BEFORE_WEEKDAY.sub(
                    "", _LATEST.sub(" ", text[max(0, d.start - 70) : d.start])
                ).lower()
                between_next = (
                    _BEFORE_WEEKDAY.sub("", _LATEST.sub(" ", text[d.end : dates[i + 1].start]))
                    if i + 1 < len(dates)
                    else ""
                )
                s, e = unit.start + d.start, unit.start + d.end
                if re.search(r"\bdated\s*(?:as\s+of\s+)?(?:the\s+)?$", before):
                    continue
                if re.search(
                    r"(?:with\s+effect|effective)\s+(?:from|as\s+of|on)\s*(?:the\s+)?$", before
                ) and _AMENDS_PRICE.search(text):
                    continue  # "With effect from 1 January 2028, paragraph 3.1 ... is replaced": dates a change, not the term
                # "Term: 1 July 2027 to 30 June 2028"; under a run-in "Term." heading, a bare range.
                term_label = _TERM_LABEL_BEFORE.search(
                    before if before.strip() else "\n" + unit.heading + ":"
                ) and (
                    before.strip()
                    or re.fullmatch(
                        r"(?:\d[\d.]*\s+)?(?:the\s+)?(?:term|period|duration)(?:\s+of\s+\w+)?", unit.heading
                    )
                )
                if term_label and i + 1 < len(dates) and _RANGE_BETWEEN.fullmatch(between_next):
                    starts.append(Candidate(d.value, s, e, 0.85))
                    nxt = dates[i + 1]
                    ends.append(Candidate(nxt.value, unit.start + nxt.start, unit.start + nxt.end, 0.85))
                    continue
                tail = before[-20:]
                range_to = (
                    next((to for start_word, to in _TERM_RANGES if start_word.search(tail)), None)
                    if _RANGE_FROM_END.search(tail)
                    else None
                )
                if range_to is not None and i + 1 < len(dates) and range_to.fullmatch(between_next):
                    # "vom 01.03.2027 bis 31.08.2027", "du 1er mars 2027 au 31 août 2027", "od … do …"
                    starts.append(Candidate(d.value, s, e, 0.85))
                    nxt = dates[i + 1]
                    ends.append(Candidate(nxt.value, unit.start + nxt.start, unit.start + nxt.end, 0.85))
                    continue
                if (
                    re.search(
                        r"(?:commenc\w*|begin\w*|start\w*|effective|takes?\s+effect|comes?\s+into\s+(?:force|effect))(?:\s+(?:on\s+or\s+(?:about|around)|as\s+of|on|from|date|with\s+effect\s+from))?\s*(?:is|:|shall\s+be|will\s+be)?\s*(?:the\s+)?$|with\s+effect\s+from\s*(?:the\s+)?$|(?:start|commencement)\s+date\W*$|from\s*$|period\s+of\s+performance\W*(?:(?:base|initial)\s+(?:period|term|year)\W*)?(?:(?:is|shall\s+be|will\s+be|runs|extends)\s+(?:from\s+)?)?$|beginning\s*(?:on)?\s*$"
                        # "The Supplier shall start the Services on 12 January 2026"
                        r"|(?:start|commence|begin)\s+(?:the\s+|its\s+|their\s+|our\s+)?(?:[\w-]+\s+)?(?:services|work|engagement|project|assignment|field\s?work|audit|implementation|mobili[sz]ation)\s+(?:on\s+or\s+(?:about|around)|on|from)\s*$"
                        # "we'll kick off on March 6, 2028"
                        r"|\bkick(?:s|ing)?[\s-]off\s+(?:on|from)\s*$"
                        # "Notice to proceed is anticipated on or about July 6, 2027"; "work is expected to start on"
                        r"|(?:notice\s+to\s+proceed|commencement|start)\s*,?\s+(?:is\s+)?(?:anticipated|expected|scheduled|planned|estimated)\s+(?:for\s+|on\s+|to\s+be\s+)?(?:or\s+about\s+)?$"
                        r"|(?:anticipated|expected|scheduled|planned)\s+to\s+(?:start|commence|begin)\s+(?:on\s+)?(?:or\s+about\s+)?$",
                        before,
                    )
                    or _TERM_START_RE.search(before[-50:])
                    or _BEGINS_ON_DATE_OF.search(before[-70:])
                ):
                    anchor = 0.95 if not re.search(r"effective", before[-25:]) else 0.7
                    if re.search(r"agreement|msa|master", before[-40:]) and "statement of work" not in before:
                        anchor = 0.5
                    starts.append(Candidate(d.value, s, e, anchor))
                    if i + 1 < len(dates) and _START_THEN_END.fullmatch(between_next):
                        nxt = dates[i + 1]
                        ends.append(Candidate(nxt.value, unit.start + nxt.start, unit.start + nxt.end, 0.95))
                    elif i + 1 < len(dates) and _AND_THEN_ENDS.fullmatch(between_next):
                        nxt = dates[i + 1]
                        ends.append(Candidate(nxt.value, unit.start + nxt.start, unit.start + nxt.end, 0.9))
                elif re.search(
                    r"(?:end\w*|terminat\w*|expir\w*|until|through|complet\w*|conclud\w*|finish\w*)(?:\s+(?:on|date|by))?\s*(?:is|:|shall\s+be|will\s+be)?\s*(?:the\s+)?$|(?:end|expiry|expiration|completion|finish)\s+date\W*$"
                    # "The completion date for the whole of the services is", "The Time for Completion of the Services is"
                    r"|(?:(?:completion|end|expiry|termination)\s+date|time\s+for\s+completion)(?:\s+(?:for|of)\s+[^.;:]{0,40}?)?\s+(?:is|shall\s+be|will\s+be)\s*$"
                    # "... and complete them by 30 September 2026"
                    r"|\b(?:complete|finish|conclude)\s+(?:them|it|the\s+services|the\s+work|the\s+project|the\s+engagement)\s+(?:on|by)\s*$"
                    # "... and launch on June 16, 2028": a project that ends when it goes live
                    r"|\b(?:launch|go[\s-]live)\s+on\s*$",
                    before,
                ) or _TERM_END_RE.search(before[-50:]):
                    # "for the financial year ending 31st March, 2028": an audit's year, not the term;
                    # "substantial completion date for construction is": the building's, not the services'.
                    if re.search(
                        r"deliver|milestone|invoice|payment|due|(?:financial|fiscal)\s+year|year\s+end",
                        before[-50:],
                    ) or re.search(r"substantial\s+completion|(?:for|of)\s+(?:the\s+)?construction", before):
                        continue
                    ends.append(Candidate(d.value, s, e, 0.9))
            # "for a period of six (6) months from <start>" -> computed end date.
            for period in PERIOD_RE.finditer(text):
                count = parse_period(period)
                unit_word = period.group("unit").lower()
                # "The term of this engagement is twelve months commencing April 1, 2027",
                # "für die Dauer von 6 Monaten ab", "pour une durée de 18 mois à compter du"
                if (
                    not count
                    or period_kind(unit_word) == "day"
                    or not _PERIOD_LEAD.search(text[max(0, period.start() - 45) : period.start()])
                ):
                    continue
                following = [d for d in dates if 0 <= d.start - period.end() <= 40]
                anchor_start = following[0] if following else None
                base = anchor_start.value if anchor_start else None
                if base is None and starts:
                    base = max(starts, key=lambda c: c.anchor).value
                if base is None:
                    continue
                end_value = period_end(base, count, unit_word)
                extra = (
                    []
                    if anchor_start is None
                    else [(unit.start + anchor_start.start, unit.start + anchor_start.end)]
                )
                if anchor_start is not None and not any(c.value == anchor_start.value for c in starts):
                    starts.append(
                        Candidate(
                            anchor_start.value,
                            unit.start + anchor_start.start,
                            unit.start + anchor_start.end,
                            0.8,
                        )
                    )
                ends.append(
                    Candidate(
                        end_value,
                        unit.start + period.start(),
                        unit.start + period.end(),
                        0.7,
                        note=f"computed: {count} {unit_word} from {base.isoformat()}",
                        extra_spans=extra,
                    )
                )
        start = self.choose("start_date", starts)
        if start is not None:
            # "... which ends on 30 June 2027" of the SOW this one follows: an end before the start
            # dates something else.
            ends = [c for c in ends if c.value > start.value] or ends
        return start, self.choose("end_date", ends)

    def _labelled_term_dates(
        self, unit: Unit, day_first: bool, starts: list[Candidate], ends: list[Candidate]
    ) -> bool:
        """Dates under a start or end label of a cover block or details schedule; True if any."""
        found = False
        text = unit.text
        for d in find_dates(text, day_first=day_first):
            line_start = text.rfind("\n", 0, d.start) + 1
            label = _TERM_DATE_LABEL.match(text[line_start : d.start])
            if not label or _OTHER_DATE_QUALIFIER.search(label.group("qual")):
                continue
            line_end = text.find("\n", d.end)
            # "Completion:    30 July 2027 (draft report 2 July 2027)" is the end; "Completion  30/06/2027
            # 38,640" is a schedule row that dates a payment.
            rest = re.sub(r"\([^()]*\)", "", text[d.end : line_end if line_end >= 0 else len(text)])
            if re.search(r"\d{2,}", rest):
                continue
            span = (unit.start + d.start, unit.start + d.end)
            if label.group("start"):
                effective = re.search(r"effective", label.group("start"), re.I)
                starts.append(Candidate(d.value, *span, 0.75 if effective else 0.9))
            else:
                ends.append(Candidate(d.value, *span, 0.9))
            found = True
        return found

    def late_fee(self) -> GroundedValue[Any] | None:
        candidates: list[Candidate] = []
        for unit in self.units:
            text = unit.text
            if not (
                re.search(
                    r"\blate\b|overdue|past[\s-]+due|interest|unpaid|outstanding|delinquent|not\s+paid\s+when\s+due",
                    text,
                    re.I,
                )
                or _LATE_CUE.search(text)
            ):
                continue
            for m in _PERCENT.finditer(text):
                after = text[m.end() : m.end() + 50]
                before = text[max(0, m.start() - 60) : m.start()]
                if re.match(
                    r"[^.;]{0,20}?\b(?:above|over|plus)\s+(?:the\s+)?(?:\w+\s+){0,4}(?:base|prime|reference|bank|statutory)",
                    after,
                    re.I,
                ):
                    continue
                if re.search(r"retain|withh|discount|increase|escalat", before, re.I):
                    continue
                value = parse_number(m.group("num"))
                if value is None or value <= 0 or value > 60:
                    continue
                # "A service charge of 1% per month will be added to balances more than 30 days
                # past due": the late cue may close a long sentence.
                near = text[max(0, m.start() - 100) : m.end() + 90]
                if not _LATE_CUE.search(near):
                    continue
                s = unit.start + m.start()
                period = _LATE_PERIOD.match(after)
                end = unit.start + m.end() + (period.end() if period else 0)
                if period and _YEAR_WORDS.search(period.group(1)):
                    candidates.append(
                        Candidate(
                            round(value / 12, 4),
                            s,
                            end,
                            0.9,
                            note=f"converted from {value:g}% per annum (÷ 12)",
                        )
                    )
                elif period and _MONTH_WORDS.search(period.group(1)):
                    candidates.append(Candidate(value, s, end, 1.0))
                elif _YEAR_WORDS.search(before):
                    candidates.append(
                        Candidate(
                            round(value / 12, 4),
                            s,
                            end,
                            0.75,
                            note=f"converted from {value:g}% per annum (÷ 12)",
                        )
                    )
                elif re.search(
                    r"interest|late\s+(?:payment\s+)?(?:fee|charge)|finance\s+charge", before, re.I
                ) and not re.match(r"\W{0,3}of\s+(?:the|all|any|such|each)\b", after, re.I):
                    candidates.append(
                        Candidate(value, s, end, 0.6, note="no period stated; read as per month")
                    )
        return self.choose("late_fee_percent_per_month", candidates)

    def retainage(self) -> GroundedValue[Any] | None:
        cue = _RETENTION_CUE
        # A holdback is money kept back from invoices/payments until acceptance or completion.
        context = re.compile(
            r"invoice|payment|fee|amount|until|pending|acceptance|completion|claim|valuation|certif|contract\s+(?:sum|price)",
            re.I,
        )
        candidates: list[Candidate] = []
        for unit in self.units:
            text = unit.text
            # "Item 8  Retention" over "5% of each progress payment": the cue may be the heading
            headed = bool(cue.search(unit.heading)) and not cue.search(text)
            if not (cue.search(text) or headed) or re.search(
                r"withholding\s+tax|tax(?:es)?\s+withh", text, re.I
            ):
                continue
            if not context.search(text):
                continue
            for m in _PERCENT.finditer(text):
                value = parse_number(m.group("num"))
                if value is None or not 0 < value <= 50:
                    continue
                near = text[max(0, m.start() - 80) : m.end() + 80]
                if not cue.search(near) and not headed:
                    continue
                strong = _RETENTION_WORD.search(near) or re.search(
                    r"until\s+(?:final\s+)?(?:acceptance|completion)", near, re.I
                )
                candidates.append(
                    Candidate(value, unit.start + m.start(), unit.start + m.end(), 1.0 if strong else 0.6)
                )
        return self.choose("retainage_percent", candidates)

    def expenses(self) -> tuple[GroundedValue[Any] | None, GroundedValue[Any] | None]:
        flags: list[Candidate] = []
        caps: list[Candidate] = []
        no_pattern = re.compile(
            r"no\s+(?:travel\s+|out[\s-]of[\s-]pocket\s+)?expenses\s+(?:are|will\s+be|shall\s+be)\s+(?:reimbursable|reimbursed|billable|charged|payable)|(?:expenses|travel)\s+(?:are|is|will\s+be|shall\s+be)\s+(?:(?:otherwise|also|therefore|generally)\s+)?(?:not\s+(?:be\s+)?(?:reimbursable|reimbursed|billable|charged|chargeable|payable|recoverable)|included|inclusive|the\s+responsibility\s+of)|(?:fees?|prices?|rates?|charges?)\b[^.;]{0,30}?\b(?:include|includes|are\s+inclusive\s+of|is\s+inclusive\s+of|covers?)\s+all\s+(?:[\w,\s-]{0,80}?\b(?:expenses|disbursements|travel)\b)|(?:shall|will)\s+bear\s+(?:all\s+)?(?:of\s+)?its\s+own\s+(?:[\w\s]{0,40}?)(?:costs|expenses)|(?:shall|will)\s+be\s+borne\s+by\s+the\s+(?:contractor|consultant|supplier|vendor|service\s+provider|agency|firm)|(?:not|no)\s+(?:be\s+)?(?:entitled\s+to\s+)?reimburse\w*|without\s+reimbursement"
            # a details table's answer: "Reimbursable expenses: Nil.", "Travel and living expenses: not authorized"
            r"|(?:expenses|disbursements|travel)\b[^.;:]{0,40}:\s*(?:nil|none|n/a|not\s+(?:authori[sz]ed|permitted|payable|applicable|reimbursable))\b"
            # "Reisekosten sind im Festpreis enthalten", "frais de déplacement inclus dans le prix"
            rf"|\b{_EXPENSE_WORD}[^.;]{{0,40}}?\b{alternation(EXPENSES_INCLUDED)}"
            # "… is €184,500 excluding VAT, inclusive of all expenses"
            r"|\binclusive\s+of\s+all\s+(?:[\w,\s-]{0,40}?)?(?:expenses|disbursements|travel)\b",
            re.I,
        )
        yes_pattern = re.compile(
            r"(?:reimburs(?:able|ed|e)|billed|charged|re-?charged|invoiced|passed\s+through|erstattet|rembours[ée]s?|vergoed|rimborsat[ei])(?:\s+(?:at\s+(?:actual\s+)?cost|at\s+cost|without\s+mark-?up|monthly|in\s+arrears))?|reimbursement\s+of\s+(?:reasonable\s+)?(?:\w+\s+){0,3}expenses"
            rf"|\b{alternation(EXPENSES_BILLED)}",
            re.I,
        )
        cap_anchor = re.compile(
            r"(?:up\s+to|cap(?:ped)?\s+(?:of|at)|not\s+(?:to\s+)?exceed|\bNTE\b|shall\s+not\s+exceed|maximum\s+(?:of|amount\s+of)?|limit(?:ed)?\s+(?:of|to)|ceiling\s+of|capped\s+at)[^.;\d$€£]{0,30}$|(?:lower|lesser)\s+of\s+[^.;]{0,40}?\bor\s*$",
            re.I,
        )
        for unit in self.units:
            text = unit.text
            # "A.5 DIRECT EXPENSES" over "Mileage ... and reproduction costs are reimbursable": the
            # heading names what the sentence bills.
            cost_clause = any(p.search(unit.heading) for p in (_EXPENSE_CUE, _COST_WORD)) or bool(
                _COST_WORD.search(text)
            )
            if not _EXPENSE_CUE.search(text) and not cost_clause and not _NOT_BILLED.search(text):
                continue
            negative = list(no_pattern.finditer(text))
            # "Travel within Ireland is included in the retainer" often covers only some costs: a
            # statement that others are billed outweighs it.
            weight = 1.0
            if not negative:
                negative, weight = list(_NOT_BILLED.finditer(text)), 0.95
            for m in negative:
                flags.append(
                    Candidate(
                        False, unit.start + _cost_named_from(text, m.start()), unit.start + m.end(), weight
                    )
                )
            if not negative:
                for m in yes_pattern.finditer(text):
                    if re.search(r"invoic|billed|charged", m.group(0), re.I) and not re.search(
                        r"expens|travel|disbursement|out[\s-]of[\s-]pocket",
                        _EXCLUSIVE_OF.sub(" ", text[max(0, m.start() - 100) : m.end() + 40]),
                        re.I,
                    ):
                        continue
                    strength = 1.0 if _REIMBURSED.search(m.group(0)) else 0.7
                    # "Other expenses are invoiced at cost" after "travel is included": the rest is billed.
                    if _OTHER_COSTS.search(text[max(0, m.start() - 80) : m.start()]):
                        strength = 1.1
                    # "Travel ... expenses outside Madrid will be invoiced": quote what is invoiced too.
                    named = list(_EXPENSE_NAMED.finditer(text[max(0, m.start() - 80) : m.start()]))
                    start = (
                        m.start() - min(80, m.start()) + named[-1].start()
                        if named
                        else _cost_named_from(text, m.start())
                    )
                    # "... passed through to the Client at cost": the quote runs to how it is billed
                    at_cost = re.match(r"[^.;]{0,30}?\bat\s+(?:actual\s+)?cost\b", text[m.end() :], re.I)
                    end = m.end() + (at_cost.end() if at_cost else 0)
                    flags.append(Candidate(True, unit.start + start, unit.start + end, strength))
                    break
                else:
                    passed = _PASSED_ON.search(text) if cost_clause or _EXPENSE_CUE.search(text) else None
                    if passed:
                        strength = (
                            1.1
                            if _OTHER_COSTS.search(text[max(0, passed.start() - 80) : passed.start()])
                            else 1.0
                        )
                        start = _cost_named_from(text, passed.start())
                        flags.append(Candidate(True, unit.start + start, unit.start + passed.end(), strength))
                for money in self.money_in(unit):
                    local = money.start - unit.start
                    before = text[max(0, local - 80) : local]
                    # The capped thing is named around the amount, but "fees will not exceed
                    # $120,000, exclusive of disbursements" caps the fees, not the expenses.
                    around = _EXCLUSIVE_OF.sub(" ", text[max(0, local - 120) : local + 40])
                    # "... shall not exceed ten percent (10%) of the fees or $15,000, whichever is less"
                    whichever = re.match(
                        r"\s*,?\s*whichever\s+is\s+(?:the\s+)?(?:less|lower|lesser|smaller)\b",
                        text[money.end - unit.start :],
                        re.I,
                    ) and re.search(r"exceed|\bcap|limit|maximum", before, re.I)
                    if (cap_anchor.search(before) or whichever) and re.search(
                        r"expens|travel|out[\s-]of[\s-]pocket|disbursement", around, re.I
                    ):
                        caps.append(Candidate(money.amount, money.start, money.end, 1.0))
        return self.choose("expenses_reimbursable", flags), self.choose("expenses_cap", caps)

    # -- tables and lists ------------------------------------------------------------------------
    def _column(self, header: tuple[TableCell, ...], pattern: str) -> int | None:
        for index, cell in enumerate(header):
            if re.search(pattern, cell.text, re.I):
                return index
        return None

    def _assign(self, header: tuple[TableCell, ...], row: tuple[TableCell, ...]) -> dict[int, TableCell]:
        if not header or len(row) == len(header):
            return dict(enumerate(row))
        assigned: dict[int, TableCell] = {}
        for cell in row:
            index = min(range(len(header)), key=lambda i: abs(header[i].column - cell.column))
            assigned.setdefault(index, cell)
        return assigned

    def _table_unit(self, table: Any) -> str | None:
        """The unit a table's heading line or its note states once ("per day", "rates are hourly")."""
        rows = [table.header] if table.header else []
        rows += list(table.rows)
        if not rows or not rows[0]:
            return None
        start, end = self._row_span(rows[0])[0], self._row_span(rows[-1])[1]
        above = [u for u in self.units if u.end <= start][-1:]
        below = [u for u in self.units if u.start >= end][:1]
        for unit in (*above, *below):
            said = _TABLE_UNIT_NOTE.search(unit.text) or _TABLE_UNIT_NOTE.search(unit.heading)
            if said:
                return _unit_for(said.group(0))
        return None

    def heading_at(self, table: Any) -> str:
        """The heading (and the sentence just before) a table sits under, lower-cased."""
        rows = [table.header] if table.header else []
        rows += list(table.rows[:1])
        if not rows or not rows[0]:
            return ""
        start = self._row_span(rows[0])[0]
        before = [u for u in self.units if u.end <= start]
        if not before:
            return ""
        return f"{before[-1].heading} {before[-1].text.lower()}"

    def _row_span(self, row: tuple[TableCell, ...]) -> tuple[int, int]:
        first, last = row[0], row[-1]
        offsets = self.document.page_offsets
        return offsets[first.page - 1] + first.start, offsets[last.page - 1] + last.end

    def _header_and_rows(
        self, header: tuple[TableCell, ...], rows: tuple[tuple[TableCell, ...], ...]
    ) -> tuple[tuple[TableCell, ...], tuple[tuple[TableCell, ...], ...]]:
        """The header a layout table missed: a running page header ("Provider  CONFIDENTIAL
        sow-7") glued above a table pushes the real header ("Role  Rate (EUR)  Unit") into
        the rows; the first of the top two rows with a rate heading and no figures is it."""
        if header:
            return header, rows
        for i, row in enumerate(rows[:2]):
            texts = " ".join(c.text for c in row)
            if (
                len(row) >= 2
                and self._column(row, r"rate|price|fee|cost|hourly|daily|charge") is not None
                and not re.search(r"\d{2,}", texts.replace("(", " "))
                and not re.search(r"\.{4,}|…", texts)  # a table of contents: "Schedule of Rates....5"
            ):
                return row, rows[i + 1 :]
        return header, rows

    def rates(self, currency: str | None) -> list[GroundedValue[Any]]:
        items: list[GroundedValue[Any]] = []
        seen: set[tuple[str, float]] = set()
        for table in self.document.tables:
            header, rows = self._header_and_rows(table.header, table.rows)
            # "Offshore (USD/hr)": a column headed by a currency per unit of time holds rates too.
            per_unit_header = (
                r"[A-Z]{3}\s*/\s*(?:hr|hour|h|day|d)\b|[$€£]\s*/\s*(?:hr|hour|day)\b|\bper\s+(?:hour|day)\b"
            )
            rate_col = (
                self._column(
                    header,
                    r"rate|price|fee|cost|\$|€|£|hourly|daily|charge|"
                    + per_unit_header
                    + r"|\b"
                    + _PRICE_COLUMN,
                )
                if header
                else None
            )
            heading_cols: list[int] = []
            if rate_col is None and header and len(header) >= 2:
                # "Resource Rates (INR per man-day)" over "Resource | Onsite | Offshore": the line
                # above names the rates and their unit, so the figure columns hold rates.
                above = self.heading_at(table)
                if re.search(r"\brates?\b|tarie|tarif|s[äa]tze|stawki", above) and _TABLE_UNIT_NOTE.search(
                    above
                ):
                    heading_cols = [
                        i
                        for i in range(1, len(header))
                        if 2
                        * sum(
                            1
                            for row in rows
                            if (cell := self._assign(header, row).get(i)) is not None
                            and re.fullmatch(r"\s*[$€£₹]?\s*\d[\d,.' ]*\s*", cell.text)
                        )
                        > len(rows)
                    ]
                    rate_col = heading_cols[0] if heading_cols else None
            if rate_col is None:
                continue
            if self._column(header, r"milestone|deliverable|payment\s+event|due") is not None:
                continue
            if (
                self._column(header, r"%|percent|share|portion") is not None
                and self._column(header, r"phase|stage|instal|tranche|event|trigger") is not None
            ):
                continue  # "Phase | % of Fee | Fee (£)": a fee split by phase, not a rate card
            role_col = self._column(
                header,
                r"role|position|title|resource|category|level|staff|personnel|grade|consultant|labou?r|name|discipline|skill",
            )
            role_col = 0 if role_col is None or role_col == rate_col else role_col
            table_unit = self._table_unit(table)
            unit_col = self._column(header, r"^\s*(?:unit|per|basis|billing\s+unit|rate\s+type|frequency)\b")
            if unit_col == rate_col:
                unit_col = None  # "Per diem rate" heads the rates, not their units
            # "Regular Rate | Overtime Rate": every column headed as a rate is a rate of the role.
            rate_cols = [rate_col] + [
                i
                for i, c in enumerate(header)
                if i not in (rate_col, role_col, unit_col)
                and (
                    re.search(r"\brates?\b|" + per_unit_header, c.text, re.I)
                    or i in heading_cols
                    # "Role | Hourly | Daily": a column headed by its unit alone
                    or re.fullmatch(
                        r"\s*(?:hourly|daily|weekly|monthly|per\s+(?:hour|day|week|month)|hour|day|week|month)\s*(?:\([^()]*\))?\s*",
                        c.text,
                        re.I,
                    )
                )
            ]
            if unit_col is not None:
                unit_texts = [self._assign(header, row).get(unit_col) for row in rows]
                other_units = [
                    c for c in unit_texts if c is not None and c.text.strip() and not _unit_for(c.text)
                ]
                if 2 * len(other_units) > len(rows):
                    continue  # "Qty | Unit (m3, LS) | Rate | Amount": a bill of quantities, not labour rates
            for row in rows:
                cells = self._assign(header, row)
                unit_cell = cells.get(unit_col) if unit_col is not None else None
                if unit_cell is not None and unit_cell.text.strip() and not _unit_for(unit_cell.text):
                    continue
                role_cell = cells.get(role_col)
                if role_cell is None or re.fullmatch(
                    r"\s*(?:sub[\s-]?|grand\s+|estimated\s+)?totals?\b\W*", role_cell.text, re.I
                ):
                    continue
                for col in rate_cols:
                    rate_cell = cells.get(col)
                    if rate_cell is None:
                        continue
                    money = find_money(rate_cell.text, dollar=self.dollar, rand=self.rand, krona=self.krona)
                    if not money and not re.fullmatch(
                        r"[\s\d.,'’]+(?:(?:/|per\s)\s*[a-z]+\.?)?(?:\s*\([^()]{0,30}\))?\s*",
                        rate_cell.text,
                        re.I,
                    ):
                        continue  # "Annexure B – Payment Schedule....6" holds no rate
                    amount = (
                        money[0].amount
                        if money
                        else parse_number(re.sub(r"[^\d.,' ]", "", rate_cell.text).strip() or "x")
                    )
                    if amount is None or amount <= 0:
                        continue
                    unit = None
                    if unit_col is not None and unit_col in cells:
                        unit = _unit_for(cells[unit_col].text)
                    unit = unit or _unit_for(rate_cell.text) or _unit_for(header[col].text)
                    # "Rates (all figures per day, excluding VAT)" over the table, or "Note: rates are
                    # hourly" under it: the unit given once for the whole table.
                    unit = unit or table_unit
                    # Scored lower when the unit is a guess, so calibration can tell such rates apart.
                    raw = 0.95
                    if unit is None:
                        if not re.search(r"\brates?\b|hourly|daily", header[col].text, re.I):
                            continue  # "Total Price", "Professional fees (AUD)": a price list, not a rate card
                        unit, raw = "hour", 0.8
                    header_currency = next(
                        (c for c in ISO_CODES if re.search(rf"\b{c}\b", header[col].text)), None
                    )
                    row_currency = (money[0].currency if money else None) or header_currency or currency
                    start, end = self._row_span(row)
                    self.rate_rows.append((start, end))
                    role = role_cell.text if col == rate_col else f"{role_cell.text} ({header[col].text})"
                    key = (role.lower(), amount)
                    if key in seen:
                        continue
                    seen.add(key)
                    value = RateValue(role=role, rate=amount, unit=unit, currency=row_currency)
                    grounded = self.grounded("rates", Candidate(value, start, end, raw), raw)
                    if grounded:
                        items.append(grounded)
        items.extend(self._prose_rates(currency, seen))
        named = {(i.value.rate, i.value.unit) for i in items if i.value.role != "Standard rate"}
        # "pay Consultant at the rate of $150.00 per hour" above a table naming the Senior
        # Analyst at $150.00: the unnamed statement restates the named rate.
        keep = [i.value.role != "Standard rate" or (i.value.rate, i.value.unit) not in named for i in items]
        raws = self.list_raw.get("rates", [])
        if len(raws) == len(items):
            self.list_raw["rates"] = [r for r, k in zip(raws, keep, strict=True) if k]
        return [i for i, k in zip(items, keep, strict=True) if k]

    def _prose_rates(self, currency: str | None, seen: set[tuple[str, float]]) -> list[GroundedValue[Any]]:
        role_words = (
            _FOREIGN_ROLES
            + r"|trainee|graduate|solicitor|barrister|clerk|surveyor|planner|actuary|consultant|manager|engineer|developer|analyst|architect|partner|director|associate|designer|specialist|lead|principal|administrator|tester|scientist|advis[oe]r|coordinator|officer|technician|trainer|expert|programmer|strategist|writer|accountant|auditor|lawyer|attorney|paralegal|counsel|executive|owner|master|staff|resource|intern|support"
        )
        out: list[GroundedValue[Any]] = []
        # A lead-in's unit ("Daily rates: A €1.400; B €900") carries over items split at ";".
        carried_unit: str | None = None
        for unit in self.units:
            if unit.is_row:
                out.extend(self._row_rates(unit, currency, seen, carried_unit))
                continue
            out.extend(self._card_line_rate(unit, currency, seen))
            lead = _RATE_LEAD_IN.search(_without_abbreviation_dots(unit.text))
            lead_unit = (lead.group("unit") or lead.group("unit2") or lead.group("unit3")) if lead else None
            # A lead-in's unit carries over items split at ";" and over a list of one rate a line.
            last_line = unit.text.rstrip().rsplit("\n", 1)[-1]
            list_line = len(last_line) <= 90 and any(
                m.start >= unit.end - len(last_line) for m in self.money_in(unit)
            )
            # "Labor categories and fully loaded hourly rates (Base Period)" heads a list too.
            heads_list = bool(lead_unit) and len(unit.text) <= 120 and not self.money_in(unit)
            next_carry = (
                (lead_unit or carried_unit)
                if unit.text.rstrip().endswith((";", ",", ":"))
                or heads_list
                or (list_line and (lead_unit or carried_unit))
                else None
            )
            for money in self.money_in(unit):
                local_end = money.end - unit.start
                after = unit.text[local_end : local_end + 30]
                unit_match = _RATE_UNIT.match(after)
                # "PLN 38.500,00 net (say: thirty-eight thousand ...) per Specialist per month": an
                # aside in brackets may stand between the figure and its unit.
                aside = (
                    None
                    if unit_match
                    else re.match(r"\s*(?:net\s+|netto\s+)?\([^()]{1,100}\)", unit.text[local_end:], re.I)
                )
                aside_len = 0
                if aside:
                    unit_match = _RATE_UNIT.match(
                        unit.text[local_end + aside.end() : local_end + aside.end() + 40]
                    )
                    aside_len = aside.end() if unit_match else 0
                local_start = money.start - unit.start
                before = unit.text[:local_start]
                # "Hourly rates: Senior Developer $175, Junior Developer $95": the unit is in the lead-in.
                found_lead_in = (
                    None if unit_match else _RATE_LEAD_IN.search(_without_abbreviation_dots(before))
                )
                per_unit = None if unit_match or found_lead_in else _PRICE_PER_UNIT.search(before)
                lead_in = (
                    (
                        found_lead_in.group("unit")
                        or found_lead_in.group("unit2")
                        or found_lead_in.group("unit3")
                    )
                    if found_lead_in
                    else per_unit.group("u")
                    if per_unit
                    else carried_unit
                )
                if not unit_match and not lead_in:
                    continue
                if (
                    not unit_match
                    and not found_lead_in
                    and not per_unit
                    and re.search(
                        r"\b(?:total|exceed\w*|ceiling|cap(?:ped)?|maximum|budget|estimated\s+cost|limitation)\b",
                        before[-80:],
                        re.I,
                    )
                ):
                    continue  # a list's unit carried onto "The total ... must not exceed $176,400": no rate

                if re.search(
                    # a per diem is a travel allowance unless it is called a rate or fee
                    r"retainer|late|interest|expens|travel|per\s+diem(?!\s+(?:rates?|fees?|professional))|damages|penalt|service\s+credit|delay",
                    unit.text[max(0, money.start - unit.start - 40) : money.start - unit.start],
                    re.I,
                ) or re.match(r"[^.;]{0,40}?\bof\s+(?:delay|late)", unit.text[local_end:], re.I):
                    continue  # "a Delay Payment of £2,000 for each Working Day of delay" is no rate
                if unit_match:
                    named_unit = _unit_for(unit_match.group(0))
                    unit_end = aside_len + unit_match.end()
                else:
                    assert lead_in is not None
                    named_unit = _unit_for(lead_in)
                    unit_end = 0
                rate_unit = named_unit or "hour"
                anchor = 0.85 if unit_match else 0.75
                if named_unit is None:
                    anchor -= 0.1  # the unit is a guess
                # Dot leaders and "Sr." are not sentence ends; blanking them keeps offsets.
                masked = re.sub(
                    r"\.{2,}|…+|\b(?:Sr|Jr|Snr)\.",
                    lambda m: m.group(0)[:-1] + " " if m.group(0)[0].isalpha() else " " * len(m.group(0)),
                    before,
                )
                segment = re.split(r"[;•]|\.\s|,\s(?=[A-Z])|\band\s(?=[A-Z])|:\s*(?=[A-Z][^:]*:)", masked)[-1]
                role_match = re.search(
                    r"(?P<role>(?:(?:[A-Z][\w/&\-]*\s+)?(?:[Ll]evel|[Gg]rade|[Bb]and)\s+\d{1,2}[A-Za-z]?|(?:[A-Z][\w/&\-]*\.?\s+){0,5}[A-Z][\w/&\-]*|(?:\w+\s+){0,3}(?:"
                    + role_words
                    + r")s?)(?:\s*\([^()\n]{1,40}\))?)\s*(?:[:–—=-]|(?<=[a-z]),|\.{2,}|…+|at|is|will\s+be|shall\s+be|rate(?:\s+(?:is|of))?|(?:will\s+be\s+|shall\s+be\s+|is\s+|are\s+)?(?:charged|billed|invoiced)(?:\s+(?:at|out\s+at))?|(?:bills|charges|invoices)(?:\s+(?:at|out\s+at))?)?\s*(?:a\s+rate\s+of\s+)?$",
                    segment,
                )
                role = None
                role_start = None
                blended = re.search(
                    r"\b(?P<kind>blended|standard|flat|single|composite|uniform|reduced|discounted|engagement|preferential|special|agreed|effective|net)\s+(?:hourly\s+|daily\s+|day\s+)?rate\s+(?:of\s+)?$"
                    r"|\b(?:at|for)\s+(?:a|an|the)\s+(?P<per>hourly|daily|day|weekly|monthly)\s+rate\s+(?:\([^()]{1,20}\)\s+)?of\s+$"
                    # "so the rate charged will be S$2,210 per day" (after a discount)
                    r"|\b(?:the\s+)?(?P<charged>rates?)\s+(?:actually\s+)?(?:charged|billed|applied|payable)\s+(?:will\s+be|is|are|shall\s+be)\s*$"
                    r"|(?:^|[.;:]\s*|\n)\s*(?:the|our|its|an?)\s+(?P<per2>hourly|daily|day|weekly|monthly)\s+(?:billing\s+|fee\s+)?rate\s+(?:is|shall\s+be|will\s+be|amounts\s+to|of)\s*$"
                    # "charge a daily fee (tariffa giornaliera) of € 650,00"
                    r"|\b(?:a|an|the|its|our)\s+(?P<per3>hourly|daily|weekly)\s+(?:fee|charge|price)\s*(?:\([^()]{1,40}\)\s*)?(?:of|is|shall\s+be|will\s+be|:)\s*$",
                    before,
                    re.I,
                )
                if blended:
                    # "at a daily rate of €1.200,00": one rate for everyone on the engagement.
                    role_match = None
                    role = (
                        blended.group("kind")
                        or ("Charged" if blended.group("charged") else None)
                        or blended.group("per")
                        or blended.group("per2")
                        or blended.group("per3")
                    ).capitalize() + " rate"
                    role_start = unit.start + blended.start()
                if role_match:
                    offset = len(before) - len(segment)
                    role = before[offset + role_match.start("role") : offset + role_match.end("role")]
                    role = role.strip(" :-–—")
                    role_start = unit.start + len(before) - len(segment) + role_match.start("role")
                    role = re.sub(
                        r"^(?:the|a|an|each|for|rates?|hourly|daily|rate\s+for|the\s+rate\s+for)\s+",
                        "",
                        role,
                        flags=re.I,
                    ).strip()
                if role and re.fullmatch(_GENERIC_ROLE, role, re.I):
                    role = None  # "Fee: CHF 220.– per hour": a label, not a role
                if not blended and (
                    not role
                    or (
                        not re.search(role_words, role, re.I)
                        and not re.fullmatch(r"(?:[A-Z][\w/&\-]*\s?){1,5}", role)
                        and not re.fullmatch(
                            r"(?:[A-Z][\w/&\-]*\s+)?(?:level|grade|band)\s+\d{1,2}[A-Za-z]?", role, re.I
                        )
                    )
                ):
                    # "$225 per hour for each Senior Consultant"
                    # "$225 per hour for each Senior Consultant"; "€ 125,- (excluding VAT) for the Consultant"
                    follow = re.match(
                        r"\s*(?:,-|\.-|,–)?\s*(?:(?:"
                        + _TAX_ASIDE
                        + r")\s*)?(?:\([^()]{0,40}\)\s*)?(?:(?:/\s*|per\s+)[\w-]+\s+)?"
                        + _FOR_ROLE
                        + r"\s+(?:each\s+|a\s+|an\s+|the\s+|all\s+)?(?P<role>(?:[A-Z][\w/&\-]*\s?){1,5}"
                        # "NZ$150 per hour for consultants": a role word in lower case
                        r"|(?:[a-z]+\s+){0,2}(?:" + role_words + r")s?\b"
                        # "$125 per hour for production work": the kind of work names the rate
                        r"|(?!(?:for|per|the|all)\b)[a-z]+(?:\s+(?!(?:for|per)\b)[a-z]+)?\s+(?:work|services|support|tasks|activities|development|design|consulting|advice))\b",
                        unit.text[local_end:],
                    )
                    if follow and not (unit_match or lead_in):
                        follow = None
                    single = unit_match and re.search(
                        r"(?:time[\s-]+(?:and|&)[\s-]+materials?|T&M)\s+basis\s+at\s*$", before, re.I
                    )
                    label = (unit_match or lead_in) and _RATE_LABEL.search(before)
                    named = re.match(
                        r"\s*(?:/\s*\w+\s*)?\((?P<role>[A-Z][^()\n]{2,40})\)", unit.text[local_end:]
                    )
                    # "• $220 per hour – Principal": the role after a dash, to the end of the line
                    dashed = unit_match and re.match(
                        r"[ \t]*[–—-][ \t]*(?P<role>[A-Z][\w/&\- ]{1,50}?)[ \t]*(?:\n|$)",
                        unit.text[local_end + aside_len + unit_match.end() :],
                    )
                    if follow:
                        role = follow.group("role").strip()
                        role_start = money.start
                    elif dashed:
                        role = dashed.group("role").strip()
                        role_start = money.start
                    elif (unit_match or lead_in) and named:
                        # "at $185/hour (Senior) and $120/hour (Associate)": the role in brackets after it
                        role, role_start = named.group("role").strip(), money.start
                    elif single:
                        # "on a time and material basis at CHF 1'800 per day": one rate for all work.
                        role, role_start = "Standard rate", money.start
                    elif label:
                        # "Hourly rate: $140.00 (Senior Analyst)"; "Bill rate: C$118/hour" under "Resource: ..."
                        role = named.group("role").strip() if named else self._labelled_role(unit)
                        role, role_start = role or "Standard rate", money.start
                    elif unit_match and _BARE_RATE.search(before):
                        extra = re.search(
                            r"additional|beyond|overage|excess|out[\s-]+of[\s-]+scope|further|extra",
                            before,
                            re.I,
                        )
                        role = "Additional work rate" if extra else "Standard rate"
                        role_start, anchor = money.start, 0.6
                    elif (
                        unit_match
                        and _PRICE_IS.search(before)
                        and (
                            rate_unit != "month"
                            or re.search(
                                r"man|person|consultant|resource|FTE|head", unit_match.group(0), re.I
                            )
                        )
                    ):
                        # A flat fee per month is a periodic fee, not a rate, unless it is per person.
                        role, role_start, anchor = "Standard rate", money.start, 0.7
                    elif per_unit:
                        role, role_start, anchor = "Standard rate", unit.start + per_unit.start(), 0.7
                    elif (
                        unit_match
                        and (line_role := _LINE_ROLE.search(before, max(0, len(before) - 120))) is not None
                    ):
                        # "- Director de proyecto: 95 €/hora": a list line whose role is its label,
                        # in languages that put the role word first
                        role, role_start = (
                            line_role.group("role").strip(),
                            unit.start + line_role.start("role"),
                        )
                    elif (labelled := _RATE_LABEL_IS.search(before, max(0, len(before) - 150))) is not None:
                        # "Der Tagessatz beträgt EUR 1.200,00", "La tarifa por hora es de 85 €": a rate
                        # label of the vocabulary, its verb, the figure: one rate for the work.
                        role, role_start, anchor = "Standard rate", unit.start + labelled.start(), 0.7
                    elif unit_match and re.match(
                        r"\s*(?:\([^()]{1,20}\)\s*)?(?:per|/|je|pro)\s*(?:consultant|konsulent|konsult|berater|person|resource|FTE|head)\b",
                        unit.text[local_end + aside_len + unit_match.end() :],
                        re.I,
                    ):
                        # "NOK 62 500 per uke (week) per konsulent": a price per person per period
                        role, role_start, anchor = "Per consultant", money.start, 0.7
                    elif (
                        unit_match
                        and unit_match.group("per_role")
                        and not re.fullmatch(_GENERIC_ROLE, unit_match.group("per_role"), re.I)
                    ):
                        # "... per Specialist per month": a price per named person per period.
                        role, role_start, anchor = unit_match.group("per_role"), money.start, 0.7
                    else:
                        continue
                if not role:
                    continue
                if re.fullmatch(_GENERIC_ROLE, role, re.I):
                    continue
                if _LIST_PRICE.search(before) and _DISCOUNTED.search(self.text[money.end : money.end + 300]):
                    continue  # the list price a discount is taken from
                key = (role.lower(), money.amount)
                if key in seen:
                    continue
                seen.add(key)
                start = min(role_start or money.start, money.start)
                end = max(
                    money.end + unit_end,
                    (role_start or 0) + len(role) if role_start and role_start > money.start else 0,
                )
                value = RateValue(
                    role=role,
                    rate=money.amount,
                    unit=rate_unit,
                    currency=money.currency or currency,
                )
                grounded = self.grounded("rates", Candidate(value, start, end, anchor), anchor)
                if grounded:
                    out.append(grounded)
            carried_unit = next_carry
        return out

    def _card_line_rate(
        self, unit: Unit, currency: str | None, seen: set[tuple[str, float]]
    ) -> list[GroundedValue[Any]]:
        """ "Solution Architect: 4,500" under "Rate Card (INR per hour ...)": the heading gives
        the currency and the unit, the line a role and a bare figure."""
        heading = unit.heading
        if not re.search(r"\brates?\b", heading) or self.money_in(unit):
            return []
        code = next((c for c in ISO_CODES if re.search(rf"\b{c.lower()}\b", heading)), None)
        rate_unit = _unit_for(heading)
        line = re.fullmatch(
            r"\s*(?:[-•*]\s*)?(?P<role>[A-Z][A-Za-z/&.,' ()-]{1,50}?)\s*[:–—-]\s*(?P<num>\d[\d,.' ]*\d|\d)\s*",
            unit.text,
        )
        if not (code or currency) or rate_unit is None or not line:
            return []
        amount = parse_number(line.group("num"))
        role = line.group("role").strip()
        if amount is None or amount <= 0 or (role.lower(), amount) in seen:
            return []
        seen.add((role.lower(), amount))
        value = RateValue(role=role, rate=amount, unit=rate_unit, currency=code or currency)
        grounded = self.grounded(
            "rates",
            Candidate(value, unit.start + line.start("role"), unit.start + line.end("num"), 0.75),
            0.75,
        )
        return [grounded] if grounded else []

    def _labelled_role(self, unit: Unit) -> str | None:
        """The role a "Resource: Senior Business Analyst" line names, in this unit or the few
        units before it under the same heading."""
        index = next((i for i, u in enumerate(self.units) if u.start == unit.start), None)
        if index is None:
            return None
        for u in reversed(self.units[max(0, index - 4) : index + 1]):
            if u.heading != unit.heading:
                break
            found = _ROLE_LABEL.search(u.text)
            if found:
                return found.group("role").strip(" .;,")
        return None

    def _row_rates(
        self, unit: Unit, currency: str | None, seen: set[tuple[str, float]], carried: str | None
    ) -> list[GroundedValue[Any]]:
        """A rate in a table row that no header explains ("Lead Developer (SFIA 5)   £725 per
        day"): the first cell names the role, the rate cell (or a lead-in) its unit."""
        out: list[GroundedValue[Any]] = []
        if any(s < unit.end and unit.start < e for s, e in self.rate_rows):
            return out  # the table reader has read this row under its header
        cells = [c for c in re.split(r"\t+| {2,}|\s\|\s", unit.text.strip().strip("|")) if c.strip()]
        if (
            len(cells) < 2
            or find_money(cells[0], dollar=self.dollar, rand=self.rand, krona=self.krona)
            or not re.search(r"[A-Za-z]{3}", cells[0])
        ):
            return out
        for money in self.money_in(unit):
            after = unit.text[money.end - unit.start : money.end - unit.start + 30]
            unit_match = _RATE_UNIT.match(after)
            rate_unit = (
                _unit_for(unit_match.group(0)) if unit_match else (_unit_for(carried) if carried else None)
            )
            if rate_unit is None:
                continue
            role = cells[0].strip(" |:–—-")
            # "Total estimate (excl. GST):   $50,250.00", "Maximum contract price:  $312,000" after a
            # rate card: a sum, a tax or a cap, not one more role at the card's unit.
            if unit_match is None and _NOT_A_ROLE.search(role):
                continue
            key = (role.lower(), money.amount)
            if key in seen:
                continue
            seen.add(key)
            end = money.end + (unit_match.end() if unit_match else 0)
            value = RateValue(
                role=role, rate=money.amount, unit=rate_unit, currency=money.currency or currency
            )
            grounded = self.grounded(
                "rates", Candidate(value, unit.start + unit.text.find(cells[0]), end, 0.85), 0.85
            )
            if grounded:
                out.append(grounded)
        return out

    def milestones(self, day_first: bool) -> list[GroundedValue[Any]]:
        items: list[GroundedValue[Any]] = []
        for table in self.document.tables:
            header = table.header
            if not header:
                continue
            name_col = self._column(
                header,
                rf"milestone|deliverable|phase|payment\s+event|stage|event|description|trigger|{_MILESTONE_COLUMN}",
            )
            if name_col is None:
                continue
            if not re.search(
                rf"milestone|deliverable|phase|payment\s+event|stage|event|trigger|instal|tranche|{_MILESTONE_COLUMN}",
                " ".join(c.text for c in header),
                re.I,
            ) and not (
                self._column(header, r"%|percent|share|date|due") is not None
                or re.search(r"milestone|payment\s+(?:schedule|plan)|instal", self.heading_at(table))
            ):
                # "CLIN | Description | Type | Amount": priced line items, not payment events.
                continue
            percent_col = self._column(
                header, rf"%|percent|share|portion|proportion|{alternation(SHARE_COLUMNS)}"
            )
            # "% of Fee" is the share column; the amount is the next column about money.
            amount_col = next(
                (
                    i
                    for i, c in enumerate(header)
                    if i != percent_col
                    and re.search(
                        rf"amount|fee|payment|price|value|sum|\$|€|£|(?:USD|EUR|GBP)|\b{_PRICE_COLUMN}\b",
                        c.text,
                        re.I,
                    )
                ),
                None,
            )
            if amount_col == name_col:
                amount_col = next(
                    (
                        i
                        for i, c in enumerate(header)
                        if i not in (name_col, percent_col)
                        and re.search(r"amount|fee|price|value|sum|payment", c.text, re.I)
                    ),
                    None,
                )
            date_col = self._column(header, r"date|due|target|timing|when|week|deadline")
            if date_col == name_col:
                date_col = next(
                    (
                        i
                        for i, c in enumerate(header)
                        if i != name_col and re.search(r"date|due|target", c.text, re.I)
                    ),
                    None,
                )
            if amount_col is None and percent_col is None and date_col is None:
                continue
            if (
                amount_col is None
                and percent_col is None
                and not re.search(
                    r"milestone|payment|instal|tranche",
                    " ".join(c.text for c in header) + " " + self.heading_at(table),
                    re.I,
                )
            ):
                continue  # "No. | Deliverable | Target date": a delivery plan, not payments
            for row in table.rows:
                cells = self._assign(header, row)
                name_cell = cells.get(name_col)
                if name_cell is None or re.fullmatch(r"(?:total|sum|grand\s+total)\W*", name_cell.text, re.I):
                    continue
                amount = None
                if amount_col is not None and amount_col in cells and amount_col != percent_col:
                    money = find_money(
                        cells[amount_col].text, dollar=self.dollar, rand=self.rand, krona=self.krona
                    )
                    amount = (
                        money[0].amount
                        if money
                        else parse_number(re.sub(r"[^\d.,]", "", cells[amount_col].text) or "x")
                    )
                percent = None
                if percent_col is not None and percent_col in cells:
                    pm = _PERCENT.search(cells[percent_col].text) or re.fullmatch(
                        r"\s*(?P<num>\d{1,3}(?:\.\d+)?)\s*", cells[percent_col].text
                    )
                    percent = parse_number(pm.group("num")) if pm else None
                due = None
                if date_col is not None and date_col in cells:
                    found = find_dates(cells[date_col].text, day_first=day_first)
                    due = found[0].value if found else None
                if amount is None and percent is None and due is None:
                    continue
                start, end = self._row_span(row)
                value = MilestoneValue(name=name_cell.text, amount=amount, percent=percent, due_date=due)
                grounded = self.grounded("milestones", Candidate(value, start, end, 0.95), 0.95)
                if grounded:
                    items.append(grounded)
        if not items:
            items = self._prose_milestones(day_first)
        if not items:
            items = self._stage_prices()
        return items

    def _schedule_item(self, unit: Unit, schedule_open: bool, day_first: bool) -> GroundedValue[Any] | None:
        """One item of a payment schedule ("• 30% ($15,000) upon signing of this SOW").

        Only items of a list introduced as a payment schedule count: under a heading
        about milestones or payment schedules, or right after a sentence announcing
        one ("... payable as follows:").
        """
        in_schedule = bool(
            re.search(
                r"milestone|payment\s+(?:schedule|plan)|schedule\s+of\s+payments|^payments\W*$", unit.heading
            )
        )
        item = _LIST_ITEM.match(unit.text)
        leader = _LEADER_ITEM.match(unit.text)
        if leader and re.fullmatch(r"\s*(?:sub[\s-]?|grand\s+)?totals?\s*", leader.group("name"), re.I):
            leader = None
        if not (in_schedule or schedule_open):
            return None
        # "Twelve Thousand Dollars ($12,000.00) upon signing;": a line of an announced schedule
        # that opens with its amount needs no bullet.
        opening = find_money(unit.text[:120], dollar=self.dollar, rand=self.rand, krona=self.krona)
        opens_with_amount = bool(opening) and not unit.text[: opening[0].start].strip()
        if not (item or leader or opens_with_amount or _ITEM_LABEL.match(unit.text)):
            return None
        body = item.group("body") if item else unit.text
        body_start = unit.start + (item.start("body") if item else 0)
        if _NOT_A_PAYMENT_EVENT.search(body):
            return None
        trigger = _ITEM_TRIGGER.search(body)
        label = _ITEM_LABEL.match(body)
        money = find_money(body, dollar=self.dollar, rand=self.rand, krona=self.krona)
        pm = _PERCENT.search(body)
        event = (
            trigger.group(0)
            if trigger
            else label.group("name")
            if label
            else leader.group("name")
            if leader and not item
            else None
        )
        if event is None or not (money or pm):
            return None
        dates = find_dates(body, day_first=day_first)
        name = re.sub(r"\s+", " ", event).strip(" ,:-–")
        value = MilestoneValue(
            name=name[:1].upper() + name[1:],
            amount=money[0].amount if money else None,
            percent=parse_number(pm.group("num")) if pm else None,
            due_date=dates[0].value if dates else None,
        )
        return self.grounded(
            "milestones", Candidate(value, body_start, body_start + len(body.rstrip()), 0.7), 0.7
        )

    def inline_schedule(self, unit: Unit) -> list[re.Match[str]]:
        """Two or more fee shares tied to events in one fee sentence, or nothing."""
        if unit.is_row or not self.in_fee_context(unit) or _LATE_CUE.search(unit.text):
            return []
        if re.search(r"retain|withh|hold\s*back|discount|expens", unit.text, re.I):
            return []
        shares = list(_INLINE_SHARE.finditer(unit.text))
        return shares if len(shares) >= 2 else []

    def _shared_amount_events(self, unit: Unit) -> list[GroundedValue[Any]]:
        """ "in three installments of $6,000 each: upon A, upon B, and upon C": a milestone of
        the shared amount per event, when the events are as many as the instalments."""
        found = _EQUAL_INSTALMENTS.search(unit.text) if not unit.is_row else None
        if found is None:
            return []
        count = words_to_number(found.group("count")) if not found.group("count").isdigit() else None
        count = int(found.group("count")) if found.group("count").isdigit() else count
        money = find_money(found.group("amount"), dollar=self.dollar, rand=self.rand, krona=self.krona)
        events: list[tuple[int, int]] = []
        base = found.start("events")
        for piece in re.finditer(r"[^,]+", found.group("events")):
            for part in re.split(r"\s+and\s+(?=(?:up)?on\b|at\b|after\b|following\b)", piece.group(0)):
                text = part.strip()
                text = re.sub(r"^and\s+", "", text)
                if text:
                    offset = unit.text.index(text, base + piece.start())
                    events.append((offset, offset + len(text)))
        if not money or count is None or count != len(events) or count < 2:
            return []
        if not all(_EVENT_START.match(unit.text[s:e]) for s, e in events):
            return []
        out: list[GroundedValue[Any]] = []
        amount_span = (unit.start + found.start("amount"), unit.start + found.end("amount"))
        for s, e in events:
            name = unit.text[s:e]
            value = MilestoneValue(
                name=name[:1].upper() + name[1:], amount=money[0].amount, percent=None, due_date=None
            )
            candidate = Candidate(value, unit.start + s, unit.start + e, 0.7, extra_spans=[amount_span])
            grounded = self.grounded("milestones", candidate, 0.7)
            if grounded:
                out.append(grounded)
        return out

    def _amounts_in_parts(self, unit: Unit) -> list[GroundedValue[Any]]:
        """ "paid in two parts: ... ¥2,640,000 after A, and the remaining ¥6,160,000 after B"."""
        parts = _PAID_IN_PARTS.search(unit.text) if not unit.is_row else None
        listed = _AMOUNTS_AS_FOLLOWS.search(unit.text) if parts is None and not unit.is_row else None
        if parts is None and listed is None:
            return []
        count: int | None
        if parts is not None:
            raw = parts.group("count")
            count = int(raw) if raw.isdigit() else words_to_number(raw)
            opened = parts.end()
        else:
            assert listed is not None
            # No count is stated: every amount after the colon must name its event.
            opened = listed.end()
            count = len([m for m in self.money_in(unit) if m.start - unit.start >= opened])
        found: list[tuple[Money, re.Match[str]]] = []
        for money in self.money_in(unit):
            local = money.end - unit.start
            event = _AMOUNT_EVENT.match(unit.text, local)
            if money.start - unit.start >= opened and event:
                found.append((money, event))
        if count is None or count < 2 or len(found) != count:
            return []
        out: list[GroundedValue[Any]] = []
        for money, event in found:
            name = re.sub(r"\s+", " ", f"{event.group('event')} {event.group('what')}").strip()
            value = MilestoneValue(
                name=name[:1].upper() + name[1:], amount=money.amount, percent=None, due_date=None
            )
            candidate = Candidate(value, money.start, unit.start + event.end(), 0.7)
            grounded = self.grounded("milestones", candidate, 0.7)
            if grounded:
                out.append(grounded)
        return out

    def _prose_milestones(self, day_first: bool) -> list[GroundedValue[Any]]:
        out: list[GroundedValue[Any]] = []
        schedule_open = False
        for unit in self.units:
            shared = self._shared_amount_events(unit) or self._amounts_in_parts(unit)
            if shared:
                out.extend(shared)
                continue
            shares = self.inline_schedule(unit)
            for share in shares:
                event = re.sub(r"\s+", " ", f"{share.group('event')} {share.group('what')}").strip()
                value = MilestoneValue(
                    name=event[:1].upper() + event[1:],
                    amount=None,
                    percent=parse_number(share.group("num")),
                    due_date=None,
                )
                grounded = self.grounded(
                    "milestones",
                    Candidate(value, unit.start + share.start(), unit.start + share.end(), 0.75),
                    0.75,
                )
                if grounded:
                    out.append(grounded)
            if shares:
                continue
            m = re.match(
                r"\s*(?:[-•*]\s*)?(?P<name>(?:milestone|phase|deliverable|payment)\s*(?:\d+|[A-Z]\b|[IVX]+\b)[^:–—\n$€£]{0,60}?)\s*[:–—-]\s*(?P<rest>.+)",
                unit.text,
                re.I,
            )
            if not m:
                scheduled = self._schedule_item(unit, schedule_open, day_first)
                if scheduled is not None:
                    out.append(scheduled)
                elif not _LIST_ITEM.match(unit.text) or _SCHEDULE_INTRO.search(unit.text):
                    # A list of instalments stays open until the first unit that is not an item.
                    schedule_open = bool(_SCHEDULE_INTRO.search(unit.text))
                continue
            rest_start = unit.start + m.start("rest")
            rest = m.group("rest")
            money = find_money(rest, dollar=self.dollar, rand=self.rand, krona=self.krona)
            pm = _PERCENT.search(rest)
            dates = find_dates(rest, day_first=day_first)
            if not money and not pm:
                continue
            value = MilestoneValue(
                name=m.group("name").strip(" ()"),
                amount=money[0].amount if money else None,
                percent=parse_number(pm.group("num")) if pm else None,
                due_date=dates[0].value if dates else None,
            )
            grounded = self.grounded(
                "milestones",
                Candidate(value, unit.start + m.start("name"), rest_start + len(rest.rstrip()), 0.8),
                0.8,
            )
            if grounded:
                out.append(grounded)
        return out

    def _stage_prices(self) -> list[GroundedValue[Any]]:
        """Numbered stages priced in prose ("the fee for Stage 1 (Feasibility) is €45,000 and
        the fee for Stage 2 is €30,000") are milestones when each stage is billed on its own or
        the stage prices add up to a stated total."""
        label = re.compile(
            r"\b(?P<name>(?:stage|phase|milestone|part|tranche|instal(?:l)?ment|work\s+package)\s+(?:\d{1,2}|[A-Z]|[IVX]{1,4})\b(?:\s*\([^()]{1,40}\))?)"
            r"\s*(?:is|of|:|–|—|-|=|shall\s+be|will\s+be|costs?|priced\s+at|for\s+(?:a\s+)?(?:fixed\s+)?(?:fee|price)\s+of)\s*$",
            re.I,
        )
        found: list[tuple[str, int, Money]] = []
        totals: list[float] = []
        billed_per_stage = False
        for unit in self.units:
            if unit.is_row or not self.in_fee_context(unit):
                continue
            if re.search(
                r"each\s+(?:stage|phase|milestone|part|tranche|work\s+package)\b[^.;]{0,40}\b(?:invoiced|billed|payable|paid)",
                unit.text,
                re.I,
            ):
                billed_per_stage = True
            previous_end = 0
            for money in self.money_in(unit):
                local = money.start - unit.start
                window = max(previous_end, local - 80)
                before = unit.text[window:local]
                previous_end = money.end - unit.start
                m = label.search(before) if _STAGE_WORD.search(before) else None
                if m:
                    found.append(
                        (re.sub(r"\s+", " ", m.group("name")), unit.start + window + m.start(), money)
                    )
                elif re.search(r"\btotal\b[^.;$€£\d]{0,40}$", before, re.I):
                    totals.append(money.amount)
        if len(found) < 2 or len({name.lower() for name, _, _ in found}) < len(found):
            return []
        amount_sum = sum(m.amount for _, _, m in found)
        if not billed_per_stage and not any(abs(t - amount_sum) <= max(1.0, 0.01 * t) for t in totals):
            return []
        out: list[GroundedValue[Any]] = []
        for name, start, money in found:
            value = MilestoneValue(name=name, amount=money.amount, percent=None, due_date=None)
            grounded = self.grounded("milestones", Candidate(value, start, money.end, 0.7), 0.7)
            if grounded:
                out.append(grounded)
        return out

    def schedule_frequency(
        self, found: GroundedValue[Any] | None, milestones: list[GroundedValue[Any]]
    ) -> GroundedValue[Any] | None:
        """A paid schedule of two or more milestones is invoiced on milestones, unless a
        frequency is stated outside it ("on signature" inside an item is one of its events)."""
        paid = [m for m in milestones if m.value.amount is not None or m.value.percent is not None]
        if len(paid) < 2:
            return found
        spans = {(e.page, e.start, e.end) for m in paid for e in m.evidence}

        def inside(value: GroundedValue[Any]) -> bool:
            return all(
                any(p == e.page and s <= e.start and e.end <= t for p, s, t in spans) for e in value.evidence
            )

        if found is not None and not (found.value in ("upfront", "on_completion") and inside(found)):
            return found
        self.raw["invoice_frequency"] = 0.7
        return GroundedValue[Any](
            value="on_milestone",
            confidence=self.calibrator.confidence("invoice_frequency", 0.7),
            evidence=[e for m in paid[:2] for e in m.evidence],
            note="implied by the payment schedule",
        )

    def split_frequency(self, found: GroundedValue[Any] | None) -> GroundedValue[Any] | None:
        """A part payment up front ("a mobilisation fee of $20,000 payable on receipt of invoice")
        and "the balance on completion" are two billing events: invoiced on milestones."""
        if found is None or found.value not in ("on_completion", "upfront"):
            return found
        balance = part = None
        for unit in self.units:
            if unit.is_row or not self.in_fee_context(unit):
                continue
            b = re.search(
                r"\b(?:the\s+)?(?:balance|remainder|remaining\s+(?:fee|amount|balance|\d{1,3}\s?%))\b[^.;]{0,60}?\b(?:(?:up)?on|at|after)\s+(?:the\s+)?(?:final\s+)?(?:completion|acceptance|delivery|go[\s-]?live|launch)",
                unit.text,
                re.I,
            )
            if b and balance is None:
                balance = (unit.start + b.start(), unit.start + b.end())
                continue
            m = _PART_PAYMENT.search(unit.text)
            if m and part is None and not re.match(r"balance", m.group(0), re.I) and self.money_in(unit):
                part = (unit.start + m.start(), unit.start + m.end())
        if balance is None or part is None:
            return found
        self.raw["invoice_frequency"] = 0.65
        evidence = self.document.evidence_for_span(*part) + self.document.evidence_for_span(*balance)
        return GroundedValue[Any](
            value="on_milestone",
            confidence=self.calibrator.confidence("invoice_frequency", 0.65),
            evidence=evidence,
            note="a part payment up front and the balance on completion: two billing events",
        )

    def retainer_frequency(
        self, found: GroundedValue[Any] | None, model: GroundedValue[Any] | None
    ) -> GroundedValue[Any] | None:
        """A monthly (quarterly) retainer with no stated invoicing frequency is billed per period."""
        if found is not None or model is None or model.value != "retainer":
            return found
        for unit in self.units:
            m = re.search(
                r"\b(?P<p>monthly|quarterly)\s+retainer\b|\bretainer\b[^.;]{0,40}?\b(?:per|a|each)\s+(?P<q>month|quarter)\b",
                unit.text,
                re.I,
            )
            if m:
                period = (m.group("p") or m.group("q")).lower()
                self.raw["invoice_frequency"] = 0.6
                return GroundedValue[Any](
                    value="quarterly" if period.startswith("quarter") else "monthly",
                    confidence=self.calibrator.confidence("invoice_frequency", 0.6),
                    evidence=self.document.evidence_for_span(unit.start + m.start(), unit.start + m.end()),
                    note="implied by the retainer period; no invoicing frequency is stated",
                )
        return None

    # -- consistency -----------------------------------------------------------------------------
    def check(self, billing: Billing) -> None:
        def lower(value: GroundedValue[Any] | None, amount: float = 0.25) -> None:
            if value is not None:
                value.confidence = round(max(0.0, value.confidence - amount), 4)

        amounts = [float(m.value.amount) for m in billing.milestones if m.value.amount is not None]
        if len(amounts) != len(billing.milestones):
            amounts = []
        if (
            billing.total_fee is not None
            and amounts
            and all(a is not None for a in amounts)
            and billing.total_fee.note is None
        ):
            total = sum(amounts)
            if abs(total - billing.total_fee.value) > max(1.0, 0.01 * billing.total_fee.value):
                self.warnings.append(
                    f"milestone amounts add up to {total:,.2f} but the total fee is {billing.total_fee.value:,.2f}"
                )
                lower(billing.total_fee)
                for m in billing.milestones:
                    lower(m, 0.15)
        percents = [float(m.value.percent) for m in billing.milestones if m.value.percent is not None]
        if percents and len(percents) == len(billing.milestones) and abs(sum(percents) - 100) > 0.5:
            self.warnings.append(f"milestone percentages add up to {sum(percents):g}%, not 100%")
            for m in billing.milestones:
                lower(m, 0.15)
        cap = billing.not_to_exceed
        if (
            billing.total_fee is not None
            and cap is not None
            and cap.value < billing.total_fee.value
            # "Phase 2 fees will not exceed $400,000" may well be below the fees of both phases.
            and not any(
                self.document.page_offsets[e.page - 1] + e.start in self.part_caps for e in cap.evidence
            )
        ):
            self.warnings.append(
                f"the not-to-exceed amount {cap.value:,.2f} is below the total fee {billing.total_fee.value:,.2f}"
            )
            lower(cap)
        if billing.not_to_exceed is not None and billing.rates:
            hours = [
                int(h.group(1).replace(",", ""))
                for h in re.finditer(
                    r"\b(\d{1,3}(?:,\d{3})*|\d+)\s+(?:estimated\s+|billable\s+)?hours\b", self.text
                )
            ]
            lowest = (
                min(r.value.rate for r in billing.rates if r.value.unit == "hour")
                if any(r.value.unit == "hour" for r in billing.rates)
                else None
            )
            if hours and lowest is not None and lowest * sum(hours) > billing.not_to_exceed.value * 1.001:
                self.warnings.append(
                    f"the stated {sum(hours)} hours at the lowest hourly rate ({lowest:g}) exceed the not-to-exceed amount"
                )
                lower(billing.not_to_exceed, 0.15)
        if billing.start_date is not None and billing.end_date is not None:
            start, end = billing.start_date.value, billing.end_date.value
            if end < start:
                self.warnings.append(
                    f"the end date {end.isoformat()} is before the start date {start.isoformat()}"
                )
                lower(billing.start_date)
                lower(billing.end_date)
            for m in billing.milestones:
                due = m.value.due_date
                if due is not None and not start <= due <= end + dt.timedelta(days=31):
                    self.warnings.append(
                        f"milestone {m.value.name!r} is due {due.isoformat()}, outside the term"
                    )
                    lower(m, 0.2)


def _day_first(currency: str | None, text: str) -> bool:
    if currency is not None:
        return currency != "USD"
    return bool(re.search(r"[£€]|\bGBP\b|\bEUR\b|\bLtd\b|\bGmbH\b|\bVAT\b|England\s+and\s+Wales", text))


def extract_billing(document: Document, *, calibrator: Calibrator | None = None) -> BillingExtraction:
    """Every billing field of the contract that the document states, grounded.

    Parameters
    ----------
    document
        An ingested document.
    calibrator
        Maps raw scores to confidences; the packaged default when omitted.

    Returns
    -------
    BillingExtraction
        The :class:`~extraction.schemas.Billing`, consistency warnings, and the
        raw score of each scalar field (what the calibrator is fitted on).
    """
    ex = _Extractor(document, calibrator or default_calibrator())
    currency = ex.currency()
    code = currency.value if currency else None
    if code is None:
        coded = [m.currency for u in ex.units for m in ex.money_in(u) if m.currency]
        code = max(set(coded), key=coded.count) if coded else None
    day_first = _day_first(code, ex.text)
    milestones = ex.milestones(day_first)
    payment_days, pay_when_paid = ex.payment_terms()
    start, end = ex.term_dates(day_first)
    reimbursable, expenses_cap = ex.expenses()
    rates = ex.rates(code)
    model = ex.billing_model(rates, milestones)
    total = ex.total_fee(milestones, model=model.value if model else None)
    billing = Billing(
        billing_model=model,
        currency=currency,
        total_fee=total,
        not_to_exceed=ex.not_to_exceed(),
        payment_terms_days=payment_days,
        invoice_frequency=ex.retainer_frequency(
            ex.schedule_frequency(ex.split_frequency(ex.invoice_frequency()), milestones), model
        ),
        start_date=start,
        end_date=end,
        late_fee_percent_per_month=ex.late_fee(),
        retainage_percent=ex.retainage(),
        expenses_reimbursable=reimbursable,
        expenses_cap=expenses_cap,
        rates=rates,
        milestones=milestones,
        pay_when_paid=pay_when_paid,
    )
    ex.check(billing)
    return BillingExtraction(
        billing=billing, warnings=ex.warnings, raw_scores=ex.raw, list_raw_scores=ex.list_raw
    )


__all__ = ["BillingExtraction", "Candidate", "extract_billing"]
