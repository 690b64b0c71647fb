"""The models the service serves: each champion loaded once at start-up.

``load_serving_models`` runs in the FastAPI lifespan; the result lives on
``app.state.serving_models`` and routes read it through ``get_serving_models``.
A model that cannot be loaded (no champion, corrupt artifact, unreachable
store, a spec that does not import) goes into ``missing`` with the reason: the
service starts with what it can, ``/readyz`` reports the rest, and that
model's endpoints answer a 503 ``model-unavailable`` problem.

``reload_serving_models`` builds a complete new ``ServingModels`` before it
swaps the reference on ``app.state``: requests in flight keep the object they
started with, so none is dropped or sees half a reload.

``bootstrap_models`` (called by ``handoff serve`` before the app starts) trains,
registers and promotes a default model for every model without a champion,
from the project's own data: its generators' output and the hand-written SOW cases
it ships (``training/handwritten``), never ``../shared``.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import Request

from service.settings import Settings

if TYPE_CHECKING:
    from training.mlflow_store import ModelStore
    from training.spec import ModelSpec, TrainingInputs

logger = logging.getLogger("handoff.models")


class ModelUnavailableError(RuntimeError):
    """The model is not loaded (no champion, corrupt artifact, store unreachable)."""

    def __init__(self, short_name: str, reason: str) -> None:
        super().__init__(f"model {short_name!r} is not available: {reason}")
        self.short_name = short_name
        self.reason = reason


@dataclass(frozen=True)
class LoadedModel:
    short_name: str
    registered_name: str
    version: str
    model: Any


@dataclass
class ServingModels:
    loaded: dict[str, LoadedModel] = field(default_factory=dict)
    # short name -> why it is not loaded
    missing: dict[str, str] = field(default_factory=dict)
    # short name -> registered MLflow name, for every model the service knows (loaded or not)
    registered_names: dict[str, str] = field(default_factory=dict)
    loaded_at: float = field(default_factory=time.time)

    def get_or_raise(self, short_name: str) -> LoadedModel:
        try:
            return self.loaded[short_name]
        except KeyError:
            raise ModelUnavailableError(short_name, self.missing.get(short_name, "not loaded")) from None

    def get(self, short_name: str) -> LoadedModel | None:
        return self.loaded.get(short_name)

    def versions(self) -> dict[str, str]:
        """Short name -> the version in use, for stamping results (``{"clauses": "3"}``)."""
        return {name: model.version for name, model in sorted(self.loaded.items())}


def _reason(error: BaseException) -> str:
    from training.errors import (
        CorruptArtifactError,
        ModelNotRegisteredError,
        NoChampionError,
        StoreUnavailableError,
    )

    if isinstance(error, NoChampionError):
        prefix = "no champion"
    elif isinstance(error, ModelNotRegisteredError):
        prefix = "not registered"
    elif isinstance(error, CorruptArtifactError):
        prefix = "corrupt artifact"
    elif isinstance(error, StoreUnavailableError):
        prefix = "model store unreachable"
    else:
        prefix = f"load failed ({type(error).__name__})"
    detail = " ".join(str(error).split())[:300]
    return f"{prefix}: {detail}" if detail else prefix


def _specs(specs: Mapping[str, ModelSpec] | None) -> tuple[dict[str, ModelSpec], dict[str, str]]:
    """The specs to serve, and for the registry's specs that do not import, why."""
    if specs is not None:
        return dict(specs), {}
    from training.registry import get_model_spec, model_names

    found: dict[str, ModelSpec] = {}
    broken: dict[str, str] = {}
    for short_name in model_names():
        try:
            found[short_name] = get_model_spec(short_name)
        except Exception as error:  # one broken domain must not stop the others
            broken[short_name] = (
                f"spec unavailable ({type(error).__name__}): {' '.join(str(error).split())[:300]}"
            )
    return found, broken


def _store_absent(store: ModelStore) -> bool:
    uri = store.tracking_uri
    return uri.startswith("sqlite:///") and not Path(uri.removeprefix("sqlite:///")).exists()


