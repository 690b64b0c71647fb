"""Routes: SOW extraction (``/v1/sow/extractions``).

A POST ingests the upload, extracts it, stores the source document (by
sha256) and the result, and opens a review item for every nonstandard clause
and missing term, all in one transaction: a bad upload raises before anything
is added, so no half-stored extraction is ever left behind.
"""

from __future__ import annotations

import hashlib
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from extraction import (
    BackendUnavailableError,
    ExtractionLimits,
    ExtractionResult,
    analyse_document,
    ingest,
)
from extraction import errors as extraction_errors
from extraction.playbook import PlaybookError
from service.auth import Principal
from service.db.models import DocumentRow, ExtractionRow, ReviewItemRow
from service.deps import AppSettings, DbSession, require_roles
from service.idempotency import Idempotency
from service.ids import new_id
from service.json_body import StrictJSONRoute, parse_json_body, refuse_empty_body, refuse_unknown_fields
from service.middleware import is_json_media_type, media_type_of, unsupported_media_type
from service.model_serving import ServingModels, get_serving_models
from service.problems import ProblemError, register_problem
from service.reviews.service import open_review
from service.settings import Settings
from service.uploads import read_form, safe_filename, single_part

router = APIRouter(prefix="/v1/sow/extractions", tags=["sow"], route_class=StrictJSONRoute)

Submitter = Annotated[Principal, require_roles("engine")]
Reader = Annotated[Principal, require_roles("engine", "legal", "finance", "delivery")]
Serving = Annotated[ServingModels, Depends(get_serving_models)]
ExtractionId = Annotated[str, Path(min_length=1, max_length=64, description="An extraction id, `ext_…`.")]

_TITLES = {
    extraction_errors.UnsupportedMediaError: "Unsupported media type",
    extraction_errors.MislabelledMediaError: "File type does not match its name",
    extraction_errors.EncryptedDocumentError: "Encrypted document",
    extraction_errors.CorruptDocumentError: "Corrupt document",
    extraction_errors.TruncatedDocumentError: "Truncated document",
    extraction_errors.DocumentTooLargeError: "Document too large",
    extraction_errors.DecompressionBombError: "Document expands beyond the limits",
    extraction_errors.EmptyDocumentError: "Empty document",
    extraction_errors.TextEncodingError: "Unreadable text encoding",
    extraction_errors.BackendUnavailableError: "Extraction backend unavailable",
    extraction_errors.ClauseModelError: "Clause model failed",
    extraction_errors.DocumentError: "Unreadable document",
    extraction_errors.ExtractionError: "Extraction failed",
}
for _cls, _title in _TITLES.items():
    register_problem(_cls, _cls.status, _cls.slug, _title)
# A firm's playbook that does not load is the service's misconfiguration, not the caller's bad input.
register_problem(PlaybookError, 503, PlaybookError.slug, "The firm's playbook is invalid")


def build_llm_backend(settings: Settings) -> Any:
    """The LLM backend from settings, or None when no server is configured."""
    from service.llm import build_llm_backend as build

    return build(settings)


def _unsupported_body(raw: str | None) -> ProblemError:
    return unsupported_media_type(
        raw,
        'Send the SOW as multipart/form-data with a `file` part, or as JSON {"text": …},',
        accept_post="multipart/form-data, application/json",
    )


async def _read_upload(request: Request) -> tuple[bytes, str | None, str | None]:
    await refuse_empty_body(request)
    raw_type = request.headers.get("content-type")
    media_type = media_type_of(raw_type) if raw_type else ""
    if media_type == "multipart/form-data":
        form = await read_form(request)
        unknown = sorted(set(form.keys()) - {"file"})
        upload = single_part(form, "file")
        if upload is None or isinstance(upload, str):
            raise ProblemError(
                422, "validation-error", "Invalid request",
                "The multipart body needs a `file` part holding the document"
                + (f" (it has {', '.join(unknown)})." if unknown else "."),
                errors=[{"loc": ["body", "file"], "msg": "required", "type": "missing"}],
            )  # fmt: skip
        return await upload.read(), safe_filename(upload.filename), upload.content_type
    if is_json_media_type(media_type):
        body = parse_json_body(await request.body())
        if not isinstance(body, dict):
            raise ProblemError(
                422, "validation-error", "Invalid request",
                f"The JSON body must be an object {{\"text\": …}}, not a {type(body).__name__}.",
                errors=[{"loc": ["body"], "msg": "expected an object", "type": "model_type"}],
            )  # fmt: skip
        refuse_unknown_fields(body, ("text",))
        text = body.get("text")
        if not isinstance(text, str) or not text.strip():
            raise ProblemError(
                422, "validation-error", "Invalid request", "JSON bodies need a non-empty string `text`.",
                errors=[{"loc": ["body", "text"], "msg": "required", "type": "missing"}],
            )  # fmt: skip
        return text.encode("utf-8"), None, "text/plain"
    raise _unsupported_body(raw_type)


