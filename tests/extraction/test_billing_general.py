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
from tests.extraction.test_billing_realistic import SCALAR_FIELDS


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
        ("Fees\n\nOur list rate is €1,400 per day; for this engagement we apply a 20% discount, giving an "
         "effective rate of €1,120 per day.\n", [(1120, "day")]),
        ("Fees\n\nOur standard rates are $300 per hour. For this project we offer a reduced rate of $255 per hour.\n",
         [(255, "hour")]),
        ("Fees\n\nPartners are billed at £650 an hour, senior associates at £420 an hour and trainees at £180 an hour.\n",
         [(650, "hour"), (420, "hour"), (180, "hour")]),
        ("Fees\n\nThe per diem rate is CAD 1,150.\n", [(1150, "day")]),
    ],
)  # fmt: skip
def test_list_price_beside_discounted_rate(text: str, rates: list[tuple[float, str]]) -> None:
    assert _rates(_billing(text)) == sorted((float(a), u) for a, u in rates)


# A second set, written after the vocabulary was first built and scored with it before any fix
# for these phrasings (46 of 72 values right; docs/extraction.md): new verbs of the same classes.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("§ 4 Vergütung\n\n(1) Für die Leistungen zahlt der Auftraggeber ein Pauschalhonorar in Höhe von 36.500,00 EUR zuzüglich gesetzlicher Umsatzsteuer.\n(2) Rechnungen sind binnen 21 Tagen ohne Abzug zahlbar.\n",
         {"total_fee": 36500, "payment_terms_days": 21}),
        ("Vergütung\n\nDie Leistungen werden nach tatsächlichem Aufwand abgerechnet. Der Stundensatz für Senior Berater beträgt 165,00 € netto, für Berater 125,00 € netto. Das Gesamtbudget ist auf 80.000,00 € netto begrenzt.\n",
         {"rates": [(165, "hour"), (125, "hour")], "not_to_exceed": 80000}),
        ("Laufzeit\n\nDer Vertrag beginnt am 1. April 2027 und endet am 30. September 2027.\n\nVergütung: Festpreis 20.000 EUR.\n",
         {"start_date": "2027-04-01", "end_date": "2027-09-30"}),
        ("Zahlungsbedingungen\n\n30 % bei Auftragserteilung, 40 % nach Abnahme des Konzepts, 30 % nach Abnahme der Endlieferung. Zahlungsziel 30 Tage netto.\n",
         {"milestones": [(None, 30), (None, 40), (None, 30)], "payment_terms_days": 30}),
        ("Article 5 – Prix\n\nLe montant total des prestations s'élève à 124 000 euros hors taxes. Les factures sont payables à 45 jours fin de mois.\n",
         {"total_fee": 124000, "payment_terms_days": 45}),
        ("Conditions financières\n\nLes prestations sont facturées en régie, sur la base d'un tarif journalier de 850 € HT pour un consultant senior et de 600 € HT pour un consultant junior.\n",
         {"rates": [(850, "day"), (600, "day")]}),
        ("Durée\n\nLe présent contrat prend effet le 1er juin 2027 pour une durée de douze mois.\n\nPrix : 40 000 € HT.\n",
         {"start_date": "2027-06-01"}),
        ("Prix\n\nLe budget global est plafonné à 60 000 € HT. Facturation mensuelle.\n",
         {"not_to_exceed": 60000, "invoice_frequency": "monthly"}),
        ("Honorarios\n\nLos servicios se facturarán mensualmente por horas efectivamente trabajadas a razón de 75 € por hora, con un límite máximo de 45.000 €.\n",
         {"rates": [(75, "hour")], "not_to_exceed": 45000, "invoice_frequency": "monthly"}),
        ("Art. 3 – Corrispettivo\n\nPer le attività oggetto del presente contratto è previsto un compenso complessivo di € 55.000,00 (IVA esclusa). Il pagamento avverrà entro 30 giorni dal ricevimento della fattura.\n",
         {"total_fee": 55000, "payment_terms_days": 30}),
        ("Corrispettivo\n\nLe giornate di consulenza saranno fatturate a € 700,00 al giorno oltre IVA, fino a un massimo di € 35.000,00.\n",
         {"rates": [(700, "day")], "not_to_exceed": 35000}),
        ("Honorários\n\nOs serviços serão remunerados à razão de R$ 320,00 por hora técnica, com pagamento em até 30 dias após a emissão da nota fiscal.\n",
         {"rates": [(320, "hour")], "payment_terms_days": 30}),
        ("Vederlag\n\nTimepris for seniorkonsulent er NOK 1 650 eks. mva. Fakturering skjer månedlig etterskuddsvis med 30 dagers betalingsfrist.\n",
         {"rates": [(1650, "hour")], "invoice_frequency": "monthly", "payment_terms_days": 30}),
        ("Honorar\n\nOpgaven udføres til en fast pris på 275.000 kr. ekskl. moms. Betalingsbetingelser: netto 30 dage.\n",
         {"total_fee": 275000, "payment_terms_days": 30, "currency": "DKK"}),
        ("§ 5 Wynagrodzenie\n\n1. Za wykonanie przedmiotu umowy Zamawiający zapłaci Wykonawcy wynagrodzenie w kwocie 85 000,00 zł netto.\n2. Płatność nastąpi w terminie 30 dni od daty doręczenia faktury.\n",
         {"total_fee": 85000, "payment_terms_days": 30, "currency": "PLN"}),
        ("Wynagrodzenie\n\nStawka za jeden osobodzień wynosi 1 600 PLN netto. Łączne wynagrodzenie nie przekroczy 96 000 PLN netto.\n",
         {"rates": [(1600, "day")], "not_to_exceed": 96000}),
        ("Commercials\n\nThe Consideration payable for the Services shall be INR 24,00,000 (Rupees Twenty Four Lakh only) exclusive of GST. Payment within 45 days of receipt of a valid tax invoice.\n",
         {"total_fee": 2400000, "payment_terms_days": 45}),
        ("Price Schedule\n\nCeiling amount: $1,480,000.00\nLabour category rates are firm for the contract period.\nSenior Analyst: $145.00/hr\n",
         {"not_to_exceed": 1480000, "rates": [(145, "hour")]}),
        ("Basis of Payment\n\nThe Contractor will be paid a firm per diem rate of $1,050 (HST extra) for each day worked, to a limitation of expenditure of $210,000.\n",
         {"rates": [(1050, "day")], "not_to_exceed": 210000, "currency": "CAD"}),
    ],
)  # fmt: skip
def test_vocabulary_second_set(text: str, expected: dict[str, Any]) -> None:
    billing = _billing(text)
    for field, want in expected.items():
        if field == "rates":
            assert _rates(billing) == sorted((float(a), u) for a, u in want)
        elif field == "milestones":
            got = sorted((m["value"].get("amount"), m["value"].get("percent")) for m in billing["milestones"])
            assert got == sorted((a, float(p)) for a, p in want)
        else:
            assert _value(billing, field) == want, field


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We will invoice $20,000 on signing, $30,000 on delivery of the prototype and $10,000 at go-live.\n",
         {"milestones": [(20000, None), (30000, None), (10000, None)]}),
        ("Fees\n\nPhase 1 (completed under SOW 3) was billed at $45,000. The fixed fee for this Phase 2 is $60,000.\n",
         {"total_fee": 60000}),
        ("Vergütung\n\nDie Vergütung erfolgt zum Festpreis von EUR 48.000,00 zzgl. MwSt.\n", {"billing_model": "fixed_fee"}),
        ("Arvode\n\nArbetet debiteras löpande med ett takpris om 300 000 SEK.\n", {"billing_model": "time_and_materials"}),
    ],
)  # fmt: skip
def test_schedules_prior_phases_and_pricing_basis(text: str, expected: dict[str, Any]) -> None:
    billing = _billing(text)
    for field, want in expected.items():
        if field == "milestones":
            got = sorted((m["value"].get("amount"), m["value"].get("percent")) for m in billing["milestones"])
            assert got == sorted((float(a), p) for a, p in want)
        else:
            assert _value(billing, field) == want, field


