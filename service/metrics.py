"""Prometheus metrics, all named ``handoff_*``, in the default registry (one set per process).

Others increment what is defined here; for example the webhook dispatcher::

    from service.metrics import WEBHOOK_DELIVERIES
    WEBHOOK_DELIVERIES.labels(outcome="delivered").inc()   # delivered | retry | dead

The review queue depth is read from the database at scrape time, so it is
right whichever worker answers the scrape. With several uvicorn workers,
``handoff serve`` sets ``PROMETHEUS_MULTIPROC_DIR`` (before any worker imports
this module) and a scrape sums every worker's counters and histograms.
"""

from __future__ import annotations

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.db.models import ReviewItemRow

REQUEST_LATENCY = Histogram(
    "handoff_http_request_duration_seconds",
    "Time to answer an HTTP request, per route template.",
    ["method", "route", "status"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
REVIEW_QUEUE_DEPTH = Gauge(
    "handoff_review_queue_depth",
    "Review items per route and status (read from the database at scrape time).",
    ["route", "status"],
    multiprocess_mode="mostrecent",
)
DECISIONS = Counter(
    "handoff_review_decisions_total", "Review decisions recorded, per outcome.", ["outcome", "route"]
)
WEBHOOK_DELIVERIES = Counter(
    "handoff_webhook_deliveries_total",
    "Webhook delivery attempts by outcome (delivered, retry, dead).",
    ["outcome"],
)
REQUESTS_REFUSED = Counter(
    "handoff_http_requests_refused_total",
    "Requests refused before routing (body too large, unsupported media type).",
    ["reason"],
)


def refresh_queue_depth(db: Session) -> None:
    counts = db.execute(
        select(ReviewItemRow.route, ReviewItemRow.status, func.count()).group_by(
            ReviewItemRow.route, ReviewItemRow.status
        )
    ).all()
    REVIEW_QUEUE_DEPTH.clear()
    for route in ("legal", "finance", "delivery"):
        REVIEW_QUEUE_DEPTH.labels(route=route, status="pending").set(0)
    for route, status, count in counts:
        REVIEW_QUEUE_DEPTH.labels(route=route, status=status).set(count)


MULTIPROCESS_ENV = "PROMETHEUS_MULTIPROC_DIR"


def render_metrics() -> tuple[bytes, str]:
    """The exposition text: this process's metrics, or every worker's in multiprocess mode."""
    if os.environ.get(MULTIPROCESS_ENV):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(), CONTENT_TYPE_LATEST
