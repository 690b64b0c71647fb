"""The FastAPI application: ``create_app(settings)``, and ``create_app_from_env`` for uvicorn workers.

The lifespan makes the process's one engine and session factory, loads the
serving models and runs the webhook dispatcher; all of them live on
``app.state``. Everything is under ``/v1`` except ``/healthz``, ``/readyz``
and ``/metrics``.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI

from service import insights, ops
from service.api import anomaly, models, sow, staffing
from service.auth import VerifiedKeyCache
from service.console import router as console_router
from service.db.session import make_engine, make_session_factory
from service.idempotency import purge_expired_keys
from service.logging import configure_logging
from service.middleware import RequestMiddleware, check_content_type
from service.model_serving import freeze_long_lived_heap, load_serving_models
from service.openapi_problems import document_problem_responses
from service.problems import install_problem_handlers
from service.reviews import api as reviews_api
from service.settings import Settings
from service.text_guard import refuse_nul_in_json
from service.webhooks import api as webhooks_api
from service.webhooks.dispatcher import WebhookDispatcher

logger = logging.getLogger("handoff.app")


def _start_state(app: FastAPI, settings: Settings) -> None:
    settings.ensure_home()
    engine = make_engine(settings.resolved_database_url)
    session_factory = make_session_factory(engine)
    app.state.engine = engine
    app.state.session_factory = session_factory
    try:
        with session_factory() as db:
            purged = purge_expired_keys(db)
            db.commit()
        if purged:
            logger.info("purged %d expired idempotency keys", purged)
    except Exception as exc:  # a missing table means "not migrated": readyz will say so, do not crash here
        logger.warning("idempotency purge skipped: %s", exc)
    app.state.serving_models = load_serving_models(settings)
    app.state.dispatcher = WebhookDispatcher(settings, session_factory)
    app.state.dispatcher.start()
    freeze_long_lived_heap()


def _stop_state(app: FastAPI) -> None:
    dispatcher = getattr(app.state, "dispatcher", None)
    if dispatcher is not None:
        dispatcher.stop()
    engine = getattr(app.state, "engine", None)
    if engine is not None:
        engine.dispose()


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the application for ``settings`` (read from the environment when None).

    Parameters
    ----------
    settings
        The service's settings; the database is expected to be migrated
        (``handoff db upgrade`` or :func:`service.db.migrate.upgrade_database`).

    Returns
    -------
    FastAPI
    """
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        _start_state(app, settings)
        try:
            yield
        finally:
            _stop_state(app)

    app = FastAPI(
        title="Handoff",
        version="1",
        description="SOW extraction, anomaly scoring and staffing recommendations, with human review.",
        openapi_url="/openapi.json",
        lifespan=lifespan,
        dependencies=[Depends(check_content_type), Depends(refuse_nul_in_json)],
    )
    app.state.settings = settings
    app.state.verified_keys = VerifiedKeyCache(settings.api_key_cache_seconds)
    app.include_router(ops.router)
    app.include_router(reviews_api.router)
    app.include_router(insights.router)
    app.include_router(webhooks_api.router)
    app.include_router(sow.router)
    app.include_router(anomaly.router)
    app.include_router(staffing.router)
    app.include_router(models.router)
    app.include_router(console_router)
    # After the routers: their modules register their domain problems on import.
    install_problem_handlers(app)
    document_problem_responses(app)
    app.add_middleware(RequestMiddleware, max_body_bytes=settings.max_body_bytes)
    return app


def create_app_from_env() -> FastAPI:
    """The uvicorn factory (``--factory``) each worker process calls: settings from ``HANDOFF_*``."""
    settings = Settings()
    configure_logging(level=settings.log_level, json_logs=settings.log_json)
    return create_app(settings)
