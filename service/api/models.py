"""Routes: the models in use (``GET /v1/models``) and reloading them (``POST /v1/models/reload``)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from service.deps import AppSettings, require_roles
from service.json_body import StrictJSONRoute
from service.model_serving import ServingModels, get_serving_models, reload_serving_models

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
