# ruff: noqa: E501  (regular expressions read better unbroken)
"""Values read from inside a clause: notice days, renewal months, cap multiples,
non-solicit months, payment days, who is bound, and the flags the playbook needs.

Numbers and money come from the billing parsers (:mod:`extraction.billing`), so
"thirty (30) days", "net 45" and "$1.2 million" are read the same way everywhere.
Every reader takes one clause's text and returns plain values (``None`` when the
clause does not say); the playbook decides what they mean.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from extraction.billing.money import find_money
from extraction.billing.numbers import NUMBER_WORDS, words_to_number
from extraction.billing.terms import find_pay_when_paid, find_payment_terms

_COUNT = rf"(?:(?P<words>{NUMBER_WORDS})\s*)?(?:\(\s*(?P<paren>\d{{1,3}}(?:\.\d)?)\s*\)|(?P<digits>\d{{1,3}}(?:\.\d)?))?"
_DURATION_RE = re.compile(
    rf"\b{_COUNT}[\s-]*(?:\((?P<pwords>{NUMBER_WORDS})\)[\s-]*)?(?P<kind>calendar\s+|business\s+|working\s+)?(?P<unit>days?|weeks?|months?|years?)\b(?:['’]s?)?",
    re.IGNORECASE,
)
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}
_UNIT_MONTHS = {"day": 1 / 30, "week": 7 / 30, "month": 1, "year": 12}

# Defined terms a firm and its client use for themselves (lower case).
FIRM_TERMS = (
    "service provider", "consultant", "supplier", "subcontractor", "sub-contractor", "contractor", "vendor", "provider", "agency", "firm",
    "consultancy", "seller", "developer", "integrator", "licensor", "partner", "company a",
)  # fmt: skip
CLIENT_TERMS = (
    "client", "customer", "company", "purchaser", "buyer", "licensee", "recipient", "owner", "employer",
    "authority", "organisation", "organization", "company b",
)  # fmt: skip
_MUTUAL = re.compile(
    r"\b(?:either|each|neither|both)\s+(?:part(?:y|ies)|of\s+us)\b|\bthe\s+parties\b|\bmutual(?:ly)?\b", re.I
)


_CLIENT_ONLY_AS_PARTY = ("principal",)
# Public buyers name themselves by office, not by role ("The Government may terminate…", "the
# Contracting Officer"); read as the client party only, like "Principal".
_PUBLIC_BUYERS = ("government", "contracting officer", "department", "ministry", "council", "crown")
# In a subcontract the firm is the subcontractor and its client the prime contractor ("Prime").
_PRIME = ("prime contractor", "prime")
# Engagement letters are written by the firm: "we" / "us" / "our" are the firm, "you" the client.
# Matched with their case so "US" (the country) is not the firm.
_FIRM_PRONOUN = re.compile(r"\b(?:[Ww]e|WE|us|[Oo]ur|OUR)\b")
_CLIENT_PRONOUN = re.compile(r"\b(?:[Yy]ou(?:r)?|YOU(?:R)?)\b")


@dataclass(frozen=True)
class Duration:
    count: float
    unit: str  # day | week | month | year
    start: int
    end: int

    @property
    def days(self) -> int:
        return round(self.count * _UNIT_DAYS[self.unit])

    @property
    def months(self) -> float:
        return self.count * _UNIT_MONTHS[self.unit]


def find_durations(text: str) -> list[Duration]:
    """Every "thirty (30) days" / "12 months" / "two weeks'" / "one (1) year" in ``text``."""
    out: list[Duration] = []
    for m in _DURATION_RE.finditer(text):
        count: float | None = None
        if m.group("paren"):
            count = float(m.group("paren"))
        elif m.group("digits"):
            count = float(m.group("digits"))
        elif m.group("words"):
            count = words_to_number(m.group("words"))
        elif m.group("pwords"):
            count = words_to_number(m.group("pwords"))
        if count is None:
            # "a month's notice", "one month" without digits handled above; "the month" is not a duration
            # "a month", "a further year", "another year"
            before = text[max(0, m.start() - 24) : m.start("unit")].lower()
            if re.search(
                r"(?:^|\W)(?:an?\s+(?:(?:further|additional|subsequent|new|second)\s+)?|another\s+)$", before
            ):
                count = 1
            else:
                continue
        unit = m.group("unit").lower().rstrip("s")
        out.append(Duration(float(count), unit, m.start(), m.end()))
    return out


def party_of(
    text: str, *, firm_terms: tuple[str, ...] = FIRM_TERMS, client_terms: tuple[str, ...] = CLIENT_TERMS
) -> str | None:
    """Who the sentence binds or empowers first: ``"firm"``, ``"client"``, ``"mutual"`` or None.

    The first party mentioned is the grammatical subject in nearly every
    clause ("Client may terminate…", "Neither party shall solicit…").
    """
    lowered = text.lower()
    best: tuple[int, str] | None = None
    mutual = _MUTUAL.search(text)
    if mutual:
        best = (mutual.start(), "mutual")
    # "Principal" is the client in engineering and construction forms; it is read as a party here
    # only (not folded into the classifier's features, where it is also a staff grade).
    for role, terms in (
        ("firm", firm_terms),
        ("client", (*client_terms, *_CLIENT_ONLY_AS_PARTY, *_PUBLIC_BUYERS, *_PRIME)),
    ):
        for term in terms:
            found = re.search(rf"\b{re.escape(term)}\b", lowered)
            if found and (best is None or found.start() < best[0]):
                best = (found.start(), role)
    for role, pronoun in (("firm", _FIRM_PRONOUN), ("client", _CLIENT_PRONOUN)):
        found = pronoun.search(text)
        if found and (best is None or found.start() < best[0]):
            best = (found.start(), role)
    return best[1] if best else None


# Words in a company's own name that say it sells services ("Ardmore Advisory Limited").
_SERVICE_FIRM_NAME = re.compile(
    r"\b(?:advis\w*|consult\w*|partners|services|solutions|engineering|systems|technolog\w*|analytics|digital|creative|agency|software|informatics|integrat\w*|associates|research|talent|staffing)\b[^\n(]*$",
    re.I,
)


def defined_party_terms(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Firm and client terms, extended with the defined terms of this document's preamble.

    A preamble such as ``Acme Corp ("Customer") and Brightline ("Agency")`` defines
    the labels the rest of the document uses; unknown labels are classified by
    their position (the party introduced with the lexicon's firm words wins).
    """
    firm, client = list(FIRM_TERMS), list(CLIENT_TERMS)
    for m in re.finditer(r"\(\s*(?:the\s+)?[\"“']([A-Z][A-Za-z ]{1,30})[\"”']\s*\)", text[:5000]):
        label = m.group(1).strip().lower()
        if label in firm or label in client or label in ("sow", "agreement", "effective date", "msa"):
            continue
        if any(
            w in label for w in ("consult", "supplier", "provider", "contractor", "vendor", "agency", "advis")
        ):
            firm.append(label)
        elif any(w in label for w in ("client", "customer", "buyer", "purchaser")):
            client.append(label)
    # The two labels given to the contracting companies ("Straits Harbour Bank Ltd ("Bank") and
    # Meranti Pte. Ltd. ("Service Provider")"): when one is a known side, the other is the other side.
    found = [
        (m.group(1).strip().lower(), text[max(0, m.start() - 60) : m.start()])
        for m in re.finditer(
            r"\b(?:Ltd|Limited|Inc|LLC|LLP|L\.P|LP|plc|PLC|Pty|GmbH|AG|B\.V|N\.V|S\.A|SAS|Srl|Pte|DAC|Corp(?:oration)?|Company|Co)\.?,?\s*"
            r"(?:\([^()\"“”]{0,40}\)\s*)?\(\s*(?:the\s+)?[\"“']([A-Z][A-Za-z ]{1,30})[\"”']\s*\)",
            text[:5000],
        )
    ]
    parties = [label for label, _ in found]
    if len(parties) == 2:
        sides = [("firm" if p in firm else "client" if p in client else None) for p in parties]
        if sides == [None, None]:
            # Two bare names ("Corrib Energy DAC ("Corrib") engages Ardmore Advisory Limited
            # ("Ardmore")"): the one whose company name says it advises or serves is the firm.
            serving = [bool(_SERVICE_FIRM_NAME.search(name.rsplit("\n", 1)[-1])) for _, name in found]
            if serving.count(True) == 1:
                sides = ["firm" if serves else "client" for serves in serving]
                for label, side in zip(parties, sides, strict=True):
                    (firm if side == "firm" else client).append(label)
        for label, side, other in ((parties[0], sides[0], sides[1]), (parties[1], sides[1], sides[0])):
            if side is None and other is not None:
                (client if other == "firm" else firm).append(label)
    return tuple(firm), tuple(client)


