from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from anomaly import (
    BatchTooLargeError,
    ContextError,
    EmptyBatchError,
    InputEncodingError,
    MalformedInputError,
    MissingColumnsError,
    read_context,
    read_invoices,
    read_time_entries,
)
from tests.anomaly.conftest import START, entry, invoice_rows

HEADER = "entry_id,person_id,project_id,work_date,hours,billable,bill_rate,currency\n"


def _csv(*rows: str) -> bytes:
    return (HEADER + "\n".join(rows) + "\n").encode()


@pytest.mark.parametrize("form", ["csv", "json", "records", "frame"])
def test_read_time_entries_accepts_every_form(form: str) -> None:
    rows = [entry(1, "E-1", START), entry(2, "E-2", START)]
    source: Any
    if form == "csv":
        source = pd.DataFrame(rows).to_csv(index=False).encode()
    elif form == "json":
        source = json.dumps(rows)
    elif form == "records":
        source = rows
    else:
        source = pd.DataFrame(rows)
    batch = read_time_entries(source)
    assert batch.rejected == []
    assert batch.frame["entry_id"].tolist() == ["TE-1", "TE-2"]
    assert batch.frame["hours"].tolist() == [8.0, 7.5]
    assert batch.frame["billable"].tolist() == [True, True]


@pytest.mark.parametrize("value", [{"hours": 8}, [8, 0.5], []], ids=["object", "list", "empty-list"])
@pytest.mark.parametrize("column", ["entry_id", "work_date", "hours", "billable", "description", "logged_at"])
def test_an_object_or_list_in_a_column_rejects_its_row(column: str, value: Any) -> None:
    # JSON lets a client send {"a": ...} where a value belongs; it was a TypeError (a 500 on the API).
    rows = [entry(1, "E-1", START), entry(2, "E-1", START)]
    rows[0][column] = value
    batch = read_time_entries(rows)
    assert batch.frame["entry_id"].tolist() == ["TE-2"]
    (rejected,) = batch.rejected
    assert rejected.row == 1 and rejected.errors[0] == f"{column}: an object or a list, not one value"


def test_an_object_in_an_invoice_or_line_column_rejects_it() -> None:
    invoices, lines = invoice_rows(months=2)
    invoices[1]["po_number"] = {"po": "PO-1"}
    lines[0]["description"] = ["Consultant", "services"]
    batch = read_invoices(invoices, lines)
    rejected = {(r.source, r.row): r.errors for r in batch.rejected}
    assert rejected[("items", 2)] == ["po_number: an object or a list, not one value"]
    assert rejected[("lines", 1)] == ["description: an object or a list, not one value"]
    assert set(batch.invoices["invoice_id"]) == {i["invoice_id"] for i in invoices} - {
        invoices[1]["invoice_id"],
        lines[0]["invoice_id"],
    }


def test_read_time_entries_ignores_unknown_columns() -> None:
    rows = [{**entry(1, "E-1", START), "colour": "blue"}]
    batch = read_time_entries(rows)
    assert "colour" not in batch.frame.columns
    assert len(batch.frame) == 1


def test_read_time_entries_names_missing_columns() -> None:
    with pytest.raises(MissingColumnsError) as caught:
        read_time_entries(b"entry_id,person_id,project_id\nTE-1,E-1,P-1\n")
    assert caught.value.missing == ["billable", "hours", "work_date"]
    assert "billable, hours, work_date" in str(caught.value)


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("TE-1,E-1,P-1,2026-01-05,NaN,true,150,USD", "hours: NaN is not a number"),
        ("TE-1,E-1,P-1,2026-01-05,inf,true,150,USD", "hours: infinite value"),
        ("TE-1,E-1,P-1,2026-01-05,-2,true,150,USD", "hours: must be more than 0"),
        ("TE-1,E-1,P-1,2026-01-05,0,true,150,USD", "hours: must be more than 0"),
        ("TE-1,E-1,P-1,2026-01-05,25,true,150,USD", "hours: more than 24 in one entry"),
        ("TE-1,E-1,P-1,2026-01-05,eight,true,150,USD", "hours: 'eight' is not a number"),
        ("TE-1,E-1,P-1,2026-01-05,,true,150,USD", "hours: missing"),
        ("TE-1,E-1,P-1,05/01/2026,8,true,150,USD", "work_date: '05/01/2026' is not a date (YYYY-MM-DD)"),
        ("TE-1,E-1,P-1,2026-02-30,8,true,150,USD", "work_date: '2026-02-30' is not a date (YYYY-MM-DD)"),
        ("TE-1,E-1,P-1,2026-01-05,8,true,150,XYZ", "currency: 'XYZ' is not an ISO 4217 currency code"),
        ("TE-1,E-1,P-1,2026-01-05,8,maybe,150,USD", "billable: 'maybe' is not a boolean (true/false)"),
        ("TE-1,E-1,P-1,2026-01-05,8,true,-5,USD", "bill_rate: negative"),
        ("TE-1,,P-1,2026-01-05,8,true,150,USD", "person_id: missing"),
    ],
)
def test_read_time_entries_rejects_bad_rows_and_keeps_good_ones(row: str, expected: str) -> None:
    good = "TE-2,E-1,P-1,2026-01-06,8,true,150,USD"
    batch = read_time_entries(_csv(good, row))
    assert batch.frame["entry_id"].tolist() == ["TE-2"]
    assert len(batch.rejected) == 1
    rejected = batch.rejected[0]
    assert rejected.row == 2
    assert expected in rejected.errors


