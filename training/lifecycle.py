"""The model lifecycle: train a spec, log and register it in MLflow, load champions back.

Every model goes the same way::

    spec.train(inputs) -> TrainedModel -> spec.save(dir)
        -> an MLflow run (params, data sha256, code version, metrics)
        -> a pyfunc model (training/pyfunc_model.py) carrying the saved folder,
           with a signature and input example
        -> a registered version of ``spec.registered_name``

The first version of a model becomes its ``champion``; later ones only through
the promotion gate (``evals.gate.promote``). Loading downloads the champion's
folder and calls ``spec.load``: domain code never touches MLflow.

Errors are those of ``training.errors``.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import importlib.metadata
import json
import math
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from training.errors import (
    CorruptArtifactError,
    LifecycleError,
    ModelNotRegisteredError,
    NoChampionError,
    StoreUnavailableError,
    TrainingFailedError,
)
from training.mlflow_store import (
    CHAMPION_ALIAS,
    ModelStore,
    error_code,
    first_line,
    quiet_mlflow,
)
from training.registry import get_model_spec, model_names
from training.spec import ModelSpec, ProgressCallback, TrainedModel, TrainingInputs

DOMAIN_FOLDER = "domain_model"
MODEL_ARTIFACT_PATH = "model"
_PARAM_VALUE_LIMIT = 6000
_REPO_ROOT = Path(__file__).resolve().parent.parent

# Tags the lifecycle writes on runs and model versions.
TAG_SHORT_NAME = "handoff.model"
TAG_CODE_VERSION = "handoff.code_version"
TAG_SOURCE_SHA256 = "handoff.source_sha256"
TAG_DATA_SHA256 = "handoff.data_sha256"
TAG_SEED = "handoff.seed"
TAG_SOURCE_MODULES = "handoff.source_modules"


@dataclass(frozen=True)
class TrainResult:
    """What one ``train_model`` call produced."""

    short_name: str
    registered_name: str
    version: str
    run_id: str
    champion: bool  # True when this version became the champion (the model's first)
    metrics: dict[str, float]
    params: dict[str, Any]
    data_sha256: str
    code_version: str
    source_sha256: str
    seconds: float
    cpu_seconds: float = 0.0  # this process's CPU time: comparable on a busy machine, unlike wall time

    def to_json(self) -> dict[str, Any]:
        return {
            "model": self.short_name,
            "registered_name": self.registered_name,
            "version": self.version,
            "run_id": self.run_id,
            "champion": self.champion,
            "metrics": self.metrics,
            "params": self.params,
            "data_sha256": self.data_sha256,
            "code_version": self.code_version,
            "source_sha256": self.source_sha256,
            "seconds": round(self.seconds, 3),
            "cpu_seconds": round(self.cpu_seconds, 3),
        }


@dataclass(frozen=True)
class LoadedVersion:
    """A model version read back through its spec (the shape of ``service.model_serving.LoadedModel``)."""

    short_name: str
    registered_name: str
    version: str
    model: Any
    run_id: str


@dataclass(frozen=True)
class VersionSummary:
    version: str
    run_id: str
    created_at: int  # milliseconds since the epoch, as MLflow keeps it
    aliases: list[str]
    tags: dict[str, str]


@dataclass(frozen=True)
class ModelSummary:
    short_name: str
    registered_name: str
    registered: bool
    champion: str | None
    latest: str | None
    versions: list[VersionSummary] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "model": self.short_name,
            "registered_name": self.registered_name,
            "registered": self.registered,
            "champion": self.champion,
            "latest": self.latest,
            "versions": [
                {
                    "version": v.version,
                    "run_id": v.run_id,
                    "created_at": v.created_at,
                    "aliases": v.aliases,
                    "tags": v.tags,
                }
                for v in self.versions
            ],
        }


def resolve_spec(short_name: str, spec: ModelSpec | None = None) -> ModelSpec:
    """``spec`` when given (tests inject toy specs), else the registered one for ``short_name``."""
    if spec is not None:
        if spec.short_name != short_name:
            raise ValueError(f"spec {spec.short_name!r} given for model {short_name!r}")
        return spec
    return get_model_spec(short_name)


def _store(store: ModelStore | None, tracking_uri: str | None, artifact_root: Path | None) -> ModelStore:
    if store is not None:
        return store
    if tracking_uri is None:
        raise ValueError("give either store or tracking_uri")
    return ModelStore(tracking_uri=tracking_uri, artifact_root=artifact_root)


# --- code version ---------------------------------------------------------------------------


def _package_version() -> str:
    try:
        return importlib.metadata.version("handoff")
    except importlib.metadata.PackageNotFoundError:
        return "0+unknown"


def _git_describe() -> str | None:
    if not (_REPO_ROOT / ".git").exists():
        return None
    try:
        completed = subprocess.run(
            ["git", "describe", "--always", "--dirty", "--abbrev=12"],
            cwd=_REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    described = completed.stdout.strip()
    return described if completed.returncode == 0 and described else None


def _python_files(target: Path) -> list[Path]:
    if target.is_file():
        return [target]
    return sorted(path for path in target.rglob("*.py") if "__pycache__" not in path.parts)


def source_sha256(*modules: str) -> str:
    """sha256 over the source of the named modules; a package contributes all its ``.py`` files.

    Parameters
    ----------
    *modules : str
        Dotted module or package names (``"training.clauses"``, ``"extraction"``).

    Returns
    -------
    str
        Hex digest, stable across machines for the same source.
    """
    digest = hashlib.sha256()
    for name in sorted(set(modules)):
        module = sys.modules.get(name) or importlib.import_module(name)
        origin = getattr(module, "__file__", None)
        if origin is None:
            continue
        path = Path(origin)
        target = path.parent if path.name == "__init__.py" else path
        for file in _python_files(target):
            relative = file.relative_to(target.parent) if target.is_dir() else Path(file.name)
            digest.update(relative.as_posix().encode())
            digest.update(b"\0")
            digest.update(file.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()


def _ours(module_name: str) -> bool:
    top = module_name.split(".", 1)[0]
    module = sys.modules.get(top)
    origin = getattr(module, "__file__", None) if module is not None else None
    return origin is not None and Path(origin).resolve().is_relative_to(_REPO_ROOT) and top != "tests"


def spec_source_modules(spec: ModelSpec, model: Any | None = None) -> list[str]:
    """The modules whose source defines a model: the spec's module and the domain package of its model."""
    names = [type(spec).__module__]
    if model is not None:
        model_module = type(model).__module__
        if _ours(model_module):
            names.append(model_module.split(".", 1)[0])
    return [name for name in names if name and name != "__main__"]