# A third set: longer excerpts with distractors (liability caps, damages, interest, a cap after a rate
# list), written after the second round and scored before any fix for it (51 of 69 values right,
# the code before this round 25 of 69; docs/extraction.md).
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param('Leistungsschein Nr. 7 zum Rahmenvertrag vom 12.01.2026\n\n1. Gegenstand\nDer Auftragnehmer unterstützt den Auftraggeber bei der Migration der Buchhaltungssysteme.\n\n2. Leistungszeitraum\nDie Leistungen werden im Zeitraum vom 01.02.2027 bis 31.07.2027 erbracht.\n\n3. Vergütung\nDie Abrechnung erfolgt nach Aufwand. Es gelten folgende Tagessätze (netto):\nProjektleiter: 1.350,00 EUR\nSenior Consultant: 1.150,00 EUR\nDas Auftragsvolumen ist auf maximal 210.000,00 EUR netto begrenzt.\nDie Haftung des Auftragnehmers ist auf 500.000,00 EUR beschränkt.\n\n4. Rechnungsstellung und Zahlung\nDie Rechnungsstellung erfolgt monatlich nachträglich. Rechnungen sind innerhalb von 30 Tagen nach Zugang ohne Abzug zu zahlen.\n',
                     {'start_date': '2027-02-01', 'end_date': '2027-07-31', 'rates': [(1350, 'day'), (1150, 'day')], 'not_to_exceed': 210000, 'invoice_frequency': 'monthly', 'payment_terms_days': 30, 'currency': 'EUR', 'billing_model': 'time_and_materials'}, id='de_sow'),
        pytest.param("CONTRAT DE PRESTATION DE SERVICES\n\nArticle 3 – Durée\nLe contrat est conclu pour une période allant du 15 mars 2027 au 14 septembre 2027.\n\nArticle 6 – Conditions financières\n6.1 En contrepartie de la réalisation des prestations, le Client versera au Prestataire une rémunération forfaitaire de 78 500 € HT.\n6.2 Cette somme sera réglée selon l'échéancier suivant : 30 % à la signature du contrat, 50 % à la livraison de la version bêta et 20 % à la recette définitive.\n6.3 Les factures sont payables par virement à 30 jours date de facture. Tout retard de paiement donnera lieu à des pénalités égales à trois fois le taux d'intérêt légal.\n",
                     {'start_date': '2027-03-15', 'end_date': '2027-09-14', 'total_fee': 78500, 'milestones': [(None, 30), (None, 50), (None, 20)], 'payment_terms_days': 30, 'currency': 'EUR', 'billing_model': 'fixed_fee'}, id='fr_sow'),
        pytest.param('ANEXO II – CONDICIONES ECONÓMICAS\n\nPrimera. Los honorarios del Consultor se calcularán según las horas efectivamente dedicadas, a las siguientes tarifas (IVA no incluido):\n- Director de proyecto: 95 €/hora\n- Consultor senior: 70 €/hora\nSegunda. El importe total de los servicios no podrá superar la cantidad de 60.000 € (IVA no incluido).\nTercera. El Consultor emitirá factura al final de cada mes, que será abonada en el plazo de 45 días.\n',
                     {'rates': [(95, 'hour'), (70, 'hour')], 'not_to_exceed': 60000, 'invoice_frequency': 'monthly', 'payment_terms_days': 45, 'currency': 'EUR', 'billing_model': 'time_and_materials'}, id='es_sow'),
        pytest.param('Offerte 2027-114\n\nPlanning\nWij starten op 3 mei 2027 en ronden het project af op 30 september 2027.\n\nPrijs en betaling\nVoor de beschreven werkzaamheden rekenen wij een vaste prijs van € 42.750,- exclusief 21% btw.\nWij factureren 40% bij opdracht, 40% bij oplevering van het ontwerp en 20% na acceptatie.\nBetaling binnen 14 dagen na factuurdatum.\n',
                     {'start_date': '2027-05-03', 'end_date': '2027-09-30', 'total_fee': 42750, 'milestones': [(None, 40), (None, 40), (None, 20)], 'payment_terms_days': 14, 'currency': 'EUR', 'billing_model': 'fixed_fee'}, id='nl_sow'),
        pytest.param("Lettera d'incarico\n\nOggetto: consulenza per la revisione dei processi di acquisto.\n\nCompenso\nPer lo svolgimento dell'incarico è pattuito un compenso a corpo di € 24.000,00 oltre IVA e cassa previdenziale, da corrispondere in tre rate di pari importo.\nLe fatture saranno pagate a 60 giorni data fattura fine mese.\n",
                     {'total_fee': 24000, 'payment_terms_days': 60, 'currency': 'EUR', 'billing_model': 'fixed_fee'}, id='it_sow'),
        pytest.param('PROPOSTA COMERCIAL\n\nInvestimento\nO valor total do projeto é de R$ 245.000,00 (duzentos e quarenta e cinco mil reais), a ser pago da seguinte forma:\na) 30% na assinatura do contrato;\nb) 40% na entrega do protótipo;\nc) 30% na homologação final.\nOs pagamentos serão efetuados em até 15 dias após o recebimento da nota fiscal.\n',
                     {'total_fee': 245000, 'milestones': [(None, 30), (None, 40), (None, 30)], 'payment_terms_days': 15, 'currency': 'BRL'}, id='pt_sow'),
        pytest.param('Avropsavtal – bilaga 2, Pris\n\nErsättning utgår enligt löpande räkning med följande timpriser exklusive moms:\nSeniorkonsult 1 450 kr\nKonsult 1 150 kr\nTakpris för uppdraget: 480 000 kr.\nFakturering sker månadsvis i efterskott. Betalning ska ske senast 30 dagar efter fakturadatum.\n',
                     {'rates': [(1450, 'hour'), (1150, 'hour')], 'not_to_exceed': 480000, 'invoice_frequency': 'monthly', 'payment_terms_days': 30, 'currency': 'SEK', 'billing_model': 'time_and_materials'}, id='sv_sow'),
        pytest.param('UMOWA O ŚWIADCZENIE USŁUG\n\n§ 2 Termin\nUmowa zostaje zawarta na czas określony od dnia 1 lipca 2027 r. do dnia 31 grudnia 2027 r.\n\n§ 4 Wynagrodzenie\n1. Z tytułu realizacji Umowy Wykonawcy przysługuje wynagrodzenie ryczałtowe w wysokości 156 000,00 zł netto, powiększone o podatek VAT.\n2. Wynagrodzenie płatne będzie w terminie 21 dni od dnia otrzymania prawidłowo wystawionej faktury.\n3. W przypadku opóźnienia Zamawiający zapłaci odsetki ustawowe.\n',
                     {'start_date': '2027-07-01', 'end_date': '2027-12-31', 'total_fee': 156000, 'payment_terms_days': 21, 'currency': 'PLN', 'billing_model': 'fixed_fee'}, id='pl_sow'),
        pytest.param('SCHEDULE C – COMMERCIAL TERMS\n\nC.1 The total contract value for the Services is INR 1,12,50,000/- (Rupees One Crore Twelve Lakh Fifty Thousand only), exclusive of applicable GST.\nC.2 Payment schedule:\n   (i)   Mobilisation advance – 10% against bank guarantee\n   (ii)  On approval of design – 40%\n   (iii) On go-live – 40%\n   (iv)  On completion of hypercare – 10%\nC.3 Invoices shall be paid within 30 days of receipt.\nC.4 Liquidated damages at 0.5% per week of delay, subject to a maximum of 10% of the contract value.\n',
                     {'total_fee': 11250000, 'milestones': [(None, 10), (None, 40), (None, 40), (None, 10)], 'payment_terms_days': 30, 'currency': 'INR', 'billing_model': 'milestone'}, id='en_in_sow'),
        pytest.param("Article 7 — Contract Price and Payment\n\n7.1 In consideration of the Services, the Client shall pay the Consultant a lump sum of QAR 2,880,000 (Two Million Eight Hundred Eighty Thousand Qatari Riyals).\n7.2 The Contract Price shall be paid in twelve (12) equal monthly instalments, each payable within 45 days of the Client's receipt of a valid invoice.\n7.3 Ten percent (10%) of each payment shall be retained by the Client and released upon issuance of the Final Completion Certificate.\n",
                     {'total_fee': 2880000, 'payment_terms_days': 45, 'retainage_percent': 10, 'currency': 'QAR', 'billing_model': 'fixed_fee', 'invoice_frequency': 'monthly'}, id='en_gulf_sow'),
        pytest.param('PRICING SCHEDULE\n\nProfessional services will be rendered on a time-and-materials basis at the following hourly tariffs (excl. VAT):\nEngagement Director .......... R3 200\nManager ...................... R2 150\nAnalyst ...................... R1 250\nInvoices will be submitted monthly and are payable within 30 days of statement.\nXYZ Advisory (Pty) Ltd\n',
                     {'rates': [(3200, 'hour'), (2150, 'hour'), (1250, 'hour')], 'invoice_frequency': 'monthly', 'payment_terms_days': 30, 'currency': 'ZAR', 'billing_model': 'time_and_materials'}, id='en_za_sow'),
        pytest.param('PART 4 – BASIS OF PAYMENT\n\nFirm Per Diem Rates (GST/HST extra):\nSenior Business Analyst: $1,025.00\nBusiness Analyst: $840.00\nThe total estimated cost of the Task Authorization must not exceed $176,400.00 (GST/HST extra).\nPayment will be made within 30 days following receipt of a completed invoice.\n',
                     {'rates': [(1025, 'day'), (840, 'day')], 'not_to_exceed': 176400, 'payment_terms_days': 30, 'currency': 'CAD', 'billing_model': 'time_and_materials'}, id='en_gov_sow'),
    ],
)  # fmt: skip
def test_vocabulary_third_set(text: str, expected: dict[str, Any]) -> None:
    billing = _billing(text)
    for field, want in expected.items():
        if field == "rates":
            assert _rates(billing) == sorted((float(a), u) for a, u in want)
        elif field == "milestones":
            got = sorted((m["value"].get("amount"), m["value"].get("percent")) for m in billing["milestones"])
            assert got == sorted((a, float(p)) for a, p in want)
        else:
            assert _value(billing, field) == want, field