def test_read_time_entries_reports_every_problem_of_a_row() -> None:
    batch = read_time_entries(_csv("TE-1,E-1,P-1,not-a-date,-1,true,150,QQQ"))
    assert batch.frame.empty
    errors = batch.rejected[0].errors
    assert len(errors) == 3
    assert {e.split(":")[0] for e in errors} == {"work_date", "hours", "currency"}


def test_read_time_entries_rejects_duplicate_entry_ids_after_the_first() -> None:
    batch = read_time_entries(
        _csv("TE-1,E-1,P-1,2026-01-05,8,true,150,USD", "TE-1,E-1,P-1,2026-01-06,8,true,150,USD")
    )
    assert batch.frame["work_date"].dt.day.tolist() == [5]
    assert batch.rejected[0].row == 2
    assert batch.rejected[0].errors == ["entry_id: duplicate of row 1"]


def test_read_time_entries_json_nan_and_wrong_types() -> None:
    rows = [
        entry(1, "E-1", START),
        {**entry(2, "E-1", START), "hours": math.nan},
        {**entry(3, "E-1", START), "hours": True},
        {**entry(4, "E-1", START), "hours": math.inf},
    ]
    batch = read_time_entries(rows)
    assert batch.frame["entry_id"].tolist() == ["TE-1"]
    assert [(r.row, r.errors) for r in batch.rejected] == [
        (2, ["hours: missing or NaN"]),
        (3, ["hours: True is not a number"]),
        (4, ["hours: infinite value"]),
    ]


def test_read_time_entries_broken_quote_is_a_specific_error() -> None:
    data = _csv("TE-1,E-1,P-1,2026-01-05,8,true,150,USD", 'TE-2,"E-2,P-1,2026-01-05,8,true,150,USD')
    with pytest.raises(MalformedInputError, match="broken CSV quoting"):
        read_time_entries(data)


def test_read_time_entries_wrong_encoding_names_the_line() -> None:
    data = _csv("TE-1,E-1,P-1,2026-01-05,8,true,150,USD", "TE-2,Jos\xe9,P-1,2026-01-05,8,true,150,USD")
    latin1 = data.decode().encode("latin-1")
    with pytest.raises(InputEncodingError, match="line 3"):
        read_time_entries(latin1)


@pytest.mark.parametrize("source", [b"", HEADER.encode(), "[]", []])
def test_read_time_entries_empty_batch(source: object) -> None:
    with pytest.raises(EmptyBatchError):
        read_time_entries(source)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "data",
    [
        _csv("TE-1,E-1,P-1,2026-01-05,8,true,150,USD", "TE-1,E-2,P-1,2026-01-32,x,maybe,-1,usd"),
        _csv("TE-1,E-1,P-1,2026-01-05,8,true,150,USD", "TE-2,E\x00,P-1,2026-01-05,8,true,150,USD"),
        _csv('TE-1,"E-1\nand more",P-1,2026-01-05,8,true,150,USD'),  # a value spanning lines
        _csv('TE-1,"E-1,P-1,2026-01-05,8,true,150,USD'),  # broken quoting
        _csv("TE-1,Jos\xe9,P-1,2026-01-05,8,true,150,USD").decode().encode("latin-1"),
        b"",
        HEADER.encode(),
        HEADER.strip().encode(),  # no line end at all
    ],
)
def test_read_time_entries_reads_a_csv_file_as_its_bytes(data: bytes, tmp_path: Path) -> None:
    # A file is mapped, not read into memory: the same batch, or the same error, as its bytes.
    path = tmp_path / "entries.csv"
    path.write_bytes(data)
    try:
        expected = read_time_entries(data)
    except Exception as error:  # whichever error the bytes give, the file must give
        with pytest.raises(type(error), match=re.escape(str(error))):
            read_time_entries(path)
        return
    got = read_time_entries(path)
    pd.testing.assert_frame_equal(got.frame, expected.frame)
    assert got.rejected == expected.rejected
    assert got.factors.keys() == expected.factors.keys()


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
@pytest.mark.parametrize("upper", [False, True])
def test_read_time_entries_reads_other_separators_and_upper_case_headers(
    delimiter: str, upper: bool, tmp_path: Path
) -> None:
    # A European export separates fields with ';' (or a tab, or '|') and may shout its headers;
    # a comma inside a value is then text. Bytes, text and a file read the same.
    header = [*HEADER.strip().split(","), "description"]
    if upper:
        header = [f" {name.upper()} " for name in header]
    rows = [
        ["TE-1", "E-1", "P-1", "2026-01-05", "8", "true", "150", "USD", "design, review"],
        ["TE-2", "E-2", "P-1", "2026-01-06", "7.5", "false", "", "", "workshop"],
        ["TE-3", "E-2", "P-1", "not a date", "7.5", "false", "", "", "x"],
    ]
    quote = '"' if delimiter == "," else ""
    lines = [delimiter.join(header)]
    lines += [delimiter.join(f"{quote}{v}{quote}" if "," in v else v for v in row) for row in rows]
    data = ("\n".join(lines) + "\n").encode()
    path = tmp_path / "entries.csv"
    path.write_bytes(data)
    for source in (data, data.decode(), path):
        batch = read_time_entries(source)
        assert batch.frame["entry_id"].tolist() == ["TE-1", "TE-2"]
        assert batch.frame["description"].tolist() == ["design, review", "workshop"]
        assert batch.frame["hours"].tolist() == [8.0, 7.5]
        assert [(r.row, r.errors) for r in batch.rejected] == [
            (3, ["work_date: 'not a date' is not a date (YYYY-MM-DD)"])
        ]


