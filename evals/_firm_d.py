"""A fourth firm for the anomaly evals, written apart from the other three simulators:
"Ashby Crane LLP", a mid-size litigation and corporate law firm with a Chicago office
(US, USD, no tax on legal fees) and a Toronto office (Ontario, CAD, HST), exporting a
year of time entries and invoices from its practice-management system.

What makes it unlike the others:

- Time is recorded in tenths of an hour by timekeepers (partners, counsel, senior
  associates, associates, paralegals) at very different rates, on matter codes
  ``CLIENT-MATTER`` (``20114-0031``). Litigation matters of the clients that e-bill carry
  UTBMS task and activity codes at the head of the narrative (``L310 A103 Draft ...``);
  Toronto litigation speaks of examinations for discovery and affidavits of documents.
- Many short entries a day (a 0.1 email, a 0.3 call) beside long drafting entries; some
  timekeepers *block-bill* one long narrative per matter per day, which is normal here.
- Lawyers work weekends now and then, record no vacation (no entries), and log
  contemporaneously (a timer app that syncs), every evening, weekly, or at month end when
  billing chases them. Paralegals are hourly staff and book paid time off on ``00001-0009``.
- No-charge entries (``NO CHARGE - ...``, billable False) on client matters, mostly by
  first-year associates, and paralegals logging their clerical work as no charge.
- A trial (``20114-0031``, 16 March to 9 April, preparation from mid-February) gives its
  team 11-14 h days and weekends, some of them inside the scored batch; deal closings give
  corporate teams long weeks (November, February, March).
- Standard rates rise on 1 January (Chicago +7%, Toronto +6%), and some associates are
  promoted on the same day (the people export gives the role they hold now). Engagement
  letters: standard rates; an insurer's panel rates frozen for 2026; a 15% discounted card;
  standard rates less a 10% discount taken on the invoice.
- Alternative fees: two fixed monthly fees (time is still recorded, valued at standard
  rates); two fee caps (``not_to_exceed``, inclusive of disbursements and tax), both reached
  with the invoice issued in March, which a "Fee cap adjustment" line holds to the cap; later
  months are written off on the pre-bill and not invoiced. Evergreen retainers are deposited
  at opening (a retainer invoice) and applied on the final invoice.
- Invoices per matter per month, issued in the first half of the next month after pre-bill
  edits: one line per timekeeper at the letter's rate (hours often written down on the
  pre-bill, never up), disbursements with UTBMS expense codes, the discount line, the cap
  adjustment, the retainer applied. Chicago bills no tax; Toronto charges 13% HST to Ontario
  clients, 5% GST to an Alberta client and zero-rates a US client billed in USD.
- First-year associates join in mid-September; one associate leaves in November and a
  paralegal at the end of February (both dated in the people export).

Misbilling a billing partner at such a firm chases, labelled in ``label_kind`` (empty for
ordinary rows), in the scored batch (the last month) with a trace in the history:

Time entries (``FIRM_D_TIME_KINDS``):

``block_over_norm`` a day's several entries on a matter replaced by one block narrative of
four to six tasks that bills 8.5-13 h, well over what the tasks took; ``closed_matter`` time on
a matter after its close date (post-closing work on a deal closed in February, work on a
settled claim after the settlement); ``paralegal_at_associate_rate`` a paralegal's hours at
the associate rate (half of them also relabelled Associate); ``duplicate_import`` a timer-app
user's day of client entries recorded a second time when the sync was re-imported (same
hours and text, one later import time); ``clerical_billed`` clerical work (filing, scanning,
calendaring, couriers, binders) billed to the client, mostly by paralegals;
``vague_narrative`` substantive hours described as "Attention to matter" or "Work on file",
with the hours raised by up to half; ``month_end_padding`` an associate short of target adding
one to three generic entries a day in the last five working days of the month, all logged on
its last evening; ``rate_above_letter`` hours on the insurer's matters at the 2026 increase
its letter froze.

Invoices (``FIRM_D_INVOICE_KINDS``):

``over_cap`` a capped matter's invoice without the fee cap adjustment, so the billed total
passes the cap; ``rate_above_letter`` the insurer's invoice priced at the increased rates;
``billed_over_recorded`` a timekeeper line billing more hours than were recorded that month
(or a timekeeper with no time on the matter); ``fixed_fee_billed_hourly`` a fixed-fee matter
invoiced per timekeeper hour instead of its monthly fee; ``discount_dropped`` the 10%
client's invoice without its discount; ``duplicate_invoice`` a month's invoice issued a
second time under a new number; ``tax_misapplied`` HST charged to the zero-rated US client,
or left off an Ontario client's invoice.

The batch's invoices bill March (issued in April) and April (issued in May): score them with
the time entries from the first billed period. Invoices draw from their own random stream, so
the time entries of a seed are the same with or without them. Deterministic per seed. Call
``simulate_firm_d(seed)``; ``n_people`` (default 44) makes it smaller.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from evals._firm_c import FirmC

__all__ = ["FIRM_D_INVOICE_KINDS", "FIRM_D_TIME_KINDS", "FirmD", "simulate_firm_d"]

FIRM_D_TIME_KINDS: tuple[str, ...] = (
    "block_over_norm",
    "closed_matter",
    "paralegal_at_associate_rate",
    "duplicate_import",
    "clerical_billed",
    "vague_narrative",
    "month_end_padding",
    "rate_above_letter",
)

FIRM_D_INVOICE_KINDS: tuple[str, ...] = (
    "over_cap",
    "rate_above_letter",
    "billed_over_recorded",
    "fixed_fee_billed_hourly",
    "discount_dropped",
    "duplicate_invoice",
    "tax_misapplied",
)


@dataclass(frozen=True)
class FirmD(FirmC):
    """Ashby Crane LLP: contract-shaped entries and invoices (with ``label_kind``), the
    context and the batch cut; the same fields and splits as :class:`FirmC`."""


_HOLIDAYS: dict[str, tuple[str, ...]] = {
    # Chicago: the firm's calendar (federal holidays it observes plus the Friday after Thanksgiving).
    "US": (
        "2025-05-26", "2025-06-19", "2025-07-04", "2025-09-01", "2025-11-27", "2025-11-28",
        "2025-12-25", "2026-01-01", "2026-01-19", "2026-02-16",
    ),
    # Toronto: Ontario statutory holidays plus the civic holiday and Boxing Day.
    "CA": (
        "2025-05-19", "2025-07-01", "2025-08-04", "2025-09-01", "2025-10-13", "2025-12-25",
        "2025-12-26", "2026-01-01", "2026-02-16", "2026-04-03",
    ),
}  # fmt: skip

_ROLES = ("Partner", "Counsel", "Senior Associate", "Associate", "Paralegal")
#: 2025 standard rates per hour: Chicago in USD, Toronto in CAD.
_STANDARD_2025 = {
    "US": {
        "Partner": 925.0,
        "Counsel": 780.0,
        "Senior Associate": 690.0,
        "Associate": 520.0,
        "Paralegal": 295.0,
    },
    "CA": {
        "Partner": 875.0,
        "Counsel": 740.0,
        "Senior Associate": 640.0,
        "Associate": 465.0,
        "Paralegal": 270.0,
    },
}
_UPLIFT = {"US": 1.07, "CA": 1.06}
_NEW_YEAR = dt.date(2026, 1, 1)
#: The insurer's panel rates (USD), frozen by its 2026 letter.
_PANEL = {
    "Partner": 395.0,
    "Counsel": 350.0,
    "Senior Associate": 310.0,
    "Associate": 265.0,
    "Paralegal": 145.0,
}
#: Toronto's rates for its US client, in USD.
_CAD_TO_USD = 0.73
#: Billable hours a timekeeper aims at on an ordinary working day.
_TARGET = {"Partner": 5.4, "Counsel": 5.6, "Senior Associate": 6.7, "Associate": 6.5, "Paralegal": 5.8}
_WEEKEND = {"Partner": 0.1, "Counsel": 0.08, "Senior Associate": 0.2, "Associate": 0.24, "Paralegal": 0.02}
_TRIAL = (dt.date(2026, 2, 16), dt.date(2026, 3, 13), dt.date(2026, 3, 16), dt.date(2026, 4, 9))


def _round5(x: float) -> float:
    return float(round(x / 5.0) * 5.0)


def _tenths(hours: float) -> float:
    return round(max(0.1, round(hours, 1)), 1)


@dataclass
class _Matter:
    code: str
    client: str
    name: str
    office: str  # US (Chicago) | CA (Toronto)
    currency: str
    area: str  # litigation | corporate | advisory
    fee: str  # hourly | capped | fixed
    letter: str  # standard | panel | discount15 | less10
    tax_rate: float
    ledes: bool
    opens: dt.date
    closes: dt.date | None = None
    monthly_fee: float = 0.0
    retainer: float = 0.0
    terms_days: int = 30
    topics: tuple[str, ...] = ()
    witnesses: tuple[str, ...] = ()

    def open_on(self, day: dt.date) -> bool:
        return self.opens <= day and (self.closes is None or day <= self.closes)

    def standard(self, role: str, day: dt.date) -> float:
        base = _STANDARD_2025[self.office][role]
        rate = _round5(base * _UPLIFT[self.office]) if day >= _NEW_YEAR else base
        return _round5(rate * _CAD_TO_USD) if self.currency == "USD" and self.office == "CA" else rate

    def rate(self, role: str, day: dt.date) -> float:
        """The engagement letter's rate (what the entry and the invoice line carry)."""
        if self.letter == "panel":
            return _PANEL[role]
        if self.letter == "discount15":
            return _round5(self.standard(role, day) * 0.85)
        return self.standard(role, day)


