# ruff: noqa: E501  (phrasings are data: long sentences read better unbroken)
"""A generator of Statements of Work with ground truth in the extraction contract's shape.

Each document belongs to a *family*: one firm's template (section order,
numbering style, headings, party labels, spelling, currency and number and
date formats). Families ``0..TRAIN_FAMILIES-1`` are for training; the others are
held out, and draw phrasings that no train family ever uses (see
``training.sow_phrases``), so an evaluation on them measures unseen phrasing.

Everything is deterministic per ``(seed, index)``. Generating text is cheap
(hundreds of documents per second); rendering PDF (reportlab) and DOCX
(python-docx) is done only on request by :func:`render_pdf` / :func:`render_docx`.

Ground truth (:meth:`GeneratedSow.truth`) follows ``contracts/extraction.md``:
``billing`` fields as ``{"value", "quote"}`` (the quote occurs verbatim in the
rendered text) and ``clauses`` as ``{"type", "nonstandard", "rule", "quote"}``,
including the absence rules ``late_payment.absent`` and ``billing.missing_terms``
(``quote`` is null for those).
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from extraction.schemas import BILLING_LIST_FIELDS, BILLING_SCALAR_FIELDS, CLAUSE_TYPES
from training.sow_phrases import CLAUSE_WRITERS, ClauseDraft, DraftingContext, Phraser, number_phrase
from training.sow_phrases.extra import EXTRA_NEGATIVES, EXTRA_TYPES, write_extra
from training.sow_phrases.qualifiers import qualify
from training.sow_phrases.synonyms import paraphrase

FAMILY_COUNT = 16
TRAIN_FAMILIES = 12  # families 12..15 are held out
Split = Literal["train", "test", "all"]

Block = tuple[str, Any]  # ("title"|"heading"|"para"|"table", payload)

_FIRMS = [
    "Brightline Consulting LLP",
    "Northwind Advisory Ltd",
    "Kestrel Partners GmbH",
    "Apex Digital Inc.",
    "Meridian Solutions LLC",
    "Halcyon Analytics B.V.",
    "Cobalt Systems Ltd",
    "Tessera Group Inc.",
]
_CLIENTS = [
    "Acme Corporation",
    "Globex Holdings plc",
    "Initech S.A.",
    "Umbrella Retail Inc.",
    "Wayne Logistics Ltd",
    "Stark Manufacturing GmbH",
    "Hooli Media LLC",
    "Vandelay Imports Inc.",
]
_ROLES = [
    "Engagement Partner",
    "Principal",
    "Senior Manager",
    "Project Manager",
    "Senior Consultant",
    "Consultant",
    "Analyst",
    "Solution Architect",
    "Data Engineer",
    "Business Analyst",
    "Developer",
    "QA Engineer",
    "Data Scientist",
    "Change Manager",
    "Scrum Master",
    "Technical Lead",
    "UX Designer",
    "Cloud Engineer",
    "Security Specialist",
    "Trainer",
]
_MILESTONES = [
    "Discovery and requirements",
    "Solution design",
    "Build complete",
    "User acceptance testing",
    "Go-live",
    "Hypercare close-out",
    "Data migration",
    "Training delivered",
    "Final report",
]

_SECTION_HEADINGS: dict[str, list[str]] = {
    "scope": ["Scope of Services", "Services", "Description of Services", "Scope of Work", "The Services"],
    "term": ["Term", "Term and Renewal", "Duration", "Period of Performance", "Commencement and Duration"],
    "fees": [
        "Fees and Payment",
        "Compensation",
        "Charges and Invoicing",
        "Pricing and Payment Terms",
        "Commercial Terms",
        "Fees",
    ],
    "acceptance": ["Acceptance", "Acceptance of Deliverables", "Deliverables and Acceptance"],
    "termination": ["Termination", "Termination Rights", "Ending this SOW"],
    "personnel": ["Personnel", "Staffing and Personnel", "Resources", "Project Team"],
    "ip": ["Intellectual Property", "Ownership of Deliverables", "IP Rights"],
    "liability": ["Liability and Indemnity", "Limitation of Liability", "Liability", "Risk Allocation"],
    "commercial": ["Commercial Undertakings", "Special Terms", "Additional Terms", "Restrictive Covenants"],
    "general": ["General", "Miscellaneous", "General Provisions", "Legal Terms", "Boilerplate"],
}

_SCOPE_LINES = [
    "{firm} will assess {client}'s current finance processes and recommend a target operating model.",
    "{firm} shall implement the order-to-cash module and integrate it with {client}'s ERP system.",
    "The Services comprise the design, build and testing of a customer data platform.",
    "{firm} will provide project management, business analysis and change management support.",
    "{firm} shall migrate the legacy reporting estate to the cloud data warehouse.",
    "The engagement covers a security assessment of {client}'s payment systems.",
    "{firm} will deliver weekly status reports and a final recommendations report.",
    "Out of scope: hardware procurement, third-party licence fees and production support.",
]


@dataclass(frozen=True)
class Family:
    """One firm's template."""

    index: int
    locale: str
    currency: str
    money_style: str  # "symbol", "code_prefix", "code_suffix"
    decimal_comma: bool
    date_style: str
    numbering: str  # "decimal", "article", "section_sign", "section_word", "letters", "none"
    upper_headings: bool
    section_order: tuple[str, ...]
    firm_label: str
    client_label: str
    sow_name: str
    number_style: str
    table_rates: bool

    @property
    def held_out(self) -> bool:
        return self.index >= TRAIN_FAMILIES


