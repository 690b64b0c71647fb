"""Week-by-week free hours over a request's period.

Working days are Monday to Friday; a person's day is ``hours_per_week / 5``.
An allocation books ``hours_per_week / 5`` on each working day it covers, time
off removes the whole day, and a week the period only partly covers counts
only its covered days, for the person's free hours and the role's need alike
(a period starting on a Wednesday needs three fifths of a week in its first
week). Public holidays are not modelled: give them as time off.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from staffing_recs.index import PeopleIndex, day_number
from staffing_recs.schemas import Person

WORKDAYS_PER_WEEK = 5
# Hours are compared with this slack so that 39.999999 free counts as 40.
HOURS_EPSILON = 1e-6


def weekday(days: np.ndarray) -> np.ndarray:
    """Monday = 0 for day numbers (1970-01-01 was a Thursday)."""
    return (days + 3) % 7


def date_of(day: int) -> dt.date:
    return dt.date(1970, 1, 1) + dt.timedelta(days=int(day))


def working_days(start: dt.date, end: dt.date) -> np.ndarray:
    """Day numbers of the Monday-to-Friday days from ``start`` to ``end`` inclusive."""
    days = np.arange(day_number(start), day_number(end) + 1, dtype=np.int64)
    return days[weekday(days) < WORKDAYS_PER_WEEK]


@dataclass
class WeeklyCapacity:
    """Hours per person (rows) and calendar week (columns) over a window of working days."""

    days: np.ndarray  # working day numbers in the window
    week_of_day: np.ndarray  # column of each day
    weeks: list[dt.date]  # the Monday of each column
    rows: np.ndarray  # index rows these capacities belong to
    contracted: np.ndarray  # hours_per_week pro rata on the window's days
    capacity: np.ndarray  # contracted less time off
    booked: np.ndarray  # allocated hours on days not off
    free: np.ndarray  # capacity less booked, never negative

    def need(self, hours_per_week: float, start: dt.date, end: dt.date) -> np.ndarray:
        """A role's hours per column: ``hours_per_week`` pro rata on its working days in each week."""
        inside = (self.days >= day_number(start)) & (self.days <= day_number(end))
        per_week = np.bincount(self.week_of_day[inside], minlength=len(self.weeks)).astype(np.float64)
        return per_week * (hours_per_week / WORKDAYS_PER_WEEK)


def _scatter_intervals(
    n_rows: int, days: np.ndarray, rows: np.ndarray, starts: np.ndarray, ends: np.ndarray, values: np.ndarray
) -> np.ndarray:
    """Sum ``values`` over each interval's days into an (n_rows, n_days) array via a difference array."""
    first = np.searchsorted(days, starts, side="left")
    stop = np.searchsorted(days, ends, side="right")
    keep = stop > first
    diff = np.zeros((n_rows, len(days) + 1), dtype=np.float64)
    np.add.at(diff, (rows[keep], first[keep]), values[keep])
    np.add.at(diff, (rows[keep], stop[keep]), -values[keep])
    return np.cumsum(diff[:, :-1], axis=1)


def weekly_capacity(
    index: PeopleIndex, start: dt.date, end: dt.date, *, rows: np.ndarray | None = None
) -> WeeklyCapacity:
    """Free hours per week from ``start`` to ``end`` for the people in ``index``.

    Parameters
    ----------
    index : PeopleIndex
    start, end : date
        The window, inclusive.
    rows : array of int, optional
        Only these rows of the index (default: everyone), in this order.

    Returns
    -------
    WeeklyCapacity
    """
    days = working_days(start, end)
    if rows is None:
        rows = np.arange(len(index), dtype=np.int64)
    position = np.full(len(index), -1, dtype=np.int64)
    position[rows] = np.arange(len(rows))
    week_number = (days + 3) // 7
    unique_weeks, week_of_day = np.unique(week_number, return_inverse=True)
    weeks = [date_of(int(w) * 7 - 3) for w in unique_weeks]
    n = len(rows)
    if len(days) == 0:
        empty = np.zeros((n, 0))
        return WeeklyCapacity(days, week_of_day, weeks, rows, empty, empty, empty, empty)

    alloc_pos = position[index.alloc_person]
    a = alloc_pos >= 0
    booked_daily = _scatter_intervals(
        n,
        days,
        alloc_pos[a],
        index.alloc_start[a],
        index.alloc_end[a],
        index.alloc_hours[a] / WORKDAYS_PER_WEEK,
    )
    off_pos = position[index.off_person]
    o = off_pos >= 0
    off_daily = (
        _scatter_intervals(n, days, off_pos[o], index.off_start[o], index.off_end[o], np.ones(int(o.sum())))
        > 0.5
    )
    per_day = (index.hours_per_week[rows] / WORKDAYS_PER_WEEK)[:, None]
    contracted_daily = np.broadcast_to(per_day, (n, len(days)))
    capacity_daily = np.where(off_daily, 0.0, contracted_daily)
    booked_daily = np.where(off_daily, 0.0, booked_daily)

    starts = np.flatnonzero(np.r_[True, week_of_day[1:] != week_of_day[:-1]])

    def weekly(daily: np.ndarray) -> np.ndarray:
        return np.add.reduceat(daily, starts, axis=1)

    capacity_weekly, booked_weekly = weekly(capacity_daily), weekly(booked_daily)
    return WeeklyCapacity(
        days=days,
        week_of_day=week_of_day,
        weeks=weeks,
        rows=rows,
        contracted=weekly(contracted_daily),
        capacity=capacity_weekly,
        booked=booked_weekly,
        # Hours are planned by the week: a day booked past its hours is made up on
        # another day of that week, so free hours are counted per week, not per day.
        free=np.maximum(capacity_weekly - booked_weekly, 0.0),
    )


