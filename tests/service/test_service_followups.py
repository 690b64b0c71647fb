"""Round-two service follow-ups: review items written column-wise, webhook delivery re-checking
internal addresses, a chunked empty multipart body."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

import service.api.anomaly as anomaly_api
from anomaly import AnomalyScore, ControlHit, ScoringResult, read_context, score_invoices, score_time_entries
from service.settings import Settings
from tests.anomaly.conftest import context_dict, entry, invoice_rows
from tests.service.test_anomaly_api import models, served
from tests.service.test_stranger_input import UPLOAD_ENDPOINTS, assert_problem, auth, keys, row_counts

__all__ = ["keys", "models", "served"]  # fixtures, imported so pytest finds them here


@pytest.fixture
def anomaly_keys(make_api_key: Any) -> dict[str, str]:
    return {"engine": make_api_key("engine")}


# --- an empty multipart body of unknown length ----------------------------------------------------


def _no_bytes() -> Iterator[bytes]:
    # A generator body is sent chunked, without Content-Length, as a streaming client sends it.
    yield from ()


@pytest.mark.parametrize("boundary", ["; boundary=x7Qp", ""], ids=["with-boundary", "no-boundary"])
@pytest.mark.parametrize("path", UPLOAD_ENDPOINTS)
def test_a_chunked_empty_multipart_body_is_the_empty_body_422(
    client: TestClient,
    keys: dict[str, str],
    session_factory: sessionmaker[Session],
    path: str,
    boundary: str,
) -> None:
    before = row_counts(session_factory)
    headers = auth(keys["engine"], **{"Content-Type": f"multipart/form-data{boundary}"})
    response = client.post(path, content=_no_bytes(), headers=headers)
    assert "content-length" not in {k.lower() for k in response.request.headers}
    problem = assert_problem(response, 422, "validation-error")
    assert problem["errors"] == [{"loc": ["body"], "msg": "Field required", "type": "missing"}]
    assert row_counts(session_factory) == before


# --- anomaly review items, written from the column-wise documents ----------------------------------


def _reviews_as_pydantic_wrote_them(result: ScoringResult, kind: str) -> list[dict[str, Any]]:
    """What each flagged item's review held when the route dumped every ``AnomalyScore``."""
    expected = []
    for item in result.flagged:
        if item.controls:
            title = item.controls[0].message
        elif item.reasons:
            title = item.reasons[0].message
        else:
            title = f"unusual (risk {item.risk:.2f})"
        expected.append(
            {
                "kind": kind,
                "route": item.route or "finance",
                "severity": item.severity if item.severity != "none" else "low",
                "title": title[:500],
                "rule": item.controls[0].rule if item.controls else "anomaly.model",
                "finding": item.model_dump(mode="json"),
                "subject": {"type": kind, "id": item.id},
                "model_version": f"{'time-entries' if kind == 'time_entry' else 'invoices'}/3",
            }
        )
    return expected


def _time_entry_batch() -> list[dict[str, Any]]:
    day = dt.date(2026, 5, 4)
    return [
        entry(1, "E-1", day),
        entry(2, "E-1", day + dt.timedelta(days=1), bill_rate=190.0),  # off the rate card
        entry(3, "E-2", day + dt.timedelta(days=5)),  # a Saturday
        entry(4, "E-1", day + dt.timedelta(days=2), hours=19.5, description="x"),
        entry(5, "E-2", day + dt.timedelta(days=3), currency="EUR", bill_rate=95.0),
        entry(6, "E-1", day + dt.timedelta(days=3), project_id="P-9", hours=0.25),
    ]


def _invoice_batch() -> dict[str, Any]:
    invoices, lines = invoice_rows(months=9)
    batch = copy.deepcopy([i for i in invoices if i["invoice_id"].startswith("I-8-")])
    ids = {i["invoice_id"] for i in batch}
    batch[1]["total"] += 250.0  # no longer subtotal + tax
    batch[0]["due_date"] = batch[0]["issue_date"]
    return {"items": batch, "lines": [x for x in lines if x["invoice_id"] in ids]}


@pytest.mark.parametrize("kind", ["time_entry", "invoice"])
def test_anomaly_review_items_are_those_the_pydantic_dump_opened(
    served: TestClient,
    anomaly_keys: dict[str, str],
    models: dict[str, Any],
    settings: Settings,
    kind: str,
) -> None:
    if kind == "time_entry":
        context = context_dict()
        context["projects"][0]["not_to_exceed"] = 5_000_000  # no burn reviews, entry reviews only
        body: dict[str, Any] = {"items": _time_entry_batch(), "context": context}
        path = "/v1/anomaly/time-entries/score"
        result = score_time_entries(
            body["items"],
            model=models["time-entries"],
            context=read_context(context),
            review_budget=settings.review_budget,
            model_version="3",
        )
    else:
        body = _invoice_batch()
        path = "/v1/anomaly/invoices/score"
        result = score_invoices(
            body["items"],
            body["lines"],
            model=models["invoices"],
            review_budget=settings.review_budget,
            model_version="3",
        )
    expected = _reviews_as_pydantic_wrote_them(result, kind)
    assert len(expected) >= 2, "the batch must flag more than one item to compare"

    response = served.post(path, json=body, headers={"Authorization": f"Bearer {anomaly_keys['engine']}"})
    assert response.status_code == 200, response.text
    opened = [
        served.get(f"/v1/reviews/{review_id}", headers={"Authorization": f"Bearer {anomaly_keys['engine']}"})
        for review_id in response.json()["reviews"]
    ]
    assert all(r.status_code == 200 for r in opened)
    stored = [{field: r.json()[field] for field in expected[0]} for r in opened if r.json()["kind"] == kind]
    assert stored == expected


def test_flagged_findings_of_a_plain_list_of_scores_are_their_dumps() -> None:
    # A result holding AnomalyScore objects (not the column-wise scores) is dumped item by item.
    scores = [
        AnomalyScore(
            id=f"TE-{i}",
            risk=risk,
            flagged=risk > 0.5,
            severity="high" if risk > 0.5 else "none",
            route="finance" if risk > 0.5 else None,
            score=-0.6,
            model_version="3",
            controls=[ControlHit(rule="weekend_work", message="worked on a Saturday")] if i else [],
        )
        for i, risk in enumerate([0.9, 0.1, 0.7])
    ]
    found = anomaly_api._flagged_findings(ScoringResult(scores, []))
    assert found == [scores[0].model_dump(mode="json"), scores[2].model_dump(mode="json")]