# A fourth set, strict (every field not listed must be null): whole short SOW sections, mostly
# English traditions, written after round three and scored before any fix for it (P 1.000 / R 0.909;
# the code before this round 0.986 / 0.830). The Australian contract price with progress claims
# and no pricing basis keeps no billing model: the set labels such a stated price inconsistently.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("EXHIBIT B – COMPENSATION\n\n1. The State shall compensate the Contractor for Services on a fixed price basis in the amount of $186,500.00.\n2. The Contractor shall submit invoices upon completion of each Deliverable listed in Exhibit A. Payment will be made in accordance with the State's Prompt Payment Act, within 45 days after receipt of a proper invoice.\n3. The Contractor's professional liability insurance shall be not less than $2,000,000 per claim.\n4. Travel is not reimbursable under this Contract.\n",
                     {'billing_model': 'fixed_fee', 'currency': 'USD', 'total_fee': 186500, 'payment_terms_days': 45, 'invoice_frequency': 'on_milestone', 'expenses_reimbursable': False}, id='us_state'),
        pytest.param("SCHEDULE 3 – CHARGES\n\nThe Supplier shall charge for the Services on a time and materials basis at the day rates set out below (exclusive of VAT):\nLead Consultant – £875 per day\nConsultant – £690 per day\nThe total Charges shall not exceed £96,000 (exclusive of VAT) without the prior written approval of the Authority.\nThe Supplier shall invoice the Authority monthly in arrears. The Authority shall pay each valid invoice within 30 days of receipt.\nExpenses will be reimbursed in line with the Authority's travel and subsistence policy.\n",
                     {'billing_model': 'time_and_materials', 'currency': 'GBP', 'not_to_exceed': 96000, 'payment_terms_days': 30, 'invoice_frequency': 'monthly', 'expenses_reimbursable': True, 'rates': [(875, 'day'), (690, 'day')]}, id='uk_nhs'),
        pytest.param('Item 6  Contract Price\nThe Contract Price is $148,000 (excluding GST), payable by progress claims submitted at the end of each month.\n\nItem 7  Payment\nThe Principal will pay a valid payment claim within 20 Business Days after receipt.\n\nItem 8  Retention\n5% of each progress payment, up to a maximum of 5% of the Contract Price.\n\nItem 9  Date for Completion\n30 June 2028\nABC Consulting Pty Ltd  ABN 12 345 678 901\n',
                     {'currency': 'AUD', 'total_fee': 148000, 'payment_terms_days': 20, 'invoice_frequency': 'monthly', 'retainage_percent': 5, 'end_date': '2028-06-30'}, id='au_council'),
        pytest.param('Our fees\n\nWe estimate that our fees for Stage 1 will be in the order of $24,000 plus GST, and we will invoice on the 20th of each month for work done in the previous month. Our standard hourly rates are: Director $310, Senior Planner $220, Planner $165. Disbursements are charged at cost.\nAccounts are due for payment on the 20th of the month following the date of invoice.\nExample Ltd, NZBN 9429000000000\n',
                     {'billing_model': 'time_and_materials', 'currency': 'NZD', 'total_fee': 24000, 'invoice_frequency': 'monthly', 'expenses_reimbursable': True, 'rates': [(310, 'hour'), (220, 'hour'), (165, 'hour')]}, id='nz_letter'),
        pytest.param('6. Fees\n6.1 The Services will be provided at a daily rate of €1,050 (exclusive of VAT) for an estimated 40 days, i.e. an estimated fee of €42,000.\n6.2 Invoices will be issued fortnightly and are payable within 30 days.\n6.3 Late payments will attract interest under the European Communities (Late Payment in Commercial Transactions) Regulations 2012.\n',
                     {'billing_model': 'time_and_materials', 'currency': 'EUR', 'total_fee': 42000, 'payment_terms_days': 30, 'invoice_frequency': 'biweekly', 'rates': [(1050, 'day')]}, id='ie_sow'),
        pytest.param('Commercial Proposal\n\nOption A (recommended): fixed fee of S$58,000 (before GST)\nPayment terms: 50% upon acceptance of this proposal, 50% upon delivery of the final report. Invoices are due 30 days from the invoice date.\nThis proposal is valid for 60 days.\nExample Pte Ltd (UEN 201912345K)\n',
                     {'billing_model': 'fixed_fee', 'currency': 'SGD', 'total_fee': 58000, 'payment_terms_days': 30, 'invoice_frequency': 'on_milestone', 'milestones': [(None, 50), (None, 50)]}, id='sg_proposal'),
        pytest.param('4. PRICING\n4.1 Services will be charged on a time and material basis at R1 650 per hour (excluding VAT) for consultants and R2 400 per hour for senior consultants.\n4.2 The total fees for this SOW will not exceed R380 000 (excluding VAT).\n4.3 Invoices are payable within 30 days of statement. Interest on overdue amounts will be charged at 2% per month.\nExample (Pty) Ltd\n',
                     {'billing_model': 'time_and_materials', 'currency': 'ZAR', 'not_to_exceed': 380000, 'payment_terms_days': 30, 'late_fee_percent_per_month': 2, 'rates': [(1650, 'hour'), (2400, 'hour')]}, id='za_tm'),
        pytest.param('Fees and Billing\nThe Client will pay a monthly retainer of CAD 9,500 plus HST, invoiced on the first business day of each month and payable on receipt. The retainer covers up to 60 hours per month; additional hours are billed at CAD 175 per hour.\nThe term of this engagement is twelve months commencing April 1, 2027.\n',
                     {'billing_model': 'retainer', 'currency': 'CAD', 'payment_terms_days': 0, 'invoice_frequency': 'monthly', 'start_date': '2027-04-01', 'end_date': '2028-03-31', 'rates': [(175, 'hour')]}, id='ca_retainer'),
        pytest.param('Angebot Nr. 2027-031\n\nPreis: Für die unter Ziffer 2 beschriebenen Leistungen bieten wir einen Festpreis von 64.800,00 € netto an.\nZahlungsplan: 50 % nach Auftragserteilung, 50 % nach Abnahme.\nZahlungsbedingungen: 14 Tage netto ab Rechnungsdatum.\nReisekosten sind im Festpreis enthalten.\nLeistungszeitraum: 01.09.2027 – 30.11.2027\n',
                     {'billing_model': 'fixed_fee', 'currency': 'EUR', 'total_fee': 64800, 'payment_terms_days': 14, 'invoice_frequency': 'on_milestone', 'expenses_reimbursable': False, 'start_date': '2027-09-01', 'end_date': '2027-11-30', 'milestones': [(None, 50), (None, 50)]}, id='de_festpreis'),
        pytest.param("Proposition commerciale\n\nModalités d'intervention : la mission sera réalisée en régie.\nTarif : 720 € HT par jour et par consultant.\nFrais de déplacement refacturés au réel.\nFacturation mensuelle sur la base des jours effectivement réalisés, règlement à 45 jours fin de mois.\n",
                     {'billing_model': 'time_and_materials', 'currency': 'EUR', 'payment_terms_days': 45, 'invoice_frequency': 'monthly', 'expenses_reimbursable': True, 'rates': [(720, 'day')]}, id='fr_regie'),
        pytest.param("SCHEDULE 2 – CONTRACT VALUE AND PAYMENT\n\nThe Contract Value is AED 2,150,000 (Two Million One Hundred and Fifty Thousand UAE Dirhams) exclusive of VAT.\nPayment shall be made against the following milestones:\nMilestone 1 – Inception Report: 15%\nMilestone 2 – Design Approval: 35%\nMilestone 3 – Go-Live: 40%\nMilestone 4 – Handover: 10%\nEach invoice shall be paid within 60 days of its approval by the Employer's Representative.\n",
                     {'billing_model': 'milestone', 'currency': 'AED', 'total_fee': 2150000, 'payment_terms_days': 60, 'invoice_frequency': 'on_milestone', 'milestones': [(None, 15), (None, 35), (None, 40), (None, 10)]}, id='ae_milestones'),
        pytest.param('Commercial Terms\nThe Services will be billed on a time and material basis at INR 3,20,000 per man-month for the Technical Lead and INR 2,10,000 per man-month for each Developer. Invoices will be raised monthly and shall be paid within 30 days from the date of invoice. Out-of-pocket expenses will be reimbursed at actuals subject to prior approval.\n',
                     {'billing_model': 'time_and_materials', 'currency': 'INR', 'payment_terms_days': 30, 'invoice_frequency': 'monthly', 'expenses_reimbursable': True, 'rates': [(320000, 'month'), (210000, 'month')]}, id='in_manmonth'),
    ],
)  # fmt: skip
def test_whole_sections_strict(text: str, expected: dict[str, Any]) -> None:
    billing = _billing(text)
    for field in SCALAR_FIELDS:
        if field == "billing_model" and field not in expected:
            continue
        assert _value(billing, field) == expected.get(field), field
    assert _rates(billing) == sorted((float(a), u) for a, u in expected.get("rates", []))
    got = sorted(
        ((m["value"].get("amount"), m["value"].get("percent")) for m in billing["milestones"]), key=str
    )
    assert got == sorted(((a, float(p)) for a, p in expected.get("milestones", [])), key=str)


