"""Process intelligence over the review queue: where handoffs stall and how often people agree.

Per route and rule: pending count, age of the oldest pending item, time to
decision (p50, p95), and the approval rate (approved / decided). Per model
version: the share of its flags that reviewers approved.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import datetime
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.db.models import ReviewItemRow, utcnow
from service.deps import DbSession, require_roles
from service.json_body import StrictJSONRoute


class DurationSummary(BaseModel):
    p50_seconds: float | None
    p95_seconds: float | None


class RouteRuleInsight(BaseModel):
    route: str
    rule: str | None
    pending: int
    oldest_pending_age_seconds: float | None
    decided: int
    approved: int
    rejected: int
    overridden: int
    approval_rate: float | None
    time_to_decision: DurationSummary


class ModelVersionInsight(BaseModel):
    model_version: str
    flags: int
    decided: int
    approved: int
    approval_share: float | None


class ReviewInsights(BaseModel):
    generated_at: datetime
    routes: list[RouteRuleInsight]
    model_versions: list[ModelVersionInsight]


def percentile(sorted_values: list[float], q: float) -> float | None:
    """Linear interpolation between closest ranks (numpy's default); None for no values."""
    if not sorted_values:
        return None
    position = (len(sorted_values) - 1) * q
    low, high = math.floor(position), math.ceil(position)
    if low == high:
        return sorted_values[low]
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (position - low)


def _rate(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def review_insights(db: Session, *, now: datetime | None = None) -> ReviewInsights:
    """Compute the queue's insights from the stored items.

    Parameters
    ----------
    db
        The session.
    now
        The reference time for ages (for tests).

    Returns
    -------
    ReviewInsights
    """
    now = now or utcnow()
    rows = db.execute(
        select(
            ReviewItemRow.route,
            ReviewItemRow.rule,
            ReviewItemRow.status,
            ReviewItemRow.created_at,
            ReviewItemRow.decided_at,
            ReviewItemRow.model_version,
        )
    ).all()
    groups: dict[tuple[str, str | None], dict[str, Any]] = defaultdict(
        lambda: {"pending": 0, "oldest": None, "durations": [], "outcomes": defaultdict(int)}
    )
    models: dict[str, dict[str, int]] = defaultdict(lambda: {"flags": 0, "decided": 0, "approved": 0})
    for route, rule, status, created_at, decided_at, model_version in rows:
        group = groups[(route, rule)]
        if status == "pending":
            group["pending"] += 1
            if group["oldest"] is None or created_at < group["oldest"]:
                group["oldest"] = created_at
        else:
            group["outcomes"][status] += 1
            if decided_at is not None:
                group["durations"].append((decided_at - created_at).total_seconds())
        if model_version:
            model = models[model_version]
            model["flags"] += 1
            if status != "pending":
                model["decided"] += 1
                model["approved"] += status == "approved"

    route_insights = []
    for (route, rule), group in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        durations = sorted(group["durations"])
        outcomes = group["outcomes"]
        decided = sum(outcomes.values())
        route_insights.append(
            RouteRuleInsight(
                route=route,
                rule=rule,
                pending=group["pending"],
                oldest_pending_age_seconds=(now - group["oldest"]).total_seconds()
                if group["oldest"]
                else None,
                decided=decided,
                approved=outcomes["approved"],
                rejected=outcomes["rejected"],
                overridden=outcomes["overridden"],
                approval_rate=_rate(outcomes["approved"], decided),
                time_to_decision=DurationSummary(
                    p50_seconds=percentile(durations, 0.5), p95_seconds=percentile(durations, 0.95)
                ),
            )
        )
    model_insights = [
        ModelVersionInsight(
            model_version=version,
            flags=counts["flags"],
            decided=counts["decided"],
            approved=counts["approved"],
            approval_share=_rate(counts["approved"], counts["decided"]),
        )
        for version, counts in sorted(models.items())
    ]
    return ReviewInsights(generated_at=now, routes=route_insights, model_versions=model_insights)


router = APIRouter(prefix="/v1/insights", tags=["insights"], route_class=StrictJSONRoute)


@router.get("/reviews", response_model=ReviewInsights, dependencies=[require_roles("analyst")])
def get_review_insights(db: DbSession) -> ReviewInsights:
    """Per route and rule: pending, oldest age, time to decision, approval rate; approvals per model."""
    return review_insights(db)
