"""The LLM backend's own costs, with the model server taken out of the picture.

- ``locate``: finding a model's quote in a long page with
  :class:`extraction.llm.QuoteLocator` against the raw baseline, one ``str.find``
  of the exact quote. Quotes are a mix of exact copies, copies with the case,
  spacing and punctuation changed (found only through the normalised text) and
  inventions (not found). The normalised page is built once per page and
  reported separately. Page sizes double from row to row: a linear search
  doubles its time, a quadratic one would quadruple it.
- ``backend``: one document through :class:`extraction.llm.LLMBackend`
  (chunking, three prompts per chunk, validation, grounding, merging, the
  playbook) against the raw baseline, the same chat completions sent with the
  bare openai client and parsed as JSON. Both talk to the same in-process
  ``httpx.MockTransport`` server, so the ratio is our overhead per document.

Run ``python -m bench llm [--pages=200000] [--quotes=300] [--documents=20]``.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from typing import Any

import httpx
import openai

_SENTENCES = [
    "The Consultant shall deliver the Services described in Schedule A.",
    "Invoices are payable within forty-five (45) days of receipt.",
    "The fixed fee for the Services is $45,000 (forty-five thousand US dollars).",
    "This SOW renews automatically for successive 12-month terms unless either party gives notice.",
    "Deliverables are accepted at the Client's sole discretion.",
    "Senior Consultant: $225 per hour; Analyst: $140 per hour.",
    "Late payments bear interest at 1.5% per month.",
]


def _page(chars: int, rng: random.Random) -> str:
    parts: list[str] = []
    size = 0
    section = 1
    while size < chars:
        if rng.random() < 0.1:
            heading = f"\n\n{section}. Section {section}\n"
            section += 1
            parts.append(heading)
            size += len(heading)
        sentence = rng.choice(_SENTENCES).replace("45", str(rng.randint(10, 99)))
        parts.append(sentence + (" " if rng.random() < 0.8 else "\n"))
        size += len(sentence) + 1
    return "".join(parts)[:chars]


def _quotes(page: str, count: int, rng: random.Random) -> list[tuple[str, str]]:
    quotes: list[tuple[str, str]] = []
    for index in range(count):
        start = rng.randrange(0, max(1, len(page) - 200))
        start = page.find(" ", start) + 1
        end = page.find(" ", start + rng.randint(30, 120))
        exact = page[start : end if end > 0 else len(page)].strip()
        kind = ("exact", "tolerant", "invented")[index % 3]
        if kind == "tolerant":
            quotes.append((kind, exact.upper().replace(",", "").replace(" ", "  ")))
        elif kind == "invented":
            quotes.append((kind, "The Client shall pay a success bonus of $1,000,000 on signing."))
        else:
            quotes.append((kind, exact))
    return quotes


def _bench_locate(chars: int, count: int) -> None:
    from extraction.llm import QuoteLocator

    print(f"-- locate: {count} quotes per page (a third each exact, tolerant, invented)")
    print(
        f"{'page chars':>10} {'build ms':>9} {'find us/q':>10} {'locate us/q':>12} {'ratio':>7} {'found':>6}"
    )
    rng = random.Random(7)
    size = max(1000, chars // 8)
    previous: float | None = None
    while size <= chars:
        page = _page(size, rng)
        quotes = _quotes(page, count, rng)
        started = time.perf_counter()
        for _, quote in quotes:
            page.find(quote)
        raw = (time.perf_counter() - started) / count
        locator = QuoteLocator([(1, page)])
        started = time.perf_counter()
        locator.locate("x" * 8)  # builds the normalised page
        build = time.perf_counter() - started
        started = time.perf_counter()
        found = sum(locator.locate(quote) is not None for _, quote in quotes)
        ours = (time.perf_counter() - started) / count
        growth = f"  x{ours / previous:.1f} for 2x chars" if previous else ""
        print(
            f"{size:>10} {build * 1e3:>9.1f} {raw * 1e6:>10.1f} {ours * 1e6:>12.1f} "
            f"{ours / raw:>7.1f} {found:>6}{growth}"
        )
        previous = ours
        size *= 2


def _server(document_text: str) -> httpx.MockTransport:
    quote = "Invoices are payable within forty-five (45) days of receipt."
    fee = "The fixed fee for the Services is $45,000"

    def handle(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        system = body["messages"][0]["content"]
        if "extract their billing" in system:
            fields: dict[str, Any] = {
                name: None
                for name in (
                    "billing_model", "currency", "not_to_exceed", "invoice_frequency", "start_date",
                    "end_date", "late_fee_percent_per_month", "retainage_percent", "expenses_reimbursable",
                    "expenses_cap",
                )
            }  # fmt: skip
            fields |= {
                "total_fee": {"value": 45000, "quote": fee, "page": 1},
                "payment_terms_days": {"value": 45, "quote": quote, "page": 1},
                "rates": [],
                "milestones": [],
            }
            content: dict[str, Any] = fields
        elif "find their clauses" in system:
            content = {"clauses": []}
        else:
            content = {"notes": []}
        return httpx.Response(
            200,
            json={
                "id": "x",
                "object": "chat.completion",
                "created": 0,
                "model": body["model"],
                "choices": [
                    {
                        "index": 0,
                        "finish_reason": "stop",
                        "message": {"role": "assistant", "content": json.dumps(content)},
                    }
                ],
                "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120},
            },
        )

    return httpx.MockTransport(handle)


def _bench_backend(documents: int) -> None:
    from extraction.document import Document, Page
    from extraction.llm import LLMBackend, LLMConfig, StructuredLLMClient, chunk_pages
    from extraction.schemas import DocumentInfo

    rng = random.Random(11)
    pages = [_SENTENCES[2] + " " + _SENTENCES[1] + "\n" + _page(3000, rng) for _ in range(10)]
    document = Document(
        pages=[Page(i + 1, text) for i, text in enumerate(pages)],
        info=DocumentInfo(sha256="0" * 64, filename="bench.txt", pages=len(pages), media_type="text/plain"),
    )
    config = LLMConfig(model="bench", max_concurrency=1, chunk_tokens=2000)
    transport = _server(document.text)
    raw_client = openai.OpenAI(
        api_key="x", base_url="http://llm.bench/v1", http_client=httpx.Client(transport=transport)
    )
    client = StructuredLLMClient(
        openai.OpenAI(
            api_key="x", base_url="http://llm.bench/v1", http_client=httpx.Client(transport=transport)
        ),
        config,
    )
    backend = LLMBackend(client)
    chunks = chunk_pages([(p.number, p.text) for p in document.pages], max_tokens=config.chunk_tokens)
    calls = 3 * len(chunks)
    backend.extract(document)  # warm up: imports, playbook, schema generation

    def raw() -> None:
        for chunk in chunks:
            for _ in range(3):
                response = raw_client.chat.completions.create(
                    model="bench",
                    messages=[
                        {"role": "system", "content": "extract their billing"},
                        {"role": "user", "content": chunk.text},
                    ],
                    response_format={"type": "json_object"},
                )
                json.loads(response.choices[0].message.content or "{}")

    raw_times, our_times = [], []
    for _ in range(documents):
        started = time.perf_counter()
        raw()
        raw_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        result = backend.extract(document)
        our_times.append(time.perf_counter() - started)
    assert result.billing.total_fee is not None
    raw_ms, our_ms = statistics.median(raw_times) * 1e3, statistics.median(our_times) * 1e3
    print(
        f"-- backend: {len(pages)} pages in {len(chunks)} chunks ({calls} calls), median of {documents} runs"
    )
    print(f"raw openai calls {raw_ms:.1f} ms   llm backend {our_ms:.1f} ms   ratio {our_ms / raw_ms:.2f}")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench llm")
    parser.add_argument("--pages", type=int, default=200_000, help="largest page, in characters")
    parser.add_argument("--quotes", type=int, default=300)
    parser.add_argument("--documents", type=int, default=20)
    options = parser.parse_args(argv)
    _bench_locate(options.pages, options.quotes)
    _bench_backend(options.documents)


__all__ = ["main"]
