"""Whole SOWs from other firms, end to end: the committed PDF, DOCX or text file in, the result out.

Each case in ``whole_documents/`` is a rendered file (made by
``whole_documents/make_documents.py`` with LibreOffice, Chromium, python-docx or
as plain text; or, from the third batch on, rendered by a writer who never read
this code, with their own tools, from the source ``NAME.sow`` kept beside it) and
``NAME.json``, written by hand before the extractor ran::

    {"file": "se_tm_framework.pdf",
     "billing": {"currency": "SEK", ..., "rates": [...], "milestones": [...]},
     "clauses": [{"type": ..., "anchor": ..., "rule": ..., "values": {...}, "optional": ...}],
     "absence_rules": [...], "distractors": [{"anchor": ..., "type": ..., "why": ...}],
     "warnings": ["regex a warning must match"],
     "text_present": [...], "text_absent": [...],
     "known_gaps": {"billing-rates": "why", "found-3": "why", ...}}

The billing fields follow ``training/handwritten/billing/`` (a field not listed must be null, a list
not listed empty; rates are compared as a set, so one rate for two named people
counts once). The clause expectations follow ``training/handwritten/clauses/`` with one
difference: a page's lines wrap wherever the producer broke them, so an anchor is
found with its whitespace collapsed, and the clause's region is the anchor's span
itself (a finding touches it or not). ``text_present`` / ``text_absent`` are
phrases the ingested text must or must not hold (whitespace collapsed): a tracked
insertion is read, a tracked deletion and a running header are not.

Every evidence quote of every value is checked against the page text it points
into (grounding must be 100%). ``known_gaps`` run as strict xfails so that the
owner who fixes one sees it.

``python -m tests.extraction.test_whole_documents`` prints billing P/R/F1 per
field, clause-type and rule P/R/F1, grounding and the warnings of each document.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from extraction import ingest
from extraction.document import Document
from extraction.pipeline import analyse_document
from extraction.schemas import CLAUSE_TYPES, ClauseFinding, ExtractionResult
from tests.extraction.test_billing_realistic import LIST_FIELDS, SCALAR_FIELDS, _scalar, quote_supports
from tests.extraction.test_clauses_realistic import (
    ABSENCE_RULES,
    _describe,
    _gap_marks,
    _prf,
    _print_table,
    _same,
    _spans,
    _touches,
    fired_rules,
    found_values,
    served_model,
)

CASES_DIR = Path(__file__).parent / "whole_documents"
_CASE_KEYS = {
    "about", "file", "billing", "clauses", "absence_rules", "distractors", "warnings", "text_present",
    "text_absent", "known_gaps",
}  # fmt: skip


def case_names() -> list[str]:
    return sorted(p.stem for p in CASES_DIR.glob("*.json"))


def load_case(name: str) -> dict[str, Any]:
    expected: dict[str, Any] = json.loads((CASES_DIR / f"{name}.json").read_text(encoding="utf-8"))
    return expected


# --- finding text whatever the line breaks -----------------------------------------------------


@dataclass(frozen=True)
class CollapsedText:
    """``text`` with every run of whitespace collapsed to one space, and the way back."""

    text: str
    origin: tuple[int, ...]  # origin[i]: offset in the original of collapsed character i

    @classmethod
    def of(cls, original: str) -> CollapsedText:
        chars: list[str] = []
        origin: list[int] = []
        for match in re.finditer(r"\s+|\S+", original):
            if match.group().isspace():
                chars.append(" ")
                origin.append(match.start())
            else:
                chars.extend(match.group())
                origin.extend(range(match.start(), match.end()))
        return cls("".join(chars), tuple(origin))

    def find(self, phrase: str) -> tuple[int, int] | None:
        """(start, end) in the original of the first occurrence of ``phrase`` (whitespace collapsed)."""
        wanted = re.sub(r"\s+", " ", phrase.strip())
        at = self.text.find(wanted)
        if at < 0:
            return None
        return self.origin[at], self.origin[at + len(wanted) - 1] + 1


# --- one document's run ------------------------------------------------------------------------


@dataclass
class DocumentRun:
    """The ingested document, the pipeline's result and the clause findings matched to the case."""

    document: Document
    result: ExtractionResult
    regions: list[tuple[int, int] | None]
    findings: list[ClauseFinding]
    absence: set[str]
    matched: dict[int, list[ClauseFinding]] = field(default_factory=dict)
    unexpected: list[ClauseFinding] = field(default_factory=list)
    distractor_hits: dict[int, list[ClauseFinding] | None] = field(default_factory=dict)


