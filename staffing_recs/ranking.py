"""Soft factors that rank the eligible, each in [0, 1] (higher is better):

- ``skills``: per requirement, the held level against the minimum (0.75 at the
  minimum, 1.0 two levels above, proportionally less below an optional
  minimum); a close skill earns that fit times its credit; averaged with the
  requirements' weights; a request asking for a seniority ("Senior SFDC
  admin") takes ``SENIORITY_STEP`` off it per rung a person's level or title is
  below it (people whose seniority is not known keep their fit).
- ``availability``: the share of the person's contracted hours still free,
  averaged over the weeks of the period (1.0: free for the whole period).
- ``margin``: ``(bill_rate - cost) / bill_rate`` at the offered rate, clipped
  to [0, 1]; 0.5 when it cannot be computed (no rate, no cost, or currencies
  that differ with no exchange-rate table).
- ``utilization``: how far the person is below their own target over the
  period, as a share of the target (the bench scores 1.0, at target 0.0).
- ``continuity``: 1.0 when the person worked for the client (or is on the
  project already), else 0.0.
- ``timezone``: 1 - offset/12 hours from the request's zone; 0.5 when unknown.

The score is the weighted mean of the factors, so it stays in [0, 1]. The
weights come from a trained ``StaffingRankingModel`` when given, else
``DEFAULT_WEIGHTS``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from staffing_recs.capacity import WORKDAYS_PER_WEEK, WeeklyCapacity
from staffing_recs.constraints import SkillMatrix, fit_levels
from staffing_recs.exports import SENIORITY_NAMES
from staffing_recs.index import PeopleIndex
from staffing_recs.requirements import Requirement
from staffing_recs.schemas import FACTORS, RoleRequest, normalise_currency
from staffing_recs.taxonomy import normalise_skill_name

#: Used when no model is trained: skill fit first, then the commercial factors.
DEFAULT_WEIGHTS: dict[str, float] = {
    "skills": 0.40,
    "availability": 0.15,
    "margin": 0.15,
    "utilization": 0.10,
    "continuity": 0.10,
    "timezone": 0.10,
}
UNKNOWN_FACTOR = 0.5
# Share of the skill fit lost per seniority rung below the one asked for (at most three rungs).
SENIORITY_STEP = 0.15
MAX_SENIORITY_GAP = 3
TIMEZONE_SCALE_HOURS = 12.0


def weights_of(model: Any) -> dict[str, float]:
    """Factor weights from a model (anything with ``weights_`` or ``weights``), a mapping, or the default."""
    if model is None:
        return dict(DEFAULT_WEIGHTS)
    raw = model if isinstance(model, Mapping) else getattr(model, "weights_", None) or model.weights
    weights: dict[str, float] = {name: max(float(raw.get(name, 0.0)), 0.0) for name in FACTORS}
    if sum(weights.values()) <= 0:
        return dict(DEFAULT_WEIGHTS)
    return weights


@dataclass
class Factors:
    """Factor values (columns in ``FACTORS`` order) for some rows of a ``WeeklyCapacity``."""

    values: np.ndarray  # (n, 6)
    margin: np.ndarray  # nan when unknown
    available_hours: np.ndarray  # least free hours per full week over the period
    utilization_now: np.ndarray  # booked share of capacity over the period
    continuity: np.ndarray  # bool

    def scores(self, weights: Mapping[str, float]) -> np.ndarray:
        vector = np.array([weights[name] for name in FACTORS], dtype=np.float64)
        return self.values @ (vector / vector.sum())


def margins(
    request: RoleRequest, index: PeopleIndex, rows: np.ndarray, fx_rates: Mapping[str, float] | None
) -> tuple[np.ndarray, list[str]]:
    """Margin at the offered bill rate per row (nan when unknown), and the currencies not converted.

    A cost with no currency is taken in the bill rate's currency (a single-currency firm's
    export); the recommender says so in a note. A cost in another currency is converted only
    with ``fx_rates``; without a rate its margin is unknown, never a wrong number.
    """
    cost = index.cost_rate[rows].copy()
    if request.bill_rate is None or request.bill_rate <= 0:
        return np.full(len(rows), np.nan), []
    currencies = index.currency[rows]
    differs = (currencies != request.currency) & index.currency_given[rows]
    unconverted: set[str] = set()
    if differs.any():
        rates = {str(normalise_currency(k)): float(v) for k, v in (fx_rates or {}).items()}
        for currency in set(currencies[differs].tolist()):
            mask = differs & (currencies == currency)
            if currency in rates and request.currency in rates and rates[request.currency] > 0:
                # Rates are the value of one unit in a common base currency.
                cost[mask] = cost[mask] * rates[currency] / rates[request.currency]
            else:
                cost[mask] = np.nan
                unconverted.add(currency)
    return (request.bill_rate - cost) / request.bill_rate, sorted(unconverted)


def compute_factors(
    request: RoleRequest,
    index: PeopleIndex,
    requirements: list[Requirement],
    skills: SkillMatrix,
    capacity: WeeklyCapacity,
    positions: np.ndarray,
    offsets: np.ndarray,
    margin: np.ndarray,
) -> Factors:
    """Factor values for ``positions`` (indices into ``capacity.rows``)."""
    rows = capacity.rows[positions]
    n = len(positions)
    weights = np.array([r.weight for r in requirements], dtype=np.float64)
    if weights.sum() <= 0:
        weights = np.ones(len(requirements))
    per_requirement = np.zeros((n, len(requirements)))
    for j, requirement in enumerate(requirements):
        direct = fit_levels(skills.direct[positions, j], requirement.rank_level)
        per_requirement[:, j] = np.maximum(direct, skills.close_fit[positions, j])
    skill_factor = per_requirement @ (weights / weights.sum())
    if request.seniority is not None and len(index.seniority) == len(index.people):
        held = index.seniority[rows]
        gap = np.where(held >= 0, np.clip(request.seniority - held, 0, MAX_SENIORITY_GAP), 0)
        skill_factor = skill_factor * (1 - SENIORITY_STEP * gap)

    free = capacity.free[positions]
    contracted = capacity.contracted[positions]
    days_per_week = np.bincount(capacity.week_of_day, minlength=len(capacity.weeks)).astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        share_free = np.where(contracted > 0, free / contracted, 0.0)
        per_full_week = free * (WORKDAYS_PER_WEEK / np.maximum(days_per_week, 1))[None, :]
    availability = share_free.mean(axis=1) if share_free.shape[1] else np.ones(n)
    available_hours = per_full_week.min(axis=1) if per_full_week.shape[1] else index.hours_per_week[rows]

    cap_total = capacity.capacity[positions].sum(axis=1)
    booked_total = capacity.booked[positions].sum(axis=1)
    utilization_now = np.where(cap_total > 0, booked_total / np.maximum(cap_total, 1e-9), 1.0)
    target = index.target_utilization[rows]
    utilization = np.where(
        target > 0, np.clip((target - utilization_now) / np.maximum(target, 1e-9), 0, 1), 0.0
    )

    continuity = np.array(
        [
            (bool(request.client_id) and request.client_id in index.clients[r])
            or (bool(request.project_id) and request.project_id in index.projects[r])
            for r in rows
        ],
        dtype=bool,
    )
    offset = offsets[positions]
    timezone = np.where(np.isnan(offset), UNKNOWN_FACTOR, 1 - np.minimum(offset, TIMEZONE_SCALE_HOURS) / 12)
    margin_rows = margin[positions]
    margin_factor = np.where(np.isnan(margin_rows), UNKNOWN_FACTOR, np.clip(margin_rows, 0, 1))
    values = np.column_stack(
        [skill_factor, availability, margin_factor, utilization, continuity.astype(np.float64), timezone]
    )
    return Factors(
        values=np.clip(values, 0.0, 1.0),
        margin=margin_rows,
        available_hours=available_hours,
        utilization_now=utilization_now,
        continuity=continuity,
    )


def explain_candidate(
    request: RoleRequest,
    index: PeopleIndex,
    requirements: list[Requirement],
    skills: SkillMatrix,
    capacity: WeeklyCapacity,
    position: int,
    factor_row: int,
    factors: Factors,
    offset: float,
) -> str:
    """The one-line "Salesforce 4/3, Apex 3/2; free for the whole period; worked for this client"."""
    row = int(capacity.rows[position])
    parts: list[str] = []
    skill_bits: list[str] = []
    taxonomy = index.taxonomy
    held_columns = np.flatnonzero(index.levels[row]).tolist()

    def own_name(column: int) -> str:
        # The skill as the person wrote it ("SFDC"), else the taxonomy's name.
        return index.written.get((row, column)) or taxonomy.display_name(index.skill_columns[column])

    for j, requirement in enumerate(requirements):
        held = int(skills.direct[position, j])
        close = int(skills.close_skill[position, j])
        direct_fit = float(fit_levels(np.array([held]), requirement.rank_level)[0])
        if close >= 0 and skills.close_fit[position, j] > direct_fit:
            skill_bits.append(
                f"{own_name(close)} {int(index.levels[row, close])} for {requirement.name} (close)"
            )
        elif held:
            source = next(
                (
                    c
                    for c in held_columns
                    if index.levels[row, c] == held
                    and taxonomy.similarity(index.skill_columns[c], requirement.skill_id) >= 1.0
                ),
                None,
            )
            name = requirement.name if source is None else own_name(source)
            text = f"{name} {held}/{requirement.min_level}"
            if normalise_skill_name(name) != normalise_skill_name(requirement.name):
                text += f" for {requirement.name}"
            skill_bits.append(text)
        else:
            skill_bits.append(f"no {requirement.name}")
    parts.append(", ".join(skill_bits))
    if request.seniority is not None and len(index.seniority) == len(index.people):
        held_rung = int(index.seniority[row])
        if 0 <= held_rung < request.seniority:
            parts.append(f"{SENIORITY_NAMES[held_rung]} for a {SENIORITY_NAMES[request.seniority]} role")
    free = capacity.free[position]
    contracted = capacity.contracted[position]
    if free.size == 0 or np.allclose(free, contracted):
        parts.append("free for the whole period")
    else:
        tightest = int(np.argmin(free / np.maximum(contracted, 1e-9)))
        parts.append(
            f"{factors.available_hours[factor_row]:g} h/week free at the tightest "
            f"(week of {capacity.weeks[tightest].isoformat()})"
        )
    margin = factors.margin[factor_row]
    if not np.isnan(margin):
        text = f"margin {margin:.0%}"
        if request.min_margin is not None and margin < request.min_margin:
            text += f" (policy {request.min_margin:.0%})"
        parts.append(text)
    if factors.utilization_now[factor_row] <= 1e-9:
        parts.append("on the bench")
    if factors.continuity[factor_row]:
        parts.append("worked for this client")
    if not np.isnan(offset) and offset > 0:
        parts.append(f"{offset:g} h from the client's time zone")
    return "; ".join(parts)
