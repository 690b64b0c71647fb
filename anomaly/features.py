"""Features of time entries and invoices, each computed against the history
learned at fit time (a firm's own normal), vectorised over the batch.

Every model feature is a ratio or a rarity, so "usual" sits at a known value
(1 for ratios, 0 for rarities and differences) whatever the firm's scale:
a 14-hour entry is unusual for a 6-hour part-timer in a way it is not for a
consultant who bills 12-hour days. People, projects and clients the history
has not seen fall back to population statistics.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from anomaly.schemas import ScoringContext
from anomaly.text_similarity import description_band_table

__all__ = [
    "INVOICE_FEATURES",
    "TIME_ENTRY_FEATURES",
    "Factorized",
    "FeatureFrame",
    "InvoiceHistory",
    "TimeEntryHistory",
    "invoice_features",
    "learn_invoice_history",
    "learn_time_entry_history",
    "time_entry_features",
    "with_logged_hours",
]

TIME_ENTRY_FEATURES: tuple[str, ...] = (
    "hours_vs_person",
    "day_vs_person",
    "week_vs_person",
    "off_day",
    "holiday_work",
    "entry_lag",
    "rate_vs_card",
    "rate_vs_person",
    "role_rarity",
    "project_rarity",
    "hours_vs_project",
    "description_reuse",
    "whole_hour_day",
)

INVOICE_FEATURES: tuple[str, ...] = (
    "total_vs_client",
    "tax_rate_vs_client",
    "lines_vs_client",
    "arithmetic_gap",
    "interval_vs_usual",
    "due_days_vs_client",
    "price_vs_usual",
    "hours_vs_logged",
)

_RATIO_CLIP = 50.0
_DAY = np.timedelta64(1, "D")


@dataclass
class FeatureFrame:
    """The model matrix (rows x ``names``), the human-unit columns reasons are written from
    (``display``, one value a row) and, when fitting, what the fit keeps of the whole frame
    (``learned``: not per row, so not in ``display``)."""

    names: tuple[str, ...]
    matrix: np.ndarray
    display: dict[str, np.ndarray] = field(default_factory=dict)
    learned: dict[str, np.ndarray] = field(default_factory=dict)


def _robust(values: pd.Series | np.ndarray) -> tuple[float, float]:
    array = np.asarray(values, dtype=float)
    array = array[np.isfinite(array)]
    if not len(array):
        return float("nan"), float("nan")
    median = float(np.median(array))
    mad = float(np.median(np.abs(array - median))) * 1.4826
    return median, mad


def _codes(values: pd.Series | np.ndarray | Factorized, index: pd.Index) -> np.ndarray:
    """Position of each value in ``index`` (-1 when absent); looked up once per distinct value."""
    factors = values if isinstance(values, Factorized) else Factorized(values)
    if not len(factors.uniques):
        return np.zeros(len(factors), dtype=np.int64)
    positions = np.asarray(index.get_indexer(pd.Index(factors.uniques, dtype=object)), dtype=np.int64)
    return positions[factors.codes]


def _ratio(value: np.ndarray, usual: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """``value / usual`` clipped to [0, 50], 1 where it is not finite (written into ``out``
    when given: a column of the feature matrix)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.divide(value, usual, out=out)
    ratio[~np.isfinite(ratio)] = 1.0
    return np.clip(ratio, 0.0, _RATIO_CLIP, out=ratio)


