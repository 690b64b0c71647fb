"""Reading other firms' exports and delivery managers' requests (staffing_recs/exports.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from staffing_recs import (
    InvalidPeopleError,
    InvalidRequestError,
    Person,
    SkillTaxonomy,
    assign_team,
    parse_people,
    parse_request,
    recommend,
)
from staffing_recs.exports import end_from_duration, read_date, read_hours, split_level
from staffing_recs.requirements import resolve_requirements
from staffing_recs.schemas import LEVEL_WORDS
from tests.staffing_recs.conftest import make_person

MONDAY = dt.date(2026, 3, 2)


@pytest.mark.parametrize(
    ("written", "as_end", "expected"),
    [
        ("ASAP", False, "2026-03-02"),
        ("early Q3", False, "2026-07-01"),
        ("Q3 2026", True, "2026-09-30"),
        ("mid-May", False, "2026-05-15"),
        ("May", False, "2026-05-01"),
        ("Jan", False, "2027-01-01"),  # January has passed on 2 March: next year's
        ("end of June", True, "2026-06-30"),
        ("2026-04-06", False, "2026-04-06"),
    ],
)
def test_read_date_reads_how_managers_write_dates(written: str, as_end: bool, expected: str) -> None:
    assert read_date(written, key="start", requested=MONDAY, as_end=as_end) == dt.date.fromisoformat(expected)


@pytest.mark.parametrize(
    ("written", "requested", "message"),
    [
        ("soon", MONDAY, "'soon' is not a date"),
        ("ASAP", None, "requested_on"),
        ("Q3", None, "names no year"),
        ("2026-02-30", MONDAY, "YYYY-MM-DD"),
    ],
)
def test_read_date_names_the_field_it_cannot_read(written: str, requested: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message) as error:
        read_date(written, key="start", requested=requested, as_end=False)
    assert str(error.value).startswith("start ")


@pytest.mark.parametrize(
    ("start", "duration", "end"),
    [
        ("2026-07-01", "6 months", "2026-12-31"),
        ("2026-03-02", "12 weeks", "2026-05-24"),
        ("2026-03-02", "90 days", "2026-05-30"),
        ("2026-01-31", "1 month", "2026-02-27"),
        ("2026-03-02", "1 year", "2027-03-01"),
    ],
)
def test_end_from_duration(start: str, duration: str, end: str) -> None:
    assert end_from_duration(dt.date.fromisoformat(start), duration, key="duration") == dt.date.fromisoformat(
        end
    )


@pytest.mark.parametrize("duration", [6, "a while", "6 fortnights"])
def test_a_duration_without_a_unit_is_an_error(duration: Any) -> None:
    with pytest.raises(ValueError, match="duration"):
        end_from_duration(MONDAY, duration, key="duration")


@pytest.mark.parametrize(
    ("written", "hours"),
    [("full time", 40), ("Full-time", 40), ("20 h/week", 20), ("20h", 20), ("50%", 20), ("0.5 FTE", 20),
     ("3 days/week", 24)],
)  # fmt: skip
def test_read_hours(written: Any, hours: float) -> None:
    assert read_hours(written, key="allocation") == hours
    assert read_hours(written, key="hours_per_week") == hours


@pytest.mark.parametrize(("written", "hours"), [(32, 32), ("30", 30)])
def test_a_plain_number_of_hours_is_hours(written: Any, hours: float) -> None:
    assert read_hours(written, key="hours_per_week") == hours


@pytest.mark.parametrize(("written", "message"), [("150%", "at most 100%"), ("part time", "not an amount")])
def test_unreadable_hours_are_an_error(written: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        read_hours(written, key="allocation")


@pytest.mark.parametrize(
    ("written", "name", "level"),
    [
        ("Python (Expert)", "Python", 5),
        ("LLMs - Advanced", "LLMs", 4),
        ("German C1", "German", 4),
        ("Portuguese (native)", "Portuguese", 5),
        ("k8s (advanced)", "k8s", 4),
        ("Salesforce (Sales Cloud, Service Cloud)", "Salesforce (Sales Cloud, Service Cloud)", None),
        ("Serverless (AWS Lambda)", "Serverless (AWS Lambda)", None),
        ("C/C++", "C/C++", None),
    ],
)
def test_split_level_reads_a_level_written_with_the_skill(written: str, name: str, level: int | None) -> None:
    assert split_level(written, LEVEL_WORDS) == (name, level)


@pytest.mark.parametrize(
    ("cefr", "level"), [("A2", 1), ("B1", 2), ("B2", 3), ("C1", 4), ("C2", 5), ("Native", 5)]
)
def test_cefr_levels(cefr: str, level: int) -> None:
    person = Person.model_validate(
        {"person_id": "X", "languages": [{"language": "German", "proficiency": cefr}]}
    )
    assert [(s.name, s.level) for s in person.skills] == [("German", level)]


def test_a_code_that_is_no_cefr_level_is_an_error_showing_it() -> None:
    with pytest.raises(InvalidPeopleError, match="'C3'"):
        parse_people([{"person_id": "X", "languages": "German C3"}])


TABLE: dict[str, Any] = {
    "columns": ["Resource ID", "Resource Name", "Location", "Skill 1", "Skill 2", "Alloc % May 2026",
                "Alloc % Jun 2026", "Status"],
    "data": [
        ["R-1", "Ana", "Lisbon, PT", "Python (Expert)", "", "50%", "50%", "Active"],
        ["R-2", "Ben", "Porto, PT", "SQL", None, "0%", "100%", "On leave until 2026-05-15"],
    ],
}  # fmt: skip


def test_a_table_export_reads_as_people() -> None:
    ana, ben = parse_people(TABLE)
    assert (ana.person_id, ana.name, ana.location) == ("R-1", "Ana", "Lisbon, PT")
    assert [(s.name, s.level) for s in ana.skills] == [("Python", 5)]
    # Two months at 50 % are one booking of half the week.
    assert [
        (a.start_date.isoformat(), a.end_date.isoformat(), a.hours_per_week) for a in ana.allocations
    ] == [("2026-05-01", "2026-06-30", 20.0)]
    assert [(t.end_date.isoformat()) for t in ben.time_off] == ["2026-05-15"]


def test_a_header_row_table_reads_like_a_columns_table() -> None:
    rows = [TABLE["columns"], *TABLE["data"]]
    assert [p.person_id for p in parse_people(rows)] == ["R-1", "R-2"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t["data"][1].pop(), "row 1 (R-2) has 7 cells but the table has 8 columns"),
        (lambda t: t["data"][0].__setitem__(5, "half"), "'Alloc % May 2026': 'half' is not a percentage"),
    ],
)
def test_a_table_that_does_not_fit_says_where(change: Any, message: str) -> None:
    table = {"columns": list(TABLE["columns"]), "data": [list(r) for r in TABLE["data"]]}
    change(table)
    with pytest.raises(InvalidPeopleError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_people(table)


def test_any_wrapper_holding_one_list_of_people_is_read() -> None:
    export = {
        "report": "Workers",
        "generated_on": "2026-02-27",
        "workers": [{"Worker_ID": 7, "Worker": "Ana"}],
    }
    assert [(p.person_id, p.name) for p in parse_people(export)] == [("7", "Ana")]


def test_availability_columns_are_read_as_the_booked_rest() -> None:
    person = Person.model_validate({"person_id": "X", "Available % May 2026": "25%"})
    assert [a.hours_per_week for a in person.allocations] == [30.0]


def _request(**fields: Any) -> dict[str, Any]:
    return {
        "request_id": "R-1",
        "role": "Data engineer",
        "start_date": "2026-05-04",
        "end_date": "2026-05-29",
        "hours_per_week": 40,
        "skills": [{"name": "Python", "min_level": 3}],
        **fields,
    }


def _person(person_id: str, **fields: Any) -> dict[str, Any]:
    return {
        "person_id": person_id,
        "location": "Lisbon, PT",
        "skills": [{"name": "Python", "level": 4}],
        **fields,
    }


def test_status_leave_and_leavers_are_excluded_with_reasons() -> None:
    people = [
        _person("ON-LEAVE", status="On leave until 2026-05-15"),
        _person("RETURNS", status="On Leave", return_date="2026-05-18"),
        _person("LEFT", status="Terminated"),
        _person("HERE", status="Active"),
    ]
    result = recommend(_request(), people)
    reasons = {x.person_id: " | ".join(x.reasons) for x in result.excluded}
    assert [c.person_id for c in result.candidates] == ["HERE"]
    assert (
        "on leave until 2026-05-15" in reasons["ON-LEAVE"] and "free from 2026-05-18" in reasons["ON-LEAVE"]
    )
    assert "on leave until 2026-05-17" in reasons["RETURNS"]
    assert "status 'Terminated'" in reasons["LEFT"]


@pytest.mark.parametrize(
    ("countries", "eligible"),
    [
        ("Remote - EMEA", {"EMEA", "PT"}),
        ("EU", {"PT"}),
        ("DE, PT", {"PT"}),
        ("LATAM or Iberia", {"PT", "LATAM"}),
    ],
)
def test_areas_in_requests_and_locations(countries: str, eligible: set[str]) -> None:
    people = [
        _person("EMEA", location="Remote - EMEA"),
        _person("LATAM", location="Remote - LATAM"),
        _person("PT"),
        _person("IN", location="Pune, India"),
    ]
    result = recommend(_request(location=countries), people)
    assert {c.person_id for c in result.candidates} == eligible
    quoted = {x.person_id: " ".join(x.reasons) for x in result.excluded}
    if "EMEA" not in eligible:
        assert "'Remote - EMEA' names no country" in quoted["EMEA"]


def test_a_managers_request_reads_into_the_contract() -> None:
    request = parse_request(
        {
            "id": "DM-1",
            "title": "Senior data engineer",
            "requested_on": "2026-03-02",
            "start": "early Q3",
            "duration": "3 months",
            "allocation": "60%",
            "budget": "€800/day",
            "min_margin": "30%",
            "must_have": ["PySpark (advanced)", "German C1"],
            "nice_to_have": "Airflow; dbt",
            "location": "EU",
            "timezone": "CET",
            "max_timezone_offset_hours": 2,
        }
    )
    assert (request.request_id, request.start_date, request.end_date) == (
        "DM-1",
        dt.date(2026, 7, 1),
        dt.date(2026, 9, 30),
    )
    assert (request.hours_per_week, request.bill_rate, request.currency, request.min_margin) == (
        24,
        100,
        "EUR",
        0.3,
    )
    assert [(s.name, s.min_level, s.required) for s in request.skills] == [
        ("PySpark", 4, True),
        ("German", 4, True),
        ("Airflow", 1, False),
        ("dbt", 1, False),
    ]
    assert request.location is not None and request.location.timezone == "CET"
    assert request.seniority == 3


def test_description_lists_say_what_is_required(taxonomy: SkillTaxonomy) -> None:
    request = parse_request(
        _request(
            skills=[],
            description="Lakehouse work. Must have: PySpark, Databricks. Nice to have: Airflow, k8s.",
        )
    )
    requirements, _ = resolve_requirements(request, taxonomy)
    assert {(r.name, r.required) for r in requirements} == {
        ("PySpark", True),
        ("Databricks", True),
        ("Airflow", False),
        ("k8s", False),
    }


@pytest.mark.parametrize(("role", "skill_id"), [("PM", "project-management"), ("BA", "business-analysis")])
def test_a_role_that_is_an_abbreviation_names_its_skill(
    role: str, skill_id: str, taxonomy: SkillTaxonomy
) -> None:
    requirements, _ = resolve_requirements(parse_request(_request(role=role, skills=[])), taxonomy)
    assert [(r.skill_id, r.required) for r in requirements] == [(skill_id, True)]


def test_a_team_written_once_gives_each_role_the_shared_fields() -> None:
    team: dict[str, Any] = {
        "team": "Kick-off",
        "start": "2026-05-04",
        "end": "2026-05-29",
        "location": "EU",
        "roles": [
            {"request_id": "T-1", "role": "Python developer", "hours_per_week": 40, "must_have": ["Python"]},
            {"request_id": "T-2", "role": "PM", "allocation": "50%", "start": "2026-05-11"},
        ],
    }
    people = [_person("DEV"), _person("LEAD", skills=[{"name": "Project management", "level": 5}])]
    result = assign_team(team, people)
    assert {(a.request_id, a.person_id) for a in result.assignments} == {("T-1", "DEV"), ("T-2", "LEAD")}


def test_seniority_asked_for_ranks_the_senior_first_and_says_why() -> None:
    people = [
        make_person("MID", title="Consultant", level="Mid", cost_rate=80),
        make_person("SENIOR", title="Senior Consultant", cost_rate=100),
    ]
    result = recommend({**_senior_request(), "role": "Senior Salesforce developer"}, people)
    assert [c.person_id for c in result.candidates] == ["SENIOR", "MID"]
    assert "Mid for a Senior role" in result.candidates[1].explanation
    plain = recommend({**_senior_request(), "role": "Salesforce developer"}, people)
    assert [c.person_id for c in plain.candidates] == ["MID", "SENIOR"]  # cheaper, same skills


def _senior_request() -> dict[str, Any]:
    return {
        "request_id": "R-S",
        "start_date": "2026-03-02",
        "end_date": "2026-03-27",
        "hours_per_week": 30,
        "skills": [{"name": "Salesforce", "min_level": 3}],
        "bill_rate": 200,
        "currency": "USD",
    }


def test_an_unstated_level_still_ranks_the_expert_first() -> None:
    people = [
        make_person("BEGINNER", skills=[{"name": "SQL", "level": 2}]),
        make_person("EXPERT", skills=[{"name": "SQL", "level": 5}]),
    ]
    result = recommend({**_senior_request(), "skills": ["SQL"]}, people)
    assert [c.person_id for c in result.candidates] == ["EXPERT", "BEGINNER"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"budget": "negotiable"}, "budget 'negotiable' is not a rate"),
        ({"hours_per_week": None, "allocation": "lots"}, "allocation 'lots' is not an amount of time"),
        ({"location": "Atlantis"}, "'Atlantis'"),
        ({"start_date": "next-ish"}, "start_date 'next-ish' is not a date"),
    ],
)
def test_an_unreadable_request_names_the_field_as_written(fields: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidRequestError, match=message):
        parse_request(_request(**fields))


def test_a_directory_keyed_by_person_id_with_nested_places_and_rates() -> None:
    export = {
        "KS-1": {
            "location": {"city": "Munich", "country": "DE"},
            "rate": {"cost": 600, "currency": "EUR", "unit": "day"},
            "skills": "Java:5, Spring Boot:4",
            "bookings": [{"project": "K-1", "period": "2026-03-02 to 2026-04-24", "hours_per_week": 16}],
            "leave": [{"dates": "2026-07-06 to 2026-07-10"}],
        },
        "KS-2": {"person_id": "KS-2b"},
    }
    first, second = parse_people(export)
    assert (first.person_id, first.location, first.cost_rate, first.currency) == (
        "KS-1",
        "Munich, DE",
        75,
        "EUR",
    )
    assert [(s.name, s.level) for s in first.skills] == [("Java", 5), ("Spring Boot", 4)]
    assert (first.allocations[0].start_date, first.allocations[0].end_date) == (
        dt.date(2026, 3, 2),
        dt.date(2026, 4, 24),
    )
    assert (first.time_off[0].start_date, first.time_off[0].end_date) == (
        dt.date(2026, 7, 6),
        dt.date(2026, 7, 10),
    )
    assert second.person_id == "KS-2b"  # its own id wins over the key


def test_a_period_that_is_no_date_range_is_an_error() -> None:
    with pytest.raises(InvalidPeopleError, match="period 'spring' is not a date range"):
        parse_people([{"person_id": "X", "bookings": [{"project": "P", "period": "spring", "hours": 10}]}])


@pytest.mark.parametrize(
    ("written", "level"), [("Java 4+", 4), ("Java:5", 5), ("Java (L4)", 4), ("Java 8", None)]
)
def test_levels_written_as_numbers_beside_the_skill(written: str, level: int | None) -> None:
    assert split_level(written, LEVEL_WORDS)[1] == level


def test_a_range_of_seniority_asks_for_its_lowest_rung() -> None:
    assert parse_request(_request(role="Java developer (mid/senior)")).seniority == 2
    assert Person.model_validate({"person_id": "X", "title": "Senior Lead Engineer"}).seniority == 4


@pytest.mark.parametrize(
    ("fields", "hours"), [({"allocation": 50}, 20), ({"allocation": 0.5}, 20), ({"fte": 0.6}, 24)]
)
def test_a_plain_number_under_a_share_key_is_a_share(fields: dict[str, Any], hours: float) -> None:
    assert parse_request(_request(hours_per_week=None, **fields)).hours_per_week == hours


def test_a_project_history_is_not_read_as_bookings() -> None:
    person = Person.model_validate({"Worker_ID": "A", "Projects": ["P-1", "P-2"]})
    assert person.allocations == []
    with pytest.raises(InvalidPeopleError, match=r"allocations\.0"):
        parse_people([{"person_id": "A", "allocations": ["P-1"]}])
