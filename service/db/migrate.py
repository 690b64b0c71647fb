"""Run the Alembic migrations programmatically (no ``alembic.ini`` in the working folder)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

from service.db.session import make_engine, normalise_database_url

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # ConfigParser treats % as interpolation; URLs may contain %-escapes.
    config.set_main_option("sqlalchemy.url", normalise_database_url(url).replace("%", "%%"))
    return config


def upgrade_database(url: str, *, revision: str = "head", engine: Engine | None = None) -> None:
    """Bring the database at ``url`` up to ``revision`` (creating the SQLite file if needed).

    Parameters
    ----------
    url
        The SQLAlchemy URL of the database.
    revision
        The Alembic revision to upgrade to; ``"head"`` by default.
    engine
        An engine to reuse instead of making a throwaway one.
    """
    config = alembic_config(url)
    own_engine = engine is None
    engine = engine or make_engine(url)
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    finally:
        if own_engine:
            engine.dispose()
