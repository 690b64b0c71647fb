# ruff: noqa: E501  (phrasings are data: long sentences read better unbroken)
"""More drafting variety for the train families only.

Real SOWs phrase some clause types in ways the main writers
(:mod:`training.sow_phrases.clauses`) never use: engagement letters in "we" and
"you", Commonwealth "secrecy" and "make good any defect", public-sector delay
payments and fees at risk, "cancel the project", "continue on a rolling monthly
basis". :func:`write_extra` drafts one of these for a type; the generator asks
for it only in train families, so held-out families keep measuring phrasing
that no training document used (their documents do not change at all: nothing
here draws from their random stream).

:data:`EXTRA_NEGATIVES` are paragraphs with a clause type's trap words that are
no clause of the vocabulary ("unused hours do not roll over", "assign the key
personnel", "report our findings to the Audit Committee").
"""

from __future__ import annotations

from collections.abc import Callable

from training.sow_phrases.clauses import ClauseDraft, DraftingContext
from training.sow_phrases.words import Phraser, number_phrase


def _n(ctx: DraftingContext, n: int) -> str:
    return number_phrase(n, ctx.number_style)


def _indemnification(ph: Phraser, ctx: DraftingContext) -> ClauseDraft:
    kind = ph.choice(["broad", "ip", "mutual", "client"])
    f, c, sow = ctx.firm, ctx.client, ctx.sow
    if kind == "broad":
        text = ph.choice(
            [
                f"{f} agrees to defend, indemnify and hold harmless {c}, its parents, subsidiaries and their respective directors, officers and employees from and against any and all liabilities, losses, fines and costs which may be imposed on or incurred by {c} in any way connected with the Services.",
                f"{f} shall indemnify and keep indemnified {c} against all losses, claims and expenses arising out of or in connection with the performance of {sow}, however caused.",
                f"{f} will hold {c} harmless from every claim of any kind that is connected with the Services or {f}'s performance under {sow}.",
            ]
        )
    elif kind == "ip":
        text = ph.choice(
            [
                f"{f} will defend {c} against any third-party claim alleging that a Deliverable, as delivered, infringes a patent, copyright or trademark, and will pay any damages finally awarded against {c} on that claim.",
                f"{f} shall indemnify {c} against any claim that the Deliverables infringe the intellectual property rights of a third party, save to the extent the claim arises from {c}'s modification of them.",
            ]
        )
    elif kind == "mutual":
        text = ph.choice(
            [
                "Each party will indemnify the other against third-party claims for bodily injury or damage to tangible property to the extent caused by the negligent acts or omissions of the indemnifying party or its personnel.",
                "Each party shall indemnify the other from losses caused by its own negligence or wilful default in performing its obligations.",
            ]
        )
    else:
        text = ph.choice(
            [
                f"{c} shall indemnify and keep indemnified {f} against all losses, claims and expenses arising out of or in connection with {c}'s use of the Deliverables after handover or any materials {c} supplies for use in the Services.",
                f"{c} will indemnify {f} against claims arising from data or instructions {c} provides.",
            ]
        )
    broad = kind == "broad"
    return ClauseDraft(
        "indemnification",
        text,
        broad,
        "indemnification.broad" if broad else None,
        "liability",
        {"broad": broad, "indemnitor": "client" if kind == "client" else "firm"},
    )


def _confidentiality(ph: Phraser, ctx: DraftingContext) -> ClauseDraft:
    f, c, sow = ctx.firm, ctx.client, ctx.sow
    text = ph.choice(
        [
            "We will treat all information you provide to us as confidential and will not disclose it to third parties except as required by law or professional regulation.",
            f"{f} shall treat as secret all information of a commercial or technical nature which it obtains from {c} in connection with the Services and shall not divulge any of it to a third party without {c}'s prior written consent.",
            f"{f} shall not disclose {c}'s plans, pricing or customer data to any third party and shall use them solely to perform {sow}.",
            f"Clause 14 (Confidentiality) of the Master Agreement applies to {sow}.",
            f"{f} shall hold {c}'s Confidential Information in strict confidence, use it only to perform the Services and return or destroy it at the end of the Term.",
            "Neither party will reveal the other's business information to anyone outside its own organisation unless the law requires it.",
        ]
    )
    return ClauseDraft("confidentiality", text, False, None, "general")


