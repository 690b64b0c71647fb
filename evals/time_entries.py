"""Eval suite ``time-entries``: held-out generated firms, refitted on their own
history and scored on their later batch (see ``evals/_anomaly.py``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone

from anomaly import TimeEntryAnomalyModel, read_context, score_time_entries
from evals._anomaly import budget_metrics, figures_for, kind_recall, priority
from evals.suite import EvalContext, EvalResult, Headline
from training.firm_generator import TIME_ENTRY_ANOMALY_KINDS, generate_firm

__all__ = ["SUITE", "TimeEntriesSuite"]

HISTORY_SHARE = 0.7
# Held-out firms differ from the training firm in seed and in shape.
_FIRMS = (
    {"n_people": 70, "n_projects": 28, "months": 10, "countries": ("US", "GB", "DE", "IN")},
    {"n_people": 45, "n_projects": 15, "months": 9, "countries": ("GB", "IN")},
)
_QUICK_FIRMS = ({"n_people": 30, "n_projects": 12, "months": 6, "countries": ("US", "DE")},)


@dataclass(frozen=True)
class TimeEntriesSuite:
    name: str = "time-entries"
    model_short_name: str | None = "time-entries"

    def run(self, model: Any, context: EvalContext) -> EvalResult:
        template = model if isinstance(model, TimeEntryAnomalyModel) else TimeEntryAnomalyModel()
        firms = _QUICK_FIRMS if context.quick else _FIRMS
        labels: list[np.ndarray] = []
        kinds: list[str] = []
        results: list[Any] = []
        for k, shape in enumerate(firms):
            firm = generate_firm(seed=context.seed + 7919 * (k + 1), anomaly_rate=0.03, **shape)  # type: ignore[arg-type]
            entries = firm.entries
            cut = entries["work_date"].quantile(HISTORY_SHARE)
            history = entries[entries["work_date"] < cut].drop(columns=["label_kind"])
            batch = entries[entries["work_date"] >= cut].reset_index(drop=True)
            firm_context = read_context(firm.context)
            fitted = clone(template).set_params(random_state=context.seed).fit(history, context=firm_context)
            scored = score_time_entries(
                batch.drop(columns=["label_kind"]), model=fitted, context=firm_context
            )
            results.extend(scored.results)
            kinds.extend(batch["label_kind"].tolist())
            labels.append((batch["label_kind"] != "").to_numpy())
        truth = np.concatenate(labels)
        metrics = budget_metrics(truth, results, review_budget=template.review_budget)
        metrics.update(_unseen_metrics(batch, fitted))
        per_kind = kind_recall(kinds, results, TIME_ENTRY_ANOMALY_KINDS)
        for row in per_kind:
            metrics[f"recall_{row['kind']}"] = row["recall"]
            metrics[f"recall_model_{row['kind']}"] = row["recall_model"]
        risk = np.array([r.risk for r in results])
        curves = {"model + controls": (truth, priority(results)), "model only": (truth, risk)}
        return EvalResult(
            suite=self.name,
            model_short_name="time-entries",
            metrics=metrics,
            headline={
                "auprc": Headline(direction="higher", tolerance=0.02),
                "recall_flagged": Headline(direction="higher", tolerance=0.02),
                "precision_at_budget": Headline(direction="higher", tolerance=0.03),
            },
            tables={
                "recall per anomaly kind": per_kind,
                "summary": [
                    {"metric": k, "value": v} for k, v in metrics.items() if not k.startswith("recall_")
                ],
            },
            figures=figures_for("Time entries", curves, per_kind),
            notes=[
                f"{len(firms)} held-out generated firm(s), seeds from {context.seed + 7919}; "
                f"refitted on the first {HISTORY_SHARE:.0%} of each firm's history "
                "with the candidate's parameters, scored on the rest.",
                "Priority: control hits first, then risk; budget metrics take the top review_budget share.",
            ],
        )


SUITE = TimeEntriesSuite()


def _unseen_metrics(batch: pd.DataFrame, fitted: TimeEntryAnomalyModel) -> dict[str, float]:
    """The last firm's batch with every person, project, client and role renamed, scored
    without context: how the model treats a firm it has never seen (false alarms on
    ordinary entries, and what it still finds)."""
    renamed = batch.copy()
    for column in ("person_id", "project_id", "client_id", "role"):
        renamed[column] = "UNSEEN-" + renamed[column].astype(str)
    scored = score_time_entries(renamed.drop(columns=["label_kind"]), model=fitted)
    model_flagged = np.array([r.risk >= 0.5 for r in scored.results])
    anomalous = (renamed["label_kind"] != "").to_numpy()
    return {
        "unseen_model_flagged_share_normal": float(model_flagged[~anomalous].mean())
        if (~anomalous).any()
        else 0.0,
        "unseen_recall_model": float(model_flagged[anomalous].mean()) if anomalous.any() else 0.0,
    }


def _frame(results: list[Any]) -> pd.DataFrame:  # pragma: no cover - debugging aid
    return pd.DataFrame([r.model_dump() for r in results])
