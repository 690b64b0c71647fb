"""The webhooks API end to end over HTTP: registration, roles, and signed deliveries to a loopback server."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from service.settings import Settings
from service.webhooks.outbox import EVENT_TYPES
from service.webhooks.schemas import WEBHOOK_EVENT_TYPES
from service.webhooks.signing import verify

REVIEW = {
    "kind": "manual",
    "route": "finance",
    "severity": "medium",
    "title": "Check invoice INV-7",
    "finding": {"note": "client disputes line 3"},
    "subject": {"type": "invoice", "id": "INV-7"},
}


class Subscriber:
    """A loopback HTTP receiver answering with scripted statuses (204 once the script runs out)."""

    def __init__(self) -> None:
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.script: list[int] = []
        self.default = 204
        self.delay = 0.0  # seconds each answer takes
        self.lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                with outer.lock:
                    outer.received.append((dict(self.headers), body))
                    status = outer.script.pop(0) if outer.script else outer.default
                time.sleep(outer.delay)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def bodies(self) -> list[dict[str, Any]]:
        with self.lock:
            return [json.loads(body) for _, body in self.received]


@pytest.fixture
def subscriber() -> Iterator[Subscriber]:
    receiver = Subscriber()
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()


# migrated_database_url (SQLite, and PostgreSQL when configured) and make_api_key come from tests/conftest.py;
# settings is overridden here with retries fast enough to watch over HTTP.


@pytest.fixture
def settings(tmp_path: Path, migrated_database_url: str) -> Settings:
    return Settings(
        home=tmp_path / "home",
        database_url=migrated_database_url,
        bootstrap_models=False,
        webhook_max_attempts=3,
        webhook_backoff_base_seconds=0.05,
        webhook_backoff_max_seconds=0.2,
        webhook_timeout_seconds=2.0,
        webhook_poll_seconds=0.05,
    )


@pytest.fixture
def keys(make_api_key: Callable[..., str]) -> dict[str, str]:
    roles = {"engine": "engine", "other_engine": "engine", "admin": "admin"}
    roles |= {"finance": "finance", "legal": "legal", "analyst": "analyst"}
    return {name: make_api_key(role, name=f"test-{name}") for name, role in roles.items()}


@pytest.fixture
def client(settings: Settings, keys: dict[str, str]) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def auth(key: str, **extra: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}", **extra}


def register(client: TestClient, key: str, url: str, events: list[str] | None = None) -> dict[str, Any]:
    response = client.post(
        "/v1/webhooks", json={"url": url, "events": events or list(WEBHOOK_EVENT_TYPES)}, headers=auth(key)
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def wait_for(condition: Callable[[], bool], *, seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def test_event_types_match_what_the_outbox_emits() -> None:
    assert set(WEBHOOK_EVENT_TYPES) == set(EVENT_TYPES)


def test_register_shows_the_secret_once_and_lists_only_own_webhooks(
    client: TestClient, keys: dict[str, str]
) -> None:
    created = register(client, keys["engine"], "https://engine.example/hooks/handoff")
    assert created["secret"].startswith("whsec_")
    assert created["id"].startswith("whk_")
    assert created["events"] == ["review.created", "review.decided"]
    assert created["url"] == "https://engine.example/hooks/handoff"

    own = client.get("/v1/webhooks", headers=auth(keys["engine"])).json()["items"]
    assert [w["id"] for w in own] == [created["id"]]
    assert "secret" not in own[0]
    assert client.get("/v1/webhooks", headers=auth(keys["other_engine"])).json()["items"] == []
    everyone = client.get("/v1/webhooks", headers=auth(keys["admin"])).json()["items"]
    assert [w["id"] for w in everyone] == [created["id"]]


@pytest.mark.parametrize("role", ["finance", "legal", "analyst"])
def test_roles_other_than_engine_and_admin_are_forbidden(
    client: TestClient, keys: dict[str, str], role: str
) -> None:
    body = {"url": "https://x.example/h", "events": ["review.created"]}
    for method, path in [("GET", "/v1/webhooks"), ("POST", "/v1/webhooks"), ("DELETE", "/v1/webhooks/whk_x")]:
        response = client.request(
            method, path, json=body if method == "POST" else None, headers=auth(keys[role])
        )
        assert response.status_code == 403, (method, path)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["type"].endswith("/forbidden")


def test_webhooks_need_an_api_key(client: TestClient) -> None:
    response = client.get("/v1/webhooks")
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": "ftp://files.example/hook", "events": ["review.created"]}, ["body", "url"]),
        ({"url": "not a url", "events": ["review.created"]}, ["body", "url"]),
        ({"url": "https://x.example/h", "events": ["review.deleted"]}, ["body", "events", "0"]),
        ({"url": "https://x.example/h", "events": []}, ["body", "events"]),
        ({"url": "https://x.example/h"}, ["body", "events"]),
        ({"url": "https://x.example/h", "events": ["review.created"], "secret": "mine"}, ["body", "secret"]),
    ],
)
def test_register_rejects_bad_input_naming_the_field(
    client: TestClient, keys: dict[str, str], body: dict[str, Any], field: list[str]
) -> None:
    response = client.post("/v1/webhooks", json=body, headers=auth(keys["engine"]))
    assert response.status_code == 422
    problem = response.json()
    assert response.headers["content-type"].startswith("application/problem+json")
    assert problem["type"].endswith("/validation-error")
    assert field in [error["loc"] for error in problem["errors"]]
    assert client.get("/v1/webhooks", headers=auth(keys["engine"])).json()["items"] == []


def test_register_is_idempotent_per_key(client: TestClient, keys: dict[str, str]) -> None:
    body = {"url": "https://engine.example/h", "events": ["review.decided"]}
    headers = auth(keys["engine"], **{"Idempotency-Key": "hook-1"})
    first = client.post("/v1/webhooks", json=body, headers=headers)
    again = client.post("/v1/webhooks", json=body, headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    other = client.post("/v1/webhooks", json={**body, "url": "https://else.example/h"}, headers=headers)
    assert other.status_code == 422
    assert other.json()["type"].endswith("/idempotency-key-reused")
    assert len(client.get("/v1/webhooks", headers=auth(keys["engine"])).json()["items"]) == 1


def test_delete_stops_deliveries_and_hides_the_webhook(
    client: TestClient, keys: dict[str, str], subscriber: Subscriber
) -> None:
    hook = register(client, keys["engine"], subscriber.url)
    assert client.delete(f"/v1/webhooks/{hook['id']}", headers=auth(keys["other_engine"])).status_code == 404
    assert client.delete(f"/v1/webhooks/{hook['id']}", headers=auth(keys["engine"])).status_code == 204
    assert client.get("/v1/webhooks", headers=auth(keys["engine"])).json()["items"] == []
    missing = client.delete(f"/v1/webhooks/{hook['id']}", headers=auth(keys["engine"]))
    assert missing.status_code == 404
    assert missing.json()["type"].endswith("/webhook-not-found")
    assert (
        client.get(f"/v1/webhooks/{hook['id']}/deliveries", headers=auth(keys["engine"])).status_code == 404
    )

    live = register(client, keys["engine"], subscriber.url, ["review.created"])
    client.post("/v1/reviews", json=REVIEW, headers=auth(keys["engine"]))
    assert wait_for(lambda: len(subscriber.received) >= 1)
    time.sleep(0.3)  # a few more dispatcher polls: nothing may arrive for the deleted webhook
    assert len(subscriber.received) == 1
    deliveries = client.get(f"/v1/webhooks/{live['id']}/deliveries", headers=auth(keys["engine"])).json()
    assert [d["status"] for d in deliveries["items"]] == ["delivered"]


def test_created_and_decided_events_arrive_signed_and_the_attempts_are_visible(
    client: TestClient, keys: dict[str, str], subscriber: Subscriber
) -> None:
    hook = register(client, keys["engine"], subscriber.url)
    created = client.post(
        "/v1/reviews", json=REVIEW, headers=auth(keys["engine"], **{"Idempotency-Key": "r-1"})
    ).json()
    decided = client.post(
        f"/v1/reviews/{created['id']}/decision",
        json={"outcome": "approved", "reason": "fine"},
        headers=auth(keys["finance"]),
    )
    assert decided.status_code == 200, decided.text

    assert wait_for(lambda: len(subscriber.received) >= 2)
    with subscriber.lock:
        received = list(subscriber.received)
    by_type = {}
    for headers, body in received:
        verify(headers, body, secret=hook["secret"])
        envelope = json.loads(body)
        by_type[envelope["type"]] = (headers, envelope)
    assert set(by_type) == {"review.created", "review.decided"}
    assert by_type["review.created"][1]["data"] == created
    assert by_type["review.decided"][1]["data"] == decided.json()
    assert by_type["review.decided"][1]["data"]["status"] == "approved"
    assert by_type["review.created"][0]["webhook-id"] != by_type["review.decided"][0]["webhook-id"]

    # The subscriber answers before the dispatcher records the answer: wait for the record.
    def deliveries() -> dict[str, Any]:
        answer = client.get(f"/v1/webhooks/{hook['id']}/deliveries", headers=auth(keys["engine"]))
        return dict(answer.json())

    assert wait_for(lambda: all(d["status"] == "delivered" for d in deliveries()["items"]))
    page = deliveries()
    assert page["next_cursor"] is None
    assert [d["event_type"] for d in page["items"]] == ["review.decided", "review.created"]
    for delivery in page["items"]:
        assert (delivery["status"], delivery["attempt_count"], delivery["next_attempt_at"]) == (
            "delivered",
            1,
            None,
        )
        (attempt,) = delivery["attempts"]
        assert attempt["status_code"] == 204
        assert attempt["error"] is None
        assert attempt["duration_ms"] >= 0
    assert {d["event_id"] for d in page["items"]} == {h["webhook-id"] for h, _ in by_type.values()}
    assert (
        client.get(f"/v1/webhooks/{hook['id']}/deliveries", headers=auth(keys["other_engine"])).status_code
        == 404
    )
    metrics = client.get("/metrics").text
    assert 'handoff_webhook_deliveries_total{outcome="delivered"}' in metrics


def test_failed_attempts_are_retried_and_recorded(
    client: TestClient, keys: dict[str, str], subscriber: Subscriber
) -> None:
    subscriber.script = [500, 503]
    hook = register(client, keys["engine"], subscriber.url, ["review.created"])
    client.post("/v1/reviews", json=REVIEW, headers=auth(keys["engine"]))
    url = f"/v1/webhooks/{hook['id']}/deliveries"

    assert wait_for(
        lambda: client.get(url, headers=auth(keys["engine"])).json()["items"][0]["status"] == "delivered"
    )
    (delivery,) = client.get(url, headers=auth(keys["engine"])).json()["items"]
    assert delivery["attempt_count"] == 3
    assert [a["status_code"] for a in delivery["attempts"]] == [500, 503, 204]
    assert [a["error"] is None for a in delivery["attempts"]] == [False, False, True]
    assert "500" in delivery["attempts"][0]["error"]
    times = [a["at"] for a in delivery["attempts"]]
    assert times == sorted(times)
    assert len({h["webhook-id"] for h, _ in subscriber.received}) == 1


def test_a_delivery_that_always_fails_ends_dead_and_says_why(
    client: TestClient, keys: dict[str, str], subscriber: Subscriber
) -> None:
    subscriber.default = 500
    hook = register(client, keys["engine"], subscriber.url, ["review.created"])
    client.post("/v1/reviews", json=REVIEW, headers=auth(keys["engine"]))
    url = f"/v1/webhooks/{hook['id']}/deliveries"

    assert wait_for(
        lambda: client.get(url, headers=auth(keys["engine"])).json()["items"][0]["status"] == "dead"
    )
    (delivery,) = client.get(url, params={"status": "dead"}, headers=auth(keys["engine"])).json()["items"]
    assert delivery["attempt_count"] == 3
    assert delivery["next_attempt_at"] is None
    assert delivery["last_status_code"] == 500
    assert [a["status_code"] for a in delivery["attempts"]] == [500, 500, 500]
    assert client.get(url, params={"status": "delivered"}, headers=auth(keys["engine"])).json()["items"] == []


def test_deliveries_page_with_a_cursor(
    client: TestClient, keys: dict[str, str], subscriber: Subscriber
) -> None:
    hook = register(client, keys["engine"], subscriber.url, ["review.created"])
    for _ in range(5):
        client.post("/v1/reviews", json=REVIEW, headers=auth(keys["engine"]))
    url = f"/v1/webhooks/{hook['id']}/deliveries"
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = client.get(url, params=params, headers=auth(keys["engine"])).json()
        seen += [d["id"] for d in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == 5 == len(set(seen))
    assert seen == sorted(seen, reverse=True)


def _dead_delivery(client: TestClient, keys: dict[str, str], subscriber: Subscriber) -> tuple[str, dict]:
    subscriber.default = 500
    hook = register(client, keys["engine"], subscriber.url, ["review.created"])
    client.post("/v1/reviews", json=REVIEW, headers=auth(keys["engine"]))
    url = f"/v1/webhooks/{hook['id']}/deliveries"
    assert wait_for(
        lambda: client.get(url, headers=auth(keys["engine"])).json()["items"][0]["status"] == "dead"
    )
    (dead,) = client.get(url, headers=auth(keys["engine"])).json()["items"]
    return hook["id"], dead


def test_a_dead_delivery_is_redelivered_once_the_subscriber_is_back(
    client: TestClient, keys: dict[str, str], subscriber: Subscriber
) -> None:
    hook_id, dead = _dead_delivery(client, keys, subscriber)
    subscriber.default = 204
    response = client.post(
        f"/v1/webhooks/{hook_id}/deliveries/{dead['id']}/redeliver", headers=auth(keys["engine"])
    )
    assert response.status_code == 202, response.text
    fresh = response.json()
    assert fresh["id"] != dead["id"]
    assert fresh["event_id"] == dead["event_id"]
    assert (fresh["status"], fresh["attempt_count"], fresh["attempts"]) == ("pending", 0, [])

    url = f"/v1/webhooks/{hook_id}/deliveries"
    assert wait_for(
        lambda: client.get(url, params={"status": "delivered"}, headers=auth(keys["engine"])).json()["items"]
    )
    items = {d["id"]: d for d in client.get(url, headers=auth(keys["engine"])).json()["items"]}
    # The dead delivery keeps its history; the new one carries the same webhook-id.
    assert items[dead["id"]]["status"] == "dead"
    assert items[dead["id"]]["attempt_count"] == 3
    assert items[fresh["id"]]["status"] == "delivered"
    assert len({h["webhook-id"] for h, _ in subscriber.received}) == 1


def test_redeliver_refuses_while_the_event_is_still_scheduled(
    client: TestClient, keys: dict[str, str], subscriber: Subscriber
) -> None:
    hook_id, dead = _dead_delivery(client, keys, subscriber)
    # A slow subscriber keeps the first redelivery in flight while the second is asked for.
    subscriber.delay = 1.5
    path = f"/v1/webhooks/{hook_id}/deliveries/{dead['id']}/redeliver"
    assert client.post(path, headers=auth(keys["engine"])).status_code == 202
    second = client.post(path, headers=auth(keys["engine"]))
    assert second.status_code == 409
    assert second.headers["content-type"].startswith("application/problem+json")
    assert second.json()["type"].endswith("/delivery-in-progress")
    deliveries = client.get(f"/v1/webhooks/{hook_id}/deliveries", headers=auth(keys["engine"])).json()
    assert len(deliveries["items"]) == 2


def test_redeliver_is_idempotent_per_key_and_scoped_to_the_owner(
    client: TestClient, keys: dict[str, str], subscriber: Subscriber
) -> None:
    hook_id, dead = _dead_delivery(client, keys, subscriber)
    path = f"/v1/webhooks/{hook_id}/deliveries/{dead['id']}/redeliver"
    other = client.post(path, headers=auth(keys["other_engine"]))
    assert other.status_code == 404
    assert client.post(path, headers=auth(keys["finance"])).status_code == 403
    missing = client.post(
        f"/v1/webhooks/{hook_id}/deliveries/dlv_nope/redeliver", headers=auth(keys["engine"])
    )
    assert missing.status_code == 404
    assert missing.json()["type"].endswith("/delivery-not-found")

    first = client.post(path, headers=auth(keys["engine"], **{"Idempotency-Key": "redeliver-1"}))
    replay = client.post(path, headers=auth(keys["engine"], **{"Idempotency-Key": "redeliver-1"}))
    assert first.status_code == replay.status_code == 202
    assert replay.headers.get("Idempotent-Replayed") == "true"
    assert replay.json()["id"] == first.json()["id"]
    deliveries = client.get(f"/v1/webhooks/{hook_id}/deliveries", headers=auth(keys["engine"])).json()
    assert len(deliveries["items"]) == 2