def _search(pattern: str, text: str) -> bool:
    return re.search(pattern, text, re.IGNORECASE) is not None


def _words(match: re.Match[str] | None) -> str | None:
    """The words a match covers, on one line: quoted in a finding's reason."""
    return " ".join(match.group(0).split()) if match else None


# --- per clause type -----------------------------------------------------------------------------

_NOTICE_CUE = re.compile(r"notice|notif|prior|advance|in\s+writing", re.I)
_IMMEDIATE = re.compile(
    r"\bimmediate(?:ly)?\b|\bforthwith\b|\bwith\s+immediate\s+effect\b|\bat\s+any\s+time\b(?![^.]{0,40}\b\d)",
    re.I,
)


def notice_days(text: str) -> int | None:
    """The notice period a clause requires, in days (0 for "immediately")."""
    durations = find_durations(text)
    cued = [
        d
        for d in durations
        if _NOTICE_CUE.search(text[d.end : d.end + 40])
        or _NOTICE_CUE.search(text[max(0, d.start - 40) : d.start])
    ]
    if cued:
        return cued[0].days
    if _IMMEDIATE.search(text) and not durations:
        return 0
    if re.search(r"\bnotice\b", text, re.I) and durations:
        return durations[0].days
    if not durations and re.search(
        r"\b(?:upon|on|by)\s+(?:written\s+)?notice\b|\bby\s+(?:delivering|giving|serving|sending|issuing)\s+(?:to\s+(?:the\s+)?\w+\s+)?(?:a\s+|written\s+)+notice",
        text,
        re.I,
    ):
        return 0
    return None


# A term that continues by itself ("tacitly extended by one year at a time", "continues on a
# month-to-month basis", "renews for further periods") unless a party opts out before it ends.
_CONTINUATION = re.compile(
    r"tacit(?:ly)?|automatic(?:ally)?\s+(?:renew|extend|continu)|\bsuccessive\b|month[\s-]to[\s-]month|year[\s-]to[\s-]year|evergreen"
    r"|rolling\s+(?:basis|monthly|term|contract)|\brenews?\s+for\b|(?:continu|extend|renew)\w*\s+(?:\w+\s+){0,3}?for\s+(?:further|additional|consecutive)\b"
    r"|(?:extended|renewed)\s+by\s+\S+\s+(?:\(\d+\)\s+)?(?:years?|months?)\s+at\s+a\s+time",
    re.I,
)
_OPTION_TO_EXTEND = re.compile(
    r"\bmay\s+(?:\w+\s+){0,4}?(?:extend|renew)|\b(?:option|right)\s+to\s+(?:extend|renew)|\bat\s+(?:its|their)\s+(?:sole\s+)?(?:option|discretion)\b[^.]{0,40}(?:extend|renew)",
    re.I,
)
_OPT_OUT = re.compile(
    r"(?:unless|until)\s+(?:it\s+is\s+|this\s+\w+\s+is\s+)?(?:terminated|ended)|non[\s-]renewal"
    r"|(?:unless|until)\s+(?:either|one|a|the)\s+(?:party|parties|\w+)\s+(?:gives|serves|ends|terminates|notifies|elects)"
    r"|(?:before|prior\s+to|to)\s+the\s+end\s+of\s+the\s+(?:\w+\s+){0,2}(?:term|period)",
    re.I,
)


def termination_values(
    text: str, *, firm_terms: tuple[str, ...] = FIRM_TERMS, client_terms: tuple[str, ...] = CLIENT_TERMS
) -> dict[str, Any]:
    if (
        _CONTINUATION.search(text)
        and _OPT_OUT.search(text)
        and not _OPTION_TO_EXTEND.search(text)
        and not re.search(r"convenien|without\s+cause|for\s+any\s+reason|at\s+any\s+time", text, re.I)
    ):
        # Its only termination is the opt-out from the next period: an automatic renewal clause.
        return {"read_as": "auto_renewal", **renewal_values(text)}
    party = party_of(text, firm_terms=firm_terms, client_terms=client_terms)
    unpaid = _search(
        r"no\s+obligation\s+to\s+pay|no\s+(?:fees|amounts?|payment)\s+(?:shall|will)\s+be\s+(?:payable|due)|shall\s+not\s+be\s+liable\s+for\s+any\s+fees"
        r"|without\s+(?:any\s+)?(?:payment|compensation|liability\s+for\s+(?:fees|payment))|not\s+(?:be\s+)?(?:obliged|required)\s+to\s+pay",
        text,
    )
    paid = _search(
        r"(?:shall|will)\s+(?:pay|be\s+paid)[^.]{0,80}(?:performed|rendered|accrued|incurred|through|up\s+to)",
        text,
    )
    return {"notice_days": notice_days(text), "terminating_party": party, "unpaid_work": unpaid and not paid}


def renewal_values(text: str) -> dict[str, Any]:
    negated = _search(
        r"(?:shall|will|does)\s+not\s+(?:be\s+)?(?:automatically\s+)?(?:renew|extend|roll)|not\s+renew\s+automatically|no\s+automatic\s+(?:renewal|extension)"
        r"|not\s+occur\s+automatically|not\s+obliged\s+to\s+renew|(?:subject\s+to|requires?)\s+(?:the\s+)?(?:mutual\s+)?(?:written\s+)?(?:agreement|change\s+order|amendment)[^.]{0,40}(?:renew|extension)"
        r"|(?:renew|extension)[^.]{0,60}(?:requires?|subject\s+to)\s+(?:a\s+|the\s+)?(?:mutual\s+)?(?:written|signed)",
        text,
    )
    automatic = _search(
        r"automatic(?:ally)?|evergreen|roll(?:s|ed)?\s+over|deemed\s+(?:to\s+be\s+)?renewed|shall\s+renew|will\s+renew|successive|rolling|tacit(?:ly)?|from\s+year\s+to\s+year"
        # "then renews for further periods of twelve months", "continues on a month-to-month basis"
        r"|\brenews?\s+for\b|(?:renew|extend|continu)\w*\s+(?:\w+\s+){0,3}?for\s+(?:further|additional|consecutive)\s+(?:\w+\s+)?(?:periods?|terms?|years?|months?)"
        r"|month[\s-]to[\s-]month|year[\s-]to[\s-]year|(?:extended|renewed)\s+by\s+(?:one|a|\d+|\w+\s+\(\d+\))\s+(?:\w+\s+)?(?:years?|months?)\s+at\s+a\s+time",
        text,
    )
    durations = find_durations(text)
    # The opt-out window is the period given before expiry ("at least 60 days before the end of the
    # then-current term"); an initial term or a renewal length is not a notice period.
    before_expiry = [
        d
        for d in durations
        if re.match(
            r"\W{0,3}(?:\(\w+\)\s*)?(?:prior\s+to|before|in\s+advance\s+of|ahead\s+of)\b",
            text[d.end : d.end + 20],
            re.I,
        )
        or re.match(r"[\w\s,]{0,40}(?:notice|notif)", text[d.end : d.end + 45], re.I)
    ]
    before_expiry = [d for d in before_expiry if not _renewal_length(text, d)]
    notice: int | None
    if before_expiry:
        notice = before_expiry[0].days
    else:
        # The length of the renewal term is no notice period, whatever words follow it.
        blanked = text
        for d in durations:
            if _renewal_length(text, d):
                blanked = blanked[: d.start] + " " * (d.end - d.start) + blanked[d.end :]
        notice = notice_days(blanked)
    renewal = None
    for d in durations:
        if _renewal_length(text, d):
            renewal = round(d.months)
            break
    if renewal is None and re.search(
        r"\b(?:rolling|continue)\s+(?:on\s+a\s+)?(?:rolling\s+)?monthly\b|month[\s-]to[\s-]month", text, re.I
    ):
        renewal = 1
    # "The Bank may at its option extend this SOW for a further period": a choice, not automatic.
    optional = _OPTION_TO_EXTEND.search(text) is not None and not _search(r"automatic|tacit|evergreen", text)
    return {"renewal_months": renewal, "notice_days": notice, "negated": negated or optional or not automatic}


