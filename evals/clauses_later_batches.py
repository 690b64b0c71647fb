"""Eval suite ``clauses-later-batches``: what the hand-written clause cases teach, judged on
the batches written after the ones trained on.

The clause classifier trains on the hand-written cases of ``training/handwritten/clauses``
(:mod:`training.handwritten_clauses`), so scoring the shipped model on them scores it on
its training data. This suite instead trains the quick model on the batches up to a cut
and scores the pipeline on later batches only, for each split of :func:`splits`: the two
fixed ones (up to r4 -> r5, r6; up to r6 -> r7, r8) and the newest batch against all the
others. Each split is trained twice at each seed (``context.seed`` and the next two; one
with ``context.quick``): with those batches (``handwritten``, as ``make run`` trains) and
on generated data alone (``generated``, the reference). CUAD is left out of both, so the
suite runs without ``../shared`` and in minutes.

Scored as ``tests/extraction/test_clauses_realistic.py`` scores the set (:func:`score`):
per clause type and per rule, true positives, false positives and misses over the cases,
pooled into micro precision, recall and F1 (``types_*``, ``rules_*``), averaged over seeds.
``SPLIT.gain.types_f1`` is ``handwritten`` minus ``generated``.

Rules were fixed on batches up to r7 against the generated-only classifier's findings, so
on r5-r7 the ``generated`` arm has the advantage of rules written for exactly its output;
the newest batch, which no rule has been fixed on, is the fairest comparison.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from evals.suite import EvalContext, EvalResult, Headline
from extraction import ingest
from extraction.document import Document
from extraction.pipeline import analyse_document
from extraction.playbook import RULE_NAMES
from extraction.schemas import CLAUSE_TYPES, ClauseFinding
from training.handwritten_clauses import batch_of, case_names, load_case, region_of

ABSENCE_RULES = ("late_payment.absent", "billing.missing_terms")


# --- one case's comparison -----------------------------------------------------------------------


@dataclass
class CaseOutcome:
    """What the pipeline found in one case, compared with the expectations."""

    findings: list[ClauseFinding]
    absence: set[str]
    matched: dict[int, list[ClauseFinding]] = field(default_factory=dict)
    unexpected: list[ClauseFinding] = field(default_factory=list)
    distractor_hits: dict[int, list[ClauseFinding]] = field(default_factory=dict)


def evidence_spans(finding: ClauseFinding, document: Document) -> list[tuple[int, int]]:
    """The (start, end) offsets in ``document.text`` of ``finding``'s evidence."""
    offsets = document.page_offsets
    return [(offsets[e.page - 1] + e.start, offsets[e.page - 1] + e.end) for e in finding.evidence]


def touches(spans: list[tuple[int, int]], region: tuple[int, int]) -> bool:
    """Whether any of ``spans`` shares a character with ``region``."""
    return any(s < region[1] and e > region[0] for s, e in spans)


def compare(text: str, expected: dict[str, Any], model: Any) -> CaseOutcome:
    """Run the local pipeline on ``text`` and match its findings to the case's clauses: a
    finding of a clause's type whose evidence touches the clause's region finds it."""
    document = ingest(text.encode("utf-8"), filename="sow.txt")
    doc_text = document.text
    result = analyse_document(document, clause_model=model, clause_model_version="test")
    clauses = expected["clauses"]
    regions = [region_of(doc_text, c["anchor"], c.get("until")) for c in clauses]
    outcome = CaseOutcome(
        findings=[f for f in result.clauses if f.rule not in ABSENCE_RULES],
        absence={f.rule for f in result.clauses if f.rule in ABSENCE_RULES and f.nonstandard and f.rule},
    )
    for finding in outcome.findings:
        spans = evidence_spans(finding, document)
        hits = [i for i, c in enumerate(clauses) if c["type"] == finding.type and touches(spans, regions[i])]
        if not hits:
            outcome.unexpected.append(finding)
            continue
        # Prefer a clause that must be found over an optional one at the same place.
        best = min(hits, key=lambda i: (bool(clauses[i].get("optional")), i))
        outcome.matched.setdefault(best, []).append(finding)
    for j, distractor in enumerate(expected.get("distractors", [])):
        region = region_of(doc_text, distractor["anchor"])
        outcome.distractor_hits[j] = [
            f
            for f in outcome.findings
            if distractor.get("type") in (None, f.type) and touches(evidence_spans(f, document), region)
        ]
    return outcome


