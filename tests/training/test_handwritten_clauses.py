"""The hand-written clause cases as classifier training examples (training.handwritten_clauses)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extraction.schemas import CLAUSE_TYPES
from training.clauses import ClauseSpec
from training.handwritten_clauses import (
    HARD_NEGATIVE_WEIGHT,
    Region,
    batch_of,
    case_examples,
    case_names,
    handwritten_examples,
    unit_labels,
)
from training.spec import TrainingInputs

EVERY = set(CLAUSE_TYPES)

CASE_TEXT = """STATEMENT OF WORK

1. Fees
1.1 The Client shall pay each invoice within thirty (30) days of receipt.

2. Personnel
2.1 The Supplier will assign a project manager and two analysts to the engagement.

3. Renewal
3.1 The parties may agree in writing to extend this SOW for a further term.

4. Law
4.1 This SOW is governed by the laws of England and Wales.
"""

CASE = {
    "about": "a tiny case",
    "clauses": [
        {"type": "payment_terms", "anchor": "within thirty (30) days"},
        {"type": "auto_renewal", "anchor": "extend this SOW for a further term", "optional": True},
        {"type": "governing_law", "anchor": "governed by the laws of England"},
    ],
    "distractors": [
        {"anchor": "two analysts", "type": "non_solicitation", "why": "staffing is no non-solicit"},
        {"anchor": "governed by", "type": "governing_law", "why": "not a distractor of its own type"},
    ],
}


def _by_words(
    examples: list[tuple[str, set[str], set[str], float]], words: str
) -> tuple[set[str], set[str], float]:
    (found,) = [(labels, known, weight) for text, labels, known, weight in examples if words in text]
    return found


@pytest.mark.parametrize(
    ("name", "batch"), [("r7_in_psu", 7), ("r12_x", 12), ("cap_greater_of", 1), ("rx_y", 1)]
)
def test_batch_of_reads_the_prefix(name: str, batch: int) -> None:
    assert batch_of(name) == batch


def test_case_names_by_batch_partition_the_set() -> None:
    everything = case_names()
    batches = {batch_of(n) for n in everything}
    assert {1, 8, 9} <= batches
    parts = [case_names(batches={b}) for b in sorted(batches)]
    assert sorted(n for part in parts for n in part) == everything
    assert all(n.startswith("r8_") for n in case_names(batches={8})) and case_names(batches={8})
    assert case_names(batches=()) == []


def test_unit_labels_positive_grazing_optional_and_sentence() -> None:
    pay = Region("payment_terms", (100, 200), (120, 140))
    maybe = Region("auto_renewal", (300, 400), (310, 320), optional=True)
    assert unit_labels((100, 200), [pay, maybe]) == ({"payment_terms"}, set())
    # Grazing a region (less than half of either): neither positive nor negative.
    assert unit_labels((190, 400), [pay]) == (set(), {"payment_terms"})
    assert unit_labels((0, 50), [pay]) == (set(), set())
    assert unit_labels((300, 400), [maybe]) == (set(), {"auto_renewal"})
    # A sentence of the region is its type only when it holds anchor words.
    assert unit_labels((100, 150), [pay], sentence=True) == ({"payment_terms"}, set())
    assert unit_labels((150, 200), [pay], sentence=True) == (set(), {"payment_terms"})


def test_case_examples_label_regions_negatives_optional_and_distractors() -> None:
    examples = case_examples(CASE_TEXT, CASE)
    labels, known, weight = _by_words(examples, "within thirty")
    assert labels == {"payment_terms"} and known == EVERY and weight == 1.0
    # The personnel clause is a negative of every type, and a hard one (a distractor is in it).
    labels, known, weight = _by_words(examples, "project manager")
    assert labels == set() and known == EVERY and weight == HARD_NEGATIVE_WEIGHT
    labels, known, _ = _by_words(examples, "further term")
    assert labels == set() and known == EVERY - {"auto_renewal"}
    # A distractor of the very type the clause is labelled adds no weight.
    labels, known, weight = _by_words(examples, "governed by")
    assert labels == {"governing_law"} and known == EVERY and weight == 1.0


def test_handwritten_examples_merge_repeats_and_scale_weights(tmp_path: Path) -> None:
    for name in ("r2_one", "r2_two", "r3_three"):
        (tmp_path / f"{name}.txt").write_text(CASE_TEXT, encoding="utf-8")
        (tmp_path / f"{name}.json").write_text(json.dumps(CASE), encoding="utf-8")
    single = case_examples(CASE_TEXT, CASE)
    merged = handwritten_examples(folder=tmp_path, weight=3.0)
    assert merged.cases == 3
    assert len(merged.texts) == len({text for text, *_ in single}) == len(set(merged.texts))
    assert sorted(merged.weights) == sorted(3.0 * w for *_, w in single)
    assert handwritten_examples(folder=tmp_path, batches={3}).cases == 1
    assert handwritten_examples(folder=tmp_path, batches={4}).texts == []


def test_the_spec_trains_on_the_batches_it_is_given() -> None:
    trained = ClauseSpec(handwritten_batches=(8,)).train(TrainingInputs(quick=True, seed=3))
    sources = trained.model.training_sources_
    assert sources["handwritten_cases"] == len(case_names(batches={8})) == trained.params["handwritten_cases"]
    assert sources["handwritten_examples"] > 10 * sources["handwritten_cases"]
    assert sources["unique_examples"] == sources["generated_segments"] + sources["handwritten_examples"]
