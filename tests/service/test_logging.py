"""JSON request logs carry the request id that the response echoes."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from service.logging import JsonFormatter


@pytest.fixture
def http_log() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("handoff.http")
    previous_level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield stream
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous_level)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_each_request_logs_one_json_line_with_its_request_id(
    client: TestClient, http_log: io.StringIO
) -> None:
    response = client.get("/v1/reviews", headers={"X-Request-ID": "req-42"})
    assert response.headers["x-request-id"] == "req-42"
    lines = [json.loads(line) for line in http_log.getvalue().splitlines()]
    mine = [line for line in lines if line.get("request_id") == "req-42"]
    assert len(mine) == 1
    assert mine[0]["status"] == 401 and mine[0]["route"] == "/v1/reviews" and mine[0]["method"] == "GET"
    assert mine[0]["level"] == "info" and isinstance(mine[0]["duration_ms"], float)


def test_formatter_includes_exceptions_and_extra_fields() -> None:
    record = logging.LogRecord("handoff.x", logging.ERROR, __file__, 1, "failed %s", ("thing",), None)
    record.review_id = "rev_1"
    try:
        raise ValueError("bad")
    except ValueError:
        import sys

        record.exc_info = sys.exc_info()
    document = json.loads(JsonFormatter().format(record))
    assert document["msg"] == "failed thing" and document["review_id"] == "rev_1"
    assert "ValueError: bad" in document["exc"]
