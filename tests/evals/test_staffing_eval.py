from __future__ import annotations

import datetime as dt

import pytest

from evals.registry import get_eval_suite
from evals.staffing import independent_violations, ndcg_at_k
from evals.suite import EvalContext
from staffing_recs import Person, RoleRequest, SkillTaxonomy


def test_staffing_suite_quick_meets_its_invariants() -> None:
    suite = get_eval_suite("staffing")
    result = suite.run(None, EvalContext(seed=42, quick=True))
    assert result.metrics["hard_constraint_violations"] == 0
    assert result.metrics["team_optimality_gap"] == 0
    assert result.metrics["ndcg_at_5"] > 0.8
    assert result.metrics["decoys_excluded"] == 1.0
    assert set(result.headline) == {
        "ndcg_at_5",
        "hard_constraint_violations",
        "flag_f1",
        "team_optimality_gap",
    }


def test_staffing_suite_scores_a_bad_model_lower() -> None:
    suite = get_eval_suite("staffing")
    perverse = {"timezone": 1.0}  # ignores skills, margin and continuity
    good = suite.run(None, EvalContext(seed=1, quick=True)).metrics["ndcg_at_5"]
    bad = suite.run(perverse, EvalContext(seed=1, quick=True)).metrics["ndcg_at_5"]
    assert bad < good


@pytest.mark.parametrize(
    ("ranked", "expected"),
    [([3, 3, 1], 1.0), ([0, 3, 3], None)],
)
def test_ndcg(ranked: list[float], expected: float | None) -> None:
    value = ndcg_at_k(ranked, [3, 3, 1], k=5)
    if expected is None:
        assert 0 < value < 1
    else:
        assert value == pytest.approx(expected)


def test_independent_checker_finds_capacity_and_skill() -> None:
    request = RoleRequest.model_validate(
        {
            "request_id": "R",
            "start_date": "2026-03-02",
            "end_date": "2026-03-13",
            "hours_per_week": 30,
            "skills": [{"name": "SFDC", "min_level": 3}],
        }
    )
    person = Person.model_validate(
        {
            "person_id": "E",
            "skills": [{"name": "Salesforce", "level": 2}],
            "allocations": [
                {
                    "start_date": dt.date(2026, 3, 9).isoformat(),
                    "end_date": "2026-03-13",
                    "hours_per_week": 20,
                }
            ],
        }
    )
    assert independent_violations(person, request, SkillTaxonomy.default()) == ["skill", "capacity"]
