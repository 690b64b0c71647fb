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


_RULES_READ_SOW = (
    "Statement of Work\n\nFees. The fixed fee is USD 10,000.\n"
    "The Services start on 1 March 2027.\nSettlement: 30\n"
)


class _ProposingReader:
    """A stand-in for the learned reader that proposes given figures of the text."""

    def __init__(self, text: str, proposals: dict[str, tuple[str, str, Any]]) -> None:
        self.text = text
        self.proposals = proposals  # field -> (figure text as it stands, kind, value)

    def propose(self, candidates: Any) -> dict[str, Any]:
        from extraction.billing.candidates import FigureCandidate

        out = {}
        for name, (figure, kind, value) in self.proposals.items():
            start = self.text.index(figure)
            line_start = self.text.rindex("\n", 0, start) + 1
            line_end = self.text.index("\n", start)
            candidate = FigureCandidate(kind, value, 1, start, start + len(figure), line_start, line_end)
            out[name] = (candidate, value, 0.9)
        return out


def _fill_proposing(proposals: dict[str, tuple[str, str, Any]]) -> Any:
    from extraction.billing.fill import LearnedBillingFill

    return LearnedBillingFill(reader=_ProposingReader(_RULES_READ_SOW, proposals))  # type: ignore[arg-type]


def test_the_playbook_judges_the_rules_billing_not_the_learned_fill(monkeypatch: pytest.MonkeyPatch) -> None:
    from extraction.pipeline import analyse_document

    monkeypatch.setattr("extraction.clauses.detect_clauses", lambda document, model: [])
    document = extraction.ingest(_RULES_READ_SOW.encode(), filename="sow.txt")
    fill = _fill_proposing({"payment_terms_days": ("30", "days", 30)})
    result = analyse_document(document, clause_model=object(), billing_fill=fill)
    assert result.billing.payment_terms_days is not None and result.billing.payment_terms_days.value == 30
    # The rules read no payment terms, so the reviewer still hears that they are missing.
    rules = {c.rule for c in result.clauses}
    assert "billing.missing_terms" in rules


@pytest.mark.parametrize(
    ("end", "filled"), [("2027-01-15", False), ("2027-09-30", True)], ids=["before-start", "after-start"]
)
def test_a_filled_end_date_must_come_after_the_start_the_rules_read(end: str, filled: bool) -> None:
    from extraction.billing import extract_billing

    text = _RULES_READ_SOW.replace("Settlement: 30\n", f"Review: {end}\n")
    document = extraction.ingest(text.encode(), filename="sow.txt")
    rules = extract_billing(document).billing
    assert rules.start_date is not None and rules.end_date is None
    fill = _fill_proposing({"end_date": (end, "date", end)})
    fill.reader.text = text
    billing, names = fill.fill(rules, document)
    assert ("end_date" in names) is filled
    assert (billing.end_date is not None) is filled


def test_a_figure_the_rules_read_as_one_term_is_not_filled_as_another() -> None:
    from extraction.billing import extract_billing

    document = extraction.ingest(_RULES_READ_SOW.encode(), filename="sow.txt")
    rules = extract_billing(document).billing
    assert rules.total_fee is not None and rules.not_to_exceed is None
    fill = _fill_proposing(
        {"not_to_exceed": ("10,000", "money", 10000.0), "payment_terms_days": ("30", "days", 30)}
    )
    billing, names = fill.fill(rules, document)
    assert names == ["payment_terms_days"] and billing.not_to_exceed is None


@pytest.mark.parametrize(
    ("text", "commits"),
    [
        ("The report will set out at least the 3 options for the Board.", False),
        ("The Client commits to a minimum spend of USD 250,000 a year.", True),
    ],
)
def test_a_currency_code_before_a_figure_is_upper_case_letters_only(text: str, commits: bool) -> None:
    from extraction.clause_values import carries_type

    # Under the pattern's ignore-case flag, "the 3" once read as a currency code and an amount.
    assert carries_type("minimum_commitment", text) is commits
