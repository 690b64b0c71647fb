"""Several roles at once: no one over capacity, maximising the total score.

Each role's eligible candidates and scores come from the same evaluation as
``recommend``. A person may take two roles when their free hours cover both
in every week (weekly hours over the team's whole window). The assignment is
an integer programme solved exactly by HiGHS (``scipy.optimize.milp``): one
binary per (role, candidate), at most one person per role, and per person and
week the roles' hours within their free hours; the objective is the total
score, so a role stays unfilled only when no eligible person is left for it.

Only each role's best ``len(requests)`` candidates enter the programme, which
loses nothing: in any assignment the other roles use fewer people than that,
so one of the role's best candidates is unused and can replace a worse pick
without lowering the total or overloading anyone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from staffing_recs.capacity import HOURS_EPSILON, weekly_capacity
from staffing_recs.errors import InvalidRequestError
from staffing_recs.flags import currency_flag, margin_flag, nearest_misses, no_eligible_flag
from staffing_recs.index import PeopleIndex
from staffing_recs.recommender import (
    DEFAULT_MODEL_VERSION,
    RequestEvaluation,
    as_index,
    build_candidate,
    evaluate_request,
    gc_paused,
    nearest_details,
)
from staffing_recs.schemas import (
    Assignment,
    Fallback,
    Person,
    RoleRequest,
    StaffingFlag,
    TeamAssignment,
    Unfilled,
    parse_requests,
)
from staffing_recs.taxonomy import SkillTaxonomy

FALLBACKS_PER_ROLE = 3
# The programme has up to roles x roles binaries, and capacity is computed day by day over the span.
MAX_TEAM_ROLES = 200
MAX_TEAM_SPAN_DAYS = 10 * 366


@dataclass
class TeamProblem:
    """Roles, their candidate (row, score) options, weekly needs and people's weekly free hours."""

    options: list[list[tuple[int, float]]]  # per role, best first
    need: np.ndarray  # (n_roles, n_weeks)
    free: dict[int, np.ndarray]  # index row -> (n_weeks,)


def build_problem(
    evaluations: Sequence[RequestEvaluation], index: PeopleIndex, *, prune: bool = True
) -> TeamProblem:
    """The assignment problem for ``evaluations`` (all over the same ``index``)."""
    keep = len(evaluations) if prune else None
    options: list[list[tuple[int, float]]] = []
    for evaluation in evaluations:
        rows = evaluation.capacity.rows[evaluation.eligible]
        chosen = slice(None) if keep is None else slice(0, keep)
        options.append(
            [(int(r), float(s)) for r, s in zip(rows[chosen], evaluation.scores[chosen], strict=True)]
        )
    if not evaluations:
        return TeamProblem(options, np.zeros((0, 0)), {})
    start = min(e.request.start_date for e in evaluations)
    end = max(e.request.end_date for e in evaluations)
    rows_used = np.array(sorted({r for role in options for r, _ in role}), dtype=np.int64)
    capacity = weekly_capacity(index, start, end, rows=rows_used)
    need = np.vstack(
        [
            capacity.need(e.request.hours_per_week, e.request.start_date, e.request.end_date)
            for e in evaluations
        ]
    )
    free = {int(r): capacity.free[i] for i, r in enumerate(rows_used)}
    return TeamProblem(options, need, free)