# A fifth set, strict: tables and schedules with no announcing heading, a unit given once above or
# under a table, tax lines, a list rate beside the rate charged, a change-request rate, a prior
# phase, rates in prose. Written after round four and scored before any fix for it (P 0.879 /
# R 0.680 / F1 0.767 once two labels were put to the set's conventions; the code before this round
# 0.860 / 0.653 / 0.742). Fields still missed are left out of the expectations and listed in GAPS.
_FIFTH_SET_WHY = {
    "ie_prior": "'invoiced in two equal instalments: on commencement and on delivery' names no amounts, so no schedule is read",
    "de_tabelle": "a priced position table billed 'nach Abnahme der jeweiligen Position' is not read as a schedule",
}
_FIFTH_SET_GAPS = {
    "ie_prior": ("billing_model", "invoice_frequency"),
    "de_tabelle": ("invoice_frequency", "milestones"),
}


_FIFTH_SET = [
        ('us_pipe_rates', 'The work will be performed on a time-and-materials basis.\n\n| Labor Category | Hourly Rate | Est. Hours |\n| --- | --- | --- |\n| Program Manager | $215.00 | 120 |\n| Data Engineer | $165.00 | 480 |\n\nThe total not-to-exceed amount for this Task Order is $102,000.00. Contractor shall invoice monthly; payment terms are Net 30.\n',
                     {'billing_model': 'time_and_materials', 'currency': 'USD', 'not_to_exceed': 102000, 'payment_terms_days': 30, 'invoice_frequency': 'monthly', 'rates': [(215, 'hour'), (165, 'hour')]}),
        ('uk_tab_rates', 'Rates (all figures per day, excluding VAT)\nGrade\tRate\nPrincipal\t£1,150\nSenior Consultant\t£925\nConsultant\t£740\n\nInvoices will be raised at the end of each calendar month and are payable within 30 days.\n',
                     {'billing_model': 'time_and_materials', 'currency': 'GBP', 'payment_terms_days': 30, 'invoice_frequency': 'monthly', 'rates': [(1150, 'day'), (925, 'day'), (740, 'day')]}),
        ('au_note_rates', 'Role                      Rate\nProject Director          $285\nSenior Engineer           $220\nGraduate Engineer         $140\nNote: rates are hourly and exclusive of GST.\nOur fees will be invoiced fortnightly and are payable within 14 days of the invoice date.\nExample Engineering Pty Ltd\n',
                     {'billing_model': 'time_and_materials', 'currency': 'AUD', 'payment_terms_days': 14, 'invoice_frequency': 'biweekly', 'rates': [(285, 'hour'), (220, 'hour'), (140, 'hour')]}),
        ('us_schedule_noheading', 'Client agrees to pay Agency a total project fee of $84,000, payable as follows:\n$25,200 upon execution of this SOW;\n$33,600 upon approval of the creative concepts; and\n$25,200 upon final delivery.\nInvoices are due within 15 days.\n',
                     {'billing_model': 'milestone', 'currency': 'USD', 'total_fee': 84000, 'payment_terms_days': 15, 'invoice_frequency': 'on_milestone', 'milestones': [(25200, None), (33600, None), (25200, None)]}),
        ('ca_tax_line', 'Fees\nProfessional fees: $36,000.00\nHST (13%): $4,680.00\nTotal: $40,680.00\nFees are payable within 30 days of receipt of invoice.\nExample Consulting Inc., Toronto, Ontario\n',
                     {'currency': 'CAD', 'total_fee': 36000, 'payment_terms_days': 30}),
        ('sg_discount', 'Our standard daily rate for a Senior Consultant is S$2,600. For this engagement we will apply a 15% discount, so the rate charged will be S$2,210 per day. We estimate 25 days of effort. Invoices will be issued monthly in arrears with 30-day payment terms.\nExample Pte Ltd\n',
                     {'billing_model': 'time_and_materials', 'currency': 'SGD', 'payment_terms_days': 30, 'invoice_frequency': 'monthly', 'rates': [(2210, 'day')]}),
        ('in_extras', 'The fixed price for the implementation is INR 48,00,000 (exclusive of GST), payable 20% on kick-off, 50% on UAT sign-off and 30% on go-live.\nChange requests beyond the agreed scope will be charged at INR 6,500 per man-hour.\nPayment within 45 days from the date of invoice.\n',
                     {'billing_model': 'fixed_fee', 'currency': 'INR', 'total_fee': 4800000, 'payment_terms_days': 45, 'invoice_frequency': 'on_milestone', 'milestones': [(None, 20), (None, 50), (None, 30)], 'rates': [(6500, 'hour')]}),
        ('ie_prior', 'Phase 1 of the project was completed in 2026 for a fee of €28,000 under a separate engagement letter.\nFor Phase 2, described in this letter, our fee will be €46,500 plus VAT, invoiced in two equal instalments: on commencement and on delivery of the final report.\nOur invoices are payable within 21 days.\n',
                     {'billing_model': 'milestone', 'currency': 'EUR', 'total_fee': 46500, 'payment_terms_days': 21, 'invoice_frequency': 'on_milestone'}),
        ('nl_tabel', 'Tarieven (per uur, excl. btw)\nRol\tTarief\nProjectleider\t€ 135\nAdviseur\t€ 110\nFacturatie vindt maandelijks plaats. Betaling binnen 30 dagen na factuurdatum.\n',
                     {'billing_model': 'time_and_materials', 'currency': 'EUR', 'payment_terms_days': 30, 'invoice_frequency': 'monthly', 'rates': [(135, 'hour'), (110, 'hour')]}),
        ('de_tabelle', 'Preisblatt\n\n| Position | Leistung | Preis (EUR, netto) |\n| --- | --- | --- |\n| 1 | Konzeption | 18.000,00 |\n| 2 | Umsetzung | 42.000,00 |\n| 3 | Schulung | 6.000,00 |\n| | Gesamt | 66.000,00 |\n\nDie Rechnungsstellung erfolgt nach Abnahme der jeweiligen Position. Zahlungsziel: 30 Tage.\n',
                     {'currency': 'EUR', 'total_fee': 66000, 'payment_terms_days': 30, 'invoice_frequency': 'on_milestone', 'milestones': [(18000, None), (42000, None), (6000, None)]}),
        ('gulf_retention', 'Commercial Terms\nContract Sum: SAR 3,600,000 (exclusive of VAT)\nAdvance payment: 10% of the Contract Sum against an advance payment guarantee.\nInterim payments: monthly, based on progress, less 10% retention.\nPayment period: 60 days from certification.\n',
                     {'currency': 'SAR', 'total_fee': 3600000, 'retainage_percent': 10, 'invoice_frequency': 'monthly', 'payment_terms_days': 60}),
        ('us_rates_prose', "Compensation. Consultant will be paid $175 per hour for strategy work and $125 per hour for production work, billed weekly. Consultant's total compensation under this SOW will not exceed $40,000 without Client's written approval. Payment is due net 15.\n",
                     {'billing_model': 'time_and_materials', 'currency': 'USD', 'not_to_exceed': 40000, 'payment_terms_days': 15, 'invoice_frequency': 'weekly', 'rates': [(175, 'hour'), (125, 'hour')]}),
]  # fmt: skip


