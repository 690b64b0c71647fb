# ruff: noqa: E501  (fixture texts read better unbroken)
"""The ``extraction`` and ``cuad`` eval suites on tiny inputs (a fake CUAD folder)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from evals.cuad import SUITE as CUAD_SUITE
from evals.cuad import jaccard, paired_bootstrap_gain
from evals.extraction import SUITE as EXTRACTION_SUITE
from evals.extraction import normalise_value
from evals.suite import EvalContext, EvalSuite
from extraction.clauses import ClauseClassifier
from training.clauses import deduplicate, generated_examples
from training.cuad_data import cuad_split
from training.sow_generator import generate_sows


@pytest.fixture(scope="module")
def model() -> ClauseClassifier:
    texts, labels = deduplicate(*generated_examples(generate_sows(40, seed=11, split="train")))
    return ClauseClassifier(random_state=0).fit(texts, labels)


def test_suites_implement_the_interface() -> None:
    assert isinstance(EXTRACTION_SUITE, EvalSuite) and isinstance(CUAD_SUITE, EvalSuite)
    assert EXTRACTION_SUITE.model_short_name == CUAD_SUITE.model_short_name == "clauses"


def test_extraction_suite_scores_pdf_docx_and_text(model: ClauseClassifier) -> None:
    result = EXTRACTION_SUITE.run(model, EvalContext(seed=3, options={"documents": 3}))
    assert result.skipped is None
    assert result.metrics["grounding"] == 1.0
    assert result.metrics["evidence_quotes"] > 10
    for name in ("billing_micro_f1", "rule_f1", "clause_type_f1", "ece"):
        assert 0.0 <= result.metrics[name] <= 1.0
    assert set(result.headline) == {"billing_micro_f1", "rule_f1", "grounding", "ece"}
    assert result.headline["ece"].direction == "lower"
    assert "pdf 1" in result.notes[0] and "docx 1" in result.notes[0] and "txt 1" in result.notes[0]
    assert len(result.figures) == 3


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [("total_fee", 1250000, 1250000.0), ("currency", "usd", "usd"), ("start_date", "2025-03-01", "2025-03-01"),
     ("expenses_reimbursable", True, True), ("payment_terms_days", 30, 30.0)],
)  # fmt: skip
def test_normalise_value(field: str, value: object, expected: object) -> None:
    assert normalise_value(field, value) == expected


def test_jaccard_as_the_cuad_paper_scores_it() -> None:
    assert jaccard("Governed by the laws of Delaware.", "governed by the laws of delaware") == 1.0
    assert jaccard("a b", "c d") == 0.0


def test_cuad_suite_skips_without_data(model: ClauseClassifier, tmp_path: Path) -> None:
    result = CUAD_SUITE.run(model, EvalContext(shared_data=tmp_path))
    assert result.skipped and "CUAD" in result.skipped


def _fake_cuad(root: Path) -> Path:
    folder = root / "cuad"
    (folder / "txt").mkdir(parents=True)
    law = "This Agreement shall be governed by the laws of the State of Delaware."
    renew = "This Agreement shall automatically renew for successive one year terms unless terminated."
    filler = "The parties shall meet monthly to review the marketing plan and the sales forecast."
    titles: dict[str, list[str]] = {"dev": [], "train": []}
    i = 0
    while len(titles["dev"]) < 4 or len(titles["train"]) < 4:
        title = f"contract-{i}"
        titles[cuad_split(title)].append(title)
        i += 1
    lines = []
    for split in ("dev", "train"):
        for n, title in enumerate(titles[split][:4]):
            paragraphs = [filler, law] + ([renew] if n % 2 == 0 else [])
            text = "\n\n".join(paragraphs) + "\n"
            (folder / "txt" / f"{title}.txt").write_text(text, encoding="utf-8")
            labels = {
                "Governing Law": {
                    "spans": [{"text": law, "start": text.index(law), "end": text.index(law) + len(law)}]
                }
            }
            if n % 2 == 0:
                start = text.index(renew)
                labels["Renewal Term"] = {
                    "spans": [{"text": renew, "start": start, "end": start + len(renew)}]
                }
            lines.append(json.dumps({"title": title, "txt_file": f"{title}.txt", "labels": labels}))
    (folder / "spans.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def test_cuad_suite_reports_model_and_baseline(model: ClauseClassifier, tmp_path: Path) -> None:
    result = CUAD_SUITE.run(model, EvalContext(shared_data=_fake_cuad(tmp_path)))
    assert result.skipped is None
    assert result.metrics["dev_contracts"] == 4.0
    assert 0.0 <= result.metrics["macro_aupr"] <= 1.0
    assert 0.0 <= result.metrics["baseline_macro_aupr"] <= 1.0
    assert result.metrics["aupr.auto_renewal"] == 1.0
    assert result.metrics["aupr_gain_ci_low"] <= result.metrics["aupr_gain_ci_high"]
    assert result.metrics["evidence_jaccard_hit_rate"] > 0.5
    assert [row["type"] for row in result.tables["types"]] == ["auto_renewal"]


def test_cuad_suite_caches_the_baseline(model: ClauseClassifier, tmp_path: Path) -> None:
    shared = _fake_cuad(tmp_path / "shared")
    context = EvalContext(shared_data=shared, options={"cache_dir": tmp_path / "cache"})
    first = CUAD_SUITE.run(model, context)
    assert len(list((tmp_path / "cache").glob("cuad-baseline-*.joblib"))) == 1
    second = CUAD_SUITE.run(model, context)
    assert first.metrics["baseline_macro_aupr"] == second.metrics["baseline_macro_aupr"]


def test_paired_bootstrap_gain_brackets_a_real_gain_and_not_a_tie() -> None:
    rng = np.random.default_rng(0)
    truth = rng.random((60, 3)) < 0.3
    perfect = truth.astype(float) + 0.01 * rng.random(truth.shape)
    noise = rng.random(truth.shape)
    low, high = paired_bootstrap_gain(truth, perfect, noise, resamples=100, seed=1)
    assert 0.0 < low <= high
    assert paired_bootstrap_gain(truth, noise, noise, resamples=50, seed=1) == (0.0, 0.0)
