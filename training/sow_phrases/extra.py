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
                f"{f} shall indemnify {c} against all losses {c} suffers to the extent they are caused by {f}'s breach of {sow} or by the negligence of its staff.",
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
            f"Where availability falls short of the agreed level, {c} may claim a reduction of the monthly price of 3 per cent for every started week the shortfall lasts.",
            "For each full percentage point by which uptime misses its target, 1.5% of that month's invoice value is deducted, up to 12% in total.",
            "A delay penalty of 0.1% of the contract price is payable for each working day by which the acceptance date is missed, limited to 80 working days.",
            f"If a milestone slips for reasons within {f}'s control, the price for that milestone is reduced by 2 per cent per week of delay.",
        ]
    )
    return ClauseDraft(
        "liquidated_damages",
        _framed(ph, text, "Service levels"),
        True,
        "liquidated_damages.present",
        "commercial",
    )


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
                f"{sow[0].upper() + sow[1:]} has no fixed end date and lasts until {c} ends it on {_n(ctx, days)} days' written notice taking effect at the end of a month.",
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
            f"Once the first three months have passed, {ctx.sow} continues month to month until one party tells the other in writing, giving thirty days' notice, that it wants to stop.",
            f"The support subscription runs for twelve months from go-live and then renews for further one-year periods unless {ctx.client} tells {ctx.firm} at least sixty days before an anniversary that it does not want it to.",
            "The maintenance period is prolonged tacitly for another year at a time unless either side cancels it no later than three months before the year ends.",
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
            ph.choice(
                [
                    "Swedish law applies to the agreement, and disputes are decided by the Stockholm District Court.",
                    "The contract is subject to Finnish law; any dispute is finally settled by arbitration under the rules of the Finland Chamber of Commerce.",
                    "Norwegian law governs, and the parties accept the Bergen District Court as legal venue.",
                    "Austrian law applies. The courts of Vienna have jurisdiction.",
                    "The agreement is subject to Dutch law and disputes go to the competent court in Amsterdam.",
                ]
            ),
        ]
    )
    return ClauseDraft("governing_law", text, False, None, "general")


# --- wider kinds of drafting: other fee nouns, reference wrappers, table rows and notes ----------

#: What a cap or a percentage is measured against, by the names firms outside the generator's
#: house style give the fees.
_FEE_NOUNS = (
    "the Price",
    "the Contract Price",
    "the Charges",
    "the total Charges",
    "the agreed remuneration",
    "the Order Value",
    "the fees paid and payable",
    "the Fees paid under {sow}",
)
_MULTIPLE_PHRASES: dict[float, tuple[str, ...]] = {
    1.0: ("an amount equal to {fee}", "{fee}", "one hundred per cent of {fee}", "100% of {fee}"),
    1.5: ("one and a half times {fee}", "one hundred and fifty per cent of {fee}", "150 per cent of {fee}"),
    2.0: (
        "double {fee}",
        "an amount equal to two times {fee}",
        "twice {fee}",
        "2 times {fee}",
        "two hundred per cent of {fee}",
    ),
    3.0: ("an amount equal to 3 times {fee}", "three times {fee}", "treble {fee}", "300 per cent of {fee}"),
    4.0: ("four times {fee}", "an amount equal to 4 times {fee}", "four hundred per cent of {fee}"),
    5.0: ("five times {fee}", "5 times {fee}", "five hundred per cent of {fee}"),
}


def _framed(ph: Phraser, text: str, label: str) -> str:
    """The clause as another firm lays it out: plain, as a "Note:", as the row of an order form's
    table ("Item 9    Liability    ..."), or as a special condition overriding the master terms."""
    kind = ph.choice(["plain", "plain", "plain", "note", "row", "special"])
    if kind == "note":
        return f"Note: {text}"
    if kind == "row":
        return f"Item {ph.choice(range(3, 21))}    {label:<20}{text}"
    if kind == "special":
        lead = ph.choice(
            [
                "For this order only, and notwithstanding the master terms:",
                "Special condition (prevails over the standard terms):",
                "Agreed variation to the framework terms:",
            ]
        )
        return f"{lead} {text}"
    return text