def code_version() -> str:
    """``git describe`` of the checkout when there is one, else the installed package version."""
    return _git_describe() or _package_version()


# --- training -------------------------------------------------------------------------------


def _param_value(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, default=str, sort_keys=True)
    return text if len(text) <= _PARAM_VALUE_LIMIT else text[: _PARAM_VALUE_LIMIT - 3] + "..."


_KEY_CHARACTERS = re.compile(r"[^A-Za-z0-9_\-. /:]")


def _key(name: str) -> str:
    """A param or metric name with the characters MLflow refuses replaced by ``_``."""
    return _KEY_CHARACTERS.sub("_", str(name))[:250]


def _finite_metrics(metrics: Mapping[str, Any]) -> dict[str, float]:
    clean = {}
    for name, value in metrics.items():
        try:
            number = float(value)
        except (TypeError, ValueError):
            continue
        if math.isfinite(number):
            clean[name] = number
    return clean


def example_frame(example: Any) -> Any:
    """A ``TrainedModel.input_example`` as the DataFrame the pyfunc's signature describes
    (a dict is one row, a list of dicts several, nested values become JSON text)."""
    import pandas as pd

    if isinstance(example, pd.DataFrame):
        return example
    if isinstance(example, Mapping):
        return pd.DataFrame([{key: _flat(value) for key, value in example.items()}])
    if isinstance(example, list) and example and all(isinstance(row, Mapping) for row in example):
        return pd.DataFrame([{key: _flat(value) for key, value in row.items()} for row in example])
    if isinstance(example, list | tuple):
        return pd.DataFrame({"input": [_flat(value) for value in example]})
    return pd.DataFrame({"input": [_flat(example)]})


def _flat(value: Any) -> Any:
    # Nested values become JSON text so that MLflow can infer a flat column schema.
    if isinstance(value, Mapping | list | tuple):
        return json.dumps(value, default=str, sort_keys=True)
    return value


