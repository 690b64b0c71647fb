"""More requests in flight than the database pool has connections: every one is answered.

The service once deadlocked here (commit 5914d47): a request's API-key lookup took a pooled
connection in one threadpool thread and kept it while the request waited for another thread, and
the session close that gave connections back queued behind the threadpool too. With more requests
in flight than connections, every thread waited for a connection and every connection for a thread,
until the pool's timeout failed them all. Only the load benchmark showed it; this holds it with a
two-connection pool, a pool timeout short enough that a stall fails the test instead of hanging it,
and a burst of concurrent requests through the reads (the listing, one item) and the dependency
path (an item's events, a creating POST).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from service.db.session import make_engine, make_session_factory

POOL_SIZE = 2
IN_FLIGHT = 48  # more than the pool's connections and than the threadpool's 40 threads


@pytest.fixture
def small_pool_client(app: FastAPI, migrated_database_url: str) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as client:
        engine = make_engine(migrated_database_url, pool_size=POOL_SIZE, max_overflow=0, pool_timeout=5)
        app.state.session_factory = make_session_factory(engine)
        # Every key below is new to the app, so each first request looks its key up in the database.
        app.state.verified_keys.ttl_seconds = 0
        try:
            yield client
        finally:
            engine.dispose()


def test_a_burst_larger_than_the_pool_is_answered(small_pool_client: TestClient, make_api_key: Any) -> None:
    client = small_pool_client
    engine_key, admin_key = make_api_key("engine"), make_api_key("admin")
    created = client.post(
        "/v1/reviews",
        json={
            "kind": "manual",
            "route": "finance",
            "severity": "low",
            "title": "t",
            "subject": {"type": "invoice", "id": "INV-1"},
        },
        headers={"Authorization": f"Bearer {engine_key}"},
    )
    assert created.status_code == 201, created.text
    item_id = created.json()["id"]
    paths = ["/v1/reviews?limit=20", f"/v1/reviews/{item_id}", f"/v1/reviews/{item_id}/events"]
    barrier = threading.Barrier(IN_FLIGHT)
    statuses: list[tuple[str, int]] = []

    def call(n: int) -> None:
        path = paths[n % len(paths)]
        barrier.wait()
        response = client.get(path, headers={"Authorization": f"Bearer {admin_key}"})
        statuses.append((path, response.status_code))

    threads = [threading.Thread(target=call, args=(n,)) for n in range(IN_FLIGHT)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    failed = [(path, status) for path, status in statuses if status != 200]
    assert len(statuses) == IN_FLIGHT and failed == []
