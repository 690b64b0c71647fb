"""The review listing's lean path says exactly what the model path would.

``list_reviews_json`` reads rows by position with statements cached per filter shape and writes the
page without validating it into models. Each case here is checked against a reference built the
slow way: the ORM query narrowed by ``_visible`` (the rule the console and single-item reads use),
every row through ``review_item_from_row``, the page through ``ReviewPage.model_dump_json``. The
bodies must be equal byte for byte, for every kind of principal, filter, page and cursor.
"""

from __future__ import annotations

import math
from itertools import product
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from service.auth import Principal
from service.db.models import ReviewItemRow
from service.reviews import service
from service.reviews.schemas import DecisionOutcome, DecisionRequest, ReviewPage

ADMIN = Principal(key_id="key_admin", name="admin", role="admin")
ENGINE_A = Principal(key_id="key_engine_a", name="engine a", role="engine")
ENGINE_B = Principal(key_id="key_engine_b", name="engine b", role="engine")
LEGAL = Principal(key_id="key_legal", name="legal", role="legal")
FINANCE = Principal(key_id="key_finance", name="finance", role="finance")
ANALYST = Principal(key_id="key_analyst", name="analyst", role="analyst")
PRINCIPALS = [ADMIN, ENGINE_A, ENGINE_B, LEGAL, FINANCE, ANALYST]

FINDINGS: list[dict[str, Any]] = [
    {},
    {"note": "client disputes line 3", "amount": "1200.00"},
    {"quote": "Fees are “net 45” — see §4.2 (Zürich office)", "page": 3, "offsets": [120, 188]},
    {"score": 0.1 + 0.2, "tiny": 1e-7, "big": 2**53 + 1, "neg": -0.0, "ok": True, "nothing": None},
    {"nested": {"lines": [{"hours": 9.5, "roles": ["dev", "qa"]}], "empty": {}}},
]


def _seed(db: Session) -> None:
    """Items from two engines on every route, some decided in each way."""
    outcomes = [
        None,
        DecisionRequest(outcome=DecisionOutcome.approved),
        DecisionRequest(outcome=DecisionOutcome.rejected, reason="not a finding"),
        DecisionRequest(
            outcome=DecisionOutcome.overridden, reason="rate is right", corrections={"rate": "175.00"}
        ),
    ]
    deciders = {"legal": LEGAL, "finance": FINANCE, "delivery": ADMIN}
    for n in range(23):
        route = ("legal", "finance", "delivery")[n % 3]
        item = service.open_review(
            db,
            kind=("clause", "time_entry", "manual")[n % 3],
            route=route,
            severity=("low", "medium", "high", "critical")[n % 4],
            title=f"Finding {n}: “quoted” title",
            rule=None if n % 4 == 0 else f"rule.{n % 2}",
            finding=FINDINGS[n % len(FINDINGS)],
            subject={"type": "invoice", "id": f"INV-{n % 5}"},
            model_version=None if n % 2 else "clauses/3",
            actor=(ENGINE_A, ENGINE_B)[n % 2].actor,
        )
        decision = outcomes[n % len(outcomes)]
        if decision is not None:
            service.decide_review(db, item.id, principal=deciders[route], decision=decision)
    db.commit()


def _reference(db: Session, principal: Principal, limit: int, cursor: str | None, **filters: Any) -> str:
    stmt = service._visible(select(ReviewItemRow), principal)
    for name, value in filters.items():
        if value is not None:
            stmt = stmt.where(getattr(ReviewItemRow, name) == value)
    if cursor is not None:
        stmt = stmt.where(ReviewItemRow.id < service.decode_cursor(cursor))
    rows = list(db.scalars(stmt.order_by(ReviewItemRow.id.desc()).limit(limit + 1)))
    items = [service.review_item_from_row(row) for row in rows[:limit]]
    next_cursor = service.encode_cursor(rows[limit - 1].id) if len(rows) > limit else None
    return ReviewPage(items=items, next_cursor=next_cursor).model_dump_json()


FILTER_CASES: list[dict[str, Any]] = [
    {},
    {"route": "legal"},
    {"status": "pending"},
    {"route": "finance", "status": "approved"},
    {"kind": "clause", "rule": "rule.1"},
    {"subject_id": "INV-2"},
    {"route": "delivery", "status": "overridden", "kind": "manual", "subject_id": "INV-0"},
    {"status": "nothing-has-this"},
]


def test_listing_equals_the_model_path_for_every_principal_filter_and_page(
    session_factory: sessionmaker[Session],
) -> None:
    with session_factory() as db:
        _seed(db)
        nonempty = 0
        for principal, filters, limit in product(PRINCIPALS, FILTER_CASES, (3, 25)):
            cursor: str | None = None
            for _ in range(30):  # walk every page
                fast = service.list_reviews_json(
                    db, principal=principal, limit=limit, cursor=cursor, **filters
                )
                assert fast.decode() == _reference(db, principal, limit, cursor, **filters), (
                    principal.role,
                    filters,
                    limit,
                    cursor,
                )
                page = service.list_reviews(db, principal=principal, limit=limit, cursor=cursor, **filters)
                assert page.model_dump_json().encode() == fast
                nonempty += bool(page.items)
                cursor = page.next_cursor
                if cursor is None:
                    break
            assert cursor is None
    assert nonempty > 50  # the cases are not vacuous


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_nan_in_a_finding_is_null_as_the_model_writes_it(session_factory: sessionmaker[Session]) -> None:
    # SQLite's JSON column accepts NaN (PostgreSQL's jsonb refuses it before it is stored).
    with session_factory() as db:
        service.open_review(
            db,
            kind="time_entry",
            route="finance",
            severity="low",
            title="t",
            rule=None,
            finding={"z": math.nan, "inf": math.inf},
            subject={"type": "time_entry", "id": "T-1"},
            model_version=None,
            actor=ADMIN.actor,
        )
        db.commit()
        fast = service.list_reviews_json(db, principal=ADMIN)
        assert fast.decode() == _reference(db, ADMIN, service.DEFAULT_PAGE_SIZE, None)
        assert b'"finding":{"z":null,"inf":null}' in fast


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("query", ["limit=0", "limit=abc", "status=maybe", "route=hr"])
def test_an_unauthenticated_bad_query_is_401_before_422(client: TestClient, query: str) -> None:
    assert client.get(f"/v1/reviews?{query}").status_code == 401
    bad_key = {"Authorization": "Bearer hk_" + "0" * 60}
    response = client.get(f"/v1/reviews?{query}", headers=bad_key)
    assert response.status_code == 401 and response.json()["type"].endswith("/invalid-api-key")
