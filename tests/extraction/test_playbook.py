# ruff: noqa: E501  (the phrasings are test data and read better unbroken)
"""The playbook: every rule fires and does not fire around its threshold, over
several hand-written phrasings each (not the generator's), distractors included."""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from pathlib import Path

import pytest

from extraction.clause_values import clause_values, defined_party_terms, party_of
from extraction.clauses import DetectedClause
from extraction.document import Document, Page
from extraction.playbook import (
    RULE_NAMES,
    PlaybookError,
    apply_playbook,
    decide,
    load_playbook,
    parse_playbook,
)
from extraction.schemas import Billing, DocumentInfo, GroundedValue, MilestoneValue, RateValue


@pytest.fixture(scope="module")
def playbook():
    return load_playbook()


def _billing(total: float | None = 100_000.0) -> Billing:
    return Billing(total_fee=GroundedValue[float](value=total, confidence=0.9)) if total else Billing()


# (clause type, text, expected rule or None)
CASES: list[tuple[str, str, str | None]] = [
    # termination for convenience: 30 days is the policy minimum
    (
        "termination_for_convenience",
        "Client may terminate this SOW for convenience upon fifteen (15) days' prior written notice.",
        "termination_for_convenience.short_notice",
    ),
    (
        "termination_for_convenience",
        "The Customer may terminate the Agreement at any time without cause by giving 10 days written notice to the Supplier.",
        "termination_for_convenience.short_notice",
    ),
    (
        "termination_for_convenience",
        "Either party may terminate this Statement of Work for any reason on two weeks' notice.",
        "termination_for_convenience.short_notice",
    ),
    (
        "termination_for_convenience",
        "Company may terminate this SOW immediately upon written notice for convenience.",
        "termination_for_convenience.short_notice",
    ),
    (
        "termination_for_convenience",
        "Client may terminate for convenience on 30 days' notice; no fees shall be payable for work in progress.",
        "termination_for_convenience.short_notice",
    ),
    (
        "termination_for_convenience",
        "Client may terminate this SOW for convenience upon thirty (30) days' prior written notice, and shall pay for Services performed through the termination date.",
        None,
    ),
    (
        "termination_for_convenience",
        "The Customer may terminate without cause on ninety (90) days written notice.",
        None,
    ),
    (
        "termination_for_convenience",
        "Either party may end this engagement for convenience with one month's notice in writing.",
        None,
    ),
    (
        "termination_for_convenience",
        "Consultant may terminate this SOW for convenience on ten (10) days' notice.",
        None,
    ),
    # auto renewal: any automatic renewal
    (
        "auto_renewal",
        "This Agreement shall automatically renew for successive one (1) year terms unless either party gives 60 days' notice of non-renewal.",
        "auto_renewal.present",
    ),
    (
        "auto_renewal",
        "Upon expiration of the Initial Term, this SOW will be extended automatically for additional 12-month periods.",
        "auto_renewal.present",
    ),
    (
        "auto_renewal",
        "The term renews on an evergreen basis until either party terminates it.",
        "auto_renewal.present",
    ),
    (
        "auto_renewal",
        "This SOW shall not automatically renew; any extension requires a signed change order.",
        None,
    ),
    ("auto_renewal", "There is no automatic renewal of this Statement of Work.", None),
    # liability cap: 2x the fees is the maximum
    (
        "limitation_of_liability",
        "Supplier's aggregate liability shall not exceed three times (3x) the fees paid under this SOW.",
        "limitation_of_liability.cap_multiple",
    ),
    (
        "limitation_of_liability",
        "The total liability of Consultant shall be limited to 250% of the fees payable hereunder.",
        "limitation_of_liability.cap_multiple",
    ),
    (
        "limitation_of_liability",
        "Vendor's liability is capped at $500,000.",
        "limitation_of_liability.cap_multiple",
    ),
    (
        "limitation_of_liability",
        "Consultant's total liability shall not exceed two (2) times the fees paid under this SOW.",
        None,
    ),
    (
        "limitation_of_liability",
        "In no event shall either party's liability exceed the total fees paid in the twelve months preceding the claim.",
        None,
    ),
    ("limitation_of_liability", "Provider's liability is capped at $150,000.", None),
    # uncapped liability
    (
        "uncapped_liability",
        "Consultant's liability under this SOW shall be unlimited.",
        "uncapped_liability.present",
    ),
    (
        "uncapped_liability",
        "The limitations of liability shall not apply to any breach by Supplier of its obligations under this Agreement.",
        "uncapped_liability.present",
    ),
    (
        "uncapped_liability",
        "Nothing in this Agreement limits liability for death or personal injury caused by negligence, or for fraud.",
        None,
    ),
    # indemnification
    (
        "indemnification",
        "Consultant shall indemnify and hold harmless Client from any and all claims arising out of or relating to the Services.",
        "indemnification.broad",
    ),
    (
        "indemnification",
        "Supplier will defend Customer against all losses arising out of or in connection with this SOW.",
        "indemnification.broad",
    ),
    (
        "indemnification",
        "Consultant shall indemnify Client against third-party claims to the extent caused by Consultant's gross negligence.",
        None,
    ),
    (
        "indemnification",
        "Vendor shall defend Customer against any claim that the Deliverables infringe a third party's intellectual property rights.",
        None,
    ),
    (
        "indemnification",
        "Client shall indemnify Consultant from all claims arising out of or relating to materials supplied by Client.",
        None,
    ),
    # most favoured nation
    (
        "most_favored_nation",
        "Consultant represents that the rates are no less favorable than those offered to any other customer.",
        "most_favored_nation.present",
    ),
    (
        "most_favored_nation",
        "If Supplier offers lower prices to a similarly situated customer, it shall offer the same prices to Customer.",
        "most_favored_nation.present",
    ),
    # non-solicitation: 12 months maximum, or one-sided against the firm
    (
        "non_solicitation",
        "Neither party shall solicit or hire the other party's employees during the Term and for twenty-four (24) months thereafter.",
        "non_solicitation.long",
    ),
    (
        "non_solicitation",
        "Consultant shall not solicit any of Client's employees for six (6) months after the Term.",
        "non_solicitation.long",
    ),
    (
        "non_solicitation",
        "Each party agrees not to hire the other's personnel for a period of two years after completion.",
        "non_solicitation.long",
    ),
    (
        "non_solicitation",
        "Neither party shall solicit the other party's employees during the Term and for six (6) months thereafter.",
        None,
    ),
    (
        "non_solicitation",
        "Neither party will hire the other's staff for one (1) year after the end of this SOW.",
        None,
    ),
    (
        "non_solicitation",
        "Client shall not hire any of Consultant's personnel for twelve months following completion of the Services.",
        None,
    ),
    # non-compete
    (
        "non_compete",
        "During the Term, Consultant shall not provide similar services to any competitor of Client.",
        "non_compete.present",
    ),
    (
        "non_compete",
        "Nothing in this SOW restricts Consultant from providing similar services to other clients.",
        None,
    ),
    # exclusivity
    (
        "exclusivity",
        "Client appoints Consultant as its exclusive provider of the Services.",
        "exclusivity.present",
    ),
    ("exclusivity", "This engagement is non-exclusive and Client may engage other providers.", None),
    # IP assignment
    ("ip_assignment", "All Deliverables shall vest in Client upon creation.", "ip_assignment.before_payment"),
    (
        "ip_assignment",
        "Rights in all Contract Material vest in the Customer on their creation.",
        "ip_assignment.before_payment",
    ),
    (
        "ip_assignment",
        "Consultant assigns all rights in the Deliverables to Client, regardless of whether payment has been made.",
        "ip_assignment.before_payment",
    ),
    (
        "ip_assignment",
        "Upon payment, Supplier assigns all rights in the Deliverables to Customer, including any pre-existing materials of Supplier incorporated in them.",
        "ip_assignment.before_payment",
    ),
    (
        "ip_assignment",
        "Upon payment in full, Consultant assigns to Client all rights in the Deliverables, excluding Consultant's pre-existing materials.",
        None,
    ),
    # liquidated damages
    (
        "liquidated_damages",
        "Client shall be entitled to service credits of 2% of the monthly fees for each missed service level.",
        "liquidated_damages.present",
    ),
    (
        "liquidated_damages",
        "Supplier shall pay liquidated damages of 1% of the milestone amount per week of delay.",
        "liquidated_damages.present",
    ),
    ("liquidated_damages", "No liquidated damages or service credits shall apply under this SOW.", None),
    # payment terms: 45 days maximum, or conditional
    (
        "payment_terms",
        "Client shall pay each invoice within sixty (60) days of receipt.",
        "payment_terms.long",
    ),
    ("payment_terms", "Payment terms are net 90.", "payment_terms.long"),
    (
        "payment_terms",
        "Contractor shall be paid within 7 days after Client receives payment from its customer.",
        "payment_terms.long",
    ),
    ("payment_terms", "Payment is due on a pay-when-paid basis.", "payment_terms.long"),
    ("payment_terms", "Invoices are payable within forty-five (45) days of the invoice date.", None),
    ("payment_terms", "Client shall pay each invoice net 30.", None),
    ("payment_terms", "Invoices are due upon receipt.", None),
    # acceptance
    (
        "acceptance",
        "All Deliverables are subject to acceptance by Client in its sole discretion.",
        "acceptance.subjective",
    ),
    (
        "acceptance",
        "Each Deliverable must be completed to the satisfaction of the Customer.",
        "acceptance.subjective",
    ),
    (
        "acceptance",
        "Client will confirm acceptance of each Deliverable by written sign-off.",
        "acceptance.subjective",
    ),
    (
        "acceptance",
        "A Deliverable not rejected in writing within ten (10) business days of delivery is deemed accepted.",
        None,
    ),
    # rate change: 12 months maximum lock, or increases forbidden
    (
        "rate_change",
        "Rates shall remain fixed for twenty-four (24) months from the Effective Date.",
        "rate_change.locked",
    ),
    ("rate_change", "Consultant shall not increase its rates during the Term.", "rate_change.locked"),
    ("rate_change", "The rates are fixed for the first twelve (12) months of the Term.", None),
    ("rate_change", "Consultant may adjust its rates annually on sixty days' written notice.", None),
    # minimum commitment: the firm's, not the client's
    (
        "minimum_commitment",
        "Consultant shall dedicate a minimum of four (4) full-time consultants to the Services.",
        "minimum_commitment.firm",
    ),
    (
        "minimum_commitment",
        "Supplier guarantees the delivery of a minimum of 1,000 hours of Services.",
        "minimum_commitment.firm",
    ),
    (
        "minimum_commitment",
        "Client commits to purchase a minimum of 500 hours of Services during the Term.",
        None,
    ),
    ("minimum_commitment", "Customer agrees to a minimum spend of $50,000 under this SOW.", None),
    # phrasings from other firms' drafting (training/handwritten/clauses/ has them in context)
    (
        "limitation_of_liability",
        "The Consultancy's aggregate liability under this SOW is limited to twice the Charges paid under it.",
        None,
    ),
    (
        "limitation_of_liability",
        "Vendor's total liability shall not exceed three (3) times the Charges payable hereunder.",
        "limitation_of_liability.cap_multiple",
    ),
    (
        "uncapped_liability",
        "The limitation in Section 8.1 shall not apply to (a) Provider's breach of Article 10 (Confidentiality) or (b) Provider's indemnification obligations.",
        "uncapped_liability.present",
    ),
    (
        "uncapped_liability",
        "The foregoing limitation shall not apply to Client's obligation to pay the Fees or to a party's fraud.",
        None,
    ),
    (
        "indemnification",
        "Supplier agrees to defend, indemnify and hold harmless Company from and against any and all liabilities and costs which may be incurred by Company in any way connected with the Services.",
        "indemnification.broad",
    ),
    (
        "ip_assignment",
        "All Work Product shall be considered work made for hire and shall be owned by Company as of the moment of its creation.",
        "ip_assignment.before_payment",
    ),
    (
        "ip_assignment",
        "Contractor assigns to Company all right, title and interest in the Work Product, whether or not Company has paid the invoices relating to it.",
        "ip_assignment.before_payment",
    ),
    (
        "liquidated_damages",
        "Failure to meet a service level will not entitle Client to service credits, liquidated damages or any reduction of the Fees.",
        None,
    ),
    (
        "most_favored_nation",
        "The Supplier is not obliged to offer the Customer the rates or discounts it agrees with any other customer.",
        None,
    ),
    (
        "rate_change",
        "The Contract Price is firm and fixed and shall not be subject to escalation or adjustment for the duration of the Contract.",
        "rate_change.locked",
    ),
    (
        "exclusivity",
        "The Customer shall purchase all of its requirements for payroll services solely from the Provider during the Term.",
        "exclusivity.present",
    ),
    # end of month adds up to a month to the days stated; business days run 7 to 5
    (
        "payment_terms",
        "Invoices are payable within thirty (30) days from the end of the month in which they are received.",
        "payment_terms.long",
    ),
    ("payment_terms", "The Buyer shall pay within 15 days end of month.", None),
    (
        "payment_terms",
        "The State will pay a correct invoice within 35 business days of receipt.",
        "payment_terms.long",
    ),
    ("payment_terms", "Payment is due ten (10) Business Days after the invoice date.", None),
    # unlimited only for intent, gross negligence and injury is the usual carve-out
    (
        "uncapped_liability",
        "Liability for wilful intent, gross negligence and injury to life, limb or health is unlimited.",
        None,
    ),
    (
        "uncapped_liability",
        "The Vendor's liability for breaches of its data protection obligations shall be unlimited.",
        "uncapped_liability.present",
    ),
    # public buyers and engagement letters name the parties their own way
    (
        "termination_for_convenience",
        "The Government may terminate this order for its convenience by written notice to the Contractor.",
        "termination_for_convenience.short_notice",
    ),
    (
        "termination_for_convenience",
        "The Department may end this contract for convenience on sixty (60) days' notice to the Supplier.",
        None,
    ),
    (
        "termination_for_convenience",
        "You may end this engagement at any time by telling us in writing.",
        "termination_for_convenience.short_notice",
    ),
    (
        "non_solicitation",
        "We will not solicit your employees for twelve months after the engagement ends.",
        "non_solicitation.long",
    ),
    ("non_solicitation", "You agree not to hire our staff for 12 months after the engagement.", None),
    (
        "non_compete",
        "You agree that we may act for other clients whose interests are adverse to yours in unrelated matters.",
        None,
    ),
    (
        "rate_change",
        "Our hourly rates are guaranteed for the first two years of the engagement.",
        "rate_change.locked",
    ),
    (
        "most_favored_nation",
        "The charges under this Order are not subject to any most-favoured customer pricing.",
        None,
    ),
    (
        "termination_for_convenience",
        "Prime may terminate this Subcontract for convenience on ten (10) days' notice to Subcontractor.",
        "termination_for_convenience.short_notice",
    ),
    (
        "exclusivity",
        "During the Term the Client shall not appoint any other agency for the brand's social media.",
        "exclusivity.present",
    ),
    # caps against other names for the fees, in bare figures and in words
    (
        "limitation_of_liability",
        "The Contractor's liability is limited to an amount equal to 4 times the Price.",
        "limitation_of_liability.cap_multiple",
    ),
    ("limitation_of_liability", "Total liability is capped at two hundred per cent of the Charges.", None),
    (
        "limitation_of_liability",
        "Total liability is capped at two hundred and fifty per cent of the Charges.",
        "limitation_of_liability.cap_multiple",
    ),
    (
        "limitation_of_liability",
        "Each party's liability for damages is limited to the agreed contract sum.",
        None,
    ),
    # "does not give any ... price-matching undertaking" is no promise
    (
        "most_favored_nation",
        "The Consultant does not offer any most-favoured-client or price-matching commitment on these rates.",
        None,
    ),
    # "may not increase ... during the first N months" locks the rates for N months
    (
        "rate_change",
        "The Vendor may not increase its day rates during the first 30 months of the Term.",
        "rate_change.locked",
    ),
    ("rate_change", "The Vendor may not increase its day rates during the first 6 months of the Term.", None),
    # types with no rule of their own
    ("governing_law", "This SOW is governed by the laws of the State of New York.", None),
    ("confidentiality", "Each party shall keep the other's Confidential Information secret.", None),
]


