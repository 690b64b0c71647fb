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
import functools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from staffing_recs.index import PeopleIndex, day_number
from staffing_recs.schemas import OPEN_END, OPEN_START

WORKDAYS_PER_WEEK = 5
# Hours are compared with this slack so that 39.999999 free counts as 40.
HOURS_EPSILON = 1e-6
# A booking ending here has no end date: it is never said to end, nor the person to be free then.
OPEN_END_DAY = day_number(OPEN_END)
# Leave with no start date (an HR status "On leave until ...") already runs: it is said to
# run until its end, never to start on a made-up date.
OPEN_START_DAY = day_number(OPEN_START)


def _leave_text(start: int, end: int) -> str:
    if start <= OPEN_START_DAY:
        return "on leave with no return date" if end >= OPEN_END_DAY else f"on leave until {iso_day(end)}"
    return f"time off {iso_day(start)} to {iso_day(end)}"


def _until(day: int) -> str:
    return " with no end date" if day >= OPEN_END_DAY else f" until {iso_day(day)}"


def weekday(days: np.ndarray) -> np.ndarray:
    """Monday = 0 for day numbers (1970-01-01 was a Thursday)."""
    return (days + 3) % 7


@functools.lru_cache(maxsize=8192)
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
    days: np.ndarray, rows: np.ndarray, starts: np.ndarray, ends: np.ndarray, values: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Sum ``values`` over each interval's days via a difference array, only for the rows some
    interval touches (most people have no booking or leave in a given window).

    Returns
    -------
    touched : array of int
        The rows, ascending.
    daily : array, (len(touched), len(days))
        Their sums per day.
    """
    first = np.searchsorted(days, starts, side="left")
    stop = np.searchsorted(days, ends, side="right")
    keep = stop > first
    touched, local = np.unique(rows[keep], return_inverse=True)
    local = local.ravel()
    width = len(days) + 1
    # One weighted bincount adds the starts, then the stops, in the order np.add.at would.
    diff = np.bincount(
        np.concatenate([local * width + first[keep], local * width + stop[keep]]),
        weights=np.concatenate([values[keep], -values[keep]]),
        minlength=len(touched) * width,
    ).reshape(len(touched), width)
    return touched, np.cumsum(diff[:, :-1], axis=1)


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
    busy, booked_daily = _scatter_intervals(
        days,
        alloc_pos[a],
        index.alloc_start[a],
        index.alloc_end[a],
        index.alloc_hours[a] / WORKDAYS_PER_WEEK,
    )
    off_pos = position[index.off_person]
    o = off_pos >= 0
    away, off_count = _scatter_intervals(
        days, off_pos[o], index.off_start[o], index.off_end[o], np.ones(int(o.sum()))
    )
    off_daily = off_count > 0.5
    starts = np.flatnonzero(np.r_[True, week_of_day[1:] != week_of_day[:-1]])

    def weekly(daily: np.ndarray) -> np.ndarray:
        return np.add.reduceat(daily, starts, axis=1)

    per_day = index.hours_per_week[rows] / WORKDAYS_PER_WEEK
    # Everyone with the same contracted hours has the same weekly sums: add them up once.
    day_hours, hours_of = np.unique(per_day, return_inverse=True)
    contracted_weekly = weekly(np.broadcast_to(day_hours[:, None], (len(day_hours), len(days))))[
        hours_of.ravel()
    ]
    capacity_weekly = contracted_weekly.copy()
    if len(away):
        away_daily = np.broadcast_to(per_day[away][:, None], (len(away), len(days)))
        capacity_weekly[away] = weekly(np.where(off_daily, 0.0, away_daily))
    booked_weekly = np.zeros_like(capacity_weekly)
    if len(busy):
        away_slot = np.full(n, -1, dtype=np.int64)
        away_slot[away] = np.arange(len(away))
        busy_away = away_slot[busy]
        also_away = np.flatnonzero(busy_away >= 0)
        if len(also_away):
            booked_daily[also_away] = np.where(off_daily[busy_away[also_away]], 0.0, booked_daily[also_away])
        booked_weekly[busy] = weekly(booked_daily)
    return WeeklyCapacity(
        days=days,
        week_of_day=week_of_day,
        weeks=weeks,
        rows=rows,
        contracted=contracted_weekly,
        capacity=capacity_weekly,
        booked=booked_weekly,
        # Hours are planned by the week: a day booked past its hours is made up on
        # another day of that week, so free hours are counted per week, not per day.
        free=np.maximum(capacity_weekly - booked_weekly, 0.0),
    )


@dataclass(slots=True)
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


def _next_working_days(days: np.ndarray) -> np.ndarray:
    """The working day after each day number."""
    after = days + 1
    wd = weekday(after)
    return after + np.where(wd == 5, 2, np.where(wd == 6, 1, 0))


def _last_per_group(groups: np.ndarray, *keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For items in ``groups``, the item that sorts last by ``keys`` (most significant first) per group."""
    if len(groups) == 0:
        return groups, groups
    order = np.lexsort((*reversed(keys), groups))
    ordered = groups[order]
    last = np.r_[ordered[1:] != ordered[:-1], True]
    return ordered[last], order[last]


