"""Does the learned candidate reader add to the billing rules on text neither has seen?

For each hand-written batch rK (r10..r18), the rules are the extraction package of the commit
that scored rK before any fix for it (the commits of ``training.billing_realistic_samples``).
That old package reads rK in a subprocess and also lists rK's figure candidates with its own
money and date finders (:mod:`extraction.billing.candidates` is copied into the old tree), so
nothing fixed on rK helps either reader. A :class:`~extraction.billing.candidates.CandidateReader`
trained only on generated SOWs and the batches before rK fills the fields the old rules left
null. Scored per field against today's expected JSON as ``tests/extraction/test_billing_realistic``
scores (a wrong value is a false positive and a false negative):

* ``rules``: the old rules alone (reproduces the before-fix figures of docs/extraction.md);
* ``fill8``: the old rules, their null figure fields filled by the learned reader;
* ``fill10``: as ``fill8``, and an empty rates or milestones list filled with the reader's items;
* ``rules10`` / ``learned10``: the rules, and the learned reader alone, on those ten fields.

Run ``python -m evals.billing_candidates`` from a git checkout (``--generated N`` sets the
generated training documents, ``--threshold`` the reader's least score).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any

from extraction import ingest
from extraction.billing.candidates import FIELD_KINDS, CandidateReader, FigureCandidate, find_candidates
from training.billing_fill import add_counts, batch_number, generated_examples, prf
from training.billing_realistic_samples import BATCHES
from training.handwritten import BILLING_DIR

REPO = Path(__file__).resolve().parents[1]
SCORER = REPO / "tests" / "extraction" / "test_billing_realistic.py"
CANDIDATES = REPO / "extraction" / "billing" / "candidates.py"
EVAL_BATCHES = tuple(f"r{k}_" for k in range(10, 19))
#: The readings scored: the old rules; filled on the eight figure fields; filled on those and on
#: empty rates / milestones lists; and, on those ten fields only, the rules and the reader alone.
MODES = ("rules", "fill8", "fill10", "rules10", "learned10")

# Runs inside the old checkout: its rules and finders, today's cases and candidate reader.
_READER = """
import importlib.util, json, sys
from pathlib import Path
scorer_path, prefixes, cases_dir = sys.argv[1], sys.argv[2].split(","), sys.argv[3]
spec = importlib.util.spec_from_file_location("realistic_scorer", scorer_path)
rt = importlib.util.module_from_spec(spec)
spec.loader.exec_module(rt)
rt.CASES_DIR = Path(cases_dir)
from extraction import ingest
from extraction.billing import extract_billing
import extraction.billing.money as money
if not hasattr(money, "document_rand"):  # before r8 the rand was not read
    money.document_rand = lambda text: False
    _find = money.find_money
    money.find_money = lambda text, *, dollar="USD", rand=False: _find(text, dollar=dollar)
from extraction.billing.candidates import find_candidates
out = {}
for name in rt.case_names():
    if not name.startswith(tuple(prefixes)):
        continue
    text, _ = rt.load_case(name)
    document = ingest(text.encode("utf-8"), filename="sow.txt")
    got = extract_billing(document).billing.model_dump(mode="json")
    pages = [p.text for p in document.pages]
    out[name] = {"got": got, "pages": pages, "candidates": [c.to_json() for c in find_candidates(pages)]}