def _renewal_length(text: str, d: Duration) -> bool:
    """Whether a duration is the length of a renewal term ("successive one-year periods", "renewal
    terms of one (1) year each"), not the initial term or the notice window."""
    before = text[max(0, d.start - 40) : d.start].lower()
    after = text[d.end : d.end + 25].lower()
    if re.search(r"\binitial\b[^.]{0,60}$", text[max(0, d.start - 80) : d.start].lower()):
        return False
    if _NOTICE_CUE.search(text[d.end : d.end + 25]) or re.match(
        r"\W{0,3}(?:prior\s+to|before|in\s+advance)", after
    ):
        return False
    if re.search(
        r"(?:successive|further|additional|rolling|consecutive|renewal|renew(?:s|ed)?\s+for|extended\s+for)\b[^.]{0,30}$"
        r"|(?:periods?|terms?)\s+of\s*(?:\w+\s+)?$",
        before,
    ):
        return True
    # "tacitly extended by one year at a time"
    if re.search(r"(?:extended|renewed|extends|renews)\s+by\s*$", before) and re.match(
        r"\s*at\s+a\s+time", after
    ):
        return True
    return bool(
        re.match(r"[\s-]*(?:renewal\s+)?(?:periods?|terms?)\b", after)
        and re.search(r"renew|extend|successive|further|additional|rolling|consecutive", before + after)
    )


_MULTIPLE_WORDS = {"once": 1.0, "twice": 2.0, "double": 2.0, "treble": 3.0, "triple": 3.0}
# What a cap is measured against: the fees under the SOW, by whatever name the drafting gives them.
_FEE_WORDS = r"(?:fees?|charges?|contract\s+(?:price|value|sum)|order\s+value|price|remuneration|compensation|amounts?\s+(?:paid|payable))\b"
# Words between "of the" and the fees: "200% of the agreed price", "of the total annual Charges".
_FEE_ADJECTIVES = r"(?:(?:total|aggregate|agreed|annual|applicable|overall|contract|order)\s+){0,2}"


def cap_values(text: str, *, total_fee: float | None = None) -> dict[str, Any]:
    """The liability cap as a multiple of the fees (None when not expressed that way)."""
    multiple: float | None = None
    basis = "fees"
    m = re.search(r"\(\s*(\d+(?:\.\d+)?)\s*[x×]\s*\)|\b(\d+(?:\.\d+)?)\s*[x×]\b", text, re.I)
    if m:
        multiple = float(m.group(1) or m.group(2))
    if multiple is None:
        m = re.search(
            rf"\b(?:(?P<words>{NUMBER_WORDS}(?:\s+and\s+a\s+half)?)\s*)?(?:\(\s*(?P<digits>\d+(?:\.\d+)?)\s*\)\s*|(?P<bare>\d+(?:\.\d+)?)\s+)?times\b",
            text,
            re.I,
        )
        if m and (m.group("digits") or m.group("bare") or m.group("words")):
            if m.group("digits") or m.group("bare"):
                multiple = float(m.group("digits") or m.group("bare"))
            else:
                words = m.group("words")
                half = 0.5 if "half" in words.lower() else 0.0
                base = words_to_number(re.sub(r"\s+and\s+a\s+half", "", words, flags=re.I))
                multiple = None if base is None else base + half
    if multiple is None:
        for word, value in _MULTIPLE_WORDS.items():
            if re.search(rf"\b{word}\b[^.]{{0,30}}\b{_FEE_WORDS}", text, re.I):
                multiple = value
                break
    if multiple is None:
        m = re.search(
            rf"(\d+(?:\.\d+)?)\s*(?:%|per\s*cent|percent)\s*(?:\)\s*)?of\s+(?:the\s+)?{_FEE_ADJECTIVES}{_FEE_WORDS}",
            text,
            re.I,
        )
        if m:
            multiple = float(m.group(1)) / 100
    if multiple is None:
        # "one hundred and fifty per cent of the Charges"
        m = re.search(
            rf"\b((?:{NUMBER_WORDS})(?:[\s-]+(?:and\s+)?(?:{NUMBER_WORDS}))*)\s+(?:per\s*cent|percent)\s+of\s+(?:the\s+)?{_FEE_ADJECTIVES}{_FEE_WORDS}",
            text,
            re.I,
        )
        percent = words_to_number(m.group(1)) if m else None
        if percent:
            multiple = percent / 100
    amount = None
    if multiple is None:
        monies = find_money(text)
        if monies:
            amount = max(x.amount for x in monies)
            basis = "amount"
            if total_fee:
                multiple = amount / total_fee
        elif re.search(
            r"(?:amount|total|sum)\s+(?:equal\s+to\s+)?(?:of\s+)?(?:the\s+)?(?:total\s+)?(?:fees|charges)|(?:the\s+)?(?:total\s+)?(?:fees|charges)\s+(?:paid|payable)"
            r"|exceed\s+the\s+(?:total\s+)?(?:fees|charges|amounts?\s+paid|contract\s+(?:price|value|sum))|limited\s+to\s+the\s+(?:total\s+|agreed\s+)?(?:fees|charges|order\s+value|contract\s+(?:price|value|sum)|remuneration)"
            # "limited to the amount of the order", "shall not exceed the value of this Contract"
            r"|(?:limited\s+to|exceed|capped\s+at)\s+the\s+(?:total\s+)?(?:amount|value|price)\s+of\s+(?:the|this)\s+"
            r"(?:order|purchase\s+order|work\s+order|contract|agreement|sow|statement\s+of\s+work)\b",
            text,
            re.I,
        ):
            multiple = 1.0
    return {
        "cap_multiple": None if multiple is None else round(multiple, 3),
        "cap_amount": amount,
        "cap_basis": basis,
    }


# "limited to the amount stated in Item 14 of the Details Schedule": order forms keep the figure
# in a schedule of numbered items, away from the clause.
_ITEM_REFERENCE = re.compile(
    r"(?:amount|sum|limit|figure)\s+(?:stated|specified|set\s+out|shown|given|identified|nominated)\s+in\s+"
    r"(?:the\s+)?(?P<label>item|row|paragraph|box)\s+(?P<number>\d{1,3}[A-Za-z]?)\b",
    re.I,
)


def referenced_item(text: str, document_text: str) -> str | None:
    """The schedule line a clause's amount refers to ("Item 14  Amount for clause 5.1: AUD 5m"), if any.

    Only a line that opens with the label and number and carries a sum of money is returned.
    """
    reference = _ITEM_REFERENCE.search(text)
    if reference is None:
        return None
    line = re.compile(
        rf"^[ \t]*{re.escape(reference.group('label'))}[ \t]+{re.escape(reference.group('number'))}\b[^\n]*",
        re.I | re.M,
    )
    for match in line.finditer(document_text):
        if find_money(match.group(0)):
            return match.group(0)
    return None


_CARVE_OUT_LEAD = re.compile(
    r"(?:shall|will|does|do)\s+not\s+apply\s+to|(?:are|is)\s+excluded\s+from\s+(?:the\s+)?(?:cap|limit)|(?:shall|will)\s+not\s+be\s+subject\s+to\s+(?:the\s+)?(?:cap|limit)",
    re.I,
)
_OWN_OBLIGATIONS = re.compile(
    r"breach\s+of\s+(?:its|their|his|her|the|any|this|that|clause|section|article)|\bobligations?\b|indemnif|confidential|data\s+(?:protection|security)|intellectual\s+property\s+infring",
    re.I,
)


def _excludes_own_obligations(text: str) -> bool:
    """A cap's exclusions list the party's own obligations (breach of confidentiality, data
    protection, its indemnities), not only fraud, death or personal injury and misconduct."""
    for lead in _CARVE_OUT_LEAD.finditer(text):
        listed = re.split(r"(?<=[.;])\s+(?=[A-Z])", text[lead.end() : lead.end() + 400])[0]
        # A carve-out for the client's duty to pay the fees protects the firm: it is standard.
        listed = re.sub(
            r"(?:obligations?|liability)\s+to\s+pay\b|payment\s+obligations?|(?:obligation\s+(?:for|of)\s+)?payment\s+of\s+(?:the\s+)?(?:fees|charges|amounts|sums)",
            " ",
            listed,
            flags=re.I,
        )
        if _OWN_OBLIGATIONS.search(listed):
            return True
    return False


