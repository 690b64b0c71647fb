"""Delivers outbox events to subscribers: claim, sign, POST, record, retry or give up.

The outbox (``service.webhooks.outbox``) writes one ``pending`` row in
``webhook_deliveries`` per subscribed webhook in the same transaction as the
change it announces. Every process running the service runs one dispatcher,
so claims must be safe across threads, processes and machines:

- a claim is one conditional ``UPDATE … RETURNING`` that moves due rows to
  ``delivering`` with a lease (``locked_until``). On PostgreSQL the candidate
  rows are picked ``FOR UPDATE SKIP LOCKED`` so dispatchers never wait on one
  another; SQLite serialises writers, so the same statement is atomic there;
- the lease value doubles as the claim's token: the result of an attempt is
  written only ``WHERE locked_until = <our lease>``, so a dispatcher that
  stalled past its lease cannot overwrite the state a newer claim wrote;
- a process that dies holding a claim loses nothing: once the lease expires
  the row is due again and another dispatcher (or the restarted process)
  delivers it. Delivery is therefore at least once; receivers de-duplicate on
  ``webhook-id``, which is the outbox event id and stable across retries.

With ``HANDOFF_WEBHOOK_ALLOW_PRIVATE`` false, each attempt first resolves the
webhook's host again and sends to the address it checked
(:func:`~service.webhooks.urls.pin_public_address`); an attempt refused there is
recorded as failed with the reason and retried like any other (the name may be
corrected), without a request being made.

Failed attempts are retried after a full-jitter exponential backoff
(:class:`~service.webhooks.backoff.BackoffPolicy`); after the last allowed
attempt the delivery is ``dead``. Every attempt, successful or not, is a row in
``webhook_delivery_attempts``.
"""

from __future__ import annotations

import json
import logging
import random
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from service.db.models import OutboxEventRow, WebhookDeliveryAttemptRow, WebhookDeliveryRow, WebhookRow
from service.ids import new_id
from service.metrics import WEBHOOK_DELIVERIES
from service.settings import Settings
from service.webhooks.backoff import BackoffPolicy
from service.webhooks.signing import signature_headers
from service.webhooks.urls import Resolver, WebhookAddressError, pin_public_address, resolve_host

logger = logging.getLogger("handoff.webhooks")

Clock = Callable[[], datetime]
# Called with "delivered", "retry" or "dead" after every attempt.
OutcomeRecorder = Callable[[str], None]

USER_AGENT = "handoff-webhooks/1"
# Errors are kept for people to read in the deliveries API, not as a log of the subscriber's body.
MAX_ERROR_CHARS = 500


def utc_clock() -> datetime:
    return datetime.now(UTC)


def count_outcome(outcome: str) -> None:
    """The default outcome recorder: the process's Prometheus counter."""
    WEBHOOK_DELIVERIES.labels(outcome=outcome).inc()


def event_body(*, event_type: str, created_at: datetime, data: Any) -> bytes:
    """The exact bytes POSTed for one outbox event: ``{"type", "timestamp", "data"}``.

    Parameters
    ----------
    event_type
        ``review.created`` or ``review.decided``.
    created_at
        When the event was written to the outbox (the same on every retry).
    data
        The review item as the API shows it.

    Returns
    -------
    bytes
        Compact UTF-8 JSON; the signature covers exactly these bytes.
    """
    timestamp = created_at.astimezone(UTC).isoformat().replace("+00:00", "Z")
    envelope = {"type": event_type, "timestamp": timestamp, "data": data}
    return json.dumps(envelope, separators=(",", ":"), ensure_ascii=False, default=str).encode("utf-8")


@dataclass(frozen=True)
class ClaimedDelivery:
    """A delivery this dispatcher holds the lease on, with what it needs to send it."""

    delivery_id: str
    lease: datetime
    attempts_before: int
    webhook_id: str
    url: str
    secret: str
    webhook_deleted: bool
    event_id: str
    event_type: str
    body: bytes


@dataclass(frozen=True)
class AttemptResult:
    delivery_id: str
    at: datetime
    status_code: int | None
    error: str | None
    duration_ms: float

    @property
    def succeeded(self) -> bool:
        return self.error is None and self.status_code is not None and 200 <= self.status_code < 300