print(json.dumps(out))
"""


def load_scorer() -> ModuleType:
    """``tests/extraction/test_billing_realistic`` as a module (its cases and scoring helpers)."""
    spec = importlib.util.spec_from_file_location("realistic_scorer", SCORER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read_with_commit(
    commit: str, prefixes: list[str], *, cache: Path | None, cases_dir: Path | None = None
) -> dict[str, Any]:
    """Old rules' output, page texts and candidates for the cases of ``prefixes``, read at ``commit``."""
    cases_dir = cases_dir or BILLING_DIR
    key = hashlib.sha256(
        (commit + ",".join(prefixes) + str(cases_dir) + _READER).encode()
        + CANDIDATES.read_bytes()
        + SCORER.read_bytes()
    ).hexdigest()[:16]
    cached = cache / f"billing-candidates-{key}.json" if cache else None
    if cached and cached.exists():
        data: dict[str, Any] = json.loads(cached.read_text(encoding="utf-8"))
        return data
    with tempfile.TemporaryDirectory(prefix="handoff-candidates-") as tmp:
        archive = subprocess.run(
            ["git", "-C", str(REPO), "archive", commit, "extraction"], check=True, capture_output=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        (Path(tmp) / "extraction" / "billing" / "candidates.py").write_bytes(CANDIDATES.read_bytes())
        out = subprocess.run(
            [sys.executable, "-c", _READER, str(SCORER), ",".join(prefixes), str(cases_dir)],
            check=True,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": tmp},
            cwd=tmp,
        ).stdout
    data = json.loads(out)
    if cached:
        cached.write_text(json.dumps(data), encoding="utf-8")
    return data


def generated_training(
    count: int, *, seed: int = 42
) -> tuple[list[list[FigureCandidate]], list[dict[str, Any]]]:
    """Candidates and expected figure values of ``count`` generated SOWs (train families only),
    built as the shipped ``billing-fill`` model's training data is."""
    return generated_examples(count, seed=seed)


def realistic_cases(rt: ModuleType) -> dict[str, tuple[list[FigureCandidate], dict[str, Any]]]:
    """Every hand-written case's candidates (today's finders) and expected values."""
    out = {}
    for name in rt.case_names():
        text, expected = rt.load_case(name)
        document = ingest(text.encode("utf-8"), filename="sow.txt")
        out[name] = (find_candidates([p.text for p in document.pages]), expected)
    return out


def fill(
    got: dict[str, Any], pages: list[str], proposals: dict[str, tuple[FigureCandidate, Any, float]]
) -> dict[str, Any]:
    """``got`` with each null figure field filled by the reader's proposal, quoting its line."""
    out = dict(got)
    for name, (c, value, score) in proposals.items():
        if out.get(name) is not None:
            continue
        out[name] = grounded(c, value, score, pages)
    return out


def fill_items(
    got: dict[str, Any],
    pages: list[str],
    items: dict[str, list[tuple[list[FigureCandidate], dict[str, Any], float]]],
) -> dict[str, Any]:
    """``got`` with an empty rates or milestones list filled by the reader's items."""
    out = dict(got)
    for name, found in items.items():
        if out.get(name) or not found:
            continue
        out[name] = []
        for cands, item, score in found:
            evidence = []
            for c in cands:
                quote = grounded(c, c.value, score, pages)["evidence"][0]
                if quote not in evidence:
                    evidence.append(quote)
            out[name].append(
                {"value": item, "confidence": round(score, 4), "evidence": evidence, "note": None}
            )
    return out


def grounded(c: FigureCandidate, value: Any, score: float, pages: list[str]) -> dict[str, Any]:
    """A proposal in the contract's grounded shape: the figure's line is the evidence."""
    text = pages[c.page - 1]
    line = text[c.line_start : c.line_end]
    start = c.line_start + len(line) - len(line.lstrip())
    end = c.line_start + len(line.rstrip())
    note = "per annum rate / 12" if value != c.value and c.kind == "percent" else None
    return {
        "value": value,
        "confidence": round(score, 4),
        "evidence": [{"page": c.page, "start": start, "end": end, "quote": text[start:end]}],
        "note": note,
    }


def count(
    rt: ModuleType, got: dict[str, Any], expected: dict[str, Any], fields: tuple[str, ...]
) -> dict[str, list[int]]:
    """Per field ``[tp, fp, fn]`` as the realistic suite's ``score`` counts them."""
    counts = {f: [0, 0, 0] for f in fields}
    for name in fields:
        if name in rt.LIST_FIELDS:
            items = [{"currency": None, **w} if name == "rates" else w for w in expected.get(name, [])]
            remaining = list(rt.list_keys(name, items))
            for key in rt.list_keys(name, [g["value"] for g in got[name]]):
                if key in remaining:
                    remaining.remove(key)
                    counts[name][0] += 1
                else:
                    counts[name][1] += 1
            counts[name][2] += len(remaining)
            continue
        want, have = expected.get(name), got.get(name)
        if (
            have is not None
            and want is not None
            and rt._scalar(have["value"]) == rt._scalar(want)
            and rt.quote_supports(name, have["value"], have)
        ):
            counts[name][0] += 1
        else:
            counts[name][1] += have is not None
            counts[name][2] += want is not None
    return counts


def _sum(table: dict[str, list[int]]) -> tuple[int, int, int]:
    return (
        sum(v[0] for v in table.values()),
        sum(v[1] for v in table.values()),
        sum(v[2] for v in table.values()),
    )


def evaluate(
    *,
    batches: tuple[str, ...] = EVAL_BATCHES,
    generated: int = 300,
    thresholds: tuple[float, ...] = (0.5,),
    realistic_weight: float = 10.0,
    C: float = 1.0,
    cache: Path | None = None,
    extra: tuple[Path, str] | None = None,
) -> dict[float, dict[str, Any]]:
    """Per threshold, per batch and pooled counts of the four readings (see the module docstring)."""
    rt = load_scorer()
    all_fields = (*rt.SCALAR_FIELDS, *rt.LIST_FIELDS)
    figure_fields = tuple(FIELD_KINDS)
    read_fields = (*figure_fields, "rates", "milestones")
    gen_docs, gen_expected = generated_training(generated)
    cases = realistic_cases(rt)
    old: dict[str, Any] = {}
    if extra is not None:  # a batch kept outside the suite, read by the rules of a given commit
        extra_dir, extra_commit = extra
        setattr(rt, "CASES_DIR", extra_dir)  # noqa: B010 (the scorer module reads its own global)
        cases.update(realistic_cases(rt))
        old.update(read_with_commit(extra_commit, list(batches), cache=cache, cases_dir=extra_dir))
    else:
        commits: dict[str, list[str]] = {}
        for prefix, commit, _ in BATCHES:
            if prefix in batches:
                commits.setdefault(commit, []).append(prefix)
        for commit, prefixes in commits.items():
            old.update(read_with_commit(commit, prefixes, cache=cache))
    results: dict[float, dict[str, Any]] = {
        t: {"batches": {}, "pooled": {m: {} for m in MODES}, "fills": []} for t in thresholds
    }
    for prefix in batches:
        k = batch_number(prefix)
        train = [n for n in cases if batch_number(n) < k and not n.startswith(batches)]
        reader = CandidateReader(C=C).fit(
            gen_docs + [cases[n][0] for n in train],
            gen_expected + [cases[n][1] for n in train],
            weights=[1.0] * len(gen_docs) + [realistic_weight] * len(train),
        )
        for t in thresholds:
            reader.threshold = t
            result = results[t]
            tables: dict[str, dict[str, list[int]]] = {m: {} for m in MODES}
            for name in sorted(n for n in old if n.startswith(prefix)):
                expected = cases[name][1]
                got, pages = old[name]["got"], old[name]["pages"]
                candidates = [FigureCandidate.from_json(c) for c in old[name]["candidates"]]
                proposals = reader.propose(candidates)
                currency = got["currency"]["value"] if got.get("currency") else None
                items = reader.propose_items(candidates, currency=currency)
                filled = fill(got, pages, proposals)
                filled_items = fill_items(filled, pages, items)
                alone: dict[str, Any] = {f: None for f in figure_fields}
                alone.update({f: grounded(c, v, s, pages) for f, (c, v, s) in proposals.items()})
                alone = fill_items({**alone, "rates": [], "milestones": []}, pages, items)
                add_counts(tables["rules"], count(rt, got, expected, all_fields))
                add_counts(tables["fill8"], count(rt, filled, expected, all_fields))
                add_counts(tables["fill10"], count(rt, filled_items, expected, all_fields))
                add_counts(tables["rules10"], count(rt, got, expected, read_fields))
                add_counts(tables["learned10"], count(rt, alone, expected, read_fields))
                for f in read_fields:
                    if not got.get(f) and filled_items.get(f):
                        tp, fp, _ = count(rt, filled_items, expected, (f,))[f]
                        values = (
                            [v["value"] for v in filled_items[f]]
                            if isinstance(filled_items[f], list)
                            else filled_items[f]["value"]
                        )
                        result["fills"].append(
                            {
                                "case": name,
                                "field": f,
                                "value": values,
                                "want": expected.get(f),
                                "tp": tp,
                                "fp": fp,
                            }
                        )
            result["batches"][prefix] = tables
            for m in MODES:
                add_counts(result["pooled"][m], tables[m])
    return results


def report(result: dict[str, Any]) -> str:
    lines = [f"{'batch':8} " + " ".join(f"{m:>20}" for m in MODES) + "   (P/R/F1)"]
    for prefix, tables in [*result["batches"].items(), ("pooled", result["pooled"])]:
        cells = []
        for m in MODES:
            p, r, f1 = prf(*_sum(tables[m]))
            cells.append(f"{p:.3f}/{r:.3f}/{f1:.3f}".rjust(20))
        lines.append(f"{prefix:8} " + " ".join(cells))
    lines.append("")
    lines.append("per field, pooled (tp/fp/fn): rules -> fill10; learned alone")
    for f in (*FIELD_KINDS, "rates", "milestones"):
        a, b, c = (result["pooled"][m].get(f, [0, 0, 0]) for m in ("rules", "fill10", "learned10"))
        lines.append(f"  {f:28} {a} -> {b}; learned {c}")
    tp, fp = sum(x["tp"] for x in result["fills"]), sum(x["fp"] for x in result["fills"])
    lines.append(f"fills: {len(result['fills'])} fields filled, {tp} values right, {fp} wrong; wrong ones:")
    for x in (x for x in result["fills"] if x["fp"]):  # the wrong ones, to read
        lines.append(
            f"  +{x['tp']}/-{x['fp']} {x['case']:44} {x['field']:26} {x['value']!r} (want {x['want']!r})"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict[float, dict[str, Any]]:
    parser = argparse.ArgumentParser(prog="python -m evals.billing_candidates")
    parser.add_argument(
        "--batches",
        default=",".join(EVAL_BATCHES),
        help="comma-separated prefixes (r4_..r9_ tune, r10_..r18_ test)",
    )
    parser.add_argument("--generated", type=int, default=300)
    parser.add_argument("--thresholds", default="0.5", help="comma-separated least scores to report")
    parser.add_argument("--realistic-weight", type=float, default=10.0)
    parser.add_argument(
        "--extra",
        nargs=2,
        metavar=("DIR", "COMMIT"),
        help="read --batches from DIR (cases outside the suite) with the rules of COMMIT",
    )
    parser.add_argument("--C", type=float, default=1.0, help="inverse regularisation of the classifiers")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()))
    args = parser.parse_args(argv)
    results = evaluate(
        batches=tuple(args.batches.split(",")),
        generated=args.generated,
        thresholds=tuple(float(t) for t in args.thresholds.split(",")),
        realistic_weight=args.realistic_weight,
        C=args.C,
        cache=args.cache,
        extra=(Path(args.extra[0]), args.extra[1]) if args.extra else None,
    )
    for t, result in results.items():
        print(f"== threshold {t}")
        print(report(result))
    return results


if __name__ == "__main__":
    main()
