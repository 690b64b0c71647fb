"""HTTP bodies of the webhooks API (contracts/api.md, Webhooks)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, field_validator

WebhookEventType = Literal["review.created", "review.decided"]
WEBHOOK_EVENT_TYPES: tuple[str, ...] = get_args(WebhookEventType)

# pending -> delivering (claimed under a lease) -> delivered | pending (retry) | dead
DeliveryStatus = Literal["pending", "delivering", "delivered", "dead"]


class WebhookCreateRequest(BaseModel):
    """A subscription: where to POST and which events."""

    model_config = ConfigDict(extra="forbid")

    url: HttpUrl = Field(description="An http or https URL the service POSTs signed events to.")
    events: list[WebhookEventType] = Field(
        min_length=1, description="The event types to deliver: review.created, review.decided."
    )

    @field_validator("events")
    @classmethod
    def _drop_repeats(cls, events: list[WebhookEventType]) -> list[WebhookEventType]:
        return list(dict.fromkeys(events))


class WebhookResponse(BaseModel):
    id: str
    url: str
    events: list[str]
    created_at: datetime


class WebhookCreatedResponse(WebhookResponse):
    secret: str = Field(
        description="The whsec_ signing secret; shown only in this response, so store it now."
    )


class WebhookListResponse(BaseModel):
    items: list[WebhookResponse]


class DeliveryAttemptResponse(BaseModel):
    at: datetime
    status_code: int | None = Field(description="The subscriber's HTTP status; null when no answer came.")
    error: str | None = Field(description="Why the attempt failed; null when it succeeded.")
    duration_ms: float | None


class DeliveryResponse(BaseModel):
    id: str
    webhook_id: str
    event_id: str = Field(description="The outbox event, sent as webhook-id; the same on every retry.")
    event_type: str
    status: DeliveryStatus
    attempt_count: int
    next_attempt_at: datetime | None = Field(description="When the next attempt is due; null once final.")
    last_status_code: int | None
    last_error: str | None
    created_at: datetime
    delivered_at: datetime | None
    attempts: list[DeliveryAttemptResponse] = Field(description="Every attempt, oldest first.")


class DeliveryListResponse(BaseModel):
    items: list[DeliveryResponse]
    next_cursor: str | None