def _log_pyfunc(
    client: Any,
    run_id: str,
    *,
    short_name: str,
    domain_dir: Path,
    input_example: Any,
    work_dir: Path,
) -> str | None:
    """Save the pyfunc wrapper around ``domain_dir`` and log it under the run. Returns a note
    when the signature could not be inferred from the input example."""
    import mlflow

    note = None
    signature = None
    example = None
    if input_example is not None:
        try:
            example = example_frame(input_example)
            signature = mlflow.models.infer_signature(example)
        except Exception as error:  # the example is advisory; a model must still register
            note = f"no signature: {first_line(error)}"
            example = None
    model_dir = work_dir / MODEL_ARTIFACT_PATH

    def save(signature: Any, example: Any) -> None:
        mlflow.pyfunc.save_model(
            str(model_dir),
            python_model=str(Path(__file__).with_name("pyfunc_model.py")),
            artifacts={DOMAIN_FOLDER: str(domain_dir)},
            model_config={"short_name": short_name},
            signature=signature,
            input_example=example,
            # Pinning requirements skips MLflow's slow import-tracing inference.
            pip_requirements=[f"handoff=={_package_version()}"],
        )

    try:
        save(signature, example)
    except Exception as error:
        if example is None:
            raise
        # MLflow validates the example against the signature; a model must register without it.
        note = f"input example not logged: {first_line(error)}"
        shutil.rmtree(model_dir, ignore_errors=True)
        save(None, None)
    client.log_artifacts(run_id, str(model_dir), MODEL_ARTIFACT_PATH)
    return note


def _ensure_registered_model(client: Any, registered_name: str) -> None:
    from mlflow.exceptions import MlflowException

    try:
        client.get_registered_model(registered_name)
    except MlflowException as error:
        if error_code(error) != "RESOURCE_DOES_NOT_EXIST":
            raise
        try:
            client.create_registered_model(
                registered_name, tags={"handoff.managed": "true"}, description="A Handoff model."
            )
        except MlflowException as create_error:
            if error_code(create_error) != "RESOURCE_ALREADY_EXISTS":
                raise