@dataclass(slots=True)
class _ShortfallArrays:
    """Per person : the binding week and its cause."""

    counts: np.ndarray
    first: np.ndarray
    main: np.ndarray
    blockers: np.ndarray
    leave: np.ndarray
    ends: np.ndarray
    free_from: np.ndarray
    structural: np.ndarray
    hours: np.ndarray
    free_first: np.ndarray
    alloc_hours: np.ndarray
    alloc_end: np.ndarray
    alloc_project: np.ndarray
    leave_start: np.ndarray
    leave_end: np.ndarray


def _shortfall_arrays(
    index: PeopleIndex,
    capacity: WeeklyCapacity,
    need: np.ndarray,
    positions: np.ndarray,
    *,
    hours_per_week: float,
) -> _ShortfallArrays:
    n = len(positions)
    free = capacity.free[positions]
    short = free + HOURS_EPSILON < need[None, :]
    n_weeks = short.shape[1]
    first = np.argmax(short, axis=1)
    last = n_weeks - 1 - np.argmax(short[:, ::-1], axis=1)
    counts = short.sum(axis=1)
    monday = np.array([day_number(w) for w in capacity.weeks], dtype=np.int64)
    rows = capacity.rows[positions]
    slot = np.full(len(index), -1, dtype=np.int64)
    slot[rows] = np.arange(n)

    a_slot = slot[index.alloc_person]
    a_sel = np.flatnonzero(a_slot >= 0)
    a_slot = a_slot[a_sel]
    a_start, a_end, a_hours = index.alloc_start[a_sel], index.alloc_end[a_sel], index.alloc_hours[a_sel]
    first_monday = monday[first[a_slot]]
    over_first = np.flatnonzero((a_start <= first_monday + 4) & (a_end >= first_monday))
    blockers = np.bincount(a_slot[over_first], minlength=n)
    main = np.full(n, -1, dtype=np.int64)
    groups, picked = _last_per_group(a_slot[over_first], a_hours[over_first], a_end[over_first])
    main[groups] = a_sel[over_first[picked]]

    t_slot = slot[index.off_person]
    t_sel = np.flatnonzero(t_slot >= 0)
    t_slot = t_slot[t_sel]
    t_start, t_end = index.off_start[t_sel], index.off_end[t_sel]
    t_first_monday = monday[first[t_slot]]
    t_over_first = np.flatnonzero((t_start <= t_first_monday + 4) & (t_end >= t_first_monday))
    leave = np.full(n, -1, dtype=np.int64)
    groups, picked = _last_per_group(t_slot[t_over_first], -t_start[t_over_first])
    leave[groups] = t_sel[t_over_first[picked]]

    ends = np.full(n, -1, dtype=np.int64)
    last_monday = monday[last[a_slot]]
    over_last = (a_start <= last_monday + 4) & (a_end >= last_monday)
    np.maximum.at(ends, a_slot[over_last], a_end[over_last])
    t_last_monday = monday[last[t_slot]]
    t_over_last = (t_start <= t_last_monday + 4) & (t_end >= t_last_monday)
    np.maximum.at(ends, t_slot[t_over_last], t_end[t_over_last])
    free_from = _next_working_days(ends)
    has_next = last + 1 < n_weeks
    free_from = np.where(
        has_next, np.minimum(free_from, monday[np.minimum(last + 1, n_weeks - 1)]), free_from
    )
    structural = index.hours_per_week[rows] + HOURS_EPSILON < hours_per_week

    picked_alloc = np.maximum(main, 0)
    picked_leave = np.maximum(leave, 0)
    return _ShortfallArrays(
        counts=counts,
        first=first,
        main=main,
        blockers=blockers,
        leave=leave,
        ends=ends,
        free_from=free_from,
        structural=structural,
        hours=index.hours_per_week[rows],
        free_first=free[np.arange(n), first],
        alloc_hours=index.alloc_hours[picked_alloc] if len(index.alloc_hours) else np.zeros(n),
        alloc_end=index.alloc_end[picked_alloc] if len(index.alloc_end) else np.zeros(n, dtype=np.int64),
        alloc_project=index.alloc_project[picked_alloc]
        if len(index.alloc_project)
        else np.full(n, "", dtype=object),
        leave_start=index.off_start[picked_leave] if len(index.off_start) else np.zeros(n, dtype=np.int64),
        leave_end=index.off_end[picked_leave] if len(index.off_end) else np.zeros(n, dtype=np.int64),
    )


