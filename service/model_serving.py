"""The models the service serves: each champion loaded once at start-up.

Interface (see docs/architecture.md). The lifecycle owner fills in loading from
the MLflow registry; until then nothing is loaded and every model answers 503.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fastapi import Request

from service.settings import Settings


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

    def get_or_raise(self, short_name: str) -> LoadedModel:
        try:
            return self.loaded[short_name]
        except KeyError:
            raise ModelUnavailableError(short_name, self.missing.get(short_name, "not loaded")) from None

    def get(self, short_name: str) -> LoadedModel | None:
        return self.loaded.get(short_name)


def load_serving_models(settings: Settings) -> ServingModels:
    """Load every registered model's champion; never raises for one model's failure."""
    return ServingModels()


def bootstrap_models(settings: Settings) -> None:
    """Train, register and promote default models that have no champion yet (first run)."""


def get_serving_models(request: Request) -> ServingModels:
    models: ServingModels = request.app.state.serving_models
    return models
