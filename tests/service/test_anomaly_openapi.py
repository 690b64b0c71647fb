"""The anomaly routes' documented rows against what ingest reads, field by field.

The request bodies are read by hand (JSON or multipart), so their OpenAPI schema is written by
the route; these tests hold it to ingest's behaviour: a documented-required field is one ingest
cannot do without, a documented-optional one it can, each documented field is a column ingest
returns, and a value outside a field's documented type is a rejected row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from anomaly import IngestedBatch, IngestedInvoices, MissingColumnsError, read_invoices, read_time_entries
from service.app import create_app
from service.settings import Settings
from tests.anomaly.conftest import entry, invoice_rows

# A value outside each documented JSON type (text fields are read from any scalar).
_OUTSIDE_TYPE: dict[str, Any] = {
    "number": "twelve",
    "boolean": "perhaps",
    "date": "the fourth of May",
    "date-time": "after lunch",
}

Rows = dict[str, list[dict[str, Any]]]


def _time_entry_rows() -> Rows:
    return {"items": [entry(1, "E-1", dt.date(2026, 5, 4))]}


def _invoice_table_rows() -> Rows:
    invoices, lines = invoice_rows(months=1)
    return {
        "items": invoices[:1],
        "lines": [x for x in lines if x["invoice_id"] == invoices[0]["invoice_id"]],
    }


def _read_time_entries(rows: Rows) -> IngestedBatch:
    return read_time_entries(rows["items"])


def _read_invoices(rows: Rows) -> IngestedInvoices:
    return read_invoices(rows["items"], rows["lines"])


def _columns_read(read: Any, table: str) -> set[str]:
    if isinstance(read, IngestedBatch):
        frame = read.frame
    else:
        frame = read.invoices if table == "items" else read.lines
    return set(frame.columns) - {"_row"}


def _rejected(read: Any) -> list[Any]:
    return list(read.rejected)


# (route path, JSON part holding the rows, the rows, how ingest reads them)
TABLES: list[tuple[str, str, Callable[[], Rows], Callable[[Rows], Any]]] = [
    ("/v1/anomaly/time-entries/score", "items", _time_entry_rows, _read_time_entries),
    ("/v1/anomaly/invoices/score", "items", _invoice_table_rows, _read_invoices),
    ("/v1/anomaly/invoices/score", "lines", _invoice_table_rows, _read_invoices),
]
TABLE_IDS = ["time-entries", "invoices", "invoice-lines"]


@dataclass(frozen=True)
class Table:
    part: str  # the JSON part holding the rows
    rows: Callable[[], Rows]
    read: Callable[[Rows], Any]
    schema: dict[str, Any]  # the documented row


@pytest.fixture(scope="module")
def openapi(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    settings = Settings(home=tmp_path_factory.mktemp("openapi"), bootstrap_models=False, log_level="ERROR")
    return create_app(settings).openapi()


@pytest.fixture(params=TABLES, ids=TABLE_IDS)
def table(request: pytest.FixtureRequest, openapi: dict[str, Any]) -> Table:
    path, part, rows, read = request.param
    body = openapi["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]
    documented = body["properties"][part]
    assert documented["type"] == "array"
    return Table(part=part, rows=rows, read=read, schema=dict(documented["items"]))


def _json_type(schema: dict[str, Any]) -> str:
    """The documented type of a field: its format when it has one, else its type (null aside)."""
    options = schema.get("anyOf", [schema])
    (typed,) = [s for s in options if s.get("type") != "null"]
    return str(typed.get("format") or typed["type"])


def test_documented_required_fields_are_those_ingest_cannot_do_without(
    table: Table,
) -> None:
    schema, part, rows, read = table.schema, table.part, table.rows, table.read
    documented_required = set(schema["required"])
    assert documented_required <= set(schema["properties"])
    for name in schema["properties"]:
        given = rows()
        given[part] = [{k: v for k, v in row.items() if k != name} for row in given[part]]
        try:
            read(given)
        except MissingColumnsError as exc:
            assert name in documented_required, f"{part}.{name}: documented optional, ingest requires it"
            assert exc.missing == [name]
        else:
            assert name not in documented_required, f"{part}.{name}: documented required, ingest does not"


def test_documented_fields_are_the_columns_ingest_returns(
    table: Table,
) -> None:
    schema, part, rows, read = table.schema, table.part, table.rows, table.read
    assert set(schema["properties"]) == _columns_read(read(rows()), part)


def test_a_value_outside_a_documented_type_is_a_rejected_row(
    table: Table,
) -> None:
    schema, part, rows, read = table.schema, table.part, table.rows, table.read
    assert not _rejected(read(rows()))
    checked = 0
    for name, field in schema["properties"].items():
        wrong = _OUTSIDE_TYPE.get(_json_type(field))
        if wrong is None:
            continue
        given = rows()
        given[part][0][name] = wrong
        rejected = _rejected(read(given))
        assert rejected, f"{part}.{name}: {wrong!r} is not a {_json_type(field)}, yet ingest kept the row"
        assert any(e.startswith(f"{name}:") for r in rejected for e in r.errors), (name, rejected)
        checked += 1
    assert checked >= 3


def test_an_optional_field_sent_as_null_is_documented_as_allowed(
    table: Table,
) -> None:
    # JSON clients send an absent optional value as null; ingest reads it as not given.
    schema, part, rows, read = table.schema, table.part, table.rows, table.read
    for name, field in schema["properties"].items():
        if name in schema["required"]:
            continue
        given = rows()
        given[part][0][name] = None
        assert not _rejected(read(given)), name
        assert {"type": "null"} in field.get("anyOf", []), f"{part}.{name}: null is read but not documented"