def train_model(
    short_name: str,
    inputs: TrainingInputs,
    *,
    tracking_uri: str | None = None,
    artifact_root: Path | None = None,
    store: ModelStore | None = None,
    spec: ModelSpec | None = None,
    progress: ProgressCallback | None = None,
) -> TrainResult:
    """Train one model, log the run and register a new version.

    Parameters
    ----------
    short_name : str
        The model (``training.registry``), e.g. ``"time-entries"``.
    inputs : TrainingInputs
        Seed, data paths, ``quick``.
    tracking_uri, artifact_root : optional
        The MLflow store, when ``store`` is not given.
    store : ModelStore, optional
        An open store (reused across calls to skip reconnecting).
    spec : ModelSpec, optional
        Use this spec instead of the registered one (tests, plug-ins).
    progress : callable, optional
        ``(description, completed, total)``, forwarded to the spec's ``train``.

    Returns
    -------
    TrainResult
        ``champion`` is True when this is the model's first version, which
        becomes the champion; later versions need ``evals.gate.promote``.

    Raises
    ------
    TrainingFailedError
        The spec's ``train`` or ``save`` raised (the run is marked FAILED).
    StoreUnavailableError
        The store cannot be reached.
    """
    started = time.perf_counter()
    started_cpu = time.process_time()
    model_spec = resolve_spec(short_name, spec)
    model_store = _store(store, tracking_uri, artifact_root)
    client = model_store.client
    experiment_id = model_store.experiment_id(model_spec.registered_name)

    with quiet_mlflow():
        from mlflow.entities import Metric, Param, RunTag

        run = client.create_run(
            experiment_id,
            run_name=f"train-{short_name}",
            tags={TAG_SHORT_NAME: short_name, TAG_SEED: str(inputs.seed), "handoff.kind": "train"},
        )
    run_id = run.info.run_id
    try:
        try:
            trained: TrainedModel = model_spec.train(inputs, progress=progress)
        except Exception as error:
            raise TrainingFailedError(f"training {short_name} failed: {first_line(error)}") from error
        if progress is not None:
            progress(f"{short_name}: logging", 0, 1)
        version_text = code_version()
        source_modules = spec_source_modules(model_spec, trained.model)
        source_hash = source_sha256(*source_modules)
        params = {
            **{key: value for key, value in trained.params.items()},
            "seed": inputs.seed,
            "quick": inputs.quick,
            "data": str(inputs.data) if inputs.data else None,
            "lines": str(inputs.lines) if inputs.lines else None,
            "context": str(inputs.context) if inputs.context else None,
            "feedback": str(inputs.feedback) if inputs.feedback else None,
            "shared_data": "yes" if inputs.shared_data else "no",
        }
        metrics = _finite_metrics(trained.metrics)
        now_ms = int(time.time() * 1000)
        tags = {
            TAG_CODE_VERSION: version_text,
            TAG_SOURCE_SHA256: source_hash,
            TAG_DATA_SHA256: trained.data_sha256,
            TAG_SOURCE_MODULES: ",".join(source_modules),
        }
        logged_params = [Param(_key(name), _param_value(value)) for name, value in sorted(params.items())]
        logged_metrics = [Metric(_key(name), value, now_ms, 0) for name, value in sorted(metrics.items())]
        with quiet_mlflow():
            client.log_batch(run_id, tags=[RunTag(name, value) for name, value in tags.items()])
            # MLflow takes at most 100 params and 1000 metrics per batch.
            for start in range(0, max(len(logged_params), len(logged_metrics)), 100):
                client.log_batch(
                    run_id,
                    params=logged_params[start : start + 100],
                    metrics=logged_metrics[start : start + 100],
                )
        with tempfile.TemporaryDirectory(prefix=f"handoff-train-{short_name}-") as work:
            work_dir = Path(work)
            domain_dir = work_dir / DOMAIN_FOLDER
            domain_dir.mkdir()
            try:
                model_spec.save(trained.model, domain_dir)
            except Exception as error:
                raise TrainingFailedError(f"saving {short_name} failed: {first_line(error)}") from error
            with quiet_mlflow():
                note = _log_pyfunc(
                    client,
                    run_id,
                    short_name=short_name,
                    domain_dir=domain_dir,
                    input_example=trained.input_example,
                    work_dir=work_dir,
                )
                if note:
                    client.set_tag(run_id, "handoff.signature_note", note)
        with quiet_mlflow():
            _ensure_registered_model(client, model_spec.registered_name)
            model_version = client.create_model_version(
                model_spec.registered_name,
                source=f"{run.info.artifact_uri}/{MODEL_ARTIFACT_PATH}",
                run_id=run_id,
                tags={TAG_SHORT_NAME: short_name, **tags},
            )
            version = str(model_version.version)
            aliases = client.get_registered_model(model_spec.registered_name).aliases or {}
            became_champion = CHAMPION_ALIAS not in aliases
            if became_champion:
                client.set_registered_model_alias(model_spec.registered_name, CHAMPION_ALIAS, version)
                client.set_model_version_tag(
                    model_spec.registered_name, version, "handoff.promotion", "first version: champion"
                )
            client.set_terminated(run_id, "FINISHED")
    except BaseException as error:
        with quiet_mlflow(), contextlib.suppress(Exception):
            client.set_tag(run_id, "handoff.error", first_line(error))
            client.set_terminated(run_id, "FAILED")
        if isinstance(error, LifecycleError) or not isinstance(error, Exception):
            raise
        message = f"logging {short_name} to MLflow failed: {first_line(error)}"
        if isinstance(error, ConnectionError | TimeoutError) or "connection" in type(error).__name__.lower():
            raise StoreUnavailableError(message) from error
        raise TrainingFailedError(message) from error
    if progress is not None:
        progress(f"{short_name}: registered v{version}", 1, 1)
    return TrainResult(
        short_name=short_name,
        registered_name=model_spec.registered_name,
        version=version,
        run_id=run_id,
        champion=became_champion,
        metrics=metrics,
        params=params,
        data_sha256=trained.data_sha256,
        code_version=version_text,
        source_sha256=source_hash,
        seconds=time.perf_counter() - started,
        cpu_seconds=time.process_time() - started_cpu,
    )


# --- reading the registry -------------------------------------------------------------------


def _get_registered(client: Any, registered_name: str) -> Any:
    from mlflow.exceptions import MlflowException

    try:
        with quiet_mlflow():
            return client.get_registered_model(registered_name)
    except MlflowException as error:
        if error_code(error) == "RESOURCE_DOES_NOT_EXIST":
            raise ModelNotRegisteredError(f"no model is registered as {registered_name}") from None
        raise StoreUnavailableError(f"reading {registered_name} failed: {first_line(error)}") from error
    except Exception as error:
        raise StoreUnavailableError(f"reading {registered_name} failed: {first_line(error)}") from error


