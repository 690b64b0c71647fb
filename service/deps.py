"""Typed request dependencies, declared once and used by every router.

::

    from service.deps import CurrentPrincipal, DbSession, require_roles

    @router.post("/things", dependencies=[require_roles("engine", "admin")])
    def create_thing(body: ThingRequest, db: DbSession, principal: CurrentPrincipal) -> Thing: ...

or, when the route needs the principal anyway::

    EngineOrAdmin = Annotated[Principal, require_roles("engine", "admin")]

    @router.post("/other")
    def create_other(principal: EngineOrAdmin, db: DbSession) -> Other: ...

``CurrentPrincipal`` answers 401 (``unauthorized``) for a missing, malformed,
unknown or revoked key; ``require_roles`` answers 403 (``forbidden``) for an
authenticated key whose role may not use the endpoint.
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session

from service.auth import Principal, Role, VerifiedKeyCache, authenticate
from service.problems import ProblemError
from service.settings import Settings

T = TypeVar("T")
_WWW_AUTHENTICATE = {"WWW-Authenticate": 'Bearer realm="handoff"'}


async def get_db(request: Request) -> AsyncIterator[Session]:
    """One session per request from the app's factory; the route commits, the session closes after.

    Making a session touches no connection, so it is made on the event loop; closing may
    roll back on the connection, so that goes to a thread, one of :data:`_SESSION_CLOSERS`.
    """
    session: Session = request.app.state.session_factory()
    try:
        yield session
    finally:
        await asyncio.get_running_loop().run_in_executor(_SESSION_CLOSERS, session.close)


# Closing is how a request's pooled connection goes back, so it must not queue behind the request
# threadpool: with more requests in flight than the pool has connections, every threadpool thread
# waited for a connection while the finished requests holding them waited for a thread to close,
# and the app stalled for the pool's 30 s timeout. Closes never wait for a connection, so a few
# threads of their own always make progress.
_SESSION_CLOSERS = ThreadPoolExecutor(max_workers=4, thread_name_prefix="session-close")


# The threads of the busiest reads (the key lookup, the review listing): each call opens and closes its
# own session or connection, so it never waits on the event loop or on another thread, and a plain
# executor hop costs about half of the generic threadpool's (no capacity limiter, no cancel scope).
_DB_THREADS = ThreadPoolExecutor(max_workers=16, thread_name_prefix="db-read")


async def run_on_db_thread(function: Callable[..., T], *args: Any) -> T:
    """``function(*args)`` on a database thread, with this request's context variables (its id).

    ``function`` must take and give back its connection itself (``with factory() as db: ...``).
    """
    context = contextvars.copy_context()
    return await asyncio.get_running_loop().run_in_executor(_DB_THREADS, context.run, function, *args)


def engine_of(request: Request) -> Engine:
    """The engine of the app's session factory (a Core connection costs less than a session)."""
    engine: Engine = request.app.state.session_factory.kw["bind"]
    return engine


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


DbSession = Annotated[Session, Depends(get_db)]
AppSettings = Annotated[Settings, Depends(get_settings)]


def _bearer_token(request: Request) -> str:
    header = request.headers.get("authorization")
    if not header:
        raise ProblemError(
            401,
            "unauthorized",
            "Authentication required",
            "Send an API key as 'Authorization: Bearer <key>'.",
            headers=_WWW_AUTHENTICATE,
        )
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise ProblemError(
            401,
            "unauthorized",
            "Authentication required",
            "The Authorization header must be 'Bearer <key>'.",
            headers=_WWW_AUTHENTICATE,
        )
    return token


# Declared so OpenAPI shows the bearer scheme on every authenticated operation; the header is
# parsed below, where a missing or malformed one gets its specific problem.
_bearer_scheme = HTTPBearer(
    auto_error=False, bearerFormat="API key", description="`Authorization: Bearer hk_…`"
)


def authenticated_principal(db: Session | Connection, token: str) -> Principal:
    """The principal of ``token``; a 401 ``invalid-api-key`` problem for an unknown or revoked key."""
    principal = authenticate(db, token)
    if principal is None:
        raise ProblemError(
            401,
            "invalid-api-key",
            "Invalid API key",
            "The API key is unknown or has been revoked.",
            headers=_WWW_AUTHENTICATE,
        )
    return principal


def allowed_roles(*roles: str | Role) -> frozenset[str]:
    """``roles`` and ``admin``, which may use every endpoint."""
    return frozenset(str(Role(r).value) for r in roles) | {Role.admin.value}


def ensure_role(principal: Principal, allowed: frozenset[str]) -> Principal:
    """``principal`` when its role is in ``allowed``; a 403 ``forbidden`` problem otherwise."""
    if principal.role not in allowed:
        names = ", ".join(sorted(allowed))
        raise ProblemError(
            403,
            "forbidden",
            "Forbidden for this role",
            f"Role {principal.role!r} may not use this endpoint; it needs one of: {names}.",
        )
    return principal


def _look_up_principal(request: Request, token: str) -> Principal:
    # On its own session, opened and closed in this one thread: a pooled connection is never held
    # across a threadpool hop. Holding one deadlocked the app for the pool's 30 s timeout once more
    # requests were in flight than the pool has connections (every thread waiting for a connection,
    # every connection waiting for a thread); tests/service/test_pool_exhaustion.py holds it.
    with engine_of(request).connect() as connection:
        return authenticated_principal(connection, token)


async def get_current_principal(
    request: Request,
    _declared: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer_scheme)] = None,
) -> Principal:
    """The authenticated caller (cached on the request, so several dependencies share one lookup).

    A key verified within the last ``api_key_cache_seconds`` is taken from the app's
    :class:`~service.auth.VerifiedKeyCache` on the event loop; otherwise the database is asked on
    a database thread (:func:`run_on_db_thread`).
    """
    cached = getattr(request.state, "principal", None)
    if isinstance(cached, Principal):
        return cached
    token = _bearer_token(request)
    keys: VerifiedKeyCache | None = getattr(request.app.state, "verified_keys", None)
    principal = keys.get(token) if keys is not None else None
    if principal is None:
        looked_up_at = keys.now() if keys is not None else None
        principal = await run_on_db_thread(_look_up_principal, request, token)
        if keys is not None:
            keys.put(token, principal, looked_up_at=looked_up_at)
    request.state.principal = principal
    return principal


CurrentPrincipal = Annotated[Principal, Depends(get_current_principal)]


def require_roles(*roles: str | Role) -> Any:
    """A dependency that lets only ``roles`` through (``admin`` is always allowed).

    Parameters
    ----------
    *roles
        The roles that may call the endpoint.

    Returns
    -------
    Depends
        Use as ``dependencies=[require_roles(...)]`` or ``Annotated[Principal, require_roles(...)]``.
    """
    allowed = allowed_roles(*roles)

    async def check_role(principal: CurrentPrincipal) -> Principal:
        return ensure_role(principal, allowed)

    check_role.__name__ = "require_" + "_or_".join(sorted(allowed))
    return Depends(check_role)


__all__ = [
    "AppSettings",
    "CurrentPrincipal",
    "DbSession",
    "allowed_roles",
    "authenticated_principal",
    "engine_of",
    "ensure_role",
    "get_current_principal",
    "get_db",
    "get_settings",
    "require_roles",
    "run_on_db_thread",
]