def solve_milp(problem: TeamProblem) -> list[int | None]:
    """The optimal row per role (None: unfilled), by HiGHS."""
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import lil_matrix

    variables = [(role, row, score) for role, opts in enumerate(problem.options) for row, score in opts]
    if not variables:
        return [None] * len(problem.options)
    by_person: dict[int, list[int]] = {}
    for v, (_, row, _) in enumerate(variables):
        by_person.setdefault(row, []).append(v)
    constraint_rows: list[tuple[dict[int, float], float]] = []
    for role in range(len(problem.options)):
        constraint_rows.append(({v: 1.0 for v, (r, _, _) in enumerate(variables) if r == role}, 1.0))
    for row, vs in by_person.items():
        if len(vs) < 2:
            continue  # one role alone always fits: it passed its own capacity check
        free = problem.free[row]
        for week in range(problem.need.shape[1]):
            terms = {
                v: float(problem.need[variables[v][0], week])
                for v in vs
                if problem.need[variables[v][0], week] > 0
            }
            if len(terms) >= 2 and sum(terms.values()) > free[week] + HOURS_EPSILON:
                constraint_rows.append((terms, float(free[week]) + HOURS_EPSILON))
    matrix = lil_matrix((len(constraint_rows), len(variables)))
    upper = np.zeros(len(constraint_rows))
    for i, (terms, bound) in enumerate(constraint_rows):
        for v, coefficient in terms.items():
            matrix[i, v] = coefficient
        upper[i] = bound
    # A tiny tie-break toward earlier (better ranked) options keeps answers stable.
    cost = np.array([-(score + 1e-9 / (1 + k)) for k, (_, _, score) in enumerate(variables)])
    result = milp(
        c=cost,
        constraints=LinearConstraint(matrix.tocsr(), -np.inf, upper),
        integrality=np.ones(len(variables)),
        bounds=Bounds(0, 1),
    )
    if result.x is None:  # pragma: no cover - the empty assignment is always feasible
        raise RuntimeError(f"team assignment solver failed: {result.message}")
    chosen: list[int | None] = [None] * len(problem.options)
    for v, value in enumerate(result.x):
        if value > 0.5:
            chosen[variables[v][0]] = variables[v][1]
    return chosen


def solve_exhaustively(problem: TeamProblem) -> tuple[list[int | None], float]:
    """The optimum by trying every assignment (small cases only: tests and evals)."""
    n_weeks = problem.need.shape[1] if problem.need.ndim == 2 else 0
    best_pick: list[int | None] = [None] * len(problem.options)
    best_total = 0.0
    load: dict[int, np.ndarray] = {}

    def visit(role: int, picked: list[int | None], total: float) -> None:
        nonlocal best_pick, best_total
        if role == len(problem.options):
            if total > best_total + 1e-12:
                best_pick, best_total = list(picked), total
            return
        visit(role + 1, [*picked, None], total)
        for row, score in problem.options[role]:
            current = load.get(row, np.zeros(n_weeks))
            after = current + problem.need[role]
            if np.all(after <= problem.free[row] + HOURS_EPSILON):
                load[row] = after
                visit(role + 1, [*picked, row], total + score)
                load[row] = current

    visit(0, [], 0.0)
    return best_pick, best_total


def team_score(problem: TeamProblem, chosen: Sequence[int | None]) -> float:
    total = 0.0
    for role, row in enumerate(chosen):
        if row is not None:
            total += dict(problem.options[role])[row]
    return total


def assign_team(
    requests: Sequence[RoleRequest] | Sequence[dict[str, Any]] | dict[str, Any],
    people: Sequence[Person] | Sequence[dict[str, Any]] | PeopleIndex | dict[str, Any],
    *,
    model: Any = None,
    taxonomy: SkillTaxonomy | None = None,
    model_version: str | None = None,
    fx_rates: Mapping[str, float] | None = None,
    fallbacks: int = FALLBACKS_PER_ROLE,
) -> TeamAssignment:
    """Assign people to several roles at once, maximising the total score with no one over capacity.

    Parameters
    ----------
    requests : sequence of RoleRequest (or dicts), or a team written once
        Request ids must be unique. ``{"start": ..., "location": ..., "roles": [...]}`` gives
        each role the team's fields it does not set itself.
    people : sequence of Person (or dicts), or a PeopleIndex
    model, taxonomy, model_version, fx_rates
        As for ``recommend``.
    fallbacks : int
        Next-best people listed per role.

    Returns
    -------
    TeamAssignment
    """
    parsed = parse_requests(requests if isinstance(requests, dict) else list(requests))
    if len(parsed) > MAX_TEAM_ROLES:
        raise InvalidRequestError(f"a team request holds at most {MAX_TEAM_ROLES} roles, got {len(parsed)}")
    if parsed:
        span = max(r.end_date for r in parsed) - min(r.start_date for r in parsed)
        if span.days > MAX_TEAM_SPAN_DAYS:
            raise InvalidRequestError("the roles of one team request span more than 10 years")
    taxonomy = taxonomy or SkillTaxonomy.default()
    index = as_index(people, taxonomy)
    with gc_paused():
        return _assign_team(
            parsed, index, model=model, model_version=model_version, fx_rates=fx_rates, fallbacks=fallbacks
        )