@dataclass(frozen=True)
class CapacityShortfall:
    """Why a person cannot take the role's hours, for the exclusion reason and the fix."""

    week: dt.date  # the first week short of hours (the binding week)
    free_hours: float
    needed_hours: float
    short_weeks: int
    cause: str  # "booked 32 h/week on P-3 until 2026-03-27", "time off ...", "works 20 h/week"
    free_from: dt.date | None  # first working day from which every remaining week fits, if known

    @property
    def reason(self) -> str:
        text = (
            f"{self.cause}: {self.free_hours:g} h free in the week of {self.week.isoformat()}, "
            f"{self.needed_hours:g} needed"
        )
        if self.short_weeks > 1:
            text += f" ({self.short_weeks} weeks short)"
        if self.free_from is not None:
            text += f"; free from {self.free_from.isoformat()}"
        return text

    @property
    def change(self) -> str:
        if self.free_from is not None:
            return f"free from {self.free_from.isoformat()}"
        return f"{self.needed_hours - self.free_hours:g} more h free in the week of {self.week.isoformat()}"


def _next_working_day(day: dt.date) -> dt.date:
    day += dt.timedelta(days=1)
    while day.weekday() >= WORKDAYS_PER_WEEK:
        day += dt.timedelta(days=1)
    return day


def _overlaps(start: dt.date, end: dt.date, week: dt.date) -> bool:
    return start <= week + dt.timedelta(days=4) and end >= week


def explain_shortfall(
    person: Person, weeks: list[dt.date], free: np.ndarray, need: np.ndarray, *, hours_per_week: float
) -> CapacityShortfall | None:
    """The binding week, its cause and the date the person becomes free (None if every week fits).

    Parameters
    ----------
    person : Person
    weeks : list of date
        The Monday of each column of ``free`` and ``need``.
    free, need : array
        The person's free hours and the role's need per week.
    hours_per_week : float
        The role's weekly hours (a person contracted for fewer is never free for it).

    Returns
    -------
    CapacityShortfall or None
    """
    short = np.flatnonzero(free + HOURS_EPSILON < need)
    if len(short) == 0:
        return None
    first, last = int(short[0]), int(short[-1])
    week = weeks[first]
    if person.hours_per_week + HOURS_EPSILON < hours_per_week:
        cause, free_from = f"works {person.hours_per_week:g} h/week", None
    else:
        blockers = [
            a
            for a in person.allocations
            if a.hours_per_week > 0 and _overlaps(a.start_date, a.end_date, week)
        ]
        leave = [t for t in person.time_off if _overlaps(t.start_date, t.end_date, week)]
        if blockers:
            main = max(blockers, key=lambda a: (a.hours_per_week, a.end_date))
            project = main.project_id or "another project"
            cause = f"booked {main.hours_per_week:g} h/week on {project} until {main.end_date}"
            if len(blockers) > 1:
                cause += f" (and {len(blockers) - 1} more booking{'s' if len(blockers) > 2 else ''})"
        elif leave:
            cause = f"time off {leave[0].start_date} to {leave[0].end_date}"
        else:
            cause = f"works {person.hours_per_week:g} h/week"
        last_week = weeks[last]
        ends = [
            a.end_date
            for a in person.allocations
            if a.hours_per_week > 0 and _overlaps(a.start_date, a.end_date, last_week)
        ]
        ends += [t.end_date for t in person.time_off if _overlaps(t.start_date, t.end_date, last_week)]
        free_from = None
        if ends:
            # The day after the last booking of the last short week ends, but no later than
            # the next week (which fits, or it would be the last short week).
            free_from = _next_working_day(max(ends))
            if last + 1 < len(weeks):
                free_from = min(free_from, weeks[last + 1])
    return CapacityShortfall(
        week=week,
        free_hours=round(float(free[first]), 2),
        needed_hours=round(float(need[first]), 2),
        short_weeks=len(short),
        cause=cause,
        free_from=free_from,
    )
