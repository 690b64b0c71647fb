"""Gaps the service audit left: ASAP replays, webhook URLs, empty bodies, Accept negotiation."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

import service.api.staffing as staffing_api
from tests.service.test_stranger_input import (
    ASAP_DAY,
    JSON_ENDPOINTS,
    _asap_request,
    _booked_around,
    assert_problem,
    auth,
    keys,
    pending_review,
    row_counts,
)
from tests.staffing_recs.conftest import make_person

__all__ = ["keys", "pending_review"]  # fixtures, imported so pytest finds them here

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
    # Without a key the request is new each time, so it is read against the day it arrives:
    # E-1's booking ends on ASAP_DAY (a Friday), so it is in the way that day and not the next
    # working day.
    body = {"request": _asap_request("R-ASAP"), "people": _booked_around(ASAP_DAY)}
    monkeypatch.setattr(staffing_api, "today_utc", lambda: ASAP_DAY)
    first = client.post("/v1/staffing/recommendations", json=body, headers=auth(keys["engine"]))
    monkeypatch.setattr(staffing_api, "today_utc", lambda: ASAP_DAY + dt.timedelta(days=3))
    second = client.post("/v1/staffing/recommendations", json=body, headers=auth(keys["engine"]))
    assert first.status_code == second.status_code == 200, (first.text, second.text)
    assert second.headers.get("Idempotent-Replayed") is None
    assert [e["person_id"] for e in first.json()["excluded"]] == ["E-1"]
    assert second.json()["excluded"] == []
    assert sorted(c["person_id"] for c in second.json()["candidates"]) == ["E-1", "E-2", "E-3"]


# --- webhook URLs ---------------------------------------------------------------------------------

HOOK_EVENTS = ["review.created"]


@pytest.mark.parametrize(
    "url",
    [
        "https://engine:s3cr3t-pass@engine.example/hooks",
        "https://only-a-user@engine.example/hooks",
        "http://:s3cr3t-pass@10.0.0.7:8080/h",
    ],
)
def test_a_webhook_url_with_credentials_is_refused_without_echoing_them(
    client: TestClient, keys: dict[str, str], session_factory: sessionmaker[Session], url: str
) -> None:
    before = row_counts(session_factory)
    response = client.post(
        "/v1/webhooks", json={"url": url, "events": HOOK_EVENTS}, headers=auth(keys["engine"])
    )
    problem = assert_problem(response, 422, "webhook-url-credentials")
    assert "s3cr3t" not in response.text and "only-a-user" not in response.text
    assert "signing secret" in problem["detail"]
    assert row_counts(session_factory) == before


@pytest.mark.parametrize(
    "url", ["ftp://files.example/hook", "file:///etc/passwd", "javascript:alert(1)", "ws://engine.example/h"]
)
def test_a_webhook_url_that_is_not_http_is_refused(
    client: TestClient, keys: dict[str, str], session_factory: sessionmaker[Session], url: str
) -> None:
    before = row_counts(session_factory)
    response = client.post(
        "/v1/webhooks", json={"url": url, "events": HOOK_EVENTS}, headers=auth(keys["engine"])
    )
    assert_problem(response, 422, "validation-error")
    assert row_counts(session_factory) == before


def test_a_stored_url_with_credentials_is_listed_without_them(
    client: TestClient, keys: dict[str, str], session_factory: sessionmaker[Session]
) -> None:
    from service.db.models import WebhookRow

    created = client.post(
        "/v1/webhooks",
        json={"url": "https://engine.example/h", "events": HOOK_EVENTS},
        headers=auth(keys["engine"]),
    )
    assert created.status_code == 201, created.text
    # A row registered before the check existed.
    with session_factory() as db:
        row = db.get(WebhookRow, created.json()["id"])
        assert row is not None
        row.url = "https://engine:s3cr3t-pass@engine.example/h"
        db.commit()
    listed = client.get("/v1/webhooks", headers=auth(keys["engine"]))
    assert listed.status_code == 200
    assert [w["url"] for w in listed.json()["items"]] == ["https://engine.example/h"]


INTERNAL_URLS = [
    "http://127.0.0.1:9000/h",
    "http://localhost:9000/h",
    "http://api.localhost/h",
    "http://10.1.2.3/h",
    "http://192.168.0.10/h",
    "http://172.20.0.5/h",
    "http://169.254.169.254/latest/meta-data",
    "http://[::1]:9000/h",
    "http://[::ffff:127.0.0.1]/h",
    "http://2130706433/h",  # 127.0.0.1 written as one number
    "http://0.0.0.0/h",
]


@pytest.mark.parametrize("url", INTERNAL_URLS)
def test_internal_webhook_addresses_are_allowed_by_default(
    client: TestClient, keys: dict[str, str], url: str
) -> None:
    response = client.post(
        "/v1/webhooks", json={"url": url, "events": HOOK_EVENTS}, headers=auth(keys["engine"])
    )
    assert response.status_code == 201, response.text


@pytest.fixture
def public_only_client(settings: Any) -> Any:
    from service.app import create_app

    with TestClient(create_app(settings.model_copy(update={"webhook_allow_private": False}))) as test_client:
        yield test_client


@pytest.mark.parametrize("url", INTERNAL_URLS)
def test_internal_webhook_addresses_are_refused_when_the_setting_says_so(
    public_only_client: TestClient, keys: dict[str, str], session_factory: sessionmaker[Session], url: str
) -> None:
    before = row_counts(session_factory)
    response = public_only_client.post(
        "/v1/webhooks", json={"url": url, "events": HOOK_EVENTS}, headers=auth(keys["engine"])
    )
    problem = assert_problem(response, 422, "webhook-url-internal")
    assert "HANDOFF_WEBHOOK_ALLOW_PRIVATE" in problem["detail"]
    assert row_counts(session_factory) == before


def test_a_public_address_is_accepted_when_internal_ones_are_refused(
    public_only_client: TestClient, keys: dict[str, str]
) -> None:
    # A literal public address: nothing to resolve, so the test needs no DNS; nothing is sent to it.
    response = public_only_client.post(
        "/v1/webhooks",
        json={"url": "https://93.184.215.14/h", "events": HOOK_EVENTS},
        headers=auth(keys["engine"]),
    )
    assert response.status_code == 201, response.text


# --- an empty body --------------------------------------------------------------------------------


@pytest.mark.parametrize("content_type", [None, "application/json"], ids=["no-content-type", "json"])
@pytest.mark.parametrize(("method", "path"), JSON_ENDPOINTS, ids=[f"{m} {p}" for m, p in JSON_ENDPOINTS])
def test_an_empty_body_is_one_422_naming_the_body_on_every_endpoint(
    client: TestClient,
    keys: dict[str, str],
    session_factory: sessionmaker[Session],
    pending_review: str,
    method: str,
    path: str,
    content_type: str | None,
) -> None:
    # contracts/api.md: a request body is JSON, and a missing one is a validation error naming it.
    path = path.format(review_id=pending_review)
    headers = auth(keys["finance" if path.endswith("/decision") else "engine"])
    if content_type is not None:
        headers["Content-Type"] = content_type
    before = row_counts(session_factory)
    problem = assert_problem(
        client.request(method, path, content=b"", headers=headers), 422, "validation-error"
    )
    assert ["body"] in [error["loc"] for error in problem["errors"]], problem
    assert row_counts(session_factory) == before


# --- Accept ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "accept", ["application/xml", "text/html, text/plain", "application/json;q=0, text/csv"]
)
def test_an_accept_admitting_no_json_is_406_and_stores_nothing(
    client: TestClient, keys: dict[str, str], session_factory: sessionmaker[Session], accept: str
) -> None:
    before = row_counts(session_factory)
    item = {
        "kind": "manual",
        "route": "finance",
        "severity": "low",
        "title": "Check line 4",
        "finding": {},
        "subject": {"type": "invoice", "id": "INV-4"},
    }
    created = client.post("/v1/reviews", json=item, headers=auth(keys["engine"], Accept=accept))
    problem = assert_problem(created, 406, "not-acceptable")
    assert accept.split(",")[0] in problem["detail"]
    assert_problem(
        client.get("/v1/reviews", headers=auth(keys["admin"], Accept=accept)), 406, "not-acceptable"
    )
    assert row_counts(session_factory) == before


@pytest.mark.parametrize(
    "accept",
    [
        "",
        "*/*",
        "application/*",
        "application/json",
        "application/problem+json",
        "application/xml, application/json;q=0.5",
        "APPLICATION/JSON; charset=utf-8",
        "text/html;q=0.9, */*;q=0.1",
    ],
)
def test_an_accept_admitting_json_is_answered(client: TestClient, keys: dict[str, str], accept: str) -> None:
    response = client.get("/v1/reviews", headers=auth(keys["admin"], Accept=accept))
    assert response.status_code == 200, (accept, response.text)


def test_accept_is_not_checked_outside_the_api(client: TestClient) -> None:
    # The health probes, metrics and console answer their own formats to whoever asks.
    assert client.get("/healthz", headers={"Accept": "text/plain"}).status_code == 200
    assert client.get("/metrics", headers={"Accept": "text/plain"}).status_code == 200
