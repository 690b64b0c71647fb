"""A scripted OpenAI-compatible server inside an ``httpx.MockTransport``, and a fake clock.

Tests of the LLM backend script what the "model" answers per prompt and
assert on what the backend did with it; nothing touches the network.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.server
import json
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx
import openai

from extraction.document import Document, Page
from extraction.schemas import DocumentInfo

SECRET_KEY = "sk-test-DO-NOT-LEAK-4f1c9a"
BASE_URL = "http://llm.test/v1"


@dataclass(frozen=True)
class Reply:
    """One scripted reply: an answer, a refusal, an HTTP error or a transport failure."""

    status: int = 200
    content: str | None = None
    refusal: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    raise_error: type[httpx.TransportError] | None = None
    finish_reason: str = "stop"
    tokens_in: int = 100
    tokens_out: int = 20
    error_message: str = "scripted"


def answer(payload: Any, *, tokens_in: int = 100, tokens_out: int = 20) -> Reply:
    content = payload if isinstance(payload, str) else json.dumps(payload)
    return Reply(content=content, tokens_in=tokens_in, tokens_out=tokens_out)


def refusal(text: str = "I can't help with that.") -> Reply:
    return Reply(refusal=text, tokens_in=100, tokens_out=5)


def http_error(status: int, **headers: str) -> Reply:
    return Reply(status=status, headers=headers)


def timeout() -> Reply:
    return Reply(raise_error=httpx.ReadTimeout)


def connection_refused() -> Reply:
    return Reply(raise_error=httpx.ConnectError)


def prompt_of(body: dict[str, Any]) -> str:
    """Which of the backend's prompts a request carries (by its system message)."""
    system = body["messages"][0]["content"]
    if "extract their billing" in system:
        return "billing"
    if "find their clauses" in system:
        return "clauses"
    if "decide what to read first" in system:
        return "risk_notes"
    return "unknown"


def empty_billing() -> dict[str, Any]:
    fields = [
        "billing_model", "currency", "total_fee", "not_to_exceed", "payment_terms_days", "invoice_frequency",
        "start_date", "end_date", "late_fee_percent_per_month", "retainage_percent", "expenses_reimbursable",
        "expenses_cap",
    ]  # fmt: skip
    return {**dict.fromkeys(fields), "rates": [], "milestones": []}


def billing(**values: Any) -> dict[str, Any]:
    """A billing answer: ``total_fee=(45000, "$45,000", 1)`` as (value, quote, page)."""
    out = empty_billing()
    for name, spec in values.items():
        if name in ("rates", "milestones"):
            out[name] = spec
        else:
            value, quote, page = spec
            out[name] = {"value": value, "quote": quote, "page": page}
    return out


NO_CLAUSES: dict[str, Any] = {"clauses": []}
NO_NOTES: dict[str, Any] = {"notes": []}


class ScriptedLLM:
    """Answers chat completions from per-prompt scripts; the last reply of a script repeats.

    ``script`` maps a prompt name ("billing", "clauses", "risk_notes") to its
    replies, or is one callable ``(prompt, body) -> Reply``.
    """

    def __init__(
        self,
        script: Mapping[str, Sequence[Reply]] | Callable[[str, dict[str, Any]], Reply],
        *,
        delay: Callable[[], None] | None = None,
    ) -> None:
        self.script = script
        self.requests: list[dict[str, Any]] = []
        self.headers: list[httpx.Headers] = []
        self._served: dict[str, int] = {}
        self._lock = threading.Lock()
        self._delay = delay
        self.in_flight = 0
        self.max_in_flight = 0

    def count(self, prompt: str | None = None) -> int:
        return sum(1 for body in self.requests if prompt is None or prompt_of(body) == prompt)

    def _next(self, prompt: str, body: dict[str, Any]) -> Reply:
        if callable(self.script):
            return self.script(prompt, body)
        replies = self.script.get(prompt) or [answer(NO_NOTES if prompt == "risk_notes" else NO_CLAUSES)]
        index = self._served.get(prompt, 0)
        self._served[prompt] = index + 1
        return replies[min(index, len(replies) - 1)]

    def handle(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        prompt = prompt_of(body)
        with self._lock:
            self.requests.append(body)
            self.headers.append(request.headers)
            reply = self._next(prompt, body)
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            if self._delay is not None:
                self._delay()
            if reply.raise_error is not None:
                raise reply.raise_error("scripted failure", request=request)
            if reply.status != 200:
                return httpx.Response(
                    reply.status,
                    headers=reply.headers,
                    json={"error": {"message": reply.error_message, "type": "x"}},
                )
            message = {"role": "assistant", "content": reply.content, "refusal": reply.refusal}
            return httpx.Response(
                200,
                json={
                    "id": "chatcmpl-test",
                    "object": "chat.completion",
                    "created": 0,
                    "model": body["model"],
                    "choices": [{"index": 0, "finish_reason": reply.finish_reason, "message": message}],
                    "usage": {
                        "prompt_tokens": reply.tokens_in,
                        "completion_tokens": reply.tokens_out,
                        "total_tokens": reply.tokens_in + reply.tokens_out,
                    },
                },
            )
        finally:
            with self._lock:
                self.in_flight -= 1

    def client(self) -> openai.OpenAI:
        return openai.OpenAI(
            api_key=SECRET_KEY,
            base_url=BASE_URL,
            http_client=httpx.Client(transport=httpx.MockTransport(self.handle)),
        )


class FakeClock:
    """A monotonic clock that only moves when the code under test sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self.now += seconds


def make_document(*pages: str, filename: str = "sow.txt") -> Document:
    digest = hashlib.sha256("\f".join(pages).encode()).hexdigest()
    return Document(
        pages=[Page(number, text) for number, text in enumerate(pages, start=1)],
        info=DocumentInfo(sha256=digest, filename=filename, pages=len(pages), media_type="text/plain"),
    )


@contextlib.contextmanager
def serve_on_loopback(server: ScriptedLLM) -> Iterator[str]:
    """Serve ``server`` as a real OpenAI-compatible HTTP server on a free loopback port; yields its /v1 URL.

    For code that builds its own openai client from settings (the CLI, the API), where no
    transport can be injected.
    """

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("content-length", "0"))
            request = httpx.Request(
                "POST",
                f"http://127.0.0.1{self.path}",
                headers=dict(self.headers),
                content=self.rfile.read(length),
            )
            try:
                response = server.handle(request)
            except httpx.TransportError:
                self.close_connection = True
                return
            body = response.content
            self.send_response(response.status_code)
            for name, value in response.headers.items():
                if name.lower() not in ("content-length", "transfer-encoding", "connection"):
                    self.send_header(name, value)
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
            return

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)