def _up(value: np.ndarray, usual: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """log2 of how many times the usual, floored at 0 (only "more than usual" counts)."""
    ratio = _ratio(value, usual, out)
    np.maximum(ratio, 1e-3, out=ratio)
    np.log2(ratio, out=ratio)
    return np.maximum(ratio, 0.0, out=ratio)


def _log2_floored(values: np.ndarray) -> np.ndarray:
    """log2 of values floored at 1e-3, in place."""
    np.maximum(values, 1e-3, out=values)
    return np.log2(values, out=values)


def _surprisal(share: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """-log of a share, capped where "never seen" begins (NaN stays NaN: unknown)."""
    values = np.clip(share, 1e-3, 1.0, out=out)
    np.log(values, out=values)
    return np.negative(values, out=values)


def _pair_keys(a: np.ndarray, b: np.ndarray, width: int) -> np.ndarray:
    return a.astype(np.int64) * (width + 1) + (b.astype(np.int64) + 1)


def _day_number(dates: pd.Series | np.ndarray) -> np.ndarray:
    array = np.asarray(dates, dtype="datetime64[ns]").astype("datetime64[D]")
    return array.view(np.int64)


def _dense(key: np.ndarray | Factorized) -> tuple[np.ndarray, int]:
    """Codes in ``[0, bound)`` that tell a key's values apart, and ``bound``."""
    if isinstance(key, Factorized):
        return key.codes, max(len(key.uniques), 1)
    array = np.asarray(key)
    if array.dtype.kind in "iub" and len(array):
        low, high = int(array.min()), int(array.max())
        if high - low < 1 << 40:
            return np.subtract(array, low, dtype=np.int64), high - low + 1
    codes, uniques = pd.factorize(array)
    codes = codes.astype(np.int64, copy=False)
    return np.where(codes < 0, len(uniques), codes), len(uniques) + 1


def group_ids(*keys: np.ndarray | Factorized) -> np.ndarray:
    """Dense group numbers (0 .. groups-1, in no promised order) of rows sharing every key.

    Integer keys (and ``Factorized`` columns) are combined arithmetically into one key; a key
    with a small range is made dense by counting (no hashing), a wide one is hashed once."""
    combined: np.ndarray | None = None
    width = 1
    for key in keys:
        codes, bound = _dense(key)
        if combined is None:
            combined, width = codes, bound
            continue
        if width * bound >= 1 << 62:
            combined, uniques = pd.factorize(combined)
            combined, width = combined.astype(np.int64, copy=False), max(len(uniques), 1)
        # A new array: ``combined`` may still be the caller's codes.
        combined = combined * bound
        combined += codes
        width *= bound
    if combined is None or not len(combined):
        return np.zeros(0 if combined is None else len(combined), dtype=np.int64)
    if width <= 4 * len(combined) + 1024:
        rank = np.cumsum(np.bincount(combined, minlength=width) > 0, dtype=np.int64)
        rank -= 1
        return rank[combined]
    groups, _ = pd.factorize(combined)
    return groups.astype(np.int64, copy=False)


def group_size(groups: np.ndarray) -> np.ndarray:
    return np.bincount(groups)[groups] if len(groups) else np.zeros(0, dtype=np.int64)


def group_sum(groups: np.ndarray, values: np.ndarray) -> np.ndarray:
    return np.bincount(groups, weights=values)[groups] if len(groups) else np.zeros(0)


class Factorized:
    """A column as integer codes into its distinct values, computed once and reused by
    every per-distinct-value step (features and controls) of one batch."""

    __slots__ = ("codes", "uniques")

    def __init__(self, column: np.ndarray | pd.Series) -> None:
        array = np.asarray(column)
        if array.dtype.kind not in "fiub":
            array = np.asarray(array, dtype=object)
        # Hashing without the missing-value sentinel is slower; only needed when values are missing.
        codes, uniques = pd.factorize(array)
        if len(codes) and codes.min() < 0:
            codes, uniques = pd.factorize(array, use_na_sentinel=False)
        self.codes = codes.astype(np.int64, copy=False)
        self.uniques = (
            np.asarray(uniques) if array.dtype.kind in "fiub" else np.asarray(uniques, dtype=object)
        )

    @classmethod
    def from_codes(cls, codes: np.ndarray, uniques: np.ndarray) -> Factorized:
        """A factorization already at hand (codes into ``uniques``, which must be distinct)."""
        factors = cls.__new__(cls)
        factors.codes = np.asarray(codes, dtype=np.int64)
        factors.uniques = (
            np.asarray(uniques)
            if np.asarray(uniques).dtype.kind in "fiub"
            else (np.asarray(uniques, dtype=object))
        )
        return factors

    def __len__(self) -> int:
        return len(self.codes)


def unique_map(
    function: Any, *columns: np.ndarray | pd.Series | Factorized, dtype: Any = object
) -> tuple[np.ndarray, np.ndarray]:
    """``function(*values)`` once per distinct combination of the columns' values: the table of
    results and each row's position in it (``unique_apply`` spreads the table to the rows)."""
    n = len(columns[0])
    if n == 0:
        return np.array([], dtype=dtype), np.zeros(0, dtype=np.int64)
    factorized = [c if isinstance(c, Factorized) else Factorized(c) for c in columns]
    inverse = group_ids(*factorized)
    first = np.empty(int(inverse.max()) + 1, dtype=np.int64)
    first[inverse[::-1]] = np.arange(n - 1, -1, -1)
    values = [function(*(column.uniques[column.codes[i]] for column in factorized)) for i in first.tolist()]
    table = np.empty(len(values), dtype=dtype)
    table[:] = values if dtype is not object else np.array([*values, None], dtype=object)[:-1]
    return table, inverse


def unique_apply(
    function: Any, *columns: np.ndarray | pd.Series | Factorized, dtype: Any = object
) -> np.ndarray:
    """``function(*values)`` once per distinct combination of the columns' values, spread back
    to every row: a million rows of a ledger hold a few thousand distinct (project, role, rate)."""
    table, inverse = unique_map(function, *columns, dtype=dtype)
    return table[inverse]


def _country_of(people: pd.Index | np.ndarray | Factorized, context: ScoringContext | None) -> np.ndarray:
    countries = {p.person_id: (p.country or "") for p in (context.people if context else [])}
    people = people if isinstance(people, Factorized) else np.asarray(people, dtype=object)
    return unique_apply(lambda p: countries.get(p, ""), people)


def _recorded_role(people: np.ndarray | Factorized, context: ScoringContext | None) -> np.ndarray:
    roles = {p.person_id: (p.role or "") for p in (context.people if context else [])}
    people = people if isinstance(people, Factorized) else np.asarray(people, dtype=object)
    return unique_apply(lambda p: roles.get(p, ""), people)


def _holiday_days(context: ScoringContext | None) -> pd.Index:
    """Holidays as ``"<country>|<day number>"`` keys."""
    if not context or not context.holidays:
        return pd.Index([], dtype=object)
    return pd.Index(
        [f"{h.country.upper()}|{(np.datetime64(h.date, 'D')).astype(np.int64)}" for h in context.holidays]
    )


def _is_holiday(country: np.ndarray | Factorized, day: np.ndarray, holidays: pd.Index) -> np.ndarray:
    """Whether ``"<country>|<day>"`` is one of ``holidays`` (integer keys, one lookup per country)."""
    if not len(holidays):
        return np.zeros(len(day), dtype=bool)
    pairs = [str(h).rsplit("|", 1) for h in holidays]
    names = pd.Index(pd.unique(np.array([c for c, _ in pairs], dtype=object)))
    holiday_country = names.get_indexer(pd.Index([c for c, _ in pairs], dtype=object)).astype(np.int64)
    holiday_day = np.array([int(d) for _, d in pairs], dtype=np.int64)
    factors = country if isinstance(country, Factorized) else Factorized(np.asarray(country, dtype=object))
    # The empty country is never a holiday country (people without one work no holidays).
    of_country = np.asarray(names.get_indexer(pd.Index(factors.uniques, dtype=object)), dtype=np.int64)
    of_country[np.array([str(u) == "" for u in factors.uniques], dtype=bool)] = -1
    row_country = of_country[factors.codes] if len(factors.uniques) else np.full(len(day), -1)
    day = np.asarray(day, dtype=np.int64)
    if not len(day):
        return np.zeros(0, dtype=bool)
    low = int(day.min())
    span = int(day.max()) - low + 1
    if len(names) * span > 4 * len(day) + (1 << 20):
        # Dates centuries apart: a table of every day would be too large; match integer keys.
        keys = (row_country << 32) + day
        return (row_country >= 0) & np.isin(keys, (holiday_country << 32) + holiday_day)
    # A (holiday country x day of the batch) table, looked up per row: no sorting of keys.
    table = np.zeros((len(names), span), dtype=bool)
    within = (holiday_day >= low) & (holiday_day < low + span)
    table[holiday_country[within], holiday_day[within] - low] = True
    return (row_country >= 0) & table[np.maximum(row_country, 0), day - low]


def rate_card_lookup(context: ScoringContext | None) -> dict[tuple[str, str], list[float]]:
    """(project_id, role) -> card rates (hourly)."""
    card: dict[tuple[str, str], list[float]] = {}
    for project in context.projects if context else []:
        for line in project.rate_card:
            if line.unit.lower().startswith("hour"):
                card.setdefault((project.project_id, line.role.strip().lower()), []).append(float(line.rate))
    return card


def _card_rates(
    project: np.ndarray | Factorized, role: np.ndarray | Factorized, card: dict[tuple[str, str], list[float]]
) -> np.ndarray:
    """Each row's first card rate for its (project, role) (``rate_card_lookup``), NaN without one."""
    if not card:
        return np.full(len(project), np.nan)
    first = {key: rates[0] for key, rates in card.items()}
    return unique_apply(lambda p, r: first.get((p, str(r).lower()), np.nan), project, role, dtype=float)


# ----------------------------------------------------------------------------- time entries


@dataclass
class TimeEntryHistory:
    """Per-person, per-project and population statistics of a firm's time entries."""

    persons: pd.Index
    roles: pd.Index
    projects: pd.Index
    # Per-person arrays have one extra last row: the population fallback.
    med_hours: np.ndarray
    med_day: np.ndarray
    med_week: np.ndarray
    weekday_share: np.ndarray  # (persons + 1, 7): share of worked days on each weekday
    holiday_share: np.ndarray  # share of their holidays on which the person worked
    med_rate: np.ndarray
    med_lag: np.ndarray  # days between work and logging
    billable_share: np.ndarray
    modal_role: np.ndarray
    n_entries: np.ndarray
    person_role_share: pd.Series  # pair key -> share of the person's entries
    person_project_share: pd.Series
    project_med_hours: np.ndarray  # per project + population
    project_role_rate: pd.Series  # pair key (project, role) -> median bill rate
    last_work_day: int
    worked_days: np.ndarray  # distinct days worked per person
    weekend_days: np.ndarray  # of which on a weekend day of their country (``weekend``)
    holidays_worked: np.ndarray  # working-day holidays in their country on which they worked
    holidays_seen: np.ndarray  # working-day holidays in their country during their history
    # (persons + 1, 7): the weekdays their country's people (or the firm's) rarely work, learned.
    weekend: np.ndarray = field(default_factory=lambda: np.zeros((1, 7), dtype=bool))
    # (person, project, role) key -> the person's median bill rate there.
    person_project_role_rate: pd.Series = field(default_factory=lambda: pd.Series(dtype=float))
    person_project_rate: pd.Series = field(default_factory=lambda: pd.Series(dtype=float))  # pair key
    # Per person + population: share of their history entries that repeat an earlier one of the
    # same day, project and hours with near-identical text (set by the model at fit).
    repeat_share: np.ndarray = field(default_factory=lambda: np.zeros(0))
    feature_medians: np.ndarray = field(default_factory=lambda: np.zeros(0))
    feature_range: tuple[np.ndarray, np.ndarray] = field(default_factory=lambda: (np.zeros(0), np.zeros(0)))
    # Per person + population: share of their entries in whole hours, smoothed towards the
    # population's (``whole_hour_day``); empty in a model fitted before it, which leaves it silent.
    whole_hour_share: np.ndarray = field(default_factory=lambda: np.zeros(0))
    # How far a team's median rises in the history's shared spells, per TEAM_SPELL_FEATURES
    # (set by the model at fit); empty in an older model, which lowers nothing.
    team_spell_usual: np.ndarray = field(default_factory=lambda: np.zeros(0))
    # anomaly.features_habits.Habits, set by the model at fit; None (an older model) keeps the
    # controls that read it silent.
    habits: Any = None


def learn_time_entry_history(frame: pd.DataFrame, context: ScoringContext | None) -> TimeEntryHistory:
    """Learn each person's and project's usual from validated history (``read_time_entries``).

    Parameters
    ----------
    frame
        Validated time entries.
    context
        Optional projects/people/holidays (countries decide which holidays apply).

    Returns
    -------
    TimeEntryHistory
    """
    persons = pd.Index(pd.unique(frame["person_id"]))
    roles = pd.Index(pd.unique(frame["role"]))
    projects = pd.Index(pd.unique(frame["project_id"]))
    n = len(persons)
    pcode = _codes(frame["person_id"], persons)
    day = _day_number(frame["work_date"])
    hours = frame["hours"].to_numpy(dtype=float)

    def per_person(values: np.ndarray, how: str = "median") -> np.ndarray:
        out = np.full(n + 1, np.nan)
        series = pd.Series(values).groupby(pcode)
        agg = series.median() if how == "median" else series.mean()
        out[agg.index.to_numpy()] = agg.to_numpy()
        finite = values[np.isfinite(values)]
        if len(finite):
            out[n] = np.median(finite) if how == "median" else finite.mean()
        return out

    med_hours = per_person(hours)
    daily = pd.DataFrame({"p": pcode, "d": day, "h": hours}).groupby(["p", "d"], sort=False)["h"].sum()
    daily_p = daily.index.get_level_values("p").to_numpy()
    daily_d = daily.index.get_level_values("d").to_numpy()
    med_day = np.full(n + 1, np.nan)
    agg = daily.groupby(level="p").median()
    med_day[agg.index.to_numpy()] = agg.to_numpy()
    med_day[n] = float(np.median(daily.to_numpy())) if len(daily) else 8.0

    week = (daily_d + 3) // 7  # day 0 (1970-01-01) is a Thursday; weeks start on Monday
    weekly = pd.DataFrame({"p": daily_p, "w": week, "h": daily.to_numpy()}).groupby(["p", "w"])["h"].sum()
    med_week = np.full(n + 1, np.nan)
    agg = weekly.groupby(level="p").median()
    med_week[agg.index.to_numpy()] = agg.to_numpy()
    med_week[n] = float(np.median(weekly.to_numpy())) if len(weekly) else 40.0

    weekday = (daily_d + 3) % 7  # Monday = 0
    counts = np.zeros((n + 1, 7))
    np.add.at(counts, (daily_p, weekday), 1.0)
    counts[n] = counts[:n].sum(axis=0)
    population = counts[n] / max(counts[n].sum(), 1.0)
    # Smoothed towards the population so a short history is not read as "never".
    prior = 2.0
    weekday_share = (counts + prior * population) / (counts.sum(axis=1, keepdims=True) + prior)

    countries = _country_of(persons, context)
    weekend = learned_weekends(counts[:n], countries)
    holidays = _holiday_days(context)
    holiday_share = np.full(n + 1, np.nan)
    holidays_worked = np.zeros(n + 1)
    holidays_seen = np.zeros(n + 1)
    if len(holidays):
        worked_holiday = _is_holiday(countries[daily_p], daily_d, holidays)
        first = pd.Series(daily_d).groupby(daily_p).min()
        last = pd.Series(daily_d).groupby(daily_p).max()
        hol_country = np.array([h.split("|")[0] for h in holidays], dtype=object)
        hol_day = np.array([int(h.split("|")[1]) for h in holidays])
        worked = pd.Series(worked_holiday).groupby(daily_p).sum()
        for p in range(n):
            mask = (hol_country == countries[p]) & (hol_day >= first.get(p, 0)) & (hol_day <= last.get(p, -1))
            # working-day holidays only: a weekend holiday is not a day the person would have worked
            mask &= ~weekend[p, (hol_day + 3) % 7]
            holidays_seen[p] = float(mask.sum())
            holidays_worked[p] = float(worked.get(p, 0))
            if mask.any():
                holiday_share[p] = (float(worked.get(p, 0)) + 0.1) / (float(mask.sum()) + 1.0)
        known = holiday_share[:n][np.isfinite(holiday_share[:n])]
        holiday_share[n] = float(np.mean(known)) if len(known) else 0.05
    holiday_share = np.where(np.isfinite(holiday_share), holiday_share, holiday_share[n] if n else 0.05)
    holiday_share = np.nan_to_num(holiday_share, nan=0.05)

    rate = frame["bill_rate"].to_numpy(dtype=float)
    billable = frame["billable"].to_numpy(dtype=bool)
    med_rate = per_person(np.where(billable, rate, np.nan))
    lag = (
        (
            frame["logged_at"].to_numpy(dtype="datetime64[ns]")
            - frame["work_date"].to_numpy(dtype="datetime64[ns]")
        )
        / _DAY
    ).astype(float)
    med_lag = per_person(lag)
    billable_share = per_person(billable.astype(float), how="mean")

    rcode = _codes(frame["role"], roles)
    role_counts = pd.Series(1, index=_pair_keys(pcode, rcode, len(roles))).groupby(level=0).size()
    n_entries = np.bincount(pcode, minlength=n + 1).astype(float)
    n_entries[n] = float(len(frame))
    person_of_role_key = role_counts.index.to_numpy() // (len(roles) + 1)
    person_role_share = role_counts / n_entries[person_of_role_key]
    pop_role = pd.Series(rcode).value_counts() / max(len(frame), 1)
    pop_keys = _pair_keys(np.full(len(pop_role), n), pop_role.index.to_numpy(), len(roles))
    person_role_share = pd.concat([person_role_share, pd.Series(pop_role.to_numpy(), index=pop_keys)])
    modal = (
        pd.DataFrame({"p": pcode, "r": frame["role"].to_numpy()})
        .groupby("p")["r"]
        .agg(lambda s: s.mode().iloc[0])
    )
    modal_role = np.full(n + 1, "", dtype=object)
    modal_role[modal.index.to_numpy()] = modal.to_numpy()

    jcode = _codes(frame["project_id"], projects)
    project_counts = pd.Series(1, index=_pair_keys(pcode, jcode, len(projects))).groupby(level=0).size()
    person_of_project_key = project_counts.index.to_numpy() // (len(projects) + 1)
    person_project_share = project_counts / n_entries[person_of_project_key]

    project_med_hours = np.full(len(projects) + 1, med_hours[n])
    agg = pd.Series(hours).groupby(jcode).median()
    project_med_hours[agg.index.to_numpy()] = agg.to_numpy()
    rate_frame = pd.DataFrame(
        {"k": _pair_keys(jcode, rcode, len(roles)), "r": np.where(billable, rate, np.nan)}
    )
    project_role_rate = rate_frame.dropna().groupby("k")["r"].median()
    # A person's rate is only comparable within one project (client card, currency) and role.
    triple = _triple_keys(pcode, jcode, rcode, len(projects), len(roles))
    person_project_role_rate = (
        pd.DataFrame({"k": triple, "r": np.where(billable, rate, np.nan)}).dropna().groupby("k")["r"].median()
    )
    person_project_rate = (
        pd.DataFrame({"k": _pair_keys(pcode, jcode, len(projects)), "r": np.where(billable, rate, np.nan)})
        .dropna()
        .groupby("k")["r"]
        .median()
    )

    for array in (med_hours, med_day, med_week, med_rate, med_lag):
        fallback = array[n]
        array[~np.isfinite(array)] = fallback
    # A load that has risen lately (staffed on a deal, a trial, off the bench) is the person's
    # normal now: the usual entry, day and week are the higher of the whole history's median and
    # that of its last weeks. The hour features are one-sided, so the higher usual only ever
    # quietens them.
    recent_from = (int(day.max()) if len(day) else 0) - _RECENT_DAYS
    _raise_to_recent(med_hours, pcode[day > recent_from], hours[day > recent_from], _RECENT_MIN_ENTRIES)
    recent_day = daily_d > recent_from
    _raise_to_recent(med_day, daily_p[recent_day], daily.to_numpy()[recent_day], _RECENT_MIN_DAYS)
    weekly_w = weekly.index.get_level_values("w").to_numpy()
    # A week counts when it starts inside the window (the history's last week may be partial).
    recent_week = weekly_w * 7 - 3 > recent_from
    _raise_to_recent(
        med_week,
        weekly.index.get_level_values("p").to_numpy()[recent_week],
        weekly.to_numpy()[recent_week],
        _RECENT_MIN_WEEKS,
    )
    whole = _is_whole_hours(hours)
    population_whole = float(whole.mean()) if len(whole) else 1.0
    whole_counts = np.bincount(pcode, weights=whole, minlength=n + 1)[: n + 1]
    whole_counts[n] = float(whole.sum())
    whole_hour_share = (whole_counts + _WHOLE_HOUR_PRIOR * population_whole) / (n_entries + _WHOLE_HOUR_PRIOR)
    return TimeEntryHistory(
        persons=persons,
        roles=roles,
        projects=projects,
        med_hours=med_hours,
        med_day=med_day,
        med_week=med_week,
        weekday_share=weekday_share,
        holiday_share=holiday_share,
        med_rate=med_rate,
        med_lag=med_lag,
        billable_share=billable_share,
        modal_role=modal_role,
        n_entries=n_entries,
        person_role_share=person_role_share,
        person_project_share=person_project_share,
        project_med_hours=project_med_hours,
        project_role_rate=project_role_rate,
        last_work_day=int(day.max()) if len(day) else 0,
        worked_days=counts.sum(axis=1),
        weekend_days=(counts * weekend).sum(axis=1),
        holidays_worked=holidays_worked,
        holidays_seen=holidays_seen,
        weekend=weekend,
        person_project_role_rate=person_project_role_rate,
        person_project_rate=person_project_rate,
        whole_hour_share=whole_hour_share,
    )


#: A weekday is a weekend day where it holds under a third of an even share of days worked.
_WEEKEND_SHARE = 1.0 / 21.0
_MIN_WEEKEND_EVIDENCE = 100  # worked days before a country's own pattern is trusted


def learned_weekends(counts: np.ndarray, countries: np.ndarray) -> np.ndarray:
    """Weekend days per person (rows of ``counts``) and for the population (last row): the
    weekdays on which people of the same country (or, with too little evidence, the whole
    firm) rarely work. A Friday-Saturday firm, a Saturday-Sunday one and a seven-day rota
    are all read from the history, not assumed."""
    n = len(counts)
    firm = counts.sum(axis=0)
    firm_weekend = (
        firm / max(firm.sum(), 1.0) < _WEEKEND_SHARE
        if firm.sum() > 0
        else np.array([0, 0, 0, 0, 0, 1, 1], bool)
    )
    weekend = np.tile(firm_weekend, (n + 1, 1))
    country = np.asarray(countries, dtype=object)[:n] if len(countries) else np.full(n, "", dtype=object)
    for code in pd.unique(country):
        members = country == code
        days = counts[members].sum(axis=0)
        if code and days.sum() >= _MIN_WEEKEND_EVIDENCE:
            weekend[np.flatnonzero(members)] = days / days.sum() < _WEEKEND_SHARE
    return weekend


def _triple_keys(a: np.ndarray, b: np.ndarray, c: np.ndarray, width_b: int, width_c: int) -> np.ndarray:
    return (a.astype(np.int64) * (width_b + 1) + (b.astype(np.int64) + 1)) * (width_c + 1) + (
        c.astype(np.int64) + 1
    )


#: Entries a person must have logged before the day for a role or project share to mean anything.
_MIN_PRIOR_ENTRIES = 10
#: Worked days of history before a person's own usual day, week and weekdays mean anything: fewer
#: (a joiner's first days before the cut, an onboarding hour) and they are read as unseen.
_MIN_KNOWN_DAYS = 5
#: Entries of the population's habit a person's whole-hour share starts from (a short history).
_WHOLE_HOUR_PRIOR = 5.0
#: log2 of the day's ratio to the usual that ``whole_hour_day`` counts at most (a third longer).
_ROUNDING_DAY_EXCESS = float(np.log2(4 / 3))
#: Whole hours are a habit from this share of a person's entries: a half-hour logger's entries
#: are whole about half the time, a quarter-hour logger's a quarter, a six-minute logger's a tenth.
_SELDOM_WHOLE_SHARE = 1 / 3


#: The last weeks of the history whose median can raise a person's usual entry, day and week,
#: and how much of them it takes (about half the window worked).
_RECENT_DAYS = 56
_RECENT_MIN_ENTRIES = 20
_RECENT_MIN_DAYS = 20
_RECENT_MIN_WEEKS = 5


def _raise_to_recent(usual: np.ndarray, person: np.ndarray, values: np.ndarray, least: int) -> None:
    """Raise ``usual`` (per person, population last) in place to the median of ``values`` for
    people with at least ``least`` of them."""
    if not len(person):
        return
    groups = pd.Series(values).groupby(person)
    recent = groups.median()[groups.size() >= least]
    rows = recent.index.to_numpy()
    usual[rows] = np.maximum(usual[rows], recent.to_numpy())


def _largest_other_day(person_day: np.ndarray, person_week: np.ndarray, day_excess: np.ndarray) -> np.ndarray:
    """Per row: the largest ``day_excess`` among the other days of the row's person-week (0
    when it has none). ``person_day`` and ``person_week`` are dense group numbers; ``day_excess``
    is the same on every row of a day."""
    if not len(person_day):
        return np.zeros(0)
    n_days = int(person_day.max()) + 1
    excess = np.zeros(n_days)
    excess[person_day] = day_excess
    week_of = np.zeros(n_days, dtype=np.int64)
    week_of[person_day] = person_week
    order = np.lexsort((-excess, week_of))
    weeks = week_of[order]
    starts = np.flatnonzero(np.r_[True, weeks[1:] != weeks[:-1]])
    top = np.zeros(int(person_week.max()) + 1)
    top[weeks[starts]] = excess[order[starts]]
    second = np.zeros_like(top)
    nxt = starts + 1
    paired = nxt < len(order)
    paired[paired] = weeks[nxt[paired]] == weeks[starts[paired]]
    second[weeks[starts[paired]]] = excess[order[nxt[paired]]]
    is_top = np.zeros(n_days, dtype=bool)
    is_top[order[starts]] = True
    other = np.where(is_top, second[week_of], top[week_of])
    return other[person_day]


def _is_whole_hours(hours: np.ndarray) -> np.ndarray:
    return np.asarray(np.abs(hours - np.round(hours)) < 1e-6)


def _count_before(*keys: np.ndarray | Factorized, day: np.ndarray) -> np.ndarray:
    """Per row: rows with the same keys on strictly earlier days (the batch's own running history)."""
    if not len(day):
        return np.zeros(0)
    entity = group_ids(*keys)
    low = int(day.min())
    span = int(day.max()) - low + 1
    n_entities = int(entity.max()) + 1
    if n_entities * span <= 4 * len(day) + (1 << 20):
        # A table of entity x day counts, summed along the days: no sorting.
        cell = entity * span
        cell += day
        cell -= low
        counts = np.bincount(cell, minlength=n_entities * span)
        before = np.cumsum(counts.reshape(n_entities, span), axis=1, dtype=float).ravel()
        before -= counts
        return before[cell]
    # Rows in (entity, day) order by two stable sorts (radix sorts when the ranges are small);
    # a row's count is where its day starts within its entity's rows.
    by_day = np.argsort(_narrow(day - low), kind="stable")
    order = by_day[np.argsort(_narrow(entity[by_day]), kind="stable")]
    sorted_entity, sorted_day = entity[order], day[order]
    new_entity = np.r_[True, sorted_entity[1:] != sorted_entity[:-1]]
    new_cell = new_entity | np.r_[True, sorted_day[1:] != sorted_day[:-1]]
    position = np.arange(len(order))
    entity_start = np.maximum.accumulate(np.where(new_entity, position, 0))
    cell_start = np.maximum.accumulate(np.where(new_cell, position, 0))
    out = np.empty(len(order))
    out[order] = cell_start - entity_start
    return out


#: People on one project in one spell (day, week) before their median is a team's spell.
_TEAM_MIN_PEOPLE = 3
#: The share of the history's team spells a batch's team may reach before it is lowered: one
#: busier than all but the busiest 2% of them.
_TEAM_SPELL_QUANTILE = 0.98
#: The features a shared spell lowers, in ``TimeEntryHistory.team_spell_usual`` order.
TEAM_SPELL_FEATURES: tuple[str, ...] = ("hours_vs_person", "day_vs_person", "week_vs_person", "off_day")


def _team_medians(
    values: np.ndarray, spell: np.ndarray, pair: np.ndarray, above: float | None = None
) -> np.ndarray:
    """Per spell number (project and day, or week): the median over its people (``pair``: the
    rows' (spell, person) groups) of each one's largest value there; NaN for a spell fewer than
    ``_TEAM_MIN_PEOPLE`` people share. With ``above``, only spells whose median can exceed it
    (at least half their people above it) are computed: the others are NaN too."""
    n_spells = int(spell.max()) + 1 if len(spell) else 0
    out = np.full(n_spells, np.nan)
    if not len(values):
        return out
    person_value = np.full(int(pair.max()) + 1, -np.inf)
    np.maximum.at(person_value, pair, values)
    pair_spell = np.empty(len(person_value), dtype=np.int64)
    pair_spell[pair] = spell
    size = np.bincount(pair_spell, minlength=n_spells)
    candidate = size >= _TEAM_MIN_PEOPLE
    if above is not None:
        over = np.bincount(pair_spell, weights=person_value > above, minlength=n_spells)
        candidate &= 2 * over >= size
    pairs = np.flatnonzero(candidate[pair_spell])
    if not len(pairs):
        return out
    # Each spell's people in order of value: the median is the middle one (or two).
    order = pairs[np.lexsort((person_value[pairs], pair_spell[pairs]))]
    team = np.flatnonzero(candidate)
    start = np.cumsum(size[team]) - size[team]
    sorted_values = person_value[order]
    low = sorted_values[start + (size[team] - 1) // 2]
    high = sorted_values[start + size[team] // 2]
    out[team] = (low + high) / 2
    return out


def _lower_to_team_usual(
    values: np.ndarray, team: np.ndarray, spell: np.ndarray, spread: np.ndarray | None, usual: float
) -> None:
    """Lower ``values`` in place by how far their spell's team median (``team``) exceeds
    ``usual``, never below ``usual`` nor above where they were. With ``spread`` (a person's day
    or week), rows of one group take the largest lowering among their projects, so they read
    alike. One person's excess (padding) cannot move a median of three or more."""
    by_spell = np.nan_to_num(team - usual, nan=0.0)
    if not len(spell) or not (by_spell > 0).any():
        return
    lowering = np.maximum(by_spell, 0.0)[spell]
    if spread is not None:
        most = np.zeros(int(spread.max()) + 1)
        np.maximum.at(most, spread, lowering)
        lowering = most[spread]
    shared = np.flatnonzero(lowering > 0)
    values[shared] = np.maximum(values[shared] - lowering[shared], np.minimum(values[shared], usual))


def _narrow(values: np.ndarray) -> np.ndarray:
    """Non-negative integers as uint16 when they fit (numpy sorts those by radix)."""
    return values.astype(np.uint16) if len(values) and int(values.max()) < 1 << 16 else values


def _neutralise(
    matrix: np.ndarray, names: tuple[str, ...], no_history: dict[str, np.ndarray], medians: np.ndarray
) -> None:
    """Put cells without an own history at the feature's usual value (the training median;
    0, the "as usual" of every ratio and rarity, before the medians are known)."""
    for name, mask in no_history.items():
        column = names.index(name)
        matrix[mask, column] = medians[column] if len(medians) else 0.0


class _Groups:
    """Rows numbered by the distinct combinations of some keys (``group_ids``), with each group's
    first row: what depends on those keys alone is computed once per group and spread back."""

    __slots__ = ("first", "ids")

    def __init__(self, *keys: np.ndarray | Factorized) -> None:
        self.ids = group_ids(*keys)
        self.first = np.empty(int(self.ids.max()) + 1 if len(self.ids) else 0, dtype=np.int64)
        self.first[self.ids[::-1]] = np.arange(len(self.ids) - 1, -1, -1)

    def lookup(self, series: pd.Series, keys_of: Any, default: float) -> np.ndarray:
        """``_lookup(series, keys, default)`` where ``keys_of(rows)`` gives the rows' keys."""
        return _lookup(series, keys_of(self.first), default)[self.ids]


def _equals(factors: Factorized, value: Any) -> np.ndarray:
    """``column == value`` row by row, compared once per distinct value."""
    return np.asarray(factors.uniques == value, dtype=bool)[factors.codes]


def _lookup(series: pd.Series, keys: np.ndarray, default: float) -> np.ndarray:
    positions = series.index.get_indexer(pd.Index(keys))
    values = series.to_numpy(dtype=float)
    return np.where(positions >= 0, values[np.maximum(positions, 0)] if len(values) else default, default)


def _given(factors: Mapping[str, Factorized] | None, name: str, n: int) -> Factorized | None:
    given = factors.get(name) if factors else None
    if given is not None and len(given) != n:
        raise ValueError(f"factors[{name!r}] has {len(given)} codes for {n} rows")
    return given


def _description_reuse(
    descriptions: Factorized, person_day: np.ndarray, hours: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Each row's band keys (``description_bands``) and how many other entries of the person on
    the day, of the same hours, share a band with it (a copied description)."""
    table = description_band_table(list(descriptions.uniques))
    bands = table[descriptions.codes]
    reuse = np.zeros(len(person_day))
    # A copy repeats the hours too: the same stand-up text at different lengths is not one. Only
    # rows sharing their person, day and hours with another can be a copy: the rest count 0.
    shared_day = np.flatnonzero(group_size(person_day) > 1)
    same_hours = group_ids(person_day[shared_day], np.round(hours[shared_day] * 100).astype(np.int64))
    shared = group_size(same_hours) > 1
    rows, same_hours = shared_day[shared], same_hours[shared]
    codes = descriptions.codes[rows]
    for b in range(table.shape[1]):
        # The band's distinct keys, numbered once per distinct description.
        band = Factorized(table[:, b]).codes
        counts = group_size(group_ids(same_hours, band[codes])) - 1
        reuse[rows] = np.maximum(reuse[rows], np.where(table[codes, b] != 0, counts, 0))
    return bands, reuse


def time_entry_features(
    frame: pd.DataFrame,
    history: TimeEntryHistory,
    context: ScoringContext | None,
    *,
    fitting: bool = False,
    factors: Mapping[str, Factorized] | None = None,
) -> FeatureFrame:
    """Compute ``TIME_ENTRY_FEATURES`` for a validated batch against ``history``.

    Parameters
    ----------
    frame
        Validated time entries (``read_time_entries(...).frame``).
    history
        What the model learned at fit time.
    context
        Rate cards, people's countries and holidays; None uses none.
    fitting
        ``frame`` is the history itself: a role or project is rare against what the person
        had logged *before* that day, as it is for a batch scored later (not against a
        history that already contains the entry).
    factors
        Factorizations of ``frame``'s text columns already at hand (``IngestedBatch.factors``:
        the CSV reader's codes), by column name; the others are computed here.

    Returns
    -------
    FeatureFrame
        The matrix in ``TIME_ENTRY_FEATURES`` order and the display columns for reasons.
    """
    n_people = len(history.persons)
    person_values = frame["person_id"].to_numpy(dtype=object)
    # Each id column hashed once; every lookup and group-by below works on its codes.
    person_factors = _given(factors, "person_id", len(frame)) or Factorized(person_values)
    pcode = _codes(person_factors, history.persons)
    # A person with a handful of days in the history has no usual yet: two hours of onboarding
    # are no measure of their week. They are compared with the firm, as someone unseen is.
    thin = history.worked_days[np.where(pcode >= 0, pcode, n_people)] < _MIN_KNOWN_DAYS
    pcode = np.where(thin, -1, pcode)
    known_person = pcode >= 0
    prow = np.where(known_person, pcode, n_people)
    hours = frame["hours"].to_numpy(dtype=float)
    day = _day_number(frame["work_date"])

    # Totals across the batch: the same person on the same day (any project) and week.
    person_batch = person_factors.codes
    person_day = group_ids(person_batch, day)
    day_total = group_sum(person_day, hours)
    week = (day + 3) // 7
    person_week = group_ids(person_batch, week)
    week_total = group_sum(person_week, hours)
    weekday = (day + 3) % 7

    # Without a history of their own, an entry is set against the firm's typical day: an
    # entry longer than a whole ordinary day is unusual for anyone.
    population_day = history.med_day[n_people]
    usual_hours = np.where(known_person, history.med_hours[prow], population_day)
    usual_day = history.med_day[prow]
    usual_week = history.med_week[prow]
    weekday_share = history.weekday_share[prow, weekday]

    holidays = _holiday_days(context)
    if len(holidays):
        # Countries per distinct person, spread as codes: no hashing of a row-level text column.
        person_country = Factorized(_country_of(person_factors.uniques, context))
        countries = Factorized.from_codes(person_country.codes[person_factors.codes], person_country.uniques)
        holiday = _is_holiday(countries, day, holidays)
    else:
        holiday = np.zeros(len(frame), dtype=bool)
    holiday_share = history.holiday_share[prow]

    logged = frame["logged_at"].to_numpy(dtype="datetime64[ns]")
    lag = ((logged - frame["work_date"].to_numpy(dtype="datetime64[ns]")) / _DAY).astype(float)
    usual_lag = history.med_lag[prow]
    signed_log = np.sign(lag) * np.log1p(np.abs(lag))
    usual_log = np.sign(usual_lag) * np.log1p(np.abs(usual_lag))
    entry_lag = np.where(np.isfinite(signed_log), signed_log - np.nan_to_num(usual_log), 0.0)

    rate = frame["bill_rate"].to_numpy(dtype=float)
    role = frame["role"].to_numpy(dtype=object)
    project = frame["project_id"].to_numpy(dtype=object)
    role_factors = _given(factors, "role", len(frame)) or Factorized(role)
    project_factors = _given(factors, "project_id", len(frame)) or Factorized(project)
    rcode = _codes(role_factors, history.roles)
    jcode = _codes(project_factors, history.projects)
    # The (person, role), (person, project), (project, role) and (person, project, role) pairs,
    # numbered once: each lookup in the history is made once per pair and spread to its rows.
    person_role = _Groups(person_factors, role_factors)
    person_project = _Groups(person_factors, project_factors)
    project_role = _Groups(project_factors, role_factors)
    rate_card = rate_card_lookup(context)
    card_rate = _card_rates(project_factors, role_factors, rate_card)
    learned_rate = project_role.lookup(
        history.project_role_rate, lambda r: _pair_keys(jcode[r], rcode[r], len(history.roles)), np.nan
    )
    learned_rate = np.where((jcode >= 0) & (rcode >= 0), learned_rate, np.nan)
    expected_rate = np.where(np.isfinite(card_rate), card_rate, learned_rate)
    billable = frame["billable"].to_numpy(dtype=bool)
    # A rate only means something on billable time; non-billable rows sit at "usual".
    charged = billable & (np.nan_to_num(rate) > 0)
    # The role the people record gives the person now is theirs, however new (a promotion).
    recorded_roles = {p.person_id: (p.role or "") for p in (context.people if context else [])}

    def is_recorded_role(person: Any, billed: Any) -> bool:
        recorded = recorded_roles.get(person, "")
        return bool(recorded) and bool(billed) and str(recorded).lower() == str(billed).lower()

    own_role = unique_apply(is_recorded_role, person_factors, role_factors, dtype=bool)
    # A role the history bills only past the straight day (``Habits.overtime_roles``).
    overtime_names = getattr(getattr(history, "habits", None), "overtime_roles", None) or {}
    overtime_role = (
        np.array([str(r).lower() in overtime_names for r in role_factors.uniques.tolist()], dtype=bool)[
            role_factors.codes
        ]
        if overtime_names and len(role_factors.uniques)
        else np.zeros(len(frame), dtype=bool)
    )
    # The person's usual rate on this project in this role (a client's card, a currency); in a
    # role new to them there, their rate on the project, unless the people record gives them
    # that role (a promotion explains a new rate; the card still checks it).
    triple_rates = getattr(history, "person_project_role_rate", None)
    if triple_rates is not None and len(triple_rates):
        usual_rate = _Groups(person_project.ids, role_factors).lookup(
            triple_rates,
            lambda r: _triple_keys(pcode[r], jcode[r], rcode[r], len(history.projects), len(history.roles)),
            np.nan,
        )
        usual_rate = np.where(known_person & (jcode >= 0) & (rcode >= 0), usual_rate, np.nan)
        on_project = person_project.lookup(
            history.person_project_rate,
            lambda r: _pair_keys(pcode[r], jcode[r], len(history.projects)),
            np.nan,
        )
        # An overtime category has its own rate: the card, not the straight rate, judges it.
        fallback = known_person & (jcode >= 0) & ~own_role & ~overtime_role & ~np.isfinite(usual_rate)
        usual_rate = np.where(fallback, on_project, usual_rate)
    else:
        usual_rate = history.med_rate[prow]

    # Role and project shares against what the person had logged before the day: the history
    # (when scoring) plus the batch's earlier days, so a role or project they moved onto is
    # surprising on its first days, as it was in the history the forest learned from.
    roles_before = _count_before(person_role.ids, day=day)
    projects_before = _count_before(person_project.ids, day=day)
    entries_before = _count_before(person_factors, day=day)
    history_role_share = person_role.lookup(
        history.person_role_share, lambda r: _pair_keys(prow[r], rcode[r], len(history.roles)), 0.0
    )
    if not fitting:
        history_entries = np.where(known_person, history.n_entries[prow], 0.0)
        roles_before = roles_before + history_entries * history_role_share
        projects_before = projects_before + history_entries * person_project.lookup(
            history.person_project_share, lambda r: _pair_keys(pcode[r], jcode[r], len(history.projects)), 0.0
        )
        entries_before = entries_before + history_entries
    enough_before = entries_before >= _MIN_PRIOR_ENTRIES
    with np.errstate(divide="ignore", invalid="ignore"):
        role_share = np.where(enough_before, roles_before / entries_before, 1.0)
        project_share = np.where(enough_before, projects_before / entries_before, 1.0)
    role_share = np.where(_equals(role_factors, ""), 1.0, role_share)
    # A person the history has never seen is not "rare on this project": use the population's usual.
    project_share = np.where(known_person, project_share, np.nan)

    usual_project_hours = np.where(
        jcode >= 0, history.project_med_hours[np.maximum(jcode, 0)], population_day
    )

    description_factors = _given(factors, "description", len(frame)) or Factorized(
        frame["description"].to_numpy(dtype=object)
    )
    bands, reuse = _description_reuse(description_factors, person_day, hours)

    billable_share = history.billable_share[prow]

    # Ratios on a log scale and rarities as surprisal (-log share), so the rare
    # and the far sit far from the bulk, which is what an isolation forest splits on.
    # Hours below a person's usual are not a billing risk: the hour ratios are one-sided.
    # Each feature is written straight into its column of one Fortran-ordered matrix (a column
    # is contiguous): no per-feature array to stack afterwards, and the forest reads the
    # matrix as it lies.
    matrix = np.empty((len(TIME_ENTRY_FEATURES), len(frame))).T
    column = {name: matrix[:, k] for k, name in enumerate(TIME_ENTRY_FEATURES)}
    _up(hours, usual_hours, out=column["hours_vs_person"])
    _up(day_total, usual_day, out=column["day_vs_person"])
    # A week is long because of its long days: an ordinary day in it is not the excess. An
    # entry on a day no longer than the person's usual leaves out the largest excess of the
    # week's other days, so one marathon (or padded) day speaks through its own entries, not
    # every entry of the week. A day long itself keeps its whole week, and a week long by an
    # extra day or by every day stays long.
    day_excess = np.maximum(day_total - usual_day, 0.0)
    inherited = np.where(day_excess > 0, 0.0, _largest_other_day(person_day, person_week, day_excess))
    _up(week_total - inherited, usual_week, out=column["week_vs_person"])
    _surprisal(weekday_share, out=column["off_day"])
    # A spell the whole team shares (a trial, a deal closing: several people long, or in on a
    # weekend, on one matter at once) is the firm's normal, not each person's anomaly. At fit
    # the history's spells give how far a team's median rises (_TEAM_SPELL_QUANTILE of
    # them); a batch's team spell beyond that lowers its people's values by the difference.
    # The history's own features stay as they are: its busy spells are what teaches the forest
    # how long the firm's days and weeks get, and flattened they would leave a lone long week
    # looking extreme.
    project_day = group_ids(project_factors, day)
    project_week = group_ids(project_factors, week)
    day_pair = group_ids(project_day, person_batch)
    week_pair = group_ids(project_week, person_batch)
    spells = {
        "hours_vs_person": (project_day, day_pair, None),
        "day_vs_person": (project_day, day_pair, person_day),
        "week_vs_person": (project_week, week_pair, person_week),
        "off_day": (project_day, day_pair, person_day),
    }
    # Rounding up is the entry's own doing: whole_hour_day reads the day before a team lowers it.
    raw_day_excess = column["day_vs_person"].copy()
    team_spell_usual = np.zeros(len(TEAM_SPELL_FEATURES))
    learned_spells = getattr(history, "team_spell_usual", np.zeros(0))
    for k, name in enumerate(TEAM_SPELL_FEATURES):
        spell, pair, spread = spells[name]
        if fitting:
            team = _team_medians(column[name], spell, pair)
            shared = team[np.isfinite(team)]
            team_spell_usual[k] = float(np.quantile(shared, _TEAM_SPELL_QUANTILE)) if len(shared) else np.inf
        elif len(learned_spells) == len(TEAM_SPELL_FEATURES) and np.isfinite(learned_spells[k]):
            team = _team_medians(column[name], spell, pair, above=learned_spells[k])
            _lower_to_team_usual(column[name], team, spell, spread, learned_spells[k])
    holiday_work = column["holiday_work"]
    holiday_work.fill(0.0)
    holiday_work[holiday] = _surprisal(holiday_share[holiday])
    column["entry_lag"][:] = entry_lag
    for name, usual in (("rate_vs_card", expected_rate), ("rate_vs_person", usual_rate)):
        ratio = _ratio(rate, usual, out=column[name])
        ratio[~charged] = 1.0
        _log2_floored(ratio)
    _surprisal(role_share, out=column["role_rarity"])
    _surprisal(project_share, out=column["project_rarity"])
    _up(hours, usual_project_hours, out=column["hours_vs_project"])
    column["description_reuse"][:] = reuse
    # Rounding up: a whole-hour entry from someone who seldom logs whole hours (under a third of
    # their entries), on a day longer than their usual. Neither alone is rare (a quarter-hour logger's
    # entry is whole one time in four; long days happen), their product is where a rounded-up
    # entry sits. Rounding adds an hour or two: the day's excess counts up to
    # _ROUNDING_DAY_EXCESS, beyond which day_vs_person speaks for a long day.
    whole_hour_share = getattr(history, "whole_hour_share", np.zeros(0))
    whole_hour_day = column["whole_hour_day"]
    whole_hour_day.fill(0.0)
    if len(whole_hour_share):
        seldom = whole_hour_share[prow] < _SELDOM_WHOLE_SHARE
        rows = np.flatnonzero(_is_whole_hours(hours) & known_person & seldom & (raw_day_excess > 0))
        excess = np.minimum(raw_day_excess[rows], _ROUNDING_DAY_EXCESS)
        whole_hour_day[rows] = _surprisal(whole_hour_share[prow[rows]]) * excess
    # A comparison with an entity's own history carries no evidence when there is no such
    # history: it sits at the usual value, not at "never seen". Hours (against the firm's
    # typical day), the weekday (the firm's share of days worked on it) and the logging lag
    # (the firm's usual) keep a meaningful fallback.
    unknown_person = ~known_person
    no_history = {
        "week_vs_person": unknown_person,
        "rate_vs_person": unknown_person | ~np.isfinite(usual_rate),
        # The people record's current role is the person's own (a promotion): billing it is no
        # evidence, however few entries they have logged in it yet.
        # The person's own overtime category is as usual as their long days (the day speaks).
        "role_rarity": unknown_person | ~enough_before | own_role | (overtime_role & (roles_before > 0)),
        "project_rarity": unknown_person | ~enough_before,
    }
    _neutralise(matrix, TIME_ENTRY_FEATURES, no_history, history.feature_medians)
    # Against the firm's usual lag only lateness (or logging before the work date) is
    # evidence: a newcomer who logs more promptly than the firm's habit is not unusual.
    lag_column = TIME_ENTRY_FEATURES.index("entry_lag")
    usual_entry_lag = history.feature_medians[lag_column] if len(history.feature_medians) else 0.0
    unknown_rows = np.flatnonzero(unknown_person)
    # A missing lag (NaN) counts as 0, so as prompt.
    prompt = ~(lag[unknown_rows] < 0) & (matrix[unknown_rows, lag_column] < usual_entry_lag)
    matrix[unknown_rows[prompt], lag_column] = usual_entry_lag
    for values in column.values():
        if not np.isfinite(values).all():
            np.nan_to_num(values, copy=False, nan=0.0, posinf=_RATIO_CLIP, neginf=-_RATIO_CLIP)
    display = {
        "hours": hours,
        "usual_hours": usual_hours,
        "day_total": day_total,
        "usual_day": usual_day,
        "week_total": week_total,
        "usual_week": usual_week,
        "weekday": weekday,
        "weekday_share": weekday_share,
        "holiday": holiday,
        "holiday_share": holiday_share,
        "lag": lag,
        "usual_lag": usual_lag,
        "rate": rate,
        "expected_rate": expected_rate,
        "card_rate": card_rate,
        "usual_rate": usual_rate,
        "role": role,
        "modal_role": history.modal_role[prow],
        "role_share": role_share,
        "history_role_share": np.where(known_person & (rcode >= 0), history_role_share, 0.0),
        "project": project,
        "project_share": project_share,
        "usual_project_hours": usual_project_hours,
        "reuse": reuse,
        "whole_hour_share": whole_hour_share[prow] if len(whole_hour_share) else np.ones(len(frame)),
        "billable": billable,
        "billable_share": billable_share,
        "known_person": known_person,
        "known_project": jcode >= 0,
        "prow": prow,
        "day": day,
        "bands": bands,
        "person_day": person_day,
        "person_factors": person_factors,
        "project_factors": project_factors,
        "role_factors": role_factors,
        "description_factors": description_factors,
        # The context's card as rate_card_lookup gives it: the controls read it instead of
        # building it again.
        "rate_card": rate_card,
    }
    # At fit: what TimeEntryHistory.team_spell_usual takes (the model stores it).
    learned = {"team_spell_usual": team_spell_usual} if fitting else {}
    return FeatureFrame(names=TIME_ENTRY_FEATURES, matrix=matrix, display=display, learned=learned)


# ----------------------------------------------------------------------------- invoices


#: ``hours_billed_before_worked``: many firms invoice a month's time on its last working days
#: (the 28th when the 30th is a Saturday); hours billed further ahead than this were not worked
#: unless billing ahead is the project's (or the firm's) habit.
EARLY_INVOICE_DAYS = 5
#: Billing ahead is a habit where at least this share of the hourly invoices (and two) did it.
_AHEAD_HABIT_SHARE = 1 / 3
_AHEAD_HABIT_MIN = 2


@dataclass
class InvoiceHistory:
    """Per-client and per-project invoice habits, and the time logged per project."""

    clients: pd.Index
    projects: pd.Index
    client_log_total: np.ndarray  # median log total per client + population
    client_tax_pp: np.ndarray  # usual tax rate in percentage points
    client_lines: np.ndarray
    client_due_days: np.ndarray
    project_interval: np.ndarray  # usual days between invoices + population
    project_last_issue: dict[str, int]  # day number of the latest invoice
    project_billed: dict[str, float]  # cumulative invoice totals
    project_months: dict[str, set[int]]  # months (year*12+month) already invoiced
    price_by_project_role: dict[tuple[str, str], float]
    signatures: dict[str, str]  # content signature -> invoice number
    logged_hours: dict[str, pd.Series]  # project -> hours per day number
    past: pd.DataFrame  # one row per history invoice: id, number, project, day, month, total, signature
    client_invoices: np.ndarray  # invoices per client in history + population
    project_currency: dict[str, str]
    project_max_per_month: dict[str, int]  # most invoices the project ever had in one month
    feature_medians: np.ndarray = field(default_factory=lambda: np.zeros(0))
    feature_range: tuple[np.ndarray, np.ndarray] = field(default_factory=lambda: (np.zeros(0), np.zeros(0)))
    # Credit notes (total < 0) are a firm's corrections, not invoices of a cycle: their size
    # (log |total| less the client's usual invoice), lines and terms are compared with the
    # history's credit notes; NaN when the history has none (the controls judge them alone).
    credit_log_share: float = float("nan")
    credit_lines: float = float("nan")
    credit_due_days: float = float("nan")
    # How far past its issue date a project's hourly lines may run: EARLY_INVOICE_DAYS, or
    # further for a project (or, for projects without history, a firm) that bills ahead
    # habitually (prepaid blocks of hours).
    project_lead_allowance: dict[str, float] = field(default_factory=dict)
    firm_lead_allowance: float = float(EARLY_INVOICE_DAYS)
    # The history's lines without a role (expenses, equipment, subcontractors' invoices passed
    # on): project, text (lower case), cents, issue day, invoice id; and per text shape (digits
    # as '#'), its distinct texts per line, for shapes on at least REPEAT_SHAPE_MIN_LINES lines
    # (``line_billed_again``).
    fee_lines: pd.DataFrame = field(default_factory=lambda: pd.DataFrame())
    one_off_share_by_shape: dict[str, float] = field(default_factory=dict)


#: A text shape is evidence once the history holds this many of its lines.
REPEAT_SHAPE_MIN_LINES = 6


def fee_lines(invoices: pd.DataFrame, lines: pd.DataFrame) -> pd.DataFrame:
    """The lines without a role (not hours), with their invoice's project and issue day, the
    text lower-cased and the amount in cents."""
    role = (
        lines["role"].fillna("").astype(str).str.strip()
        if "role" in lines
        else pd.Series("", index=lines.index)
    )
    rows = lines[(role == "").to_numpy()]
    heads = invoices[["invoice_id", "project_id"]].assign(day=_day_number(invoices["issue_date"]))
    out = rows[["invoice_id", "description", "amount"]].merge(heads, on="invoice_id")
    return pd.DataFrame(
        {
            "invoice_id": out["invoice_id"].to_numpy(dtype=object),
            "project_id": out["project_id"].to_numpy(dtype=object),
            "text": out["description"].fillna("").astype(str).str.strip().str.lower().to_numpy(dtype=object),
            "cents": np.round(out["amount"].to_numpy(dtype=float) * 100).astype(np.int64),
            "day": out["day"].to_numpy(dtype=np.int64),
        }
    )


def repeated_lines(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Per line of ``fee_lines`` rows: whether it repeats, text and amount, the one earlier line
    of its project holding that text (on an earlier invoice), and that line's invoice id. A text
    used once before and billed again to the cent is a pass-through invoice passed on twice; a
    text billed every month (equipment, a retainer) has more than one earlier line."""
    order = np.lexsort((frame["invoice_id"].astype(str).to_numpy(), frame["day"].to_numpy()))
    ordered = frame.iloc[order]
    group = group_ids(
        Factorized(ordered["project_id"].to_numpy(dtype=object)),
        Factorized(ordered["text"].to_numpy(dtype=object)),
    )
    earlier = pd.Series(group).groupby(group).cumcount().to_numpy()
    previous_cents = pd.Series(ordered["cents"].to_numpy()).groupby(group).shift(1).to_numpy()
    previous_invoice = (
        pd.Series(ordered["invoice_id"].to_numpy(dtype=object)).groupby(group).shift(1).to_numpy()
    )
    repeat = (
        (earlier == 1)
        & (previous_cents == ordered["cents"].to_numpy())
        & (previous_invoice != ordered["invoice_id"].to_numpy(dtype=object))
    )
    out_repeat = np.zeros(len(frame), dtype=bool)
    out_of = np.full(len(frame), None, dtype=object)
    out_repeat[order] = repeat
    out_of[order[repeat]] = previous_invoice[repeat]
    return out_repeat, out_of


def text_shapes(texts: np.ndarray) -> np.ndarray:
    """Each text with its digits as '#': a month's reference number and its next month's share a shape."""
    return pd.Series(texts, dtype=object).str.replace(r"\d", "#", regex=True).to_numpy(dtype=object)


def _one_off_shares(fees: pd.DataFrame) -> dict[str, float]:
    """Per text shape on at least ``REPEAT_SHAPE_MIN_LINES`` history lines: its distinct texts per
    line (1.0 for a reference that changes every time, as a passed-on invoice's number does;
    equipment or mileage texts recur)."""
    if not len(fees):
        return {}
    text = Factorized(fees["text"].to_numpy(dtype=object))
    shape = pd.Series(text_shapes(text.uniques)[text.codes])
    # Distinct texts per line: one text passed on twice in the history costs one line, not two.
    per_shape = pd.DataFrame({"shape": shape, "text": text.codes}).groupby("shape")["text"]
    counts, distinct = per_shape.size(), per_shape.nunique()
    keep = counts >= REPEAT_SHAPE_MIN_LINES
    return {str(k): float(v) for k, v in (distinct[keep] / counts[keep]).items()}


def invoice_signature(frame: pd.DataFrame, lines: pd.DataFrame) -> np.ndarray:
    """What a duplicate keeps when only the number changes: client, project, total and line
    content including the billed periods (a fixed monthly fee repeats its amounts, not its period)."""
    content = (
        lines.assign(
            key=lines["description"].str.lower().str.strip()
            + "|"
            + lines["quantity"].round(2).astype(str)
            + "|"
            + lines["amount"].round(2).astype(str)
            + "|"
            + lines["period_start"].astype(str)
            + "|"
            + lines["period_end"].astype(str)
        )
        .sort_values(["invoice_id", "key"])
        .groupby("invoice_id")["key"]
        .agg(";".join)
    )
    body = frame["invoice_id"].map(content).fillna("")
    return (
        frame["client_id"].astype(str)
        + "|"
        + frame["project_id"].astype(str)
        + "|"
        + frame["total"].round(2).astype(str)
        + "|"
        + body
    ).to_numpy(dtype=object)


def hourly_lead_days(invoices: pd.DataFrame, lines: pd.DataFrame) -> pd.Series:
    """Per invoice with dated hourly lines (those with a role): days from its issue date to the
    latest end of their periods (negative: billed in arrears), indexed by invoice_id."""
    dated = lines[(lines["role"] != "") & lines["period_end"].notna()]
    if not len(dated):
        return pd.Series(dtype=float)
    ends = (
        pd.Series(_day_number(dated["period_end"]), index=dated["invoice_id"].to_numpy())
        .groupby(level=0)
        .max()
    )
    issued = pd.Series(_day_number(invoices["issue_date"]), index=invoices["invoice_id"].to_numpy())
    return (ends - issued.reindex(ends.index)).dropna().astype(float)


def _lead_allowances(invoices: pd.DataFrame, lines: pd.DataFrame) -> tuple[dict[str, float], float]:
    """A project that bills ahead habitually may bill as far ahead as its history did (plus the
    usual slack); others get ``EARLY_INVOICE_DAYS``. The firm's own allowance covers new projects."""
    positive = invoices[invoices["total"].to_numpy(dtype=float) >= 0]
    lead = hourly_lead_days(positive, lines)
    if not len(lead):
        return {}, float(EARLY_INVOICE_DAYS)
    project = positive.set_index("invoice_id")["project_id"].reindex(lead.index).to_numpy(dtype=object)

    def allowance(values: np.ndarray) -> float:
        ahead = values[values > EARLY_INVOICE_DAYS]
        if len(ahead) >= _AHEAD_HABIT_MIN and len(ahead) >= _AHEAD_HABIT_SHARE * len(values):
            return float(ahead.max() + EARLY_INVOICE_DAYS)
        return float(EARLY_INVOICE_DAYS)

    per_project = {str(p): allowance(group.to_numpy(dtype=float)) for p, group in lead.groupby(project)}
    return per_project, allowance(lead.to_numpy(dtype=float))


def _month(day: np.ndarray) -> np.ndarray:
    months = day.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    return months


def learn_invoice_history(
    invoices: pd.DataFrame,
    lines: pd.DataFrame,
    *,
    time_entries: pd.DataFrame | None,
    context: ScoringContext | None,
) -> InvoiceHistory:
    """Learn each client's and project's invoicing habits from validated history.

    Parameters
    ----------
    invoices, lines
        Validated invoices and lines (``read_invoices``).
    time_entries
        Validated time entries of the same period, to compare billed hours with logged ones.
    context
        Rate cards (prices on the card).

    Returns
    -------
    InvoiceHistory
    """
    clients = pd.Index(pd.unique(invoices["client_id"]))
    projects = pd.Index(pd.unique(invoices["project_id"]))
    ccode = _codes(invoices["client_id"], clients)
    total = invoices["total"].to_numpy(dtype=float)
    subtotal = invoices["subtotal"].to_numpy(dtype=float)
    tax_pp = 100.0 * _safe_div(invoices["tax"].to_numpy(dtype=float), subtotal)
    n_lines = invoices["invoice_id"].map(lines.groupby("invoice_id").size()).fillna(0).to_numpy(dtype=float)
    issue = _day_number(invoices["issue_date"])
    due_days = (_day_number(invoices["due_date"]) - issue).astype(float)
    credit = total < 0

    def per_client(values: np.ndarray) -> np.ndarray:
        out = np.full(len(clients) + 1, np.nan)
        agg = pd.Series(values).groupby(ccode).median()
        out[agg.index.to_numpy()] = agg.to_numpy()
        finite = values[np.isfinite(values)]
        out[-1] = float(np.median(finite)) if len(finite) else 0.0
        return np.where(np.isfinite(out), out, out[-1])

    # A credit note is no cycle's invoice: the intervals are those between the invoices proper.
    ordered = invoices.assign(_day=issue)[~credit].sort_values(["project_id", "_day"])
    gaps = ordered.groupby("project_id")["_day"].diff()
    interval = gaps.groupby(ordered["project_id"]).median()
    project_interval = np.full(len(projects) + 1, np.nan)
    project_interval[_codes(interval.index.to_numpy(), projects)] = interval.to_numpy()
    finite = gaps.dropna().to_numpy(dtype=float)
    project_interval[-1] = float(np.median(finite)) if len(finite) else 30.0
    project_interval = np.where(np.isfinite(project_interval), project_interval, project_interval[-1])

    priced = lines.merge(invoices[["invoice_id", "project_id"]], on="invoice_id")
    medians = priced.groupby(["project_id", "role"])["unit_price"].median()
    price_by_project_role = {
        (str(p), str(r).lower()): float(v)
        for (p, r), v in zip(medians.index.tolist(), medians.to_numpy(), strict=True)
    }
    signatures = dict(zip(invoice_signature(invoices, lines), invoices["invoice_number"], strict=False))

    logged: dict[str, pd.Series] = {}
    if time_entries is not None and len(time_entries):
        billable = time_entries.loc[time_entries["billable"].to_numpy(dtype=bool)]
        days = _day_number(billable["work_date"])
        for project, group in pd.DataFrame(
            {"project": billable["project_id"].to_numpy(), "day": days, "h": billable["hours"].to_numpy()}
        ).groupby("project"):
            logged[str(project)] = group.groupby("day")["h"].sum().sort_index()

    months = pd.Series(_month(issue)).groupby(invoices["project_id"].to_numpy()).agg(set)
    past = pd.DataFrame(
        {
            "invoice_id": invoices["invoice_id"].to_numpy(dtype=object),
            "invoice_number": invoices["invoice_number"].to_numpy(dtype=object),
            "project_id": invoices["project_id"].to_numpy(dtype=object),
            "day": issue,
            "month": _month(issue),
            "total": total,
            "signature": invoice_signature(invoices, lines),
        }
    )
    per_month = past.groupby(["project_id", "month"]).size().groupby(level=0).max()
    client_invoices = np.bincount(ccode, minlength=len(clients) + 1).astype(float)
    client_invoices[-1] = float(len(invoices))
    currency = invoices.groupby("project_id")["currency"].agg(lambda s: s.mode().iloc[0])
    client_log_total = per_client(np.where(credit, np.nan, np.log(np.clip(total, 1.0, None))))
    credit_share = np.log(np.maximum(-total[credit], 1.0)) - client_log_total[ccode[credit]]
    lead_allowance, firm_lead = _lead_allowances(invoices, lines)
    fees = fee_lines(invoices, lines)
    invoiced = ~credit
    return InvoiceHistory(
        credit_log_share=float(np.median(credit_share)) if credit.any() else float("nan"),
        credit_lines=float(np.median(n_lines[credit])) if credit.any() else float("nan"),
        credit_due_days=float(np.median(due_days[credit])) if credit.any() else float("nan"),
        project_lead_allowance=lead_allowance,
        firm_lead_allowance=firm_lead,
        fee_lines=fees,
        one_off_share_by_shape=_one_off_shares(fees),
        past=past,
        client_invoices=client_invoices,
        project_currency={str(k): str(v) for k, v in currency.items()},
        project_max_per_month={str(k): int(v) for k, v in per_month.items()},
        clients=clients,
        projects=projects,
        client_log_total=client_log_total,
        client_tax_pp=per_client(tax_pp),
        client_lines=per_client(np.where(credit, np.nan, n_lines)),
        client_due_days=per_client(np.where(credit, np.nan, due_days)),
        project_interval=project_interval,
        project_last_issue={
            str(k): int(v)
            for k, v in pd.Series(issue[invoiced])
            .groupby(invoices["project_id"].to_numpy()[invoiced])
            .max()
            .items()
        },
        project_billed={
            str(k): float(v)
            for k, v in pd.Series(total).groupby(invoices["project_id"].to_numpy()).sum().items()
        },
        project_months={str(k): set(v) for k, v in months.items()},
        price_by_project_role=price_by_project_role,
        signatures=signatures,
        logged_hours=logged,
    )


def _safe_div(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        out = a / b
    return np.where(np.isfinite(out), out, 0.0)


#: Days at either edge of the time records that still count as covered: a month's records
#: rarely reach its last day when it falls on a weekend or a holiday.
COVERAGE_SLACK_DAYS = 7


def with_logged_hours(history: InvoiceHistory, time_entries: pd.DataFrame | None) -> InvoiceHistory:
    """``history`` with the billable hours of ``time_entries`` (validated) added per project and
    day: the time logged for the invoices being scored, which the fit may not have seen."""
    if time_entries is None or not len(time_entries):
        return history
    billable = time_entries.loc[time_entries["billable"].to_numpy(dtype=bool)]
    merged = dict(history.logged_hours)
    frame = pd.DataFrame(
        {
            "p": billable["project_id"].to_numpy(),
            "d": _day_number(billable["work_date"]),
            "h": billable["hours"].to_numpy(dtype=float),
        }
    )
    for project, group in frame.groupby("p"):
        series = group.groupby("d")["h"].sum()
        if str(project) in merged:
            series = pd.concat([merged[str(project)], series]).groupby(level=0).max()
        merged[str(project)] = series.sort_index()
    return InvoiceHistory(**{**history.__dict__, "logged_hours": merged})


def logged_hours_between(history: InvoiceHistory, project: str, start: int, end: int) -> float | None:
    """Billable hours logged on ``project`` from day ``start`` to ``end`` (inclusive); None if unknown."""
    series = history.logged_hours.get(project)
    if series is None:
        return None if not history.logged_hours else 0.0
    index = series.index.to_numpy()
    lo, hi = np.searchsorted(index, start, "left"), np.searchsorted(index, end, "right")
    return float(series.to_numpy()[lo:hi].sum())


def invoice_features(
    invoices: pd.DataFrame,
    lines: pd.DataFrame,
    history: InvoiceHistory,
    context: ScoringContext | None,
) -> FeatureFrame:
    """Compute ``INVOICE_FEATURES`` for validated invoices against ``history``.

    Parameters
    ----------
    invoices, lines
        Validated invoices and their lines.
    history
        What the model learned at fit time.
    context
        Rate cards; None uses the prices learned from history.

    Returns
    -------
    FeatureFrame
    """
    ccode = _codes(invoices["client_id"], history.clients)
    crow = np.where(ccode >= 0, ccode, len(history.clients))
    total = invoices["total"].to_numpy(dtype=float)
    subtotal = invoices["subtotal"].to_numpy(dtype=float)
    tax = invoices["tax"].to_numpy(dtype=float)
    tax_pp = 100.0 * _safe_div(tax, subtotal)
    ids = invoices["invoice_id"]
    by_invoice = lines.groupby("invoice_id")
    n_lines = ids.map(by_invoice.size()).fillna(0).to_numpy(dtype=float)
    line_sum = ids.map(by_invoice["amount"].sum()).fillna(0.0).to_numpy(dtype=float)
    line_gap = ids.map(
        (lines["quantity"] * lines["unit_price"] - lines["amount"]).abs().groupby(lines["invoice_id"]).sum()
    ).fillna(0.0)
    arithmetic = (
        np.abs(line_sum - subtotal) + np.abs(subtotal + tax - total) + line_gap.to_numpy(dtype=float)
    ) / np.maximum(np.abs(total), 1.0)

    issue = _day_number(invoices["issue_date"])
    due_days = (_day_number(invoices["due_date"]) - issue).astype(float)
    project = invoices["project_id"].to_numpy(dtype=object)
    credit = total < 0
    jcode = _codes(project, history.projects)
    usual_interval = history.project_interval[np.where(jcode >= 0, jcode, len(history.projects))]
    # previous invoice of the project: in the batch (by date) or the latest in history; credit
    # notes are neither an invoice's predecessor nor have one (they correct, off the cycle)
    order = np.lexsort((issue, project.astype(str)))
    order = order[~credit[order]]
    previous = np.full(len(invoices), np.nan)
    sorted_project = project[order]
    sorted_issue = issue[order].astype(float)
    same = np.r_[False, sorted_project[1:] == sorted_project[:-1]]
    prev_sorted = np.where(same, np.r_[np.nan, sorted_issue[:-1]], np.nan)
    previous[order] = prev_sorted
    from_history = np.array([history.project_last_issue.get(p, np.nan) for p in project], dtype=float)
    from_history = np.where(from_history < issue, from_history, np.nan)
    previous = np.where(np.isfinite(previous), previous, from_history)
    previous[credit] = np.nan
    gap = issue - previous
    interval_ratio = np.where(np.isfinite(gap), _ratio(gap, usual_interval), 1.0)

    card = rate_card_lookup(context)
    line_project = lines["invoice_id"].map(dict(zip(ids, project, strict=False))).to_numpy(dtype=object)
    line_role = lines["role"].str.lower().to_numpy(dtype=object)
    expected_price = np.array(
        [
            card[(p, r)][0] if (p, r) in card else history.price_by_project_role.get((p, r), np.nan)
            for p, r in zip(line_project, line_role, strict=False)
        ],
        dtype=float,
    )
    deviation = np.abs(_ratio(lines["unit_price"].to_numpy(dtype=float), expected_price) - 1.0)
    price_dev = ids.map(pd.Series(deviation).groupby(lines["invoice_id"].to_numpy()).max()).fillna(0.0)

    # Billed hours (the hourly lines: those with a role) against the hours logged in their
    # period; no evidence (0) for a fixed fee or a period the time records do not cover.
    hours_ratio = np.zeros(len(invoices))
    billed_hours = np.full(len(invoices), np.nan)
    logged_hours = np.full(len(invoices), np.nan)
    if history.logged_hours:
        covered_from = min((int(v.index.min()) for v in history.logged_hours.values() if len(v)), default=0)
        covered_to = max((int(v.index.max()) for v in history.logged_hours.values() if len(v)), default=-1)
        hourly = lines[lines["period_start"].notna() & lines["period_end"].notna() & (lines["role"] != "")]
        spans = hourly.groupby("invoice_id").agg(
            start=("period_start", "min"), end=("period_end", "max"), q=("quantity", "sum")
        )
        position = {v: i for i, v in enumerate(ids)}
        for invoice_id, row in spans.iterrows():
            i = position[invoice_id]
            start = int(_day_number(np.array([row["start"]]))[0])
            end = int(_day_number(np.array([row["end"]]))[0])
            if start < covered_from - COVERAGE_SLACK_DAYS or end > covered_to + COVERAGE_SLACK_DAYS:
                continue
            logged = logged_hours_between(history, str(project[i]), start, end)
            # A credit note's negative hours correct an earlier invoice; they are no evidence of
            # billing above the time logged (and log1p of them is undefined).
            if logged is not None and float(row["q"]) >= 0:
                billed_hours[i] = float(row["q"])
                logged_hours[i] = logged
                hours_ratio[i] = float(np.log1p(row["q"]) - np.log1p(logged))

    # A credit note's usual is the history's credit notes: its size as a share of the client's
    # usual invoice, its lines and terms (a firm may credit a few hours on one line, due at once).
    credit_log_share = getattr(history, "credit_log_share", float("nan"))
    usual_log_total = history.client_log_total[crow] + np.where(credit, credit_log_share, 0.0)
    usual_lines = np.where(credit, getattr(history, "credit_lines", float("nan")), history.client_lines[crow])
    usual_due = np.where(
        credit, getattr(history, "credit_due_days", float("nan")), history.client_due_days[crow]
    )
    columns = {
        "total_vs_client": np.log(np.clip(np.abs(total), 1.0, None)) - usual_log_total,
        "tax_rate_vs_client": np.abs(tax_pp - history.client_tax_pp[crow]),
        "lines_vs_client": _ratio(n_lines, usual_lines),
        "arithmetic_gap": np.clip(arithmetic, 0, _RATIO_CLIP),
        "interval_vs_usual": interval_ratio,
        "due_days_vs_client": np.abs(due_days - usual_due),
        "price_vs_usual": price_dev.to_numpy(dtype=float),
        "hours_vs_logged": hours_ratio,
    }
    matrix = np.column_stack([columns[name] for name in INVOICE_FEATURES]).astype(float)
    unknown_client = ccode < 0
    no_credit_history = credit & ~np.isfinite(credit_log_share)
    no_history = {
        "total_vs_client": unknown_client | no_credit_history,
        "tax_rate_vs_client": unknown_client,
        "lines_vs_client": unknown_client | no_credit_history,
        "due_days_vs_client": unknown_client | no_credit_history,
    }
    _neutralise(matrix, INVOICE_FEATURES, no_history, history.feature_medians)
    matrix = np.nan_to_num(matrix, nan=0.0, posinf=_RATIO_CLIP, neginf=-_RATIO_CLIP)
    display: dict[str, Any] = {
        "total": total,
        "usual_total": np.where(credit, -1.0, 1.0) * np.exp(usual_log_total),
        "tax_pp": tax_pp,
        "usual_tax_pp": history.client_tax_pp[crow],
        "n_lines": n_lines,
        "usual_lines": usual_lines,
        "arithmetic": arithmetic,
        "gap_days": gap,
        "usual_interval": usual_interval,
        "due_days": due_days,
        "usual_due_days": usual_due,
        "price_dev": price_dev.to_numpy(dtype=float),
        "billed_hours": billed_hours,
        "logged_hours": logged_hours,
        "crow": crow,
        "known_client": ~unknown_client,
        "issue_day": issue,
        "line_expected_price": expected_price,
    }
    return FeatureFrame(names=INVOICE_FEATURES, matrix=matrix, display=display)
