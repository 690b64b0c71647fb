"""The playbook: the firm's policy on which clauses are nonstandard, who reviews them and how urgently.

A playbook is a JSON (or YAML) file validated by :class:`Playbook`: thresholds
(``max_cap_multiple``, ``min_termination_notice_days``, ``max_non_solicit_months``,
``max_payment_days``, ``max_rate_lock_months``) and, per rule, its ``route``,
``severity`` and whether it is ``enabled``. The shipped default
(``playbook_default.json``) is the table in ``contracts/extraction.md``; a firm
overrides it with its own file (``settings.playbook_path``), and the file's
sha256 goes into every result so a finding can be traced to the policy that
made it.

:func:`apply_playbook` turns detected clauses (with the values read inside
them, :mod:`extraction.clause_values`) and the billing terms into
:class:`~extraction.schemas.ClauseFinding` entries, including the two absence
rules (``late_payment.absent``, ``billing.missing_terms``).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from extraction.errors import ExtractionError
from extraction.schemas import Billing, ClauseFinding, Evidence, Route, Severity

if TYPE_CHECKING:
    from extraction.clauses import DetectedClause
    from extraction.document import Document

RULE_NAMES: tuple[str, ...] = (
    "uncapped_liability.present",
    "limitation_of_liability.cap_multiple",
    "indemnification.broad",
    "auto_renewal.present",
    "termination_for_convenience.short_notice",
    "most_favored_nation.present",
    "non_solicitation.long",
    "non_compete.present",
    "exclusivity.present",
    "ip_assignment.before_payment",
    "liquidated_damages.present",
    "payment_terms.long",
    "late_payment.absent",
    "acceptance.subjective",
    "rate_change.locked",
    "minimum_commitment.firm",
    "billing.missing_terms",
)

DEFAULT_PLAYBOOK_FILE = "playbook_default.json"


class PlaybookError(ExtractionError):
    """A playbook file is missing, unreadable or fails validation."""

    slug = "invalid-playbook"
    status = 422


class RuleSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    route: Route
    severity: Severity
    enabled: bool = True
    description: str = ""


class Thresholds(BaseModel):
    model_config = ConfigDict(extra="forbid")

    max_cap_multiple: float = Field(default=2.0, gt=0)
    min_termination_notice_days: int = Field(default=30, ge=0)
    max_non_solicit_months: int = Field(default=12, ge=0)
    max_payment_days: int = Field(default=45, ge=0)
    max_rate_lock_months: int = Field(default=12, ge=0)


class Playbook(BaseModel):
    """A validated policy. ``sha256`` is the hash of the file it was read from."""

    model_config = ConfigDict(extra="forbid")

    name: str = "playbook"
    version: int | str = 1
    thresholds: Thresholds = Field(default_factory=Thresholds)
    rules: dict[str, RuleSettings]
    sha256: str = ""

    @field_validator("rules")
    @classmethod
    def _known_rules(cls, rules: dict[str, RuleSettings]) -> dict[str, RuleSettings]:
        unknown = sorted(set(rules) - set(RULE_NAMES))
        if unknown:
            raise ValueError(f"unknown rule(s) {', '.join(unknown)}; known: {', '.join(RULE_NAMES)}")
        return rules

    def rule(self, name: str) -> RuleSettings | None:
        """The settings of an enabled rule, or None (absent from the file or disabled)."""
        settings = self.rules.get(name)
        return settings if settings is not None and settings.enabled else None


def parse_playbook(raw: bytes, *, source: str = "playbook") -> Playbook:
    """Validate playbook bytes (JSON, or YAML when it does not parse as JSON).

    Parameters
    ----------
    raw
        The file's bytes.
    source
        Named in error messages.

    Returns
    -------
    Playbook
        With ``sha256`` set to the hash of ``raw``.
    """
    try:
        data: Any = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError):
        import yaml

        try:
            data = yaml.safe_load(raw)
        except yaml.YAMLError as exc:
            raise PlaybookError(f"{source} is neither valid JSON nor YAML: {exc}") from None
    if not isinstance(data, dict):
        raise PlaybookError(f"{source} must hold a mapping with 'rules' and 'thresholds'")
    data.pop("sha256", None)
    try:
        playbook = Playbook.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise PlaybookError(f"{source} is invalid at {where or 'top level'}: {first['msg']}") from None
    return playbook.model_copy(update={"sha256": hashlib.sha256(raw).hexdigest()})


def load_playbook(path: Path | None = None) -> Playbook:
    """The playbook at ``path``, or the shipped default when ``path`` is None.

    Raises
    ------
    PlaybookError
        When the file cannot be read or fails validation.
    """
    if path is None:
        raw = resources.files("extraction").joinpath(DEFAULT_PLAYBOOK_FILE).read_bytes()
        return parse_playbook(raw, source="the default playbook")
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise PlaybookError(f"cannot read playbook {path}: {exc.strerror or exc}") from None
    return parse_playbook(raw, source=f"playbook {Path(path).name}")


# --- decisions -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    nonstandard: bool
    rule: str | None
    reason: str


def _days(n: int) -> str:
    return f"{n} day{'s' if n != 1 else ''}"


def _months(n: float) -> str:
    n = round(n)
    return f"{n} month{'s' if n != 1 else ''}"


def _standard(reason: str) -> Decision:
    return Decision(False, None, reason)


def decide(
    clause_type: str, values: dict[str, Any], *, billing: Billing | None, playbook: Playbook
) -> Decision:
    """Apply the policy to one clause's values.

    Parameters
    ----------
    clause_type
        The clause's type.
    values
        What :func:`extraction.clause_values.clause_values` read from it.
    billing
        The SOW's billing terms (the fee a cap multiple is measured against).
    playbook
        The policy.

    Returns
    -------
    Decision
        ``rule`` is set only when a rule fired; ``reason`` explains either way.
    """
    t = playbook.thresholds
    v = values
    usual = "fraud, death or personal injury, wilful misconduct"
    if clause_type == "uncapped_liability":
        if v.get("standard_carve_out_only") and not v.get("expressly_uncapped"):
            return _standard(f"Only the usual carve-outs from the cap ({usual})")
        if v.get("unlimited_phrase"):
            found = f'Liability is expressly unlimited ("{v["unlimited_phrase"]}")'
        elif v.get("excluded_from_cap"):
            found = (
                f"The liability cap does not apply to {v['excluded_from_cap']}, the party's own obligations"
            )
        else:
            found = "Liability is expressly unlimited or the cap does not cover the party's own obligations"
        return Decision(
            True, "uncapped_liability.present", f"{found}; policy allows only the usual carve-outs ({usual})"
        )
    if clause_type == "limitation_of_liability":
        multiple = v.get("cap_multiple")
        total = billing.total_fee.value if billing and billing.total_fee else None
        measured = ""
        if multiple is None and v.get("cap_amount") and total:
            multiple = round(float(v["cap_amount"]) / float(total), 3)
            measured = f"A cap of {float(v['cap_amount']):,.0f} against total fees of {float(total):,.0f}: "
        if multiple is None:
            return _standard("Liability is capped; the cap is not stated as a multiple of the fees")
        if multiple > t.max_cap_multiple + 1e-9:
            return Decision(
                True,
                "limitation_of_liability.cap_multiple",
                f"{measured}Liability cap is {multiple:g}x the fees; "
                f"policy maximum is {t.max_cap_multiple:g}x the fees",
            )
        return _standard(
            f"{measured}Liability cap is {multiple:g}x the fees, within the {t.max_cap_multiple:g}x maximum"
        )
    if clause_type == "indemnification":
        if v.get("broad") and v.get("indemnitor") != "client":
            scope = f' ("{v["broad_phrase"]}")' if v.get("broad_phrase") else ""
            return Decision(
                True,
                "indemnification.broad",
                f"The firm indemnifies for any claims arising out of or relating to the services{scope}, "
                "not limited to its negligence, misconduct or IP infringement; policy accepts only "
                "fault-based or IP-infringement indemnities",
            )
        return _standard(
            "Indemnity is limited to negligence, misconduct or IP infringement, or is given by the client"
        )
    if clause_type == "auto_renewal":
        if v.get("negated"):
            return _standard("The SOW does not renew automatically")
        period = f" for successive terms of {_months(v['renewal_months'])}" if v.get("renewal_months") else ""
        renewal_notice = (
            f" unless notice is given {_days(v['notice_days'])} before expiry"
            if v.get("notice_days") is not None
            else "; no notice window to stop the renewal could be read"
        )
        return Decision(
            True,
            "auto_renewal.present",
            f"Renews automatically{period}{renewal_notice}; policy: every automatic renewal is reviewed",
        )
    if clause_type == "termination_for_convenience":
        party = v.get("terminating_party")
        notice = v.get("notice_days")
        if party == "firm":
            return _standard("Only the firm may terminate for convenience")
        who = "Either party" if party == "mutual" else "Client"
        minimum = f"policy minimum is {_days(t.min_termination_notice_days)}' notice"
        if v.get("unpaid_work"):
            return Decision(
                True,
                "termination_for_convenience.short_notice",
                f"{who} may terminate for convenience without paying for work performed; "
                "policy requires payment for work done to termination",
            )
        if notice is not None and notice < t.min_termination_notice_days:
            said = "immediately, on notice with no period" if notice == 0 else f"on {_days(notice)}' notice"
            return Decision(
                True,
                "termination_for_convenience.short_notice",
                f"{who} may terminate for convenience {said}; {minimum}",
            )
        if notice is None:
            return _standard("Termination for convenience; no notice period could be read")
        return _standard(
            f"{who} may terminate for convenience on {_days(notice)}' notice "
            f"(policy minimum {_days(t.min_termination_notice_days)})"
        )
    if clause_type == "most_favored_nation":
        if v.get("negated"):
            return _standard("States that no most-favoured pricing applies")
        return Decision(
            True,
            "most_favored_nation.present",
            "The firm promises most-favoured / best pricing against its other clients; "
            "policy: every MFN promise is reviewed",
        )
    if clause_type == "non_solicitation":
        months = v.get("non_solicit_months")
        limit = f"{_months(t.max_non_solicit_months)}"
        if v.get("one_sided"):
            return Decision(
                True,
                "non_solicitation.long",
                "Non-solicit binds only the firm"
                + (f", for {_months(months)}" if months else "")
                + f"; policy requires a mutual restriction of at most {limit}",
            )
        if months is not None and months > t.max_non_solicit_months:
            return Decision(
                True,
                "non_solicitation.long",
                f"Non-solicit runs {_months(months)}; policy maximum is {limit}",
            )
        return _standard(
            "Non-solicit" + (f" of {_months(months)}" if months else "") + f" within the {limit} maximum"
        )
    if clause_type == "non_compete":
        if v.get("negated"):
            return _standard("States the firm is free to serve others")
        if v.get("bound_party") == "client":
            return _standard("The restriction binds the client, not the firm")
        return Decision(
            True,
            "non_compete.present",
            "The firm is restricted from competing or serving the client's competitors; "
            "policy: every non-compete binding the firm is reviewed",
        )
    if clause_type == "exclusivity":
        if v.get("negated"):
            return _standard("The engagement is expressly non-exclusive")
        phrase = f' ("{v["exclusive_phrase"]}")' if v.get("exclusive_phrase") else ""
        return Decision(
            True,
            "exclusivity.present",
            f"The SOW grants exclusivity{phrase}; policy: every exclusivity is reviewed",
        )
    if clause_type == "ip_assignment":
        if v.get("covers_pre_existing"):
            return Decision(
                True,
                "ip_assignment.before_payment",
                "The assignment covers the firm's pre-existing IP; policy: pre-existing IP is licensed, "
                "never assigned",
            )
        if v.get("passes_before_payment"):
            phrase = f' ("{v["transfer_phrase"]}")' if v.get("transfer_phrase") else ""
            return Decision(
                True,
                "ip_assignment.before_payment",
                f"IP passes to the client before, or regardless of, payment in full{phrase}; "
                "policy: IP passes only on payment in full",
            )
        return _standard("IP passes on payment in full; pre-existing IP is retained")
    if clause_type == "liquidated_damages":
        if v.get("negated"):
            return _standard("States that no liquidated damages or service credits apply")
        term = f' ("{v["damages_term"]}")' if v.get("damages_term") else ""
        return Decision(
            True,
            "liquidated_damages.present",
            f"The SOW provides pre-agreed damages{term}; policy: every liquidated damages or service "
            "credit regime is reviewed",
        )
    if clause_type == "payment_terms":
        if v.get("pay_when_paid"):
            return Decision(
                True,
                "payment_terms.long",
                "Payment is conditional on the client being paid (pay-when-paid); "
                "policy: payment may not depend on a third party",
            )
        days = v.get("payment_days")
        if days is None and billing and billing.payment_terms_days:
            days = billing.payment_terms_days.value
        if days is None:
            return _standard("Payment terms; no payment period could be read")
        stated = f"{days} business days" if v.get("payment_business_days") else _days(days)
        # The longest wait the words allow: business days run about 7 calendar days to 5, and
        # "from the end of the month of invoice" adds up to a month.
        longest = -(-days * 7 // 5) if v.get("payment_business_days") else days
        if v.get("payment_end_of_month"):
            longest += 30
            stated += " from the end of the month of invoice"
        else:
            stated += " after invoice"
        if longest != days:
            stated += f" (up to about {_days(longest)} after an invoice)"
        if longest > t.max_payment_days:
            return Decision(
                True,
                "payment_terms.long",
                f"Payment is due {stated}; policy maximum is {_days(t.max_payment_days)} after invoice",
            )
        return _standard(f"Payment due {stated} (policy maximum {_days(t.max_payment_days)})")
    if clause_type == "acceptance":
        if v.get("sole_discretion"):
            phrase = f' ("{v["subjective_phrase"]}")' if v.get("subjective_phrase") else ""
            return Decision(
                True,
                "acceptance.subjective",
                f"Acceptance is at the client's sole discretion or satisfaction{phrase}; "
                "policy requires objective criteria and a deemed-acceptance period",
            )
        if not v.get("deemed_acceptance"):
            return Decision(
                True,
                "acceptance.subjective",
                "No deemed-acceptance period: deliverables may stay unaccepted indefinitely; "
                "policy requires deemed acceptance after a set period",
            )
        days = v.get("deemed_acceptance_days")
        return _standard("Deliverables are deemed accepted" + (f" after {_days(days)}" if days else ""))
    if clause_type == "rate_change":
        limit = _months(t.max_rate_lock_months)
        if v.get("increases_forbidden"):
            return Decision(
                True,
                "rate_change.locked",
                "Rate increases are forbidden for the term; "
                f"policy allows rates to be fixed for at most {limit}",
            )
        lock = v.get("rate_lock_months")
        if lock is not None and lock > t.max_rate_lock_months:
            return Decision(
                True,
                "rate_change.locked",
                f"Rates are fixed for {_months(lock)}; policy maximum is {limit}",
            )
        return _standard("Rates may change" + (f" after {_months(lock)}" if lock else ""))
    if clause_type == "minimum_commitment":
        if v.get("committing_party") == "firm":
            return Decision(
                True,
                "minimum_commitment.firm",
                "The firm commits to a minimum volume or staffing level; "
                "policy: a commitment by the firm is reviewed by delivery",
            )
        return _standard("The minimum commitment is the client's")
    return _standard("No playbook rule applies to this clause type")


_LABEL = re.compile(
    r"^\s*(?P<label>(?:section|clause|article|§|part|schedule)\s*[\dIVXA-Z]+(?:\.\d{1,3})*"
    r"|[A-Z]{1,4}\s?\.?\d{1,3}(?:\.\d{1,3})*|\d{1,3}(?:\.\d{1,3})+|\d{1,3}(?=[.)]\s)|\([a-z0-9]{1,4}\)|[A-Z](?=\.\s))",
    re.IGNORECASE,
)


def location(text: str, heading: str, page: int) -> str:
    """Where a clause sits, as a reviewer finds it: "clause 7.2, page 3", "(a) under 'H.4
    TERMINATION', page 2", "'Fees' section, page 1", or "page 4"."""
    from extraction.segment import run_in_heading

    m = _LABEL.match(text)
    label = m.group("label").strip() if m else ""
    titled = run_in_heading(text)
    if titled:
        label = f"{label} ({titled})" if label else ""
        heading = heading or titled
    if label and not re.match(r"(?:section|clause|article|§|part|schedule)", label, re.I):
        label = label if label.startswith("(") else f"clause {label}"
    head = " ".join(heading.split())[:60]
    if label and label.startswith("(") and head:
        return f"{label} under '{head}', page {page}"
    if label:
        return f"{label}, page {page}"
    if head:
        return f"under '{head}', page {page}"
    return f"page {page}"