@pytest.mark.parametrize(("name", "text", "expected"), _FIFTH_SET)
def test_tables_schedules_and_distractors_strict(name: str, text: str, expected: dict[str, Any]) -> None:
    billing = _billing(text)
    gaps = _FIFTH_SET_GAPS.get(name, ())
    for field in SCALAR_FIELDS:
        if field not in gaps:
            assert _value(billing, field) == expected.get(field), field
    assert _rates(billing) == sorted((float(a), u) for a, u in expected.get("rates", []))
    if "milestones" not in gaps:
        got = sorted(
            ((m["value"].get("amount"), m["value"].get("percent")) for m in billing["milestones"]), key=str
        )
        want = [
            (None if a is None else float(a), None if p is None else float(p))
            for a, p in expected.get("milestones", [])
        ]
        assert got == sorted(want, key=str)


@pytest.mark.parametrize(
    ("name", "field"),
    [
        pytest.param(n, f, marks=pytest.mark.xfail(strict=True, reason=_FIFTH_SET_WHY[n]))
        for n, fs in _FIFTH_SET_GAPS.items()
        for f in fs
    ],
)
def test_fifth_set_known_gaps(name: str, field: str) -> None:
    _, text, expected = next(
        p.values
        for p in test_tables_schedules_and_distractors_strict.pytestmark[0].args[1]
        if p.values[0] == name
    )
    billing = _billing(text)
    if field == "milestones":
        got = sorted(
            ((m["value"].get("amount"), m["value"].get("percent")) for m in billing["milestones"]), key=str
        )
        want = [
            (None if a is None else float(a), None if p is None else float(p))
            for a, p in expected["milestones"]
        ]
        assert got == sorted(want, key=str)
    else:
        assert _value(billing, field) == expected[field]


# A sixth set, strict, written after round five and scored before any fix for it (P 0.938 / R 0.779 /
# F1 0.851; the code before this round 0.909 / 0.649 / 0.758). Its open questions are strict xfails:
# a fee range per grade ("from $395 to $850 for partners") reads its upper ends as rates; "the balance
# in three equal monthly instalments" reads as monthly invoicing; an effort restated as an amount
# ("ofwel ongeveer € 20.000") outside a fee sentence is no total.
_SIXTH_SET = [
    ('us_law_hourly', 'Our fees will be based on the time spent by the attorneys and paralegals working on the matter, at our customary hourly rates, which currently range from $395 to $850 for partners, $260 to $480 for associates and $180 for paralegals. We will send you a statement each month, and payment is due within 30 days of the statement date. Balances unpaid after 30 days will bear interest at 1% per month.\n',
     {'billing_model': 'time_and_materials', 'currency': 'USD', 'payment_terms_days': 30, 'invoice_frequency': 'monthly', 'late_fee_percent_per_month': 1, 'rates': [(180, 'hour')]}),
    ('uk_capped_fixed', "4. Charges\n4.1 The Charges for the Deliverables are a fixed price of £72,500 (exclusive of VAT).\n4.2 The Supplier will invoice 25% of the Charges on the Commencement Date and the balance in three equal monthly instalments.\n4.3 The Buyer will pay undisputed invoices within 30 days of receipt.\n4.4 The Supplier's total liability is limited to 125% of the Charges.\n",
     {'billing_model': 'fixed_fee', 'currency': 'GBP', 'total_fee': 72500, 'payment_terms_days': 30}),
    ('au_daily_capped', 'Fees: The Consultant will be paid $1,480 per day (GST exclusive) for each day of Services performed, up to a maximum of 45 days. The total fees payable under this Order must not exceed $66,600 (GST exclusive).\nInvoicing: monthly in arrears. Payment: within 20 business days of a correctly rendered invoice.\n',
     {'billing_model': 'time_and_materials', 'currency': 'AUD', 'not_to_exceed': 66600, 'payment_terms_days': 20, 'invoice_frequency': 'monthly', 'rates': [(1480, 'day')]}),
    ('es_hitos', 'Forma de pago\nEl precio cerrado de 38.000 € (IVA no incluido) se abonará en tres pagos: un 30 % a la firma del contrato, un 40 % a la entrega del prototipo y el 30 % restante a la aceptación final.\nLas facturas se pagarán a 30 días fecha factura.\n',
     {'billing_model': 'fixed_fee', 'currency': 'EUR', 'total_fee': 38000, 'payment_terms_days': 30, 'invoice_frequency': 'on_milestone', 'milestones': [(None, 30), (None, 40), (None, 30)]}),
    ('it_giornate', "Le attività saranno remunerate a giornata, al costo di € 620,00 per giornata/uomo (IVA esclusa), per un massimo di 80 giornate. L'importo massimo complessivo è pertanto di € 49.600,00 (IVA esclusa). La fatturazione avverrà con cadenza mensile; i pagamenti saranno effettuati a 60 giorni data fattura fine mese.\n",
     {'billing_model': 'time_and_materials', 'currency': 'EUR', 'not_to_exceed': 49600, 'payment_terms_days': 60, 'invoice_frequency': 'monthly', 'rates': [(620, 'day')]}),
    ('pl_stawki', '§ 6. Wynagrodzenie\nWynagrodzenie Wykonawcy będzie obliczane jako iloczyn liczby faktycznie przepracowanych godzin i stawki godzinowej w wysokości 210,00 zł netto. Łączna wartość wynagrodzenia nie przekroczy kwoty 84 000,00 zł netto. Faktury będą wystawiane raz w miesiącu, płatne w terminie 14 dni od daty doręczenia.\n',
     {'billing_model': 'time_and_materials', 'currency': 'PLN', 'not_to_exceed': 84000, 'payment_terms_days': 14, 'invoice_frequency': 'monthly', 'rates': [(210, 'hour')]}),
    ('sv_fastpris', 'Pris och betalning\nLeverantören utför uppdraget till ett fast pris om 540 000 SEK exklusive moms. Fakturering sker med 50 % vid uppdragets start och 50 % vid godkänd leverans. Betalningsvillkor 30 dagar netto.\n',
     {'billing_model': 'fixed_fee', 'currency': 'SEK', 'total_fee': 540000, 'payment_terms_days': 30, 'invoice_frequency': 'on_milestone', 'milestones': [(None, 50), (None, 50)]}),
    ('za_retainer', 'The Client shall pay a monthly retainer of R45 000 (excluding VAT), invoiced in advance on the first day of each month, for a minimum period of twelve months commencing 1 February 2027. Hours in excess of 30 per month will be charged at R1 600 per hour. Payment is due within 7 days of invoice.\nXYZ Attorneys Inc. (South Africa)\n',
     {'billing_model': 'retainer', 'currency': 'ZAR', 'payment_terms_days': 7, 'invoice_frequency': 'monthly', 'start_date': '2027-02-01', 'end_date': '2028-01-31', 'rates': [(1600, 'hour')]}),
    ('in_table_inr', 'Resource Rates (INR per man-day)\n| Resource | Onsite | Offshore |\n| --- | --- | --- |\n| Solution Architect | 32,000 | 21,000 |\n| Developer | 18,000 | 11,500 |\nInvoices will be raised at the end of every month; payment within 30 days.\n',
     {'billing_model': 'time_and_materials', 'currency': 'INR', 'payment_terms_days': 30, 'invoice_frequency': 'monthly', 'rates': [(32000, 'day'), (21000, 'day'), (18000, 'day'), (11500, 'day')]}),
    ('ca_fr_bilingual', 'Honoraires / Fees\nLes honoraires sont établis à un montant forfaitaire de 62 000 $, taxes en sus. / The fees are a lump sum of $62,000, taxes extra.\nPaiement : 30 jours suivant la réception de la facture. / Payment: 30 days after receipt of invoice.\nQuébec\n',
     {'billing_model': 'fixed_fee', 'currency': 'CAD', 'total_fee': 62000, 'payment_terms_days': 30}),
    ('nl_regie', 'Wij voeren de werkzaamheden uit op basis van nacalculatie tegen een uurtarief van € 125,00 exclusief btw. Wij verwachten dat de werkzaamheden circa 160 uur in beslag nemen, ofwel ongeveer € 20.000,00. Wij factureren maandelijks; betaling binnen 14 dagen.\n',
     {'billing_model': 'time_and_materials', 'currency': 'EUR', 'total_fee': 20000, 'payment_terms_days': 14, 'invoice_frequency': 'monthly', 'rates': [(125, 'hour')]}),
    ('gov_us_clin', 'CLIN 0001  Labor (Base Period, T&M)  Ceiling $1,250,000.00\nCLIN 0002  Travel (Cost Reimbursable, NTE)  $45,000.00\nPeriod of Performance: 01/15/2027 through 01/14/2028.\nInvoices shall be submitted monthly. Payment will be made in accordance with FAR 52.232-25, Prompt Payment, within 30 days.\n',
     {'billing_model': 'time_and_materials', 'currency': 'USD', 'not_to_exceed': 1250000, 'payment_terms_days': 30, 'invoice_frequency': 'monthly', 'start_date': '2027-01-15', 'end_date': '2028-01-14', 'expenses_reimbursable': True, 'expenses_cap': 45000}),
]  # fmt: skip
_SIXTH_SET_WHY = {
    ("us_law_hourly", "rates"): "a range of rates per grade reads its upper ends as rates",
    (
        "uk_capped_fixed",
        "invoice_frequency",
    ): "the balance in monthly instalments after a first share reads as monthly",
    ("nl_regie", "total_fee"): "an effort restated as an amount outside a fee sentence is not read",
}


