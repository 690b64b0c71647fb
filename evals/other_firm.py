"""Eval suite ``other-firm``: a firm *not* drawn from our generator
(``evals/_other_firm.py``: Friday-Saturday weekends, 7.5 h days, quarter-hour
and whole-day loggers, night-shift rotas, retainers, promotions, leavers), the
time-entry and invoice models refitted on its history with the candidate's
parameters through the public path and scored on its later batch.

It is the check that the scorer learns a firm's normal rather than our
generator's conventions: its headline metrics can go down and the gate sees it.

``other-firm-b`` is a hold-out of the same simulator with other habits; ``other-firm-c``
(``evals/_firm_c.py``) a firm from a third simulator written apart from both, with its own
calendars (Poland, Czechia), booked leave, a rate-card revision and its own misbilling;
``other-firm-d`` (``evals/_firm_d.py``) a law firm from a fourth simulator, written by a hand
that never read the scorer; ``other-firm-e`` (``evals/_firm_e.py``) an engineering and
environmental consultancy with field crews, union overtime, task orders with NTEs, retainage and
subconsultant markups, written blind the same way. None of the four is gated.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.base import clone

from anomaly import (
    InvoiceAnomalyModel,
    TimeEntryAnomalyModel,
    read_context,
    score_invoices,
    score_time_entries,
)
from evals._anomaly import budget_metrics, figures_for, kind_recall, priority
from evals._firm_c import FIRM_C_INVOICE_KINDS, FIRM_C_TIME_KINDS, FirmC, simulate_firm_c
from evals._firm_d import FIRM_D_INVOICE_KINDS, FIRM_D_TIME_KINDS, simulate_firm_d
from evals._firm_e import FIRM_E_INVOICE_KINDS, FIRM_E_TIME_KINDS, simulate_firm_e
from evals._other_firm import OTHER_INVOICE_KINDS, OTHER_TIME_KINDS, Habits, simulate_other_firm
from evals.suite import EvalContext, EvalResult, Headline

__all__ = [
    "SUITE",
    "SUITE_B",
    "SUITE_C",
    "SUITE_D",
    "SUITE_E",
    "VARIANT_B",
    "OtherFirmSuite",
    "SimulatedFirm",
    "SimulatedFirmSuite",
    "evaluate_other_firm",
    "evaluate_simulated_firm",
]

_SEEDS = (0, 1)
_QUICK = {"n_people": 26, "n_projects": 14, "n_clients": 6}
#: ``other-firm-b``: a second firm from the same simulator with other habits, kept out of the
#: development of the scorer (a hold-out check, not gated): mostly Dutch and Singapore staff,
#: six-minute units, more weekly and monthly loggers, twice the long days, a batch from
#: mid-August, and a people export without hire or leaving dates.
VARIANT_B: dict[str, Any] = {
    "n_people": 60,
    "n_clients": 11,
    "n_projects": 26,
    "batch_from": "2026-08-17",
    "anomaly_rate": 0.025,
    "people_dates": False,
    "habits": Habits(
        office_mix=(0.15, 0.1, 0.45, 0.3),
        logging_mix=(0.3, 0.5, 0.2),
        consultant_step=0.1,
        long_day_share=0.12,
    ),
}


def _evaluate_firms(
    firms: Iterable[Any],
    time_model: TimeEntryAnomalyModel,
    invoice_model: InvoiceAnomalyModel,
    *,
    random_state: int,
    time_kinds: Sequence[str],
    invoice_kinds: Sequence[str],
    clean_weeks: bool,
    time_from_billed_periods: bool,
) -> dict[str, Any]:
    """Refit both models on each simulated firm's history and score its batches.

    Every simulator's firm has ``context``, ``entries``, ``cut``, ``split_entries()`` and
    ``split_invoices()``. ``clean_weeks`` adds the false-alarm rate among person-weeks with no
    injected anomaly; ``time_from_billed_periods`` passes the invoice scorer the time logged from
    the batch's first billed period (as the contract asks) rather than from the cut.

    Returns the metrics, per-kind recall tables, the reasons and controls shown on
    flagged normal and anomalous items, and the results for the curves.
    """
    te_truth: list[np.ndarray] = []
    te_kinds: list[str] = []
    te_results: list[Any] = []
    clean_parts: list[np.ndarray] = []
    inv_truth: list[np.ndarray] = []
    inv_kinds: list[str] = []
    inv_results: list[Any] = []
    shown: Counter[str] = Counter()
    false_alarms: Counter[str] = Counter()
    for firm in firms:
        context = read_context(firm.context)
        history, batch = firm.split_entries()
        fitted = (
            clone(time_model)
            .set_params(random_state=random_state)
            .fit(history.drop(columns=["label_kind"]), context=context)
        )
        scored = score_time_entries(batch.drop(columns=["label_kind"]), model=fitted, context=context)
        results = list(scored.results)
        truth = (batch["label_kind"] != "").to_numpy()
        for r, bad in zip(results, truth, strict=True):
            if r.flagged:
                names = [f"reason:{x.code}" for x in r.reasons] + [f"control:{c.rule}" for c in r.controls]
                (shown if bad else false_alarms).update(names)
        te_results.extend(results)
        te_kinds.extend(batch["label_kind"].tolist())
        te_truth.append(truth)
        if clean_weeks:
            # Entries sharing a person-week with an injected anomaly inherit its long day or week.
            week = batch["work_date"].dt.isocalendar().week.to_numpy()
            tainted = batch.assign(_w=week, _bad=truth).groupby(["person_id", "_w"])["_bad"].transform("any")
            clean_parts.append(~tainted.to_numpy(dtype=bool))

        inv_history, inv_history_lines, inv_batch, inv_batch_lines = firm.split_invoices()
        entries = firm.entries.drop(columns=["label_kind"])
        inv_fitted = (
            clone(invoice_model)
            .set_params(random_state=random_state)
            .fit(
                inv_history.drop(columns=["label_kind"]),
                inv_history_lines,
                time_entries=entries[entries["work_date"] < firm.cut],
                context=context,
            )
        )
        # The batch's invoices may bill the month before the cut, too.
        time_from = (
            min(inv_batch_lines["period_start"].min(), firm.cut) if time_from_billed_periods else firm.cut
        )
        inv_scored = score_invoices(
            inv_batch.drop(columns=["label_kind"]),
            inv_batch_lines,
            model=inv_fitted,
            context=context,
            time_entries=entries[entries["work_date"] >= time_from],
        )
        inv_results.extend(inv_scored.results)
        inv_kinds.extend(inv_batch["label_kind"].tolist())
        inv_truth.append((inv_batch["label_kind"] != "").to_numpy())

    truth_te = np.concatenate(te_truth)
    truth_inv = np.concatenate(inv_truth)
    te = budget_metrics(truth_te, te_results, review_budget=time_model.review_budget)
    inv = budget_metrics(truth_inv, inv_results, review_budget=invoice_model.review_budget)
    flagged = np.array([r.flagged for r in te_results])
    te["false_alarm_rate"] = float(flagged[~truth_te].mean()) if (~truth_te).any() else 0.0
    if clean_weeks:
        clean = np.concatenate(clean_parts)
        te["false_alarm_rate_clean_weeks"] = float(flagged[clean].mean()) if clean.any() else 0.0
    inv_flagged = np.array([r.flagged for r in inv_results])
    inv["false_alarm_rate"] = float(inv_flagged[~truth_inv].mean()) if (~truth_inv).any() else 0.0
    te_kind = kind_recall(te_kinds, te_results, time_kinds)
    inv_kind = kind_recall(inv_kinds, inv_results, invoice_kinds)
    metrics = {f"time_{k}": v for k, v in te.items()} | {f"invoice_{k}": v for k, v in inv.items()}
    metrics |= {f"recall_time_{row['kind']}": row["recall"] for row in te_kind}
    metrics |= {f"recall_invoice_{row['kind']}": row["recall"] for row in inv_kind}
    return {
        "metrics": metrics,
        "time_kinds": te_kind,
        "invoice_kinds": inv_kind,
        "shown_on_anomalies": dict(shown.most_common()),
        "shown_on_false_alarms": dict(false_alarms.most_common()),
        "curves_time": {
            "model + controls": (truth_te, priority(te_results)),
            "model only": (truth_te, np.array([r.risk for r in te_results])),
        },
        "curves_invoice": {
            "model + controls": (truth_inv, priority(inv_results)),
            "model only": (truth_inv, np.array([r.risk for r in inv_results])),
        },
    }


def evaluate_other_firm(
    time_model: TimeEntryAnomalyModel,
    invoice_model: InvoiceAnomalyModel,
    *,
    seeds: tuple[int, ...] = _SEEDS,
    random_state: int = 0,
    **shape: Any,
) -> dict[str, Any]:
    """Refit both models on each firm of ``evals/_other_firm.py`` and score its batch (see
    :func:`_evaluate_firms` for what comes back)."""
    return _evaluate_firms(
        (simulate_other_firm(seed, **shape) for seed in seeds),
        time_model,
        invoice_model,
        random_state=random_state,
        time_kinds=OTHER_TIME_KINDS,
        invoice_kinds=OTHER_INVOICE_KINDS,
        clean_weeks=True,
        time_from_billed_periods=False,
    )


def _firm_result(
    suite: str, model_short_name: str | None, out: dict[str, Any], firm: str, notes: list[str]
) -> EvalResult:
    """The eval result of a simulated firm's evaluation (``evaluate_other_firm`` or
    ``evaluate_simulated_firm``): the same headlines, tables and figures for every firm."""
    metrics = out["metrics"]
    names = list(out["shown_on_anomalies"]) + [
        k for k in out["shown_on_false_alarms"] if k not in out["shown_on_anomalies"]
    ]
    shown = [
        {
            "shown": k,
            "on anomalies": out["shown_on_anomalies"].get(k, 0),
            "on false alarms": out["shown_on_false_alarms"].get(k, 0),
        }
        for k in names
    ]
    return EvalResult(
        suite=suite,
        model_short_name=model_short_name or "",
        metrics=metrics,
        headline={
            "time_auprc": Headline(direction="higher", tolerance=0.03),
            "time_recall_flagged": Headline(direction="higher", tolerance=0.03),
            "time_false_alarm_rate": Headline(direction="lower", tolerance=0.005),
            "invoice_auprc": Headline(direction="higher", tolerance=0.05),
        },
        tables={
            "time entries: recall per kind": out["time_kinds"],
            "invoices: recall per kind": out["invoice_kinds"],
            "reasons and controls on flagged items": shown,
            "summary": [{"metric": k, "value": v} for k, v in metrics.items() if not k.startswith("recall_")],
        },
        figures=figures_for(f"{firm}, time entries", out["curves_time"], out["time_kinds"])
        + figures_for(f"{firm}, invoices", out["curves_invoice"], out["invoice_kinds"]),
        notes=notes,
    )


@dataclass(frozen=True)
class OtherFirmSuite:
    name: str = "other-firm"
    #: None: not one of the model's gated suites.
    model_short_name: str | None = "time-entries"
    #: Options of ``simulate_other_firm`` beyond the seed.
    firm: tuple[tuple[str, Any], ...] = ()
    seed_offset: int = 0

    def run(self, model: Any, context: EvalContext) -> EvalResult:
        time_model = model if isinstance(model, TimeEntryAnomalyModel) else TimeEntryAnomalyModel()
        invoice_model = InvoiceAnomalyModel()
        first = context.seed + self.seed_offset
        seeds = (first,) if context.quick else tuple(first + s for s in _SEEDS)
        shape = dict(self.firm) | (_QUICK if context.quick else {})
        out = evaluate_other_firm(time_model, invoice_model, seeds=seeds, random_state=context.seed, **shape)
        return _firm_result(
            self.name,
            self.model_short_name,
            out,
            "Other firm",
            [
                f"Simulated firm(s) with seeds {', '.join(map(str, seeds))} from evals/_other_firm.py"
                + (f" ({', '.join(f'{k}={v}' for k, v in self.firm)})" if self.firm else "")
                + ", "
                "independent of training/firm_generator.py; both models refitted on the history before "
                "the cut (labels dropped) with the candidate's time-entry parameters and default invoice "
                "parameters, scored on the batch after it.",
            ],
        )


SUITE = OtherFirmSuite()
SUITE_B = OtherFirmSuite(
    name="other-firm-b", model_short_name=None, firm=tuple(VARIANT_B.items()), seed_offset=100
)


@dataclass(frozen=True)
class SimulatedFirm:
    """A firm from a simulator written apart from ours: how to make one, and what it labels."""

    label: str
    simulate: Callable[..., FirmC]
    time_kinds: Sequence[str]
    invoice_kinds: Sequence[str]
    description: str


FIRM_C = SimulatedFirm(
    label="Firm C",
    simulate=simulate_firm_c,
    time_kinds=FIRM_C_TIME_KINDS,
    invoice_kinds=FIRM_C_INVOICE_KINDS,
    description=(
        "Vistula Systems (evals/_firm_c.py): Polish and Czech calendars, booked leave, quarter-hour and "
        "decimal loggers, a January rate card revision, fixed-fee and closed projects, PL/CZ VAT with "
        "reverse charge, credit notes"
    ),
)
FIRM_D = SimulatedFirm(
    label="Firm D",
    simulate=simulate_firm_d,
    time_kinds=FIRM_D_TIME_KINDS,
    invoice_kinds=FIRM_D_INVOICE_KINDS,
    description=(
        "Ashby Crane LLP (evals/_firm_d.py): a Chicago and Toronto law firm billing tenths of an hour on "
        "matter codes with UTBMS task codes, block billers, a trial and deal closings, a January rate rise "
        "and promotions, panel and discounted rate letters, fixed fees and fee caps, retainers, "
        "pre-bill write-downs, HST/GST"
    ),
)
FIRM_E = SimulatedFirm(
    label="Firm E",
    simulate=simulate_firm_e,
    time_kinds=FIRM_E_TIME_KINDS,
    invoice_kinds=FIRM_E_INVOICE_KINDS,
    description=(
        "Stonefly Cascade Consulting (evals/_firm_e.py): an Oregon and Washington engineering and "
        "environmental consultancy with field crews (10-12 h field days, overnight trips, rain days and "
        "storm sampling), union overtime as its own category, full timesheets with holiday and PTO, task "
        "orders with NTEs and periods of performance, frozen public rate cards, retainage, per diem, "
        "equipment day rates and subconsultant markups"
    ),
)


def evaluate_simulated_firm(
    firm: SimulatedFirm,
    time_model: TimeEntryAnomalyModel,
    invoice_model: InvoiceAnomalyModel | None = None,
    *,
    seeds: tuple[int, ...] = _SEEDS,
    random_state: int = 0,
    **shape: Any,
) -> dict[str, Any]:
    """Refit the time-entry and invoice models on each history of ``firm`` and score its batch
    of time entries and of invoices (see :func:`_evaluate_firms` for what comes back)."""
    return _evaluate_firms(
        (firm.simulate(seed, **shape) for seed in seeds),
        time_model,
        invoice_model or InvoiceAnomalyModel(),
        random_state=random_state,
        time_kinds=firm.time_kinds,
        invoice_kinds=firm.invoice_kinds,
        clean_weeks=False,
        # Both firms' batch invoices bill the month before the batch as well as its own.
        time_from_billed_periods=True,
    )


@dataclass(frozen=True)
class SimulatedFirmSuite:
    """A hold-out firm from a separately written simulator; not gated."""

    name: str
    firm: SimulatedFirm
    seed_offset: int
    model_short_name: str | None = None

    def run(self, model: Any, context: EvalContext) -> EvalResult:
        time_model = model if isinstance(model, TimeEntryAnomalyModel) else TimeEntryAnomalyModel()
        first = context.seed + self.seed_offset
        seeds = (first,) if context.quick else tuple(first + s for s in _SEEDS)
        shape = {"n_people": 24} if context.quick else {}
        out = evaluate_simulated_firm(
            self.firm, time_model, InvoiceAnomalyModel(), seeds=seeds, random_state=context.seed, **shape
        )
        return _firm_result(
            self.name,
            self.model_short_name,
            out,
            self.firm.label,
            [
                f"{self.firm.description}; seeds {', '.join(map(str, seeds))}; both models refitted on the "
                "history before the cut (labels dropped), scored on the batch after it.",
            ],
        )


SUITE_C = SimulatedFirmSuite(name="other-firm-c", firm=FIRM_C, seed_offset=200)
#: Written by a hand that never read the scorer, and scored before any change made for it.
SUITE_D = SimulatedFirmSuite(name="other-firm-d", firm=FIRM_D, seed_offset=300)
#: Written blind like Firm D, and scored before any change made for it.
SUITE_E = SimulatedFirmSuite(name="other-firm-e", firm=FIRM_E, seed_offset=400)
