"""Clause detection and the playbook on hand-written SOW excerpts in other firms' drafting.

Each case in ``training/handwritten/clauses/`` is ``NAME.txt`` (the SOW or an excerpt) and
``NAME.json``::

    {"about": "...",
     "clauses": [{"type": "payment_terms", "anchor": "within sixty (60) days",
                  "rule": "payment_terms.long", "values": {"payment_days": 60}}, ...],
     "absence_rules": ["late_payment.absent"],
     "distractors": [{"anchor": "Signed for and on behalf of", "why": "signature block"}],
     "known_gaps": {"rule-3": "why it is still wrong"}}

``clauses`` lists every clause of the contract's vocabulary in the text (the
list is exhaustive: any other finding is a false positive). A clause's region
is the clause around its ``anchor`` (to ``until`` when given): its lines, back
to the line that opens it with a number or a heading and on to the next
numbered line or blank line. A finding of the clause's type whose evidence
touches the region finds it. ``rule`` is the playbook rule that must fire on
it (none: it must not fire); ``values`` are what the rule reads; ``optional``
marks a clause a reader could fairly call either way (finding it or not is
not scored, but no rule may fire on it unless ``rule`` says so).
``absence_rules`` are the absence findings (``late_payment.absent``,
``billing.missing_terms``) the document must produce, and no others.
``distractors`` are places where no finding (of ``type``, when given) may sit.

Every expectation is its own test; ``known_gaps`` (keyed by the test's
suffix, e.g. ``found-2``, ``rule-2``, ``value-2-notice_days``,
``absence-late_payment.absent``, ``unexpected``, ``distractor-0``) run as
strict xfails, so fixing one makes the suite say so.

The model is the one a fresh install serves: the clause spec in its quick
configuration with seed 42 (no CUAD), which trains on generated data and on these
very cases, so the tests say what it still gets wrong on text it has seen; how it
reads other firms is measured on later batches (``evals.clauses_later_batches``).
``python -m tests.extraction.test_clauses_realistic`` prints per-type and
per-rule precision, recall and F1 over the set; ``--model-dir DIR`` scores a
saved model folder instead, ``--shared-data DIR`` trains with CUAD too.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest

from evals.clauses_later_batches import (
    ABSENCE_RULES,
    CaseOutcome,
    compare,
    evidence_spans,
    fired_rules,
    found_values,
    micro,
    prf,
    same_value,
    score,
    touches,
)
from extraction.playbook import RULE_NAMES
from extraction.schemas import CLAUSE_TYPES, ClauseFinding
from training.handwritten import CLAUSES_DIR
from training.handwritten_clauses import case_names, load_case, region_of

CASES_DIR = CLAUSES_DIR
_CASE_KEYS = {"about", "clauses", "absence_rules", "distractors", "known_gaps"}
_CLAUSE_KEYS = {"type", "anchor", "until", "rule", "values", "optional"}
_DISTRACTOR_KEYS = {"anchor", "type", "why"}
# The names test_whole_documents reads from here (the scorer now lives in evals).
_spans, _touches, _same, _prf = evidence_spans, touches, same_value, prf


# --- the model -----------------------------------------------------------------------------------


@lru_cache(maxsize=4)
def served_model(shared_data: str | None = None) -> Any:
    """The model a fresh install serves (quick, seed 42), or the CLI's quick model with CUAD."""
    from training.clauses import SPEC
    from training.spec import TrainingInputs

    inputs = TrainingInputs(seed=42, quick=True, shared_data=Path(shared_data) if shared_data else None)
    return SPEC.train(inputs).model


# --- tests ---------------------------------------------------------------------------------------


def _gap_marks(expected: dict[str, Any], key: str) -> list[Any]:
    gaps = expected.get("known_gaps", {})
    return [pytest.mark.xfail(strict=True, reason=gaps[key])] if key in gaps else []


def _params() -> Iterator[tuple[str, Any]]:
    for name in case_names():
        _, expected = load_case(name)

        def param(kind: str, key: str, *args: Any, n: str = name, e: dict[str, Any] = expected) -> Any:
            return kind, pytest.param(n, *args, id=f"{n}-{key}", marks=_gap_marks(e, key))

        for i, clause in enumerate(expected["clauses"]):
            if not clause.get("optional"):
                yield param("found", f"found-{i}", i)
            yield param("rule", f"rule-{i}", i)
            for value_name in clause.get("values", {}):
                yield param("value", f"value-{i}-{value_name}", i, value_name)
        for rule in ABSENCE_RULES:
            yield param("absence", f"absence-{rule}", rule)
        yield param("unexpected", "unexpected")
        for j, _ in enumerate(expected.get("distractors", [])):
            yield param("distractor", f"distractor-{j}", j)


def _of(kind: str) -> list[Any]:
    return [p for k, p in _params() if k == kind]


_OUTCOMES: dict[str, CaseOutcome] = {}


def _outcome(name: str) -> CaseOutcome:
    if name not in _OUTCOMES:
        text, expected = load_case(name)
        _OUTCOMES[name] = compare(text, expected, served_model())
    return _OUTCOMES[name]


def _describe(findings: list[ClauseFinding]) -> list[str]:
    return [f"{f.type}/{f.rule}: {' '.join(e.quote for e in f.evidence)[:90]!r}" for f in findings]


