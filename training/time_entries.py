"""The ``time-entries`` model: a ``TimeEntryAnomalyModel`` trained on a firm's
own history (``--data HISTORY.csv [--context CTX.json]``) or, when none is
given, on a generated firm."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from anomaly import TimeEntryAnomalyModel, load_model, read_context, read_time_entries, save_model
from anomaly.scoring import score_time_entries
from training._anomaly_data import frame_sha256, quick_firm, resolve, sha256_of, without_labels
from training.spec import ProgressCallback, TrainedModel, TrainingInputs

__all__ = ["SPEC", "TimeEntriesSpec"]


@dataclass(frozen=True)
class TimeEntriesSpec:
    short_name: str = "time-entries"
    registered_name: str = "handoff-time-entries"
    n_estimators: int = 100
    quick_n_estimators: int = 50

    def train(self, inputs: TrainingInputs, *, progress: ProgressCallback | None = None) -> TrainedModel:
        """Fit on ``inputs.data`` (a firm's history, CSV or JSON, or a folder holding
        ``time_entries.csv``) with ``inputs.context``; else on a generated firm."""
        if progress:
            progress("reading time entries", 0, 3)
        if inputs.data is not None:
            data_path = resolve(inputs.data, ("time_entries.csv", "time_entries.json"))
            batch = read_time_entries(data_path)
            context_path = inputs.context
            if context_path is None and inputs.data.is_dir() and (inputs.data / "context.json").is_file():
                context_path = inputs.data / "context.json"
            context = read_context(context_path) if context_path is not None else None
            data_sha = sha256_of(data_path, context_path)
            source = "history"
        else:
            firm = quick_firm(inputs.seed, quick=inputs.quick)
            # The generator knows its injected anomalies: the default model learns the
            # generated firm's normal, as a firm would train on reviewed history. Left in,
            # they are as common as the review budget and hide a plain 14-hour day.
            frame = without_labels(firm.entries[firm.entries["label_kind"] == ""])
            batch = read_time_entries(frame)
            context = read_context(firm.context)
            data_sha = frame_sha256(frame)
            source = "generated"
        if progress:
            progress("fitting", 1, 3)
        model = TimeEntryAnomalyModel(
            n_estimators=self.quick_n_estimators if inputs.quick else self.n_estimators,
            random_state=inputs.seed,
        ).fit(batch, context=context)
        risk = model.risk(model.score_matrix(model.features(batch.frame).matrix))
        if progress:
            progress("done", 3, 3)
        example = batch.frame.drop(columns=["_row"]).head(3).copy()
        example["work_date"] = example["work_date"].dt.strftime("%Y-%m-%d")
        example["logged_at"] = example["logged_at"].dt.strftime("%Y-%m-%dT%H:%M:%S")
        return TrainedModel(
            model=model,
            params={
                "source": source,
                "seed": inputs.seed,
                "quick": inputs.quick,
                "n_estimators": model.n_estimators,
                "max_samples": model.max_samples,
                "review_budget": model.review_budget,
                "max_hours_per_day": model.max_hours_per_day,
            },
            metrics={
                "training_rows": float(len(batch.frame)),
                "rejected_rows": float(len(batch.rejected)),
                "people": float(len(model.history_.persons)),
                "projects": float(len(model.history_.projects)),
                "training_flagged_share": float(np.mean(risk >= 0.5)),
            },
            data_sha256=data_sha,
            input_example=example.astype(object).where(example.notna(), None).to_dict(orient="records"),
        )

    def save(self, model: Any, directory: Path) -> None:
        save_model(model, directory)

    def load(self, directory: Path) -> Any:
        return load_model(directory, kind="time-entries")

    def predict(self, model: Any, rows: pd.DataFrame) -> pd.DataFrame:
        """Batch scoring for the MLflow pyfunc (Spark/Dask jobs): one row per valid entry."""
        result = score_time_entries(rows, model=model)
        return pd.DataFrame(
            [
                {"id": r.id, "risk": r.risk, "flagged": r.flagged, "severity": r.severity, "score": r.score}
                for r in result.results
            ]
        )


SPEC = TimeEntriesSpec()
