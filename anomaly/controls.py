"""Deterministic controls: rules that flag an item whatever its model score.

Each rule is one vectorised test over the batch; messages are written only
for the rows that fail. Rules that need knowledge the caller did not give
(a rate card, staffing, SOW dates) stay silent rather than guess.

Time entries: ``duplicate_entry``, ``rate_not_on_card``, ``billed_as_other_role``,
``outside_sow_dates``, ``unusual_weekend_work``, ``unusual_holiday_work``,
``over_daily_hours``, ``not_staffed``, ``currency_mismatch``, ``outside_employment_dates``;
against the firm's own habits (``anomaly.features_habits``, learned at fit):
``returned_after_dormancy``, ``billed_on_booked_day``, ``same_entry_every_day``,
``copied_from_colleague``, ``billed_on_two_projects`` (the person's own entry, rare text and
all, again on another project the same day), ``billed_no_charge_work`` (billable time in the
words the firm's history records as non-billable), ``vague_narrative`` (a few words, far fewer
than the person writes, for more hours per word than any of their history's entries),
``overtime_on_short_day`` (a role the history bills only on long working days, an overtime or
premium category, billed on a working day shorter than any of those).

Invoices: ``line_arithmetic``, ``subtotal_mismatch``, ``total_mismatch``,
``duplicate_invoice``, ``over_not_to_exceed``, ``period_without_time``,
``price_not_on_card``, ``unusual_tax_rate``, ``second_invoice_in_cycle``,
``currency_mismatch``, ``hours_over_logged``, ``role_hours_over_logged`` (an hourly line billing
more hours of a role than that role logged on the project in the line's period),
``credit_over_original`` (a credit note for more than the invoice it names, or than the project
was billed), ``line_billed_again`` (a line without a role repeating, to the cent, the one earlier
line of its project with its text, of a text shape whose history texts are one-offs),
``hours_billed_before_worked`` (hourly lines for a period ending more than
``EARLY_INVOICE_DAYS`` after the invoice's date, or further for a project that bills ahead
habitually, such as prepaid blocks of hours; for a new project, as far as the firm does).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from typing import Any, cast

import numpy as np
import pandas as pd

from anomaly.features import (
    COVERAGE_SLACK_DAYS,
    EARLY_INVOICE_DAYS,
    Factorized,
    FeatureFrame,
    InvoiceHistory,
    TimeEntryHistory,
    _day_number,
    _lookup,
    _month,
    _pair_keys,
    fee_lines,
    group_ids,
    group_size,
    invoice_signature,
    logged_hours_between,
    rate_card_lookup,
    repeated_lines,
    text_shapes,
    unique_apply,
    unique_map,
)
from anomaly.features_habits import (
    BLOCK_MIN_DAYS,
    BOOKED_DAY_SHARE,
    Habits,
    booked_day_rows,
    dormant_return_day,
    narrative_words,
    no_charge_words,
    repeated_blocks,
    twin_rows,
)
from anomaly.schemas import ControlHit, ScoringContext
from anomaly.text_similarity import jaccard

__all__ = ["HIGH_SEVERITY_RULES", "ControlHits", "TimeEntryHits", "invoice_controls", "time_entry_controls"]

#: Rules whose hit is definitely wrong money, reviewed first.
HIGH_SEVERITY_RULES = frozenset(
    {
        "duplicate_entry",
        "billed_on_two_projects",
        "rate_not_on_card",
        "line_arithmetic",
        "subtotal_mismatch",
        "total_mismatch",
        "duplicate_invoice",
        "over_not_to_exceed",
        "currency_mismatch",
        "price_not_on_card",
    }
)
_NEAR_DUPLICATE = 0.7
#: Share of a person's history entries that repeat an earlier one above which repeating is their habit.
HABITUAL_REPEAT_SHARE = 0.005
HABITUAL_REPEATS = 3
#: A person splits a project's days into pieces when at least this share of their (at least
#: ``_MIN_SPLIT_DAYS``) days on it in the batch hold several entries.
_SPLIT_DAY_SHARE = 0.2
_MIN_SPLIT_DAYS = 10
#: ``logged_late``: at least this many days after the work, and this many times the person's
#: usual lag plus a week; not for a person with more than this share of their batch that late.
_LATE_DAYS = 30.0
_LATE_FACTOR = 4.0
_LATE_PERSON_SHARE = 0.25
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
#: A role the person billed on at least this share of their history is their own, whatever
#: the people record says now (a promotion moves the record, not the past).
_OWN_ROLE_SHARE = 0.2

#: ``billed_on_booked_day``: a person (or firm) who billed on at least this share of their
#: booked days in the history mixes them routinely.
_MIXED_DAY_SHARE = 0.1
#: ``copied_from_colleague``: a project on which this share of the history's entries has a
#: same-day twin of rare text by someone else co-logs routinely (pair work, workshops).
_TWIN_PROJECT_SHARE = 0.005
#: ``billed_no_charge_work``: billable time whose narrative's least-billed words were billable
#: on under this share of the history's entries holding them (the firm's own no-charge work).
_NO_CHARGE_SHARE = 0.2
#: ``vague_narrative``: a narrative of at most this many words, and at most this share of the
#: person's usual narrative's words.
_VAGUE_MAX_WORDS = 3
_VAGUE_WORD_SHARE = 0.5
#: A figure (a ticket, a reference, a day number) makes a narrative specific.
_FIGURE = re.compile(r"\d")
#: ``line_billed_again``: only for text shapes with at least this many distinct texts per line
#: in the history (a reference number that changes every time).
_ONE_OFF_SHAPE_SHARE = 0.9
#: ``same_entry_every_day``: silent in a firm where this share of people log such blocks.
_BLOCK_FIRM_SHARE = 1 / 3

#: position -> the control hits of that item (positions without hits are absent).
ControlHits = Mapping[int, list[ControlHit]]


class TimeEntryHits(Mapping[int, list[ControlHit]]):
    """A batch's control hits, kept per rule as the rows it fired on.

    Which rows each rule flags is settled when the rule runs; a row's ``ControlHit`` objects
    and messages are written the first time the row is read (a result being served), so a
    million-row batch with tens of thousands of hits pays for text only for what is read.
    A message function is therefore called after the rules have run: it must read only
    values that stay as they were when the rule was added.
    """

    def __init__(self) -> None:
        self._rules: list[tuple[str, np.ndarray, Callable[[int], str]]] = []
        self._slots: dict[int, list[int]] | None = None
        self._built: dict[int, list[ControlHit]] = {}

    def add(
        self, rule: str, rows: np.ndarray, message: Callable[[int], str], *, after: str | None = None
    ) -> None:
        """Record ``rule`` on ``rows`` (distinct positions). A row lists its hits in the order
        the rules were added, except that a rule added ``after`` another comes right after
        that one's hits (first when it has none)."""
        rows = np.asarray(rows, dtype=np.int64)
        if not len(rows):
            return
        position = len(self._rules)
        if after is not None:
            named = [k for k, (name, _, _) in enumerate(self._rules) if name == after]
            position = named[-1] + 1 if named else 0
        self._rules.insert(position, (rule, rows, message))
        self._slots = None
        self._built.clear()

    def rows(self, rules: Collection[str] | None = None) -> np.ndarray:
        """The distinct positions with a hit (of one of ``rules``, when given), ascending."""
        chosen = [rows for name, rows, _ in self._rules if rules is None or name in rules]
        return np.unique(np.concatenate(chosen)) if chosen else np.zeros(0, dtype=np.int64)

    def _index(self) -> dict[int, list[int]]:
        if self._slots is None:
            slots: dict[int, list[int]] = {}
            if self._rules:
                positions = np.concatenate([rows for _, rows, _ in self._rules])
                rule_of = np.repeat(np.arange(len(self._rules)), [len(rows) for _, rows, _ in self._rules])
                order = np.lexsort((rule_of, positions))
                for i, k in zip(positions[order].tolist(), rule_of[order].tolist(), strict=True):
                    slots.setdefault(i, []).append(k)
            self._slots = slots
        return self._slots

    def __getitem__(self, i: int) -> list[ControlHit]:
        built = self._built.get(i)
        if built is not None:
            return built
        rules = self._index().get(i)
        if rules is None:
            raise KeyError(i)
        built = []
        for k in rules:
            rule, _, message = self._rules[k]
            built.append(ControlHit(rule=rule, message=message(i)))
        self._built[i] = built
        return built

    def documents(self, positions: list[int]) -> list[list[dict[str, Any]]]:
        """Each position's hits as ``ControlHit.model_dump(mode="json")`` writes them ([] for
        a position without hits), without building the objects."""
        index = self._index()
        out: list[list[dict[str, Any]]] = []
        for i in positions:
            rules = index.get(i)
            if rules is None:
                out.append([])
                continue
            built = self._built.get(i)
            if built is not None:
                out.append([{"rule": hit.rule, "message": hit.message} for hit in built])
                continue
            hits = []
            for k in rules:
                rule, _, message = self._rules[k]
                hits.append({"rule": rule, "message": message(i)})
            out.append(hits)
        return out

    def __contains__(self, i: object) -> bool:
        return i in self._index()

    def __iter__(self) -> Iterator[int]:
        return iter(self._index())

    def __len__(self) -> int:
        return len(self._index())