def _registry_names() -> dict[str, str]:
    from training.registry import model_names

    return {name: f"handoff-{name}" for name in model_names()}


def load_serving_models(
    settings: Settings,
    *,
    specs: Mapping[str, ModelSpec] | None = None,
    store: ModelStore | None = None,
) -> ServingModels:
    """Load every registered model's champion; never raises for one model's failure.

    Parameters
    ----------
    settings : Settings
        Where the MLflow store is (``resolved_mlflow_uri``, ``mlflow_artifact_root``).
    specs : mapping of short name to ModelSpec, optional
        The models to serve; the training registry's when unset (tests inject toys).
    store : ModelStore, optional
        An open store to reuse.

    Returns
    -------
    ServingModels
        ``loaded`` champions and, for the others, the reason in ``missing``.
    """
    from training.errors import LifecycleError
    from training.lifecycle import load_champion
    from training.mlflow_store import ModelStore

    model_store = store or ModelStore.from_settings(settings)
    names = {name: spec.registered_name for name, spec in specs.items()} if specs is not None else None
    if _store_absent(model_store):
        # Nothing was ever registered here: say so without importing every domain
        # (spaCy and friends) or creating an MLflow database just to find it empty.
        names = names or _registry_names()
        reason = "not registered: the model store is empty (run `handoff train all` or `handoff serve`)"
        return ServingModels(missing=dict.fromkeys(names, reason), registered_names=names)
    try:
        _ = model_store.client
    except LifecycleError as error:
        reason = _reason(error)
        logger.warning("models: %s; serving none", reason)
        names = names or _registry_names()
        return ServingModels(missing=dict.fromkeys(names, reason), registered_names=names)
    found, broken = _specs(specs)
    serving = ServingModels(missing=dict(broken))
    serving.registered_names = {name: spec.registered_name for name, spec in found.items()}
    for name in broken:
        serving.registered_names.setdefault(name, f"handoff-{name}")
    for name, spec in found.items():
        try:
            loaded = load_champion(name, store=model_store, spec=spec)
        except Exception as error:  # reported in `missing`, never a crash loop
            serving.missing[name] = _reason(error)
            logger.warning("models: %s not loaded: %s", name, serving.missing[name])
            continue
        serving.loaded[name] = LoadedModel(
            short_name=name,
            registered_name=loaded.registered_name,
            version=loaded.version,
            model=loaded.model,
        )
        logger.info("models: %s v%s loaded", name, loaded.version)
    return serving


_reload_lock = threading.Lock()


def reload_serving_models(app: Any, settings: Settings, **options: Any) -> ServingModels:
    """Load a fresh ``ServingModels`` and swap it onto ``app.state`` in one assignment.

    Concurrent reloads are serialised; requests keep using the old object
    until the assignment, and the ones already running finish with it.
    """
    with _reload_lock:
        fresh = load_serving_models(settings, **options)
        app.state.serving_models = fresh
        freeze_long_lived_heap()
    return fresh


def freeze_long_lived_heap() -> None:
    """Collect once, then exempt every object alive now from later garbage collections.

    The libraries and models a server loads are a few hundred thousand objects that live as long
    as the process. Left in the collector's oldest generation, each full collection walks all of
    them (about half a second on the 2-core machine), stalling whichever request triggered it, and
    the interpreter's last collection made ``handoff serve`` take 7-10 s to exit. Objects freed
    later by reference counting are still freed; only cycles among frozen objects would stay,
    which is why the collection runs first.
    """
    gc.collect()
    gc.freeze()


@dataclass
class BootstrapReport:
    trained: dict[str, str] = field(default_factory=dict)  # short name -> version now champion
    already: dict[str, str] = field(default_factory=dict)  # short name -> existing champion
    failed: dict[str, str] = field(default_factory=dict)  # short name -> why
    seconds: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "trained": self.trained,
            "already": self.already,
            "failed": self.failed,
            "seconds": {k: round(v, 2) for k, v in self.seconds.items()},
        }