def fired_rules(findings: list[ClauseFinding]) -> set[str]:
    """The rules the nonstandard ones of ``findings`` fire."""
    return {f.rule for f in findings if f.nonstandard and f.rule}


def found_values(findings: list[ClauseFinding]) -> dict[str, Any]:
    """The values of ``findings``, the first finding's value of each name kept."""
    merged: dict[str, Any] = {}
    for finding in findings:
        for key, value in finding.values.items():
            merged.setdefault(key, value)
    return merged


def same_value(want: Any, got: Any) -> bool:
    """Whether a found value is the expected one (numbers to 1e-6, booleans by identity)."""
    if isinstance(want, bool) or isinstance(got, bool):
        return want is got
    if isinstance(want, int | float) and isinstance(got, int | float):
        return abs(float(want) - float(got)) < 1e-6
    return bool(want == got)


# --- scoring -------------------------------------------------------------------------------------


def score(
    model: Any, *, prefix: str = "", names: Iterable[str] | None = None
) -> dict[str, dict[str, list[int]]]:
    """Per clause type and per rule [tp, fp, fn] over the cases (``names``, or every case whose
    name starts with ``prefix``), and [right, asked] per value name."""
    types: dict[str, list[int]] = {t: [0, 0, 0] for t in CLAUSE_TYPES}
    rules: dict[str, list[int]] = {r: [0, 0, 0] for r in RULE_NAMES}
    values: dict[str, list[int]] = {}
    chosen = list(names) if names is not None else [n for n in case_names() if n.startswith(prefix)]
    for name in chosen:
        text, expected = load_case(name)
        outcome = compare(text, expected, model)
        for finding in outcome.unexpected:
            types[finding.type][1] += 1
            for rule in fired_rules([finding]):
                rules[rule][1] += 1
        for i, clause in enumerate(expected["clauses"]):
            matched = outcome.matched.get(i, [])
            if not clause.get("optional"):
                types[clause["type"]][0 if matched else 2] += 1
            got = fired_rules(matched)
            want = clause.get("rule")
            if want:
                rules[want][0 if want in got else 2] += 1
            for rule in got - {want}:
                rules[rule][1] += 1
            for value_name, value in clause.get("values", {}).items():
                have = found_values(matched)
                counts = values.setdefault(value_name, [0, 0])
                counts[0] += int(value_name in have and same_value(value, have[value_name]))
                counts[1] += 1
        for rule in ABSENCE_RULES:
            want_absence = rule in expected.get("absence_rules", [])
            got_absence = rule in outcome.absence
            rules[rule][0] += int(want_absence and got_absence)
            rules[rule][1] += int(got_absence and not want_absence)
            rules[rule][2] += int(want_absence and not got_absence)
    return {"types": types, "rules": rules, "values": values}


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall and F1 (1.0 for a precision or recall with nothing to count)."""
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def micro(rows: dict[str, list[int]]) -> tuple[int, int, int]:
    """The (tp, fp, fn) of a :func:`score` table, summed over its rows."""
    tp, fp, fn = (sum(v[i] for v in rows.values()) for i in range(3))
    return tp, fp, fn


# --- the splits ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Split:
    """Train on the batches up to ``upto``, score ``scored``."""

    upto: int
    scored: tuple[int, ...]

    @property
    def name(self) -> str:
        return f"upto_r{self.upto}"


#: The splits fixed when the suite was written; :func:`splits` adds the newest batch.
FIXED_SPLITS = (Split(4, (5, 6)), Split(6, (7, 8)))
ARMS = ("handwritten", "generated")


def splits(batches: Collection[int]) -> list[Split]:
    """:data:`FIXED_SPLITS` whose batches are all present, and the newest batch against all
    the ones before it (when it is not one of them)."""
    present = set(batches)
    out = [s for s in FIXED_SPLITS if set(s.scored) <= present and min(present) <= s.upto]
    newest = max(present)
    if len(present) > 1 and all(s.scored != (newest,) for s in out):
        out.append(Split(newest - 1, (newest,)))
    return out


def train_quick(seed: int, batches: Collection[int]) -> Any:
    """The quick clause model, without CUAD, trained on hand-written ``batches`` (none: the
    generated data alone)."""
    from training.clauses import ClauseSpec
    from training.spec import TrainingInputs

    spec = ClauseSpec(handwritten_batches=tuple(batches))
    return spec.train(TrainingInputs(seed=seed, quick=True)).model


def trained_batches(split: Split, arm: str) -> tuple[int, ...]:
    """The hand-written batches ``arm`` trains on for ``split``."""
    return tuple(range(1, split.upto + 1)) if arm == "handwritten" else ()


def split_scores(split: Split, model: Any) -> dict[str, tuple[int, int, int]]:
    """(tp, fp, fn) of clause types and of rules on ``split``'s scored batches."""
    names = [n for n in case_names() if batch_of(n) in split.scored]
    table = score(model, names=names)
    return {"types": micro(table["types"]), "rules": micro(table["rules"])}