def family(index: int) -> Family:
    """The template of family ``index`` (deterministic)."""
    rng = random.Random(f"family:{index}")
    locale = ["us", "uk", "eu"][index % 3]
    currency = {"us": "USD", "uk": "GBP", "eu": rng.choice(["EUR", "EUR", "CHF"])}[locale]
    middle = ["term", "fees", "acceptance", "termination", "personnel", "ip", "liability", "commercial"]
    rng.shuffle(middle)
    if rng.random() < 0.5:  # most firms keep fees early
        middle.remove("fees")
        middle.insert(1, "fees")
    return Family(
        index=index,
        locale=locale,
        currency=currency,
        money_style=rng.choice(["symbol", "symbol", "code_prefix", "code_suffix"]),
        decimal_comma=locale == "eu" and rng.random() < 0.7,
        date_style=rng.choice(
            {
                "us": ["mdy", "iso", "mdy_short"],
                "uk": ["dmy", "dmy_ord", "iso"],
                "eu": ["dmy", "iso", "dmy_dot"],
            }[locale]
        ),
        numbering=rng.choice(["decimal", "article", "section_sign", "section_word", "letters", "none"]),
        upper_headings=rng.random() < 0.4,
        section_order=("scope", *middle, "general"),
        firm_label=rng.choice(
            ["Consultant", "Supplier", "Contractor", "Service Provider", "Vendor", "Provider"]
        ),
        client_label=rng.choice(["Client", "Customer", "Company", "Purchaser"]),
        sow_name=rng.choice(["this SOW", "this Statement of Work", "this Work Order", "this Schedule"]),
        number_style=rng.choice(["words_digits", "words_digits", "digits", "words", "digits_words"]),
        table_rates=rng.random() < 0.65,
    )


def family_indices(split: Split) -> list[int]:
    if split == "train":
        return list(range(TRAIN_FAMILIES))
    if split == "test":
        return list(range(TRAIN_FAMILIES, FAMILY_COUNT))
    return list(range(FAMILY_COUNT))


# --- formatting ----------------------------------------------------------------------------------

_SYMBOLS = {"USD": "$", "GBP": "£", "EUR": "€", "CHF": "CHF "}


def format_amount(amount: float, fam: Family, *, cents: bool) -> str:
    text = f"{amount:,.2f}" if cents else f"{amount:,.0f}"
    if fam.decimal_comma:
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    if fam.money_style == "symbol":
        return f"{_SYMBOLS[fam.currency]}{text}"
    if fam.money_style == "code_prefix":
        return f"{fam.currency} {text}"
    return f"{text} {fam.currency}"


_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def format_date(day: dt.date, style: str) -> str:
    if style == "iso":
        return day.isoformat()
    if style == "mdy":
        return f"{_MONTHS[day.month - 1]} {day.day}, {day.year}"
    if style == "mdy_short":
        return f"{_MONTHS[day.month - 1][:3]}. {day.day}, {day.year}"
    if style == "dmy_ord":
        suffix = "th" if 11 <= day.day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day.day % 10, "th")
        return f"{day.day}{suffix} {_MONTHS[day.month - 1]} {day.year}"
    if style == "dmy_dot":
        return f"{day.day:02d}.{day.month:02d}.{day.year}"
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out += letters
            n -= value
    return out


def _heading_label(fam: Family, number: int, title: str) -> str:
    title = title.upper() if fam.upper_headings else title
    return {
        "decimal": f"{number}. {title}",
        "article": f"Article {_roman(number)} – {title}",
        "section_sign": f"§ {number} {title}",
        "section_word": f"Section {number}. {title}",
        "letters": f"{chr(64 + number)}. {title}",
        "none": title.upper(),
    }[fam.numbering]


