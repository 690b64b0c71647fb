"""Which eval suites exist ("module:attribute" of each EvalSuite), imported on demand."""

from __future__ import annotations

import importlib

from evals.suite import EvalSuite

EVAL_SUITES: dict[str, str] = {
    "extraction": "evals.extraction:SUITE",
    "cuad": "evals.cuad:SUITE",
    "time-entries": "evals.time_entries:SUITE",
    "invoices": "evals.invoices:SUITE",
    "other-firm": "evals.other_firm:SUITE",
    "other-firm-b": "evals.other_firm:SUITE_B",
    "other-firm-c": "evals.other_firm:SUITE_C",
    "other-firm-d": "evals.other_firm:SUITE_D",
    "other-firm-e": "evals.other_firm:SUITE_E",
    "odds": "evals.odds:SUITE",
    "staffing": "evals.staffing:SUITE",
    "billing-fill": "evals.billing_fill:SUITE",
    "clauses-later-batches": "evals.clauses_later_batches:SUITE",
}


class UnknownSuiteError(LookupError):
    pass


def get_eval_suite(name: str) -> EvalSuite:
    try:
        target = EVAL_SUITES[name]
    except KeyError:
        raise UnknownSuiteError(
            f"unknown eval suite {name!r}; known: {', '.join(sorted(EVAL_SUITES))}"
        ) from None
    module_name, _, attribute = target.partition(":")
    suite = getattr(importlib.import_module(module_name), attribute)
    if not isinstance(suite, EvalSuite):
        raise TypeError(f"{target} is not an EvalSuite")
    return suite


def suite_names() -> list[str]:
    return list(EVAL_SUITES)
