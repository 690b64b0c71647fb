"""People and requests as other firms' exports write them: tolerated where meaning is clear,
a clear error where it is not."""

from __future__ import annotations

from typing import Any

import pytest

from staffing_recs import (
    InvalidPeopleError,
    InvalidRequestError,
    Person,
    parse_people,
    parse_request,
    recommend,
)

from .conftest import make_person, make_request


def _person(**fields: Any) -> dict[str, Any]:
    return {"person_id": "X-1", "location": "Chicago, US", "timezone": "America/Chicago", **fields}


@pytest.mark.parametrize(
    ("written", "level"),
    [
        ("4 - Advanced", 4),
        ("L4", 4),
        ("Level 2", 2),
        ("4/5", 4),
        ("8/10", 4),
        ("Advanced (4)", 4),
        ("Expert", 5),
        (3.5, 3),
        (4.0, 4),
        ("N/A", 3),
        ("", 3),
    ],
)
def test_skill_levels_as_directories_write_them(written: Any, level: int) -> None:
    person = Person.model_validate(_person(skills=[{"name": "Apex", "level": written}]))
    assert person.skills[0].level == level


@pytest.mark.parametrize("written", [7, "7", "0", "excellent-ish", 0.5])
def test_skill_levels_out_of_scale_are_a_clear_error(written: Any) -> None:
    with pytest.raises(InvalidPeopleError, match=r"people\[0\] \(X-1\): skills\.0\.level"):
        parse_people([_person(skills=[{"name": "Apex", "level": written}])])


def test_proficiency_and_skill_keys_are_read_as_level_and_name() -> None:
    person = Person.model_validate(_person(skills=[{"skill": "Apex", "proficiency": "Advanced"}]))
    assert (person.skills[0].name, person.skills[0].level) == ("Apex", 4)


def test_skills_and_certifications_as_one_string_are_split() -> None:
    person = Person.model_validate(_person(skills="SFDC; Apex, k8s", certifications="PMP | CSM"))
    assert [s.name for s in person.skills] == ["SFDC", "Apex", "k8s"]
    assert person.certifications == ["PMP", "CSM"]


def test_nulls_mean_not_given() -> None:
    fields = ["name", "title", "location", "currency", "target_utilization", "skills", "certifications"]
    fields += ["clearances", "allocations", "time_off", "client_history", "hours_per_week", "profile"]
    person = Person.model_validate(_person(**dict.fromkeys(fields)))
    assert person.hours_per_week == 40 and person.skills == [] and person.currency is None


def test_a_required_field_given_as_null_is_named() -> None:
    with pytest.raises(InvalidPeopleError, match="person_id"):
        parse_people([{"person_id": None, "name": "A"}])


@pytest.mark.parametrize(("ladder", "level"), [("P3", 3), ("Senior Manager", None), (4, 4)])
def test_a_persons_level_in_another_ladder_is_kept_only_as_its_number(ladder: Any, level: int | None) -> None:
    assert Person.model_validate(_person(level=ladder)).level == level


@pytest.mark.parametrize(
    ("written", "code"), [("usd", "USD"), ("£", "GBP"), ("Euro", "EUR"), ("US$", "USD"), ("$", "$")]
)
def test_currencies_as_written(written: str, code: str) -> None:
    assert Person.model_validate(_person(currency=written)).currency == code
    assert make_request(currency=written).currency == code


def test_a_cost_with_no_currency_is_taken_in_the_bill_currency_and_noted() -> None:
    result = recommend(
        make_request(bill_rate=200, currency="GBP"), [make_person(cost_rate=100, currency=None)]
    )
    assert result.candidates[0].margin == 0.5
    assert any("no cost currency" in note and "GBP" in note for note in result.notes)


def test_a_dollar_sign_alone_is_not_assumed_to_be_us_dollars() -> None:
    result = recommend(
        make_request(bill_rate=200, currency="USD"), [make_person(cost_rate=100, currency="$")]
    )
    assert result.candidates[0].margin is None
    assert [f.rule for f in result.flags] == ["margin.unconverted_currency"]


def test_exchange_rates_keyed_by_symbols_convert() -> None:
    result = recommend(
        make_request(bill_rate=200, currency="USD", min_margin=None),
        [make_person(cost_rate=100, currency="GBP")],
        fx_rates={"$": 1.0, "USD": 1.0, "£": 1.25},
    )
    assert result.candidates[0].margin == pytest.approx(0.375)