def _warranty(ph: Phraser, ctx: DraftingContext) -> ClauseDraft:
    f, c = ctx.firm, ctx.client
    months = ph.choice([3, 6, 12])
    text = ph.choice(
        [
            f"{f} guarantees the Deliverables against defects in design and workmanship for {_n(ctx, months)} months following go-live and will make good any such defect notified by {c} within that period without charge.",
            f"{f} warrants that all fixes delivered under the Services shall be free from defects for a period of {_n(ctx, months * 30)} days from deployment and shall rectify any defect reported during this period at no additional cost.",
            f"{f} will remedy, free of charge, any defect in the Deliverables that {c} reports within {_n(ctx, months)} months of acceptance.",
        ]
    )
    return ClauseDraft("warranty", text, False, None, "general")


def _insurance(ph: Phraser, ctx: DraftingContext) -> ClauseDraft:
    f, c = ctx.firm, ctx.client
    text = ph.choice(
        [
            f"{f} shall effect and maintain with a reputable insurance company a policy covering its liability for professional negligence in the sum of not less than {ctx.money(5_000_000)} for any one occurrence.",
            f"{f} shall carry, at its own cost, commercial general liability insurance with limits of not less than {ctx.money(1_000_000)} per occurrence and shall name {c} as an additional insured.",
            f"{f} will keep professional indemnity cover of at least {ctx.money(2_000_000)} in place for the Term and six years afterwards.",
        ]
    )
    return ClauseDraft("insurance", text, False, None, "general")


def _liquidated_damages(ph: Phraser, ctx: DraftingContext) -> ClauseDraft:
    f, c = ctx.firm, ctx.client
    text = ph.choice(
        [
            f"Fifteen percent (15%) of each monthly fee is at risk. For each key performance indicator that {f} fails to meet in a month, the at-risk amount for that month will be reduced by one-third.",
            f"If go-live is delayed beyond the agreed date for reasons attributable to {f}, {f} shall pay {c} a Delay Payment of {ctx.money(ctx.total_fee * 0.01)} for each working day of delay.",
            f"In the event {f} fails to restore a severity 1 incident within four hours, {c} shall levy a penalty of 0.5% of the monthly fee for every hour of delay.",
            f"{c} may withhold 2% of the monthly charges for each service level {f} misses in that month.",
        ]
    )
    return ClauseDraft("liquidated_damages", text, True, "liquidated_damages.present", "commercial")


def _most_favored_nation(ph: Phraser, ctx: DraftingContext) -> ClauseDraft:
    f, c, sow = ctx.firm, ctx.client, ctx.sow
    text = ph.choice(
        [
            f"If, during the Term, {f} provides services substantially similar to the Services to any other client at lower daily rates, the lower rates shall apply to {sow} from the date they were first offered to that other client.",
            f"{f} confirms that the day rates applied to additional work will be no higher than the lowest day rates it charges any of its other clients for comparable work.",
            f"{c} shall at all times receive the benefit of the best rates {f} gives any customer for the same kind of work.",
        ]
    )
    return ClauseDraft("most_favored_nation", text, True, "most_favored_nation.present", "fees")


def _termination_for_convenience(ph: Phraser, ctx: DraftingContext) -> ClauseDraft:
    f, c, sow = ctx.firm, ctx.client, ctx.sow
    days = ph.choice([0, 7, 14, 45, 60])
    if days == 0:
        text = ph.choice(
            [
                f"{c} may cancel the project at any time by email notice to {f}. On cancellation, {c} will pay for work performed up to the date of cancellation.",
                "Either of us may terminate this engagement at any time by giving written notice to the other. You will pay our fees for work done up to the date of termination.",
            ]
        )
    else:
        text = ph.choice(
            [
                f"{c} may cancel {sow} by giving {f} {_n(ctx, days)} days' notice in writing, and will pay for the Services delivered up to the cancellation date.",
                f"{c} may bring {sow} to an end on {_n(ctx, days)} days' written notice without giving a reason; {f} will be paid for work done to that date.",
            ]
        )
    nonstandard = days < 30
    return ClauseDraft(
        "termination_for_convenience",
        text,
        nonstandard,
        "termination_for_convenience.short_notice" if nonstandard else None,
        "termination",
        {"notice_days": days, "terminating_party": "client", "unpaid_work": False},
    )