@pytest.mark.parametrize(("clause_type", "text", "rule"), CASES)
def test_decide_fires_around_threshold(playbook, clause_type: str, text: str, rule: str | None) -> None:
    decision = decide(clause_type, clause_values(clause_type, text), billing=_billing(), playbook=playbook)
    assert decision.rule == rule, decision.reason
    assert decision.nonstandard is (rule is not None)
    assert decision.reason


def test_every_clause_rule_is_exercised_both_ways() -> None:
    fired = {rule for _t, _x, rule in CASES if rule}
    clause_rules = set(RULE_NAMES) - {"late_payment.absent", "billing.missing_terms"}
    assert fired == clause_rules
    presence_only = {"auto_renewal.present", "most_favored_nation.present", "uncapped_liability.present"}
    not_fired_types = {t for t, _x, rule in CASES if rule is None}
    assert {r.split(".")[0] for r in clause_rules - presence_only} <= not_fired_types


@pytest.mark.parametrize(
    ("threshold", "value", "text", "clause_type"),
    [
        (
            "min_termination_notice_days",
            10,
            "Client may terminate for convenience on fifteen (15) days' notice.",
            "termination_for_convenience",
        ),
        ("max_payment_days", 90, "Invoices are payable within sixty (60) days of receipt.", "payment_terms"),
        (
            "max_non_solicit_months",
            24,
            "Neither party shall solicit the other's employees for eighteen months after the Term.",
            "non_solicitation",
        ),
        (
            "max_cap_multiple",
            3,
            "Liability shall not exceed three times (3x) the fees.",
            "limitation_of_liability",
        ),
        ("max_rate_lock_months", 24, "Rates shall remain fixed for eighteen (18) months.", "rate_change"),
    ],
)
def test_firm_thresholds_override_the_default(
    playbook, threshold: str, value: int, text: str, clause_type: str
) -> None:
    values = clause_values(clause_type, text)
    assert decide(clause_type, values, billing=_billing(), playbook=playbook).nonstandard
    looser = playbook.model_copy(
        update={"thresholds": playbook.thresholds.model_copy(update={threshold: value})}
    )
    assert not decide(clause_type, values, billing=_billing(), playbook=looser).nonstandard