def _strict_fields(billing: dict[str, Any], expected: dict[str, Any]) -> dict[str, bool]:
    right = {field: _value(billing, field) == expected.get(field) for field in SCALAR_FIELDS}
    right["rates"] = _rates(billing) == sorted((float(a), u) for a, u in expected.get("rates", []))
    got = sorted(
        ((m["value"].get("amount"), m["value"].get("percent")) for m in billing["milestones"]), key=str
    )
    want = [
        (None if a is None else float(a), None if p is None else float(p))
        for a, p in expected.get("milestones", [])
    ]
    right["milestones"] = got == sorted(want, key=str)
    return right


# A seventh set, strict, on tables and schedules (markdown, tab and bar tables, staged prose, French and
# German schedules), written after round six and scored before any fix for it (P 1.000 / R 0.803 /
# F1 0.891; the code before this round 1.000 / 0.738 / 0.849).
_SEVENTH_SET = [
    ('md_milestones', '## Payment Schedule\n\n| # | Milestone | % of Fee | Amount |\n|---|---|---|---|\n| 1 | Project kick-off | 20% | $19,000 |\n| 2 | Design sign-off | 30% | $28,500 |\n| 3 | User acceptance | 50% | $47,500 |\n| | **Total** | **100%** | **$95,000** |\n\nEach invoice is payable within 30 days.\n',
     {'currency': 'USD', 'total_fee': 95000, 'payment_terms_days': 30, 'invoice_frequency': 'on_milestone', 'billing_model': 'milestone', 'milestones': [(19000, 20), (28500, 30), (47500, 50)]}),
    ('tab_deliverables', 'Deliverable\tDue\tFee (GBP)\nDiscovery report\t15 March 2027\t12,000\nTarget operating model\t30 April 2027\t18,000\nImplementation plan\t31 May 2027\t10,000\n\nThe fees above are fixed and exclude VAT. We will invoice each deliverable on acceptance; invoices are payable within 30 days.\n',
     {'currency': 'GBP', 'total_fee': 40000, 'payment_terms_days': 30, 'invoice_frequency': 'on_milestone', 'billing_model': 'fixed_fee', 'milestones': [(12000, None), (18000, None), (10000, None)]}),
    ('rate_card_two_units', 'Rate card (AUD, excluding GST)\n| Role | Hourly | Daily |\n| --- | --- | --- |\n| Principal | 310 | 2,300 |\n| Consultant | 210 | 1,550 |\nWork is billed on a time and materials basis, monthly in arrears, payable within 14 days.\nABC Advisory Pty Ltd\n',
     {'currency': 'AUD', 'billing_model': 'time_and_materials', 'invoice_frequency': 'monthly', 'payment_terms_days': 14, 'rates': [(310, 'hour'), (2300, 'day'), (210, 'hour'), (1550, 'day')]}),
    ('staged_prose', 'The fee for the assignment is €54,000 (excl. VAT). It will be invoiced in three stages: €18,000 at the start of the assignment, €18,000 after the interim presentation and €18,000 upon delivery of the final report. Payment term: 30 days.\n',
     {'currency': 'EUR', 'total_fee': 54000, 'payment_terms_days': 30, 'invoice_frequency': 'on_milestone', 'billing_model': 'milestone', 'milestones': [(18000, None), (18000, None), (18000, None)]}),
    ('phase_table_fixed', "Phase | Description | Fixed fee\n1 | Assessment | CHF 24'000\n2 | Design | CHF 36'000\n3 | Pilot | CHF 30'000\nTotal | | CHF 90'000\nEach phase is invoiced on completion. Payment within 30 days net.\n",
     {'currency': 'CHF', 'total_fee': 90000, 'payment_terms_days': 30, 'invoice_frequency': 'on_milestone', 'billing_model': 'fixed_fee', 'milestones': [(24000, None), (36000, None), (30000, None)]}),
    ('retainer_table', 'Monthly retainer: S$12,000 (before GST), invoiced at the start of each month and payable within 30 days.\nIncluded: up to 40 hours of advisory per month.\nAdditional hours: S$320 per hour.\n',
     {'currency': 'SGD', 'billing_model': 'retainer', 'invoice_frequency': 'monthly', 'payment_terms_days': 30, 'rates': [(320, 'hour')]}),
    ('fr_echeancier_lines', 'Échéancier de paiement :\n- 30 % à la commande ;\n- 40 % à la livraison de la version 1 ;\n- 30 % à la réception définitive.\nLe prix global et forfaitaire est de 120 000 € HT. Paiement à 45 jours fin de mois.\n',
     {'currency': 'EUR', 'total_fee': 120000, 'payment_terms_days': 45, 'invoice_frequency': 'on_milestone', 'billing_model': 'fixed_fee', 'milestones': [(None, 30), (None, 40), (None, 30)]}),
    ('de_raten', 'Die Vergütung von insgesamt 75.000,00 EUR netto wird in drei Raten fällig:\n1. Rate: 25.000,00 EUR bei Vertragsunterzeichnung\n2. Rate: 25.000,00 EUR bei Abnahme des Feinkonzepts\n3. Rate: 25.000,00 EUR bei Produktivsetzung\nRechnungen sind innerhalb von 14 Tagen zahlbar.\n',
     {'currency': 'EUR', 'total_fee': 75000, 'payment_terms_days': 14, 'invoice_frequency': 'on_milestone', 'billing_model': 'milestone', 'milestones': [(25000, None), (25000, None), (25000, None)]}),
]  # fmt: skip


# An eighth set, strict, full of distractors (liability caps, insurance, damages, bonds, options, tax
# inclusive fees, SLA reductions, late-payment interest), written after round seven and scored before
# any fix for it (P 0.955 / R 0.913 / F1 0.933; the code before this round 0.950 / 0.826 / 0.884).
# One label was corrected after round nine: 'pénalités de retard au taux de 10 % l'an' is a late fee
# (0.8333 % a month), which set 8 had left null.
_EIGHTH_SET = [
    ('us_msa_distractors', "This SOW is governed by the Master Services Agreement dated June 1, 2025, under which Supplier's aggregate liability is capped at $2,000,000 and Supplier maintains commercial general liability insurance of $1,000,000 per occurrence.\n\nFees. Client will pay Supplier a fixed fee of $138,000 for the Services. Supplier will invoice 50% upon execution and 50% upon Final Acceptance. Invoices are payable Net 45. Late payments accrue interest at 1.5% per month. Liquidated damages of $1,000 per day apply to late delivery of the Final Report.\n",
     {'billing_model': 'fixed_fee', 'currency': 'USD', 'total_fee': 138000, 'payment_terms_days': 45, 'invoice_frequency': 'on_milestone', 'late_fee_percent_per_month': 1.5, 'milestones': [(None, 50), (None, 50)]}),
    ('uk_options', 'Contract Value\nThe Initial Term Charges are £240,000 (excluding VAT). If the Buyer exercises the optional 12-month extension, the Charges for the Extension Period will not exceed a further £120,000.\nThe Supplier shall submit invoices quarterly in arrears; the Buyer will pay within 30 days.\n',
     {'currency': 'GBP', 'total_fee': 240000, 'payment_terms_days': 30, 'invoice_frequency': 'quarterly'}),
    ('au_gst_inclusive', 'Payment\nThe Fee is $55,000 (inclusive of GST of $5,000). The Consultant may submit a tax invoice on completion of each Stage. The Client will pay within 30 days of receipt of a valid tax invoice.\n',
     {'currency': 'AUD', 'total_fee': 55000, 'payment_terms_days': 30, 'invoice_frequency': 'on_milestone'}),
    ('in_bank_guarantee', 'Commercial Terms\n1. Contract Price: INR 95,00,000 (Rupees Ninety-Five Lakh only) plus GST @ 18%.\n2. The Contractor shall furnish a performance bank guarantee of 10% of the Contract Price.\n3. Payment: 100% of each monthly invoice within 30 days of submission.\n4. Penalty for delay: 0.5% of the Contract Price per week, subject to a maximum of 5%.\n',
     {'currency': 'INR', 'total_fee': 9500000, 'payment_terms_days': 30, 'invoice_frequency': 'monthly'}),
    ('de_sla', 'Vergütung und Zahlung\nFür den Betrieb erhält der Auftragnehmer eine monatliche Pauschale von 8.500,00 EUR netto. Zusätzliche Leistungen werden nach Aufwand zu einem Stundensatz von 120,00 EUR netto abgerechnet. Bei Unterschreitung der vereinbarten Verfügbarkeit reduziert sich die Pauschale um 5 %. Die Rechnungsstellung erfolgt monatlich im Voraus; Zahlungsziel 14 Tage.\n',
     {'currency': 'EUR', 'payment_terms_days': 14, 'invoice_frequency': 'monthly', 'billing_model': 'retainer', 'rates': [(120, 'hour')]}),
    ('fr_penalites', "Article 8 – Prix et modalités de paiement\nLe prix forfaitaire de la prestation est fixé à 46 000 € HT.\nIl sera facturé à hauteur de 50 % à la signature et de 50 % à la livraison.\nLes factures sont payables à 30 jours. En cas de retard, des pénalités de retard au taux de 10 % l'an seront appliquées, ainsi qu'une indemnité forfaitaire de 40 € pour frais de recouvrement.\n",
     {'billing_model': 'fixed_fee', 'currency': 'EUR', 'total_fee': 46000, 'payment_terms_days': 30, 'invoice_frequency': 'on_milestone', 'late_fee_percent_per_month': 0.8333, 'milestones': [(None, 50), (None, 50)]}),
    ('ca_holdback', 'Payment Terms\nProgress billings will be issued monthly based on the percentage of work completed. The Owner shall retain a statutory holdback of 10% from each progress payment, released 60 days after substantial performance. Payment of each progress billing is due within 28 days.\nStipulated Price: $412,000 plus HST.\n',
     {'currency': 'CAD', 'total_fee': 412000, 'payment_terms_days': 28, 'invoice_frequency': 'monthly', 'retainage_percent': 10, 'billing_model': 'fixed_fee'}),
    ('sg_two_rates', 'Fees\nOur fees will be charged at S$380 per hour for Directors and S$240 per hour for Managers, subject to a cap of S$60,000 for this engagement. We will bill you monthly, and our invoices are payable within 30 days. Disbursements such as travel will be billed at cost.\n',
     {'billing_model': 'time_and_materials', 'currency': 'SGD', 'not_to_exceed': 60000, 'invoice_frequency': 'monthly', 'payment_terms_days': 30, 'expenses_reimbursable': True, 'rates': [(380, 'hour'), (240, 'hour')]}),
]  # fmt: skip


