"""The webhooks API: register, list and delete subscriptions; read each delivery and its attempts."""

from __future__ import annotations

from collections import defaultdict
from typing import Annotated

from fastapi import APIRouter, Query, Response
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from service.auth import Principal, Role
from service.db.models import (
    OutboxEventRow,
    WebhookDeliveryAttemptRow,
    WebhookDeliveryRow,
    WebhookRow,
    utcnow,
)
from service.deps import AppSettings, DbSession, require_roles
from service.idempotency import Idempotency
from service.ids import new_id
from service.json_body import StrictJSONRoute
from service.problems import ProblemError
from service.webhooks.schemas import (
    DeliveryAttemptResponse,
    DeliveryListResponse,
    DeliveryResponse,
    DeliveryStatus,
    WebhookCreatedResponse,
    WebhookCreateRequest,
    WebhookListResponse,
    WebhookResponse,
)
from service.webhooks.signing import generate_secret
from service.webhooks.urls import check_webhook_url, without_credentials

router = APIRouter(prefix="/v1/webhooks", tags=["webhooks"], route_class=StrictJSONRoute)

EngineOrAdmin = Annotated[Principal, require_roles(Role.engine, Role.admin)]


def _as_response(row: WebhookRow) -> WebhookResponse:
    return WebhookResponse(
        id=row.id, url=without_credentials(row.url), events=list(row.events or []), created_at=row.created_at
    )


def _delivery_response(
    row: WebhookDeliveryRow, event_type: str, attempts: list[DeliveryAttemptResponse]
) -> DeliveryResponse:
    return DeliveryResponse(
        id=row.id,
        webhook_id=row.webhook_id,
        event_id=row.event_id,
        event_type=event_type,
        status=row.status,
        attempt_count=row.attempts,
        next_attempt_at=row.next_attempt_at if row.status in ("pending", "delivering") else None,
        last_status_code=row.last_status_code,
        last_error=row.last_error,
        created_at=row.created_at,
        delivered_at=row.delivered_at,
        attempts=attempts,
    )


def get_webhook_or_raise(db: Session, *, webhook_id: str, principal: Principal) -> WebhookRow:
    """The caller's live webhook, or a 404 (another key's webhook is not revealed)."""
    row = db.get(WebhookRow, webhook_id)
    visible = row is not None and row.deleted_at is None
    if row is not None and principal.role != Role.admin and row.owner_key_id != principal.key_id:
        visible = False
    if not visible or row is None:
        raise ProblemError(404, "webhook-not-found", "Webhook not found", f"No webhook {webhook_id!r}.")
    return row


def create_webhook(
    db: Session, *, request: WebhookCreateRequest, principal: Principal
) -> WebhookCreatedResponse:
    """Store a subscription with a new signing secret; the caller commits.

    Parameters
    ----------
    db
        The request's session.
    request
        The URL and event types.
    principal
        The owner: only this key (and admins) see and delete it.

    Returns
    -------
    WebhookCreatedResponse
        The subscription with its secret, which is not shown again.
    """
    row = WebhookRow(
        id=new_id("whk"),
        owner_key_id=principal.key_id,
        url=str(request.url),
        events=list(request.events),
        secret=generate_secret(),
        created_at=utcnow(),
    )
    db.add(row)
    db.flush()
    return WebhookCreatedResponse(**_as_response(row).model_dump(), secret=row.secret)


@router.post("", status_code=201, response_model=WebhookCreatedResponse)
def register_webhook(
    body: WebhookCreateRequest,
    db: DbSession,
    principal: EngineOrAdmin,
    idem: Idempotency,
    settings: AppSettings,
) -> Response:
    """Subscribe a URL to review events; the response shows the signing secret once.

    A retry with the same Idempotency-Key answers the first response again (secret included, to the
    same API key only) and registers nothing new.
    """
    check_webhook_url(str(body.url), allow_private=settings.webhook_allow_private)
    return idem.run(
        db,
        request_body=body,
        status_code=201,
        create=lambda: create_webhook(db, request=body, principal=principal),
    )


@router.get("", response_model=WebhookListResponse)
def list_webhooks(db: DbSession, principal: EngineOrAdmin) -> WebhookListResponse:
    """The caller's webhooks (every webhook for an admin), newest first; secrets are not shown."""
    query = select(WebhookRow).where(WebhookRow.deleted_at.is_(None)).order_by(WebhookRow.id.desc())
    if principal.role != Role.admin:
        query = query.where(WebhookRow.owner_key_id == principal.key_id)
    return WebhookListResponse(items=[_as_response(row) for row in db.scalars(query)])


@router.delete("/{webhook_id}", status_code=204, response_class=Response)
def delete_webhook(webhook_id: str, db: DbSession, principal: EngineOrAdmin) -> Response:
    """Stop delivering to this webhook; deliveries not yet made are abandoned, past ones stay visible."""
    row = get_webhook_or_raise(db, webhook_id=webhook_id, principal=principal)
    now = utcnow()
    row.deleted_at = now
    # Only rows nobody holds: a delivery claimed right now finishes its attempt and stays recorded.
    db.execute(
        update(WebhookDeliveryRow)
        .where(WebhookDeliveryRow.webhook_id == row.id, WebhookDeliveryRow.status == "pending")
        .values(status="dead", last_error="the webhook was deleted")
        .execution_options(synchronize_session=False)
    )
    db.commit()
    return Response(status_code=204)