def _assign_team(
    parsed: list[RoleRequest],
    index: PeopleIndex,
    *,
    model: Any,
    model_version: str | None,
    fx_rates: Mapping[str, float] | None,
    fallbacks: int,
) -> TeamAssignment:
    evaluations = [evaluate_request(r, index, model=model, fx_rates=fx_rates) for r in parsed]
    problem = build_problem(evaluations, index)
    chosen = solve_milp(problem)
    person_ids = index.person_ids

    assignments: list[Assignment] = []
    unfilled: list[Unfilled] = []
    backup: list[Fallback] = []
    flags: list[StaffingFlag] = []
    taken_by: dict[int, list[str]] = {}
    for request, row in zip(parsed, chosen, strict=True):
        if row is not None:
            taken_by.setdefault(row, []).append(request.request_id)
    for evaluation, row in zip(evaluations, chosen, strict=True):
        request = evaluation.request
        ranked_rows = [int(r) for r in evaluation.capacity.rows[evaluation.eligible]]
        backup.append(
            Fallback(
                request_id=request.request_id,
                person_ids=[person_ids[r] for r in ranked_rows if r != row][: max(fallbacks, 0)],
            )
        )
        if row is not None:
            rank_position = ranked_rows.index(row)
            candidate = build_candidate(evaluation, rank_position)
            assignments.append(
                Assignment(
                    request_id=request.request_id, person_id=candidate.person_id, score=candidate.score
                )
            )
            below = margin_flag(request, [candidate], subject=f"assigned candidate {candidate.person_id}")
            if below is not None:
                flags.append(below)
            if str(index.currency[row]) in evaluation.unconverted_currencies:
                unconverted = currency_flag(request, [str(index.currency[row])], 1)
                if unconverted is not None:
                    flags.append(unconverted)
            continue
        if not ranked_rows:
            details = nearest_details(evaluation, np.flatnonzero(evaluation.hard.excluded))
            misses = nearest_misses(details, person_ids)
            flag = no_eligible_flag(request, misses, considered=len(index))
            flags.append(flag)
            reasons = [f"nobody of {len(index)} is eligible"]
            reasons += [f"{m.person_id}: {', '.join(m.changes)}" for m in misses]
            unfilled.append(Unfilled(request_id=request.request_id, reasons=reasons))
        else:
            busy = [
                f"{person_ids[r]} is assigned to {', '.join(taken_by[r])}"
                for r in ranked_rows[: len(parsed) + 1]
                if r in taken_by
            ]
            unfilled.append(
                Unfilled(
                    request_id=request.request_id,
                    reasons=[f"all {len(ranked_rows)} eligible people are needed for other roles", *busy],
                )
            )
    total = round(team_score(problem, chosen), 4)
    unknown = sorted({s for e in evaluations for s in e.unknown_skills} | set(index.unknown_skills))
    return TeamAssignment(
        model_version=model_version
        or (getattr(model, "version", None) if model is not None else None)
        or (DEFAULT_MODEL_VERSION if model is None else "custom"),
        assignments=assignments,
        unfilled=unfilled,
        total_score=total,
        flags=flags,
        fallbacks=backup,
        unknown_skills=unknown,
    )
