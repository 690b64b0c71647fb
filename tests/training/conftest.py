"""Fixtures for the lifecycle tests: a temporary MLflow store and toy specs."""

from __future__ import annotations

from pathlib import Path

import pytest

from training.mlflow_store import ModelStore


@pytest.fixture
def model_store(tmp_path: Path) -> ModelStore:
    home = tmp_path / "home"
    return ModelStore(
        tracking_uri=f"sqlite:///{home / 'mlflow' / 'mlflow.db'}",
        artifact_root=home / "mlflow" / "artifacts",
        cache_dir=home / "mlflow" / "model-cache",
    )
