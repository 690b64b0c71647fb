"""The LLM and hybrid backends against a scripted server: grounding, degradation, hybrid, cache, cost."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

import pytest

from extraction.document import Document
from extraction.llm import FolderCache, LLMConfig, LLMUnavailableError, MemoryCache, StructuredLLMClient
from extraction.llm.backend import DISAGREEMENT_FACTOR, LLMBackend, extract_with_llm
from extraction.schemas import Billing, ClauseFinding, ExtractionResult, GroundedValue, ModelInfo
from tests.extraction.llm_fakes import (
    NO_CLAUSES,
    NO_NOTES,
    SECRET_KEY,
    FakeClock,
    Reply,
    ScriptedLLM,
    answer,
    billing,
    http_error,
    make_document,
    refusal,
    timeout,
)

PAGE_1 = """STATEMENT OF WORK

1. Fees
The fixed fee for the Services is $45,000 (forty-five thousand US dollars).
Invoices are payable within forty-five (45) days of receipt.
Consultant will invoice monthly.

2. Rates
Senior Consultant: $225 per hour.
"""
PAGE_2 = """3. Term
This SOW begins on March 1, 2026 and ends on August 31, 2026.

4. Renewal
This SOW renews automatically for successive 12-month terms unless either party gives 90 days' notice.