@router.get("/{webhook_id}/deliveries", response_model=DeliveryListResponse)
def list_deliveries(
    webhook_id: str,
    db: DbSession,
    principal: EngineOrAdmin,
    status: Annotated[DeliveryStatus | None, Query(description="Only deliveries in this state.")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[
        str | None, Query(max_length=80, description="next_cursor of the previous page.")
    ] = None,
) -> DeliveryListResponse:
    """This webhook's deliveries, newest first, each with every attempt made."""
    hook = get_webhook_or_raise(db, webhook_id=webhook_id, principal=principal)
    query = (
        select(WebhookDeliveryRow, OutboxEventRow.event_type)
        .join(OutboxEventRow, OutboxEventRow.id == WebhookDeliveryRow.event_id)
        .where(WebhookDeliveryRow.webhook_id == hook.id)
        .order_by(WebhookDeliveryRow.id.desc())
        .limit(limit + 1)
    )
    if status is not None:
        query = query.where(WebhookDeliveryRow.status == status)
    if cursor:
        query = query.where(WebhookDeliveryRow.id < cursor)
    rows = db.execute(query).all()
    page, more = rows[:limit], len(rows) > limit
    attempts: dict[str, list[DeliveryAttemptResponse]] = defaultdict(list)
    if page:
        attempt_rows = db.scalars(
            select(WebhookDeliveryAttemptRow)
            .where(WebhookDeliveryAttemptRow.delivery_id.in_([row.id for row, _ in page]))
            .order_by(WebhookDeliveryAttemptRow.at, WebhookDeliveryAttemptRow.id)
        )
        for attempt in attempt_rows:
            attempts[attempt.delivery_id].append(
                DeliveryAttemptResponse(
                    at=attempt.at,
                    status_code=attempt.status_code,
                    error=attempt.error,
                    duration_ms=attempt.duration_ms,
                )
            )
    items = [_delivery_response(row, event_type, attempts.get(row.id, [])) for row, event_type in page]
    return DeliveryListResponse(items=items, next_cursor=page[-1][0].id if more else None)


def redeliver(db: Session, *, webhook_id: str, delivery_id: str, principal: Principal) -> DeliveryResponse:
    """Schedule one more delivery of a finished delivery's event; the caller commits.

    The finished delivery stays as it was (its attempts are the record of what happened); the new
    one is a fresh delivery of the same event, so it carries the same ``webhook-id`` and a
    subscriber that already processed the event can recognise it.
    """
    hook = get_webhook_or_raise(db, webhook_id=webhook_id, principal=principal)
    row = db.get(WebhookDeliveryRow, delivery_id)
    if row is None or row.webhook_id != hook.id:
        raise ProblemError(
            404,
            "delivery-not-found",
            "Delivery not found",
            f"Webhook {webhook_id!r} has no delivery {delivery_id!r}.",
        )
    unfinished = db.scalar(
        select(WebhookDeliveryRow.id).where(
            WebhookDeliveryRow.webhook_id == hook.id,
            WebhookDeliveryRow.event_id == row.event_id,
            WebhookDeliveryRow.status.in_(("pending", "delivering")),
        )
    )
    if unfinished is not None:
        raise ProblemError(
            409,
            "delivery-in-progress",
            "Delivery in progress",
            f"Event {row.event_id!r} is already scheduled for this webhook (delivery {unfinished!r}); "
            "wait for it to finish before asking again.",
        )
    now = utcnow()
    fresh = WebhookDeliveryRow(
        id=new_id("dlv"),
        webhook_id=hook.id,
        event_id=row.event_id,
        status="pending",
        attempts=0,
        next_attempt_at=now,
        created_at=now,
    )
    db.add(fresh)
    db.flush()
    event_type = db.scalar(select(OutboxEventRow.event_type).where(OutboxEventRow.id == row.event_id))
    return _delivery_response(fresh, str(event_type), [])


@router.post(
    "/{webhook_id}/deliveries/{delivery_id}/redeliver", status_code=202, response_model=DeliveryResponse
)
def redeliver_delivery(
    webhook_id: str, delivery_id: str, db: DbSession, principal: EngineOrAdmin, idem: Idempotency
) -> Response:
    """Send a dead (or delivered) delivery's event again, as a new delivery with fresh retries.

    409 ``delivery-in-progress`` while the event is still scheduled for this webhook. A retry with the
    same Idempotency-Key answers the first response again and schedules nothing new.
    """
    return idem.run(
        db,
        request_body={"webhook_id": webhook_id, "delivery_id": delivery_id},
        status_code=202,
        create=lambda: redeliver(db, webhook_id=webhook_id, delivery_id=delivery_id, principal=principal),
    )
