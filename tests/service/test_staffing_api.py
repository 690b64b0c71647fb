"""/v1/staffing: recommendations, teams, the people directory, review items for flags, errors."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from service.db.models import ReviewItemRow
from service.model_serving import LoadedModel
from staffing_recs import StaffingRankingModel
from tests.staffing_recs.conftest import make_person, make_request

PROBLEM = "https://handoff.dev/problems/"
SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def auth(key: str, **extra: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}", **extra}


def _people(*people: Any) -> list[dict[str, Any]]:
    return [p.model_dump(mode="json") for p in people]


def _reviews(session_factory: sessionmaker[Session]) -> list[ReviewItemRow]:
    with session_factory() as db:
        return list(db.scalars(select(ReviewItemRow).order_by(ReviewItemRow.id)))


def test_recommendation_inline_people_opens_margin_review(
    client: TestClient, make_api_key: Any, session_factory: sessionmaker[Session]
) -> None:
    engine = make_api_key("engine")
    body = {
        "request": make_request(bill_rate=200).model_dump(mode="json"),
        "people": _people(make_person("E-1", cost_rate=150), make_person("E-2", skills=[])),
    }
    response = client.post("/v1/staffing/recommendations", json=body, headers=auth(engine))
    assert response.status_code == 200, response.text
    document = response.json()
    assert document["model_version"] == "default"
    assert [c["person_id"] for c in document["candidates"]] == ["E-1"]
    assert document["excluded"][0]["person_id"] == "E-2"
    assert [f["rule"] for f in document["flags"]] == ["margin.below_policy"]
    reviews = _reviews(session_factory)
    assert [r.id for r in reviews] == document["reviews"]
    assert reviews[0].route == "delivery" and reviews[0].kind == "staffing"
    assert reviews[0].finding["candidates"][0]["person_id"] == "E-1"


def test_recommendation_idempotent(
    client: TestClient, make_api_key: Any, session_factory: sessionmaker[Session]
) -> None:
    engine = make_api_key("engine")
    body = {
        "request": make_request(bill_rate=200).model_dump(mode="json"),
        "people": _people(make_person("E-1", cost_rate=150)),
    }
    first = client.post(
        "/v1/staffing/recommendations", json=body, headers=auth(engine, **{"Idempotency-Key": "k1"})
    )
    again = client.post(
        "/v1/staffing/recommendations", json=body, headers=auth(engine, **{"Idempotency-Key": "k1"})
    )
    assert first.status_code == again.status_code == 200
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert again.json() == first.json()
    assert len(_reviews(session_factory)) == 1
    other = client.post(
        "/v1/staffing/recommendations",
        json=body | {"top": 3},
        headers=auth(engine, **{"Idempotency-Key": "k1"}),
    )
    assert other.status_code == 422 and other.json()["type"] == PROBLEM + "idempotency-key-reused"


@SQLITE_ONLY
def test_people_directory_upsert_list_and_use(client: TestClient, make_api_key: Any) -> None:
    engine, delivery = make_api_key("engine"), make_api_key("delivery")
    put = client.put(
        "/v1/staffing/people", json=_people(make_person("E-1"), make_person("E-2")), headers=auth(engine)
    )
    assert put.json() == {"upserted": 2, "created": 2, "updated": 0}
    put = client.put(
        "/v1/staffing/people",
        json={"people": _people(make_person("E-2", cost_rate=50))},
        headers=auth(engine),
    )
    assert put.json() == {"upserted": 1, "created": 0, "updated": 1}
    page = client.get("/v1/staffing/people?limit=1", headers=auth(delivery)).json()
    assert [p["person_id"] for p in page["items"]] == ["E-1"] and page["next_cursor"] == "E-1"
    rest = client.get(f"/v1/staffing/people?cursor={page['next_cursor']}", headers=auth(delivery)).json()
    assert [p["cost_rate"] for p in rest["items"]] == [50] and rest["next_cursor"] is None
    body = {"request": make_request().model_dump(mode="json"), "people": None}
    result = client.post("/v1/staffing/recommendations", json=body, headers=auth(engine)).json()
    assert [c["person_id"] for c in result["candidates"]] == ["E-2", "E-1"]


@SQLITE_ONLY
@pytest.mark.parametrize(
    ("body", "slug"),
    [
        ([{"person_id": "E-1"}, {"person_id": "E-1"}], "duplicate-person-id"),
        ({"person_id": "E-1"}, "invalid-people"),
        ([{"person_id": "E-1", "cost_rate": -1}], "invalid-people"),
    ],
)
def test_people_upsert_bad_input(client: TestClient, make_api_key: Any, body: Any, slug: str) -> None:
    response = client.put("/v1/staffing/people", json=body, headers=auth(make_api_key("engine")))
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["type"] == PROBLEM + slug
    empty = client.get("/v1/staffing/people", headers=auth(make_api_key("admin"))).json()
    assert empty["items"] == []


@SQLITE_ONLY
@pytest.mark.parametrize(
    ("request_fields", "slug"),
    [
        ({"start_date": "2026-07-01"}, "validation-error"),
        ({"skills": [], "role": "Consultant"}, "request-without-skills"),
        ({"bill_rate": -5}, "validation-error"),
    ],
)
def test_recommendation_bad_request(
    client: TestClient, make_api_key: Any, request_fields: dict, slug: str
) -> None:
    body = {
        "request": make_request().model_dump(mode="json") | request_fields,
        "people": _people(make_person()),
    }
    response = client.post("/v1/staffing/recommendations", json=body, headers=auth(make_api_key("engine")))
    assert response.status_code == 422
    assert response.json()["type"] == PROBLEM + slug


@SQLITE_ONLY
def test_roles(client: TestClient, make_api_key: Any) -> None:
    body = {"request": make_request().model_dump(mode="json"), "people": _people(make_person())}
    assert (
        client.post(
            "/v1/staffing/recommendations", json=body, headers=auth(make_api_key("delivery"))
        ).status_code
        == 403
    )
    assert (
        client.put("/v1/staffing/people", json=[], headers=auth(make_api_key("delivery"))).status_code == 403
    )
    assert client.get("/v1/staffing/people", headers=auth(make_api_key("legal"))).status_code == 403
    assert client.post("/v1/staffing/recommendations", json=body).status_code == 401


@SQLITE_ONLY
def test_team_assignment_and_no_eligible_review(
    client: TestClient, make_api_key: Any, session_factory: sessionmaker[Session]
) -> None:
    body = {
        "requests": [
            make_request("R-1", hours_per_week=20).model_dump(mode="json"),
            make_request("R-2", hours_per_week=20).model_dump(mode="json"),
            make_request("R-3", skills=[{"name": "SAP FI/CO", "min_level": 3}]).model_dump(mode="json"),
        ],
        "people": _people(make_person("E-1")),
    }
    response = client.post("/v1/staffing/teams", json=body, headers=auth(make_api_key("engine")))
    assert response.status_code == 200, response.text
    document = response.json()
    assert {(a["request_id"], a["person_id"]) for a in document["assignments"]} == {
        ("R-1", "E-1"),
        ("R-2", "E-1"),
    }
    assert [u["request_id"] for u in document["unfilled"]] == ["R-3"]
    rules = {r.rule for r in _reviews(session_factory)}
    assert "staffing.no_eligible" in rules and len(document["reviews"]) == len(document["flags"])


@SQLITE_ONLY
def test_served_model_is_used_and_named(client: TestClient, make_api_key: Any) -> None:
    model = StaffingRankingModel()
    model.weights_ = {
        "skills": 0.0,
        "availability": 0.0,
        "margin": 1.0,
        "utilization": 0.0,
        "continuity": 0.0,
        "timezone": 0.0,
    }
    client.app.state.serving_models.loaded["staffing"] = LoadedModel(  # type: ignore[attr-defined]
        "staffing", "handoff-staffing", "3", model
    )
    cheap = make_person("E-cheap", cost_rate=40, skills=[{"name": "Salesforce", "level": 3}])
    expert = make_person("E-expert", cost_rate=150, skills=[{"name": "Salesforce", "level": 5}])
    body = {"request": make_request().model_dump(mode="json"), "people": _people(expert, cheap)}
    document = client.post(
        "/v1/staffing/recommendations", json=body, headers=auth(make_api_key("engine"))
    ).json()
    assert document["model_version"] == "3"
    assert document["candidates"][0]["person_id"] == "E-cheap"