def _limitation_of_liability(ph: Phraser, ctx: DraftingContext) -> ClauseDraft:
    f, sow = ctx.firm, ctx.sow
    multiple = ph.choice([1.0, 1.0, 1.5, 2.0, 2.0, 3.0, 4.0, 5.0])
    fee = ph.choice(_FEE_NOUNS).format(sow=sow)
    amount = ph.choice(_MULTIPLE_PHRASES[multiple]).format(fee=fee)
    when = ph.choice(
        [
            "",
            "",
            " in the twelve months before the event giving rise to the claim",
            " paid or payable in the contract year in which the default occurs",
        ]
    )
    text = ph.choice(
        [
            f"{f}'s liability under {sow} is limited to {amount}{when}.",
            f"Our total responsibility to you for any loss, however it arises, will not be more than {amount}.",
            f"The total liability of each party for damages is limited to {amount}.",
            f"In cases of ordinary negligence, {f}'s liability is limited to the damage typically foreseeable at signature, and in any event to {amount}.",
            f"Clause {ph.choice(range(8, 20))} of the Master Agreement (Liability) applies to {sow}, except that the maximum aggregate liability of {f} is {amount}{when}.",
            f"{f}'s aggregate liability for all defaults in any contract year may not exceed {amount}{when}, whether the claim is in contract, tort or otherwise.",
            f"The liability of either party for any one event or series of connected events is capped at {amount}.",
        ]
    )
    nonstandard = multiple > 2.0 + 1e-9
    return ClauseDraft(
        "limitation_of_liability",
        _framed(ph, text, "Liability"),
        nonstandard,
        "limitation_of_liability.cap_multiple" if nonstandard else None,
        "liability",
        {"cap_multiple": multiple},
    )


def _uncapped_liability(ph: Phraser, ctx: DraftingContext) -> ClauseDraft:
    f, sow = ctx.firm, ctx.sow
    duty = ph.choice(
        [
            "its data protection obligations",
            "its information security obligations",
            "its confidentiality undertakings",
            "its obligations to protect personal data",
            "its indemnities",
        ]
    )
    text = ph.choice(
        [
            f"The exclusions from the limitation of liability in the Master Agreement are extended, for {sow}, to cover {f}'s breach of {duty}.",
            f"The cap in clause {ph.choice(range(8, 20))} does not cover {f}'s liability for any breach of {duty}.",
            f"{f}'s liability arising from a breach of {duty} is not subject to any financial limit.",
            f"Clause {ph.choice(range(8, 20))} of the Master Agreement applies, save that the list of uncapped heads shall also include breach by {f} of {duty}.",
        ]
    )
    return ClauseDraft(
        "uncapped_liability", _framed(ph, text, "Liability"), True, "uncapped_liability.present", "liability"
    )


def _exclusivity(ph: Phraser, ctx: DraftingContext) -> ClauseDraft:
    f, c = ctx.firm, ctx.client
    field = ph.choice(
        [
            "paid media",
            "search marketing",
            "field service support",
            "payroll processing",
            "network operations",
            "brand design",
        ]
    )
    place = ph.choice(
        ["in North America", "in the United Kingdom", "across the EU", "in Australia", "in all markets"]
    )
    text = ph.choice(
        [
            f"{c} appoints {f} as its lead agency for all {field} {place} on an exclusive basis for the Term.",
            f"While {ctx.sow} is in force, {c} will not appoint any other firm to provide {field} {place}.",
            f"{f} shall be the only provider {c} uses for {field} {place} during the Term.",
            f"{c} will place all of its requirements for {field} {place} with {f} for the first two years.",
        ]
    )
    return ClauseDraft(
        "exclusivity", _framed(ph, text, "Appointment"), True, "exclusivity.present", "commercial"
    )


def _non_compete(ph: Phraser, ctx: DraftingContext) -> ClauseDraft:
    f, c = ctx.firm, ctx.client
    category = ph.choice(
        [
            "soft drinks",
            "quick-service restaurant",
            "consumer banking",
            "mobile network",
            "grocery retail",
            "energy retail",
        ]
    )
    months = ph.choice([0, 6, 12])
    after = f" and for {_n(ctx, months)} months afterwards" if months else ""
    text = ph.choice(
        [
            f"During the Term{after}, {f} will not take on work for any brand that competes with {c} in the {category} category.",
            f"{f} agrees that, while it acts for {c}{after}, it will not accept instructions from another {category} business.",
            f"Category protection: {f} shall not work for a {category} competitor of {c} during the Term{after}.",
            f"{f} will not advise or support any of the {category} companies named in the competitor list during the Term{after}.",
        ]
    )
    return ClauseDraft("non_compete", text, True, "non_compete.present", "commercial", {"months": months})