def run_case(name: str, model: Any) -> DocumentRun:
    expected = load_case(name)
    path = CASES_DIR / expected["file"]
    document = ingest(path.read_bytes(), filename=path.name)
    result = analyse_document(document, clause_model=model, clause_model_version="test")
    collapsed = CollapsedText.of(document.text)
    clauses = expected["clauses"]
    run = DocumentRun(
        document=document,
        result=result,
        regions=[collapsed.find(c["anchor"]) for c in clauses],
        findings=[f for f in result.clauses if f.rule not in ABSENCE_RULES],
        absence={f.rule for f in result.clauses if f.rule in ABSENCE_RULES and f.nonstandard and f.rule},
    )
    for finding in run.findings:
        spans = _spans(finding, document)
        hits = [
            i
            for i, c in enumerate(clauses)
            if c["type"] == finding.type
            and (region := run.regions[i]) is not None
            and _touches(spans, region)
        ]
        if not hits:
            run.unexpected.append(finding)
            continue
        best = min(hits, key=lambda i: (bool(clauses[i].get("optional")), i))
        run.matched.setdefault(best, []).append(finding)
    for j, distractor in enumerate(expected.get("distractors", [])):
        region = collapsed.find(distractor["anchor"])
        run.distractor_hits[j] = (
            None
            if region is None
            else [
                f
                for f in run.findings
                if distractor.get("type") in (None, f.type) and _touches(_spans(f, document), region)
            ]
        )
    return run


@cache
def _run(name: str) -> DocumentRun:
    return run_case(name, served_model())


# --- comparisons shared by the tests and the score ---------------------------------------------


def rate_keys(items: list[dict[str, Any]]) -> set[tuple[Any, ...]]:
    return {(_scalar(i["rate"]), i["unit"], i.get("currency")) for i in items}


