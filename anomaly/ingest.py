"""Read time entries, invoices, invoice lines and the scoring context from
JSON or CSV (``contracts/anomaly.md``), and validate them row by row.

Validation is vectorised: each check is one array operation over the whole
batch, and only the rows that fail are visited in Python. A batch comes back
as an ``IngestedBatch``: a typed DataFrame of the valid rows (in input order,
with ``_row``, the 1-based input position) and the ``RejectedRow`` list. Only
problems with the batch as a whole (missing columns, broken CSV quoting,
wrong encoding, empty, too large) raise.
"""

from __future__ import annotations

import csv
import io
import json
import mmap
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from joblib import effective_n_jobs
from pydantic import BaseModel, ValidationError

from anomaly.currencies import ISO_4217_CODES
from anomaly.errors import (
    BatchTooLargeError,
    ContextError,
    EmptyBatchError,
    InputEncodingError,
    MalformedInputError,
    MissingColumnsError,
)
from anomaly.features import Factorized
from anomaly.schemas import RejectedRow, ScoringContext

__all__ = [
    "INVOICE_COLUMNS",
    "INVOICE_LINE_COLUMNS",
    "TIME_ENTRY_COLUMNS",
    "IngestedBatch",
    "IngestedInvoices",
    "read_context",
    "read_invoices",
    "read_table",
    "read_time_entries",
]

# column -> required
TIME_ENTRY_COLUMNS: dict[str, bool] = {
    "entry_id": True,
    "person_id": True,
    "project_id": True,
    "client_id": False,
    "work_date": True,
    "hours": True,
    "billable": True,
    "role": False,
    "bill_rate": False,
    "currency": False,
    "description": False,
    "logged_at": False,
}
INVOICE_COLUMNS: dict[str, bool] = {
    "invoice_id": True,
    "invoice_number": True,
    "client_id": True,
    "project_id": True,
    "issue_date": True,
    "due_date": True,
    "currency": True,
    "subtotal": True,
    "tax": True,
    "total": True,
    "po_number": False,
}
INVOICE_LINE_COLUMNS: dict[str, bool] = {
    "invoice_id": True,
    "description": False,
    "quantity": True,
    "unit_price": True,
    "amount": True,
    "role": False,
    "period_start": False,
    "period_end": False,
}

_TRUE = frozenset({"true", "t", "yes", "y", "1"})
_FALSE = frozenset({"false", "f", "no", "n", "0"})

Source = str | bytes | Path | pd.DataFrame | Iterable[Mapping[str, Any] | BaseModel]


@dataclass
class IngestedBatch:
    """The valid rows (typed, input order, ``_row`` = 1-based input position) and the rejected ones."""

    frame: pd.DataFrame
    rejected: list[RejectedRow] = field(default_factory=list)
    rows_read: int = 0
    #: The text columns' factorizations, as ``Factorized(frame[name])`` would compute them, when
    #: the reader had them at hand (a CSV's per-distinct-value codes): features take them.
    factors: dict[str, Factorized] = field(default_factory=dict)


@dataclass
class IngestedInvoices:
    invoices: pd.DataFrame
    lines: pd.DataFrame
    rejected: list[RejectedRow] = field(default_factory=list)
    rows_read: int = 0


# --------------------------------------------------------------------------- reading