def _clause_label(fam: Family, section: int, item: int) -> str:
    if fam.numbering in ("decimal", "section_word", "section_sign"):
        return f"{section}.{item}"
    if fam.numbering == "article":
        return f"{section}.{item:02d}"
    return f"({chr(96 + item)})"


# --- the document --------------------------------------------------------------------------------


@dataclass(frozen=True)
class TruthClause:
    type: str
    nonstandard: bool
    rule: str | None
    quote: str | None
    params: dict[str, Any] = field(default_factory=dict)
    distractor: bool = False


@dataclass
class GeneratedSow:
    """One generated SOW: its blocks, its text rendering and its ground truth."""

    doc_id: str
    family: Family
    blocks: list[Block]
    billing: dict[str, Any]  # field -> {"value", "quote"} (rates / milestones: lists of them)
    clauses: list[TruthClause]
    negatives: list[str]  # clause-like text that is not any vocabulary clause

    @property
    def text(self) -> str:
        return render_text(self)

    def truth(self) -> dict[str, Any]:
        """Ground truth in the shape of ``contracts/extraction.md``."""
        return {
            "doc_id": self.doc_id,
            "family": self.family.index,
            "billing": self.billing,
            "clauses": [
                {
                    "type": c.type,
                    "nonstandard": c.nonstandard,
                    "rule": c.rule,
                    "quote": c.quote,
                    "params": c.params,
                }
                for c in self.clauses
            ],
        }


def _table_row_text(row: list[str]) -> str:
    return "  ".join(row)


def render_text(sow: GeneratedSow) -> str:
    """Plain-text rendering: headings and paragraphs separated by blank lines, tables as rows."""
    parts: list[str] = []
    for kind, payload in sow.blocks:
        if kind == "table":
            header, rows = payload
            parts.append("\n".join(_table_row_text(r) for r in [header, *rows]))
        else:
            parts.append(str(payload))
    return "\n\n".join(parts) + "\n"


class _DocBuilder:
    def __init__(self, fam: Family, ph: Phraser) -> None:
        self.fam = fam
        self.ph = ph
        self.blocks: list[Block] = []
        self.section_no = 0
        self.item_no = 0

    def heading(self, key: str) -> None:
        self.section_no += 1
        self.item_no = 0
        title = self.ph.pick(_SECTION_HEADINGS[key])
        self.blocks.append(("heading", _heading_label(self.fam, self.section_no, title)))

    def para(self, text: str, *, numbered: bool = True, run_on: bool = False) -> None:
        if run_on and self.blocks and self.blocks[-1][0] == "para":
            # Several topics in one paragraph, as many real fee sections are drafted.
            self.blocks[-1] = ("para", f"{self.blocks[-1][1]} {text}")
            return
        if numbered and self.fam.numbering != "none":
            self.item_no += 1
            text = f"{_clause_label(self.fam, self.section_no, self.item_no)} {text}"
        self.blocks.append(("para", text))

    def table(self, header: list[str], rows: list[list[str]]) -> None:
        self.blocks.append(("table", (header, rows)))


_INCLUDE_P = {
    "limitation_of_liability": 0.7,
    "uncapped_liability": 0.2,
    "indemnification": 0.6,
    "auto_renewal": 0.45,
    "termination_for_convenience": 0.75,
    "most_favored_nation": 0.3,
    "non_solicitation": 0.55,
    "non_compete": 0.35,
    "exclusivity": 0.35,
    "ip_assignment": 0.65,
    "liquidated_damages": 0.35,
    "audit_rights": 0.45,
    "change_of_control": 0.35,
    "anti_assignment": 0.6,
    "governing_law": 0.8,
    "warranty": 0.55,
    "insurance": 0.45,
    "minimum_commitment": 0.35,
    "acceptance": 0.7,
    "rate_change": 0.45,
    "confidentiality": 0.6,
    "termination_for_cause": 0.5,
}


