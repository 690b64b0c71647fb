"""Project burn: how fast each project spends its not-to-exceed against its
schedule, when the cap will be reached at the recent pace, and whether the
margin (billable value against the people's cost) is eroding.

Burn is computed from the model's history plus the batch's entries dated
after the history's last day for that project, so re-scoring entries the
model was trained on does not count them twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from anomaly.features import Factorized
from anomaly.schemas import ControlHit, ProjectBurn, ScoringContext, Severity

__all__ = ["BurnHistory", "learn_burn_history", "project_burn"]

RECENT_DAYS = 28
SCHEDULE_SLACK = 0.10
MARGIN_EROSION = 0.05

BurnHistory = pd.DataFrame  # columns: project_id, day, billed, cost, hours


def _codes(
    frame: pd.DataFrame, column: str, factors: Mapping[str, Factorized] | None
) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes of an id column and its distinct values (the batch's own when it has them)."""
    known = factors.get(column) if factors else None
    if known is not None and len(known.codes) == len(frame):
        return known.codes, known.uniques
    codes, uniques = pd.factorize(frame[column].to_numpy(dtype=object))
    return codes, np.asarray(uniques, dtype=object)


class _Daily:
    """Per (project, day) totals of a batch, as arrays sorted by project id, then day."""

    __slots__ = ("billed", "cost", "costed_hours", "day", "hours", "project", "projects")

    def __init__(
        self,
        projects: np.ndarray,
        project: np.ndarray,
        day: np.ndarray,
        billed: np.ndarray,
        cost: np.ndarray,
        costed_hours: np.ndarray,
        hours: np.ndarray,
    ) -> None:
        #: Distinct project ids, sorted; ``project`` holds positions into them.
        self.projects = projects
        self.project = project
        self.day = day
        self.billed = billed
        self.cost = cost
        self.costed_hours = costed_hours
        self.hours = hours

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "project_id": self.projects[self.project],
                "day": self.day,
                "billed": self.billed,
                "cost": self.cost,
                "costed_hours": self.costed_hours,
                "hours": self.hours,
            }
        )


def _daily(
    frame: pd.DataFrame, context: ScoringContext | None, factors: Mapping[str, Factorized] | None = None
) -> _Daily:
    cost_rates = {
        p.person_id: p.cost_rate for p in (context.people if context else []) if p.cost_rate is not None
    }
    hours = frame["hours"].to_numpy(dtype=float)
    billable = frame["billable"].to_numpy(dtype=bool)
    rate = np.nan_to_num(frame["bill_rate"].to_numpy(dtype=float))
    # Ids as integer codes, looked up once per distinct value.
    person_codes, persons = _codes(frame, "person_id", factors)
    person_rate = np.array([cost_rates.get(p, np.nan) for p in persons], dtype=float)
    # Spread per person, already cleaned: a row's cost rate (0 when unknown) and whether it has one.
    if len(persons):
        cost_rate = np.nan_to_num(person_rate)[person_codes]
        costed = np.isfinite(person_rate)[person_codes]
    else:
        cost_rate, costed = np.zeros(len(frame)), np.zeros(len(frame), dtype=bool)
    project_codes, projects = _codes(frame, "project_id", factors)
    # Projects renumbered in sorted order, so the daily rows come out sorted by project and
    # day, as a group-by on the text would give them.
    order = np.argsort(projects, kind="stable")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    project = rank[project_codes] if len(order) else np.zeros(len(frame), dtype=np.int64)
    day = frame["work_date"].to_numpy(dtype="datetime64[D]").astype(np.int64)
    first_day = int(day.min()) if len(day) else 0
    span = int(day.max()) - first_day + 1 if len(day) else 1
    # One integer per (project, day); the (project, day) pairs a batch spans are few enough to
    # number by counting (sorted, no hashing), else they are hashed and sorted.
    key = project * span + (day - first_day)
    width = max(len(order), 1) * span
    if width <= 4 * len(key) + 1024:
        present = np.bincount(key, minlength=width) > 0
        keys = np.flatnonzero(present)
        groups = (np.cumsum(present) - 1)[key]
    else:
        groups, keys = pd.factorize(key, sort=True)
    n = len(keys)

    def total(values: np.ndarray) -> np.ndarray:
        return np.bincount(groups, weights=values, minlength=n)

    return _Daily(
        np.asarray(projects, dtype=object)[order],
        keys // span,
        keys % span + first_day,
        total(np.where(billable, hours * rate, 0.0)),
        total(hours * cost_rate),
        total(np.where(costed, hours, 0.0)),
        total(hours),
    )


