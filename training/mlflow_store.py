"""Where the lifecycle keeps runs and registered models: one MLflow store, reached
through an explicit ``MlflowClient`` (never MLflow's process-global tracking URI,
so two stores in one process, as in tests, do not interfere).

MLflow is imported lazily: ``import mlflow`` costs over a second, and the CLI and
the service must not pay it unless they touch models.
"""

from __future__ import annotations

import contextlib
import os
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from training.errors import StoreUnavailableError

if TYPE_CHECKING:
    from mlflow import MlflowClient

CHAMPION_ALIAS = "champion"
EVAL_EXPERIMENT = "handoff-evals"
PROMOTION_EXPERIMENT = "handoff-promotions"

# MLflow's defaults phone home, draw tqdm bars on every download, log chattily and retry an
# unreachable server for minutes; a service start-up must learn fast that the
# store is gone. Users may still override each through the environment.
_MLFLOW_ENV_DEFAULTS = {
    "MLFLOW_DISABLE_TELEMETRY": "true",
    "MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR": "false",
    # Its INFO lines ("Validating input example...") drown the CLI's own progress.
    "MLFLOW_LOGGING_LEVEL": "WARNING",
    "MLFLOW_HTTP_REQUEST_MAX_RETRIES": "2",
    "MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR": "1",
    "MLFLOW_HTTP_REQUEST_TIMEOUT": "20",
}


def _apply_mlflow_env_defaults() -> None:
    for name, value in _MLFLOW_ENV_DEFAULTS.items():
        os.environ.setdefault(name, value)


@contextlib.contextmanager
def quiet_mlflow() -> Iterator[None]:
    """Silence MLflow's own UserWarnings (type-hint advice, schema notes) for one operation.

    They are advice about MLflow's optional validation, not faults of ours, and
    the test suite turns every warning into an error.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=UserWarning, module=r"mlflow(\..*)?$")
        warnings.filterwarnings("ignore", category=FutureWarning, module=r"mlflow(\..*)?$")
        # MLflow points these at the model's own module (stacklevel), so match the text.
        warnings.filterwarnings("ignore", message=r".*type hint", category=UserWarning)
        yield


def is_local_uri(uri: str) -> bool:
    return uri.startswith(("sqlite:", "file:", "/")) or "://" not in uri


@dataclass
class ModelStore:
    """One MLflow tracking + registry store.

    Parameters
    ----------
    tracking_uri : str
        ``sqlite:///.../mlflow.db`` (the local default) or a tracking server URL.
    artifact_root : Path, optional
        Where new experiments keep artifacts for a local store; ignored for a
        tracking server, which chooses its own.
    cache_dir : Path, optional
        Where downloaded model folders are kept while served; a temporary
        folder when unset.
    """

    tracking_uri: str
    artifact_root: Path | None = None
    cache_dir: Path | None = None
    _client: Any = field(default=None, init=False, repr=False, compare=False)
    _experiments: dict[str, str] = field(default_factory=dict, init=False, repr=False, compare=False)

    @classmethod
    def from_settings(cls, settings: Any) -> ModelStore:
        """The store ``service.settings.Settings`` describes (duck-typed: training never imports service)."""
        return cls(
            tracking_uri=settings.resolved_mlflow_uri,
            artifact_root=Path(settings.mlflow_artifact_root),
            cache_dir=Path(settings.home).resolve() / "mlflow" / "model-cache",
        )

    @property
    def client(self) -> MlflowClient:
        if self._client is None:
            self._client = self._connect()
        return self._client

    def _connect(self) -> MlflowClient:
        _apply_mlflow_env_defaults()
        if self.tracking_uri.startswith("sqlite:///"):
            database = Path(self.tracking_uri.removeprefix("sqlite:///"))
            try:
                database.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise StoreUnavailableError(
                    f"cannot create the MLflow store folder {database.parent}: {error.strerror or error}"
                ) from error
        try:
            with quiet_mlflow():
                from mlflow import MlflowClient

                client = MlflowClient(tracking_uri=self.tracking_uri, registry_uri=self.tracking_uri)
                # A cheap call that fails now, not later, when the store is unreachable.
                client.search_experiments(max_results=1)
        except Exception as error:
            raise StoreUnavailableError(
                f"MLflow store {redact_uri(self.tracking_uri)} is unreachable: {first_line(error)}"
            ) from error
        return client

    def experiment_id(self, name: str) -> str:
        """The id of experiment ``name``, created (with its artifact folder) when new."""
        if name in self._experiments:
            return self._experiments[name]
        with quiet_mlflow():
            from mlflow.exceptions import MlflowException

            experiment = self.client.get_experiment_by_name(name)
            if experiment is not None:
                experiment_id = str(experiment.experiment_id)
            else:
                location = None
                if self.artifact_root is not None and is_local_uri(self.tracking_uri):
                    folder = self.artifact_root / name
                    folder.mkdir(parents=True, exist_ok=True)
                    location = folder.resolve().as_uri()
                try:
                    experiment_id = str(self.client.create_experiment(name, artifact_location=location))
                except MlflowException:
                    # Another process created it between our lookup and create.
                    again = self.client.get_experiment_by_name(name)
                    if again is None:
                        raise
                    experiment_id = str(again.experiment_id)
        self._experiments[name] = experiment_id
        return experiment_id

    def model_cache(self, registered_name: str, version: str) -> Path:
        if self.cache_dir is not None:
            root = self.cache_dir
        else:
            import tempfile

            root = Path(tempfile.gettempdir()) / "handoff-model-cache"
        return root / registered_name / version


def first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0][:300] if text else type(error).__name__


def redact_uri(uri: str) -> str:
    """The URI without any user:password part, for messages and logs."""
    scheme, separator, rest = uri.partition("://")
    if separator and "@" in rest.split("/", 1)[0]:
        rest = rest.split("@", 1)[1]
    return f"{scheme}{separator}{rest}"


def error_code(error: BaseException) -> str | None:
    """MLflow's error code (``RESOURCE_DOES_NOT_EXIST``, ...) when ``error`` carries one."""
    return getattr(error, "error_code", None)
