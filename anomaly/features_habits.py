"""Per-person habits learned from a firm's own history, for the controls that ask whether a
batch breaks them (``anomaly.controls``: ``returned_after_dormancy``,
``billed_on_booked_day``, ``same_entry_every_day``, ``copied_from_colleague``).

Each test is relative to what the firm's people did in the history, never to a convention
of ours: a long silence is long against the person's own longest gap, a repeated block is
unusual only for someone whose history never repeats one, billable time on a day filled by
non-billable time only for someone (and a firm) whose history does not mix them, and two
people's identical entry only when the text is rare in the firm and the project's history
holds no such pairs. Everything is computed on integer codes (group-bys, no row loops), and
the description column is factorized only for the few rows that can hit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from anomaly.features import TimeEntryHistory, _day_number, group_ids, group_size

__all__ = [
    "Habits",
    "booked_day_rows",
    "dormant_return_day",
    "learn_habits",
    "repeated_blocks",
    "twin_rows",
]

#: A non-billable entry "fills" a day when it reaches this share of the person's usual day.
BOOKED_DAY_SHARE = 0.9
#: A repeated entry is a block when it carries at least this share of the person's usual day.
BLOCK_DAY_SHARE = 0.5
#: ...and recurs, unchanged, on at least this many days of the batch.
BLOCK_MIN_DAYS = 10
#: A description seen this often in the history is the firm's common text (a stand-up, "leave").
COMMON_TEXT_COUNT = 3
#: The most entries an identical (project, day, hours, text) group may hold to read as a copy
#: rather than a meeting everyone booked.
TWIN_MAX_GROUP = 3
#: A silence is dormancy beyond this many days and twice the person's own longest gap.
DORMANT_MIN_DAYS = 28
#: Worked days of history before a person's own rhythm is evidence.
_ENOUGH_DAYS = 20


@dataclass
class Habits:
    """What the habit controls compare a batch with; per-person arrays follow ``persons``."""

    persons: pd.Index
    last_day: np.ndarray  # day number of the person's last worked day in the history
    longest_gap: np.ndarray  # longest stretch of days between two of their worked days
    worked_days: np.ndarray
    block_days: np.ndarray  # most days one unchanged block entry of theirs recurs
    booked_days: np.ndarray  # days filled by one non-billable entry
    booked_billed: np.ndarray  # of which they billed time too
    firm_last_day: int
    #: The longest gap anyone with enough history had: a silence no longer is the firm's
    #: ordinary (a summer of leave).
    firm_longest_gap: float = 0.0
    common_texts: frozenset[str] = field(default_factory=frozenset)
    project_twin_share: pd.Series = field(default_factory=lambda: pd.Series(dtype=float))
    firm_twin_share: float = 0.0


def _worked_gaps(pcode: np.ndarray, day: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per person: last worked day, longest gap between worked days, number of worked days."""
    last = np.full(n, np.iinfo(np.int64).min, dtype=np.int64)
    gap = np.zeros(n)
    count = np.zeros(n)
    if not len(pcode):
        return last, gap, count
    pairs = np.unique(pcode.astype(np.int64) * (1 << 32) + (day - day.min()))
    person, worked = pairs >> 32, (pairs & ((1 << 32) - 1)) + day.min()
    np.maximum.at(last, person, worked)
    np.add.at(count, person, 1.0)
    same = person[1:] == person[:-1]
    np.maximum.at(gap, person[1:][same], (worked[1:] - worked[:-1])[same].astype(float))
    return last, gap, count


