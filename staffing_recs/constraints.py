"""Hard constraints: who may not be ranked at all, and what would change that.

A person is excluded when any of these fails, each with a reason they (or a
resource manager) can act on:

- a required skill below its ``min_level`` (only the skill itself or a
  narrower one counts; close skills earn ranking credit, never eligibility);
- fewer free hours than the role needs in any week of the period;
- a country outside the request's ``location.countries``;
- a time zone further than ``max_timezone_offset_hours`` from the request's
  zone on the request's dates (people with an unknown zone are not excluded);
- a missing clearance (a higher level on the same ladder satisfies a lower one);
- an HR status saying the person no longer works here ("Terminated", "Inactive").

A person whose location names an area and no country ("Remote - EMEA") is inside
a request that allows that area, or only countries covering all of it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np

from staffing_recs.capacity import (
    HOURS_EPSILON,
    WeeklyCapacity,
    explain_shortfalls,
    shortfall_reasons,
    texts_by_key,
)
from staffing_recs.geography import allowed_places, area_countries, area_of_location, max_offset_hours
from staffing_recs.index import PeopleIndex
from staffing_recs.requirements import Requirement
from staffing_recs.schemas import Person, RoleRequest
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
                fit = credit * fit_levels(levels[:, column], requirement.rank_level)
                better = fit > close_fit[:, j]
                close_fit[better, j] = fit[better]
                close_skill[better, j] = column
        if same:
            direct[:, j] = levels[:, same].max(axis=1)
    return SkillMatrix(direct, close_fit, close_skill)


# Someone who has left is further from eligible than any fixable shortfall.
INACTIVE_DISTANCE = 10.0


def inactive_reason(person: Person) -> str:
    """Why a person whose HR status says they have left is not staffed."""
    return f"status {person.status!r}: not an active employee or contractor"


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
    inactive: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    allowed_text: str = ""  # what the request allows, as reasons quote it

    @property
    def excluded(self) -> np.ndarray:
        excluded = (
            self.skill_short.any(axis=1)
            | self.capacity_short
            | self.location_outside
            | self.timezone_far
            | self.clearance_missing
        )
        return excluded | self.inactive if len(self.inactive) == len(excluded) else excluded


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
    allowed_text = ""
    location_outside = np.zeros(n, dtype=bool)
    if location is not None and location.countries:
        allowed, areas, unknown_countries = allowed_places(location.countries)
        # An area is quoted as the request wrote it, not as its dozens of countries.
        allowed_text = ", ".join(location.countries) if areas else ", ".join(sorted(allowed))
        if allowed:
            inside = [code for code, country in enumerate(index.country_values) if country in allowed]
            location_outside = ~np.isin(index.country_code[rows], inside)
            no_country = [code for code, country in enumerate(index.country_values) if country is None]
            if no_country:
                for position in np.flatnonzero(np.isin(index.country_code[rows], no_country)).tolist():
                    area = area_of_location(index.people[int(rows[position])].location)
                    if area is not None and (area in areas or area_countries(area) <= allowed):
                        location_outside[position] = False

    offsets = np.full(n, np.nan)
    reference = location.timezone if location is not None else None
    if reference:
        zone_codes = index.zone_code[rows]
        by_zone = np.full(len(index.zone_values), np.nan)
        for code in np.unique(zone_codes).tolist():
            value = max_offset_hours(index.zone_values[code], reference, request.start_date, request.end_date)
            if value is not None:
                by_zone[code] = value
        offsets = by_zone[zone_codes]
    timezone_far = np.zeros(n, dtype=bool)
    if location is not None and location.max_timezone_offset_hours is not None:
        with np.errstate(invalid="ignore"):
            timezone_far = offsets > location.max_timezone_offset_hours + HOURS_EPSILON

    clearance_missing = np.zeros(n, dtype=bool)
    if request.clearance and request.clearance.strip():
        wanted = request.clearance
        missing_by_set = np.array(
            [not clearance_satisfied(held, wanted) for held in index.clearance_values], dtype=bool
        )
        clearance_missing = missing_by_set[index.clearance_code[rows]]
    return HardConstraints(
        skill_short=skill_short,
        capacity_short=capacity_short,
        location_outside=location_outside,
        timezone_far=timezone_far,
        clearance_missing=clearance_missing,
        offsets=offsets,
        allowed_countries=allowed,
        unknown_countries=unknown_countries,
        inactive=index.inactive[rows]
        if len(index.inactive) == len(index.people)
        else np.zeros(n, dtype=bool),
        allowed_text=allowed_text,
    )


@dataclass(slots=True)
class ExclusionDetail:
    """One excluded person: reasons to show and the changes that would make them eligible."""

    row: int
    reasons: list[str]
    changes: list[str]
    distance: float  # how far from eligible; smaller is nearer


def explain_exclusions(
    positions: np.ndarray,
    request: RoleRequest,
    index: PeopleIndex,
    requirements: list[Requirement],
    skills: SkillMatrix,
    capacity: WeeklyCapacity,
    need: np.ndarray,
    hard: HardConstraints,
) -> list[ExclusionDetail]:
    """Reasons, fixes and distance from eligibility for the people at ``positions`` of ``capacity.rows``.

    Parameters
    ----------
    positions : array of int
        Excluded people (positions in ``capacity.rows``).
    request, index, requirements, skills, capacity, need, hard
        As evaluated for the request.

    Returns
    -------
    list of ExclusionDetail
        In the order of ``positions``.
    """
    positions = np.asarray(positions, dtype=np.int64)
    n = len(positions)
    rows = capacity.rows[positions]
    reasons: list[list[str]] = [[] for _ in range(n)]
    changes: list[list[str]] = [[] for _ in range(n)]
    distance = np.zeros(n)
    taxonomy = index.taxonomy
    for j, requirement in enumerate(requirements):
        fails = np.flatnonzero(hard.skill_short[positions, j])
        if len(fails) == 0:
            continue
        held = skills.direct[positions[fails], j]
        close = skills.close_skill[positions[fails], j]
        close_level = index.levels[rows[fails], np.maximum(close, 0)]
        distance[fails] += 1 + (requirement.min_level - held) / 5
        texts: dict[tuple[int, int, int], tuple[str, str]] = {}
        for k, h, c, level in zip(
            fails.tolist(), held.tolist(), close.tolist(), close_level.tolist(), strict=True
        ):
            key = (h, c, level)
            if key not in texts:
                if h:
                    text = change = f"{requirement.name} {h} of {requirement.min_level} required"
                else:
                    text = change = f"no {requirement.name} ({requirement.min_level} required)"
                    if c >= 0:
                        name = taxonomy.display_name(index.skill_columns[c])
                        text += f"; has {name} {level}, a close skill"
                texts[key] = (text, change)
            text, change = texts[key]
            reasons[k].append(text)
            changes[k].append(change)
    short = np.flatnonzero(hard.capacity_short[positions])
    if len(short):
        shortfalls = explain_shortfalls(
            index, capacity, need, positions[short], hours_per_week=request.hours_per_week
        )
        missing = np.maximum(need[None, :] - capacity.free[positions[short]], 0).sum(axis=1)
        distance[short] += 1 + missing / max(float(need.sum()), 1.0)
        for k, shortfall in zip(short.tolist(), shortfalls, strict=True):
            if shortfall is not None:
                reasons[k].append(shortfall.reason)
                changes[k].append(shortfall.change)
    outside = np.flatnonzero(hard.location_outside[positions])
    if len(outside):
        allowed = hard.allowed_text or ", ".join(sorted(hard.allowed_countries))
        distance[outside] += 1.5
        for k in outside.tolist():
            row = int(rows[k])
            country = index.country[row]
            if country:
                where = f"based in {country}"
            else:
                where = f"location {index.people[row].location or '(none)'!r} names no country"
            reasons[k].append(f"{where}; the request allows {allowed}")
            changes[k].append(f"work from {allowed}")
    far = np.flatnonzero(hard.timezone_far[positions])
    if len(far) and request.location is not None:
        limit = request.location.max_timezone_offset_hours or 0.0
        reference = request.location.timezone
        distance[far] += 1.5
        for k in far.tolist():
            zone = index.timezone[int(rows[k])]
            offset = hard.offsets[positions[k]]
            reasons[k].append(f"time zone {zone} is {offset:g} h from {reference}; the limit is {limit:g} h")
            changes[k].append(f"work within {limit:g} h of {reference}")
    missing_clearance = np.flatnonzero(hard.clearance_missing[positions])
    if len(missing_clearance):
        distance[missing_clearance] += 3
        for k in missing_clearance.tolist():
            reasons[k].append(f"no {request.clearance} clearance")
            changes[k].append(f"{request.clearance} clearance")
    if len(hard.inactive):
        for k in np.flatnonzero(hard.inactive[positions]).tolist():
            distance[k] += INACTIVE_DISTANCE
            reasons[k].append(inactive_reason(index.people[int(rows[k])]))
            changes[k].append("an active employee or contractor")
    return [
        ExclusionDetail(row=int(rows[k]), reasons=reasons[k], changes=changes[k], distance=float(distance[k]))
        for k in range(n)
    ]


def exclusion_distance(
    positions: np.ndarray,
    requirements: list[Requirement],
    skills: SkillMatrix,
    capacity: WeeklyCapacity,
    need: np.ndarray,
    hard: HardConstraints,
) -> np.ndarray:
    """How far each of ``positions`` is from eligible: ``ExclusionDetail.distance``, as one array.

    Parameters
    ----------
    positions : array of int
        Excluded people (positions in ``capacity.rows``).
    requirements, skills, capacity, need, hard
        As evaluated for the request.

    Returns
    -------
    array of float
        Smaller is nearer; the same sums, in the same order, as ``explain_exclusions``.
    """
    positions = np.asarray(positions, dtype=np.int64)
    distance = np.zeros(len(positions))
    for j, requirement in enumerate(requirements):
        fails = np.flatnonzero(hard.skill_short[positions, j])
        if len(fails):
            held = skills.direct[positions[fails], j]
            distance[fails] += 1 + (requirement.min_level - held) / 5
    short = np.flatnonzero(hard.capacity_short[positions])
    if len(short):
        missing = np.maximum(need[None, :] - capacity.free[positions[short]], 0).sum(axis=1)
        distance[short] += 1 + missing / max(float(need.sum()), 1.0)
    distance[hard.location_outside[positions]] += 1.5
    distance[hard.timezone_far[positions]] += 1.5
    distance[hard.clearance_missing[positions]] += 3
    if len(hard.inactive):
        distance[hard.inactive[positions]] += INACTIVE_DISTANCE
    return distance


def join_reason_columns(columns: list[np.ndarray], masks: list[np.ndarray]) -> list[list[str]]:
    """Per element, the texts of the columns whose mask holds there, in column order.

    People are grouped by which constraints they fail (a handful of patterns); within a
    pattern the lists are zipped from the columns in one pass, with no per-person Python.

    Parameters
    ----------
    columns : list of array of object
        One text column per constraint, all of one length.
    masks : list of array of bool
        Where each column applies.

    Returns
    -------
    list of list of str
    """
    if not columns:
        return []
    n = len(columns[0])
    failing = np.stack(masks, axis=1)
    if failing.shape[1] <= 62:
        pattern = failing.astype(np.int64) @ (np.int64(1) << np.arange(failing.shape[1], dtype=np.int64))
        patterns, group = np.unique(pattern, return_inverse=True)
        members = [np.flatnonzero(group.ravel() == g) for g in range(len(patterns))]
    else:
        _, group = np.unique(failing, axis=0, return_inverse=True)
        members = [np.flatnonzero(group.ravel() == g) for g in range(int(group.max()) + 1)]
    lists: list[list[str]] = []
    for people in members:
        used = np.flatnonzero(failing[people[0]]).tolist()
        if used:
            lists.extend(map(list, zip(*(columns[c][people].tolist() for c in used), strict=True)))
        else:
            lists.extend([] for _ in range(len(people)))
    where = np.empty(n, dtype=np.int64)
    where[np.concatenate(members)] = np.arange(n)
    return list(map(lists.__getitem__, where.tolist()))


def _skill_texts(
    requirement: Requirement, held: np.ndarray, close: np.ndarray, close_level: np.ndarray, index: PeopleIndex
) -> np.ndarray:
    """The skill reason per failing person, each distinct (held, close skill, level) written once."""
    width = len(index.skill_columns) + 1  # close skill columns from -1; levels 0..5 fit 3 bits

    def text_of(i: int) -> str:
        h = int(held[i])
        if h:
            return f"{requirement.name} {h} of {requirement.min_level} required"
        text = f"no {requirement.name} ({requirement.min_level} required)"
        c = int(close[i])
        if c >= 0:
            name = index.taxonomy.display_name(index.skill_columns[c])
            text += f"; has {name} {int(close_level[i])}, a close skill"
        return text

    return texts_by_key((held * width + close + 1) * 8 + close_level, text_of)


def exclusion_reasons(
    positions: np.ndarray,
    request: RoleRequest,
    index: PeopleIndex,
    requirements: list[Requirement],
    skills: SkillMatrix,
    capacity: WeeklyCapacity,
    need: np.ndarray,
    hard: HardConstraints,
) -> list[list[str]]:
    """The reasons of ``explain_exclusions`` (same text, same order) without the fixes or any
    per-person object: each constraint's failures are grouped by what their text depends on
    (held level and close skill; the booking; country; zone and offset), each distinct text is
    written once, and the texts are gathered into lists column by column.

    Parameters
    ----------
    positions : array of int
        Excluded people (positions in ``capacity.rows``).
    request, index, requirements, skills, capacity, need, hard
        As evaluated for the request.

    Returns
    -------
    list of list of str
        In the order of ``positions``.
    """
    positions = np.asarray(positions, dtype=np.int64)
    n = len(positions)
    if n == 0:
        return []
    rows = capacity.rows[positions]
    columns: list[np.ndarray] = []
    masks: list[np.ndarray] = []

    def add(fails: np.ndarray, texts: np.ndarray) -> None:
        column = np.full(n, None, dtype=object)
        column[fails] = texts
        mask = np.zeros(n, dtype=bool)
        mask[fails] = True
        columns.append(column)
        masks.append(mask)

    for j, requirement in enumerate(requirements):
        fails = np.flatnonzero(hard.skill_short[positions, j])
        if len(fails) == 0:
            continue
        held = skills.direct[positions[fails], j]
        close = skills.close_skill[positions[fails], j]
        close_level = index.levels[rows[fails], np.maximum(close, 0)].astype(np.int64)
        # The close skill shows only when the skill itself is not held at all.
        close = np.where(held > 0, -1, close)
        close_level = np.where(close >= 0, close_level, 0)
        add(fails, _skill_texts(requirement, held, close, close_level, index))
    short = np.flatnonzero(hard.capacity_short[positions])
    if len(short):
        texts = shortfall_reasons(
            index, capacity, need, positions[short], hours_per_week=request.hours_per_week
        )
        written = np.flatnonzero([text is not None for text in texts.tolist()])
        add(short[written], texts[written])
    outside = np.flatnonzero(hard.location_outside[positions])
    if len(outside):
        allowed = hard.allowed_text or ", ".join(sorted(hard.allowed_countries))
        outside_rows = rows[outside].tolist()
        countries = [index.country[r] for r in outside_rows]
        # Without a country the text quotes the location as written.
        places = [c or f"\0{index.people[r].location}" for c, r in zip(countries, outside_rows, strict=True)]
        place_codes = np.unique(np.array(places, dtype=object), return_inverse=True)[1].ravel()

        def place_text(i: int) -> str:
            country = countries[i]
            if country:
                where = f"based in {country}"
            else:
                where = f"location {index.people[outside_rows[i]].location or '(none)'!r} names no country"
            return f"{where}; the request allows {allowed}"

        add(outside, texts_by_key(place_codes, place_text))
    far = np.flatnonzero(hard.timezone_far[positions])
    if len(far) and request.location is not None:
        limit = request.location.max_timezone_offset_hours or 0.0
        reference = request.location.timezone
        far_rows = rows[far].tolist()
        offsets = hard.offsets[positions[far]]
        zones = [
            f"{index.timezone[r]}\0{o}"
            for r, o in zip(far_rows, offsets.view(np.int64).tolist(), strict=True)
        ]
        zone_codes = np.unique(np.array(zones, dtype=object), return_inverse=True)[1].ravel()

        def zone_text(i: int) -> str:
            zone = index.timezone[far_rows[i]]
            return f"time zone {zone} is {offsets[i]:g} h from {reference}; the limit is {limit:g} h"

        add(far, texts_by_key(zone_codes, zone_text))
    missing_clearance = np.flatnonzero(hard.clearance_missing[positions])
    if len(missing_clearance):
        text = np.empty(1, dtype=object)
        text[0] = f"no {request.clearance} clearance"
        add(missing_clearance, text[np.zeros(len(missing_clearance), dtype=np.int64)])
    if len(hard.inactive):
        gone = np.flatnonzero(hard.inactive[positions])
        if len(gone):
            texts = np.empty(len(gone), dtype=object)
            texts[:] = [inactive_reason(index.people[int(rows[k])]) for k in gone.tolist()]
            add(gone, texts)
    if not columns:
        return [[] for _ in range(n)]
    return join_reason_columns(columns, masks)