def test_decimal_commas_are_read_when_the_column_shows_them() -> None:
    # A German export: ';' between fields, ',' before the decimals, '.' grouping thousands.
    header = ";".join(HEADER.strip().split(","))
    rows = [
        "TE-1;E-1;P-1;2026-01-05;7,5;true;1.250,00;EUR",
        "TE-2;E-1;P-1;2026-01-06;8;true;1.250,00;EUR",
        "TE-3;E-1;P-1;2026-01-07;0,25;false;;",
        "TE-4;E-1;P-1;2026-01-08;7,5,1;true;1.250,00;EUR",
    ]
    batch = read_time_entries(("\n".join([header, *rows]) + "\n").encode())
    assert batch.frame["entry_id"].tolist() == ["TE-1", "TE-2", "TE-3"]
    assert batch.frame["hours"].tolist() == [7.5, 8.0, 0.25]
    assert batch.frame["bill_rate"].tolist()[:2] == [1250.0, 1250.0]
    assert [(r.row, r.errors) for r in batch.rejected] == [(4, ["hours: '7,5,1' is not a number"])]


def test_a_lone_comma_before_three_digits_is_not_guessed() -> None:
    # '1,250' is 1250 in an English export and 1.25 in a German one: with nothing else in the
    # column to tell, the row is rejected rather than billed at the wrong rate.
    data = (HEADER.strip() + '\nTE-1,E-1,P-1,2026-01-05,8,true,"1,250",USD\n').encode()
    batch = read_time_entries(data)
    assert batch.frame.empty
    assert [(r.row, r.errors) for r in batch.rejected] == [(1, ["bill_rate: '1,250' is not a number"])]


def test_headers_differing_only_in_case_are_kept_apart() -> None:
    data = (HEADER.strip() + ",Hours\nTE-1,E-1,P-1,2026-01-05,8,true,150,USD,99\n").encode()
    batch = read_time_entries(data)
    assert batch.frame["hours"].tolist() == [8.0]


def test_read_time_entries_over_the_size_limit() -> None:
    rows = [entry(i, "E-1", START) for i in range(5)]
    with pytest.raises(BatchTooLargeError, match="5 rows; the limit is 4"):
        read_time_entries(rows, max_rows=4)
    assert len(read_time_entries(rows, max_rows=5).frame) == 5


def test_read_time_entries_json_that_does_not_parse() -> None:
    with pytest.raises(MalformedInputError, match="JSON does not parse"):
        read_time_entries('[{"entry_id": ')


def test_read_invoices_joins_lines_and_rejects_invoices_with_bad_lines() -> None:
    invoices, lines = invoice_rows(months=2)
    lines[0]["quantity"] = "lots"
    lines.append({**lines[1], "invoice_id": "NOPE"})
    batch = read_invoices(invoices, lines)
    first = invoices[0]["invoice_id"]
    assert first not in set(batch.invoices["invoice_id"])
    assert len(batch.invoices) == len(invoices) - 1
    assert first not in set(batch.lines["invoice_id"])
    by_source = {(r.source, r.row): r.errors for r in batch.rejected}
    assert by_source[("items", 1)] == ["lines: invalid line row(s) 1"]
    assert by_source[("lines", 1)] == ["quantity: 'lots' is not a number"]
    assert by_source[("lines", len(lines))] == ["invoice_id: no invoice with this id in the batch"]


def test_read_invoices_missing_line_columns() -> None:
    invoices, _ = invoice_rows(months=1)
    with pytest.raises(MissingColumnsError, match="invoice lines"):
        read_invoices(invoices, [{"invoice_id": "I-0-0", "quantity": 1}])


def test_read_context_validates() -> None:
    assert read_context(None).projects == []
    with pytest.raises(ContextError, match="rate_card"):
        read_context({"projects": [{"project_id": "P-1", "rate_card": [{"role": "A", "rate": "x"}]}]})
    with pytest.raises(ContextError, match="JSON does not parse"):
        read_context("{")