def generate_sow(index: int, *, seed: int = 42, split: Split = "all") -> GeneratedSow:
    """Generate document ``index`` of the stream for ``(seed, split)``.

    Parameters
    ----------
    index:
        Position in the stream; the family cycles through the split's families.
    seed:
        Stream seed: the same ``(seed, split, index)`` always gives the same document.
    split:
        ``"train"`` (families 0..TRAIN_FAMILIES-1), ``"test"`` (held-out families) or ``"all"``.

    Returns
    -------
    GeneratedSow
    """
    families = family_indices(split)
    fam = family(families[index % len(families)])
    rng = random.Random(f"sow:{seed}:{split}:{index}")
    ph = Phraser(rng, held_out=fam.held_out)
    firm_name, client_name = rng.choice(_FIRMS), rng.choice(_CLIENTS)
    billing_model = rng.choice(
        ["fixed_fee", "time_and_materials", "time_and_materials", "milestone", "retainer", "mixed"]
    )
    cents = rng.random() < 0.5
    money = lambda amount: format_amount(amount, fam, cents=cents)  # noqa: E731
    start = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(0, 900))
    months = rng.choice([3, 4, 6, 9, 12, 18, 24])
    end = start + dt.timedelta(days=int(months * 30.4))
    total = float(rng.choice([45, 60, 75, 90, 120, 150, 240, 360, 480, 750, 1200, 1850]) * 1000)
    ctx = DraftingContext(
        firm=fam.firm_label,
        client=fam.client_label,
        sow=fam.sow_name,
        number_style=fam.number_style,
        locale=fam.locale,
        total_fee=total,
        money=money,
    )
    b = _DocBuilder(fam, ph)
    billing: dict[str, Any] = {name: None for name in _BILLING_FIELDS}
    truth: list[TruthClause] = []
    negatives: list[str] = []

    sow_no = rng.randrange(1, 40)
    b.blocks.append(
        (
            "title",
            ph.pick(
                [
                    f"STATEMENT OF WORK No. {sow_no}",
                    f"Statement of Work #{sow_no}",
                    f"WORK ORDER {sow_no:03d}",
                    f"SCHEDULE {sow_no} – STATEMENT OF WORK",
                ]
            ),
        )
    )
    b.para(
        ph.pick(
            [
                f'This Statement of Work ("SOW") is entered into between {client_name} ("{fam.client_label}") and '
                f'{firm_name} ("{fam.firm_label}") under the Master Services Agreement between them.',
                f'{firm_name} ("{fam.firm_label}") will provide the services below to {client_name} '
                f'("{fam.client_label}") on the terms of the parties\' framework agreement.',
                f'This document is issued by {client_name} ("{fam.client_label}") to {firm_name} '
                f'("{fam.firm_label}") and forms part of the agreement between them.',
            ]
        ),
        numbered=False,
    )

    drafts: dict[str, list[ClauseDraft]] = {}
    for ctype, p in _INCLUDE_P.items():
        if rng.random() < p:
            draft = _train_variation(
                _train_extra(ctype, fam, ph, ctx) or CLAUSE_WRITERS[ctype](ph, ctx), ph, ctx
            )
            drafts.setdefault(draft.section, []).append(draft)
    if not fam.held_out:
        # Trap-word paragraphs of no clause type, in train families only (held-out families'
        # documents, and so the evaluation, do not change).
        for _ in range(rng.choice([0, 1, 2, 2])):
            section, template = rng.choice(EXTRA_NEGATIVES)
            section = {"scope": "term"}.get(section, section)
            text = template.format(firm=fam.firm_label, client=fam.client_label, sow=fam.sow_name)
            drafts.setdefault(section, []).append(
                ClauseDraft("negative", text[0].upper() + text[1:], False, None, section)
            )
    # Payment terms, late payment and billing missing-terms, decided together.
    has_payment_terms = rng.random() < 0.88
    payment = CLAUSE_WRITERS["payment_terms"](ph, ctx) if has_payment_terms else None
    if payment is not None:
        payment = _train_variation(payment, ph, ctx)
    late: ClauseDraft | None = None
    if rng.random() < 0.6:
        late = _train_extra("late_payment", fam, ph, ctx) or CLAUSE_WRITERS[
            "late_payment" if fam.locale == "us" or rng.random() < 0.7 else "late_payment_statutory"
        ](ph, ctx)
        late = _train_variation(late, ph, ctx)

    for key in fam.section_order:
        section_drafts = list(drafts.get(key, []))
        if key == "scope":
            b.heading("scope")
            for line in rng.sample(_SCOPE_LINES, 3):
                b.para(line.format(firm=fam.firm_label, client=fam.client_label))
            continue
        if key == "term":
            b.heading("term")
            sd, ed = format_date(start, fam.date_style), format_date(end, fam.date_style)
            b.para(
                ph.pick(
                    [
                        f"{_cap(fam.sow_name)} commences on {sd} and ends on {ed}, unless terminated earlier.",
                        f"The Services will be performed from {sd} until {ed}.",
                        f'The term of {fam.sow_name} begins on {sd} (the "Start Date") and continues until {ed}.',
                        f"Period of performance: {sd} to {ed}.",
                    ]
                )
            )
            billing["start_date"] = {"value": start.isoformat(), "quote": sd}
            billing["end_date"] = {"value": end.isoformat(), "quote": ed}
        elif key == "fees":
            b.heading("fees")
            _write_billing(b, ph, fam, ctx, billing, billing_model, total, start, end, rng, money)
            if payment is not None:
                section_drafts.insert(0, payment)
            if late is not None:
                section_drafts.insert(1 if payment is not None else 0, late)
        elif section_drafts:
            b.heading(key)
        run_on = key == "fees" and rng.random() < 0.35
        for draft in section_drafts:
            b.para(draft.text, run_on=run_on and draft.type in ("payment_terms", "late_payment"))
            for fname, quote in draft.billing_quotes.items():
                value = draft.params.get({"payment_terms_days": "payment_days"}.get(fname, fname))
                billing[fname] = {"value": value, "quote": quote}
            if draft.type in CLAUSE_TYPES:
                truth.append(
                    TruthClause(
                        draft.type, draft.nonstandard, draft.rule, draft.text, draft.params, draft.distractor
                    )
                )
            else:
                negatives.append(draft.text)

    # Absence rules, as the default playbook defines them.
    if billing["billing_model"] is not None:
        has_rates = bool(billing["rates"])
        needs_rates = billing["billing_model"]["value"] in ("time_and_materials",)
        missing = payment is None or (needs_rates and not has_rates)
        if missing:
            truth.append(TruthClause("payment_terms", True, "billing.missing_terms", None))
    if payment is not None and late is None:
        truth.append(TruthClause("late_payment", True, "late_payment.absent", None))

    b.blocks.append(
        (
            "para",
            ph.pick(
                [
                    f"Agreed by the parties' authorised signatories: for {client_name}, Name, Title, Date; for {firm_name}, "
                    f"Name, Title, Date.",
                    f"IN WITNESS WHEREOF the parties have executed {fam.sow_name} on the dates below. {firm_name}. "
                    f"{client_name}.",
                ]
            ),
        )
    )
    return GeneratedSow(f"sow-{seed}-{split}-{index}", fam, b.blocks, billing, truth, negatives)


