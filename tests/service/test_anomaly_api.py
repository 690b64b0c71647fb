from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any

import pandas as pd
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from anomaly import InvoiceAnomalyModel, TimeEntryAnomalyModel, read_context
from service.model_serving import LoadedModel, ServingModels
from tests.anomaly.conftest import context_dict, entry, history_rows, invoice_context, invoice_rows

PROBLEM = "https://handoff.dev/problems/"
SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
MONDAY = dt.date(2026, 5, 4)


@pytest.fixture(scope="module")
def models() -> dict[str, Any]:
    time_model = TimeEntryAnomalyModel(n_estimators=30, random_state=0).fit(
        history_rows(), context=read_context(context_dict())
    )
    invoices, lines = invoice_rows()
    invoice_model = InvoiceAnomalyModel(n_estimators=30, random_state=0).fit(
        invoices, lines, context=invoice_context()
    )
    return {"time-entries": time_model, "invoices": invoice_model}


@pytest.fixture
def served(app: FastAPI, client: TestClient, models: dict[str, Any]) -> TestClient:
    app.state.serving_models = ServingModels(
        loaded={
            name: LoadedModel(short_name=name, registered_name=f"handoff-{name}", version="3", model=model)
            for name, model in models.items()
        }
    )
    return client


@pytest.fixture
def keys(make_api_key: Any) -> dict[str, str]:
    return {role: make_api_key(role) for role in ("engine", "finance", "delivery", "legal")}


def auth(key: str, **extra: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}", **extra}


def test_time_entries_200_shape_and_reviews_routed_to_finance(
    served: TestClient, keys: dict[str, str]
) -> None:
    items = [entry(1, "E-1", MONDAY), entry(2, "E-1", MONDAY + dt.timedelta(days=1), bill_rate=190.0)]
    context = context_dict()
    context["projects"][0]["not_to_exceed"] = 5_000_000  # burn well within the cap: entry reviews only
    response = served.post(
        "/v1/anomaly/time-entries/score",
        json={"items": items, "context": context},
        headers=auth(keys["engine"]),
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) >= {"results", "rejected", "reviews"}
    assert [r["id"] for r in body["results"]] == ["TE-1", "TE-2"]
    flagged = [r for r in body["results"] if r["flagged"]]
    assert [r["id"] for r in flagged] == ["TE-2"]
    assert flagged[0]["model_version"] == "3"
    assert len(body["reviews"]) == 1
    review = served.get(f"/v1/reviews/{body['reviews'][0]}", headers=auth(keys["finance"])).json()
    assert review["route"] == "finance" and review["kind"] == "time_entry"
    assert review["subject"] == {"type": "time_entry", "id": "TE-2"}
    assert review["rule"] == "rate_not_on_card"
    assert review["model_version"] == "time-entries/3"
    assert served.get(f"/v1/reviews/{body['reviews'][0]}", headers=auth(keys["legal"])).status_code == 404


@SQLITE_ONLY
def test_mixed_batch_scores_the_good_rows(served: TestClient, keys: dict[str, str]) -> None:
    items = [entry(1, "E-1", MONDAY), {**entry(2, "E-1", MONDAY), "hours": "NaN"}, entry(3, "E-2", MONDAY)]
    body = served.post(
        "/v1/anomaly/time-entries/score", json={"items": items}, headers=auth(keys["engine"])
    ).json()
    assert [r["id"] for r in body["results"]] == ["TE-1", "TE-3"]
    assert body["rejected"] == [
        {"row": 2, "errors": ["hours: NaN is not a number"], "id": "TE-2", "source": "items"}
    ]


@SQLITE_ONLY
def test_multipart_csv_upload(served: TestClient, keys: dict[str, str]) -> None:
    csv = pd.DataFrame([entry(1, "E-1", MONDAY), entry(2, "E-2", MONDAY)]).to_csv(index=False)
    response = served.post(
        "/v1/anomaly/time-entries/score",
        files={"file": ("entries.csv", csv.encode(), "text/csv")},
        headers=auth(keys["engine"]),
    )
    assert response.status_code == 200, response.text
    assert [r["id"] for r in response.json()["results"]] == ["TE-1", "TE-2"]