def learn_burn_history(frame: pd.DataFrame, context: ScoringContext | None) -> BurnHistory:
    """Daily billed value and cost per project, from validated history.

    Parameters
    ----------
    frame
        Validated time entries.
    context
        People's cost rates.

    Returns
    -------
    pandas.DataFrame
        One row per project and day.
    """
    return _daily(frame, context).frame()


_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()
_LAST_ORDINAL = dt.date.max.toordinal()


def _date(day: float | int) -> dt.date:
    ordinal = _EPOCH_ORDINAL + int(day)
    if 0 < ordinal <= _LAST_ORDINAL:
        return dt.date.fromordinal(ordinal)
    # Outside what a date holds: numpy's answer, as before there was a shortcut.
    value: dt.date = (np.datetime64(0, "D") + np.timedelta64(int(day), "D")).astype(dt.date)
    return value


def _day_number(value: dt.date) -> int:
    return value.toordinal() - _EPOCH_ORDINAL


def _sums(codes: np.ndarray, *columns: np.ndarray) -> list[list[Any]]:
    """The codes present and, per column, each one's sum, as Python lists. Added up as pandas'
    group-by adds (compensated, in row order), so a total reads the same to the last bit as
    the group-by by project id did."""
    summed = pd.DataFrame(dict(enumerate(columns))).groupby(codes, sort=False).sum()
    present: list[Any] = summed.index.to_numpy(dtype=np.int64).tolist()
    return [present, *(summed[k].tolist() for k in range(len(columns)))]


