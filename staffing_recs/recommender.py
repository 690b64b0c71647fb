"""One role request against a people directory: exclude, rank, explain, flag."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from staffing_recs.capacity import WeeklyCapacity, weekly_capacity
from staffing_recs.constraints import (
    ExclusionDetail,
    HardConstraints,
    SkillMatrix,
    check_hard_constraints,
    exclusion_distance,
    exclusion_reasons,
    explain_exclusions,
    skill_matrix,
)
from staffing_recs.flags import NEAREST_MISSES, currency_flag, margin_flag, nearest_misses, no_eligible_flag
from staffing_recs.index import PeopleIndex
from staffing_recs.ranking import Factors, compute_factors, explain_candidate, margins, weights_of
from staffing_recs.requirements import Requirement, resolve_requirements
from staffing_recs.schemas import (
    FACTORS,
    Candidate,
    Person,
    Recommendation,
    RoleRequest,
    ScoreBreakdown,
    StaffingFlag,
    parse_people,
    parse_request,
)
from staffing_recs.taxonomy import SkillTaxonomy

DEFAULT_MODEL_VERSION = "default"


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while thousands of small, acyclic explanation
    objects are made: next to a large people directory its passes cost more than the
    explanations themselves (about 3x on 10,000 people). Reference counting still frees."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@dataclass
class RequestEvaluation:
    """Everything computed for one request over one directory (shared by recommend and assign_team)."""

    request: RoleRequest
    index: PeopleIndex
    requirements: list[Requirement]
    unknown_skills: list[str]
    capacity: WeeklyCapacity
    need: np.ndarray
    skills: SkillMatrix
    hard: HardConstraints
    eligible: np.ndarray  # positions (= index rows) passing every hard constraint, best first
    factors: Factors  # rows aligned with ``eligible``
    scores: np.ndarray  # aligned with ``eligible``
    unconverted_currencies: list[str]
    assumed_currency: int = 0  # eligible people with a cost but no currency (taken as the bill's)

    def person_id(self, position: int) -> str:
        return self.index.person_ids[int(self.capacity.rows[position])]


def as_index(
    people: Sequence[Person] | Sequence[dict[str, Any]] | PeopleIndex | dict[str, Any],
    taxonomy: SkillTaxonomy,
) -> PeopleIndex:
    if isinstance(people, PeopleIndex):
        return people
    parsed = parse_people(people if isinstance(people, dict) else list(people))
    return PeopleIndex.build(parsed, taxonomy)


def evaluate_request(
    request: RoleRequest,
    index: PeopleIndex,
    *,
    model: Any = None,
    fx_rates: Mapping[str, float] | None = None,
) -> RequestEvaluation:
    """Hard constraints and soft factors for every person of ``index``; eligible sorted best first."""
    requirements, unknown = resolve_requirements(request, index.taxonomy)
    capacity = weekly_capacity(index, request.start_date, request.end_date)
    need = capacity.need(request.hours_per_week, request.start_date, request.end_date)
    rows = capacity.rows
    skills = skill_matrix(index, requirements, rows)
    hard = check_hard_constraints(request, index, requirements, skills, capacity, need)
    eligible = np.flatnonzero(~hard.excluded)
    margin, unconverted = margins(request, index, rows, fx_rates)
    factors = compute_factors(request, index, requirements, skills, capacity, eligible, hard.offsets, margin)
    scores = factors.scores(weights_of(model))
    # Best first; ties by skill fit, then person id so the order is stable.
    ids = index.id_array[rows[eligible]]
    order = np.lexsort((ids, -factors.values[:, 0], -np.round(scores, 12))) if len(eligible) else np.arange(0)
    eligible = eligible[order]
    factors = Factors(
        values=factors.values[order],
        margin=factors.margin[order],
        available_hours=factors.available_hours[order],
        utilization_now=factors.utilization_now[order],
        continuity=factors.continuity[order],
    )
    unconverted_here = sorted({str(index.currency[rows[p]]) for p in eligible} & set(unconverted))
    eligible_rows = rows[eligible]
    assumed = 0
    if request.bill_rate:
        no_currency = ~index.currency_given[eligible_rows] & ~np.isnan(index.cost_rate[eligible_rows])
        assumed = int(no_currency.sum())
    return RequestEvaluation(
        request=request,
        index=index,
        requirements=requirements,
        unknown_skills=unknown,
        capacity=capacity,
        need=need,
        skills=skills,
        hard=hard,
        eligible=eligible,
        factors=factors,
        scores=scores[order],
        unconverted_currencies=unconverted_here,
        assumed_currency=assumed,
    )


def build_candidate(evaluation: RequestEvaluation, rank_position: int) -> Candidate:
    position = int(evaluation.eligible[rank_position])
    values = evaluation.factors.values[rank_position]
    margin = float(evaluation.factors.margin[rank_position])
    offset = float(evaluation.hard.offsets[position])
    return Candidate(
        person_id=evaluation.person_id(position),
        rank=rank_position + 1,
        score=round(float(evaluation.scores[rank_position]), 4),
        breakdown=ScoreBreakdown(
            **{name: round(float(v), 4) for name, v in zip(FACTORS, values, strict=True)}
        ),
        margin=None if np.isnan(margin) else round(margin, 4),
        available_hours_per_week=round(float(evaluation.factors.available_hours[rank_position]), 2),
        explanation=explain_candidate(
            evaluation.request,
            evaluation.index,
            evaluation.requirements,
            evaluation.skills,
            evaluation.capacity,
            position,
            rank_position,
            evaluation.factors,
            offset,
        ),
    )


def recommend(
    request: RoleRequest | dict[str, Any],
    people: Sequence[Person] | Sequence[dict[str, Any]] | PeopleIndex | dict[str, Any],
    *,
    model: Any = None,
    taxonomy: SkillTaxonomy | None = None,
    top: int = 10,
    model_version: str | None = None,
    fx_rates: Mapping[str, float] | None = None,
) -> Recommendation:
    """Rank the people who can take a role, explain each, and flag what needs a delivery lead.

    Parameters
    ----------
    request : RoleRequest or dict
        The role (``contracts/staffing.md``).
    people : sequence of Person (or dicts), or a PeopleIndex
        The directory; a prebuilt ``PeopleIndex`` skips re-reading it.
    model : StaffingRankingModel, mapping of weights, or None
        Factor weights; ``DEFAULT_WEIGHTS`` when None.
    taxonomy : SkillTaxonomy, optional
        Defaults to the shipped taxonomy (ignored when ``people`` is an index).
    top : int
        How many candidates to return.
    model_version : str, optional
        Shown in the result; ``"default"`` without a model.
    fx_rates : mapping, optional
        Value of one unit of each currency in a common base, to compare costs and bill rates
        in different currencies; without it such margins are unknown and flagged.

    Returns
    -------
    Recommendation
    """
    request = parse_request(request)
    taxonomy = taxonomy or SkillTaxonomy.default()
    index = as_index(people, taxonomy)
    with gc_paused():
        return _recommend(
            request, index, model=model, top=top, model_version=model_version, fx_rates=fx_rates
        )


def _recommend(
    request: RoleRequest,
    index: PeopleIndex,
    *,
    model: Any,
    top: int,
    model_version: str | None,
    fx_rates: Mapping[str, float] | None,
) -> Recommendation:
    evaluation = evaluate_request(request, index, model=model, fx_rates=fx_rates)
    candidates = [build_candidate(evaluation, i) for i in range(min(max(top, 0), len(evaluation.eligible)))]
    excluded_positions = np.flatnonzero(evaluation.hard.excluded)
    reasons = exclusion_reasons(
        excluded_positions,
        request,
        index,
        evaluation.requirements,
        evaluation.skills,
        evaluation.capacity,
        evaluation.need,
        evaluation.hard,
    )
    excluded_ids = index.id_array[evaluation.capacity.rows[excluded_positions]].tolist()
    flags = request_flags(evaluation, candidates, nearest_details(evaluation, excluded_positions))
    notes = []
    if evaluation.assumed_currency:
        notes.append(
            f"{evaluation.assumed_currency} eligible people give no cost currency; "
            f"their cost is taken in {request.currency}, the bill rate's currency"
        )
    if evaluation.hard.unknown_countries:
        notes.append(f"countries not understood: {', '.join(evaluation.hard.unknown_countries)}")
    notes.extend(
        f"skill {r.name!r} read as {index.taxonomy.display_name(r.skill_id)}"
        + (" (a close spelling)" if r.how == "fuzzy" else "")
        for r in evaluation.requirements
        if r.how in ("contains", "fuzzy")
    )
    notes.extend(
        f"skill {r.name!r} read from the description or role (min level {r.min_level})"
        for r in evaluation.requirements
        if r.from_description
    )
    # Validated in one pass from plain dicts: thousands of exclusions are cheaper this
    # way than one model object at a time.
    return Recommendation.model_validate(
        {
            "request_id": request.request_id,
            "model_version": model_version
            or (getattr(model, "version", None) if model is not None else None)
            or (DEFAULT_MODEL_VERSION if model is None else "custom"),
            "candidates": candidates,
            "excluded": [
                {"person_id": person_id, "reasons": texts}
                for person_id, texts in zip(excluded_ids, reasons, strict=True)
            ],
            "flags": flags,
            "unknown_skills": sorted(set(evaluation.unknown_skills) | set(index.unknown_skills)),
            "notes": notes,
        }
    )


def nearest_details(evaluation: RequestEvaluation, excluded_positions: np.ndarray) -> list[ExclusionDetail]:
    """Full details (with fixes) of the nearest misses only, and only when nobody is eligible:
    the fixes are written for the few people a no-eligible flag names, not for everyone."""
    if len(evaluation.eligible) or len(excluded_positions) == 0:
        return []
    distance = exclusion_distance(
        excluded_positions,
        evaluation.requirements,
        evaluation.skills,
        evaluation.capacity,
        evaluation.need,
        evaluation.hard,
    )
    # Everyone tied with the NEAREST_MISSES-th distance stays in, so the id tie-break below decides.
    cut = np.partition(distance, min(NEAREST_MISSES, len(distance)) - 1)[
        min(NEAREST_MISSES, len(distance)) - 1
    ]
    near = excluded_positions[distance <= cut]
    return explain_exclusions(
        near,
        evaluation.request,
        evaluation.index,
        evaluation.requirements,
        evaluation.skills,
        evaluation.capacity,
        evaluation.need,
        evaluation.hard,
    )


def request_flags(
    evaluation: RequestEvaluation, candidates: Sequence[Candidate], details: Sequence[Any]
) -> list[StaffingFlag]:
    request = evaluation.request
    flags: list[StaffingFlag] = []
    if len(evaluation.eligible) == 0:
        flags.append(
            no_eligible_flag(
                request,
                nearest_misses(details, evaluation.index.person_ids),
                considered=len(evaluation.index),
            )
        )
    below = margin_flag(request, candidates)
    if below is not None:
        flags.append(below)
    currencies = currency_flag(
        request,
        evaluation.unconverted_currencies,
        sum(
            1
            for p in evaluation.eligible
            if evaluation.index.currency[p] in evaluation.unconverted_currencies
        ),
    )
    if currencies is not None:
        flags.append(currencies)
    return flags