def champion_version(
    short_name: str,
    *,
    store: ModelStore,
    spec: ModelSpec | None = None,
) -> str:
    """The version number holding the ``champion`` alias.

    Raises
    ------
    ModelNotRegisteredError, NoChampionError, StoreUnavailableError
    """
    model_spec = resolve_spec(short_name, spec)
    registered = _get_registered(store.client, model_spec.registered_name)
    aliases = registered.aliases or {}
    if CHAMPION_ALIAS not in aliases:
        raise NoChampionError(f"{model_spec.registered_name} has no {CHAMPION_ALIAS} version")
    return str(aliases[CHAMPION_ALIAS])


def latest_version(short_name: str, *, store: ModelStore, spec: ModelSpec | None = None) -> str:
    """The newest registered version number of the model."""
    model_spec = resolve_spec(short_name, spec)
    versions = _versions(store.client, model_spec.registered_name)
    if not versions:
        raise ModelNotRegisteredError(f"{model_spec.registered_name} has no versions")
    return str(max(int(v.version) for v in versions))


def _versions(client: Any, registered_name: str) -> list[Any]:
    _get_registered(client, registered_name)
    try:
        with quiet_mlflow():
            return list(client.search_model_versions(f"name = '{registered_name}'"))
    except Exception as error:
        raise StoreUnavailableError(f"listing {registered_name} failed: {first_line(error)}") from error


def get_model_version(
    short_name: str, version: str, *, store: ModelStore, spec: ModelSpec | None = None
) -> Any:
    """MLflow's ``ModelVersion`` entity for ``version``."""
    from mlflow.exceptions import MlflowException

    model_spec = resolve_spec(short_name, spec)
    _get_registered(store.client, model_spec.registered_name)
    try:
        with quiet_mlflow():
            return store.client.get_model_version(model_spec.registered_name, str(version))
    except MlflowException as error:
        if error_code(error) in ("RESOURCE_DOES_NOT_EXIST", "INVALID_PARAMETER_VALUE"):
            raise ModelNotRegisteredError(f"{model_spec.registered_name} has no version {version}") from None
        raise StoreUnavailableError(
            f"reading {model_spec.registered_name} v{version}: {first_line(error)}"
        ) from error


def load_version(
    short_name: str,
    version: str,
    *,
    store: ModelStore,
    spec: ModelSpec | None = None,
) -> LoadedVersion:
    """Download one version's domain folder and read it back with ``spec.load``.

    Raises
    ------
    ModelNotRegisteredError
        No such model or version.
    CorruptArtifactError
        The folder is missing or ``spec.load`` rejected it.
    StoreUnavailableError
        The store cannot be reached.
    """
    model_spec = resolve_spec(short_name, spec)
    model_version = get_model_version(short_name, version, store=store, spec=model_spec)
    destination = store.model_cache(model_spec.registered_name, str(model_version.version))
    destination.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{destination.name}-", dir=destination.parent))
    try:
        with quiet_mlflow():
            import mlflow

            downloaded = Path(
                mlflow.artifacts.download_artifacts(
                    artifact_uri=f"{model_version.source}/artifacts/{DOMAIN_FOLDER}",
                    dst_path=str(staging),
                    tracking_uri=store.tracking_uri,
                )
            )
        if not downloaded.is_dir() or not any(downloaded.iterdir()):
            raise CorruptArtifactError(
                f"{model_spec.registered_name} v{model_version.version}: the model folder is missing or empty"
            )
        # Swap in the fresh copy; an older ServingModels reading the same version
        # reads identical files, so replacing them under it is harmless.
        if destination.exists():
            shutil.rmtree(destination, ignore_errors=True)
        downloaded.rename(destination)
    except LifecycleError:
        raise
    except Exception as error:
        raise CorruptArtifactError(
            f"{model_spec.registered_name} v{model_version.version}: "
            f"cannot read artifacts: {first_line(error)}"
        ) from error
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    try:
        model = model_spec.load(destination)
    except Exception as error:
        raise CorruptArtifactError(
            f"{model_spec.registered_name} v{model_version.version}: load failed: {first_line(error)}"
        ) from error
    return LoadedVersion(
        short_name=short_name,
        registered_name=model_spec.registered_name,
        version=str(model_version.version),
        model=model,
        run_id=str(model_version.run_id),
    )


