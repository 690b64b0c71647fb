"""Firm E (evals/_firm_e.py): deterministic per seed, contract-shaped, every label kind present."""

from __future__ import annotations

import pandas as pd
import pytest

from evals._firm_e import FIRM_E_INVOICE_KINDS, FIRM_E_TIME_KINDS, FirmE, simulate_firm_e
from evals.registry import EVAL_SUITES

ENTRY_COLUMNS = {
    "entry_id",
    "person_id",
    "project_id",
    "client_id",
    "work_date",
    "hours",
    "billable",
    "role",
    "bill_rate",
    "currency",
    "description",
    "logged_at",
}
INVOICE_COLUMNS = {
    "invoice_id",
    "invoice_number",
    "client_id",
    "project_id",
    "issue_date",
    "due_date",
    "currency",
    "subtotal",
    "tax",
    "total",
    "po_number",
}
LINE_COLUMNS = {
    "invoice_id",
    "description",
    "quantity",
    "unit_price",
    "amount",
    "role",
    "period_start",
    "period_end",
}


@pytest.fixture(scope="module")
def firm() -> FirmE:
    return simulate_firm_e(3, n_people=24)


def test_deterministic_per_seed(firm: FirmE) -> None:
    again = simulate_firm_e(3, n_people=24)
    pd.testing.assert_frame_equal(firm.entries, again.entries)
    pd.testing.assert_frame_equal(firm.invoices, again.invoices)
    pd.testing.assert_frame_equal(firm.lines, again.lines)
    assert firm.context == again.context
    other = simulate_firm_e(4, n_people=24)
    assert not firm.entries["hours"].equals(other.entries["hours"])


def test_entries_have_the_contract_shape(firm: FirmE) -> None:
    e = firm.entries
    assert set(e.columns) == ENTRY_COLUMNS | {"label_kind"}
    assert e["entry_id"].is_unique
    assert ((e["hours"] > 0) & (e["hours"] <= 24)).all()
    assert e["billable"].dtype == bool
    assert set(e["currency"]) == {"USD"}
    assert pd.api.types.is_datetime64_any_dtype(e["work_date"])
    assert pd.api.types.is_datetime64_any_dtype(e["logged_at"])
    billable = e[e["billable"]]
    assert billable["bill_rate"].gt(0).all()
    # Billable time is on client projects the context knows, and rates there are on their card.
    cards = {
        p["project_id"]: {c["role"]: c["rate"] for c in p["rate_card"]} for p in firm.context["projects"]
    }
    assert set(billable["project_id"]) <= set(cards)
    ordinary = billable[(billable["label_kind"] == "") & (billable["work_date"] >= firm.cut)]
    triples = zip(ordinary["project_id"], ordinary["role"], ordinary["bill_rate"], strict=True)
    on_card = [cards[p].get(r) == rate for p, r, rate in triples]
    assert all(on_card)
    people = {p["person_id"] for p in firm.context["people"]}
    assert set(e["person_id"]) <= people
    history, batch = firm.split_entries()
    assert len(history) and len(batch)
    assert (batch["work_date"] >= firm.cut).all()


def test_invoices_and_lines_have_the_contract_shape(firm: FirmE) -> None:
    inv, lines = firm.invoices, firm.lines
    assert set(inv.columns) == INVOICE_COLUMNS | {"label_kind"}
    assert set(lines.columns) == LINE_COLUMNS
    assert inv["invoice_id"].is_unique and inv["invoice_number"].is_unique
    assert set(lines["invoice_id"]) <= set(inv["invoice_id"])
    assert (inv["due_date"] > inv["issue_date"]).all()
    net = lines.groupby("invoice_id")["amount"].sum().reindex(inv["invoice_id"]).to_numpy()
    assert abs(net - inv["subtotal"].to_numpy()).max() < 0.05
    assert abs(inv["subtotal"] + inv["tax"] - inv["total"]).max() < 0.01
    assert abs(lines["quantity"] * lines["unit_price"] - lines["amount"]).max() < 0.05
    h, hl, b, bl = firm.split_invoices()
    assert len(h) and len(b) and len(hl) and len(bl)
    assert bl["period_start"].notna().any()


def test_every_label_kind_occurs_in_the_batch(firm: FirmE) -> None:
    _, batch = firm.split_entries()
    assert set(FIRM_E_TIME_KINDS) <= set(batch["label_kind"])
    assert set(batch["label_kind"]) - {""} <= set(FIRM_E_TIME_KINDS)
    _, _, inv_batch, _ = firm.split_invoices()
    assert set(FIRM_E_INVOICE_KINDS) <= set(inv_batch["label_kind"])
    assert set(firm.invoices["label_kind"]) - {""} <= set(FIRM_E_INVOICE_KINDS)


def test_the_suite_is_registered() -> None:
    assert EVAL_SUITES["other-firm-e"] == "evals.other_firm:SUITE_E"
