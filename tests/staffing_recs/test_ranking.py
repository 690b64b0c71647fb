from __future__ import annotations

import pytest

from staffing_recs import DEFAULT_WEIGHTS, FACTORS, recommend

from .conftest import make_person, make_request

BOOKED_HALF = [
    {"project_id": "P-1", "start_date": "2026-03-02", "end_date": "2026-03-27", "hours_per_week": 10}
]


def test_breakdown_and_explanation_of_the_contract_example() -> None:
    person = make_person("E-7", cost_rate=95, client_history=["C-1"])
    result = recommend(make_request(bill_rate=210), [person])
    candidate = result.candidates[0]
    assert candidate.margin == pytest.approx((210 - 95) / 210, abs=1e-4)
    assert candidate.breakdown.availability == 1.0
    assert candidate.breakdown.continuity == 1.0
    assert candidate.explanation.startswith("Salesforce 4/3, Apex 3/2; free for the whole period")
    assert "worked for this client" in candidate.explanation
    assert candidate.available_hours_per_week == 40
    expected = sum(DEFAULT_WEIGHTS[f] * getattr(candidate.breakdown, f) for f in FACTORS) / sum(
        DEFAULT_WEIGHTS.values()
    )
    assert candidate.score == pytest.approx(expected, abs=1e-3)


@pytest.mark.parametrize(
    ("better", "worse"),
    [
        ({"skills": [{"name": "Salesforce", "level": 5}, {"name": "Apex", "level": 4}]}, {}),
        ({}, {"allocations": BOOKED_HALF}),
        ({"cost_rate": 60}, {"cost_rate": 150}),
        ({"client_history": ["C-1"]}, {}),
        ({"timezone": "America/New_York"}, {"timezone": "America/Denver"}),
    ],
)
def test_each_factor_orders_candidates(better: dict, worse: dict) -> None:
    result = recommend(make_request(), [make_person("E-worse", **worse), make_person("E-better", **better)])
    assert [c.person_id for c in result.candidates] == ["E-better", "E-worse"]
    assert [c.rank for c in result.candidates] == [1, 2]


def test_bench_ranks_above_busy_by_utilization() -> None:
    result = recommend(
        make_request(), [make_person("E-busy", allocations=BOOKED_HALF), make_person("E-bench")]
    )
    by_id = {c.person_id: c for c in result.candidates}
    assert by_id["E-bench"].breakdown.utilization == 1.0
    assert by_id["E-busy"].breakdown.utilization < 1.0
    assert "on the bench" in by_id["E-bench"].explanation
    assert "h/week free at the tightest" in by_id["E-busy"].explanation


def test_model_weights_change_the_order() -> None:
    cheap = make_person("E-cheap", cost_rate=40, skills=[{"name": "Salesforce", "level": 3}])
    expert = make_person(
        "E-expert", cost_rate=150, skills=[{"name": "Salesforce", "level": 5}, {"name": "Apex", "level": 5}]
    )
    skills_first = recommend(make_request(), [cheap, expert], model={"skills": 1.0})
    margin_first = recommend(make_request(), [cheap, expert], model={"margin": 1.0})
    assert skills_first.candidates[0].person_id == "E-expert"
    assert margin_first.candidates[0].person_id == "E-cheap"
    assert margin_first.model_version == "custom"


def test_top_limits_candidates_and_scores_stay_in_range() -> None:
    people = [make_person(f"E-{i}", cost_rate=50 + 10 * i) for i in range(8)]
    result = recommend(make_request(), people, top=3)
    assert len(result.candidates) == 3
    assert all(0 <= c.score <= 1 for c in result.candidates)
    scores = [c.score for c in result.candidates]
    assert scores == sorted(scores, reverse=True)


def test_currency_conversion_with_rate_table_and_flag_without() -> None:
    euro = make_person("E-eur", currency="EUR", cost_rate=100)
    converted = recommend(make_request(bill_rate=200), [euro], fx_rates={"USD": 1.0, "EUR": 1.1})
    assert converted.candidates[0].margin == pytest.approx(1 - 110 / 200, abs=1e-4)
    assert not any(f.rule == "margin.unconverted_currency" for f in converted.flags)
    unconverted = recommend(make_request(bill_rate=200), [euro])
    assert unconverted.candidates[0].margin is None
    assert unconverted.candidates[0].breakdown.margin == pytest.approx(0.5)
    assert any(f.rule == "margin.unconverted_currency" for f in unconverted.flags)
