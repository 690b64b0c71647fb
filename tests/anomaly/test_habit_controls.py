"""The controls that compare a batch with the firm's own habits (``anomaly.features_habits``):
each fires on what breaks a habit and stays quiet where the history shows the same thing is
the person's or the firm's normal."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import pytest

from anomaly import TimeEntryAnomalyModel, read_context, score_time_entries
from tests.anomaly.conftest import weekdays

START = dt.date(2025, 9, 1)  # a Monday
PEOPLE = ("A-1", "A-2", "A-3", "A-4", "A-5", "A-6")


def _row(n: int, person: str, day: dt.date, hours: float, text: str, **changes: Any) -> dict[str, Any]:
    row = {
        "entry_id": f"X-{n}",
        "person_id": person,
        "project_id": "PRJ-1",
        "client_id": "CL-1",
        "work_date": day.isoformat(),
        "hours": hours,
        "billable": True,
        "role": "Engineer",
        "bill_rate": 100.0,
        "currency": "EUR",
        "description": text,
        "logged_at": f"{day.isoformat()}T17:30:00",
    }
    row.update(changes)
    return row


def _history(
    *, quiet_from: dict[str, int] | None = None, extra: list[dict[str, Any]] | None = None
) -> list[dict]:
    """100 weekdays of two ticketed entries a day per person, a leave day now and then;
    ``quiet_from``: a person's last history day (index into the weekdays)."""
    rows: list[dict[str, Any]] = []
    for k, day in enumerate(weekdays(START, 100)):
        for p, person in enumerate(PEOPLE):
            if quiet_from and k > quiet_from.get(person, 10**6):
                continue
            if (k + 7 * p) % 23 == 0:
                rows.append(
                    _row(len(rows), person, day, 8.0, "Annual leave", project_id="INT-LEAVE", billable=False)
                )
                continue
            first = 3.0 + (k + p) % 4 * 0.5
            rows.append(_row(len(rows), person, day, first, f"TCK-{1000 + 13 * k + p} implementation"))
            rows.append(_row(len(rows), person, day, 8.0 - first, f"TCK-{5000 + 17 * k + p} review"))
    return rows + (extra or [])


BATCH_DAYS = weekdays(START + dt.timedelta(days=142), 20)  # the weekdays after the history


