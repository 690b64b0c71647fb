"""The public API and the pipeline's seams."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import extraction
from extraction import BackendUnavailableError, ExtractionResult, extract_sow

SOW = b"Fees. The total fee is $12,000. Invoices are payable net 15. The Services commence on May 4, 2026."


def test_public_api_is_sorted_and_importable() -> None:
    assert extraction.__all__ == sorted(extraction.__all__)
    for name in extraction.__all__:
        assert getattr(extraction, name) is not None


def test_extract_sow_from_path_with_text_and_grounding(tmp_path: Path) -> None:
    path = tmp_path / "sow.txt"
    path.write_bytes(SOW)
    result = extract_sow(path, include_text=True)
    assert result.document.filename == "sow.txt" and result.document.media_type == "text/plain"
    assert result.billing.payment_terms_days is not None and result.billing.payment_terms_days.value == 15
    assert result.pages is not None
    for value in (result.billing.total_fee, result.billing.start_date):
        assert value is not None
        for evidence in value.evidence:
            assert result.pages[evidence.page - 1].text[evidence.start : evidence.end] == evidence.quote
    assert any("no clause model" in w for w in result.warnings)
    assert result.clauses == []


def test_extract_sow_without_text_by_default() -> None:
    assert extract_sow(SOW).pages is None


@pytest.mark.parametrize("backend", ["llm"])
def test_llm_backend_without_a_backend_raises(backend: Any) -> None:
    with pytest.raises(BackendUnavailableError):
        extract_sow(SOW, backend=backend)


def test_hybrid_without_a_backend_is_the_local_result_with_a_warning() -> None:
    result = extract_sow(SOW, backend="hybrid")
    assert result.billing.total_fee is not None
    assert any("hybrid" in w for w in result.warnings)


def test_llm_backend_receives_the_document_and_local_result() -> None:
    seen: dict[str, Any] = {}

    class FakeBackend:
        def extract(self, document: Any, *, local_result: ExtractionResult, mode: str, playbook: Any) -> Any:
            seen.update(document=document, local=local_result, mode=mode)
            return local_result.model_copy(update={"warnings": [*local_result.warnings, "from llm"]})

    result = extract_sow(SOW, backend="hybrid", llm=FakeBackend())
    assert seen["mode"] == "hybrid" and seen["local"].billing.total_fee.value == 12000.0
    assert "from llm" in result.warnings


def test_result_round_trips_through_json() -> None:
    result = extract_sow(SOW)
    assert ExtractionResult.model_validate_json(result.model_dump_json()) == result


@pytest.mark.parametrize("amount", ["65.000"])
def test_billing_fill_fills_a_null_scalar_with_a_grounded_value(billing_fill: Any, amount: str) -> None:
    from extraction.billing.fill import FILL_NOTE
    from extraction.pipeline import analyse_document
    from tests.conftest import TAUGHT_FEE_TEXT

    document = extraction.ingest(TAUGHT_FEE_TEXT.format(amount=amount).encode(), filename="sow.txt")
    assert analyse_document(document).billing.total_fee is None  # the rules do not read this wording
    result = analyse_document(document, billing_fill=billing_fill, billing_fill_version="3")
    fee = result.billing.total_fee
    assert fee is not None and fee.value == 65000.0
    assert fee.note is not None and fee.note.startswith(FILL_NOTE)
    assert 0.0 <= fee.confidence <= 1.0
    [evidence] = fee.evidence
    assert document.page(evidence.page).text[evidence.start : evidence.end] == evidence.quote
    assert evidence.quote == f"Honorar gesamt: EUR {amount}"
    assert result.model.versions["billing-fill"] == "3"


@pytest.mark.parametrize("amount", ["65.000"])
def test_billing_fill_leaves_the_rules_values_alone(billing_fill: Any, amount: str) -> None:
    from extraction.billing import extract_billing
    from extraction.pipeline import analyse_document
    from extraction.schemas import GroundedValue
    from tests.conftest import TAUGHT_FEE_TEXT

    document = extraction.ingest(TAUGHT_FEE_TEXT.format(amount=amount).encode(), filename="sow.txt")
    rules = extract_billing(document).billing
    assert rules.payment_terms_days is not None  # "Zahlungsziel: 14 Tage" is the rules' own
    result = analyse_document(document, billing_fill=billing_fill)
    assert result.billing.payment_terms_days == rules.payment_terms_days
    assert result.model.versions["billing-fill"] == "unregistered"
    # A value the rules found is never replaced, even where the reader would propose another.
    stated = GroundedValue[float](value=1.0, confidence=0.5, evidence=[], note="rules")
    kept, filled = billing_fill.fill(rules.model_copy(update={"total_fee": stated}), document)
    assert kept.total_fee == stated and "total_fee" not in filled


def test_without_a_billing_fill_model_billing_is_rules_only() -> None:
    from extraction.pipeline import analyse_document
    from tests.conftest import TAUGHT_FEE_TEXT

    document = extraction.ingest(TAUGHT_FEE_TEXT.format(amount="65.000").encode(), filename="sow.txt")
    result = analyse_document(document)
    assert result.billing.total_fee is None
    assert "billing-fill" not in result.model.versions


@pytest.mark.parametrize("error", [RuntimeError("broken model")])
def test_a_failing_billing_fill_degrades_to_the_rules_with_a_warning(error: Exception) -> None:
    from extraction.pipeline import analyse_document

    class BrokenFill:
        def fill(self, billing: Any, document: Any) -> Any:
            raise error

    document = extraction.ingest(SOW, filename="sow.txt")
    result = analyse_document(document, billing_fill=BrokenFill())  # type: ignore[arg-type]
    assert result.billing.total_fee is not None and result.billing.total_fee.value == 12000
    assert "billing-fill" not in result.model.versions
    assert any("learned billing fill failed" in w for w in result.warnings)
