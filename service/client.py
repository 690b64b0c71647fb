"""A typed client for the Handoff REST API, for workflow engines written in Python.

Every creating call carries an ``Idempotency-Key``; a retry after a connection
error, a 5xx or a 429 reuses the same key, so the server creates nothing twice.
Errors come back as :class:`HandoffAPIError` carrying the problem details.

>>> client = HandoffClient("http://127.0.0.1:8000", api_key="hk_...")  # doctest: +SKIP
>>> item = client.create_review(kind="manual", route="finance", severity="medium",
...     title="Check invoice INV-7", finding={}, subject={"type": "invoice", "id": "INV-7"})  # doctest: +SKIP
>>> client.decide_review(item["id"], outcome="approved", reason="ok")  # doctest: +SKIP
"""

from __future__ import annotations

import json
import random
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal

import httpx

Outcome = Literal["approved", "rejected", "overridden"]
JSON = dict[str, Any]

_RETRYABLE_STATUS = frozenset({429, 502, 503, 504})


class HandoffAPIError(Exception):
    """The API answered with a problem (RFC 9457) or an unexpected status."""

    def __init__(self, status: int, problem: Mapping[str, Any]) -> None:
        self.status = status
        self.problem = dict(problem)
        self.type: str = str(problem.get("type", "about:blank"))
        self.title: str = str(problem.get("title", ""))
        self.detail: str = str(problem.get("detail", ""))
        super().__init__(f"{status} {self.title}: {self.detail}".strip())


