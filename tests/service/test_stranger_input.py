"""What a client who never read our code sends: each answer is a specific problem and stores nothing.

Every endpoint that takes a body is sent bodies that are not strict JSON
(NaN, Infinity, out-of-range numbers, invalid UTF-8, lone surrogates, deep
nesting, 5000-digit integers), the wrong media type, unknown fields and
broken multipart uploads. Each must be the one problem type the docs name for
it, and no row may appear in any table, an idempotency record included.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from service.db.models import (
    DocumentRow,
    ExtractionRow,
    IdempotencyKeyRow,
    OutboxEventRow,
    PersonRow,
    ReviewEventRow,
    ReviewItemRow,
    WebhookRow,
)
from tests.staffing_recs.conftest import make_person, make_request

PROBLEM = "https://handoff.dev/problems/"
TABLES = (
    ReviewItemRow,
    ReviewEventRow,
    ExtractionRow,
    DocumentRow,
    PersonRow,
    WebhookRow,
    OutboxEventRow,
    IdempotencyKeyRow,
)

# (method, path) of every JSON-reading endpoint; the decision path is filled in per test.
JSON_ENDPOINTS = [
    ("POST", "/v1/reviews"),
    ("POST", "/v1/reviews/{review_id}/decision"),
    ("POST", "/v1/webhooks"),
    ("POST", "/v1/sow/extractions"),
    ("POST", "/v1/anomaly/time-entries/score"),
    ("POST", "/v1/anomaly/invoices/score"),
    ("POST", "/v1/staffing/recommendations"),
    ("POST", "/v1/staffing/teams"),
    ("PUT", "/v1/staffing/people"),
]

# Each body is otherwise plausible, so the only fault is the one named; the second item is a
# word the problem's detail must contain.
NOT_STRICT_JSON: dict[str, tuple[bytes, str]] = {
    "nan": (b'{"items": [{"entry_id": "T-1", "hours": NaN}], "text": "SOW", "outcome": "approved"}', "NaN"),
    "infinity": (b'{"request": {"hours_per_week": Infinity}, "finding": {"x": 1}}', "Infinity"),
    "minus-infinity": (b'[{"person_id": "E-1", "cost_rate": -Infinity}]', "Infinity"),
    "float-overflow": (b'{"finding": {"total": 1e400}, "items": [], "top": 1E+999}', "out of range"),
    "invalid-utf8": (b'{"title": "caf\xe9", "text": "caf\xe9"}', "UTF-8"),
    "lone-surrogate": (b'{"title": "ok \\ud800", "text": "SOW \\udfff", "items": ["\\ud83d"]}', "surrogate"),
    "lone-surrogate-key": (b'{"finding": {"\\udc00": 1}, "items": [{"\\ud800x": 1}]}', "surrogate"),
    "deep-nesting": (b'{"finding": ' + b"[" * 50_000 + b"]" * 50_000 + b"}", "nested"),
    # The NUL check reads the body before the routes that parse their own: it must not be a 500.
    "deep-nesting-with-nul": (
        b'{"title": "x\\u0000", "finding": ' + b"[" * 50_000 + b"]" * 50_000 + b"}",
        "nested",
    ),
    "huge-integer": (b'{"top": ' + b"7" * 5000 + b"}", "digits"),
    "trailing-garbage": (b'{"text": "SOW"} {"text": "again"}', "Extra data"),
    "truncated": (b'{"text": "SOW', "Unterminated"),
}


def auth(key: str, **extra: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}", **extra}


def row_counts(session_factory: sessionmaker[Session]) -> dict[str, int]:
    with session_factory() as db:
        return {t.__tablename__: db.scalar(select(func.count()).select_from(t)) or 0 for t in TABLES}


def assert_problem(response: Any, status: int, slug: str) -> dict[str, Any]:
    assert response.status_code == status, (response.request.url.path, response.text[:400])
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["type"] == PROBLEM + slug, body
    assert body["status"] == status and body["title"] and body["detail"]
    return dict(body)


@pytest.fixture
def keys(make_api_key: Callable[..., str]) -> dict[str, str]:
    return {role: make_api_key(role) for role in ("engine", "admin", "finance")}


@pytest.fixture
def pending_review(client: TestClient, keys: dict[str, str]) -> str:
    item = {
        "kind": "manual",
        "route": "finance",
        "severity": "low",
        "title": "Client disputes line 3",
        "finding": {"line": 3},
        "subject": {"type": "invoice", "id": "INV-3"},
    }
    response = client.post("/v1/reviews", json=item, headers=auth(keys["engine"]))
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def _role_for(path: str) -> str:
    return "finance" if path.endswith("/decision") else "engine"


@pytest.mark.parametrize("fault", sorted(NOT_STRICT_JSON))
def test_a_body_that_is_not_strict_json_is_400_on_every_endpoint_and_stores_nothing(
    client: TestClient,
    keys: dict[str, str],
    pending_review: str,
    session_factory: sessionmaker[Session],
    fault: str,
) -> None:
    raw, reason = NOT_STRICT_JSON[fault]
    before = row_counts(session_factory)
    for number, (method, path) in enumerate(JSON_ENDPOINTS):
        response = client.request(
            method,
            path.format(review_id=pending_review),
            content=raw,
            headers=auth(
                keys[_role_for(path)],
                **{"Content-Type": "application/json", "Idempotency-Key": f"{fault}-{number}"},
            ),
        )
        body = assert_problem(response, 400, "malformed-json")
        assert reason in body["detail"], (path, body["detail"])
    assert row_counts(session_factory) == before
    item = client.get(f"/v1/reviews/{pending_review}", headers=auth(keys["finance"])).json()
    assert item["status"] == "pending" and item["version"] == 1


@pytest.mark.parametrize("content_type", ["text/plain", "text/csv", "application/xml", None])
def test_a_wrong_media_type_is_415_on_every_body_endpoint(
    client: TestClient,
    keys: dict[str, str],
    pending_review: str,
    session_factory: sessionmaker[Session],
    content_type: str | None,
) -> None:
    before = row_counts(session_factory)
    for method, path in JSON_ENDPOINTS:
        headers = auth(keys[_role_for(path)])
        if content_type:
            headers["Content-Type"] = content_type
        response = client.request(
            method, path.format(review_id=pending_review), content=b'{"text": "x"}', headers=headers
        )
        assert_problem(response, 415, "unsupported-media-type")
    assert row_counts(session_factory) == before


def test_unknown_fields_are_named_on_the_routes_that_read_their_own_body(
    client: TestClient, keys: dict[str, str], session_factory: sessionmaker[Session]
) -> None:
    before = row_counts(session_factory)
    cases: list[tuple[str, dict[str, Any]]] = [
        ("/v1/sow/extractions", {"text": "Statement of Work", "filename": "sow.pdf"}),
        ("/v1/anomaly/time-entries/score", {"items": [], "contexts": {}}),
        ("/v1/anomaly/invoices/score", {"items": [], "lines": [], "invoice_lines": []}),
    ]
    for path, body in cases:
        problem = assert_problem(
            client.post(path, json=body, headers=auth(keys["engine"])), 422, "validation-error"
        )
        named = [error["loc"] for error in problem["errors"]]
        assert named == [["body", key] for key in sorted(set(body) - {"text", "items", "lines"})]
    assert row_counts(session_factory) == before


@pytest.mark.parametrize(
    "body", [[{"text": "SOW"}], "SOW", 42, None], ids=["array", "string", "number", "null"]
)
def test_json_that_is_not_an_object_is_422_naming_the_body(
    client: TestClient, keys: dict[str, str], session_factory: sessionmaker[Session], body: Any
) -> None:
    before = row_counts(session_factory)
    for method, path in JSON_ENDPOINTS:
        if path.endswith("/decision") or path.endswith("/people"):
            continue  # a decision needs an item; people take a list
        response = client.request(
            method,
            path,
            content=json.dumps(body).encode(),
            headers=auth(keys["engine"], **{"Content-Type": "application/json"}),
        )
        problem = assert_problem(response, 422, "validation-error")
        assert problem["errors"][0]["loc"][0] == "body", (path, problem)
    assert row_counts(session_factory) == before


def test_a_megabyte_string_is_refused_where_the_field_has_a_bound(
    client: TestClient, keys: dict[str, str], session_factory: sessionmaker[Session]
) -> None:
    before = row_counts(session_factory)
    megabyte = "x" * 1_000_000
    item = {
        "kind": "manual",
        "route": "finance",
        "severity": "low",
        "title": megabyte,
        "finding": {},
        "subject": {"type": "invoice", "id": "INV-1"},
    }
    problem = assert_problem(
        client.post("/v1/reviews", json=item, headers=auth(keys["engine"])), 422, "validation-error"
    )
    assert problem["errors"][0]["loc"] == ["body", "title"]
    hook = {"url": "https://hooks.example.com/" + megabyte, "events": ["review.created"]}
    assert_problem(
        client.post("/v1/webhooks", json=hook, headers=auth(keys["engine"])), 422, "validation-error"
    )
    assert row_counts(session_factory) == before


# --- multipart ------------------------------------------------------------------------------------

UPLOAD_ENDPOINTS = ["/v1/sow/extractions", "/v1/anomaly/time-entries/score", "/v1/anomaly/invoices/score"]
ENTRIES_CSV = b"entry_id,person_id,project_id,work_date,hours,billable\nT-1,E-1,P-1,2026-05-04,8,true\n"


@pytest.mark.parametrize("path", UPLOAD_ENDPOINTS)
def test_a_multipart_upload_without_a_file_part_is_422(
    client: TestClient, keys: dict[str, str], session_factory: sessionmaker[Session], path: str
) -> None:
    before = row_counts(session_factory)
    response = client.post(
        path,
        files={"document": ("sow.txt", b"Statement of Work", "text/plain")},
        headers=auth(keys["engine"]),
    )
    problem = assert_problem(response, 422, "validation-error")
    assert problem["errors"][0]["loc"] == ["body", "file"]
    assert row_counts(session_factory) == before


@pytest.mark.parametrize("path", UPLOAD_ENDPOINTS)
def test_two_file_parts_are_422_rather_than_one_of_them_silently(
    client: TestClient, keys: dict[str, str], session_factory: sessionmaker[Session], path: str
) -> None:
    before = row_counts(session_factory)
    response = client.post(
        path,
        files=[("file", ("a.csv", ENTRIES_CSV, "text/csv")), ("file", ("b.csv", ENTRIES_CSV, "text/csv"))],
        headers=auth(keys["engine"]),
    )
    problem = assert_problem(response, 422, "validation-error")
    assert "2 `file` parts" in problem["detail"]
    assert row_counts(session_factory) == before


def test_an_empty_file_is_the_empty_document_problem(
    client: TestClient, keys: dict[str, str], session_factory: sessionmaker[Session]
) -> None:
    before = row_counts(session_factory)
    response = client.post(
        "/v1/sow/extractions",
        files={"file": ("sow.pdf", b"", "application/pdf")},
        headers=auth(keys["engine"]),
    )
    assert_problem(response, 422, "empty-document")
    assert row_counts(session_factory) == before


@pytest.mark.parametrize("path", UPLOAD_ENDPOINTS)
def test_a_multipart_body_that_does_not_parse_is_400_malformed_multipart(
    client: TestClient, keys: dict[str, str], session_factory: sessionmaker[Session], path: str
) -> None:
    before = row_counts(session_factory)
    response = client.post(
        path, content=b"file=sow.txt", headers=auth(keys["engine"], **{"Content-Type": "multipart/form-data"})
    )
    problem = assert_problem(response, 400, "malformed-multipart")
    assert "boundary" in problem["detail"]
    assert row_counts(session_factory) == before


@pytest.mark.parametrize(
    "sent, stored",
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("C:\\Users\\ana\\Desktop\\sow.txt", "sow.txt"),
        ("reports/2026/sow.txt", "sow.txt"),
        ("../", None),
    ],
)
def test_a_filename_keeps_only_its_last_segment(
    client: TestClient, keys: dict[str, str], sent: str, stored: str | None
) -> None:
    text = b"Statement of Work between Acme Ltd and Northwind. Fees are payable monthly in arrears."
    response = client.post(
        "/v1/sow/extractions", files={"file": (sent, text, "text/plain")}, headers=auth(keys["engine"])
    )
    assert response.status_code == 201, response.text
    assert response.json()["result"]["document"]["filename"] == stored


# --- staffing: "ASAP" over HTTP and the command line -----------------------------------------------


# The day the service takes for "today" in these tests: a Friday, so that a request dated one
# working day early or late meets other bookings (need and free hours are summed per calendar week).
ASAP_DAY = dt.date(2026, 3, 6)


def _booking(first: dt.date, last: dt.date) -> dict[str, Any]:
    return {
        "project_id": "P-1",
        "start_date": first.isoformat(),
        "end_date": last.isoformat(),
        "hours_per_week": 40,
    }


def _booked_around(day: dt.date) -> list[dict[str, Any]]:
    """E-1 is fully booked until ``day``, E-3 until the working day before it, E-2 is free: a
    3-week request from ``day`` excludes E-1 only; dated a day early it excludes E-3 as well, and
    dated any later it excludes nobody."""
    assert day.weekday() == 4, "a Friday: the day before is a working day, the day after is not"
    return [
        make_person("E-1", allocations=[_booking(day - dt.timedelta(weeks=4), day)]).model_dump(mode="json"),
        make_person("E-2").model_dump(mode="json"),
        make_person(
            "E-3", allocations=[_booking(day - dt.timedelta(weeks=4), day - dt.timedelta(days=1))]
        ).model_dump(mode="json"),
    ]


def _asap_request(request_id: str, **fields: Any) -> dict[str, Any]:
    request = make_request(request_id).model_dump(mode="json")
    del request["start_date"], request["end_date"]
    return {**request, "start": "ASAP", "duration": "3 weeks", **fields}


@pytest.fixture
def asap_day(monkeypatch: pytest.MonkeyPatch) -> dt.date:
    """Today, for the API and the CLI, is ASAP_DAY (UTC)."""
    import service.api.staffing as staffing_api
    import service.request_day as request_day

    monkeypatch.setattr(staffing_api, "today_utc", lambda: ASAP_DAY)
    monkeypatch.setattr(request_day, "today_utc", lambda: ASAP_DAY)
    return ASAP_DAY


def test_asap_over_http_starts_on_the_day_of_the_request(
    client: TestClient, keys: dict[str, str], asap_day: dt.date
) -> None:
    people = _booked_around(asap_day)
    response = client.post(
        "/v1/staffing/recommendations",
        json={"request": _asap_request("R-ASAP"), "people": people},
        headers=auth(keys["engine"]),
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert sorted(c["person_id"] for c in body["candidates"]) == ["E-2", "E-3"]
    assert [e["person_id"] for e in body["excluded"]] == ["E-1"]

    # A request that says when it was made keeps its own day: the day before, E-3 is booked too.
    before = (asap_day - dt.timedelta(days=1)).isoformat()
    response = client.post(
        "/v1/staffing/recommendations",
        json={"request": _asap_request("R-EARLIER", requested_on=before), "people": people},
        headers=auth(keys["engine"]),
    )
    assert response.status_code == 200, response.text
    assert [c["person_id"] for c in response.json()["candidates"]] == ["E-2"]


def _eligible(team: dict[str, Any], request_id: str) -> list[str]:
    """Everyone a team answer found eligible for a role: the one assigned and its fallbacks."""
    assigned = [a["person_id"] for a in team["assignments"] if a["request_id"] == request_id]
    (fallback,) = [f["person_ids"] for f in team["fallbacks"] if f["request_id"] == request_id]
    return sorted(assigned + fallback)


def test_asap_in_a_team_request_over_http(
    client: TestClient, keys: dict[str, str], asap_day: dt.date
) -> None:
    body = {
        "requests": [_asap_request("R-1"), _asap_request("R-2")],
        "people": _booked_around(asap_day),
    }
    response = client.post("/v1/staffing/teams", json=body, headers=auth(keys["engine"]))
    assert response.status_code == 200, response.text
    assert _eligible(response.json(), "R-1") == _eligible(response.json(), "R-2") == ["E-2", "E-3"]


def test_asap_on_the_command_line(tmp_path: Any, monkeypatch: pytest.MonkeyPatch, asap_day: dt.date) -> None:
    from typer.testing import CliRunner

    from service.cli import app

    monkeypatch.setenv("HANDOFF_HOME", str(tmp_path / "home"))
    (tmp_path / "people.json").write_text(json.dumps(_booked_around(asap_day)))
    (tmp_path / "role.json").write_text(json.dumps(_asap_request("R-1")))
    team = {"start": "ASAP", "duration": "3 weeks", "roles": [_asap_request("R-2")]}
    (tmp_path / "team.json").write_text(json.dumps(team))
    people = ["--people", str(tmp_path / "people.json"), "--format", "json"]

    staffed = CliRunner().invoke(app, ["staff", "--request", str(tmp_path / "role.json"), *people])
    assert staffed.exit_code == 0, staffed.output
    assert sorted(c["person_id"] for c in json.loads(staffed.stdout)["candidates"]) == ["E-2", "E-3"]

    teamed = CliRunner().invoke(app, ["staff-team", "--requests", str(tmp_path / "team.json"), *people])
    assert teamed.exit_code == 0, teamed.output
    assert _eligible(json.loads(teamed.stdout), "R-2") == ["E-2", "E-3"]


# --- small gaps a stranger meets first ------------------------------------------------------------


def test_the_listing_url_as_the_contract_writes_it_lists_everything(
    client: TestClient, keys: dict[str, str], pending_review: str
) -> None:
    # contracts/api.md: GET /v1/reviews?route=&status=&kind=&rule=&subject_id=&limit=&cursor=
    url = "/v1/reviews?route=&status=&kind=&rule=&subject_id=&limit=&cursor="
    response = client.get(url, headers=auth(keys["admin"]))
    assert response.status_code == 200, response.text
    assert [item["id"] for item in response.json()["items"]] == [pending_review]
    filtered = client.get("/v1/reviews?route=legal&status=", headers=auth(keys["admin"]))
    assert filtered.status_code == 200 and filtered.json()["items"] == []
    assert_problem(client.get("/v1/reviews?route=hr", headers=auth(keys["admin"])), 422, "validation-error")


def test_a_blank_title_is_422(
    client: TestClient, keys: dict[str, str], session_factory: sessionmaker[Session]
) -> None:
    before = row_counts(session_factory)
    item = {
        "kind": "manual",
        "route": "finance",
        "severity": "low",
        "title": " \t ",
        "finding": {},
        "subject": {"type": "invoice", "id": "INV-2"},
    }
    problem = assert_problem(
        client.post("/v1/reviews", json=item, headers=auth(keys["engine"])), 422, "validation-error"
    )
    assert problem["errors"][0]["loc"] == ["body", "title"]
    assert row_counts(session_factory) == before


def test_health_probes_answer_head(client: TestClient) -> None:
    assert client.head("/healthz").status_code == 200
    # No model is loaded in this app: HEAD says not ready as GET does.
    assert client.head("/readyz").status_code == client.get("/readyz").status_code == 503


@pytest.mark.parametrize(
    "body, named",
    [([1, 2], "people[0] must be an object"), ("Dana Ruiz", "got str"), ({"staff": 3}, "got dict")],
    ids=["list-of-numbers", "string", "object-without-people"],
)
def test_a_people_upload_of_the_wrong_shape_names_it_in_our_words(
    client: TestClient, keys: dict[str, str], session_factory: sessionmaker[Session], body: Any, named: str
) -> None:
    before = row_counts(session_factory)
    response = client.put("/v1/staffing/people", json=body, headers=auth(keys["engine"]))
    problem = assert_problem(response, 422, "invalid-people")
    assert named in problem["detail"] and "list[dict" not in problem["detail"]
    assert row_counts(session_factory) == before


# --- identifiers longer than the store keeps -------------------------------------------------------

LONG_ID = "R-" + "9" * 300


def test_a_person_id_longer_than_the_directory_keeps_is_422(
    client: TestClient, keys: dict[str, str], session_factory: sessionmaker[Session]
) -> None:
    before = row_counts(session_factory)
    person = make_person(LONG_ID).model_dump(mode="json")
    response = client.put("/v1/staffing/people", json=[person], headers=auth(keys["engine"]))
    problem = assert_problem(response, 422, "invalid-people")
    assert "200 characters" in problem["detail"]
    assert row_counts(session_factory) == before


def test_a_flag_on_a_request_id_longer_than_a_review_subject_is_422(
    client: TestClient, keys: dict[str, str], session_factory: sessionmaker[Session]
) -> None:
    # A margin below policy opens a review whose subject is the request id: 300 characters do not fit.
    before = row_counts(session_factory)
    body = {
        "request": make_request(LONG_ID, bill_rate=200).model_dump(mode="json"),
        "people": [make_person("E-1", cost_rate=150).model_dump(mode="json")],
    }
    response = client.post("/v1/staffing/recommendations", json=body, headers=auth(keys["engine"]))
    problem = assert_problem(response, 422, "identifier-too-long")
    assert "200 characters" in problem["detail"]
    assert row_counts(session_factory) == before
