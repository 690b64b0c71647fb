"""What the MLflow lifecycle adds on top of a model's own train/save/load.

Baseline: ``spec.train`` + ``spec.save`` into a folder + ``spec.load`` from it.
Lifecycle: ``train_model`` (run, params, metrics, pyfunc with signature,
registration, champion alias) + ``load_champion`` (registry lookup, artifact
download, ``spec.load``), on a fresh SQLite store in a temporary folder.
Prints both and the ratio; the store's one-off creation (MLflow's migrations)
is timed separately, since a service pays it once per installation.

Options: ``--model NAME`` (default ``staffing``, the quickest real spec),
``--repeat N`` (default 3).
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")


def _option(argv: list[str], name: str, default: str) -> str:
    for item in argv:
        if item.startswith(f"--{name}="):
            return item.split("=", 1)[1]
    return default


def main(argv: list[str]) -> None:
    from training.lifecycle import load_champion, train_model
    from training.mlflow_store import ModelStore
    from training.registry import get_model_spec
    from training.spec import TrainingInputs

    short_name = _option(argv, "model", "staffing")
    repeat = int(_option(argv, "repeat", "3"))
    spec = get_model_spec(short_name)
    inputs = TrainingInputs(seed=42, quick=True)

    with tempfile.TemporaryDirectory(prefix="bench-lifecycle-") as work:
        root = Path(work)
        raw_times = []
        for index in range(repeat):
            started = time.perf_counter()
            trained = spec.train(inputs)
            folder = root / f"raw-{index}"
            folder.mkdir()
            spec.save(trained.model, folder)
            spec.load(folder)
            raw_times.append(time.perf_counter() - started)

        started = time.perf_counter()
        store = ModelStore(
            tracking_uri=f"sqlite:///{root / 'mlflow' / 'mlflow.db'}",
            artifact_root=root / "mlflow" / "artifacts",
            cache_dir=root / "mlflow" / "cache",
        )
        _ = store.client
        create_seconds = time.perf_counter() - started

        lifecycle_times = []
        load_times = []
        for _index in range(repeat):
            started = time.perf_counter()
            train_model(short_name, inputs, store=store)
            loaded_at = time.perf_counter()
            load_champion(short_name, store=store)
            finished = time.perf_counter()
            lifecycle_times.append(finished - started)
            load_times.append(finished - loaded_at)

    raw = statistics.median(raw_times)
    lifecycle = statistics.median(lifecycle_times)
    print(f"model {short_name} (quick), median of {repeat}")
    print(f"  baseline train+save+load      {raw:8.3f} s")
    print(f"  lifecycle train_model+load    {lifecycle:8.3f} s   ratio {lifecycle / raw:6.2f}x")
    print(f"  of which load_champion        {statistics.median(load_times):8.3f} s")
    print(f"  new store creation (once)     {create_seconds:8.3f} s")