def _decode(data: bytes, what: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputEncodingError(
            f"{what} is not valid UTF-8 (byte 0x{data[exc.start]:02x} at line {line}); "
            "save it as UTF-8 and retry"
        ) from None


def _read_csv_fast(data: bytes | mmap.mmap, wanted: Iterable[str] | None = None) -> pd.DataFrame | None:
    """Arrow's multithreaded CSV reader, every column as text (only the ``wanted`` ones when
    given: unknown columns are ignored anyway); None when it objects to anything, so the
    careful reader below can name the problem precisely."""
    import pyarrow.csv as pa_csv

    try:
        end = data.find(b"\n")
        first_line = data[: len(data) if end < 0 else end].decode("utf-8-sig").strip("\r")
        delimiter = _delimiter(first_line)
        names = next(csv.reader([first_line], delimiter=delimiter))
        if not names or len(set(names)) != len(names):
            return None
        renamed = _column_names(names)
        keep = set(wanted) if wanted is not None else None
        included = [n for n, name in zip(names, renamed, strict=True) if keep is None or name in keep]
        convert = pa_csv.ConvertOptions(
            column_types={name: pa.string() for name in names},
            strings_can_be_null=False,
            include_columns=included if keep is not None and included else None,
        )
        # Values that span lines need a slower splitting of the input into blocks; without
        # the option Arrow refuses such a file rather than misreading it, so try that first.
        table = None
        for newlines_in_values in (False, True):
            try:
                table = pa_csv.read_csv(
                    pa.BufferReader(data),
                    parse_options=pa_csv.ParseOptions(
                        delimiter=delimiter, newlines_in_values=newlines_in_values
                    ),
                    convert_options=convert,
                )
                break
            except pa.ArrowInvalid:
                if newlines_in_values:
                    raise
    except (pa.ArrowInvalid, UnicodeDecodeError, StopIteration, csv.Error):
        return None
    if table is None or table.num_rows == 0:
        return None
    # Arrow-backed columns: no conversion to Python strings until a column needs it.
    frame = table.to_pandas(types_mapper=pd.ArrowDtype)
    frame.columns = _column_names(frame.columns)
    return frame


def _column_name(name: Any) -> str:
    return str(name).strip().lstrip("\ufeff")


def _column_names(names: Iterable[Any]) -> list[str]:
    """Header names trimmed, and in lower case unless that would make two of them one (an
    export's ``ENTRY_ID`` is the contract's ``entry_id``)."""
    trimmed = [_column_name(n) for n in names]
    lowered = [n.lower() for n in trimmed]
    return lowered if len(set(lowered)) == len(lowered) else trimmed


#: Field separators a spreadsheet export may use; a header without a comma names its own.
_DELIMITERS = (";", "\t", "|")


def _delimiter(header: str) -> str:
    """The header line's field separator: a comma, unless the line has none and another
    separator splits it (a European export's ``;``, a tab, a ``|``)."""
    if "," in header:
        return ","
    counts = {d: header.count(d) for d in _DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_csv_text(text: str, what: str) -> pd.DataFrame:
    if not text.strip():
        raise EmptyBatchError(f"{what} is empty")
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=_delimiter(text.lstrip("\ufeff").split("\n", 1)[0]),
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skipinitialspace=False,
            engine="c",
        )
    except pd.errors.ParserError as exc:
        message = str(exc).replace("\n", " ").strip()
        if "EOF inside string" in message or "quote" in message.lower():
            raise MalformedInputError(f"{what}: broken CSV quoting ({message})") from None
        raise MalformedInputError(f"{what}: CSV does not parse ({message})") from None
    except csv.Error as exc:  # pragma: no cover - the C engine raises ParserError
        raise MalformedInputError(f"{what}: CSV does not parse ({exc})") from None
    except pd.errors.EmptyDataError:
        raise EmptyBatchError(f"{what} is empty") from None
    frame.columns = _column_names(frame.columns)
    return frame


def _records_frame(items: list[Any], what: str) -> pd.DataFrame:
    records: list[Mapping[str, Any]] = []
    for position, item in enumerate(items, start=1):
        if isinstance(item, BaseModel):
            records.append(item.model_dump())
        elif isinstance(item, Mapping):
            records.append(item)
        else:
            raise MalformedInputError(f"{what}: item {position} is not an object")
    return pd.DataFrame.from_records(records) if records else pd.DataFrame()


def _read_json_text(text: str, what: str, key: str = "items") -> pd.DataFrame:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise MalformedInputError(f"{what}: JSON does not parse ({exc.msg} at line {exc.lineno})") from None
    if isinstance(document, Mapping) and isinstance(document.get(key), list):
        document = document[key]
    if not isinstance(document, list):
        raise MalformedInputError(f"{what}: expected a JSON list of objects")
    return _records_frame(document, what)


def _read_csv_bytes(data: bytes | mmap.mmap, what: str, wanted: Iterable[str] | None = None) -> pd.DataFrame:
    fast = _read_csv_fast(data, wanted)
    if fast is not None:
        return fast
    return _read_csv_text(_decode(data if isinstance(data, bytes) else data[:], what), what)


def read_table(source: Source, *, what: str = "input") -> pd.DataFrame:
    """Read a JSON list of objects or a CSV (path, bytes, text, DataFrame or records) as a DataFrame.

    Parameters
    ----------
    source
        A path (``.json`` is JSON, anything else CSV), raw bytes or text (JSON when it
        starts with ``[`` or ``{``), a DataFrame, or an iterable of mappings / pydantic models.
    what
        How to name the input in error messages.

    Returns
    -------
    pandas.DataFrame
        Untyped columns as read; validation happens in the ``read_*`` functions.
    """
    return _read_table(source, what)[0]


def _read_table(source: Source, what: str, wanted: Iterable[str] | None = None) -> tuple[pd.DataFrame, bool]:
    """``read_table``, and whether the input may hold a NUL character (False when the raw bytes or
    text provably hold none, which is checked at memory-search speed). A CSV's columns other than
    ``wanted`` (when given) may be left out."""
    if isinstance(source, pd.DataFrame):
        return source.copy(), True
    if isinstance(source, Path):
        if source.suffix.lower() != ".json":
            mapped = _mapped(source)
            if mapped is not None:
                return _read_csv_source(mapped, what, wanted)
        try:
            data = source.read_bytes()
        except OSError as exc:
            raise MalformedInputError(f"{what}: cannot read {source.name}: {exc.strerror}") from None
        if source.suffix.lower() == ".json":
            return _read_json_text(_decode(data, what), what), _holds_nul(data)
        return _read_csv_source(data, what, wanted)
    if isinstance(source, bytes | str):
        head = source[:64].lstrip()
        if head[:1] in ("[", "{", b"[", b"{"):
            text = _decode(source, what) if isinstance(source, bytes) else source
            return _read_json_text(text, what), _holds_nul(source)
        data = source.encode("utf-8") if isinstance(source, str) else source
        return _read_csv_source(data, what, wanted)
    return _records_frame(list(source), what), True


def _mapped(path: Path) -> mmap.mmap | None:
    """The file mapped read-only: Arrow parses the page cache in place, with no copy of the file
    into fresh memory (a 120 MB ledger would be 120 MB to fault in and copy). None for an empty
    or unmappable file, which the caller reads as bytes (and reports)."""
    try:
        with path.open("rb") as file:
            # The mapping outlives the descriptor; it is unmapped when the last view of it goes.
            return mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):
        return None


def _read_csv_source(
    data: bytes | mmap.mmap, what: str, wanted: Iterable[str] | None
) -> tuple[pd.DataFrame, bool]:
    # With a NUL anywhere every column is read, so it is refused in an unknown column as in JSON.
    nul = _holds_nul(data, escapes=False)
    return _read_csv_bytes(data, what, None if nul else wanted), nul


