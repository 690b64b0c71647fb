"""The webhook dispatcher against a real database, with an injected clock and httpx MockTransport."""

from __future__ import annotations

import json
import random
import threading
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from service.db.models import WebhookDeliveryAttemptRow, WebhookDeliveryRow, WebhookRow
from service.ids import new_id
from service.settings import Settings
from service.webhooks.dispatcher import WebhookDispatcher
from service.webhooks.outbox import enqueue_event
from service.webhooks.signing import generate_secret, verify

Handler = Callable[[httpx.Request], httpx.Response]


class FakeClock:
    """A UTC clock that moves only when told to."""

    def __init__(self) -> None:
        # Starts at the real time: the outbox stamps new deliveries due "now" with the real clock.
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


class Subscriber:
    """A MockTransport handler that answers with a scripted status (or raises) and keeps what arrived."""

    def __init__(self) -> None:
        self.received: list[httpx.Request] = []
        self.answers: list[int | type[Exception]] = []
        self.default: int | type[Exception] = 204
        self._lock = threading.Lock()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        with self._lock:
            answer = self.answers.pop(0) if self.answers else self.default
            if isinstance(answer, int):
                self.received.append(request)
        if isinstance(answer, type):
            raise answer("subscriber unreachable", request=request)  # type: ignore[call-arg]
        return httpx.Response(answer)

    def ids(self) -> Counter[str]:
        return Counter(r.headers["webhook-id"] for r in self.received)


# session_factory (a migrated SQLite database, and PostgreSQL when configured) comes from tests/conftest.py;
# settings is overridden here with a backoff the fake clock can step through.


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        home=tmp_path,
        webhook_max_attempts=4,
        webhook_backoff_base_seconds=2.0,
        webhook_backoff_max_seconds=30.0,
        webhook_timeout_seconds=2.0,
        webhook_poll_seconds=0.05,
    )


def add_webhook(
    factory: sessionmaker[Session], *, events: tuple[str, ...] = ("review.created", "review.decided")
) -> WebhookRow:
    webhook_id = new_id("whk")
    with factory() as db:
        row = WebhookRow(
            id=webhook_id,
            owner_key_id="key_test",
            url=f"http://subscriber.test/hook/{webhook_id}",
            events=list(events),
            secret=generate_secret(),
        )
        db.add(row)
        db.commit()
        return row


def emit(factory: sessionmaker[Session], event_type: str, review_id: str) -> str:
    with factory() as db:
        event = enqueue_event(db, event_type=event_type, data={"id": review_id, "status": "pending"})
        db.commit()
        return event.id


def make_dispatcher(
    settings: Settings,
    factory: sessionmaker[Session],
    subscriber: Subscriber,
    clock: FakeClock,
    **kwargs: Any,
) -> WebhookDispatcher:
    return WebhookDispatcher(
        settings,
        factory,
        transport=httpx.MockTransport(subscriber),
        clock=clock,
        rng=random.Random(3),
        **kwargs,
    )


def deliveries(factory: sessionmaker[Session]) -> list[WebhookDeliveryRow]:
    with factory() as db:
        return list(db.scalars(select(WebhookDeliveryRow).order_by(WebhookDeliveryRow.id)))


def attempt_count(factory: sessionmaker[Session]) -> int:
    with factory() as db:
        return int(db.scalar(select(func.count()).select_from(WebhookDeliveryAttemptRow)) or 0)


@pytest.mark.parametrize("event_type", ["review.created", "review.decided"])
def test_dispatcher_delivers_a_signed_verifiable_event(
    session_factory: sessionmaker[Session], settings: Settings, event_type: str
) -> None:
    hook = add_webhook(session_factory)
    event_id = emit(session_factory, event_type, "rev_1")
    subscriber, clock = Subscriber(), FakeClock()
    outcomes: list[str] = []
    dispatcher = make_dispatcher(settings, session_factory, subscriber, clock, record_outcome=outcomes.append)

    assert dispatcher.run_once() == 1

    (request,) = subscriber.received
    body = request.content
    assert verify(request.headers, body, secret=hook.secret, now=clock().timestamp()) == event_id
    assert request.headers["content-type"] == "application/json"
    envelope = json.loads(body)
    assert envelope["type"] == event_type
    assert envelope["data"] == {"id": "rev_1", "status": "pending"}
    assert datetime.fromisoformat(envelope["timestamp"]).tzinfo is not None
    (row,) = deliveries(session_factory)
    assert (row.status, row.attempts, row.last_status_code, row.locked_until) == ("delivered", 1, 204, None)
    assert outcomes == ["delivered"]
    assert dispatcher.run_once() == 0


