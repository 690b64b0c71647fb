"""The learned fill's list part: an empty milestones list filled from the reader's schedule items,
grounded, noted, never over the rules' own list or over a figure already read as another term."""

from __future__ import annotations

from typing import Any

import pytest

from extraction.billing.candidates import CandidateReader, find_candidates
from extraction.billing.fill import FILL_NOTE, LearnedBillingFill
from extraction.ingest import ingest
from extraction.schemas import Billing

_SCHEDULE = "Zahlungsplan\n\nErste Rate  {a} %  EUR {x}\nZweite Rate  {b} %  EUR {y}\n"
_TAUGHT = [
    (40, "8.000,00", 60, "12.000,00"),
    (30, "9.000,00", 70, "21.000,00"),
    (50, "5.000,00", 50, "5.000,00"),
]


@pytest.fixture(scope="module")
def reader() -> CandidateReader:
    """A reader overfitted on three schedules and one text whose only percentage is a discount."""
    docs, expected = [], []
    for a, x, b, y in _TAUGHT:
        docs.append(find_candidates([_SCHEDULE.format(a=a, x=x, b=b, y=y)]))
        amounts = [float(v.replace(".", "").replace(",", ".")) for v in (x, y)]
        expected.append(
            {"milestones": [{"percent": a, "amount": amounts[0]}, {"percent": b, "amount": amounts[1]}]}
        )
    docs.append(find_candidates(["Auf alle Honorare gilt ein Rabatt von 5 % und EUR 1.000,00 Skonto."]))
    expected.append({})
    return CandidateReader(C=100.0, random_state=0, items=("milestone_amount", "milestone_percent")).fit(
        docs, expected
    )


def _document(a: int = 25, x: str = "2.500,00", b: int = 75, y: str = "7.500,00") -> Any:
    return ingest(_SCHEDULE.format(a=a, x=x, b=b, y=y).encode("utf-8"), filename="sow.txt")


@pytest.mark.parametrize(
    ("a", "x", "b", "y"), [(25, "2.500,00", 75, "7.500,00"), (20, "4.000,00", 80, "16.000,00")]
)
def test_fill_fills_an_empty_milestones_list_with_grounded_items(
    reader: CandidateReader, a: int, x: str, b: int, y: str
) -> None:
    document = _document(a, x, b, y)
    filled, names = LearnedBillingFill(reader=reader, lists=("milestones",)).fill(Billing(), document)
    assert "milestones" in names
    assert [(m.value.percent, m.value.amount) for m in filled.milestones] == [
        (float(a), float(x.replace(".", "").replace(",", "."))),
        (float(b), float(y.replace(".", "").replace(",", "."))),
    ]
    page = document.pages[0].text
    for milestone in filled.milestones:
        assert milestone.note == FILL_NOTE and 0.0 <= milestone.confidence <= 1.0
        assert [page[e.start : e.end] for e in milestone.evidence] == [e.quote for e in milestone.evidence]
        assert f"{milestone.value.percent:.0f} %" in milestone.evidence[0].quote
    # Named as the schedule names them (the words before the figures), not left blank.
    assert [m.value.name for m in filled.milestones] == ["Erste Rate", "Zweite Rate"]


@pytest.mark.parametrize("lists", [(), ("milestones",)])
def test_fill_never_replaces_the_rules_milestones(reader: CandidateReader, lists: tuple[str, ...]) -> None:
    ruled = Billing.model_validate(
        {"milestones": [{"value": {"name": "Kick-off", "amount": 1.0}, "confidence": 0.9, "evidence": []}]}
    )
    filled, names = LearnedBillingFill(reader=reader, lists=lists).fill(ruled, _document())
    assert "milestones" not in names
    assert filled.milestones == ruled.milestones


def test_fill_without_lists_fills_no_milestones(reader: CandidateReader) -> None:
    filled, names = LearnedBillingFill(reader=reader).fill(Billing(), _document())
    assert filled.milestones == [] and "milestones" not in names


def test_fill_leaves_out_an_item_whose_figure_is_another_term(reader: CandidateReader) -> None:
    document = _document()
    page = document.pages[0].text
    start = page.index("EUR 7.500,00")
    stated = {
        "value": 7500.0,
        "confidence": 0.9,
        "evidence": [{"page": 1, "start": start, "end": start + 12, "quote": page[start : start + 12]}],
    }
    ruled = Billing.model_validate({"total_fee": stated})
    filled, _names = LearnedBillingFill(reader=reader, lists=("milestones",)).fill(ruled, document)
    assert 7500.0 not in [m.value.amount for m in filled.milestones]
    assert filled.total_fee == ruled.total_fee


def test_a_fill_pickled_before_lists_existed_fills_no_milestones(reader: CandidateReader) -> None:
    import pickle

    fill = LearnedBillingFill(reader=reader, lists=("milestones",))
    del fill.__dict__["lists"]  # what unpickling a model saved before the field existed gives
    older = pickle.loads(pickle.dumps(fill))
    filled, names = older.fill(Billing(), _document())
    assert filled.milestones == [] and "milestones" not in names


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("Milestone 2 – Design sign-off ........ $40,000", "Milestone 2 – Design sign-off"),
        ("| M3 | Go-live | 30% | EUR 12.000,00 |", "M3 | Go-live"),
        ("GBP 18,000 on signature", "GBP 18,000 on signature"),
    ],
)
def test_a_filled_milestone_is_named_by_the_words_before_its_figures(line: str, name: str) -> None:
    from extraction.billing.fill import milestone_name

    candidates = [c for c in find_candidates([line]) if c.kind in ("money", "percent")]
    assert milestone_name(candidates, [line]) == name