def bootstrap_inputs(seed: int = 42) -> TrainingInputs:
    """The training inputs of a first-run bootstrap: the project's own data (no ``../shared``) in
    the quick configuration, which keeps all default models well under three minutes on 2 cores."""
    from training.spec import TrainingInputs

    return TrainingInputs(seed=seed, quick=True)


def bootstrap_models(
    settings: Settings,
    *,
    specs: Mapping[str, ModelSpec] | None = None,
    store: ModelStore | None = None,
    inputs: TrainingInputs | None = None,
    show_progress: bool = True,
) -> BootstrapReport:
    """Train, register and promote default models that have no champion yet (first run).

    Parameters
    ----------
    settings : Settings
        Where the MLflow store is.
    specs : mapping, optional
        The models; the training registry's when unset.
    store : ModelStore, optional
        An open store to reuse.
    inputs : TrainingInputs, optional
        Defaults to :func:`bootstrap_inputs` (generated data, quick).
    show_progress : bool
        Draw a rich progress display on stderr.

    Returns
    -------
    BootstrapReport
        A model whose spec is missing or fails is reported in ``failed`` with
        a logged warning; the others are still bootstrapped.
    """
    from training.errors import LifecycleError, ModelNotRegisteredError
    from training.lifecycle import champion_version, train_model
    from training.mlflow_store import ModelStore

    report = BootstrapReport()
    found, broken = _specs(specs)
    for name, why in broken.items():
        report.failed[name] = why
        logger.warning("bootstrap: %s skipped: %s", name, why)
    model_store = store or ModelStore.from_settings(settings)
    try:
        _ = model_store.client
    except LifecycleError as error:
        logger.warning("bootstrap: skipped, %s", _reason(error))
        for name in found:
            report.failed[name] = _reason(error)
        return report
    todo: dict[str, ModelSpec] = {}
    for name, spec in found.items():
        try:
            report.already[name] = champion_version(name, store=model_store, spec=spec)
        except ModelNotRegisteredError:  # includes NoChampionError
            todo[name] = spec
        except LifecycleError as error:
            report.failed[name] = _reason(error)
    if not todo:
        return report
    training_inputs = inputs or bootstrap_inputs()
    logger.info("bootstrap: training %s (first run)", ", ".join(todo))
    with _progress_display(show_progress) as progress:
        overall = progress.add_task("bootstrap: default models", total=len(todo)) if progress else None
        for name, spec in todo.items():
            task = progress.add_task(f"{name}: training", total=None) if progress else None

            def on_progress(description: str, completed: int, total: int, _task: Any = task) -> None:
                if progress is not None and _task is not None:
                    progress.update(_task, description=description, completed=completed, total=total or None)

            started = time.perf_counter()
            try:
                result = train_model(
                    name, training_inputs, store=model_store, spec=spec, progress=on_progress
                )
            except Exception as error:  # bootstrap the others; the service reports this one missing
                report.failed[name] = f"training failed: {' '.join(str(error).split())[:300]}"
                logger.warning("bootstrap: %s failed: %s", name, report.failed[name])
            else:
                if not result.champion:
                    # Someone registered a version meanwhile but none is champion: make ours it.
                    from training.lifecycle import set_champion

                    set_champion(name, result.version, store=model_store, spec=spec)
                report.trained[name] = result.version
            report.seconds[name] = time.perf_counter() - started
            if progress is not None and task is not None:
                status = f"v{report.trained[name]}" if name in report.trained else "failed"
                progress.update(task, description=f"{name}: {status}", completed=1, total=1)
            if progress is not None and overall is not None:
                progress.advance(overall)
    return report


@contextlib.contextmanager
def _progress_display(enabled: bool) -> Iterator[Any]:
    """A rich Progress on stderr, or None when progress is off."""
    if not enabled:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
    ) as progress:
        yield progress


def get_serving_models(request: Request) -> ServingModels:
    models: ServingModels = request.app.state.serving_models
    return models
