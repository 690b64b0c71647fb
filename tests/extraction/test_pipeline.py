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
