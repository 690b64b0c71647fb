"""The one interface every Handoff model implements, so that training, evals and
the service drive each model the same way.

A domain contributes a ``ModelSpec`` (in ``training/<model>.py``) that knows how
to build its training data, fit the domain's model and save/load it to a plain
folder. The lifecycle (``training.lifecycle``) wraps that folder in MLflow: it
logs parameters, data hash, code version, metrics and the eval report, and
registers the model. Domain code never calls MLflow itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

# Reports progress of long work: (description, completed, total). The CLI
# renders it with rich; tests and the service may pass None.
ProgressCallback = Callable[[str, int, int], None]


@dataclass(frozen=True)
class TrainingInputs:
    """What a training run may be given. Every field is optional: with none,
    a spec trains on the project's own generated data."""

    seed: int = 42
    data: Path | None = None  # a firm's own history / labelled set (CSV, JSON or a folder)
    lines: Path | None = None  # invoice lines, joined on invoice_id
    context: Path | None = None  # projects, rate cards, people, holidays (JSON)
    feedback: Path | None = None  # labelled examples from `handoff feedback export` (JSONL)
    shared_data: Path | None = None  # the public benchmark folder, used when present
    quick: bool = False  # a small, fast configuration (tests, first-run bootstrap)


@dataclass
class TrainedModel:
    """A fitted domain model and what the lifecycle logs beside it."""

    model: Any
    params: dict[str, Any] = field(default_factory=dict)
    metrics: dict[str, float] = field(default_factory=dict)
    data_sha256: str = ""
    input_example: Any | None = None  # a small JSON-able example of the model's input


@runtime_checkable
class ModelSpec(Protocol):
    """How one registered model is built, saved and loaded."""

    #: Short name used on the command line and in eval suites, e.g. ``"clauses"``.
    short_name: str
    #: Registered MLflow model name, e.g. ``"handoff-clauses"``.
    registered_name: str

    def train(self, inputs: TrainingInputs, *, progress: ProgressCallback | None = None) -> TrainedModel:
        """Build the training data from ``inputs`` and fit the model."""
        ...

    def save(self, model: Any, directory: Path) -> None:
        """Write ``model`` into ``directory`` (which exists and is empty)."""
        ...

    def load(self, directory: Path) -> Any:
        """Read back what ``save`` wrote; raise an error of the domain's tree if corrupt."""
        ...
