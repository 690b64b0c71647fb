"""The review queue: open, list, read, decide. Persistence of review items lives only here.

Every state change writes an append-only ``review_events`` row and, in the
same transaction, an outbox event (``review.created`` / ``review.decided``).
Nothing here commits: the route (or CLI command) commits once, so a domain
route that opens several items and stores its own rows does so atomically.

Visibility: ``admin`` sees every item; a reviewer (``legal``, ``finance``,
``delivery``) only the items routed to it; ``engine`` the items its key
created. An item outside a principal's view answers 404, as if it did not
exist.
"""

from __future__ import annotations

import base64
import binascii
import functools
from collections.abc import Mapping, Sequence
from typing import Any

import pydantic_core
from pydantic import ValidationError
from sqlalchemy import Connection, Integer, Row, Select, bindparam, false, select, update
from sqlalchemy.orm import Session

from service.auth import Principal, Role
from service.db.models import ReviewEventRow, ReviewItemRow, utcnow
from service.ids import new_id
from service.problems import ProblemError
from service.reviews.schemas import (
    DecisionRequest,
    ReviewEvent,
    ReviewItem,
    ReviewPage,
    ReviewRoute,
    ReviewStatus,
    Severity,
    Subject,
)
from service.webhooks.outbox import enqueue_event

# ReviewItemRow.subject_id is a String(200); PostgreSQL refuses longer, SQLite keeps anything.
SUBJECT_ID_MAX_CHARS = 200

DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 200


def review_item_data(row: ReviewItemRow | Row[Any]) -> dict[str, Any]:
    """The API fields of a stored item (an ORM row or a Core row of :data:`REVIEW_COLUMNS`)."""
    decision = None
    stored_decision = row.decision
    if stored_decision is not None and row.decided_at is not None:
        decision = {
            "outcome": stored_decision["outcome"],
            "reason": stored_decision.get("reason"),
            "corrections": stored_decision.get("corrections"),
            "decided_by": row.decided_by or "",
            "decided_at": row.decided_at,
        }
    return {
        "id": row.id,
        "kind": row.kind,
        "route": row.route,
        "severity": row.severity,
        "status": row.status,
        "title": row.title,
        "rule": row.rule,
        "subject": {"type": row.subject_type, "id": row.subject_id},
        "finding": row.finding,
        "model_version": row.model_version,
        "created_at": row.created_at,
        "decided_at": row.decided_at,
        "decision": decision,
        "version": row.version,
    }


def review_item_from_row(row: ReviewItemRow | Row[Any]) -> ReviewItem:
    return ReviewItem.model_validate(review_item_data(row))


# What a listing reads: the table's own columns, so rows skip the ORM's loading layer entirely.
_ITEMS = ReviewItemRow.__table__
REVIEW_COLUMNS = tuple(
    _ITEMS.c[name]
    for name in (
        "id", "kind", "route", "severity", "status", "title", "rule", "subject_type", "subject_id",
        "finding", "model_version", "created_at", "decided_at", "decided_by", "decision", "version",
    )
)  # fmt: skip


def _subject(subject: Subject | Mapping[str, Any]) -> Subject:
    if isinstance(subject, Subject):
        return subject
    kind, identifier = str(subject["type"]), str(subject["id"])
    # A finding's subject is the caller's own id (an entry_id, a request_id): one too long to keep
    # is the caller's to shorten, the same on both databases, before anything is written.
    if len(identifier) > SUBJECT_ID_MAX_CHARS:
        raise ProblemError(
            422,
            "identifier-too-long",
            "Identifier too long",
            f"The {kind} id {identifier[:40]!r}… is {len(identifier)} characters; a review item keeps "
            f"ids of up to {SUBJECT_ID_MAX_CHARS} characters. Send a shorter id.",
        )
    try:
        return Subject(type=kind, id=identifier)
    except ValidationError as error:
        raise ProblemError(
            422,
            "invalid-review-subject",
            "Invalid review subject",
            f"The finding's subject {kind} {identifier[:40]!r} cannot be stored: "
            + "; ".join(e["msg"] for e in error.errors()),
        ) from None