class ClausesLaterBatchesSuite:
    name = "clauses-later-batches"
    #: It trains its own models (on some batches only), so it scores no registered one.
    model_short_name: str | None = None

    def run(self, model: Any, context: EvalContext) -> EvalResult:
        present = {batch_of(n) for n in case_names()}
        chosen = splits(present)
        if not chosen:
            return EvalResult(
                suite=self.name,
                model_short_name="",
                metrics={},
                headline={},
                skipped="the hand-written clause cases hold fewer than two batches: no later batch to score",
            )
        seeds = [context.seed] if context.quick else [context.seed + k for k in range(3)]
        metrics: dict[str, float] = {}
        rows: list[dict[str, Any]] = []
        # The generated arm is the same model in every split: trained once per seed.
        models: dict[tuple[int, tuple[int, ...]], Any] = {}

        def model_of(seed: int, batches: tuple[int, ...]) -> Any:
            if batches:
                return train_quick(seed, batches)
            if (seed, batches) not in models:
                models[seed, batches] = train_quick(seed, batches)
            return models[seed, batches]

        for split in chosen:
            means: dict[str, dict[str, float]] = {}
            for arm in ARMS:
                batches = trained_batches(split, arm)
                per_seed = [split_scores(split, model_of(seed, batches)) for seed in seeds]
                for seed, counts in zip(seeds, per_seed, strict=True):
                    row: dict[str, Any] = {"split": split.name, "arm": arm, "seed": seed}
                    for kind in ("types", "rules"):
                        tp, fp, fn = counts[kind]
                        p, r, f = prf(tp, fp, fn)
                        row |= {f"{kind}_tp": tp, f"{kind}_fp": fp, f"{kind}_fn": fn}
                        row |= {f"{kind}_p": round(p, 4), f"{kind}_r": round(r, 4), f"{kind}_f1": round(f, 4)}
                    rows.append(row)
                mean: dict[str, float] = {}
                for kind in ("types", "rules"):
                    values = [prf(*counts[kind]) for counts in per_seed]
                    for k, metric in enumerate(("precision", "recall", "f1")):
                        mean[f"{kind}_{metric}"] = sum(v[k] for v in values) / len(values)
                means[arm] = mean
                metrics |= {f"{split.name}.{arm}.{key}": value for key, value in mean.items()}
            for kind in ("types", "rules"):
                key = f"{kind}_f1"
                metrics[f"{split.name}.gain.{key}"] = means["handwritten"][key] - means["generated"][key]
        newest = chosen[-1].name
        return EvalResult(
            suite=self.name,
            model_short_name="",
            metrics=metrics,
            headline={
                f"{newest}.handwritten.types_f1": Headline("higher", 0.01),
                f"{newest}.handwritten.rules_f1": Headline("higher", 0.01),
            },
            tables={"per seed": rows},
            notes=[
                f"Quick clause model without CUAD, seeds {seeds}; splits "
                + ", ".join(f"{s.name} -> r{', r'.join(map(str, s.scored))}" for s in chosen)
                + ". handwritten: trained on the split's batches as make run trains on all of them; "
                "generated: on generated data alone.",
                "Rules were fixed on r1-r7 against the generated-only model's findings: the newest "
                "batch is the fairest comparison.",
            ],
        )


SUITE = ClausesLaterBatchesSuite()

__all__ = [
    "ABSENCE_RULES",
    "ARMS",
    "FIXED_SPLITS",
    "SUITE",
    "CaseOutcome",
    "ClausesLaterBatchesSuite",
    "Split",
    "compare",
    "evidence_spans",
    "fired_rules",
    "found_values",
    "micro",
    "prf",
    "same_value",
    "score",
    "split_scores",
    "splits",
    "touches",
    "train_quick",
    "trained_batches",
]