def test_reason_reads_like_a_lawyer_would_write_it(playbook) -> None:
    text = "Client may terminate for convenience on 15 days' notice."
    decision = decide(
        "termination_for_convenience",
        clause_values("termination_for_convenience", text),
        billing=None,
        playbook=playbook,
    )
    assert decision.reason == (
        "Client may terminate for convenience on 15 days' notice; policy minimum is 30 days' notice"
    )


@pytest.mark.parametrize(
    ("clause_type", "text", "billing", "words"),
    [("payment_terms", "7.2 Payment is due within forty-five (45) days from the end of the month in which the invoice is received.", None,
      ["45 days from the end of the month", "75 days", "policy maximum is 45 days", "clause 7.2, page 1"]),
     ("termination_for_convenience", "12.4 Termination for Convenience. The Customer may terminate this SOW on 10 days' notice.", None,
      ["10 days' notice", "policy minimum is 30 days' notice", "clause 12.4 (Termination for Convenience), page 1"]),
     ("limitation_of_liability", "9.1 The Supplier's aggregate liability shall not exceed EUR 500,000.", 150_000.0,
      ["500,000", "150,000", "3.333x", "policy maximum is 2x", "clause 9.1"]),
     ("uncapped_liability", "12.3 The limitation in Section 12.2 shall not apply to a party's breach of its confidentiality obligations.", None,
      ["breach of its confidentiality obligations", "usual carve-outs", "clause 12.3"]),
     ("non_solicitation", "Section 4 Consultant shall not solicit Client's employees for 18 months.", None,
      ["binds only the firm", "18 months", "mutual restriction of at most 12 months", "Section 4, page 1"]),
     ("acceptance", "(b) Each deliverable must be to the Client's satisfaction.", None,
      ['"satisfaction"', "deemed-acceptance period", "(b)"]),
     ("liquidated_damages", "Delay Payments. The Supplier shall pay delay payments of 1% per week of delay.", None,
      ['"Delay Payments"', "under 'Delay Payments', page 1"])],
)  # fmt: skip
def test_a_fired_rule_names_the_value_the_standard_and_where(
    playbook, clause_type: str, text: str, billing: float | None, words: list[str]
) -> None:
    document = _document(text)
    (finding,) = apply_playbook(
        [_detected(clause_type, text, document=document)], _billing(billing), document, playbook=playbook
    )
    assert finding.nonstandard and finding.reason, finding.reason
    for word in words:
        assert word in finding.reason, (word, finding.reason)