class WebhookDispatcher:
    """Runs in the service process: started in the FastAPI lifespan, stopped on shutdown.

    Parameters
    ----------
    settings
        Timeouts, backoff and polling (``webhook_*``).
    session_factory
        Makes database sessions; each claim and each recorded attempt is its own transaction.
    transport
        The httpx transport to POST through; a ``MockTransport`` in unit tests.
    clock
        Returns the current UTC time; injectable so tests can step through backoff delays.
    rng
        The jitter source of the backoff policy.
    batch_size
        How many deliveries one claim takes, and how many are sent concurrently.
    lease_seconds
        How long a claim is held; a claim older than this is taken over by another
        dispatcher. Defaults to twice the request timeout plus 5 s: long enough to send
        and record one attempt, short enough that a crashed process's claims come
        back soon. Outliving it only risks a duplicate (receivers de-duplicate), never
        a lost event.
    record_outcome
        Called with each attempt's outcome (``delivered``, ``retry``, ``dead``);
        by default it counts them in ``handoff_webhook_deliveries_total``.
    resolve
        Resolves a webhook's host name when internal addresses are refused
        (``webhook_allow_private`` false); the system resolver by default.
    """

    def __init__(
        self,
        settings: Settings,
        session_factory: Callable[[], Session],
        *,
        transport: httpx.BaseTransport | None = None,
        clock: Clock = utc_clock,
        rng: random.Random | None = None,
        batch_size: int = 8,
        lease_seconds: float | None = None,
        record_outcome: OutcomeRecorder | None = None,
        resolve: Resolver = resolve_host,
    ) -> None:
        self.settings = settings
        self.resolve = resolve
        self.session_factory = session_factory
        self.clock = clock
        self.batch_size = batch_size
        self.lease_seconds = (
            lease_seconds if lease_seconds is not None else 2 * settings.webhook_timeout_seconds + 5
        )
        self.policy = BackoffPolicy(
            base_seconds=settings.webhook_backoff_base_seconds,
            max_seconds=settings.webhook_backoff_max_seconds,
            max_attempts=settings.webhook_max_attempts,
            rng=rng or random.Random(),
        )
        self.record_outcome = record_outcome or count_outcome
        self._client = httpx.Client(
            transport=transport,
            timeout=settings.webhook_timeout_seconds,
            follow_redirects=False,
            headers={"User-Agent": USER_AGENT},
        )
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._pool: ThreadPoolExecutor | None = None

    # -- lifecycle -------------------------------------------------------------------------------

    def start(self) -> None:
        """Start polling for due deliveries in a background thread (idempotent)."""
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()
        self._pool = ThreadPoolExecutor(max_workers=self.batch_size, thread_name_prefix="webhook-send")
        self._thread = threading.Thread(target=self._run, name="webhook-dispatcher", daemon=True)
        self._thread.start()

    def stop(self, *, timeout: float | None = None) -> None:
        """Stop polling and wait for in-flight attempts (at most ``timeout`` seconds).

        An attempt still running when the wait ends is not recorded; its lease
        expires and the delivery is retried by whoever runs next.
        """
        self._stop.set()
        wait = timeout if timeout is not None else self.settings.webhook_timeout_seconds + 1
        if self._thread is not None:
            self._thread.join(wait)
            self._thread = None
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
        self._client.close()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                claimed = self.run_once()
            except Exception:
                # A database hiccup must not kill the thread: log, back off one poll, try again.
                logger.exception("webhook dispatcher iteration failed")
                claimed = 0
            if claimed < self.batch_size:
                self._stop.wait(self.settings.webhook_poll_seconds)

    # -- one round -------------------------------------------------------------------------------

    def run_once(self) -> int:
        """Claim due deliveries, send them and record each attempt; return how many were claimed."""
        claimed = self.claim_due(limit=self.batch_size)
        if not claimed:
            return 0
        if self._pool is not None and len(claimed) > 1:
            results = list(self._pool.map(self._send_and_record, claimed))
        else:
            results = [self._send_and_record(c) for c in claimed]
        return len(results)

    def claim_due(self, *, limit: int) -> list[ClaimedDelivery]:
        """Lease up to ``limit`` due deliveries to this dispatcher.

        Due means ``pending`` with ``next_attempt_at`` reached, or ``delivering``
        under a lease that has expired (its dispatcher died or stalled).
        """
        now = self.clock()
        lease = now + timedelta(seconds=self.lease_seconds)
        delivery = WebhookDeliveryRow
        due = or_(
            and_(delivery.status == "pending", delivery.next_attempt_at <= now),
            and_(delivery.status == "delivering", delivery.locked_until < now),
        )
        with self.session_factory() as db:
            # Idle polls stay read-only: on SQLite even an UPDATE that matches nothing takes the
            # database's one write lock, which the API's writers would queue behind every poll.
            if db.execute(select(delivery.id).where(due).limit(1)).first() is None:
                db.rollback()
                return []
            candidates = select(delivery.id).where(due).order_by(delivery.next_attempt_at).limit(limit)
            if db.get_bind().dialect.name == "postgresql":
                candidates = candidates.with_for_update(skip_locked=True)
            # The outer WHERE repeats `due` so the claim stays conditional even where the subquery
            # cannot lock rows (SQLite: the single UPDATE statement holds the write lock).
            claim = (
                update(delivery)
                .where(delivery.id.in_(candidates.scalar_subquery()), due)
                .values(status="delivering", locked_until=lease)
                .returning(delivery.id)
                .execution_options(synchronize_session=False)
            )
            ids = list(db.scalars(claim))
            if not ids:
                db.rollback()
                return []
            rows = db.execute(
                select(delivery, WebhookRow, OutboxEventRow)
                .join(WebhookRow, WebhookRow.id == delivery.webhook_id)
                .join(OutboxEventRow, OutboxEventRow.id == delivery.event_id)
                .where(delivery.id.in_(ids))
                .order_by(delivery.next_attempt_at, delivery.id)
            ).all()
            db.commit()
        return [
            ClaimedDelivery(
                delivery_id=row.id,
                lease=lease,
                attempts_before=row.attempts,
                webhook_id=hook.id,
                url=hook.url,
                secret=hook.secret,
                webhook_deleted=hook.deleted_at is not None,
                event_id=event.id,
                event_type=event.event_type,
                body=event_body(event_type=event.event_type, created_at=event.created_at, data=event.payload),
            )
            for row, hook, event in rows
        ]

    def _send_and_record(self, claimed: ClaimedDelivery) -> AttemptResult | None:
        if claimed.webhook_deleted:
            self._abandon(claimed, "the webhook was deleted")
            return None
        result = self.send(claimed)
        self.record(claimed, result)
        return result

    def send(self, claimed: ClaimedDelivery) -> AttemptResult:
        """POST one signed delivery; never raises for the subscriber's failures."""
        at = self.clock()
        headers = signature_headers(
            secret=claimed.secret, msg_id=claimed.event_id, timestamp=int(at.timestamp()), body=claimed.body
        )
        headers["Content-Type"] = "application/json"
        started = time.perf_counter()
        status_code: int | None = None
        error: str | None = None
        url = claimed.url
        extensions: dict[str, Any] = {}
        if not self.settings.webhook_allow_private:
            try:
                pinned = pin_public_address(claimed.url, resolve=self.resolve)
            except WebhookAddressError as exc:
                return AttemptResult(
                    delivery_id=claimed.delivery_id,
                    at=at,
                    status_code=None,
                    error=str(exc)[:MAX_ERROR_CHARS],
                    duration_ms=round((time.perf_counter() - started) * 1000, 3),
                )
            if pinned is not None:
                url = pinned.url
                headers["Host"] = pinned.host_header
                if pinned.sni_hostname is not None:
                    extensions["sni_hostname"] = pinned.sni_hostname
        try:
            response = self._client.post(url, content=claimed.body, headers=headers, extensions=extensions)
            status_code = response.status_code
            if not 200 <= status_code < 300:
                error = f"HTTP {status_code} {response.reason_phrase}".strip()
        except httpx.TimeoutException:
            error = f"timed out after {self.settings.webhook_timeout_seconds:g} s"
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        duration_ms = (time.perf_counter() - started) * 1000
        return AttemptResult(
            delivery_id=claimed.delivery_id,
            at=at,
            status_code=status_code,
            error=error[:MAX_ERROR_CHARS] if error else None,
            duration_ms=round(duration_ms, 3),
        )

    def record(self, claimed: ClaimedDelivery, result: AttemptResult) -> str:
        """Write the attempt and the delivery's next state; return the outcome.

        The outcome is ``delivered``, ``retry`` or ``dead`` (or ``stale`` when
        the lease was lost meanwhile: the attempt is still recorded, the state is
        left to the newer claim).
        """
        attempts = claimed.attempts_before + 1
        now = self.clock()
        values: dict[str, Any] = {
            "attempts": attempts,
            "locked_until": None,
            "last_status_code": result.status_code,
            "last_error": result.error,
        }
        if result.succeeded:
            outcome = "delivered"
            values.update(status="delivered", delivered_at=now)
        elif self.policy.gives_up_after(attempts):
            outcome = "dead"
            values.update(status="dead")
        else:
            outcome = "retry"
            delay = self.policy.delay_seconds(attempts)
            values.update(status="pending", next_attempt_at=now + timedelta(seconds=delay))
        with self.session_factory() as db:
            db.add(
                WebhookDeliveryAttemptRow(
                    id=new_id("wha"),
                    delivery_id=claimed.delivery_id,
                    at=result.at,
                    status_code=result.status_code,
                    error=result.error,
                    duration_ms=result.duration_ms,
                )
            )
            changed = db.scalars(
                update(WebhookDeliveryRow)
                .where(
                    WebhookDeliveryRow.id == claimed.delivery_id,
                    WebhookDeliveryRow.locked_until == claimed.lease,
                )
                .values(**values)
                .returning(WebhookDeliveryRow.id)
                .execution_options(synchronize_session=False)
            ).all()
            db.commit()
        if not changed:
            logger.warning(
                "webhook delivery %s: lease lost before the attempt was recorded", claimed.delivery_id
            )
            return "stale"
        if outcome != "delivered":
            logger.info(
                "webhook delivery %s attempt %d failed (%s): %s",
                claimed.delivery_id,
                attempts,
                result.error,
                outcome,
            )
        self.record_outcome(outcome)
        return outcome

    def _abandon(self, claimed: ClaimedDelivery, reason: str) -> None:
        with self.session_factory() as db:
            db.execute(
                update(WebhookDeliveryRow)
                .where(
                    WebhookDeliveryRow.id == claimed.delivery_id,
                    WebhookDeliveryRow.locked_until == claimed.lease,
                )
                .values(status="dead", locked_until=None, last_error=reason)
                .execution_options(synchronize_session=False)
            )
            db.commit()
