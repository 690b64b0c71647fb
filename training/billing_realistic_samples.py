"""Confidence samples from hand-written SOWs, each read by the code that had not yet seen it.

Every batch of ``training/handwritten/billing/`` was committed, and scored, before the fixes
made for it. The extractor of that commit is the only honest reader of the batch: the current
code has been fixed on it and gets every value right. This script checks out the extraction
package of each batch's commit (``git archive``) into a temporary folder, runs it on the batch
in a subprocess, and records ``(field, raw score, right)`` for every value it returned, judged
against today's expected JSON. The rows go to ``training/billing_calibration_realistic.json``;
``training/billing_calibration`` fits on the ``fit`` batches and reports on the ``report``
batches, so the reported calibration error is on batches the table never saw.

Run ``python -m training.billing_realistic_samples`` from a git checkout.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from training.handwritten import BILLING_DIR

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUTPUT = Path(__file__).with_name("billing_calibration_realistic.json")
# (batch prefix, the commit that added the batch before any fix for it, split)
BATCHES = (
    ("r4_", "2da677ec4ef6b483dec7ff38ea75a9b58c7bb676", "fit"),
    ("r5_", "3c28afaa28c5b9987994050e63614774d3f27917", "fit"),
    ("r6_", "7999b6f1a1031dfac9168931247c64267045029b", "fit"),
    ("r7_", "071799003c15676102b6c8b5f6bcadb76a079176", "report"),
    ("r8_", "6451f75ecfc8e069988f30724961000d61373e08", "report"),
    # r9 was committed with its fixes: its parent is the code that had not seen it
    ("r9_", "5f8f83a89c136e7d45913c9629f38a969c8f7879", "report"),
    # r10 and r11 were written together and scored by the code just before their fixes
    ("r10_", "88a9c246f5e93dfb97608973f5d28252c67d6cdd", "report"),
    ("r11_", "88a9c246f5e93dfb97608973f5d28252c67d6cdd", "report"),
    # r12 was written after the r10/r11 fixes and scored by them, before its own
    ("r12_", "c9b8ec09acb4c07bfa2856a52bb6b59b12ad3da1", "report"),
    # r13 was written after the r12 fixes and scored by them, before its own
    ("r13_", "2d006d90c3a9c959dffad518370afc30c9753baf", "report"),
    # r14 (English drafting only) was scored by the code after the r13 and whole-document fixes
    ("r14_", "1fd61c9e1b88dc4e9e3dec45b93447fa6226c3f6", "report"),
    ("r15_", "c57abf77ac11ee12013ccfea712d72e7eccd708d", "report"),
    # r16 and r17 (English drafting) were written together and scored by the code after the r15 fixes
    ("r16_", "17f5b04c1afa4a16970c7195417ca220583d4aa0", "report"),
    ("r17_", "17f5b04c1afa4a16970c7195417ca220583d4aa0", "report"),
    # r18 (English: NHS, NSW, GSA option years, Big-4 fees, a signed proposal, a Canadian TA) was
    # committed before its fixes and read by the code after the r16/r17 fixes
    ("r18_", "58ac73b9a2c092db98256dea590e71cc6c92a993", "report"),
)

# Runs inside the old checkout: its ``extraction`` package, today's cases and scorer.
_READER = """
import importlib.util, json, sys
from collections import Counter
from pathlib import Path
scorer_path, prefix, cases_dir = sys.argv[1], sys.argv[2], sys.argv[3]
spec = importlib.util.spec_from_file_location("realistic_scorer", scorer_path)
rt = importlib.util.module_from_spec(spec)
spec.loader.exec_module(rt)
rt.CASES_DIR = Path(cases_dir)
from extraction import ingest
from extraction.billing import extract_billing
rows = []
for name in rt.case_names():
    if not name.startswith(prefix):
        continue
    text, expected = rt.load_case(name)
    result = extract_billing(ingest(text.encode("utf-8"), filename="sow.txt"))
    got = result.billing.model_dump(mode="json")
    for field in rt.SCALAR_FIELDS:
        have = got[field]
        if have is None or field not in result.raw_scores:
            continue
        want = expected.get(field)
        right = (
            want is not None
            and rt._scalar(have["value"]) == rt._scalar(want)
            and rt.quote_supports(field, have["value"], have)
        )
        rows.append([name, field, result.raw_scores[field], bool(right)])
    for field in rt.LIST_FIELDS:
        items = [{"currency": None, **w} if field == "rates" else w for w in expected.get(field, [])]
        wanted = Counter(rt.list_keys(field, items))
        for item, raw in zip(got[field], result.list_raw_scores.get(field, [])):
            key = rt.list_keys(field, [item["value"]])[0]
            right = wanted[key] > 0
            wanted[key] -= right
            rows.append([name, field, raw, bool(right)])
print(json.dumps(rows))
"""


def read_batch(prefix: str, commit: str) -> list[list[Any]]:
    """``[case, field, raw, right]`` for every value the extractor of ``commit`` returns on a batch."""
    with tempfile.TemporaryDirectory(prefix="handoff-billing-") as tmp:
        archive = subprocess.run(
            ["git", "-C", str(REPO), "archive", commit, "extraction"], check=True, capture_output=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        env = {**os.environ, "PYTHONPATH": tmp}
        scorer = REPO / "tests" / "extraction" / "test_billing_realistic.py"
        out = subprocess.run(
            [sys.executable, "-c", _READER, str(scorer), prefix, str(BILLING_DIR)],
            check=True,
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp,
        ).stdout
    rows: list[list[Any]] = json.loads(out)
    return rows


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(prog="python -m training.billing_realistic_samples")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    batches = []
    for prefix, commit, split in BATCHES:
        rows = read_batch(prefix, commit)
        batches.append({"batch": prefix, "commit": commit, "split": split, "samples": rows})
        right = sum(1 for r in rows if r[3])
        print(f"{prefix} at {commit} ({split}): {len(rows)} values, {right} right")
    data = {"about": (__doc__ or "").strip().splitlines()[0], "batches": batches}
    # One sample a line: the file stays readable and its diffs small.
    lines = ['{"about": ' + json.dumps(data["about"]) + ', "batches": [']
    for i, batch in enumerate(batches):
        head = {k: v for k, v in batch.items() if k != "samples"}
        lines.append(" " + json.dumps(head)[:-1] + ', "samples": [')
        lines += [f"  {json.dumps(row)}," for row in batch["samples"]]
        lines[-1] = lines[-1].rstrip(",")
        lines.append(" ]}" + ("," if i + 1 < len(batches) else ""))
    lines.append("]}")
    args.output.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return data


if __name__ == "__main__":
    main()