def _holds_nul(data: bytes | str | mmap.mmap, *, escapes: bool = True) -> bool:
    """A raw NUL (CSV, or any UTF-16 text) or, with ``escapes``, its JSON escape (CSV text
    keeps a backslash as it is, so there the escape is six ordinary characters)."""
    if isinstance(data, str):
        return "\x00" in data or (escapes and "\\u0000" in data)
    # find, not ``in``: a mapped file has no fast containment test.
    return data.find(b"\x00") >= 0 or (escapes and data.find(b"\\u0000") >= 0)


# --------------------------------------------------------------------------- validation


class _RowErrors:
    """Collects per-row error messages; only failing positions are visited."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.by_row: dict[int, list[str]] = defaultdict(list)

    def add(self, mask: np.ndarray, message: Any) -> None:
        """``message`` is a string, or a callable of the position returning one."""
        for position in np.flatnonzero(mask):
            text = message(int(position)) if callable(message) else message
            self.by_row[int(position)].append(text)

    def bad_mask(self) -> np.ndarray:
        mask = np.zeros(self.n, dtype=bool)
        if self.by_row:
            mask[list(self.by_row)] = True
        return mask


class _Errors(Protocol):
    def add(self, mask: np.ndarray, message: Any) -> None: ...


class _ErrorsOfDistinct:
    """Problems found on a column's distinct values, reported on every row that holds the value
    (a message callable is given the distinct value's position, as the checks expect)."""

    def __init__(self, errors: _Errors, codes: np.ndarray) -> None:
        self.errors = errors
        self.codes = codes

    def add(self, mask: np.ndarray, message: Any) -> None:
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        codes = self.codes
        self.errors.add(mask[codes], (lambda i: message(int(codes[i]))) if callable(message) else message)


@dataclass
class _Column:
    """An input column as the values its checks run on (``frame[name]``): its distinct values,
    with ``codes`` giving each row's one (a CSV ledger repeats a few thousand values a million
    times), or every row itself when ``codes`` is None. An absent column is one missing value."""

    name: str
    frame: pd.DataFrame
    codes: np.ndarray | None
    errors: _Errors

    def rows(self, values: pd.Series | np.ndarray, keep: np.ndarray | None) -> np.ndarray:
        """Per-value results spread to the rows (only the ``keep`` ones when given)."""
        array = values.to_numpy() if isinstance(values, pd.Series) else np.asarray(values)
        if self.codes is None:
            return array if keep is None else array[keep]
        return array[self.codes if keep is None else self.codes[keep]]

    def factors(self, text: pd.Series, keep: np.ndarray | None) -> Factorized | None:
        """The rows' (trimmed) ``text`` numbered as ``Factorized`` numbers a column (in order of
        first appearance), from the codes at hand; None without them."""
        if self.codes is None:
            return None
        table = _objects(text)
        distinct = _distinct_codes(self, text)
        if distinct is self.codes and keep is None:
            return Factorized.from_codes(self.codes, table)
        raw = self.codes if keep is None else self.codes[keep]
        codes = distinct if keep is None else distinct[keep]
        first = np.full(int(codes.max()) + 1 if len(codes) else 0, len(codes), dtype=np.int64)
        first[codes[::-1]] = np.arange(len(codes) - 1, -1, -1)
        present = np.flatnonzero(first < len(codes))
        order = present[np.argsort(first[present], kind="stable")]
        number = np.empty(len(first), dtype=np.int64)
        number[order] = np.arange(len(order))
        return Factorized.from_codes(number[codes], table[raw[first[order]]])

    def objects(self, text: pd.Series, keep: np.ndarray | None) -> np.ndarray:
        """Per-value text spread to the rows as Python strings, one object per distinct value."""
        if self.codes is None:
            array = _as_object(text)
            return array if keep is None else array[keep]
        return _objects(text)[self.codes if keep is None else self.codes[keep]]


def _columns(raw: pd.DataFrame, errors: _RowErrors, names: Iterable[str]) -> dict[str, _Column]:
    """The ``names`` columns of ``raw`` to check: by distinct value when every column is Arrow
    text without nulls (the CSV reader's), else row by row. Columns are encoded in as many
    threads as joblib's active ``parallel_config`` allows (Arrow releases the GIL)."""
    names = list(names)
    if not (len(raw.columns) > 0 and all(_pure_strings_type(raw[c]) for c in raw.columns)):
        return {name: _Column(name, raw, None, errors) for name in names}

    def encoded(name: str) -> _Column:
        if name in raw.columns:
            dictionary = pc.dictionary_encode(pa.chunked_array(raw[name].array._pa_array).combine_chunks())
            codes = np.asarray(dictionary.indices.to_numpy(zero_copy_only=False), dtype=np.intp)
            values = pd.DataFrame(
                {name: pd.Series(pd.arrays.ArrowExtensionArray(dictionary.dictionary))}, copy=False
            )
        else:
            codes = np.zeros(len(raw), dtype=np.intp)
            values = pd.DataFrame(index=pd.RangeIndex(1))
        return _Column(name, values, codes, _ErrorsOfDistinct(errors, codes))

    workers = min(max(1, effective_n_jobs()), len(names))
    if workers == 1 or len(raw) < _THREADED_ROWS:
        return {name: encoded(name) for name in names}
    # One thread takes the ids (the widest column, first in the contract's order), the other the rest.
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return dict(zip(names, pool.map(encoded, names), strict=True))


#: Below this many rows, encoding columns in threads costs more than it saves.
_THREADED_ROWS = 50_000


def _pure_strings_type(series: pd.Series) -> bool:
    return (
        isinstance(series.dtype, pd.ArrowDtype)
        and pa.types.is_string(series.dtype.pyarrow_dtype)
        and series.array._pa_array.null_count == 0
    )


def _objects(text: pd.Series) -> np.ndarray:
    if isinstance(text.dtype, pd.ArrowDtype):
        return np.asarray(pa.chunked_array(text.array._pa_array).to_numpy(zero_copy_only=False), dtype=object)
    return text.to_numpy(dtype=object)


def _refuse_nul(frame: pd.DataFrame, errors: _Errors) -> None:
    """Reject each row with a NUL character in any text: PostgreSQL cannot store one in the review
    items a flagged row opens. Run only when the raw input may hold one (see ``_read_table``)."""
    for column in frame.columns:
        values = frame[column]
        if values.dtype != object and not pd.api.types.is_string_dtype(values):
            continue
        mask = values.map(lambda v: isinstance(v, str) and "\x00" in v).to_numpy(dtype=bool)
        errors.add(mask, f"{column}: contains the NUL character (U+0000)")


# What pandas infers for a column of plain values; anything else may hold an object or a list.
_SCALAR_KINDS = frozenset(
    {"string", "empty", "integer", "floating", "mixed-integer-float", "boolean", "decimal", "datetime"}
    | {"date"}
)


def _refuse_nested(frame: pd.DataFrame, columns: Iterable[str], errors: _Errors) -> None:
    """Reject each row whose value in one of ``columns`` is a JSON object or list (a cell holds
    one value), and blank that value so the column's own checks read it as not given. Only
    columns of Python objects (JSON, records) are looked at; a CSV's never hold one."""
    for name in columns:
        if name not in frame.columns or frame[name].dtype != object:
            continue
        values = frame[name]
        if pd.api.types.infer_dtype(values, skipna=True) in _SCALAR_KINDS:
            continue
        mask = values.map(lambda v: isinstance(v, Mapping | list | tuple | set)).to_numpy(dtype=bool)
        if mask.any():
            errors.add(mask, f"{name}: an object or a list, not one value")
            frame[name] = values.mask(mask, None)


def _check_columns(frame: pd.DataFrame, columns: Mapping[str, bool], what: str) -> None:
    missing = [c for c, required in columns.items() if required and c not in frame.columns]
    if missing:
        raise MissingColumnsError(missing, what=what)


def _by_unique(series: pd.Series, function: Any) -> pd.Series:
    """Apply a Python function once per distinct value (ledgers repeat a lot), vectorised back."""
    codes, uniques = pd.factorize(series, use_na_sentinel=False)
    mapped = np.array([function(v) for v in uniques], dtype=object)
    return pd.Series(mapped[codes] if len(mapped) else np.array([], dtype=object), index=series.index)


def _pure_strings(series: pd.Series) -> pa.Array | None:
    """The column as an Arrow string array when every value is a string (a CSV column), else None."""
    if isinstance(series.dtype, pd.ArrowDtype):
        if not pa.types.is_string(series.dtype.pyarrow_dtype):
            return None
        array = pa.chunked_array(series.array._pa_array).combine_chunks()
        return array if array.null_count == 0 else None
    if series.dtype != object and not pd.api.types.is_string_dtype(series):
        return None
    try:
        array = pa.array(series.to_numpy(dtype=object), type=pa.string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None
    return array if array.null_count == 0 else None


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame.columns:
        return pd.Series("", index=frame.index, dtype=object)
    series = frame[column]
    strings = _pure_strings(series)
    if strings is not None:
        trimmed = pc.utf8_trim_whitespace(strings)
        if pc.all(pc.equal(strings, trimmed)).as_py() is not False:
            trimmed = strings
        return pd.Series(pd.arrays.ArrowExtensionArray(trimmed), index=series.index)
    if series.dtype == object:
        return _by_unique(series, lambda v: (v if isinstance(v, str) else _scalar_text(v)).strip())
    return _by_unique(series, lambda v: _scalar_text(v).strip())


def _as_object(series: pd.Series) -> np.ndarray:
    """Python strings for the typed frame, built once per distinct value."""
    codes, uniques = pd.factorize(series, use_na_sentinel=False)
    table = np.asarray(uniques, dtype=object)
    return table[codes] if len(table) else np.array([], dtype=object)


def _scalar_text(value: Any) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _shown(value: Any) -> str:
    text = repr(value) if isinstance(value, str) else _scalar_text(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _required_text(frame: pd.DataFrame, column: str, errors: _Errors) -> pd.Series:
    values = _text(frame, column)
    errors.add((values == "").to_numpy(), f"{column}: missing")
    return values


def _number(
    frame: pd.DataFrame,
    column: str,
    errors: _Errors,
    *,
    required: bool,
) -> np.ndarray:
    if column not in frame.columns:
        return np.full(len(frame), np.nan)
    raw = frame[column]
    if pd.api.types.is_bool_dtype(raw):
        errors.add(np.ones(len(raw), dtype=bool), f"{column}: not a number")
        return np.full(len(frame), np.nan)
    # JSON gives NaN both for an absent key and for a NaN value: the message says either.
    blank_message = f"{column}: missing"
    strings = _pure_strings(raw)
    if pd.api.types.is_numeric_dtype(raw):
        values = raw.to_numpy(dtype=float)
        blank = np.isnan(values)
        unparsed = np.zeros(len(raw), dtype=bool)
        nan_literal = np.zeros(len(raw), dtype=bool)
        blank_message = f"{column}: missing or NaN"
    elif strings is not None:
        # A CSV column: parse in one vectorised call, look closer only at what failed.
        text = _text(frame, column)
        blank = (text == "").to_numpy(dtype=bool)
        fast = _arrow_numbers(text, blank)
        if fast is not None:
            values = fast
        else:
            text = pd.Series(_as_object(text), index=text.index)
            values = pd.to_numeric(text.where(~blank, np.nan), errors="coerce").to_numpy(dtype=float)
        failed = np.flatnonzero(~blank & np.isnan(values))
        nan_literal = np.zeros(len(raw), dtype=bool)
        shown = _as_object(text) if len(failed) else np.array([], dtype=object)
        for i, value in _decimal_comma_values(shown, failed).items():
            values[i] = value
        failed = failed[np.isnan(values[failed])]
        nan_literal[failed] = [shown[i].lower() in ("nan", "-nan", "+nan") for i in failed]
        unparsed = ~blank & ~nan_literal & np.isnan(values)
        if unparsed.any():
            errors.add(unparsed, lambda i: f"{column}: {_shown(shown[i])} is not a number")
    else:
        original = raw.to_numpy()
        raw = raw.map(lambda v: "" if v is None else v)
        is_bool = raw.map(lambda v: isinstance(v, bool | np.bool_)).to_numpy(dtype=bool)
        raw = raw.where(~is_bool, "")
        blank_message = f"{column}: missing or NaN"
        text = raw.map(lambda v: v.strip() if isinstance(v, str) else v)
        blank = text.map(lambda v: (isinstance(v, str) and v == "") or (isinstance(v, float) and np.isnan(v)))
        blank = blank.to_numpy(dtype=bool) & ~is_bool
        values = pd.to_numeric(text.where(~blank & ~is_bool, np.nan), errors="coerce").to_numpy(dtype=float)
        nan_literal = ~blank & text.map(
            lambda v: isinstance(v, str) and v.lower() in ("nan", "-nan")
        ).to_numpy(dtype=bool)
        unparsed = ~blank & ~nan_literal & np.isnan(values)
        if unparsed.any():
            errors.add(unparsed, lambda i: f"{column}: {_shown(original[i])} is not a number")
    errors.add(nan_literal, f"{column}: NaN is not a number")
    errors.add(np.isinf(values), f"{column}: infinite value")
    if required:
        errors.add(blank, blank_message)
    values = np.where(np.isinf(values) | unparsed | nan_literal, np.nan, values)
    return values


#: A number written with a decimal comma, optionally with '.' grouping its thousands.
_DECIMAL_COMMA = re.compile(r"[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+),\d+")


def _decimal_comma_values(shown: np.ndarray, failed: np.ndarray) -> dict[int, float]:
    """The values of a column a European export wrote with decimal commas (``7,5`` hours,
    ``1.250,00`` a rate), by row. The column has to show it: some value's comma is followed by
    other than three digits, since ``1,250`` alone is a thousand and a quarter in English and
    one and a quarter in German, and is left unparsed (rejected) rather than guessed."""
    written = {int(i): str(shown[i]).strip() for i in failed}
    candidates = {i: s for i, s in written.items() if _DECIMAL_COMMA.fullmatch(s)}
    if not any(len(s.rsplit(",", 1)[1]) != 3 for s in candidates.values()):
        return {}
    return {i: float(s.replace(".", "").replace(",", ".")) for i, s in candidates.items()}


def _arrow_numbers(text: pd.Series, blank: np.ndarray) -> np.ndarray | None:
    """Arrow's string-to-float cast when every non-blank value parses, else None."""
    if not isinstance(text.dtype, pd.ArrowDtype):
        return None
    array = pa.chunked_array(text.array._pa_array).combine_chunks()
    array = pc.if_else(pa.array(blank), pa.scalar(None, pa.string()), array)
    try:
        cast = pc.cast(array, pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    return np.asarray(cast.to_numpy(zero_copy_only=False), dtype=float)


def _arrow_times(text: pd.Series, blank: np.ndarray, layout: str) -> np.ndarray | None:
    """Arrow's strptime (unparseable values come back as NaT), or None when not Arrow-backed."""
    if not isinstance(text.dtype, pd.ArrowDtype):
        return None
    array = pa.chunked_array(text.array._pa_array).combine_chunks()
    array = pc.if_else(pa.array(blank), pa.scalar(None, pa.string()), array)
    parsed = pc.strptime(array, format=layout, unit="s", error_is_null=True)
    return np.asarray(parsed.to_numpy(zero_copy_only=False), dtype="datetime64[ns]")


def _date(frame: pd.DataFrame, column: str, errors: _Errors, *, required: bool) -> pd.Series:
    if column in frame.columns and pd.api.types.is_datetime64_any_dtype(frame[column]):
        parsed = frame[column].dt.tz_localize(None) if frame[column].dt.tz is not None else frame[column]
        if required:
            errors.add(parsed.isna().to_numpy(), f"{column}: missing")
        return parsed.dt.normalize().astype("datetime64[ns]")
    text = _text(frame, column)
    blank = (text == "").to_numpy(dtype=bool)
    if isinstance(text.dtype, pd.ArrowDtype):
        # A ledger repeats a few hundred dates: each distinct text is parsed once. strptime is
        # lenient (padding, day 30 of February): keep only dates that render back as given.
        encoded = pc.dictionary_encode(pa.chunked_array(text.array._pa_array).combine_chunks())
        distinct = encoded.dictionary
        parsed_distinct = pc.strptime(distinct, format="%Y-%m-%d", unit="s", error_is_null=True)
        same = pc.fill_null(pc.equal(pc.strftime(parsed_distinct, format="%Y-%m-%d"), distinct), False)
        kept = pc.if_else(same, parsed_distinct, pa.scalar(None, parsed_distinct.type))
        table = np.asarray(kept.to_numpy(zero_copy_only=False), dtype="datetime64[ns]")
        parsed = pd.Series(table[encoded.indices.to_numpy(zero_copy_only=False)], index=text.index)
    else:
        text = pd.Series(_as_object(text), index=text.index)
        parsed = pd.to_datetime(text.where(~blank, None), format="%Y-%m-%d", errors="coerce")
    bad = ~blank & parsed.isna().to_numpy()
    if bad.any():
        shown = _as_object(text)
        errors.add(bad, lambda i: f"{column}: {_shown(shown[i])} is not a date (YYYY-MM-DD)")
    if required:
        errors.add(blank, f"{column}: missing")
    return parsed


def _datetime(frame: pd.DataFrame, column: str, errors: _Errors) -> pd.Series:
    if column in frame.columns and pd.api.types.is_datetime64_any_dtype(frame[column]):
        series = frame[column]
        return (series.dt.tz_convert(None) if series.dt.tz is not None else series).astype("datetime64[ns]")
    text = _text(frame, column)
    blank = (text == "").to_numpy(dtype=bool)
    if blank.all():
        return pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    fast = _arrow_times(text, blank, "%Y-%m-%dT%H:%M:%S")
    if fast is not None:
        parsed = pd.Series(fast, index=text.index)
        # Other ISO renderings (a zone, fractions, a space) go through pandas, row by row only there.
        other = np.flatnonzero(~blank & parsed.isna().to_numpy())
        if len(other):
            objects = _as_object(text)[other]
            again = pd.to_datetime(pd.Series(objects), format="ISO8601", errors="coerce", utc=True)
            parsed.iloc[other] = again.dt.tz_convert(None).to_numpy(dtype="datetime64[ns]")
    else:
        text = pd.Series(_as_object(text), index=text.index)
        parsed = pd.to_datetime(text.where(~blank, None), format="ISO8601", errors="coerce", utc=True)
        parsed = parsed.dt.tz_convert(None)
    bad = ~blank & parsed.isna().to_numpy()
    if bad.any():
        shown = _as_object(text)
        errors.add(bad, lambda i: f"{column}: {_shown(shown[i])} is not an ISO datetime")
    return parsed.astype("datetime64[ns]")


def _boolean(frame: pd.DataFrame, column: str, errors: _Errors) -> np.ndarray:
    raw = frame[column]
    if pd.api.types.is_bool_dtype(raw):
        return raw.to_numpy(dtype=bool)
    # Normalised and classified once per distinct value, spread back to the rows.
    codes, uniques = pd.factorize(raw, use_na_sentinel=False)
    distinct = [str(v).strip().lower() if v is not None and v == v else "" for v in uniques]
    true = np.array([v in _TRUE for v in distinct], dtype=bool)[codes]
    false = np.array([v in _FALSE for v in distinct], dtype=bool)[codes]
    blank = np.array([v == "" for v in distinct], dtype=bool)[codes]
    errors.add(blank, f"{column}: missing")
    bad = ~true & ~false & ~blank
    if bad.any():
        shown = raw.to_numpy()
        errors.add(bad, lambda i: f"{column}: {_shown(shown[i])} is not a boolean (true/false)")
    return true


def _currency(frame: pd.DataFrame, column: str, errors: _Errors, *, required: bool) -> pd.Series:
    codes, uniques = pd.factorize(_text(frame, column), use_na_sentinel=False)
    distinct = np.array([str(v).upper() for v in uniques], dtype=object)
    text = pd.Series(distinct[codes] if len(distinct) else np.array([], dtype=object), index=frame.index)
    blank = np.array([v == "" for v in distinct], dtype=bool)[codes]
    unknown = ~blank & ~np.array([v in ISO_4217_CODES for v in distinct], dtype=bool)[codes]
    if unknown.any():
        shown = np.asarray(text, dtype=object)
        errors.add(unknown, lambda i: f"{column}: {_shown(shown[i])} is not an ISO 4217 currency code")
    if required:
        errors.add(blank, f"{column}: missing")
    return text


def _duplicates(codes: np.ndarray, blank: np.ndarray, column: str, errors: _Errors) -> None:
    """Reject each row whose (non-blank) value an earlier row holds; ``codes`` tell values apart."""
    if not len(codes):
        return
    first = np.empty(int(codes.max()) + 1, dtype=np.int64)
    first[codes[::-1]] = np.arange(len(codes) - 1, -1, -1)
    firsts = first[codes]
    duplicated = (firsts != np.arange(len(codes))) & ~blank
    if duplicated.any():
        errors.add(duplicated, lambda i: f"{column}: duplicate of row {firsts[i] + 1}")


def _limit(n: int, max_rows: int | None, what: str) -> None:
    if n == 0:
        raise EmptyBatchError(f"{what} has no rows")
    if max_rows is not None and n > max_rows:
        raise BatchTooLargeError(n, max_rows, what=what)


def _rejected(
    errors: _RowErrors, id_of: Callable[[int], Any], source: Literal["items", "lines"] = "items"
) -> list[RejectedRow]:
    """The rejected rows; ``id_of(position)`` is a row's (trimmed) id, or ``""``."""
    return [
        RejectedRow(row=position + 1, errors=messages, id=id_of(position) or None, source=source)
        for position, messages in sorted(errors.by_row.items())
    ]


def _ids_of(ids: pd.Series) -> Callable[[int], Any]:
    values = ids.to_numpy()
    return lambda position: values[position]


def read_time_entries(source: Source, *, max_rows: int | None = None) -> IngestedBatch:
    """Read and validate a batch of time entries.

    Parameters
    ----------
    source
        JSON or CSV per ``contracts/anomaly.md`` (see ``read_table`` for the accepted forms).
    max_rows
        Refuse a batch with more rows than this (``BatchTooLargeError``).

    Returns
    -------
    IngestedBatch
        The valid entries as typed columns, in input order, and every rejected row with
        all of its problems.
    """
    what = "time entries"
    raw, may_hold_nul = _read_table(source, what, TIME_ENTRY_COLUMNS)
    _limit(len(raw), max_rows, what)
    _check_columns(raw, TIME_ENTRY_COLUMNS, what)
    raw = raw.reset_index(drop=True)
    n = len(raw)
    errors = _RowErrors(n)
    if may_hold_nul:
        _refuse_nul(raw, errors)
    _refuse_nested(raw, TIME_ENTRY_COLUMNS, errors)
    column = _columns(raw, errors, TIME_ENTRY_COLUMNS)

    def checked(name: str, check: Any, **options: Any) -> tuple[_Column, Any]:
        c = column[name]
        return c, check(c.frame, name, c.errors, **options)

    ids_column, entry_id = checked("entry_id", _required_text)
    _, person_id = checked("person_id", _required_text)
    _, project_id = checked("project_id", _required_text)
    date_column, work_date = checked("work_date", _date, required=True)
    hours_column, hours = checked("hours", _number, required=True)
    with np.errstate(invalid="ignore"):
        hours_column.errors.add(hours <= 0, "hours: must be more than 0")
        hours_column.errors.add(hours > 24, "hours: more than 24 in one entry")
    billable_column, billable = checked("billable", _boolean)
    rate_column, bill_rate = checked("bill_rate", _number, required=False)
    with np.errstate(invalid="ignore"):
        rate_column.errors.add(bill_rate < 0, "bill_rate: negative")
    _, currency = checked("currency", _currency, required=False)
    logged_column, logged_at = checked("logged_at", _datetime)
    id_codes = _distinct_codes(ids_column, entry_id)
    _duplicates(id_codes, ids_column.rows((entry_id == "").to_numpy(dtype=bool), None), "entry_id", errors)
    bad = errors.bad_mask()
    keep = ~bad if bad.any() else None
    ids = ids_column.objects(entry_id, None)
    rejected = _rejected(errors, lambda position: ids[position])
    texts = {
        "person_id": person_id,
        "project_id": project_id,
        "currency": currency,
        **{name: _text(column[name].frame, name) for name in ("client_id", "role", "description")},
    }
    text = {name: column[name].objects(values, keep) for name, values in texts.items()}
    factors = {name: column[name].factors(values, keep) for name, values in texts.items()}
    frame = pd.DataFrame(
        {
            "entry_id": _kept(ids, keep),
            "person_id": text["person_id"],
            "project_id": text["project_id"],
            "client_id": text["client_id"],
            "work_date": date_column.rows(work_date.to_numpy(dtype="datetime64[ns]"), keep),
            "hours": hours_column.rows(hours, keep),
            "billable": billable_column.rows(billable, keep),
            "role": text["role"],
            "bill_rate": rate_column.rows(bill_rate, keep),
            "currency": text["currency"],
            "description": text["description"],
            "logged_at": logged_column.rows(logged_at.to_numpy(dtype="datetime64[ns]"), keep),
            "_row": _kept(np.arange(1, n + 1), keep),
        },
        copy=False,
    )
    return IngestedBatch(
        frame=frame,
        rejected=rejected,
        rows_read=n,
        factors={name: f for name, f in factors.items() if f is not None},
    )


def _kept(array: np.ndarray, keep: np.ndarray | None) -> np.ndarray:
    return array if keep is None else array[keep]


def _distinct_codes(column: _Column, text: pd.Series) -> np.ndarray:
    """Per row, a number telling its (trimmed) text apart from every other."""
    if column.codes is not None and isinstance(text.dtype, pd.ArrowDtype) and column.name in column.frame:
        # Distinct values stay distinct when trimming changed none of them.
        before = pa.chunked_array(column.frame[column.name].array._pa_array)
        if pc.all(pc.equal(before, pa.chunked_array(text.array._pa_array))).as_py() is not False:
            return column.codes
    codes, _ = pd.factorize(text, use_na_sentinel=False)
    codes = np.asarray(codes, dtype=np.intp)
    return codes if column.codes is None else codes[column.codes]


def read_invoices(
    invoices: Source,
    lines: Source,
    *,
    max_rows: int | None = None,
) -> IngestedInvoices:
    """Read and validate invoices and their lines (joined on ``invoice_id``).

    Parameters
    ----------
    invoices, lines
        JSON or CSV per ``contracts/anomaly.md``.
    max_rows
        Refuse more invoices (or more lines) than this.

    Returns
    -------
    IngestedInvoices
        Valid invoices and their lines; rejected invoices and lines (``source="lines"``).
        An invoice with an invalid line is rejected too, so it is never scored on part
        of its lines.
    """
    raw, invoices_may_hold_nul = _read_table(invoices, "invoices")
    raw = raw.reset_index(drop=True)
    _limit(len(raw), max_rows, "invoices")
    _check_columns(raw, INVOICE_COLUMNS, "invoices")
    raw_lines, lines_may_hold_nul = _read_table(lines, "invoice lines")
    raw_lines = raw_lines.reset_index(drop=True)
    if len(raw_lines) and max_rows is not None and len(raw_lines) > max_rows * 200:
        raise BatchTooLargeError(len(raw_lines), max_rows * 200, what="invoice lines")
    if len(raw_lines) or len(raw_lines.columns):
        _check_columns(raw_lines, INVOICE_LINE_COLUMNS, "invoice lines")
    else:
        raw_lines = pd.DataFrame({c: pd.Series(dtype=object) for c in INVOICE_LINE_COLUMNS})

    errors = _RowErrors(len(raw))
    if invoices_may_hold_nul:
        _refuse_nul(raw, errors)
    _refuse_nested(raw, INVOICE_COLUMNS, errors)
    invoice_id = _required_text(raw, "invoice_id", errors)
    header = pd.DataFrame(
        {
            "invoice_id": _as_object(invoice_id),
            "invoice_number": _as_object(_required_text(raw, "invoice_number", errors)),
            "client_id": _as_object(_required_text(raw, "client_id", errors)),
            "project_id": _as_object(_required_text(raw, "project_id", errors)),
            "issue_date": _date(raw, "issue_date", errors, required=True).to_numpy(dtype="datetime64[ns]"),
            "due_date": _date(raw, "due_date", errors, required=True).to_numpy(dtype="datetime64[ns]"),
            "currency": _as_object(_currency(raw, "currency", errors, required=True)),
            "subtotal": _number(raw, "subtotal", errors, required=True),
            "tax": _number(raw, "tax", errors, required=True),
            "total": _number(raw, "total", errors, required=True),
            "po_number": _as_object(_text(raw, "po_number")),
            "_row": np.arange(1, len(raw) + 1),
        }
    )
    _duplicates(
        np.asarray(pd.factorize(invoice_id, use_na_sentinel=False)[0], dtype=np.intp),
        (invoice_id == "").to_numpy(dtype=bool),
        "invoice_id",
        errors,
    )

    line_errors = _RowErrors(len(raw_lines))
    if lines_may_hold_nul:
        _refuse_nul(raw_lines, line_errors)
    _refuse_nested(raw_lines, INVOICE_LINE_COLUMNS, line_errors)
    line_invoice = _required_text(raw_lines, "invoice_id", line_errors)
    line_frame = pd.DataFrame(
        {
            "invoice_id": _as_object(line_invoice),
            "description": _as_object(_text(raw_lines, "description")),
            "quantity": _number(raw_lines, "quantity", line_errors, required=True),
            "unit_price": _number(raw_lines, "unit_price", line_errors, required=True),
            "amount": _number(raw_lines, "amount", line_errors, required=True),
            "role": _as_object(_text(raw_lines, "role")),
            "period_start": _date(raw_lines, "period_start", line_errors, required=False).to_numpy(
                dtype="datetime64[ns]"
            ),
            "period_end": _date(raw_lines, "period_end", line_errors, required=False).to_numpy(
                dtype="datetime64[ns]"
            ),
            "_row": np.arange(1, len(raw_lines) + 1),
        }
    )
    known = set(invoice_id[invoice_id != ""])
    orphan = (~line_invoice.isin(known) & (line_invoice != "")).to_numpy()
    line_errors.add(orphan, "invoice_id: no invoice with this id in the batch")

    # An invoice whose lines did not all validate is not scored on part of them.
    bad_lines = line_errors.bad_mask()
    if bad_lines.any():
        bad_line_rows = line_frame.loc[bad_lines & ~orphan, ["invoice_id", "_row"]]
        rows_by_invoice: dict[Any, list[int]] = (
            bad_line_rows.groupby("invoice_id")["_row"].apply(list).to_dict()
        )
        ids = invoice_id.to_numpy()
        has_bad = np.array([i in rows_by_invoice for i in ids], dtype=bool)
        errors.add(
            has_bad,
            lambda i: "lines: invalid line row(s) " + ", ".join(str(r) for r in rows_by_invoice[ids[i]]),
        )
    bad = errors.bad_mask()
    rejected = _rejected(errors, _ids_of(invoice_id)) + _rejected(
        line_errors, _ids_of(line_invoice), source="lines"
    )
    kept_ids = set(header.loc[~bad, "invoice_id"])
    header = header.loc[~bad].reset_index(drop=True)
    line_frame = line_frame.loc[~bad_lines & line_frame["invoice_id"].isin(kept_ids).to_numpy()].reset_index(
        drop=True
    )
    return IngestedInvoices(invoices=header, lines=line_frame, rejected=rejected, rows_read=len(raw))


def read_context(source: ScoringContext | Mapping[str, Any] | str | bytes | Path | None) -> ScoringContext:
    """Read the optional scoring context (projects with rate cards, people, holidays).

    Parameters
    ----------
    source
        A ``ScoringContext``, a mapping, JSON text/bytes, a path to a JSON file, or None.

    Returns
    -------
    ScoringContext
        An empty context when ``source`` is None.
    """
    if source is None:
        return ScoringContext()
    if isinstance(source, ScoringContext):
        return source
    if isinstance(source, Path):
        try:
            source = source.read_bytes()
        except OSError as exc:
            raise ContextError(f"context: cannot read the file: {exc.strerror}") from None
    if isinstance(source, bytes):
        source = _decode(source, "context")
    if isinstance(source, str):
        try:
            source = json.loads(source)
        except json.JSONDecodeError as exc:
            raise ContextError(f"context: JSON does not parse ({exc.msg} at line {exc.lineno})") from None
    if not isinstance(source, Mapping):
        raise ContextError("context: expected a JSON object with projects, people and holidays")
    try:
        return ScoringContext.model_validate(source)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ContextError(f"context: {where}: {first['msg']} ({exc.error_count()} problem(s))") from None