def _auto_renewal(ph: Phraser, ctx: DraftingContext) -> ClauseDraft:
    sow = ctx.sow[0].upper() + ctx.sow[1:]
    text = ph.choice(
        [
            f"On expiry of the Initial Period {ctx.sow} shall continue on a rolling monthly basis until terminated by either party giving not less than three months' written notice.",
            f"{sow} shall thereafter be extended automatically for successive renewal terms of one (1) year each unless {ctx.client} notifies {ctx.firm} in writing, not less than ninety (90) days before expiry, that it does not wish to renew.",
            f"After the first year, {ctx.sow} carries on from year to year unless either party opts out by notice given sixty (60) days before the anniversary.",
        ]
    )
    return ClauseDraft("auto_renewal", text, True, "auto_renewal.present", "term")


def _late_payment(ph: Phraser, ctx: DraftingContext) -> ClauseDraft:
    text = ph.choice(
        [
            f"If {ctx.client} fails to pay an undisputed invoice on time, {ctx.firm} may claim interest under the Late Payment of Commercial Debts (Interest) Act 1998.",
            "Any delay in payment beyond the due date shall attract interest at the statutory rate on the outstanding amount.",
            "In case of default, the debtor shall pay default interest in the statutory amount.",
        ]
    )
    return ClauseDraft("late_payment", text, False, None, "fees", {"late_fee_percent_per_month": None})


def _governing_law(ph: Phraser, ctx: DraftingContext) -> ClauseDraft:
    place = ph.choice(
        [
            "the Republic of Singapore",
            "New South Wales",
            "India",
            "the Province of Ontario",
            "the Dubai International Financial Centre",
            "Hong Kong",
        ]
    )
    text = ph.choice(
        [
            f"This engagement letter and any non-contractual obligations arising from it are governed by the laws of {place}.",
            f"{ctx.sow[0].upper() + ctx.sow[1:]} shall be governed by and construed in accordance with the laws of {place}, and any dispute shall be referred to arbitration seated there.",
            f"The law of {place} applies to {ctx.sow}.",
        ]
    )
    return ClauseDraft("governing_law", text, False, None, "general")


_EXTRA_WRITERS: dict[str, Callable[[Phraser, DraftingContext], ClauseDraft]] = {
    "indemnification": _indemnification,
    "confidentiality": _confidentiality,
    "warranty": _warranty,
    "insurance": _insurance,
    "liquidated_damages": _liquidated_damages,
    "most_favored_nation": _most_favored_nation,
    "termination_for_convenience": _termination_for_convenience,
    "auto_renewal": _auto_renewal,
    "late_payment": _late_payment,
    "governing_law": _governing_law,
}
EXTRA_TYPES = tuple(_EXTRA_WRITERS)


def write_extra(clause_type: str, ph: Phraser, ctx: DraftingContext) -> ClauseDraft | None:
    """A train-only drafting of ``clause_type``, or None when there is none for it."""
    writer = _EXTRA_WRITERS.get(clause_type)
    return writer(ph, ctx) if writer else None


#: Paragraphs with trap words that are no clause of the vocabulary: (section, text template).
EXTRA_NEGATIVES: tuple[tuple[str, str], ...] = (
    ("fees", "Unused hours do not roll over into the next month."),
    (
        "personnel",
        "{firm} will assign the key personnel named in Annex 2 and will not replace them without {client}'s approval, which will not be unreasonably withheld.",
    ),
    (
        "scope",
        "We will review the model's methodology and governance and report our findings to the Audit Committee.",
    ),
    (
        "general",
        "Notices under {sow} must be in writing and delivered by hand or courier, and take effect on delivery.",
    ),
    (
        "general",
        "{firm} will comply with applicable data protection law when it processes personal information of {client}'s employees.",
    ),
    (
        "fees",
        "{client} may deduct withholding tax at source where required by law and will provide the certificate.",
    ),
    ("general", "{sow} may be executed in any number of counterparts, each of which is an original."),
    ("scope", "{firm} shall achieve go-live by the go-live date set out in the implementation plan."),
    (
        "general",
        "In the event of conflict between {sow} and the Master Agreement, the Master Agreement prevails.",
    ),
    (
        "scope",
        "The obligations in the confidentiality clause and the limits in the liability clause of the Master Agreement apply to these services.",
    ),
)
