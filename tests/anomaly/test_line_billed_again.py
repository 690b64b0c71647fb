"""``line_billed_again``: a passed-on invoice (a lab's, a driller's) billed a second time, read
from the history's own lines: their texts carry a reference that changes every month, so the same
text and amount on a later invoice is the same cost again; equipment billed for the same number
of days two months running is chance."""

from __future__ import annotations

import datetime as dt

from anomaly import InvoiceAnomalyModel, score_invoices
from tests.anomaly.test_invoice_habits import Rows, _Ledger, _month, _split


def _ledger(*, rebill_in: int | None = None, lab_reference: bool = True) -> _Ledger:
    """Sixteen monthly invoices of one project: hours, a lab's invoice passed on at cost (its
    number in the text), equipment and mileage per field day. ``rebill_in``: the month whose
    invoice carries the month before's lab line again."""
    ledger = _Ledger()
    Line = tuple[str, float, float, str, dt.date | None, dt.date | None]
    previous_lab: Line | None = None
    for k in range(16):
        first, last = _month(2025, 6, k)
        # Field days: the batch's second month repeats a count the history had once (7).
        days = (3, 4, 5, 6, 7, 8, 3, 9, 4, 10, 5, 11, 6, 2, 7, 12)[k]
        text = f"Lab analysis, invoice ALS-{first:%y}-{4000 + 37 * k}" if lab_reference else "Lab analysis"
        lab: Line = (text, 1.0, 800.0 + 55.0 * (k % 5) if lab_reference else 900.0, "", first, last)
        body: list[Line] = [
            ("Field engineer", 40.0 + k, 120.0, "Engineer", first, last),
            lab,
            ("Equipment: water quality meter, per day", float(days), 145.0, "", first, last),
            (f"Mileage: {days} field days x 60 mi", days * 60.0, 0.7, "", first, last),
        ]
        if rebill_in == k and previous_lab is not None:
            body.append(previous_lab)
        ledger.issue("COUNTY", "SITE-7", last + dt.timedelta(days=12), body, vat=0.0, terms=30)
        previous_lab = lab
    return ledger


CUT = "2026-08-01"  # the last three months' invoices are the batch


def _rules(ledger: _Ledger) -> dict[str, set[str]]:
    history, history_lines, batch, batch_lines = _split(ledger, CUT)
    model = InvoiceAnomalyModel(n_estimators=50, random_state=0).fit(history, history_lines)
    result = score_invoices(batch, batch_lines, model=model)
    assert not result.rejected
    return {r.id: {c.rule for c in r.controls} for r in result.results}


def _numbers(ledger: _Ledger, rules: dict[str, set[str]]) -> set[str]:
    return {ledger.number_of(i) for i, r in rules.items() if "line_billed_again" in r}


def test_an_ordinary_batch_bills_nothing_again() -> None:
    # Its mileage for 7 field days repeats, text and amount, the one earlier such line: the
    # history's mileage texts recur, so that is chance, not a cost passed on twice.
    ledger = _ledger()
    rules = _rules(ledger)
    assert len(rules) == 3
    assert not _numbers(ledger, rules)


def test_last_months_lab_invoice_billed_again_is_flagged() -> None:
    ledger = _ledger(rebill_in=15)
    rebilled: Rows = [i for i in ledger.invoices if i["issue_date"] >= CUT][-1:]
    assert _numbers(ledger, _rules(ledger)) == {str(rebilled[0]["invoice_number"])}


def test_a_cost_whose_text_recurs_every_month_is_left_alone() -> None:
    # The same text and amount every month: the firm's history shows it is a fixed charge.
    ledger = _ledger(rebill_in=15, lab_reference=False)
    assert not _numbers(ledger, _rules(ledger))
