"""Calibrated confidence for billing values.

Each extractor produces a *raw score* in [0, 1] from its features (anchor
strength, agreeing mentions, conflicts). A :class:`Calibrator` maps it to the
probability that the value is right, per field, with a monotone piecewise-linear
curve fitted by isotonic regression on generated SOWs whose truth is known
(:func:`fit_calibrator`; ``training/billing_calibration.py`` refits it). The
package ships a default table, ``calibration.json``; a field without its own
curve uses the pooled ``"*"`` curve, and with no table at all the raw score is
returned unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

DEFAULT_TABLE = Path(__file__).with_name("calibration.json")


@dataclass
class Calibrator:
    """Per-field monotone curves ``raw -> confidence`` (``x`` and ``y`` breakpoints)."""

    curves: dict[str, tuple[list[float], list[float]]] = field(default_factory=dict)

    def confidence(self, field_name: str, raw: float) -> float:
        curve = self.curves.get(field_name) or self.curves.get("*")
        if not curve:
            return round(float(min(1.0, max(0.0, raw))), 4)
        xs, ys = curve
        return round(float(np.clip(np.interp(raw, xs, ys), 0.0, 1.0)), 4)

    def to_json(self) -> str:
        return json.dumps({k: {"x": x, "y": y} for k, (x, y) in sorted(self.curves.items())}, indent=1)

    @classmethod
    def from_json(cls, text: str) -> Calibrator:
        data = json.loads(text)
        return cls({k: (list(v["x"]), list(v["y"])) for k, v in data.items()})


def fit_calibrator(
    samples: Iterable[tuple[str, float, bool]], *, min_samples: int = 30, prior_weight: float = 20.0
) -> Calibrator:
    """Fit isotonic curves from ``(field, raw_score, was_correct)`` samples.

    Generated SOWs are easier than real ones, so the fit is shrunk towards the
    raw score: at every distinct raw score ``r`` the regression also sees
    ``prior_weight`` pseudo-observations that are right with probability ``r``.
    Where generated data is plentiful it dominates; where it is thin, the
    curve stays near the raw score instead of jumping to 0 or 1.

    Parameters
    ----------
    samples
        One item per extracted value.
    min_samples
        Fields with fewer samples share the pooled ``"*"`` curve.
    prior_weight
        Pseudo-observations per distinct raw score (0 disables the prior).

    Returns
    -------
    Calibrator
    """
    from sklearn.isotonic import IsotonicRegression

    by_field: dict[str, list[tuple[float, bool]]] = {}
    pooled: list[tuple[float, bool]] = []
    for name, raw, correct in samples:
        by_field.setdefault(name, []).append((raw, correct))
        pooled.append((raw, correct))
    curves: dict[str, tuple[list[float], list[float]]] = {}
    for name, items in [("*", pooled), *by_field.items()]:
        if len(items) < (1 if name == "*" else min_samples):
            continue
        xs = np.array([r for r, _ in items], dtype=float)
        ys = np.array([1.0 if c else 0.0 for _, c in items])
        weights = np.ones_like(xs)
        grid = np.unique(np.concatenate([[0.0, 1.0], xs]))
        if prior_weight > 0:
            xs = np.concatenate([xs, grid, grid])
            ys = np.concatenate([ys, np.ones_like(grid), np.zeros_like(grid)])
            weights = np.concatenate([weights, prior_weight * grid, prior_weight * (1.0 - grid)])
        model = IsotonicRegression(y_min=0.02, y_max=0.99, out_of_bounds="clip").fit(
            xs, ys, sample_weight=weights
        )
        curves[name] = ([round(float(x), 4) for x in grid], [round(float(y), 4) for y in model.predict(grid)])
    return Calibrator(curves)


@lru_cache(maxsize=1)
def default_calibrator() -> Calibrator:
    """The packaged calibration table (identity when it is missing)."""
    if DEFAULT_TABLE.exists():
        return Calibrator.from_json(DEFAULT_TABLE.read_text(encoding="utf-8"))
    return Calibrator()


__all__ = ["DEFAULT_TABLE", "Calibrator", "default_calibrator", "fit_calibrator"]