#: Share of a train family's clauses of the :data:`EXTRA_TYPES` drafted in the extra phrasings.
TRAIN_EXTRA_SHARE = 0.3


def _train_extra(ctype: str, fam: Family, ph: Phraser, ctx: DraftingContext) -> ClauseDraft | None:
    """A train-only phrasing (:mod:`training.sow_phrases.extra`), drawn for train families only."""
    if fam.held_out or ctype not in EXTRA_TYPES or ph.rng.random() >= TRAIN_EXTRA_SHARE:
        return None
    return write_extra(ctype, ph, ctx)


def _train_variation(draft: ClauseDraft, ph: Phraser, ctx: DraftingContext) -> ClauseDraft:
    """Other firms' words (:func:`paraphrase`) and qualifying openers and tails
    (:func:`qualify`) on a train family's draft; a held-out family's is returned as is."""
    if ph.held_out:
        return draft
    return qualify(paraphrase(draft, ph), ph, ctx)


def _cap(text: str) -> str:
    return text[0].upper() + text[1:]


_BILLING_FIELDS = BILLING_SCALAR_FIELDS + BILLING_LIST_FIELDS

_UNIT_WORDS = {
    "hour": ["per hour", "/hr", "hourly", "per hour"],
    "day": ["per day", "/day", "daily"],
    "week": ["per week"],
    "month": ["per month"],
}