def test_a_rolling_continuation_called_termination_is_judged_as_auto_renewal(playbook) -> None:
    text = "After the first year this SOW continues from month to month until either party ends it by giving thirty days' notice."
    document = _document(text)
    termination = _detected("termination_for_convenience", text, document=document)
    (finding,) = apply_playbook([termination], None, document, playbook=playbook)
    assert (finding.type, finding.rule) == ("auto_renewal", "auto_renewal.present")
    assert finding.values["renewal_months"] == 1 and finding.values["notice_days"] == 30
    # found as both types, it is reported once
    renewal = _detected("auto_renewal", text, document=document)
    findings = apply_playbook([renewal, termination], None, document, playbook=playbook)
    assert [f.type for f in findings] == ["auto_renewal"]
    # a separate right to terminate for convenience stays a termination clause
    both = text + " Either party may also terminate for convenience on 30 days' notice."
    assert "read_as" not in clause_values("termination_for_convenience", both)


@pytest.mark.parametrize(
    ("text", "rule"),
    [("The Buyer is granted the exclusive and perpetual right to use the work results from the moment they are created.", "ip_assignment.before_payment"),
     ("The Buyer is granted the exclusive right to use the work results once the final invoice has been paid in full.", None)],
)  # fmt: skip
def test_an_exclusive_licence_of_the_work_is_judged_as_ip_not_exclusivity(
    playbook, text: str, rule: str | None
) -> None:
    document = _document(text)
    licence = _detected("exclusivity", text, document=document)
    (finding,) = apply_playbook([licence], None, document, playbook=playbook)
    assert (finding.type, finding.rule) == ("ip_assignment", rule)
    # found as both types, it is reported once
    ip = _detected("ip_assignment", text, document=document)
    assert [f.type for f in apply_playbook([ip, licence], None, document, playbook=playbook)] == [
        "ip_assignment"
    ]
    # exclusive dealing next to the licence stays exclusivity
    dealing = text + " The Buyer appoints the Supplier as its exclusive provider of these services."
    assert "read_as" not in clause_values("exclusivity", dealing)


