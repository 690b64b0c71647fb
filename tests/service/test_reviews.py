"""The review queue over HTTP: create, read, list, decide, audit, route scoping and auth."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from service.auth import revoke_api_key
from service.db.models import ApiKey, OutboxEventRow, ReviewEventRow, ReviewItemRow

PROBLEM = "https://handoff.dev/problems/"
# Checks that never reach the database beyond auth run on SQLite only; persistence runs on both.
SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def auth(key: str, **extra: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}", **extra}


def review_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "kind": "manual",
        "route": "finance",
        "severity": "medium",
        "title": "Check invoice INV-7",
        "finding": {"note": "client disputes line 3"},
        "subject": {"type": "invoice", "id": "INV-7"},
    }
    body.update(overrides)
    return body


@pytest.fixture
def keys(make_api_key: Any) -> dict[str, str]:
    return {
        role: make_api_key(role) for role in ("admin", "engine", "legal", "finance", "delivery", "analyst")
    }


def create(client: TestClient, key: str, **overrides: Any) -> dict[str, Any]:
    response = client.post("/v1/reviews", json=review_body(**overrides), headers=auth(key))
    assert response.status_code == 201, response.text
    return dict(response.json())


def counts(session_factory: sessionmaker[Session]) -> tuple[int, int, int]:
    with session_factory() as db:
        return (
            db.scalar(select(func.count()).select_from(ReviewItemRow)) or 0,
            db.scalar(select(func.count()).select_from(ReviewEventRow)) or 0,
            db.scalar(select(func.count()).select_from(OutboxEventRow)) or 0,
        )


def test_create_review_returns_the_contract_shape(client: TestClient, keys: dict[str, str]) -> None:
    item = create(client, keys["engine"], rule="invoice.disputed", model_version="invoices/2")
    assert item["id"].startswith("rev_") and len(item["id"]) == 30
    assert item["status"] == "pending" and item["version"] == 1
    assert item["decision"] is None and item["decided_at"] is None
    assert item["subject"] == {"type": "invoice", "id": "INV-7"}
    assert item["rule"] == "invoice.disputed" and item["model_version"] == "invoices/2"
    assert set(item) == {
        "id", "kind", "route", "severity", "status", "title", "rule", "subject", "finding",
        "model_version", "created_at", "decided_at", "decision", "version",
    }  # fmt: skip
    got = client.get(f"/v1/reviews/{item['id']}", headers=auth(keys["finance"]))
    assert got.status_code == 200 and got.json() == item
    assert got.headers["etag"] == '"1"'


def test_create_writes_item_event_and_outbox_in_one_go(
    client: TestClient, keys: dict[str, str], session_factory: sessionmaker[Session]
) -> None:
    item = create(client, keys["engine"])
    with session_factory() as db:
        events = list(db.scalars(select(ReviewEventRow).where(ReviewEventRow.review_id == item["id"])))
        outbox = list(db.scalars(select(OutboxEventRow)))
    assert [e.action for e in events] == ["created"]
    assert [(o.event_type, o.payload["id"]) for o in outbox] == [("review.created", item["id"])]


@pytest.mark.parametrize(
    ("decision", "status"),
    [
        ({"outcome": "approved"}, "approved"),
        ({"outcome": "approved", "reason": "checked with the client"}, "approved"),
        ({"outcome": "rejected", "reason": "the line is correct"}, "rejected"),
        ({"outcome": "overridden", "reason": "rate was wrong", "corrections": {"rate": 150}}, "overridden"),
    ],
)
def test_decide_each_outcome(
    client: TestClient, keys: dict[str, str], decision: dict[str, Any], status: str
) -> None:
    item = create(client, keys["engine"])
    response = client.post(f"/v1/reviews/{item['id']}/decision", json=decision, headers=auth(keys["finance"]))
    assert response.status_code == 200, response.text
    decided = response.json()
    assert decided["status"] == status and decided["version"] == 2
    assert decided["decided_at"] is not None
    assert decided["decision"]["outcome"] == decision["outcome"]
    assert decided["decision"]["reason"] == decision.get("reason")
    assert decided["decision"]["corrections"] == decision.get("corrections")
    events = client.get(f"/v1/reviews/{item['id']}/events", headers=auth(keys["engine"])).json()
    assert [e["action"] for e in events] == ["created", "decided"]
    assert events[1]["data"]["outcome"] == decision["outcome"]
    assert events[1]["actor"] != events[0]["actor"]  # the reviewer's key, not the engine's


def test_second_decision_is_409_and_changes_nothing(
    client: TestClient, keys: dict[str, str], session_factory: sessionmaker[Session]
) -> None:
    item = create(client, keys["engine"])
    url = f"/v1/reviews/{item['id']}/decision"
    first = client.post(url, json={"outcome": "approved"}, headers=auth(keys["finance"])).json()
    before = counts(session_factory)
    second = client.post(url, json={"outcome": "rejected", "reason": "no"}, headers=auth(keys["admin"]))
    assert second.status_code == 409
    assert second.headers["content-type"] == "application/problem+json"
    assert second.json()["type"] == PROBLEM + "review-already-decided"
    assert counts(session_factory) == before
    assert client.get(f"/v1/reviews/{item['id']}", headers=auth(keys["admin"])).json() == first


@SQLITE_ONLY
@pytest.mark.parametrize(
    ("decision", "field"),
    [
        ({"outcome": "rejected"}, "reason"),
        ({"outcome": "rejected", "reason": "   "}, "reason"),
        ({"outcome": "overridden", "corrections": {"rate": 1}}, "reason"),
        ({"outcome": "overridden", "reason": "x"}, "corrections"),
        ({"outcome": "approved", "corrections": {"rate": 1}}, "corrections"),
        ({"outcome": "rejected", "reason": "x", "corrections": {"rate": 1}}, "corrections"),
        ({"outcome": "maybe"}, "outcome"),
        ({}, "outcome"),
        ({"outcome": "approved", "extra": 1}, "extra"),
    ],
)
def test_invalid_decision_is_422_naming_the_field(
    client: TestClient,
    keys: dict[str, str],
    session_factory: sessionmaker[Session],
    decision: dict[str, Any],
    field: str,
) -> None:
    item = create(client, keys["engine"])
    before = counts(session_factory)
    response = client.post(f"/v1/reviews/{item['id']}/decision", json=decision, headers=auth(keys["finance"]))
    assert response.status_code == 422
    problem = response.json()
    assert problem["type"] == PROBLEM + "validation-error"
    assert any(error["loc"][-1] == field for error in problem["errors"]), problem
    assert counts(session_factory) == before
    assert (
        client.get(f"/v1/reviews/{item['id']}", headers=auth(keys["finance"])).json()["status"] == "pending"
    )


def test_if_match_stale_is_412_and_current_version_decides(client: TestClient, keys: dict[str, str]) -> None:
    item = create(client, keys["engine"])
    url = f"/v1/reviews/{item['id']}/decision"
    stale = client.post(
        url, json={"outcome": "approved"}, headers=auth(keys["finance"], **{"If-Match": '"7"'})
    )
    assert stale.status_code == 412
    assert stale.json()["type"] == PROBLEM + "precondition-failed"
    assert stale.json()["current_version"] == 1
    ok = client.post(url, json={"outcome": "approved"}, headers=auth(keys["finance"], **{"If-Match": "1"}))
    assert ok.status_code == 200 and ok.json()["version"] == 2


@SQLITE_ONLY
def test_if_match_that_is_not_a_version_is_400(client: TestClient, keys: dict[str, str]) -> None:
    item = create(client, keys["engine"])
    response = client.post(
        f"/v1/reviews/{item['id']}/decision",
        json={"outcome": "approved"},
        headers=auth(keys["finance"], **{"If-Match": "abc"}),
    )
    assert response.status_code == 400
    assert response.json()["type"] == PROBLEM + "invalid-if-match"


def test_reviewer_sees_only_its_route(client: TestClient, keys: dict[str, str]) -> None:
    finance_item = create(client, keys["engine"], route="finance")
    legal_item = create(client, keys["engine"], route="legal")
    hidden = client.get(f"/v1/reviews/{finance_item['id']}", headers=auth(keys["legal"]))
    assert hidden.status_code == 404
    assert hidden.json()["type"] == PROBLEM + "review-not-found"
    missing = client.get("/v1/reviews/rev_00000000000000000000000000", headers=auth(keys["legal"]))
    assert missing.json()["detail"].replace("rev_00000000000000000000000000", "X") == hidden.json()[
        "detail"
    ].replace(finance_item["id"], "X")  # an item outside the route looks exactly like a missing one
    decide = client.post(
        f"/v1/reviews/{finance_item['id']}/decision",
        json={"outcome": "approved"},
        headers=auth(keys["legal"]),
    )
    assert decide.status_code == 404
    events = client.get(f"/v1/reviews/{finance_item['id']}/events", headers=auth(keys["legal"]))
    assert events.status_code == 404
    listed = client.get("/v1/reviews", headers=auth(keys["legal"])).json()["items"]
    assert [i["id"] for i in listed] == [legal_item["id"]]
    asked_for_other = client.get("/v1/reviews?route=finance", headers=auth(keys["legal"])).json()["items"]
    assert asked_for_other == []
    everything = client.get("/v1/reviews", headers=auth(keys["admin"])).json()["items"]
    assert {i["id"] for i in everything} == {finance_item["id"], legal_item["id"]}


def test_engine_sees_only_what_it_submitted(
    client: TestClient, keys: dict[str, str], make_api_key: Any
) -> None:
    other_engine = make_api_key("engine", name="other engine")
    mine = create(client, keys["engine"])
    theirs = create(client, other_engine)
    assert client.get(f"/v1/reviews/{theirs['id']}", headers=auth(keys["engine"])).status_code == 404
    listed = client.get("/v1/reviews", headers=auth(keys["engine"])).json()["items"]
    assert [i["id"] for i in listed] == [mine["id"]]


@SQLITE_ONLY
@pytest.mark.parametrize(
    ("role", "method", "path", "body"),
    [
        ("legal", "POST", "/v1/reviews", review_body()),
        ("analyst", "POST", "/v1/reviews", review_body()),
        ("analyst", "GET", "/v1/reviews", None),
        ("engine", "POST", "/v1/reviews/{id}/decision", {"outcome": "approved"}),
        ("analyst", "POST", "/v1/reviews/{id}/decision", {"outcome": "approved"}),
        ("legal", "GET", "/v1/insights/reviews", None),
        ("engine", "GET", "/v1/insights/reviews", None),
    ],
)
def test_role_without_permission_is_403(
    client: TestClient,
    keys: dict[str, str],
    session_factory: sessionmaker[Session],
    role: str,
    method: str,
    path: str,
    body: dict[str, Any] | None,
) -> None:
    item = create(client, keys["engine"])
    before = counts(session_factory)
    response = client.request(method, path.format(id=item["id"]), json=body, headers=auth(keys[role]))
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == PROBLEM + "forbidden"
    assert counts(session_factory) == before


@SQLITE_ONLY
@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {"Authorization": "Bearer hk_notakey"},
        {"Authorization": "Bearer hk_0123456789abcdefghijklmnopqrstuvwxyz0123456789"},
    ],
)
def test_missing_or_bad_key_is_401(client: TestClient, headers: dict[str, str]) -> None:
    response = client.get("/v1/reviews", headers=headers)
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert response.json()["type"] in (PROBLEM + "unauthorized", PROBLEM + "invalid-api-key")


def test_wrong_secret_with_a_known_prefix_is_401(client: TestClient, keys: dict[str, str]) -> None:
    tampered = keys["admin"][:-4] + ("AAAA" if not keys["admin"].endswith("AAAA") else "BBBB")
    response = client.get("/v1/reviews", headers=auth(tampered))
    assert response.status_code == 401
    assert response.json()["type"] == PROBLEM + "invalid-api-key"


def test_revoked_key_is_401(
    client: TestClient, make_api_key: Any, session_factory: sessionmaker[Session]
) -> None:
    key = make_api_key("finance")
    assert client.get("/v1/reviews", headers=auth(key)).status_code == 200
    with session_factory() as db:
        key_id = db.scalars(select(ApiKey.id).where(ApiKey.name == "test-finance")).one()
        revoke_api_key(db, key_id)
        db.commit()
    response = client.get("/v1/reviews", headers=auth(key))
    assert response.status_code == 401
    assert response.json()["type"] == PROBLEM + "invalid-api-key"


def test_keys_are_hashed_at_rest(keys: dict[str, str], session_factory: sessionmaker[Session]) -> None:
    with session_factory() as db:
        stored = db.scalars(select(ApiKey)).all()
    for row in stored:
        assert all(key not in (row.key_hash, row.prefix, row.name) for key in keys.values())
        assert len(row.key_hash) == 64


def test_list_is_newest_first_and_cursor_pages_are_stable_under_inserts(
    client: TestClient, keys: dict[str, str]
) -> None:
    created = [create(client, keys["engine"], title=f"item {n}")["id"] for n in range(7)]
    newest_first = list(reversed(created))
    page = client.get("/v1/reviews?limit=3", headers=auth(keys["admin"])).json()
    assert [i["id"] for i in page["items"]] == newest_first[:3]
    # Items created between pages appear at the top, never inside later pages.
    create(client, keys["engine"], title="late arrival")
    seen = [i["id"] for i in page["items"]]
    while page["next_cursor"]:
        page = client.get(
            f"/v1/reviews?limit=3&cursor={page['next_cursor']}", headers=auth(keys["admin"])
        ).json()
        seen.extend(i["id"] for i in page["items"])
    assert seen == newest_first


def test_list_filters(client: TestClient, keys: dict[str, str]) -> None:
    a = create(client, keys["engine"], route="legal", kind="clause", rule="auto_renewal.present")
    b = create(client, keys["engine"], route="legal", kind="clause", rule="liability.uncapped")
    c = create(client, keys["engine"], route="finance", subject={"type": "invoice", "id": "INV-9"})
    client.post(f"/v1/reviews/{b['id']}/decision", json={"outcome": "approved"}, headers=auth(keys["legal"]))

    def ids(query: str) -> set[str]:
        response = client.get(f"/v1/reviews?{query}", headers=auth(keys["admin"]))
        assert response.status_code == 200, response.text
        return {i["id"] for i in response.json()["items"]}

    assert ids("route=legal") == {a["id"], b["id"]}
    assert ids("status=pending") == {a["id"], c["id"]}
    assert ids("route=legal&status=approved") == {b["id"]}
    assert ids("kind=clause") == {a["id"], b["id"]}
    assert ids("rule=auto_renewal.present") == {a["id"]}
    assert ids("subject_id=INV-9") == {c["id"]}


@SQLITE_ONLY
@pytest.mark.parametrize(
    "query", ["route=marketing", "status=done", "limit=0", "limit=1000", "limit=x", "cursor=bm90LWEtY3Vyc29y"]
)
def test_bad_list_query_is_a_problem(client: TestClient, keys: dict[str, str], query: str) -> None:
    response = client.get(f"/v1/reviews?{query}", headers=auth(keys["admin"]))
    assert response.status_code in (400, 422)
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] in (PROBLEM + "validation-error", PROBLEM + "invalid-cursor")


@SQLITE_ONLY
@pytest.mark.parametrize(
    "body",
    [
        review_body(route="marketing"),
        review_body(severity="urgent"),
        review_body(title=""),
        review_body(subject={"type": "invoice"}),
        review_body(finding="not an object"),
        review_body(unexpected=True),
        {k: v for k, v in review_body().items() if k != "kind"},
    ],
)
def test_invalid_create_is_422_and_stores_nothing(
    client: TestClient, keys: dict[str, str], session_factory: sessionmaker[Session], body: dict[str, Any]
) -> None:
    response = client.post("/v1/reviews", json=body, headers=auth(keys["engine"]))
    assert response.status_code == 422
    assert response.json()["errors"]
    assert counts(session_factory) == (0, 0, 0)


def test_concurrent_deciders_exactly_one_wins(
    client: TestClient, keys: dict[str, str], make_api_key: Any, session_factory: sessionmaker[Session]
) -> None:
    item = create(client, keys["engine"])
    deciders = [make_api_key("finance", name=f"finance {n}") for n in range(6)]
    barrier = threading.Barrier(len(deciders))
    statuses: list[int] = []

    def decide(key: str) -> None:
        barrier.wait()
        response = client.post(
            f"/v1/reviews/{item['id']}/decision",
            json={"outcome": "rejected", "reason": "no"},
            headers=auth(key),
        )
        statuses.append(response.status_code)

    threads = [threading.Thread(target=decide, args=(key,)) for key in deciders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200] + [409] * (len(deciders) - 1)
    with session_factory() as db:
        decided_events = db.scalar(
            select(func.count()).select_from(ReviewEventRow).where(ReviewEventRow.action == "decided")
        )
        decided_outbox = db.scalar(
            select(func.count())
            .select_from(OutboxEventRow)
            .where(OutboxEventRow.event_type == "review.decided")
        )
    assert decided_events == 1 and decided_outbox == 1
