# ruff: noqa: E501  (the phrasings read better unbroken)
"""The term's first and last day: cover-block labels, stated durations and verbs in ten languages.

The phrasings here are written for these tests (not copied from the hand-written cases), so a
rule that only fits one case's wording fails them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from extraction import ingest
from extraction.billing import extract_billing
from extraction.billing.dates import PERIOD_RE, find_dates, parse_period, period_end, period_kind


def _billing(text: str) -> dict[str, Any]:
    document = ingest(text.encode("utf-8"), filename="sow.txt")
    dumped = extract_billing(document).billing.model_dump(mode="json")
    for name in ("start_date", "end_date"):
        if dumped[name]:
            for evidence in dumped[name]["evidence"]:
                page = document.page(evidence["page"])
                assert page.text[evidence["start"] : evidence["end"]] == evidence["quote"], name
    return dumped


def _term(text: str) -> tuple[str | None, str | None]:
    billing = _billing(text)
    return (
        billing["start_date"]["value"] if billing["start_date"] else None,
        billing["end_date"]["value"] if billing["end_date"] else None,
    )


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2028/11/04", dt.date(2028, 11, 4)),
        ("2028.11.04", dt.date(2028, 11, 4)),
        ("04-Nov-2028", dt.date(2028, 11, 4)),
        ("4-Nov-28", dt.date(2028, 11, 4)),
        ("il 4° novembre 2028", dt.date(2028, 11, 4)),
    ],
)
def test_find_dates_register_forms(text: str, value: dt.date) -> None:
    assert [d.value for d in find_dates(text, day_first=True)] == [value]


@pytest.mark.parametrize(
    ("text", "count", "kind"),
    [
        ("nine (9) calendar months", 9, "month"),
        ("neun Monaten", 9, "month"),
        ("vingt-quatre mois", 24, "month"),
        ("dieciocho meses", 18, "month"),
        ("tien weken", 10, "week"),
        ("tre anni", 3, "year"),
        ("dois anos", 2, "year"),
        ("fyra veckor", 4, "week"),
        ("18 miesięcy", 18, "month"),
    ],
)
def test_periods_in_other_languages(text: str, count: int, kind: str) -> None:
    found = [
        (parse_period(m), period_kind(m.group("unit"))) for m in PERIOD_RE.finditer(text) if parse_period(m)
    ]
    assert found == [(count, kind)]


def test_period_end_reads_a_foreign_unit() -> None:
    assert period_end(dt.date(2028, 2, 1), 2, "Wochen") == dt.date(2028, 2, 14)
    assert period_end(dt.date(2028, 2, 1), 1, "año") == dt.date(2029, 1, 31)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        (
            "PROJECT PARTICULARS\nProject Start Date:      2 October 2028\nProject End Date:        "
            "29 June 2029\nThe Supplier will invoice monthly.",
            "2028-10-02",
            "2029-06-29",
        ),
        ("Details\nKick-off date | 11.09.2028\nFinish date | 15.12.2028\n", "2028-09-11", "2028-12-15"),
        ("Projektdaten\nProjektbeginn:  04.09.2028\nProjektende:    28.02.2029\n", "2028-09-04", "2029-02-28"),
        ("Calendrier\nDate de démarrage : 2 octobre 2028\nDate de fin : 30 mars 2029\n", "2028-10-02", "2029-03-30"),
        ("Plazos\nFecha de inicio: 5 de junio de 2028\nFecha de finalización: 1 de diciembre de 2028\n",
         "2028-06-05", "2028-12-01"),
        ("Planning\nAanvangsdatum:   3 juli 2028\nEinddatum:       29 september 2028\n", "2028-07-03", "2028-09-29"),
        ("Tidplan\nStartdatum:  2028-08-21\nSlutdatum:   2028-11-30\n", "2028-08-21", "2028-11-30"),
        ("Terminy\nData rozpoczęcia: 01.10.2028\nData zakończenia: 31.03.2029\n", "2028-10-01", "2029-03-31"),
        ("Schedule\nCommencement:   Tuesday 3 October 2028\nCompletion:     Friday 22 December 2028\n",
         "2028-10-03", "2028-12-22"),
    ],
)  # fmt: skip
def test_cover_block_labels_give_the_term(text: str, start: str, end: str) -> None:
    assert _term(text) == (start, end)


@pytest.mark.parametrize(
    "text",
    [
        "Order Date:       14 August 2028\nDate of issue:    15 August 2028\n",
        "Option Period Start Date:   1 September 2029\nRenewal End Date:   31 August 2030\n",
        "Milestone 2 completion date:   30 November 2028\n",
        # a schedule row that dates a payment, not the term
        "Completion   30/11/2028   42,500\n",
    ],
)
def test_labels_of_other_dates_give_no_term(text: str) -> None:
    assert _term(text) == (None, None)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("Die Leistungen beginnen am 2. Oktober 2028 und enden spätestens am 31. Januar 2029.",
         "2028-10-02", "2029-01-31"),
        ("Les prestations débuteront le 9 octobre 2028 et s'achèveront au plus tard le 15 décembre 2028.",
         "2028-10-09", "2028-12-15"),
        ("Los servicios comenzarán el 2 de octubre de 2028 y terminarán, a más tardar, el 30 de noviembre de 2028.",
         "2028-10-02", "2028-11-30"),
        ("Het project begint op 2 oktober 2028 en eindigt uiterlijk op 22 december 2028.",
         "2028-10-02", "2028-12-22"),
        ("Arbetet inleds 2028-10-02 och ska vara slutfört senast 2028-12-15.", "2028-10-02", "2028-12-15"),
        ("We plan to begin on 9 October 2028 and to wrap up the final workshop on 8 December 2028.",
         "2028-10-09", "2028-12-08"),
        ("Fieldwork starts on Monday, October 2, 2028 and concludes with a board readout on Thursday, "
         "November 30, 2028.", "2028-10-02", "2028-11-30"),
    ],
)  # fmt: skip
def test_verbs_that_start_and_end_the_term(text: str, start: str, end: str) -> None:
    assert _term(text) == (start, end)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("Laufzeit\nDer Vertrag beginnt am 1. Oktober 2028 und läuft für die Dauer von 9 Monaten.",
         "2028-10-01", "2029-06-30"),
        ("Durée\nLe contrat est conclu pour une durée de dix-huit mois à compter du 1er juillet 2028.",
         "2028-07-01", "2029-12-31"),
        ("O contrato vigora por um período de 24 meses a partir de 1 de agosto de 2028.",
         "2028-08-01", "2030-07-31"),
        ("Il servizio decorre dal 1° settembre 2028 per la durata di sei mesi.", "2028-09-01", "2029-02-28"),
        ("The Services Start Date is 15 January 2029. The engagement will continue for a period of "
         "twenty-six (26) weeks.", "2029-01-15", "2029-07-15"),
    ],
)  # fmt: skip
def test_a_stated_duration_gives_the_end(text: str, start: str, end: str) -> None:
    billing = _billing(text)
    assert billing["start_date"]["value"] == start
    assert billing["end_date"]["value"] == end


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("The Commencement Date shall be 4 September 2028.\nThe Time for Completion of the Works is 2 March 2029.",
         "2028-09-04", "2029-03-02"),
        ("The starting date is 2028/09/04. The completion date for the whole of the service is 2029/03/02.",
         "2028-09-04", "2029-03-02"),
        ("Notice to proceed is expected on or about September 4, 2028.", "2028-09-04", None),
    ],
)  # fmt: skip
def test_contract_data_sentences(text: str, start: str, end: str | None) -> None:
    assert _term(text) == (start, end)


def test_an_end_before_the_start_dates_another_agreement() -> None:
    text = (
        "This Order starts on 1 March 2029 and runs for six (6) months from that date.\n"
        "The previous Order, which ends on 28 February 2029, is not affected."
    )
    assert _term(text) == ("2029-03-01", "2029-08-31")


def test_a_financial_year_end_is_no_term_end() -> None:
    text = "Engagement letter for the audit of the financial year ending 30th June, 2029. We will commence fieldwork on 1st July, 2029."
    assert _term(text) == ("2029-07-01", None)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("Placement\n  Engagement start ........ Tuesday, March 2, 2027\n  Engagement end .......... Friday, May 28, 2027 (13 weeks)\n",
         "2027-03-02", "2027-05-28"),
        ("Work shall begin upon notice to proceed, expected 03/08/2027, and be finished no later than 07/30/2027.",
         "2027-03-08", "2027-07-30"),
        ("We plan to start our year-end fieldwork on or about March 1, 2027 and to deliver our final report by May 14, 2027.",
         "2027-03-01", "2027-05-14"),
    ],
)  # fmt: skip
def test_us_engagement_letter_and_staffing_phrasings(text: str, start: str, end: str) -> None:
    assert _term(text) == (start, end)


def test_a_buildings_completion_date_is_not_the_services_end() -> None:
    text = (
        "Design services commence on April 5, 2027.\n"
        "The projected substantial completion date for construction is June 30, 2029."
    )
    assert _term(text) == ("2027-04-05", None)