def test_two_bare_party_names_are_told_apart_by_the_service_firms_name() -> None:
    preamble = (
        'Halden Water plc ("Halden") engages Oriel Data Consulting Limited ("Oriel") to review its billing.'
    )
    firm_terms, client_terms = defined_party_terms(preamble)
    assert "oriel" in firm_terms and "halden" in client_terms
    assert (
        party_of(
            "Oriel shall provide two analysts for at least ten days a month.",
            firm_terms=firm_terms,
            client_terms=client_terms,
        )
        == "firm"
    )
    # neither name says which side it is: no guess
    firm_terms, client_terms = defined_party_terms(
        'Halden Water plc ("Halden") and Oriel Holdings Limited ("Oriel") agree as follows.'
    )
    assert "oriel" not in firm_terms + client_terms


def test_a_statement_that_no_interest_is_payable_leaves_late_payment_absent(playbook) -> None:
    document = _document(SOW_TEXT + "\n1.3 Interest is not payable on amounts paid late.\n")
    billing = Billing(
        billing_model=_grounded(document, "time and materials", "time_and_materials"),
        payment_terms_days=_grounded(document, "within thirty (30) days of receipt", 30),
        rates=[
            _grounded(document, "time and materials", RateValue(role="Consultant", rate=100, unit="hour"))
        ],
    )
    late = _detected("late_payment", "Interest is not payable on amounts paid late.", document=document)
    assert late.values["negated"] is True
    findings = apply_playbook([late], billing, document, playbook=playbook)
    (absent,) = [f for f in findings if f.rule == "late_payment.absent"]
    assert absent.reason and "'1. Fees and Payment', page 1" in absent.reason