def _write_billing(
    b: _DocBuilder,
    ph: Phraser,
    fam: Family,
    ctx: DraftingContext,
    billing: dict[str, Any],
    model: str,
    total: float,
    start: dt.date,
    end: dt.date,
    rng: random.Random,
    money: Any,
) -> None:
    cur_names = {"USD": "US Dollars", "GBP": "Pounds Sterling", "EUR": "Euros", "CHF": "Swiss Francs"}
    cur_quote = f"{cur_names[fam.currency]} ({fam.currency})"
    b.para(
        ph.pick(
            [
                f"All amounts are stated in {cur_quote}.",
                f"The currency of {fam.sow_name} is {cur_quote}.",
                f"Fees are payable in {cur_quote} and exclude VAT and other sales taxes.",
            ]
        )
    )
    billing["currency"] = {"value": fam.currency, "quote": cur_quote}
    model_quote = {
        "fixed_fee": ph.pick(["fixed fee", "fixed-price", "fixed price"]),
        "time_and_materials": ph.pick(["time and materials", "time-and-materials", "T&M"]),
        "milestone": ph.pick(["milestone basis", "milestone payments", "per milestone"]),
        "retainer": ph.pick(["monthly retainer", "retainer basis"]),
        "mixed": ph.pick(["combination of fixed fee and time and materials", "hybrid fixed fee and T&M"]),
    }[model]
    billing["billing_model"] = {"value": model, "quote": model_quote}
    total_text = money(total)
    if model == "fixed_fee":
        b.para(
            ph.pick(
                [
                    f"The Services are provided for a {model_quote} of {total_text}.",
                    f"{_cap(fam.firm_label)} will perform the Services on a {model_quote} basis for a total "
                    f"of {total_text}.",
                ]
            )
        )
        billing["total_fee"] = {"value": total, "quote": total_text}
        freq = rng.choice(["monthly", "upfront", "on_completion", "monthly"])
    elif model in ("time_and_materials", "mixed"):
        if model == "mixed":
            fixed = round(total * 0.4, -3)
            b.para(
                f"Phase 1 is charged as a {model_quote}: a fixed fee of {money(fixed)}, with Phase 2 "
                f"charged at the rates below. The total estimated fee is {total_text}."
            )
        else:
            b.para(
                ph.pick(
                    [
                        f"The Services are charged on a {model_quote} basis at the rates below. The "
                        f"estimated total fee is {total_text}.",
                        f"{_cap(fam.firm_label)} will bill on a {model_quote} basis; fees are estimated at "
                        f"{total_text}.",
                    ]
                )
            )
        billing["total_fee"] = {"value": total, "quote": total_text}
        if rng.random() < 0.5:
            nte = round(total * rng.choice([1.1, 1.15, 1.2]), -3)
            nte_text = money(nte)
            b.para(
                ph.pick(
                    [
                        f"Fees shall not exceed {nte_text} without a signed change order.",
                        f"A not-to-exceed ceiling of {nte_text} applies.",
                        f"Total charges are capped at {nte_text}.",
                    ]
                )
            )
            billing["not_to_exceed"] = {"value": nte, "quote": nte_text}
        rates_missing = model == "time_and_materials" and rng.random() < 0.08
        if not rates_missing:
            _write_rates(b, ph, fam, billing, rng, money)
        freq = rng.choice(["weekly", "biweekly", "semimonthly", "monthly", "monthly"])
    elif model == "milestone":
        b.para(f"Fees are payable on a {model_quote} as follows, totalling {total_text}.")
        billing["total_fee"] = {"value": total, "quote": total_text}
        _write_milestones(b, fam, billing, rng, money, total, start, end)
        freq = "on_milestone"
    else:
        monthly = round(total / max(1, round((end - start).days / 30.4)), -2)
        b.para(
            f"{_cap(fam.client_label)} shall pay a {model_quote} of {money(monthly)}, for a total of "
            f"{total_text} over the Term."
        )
        billing["total_fee"] = {"value": total, "quote": total_text}
        freq = "monthly"
    freq_quote = {
        "weekly": "weekly",
        "biweekly": "every two weeks",
        "semimonthly": "twice monthly",
        "monthly": "monthly",
        "on_milestone": "upon completion of each Milestone",
        "upfront": "in advance",
        "on_completion": "on completion of the Services",
    }[freq]
    b.para(
        ph.pick(
            [
                f"{_cap(fam.firm_label)} will invoice {freq_quote}.",
                f"Invoices are issued {freq_quote}.",
                f"{_cap(fam.firm_label)} shall submit invoices {freq_quote}.",
            ]
        )
    )
    billing["invoice_frequency"] = {"value": freq, "quote": freq_quote}
    if rng.random() < 0.2:
        pct = rng.choice([5, 10])
        q = f"{pct}%"
        b.para(
            f"{_cap(fam.client_label)} may withhold {q} of each invoice as retainage until final acceptance."
        )
        billing["retainage_percent"] = {"value": float(pct), "quote": q}
    if rng.random() < 0.75:
        if rng.random() < 0.75:
            cap = float(rng.choice([5, 10, 15, 25]) * 1000)
            cap_text = money(cap)
            text = (
                f"Reasonable travel and out-of-pocket expenses are reimbursable at cost, up to a cap of "
                f"{cap_text}."
            )
            billing["expenses_reimbursable"] = {"value": True, "quote": "reimbursable at cost"}
            billing["expenses_cap"] = {"value": cap, "quote": cap_text}
        else:
            text = "The fees include all expenses; no expenses are reimbursable."
            billing["expenses_reimbursable"] = {"value": False, "quote": "no expenses are reimbursable"}
        b.para(text)