# A ninth set, strict, written after round eight and scored before any fix for it (P 1.000 / R 0.822 /
# F1 0.902; the code before this round 1.000 / 0.578 / 0.732). Open: shares written as fractions
# ("one-third at signing, one-third at …") and "dividido em 4 parcelas mensais" as monthly invoicing.
_NINTH_SET = [
    ('us_agency_sow', "Budget & Billing\nAgency will perform the Services for a flat project fee of $64,500. Agency will bill one-third of the fee at signing, one-third at the midpoint review and the remaining one-third at launch. Client shall remit payment within 20 days of invoice date. Third-party costs (stock imagery, printing) will be passed through at cost with Client's prior approval.\n",
     {'billing_model': 'fixed_fee', 'currency': 'USD', 'total_fee': 64500, 'payment_terms_days': 20, 'invoice_frequency': 'on_milestone', 'expenses_reimbursable': True}),
    ('uk_solicitor', 'Our charges\nOur charges will be calculated on the time spent on your matter. Our current hourly rates are: Partner £495; Senior Associate £380; Trainee Solicitor £160. We will send you an interim bill at the end of each month. Bills are payable within 14 days of delivery.\n',
     {'billing_model': 'time_and_materials', 'currency': 'GBP', 'payment_terms_days': 14, 'invoice_frequency': 'monthly', 'rates': [(495, 'hour'), (380, 'hour'), (160, 'hour')]}),
    ('ie_public', "Price\nThe Tenderer's total price for the Services is €184,500 excluding VAT, inclusive of all expenses.\nPayment will be made within 30 days of receipt of a valid invoice, in accordance with the Prompt Payment of Accounts Act 1997.\nThe contract will run for 18 months from the date of signature.\n",
     {'currency': 'EUR', 'total_fee': 184500, 'payment_terms_days': 30, 'expenses_reimbursable': False}),
    ('nz_dayrate', 'Fees: NZ$1,350 per day plus GST, capped at 60 days (NZ$81,000 plus GST) without further approval.\nInvoicing: fortnightly. Payment: by the 20th of the month following the invoice.\n',
     {'billing_model': 'time_and_materials', 'currency': 'NZD', 'not_to_exceed': 81000, 'invoice_frequency': 'biweekly', 'rates': [(1350, 'day')]}),
    ('pt_brasil', 'Cláusula Terceira – Do Preço e da Forma de Pagamento\n3.1. Pela execução dos serviços, a CONTRATANTE pagará à CONTRATADA o valor de R$ 96.000,00 (noventa e seis mil reais), dividido em 4 (quatro) parcelas mensais de R$ 24.000,00.\n3.2. O pagamento será efetuado até o 10º dia útil do mês subsequente à emissão da nota fiscal.\n3.3. Em caso de atraso, incidirá multa de 2% e juros de 1% ao mês.\n',
     {'currency': 'BRL', 'total_fee': 96000, 'invoice_frequency': 'monthly', 'late_fee_percent_per_month': 1}),
    ('sv_timpris_tak', 'Ersättning\nKonsulten debiterar enligt löpande räkning med ett timpris om 1 350 kronor exklusive moms. Den totala ersättningen får inte överstiga 270 000 kronor utan beställarens skriftliga godkännande. Fakturering sker varannan vecka och betalning ska ske inom 20 dagar.\n',
     {'billing_model': 'time_and_materials', 'currency': 'SEK', 'not_to_exceed': 270000, 'payment_terms_days': 20, 'invoice_frequency': 'biweekly', 'rates': [(1350, 'hour')]}),
    ('it_stati', 'Modalità di pagamento\nIl corrispettivo complessivo di € 140.000,00 oltre IVA sarà corrisposto come segue:\n- 20% alla stipula del contratto;\n- 50% al collaudo positivo della prima release;\n- 30% al collaudo finale.\nLe fatture saranno liquidate entro 60 giorni dalla data di ricevimento.\n',
     {'currency': 'EUR', 'total_fee': 140000, 'payment_terms_days': 60, 'invoice_frequency': 'on_milestone', 'billing_model': 'milestone', 'milestones': [(None, 20), (None, 50), (None, 30)]}),
    ('us_gov_ffp', 'B.2 Firm-Fixed-Price\nThe total firm-fixed price of this order is $318,750.00.\nG.1 Invoices shall be submitted electronically through the Invoice Processing Platform no more than once per month.\nG.2 Payment will be made on the 30th day after receipt of a proper invoice.\nF.1 The period of performance is 12 months from the date of award.\n',
     {'billing_model': 'fixed_fee', 'currency': 'USD', 'total_fee': 318750, 'invoice_frequency': 'monthly', 'payment_terms_days': 30}),
]  # fmt: skip
_NINTH_SET_WHY = {
    (
        "us_agency_sow",
        "invoice_frequency",
    ): "shares written as fractions (one-third at signing …) are no schedule yet",
    (
        "pt_brasil",
        "invoice_frequency",
    ): "a price divided into monthly parcelas does not set the invoicing frequency",
}