def _add(
    hits: TimeEntryHits | defaultdict[int, list[ControlHit]],
    mask: np.ndarray,
    rule: str,
    message: Callable[[int], str],
) -> None:
    if isinstance(hits, TimeEntryHits):
        hits.add(rule, np.flatnonzero(mask), message)
        return
    for i in np.flatnonzero(mask).tolist():
        hits[i].append(ControlHit(rule=rule, message=message(i)))


class _DayText:
    """``YYYY-MM-DD`` of a row's work date, rendered only for the rows a message needs."""

    def __init__(self, dates: np.ndarray) -> None:
        # In the unit given (a frame's nanoseconds, not copied); a row is cut to its day when read.
        self._dates = np.asarray(dates)
        # Rows of a batch share few dates: each distinct one is rendered once (by its ticks in
        # that unit, so NaT, whatever its rows, is one key too).
        self._ticks = self._dates.view(np.int64)
        self._text: dict[int, str] = {}

    def __getitem__(self, i: int) -> str:
        tick = self._ticks[i]
        text = self._text.get(tick)
        if text is None:
            text = self._text[tick] = str(self._dates[i].astype("datetime64[D]"))
        return text


def _factors(display: dict[str, Any], name: str) -> Factorized:
    """The features' factorization of an id column (the display holds them next to arrays)."""
    value = display[name]
    if not isinstance(value, Factorized):
        raise TypeError(f"features.display[{name!r}] is not a Factorized column")
    return value


def _per_value(function: Callable[[Any], Any], factors: Factorized, dtype: Any = object) -> np.ndarray:
    """``function`` of each distinct value of a factorized column, as a table indexed by the
    column's codes: one call per value and no grouping of the rows."""
    values = [function(v) for v in factors.uniques]
    if dtype is object:
        return np.array([*values, None], dtype=object)[:-1]
    return np.array(values, dtype=dtype)


def _role_numbers(billed: Iterable[Any], recorded: Iterable[Any]) -> tuple[np.ndarray, np.ndarray]:
    """Billed and recorded roles numbered on one table of lower-cased names, so that rows compare
    as integers: a recorded role nobody bills is -1, none recorded (``""``) -2."""
    lowered: dict[str, int] = {}
    billed_as = [lowered.setdefault(str(b).lower(), len(lowered)) for b in billed]
    recorded_as = [lowered.get(str(a).lower(), -1) if a != "" else -2 for a in recorded]
    return np.array(billed_as, dtype=np.int64), np.array(recorded_as, dtype=np.int64)


def _money(value: float) -> str:
    return f"{value:,.0f}" if abs(value - round(value)) < 0.005 else f"{value:,.2f}"


def duplicate_entries(frame: pd.DataFrame, features: FeatureFrame) -> dict[int, int]:
    """Later rows that duplicate an earlier one: same person, project, day and hours, near-identical text."""
    bands = features.display["bands"]
    hours = np.round(frame["hours"].to_numpy(dtype=float), 2)
    description = frame["description"].to_numpy(dtype=object)
    project = frame["project_id"].to_numpy(dtype=object)
    person_day = features.display["person_day"]
    factors = features.display.get("project_factors")
    project_codes = factors if isinstance(factors, Factorized) else Factorized(project)
    # A copy shares its person's day with another entry: only the rows of such days (a minority)
    # are grouped by day, hours and project, which hashes.
    several = np.flatnonzero(group_size(person_day) > 1)
    base = np.zeros(len(frame), dtype=np.int64)
    base[several] = group_ids(
        person_day[several],
        np.round(hours[several] * 100).astype(np.int64),
        Factorized.from_codes(project_codes.codes[several], project_codes.uniques),
    )
    duplicate_of: dict[int, int] = {}
    # Only rows sharing their person, day, project and hours with another can be a copy; the
    # text bands are compared among those few.
    shared = several[group_size(base[several]) > 1]
    if not len(shared):
        return duplicate_of
    shared_base, shared_bands = base[shared], bands[shared]
    candidates = np.zeros(len(shared), dtype=bool)
    for b in range(shared_bands.shape[1]):
        band = shared_bands[:, b]
        candidates |= (group_size(group_ids(shared_base, band)) > 1) & (band != 0)
    empty = shared_bands[:, 0] == 0
    candidates |= empty & (group_size(group_ids(shared_base, empty.astype(np.int64))) > 1)
    if not candidates.any():
        return duplicate_of
    positions = shared[candidates]
    # Candidates by group, each group in row order.
    order = np.lexsort((positions, base[positions]))
    positions, keys = positions[order], base[positions][order]
    cuts = np.flatnonzero(keys[1:] != keys[:-1]) + 1
    for members in np.split(positions, cuts):
        ordered = members.tolist()
        for a_index, a in enumerate(ordered):
            if a in duplicate_of:
                continue
            for b in ordered[a_index + 1 :]:
                if b in duplicate_of:
                    continue
                text_a, text_b = description[a], description[b]
                both_empty = not text_a and not text_b
                # The same text is as near as texts get (a Jaccard similarity of 1): no shingling.
                if (both_empty and project[a] == project[b]) or (
                    not both_empty
                    and (text_a == text_b or jaccard(str(text_a), str(text_b)) >= _NEAR_DUPLICATE)
                ):
                    duplicate_of[b] = a
    return duplicate_of


def _past_daily_limit(
    frame: pd.DataFrame, person_day: np.ndarray, day_total: np.ndarray, limit: float, suspect: np.ndarray
) -> np.ndarray:
    """The fewest entries of each day past ``limit`` whose removal brings it back within it:
    entries another control already questions first, then the longest, then the later logged
    (then the later row). A blown-up or misbooked entry is the one to question, not the short
    ones that happen to be logged after it. Only days past the limit are sorted."""
    over = np.zeros(len(frame), dtype=bool)
    rows = np.flatnonzero(day_total > limit + 1e-9)
    if not len(rows):
        return over
    hours = frame["hours"].to_numpy(dtype=float)[rows]
    logged = frame["logged_at"].to_numpy(dtype="datetime64[ns]").astype(np.int64)[rows]
    order = np.lexsort((-rows, -logged, -hours, ~suspect[rows], person_day[rows]))
    removed = np.cumsum(hours[order])
    groups = person_day[rows][order]
    starts = np.r_[True, groups[1:] != groups[:-1]]
    offsets = np.maximum.accumulate(np.where(starts, np.arange(len(order)), 0))
    removed_before_group = np.where(offsets > 0, removed[np.maximum(offsets - 1, 0)], 0.0)
    removed_before = removed - hours[order] - removed_before_group
    over[rows[order]] = day_total[rows][order] - removed_before > limit + 1e-9
    return over


#: Copies of one person's day recorded at one instant, at least this many: the day imported again.
_REIMPORT_MIN_COPIES = 3


def _reimported_copies(frame: pd.DataFrame, person_day: np.ndarray, duplicate_of: dict[int, int]) -> set[int]:
    """Copies that arrived together: at least ``_REIMPORT_MIN_COPIES`` copies of one person's day
    with one recording time, later than each of their originals (a sync or an export read
    twice). Such a day is no habit of repeating an entry, whatever the person's history holds
    (an earlier re-import there is what makes it look like one)."""
    if len(duplicate_of) < _REIMPORT_MIN_COPIES:
        return set()
    logged = frame["logged_at"].to_numpy(dtype="datetime64[ns]")
    copies = np.fromiter(duplicate_of, dtype=np.int64)
    originals = np.fromiter(duplicate_of.values(), dtype=np.int64)
    later = logged[copies] > logged[originals]
    copies = copies[later]
    if len(copies) < _REIMPORT_MIN_COPIES:
        return set()
    together = group_ids(person_day[copies], logged[copies].astype(np.int64))
    return set(copies[group_size(together) >= _REIMPORT_MIN_COPIES].tolist())