# Carve-outs for fraud, death or personal injury, wilful misconduct or intent (and what the law
# will not let a party limit) are market standard.
_STANDARD_HEADS = re.compile(
    r"death|personal\s+injury|injury\s+to\s+(?:life|body|health)|bodily\s+injury|fraud|cannot\s+be\s+(?:limited|excluded)|gross(?:ly)?\s+negligen"
    r"|wil(?:l)?ful\s+(?:misconduct|default)|\bintent(?:ional)?\b|deliberate|reckless|mandatory\s+(?:law|statutory)",
    re.I,
)
_UNLIMITED = re.compile(r"unlimited|without\s+limit(?:ation)?|no\s+(?:cap|limit)", re.I)


def _sentence_around(text: str, match: re.Match[str]) -> str:
    start = max(text.rfind(". ", 0, match.start()), text.rfind(";", 0, match.start())) + 1
    stop = re.search(r"[.;](?:\s|$)", text[match.end() :])
    return text[start : match.end() + (stop.start() if stop else len(text))]


def _short(words: str, limit: int = 160) -> str:
    words = " ".join(words.split()).rstrip(".;")
    return words if len(words) <= limit else words[: limit - 3].rsplit(" ", 1)[0] + " …"


def _unlimited_only_for_standard_heads(text: str, match: re.Match[str]) -> bool:
    """ "liable without limitation for intent, gross negligence and injury to life, body or
    health": the sentence that lifts the cap names only the standard heads."""
    sentence = _sentence_around(text, match)
    return bool(_STANDARD_HEADS.search(sentence)) and not _OWN_OBLIGATIONS.search(sentence)


def _excluded_obligations(text: str) -> str | None:
    """What a carve-out lifts the cap for, when that includes the party's own obligations."""
    for lead in _CARVE_OUT_LEAD.finditer(text):
        listed = re.split(r"(?<=[.;])\s+(?=[A-Z])", text[lead.end() : lead.end() + 400])[0]
        if _OWN_OBLIGATIONS.search(listed):
            return _short(listed)
    return None


def uncapped_values(text: str) -> dict[str, Any]:
    standard_carve_out = _STANDARD_HEADS.search(text) is not None
    unlimited = [m for m in _UNLIMITED.finditer(text) if not _unlimited_only_for_standard_heads(text, m)]
    general = (
        bool(unlimited)
        or _search(
            r"(?:cap|limitations?)\s+(?:of\s+liability\s+)?(?:set\s+out\s+)?[^.]{0,40}shall\s+not\s+apply\s+to\s+(?:any\s+)?(?:breach|[\w']+\s+(?:performance\s+)?obligations|.{0,30}obligations\s+(?:under|hereunder))",
            text,
        )
        or _excludes_own_obligations(text)
    )
    return {
        "expressly_uncapped": general,
        "standard_carve_out_only": standard_carve_out and not general,
        "unlimited_phrase": _short(_sentence_around(text, unlimited[0])) if unlimited else None,
        "excluded_from_cap": _excluded_obligations(text) if general and not unlimited else None,
    }


def indemnity_values(
    text: str, *, firm_terms: tuple[str, ...] = FIRM_TERMS, client_terms: tuple[str, ...] = CLIENT_TERMS
) -> dict[str, Any]:
    party = party_of(text, firm_terms=firm_terms, client_terms=client_terms)
    broad_match = re.search(
        r"arising\s+(?:out\s+of|from)\s+or\s+(?:relating|related|in\s+connection)|in\s+any\s+way\s+(?:arising|relating|connected|related)|howsoever\s+arising|any\s+and\s+all\s+(?:claims|liabilities|losses)[^.]{0,200}(?:arising|relating|resulting|connected)|resulting\s+from\s+or\s+relating"
        r"|(?:in\s+connection|connected)\s+with\s+(?:the\s+)?(?:services|deliverables|performance|this\s+(?:sow|statement|work\s+order|agreement))",
        text,
        re.I,
    )
    broad_scope = broad_match is not None
    limited = _search(
        r"to\s+the\s+extent\s+(?:caused|arising|resulting)|negligen|infring|wil(?:l)?ful\s+misconduct|bodily\s+injury",
        text,
    )
    broad = broad_scope and not limited
    return {"indemnitor": party, "broad": broad, "broad_phrase": _words(broad_match) if broad else None}


def non_solicit_values(
    text: str, *, firm_terms: tuple[str, ...] = FIRM_TERMS, client_terms: tuple[str, ...] = CLIENT_TERMS
) -> dict[str, Any]:
    months = [d.months for d in find_durations(text) if d.unit in ("month", "year")]
    party = party_of(text, firm_terms=firm_terms, client_terms=client_terms)
    return {
        "non_solicit_months": round(max(months)) if months else None,
        "bound_party": party,
        "one_sided": party == "firm",
    }


def presence_negated(clause_type: str, text: str) -> bool:
    """Whether a clause states that the thing is absent ("non-exclusive", "no service credits")."""
    patterns = {
        "non_compete": r"nothing\s+in\s+[^.]{0,60}(?:restricts?|prevents?|prohibits?|limits?)|may\s+(?:perform|provide|offer|supply)\s+(?:the\s+same\s+or\s+|any\s+)?similar\b"
        # "the Supplier may provide its services to third parties, including other operators"
        r"|may\s+(?:perform|provide|offer|supply)\s+[^.;]{0,40}?\bto\s+(?:third\s+parties|other\s+(?:clients|customers|operators))|does\s+not\s+(?:prevent|restrict)|free\s+to\s+(?:provide|perform|work|act|serve|represent)"
        # a conflicts waiver: "you agree that we may represent other clients, including your competitors"
        r"|may\s+(?:represent|act\s+for|advise|serve|work\s+for|provide\s+services\s+to)\s+(?:other|any\s+other|third[\s-]party)\s+(?:clients|customers|parties|persons)",
        "exclusivity": r"non[\s-]?exclusive|no\s+exclusiv|not\s+(?:be\s+)?exclusive|(?:nothing|no\s+provision)[^.]{0,60}exclusive\s+rights|free\s+to\s+(?:procure|engage|use)",
        "liquidated_damages": r"no\s+(?:liquidated\s+damages|service\s+credits)|(?:service\s+credits|liquidated\s+damages)\s+(?:do|does|shall|will)\s+not\s+apply|does\s+not\s+provide\s+for\s+liquidated|not\s+(?:be\s+)?entitled\s+to\s+(?:any\s+)?(?:service\s+credits|liquidated)"
        r"|(?:shall|will|does)\s+not\s+entitle\s+[^.]{0,40}?\bto\s+(?:any\s+)?(?:service\s+credits|liquidated|fee\s+reductions?)|not\s+give\s+rise\s+to\s+(?:any\s+)?(?:service\s+credits|liquidated)",
        "most_favored_nation": r"no\s+(?:most[\s-]favou?red|mfn)|(?:not\s+(?:be\s+)?subject\s+to|does\s+not\s+(?:contain|include)|without)\s+(?:any\s+|an?\s+)?(?:most[\s-]favou?red|mfn)|not\s+(?:obliged|required)\s+to\s+(?:offer|match|extend)\s+(?:\w+\s+){0,3}?(?:the\s+same|equivalent|its\s+best|the\s+(?:rates|prices|discounts|pricing))|(?:is|are|constitutes?)\s+not\s+an?\s+(?:most[\s-]favou?red|mfn)|nothing\s+in\s+[^.]{0,40}\s+is\s+an?\s+(?:most[\s-]favou?red|mfn)"
        r"|(?:does|do|shall|will)\s+not\s+(?:give|offer|grant|provide|make|extend)\s+(?:any\s+|an?\s+)?(?:most[\s-]favou?red|mfn|best[\s-]pric|price[\s-]match)",
    }
    pattern = patterns.get(clause_type)
    return bool(pattern and _search(pattern, text))


