"""The API client: retries reuse the idempotency key, problems become typed errors."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from service.client import HandoffAPIError, HandoffClient


def _client(handler, sleeps: list[float] | None = None, **kwargs) -> HandoffClient:
    recorded = sleeps if sleeps is not None else []
    return HandoffClient(
        "http://handoff.test",
        "hk_test",
        transport=httpx.MockTransport(handler),
        sleep=recorded.append,
        **kwargs,
    )


REVIEW: dict[str, Any] = {
    "kind": "manual",
    "route": "finance",
    "severity": "medium",
    "title": "Check INV-7",
    "finding": {"note": "disputed"},
    "subject": {"type": "invoice", "id": "INV-7"},
}


@pytest.mark.parametrize("failure", ["connect", "503"])
def test_client_create_retry_reuses_idempotency_key(failure: str) -> None:
    keys: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        keys.append(request.headers["Idempotency-Key"])
        if len(keys) == 1:
            if failure == "connect":
                raise httpx.ConnectError("refused", request=request)
            return httpx.Response(503, json={"type": "x", "title": "busy", "status": 503})
        return httpx.Response(201, json={"id": "rev_1", **json.loads(request.content)})

    created = _client(handler).create_review(**REVIEW)

    assert created["id"] == "rev_1"
    assert len(keys) == 2 and keys[0] == keys[1]


def test_client_honours_retry_after() -> None:
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        if len(calls) == 1:
            return httpx.Response(429, headers={"Retry-After": "7"}, json={"title": "slow down"})
        return httpx.Response(200, json={"items": [], "next_cursor": None})

    sleeps: list[float] = []
    page = _client(handler, sleeps).list_reviews(route="finance")

    assert page == {"items": [], "next_cursor": None}
    assert sleeps == [7.0]


def test_client_does_not_blindly_retry_a_decision() -> None:
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        raise httpx.ConnectError("refused", request=request)

    with pytest.raises(httpx.ConnectError):
        _client(handler).decide_review("rev_1", outcome="approved", reason="ok")
    assert len(calls) == 1


def test_client_raises_problem_details() -> None:
    problem = {
        "type": "https://handoff.dev/problems/review-already-decided",
        "title": "Already decided",
        "status": 409,
        "detail": "rev_1 was approved",
    }

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(409, json=problem, headers={"Content-Type": "application/problem+json"})

    with pytest.raises(HandoffAPIError) as caught:
        _client(handler).decide_review("rev_1", outcome="rejected", reason="no", if_match=2)
    assert caught.value.status == 409
    assert caught.value.type.endswith("review-already-decided")


def test_client_gives_up_after_max_retries() -> None:
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(503, json={"title": "down"})

    with pytest.raises(HandoffAPIError):
        _client(handler, max_retries=2).get_review("rev_1")
    assert len(calls) == 3


def test_client_iter_reviews_follows_cursors() -> None:
    pages = {
        None: {"items": [{"id": "a"}], "next_cursor": "c1"},
        "c1": {"items": [{"id": "b"}], "next_cursor": None},
    }

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=pages[request.url.params.get("cursor")])

    assert [item["id"] for item in _client(handler).iter_reviews(route="legal")] == ["a", "b"]


def test_a_nan_in_a_body_fails_before_anything_is_sent() -> None:
    # The service answers NaN with malformed-json; the client says so without a round trip.
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={"results": [], "rejected": [], "reviews": []})

    with pytest.raises(ValueError, match="JSON compliant"):
        _client(handler).score_time_entries([{"entry_id": "T-1", "hours": float("nan")}])
    assert sent == []
