"""Every error is problem+json with a stable type, changes nothing, and big bodies are refused early."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from service.app import create_app
from service.db.models import ReviewItemRow
from service.problems import ProblemError, register_problem
from service.settings import Settings

PROBLEM = "https://handoff.dev/problems/"
SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
pytestmark = SQLITE_ONLY

BODY: dict[str, Any] = {
    "kind": "manual",
    "route": "legal",
    "severity": "high",
    "title": "Auto-renewal",
    "finding": {},
    "subject": {"type": "sow", "id": "S-1"},
}


class LedgerClosedError(Exception):
    """A stand-in for a domain error that a router registers."""


class LedgerLockedError(LedgerClosedError):
    pass


register_problem(LedgerClosedError, 409, "ledger-closed", "Ledger closed")


def add_failing_routes(app: FastAPI) -> None:
    @app.get("/v1/test/boom")
    def boom() -> None:
        raise RuntimeError("secret internals /etc/passwd")

    @app.get("/v1/test/domain")
    def domain() -> None:
        raise LedgerLockedError("the March ledger is locked")

    @app.get("/v1/test/problem")
    def problem() -> None:
        raise ProblemError(503, "upstream-down", "Upstream down", "the rate card service did not answer")


@pytest.fixture
def failing_client(app: FastAPI) -> Iterator[TestClient]:
    add_failing_routes(app)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def assert_problem(response: Any, status: int, slug: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = dict(response.json())
    assert body["type"] == PROBLEM + slug
    assert body["status"] == status
    assert body["title"] and body["detail"]
    return body


def review_count(session_factory: sessionmaker[Session]) -> int:
    with session_factory() as db:
        return db.scalar(select(func.count()).select_from(ReviewItemRow)) or 0


def test_unhandled_error_is_500_problem_without_traceback(failing_client: TestClient) -> None:
    response = failing_client.get("/v1/test/boom")
    body = assert_problem(response, 500, "internal-error")
    assert "secret internals" not in response.text and "Traceback" not in response.text
    assert "x-request-id" in response.headers
    assert body["instance"] == "/v1/test/boom"


def test_registered_domain_error_maps_by_its_class_tree(failing_client: TestClient) -> None:
    body = assert_problem(failing_client.get("/v1/test/domain"), 409, "ledger-closed")
    assert body["detail"] == "the March ledger is locked"


def test_problem_error_carries_its_own_type(failing_client: TestClient) -> None:
    assert_problem(failing_client.get("/v1/test/problem"), 503, "upstream-down")


def test_unknown_path_is_404_problem(client: TestClient) -> None:
    assert_problem(client.get("/v1/nothing-here"), 404, "not-found")


def test_wrong_method_is_405_problem(client: TestClient) -> None:
    response = client.put("/v1/reviews", json={})
    assert_problem(response, 405, "method-not-allowed")
    assert "GET" in response.headers["allow"]


def test_malformed_json_is_400_problem_and_stores_nothing(
    client: TestClient, make_api_key: Any, session_factory: sessionmaker[Session]
) -> None:
    response = client.post(
        "/v1/reviews",
        content=b'{"kind": "manual",',
        headers={"Authorization": f"Bearer {make_api_key('engine')}", "Content-Type": "application/json"},
    )
    assert_problem(response, 400, "malformed-json")
    assert review_count(session_factory) == 0


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/xml", "multipart/form-data; boundary=x", None]
)
def test_wrong_content_type_is_415_and_stores_nothing(
    client: TestClient, make_api_key: Any, session_factory: sessionmaker[Session], content_type: str | None
) -> None:
    headers = {"Authorization": f"Bearer {make_api_key('engine')}"}
    if content_type:
        headers["Content-Type"] = content_type
    response = client.post("/v1/reviews", content=b'{"kind": "manual"}', headers=headers)
    assert_problem(response, 415, "unsupported-media-type")
    assert review_count(session_factory) == 0


def test_json_with_charset_and_vendor_suffix_are_accepted(client: TestClient, make_api_key: Any) -> None:
    import json

    key = make_api_key("engine")
    for content_type in ("application/json; charset=utf-8", "application/problem+json"):
        response = client.post(
            "/v1/reviews",
            content=json.dumps(BODY).encode(),
            headers={"Authorization": f"Bearer {key}", "Content-Type": content_type},
        )
        assert response.status_code == 201, response.text


def test_wrong_types_and_unknown_enums_name_each_field(client: TestClient, make_api_key: Any) -> None:
    response = client.post(
        "/v1/reviews",
        json={**BODY, "severity": "apocalyptic", "title": 5, "finding": [1]},
        headers={"Authorization": f"Bearer {make_api_key('engine')}"},
    )
    body = assert_problem(response, 422, "validation-error")
    fields = {tuple(error["loc"]) for error in body["errors"]}
    assert {("body", "severity"), ("body", "title"), ("body", "finding")} <= fields
    assert all(error["msg"] for error in body["errors"])


def test_request_id_is_echoed_or_made(client: TestClient) -> None:
    echoed = client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert echoed.headers["x-request-id"] == "abc-123"
    made = client.get("/healthz", headers={"X-Request-ID": "bad id with spaces\x01"})
    assert (
        made.headers["x-request-id"] != "bad id with spaces\x01" and len(made.headers["x-request-id"]) == 32
    )
    assert client.get("/v1/nope").headers["x-request-id"]


def test_declared_body_over_the_limit_is_413(
    tmp_path: Any, settings: Settings, make_api_key: Any, session_factory: sessionmaker[Session]
) -> None:
    small = settings.model_copy(update={"max_body_bytes": 1000})
    with TestClient(create_app(small), raise_server_exceptions=False) as client:
        response = client.post(
            "/v1/reviews",
            json={**BODY, "finding": {"blob": "x" * 2000}},
            headers={"Authorization": f"Bearer {make_api_key('engine')}"},
        )
    body = assert_problem(response, 413, "request-too-large")
    assert body["max_body_bytes"] == 1000
    assert review_count(session_factory) == 0


# --- 413 before the body is read: a real server and a raw socket --------------------------------


@pytest.fixture
def live_server(settings: Settings) -> Iterator[tuple[str, int]]:
    small = settings.model_copy(update={"max_body_bytes": 1000})
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(small), host="127.0.0.1", port=port, log_config=None, lifespan="on")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("test server did not start")
        time.sleep(0.02)
    try:
        yield "127.0.0.1", port
    finally:
        server.should_exit = True
        thread.join(10)


def read_status(sock: socket.socket) -> int:
    sock.settimeout(10)
    data = b""
    while b"\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return int(data.split(b" ", 2)[1])


def test_huge_content_length_is_refused_without_sending_the_body(live_server: tuple[str, int]) -> None:
    with socket.create_connection(live_server) as sock:
        sock.sendall(
            b"POST /v1/reviews HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 10000000000\r\n\r\n"
        )
        # Not one byte of the announced 10 GB is sent: the answer must come anyway.
        assert read_status(sock) == 413


def test_chunked_body_is_cut_off_once_it_passes_the_limit(
    live_server: tuple[str, int], make_api_key: Any
) -> None:
    key = make_api_key("engine")
    with socket.create_connection(live_server) as sock:
        sock.sendall(
            b"POST /v1/reviews HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + f"Authorization: Bearer {key}\r\n".encode()
            + b"Transfer-Encoding: chunked\r\n\r\n"
        )
        chunk = b"x" * 600
        for _ in range(3):  # 1800 bytes: over the 1000-byte limit, and the body never ends
            sock.sendall(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
        assert read_status(sock) == 413


def test_unreachable_database_is_503_without_driver_details(app: FastAPI, make_api_key: Any) -> None:
    from service.db.session import make_engine, make_session_factory

    key = make_api_key("engine")
    with TestClient(app, raise_server_exceptions=False) as client:
        app.state.session_factory = make_session_factory(
            make_engine("sqlite:////nonexistent-dir/x/handoff.db")
        )
        response = client.get("/v1/reviews", headers={"Authorization": f"Bearer {key}"})
    body = assert_problem(response, 503, "database-unavailable")
    assert response.headers["retry-after"] == "1"
    assert "SELECT" not in body["detail"] and "sqlite" not in response.text.lower()