# An exclusive licence of the work ("the exclusive, irrevocable right of use ... in all work
# results"): the way German and Nordic drafting passes IP, not exclusive dealing.
_EXCLUSIVE_LICENCE = r"exclusive\b[^.;]{0,60}?\b(?:licen[cs]e|rights?\s+(?:of|to)\s+use|usage\s+rights?|rights?\s+of\s+exploitation)"
# "(GST exclusive)", "VAT-inclusive": a price's tax, not exclusive dealing.
_TAX_INCLUSIVE = r"(?:vat|gst|hst|tax(?:es)?)[\s-]+(?:exclusive|inclusive)"
_IP_OBJECT = re.compile(
    r"work\s+results|deliverables?|work\s+product|intellectual\s+property|copyright|software|source\s+code|documentation|materials",
    re.I,
)
# "Exclusive" that grants no exclusive dealing: a remedy, a forum, ownership, a licence's kind.
_BENIGN_EXCLUSIVE = re.compile(
    r"exclusive\s+(?:and\s+sole\s+)?remed(?:y|ies)|sole\s+and\s+exclusive\s+remed(?:y|ies)|(?:non-?|not\s+)exclusive|exclusive\s+(?:place\s+of\s+)?(?:jurisdiction|venue|forum|courts?|place)"
    r"|(?:owned|belong(?:s|ing)?|vest(?:s|ed)?)\s+(?:\w+\s+){0,3}exclusively|exclusive\s+(?:property|ownership|owner)|exclusive\s+of\s+(?:vat|gst|tax)"
    rf"|{_TAX_INCLUSIVE}|{_EXCLUSIVE_LICENCE}",
    re.I,
)
_EXCLUSIVE_DEALING = re.compile(
    r"exclusiv|\bsole(?:ly)?\s+(?:and\s+exclusive\s+)?(?:supplier|provider|source|from)|all\s+of\s+its\s+requirements|\bsolely\s+from\b"
    # "the Client shall not engage any other management consultancy for …": exclusivity by prohibition
    r"|(?:shall|will|must|may)\s+not\s+(?:\w+\s+){0,2}?(?:engage|appoint|retain|use|instruct|purchase|procure|buy)\s+(?:any\s+)?(?:other|third[\s-]party|alternative|competing|another)\b",
    re.I,
)


# What the SOW calls its pre-agreed damages, named in the finding's reason.
_DAMAGES_TERM = re.compile(
    r"liquidated\s+damages|service\s+credits?|delay\s+payments?|fees?\s+at\s+risk|penalt(?:y|ies)|(?:fee|price)\s+reductions?|rebates?|deductions?",
    re.I,
)


def exclusive_licence_of_work(text: str) -> bool:
    """Whether the text's only "exclusive" is the licence by which the work passes to the client
    ("the exclusive, irrevocable right of use ... in all work results")."""
    return bool(
        not exclusive_dealing(text)
        and re.search(_EXCLUSIVE_LICENCE, re.sub(r"non[\s-]?exclusive", " ", text, flags=re.I), re.I)
        and _IP_OBJECT.search(text)
        and carries_type("ip_assignment", text)
    )


def exclusive_dealing(text: str) -> bool:
    """Whether the text grants exclusivity at all, once an exclusive remedy, an exclusive
    jurisdiction, exclusive ownership and a non-exclusive licence are set aside."""
    return bool(_EXCLUSIVE_DEALING.search(_BENIGN_EXCLUSIVE.sub(" ", text)))


def exclusive_phrase(text: str) -> str | None:
    """The words that grant the exclusivity ("its exclusive agency of record"), for the reason."""
    benign = [m.span() for m in _BENIGN_EXCLUSIVE.finditer(text)]
    for m in _EXCLUSIVE_DEALING.finditer(text):
        if any(a <= m.start() < b for a, b in benign):
            continue
        before = re.search(r"(?:\S+\s+){0,3}$", text[max(0, m.start() - 60) : m.start()])
        after = re.match(r"\S*(?:\s+[^\s.;,]+){0,3}", text[m.start() :])
        words = (before.group(0) if before else "") + (after.group(0) if after else m.group(0))
        return " ".join(words.split())
    return None


def non_compete_values(
    text: str, *, firm_terms: tuple[str, ...] = FIRM_TERMS, client_terms: tuple[str, ...] = CLIENT_TERMS
) -> dict[str, Any]:
    return {
        "bound_party": party_of(text, firm_terms=firm_terms, client_terms=client_terms),
        "negated": presence_negated("non_compete", text),
    }


def ip_values(text: str) -> dict[str, Any]:
    before_match = re.search(
        r"(?:up)?on\s+(?:its\s+|their\s+)?creation|as\s+(?:they\s+are\s+|it\s+is\s+)?created|(?:from|as\s+of|at)\s+the\s+(?:moment|time)\s+(?:of\s+(?:its|their)\s+creation|(?:it\s+is|they\s+are)\s+(?:made|created))|from\s+the\s+moment"
        r"|regardless\s+of\s+(?:whether\s+)?(?:any\s+)?payment|irrespective\s+of\s+(?:any\s+)?payment|whether\s+or\s+not\s+[^.]{0,40}\b(?:paid|payment)|works?\s+(?:made\s+)?for\s+hire"
        r"|whether\s+or\s+not\s+(?:the\s+)?(?:fees|payment|invoices?)[^.]{0,20}(?:paid|made)|independent(?:ly)?\s+of\s+(?:any\s+)?payment|immediately\s+upon\s+(?:delivery|creation)|on\s+delivery|prior\s+to\s+payment|before\s+payment",
        text,
        re.I,
    )
    before = before_match is not None
    after_payment = _search(
        r"(?:upon|on|after|following|subject\s+to)\s+(?:receipt\s+(?:by\s+\w+\s+)?of\s+)?(?:full\s+)?payment|paid\s+in\s+full|paying\s+all\s+amounts|payment\s+in\s+full|has\s+paid",
        text,
    )
    pre_existing_included = _search(
        r"including\s+(?:any\s+)?(?:\w+\s+){0,5}?(?:pre[\s-]?existing|background)|(?:extends?|applies)\s+to\s+[^.]{0,60}(?:pre[\s-]?existing|background)|and\s+in\s+any\s+[^.]{0,40}(?:pre[\s-]?existing|background)",
        text,
    )
    pre_existing_excluded = _search(
        r"exclud\w*[^.]{0,60}(?:pre[\s-]?existing|background|proprietary)|(?:pre[\s-]?existing|background|proprietary)[^.]{0,80}(?:remain|retain|excluded|licensed)|retains?\s+(?:all\s+)?(?:ownership|rights?)",
        text,
    )
    # Without a word on payment, a clause that simply vests the work in the client passes it
    # regardless of payment.
    unconditional = None
    if not before and not after_payment:
        unconditional = re.search(
            r"shall\s+(?:vest|own|belong)|sole\s+property|becomes?\s+(?:the\s+)?(?:sole\s+|exclusive\s+)?property|(?:is|are|shall\s+be)\s+owned\s+by",
            text,
            re.I,
        )
    passes_before = before or unconditional is not None
    return {
        "passes_before_payment": passes_before,
        "covers_pre_existing": pre_existing_included and not pre_existing_excluded,
        "transfer_phrase": _words(before_match or unconditional) if passes_before else None,
    }


_CONDITIONAL_PAYMENT = re.compile(
    r"after\s+\w+\s+(?:receives|has\s+received|is\s+paid)|(?:receives|receipt\s+of\s+(?:funds|the\s+corresponding\s+payment|payment))\s+(?:\w+\s+){0,6}from\s+(?:its|the)\s+(?:end\s+)?(?:customer|client|owner|project\s+owner)"
    r"|if\s+and\s+when\s+\w+\s+has\s+(?:itself\s+)?been\s+paid|pay[\s-]when[\s-]paid|pay[\s-]if[\s-]paid|back[\s-]to[\s-]back\s+payment",
    re.I,
)


# Words that set when an invoice is paid (a period, "on receipt", "net"), as opposed to what
# happens once it is late.
_PAYMENT_PERIOD = re.compile(
    r"\bnet\s*\d|\bwithin\b|(?:upon|on)\s+receipt|\bin\s+advance\b|\bin\s+arrears\b|\bmonthly\b|\bquarterly\b|\binstal?l?ments?\b|\bmilestones?\b",
    re.I,
)


def payment_values(text: str) -> dict[str, Any]:
    conditional = bool(find_pay_when_paid(text)) or bool(_CONDITIONAL_PAYMENT.search(text))
    terms = [] if conditional else find_payment_terms(text)
    days = terms[0].days if terms else None
    # "45 days from the end of the month in which the invoice is received" runs up to a month past
    # the stated days; "20 Business Days" is about 28 calendar days. The playbook measures both.
    eom = bool(terms and terms[0].eom)
    business_days = bool(terms and terms[0].business_days)
    if days is None and not conditional:
        # "90 (ninety) days after the date of invoice": figures before the words.
        for d in find_durations(text):
            if d.unit == "day" and re.search(
                r"invoice|receipt|due|payable|paid", text[d.end : d.end + 40], re.I
            ):
                days = d.days
                break
    if (
        days is None
        and not conditional
        and carries_type("late_payment", text)
        and not _PAYMENT_PERIOD.search(text)
    ):
        # "Any sum not paid by its due date bears interest at 2% per month" sets no payment term:
        # it is the late-payment remedy.
        return {"read_as": "late_payment", **late_payment_values(text)}
    values: dict[str, Any] = {"payment_days": days, "pay_when_paid": conditional}
    if eom:
        values["payment_end_of_month"] = True
    if business_days:
        values["payment_business_days"] = True
    return values