def test_dispatcher_skips_webhooks_not_subscribed_to_the_event(
    session_factory: sessionmaker[Session], settings: Settings
) -> None:
    add_webhook(session_factory, events=("review.decided",))
    emit(session_factory, "review.created", "rev_1")
    subscriber = Subscriber()
    assert make_dispatcher(settings, session_factory, subscriber, FakeClock()).run_once() == 0
    assert subscriber.received == []


def test_dispatcher_retries_with_backoff_then_succeeds(
    session_factory: sessionmaker[Session], settings: Settings
) -> None:
    hook = add_webhook(session_factory)
    emit(session_factory, "review.created", "rev_1")
    subscriber, clock = Subscriber(), FakeClock()
    subscriber.answers = [500, 503]
    outcomes: list[str] = []
    dispatcher = make_dispatcher(settings, session_factory, subscriber, clock, record_outcome=outcomes.append)

    for failures in (1, 2):
        started = clock()
        assert dispatcher.run_once() == 1
        (row,) = deliveries(session_factory)
        assert (row.status, row.attempts) == ("pending", failures)
        cap = settings.webhook_backoff_base_seconds * 2 ** (failures - 1)
        assert started <= row.next_attempt_at <= started + timedelta(seconds=cap)
        # Not due before its time: nothing is claimed until the clock reaches next_attempt_at.
        if row.next_attempt_at > clock():
            assert dispatcher.run_once() == 0
        clock.advance(cap)

    assert dispatcher.run_once() == 1
    (row,) = deliveries(session_factory)
    assert (row.status, row.attempts, row.last_error) == ("delivered", 3, None)
    assert outcomes == ["retry", "retry", "delivered"]
    assert [r.headers["webhook-id"] for r in subscriber.received] == [row.event_id] * 3
    # Every retry is signed afresh and still verifies with the same secret.
    for request in subscriber.received:
        verify(request.headers, request.content, secret=hook.secret, now=clock().timestamp())
    assert attempt_count(session_factory) == 3


@pytest.mark.parametrize("failure", [500, httpx.ConnectError, httpx.ReadTimeout])
def test_dispatcher_marks_dead_after_the_last_attempt(
    session_factory: sessionmaker[Session], settings: Settings, failure: int | type[Exception]
) -> None:
    add_webhook(session_factory)
    emit(session_factory, "review.decided", "rev_1")
    subscriber, clock = Subscriber(), FakeClock()
    subscriber.default = failure
    outcomes: list[str] = []
    dispatcher = make_dispatcher(settings, session_factory, subscriber, clock, record_outcome=outcomes.append)

    for _ in range(settings.webhook_max_attempts):
        assert dispatcher.run_once() == 1
        clock.advance(settings.webhook_backoff_max_seconds)
    clock.advance(3600)
    assert dispatcher.run_once() == 0

    (row,) = deliveries(session_factory)
    assert (row.status, row.attempts) == ("dead", settings.webhook_max_attempts)
    assert outcomes == ["retry"] * (settings.webhook_max_attempts - 1) + ["dead"]
    with session_factory() as db:
        attempts = list(db.scalars(select(WebhookDeliveryAttemptRow)))
    assert len(attempts) == settings.webhook_max_attempts
    if isinstance(failure, int):
        assert {a.status_code for a in attempts} == {500}
        assert all("500" in (a.error or "") for a in attempts)
    else:
        assert {a.status_code for a in attempts} == {None}
        assert all(a.error for a in attempts)


