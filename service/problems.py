"""RFC 9457 problem details: the one shape of every error the service answers.

Every problem has a stable ``type`` of ``https://handoff.dev/problems/<slug>``,
a ``title`` (the same for every occurrence of that type), the HTTP ``status``
and a ``detail`` about this occurrence. Validation problems add an ``errors``
list naming each field (``loc``, ``msg``, ``type``).

Two ways to produce one:

- raise :class:`ProblemError` from anywhere in a request::

      raise ProblemError(409, "review-already-decided", "Review item already decided",
                         f"{review_id} was decided at {decided_at}")

- register a domain exception once, in the router module that can meet it, so
  the domain package need not know about HTTP::

      register_problem(ExtractionLimitError, 413, "document-too-large", "Document too large")

  The most specific registered class in the exception's MRO wins; the detail
  is ``str(exc)``. Anything unregistered and unexpected becomes a 500
  ``internal-error`` with no traceback in the body (it is logged instead).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException

from service.model_serving import ModelUnavailableError

PROBLEM_BASE = "https://handoff.dev/problems/"
PROBLEM_MEDIA_TYPE = "application/problem+json"

logger = logging.getLogger("handoff.problems")


def problem_type(slug: str) -> str:
    return PROBLEM_BASE + slug


class ProblemError(Exception):
    """An error answered as problem+json; ``extra`` members are added to the body.

    Parameters
    ----------
    status
        The HTTP status code.
    slug
        The stable problem type's last segment, e.g. ``"review-not-found"``.
    title
        A short summary, the same for every occurrence of this type.
    detail
        What happened this time.
    headers
        Extra response headers (``WWW-Authenticate``, ``Allow``...).
    **extra
        Extension members added to the problem body.
    """

    def __init__(
        self,
        status: int,
        slug: str,
        title: str,
        detail: str,
        *,
        headers: Mapping[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.slug = slug
        self.title = title
        self.detail = detail
        self.headers = dict(headers or {})
        self.extra = extra


@dataclass(frozen=True)
class ProblemMapping:
    status: int
    slug: str
    title: str


_REGISTRY: dict[type[Exception], ProblemMapping] = {}


def register_problem(exception_class: type[Exception], status: int, slug: str, title: str) -> None:
    """Answer ``exception_class`` (and subclasses not registered themselves) with this problem.

    Parameters
    ----------
    exception_class
        The domain exception to map.
    status
        The HTTP status code.
    slug
        The problem type's slug.
    title
        The problem's title; the detail is ``str(exc)``.
    """
    _REGISTRY[exception_class] = ProblemMapping(status=status, slug=slug, title=title)


def lookup_problem(exc: BaseException) -> ProblemMapping | None:
    for cls in type(exc).__mro__:
        mapping = _REGISTRY.get(cls)
        if mapping is not None:
            return mapping
    return None


def problem_body(
    status: int, slug: str, title: str, detail: str, *, instance: str | None = None, **extra: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {"type": problem_type(slug), "title": title, "status": status, "detail": detail}
    if instance is not None:
        body["instance"] = instance
    body.update(extra)
    return body


def problem_response(
    status: int,
    slug: str,
    title: str,
    detail: str,
    *,
    instance: str | None = None,
    headers: Mapping[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    return JSONResponse(
        problem_body(status, slug, title, detail, instance=instance, **extra),
        status_code=status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=dict(headers or {}),
    )


# Slugs for the statuses the framework itself raises (routing, methods, auth helpers).
_STATUS_SLUGS: dict[int, str] = {
    400: "bad-request",
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    406: "not-acceptable",
    409: "conflict",
    412: "precondition-failed",
    413: "request-too-large",
    415: "unsupported-media-type",
    422: "validation-error",
    428: "precondition-required",
    429: "too-many-requests",
    500: "internal-error",
    503: "service-unavailable",
}


def slug_for_status(status: int) -> str:
    return _STATUS_SLUGS.get(status, f"http-{status}")


def title_for_status(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def _field_errors(errors: Sequence[Any]) -> list[dict[str, Any]]:
    out = []
    for error in errors:
        out.append(
            {
                "loc": [str(part) for part in error.get("loc", ())],
                "msg": str(error.get("msg", "")),
                "type": str(error.get("type", "")),
            }
        )
    return out


def _instance(request: Request) -> str:
    return request.url.path


async def _on_problem_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ProblemError)
    return problem_response(
        exc.status,
        exc.slug,
        exc.title,
        exc.detail,
        instance=_instance(request),
        headers=exc.headers,
        **exc.extra,
    )


async def _on_validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    if any(error.get("type") == "json_invalid" for error in errors):
        first = next(error for error in errors if error.get("type") == "json_invalid")
        reason = (first.get("ctx") or {}).get("error", "invalid JSON")
        return problem_response(
            400,
            "malformed-json",
            "Malformed JSON body",
            f"The request body is not valid JSON: {reason}.",
            instance=_instance(request),
        )
    fields = _field_errors(errors)
    named = ", ".join(".".join(e["loc"]) for e in fields[:5])
    return problem_response(
        422,
        "validation-error",
        "Request validation failed",
        f"{len(fields)} invalid field(s): {named}." if fields else "The request is not valid.",
        instance=_instance(request),
        errors=fields,
    )


async def _on_http_exception(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    detail = exc.detail if isinstance(exc.detail, str) else title_for_status(status)
    if status == 404 and detail == "Not Found":
        detail = f"No resource at {request.url.path}."
    elif status == 405 and detail == "Method Not Allowed":
        detail = f"{request.method} is not allowed on {request.url.path}."
    return problem_response(
        status,
        slug_for_status(status),
        title_for_status(status),
        detail,
        instance=_instance(request),
        headers=exc.headers,
    )


async def _on_model_unavailable(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ModelUnavailableError)
    return problem_response(
        503,
        "model-unavailable",
        "Model unavailable",
        str(exc),
        instance=_instance(request),
        model=exc.short_name,
    )


async def _on_registered(request: Request, exc: Exception) -> JSONResponse:
    mapping = lookup_problem(exc)
    if mapping is None:
        return internal_error_response(request.url.path, exc)
    return problem_response(
        mapping.status, mapping.slug, mapping.title, str(exc) or mapping.title, instance=_instance(request)
    )


def unhandled_exception_response(path: str, exc: BaseException) -> JSONResponse:
    """The answer to an exception no handler caught: its registered problem, or a bare 500."""
    mapping = lookup_problem(exc)
    if mapping is not None:
        return problem_response(
            mapping.status, mapping.slug, mapping.title, str(exc) or mapping.title, instance=path
        )
    return internal_error_response(path, exc)


def internal_error_response(path: str, exc: BaseException) -> JSONResponse:
    logger.error("unhandled error on %s", path, exc_info=(type(exc), exc, exc.__traceback__))
    return problem_response(
        500,
        "internal-error",
        "Internal server error",
        "The server failed to answer this request; it has been logged.",
        instance=path,
    )


async def _on_database_unavailable(request: Request, exc: Exception) -> JSONResponse:
    # The driver's message may quote SQL and parameters: log it, never send it.
    logger.warning("database unavailable on %s: %s", request.url.path, exc)
    return problem_response(
        503,
        "database-unavailable",
        "Database unavailable",
        "The database did not answer in time (unreachable or busy); retry shortly.",
        instance=_instance(request),
        headers={"Retry-After": "1"},
    )


def install_problem_handlers(app: FastAPI) -> None:
    """Answer every error of ``app`` as problem+json (500s are handled by the request middleware)."""
    app.add_exception_handler(ProblemError, _on_problem_error)
    app.add_exception_handler(OperationalError, _on_database_unavailable)
    # Every pooled connection busy for the whole pool timeout: overloaded, not broken.
    app.add_exception_handler(PoolTimeoutError, _on_database_unavailable)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_exception)
    app.add_exception_handler(ModelUnavailableError, _on_model_unavailable)
    for exception_class in list(_REGISTRY):
        app.add_exception_handler(exception_class, _on_registered)


__all__ = [
    "PROBLEM_MEDIA_TYPE",
    "ProblemError",
    "install_problem_handlers",
    "lookup_problem",
    "problem_body",
    "problem_response",
    "problem_type",
    "register_problem",
    "unhandled_exception_response",
]