@SQLITE_ONLY
def test_flagged_burn_opens_a_delivery_review(served: TestClient, keys: dict[str, str]) -> None:
    context = context_dict()
    context["projects"][0]["not_to_exceed"] = 1000
    items = [entry(1, "E-1", MONDAY)]
    body = served.post(
        "/v1/anomaly/time-entries/score",
        json={"items": items, "context": context},
        headers=auth(keys["engine"]),
    ).json()
    routes = sorted(
        served.get(f"/v1/reviews/{rid}", headers=auth(keys["engine"])).json()["route"]
        for rid in body["reviews"]
    )
    assert "delivery" in routes
    delivery = [
        rid
        for rid in body["reviews"]
        if served.get(f"/v1/reviews/{rid}", headers=auth(keys["delivery"])).status_code == 200
    ]
    item = served.get(f"/v1/reviews/{delivery[0]}", headers=auth(keys["delivery"])).json()
    assert item["kind"] == "project_burn" and item["subject"] == {"type": "project", "id": "P-1"}


@SQLITE_ONLY
def test_idempotent_retry_replays_and_opens_nothing_new(served: TestClient, keys: dict[str, str]) -> None:
    payload = {"items": [entry(1, "E-1", MONDAY, bill_rate=300.0)]}
    headers = auth(keys["engine"], **{"Idempotency-Key": "score-1"})
    first = served.post("/v1/anomaly/time-entries/score", json=payload, headers=headers)
    again = served.post("/v1/anomaly/time-entries/score", json=payload, headers=headers)
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert again.json()["reviews"] == first.json()["reviews"]
    other = served.post(
        "/v1/anomaly/time-entries/score", json={"items": [entry(9, "E-1", MONDAY)]}, headers=headers
    )
    assert other.status_code == 422 and other.json()["type"] == PROBLEM + "idempotency-key-reused"


