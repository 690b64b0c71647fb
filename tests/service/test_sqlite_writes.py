"""SQLite writers of one process queue on the process's write lock, not in SQLite's busy handler."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError

from service.db.session import make_engine
from service.db.sqlite_writes import SerialisedWriteConnection


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'writes.db'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)"))
    yield engine
    engine.dispose()


def _holds_write_lock(connection: object) -> bool:
    raw = connection.connection.dbapi_connection  # type: ignore[attr-defined]
    assert isinstance(raw, SerialisedWriteConnection)
    return raw._holds_write_lock


def test_a_second_writer_waits_for_the_first_to_commit_instead_of_failing(engine: Engine) -> None:
    outcome: dict[str, object] = {}
    second_about_to_write = threading.Event()

    def second_writer() -> None:
        with engine.connect() as connection:
            # Without the process's lock this insert would meet SQLite's lock and, with no busy
            # timeout, fail at once with "database is locked".
            connection.exec_driver_sql("PRAGMA busy_timeout=0")
            second_about_to_write.set()
            try:
                connection.execute(text("INSERT INTO notes (body) VALUES ('second')"))
                connection.commit()
                outcome["second"] = "committed"
            except Exception as error:  # the test reports whatever it was
                outcome["second"] = repr(error)

    with engine.connect() as first:
        first.execute(text("INSERT INTO notes (body) VALUES ('first')"))
        assert _holds_write_lock(first)
        thread = threading.Thread(target=second_writer)
        thread.start()
        assert second_about_to_write.wait(timeout=10)
        thread.join(timeout=0.3)
        assert thread.is_alive(), "the second writer did not wait for the first transaction"
        first.commit()
        assert not _holds_write_lock(first)
    thread.join(timeout=30)

    assert outcome == {"second": "committed"}
    with engine.connect() as connection:
        bodies = connection.execute(text("SELECT body FROM notes ORDER BY id")).scalars().all()
    assert bodies == ["first", "second"]


def test_reads_do_not_take_the_write_lock(engine: Engine) -> None:
    with engine.connect() as connection:
        connection.execute(text("SELECT count(*) FROM notes")).scalar_one()
        connection.execute(text("  select * from notes")).all()
        assert not _holds_write_lock(connection)


def test_rollback_and_close_give_the_lock_back(engine: Engine) -> None:
    with engine.connect() as connection:
        connection.execute(text("UPDATE notes SET body = 'x'"))
        assert _holds_write_lock(connection)
        connection.rollback()
        assert not _holds_write_lock(connection)

    connection = engine.connect()
    connection.execute(text("DELETE FROM notes"))
    raw = connection.connection.dbapi_connection
    assert isinstance(raw, SerialisedWriteConnection)
    connection.invalidate()  # closes the DBAPI connection without a commit
    assert not raw._holds_write_lock
    # The lock is free: another connection writes straight away.
    with engine.begin() as other:
        other.exec_driver_sql("PRAGMA busy_timeout=0")
        other.execute(text("INSERT INTO notes (body) VALUES ('after')"))


def test_a_failed_write_gives_the_lock_back_on_rollback(engine: Engine) -> None:
    with engine.connect() as connection:
        connection.execute(text("INSERT INTO notes (id, body) VALUES (1, 'a')"))
        with pytest.raises(IntegrityError):
            connection.execute(text("INSERT INTO notes (id, body) VALUES (1, 'again')"))
        connection.rollback()
        assert not _holds_write_lock(connection)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM notes")).scalar_one() == 0