def open_review(
    db: Session,
    *,
    kind: str,
    route: str,
    severity: str,
    title: str,
    rule: str | None,
    finding: dict[str, Any],
    subject: Subject | Mapping[str, Any],
    model_version: str | None,
    actor: str,
) -> ReviewItem:
    """Put a finding in front of a person: the item, its ``created`` event and its outbox event.

    Parameters
    ----------
    db
        The caller's session; the caller commits.
    kind
        What sort of finding, e.g. ``"clause"``, ``"time_entry"``, ``"manual"``.
    route
        Whose queue: ``"legal"``, ``"finance"`` or ``"delivery"``.
    severity
        ``"low"``, ``"medium"``, ``"high"`` or ``"critical"``.
    title
        One line a reviewer reads first.
    rule
        The playbook rule or control that raised it (``"auto_renewal.present"``), or None.
    finding
        The domain's finding with its evidence, JSON-ready.
    subject
        ``{"type": ..., "id": ...}`` of the thing reviewed (an extraction, an invoice...).
    model_version
        The model that flagged it (``"clauses/3"``), or None for rules and manual items.
    actor
        Who opens it: ``principal.actor`` (the API key id).

    Returns
    -------
    ReviewItem
        The item as the API shows it.
    """
    now = utcnow()
    subject_value = _subject(subject)
    row = ReviewItemRow(
        id=new_id("rev"),
        kind=kind,
        route=ReviewRoute(route).value,
        severity=Severity(severity).value,
        status=ReviewStatus.pending.value,
        title=title,
        rule=rule,
        subject_type=subject_value.type,
        subject_id=subject_value.id,
        finding=finding,
        model_version=model_version,
        created_by=actor,
        created_at=now,
        version=1,
    )
    db.add(row)
    # No ORM relationships, so the unit of work does not order parents first: flush the parent.
    db.flush()
    db.add(
        ReviewEventRow(
            id=new_id("rve"),
            review_id=row.id,
            at=now,
            actor=actor,
            action="created",
            data={"route": row.route, "severity": row.severity, "kind": kind, "rule": rule},
        )
    )
    item = review_item_from_row(row)
    enqueue_event(db, event_type="review.created", data=item.model_dump(mode="json"))
    return item


def _visible(stmt: Select[Any], principal: Principal) -> Select[Any]:
    if principal.role == Role.admin:
        return stmt
    route = principal.review_route
    if route is not None:
        return stmt.where(_ITEMS.c.route == route)
    if principal.role == Role.engine:
        return stmt.where(_ITEMS.c.created_by == principal.key_id)
    # Any other role sees nothing (its routes are also closed by require_roles).
    return stmt.where(_ITEMS.c.id.is_(None))


