"""Migrations: upgrade an empty database, re-run safely, match the models exactly, downgrade cleanly."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import delete, inspect, update
from sqlalchemy.exc import DBAPIError

from service.auth import Principal
from service.db.migrate import alembic_config, upgrade_database
from service.db.models import Base, ReviewEventRow, ReviewItemRow
from service.db.session import make_engine, make_session_factory
from service.reviews.schemas import DecisionOutcome, DecisionRequest
from service.reviews.service import decide_review, open_review


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


def test_database_refuses_to_rewrite_the_audit_trail(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        upgrade_database(database_url, engine=engine)
        with make_session_factory(engine)() as db:
            item = open_review(
                db, kind="manual", route="legal", severity="low", title="t", rule=None, finding={},
                subject={"type": "sow", "id": "S-1"}, model_version=None, actor="key_engine",
            )  # fmt: skip
            db.commit()
            # A pending item may still change (that is how it gets decided).
            db.execute(update(ReviewItemRow).where(ReviewItemRow.id == item.id).values(title="retitled"))
            db.commit()
            decide_review(
                db,
                item.id,
                principal=Principal(key_id="key_legal", name="legal", role="legal"),
                decision=DecisionRequest(outcome=DecisionOutcome.approved),
            )
            db.commit()
            for statement in (
                update(ReviewItemRow).where(ReviewItemRow.id == item.id).values(status="rejected"),
                update(ReviewEventRow).values(actor="someone else"),
                delete(ReviewEventRow),
            ):
                with pytest.raises(DBAPIError):
                    db.execute(statement)
                db.rollback()
    finally:
        engine.dispose()
