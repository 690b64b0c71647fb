from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from anomaly import ScoringContext, project_burn, read_context, read_time_entries
from anomaly.burn import learn_burn_history
from tests.anomaly.conftest import entry


def _context(
    cap: float, *, start: str = "2026-01-05", end: str = "2026-03-29", cost_rate: float = 60.0
) -> ScoringContext:
    return read_context(
        {
            "projects": [
                {
                    "project_id": "P-1",
                    "client_id": "C-1",
                    "currency": "USD",
                    "start_date": start,
                    "end_date": end,
                    "not_to_exceed": cap,
                }
            ],
            "people": [{"person_id": "E-1", "role": "Consultant", "cost_rate": cost_rate}],
        }
    )


def _days(first: dt.date, n: int, **overrides: object) -> pd.DataFrame:
    rows = [
        entry(k, "E-1", first + dt.timedelta(days=k), hours=8.0, bill_rate=100.0, **overrides)
        for k in range(n)
    ]
    return read_time_entries(rows).frame


def test_burn_forecasts_the_day_the_cap_is_reached() -> None:
    frame = _days(dt.date(2026, 1, 5), 28)  # 28 days x 800 = 22,400 billed
    burn = project_burn(frame, history=None, context=_context(30_000))[0]
    assert burn.billed_to_date == pytest.approx(22_400)
    assert burn.daily_burn_rate == pytest.approx(800)
    # 7,600 left at 800 a day: 10 more days after the last day (2026-02-01)
    assert burn.forecast_cap_date == dt.date(2026, 2, 11)
    assert burn.burn_fraction == pytest.approx(22_400 / 30_000)
    assert {f.rule for f in burn.flags} == {"burn_ahead_of_schedule", "cap_before_end"}
    assert burn.flagged and burn.route == "delivery" and burn.severity == "medium"


def test_burn_within_plan_is_not_flagged() -> None:
    frame = _days(dt.date(2026, 1, 5), 28)
    burn = project_burn(frame, history=None, context=_context(200_000))[0]
    assert burn.forecast_cap_date is not None and burn.forecast_cap_date > dt.date(2026, 3, 29)
    assert not burn.flagged and burn.route is None


def test_burn_over_the_cap_is_high_severity() -> None:
    burn = project_burn(_days(dt.date(2026, 1, 5), 28), history=None, context=_context(10_000))[0]
    assert next(f.rule for f in burn.flags) == "over_not_to_exceed"
    assert burn.severity == "high"


def test_margin_erosion_from_cost_rates() -> None:
    early = _days(dt.date(2026, 1, 5), 40)
    late = read_time_entries(
        [
            entry(100 + k, "E-1", dt.date(2026, 2, 14) + dt.timedelta(days=k), hours=8.0, bill_rate=70.0)
            for k in range(28)
        ]
    ).frame
    burn = project_burn(
        pd.concat([early, late], ignore_index=True), history=None, context=_context(1e7, end="2026-12-31")
    )[0]
    assert burn.margin_to_date is not None and burn.margin_recent is not None
    assert burn.margin_recent == pytest.approx(1 - 60 / 70)
    assert "margin_erosion" in {f.rule for f in burn.flags}


def test_history_is_not_counted_twice() -> None:
    frame = _days(dt.date(2026, 1, 5), 28)
    context = _context(30_000)
    history = learn_burn_history(frame, context)
    again = project_burn(frame, history=history, context=context)[0]
    assert again.billed_to_date == pytest.approx(22_400)
    later = _days(dt.date(2026, 2, 2), 2)
    assert project_burn(later, history=history, context=context)[0].billed_to_date == pytest.approx(24_000)


def test_burn_with_the_batch_factorizations_is_the_same() -> None:
    from anomaly.features import Factorized

    context = read_context(
        {
            "projects": [
                {
                    "project_id": p,
                    "not_to_exceed": 30_000,
                    "end_date": "2026-03-29",
                    "start_date": "2026-01-05",
                }
                for p in ("P-2", "P-1")
            ],
            "people": [{"person_id": "E-1", "cost_rate": 60.0}, {"person_id": "E-2", "cost_rate": 80.0}],
        }
    )
    first = dt.date(2026, 1, 5)
    rows = [
        {
            **entry(k, ("E-2", "E-1", "E-3")[k % 3], first + dt.timedelta(days=k // 2), hours=7.0),
            "project_id": p,
        }
        for k in range(60)
        for p in (("P-2",) if k % 4 else ("P-1",))
    ]
    frame = read_time_entries(rows).frame
    factors = {column: Factorized(frame[column]) for column in ("person_id", "project_id")}
    plain = project_burn(frame, history=None, context=context)
    assert [b.project_id for b in plain] == ["P-2", "P-1"] and plain[0].cost_to_date
    assert project_burn(frame, history=None, context=context, factors=factors) == plain
    # Factorizations of another batch (a different length) are not used.
    other = {column: Factorized(frame[column][:10]) for column in ("person_id", "project_id")}
    assert project_burn(frame, history=None, context=context, factors=other) == plain


@pytest.mark.parametrize("as_of", [None, dt.date(2026, 2, 20), dt.date(2026, 1, 20), dt.date(2025, 12, 1)])
def test_burn_from_history_and_batch_equals_burn_of_the_entries_counted_once(as_of: dt.date | None) -> None:
    # Projects the history knows, one it does not (P-3), one it knows that the batch lacks (P-1),
    # people with and without a cost rate; the batch re-sends the history's last weeks.
    context = read_context(
        {
            "projects": [
                {"project_id": "P-1", "not_to_exceed": 9_000, "start_date": "2026-01-05"},
                {"project_id": "P-2", "not_to_exceed": 40_000, "end_date": "2026-04-30"},
                {"project_id": "P-3", "end_date": "2026-03-01", "start_date": "2026-01-19"},
                {"project_id": "P-4", "not_to_exceed": 1_000},
            ],
            "people": [{"person_id": "E-1", "cost_rate": 55.0}, {"person_id": "E-2", "cost_rate": 90.5}],
        }
    )
    first = dt.date(2026, 1, 5)

    def rows(days: range, project: str, person: str, hours: float, rate: float) -> list[dict[str, object]]:
        return [
            {
                **entry(1000 * len(project) + k, person, first + dt.timedelta(days=k), hours=hours),
                "project_id": project,
                "bill_rate": rate,
                "entry_id": f"{project}-{person}-{k}",
            }
            for k in days
        ]

    past = read_time_entries(
        rows(range(0, 30), "P-1", "E-1", 7.5, 120.0) + rows(range(0, 35, 2), "P-2", "E-2", 6.25, 133.3)
    ).frame
    batch = read_time_entries(
        rows(range(20, 50), "P-2", "E-2", 6.25, 133.3)
        + rows(range(14, 60, 3), "P-3", "E-3", 8.0, 99.99)
        + rows(range(25, 40), "P-3", "E-1", 3.3, 101.0)
    ).frame
    history = learn_burn_history(past, context)
    got = project_burn(batch, history=history, context=context, as_of=as_of)
    last_day = past.groupby("project_id")["work_date"].max()
    fresh = batch["work_date"] > batch["project_id"].map(last_day).fillna(pd.Timestamp.min)
    once = pd.concat([past, batch[fresh]], ignore_index=True)
    expected = project_burn(once, history=None, context=context, as_of=as_of)
    assert [b.model_dump() for b in got] == [b.model_dump() for b in expected]
    if as_of is None or as_of > first:
        assert {b.project_id for b in got} == {"P-1", "P-2", "P-3"}
    else:
        assert got == []
