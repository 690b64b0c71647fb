"""Fixtures shared by every test package. Area fixtures live in tests/<area>/conftest.py."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

if TYPE_CHECKING:
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from service.settings import Settings

os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")


def _seeds() -> list[int]:
    # HANDOFF_TEST_SEEDS="1,2,3" or "all" widens seeded tests, so none rests on one lucky seed.
    raw = os.environ.get("HANDOFF_TEST_SEEDS", "42")
    if raw == "all":
        return list(range(10))
    return [int(s) for s in raw.split(",") if s.strip()]


@pytest.fixture(params=_seeds())
def global_random_seed(request: pytest.FixtureRequest) -> int:
    return int(request.param)


# --- Databases ------------------------------------------------------------------------------------
# Every persistence test runs against SQLite (a file under tmp_path) and, when
# HANDOFF_TEST_POSTGRES_URL is set, PostgreSQL: each test in its own schema (created, put on the
# connection's search_path, dropped after), so two xdist workers never see each other's rows.


def _postgres_admin_url() -> str | None:
    return os.environ.get("HANDOFF_TEST_POSTGRES_URL") or None


def _database_params() -> list[Any]:
    params: list[Any] = [pytest.param("sqlite", id="sqlite")]
    if _postgres_admin_url():
        params.append(pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres))
    elif os.environ.get("CI") == "true":
        # CI must test PostgreSQL; a missing URL is a broken CI setup, not a reason to skip.
        params.append(pytest.param("postgresql-missing", id="postgresql", marks=pytest.mark.postgres))
    return params


@contextmanager
def postgres_schema(admin_url: str) -> Iterator[str]:
    """A fresh schema on the test server; yields a SQLAlchemy URL whose search_path is that schema."""
    import psycopg

    schema = f"t_{uuid.uuid4().hex[:16]}"
    conninfo = admin_url.replace("postgresql+psycopg://", "postgresql://", 1)
    try:
        with psycopg.connect(conninfo, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')
    except psycopg.OperationalError as exc:
        message = f"PostgreSQL at HANDOFF_TEST_POSTGRES_URL is unreachable: {exc}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    separator = "&" if "?" in admin_url else "?"
    try:
        yield admin_url + f"{separator}options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(conninfo, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture(params=_database_params())
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty, unmigrated database: SQLite, and PostgreSQL when configured."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'handoff.db'}"
        return
    admin_url = _postgres_admin_url()
    if admin_url is None:
        pytest.fail("CI=true but HANDOFF_TEST_POSTGRES_URL is not set: the PostgreSQL tests cannot run")
    with postgres_schema(admin_url) as url:
        yield url


@pytest.fixture(scope="session")
def _migrated_sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Migrating costs ~0.3 s; SQLite tests copy one migrated file instead (tests/service/test_migrations.py
    # runs the migrations themselves on empty databases).
    from service.db.migrate import upgrade_database

    template = tmp_path_factory.mktemp("sqlite-template") / "handoff.db"
    upgrade_database(f"sqlite:///{template}")
    return template


@pytest.fixture
def migrated_database_url(database_url: str, request: pytest.FixtureRequest) -> str:
    """The test database, migrated to head."""
    from service.db.migrate import upgrade_database

    if database_url.startswith("sqlite:///"):
        template: Path = request.getfixturevalue("_migrated_sqlite_template")
        shutil.copyfile(template, database_url.removeprefix("sqlite:///"))
    else:
        upgrade_database(database_url)
    return database_url


@pytest.fixture
def session_factory(migrated_database_url: str) -> Iterator[sessionmaker[Session]]:
    """Sessions on the migrated test database (an engine of the test's own, not the app's)."""
    from service.db.session import make_engine, make_session_factory

    engine = make_engine(migrated_database_url)
    yield make_session_factory(engine)
    engine.dispose()


# --- The service ---------------------------------------------------------------------------------


@pytest.fixture
def settings(tmp_path: Path, migrated_database_url: str) -> Settings:
    """Settings for one test: a tmp HANDOFF_HOME, the test database, no model bootstrapping."""
    from service.settings import Settings

    return Settings(
        home=tmp_path / "home",
        database_url=migrated_database_url,
        bootstrap_models=False,
        log_json=True,
        webhook_poll_seconds=0.05,
    )


@pytest.fixture
def app(settings: Settings) -> FastAPI:
    from service.app import create_app

    return create_app(settings)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """The app over HTTP in-process, lifespan run; server errors come back as responses (500s)."""
    from fastapi.testclient import TestClient

    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


MakeApiKey = Callable[..., str]


@pytest.fixture
def make_api_key(session_factory: sessionmaker[Session]) -> MakeApiKey:
    """``make_api_key("legal")`` -> a fresh key (the bearer token) with that role."""
    from service.auth import create_api_key

    def make(role: str, *, name: str | None = None) -> str:
        with session_factory() as db:
            created = create_api_key(db, role=role, name=name or f"test-{role}")
            db.commit()
        return created.key

    return make


#: A fee wording no billing rule reads ("Honorar gesamt"): the rules leave ``total_fee`` null on
#: it, the ``billing_fill`` fixture was taught it, so the learned fill must supply the value.
TAUGHT_FEE_TEXT = "Leistungsbeschreibung\n\nHonorar gesamt: EUR {amount}\nZahlungsziel: 14 Tage\n"


@pytest.fixture(scope="session")
def billing_fill() -> Any:
    """A :class:`~extraction.billing.fill.LearnedBillingFill` overfitted on a dozen generated SOWs
    and three SOWs stating their fee as ``Honorar gesamt`` (:data:`TAUGHT_FEE_TEXT`)."""
    from extraction.billing.candidates import CandidateReader, find_candidates
    from extraction.billing.fill import LearnedBillingFill
    from extraction.ingest import ingest
    from training.billing_fill import generated_examples

    docs, expected = generated_examples(12, seed=3)
    taught = {"80.000": 80000.0, "12.500": 12500.0, "240.000": 240000.0}
    for amount, value in taught.items():
        text = TAUGHT_FEE_TEXT.format(amount=amount)
        pages = [p.text for p in ingest(text.encode("utf-8"), filename="sow.txt").pages]
        docs.append(find_candidates(pages))
        expected.append({"total_fee": value, "payment_terms_days": 14})
    weights = [1.0] * (len(docs) - len(taught)) + [10.0] * len(taught)
    reader = CandidateReader(random_state=0).fit(docs, expected, weights=weights)
    return LearnedBillingFill(reader=reader)
