"""NUL characters (U+0000) are refused where requests come in, the same on SQLite and PostgreSQL.

PostgreSQL cannot store U+0000 in text or jsonb; before this guard a NUL in a
title or a decision reason reached the database and answered 500 there only.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from service.db.models import ReviewEventRow, ReviewItemRow
from service.reviews.schemas import DecisionRequest, ReviewCreateRequest
from service.text_guard import find_nul

REVIEW = {
    "kind": "manual",
    "route": "finance",
    "severity": "medium",
    "title": "Check invoice INV-7",
    "finding": {"note": "client disputes line 3"},
    "subject": {"type": "invoice", "id": "INV-7"},
}


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def stored(session_factory: sessionmaker[Session]) -> tuple[int, int]:
    with session_factory() as db:
        return (
            db.scalar(select(func.count()).select_from(ReviewItemRow)) or 0,
            db.scalar(select(func.count()).select_from(ReviewEventRow)) or 0,
        )


def assert_nul_problem(response: Any, where: str) -> None:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["type"].endswith("/nul-character")
    assert where in problem["detail"]


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"title": "Check\u0000 invoice"}, "title"),
        ({"finding": {"lines": [{"note": "a\u0000b"}]}}, "finding.lines[0].note"),
        ({"finding": {"bad\u0000key": 1}}, "finding.bad\u0000key"),
        ({"subject": {"type": "invoice", "id": "INV\u00007"}}, "subject.id"),
    ],
)
def test_a_review_with_a_nul_is_refused_and_nothing_is_stored(
    client: TestClient, make_api_key: Any, session_factory: sessionmaker[Session], change: Any, where: str
) -> None:
    key = make_api_key("engine")
    before = stored(session_factory)
    response = client.post("/v1/reviews", json={**REVIEW, **change}, headers=auth(key))
    assert_nul_problem(response, where.split("\u0000")[0])
    assert stored(session_factory) == before


def test_a_decision_with_a_nul_in_its_reason_leaves_the_item_pending(
    client: TestClient, make_api_key: Any, session_factory: sessionmaker[Session]
) -> None:
    engine, finance = make_api_key("engine"), make_api_key("finance")
    item = client.post("/v1/reviews", json=REVIEW, headers=auth(engine)).json()
    before = stored(session_factory)
    decision = {"outcome": "rejected", "reason": "not billable\u0000"}
    response = client.post(f"/v1/reviews/{item['id']}/decision", json=decision, headers=auth(finance))
    assert_nul_problem(response, "reason")
    assert stored(session_factory) == before
    assert client.get(f"/v1/reviews/{item['id']}", headers=auth(finance)).json()["status"] == "pending"
    # The same reviewer decides once the text is clean.
    decision["reason"] = "not billable"
    response = client.post(f"/v1/reviews/{item['id']}/decision", json=decision, headers=auth(finance))
    assert response.status_code == 200, response.text


def test_an_escaped_backslash_before_u0000_is_ordinary_text(client: TestClient, make_api_key: Any) -> None:
    key = make_api_key("engine")
    title = "path C:\\u0000\\file"  # a backslash, then the six characters "u0000": no NUL
    body = json.dumps({**REVIEW, "title": title})
    response = client.post(
        "/v1/reviews", content=body, headers={**auth(key), "Content-Type": "application/json"}
    )
    assert response.status_code == 201, response.text
    assert response.json()["title"] == title


def test_the_schemas_refuse_a_nul_for_callers_that_skip_http() -> None:
    # The console and the service layer build these models from form fields, not JSON.
    with pytest.raises(ValidationError, match="U\\+0000"):
        DecisionRequest.model_validate({"outcome": "rejected", "reason": "x\u0000"})
    with pytest.raises(ValidationError, match=r"found at payment_terms_days"):
        DecisionRequest.model_validate(
            {"outcome": "overridden", "reason": "ok", "corrections": {"payment_terms_days": "4\u00005"}}
        )
    with pytest.raises(ValidationError, match="U\\+0000"):
        ReviewCreateRequest.model_validate({**REVIEW, "title": "\u0000"})


def test_find_nul_names_the_path() -> None:
    assert find_nul({"a": [1, {"b": "ok"}, {"c": "x\u0000"}]}) == "a[2].c"
    assert find_nul({"a": "fine", "b": [None, 1.5, True]}) is None
    assert find_nul("\u0000") == "(body)"


def test_the_schemas_refuse_a_lone_surrogate_for_callers_that_skip_http() -> None:
    # The strict JSON reader refuses "\ud800" escapes over HTTP; the console and the service layer
    # build these models from Python strings, which can hold one, and PostgreSQL cannot store it.
    # (pydantic refuses one in a str field itself; the JSON-valued fields are ours to check.)
    with pytest.raises(ValidationError, match=r"surrogate, found at \\udc00"):
        DecisionRequest.model_validate(
            {"outcome": "overridden", "reason": "ok", "corrections": {"\udc00": 1}}
        )
    with pytest.raises(ValidationError, match="surrogate"):
        ReviewCreateRequest.model_validate({**REVIEW, "finding": {"quote": ["\udfff"]}})
    assert DecisionRequest.model_validate({"outcome": "rejected", "reason": "\N{GRINNING FACE}"}).reason