@pytest.mark.parametrize(
    ("location", "message"),
    [
        ({"countries": ["Narnia"]}, "Narnia"),
        ({"countries": "Middle Earth"}, "Middle Earth"),
        ({"timezone": "Mars/Olympus", "max_timezone_offset_hours": 3}, "Mars/Olympus"),
        ({"timezone": "Eastern-ish"}, "Eastern-ish"),
    ],
)
def test_a_request_location_not_understood_is_a_clear_error(location: dict[str, Any], message: str) -> None:
    data = {**make_request().model_dump(mode="json"), "location": location}
    with pytest.raises(InvalidRequestError, match=message):
        parse_request(data)


def test_a_request_with_one_unknown_country_keeps_the_others_and_notes_it() -> None:
    result = recommend(make_request(location={"countries": ["US", "Narnia"]}), [make_person()])
    assert result.candidates and "Narnia" in result.notes[0]


def test_request_nulls_mean_not_given() -> None:
    data = make_request().model_dump(mode="json")
    data.update(project_id=None, client_id=None, role=None, currency=None, location=None, skills=None)
    data["description"] = "Salesforce developer"
    request = parse_request(data)
    assert (request.project_id, request.currency, request.location) == ("", "USD", None)


@pytest.mark.parametrize(
    ("written", "rate", "currency"),
    [
        ("95 USD", 95.0, "USD"),
        ("£70/hr", 70.0, "GBP"),
        ("INR 3,800", 3800.0, "INR"),
        ("1,200.50", 1200.5, None),
    ],
)
def test_a_cost_rate_written_with_its_currency(written: str, rate: float, currency: str | None) -> None:
    person = Person.model_validate(_person(cost_rate=written))
    assert (person.cost_rate, person.currency) == (rate, currency)


def test_a_cost_rate_contradicting_the_currency_is_a_clear_error() -> None:
    with pytest.raises(InvalidPeopleError, match="'95 USD' is in USD but currency is GBP"):
        parse_people([_person(cost_rate="95 USD", currency="GBP")])


def test_a_bill_rate_written_with_its_currency() -> None:
    data = {**make_request().model_dump(mode="json"), "bill_rate": "€150", "currency": None}
    request = parse_request(data)
    assert (request.bill_rate, request.currency) == (150.0, "EUR")


@pytest.mark.parametrize(
    ("fields", "hours"),
    [({"fte": 0.6}, 24.0), ({"weekly_hours": 30}, 30.0), ({"fte": 0.5, "hours_per_week": 37.5}, 37.5)],
)
def test_contracted_hours_from_fte_or_other_names(fields: dict[str, Any], hours: float) -> None:
    assert Person.model_validate(_person(**fields)).hours_per_week == hours


@pytest.mark.parametrize("wrapper", ["people", "employees", "data"])
def test_a_directory_in_another_exports_wrapper(wrapper: str) -> None:
    people = parse_people({wrapper: [{"employee_id": 1017, "name": "A"}], "exported_at": "2026-02-01"})
    assert people[0].person_id == "1017"


def test_a_directory_without_a_list_names_its_keys() -> None:
    with pytest.raises(InvalidPeopleError, match="with keys count, next"):
        parse_people({"count": 0, "next": None})


def test_an_open_ended_booking_runs_past_the_request_and_never_says_when_it_ends() -> None:
    booking = {"project_id": "P-1", "start_date": "2026-01-05", "end_date": None, "hours_per_week": 40}
    result = recommend(make_request(), [make_person(allocations=[booking])])
    (reason,) = result.excluded[0].reasons
    assert reason.startswith("booked 40 h/week on P-1 with no end date: 0 h free")
    assert "free from" not in reason


def test_a_booking_by_percentage_is_a_share_of_the_persons_hours() -> None:
    booking = {
        "project_id": "P-1",
        "start_date": "2026-01-05",
        "end_date": "2026-12-31",
        "allocation_percent": 50,
    }
    person = Person.model_validate(_person(hours_per_week=30, allocations=[booking]))
    assert person.allocations[0].hours_per_week == 15


def test_a_booking_with_neither_hours_nor_percent_is_a_clear_error() -> None:
    booking = {"project_id": "P-1", "start_date": "2026-01-05", "end_date": "2026-12-31"}
    with pytest.raises(InvalidPeopleError, match=r"allocations\.0\.hours_per_week: Field required"):
        parse_people([_person(allocations=[booking])])


def test_time_off_without_an_end_is_that_day() -> None:
    person = Person.model_validate(_person(time_off=[{"start_date": "2026-03-16"}]))
    assert person.time_off[0].end_date == person.time_off[0].start_date