def acceptance_values(text: str) -> dict[str, Any]:
    subjective_match = re.search(
        r"sole\s+(?:and\s+absolute\s+)?(?:discretion|judge?ment|opinion)|absolute\s+discretion|satisf(?:action|ied)\b",
        text,
        re.I,
    )
    subjective = subjective_match is not None
    deemed = re.search(
        r"deemed\s+(?:to\s+(?:be|have\s+been)\s+)?(?:accepted|approved|given)|treated\s+as\s+accepted|acceptance\s+(?:shall|will)\s+(?:be\s+deemed|occur)|automatically\s+accepted|deemed\s+acceptance",
        text,
        re.I,
    )
    deemed_days = None
    if deemed:
        durations = find_durations(text)
        if durations:
            deemed_days = min(durations, key=lambda d: abs(d.start - deemed.start())).days
    return {
        "sole_discretion": subjective,
        "subjective_phrase": _words(subjective_match),
        "deemed_acceptance_days": deemed_days,
        "deemed_acceptance": bool(deemed),
    }


def rate_change_values(text: str) -> dict[str, Any]:
    forbidden = _search(
        r"(?:shall|will|may)\s+not\s+(?:be\s+)?increase|no\s+(?:rate\s+)?increases?\s+(?:in\s+the\s+rates\s+)?(?:or\s+fees\s+)?(?:shall|will)\s+be\s+permitted|may\s+not\s+be\s+increased|fixed\s+for\s+the\s+(?:entire|whole|full)\s+(?:duration|term)"
        r"|(?:fixed|firm|locked)\s+(?:throughout|for\s+the\s+(?:duration|life))|not\s+(?:be\s+)?subject\s+to\s+(?:any\s+)?(?:increase|escalation|price\s+adjustment|indexation)"
        r"|(?:no|without)\s+(?:price\s+|rate\s+)?(?:escalation|indexation)",
        text,
    )
    lock = None
    locked = re.search(
        r"fixed|firm|locked|hold|guarantee|no\s+rate\s+increase|shall\s+not\s+change|remain\s+(?:unchanged|constant)"
        r"|(?:not|no)\s+(?:\w+\s+){0,2}?increases?\b",
        text,
        re.I,
    )
    if locked:
        for d in find_durations(text):
            if d.unit in ("month", "year") and abs(d.start - locked.start()) < 80:
                lock = round(d.months)
                break
    return {"rate_lock_months": lock, "increases_forbidden": forbidden and lock is None}


# The words that state the commitment itself: its sentence names who commits, though a clause
# may open with the other party ("Vendor will supply engineers at these rates. Company commits
# to a minimum of 2,000 billable hours").
_COMMITMENT_WORDS = re.compile(
    r"\b(?:minimum|no\s+fewer\s+than|not\s+fewer\s+than|not\s+less\s+than|no\s+less\s+than|at\s+least|commits?|guarantees?)\b",
    re.I,
)


def commitment_values(
    text: str, *, firm_terms: tuple[str, ...] = FIRM_TERMS, client_terms: tuple[str, ...] = CLIENT_TERMS
) -> dict[str, Any]:
    for sentence in re.split(r"(?<=[.;:])\s+(?=[A-Z(])|\n\s*\n", text):
        if _COMMITMENT_WORDS.search(sentence):
            party = party_of(sentence, firm_terms=firm_terms, client_terms=client_terms)
            if party is not None:
                return {"committing_party": party}
            break
    return {"committing_party": party_of(text, firm_terms=firm_terms, client_terms=client_terms)}


_NO_LATE_REMEDY = re.compile(
    r"(?:no\s+interest|interest\s+(?:is|shall\s+be|will\s+be)\s+not\s+payable|interest\s+(?:is|shall|will)\s+not\s+(?:be\s+)?(?:payable|charged|accrue)|not\s+(?:be\s+)?(?:entitled|liable)\s+to\s+(?:charge\s+|pay\s+)?(?:any\s+)?interest)"
    r"|no\s+(?:late(?:\s+payment)?\s+)?(?:fees?|charges?|penalt\w+)\s+(?:shall|will|may)\s+(?:be\s+)?(?:charged|payable|apply|accrue)",
    re.I,
)


def late_payment_values(text: str) -> dict[str, Any]:
    m = re.search(r"(\d+(?:\.\d+)?)\s*%\s*(?:per\s+month|a\s+month|monthly|per\s+mensem)", text, re.I)
    # "Interest is not payable on any amount paid late" names the topic but gives no remedy.
    negated = m is None and _NO_LATE_REMEDY.search(text) is not None
    values: dict[str, Any] = {"late_fee_percent_per_month": float(m.group(1)) if m else None}
    if negated:
        values["negated"] = True
    return values


