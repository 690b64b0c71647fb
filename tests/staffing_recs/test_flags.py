from __future__ import annotations

import pytest

from staffing_recs import recommend

from .conftest import make_person, make_request


@pytest.mark.parametrize(
    ("cost", "fires", "severity"),
    [(130, True, "medium"), (120, False, None), (100, False, None), (250, True, "high")],
)
def test_margin_below_policy(cost: float, fires: bool, severity: str | None) -> None:
    # bill 200, policy 40%: cost 120 is exactly 40 % (passes); 130 is 35 %; 250 is negative.
    result = recommend(make_request(bill_rate=200, min_margin=0.4), [make_person(cost_rate=cost)])
    flags = [f for f in result.flags if f.rule == "margin.below_policy"]
    assert bool(flags) is fires
    if flags:
        assert flags[0].severity == severity and flags[0].route == "delivery"
        assert "policy is 40%" in flags[0].message


def test_margin_flag_needs_a_policy() -> None:
    result = recommend(make_request(bill_rate=200, min_margin=None), [make_person(cost_rate=190)])
    assert result.flags == []


def test_margin_flag_names_a_candidate_that_meets_policy() -> None:
    star = make_person(
        "E-star",
        cost_rate=150,
        client_history=["C-1"],
        skills=[{"name": "Salesforce", "level": 5}, {"name": "Apex", "level": 5}],
    )
    cheap = make_person("E-cheap", cost_rate=80, skills=[{"name": "Salesforce", "level": 3}])
    result = recommend(make_request(bill_rate=200), [star, cheap], model={"skills": 1.0})
    flag = next(f for f in result.flags if f.rule == "margin.below_policy")
    assert flag.details["first_meeting_policy"] == "E-cheap"


def test_no_eligible_with_nearest_misses_and_changes() -> None:
    busy = make_person(
        "E-busy",
        allocations=[
            {"project_id": "P-3", "start_date": "2026-01-05", "end_date": "2026-03-13", "hours_per_week": 40}
        ],
    )
    junior = make_person("E-junior", skills=[{"name": "Salesforce", "level": 1}])
    abroad = make_person("E-abroad", location="Paris, FR", timezone="Europe/Paris", skills=[])
    result = recommend(make_request(), [busy, junior, abroad])
    assert result.candidates == []
    flag = next(f for f in result.flags if f.rule == "staffing.no_eligible")
    assert flag.severity == "high" and flag.route == "delivery"
    misses = {m["person_id"]: m["changes"] for m in flag.details["nearest_misses"]}
    assert misses["E-busy"] == ["free from 2026-03-16"]
    assert misses["E-junior"] == ["Salesforce 1 of 3 required"]
    assert [m["person_id"] for m in flag.details["nearest_misses"]][-1] == "E-abroad"
    assert "free from 2026-03-16" in flag.message


def test_no_eligible_does_not_fire_when_someone_fits() -> None:
    result = recommend(make_request(), [make_person("E-ok"), make_person("E-no", skills=[])])
    assert not any(f.rule == "staffing.no_eligible" for f in result.flags)


def test_no_eligible_on_empty_directory() -> None:
    result = recommend(make_request(), [])
    assert [f.rule for f in result.flags] == ["staffing.no_eligible"]
