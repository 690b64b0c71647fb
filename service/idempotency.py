"""``Idempotency-Key`` for every creating POST: one helper, used the same way by every route.

Same key + same request: the first response again, with ``Idempotent-Replayed:
true``, and nothing is created. Same key + a different request: a 422 problem
``idempotency-key-reused``. Keys are scoped per API key and kept at least
:data:`RETENTION` (older ones are purged at start-up).

Use it by declaring the ``Idempotency`` dependency and handing your creating
work to :meth:`IdempotencyContext.run` as a function; ``run`` commits::

    from service.deps import CurrentPrincipal, DbSession
    from service.idempotency import Idempotency

    @router.post("/v1/things", status_code=201, response_model=ThingResponse)
    def create_thing(body: ThingRequest, db: DbSession, idem: Idempotency) -> Response:
        '''Create a thing.'''

        def create() -> ThingResponse:
            row = ThingRow(...)            # write through the session, do not commit
            db.add(row)
            return ThingResponse(...)      # pydantic model, dict or list: JSON-ready

        return idem.run(db, request_body=body, status_code=201, create=create)

``request_body`` is what "the same request" means: a pydantic model, any
JSON-ready value, or ``bytes`` (for uploads, pass the file's bytes or hash and
the form fields, e.g. ``request_body=(digest, backend)``). The method, path and
query string are always part of the fingerprint.

Concurrency: the key's row is inserted in the same transaction as what
``create`` writes. Two concurrent requests with one key both run ``create``,
but only one commit can insert the key (primary key ``(api_key_id, key)``);
the loser rolls back everything it wrote and answers the winner's stored
response, so exactly one set of rows and outbox events exists.

Errors raised by ``create`` are not stored: a retry after a failure runs again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import Response
from pydantic import BaseModel
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from service.auth import Principal
from service.db.models import IdempotencyKeyRow, utcnow
from service.deps import CurrentPrincipal
from service.problems import ProblemError

IDEMPOTENCY_HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 255
RETENTION = timedelta(hours=48)


def request_fingerprint(method: str, path: str, query: str, request_body: Any) -> str:
    """SHA-256 over the method, path, query and a canonical form of the body."""
    digest = hashlib.sha256()
    digest.update(f"{method.upper()} {path}?{query}\n".encode())
    if isinstance(request_body, bytes | bytearray | memoryview):
        digest.update(b"b:")
        digest.update(bytes(request_body))
    else:
        if isinstance(request_body, BaseModel):
            request_body = request_body.model_dump(mode="json")
        canonical = json.dumps(
            jsonable_encoder(request_body), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        )
        digest.update(b"j:")
        digest.update(canonical.encode("utf-8"))
    return digest.hexdigest()


def _json_bytes(value: Any) -> bytes:
    if isinstance(value, BaseModel):
        return value.model_dump_json().encode("utf-8")
    return json.dumps(jsonable_encoder(value), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _headers(
    headers: Mapping[str, str] | Callable[[Any], Mapping[str, str]] | None, result: Any
) -> dict[str, str]:
    if headers is None:
        return {}
    return dict(headers(result) if callable(headers) else headers)


def is_replay(response: Response) -> bool:
    """Whether ``run`` answered from a stored response (so nothing was done this time)."""
    return response.headers.get(REPLAYED_HEADER) == "true"


@dataclass
class IdempotencyContext:
    """The request's idempotency key (or None) and what it is scoped to."""

    principal: Principal
    key: str | None
    method: str
    path: str
    query: str

    def run(
        self,
        db: Session,
        *,
        request_body: Any,
        status_code: int,
        create: Callable[[], Any],
        headers: Mapping[str, str] | Callable[[Any], Mapping[str, str]] | None = None,
    ) -> Response:
        """Run ``create`` once per key, commit, and answer its result as JSON.

        Parameters
        ----------
        db
            The request's session; ``create`` writes through it and must not commit.
        request_body
            What identifies "the same request" (see the module docstring).
        status_code
            The status of a fresh (and a replayed) answer, e.g. 201.
        create
            Does the work and returns the response body (pydantic model, dict or list).
        headers
            Extra response headers (``Location``, ``ETag``...), stored and replayed too; or a
            function of ``create``'s result that returns them.

        Returns
        -------
        Response
            ``application/json``; replays carry ``Idempotent-Replayed: true``.
        """
        if self.key is None:
            result = create()
            body = _json_bytes(result)
            db.commit()
            return Response(
                body,
                status_code=status_code,
                media_type="application/json",
                headers=_headers(headers, result),
            )

        fingerprint = request_fingerprint(self.method, self.path, self.query, request_body)
        stored = db.get(IdempotencyKeyRow, (self.principal.key_id, self.key))
        if stored is not None:
            return self._replay(stored, fingerprint)

        result = create()
        body = _json_bytes(result)
        extra_headers = _headers(headers, result)
        db.add(
            IdempotencyKeyRow(
                api_key_id=self.principal.key_id,
                key=self.key,
                request_hash=fingerprint,
                method=self.method,
                path=self.path,
                status_code=status_code,
                response_body=body,
                response_headers=extra_headers,
                created_at=utcnow(),
            )
        )
        try:
            db.commit()
        except IntegrityError:
            db.rollback()
            stored = db.get(IdempotencyKeyRow, (self.principal.key_id, self.key), populate_existing=True)
            if stored is None:
                raise  # a conflict on one of create's own rows, not on the key
            return self._replay(stored, fingerprint)
        return Response(body, status_code=status_code, media_type="application/json", headers=extra_headers)

    def _replay(self, stored: IdempotencyKeyRow, fingerprint: str) -> Response:
        if stored.request_hash != fingerprint:
            raise ProblemError(
                422,
                "idempotency-key-reused",
                "Idempotency key reused with a different request",
                f"Idempotency-Key {self.key!r} was first used for a different request"
                f" ({stored.method} {stored.path}); use a new key for a new request.",
            )
        headers = {str(k): str(v) for k, v in (stored.response_headers or {}).items()}
        headers[REPLAYED_HEADER] = "true"
        return Response(
            stored.response_body,
            status_code=stored.status_code,
            media_type="application/json",
            headers=headers,
        )


async def get_idempotency_context(request: Request, principal: CurrentPrincipal) -> IdempotencyContext:
    key = request.headers.get(IDEMPOTENCY_HEADER)
    if key is not None:
        key = key.strip()
        if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
            raise ProblemError(
                400,
                "invalid-idempotency-key",
                "Invalid Idempotency-Key",
                f"An Idempotency-Key must be 1 to {MAX_KEY_LENGTH} printable characters.",
            )
    return IdempotencyContext(
        principal=principal,
        key=key,
        method=request.method,
        path=request.url.path,
        query=request.url.query,
    )


Idempotency = Annotated[IdempotencyContext, Depends(get_idempotency_context)]


def purge_expired_keys(db: Session, *, older_than: timedelta = RETENTION) -> int:
    """Delete keys older than ``older_than``; returns how many. The caller commits."""
    result = db.execute(delete(IdempotencyKeyRow).where(IdempotencyKeyRow.created_at < utcnow() - older_than))
    return int(getattr(result, "rowcount", 0) or 0)


__all__ = [
    "IDEMPOTENCY_HEADER",
    "REPLAYED_HEADER",
    "Idempotency",
    "IdempotencyContext",
    "is_replay",
    "purge_expired_keys",
    "request_fingerprint",
]
