"""Operations: healthz, readyz (database, models), metrics, and the review insights' numbers."""

from __future__ import annotations

import gc
from datetime import timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from service.db.models import ReviewItemRow, utcnow
from service.insights import percentile, review_insights
from service.model_serving import LoadedModel, ServingModels

SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def make_item(client: TestClient, key: str, **overrides: Any) -> str:
    body = {
        "kind": "clause",
        "route": "legal",
        "severity": "high",
        "title": "t",
        "finding": {},
        "subject": {"type": "sow", "id": "S-1"},
        **overrides,
    }
    response = client.post("/v1/reviews", json=body, headers=auth(key))
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


@SQLITE_ONLY
def test_healthz(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_readyz_ready_when_database_answers_and_no_model_is_missing(client: TestClient, app: FastAPI) -> None:
    app.state.serving_models = ServingModels()
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok" and response.json()["status"] == "ready"


@SQLITE_ONLY
def test_readyz_on_a_fresh_home_names_every_missing_model(client: TestClient) -> None:
    # bootstrap_models is off in tests, so nothing is registered: not ready, and readyz says why.
    response = client.get("/readyz")
    assert response.status_code == 503
    missing = response.json()["models"]["missing"]
    assert missing and all(isinstance(reason, str) and reason for reason in missing.values())


@SQLITE_ONLY
def test_readyz_reports_loaded_and_missing_models(client: TestClient, app: FastAPI) -> None:
    app.state.serving_models = ServingModels(
        loaded={"clauses": LoadedModel("clauses", "handoff-clauses", "3", object())},
        missing={"invoices": "no champion registered"},
    )
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["models"]["loaded"] == {"clauses": "3"}
    assert body["models"]["missing"] == {"invoices": "no champion registered"}
    app.state.serving_models = ServingModels()
    assert client.get("/readyz").status_code == 200


@SQLITE_ONLY
def test_readyz_not_ready_when_database_is_gone(client: TestClient, app: FastAPI) -> None:
    from service.db.session import make_engine, make_session_factory

    app.state.session_factory = make_session_factory(make_engine("sqlite:////nonexistent-dir/x/handoff.db"))
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["database"].startswith("unreachable")


def test_metrics_expose_latency_queue_depth_and_decisions(client: TestClient, make_api_key: Any) -> None:
    engine, legal = make_api_key("engine"), make_api_key("legal")
    first = make_item(client, engine)
    make_item(client, engine)
    client.post(f"/v1/reviews/{first}/decision", json={"outcome": "approved"}, headers=auth(legal))
    client.get("/v1/reviews", headers=auth(legal))
    text = client.get("/metrics").text
    assert 'handoff_review_queue_depth{route="legal",status="pending"} 1.0' in text
    assert 'handoff_review_queue_depth{route="legal",status="approved"} 1.0' in text
    assert 'handoff_review_decisions_total{outcome="approved",route="legal"}' in text
    assert (
        'handoff_http_request_duration_seconds_count{method="GET",route="/v1/reviews",status="200"}' in text
    )
    # Route templates, not raw paths: an id never becomes a label.
    assert 'route="/v1/reviews/{review_id}/decision"' in text and first not in text
    assert "handoff_webhook_deliveries_total" in text


@pytest.mark.parametrize(
    ("values", "q", "expected"),
    [([], 0.5, None), ([4.0], 0.95, 4.0), ([1.0, 2.0, 3.0, 4.0], 0.5, 2.5), ([0.0, 10.0], 0.95, 9.5)],
)
def test_percentile(values: list[float], q: float, expected: float | None) -> None:
    assert percentile(values, q) == expected


def test_insights_numbers(
    client: TestClient, make_api_key: Any, session_factory: sessionmaker[Session]
) -> None:
    engine, legal, analyst = make_api_key("engine"), make_api_key("legal"), make_api_key("analyst")
    renewal = [
        make_item(client, engine, rule="auto_renewal.present", model_version="clauses/3") for _ in range(4)
    ]
    make_item(client, engine, rule="liability.uncapped", model_version="clauses/2")
    # Backdate while pending (a decided item is immutable, down to the database): the three to be
    # decided were opened 60, 120 and 300 s ago, the one left pending 2 h ago.
    t0 = utcnow()
    with session_factory() as db:
        for review_id, seconds in zip(renewal, (60, 120, 300, 7200), strict=True):
            db.execute(
                update(ReviewItemRow)
                .where(ReviewItemRow.id == review_id)
                .values(created_at=t0 - timedelta(seconds=seconds))
            )
        db.commit()
    decisions = [
        {"outcome": "approved"},
        {"outcome": "approved"},
        {"outcome": "rejected", "reason": "standard clause"},
    ]
    for review_id, decision in zip(renewal, decisions, strict=False):
        assert client.post(f"/v1/reviews/{review_id}/decision", json=decision, headers=auth(legal)).is_success
    with session_factory() as db:
        insights = review_insights(db, now=t0)
    by_rule = {row.rule: row for row in insights.routes}
    renewal_row = by_rule["auto_renewal.present"]
    assert (renewal_row.pending, renewal_row.decided, renewal_row.approved) == (1, 3, 2)
    assert renewal_row.oldest_pending_age_seconds == 7200
    assert renewal_row.approval_rate == pytest.approx(2 / 3)
    # Decided a moment after t0: each duration is its backdating plus that moment (well under 30 s).
    assert renewal_row.time_to_decision.p50_seconds == pytest.approx(120, abs=30)
    assert renewal_row.time_to_decision.p95_seconds == pytest.approx(120 + (300 - 120) * 0.9, abs=30)
    assert by_rule["liability.uncapped"].pending == 1 and by_rule["liability.uncapped"].approval_rate is None
    by_model = {row.model_version: row for row in insights.model_versions}
    assert (by_model["clauses/3"].flags, by_model["clauses/3"].approval_share) == (4, pytest.approx(2 / 3))
    assert by_model["clauses/2"].approval_share is None

    over_http = client.get("/v1/insights/reviews", headers=auth(analyst))
    assert over_http.status_code == 200
    http_rules = {row["rule"]: row for row in over_http.json()["routes"]}
    assert http_rules["auto_renewal.present"]["approved"] == 2


@SQLITE_ONLY
def test_startup_freezes_the_long_lived_heap(app: FastAPI) -> None:
    # Frozen objects are skipped by every later full collection (and by the one at exit).
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    with TestClient(app) as client:
        assert client.get("/healthz").status_code == 200
        assert gc.get_freeze_count() > 10_000


class _RecordingRegistry:
    """A registry client answering ``get_model_version`` from a dict of version tags."""

    def __init__(self, tags: dict[tuple[str, str], dict[str, str]], *, fail: bool = False) -> None:
        self.tags = tags
        self.fail = fail

    def get_model_version(self, name: str, version: str) -> Any:
        if self.fail:
            raise ConnectionError("registry down")
        if (name, version) not in self.tags:
            missing = LookupError(f"{name} {version} not found")
            missing.error_code = "RESOURCE_DOES_NOT_EXIST"  # type: ignore[attr-defined]
            raise missing

        class Version:
            pass

        found = Version()
        found.tags = self.tags.get((name, version), {})  # type: ignore[attr-defined]
        return found


class _Store:
    def __init__(self, client: _RecordingRegistry) -> None:
        self.client = client


@SQLITE_ONLY
def test_analysts_read_the_eval_headlines_of_the_models_in_use(
    client: TestClient, app: FastAPI, make_api_key: Any
) -> None:
    headline = '{"status": "ok", "run_id": "r1", "headline": {"auprc": 0.91}}'
    app.state.model_store = _Store(
        _RecordingRegistry(
            {
                ("handoff-time-entries", "4"): {
                    "handoff.eval.time-entries": headline,
                    "handoff.eval.other-firm": "not json",
                    "handoff.source_modules": "anomaly",
                }
            }
        )
    )
    app.state.serving_models = ServingModels(
        loaded={
            "time-entries": LoadedModel("time-entries", "handoff-time-entries", "4", object()),
            "clauses": LoadedModel("clauses", "handoff-clauses", "2", object()),
        }
    )
    response = client.get("/v1/models/evals", headers=auth(make_api_key("analyst")))
    assert response.status_code == 200, response.text
    assert response.json() == {
        "models": [
            {"model": "clauses", "version": "2", "evals": {}},  # not in this registry
            {
                "model": "time-entries",
                "version": "4",
                "evals": {
                    "other-firm": {"status": "unreadable"},
                    "time-entries": {"status": "ok", "run_id": "r1", "headline": {"auprc": 0.91}},
                },
            },
        ]
    }
    assert client.get("/v1/models/evals", headers=auth(make_api_key("legal"))).status_code == 403


@SQLITE_ONLY
def test_evals_are_503_when_the_registry_does_not_answer(
    client: TestClient, app: FastAPI, make_api_key: Any
) -> None:
    app.state.model_store = _Store(_RecordingRegistry({}, fail=True))
    app.state.serving_models = ServingModels(
        loaded={"clauses": LoadedModel("clauses", "handoff-clauses", "2", object())}
    )
    response = client.get("/v1/models/evals", headers=auth(make_api_key("admin")))
    assert response.status_code == 503
    assert response.json()["type"].endswith("/model-registry-unavailable")
    assert response.headers["retry-after"] == "5" and "registry down" not in response.text
