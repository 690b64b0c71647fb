"""The persistent outbox: events are written in the same transaction as the change they announce.

:func:`enqueue_event` inserts one ``outbox_events`` row and one pending
``webhook_deliveries`` row per live webhook subscribed to the event type. The
caller commits; if its transaction rolls back, the event was never there. The
dispatcher (``service.webhooks.dispatcher``) delivers pending rows.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.db.models import OutboxEventRow, WebhookDeliveryRow, WebhookRow, utcnow
from service.ids import new_id

EVENT_TYPES: tuple[str, ...] = ("review.created", "review.decided")


def enqueue_event(db: Session, *, event_type: str, data: dict[str, Any]) -> OutboxEventRow:
    """Record ``event_type`` with ``data`` and fan it out to the subscribed webhooks.

    Parameters
    ----------
    db
        The caller's session; nothing is committed here.
    event_type
        One of :data:`EVENT_TYPES`, e.g. ``"review.decided"``.
    data
        The JSON-ready payload (for review events, the review item as the API shows it).

    Returns
    -------
    OutboxEventRow
        The event row, flushed (its id is the ``webhook-id`` of every delivery).
    """
    if event_type not in EVENT_TYPES:
        raise ValueError(f"unknown event type {event_type!r}")
    now = utcnow()
    event = OutboxEventRow(id=new_id("evt"), event_type=event_type, payload=data, created_at=now)
    db.add(event)
    db.flush()  # the deliveries' foreign key needs the event row first
    # Subscriptions are few; filtering their small JSON lists here keeps the query portable.
    webhooks = db.execute(
        select(WebhookRow.id, WebhookRow.events).where(WebhookRow.deleted_at.is_(None))
    ).all()
    for webhook_id, events in webhooks:
        if event_type in (events or []):
            db.add(
                WebhookDeliveryRow(
                    id=new_id("dlv"),
                    webhook_id=webhook_id,
                    event_id=event.id,
                    status="pending",
                    attempts=0,
                    next_attempt_at=now,
                    created_at=now,
                )
            )
    db.flush()
    return event
