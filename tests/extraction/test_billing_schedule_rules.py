# ruff: noqa: E501  (the phrasings read better unbroken)
"""Payment schedules outside English: count-of-parts intros, hito calendars and foreign table columns.

The phrasings are written for these tests, not copied from the hand-written cases.
"""

from __future__ import annotations

from typing import Any

import pytest

from extraction import ingest
from extraction.billing import extract_billing


def _billing(text: str) -> dict[str, Any]:
    document = ingest(text.encode("utf-8"), filename="sow.txt")
    dumped = extract_billing(document).billing.model_dump(mode="json")
    for item in dumped["milestones"]:
        for evidence in item["evidence"]:
            page = document.page(evidence["page"])
            assert page.text[evidence["start"] : evidence["end"]] == evidence["quote"]
    return dumped


def _schedule(billing: dict[str, Any]) -> list[tuple[float | None, float | None]]:
    return sorted(
        ((m["value"]["amount"], m["value"]["percent"]) for m in billing["milestones"]),
        key=lambda k: (k[0] or 0, k[1] or 0),
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "§ 4 Wynagrodzenie\n1. Wynagrodzenie ryczałtowe wynosi 90 000,00 zł netto.\n"
            "2. Wynagrodzenie płatne będzie w dwóch ratach:\n   a) 30 000,00 zł netto – po odbiorze projektu,\n"
            "   b) 60 000,00 zł netto – po odbiorze końcowym.\n",
            [(30000.0, None), (60000.0, None)],
        ),
        (
            "3. Honorarios\n3.1 El importe cerrado es de 20.000,00 € más IVA.\n"
            "3.2 Se abonará según el siguiente calendario de hitos:\n    a) 50 % (10.000,00 €) a la firma del contrato;\n"
            "    b) 50 % (10.000,00 €) a la entrega del informe.\n",
            [(10000.0, 50.0), (10000.0, 50.0)],
        ),
    ],
)
def test_a_schedule_announced_in_another_language(
    text: str, expected: list[tuple[float | None, float | None]]
) -> None:
    assert _schedule(_billing(text)) == expected


def test_a_fixed_amount_in_spanish_is_a_fixed_fee() -> None:
    billing = _billing(
        "Los honorarios se fijan en la suma cerrada de 12.000,00 € más IVA, pagaderos a la entrega del informe."
    )
    assert billing["billing_model"]["value"] == "fixed_fee"


@pytest.mark.parametrize(
    ("header", "rows", "expected"),
    [
        ("Nr.   Meilenstein                Anteil   Betrag", ["1     Freigabe Konzept            25 %     5.000,00 EUR", "2     Abnahme                    75 %     15.000,00 EUR"],
         [(5000.0, 25.0), (15000.0, 75.0)]),
        ("N°    Jalon                      Pourcentage   Montant", ["1     Validation du cadrage      40 %          8 000,00 €", "2     Recette finale             60 %          12 000,00 €"],
         [(8000.0, 40.0), (12000.0, 60.0)]),
    ],
)  # fmt: skip
def test_a_schedule_table_with_foreign_columns(
    header: str, rows: list[str], expected: list[tuple[float | None, float | None]]
) -> None:
    text = "Zahlungsbedingungen / Conditions de paiement\n\n" + "\n".join([header, *rows]) + "\n"
    assert _schedule(_billing(text)) == expected


@pytest.mark.parametrize(
    ("text", "total", "currency"),
    [
        ("3. Pris\nDet fasta priset är 640 000 kronor (SEK) exklusive moms.", 640000.0, "SEK"),
        (
            "Les honoraires sont fixés forfaitairement à CHF 52'000.– hors TVA. Le coût moyen d'une journée est indicatif.",
            52000.0,
            "CHF",
        ),
    ],
)
def test_fixed_prices_in_swedish_and_swiss_french(text: str, total: float, currency: str) -> None:
    billing = _billing(text)
    assert billing["total_fee"]["value"] == total
    assert billing["currency"]["value"] == currency