def project_burn(
    frame: pd.DataFrame,
    *,
    history: BurnHistory | None,
    context: ScoringContext | None,
    as_of: dt.date | None = None,
    factors: Mapping[str, Factorized] | None = None,
) -> list[ProjectBurn]:
    """Burn of every project in the context that has a not-to-exceed or an end date.

    Parameters
    ----------
    frame
        The batch's validated time entries.
    history
        ``learn_burn_history`` of the model's training data, or None.
    context
        Projects (cap, dates, currency) and people (cost rates).
    as_of
        The day burn is measured at; defaults to the latest work date seen.
    factors
        The batch's id columns already factorized (``IngestedBatch.factors``), if at hand.

    Returns
    -------
    list of ProjectBurn
        Flagged projects carry ``flags``, ``route="delivery"`` and a severity.
    """
    if context is None or not context.projects:
        return []
    batch = _daily(frame, context, factors)
    # History and batch days on one numbering of the project ids (the history's, then the
    # batch's new ones), all as arrays: no group-by or join on the text.
    if history is not None and len(history):
        history_codes, history_projects = pd.factorize(history["project_id"].to_numpy(dtype=object))
        known = pd.Index(history_projects).get_indexer(batch.projects)
        new = known < 0
        known[new] = len(history_projects) + np.arange(int(new.sum()))
        names = np.concatenate([np.asarray(history_projects, dtype=object), batch.projects[new]])
        history_day = history["day"].to_numpy(dtype=np.int64)
        # An integer floor for projects without history (a float one makes ``at`` slow).
        last = np.full(len(names), np.iinfo(np.int64).min, dtype=np.int64)
        np.maximum.at(last, history_codes, history_day)
        batch_codes = known[batch.project]
        # Re-scoring entries the model was trained on does not count them twice.
        later = batch.day > last[batch_codes]
        codes = np.concatenate([history_codes, batch_codes[later]])
        day = np.concatenate([history_day, batch.day[later]])
        billed_days = np.concatenate([history["billed"].to_numpy(), batch.billed[later]])
        cost_days = np.concatenate([history["cost"].to_numpy(), batch.cost[later]])
        costed_days = np.concatenate([history["costed_hours"].to_numpy(), batch.costed_hours[later]])
    else:
        names, codes, day = batch.projects, batch.project, batch.day
        billed_days, cost_days, costed_days = batch.billed, batch.cost, batch.costed_hours
    if not len(codes):
        return []
    today = int(np.datetime64(as_of, "D").astype(np.int64)) if as_of else int(day.max())
    upto = day <= today
    codes, day = codes[upto], day[upto]
    billed_days, cost_days, costed_days = billed_days[upto], cost_days[upto], costed_days[upto]
    out: list[ProjectBurn] = []
    # Every project's totals at once.
    first_days = np.full(len(names), np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first_days, codes, day)
    present, billed_sum, cost_sum, costed_sum = _sums(codes, billed_days, cost_days, costed_days)
    first_of = first_days[present].tolist()
    recent = day > today - RECENT_DAYS
    recent_sums = _sums(codes[recent], billed_days[recent], cost_days[recent])
    # Plain dicts: one lookup per project.
    code_of = {name: k for k, name in enumerate(names.tolist())}
    total_rows = dict(zip(present, zip(billed_sum, cost_sum, costed_sum, first_of, strict=True), strict=True))
    recent_rows = dict(zip(recent_sums[0], zip(*recent_sums[1:], strict=True), strict=True))
    for project in context.projects:
        if project.not_to_exceed is None and project.end_date is None:
            continue
        code = code_of.get(project.project_id)
        row = total_rows.get(code) if code is not None else None
        if row is None:
            continue
        billed_total, cost_total, costed, first_day = row
        billed = float(billed_total)
        cost = float(cost_total) if costed else None
        recent_billed_value, recent_cost_value = recent_rows.get(code, (0.0, 0.0))
        start = _day_number(project.start_date) if project.start_date else first_day
        span_days = max(1, min(RECENT_DAYS, today - max(start, first_day) + 1))
        daily_rate = recent_billed_value / span_days
        cap = float(project.not_to_exceed) if project.not_to_exceed is not None else None
        end = _day_number(project.end_date) if project.end_date else None
        burn_fraction = billed / cap if cap else None
        schedule = None
        if end is not None and end > start:
            schedule = min(max((today - start + 1) / (end - start + 1), 0.0), 1.0)
        forecast = None
        if cap is not None:
            if billed >= cap:
                forecast = _date(today)
            elif daily_rate > 0:
                forecast = _date(today + int(np.ceil((cap - billed) / daily_rate)))
        margin = (1.0 - cost / billed) if cost is not None and billed > 0 else None
        recent_billed, recent_cost = recent_billed_value, recent_cost_value
        margin_recent = 1.0 - recent_cost / recent_billed if cost is not None and recent_billed > 0 else None
        flags: list[ControlHit] = []
        currency = project.currency or ""
        if cap is not None and billed > cap:
            flags.append(
                ControlHit(
                    rule="over_not_to_exceed",
                    message=f"billed {billed:,.0f} {currency}, over the cap {cap:,.0f}",
                )
            )
        elif burn_fraction is not None and schedule is not None and burn_fraction > schedule + SCHEDULE_SLACK:
            flags.append(
                ControlHit(
                    rule="burn_ahead_of_schedule",
                    message=f"{burn_fraction:.0%} of the cap spent at {schedule:.0%} of the schedule",
                )
            )
        if forecast is not None and end is not None and billed <= (cap or 0) and forecast < _date(end):
            flags.append(
                ControlHit(
                    rule="cap_before_end",
                    message=f"at the last {RECENT_DAYS} days' pace the cap is reached on {forecast}, "
                    f"before the end date {_date(end)}",
                )
            )
        if margin is not None and margin_recent is not None and margin_recent < margin - MARGIN_EROSION:
            flags.append(
                ControlHit(
                    rule="margin_erosion",
                    message=f"margin {margin_recent:.0%} over the last {RECENT_DAYS} days "
                    f"against {margin:.0%} to date",
                )
            )
        severity: Severity = "none"
        if flags:
            severity = "high" if any(f.rule == "over_not_to_exceed" for f in flags) else "medium"
        out.append(
            ProjectBurn(
                project_id=project.project_id,
                client_id=project.client_id,
                currency=project.currency,
                as_of=_date(today),
                not_to_exceed=cap,
                billed_to_date=round(billed, 2),
                cost_to_date=round(cost, 2) if cost is not None else None,
                burn_fraction=burn_fraction,
                schedule_fraction=schedule,
                daily_burn_rate=round(daily_rate, 2),
                forecast_cap_date=forecast,
                end_date=project.end_date,
                margin_to_date=margin,
                margin_recent=margin_recent,
                flags=flags,
                flagged=bool(flags),
                severity=severity,
                route="delivery" if flags else None,
            )
        )
    return out
