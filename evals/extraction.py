"""Eval suite ``extraction``: held-out SOW families through the real pipeline.

Documents come from :mod:`training.sow_generator`'s *test* families (phrasings,
layouts and headings no train family uses), rendered as a mix of PDF, DOCX and
plain text and read by :func:`extraction.pipeline.extract_sow` exactly as the
service reads an upload. Scored against the generator's ground truth:

- **billing**, per field: numbers equal after rounding to cents, dates and enums
  exactly, booleans exactly; ``rates`` as sets of (role, rate, unit) and
  ``milestones`` as sets of (name, amount). A wrong value counts as a false
  positive and a false negative. ``billing_micro_f1`` pools every field.
- **clause types**: a finding matches a true clause of its type when most of its
  evidence words lie in that clause (greedy, one-to-one); P/R/F1 per type.
- **nonstandard rules**: a nonstandard finding matches a true nonstandard clause
  with the same rule (and overlapping text; the absence rules match per
  document); ``rule_f1`` is micro-averaged.
- **grounding**: the share of evidence quotes equal to the page text at their
  offsets (must be 1.0).
- **calibration**: expected calibration error of every reported confidence
  (billing values and clause findings) against whether it was right, with a
  reliability diagram.

``context.options["backend"]`` selects the backend (``local`` by default;
``llm`` / ``hybrid`` also need ``context.options["llm"]``, an LLM backend, and
the suite is skipped, saying so, without one). With an LLM backend the suite
also reports ``llm_dropped_share``: the share of the model's proposed values
dropped because their quote was not in the document or did not state the value.
"""

from __future__ import annotations

import re
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from evals.plots import bar_figure, expected_calibration_error, reliability_figure
from evals.suite import EvalContext, EvalResult, Headline
from extraction.pipeline import extract_sow
from extraction.schemas import BILLING_SCALAR_FIELDS, ExtractionResult
from training.sow_generator import GeneratedSow, generate_sows, render_docx, render_pdf

ABSENCE_RULES = ("late_payment.absent", "billing.missing_terms")
_WORD = re.compile(r"[a-z0-9]+")


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


