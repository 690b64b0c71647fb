"""Which models exist. Each entry names the module attribute holding its ModelSpec;
they are imported on demand so that one broken domain does not stop the others."""

from __future__ import annotations

import importlib

from training.spec import ModelSpec

# short name -> "module:attribute"
MODEL_SPECS: dict[str, str] = {
    "clauses": "training.clauses:SPEC",
    "time-entries": "training.time_entries:SPEC",
    "invoices": "training.invoices:SPEC",
    "staffing": "training.staffing:SPEC",
    "billing-fill": "training.billing_fill:SPEC",
}


class UnknownModelError(LookupError):
    pass


def get_model_spec(short_name: str) -> ModelSpec:
    try:
        target = MODEL_SPECS[short_name]
    except KeyError:
        raise UnknownModelError(
            f"unknown model {short_name!r}; known: {', '.join(sorted(MODEL_SPECS))}"
        ) from None
    module_name, _, attribute = target.partition(":")
    spec = getattr(importlib.import_module(module_name), attribute)
    if not isinstance(spec, ModelSpec):
        raise TypeError(f"{target} is not a ModelSpec")
    return spec


def model_names() -> list[str]:
    return list(MODEL_SPECS)
