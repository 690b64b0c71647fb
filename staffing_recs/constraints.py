"""Hard constraints: who may not be ranked at all, and what would change that.

A person is excluded when any of these fails, each with a reason they (or a
resource manager) can act on:

- a required skill below its ``min_level`` (only the skill itself or a
  narrower one counts; close skills earn ranking credit, never eligibility);
- fewer free hours than the role needs in any week of the period;
- a country outside the request's ``location.countries``;
- a time zone further than ``max_timezone_offset_hours`` from the request's
  zone on the request's dates (people with an unknown zone are not excluded);
- a missing clearance (a higher level on the same ladder satisfies a lower one).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np

from staffing_recs.capacity import HOURS_EPSILON, WeeklyCapacity, explain_shortfall
from staffing_recs.geography import country_codes, max_offset_hours
from staffing_recs.index import PeopleIndex
from staffing_recs.requirements import Requirement
from staffing_recs.schemas import RoleRequest
from staffing_recs.taxonomy import normalise_skill_name

# Clearance ladders, lowest first: holding a later rung satisfies an earlier one.
CLEARANCE_LADDERS: tuple[tuple[str, ...], ...] = (
    ("public trust", "confidential", "secret", "top secret", "ts/sci"),
    ("bpss", "ctc", "sc", "esc", "dv", "edv"),
)
_CLEARANCE_ALIASES = {
    "ts": "top secret",
    "tssci": "ts/sci",
    "ts sci": "ts/sci",
    "topsecret": "top secret",
    "security check": "sc",
    "developed vetting": "dv",
    "nv1": "secret",
    "nv2": "top secret",
}


@functools.lru_cache(maxsize=4096)
def _clearance_rank(name: str) -> tuple[int, int] | None:
    key = normalise_skill_name(_CLEARANCE_ALIASES.get(name.strip().casefold(), name))
    key = normalise_skill_name(_CLEARANCE_ALIASES.get(key, key))
    for ladder_number, ladder in enumerate(CLEARANCE_LADDERS):
        for rung, level in enumerate(ladder):
            if normalise_skill_name(level) == key:
                return ladder_number, rung
    return None


@functools.lru_cache(maxsize=65536)
def clearance_satisfied(held: frozenset[str], required: str) -> bool:
    """Whether normalised clearances ``held`` satisfy ``required``."""
    key = normalise_skill_name(required)
    if key in held:
        return True
    wanted = _clearance_rank(required)
    if wanted is None:
        return False
    for item in held:
        rank = _clearance_rank(item)
        if rank is not None and rank[0] == wanted[0] and rank[1] >= wanted[1]:
            return True
    return False


def fit_levels(levels: np.ndarray, min_level: int) -> np.ndarray:
    """Skill fit in [0, 1] of held levels against a minimum: 0.75 at the minimum, 1.0 two levels above,
    proportionally less below it, 0 when not held."""
    levels = levels.astype(np.float64)
    above = 0.75 + 0.25 * np.minimum(1.0, (levels - min_level) / 2.0)
    below = 0.75 * levels / max(min_level, 1)
    return np.where(levels <= 0, 0.0, np.where(levels >= min_level, above, below))


@dataclass
class SkillMatrix:
    """Per requirement (columns): the held level of the skill or a narrower one, and the best
    credited fit from a close skill with which skill gave it."""

    direct: np.ndarray  # (n, k) int
    close_fit: np.ndarray  # (n, k) float, already multiplied by the credit
    close_skill: np.ndarray  # (n, k) int: index column of the close skill, -1 if none


def skill_matrix(index: PeopleIndex, requirements: list[Requirement], rows: np.ndarray) -> SkillMatrix:
    taxonomy = index.taxonomy
    n, k = len(rows), len(requirements)
    direct = np.zeros((n, k), dtype=np.int64)
    close_fit = np.zeros((n, k), dtype=np.float64)
    close_skill = np.full((n, k), -1, dtype=np.int64)
    levels = index.levels[rows]
    for j, requirement in enumerate(requirements):
        same: list[int] = []
        for column, skill_id in enumerate(index.skill_columns):
            credit = taxonomy.similarity(skill_id, requirement.skill_id)
            if credit >= 1.0:
                same.append(column)
            elif credit > 0:
                fit = credit * fit_levels(levels[:, column], requirement.min_level)
                better = fit > close_fit[:, j]
                close_fit[better, j] = fit[better]
                close_skill[better, j] = column
        if same:
            direct[:, j] = levels[:, same].max(axis=1)
    return SkillMatrix(direct, close_fit, close_skill)


@dataclass
class HardConstraints:
    """Masks over the index's rows (True = the constraint fails) and what the reasons need."""

    skill_short: np.ndarray  # (n, k) bool, only for required skills
    capacity_short: np.ndarray  # (n,)
    location_outside: np.ndarray
    timezone_far: np.ndarray
    clearance_missing: np.ndarray
    offsets: np.ndarray  # hours from the request's zone, nan when unknown
    allowed_countries: set[str] = field(default_factory=set)
    unknown_countries: list[str] = field(default_factory=list)

    @property
    def excluded(self) -> np.ndarray:
        return (
            self.skill_short.any(axis=1)
            | self.capacity_short
            | self.location_outside
            | self.timezone_far
            | self.clearance_missing
        )


