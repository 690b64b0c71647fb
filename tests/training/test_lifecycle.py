"""The lifecycle against a temporary SQLite MLflow store, with a toy logistic regression spec."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from tests.lifecycle_toys import ToyLoadError, ToySpec, toy_data
from training.errors import (
    CorruptArtifactError,
    ModelNotRegisteredError,
    NoChampionError,
    StoreUnavailableError,
    TrainingFailedError,
)
from training.lifecycle import (
    champion_version,
    list_models,
    load_champion,
    load_version,
    train_model,
)
from training.mlflow_store import ModelStore
from training.spec import TrainingInputs


@pytest.mark.parametrize("seed", [7])
def test_train_model_first_version_is_champion_later_ones_are_not(model_store: ModelStore, seed: int) -> None:
    spec = ToySpec()
    events: list[tuple[str, int, int]] = []
    first = train_model(
        "toy", TrainingInputs(seed=seed), store=model_store, spec=spec, progress=lambda *e: events.append(e)
    )
    second = train_model("toy", TrainingInputs(seed=seed + 1), store=model_store, spec=spec)

    assert (first.version, first.champion) == ("1", True)
    assert (second.version, second.champion) == ("2", False)
    assert champion_version("toy", store=model_store, spec=spec) == "1"
    assert events and events[-1][0] == "toy: registered v1"

    run = model_store.client.get_run(first.run_id)
    assert run.info.status == "FINISHED"
    assert run.data.params["seed"] == str(seed)
    assert run.data.params["label_noise"] == "0.0"
    assert run.data.tags["handoff.data_sha256"] == first.data_sha256 != ""
    assert run.data.tags["handoff.source_sha256"] == first.source_sha256
    assert run.data.tags["handoff.code_version"] == first.code_version
    assert run.data.metrics["train_accuracy"] == pytest.approx(first.metrics["train_accuracy"])
    # the logged pyfunc carries a signature and input example next to the domain folder
    logged = {item.path for item in model_store.client.list_artifacts(first.run_id, "model")}
    assert {"model/MLmodel", "model/input_example.json", "model/artifacts"} <= logged
    mlmodel = Path(model_store.client.download_artifacts(first.run_id, "model/MLmodel")).read_text()
    assert "signature:" in mlmodel and "f0" in mlmodel


def test_load_champion_round_trips_predictions(model_store: ModelStore) -> None:
    spec = ToySpec()
    result = train_model("toy", TrainingInputs(seed=3), store=model_store, spec=spec)
    loaded = load_champion("toy", store=model_store, spec=spec)
    direct = spec.train(TrainingInputs(seed=3)).model
    features, _ = toy_data(99, rows=50)

    assert (loaded.version, loaded.run_id, loaded.registered_name) == ("1", result.run_id, "handoff-toy")
    np.testing.assert_array_equal(loaded.model.predict_proba(features), direct.predict_proba(features))


def test_train_model_is_reproducible_for_same_data_seed_and_code(model_store: ModelStore) -> None:
    spec = ToySpec()
    first = train_model("toy", TrainingInputs(seed=11), store=model_store, spec=spec)
    second = train_model("toy", TrainingInputs(seed=11), store=model_store, spec=spec)
    features, _ = toy_data(5, rows=80)
    one = load_version("toy", first.version, store=model_store, spec=spec).model
    two = load_version("toy", second.version, store=model_store, spec=spec).model

    assert first.data_sha256 == second.data_sha256
    assert first.source_sha256 == second.source_sha256
    assert first.metrics == second.metrics
    np.testing.assert_array_equal(one.predict_proba(features), two.predict_proba(features))


def test_load_champion_errors_name_the_fault(model_store: ModelStore) -> None:
    spec = ToySpec()
    with pytest.raises(ModelNotRegisteredError, match="handoff-toy"):
        load_champion("toy", store=model_store, spec=spec)

    result = train_model("toy", TrainingInputs(seed=1), store=model_store, spec=spec)
    model_store.client.delete_registered_model_alias("handoff-toy", "champion")
    with pytest.raises(NoChampionError):
        load_champion("toy", store=model_store, spec=spec)

    # Corrupt the stored artifact: the spec's loader rejects it.
    run = model_store.client.get_run(result.run_id)
    artifacts = Path(run.info.artifact_uri.removeprefix("file://"))
    (artifacts / "model" / "artifacts" / "domain_model" / "model.pkl").write_bytes(b"not a pickle")
    with pytest.raises(CorruptArtifactError, match="load failed") as caught:
        load_version("toy", "1", store=model_store, spec=spec)
    assert isinstance(caught.value.__cause__, ToyLoadError)

    shutil.rmtree(artifacts / "model" / "artifacts")
    with pytest.raises(CorruptArtifactError):
        load_version("toy", "1", store=model_store, spec=spec)


def test_train_model_failure_marks_run_failed_and_registers_nothing(model_store: ModelStore) -> None:
    with pytest.raises(TrainingFailedError, match="toy training exploded"):
        train_model("toy", TrainingInputs(), store=model_store, spec=ToySpec(fail=True))
    (summary,) = list_models(store=model_store, specs={"toy": ToySpec()})
    assert summary.registered is False
    experiment = model_store.client.get_experiment_by_name("handoff-toy")
    assert experiment is not None
    (run,) = model_store.client.search_runs([experiment.experiment_id])
    assert run.info.status == "FAILED"
    assert "exploded" in run.data.tags["handoff.error"]


def test_unreachable_store_raises_store_unavailable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_TIMEOUT", "2")
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    store = ModelStore(tracking_uri=f"http://127.0.0.1:{port}")
    with pytest.raises(StoreUnavailableError, match="unreachable"):
        load_champion("toy", store=store, spec=ToySpec())

    blocked = tmp_path / "file"
    blocked.write_text("a file where the store's folder should be")
    with pytest.raises(StoreUnavailableError):
        _ = ModelStore(tracking_uri=f"sqlite:///{blocked / 'mlflow' / 'mlflow.db'}").client
