"""The model lifecycle's exception tree.

::

    LifecycleError                   base of everything the lifecycle raises
    ├── StoreUnavailableError        the MLflow tracking/registry store cannot be reached or opened
    ├── ModelNotRegisteredError      no registered model (or no such version) under that name
    │   └── NoChampionError          registered, but no version holds the ``champion`` alias
    ├── CorruptArtifactError         a version's artifacts are missing or ``spec.load`` rejected them
    ├── TrainingFailedError          the spec's ``train``/``save`` raised; the cause is chained
    └── FeedbackFormatError          a feedback JSONL line is not a valid labelled example

The service maps each to a reason in ``ServingModels.missing`` (and a 503
``model-unavailable`` problem); the CLI prints one line and exits non-zero.
``training.registry.UnknownModelError`` (a ``LookupError``) stays separate:
it is a usage error, not a lifecycle fault.
"""

from __future__ import annotations


class LifecycleError(Exception):
    """Base of the lifecycle's errors."""


class StoreUnavailableError(LifecycleError):
    """The MLflow store (SQLite file or tracking server) cannot be reached or opened."""


class ModelNotRegisteredError(LifecycleError):
    """No registered model, or no such version, exists under the name."""


class NoChampionError(ModelNotRegisteredError):
    """The model is registered but no version holds the ``champion`` alias."""


class CorruptArtifactError(LifecycleError):
    """A model version's artifacts are missing, unreadable or rejected by ``spec.load``."""


class TrainingFailedError(LifecycleError):
    """A spec's ``train`` or ``save`` raised; the original error is the ``__cause__``."""


class FeedbackFormatError(LifecycleError, ValueError):
    """A feedback file line is not a valid labelled example (the message names the line)."""


__all__ = [
    "CorruptArtifactError",
    "FeedbackFormatError",
    "LifecycleError",
    "ModelNotRegisteredError",
    "NoChampionError",
    "StoreUnavailableError",
    "TrainingFailedError",
]