def milestone_keys(items: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return sorted(
        (
            _scalar(i["amount"]) if i.get("amount") is not None else None,
            _scalar(i["percent"]) if i.get("percent") is not None else None,
        )
        for i in items
    )


def scalar_right(name: str, field_name: str, got: dict[str, Any] | None) -> bool:
    want = load_case(name)["billing"].get(field_name)
    if want is None:
        return got is None
    return (
        got is not None
        and _scalar(got["value"]) == _scalar(want)
        and quote_supports(field_name, got["value"], got)
    )


def ungrounded(result: ExtractionResult, document: Document) -> list[str]:
    """Every evidence item whose quote is not the page text it points at (should be none)."""
    bad: list[str] = []

    def check(where: str, evidence: list[Any]) -> None:
        if not evidence:
            bad.append(f"{where}: no evidence")
        for e in evidence:
            if not 1 <= e.page <= len(document.pages):
                bad.append(f"{where}: page {e.page} out of range")
            elif document.page(e.page).text[e.start : e.end] != e.quote or not e.quote.strip():
                bad.append(f"{where}: quote {e.quote[:40]!r} is not page {e.page}[{e.start}:{e.end}]")

    billing = result.billing.model_dump()
    for field_name in SCALAR_FIELDS:
        value = getattr(result.billing, field_name)
        if value is not None:
            check(field_name, value.evidence)
    for field_name in LIST_FIELDS:
        for i, item in enumerate(getattr(result.billing, field_name)):
            check(f"{field_name}[{i}]", item.evidence)
    for i, finding in enumerate(result.clauses):
        check(f"clause {i} {finding.type}", finding.evidence)
    del billing
    return bad


# --- tests -------------------------------------------------------------------------------------


def _params() -> Iterator[tuple[str, Any]]:
    for name in case_names():
        expected = load_case(name)

        def param(kind: str, key: str, *args: Any, n: str = name, e: dict[str, Any] = expected) -> Any:
            return kind, pytest.param(n, *args, id=f"{n}-{key}", marks=_gap_marks(e, key))

        for field_name in (*SCALAR_FIELDS, *LIST_FIELDS):
            yield param("billing", f"billing-{field_name}", field_name)
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
        for j, _ in enumerate(expected.get("warnings", [])):
            yield param("warning", f"warning-{j}", j)
        yield param("no_other_warning", "no-other-warning")
        for j, _ in enumerate(expected.get("text_present", [])):
            yield param("present", f"present-{j}", j)
        for j, _ in enumerate(expected.get("text_absent", [])):
            yield param("absent", f"absent-{j}", j)


def _of(kind: str) -> list[Any]:
    return [p for k, p in _params() if k == kind]


def test_the_set_is_well_formed_and_every_anchor_is_in_its_source() -> None:
    from tests.extraction.whole_documents.make_documents import DOCUMENTS, accepted, output_name

    sources = {d["name"]: d for d in DOCUMENTS}
    writer_sources = {p.stem: p for p in CASES_DIR.glob("*.sow")}
    assert not set(sources) & set(writer_sources)
    assert sorted([*sources, *writer_sources]) == case_names()
    for name in case_names():
        expected = load_case(name)
        assert set(expected) <= _CASE_KEYS, f"{name}: unknown keys {set(expected) - _CASE_KEYS}"
        if name in writer_sources:
            assert Path(expected["file"]).stem == name
            text = writer_source_text(writer_sources[name].read_text(encoding="utf-8"))
        else:
            assert expected["file"] == output_name(sources[name])
            text = " ".join(
                accepted(str(part)) for block in sources[name]["blocks"] for part in _block_text(block)
            )
        assert (CASES_DIR / expected["file"]).is_file()
        assert set(expected["billing"]) <= {*SCALAR_FIELDS, *LIST_FIELDS}
        assert all(c["type"] in CLAUSE_TYPES for c in expected["clauses"])
        source = CollapsedText.of(text.replace("\u00ad", "").replace("\u00a0", " "))
        for phrase in [c["anchor"] for c in expected["clauses"]] + [
            d["anchor"] for d in expected.get("distractors", [])
        ]:
            assert source.find(phrase) is not None, f"{name}: {phrase!r} is not in the source"


_WRITER_LINE_MARK = re.compile(r"^(?:[A-Z]: |#+ |~ |\|!?)")


def writer_source_text(source: str) -> str:
    """The words of a ``.sow`` source (the third batch's own markup): no directives, no markup.

    ``%key: value`` lines set up the renderer and ``@name`` lines start a cover, page or section;
    the other lines are the SOW, with a short mark in front (``T:`` title, ``K: a | b`` a key-value
    row, ``# `` a heading, ``~ `` a table caption, ``| a | b |`` a table row), cells split by ``|``
    and ``**`` around bold figures.
    """
    lines = [
        _WRITER_LINE_MARK.sub("", line).replace("|", " ").replace("**", "")
        for line in source.splitlines()
        if not line.startswith(("%", "@"))
    ]
    return "\n".join(lines)


def test_writer_source_text_drops_the_markup() -> None:
    source = "%format: pdf\n@cover\nT: STATEMENT\nK: Client | Acme\n# 1. Fees\n| Role | $310 |\nFee **$9**.\n"
    words = ["STATEMENT", "Client", "Acme", "1.", "Fees", "Role", "$310", "Fee", "$9."]
    assert writer_source_text(source).split() == words


def _block_text(block: tuple[Any, ...]) -> Iterator[str]:
    for part in block[1:]:
        if isinstance(part, str):
            yield part
        elif isinstance(part, list | tuple):
            for item in part:
                yield from ([item] if isinstance(item, str) else [" ".join(map(str, item))])


def test_collapsed_text_finds_a_phrase_across_line_breaks() -> None:
    text = "The Client shall\npay  each\n  invoice within 30 days."
    collapsed = CollapsedText.of(text)
    span = collapsed.find("shall pay each invoice")
    assert span is not None and text[span[0] : span[1]] == "shall\npay  each\n  invoice"
    assert collapsed.find("pay each invoice later") is None


@pytest.mark.parametrize("name", case_names())
def test_every_value_is_grounded_in_its_page(name: str) -> None:
    run = _run(name)
    assert not ungrounded(run.result, run.document)


@pytest.mark.parametrize(("name", "field_name"), _of("billing"))
def test_billing_field(name: str, field_name: str) -> None:
    want = load_case(name)["billing"]
    got = getattr(_run(name).result.billing, field_name)
    if field_name == "rates":
        have = rate_keys([g.value.model_dump() for g in got])
        assert have == rate_keys(want.get("rates", [])), f"rates {sorted(have)}"
    elif field_name == "milestones":
        have_list = milestone_keys([g.value.model_dump() for g in got])
        assert have_list == milestone_keys(want.get("milestones", [])), f"milestones {have_list}"
    else:
        dumped = got.model_dump(mode="json") if got is not None else None
        assert scalar_right(name, field_name, dumped), (
            f"{field_name}: want {want.get(field_name)!r}, got {dumped and dumped['value']!r}"
        )


@pytest.mark.parametrize(("name", "index"), _of("found"))
def test_clause_found(name: str, index: int) -> None:
    clause = load_case(name)["clauses"][index]
    run = _run(name)
    assert run.regions[index] is not None, f"anchor {clause['anchor']!r} is not in the ingested text"
    assert run.matched.get(index), (
        f"no {clause['type']} finding at {clause['anchor']!r}; found {_describe(run.findings)}"
    )


@pytest.mark.parametrize(("name", "index"), _of("rule"))
def test_clause_rule(name: str, index: int) -> None:
    clause = load_case(name)["clauses"][index]
    want = {clause["rule"]} if clause.get("rule") else set()
    matched = _run(name).matched.get(index, [])
    if clause.get("optional") and not matched:
        return
    assert fired_rules(matched) == want, f"{clause['type']} at {clause['anchor']!r}"


@pytest.mark.parametrize(("name", "index", "value_name"), _of("value"))
def test_clause_value(name: str, index: int, value_name: str) -> None:
    clause = load_case(name)["clauses"][index]
    got = found_values(_run(name).matched.get(index, []))
    assert value_name in got and _same(clause["values"][value_name], got[value_name]), f"got {got}"


@pytest.mark.parametrize(("name", "rule"), _of("absence"))
def test_absence_rule(name: str, rule: str) -> None:
    want = rule in load_case(name).get("absence_rules", [])
    assert (rule in _run(name).absence) == want, f"{rule} should {'' if want else 'not '}fire"


@pytest.mark.parametrize("name", _of("unexpected"))
def test_no_unexpected_findings(name: str) -> None:
    assert not _run(name).unexpected, _describe(_run(name).unexpected)


@pytest.mark.parametrize(("name", "index"), _of("distractor"))
def test_distractor_draws_no_finding(name: str, index: int) -> None:
    distractor = load_case(name)["distractors"][index]
    hits = _run(name).distractor_hits[index]
    assert hits is not None, f"distractor {distractor['anchor']!r} is not in the ingested text"
    assert not hits, f"{distractor['why']}: {_describe(hits)}"


@pytest.mark.parametrize(("name", "index"), _of("warning"))
def test_expected_warning(name: str, index: int) -> None:
    pattern = load_case(name)["warnings"][index]
    warnings = _run(name).result.warnings
    assert any(re.search(pattern, w, re.IGNORECASE) for w in warnings), warnings


@pytest.mark.parametrize("name", _of("no_other_warning"))
def test_no_other_warning(name: str) -> None:
    patterns = load_case(name).get("warnings", [])
    others = [
        w
        for w in _run(name).result.warnings
        if not any(re.search(p, w, re.IGNORECASE) for p in patterns) and not w.startswith("no clause model")
    ]
    assert not others


@pytest.mark.parametrize(("name", "index"), _of("present"))
def test_text_present(name: str, index: int) -> None:
    phrase = load_case(name)["text_present"][index]
    assert CollapsedText.of(_run(name).document.text).find(phrase) is not None


@pytest.mark.parametrize(("name", "index"), _of("absent"))
def test_text_absent(name: str, index: int) -> None:
    phrase = load_case(name)["text_absent"][index]
    assert CollapsedText.of(_run(name).document.text).find(phrase) is None


# --- scoring -------------------------------------------------------------------------------------


def score(model: Any) -> dict[str, Any]:
    """Billing [tp, fp, fn] per field, clause types and rules [tp, fp, fn], grounding, warnings."""
    billing: dict[str, list[int]] = {f: [0, 0, 0] for f in (*SCALAR_FIELDS, *LIST_FIELDS)}
    types: dict[str, list[int]] = {t: [0, 0, 0] for t in CLAUSE_TYPES}
    rules: dict[str, list[int]] = {}
    values = [0, 0]
    evidence = [0, 0]
    warnings: dict[str, list[str]] = {}
    for name in case_names():
        expected = load_case(name)
        run = run_case(name, model)
        want = expected["billing"]
        for field_name in SCALAR_FIELDS:
            got = getattr(run.result.billing, field_name)
            dumped = got.model_dump(mode="json") if got is not None else None
            if (
                dumped is not None
                and want.get(field_name) is not None
                and scalar_right(name, field_name, dumped)
            ):
                billing[field_name][0] += 1
            else:
                billing[field_name][1] += dumped is not None
                billing[field_name][2] += want.get(field_name) is not None
        for field_name in LIST_FIELDS:
            have_items = [g.value.model_dump() for g in getattr(run.result.billing, field_name)]
            if field_name == "rates":
                have, wanted = sorted(rate_keys(have_items)), sorted(rate_keys(want.get("rates", [])))
            else:
                have, wanted = milestone_keys(have_items), milestone_keys(want.get("milestones", []))
            remaining = list(wanted)
            for key in have:
                if key in remaining:
                    remaining.remove(key)
                    billing[field_name][0] += 1
                else:
                    billing[field_name][1] += 1
            billing[field_name][2] += len(remaining)
        for finding in run.unexpected:
            types[finding.type][1] += 1
            for rule in fired_rules([finding]):
                rules.setdefault(rule, [0, 0, 0])[1] += 1
        for i, clause in enumerate(expected["clauses"]):
            matched = run.matched.get(i, [])
            if not clause.get("optional"):
                types[clause["type"]][0 if matched else 2] += 1
            got_rules = fired_rules(matched)
            if clause.get("rule"):
                rules.setdefault(clause["rule"], [0, 0, 0])[0 if clause["rule"] in got_rules else 2] += 1
            for rule in got_rules - {clause.get("rule")}:
                rules.setdefault(rule, [0, 0, 0])[1] += 1
            for value_name, value in clause.get("values", {}).items():
                have_values = found_values(matched)
                values[0] += int(value_name in have_values and _same(value, have_values[value_name]))
                values[1] += 1
        for rule in ABSENCE_RULES:
            wanted_absence = rule in expected.get("absence_rules", [])
            got_absence = rule in run.absence
            counts = rules.setdefault(rule, [0, 0, 0])
            counts[0] += int(wanted_absence and got_absence)
            counts[1] += int(got_absence and not wanted_absence)
            counts[2] += int(wanted_absence and not got_absence)
        total = sum(len(v.evidence) for f in SCALAR_FIELDS if (v := getattr(run.result.billing, f)))
        total += sum(len(i.evidence) for f in LIST_FIELDS for i in getattr(run.result.billing, f))
        total += sum(len(c.evidence) for c in run.result.clauses)
        evidence[0] += total - len(ungrounded(run.result, run.document))
        evidence[1] += total
        warnings[name] = list(run.result.warnings)
    return {"billing": billing, "types": types, "rules": rules, "values": values, "evidence": evidence,
            "warnings": warnings}  # fmt: skip


def main() -> int:
    table = score(served_model())
    print(f"{'billing field':44} {'tp':>3} {'fp':>3} {'fn':>3} {'P':>6} {'R':>6} {'F1':>6}")
    for key, (tp, fp, fn) in table["billing"].items():
        print(f"{key:44} {tp:3} {fp:3} {fn:3} " + " ".join(f"{x:6.3f}" for x in _prf(tp, fp, fn)))
    tp, fp, fn = (sum(v[i] for v in table["billing"].values()) for i in range(3))
    print(f"{'micro':44} {tp:3} {fp:3} {fn:3} " + " ".join(f"{x:6.3f}" for x in _prf(tp, fp, fn)))
    print()
    _print_table("clause type", table["types"])
    print()
    _print_table("rule", dict(sorted(table["rules"].items())))
    print()
    right, asked = table["values"]
    grounded, total = table["evidence"]
    print(f"clause values right {right}/{asked}; evidence grounded {grounded}/{total}")
    for name, warnings in table["warnings"].items():
        print(f"warnings {name}: {warnings}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
