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
        started = time.perf_counter()
        store = ModelStore(
            tracking_uri=f"sqlite:///{root / 'mlflow' / 'mlflow.db'}",
            artifact_root=root / "mlflow" / "artifacts",
            cache_dir=root / "mlflow" / "cache",
        )
        _ = store.client
        create_seconds = time.perf_counter() - started
        # Warm up imports and caches on both paths before anything is timed.
        spec.train(inputs)
        train_model(short_name, inputs, store=store)

        raw: list[tuple[float, float]] = []
        lifecycle: list[tuple[float, float]] = []
        load: list[float] = []
        # Interleaved, so that a busy machine slows both sides alike.
        for index in range(repeat):
            wall, cpu = time.perf_counter(), time.process_time()
            trained = spec.train(inputs)
            folder = root / f"raw-{index}"
            folder.mkdir()
            spec.save(trained.model, folder)
            spec.load(folder)
            raw.append((time.perf_counter() - wall, time.process_time() - cpu))

            wall, cpu = time.perf_counter(), time.process_time()
            train_model(short_name, inputs, store=store)
            loaded_at = time.perf_counter()
            load_champion(short_name, store=store)
            lifecycle.append((time.perf_counter() - wall, time.process_time() - cpu))
            load.append(time.perf_counter() - loaded_at)

    def median(pairs: list[tuple[float, float]], index: int) -> float:
        return statistics.median(pair[index] for pair in pairs)

    print(f"model {short_name} (quick), median of {repeat}, wall / CPU seconds")
    print(f"  baseline train+save+load      {median(raw, 0):8.3f} / {median(raw, 1):8.3f}")
    print(
        f"  lifecycle train_model+load    {median(lifecycle, 0):8.3f} / {median(lifecycle, 1):8.3f}"
        f"   ratio {median(lifecycle, 0) / median(raw, 0):5.2f}x wall, "
        f"{median(lifecycle, 1) / median(raw, 1):5.2f}x CPU"
    )
    print(f"  of which load_champion        {statistics.median(load):8.3f}")
    print(f"  new store creation (once)     {create_seconds:8.3f}")