def load_champion(
    short_name: str,
    *,
    tracking_uri: str | None = None,
    artifact_root: Path | None = None,
    store: ModelStore | None = None,
    spec: ModelSpec | None = None,
) -> LoadedVersion:
    """Load the model's ``champion`` version.

    Parameters
    ----------
    short_name : str
        The model (``training.registry``).
    tracking_uri, artifact_root, store : optional
        The MLflow store (``store`` wins when given).
    spec : ModelSpec, optional
        Use this spec instead of the registered one.

    Returns
    -------
    LoadedVersion

    Raises
    ------
    NoChampionError, ModelNotRegisteredError, CorruptArtifactError, StoreUnavailableError
    """
    model_store = _store(store, tracking_uri, artifact_root)
    model_spec = resolve_spec(short_name, spec)
    version = champion_version(short_name, store=model_store, spec=model_spec)
    return load_version(short_name, version, store=model_store, spec=model_spec)


def set_champion(
    short_name: str,
    version: str,
    *,
    store: ModelStore,
    spec: ModelSpec | None = None,
) -> None:
    """Point the ``champion`` alias at ``version`` (the gate decides whether it may)."""
    model_spec = resolve_spec(short_name, spec)
    get_model_version(short_name, version, store=store, spec=model_spec)
    try:
        with quiet_mlflow():
            store.client.set_registered_model_alias(model_spec.registered_name, CHAMPION_ALIAS, str(version))
    except Exception as error:
        raise StoreUnavailableError(
            f"setting the champion of {model_spec.registered_name}: {first_line(error)}"
        ) from error


def list_models(
    *,
    tracking_uri: str | None = None,
    artifact_root: Path | None = None,
    store: ModelStore | None = None,
    specs: Mapping[str, ModelSpec] | None = None,
) -> list[ModelSummary]:
    """Every known model (registered or not) with its champion, latest and versions.

    Parameters
    ----------
    specs : mapping of short name to ModelSpec, optional
        The models to list; the registry's (``training.registry``) when unset.
        A registry spec that cannot be imported is listed by its expected
        registered name.

    Raises
    ------
    StoreUnavailableError
    """
    model_store = _store(store, tracking_uri, artifact_root)
    client = model_store.client
    summaries = []
    for short_name, registered_name in _names(specs).items():
        try:
            registered = _get_registered(client, registered_name)
        except ModelNotRegisteredError:
            summaries.append(ModelSummary(short_name, registered_name, False, None, None))
            continue
        aliases = registered.aliases or {}
        by_version: dict[str, list[str]] = {}
        for alias, aliased in aliases.items():
            by_version.setdefault(str(aliased), []).append(alias)
        versions = sorted(_versions(client, registered_name), key=lambda v: int(v.version))
        summaries.append(
            ModelSummary(
                short_name=short_name,
                registered_name=registered_name,
                registered=True,
                champion=str(aliases[CHAMPION_ALIAS]) if CHAMPION_ALIAS in aliases else None,
                latest=str(versions[-1].version) if versions else None,
                versions=[
                    VersionSummary(
                        version=str(v.version),
                        run_id=str(v.run_id),
                        created_at=int(v.creation_timestamp or 0),
                        aliases=sorted(by_version.get(str(v.version), [])),
                        tags=dict(v.tags or {}),
                    )
                    for v in versions
                ],
            )
        )
    return summaries


def _names(specs: Mapping[str, ModelSpec] | None) -> dict[str, str]:
    if specs is not None:
        return {short_name: spec.registered_name for short_name, spec in specs.items()}
    names = {}
    for short_name in model_names():
        try:
            names[short_name] = get_model_spec(short_name).registered_name
        except Exception:
            # A domain whose spec does not import yet is still listed under its conventional name.
            names[short_name] = f"handoff-{short_name}"
    return names


__all__ = [
    "LoadedVersion",
    "ModelSummary",
    "TrainResult",
    "VersionSummary",
    "champion_version",
    "code_version",
    "get_model_version",
    "latest_version",
    "list_models",
    "load_champion",
    "load_version",
    "resolve_spec",
    "set_champion",
    "source_sha256",
    "spec_source_modules",
    "train_model",
]
