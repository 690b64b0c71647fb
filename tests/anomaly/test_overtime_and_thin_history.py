"""An overtime category billed the way the firm bills it is nobody's anomaly, straight hours
booked at it are (``overtime_on_short_day``); and a person with a handful of history days is
compared with the firm, as someone unseen is."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pytest

from anomaly import TimeEntryAnomalyModel, read_context, read_time_entries, score_time_entries
from tests.anomaly.conftest import weekdays

START = dt.date(2025, 9, 1)  # a Monday
CREW = ("T-1", "T-2", "T-3", "T-4")
OFFICE = ("O-1", "O-2", "O-3", "O-4")
OT = "Technician OT"


def _row(n: int, person: str, day: dt.date, hours: float, text: str, **changes: Any) -> dict[str, Any]:
    row = {
        "entry_id": f"E-{n}",
        "person_id": person,
        "project_id": "SITE-1",
        "client_id": "CL-1",
        "work_date": day.isoformat(),
        "hours": hours,
        "billable": True,
        "role": "Technician" if person.startswith("T") else "Engineer",
        "bill_rate": 100.0 if person.startswith("T") else 150.0,
        "currency": "USD",
        "description": text,
        "logged_at": f"{day.isoformat()}T17:30:00",
    }
    row.update(changes)
    return row


def _ot(n: int, person: str, day: dt.date, hours: float) -> dict[str, Any]:
    return _row(n, person, day, hours, f"Field sampling {day:%m/%d} (OT)", role=OT, bill_rate=150.0)


def _history(*, short_day_ot: bool = False) -> list[dict[str, Any]]:
    """100 weekdays: the office logs 8 h days; the crew 8 h days, and on every third day a field
    day of 8 h straight plus 2-3 h at the overtime category. ``short_day_ot``: a firm whose
    overtime also falls on ordinary days (overtime by the week)."""
    rows: list[dict[str, Any]] = []
    for k, day in enumerate(weekdays(START, 100)):
        for p, person in enumerate(OFFICE):
            rows.append(_row(len(rows), person, day, 4.0 + p % 2, f"Report section {k}"))
            rows.append(_row(len(rows), person, day, 4.0 - p % 2, f"Data review {k}"))
        for p, person in enumerate(CREW):
            if (k + p) % 3 == 0:
                rows.append(_row(len(rows), person, day, 8.0, f"Field sampling {day:%m/%d}"))
                rows.append(_ot(len(rows), person, day, 2.0 + 0.5 * (k % 3)))
            elif short_day_ot and (k + p) % 3 == 1:
                rows.append(_row(len(rows), person, day, 5.0, f"Field sampling {day:%m/%d}"))
                rows.append(_ot(len(rows), person, day, 3.0))
            else:
                rows.append(_row(len(rows), person, day, 8.0, f"Shop and equipment {k}"))
    return rows


CONTEXT = read_context(
    {
        "people": [{"person_id": p, "role": "Technician"} for p in CREW]
        + [{"person_id": p, "role": "Engineer"} for p in OFFICE]
    }
)
BATCH_DAYS = weekdays(START + dt.timedelta(days=142), 10)


def _batch() -> list[dict[str, Any]]:
    """Ordinary days: a field day with overtime, a straight shop day."""
    rows: list[dict[str, Any]] = []
    for k, day in enumerate(BATCH_DAYS):
        for person in OFFICE:
            rows.append(_row(90_000 + len(rows), person, day, 8.0, f"Report section {k}"))
        for p, person in enumerate(CREW):
            rows.append(_row(90_000 + len(rows), person, day, 8.0, f"Field sampling {day:%m/%d}"))
            if (k + p) % 2 == 0:
                rows.append(_ot(90_000 + len(rows), person, day, 2.5))
    return rows


def _rules(model: TimeEntryAnomalyModel, batch: list[dict[str, Any]]) -> dict[str, set[str]]:
    result = score_time_entries(batch, model=model, context=CONTEXT)
    assert not result.rejected
    return {r.id: {c.rule for c in r.controls} for r in result.results}


@pytest.fixture(scope="module")
def model() -> TimeEntryAnomalyModel:
    return TimeEntryAnomalyModel(n_estimators=50, random_state=0).fit(_history(), context=CONTEXT)


def test_the_overtime_category_is_learned_with_its_shortest_day(model: TimeEntryAnomalyModel) -> None:
    # Only the overtime category is billed on long days alone; its shortest day is 10 h.
    assert model.history_.habits.overtime_roles == {OT.lower(): pytest.approx(10.0)}


def test_overtime_on_a_long_day_is_neither_another_role_nor_a_short_day(model: TimeEntryAnomalyModel) -> None:
    rules = _rules(model, _batch())
    fired = set().union(*rules.values())
    assert not fired & {"overtime_on_short_day", "billed_as_other_role"}


def test_overtime_on_an_ordinary_working_day_is_flagged(model: TimeEntryAnomalyModel) -> None:
    day = BATCH_DAYS[3]
    batch = [r for r in _batch() if not (r["person_id"] == "T-2" and r["work_date"] == day.isoformat())]
    # A 7 h day: five hours straight and two booked at the overtime category.
    batch.append(_row(1, "T-2", day, 5.0, f"Field sampling {day:%m/%d}"))
    batch.append(_ot(2, "T-2", day, 2.0))
    rules = _rules(model, batch)
    assert {i for i, r in rules.items() if "overtime_on_short_day" in r} == {"E-2"}


def test_overtime_on_a_weekend_day_is_left_alone(model: TimeEntryAnomalyModel) -> None:
    saturday = BATCH_DAYS[0] + dt.timedelta(days=5 - BATCH_DAYS[0].weekday())
    batch = [*_batch(), _ot(3, "T-1", saturday, 4.0)]
    assert "overtime_on_short_day" not in _rules(model, batch)["E-3"]


def test_a_firm_whose_overtime_falls_on_ordinary_days_has_no_overtime_category() -> None:
    model = TimeEntryAnomalyModel(n_estimators=50, random_state=0).fit(
        _history(short_day_ot=True), context=CONTEXT
    )
    assert model.history_.habits.overtime_roles == {}
    day = BATCH_DAYS[3]
    batch = [r for r in _batch() if not (r["person_id"] == "T-3" and r["work_date"] == day.isoformat())]
    batch.append(_row(4, "T-3", day, 5.0, f"Field sampling {day:%m/%d}"))
    batch.append(_ot(5, "T-3", day, 2.0))
    fired = set().union(*_rules(model, batch).values())
    assert "overtime_on_short_day" not in fired


def test_a_person_with_a_handful_of_history_days_is_read_as_unseen(model: TimeEntryAnomalyModel) -> None:
    history = _history()
    # A joiner's onboarding hour on two days before the cut.
    for k in (95, 98):
        day = weekdays(START, 100)[k]
        history.append(_row(len(history), "N-1", day, 1.0, "Onboarding", billable=False))
    fitted = TimeEntryAnomalyModel(n_estimators=50, random_state=0).fit(history, context=CONTEXT)
    day = BATCH_DAYS[2]
    rows = [_row(1, "N-1", day, 8.0, "Report section 2"), _row(2, "N-2", day, 8.0, "Report section 2")]
    batch = read_time_entries(rows)
    features = fitted.features(batch.frame, CONTEXT)
    assert not features.display["known_person"].any()
    # The joiner's full day reads as an unseen person's does, not eight times their hour.
    np.testing.assert_allclose(features.matrix[0], features.matrix[1])
