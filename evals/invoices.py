"""Eval suite ``invoices``: held-out generated firms, refitted on their earlier
invoices (with the time logged) and scored on the later ones."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.base import clone

from anomaly import InvoiceAnomalyModel, read_context, score_invoices
from evals._anomaly import budget_metrics, figures_for, kind_recall, priority
from evals.suite import EvalContext, EvalResult, Headline
from training.firm_generator import INVOICE_ANOMALY_KINDS, generate_firm

__all__ = ["SUITE", "InvoicesSuite"]

HISTORY_SHARE = 0.5
_FIRMS = (
    {"n_people": 80, "n_projects": 40, "months": 12, "countries": ("US", "GB", "DE", "IN")},
    {"n_people": 60, "n_projects": 30, "months": 12, "countries": ("GB", "DE")},
)
_QUICK_FIRMS = ({"n_people": 40, "n_projects": 24, "months": 8, "countries": ("US", "IN")},)


@dataclass(frozen=True)
class InvoicesSuite:
    name: str = "invoices"
    model_short_name: str | None = "invoices"

    def run(self, model: Any, context: EvalContext) -> EvalResult:
        template = model if isinstance(model, InvoiceAnomalyModel) else InvoiceAnomalyModel()
        firms = _QUICK_FIRMS if context.quick else _FIRMS
        labels: list[np.ndarray] = []
        kinds: list[str] = []
        results: list[Any] = []
        for k, shape in enumerate(firms):
            firm = generate_firm(seed=context.seed + 104729 * (k + 1), invoice_anomaly_rate=0.12, **shape)  # type: ignore[arg-type]
            invoices = firm.invoices
            cut = invoices["issue_date"].quantile(HISTORY_SHARE)
            early = invoices["issue_date"] < cut
            history, batch = invoices[early], invoices[~early].reset_index(drop=True)
            lines = firm.lines.drop(columns=["label_kind"])
            entries = firm.entries.drop(columns=["label_kind"])
            firm_context = read_context(firm.context)
            fitted = (
                clone(template)
                .set_params(random_state=context.seed)
                .fit(
                    history.drop(columns=["label_kind"]),
                    lines[lines["invoice_id"].isin(set(history["invoice_id"]))],
                    time_entries=entries,
                    context=firm_context,
                )
            )
            scored = score_invoices(
                batch.drop(columns=["label_kind"]),
                lines[lines["invoice_id"].isin(set(batch["invoice_id"]))],
                model=fitted,
                context=firm_context,
            )
            results.extend(scored.results)
            kinds.extend(batch["label_kind"].tolist())
            labels.append((batch["label_kind"] != "").to_numpy())
        truth = np.concatenate(labels)
        metrics = budget_metrics(truth, results, review_budget=template.review_budget)
        per_kind = kind_recall(kinds, results, INVOICE_ANOMALY_KINDS)
        for row in per_kind:
            metrics[f"recall_{row['kind']}"] = row["recall"]
        risk = np.array([r.risk for r in results])
        curves = {"model + controls": (truth, priority(results)), "model only": (truth, risk)}
        return EvalResult(
            suite=self.name,
            model_short_name="invoices",
            metrics=metrics,
            headline={
                "auprc": Headline(direction="higher", tolerance=0.02),
                "recall_flagged": Headline(direction="higher", tolerance=0.02),
            },
            tables={
                "recall per anomaly kind": per_kind,
                "summary": [
                    {"metric": k, "value": v} for k, v in metrics.items() if not k.startswith("recall_")
                ],
            },
            figures=figures_for("Invoices", curves, per_kind),
            notes=[
                f"{len(firms)} held-out generated firm(s); refitted on the first {HISTORY_SHARE:.0%} of each "
                "firm's invoices (with all its time entries), scored on the rest."
            ],
        )


SUITE = InvoicesSuite()
