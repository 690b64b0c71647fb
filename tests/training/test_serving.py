"""Serving: champions loaded at start-up and on reload, faults reported as missing models,
/v1/models, /readyz and the 503 problem, and first-run bootstrap with toy specs."""

from __future__ import annotations

import shutil
import socket
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient

from service.model_serving import (
    ServingModels,
    bootstrap_models,
    get_serving_models,
    load_serving_models,
)
from service.settings import Settings
from tests.conftest import MakeApiKey
from tests.lifecycle_toys import ToySpec, store_in
from training.lifecycle import champion_version, train_model
from training.mlflow_store import ModelStore
from training.spec import TrainingInputs

BROKEN = ToySpec(short_name="toy-broken", registered_name="handoff-toy-broken")
ABSENT = ToySpec(short_name="toy-absent", registered_name="handoff-toy-absent")
TOYS = {"toy": ToySpec(), "toy-broken": BROKEN, "toy-absent": ABSENT}


def _corrupt(store: ModelStore, run_id: str) -> None:
    artifacts = Path(store.client.get_run(run_id).info.artifact_uri.removeprefix("file://"))
    shutil.rmtree(artifacts / "model" / "artifacts" / "domain_model")


def _trained_store(settings: Settings, template: Path) -> ModelStore:
    """The settings' own store with toy v1 (fine) and toy-broken v1 (artifact deleted)."""
    store = store_in(settings.home, template)
    assert store.tracking_uri == settings.resolved_mlflow_uri
    train_model("toy", TrainingInputs(seed=1), store=store, spec=TOYS["toy"])
    broken = train_model("toy-broken", TrainingInputs(seed=1), store=store, spec=BROKEN)
    _corrupt(store, broken.run_id)
    return store


def test_load_serving_models_reports_each_fault_without_raising(
    tmp_path: Path, mlflow_template_db: Path
) -> None:
    settings = Settings(home=tmp_path / "home")
    empty = load_serving_models(settings, specs=TOYS)
    assert empty.loaded == {}
    assert set(empty.missing) == set(TOYS) and all("not registered" in r for r in empty.missing.values())
    assert not (settings.home / "mlflow" / "mlflow.db").exists()  # looking did not create a store

    _trained_store(settings, mlflow_template_db)
    serving = load_serving_models(settings, specs=TOYS)
    assert serving.versions() == {"toy": "1"}
    assert serving.missing["toy-broken"].startswith("corrupt artifact")
    assert serving.missing["toy-absent"].startswith("not registered")
    assert serving.get_or_raise("toy").model.predict([[0.0, 0.0, 0.0, 0.0]]).shape == (1,)


def test_load_serving_models_with_unreachable_store_reports_every_model(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = Settings(mlflow_uri=f"http://127.0.0.1:{port}")
    serving = load_serving_models(settings, specs=TOYS)
    assert serving.loaded == {}
    assert all(reason.startswith("model store unreachable") for reason in serving.missing.values())
    assert set(serving.missing) == set(TOYS)


def test_service_starts_without_models_then_reload_swaps_them_in(
    app: FastAPI,
    client: TestClient,
    settings: Settings,
    make_api_key: MakeApiKey,
    mlflow_template_db: Path,
) -> None:
    analyst = {"Authorization": f"Bearer {make_api_key('analyst')}"}
    admin = {"Authorization": f"Bearer {make_api_key('admin')}"}
    legal = {"Authorization": f"Bearer {make_api_key('legal')}"}

    # A fresh home: the service is up, nothing is loaded, readyz says which and why.
    response = client.get("/v1/models", headers=analyst)
    assert response.status_code == 200
    assert response.json()["versions"] == {}
    assert {m["status"] for m in response.json()["models"]} == {"missing"}
    assert client.get("/readyz").status_code == 503
    assert client.get("/v1/models", headers=legal).status_code == 403

    @app.get("/v1/test-toy/{name}")
    def use_model(name: str, serving: ServingModels = Depends(get_serving_models)) -> dict[str, str]:
        return {"version": serving.get_or_raise(name).version}

    _trained_store(settings, mlflow_template_db)
    app.state.model_specs = TOYS
    before = app.state.serving_models
    assert client.post("/v1/models/reload", headers=analyst).status_code == 403
    reloaded = client.post("/v1/models/reload", headers=admin)

    assert reloaded.status_code == 200
    body = reloaded.json()
    assert body["versions"] == {"toy": "1"}
    assert body["missing"]["toy-broken"].startswith("corrupt artifact")
    assert app.state.serving_models is not before and before.loaded == {}  # swapped, not mutated
    assert client.get("/v1/test-toy/toy").json() == {"version": "1"}
    unavailable = client.get("/v1/test-toy/toy-broken")
    assert unavailable.status_code == 503
    assert unavailable.headers["content-type"].startswith("application/problem+json")
    assert unavailable.json()["type"].endswith("/model-unavailable")
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.json()["models"]["loaded"] == {"toy": "1"}
    assert "toy-broken" in ready.json()["models"]["missing"]

    # Requests made while another reload runs are all answered by a complete model set.
    with ThreadPoolExecutor(max_workers=2) as pool:
        reloading = pool.submit(client.post, "/v1/models/reload", headers=admin)
        answers = [client.get("/v1/test-toy/toy").status_code for _ in range(20)]
        assert reloading.result().status_code == 200
    assert answers == [200] * 20


def test_bootstrap_trains_what_has_no_champion_and_reports_failures(
    tmp_path: Path, mlflow_template_db: Path
) -> None:
    settings = Settings(home=tmp_path / "home")
    store = store_in(settings.home, mlflow_template_db)
    specs = {"toy": ToySpec(), "toy-failing": ToySpec("toy-failing", "handoff-toy-failing", fail=True)}

    report = bootstrap_models(settings, specs=specs, store=store, show_progress=False)

    assert report.trained == {"toy": "1"}
    assert "toy training exploded" in report.failed["toy-failing"]
    assert champion_version("toy", store=store, spec=specs["toy"]) == "1"
    again = bootstrap_models(settings, specs={"toy": ToySpec()}, store=store, show_progress=False)
    assert (again.trained, again.already) == ({}, {"toy": "1"})
    served = load_serving_models(settings, specs={"toy": ToySpec()})
    assert served.versions() == {"toy": "1"}


def test_service_starts_and_reports_models_when_the_store_is_unreachable(
    settings: Settings, make_api_key: MakeApiKey, monkeypatch: pytest.MonkeyPatch
) -> None:
    from service.app import create_app

    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    unreachable = settings.model_copy(update={"mlflow_uri": f"http://127.0.0.1:{port}"})
    with TestClient(create_app(unreachable), raise_server_exceptions=False) as client:
        ready = client.get("/readyz")
        listed = client.get("/v1/models", headers={"Authorization": f"Bearer {make_api_key('engine')}"})
    assert ready.status_code == 503
    missing = ready.json()["models"]["missing"]
    assert set(missing) == {"clauses", "time-entries", "invoices", "staffing", "billing-fill"}
    assert all(reason.startswith("model store unreachable") for reason in missing.values())
    assert listed.status_code == 200 and listed.json()["versions"] == {}
