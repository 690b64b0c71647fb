"""The learned candidate reader: candidates and their words, labels by value, fit / save / reload."""

from __future__ import annotations

import pickle
from typing import Any

import pytest

from evals.billing_candidates import fill, grounded
from extraction.billing.candidates import CandidateReader, FigureCandidate, find_candidates, labels_for


def _one(candidates: list[FigureCandidate], kind: str, value: Any) -> FigureCandidate:
    found = [c for c in candidates if c.kind == kind and c.value == value]
    assert len(found) == 1, [(c.kind, c.value) for c in candidates]
    return found[0]


@pytest.mark.parametrize(
    ("text", "kind", "value", "wanted"),
    [
        # a label before a colon, and its character n-grams
        ("Ceiling Price: $50,000.00 for all work.", "money", 50000.0, {"LB:ceiling", "LB:price", "C:ceil"}),
        # a figure alone on its line is labelled by the line above
        ("Total investment\n$48,500\n", "money", 48500.0, {"PL:investment", "PL:total"}),
        # the header of the figure's table column
        ("Role  Hours  Fees (AUD)\nPartner  20  36,000\n", "money", 36000.0, {"CH:fees", "F:money:bare"}),
        # the words after it and the cue words of its sentence
        ("Invoices are payable within 30 days.", "days", 30, {"L1:within", "R1:days", "S:payable"}),
        ("Interest accrues at 12% per annum on overdue sums.", "percent", 12.0, {"ANNUAL", "L1:at"}),
        ("Start: 1 March 2028\n", "date", "2028-03-01", {"LB:start"}),
    ],
)
def test_find_candidates_reads_the_words_around_a_figure(
    text: str, kind: str, value: Any, wanted: set[str]
) -> None:
    candidate = _one(find_candidates([text]), kind, value)
    assert wanted <= set(candidate.tokens)
    assert text[candidate.start : candidate.end].strip()


@pytest.mark.parametrize(
    "text",
    [
        "Payment is due on the 20th of the following month.",  # a day of the month, not a day count
        "Fees are GBP 1,250.50 per day.",  # a part of a larger figure
        "Effective 03/04/2028.",  # a part of a date
    ],
)
def test_find_candidates_no_day_count_inside_other_figures(text: str) -> None:
    days = [c for c in find_candidates([text]) if c.kind == "days"]
    assert days == []


def test_find_candidates_offsets_index_each_page() -> None:
    pages = ["Scope only.", "Fees\n\nThe fixed fee is €12.500,00."]
    candidate = _one(find_candidates(pages), "money", 12500.0)
    assert candidate.page == 2
    assert pages[1][candidate.line_start : candidate.line_end] == "The fixed fee is €12.500,00."


@pytest.mark.parametrize(
    ("kind", "value", "expected", "labels"),
    [
        ("money", 50000.0, {"total_fee": 50000, "not_to_exceed": 50000}, {"total_fee", "not_to_exceed"}),
        ("money", 50000.0, {"expenses_cap": 5000}, set()),
        ("percent", 18.0, {"late_fee_percent_per_month": 1.5}, {"late_fee_percent_per_month"}),
        ("days", 30, {"payment_terms_days": 30, "total_fee": 30}, {"payment_terms_days"}),
        ("date", "2028-03-01", {"start_date": "2028-03-01", "end_date": "2029-03-01"}, {"start_date"}),
    ],
)
def test_labels_for_matches_value_and_kind(
    kind: str, value: Any, expected: dict[str, Any], labels: set[str]
) -> None:
    candidate = FigureCandidate(kind, value, 1, 0, 1, 0, 1)
    assert labels_for(candidate, expected) == labels


_TRAIN = [
    ("The total fee is $40,000. A deposit of $5,000 is due. Invoices are payable in 30 days.", 40000.0, 30),
    ("Total fee: $72,500\nExpenses are billed at cost. Payment within 45 days of invoice.", 72500.0, 45),
    ("Our total fee of $18,000 covers phase 1 ($6,000) and phase 2. Net 14 days.", 18000.0, 14),
    ("The total fee amounts to $99,000, with $9,900 on signature. Pay within 60 days.", 99000.0, 60),
]


def _train_set() -> tuple[list[list[FigureCandidate]], list[dict[str, Any]]]:
    docs = [find_candidates([text]) for text, _, _ in _TRAIN]
    return docs, [{"total_fee": fee, "payment_terms_days": days} for _, fee, days in _TRAIN]


def test_reader_overfits_saves_and_reloads_the_same_predictions() -> None:
    docs, expected = _train_set()
    reader = CandidateReader(C=100.0, threshold=0.5).fit(docs, expected)
    for cands, want in zip(docs, expected, strict=True):
        proposals = reader.propose(cands)
        assert proposals["total_fee"][1] == want["total_fee"]
        assert proposals["payment_terms_days"][1] == want["payment_terms_days"]
    again = pickle.loads(pickle.dumps(reader))
    for cands in docs:
        assert again.scores(cands) == reader.scores(cands)


