"""Hypothesis: once decided, a review item never changes, whatever further decisions are tried."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from service.auth import Principal
from service.db.models import ReviewEventRow
from service.problems import ProblemError
from service.reviews.schemas import DecisionRequest
from service.reviews.service import decide_review, get_review_or_raise, open_review

ADMIN = Principal(key_id="key_admin", name="admin", role="admin")
REVIEWERS = {
    "legal": Principal(key_id="key_legal", name="legal", role="legal"),
    "finance": Principal(key_id="key_finance", name="finance", role="finance"),
    "admin": ADMIN,
}

decisions = st.fixed_dictionaries(
    {"outcome": st.sampled_from(["approved", "rejected", "overridden"])},
    optional={
        "reason": st.one_of(st.none(), st.text(max_size=20)),
        "corrections": st.one_of(st.none(), st.dictionaries(st.text(max_size=5), st.integers(), max_size=3)),
    },
)
# NUL and lone surrogates are refused by validation (tests/service/test_text_guard.py): neither can be
# stored on PostgreSQL. A first decision here must be valid.
clean_text = st.text(
    alphabet=st.characters(exclude_characters="\x00", exclude_categories=["Cs"]), max_size=20
)
reasons = clean_text.filter(str.strip)
valid_first_decisions = st.one_of(
    st.fixed_dictionaries({"outcome": st.just("approved")}, optional={"reason": reasons}),
    st.fixed_dictionaries({"outcome": st.just("rejected"), "reason": reasons}),
    st.fixed_dictionaries(
        {
            "outcome": st.just("overridden"),
            "reason": reasons,
            "corrections": st.dictionaries(
                clean_text.filter(lambda key: len(key) <= 5), st.integers(), min_size=1, max_size=3
            ),
        }
    ),
)
attempts = st.lists(
    st.tuples(decisions, st.sampled_from(sorted(REVIEWERS)), st.one_of(st.none(), st.integers(0, 4))),
    min_size=1,
    max_size=6,
)


def try_decide(db: Session, review_id: str, raw: dict[str, Any], who: str, if_match: int | None) -> str:
    try:
        decision = DecisionRequest.model_validate(raw)
    except ValidationError:
        return "invalid"
    try:
        decide_review(db, review_id, principal=REVIEWERS[who], decision=decision, expected_version=if_match)
    except ProblemError as exc:
        db.rollback()
        return str(exc.status)
    db.commit()
    return "decided"


@pytest.mark.parametrize("route", ["legal"])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=valid_first_decisions, later=attempts)
def test_decided_item_never_changes(
    session_factory: sessionmaker[Session], route: str, first: dict[str, Any], later: list[Any]
) -> None:
    with session_factory() as db:
        item = open_review(
            db,
            kind="clause",
            route=route,
            severity="high",
            title="Auto-renewal",
            rule="auto_renewal.present",
            finding={"quote": "renews for successive 12-month terms"},
            subject={"type": "sow_extraction", "id": "ext_1"},
            model_version="clauses/3",
            actor="key_engine",
        )
        db.commit()
        assert try_decide(db, item.id, first, "legal", None) == "decided"
        decided = get_review_or_raise(db, item.id, principal=ADMIN)
        for raw, who, if_match in later:
            outcome = try_decide(db, item.id, raw, who, if_match)
            assert outcome in {"invalid", "404", "409"}, outcome
            db.expire_all()
            assert get_review_or_raise(db, item.id, principal=ADMIN) == decided
        events = db.scalar(
            select(func.count()).select_from(ReviewEventRow).where(ReviewEventRow.review_id == item.id)
        )
        assert events == 2