def _write_rates(
    b: _DocBuilder, ph: Phraser, fam: Family, billing: dict[str, Any], rng: random.Random, money: Any
) -> None:
    unit = rng.choice(["hour", "hour", "hour", "day"])
    long_card = rng.random() < 0.12
    roles = rng.sample(_ROLES, rng.randint(14, 20) if long_card else rng.randint(2, 6))
    base = 900 if unit == "day" else 120
    rates: list[dict[str, Any]] = []
    rows: list[list[str]] = []
    prose: list[str] = []
    for i, role in enumerate(roles):
        rate = float(base + rng.randrange(0, 12) * (50 if unit == "day" else 15) + 10 * (len(roles) - i))
        rate_text = format_amount(rate, fam, cents=False)
        if fam.table_rates or long_card:
            row = [role, rate_text, {"hour": "Hourly", "day": "Daily"}[unit]]
            rows.append(row)
            quote = role
        else:
            phrase = f"{role}: {rate_text} {ph.pick(_UNIT_WORDS[unit])}"
            prose.append(phrase)
            quote = phrase
        rates.append(
            {"value": {"role": role, "rate": rate, "unit": unit, "currency": fam.currency}, "quote": quote}
        )
    if rows:
        b.para(
            ph.pick(["The following rates apply:", "Rate card:", "Hourly and daily rates are as follows:"]),
            numbered=False,
        )
        b.table(["Role", f"Rate ({fam.currency})", "Unit"], rows)
    else:
        b.para("The rates are: " + "; ".join(prose) + ".")
    billing["rates"] = rates


