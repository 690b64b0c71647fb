"""Invoice habits of a firm unlike our generators: a Dutch web agency that sells prepaid blocks
of support hours (invoiced at the start of the period they cover), bills one client time and
materials in arrears, and corrects mistakes with credit notes, some a few hours, one cancelling
a whole invoice that is then issued again."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import numpy as np
import pytest

from anomaly import InvoiceAnomalyModel, read_invoices, score_invoices
from anomaly.features import EARLY_INVOICE_DAYS

Rows = list[dict[str, Any]]


def _month(year: int, month: int, shift: int) -> tuple[dt.date, dt.date]:
    index = year * 12 + month - 1 + shift
    first = dt.date(index // 12, index % 12 + 1, 1)
    following = dt.date((index + 1) // 12, (index + 1) % 12 + 1, 1)
    return first, following - dt.timedelta(days=1)


class _Ledger:
    def __init__(self) -> None:
        self.invoices: Rows = []
        self.lines: Rows = []

    def issue(
        self,
        client: str,
        project: str,
        issued: dt.date,
        body: list[tuple[str, float, float, str, dt.date | None, dt.date | None]],
        *,
        vat: float = 0.21,
        terms: int = 14,
    ) -> str:
        invoice_id = f"BW-{len(self.invoices) + 1:04d}"
        subtotal = 0.0
        for text, quantity, price, role, start, end in body:
            amount = round(quantity * price, 2)
            subtotal += amount
            self.lines.append(
                {
                    "invoice_id": invoice_id,
                    "description": text,
                    "quantity": quantity,
                    "unit_price": price,
                    "amount": amount,
                    "role": role,
                    "period_start": start.isoformat() if start else "",
                    "period_end": end.isoformat() if end else "",
                }
            )
        tax = round(subtotal * vat, 2)
        self.invoices.append(
            {
                "invoice_id": invoice_id,
                "invoice_number": f"{issued.year}-{len(self.invoices) + 101:04d}",
                "client_id": client,
                "project_id": project,
                "issue_date": issued.isoformat(),
                "due_date": (issued + dt.timedelta(days=terms)).isoformat(),
                "currency": "EUR",
                "subtotal": round(subtotal, 2),
                "tax": tax,
                "total": round(subtotal + tax, 2),
            }
        )
        return invoice_id

    def number_of(self, invoice_id: str) -> str:
        return next(str(i["invoice_number"]) for i in self.invoices if i["invoice_id"] == invoice_id)


def brightwater(months: int) -> _Ledger:
    """``months`` of Brightwater's invoicing from July 2025, in issue order."""
    ledger = _Ledger()
    for m in range(months):
        first, last = _month(2025, 7, m)
        # Prepaid: the month's 40 support hours, invoiced on its first working day.
        opening = first + dt.timedelta(days={5: 2, 6: 1}.get(first.weekday(), 0))
        ledger.issue(
            "HAVEN",
            "HAV-SUPPORT",
            opening,
            [(f"Support block {first:%B %Y} (40 h)", 40.0, 92.5, "Developer", first, last)],
        )
        # Prepaid each quarter: 120 design hours ahead.
        if m % 3 == 0:
            _, quarter_end = _month(first.year, first.month, 2)
            ledger.issue(
                "TULP",
                "TULP-DESIGN",
                opening + dt.timedelta(days=1),
                [
                    (
                        f"Design retainer Q {first:%m/%Y}-{quarter_end:%m/%Y}",
                        120.0,
                        105.0,
                        "Designer",
                        first,
                        quarter_end,
                    )
                ],
            )
        # In arrears: last month's hours, on the 6th or the next working day.
        previous_first, previous_last = _month(2025, 7, m - 1)
        issued = first.replace(day=6)
        issued += dt.timedelta(days={5: 2, 6: 1}.get(issued.weekday(), 0))
        dev = 96.0 + 8 * (m % 4)
        pm = 14.0 + 2 * (m % 3)
        tm = ledger.issue(
            "KADE",
            "KADE-PLATFORM",
            issued,
            [
                (f"Development {previous_first:%B}", dev, 98.0, "Developer", previous_first, previous_last),
                (
                    f"Project management {previous_first:%B}",
                    pm,
                    120.0,
                    "Project Manager",
                    previous_first,
                    previous_last,
                ),
            ],
            terms=30,
        )
        # Credit notes on the arrears account: a few hours taken back, or (once) the whole
        # invoice cancelled because it went to the wrong entity, then issued again.
        if m % 4 == 2:
            ledger.issue(
                "KADE",
                "KADE-PLATFORM",
                issued + dt.timedelta(days=9),
                [
                    (
                        f"Creditnota op factuur {ledger.number_of(tm)} - uren niet geaccepteerd",
                        -float(3 + m % 3),
                        98.0,
                        "Developer",
                        previous_first,
                        previous_last,
                    )
                ],
                terms=0,
            )
        if m == 7:
            ledger.issue(
                "KADE",
                "KADE-PLATFORM",
                issued + dt.timedelta(days=3),
                [
                    (
                        f"Storno factuur {ledger.number_of(tm)}",
                        -dev,
                        98.0,
                        "Developer",
                        previous_first,
                        previous_last,
                    ),
                    (
                        f"Storno factuur {ledger.number_of(tm)}",
                        -pm,
                        120.0,
                        "Project Manager",
                        previous_first,
                        previous_last,
                    ),
                ],
                terms=0,
            )
            ledger.issue(
                "KADE",
                "KADE-PLATFORM",
                issued + dt.timedelta(days=3),
                [
                    (
                        f"Development {previous_first:%B} (heruitgifte)",
                        dev,
                        98.0,
                        "Developer",
                        previous_first,
                        previous_last,
                    ),
                    (
                        f"Project management {previous_first:%B} (heruitgifte)",
                        pm,
                        120.0,
                        "Project Manager",
                        previous_first,
                        previous_last,
                    ),
                ],
                terms=30,
            )
        # A fixed hosting fee, billed ahead of its month.
        ledger.issue(
            "KADE", "KADE-HOSTING", opening, [(f"Hosting {first:%B %Y}", 1.0, 650.0, "", first, last)]
        )
    return ledger


