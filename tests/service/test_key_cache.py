"""Verified API keys are trusted for a few seconds; revocation stays correct.

- A key revoked in this process (``revoke_api_key``) is refused on the very next request.
- A key revoked by another process (the CLI, another worker: here a plain UPDATE on the
  database, which no hook of this process sees) is refused once ``api_key_cache_seconds`` have
  passed since the key was last looked up: the documented worst case (docs/api.md).
- ``api_key_cache_seconds=0`` asks the database on every request.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from service.auth import Principal, VerifiedKeyCache, forget_revoked_key, revoke_api_key
from service.db.models import ApiKey, utcnow

SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
TTL = 5.0


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _principal(key_id: str = "key_1") -> Principal:
    return Principal(key_id=key_id, name="n", role="finance")


def test_an_entry_lives_for_the_ttl_counted_from_the_lookup() -> None:
    clock = FakeClock()
    cache = VerifiedKeyCache(TTL, clock=clock)
    looked_up_at = cache.now()
    clock.now += 1.0  # the lookup itself took a second
    cache.put("hk_secret", _principal(), looked_up_at=looked_up_at)
    assert cache.get("hk_secret") == _principal()
    assert cache.get("hk_other") is None
    clock.now = looked_up_at + TTL - 0.001
    assert cache.get("hk_secret") == _principal()
    clock.now = looked_up_at + TTL
    assert cache.get("hk_secret") is None


def test_forgetting_a_key_drops_it_and_keeps_it_out() -> None:
    cache = VerifiedKeyCache(TTL, clock=FakeClock())
    cache.put("hk_a", _principal("key_forget_me"))
    cache.put("hk_b", _principal("key_keep"))
    forget_revoked_key("key_forget_me")
    assert cache.get("hk_a") is None and cache.get("hk_b") == _principal("key_keep")
    # A lookup that read the row before the revocation committed must not put the key back.
    cache.put("hk_a", _principal("key_forget_me"))
    assert cache.get("hk_a") is None


def test_a_zero_ttl_caches_nothing_and_the_size_is_bounded() -> None:
    off = VerifiedKeyCache(0)
    off.put("hk_a", _principal())
    assert not off.enabled and off.get("hk_a") is None
    small = VerifiedKeyCache(TTL, max_entries=3, clock=FakeClock())
    for n in range(10):
        small.put(f"hk_{n}", _principal(f"key_{n}"))
        assert len(small._entries) <= 3
    assert small.get("hk_9") == _principal("key_9")


def _key_id(session_factory: sessionmaker[Session], name: str) -> str:
    with session_factory() as db:
        return str(db.scalars(select(ApiKey.id).where(ApiKey.name == name)).one())


def _revoke_elsewhere(session_factory: sessionmaker[Session], key_id: str) -> None:
    # What `handoff keys revoke` in another process does to the row, without this process's hook.
    with session_factory() as db:
        db.execute(update(ApiKey).where(ApiKey.id == key_id).values(revoked_at=utcnow()))
        db.commit()


@pytest.fixture
def clocked(app: FastAPI) -> Callable[[float], FakeClock]:
    def install(ttl: float) -> FakeClock:
        clock = FakeClock()
        app.state.verified_keys = VerifiedKeyCache(ttl, clock=clock)
        return clock

    return install


def _status(client: TestClient, key: str) -> int:
    return client.get("/v1/reviews", headers={"Authorization": f"Bearer {key}"}).status_code


def test_revoking_in_this_process_is_immediate(
    client: TestClient,
    clocked: Callable[[float], FakeClock],
    make_api_key: Any,
    session_factory: sessionmaker[Session],
) -> None:
    clocked(300.0)
    key = make_api_key("finance", name="revoked here")
    assert _status(client, key) == 200
    with session_factory() as db:
        revoke_api_key(db, _key_id(session_factory, "revoked here"))
        db.commit()
    assert _status(client, key) == 401


@SQLITE_ONLY
def test_a_revocation_elsewhere_takes_effect_within_the_ttl(
    client: TestClient,
    clocked: Callable[[float], FakeClock],
    make_api_key: Any,
    session_factory: sessionmaker[Session],
) -> None:
    clock = clocked(TTL)
    key = make_api_key("finance", name="revoked elsewhere")
    assert _status(client, key) == 200  # looked up now, trusted until now + TTL
    _revoke_elsewhere(session_factory, _key_id(session_factory, "revoked elsewhere"))
    clock.now += TTL / 2
    assert _status(client, key) == 200  # the documented window: still trusted here
    clock.now += TTL / 2
    assert _status(client, key) == 401  # at most TTL after its lookup, the database says no
    clock.now += 10 * TTL
    assert _status(client, key) == 401  # failures are never cached as successes


@SQLITE_ONLY
def test_without_the_cache_a_revocation_elsewhere_is_immediate(
    client: TestClient,
    clocked: Callable[[float], FakeClock],
    make_api_key: Any,
    session_factory: sessionmaker[Session],
) -> None:
    clocked(0.0)
    key = make_api_key("finance", name="no cache")
    assert _status(client, key) == 200
    _revoke_elsewhere(session_factory, _key_id(session_factory, "no cache"))
    assert _status(client, key) == 401


@SQLITE_ONLY
def test_a_cached_key_still_gets_its_role_checked(
    client: TestClient, clocked: Callable[[float], FakeClock], make_api_key: Any
) -> None:
    clocked(TTL)
    analyst = make_api_key("analyst")
    assert client.get("/v1/models", headers={"Authorization": f"Bearer {analyst}"}).status_code == 200
    assert _status(client, analyst) == 403  # cached by the first call, still not a reader