# A tenth set, strict, written after round nine and scored before any fix for it (P 0.889 / R 0.727 /
# F1 0.800; the code before this round 0.871 / 0.614 / 0.720). Open: a G-Cloud call-off priced as a
# fixed Discovery plus rates for Alpha under one cap reads as a fixed fee with the Discovery price
# as its total and one frequency for both phases.
_TENTH_SET = [
    ('jp_english', 'Article 4 (Service Fee)\n1. The service fee for the Services shall be JPY 7,200,000 (excluding consumption tax).\n2. The Vendor shall issue an invoice at the end of each month for the Services performed in that month, and the Client shall pay the invoice by the end of the following month.\n',
     {'currency': 'JPY', 'total_fee': 7200000, 'invoice_frequency': 'monthly'}),
    ('mx_pesos', 'Contraprestación\nEl Cliente pagará al Consultor la cantidad de $480,000.00 M.N. (cuatrocientos ochenta mil pesos 00/100 M.N.) más IVA, en dos exhibiciones: 50% a la firma del contrato y 50% a la entrega del informe final. Las facturas (CFDI) se pagarán dentro de los 30 días naturales siguientes a su recepción.\n',
     {'currency': 'MXN', 'total_fee': 480000, 'payment_terms_days': 30, 'invoice_frequency': 'on_milestone', 'billing_model': 'milestone', 'milestones': [(None, 50), (None, 50)]}),
    ('de_stunden_liste', 'Honorar\nWir berechnen unsere Leistungen nach Zeitaufwand zu folgenden Stundensätzen (zzgl. USt.):\n• Partner: 390 €\n• Manager: 280 €\n• Consultant: 190 €\nWir rechnen monatlich ab; unsere Rechnungen sind sofort ohne Abzug fällig.\n',
     {'billing_model': 'time_and_materials', 'currency': 'EUR', 'payment_terms_days': 0, 'invoice_frequency': 'monthly', 'rates': [(390, 'hour'), (280, 'hour'), (190, 'hour')]}),
    ('in_rs_retainer', 'Professional Fees\nOur retainership fee will be Rs. 1,50,000/- per month plus applicable GST, payable in advance by the 7th of each month. Out-of-pocket expenses will be billed at actuals.\n',
     {'billing_model': 'retainer', 'currency': 'INR', 'invoice_frequency': 'monthly', 'expenses_reimbursable': True}),
    ('uk_gcloud', "Call-Off Contract charges\nThe Buyer will pay the Supplier a fixed price of £38,400 for the Discovery phase and the rates in the Supplier's pricing document for the Alpha phase, up to a maximum of £95,000 (excluding VAT) across both phases.\nPayment profile: milestone payments for Discovery; monthly in arrears for Alpha.\n",
     {'billing_model': 'mixed', 'currency': 'GBP', 'not_to_exceed': 95000}),
    ('kr_english', 'Article 5. Contract Amount and Payment\nThe total contract amount is KRW 185,000,000 (VAT excluded), payable as follows: advance payment of 30% within 14 days after contract signing, interim payment of 40% upon completion of the design phase, and the balance of 30% upon final acceptance.\n',
     {'currency': 'KRW', 'total_fee': 185000000, 'invoice_frequency': 'on_milestone', 'billing_model': 'milestone', 'milestones': [(None, 30), (None, 40), (None, 30)]}),
    ('no_uke', 'Pris\nOppdraget prises etter medgått tid. Timepris: NOK 1 450 eks. mva. Estimert omfang er 200 timer, dvs. ca. NOK 290 000 eks. mva. Fakturering skjer hver 14. dag med betalingsfrist 30 dager.\n',
     {'billing_model': 'time_and_materials', 'currency': 'NOK', 'total_fee': 290000, 'payment_terms_days': 30, 'invoice_frequency': 'biweekly', 'rates': [(1450, 'hour')]}),
    ('us_tm_table_nte', 'Labor Category            Rate/Hr     Hours    Extended\nProject Manager           $185.00     200      $37,000.00\nBusiness Analyst          $140.00     400      $56,000.00\nTotal (Not-to-Exceed)                          $93,000.00\nTravel will be reimbursed at cost in accordance with the Federal Travel Regulation, not to exceed $6,000.\n',
     {'billing_model': 'time_and_materials', 'currency': 'USD', 'not_to_exceed': 93000, 'expenses_reimbursable': True, 'expenses_cap': 6000, 'rates': [(185, 'hour'), (140, 'hour')]}),
]  # fmt: skip
_TENTH_SET_WHY = {
    ("uk_gcloud", "billing_model"): "a fixed phase plus rates in a pricing document is not read as mixed",
    ("uk_gcloud", "total_fee"): "one phase's fixed price is read as the total",
    (
        "uk_gcloud",
        "invoice_frequency",
    ): "one frequency cannot state milestone payments for one phase and monthly for the other",
}


# An eleventh set, strict, weighted to term dates, totals and expenses, written after round ten and
# scored before any fix for it (P 0.972 / R 0.814 / F1 0.886; the code before this round 0.964 /
# 0.628 / 0.761).
_ELEVENTH_SET = [
    ('us_term_through', 'Term. This SOW begins on the Effective Date of March 15, 2027 and remains in effect through September 30, 2027, unless terminated earlier.\nFees. The total fee for the Services is $72,000, invoiced in equal monthly installments. Reasonable travel expenses will be reimbursed at cost.\n',
     {'currency': 'USD', 'total_fee': 72000, 'start_date': '2027-03-15', 'end_date': '2027-09-30', 'invoice_frequency': 'monthly', 'expenses_reimbursable': True}),
    ('uk_services_period', 'Services Period: the Services will be delivered between 6 April 2027 and 30 September 2027.\nFee: £58,000 plus VAT, invoiced in arrears at the end of each month in proportion to the work done. Expenses are not chargeable.\n',
     {'currency': 'GBP', 'total_fee': 58000, 'start_date': '2027-04-06', 'end_date': '2027-09-30', 'invoice_frequency': 'monthly', 'expenses_reimbursable': False}),
    ('au_until', 'The engagement will commence on 1 July 2027 and continue until 31 December 2027.\nOur professional fee for the engagement is $96,000 (excluding GST). Disbursements will be charged at cost.\nExample Partners Pty Ltd\n',
     {'currency': 'AUD', 'total_fee': 96000, 'start_date': '2027-07-01', 'end_date': '2027-12-31', 'expenses_reimbursable': True}),
    ('ca_duration_months', 'Duration: six (6) months from the date of the last signature, estimated to run from May 1, 2027 to October 31, 2027.\nProfessional fees: CAD 84,000 plus applicable taxes, invoiced monthly.\n',
     {'currency': 'CAD', 'total_fee': 84000, 'start_date': '2027-05-01', 'end_date': '2027-10-31', 'invoice_frequency': 'monthly'}),
    ('de_zeitraum', 'Leistungszeitraum: 1. März 2027 bis 31. August 2027\nVergütung: Die Gesamtvergütung beträgt 92.000 EUR zzgl. MwSt. Reisekosten werden gesondert nach tatsächlichem Aufwand abgerechnet.\n',
     {'currency': 'EUR', 'total_fee': 92000, 'start_date': '2027-03-01', 'end_date': '2027-08-31', 'expenses_reimbursable': True}),
    ('fr_periode', "Période d'exécution : du 2 mai 2027 au 29 octobre 2027.\nMontant total de la prestation : 64 500 € HT. Les frais de déplacement sont inclus dans le prix.\n",
     {'currency': 'EUR', 'total_fee': 64500, 'start_date': '2027-05-02', 'end_date': '2027-10-29', 'expenses_reimbursable': False}),
    ('in_completion', 'The Contractor shall commence the work on 15.04.2027 and complete it by 14.10.2027.\nThe total contract value is INR 62,00,000 exclusive of GST. Travel and boarding expenses, if any, shall be borne by the Contractor.\n',
     {'currency': 'INR', 'total_fee': 6200000, 'start_date': '2027-04-15', 'end_date': '2027-10-14', 'expenses_reimbursable': False}),
    ('sg_engagement_dates', 'Engagement period: 1 June 2027 – 30 November 2027 (6 months)\nTotal professional fees: S$150,000 (before GST), billed monthly in arrears.\nOut-of-pocket expenses will be billed at cost, capped at 5% of professional fees.\nExample Pte Ltd\n',
     {'currency': 'SGD', 'total_fee': 150000, 'start_date': '2027-06-01', 'end_date': '2027-11-30', 'invoice_frequency': 'monthly', 'expenses_reimbursable': True}),
]  # fmt: skip


#: The strict sets from the sixth on, each with the fields it is known to get wrong (as strict xfails).
_STRICT_SETS: dict[str, tuple[list[Any], dict[tuple[str, str], str]]] = {
    "sixth": (_SIXTH_SET, _SIXTH_SET_WHY),
    "seventh": (_SEVENTH_SET, {}),
    "eighth": (_EIGHTH_SET, {}),
    "ninth": (_NINTH_SET, _NINTH_SET_WHY),
    "tenth": (_TENTH_SET, _TENTH_SET_WHY),
    "eleventh": (_ELEVENTH_SET, {}),
}


@pytest.mark.parametrize(
    ("name", "text", "expected", "gaps"),
    [
        pytest.param(name, text, expected, gaps, id=f"{set_name}-{name}")
        for set_name, (cases, gaps) in _STRICT_SETS.items()
        for name, text, expected in cases
    ],
)
def test_strict_set(name: str, text: str, expected: dict[str, Any], gaps: dict[tuple[str, str], str]) -> None:
    right = _strict_fields(_billing(text), expected)
    assert [f for f, ok in right.items() if not ok and (name, f) not in gaps] == []


@pytest.mark.parametrize(
    ("cases", "name", "field"),
    [
        pytest.param(cases, n, f, marks=pytest.mark.xfail(strict=True, reason=why), id=f"{set_name}-{n}-{f}")
        for set_name, (cases, gaps) in _STRICT_SETS.items()
        for (n, f), why in gaps.items()
    ],
)
def test_strict_set_known_gaps(cases: list[Any], name: str, field: str) -> None:
    _, text, expected = next(case for case in cases if case[0] == name)
    assert _strict_fields(_billing(text), expected)[field]
