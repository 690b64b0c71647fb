"""Countries and time zones as other firms write them."""

from __future__ import annotations

import datetime as dt

import pytest

from staffing_recs.geography import canonical_zone, country_of_location, utc_offset_hours, zone_of_location

WINTER, SUMMER = dt.date(2026, 1, 15), dt.date(2026, 7, 15)


@pytest.mark.parametrize(
    ("location", "country"),
    [
        ("Toronto, ON", "CA"),
        ("Calgary, AB, Canada", "CA"),
        ("Pune, MH", "IN"),
        ("Gurugram, Haryana", "IN"),
        ("Sydney NSW", "AU"),
        ("US Remote", "US"),
        ("Remote (EU)", None),
        ("Fort Wayne, IN", "IN"),
    ],
)
def test_country_from_provinces_states_and_words(location: str, country: str | None) -> None:
    assert country_of_location(location) == country


@pytest.mark.parametrize(
    ("location", "zone", "country"),
    [
        ("Fort Wayne, IN", "America/Indiana/Indianapolis", "US"),
        ("Fort Wayne, IN", "EST", "US"),
        ("Toronto, CA", "America/Toronto", "CA"),
        ("Medellín, CO", "America/Bogota", "CO"),
        ("Boulder, CO", "America/Denver", "US"),
    ],
)
def test_a_code_both_state_and_country_is_settled_by_the_persons_zone(
    location: str, zone: str, country: str
) -> None:
    assert country_of_location(location, zone) == country


@pytest.mark.parametrize(
    ("location", "wrong"), [("Dublin, OH", "Europe/Dublin"), ("Paris, TX", "Europe/Paris")]
)
def test_a_city_name_abroad_does_not_lend_its_zone(location: str, wrong: str) -> None:
    assert country_of_location(location) == "US"
    assert zone_of_location(location) != wrong


@pytest.mark.parametrize(
    ("written", "day", "hours"),
    [
        ("Eastern Time", WINTER, -5.0),
        ("Eastern Time", SUMMER, -4.0),
        ("Eastern Standard Time", SUMMER, -4.0),
        ("(UTC-05:00) Eastern Time (US & Canada)", SUMMER, -4.0),
        ("(GMT+05:30) Chennai, Kolkata, Mumbai, New Delhi", WINTER, 5.5),
        ("UTC+05:30 (IST)", WINTER, 5.5),
        ("ET (UTC-5)", SUMMER, -4.0),
        ("PST/PDT", WINTER, -8.0),
        ("UTC+5.5", WINTER, 5.5),
        ("UTC\u221203:00", WINTER, -3.0),
        ("GMT+0100", WINTER, 1.0),
        ("europe/london", SUMMER, 1.0),
        ("Japan", WINTER, 9.0),
        ("London", SUMMER, 1.0),
    ],
)
def test_zone_forms(written: str, day: dt.date, hours: float) -> None:
    assert utc_offset_hours(written, day) == hours


@pytest.mark.parametrize("written", ["Mars/Olympus", "UTC+15", "soon", "", "   "])
def test_unknown_zones_are_none(written: str) -> None:
    assert canonical_zone(written) is None
    assert utc_offset_hours(written, WINTER) is None
