"""Routes: anomaly scoring (``/v1/anomaly/time-entries/score``, ``/v1/anomaly/invoices/score``).

Bodies, JSON or multipart:

- time entries: JSON ``{"items": [entries], "context": {...} | null}``, or
  multipart with a ``file`` part (CSV or JSON) and an optional ``context`` part (JSON);
- invoices: JSON ``{"items": [invoices], "lines": [lines], "context": {...} | null,
  "time_entries": [entries] | null}``, or multipart with ``file`` and ``lines`` parts
  (CSV or JSON) and optional ``context`` and ``time_entries`` parts.

200 ``{"results": [...], "rejected": [{"row", "errors", ...}], "reviews": [ids], "burn": [...]}``:
one result per valid item in input order (``contracts/anomaly.md``). Each
flagged item opens a review item routed to finance, and each flagged project
burn one routed to delivery (over the cap: finance too), in the same
transaction as the answer. A batch that cannot be read at all is a problem+json.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from sqlalchemy.orm import Session

from anomaly import (
    AnomalyError,
    BatchTooLargeError,
    ContextError,
    EmptyBatchError,
    InputEncodingError,
    MalformedInputError,
    MissingColumnsError,
    ScoringResult,
    read_context,
    score_invoices,
    score_time_entries,
)
from anomaly.ingest import INVOICE_COLUMNS, INVOICE_LINE_COLUMNS, TIME_ENTRY_COLUMNS
from service.auth import Principal
from service.deps import AppSettings, DbSession, require_roles
from service.idempotency import Idempotency, IdempotencyContext
from service.json_body import StrictJSONRoute, parse_json_body, refuse_empty_body, refuse_unknown_fields
from service.middleware import is_json_media_type, media_type_of, unsupported_media_type
from service.model_serving import ServingModels, get_serving_models
from service.problems import ProblemError, register_problem
from service.reviews.service import open_review
from service.uploads import read_form, single_part

router = APIRouter(prefix="/v1/anomaly", tags=["anomaly"], route_class=StrictJSONRoute)

Submitter = Annotated[Principal, require_roles("engine")]
Serving = Annotated[ServingModels, Depends(get_serving_models)]

register_problem(MissingColumnsError, 422, "anomaly-missing-columns", "Required columns are missing")
register_problem(MalformedInputError, 422, "anomaly-malformed-input", "The batch does not parse")
register_problem(InputEncodingError, 422, "anomaly-input-encoding", "The batch is not UTF-8")
register_problem(EmptyBatchError, 422, "anomaly-empty-batch", "The batch is empty")
register_problem(BatchTooLargeError, 413, "anomaly-batch-too-large", "The batch is too large")
register_problem(ContextError, 422, "anomaly-invalid-context", "The scoring context is invalid")
register_problem(AnomalyError, 422, "anomaly-error", "The batch cannot be scored")


def _invalid(detail: str, field: str) -> ProblemError:
    return ProblemError(
        422, "validation-error", "Invalid request", detail, errors=[{"loc": ["body", field], "msg": detail}]
    )


async def _read_body(request: Request, parts: tuple[str, ...]) -> tuple[dict[str, Any], str]:
    """The named parts of a JSON or multipart body, and a sha256 of the body for idempotency."""
    await refuse_empty_body(request)
    raw_type = request.headers.get("content-type")
    media_type = media_type_of(raw_type) if raw_type else ""
    if is_json_media_type(media_type):
        raw = await request.body()
        body = parse_json_body(raw)
        if not isinstance(body, dict) or not isinstance(body.get("items"), list):
            raise _invalid("JSON bodies need `items`: a list of objects.", "items")
        refuse_unknown_fields(body, ("items", *parts))
        return {name: body.get(name) for name in ("items", *parts)}, hashlib.sha256(raw).hexdigest()
    if media_type == "multipart/form-data":
        raw = await request.body()
        form = await read_form(request)
        out: dict[str, Any] = {}
        for name in ("file", *parts):
            value = single_part(form, name)
            if value is None:
                out[name] = None
            elif isinstance(value, str):
                out[name] = value.encode("utf-8")
            else:
                out[name] = await value.read()
        if out["file"] is None:
            raise _invalid("The multipart body needs a `file` part (CSV or JSON).", "file")
        out["items"] = out.pop("file")
        return out, hashlib.sha256(raw).hexdigest()
    raise unsupported_media_type(
        raw_type,
        'Send JSON {"items": [...], "context": {...}} or multipart/form-data with a `file` part,',
        accept_post="application/json, multipart/form-data",
    )


def _scoring_body(json_parts: dict[str, Any], file_parts: tuple[str, ...]) -> dict[str, Any]:
    """The OpenAPI request body of a scoring route (read by hand: JSON, or a multipart upload)."""
    required = [name for name, (_, needed) in json_parts.items() if needed]
    return {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": required,
                    "additionalProperties": False,
                    "properties": {name: schema for name, (schema, _) in json_parts.items()},
                }
            },
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": [file_parts[0], *(["lines"] if "lines" in file_parts else [])],
                    "properties": {
                        name: {"type": "string", "format": "binary", "description": "CSV or JSON"}
                        for name in file_parts
                    },
                }
            },
        },
    }


_TEXT: dict[str, Any] = {"type": "string"}
_NUMBER: dict[str, Any] = {"type": "number"}
_DATE: dict[str, Any] = {"type": "string", "format": "date"}
# What each column holds as JSON (contracts/anomaly.md's types). Which columns a table has, and
# which of them are required, is ingest's (its *_COLUMNS): the documented rows are built from
# those, so they cannot drift from what is read; a column ingest adds without a type here fails
# at import.
_COLUMN_SCHEMAS: dict[str, dict[str, Any]] = {
    **dict.fromkeys(("entry_id", "invoice_id", "invoice_number", "person_id", "project_id"), _TEXT),
    **dict.fromkeys(("client_id", "role", "description", "po_number", "currency"), _TEXT),
    **dict.fromkeys(("work_date", "issue_date", "due_date", "period_start", "period_end"), _DATE),
    **dict.fromkeys(("subtotal", "tax", "total", "quantity", "unit_price", "amount"), _NUMBER),
    "hours": {"type": "number", "exclusiveMinimum": 0, "maximum": 24},
    "billable": {"type": "boolean"},
    "bill_rate": {"type": "number", "minimum": 0},
    "logged_at": {"type": "string", "format": "date-time"},
}


def _rows(columns: Mapping[str, bool]) -> dict[str, Any]:
    """Rows with ingest's ``columns`` (name -> required); an optional one may be null (not given),
    and other columns are allowed and ignored."""
    properties = {
        name: _COLUMN_SCHEMAS[name] if required else {"anyOf": [_COLUMN_SCHEMAS[name], {"type": "null"}]}
        for name, required in columns.items()
    }
    required = [name for name, needed in columns.items() if needed]
    return {"type": "array", "items": {"type": "object", "required": required, "properties": properties}}


TIME_ENTRY_ROWS = _rows(TIME_ENTRY_COLUMNS)
INVOICE_ROWS = _rows(INVOICE_COLUMNS)
INVOICE_LINE_ROWS = _rows(INVOICE_LINE_COLUMNS)
_CONTEXT = {"anyOf": [{"type": "object"}, {"type": "null"}], "description": "contracts/anomaly.md context"}
TIME_ENTRIES_BODY = _scoring_body(
    {"items": (TIME_ENTRY_ROWS, True), "context": (_CONTEXT, False)}, ("file", "context")
)
INVOICES_BODY = _scoring_body(
    {
        "items": (INVOICE_ROWS, True),
        "lines": (INVOICE_LINE_ROWS, True),
        "context": (_CONTEXT, False),
        "time_entries": ({"anyOf": [TIME_ENTRY_ROWS, {"type": "null"}]}, False),
    },
    ("file", "lines", "context", "time_entries"),
)


def _title(finding: dict[str, Any]) -> str:
    if finding["controls"]:
        return str(finding["controls"][0]["message"])
    if finding["reasons"]:
        return str(finding["reasons"][0]["message"])
    return f"unusual (risk {finding['risk']:.2f})"


def _open_reviews(
    db: Session,
    result: ScoringResult,
    document: dict[str, Any],
    *,
    kind: str,
    model_name: str,
    model_version: str,
    principal: Principal,
) -> list[str]:
    """A review per flagged item and per flagged burn; each finding is the item's JSON in
    ``document`` (``result.to_dict()``), the answer's own, so no item is written twice."""
    reviews: list[str] = []
    for finding in document["results"]:
        if not finding["flagged"]:
            continue
        review = open_review(
            db,
            kind=kind,
            route=finding["route"] or "finance",
            severity=finding["severity"] if finding["severity"] != "none" else "low",
            title=_title(finding)[:500],
            rule=finding["controls"][0]["rule"] if finding["controls"] else "anomaly.model",
            finding=finding,
            subject={"type": kind, "id": finding["id"]},
            model_version=f"{model_name}/{model_version}",
            actor=principal.actor,
        )
        reviews.append(review.id)
    for burn, burn_finding in zip(result.burn, document["burn"], strict=True):
        if not burn.flagged:
            continue
        routes = ["delivery"] + (
            ["finance"] if any(f.rule == "over_not_to_exceed" for f in burn.flags) else []
        )
        for route in routes:
            review = open_review(
                db,
                kind="project_burn",
                route=route,
                severity=burn.severity if burn.severity != "none" else "medium",
                title=f"{burn.project_id}: {burn.flags[0].message}"[:500],
                rule=f"burn.{burn.flags[0].rule}",
                finding=burn_finding,
                subject={"type": "project", "id": burn.project_id},
                model_version=None,
                actor=principal.actor,
            )
            reviews.append(review.id)
    return reviews