def _extract(
    data: bytes,
    *,
    filename: str | None,
    media_type: str | None,
    backend: str,
    settings: Settings,
    serving: ServingModels,
) -> tuple[ExtractionResult, str | None]:
    limits = ExtractionLimits(max_bytes=settings.max_body_bytes, max_pages=settings.max_pdf_pages)
    document = ingest(data, filename=filename, media_type=media_type, limits=limits)
    llm = build_llm_backend(settings) if backend != "local" else None
    if backend == "llm" and llm is None:
        raise BackendUnavailableError(f"the {backend} backend needs an LLM server; none is configured")
    loaded = serving.get("clauses")
    playbook = None
    if settings.playbook_path is not None:
        from extraction.playbook import load_playbook

        playbook = load_playbook(settings.playbook_path)
    version = loaded.version if loaded else None
    # The learned fill is optional: without its champion, billing is read by the rules alone.
    fill = serving.get("billing-fill")
    result = analyse_document(
        document,
        clause_model=loaded.model if loaded else None,
        clause_model_version=version,
        playbook=playbook,
        billing_fill=fill.model if fill else None,
        billing_fill_version=fill.version if fill else None,
    )
    if llm is not None:
        result = llm.extract(document, local_result=result, mode=backend, playbook=playbook)
    elif backend == "hybrid":
        from service.llm import HYBRID_WITHOUT_SERVER

        result.warnings.append(HYBRID_WITHOUT_SERVER)
    return result, version


def _store(
    db: Session,
    *,
    data: bytes,
    result: ExtractionResult,
    clause_version: str | None,
    backend: str,
    principal: Principal,
) -> dict[str, Any]:
    sha = result.document.sha256
    if db.get(DocumentRow, sha) is None:
        db.add(
            DocumentRow(
                sha256=sha,
                filename=result.document.filename,
                media_type=result.document.media_type,
                size_bytes=len(data),
                content=data,
            )
        )
    ext_id = new_id("ext")
    result_json = result.model_dump(mode="json")
    db.add(
        ExtractionRow(
            id=ext_id, document_sha256=sha, submitted_by=principal.key_id, backend=backend, result=result_json
        )
    )
    reviews: list[str] = []
    for finding in result.clauses:
        if not finding.nonstandard:
            continue
        is_billing = finding.rule in ("billing.missing_terms", "late_payment.absent")
        title = finding.title or finding.reason or finding.rule or finding.type
        item = open_review(
            db,
            kind="billing" if is_billing else "clause",
            route=finding.route or "legal",
            severity=finding.severity or "medium",
            title=title[:500],
            rule=finding.rule,
            finding=finding.model_dump(mode="json"),
            subject={"type": "sow_extraction", "id": ext_id},
            model_version=f"clauses/{clause_version}" if clause_version else None,
            actor=principal.actor,
        )
        reviews.append(item.id)
    return {"id": ext_id, "result": result_json, "reviews": reviews}


# The body is read by hand (a file or text), so its two shapes are documented here for clients.
_EXTRACTION_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file"],
                "properties": {
                    "file": {"type": "string", "format": "binary", "description": "PDF, DOCX or text"}
                },
            }
        },
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["text"],
                "additionalProperties": False,
                "properties": {"text": {"type": "string", "minLength": 1, "description": "the SOW as text"}},
            }
        },
    },
}


@router.post(
    "",
    status_code=201,
    responses={413: {}, 415: {}, 422: {}, 503: {}},
    openapi_extra={"requestBody": _EXTRACTION_BODY},
)
async def create_extraction(
    request: Request,
    db: DbSession,
    principal: Submitter,
    idem: Idempotency,
    settings: AppSettings,
    serving: Serving,
    backend: Annotated[Literal["local", "llm", "hybrid"], Query()] = "local",
) -> Response:
    """Extract a SOW (multipart `file` or JSON `{"text"}`), store it and open its review items."""
    data, filename, media_type = await _read_upload(request)
    fingerprint = {
        "sha256": hashlib.sha256(data).hexdigest(),
        "filename": filename,
        "media_type": media_type,
        "backend": backend,
    }

    def create() -> dict[str, Any]:
        result, version = _extract(
            data,
            filename=filename,
            media_type=media_type,
            backend=backend,
            settings=settings,
            serving=serving,
        )
        return _store(
            db, data=data, result=result, clause_version=version, backend=backend, principal=principal
        )

    def run() -> Response:
        try:
            return idem.run(db, request_body=fingerprint, status_code=201, create=create)
        except Exception:
            db.rollback()
            raise

    return await run_in_threadpool(run)


@router.get("/{extraction_id}")
def get_extraction(extraction_id: ExtractionId, db: DbSession, principal: Reader) -> JSONResponse:
    """Read one extraction: its submitter, admins, and reviewers with an item on it."""
    row = db.get(ExtractionRow, extraction_id)
    review_ids = list(
        db.scalars(
            select(ReviewItemRow.id)
            .where(ReviewItemRow.subject_type == "sow_extraction", ReviewItemRow.subject_id == extraction_id)
            .order_by(ReviewItemRow.id)
        )
    )
    allowed = row is not None and (
        principal.role == "admin"
        or (principal.role == "engine" and row.submitted_by == principal.key_id)
        or (
            principal.review_route is not None
            and db.scalar(
                select(ReviewItemRow.id).where(
                    ReviewItemRow.subject_type == "sow_extraction",
                    ReviewItemRow.subject_id == extraction_id,
                    ReviewItemRow.route == principal.review_route,
                )
            )
            is not None
        )
    )
    if row is None or not allowed:
        raise ProblemError(
            404, "extraction-not-found", "Extraction not found", f"No extraction {extraction_id!r}."
        )
    return JSONResponse({"id": row.id, "result": row.result, "reviews": review_ids})
