"""The reviewer's queue as the console shows it: filters, order, counts and pages.

The API's ``list_reviews`` pages by cursor for machines; people want
oldest-first, age and severity filters, and to see how many items each filter
holds. Both read through the same visibility rule (``_visible``), so the
console can never show an item the API would hide.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.auth import Principal
from service.db.models import ReviewItemRow, utcnow
from service.reviews.schemas import ReviewItem
from service.reviews.service import _visible, review_item_from_row

AGE_FILTERS: dict[str, timedelta] = {
    "1d": timedelta(days=1),
    "3d": timedelta(days=3),
    "7d": timedelta(days=7),
}


@dataclass(frozen=True)
class QueueFilters:
    status: str = "pending"
    kind: str | None = None
    rule: str | None = None
    severity: str | None = None
    older_than: str | None = None  # a key of AGE_FILTERS
    order: Literal["newest", "oldest"] = "newest"


@dataclass
class QueuePage:
    items: list[ReviewItem]
    total: int
    page: int
    pages: int
    counts: dict[str, dict[str, int]] = field(default_factory=dict)  # facet -> value -> count


def review_queue(
    db: Session, *, principal: Principal, filters: QueueFilters, page: int = 1, page_size: int = 25
) -> QueuePage:
    """One page of the queue visible to ``principal``, with counts per kind, rule and severity."""
    base = _visible(select(ReviewItemRow), principal).where(ReviewItemRow.status == filters.status)
    counts = {
        facet: _facet_counts(db, base, column)
        for facet, column in (
            ("kind", ReviewItemRow.kind),
            ("rule", ReviewItemRow.rule),
            ("severity", ReviewItemRow.severity),
        )
    }
    stmt = base
    if filters.kind:
        stmt = stmt.where(ReviewItemRow.kind == filters.kind)
    if filters.rule:
        stmt = stmt.where(ReviewItemRow.rule == filters.rule)
    if filters.severity:
        stmt = stmt.where(ReviewItemRow.severity == filters.severity)
    if filters.older_than in AGE_FILTERS:
        stmt = stmt.where(ReviewItemRow.created_at <= utcnow() - AGE_FILTERS[filters.older_than])
    total = int(db.scalar(select(func.count()).select_from(stmt.subquery())) or 0)
    pages = max(1, -(-total // page_size))
    page = max(1, min(page, pages))
    # Ids are time-sortable, so ordering by id is ordering by creation.
    order = ReviewItemRow.id.asc() if filters.order == "oldest" else ReviewItemRow.id.desc()
    rows = db.scalars(stmt.order_by(order).offset((page - 1) * page_size).limit(page_size))
    return QueuePage(
        items=[review_item_from_row(row) for row in rows], total=total, page=page, pages=pages, counts=counts
    )


def _facet_counts(db: Session, base: Any, column: Any) -> dict[str, int]:
    subquery = base.subquery()
    facet = subquery.c[column.key]
    rows = db.execute(select(facet, func.count()).group_by(facet).order_by(func.count().desc()))
    return {str(value): int(count) for value, count in rows if value is not None}
