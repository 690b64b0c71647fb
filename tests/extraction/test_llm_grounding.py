"""Locating quotes, checking that they state their values, and chunking long documents."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extraction.llm import QuoteLocator, chunk_pages, estimate_tokens, normalise, support

PAGE = "Fees are payable within forty-five (45) days of receipt.\nNet 130 days applies to expenses.\n"


@pytest.mark.parametrize(
    ("quote", "expected", "exact"),
    [
        ("payable within forty-five (45) days", "payable within forty-five (45) days", True),
        (
            "PAYABLE within forty five 45 days of receipt",
            "payable within forty-five (45) days of receipt",
            False,
        ),
        ("receipt. Net 130", "receipt.\nNet 130", False),
        ("“Net 130 days” applies", "Net 130 days applies", False),
    ],
)
def test_locator_finds_exact_then_tolerant_matches(quote: str, expected: str, exact: bool) -> None:
    match = QuoteLocator([(1, PAGE)]).locate(quote)
    assert match is not None
    assert PAGE[match.start : match.end] == match.text == expected
    assert match.exact is exact


@pytest.mark.parametrize("quote", ["30 days", "ees are payable", "payable within 30 days", "Net", ""])
def test_locator_rejects_partial_words_absent_and_too_short_quotes(quote: str) -> None:
    assert QuoteLocator([(1, PAGE)]).locate(quote) is None


@pytest.mark.parametrize("hint", [2, 3])
def test_locator_tries_the_named_page_first(hint: int) -> None:
    pages = [(1, "The fee is due monthly."), (2, "The fee is due monthly."), (3, "The fee is due monthly.")]
    match = QuoteLocator(pages).locate("the fee is due monthly", pages=[hint])
    assert match is not None and match.page == hint


@pytest.mark.parametrize(
    ("page", "quote"),
    [
        ("Café owner’s ﬁxed fee", "cafe\u0301 owner's fixed fee"),
        ("ＵＳＤ　４５,０００", "USD 45,000"),
        ("The fee is $45,000.00 in total.", "fee is 45000.00"),
    ],
)
def test_locator_folds_unicode_forms(page: str, quote: str) -> None:
    match = QuoteLocator([(1, page)]).locate(quote)
    assert match is not None and normalise(page[match.start : match.end]) == normalise(quote)


_WORDS = st.sampled_from(
    ["fee", "Net", "30", "days", "$45,000", "(45)", "payable", "Café", "ﬁxed", "ß", "net-30"]
)
_GAPS = st.sampled_from([" ", "  ", "\n", ", ", " - ", "\t", ".\n\n"])


@st.composite
def _page_and_quote(draw: st.DrawFn) -> tuple[str, str]:
    words = draw(st.lists(_WORDS, min_size=3, max_size=40))
    gaps = draw(st.lists(_GAPS, min_size=len(words), max_size=len(words)))
    page = "".join(w + g for w, g in zip(words, gaps, strict=True))
    first = draw(st.integers(0, len(words) - 1))
    last = draw(st.integers(first, len(words) - 1))
    quote = " ".join(words[first : last + 1])
    if draw(st.booleans()):
        quote = quote.upper()
    return page, quote


@settings(max_examples=300, deadline=None)
@given(_page_and_quote())
def test_locator_offsets_always_slice_to_text_that_normalises_to_the_quote(case: tuple[str, str]) -> None:
    page, quote = case
    match = QuoteLocator([(1, page)]).locate(quote)
    if len(normalise(quote)) < 4:
        assert match is None
        return
    assert match is not None, "a quote made of whole words of the page is always found"
    assert page[match.start : match.end] == match.text
    assert normalise(match.text) == normalise(quote)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60), st.text(max_size=30))
def test_locator_never_returns_a_span_that_differs_from_the_quote(page: str, quote: str) -> None:
    match = QuoteLocator([(1, page)]).locate(quote)
    if match is not None:
        assert page[match.start : match.end] == match.text
        assert normalise(match.text) == normalise(quote)


@pytest.mark.parametrize(
    ("text", "value", "states"),
    [
        ("The fixed fee is $45,000 (forty-five thousand dollars)", 45000, True),
        ("a fee of USD 1.2 million", 1_200_000, True),
        ("The fixed fee is $45,000", 54000, False),
        ("1.250.000,00 EUR", 1_250_000, True),
    ],
)
def test_support_numbers(text: str, value: float, states: bool) -> None:
    assert support.states_number(text, value) is states


@pytest.mark.parametrize(
    ("text", "days", "states"),
    [
        ("payable within forty-five (45) days", 45, True),
        ("payable within forty-five (45) days", 30, False),
        ("due upon receipt of invoice", 0, True),
        ("payable within six weeks", 42, True),
        ("Net 130", 30, False),
    ],
)
def test_support_payment_days(text: str, days: int, states: bool) -> None:
    assert support.states_days(text, days) is states


@pytest.mark.parametrize(
    ("text", "value", "states"),
    [
        ("begins on March 1, 2026", dt.date(2026, 3, 1), True),
        ("begins on 01/03/2026", dt.date(2026, 3, 1), True),  # either reading of a numeric date
        ("begins on March 1, 2026", dt.date(2026, 1, 3), False),
    ],
)
def test_support_dates(text: str, value: dt.date, states: bool) -> None:
    assert support.states_date(text, value) is states


@pytest.mark.parametrize(
    ("text", "percent", "per_month", "states"),
    [
        ("interest at 1.5% per month", 1.5, True, True),
        ("18% per annum", 1.5, True, True),
        ("10% retainage", 5, False, False),
    ],
)
def test_support_percent(text: str, percent: float, per_month: bool, states: bool) -> None:
    assert support.states_percent(text, percent, per_month=per_month) is states


@pytest.mark.parametrize(
    ("check", "text", "value", "states"),
    [
        (support.states_billing_model, "on a time and materials basis", "time_and_materials", True),
        (support.states_billing_model, "on a time and materials basis", "fixed_fee", False),
        (support.states_invoice_frequency, "invoiced every two weeks", "biweekly", True),
        (support.states_invoice_frequency, "invoiced every two weeks", "monthly", False),
        (support.states_currency, "£12,000", "GBP", True),
        (support.states_currency, "£12,000", "USD", False),
    ],
)
def test_support_keywords(check: object, text: str, value: str, states: bool) -> None:
    assert check(text, value) is states  # type: ignore[operator]


def _document(sections: int) -> list[tuple[int, str]]:
    body = "The consultant will deliver the work described here on time and on budget. " * 6
    pages = []
    for page in range(1, 4):
        text = "".join(f"{page}.{n} Section heading {n}\n{body}\n\n" for n in range(sections))
        pages.append((page, text))
    return pages


@pytest.mark.parametrize(("sections", "budget", "overlap"), [(2, 10_000, 0), (6, 300, 120), (4, 120, 0)])
def test_chunks_cover_every_page_within_budget(sections: int, budget: int, overlap: int) -> None:
    pages = _document(sections)
    chunks = chunk_pages(pages, max_tokens=budget, overlap_tokens=overlap)
    covered = {number: [False] * len(text) for number, text in pages}
    for chunk in chunks:
        assert estimate_tokens(chunk.text) <= budget
        for span in chunk.spans:
            covered[span.page][span.start : span.end] = [True] * (span.end - span.start)
            assert dict(pages)[span.page][span.start : span.end] in chunk.text
        assert f"[page {chunk.spans[0].page}]" in chunk.text
    assert all(all(flags) for flags in covered.values())
    if budget >= 10_000:
        assert len(chunks) == 1


@pytest.mark.parametrize(("budget", "overlap"), [(300, 120)])
def test_neighbouring_chunks_share_whole_sections(budget: int, overlap: int) -> None:
    chunks = chunk_pages(_document(6), max_tokens=budget, overlap_tokens=overlap)
    assert len(chunks) > 2
    shared = [set(a.spans) & set(b.spans) for a, b in itertools.pairwise(chunks)]
    assert any(shared)
    for a, b in itertools.pairwise(chunks):
        assert set(b.spans) - set(a.spans), "every chunk brings something new"


@pytest.mark.parametrize("budget", [0])
def test_chunking_rejects_a_nonpositive_budget(budget: int) -> None:
    with pytest.raises(ValueError, match="max_tokens"):
        chunk_pages([(1, "text")], max_tokens=budget)