def _splits_project_days(frame: pd.DataFrame, d: dict[str, Any], duplicate_of: dict[int, int]) -> np.ndarray:
    """Rows of people who, in this batch, split many of their days on the project into
    several entries whose hours and text repeat across days: among such pieces a same-day
    repeat happens by chance, so it is not the evidence of a double entry it is for someone
    who logs a project once a day. The duplicates found are left out of the counts."""
    spared = np.zeros(len(frame), dtype=bool)
    if not duplicate_of:
        return spared
    persons, projects = _factors(d, "person_factors"), _factors(d, "project_factors")
    copies = np.zeros(len(frame), dtype=bool)
    copies[list(duplicate_of)] = True
    # Only the rows of people with a duplicate are counted.
    involved_person = np.zeros(len(persons.uniques), dtype=bool)
    involved_person[persons.codes[copies]] = True
    rows = np.flatnonzero(involved_person[persons.codes])
    person_project = group_ids(persons.codes[rows], projects.codes[rows])
    n_pairs = int(person_project.max()) + 1
    involved = np.zeros(n_pairs, dtype=bool)
    involved[person_project[copies[rows]]] = True
    keep = involved[person_project] & ~copies[rows]
    kept, pair = rows[keep], person_project[keep]
    # Days on the project, and those holding several entries.
    day_of = group_ids(pair, d["day"][kept])
    per_day = np.bincount(day_of)
    day_pair = np.zeros(len(per_day), dtype=np.int64)
    day_pair[day_of] = pair
    days = np.bincount(day_pair, minlength=n_pairs)
    split_days = np.bincount(day_pair, weights=per_day >= 2, minlength=n_pairs)
    # Whether two of the entries (any days) share hours and text at all.
    hours = np.round(frame["hours"].to_numpy(dtype=float)[kept] * 100).astype(np.int64)
    combo = group_ids(pair, hours, d["bands"][kept, 0])
    combo_count = np.bincount(combo)
    combo_pair = np.zeros(len(combo_count), dtype=np.int64)
    combo_pair[combo] = pair
    repeating = np.bincount(combo_pair, weights=combo_count >= 2, minlength=n_pairs) > 0
    habit = (days >= _MIN_SPLIT_DAYS) & (split_days >= _SPLIT_DAY_SHARE * days) & repeating
    spared[rows] = habit[person_project]
    return spared


def _before_promotion(
    d: dict[str, Any],
    history: TimeEntryHistory,
    roles_by_person: dict[str, str],
    differs: np.ndarray,
) -> np.ndarray:
    """Rows billed at another role than the people record's, dated before the person's first
    entry at the recorded role in the batch, for a person whose history never billed it: the
    record lists today's role, and a promotion inside the batch moved it (a joiner has no
    history to show the earlier role)."""
    spared = np.zeros(len(differs), dtype=bool)
    if not differs.any():
        return spared
    persons = _factors(d, "person_factors")
    roles = _factors(d, "role_factors")
    # Only the people with a differing row are looked at, and only their rows.
    involved = np.zeros(len(persons.uniques), dtype=bool)
    involved[persons.codes[differs]] = True
    rows = np.flatnonzero(involved[persons.codes])
    person_codes = persons.codes[rows]
    recorded = np.array([roles_by_person.get(p, "").lower() for p in persons.uniques], dtype=object)
    billed_as, recorded_as = _role_numbers(roles.uniques, recorded)
    recorded_rows = recorded_as[person_codes]
    at_recorded = (recorded_rows >= 0) & (billed_as[roles.codes[rows]] == recorded_rows)
    day = d["day"][rows]
    first_recorded = np.full(len(persons.uniques), np.iinfo(np.int64).max)
    np.minimum.at(first_recorded, person_codes[at_recorded], day[at_recorded])
    # Whether the person's history already billed the recorded role (then no allowance).
    history_role = {str(r).lower(): k for k, r in enumerate(history.roles)}
    person_prow = np.full(len(persons.uniques), len(history.persons), dtype=np.int64)
    person_prow[person_codes] = d["prow"][rows]
    codes = np.flatnonzero(involved)
    role_code = np.array([history_role.get(recorded[c], -1) for c in codes.tolist()], dtype=np.int64)
    known = (person_prow[codes] < len(history.persons)) & (role_code >= 0)
    share = _lookup(
        history.person_role_share, _pair_keys(person_prow[codes], role_code, len(history.roles)), 0.0
    )
    seen_before = np.zeros(len(persons.uniques), dtype=bool)
    seen_before[codes] = known & (share > 0)
    spared[rows] = differs[rows] & ~seen_before[person_codes] & (day < first_recorded[person_codes])
    return spared


def time_entry_controls(
    frame: pd.DataFrame,
    features: FeatureFrame,
    *,
    history: TimeEntryHistory,
    context: ScoringContext | None,
    max_hours_per_day: float,
    factors: Mapping[str, Factorized] | None = None,
) -> TimeEntryHits:
    """Run every time-entry control over a validated batch.

    Parameters
    ----------
    frame
        Validated entries.
    features
        Their features (the controls reuse the daily totals and description bands).
    history
        The model's learned history (who never works weekends or holidays).
    context
        Rate cards, people's roles and staffing, SOW dates, currencies.
    max_hours_per_day
        Limit of hours one person logs in a day across projects.
    factors
        The batch's id columns already factorized (``IngestedBatch.factors``), if at hand.

    Returns
    -------
    TimeEntryHits
        position -> control hits (positions without hits are absent); a mapping whose hit
        objects are built when read.
    """
    hits = _time_entry_rule_hits(frame, features, history=history, context=context, factors=factors)
    # The daily limit goes last: an entry another rule questions is the likelier excess.
    d = features.display
    day_total = d["day_total"]
    suspect = np.zeros(len(frame), dtype=bool)
    suspect[hits.rows()] = True
    over = _past_daily_limit(frame, d["person_day"], day_total, max_hours_per_day, suspect)
    dates = _DayText(frame["work_date"].to_numpy(dtype="datetime64[ns]"))
    limit = f"{max_hours_per_day:g}"
    # Listed after a duplicate, before the rules about rates, roles and dates, as before.
    hits.add(
        "over_daily_hours",
        np.flatnonzero(over),
        lambda i: f"{day_total[i]:.1f} h logged on {dates[i]} across projects (limit {limit} h)",
        after="duplicate_entry",
    )
    return hits


