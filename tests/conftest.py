"""Fixtures shared by every test package. Area fixtures live in tests/<area>/conftest.py."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")


def _seeds() -> list[int]:
    # HANDOFF_TEST_SEEDS="1,2,3" or "all" widens seeded tests, so none rests on one lucky seed.
    raw = os.environ.get("HANDOFF_TEST_SEEDS", "42")
    if raw == "all":
        return list(range(10))
    return [int(s) for s in raw.split(",") if s.strip()]


@pytest.fixture(params=_seeds())
def global_random_seed(request: pytest.FixtureRequest) -> int:
    return int(request.param)
