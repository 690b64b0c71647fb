"""The one ASGI middleware every request passes, and the content-type guard.

:class:`RequestMiddleware` (pure ASGI, so it adds little per request):

- gives each request an id (the caller's ``X-Request-ID`` when it is sane) and
  echoes it on the response;
- answers 406 on ``/v1/`` when ``Accept`` admits no JSON (``application/xml`` alone), since
  every answer there is JSON;
- refuses a body over ``max_body_bytes`` with 413 *before* reading it: at once
  from ``Content-Length``, or, for chunked bodies, as soon as the bytes
  received pass the limit;
- turns any exception that escaped the app into a problem+json answer (the
  registered problem, else a 500 with no traceback);
- observes the latency histogram per route template and writes one JSON log line.

:func:`check_content_type` runs as an app-wide dependency, before the body is
validated: a JSON route given anything but JSON, or a form route given
anything but a form, answers 415.
"""

from __future__ import annotations

import logging
import re
import secrets
import time
from email.message import Message
from typing import Any

from fastapi import Request
from fastapi.params import Form
from fastapi.routing import APIRoute
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.types import Message as ASGIMessage

from service.logging import request_id_var
from service.metrics import REQUEST_LATENCY, REQUESTS_REFUSED
from service.problems import ProblemError, problem_response, unhandled_exception_response

logger = logging.getLogger("handoff.http")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._\-]{1,128}$")


class _BodyTooLarge(Exception):
    pass


def _too_large(limit: int, path: str) -> Any:
    REQUESTS_REFUSED.labels(reason="body_too_large").inc()
    return problem_response(
        413,
        "request-too-large",
        "Request body too large",
        f"The request body exceeds the limit of {limit} bytes.",
        instance=path,
        max_body_bytes=limit,
    )


# Media ranges a JSON (or problem+json) answer satisfies.
_JSON_RANGES = frozenset({"*/*", "application/*", "application/json", "application/problem+json"})


def accepts_json(accept: str) -> bool:
    """Whether an ``Accept`` header admits the API's JSON: any range above with a q other than 0."""
    if not accept.strip():
        return True
    for media_range in accept.split(","):
        media_type, _, params = media_range.partition(";")
        if media_type.strip().lower() not in _JSON_RANGES:
            continue
        q = next(
            (
                v
                for k, _, v in (p.strip().partition("=") for p in params.split(";"))
                if k.strip().lower() == "q"
            ),
            "1",
        )
        try:
            if float(q) > 0:
                return True
        except ValueError:
            return True  # a q we cannot read is not a refusal of JSON
    return False


def _not_acceptable(accept: str, path: str) -> Any:
    # A client that asks only for another format gets told so, rather than JSON it may misread.
    return problem_response(
        406,
        "not-acceptable",
        "Not acceptable",
        f"This API answers application/json (errors application/problem+json), which Accept: {accept[:200]}"
        " does not admit; accept application/json or */*.",
        instance=path,
    )


