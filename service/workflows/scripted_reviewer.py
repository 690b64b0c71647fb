"""A reviewer who decides as a careful person would, for `handoff demo --auto-approve` and tests.

Legal accepts the clauses with a note; finance negotiates a long payment
term down to the policy's 45 days, takes out time entries that controls
found definitely wrong (duplicates, a rate not on the card, another role) and
accepts the rest; delivery accepts staffing flags with a reason.
"""

from __future__ import annotations

from typing import Any

from service.client import HandoffClient

DEFINITELY_WRONG_CONTROLS = {
    "duplicate",
    "duplicate_entry",
    "near_duplicate",
    "rate_not_on_card",
    "billing_as_other_role",
    "role_mismatch",
}


def decide_pending(reviewers: dict[str, HandoffClient]) -> list[dict[str, Any]]:
    """Decide every pending item in each reviewer's queue; returns what was decided."""
    decided = []
    for route, client in reviewers.items():
        for item in client.iter_reviews(status="pending"):
            outcome, reason, corrections = _decision_for(route, item)
            client.decide_review(
                item["id"],
                outcome=outcome,
                reason=reason,
                corrections=corrections,
                if_match=item.get("version"),
            )
            decided.append(
                {
                    "id": item["id"],
                    "route": route,
                    "title": item["title"],
                    "outcome": outcome,
                    "reason": reason,
                    "corrections": corrections,
                }
            )
    return decided


def _decision_for(route: str, item: dict[str, Any]) -> tuple[Any, str, dict[str, Any] | None]:
    finding = item.get("finding") or {}
    if route == "finance" and item.get("rule") == "payment_terms.long":
        return (
            "overridden",
            "Negotiated down to the 45-day policy in the countersigned amendment",
            {"payment_terms_days": 45},
        )
    if route == "finance":
        controls = {str(c.get("rule")) for c in finding.get("controls") or [] if isinstance(c, dict)}
        if controls & DEFINITELY_WRONG_CONTROLS:
            return "rejected", "Not billable as logged: " + ", ".join(sorted(controls)), None
        return "approved", "Checked against the project plan; billable as logged", None
    if route == "legal":
        return "approved", "Acceptable for this client under the master agreement", None
    return "approved", "Accepted: the delivery lead confirmed the trade-off", None