def _acceptance(ph: Phraser, ctx: DraftingContext) -> ClauseDraft:
    f, c = ctx.firm, ctx.client
    days = ph.choice([3, 5, 7, 10, 14])
    if ph.chance(0.25):
        text = ph.choice(
            [
                f"A deliverable counts as accepted only once {c} has confirmed, in its own opinion, that it is satisfactory.",
                f"{c} alone decides whether a deliverable meets its expectations, and nothing is accepted until it says so in writing.",
            ]
        )
        return ClauseDraft(
            "acceptance", text, True, "acceptance.subjective", "acceptance", {"sole_discretion": True}
        )
    # Drawn before the list (it draws from the stream too) and listed twice: silence is the
    # shape other firms use most for deemed approval.
    silence = _deemed_by_silence(ph, ctx, days)
    text = ph.choice(
        [
            f"If {c} raises no written objection within {_n(ctx, days)} working days of receiving a deliverable, that deliverable is treated as approved.",
            f"{c} will send one consolidated set of comments per review round; where none arrives within {_n(ctx, days)} business days of delivery, the deliverable is deemed approved.",
            f"Approval is deemed given for any draft on which {c} has not commented within {_n(ctx, days)} days after {f} sent it.",
            silence,
            silence,
        ]
    )
    return ClauseDraft("acceptance", text, False, None, "acceptance", {"deemed_acceptance_days": days})


def _deemed_by_silence(ph: Phraser, ctx: DraftingContext, days: int) -> str:
    """Approval that follows from the client saying nothing for a period, in the order forms'
    and agencies' words (comments, feedback, changes requested) rather than "acceptance"."""
    f, c = ctx.firm, ctx.client
    thing = ph.choice(
        ["Deliverables", "Drafts", "Creative concepts", "Submitted work products", "Milestone outputs"]
    )
    response = ph.choice(
        [
            "written comments",
            "feedback in writing",
            "a list of required changes",
            "a written rejection stating its reasons",
            "any response",
        ]
    )
    unit = ph.choice(["business days", "working days", "days", "calendar days"])
    period = f"{_n(ctx, days)} {unit}"
    state = ph.choice(
        ["deemed approved", "treated as approved", "considered accepted", "deemed final and approved"]
    )
    return ph.choice(
        [
            f"{thing} will be {state} where {c} has sent no {response} within {period} of their submission.",
            f"Failure by {c} to give {response} within {period} after {f} submits {thing.lower()} means they are {state}.",
            f"Unless {c} sends {response} within {period}, {thing.lower()} shall be {state}.",
            f"{c} will review {thing.lower()} promptly; where {c} provides no {response} within {period} of delivery, {thing.lower()} are {state}.",
        ]
    )


def _rate_change(ph: Phraser, ctx: DraftingContext) -> ClauseDraft:
    f = ctx.firm
    months = ph.choice([6, 12, 12, 18, 24, 36])
    text = ph.choice(
        [
            f"The rate card in the annex stays fixed for {_n(ctx, months)} months from signature; after that {f} may review it once a year.",
            f"{f} may not raise its day rates during the first {_n(ctx, months)} months; thereafter they move with the consumer price index.",
            f"Blended rates for additional work hold for {_n(ctx, months)} months from the start date.",
        ]
    )
    nonstandard = months > 12
    return ClauseDraft(
        "rate_change",
        _framed(ph, text, "Rates"),
        nonstandard,
        "rate_change.locked" if nonstandard else None,
        "fees",
        {"rate_lock_months": months},
    )


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
    "limitation_of_liability": _limitation_of_liability,
    "uncapped_liability": _uncapped_liability,
    "exclusivity": _exclusivity,
    "non_compete": _non_compete,
    "acceptance": _acceptance,
    "rate_change": _rate_change,
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
    # Recitals, definitions and references to the master agreement: they name clause types
    # without being one (a cross-reference is not the clause it points at).
    (
        "scope",
        "WHEREAS {client} wishes to engage {firm} to provide the Services and {firm} is willing to provide them on the terms of {sow}.",
    ),
    (
        "scope",
        'The parties have entered into a master services agreement (the "Master Agreement") under which {client} may order services from {firm} by signing a statement of work.',
    ),
    ("general", '"Liability Cap" has the meaning given to it in clause 12.2 of the Master Agreement.'),
    (
        "general",
        '"Confidential Information" means all information disclosed by one party to the other that is marked as confidential or would reasonably be regarded as confidential.',
    ),
    (
        "general",
        '"Deliverables" means the documents, software and other materials that {firm} is to deliver under {sow}, as listed in Annex 1.',
    ),
    (
        "general",
        "Clauses 9 (Confidentiality), 12 (Limitation of Liability) and 15 (Termination) of the Master Agreement are incorporated into {sow} by reference.",
    ),
    (
        "general",
        "Headings are for convenience only; references to clauses, Schedules and paragraphs are to those of {sow} unless stated otherwise.",
    ),
    (
        "termination",
        "Termination or expiry of {sow} does not affect any rights or remedies that have accrued to either party before it ends.",
    ),
    (
        "liability",
        "The indemnities in the Master Agreement apply to the Services as if set out in full in {sow}.",
    ),
)
