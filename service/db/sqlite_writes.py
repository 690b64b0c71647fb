"""SQLite writers queue on a lock in the process instead of in SQLite's busy handler.

SQLite admits one writer at a time. A second writer waits in the busy handler,
which polls with sleeps that grow to 100 ms, so under a burst of POSTs a request
spent most of its time asleep after the lock it waited for had long been freed
(``POST /v1/reviews`` p99 1-2 s at 80-170 req/s with 16 in flight). Here the
threads of one process take a lock before their first write and give it back
the moment their transaction ends, so the next writer starts at once; SQLite's
busy handler is left with the contention between processes (one writer each).

The lock is taken where Python's ``sqlite3`` opens its implicit transaction (the
first INSERT, UPDATE, DELETE or REPLACE outside one) and released after COMMIT or
ROLLBACK, or when the connection closes. A writer that cannot get it within the
busy timeout goes on without it, and SQLite decides as it did before.
"""

from __future__ import annotations

import sqlite3
import threading
from typing import Any, Self

_WRITE_KEYWORDS = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def _opens_write_transaction(statement: str) -> bool:
    head = statement.lstrip()[:7].upper()
    return head.startswith(_WRITE_KEYWORDS)


class ProcessWriteLock:
    """The lock one process's SQLite connections to one database share."""

    def __init__(self, timeout_seconds: float) -> None:
        self._lock = threading.Lock()
        self._timeout_seconds = timeout_seconds

    def acquire(self) -> bool:
        return self._lock.acquire(timeout=self._timeout_seconds)

    def release(self) -> None:
        self._lock.release()


class _SerialisedWriteCursor(sqlite3.Cursor):
    def execute(self, sql: str, parameters: Any = (), /) -> Self:
        connection = self.connection
        if isinstance(connection, SerialisedWriteConnection):
            connection.before_statement(sql)
        return super().execute(sql, parameters)

    def executemany(self, sql: str, seq_of_parameters: Any, /) -> Self:
        connection = self.connection
        if isinstance(connection, SerialisedWriteConnection):
            connection.before_statement(sql)
        return super().executemany(sql, seq_of_parameters)


class SerialisedWriteConnection(sqlite3.Connection):
    """A ``sqlite3`` connection that holds its process's write lock for each write transaction.

    Made through ``sqlite3.connect(..., factory=...)``; ``write_lock`` is set right after.
    """

    write_lock: ProcessWriteLock | None = None
    _holds_write_lock = False

    def cursor(self, factory: Any = _SerialisedWriteCursor) -> Any:
        return super().cursor(factory)

    def before_statement(self, sql: str) -> None:
        lock = self.write_lock
        if lock is None or self._holds_write_lock or self.in_transaction:
            return
        if _opens_write_transaction(sql):
            self._holds_write_lock = lock.acquire()

    def _release_write_lock(self) -> None:
        if self._holds_write_lock and self.write_lock is not None:
            self._holds_write_lock = False
            self.write_lock.release()

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            if not self.in_transaction:
                self._release_write_lock()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            if not self.in_transaction:
                self._release_write_lock()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._release_write_lock()
