"""The review console: server-rendered pages for legal, finance and delivery reviewers.

Every page reads and writes through the same service functions as the API
(``service.reviews``), so route scoping, finality and the audit trail are the
API's own. Every POST carries the session's CSRF token; every core flow works
without JavaScript.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session

from service.auth import Principal, Role, authenticate
from service.console import views
from service.console.corrections import CorrectionError, parse_corrections
from service.console.sessions import (
    SESSION_COOKIE,
    SIGNIN_COOKIE,
    create_console_session,
    csrf_matches,
    end_console_session,
    get_console_session,
)
from service.db.models import ConsoleSessionRow
from service.problems import ProblemError
from service.reviews.queue import AGE_FILTERS, QueueFilters, review_queue
from service.reviews.schemas import DecisionOutcome, DecisionRequest
from service.reviews.service import decide_review, get_review_or_raise, list_review_events

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
TEMPLATES.env.filters["tojson_pretty"] = lambda value: json.dumps(
    value, indent=2, default=str, ensure_ascii=False
)

router = APIRouter(include_in_schema=False)

QUEUE_ROLES = {Role.legal, Role.finance, Role.delivery, Role.admin}
CONSOLE_ROLES = QUEUE_ROLES | {Role.analyst}


class _SignInRequired(Exception):
    pass


def _db(request: Request) -> Session:
    session: Session = request.app.state.session_factory()
    return session


def _signed_in(request: Request, db: Session) -> tuple[ConsoleSessionRow, Principal]:
    found = get_console_session(db, request.cookies.get(SESSION_COOKIE))
    if found is None:
        raise _SignInRequired
    return found


def _render(request: Request, name: str, context: dict[str, Any], *, status_code: int = 200) -> HTMLResponse:
    return TEMPLATES.TemplateResponse(request, name, context, status_code=status_code)


def _to_sign_in() -> RedirectResponse:
    return RedirectResponse("/sign-in", status_code=303)


def _secure(request: Request) -> bool:
    return request.url.scheme == "https" or request.headers.get("x-forwarded-proto") == "https"


@router.get("/")
def console_home(request: Request) -> Response:
    with _db(request) as db:
        found = get_console_session(db, request.cookies.get(SESSION_COOKIE))
    if found is None:
        return _to_sign_in()
    return RedirectResponse("/queue" if found[1].role in QUEUE_ROLES else "/insights", status_code=303)


@router.get("/sign-in")
def sign_in_form(request: Request, error: str | None = None) -> HTMLResponse:
    token = views.new_token()
    response = _render(request, "signin.html", {"csrf_token": token, "error": error, "principal": None})
    response.set_cookie(
        SIGNIN_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=_secure(request),
        max_age=900,
        path="/sign-in",
    )
    return response


@router.post("/sign-in")
def sign_in(request: Request, api_key: str = Form(""), csrf_token: str = Form("")) -> Response:
    if not csrf_matches(request.cookies.get(SIGNIN_COOKIE, ""), csrf_token):
        return _render(
            request,
            "message.html",
            {
                "title": "Sign-in refused",
                "principal": None,
                "message": "The sign-in form expired or was not ours. Open the sign-in page again.",
            },
            status_code=403,
        )
    settings = request.app.state.settings
    with _db(request) as db:
        principal = authenticate(db, api_key.strip())
        if principal is None or principal.role not in CONSOLE_ROLES:
            message = (
                "That key is not valid or was revoked."
                if principal is None
                else "Engine keys are for the API; sign in with a reviewer's personal key."
            )
            return _render(
                request,
                "signin.html",
                {"csrf_token": csrf_token, "error": message, "principal": None},
                status_code=401,
            )
        row = create_console_session(
            db, principal=principal, ttl=timedelta(minutes=settings.session_ttl_minutes)
        )
        db.commit()
        session_id, max_age = row.id, settings.session_ttl_minutes * 60
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        session_id,
        httponly=True,
        samesite="strict",
        secure=_secure(request),
        max_age=max_age,
        path="/",
    )
    response.delete_cookie(SIGNIN_COOKIE, path="/sign-in")
    return response


@router.post("/sign-out")
def sign_out(request: Request, csrf_token: str = Form("")) -> Response:
    with _db(request) as db:
        try:
            session, _ = _signed_in(request, db)
        except _SignInRequired:
            return _to_sign_in()
        if not csrf_matches(session.csrf_token, csrf_token):
            return _csrf_refused(request)
        end_console_session(db, session.id)
        db.commit()
    response = _to_sign_in()
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/queue")
def queue(
    request: Request,
    kind: str | None = None,
    rule: str | None = None,
    severity: str | None = None,
    age: str | None = None,
    order: str = "newest",
    status: str = "pending",
    page: int = 1,
) -> Response:
    with _db(request) as db:
        try:
            session, principal = _signed_in(request, db)
        except _SignInRequired:
            return _to_sign_in()
        if principal.role not in QUEUE_ROLES:
            return _forbidden(request, principal, session)
        filters = QueueFilters(
            status=status if status in {"pending", "approved", "rejected", "overridden"} else "pending",
            kind=kind or None,
            rule=rule or None,
            severity=severity or None,
            older_than=age if age in AGE_FILTERS else None,
            order="oldest" if order == "oldest" else "newest",
        )
        result = review_queue(db, principal=principal, filters=filters, page=page)
    query = {
        k: v
        for k, v in {
            "kind": kind,
            "rule": rule,
            "severity": severity,
            "age": age,
            "order": order,
            "status": status,
        }.items()
        if v
    }
    return _render(
        request,
        "queue.html",
        {
            "principal": principal,
            "csrf_token": session.csrf_token,
            "queue": result,
            "filters": filters,
            "query": query,
            "page_link": lambda n: "/queue?" + urlencode({**query, "page": n}),
            "ages": list(AGE_FILTERS),
            "now": views.now(),
        },
    )


def _item_context(
    db: Session, request: Request, principal: Principal, session: ConsoleSessionRow, review_id: str
) -> dict[str, Any]:
    item = get_review_or_raise(db, review_id, principal=principal)
    events = list_review_events(db, review_id, principal=principal)
    return {
        "principal": principal,
        "csrf_token": session.csrf_token,
        "item": item,
        "events": events,
        "view": views.item_view(db, item, principal=principal),
        "actors": views.actor_names(
            db, [e.actor for e in events] + [item.decision.decided_by if item.decision else ""]
        ),
    }


@router.get("/items/{review_id}")
def item_page(request: Request, review_id: str, notice: str | None = None) -> Response:
    with _db(request) as db:
        try:
            session, principal = _signed_in(request, db)
        except _SignInRequired:
            return _to_sign_in()
        if principal.role not in QUEUE_ROLES:
            return _forbidden(request, principal, session)
        try:
            context = _item_context(db, request, principal, session, review_id)
        except ProblemError as problem:
            return _render(
                request,
                "message.html",
                {
                    "principal": principal,
                    "csrf_token": session.csrf_token,
                    "title": "Not found",
                    "message": problem.detail,
                },
                status_code=problem.status,
            )
    context["notice"] = {"decided": ("ok", "Decision recorded.")}.get(notice or "")
    return _render(request, "item.html", context)


@router.post("/items/{review_id}/decision")
async def decide_item(request: Request, review_id: str) -> Response:
    form = await request.form()
    fields = {key: str(value) for key, value in form.items()}
    with _db(request) as db:
        try:
            session, principal = _signed_in(request, db)
        except _SignInRequired:
            return _to_sign_in()
        if not csrf_matches(session.csrf_token, fields.get("csrf_token")):
            return _csrf_refused(request)
        if principal.role not in QUEUE_ROLES:
            return _forbidden(request, principal, session)
        outcome = fields.get("outcome", "")
        reason = fields.get("reason", "").strip() or None
        error: str | None = None
        status_code = 200
        try:
            item = get_review_or_raise(db, review_id, principal=principal)
            corrections = parse_corrections(item, fields) if outcome == DecisionOutcome.overridden else None
            if outcome not in {o.value for o in DecisionOutcome}:
                raise CorrectionError("Choose approve, reject or override.")
            if outcome != DecisionOutcome.approved and not reason:
                raise CorrectionError("A reason is required to reject or override.")
            decision = DecisionRequest(
                outcome=DecisionOutcome(outcome), reason=reason, corrections=corrections
            )
            version = int(fields["version"]) if fields.get("version", "").isdigit() else None
            decide_review(db, review_id, principal=principal, decision=decision, expected_version=version)
            db.commit()
        except CorrectionError as exc:
            db.rollback()
            error, status_code = str(exc), 422
        except ProblemError as problem:
            db.rollback()
            if problem.status == 404:
                return _render(
                    request,
                    "message.html",
                    {
                        "principal": principal,
                        "title": "Not found",
                        "csrf_token": session.csrf_token,
                        "message": problem.detail,
                    },
                    status_code=404,
                )
            error, status_code = views.decision_conflict_message(problem), problem.status
        if error is None:
            return RedirectResponse(f"/items/{review_id}?notice=decided", status_code=303)
        context = _item_context(db, request, principal, session, review_id)
    context.update(notice=("error", error), form=fields)
    return _render(request, "item.html", context, status_code=status_code)


@router.get("/items/{review_id}/document")
def item_document(request: Request, review_id: str) -> Response:
    with _db(request) as db:
        try:
            _session, principal = _signed_in(request, db)
            item = get_review_or_raise(db, review_id, principal=principal)
        except _SignInRequired:
            return _to_sign_in()
        except ProblemError as problem:
            return Response(problem.detail, status_code=problem.status, media_type="text/plain")
        document = views.source_document(db, item)
    if document is None:
        return Response("This item has no source document.", status_code=404, media_type="text/plain")
    filename = (document.filename or f"{document.sha256[:12]}").replace('"', "")
    return Response(
        document.content,
        media_type=document.media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/insights")
def insights_page(request: Request) -> Response:
    with _db(request) as db:
        try:
            session, principal = _signed_in(request, db)
        except _SignInRequired:
            return _to_sign_in()
        figures = views.insights_view(db, principal=principal)
    return _render(
        request, "insights.html", {"principal": principal, "csrf_token": session.csrf_token, **figures}
    )


def _csrf_refused(request: Request) -> HTMLResponse:
    return _render(
        request,
        "message.html",
        {
            "principal": None,
            "title": "Request refused",
            "message": "The form's security token is missing or wrong. Reload the page and try again.",
        },
        status_code=403,
    )


def _forbidden(request: Request, principal: Principal, session: ConsoleSessionRow) -> HTMLResponse:
    return _render(
        request,
        "message.html",
        {
            "principal": principal,
            "csrf_token": session.csrf_token,
            "title": "Not for this role",
            "message": f"A {principal.role} key cannot use the review queue.",
        },
        status_code=403,
    )


_STATIC = Path(__file__).parent / "static"
_STATIC_TYPES = {".css": "text/css", ".js": "text/javascript"}


@router.get("/console/static/{name}")
def console_static(name: str) -> Response:
    path = _STATIC / name
    # Only the files shipped beside this module, by plain name: no traversal.
    if "/" in name or path.suffix not in _STATIC_TYPES or not path.is_file():
        return Response("not found", status_code=404, media_type="text/plain")
    return Response(
        path.read_bytes(),
        media_type=_STATIC_TYPES[path.suffix],
        headers={"Cache-Control": "public, max-age=3600"},
    )
