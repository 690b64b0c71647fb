"""Routes: the models in use (``GET /v1/models``) and reloading them (``POST /v1/models/reload``)."""

from __future__ import annotations

import json
import logging
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from service.deps import AppSettings, require_roles
from service.json_body import StrictJSONRoute
from service.model_serving import ServingModels, get_serving_models, reload_serving_models
from service.problems import ProblemError
from service.settings import Settings

logger = logging.getLogger("handoff.models")

router = APIRouter(prefix="/v1/models", tags=["models"], route_class=StrictJSONRoute)


class ModelStatus(BaseModel):
    model: str = Field(description="Model short name, e.g. `clauses`.")
    registered_name: str = Field(description="The MLflow registered model name.")
    status: Literal["loaded", "missing"]
    version: str | None = Field(default=None, description="The champion version in use, when loaded.")
    reason: str | None = Field(default=None, description="Why the model is not loaded, when missing.")


class ModelsResponse(BaseModel):
    models: list[ModelStatus]
    versions: dict[str, str] = Field(description="Short name -> version in use, for every loaded model.")
    missing: dict[str, str] = Field(description="Short name -> why it is not loaded.")
    loaded_at: float = Field(description="When this set of models was loaded (Unix time).")


def _describe(serving: ServingModels) -> ModelsResponse:
    names = sorted({*serving.registered_names, *serving.loaded, *serving.missing})
    models = []
    for name in names:
        loaded = serving.loaded.get(name)
        registered_name = (
            loaded.registered_name if loaded else serving.registered_names.get(name, f"handoff-{name}")
        )
        if loaded is not None:
            models.append(
                ModelStatus(
                    model=name, registered_name=registered_name, status="loaded", version=loaded.version
                )
            )
        else:
            models.append(
                ModelStatus(
                    model=name,
                    registered_name=registered_name,
                    status="missing",
                    reason=serving.missing.get(name, "not loaded"),
                )
            )
    return ModelsResponse(
        models=models,
        versions=serving.versions(),
        missing=dict(sorted(serving.missing.items())),
        loaded_at=serving.loaded_at,
    )


@router.get("", dependencies=[require_roles("admin", "analyst", "engine")])
def list_models(serving: Annotated[ServingModels, Depends(get_serving_models)]) -> ModelsResponse:
    """The model versions in use per model, and which models are missing and why."""
    return _describe(serving)


@router.post("/reload", dependencies=[require_roles("admin")])
async def reload_models(request: Request, settings: AppSettings) -> ModelsResponse:
    """Load every champion again and swap them in without dropping requests in flight."""
    # app.state.model_specs, when set, replaces the training registry's specs (tests, plug-ins).
    specs = getattr(request.app.state, "model_specs", None)
    fresh = await run_in_threadpool(reload_serving_models, request.app, settings, specs=specs)
    return _describe(fresh)


class ModelEvals(BaseModel):
    model: str
    version: str
    evals: dict[str, dict[str, Any]] = Field(
        description="suite -> {status, run_id, headline}: the latest `handoff eval` of this version"
    )


class EvalsResponse(BaseModel):
    models: list[ModelEvals] = Field(description="every loaded model; evals is empty if never evaluated")


def _model_store(request: Request, settings: Settings) -> Any:
    # One MLflow client per process, made on first use (app.state.model_store may be injected).
    store = getattr(request.app.state, "model_store", None)
    if store is None:
        from training.mlflow_store import ModelStore

        store = ModelStore.from_settings(settings)
        request.app.state.model_store = store
    return store


def _suite_headline(raw: str) -> dict[str, Any]:
    try:
        document = json.loads(raw)
    except ValueError:
        return {"status": "unreadable"}
    return document if isinstance(document, dict) else {"status": "unreadable"}


@router.get("/evals", dependencies=[require_roles("admin", "analyst")], responses={503: {}})
async def list_evals(
    request: Request, settings: AppSettings, serving: Annotated[ServingModels, Depends(get_serving_models)]
) -> EvalsResponse:
    """The eval headlines of each model version in use, as `handoff eval` recorded them."""
    store = _model_store(request, settings)

    def read() -> EvalsResponse:
        from evals.runner import EVAL_TAG_PREFIX  # the tag `handoff eval` writes
        from training.mlflow_store import error_code

        models = []
        for name, loaded in sorted(serving.loaded.items()):
            try:
                tags = store.client.get_model_version(loaded.registered_name, loaded.version).tags or {}
            except Exception as exc:
                if error_code(exc) != "RESOURCE_DOES_NOT_EXIST":
                    raise
                tags = {}  # served from elsewhere than this registry (a test, a plug-in): no evals here
            evals = {
                key.removeprefix(EVAL_TAG_PREFIX): _suite_headline(value)
                for key, value in sorted(tags.items())
                if key.startswith(EVAL_TAG_PREFIX)
            }
            models.append(ModelEvals(model=name, version=loaded.version, evals=evals))
        return EvalsResponse(models=models)

    try:
        return await run_in_threadpool(read)
    except Exception as exc:  # the registry is another service: its failure is not the caller's
        logger.warning("evals: model registry unavailable: %s", exc)
        raise ProblemError(
            503,
            "model-registry-unavailable",
            "Model registry unavailable",
            "The model registry did not answer; retry shortly.",
            headers={"Retry-After": "5"},
        ) from None
