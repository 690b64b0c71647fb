# ruff: noqa: E501  (the phrasings read better unbroken)
"""Caps on the fees in other words: cover rows, ceilings for a period, a PO amount named later.

The phrasings are written for these tests, not copied from the hand-written cases.
"""

from __future__ import annotations

from typing import Any

import pytest

from extraction import ingest
from extraction.billing import extract_billing


def _cap(text: str) -> float | None:
    document = ingest(text.encode("utf-8"), filename="sow.txt")
    found: dict[str, Any] | None = extract_billing(document).billing.model_dump(mode="json")["not_to_exceed"]
    if found is None:
        return None
    for evidence in found["evidence"]:
        page = document.page(evidence["page"])
        assert page.text[evidence["start"] : evidence["end"]] == evidence["quote"]
    return float(found["value"])


@pytest.mark.parametrize(
    ("text", "cap"),
    [
        ("De vergoeding bedraagt ten hoogste € 38.500,- exclusief btw, op basis van nacalculatie.", 38500.0),
        (
            "Die Vergütung erfolgt nach Aufwand. Unsere Haftung ist auf einen Höchstbetrag von 500.000,00 € begrenzt.",
            None,
        ),
        (
            "ORDER PARTICULARS\n  Maximum order value (ex GST):     $96,000.00\n  Maximum order value (incl GST):   $105,600.00\n",
            96000.0,
        ),
        (
            "Rates\n  Labor category      Hours    Amount\n  Analyst             400      $52,000\n  Total Not-to-Exceed Amount   $52,000\n",
            52000.0,
        ),
        ("The ceiling price for the initial twelve-month period is $740,000.00.", 740000.0),
        (
            "Purchase order 4410-88 has been raised in the amount of $85,000 for these services.\nWe will not invoice hours that would take total billing over the purchase order value.\nNo work will exceed the purchase order value without a change request.",
            85000.0,
        ),
        (
            "Travel Expenses\nReimbursement for lodging and mileage under this contract will not exceed $3,500, in line with the Management and Budget rules.",
            None,
        ),
    ],
)
def test_caps_in_other_words(text: str, cap: float | None) -> None:
    assert _cap(text) == cap


def test_sums_and_taxes_after_a_rate_card_are_no_rates() -> None:
    text = (
        "Charges\nWork is charged on a time basis at these hourly rates (plus GST):\n\n"
        "   Lead Surveyor                 $240.00\n"
        "   Graduate Surveyor             $135.00\n\n"
        "Fee estimate:                   $18,900.00\n"
        "GST 15%:                        $2,835.00\n"
        "Total estimate (incl. GST):     $21,735.00\n"
    )
    document = ingest(text.encode("utf-8"), filename="sow.txt")
    rates = extract_billing(document).billing.rates
    assert sorted((r.value.rate, r.value.unit) for r in rates) == [(135.0, "hour"), (240.0, "hour")]
