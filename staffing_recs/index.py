"""A people directory prepared once for fast ranking: skill levels as a matrix,
allocations and time off as flat arrays, per-person attributes as columns.

Ranking 10,000 people for one request touches every person, so the per-person
work is done here once (skill names resolved through the taxonomy, countries
parsed) and each request then runs as array operations.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np

from staffing_recs.geography import country_of_location, utc_offset_hours, zone_of_location
from staffing_recs.schemas import Person, check_unique_people
from staffing_recs.taxonomy import SkillTaxonomy, normalise_skill_name

# Skills read from a certification's name count at this level, from a free-text
# profile at this level, and only where the person did not state a level.
CERTIFIED_LEVEL = 3
PROFILE_LEVEL = 2


def _zone_of(person: Person) -> str | None:
    """The person's zone; without a usable one, their city's or single-zone country's."""
    if person.timezone and utc_offset_hours(person.timezone, _ZONE_PROBE_DAY) is not None:
        return person.timezone
    return zone_of_location(person.location) or person.timezone


_ZONE_PROBE_DAY = dt.date(2026, 1, 1)
_Value = TypeVar("_Value")


def _codes(values: Sequence[_Value]) -> tuple[np.ndarray, list[_Value]]:
    """Each value's position in the list of distinct values (in order of first appearance)."""
    position: dict[_Value, int] = {}
    codes = np.array([position.setdefault(v, len(position)) for v in values], dtype=np.int64)
    return codes, list(position)


def day_number(value: object) -> int:
    """Days since 1970-01-01 (numpy's datetime64[D] as an int)."""
    return int(np.datetime64(value, "D").astype(np.int64))  # type: ignore[call-overload]


