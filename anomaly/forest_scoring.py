"""Isolation-forest scores equal to ``IsolationForest.score_samples``, computed faster.

scikit-learn scores a batch one tree at a time over the whole matrix: each of
the forest's trees reads every row (for a million rows, the matrix is read
from memory once per tree), every step of a row's descent is a branch the
processor mispredicts half the time, and with more than one thread the
per-tree depth sums wait on one lock.

Here the forest is packed once (per fitted forest, on first use) into complete
binary trees of one depth in heap order: a leaf shallower than that depth is
padded with splits that always go left, and its value fills every bottom leaf
under it, so each row takes the same number of steps per tree and each step
is a comparison that picks a child index, not a branch. The compiled walk
(``anomaly/_forest_walk.c``) descends one tree over a tile of rows at a time,
so the tree and the tile stay in cache; it releases the GIL, and the rows are
cut into blocks that threads (as many as joblib's active ``parallel_config``
allows) walk independently. The arithmetic is scikit-learn's, in the same
order for every row (each tree's ``path length + average path length - 1``,
summed in forest order from 0.0, the same normalisation), so the scores equal
those of ``score_samples`` computed sequentially, bit for bit
(``tests/anomaly/test_forest_scoring.py`` checks it).

Without the compiled module (a machine that could not build it), for a matrix
with NaN (scikit-learn sends a missing value to a side chosen per split; only the blocks of
rows holding one), or
for a forest of another scikit-learn's private layout, the same blocks are
walked with the trees' own ``apply``: the same scores, as fast as before.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
from joblib import effective_n_jobs
from sklearn.ensemble import IsolationForest
from sklearn.utils.validation import validate_data

try:
    import anomaly._forest_walk as _forest_walk
except ImportError:  # pragma: no cover - the optional build step did not run or failed
    _forest_walk = None  # type: ignore[assignment]

__all__ = ["PackedForest", "compiled_walk_available", "forest_scores", "pack_forest"]

#: Rows per block a thread takes at a time: 16,384 rows of a dozen float32 features is under 1 MB.
BLOCK_ROWS = 16_384
#: Deeper trees (max_samples above 2**14) are walked by scikit-learn: their padded tables would
#: not fit in cache, and each step would wait on memory.
MAX_PACKED_DEPTH = 14


def compiled_walk_available() -> bool:
    """Whether the compiled tree walk was built (``pip install -e .`` builds it)."""
    return _forest_walk is not None


@dataclass(frozen=True)
class PackedForest:
    """A fitted forest as complete heap-ordered trees of one depth.

    ``features`` (int32) and ``thresholds`` (float32, rounded down from the
    float64 split values, which decides every float32 input the same way) are
    trees x (2**depth - 1) splits; ``leaves`` (float64) is trees x 2**depth, what
    a row ending in each bottom leaf adds to its depth sum.
    """

    features: np.ndarray
    thresholds: np.ndarray
    leaves: np.ndarray
    depth: int
    n_features: int


# Packed once per fitted forest, dropped with it; refitting replaces ``estimators_``,
# which the entry remembers, so a refitted forest is packed again.
_PACKED: weakref.WeakKeyDictionary[IsolationForest, tuple[list[Any], PackedForest | None]] = (
    weakref.WeakKeyDictionary()
)


def _leaf_tables(forest: IsolationForest) -> list[np.ndarray] | None:
    """Per tree, what a row ending in each node adds to its depth sum (None if unavailable)."""
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


def _float32_at_most(values: np.ndarray) -> np.ndarray:
    """The largest float32 not above each float64 value."""
    rounded = values.astype(np.float32)
    above = rounded.astype(np.float64) > values
    rounded[above] = np.nextafter(rounded[above], np.float32(-np.inf))
    return rounded


def _pack_tree(
    tree: Any, columns: np.ndarray, table: np.ndarray, depth: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    inner = (1 << depth) - 1
    features = np.zeros(inner, dtype=np.int32)
    # A padding split sends every non-NaN value left (x > +inf is false, +inf included).
    thresholds = np.full(inner, np.inf, dtype=np.float32)
    leaves = np.zeros(inner + 1, dtype=np.float64)
    left, right = tree.children_left, tree.children_right
    nodes, heap = np.array([0]), np.array([0])
    for level in range(depth + 1):
        is_leaf = left[nodes] == -1
        if level == depth and not is_leaf.all():  # pragma: no cover - max_depth bounds every tree
            raise ValueError("tree deeper than its max_depth")
        # A leaf at this level covers the 2**(depth - level) bottom leaves under its heap slot.
        span = 1 << (depth - level)
        first = (heap[is_leaf] + 1) * span - 1 - inner
        leaves[(first[:, None] + np.arange(span)[None, :]).ravel()] = np.repeat(table[nodes[is_leaf]], span)
        split, split_heap = nodes[~is_leaf], heap[~is_leaf]
        features[split_heap] = columns[tree.feature[split]]
        thresholds[split_heap] = _float32_at_most(tree.threshold[split])
        nodes = np.concatenate([left[split], right[split]])
        heap = np.concatenate([2 * split_heap + 1, 2 * split_heap + 2])
        if not len(nodes):
            break
    return features, thresholds, leaves


def pack_forest(forest: IsolationForest) -> PackedForest | None:
    """The forest packed for the compiled walk, or None when it cannot be (see the module docstring).

    Parameters
    ----------
    forest
        A fitted ``IsolationForest``.

    Returns
    -------
    PackedForest or None
    """
    tables = _leaf_tables(forest)
    column_sets = getattr(forest, "estimators_features_", None)
    if tables is None or column_sets is None or not forest.estimators_:
        return None
    trees = [estimator.tree_ for estimator in forest.estimators_]
    depth = max(int(tree.max_depth) for tree in trees)
    if depth > MAX_PACKED_DEPTH:
        return None
    packed = [
        _pack_tree(tree, np.asarray(columns, dtype=np.int32), table, depth)
        for tree, columns, table in zip(trees, column_sets, tables, strict=True)
    ]
    return PackedForest(
        features=np.ascontiguousarray(np.stack([p[0] for p in packed])),
        thresholds=np.ascontiguousarray(np.stack([p[1] for p in packed])),
        leaves=np.ascontiguousarray(np.stack([p[2] for p in packed])),
        depth=depth,
        n_features=int(forest.n_features_in_),
    )


def _packed(forest: IsolationForest) -> PackedForest | None:
    entry = _PACKED.get(forest)
    if entry is None or entry[0] is not forest.estimators_:
        entry = (forest.estimators_, pack_forest(forest))
        _PACKED[forest] = entry
    return entry[1]


def _compiled_rows(
    packed: PackedForest, data: np.ndarray, depths: np.ndarray, fallback: Callable[[int, int], None]
) -> Callable[[int, int], None]:
    """The compiled walk over ``data`` as it lies in memory (float32 or float64, C or Fortran
    order: no float32 copy of the matrix); a block holding NaN goes to ``fallback``."""
    assert _forest_walk is not None
    if data.flags.c_contiguous:
        items, row_step, column_step = data, data.shape[1], 1
    else:  # Fortran order: its transpose is the C-ordered buffer
        items, row_step, column_step = data.T, 1, data.shape[0]

    def walk(start: int, stop: int) -> None:
        walked = _forest_walk.depth_sums(
            items,
            data.itemsize,
            row_step,
            column_step,
            len(data),
            packed.n_features,
            packed.features,
            packed.thresholds,
            packed.leaves,
            len(packed.features),
            packed.depth,
            depths,
            start,
            stop,
        )
        if not walked:
            fallback(start, stop)

    return walk


def _sklearn_rows(
    forest: IsolationForest, data: np.ndarray, depths: np.ndarray
) -> Callable[[int, int], None]:
    tables = _leaf_tables(forest)
    assert tables is not None
    trees = [estimator.tree_ for estimator in forest.estimators_]
    column_sets = [np.asarray(columns) for columns in forest.estimators_features_]
    whole = all(len(c) == data.shape[1] for c in column_sets)

    def walk(start: int, stop: int) -> None:
        block = np.asarray(data[start:stop], dtype=np.float32)
        total = np.zeros(len(block))
        for tree, columns, table in zip(trees, column_sets, tables, strict=True):
            rows = block if whole else np.ascontiguousarray(block[:, columns])
            total += table[tree.apply(rows)]
        depths[start:stop] = total

    return walk


def forest_scores(forest: IsolationForest, matrix: np.ndarray) -> np.ndarray:
    """``forest.score_samples(matrix)``, computed in row blocks by the compiled walk.

    Parameters
    ----------
    forest
        A fitted ``IsolationForest``.
    matrix
        Rows x features, as given to ``score_samples``.

    Returns
    -------
    numpy.ndarray
        The forest's scores (lower is more abnormal); threads as joblib's active
        ``parallel_config`` allows (one by default, as scikit-learn).
    """
    denominator = _denominator(forest)
    array = np.asarray(matrix)
    if array.ndim == 2 and not len(array):
        # A batch whose every row was rejected: nothing to score (scikit-learn refuses 0 rows).
        return np.empty(0, dtype=float)
    if _leaf_tables(forest) is None or denominator is None or array.ndim != 2 or not len(array):
        return np.asarray(forest.score_samples(matrix), dtype=float)
    # The input check score_samples makes (the fitted width; NaN left to the trees). Floats are
    # kept as they are, each block converted to float32 as it is walked, as score_samples
    # converts the whole matrix; other types become float32 here, as there.
    dtype = array.dtype if array.dtype in (np.float32, np.float64) else np.float32
    data = validate_data(forest, array, dtype=dtype, reset=False, ensure_all_finite=False)
    if not (data.flags.c_contiguous or data.flags.f_contiguous):
        data = np.ascontiguousarray(data)
    depths = np.zeros(len(data))
    packed = _packed(forest) if _forest_walk is not None else None
    walk = _sklearn_rows(forest, data, depths)
    if packed is not None:
        walk = _compiled_rows(packed, data, depths, fallback=walk)
    starts = range(0, len(data), BLOCK_ROWS)

    def walk_block(start: int) -> None:
        walk(start, min(start + BLOCK_ROWS, len(data)))

    workers = min(max(1, effective_n_jobs()), len(starts))
    if workers > 1:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            list(pool.map(walk_block, starts))
    else:
        for start in starts:
            walk_block(start)
    scores = 2 ** (-np.divide(depths, denominator, out=np.ones_like(depths), where=denominator != 0))
    return np.asarray(-scores, dtype=float)