def explain_shortfalls(
    index: PeopleIndex,
    capacity: WeeklyCapacity,
    need: np.ndarray,
    positions: np.ndarray,
    *,
    hours_per_week: float,
) -> list[CapacityShortfall | None]:
    """For each of ``positions`` (rows of ``capacity``), the binding week, its cause and the
    date the person becomes free; None where every week fits.

    Parameters
    ----------
    index : PeopleIndex
    capacity : WeeklyCapacity
        Over the request's period.
    need : array
        The role's hours per week of ``capacity``.
    positions : array of int
    hours_per_week : float
        The role's weekly hours (a person contracted for fewer is never free for it).

    Returns
    -------
    list of CapacityShortfall or None
        The cause is the largest booking overlapping the binding week (else the
        earliest time off in it, else the contracted hours); the person is free
        from the working day after the last booking or time off of the last short
        week ends, but no later than the next week.
    """
    positions = np.asarray(positions, dtype=np.int64)
    n = len(positions)
    if n == 0 or capacity.free.shape[1] == 0:
        return [None] * n
    a = _shortfall_arrays(index, capacity, need, positions, hours_per_week=hours_per_week)
    weeks = capacity.weeks
    need_list = need.tolist()
    # Plain Python values for the per-person loop: numpy scalar access costs more than the text.
    hours, free_first = a.hours.tolist(), a.free_first.tolist()
    alloc_hours, alloc_end, alloc_project = (
        a.alloc_hours.tolist(),
        a.alloc_end.tolist(),
        a.alloc_project.tolist(),
    )
    leave_start, leave_end = a.leave_start.tolist(), a.leave_end.tolist()
    out: list[CapacityShortfall | None] = []
    for k, (count, w, m, b, t, e, f, flat) in enumerate(
        zip(
            a.counts.tolist(), a.first.tolist(), a.main.tolist(), a.blockers.tolist(), a.leave.tolist(),
            a.ends.tolist(), a.free_from.tolist(), a.structural.tolist(), strict=True,
        )
    ):  # fmt: skip
        if count == 0:
            out.append(None)
            continue
        when: dt.date | None = None
        if flat:
            cause = f"works {hours[k]:g} h/week"
        else:
            if m >= 0:
                project = alloc_project[k] or "another project"
                cause = f"booked {alloc_hours[k]:g} h/week on {project}{_until(alloc_end[k])}"
                if b > 1:
                    cause += f" (and {b - 1} more booking{'s' if b > 2 else ''})"
            elif t >= 0:
                cause = _leave_text(int(leave_start[k]), int(leave_end[k]))
            else:
                cause = f"works {hours[k]:g} h/week"
            if e >= 0 and f < OPEN_END_DAY:
                when = date_of(f)
        out.append(
            CapacityShortfall(
                week=weeks[w],
                free_hours=round(free_first[k], 2),
                needed_hours=round(need_list[w], 2),
                short_weeks=count,
                cause=cause,
                free_from=when,
            )
        )
    return out


@functools.lru_cache(maxsize=65536)
def iso_day(day: int) -> str:
    """``YYYY-MM-DD`` of a day number (cached: the same few hundred dates recur across people)."""
    return date_of(day).isoformat()


def texts_by_key(keys: np.ndarray, write: Callable[[int], str]) -> np.ndarray:
    """An object array of ``write(i)`` per element, calling ``write`` once per distinct key (with
    ``i`` the first element holding that key): text that depends only on the key is formatted once.

    Parameters
    ----------
    keys : array of int
        What the text depends on, one per element.
    write : callable
        The text of element ``i``.

    Returns
    -------
    array of object (str), the length of ``keys``
    """
    if len(keys) == 0:
        return np.empty(0, dtype=object)
    _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    texts = np.empty(len(first), dtype=object)
    texts[:] = [write(i) for i in first.tolist()]
    return texts[inverse.ravel()]