5. Acceptance
Deliverables are accepted at Client's sole discretion.
"""

RATE = {
    "role": "Senior Consultant",
    "rate": 225,
    "unit": "hour",
    "currency": "USD",
    "quote": "Senior Consultant: $225 per hour.",
    "page": 1,
}
GOOD_BILLING = billing(
    billing_model=("fixed_fee", "The fixed fee for the Services is $45,000", 1),
    currency=("USD", "$45,000 (forty-five thousand US dollars)", 1),
    total_fee=(45000, "The fixed fee for the Services is $45,000", 1),
    payment_terms_days=(45, "payable within forty-five (45) days of receipt", 1),
    invoice_frequency=("monthly", "Consultant will invoice monthly.", 1),
    start_date=("2026-03-01", "This SOW begins on March 1, 2026", 2),
    end_date=("2026-08-31", "ends on August 31, 2026", 2),
    rates=[RATE],
)
RENEWAL_TEXT = (
    "This SOW renews automatically for successive 12-month terms unless either party gives 90 days' notice."
)
RENEWAL = {
    "type": "auto_renewal",
    "summary": "Renews automatically for 12-month terms.",
    # Copied imperfectly, as models do: case, a comma and a curly apostrophe differ from the page.
    "quote": "this SOW renews automatically for successive 12-month terms, unless either party gives "
    "90 days’ notice",
    "page": 2,
}
NOTE = {
    "category": "nonstandard_deliverable_language",
    "note": "Acceptance is at the client's sole discretion, with no deemed acceptance.",
    "quote": "Deliverables are accepted at Client's sole discretion.",
    "page": 2,
}


@pytest.fixture
def document() -> Document:
    return make_document(PAGE_1, PAGE_2)


def make_backend(server: ScriptedLLM, clock: FakeClock | None = None, **config: Any) -> LLMBackend:
    clock = clock or FakeClock()
    settings: dict[str, Any] = {"model": "test-model", "api_key": SECRET_KEY, "max_concurrency": 1}
    settings.update(config)
    cache = settings.pop("cache", None)
    client = StructuredLLMClient(
        server.client(), LLMConfig(**settings), sleep=clock.sleep, clock=clock, jitter=lambda: 1.0
    )
    return LLMBackend(client, cache=cache)


def grounded(document: Document, page: int, quote: str, value: Any, confidence: float) -> GroundedValue[Any]:
    start = document.page(page).text.index(quote)
    return GroundedValue(
        value=value, confidence=confidence, evidence=[document.evidence(page, start, start + len(quote))]
    )


def local_result(document: Document, **fields: GroundedValue[Any]) -> ExtractionResult:
    return ExtractionResult(
        document=document.info,
        billing=Billing(**fields),
        model=ModelInfo(backend="local", versions={"clauses": "3"}),
        warnings=["local: a local warning"],
    )


def assert_evidence_exact(document: Document, result: ExtractionResult) -> None:
    values = [getattr(result.billing, name) for name in Billing.model_fields]
    items = [v for v in values if isinstance(v, GroundedValue)]
    items += [v for value in values if isinstance(value, list) for v in value]
    spans = [e for item in items for e in item.evidence]
    spans += [e for clause in result.clauses for e in clause.evidence]
    spans += [e for note in result.risk_notes for e in note.evidence]
    assert spans
    for evidence in spans:
        assert document.page(evidence.page).text[evidence.start : evidence.end] == evidence.quote


def good_server(**overrides: list[Reply]) -> ScriptedLLM:
    script: dict[str, list[Reply]] = {
        "billing": [answer(GOOD_BILLING, tokens_in=300, tokens_out=120)],
        "clauses": [answer({"clauses": [RENEWAL]}, tokens_in=400, tokens_out=60)],
        "risk_notes": [answer({"notes": [NOTE]}, tokens_in=200, tokens_out=40)],
    }
    script.update(overrides)
    return ScriptedLLM(script)


@pytest.mark.parametrize("mode", ["llm"])
def test_backend_good_answer_is_grounded_judged_and_costed(document: Document, mode: str) -> None:
    server = good_server()
    result = make_backend(server).extract(document, mode=mode)  # type: ignore[arg-type]
    b = result.billing
    assert b.total_fee is not None and b.total_fee.value == 45000
    assert b.payment_terms_days is not None and b.payment_terms_days.value == 45
    assert b.start_date is not None and b.start_date.value == dt.date(2026, 3, 1)
    assert b.invoice_frequency is not None and b.invoice_frequency.value == "monthly"
    assert [r.value.rate for r in b.rates] == [225]
    assert b.total_fee.confidence == LLMConfig(model="m").proposal_confidence
    assert_evidence_exact(document, result)
    # The playbook, reading the quoted words, judges and routes the clause.
    renewal = next(c for c in result.clauses if c.type == "auto_renewal")
    assert (renewal.nonstandard, renewal.rule, renewal.route) == (True, "auto_renewal.present", "legal")
    assert [n.category for n in result.risk_notes] == ["nonstandard_deliverable_language"]
    usage = result.model.llm
    assert usage is not None and result.model.backend == "llm"
    assert (usage.tokens_in, usage.tokens_out) == (900, 220)
    assert sorted(c.prompt for c in usage.calls) == ["billing/1", "clauses/1", "risk_notes/1"]
    assert usage.prompts == {"billing": "1", "clauses": "1", "risk_notes": "1"}
    assert result.model.versions["llm"] == "test-model"
    assert usage.dropped_unfound == usage.dropped_unsupported == 0
    assert usage.proposed == 7 + 1 + 1 + 1  # seven scalars, a rate, a clause, a note


@pytest.mark.parametrize(
    "quote", ["The total fee is $50,000 payable on signing", "fixed fee of USD 45,000 net"]
)
def test_backend_drops_a_hallucinated_quote_and_counts_it(document: Document, quote: str) -> None:
    answer_with_bad_quote = billing(
        total_fee=(45000, quote, 1), payment_terms_days=(45, "payable within forty-five (45) days", 1)
    )
    server = good_server(billing=[answer(answer_with_bad_quote)])
    result = make_backend(server).extract(document)
    assert result.billing.total_fee is None
    assert result.billing.payment_terms_days is not None
    assert result.model.llm is not None and result.model.llm.dropped_unfound == 1
    assert any("not in the document" in w and "billing.total_fee" in w for w in result.warnings)


@pytest.mark.parametrize(
    ("field", "value", "quote"),
    [
        ("payment_terms_days", 30, "payable within forty-five (45) days of receipt"),
        ("total_fee", 54000, "The fixed fee for the Services is $45,000"),
        ("start_date", "2026-01-03", "This SOW begins on March 1, 2026"),
    ],
)
def test_backend_drops_a_quote_that_does_not_state_the_value(
    document: Document, field: str, value: Any, quote: str
) -> None:
    server = good_server(billing=[answer(billing(**{field: (value, quote, 1)}))])
    result = make_backend(server).extract(document)
    assert getattr(result.billing, field) is None
    assert result.model.llm is not None and result.model.llm.dropped_unsupported == 1
    assert any("does not state the value" in w for w in result.warnings)


@pytest.mark.parametrize("broken", ['{"billing_model": ', "Sure! Here are the terms: fee $45,000"])
def test_backend_malformed_json_then_a_good_retry(document: Document, broken: str) -> None:
    server = good_server(
        billing=[
            answer(broken, tokens_in=300, tokens_out=15),
            answer(GOOD_BILLING, tokens_in=330, tokens_out=120),
        ]
    )
    result = make_backend(server).extract(document)
    assert result.billing.total_fee is not None
    usage = result.model.llm
    assert usage is not None
    billing_call = next(c for c in usage.calls if c.prompt == "billing/1")
    assert (billing_call.attempts, billing_call.tokens_in, billing_call.tokens_out) == (2, 630, 135)
    assert usage.tokens_in == 630 + 400 + 200


@pytest.mark.parametrize("prompt", ["clauses"])
def test_backend_refused_clauses_keep_the_billing_and_warn(document: Document, prompt: str) -> None:
    server = good_server(**{prompt: [refusal()]})
    result = make_backend(server).extract(document)
    assert result.model.backend == "llm"
    assert result.billing.total_fee is not None
    assert not [c for c in result.clauses if c.type == "auto_renewal"]
    assert any(f"no usable answer to {prompt}/1" in w and "refused" in w for w in result.warnings)
    assert any(c.outcome == "refused" for c in result.model.llm.calls)  # type: ignore[union-attr]


@pytest.mark.parametrize("failure", [timeout(), http_error(503), http_error(429, **{"Retry-After": "1"})])
def test_backend_falls_back_to_the_local_result_when_the_provider_is_down(
    document: Document, failure: Reply
) -> None:
    clock = FakeClock()
    server = ScriptedLLM({"billing": [failure], "clauses": [failure], "risk_notes": [failure]})
    local = local_result(document, total_fee=grounded(document, 1, "$45,000", 45000.0, 0.9))
    result = make_backend(server, clock, max_retries=2).extract(document, local_result=local, mode="hybrid")
    assert result.model.backend == "local"
    assert result.billing == local.billing
    assert result.warnings[0] == "local: a local warning"
    assert "hybrid backend unavailable" in result.warnings[-1] and "the local result" in result.warnings[-1]
    # Three attempts for the first call; once the provider is known down, the rest are not sent.
    assert server.count() == 3
    assert len(clock.sleeps) == 2
    usage = result.model.llm
    assert usage is not None and {c.outcome for c in usage.calls} == {"unavailable"}
    assert SECRET_KEY not in result.model_dump_json()


@pytest.mark.parametrize("mode", ["llm"])
def test_backend_without_a_local_result_raises_when_the_provider_is_down(
    document: Document, mode: str
) -> None:
    server = ScriptedLLM({"billing": [http_error(500)]})
    with pytest.raises(LLMUnavailableError, match="unavailable"):
        make_backend(server, max_retries=0).extract(document, mode=mode)  # type: ignore[arg-type]


@pytest.mark.parametrize("status", [500, 502])
def test_backend_recovers_from_a_5xx(document: Document, status: int) -> None:
    clock = FakeClock()
    server = good_server(billing=[http_error(status), answer(GOOD_BILLING)])
    result = make_backend(server, clock).extract(document)
    assert result.model.backend == "llm" and result.billing.total_fee is not None
    assert clock.sleeps == [0.5]


def test_backend_hybrid_fills_gaps_agrees_and_flags_disagreements(document: Document) -> None:
    local = local_result(
        document,
        total_fee=grounded(document, 1, "$45,000", 45000.0, 0.9),  # agrees with the model
        invoice_frequency=grounded(document, 1, "invoice monthly", "quarterly", 0.9),  # confident, disagrees
        start_date=grounded(document, 2, "March 1, 2026", dt.date(2026, 1, 3), 0.4),  # unsure, disagrees
    )
    server = good_server()
    result = make_backend(server).extract(document, local_result=local, mode="hybrid")
    b = result.billing
    assert result.model.backend == "hybrid"
    assert result.model.versions["clauses"] == "3" and result.model.versions["llm"] == "test-model"
    # Agreement raises confidence; a gap is filled from the model.
    assert b.total_fee is not None and b.total_fee.value == 45000 and b.total_fee.confidence > 0.9
    assert b.payment_terms_days is not None and b.payment_terms_days.value == 45
    assert [r.value.role for r in b.rates] == ["Senior Consultant"]  # an empty list is filled too
    # A confident local value is kept, at a lower confidence, and the disagreement is shown.
    assert b.invoice_frequency is not None and b.invoice_frequency.value == "quarterly"
    assert b.invoice_frequency.confidence == pytest.approx(0.9 * DISAGREEMENT_FACTOR)
    # An unsure local value gives way to the model's grounded reading.
    assert b.start_date is not None and b.start_date.value == dt.date(2026, 3, 1)
    by_field = {d.field: d for d in result.disagreements}
    assert by_field["billing.invoice_frequency"].kept == "local"
    assert by_field["billing.invoice_frequency"].llm == "monthly"
    assert by_field["billing.start_date"].kept == "llm"
    # The clause the local backend missed is added, judged by the playbook, and flagged as a disagreement.
    renewal = next(c for c in result.clauses if c.type == "auto_renewal")
    assert renewal.nonstandard and renewal.route == "legal"
    assert by_field["clauses.auto_renewal"].kept == "llm"
    assert "local: a local warning" in result.warnings
    assert any("disagree" in w for w in result.warnings)
    assert_evidence_exact(document, result)


def test_backend_hybrid_keeps_a_clause_flagged_when_one_reading_flags_it(document: Document) -> None:
    quote = RENEWAL_TEXT
    start = document.page(2).text.index(quote)
    local_clause = ClauseFinding(
        type="auto_renewal",
        nonstandard=False,
        confidence=0.8,
        evidence=[document.evidence(2, start, start + len(quote))],
    )
    local = local_result(document)
    local.clauses = [local_clause]
    result = make_backend(good_server()).extract(document, local_result=local, mode="hybrid")
    renewal = [c for c in result.clauses if c.type == "auto_renewal"]
    assert len(renewal) == 1 and renewal[0].nonstandard and renewal[0].rule == "auto_renewal.present"
    assert next(d for d in result.disagreements if d.field == "clauses.auto_renewal").kept == "llm"


def test_backend_merges_and_deduplicates_across_chunks(document: Document) -> None:
    page_2 = PAGE_2 + "\n6. Cap\nA not-to-exceed amount of $50,000 applies to this SOW.\n"
    long_document = make_document(PAGE_1, page_2)

    def script(prompt: str, body: dict[str, Any]) -> Reply:
        text = body["messages"][1]["content"]
        if prompt == "billing":
            fields: dict[str, Any] = {"rates": [RATE]}  # every chunk proposes the same rate
            if "$45,000" in text:
                fields["total_fee"] = (45000, "The fixed fee for the Services is $45,000", 1)
            if "$50,000" in text:
                fields["total_fee"] = (50000, "A not-to-exceed amount of $50,000", 2)
            return answer(billing(**fields))
        if prompt == "clauses" and "renews automatically" in text:
            return answer({"clauses": [RENEWAL]})
        return answer(NO_CLAUSES if prompt == "clauses" else NO_NOTES)

    server = ScriptedLLM(script)
    result = make_backend(server, chunk_tokens=120, chunk_overlap_tokens=60).extract(long_document)
    chunks = {c.chunk for c in result.model.llm.calls}  # type: ignore[union-attr]
    assert len(chunks) >= 2
    assert len(result.billing.rates) == 1
    # Two readings of the fee, one each: the earlier is kept, less confidently, and the conflict is reported.
    assert result.billing.total_fee is not None and result.billing.total_fee.value == 45000
    assert result.billing.total_fee.confidence < LLMConfig(model="m").proposal_confidence
    assert any("different billing.total_fee" in w for w in result.warnings)
    assert len([c for c in result.clauses if c.type == "auto_renewal"]) == 1
    assert_evidence_exact(long_document, result)


@pytest.mark.parametrize("kind", ["memory", "folder"])
def test_backend_cache_hit_avoids_a_second_call(document: Document, kind: str, tmp_path: Path) -> None:
    server = good_server()
    first = make_backend(server, cache=MemoryCache() if kind == "memory" else FolderCache(tmp_path / "cache"))
    before = first.extract(document)
    sent = server.count()
    # A new backend over the same cache (a restarted worker, for the folder cache).
    second = first if kind == "memory" else make_backend(server, cache=FolderCache(tmp_path / "cache"))
    after = second.extract(document)
    assert server.count() == sent == 3
    assert after.billing == before.billing
    usage = after.model.llm
    assert usage is not None and all(c.cached for c in usage.calls)
    assert usage.tokens_in == usage.tokens_out == 0
    # Another model is another request.
    third = make_backend(server, cache=first.cache, model="other-model")
    third.extract(document)
    assert server.count() == 6


@pytest.mark.parametrize("max_concurrency", [2])
def test_backend_many_documents_with_bounded_concurrency(max_concurrency: int) -> None:
    documents = [
        make_document(PAGE_1, PAGE_2 + f"\nReference {n}.\n", filename=f"sow-{n}.txt") for n in range(4)
    ]
    replies = {"billing": answer(GOOD_BILLING), "clauses": answer(NO_CLAUSES), "risk_notes": answer(NO_NOTES)}
    # The delay keeps requests in flight long enough for the bound to matter; nothing is timed.
    server = ScriptedLLM(lambda prompt, body: replies[prompt], delay=lambda: time.sleep(0.01))
    backend = make_backend(server, max_concurrency=max_concurrency)
    results = backend.extract_many(documents)
    assert [r.document.filename for r in results] == [d.info.filename for d in documents]
    assert all(r.billing.total_fee is not None for r in results)
    assert server.count() == 3 * len(documents)
    assert 1 <= server.max_in_flight <= max_concurrency


@pytest.mark.parametrize("mode", ["llm"])
def test_extract_with_llm_takes_a_bare_openai_client(document: Document, mode: str) -> None:
    server = good_server()
    config = LLMConfig(model="test-model", api_key=SECRET_KEY, max_concurrency=1)
    result = extract_with_llm(document, client=server.client(), config=config, mode=mode)  # type: ignore[arg-type]
    assert result.billing.total_fee is not None
    dumped = result.model_dump_json()
    assert SECRET_KEY not in dumped and "test-model" in dumped


def test_backend_risk_notes_are_grounded_and_include_missing_billing_terms(document: Document) -> None:
    tm_page = "1. Fees\nServices are billed on a time and materials basis.\nInvoices are payable net 30.\n"
    tm_document = make_document(tm_page)
    invented = {**NOTE, "quote": "Payment is contingent on the client's own customer paying first."}
    server = ScriptedLLM(
        {
            "billing": [
                answer(
                    billing(
                        billing_model=("time_and_materials", "billed on a time and materials basis", 1),
                        payment_terms_days=(30, "payable net 30", 1),
                    )
                )
            ],
            "risk_notes": [answer({"notes": [invented]})],
        }
    )
    result = make_backend(server).extract(tm_document)
    # The invented note is dropped; the playbook's missing-rates finding becomes the first note.
    assert [n.category for n in result.risk_notes] == ["missing_billing_dependency"]
    assert result.risk_notes[0].evidence
    assert_evidence_exact(tm_document, result)
    assert result.model.llm is not None and result.model.llm.dropped_unfound == 1


def test_backend_hybrid_recomputes_absences_from_the_merged_terms(document: Document) -> None:
    fixed_fee = grounded(document, 1, "fixed fee", "fixed_fee", 0.9)
    local = local_result(document, billing_model=fixed_fee)
    local.clauses = [
        ClauseFinding(
            type="payment_terms",
            nonstandard=True,
            severity="medium",
            route="finance",
            rule="billing.missing_terms",
            reason="no payment terms",
            confidence=0.8,
            evidence=list(fixed_fee.evidence),
        )
    ]
    result = make_backend(good_server()).extract(document, local_result=local, mode="hybrid")
    # The model found the payment terms, so they are no longer missing; a late-payment remedy still is.
    assert result.billing.payment_terms_days is not None
    rules = {c.rule for c in result.clauses if c.nonstandard}
    assert "billing.missing_terms" not in rules
    assert "late_payment.absent" in rules
    assert not [
        d for d in result.disagreements if d.field in ("clauses.payment_terms", "clauses.late_payment")
    ]


@pytest.mark.parametrize("claimed", ["non_compete", "exclusivity"])
def test_backend_drops_a_clause_whose_quote_is_not_of_its_type(document: Document, claimed: str) -> None:
    mislabelled = {
        "type": claimed,
        "summary": "The firm may not compete.",
        "quote": "Deliverables are accepted at Client's sole discretion.",
        "page": 2,
    }
    server = good_server(clauses=[answer({"clauses": [mislabelled, RENEWAL]})])
    result = make_backend(server).extract(document)
    assert claimed not in {c.type for c in result.clauses}
    assert "auto_renewal" in {c.type for c in result.clauses}
    assert result.model.llm is not None and result.model.llm.dropped_unsupported == 1
    assert any(f"clauses.{claimed}" in w for w in result.warnings)


@pytest.mark.parametrize("rule", ["acceptance.subjective"])
def test_backend_playbook_findings_on_deliverables_become_risk_notes(document: Document, rule: str) -> None:
    acceptance = {
        "type": "acceptance",
        "summary": "Acceptance is at the client's discretion.",
        "quote": "Deliverables are accepted at Client's sole discretion.",
        "page": 2,
    }
    server = good_server(clauses=[answer({"clauses": [acceptance]})], risk_notes=[answer(NO_NOTES)])
    result = make_backend(server).extract(document)
    finding = next(c for c in result.clauses if c.type == "acceptance")
    assert finding.nonstandard and finding.rule == rule and finding.route == "delivery"
    notes = [n for n in result.risk_notes if n.category == "nonstandard_deliverable_language"]
    assert len(notes) == 1 and notes[0].evidence == finding.evidence
