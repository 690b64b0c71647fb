# ruff: noqa: E501  (cases read better one a line)
"""General billing rules, one test per class of unseen-document miss, several phrasings each.

The classes come from the realistic batches' miss taxonomy (docs/extraction.md): currencies
no rule knew, stray letters that must not become money, anchor words of other traditions and
languages (rates, totals, caps, payment terms, terms), and list prices beside discounted
rates. The words themselves live in ``extraction.billing.vocabulary``; these cases were
written for this round and scored with the code before it (see docs/extraction.md).
"""

from __future__ import annotations

from typing import Any

import pytest

from extraction import ingest
from extraction.billing import extract_billing
from extraction.billing.money import document_krona, find_money


def _billing(text: str) -> dict[str, Any]:
    document = ingest(text.encode("utf-8"), filename="sow.txt")
    return extract_billing(document).billing.model_dump(mode="json")


def _value(billing: dict[str, Any], field: str) -> Any:
    item = billing[field]
    return item["value"] if item else None


def _rates(billing: dict[str, Any]) -> list[tuple[float, str]]:
    return sorted((round(r["value"]["rate"], 2), r["value"]["unit"]) for r in billing["rates"])


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("RM 85,000", 85000, "MYR"),
        ("120 000 zł netto", 120000, "PLN"),
        ("480 000 Kč", 480000, "CZK"),
        ("Rp 450.000.000", 450000000, "IDR"),
        ("3 500 000 Ft", 3500000, "HUF"),
        ("KSh 2,400,000", 2400000, "KES"),
        ("RMB 680,000", 680000, "CNY"),
        ("NT$ 1,200,000", 1200000, "TWD"),
        ("₪ 240,000", 240000, "ILS"),
        ("฿ 900,000", 900000, "THB"),
        ("RON 95.000", 95000, "RON"),
        ("95.000 lei", 95000, "RON"),
        ("Dhs 300,000", 300000, "AED"),
        ("SR 420,000", 420000, "SAR"),
        ("KD 35,000", 35000, "KWD"),
        ("TRY 1.250.000", 1250000, "TRY"),
        ("PEN 180,000", 180000, "PEN"),
        ("VND 1,200,000,000", 1200000000, "VND"),
        ("1 250 kr", 1250, "SEK"),
    ],
)
def test_find_money_reads_currency_codes_symbols_and_letters(text: str, amount: float, currency: str) -> None:
    found = find_money(text)
    assert [(m.amount, m.currency) for m in found] == [(amount, currency)]


@pytest.mark.parametrize(
    "text",
    [
        "All 12 deliverables are listed",
        "Try 3 options first",
        "the top 10 risks",
        "TOP 100 RISKS",
        "ALL 500 SITES",
        "Room RM 12 is booked",
        "deliver 5 kr modules",
        "the AMD 5950X servers",
        "PEN 15 tests",
    ],
)
def test_find_money_leaves_stray_letters_alone(text: str) -> None:
    assert find_money(text) == []


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Konsulten debiterar 1 250 kr per timme exklusive moms och resor.", "SEK"),
        ("Konsulenten fakturerer 1 400 kr per time eksklusive mva.", "NOK"),
        ("Konsulenten fakturerer 1 100 kr. pr. time ekskl. moms. Leverandør ApS.", "DKK"),
        ("Fee 1 100 kr per day; all figures in DKK.", "DKK"),
    ],
)
def test_document_krona_follows_codes_then_country_cues(text: str, code: str) -> None:
    assert document_krona(text) == code


@pytest.mark.parametrize(
    ("text", "field", "expected"),
    [
        # de
        ("Vergütung\n\nDie Vergütung erfolgt zum Festpreis von EUR 48.000,00 zzgl. MwSt.\n", "total_fee", 48000),
        ("Vergütung\n\nAbrechnung nach Aufwand, Kostenobergrenze EUR 60.000,00.\n", "not_to_exceed", 60000),
        ("Vergütung\n\nDie Rechnungen sind zahlbar innerhalb von 14 Tagen.\n", "payment_terms_days", 14),
        # fr
        ("Prix\n\nLe prix forfaitaire est de 85 000 € HT. Paiement à 30 jours.\n", "total_fee", 85000),
        ("Prix\n\nLe prix forfaitaire est de 85 000 € HT. Paiement à 30 jours.\n", "payment_terms_days", 30),
        ("Prix\n\nRégie au taux de 95 € HT de l'heure, dans la limite d'un montant maximum de 40 000 € HT.\n",
         "not_to_exceed", 40000),
        # es
        ("Precio\n\nEl precio fijo del proyecto es de 50.000 € más IVA.\n", "total_fee", 50000),
        ("Honorarios\n\nTarifa diaria: 600 € por día. Importe máximo: 30.000 €.\n", "not_to_exceed", 30000),
        ("Honorarios\n\nLa tarifa por hora es de 85 € más IVA. Plazo de pago: 30 días.\n", "payment_terms_days", 30),
        # nl
        ("Prijs\n\nDe vaste prijs bedraagt € 64.000 exclusief btw.\n", "total_fee", 64000),
        ("Vergoeding\n\nOp basis van nacalculatie met een maximum van € 25.000 exclusief btw.\n", "not_to_exceed",
         25000),
        ("Vergoeding\n\nHet uurtarief bedraagt € 95 exclusief btw. Betaaltermijn: 30 dagen.\n", "payment_terms_days",
         30),
        # it
        ("Corrispettivo\n\nIl corrispettivo forfettario è di € 72.000 oltre IVA. Pagamento a 60 giorni data fattura.\n",
         "total_fee", 72000),
        ("Corrispettivo\n\nIl corrispettivo forfettario è di € 72.000 oltre IVA. Pagamento a 60 giorni data fattura.\n",
         "payment_terms_days", 60),
        # pt
        ("Preço\n\nO preço fixo é de € 40.000 acrescido de IVA.\n", "total_fee", 40000),
        ("Honorários\n\nO valor por hora é de R$ 250,00. Prazo de pagamento: 30 dias.\n", "payment_terms_days", 30),
        # sv
        ("Pris\n\nFast pris: 420 000 SEK exklusive moms.\n", "total_fee", 420000),
        ("Arvode\n\nArbetet debiteras löpande med ett takpris om 300 000 SEK.\n", "not_to_exceed", 300000),
        # pl
        ("Wynagrodzenie\n\nWynagrodzenie ryczałtowe wynosi 120 000 PLN netto. Termin płatności: 30 dni.\n",
         "total_fee", 120000),
        ("Wynagrodzenie\n\nWynagrodzenie ryczałtowe wynosi 120 000 PLN netto. Termin płatności: 30 dni.\n",
         "payment_terms_days", 30),
        # English traditions
        ("Pricing\n\nTender Sum: $312,000 (excluding GST).\n", "total_fee", 312000),
        ("Fees\n\nPurchase Order Value: S$128,000 (before GST).\n", "total_fee", 128000),
        ("Fees\n\nWork is charged at our hourly rates. The upper limit of our fees is £45,000 plus VAT.\n",
         "not_to_exceed", 45000),
        ("Fees\n\nTime and materials, with a funding limit of $250,000.\n", "not_to_exceed", 250000),
        ("Payment\n\nPayment terms: strictly 14 days.\n", "payment_terms_days", 14),
    ],
)  # fmt: skip
def test_vocabulary_anchors_totals_caps_and_payment_terms(text: str, field: str, expected: Any) -> None:
    assert _value(_billing(text), field) == expected