def _more_bookings(blockers: int) -> str:
    if blockers > 1:
        return f" (and {blockers - 1} more booking{'s' if blockers > 2 else ''}): "
    return ": "


def shortfall_reasons(
    index: PeopleIndex,
    capacity: WeeklyCapacity,
    need: np.ndarray,
    positions: np.ndarray,
    *,
    hours_per_week: float,
) -> np.ndarray:
    """The exclusion reason of each of ``positions``, exactly ``explain_shortfalls(...)[k].reason``,
    assembled from arrays: every piece of the text (cause, hours free, week, weeks short, free
    from) is formatted once per distinct value and the pieces are joined element-wise.

    Parameters
    ----------
    index : PeopleIndex
    capacity : WeeklyCapacity
        Over the request's period.
    need : array
        The role's hours per week of ``capacity``.
    positions : array of int
    hours_per_week : float
        The role's weekly hours.

    Returns
    -------
    array of object
        A str per position, None where every week fits.
    """
    positions = np.asarray(positions, dtype=np.int64)
    n = len(positions)
    out = np.full(n, None, dtype=object)
    if n == 0 or capacity.free.shape[1] == 0:
        return out
    a = _shortfall_arrays(index, capacity, need, positions, hours_per_week=hours_per_week)
    short = np.flatnonzero(a.counts > 0)
    if len(short) == 0:
        return out
    main, blockers, leave, ends = a.main[short], a.blockers[short], a.leave[short], a.ends[short]
    flat, hours = a.structural[short], a.hours[short]
    # The cause: a booking (with how many more), else a time off, else the contracted hours.
    booked = ~flat & (main >= 0)
    off = ~flat & ~booked & (leave >= 0)
    works = ~booked & ~off
    causes = np.empty(len(short), dtype=object)
    booked_at, off_at, works_at = np.flatnonzero(booked), np.flatnonzero(off), np.flatnonzero(works)

    def contracted(i: int) -> str:
        return f"works {float(hours[works_at[i]]):g} h/week: "

    if len(booked_at):
        # Bookings differ person by person: their text is joined from per-value pieces.
        booked_pick = short[booked_at]
        booked_hours = a.alloc_hours[booked_pick]
        booked_end = a.alloc_end[booked_pick]
        more = blockers[booked_at]
        projects = np.empty(len(booked_at), dtype=object)
        projects[:] = [project or "another project" for project in a.alloc_project[booked_pick].tolist()]
        causes[booked_at] = (
            texts_by_key(
                booked_hours.view(np.int64), lambda i: f"booked {float(booked_hours[i]):g} h/week on "
            )
            + projects
            + texts_by_key(booked_end, lambda i: _until(int(booked_end[i])))
            + texts_by_key(more, lambda i: _more_bookings(int(more[i])))
        )
    if len(off_at):
        off_pick = short[off_at]
        off_start = a.leave_start[off_pick]
        off_end = a.leave_end[off_pick]
        # Keyed by both days (each well under 2**20 days after 1970).
        causes[off_at] = texts_by_key(
            off_start.astype(np.int64) * (1 << 20) + off_end.astype(np.int64),
            lambda i: _leave_text(int(off_start[i]), int(off_end[i])) + ": ",
        )
    # A float's bits as the key: -0.0 and 0.0 print apart.
    causes[works_at] = texts_by_key(hours[works_at].view(np.int64), contracted)
    free_first = a.free_first[short]
    # Python's round (correctly rounded), as the per-person text uses, not numpy's.
    free = texts_by_key(free_first.view(np.int64), lambda i: f"{round(float(free_first[i]), 2):g}")
    week_text = np.empty(len(capacity.weeks), dtype=object)
    week_text[:] = [
        f" h free in the week of {w.isoformat()}, {round(x, 2):g} needed"
        for w, x in zip(capacity.weeks, need.tolist(), strict=True)
    ]
    counts = a.counts[short]
    weeks_short = texts_by_key(counts, lambda i: f" ({counts[i]} weeks short)" if counts[i] > 1 else "")
    free_from_day = np.where(
        ~flat & (ends >= 0) & (a.free_from[short] < OPEN_END_DAY), a.free_from[short], -1
    )
    free_from = texts_by_key(
        free_from_day,
        lambda i: f"; free from {iso_day(int(free_from_day[i]))}" if free_from_day[i] >= 0 else "",
    )
    out[short] = causes + free + week_text[a.first[short]] + weeks_short + free_from
    return out
