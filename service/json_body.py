"""Strict JSON for request bodies: RFC 8259 only, read the same way by every route.

Python's ``json`` reads more than JSON, and what it lets through used to reach
a client as something worse than a 400:

- ``NaN``, ``Infinity`` and ``-Infinity`` literals, and numbers past the float
  range (``1e400`` reads as infinity), were stored, scored (a 500 on anomaly
  scoring) or written back as ``null`` in a review finding;
- a lone UTF-16 surrogate escape (``"\\ud800"``) is a string no database
  driver can encode: a 500 on the write;
- nesting deep enough to exhaust the parser's recursion, and integers past
  Python's digit limit, were a bare 400 "error parsing the body" on the typed
  routes and a 500 on the routes that read their own bodies.

All of them are now the ``malformed-json`` problem (400) naming what is wrong.
The typed routes get it through :class:`StrictJSONRoute` (FastAPI turns the
``JSONDecodeError`` it raises into that problem); routes that read their own
body call :func:`parse_json_body`.
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute

from service.problems import ProblemError
from service.text_guard import find_lone_surrogate, printable

# A float literal that can overflow: an exponent of three digits or more, or a very long mantissa.
_MAYBE_HUGE_FLOAT = re.compile(rb"[eE][+]?0*\d{3}|\d{300}")
# A \uD800-\uDFFF escape: a surrogate, which is fine only as half of a valid pair.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


class StrictJSONError(json.JSONDecodeError):
    """The body is not strict JSON; ``msg`` says why, for the problem's detail."""

    def __init__(self, reason: str, document: str = "", position: int = 0) -> None:
        super().__init__(reason, document, position)
        self.msg = reason


def _refuse_constant(name: str) -> Any:
    raise StrictJSONError(f"{name} is not a JSON number (send a number or null)")


def _finite_float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise StrictJSONError(f"the number {text[:40]} is out of range")
    return value


def loads_strict(raw: bytes) -> Any:
    """``raw`` read as strict JSON (UTF-8, an optional BOM), or a :class:`StrictJSONError`.

    Parameters
    ----------
    raw
        The request body.

    Returns
    -------
    Any
        The parsed value.

    Raises
    ------
    StrictJSONError
        Naming the reason: invalid UTF-8, not JSON, a NaN or infinite number,
        a lone surrogate, nesting or an integer beyond what can be read.
    """
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise StrictJSONError(
            f"the body is not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})"
        ) from None
    parse_float: Callable[[str], float] | None = _finite_float if _MAYBE_HUGE_FLOAT.search(raw) else None
    try:
        value = json.loads(text, parse_constant=_refuse_constant, parse_float=parse_float)
    except StrictJSONError:
        raise
    except json.JSONDecodeError as exc:
        raise StrictJSONError(exc.msg, exc.doc, exc.pos) from None
    except RecursionError:
        raise StrictJSONError("the body is nested too deeply") from None
    except ValueError:  # an integer past the interpreter's digit limit (4300 by default)
        raise StrictJSONError(f"an integer has more than {sys.get_int_max_str_digits()} digits") from None
    if _SURROGATE_ESCAPE.search(raw):
        try:
            where = find_lone_surrogate(value)
        except RecursionError:
            raise StrictJSONError("the body is nested too deeply") from None
        if where is not None:
            raise StrictJSONError(f"the string at {printable(where)} holds a lone UTF-16 surrogate escape")
    return value


def malformed_json(reason: str) -> ProblemError:
    """The problem every route answers for a body that is not strict JSON."""
    return ProblemError(
        400, "malformed-json", "Malformed JSON body", f"The request body is not valid JSON: {reason}."
    )


def parse_json_body(raw: bytes) -> Any:
    """``raw`` as strict JSON, or the ``malformed-json`` problem (for routes reading their own body)."""
    try:
        return loads_strict(raw)
    except StrictJSONError as exc:
        raise malformed_json(exc.msg) from None


def missing_body() -> ProblemError:
    """The answer to an empty body, as FastAPI gives it on the typed routes (a required body, missing)."""
    return ProblemError(
        422,
        "validation-error",
        "Request validation failed",
        "The request has no body; this endpoint needs one.",
        errors=[{"loc": ["body"], "msg": "Field required", "type": "missing"}],
    )


async def refuse_empty_body(request: Request) -> None:
    """:func:`missing_body` for a request of zero bytes, whatever its Content-Type says.

    For routes reading their own body, so an empty POST is the same 422 on every endpoint
    rather than a 400 (empty JSON) or a 415 (no Content-Type) on some. A multipart body
    with a non-zero Content-Length is left to the form parser, which streams it; one sent
    chunked is read first, or its zero bytes would parse as a form with no parts and be
    answered "needs a `file` part" (the middleware bounds what this holds in memory).
    """
    length = request.headers.get("content-length")
    if length == "0":
        raise missing_body()
    raw_type = request.headers.get("content-type") or ""
    if length is not None and raw_type.lower().startswith("multipart/"):
        return
    if not await request.body():
        raise missing_body()


def refuse_unknown_fields(body: dict[str, Any], allowed: tuple[str, ...]) -> None:
    """422 naming each member of ``body`` outside ``allowed`` (as the typed routes answer)."""
    unknown = sorted(str(key) for key in body if key not in allowed)
    if not unknown:
        return
    raise ProblemError(
        422,
        "validation-error",
        "Request validation failed",
        f"Unknown field(s) in the JSON body: {', '.join(unknown)}; it takes {', '.join(allowed)}.",
        errors=[
            {"loc": ["body", key], "msg": "Extra inputs are not permitted", "type": "extra_forbidden"}
            for key in unknown
        ],
    )


class StrictJSONRequest(Request):
    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            self._json = loads_strict(await self.body())
        return self._json


class StrictJSONRoute(APIRoute):
    """A route whose JSON body is read by :func:`loads_strict` (FastAPI answers its error as a 400)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def strict_handler(request: Request) -> Response:
            return await handler(StrictJSONRequest(request.scope, request.receive))

        return strict_handler