# Words without which a text is not a clause of the type, whatever its other words suggest: a
# signature line is not governing law, "report our findings to the Audit Committee" is not an audit
# right, "assign the key personnel" is not anti-assignment. Benign uses are removed first.
_TYPE_WORDS: dict[str, tuple[str, str | None]] = {
    "governing_law": (
        r"\blaws?\b|jurisdiction|\bcourts?\b|arbitra|tribunal|\bgoverned\s+by\s+(?:english|french|german|irish|scots|swiss|dutch|\w+\s+law)",
        # "services within the meaning of sections 611 et seq. of the Civil Code" classifies the
        # contract under the law, choosing none.
        r"within\s+the\s+meaning\s+of\b[^.;]{0,80}|\bthe\s+law\s+on\s+contracts\s+for\s+\w+|"
        r"(?:required|permitted|prescribed|imposed|allowed)\s+(?:by|under)\s+(?:(?:any\s+)?(?:applicable\s+)?law|statute)|(?:under|with|by)\s+(?:any\s+)?applicable\s+laws?|(?:all|any)\s+applicable\s+laws?|law\s+firm|cannot\s+(?:\w+\s+)?be\s+(?:limited|excluded)\s+(?:by|under)\s+(?:\w+\s+)?law|by\s+(?:operation\s+of\s+)?law",
    ),
    "exclusivity": (
        r"exclusiv|\bsole(?:ly)?\b|all\s+of\s+its\s+requirements|\bonly\s+(?:from|through|with|by)\b"
        r"|(?:not|no)\s+(?:\w+\s+){0,3}(?:engage|use|appoint|retain|purchase|procure|buy|sell|distribute|work\s+with|contract\s+with)[^.]{0,60}\b(?:other|third|competing|competitors?|any\s+other)",
        # A statement that the engagement is non-exclusive is an exclusivity clause (standard); a
        # non-exclusive licence, an exclusive remedy or forum, exclusive ownership are not.
        r"exclusive\s+(?:and\s+sole\s+)?remed(?:y|ies)|sole\s+and\s+exclusive\s+remed(?:y|ies)|exclusive\s+(?:place\s+of\s+)?(?:jurisdiction|venue|forum|courts?)"
        r"|\b(?:venue|jurisdiction|forum|courts?|suits?|actions?|claims?|proceedings|disputes?)\b[^.]{0,40}?\bexclusively\s+(?:in|before|with|to)\b"
        r"|\bexclusively\s+(?:in|before|to)\s+(?:the\s+)?(?:\w+\s+){0,3}?(?:courts?|tribunals?)\b"
        r"|non-?\s?exclusive\b[^.;]{0,60}?\b(?:licen[cs]e|right\s+to\s+use|jurisdiction)|(?:owned|belong(?:s|ing)?|vest(?:s|ed)?)\s+(?:\w+\s+){0,3}exclusively"
        r"|exclusive\s+(?:property|ownership|owner)|exclusive\s+of\s+(?:vat|gst|tax)|"
        rf"{_TAX_INCLUSIVE}|"
        r"solely\s+(?:to|for|in\s+connection|as)\b|solely\s+(?:responsible|liable)"
        rf"|{_EXCLUSIVE_LICENCE}",
    ),
    "liquidated_damages": (
        r"liquidated|damages|\bcredits?\b|penalt|delay\s+payments?|at\s+risk|reduc|deduct|withh[oe]ld|compensation|rebate|\b(?:shall|will|must)\s+pay\b"
        r"|(?:pay|credit|forfeit)[^.]{0,80}\b(?:per|for\s+(?:each|every))\s+(?:\w+\s+){0,2}(?:day|week|hour|month|incident|service\s+level)",
        # Prompt-payment "interest penalties" are interest on late payment, owed by the client.
        r"interest\s+penalt\w*(?:[^.]{0,80}\b(?:paid|payable|pay)\b)?|penalty\s+interest|late[\s-]payment\s+penalt\w*"
        r"|credit\s+(?:union|card|rating|check|limit|note|facility|institution)|letter\s+of\s+credit"
        # '"Service Credits" means the sums calculated under Annex 2' defines a term, owing nothing.
        r"|[\"“][^\"”\n]{1,60}[\"”]\s+(?:means|has\s+the\s+meaning)\b[^;\n]*"
        r"|(?:credit\s+(?:a\s+|an\s+|the\s+)?)?(?:volume|loyalty|spend)\s+(?:rebate|discount)s?|\bspend\b[^.]{0,120}\b(?:rebate|discount)s?\b",
    ),
    "auto_renewal": (
        r"renew|evergreen|extend|extension|roll(?:s|ed|ing)?\b|successive|continu|expir",
        r"(?:do(?:es)?|shall|will)\s+not\s+roll\s+over\b(?![^.]{0,40}\b(?:term|sow|agreement|contract|order))"
        r"|\brenewables?\b"
        # a price change "upon each renewal" / "before the renewal date" provides no renewal
        r"|\b(?:upon|on|at|before|after|prior\s+to|from)\s+(?:each|any|every|the|a)?\s*renewals?(?:\s+date)?\b|\brenewal\s+date",
    ),
    "anti_assignment": (
        r"\bassign(?:ment|ed|s|ing)?\b(?![^.]{0,30}\b(?:personnel|staff|consultants?|resources?|employees|individuals|team))|transfer|novat|sub-?contract|sub-?let|delegat",
        None,
    ),
    "non_solicitation": (
        r"solicit|\bhir(?:e|es|ed|ing)\b|\bemploy(?:ment)?\b|\bengag(?:e|ing)\s+(?:any|the|such)|recruit|induce|entice|poach|offer\s+(?:of\s+)?employment",
        r"works?\s+(?:made\s+)?for\s+hire|\bsolicitors?\b|\bsolicitor['’]s\b",
    ),
    "audit_rights": (
        # Records are audited when they are kept for, or opened to, someone: "activity records
        # countersigned by the project lead" or "migration of vehicle records" give no right.
        r"audit|inspect|examin|\bbooks\b|access\s+to|verif"
        r"|(?:keep|kept|maintain|retain|preserve|available|produce|copies\s+of|access)[^.]{0,80}\brecords?\b"
        r"|\brecords?\b[^.]{0,80}\b(?:available|retained|kept|maintained|preserved|access|inspection|copies|years?)\b",
        r"audit\s+committee|audited\s+(?:financial|accounts)|(?:will|shall)\s+not\s+audit|internal\s+audit\s+function",
    ),
    "change_of_control": (
        r"change\s+(?:of|in)\s+(?:control|ownership)|controlling\s+interest|\bmerg|\bacqui|sale\s+of\s+(?:all|substantially)|consolidat|reorgani[sz]|voting|operation\s+of\s+law|\bshares\b|equity|securities"
        r"|(?<!to\s)\bcontrol(?:led|s|ling)?\b(?!\s+(?:the|its|any)\s+(?:defen[cs]e|settlement|conduct|negotiation))",
        # "infection control policies", "change control", "this SOW controls where it says so".
        r"\b(?:infection|quality|change|version|access|cost|budget|document|security|internal|export|process|stock|inventory|pest)\s+control"
        r"|\b(?:sow|agreement|order|contract|document|letter|schedule|terms?|provisions?)\s+(?:shall\s+|will\s+)?controls?\b",
    ),
    # "does not apply to Contractor's obligations under Section 5 (Indemnification)" cites the clause.
    "indemnification": (
        r"indemn|hold\s+\w+\s+harmless|harmless|\bdefend",
        r"(?:article|clause|section|paragraph|schedule|§)\s*[\w.]+\s*\([^)]*\)",
    ),
    # An expenses ceiling ("not to exceed $30,000 in the aggregate") caps spend, not liability.
    "limitation_of_liability": (r"liab|liable|damages|losses|claims?\b|exposure|responsib|compensat", None),
    # A commitment names a floor; "assigns, with full title guarantee, all such rights" names none.
    "minimum_commitment": (
        r"minimum|at\s+least|(?:not|no)\s+(?:less|fewer)\s+than|\bcommit|guarantee[sd]?\s+(?:that\s+)?(?:a\s+|the\s+)?(?:at\s+least|minimum|volume|delivery|hours|spend)"
        r"|dedicat|full[\s-]time|\bFTEs?\b|whether\s+or\s+not\s+(?:requested|used|called)|take[\s-]or[\s-]pay|\bfloor\b",
        None,
    ),
    # A cross-reference ("breach of Article 9 (Confidential Information)") and a letter's
    # "Privileged and Confidential" heading name the topic without being the clause.
    "confidentiality": (
        r"confiden|secre(?:t|cy)|disclos|divulg|reveal|privacy|proprietary|non[\s-]public",
        r"(?:breach(?:es)?\s+of|obligations\s+under)\s+(?:its\s+|their\s+|the\s+)?(?:(?:section|clause|article|paragraph|§)\s*[\w.]+\s*\([^)]*\)|confidentiality(?:\s+obligations)?)"
        # "Private and confidential" above a letter's address; a deal's "disclosure letter".
        r"|(?:^|\n)[ \t]*(?:private\s+(?:and|&)\s+|strictly\s+)?confidential[ \t]*(?=\n|$)|disclosure\s+(?:letter|schedule|bundle)s?",
    ),
    # IP passes by some verb of ownership; an indemnity against infringement, "at its own cost" and
    # a staffing "assignment" (a placement) name no owner.
    "ip_assignment": (
        r"\bassign|\bvest|\bown(?:s|ed|er|ership)?\b|\btitle\b|\bbelong|\btransfer|\bpass(?:es|ed)?\b|property\s+of|(?:['’]s?|sole|exclusive|their|its)\s+property\b|made\s+for\s+hire|licen[cs]|\bretains?\b|proprietary"
        r"|rights?\s+(?:of|to)\s+use|usage\s+rights?",
        r"(?:its|their|his|her|our|your|at\s+\w+|\w+['’]s?)\s+own\b|\btitle\s*:|(?:associate|staff|worker|contractor|consultant|personnel|resource|employee|individual|candidate)['’]?s?\s+assignments?"
        r"|\b(?:an|any|each|the|that|this)\s+assignment\b(?!\s+of\b)|assign(?:ment)?\s+(?:of\s+)?(?:this|the)\s+(?:agreement|contract|sow|order|statement)"
        # "the backlog owned by the Product Owner"; a motor vehicle's "title and registration".
        r"|(?:product|process|backlog|risk|system|service)\s+owners?\b|\b(?:backlog|process|risk)\s+owned\b|(?:vehicle|motor|land|job)\s+title|\btitle\s*(?:,|and|&)\s*(?:lien|registration)",
    ),
    # A cap is lifted for liability; "unlimited rights in such data" is a licence.
    "uncapped_liability": (
        r"liab|liable|\bcap\b|limitation|limit(?:s|ed)?\b|exclu(?!siv)",
        r"unlimited\s+rights|unlimited\s+in\s+(?:time|space|place|territory|scope|content)(?:\s+(?:and|or)\s+(?:time|space|place|territory|scope|content))?",
    ),
    # A best-price promise compares prices, rates or terms; "free to engage other suppliers for
    # the same services" compares none.
    "most_favored_nation": (
        r"favou?r|\bmfn\b|\bbest\b|lowest|\blower\b|cheaper|discount|price[\s-]match|benchmark|\b(?:rates?|prices?|pricing|fees|charges|terms)\b",
        None,
    ),
    "late_payment": (
        r"interest|\blate\b[^.]{0,40}\b(?:pay|fee|charge|invoice|amount|sum)|overdue|unpaid|past\s+due|arrears|default\s+(?:interest|of\s+payment)|not\s+paid|fails?\s+to\s+pay|after\s+the\s+due\s+date|late\s+(?:fee|charge|payment)",
        r"delivered\s+late|late\s+delivery|delay\s+payments?|(?:in|to|against)\s+(?:the\s+)?(?:\w+['’]s?\s+)?(?:best\s+|public\s+)?interests?\b|conflicts?\s+of\s+interest",
    ),
    # A warranty promises something of the work for a time; "report blocking defects within ten
    # days or the milestone is deemed accepted" is acceptance.
    "warranty": (
        r"warrant|guarant|free\s+(?:from|of)\s+(?:material\s+)?(?:defects|errors)|defects?\s+liability|re-?perform|remed(?:y|ied|ies)|correct|rectif|make\s+good"
        r"|fit\s+for|fitness|workmanlike|skill\s+(?:and|,)\s+care|conform|repair|professional\s+(?:manner|standards?)",
        # Promising there is no conflict of interest, or furnishing a performance bank guarantee,
        # warrants nothing of the work.
        r"warrants?\s+that\s+(?:there\s+is\s+)?no\s+conflicts?\s+of\s+interest|(?:performance|bank|bid|security|advance[\s-]payment)\s+(?:bank\s+)?guarantees?",
    ),
    # Termination for cause or default is another clause; so is the end of a fixed term.
    "termination_for_convenience": (
        r"terminat|cancel|\bend\b|\bends\b|withdraw|discontinu|\bstop|suspend|\bceas|\bexit|\bquit|convenien|without\s+(?:cause|reason)|(?:any|no)\s+reason|at\s+will",
        r"terminat\w*\s+(?:\w+\s+){0,4}?(?:for|with)\s+(?:good\s+|just\s+)?cause|terminat\w*\s+(?:\w+\s+){0,4}?for\s+(?:material\s+)?(?:breach|default|insolvency)|\bends?\s+on\s+\d"
        r"|unless\s+(?:(?:it\s+is|this\s+\w+\s+is)\s+)?(?:terminated\s+(?:earlier|sooner)|(?:earlier|sooner)\s+terminated)"
        r"|without\s+(?:the\s+)?need\s+for\s+(?:any\s+|a\s+)?(?:notice\s+of\s+)?termination|\bends?\s+(?:on|at)\s+(?:that|the|this)\s+(?:date|day|time)",
    ),
    # "Article 14 (Insurance) of the MSA applies" cites the clause without giving it.
    "insurance": (
        r"insur|\bcover(?:ed|age)?\b|policy|policies|underwrit",
        r"(?:article|clause|section|paragraph|schedule|§)\s*[\w.]+\s*\([^)]*\)",
    ),
    # Acceptance names how the work is accepted; a table of deliverables and dates names no test,
    # and neither does a clause that only dates something from acceptance ("starts on acceptance
    # of the final increment"), a milestone priced on acceptance ("Report accepted  AUD 72,930")
    # or support for the client's own acceptance testing listed in the scope.
    "acceptance": (
        r"accept|approv|sign(?:ed)?[\s-]?off|deemed|reject|satisf|review|criteria|\btest|complet|conform|defect|comments?\b",
        r"(?:starts?|begins?|commences?|runs?|from|after|following|until)\s+(?:on\s+|upon\s+)?(?:the\s+)?(?:final\s+)?acceptance\s+of\s+(?:the\s+)?(?:final\s+)?\w+"
        r"|\baccepted\b(?=[ \t]+(?:(?-i:[A-Z]{3})[ \t]*)?[$€£¥]?[ \t]?\d)"
        r"|(?:user\s+)?acceptance[\s-]testing\s+(?:support|assistance)",
    ),
}

