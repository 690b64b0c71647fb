"""Console sessions: a personal API key exchanged for a short-lived, server-side session.

The cookie holds only a random session id; the CSRF token lives beside it in
the database, so a stolen CSRF token is useless without the HttpOnly cookie
and vice versa.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.orm import Session

from service.auth import Principal
from service.db.models import ApiKey, ConsoleSessionRow, utcnow

SESSION_COOKIE = "handoff_session"
SIGNIN_COOKIE = "handoff_signin"


def create_console_session(db: Session, *, principal: Principal, ttl: timedelta) -> ConsoleSessionRow:
    """Open a session for an authenticated key; the caller commits."""
    now = utcnow()
    row = ConsoleSessionRow(
        id=secrets.token_urlsafe(32),
        api_key_id=principal.key_id,
        csrf_token=secrets.token_urlsafe(32),
        created_at=now,
        expires_at=now + ttl,
    )
    db.add(row)
    return row


def get_console_session(
    db: Session, session_id: str | None, *, now: datetime | None = None
) -> tuple[ConsoleSessionRow, Principal] | None:
    """The live session and who it belongs to; None when missing, expired, ended or its key revoked."""
    if not session_id:
        return None
    row = db.get(ConsoleSessionRow, session_id)
    if row is None or row.revoked_at is not None or row.expires_at <= (now or utcnow()):
        return None
    key = db.get(ApiKey, row.api_key_id)
    if key is None or key.revoked_at is not None:
        return None
    return row, Principal(key_id=key.id, name=key.name, role=key.role)


def end_console_session(db: Session, session_id: str) -> None:
    db.execute(
        update(ConsoleSessionRow)
        .where(ConsoleSessionRow.id == session_id, ConsoleSessionRow.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def csrf_matches(expected: str, submitted: str | None) -> bool:
    return bool(submitted) and hmac.compare_digest(expected.encode(), (submitted or "").encode())
