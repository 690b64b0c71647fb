"""Waiting on people: a user task is done when every review item it names is decided."""

from __future__ import annotations

from typing import Any

from service.client import HandoffClient
from service.workflows.runner import Waiter


def await_review_decisions(client: HandoffClient, *, ids_key: str, decisions_key: str) -> Waiter:
    """A waiter for the review items listed in ``data[ids_key]``.

    It answers ``None`` while any of them is pending, and then
    ``{decisions_key: {review_id: decision summary}}``.
    """

    def waiter(data: dict[str, Any]) -> dict[str, Any] | None:
        decisions: dict[str, Any] = {}
        for review_id in data.get(ids_key, []):
            item = client.get_review(review_id)
            if item["status"] == "pending":
                return None
            decision = item.get("decision") or {}
            decisions[review_id] = {
                "status": item["status"],
                "kind": item.get("kind"),
                "rule": item.get("rule"),
                "subject_id": (item.get("subject") or {}).get("id"),
                "reason": decision.get("reason"),
                "corrections": decision.get("corrections"),
                "decided_by": decision.get("decided_by") or item.get("decided_by"),
                "decided_at": item.get("decided_at"),
                "created_at": item.get("created_at"),
            }
        return {decisions_key: decisions}

    return waiter
