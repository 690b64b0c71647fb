"""The one interface every eval suite implements.

A suite scores one model (given as the loaded domain object) and returns an
``EvalResult``: metrics, the headline metrics the promotion gate compares,
tables and matplotlib figures. ``evals.runner`` prints the table, logs to MLflow
and writes the HTML report; a suite only computes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol, runtime_checkable


@dataclass(frozen=True)
class Headline:
    """A metric the promotion gate compares: a candidate may not be worse than
    the champion by more than ``tolerance`` (in the metric's own units)."""

    direction: Literal["higher", "lower"] = "higher"
    tolerance: float = 0.01


@dataclass
class EvalResult:
    suite: str
    model_short_name: str
    metrics: dict[str, float]
    headline: dict[str, Headline]
    # name -> rows (each row a flat dict), shown as tables in the report
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # (title, matplotlib.figure.Figure) pairs, embedded as PNGs in the report
    figures: list[tuple[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    skipped: str | None = None  # set when the suite could not run (e.g. data absent), with why


@dataclass(frozen=True)
class EvalContext:
    seed: int = 42
    shared_data: Path | None = None  # the public benchmark folder, when present
    quick: bool = False
    options: dict[str, Any] = field(default_factory=dict)  # suite-specific, e.g. {"backend": "llm"}


@runtime_checkable
class EvalSuite(Protocol):
    #: Suite name on the command line, e.g. ``"extraction"``, ``"cuad"``, ``"odds"``.
    name: str
    #: The model short name (training.registry) this suite evaluates, or None for
    #: a suite that needs no registered model (e.g. the ODDS benchmark).
    model_short_name: str | None

    def run(self, model: Any, context: EvalContext) -> EvalResult: ...