def booked_day_rows(
    person_day: np.ndarray, hours: np.ndarray, billable: np.ndarray, usual_day: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Rows on a day that one non-billable entry fills (``booked``), and the billable rows of
    such days (``billed``)."""
    fills = ~billable & (hours >= BOOKED_DAY_SHARE * usual_day)
    if not fills.any():
        empty = np.zeros(len(hours), dtype=bool)
        return empty, empty
    booked = np.bincount(person_day, weights=fills)[person_day] > 0
    return booked, booked & billable


def repeated_blocks(
    person: np.ndarray,
    project: np.ndarray,
    day: np.ndarray,
    hours: np.ndarray,
    billable: np.ndarray,
    usual_day: np.ndarray,
    descriptions: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Rows of a billable entry of at least half the person's day whose project, hours and text
    recur unchanged, and on how many distinct days each such entry recurs (0 elsewhere)."""
    days = np.zeros(len(person))
    rows = np.flatnonzero(billable & (hours >= BLOCK_DAY_SHARE * usual_day))
    if not len(rows):
        return rows, days
    cents = np.round(hours[rows] * 100).astype(np.int64)
    shape = group_ids(person[rows], project[rows], cents)
    repeated = group_size(shape) >= BLOCK_MIN_DAYS // 2
    rows, shape = rows[repeated], shape[repeated]
    if not len(rows):
        return rows, days
    text = pd.factorize(descriptions[rows])[0]
    key = group_ids(shape, text)
    distinct = group_ids(key, day[rows])
    first = np.zeros(len(rows), dtype=bool)
    first[np.unique(distinct, return_index=True)[1]] = True
    days[rows] = np.bincount(key, weights=first)[key]
    return rows, days


def twin_rows(
    person: np.ndarray,
    project: np.ndarray,
    day: np.ndarray,
    hours: np.ndarray,
    billable: np.ndarray,
    descriptions: np.ndarray,
    common_texts: frozenset[str],
) -> tuple[np.ndarray, np.ndarray]:
    """Billable rows sharing project, day, hours and a text that is rare in the firm with an
    entry of another person, in groups of at most ``TWIN_MAX_GROUP``; and each row's group."""
    cents = np.round(hours * 100).astype(np.int64)
    rows = np.flatnonzero(billable)
    slot = group_ids(project[rows], day[rows], cents[rows])
    rows, slot = rows[group_size(slot) > 1], slot[group_size(slot) > 1]
    if not len(rows):
        return rows, rows
    text = descriptions[rows]
    codes, uniques = pd.factorize(text)
    keep_text = np.array(
        [bool(str(u).strip()) and str(u) not in common_texts for u in uniques.tolist()], dtype=bool
    )
    # Rare in the batch too: a text only that group uses.
    in_batch = np.bincount(codes)[codes]
    group = group_ids(slot, codes)
    size = group_size(group)
    persons_in_group = _distinct_per_group(group, person[rows])
    keep = (
        keep_text[codes]
        & (size >= 2)
        & (size <= TWIN_MAX_GROUP)
        & (in_batch == size)
        & (persons_in_group >= 2)
    )
    return rows[keep], group[keep]


def _distinct_per_group(group: np.ndarray, value: np.ndarray) -> np.ndarray:
    pair = group_ids(group, value)
    first = np.zeros(len(group), dtype=bool)
    first[np.unique(pair, return_index=True)[1]] = True
    return np.bincount(group, weights=first)[group]


def dormant_return_day(
    prow: np.ndarray, day: np.ndarray, habits: Habits, *, known: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per row: the day its (known) person came back after a silence longer than
    ``DORMANT_MIN_DAYS``, twice their own longest gap and anyone's longest gap in the history
    (the firm's own silence between the history and the batch not counted), int64 max where
    the person never went dormant; and that silence in days (0 where none)."""
    never = np.iinfo(np.int64).max
    out = np.full(len(day), never, dtype=np.int64)
    quiet = np.zeros(len(day))
    rows = np.flatnonzero(known)
    if not len(rows):
        return out, quiet
    person, days = prow[rows].astype(np.int64), day[rows]
    enough = habits.worked_days[person] >= _ENOUGH_DAYS
    rows, person, days = rows[enough], person[enough], days[enough]
    if not len(rows):
        return out, quiet
    base = int(days.min())
    pairs = np.unique(person * (1 << 32) + (days - base))
    p, worked = pairs >> 32, (pairs & ((1 << 32) - 1)) + base
    first_of_person = np.ones(len(p), dtype=bool)
    first_of_person[1:] = p[1:] != p[:-1]
    previous = np.empty(len(p), dtype=np.int64)
    previous[1:] = worked[:-1]
    previous[first_of_person] = habits.last_day[p[first_of_person]]
    silence = worked - previous
    # The firm's own pause between the history and the batch is nobody's dormancy.
    firm_pause = max(0, base - habits.firm_last_day - 1)
    silence[first_of_person] -= firm_pause
    limit = np.maximum(max(DORMANT_MIN_DAYS, habits.firm_longest_gap), 2.0 * habits.longest_gap[p])
    back = silence > limit
    return_day = np.full(len(habits.persons), never, dtype=np.int64)
    np.minimum.at(return_day, p[back], worked[back])
    silent_for = np.zeros(len(habits.persons))
    first_back = back & (worked == return_day[p])
    silent_for[p[first_back]] = silence[first_back]
    after = days >= return_day[person]
    out[rows] = np.where(after, return_day[person], never)
    quiet[rows] = np.where(after, silent_for[person], 0.0)
    return out, quiet


def learn_habits(frame: pd.DataFrame, history: TimeEntryHistory) -> Habits:
    """Learn the habits from validated history, on ``history``'s people (the model's
    ``TimeEntryHistory`` of the same frame: its person index and usual days)."""
    persons, usual_day = history.persons, history.med_day
    n = len(persons)
    pcode = persons.get_indexer(pd.Index(frame["person_id"].to_numpy(dtype=object)))
    day = _day_number(frame["work_date"])
    hours = frame["hours"].to_numpy(dtype=float)
    billable = frame["billable"].to_numpy(dtype=bool)
    project = pd.factorize(frame["project_id"].to_numpy(dtype=object))[0]
    descriptions = frame["description"].to_numpy(dtype=object)
    usual = usual_day[np.where(pcode >= 0, pcode, n)]
    last, gap, worked = _worked_gaps(pcode, day, n)

    person_day = group_ids(pcode, day)
    booked, billed = booked_day_rows(person_day, hours, billable, usual)
    booked_days = np.zeros(n)
    booked_billed = np.zeros(n)
    first_of_day = np.zeros(len(day), dtype=bool)
    first_of_day[np.unique(person_day, return_index=True)[1]] = True
    np.add.at(booked_days, pcode[booked & first_of_day], 1.0)
    billed_day = np.bincount(person_day, weights=billed)[person_day] > 0
    np.add.at(booked_billed, pcode[billed_day & first_of_day], 1.0)

    rows, days = repeated_blocks(pcode, project, day, hours, billable, usual, descriptions)
    block_days = np.zeros(n)
    if len(rows):
        np.maximum.at(block_days, pcode[rows], days[rows])

    texts, counts = np.unique(descriptions.astype(str), return_counts=True)
    common = frozenset(texts[counts >= COMMON_TEXT_COUNT].tolist())
    twins, _ = twin_rows(pcode, project, day, hours, billable, descriptions, frozenset())
    # Only rare texts can make a suspicious pair; pairs of common text are not counted.
    rare = np.array([str(t) not in common for t in descriptions[twins]], dtype=bool)
    has_twin = np.zeros(len(day))
    has_twin[twins[rare]] = 1.0
    project_ids = frame["project_id"].to_numpy(dtype=object)
    share = pd.Series(has_twin).groupby(project_ids).mean()
    return Habits(
        persons=persons,
        last_day=last,
        longest_gap=gap,
        worked_days=worked,
        block_days=block_days,
        booked_days=booked_days,
        booked_billed=booked_billed,
        firm_last_day=int(day.max()) if len(day) else 0,
        firm_longest_gap=float(gap[worked >= _ENOUGH_DAYS].max()) if (worked >= _ENOUGH_DAYS).any() else 0.0,
        common_texts=common,
        project_twin_share=share,
        firm_twin_share=float(has_twin.mean()) if len(has_twin) else 0.0,
    )
