"""Routes: the review queue (``/v1/reviews``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Path, Query, Request
from fastapi.responses import JSONResponse, Response

from service.auth import Principal
from service.deps import DbSession, engine_of, require_roles, run_on_db_thread
from service.idempotency import Idempotency, is_replay
from service.json_body import StrictJSONRoute
from service.metrics import DECISIONS
from service.problems import ProblemError
from service.reviews import service
from service.reviews.schemas import (
    DecisionRequest,
    ReviewCreateRequest,
    ReviewEvent,
    ReviewItem,
    ReviewListQuery,
    ReviewPage,
)

router = APIRouter(prefix="/v1/reviews", tags=["reviews"], route_class=StrictJSONRoute)

# Who may read the queue at all; what each sees is narrowed in reviews.service.
Reader = Annotated[Principal, require_roles("engine", "legal", "finance", "delivery")]
Creator = Annotated[Principal, require_roles("engine")]
Decider = Annotated[Principal, require_roles("legal", "finance", "delivery")]

ReviewId = Annotated[str, Path(min_length=1, max_length=64, description="A review item id, `rev_…`.")]


def _parse_if_match(value: str | None) -> int | None:
    if value is None:
        return None
    tag = value.strip()
    if tag == "*":
        return None
    if tag.startswith("W/"):
        tag = tag[2:]
    tag = tag.strip('"')
    try:
        version = int(tag)
    except ValueError:
        raise ProblemError(
            400, "invalid-if-match", "Invalid If-Match", "If-Match must be the item's version, e.g. '1'."
        ) from None
    return version


def _etag(item: ReviewItem) -> dict[str, str]:
    return {"ETag": f'"{item.version}"'}


@router.get("", response_model=ReviewPage)
async def list_reviews(
    request: Request, principal: Reader, query: Annotated[ReviewListQuery, Query()]
) -> Response:
    """List the review items you may see, newest first, one page at a time."""
    # The busiest read, so it stays lean: the key comes from the app's verified-key cache on the event
    # loop, the query params are validated as one model, and the query and the JSON body are made in
    # one call on a database thread that opens and closes its own connection; the page is not
    # revalidated.
    engine = engine_of(request)

    def page() -> bytes:
        with engine.connect() as connection:
            return service.list_reviews_json(
                connection,
                principal=principal,
                route=query.route.value if query.route else None,
                status=query.status.value if query.status else None,
                kind=query.kind,
                rule=query.rule,
                subject_id=query.subject_id,
                limit=query.limit,
                cursor=query.cursor,
            )

    return Response(await run_on_db_thread(page), media_type="application/json")


@router.post("", status_code=201, response_model=ReviewItem)
def create_review(
    body: ReviewCreateRequest, db: DbSession, principal: Creator, idem: Idempotency
) -> Response:
    """Escalate something for human review by hand."""

    def create() -> ReviewItem:
        return service.open_review(
            db,
            kind=body.kind,
            route=body.route.value,
            severity=body.severity.value,
            title=body.title,
            rule=body.rule,
            finding=body.finding,
            subject=body.subject,
            model_version=body.model_version,
            actor=principal.actor,
        )

    return idem.run(db, request_body=body, status_code=201, create=create)


@router.get("/{review_id}", response_model=ReviewItem)
def get_review(review_id: ReviewId, db: DbSession, principal: Reader) -> Response:
    """Read one review item."""
    item = service.get_review_or_raise(db, review_id, principal=principal)
    return Response(item.model_dump_json(), media_type="application/json", headers=_etag(item))


@router.post(
    "/{review_id}/decision",
    response_model=ReviewItem,
    responses={409: {"description": "Already decided"}, 412: {"description": "If-Match is stale"}},
)
def decide_review(
    review_id: ReviewId,
    body: DecisionRequest,
    db: DbSession,
    principal: Decider,
    idem: Idempotency,
    if_match: Annotated[str | None, Header(alias="If-Match")] = None,
) -> Response:
    """Approve, reject (with a reason) or override (with a reason and corrections); final.

    With an ``Idempotency-Key``, a retry of the same decision answers the first 200 again
    instead of the 409 a second decision gets.
    """
    expected_version = _parse_if_match(if_match)
    decided: list[ReviewItem] = []

    def decide() -> ReviewItem:
        item = service.decide_review(
            db, review_id, principal=principal, decision=body, expected_version=expected_version
        )
        decided.append(item)
        return item

    response = idem.run(db, request_body=body, status_code=200, create=decide, headers=_etag)
    if decided and not is_replay(response):
        DECISIONS.labels(outcome=body.outcome.value, route=decided[0].route.value).inc()
    return response


@router.get("/{review_id}/events", response_model=list[ReviewEvent])
def list_review_events(review_id: ReviewId, db: DbSession, principal: Reader) -> JSONResponse:
    """The item's append-only audit trail, oldest first."""
    events = service.list_review_events(db, review_id, principal=principal)
    return JSONResponse([e.model_dump(mode="json") for e in events])