def _answer_with_reviews(
    db: Session,
    result: ScoringResult,
    *,
    kind: str,
    model_name: str,
    model_version: str,
    principal: Principal,
) -> dict[str, Any]:
    """The 200 answer, its flagged items' reviews opened from the same documents."""
    # Scoring keeps its results column-wise; to_dict writes every item's document once (without
    # building an AnomalyScore per item), and the reviews take the flagged ones from it.
    document = result.to_dict()
    reviews = _open_reviews(
        db,
        result,
        document,
        kind=kind,
        model_name=model_name,
        model_version=model_version,
        principal=principal,
    )
    return {
        "results": document["results"],
        "rejected": document["rejected"],
        "reviews": reviews,
        "burn": document["burn"],
    }


def _context(value: Any) -> Any:
    return None if value is None else read_context(value)


async def _answer_once(
    db: Session, idem: IdempotencyContext, digest: str, create: Callable[[], dict[str, Any]]
) -> Response:
    """Score and open the reviews once per Idempotency-Key (keyed by the body's hash), off the loop."""

    def run() -> Response:
        try:
            return idem.run(db, request_body={"sha256": digest}, status_code=200, create=create)
        except Exception:
            db.rollback()
            raise

    return await run_in_threadpool(run)


@router.post(
    "/time-entries/score",
    responses={413: {}, 415: {}, 422: {}, 503: {}},
    openapi_extra={"requestBody": TIME_ENTRIES_BODY},
)
async def score_time_entries_route(
    request: Request,
    db: DbSession,
    principal: Submitter,
    idem: Idempotency,
    settings: AppSettings,
    serving: Serving,
) -> Response:
    """Score time entries (JSON `{"items", "context"}` or multipart `file`); review the flagged."""
    body, digest = await _read_body(request, ("context",))
    loaded = serving.get_or_raise("time-entries")

    def create() -> dict[str, Any]:
        result = score_time_entries(
            body["items"],
            model=loaded.model,
            context=_context(body.get("context")),
            review_budget=settings.review_budget,
            model_version=loaded.version,
            max_rows=settings.max_batch_items,
        )
        return _answer_with_reviews(
            db,
            result,
            kind="time_entry",
            model_name="time-entries",
            model_version=loaded.version,
            principal=principal,
        )

    return await _answer_once(db, idem, digest, create)


@router.post(
    "/invoices/score",
    responses={413: {}, 415: {}, 422: {}, 503: {}},
    openapi_extra={"requestBody": INVOICES_BODY},
)
async def score_invoices_route(
    request: Request,
    db: DbSession,
    principal: Submitter,
    idem: Idempotency,
    settings: AppSettings,
    serving: Serving,
) -> Response:
    """Score invoices (JSON `{"items", "lines", "context"}` or multipart `file` + `lines`)."""
    body, digest = await _read_body(request, ("lines", "context", "time_entries"))
    if body.get("lines") is None:
        raise _invalid("Invoices need their `lines` (a list, or a multipart `lines` part).", "lines")
    loaded = serving.get_or_raise("invoices")

    def create() -> dict[str, Any]:
        result = score_invoices(
            body["items"],
            body["lines"],
            model=loaded.model,
            context=_context(body.get("context")),
            time_entries=body.get("time_entries"),
            review_budget=settings.review_budget,
            model_version=loaded.version,
            max_rows=settings.max_batch_items,
        )
        return _answer_with_reviews(
            db,
            result,
            kind="invoice",
            model_name="invoices",
            model_version=loaded.version,
            principal=principal,
        )

    return await _answer_once(db, idem, digest, create)
