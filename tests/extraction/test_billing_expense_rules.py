# ruff: noqa: E501  (the phrasings read better unbroken)
"""Whether expenses are billed on: cost clauses in other firms' words and ten languages.

The phrasings are written for these tests, not copied from the hand-written cases.
"""

from __future__ import annotations

from typing import Any

import pytest

from extraction import ingest
from extraction.billing import extract_billing


def _expenses(text: str) -> dict[str, Any] | None:
    document = ingest(text.encode("utf-8"), filename="sow.txt")
    found: dict[str, Any] | None = extract_billing(document).billing.model_dump(mode="json")[
        "expenses_reimbursable"
    ]
    if found:
        for evidence in found["evidence"]:
            page = document.page(evidence["page"])
            assert page.text[evidence["start"] : evidence["end"]] == evidence["quote"]
    return found


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # the price covers every cost
        (
            "6. Costs\nThe fixed price includes all costs of the Contractor, including printing and courier fees.",
            False,
        ),
        ("Der Festpreis umfasst sämtliche Kosten des Auftragnehmers, auch Fahrten nach Potsdam.", False),
        ("Le prix global comprend l'ensemble des frais engagés par le prestataire.", False),
        ("Los honorarios incluyen todos los gastos del consultor, incluidos los viajes a Sevilla.", False),
        ("O preço inclui todas as despesas da equipa, incluindo viagens ao Porto.", False),
        ("De vaste prijs is inclusief alle kosten van de opdrachtnemer.", False),
        ("Il corrispettivo comprende tutte le spese sostenute dal fornitore.", False),
        ("Det fasta priset gäller inklusive resor och traktamente.", False),
        ("Cena ryczałtowa obejmuje wszystkie koszty Wykonawcy, w tym koszty noclegów.", False),
        (
            "Site visits\nNo separate mileage or parking charges shall be payable for visits to the depot.",
            False,
        ),
        ("Out-of-pocket costs for the two workshops in Leeds are included in the fee stated above.", False),
        # costs passed on
        (
            "Third-party Costs\nPrinting, courier and venue hire will be passed through to the Client at cost.",
            True,
        ),
        ("Besides our fees we will charge you for disbursements such as search fees and couriers.", True),
        ("Los gastos de alojamiento fuera de Bilbao se facturarán al coste, con justificantes.", True),
        ("As despesas de alojamento são faturadas pelo custo, mediante aprovação prévia.", True),
        ("C.3 DIRECT EXPENSES\nMileage and printing costs are reimbursable without markup.", True),
    ],
)
def test_cost_clauses_say_whether_expenses_are_billed(text: str, value: bool) -> None:
    found = _expenses(text)
    assert found is not None and found["value"] is value


def test_the_rest_billed_after_a_part_included_is_billed() -> None:
    text = (
        "Despesas\nAs deslocações a Braga estão incluídas na avença. Outras despesas são faturadas pelo custo, "
        "com aprovação prévia."
    )
    found = _expenses(text)
    assert found is not None and found["value"] is True
    assert "Outras despesas" in found["evidence"][0]["quote"]


def test_a_cost_word_alone_says_nothing() -> None:
    assert _expenses("The accommodation block is in scope of the design review.") is None


def test_unpaid_work_beyond_a_cap_is_no_expenses_statement() -> None:
    text = "Leistungen über den Höchstbetrag hinaus werden nicht vergütet. Reisekosten werden nach tatsächlichem Aufwand erstattet."
    found = _expenses(text)
    assert found is not None and found["value"] is True


def test_some_costs_included_and_others_reimbursed_is_reimbursable() -> None:
    text = "Local travel within Greater Manchester is included in the monthly fee. Travel elsewhere is reimbursed at cost."
    found = _expenses(text)
    assert found is not None and found["value"] is True
