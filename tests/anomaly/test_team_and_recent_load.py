"""A person's usual load follows a recent rise (a new deal, a trial, off the bench), and a
spell a whole team shares on one project (several people long on it at once) is the firm's
normal, not each person's anomaly; a lone person's long day still stands out."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pytest

from anomaly import TimeEntryAnomalyModel, read_time_entries
from anomaly.features import TIME_ENTRY_FEATURES, _team_medians, group_ids, learn_time_entry_history
from tests.anomaly.conftest import weekdays

START = dt.date(2025, 9, 1)  # a Monday
PEOPLE = ("P-1", "P-2", "P-3", "P-4", "P-5", "P-6")


HISTORY_DAYS = weekdays(START, 120)
BATCH_DAYS = weekdays(HISTORY_DAYS[-1] + dt.timedelta(days=3), 10)


def _row(n: int, person: str, day: dt.date, hours: float, project: str = "PRJ-1") -> dict[str, Any]:
    return {
        "entry_id": f"E-{n}",
        "person_id": person,
        "project_id": project,
        "client_id": "CL-1",
        "work_date": day.isoformat(),
        "hours": hours,
        "billable": True,
        "role": "Associate",
        "bill_rate": 300.0,
        "currency": "USD",
        "description": f"Draft document {n % 97}",
        "logged_at": f"{day.isoformat()}T18:00:00",
    }


def _history(day_hours: dict[str, float] | None = None, recent_from: int = 10**6) -> list[dict[str, Any]]:
    """Two entries a weekday per person, 7.5-8.5 h a day; from the ``recent_from``-th weekday on,
    a person in ``day_hours`` works that many hours a day instead."""
    rows: list[dict[str, Any]] = []
    for k, day in enumerate(HISTORY_DAYS):
        for p, person in enumerate(PEOPLE):
            total = 7.5 + (k + p) % 3 * 0.5
            if day_hours and person in day_hours and k >= recent_from:
                total = day_hours[person]
            rows.append(_row(len(rows), person, day, 3.0))
            rows.append(_row(len(rows), person, day, total - 3.0, project=f"PRJ-{2 + p % 2}"))
    return rows


@pytest.mark.parametrize(("hours", "follows_recent"), [(11.0, True), (5.0, False)])
def test_usual_day_follows_a_recent_rise_and_not_a_recent_fall(hours: float, follows_recent: bool) -> None:
    # The last 30 weekdays (six weeks) of P-1's history at another load.
    rows = _history({"P-1": hours}, recent_from=len(HISTORY_DAYS) - 30)
    history = learn_time_entry_history(read_time_entries(rows).frame, None)
    days: dict[str, float] = {}
    for r in rows:
        if r["person_id"] == "P-1":
            days[r["work_date"]] = days.get(r["work_date"], 0.0) + r["hours"]
    expected = hours if follows_recent else float(np.median(list(days.values())))
    assert history.med_day[history.persons.get_loc("P-1")] == pytest.approx(expected)
    assert history.med_day[history.persons.get_loc("P-3")] == pytest.approx(8.0)


def test_a_rise_too_short_to_be_a_habit_leaves_the_usual_day() -> None:
    frame = read_time_entries(_history({"P-1": 11.0}, recent_from=len(HISTORY_DAYS) - 8)).frame
    history = learn_time_entry_history(frame, None)
    assert history.med_day[history.persons.get_loc("P-1")] == pytest.approx(8.0)


def _batch(team: tuple[str, ...], lone: str) -> list[dict[str, Any]]:
    """Ten ordinary weekdays, except that ``team`` bills 12 h days on PRJ-TRIAL together and
    ``lone`` works a 12 h day on their own project on the same days."""
    rows: list[dict[str, Any]] = []
    for k, day in enumerate(BATCH_DAYS):
        for p, person in enumerate(PEOPLE):
            n = 900_000 + len(rows)
            if person in team:
                rows.append(_row(n, person, day, 12.0, project="PRJ-TRIAL"))
            elif person == lone:
                rows.append(_row(n, person, day, 12.0))
            else:
                rows.append(_row(n, person, day, 3.0))
                rows.append(_row(n + 1, person, day, 5.0 - (k + p) % 2 * 0.5, project=f"PRJ-{2 + p % 2}"))
    return rows


def _day_excess(model: TimeEntryAnomalyModel, batch: list[dict[str, Any]]) -> dict[str, float]:
    frame = read_time_entries(batch).frame
    column = model.features(frame).matrix[:, TIME_ENTRY_FEATURES.index("day_vs_person")]
    return {person: float(np.max(column[(frame["person_id"] == person).to_numpy()])) for person in PEOPLE}


def test_a_long_spell_the_team_shares_is_lowered_and_a_lone_long_day_is_not() -> None:
    model = TimeEntryAnomalyModel(n_estimators=30, random_state=0).fit(_history())
    excess = _day_excess(model, _batch(team=("P-1", "P-2", "P-3"), lone="P-4"))
    assert excess["P-4"] > 0.5  # log2(12 / 8)
    learned = model.history_.team_spell_usual[1]
    assert all(excess[p] <= max(learned, 0.0) + 1e-9 for p in ("P-1", "P-2", "P-3"))
    # A model fitted before the team spells existed lowers nothing: the same day as the lone one.
    model.history_.team_spell_usual = np.zeros(0)
    raw = _day_excess(model, _batch(team=("P-1", "P-2", "P-3"), lone="P-4"))
    assert raw["P-1"] == pytest.approx(raw["P-4"])


def test_two_people_long_together_are_no_team_spell() -> None:
    model = TimeEntryAnomalyModel(n_estimators=30, random_state=0).fit(_history())
    excess = _day_excess(model, _batch(team=("P-1", "P-2"), lone="P-4"))
    assert excess["P-1"] == pytest.approx(excess["P-4"])


@pytest.mark.parametrize("above", [None, 0.0, 0.5, 1.0])
def test_team_medians_equal_a_per_spell_reference(above: float | None) -> None:
    rng = np.random.default_rng(7)
    person = rng.integers(0, 40, 3000)
    spell = rng.integers(0, 60, 3000)
    values = rng.exponential(0.5, 3000)
    got = _team_medians(values, spell, group_ids(spell, person), above=above)
    for s in range(60):
        rows = spell == s
        best: dict[int, float] = {}
        for p, v in zip(person[rows], values[rows], strict=True):
            best[p] = max(best.get(p, -np.inf), v)
        median = float(np.median(list(best.values()))) if len(best) >= 3 else np.nan
        if above is not None and not median > above:
            assert np.isnan(got[s]) or got[s] == pytest.approx(median)
        else:
            assert got[s] == pytest.approx(median, nan_ok=True)
