from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from staffing_recs import PeopleIndex, SkillTaxonomy
from staffing_recs.capacity import explain_shortfalls, weekly_capacity, working_days

from .conftest import make_person


def _weekly(person_fields: dict, start: str, end: str, taxonomy: SkillTaxonomy):
    person = make_person(**person_fields)
    index = PeopleIndex.build([person], taxonomy)
    return index, weekly_capacity(index, dt.date.fromisoformat(start), dt.date.fromisoformat(end))


def test_working_days_skip_weekends() -> None:
    days = working_days(dt.date(2026, 3, 6), dt.date(2026, 3, 10))  # Fri .. Tue
    assert len(days) == 3


def test_week_by_week_with_allocations_and_time_off(taxonomy: SkillTaxonomy) -> None:
    _, weekly = _weekly(
        {
            "allocations": [
                {
                    "project_id": "P-3",
                    "start_date": "2026-03-02",
                    "end_date": "2026-03-13",
                    "hours_per_week": 32,
                },
                {
                    "project_id": "P-4",
                    "start_date": "2026-03-11",
                    "end_date": "2026-03-20",
                    "hours_per_week": 10,
                },
            ],
            "time_off": [{"start_date": "2026-03-23", "end_date": "2026-03-24"}],
        },
        "2026-03-02",
        "2026-03-27",
        taxonomy,
    )
    assert weekly.weeks == [
        dt.date(2026, 3, 2),
        dt.date(2026, 3, 9),
        dt.date(2026, 3, 16),
        dt.date(2026, 3, 23),
    ]
    # week 1: 40 - 32; week 2: 40 - 32 - 3 days of 2 h; week 3: 40 - 10; week 4: 3 working days left
    np.testing.assert_allclose(weekly.free[0], [8, 2, 30, 24])
    np.testing.assert_allclose(weekly.capacity[0], [40, 40, 40, 24])


def test_part_weeks_are_pro_rated(taxonomy: SkillTaxonomy) -> None:
    _, weekly = _weekly({}, "2026-03-04", "2026-03-10", taxonomy)  # Wed .. next Tue
    np.testing.assert_allclose(weekly.free[0], [24, 16])
    need = weekly.need(30, dt.date(2026, 3, 4), dt.date(2026, 3, 10))
    np.testing.assert_allclose(need, [18, 12])


def test_shortfall_names_binding_week_and_free_date(taxonomy: SkillTaxonomy) -> None:
    start, end = dt.date(2026, 3, 2), dt.date(2026, 6, 26)
    index, weekly = _weekly(
        {
            "allocations": [
                {
                    "project_id": "P-3",
                    "start_date": "2026-01-05",
                    "end_date": "2026-04-03",
                    "hours_per_week": 40,
                }
            ]
        },
        start.isoformat(),
        end.isoformat(),
        taxonomy,
    )
    need = weekly.need(30, start, end)
    shortfall = explain_shortfalls(index, weekly, need, np.array([0]), hours_per_week=30)[0]
    assert shortfall is not None
    assert shortfall.week == dt.date(2026, 3, 2)
    assert shortfall.free_from == dt.date(2026, 4, 6)
    assert shortfall.reason.startswith("booked 40 h/week on P-3 until 2026-04-03")
    assert shortfall.change == "free from 2026-04-06"


def test_shortfall_when_contracted_hours_too_low(taxonomy: SkillTaxonomy) -> None:
    start, end = dt.date(2026, 3, 2), dt.date(2026, 3, 27)
    index, weekly = _weekly({"hours_per_week": 20}, start.isoformat(), end.isoformat(), taxonomy)
    need = weekly.need(30, start, end)
    shortfall = explain_shortfalls(index, weekly, need, np.array([0]), hours_per_week=30)[0]
    assert shortfall is not None and shortfall.free_from is None
    assert shortfall.cause == "works 20 h/week"


def test_no_shortfall_when_every_week_fits(taxonomy: SkillTaxonomy) -> None:
    start, end = dt.date(2026, 3, 2), dt.date(2026, 3, 27)
    index, weekly = _weekly({}, start.isoformat(), end.isoformat(), taxonomy)
    assert (
        explain_shortfalls(index, weekly, weekly.need(40, start, end), np.array([0]), hours_per_week=40)[0]
        is None
    )


@pytest.mark.parametrize("hours", [0, 10])
def test_zero_or_small_allocations(taxonomy: SkillTaxonomy, hours: float) -> None:
    _, weekly = _weekly(
        {
            "allocations": [
                {
                    "project_id": "P",
                    "start_date": "2026-03-02",
                    "end_date": "2026-03-06",
                    "hours_per_week": hours,
                }
            ]
        },
        "2026-03-02",
        "2026-03-06",
        taxonomy,
    )
    np.testing.assert_allclose(weekly.free[0], [40 - hours])


def test_shortfalls_of_many_people_at_once(taxonomy: SkillTaxonomy) -> None:
    start, end = dt.date(2026, 3, 2), dt.date(2026, 3, 27)
    people = [
        make_person("E-free"),
        make_person(
            "E-two",
            allocations=[
                {
                    "project_id": "P-a",
                    "start_date": "2026-03-02",
                    "end_date": "2026-03-06",
                    "hours_per_week": 20,
                },
                {
                    "project_id": "P-b",
                    "start_date": "2026-03-02",
                    "end_date": "2026-03-11",
                    "hours_per_week": 16,
                },
            ],
        ),
        make_person("E-leave", time_off=[{"start_date": "2026-03-25", "end_date": "2026-03-31"}]),
    ]
    index = PeopleIndex.build(people, taxonomy)
    weekly = weekly_capacity(index, start, end)
    need = weekly.need(30, start, end)
    free, two, leave = explain_shortfalls(index, weekly, need, np.arange(3), hours_per_week=30)
    assert free is None
    assert two is not None and two.cause == "booked 20 h/week on P-a until 2026-03-06 (and 1 more booking)"
    assert two.short_weeks == 1 and two.free_from == dt.date(2026, 3, 9)
    assert leave is not None and leave.cause == "time off 2026-03-25 to 2026-03-31"
    assert leave.free_from == dt.date(2026, 4, 1)
