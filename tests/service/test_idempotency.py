"""Idempotency-Key on creating POSTs: replay, reuse with another body, scope per key, concurrency."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from service.db.models import IdempotencyKeyRow, OutboxEventRow, ReviewItemRow, utcnow
from service.idempotency import purge_expired_keys, request_fingerprint

BODY: dict[str, Any] = {
    "kind": "manual",
    "route": "finance",
    "severity": "medium",
    "title": "Check invoice INV-7",
    "finding": {"note": "client disputes line 3"},
    "subject": {"type": "invoice", "id": "INV-7"},
}


def headers(key: str, idempotency_key: str | None = None) -> dict[str, str]:
    out = {"Authorization": f"Bearer {key}"}
    if idempotency_key is not None:
        out["Idempotency-Key"] = idempotency_key
    return out


def stored_counts(session_factory: sessionmaker[Session]) -> tuple[int, int]:
    with session_factory() as db:
        items = db.scalar(select(func.count()).select_from(ReviewItemRow)) or 0
        events = db.scalar(select(func.count()).select_from(OutboxEventRow)) or 0
    return items, events


def test_same_key_same_body_replays_and_creates_nothing(
    client: TestClient, make_api_key: Any, session_factory: sessionmaker[Session]
) -> None:
    engine = make_api_key("engine")
    first = client.post("/v1/reviews", json=BODY, headers=headers(engine, "k-1"))
    assert first.status_code == 201
    assert "idempotent-replayed" not in first.headers
    replay = client.post("/v1/reviews", json=BODY, headers=headers(engine, "k-1"))
    assert replay.status_code == 201
    assert replay.headers["idempotent-replayed"] == "true"
    assert replay.json() == first.json()
    assert stored_counts(session_factory) == (1, 1)


def test_key_order_in_the_body_does_not_make_a_different_request(
    client: TestClient, make_api_key: Any, session_factory: sessionmaker[Session]
) -> None:
    engine = make_api_key("engine")
    client.post("/v1/reviews", json=BODY, headers=headers(engine, "k-order"))
    reordered = dict(reversed(list(BODY.items())))
    replay = client.post("/v1/reviews", json=reordered, headers=headers(engine, "k-order"))
    assert replay.headers.get("idempotent-replayed") == "true"
    assert stored_counts(session_factory) == (1, 1)


def test_same_key_other_body_is_422_and_creates_nothing(
    client: TestClient, make_api_key: Any, session_factory: sessionmaker[Session]
) -> None:
    engine = make_api_key("engine")
    client.post("/v1/reviews", json=BODY, headers=headers(engine, "k-2"))
    reused = client.post("/v1/reviews", json={**BODY, "title": "other"}, headers=headers(engine, "k-2"))
    assert reused.status_code == 422
    assert reused.headers["content-type"] == "application/problem+json"
    assert reused.json()["type"] == "https://handoff.dev/problems/idempotency-key-reused"
    assert stored_counts(session_factory) == (1, 1)


def test_keys_are_scoped_per_api_key(
    client: TestClient, make_api_key: Any, session_factory: sessionmaker[Session]
) -> None:
    one, two = make_api_key("engine", name="one"), make_api_key("engine", name="two")
    a = client.post("/v1/reviews", json=BODY, headers=headers(one, "shared"))
    b = client.post("/v1/reviews", json={**BODY, "title": "other"}, headers=headers(two, "shared"))
    assert a.status_code == b.status_code == 201
    assert "idempotent-replayed" not in b.headers
    assert a.json()["id"] != b.json()["id"]
    assert stored_counts(session_factory) == (2, 2)


def test_without_a_key_every_post_creates(
    client: TestClient, make_api_key: Any, session_factory: sessionmaker[Session]
) -> None:
    engine = make_api_key("engine")
    for _ in range(2):
        assert client.post("/v1/reviews", json=BODY, headers=headers(engine)).status_code == 201
    assert stored_counts(session_factory) == (2, 2)


def test_failed_request_is_not_remembered(
    client: TestClient, make_api_key: Any, session_factory: sessionmaker[Session]
) -> None:
    engine = make_api_key("engine")
    bad = client.post("/v1/reviews", json={**BODY, "route": "nowhere"}, headers=headers(engine, "k-3"))
    assert bad.status_code == 422
    good = client.post("/v1/reviews", json=BODY, headers=headers(engine, "k-3"))
    assert good.status_code == 201 and "idempotent-replayed" not in good.headers
    assert stored_counts(session_factory) == (1, 1)


@pytest.mark.parametrize("bad_key", ["", " ", "x" * 256, "tab\there"])
def test_invalid_idempotency_key_is_400(client: TestClient, make_api_key: Any, bad_key: str) -> None:
    response = client.post("/v1/reviews", json=BODY, headers=headers(make_api_key("engine"), bad_key))
    assert response.status_code == 400
    assert response.json()["type"] == "https://handoff.dev/problems/invalid-idempotency-key"


def test_concurrent_requests_with_one_key_create_once(
    client: TestClient, make_api_key: Any, session_factory: sessionmaker[Session]
) -> None:
    engine = make_api_key("engine")
    barrier = threading.Barrier(6)
    responses: list[tuple[int, str, str | None]] = []

    def post() -> None:
        barrier.wait()
        response = client.post("/v1/reviews", json=BODY, headers=headers(engine, "race"))
        responses.append(
            (response.status_code, response.json()["id"], response.headers.get("idempotent-replayed"))
        )

    threads = [threading.Thread(target=post) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert {status for status, _, _ in responses} == {201}
    assert len({review_id for _, review_id, _ in responses}) == 1
    assert sum(replayed is None for _, _, replayed in responses) >= 1
    assert stored_counts(session_factory) == (1, 1)


def test_keys_are_kept_a_day_and_purged_after_retention(
    client: TestClient, make_api_key: Any, session_factory: sessionmaker[Session]
) -> None:
    engine = make_api_key("engine")
    client.post("/v1/reviews", json=BODY, headers=headers(engine, "old"))
    with session_factory() as db:
        db.execute(update(IdempotencyKeyRow).values(created_at=utcnow() - timedelta(hours=25)))
        db.commit()
        assert purge_expired_keys(db) == 0  # a day old is still inside retention
        db.execute(update(IdempotencyKeyRow).values(created_at=utcnow() - timedelta(days=3)))
        assert purge_expired_keys(db) == 1
        db.commit()


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ({"x": 1, "y": [1, 2]}, {"y": [1, 2], "x": 1}, True),
        ({"x": 1}, {"x": 2}, False),
        (b"raw", b"raw", True),
        (b"raw", b"other", False),
    ],
)
def test_request_fingerprint(a: Any, b: Any, same: bool) -> None:
    assert (
        request_fingerprint("POST", "/v1/x", "", a) == request_fingerprint("POST", "/v1/x", "", b)
    ) is same
    assert request_fingerprint("POST", "/v1/x", "", a) != request_fingerprint("POST", "/v1/y", "", a)


def test_retried_decision_with_its_key_replays_instead_of_409(
    client: TestClient, make_api_key: Any, session_factory: sessionmaker[Session]
) -> None:
    engine, finance = make_api_key("engine"), make_api_key("finance")
    review_id = client.post("/v1/reviews", json=BODY, headers=headers(engine)).json()["id"]
    url = f"/v1/reviews/{review_id}/decision"
    decision = {"outcome": "rejected", "reason": "line 3 is right"}
    first = client.post(url, json=decision, headers=headers(finance, "decide-1"))
    retry = client.post(url, json=decision, headers=headers(finance, "decide-1"))
    assert first.status_code == retry.status_code == 200
    assert retry.headers["idempotent-replayed"] == "true" and retry.json() == first.json()
    assert retry.headers["etag"] == first.headers["etag"] == '"2"'
    other = client.post(url, json={"outcome": "approved"}, headers=headers(finance, "decide-2"))
    assert other.status_code == 409
    assert stored_counts(session_factory) == (1, 2)  # review.created + one review.decided