class HandoffClient:
    """Calls the Handoff API with one API key.

    Parameters
    ----------
    base_url:
        Where ``handoff serve`` listens, e.g. ``http://127.0.0.1:8000``.
    api_key:
        A key from ``handoff keys create``; its role decides what the calls may do.
    transport:
        An httpx transport, injectable so tests need no network.
    max_retries:
        How many times a retryable failure is tried again (connection errors,
        429, 502-504), with exponential backoff and jitter; ``Retry-After`` is honoured.
    """

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        transport: httpx.BaseTransport | None = None,
        timeout: float = 60.0,
        max_retries: int = 4,
        backoff_seconds: float = 0.25,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._http = httpx.Client(
            base_url=base_url.rstrip("/"),
            headers={"Authorization": f"Bearer {api_key}", "User-Agent": "handoff-client/1"},
            timeout=timeout,
            transport=transport,
        )
        self._max_retries = max_retries
        self._backoff_seconds = backoff_seconds
        self._sleep = sleep

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> HandoffClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- transport -------------------------------------------------------

    def _request(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        params: Mapping[str, Any] | None = None,
        files: Any = None,
        data: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        idempotent_create: bool = False,
        idempotency_key: str | None = None,
    ) -> httpx.Response:
        request_headers = dict(headers or {})
        if idempotent_create:
            request_headers["Idempotency-Key"] = idempotency_key or str(uuid.uuid4())
        clean_params = {k: v for k, v in (params or {}).items() if v is not None}
        attempt = 0
        while True:
            try:
                response = self._http.request(
                    method,
                    path,
                    json=json_body,
                    params=clean_params,
                    files=files,
                    data=data,
                    headers=request_headers,
                )
            except httpx.TransportError:
                # Only safe to retry blindly when the call is a read or carries an idempotency key.
                if attempt >= self._max_retries or (method != "GET" and not idempotent_create):
                    raise
                self._sleep(self._delay(attempt, None))
                attempt += 1
                continue
            retryable = response.status_code in _RETRYABLE_STATUS
            if retryable and attempt < self._max_retries and (method == "GET" or idempotent_create):
                self._sleep(self._delay(attempt, response.headers.get("Retry-After")))
                attempt += 1
                continue
            if response.status_code >= 400:
                raise HandoffAPIError(response.status_code, _problem_of(response))
            return response

    def _delay(self, attempt: int, retry_after: str | None) -> float:
        if retry_after is not None:
            try:
                return max(0.0, float(retry_after))
            except ValueError:
                pass
        ceiling = self._backoff_seconds * (2**attempt)
        return random.uniform(ceiling / 2, ceiling)

    def _json(self, *args: Any, **kwargs: Any) -> Any:
        return self._request(*args, **kwargs).json()

    # -- review queue ----------------------------------------------------

    def create_review(
        self,
        *,
        kind: str,
        route: str,
        severity: str,
        title: str,
        finding: Mapping[str, Any],
        subject: Mapping[str, Any],
        idempotency_key: str | None = None,
    ) -> JSON:
        body = {
            "kind": kind,
            "route": route,
            "severity": severity,
            "title": title,
            "finding": dict(finding),
            "subject": dict(subject),
        }
        return self._json(
            "POST", "/v1/reviews", json_body=body, idempotent_create=True, idempotency_key=idempotency_key
        )

    def get_review(self, review_id: str) -> JSON:
        return self._json("GET", f"/v1/reviews/{review_id}")

    def list_reviews(self, **filters: Any) -> JSON:
        """One page: ``{"items": [...], "next_cursor": ...}``; filters as in the API."""
        return self._json("GET", "/v1/reviews", params=filters)

    def iter_reviews(self, **filters: Any) -> list[JSON]:
        items: list[JSON] = []
        cursor: str | None = None
        while True:
            page = self.list_reviews(**filters, cursor=cursor)
            items.extend(page["items"])
            cursor = page.get("next_cursor")
            if not cursor:
                return items

    def decide_review(
        self,
        review_id: str,
        *,
        outcome: Outcome,
        reason: str | None = None,
        corrections: Mapping[str, Any] | None = None,
        if_match: int | None = None,
    ) -> JSON:
        body: JSON = {
            "outcome": outcome,
            "reason": reason,
            "corrections": dict(corrections) if corrections is not None else None,
        }
        headers = {"If-Match": str(if_match)} if if_match is not None else None
        return self._json("POST", f"/v1/reviews/{review_id}/decision", json_body=body, headers=headers)

    def review_events(self, review_id: str) -> list[JSON]:
        events = self._json("GET", f"/v1/reviews/{review_id}/events")
        return list(events["items"] if isinstance(events, dict) else events)

    # -- webhooks --------------------------------------------------------

    def create_webhook(self, url: str, events: list[str], *, idempotency_key: str | None = None) -> JSON:
        return self._json(
            "POST",
            "/v1/webhooks",
            json_body={"url": url, "events": events},
            idempotent_create=True,
            idempotency_key=idempotency_key,
        )

    def list_webhooks(self) -> Any:
        return self._json("GET", "/v1/webhooks")

    def delete_webhook(self, webhook_id: str) -> None:
        self._request("DELETE", f"/v1/webhooks/{webhook_id}")

    def webhook_deliveries(self, webhook_id: str) -> Any:
        return self._json("GET", f"/v1/webhooks/{webhook_id}/deliveries")

    # -- domains ---------------------------------------------------------

    def submit_extraction(
        self,
        *,
        content: bytes | None = None,
        filename: str = "sow.pdf",
        media_type: str | None = None,
        text: str | None = None,
        backend: str = "local",
        idempotency_key: str | None = None,
    ) -> JSON:
        """Upload a SOW file (``content``) or plain ``text``; returns ``{"id", "result", "reviews"}``."""
        if (content is None) == (text is None):
            raise ValueError("give exactly one of content or text")
        params = {"backend": backend}
        if text is not None:
            return self._json(
                "POST",
                "/v1/sow/extractions",
                json_body={"text": text},
                params=params,
                idempotent_create=True,
                idempotency_key=idempotency_key,
            )
        files = {"file": (filename, content, media_type or "application/octet-stream")}
        return self._json(
            "POST",
            "/v1/sow/extractions",
            files=files,
            params=params,
            idempotent_create=True,
            idempotency_key=idempotency_key,
        )

    def get_extraction(self, extraction_id: str) -> JSON:
        return self._json("GET", f"/v1/sow/extractions/{extraction_id}")

    def score_time_entries(
        self,
        items: Sequence[Mapping[str, Any]],
        *,
        context: Mapping[str, Any] | None = None,
        idempotency_key: str | None = None,
    ) -> JSON:
        body = {"items": list(items), "context": dict(context) if context else None}
        return self._json(
            "POST",
            "/v1/anomaly/time-entries/score",
            json_body=body,
            idempotent_create=True,
            idempotency_key=idempotency_key,
        )

    def score_invoices(
        self,
        items: Sequence[Mapping[str, Any]],
        *,
        lines: Sequence[Mapping[str, Any]],
        context: Mapping[str, Any] | None = None,
        idempotency_key: str | None = None,
    ) -> JSON:
        body = {"items": list(items), "lines": list(lines), "context": dict(context) if context else None}
        return self._json(
            "POST",
            "/v1/anomaly/invoices/score",
            json_body=body,
            idempotent_create=True,
            idempotency_key=idempotency_key,
        )

    def recommend_staff(
        self,
        request: Mapping[str, Any],
        *,
        people: Sequence[Mapping[str, Any]] | None = None,
        idempotency_key: str | None = None,
    ) -> JSON:
        body = {"request": dict(request), "people": list(people) if people is not None else None}
        return self._json(
            "POST",
            "/v1/staffing/recommendations",
            json_body=body,
            idempotent_create=True,
            idempotency_key=idempotency_key,
        )

    def assign_team(
        self,
        requests: Sequence[Mapping[str, Any]],
        *,
        people: Sequence[Mapping[str, Any]] | None = None,
        idempotency_key: str | None = None,
    ) -> JSON:
        body = {"requests": list(requests), "people": list(people) if people is not None else None}
        return self._json(
            "POST",
            "/v1/staffing/teams",
            json_body=body,
            idempotent_create=True,
            idempotency_key=idempotency_key,
        )

    def upsert_people(self, people: Sequence[Mapping[str, Any]]) -> Any:
        return self._json("PUT", "/v1/staffing/people", json_body={"people": list(people)})

    # -- operations ------------------------------------------------------

    def models(self) -> Any:
        return self._json("GET", "/v1/models")

    def review_insights(self) -> Any:
        return self._json("GET", "/v1/insights/reviews")

    def healthy(self) -> bool:
        try:
            return self._http.get("/healthz").status_code == 200
        except httpx.TransportError:
            return False


def _problem_of(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except (json.JSONDecodeError, ValueError):
        return {"title": response.reason_phrase, "detail": response.text[:500]}
    if isinstance(body, dict):
        return body
    return {"title": response.reason_phrase, "detail": str(body)[:500]}