# Words a clause of the type needs besides its topic's: a non-solicit restrains someone (or prices
# a hire), so "Supplier shall source, screen, employ and assign Contractors" is none.
_TYPE_RESTRAINT: dict[str, str] = {
    "non_solicitation": r"\bnot\b|\bno\b|\bnor\b|neither|never|refrain|without|prohibit|restrict|\bfee|compensat|\bpay",
    # A commitment is to buy, pay for or staff something: "a target operating model with at least
    # two options" is a deliverable's content.
    "minimum_commitment": r"spend|purchas|\bbuy|\border|\bpa(?:y|id)|fees?\b|charges?\b|revenue|volume|\bhours?\b|\bdays?\b|\bFTEs?\b|dedicat|full[\s-]time"
    r"|staff|personnel|resources?\b|headcount|consultants?\b|units?\b|\bcommit|[$€£¥]|\b(?-i:[A-Z]{3})\s?\d"
    r"|deploy|provide|supply|allocate|\b(?:developers?|engineers?|people|persons?|individuals?|specialists?|team)\b",
    # A change of control clause gives a consequence (a right, a consent, a notice); advising on an
    # acquisition (whatever "planning consents" it mentions), or a heading naming one, gives none.
    "change_of_control": r"terminat|consent(?!s)|notif|notice|assign|deemed|treated|\bmay\b|right|approv|inform|\bshall\b|\bmust\b",
}

# "WHEREAS the parties entered into the MSA, which sets out the indemnities and insurance": a
# recital tells the background and grants nothing.
_RECITAL = re.compile(r"\s*(?:\(?[A-Z0-9]{1,3}[.)]\s*)?(?:whereas|recitals?\b)", re.I)


def carries_type(clause_type: str, text: str) -> bool:
    """Whether ``text`` has the words a clause of ``clause_type`` cannot be written without."""
    if _RECITAL.match(text):
        return False
    words = _TYPE_WORDS.get(clause_type)
    if words is None:
        return True
    restraint = _TYPE_RESTRAINT.get(clause_type)
    if restraint and re.search(restraint, text, re.I) is None:
        return False
    required, benign = words
    if benign:
        text = re.sub(benign, " ", text, flags=re.I)
    return re.search(required, text, re.I) is not None


def clause_values(
    clause_type: str,
    text: str,
    *,
    firm_terms: tuple[str, ...] = FIRM_TERMS,
    client_terms: tuple[str, ...] = CLIENT_TERMS,
) -> dict[str, Any]:
    """The values the playbook reads from a clause of ``clause_type``.

    Parameters
    ----------
    clause_type
        One of the contract's clause types.
    text
        The clause's text.
    firm_terms, client_terms
        The defined terms each side uses (see :func:`defined_party_terms`).

    Returns
    -------
    dict
        Values by name; types with nothing to read give ``{}``. A text without the words
        its type cannot be written without (:func:`carries_type`) gives
        ``{"not_this_type": True}``, and the playbook reports no finding for it.
    """
    parties = {"firm_terms": firm_terms, "client_terms": client_terms}
    readers: dict[str, Any] = {
        "termination_for_convenience": lambda: termination_values(text, **parties),
        "auto_renewal": lambda: renewal_values(text),
        "limitation_of_liability": lambda: cap_values(text) | uncapped_values(text),
        "uncapped_liability": lambda: uncapped_values(text),
        "indemnification": lambda: indemnity_values(text, **parties),
        "non_solicitation": lambda: non_solicit_values(text, **parties),
        "non_compete": lambda: non_compete_values(text, **parties),
        "exclusivity": lambda: {
            "negated": presence_negated("exclusivity", text) or not exclusive_dealing(text),
            "exclusive_phrase": exclusive_phrase(text),
        },
        "liquidated_damages": lambda: {
            "negated": presence_negated("liquidated_damages", text),
            "damages_term": _words(_DAMAGES_TERM.search(text)),
        },
        "most_favored_nation": lambda: {"negated": presence_negated("most_favored_nation", text)},
        "ip_assignment": lambda: ip_values(text),
        "payment_terms": lambda: payment_values(text),
        "acceptance": lambda: acceptance_values(text),
        "rate_change": lambda: rate_change_values(text),
        "minimum_commitment": lambda: commitment_values(text, **parties),
        "late_payment": lambda: late_payment_values(text),
    }
    if clause_type == "exclusivity" and exclusive_licence_of_work(text):
        return {"read_as": "ip_assignment", **ip_values(text)}
    if not carries_type(clause_type, text):
        return {"not_this_type": True}
    reader = readers.get(clause_type)
    return dict(reader()) if reader else {}


__all__ = [
    "CLIENT_TERMS",
    "FIRM_TERMS",
    "Duration",
    "carries_type",
    "clause_values",
    "defined_party_terms",
    "find_durations",
    "notice_days",
    "party_of",
    "presence_negated",
    "referenced_item",
]
