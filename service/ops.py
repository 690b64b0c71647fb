"""Operations endpoints, outside ``/v1``: liveness, readiness and Prometheus metrics."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy import text

from service.metrics import refresh_queue_depth, render_metrics

logger = logging.getLogger("handoff.ops")
router = APIRouter(tags=["operations"])


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """The process is alive."""
    return {"status": "ok"}


# Load balancers and uptime monitors probe with HEAD; it answers as GET does, without the body.
@router.head("/healthz", include_in_schema=False)
async def healthz_head() -> Response:
    return Response(status_code=200)


@router.head("/readyz", include_in_schema=False)
def readyz_head(request: Request) -> Response:
    return Response(status_code=readyz(request).status_code)


@router.get("/readyz", responses={503: {"description": "Not ready: database unreachable or models missing"}})
def readyz(request: Request) -> JSONResponse:
    """Ready to serve: the database answers and every model is loaded."""
    database = "ok"
    try:
        with request.app.state.session_factory() as db:
            db.execute(text("SELECT 1"))
    except Exception as exc:  # any failure to reach the database means not ready
        logger.warning("readiness: database unreachable: %s", exc)
        database = f"unreachable: {type(exc).__name__}"
    serving = request.app.state.serving_models
    models = {
        "loaded": {name: model.version for name, model in sorted(serving.loaded.items())},
        "missing": dict(sorted(serving.missing.items())),
    }
    ready = database == "ok" and not serving.missing
    return JSONResponse(
        {"status": "ready" if ready else "not ready", "database": database, "models": models},
        status_code=200 if ready else 503,
    )


@router.get("/metrics", response_class=Response)
def metrics(request: Request) -> Response:
    """Prometheus metrics (text exposition format)."""
    try:
        with request.app.state.session_factory() as db:
            refresh_queue_depth(db)
    except Exception as exc:  # metrics must still answer when the database does not
        logger.warning("metrics: queue depth not refreshed: %s", exc)
    body, content_type = render_metrics()
    return Response(body, media_type=content_type)