@dataclass
class _Timekeeper:
    pid: str
    office: str
    role: str  # held now (the people export)
    earlier_role: str  # before the 1 January promotions
    joins: dt.date
    leaves: dt.date | None
    logging: str  # timer | evening | weekly | month_end
    block_biller: bool
    first_year: bool
    target: float
    matters: list[tuple[_Matter, float]] = field(default_factory=list)
    away: set[dt.date] = field(default_factory=set)

    def role_on(self, day: dt.date) -> str:
        return self.role if day >= _NEW_YEAR else self.earlier_role


_NAMES = (
    "J. Alvarez", "R. Chen", "M. Okafor", "S. Patel", "D. Kowalczyk", "L. Moreau", "T. Nguyen",
    "A. Brennan", "K. Haddad", "P. Lindgren", "E. Castillo", "B. Oyelaran", "N. Fischer",
)  # fmt: skip


def _matters(rng: np.random.Generator, first: dt.date, cut: dt.date) -> list[_Matter]:
    def later(lo: int, hi: int) -> dt.date:
        return first + dt.timedelta(days=int(rng.integers(lo, hi)))

    def names(k: int) -> tuple[str, ...]:
        return tuple(str(x) for x in rng.choice(_NAMES, size=k, replace=False))

    lit_topics = (
        "the indemnity clause", "damages model", "custodian list", "protective order",
        "spoliation issues", "expert disclosures", "limitation defence", "causation",
    )  # fmt: skip
    deal_topics = (
        "working capital adjustment", "escrow terms", "disclosure schedules", "R&W insurance",
        "employee matters", "IP assignments", "change-of-control consents", "closing conditions",
    )  # fmt: skip
    advice_topics = (
        "wage-and-hour policy", "data privacy notice", "supplier terms", "permit renewal",
        "whistleblower complaint", "remote work policy", "emissions reporting",
    )  # fmt: skip

    def topics(pool: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(str(x) for x in rng.choice(pool, size=4, replace=False))

    m = [
        _Matter("20114-0031", "20114", "Meridian Freight adv. Coastline Logistics", "US", "USD",
                "litigation", "hourly", "standard", 0.0, True, first,
                topics=topics(lit_topics), witnesses=names(4)),
        _Matter("20114-0034", "20114", "Meridian Freight: employment advice", "US", "USD",
                "advisory", "hourly", "standard", 0.0, True, first, topics=topics(advice_topics)),
        _Matter("20114-0037", "20114", "Ruiz v. Meridian Freight (wage-and-hour class action)", "US",
                "USD", "litigation", "hourly", "standard", 0.0, True, later(90, 150),
                topics=topics(lit_topics), witnesses=names(3)),
        _Matter("20387-0008", "20387", "Halvorsen Capital: acquisition of Pinecrest Dental", "US", "USD",
                "corporate", "hourly", "standard", 0.0, False, first, closes=dt.date(2026, 2, 13),
                topics=topics(deal_topics)),
        _Matter("20387-0011", "20387", "Halvorsen Capital: portfolio company matters", "US", "USD",
                "corporate", "hourly", "standard", 0.0, False, first, topics=topics(deal_topics)),
        _Matter("20387-0014", "20387", "Halvorsen Capital: acquisition of Redline Fitness", "US", "USD",
                "corporate", "hourly", "standard", 0.0, False,
                cut - dt.timedelta(days=int(rng.integers(20, 40))),
                topics=topics(deal_topics)),
        _Matter("20452-0003", "20452", "Bluestem Health: regulatory counsel (fixed monthly fee)", "US", "USD",
                "advisory", "fixed", "standard", 0.0, False, first, monthly_fee=18_500.0,
                topics=topics(advice_topics)),
        _Matter("20452-0009", "20452", "Kessler v. Bluestem Health", "US", "USD", "litigation", "hourly",
                "less10", 0.0, True, first, topics=topics(lit_topics), witnesses=names(3)),
        _Matter("20519-0001", "20519", "Corvid Analytics: Series B financing", "US", "USD", "corporate",
                "hourly", "standard", 0.0, False, later(100, 160), closes=dt.date(2026, 3, 20),
                retainer=40_000.0, topics=topics(deal_topics)),
        _Matter("20519-0002", "20519", "Corvid Analytics: commercial contracts", "US", "USD", "advisory",
                "hourly", "standard", 0.0, False, later(150, 200), retainer=15_000.0,
                topics=topics(advice_topics)),
        _Matter("20603-0107", "20603", "Larkspur claim LK-88213: Dorsey v. Brightwater Homes", "US", "USD",
                "litigation", "hourly", "panel", 0.0, True, first, closes=dt.date(2025, 10, 31),
                terms_days=45, topics=topics(lit_topics), witnesses=names(3)),
        _Matter("20603-0112", "20603", "Larkspur claim LK-90457: Abernathy v. Tollway Paving", "US", "USD",
                "litigation", "hourly", "panel", 0.0, True, first, closes=dt.date(2026, 4, 8),
                terms_days=45, topics=topics(lit_topics), witnesses=names(3)),
        _Matter("20603-0118", "20603", "Larkspur claim LK-91102: Pruitt v. Sandcastle Pools", "US", "USD",
                "litigation", "hourly", "panel", 0.0, True, first, terms_days=45,
                topics=topics(lit_topics), witnesses=names(3)),
        _Matter("20603-0121", "20603", "Larkspur claim LK-93318: Greer v. Northfield Movers", "US", "USD",
                "litigation", "hourly", "panel", 0.0, True, later(190, 230), terms_days=45,
                topics=topics(lit_topics), witnesses=names(3)),
        _Matter("20711-0005", "20711", "Oakhaven Manufacturing adv. Tri-County Water District", "US", "USD",
                "litigation", "capped", "standard", 0.0, True, first, topics=topics(lit_topics),
                witnesses=names(3)),
        _Matter("20711-0006", "20711", "Oakhaven Manufacturing: environmental compliance", "US", "USD",
                "advisory", "hourly", "standard", 0.0, False, first, topics=topics(advice_topics)),
        _Matter("30142-0002", "30142", "Northgate Mining: arbitration with Peace River Contractors", "CA",
                "CAD", "litigation", "hourly", "discount15", 5.0, False, first,
                topics=topics(lit_topics), witnesses=names(3)),
        _Matter("30142-0004", "30142", "Northgate Mining: securities and disclosure advice", "CA", "CAD",
                "advisory", "hourly", "discount15", 5.0, False, first, topics=topics(advice_topics)),
        _Matter("30208-0001", "30208", "Lakeshore Credit Union: regulatory counsel (fixed monthly fee)",
                "CA", "CAD", "advisory", "fixed", "standard", 13.0, False, first, monthly_fee=12_000.0,
                topics=topics(advice_topics)),
        _Matter("30208-0003", "30208", "Lakeshore Credit Union v. Hollis Mortgage Brokers", "CA", "CAD",
                "litigation", "hourly", "standard", 13.0, False, first, topics=topics(lit_topics),
                witnesses=names(3)),
        _Matter("30355-0006", "30355", "Tamarack Foods: acquisition of Bellwood Bakeries", "CA", "CAD",
                "corporate", "capped", "standard", 13.0, False, first, topics=topics(deal_topics)),
        _Matter("30417-0001", "30417", "Ridgeline Software: acquisition of Kestrel Data (Ontario)", "CA",
                "USD", "corporate", "hourly", "standard", 0.0, False, later(40, 90),
                topics=topics(deal_topics)),
        _Matter("30417-0002", "30417", "Ridgeline Software: Canadian employment advice", "CA", "USD",
                "advisory", "hourly", "standard", 0.0, False, dt.date(2026, 1, 12),
                topics=topics(advice_topics)),
    ]  # fmt: skip
    return m


_INTERNAL = {
    "admin": ("00001-0001", "Firm administration"),
    "bd": ("00001-0002", "Client development"),
    "cle": ("00001-0003", "Professional development / CLE"),
    "recruit": ("00001-0005", "Recruiting"),
    "pto": ("00001-0009", "Paid time off"),
    "probono": ("00002-0004", "Pro bono: tenant legal clinic"),
}

# Task texts per practice area: (UTBMS task, activity, text, "S" if only seniors do it).
_LIT_US = (
    ("L110", "A104", "Review {doc} produced by client re {topic}", ""),
    ("L110", "A106", "Telephone conference with client re factual background of {topic}", ""),
    ("L120", "A101", "Develop strategy re {topic}", "S"),
    ("L120", "A104", "Analyze opposing party's position re {topic}", ""),
    ("L210", "A103", "Draft amended answer and affirmative defenses", ""),
    ("L240", "A102", "Research case law re summary judgment standard for {topic}", ""),
    ("L240", "A103", "Revise brief in support of motion for summary judgment re {topic}", ""),
    ("L250", "A103", "Draft motion for extension of time and proposed order", ""),
    ("L310", "A103", "Draft responses to second set of interrogatories", ""),
    ("L310", "A104", "Review opposing party's responses to requests for production", ""),
    ("L320", "A104", "Review documents for privilege and responsiveness (review batch {n})", ""),
    ("L320", "A103", "Prepare privilege log entries for documents withheld re {topic}", ""),
    ("L330", "A101", "Prepare outline for deposition of {witness}", ""),
    ("L330", "A109", "Attend deposition of {witness}", ""),
    ("L340", "A104", "Review expert report on {topic}", ""),
    ("L350", "A103", "Draft meet-and-confer letter re deficient discovery responses", ""),
    ("L160", "A106", "Email with client re settlement parameters", "S"),
    ("L230", "A109", "Attend case management conference", "S"),
)
_LIT_CA = (
    ("", "", "Review {doc} re {topic}", ""),
    ("", "", "Draft statement of defence", ""),
    ("", "", "Prepare affidavit of documents and Schedule A productions", ""),
    ("", "", "Prepare for examination for discovery of {witness}", ""),
    ("", "", "Attend examination for discovery of {witness}", ""),
    ("", "", "Research re {topic} under Ontario case law", ""),
    ("", "", "Draft motion record re {topic}", ""),
    ("", "", "Review undertakings chart and answers re {topic}", ""),
    ("", "", "Prepare arbitration brief re {topic}", ""),
    ("", "", "Attend case conference", "S"),
)
_CORP = (
    ("", "", "Revise draft purchase agreement re {topic}", ""),
    ("", "", "Review due diligence materials re {topic}", ""),
    ("", "", "Review buyer's counsel's comments re {topic}", ""),
    ("", "", "Draft board resolutions and officer's certificate", ""),
    ("", "", "Review material contracts for change-of-control provisions", ""),
    ("", "", "Prepare disclosure schedules re {topic}", ""),
    ("", "", "Negotiate {topic} with opposing counsel", "S"),
    ("", "", "Draft escrow agreement", ""),
)
_ADVICE = (
    ("", "", "Advise client re {topic}", "S"),
    ("", "", "Draft memorandum re {topic}", ""),
    ("", "", "Review client's draft {topic}", ""),
    ("", "", "Research regulatory requirements re {topic}", ""),
    ("", "", "Call with client compliance team re {topic}", ""),
)
_PARALEGAL = {
    "litigation": (
        "Prepare document production set, Bates range {bates}",
        "Summarize deposition transcript of {witness}",
        "Update pleadings and correspondence index",
        "Prepare exhibits for deposition of {witness}",
        "Cite-check brief re {topic}",
    ),
    "corporate": (
        "Update closing checklist",
        "Prepare signature pages and compile execution versions",
        "Order good standing certificates and lien searches",
        "Organize data room index re {topic}",
    ),
    "advisory": ("Compile regulatory filings history re {topic}", "Prepare filing package re {topic}"),
}
_COMMS = (
    ("A106", "Email with client re {topic}"),
    ("A106", "Telephone call with client re {topic}"),
    ("A107", "Email with opposing counsel re {topic}"),
    ("A105", "Conference with {colleague} re {topic}"),
    ("A105", "Email to team re next steps"),
)
_TRIAL_TASKS = (
    ("L450", "A109", "Attend trial (day {n})"),
    ("L440", "A101", "Prepare direct examination outline for {witness}"),
    ("L440", "A101", "Prepare cross-examination of {witness}"),
    ("L430", "A103", "Draft bench memorandum re {topic}"),
    ("L440", "A110", "Prepare trial exhibits and witness binders for next day"),
)
_TRIAL_PARALEGAL = (
    ("L440", "A110", "Prepare trial exhibits and witness binders for next day"),
    ("L450", "A109", "Attend trial to manage exhibits and trial presentation"),
    ("L440", "A110", "Update exhibit log and list of admitted exhibits"),
)
_CLERICAL = (
    "Organize and file correspondence",
    "Scan and save documents to the document management system",
    "Calendar deadlines from scheduling order",
    "Arrange courier delivery of filing to court",
    "Copy and assemble hearing binders",
    "Update contact list for matter team",
    "Download and save docket entries",
)
_VAGUE = (
    "Attention to matter",
    "Work on file",
    "Review documents",
    "Research",
    "Various correspondence",
    "Review and analysis",
    "File review",
)
_PADDING = (
    "Review file and recent correspondence",
    "Review case materials in preparation for next steps",
    "Update working notes re open issues",
    "Review status of outstanding items",
)
_DOCS = (
    "shipment records",
    "email correspondence",
    "maintenance logs",
    "contracts",
    "board minutes",
    "invoices",
)


def _fill(text: str, m: _Matter, rng: np.random.Generator) -> str:
    return text.format(
        topic=m.topics[int(rng.integers(len(m.topics)))] if m.topics else "open issues",
        witness=m.witnesses[int(rng.integers(len(m.witnesses)))] if m.witnesses else "the client's witness",
        doc=_DOCS[int(rng.integers(len(_DOCS)))],
        n=int(rng.integers(2, 40)),
        bates=f"{m.client[:2]}{int(rng.integers(10, 90)):02d}{int(rng.integers(1000, 9999))}",
        colleague=_NAMES[int(rng.integers(len(_NAMES)))],
    )


def _task_pool(m: _Matter) -> tuple[tuple[str, str, str, str], ...]:
    if m.area == "litigation":
        return _LIT_US if m.office == "US" else _LIT_CA
    return _CORP if m.area == "corporate" else _ADVICE


def _narrative(m: _Matter, role: str, rng: np.random.Generator, *, k: int = 0) -> str:
    """One entry's narrative; with ``k`` a block narrative joining ``k`` tasks and a call or email
    with semicolons."""
    if role == "Paralegal":
        texts = _PARALEGAL[m.area]
        body = "; ".join(_fill(texts[int(rng.integers(len(texts)))], m, rng) for _ in range(max(1, k)))
        return f"L140 A110 {body}" if m.ledes and m.area == "litigation" else body
    pool = [t for t in _task_pool(m) if not (t[3] == "S" and role == "Associate")]
    picks = [pool[int(i)] for i in rng.choice(len(pool), size=min(len(pool), max(1, k)), replace=False)]
    if k:
        parts = [_fill(t[2], m, rng) for t in picks]
        parts.insert(
            int(rng.integers(1, len(parts) + 1)), _fill(_COMMS[int(rng.integers(len(_COMMS)))][1], m, rng)
        )
        body = "; ".join(parts[:1] + [p[0].lower() + p[1:] for p in parts[1:]])
    else:
        body = _fill(picks[0][2], m, rng)
    if m.ledes and picks[0][0]:
        return f"{picks[0][0]} {picks[0][1]} {body}"
    return body


def _comms(m: _Matter, rng: np.random.Generator) -> str:
    act, text = _COMMS[int(rng.integers(len(_COMMS)))]
    body = _fill(text, m, rng)
    if m.ledes and m.area == "litigation":
        return f"L120 {act} {body}"
    return body


def _logged_at(day: dt.date, habit: str, rng: np.random.Generator) -> dt.datetime:
    if habit == "timer":
        return dt.datetime.combine(day, dt.time(9)) + dt.timedelta(minutes=float(rng.integers(0, 600)))
    if habit == "evening":
        return dt.datetime.combine(day, dt.time(18)) + dt.timedelta(minutes=float(rng.integers(0, 330)))
    if habit == "weekly":
        sunday = day + dt.timedelta(days=6 - day.weekday())
        return dt.datetime.combine(sunday, dt.time(14)) + dt.timedelta(minutes=float(rng.integers(0, 480)))
    next_month = (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    # Billing's reminder: time is due by the third of the next month.
    return dt.datetime.combine(next_month - dt.timedelta(days=1), dt.time(16)) + dt.timedelta(
        minutes=float(rng.integers(0, 60 * 60))
    )


def _timekeepers(rng: np.random.Generator, n_people: int, first: dt.date) -> list[_Timekeeper]:
    mix = ("Partner", "Associate", "Paralegal", "Senior Associate", "Associate", "Partner", "Paralegal",
           "Counsel", "Associate", "Senior Associate")  # fmt: skip
    people: list[_Timekeeper] = []
    for k in range(n_people):
        role = mix[k % len(mix)]
        office = "US" if k % 10 not in (2, 5, 8) else "CA"
        joins = first
        first_year = False
        if role == "Associate" and k % 4 == 1:
            joins, first_year = dt.date(2025, 9, 15), True
        elif rng.random() < 0.06:
            joins = first + dt.timedelta(days=int(rng.integers(40, 250)))
        people.append(
            _Timekeeper(
                pid=f"{(4 if office == 'US' else 7)}{1000 + 23 * k:04d}",
                office=office,
                role=role,
                earlier_role=role,
                joins=joins,
                leaves=None,
                logging=str(
                    rng.choice(["timer", "evening", "weekly", "month_end"], p=[0.3, 0.4, 0.18, 0.12])
                ),
                block_biller=bool(
                    rng.random() < {"Partner": 0.45, "Counsel": 0.3, "Senior Associate": 0.15}.get(role, 0.05)
                ),
                first_year=first_year,
                target=_TARGET[role] * float(rng.uniform(0.85, 1.15)),
            )
        )
    # Class-year promotions on 1 January; the people export gives the new role.
    seniors = [p for p in people if p.role == "Associate" and not p.first_year and p.joins == first]
    for p in seniors[: max(1, len(seniors) // 3)]:
        p.role = "Senior Associate"
    counsel = [p for p in people if p.role == "Senior Associate" and p.earlier_role == "Senior Associate"]
    if counsel:
        counsel[-1].role = "Counsel"
    associates = [
        p for p in people if p.earlier_role == "Associate" and not p.first_year and p.role == "Associate"
    ]
    if len(associates) > 2:
        associates[-1].leaves = dt.date(2025, 11, 14)
    paralegals = [p for p in people if p.role == "Paralegal"]
    if len(paralegals) > 2:
        paralegals[-1].leaves = dt.date(2026, 2, 27)
    return people


def _staff_matters(
    rng: np.random.Generator, people: list[_Timekeeper], matters: list[_Matter]
) -> list[_Timekeeper]:
    """Teams per matter from the office: partners, a senior, associates, a paralegal;
    returns the trial team."""

    def pick(office: str, roles: tuple[str, ...], k: int, exclude: set[str]) -> list[_Timekeeper]:
        pool = [p for p in people if p.office == office and p.earlier_role in roles and p.pid not in exclude]
        if not pool:
            pool = [p for p in people if p.earlier_role in roles and p.pid not in exclude]
        if not pool:
            return []
        return [pool[int(i)] for i in rng.choice(len(pool), size=min(k, len(pool)), replace=False)]

    trial_team: list[_Timekeeper] = []
    for m in matters:
        load = 2.5 if m.code == "20114-0031" else float(rng.uniform(0.6, 1.6))
        team: list[_Timekeeper] = []
        chosen: set[str] = set()
        for roles, k in (
            (("Partner",), 1 + int(rng.random() < 0.3)),
            (("Counsel", "Senior Associate"), int(rng.random() < 0.8) + int(m.code == "20114-0031")),
            (("Associate",), 1 + int(rng.random() < 0.5) + int(m.code == "20114-0031")),
            (("Paralegal",), int(m.area == "litigation" or rng.random() < 0.5) + int(m.code == "20114-0031")),
        ):
            got = pick(m.office, roles, k, chosen)
            chosen.update(p.pid for p in got)
            team.extend(got)
        for p in team:
            p.matters.append((m, load * float(rng.uniform(0.5, 1.5))))
        if m.code == "20114-0031":
            trial_team = [p for p in team if p.leaves is None]
    for p in people:
        if not p.matters:
            same = [m for m in matters if m.office == p.office and m.fee != "fixed"]
            m = same[int(rng.integers(len(same)))]
            p.matters.append((m, 1.0))
    return trial_team


def _time_away(rng: np.random.Generator, p: _Timekeeper, workdays: list[dt.date]) -> None:
    """A summer week, the days around New Year for most, and scattered days."""
    summer = [d for d in workdays if dt.date(2025, 6, 16) <= d <= dt.date(2025, 8, 29)]
    if summer:
        start = int(rng.integers(0, max(1, len(summer) - 5)))
        p.away.update(summer[start : start + 5])
    if rng.random() < 0.6:
        p.away.update(d for d in workdays if dt.date(2025, 12, 26) <= d <= dt.date(2026, 1, 2))
    for d in rng.choice(len(workdays), size=min(len(workdays), 6), replace=False):
        p.away.add(workdays[int(d)])


def _busy(p: _Timekeeper, m: _Matter, day: dt.date, trial: set[str]) -> float:
    """How much more than usual a matter draws on a day (trial, deal closings)."""
    if m.code == "20114-0031" and p.pid in trial:
        if _TRIAL[0] <= day <= _TRIAL[1]:
            return 3.0
        if _TRIAL[2] <= day <= _TRIAL[3]:
            return 12.0
    closing = {
        "20387-0008": (dt.date(2026, 2, 2), dt.date(2026, 2, 13)),
        "30355-0006": (dt.date(2025, 11, 10), dt.date(2025, 11, 21)),
        "20519-0001": (dt.date(2026, 3, 9), dt.date(2026, 3, 20)),
    }.get(m.code)
    if closing and closing[0] <= day <= closing[1]:
        return 3.0
    return 1.0


def simulate_firm_d(
    seed: int = 0,
    *,
    n_people: int = 44,
    start: str = "2025-05-01",
    end: str = "2026-04-30",
    batch_from: str = "2026-04-01",
    anomaly_rate: float = 0.025,
) -> FirmD:
    """Ashby Crane LLP's year to ``end``; the scored batch starts at ``batch_from``."""
    rng = np.random.default_rng(seed + 31_000)
    first, last, cut = (dt.date.fromisoformat(x) for x in (start, end, batch_from))
    holidays = {c: {dt.date.fromisoformat(h) for h in hs} for c, hs in _HOLIDAYS.items()}
    matters = _matters(rng, first, cut)
    people = _timekeepers(rng, n_people, first)
    trial_team = {p.pid for p in _staff_matters(rng, people, matters)}
    rows: list[dict[str, Any]] = []

    def book(
        p: _Timekeeper,
        m: _Matter | None,
        day: dt.date,
        hours: float,
        text: str,
        *,
        internal: str = "",
        billable: bool = True,
    ) -> None:
        role = p.role_on(day)
        if m is None:
            code, _ = _INTERNAL[internal]
            currency = "USD" if p.office == "US" else "CAD"
            rate = float("nan")
            if internal == "probono":
                rate = _STANDARD_2025[p.office][role] * (_UPLIFT[p.office] if day >= _NEW_YEAR else 1.0)
            rows.append(
                {
                    "person_id": p.pid,
                    "project_id": code,
                    "client_id": code[:5],
                    "work_date": day,
                    "hours": _tenths(hours),
                    "billable": False,
                    "role": role,
                    "bill_rate": _round5(rate) if rate == rate else rate,
                    "currency": currency,
                    "description": text,
                    "logged_at": _logged_at(day, p.logging, rng),
                    "label_kind": "",
                }
            )
            return
        no_charge = billable and rng.random() < (0.07 if p.first_year else 0.015)
        rows.append(
            {
                "person_id": p.pid,
                "project_id": m.code,
                "client_id": m.client,
                "work_date": day,
                "hours": _tenths(hours),
                "billable": billable and not no_charge,
                "role": role,
                "bill_rate": m.standard(role, day) if m.fee == "fixed" else m.rate(role, day),
                "currency": m.currency,
                "description": ("NO CHARGE - " + text) if (no_charge or not billable) else text,
                "logged_at": _logged_at(day, p.logging, rng),
                "label_kind": "",
            }
        )

    def matter_day(p: _Timekeeper, m: _Matter, day: dt.date, hours: float) -> None:
        """A timekeeper's hours on one matter on one day, as their habit records them."""
        role = p.role_on(day)
        trial_day = m.code == "20114-0031" and p.pid in trial_team and _TRIAL[2] <= day <= _TRIAL[3]
        if trial_day:
            n = (day - _TRIAL[2]).days // 7 * 5 + min(4, day.weekday()) + 1
            if role != "Paralegal" and day.weekday() < 5:
                attend = _tenths(float(rng.uniform(7.5, 9.0)))
                book(p, m, day, attend, f"L450 A109 Attend trial (day {n})")
                hours -= attend
            pool = tuple(
                t
                for t in (_TRIAL_PARALEGAL if role == "Paralegal" else _TRIAL_TASKS[1:])
                if day.weekday() < 5 or t[1] != "A109"  # no court at weekends
            )
            order = rng.permutation(len(pool))
            for j in range(len(pool)):
                if hours <= 0.2:
                    break
                code, act, text = pool[int(order[j])]
                h = (
                    hours
                    if j == len(pool) - 1
                    else min(
                        hours, float(rng.uniform(1.0, 3.5) if role != "Paralegal" else rng.uniform(2.5, 6.0))
                    )
                )
                book(p, m, day, h, f"{code} {act} {_fill(text, m, rng)}")
                hours -= h
            return
        if p.block_biller and hours >= 1.5:
            book(p, m, day, hours, _narrative(m, role, rng, k=int(rng.integers(2, 4))))
            return
        while hours > 0.05:
            if rng.random() < 0.3 and role != "Paralegal":
                h = float(rng.choice([0.1, 0.1, 0.2, 0.2, 0.3, 0.4]))
                book(p, m, day, min(h, hours), _comms(m, rng))
            else:
                h = min(hours, float(rng.uniform(0.6, 3.2)))
                if hours - h < 0.3:
                    h = hours
                book(p, m, day, h, _narrative(m, role, rng))
            hours -= h

    all_days = [first + dt.timedelta(days=k) for k in range((last - first).days + 1)]
    for p in people:
        mine = [
            d
            for d in all_days
            if d >= p.joins and (p.leaves is None or d <= p.leaves) and d not in holidays[p.office]
        ]
        workdays = [d for d in mine if d.weekday() < 5]
        _time_away(rng, p, workdays)
        for day in mine:
            role = p.role_on(day)
            weekend = day.weekday() >= 5
            boosted = [(m, w, _busy(p, m, day, trial_team)) for m, w in p.matters if m.open_on(day)]
            live = [(m, w * b) for m, w, b in boosted]
            in_trial = any(m.code == "20114-0031" and b > 1 for m, _, b in boosted)
            closing = any(m.code != "20114-0031" and b > 1 for m, _, b in boosted)
            if weekend:
                if not live or rng.random() > (0.7 if in_trial else 0.35 if closing else _WEEKEND[role]):
                    continue
                total = float(rng.uniform(4, 9)) if in_trial else float(rng.uniform(0.5, 4.0))
            else:
                if day in p.away and not in_trial:
                    if role == "Paralegal":
                        book(p, None, day, 7.5, "Paid time off", internal="pto")
                    continue
                total = p.target * float(rng.lognormal(0.0, 0.22))
                if in_trial:
                    total = float(rng.uniform(10.5, 13.5) if role != "Paralegal" else rng.uniform(9.0, 11.5))
                elif closing:
                    total = min(14.0, total * float(rng.uniform(1.25, 1.5)))
                else:
                    total = min(11.5, total)
                # Non-billable time: administration, client development, CLE, pro bono.
                if rng.random() < (0.45 if role in ("Partner", "Counsel") else 0.2):
                    what = "bd" if role in ("Partner", "Counsel") and rng.random() < 0.6 else "admin"
                    if role in ("Associate", "Senior Associate") and rng.random() < 0.4:
                        what = "cle" if rng.random() < 0.5 else "recruit"
                    book(p, None, day, float(rng.uniform(0.3, 1.8)), _INTERNAL[what][1], internal=what)
                if role in ("Associate", "Senior Associate") and rng.random() < 0.04:
                    book(
                        p,
                        None,
                        day,
                        float(rng.uniform(1.0, 3.5)),
                        "Pro bono: tenant clinic intake and advice",
                        internal="probono",
                    )
                if role == "Paralegal" and live and rng.random() < 0.08:
                    m = live[int(rng.integers(len(live)))][0]
                    book(
                        p,
                        m,
                        day,
                        float(rng.uniform(0.3, 1.0)),
                        _CLERICAL[int(rng.integers(len(_CLERICAL)))],
                        billable=False,
                    )
                if not live:
                    book(p, None, day, float(rng.uniform(1.0, 3.0)), "Firm administration", internal="admin")
                    continue
            weights = np.array([w for _, w in live])
            k = min(len(live), 1 + int(rng.poisson(0.9 if not weekend else 0.2)))
            picks = rng.choice(len(live), size=k, replace=False, p=weights / weights.sum())
            shares = rng.dirichlet(weights[picks] * 2.0) * total
            for i, h in zip(picks, shares, strict=True):
                if h >= 0.1:
                    matter_day(p, live[int(i)][0], day, float(h))

    frame = pd.DataFrame(rows)
    frame["work_date"] = pd.to_datetime(frame["work_date"])
    frame["logged_at"] = pd.to_datetime(frame["logged_at"])
    frame = _misbill(rng, frame, people, matters, trial_team, holidays, first, cut, last, anomaly_rate)
    frame = frame.sort_values(["work_date", "person_id", "logged_at"], kind="stable").reset_index(drop=True)
    frame.insert(0, "entry_id", [f"AC{seed:02d}-{k:06d}" for k in range(len(frame))])
    invoices, lines, caps = _simulate_invoices(seed, frame, people, matters, first, last, cut)
    context = _context(people, matters, holidays, caps)
    return FirmD(entries=frame, context=context, cut=pd.Timestamp(cut), invoices=invoices, lines=lines)


def _working_days(
    start: dt.date, end: dt.date, office: str, holidays: dict[str, set[dt.date]]
) -> list[dt.date]:
    return [
        start + dt.timedelta(days=k)
        for k in range((end - start).days + 1)
        if (start + dt.timedelta(days=k)).weekday() < 5
        and (start + dt.timedelta(days=k)) not in holidays[office]
    ]


def _misbill(
    rng: np.random.Generator,
    frame: pd.DataFrame,
    people: list[_Timekeeper],
    matters: list[_Matter],
    trial_team: set[str],
    holidays: dict[str, set[dt.date]],
    first: dt.date,
    cut: dt.date,
    last: dt.date,
    rate: float,
) -> pd.DataFrame:
    by_pid = {p.pid: p for p in people}
    by_code = {m.code: m for m in matters}
    cut_ts = pd.Timestamp(cut)
    in_batch = (frame["work_date"] >= cut_ts).to_numpy()
    per_kind = max(6, int(rate * int(in_batch.sum()) / len(FIRM_D_TIME_KINDS)))
    client = frame["project_id"].isin(list(by_code)).to_numpy()
    billable = frame["billable"].to_numpy(dtype=bool) & client
    trial_rows = (frame["project_id"] == "20114-0031").to_numpy() & frame["person_id"].isin(
        trial_team
    ).to_numpy()
    added: list[dict[str, Any]] = []
    dropped: set[int] = set()

    def free() -> np.ndarray:
        return (frame["label_kind"] == "").to_numpy() & ~np.isin(np.arange(len(frame)), list(dropped))

    def sample(mask: np.ndarray, n: int) -> np.ndarray:
        idx = np.flatnonzero(mask & free())
        return rng.choice(idx, size=min(n, len(idx)), replace=False) if len(idx) else idx

    def entry(
        p: _Timekeeper, m: _Matter, day: dt.date, hours: float, text: str, kind: str, **more: Any
    ) -> dict[str, Any]:
        role = p.role_on(day)
        out = {
            "person_id": p.pid,
            "project_id": m.code,
            "client_id": m.client,
            "work_date": pd.Timestamp(day),
            "hours": _tenths(hours),
            "billable": True,
            "role": role,
            "bill_rate": m.standard(role, day) if m.fee == "fixed" else m.rate(role, day),
            "currency": m.currency,
            "description": text,
            "logged_at": pd.Timestamp(_logged_at(day, p.logging, rng)),
            "label_kind": kind,
        }
        out.update(more)
        return out

    def phases(n_batch: int, n_history: int, since: dt.date | None = None) -> list[tuple[np.ndarray, int]]:
        history = ~in_batch
        if since is not None:
            history &= (frame["work_date"] >= pd.Timestamp(since)).to_numpy()
        return [(in_batch, n_batch), (history, n_history)]

    # block_over_norm: a day's entries on an ordinary matter rolled into one inflated block.
    groups = frame[billable & ~trial_rows & free()].groupby(["person_id", "project_id", "work_date"])["hours"]
    sums = groups.agg(["sum", "count"])
    sums = sums[(sums["count"] >= 2) & (sums["sum"] >= 3.5)]
    for phase_batch, n in ((True, per_kind), (False, per_kind // 3)):
        keys = [k for k in sums.index if (k[2] >= cut_ts) == phase_batch]
        for j in rng.choice(len(keys), size=min(n, len(keys)), replace=False) if keys else []:
            pid, code, day = keys[int(j)]
            p, m = by_pid[pid], by_code[code]
            idx = np.flatnonzero(
                (frame["person_id"] == pid).to_numpy()
                & (frame["project_id"] == code).to_numpy()
                & (frame["work_date"] == day).to_numpy()
                & billable
            )
            dropped.update(int(i) for i in idx)
            worked = float(frame.loc[idx, "hours"].sum())
            hours = max(worked * float(rng.uniform(1.35, 1.8)), float(rng.uniform(8.5, 13.0)))
            text = _narrative(m, p.role_on(day.date()), rng, k=int(rng.integers(4, 6)))
            added.append(
                entry(
                    p,
                    m,
                    day.date(),
                    min(hours, 13.0),
                    text,
                    "block_over_norm",
                    logged_at=frame.loc[idx, "logged_at"].max(),
                )
            )

    # closed_matter: post-closing work on the deal closed in February (history and batch),
    # and work on the settled claim after its settlement.
    for code in ("20387-0008", "20603-0112"):
        m = by_code[code]
        assert m.closes is not None
        crew = [p for p in people if any(x.code == code for x, _ in p.matters) and p.leaves is None]
        spans = [(max(m.closes + dt.timedelta(days=3), cut), last, per_kind // 2 + 1)]
        if m.closes < cut:
            spans.append((m.closes + dt.timedelta(days=5), cut - dt.timedelta(days=1), per_kind // 3))
        texts = (
            ("Post-closing: prepare closing binder", "Review post-closing purchase price adjustment",
             "Post-closing: update capitalization records")
            if m.area == "corporate"
            else ("L160 A103 Finalize settlement release",
                  "L160 A106 Email with adjuster re settlement payment",
                  "L120 A104 Review file for closing report")
        )  # fmt: skip
        for lo, hi, n in spans:
            days = [d for d in _working_days(lo, hi, m.office, holidays)]
            if not crew or not days:
                continue
            for _ in range(n):
                p = crew[int(rng.integers(len(crew)))]
                day = days[int(rng.integers(len(days)))]
                added.append(
                    entry(
                        p,
                        m,
                        day,
                        float(rng.uniform(0.4, 3.0)),
                        texts[int(rng.integers(len(texts)))],
                        "closed_matter",
                    )
                )

    # paralegal_at_associate_rate: a paralegal's hours at the associate rate.
    paralegal_rows = (frame["role"] == "Paralegal").to_numpy() & billable
    hourly = frame["project_id"].map(lambda c: c in by_code and by_code[c].fee != "fixed").to_numpy()
    for phase, n in phases(per_kind, per_kind // 3):
        for j, i in enumerate(sample(paralegal_rows & hourly & phase, n)):
            m = by_code[str(frame.at[i, "project_id"])]
            frame.at[i, "bill_rate"] = m.rate("Associate", frame["work_date"].dt.date.to_numpy()[i])
            if j % 2 == 0:
                frame.at[i, "role"] = "Associate"
            frame.at[i, "label_kind"] = "paralegal_at_associate_rate"

    # duplicate_import: a timer-app user's whole day imported a second time.
    timer = frame["person_id"].map(lambda pid: by_pid[pid].logging == "timer").to_numpy() & billable
    for phase, n in phases(per_kind, max(2, per_kind // 3)):
        days = frame[timer & phase & free()].groupby(["person_id", "work_date"]).size()
        days = days[(days >= 2) & (days <= 5)]
        order = rng.permutation(len(days))
        copied = 0
        for j in order:
            if copied >= n:
                break
            pid, day = days.index[int(j)]
            idx = np.flatnonzero(
                (frame["person_id"] == pid).to_numpy()
                & (frame["work_date"] == day).to_numpy()
                & timer
                & free()
            )
            when = (frame.loc[idx, "logged_at"].max() + pd.Timedelta(hours=float(rng.uniform(8, 40)))).floor(
                "s"
            )
            for i in idx:
                added.append(
                    {
                        **{str(c): v for c, v in frame.loc[i].items()},
                        "logged_at": when,
                        "label_kind": "duplicate_import",
                    }
                )
            copied += len(idx)

    # clerical_billed: clerical tasks billed to the client, mostly by paralegals.
    staff = [
        (p, m)
        for p in people
        for m, _ in p.matters
        if p.leaves is None and m.fee != "fixed" and p.earlier_role in ("Paralegal", "Associate")
    ]
    for lo, hi, n in (
        (cut, last, per_kind),
        (first + dt.timedelta(days=60), cut - dt.timedelta(days=1), per_kind // 3),
    ):
        for _ in range(n):
            if not staff:
                break
            paralegals = [pm for pm in staff if pm[0].earlier_role == "Paralegal"]
            pool = paralegals if paralegals and rng.random() < 0.8 else staff
            p, m = pool[int(rng.integers(len(pool)))]
            days = [
                d
                for d in _working_days(max(lo, p.joins, m.opens), min(hi, m.closes or hi), p.office, holidays)
                if d not in p.away
            ]
            if not days:
                continue
            text = _CLERICAL[int(rng.integers(len(_CLERICAL)))]
            if m.ledes and m.area == "litigation":
                text = f"L140 A110 {text}"
            added.append(
                entry(
                    p,
                    m,
                    days[int(rng.integers(len(days)))],
                    float(rng.uniform(0.5, 2.5)),
                    text,
                    "clerical_billed",
                )
            )

    # vague_narrative: substantive hours described in a few words by someone who writes detail.
    detailed = frame["person_id"].map(lambda pid: not by_pid[pid].block_biller).to_numpy()
    substantive = (frame["hours"] >= 1.0).to_numpy() & billable & detailed & ~trial_rows
    for phase, n in phases(per_kind, per_kind // 3):
        for i in sample(substantive & phase, n):
            frame.at[i, "description"] = _VAGUE[int(rng.integers(len(_VAGUE)))]
            frame.at[i, "hours"] = _tenths(
                float(frame["hours"].to_numpy(dtype=float)[i]) * float(rng.uniform(1.0, 1.5))
            )
            frame.at[i, "label_kind"] = "vague_narrative"

    # month_end_padding: an associate short of target pads the last week of the month
    # (April in the batch, January before it), logging it all on the last evening.
    padders = [
        p
        for p in people
        if p.role_on(cut) in ("Associate", "Senior Associate")
        and p.leaves is None
        and p.pid not in trial_team
        and not p.first_year
        # Someone with hourly work open through both months to pad.
        and any(m.fee != "fixed" and m.open_on(dt.date(2026, 1, 2)) and m.open_on(last) for m, _ in p.matters)
    ]
    if padders:
        p = padders[int(rng.integers(len(padders)))]
        for month_start, month_end, per_day in (
            (cut, last, (2, 4)),
            (dt.date(2026, 1, 1), dt.date(2026, 1, 31), (1, 3)),
        ):
            days = [d for d in _working_days(month_start, month_end, p.office, holidays) if d not in p.away][
                -5:
            ]
            burst = dt.datetime.combine(month_end, dt.time(21))
            for day in days:
                live = [m for m, _ in p.matters if m.open_on(day) and m.fee != "fixed"]
                if not live:
                    continue
                for _ in range(int(rng.integers(*per_day))):
                    m = live[int(rng.integers(len(live)))]
                    text = _PADDING[int(rng.integers(len(_PADDING)))]
                    if m.ledes and m.area == "litigation":
                        text = f"L120 A104 {text}"
                    added.append(
                        entry(
                            p,
                            m,
                            day,
                            float(rng.uniform(0.8, 2.4)),
                            text,
                            "month_end_padding",
                            logged_at=pd.Timestamp(burst + dt.timedelta(minutes=float(rng.integers(0, 170)))),
                        )
                    )

    # rate_above_letter: the insurer froze its panel rates for 2026; the new year's increase
    # was applied anyway for two timekeepers in the batch (and one in January, before the fix).
    panel = (
        frame["project_id"].map(lambda c: c in by_code and by_code[c].letter == "panel").to_numpy() & billable
    )
    january = (
        (frame["work_date"] >= pd.Timestamp("2026-01-01")) & (frame["work_date"] < pd.Timestamp("2026-02-01"))
    ).to_numpy()
    for phase, n, k in ((in_batch, per_kind, 2), (january, per_kind // 3 + 1, 1)):
        who = frame.loc[panel & phase & free(), "person_id"].value_counts()
        for pid in who.index[:k]:
            for i in sample(panel & phase & (frame["person_id"] == pid).to_numpy(), max(1, n // k)):
                role = str(frame.at[i, "role"])
                frame.at[i, "bill_rate"] = _round5(_PANEL[role] * _UPLIFT["US"])
                frame.at[i, "label_kind"] = "rate_above_letter"

    keep = np.ones(len(frame), dtype=bool)
    keep[list(dropped)] = False
    frame = pd.concat([frame[keep], pd.DataFrame(added)], ignore_index=True)
    frame["billable"] = frame["billable"].astype(bool)
    frame["hours"] = frame["hours"].astype(float)
    frame["bill_rate"] = frame["bill_rate"].astype(float)
    frame["work_date"] = pd.to_datetime(frame["work_date"])
    frame["logged_at"] = pd.to_datetime(frame["logged_at"])
    return frame


def _context(
    people: list[_Timekeeper],
    matters: list[_Matter],
    holidays: dict[str, set[dt.date]],
    caps: dict[str, float],
) -> dict[str, Any]:
    projects = []
    for m in matters:
        item: dict[str, Any] = {
            "project_id": m.code,
            "client_id": m.client,
            "currency": m.currency,
            "start_date": m.opens.isoformat(),
            "payment_terms_days": m.terms_days,
            "invoice_frequency": "monthly",
        }
        if m.closes is not None:
            item["end_date"] = m.closes.isoformat()
        if m.code in caps:
            item["not_to_exceed"] = caps[m.code]
        if m.fee != "fixed":
            # The letter's card in force (2026): the panel's frozen rates, the discounted card, or standard.
            item["rate_card"] = [{"role": r, "rate": m.rate(r, _NEW_YEAR), "unit": "hour"} for r in _ROLES]
        projects.append(item)
    staff = []
    for p in people:
        item = {
            "person_id": p.pid,
            "role": p.role,
            "hours_per_day": 7.5 if p.role == "Paralegal" else 8.0,
            "country": p.office,
            "hire_date": p.joins.isoformat(),
        }
        if p.leaves is not None:
            item["leaving_date"] = p.leaves.isoformat()
        staff.append(item)
    return {
        "projects": projects,
        "people": staff,
        "holidays": [
            {"country": c, "date": d.isoformat()} for c, days in holidays.items() for d in sorted(days)
        ],
    }


# --- Invoices ------------------------------------------------------------------------------

_DISBURSEMENTS = (
    ("E101", "Copying", 40.0, 400.0),
    ("E106", "Online research (Westlaw)", 150.0, 900.0),
    ("E107", "Courier and messenger services", 25.0, 180.0),
    ("E112", "Court filing fees", 50.0, 450.0),
    ("E115", "Deposition transcript (court reporter)", 600.0, 2_400.0),
    ("E110", "Out-of-town travel: airfare and hotel", 700.0, 2_200.0),
)
_CA_DISBURSEMENTS = (
    ("", "Photocopies and printing", 40.0, 300.0),
    ("", "Court and registry fees", 60.0, 400.0),
    ("", "Examination transcript", 500.0, 1_800.0),
    ("", "Corporate searches", 30.0, 250.0),
)


def _working_day_after(day: dt.date, days: int) -> dt.date:
    out = day + dt.timedelta(days=days)
    while out.weekday() >= 5:
        out += dt.timedelta(days=1)
    return out


class _Ledger:
    """Issued invoices, numbered per office: Chicago a running number the firm's other practice
    groups share (so it steps by more than one here), Toronto per year."""

    def __init__(self, seed: int) -> None:
        self.heads: list[dict[str, Any]] = []
        self.lines: list[dict[str, Any]] = []
        self.counter = {"US": 0, "CA": 0}
        self.seed = seed

    def issue(
        self,
        m: _Matter,
        issued: dt.date,
        body: list[dict[str, Any]],
        *,
        kind: str = "",
        tax_rate: float | None = None,
    ) -> dict[str, Any]:
        self.counter[m.office] += 1
        n = self.counter[m.office]
        number = f"{1_204_300 + 7 * n}" if m.office == "US" else f"TO{issued:%y}-{n:05d}"
        net = round(sum(b["amount"] for b in body), 2)
        tax = round(net * (m.tax_rate if tax_rate is None else tax_rate) / 100.0, 2)
        head = {
            "invoice_id": f"ACI{self.seed:02d}-{len(self.heads):05d}",
            "invoice_number": number,
            "client_id": m.client,
            "project_id": m.code,
            "issue_date": issued,
            "due_date": issued + dt.timedelta(days=m.terms_days),
            "currency": m.currency,
            "subtotal": net,
            "tax": tax,
            "total": round(net + tax, 2),
            # E-billing clients want their own matter reference; others get ours.
            "po_number": f"LK-{m.name.split('LK-')[1][:5]}" if "LK-" in m.name else f"Our ref. {m.code}",
            "label_kind": kind,
        }
        self.heads.append(head)
        self.lines.extend({**b, "invoice_id": head["invoice_id"]} for b in body)
        return head


def _line(description: str, quantity: float, price: float, role: str, start: Any, end: Any) -> dict[str, Any]:
    return {
        "description": description,
        "quantity": round(quantity, 2),
        "unit_price": round(price, 2),
        "amount": round(round(quantity, 2) * price, 2),
        "role": role,
        "period_start": start,
        "period_end": end,
    }


def _simulate_invoices(
    seed: int,
    entries: pd.DataFrame,
    people: list[_Timekeeper],
    matters: list[_Matter],
    first: dt.date,
    last: dt.date,
    cut: dt.date,
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, float]]:
    """The year's invoices (the last month's are issued after ``last``) with the misbilling of
    ``FIRM_D_INVOICE_KINDS``; returns the fee cap per capped matter."""
    rng = np.random.default_rng(seed + 33_000)
    ledger = _Ledger(seed)
    by_pid = {p.pid: p for p in people}
    closes = {m.code: pd.Timestamp(m.closes or last) for m in matters}
    # The pre-bill takes recorded billable time inside the matter's dates; the billing partner
    # prices it at the letter and the timekeeper's role that month.
    billable = entries[
        entries["billable"]
        & entries["project_id"].isin(list(closes))
        & (entries["work_date"] <= entries["project_id"].map(closes))
    ]
    month_of = billable["work_date"].dt.to_period("M")
    recorded = billable.groupby([billable["project_id"], month_of, billable["person_id"]])["hours"].sum()
    hours_by: dict[tuple[str, Any], dict[str, float]] = {}
    flat = recorded.reset_index()
    for code, month, pid, h in zip(
        flat["project_id"], flat["work_date"], flat["person_id"], flat["hours"], strict=True
    ):
        hours_by.setdefault((str(code), month), {})[str(pid)] = float(h)
    months = pd.period_range(first, last, freq="M")
    plan = {
        "rate_above_letter": 2,
        "billed_over_recorded": 2,
        "fixed_fee_billed_hourly": 1,
        "discount_dropped": 1,
        "duplicate_invoice": 2,
        "tax_misapplied": 2,
    }
    history_trace = {"rate_above_letter", "billed_over_recorded", "duplicate_invoice"}

    used: set[tuple[str, str]] = set()

    def wants(kind: str, m: _Matter, issued: dt.date, ok: bool) -> bool:
        """Whether this invoice gets ``kind``: in the batch the first eligible matters in a
        per-seed order, one invoice of a matter per kind (duplicates at random); before it,
        one trace of some kinds from November on."""
        if not ok:
            return False
        if issued >= cut:
            if (
                plan[kind] > 0
                and (kind, m.code) not in used
                and (kind != "duplicate_invoice" or rng.random() < 0.3)
            ):
                plan[kind] -= 1
                used.add((kind, m.code))
                return True
            return False
        if kind in history_trace and issued >= dt.date(2025, 11, 1) and rng.random() < 0.25:
            history_trace.discard(kind)
            return True
        return False

    def fee_lines(
        m: _Matter, hours: dict[str, float], start: dt.date, end: dt.date, *, priced: str
    ) -> list[dict[str, Any]]:
        out = []
        for pid, h in sorted(hours.items()):
            role = by_pid[pid].role_on(start)
            if priced == "letter":
                price = m.rate(role, start)
            elif priced == "increased":
                price = _round5(_PANEL[role] * _UPLIFT["US"])
            else:
                price = m.standard(role, start)
            out.append(
                _line(
                    f"Professional services {start:%B %Y}: timekeeper {pid} ({role})",
                    h,
                    price,
                    role,
                    start,
                    end,
                )
            )
        return out

    def disbursements(m: _Matter) -> list[dict[str, Any]]:
        pool = _DISBURSEMENTS if m.office == "US" else _CA_DISBURSEMENTS
        out = []
        for code, text, lo, hi in pool:
            if rng.random() < (0.35 if m.area == "litigation" else 0.08):
                cost = round(float(rng.uniform(lo, hi)), 2)
                out.append(_line(f"{code} {text}".strip(), 1.0, cost, "", pd.NaT, pd.NaT))
        return out

    drafts: list[tuple[_Matter, dt.date, list[dict[str, Any]], str, float | None, dt.date, dt.date]] = []
    # Matters in a per-seed order, so the batch's misbilling falls on different matters.
    for m in [matters[int(i)] for i in rng.permutation(len(matters))]:
        if m.retainer:
            ledger.issue(
                m,
                m.opens,
                [
                    _line(
                        "Retainer deposit per engagement letter (held in trust; applied to final invoice)",
                        1.0,
                        m.retainer,
                        "",
                        pd.NaT,
                        pd.NaT,
                    )
                ],
            )
        for month in months:
            start = max(month.start_time.date(), m.opens)
            end = min(month.end_time.date(), m.closes or last)
            if start > end:
                continue
            recorded_hours = hours_by.get((m.code, month), {})
            issued = _working_day_after(month.end_time.date(), int(rng.integers(5, 14)))
            kind = ""
            tax: float | None = None
            if m.fee == "fixed":
                if wants("fixed_fee_billed_hourly", m, issued, bool(recorded_hours)):
                    body = fee_lines(m, recorded_hours, start, end, priced="standard")
                    kind = "fixed_fee_billed_hourly"
                else:
                    body = [
                        _line(
                            f"Fixed monthly fee: {m.name.split(': ')[-1].split(' (')[0]}, {start:%B %Y}",
                            1.0,
                            m.monthly_fee,
                            "",
                            start,
                            end,
                        )
                    ]
            else:
                if not recorded_hours:
                    continue
                # Pre-bill edits: the billing partner writes time down, never up.
                billed = dict(recorded_hours)
                if rng.random() < 0.35:
                    for pid in rng.choice(sorted(billed), size=min(2, len(billed)), replace=False):
                        billed[str(pid)] = round(billed[str(pid)] * float(rng.uniform(0.75, 0.95)), 1)
                priced = "letter"
                if wants("rate_above_letter", m, issued, m.letter == "panel" and start >= _NEW_YEAR):
                    priced, kind = "increased", "rate_above_letter"
                elif wants("billed_over_recorded", m, issued, m.fee == "hourly" and m.letter != "panel"):
                    team = [p.pid for p in people if any(x.code == m.code for x, _ in p.matters)]
                    idle = [pid for pid in team if pid not in billed and by_pid[pid].leaves is None]
                    if idle and rng.random() < 0.4:
                        billed[idle[0]] = _tenths(float(rng.uniform(3.0, 9.0)))
                    else:
                        pid = max(billed, key=lambda x: billed[x])
                        billed[pid] = round(recorded_hours[pid] * float(rng.uniform(1.15, 1.4)) + 1.5, 1)
                    kind = "billed_over_recorded"
                body = fee_lines(m, billed, start, end, priced=priced)
                fees = sum(b["amount"] for b in body)
                if m.letter == "less10":
                    if wants("discount_dropped", m, issued, not kind):
                        kind = "discount_dropped"
                    else:
                        body.append(
                            _line(
                                "Less agreed 10% discount on fees", 1.0, -round(0.1 * fees, 2), "", start, end
                            )
                        )
                body.extend(disbursements(m))
                if m.retainer and m.closes is not None and end == m.closes:
                    applied = min(m.retainer, round(sum(b["amount"] for b in body), 2))
                    body.append(_line("Less retainer applied from trust", 1.0, -applied, "", pd.NaT, pd.NaT))
            zero_rated_or_hst = m.office == "CA" and m.tax_rate != 5.0 and m.fee != "capped"
            if not kind and wants("tax_misapplied", m, issued, zero_rated_or_hst):
                tax, kind = (13.0 if m.tax_rate == 0.0 else 0.0), "tax_misapplied"
            drafts.append((m, issued, body, kind, tax, start, end))

    # Fee caps (inclusive of disbursements and tax): each capped matter reaches its cap with
    # the invoice issued in March, which a fee cap adjustment holds to it; later work is written
    # off on the pre-bill and not invoiced. One batch invoice of each matter leaves the
    # adjustment out.
    caps: dict[str, float] = {}
    for m in matters:
        if m.fee != "capped":
            continue
        gross = 1 + m.tax_rate / 100.0
        before = sum(
            sum(b["amount"] for b in body) * gross
            for x, issued, body, *_ in drafts
            if x.code == m.code and issued < dt.date(2026, 3, 1)
        )
        march = sum(
            sum(b["amount"] for b in body) * gross
            for x, issued, body, *_ in drafts
            if x.code == m.code and dt.date(2026, 3, 1) <= issued < cut
        )
        caps[m.code] = float(round(before + march * float(rng.uniform(0.3, 0.7)), -2))
    billed_to_date = dict.fromkeys(caps, 0.0)
    skipped = set()
    for m, issued, body, kind, tax, start, end in sorted(drafts, key=lambda d: d[1]):
        if m.code in caps:
            gross = 1 + m.tax_rate / 100.0
            total = round(sum(b["amount"] for b in body) * gross, 2)
            over = billed_to_date[m.code] + total - caps[m.code]
            if over > 0:
                if issued >= cut and m.code not in skipped and not kind:
                    kind = "over_cap"
                    skipped.add(m.code)
                elif over >= total:
                    # Nothing left under the cap: the pre-bill is written off, no invoice goes out.
                    continue
                else:
                    cap_text = (
                        f"Fee cap adjustment (capped at {caps[m.code]:,.0f} incl. disbursements and tax)"
                    )
                    body = [*body, _line(cap_text, 1.0, -round(min(over, total) / gross, 2), "", start, end)]
            billed_to_date[m.code] += round(sum(b["amount"] for b in body) * gross, 2)
        ledger.issue(m, issued, body, kind=kind, tax_rate=tax)
        if wants("duplicate_invoice", m, issued, not kind):
            again = _working_day_after(issued, int(rng.integers(8, 20)))
            ledger.issue(m, again, [dict(b) for b in body], kind="duplicate_invoice", tax_rate=tax)

    invoices = pd.DataFrame(ledger.heads)
    lines = pd.DataFrame(ledger.lines)
    for column in ("issue_date", "due_date"):
        invoices[column] = pd.to_datetime(invoices[column])
    for column in ("period_start", "period_end"):
        lines[column] = pd.to_datetime(lines[column])
    invoices = invoices.sort_values(["issue_date", "invoice_id"], kind="stable").reset_index(drop=True)
    return invoices, lines, caps
