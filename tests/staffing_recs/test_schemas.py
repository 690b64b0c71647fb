from __future__ import annotations

import pytest

from staffing_recs import (
    DuplicatePersonError,
    InvalidPeopleError,
    InvalidRequestError,
    RequestWithoutSkillsError,
    parse_people,
    parse_request,
    parse_requests,
    recommend,
)

from .conftest import make_person, make_request


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"person_id": "E-1", "cost_rate": -5}, "cost_rate"),
        ({"person_id": "E-1", "skills": [{"name": "Apex", "level": 7}]}, "skills.0.level"),
        (
            {
                "person_id": "E-1",
                "allocations": [
                    {
                        "project_id": "P-1",
                        "start_date": "2026-05-01",
                        "end_date": "2026-04-01",
                        "hours_per_week": 8,
                    }
                ],
            },
            "before start_date",
        ),
        (
            {"person_id": "E-1", "time_off": [{"start_date": "2026-05-02", "end_date": "2026-05-01"}]},
            "time_off",
        ),
        ({"name": "no id"}, "person_id"),
    ],
)
def test_parse_people_bad_entry_names_the_field(entry: dict, message: str) -> None:
    with pytest.raises(InvalidPeopleError, match=message):
        parse_people([entry])


@pytest.mark.parametrize("data", [{"person_id": "E-1"}, "people.csv", 7, [1, 2]])
def test_parse_people_wrong_shape(data: object) -> None:
    with pytest.raises(InvalidPeopleError):
        parse_people(data)


def test_parse_people_duplicate_ids() -> None:
    with pytest.raises(DuplicatePersonError, match="E-1"):
        parse_people([{"person_id": "E-1"}, {"person_id": "E-2"}, {"person_id": "E-1"}])


def test_parse_people_accepts_wrapped_list_and_numeric_ids() -> None:
    people = parse_people({"people": [{"person_id": 7, "target_utilization": 85}]})
    assert people[0].person_id == "7"
    assert people[0].target_utilization == pytest.approx(0.85)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"start_date": "2026-06-01", "end_date": "2026-05-01"}, "before start_date"),
        ({"bill_rate": -1}, "bill_rate"),
        ({"hours_per_week": 0}, "hours_per_week"),
    ],
)
def test_parse_request_bad_fields(fields: dict, message: str) -> None:
    data = make_request().model_dump(mode="json") | fields
    with pytest.raises(InvalidRequestError, match=message):
        parse_request(data)


def test_request_without_skills_is_an_error() -> None:
    request = make_request(skills=[], role="Consultant")
    with pytest.raises(RequestWithoutSkillsError, match="no skills"):
        recommend(request, [make_person()])


def test_request_skills_read_from_description_when_none_listed() -> None:
    request = make_request(skills=[], description="Looking for a senior SFDC consultant, Apex a must")
    result = recommend(request, [make_person()])
    assert [c.person_id for c in result.candidates] == ["E-1"]
    assert any("read from the description" in note for note in result.notes)


def test_parse_requests_rejects_duplicates_and_wrong_shape() -> None:
    one = make_request().model_dump(mode="json")
    with pytest.raises(InvalidRequestError, match="duplicate request_id"):
        parse_requests([one, one])
    with pytest.raises(InvalidRequestError, match="list"):
        parse_requests(one)


def test_unknown_skills_are_reported_not_fatal() -> None:
    person = make_person(
        skills=[{"name": "Salesforce", "level": 4}, {"name": "Quantum Basket Weaving", "level": 5}]
    )
    request = make_request(
        skills=[
            {"name": "Salesforce", "min_level": 3},
            {"name": "Quantum basket-weaving", "min_level": 4, "required": True},
        ]
    )
    result = recommend(request, [person])
    assert "Quantum basket-weaving" in result.unknown_skills
    assert "Quantum Basket Weaving" in result.unknown_skills
    # An unknown skill still matches its own spelling (case and punctuation aside).
    assert [c.person_id for c in result.candidates] == ["E-1"]


def test_recommend_rejects_duplicate_people() -> None:
    with pytest.raises(DuplicatePersonError):
        recommend(make_request(), [make_person("E-1"), make_person("E-1")])


def test_skill_shorthands_and_level_words() -> None:
    listed = parse_people([{"person_id": "E-1", "skills": ["SFDC", {"name": "Apex", "level": "Expert"}]}])[0]
    assert [(s.name, s.level) for s in listed.skills] == [("SFDC", 3), ("Apex", 5)]
    mapped = parse_people([{"person_id": "E-2", "skills": {"Salesforce": 4}}])[0]
    assert [(s.name, s.level) for s in mapped.skills] == [("Salesforce", 4)]
    request = parse_request(
        make_request().model_dump(mode="json") | {"skills": ["Salesforce"], "location": {"countries": "US"}}
    )
    assert request.skills[0].name == "Salesforce" and request.skills[0].min_level == 1
    assert request.location is not None and request.location.countries == ["US"]


def test_request_skills_read_from_role_title_and_person_title() -> None:
    request = make_request(skills=[], role="SAP FI/CO Consultant")
    person = make_person(skills=[], title="Senior SAP FICO consultant")
    result = recommend(request, [person, make_person("E-2")])
    assert [c.person_id for c in result.candidates] == ["E-1"]
    assert result.excluded[0].reasons == ["no SAP FI/CO (2 required)"]


def test_request_period_longer_than_five_years_is_refused() -> None:
    data = make_request().model_dump(mode="json") | {"start_date": "2026-01-05", "end_date": "2035-01-05"}
    with pytest.raises(InvalidRequestError, match="longer than 5 years"):
        parse_request(data)


def test_team_spanning_decades_is_refused() -> None:
    from staffing_recs import assign_team

    early = make_request("R-1", start_date="2026-01-05", end_date="2026-02-27")
    late = make_request("R-2", start_date="2040-01-02", end_date="2040-02-24")
    with pytest.raises(InvalidRequestError, match="10 years"):
        assign_team([early, late], [make_person()])


@pytest.mark.parametrize("zone", ["../../etc/passwd", "Not/AZone", "", "UTC+99"])
def test_odd_time_zones_are_unknown_not_errors(zone: str) -> None:
    # "Remote, US": a country with several zones, so nothing to infer the zone from.
    result = recommend(make_request(), [make_person(timezone=zone, location="Remote, US")])
    assert result.candidates and result.candidates[0].breakdown.timezone == pytest.approx(0.5)
