"""What the database commands share: migrate, then a session for one command."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

from service.db.migrate import upgrade_database
from service.db.session import make_engine, make_session_factory
from service.settings import Settings


@contextmanager
def command_session(settings: Settings) -> Iterator[Session]:
    """Migrate (so commands work on an empty HANDOFF_HOME) and yield one session."""
    settings.ensure_home()
    url = settings.resolved_database_url
    engine = make_engine(url)
    try:
        upgrade_database(url, engine=engine)
        with make_session_factory(engine)() as session:
            yield session
    finally:
        engine.dispose()
