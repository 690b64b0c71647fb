"""API keys and roles: create (the key is shown once), list, revoke, authenticate.

A key looks like ``hk_<12 hex prefix><secret>``. The prefix is stored in clear
to find the row; the whole key is kept only as its SHA-256 (a 256-bit random
secret needs no slow hash: nobody can brute-force it), compared in constant
time.

The service keeps keys it has verified in a :class:`VerifiedKeyCache` for a few
seconds (``HANDOFF_API_KEY_CACHE_SECONDS``), so most requests authenticate
without a database read. :func:`revoke_api_key` forgets the key in every cache
of its process at once; a revocation made by another process (``handoff keys
revoke``, another worker) takes effect there within the cache's lifetime.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import cast

from sqlalchemy import Connection, Table, bindparam, select, update
from sqlalchemy.orm import Session

from service.db.models import ApiKey, utcnow
from service.ids import new_id

KEY_SCHEME = "hk_"
PREFIX_LENGTH = 12
# last_used_at is a courtesy, not an audit trail: write it at most this often per key.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class Role(StrEnum):
    engine = "engine"
    legal = "legal"
    finance = "finance"
    delivery = "delivery"
    analyst = "analyst"
    admin = "admin"


# Reviewer roles see and decide only the review items routed to them (route == role).
REVIEWER_ROLES: frozenset[str] = frozenset({Role.legal, Role.finance, Role.delivery})


class UnknownRoleError(ValueError):
    pass


class ApiKeyNotFoundError(LookupError):
    pass


@dataclass(frozen=True)
class Principal:
    """Who is calling: the authenticated API key."""

    key_id: str
    name: str
    role: str

    @property
    def actor(self) -> str:
        """How this principal is named in audit events and ``created_by``."""
        return self.key_id

    @property
    def review_route(self) -> str | None:
        """The one review route a reviewer is confined to; None for roles that are not."""
        return self.role if self.role in REVIEWER_ROLES else None


@dataclass(frozen=True)
class CreatedApiKey:
    id: str
    key: str
    role: str
    name: str


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _split_prefix(key: str) -> str | None:
    if not key.startswith(KEY_SCHEME) or len(key) < len(KEY_SCHEME) + PREFIX_LENGTH + 16:
        return None
    return key[len(KEY_SCHEME) : len(KEY_SCHEME) + PREFIX_LENGTH]


def parse_role(role: str) -> Role:
    try:
        return Role(role)
    except ValueError:
        allowed = ", ".join(r.value for r in Role)
        raise UnknownRoleError(f"unknown role {role!r}; expected one of {allowed}") from None


def create_api_key(db: Session, *, role: str, name: str) -> CreatedApiKey:
    """Create a key; the returned ``key`` is the only time the secret exists in clear.

    Parameters
    ----------
    db
        The session; the caller commits.
    role
        One of :class:`Role`.
    name
        A label for people (who holds it, what for).

    Returns
    -------
    CreatedApiKey
    """
    parsed_role = parse_role(role)
    name = name.strip()
    if not name:
        raise ValueError("a key needs a non-empty name")
    prefix = secrets.token_hex(PREFIX_LENGTH // 2)
    key = KEY_SCHEME + prefix + secrets.token_urlsafe(32)
    row = ApiKey(id=new_id("key"), name=name, role=parsed_role.value, prefix=prefix, key_hash=hash_key(key))
    db.add(row)
    db.flush()
    return CreatedApiKey(id=row.id, key=key, role=row.role, name=row.name)


def list_api_keys(db: Session) -> list[ApiKey]:
    return list(db.scalars(select(ApiKey).order_by(ApiKey.created_at, ApiKey.id)))


def revoke_api_key(db: Session, key_id: str) -> ApiKey:
    """Revoke a key (idempotent: revoking twice keeps the first time); the caller commits.

    Every :class:`VerifiedKeyCache` of this process forgets the key now, and will not cache it again.
    """
    row = db.get(ApiKey, key_id)
    if row is None:
        raise ApiKeyNotFoundError(f"no API key {key_id!r}")
    forget_revoked_key(key_id)
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        db.flush()
    return row


def has_active_admin(db: Session) -> bool:
    stmt = select(ApiKey.id).where(ApiKey.role == Role.admin.value, ApiKey.revoked_at.is_(None)).limit(1)
    return db.scalar(stmt) is not None


_DUMMY_HASH = hash_key(KEY_SCHEME + "0" * 60)
_KEYS = cast(Table, ApiKey.__table__)
# Every request runs this: Core columns of the table, no ORM loading.
_AUTH_LOOKUP = select(
    _KEYS.c.id, _KEYS.c.name, _KEYS.c.role, _KEYS.c.key_hash, _KEYS.c.revoked_at, _KEYS.c.last_used_at
).where(_KEYS.c.prefix == bindparam("prefix"))


def authenticate(db: Session | Connection, key: str, *, now: datetime | None = None) -> Principal | None:
    """Return the principal of an active key, or None for unknown, malformed or revoked keys.

    Parameters
    ----------
    db
        The session, or a Core connection; committed when ``last_used_at`` is written.
    key
        The bearer token as presented.
    now
        The current time (for tests).

    Returns
    -------
    Principal or None
    """
    presented = hash_key(key)
    prefix = _split_prefix(key)
    row = db.execute(_AUTH_LOOKUP, {"prefix": prefix}).first() if prefix else None
    if row is None:
        # Compare anyway, so an unknown prefix costs the same as a wrong secret.
        hmac.compare_digest(presented, _DUMMY_HASH)
        return None
    if not hmac.compare_digest(presented, row.key_hash) or row.revoked_at is not None:
        return None
    now = now or utcnow()
    if row.last_used_at is None or now - row.last_used_at > LAST_USED_RESOLUTION:
        db.execute(update(_KEYS).where(_KEYS.c.id == row.id).values(last_used_at=now))
        db.commit()
    return Principal(key_id=row.id, name=row.name, role=row.role)


# --- Verified keys, cached briefly -----------------------------------------------------------------

# Every live cache of this process, so a revocation here reaches them all; and the keys revoked here,
# which no cache may take in again (a lookup that read the row just before the revocation committed
# would otherwise put the key back for a whole lifetime). A revocation is final, so the set only grows,
# by one short id per key revoked in this process's life.
_CACHES: weakref.WeakSet[VerifiedKeyCache] = weakref.WeakSet()
_REVOKED_HERE: set[str] = set()
_CACHES_LOCK = threading.Lock()


def forget_revoked_key(key_id: str) -> None:
    """Drop ``key_id`` from every cache of this process and keep it out of them from now on."""
    with _CACHES_LOCK:
        _REVOKED_HERE.add(key_id)
        caches = list(_CACHES)
    for cache in caches:
        cache.forget(key_id)


class VerifiedKeyCache:
    """Keys that authenticated recently, by their SHA-256, each for ``ttl_seconds`` after its lookup.

    Only successful lookups are kept: an unknown, malformed or revoked key goes to the database
    every time. A key revoked in this process (:func:`revoke_api_key`) is forgotten at once; one
    revoked elsewhere stops working here at most ``ttl_seconds`` after the revocation commits, when
    its entry expires. ``ttl_seconds=0`` turns the cache off.

    Parameters
    ----------
    ttl_seconds
        How long a verified key is trusted without asking the database again.
    max_entries
        A bound on memory: when reached, expired entries go, and if none had, all of them.
    clock
        Monotonic seconds (for tests).
    """

    def __init__(
        self,
        ttl_seconds: float,
        *,
        max_entries: int = 4096,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl_seconds = ttl_seconds
        self.max_entries = max_entries
        self._clock = clock
        self._entries: dict[str, tuple[Principal, float]] = {}
        self._lock = threading.Lock()
        with _CACHES_LOCK:
            _CACHES.add(self)

    @property
    def enabled(self) -> bool:
        return self.ttl_seconds > 0

    def get(self, key: str) -> Principal | None:
        """The principal of ``key`` if it was verified less than ``ttl_seconds`` ago, else None."""
        if not self.enabled:
            return None
        entry = self._entries.get(hash_key(key))
        if entry is None:
            return None
        principal, expires = entry
        if self._clock() >= expires:
            return None
        return principal

    def put(self, key: str, principal: Principal, *, looked_up_at: float | None = None) -> None:
        """Remember that ``key`` authenticated as ``principal`` (looked up at ``looked_up_at``)."""
        if not self.enabled:
            return
        now = self._clock()
        expires = (now if looked_up_at is None else looked_up_at) + self.ttl_seconds
        with self._lock:
            if principal.key_id in _REVOKED_HERE:
                return
            if len(self._entries) >= self.max_entries:
                self._entries = {k: v for k, v in self._entries.items() if v[1] > now}
                if len(self._entries) >= self.max_entries:
                    self._entries = {}
            self._entries[hash_key(key)] = (principal, expires)

    def forget(self, key_id: str) -> None:
        """Drop every entry of ``key_id``."""
        with self._lock:
            self._entries = {k: v for k, v in self._entries.items() if v[0].key_id != key_id}

    def now(self) -> float:
        """The cache's clock: read it before a lookup and pass it to :meth:`put` as ``looked_up_at``."""
        return self._clock()
