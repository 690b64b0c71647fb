"""Migrations: upgrade an empty database, re-run safely, match the models exactly, downgrade cleanly."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect

from service.db.migrate import alembic_config, upgrade_database
from service.db.models import Base
from service.db.session import make_engine


def test_upgrade_on_an_empty_database_creates_every_table(database_url: str) -> None:
    upgrade_database(database_url)
    upgrade_database(database_url)  # a second run is a no-op, not an error
    engine = make_engine(database_url)
    try:
        tables = set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert set(Base.metadata.tables) | {"alembic_version"} == tables


def test_migrations_match_the_models_and_downgrade(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        upgrade_database(database_url, engine=engine)
        config = alembic_config(database_url)
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.check(config)  # raises when the models hold something no migration creates
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    finally:
        engine.dispose()
