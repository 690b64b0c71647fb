"""The ``billing-fill`` suite: the learned billing fill on held-out generated SOWs.

Two readings of SOWs from the *test* families (writers and layouts no training document used),
scored on the eight scalar figure fields the fill may supply:

* the reader alone (``learned_*``): its best candidate per field against the generator's values,
  a wrong value counted as a false positive and a false negative. This is the number a worse
  model moves, since on generated text the rules leave almost nothing for the fill;
* the shipped reading (``filled_*``): the rules, their null fields filled by the model, through
  :func:`extraction.pipeline.analyse_document`, so the suite scores what the service returns.
  ``rules_*`` is the same reading without the fill's values, ``fills`` counts the values the fill
  supplied and ``fill_precision`` how many were right.

Whether the fill helps on text nobody tuned on is the question of
``python -m evals.billing_candidates`` (hand-written batches, the rules of their time).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from evals.suite import EvalContext, EvalResult, Headline
from extraction.billing.candidates import FIELD_KINDS, find_candidates
from extraction.billing.fill import FILL_NOTE, LearnedBillingFill
from extraction.ingest import ingest
from extraction.pipeline import analyse_document
from training.billing_fill import prf, reader_counts
from training.sow_generator import generate_sows


def _same(field: str, got: Any, want: Any) -> bool:
    if want is None:
        return False
    if FIELD_KINDS[field] == "date":
        return isinstance(got, dt.date) and got.isoformat() == str(want)
    return abs(float(got) - float(want)) < 0.005


def _tally(row: list[int], proposed: bool, right: bool, wanted: bool) -> None:
    """Add one field's reading to ``[tp, fp, fn]`` (a wrong value is both)."""
    row[0] += right
    row[1] += proposed and not right
    row[2] += wanted and not right


class BillingFillSuite:
    name = "billing-fill"
    model_short_name = "billing-fill"

    def run(self, model: Any, context: EvalContext) -> EvalResult:
        if not isinstance(model, LearnedBillingFill):
            raise TypeError(f"the billing-fill suite scores a LearnedBillingFill, not {type(model).__name__}")
        count = int(context.options.get("documents", 40 if context.quick else 120))
        sows = generate_sows(count, seed=context.seed, split="test")
        docs, expected = [], []
        filled = {name: [0, 0, 0] for name in FIELD_KINDS}
        rules = {name: [0, 0, 0] for name in FIELD_KINDS}
        fills = fills_right = 0
        for sow in sows:
            document = ingest(sow.text.encode("utf-8"), filename="sow.txt")
            want = {k: v["value"] for k, v in sow.billing.items() if k in FIELD_KINDS and v}
            docs.append(find_candidates([p.text for p in document.pages]))
            expected.append(want)
            result = analyse_document(document, billing_fill=model, billing_fill_version="eval")
            for name in FIELD_KINDS:
                have = getattr(result.billing, name)
                right = have is not None and _same(name, have.value, want.get(name))
                learned = have is not None and have.note is not None and have.note.startswith(FILL_NOTE)
                _tally(filled[name], have is not None, right, want.get(name) is not None)
                _tally(rules[name], have is not None and not learned, right and not learned, name in want)
                fills += learned
                fills_right += learned and right
        learned = reader_counts(model.reader, docs, expected)
        metrics: dict[str, float] = {"documents": float(len(sows))}
        rows = []
        for prefix, table in (("learned", learned), ("rules", rules), ("filled", filled)):
            tp, fp, fn = (sum(row[i] for row in table.values()) for i in range(3))
            p, r, f1 = prf(tp, fp, fn)
            metrics |= {f"{prefix}_precision": p, f"{prefix}_recall": r, f"{prefix}_f1": f1}
        for name in FIELD_KINDS:
            learned_f1, filled_f1 = prf(*learned[name])[2], prf(*filled[name])[2]
            metrics[f"learned_f1.{name}"] = learned_f1
            rows.append({"field": name, "learned": learned[name], "filled": filled[name],
                         "learned_f1": learned_f1, "filled_f1": filled_f1})  # fmt: skip
        metrics["fills"] = float(fills)
        metrics["fill_precision"] = fills_right / fills if fills else 1.0
        return EvalResult(
            suite=self.name,
            model_short_name=self.model_short_name,
            metrics=metrics,
            headline={
                "learned_f1": Headline("higher", 0.01),
                "learned_precision": Headline("higher", 0.02),
                "filled_f1": Headline("higher", 0.005),
            },
            tables={"fields": rows},
            notes=[
                f"{len(sows)} held-out-family generated SOWs (text), seed {context.seed}; "
                "learned = the reader alone, filled = rules then the fill (what the service returns)."
            ],
        )


SUITE = BillingFillSuite()

__all__ = ["SUITE", "BillingFillSuite"]
