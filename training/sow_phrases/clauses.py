# ruff: noqa: E501  (phrasings are data: long sentences read better unbroken)
"""Clause writers: one function per clause type, each returning a :class:`ClauseDraft`.

A writer decides (with the document's random stream) whether the clause is the
standard or the nonstandard form of its playbook rule, draws thresholds on both
sides of the default policy's limits, and sometimes writes a *distractor* (text
that looks like a rule but is not: "shall not automatically renew", a mutual
six-month non-solicit, a client-side minimum commitment). Labels follow the
default playbook in ``contracts/extraction.md``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from training.sow_phrases.words import Phraser, number_phrase


@dataclass(frozen=True)
class DraftingContext:
    """How one family drafts: party labels, number style, spelling."""

    firm: str  # the firm's defined term, e.g. "Consultant"
    client: str  # e.g. "Client"
    sow: str  # how the document names itself, e.g. "this SOW"
    number_style: str  # see words.number_phrase
    locale: str  # "us", "uk" or "eu"
    total_fee: float
    money: Callable[[float], str]  # formats an amount in the document's currency

    @property
    def favourable(self) -> str:
        return "favorable" if self.locale == "us" else "favourable"

    @property
    def wilful(self) -> str:
        return "willful" if self.locale == "us" else "wilful"


@dataclass
class ClauseDraft:
    type: str
    text: str
    nonstandard: bool
    rule: str | None
    section: str  # which section of the SOW it belongs in
    params: dict[str, Any] = field(default_factory=dict)
    distractor: bool = False
    # Phrases of the text a billing field is read from: field -> exact substring.
    billing_quotes: dict[str, str] = field(default_factory=dict)

    def with_text(self, text: str) -> ClauseDraft:
        """This draft reworded as ``text``, or itself when nothing changed or a billing field's
        quote no longer occurs verbatim in the new text."""
        if text == self.text or any(q not in text for q in self.billing_quotes.values()):
            return self
        return replace(self, text=text, params=dict(self.params), billing_quotes=dict(self.billing_quotes))


def _n(ctx: DraftingContext, n: int) -> str:
    return number_phrase(n, ctx.number_style)


def _days(ctx: DraftingContext, ph: Phraser, n: int, *, possessive: bool = False) -> str:
    unit = ph.pick(["days", "calendar days", "days", "days"])
    if possessive:
        return f"{_n(ctx, n)} {unit}'"
    return f"{_n(ctx, n)} {unit}"


def _months(ctx: DraftingContext, ph: Phraser, n: int) -> str:
    if n % 12 == 0 and ph.chance(0.4):
        years = n // 12
        return f"{_n(ctx, years)} {'year' if years == 1 else 'years'}"
    return f"{_n(ctx, n)} {'month' if n == 1 else 'months'}"


def _notice_period(ctx: DraftingContext, ph: Phraser, days: int) -> tuple[str, int]:
    """A notice period phrase and its length in days (weeks and months too)."""
    if days == 14 and ph.chance(0.4):
        return f"{_n(ctx, 2)} weeks'", 14
    if days in (30, 60, 90) and ph.chance(0.3):
        months = days // 30
        return (f"{_n(ctx, months)} {'month' if months == 1 else 'months'}'"), days
    return _days(ctx, ph, days, possessive=True), days


# --- liability -----------------------------------------------------------------------------------


def write_limitation_of_liability(ph: Phraser, ctx: DraftingContext) -> ClauseDraft:
    multiple = ph.choice([1.0, 1.0, 1.5, 2.0, 2.0, 3.0, 4.0, 5.0])
    absolute = ph.chance(0.2)
    if absolute:
        amount = round(ctx.total_fee * multiple, -3) or 1000.0
        multiple = amount / ctx.total_fee if ctx.total_fee else multiple
        cap = ctx.money(amount)
    else:
        cap_words = {
            1.0: [
                "the total fees paid or payable",
                "an amount equal to the Fees paid or payable",
                "one times (1x) the fees paid or payable",
                "the amount of the fees paid",
                "one hundred percent (100%) of the fees paid or payable",
            ],
            1.5: [
                "one and a half times (1.5x) the fees paid or payable",
                "150% of the Fees paid or payable",
                "one hundred and fifty percent (150%) of the fees paid",
            ],
            2.0: [
                "two times (2x) the fees paid or payable",
                "twice the Fees paid or payable",
                "200% of the fees paid or payable",
                "two (2) times the total fees paid",
            ],
            3.0: [
                "three times (3x) the fees paid or payable",
                "three (3) times the Fees paid or payable",
                "300% of the fees paid or payable",
                "treble the fees paid",
            ],
            4.0: [
                "four times (4x) the fees paid or payable",
                "400% of the Fees paid or payable",
                "four (4) times the total fees paid",
            ],
            5.0: [
                "five times (5x) the fees paid or payable",
                "500% of the fees paid or payable",
                "five (5) times the Fees paid",
            ],
        }[multiple]
        cap = ph.pick(cap_words)
    subject = ph.pick(
        [
            f"{ctx.firm}'s total aggregate liability arising out of or in connection with {ctx.sow}",
            f"The aggregate liability of each party under or in connection with {ctx.sow}",
            f"In no event shall {ctx.firm}'s cumulative liability for all claims relating to {ctx.sow}",
            "Each party's maximum liability, whether in contract, tort (including negligence) or otherwise,",
            f"{ctx.firm}'s entire liability for any and all claims under {ctx.sow}",
            f"The total liability of {ctx.firm} to {ctx.client} in respect of all claims",
            f"Neither party's liability for all losses arising under {ctx.sow}",
        ]
    )
    verb = ph.pick(
        [
            "shall not exceed",
            "shall be limited to",
            "will not exceed",
            "is capped at",
            "shall in no event exceed",
        ]
    )
    if subject.startswith("In no event"):
        verb = "exceed"
    tail = ph.pick(
        [
            "under " + ctx.sow,
            "in the twelve (12) months preceding the claim",
            "hereunder",
            "under " + ctx.sow + " in the year in which the claim arose",
        ]
    )
    if absolute:
        tail = ""
    text = f"{subject} {verb} {cap}{(' ' + tail) if tail and 'fees' in cap.lower() else ''}."
    if ph.chance(0.5):
        text += " " + ph.pick(
            [
                f"This limitation does not apply to liability for death or personal injury caused by "
                f"negligence, or for fraud or {ctx.wilful} misconduct.",
                "Nothing in this clause limits liability that cannot be limited by law.",
                "Neither party shall be liable for indirect, consequential or special damages or loss of profits.",
                f"The foregoing limitation shall not apply to a party's gross negligence or {ctx.wilful} misconduct.",
            ]
        )
    nonstandard = multiple > 2.0 + 1e-9
    return ClauseDraft(
        "limitation_of_liability",
        text,
        nonstandard,
        "limitation_of_liability.cap_multiple" if nonstandard else None,
        "liability",
        {"cap_multiple": round(multiple, 3)},
    )


def write_uncapped_liability(ph: Phraser, ctx: DraftingContext) -> ClauseDraft:
    text = ph.pick(
        [
            f"{ctx.firm}'s liability under {ctx.sow} shall be unlimited.",
            f"The limitations of liability set out in {ctx.sow} shall not apply to any breach by {ctx.firm} of "
            f"its obligations under {ctx.sow}.",
            f"Notwithstanding anything to the contrary, there shall be no limit on {ctx.firm}'s liability for "
            f"claims arising from the Services.",
            f"No cap or limitation of liability shall apply to {ctx.firm}'s obligations under {ctx.sow}.",
            f"{ctx.firm} shall be liable without limitation for all losses suffered by {ctx.client} in connection "
            f"with the Services.",
            f"The liability cap shall not apply to {ctx.firm}'s performance obligations, indemnities or any other "
            f"obligations hereunder.",
            f"{ctx.firm} accepts unlimited liability for any failure to perform the Services in accordance with "
            f"{ctx.sow}.",
        ]
    )
    return ClauseDraft("uncapped_liability", text, True, "uncapped_liability.present", "liability")


def write_indemnification(ph: Phraser, ctx: DraftingContext) -> ClauseDraft:
    kind = ph.choice(["broad", "broad", "negligence", "ip", "client_broad"])
    lead = ph.pick(
        [
            "{a} shall indemnify, defend and hold harmless {b} and its affiliates, officers and employees "
            "from and against any and all claims, losses, damages, liabilities and expenses",
            "{a} will defend, indemnify and hold {b} harmless against all third-party claims, costs and "
            "expenses (including reasonable legal fees)",
            "{a} agrees to indemnify {b} against all losses, liabilities and costs",
            "{a} shall keep {b} fully and effectively indemnified against all losses and claims",
            "{a} undertakes to indemnify and hold {b} harmless from any liabilities and damages",
        ]
    )
    if kind == "broad":
        a, b = ctx.firm, ctx.client
        scope = ph.pick(
            [
                "arising out of or relating to the Services",
                "arising out of or in connection with the Services or this SOW",
                "arising out of or relating to the performance of the Services",
                "in any way arising out of or relating to the Deliverables or the Services",
                "resulting from or relating to the Services, howsoever arising",
            ]
        )
    elif kind == "negligence":
        a, b = ctx.firm, ctx.client
        scope = ph.pick(
            [
                f"to the extent caused by the negligence or {ctx.wilful} misconduct of {ctx.firm} or its personnel",
                f"to the extent arising from {ctx.firm}'s gross negligence or {ctx.wilful} misconduct",
                f"to the extent resulting from bodily injury or property damage caused by {ctx.firm}'s negligent acts",
                f"but only to the extent caused by the negligent acts or omissions of {ctx.firm}",
            ]
        )
    elif kind == "ip":
        a, b = ctx.firm, ctx.client
        scope = ph.pick(
            [
                "arising from any claim that the Deliverables infringe a third party's intellectual property rights",
                "to the extent a third party alleges that the Deliverables infringe any patent, copyright or trade secret",
                "resulting from any claim that the Deliverables, as delivered, infringe third-party intellectual property",
            ]
        )
    else:
        a, b = ctx.client, ctx.firm
        scope = ph.pick(
            [
                f"arising out of or relating to materials supplied by {ctx.client}",
                f"arising out of or relating to {ctx.client}'s use of the Deliverables",
                f"arising out of or in connection with {ctx.client}'s instructions",
            ]
        )
    text = lead.format(a=a, b=b) + " " + scope + "."
    nonstandard = kind == "broad"
    return ClauseDraft(
        "indemnification",
        text,
        nonstandard,
        "indemnification.broad" if nonstandard else None,
        "liability",
        {"broad": nonstandard, "indemnitor": "firm" if a == ctx.firm else "client"},
        distractor=kind == "client_broad",
    )


# --- term, renewal, termination ------------------------------------------------------------------


def write_auto_renewal(ph: Phraser, ctx: DraftingContext) -> ClauseDraft:
    if ph.chance(0.3):
        text = ph.pick(
            [
                f"{ctx.sow[0].upper() + ctx.sow[1:]} shall not automatically renew; any extension requires a "
                f"written change order signed by both parties.",
                f"There is no automatic renewal of {ctx.sow}. The parties may agree in writing to extend the Term.",
                f"{ctx.sow[0].upper() + ctx.sow[1:]} will expire at the end of the Term and will not renew "
                f"automatically.",
                f"Any renewal of {ctx.sow} shall be subject to the mutual written agreement of the parties and "
                f"shall not occur automatically.",
                f"Neither party is obliged to renew {ctx.sow}, which shall terminate on the End Date unless "
                f"extended by a signed amendment.",
            ]
        )
        return ClauseDraft("auto_renewal", text, False, None, "term", {"negated": True}, distractor=True)
    months = ph.choice([1, 3, 6, 12, 12, 24])
    notice = ph.choice([30, 30, 60, 90])
    notice_phrase, notice_days = _notice_period(ctx, ph, notice)
    period = _months(ctx, ph, months)
    sow = ctx.sow[0].upper() + ctx.sow[1:]
    text = ph.pick(
        [
            f"{sow} shall automatically renew for successive {period} periods unless either party gives at "
            f"least {notice_phrase} written notice of non-renewal before the end of the then-current term.",
            f"Upon expiry of the Initial Term, {ctx.sow} will renew automatically for further periods of "
            f"{period} each, unless terminated by either party on {notice_phrase} notice prior to expiry.",
            f"{sow} shall be extended automatically for additional renewal terms of {period} unless a party "
            f"notifies the other in writing of its intention not to renew at least {notice_phrase} before expiry.",
            f"Unless {ctx.client} provides {notice_phrase} notice of non-renewal, the Term shall automatically "
            f"continue for successive renewal periods of {period}.",
            f"At the end of the Initial Term, {ctx.sow} shall roll over for consecutive {period} terms unless "
            f"cancelled by written notice given not less than {notice_phrase} before the renewal date.",
            f"The Term will be deemed renewed for successive {period} periods on the same terms unless either "
            f"party elects not to renew by giving {notice_phrase} prior written notice.",
            f"{sow} renews on an evergreen basis for rolling {period} periods until terminated by either party "
            f"on {notice_phrase} notice.",
        ]
    )
    return ClauseDraft(
        "auto_renewal",
        text,
        True,
        "auto_renewal.present",
        "term",
        {"renewal_months": months, "notice_days": notice_days},
    )


def write_termination_for_convenience(ph: Phraser, ctx: DraftingContext) -> ClauseDraft:
    days = ph.choice([0, 5, 10, 14, 15, 20, 29, 30, 30, 45, 60, 90])
    who = ph.choice(["client", "client", "either", "firm"])
    party = {"client": ctx.client, "either": "Either party", "firm": ctx.firm}[who]
    if days == 0:
        notice = ph.pick(
            [
                "immediately upon written notice",
                "at any time with immediate effect by notice",
                "forthwith upon notice",
            ]
        )
        notice_days = 0
    else:
        phrase, notice_days = _notice_period(ctx, ph, days)
        notice = ph.pick(
            [
                f"upon {phrase} prior written notice",
                f"on {phrase} written notice",
                f"by giving not less than {phrase} notice in writing",
                f"with {phrase} advance written notice",
            ]
        )
    convenience = ph.pick(
        [
            "for convenience",
            "for any reason or no reason",
            "without cause",
            "at its sole option for convenience",
            "for any reason",
            "without cause and for its convenience",
            "at will",
        ]
    )
    text = ph.pick(
        [
            f"{party} may terminate {ctx.sow} {convenience} {notice}.",
            f"{party} may, {notice}, terminate {ctx.sow} {convenience}.",
            f"{party} shall have the right to terminate {ctx.sow} or any part of the Services {convenience} "
            f"{notice}.",
            f"{party} reserves the right to end {ctx.sow} {convenience} {notice}.",
        ]
    )
    unpaid = False
    if who != "firm":
        if ph.chance(0.25):
            unpaid = True
            text += " " + ph.pick(
                [
                    f"{ctx.client} shall have no obligation to pay for Services not yet accepted at the date of "
                    f"termination.",
                    "No fees shall be payable for work in progress at the date of termination.",
                    f"{ctx.client} shall not be liable for any fees in respect of the terminated Services.",
                ]
            )
        elif ph.chance(0.6):
            text += " " + ph.pick(
                [
                    f"{ctx.client} shall pay {ctx.firm} for all Services performed and expenses incurred up to "
                    f"the effective date of termination.",
                    f"In that event {ctx.firm} shall be paid for work performed through the termination date.",
                    f"{ctx.client} will pay all fees accrued for Services rendered prior to termination.",
                ]
            )
    client_can = who in ("client", "either")
    nonstandard = client_can and (notice_days < 30 or unpaid)
    return ClauseDraft(
        "termination_for_convenience",
        text,
        nonstandard,
        "termination_for_convenience.short_notice" if nonstandard else None,
        "termination",
        {"notice_days": notice_days, "terminating_party": who, "unpaid_work": unpaid},
        distractor=who == "firm" and notice_days < 30,
    )


def write_termination_for_cause(ph: Phraser, ctx: DraftingContext) -> ClauseDraft:
    """Not a vocabulary clause: a short cure period that must not fire the convenience rule."""
    days = ph.choice([5, 10, 15])
    phrase, _ = _notice_period(ctx, ph, days)
    text = ph.pick(
        [
            f"Either party may terminate {ctx.sow} by written notice if the other party commits a material breach "
            f"and fails to remedy it within {phrase.rstrip(chr(39))} of notice.",
            f"Either party may terminate {ctx.sow} immediately if the other becomes insolvent, or on {phrase} "
            f"notice for a material breach that remains uncured.",
            f"If a party materially breaches {ctx.sow} and does not cure the breach within "
            f"{phrase.rstrip(chr(39))}, the other party may terminate {ctx.sow} for cause.",
        ]
    )
    return ClauseDraft("termination_for_cause", text, False, None, "termination", distractor=True)


# --- commercial restrictions ---------------------------------------------------------------------


def write_most_favored_nation(ph: Phraser, ctx: DraftingContext) -> ClauseDraft:
    fav = ctx.favourable
    text = ph.pick(
        [
            f"{ctx.firm} represents that the rates charged under {ctx.sow} are no less {fav} than those offered "
            f"to any other client for comparable services.",
            f"If {ctx.firm} offers lower rates for substantially similar services to any other customer, "
            f"{ctx.firm} shall promptly offer the same rates to {ctx.client}.",
            f"{ctx.firm} warrants that the fees hereunder are the lowest fees charged by {ctx.firm} to any "
            f"customer for similar volumes of services.",
            f"{ctx.firm} shall extend to {ctx.client} pricing at least as {fav} as the best pricing it provides "
            f"to any similarly situated client.",
            f"Should {ctx.firm} at any time provide more {fav} pricing terms to a third party, {ctx.client} shall "
            f"be entitled to the benefit of those terms retroactively.",
            f"{ctx.firm} guarantees {ctx.client} most-favoured-customer pricing for the Services.",
            f"The rates set out above shall at all times be equal to or lower than the rates {ctx.firm} charges "
            f"its other clients for equivalent services.",
        ]
    )
    return ClauseDraft("most_favored_nation", text, True, "most_favored_nation.present", "fees")


def write_non_solicitation(ph: Phraser, ctx: DraftingContext) -> ClauseDraft:
    months = ph.choice([6, 6, 12, 12, 18, 24])
    direction = ph.choice(["mutual", "mutual", "against_firm", "against_client"])
    period = _months(ctx, ph, months)
    staff = ph.pick(["employees", "personnel", "staff", "employees or contractors"])
    if direction == "mutual":
        subject = ph.pick(
            [
                "Neither party shall",
                "Each party agrees that it will not",
                "Neither party will, directly or indirectly,",
            ]
        )
        obj = f"the other party's {staff}"
    elif direction == "against_firm":
        subject = ph.pick(
            [
                f"{ctx.firm} shall not",
                f"{ctx.firm} agrees that it will not",
                f"{ctx.firm} shall not, directly or indirectly,",
            ]
        )
        obj = f"any of {ctx.client}'s {staff}"
    else:
        subject = ph.pick(
            [
                f"{ctx.client} shall not",
                f"{ctx.client} agrees not to",
                f"{ctx.client} shall not, directly or indirectly,",
            ]
        )
        obj = f"any of {ctx.firm}'s {staff} assigned to the Services"
    verb = ph.pick(
        [
            "solicit for employment or hire",
            "solicit, recruit or employ",
            "hire or solicit",
            "employ, engage or solicit",
            "induce to leave their employment or hire",
        ]
    )
    when = ph.pick(
        [
            f"during the Term and for {period} thereafter",
            f"during the term of {ctx.sow} and for a period of {period} after its expiry or termination",
            f"for {period} following completion of the Services",
            f"while {ctx.sow} is in effect and for {period} afterwards",
        ]
    )
    text = ph.pick([f"{subject} {verb} {obj} {when}.", f"{subject.rstrip(',')}, {when}, {verb} {obj}."])
    if ph.chance(0.3):
        text += " General advertisements not targeted at such persons shall not breach this clause."
    nonstandard = months > 12 or direction == "against_firm"
    return ClauseDraft(
        "non_solicitation",
        text,
        nonstandard,
        "non_solicitation.long" if nonstandard else None,
        "personnel",
        {"non_solicit_months": months, "one_sided": direction == "against_firm", "direction": direction},
        distractor=not nonstandard,
    )


def write_non_compete(ph: Phraser, ctx: DraftingContext) -> ClauseDraft:
    if ph.chance(0.35):
        text = ph.pick(
            [
                f"Nothing in {ctx.sow} restricts {ctx.firm} from providing similar services to other clients, "
                f"provided it does not use {ctx.client}'s Confidential Information.",
                f"{ctx.client} acknowledges that {ctx.firm} may perform the same or similar services for third "
                f"parties, including competitors of {ctx.client}.",
                f"{ctx.sow[0].upper() + ctx.sow[1:]} does not prevent either party from developing or acquiring "
                f"competing products or services.",
            ]
        )
        return ClauseDraft("non_compete", text, False, None, "commercial", {"negated": True}, distractor=True)
    months = ph.choice([6, 12, 24])
    text = ph.pick(
        [
            f"During the Term and for {_months(ctx, ph, months)} thereafter, {ctx.firm} shall not provide "
            f"services similar to the Services to any competitor of {ctx.client}.",
            f"{ctx.firm} agrees not to engage in any business that competes with {ctx.client} in the Territory "
            f"for {_months(ctx, ph, months)} after the end of {ctx.sow}.",
            f"{ctx.firm} shall not, without {ctx.client}'s prior written consent, perform work for any direct "
            f"competitor of {ctx.client} while {ctx.sow} is in force.",
            f"{ctx.firm} covenants that it will not, directly or indirectly, compete with {ctx.client} or assist "
            f"any competitor of {ctx.client} during the Term.",
            f"For a period of {_months(ctx, ph, months)}, {ctx.firm} shall refrain from offering competing "
            f"services to businesses in {ctx.client}'s industry.",
        ]
    )
    return ClauseDraft("non_compete", text, True, "non_compete.present", "commercial", {"months": months})


def write_exclusivity(ph: Phraser, ctx: DraftingContext) -> ClauseDraft:
    if ph.chance(0.35):
        text = ph.pick(
            [
                f"This engagement is non-exclusive and {ctx.client} may engage other providers for similar "
                f"services.",
                f"Nothing in {ctx.sow} grants either party any exclusive rights.",
                f"{ctx.client} is free to procure services of the same kind from third parties; this is a "
                f"non-exclusive arrangement.",
            ]
        )
        return ClauseDraft("exclusivity", text, False, None, "commercial", {"negated": True}, distractor=True)
    text = ph.pick(
        [
            f"{ctx.client} appoints {ctx.firm} as its exclusive provider of the Services during the Term.",
            f"{ctx.firm} shall provide the Services exclusively to {ctx.client} and shall not perform such "
            f"services for any other party in the Territory.",
            f"During the Term, {ctx.client} shall procure all services of the type described in {ctx.sow} "
            f"solely from {ctx.firm}.",
            f"{ctx.firm} shall work on an exclusive basis for {ctx.client} and shall not accept engagements "
            f"from other clients in the same sector.",
            f"The parties agree that {ctx.firm} will be the sole and exclusive supplier of these services to "
            f"{ctx.client}.",
            f"{ctx.client} grants {ctx.firm} exclusivity for all related implementation work for the duration "
            f"of {ctx.sow}.",
        ]
    )
    return ClauseDraft("exclusivity", text, True, "exclusivity.present", "commercial")


def write_ip_assignment(ph: Phraser, ctx: DraftingContext) -> ClauseDraft:
    kind = ph.choice(["standard", "standard", "before_payment", "pre_existing"])
    if kind == "standard":
        text = ph.pick(
            [
                f"Upon payment in full of all Fees, {ctx.firm} assigns to {ctx.client} all right, title and "
                f"interest in the Deliverables, excluding {ctx.firm}'s Pre-Existing Materials, which are licensed "
                f"to {ctx.client} on a non-exclusive basis.",
                f"Title to and intellectual property rights in the Deliverables shall pass to {ctx.client} on "
                f"receipt by {ctx.firm} of full payment for them. {ctx.firm} retains ownership of its background "
                f"IP.",
                f"Subject to {ctx.client} paying all amounts due, {ctx.firm} hereby assigns the intellectual "
                f"property rights in the Deliverables to {ctx.client}; {ctx.firm}'s pre-existing tools and "
                f"know-how remain its property.",
                f"Once {ctx.client} has paid in full, ownership of the Deliverables vests in {ctx.client}. "
                f"{ctx.firm}'s proprietary methodologies are excluded from this assignment.",
            ]
        )
        nonstandard = False
    elif kind == "before_payment":
        text = ph.pick(
            [
                f"All Deliverables and all intellectual property rights in them shall vest in {ctx.client} upon "
                f"creation.",
                f"{ctx.firm} hereby assigns to {ctx.client} all right, title and interest in the Deliverables as "
                f"they are created, regardless of whether payment has been made.",
                f"Ownership of all work product shall transfer to {ctx.client} immediately upon delivery, "
                f"irrespective of payment.",
                f"The Deliverables shall be the sole property of {ctx.client} from the moment they are made, "
                f"whether or not the Fees have been paid.",
                f"{ctx.client} shall own all intellectual property in the work product on delivery, "
                f"independent of any payment dispute.",
            ]
        )
        nonstandard = True
    else:
        text = ph.pick(
            [
                f"Upon payment, {ctx.firm} assigns to {ctx.client} all rights in the Deliverables, including any "
                f"pre-existing materials of {ctx.firm} incorporated in them.",
                f"{ctx.client} shall own all intellectual property in the Deliverables and in any {ctx.firm} "
                f"background technology embedded in them.",
                f"The assignment of the Deliverables to {ctx.client} extends to all tools, templates and "
                f"pre-existing intellectual property of {ctx.firm} used in their creation.",
            ]
        )
        nonstandard = True
    return ClauseDraft(
        "ip_assignment",
        text,
        nonstandard,
        "ip_assignment.before_payment" if nonstandard else None,
        "ip",
        {"before_payment": kind == "before_payment", "pre_existing": kind == "pre_existing"},
    )


def write_liquidated_damages(ph: Phraser, ctx: DraftingContext) -> ClauseDraft:
    if ph.chance(0.3):
        text = ph.pick(
            [
                f"No liquidated damages or service credits shall apply under {ctx.sow}.",
                f"The parties agree that {ctx.sow} does not provide for liquidated damages.",
                "For the avoidance of doubt, service credits do not apply to the Services.",
            ]
        )
        return ClauseDraft(
            "liquidated_damages", text, False, None, "commercial", {"negated": True}, distractor=True
        )
    pct = ph.choice([0.5, 1, 2, 5])
    text = ph.pick(
        [
            f"If {ctx.firm} fails to achieve a Milestone by its due date, {ctx.firm} shall pay {ctx.client} "
            f"liquidated damages of {pct}% of the Milestone amount for each week of delay, up to a maximum of 10%.",
            f"{ctx.client} shall be entitled to service credits equal to {pct}% of the monthly fees for each "
            f"service level that is missed.",
            f"The parties agree that delay damages of {ctx.money(ctx.total_fee * pct / 100)} per day are a "
            f"genuine pre-estimate of loss and not a penalty.",
            f"For each day of delay in delivery beyond the agreed date, {ctx.firm} shall credit {ctx.client} "
            f"{pct}% of the affected fees as liquidated damages.",
            f"Failure to meet the service levels in Schedule 2 shall entitle {ctx.client} to a fee reduction of "
            f"{pct}% per incident by way of service credit.",
            f"{ctx.firm} shall pay a fixed sum of {ctx.money(ctx.total_fee * pct / 100)} for every week the "
            f"go-live is late, as agreed compensation.",
        ]
    )
    return ClauseDraft("liquidated_damages", text, True, "liquidated_damages.present", "commercial")


def write_minimum_commitment(ph: Phraser, ctx: DraftingContext) -> ClauseDraft:
    firm_side = ph.chance(0.55)
    qty = ph.choice([2, 3, 4, 5, 500, 800, 1200])
    if firm_side:
        if qty < 10:
            text = ph.pick(
                [
                    f"{ctx.firm} shall dedicate a minimum of {_n(ctx, qty)} full-time consultants to the Services "
                    f"throughout the Term.",
                    f"{ctx.firm} commits to maintaining a staffing level of no fewer than {_n(ctx, qty)} "
                    f"consultants on site at all times.",
                    f"{ctx.firm} guarantees that at least {_n(ctx, qty)} named resources will be assigned "
                    f"exclusively to this engagement.",
                ]
            )
        else:
            text = ph.pick(
                [
                    f"{ctx.firm} guarantees the delivery of a minimum of {qty:,} hours of Services during the "
                    f"Term.",
                    f"{ctx.firm} shall provide not less than {qty:,} consulting hours per year, whether or not "
                    f"requested.",
                    f"{ctx.firm} undertakes to supply a minimum volume of {qty:,} hours of support.",
                ]
            )
    else:
        if qty < 10:
            qty = qty * 100
        text = ph.pick(
            [
                f"{ctx.client} commits to purchase a minimum of {qty:,} hours of Services during the Term.",
                f"{ctx.client} agrees to a minimum spend of {ctx.money(ctx.total_fee * 0.5)} under {ctx.sow}.",
                f"{ctx.client} shall order no fewer than {qty:,} consulting hours in each contract year.",
                f"{ctx.client} guarantees a minimum annual commitment of {ctx.money(ctx.total_fee * 0.6)}.",
            ]
        )
    return ClauseDraft(
        "minimum_commitment",
        text,
        firm_side,
        "minimum_commitment.firm" if firm_side else None,
        "commercial",
        {"committing_party": "firm" if firm_side else "client"},
        distractor=not firm_side,
    )


# --- acceptance, payment, rates ------------------------------------------------------------------


def write_acceptance(ph: Phraser, ctx: DraftingContext) -> ClauseDraft:
    kind = ph.choice(["deemed", "deemed", "sole_discretion", "satisfaction", "no_deemed"])
    if kind == "deemed":
        days = ph.choice([5, 10, 14, 15, 30])
        text = ph.pick(
            [
                f"{ctx.client} shall accept or reject each Deliverable within {_days(ctx, ph, days)} of delivery, "
                f"acting reasonably; a Deliverable not rejected in writing within that period is deemed accepted.",
                f"Each Deliverable shall be deemed accepted unless {ctx.client} notifies {ctx.firm} of a material "
                f"non-conformity within {_days(ctx, ph, days)} after delivery.",
                f"If {ctx.client} does not give written notice of rejection, stating reasons, within "
                f"{_days(ctx, ph, days)} of receipt, the Deliverable will be treated as accepted.",
                f"Acceptance will occur on the earlier of written sign-off or {_days(ctx, ph, days)} after "
                f"delivery without a notice of defects.",
                f"{ctx.client} will review each Deliverable against the acceptance criteria and, failing a "
                f"reasoned rejection within {_days(ctx, ph, days)}, acceptance shall be deemed given.",
            ]
        )
        return ClauseDraft("acceptance", text, False, None, "acceptance", {"deemed_acceptance_days": days})
    if kind == "sole_discretion":
        text = ph.pick(
            [
                f"All Deliverables are subject to acceptance by {ctx.client} in its sole discretion.",
                f"{ctx.client} may accept or reject any Deliverable at its sole and absolute discretion.",
                f"Acceptance of each Deliverable shall be determined by {ctx.client} in its absolute discretion.",
                f"{ctx.client} shall decide, in its sole judgment, whether a Deliverable is acceptable.",
            ]
        )
    elif kind == "satisfaction":
        text = ph.pick(
            [
                f"Deliverables shall be deemed complete only when they are to {ctx.client}'s satisfaction.",
                f"Each Deliverable must be completed to the complete satisfaction of {ctx.client} before it is "
                f"accepted.",
                f"{ctx.firm} shall rework any Deliverable until {ctx.client} is satisfied with it.",
                f"Acceptance requires that {ctx.client} be fully satisfied with the Deliverable.",
            ]
        )
    else:
        text = ph.pick(
            [
                f"Deliverables shall be accepted by {ctx.client} in writing following review against the "
                f"acceptance criteria.",
                f"{ctx.client} will confirm acceptance of each Deliverable by written sign-off.",
                f"A Deliverable is accepted only when {ctx.client} signs an acceptance certificate for it.",
            ]
        )
    return ClauseDraft(
        "acceptance",
        text,
        True,
        "acceptance.subjective",
        "acceptance",
        {"sole_discretion": kind in ("sole_discretion", "satisfaction"), "deemed_acceptance_days": None},
    )


#: Share of a train family's payment terms drafted by :func:`_payment_after_invoice_event`.
TRAIN_INVOICE_EVENT_SHARE = 0.25


def _payment_after_invoice_event(ph: Phraser, ctx: DraftingContext) -> ClauseDraft:
    """Train families only: the period counted from an event described at length ("the date on
    which a complete and accurate invoice is received"), conditions on the invoice, the invoicing
    step in the same sentence; public buyers and procurement offices write payment terms so."""
    days = ph.choice([10, 14, 20, 30, 30, 30, 45, 60, 60, 90])
    period = f"{_n(ctx, days)} {ph.choice(['days', 'calendar days', 'days'])}"
    invoice = ph.choice(
        [
            "a complete and correct invoice",
            "a properly rendered invoice",
            "a valid tax invoice",
            "an undisputed invoice that quotes the purchase order number",
            "an invoice in the agreed form, with the supporting timesheets,",
        ]
    )
    event = ph.choice(
        [
            f"following the date on which {invoice} is received",
            f"after the date on which {ctx.client} receives {invoice}",
            f"of the later of receipt of {invoice} and acceptance of the work it covers",
            f"from the day {invoice} reaches {ctx.client}'s accounts payable office",
        ]
    )
    term = f"within {period} {event}"
    lead = ph.choice(
        [
            f"{ctx.client} will pay {ctx.firm} {term}",
            f"Payment shall be made by electronic funds transfer {term}",
            f"{ctx.firm} shall invoice monthly in arrears and {ctx.client} shall pay each invoice {term}",
            f"Amounts due are paid {term}",
            f"Subject to any right of set-off, {ctx.client} shall settle the amount invoiced {term}",
        ]
    )
    tail = ph.choice(
        [
            "",
            "",
            f"; an invoice that is incorrect will be returned to {ctx.firm} for correction",
            ", to the account nominated by the payee",
        ]
    )
    nonstandard = days > 45
    return ClauseDraft(
        "payment_terms",
        f"{lead}{tail}.",
        nonstandard,
        "payment_terms.long" if nonstandard else None,
        "fees",
        {"payment_days": days, "pay_when_paid": False},
        billing_quotes={"payment_terms_days": f"within {period}"},
    )


def write_payment_terms(ph: Phraser, ctx: DraftingContext) -> ClauseDraft:
    # held_out first: held-out families draw nothing extra, so their documents do not change.
    if not ph.held_out and ph.chance(TRAIN_INVOICE_EVENT_SHARE):
        return _payment_after_invoice_event(ph, ctx)
    kind = ph.choice(["days"] * 7 + ["net"] * 3 + ["receipt", "pay_when_paid"])
    if kind == "receipt":
        days = 0
        term = ph.pick(["due upon receipt", "payable on receipt", "due immediately upon receipt"])
        text = f"Invoices are {term}."
        quote = term
    elif kind == "pay_when_paid":
        days = None
        term = ph.pick(
            [
                f"within {_days(ctx, ph, 5)} after {ctx.client} receives payment from its end customer",
                f"only if and when {ctx.client} has itself been paid by its customer",
                f"on a pay-when-paid basis, following receipt of funds by {ctx.client} from the end client",
                f"within {_days(ctx, ph, 10)} of {ctx.client}'s receipt of the corresponding payment from the "
                f"project owner",
            ]
        )
        text = f"{ctx.client} shall pay each undisputed invoice {term}."
        quote = term
    else:
        days = ph.choice([0, 10, 15, 30, 30, 30, 45, 45, 60, 60, 75, 90])
        if days == 0:
            days = 30
        if kind == "net":
            term = ph.pick([f"net {days}", f"Net {days}", f"net {days} days"])
        else:
            term = ph.pick(
                [
                    f"within {_days(ctx, ph, days)} of receipt",
                    f"within {_days(ctx, ph, days)} of the invoice date",
                    f"no later than {_days(ctx, ph, days)} after receipt of a valid invoice",
                    f"within {_days(ctx, ph, days)} from the date of invoice",
                    f"{_days(ctx, ph, days)} after the date of invoice",
                ]
            )
        text = ph.pick(
            [
                f"{ctx.client} shall pay each invoice {term}.",
                f"Payment terms are {term}.",
                f"Invoices are payable {term}.",
                f"All undisputed amounts shall be paid {term}.",
                f"{ctx.client} will settle invoices {term}.",
            ]
        )
        if text.startswith("Payment terms are") and not term.lower().startswith("net"):
            text = f"Invoices are payable {term}."
        quote = term
    nonstandard = days is None or days > 45
    params: dict[str, Any] = {"payment_days": days, "pay_when_paid": days is None}
    quotes = {"payment_terms_days": quote} if days is not None else {}
    return ClauseDraft(
        "payment_terms",
        text,
        nonstandard,
        "payment_terms.long" if nonstandard else None,
        "fees",
        params,
        billing_quotes=quotes,
    )


def write_late_payment(ph: Phraser, ctx: DraftingContext) -> ClauseDraft:
    pct = ph.choice([1.0, 1.5, 1.5, 2.0, 0.5])
    pct_text = f"{pct:g}%"
    text = ph.pick(
        [
            f"A late charge of {pct_text} per month will be applied to past due balances.",
            f"Past-due invoices incur a finance charge of {pct_text} per month.",
            f"Unpaid balances are subject to a service charge of {pct_text} per month.",
            f"Overdue amounts shall bear interest at {pct_text} per month until paid.",
            f"Late payments accrue interest at the rate of {pct_text} per month, or the maximum lawful rate if "
            f"lower.",
            f"{ctx.firm} may charge a late fee of {pct_text} per month on any amount not paid when due.",
            f"Any sum not paid by its due date shall incur interest of {pct_text} per month from the due date.",
            f"Interest at {pct_text} per month will be applied to balances outstanding beyond the due date.",
        ]
    )
    quote = f"{pct_text} per month"
    return ClauseDraft(
        "late_payment",
        text,
        False,
        None,
        "fees",
        {"late_fee_percent_per_month": pct},
        billing_quotes={"late_fee_percent_per_month": quote},
    )


def write_late_payment_statutory(ph: Phraser, ctx: DraftingContext) -> ClauseDraft:
    text = ph.pick(
        [
            "Interest on late payments shall accrue at 4% per annum above the Bank of England base rate.",
            "Late payment interest is payable at the statutory rate under the Late Payment of Commercial Debts "
            "(Interest) Act 1998.",
            "Amounts overdue bear default interest at eight percentage points above the ECB reference rate.",
        ]
    )
    return ClauseDraft("late_payment", text, False, None, "fees", {"late_fee_percent_per_month": None})


def write_rate_change(ph: Phraser, ctx: DraftingContext) -> ClauseDraft:
    kind = ph.choice(["lock_short", "lock_long", "forbidden", "adjust", "adjust"])
    if kind in ("lock_short", "lock_long"):
        months = ph.choice([6, 12]) if kind == "lock_short" else ph.choice([18, 24, 36])
        period = _months(ctx, ph, months)
        text = ph.pick(
            [
                f"The rates in this SOW are fixed for the first {period} of the Term.",
                f"Rates shall remain firm for {period} from the Effective Date, after which {ctx.firm} may "
                f"increase them by no more than 3% per year.",
                f"{ctx.firm} shall hold the rates above for a period of {period}.",
                f"No rate increase will take effect during the first {period} of {ctx.sow}.",
                f"Pricing is locked for {period}; thereafter rates may be adjusted on sixty days' notice.",
            ]
        )
        nonstandard = months > 12
        params: dict[str, Any] = {"rate_lock_months": months, "increases_forbidden": False}
    elif kind == "forbidden":
        text = ph.pick(
            [
                f"{ctx.firm} shall not increase its rates during the Term.",
                f"The rates set out in {ctx.sow} may not be increased for any reason.",
                f"Rates are fixed for the entire duration of {ctx.sow}, including any renewal.",
                f"No increase in the rates or fees shall be permitted under {ctx.sow}.",
            ]
        )
        nonstandard = True
        params = {"rate_lock_months": None, "increases_forbidden": True}
    else:
        text = ph.pick(
            [
                f"{ctx.firm} may adjust its rates annually on {_days(ctx, ph, 60, possessive=True)} written notice.",
                "Rates may be increased once per calendar year by no more than the change in CPI.",
                f"{ctx.firm} may revise the rate card each January, with {_days(ctx, ph, 30, possessive=True)} "
                f"notice to {ctx.client}.",
                "Rates will be reviewed on each anniversary of the Effective Date and may rise by up to 5%.",
            ]
        )
        nonstandard = False
        params = {"rate_lock_months": None, "increases_forbidden": False}
    return ClauseDraft(
        "rate_change", text, nonstandard, "rate_change.locked" if nonstandard else None, "fees", params
    )


# --- standard boilerplate (no rule of their own) -------------------------------------------------


def write_audit_rights(ph: Phraser, ctx: DraftingContext) -> ClauseDraft:
    text = ph.pick(
        [
            f"{ctx.client} may, on {_days(ctx, ph, 30, possessive=True)} notice and no more than once a year, "
            f"audit {ctx.firm}'s records relating to the Fees invoiced under {ctx.sow}.",
            f"{ctx.firm} shall keep accurate books and records of time and expenses and make them available for "
            f"inspection by {ctx.client} or its auditors on reasonable notice.",
            f"{ctx.client} or its independent auditor may examine {ctx.firm}'s timesheets and expense receipts "
            f"during normal business hours.",
            f"{ctx.firm} will retain all records supporting its invoices for three years and allow {ctx.client} "
            f"reasonable access to inspect and copy them.",
            f"Upon request, {ctx.firm} shall permit {ctx.client} to audit its compliance with {ctx.sow}, "
            f"including billing records.",
        ]
    )
    return ClauseDraft("audit_rights", text, False, None, "general")


def write_change_of_control(ph: Phraser, ctx: DraftingContext) -> ClauseDraft:
    text = ph.pick(
        [
            f"{ctx.client} may terminate {ctx.sow} on written notice if {ctx.firm} undergoes a change of control.",
            f"{ctx.firm} shall notify {ctx.client} promptly of any change of control, and {ctx.client} may then "
            f"terminate {ctx.sow} without penalty.",
            "A merger, acquisition or sale of substantially all of the assets of a party shall be treated as an "
            "assignment requiring consent.",
            f"If a competitor of {ctx.client} acquires control of {ctx.firm}, {ctx.client} may end {ctx.sow} "
            f"immediately.",
        ]
    )
    return ClauseDraft("change_of_control", text, False, None, "general")


def write_anti_assignment(ph: Phraser, ctx: DraftingContext) -> ClauseDraft:
    text = ph.pick(
        [
            f"Neither party may assign or transfer {ctx.sow} without the prior written consent of the other "
            f"party, which shall not be unreasonably withheld.",
            f"{ctx.firm} shall not assign, subcontract or otherwise transfer any of its rights or obligations "
            f"without {ctx.client}'s prior written consent.",
            f"Any purported assignment of {ctx.sow} without consent is void.",
            f"Neither party shall novate or assign its rights under {ctx.sow} except with the other's written "
            f"approval.",
            f"{ctx.sow[0].upper() + ctx.sow[1:]} may not be assigned by either party, save to an affiliate, "
            f"without prior written consent.",
        ]
    )
    return ClauseDraft("anti_assignment", text, False, None, "general")


def write_governing_law(ph: Phraser, ctx: DraftingContext) -> ClauseDraft:
    law = {
        "us": [
            "the State of New York",
            "the State of Delaware",
            "the State of California",
            "the Commonwealth of Massachusetts",
            "the State of Illinois",
        ],
        "uk": ["England and Wales", "Scotland", "England"],
        "eu": ["Ireland", "the Federal Republic of Germany", "the Netherlands", "France"],
    }[ctx.locale]
    place = ph.choice(law)
    text = ph.pick(
        [
            f"{ctx.sow[0].upper() + ctx.sow[1:]} is governed by the laws of {place}, without regard to its "
            f"conflict of laws rules.",
            f"{ctx.sow[0].upper() + ctx.sow[1:]} and any dispute arising from it shall be governed by and "
            f"construed in accordance with the law of {place}, and the courts of {place} shall have exclusive "
            f"jurisdiction.",
            f"The laws of {place} govern {ctx.sow}. Each party submits to the jurisdiction of the courts of "
            f"{place}.",
            f"This engagement shall be interpreted under the laws of {place}.",
            f"Any dispute shall be finally resolved by the courts located in {place}, applying the law of {place}.",
        ]
    )
    return ClauseDraft("governing_law", text, False, None, "general")


def write_warranty(ph: Phraser, ctx: DraftingContext) -> ClauseDraft:
    days = ph.choice([30, 60, 90])
    text = ph.pick(
        [
            f"{ctx.firm} warrants that the Services will be performed in a professional and workmanlike manner "
            f"and that each Deliverable will conform to its specification for {_days(ctx, ph, days)} after "
            f"acceptance.",
            f"{ctx.firm} shall re-perform, at no charge, any Services that do not conform to this SOW and are "
            f"reported within {_days(ctx, ph, days)} of completion.",
            f"{ctx.firm} warrants that it will perform the Services with reasonable skill and care, in "
            f"accordance with good industry practice.",
            f"For a warranty period of {_days(ctx, ph, days)}, {ctx.firm} will correct any defect in the "
            f"Deliverables notified by {ctx.client}.",
        ]
    )
    return ClauseDraft("warranty", text, False, None, "general", {"warranty_days": days})


def write_insurance(ph: Phraser, ctx: DraftingContext) -> ClauseDraft:
    text = ph.pick(
        [
            f"{ctx.firm} shall maintain professional liability insurance of at least "
            f"{ctx.money(2_000_000)} per claim throughout the Term.",
            f"{ctx.firm} will carry commercial general liability, professional indemnity and employer's "
            f"liability insurance with reputable insurers and provide certificates on request.",
            f"During the Term {ctx.firm} shall keep in force professional indemnity insurance with a limit of "
            f"not less than {ctx.money(5_000_000)}.",
            f"{ctx.firm} must hold workers' compensation and errors and omissions insurance in amounts customary "
            f"in its industry.",
        ]
    )
    return ClauseDraft("insurance", text, False, None, "general")


def write_confidentiality(ph: Phraser, ctx: DraftingContext) -> ClauseDraft:
    text = ph.pick(
        [
            f"Each party shall keep the other's Confidential Information secret and use it only for the "
            f"purposes of {ctx.sow}.",
            f"The confidentiality obligations of the Master Agreement apply to all information exchanged under "
            f"{ctx.sow}.",
            "Neither party shall disclose any confidential or proprietary information of the other party to "
            "any third party without prior written consent.",
            f"{ctx.firm} shall hold all {ctx.client} data in strict confidence and shall not disclose it except "
            f"to personnel who need to know it.",
            "Information marked confidential, or which a reasonable person would regard as confidential, shall "
            "be protected with at least reasonable care.",
        ]
    )
    return ClauseDraft("confidentiality", text, False, None, "general")


ClauseWriter = Callable[[Phraser, DraftingContext], ClauseDraft]

CLAUSE_WRITERS: dict[str, ClauseWriter] = {
    "limitation_of_liability": write_limitation_of_liability,
    "uncapped_liability": write_uncapped_liability,
    "indemnification": write_indemnification,
    "auto_renewal": write_auto_renewal,
    "termination_for_convenience": write_termination_for_convenience,
    "termination_for_cause": write_termination_for_cause,
    "most_favored_nation": write_most_favored_nation,
    "non_solicitation": write_non_solicitation,
    "non_compete": write_non_compete,
    "exclusivity": write_exclusivity,
    "ip_assignment": write_ip_assignment,
    "liquidated_damages": write_liquidated_damages,
    "audit_rights": write_audit_rights,
    "change_of_control": write_change_of_control,
    "anti_assignment": write_anti_assignment,
    "governing_law": write_governing_law,
    "warranty": write_warranty,
    "insurance": write_insurance,
    "minimum_commitment": write_minimum_commitment,
    "acceptance": write_acceptance,
    "payment_terms": write_payment_terms,
    "late_payment": write_late_payment,
    "late_payment_statutory": write_late_payment_statutory,
    "rate_change": write_rate_change,
    "confidentiality": write_confidentiality,
}