def _finding(
    clause_type: str,
    decision: Decision,
    *,
    playbook: Playbook,
    confidence: float,
    evidence: list[Evidence],
    values: dict[str, Any],
) -> ClauseFinding | None:
    settings = playbook.rule(decision.rule) if decision.rule else None
    nonstandard = decision.nonstandard and settings is not None
    return ClauseFinding(
        type=clause_type,
        nonstandard=nonstandard,
        severity=settings.severity if nonstandard and settings else None,
        route=settings.route if nonstandard and settings else None,
        rule=decision.rule if nonstandard else None,
        reason=decision.reason,
        confidence=max(0.0, min(1.0, confidence)),
        evidence=evidence,
        title=(decision.rule if nonstandard else None),
        values={k: val for k, val in values.items() if val is not None},
    )


def _billing_section_evidence(billing: Billing, document: Document | None) -> list[Evidence]:
    """Evidence for an absence: the billing section's heading, else the billing model's quote."""
    anchor = next(
        (
            f.evidence
            for f in (billing.billing_model, billing.total_fee, billing.payment_terms_days, billing.currency)
            if f is not None and f.evidence
        ),
        [],
    )
    if document is None or not anchor:
        return list(anchor[:1])
    from extraction.segment import find_headings

    first = anchor[0]
    global_start = document.page_offsets[first.page - 1] + first.start
    headings = [h for h in find_headings(document.text) if h[0] <= global_start]
    if headings:
        hs, he = headings[-1]
        found = document.evidence_for_span(hs, he)
        if found:
            return found[:1]
    return [first]


