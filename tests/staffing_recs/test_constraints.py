"""Every hard constraint excludes with an actionable reason; boundary cases pass."""

from __future__ import annotations

import pytest

from staffing_recs import recommend

from .conftest import make_person, make_request


def _outcome(person_fields: dict, request_fields: dict | None = None):
    result = recommend(make_request(**(request_fields or {})), [make_person(**person_fields)])
    return result


def test_eligible_baseline() -> None:
    result = _outcome({})
    assert [c.person_id for c in result.candidates] == ["E-1"] and result.excluded == []


@pytest.mark.parametrize(
    ("person_fields", "reason"),
    [
        ({"skills": [{"name": "Salesforce", "level": 2}]}, "Salesforce 2 of 3 required"),
        ({"skills": [{"name": "Java", "level": 5}]}, "no Salesforce (3 required)"),
        (
            {
                "allocations": [
                    {
                        "project_id": "P-3",
                        "start_date": "2026-01-05",
                        "end_date": "2026-03-13",
                        "hours_per_week": 32,
                    }
                ]
            },
            "booked 32 h/week on P-3 until 2026-03-13: 8 h free in the week of 2026-03-02, 30 needed",
        ),
        (
            {"time_off": [{"start_date": "2026-03-16", "end_date": "2026-03-18"}]},
            "time off 2026-03-16 to 2026-03-18",
        ),
        ({"hours_per_week": 20}, "works 20 h/week"),
        ({"location": "Paris, FR", "timezone": "America/New_York"}, "based in FR; the request allows CA, US"),
        ({"location": "Remote"}, "names no country"),
        ({"timezone": "America/Los_Angeles", "location": "Seattle, US"}, None),  # 3 h: on the limit, passes
        ({"timezone": "Pacific/Honolulu", "location": "Honolulu, US"}, "time zone Pacific/Honolulu is 6 h"),
    ],
)
def test_each_hard_constraint_excludes_with_reason(person_fields: dict, reason: str | None) -> None:
    result = _outcome(person_fields)
    if reason is None:
        assert [c.person_id for c in result.candidates] == ["E-1"]
        return
    assert result.candidates == []
    assert any(reason in r for r in result.excluded[0].reasons), result.excluded[0].reasons


def test_exact_minimum_level_passes() -> None:
    assert _outcome({"skills": [{"name": "Salesforce", "level": 3}]}).candidates


def test_optional_skill_below_minimum_does_not_exclude() -> None:
    request = {
        "skills": [
            {"name": "Salesforce", "min_level": 3},
            {"name": "Java", "min_level": 3, "required": False},
        ]
    }
    result = _outcome({"skills": [{"name": "Salesforce", "level": 4}, {"name": "Java", "level": 1}]}, request)
    assert result.candidates and "Java 1/3" in result.candidates[0].explanation


def test_capacity_exactly_enough_passes() -> None:
    fields = {
        "allocations": [
            {"project_id": "P", "start_date": "2026-03-02", "end_date": "2026-03-27", "hours_per_week": 10}
        ]
    }
    assert _outcome(fields).candidates
    over = {
        "allocations": [
            {"project_id": "P", "start_date": "2026-03-02", "end_date": "2026-03-27", "hours_per_week": 10.5}
        ]
    }
    assert not _outcome(over).candidates


def test_allocation_outside_period_is_ignored() -> None:
    fields = {
        "allocations": [
            {"project_id": "P", "start_date": "2026-01-05", "end_date": "2026-02-27", "hours_per_week": 40}
        ]
    }
    assert _outcome(fields).candidates


@pytest.mark.parametrize(
    ("countries", "location", "eligible"),
    [
        (["United States", "Canada"], "Toronto, CA", True),
        (["USA"], "Austin, TX", True),
        (["GB"], "London, UK", True),
        (["DE"], "London, United Kingdom", False),
    ],
)
def test_location_accepts_country_names(countries: list[str], location: str, eligible: bool) -> None:
    result = _outcome({"location": location, "timezone": None}, {"location": {"countries": countries}})
    assert bool(result.candidates) is eligible


