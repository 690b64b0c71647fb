"""Isolation-forest scores computed in row blocks, equal to ``IsolationForest.score_samples``.

scikit-learn scores a batch one tree at a time over the whole matrix: each of
the forest's trees reads every row (for a million rows, the float32 matrix is
read from memory once per tree) and, with more than one thread, the per-tree
depth sums wait on one lock. Here the rows are cut into blocks small enough to
stay in the processor's cache; every tree descends over one block before the
next block is read, and each thread owns its blocks, so nothing waits. The
arithmetic is scikit-learn's, in the same order for every row (trees summed
in forest order, the same normalisation), so the scores are equal to those of
``score_samples`` computed sequentially, bit for bit (``tests/anomaly`` checks it).

It relies on the fitted forest's per-tree leaf depths, which scikit-learn keeps
as private attributes; when they are missing (another scikit-learn version) the
forest's own ``score_samples`` is used.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
from joblib import effective_n_jobs
from sklearn.ensemble import IsolationForest
from sklearn.utils.validation import validate_data

__all__ = ["forest_scores"]

#: Rows per block: 16,384 rows of a dozen float32 features is under 1 MB.
BLOCK_ROWS = 16_384


def _leaf_tables(forest: IsolationForest) -> list[np.ndarray] | None:
    """Per tree, what a row ending in each leaf adds to its depth sum (None if unavailable)."""
    paths = getattr(forest, "_decision_path_lengths", None)
    averages = getattr(forest, "_average_path_length_per_tree", None)
    if paths is None or averages is None or len(paths) != len(forest.estimators_):
        return None
    # score_samples adds ``paths[leaf] + averages[leaf] - 1.0`` per tree: the same sum, once per leaf.
    return [
        np.asarray(p, dtype=np.float64) + np.asarray(a, dtype=np.float64) - 1.0
        for p, a in zip(paths, averages, strict=True)
    ]


def _denominator(forest: IsolationForest) -> np.ndarray | None:
    try:
        from sklearn.ensemble._iforest import _average_path_length
    except ImportError:  # pragma: no cover - another scikit-learn layout
        return None
    return np.asarray(len(forest.estimators_) * _average_path_length([forest._max_samples]))


def _block_depths(trees: list[Any], tables: list[np.ndarray], block: np.ndarray) -> np.ndarray:
    depths = np.zeros(len(block))
    for tree, table in zip(trees, tables, strict=True):
        depths += table[tree.apply(block)]
    return depths


def forest_scores(forest: IsolationForest, matrix: np.ndarray) -> np.ndarray:
    """``forest.score_samples(matrix)``, computed in cache-sized row blocks.

    Parameters
    ----------
    forest
        A fitted ``IsolationForest`` (every feature used by every tree).
    matrix
        Rows x features, as given to ``score_samples``.

    Returns
    -------
    numpy.ndarray
        The forest's scores (lower is more abnormal); threads as joblib's active
        ``parallel_config`` allows (one by default, as scikit-learn).
    """
    tables = _leaf_tables(forest)
    denominator = _denominator(forest)
    features = getattr(forest, "estimators_features_", None)
    whole = features is not None and all(len(f) == forest.n_features_in_ for f in features)
    array = np.asarray(matrix)
    if tables is None or denominator is None or not whole or array.ndim != 2 or not len(array):
        return np.asarray(forest.score_samples(matrix), dtype=float)
    # The input check score_samples makes (float32, the fitted width; NaN left to the trees).
    data = validate_data(forest, array, dtype=np.float32, reset=False, ensure_all_finite=False)
    data = np.ascontiguousarray(data)
    trees = [estimator.tree_ for estimator in forest.estimators_]
    starts = range(0, len(data), BLOCK_ROWS)
    depths = np.zeros(len(data))
    workers = min(max(1, effective_n_jobs()), len(starts))

    def run(start: int) -> None:
        depths[start : start + BLOCK_ROWS] = _block_depths(trees, tables, data[start : start + BLOCK_ROWS])

    if workers > 1:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            list(pool.map(run, starts))
    else:
        for start in starts:
            run(start)
    scores = 2 ** (-np.divide(depths, denominator, out=np.ones_like(depths), where=denominator != 0))
    return np.asarray(-scores, dtype=float)
