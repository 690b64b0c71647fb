"""Toy ModelSpecs and EvalSuites for the lifecycle's tests: a tiny logistic regression on
generated data, whose quality a knob degrades, so tests need no domain model."""

from __future__ import annotations

import hashlib
import pickle
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from evals.plots import confusion_matrix_figure, precision_recall_figure, reliability_figure
from evals.suite import EvalContext, EvalResult, Headline
from training.mlflow_store import ModelStore
from training.spec import ProgressCallback, TrainedModel, TrainingInputs

_WEIGHTS = np.array([1.5, -2.0, 0.75, 0.0])


def toy_data(seed: int, rows: int = 400) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    features = rng.normal(size=(rows, _WEIGHTS.size))
    labels = (features @ _WEIGHTS + rng.normal(scale=0.5, size=rows) > 0).astype(int)
    return features, labels


class ToyLoadError(ValueError):
    pass


@dataclass
class ToySpec:
    """A logistic regression; ``label_noise`` flips that share of training labels (a worse model)."""

    short_name: str = "toy"
    registered_name: str = "handoff-toy"
    label_noise: float = 0.0
    fail: bool = False

    def train(self, inputs: TrainingInputs, *, progress: ProgressCallback | None = None) -> TrainedModel:
        if self.fail:
            raise RuntimeError("toy training exploded")
        features, labels = toy_data(inputs.seed)
        rng = np.random.default_rng(inputs.seed + 1)
        flip = rng.random(labels.size) < self.label_noise
        labels = np.where(flip, 1 - labels, labels)
        model = LogisticRegression(random_state=inputs.seed).fit(features, labels)
        if progress is not None:
            progress(f"{self.short_name}: fitted", 1, 1)
        return TrainedModel(
            model=model,
            params={"label_noise": self.label_noise, "rows": int(labels.size)},
            metrics={"train_accuracy": float(model.score(features, labels))},
            data_sha256=hashlib.sha256(features.tobytes() + labels.tobytes()).hexdigest(),
            input_example={"f0": 0.1, "f1": -0.2, "f2": 0.3, "f3": 0.0},
        )

    def save(self, model: Any, directory: Path) -> None:
        (directory / "model.pkl").write_bytes(pickle.dumps(model))

    def load(self, directory: Path) -> Any:
        try:
            return pickle.loads((directory / "model.pkl").read_bytes())
        except Exception as error:
            raise ToyLoadError(f"toy model unreadable: {error}") from error


@dataclass
class ToySuite:
    name: str = "toy-suite"
    model_short_name: str | None = "toy"
    skip: bool = False

    def run(self, model: Any, context: EvalContext) -> EvalResult:
        headline = {"accuracy": Headline("higher", 0.01), "log_loss": Headline("lower", 0.02)}
        if self.skip:
            return EvalResult(self.name, "toy", {}, headline, skipped="toy data absent")
        features, labels = toy_data(context.seed + 1000, rows=300)
        probabilities = model.predict_proba(features)[:, 1]
        predictions = (probabilities >= 0.5).astype(int)
        clipped = np.clip(probabilities, 1e-9, 1 - 1e-9)
        log_loss = float(-np.mean(labels * np.log(clipped) + (1 - labels) * np.log(1 - clipped)))
        return EvalResult(
            suite=self.name,
            model_short_name="toy",
            metrics={"accuracy": float(np.mean(predictions == labels)), "log_loss": log_loss},
            headline=headline,
            tables={"per class": [{"class": c, "support": int(np.sum(labels == c))} for c in (0, 1)]},
            figures=[
                ("Precision-recall", precision_recall_figure({"positive": (labels, probabilities)})),
                ("Reliability", reliability_figure(labels, probabilities)),
                ("Confusion", confusion_matrix_figure(list(labels), list(predictions))),
            ],
            notes=["generated toy data"],
        )


@pytest.fixture(scope="session")
def mlflow_template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty, migrated MLflow SQLite store, made once per test process: creating one
    runs MLflow's migrations (seconds), copying the file takes milliseconds."""
    # One file per process even though two conftests register this fixture.
    database = tmp_path_factory.getbasetemp() / "mlflow-template" / "mlflow.db"
    if not database.exists():
        database.parent.mkdir(parents=True, exist_ok=True)
        ModelStore(tracking_uri=f"sqlite:///{database}").client  # noqa: B018  (connecting creates it)
    return database


def store_in(home: Path, template: Path) -> ModelStore:
    """A fresh store under ``home`` (laid out as the service's settings lay it out)."""
    database = home / "mlflow" / "mlflow.db"
    database.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, database)
    return ModelStore(
        tracking_uri=f"sqlite:///{database}",
        artifact_root=home / "mlflow" / "artifacts",
        cache_dir=home / "mlflow" / "model-cache",
    )


@pytest.fixture
def model_store(tmp_path: Path, mlflow_template_db: Path) -> ModelStore:
    return store_in(tmp_path / "home", mlflow_template_db)


# Registry-style entries ("tests.lifecycle_toys:SPEC"), for tests that drive the CLI.
SPEC = ToySpec()
SUITE = ToySuite()