def _ordinary_batch(
    people: tuple[str, ...] = PEOPLE, days: list[dt.date] = BATCH_DAYS
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for k, day in enumerate(days):
        for p, person in enumerate(people):
            first = 3.5 + (k + p) % 3 * 0.5
            rows.append(
                _row(90_000 + len(rows), person, day, first, f"TCK-{20000 + 11 * k + p} implementation")
            )
            rows.append(_row(90_000 + len(rows), person, day, 8.0 - first, f"TCK-{30000 + 7 * k + p} review"))
    return rows


def _fitted(history: list[dict[str, Any]]) -> TimeEntryAnomalyModel:
    return TimeEntryAnomalyModel(n_estimators=50, random_state=0).fit(history)


def _hits(
    model: TimeEntryAnomalyModel, batch: list[dict[str, Any]], rule: str, context: Any = None
) -> set[str]:
    result = score_time_entries(batch, model=model, context=context)
    assert not result.rejected
    return {r.id for r in result.results if any(c.rule == rule for c in r.controls)}


def test_ordinary_batch_breaks_no_habit() -> None:
    model = _fitted(_history())
    result = score_time_entries(_ordinary_batch(), model=model)
    rules = {c.rule for r in result.results for c in r.controls}
    assert not rules & {
        "returned_after_dormancy",
        "billed_on_booked_day",
        "same_entry_every_day",
        "copied_from_colleague",
        "billed_on_two_projects",
        "billed_no_charge_work",
        "vague_narrative",
    }


def test_returned_after_dormancy_flags_a_person_silent_far_longer_than_ever() -> None:
    model = _fitted(_history(quiet_from={"A-6": 60}))  # silent for the history's last 40 weekdays
    batch = _ordinary_batch()
    flagged = _hits(model, batch, "returned_after_dormancy")
    assert flagged == {r["entry_id"] for r in batch if r["person_id"] == "A-6"}
    # One return, one finding: every entry of it reads the same, and says what it holds.
    messages = {
        c.message
        for r in score_time_entries(batch, model=model).results
        for c in r.controls
        if c.rule == "returned_after_dormancy"
    }
    last = max(r["work_date"] for r in batch if r["person_id"] == "A-6")
    assert len(messages) == 1
    assert messages.pop().endswith(f"; {len(flagged)} billable entries since, to {last}")
    # A leaving date on record is the employment rule's business; a rehire date after the
    # silence explains it.
    for dates in ({"end_date": "2025-11-20"}, {"start_date": "2026-01-19"}):
        context = read_context({"people": [{"person_id": "A-6", **dates}]})
        assert not _hits(model, batch, "returned_after_dormancy", context)


def test_returned_after_dormancy_is_quiet_when_the_firm_has_such_silences() -> None:
    # A-5 took ten weeks off in the history and came back: a long silence is this firm's normal.
    history = [
        r
        for r in _history(quiet_from={"A-6": 60})
        if not (r["person_id"] == "A-5" and "2025-10-01" <= r["work_date"] <= "2025-12-10")
    ]
    assert not _hits(_fitted(history), _ordinary_batch(), "returned_after_dormancy")


def test_billed_on_booked_day_flags_billable_time_on_a_day_of_leave() -> None:
    model = _fitted(_history())
    day = BATCH_DAYS[3]
    batch = [
        r for r in _ordinary_batch() if not (r["person_id"] == "A-2" and r["work_date"] == day.isoformat())
    ]
    batch.append(_row(1, "A-2", day, 8.0, "Annual leave", project_id="INT-LEAVE", billable=False))
    batch.append(_row(2, "A-2", day, 3.0, "TCK-77777 implementation"))
    assert _hits(model, batch, "billed_on_booked_day") == {"X-2"}


def test_billed_on_booked_day_is_quiet_for_a_firm_that_mixes_them() -> None:
    # Every leave day of the history also carries an hour of client time (on-call support).
    history = _history()
    leave_days = [r for r in history if r["project_id"] == "INT-LEAVE"]
    history += [
        _row(50_000 + k, r["person_id"], dt.date.fromisoformat(r["work_date"]), 1.0, f"on-call {k}")
        for k, r in enumerate(leave_days)
    ]
    day = BATCH_DAYS[3]
    batch = [_row(1, "A-2", day, 8.0, "Annual leave", project_id="INT-LEAVE", billable=False)]
    batch.append(_row(2, "A-2", day, 3.0, "TCK-77777 implementation"))
    assert not _hits(_fitted(history), batch, "billed_on_booked_day")


def test_same_entry_every_day_flags_a_month_of_one_unchanged_line() -> None:
    model = _fitted(_history())
    batch = [r for r in _ordinary_batch() if r["person_id"] != "A-3"]
    block = [_row(100 + k, "A-3", day, 8.0, "PRJ-1 development") for k, day in enumerate(BATCH_DAYS[:12])]
    assert _hits(model, batch + block, "same_entry_every_day") == {r["entry_id"] for r in block}
    # Nine days is no block yet.
    assert not _hits(model, batch + block[:9], "same_entry_every_day")


def test_same_entry_every_day_is_quiet_for_someone_who_always_logs_that_way() -> None:
    history = [r for r in _history() if r["person_id"] != "A-3" or r["project_id"] == "INT-LEAVE"]
    days = sorted({dt.date.fromisoformat(r["work_date"]) for r in history if r["person_id"] == "A-1"})
    history += [_row(60_000 + k, "A-3", day, 8.0, "PRJ-1 development") for k, day in enumerate(days)]
    block = [_row(100 + k, "A-3", day, 8.0, "PRJ-1 development") for k, day in enumerate(BATCH_DAYS[:12])]
    assert not _hits(_fitted(history), block, "same_entry_every_day")


def test_same_entry_every_day_is_quiet_in_a_firm_where_blocks_are_how_people_log() -> None:
    # Four of six people book one unchanged line a day; A-3 starting to is no news there.
    history = _history()
    for person in ("A-1", "A-2", "A-4", "A-5"):
        kept = [r for r in history if r["person_id"] != person or r["project_id"] == "INT-LEAVE"]
        days = sorted({r["work_date"] for r in history if r["person_id"] == person and r["billable"]})
        history = kept + [
            _row(80_000 + 1000 * int(person[-1]) + k, person, dt.date.fromisoformat(day), 8.0, "PRJ-1 work")
            for k, day in enumerate(days)
        ]
    block = [_row(100 + k, "A-3", day, 8.0, "PRJ-1 development") for k, day in enumerate(BATCH_DAYS[:12])]
    assert not _hits(_fitted(history), block, "same_entry_every_day")


def test_copied_from_colleague_flags_the_later_copy_of_a_rare_entry() -> None:
    model = _fitted(_history())
    batch = _ordinary_batch()
    original = next(
        r for r in batch if r["person_id"] == "A-1" and r["work_date"] == BATCH_DAYS[5].isoformat()
    )
    copy = dict(
        original, entry_id="X-copy", person_id="A-4", logged_at=f"{BATCH_DAYS[6].isoformat()}T09:00:00"
    )
    assert _hits(model, [*batch, copy], "copied_from_colleague") == {"X-copy"}


def test_copied_from_colleague_is_quiet_for_the_firms_common_text() -> None:
    # Everyone books the same "Sprint review" hour on the same days: the firm's common text.
    history = _history()
    for k, day in enumerate(weekdays(START, 100)[::5]):
        history += [
            _row(70_000 + 10 * k + p, person, day, 1.0, "Sprint review") for p, person in enumerate(PEOPLE)
        ]
    day = BATCH_DAYS[5]
    batch = [_row(1, "A-1", day, 1.0, "Sprint review"), _row(2, "A-4", day, 1.0, "Sprint review")]
    assert not _hits(_fitted(history), batch, "copied_from_colleague")


@pytest.mark.parametrize(
    ("changes", "fires"),
    [
        ({"project_id": "PRJ-2", "client_id": "CL-2"}, True),  # the same work on another project
        ({"project_id": "PRJ-2", "hours": 1.25}, False),  # other hours: another piece of work
        ({"project_id": "PRJ-2", "person_id": "A-new"}, False),  # no history: left to the model
        ({}, False),  # the same project: duplicate_entry's
    ],
)
def test_billed_on_two_projects_flags_the_later_entry_of_a_rare_text(
    changes: dict[str, Any], fires: bool
) -> None:
    model = _fitted(_history())
    batch = _ordinary_batch()
    original = next(
        r for r in batch if r["person_id"] == "A-1" and r["work_date"] == BATCH_DAYS[5].isoformat()
    )
    copy = dict(original, entry_id="X-copy", logged_at=f"{BATCH_DAYS[6].isoformat()}T09:00:00") | changes
    assert _hits(model, [*batch, copy], "billed_on_two_projects") == ({"X-copy"} if fires else set())


def test_billed_on_two_projects_is_quiet_for_the_firms_common_text() -> None:
    # The same "Sprint review" hour is booked on each project: the firm's common text.
    history = _history()
    for k, day in enumerate(weekdays(START, 100)[::5]):
        history += [
            _row(80_000 + 10 * k + j, "A-1", day, 1.0, "Sprint review", project_id=project)
            for j, project in enumerate(("PRJ-1", "PRJ-2"))
        ]
    day = BATCH_DAYS[5]
    batch = [
        _row(1, "A-1", day, 1.0, "Sprint review"),
        _row(2, "A-1", day, 1.0, "Sprint review", project_id="PRJ-2"),
    ]
    assert not _hits(_fitted(history), batch, "billed_on_two_projects")


def _with_clerical(billed_share: float) -> list[dict[str, Any]]:
    """The history plus 20 couriered filings on the client's project, ``billed_share`` of them
    billable (the rest recorded as no charge)."""
    history = _history()
    days = weekdays(START, 100)[::5]
    for k, day in enumerate(days):
        billable = k < round(billed_share * len(days))
        text = "Arrange courier of filing" if billable else "NO CHARGE - Arrange courier of filing"
        history.append(_row(70_000 + k, "A-4", day, 0.5, text, billable=billable))
    return history


@pytest.mark.parametrize(
    ("billed_share", "text", "billable", "fires"),
    [
        (0.0, "Arrange courier of filing to court", True, True),  # the firm's no-charge work, billed
        (0.0, "Arrange courier of filing to court", False, False),  # recorded as no charge again
        (0.0, "TCK-77777 review", True, False),  # the firm's billable work
        (0.5, "Arrange courier of filing to court", True, False),  # a firm that bills couriers
    ],
)
def test_billed_no_charge_work_flags_billable_time_in_the_firms_no_charge_words(
    billed_share: float, text: str, billable: bool, fires: bool
) -> None:
    model = _fitted(_with_clerical(billed_share))
    batch = [*_ordinary_batch(), _row(1, "A-2", BATCH_DAYS[4], 1.5, text, billable=billable)]
    assert _hits(model, batch, "billed_no_charge_work") == ({"X-1"} if fires else set())


def _wordy_history() -> list[dict[str, Any]]:
    """The history with narratives of six or more words (a firm that writes what it did)."""
    return [
        dict(r, description=f"{r['description']} of the payment service module") if r["billable"] else r
        for r in _history()
    ]


@pytest.mark.parametrize(
    ("text", "hours", "fires"),
    [
        ("Work on file", 3.0, True),  # a few generic words for hours: no one can check it
        ("Work on file", 0.5, False),  # as short as this person ever is per word
        ("Work on TCK-4411", 3.0, False),  # a reference makes it specific
        ("Review of the payment service module and its tests", 3.0, False),  # their usual length
    ],
)
def test_vague_narrative_flags_a_few_words_for_many_hours(text: str, hours: float, fires: bool) -> None:
    model = _fitted(_wordy_history())
    batch = [*_ordinary_batch(), _row(1, "A-2", BATCH_DAYS[4], hours, text)]
    assert _hits(model, batch, "vague_narrative") == ({"X-1"} if fires else set())


def test_vague_narrative_is_quiet_for_someone_who_always_writes_that_little() -> None:
    # The ordinary history's narratives are two words ('TCK-1013 implementation').
    model = _fitted(_history())
    batch = [*_ordinary_batch(), _row(1, "A-2", BATCH_DAYS[4], 3.0, "Work on file")]
    assert not _hits(model, batch, "vague_narrative")


def test_habits_are_learned_per_person_of_the_history() -> None:
    history = _history(quiet_from={"A-6": 60})
    model = _fitted(history)
    habits = model.history_.habits
    frame = pd.DataFrame(history)
    assert list(habits.persons) == list(model.history_.persons)
    a6 = habits.persons.get_loc("A-6")
    last = pd.Timestamp(frame.loc[frame["person_id"] == "A-6", "work_date"].max())
    assert habits.last_day[a6] == (last - pd.Timestamp("1970-01-01")).days
    assert habits.longest_gap[a6] <= 4  # weekends only, leave is booked
    assert "Annual leave" in habits.common_texts
