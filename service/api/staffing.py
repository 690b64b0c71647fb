"""Routes: staffing (``/v1/staffing``).

Ranking and team assignment call ``staffing_recs`` with the request's people
or the stored directory; every flag (margin below policy, nobody eligible)
becomes a review item routed to delivery, in the same transaction as the
idempotency record. Without a trained staffing model the documented default
weights rank, and ``model_version`` says ``"default"``.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Annotated, Any, ClassVar, Self, get_origin

from fastapi import APIRouter, Body, Depends, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, ModelWrapValidatorHandler, PrivateAttr, model_validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.auth import Principal
from service.db.models import PersonRow, utcnow
from service.deps import AppSettings, DbSession, require_roles
from service.idempotency import Idempotency
from service.json_body import StrictJSONRoute
from service.model_serving import ServingModels, get_serving_models
from service.problems import ProblemError, register_problem
from service.request_day import today_utc, with_request_day
from service.reviews.service import open_review
from staffing_recs import (
    DEFAULT_MODEL_VERSION,
    DuplicatePersonError,
    InvalidPeopleError,
    InvalidRequestError,
    Person,
    Recommendation,
    RequestWithoutSkillsError,
    RoleRequest,
    SkillTaxonomy,
    StaffingFlag,
    StaffingModelError,
    TaxonomyError,
    TeamAssignment,
    assign_team,
    parse_people,
    recommend,
)
from staffing_recs.schemas import check_unique_people
from staffing_recs.team import MAX_TEAM_ROLES

router = APIRouter(prefix="/v1/staffing", tags=["staffing"], route_class=StrictJSONRoute)

Submitter = Annotated[Principal, require_roles("engine")]
Reader = Annotated[Principal, require_roles("engine", "delivery")]
Serving = Annotated[ServingModels, Depends(get_serving_models)]

register_problem(InvalidPeopleError, 422, "invalid-people", "Invalid people directory")
register_problem(DuplicatePersonError, 422, "duplicate-person-id", "Duplicate person id")
register_problem(InvalidRequestError, 422, "invalid-staffing-request", "Invalid role request")
register_problem(RequestWithoutSkillsError, 422, "request-without-skills", "Role request without skills")
register_problem(TaxonomyError, 503, "skills-taxonomy-unavailable", "Skills taxonomy unavailable")
register_problem(StaffingModelError, 503, "staffing-model-unavailable", "Staffing model unavailable")

MAX_TOP = 1000
PERSON_ID_MAX_CHARS = 200
# Person ids looked up per query (well under SQLite's bound-parameter limit).
UPSERT_CHUNK = 500
# Candidates kept in a review item's finding: enough to choose from, and what
# the feedback export hands the ranking model as the reviewer's options.
CANDIDATES_IN_FINDING = 10


class _DatedOnArrival(BaseModel):
    """A body whose role requests are dated on the day it arrives (UTC) when they name no day of
    their own; the requests are the field ``requests_field`` (one request, or a list of them)."""

    model_config = ConfigDict(extra="forbid")
    requests_field: ClassVar[str]

    # The body as the engine sent it, before dating: what "the same request" means to its
    # Idempotency-Key, so a retry after midnight UTC replays instead of meeting another ASAP.
    _as_sent: Any = PrivateAttr(default=None)

    @model_validator(mode="wrap")
    @classmethod
    def _dated_on_arrival(cls, data: Any, handler: ModelWrapValidatorHandler[Self]) -> Self:
        dated = data
        if isinstance(data, dict) and cls.requests_field in data:
            day = today_utc()
            requests = data[cls.requests_field]
            if get_origin(cls.model_fields[cls.requests_field].annotation) is not list:
                requests = with_request_day(requests, day)
            elif isinstance(requests, list):
                requests = [with_request_day(request, day) for request in requests]
            dated = {**data, cls.requests_field: requests}
        model = handler(dated)
        model._as_sent = data
        return model


class RecommendationRequest(_DatedOnArrival):
    requests_field = "request"

    request: RoleRequest = Field(
        description="a start of 'ASAP' or 'early Q3' is read against requested_on, today (UTC) if not given"
    )
    people: list[Person] | None = Field(default=None, description="null: the stored directory")
    top: int = Field(default=10, ge=1, le=MAX_TOP)


class TeamRequest(_DatedOnArrival):
    requests_field = "requests"

    requests: list[RoleRequest] = Field(min_length=1, max_length=MAX_TEAM_ROLES)
    people: list[Person] | None = Field(default=None, description="null: the stored directory")


class RecommendationResponse(Recommendation):
    reviews: list[str] = Field(description="review items opened for the flags, routed to delivery")


class TeamResponse(TeamAssignment):
    reviews: list[str] = Field(description="review items opened for the flags, routed to delivery")


class PeopleUpserted(BaseModel):
    upserted: int
    created: int
    updated: int


class PeoplePage(BaseModel):
    items: list[dict[str, Any]]
    next_cursor: str | None


def _fingerprinted(body: RecommendationRequest | TeamRequest) -> Any:
    # A body built in code (not validated from JSON) has no sent form; its dump is what it says.
    return body._as_sent if body._as_sent is not None else body.model_dump(mode="json")


@functools.lru_cache(maxsize=8)
def _taxonomy(path: Path | None) -> SkillTaxonomy:
    return SkillTaxonomy.load(path)


def _model(serving: ServingModels) -> tuple[Any, str]:
    loaded = serving.get("staffing")
    if loaded is None:
        return None, DEFAULT_MODEL_VERSION
    return loaded.model, str(loaded.version)


def _directory(db: Session, people: list[Person] | None) -> list[Person]:
    if people is not None:
        check_unique_people(people)
        return people
    records = db.scalars(select(PersonRow.record).order_by(PersonRow.person_id))
    return parse_people(list(records))


def _open_flag_reviews(
    db: Session,
    flags: list[StaffingFlag],
    *,
    findings: dict[str, dict[str, Any]],
    model_version: str,
    principal: Principal,
) -> list[str]:
    ids: list[str] = []
    for flag in flags:
        request_id = flag.request_id or ""
        item = open_review(
            db,
            kind="staffing",
            route=flag.route,
            severity=flag.severity,
            title=flag.message[:500],
            rule=flag.rule,
            finding={"flag": flag.model_dump(mode="json"), **findings.get(request_id, {})},
            subject={"type": "staffing_request", "id": request_id},
            model_version=f"staffing/{model_version}",
            actor=principal.actor,
        )
        ids.append(item.id)
    return ids


@router.post("/recommendations", response_model=RecommendationResponse, responses={422: {}, 503: {}})
def create_recommendation(
    body: RecommendationRequest,
    db: DbSession,
    principal: Submitter,
    idem: Idempotency,
    settings: AppSettings,
    serving: Serving,
) -> Any:
    """Rank people for one role (the given people or the stored directory); flags open delivery reviews."""
    taxonomy = _taxonomy(settings.skills_taxonomy_path)
    model, version = _model(serving)

    def create() -> dict[str, Any]:
        people = _directory(db, body.people)
        result = recommend(
            body.request, people, model=model, taxonomy=taxonomy, top=body.top, model_version=version
        )
        document = result.model_dump(mode="json")
        finding = {
            "request": body.request.model_dump(mode="json"),
            "candidates": document["candidates"][:CANDIDATES_IN_FINDING],
            "excluded_count": len(result.excluded),
        }
        reviews = _open_flag_reviews(
            db,
            result.flags,
            findings={result.request_id: finding},
            model_version=version,
            principal=principal,
        )
        return {**document, "reviews": reviews}

    try:
        return idem.run(db, request_body=_fingerprinted(body), status_code=200, create=create)
    except Exception:
        db.rollback()
        raise


@router.post("/teams", response_model=TeamResponse, responses={422: {}, 503: {}})
def create_team(
    body: TeamRequest,
    db: DbSession,
    principal: Submitter,
    idem: Idempotency,
    settings: AppSettings,
    serving: Serving,
) -> Any:
    """Assign several roles at once (no one over capacity, highest total score); flags open reviews."""
    taxonomy = _taxonomy(settings.skills_taxonomy_path)
    model, version = _model(serving)
    ids = [r.request_id for r in body.requests]
    if len(set(ids)) != len(ids):
        raise InvalidRequestError("duplicate request_id in requests")

    def create() -> dict[str, Any]:
        people = _directory(db, body.people)
        result = assign_team(body.requests, people, model=model, taxonomy=taxonomy, model_version=version)
        document = result.model_dump(mode="json")
        assigned = {a.request_id: a.model_dump(mode="json") for a in result.assignments}
        findings = {
            r.request_id: {"request": r.model_dump(mode="json"), "assignment": assigned.get(r.request_id)}
            for r in body.requests
        }
        reviews = _open_flag_reviews(
            db, result.flags, findings=findings, model_version=version, principal=principal
        )
        return {**document, "reviews": reviews}

    try:
        return idem.run(db, request_body=_fingerprinted(body), status_code=200, create=create)
    except Exception:
        db.rollback()
        raise


@router.put("/people", response_model=PeopleUpserted, responses={422: {}})
def upsert_people(
    # Read as any JSON, so whatever shape arrives is judged by parse_people, whose errors name the
    # person and field ("people[0] must be an object"), not the union's members; the schema still
    # says what is expected.
    body: Annotated[
        Any,
        Body(
            description='people (contracts/staffing.md) as a JSON list, or {"people": [...]}',
            json_schema_extra={"anyOf": [{"type": "array", "items": {"type": "object"}}, {"type": "object"}]},
        ),
    ],
    db: DbSession,
    principal: Submitter,
) -> JSONResponse:
    """Bulk upsert into the stored people directory (a JSON list of people, or `{"people": [...]}`)."""
    people = parse_people(body)
    ids = [p.person_id for p in people]
    too_long = next((i for i in ids if len(i) > PERSON_ID_MAX_CHARS), None)
    if too_long is not None:
        # PersonRow.person_id is a String(200): PostgreSQL refused it with a 500, SQLite kept it.
        raise ProblemError(
            422,
            "invalid-people",
            "Invalid people directory",
            f"person_id {too_long[:40]!r}… is {len(too_long)} characters; the directory keeps ids of up "
            f"to {PERSON_ID_MAX_CHARS} characters.",
        )
    existing: dict[str, PersonRow] = {}
    for start in range(0, len(ids), UPSERT_CHUNK):
        chunk = ids[start : start + UPSERT_CHUNK]
        existing.update(
            (r.person_id, r) for r in db.scalars(select(PersonRow).where(PersonRow.person_id.in_(chunk)))
        )
    now = utcnow()
    for person in people:
        record = person.model_dump(mode="json")
        row = existing.get(person.person_id)
        if row is None:
            db.add(PersonRow(person_id=person.person_id, record=record, updated_at=now))
        else:
            row.record = record
            row.updated_at = now
    db.commit()
    created = len(people) - len(existing)
    return JSONResponse({"upserted": len(people), "created": created, "updated": len(existing)})


@router.get("/people", response_model=PeoplePage)
def list_people(
    db: DbSession,
    principal: Reader,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    cursor: Annotated[str | None, Query(description="the last person_id of the previous page")] = None,
) -> JSONResponse:
    """The stored people directory, by person id."""
    query = select(PersonRow).order_by(PersonRow.person_id).limit(limit + 1)
    if cursor:
        query = query.where(PersonRow.person_id > cursor)
    rows = list(db.scalars(query))
    page = rows[:limit]
    next_cursor = page[-1].person_id if len(rows) > limit else None
    return JSONResponse({"items": [r.record for r in page], "next_cursor": next_cursor})