def _habit_hits(
    hits: TimeEntryHits,
    frame: pd.DataFrame,
    d: dict[str, Any],
    history: TimeEntryHistory,
    context: ScoringContext | None,
) -> None:
    """The rules that compare a batch with the person's (and the firm's) own habits, learned at
    fit (``anomaly.features_habits``); silent for a model fitted before they existed."""
    habits = getattr(history, "habits", None)
    if not isinstance(habits, Habits) or len(habits.persons) != len(history.persons):
        return
    prow, known, day = d["prow"], d["known_person"], d["day"]
    hours = frame["hours"].to_numpy(dtype=float)
    billable = frame["billable"].to_numpy(dtype=bool)
    usual_day = d["usual_day"]
    person_codes = _factors(d, "person_factors").codes
    project_codes = _factors(d, "project_factors").codes
    person = frame["person_id"].to_numpy(dtype=object)
    project = frame["project_id"].to_numpy(dtype=object)
    descriptions = frame["description"].to_numpy(dtype=object)
    # The features' codes of the descriptions (the CSV reader's, when it gave them).
    text = d.get("description_factors")
    if not isinstance(text, Factorized):
        text = Factorized(descriptions)
    ids = frame["entry_id"].to_numpy(dtype=object)
    dates = _DayText(frame["work_date"].to_numpy(dtype="datetime64[D]"))
    n_known = len(habits.persons)

    # Billing again after a silence far longer than the person ever had, with no HR dates to
    # say whether they still work here (dated people are the employment rule's).
    back, silence = dormant_return_day(prow, day, d["person_day"], habits, known=known)
    dormant = billable & (back != np.iinfo(np.int64).max)
    if dormant.any() and context is not None and context.people:
        hired_after = {
            p.person_id
            for p in context.people
            if p.start_date is not None
            and (i := habits.persons.get_indexer(pd.Index([p.person_id]))[0]) >= 0
            and int(np.datetime64(p.start_date, "D").astype(np.int64)) > habits.last_day[i]
        }
        ended = {p.person_id for p in context.people if p.end_date is not None}
        skip = unique_apply(lambda p: p in hired_after or p in ended, d["person_factors"], dtype=bool)
        dormant &= ~skip
    longest = habits.longest_gap
    # One return is one finding: every entry of it carries the same message, which says how much
    # of the batch it holds, so a reader (or the review queue) can take the episode as a whole.
    episode_rows = np.flatnonzero(dormant)
    episode_entries = np.bincount(
        person_codes[episode_rows], minlength=len(_factors(d, "person_factors").uniques)
    )
    episode_last = np.zeros(len(episode_entries), dtype=np.int64)
    np.maximum.at(episode_last, person_codes[episode_rows], day[episode_rows].astype(np.int64))
    _add(
        hits,
        dormant,
        "returned_after_dormancy",
        lambda i: (
            f"{person[i]} logged no time for {silence[i]:.0f} days before "
            f"{np.datetime64(int(back[i]), 'D')}; "
            f"their longest gap in {int(habits.worked_days[prow[i]])} days of history was "
            f"{longest[prow[i]]:.0f} days (the firm's {habits.firm_longest_gap:.0f}), "
            "and no leaving date is on record; "
            f"{episode_entries[person_codes[i]]} billable entries since, to "
            f"{np.datetime64(int(episode_last[person_codes[i]]), 'D')}"
        ),
    )

    # Billable time on a day one non-billable entry (leave, sickness, a training day) already fills.
    booked, billed = booked_day_rows(d["person_day"], hours, billable, usual_day)
    if billed.any():
        total_days = habits.booked_days.sum()
        firm_share = habits.booked_billed.sum() / total_days if total_days else 0.0
        own_days = np.where(known, habits.booked_days[np.minimum(prow, n_known - 1)], 0.0)
        own_billed = np.where(known, habits.booked_billed[np.minimum(prow, n_known - 1)], 0.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            own_habit = (own_days >= 3) & (own_billed / np.maximum(own_days, 1.0) >= _MIXED_DAY_SHARE)
        if firm_share >= _MIXED_DAY_SHARE:
            billed[:] = False
        billed &= ~own_habit
        fills = np.flatnonzero(~billable & booked & (hours >= BOOKED_DAY_SHARE * usual_day))
        filled_by = np.full(int(d["person_day"].max()) + 1 if len(hours) else 0, -1, dtype=np.int64)
        filled_by[d["person_day"][fills]] = fills
        _add(
            hits,
            billed,
            "billed_on_booked_day",
            lambda i: (
                f"bills {hours[i]:g} h on {dates[i]}, a day already filled by "
                f"{hours[filled_by[d['person_day'][i]]]:g} h of non-billable time on "
                f"{project[filled_by[d['person_day'][i]]]}"
            ),
        )

    # The same entry, unchanged, every day: a timesheet filled by habit rather than by the work.
    own = np.where(known, habits.block_days[np.minimum(prow, n_known - 1)], np.inf)
    if habits.firm_block_share >= _BLOCK_FIRM_SHARE:
        own[:] = np.inf
    rows, days = repeated_blocks(person_codes, project_codes, day, hours, billable, usual_day, text, own)
    if len(rows):
        block = np.zeros(len(hours), dtype=bool)
        block[rows] = (days[rows] >= BLOCK_MIN_DAYS) & (own[rows] < 0.5 * days[rows])
        _add(
            hits,
            block,
            "same_entry_every_day",
            lambda i: (
                f"the same {hours[i]:g} h entry '{descriptions[i]}' on {project[i]} on {days[i]:.0f} days; "
                f"this person's history repeats no such entry on more than "
                f"{habits.block_days[prow[i]]:.0f} days"
            ),
        )

    # Another person's entry, text and all, on the same project and day: a copy, unless the
    # firm's common text or a project whose history holds such pairs (people co-logging a meeting).
    rows, group = twin_rows(person_codes, project_codes, day, hours, billable, text, habits.common_texts)
    if len(rows):
        share = habits.project_twin_share.reindex(project[rows]).to_numpy(dtype=float)
        share = np.where(np.isfinite(share), share, habits.firm_twin_share)
        keep = share < _TWIN_PROJECT_SHARE
        rows, group = rows[keep], group[keep]
    copy_of = _later_logged_copies(frame, rows, group)
    _add(
        hits,
        np.isin(np.arange(len(hours)), list(copy_of)),
        "copied_from_colleague",
        lambda i: f"same project, date, hours and description as {ids[copy_of[i]]} by {person[copy_of[i]]}",
    )

    _no_charge_hits(hits, billable, text, descriptions, habits)
    _vague_hits(hits, billable, hours, text, descriptions, d, habits)
    _overtime_hits(hits, frame, d, history, billable, habits)

    # The person's own entry, text and all, booked again on another project the same day: the
    # same work billed twice (to two clients or budgets). The text must be rare, as for a
    # colleague's copy: the firm's common texts ('slide prep') recur across projects by chance.
    rows, group = twin_rows(project_codes, person_codes, day, hours, billable, text, habits.common_texts)
    copied_to = _later_logged_copies(frame, rows, group)
    _add(
        hits,
        known & np.isin(np.arange(len(hours)), list(copied_to)),
        "billed_on_two_projects",
        lambda i: (
            f"same date, hours and description as {ids[copied_to[i]]} on {project[copied_to[i]]}: "
            "the same work billed to two projects"
        ),
    )


def _overtime_floor(role: np.ndarray, d: dict[str, Any], habits: Any) -> np.ndarray:
    """Per row: the shortest working day the history bills the row's role on, for the roles it
    bills only on long days (``Habits.overtime_roles``); NaN for every other role."""
    floors = getattr(habits, "overtime_roles", None) or {}
    out = np.full(len(role), np.nan)
    if not floors:
        return out
    roles = _factors(d, "role_factors")
    per_role = np.array([floors.get(str(r).lower(), np.nan) for r in roles.uniques.tolist()], dtype=float)
    return per_role[roles.codes] if len(per_role) else out


def _overtime_hits(
    hits: TimeEntryHits,
    frame: pd.DataFrame,
    d: dict[str, Any],
    history: TimeEntryHistory,
    billable: np.ndarray,
    habits: Habits,
) -> None:
    """``overtime_on_short_day``: a role the firm bills only past the straight day (its history
    never bills it on a working day shorter than the floor) on an ordinary working day: straight
    hours at the overtime category. Weekend days are left alone, where premium time may start
    at the first hour."""
    role = frame["role"].to_numpy(dtype=object)
    floor = _overtime_floor(role, d, habits)
    if not np.isfinite(floor).any():
        return
    learned_weekend = getattr(history, "weekend", None)
    if learned_weekend is None or len(learned_weekend) != len(history.worked_days):
        weekend = d["weekday"] >= 5
    else:
        weekend = learned_weekend[d["prow"], d["weekday"]]
    day_total = d["day_total"]
    with np.errstate(invalid="ignore"):
        short = billable & ~weekend & (day_total < floor)
    dates = _DayText(frame["work_date"].to_numpy(dtype="datetime64[D]"))
    _add(
        hits,
        short,
        "overtime_on_short_day",
        lambda i: (
            f"billed as {role[i]} on {dates[i]}, a {day_total[i]:g} h working day; the history bills "
            f"{role[i]} only on working days of {floor[i]:g} h or more"
        ),
    )


def _no_charge_hits(
    hits: TimeEntryHits, billable: np.ndarray, text: Factorized, descriptions: np.ndarray, habits: Habits
) -> None:
    """``billed_no_charge_work``: billable time described in the words the firm's own history
    records as non-billable (clerical work, a no-charge marker), learned per firm, not listed."""
    word_share = getattr(habits, "word_billable_share", None)
    if word_share is None or not len(word_share) or not billable.any():
        return
    billed_texts = np.unique(text.codes[billable])
    share = np.full(len(text.uniques), np.nan)
    word = np.full(len(text.uniques), "", dtype=object)
    share[billed_texts], word[billed_texts] = no_charge_words(
        text.uniques[billed_texts], word_share, below=_NO_CHARGE_SHARE
    )
    row_share = share[text.codes]
    _add(
        hits,
        billable & (row_share < _NO_CHARGE_SHARE),
        "billed_no_charge_work",
        lambda i: (
            f"'{descriptions[i]}' billed; the firm's history bills {word_share[word[text.codes[i]]]:.0%} "
            f"of its entries with '{word[text.codes[i]]}' in the narrative"
        ),
    )


def _vague_hits(
    hits: TimeEntryHits,
    billable: np.ndarray,
    hours: np.ndarray,
    text: Factorized,
    descriptions: np.ndarray,
    d: dict[str, Any],
    habits: Habits,
) -> None:
    """``vague_narrative``: substantive hours behind a few generic words ("Work on file"), far
    fewer than the person writes, with no figure, in a text new to the firm's history, and more
    hours per word than any entry of the person's history billed."""
    usual = getattr(habits, "narrative_words", np.zeros(0))
    most = getattr(habits, "hours_per_word_max", np.zeros(0))
    if len(usual) != len(habits.persons) or not billable.any():
        return
    known = d["known_person"]
    person = np.minimum(d["prow"], max(len(usual) - 1, 0))
    short = np.zeros(len(text.uniques), dtype=bool)
    words = np.ones(len(text.uniques))
    # Texts without a figure that the history does not use routinely; their words are counted.
    candidates = np.array(
        [
            c
            for c in np.unique(text.codes[billable]).tolist()
            if not _FIGURE.search(str(text.uniques[c])) and str(text.uniques[c]) not in habits.common_texts
        ],
        dtype=np.int64,
    )
    if len(candidates):
        words[candidates] = narrative_words(text.uniques[candidates])
        short[candidates] = words[candidates] <= _VAGUE_MAX_WORDS
    row_words = words[text.codes]
    with np.errstate(invalid="ignore"):
        vague = (
            billable
            & known
            & short[text.codes]
            & (row_words <= _VAGUE_WORD_SHARE * usual[person])
            & (hours / row_words > most[person])
        )
    _add(
        hits,
        vague,
        "vague_narrative",
        lambda i: (
            f"'{descriptions[i]}' for {hours[i]:g} h: this person's narratives usually run "
            f"{usual[person[i]]:.0f} words, and none of their history's entries billed more than "
            f"{most[person[i]]:.2f} h per word"
        ),
    )


def _later_logged_copies(frame: pd.DataFrame, rows: np.ndarray, group: np.ndarray) -> dict[int, int]:
    """Within each group of twin rows, every row but the first logged, mapped to that first one."""
    if not len(rows):
        return {}
    logged = frame["logged_at"].to_numpy(dtype="datetime64[ns]")[rows].astype(np.int64)
    order = np.lexsort((rows, logged, group))
    rows, group = rows[order], group[order]
    first = np.ones(len(rows), dtype=bool)
    first[1:] = group[1:] != group[:-1]
    original = rows[np.maximum.accumulate(np.where(first, np.arange(len(rows)), 0))]
    return dict(zip(rows[~first].tolist(), original[~first].tolist(), strict=True))


def _time_entry_rule_hits(
    frame: pd.DataFrame,
    features: FeatureFrame,
    *,
    history: TimeEntryHistory,
    context: ScoringContext | None,
    factors: Mapping[str, Factorized] | None = None,
) -> TimeEntryHits:
    hits = TimeEntryHits()
    d = features.display
    ids = frame["entry_id"].to_numpy(dtype=object)
    person = frame["person_id"].to_numpy(dtype=object)
    project = frame["project_id"].to_numpy(dtype=object)
    role = frame["role"].to_numpy(dtype=object)
    rate = frame["bill_rate"].to_numpy(dtype=float)
    billable = frame["billable"].to_numpy(dtype=bool)
    dates = _DayText(frame["work_date"].to_numpy(dtype="datetime64[ns]"))

    # A person whose history routinely repeats an entry (two identical stand-ups a day) is not
    # double-billing when they do it again; the model still weighs the repetition.
    repeat_share = getattr(history, "repeat_share", np.zeros(0))
    if len(repeat_share) == len(history.worked_days):
        share = repeat_share[d["prow"]]
        repeats = share * history.n_entries[d["prow"]]
        habitual = d["known_person"] & (share >= HABITUAL_REPEAT_SHARE) & (repeats >= HABITUAL_REPEATS)
    else:
        habitual = np.zeros(len(frame), dtype=bool)
    duplicate_of = duplicate_entries(frame, features)
    split = _splits_project_days(frame, d, duplicate_of)
    reimported = _reimported_copies(frame, d["person_day"], duplicate_of)
    hits.add(
        "duplicate_entry",
        np.array(
            [i for i in duplicate_of if i in reimported or not (habitual[i] or split[i])], dtype=np.int64
        ),
        lambda i: (
            f"duplicates entry {ids[duplicate_of[i]]}: same person, project, date and hours, "
            "near-identical description"
        ),
    )

    prow = d["prow"]
    known = d["known_person"]
    # The weekend is what the person's country (or the firm) rarely works, learned from the history.
    learned_weekend = getattr(history, "weekend", None)
    if learned_weekend is None or len(learned_weekend) != len(history.worked_days):
        weekend = d["weekday"] >= 5
    else:
        weekend = learned_weekend[prow, d["weekday"]]
    enough = history.worked_days[prow] >= 20
    never_weekend = known & enough & (history.weekend_days[prow] == 0)
    _add(
        hits,
        billable & weekend & never_weekend,
        "unusual_weekend_work",
        lambda i: (
            f"bills a {_WEEKDAYS[int(d['weekday'][i])]} ({dates[i]}), a weekend day where they work; "
            f"this person has never worked a weekend in {int(history.worked_days[prow[i]])} days of history"
        ),
    )
    # Billable time recorded months after the work, by someone who records it promptly: the
    # threshold scales with the person's usual lag, and a person most of whose batch is that
    # late (a changed habit, or an export stamping every row) is left to the model.
    lag = d["lag"]
    usual_lag = np.maximum(np.nan_to_num(d["usual_lag"], nan=0.0), 0.0)
    late_after = np.maximum(_LATE_DAYS, _LATE_FACTOR * (usual_lag + 7.0))
    with np.errstate(invalid="ignore"):
        late = billable & np.isfinite(lag) & (lag >= late_after)
    if late.any():
        codes = _factors(d, "person_factors").codes
        late_share = np.bincount(codes, weights=late) / np.bincount(codes)
        late &= late_share[codes] <= _LATE_PERSON_SHARE
    _add(
        hits,
        late,
        "logged_late",
        lambda i: (
            f"logged {lag[i]:.0f} days after the work ({dates[i]}); "
            f"this person usually logs within {usual_lag[i]:.0f} day{'' if round(usual_lag[i]) == 1 else 's'}"
        ),
    )
    never_holiday = known & (history.holidays_seen[prow] >= 2) & (history.holidays_worked[prow] == 0)
    _add(
        hits,
        billable & d["holiday"] & never_holiday,
        "unusual_holiday_work",
        lambda i: (
            f"bills a public holiday ({dates[i]}); this person worked none of "
            f"{int(history.holidays_seen[prow[i]])} holidays in their history"
        ),
    )

    _habit_hits(hits, frame, d, history, context)

    if context is None:
        return hits
    # The features' own lookup of this context's card (they read it, like card_rate), when given.
    features_card = d.get("rate_card")
    card = (
        cast(dict[tuple[str, str], list[float]], features_card)
        if features_card is not None
        else rate_card_lookup(context)
    )
    projects = {p.project_id: p for p in context.projects}
    people = {p.person_id: p for p in context.people}

    if card:
        carded = {p for p, _ in card}

        def card_verdict(p: str, r: str, x: float) -> str | None:
            """None when the rate is on the card (or nothing to check), else the message tail."""
            if p not in carded or not np.isfinite(x):
                return None
            rates = card.get((p, str(r).lower()))
            if rates and any(abs(x - c) <= max(0.005 * c, 0.01) for c in rates):
                return None
            if rates:
                return f"the rate card says {'/'.join(_money(c) for c in rates)}/h for {r}"
            return f"{r or 'no role'} is not on the rate card"

        # A rate equal to the card's (first) rate for the row's project and role is on the card;
        # only the other billable rows of carded projects are looked up rate by rate.
        projects_f = _factors(d, "project_factors")
        on_carded = np.array([p in carded for p in projects_f.uniques], dtype=bool)[projects_f.codes]
        first_rate = d["card_rate"]
        with np.errstate(invalid="ignore"):
            matches_first = np.abs(rate - first_rate) <= np.maximum(0.005 * first_rate, 0.01)
        check = np.flatnonzero(billable & on_carded & np.isfinite(rate) & ~matches_first)
        off_card = np.zeros(len(frame), dtype=bool)
        verdict = np.empty(len(frame), dtype=object)
        if len(check):
            roles_f = _factors(d, "role_factors")
            verdicts, verdict_of = unique_map(
                card_verdict,
                Factorized.from_codes(projects_f.codes[check], projects_f.uniques),
                Factorized.from_codes(roles_f.codes[check], roles_f.uniques),
                rate[check],
            )
            found = pd.notna(verdicts)[verdict_of]
            off_card[check[found]] = True
            verdict[check[found]] = verdicts[verdict_of[found]]
        _add(
            hits,
            off_card,
            "rate_not_on_card",
            lambda i: f"bills {_money(rate[i])}/h; {verdict[i]}",
        )

    if people:
        roles_by_person = {p: (v.role or "") for p, v in people.items()}
        persons_f, roles_f = _factors(d, "person_factors"), _factors(d, "role_factors")
        person_role = _per_value(lambda p: roles_by_person.get(p, ""), persons_f)
        # Billed at a role that is not the recorded one (ignoring case), compared as numbers.
        billed_as, recorded_as = _role_numbers(roles_f.uniques, person_role)
        billed_any = _per_value(bool, roles_f, bool)
        recorded = recorded_as[persons_f.codes]
        differs = (recorded != -2) & billed_any[roles_f.codes] & (recorded != billed_as[roles_f.codes])
        own_share = d.get("history_role_share")
        if own_share is not None:
            differs &= ~(own_share >= _OWN_ROLE_SHARE)
        differs &= ~_before_promotion(d, history, roles_by_person, differs)
        if own_share is not None:
            # The person's own overtime category, which their history bills: the overtime rule
            # judges the day it is billed on.
            overtime = np.isfinite(_overtime_floor(role, d, getattr(history, "habits", None)))
            differs &= ~(overtime & (own_share > 0))
        _add(
            hits,
            billable & differs,
            "billed_as_other_role",
            lambda i: f"billed as {role[i]}; {person[i]}'s role is {person_role[persons_f.codes[i]]}",
        )

    dated = {
        p.person_id: (getattr(p, "start_date", None), getattr(p, "end_date", None))
        for p in context.people
        if getattr(p, "start_date", None) or getattr(p, "end_date", None)
    }
    if dated:
        lowest, highest = np.iinfo(np.int64).min, np.iinfo(np.int64).max

        def day_number(value: dt.date | None, missing: int) -> int:
            return missing if value is None else int(np.datetime64(value, "D").astype(np.int64))

        employed_from = unique_apply(
            lambda p: day_number(dated.get(p, (None, None))[0], lowest), d["person_factors"], dtype=np.int64
        )
        employed_to = unique_apply(
            lambda p: day_number(dated.get(p, (None, None))[1], highest), d["person_factors"], dtype=np.int64
        )
        before_start = billable & (d["day"] < employed_from)
        after_end = billable & (d["day"] > employed_to)
        _add(
            hits,
            before_start | after_end,
            "outside_employment_dates",
            lambda i: (
                f"{person[i]} bills {frame['hours'].iat[i]:g} h on {dates[i]}, "
                + (
                    f"before their start date {dated[person[i]][0]}"
                    if before_start[i]
                    else f"after their leaving date {dated[person[i]][1]}"
                )
            ),
        )

    if projects:
        day = d["day"]
        projects_f = _factors(d, "project_factors")
        project_codes = projects_f.codes
        lowest, highest = np.iinfo(np.int64).min, np.iinfo(np.int64).max

        def sow_day(p: Any, which: str, missing: int) -> int:
            when = getattr(projects[p], which) if p in projects else None
            return int(np.datetime64(when, "D").astype(np.int64)) if when else missing

        start = _per_value(lambda p: sow_day(p, "start_date", lowest), projects_f, np.int64)[project_codes]
        end = _per_value(lambda p: sow_day(p, "end_date", highest), projects_f, np.int64)[project_codes]
        outside = billable & ((day < start) | (day > end))
        _add(
            hits,
            outside,
            "outside_sow_dates",
            lambda i: (
                f"work on {dates[i]} is outside the SOW dates of {project[i]} "
                f"({projects[project[i]].start_date or '…'} to {projects[project[i]].end_date or '…'})"
            ),
        )
        currency = frame["currency"].to_numpy(dtype=object)
        project_currency = _per_value(
            lambda p: (projects[p].currency or "").upper() if p in projects else "", projects_f
        )
        # Ingestion gives the currency upper-cased, "" when blank.
        checked = (project_currency != "")[project_codes]
        given = (factors or {}).get("currency")
        if (
            isinstance(given, Factorized)
            and len(given) == len(frame)
            and len(set(given.uniques)) == len(given.uniques)
        ):
            # As codes of the batch's (few) currencies: no comparison of a million strings.
            code_of = {c: k for k, c in enumerate(given.uniques)}
            expected = np.array([code_of.get(c, -1) for c in project_currency], dtype=np.int64)
            mismatch = (
                checked & (given.codes != code_of.get("", -1)) & (given.codes != expected[project_codes])
            )
        else:
            looked_at = np.flatnonzero(checked)
            mismatch = np.zeros(len(frame), dtype=bool)
            mismatch[looked_at] = (currency[looked_at] != "") & (
                currency[looked_at] != project_currency[project_codes[looked_at]]
            )
        _add(
            hits,
            mismatch,
            "currency_mismatch",
            lambda i: (
                f"billed in {currency[i]}; {project[i]} is billed in {project_currency[project_codes[i]]}"
            ),
        )

    team = {p.project_id: set(p.team) for p in context.projects if p.team is not None}
    staffed = {p.person_id: set(p.project_ids) for p in context.people if p.project_ids is not None}
    if team or staffed:
        not_staffed = unique_apply(
            lambda p, j: (j in team and p not in team[j]) or (p in staffed and j not in staffed[p]),
            d["person_factors"],
            d["project_factors"],
            dtype=bool,
        )
        _add(
            hits,
            not_staffed,
            "not_staffed",
            lambda i: f"{person[i]} logs hours on {project[i]} but is not staffed on it",
        )
    return hits


def invoice_controls(
    invoices: pd.DataFrame,
    lines: pd.DataFrame,
    features: FeatureFrame,
    *,
    history: InvoiceHistory,
    context: ScoringContext | None,
    tax_tolerance_pp: float,
    time_entries: pd.DataFrame | None = None,
) -> ControlHits:
    """Run every invoice control over validated invoices and lines.

    Parameters
    ----------
    invoices, lines
        Validated invoices and their lines.
    features
        Their features.
    history
        The model's learned invoicing history (earlier invoices, tax rates, time logged).
    context
        Projects with rate cards, not-to-exceed, currency and invoice frequency.
    tax_tolerance_pp
        How far (percentage points) a tax rate may sit from the client's usual.
    time_entries
        Validated time entries logged for the invoiced periods, added to the history's.

    Returns
    -------
    dict
        position -> control hits.
    """
    hits: defaultdict[int, list[ControlHit]] = defaultdict(list)
    d = features.display
    n = len(invoices)
    ids = invoices["invoice_id"].to_numpy(dtype=object)
    numbers = invoices["invoice_number"].to_numpy(dtype=object)
    project = invoices["project_id"].to_numpy(dtype=object)
    subtotal = invoices["subtotal"].to_numpy(dtype=float)
    tax = invoices["tax"].to_numpy(dtype=float)
    total = invoices["total"].to_numpy(dtype=float)
    position = {v: i for i, v in enumerate(ids)}

    def tolerance(value: np.ndarray) -> np.ndarray:
        return np.maximum(0.011, 1e-4 * np.abs(value))

    # Line arithmetic, one hit per invoice naming its first bad line.
    expected_amount = (lines["quantity"] * lines["unit_price"]).to_numpy(dtype=float)
    amount = lines["amount"].to_numpy(dtype=float)
    bad_line = np.abs(expected_amount - amount) > tolerance(amount)
    bad_by_invoice: dict[int, int] = {}
    for k in np.flatnonzero(bad_line).tolist():
        bad_by_invoice.setdefault(position[lines["invoice_id"].iat[int(k)]], int(k))
    for i, k in bad_by_invoice.items():
        row = lines.iloc[k]
        hits[i].append(
            ControlHit(
                rule="line_arithmetic",
                message=f"line row {row['_row']}: {row['quantity']:g} x {_money(row['unit_price'])} = "
                f"{_money(expected_amount[k])}, billed {_money(amount[k])}",
            )
        )
    line_sum = invoices["invoice_id"].map(lines.groupby("invoice_id")["amount"].sum()).fillna(0.0).to_numpy()
    _add(
        hits,
        np.abs(line_sum - subtotal) > tolerance(subtotal),
        "subtotal_mismatch",
        lambda i: f"lines add up to {_money(line_sum[i])}; the subtotal says {_money(subtotal[i])}",
    )
    _add(
        hits,
        np.abs(subtotal + tax - total) > tolerance(total),
        "total_mismatch",
        lambda i: (
            f"subtotal {_money(subtotal[i])} + tax {_money(tax[i])} = {_money(subtotal[i] + tax[i])}; "
            f"the total says {_money(total[i])}"
        ),
    )

    # Earlier invoices: history (less any re-sent in this batch) and the batch itself, by date.
    issue = d["issue_day"]
    signature = invoice_signature(invoices, lines)
    past = history.past[~history.past["invoice_id"].isin(set(ids))]
    combined = pd.concat(
        [
            past.assign(_pos=-1),
            pd.DataFrame(
                {
                    "invoice_id": ids,
                    "invoice_number": numbers,
                    "project_id": project,
                    "day": issue,
                    "month": _month(issue),
                    "total": total,
                    "signature": signature,
                    "_pos": np.arange(n),
                }
            ),
        ],
        ignore_index=True,
    ).sort_values(["day", "_pos"], kind="stable")

    first_by_signature: dict[str, str] = {}
    resent: set[int] = set()
    for sig, number, pos in zip(
        combined["signature"], combined["invoice_number"], combined["_pos"], strict=False
    ):
        earlier = first_by_signature.get(sig)
        if earlier is None:
            first_by_signature[sig] = number
        elif pos >= 0:
            resent.add(int(pos))
            hits[int(pos)].append(
                ControlHit(
                    rule="duplicate_invoice",
                    message=f"same client, project, total and lines as invoice {earlier}"
                    + (" under a new number" if earlier != number else ""),
                )
            )

    projects = {p.project_id: p for p in context.projects} if context else {}
    cumulative = combined.groupby("project_id")["total"].cumsum().to_numpy()
    for pos, cum, proj in zip(combined["_pos"], cumulative, combined["project_id"], strict=False):
        if pos < 0 or proj not in projects or projects[proj].not_to_exceed is None or total[int(pos)] < 0:
            # A credit note lowers the billing to date; it cannot be what breaks the cap.
            continue
        cap = float(projects[proj].not_to_exceed)  # type: ignore[arg-type]
        if cum > cap + 0.005:
            hits[int(pos)].append(
                ControlHit(
                    rule="over_not_to_exceed",
                    message=f"billing to date on {proj} reaches {_money(cum)}, "
                    f"over the not-to-exceed {_money(cap)}",
                )
            )

    seen_in_month: dict[tuple[str, int], str] = {}
    credit_note = (combined["total"] < 0).to_numpy()
    for pos, proj, month, number, credit in zip(
        combined["_pos"],
        combined["project_id"],
        combined["month"],
        combined["invoice_number"],
        credit_note,
        strict=False,
    ):
        frequency = (projects[proj].invoice_frequency or "") if proj in projects else ""
        monthly = frequency.lower() == "monthly" or (
            not frequency and history.project_max_per_month.get(proj, 0) == 1
        )
        key = (proj, int(month))
        if credit:
            # A credit note corrects an invoice of the cycle; it is neither another one nor the cycle's.
            continue
        if key in seen_in_month and pos >= 0 and monthly:
            hits[int(pos)].append(
                ControlHit(
                    rule="second_invoice_in_cycle",
                    message=f"second invoice for {proj} in a monthly cycle (after {seen_in_month[key]})",
                )
            )
        # A re-sent copy of an earlier invoice does not take the cycle's place: the cycle's own
        # invoice after it is not a second one (the copy is flagged as a duplicate).
        if pos < 0 or int(pos) not in resent:
            seen_in_month.setdefault(key, number)

    currency = invoices["currency"].to_numpy(dtype=object)
    expected_currency = np.array(
        [
            (projects[p].currency or "").upper()
            if p in projects and projects[p].currency
            else history.project_currency.get(p, "")
            for p in project
        ],
        dtype=object,
    )
    _add(
        hits,
        (expected_currency != "") & (currency != expected_currency),
        "currency_mismatch",
        lambda i: f"invoiced in {currency[i]}; {project[i]} is billed in {expected_currency[i]}",
    )

    crow = d["crow"]
    usual_tax = d["usual_tax_pp"]
    tax_pp = d["tax_pp"]
    established = history.client_invoices[crow] >= 3
    established[crow == len(history.clients)] = False
    _add(
        hits,
        established & (np.abs(tax_pp - usual_tax) > tax_tolerance_pp),
        "unusual_tax_rate",
        lambda i: f"tax at {tax_pp[i]:.2f}%; this client is taxed at {usual_tax[i]:.2f}%",
    )

    card = rate_card_lookup(context)
    if card and len(lines):
        carded = {p for p, _ in card}
        line_project = lines["invoice_id"].map(dict(zip(ids, project, strict=False))).to_numpy(dtype=object)
        line_role = lines["role"].str.lower().to_numpy(dtype=object)
        price = lines["unit_price"].to_numpy(dtype=float)
        reported: set[int] = set()
        for k in range(len(lines)):
            p, r = line_project[k], line_role[k]
            if p not in carded or not r:
                continue
            rates = card.get((p, r))
            if rates and any(abs(price[k] - c) <= max(0.005 * c, 0.01) for c in rates):
                continue
            i = position[lines["invoice_id"].iat[k]]
            if i in reported:
                continue
            reported.add(i)
            said = (
                f"the rate card says {'/'.join(_money(c) for c in rates)}"
                if rates
                else "not on the rate card"
            )
            hits[i].append(
                ControlHit(
                    rule="price_not_on_card",
                    message=f"bills {lines['role'].iat[k]} at {_money(price[k])}/h; {said}",
                )
            )

    logged_history = history
    if time_entries is not None and len(time_entries):
        extra = time_entries.loc[time_entries["billable"].to_numpy(dtype=bool)]
        merged = dict(history.logged_hours)
        for proj, group in pd.DataFrame(
            {
                "p": extra["project_id"].to_numpy(),
                "d": _day_number(extra["work_date"]),
                "h": extra["hours"].to_numpy(),
            }
        ).groupby("p"):
            series = group.groupby("d")["h"].sum()
            if proj in merged:
                series = pd.concat([merged[str(proj)], series]).groupby(level=0).max()
            merged[str(proj)] = series.sort_index()
        logged_history = InvoiceHistory(**{**history.__dict__, "logged_hours": merged})
    dated = lines[lines["period_start"].notna() & lines["period_end"].notna()] if len(lines) else lines
    period_reported: set[int] = set()
    # A billed period wholly outside the SOW dates cannot have had time logged on the project.
    for k in range(len(dated)):
        row = dated.iloc[k]
        i = position[row["invoice_id"]]
        sow = projects.get(str(project[i]))
        if i in period_reported or sow is None:
            continue
        before = sow.start_date is not None and row["period_end"].date() < sow.start_date
        after = sow.end_date is not None and row["period_start"].date() > sow.end_date
        if before or after:
            period_reported.add(i)
            hits[i].append(
                ControlHit(
                    rule="period_without_time",
                    message=f"bills {row['period_start']:%Y-%m-%d} to {row['period_end']:%Y-%m-%d} on "
                    f"{project[i]}, outside its SOW dates ({sow.start_date or '…'} to {sow.end_date or '…'})",
                )
            )
    if logged_history.logged_hours and len(lines):
        # Only periods the time records cover can be said to have "no time logged".
        covered_from = min(int(s.index.min()) for s in logged_history.logged_hours.values() if len(s))
        covered_to = max(int(s.index.max()) for s in logged_history.logged_hours.values() if len(s))
        for k in range(len(dated)):
            row = dated.iloc[k]
            i = position[row["invoice_id"]]
            if i in period_reported:
                continue
            start = int(_day_number(np.array([row["period_start"]]))[0])
            end = int(_day_number(np.array([row["period_end"]]))[0])
            if start < covered_from - COVERAGE_SLACK_DAYS or end > covered_to + COVERAGE_SLACK_DAYS:
                continue
            logged = logged_hours_between(logged_history, str(project[i]), start, end)
            if logged is not None and logged <= 0:
                period_reported.add(i)
                hits[i].append(
                    ControlHit(
                        rule="period_without_time",
                        message=f"bills {row['period_start']:%Y-%m-%d} to {row['period_end']:%Y-%m-%d} on "
                        f"{project[i]}, a period with no time logged",
                    )
                )
        # Hours billed on an invoice's hourly lines against the billable hours logged in their period.
        hourly = dated[dated["role"] != ""]
        if len(hourly):
            spans = hourly.groupby("invoice_id").agg(
                start=("period_start", "min"), end=("period_end", "max"), billed=("quantity", "sum")
            )
            for invoice_id, span in spans.iterrows():
                i = position[invoice_id]
                if i in period_reported:
                    continue
                start = int(_day_number(np.array([span["start"]]))[0])
                end = int(_day_number(np.array([span["end"]]))[0])
                if start < covered_from - COVERAGE_SLACK_DAYS or end > covered_to + COVERAGE_SLACK_DAYS:
                    continue
                logged = logged_hours_between(logged_history, str(project[i]), start, end)
                billed = float(span["billed"])
                if logged is not None and logged > 0 and billed > logged * 1.01 + 0.5:
                    hits[i].append(
                        ControlHit(
                            rule="hours_over_logged",
                            message=f"bills {billed:g} h on {project[i]} for {span['start']:%Y-%m-%d} to "
                            f"{span['end']:%Y-%m-%d}; {logged:g} billable h were logged",
                        )
                    )
    _credit_and_timing_hits(hits, invoices, lines, issue, past, time_entries, history)
    _billed_again_hits(hits, invoices, lines, history, position)
    return hits


def _billed_again_hits(
    hits: defaultdict[int, list[ControlHit]],
    invoices: pd.DataFrame,
    lines: pd.DataFrame,
    history: InvoiceHistory,
    position: dict[Any, int],
) -> None:
    """``line_billed_again``: a line without a role repeating, text and amount to the cent, the
    one earlier line of its project with that text (a subcontractor's or lab's invoice passed on
    again), of a text shape whose history lines hold a text used once (a reference that changes
    every time; an equipment or mileage text recurs, and billing the same days twice is chance)."""
    shares = getattr(history, "one_off_share_by_shape", None) or {}
    past = getattr(history, "fee_lines", None)
    if not shares or past is None or not len(lines):
        return
    batch = fee_lines(invoices, lines)
    if not len(batch):
        return
    ids = set(invoices["invoice_id"].tolist())
    earlier = past[~past["invoice_id"].isin(ids)] if len(past) else past
    both = pd.concat([earlier.assign(_batch=False), batch.assign(_batch=True)], ignore_index=True)
    repeat, repeat_of = repeated_lines(both)
    rows = np.flatnonzero(repeat & both["_batch"].to_numpy(dtype=bool))
    if not len(rows):
        return
    shape_share = np.array(
        [shares.get(str(x), 0.0) for x in text_shapes(both["text"].to_numpy(dtype=object)[rows])], dtype=float
    )
    rows = rows[shape_share >= _ONE_OFF_SHAPE_SHARE]
    numbers = dict(zip(history.past["invoice_id"], history.past["invoice_number"], strict=False))
    numbers.update(zip(invoices["invoice_id"], invoices["invoice_number"], strict=False))
    done: set[int] = set()
    for k in rows.tolist():
        i = position[both["invoice_id"].iat[k]]
        if i in done:
            continue
        done.add(i)
        hits[i].append(
            ControlHit(
                rule="line_billed_again",
                message=(
                    f"'{both['text'].iat[k]}' for {_money(both['cents'].iat[k] / 100)} was billed on "
                    f"{numbers.get(repeat_of[k], repeat_of[k])} already"
                ),
            )
        )


def _credit_and_timing_hits(
    hits: defaultdict[int, list[ControlHit]],
    invoices: pd.DataFrame,
    lines: pd.DataFrame,
    issue: np.ndarray,
    past: pd.DataFrame,
    time_entries: pd.DataFrame | None,
    history: InvoiceHistory | None = None,
) -> None:
    """``credit_over_original``, ``hours_billed_before_worked`` and ``role_hours_over_logged``."""
    n = len(invoices)
    if not n or not len(lines):
        return
    ids = invoices["invoice_id"].to_numpy(dtype=object)
    project = invoices["project_id"].to_numpy(dtype=object)
    client = invoices["client_id"].to_numpy(dtype=object)
    total = invoices["total"].to_numpy(dtype=float)
    position = {v: i for i, v in enumerate(ids)}
    line_pos = lines["invoice_id"].map(position).to_numpy(dtype=int)
    hourly = (lines["role"] != "").to_numpy(dtype=bool)

    # A credit note can return at most what the invoice it names billed; naming none, at most
    # what the project was billed before it.
    credits = np.flatnonzero(total < 0)
    if len(credits):
        billed_by_number: dict[str, tuple[float, str]] = {}
        for number, amount, proj in zip(
            past["invoice_number"], past["total"], past["project_id"], strict=False
        ):
            billed_by_number[str(number)] = (float(amount), str(proj))
        numbers = invoices["invoice_number"].to_numpy(dtype=object)
        for number, amount, proj in zip(numbers, total, project, strict=True):
            if amount > 0:
                billed_by_number[str(number)] = (float(amount), str(proj))
        descriptions = lines["description"].to_numpy(dtype=object)
        for i in credits.tolist():
            named: dict[str, float] = {}
            for text in descriptions[line_pos == i]:
                for token in str(text).split():
                    # "Correction to FV/2026/02/011:", "(ref. #4471)", "[INV-0093]"
                    number = token.strip(":;,.()[]#'\"")
                    found = billed_by_number.get(number)
                    if found is not None and found[1] == str(project[i]):
                        named[number] = found[0]
            credited = -float(total[i])
            if named:
                ceiling = sum(named.values())
                said = f"invoice {', '.join(named)} billed {_money(ceiling)}"
            else:
                earlier = (past["project_id"] == project[i]) & (past["day"] <= issue[i])
                in_batch = (project == project[i]) & (issue <= issue[i]) & (total > 0)
                ceiling = float(past.loc[earlier, "total"].sum()) + float(total[in_batch].sum())
                said = f"{project[i]} was billed {_money(ceiling)} before it"
            if credited > ceiling + max(0.011, 1e-4 * ceiling):
                hits[i].append(
                    ControlHit(
                        rule="credit_over_original",
                        message=f"credit note for {_money(credited)} to {client[i]}; {said}",
                    )
                )

    # Hours cannot be billed before they are worked: an hourly line whose period ends after
    # the invoice's date bills time nobody has logged yet (a fixed fee may be billed ahead),
    # unless the project (a new one: the firm) sells its hours ahead, as prepaid blocks.
    dated = hourly & lines["period_end"].notna().to_numpy(dtype=bool)
    if dated.any():
        per_project = getattr(history, "project_lead_allowance", None) or {}
        firm = float(getattr(history, "firm_lead_allowance", EARLY_INVOICE_DAYS))
        allowance = np.array([per_project.get(str(p), firm) for p in project], dtype=float)
        end_day = np.full(len(lines), np.iinfo(np.int64).min)
        end_day[dated] = _day_number(lines["period_end"].to_numpy()[dated])
        ahead = dated & (end_day > issue[line_pos] + allowance[line_pos])
        reported: set[int] = set()
        for k in np.flatnonzero(ahead).tolist():
            i = int(line_pos[k])
            if i in reported:
                continue
            reported.add(i)
            hits[i].append(
                ControlHit(
                    rule="hours_billed_before_worked",
                    message=f"bills {lines['role'].iat[k]} hours to {lines['period_end'].iat[k]:%Y-%m-%d} "
                    f"on an invoice dated {invoices['issue_date'].iat[i]:%Y-%m-%d}",
                )
            )

    # Per role: a line billing more hours of a role than that role logged on the project in the
    # line's period, when the time records cover the period and the role logged there at all
    # (an invoice's total can hide one role's padding behind another role's unbilled hours).
    if time_entries is None or not len(time_entries) or "role" not in time_entries:
        return
    worked = time_entries.loc[time_entries["billable"].to_numpy(dtype=bool)]
    if not len(worked):
        return
    work_day = _day_number(worked["work_date"])
    first_day, last_day = int(work_day.min()), int(work_day.max())
    logged_by: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = {}
    for (proj, role), group in pd.DataFrame(
        {
            "p": worked["project_id"].to_numpy(dtype=object),
            "r": worked["role"].astype(str).str.lower().to_numpy(dtype=object),
            "d": work_day,
            "h": worked["hours"].to_numpy(dtype=float),
        }
    ).groupby(["p", "r"]):
        daily = group.groupby("d")["h"].sum()
        logged_by[(str(proj), str(role))] = (daily.index.to_numpy(), np.cumsum(daily.to_numpy()))
    dated_rows = np.flatnonzero(dated & lines["period_start"].notna().to_numpy(dtype=bool))
    if not len(dated_rows):
        return
    starts = _day_number(lines["period_start"].to_numpy()[dated_rows])
    ends = _day_number(lines["period_end"].to_numpy()[dated_rows])
    roles = lines["role"].astype(str).str.lower().to_numpy(dtype=object)[dated_rows]
    quantity = lines["quantity"].to_numpy(dtype=float)[dated_rows]
    already = {i for i, found in hits.items() if any(h.rule == "hours_over_logged" for h in found)}
    reported = set()
    for k, start, end, role, billed in zip(dated_rows.tolist(), starts, ends, roles, quantity, strict=True):
        i = int(line_pos[k])
        outside = start < first_day - COVERAGE_SLACK_DAYS or end > last_day + COVERAGE_SLACK_DAYS
        if i in already or i in reported or billed <= 0 or outside:
            continue
        series = logged_by.get((str(project[i]), str(role)))
        if series is None:
            continue
        days, cumulative = series
        lo, hi = np.searchsorted(days, [start, end + 1])
        logged = float(cumulative[hi - 1] - (cumulative[lo - 1] if lo else 0.0)) if hi > lo else 0.0
        if logged > 0 and billed > logged * 1.01 + 0.5:
            reported.add(i)
            hits[i].append(
                ControlHit(
                    rule="role_hours_over_logged",
                    message=f"bills {billed:g} h of {lines['role'].iat[k]} on {project[i]} for "
                    f"{lines['period_start'].iat[k]:%Y-%m-%d} to {lines['period_end'].iat[k]:%Y-%m-%d}; "
                    f"that role logged {logged:g} billable h",
                )
            )
