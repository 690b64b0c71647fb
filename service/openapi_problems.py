"""Declare in ``/openapi.json`` the problem+json answers every operation can give.

FastAPI documents a route's success response and a JSON 422; the service answers
errors as ``application/problem+json`` (``service.problems``), and some of them
come from shared dependencies rather than the route itself. This module reads
each route's dependency tree and declares what it implies, so clients, generated
SDKs and the schemathesis conformance run see every status the route can send:

- every operation: 500 (``internal-error``);
- an authenticated route (``get_current_principal``): 401 and 403;
- a route with path parameters: 404;
- a route with parameters or a body: 400 and 422; with a body also 413 and 415;
- a route that takes ``Idempotency-Key``: 400 (malformed key) and 422 (key reused);
- a route that uses a served model: 503 (``model-unavailable``).

Client errors a route declares itself (``responses={409: …}``) keep their
description and get the problem media type; a 5xx it declares is left as it is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from http import HTTPStatus
from typing import Any

import fastapi.routing
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from service.deps import get_current_principal
from service.idempotency import get_idempotency_context
from service.model_serving import get_serving_models
from service.problems import PROBLEM_MEDIA_TYPE

PROBLEM_SCHEMA_NAME = "Problem"
PROBLEM_SCHEMA: dict[str, Any] = {
    "title": PROBLEM_SCHEMA_NAME,
    "description": "RFC 9457 problem details; `type` is stable per kind of error.",
    "type": "object",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string", "description": "https://handoff.dev/problems/<slug>"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {
            "type": "array",
            "description": "For validation problems: each invalid field.",
            "items": {
                "type": "object",
                "properties": {
                    "loc": {"type": "array", "items": {"type": "string"}},
                    "msg": {"type": "string"},
                    "type": {"type": "string"},
                },
            },
        },
    },
    "additionalProperties": True,
}

_DESCRIPTIONS = {
    400: "Bad request (malformed JSON, cursor, header or Idempotency-Key)",
    401: "Missing, unknown or revoked API key",
    403: "This role may not use the endpoint",
    404: "Not found (or not visible to this key)",
    413: "Request body too large",
    415: "Unsupported media type",
    422: "Validation failed, or an Idempotency-Key reused with a different request",
    500: "Internal error (logged; no traceback is sent)",
    503: "A model this endpoint needs is not loaded",
}


def _calls(dependant: Dependant) -> Iterator[Callable[..., Any]]:
    for sub in dependant.dependencies:
        if sub.call is not None:
            yield sub.call
        yield from _calls(sub)


def _api_routes(routes: list[Any]) -> Iterator[Any]:
    # Newer FastAPI keeps included routers as one route each; iter_route_contexts flattens them (with
    # the prefix and the app-level dependencies applied), as FastAPI's own OpenAPI generation does.
    iterate = getattr(fastapi.routing, "iter_route_contexts", None)
    if iterate is None:
        yield from (route for route in routes if isinstance(route, APIRoute))
        return
    for context in iterate(routes):
        if isinstance(context.original_route, APIRoute):
            yield context


def problem_statuses(route: Any) -> set[int]:
    """The error statuses ``route`` can answer, read from its parameters and dependencies."""
    calls = set(_calls(route.dependant))
    statuses = {500}
    if get_current_principal in calls:
        statuses |= {401, 403}
    if route.dependant.path_params:
        statuses.add(404)
    has_params = bool(
        route.dependant.path_params or route.dependant.query_params or route.dependant.header_params
    )
    if has_params or route.body_field is not None:
        statuses |= {400, 422}
    if route.body_field is not None:
        statuses |= {413, 415}
    if get_idempotency_context in calls:
        statuses |= {400, 422}
    if get_serving_models in calls:
        statuses.add(503)
    return statuses


def _problem_content() -> dict[str, Any]:
    return {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": f"#/components/schemas/{PROBLEM_SCHEMA_NAME}"}}}


def add_problem_responses(schema: dict[str, Any], routes: list[Any]) -> dict[str, Any]:
    """Add the problem responses of ``routes`` to an OpenAPI document, in place; return it."""
    schema.setdefault("components", {}).setdefault("schemas", {})[PROBLEM_SCHEMA_NAME] = PROBLEM_SCHEMA
    paths = schema.get("paths", {})
    for route in _api_routes(routes):
        if not route.include_in_schema or route.path_format not in paths:
            continue
        statuses = problem_statuses(route)
        for method in route.methods:
            operation = paths[route.path_format].get(method.lower())
            if operation is None:
                continue
            responses = operation.setdefault("responses", {})
            # A route's own 4xx are problems by the service's convention; a 5xx it declares may be a
            # body of its own (readyz answers 503 with its checks), so only its description is kept.
            declared = {int(code) for code in responses if code.isdigit() and 400 <= int(code) < 500}
            for status in sorted(statuses | declared):
                if str(status) in responses and status >= 500:
                    continue
                entry = responses.setdefault(str(status), {})
                entry.setdefault("description", _DESCRIPTIONS.get(status, HTTPStatus(status).phrase))
                # Replaces FastAPI's JSON HTTPValidationError on 422: the service never answers that shape.
                entry["content"] = _problem_content()
    return schema


def document_problem_responses(app: FastAPI) -> None:
    """Make ``app.openapi()`` declare every operation's problem+json responses."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = add_problem_responses(build(), app.routes)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