def test_subscriber_down_for_a_while_then_back_receives_every_event(
    session_factory: sessionmaker[Session], settings: Settings
) -> None:
    add_webhook(session_factory)
    event_ids = {emit(session_factory, "review.created", f"rev_{i}") for i in range(6)}
    subscriber, clock = Subscriber(), FakeClock()
    subscriber.default = httpx.ConnectError
    dispatcher = make_dispatcher(settings, session_factory, subscriber, clock)

    # Down for two rounds of retries, then back.
    for _ in range(2):
        dispatcher.run_once()
        clock.advance(settings.webhook_backoff_max_seconds)
    assert subscriber.received == []
    subscriber.default = 200
    while dispatcher.run_once():
        pass

    assert set(subscriber.ids()) == event_ids
    assert {row.status for row in deliveries(session_factory)} == {"delivered"}


def test_expired_lease_is_reclaimed_and_the_stale_holder_cannot_overwrite(
    session_factory: sessionmaker[Session], settings: Settings
) -> None:
    add_webhook(session_factory)
    emit(session_factory, "review.created", "rev_1")
    subscriber, clock = Subscriber(), FakeClock()
    crashed = make_dispatcher(settings, session_factory, subscriber, clock, lease_seconds=60)
    survivor = make_dispatcher(settings, session_factory, subscriber, clock, lease_seconds=60)

    (held,) = crashed.claim_due(limit=10)  # claimed, then its process "dies" before sending
    assert deliveries(session_factory)[0].status == "delivering"
    assert survivor.run_once() == 0
    clock.advance(61)
    assert survivor.run_once() == 1

    (row,) = deliveries(session_factory)
    assert (row.status, row.attempts) == ("delivered", 1)
    late = crashed.send(held)
    assert crashed.record(held, late) == "stale"
    (row,) = deliveries(session_factory)
    assert (row.status, row.attempts) == ("delivered", 1)


def test_deleted_webhook_abandons_deliveries_already_claimed(
    session_factory: sessionmaker[Session], settings: Settings
) -> None:
    hook = add_webhook(session_factory)
    emit(session_factory, "review.created", "rev_1")
    with session_factory() as db:
        row = db.get(WebhookRow, hook.id)
        assert row is not None
        row.deleted_at = datetime.now(UTC)
        db.commit()
    subscriber = Subscriber()
    assert make_dispatcher(settings, session_factory, subscriber, FakeClock()).run_once() == 1
    assert subscriber.received == []
    (delivery,) = deliveries(session_factory)
    assert delivery.status == "dead"
    assert "deleted" in (delivery.last_error or "")


def test_two_dispatchers_on_one_database_never_deliver_twice(
    session_factory: sessionmaker[Session], settings: Settings
) -> None:
    add_webhook(session_factory)
    add_webhook(session_factory, events=("review.created",))
    event_ids = [emit(session_factory, "review.created", f"rev_{i}") for i in range(25)]
    subscriber = Subscriber()
    transport = httpx.MockTransport(subscriber)
    first = WebhookDispatcher(settings, session_factory, transport=transport, batch_size=3)
    second = WebhookDispatcher(settings, session_factory, transport=transport, batch_size=3)
    claimed: list[int] = []

    def drain(dispatcher: WebhookDispatcher) -> None:
        while count := dispatcher.run_once():
            claimed.append(count)

    threads = [threading.Thread(target=drain, args=(d,)) for d in (first, second, first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # Two webhooks subscribe to review.created: every event twice, each (webhook, event) once.
    by_pair = Counter((r.url.path, r.headers["webhook-id"]) for r in subscriber.received)
    assert sum(claimed) == 50 == len(subscriber.received)
    assert set(subscriber.ids()) == set(event_ids)
    assert set(subscriber.ids().values()) == {2}
    assert set(by_pair.values()) == {1}
    assert {row.attempts for row in deliveries(session_factory)} == {1}
    assert attempt_count(session_factory) == 50


def test_started_dispatcher_delivers_in_the_background_and_stops(
    session_factory: sessionmaker[Session], settings: Settings
) -> None:
    add_webhook(session_factory)
    subscriber = Subscriber()
    arrived = threading.Event()

    def handler(request: httpx.Request) -> httpx.Response:
        response = subscriber(request)
        arrived.set()
        return response

    dispatcher = WebhookDispatcher(settings, session_factory, transport=httpx.MockTransport(handler))
    dispatcher.start()
    try:
        event_id = emit(session_factory, "review.created", "rev_1")
        assert arrived.wait(30)
    finally:
        dispatcher.stop(timeout=10)
    assert not dispatcher.running
    assert list(subscriber.ids()) == [event_id]
