"""Gaps the service audit left: ASAP replays, webhook URLs, empty bodies, Accept negotiation."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

import service.api.staffing as staffing_api
from tests.service.test_stranger_input import _asap_request, assert_problem, auth, keys, row_counts
from tests.staffing_recs.conftest import make_person

__all__ = ["keys"]  # the fixture, imported so pytest finds it here

FIRST_DAY = dt.date(2026, 3, 2)
NEXT_DAY = dt.date(2026, 3, 3)


def _people() -> list[dict[str, Any]]:
    return [make_person("E-1").model_dump(mode="json"), make_person("E-2").model_dump(mode="json")]


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/v1/staffing/recommendations", {"request": _asap_request("R-ASAP"), "people": _people()}),
        (
            "/v1/staffing/teams",
            {"requests": [_asap_request("R-1", hours_per_week=10)], "people": _people()},
        ),
    ],
    ids=["recommendation", "team"],
)
def test_an_asap_request_replayed_on_a_later_day_answers_the_stored_response(
    client: TestClient,
    keys: dict[str, str],
    session_factory: sessionmaker[Session],
    monkeypatch: pytest.MonkeyPatch,
    path: str,
    body: dict[str, Any],
) -> None:
    headers = auth(keys["engine"], **{"Idempotency-Key": "asap-1"})
    monkeypatch.setattr(staffing_api, "today_utc", lambda: FIRST_DAY)
    first = client.post(path, json=body, headers=headers)
    assert first.status_code == 200, first.text
    stored = row_counts(session_factory)

    # The engine retries after midnight UTC: the same request, though ASAP now means another day.
    monkeypatch.setattr(staffing_api, "today_utc", lambda: NEXT_DAY)
    again = client.post(path, json=body, headers=headers)
    assert again.status_code == 200, again.text
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert again.json() == first.json()
    assert row_counts(session_factory) == stored

    # A request that differs in anything it sent is still another request.
    changed = {**body, "people": body["people"][:1]}
    assert_problem(client.post(path, json=changed, headers=headers), 422, "idempotency-key-reused")
    assert row_counts(session_factory) == stored


def test_an_asap_request_without_a_key_is_dated_each_day(
    client: TestClient, keys: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without a key the request is new each time, so it is read against the day it arrives.
    body = {"request": _asap_request("R-ASAP"), "people": _people()}
    monkeypatch.setattr(staffing_api, "today_utc", lambda: FIRST_DAY)
    first = client.post("/v1/staffing/recommendations", json=body, headers=auth(keys["engine"]))
    monkeypatch.setattr(staffing_api, "today_utc", lambda: NEXT_DAY)
    second = client.post("/v1/staffing/recommendations", json=body, headers=auth(keys["engine"]))
    assert first.status_code == second.status_code == 200, (first.text, second.text)
    assert second.headers.get("Idempotent-Replayed") is None
