"""The learned ranking model: factor weights from historical staffing decisions.

Each decision is a group: the breakdowns of the eligible candidates for one
request and which one was chosen. The model fits a pairwise logistic
regression on breakdown differences (chosen minus each other candidate, and
the reverse), with no intercept: its coefficients say how much a unit of each
factor moved the choice. Negative coefficients are clipped to 0 (a factor is
never rewarded for being worse) and the rest normalised to sum to 1, so the
score stays a weighted mean in [0, 1]; higher is better.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from staffing_recs.errors import StaffingModelError
from staffing_recs.schemas import FACTORS

MODEL_FILE = "staffing_weights.json"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class StaffingDecision:
    """One historical choice: candidate breakdowns (rows in ``FACTORS`` order) and the chosen row."""

    features: np.ndarray
    chosen: int
    weight: float = 1.0  # reviewers' decisions may count more than simulated history


class StaffingRankingModel:
    """Pairwise logistic regression over score breakdowns.

    Parameters
    ----------
    C : float
        Inverse regularisation strength of the logistic regression.
    max_pairs_per_decision : int
        Pairs taken per decision (the chosen against its strongest rivals first).
    random_state : int or None
    """

    def __init__(self, *, C: float = 1.0, max_pairs_per_decision: int = 20, random_state: int | None = None):
        self.C = C
        self.max_pairs_per_decision = max_pairs_per_decision
        self.random_state = random_state

    def fit(self, decisions: Sequence[StaffingDecision]) -> StaffingRankingModel:
        """Learn ``weights_`` and ``coef_`` from ``decisions``; returns ``self``."""
        from sklearn.linear_model import LogisticRegression

        differences: list[np.ndarray] = []
        sample_weights: list[float] = []
        for decision in decisions:
            features = np.asarray(decision.features, dtype=np.float64)
            if features.ndim != 2 or features.shape[1] != len(FACTORS) or len(features) < 2:
                continue
            chosen = features[decision.chosen]
            others = np.delete(features, decision.chosen, axis=0)
            gaps = chosen[None, :] - others
            # The rivals nearest to the chosen one say the most about the preference.
            order = np.argsort(np.abs(gaps).sum(axis=1))[: self.max_pairs_per_decision]
            for gap in gaps[order]:
                if not np.any(gap):
                    continue
                differences.extend([gap, -gap])
                sample_weights.extend([decision.weight, decision.weight])
        if len(differences) < 2:
            raise StaffingModelError("too few staffing decisions with two or more distinct candidates to fit")
        x = np.vstack(differences)
        y = np.tile([1, 0], len(differences) // 2)
        regression = LogisticRegression(
            C=self.C, fit_intercept=False, max_iter=1000, random_state=self.random_state
        )
        regression.fit(x, y, sample_weight=np.asarray(sample_weights))
        self.coef_ = regression.coef_[0].copy()
        clipped = np.clip(self.coef_, 0, None)
        if clipped.sum() <= 0:
            raise StaffingModelError("the decisions reward no factor; cannot derive weights")
        self.weights_ = {
            name: float(value) for name, value in zip(FACTORS, clipped / clipped.sum(), strict=True)
        }
        self.n_decisions_ = len(decisions)
        return self

    def _check_fitted(self) -> None:
        if not hasattr(self, "weights_"):
            raise StaffingModelError("StaffingRankingModel is not fitted")

    def score(self, features: np.ndarray) -> np.ndarray:
        """Weighted mean of factor rows; higher is better."""
        self._check_fitted()
        vector = np.array([self.weights_[name] for name in FACTORS])
        return np.asarray(features, dtype=np.float64) @ vector

    def pairwise_accuracy(self, decisions: Sequence[StaffingDecision]) -> float:
        """Share of (chosen, other) pairs the model orders correctly (ties count half)."""
        right = total = 0.0
        for decision in decisions:
            scores = self.score(decision.features)
            others = np.delete(scores, decision.chosen)
            right += float(
                (scores[decision.chosen] > others).sum() + 0.5 * (scores[decision.chosen] == others).sum()
            )
            total += len(others)
        return right / total if total else 0.0

    def save(self, directory: Path) -> None:
        """Write the weights to ``directory/staffing_weights.json``."""
        self._check_fitted()
        document = {
            "format_version": FORMAT_VERSION,
            "factors": list(FACTORS),
            "weights": self.weights_,
            "coef": [float(c) for c in self.coef_],
            "params": {
                "C": self.C,
                "max_pairs_per_decision": self.max_pairs_per_decision,
                "random_state": self.random_state,
            },
            "n_decisions": self.n_decisions_,
        }
        Path(directory, MODEL_FILE).write_text(json.dumps(document, indent=2), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> StaffingRankingModel:
        """Read what ``save`` wrote; ``StaffingModelError`` when missing or corrupt."""
        path = Path(directory, MODEL_FILE)
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
            params = document["params"]
            model = cls(
                C=float(params["C"]),
                max_pairs_per_decision=int(params["max_pairs_per_decision"]),
                random_state=params["random_state"],
            )
            weights = {name: float(document["weights"][name]) for name in FACTORS}
            coef = np.array([float(c) for c in document["coef"]])
            n_decisions = int(document["n_decisions"])
        except FileNotFoundError:
            raise StaffingModelError(f"no staffing model in {directory} ({MODEL_FILE} missing)") from None
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise StaffingModelError(f"staffing model in {directory} is corrupt: {error}") from None
        if (
            coef.shape != (len(FACTORS),)
            or any(w < 0 for w in weights.values())
            or sum(weights.values()) <= 0
        ):
            raise StaffingModelError(f"staffing model in {directory} is corrupt: bad weights")
        model.weights_, model.coef_, model.n_decisions_ = weights, coef, n_decisions
        return model