def test_invoices_json_scores_and_reviews(served: TestClient, keys: dict[str, str]) -> None:
    invoices, lines = invoice_rows(months=9)
    batch = copy.deepcopy([i for i in invoices if i["invoice_id"].startswith("I-8-")])
    ids = {i["invoice_id"] for i in batch}
    batch_lines = [x for x in lines if x["invoice_id"] in ids]
    batch[1]["total"] += 250.0
    response = served.post(
        "/v1/anomaly/invoices/score",
        json={"items": batch, "lines": batch_lines},
        headers=auth(keys["engine"]),
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert [r["id"] for r in body["results"]] == ["I-8-0", "I-8-1"]
    assert body["results"][1]["flagged"] and body["results"][1]["controls"][0]["rule"] == "total_mismatch"
    review = served.get(f"/v1/reviews/{body['reviews'][-1]}", headers=auth(keys["finance"])).json()
    assert review["kind"] == "invoice" and review["subject"]["id"] == "I-8-1"


@SQLITE_ONLY
def test_invoices_need_lines(served: TestClient, keys: dict[str, str]) -> None:
    invoices, _ = invoice_rows(months=1)
    response = served.post(
        "/v1/anomaly/invoices/score", json={"items": invoices}, headers=auth(keys["engine"])
    )
    assert response.status_code == 422
    assert response.json()["type"] == PROBLEM + "validation-error"


@SQLITE_ONLY
def test_without_a_model_the_answer_is_503(client: TestClient, keys: dict[str, str]) -> None:
    response = client.post(
        "/v1/anomaly/time-entries/score",
        json={"items": [entry(1, "E-1", MONDAY)]},
        headers=auth(keys["engine"]),
    )
    assert response.status_code == 503
    assert response.headers["content-type"].startswith("application/problem+json")


@SQLITE_ONLY
def test_reviewer_roles_may_not_submit(served: TestClient, keys: dict[str, str]) -> None:
    response = served.post(
        "/v1/anomaly/time-entries/score",
        json={"items": [entry(1, "E-1", MONDAY)]},
        headers=auth(keys["finance"]),
    )
    assert response.status_code == 403


HEADER = "entry_id,person_id,project_id,work_date,hours,billable\n"


@SQLITE_ONLY
@pytest.mark.parametrize(
    ("upload", "status", "slug"),
    [
        (b"entry_id,person_id\nTE-1,E-1\n", 422, "anomaly-missing-columns"),
        ((HEADER + 'TE-1,"E-1,P-1,2026-05-04,8,true\n').encode(), 422, "anomaly-malformed-input"),
        ((HEADER + "TE-1,Jos\xe9,P-1,2026-05-04,8,true\n").encode("latin-1"), 422, "anomaly-input-encoding"),
        (HEADER.encode(), 422, "anomaly-empty-batch"),
    ],
    ids=["missing-columns", "broken-quote", "wrong-encoding", "empty"],
)
def test_bad_uploads_get_their_problem_type(
    served: TestClient, keys: dict[str, str], upload: bytes, status: int, slug: str
) -> None:
    response = served.post(
        "/v1/anomaly/time-entries/score",
        files={"file": ("e.csv", upload, "text/csv")},
        headers=auth(keys["engine"]),
    )
    assert response.status_code == status, response.text
    assert response.json()["type"] == PROBLEM + slug
    assert "\n" not in response.json()["detail"]


@SQLITE_ONLY
def test_batch_over_the_limit_is_413(app: FastAPI, served: TestClient, keys: dict[str, str]) -> None:
    items = [entry(k, "E-1", MONDAY, hours=1.0) for k in range(4)]
    limit = app.state.settings.max_batch_items if hasattr(app.state, "settings") else None
    if limit is None:
        pytest.fail("the app keeps its settings on app.state.settings")
    app.state.settings = app.state.settings.model_copy(update={"max_batch_items": 3})
    response = served.post(
        "/v1/anomaly/time-entries/score", json={"items": items}, headers=auth(keys["engine"])
    )
    assert response.status_code == 413
    assert response.json()["type"] == PROBLEM + "anomaly-batch-too-large"


@SQLITE_ONLY
def test_invalid_context_is_a_problem(served: TestClient, keys: dict[str, str]) -> None:
    response = served.post(
        "/v1/anomaly/time-entries/score",
        json={"items": [entry(1, "E-1", MONDAY)], "context": {"projects": [{"rate_card": "x"}]}},
        headers=auth(keys["engine"]),
    )
    assert response.status_code == 422
    assert response.json()["type"] == PROBLEM + "anomaly-invalid-context"


def test_a_csv_row_with_a_nul_is_rejected_and_the_rest_scored(
    served: TestClient, keys: dict[str, str]
) -> None:
    # TE-2's rate is off the card, so it would open a review carrying the text: PostgreSQL cannot store NUL.
    rows = [entry(1, "E-1", MONDAY), entry(2, "E-1", MONDAY, bill_rate=190.0), entry(3, "E-2", MONDAY)]
    rows[1]["description"] = "design\x00 review"
    csv = pd.DataFrame(rows).to_csv(index=False)
    response = served.post(
        "/v1/anomaly/time-entries/score",
        files={"file": ("entries.csv", csv.encode(), "text/csv")},
        headers=auth(keys["engine"]),
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert [r["id"] for r in body["results"]] == ["TE-1", "TE-3"]
    assert body["rejected"] == [
        {
            "row": 2,
            "errors": ["description: contains the NUL character (U+0000)"],
            "id": "TE-2",
            "source": "items",
        }
    ]


def _review_count(served: TestClient, keys: dict[str, str]) -> int:
    return sum(
        len(served.get("/v1/reviews?limit=200", headers=auth(keys[route])).json()["items"])
        for route in ("finance", "delivery")
    )


@pytest.mark.parametrize(
    "upload",
    [
        (HEADER + "TE-1,E-1,P-1,2026-05-04,inf,true\nTE-2,E-1,P-1,2026-05-05,1e400,true\n").encode(),
        (HEADER + "TE-1,E-1,P-1,2026-05-04,8,true,surplus,cells\nTE-2,E-1\n").encode(),
        json.dumps([{**entry(1, "E-1", MONDAY), "hours": 10**40}]).encode(),
    ],
    ids=["infinite-hours", "ragged-rows", "huge-hours-json-file"],
)
def test_a_batch_whose_every_row_is_rejected_is_200_with_the_reasons(
    served: TestClient, keys: dict[str, str], upload: bytes
) -> None:
    # Before, scoring zero valid rows reached the forest, which refuses an empty matrix: a 500.
    name = "e.json" if upload.startswith(b"[") else "e.csv"
    response = served.post(
        "/v1/anomaly/time-entries/score",
        files={"file": (name, upload, "text/csv")},
        headers=auth(keys["engine"]),
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["results"] == []
    assert body["rejected"] and all(r["errors"] for r in body["rejected"])
    # The project's burn (from the model's history) may still be reviewed; no entry is.
    kinds = {
        served.get(f"/v1/reviews/{rid}", headers=auth(keys["delivery"])).json()["kind"]
        for rid in body["reviews"]
    }
    assert kinds <= {"project_burn"}


def test_a_csv_with_a_bom_and_crlf_scores_as_the_plain_csv(served: TestClient, keys: dict[str, str]) -> None:
    rows = [entry(1, "E-1", MONDAY), entry(2, "E-1", MONDAY + dt.timedelta(days=1), bill_rate=190.0)]
    plain = pd.DataFrame(rows).to_csv(index=False)
    scored = []
    for upload in (plain.encode(), ("\ufeff" + plain.replace("\n", "\r\n")).encode()):
        response = served.post(
            "/v1/anomaly/time-entries/score",
            files={"file": ("e.csv", upload, "text/csv")},
            headers=auth(keys["engine"]),
        )
        assert response.status_code == 200, response.text
        scored.append([(r["id"], r["risk"], r["flagged"]) for r in response.json()["results"]])
    assert scored[0] == scored[1] and [i for i, _, _ in scored[0]] == ["TE-1", "TE-2"]


def test_a_semicolon_separated_csv_scores_as_the_comma_one(served: TestClient, keys: dict[str, str]) -> None:
    # A European export (';'): ingest reads the separator off the header (228e6cb).
    frame = pd.DataFrame([entry(1, "E-1", MONDAY)])
    scored = []
    for upload in (frame.to_csv(index=False).encode(), frame.to_csv(index=False, sep=";").encode()):
        response = served.post(
            "/v1/anomaly/time-entries/score",
            files={"file": ("e.csv", upload, "text/csv")},
            headers=auth(keys["engine"]),
        )
        assert response.status_code == 200, response.text
        assert response.json()["rejected"] == []
        scored.append([(r["id"], r["risk"], r["flagged"]) for r in response.json()["results"]])
    assert scored[0] == scored[1] and [i for i, _, _ in scored[0]] == ["TE-1"]


def test_a_bad_body_is_answered_before_a_missing_model(client: TestClient, keys: dict[str, str]) -> None:
    # No model is loaded here: the caller's own mistake is named first, not a 503 it cannot fix.
    response = client.post(
        "/v1/anomaly/time-entries/score",
        content=b"entry_id,hours\n",
        headers=auth(keys["engine"], **{"Content-Type": "text/csv"}),
    )
    assert response.status_code == 415 and response.json()["type"] == PROBLEM + "unsupported-media-type"
    response = client.post("/v1/anomaly/invoices/score", json={"items": []}, headers=auth(keys["engine"]))
    assert response.status_code == 422 and response.json()["errors"][0]["loc"] == ["body", "lines"]


def test_a_flagged_entry_whose_id_is_too_long_to_review_is_422_and_opens_nothing(
    served: TestClient, keys: dict[str, str]
) -> None:
    # Before: a pydantic error inside open_review, a 500 on both databases.
    flagged = {**entry(2, "E-1", MONDAY, bill_rate=190.0), "entry_id": "TE-" + "7" * 300}
    response = served.post(
        "/v1/anomaly/time-entries/score",
        json={"items": [entry(1, "E-1", MONDAY), flagged]},
        headers=auth(keys["engine"]),
    )
    assert response.status_code == 422, response.text
    assert response.json()["type"] == PROBLEM + "identifier-too-long"
    assert _review_count(served, keys) == 0


@SQLITE_ONLY
def test_an_object_where_a_value_belongs_rejects_its_row(served: TestClient, keys: dict[str, str]) -> None:
    # Was a 500 (pandas cannot hash a dict); the OpenAPI negative run sent one as logged_at.
    items = [{**entry(1, "E-1", MONDAY), "logged_at": {"at": "18:00"}}, entry(2, "E-1", MONDAY)]
    path = "/v1/anomaly/time-entries/score"
    response = served.post(path, json={"items": items}, headers=auth(keys["engine"]))
    assert response.status_code == 200, response.text
    assert [r["id"] for r in response.json()["results"]] == ["TE-2"]
    (rejected,) = response.json()["rejected"]
    assert (rejected["row"], rejected["id"]) == (1, "TE-1")
    assert rejected["errors"] == ["logged_at: an object or a list, not one value"]