def encode_cursor(review_id: str) -> str:
    return base64.urlsafe_b64encode(review_id.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> str:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value = base64.urlsafe_b64decode(padded.encode("ascii")).decode("ascii")
    except (binascii.Error, UnicodeError, ValueError):
        value = ""
    if not value.startswith("rev_") or len(value) != 30:
        raise ProblemError(
            400, "invalid-cursor", "Invalid cursor", "The cursor is not one this API returned; start over."
        )
    return value


LIST_FILTERS = ("route", "status", "kind", "rule", "subject_id")


def _visibility(principal: Principal) -> tuple[str, dict[str, Any]]:
    """How ``principal``'s view narrows a listing: a kind of condition and its bound values."""
    if principal.role == Role.admin:
        return "all", {}
    route = principal.review_route
    if route is not None:
        return "route", {"visible_route": route}
    if principal.role == Role.engine:
        return "creator", {"visible_creator": principal.key_id}
    return "none", {}


@functools.lru_cache(maxsize=256)
def _list_statement(visibility: str, filters: tuple[str, ...], paged: bool) -> Select[Any]:
    """The listing's statement for one shape of request, every value a bound parameter.

    Built once per shape and reused, so SQLAlchemy finds its compiled form by a memoised cache
    key instead of rebuilding the statement and its key on every request. The conditions are
    those of :func:`_visible`; ``tests/service/test_reviews_listing.py`` holds the two together.
    """
    stmt = select(*REVIEW_COLUMNS)
    if visibility == "route":
        stmt = stmt.where(_ITEMS.c.route == bindparam("visible_route"))
    elif visibility == "creator":
        stmt = stmt.where(_ITEMS.c.created_by == bindparam("visible_creator"))
    elif visibility == "none":
        stmt = stmt.where(false())
    for name in filters:
        stmt = stmt.where(_ITEMS.c[name] == bindparam(f"filter_{name}"))
    if paged:
        stmt = stmt.where(_ITEMS.c.id < bindparam("after_id"))
    return stmt.order_by(_ITEMS.c.id.desc()).limit(bindparam("page_limit", type_=Integer))


def _listed_item(row: Sequence[Any]) -> dict[str, Any]:
    """:func:`review_item_data` for a row of :data:`REVIEW_COLUMNS`, read by position (cheaper)."""
    (
        id_, kind, route, severity, status, title, rule, subject_type, subject_id,
        finding, model_version, created_at, decided_at, decided_by, stored_decision, version,
    ) = row  # fmt: skip
    decision = None
    if stored_decision is not None and decided_at is not None:
        decision = {
            "outcome": stored_decision["outcome"],
            "reason": stored_decision.get("reason"),
            "corrections": stored_decision.get("corrections"),
            "decided_by": decided_by or "",
            "decided_at": decided_at,
        }
    return {
        "id": id_,
        "kind": kind,
        "route": route,
        "severity": severity,
        "status": status,
        "title": title,
        "rule": rule,
        "subject": {"type": subject_type, "id": subject_id},
        "finding": finding,
        "model_version": model_version,
        "created_at": created_at,
        "decided_at": decided_at,
        "decision": decision,
        "version": version,
    }


def _list_page_data(
    db: Session | Connection,
    *,
    principal: Principal,
    route: str | None,
    status: str | None,
    kind: str | None,
    rule: str | None,
    subject_id: str | None,
    limit: int,
    cursor: str | None,
) -> dict[str, Any]:
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    visibility, params = _visibility(principal)
    values = {"route": route, "status": status, "kind": kind, "rule": rule, "subject_id": subject_id}
    filters = tuple(name for name in LIST_FILTERS if values[name] is not None)
    params.update({f"filter_{name}": values[name] for name in filters})
    if cursor is not None:
        params["after_id"] = decode_cursor(cursor)
    params["page_limit"] = limit + 1
    rows = db.execute(_list_statement(visibility, filters, cursor is not None), params).all()
    next_cursor = encode_cursor(rows[limit - 1][0]) if len(rows) > limit else None
    return {"items": [_listed_item(row) for row in rows[:limit]], "next_cursor": next_cursor}


def list_reviews(
    db: Session | Connection,
    *,
    principal: Principal,
    route: str | None = None,
    status: str | None = None,
    kind: str | None = None,
    rule: str | None = None,
    subject_id: str | None = None,
    limit: int = DEFAULT_PAGE_SIZE,
    cursor: str | None = None,
) -> ReviewPage:
    """The items visible to ``principal`` matching the filters, newest first, one page.

    Parameters
    ----------
    db
        The session (or a Core connection).
    principal
        Who asks; decides which items exist for them.
    route, status, kind, rule, subject_id
        Optional exact-match filters.
    limit
        Page size, 1 to :data:`MAX_PAGE_SIZE`.
    cursor
        ``next_cursor`` of the previous page. Pages are keyed on the id of the
        last item, so inserts between pages neither repeat nor skip items.

    Returns
    -------
    ReviewPage
    """
    data = _list_page_data(
        db,
        principal=principal,
        route=route,
        status=status,
        kind=kind,
        rule=rule,
        subject_id=subject_id,
        limit=limit,
        cursor=cursor,
    )
    return ReviewPage.model_validate(data)


def list_reviews_json(
    db: Session | Connection,
    *,
    principal: Principal,
    route: str | None = None,
    status: str | None = None,
    kind: str | None = None,
    rule: str | None = None,
    subject_id: str | None = None,
    limit: int = DEFAULT_PAGE_SIZE,
    cursor: str | None = None,
) -> bytes:
    """:func:`list_reviews` as the API's JSON body, byte for byte ``ReviewPage.model_dump_json()``.

    The rows come from the database the service wrote them to, already in the page's shape, so
    they are serialised as they are (pydantic-core's encoder, the same one the model uses)
    instead of being validated into models first. Same parameters as :func:`list_reviews`.
    """
    data = _list_page_data(
        db,
        principal=principal,
        route=route,
        status=status,
        kind=kind,
        rule=rule,
        subject_id=subject_id,
        limit=limit,
        cursor=cursor,
    )
    # inf_nan_mode "null": what the model's serialiser writes for a NaN or infinity in a finding.
    return pydantic_core.to_json(data, inf_nan_mode="null")


def _not_found(review_id: str) -> ProblemError:
    return ProblemError(404, "review-not-found", "Review item not found", f"No review item {review_id!r}.")


def get_review_row_or_raise(db: Session, review_id: str, *, principal: Principal) -> ReviewItemRow:
    row = db.scalar(_visible(select(ReviewItemRow).where(ReviewItemRow.id == review_id), principal))
    if row is None:
        raise _not_found(review_id)
    return row


def get_review_or_raise(db: Session, review_id: str, *, principal: Principal) -> ReviewItem:
    """The item if ``principal`` may see it; a 404 problem otherwise (existence is not revealed).

    Parameters
    ----------
    db
        The session.
    review_id
        ``rev_…``.
    principal
        Who asks.

    Returns
    -------
    ReviewItem
    """
    return review_item_from_row(get_review_row_or_raise(db, review_id, principal=principal))


def _already_decided(row: ReviewItemRow) -> ProblemError:
    return ProblemError(
        409,
        "review-already-decided",
        "Review item already decided",
        f"{row.id} was already {row.status}; a decision is final.",
        status_now=row.status,
    )


def _stale(review_id: str, expected: int, current: int) -> ProblemError:
    return ProblemError(
        412,
        "precondition-failed",
        "Precondition failed",
        f"If-Match names version {expected} of {review_id}, but it is at version {current}.",
        current_version=current,
    )


def decide_review(
    db: Session,
    review_id: str,
    *,
    principal: Principal,
    decision: DecisionRequest,
    expected_version: int | None = None,
) -> ReviewItem:
    """Record a final decision on a pending item, its ``decided`` event and its outbox event.

    The write is a compare-and-set on ``(status='pending', version)``, so of two
    concurrent deciders exactly one wins on SQLite and PostgreSQL alike; the
    other gets the 409 it would have got had it come second (its session is rolled back,
    so call this before writing anything else that must survive a lost race).

    Parameters
    ----------
    db
        The session; the caller commits.
    review_id
        ``rev_…``.
    principal
        The deciding reviewer (or admin); must be able to see the item.
    decision
        The outcome, reason and corrections (validated by :class:`DecisionRequest`).
    expected_version
        From ``If-Match``; a stale version is a 412 problem.

    Returns
    -------
    ReviewItem
        The decided item.
    """
    row = get_review_row_or_raise(db, review_id, principal=principal)
    if row.status != ReviewStatus.pending:
        raise _already_decided(row)
    if expected_version is not None and expected_version != row.version:
        raise _stale(review_id, expected_version, row.version)
    now = utcnow()
    decision_data: dict[str, Any] = {
        "outcome": decision.outcome.value,
        "reason": decision.reason,
        "corrections": decision.corrections,
    }
    result = db.execute(
        update(ReviewItemRow)
        .where(
            ReviewItemRow.id == row.id,
            ReviewItemRow.status == ReviewStatus.pending.value,
            ReviewItemRow.version == row.version,
        )
        .values(
            status=decision.outcome.value,
            decided_at=now,
            decided_by=principal.actor,
            decision=decision_data,
            version=row.version + 1,
        )
        .execution_options(synchronize_session=False)
    )
    if getattr(result, "rowcount", 0) != 1:
        # Someone decided it between our read and our write.
        db.rollback()
        db.expire_all()
        current = get_review_row_or_raise(db, review_id, principal=principal)
        if current.status != ReviewStatus.pending:
            raise _already_decided(current)
        raise _stale(review_id, row.version, current.version)
    db.refresh(row)
    db.add(
        ReviewEventRow(
            id=new_id("rve"),
            review_id=row.id,
            at=now,
            actor=principal.actor,
            action="decided",
            data=decision_data,
        )
    )
    item = review_item_from_row(row)
    enqueue_event(db, event_type="review.decided", data=item.model_dump(mode="json"))
    return item


def list_review_events(db: Session, review_id: str, *, principal: Principal) -> list[ReviewEvent]:
    """The item's audit trail, oldest first (404 when the item is not visible)."""
    get_review_row_or_raise(db, review_id, principal=principal)
    rows = db.scalars(
        select(ReviewEventRow)
        .where(ReviewEventRow.review_id == review_id)
        .order_by(ReviewEventRow.at, ReviewEventRow.id)
    )
    return [ReviewEvent(at=r.at, actor=r.actor, action=r.action, data=r.data) for r in rows]
