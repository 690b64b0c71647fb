from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from staffing_recs import PeopleIndex, SkillTaxonomy, assign_team
from staffing_recs.recommender import evaluate_request
from staffing_recs.team import build_problem, solve_exhaustively, solve_milp, team_score

from .conftest import make_person, make_request


def _load_ok(result, people, requests) -> None:
    """No one over their free hours in any week of the team's window."""
    by_request = {r.request_id: r for r in requests}
    index = PeopleIndex.build(people, SkillTaxonomy.default())
    evaluations = [evaluate_request(r, index) for r in requests]
    problem = build_problem(evaluations, index, prune=False)
    rows = {p.person_id: i for i, p in enumerate(people)}
    order = [r.request_id for r in requests]
    load: dict[int, np.ndarray] = {}
    for assignment in result.assignments:
        row = rows[assignment.person_id]
        need = problem.need[order.index(assignment.request_id)]
        load[row] = load.get(row, 0) + need
        assert by_request[assignment.request_id]
    for row, hours in load.items():
        assert np.all(hours <= problem.free[row] + 1e-6)


def test_person_can_take_two_part_time_roles() -> None:
    people = [make_person("E-1")]
    requests = [make_request("R-a", hours_per_week=20), make_request("R-b", hours_per_week=20)]
    result = assign_team(requests, people)
    assert {(a.request_id, a.person_id) for a in result.assignments} == {("R-a", "E-1"), ("R-b", "E-1")}
    assert result.unfilled == []


def test_no_one_over_capacity_and_role_left_unfilled_with_reason() -> None:
    people = [make_person("E-1")]
    requests = [make_request("R-a", hours_per_week=30), make_request("R-b", hours_per_week=20)]
    result = assign_team(requests, people)
    assert len(result.assignments) == 1
    _load_ok(result, people, requests)
    assert result.unfilled[0].reasons[0] == "all 1 eligible people are needed for other roles"
    assert "E-1 is assigned to" in result.unfilled[0].reasons[1]


def test_joint_assignment_beats_greedy() -> None:
    # E-star is best for both roles but can take only one; the optimum is not a greedy pick.
    star = make_person(
        "E-star",
        skills=[
            {"name": "Salesforce", "level": 5},
            {"name": "Apex", "level": 5},
            {"name": "Java", "level": 5},
        ],
        cost_rate=60,
    )
    java = make_person("E-java", skills=[{"name": "Java", "level": 3}], cost_rate=60)
    sf = make_person("E-sf", skills=[{"name": "Salesforce", "level": 3}], cost_rate=110)
    requests = [
        make_request("R-sf", hours_per_week=30),
        make_request("R-java", hours_per_week=30, skills=[{"name": "Java", "min_level": 3}]),
    ]
    result = assign_team(requests, [star, java, sf])
    assert len(result.assignments) == 2
    index = PeopleIndex.build([star, java, sf], SkillTaxonomy.default())
    problem = build_problem([evaluate_request(r, index) for r in requests], index, prune=False)
    _, optimum = solve_exhaustively(problem)
    assert result.total_score == pytest.approx(optimum, abs=1e-4)


def test_unfilled_when_nobody_eligible_and_fallbacks_listed() -> None:
    people = [make_person(f"E-{i}", cost_rate=80 + i) for i in range(4)]
    requests = [make_request("R-sf"), make_request("R-sap", skills=[{"name": "SAP FI/CO", "min_level": 3}])]
    result = assign_team(requests, people)
    assert [u.request_id for u in result.unfilled] == ["R-sap"]
    assert result.unfilled[0].reasons[0] == "nobody of 4 is eligible"
    assert any(f.rule == "staffing.no_eligible" and f.request_id == "R-sap" for f in result.flags)
    fallback = next(f for f in result.fallbacks if f.request_id == "R-sf")
    assigned = next(a.person_id for a in result.assignments if a.request_id == "R-sf")
    assert len(fallback.person_ids) == 3 and assigned not in fallback.person_ids


_SKILLS = ["Salesforce", "Apex", "Java"]


@st.composite
def _team_case(draw: st.DrawFn):
    n_people = draw(st.integers(1, 5))
    people = []
    for i in range(n_people):
        skills = [{"name": s, "level": draw(st.integers(1, 5))} for s in _SKILLS if draw(st.booleans())]
        allocations = []
        if draw(st.booleans()):
            week = draw(st.integers(0, 3))
            start = dt.date(2026, 3, 2) + dt.timedelta(weeks=week)
            allocations.append(
                {
                    "project_id": "P-x",
                    "start_date": start.isoformat(),
                    "end_date": (start + dt.timedelta(days=11)).isoformat(),
                    "hours_per_week": draw(st.sampled_from([10, 20, 30])),
                }
            )
        people.append(
            make_person(
                f"E-{i}",
                skills=skills,
                allocations=allocations,
                cost_rate=draw(st.integers(50, 180)),
                client_history=draw(st.sampled_from([[], ["C-1"]])),
            )
        )
    requests = []
    for j in range(draw(st.integers(1, 4))):
        skill = draw(st.sampled_from(_SKILLS))
        week = draw(st.integers(0, 2))
        start = dt.date(2026, 3, 2) + dt.timedelta(weeks=week)
        requests.append(
            make_request(
                f"R-{j}",
                hours_per_week=draw(st.sampled_from([10, 20, 30])),
                start_date=start.isoformat(),
                end_date=(start + dt.timedelta(days=draw(st.sampled_from([4, 11, 18])))).isoformat(),
                skills=[{"name": skill, "min_level": draw(st.integers(1, 3))}],
            )
        )
    return people, requests


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_team_case())
def test_team_assignment_is_optimal_against_brute_force(case) -> None:
    people, requests = case
    index = PeopleIndex.build(people, SkillTaxonomy.default())
    evaluations = [evaluate_request(r, index) for r in requests]
    full = build_problem(evaluations, index, prune=False)
    _, optimum = solve_exhaustively(full)
    chosen = solve_milp(build_problem(evaluations, index))
    assert abs(team_score(full, chosen) - optimum) < 1e-6
    result = assign_team(requests, people)
    _load_ok(result, people, requests)
    assert abs(result.total_score - optimum) < 1e-3


def test_team_margin_flag_names_the_assigned_person() -> None:
    result = assign_team([make_request("R-a", bill_rate=200)], [make_person("E-1", cost_rate=150)])
    flag = next(f for f in result.flags if f.rule == "margin.below_policy")
    assert flag.message.startswith("assigned candidate E-1 gives 25% margin") and flag.request_id == "R-a"
