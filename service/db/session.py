"""Engine and session factory: one engine per process, made at an entry point.

SQLite gets WAL (readers never wait for the writer), foreign keys on and a
busy timeout so concurrent writers queue instead of failing at once; the
threads of one process queue for writes on a lock of their own
(:mod:`service.db.sqlite_writes`), which wakes the next writer at once.
PostgreSQL goes through psycopg 3 (``postgresql://`` URLs are mapped to the
``postgresql+psycopg`` driver).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from service.db.sqlite_writes import ProcessWriteLock, SerialisedWriteConnection

SQLITE_BUSY_TIMEOUT_MS = 30_000


def normalise_database_url(url: str) -> str:
    """Map bare ``postgresql://`` / ``postgres://`` URLs to the psycopg 3 driver."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create the process's engine for ``url`` (SQLite or PostgreSQL).

    Parameters
    ----------
    url
        A SQLAlchemy URL, e.g. ``settings.resolved_database_url``.
    **kwargs
        Passed on to :func:`sqlalchemy.create_engine`.

    Returns
    -------
    Engine
    """
    url = normalise_database_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        connect_args = dict(kwargs.pop("connect_args", {}))
        # The service hands connections between threadpool threads; the pool keeps one per checkout.
        connect_args.setdefault("check_same_thread", False)
        connect_args.setdefault("timeout", SQLITE_BUSY_TIMEOUT_MS / 1000)
        # SQLite connections are cheap: enough for every threadpool thread (anyio's default is 40).
        if parsed.database not in (None, "", ":memory:"):
            kwargs.setdefault("pool_size", 20)
            kwargs.setdefault("max_overflow", 20)
        connect_args.setdefault("factory", SerialisedWriteConnection)
        write_lock = ProcessWriteLock(timeout_seconds=SQLITE_BUSY_TIMEOUT_MS / 1000)

        def configure(dbapi_connection: Any, record: Any) -> None:
            _configure_sqlite(dbapi_connection, record)
            if isinstance(dbapi_connection, SerialisedWriteConnection):
                dbapi_connection.write_lock = write_lock

        engine = create_engine(url, connect_args=connect_args, **kwargs)
        event.listen(engine, "connect", configure)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 20)
    return create_engine(url, **kwargs)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit (routes serialise after committing)."""
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=False)
