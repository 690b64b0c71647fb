"""The ``clauses-later-batches`` suite: its splits, its scorer and its run (with a small model)."""

from __future__ import annotations

from typing import Any

import pytest

import evals.clauses_later_batches as later
from evals.clauses_later_batches import SUITE, Split, micro, prf, score, splits
from evals.registry import get_eval_suite
from evals.suite import EvalContext, EvalSuite
from extraction.clauses import ClauseClassifier
from training.clauses import deduplicate, generated_examples
from training.handwritten_clauses import case_names
from training.sow_generator import generate_sows


@pytest.fixture(scope="module")
def small_model() -> ClauseClassifier:
    texts, labels = deduplicate(*generated_examples(generate_sows(30, seed=5, split="train")))
    return ClauseClassifier(random_state=0).fit(texts, labels)


def test_registered_and_needs_no_registered_model() -> None:
    assert get_eval_suite("clauses-later-batches") is SUITE
    assert isinstance(SUITE, EvalSuite) and SUITE.model_short_name is None


@pytest.mark.parametrize(
    ("batches", "expected"),
    [
        (range(1, 10), [Split(4, (5, 6)), Split(6, (7, 8)), Split(8, (9,))]),
        (range(1, 9), [Split(4, (5, 6)), Split(6, (7, 8)), Split(7, (8,))]),
        (range(1, 7), [Split(4, (5, 6)), Split(5, (6,))]),
        ((1, 2), [Split(1, (2,))]),
        ((1,), []),
    ],
)
def test_splits_are_the_fixed_ones_and_the_newest_batch(batches: range, expected: list[Split]) -> None:
    assert splits(batches) == expected


def test_prf_and_micro() -> None:
    assert prf(3, 1, 0) == (0.75, 1.0, pytest.approx(6 / 7))
    assert prf(0, 0, 0) == (1.0, 1.0, 1.0)
    assert prf(0, 2, 2)[2] == 0.0
    assert micro({"a": [1, 2, 3], "b": [4, 0, 1]}) == (5, 2, 4)


def test_score_counts_only_the_named_cases(small_model: ClauseClassifier) -> None:
    names = case_names(batches={9})[:2]
    table = score(small_model, names=names)
    tp, fp, fn = micro(table["types"])
    assert tp + fn > 0
    # The same cases by name prefix give the same table.
    by_prefix = [score(small_model, prefix=name) for name in names]
    assert tp == sum(micro(t["types"])[0] for t in by_prefix)
    assert fp == sum(micro(t["types"])[1] for t in by_prefix)


def test_run_trains_each_arm_on_its_batches_and_reports_the_gain(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[int, tuple[int, ...]]] = []

    def fake_train(seed: int, batches: tuple[int, ...]) -> Any:
        calls.append((seed, tuple(batches)))
        return "handwritten" if batches else "generated"

    def fake_scores(split: Split, model: Any) -> dict[str, tuple[int, int, int]]:
        # types: the hand-written arm has fewer false positives; rules: the same counts.
        return {"types": (8, 2, 0) if model == "handwritten" else (8, 8, 0), "rules": (3, 1, 1)}

    monkeypatch.setattr(later, "train_quick", fake_train)
    monkeypatch.setattr(later, "split_scores", fake_scores)
    monkeypatch.setattr(later, "splits", lambda _batches: [Split(7, (8,)), Split(8, (9,))])
    result = SUITE.run(None, EvalContext(seed=7))
    # The generated arm is the same model in both splits: trained once per seed.
    seeds = (7, 8, 9)
    assert sorted(calls) == sorted(
        [(s, tuple(range(1, 8))) for s in seeds]
        + [(s, tuple(range(1, 9))) for s in seeds]
        + [(s, ()) for s in seeds]
    )
    metrics = result.metrics
    for split in ("upto_r7", "upto_r8"):
        assert metrics[f"{split}.handwritten.types_precision"] == pytest.approx(0.8)
        assert metrics[f"{split}.generated.types_precision"] == pytest.approx(0.5)
        assert metrics[f"{split}.gain.types_f1"] == pytest.approx(2 * 0.8 / 1.8 - 2 * 0.5 / 1.5)
        assert metrics[f"{split}.gain.rules_f1"] == 0.0
    assert set(result.headline) == {"upto_r8.handwritten.types_f1", "upto_r8.handwritten.rules_f1"}
    assert len(result.tables["per seed"]) == 2 * 2 * 3
    calls.clear()
    SUITE.run(None, EvalContext(seed=7, quick=True))
    assert {seed for seed, _ in calls} == {7}


def test_run_is_skipped_without_a_later_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(later, "splits", lambda _batches: [])
    result = SUITE.run(None, EvalContext())
    assert result.skipped and not result.metrics