def check_hard_constraints(
    request: RoleRequest,
    index: PeopleIndex,
    requirements: list[Requirement],
    skills: SkillMatrix,
    capacity: WeeklyCapacity,
    need: np.ndarray,
) -> HardConstraints:
    """Evaluate every hard constraint for every person of ``index`` (rows of ``capacity``).

    Parameters
    ----------
    request : RoleRequest
    index : PeopleIndex
    requirements : list of Requirement
    skills : SkillMatrix
    capacity : WeeklyCapacity
        Over the request's period.
    need : array
        The role's hours per week of ``capacity``.

    Returns
    -------
    HardConstraints
    """
    rows = capacity.rows
    n = len(rows)
    minimum = np.array([r.min_level for r in requirements], dtype=np.int64)
    required = np.array([r.required for r in requirements], dtype=bool)
    skill_short = (skills.direct < minimum[None, :]) & required[None, :]
    capacity_short: np.ndarray = np.zeros(n, dtype=bool)
    if need.size:
        capacity_short = np.asarray((capacity.free + HOURS_EPSILON < need[None, :]).any(axis=1))

    location = request.location
    allowed: set[str] = set()
    unknown_countries: list[str] = []
    location_outside = np.zeros(n, dtype=bool)
    if location is not None and location.countries:
        allowed, unknown_countries = country_codes(location.countries)
        if allowed:
            location_outside = np.array([index.country[r] not in allowed for r in rows], dtype=bool)

    offsets = np.full(n, np.nan)
    reference = location.timezone if location is not None else None
    if reference:
        by_zone: dict[str | None, float | None] = {}
        for position, row in enumerate(rows):
            zone = index.timezone[row]
            if zone not in by_zone:
                by_zone[zone] = max_offset_hours(zone, reference, request.start_date, request.end_date)
            value = by_zone[zone]
            if value is not None:
                offsets[position] = value
    timezone_far = np.zeros(n, dtype=bool)
    if location is not None and location.max_timezone_offset_hours is not None:
        with np.errstate(invalid="ignore"):
            timezone_far = offsets > location.max_timezone_offset_hours + HOURS_EPSILON

    clearance_missing = np.zeros(n, dtype=bool)
    if request.clearance and request.clearance.strip():
        wanted = request.clearance
        clearance_missing = np.array(
            [not clearance_satisfied(index.clearances[r], wanted) for r in rows], dtype=bool
        )
    return HardConstraints(
        skill_short=skill_short,
        capacity_short=capacity_short,
        location_outside=location_outside,
        timezone_far=timezone_far,
        clearance_missing=clearance_missing,
        offsets=offsets,
        allowed_countries=allowed,
        unknown_countries=unknown_countries,
    )


@dataclass(frozen=True)
class ExclusionDetail:
    """One excluded person: reasons to show and the changes that would make them eligible."""

    row: int
    reasons: list[str]
    changes: list[str]
    distance: float  # how far from eligible; smaller is nearer


def explain_exclusion(
    position: int,
    request: RoleRequest,
    index: PeopleIndex,
    requirements: list[Requirement],
    skills: SkillMatrix,
    capacity: WeeklyCapacity,
    need: np.ndarray,
    hard: HardConstraints,
) -> ExclusionDetail:
    """Reasons and fixes for the person at ``position`` of ``capacity.rows``."""
    row = int(capacity.rows[position])
    person = index.people[row]
    reasons: list[str] = []
    changes: list[str] = []
    distance = 0.0
    for j, requirement in enumerate(requirements):
        if not hard.skill_short[position, j]:
            continue
        held = int(skills.direct[position, j])
        if held:
            text = f"{requirement.name} {held} of {requirement.min_level} required"
        else:
            text = f"no {requirement.name} ({requirement.min_level} required)"
            close = int(skills.close_skill[position, j])
            if close >= 0:
                close_id = index.skill_columns[close]
                level = int(index.levels[row, close])
                text += f"; has {index.taxonomy.display_name(close_id)} {level}, a close skill"
        reasons.append(text)
        changes.append(
            f"{requirement.name} {held} of {requirement.min_level} required"
            if held
            else f"no {requirement.name} ({requirement.min_level} required)"
        )
        distance += 1 + (requirement.min_level - held) / 5
    if hard.capacity_short[position]:
        shortfall = explain_shortfall(
            person, capacity.weeks, capacity.free[position], need, hours_per_week=request.hours_per_week
        )
        if shortfall is not None:
            reasons.append(shortfall.reason)
            changes.append(shortfall.change)
            missing = float(np.maximum(need - capacity.free[position], 0).sum())
            distance += 1 + missing / max(float(need.sum()), 1.0)
    if hard.location_outside[position]:
        allowed = ", ".join(sorted(hard.allowed_countries))
        country = index.country[row]
        where = (
            f"based in {country}" if country else f"location {person.location or '(none)'!r} names no country"
        )
        reasons.append(f"{where}; the request allows {allowed}")
        changes.append(f"work from {allowed}")
        distance += 1.5
    if hard.timezone_far[position] and request.location is not None:
        limit = request.location.max_timezone_offset_hours
        reasons.append(
            f"time zone {person.timezone} is {hard.offsets[position]:g} h from {request.location.timezone}; "
            f"the limit is {limit:g} h"
        )
        changes.append(f"work within {limit:g} h of {request.location.timezone}")
        distance += 1.5
    if hard.clearance_missing[position]:
        reasons.append(f"no {request.clearance} clearance")
        changes.append(f"{request.clearance} clearance")
        distance += 3
    return ExclusionDetail(row=row, reasons=reasons, changes=changes, distance=distance)