def _absence_where(evidence: list[Evidence]) -> str:
    """Where the billing terms that lack something are: the section heading quoted as evidence."""
    if not evidence:
        return ""
    first = evidence[0]
    quote = " ".join(first.quote.split())
    quote = quote if len(quote) <= 60 else quote[:57].rsplit(" ", 1)[0] + " …"
    return f" (billing terms at '{quote}', page {first.page})"


def apply_playbook(
    clauses: list[DetectedClause],
    billing: Billing | None,
    document: Document | None,
    *,
    playbook: Playbook,
) -> list[ClauseFinding]:
    """Judge every detected clause against the playbook and add the absence findings.

    Parameters
    ----------
    clauses
        From :func:`extraction.clauses.detect_clauses`.
    billing
        The SOW's billing terms (None when not extracted).
    document
        The document (for the evidence of absence findings); may be None.
    playbook
        The policy (:func:`load_playbook`).

    Returns
    -------
    list of ClauseFinding
        One per clause, in document order, then the absence findings.
    """
    findings: list[ClauseFinding] = []
    found_at = {(c.type, c.start) for c in clauses if not c.values.get("not_this_type")}
    # "(1) The Client shall review each deliverable within 12 days. (2) It is deemed accepted if
    # ...": the deemed period is often its own sub-paragraph under the same heading, and the
    # procedure it closes is not subjective for lacking it.
    deemed_under = {
        c.heading
        for c in clauses
        if c.heading and c.type == "acceptance" and c.values.get("deemed_acceptance")
    }
    types: set[str] = set()
    for clause in clauses:
        if clause.values.get("not_this_type"):
            # The classifier's type, but none of the words that type is written with (a signature
            # line as governing law, "assign the key personnel" as anti-assignment): not reported.
            continue
        # A clause whose words make it a neighbouring type (a "termination" that is only the
        # opt-out from a rolling renewal) is judged, and reported, as that type, once.
        clause_type = str(clause.values.get("read_as") or clause.type)
        if clause_type != clause.type:
            if (clause_type, clause.start) in found_at:
                continue
            found_at.add((clause_type, clause.start))
        values = {k: v for k, v in clause.values.items() if k != "read_as"}
        if (
            clause_type == "acceptance"
            and not values.get("deemed_acceptance")
            and clause.heading in deemed_under
        ):
            values["deemed_acceptance"] = True
        types.add(clause_type)
        decision = decide(clause_type, values, billing=billing, playbook=playbook)
        if decision.nonstandard:
            where = location(clause.text, clause.heading, clause.page)
            decision = Decision(True, decision.rule, f"{decision.reason} ({where})")
        finding = _finding(
            clause_type,
            decision,
            playbook=playbook,
            confidence=clause.confidence,
            evidence=list(clause.evidence),
            values=values,
        )
        if finding is not None:
            findings.append(finding)
    if billing is None:
        return findings
    # "Interest is not payable on late payments" is no late-payment remedy.
    remedies = {
        "late_payment"
        for c in clauses
        if (c.values.get("read_as") or c.type) == "late_payment"
        and not c.values.get("negated")
        and not c.values.get("not_this_type")
    }
    types = (types - {"late_payment"}) | remedies
    has_payment_terms = (
        billing.payment_terms_days is not None
        or billing.pay_when_paid is not None
        or "payment_terms" in types
    )
    evidence = _billing_section_evidence(billing, document)
    base_confidence = billing.billing_model.confidence if billing.billing_model else 0.8

    def clause_probability(clause_type: str) -> float:
        return max((c.confidence for c in clauses if c.type == clause_type), default=0.0)

    if billing.billing_model is not None and evidence:
        model = billing.billing_model.value
        missing: list[str] = []
        if not has_payment_terms:
            missing.append("no payment terms")
        if model == "time_and_materials" and not billing.rates:
            missing.append("time and materials without rates")
        if model == "milestone" and (
            not billing.milestones
            or all(m.value.amount is None and m.value.percent is None for m in billing.milestones)
        ):
            missing.append("milestones without amounts")
        if missing:
            reason = (
                f"Billing model is {model.replace('_', ' ')}, but the SOW has "
                + "; ".join(missing)
                + _absence_where(evidence)
            )
            confidence = base_confidence * (
                1.0 - clause_probability("payment_terms") if "no payment terms" in missing else 1.0
            )
            finding = _finding(
                "payment_terms",
                Decision(True, "billing.missing_terms", reason),
                playbook=playbook,
                confidence=confidence,
                evidence=evidence,
                values={"missing": missing},
            )
            if finding is not None and finding.nonstandard:
                findings.append(finding)
    if (
        has_payment_terms
        and "late_payment" not in types
        and billing.late_fee_percent_per_month is None
        and evidence
    ):
        confidence = base_confidence * (1.0 - clause_probability("late_payment"))
        reason = (
            "The SOW sets payment terms but no interest or fee for late payment; "
            "policy expects a late-payment remedy" + _absence_where(evidence)
        )
        finding = _finding(
            "late_payment",
            Decision(True, "late_payment.absent", reason),
            playbook=playbook,
            confidence=max(confidence, 0.5),
            evidence=evidence,
            values={},
        )
        if finding is not None and finding.nonstandard:
            findings.append(finding)
    return findings


def playbook_sha256(playbook: Playbook) -> str:
    return playbook.sha256


__all__ = [
    "DEFAULT_PLAYBOOK_FILE",
    "RULE_NAMES",
    "Decision",
    "Playbook",
    "PlaybookError",
    "RuleSettings",
    "Thresholds",
    "apply_playbook",
    "decide",
    "load_playbook",
    "parse_playbook",
]
