# ruff: noqa: E501  (phrasings are data: long sentences read better unbroken)
"""Billing: the parsers, and every field of the contract from many phrasings (not the generator's)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extraction import ingest
from extraction.billing import extract_billing
from extraction.billing.dates import find_dates, period_end
from extraction.billing.money import document_rand, find_money, parse_number
from extraction.billing.terms import find_pay_when_paid, find_payment_terms


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("$1,250,000.00", 1_250_000.0, "USD"),
        ("EUR 1.250.000,00", 1_250_000.0, "EUR"),
        ("1 250 000,00 €", 1_250_000.0, "EUR"),
        ("$1.2 million", 1_200_000.0, "USD"),
        ("USD 2.5M", 2_500_000.0, "USD"),
        ("€300k", 300_000.0, "EUR"),
        ("one hundred thousand dollars ($100,000)", 100_000.0, "USD"),
        ("fifty thousand euros", 50_000.0, "EUR"),
        ("£12,500", 12_500.0, "GBP"),
        ("1.250 EUR", 1_250.0, "EUR"),
        ("C$ 45,000", 45_000.0, "CAD"),
        ("CHF 12'500.50", 12_500.5, "CHF"),
        ("225 USD", 225.0, "USD"),
        ("GBP 7,000", 7_000.0, "GBP"),
        ("SAR 3,400,000", 3_400_000.0, "SAR"),
        ("AED 1,850,000", 1_850_000.0, "AED"),
        ("R$ 96.000,00", 96_000.0, "BRL"),
        ("1,850,000 UAE Dirhams", 1_850_000.0, "AED"),
        ("fifty thousand rand", 50_000.0, "ZAR"),
        ("12,000 yen", 12_000.0, "JPY"),
    ],
)
def test_find_money_reads_amount_and_currency(text: str, amount: float, currency: str) -> None:
    found = find_money(f"a fee of {text} applies")
    assert [(m.amount, m.currency) for m in found] == [(amount, currency)]
    assert f"a fee of {text} applies"[found[0].start : found[0].end] == text


def test_find_money_bare_dollar_follows_the_document_dollar() -> None:
    assert find_money("$5,000", dollar="AUD")[0].currency == "AUD"


@pytest.mark.parametrize(
    ("text", "rand", "want"),
    [
        ("The fee is R1 450 000,00 excluding VAT", True, [(1_450_000.0, "ZAR")]),
        ("Release R2 ships in R 12,500 increments", True, [(12_500.0, "ZAR")]),
        ("The fee is R1 450 000,00 excluding VAT", False, []),
    ],
)
def test_find_money_reads_a_bare_rand_only_in_south_african_documents(
    text: str, rand: bool, want: list[tuple[float, str]]
) -> None:
    assert [(m.amount, m.currency) for m in find_money(text, rand=rand)] == want


@pytest.mark.parametrize(
    ("text", "south_african"),
    [("Acme (Pty) Ltd, Johannesburg", True), ("fees in rand", True), ("Release R2 for Acme Pty Ltd", False)],
)
def test_document_rand_needs_a_south_african_cue(text: str, south_african: bool) -> None:
    assert document_rand(text) is south_african


@pytest.mark.parametrize("text", ["Section 5.2 applies", "within 30 days", "in 2026 the parties"])
def test_find_money_ignores_plain_numbers(text: str) -> None:
    assert find_money(text) == []


@pytest.mark.parametrize(
    ("raw", "value"), [("1,250", 1250.0), ("1.250", 1250.0), ("12.5", 12.5), ("1.250.000,75", 1250000.75)]
)
def test_parse_number_separator_rule(raw: str, value: float) -> None:
    assert parse_number(raw) == value


@pytest.mark.parametrize(
    ("text", "days", "eom"),
    [
        ("Payment terms: net 30.", 30, False),
        ("Invoices are payable Net-45.", 45, False),
        ("payable within forty-five (45) days of receipt of invoice", 45, False),
        ("Customer will settle invoices 30 (thirty) days after the date of invoice.", 30, False),
        ("Invoices are due upon receipt.", 0, False),
        ("All invoices are payable on receipt.", 0, False),
        ("Invoices are payable 60 days end of month.", 60, True),
        ("Terms are net 60 EOM.", 60, True),
        ("Payment is due thirty days after the invoice date.", 30, False),
        ("shall be paid within sixty (60) calendar days from the date of invoice", 60, False),
    ],
)
def test_find_payment_terms(text: str, days: int, eom: bool) -> None:
    terms = find_payment_terms(text)
    assert terms and terms[0].days == days and terms[0].eom is eom


@pytest.mark.parametrize(
    "text",
    [
        "Payment to the Subcontractor is made on a pay-when-paid basis.",
        "Payment is contingent upon receipt of payment from the Client.",
        "Customer shall pay within 10 days of Customer's receipt of the corresponding payment from the project owner.",
        "A pay if paid clause applies.",
    ],
)
def test_find_pay_when_paid(text: str) -> None:
    assert find_pay_when_paid(text)


@pytest.mark.parametrize(
    ("text", "day_first", "value"),
    [
        ("2026-03-03", False, dt.date(2026, 3, 3)),
        ("March 3, 2026", False, dt.date(2026, 3, 3)),
        ("3 March 2026", False, dt.date(2026, 3, 3)),
        ("Sept. 15th, 2026", False, dt.date(2026, 9, 15)),
        ("03/04/2026", False, dt.date(2026, 3, 4)),
        ("03/04/2026", True, dt.date(2026, 4, 3)),
        ("25/12/2026", False, dt.date(2026, 12, 25)),
        ("the 1st day of June, 2026", False, dt.date(2026, 6, 1)),
        ("the first day of June 2026", False, dt.date(2026, 6, 1)),
        ("22.03.2024", True, dt.date(2024, 3, 22)),
    ],
)
def test_find_dates(text: str, day_first: bool, value: dt.date) -> None:
    assert [d.value for d in find_dates(text, day_first=day_first)] == [value]


def test_period_end_covers_whole_months() -> None:
    assert period_end(dt.date(2026, 3, 1), 6, "months") == dt.date(2026, 8, 31)


def _billing(text: str) -> dict[str, Any]:
    document = ingest(text.encode("utf-8"), filename="sow.txt")
    result = extract_billing(document)
    dumped = result.billing.model_dump(mode="json")
    for name, value in dumped.items():
        items = value if isinstance(value, list) else [value] if value else []
        for item in items:
            assert 0.0 <= item["confidence"] <= 1.0
            for evidence in item["evidence"]:
                page = document.page(evidence["page"])
                assert page.text[evidence["start"] : evidence["end"]] == evidence["quote"], name
    return dumped


def _value(billing: dict[str, Any], name: str) -> Any:
    return billing[name]["value"] if billing[name] else None


@pytest.mark.parametrize(
    ("text", "field", "expected"),
    [
        (
            "Fees. The Services are provided on a time and materials basis.",
            "billing_model",
            "time_and_materials",
        ),
        ("Fees. This is a T&M engagement billed monthly.", "billing_model", "time_and_materials"),
        (
            "Compensation. Contractor will be paid a firm fixed price of $80,000.",
            "billing_model",
            "fixed_fee",
        ),
        ("Fees. Client shall pay a lump sum of £40,000.", "billing_model", "fixed_fee"),
        ("Fees. Payment is made on a milestone basis as set out below.", "billing_model", "milestone"),
        ("Fees. Client shall pay a monthly retainer of $10,000.", "billing_model", "retainer"),
        ("Pricing. A combination of fixed fee and time and materials applies.", "billing_model", "mixed"),
        (
            "Fees. This is not a time and materials engagement; it is a fixed fee of $5,000.",
            "billing_model",
            "fixed_fee",
        ),
        ("All amounts are in Euros.", "currency", "EUR"),
        ("Fees are payable in Pounds Sterling (GBP).", "currency", "GBP"),
        ("The fee is C$ 45,000 in total.", "currency", "CAD"),
        ("The total fee for the Services is $120,000.00.", "total_fee", 120000.0),
        ("Fees are estimated at USD 2.5M.", "total_fee", 2500000.0),
        (
            "Contractor will perform the Services for a fixed fee of one hundred thousand dollars ($100,000).",
            "total_fee",
            100000.0,
        ),
        (
            "The Client shall pay EUR 1.250.000,00 in total for the Services, totalling EUR 1.250.000,00.",
            "total_fee",
            1250000.0,
        ),
        ("Fees shall not exceed $150,000 without a change order.", "not_to_exceed", 150000.0),
        ("A not-to-exceed ceiling of €90.000,00 applies to all fees.", "not_to_exceed", 90000.0),
        ("Total charges are capped at £75,000.", "not_to_exceed", 75000.0),
        ("Invoices are payable net 45.", "payment_terms_days", 45),
        ("Client shall pay each invoice within thirty (30) days of receipt.", "payment_terms_days", 30),
        ("All invoices are due upon receipt.", "payment_terms_days", 0),
        ("Payment shall be made 60 days end of month following the invoice.", "payment_terms_days", 60),
        ("Consultant will invoice monthly in arrears.", "invoice_frequency", "monthly"),
        ("Invoices are issued every two weeks.", "invoice_frequency", "biweekly"),
        ("Supplier shall submit invoices twice monthly.", "invoice_frequency", "semimonthly"),
        ("The firm will invoice quarterly.", "invoice_frequency", "quarterly"),
        ("Invoices are issued weekly.", "invoice_frequency", "weekly"),
        ("The firm will invoice upon completion of each Milestone.", "invoice_frequency", "on_milestone"),
        ("The full fee is invoiced in advance.", "invoice_frequency", "upfront"),
        ("Consultant will invoice on completion of the Services.", "invoice_frequency", "on_completion"),
        (
            "This SOW shall commence on March 3, 2026 and continue until September 30, 2026.",
            "start_date",
            "2026-03-03",
        ),
        (
            "This SOW shall commence on March 3, 2026 and continue until September 30, 2026.",
            "end_date",
            "2026-09-30",
        ),
        ("Period of performance: 1 April 2026 to 31 July 2026.", "end_date", "2026-07-31"),
        ("The Services begin on the 1st day of June, 2026.", "start_date", "2026-06-01"),
        (
            "The term begins on March 1, 2026 and continues for a period of six (6) months.",
            "end_date",
            "2026-08-31",
        ),
        ("Late payments bear interest at 1.5% per month.", "late_fee_percent_per_month", 1.5),
        ("Overdue amounts accrue interest at 18% per annum.", "late_fee_percent_per_month", 1.5),
        (
            "Client may withhold 10% of each invoice as retainage until final acceptance.",
            "retainage_percent",
            10.0,
        ),
        ("A holdback of 5% applies to each payment.", "retainage_percent", 5.0),
        ("Travel expenses are reimbursable at cost, up to a cap of $5,000.", "expenses_reimbursable", True),
        ("Travel expenses are reimbursable at cost, up to a cap of $5,000.", "expenses_cap", 5000.0),
        ("The fees include all expenses; no expenses are reimbursable.", "expenses_reimbursable", False),
        ("Out-of-pocket expenses will not be reimbursed.", "expenses_reimbursable", False),
        ("Client will reimburse reasonable travel expenses, not to exceed €2.000.", "expenses_cap", 2000.0),
        # "monthly" inside "twice monthly", and a late-fee sentence's "per month", are no monthly invoicing.
        (
            "Provider shall submit invoices twice monthly.\nPast-due invoices incur a finance charge of 2% per month.",
            "invoice_frequency",
            "semimonthly",
        ),
        ("Invoices are rendered semi-monthly and are due net 30.", "invoice_frequency", "semimonthly"),
    ],
)
def test_extract_billing_field(text: str, field: str, expected: Any) -> None:
    assert _value(_billing(text), field) == expected


def test_late_fee_converted_from_per_annum_says_so() -> None:
    billing = _billing("Overdue amounts accrue interest at 18% per annum.")
    assert "per annum" in billing["late_fee_percent_per_month"]["note"]


def test_statutory_interest_over_base_rate_is_not_a_fixed_late_fee() -> None:
    billing = _billing(
        "Interest on late payments shall accrue at 4% per annum above the Bank of England base rate."
    )
    assert billing["late_fee_percent_per_month"] is None


def test_pay_when_paid_is_flagged_and_gives_no_days() -> None:
    billing = _billing(
        "Payment to Consultant is contingent upon receipt of payment from the Client, within 10 days."
    )
    assert billing["pay_when_paid"]["value"] is True
    assert billing["payment_terms_days"] is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Fees. Rates: Senior Consultant at $225 per hour; Project Manager: $180 per hour.",
            [("Senior Consultant", 225.0, "hour"), ("Project Manager", 180.0, "hour")],
        ),
        ("Fees. A Data Architect will be charged €1.100 per day.", [("Data Architect", 1100.0, "day")]),
        (
            "Rate card:\n\nRole          Rate (GBP)    Unit\nAnalyst       £650          Daily\nPartner       £1,400        Daily\n",
            [("Analyst", 650.0, "day"), ("Partner", 1400.0, "day")],
        ),
        (
            "Rates\n\nPosition\tHourly Rate\nDeveloper\t$150\nTester\t$95\n",
            [("Developer", 150.0, "hour"), ("Tester", 95.0, "hour")],
        ),
    ],
)
def test_extract_rates_from_prose_and_tables(text: str, expected: list[tuple[str, float, str]]) -> None:
    rates = _billing(text)["rates"]
    assert [(r["value"]["role"], r["value"]["rate"], r["value"]["unit"]) for r in rates] == expected


def test_extract_milestones_table_and_percent_only_amounts_stay_null() -> None:
    text = (
        "Fees are payable on a milestone basis, totalling $100,000.\n\n"
        "Milestone          Due date          Amount      Percent\n"
        "Kickoff            March 3, 2026     $40,000     40%\n"
        "Final report       June 1, 2026                  60%\n"
    )
    milestones = _billing(text)["milestones"]
    values = [m["value"] for m in milestones]
    assert values == [
        {"name": "Kickoff", "amount": 40000.0, "percent": 40.0, "due_date": "2026-03-03"},
        {"name": "Final report", "amount": None, "percent": 60.0, "due_date": "2026-06-01"},
    ]


def test_milestones_that_do_not_add_up_lower_confidence_and_warn() -> None:
    text = (
        "The total fee is $100,000.\n\nMilestone     Amount\nDesign        $30,000\nBuild         $30,000\n"
    )
    document = ingest(text.encode(), filename="sow.txt")
    result = extract_billing(document)
    assert any("add up to 60,000.00" in w for w in result.warnings)
    assert result.billing.total_fee is not None
    assert result.billing.total_fee.confidence < result.raw_scores["total_fee"]


def test_end_before_start_is_warned_about() -> None:
    document = ingest(
        b"The Services commence on June 1, 2026 and end on January 1, 2026.", filename="sow.txt"
    )
    assert any("before the start date" in w for w in extract_billing(document).warnings)


def test_silent_sow_returns_nulls_not_guesses() -> None:
    billing = _billing(
        "The parties will cooperate in good faith. Section 5.2 governs notices within 30 days."
    )
    assert all(
        billing[name] is None for name in ("total_fee", "payment_terms_days", "currency", "billing_model")
    )


def test_a_hand_written_sow_in_another_firms_layout() -> None:
    from pathlib import Path

    billing = _billing((Path(__file__).with_name("sow_northwind.txt")).read_text(encoding="utf-8"))
    assert _value(billing, "billing_model") == "time_and_materials"
    assert _value(billing, "total_fee") == 48500.0
    assert _value(billing, "not_to_exceed") == 55000.0
    assert _value(billing, "payment_terms_days") == 30
    assert _value(billing, "invoice_frequency") == "monthly"
    assert (_value(billing, "start_date"), _value(billing, "end_date")) == ("2026-01-05", "2026-03-31")
    assert _value(billing, "late_fee_percent_per_month") == 1.5
    assert _value(billing, "expenses_reimbursable") is True
    assert _value(billing, "expenses_cap") is None  # "10% of fees" is not an absolute cap
    assert [(r["value"]["role"], r["value"]["rate"]) for r in billing["rates"]] == [
        ("Engagement Lead", 210.0),
        ("Senior Analyst", 150.0),
        ("Analyst", 110.0),
    ]


def test_lettered_items_are_separate_units_and_wrapped_rates_are_read() -> None:
    text = (
        "(b) Provider will bill on a time and materials basis; fees are estimated at 240,000.00 USD.\n"
        "(c) The rates are: Data Scientist: 325 USD per hour; UX Designer: 255 USD hourly; Data Engineer: 290\n"
        "USD per hour.\n"
        "(d) Provider shall submit invoices twice monthly.\n"
    )
    billing = _billing(text)
    assert _value(billing, "total_fee") == 240000.0
    assert _value(billing, "invoice_frequency") == "semimonthly"
    assert [(r["value"]["role"], r["value"]["rate"]) for r in billing["rates"]] == [
        ("Data Scientist", 325.0),
        ("UX Designer", 255.0),
        ("Data Engineer", 290.0),
    ]


def test_payment_schedule_list_items_are_milestones() -> None:
    text = (
        "Fees. The fixed fee of $50,000 is payable as follows:\n"
        "- 30% ($15,000) upon signing of this SOW;\n"
        "- 40% ($20,000) upon acceptance of the Design Document;\n"
        "- 30% ($15,000) on completion of User Acceptance Testing.\n"
        "Invoices are due net 30.\n"
        "- 10% discount on renewals.\n"
    )
    billing = _billing(text)
    assert [
        (m["value"]["name"], m["value"]["amount"], m["value"]["percent"]) for m in billing["milestones"]
    ] == [
        ("Upon signing of this SOW", 15000.0, 30.0),
        ("Upon acceptance of the Design Document", 20000.0, 40.0),
        ("On completion of User Acceptance Testing", 15000.0, 30.0),
    ]


def test_a_uk_style_docx_sow_with_a_day_rate_table() -> None:
    import io

    import docx

    document = docx.Document()
    for text in [
        "SCHEDULE 3 - STATEMENT OF WORK",
        "1. Term",
        "This Statement of Work shall take effect on 04/05/2026 and shall continue for a period of nine (9) months.",
        "2. Charges",
        "The Charges are calculated on a time and materials basis at the day rates set out below, subject to an overall cap of £180,000 (exclusive of VAT).",
    ]:
        document.add_paragraph(text)
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate(
        [
            ["Grade", "Day Rate (£)", "Estimated Days"],
            ["Principal Consultant", "1,250", "40"],
            ["Analyst", "600", "60"],
        ]
    ):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    for text in [
        "3. Invoicing and Payment",
        "The Supplier shall invoice the Customer monthly in arrears. The Customer shall pay each valid invoice within 30 days from the end of the month in which it is received.",
        "Expenses shall be recharged at cost and shall not exceed £7,500 in aggregate.",
        "Interest shall be payable on late payments at 4% per annum above the Bank of England base rate.",
    ]:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    ingested = ingest(buffer.getvalue(), filename="albion.docx")
    billing = extract_billing(ingested).billing.model_dump(mode="json")
    assert _value(billing, "start_date") == "2026-05-04"  # day-first: a GBP document
    assert _value(billing, "end_date") == "2027-02-03"
    assert "computed" in billing["end_date"]["note"]
    assert _value(billing, "not_to_exceed") == 180000.0
    assert (
        _value(billing, "payment_terms_days") == 30
        and "end-of-month" in billing["payment_terms_days"]["note"]
    )
    assert _value(billing, "expenses_cap") == 7500.0
    assert _value(billing, "late_fee_percent_per_month") is None
    assert [
        (r["value"]["role"], r["value"]["rate"], r["value"]["unit"], r["value"]["currency"])
        for r in billing["rates"]
    ] == [
        ("Principal Consultant", 1250.0, "day", "GBP"),
        ("Analyst", 600.0, "day", "GBP"),
    ]


_STYLES = {
    "us": lambda n: f"${n:,.2f}",
    "eu": lambda n: "EUR " + f"{n:,.2f}".replace(",", "X").replace(".", ",").replace("X", "."),
    "space": lambda n: f"{n:,.2f}".replace(",", " ").replace(".", ",") + " €",
    "code_after": lambda n: f"{n:,.0f} GBP",
}


@given(amount=st.integers(min_value=1, max_value=99_999_999), style=st.sampled_from(sorted(_STYLES)))
@settings(max_examples=200, deadline=None)
def test_find_money_round_trips_formatted_amounts(amount: int, style: str) -> None:
    text = f"The fee is {_STYLES[style](amount)} in total."
    found = find_money(text)
    assert len(found) == 1
    assert found[0].amount == float(amount)


def test_pdf_milestone_table_across_a_page_break_with_running_footer() -> None:
    import io

    from reportlab.lib.pagesizes import letter
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

    def footer(canvas, doc):  # type: ignore[no-untyped-def]
        canvas.setFont("Helvetica", 8)
        canvas.drawString(72, 30, f"Acme SOW 7 - Page {doc.page}")

    rows = [["Milestone", "Due date", "Amount"]]
    rows += [[f"M{i} Sprint {i} review", f"March {i % 28 + 1}, 2026", f"$1,{i:03d}.00"] for i in range(1, 46)]
    total = sum(1000 + i for i in range(1, 46))
    styles = getSampleStyleSheet()
    story = [
        Paragraph(
            f"Fees are payable on a milestone basis as follows, totalling ${total:,}.",
            styles["Normal"],
        ),
        Paragraph("The Services commence on March 1, 2026 and end on March 31, 2026.", styles["Normal"]),
        Table(rows, repeatRows=1),
    ]
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=letter).build(story, onFirstPage=footer, onLaterPages=footer)
    document = ingest(buffer.getvalue(), filename="milestones.pdf")
    assert len(document.pages) >= 2
    result = extract_billing(document)
    milestones = result.billing.milestones
    assert [m.value.name for m in milestones] == [f"M{i} Sprint {i} review" for i in range(1, 46)]
    assert [m.value.amount for m in milestones] == [1000.0 + i for i in range(1, 46)]
    assert {e.page for m in milestones for e in m.evidence} == set(range(1, len(document.pages) + 1))
    assert result.billing.total_fee is not None and result.billing.total_fee.value == float(total)
    assert not [w for w in result.warnings if "add up" in w]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Commercials\n\nProfessional Fees: $48,000\nPayment: net 30\n", 48000.0),
        ("Contract Value – £96,500 (excluding VAT).", 96500.0),
        ("Fees: $150 per hour.", None),
    ],
)
def test_total_fee_from_labelled_lines(text: str, expected: float | None) -> None:
    assert _value(_billing(text), "total_fee") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Fees. The Services are provided for a fixed fee of $90,000. Additional work outside the scope will be charged on a time and materials basis.",
            "fixed_fee",
        ),
        (
            "Fees. The Services are charged on a time and materials basis. Change requests may be priced as a fixed fee.",
            "time_and_materials",
        ),
        (
            "Fees. Phase 1 is a fixed fee of $20,000; Phase 2 is billed on a time and materials basis.",
            "mixed",
        ),
    ],
)
def test_billing_model_is_not_mixed_by_change_work(text: str, expected: str) -> None:
    assert _value(_billing(text), "billing_model") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Hourly rates: Senior Developer $175, Junior Developer $95.",
            [("Senior Developer", 175.0, "hour"), ("Junior Developer", 95.0, "hour")],
        ),
        ("Services will be billed at a blended rate of $185 per hour.", [("Blended rate", 185.0, "hour")]),
        (
            "Rates: Partner – USD 450/hour; Manager – USD 300/hour.",
            [("Partner", 450.0, "hour"), ("Manager", 300.0, "hour")],
        ),
        (
            "Daily rates: Lead Architect €1.400; Engineer €900.",
            [("Lead Architect", 1400.0, "day"), ("Engineer", 900.0, "day")],
        ),
    ],
)
def test_prose_rate_lists_with_the_unit_in_the_lead_in(
    text: str, expected: list[tuple[str, float, str]]
) -> None:
    rates = _billing(text)["rates"]
    assert [(r["value"]["role"], r["value"]["rate"], r["value"]["unit"]) for r in rates] == expected


@pytest.mark.parametrize("text", ["Payment terms are thirty days net.", "Terms: 30 days net."])
def test_days_net(text: str) -> None:
    assert _value(_billing(text), "payment_terms_days") == 30


def test_figures_restated_in_words_are_one_mention() -> None:
    text = "fees shall not exceed USD 480,000 (four hundred eighty thousand dollars) in total"
    found = find_money(text)
    assert [(m.amount, m.currency) for m in found] == [(480_000.0, "USD")]
    assert text[found[0].start : found[0].end] == "USD 480,000 (four hundred eighty thousand dollars)"


def test_a_cap_stated_in_figures_and_words_is_not_a_total_fee() -> None:
    billing = _billing(
        "Fees. Services are billed on a time and materials basis. Total fees under this SOW shall not exceed USD 480,000 (four hundred eighty thousand dollars) without a change order."
    )
    assert billing["total_fee"] is None
    assert _value(billing, "not_to_exceed") == 480_000.0


@pytest.mark.parametrize(
    ("text", "amount"),
    [("INR 24,00,000", 2_400_000.0), ("Rs. 1,25,000.50", 125_000.5), ("₹ 3,50,000", 350_000.0)],
)
def test_find_money_reads_indian_lakh_grouping(text: str, amount: float) -> None:
    assert [(m.amount, m.currency) for m in find_money(f"a fee of {text} applies")] == [(amount, "INR")]


@pytest.mark.parametrize(
    ("text", "days", "eom"),
    [
        ("Invoices are payable net forty-five.", 45, False),
        ("Payment terms: 30 days from the date of a correctly rendered tax invoice.", 30, False),
        ("pay each valid invoice within 30 days from the end of the month in which it is received", 30, True),
    ],
)
def test_find_payment_terms_more_phrasings(text: str, days: int, eom: bool) -> None:
    terms = find_payment_terms(text)
    assert terms and terms[0].days == days and terms[0].eom is eom


def test_estimate_phrasings_give_the_total_fee() -> None:
    assert _value(_billing("Fees. The total fees are estimated at $420,000."), "total_fee") == 420_000.0
    assert _value(_billing("The estimated fees for this engagement are $88,000."), "total_fee") == 88_000.0


def test_dot_leader_rate_lines_and_per_diem_in_german() -> None:
    billing = _billing(
        "Fees. Billed on a time and materials basis at these rates:\n   Engagement Director ... $310 per hour\n   Sr. Consultant ........ $225 per hour\n"
    )
    assert [(r["value"]["role"], r["value"]["rate"]) for r in billing["rates"]] == [
        ("Engagement Director", 310.0),
        ("Sr. Consultant", 225.0),
    ]
    german = _billing("Fees. Time and materials at a daily rate of €1.200,00 pro Tag (net).")
    assert [(r["value"]["rate"], r["value"]["unit"]) for r in german["rates"]] == [(1200.0, "day")]


def test_an_end_date_after_a_signature_start_is_read() -> None:
    billing = _billing(
        "This Statement of Work is effective as of the last date of signature below and shall remain in force until December 31, 2027."
    )
    assert _value(billing, "end_date") == "2027-12-31"
    signed = _billing("Signed by the parties and dated March 3, 2027.")
    assert signed["end_date"] is None and signed["start_date"] is None


def test_dash_labelled_milestone_lines_are_one_milestone_each() -> None:
    billing = _billing(
        "Payment Milestones\nMilestone 1 - Discovery report accepted: $25,000\nMilestone 2 - Prototype delivered: $40,000\nMilestone 3 - Go-live: $35,000\nEach milestone is invoiced on acceptance."
    )
    assert [m["value"]["amount"] for m in billing["milestones"]] == [25_000.0, 40_000.0, 35_000.0]
    assert _value(billing, "total_fee") == 100_000.0


def test_an_inline_percentage_schedule_is_milestones_invoiced_on_milestone() -> None:
    billing = _billing(
        "Fees. The fixed fee of $180,000 shall be invoiced as follows: 30% on signature of this SOW, 40% on delivery of Phase 2, and 30% on acceptance of the final deliverables."
    )
    assert [m["value"]["percent"] for m in billing["milestones"]] == [30.0, 40.0, 30.0]
    assert _value(billing, "invoice_frequency") == "on_milestone"
    assert _value(billing, "total_fee") == 180_000.0
    # One share with an event is no schedule; a late-fee sentence is no schedule.
    single = _billing("Fees. 50% of the fee is due on signature. Invoices are issued monthly.")
    assert single["milestones"] == [] and _value(single, "invoice_frequency") == "monthly"


def test_a_part_payment_or_one_part_of_a_mixed_sow_is_not_the_total_fee() -> None:
    assert (
        _billing("The mobilisation fee of $20,000 is payable upon receipt of invoice.")["total_fee"] is None
    )
    mixed = _billing(
        "Fees. The Discovery phase will be delivered for a fixed fee of $60,000. The Build phase will be performed on a time-and-materials basis with an estimated cost of $240,000."
    )
    assert _value(mixed, "billing_model") == "mixed" and mixed["total_fee"] is None
    stated = _billing(
        "Fees. Discovery is a fixed fee of $60,000 and Build is time and materials; the total estimated fees are $300,000."
    )
    assert _value(stated, "total_fee") == 300_000.0


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        (
            "Charges. The Charges are a fixed annual charge of £360,000, invoiced quarterly in advance.",
            "total_fee",
            360_000.0,
        ),
        (
            "Charges. The Charges are a fixed annual charge of £360,000, invoiced quarterly in advance.",
            "billing_model",
            "fixed_fee",
        ),
        (
            "Fees. Services will be billed monthly at an hourly rate of EUR 140,00 per hour. Payment terms: 45 days end of month.",
            "payment_terms_days",
            45,
        ),
        (
            "Expenses. Travel and subsistence will be re-charged at cost, capped at the lower of 8% of the fees or £12,000.",
            "expenses_cap",
            12_000.0,
        ),
        ("Expenses: The fees set out above are inclusive of all expenses.", "expenses_reimbursable", False),
        (
            "Expenses. Consultant shall bear its own travel and accommodation costs.",
            "expenses_reimbursable",
            False,
        ),
        (
            "Fees. The Supplier will deliver Phase 2 for a fixed price of $85,000, payable on completion.",
            "invoice_frequency",
            "on_completion",
        ),
    ],
)
def test_second_batch_phrasings(text: str, field: str, value: Any) -> None:
    assert _value(_billing(text), field) == value


def test_a_retainer_amount_or_another_sows_fees_are_not_the_total() -> None:
    retainer = _billing(
        "Professional Fees: The Client shall pay a monthly retainer fee of ₹ 2,50,000 plus GST."
    )
    assert retainer["total_fee"] is None
    assert _value(retainer, "invoice_frequency") == "monthly"
    assert "implied" in retainer["invoice_frequency"]["note"]
    prior = _billing(
        "Under SOW No. 3 the Supplier delivered Phase 1 for fees totalling $50,000 (now fully paid). Fees for this SOW: a fixed price of $85,000."
    )
    assert _value(prior, "total_fee") == 85_000.0


def test_one_rate_for_all_work_and_named_rates() -> None:
    single = _billing("Remuneration: compensated on a time and material basis at CHF 1'800 per day.")
    assert [(r["value"]["role"], r["value"]["rate"], r["value"]["unit"]) for r in single["rates"]] == [
        ("Standard rate", 1800.0, "day")
    ]
    hourly = _billing("Fees. Services will be billed monthly at an hourly rate of EUR 140,00 per hour.")
    assert [(r["value"]["rate"], r["value"]["currency"]) for r in hourly["rates"]] == [(140.0, "EUR")]
    # A per-day amount that is not a rate (a penalty) gives no rate.
    assert _billing("Liquidated damages of €1,000 per day apply to late delivery.")["rates"] == []


def test_a_code_before_a_dollar_sign_names_the_currency() -> None:
    found = find_money("a firm fixed price of CAD $212,500, plus HST")
    assert [(m.amount, m.currency) for m in found] == [(212_500.0, "CAD")]


def test_third_batch_phrasings() -> None:
    assert (
        _value(
            _billing("Payment plan (all amounts in EUR, excl. VAT). Invoices are payable within 30 days."),
            "currency",
        )
        == "EUR"
    )
    assert (
        _billing("The Supplier shall maintain cyber insurance of $5,000,000 per claim.")["currency"] is None
    )
    assert _billing("Fees. The Client will pay a fixed monthly fee of $9,000.")["total_fee"] is None
    tm = _billing("Consultant's time will be billed at the rates in Exhibit B, monthly in arrears.")
    assert _value(tm, "billing_model") == "time_and_materials"
    man_day = _billing(
        "Commercial Terms: billed on a time and material basis at INR 18,000 per man-day for Senior Consultants and INR 11,500 per man-day for Consultants."
    )
    assert [(r["value"]["role"], r["value"]["rate"], r["value"]["unit"]) for r in man_day["rates"]] == [
        ("Senior Consultants", 18_000.0, "day"),
        ("Consultants", 11_500.0, "day"),
    ]


def test_a_hyphenated_past_due_finance_charge_is_a_late_fee() -> None:
    billing = _billing(
        "Invoices are payable net 45. Past-due invoices incur a finance charge of 1.5% per month."
    )
    assert _value(billing, "late_fee_percent_per_month") == 1.5


def test_a_rate_table_whose_header_was_pushed_into_its_rows() -> None:
    from extraction.document import Table, TableCell

    text = "Fees. T&M.\nProvider    CONFIDENTIAL    sow-7\nRole    Rate (EUR)    Unit\nBusiness Analyst    245 EUR    Hourly\nDeveloper    130 EUR    Hourly\n"
    document = ingest(text.encode("utf-8"), filename="sow.txt")
    page_text = document.pages[0].text

    def row(line: str, *cells: str) -> tuple[TableCell, ...]:
        base = page_text.index(line)
        return tuple(
            TableCell(1, base + line.index(c), base + line.index(c) + len(c), c, line.index(c)) for c in cells
        )

    document.tables = [
        Table(
            header=(),
            rows=(
                row("Provider    CONFIDENTIAL    sow-7", "Provider", "CONFIDENTIAL", "sow-7"),
                row("Role    Rate (EUR)    Unit", "Role", "Rate (EUR)", "Unit"),
                row("Business Analyst    245 EUR    Hourly", "Business Analyst", "245 EUR", "Hourly"),
                row("Developer    130 EUR    Hourly", "Developer", "130 EUR", "Hourly"),
            ),
        )
    ]
    rates = extract_billing(document).billing.rates
    assert [(r.value.role, r.value.rate, r.value.unit, r.value.currency) for r in rates] == [
        ("Business Analyst", 245.0, "hour", "EUR"),
        ("Developer", 130.0, "hour", "EUR"),
    ]
