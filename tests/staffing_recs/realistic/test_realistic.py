"""Every hand-written expectation of the realistic set is its own test (see check.py)."""

from __future__ import annotations

from typing import Any

import pytest

from .check import check, expectations

# An expectation the library does not meet yet carries ``known_miss`` (why): a strict xfail,
# so meeting it later fails loudly until the mark is removed.
EXPECTATIONS = expectations()
CASES = [
    pytest.param(e, id=e["id"], marks=[pytest.mark.xfail(strict=True, reason=e["known_miss"])])
    if e.get("known_miss")
    else pytest.param(e, id=e["id"])
    for e in EXPECTATIONS
]


@pytest.mark.parametrize("expectation", CASES)
def test_realistic_expectation(expectation: dict[str, Any]) -> None:
    passed, detail = check(expectation)
    assert passed, detail
