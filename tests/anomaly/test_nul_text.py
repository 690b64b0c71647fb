"""A NUL character in any text rejects its row (PostgreSQL cannot store it in a review item)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from anomaly import read_invoices, read_time_entries
from tests.anomaly.conftest import entry, invoice_rows

MONDAY = dt.date(2026, 5, 4)
NUL_MESSAGE = "contains the NUL character (U+0000)"


def test_nul_in_a_csv_rejects_only_its_row() -> None:
    rows = [entry(1, "E-1", MONDAY), entry(2, "E-1", MONDAY), entry(3, "E-2", MONDAY)]
    rows[2]["role"] = "Consul\x00tant"
    batch = read_time_entries(pd.DataFrame(rows).to_csv(index=False).encode())
    assert list(batch.frame["entry_id"]) == ["TE-1", "TE-2"]
    assert [(r.row, r.errors) for r in batch.rejected] == [(3, [f"role: {NUL_MESSAGE}"])]


def test_nul_escaped_in_json_and_in_records_is_found_too() -> None:
    rows = [entry(1, "E-1", MONDAY), entry(2, "E-1", MONDAY)]
    rows[0]["description"] = "x\x00"
    as_json = pd.DataFrame(rows).to_json(orient="records", date_format="iso").encode()
    assert b"\\u0000" in as_json
    for source in (as_json, rows):
        batch = read_time_entries(source)
        assert [r.id for r in batch.rejected] == ["TE-1"]
        assert batch.rejected[0].errors == [f"description: {NUL_MESSAGE}"]


def test_a_batch_without_nul_loses_nothing() -> None:
    rows = [entry(i, "E-1", MONDAY) for i in range(1, 4)]
    batch = read_time_entries(pd.DataFrame(rows).to_csv(index=False).encode())
    assert batch.rejected == [] and len(batch.frame) == 3


def test_nul_in_an_invoice_line_rejects_the_line_and_its_invoice() -> None:
    invoices, lines = invoice_rows()
    lines = [dict(line) for line in lines]
    lines[0]["description"] = "Consulting\x00"
    batch = read_invoices(invoices, lines)
    line_rejects = [r for r in batch.rejected if r.source == "lines"]
    assert [r.errors for r in line_rejects] == [[f"description: {NUL_MESSAGE}"]]
    assert lines[0]["invoice_id"] in {r.id for r in batch.rejected if r.source != "lines"}