def _split(ledger: _Ledger, cut: str) -> tuple[Rows, Rows, Rows, Rows]:
    early = {i["invoice_id"] for i in ledger.invoices if i["issue_date"] < cut}
    history = [i for i in ledger.invoices if i["invoice_id"] in early]
    batch = [i for i in ledger.invoices if i["invoice_id"] not in early]
    return (
        history,
        [x for x in ledger.lines if x["invoice_id"] in early],
        batch,
        [x for x in ledger.lines if x["invoice_id"] not in early],
    )


@pytest.fixture(scope="module")
def brightwater_split() -> tuple[Rows, Rows, Rows, Rows]:
    return _split(brightwater(16), "2026-08-01")


@pytest.fixture(scope="module")
def brightwater_model(brightwater_split: tuple[Rows, Rows, Rows, Rows]) -> InvoiceAnomalyModel:
    history, history_lines, _, _ = brightwater_split
    return InvoiceAnomalyModel(random_state=3).fit(history, history_lines)


def _flags(model: InvoiceAnomalyModel, invoices: Rows, lines: Rows) -> dict[str, set[str]]:
    result = score_invoices(invoices, lines, model=model)
    assert not result.rejected
    return {
        r.id: {c.rule for c in r.controls} | ({"model"} if r.risk >= 0.5 else set()) for r in result.results
    }


def _shift_period(lines: Rows, invoice_id: str, *, end_days: int, start_days: int = 0) -> Rows:
    moved = copy.deepcopy(lines)
    for x in moved:
        if x["invoice_id"] == invoice_id:
            x["period_start"] = (
                dt.date.fromisoformat(x["period_start"]) + dt.timedelta(days=start_days)
            ).isoformat()
            x["period_end"] = (
                dt.date.fromisoformat(x["period_end"]) + dt.timedelta(days=end_days)
            ).isoformat()
    return moved


def test_prepaid_blocks_are_the_projects_habit_not_hours_billed_before_worked(
    brightwater_split: tuple[Rows, Rows, Rows, Rows], brightwater_model: InvoiceAnomalyModel
) -> None:
    _, _, batch, lines = brightwater_split
    fired = _flags(brightwater_model, batch, lines)
    # Every support and design block bills its period ahead, as each did in the history.
    assert not any("hours_billed_before_worked" in rules for rules in fired.values())
    # The arrears account billing the month in progress is still caught ...
    arrears = next(i["invoice_id"] for i in batch if i["project_id"] == "KADE-PLATFORM" and i["total"] > 0)
    early = _shift_period(lines, arrears, start_days=31, end_days=61)
    assert "hours_billed_before_worked" in _flags(brightwater_model, batch, early)[arrears]
    # ... and so is a block running months further ahead than the project ever billed.
    block = next(i["invoice_id"] for i in batch if i["project_id"] == "HAV-SUPPORT")
    far = _shift_period(lines, block, end_days=120)
    assert "hours_billed_before_worked" in _flags(brightwater_model, batch, far)[block]


