"""The compiled isolation-forest walk against scikit-learn's own ``score_samples``:
equal bit for bit (sequential scikit-learn sums the trees in the same order) on
random forests of several shapes, on the real model's feature matrix, across
threads and ragged blocks; the fallbacks; and the compiled module's own input checks."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from joblib import parallel_config
from sklearn.ensemble import IsolationForest

from anomaly import TimeEntryAnomalyModel, forest_scoring, read_time_entries
from anomaly.forest_scoring import compiled_walk_available, forest_scores, pack_forest
from training.firm_generator import generate_firm


def test_compiled_walk_is_built() -> None:
    # The build step is optional so an install never fails on it; this makes a broken one visible.
    assert compiled_walk_available()


def _batch(rng: np.random.Generator, width: int) -> np.ndarray:
    return np.vstack(
        [
            rng.normal(size=(1200, width)),
            rng.normal(scale=6.0, size=(40, width)),  # beyond every split
            np.full((1, width), np.inf),
            np.full((1, width), -np.inf),
            np.zeros((1, width)),
        ]
    )


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"max_features": 0.5},  # each tree sees a subset of the columns
        {"max_samples": 20},  # shallow trees
        {"max_samples": 1500, "n_estimators": 12},  # deeper, unbalanced trees
        {"n_estimators": 1},
    ],
)
def test_forest_scores_equal_score_samples_bit_for_bit(
    options: dict[str, Any], global_random_seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = np.random.default_rng(global_random_seed)
    width = int(rng.integers(2, 9))
    train = rng.standard_t(df=3, size=(2000, width))
    forest = IsolationForest(random_state=global_random_seed, **options).fit(train)
    batch = _batch(rng, width)
    expected = forest.score_samples(batch)
    assert pack_forest(forest) is not None
    monkeypatch.setattr(forest_scoring, "BLOCK_ROWS", 300)  # several blocks, a ragged last one
    assert np.array_equal(forest_scores(forest, batch), expected)
    with parallel_config(backend="threading", n_jobs=2):
        assert np.array_equal(forest_scores(forest, batch), expected)
    assert np.array_equal(forest_scores(forest, batch[-1:]), expected[-1:])
    assert np.array_equal(forest_scores(forest, batch.astype(np.float32)), expected)


def test_values_on_a_split_go_where_scikit_learn_sends_them(global_random_seed: int) -> None:
    # Inputs exactly at (and one float32 step either side of) each split value: the rounding of
    # float64 thresholds to float32 must decide them as scikit-learn's float64 comparison does.
    rng = np.random.default_rng(global_random_seed)
    forest = IsolationForest(n_estimators=5, random_state=global_random_seed).fit(rng.normal(size=(500, 3)))
    tree = forest.estimators_[0].tree_
    splits = tree.threshold[tree.children_left != -1]
    at = splits.astype(np.float32)
    values = np.concatenate([at, np.nextafter(at, np.float32(np.inf)), np.nextafter(at, np.float32(-np.inf))])
    batch = np.repeat(values[:, None], 3, axis=1)
    assert np.array_equal(forest_scores(forest, batch), forest.score_samples(batch))


def test_forest_of_single_leaf_trees() -> None:
    forest = IsolationForest(n_estimators=8, random_state=0).fit(np.ones((50, 3)))
    batch = np.array([[1.0, 1.0, 1.0], [5.0, -2.0, 0.0]])
    assert np.array_equal(forest_scores(forest, batch), forest.score_samples(batch))


def test_matrix_with_nan_is_scored_as_scikit_learn_scores_it(global_random_seed: int) -> None:
    rng = np.random.default_rng(global_random_seed)
    forest = IsolationForest(n_estimators=20, random_state=global_random_seed).fit(rng.normal(size=(400, 4)))
    batch = rng.normal(size=(300, 4))
    batch[::7, 1] = np.nan
    assert np.array_equal(forest_scores(forest, batch), forest.score_samples(batch))


def test_without_the_compiled_walk_scores_are_the_same(
    global_random_seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = np.random.default_rng(global_random_seed)
    forest = IsolationForest(n_estimators=15, max_features=0.7, random_state=global_random_seed)
    forest.fit(rng.normal(size=(500, 5)))
    batch = _batch(rng, 5)
    expected = forest.score_samples(batch)  # sequential: with threads it sums in another order
    monkeypatch.setattr(forest_scoring, "_forest_walk", None)
    monkeypatch.setattr(forest_scoring, "BLOCK_ROWS", 300)
    assert np.array_equal(forest_scores(forest, batch), expected)
    with parallel_config(backend="threading", n_jobs=2):
        assert np.array_equal(forest_scores(forest, batch), expected)


def test_refitted_forest_is_packed_again(global_random_seed: int) -> None:
    rng = np.random.default_rng(global_random_seed)
    forest = IsolationForest(n_estimators=10, random_state=global_random_seed).fit(rng.normal(size=(300, 3)))
    batch = rng.normal(scale=3.0, size=(200, 3))
    forest_scores(forest, batch)
    forest.fit(rng.normal(loc=4.0, size=(300, 3)))
    assert np.array_equal(forest_scores(forest, batch), forest.score_samples(batch))


def test_real_model_scores_equal_score_samples() -> None:
    firm = generate_firm(seed=11, n_people=12, n_projects=4, months=3)
    entries = firm.entries.drop(columns=["label_kind"])
    model = TimeEntryAnomalyModel(random_state=4).fit(entries, context=firm.context)
    matrix = model.features(read_time_entries(entries).frame).matrix
    expected = model.forest_.score_samples(matrix)
    with parallel_config(backend="threading", n_jobs=2):
        assert np.array_equal(forest_scores(model.forest_, matrix), expected)


def test_compiled_walk_refuses_buffers_that_do_not_fit() -> None:
    import anomaly._forest_walk as _forest_walk

    rows = np.random.default_rng(0).normal(size=(100, 2))
    packed = pack_forest(IsolationForest(n_estimators=3, random_state=0).fit(rows))
    assert packed is not None
    matrix = np.zeros((10, 2), dtype=np.float32)
    outside = packed.features.copy()
    outside[0, 0] = 2  # a column the rows do not have
    args: list[Any] = [matrix, 4, 2, 1, 10, 2, packed.features, packed.thresholds, packed.leaves, 3]
    args += [packed.depth]
    args += [np.zeros(10), 0, 10]
    assert _forest_walk.depth_sums(*args) is True
    for position, bad in (
        (10, packed.depth + 1),  # tables smaller than the depth says
        (9, 4),  # more trees than the tables hold
        (13, 11),  # rows beyond the matrix
        (4, 11),  # a matrix with fewer rows than said
        (2, 3),  # rows further apart than the matrix holds
        (1, 8),  # float64 items in a float32 matrix
        (1, 2),  # an item size that is neither
        (10, 30),  # depth out of range
        (11, np.zeros(5)),  # out shorter than the rows
        (6, outside),
    ):
        wrong = list(args)
        wrong[position] = bad
        with pytest.raises(ValueError):
            _forest_walk.depth_sums(*wrong)


@pytest.mark.parametrize("layout", ["C", "F"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_matrix_is_walked_as_it_lies_in_memory(
    layout: str, dtype: Any, global_random_seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Either order and either float width, read in place, scores as scikit-learn's float32 copy;
    # values that round differently to float32 (next to the splits) included.
    rng = np.random.default_rng(global_random_seed)
    forest = IsolationForest(n_estimators=20, random_state=global_random_seed).fit(rng.normal(size=(600, 4)))
    tree = forest.estimators_[0].tree_
    splits = tree.threshold[tree.children_left != -1]
    near = np.concatenate([splits, np.nextafter(splits, np.inf), np.nextafter(splits, -np.inf)])
    batch = np.vstack([_batch(rng, 4), np.repeat(near[:, None], 4, axis=1)])
    batch = np.asarray(batch, dtype=dtype, order=layout)  # type: ignore[call-overload]
    monkeypatch.setattr(forest_scoring, "BLOCK_ROWS", 256)
    expected = forest.score_samples(batch)
    with parallel_config(backend="threading", n_jobs=2):
        assert np.array_equal(forest_scores(forest, batch), expected)
    assert np.array_equal(forest_scores(forest, batch[::3]), forest.score_samples(batch[::3]))


def test_only_blocks_with_nan_go_to_scikit_learn(
    global_random_seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = np.random.default_rng(global_random_seed)
    forest = IsolationForest(n_estimators=10, random_state=global_random_seed).fit(rng.normal(size=(400, 3)))
    batch = rng.normal(size=(1000, 3))
    batch[650, 2] = np.nan
    monkeypatch.setattr(forest_scoring, "BLOCK_ROWS", 200)
    by_trees: list[tuple[int, int]] = []
    sklearn_rows = forest_scoring._sklearn_rows

    def recording_rows(*args: Any) -> Any:
        walk = sklearn_rows(*args)

        def recorded(start: int, stop: int) -> None:
            by_trees.append((start, stop))
            walk(start, stop)

        return recorded

    monkeypatch.setattr(forest_scoring, "_sklearn_rows", recording_rows)
    scores = forest_scores(forest, batch)
    assert by_trees == [(600, 800)]
    assert np.array_equal(scores, forest.score_samples(batch))
