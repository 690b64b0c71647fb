"""The ``invoices`` model: an ``InvoiceAnomalyModel`` trained on a firm's own
invoices and lines (``--data INVOICES.csv --lines LINES.csv [--context CTX.json]``)
or, when none is given, on a generated firm (with its time entries, so billed
hours are compared with logged ones)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from anomaly import (
    InvoiceAnomalyModel,
    load_model,
    read_context,
    read_invoices,
    read_time_entries,
    save_model,
)
from anomaly.scoring import score_invoices
from training._anomaly_data import frame_sha256, quick_firm, resolve, sha256_of, without_labels
from training.spec import ProgressCallback, TrainedModel, TrainingInputs

__all__ = ["SPEC", "InvoicesSpec"]


@dataclass(frozen=True)
class InvoicesSpec:
    short_name: str = "invoices"
    registered_name: str = "handoff-invoices"
    n_estimators: int = 100
    quick_n_estimators: int = 50

    def train(self, inputs: TrainingInputs, *, progress: ProgressCallback | None = None) -> TrainedModel:
        """Fit on ``inputs.data`` + ``inputs.lines`` (or a folder holding ``invoices.csv``,
        ``invoice_lines.csv`` and optionally ``time_entries.csv`` and ``context.json``);
        else on a generated firm."""
        if progress:
            progress("reading invoices", 0, 3)
        entries = None
        if inputs.data is not None:
            invoices_path = resolve(inputs.data, ("invoices.csv", "invoices.json"))
            folder = inputs.data if inputs.data.is_dir() else None
            lines_path = inputs.lines
            if lines_path is None and folder is not None:
                lines_path = resolve(folder, ("invoice_lines.csv", "invoice_lines.json"))
            if lines_path is None:
                raise ValueError("invoices need their lines: pass --lines LINES.csv")
            batch = read_invoices(invoices_path, lines_path)
            context_path = inputs.context
            if context_path is None and folder is not None and (folder / "context.json").is_file():
                context_path = folder / "context.json"
            if folder is not None and (folder / "time_entries.csv").is_file():
                entries = read_time_entries(folder / "time_entries.csv")
            context = read_context(context_path) if context_path is not None else None
            data_sha = sha256_of(invoices_path, lines_path, context_path)
            source = "history"
        else:
            firm = quick_firm(inputs.seed, quick=inputs.quick)
            invoices, lines = without_labels(firm.invoices), without_labels(firm.lines)
            batch = read_invoices(invoices, lines)
            entries = read_time_entries(without_labels(firm.entries))
            context = read_context(firm.context)
            data_sha = frame_sha256(invoices, lines)
            source = "generated"
        if progress:
            progress("fitting", 1, 3)
        model = InvoiceAnomalyModel(
            n_estimators=self.quick_n_estimators if inputs.quick else self.n_estimators,
            random_state=inputs.seed,
        ).fit(batch, time_entries=entries, context=context)
        risk = model.risk(model.score_matrix(model.features(batch.invoices, batch.lines).matrix))
        if progress:
            progress("done", 3, 3)
        example = batch.invoices.drop(columns=["_row"]).head(3).copy()
        for column in ("issue_date", "due_date"):
            example[column] = example[column].dt.strftime("%Y-%m-%d")
        return TrainedModel(
            model=model,
            params={
                "source": source,
                "seed": inputs.seed,
                "quick": inputs.quick,
                "n_estimators": model.n_estimators,
                "max_samples": model.max_samples,
                "review_budget": model.review_budget,
                "tax_tolerance_pp": model.tax_tolerance_pp,
            },
            metrics={
                "training_invoices": float(len(batch.invoices)),
                "training_lines": float(len(batch.lines)),
                "rejected_rows": float(len(batch.rejected)),
                "training_flagged_share": float(np.mean(risk >= 0.5)),
            },
            data_sha256=data_sha,
            input_example=example.astype(object).where(example.notna(), None).to_dict(orient="records"),
        )

    def save(self, model: Any, directory: Path) -> None:
        save_model(model, directory)

    def load(self, directory: Path) -> Any:
        return load_model(directory, kind="invoices")

    def predict(self, model: Any, rows: pd.DataFrame) -> pd.DataFrame:
        """Batch scoring for the MLflow pyfunc: invoice headers only (no lines)."""
        result = score_invoices(rows, [], model=model)
        return pd.DataFrame(
            [
                {"id": r.id, "risk": r.risk, "flagged": r.flagged, "severity": r.severity, "score": r.score}
                for r in result.results
            ]
        )


SPEC = InvoicesSpec()