@dataclass
class PeopleIndex:
    """Arrays over people, in the order given.

    Built with ``PeopleIndex.build``; read-only afterwards.
    """

    people: list[Person]
    person_ids: list[str]
    taxonomy: SkillTaxonomy
    skill_columns: list[str]
    column_of: dict[str, int]
    levels: np.ndarray  # (n_people, n_skills) int8: 0 = not held
    stated: np.ndarray  # (n_people, n_skills) bool: level stated by the person (not inferred)
    hours_per_week: np.ndarray
    cost_rate: np.ndarray  # nan when unknown
    currency: np.ndarray  # object: an ISO code, or None when the person gives none
    target_utilization: np.ndarray
    country: list[str | None]
    timezone: list[str | None]
    clients: list[frozenset[str]]
    projects: list[frozenset[str]]
    clearances: list[frozenset[str]]
    alloc_person: np.ndarray
    alloc_start: np.ndarray
    alloc_end: np.ndarray
    alloc_hours: np.ndarray
    alloc_project: np.ndarray  # object: project id ("" when not given)
    off_person: np.ndarray
    off_start: np.ndarray
    off_end: np.ndarray
    unknown_skills: dict[str, list[str]] = field(default_factory=dict)  # written name -> person ids
    # The same columns as small integer codes into their distinct values, so that a request
    # checks each distinct country, zone or set of clearances once, not once per person.
    id_array: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=object))
    country_code: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    country_values: list[str | None] = field(default_factory=list)
    zone_code: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    zone_values: list[str | None] = field(default_factory=list)
    clearance_code: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    clearance_values: list[frozenset[str]] = field(default_factory=list)
    currency_given: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=bool))
    # (row, skill column) -> the skill as the person wrote it ("SFDC"), for explanations.
    written: dict[tuple[int, int], str] = field(default_factory=dict)
    # HR status says the person has left ("Terminated"): never ranked.
    inactive: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    # Seniority rung read from the level or title words (-1 when not known).
    seniority: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    def __len__(self) -> int:
        return len(self.people)

    @classmethod
    def build(cls, people: Sequence[Person], taxonomy: SkillTaxonomy) -> PeopleIndex:
        """Prepare ``people`` for ranking.

        Parameters
        ----------
        people : sequence of Person
            Person ids must be unique.
        taxonomy : SkillTaxonomy
            Resolves every skill name once.

        Returns
        -------
        PeopleIndex
        """
        check_unique_people(people)
        people = list(people)
        column_of: dict[str, int] = {}
        entries: list[tuple[int, int, int, bool]] = []
        unknown: dict[str, list[str]] = {}
        written: dict[tuple[int, int], str] = {}
        for row, person in enumerate(people):
            held: dict[str, tuple[int, bool, str]] = {}
            for skill in person.skills:
                # One name may hold several skills ("C/C++", "Docker & Kubernetes").
                for match in taxonomy.resolve_all(skill.name):
                    if not match.known:
                        unknown.setdefault(skill.name, []).append(person.person_id)
                    previous = held.get(match.skill_id)
                    if previous is None or not previous[1] or previous[0] < skill.level:
                        held[match.skill_id] = (skill.level, True, skill.name)
            for certificate in person.certifications:
                for mention in taxonomy.extract(certificate):
                    if mention.skill_id not in held:
                        held[mention.skill_id] = (CERTIFIED_LEVEL, False, certificate)
            # A title ("SAP FICO Consultant") is read only for people who list no skills.
            inferred_text = " ".join(filter(None, [person.profile, "" if person.skills else person.title]))
            if inferred_text:
                for mention in taxonomy.extract(inferred_text):
                    if mention.skill_id not in held:
                        held[mention.skill_id] = (PROFILE_LEVEL, False, mention.text)
            for skill_id, (level, stated, name) in held.items():
                column = column_of.setdefault(skill_id, len(column_of))
                entries.append((row, column, level, stated))
                written[(row, column)] = name
        levels = np.zeros((len(people), max(len(column_of), 1)), dtype=np.int8)
        stated_matrix = np.zeros(levels.shape, dtype=bool)
        if entries:
            rows, columns, values, stated_flags = zip(*entries, strict=True)
            levels[list(rows), list(columns)] = values
            stated_matrix[list(rows), list(columns)] = stated_flags

        alloc_rows: list[tuple[int, int, int, float]] = []
        alloc_projects: list[str] = []
        off_rows: list[tuple[int, int, int]] = []
        for row, person in enumerate(people):
            for allocation in person.allocations:
                hours = allocation.hours_per_week
                if hours > 0:
                    alloc_projects.append(allocation.project_id)
                    alloc_rows.append(
                        (row, day_number(allocation.start_date), day_number(allocation.end_date), hours)
                    )
            for leave in person.time_off:
                off_rows.append((row, day_number(leave.start_date), day_number(leave.end_date)))
        countries = [country_of_location(p.location, p.timezone) for p in people]
        zones = [_zone_of(p) for p in people]
        clearances = [frozenset(normalise_skill_name(c) for c in p.clearances) for p in people]
        country_code, country_values = _codes(countries)
        zone_code, zone_values = _codes(zones)
        clearance_code, clearance_values = _codes(clearances)
        id_array = np.empty(len(people), dtype=object)
        id_array[:] = [p.person_id for p in people]
        alloc = np.array(alloc_rows, dtype=np.float64).reshape(-1, 4)
        off = np.array(off_rows, dtype=np.int64).reshape(-1, 3)
        return cls(
            people=people,
            person_ids=[p.person_id for p in people],
            taxonomy=taxonomy,
            skill_columns=list(column_of),
            column_of=column_of,
            levels=levels,
            stated=stated_matrix,
            hours_per_week=np.array([p.hours_per_week for p in people], dtype=np.float64),
            cost_rate=np.array(
                [np.nan if p.cost_rate is None else p.cost_rate for p in people], dtype=np.float64
            ),
            currency=np.array([p.currency for p in people], dtype=object),
            target_utilization=np.array([p.target_utilization for p in people], dtype=np.float64),
            country=countries,
            timezone=zones,
            clients=[frozenset(p.client_history) for p in people],
            projects=[frozenset(a.project_id for a in p.allocations if a.project_id) for p in people],
            clearances=clearances,
            alloc_person=alloc[:, 0].astype(np.int64),
            alloc_start=alloc[:, 1].astype(np.int64),
            alloc_end=alloc[:, 2].astype(np.int64),
            alloc_hours=alloc[:, 3],
            alloc_project=np.array(alloc_projects, dtype=object),
            off_person=off[:, 0],
            off_start=off[:, 1],
            off_end=off[:, 2],
            unknown_skills=unknown,
            id_array=id_array,
            country_code=country_code,
            country_values=country_values,
            zone_code=zone_code,
            zone_values=zone_values,
            clearance_code=clearance_code,
            clearance_values=clearance_values,
            currency_given=np.array([p.currency is not None for p in people], dtype=bool),
            written=written,
            inactive=np.array([p.status is not None and p.inactive for p in people], dtype=bool),
            seniority=np.array([-1 if p.seniority is None else p.seniority for p in people], dtype=np.int64),
        )
