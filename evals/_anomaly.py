"""What the time-entry and invoice suites share: held-out firms, metrics at
the review budget, per-kind recall, and their figures.

The suites evaluate a model *configuration* the way it is used: on a firm it
has never seen (a different seed and shape than training), the model is
refitted on that firm's own earlier history with the candidate's parameters,
then scores the firm's later batch. Items a control hits rank above every
model-only item (a control flags whatever the score).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from sklearn.metrics import average_precision_score

from anomaly.schemas import AnomalyScore

__all__ = ["budget_metrics", "figures_for", "kind_recall", "priority"]


def priority(results: Sequence[AnomalyScore]) -> np.ndarray:
    """Review order: control hits first, then by risk."""
    return np.array([r.risk + (1.0 if r.controls else 0.0) for r in results])


def budget_metrics(
    labels: np.ndarray, results: Sequence[AnomalyScore], *, review_budget: float
) -> dict[str, float]:
    """AUPRC, precision/recall at the budget (top share by priority) and of the flagged set."""
    truth = np.asarray(labels, dtype=bool)
    order = priority(results)
    risk = np.array([r.risk for r in results])
    flagged = np.array([r.flagged for r in results])
    model_flagged = risk >= 0.5
    k = max(1, math.ceil(review_budget * len(results)))
    top = np.zeros(len(results), dtype=bool)
    top[np.argsort(-order, kind="stable")[:k]] = True
    positives = max(int(truth.sum()), 1)

    def precision(mask: np.ndarray) -> float:
        return float(truth[mask].mean()) if mask.any() else 0.0

    return {
        "items": float(len(results)),
        "anomalies": float(truth.sum()),
        "auprc": float(average_precision_score(truth, order)) if truth.any() else float("nan"),
        "auprc_model_only": float(average_precision_score(truth, risk)) if truth.any() else float("nan"),
        "precision_at_budget": precision(top),
        "recall_at_budget": float((top & truth).sum() / positives),
        "precision_flagged": precision(flagged),
        "recall_flagged": float((flagged & truth).sum() / positives),
        "flagged_share": float(flagged.mean()),
        "model_flagged_share": float(model_flagged.mean()),
        "recall_model_only": float((model_flagged & truth).sum() / positives),
    }


def kind_recall(
    kinds: Sequence[str], results: Sequence[AnomalyScore], all_kinds: Sequence[str]
) -> list[dict[str, Any]]:
    """Per injected kind: how many, share flagged, share flagged by the model, by a control."""
    rows = []
    kinds_array = np.asarray(kinds, dtype=object)
    flagged = np.array([r.flagged for r in results])
    by_model = np.array([r.risk >= 0.5 for r in results])
    by_control = np.array([bool(r.controls) for r in results])
    for kind in all_kinds:
        mask = kinds_array == kind
        n = int(mask.sum())
        rows.append(
            {
                "kind": kind,
                "count": n,
                "recall": float(flagged[mask].mean()) if n else float("nan"),
                "recall_model": float(by_model[mask].mean()) if n else float("nan"),
                "recall_controls": float(by_control[mask].mean()) if n else float("nan"),
            }
        )
    return rows


def figures_for(
    name: str,
    curves: Mapping[str, tuple[np.ndarray, np.ndarray]],
    per_kind: list[dict[str, Any]],
) -> list[tuple[str, Any]]:
    from evals.plots import bar_figure, precision_recall_figure

    return [
        (f"{name}: precision-recall", precision_recall_figure(curves, title=f"{name}: precision-recall")),
        (
            f"{name}: recall per anomaly kind",
            bar_figure(
                {row["kind"]: (0.0 if math.isnan(row["recall"]) else row["recall"]) for row in per_kind},
                metric="recall",
                title=f"{name}: recall per kind",
            ),
        ),
    ]