def test_timezone_offset_measured_at_request_dates() -> None:
    # London is 4 h from New York between the US (Mar 8) and UK (Mar 29) clock changes, 5 h otherwise.
    request = {
        "start_date": "2026-03-09",
        "end_date": "2026-03-20",
        "location": {"timezone": "America/New_York", "max_timezone_offset_hours": 4},
    }
    assert _outcome({"timezone": "Europe/London"}, request).candidates
    later = request | {"start_date": "2026-04-06", "end_date": "2026-04-17"}
    assert not _outcome({"timezone": "Europe/London"}, later).candidates


def test_unknown_timezone_is_not_excluded_and_scores_neutral() -> None:
    result = _outcome({"timezone": "Mars/Olympus", "location": "Remote, US"})
    assert result.candidates[0].breakdown.timezone == pytest.approx(0.5)


def test_unusable_timezone_falls_back_to_the_city() -> None:
    result = _outcome({"timezone": "Mars/Olympus", "location": "Chicago, US"})
    assert result.candidates[0].breakdown.timezone == pytest.approx(1 - 1 / 12, abs=1e-3)


@pytest.mark.parametrize(
    ("held", "required", "eligible"),
    [
        ([], "Secret", False),
        (["Secret"], "secret", True),
        (["Top Secret"], "Secret", True),
        (["Secret"], "Top Secret", False),
        (["SC"], "BPSS", True),
        (["NATO Cosmic"], "NATO Cosmic", True),
    ],
)
def test_clearance(held: list[str], required: str, eligible: bool) -> None:
    result = _outcome({"clearances": held}, {"clearance": required})
    assert bool(result.candidates) is eligible
    if not eligible:
        assert result.excluded[0].reasons == [f"no {required} clearance"]


def test_several_failures_are_all_reported() -> None:
    result = _outcome(
        {"skills": [{"name": "Salesforce", "level": 1}], "location": "Paris, FR"}, {"clearance": "Secret"}
    )
    assert len(result.excluded[0].reasons) == 3


@pytest.mark.parametrize(
    ("location", "country"), [("Bogotá, CO", "CO"), ("Austin, TX", "US"), ("Toronto, CA", "CA")]
)
def test_iso_code_wins_over_us_state(location: str, country: str) -> None:
    from staffing_recs.geography import country_of_location

    assert country_of_location(location) == country


@pytest.mark.parametrize(
    ("zone", "eligible"), [("EST", True), ("PST", True), ("IST", False), ("UTC-05:00", True)]
)
def test_timezone_abbreviations_and_fixed_offsets(zone: str, eligible: bool) -> None:
    assert bool(_outcome({"timezone": zone}).candidates) is eligible


@pytest.mark.parametrize(
    ("location", "country", "zone"),
    [
        ("Remote - US", "US", None),
        ("Remote (UK)", "GB", "Europe/London"),
        ("Pune, India", "IN", "Asia/Kolkata"),
        ("Denver, CO", "US", "America/Denver"),
        ("Medellín, CO", "CO", "America/Bogota"),
        ("Remote", None, None),
    ],
)
def test_location_forms_and_zone_inference(location: str, country: str | None, zone: str | None) -> None:
    from staffing_recs.geography import country_of_location, zone_of_location

    assert country_of_location(location) == country
    assert zone_of_location(location) == zone


def test_zone_inferred_from_location_counts_for_the_offset_limit() -> None:
    result = _outcome(
        {"location": "Pune, India", "timezone": None},
        {"location": {"timezone": "America/New_York", "max_timezone_offset_hours": 3}},
    )
    assert result.candidates == []
    assert "time zone Asia/Kolkata is" in result.excluded[0].reasons[0]