def test_the_set_is_big_enough_well_formed_and_covers_every_rule() -> None:
    names = case_names()
    assert len(names) >= 40
    fired: set[str] = set()
    standard_types: set[str] = set()
    for name in names:
        text, expected = load_case(name)
        assert set(expected) <= _CASE_KEYS, f"{name}: unknown keys {set(expected) - _CASE_KEYS}"
        for clause in expected["clauses"]:
            assert set(clause) <= _CLAUSE_KEYS, f"{name}: unknown clause keys {set(clause) - _CLAUSE_KEYS}"
            assert clause["type"] in CLAUSE_TYPES, f"{name}: unknown type {clause['type']}"
            assert clause.get("rule") in (None, *RULE_NAMES), f"{name}: unknown rule {clause.get('rule')}"
            region_of(text, clause["anchor"], clause.get("until"))
            assert not (clause.get("optional") and clause.get("rule")), f"{name}: optional with a rule"
            if clause.get("rule"):
                fired.add(clause["rule"])
            else:
                standard_types.add(clause["type"])
        for distractor in expected.get("distractors", []):
            assert set(distractor) <= _DISTRACTOR_KEYS
            region_of(text, distractor["anchor"])
        assert set(expected.get("absence_rules", [])) <= set(ABSENCE_RULES)
        fired.update(expected.get("absence_rules", []))
    assert fired == set(RULE_NAMES), f"rules never expected to fire: {set(RULE_NAMES) - fired}"
    rule_types = {r.split(".")[0] for r in RULE_NAMES if r not in ABSENCE_RULES}
    assert rule_types <= standard_types, f"no standard form of: {rule_types - standard_types}"


def test_region_is_the_clause_around_the_anchor() -> None:
    text = "1. FEES\n1.1 Pay in 30 days.\n1.2 Interest at 1%\n    per month.\n\nOther text."
    assert text[slice(*region_of(text, "Interest"))] == "1.2 Interest at 1%\n    per month."
    assert text[slice(*region_of(text, "Pay in"))] == "1.1 Pay in 30 days."
    assert text[slice(*region_of(text, "Pay in", "per month"))].endswith("per month.")
    with pytest.raises(ValueError):
        region_of(text, "absent words")


@pytest.mark.parametrize(("name", "index"), _of("found"))
def test_clause_found(name: str, index: int) -> None:
    _, expected = load_case(name)
    clause = expected["clauses"][index]
    outcome = _outcome(name)
    assert outcome.matched.get(index), (
        f"no {clause['type']} finding at {clause['anchor']!r}; found {_describe(outcome.findings)}"
    )


@pytest.mark.parametrize(("name", "index"), _of("rule"))
def test_clause_rule(name: str, index: int) -> None:
    _, expected = load_case(name)
    clause = expected["clauses"][index]
    want = {clause["rule"]} if clause.get("rule") else set()
    matched = _outcome(name).matched.get(index, [])
    got = fired_rules(matched)
    if clause.get("optional") and not matched:
        assert not clause.get("rule"), "an optional clause cannot carry a rule that must fire"
        return
    assert got == want, f"{clause['type']} at {clause['anchor']!r}: rules {got or '{}'}, want {want or '{}'}"


@pytest.mark.parametrize(("name", "index", "value_name"), _of("value"))
def test_clause_value(name: str, index: int, value_name: str) -> None:
    _, expected = load_case(name)
    clause = expected["clauses"][index]
    want = clause["values"][value_name]
    got = found_values(_outcome(name).matched.get(index, []))
    assert value_name in got and same_value(want, got[value_name]), f"{value_name}: got {got}, want {want!r}"


@pytest.mark.parametrize(("name", "rule"), _of("absence"))
def test_absence_rule(name: str, rule: str) -> None:
    _, expected = load_case(name)
    want = rule in expected.get("absence_rules", [])
    assert (rule in _outcome(name).absence) == want, f"{rule} should {'' if want else 'not '}fire"


@pytest.mark.parametrize("name", _of("unexpected"))
def test_no_unexpected_findings(name: str) -> None:
    assert not _outcome(name).unexpected, _describe(_outcome(name).unexpected)


@pytest.mark.parametrize(("name", "index"), _of("distractor"))
def test_distractor_draws_no_finding(name: str, index: int) -> None:
    _, expected = load_case(name)
    distractor = expected["distractors"][index]
    hits = _outcome(name).distractor_hits[index]
    assert not hits, f"{distractor['why']}: {_describe(hits)}"


# --- the command line ---------------------------------------------------------------------------


def _print_table(title: str, rows: dict[str, list[int]]) -> None:
    print(f"{title:44} {'tp':>3} {'fp':>3} {'fn':>3} {'P':>6} {'R':>6} {'F1':>6}")
    for key, (tp, fp, fn) in rows.items():
        if tp + fp + fn:
            print(f"{key:44} {tp:3} {fp:3} {fn:3} " + " ".join(f"{x:6.3f}" for x in prf(tp, fp, fn)))
    tp, fp, fn = micro(rows)
    print(f"{'micro':44} {tp:3} {fp:3} {fn:3} " + " ".join(f"{x:6.3f}" for x in prf(tp, fp, fn)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.extraction.test_clauses_realistic")
    parser.add_argument("prefix", nargs="?", default="", help="only the cases whose names start so")
    parser.add_argument("--model-dir", type=Path, help="a saved clause model folder (training.clauses)")
    parser.add_argument("--shared-data", help="train the quick model with CUAD from this folder")
    args = parser.parse_args(argv)
    if args.model_dir:
        from training.clauses import SPEC

        model = SPEC.load(args.model_dir)
    else:
        model = served_model(args.shared_data)
    table = score(model, prefix=args.prefix)
    _print_table("clause type", table["types"])
    print()
    _print_table("rule", table["rules"])
    print()
    for value_name, (right, asked) in sorted(table["values"].items()):
        print(f"value {value_name:38} {right:3}/{asked:<3}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