def test_default_playbook_matches_the_contract_table(playbook) -> None:
    raw = resources.files("extraction").joinpath("playbook_default.json").read_bytes()
    assert playbook.sha256 == hashlib.sha256(raw).hexdigest()
    assert set(playbook.rules) == set(RULE_NAMES)
    assert playbook.rules["uncapped_liability.present"].route == "legal"
    assert playbook.rules["uncapped_liability.present"].severity == "high"
    assert playbook.rules["most_favored_nation.present"].route == "finance"
    assert playbook.rules["acceptance.subjective"].route == "delivery"
    assert playbook.rules["non_solicitation.long"].severity == "low"
    assert playbook.thresholds.max_payment_days == 45


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"rules": {"no_such.rule": {"route": "legal", "severity": "high"}}}', "unknown rule"),
        (
            '{"rules": {"exclusivity.present": {"route": "sales", "severity": "high"}}}',
            "rules.exclusivity.present.route",
        ),
        ('{"rules": {}, "thresholds": {"max_payment_days": -1}}', "thresholds.max_payment_days"),
        ("- just\n- a list\n", "must hold a mapping"),
        ("{not json: [", "neither valid JSON nor YAML"),
    ],
)
def test_invalid_playbook_is_a_clear_error(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "firm.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(PlaybookError, match=message):
        load_playbook(path)


def test_missing_playbook_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(PlaybookError, match="cannot read playbook"):
        load_playbook(tmp_path / "absent.json")


def test_yaml_playbook_with_a_disabled_rule(tmp_path: Path) -> None:
    path = tmp_path / "firm.yaml"
    path.write_text(
        "name: firm\nthresholds:\n  max_payment_days: 60\nrules:\n"
        "  payment_terms.long: {route: finance, severity: high}\n"
        "  exclusivity.present: {route: legal, severity: high, enabled: false}\n",
        encoding="utf-8",
    )
    policy = load_playbook(path)
    assert policy.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    clause = _detected("exclusivity", "Client appoints Consultant as its exclusive provider.")
    payment = _detected("payment_terms", "Invoices are payable within ninety (90) days of receipt.")
    findings = apply_playbook([clause, payment], None, None, playbook=policy)
    assert [f.nonstandard for f in findings] == [False, True]
    assert findings[1].severity == "high" and findings[1].route == "finance"


def _document(text: str) -> Document:
    info = DocumentInfo(sha256="0" * 64, pages=1, media_type="text/plain")
    return Document(pages=[Page(1, text)], info=info)


def _detected(clause_type: str, text: str, *, document: Document | None = None) -> DetectedClause:
    start = document.text.index(text) if document else 0
    evidence = tuple(document.evidence_for_span(start, start + len(text))) if document else ()
    return DetectedClause(
        type=clause_type,
        confidence=0.9,
        evidence=evidence,
        values=clause_values(clause_type, text),
        text=text,
    )


SOW_TEXT = (
    "STATEMENT OF WORK\n\n1. Fees and Payment\n\n1.1 The Services are charged on a time and materials basis.\n\n"
    "1.2 Client shall pay each invoice within thirty (30) days of receipt.\n"
)


def _grounded(document: Document, quote: str, value):
    start = document.text.index(quote)
    return GroundedValue(
        value=value, confidence=0.9, evidence=document.evidence_for_span(start, start + len(quote))
    )


def test_late_payment_absent_points_at_the_billing_section(playbook) -> None:
    document = _document(SOW_TEXT)
    billing = Billing(
        billing_model=_grounded(document, "time and materials", "time_and_materials"),
        payment_terms_days=_grounded(document, "within thirty (30) days of receipt", 30),
        rates=[
            _grounded(document, "time and materials", RateValue(role="Consultant", rate=100, unit="hour"))
        ],
    )
    payment = _detected(
        "payment_terms",
        "Client shall pay each invoice within thirty (30) days of receipt.",
        document=document,
    )
    findings = apply_playbook([payment], billing, document, playbook=playbook)
    absent = [f for f in findings if f.rule == "late_payment.absent"]
    assert len(absent) == 1
    finding = absent[0]
    assert finding.type == "late_payment" and finding.route == "finance" and finding.severity == "low"
    assert finding.evidence[0].quote == "1. Fees and Payment"
    assert (
        document.pages[0].text[finding.evidence[0].start : finding.evidence[0].end]
        == finding.evidence[0].quote
    )
    assert not any(f.rule == "billing.missing_terms" for f in findings)


def test_late_payment_present_does_not_fire(playbook) -> None:
    document = _document(SOW_TEXT + "\n1.3 Overdue amounts bear interest at 1.5% per month.\n")
    billing = Billing(
        billing_model=_grounded(document, "time and materials", "time_and_materials"),
        payment_terms_days=_grounded(document, "within thirty (30) days of receipt", 30),
        late_fee_percent_per_month=_grounded(document, "1.5% per month", 1.5),
        rates=[
            _grounded(document, "time and materials", RateValue(role="Consultant", rate=100, unit="hour"))
        ],
    )
    late = _detected("late_payment", "Overdue amounts bear interest at 1.5% per month.", document=document)
    findings = apply_playbook([late], billing, document, playbook=playbook)
    assert not any(f.nonstandard for f in findings)


@pytest.mark.parametrize(
    ("model", "with_terms", "with_rates", "milestones", "fires"),
    [
        ("time_and_materials", True, False, None, True),
        ("time_and_materials", False, True, None, True),
        ("time_and_materials", True, True, None, False),
        ("fixed_fee", False, False, None, True),
        ("fixed_fee", True, False, None, False),
        ("milestone", True, False, [MilestoneValue(name="Go-live")], True),
        ("milestone", True, False, [MilestoneValue(name="Go-live", amount=10_000)], False),
    ],
)
def test_billing_missing_terms(playbook, model, with_terms, with_rates, milestones, fires) -> None:
    document = _document(SOW_TEXT)
    billing = Billing(
        billing_model=_grounded(document, "time and materials", model),
        payment_terms_days=_grounded(document, "within thirty (30) days of receipt", 30)
        if with_terms
        else None,
        rates=[_grounded(document, "time and materials", RateValue(role="Analyst", rate=90, unit="hour"))]
        if with_rates
        else [],
        milestones=[_grounded(document, "time and materials", m) for m in milestones or []],
    )
    findings = apply_playbook([], billing, document, playbook=playbook)
    missing = [f for f in findings if f.rule == "billing.missing_terms"]
    assert bool(missing) is fires
    if fires:
        assert missing[0].type == "payment_terms" and missing[0].evidence and missing[0].reason


def test_findings_serialise_in_the_contract_shape(playbook) -> None:
    clause = _detected(
        "auto_renewal",
        "This SOW shall automatically renew for successive 12-month periods unless either party gives 90 days' notice.",
    )
    (finding,) = apply_playbook([clause], None, None, playbook=playbook)
    data = json.loads(finding.model_dump_json())
    assert {"type", "nonstandard", "severity", "route", "rule", "reason", "confidence", "evidence"} <= set(
        data
    )
    assert (
        data["rule"] == "auto_renewal.present" and data["route"] == "legal" and data["severity"] == "medium"
    )
    assert "12 months" in data["reason"] and "90 days" in data["reason"]


def test_parse_playbook_ignores_a_stale_hash_field() -> None:
    raw = json.dumps({"rules": {}, "sha256": "forged"}).encode()
    assert parse_playbook(raw).sha256 == hashlib.sha256(raw).hexdigest()


@pytest.mark.parametrize(
    ("heading", "fires"),
    [("5. Acceptance", False),  # the deemed period closes the review under the same heading
     ("", True)],  # with no heading to join them, the review alone has no deemed period
)  # fmt: skip
def test_a_deemed_period_in_a_sibling_subparagraph_makes_acceptance_standard(
    playbook, heading: str, fires: bool
) -> None:
    review = "(1) The Client shall review each deliverable within ten working days against the specification."
    deemed = "(2) A deliverable on which no defect is reported within that period is deemed accepted."
    document = _document(review + "\n" + deemed)
    clauses = [
        DetectedClause(**{**_detected("acceptance", text, document=document).__dict__, "heading": heading})
        for text in (review, deemed)
    ]
    findings = apply_playbook(clauses, None, document, playbook=playbook)
    assert [f.nonstandard for f in findings] == [fires, False]


@pytest.mark.parametrize(
    ("clause_type", "text"),
    [("governing_law", "IN WITNESS WHEREOF, the parties have executed this SOW."),
     ("governing_law", "We will not disclose your information to third parties except as required by law."),
     ("anti_assignment", "The Consultant will assign the key personnel named in Annex 2 to the Services."),
     ("auto_renewal", "Unused hours do not roll over."),
     ("audit_rights", "We will report our findings to the Audit Committee."),
     ("exclusivity", "Client's exclusive remedy for breach of this warranty is re-performance."),
     ("exclusivity", "Supplier grants the Customer a non-exclusive, perpetual licence to use its tools."),
     ("liquidated_damages", "The Supplier shall achieve Go-Live by the Go-Live Date."),
     ("non_solicitation", "All Work Product shall be considered work made for hire."),
     ("change_of_control", "The indemnifying party may control the defence of the claim."),
     ("ip_assignment", "Supplier shall indemnify Customer against any claim that the Deliverables infringe a third party's intellectual property rights."),
     ("ip_assignment", "Client may end any Associate's assignment on one week's notice."),
     ("ip_assignment", "The Consultant shall correct, at its own cost, any defect in the Deliverables."),
     ("confidentiality", "Thank you for choosing our firm to advise you on this matter."),
     ("confidentiality", "The cap does not apply to a breach of Section 9 (Confidentiality)."),
     ("uncapped_liability", "The Government has unlimited rights in all data first produced under this order."),
     ("late_payment", "If a milestone is delivered late, the Contractor shall pay a delay payment of 0.5% per week."),
     ("late_payment", "The Government may terminate this order whenever termination is in the Government's interest."),
     ("liquidated_damages", "Interest penalties will be paid automatically on late payments, as the Prompt Payment Act provides."),
     ("termination_for_convenience", "The right of either party to terminate for good cause remains unaffected."),
     ("warranty", "If the Client reports no blocking defects within ten days, the release is deemed accepted."),
     ("auto_renewal", "Pricing on Renewal. The Vendor may raise its fees by up to 5% upon each renewal, on notice before the renewal date."),
     ("liquidated_damages", "Client: Harbour Credit Union Limited    Supplier: Fenway Analytics LLC"),
     ("limitation_of_liability", "Client will reimburse pre-approved travel expenses at cost, not to exceed $30,000 in the aggregate."),
     ("minimum_commitment", "The Supplier hereby assigns to the Customer, with full title guarantee, all such rights."),
     ("exclusivity", "The fixed price is $88,000 (GST exclusive), invoiced at each milestone."),
     ("uncapped_liability", "The Client may use the reports worldwide, unlimited in time and territory, for its own purposes."),
     ("most_favored_nation", "The Client may buy the same services from any other provider whenever it wishes."),
     ("liquidated_damages", "Once annual spend passes $1 million, the Vendor will credit a loyalty rebate of 2% of the excess."),
     ("termination_for_convenience", "This Order starts on 1 May and, unless terminated earlier, runs until the last deliverable is accepted."),
     ("acceptance", "The hosting period begins on acceptance of the final release and lasts twelve months."),
     ("acceptance", "Stage 2 - Design document accepted    EUR 40,000"),
     ("acceptance", "(d) user acceptance testing support for up to 50 users;"),
     ("exclusivity", "Any action under this SOW shall be brought exclusively in the courts of Travis County."),
     ("liquidated_damages", '"Delay Credits" means the amounts set out in Schedule 3 by reference to the milestones;'),
     ("auto_renewal", "The Firm advises Northwind Renewables Ltd on the financing of two solar parks."),
     ("non_solicitation", "The work will be carried out by a partner and two solicitors in our Leeds office."),
     ("non_solicitation", "The Agency shall recruit, employ and deploy qualified drivers to cover every shift."),
     ("change_of_control", "The Vendor shall follow the Client's change control procedure for every change request."),
     ("change_of_control", "Where the two documents conflict, this Work Order controls."),
     ("confidentiality", "PRIVATE AND CONFIDENTIAL\nMr J. Okafor\nFinance Director"),
     ("ip_assignment", "The team plans each sprint with the Customer's Product Owner."),
     ("ip_assignment", "(a) a portal for vehicle title and registration renewals;"),
     ("insurance", "Clause 15 (Insurance) of the Framework Agreement applies to this Order."),
     ("insurance", "WHEREAS the Master Agreement sets out the insurance each party maintains;"),
     ("audit_rights", "(b) migration of some 2 million customer records to the new platform;"),
     ("audit_rights", "Each invoice shall attach the timesheet records approved by the Client's manager."),
     ("minimum_commitment", "(b) a roadmap with at least three delivery scenarios;"),
     ("indemnification", "The cap does not cover the Vendor's obligations under Clause 11 (Indemnities)."),
     ("warranty", "The Consultant warrants that no conflict of interest exists and will tell the Client if one arises."),
     ("warranty", "The Contractor shall furnish a Performance Bank Guarantee of 5% of the Contract Price within 14 days."),
     ("change_of_control", "We will act for you on the proposed acquisition of the whole share capital of a logistics group, but not on the planning consents."),
     ("governing_law", "The services are services within the meaning of the Civil Code; the law on contracts for work applies only to the deliverables.")],
)  # fmt: skip
def test_a_clause_without_its_types_words_is_not_reported(playbook, clause_type: str, text: str) -> None:
    assert clause_values(clause_type, text) == {"not_this_type": True}
    document = _document(text)
    clause = _detected(clause_type, text, document=document)
    clause = DetectedClause(**{**clause.__dict__, "values": clause_values(clause_type, text)})
    assert apply_playbook([clause], None, document, playbook=playbook) == []


@pytest.mark.parametrize(
    ("clause_type", "text"),
    [("governing_law", "This SOW is governed by English law."),
     ("exclusivity", "This engagement is non-exclusive and Client may engage other providers."),
     ("liquidated_damages", "Supplier shall pay a fixed sum of $2,000 for every week the go-live is late."),
     ("anti_assignment", "Neither party may assign this SOW without the other's prior written consent."),
     ("change_of_control", "If Supplier undergoes a change of control, Client may terminate this SOW."),
     ("confidentiality", "Clause 14 (Confidentiality) of the Master Agreement applies to this SOW."),
     ("confidentiality", "Neither party will reveal the other's business information to anyone outside its organisation."),
     ("ip_assignment", "Configuration work becomes the Customer's property on payment."),
     ("late_payment", "Interest accrues on overdue invoices at 1% per month."),
     ("termination_for_convenience", "Either party may terminate for cause or for convenience on 30 days' notice."),
     ("warranty", "The Supplier will remedy any defect reported within 90 days."),
     ("acceptance", "After acceptance of each release the Client has five days to report defects."),
     ("acceptance", "Stage 2 - Design document accepted by the Steering Group"),
     ("non_solicitation", "Neither party shall solicit the other's staff during the term and for six months after it."),
     ("non_solicitation", "If the Client hires a Contractor directly, the Client shall pay a placement fee of 15%."),
     ("change_of_control", "If the Supplier comes under the control of a competitor of the Client, the Client may terminate."),
     ("insurance", "The Supplier shall maintain the insurance required by Clause 15 (Insurance) of the Framework Agreement."),
     ("audit_rights", "The Consultant shall keep accurate records of hours worked for three years."),
     ("audit_rights", "Records of all Services shall be made available to the Authority on request."),
     ("minimum_commitment", "The Supplier shall deploy not less than six engineers throughout the term."),
     ("warranty", "The Consultant warrants that no conflict of interest exists and that the Services will be performed with reasonable skill and care."),
     ("indemnification", "The Supplier shall indemnify the Client as set out in Clause 11 (Indemnities)."),
     ("change_of_control", "The Supplier shall notify the Client of any change of control within ten days.")],
)  # fmt: skip
def test_a_clause_with_its_types_words_is_reported(clause_type: str, text: str) -> None:
    assert "not_this_type" not in clause_values(clause_type, text)


@pytest.mark.parametrize(
    ("text", "renewal_months", "notice_days"),
    [("Thereafter it will automatically renew for successive one-year periods unless either party notifies the other of non-renewal at least sixty (60) days before the end of the then-current period.", 12, 60),
     ("The initial term is three (3) years. It shall thereafter be extended automatically for successive renewal terms of one (1) year each unless the Customer notifies the Supplier in writing, not less than one hundred and twenty (120) days prior to the expiry of the then current term, that it does not wish to renew.", 12, 120),
     ("On expiry of the Initial Period this SOW shall continue on a rolling monthly basis until terminated by either party giving not less than three months' written notice.", 1, 90)],
)  # fmt: skip
def test_renewal_reads_the_renewal_term_and_the_opt_out_window(
    text: str, renewal_months: int, notice_days: int
) -> None:
    values = clause_values("auto_renewal", text)
    assert (values["renewal_months"], values["notice_days"]) == (renewal_months, notice_days)