@pytest.mark.parametrize("C", [1.0, 100.0])
def test_reader_without_items_reads_the_scalar_fields_the_same(C: float) -> None:
    docs, expected = _train_set()
    docs.append(find_candidates(["Rates\n\nSenior consultant  $1,200 per day\nAnalyst  $150 per hour\n"]))
    expected.append({"rates": [{"rate": 1200, "unit": "day"}, {"rate": 150, "unit": "hour"}]})
    with_items = CandidateReader(C=C).fit(docs, expected)
    scalar_only = CandidateReader(C=C, items=()).fit(docs, expected)
    assert "rate" in with_items.models_ and "rate" not in scalar_only.models_
    assert with_items.unit_model_ is not None and scalar_only.unit_model_ is None
    for cands in docs:
        assert scalar_only.scores(cands) == {
            k: v for k, v in with_items.scores(cands).items() if k in scalar_only.models_
        }
        assert scalar_only.propose_items(cands) == {"rates": [], "milestones": []}


def test_reader_unfitted_raises() -> None:
    with pytest.raises(ValueError, match="not fitted"):
        CandidateReader().scores([])


def test_fill_only_fills_nulls_and_quotes_the_page() -> None:
    docs, expected = _train_set()
    reader = CandidateReader(C=100.0).fit(docs, expected)
    page = "Scope.\n\nThe total fee is $61,000 for the whole engagement.\nPayable within 21 days."
    proposals = reader.propose(find_candidates([page]))
    ruled: dict[str, Any] = {
        "payment_terms_days": {"value": 30, "evidence": [], "note": None},
        "total_fee": None,
    }
    filled = fill(ruled, [page], proposals)
    assert filled["payment_terms_days"] is ruled["payment_terms_days"]  # the rules' value stays
    assert filled["total_fee"]["value"] == 61000.0
    for evidence in filled["total_fee"]["evidence"]:
        assert page[evidence["start"] : evidence["end"]] == evidence["quote"]
        assert "$61,000" in evidence["quote"]


def test_grounded_converts_an_annual_rate_and_says_so() -> None:
    page = "Late payments bear interest at 18% per annum."
    candidate = _one(find_candidates([page]), "percent", 18.0)
    value = grounded(candidate, 1.5, 0.9, [page])
    assert value["note"] and value["value"] == 1.5
    assert value["evidence"][0]["quote"] == page


def _share(percent: float | None, score: float, amount: float | None = None) -> Any:
    return ([], {"name": "", "amount": amount, "percent": percent}, score)


@pytest.mark.parametrize(
    ("items", "kept"),
    [
        # a tax rate beside a 30/40/30 schedule breaks the sum: the schedule stays, the tax goes
        ([_share(19, 0.9), _share(30, 0.8), _share(40, 0.8), _share(30, 0.7)], [30, 40, 30]),
        ([_share(50, 0.6), _share(50, 0.6)], [50, 50]),
        # no set of shares adds up: none is kept, an amount without a share is
        ([_share(2, 0.9), _share(None, 0.8, amount=5000.0)], [None]),
    ],
)
def test_shares_of_the_whole_keeps_shares_that_add_up(items: list[Any], kept: list[Any]) -> None:
    from extraction.billing.candidates import _shares_of_the_whole

    assert [m[1]["percent"] for m in _shares_of_the_whole(items)] == kept


def test_propose_items_pairs_a_share_with_its_lines_amount() -> None:
    docs, expected = _train_set()
    schedule = (
        "Payment schedule\n\nFirst instalment  50 %  EUR 10.000,00\nSecond instalment  50 %  EUR 10.000,00\n"
    )
    docs.append(find_candidates([schedule]))
    expected.append({"milestones": [{"percent": 50}, {"percent": 50}]})  # the amounts are not labelled
    docs.append(find_candidates(["A volume discount of 5 % applies to all fees."]))
    expected.append({})
    reader = CandidateReader(C=100.0).fit(docs, expected)
    items = reader.propose_items(find_candidates([schedule]))["milestones"]
    assert [(m[1]["percent"], m[1]["amount"]) for m in items] == [(50.0, 10000.0), (50.0, 10000.0)]


@pytest.mark.parametrize("prefix", ["r9_"])
def test_eval_counts_as_the_realistic_suite_scores(prefix: str) -> None:
    from evals.billing_candidates import count, load_scorer

    rt = load_scorer()
    fields = (*rt.SCALAR_FIELDS, *rt.LIST_FIELDS)
    total: dict[str, list[int]] = {f: [0, 0, 0] for f in fields}
    for name in (n for n in rt.case_names() if n.startswith(prefix)):
        text, expected = rt.load_case(name)
        for field, row in count(rt, rt.extract(text), expected, fields).items():
            total[field] = [a + b for a, b in zip(total[field], row, strict=True)]
    assert {f: tuple(v) for f, v in total.items()} == rt.score(prefix=prefix)