def _f1(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 1.0 if not fn else 0.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def normalise_value(field: str, value: Any) -> Any:
    """The comparable form of one billing value (see the module docstring)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return round(float(value), 2)
    return str(value).strip().lower() if field not in ("start_date", "end_date") else str(value)[:10]


def _rate_key(value: dict[str, Any]) -> tuple[str, float, str]:
    return (" ".join(str(value["role"]).lower().split()), round(float(value["rate"]), 2), str(value["unit"]))


def _milestone_key(value: dict[str, Any]) -> tuple[str, float | None]:
    amount = value.get("amount")
    return (" ".join(str(value["name"]).lower().split()), None if amount is None else round(float(amount), 2))


class Counts:
    def __init__(self) -> None:
        self.tp: Counter[str] = Counter()
        self.fp: Counter[str] = Counter()
        self.fn: Counter[str] = Counter()

    def add(self, key: str, *, tp: int = 0, fp: int = 0, fn: int = 0) -> None:
        self.tp[key] += tp
        self.fp[key] += fp
        self.fn[key] += fn

    def keys(self) -> list[str]:
        return sorted(set(self.tp) | set(self.fp) | set(self.fn))

    def micro(self) -> tuple[float, float, float]:
        return _f1(sum(self.tp.values()), sum(self.fp.values()), sum(self.fn.values()))

    def rows(self, name: str) -> list[dict[str, Any]]:
        rows = []
        for key in self.keys():
            p, r, f = _f1(self.tp[key], self.fp[key], self.fn[key])
            rows.append({name: key, "tp": self.tp[key], "fp": self.fp[key], "fn": self.fn[key],
                         "precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)})  # fmt: skip
        return rows


def score_billing(
    result: ExtractionResult, truth: dict[str, Any], counts: Counts, confidences: list[tuple[float, int]]
) -> None:
    """Add one document's billing comparison to ``counts`` and ``confidences``."""
    billing = result.billing
    for field in BILLING_SCALAR_FIELDS:
        predicted = getattr(billing, field)
        expected = truth.get(field)
        want = normalise_value(field, expected["value"]) if expected else None
        got = normalise_value(field, predicted.model_dump(mode="json")["value"]) if predicted else None
        if got is not None:
            right = got == want
            confidences.append((predicted.confidence, int(right)))
            counts.add(field, tp=int(right), fp=int(not right), fn=int(not right and want is not None))
        elif want is not None:
            counts.add(field, fn=1)
    for field, key in (("rates", _rate_key), ("milestones", _milestone_key)):
        expected_keys = {key(item["value"]) for item in (truth.get(field) or [])}
        for item in getattr(billing, field):
            k = key(item.model_dump(mode="json")["value"])
            right = k in expected_keys
            confidences.append((item.confidence, int(right)))
            counts.add(field, tp=int(right), fp=int(not right))
        found = {key(item.model_dump(mode="json")["value"]) for item in getattr(billing, field)}
        counts.add(field, fn=len(expected_keys - found))


def _overlaps(quote: str, truth_quote: str) -> bool:
    predicted, expected = _words(quote), _words(truth_quote)
    return bool(predicted) and len(predicted & expected) / len(predicted) >= 0.5


def score_clauses(
    result: ExtractionResult,
    truth_clauses: list[dict[str, Any]],
    types: Counts,
    rules: Counts,
    confidences: list[tuple[float, int]],
) -> None:
    """Add one document's clause-type and rule comparison."""
    present = [c for c in truth_clauses if c["quote"]]
    used: set[int] = set()
    for finding in result.clauses:
        if finding.rule in ABSENCE_RULES:
            continue
        quote = " ".join(e.quote for e in finding.evidence)
        match = next(
            (i for i, c in enumerate(present) if i not in used and c["type"] == finding.type
             and _overlaps(quote, c["quote"])),
            None,
        )  # fmt: skip
        confidences.append((finding.confidence, int(match is not None)))
        if match is None:
            types.add(finding.type, fp=1)
            if finding.nonstandard and finding.rule:
                rules.add(finding.rule, fp=1)
            continue
        used.add(match)
        types.add(finding.type, tp=1)
        expected_rule = present[match]["rule"]
        got_rule = finding.rule if finding.nonstandard else None
        if got_rule and got_rule == expected_rule:
            rules.add(got_rule, tp=1)
        else:
            if got_rule:
                rules.add(got_rule, fp=1)
            if expected_rule:
                rules.add(expected_rule, fn=1)
    for i, clause in enumerate(present):
        if i not in used:
            types.add(clause["type"], fn=1)
            if clause["rule"]:
                rules.add(clause["rule"], fn=1)
    for rule in ABSENCE_RULES:
        expected = any(c["rule"] == rule for c in truth_clauses)
        got = [f for f in result.clauses if f.rule == rule and f.nonstandard]
        for finding in got:
            confidences.append((finding.confidence, int(expected)))
        rules.add(rule, tp=int(expected and bool(got)), fp=int(bool(got) and not expected),
                  fn=int(expected and not got))  # fmt: skip


def grounding(result: ExtractionResult) -> tuple[int, int]:
    """(exact, total) evidence quotes of one result (it must carry its page texts)."""
    pages = {p.number: p.text for p in result.pages or []}
    evidence = [e for f in result.clauses for e in f.evidence]
    for field in BILLING_SCALAR_FIELDS:
        value = getattr(result.billing, field)
        if value is not None:
            evidence.extend(value.evidence)
    for rate in result.billing.rates:
        evidence.extend(rate.evidence)
    for milestone in result.billing.milestones:
        evidence.extend(milestone.evidence)
    exact = sum(1 for e in evidence if pages.get(e.page, "")[e.start : e.end] == e.quote)
    return exact, len(evidence)


def _render(sow: GeneratedSow, index: int, folder: Path) -> tuple[bytes, str]:
    kind = ("pdf", "docx", "txt")[index % 3]
    path = folder / f"{sow.doc_id}.{kind}"
    if kind == "pdf":
        render_pdf(sow, path)
    elif kind == "docx":
        render_docx(sow, path)
    else:
        path.write_text(sow.text, encoding="utf-8")
    return path.read_bytes(), path.name


class ExtractionSuite:
    name = "extraction"
    model_short_name = "clauses"

    def run(self, model: Any, context: EvalContext) -> EvalResult:
        count = int(context.options.get("documents", 18 if context.quick else 60))
        backend = context.options.get("backend", "local")
        llm = context.options.get("llm")
        if backend in ("llm", "hybrid") and llm is None:
            return EvalResult(
                suite=self.name,
                model_short_name=self.model_short_name,
                metrics={},
                headline={},
                skipped=f"the {backend} backend needs an LLM server (set HANDOFF_LLM_BASE_URL and "
                "HANDOFF_LLM_MODEL); nothing was run",
            )
        llm_totals: Counter[str] = Counter()
        sows = generate_sows(count, seed=context.seed, split="test")
        billing_counts, type_counts, rule_counts = Counts(), Counts(), Counts()
        confidences: list[tuple[float, int]] = []
        exact = total = 0
        by_format: Counter[str] = Counter()
        with tempfile.TemporaryDirectory(prefix="handoff-eval-") as tmp:
            for i, sow in enumerate(sows):
                data, filename = _render(sow, i, Path(tmp))
                by_format[filename.rsplit(".", 1)[1]] += 1
                result = extract_sow(
                    data, filename=filename, clause_model=model, backend=backend, llm=llm, include_text=True
                )
                if result.model.llm is not None:
                    usage = result.model.llm
                    llm_totals.update(
                        proposed=usage.proposed,
                        dropped_unfound=usage.dropped_unfound,
                        dropped_unsupported=usage.dropped_unsupported,
                        tokens_in=usage.tokens_in,
                        tokens_out=usage.tokens_out,
                        fallbacks=int(result.model.backend == "local"),
                    )
                truth = sow.truth()
                score_billing(result, truth["billing"], billing_counts, confidences)
                score_clauses(result, truth["clauses"], type_counts, rule_counts, confidences)
                e, t = grounding(result)
                exact, total = exact + e, total + t
        bp, br, bf = billing_counts.micro()
        tp_, tr, tf = type_counts.micro()
        rp, rr, rf = rule_counts.micro()
        truths = [c for _, c in confidences]
        probs = [p for p, _ in confidences]
        ece = expected_calibration_error(truths, probs) if confidences else 0.0
        metrics = {
            "billing_micro_precision": bp, "billing_micro_recall": br, "billing_micro_f1": bf,
            "clause_type_precision": tp_, "clause_type_recall": tr, "clause_type_f1": tf,
            "rule_precision": rp, "rule_recall": rr, "rule_f1": rf,
            "grounding": exact / total if total else 1.0, "evidence_quotes": float(total),
            "ece": ece, "documents": float(len(sows)),
        }  # fmt: skip
        if backend in ("llm", "hybrid"):
            proposed = llm_totals["proposed"]
            dropped = llm_totals["dropped_unfound"] + llm_totals["dropped_unsupported"]
            metrics |= {
                "llm_proposed": float(proposed),
                "llm_dropped_share": dropped / proposed if proposed else 0.0,
                "llm_dropped_unfound_share": llm_totals["dropped_unfound"] / proposed if proposed else 0.0,
                "llm_dropped_unsupported_share": (
                    llm_totals["dropped_unsupported"] / proposed if proposed else 0.0
                ),
                "llm_fallback_share": llm_totals["fallbacks"] / len(sows) if sows else 0.0,
                "llm_tokens_in_per_document": llm_totals["tokens_in"] / len(sows) if sows else 0.0,
                "llm_tokens_out_per_document": llm_totals["tokens_out"] / len(sows) if sows else 0.0,
            }
        field_rows = billing_counts.rows("field")
        type_rows = type_counts.rows("type")
        rule_rows = rule_counts.rows("rule")
        for row in field_rows:
            metrics[f"billing_f1.{row['field']}"] = row["f1"]
        for row in rule_rows:
            metrics[f"rule_f1.{row['rule']}"] = row["f1"]
        figures: list[tuple[str, Any]] = []
        if confidences:
            figures.append(("Reliability of reported confidences", reliability_figure(truths, probs)))
        figures.append(
            ("Billing F1 per field", bar_figure({r["field"]: r["f1"] for r in field_rows}, metric="F1"))
        )
        figures.append(("Rule F1 per rule", bar_figure({r["rule"]: r["f1"] for r in rule_rows}, metric="F1")))
        return EvalResult(
            suite=self.name,
            model_short_name=self.model_short_name,
            metrics=metrics,
            headline={
                "billing_micro_f1": Headline("higher", 0.01),
                "rule_f1": Headline("higher", 0.01),
                "grounding": Headline("higher", 0.0),
                "ece": Headline("lower", 0.02),
            },
            tables={"billing_fields": field_rows, "clause_types": type_rows, "rules": rule_rows},
            figures=figures,
            notes=[
                f"{len(sows)} held-out-family SOWs (formats: "
                + ", ".join(f"{k} {v}" for k, v in sorted(by_format.items()))
                + f"), backend {backend}, seed {context.seed}.",
            ],
        )


SUITE = ExtractionSuite()

__all__ = ["SUITE", "ExtractionSuite", "grounding", "normalise_value", "score_billing", "score_clauses"]