def _write_milestones(
    b: _DocBuilder,
    fam: Family,
    billing: dict[str, Any],
    rng: random.Random,
    money: Any,
    total: float,
    start: dt.date,
    end: dt.date,
) -> None:
    count = rng.randint(2, 5)
    names = rng.sample(_MILESTONES, count)
    weights = [rng.randint(1, 4) for _ in names]
    percents = [round(100 * w / sum(weights)) for w in weights]
    percents[-1] = 100 - sum(percents[:-1])
    span = (end - start).days
    rows: list[list[str]] = []
    items: list[dict[str, Any]] = []
    amounts = [round(total * p / 100, 2) for p in percents]
    amounts[-1] = round(total - sum(amounts[:-1]), 2)
    for i, (name, pct, amount) in enumerate(zip(names, percents, amounts, strict=True)):
        due = start + dt.timedelta(days=span * (i + 1) // count)
        rows.append([f"M{i + 1} {name}", format_date(due, fam.date_style), money(amount), f"{pct}%"])
        items.append(
            {
                "value": {
                    "name": f"M{i + 1} {name}",
                    "amount": amount,
                    "percent": float(pct),
                    "due_date": due.isoformat(),
                },
                "quote": f"M{i + 1} {name}",
            }
        )
    b.table(["Milestone", "Due date", "Amount", "Percent"], rows)
    billing["milestones"] = items


def generate_sows(count: int, *, seed: int = 42, split: Split = "all") -> list[GeneratedSow]:
    """``count`` documents of the ``split`` stream (see :func:`generate_sow`)."""
    return [generate_sow(i, seed=seed, split=split) for i in range(count)]


def _family_money(amount: float, *, fam: Family, cents: bool) -> str:
    return format_amount(amount, fam, cents=cents)


def phrasebook(per_writer: int, *, seed: int = 42) -> list[tuple[str, str | None, tuple[str, str]]]:
    """Clause drafts of the train families outside any document: ``per_writer`` from every
    clause writer, every train-only writer (:mod:`training.sow_phrases.extra`) and every
    trap-word negative, as ``(text, clause type or None, (firm label, client label))``.

    Documents draw a writer's phrasings by chance, so a rare train-only phrasing is in one
    seed's 120 documents and missing from the next; a classifier trained on documents alone
    then finds a clause at one seed and not at another. The phrasebook puts every writer in
    every training set. Drafts get the same variation as in documents (:func:`_train_variation`).
    """
    out: list[tuple[str, str | None, tuple[str, str]]] = []
    rng = random.Random(f"phrasebook:{seed}")
    ph = Phraser(rng, held_out=False)
    writers: list[Callable[[Phraser, DraftingContext], ClauseDraft | None]] = list(CLAUSE_WRITERS.values())
    writers += [functools.partial(write_extra, t) for t in EXTRA_TYPES]
    for k in range(per_writer):
        for j, writer in enumerate(writers):
            fam = family((k + j) % TRAIN_FAMILIES)
            cents = rng.random() < 0.5
            money = functools.partial(_family_money, fam=fam, cents=cents)
            ctx = DraftingContext(
                firm=fam.firm_label,
                client=fam.client_label,
                sow=fam.sow_name,
                number_style=fam.number_style,
                locale=fam.locale,
                total_fee=float(rng.choice([60, 120, 240, 480, 1200]) * 1000),
                money=money,
            )
            draft = writer(ph, ctx)
            if draft is not None:
                draft = _train_variation(draft, ph, ctx)
                kind = draft.type if draft.type in CLAUSE_TYPES else None
                out.append((draft.text, kind, (fam.firm_label, fam.client_label)))
        for _, template in EXTRA_NEGATIVES:
            fam = family(k % TRAIN_FAMILIES)
            text = template.format(firm=fam.firm_label, client=fam.client_label, sow=fam.sow_name)
            out.append((text[0].upper() + text[1:], None, (fam.firm_label, fam.client_label)))
    return out


def iter_labelled_clauses(sows: list[GeneratedSow]) -> Iterator[tuple[str, str | None]]:
    """(text, clause type or None) pairs: every clause, every clause-like negative, and plain paragraphs."""
    for sow in sows:
        labelled = {c.quote for c in sow.clauses if c.quote}
        for c in sow.clauses:
            if c.quote:
                yield c.quote, c.type
        for text in sow.negatives:
            yield text, None
        for kind, payload in sow.blocks:
            unlabelled = not any(q in payload for q in labelled | set(sow.negatives))
            if kind == "para" and unlabelled:
                yield str(payload), None


# --- rendering -----------------------------------------------------------------------------------


def render_docx(sow: GeneratedSow, path: Path) -> Path:
    """Write ``sow`` as a DOCX (headings, numbered paragraphs, tables, a header and footer)."""
    import docx

    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = f"{sow.family.firm_label} – Confidential – {sow.doc_id}"
    section.footer.paragraphs[0].text = "Statement of Work"
    for kind, payload in sow.blocks:
        if kind == "title":
            document.add_heading(str(payload), level=0)
        elif kind == "heading":
            document.add_heading(str(payload), level=1)
        elif kind == "para":
            document.add_paragraph(str(payload))
        else:
            header, rows = payload
            table = document.add_table(rows=1 + len(rows), cols=len(header))
            for r, row in enumerate([header, *rows]):
                for c, value in enumerate(row):
                    table.cell(r, c).text = value
    document.save(str(path))
    return path


def render_pdf(sow: GeneratedSow, path: Path) -> Path:
    """Write ``sow`` as a PDF: three-column running header, "Page n of m" footer, tables that
    repeat their header row when they continue across a page break."""
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, LETTER
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas as rl_canvas
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
    fam = sow.family
    pagesize = LETTER if fam.locale == "us" else A4
    left_header = fam.firm_label
    right_header = sow.doc_id

    class _NumberedCanvas(rl_canvas.Canvas):
        # Two passes so every footer can say "of m".
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._saved: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._saved.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._saved)
            for state in self._saved:
                self.__dict__.update(state)
                width, height = pagesize
                self.setFont("Helvetica", 8)
                self.drawString(20 * mm, height - 12 * mm, left_header)
                self.drawCentredString(width / 2, height - 12 * mm, "CONFIDENTIAL")
                self.drawRightString(width - 20 * mm, height - 12 * mm, right_header)
                self.drawCentredString(width / 2, 10 * mm, f"Page {self._pageNumber} of {total}")
                super().showPage()
            super().save()

    story: list[Any] = []
    for kind, payload in sow.blocks:
        if kind == "title":
            story.append(Paragraph(escape(str(payload)), styles["Title"]))
        elif kind == "heading":
            story.append(Paragraph(escape(str(payload)), styles["Heading2"]))
        elif kind == "para":
            story.append(Paragraph(escape(str(payload)), styles["BodyText"]))
        else:
            header, rows = payload
            table = Table([header, *rows], repeatRows=1)
            table.setStyle(
                TableStyle(
                    [
                        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                        ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                        ("FONTSIZE", (0, 0), (-1, -1), 9),
                    ]
                )
            )
            story.append(table)
        story.append(Spacer(1, 4))
    doc = SimpleDocTemplate(
        str(path),
        pagesize=pagesize,
        topMargin=20 * mm,
        bottomMargin=18 * mm,
        title=sow.doc_id,
        author=fam.firm_label,
    )
    doc.build(story, canvasmaker=_NumberedCanvas)
    return path


__all__ = [
    "CLAUSE_TYPES",
    "FAMILY_COUNT",
    "TRAIN_FAMILIES",
    "Family",
    "GeneratedSow",
    "TruthClause",
    "family",
    "family_indices",
    "format_amount",
    "format_date",
    "generate_sow",
    "generate_sows",
    "iter_labelled_clauses",
    "number_phrase",
    "phrasebook",
    "render_docx",
    "render_pdf",
    "render_text",
]
