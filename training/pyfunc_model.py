"""The MLflow pyfunc wrapper logged with every Handoff model (MLflow "models from code").

MLflow copies this file into each logged model. Loading the logged model with
``mlflow.pyfunc.load_model`` (a batch job, a Spark UDF) reads the domain
folder under ``artifacts/domain_model`` back through the spec named in the
model config, so the pyfunc serves exactly what the service serves. The
service itself does not go through pyfunc: ``training.lifecycle`` downloads the
same folder and calls ``spec.load`` directly.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import mlflow
import pandas as pd
from mlflow.pyfunc import PythonModel


class HandoffPyfuncModel(PythonModel):
    """Loads a domain model through its ``ModelSpec``; ``predict`` delegates to the model."""

    def load_context(self, context: Any) -> None:
        from training.registry import get_model_spec

        short_name = context.model_config["short_name"]
        self._spec = get_model_spec(short_name)
        self._model = self._spec.load(Path(context.artifacts["domain_model"]))

    # The DataFrame hint is one MLflow accepts without warning; inputs follow the logged signature.
    def predict(self, context: Any, model_input: pd.DataFrame, params: dict[str, Any] | None = None) -> Any:
        # Domain models name their scoring method differently; a spec that wants
        # pyfunc batch scoring exposes ``predict(model, rows)``.
        spec_predict = getattr(self._spec, "predict", None)
        if spec_predict is not None:
            return spec_predict(self._model, model_input)
        model_predict = getattr(self._model, "predict", None)
        if model_predict is None:
            raise TypeError(f"{type(self._model).__name__} has no predict; the spec defines none either")
        return model_predict(model_input)


mlflow.models.set_model(HandoffPyfuncModel())
