"""Types of the compiled module built from ``_forest_walk.c``."""

import numpy as np

def depth_sums(
    matrix: np.ndarray,
    itemsize: int,
    row_step: int,
    column_step: int,
    n_rows: int,
    n_features: int,
    features: np.ndarray,
    thresholds: np.ndarray,
    leaves: np.ndarray,
    n_trees: int,
    depth: int,
    out: np.ndarray,
    start: int,
    stop: int,
    /,
) -> bool: ...
