"""The strict JSON reader every request body goes through: it reads all of JSON and nothing more."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.json_body import StrictJSONError, loads_strict

# Any JSON document: finite floats, big integers, every Unicode string but lone surrogates.
TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=20)
SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | TEXT
DOCUMENTS = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=5) | st.dictionaries(TEXT, children, max_size=5),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None, database=None)
@given(document=DOCUMENTS, ascii_only=st.booleans(), bom=st.booleans())
def test_every_json_document_reads_as_the_standard_reader_reads_it(
    document: Any, ascii_only: bool, bom: bool
) -> None:
    raw = json.dumps(document, ensure_ascii=ascii_only).encode("utf-8")
    assert loads_strict(b"\xef\xbb\xbf" + raw if bom else raw) == json.loads(raw)


@settings(max_examples=200, deadline=None, database=None)
@given(document=DOCUMENTS, bad=st.sampled_from([math.nan, math.inf, -math.inf]))
def test_a_non_finite_number_anywhere_is_refused(document: Any, bad: float) -> None:
    raw = json.dumps({"value": document, "bad": [bad]}).encode("utf-8")
    with pytest.raises(StrictJSONError):
        loads_strict(raw)


@pytest.mark.parametrize(
    "raw",
    [b'["\\ud800"]', b'{"\\udc00": 1}', b'"a\\uDBFFb"'],
    ids=["high", "low-in-key", "high-upper-case"],
)
def test_a_lone_surrogate_escape_is_refused(raw: bytes) -> None:
    with pytest.raises(StrictJSONError, match="surrogate"):
        loads_strict(raw)


def test_a_surrogate_pair_escape_is_a_character() -> None:
    assert loads_strict(b'{"face": "\\ud83d\\ude00"}') == {"face": "\N{GRINNING FACE}"}


@pytest.mark.parametrize("raw", [b"1e308", b"-1.7976931348623157e308", b"1e-400", b"0." + b"1" * 400])
def test_floats_at_the_edges_of_the_range_are_read(raw: bytes) -> None:
    assert loads_strict(raw) == json.loads(raw)
