"""The array-built exclusion reasons give exactly the output of the per-person explanation.

``recommend`` writes reasons with ``exclusion_reasons`` (texts formatted once per distinct
value, lists gathered column by column) and fixes only for the nearest misses; the
reference is ``explain_exclusions``, which writes every person's reasons and fixes one at a
time. The whole recommendation JSON must match byte for byte.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pytest

from staffing_recs import PeopleIndex, Person, RoleRequest, SkillTaxonomy, assign_team, recommend
from staffing_recs.capacity import explain_shortfalls, shortfall_reasons
from staffing_recs.constraints import exclusion_reasons, explain_exclusions, join_reason_columns
from staffing_recs.flags import nearest_misses
from staffing_recs.recommender import evaluate_request, request_flags
from staffing_recs.schemas import Exclusion
from training.staffing_generator import generate_people, generate_request

ZONES = ["UTC+05:30", "Asia/Kolkata", "Australia/Sydney", "Europe/London", "EST", "not a zone", None]
LOCATIONS = ["Remote", "", "Pune, IN", "London, UK", "Toronto, CA", "Austin, TX", "Somewhere, ZZ"]
CLEARANCES = [["TS/SCI"], ["SC"], ["DV"], ["Public Trust"], ["secret"]]


def _varied_people(n: int, taxonomy: SkillTaxonomy) -> list[Person]:
    """Generated people, a share of them bent towards every kind of reason text: fractional hours,
    bookings without a project, several overlapping bookings, no country, odd zones, clearances."""
    rng = np.random.default_rng(11)
    people = generate_people(n, rng=rng, taxonomy=taxonomy)
    varied: list[Person] = []
    for person in people:
        data: dict[str, Any] = person.model_dump(mode="json")
        roll = rng.random(6)
        if roll[0] < 0.15:
            data["hours_per_week"] = float(rng.choice([37.5, 22.5, 16, 30.4]))
        if roll[1] < 0.2:
            start = dt.date(2026, 1, 5) + dt.timedelta(days=int(rng.integers(0, 200)))
            for hours in rng.choice([12.5, 7.3, 20, 40], size=int(rng.integers(1, 4))).tolist():
                data["allocations"].append(
                    {
                        "project_id": "" if rng.random() < 0.5 else f"P-{int(rng.integers(1, 5))}",
                        "start_date": start.isoformat(),
                        "end_date": (start + dt.timedelta(days=int(rng.integers(3, 60)))).isoformat(),
                        "hours_per_week": hours,
                    }
                )
        if roll[2] < 0.15:
            data["location"] = str(rng.choice(LOCATIONS))
        if roll[3] < 0.15:
            data["timezone"] = ZONES[int(rng.integers(0, len(ZONES)))]
        if roll[4] < 0.15:
            data["clearances"] = CLEARANCES[int(rng.integers(0, len(CLEARANCES)))]
        if roll[5] < 0.1:
            start = dt.date(2026, 1, 5) + dt.timedelta(days=int(rng.integers(0, 200)))
            data["time_off"].append(
                {"start_date": start.isoformat(), "end_date": (start + dt.timedelta(days=20)).isoformat()}
            )
        varied.append(Person.model_validate(data))
    return varied


def _requests() -> list[RoleRequest]:
    rng = np.random.default_rng(5)
    requests: list[RoleRequest] = []
    variants: list[dict[str, Any]] = [
        {},
        {"clearance": "Secret"},
        {"clearance": "top secret", "hours_per_week": 7.5},
        {"location": {"countries": ["US"], "timezone": "America/New_York", "max_timezone_offset_hours": 0}},
        {
            "location": {
                "countries": ["GB", "IN"],
                "timezone": "Europe/London",
                "max_timezone_offset_hours": 5.5,
            }
        },
        {
            "location": {
                "countries": ["Narnia", "IN"],
                "timezone": "Asia/Kolkata",
                "max_timezone_offset_hours": 2,
            }
        },
        {"hours_per_week": 38.5, "start_date": "2026-03-04", "end_date": "2026-05-13"},
        # Nobody can work 60 h: the no-eligible flag names the nearest misses and their fixes.
        {"hours_per_week": 60, "clearance": "DV"},
    ]
    for number, variant in enumerate(variants):
        base = generate_request(rng, request_id=f"R-{number}").model_dump(mode="json")
        requests.append(RoleRequest.model_validate({**base, **variant}))
    return requests


@pytest.fixture(scope="module")
def index(taxonomy: SkillTaxonomy) -> PeopleIndex:
    return PeopleIndex.build(_varied_people(3000, taxonomy), taxonomy)


def _reference_json(request: RoleRequest, index: PeopleIndex) -> str:
    """The recommendation as written before reasons were built from arrays: every excluded
    person explained one at a time, nearest misses sorted from all of them."""
    result = recommend(request, index, top=10)
    evaluation = evaluate_request(request, index)
    details = explain_exclusions(
        np.flatnonzero(evaluation.hard.excluded),
        request,
        index,
        evaluation.requirements,
        evaluation.skills,
        evaluation.capacity,
        evaluation.need,
        evaluation.hard,
    )
    reference = result.model_copy(
        update={
            "excluded": [Exclusion(person_id=index.person_ids[d.row], reasons=d.reasons) for d in details],
            "flags": request_flags(evaluation, result.candidates, details),
        }
    )
    return reference.model_dump_json()


@pytest.mark.parametrize("number", range(8))
def test_fast_reasons_give_byte_identical_json(index: PeopleIndex, number: int) -> None:
    request = _requests()[number]
    fast = recommend(request, index, top=10)
    assert fast.model_dump_json() == _reference_json(request, index)


def test_the_requests_cover_every_kind_of_reason(index: PeopleIndex) -> None:
    texts = " | ".join(
        reason for request in _requests() for e in recommend(request, index).excluded for reason in e.reasons
    )
    flags = [f.rule for request in _requests() for f in recommend(request, index).flags]
    for fragment in [
        " of ",  # a skill held below the minimum
        "a close skill",
        "(2 required)",
        "booked ",
        "on another project",
        "more booking",
        "time off ",
        "works 22.5 h/week",
        "weeks short",
        "; free from ",
        "based in ",
        "names no country",
        "time zone ",
        "clearance",
    ]:
        assert fragment in texts, fragment
    assert "staffing.no_eligible" in flags


def test_join_reason_columns_keeps_column_order_per_person() -> None:
    first = np.array(["a0", None, "a2"], dtype=object)
    second = np.array([None, "b1", "b2"], dtype=object)
    masks = [np.array([True, False, True]), np.array([False, True, True])]
    assert join_reason_columns([first, second], masks) == [["a0"], ["b1"], ["a2", "b2"]]


def test_exclusion_reasons_of_nobody_is_empty(index: PeopleIndex) -> None:
    request = _requests()[0]
    evaluation = evaluate_request(request, index)
    empty = np.arange(0)
    assert (
        exclusion_reasons(
            empty,
            request,
            index,
            evaluation.requirements,
            evaluation.skills,
            evaluation.capacity,
            evaluation.need,
            evaluation.hard,
        )
        == []
    )


def test_unfilled_team_role_names_the_same_nearest_misses(index: PeopleIndex) -> None:
    request = _requests()[7]
    evaluation = evaluate_request(request, index)
    assert len(evaluation.eligible) == 0
    details = explain_exclusions(
        np.flatnonzero(evaluation.hard.excluded),
        request,
        index,
        evaluation.requirements,
        evaluation.skills,
        evaluation.capacity,
        evaluation.need,
        evaluation.hard,
    )
    expected = [f"{m.person_id}: {', '.join(m.changes)}" for m in nearest_misses(details, index.person_ids)]
    team = assign_team([request], index)
    assert team.unfilled[0].reasons == [f"nobody of {len(index)} is eligible", *expected]


def test_shortfall_reasons_match_the_shortfall_objects(index: PeopleIndex) -> None:
    for request in _requests():
        evaluation = evaluate_request(request, index)
        short = np.flatnonzero(evaluation.hard.capacity_short)
        arguments = (index, evaluation.capacity, evaluation.need, short)
        objects = explain_shortfalls(*arguments, hours_per_week=request.hours_per_week)
        texts = shortfall_reasons(*arguments, hours_per_week=request.hours_per_week).tolist()
        assert texts == [None if s is None else s.reason for s in objects]
        assert len(texts) == len(short) and all(texts)