def test_a_project_billing_ahead_once_has_no_habit() -> None:
    ledger = brightwater(16)
    history, history_lines, _, _ = _split(ledger, "2026-08-01")
    arrears = [i["invoice_id"] for i in history if i["project_id"] == "KADE-PLATFORM" and i["total"] > 0]
    once = _shift_period(history_lines, arrears[3], start_days=31, end_days=61)
    model = InvoiceAnomalyModel(n_estimators=20, random_state=3).fit(history, once)
    allowance = model.history_.project_lead_allowance
    assert allowance["KADE-PLATFORM"] == EARLY_INVOICE_DAYS
    assert allowance["HAV-SUPPORT"] > 25  # each month's block ends about 30 days after it is issued


def test_credit_notes_are_compared_with_the_firms_credit_notes(
    brightwater_split: tuple[Rows, Rows, Rows, Rows], brightwater_model: InvoiceAnomalyModel
) -> None:
    _, _, batch, lines = brightwater_split
    assert any(i["total"] < 0 for i in batch)
    assert _flags(brightwater_model, batch, lines) == {i["invoice_id"]: set() for i in batch}
    frame = brightwater_model.features(*_validated(batch, lines))
    names = list(frame.names)
    credit = frame.display["total"] < 0
    low, high = brightwater_model.usual_low_, brightwater_model.usual_high_
    for name in ("total_vs_client", "lines_vs_client", "due_days_vs_client"):
        k = names.index(name)
        assert np.all((frame.matrix[credit, k] >= low[k]) & (frame.matrix[credit, k] <= high[k])), name
    # A credit note has no place in the cycle, and the invoice after it keeps its usual interval.
    interval = frame.matrix[:, names.index("interval_vs_usual")]
    assert np.all(interval[credit] == 1.0)
    assert np.all(np.abs(interval[~credit] - 1.0) < 0.2)


def test_a_credit_note_much_larger_than_the_firms_usual_stands_out(
    brightwater_split: tuple[Rows, Rows, Rows, Rows], brightwater_model: InvoiceAnomalyModel
) -> None:
    _, _, batch, lines = brightwater_split
    credit = next(i for i in batch if i["total"] < 0)
    large = copy.deepcopy(lines)
    for x in large:
        if x["invoice_id"] == credit["invoice_id"]:
            x["quantity"] *= 25
            x["amount"] = round(x["quantity"] * x["unit_price"], 2)
    heads = copy.deepcopy(batch)
    for head in heads:
        if head["invoice_id"] == credit["invoice_id"]:
            head["subtotal"] = sum(x["amount"] for x in large if x["invoice_id"] == head["invoice_id"])
            head["tax"] = round(head["subtotal"] * 0.21, 2)
            head["total"] = round(head["subtotal"] + head["tax"], 2)
    frame = brightwater_model.features(*_validated(heads, large))
    k = list(frame.names).index("total_vs_client")
    row = [i["invoice_id"] for i in heads].index(credit["invoice_id"])
    assert frame.matrix[row, k] > brightwater_model.usual_high_[k] + 1.0


def test_without_credit_notes_in_history_a_credit_notes_size_is_no_evidence() -> None:
    ledger = brightwater(16)
    history, history_lines, batch, lines = _split(ledger, "2026-08-01")
    positive = {i["invoice_id"] for i in history if i["total"] >= 0}
    model = InvoiceAnomalyModel(n_estimators=20, random_state=3).fit(
        [i for i in history if i["invoice_id"] in positive],
        [x for x in history_lines if x["invoice_id"] in positive],
    )
    frame = model.features(*_validated(batch, lines))
    credit = frame.display["total"] < 0
    for name in ("total_vs_client", "lines_vs_client", "due_days_vs_client"):
        k = list(frame.names).index(name)
        assert np.all(frame.matrix[credit, k] == model.history_.feature_medians[k]), name


def _validated(invoices: Rows, lines: Rows) -> tuple[Any, Any]:
    batch = read_invoices(invoices, lines)
    assert not batch.rejected
    return batch.invoices, batch.lines
