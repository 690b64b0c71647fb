"""Builders for people and role requests (contracts/staffing.md shapes)."""

from __future__ import annotations

from typing import Any

import pytest

from staffing_recs import Person, RoleRequest, SkillTaxonomy


def make_person(person_id: str = "E-1", **fields: Any) -> Person:
    data: dict[str, Any] = {
        "person_id": person_id,
        "name": f"Person {person_id}",
        "location": "Chicago, US",
        "timezone": "America/Chicago",
        "cost_rate": 100,
        "currency": "USD",
        "target_utilization": 0.8,
        "skills": [{"name": "Salesforce", "level": 4}, {"name": "Apex", "level": 3}],
        "hours_per_week": 40,
    }
    data.update(fields)
    return Person.model_validate(data)


def make_request(request_id: str = "R-1", **fields: Any) -> RoleRequest:
    data: dict[str, Any] = {
        "request_id": request_id,
        "project_id": "P-9",
        "client_id": "C-1",
        "role": "Salesforce Developer",
        "start_date": "2026-03-02",
        "end_date": "2026-03-27",
        "hours_per_week": 30,
        "skills": [
            {"name": "Salesforce", "min_level": 3, "weight": 1.0, "required": True},
            {"name": "Apex", "min_level": 2, "weight": 0.6, "required": False},
        ],
        "bill_rate": 200,
        "currency": "USD",
        "min_margin": 0.40,
        "location": {
            "countries": ["US", "CA"],
            "timezone": "America/New_York",
            "max_timezone_offset_hours": 3,
        },
        "clearance": None,
    }
    data.update(fields)
    return RoleRequest.model_validate(data)


@pytest.fixture(scope="session")
def taxonomy() -> SkillTaxonomy:
    return SkillTaxonomy.default()