@pytest.mark.parametrize(
    ("text", "rates"),
    [
        ("Vergütung\n\nDer Tagessatz beträgt EUR 1.200,00 netto.\n", [(1200, "day")]),
        ("Vergütung\n\nStundensatz: 145,00 EUR.\n", [(145, "hour")]),
        ("Honoraires\n\nLe taux journalier est de 750 € HT par jour.\n", [(750, "day")]),
        ("Honorarios\n\nLa tarifa por hora es de 85 € más IVA.\n", [(85, "hour")]),
        ("Vergoeding\n\nHet uurtarief bedraagt € 95 exclusief btw.\n", [(95, "hour")]),
        ("Corrispettivo\n\nTariffa oraria: € 80 più IVA.\n", [(80, "hour")]),
        ("Honorários\n\nA taxa diária é de 500 € por dia.\n", [(500, "day")]),
        ("Arvode\n\nTimpris: 1 250 SEK exklusive moms.\n", [(1250, "hour")]),
        ("Wynagrodzenie\n\nStawka godzinowa: 180 PLN netto za godzinę.\n", [(180, "hour")]),
        ("Wynagrodzenie\n\nStawka dzienna wynosi 1 400 zł netto.\n", [(1400, "day")]),
        ("Fees\n\nConsultancy is charged at INR 42,000 per person-day.\n", [(42000, "day")]),
    ],
)
def test_vocabulary_rate_labels_and_units(text: str, rates: list[tuple[float, str]]) -> None:
    assert _rates(_billing(text)) == sorted((float(a), u) for a, u in rates)


@pytest.mark.parametrize(
    "text",
    [
        "Laufzeit\n\nDer Vertrag läuft vom 01.03.2027 bis 31.08.2027.\n\nVergütung: EUR 10.000,00 pauschal.\n",
        "Durée\n\nLa mission se déroulera du 1er mars 2027 au 31 août 2027.\n\nPrix : 20 000 € HT.\n",
        "Duración\n\nEl contrato tendrá vigencia del 1 de marzo de 2027 al 31 de agosto de 2027.\n",
        "Okres\n\nUmowa obowiązuje od 1 marca 2027 do 31 sierpnia 2027.\n",
        "Duration\n\nThe engagement runs from 1 March 2027 to 31 August 2027.\n",
    ],
)
def test_term_range_in_other_languages(text: str) -> None:
    billing = _billing(text)
    assert (_value(billing, "start_date"), _value(billing, "end_date")) == ("2027-03-01", "2027-08-31")


@pytest.mark.parametrize(
    ("text", "rates"),
    [
        pytest.param(
            "Fees\n\nOur list rate is €1,400 per day; for this engagement we apply a 20% discount, giving an "
            "effective rate of €1,120 per day.\n",
            [(1120, "day")],
            marks=pytest.mark.xfail(strict=True, reason="'effective rate of' names no role the rules accept"),
        ),
        pytest.param(
            "Fees\n\nPartners are billed at £650 an hour, senior associates at £420 an hour and trainees at £180 "
            "an hour.\n",
            [(650, "hour"), (420, "hour"), (180, "hour")],
            marks=pytest.mark.xfail(strict=True, reason="a lower-case role after 'and' is not split off"),
        ),
        ("Fees\n\nOur standard rates are $300 per hour. For this project we offer a reduced rate of $255 per hour.\n",
         [(255, "hour")]),
    ],
)  # fmt: skip
def test_list_price_beside_discounted_rate(text: str, rates: list[tuple[float, str]]) -> None:
    assert _rates(_billing(text)) == sorted((float(a), u) for a, u in rates)
