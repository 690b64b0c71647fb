"""Requests and directories as other firms write them, through the API: read, or a 422 problem
that names the field and what was expected (never a 500, never an empty answer)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.staffing_recs.conftest import make_person

PROBLEM = "https://handoff.dev/problems/"
SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

DM_REQUEST: dict[str, Any] = {
    "request_id": "DM-1",
    "requested_on": "2026-03-02",
    "role": "Senior SFDC admin",
    "description": "Must have: Salesforce, Apex. Nice to have: CPQ.",
    "start": "ASAP",
    "duration": "3 months",
    "allocation": "50%",
    "budget": "$1,200/day",
    "location": "US only",
    "timezone": "ET",
    "max_timezone_offset_hours": 3,
}


def _post(client: TestClient, key: str, request: dict[str, Any]) -> Any:
    person = make_person("E-1", cost_rate=90, currency="$").model_dump(mode="json")
    return client.post(
        "/v1/staffing/recommendations",
        json={"request": request, "people": [person]},
        headers={"Authorization": f"Bearer {key}"},
    )


# Each unreadable request, and the words its problem must hold (field as written, value, what to give).
UNREADABLE: list[tuple[dict[str, Any], list[str]]] = [
    ({"start": "soon"}, ["start", "'soon'", "YYYY-MM-DD"]),
    ({"allocation": "150%"}, ["allocation", "'150%'", "100%"]),
    ({"budget": "negotiable"}, ["budget", "'negotiable'", "rate"]),
    ({"location": "Atlantis"}, ["Atlantis"]),
    ({"start": "ASAP", "requested_on": None}, ["requested_on"]),
]


@SQLITE_ONLY
def test_a_delivery_managers_request_is_read_or_refused_naming_the_field(
    client: TestClient, make_api_key: Any
) -> None:
    # One app for all cases: starting one costs seconds.
    key = make_api_key("engine")
    response = _post(client, key, DM_REQUEST)
    assert response.status_code == 200, response.text
    candidate = response.json()["candidates"][0]
    assert candidate["person_id"] == "E-1"
    assert candidate["margin"] == pytest.approx(0.4)  # $1,200/day is $150/h against $90/h
    for patch, wanted in UNREADABLE:
        response = _post(client, key, {**DM_REQUEST, **patch})
        assert response.status_code == 422, (patch, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert all(w in response.text for w in wanted), (patch, response.text)


@SQLITE_ONLY
def test_a_table_export_uploads_as_the_directory_and_a_bad_row_is_a_422(
    client: TestClient, make_api_key: Any
) -> None:
    key = make_api_key("engine")
    headers = {"Authorization": f"Bearer {key}"}
    table = {
        "columns": ["Resource ID", "Location", "TZ", "Cost", "Skill 1", "Skill 2"],
        "data": [["R-1", "Chicago, US", "CST", "$90/hr", "SFDC (Expert)", "Apex - Advanced"]],
    }
    bad = {"columns": table["columns"], "data": [["R-2", "Chicago, US"]]}
    refused = client.put("/v1/staffing/people", json=bad, headers=headers)
    assert refused.status_code == 422 and "row 0 (R-2) has 2 cells" in refused.text, refused.text
    assert client.put("/v1/staffing/people", json=table, headers=headers).json()["created"] == 1
    request = {**DM_REQUEST, "description": "Must have: Salesforce, Apex."}
    response = client.post(
        "/v1/staffing/recommendations", json={"request": request, "people": None}, headers=headers
    )
    assert response.status_code == 200, response.text
    assert [c["person_id"] for c in response.json()["candidates"]] == ["R-1"]