class RequestMiddleware:
    def __init__(self, app: ASGIApp, *, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        headers = dict(scope["headers"])
        incoming_id = headers.get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming_id if _REQUEST_ID.match(incoming_id) else secrets.token_hex(16)
        token = request_id_var.set(request_id)
        scope.setdefault("state", {})["request_id"] = request_id
        path = scope["path"]
        limit = self.max_body_bytes
        state: dict[str, Any] = {"status": 0, "started": False, "too_large": False, "replaced": False}
        request_id_header = (b"x-request-id", request_id.encode("latin-1"))

        async def send_raw(message: ASGIMessage) -> None:
            if message["type"] == "http.response.start":
                state["started"] = True
                state["status"] = message["status"]
                message["headers"] = [*message.get("headers", []), request_id_header]
            await send(message)

        async def emit(response: Any) -> None:
            state["replaced"] = True
            await response(scope, _empty_receive, send_raw)

        async def send_with_id(message: ASGIMessage) -> None:
            if state["replaced"]:
                return
            if message["type"] == "http.response.start" and state["too_large"]:
                # The app answered after our receive() gave up on the body (FastAPI says 400): say 413.
                await emit(_too_large(limit, path))
                return
            await send_raw(message)

        try:
            content_length = headers.get(b"content-length")
            if content_length is not None and _int_or_none(content_length) is None:
                await emit(
                    problem_response(
                        400, "bad-request", "Bad Request", "Content-Length is not a number.", instance=path
                    )
                )
                return
            if content_length is not None and int(content_length) > limit:
                await emit(_too_large(limit, path))
                return
            accept = headers.get(b"accept")
            if accept is not None and path.startswith("/v1/") and not accepts_json(accept.decode("latin-1")):
                await emit(_not_acceptable(accept.decode("latin-1"), path))
                return

            received = 0

            async def counting_receive() -> ASGIMessage:
                nonlocal received
                message = await receive()
                if message["type"] == "http.request":
                    received += len(message.get("body", b""))
                    if received > limit:
                        state["too_large"] = True
                        raise _BodyTooLarge()
                return message

            try:
                await self.app(scope, counting_receive, send_with_id)
            except Exception as exc:
                if state["started"]:
                    logger.error("error after the response started", exc_info=exc)
                    raise
                if state["replaced"]:
                    return
                if state["too_large"] or isinstance(exc, _BodyTooLarge):
                    await emit(_too_large(limit, path))
                else:
                    await emit(unhandled_exception_response(path, exc))
        finally:
            elapsed = time.perf_counter() - started
            route = scope.get("route")
            template = getattr(route, "path_format", None) or getattr(route, "path", None) or "unmatched"
            _observe_latency(scope["method"], template, state["status"], elapsed)
            if logger.isEnabledFor(logging.INFO):
                _log_request(scope["method"], path, template, state["status"], elapsed)
            request_id_var.reset(token)


# One histogram child per (method, route, status), looked up once: ``labels()`` locks and builds
# its key on every call. A few dozen routes times a few statuses bounds it.
_LATENCY_CHILDREN: dict[tuple[str, str, int], Any] = {}


def _observe_latency(method: str, route: str, status: int, seconds: float) -> None:
    key = (method, route, status)
    child = _LATENCY_CHILDREN.get(key)
    if child is None:
        child = REQUEST_LATENCY.labels(method=method, route=route, status=str(status))
        _LATENCY_CHILDREN[key] = child
    child.observe(seconds)


def _log_request(method: str, path: str, route: str, status: int, seconds: float) -> None:
    # The request line is written on every request: the record is made directly, without the
    # caller lookup (a walk up the stack) that ``logger.info`` does for file and line fields no
    # handler of ours prints. Handlers, filters and levels apply as usual.
    extra = {
        "method": method,
        "path": path,
        "route": route,
        "status": status,
        "duration_ms": round(seconds * 1000, 2),
    }
    record = logger.makeRecord(
        logger.name, logging.INFO, __file__, 0, "%s %s %s", (method, path, status), None, extra=extra
    )
    logger.handle(record)


async def _empty_receive() -> ASGIMessage:
    return {"type": "http.request", "body": b"", "more_body": False}


def _int_or_none(value: bytes) -> int | None:
    try:
        number = int(value)
    except ValueError:
        return None
    return number if number >= 0 else None


_JSON_TYPES = ("application/json",)
_FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


def media_type_of(value: str) -> str:
    """The bare media type of a Content-Type header value, lower case (``text/plain`` when unparsable)."""
    message = Message()
    message["content-type"] = value
    return message.get_content_type()


def is_json_media_type(media_type: str) -> bool:
    return media_type in _JSON_TYPES or (
        media_type.startswith("application/") and media_type.endswith("+json")
    )


def unsupported_media_type(raw: str | None, reads: str, *, accept_post: str) -> ProblemError:
    """415 ``unsupported-media-type`` (counted as refused): ``reads`` says what the endpoint takes,
    ``accept_post`` lists those media types for the ``Accept-Post`` header."""
    REQUESTS_REFUSED.labels(reason="unsupported_media_type").inc()
    return ProblemError(
        415,
        "unsupported-media-type",
        "Unsupported media type",
        f"{reads} not {raw or 'a body without Content-Type'}.",
        headers={"Accept-Post": accept_post},
    )


async def check_content_type(request: Request) -> None:
    """415 when the body's media type is not the one the route reads (JSON or a form)."""
    if request.method not in ("POST", "PUT", "PATCH"):
        return
    route = request.scope.get("route")
    body_field = getattr(route, "body_field", None) if isinstance(route, APIRoute) else None
    if body_field is None:
        return
    has_body = request.headers.get("content-length", "0") != "0" or "transfer-encoding" in request.headers
    if not has_body:
        return
    raw = request.headers.get("content-type")
    wants_form = isinstance(body_field.field_info, Form)
    media_type = media_type_of(raw) if raw else ""
    ok = media_type in _FORM_TYPES if wants_form else is_json_media_type(media_type)
    if not ok:
        expected = " or ".join(_FORM_TYPES) if wants_form else "application/json"
        raise unsupported_media_type(
            raw, f"This endpoint reads {expected},", accept_post=expected.replace(" or ", ", ")
        )
