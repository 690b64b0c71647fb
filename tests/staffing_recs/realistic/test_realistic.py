"""Every hand-written expectation of the realistic set is its own test (see check.py)."""

from __future__ import annotations

from typing import Any

import pytest

from .check import check, expectations

CASES = expectations()


@pytest.mark.parametrize("expectation", CASES, ids=[e["id"] for e in CASES])
def test_realistic_expectation(expectation: dict[str, Any]) -> None:
    passed, detail = check(expectation)
    assert passed, detail
