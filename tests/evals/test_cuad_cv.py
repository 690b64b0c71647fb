# ruff: noqa: E501  (contract texts read better unbroken)
"""The grouped cross-validation over CUAD's train split, on a small fake CUAD folder, and the
contract-level presence stage it measures."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from evals.cuad import PRESENCE_SIGNALS, cross_validate, cv_fold, presence_signals, presence_stage
from extraction.clauses import ClauseClassifier, clause_features_text, clause_scores, cued_types
from extraction.segment import segment_text
from training.cuad_data import cuad_split

_LAW = "This Agreement shall be governed by the laws of the State of New York, without regard to conflicts of law."
_RENEW = "Thereafter this Agreement renews automatically for successive one year terms unless either party objects."
_FILLER = (
    "The Distributor shall keep a showroom in the Territory and send the Company a quarterly sales report.",
    "All notices shall be in writing and delivered by courier to the addresses set out above.",
    "The Company shall supply marketing materials in English and the Distributor may translate them.",
)


def _fake_train_split(root: Path, contracts: int) -> Path:
    folder = root / "cuad"
    (folder / "txt").mkdir(parents=True)
    titles = [t for t in (f"supply-{i}" for i in range(200)) if cuad_split(t) == "train"][:contracts]
    lines = []
    for n, title in enumerate(titles):
        paragraphs = [_FILLER[n % 3], _LAW, _FILLER[(n + 1) % 3]] + ([_RENEW] if n % 2 == 0 else [])
        text = "\n\n".join(paragraphs) + "\n"
        (folder / "txt" / f"{title}.txt").write_text(text, encoding="utf-8")
        labels: dict[str, dict[str, list[dict[str, object]]]] = {}
        for category, clause in (("Governing Law", _LAW), ("Renewal Term", _RENEW)):
            if clause in text:
                start = text.index(clause)
                labels[category] = {"spans": [{"text": clause, "start": start, "end": start + len(clause)}]}
        lines.append(json.dumps({"title": title, "txt_file": f"{title}.txt", "labels": labels}))
    (folder / "spans.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def test_cv_folds_are_fixed_by_title() -> None:
    assert cv_fold("a contract", 5) == cv_fold("a contract", 5)
    assert {cv_fold(f"contract {i}", 3) for i in range(50)} == {0, 1, 2}


def test_cross_validation_scores_ours_and_the_baseline_on_the_same_folds(tmp_path: Path) -> None:
    folder = _fake_train_split(tmp_path, contracts=12)
    result = cross_validate(folder, folds=2, baseline_cs=(1.0, 8.0), documents=8)
    assert result["contracts"] == 12 and result["folds"] == 2
    assert len(result["baseline_C_per_fold"]) == 2
    assert set(result["baseline_C_per_fold"]) <= {1.0, 8.0}
    # Every contract has governing law, so only renewal can be ranked.
    (row,) = result["types"]
    assert row["type"] == "auto_renewal" and row["contracts_with_type"] == 6
    # The renewal paragraph is in exactly the contracts that have the type: both rank them first.
    assert row["ours_max"] == 1.0 and row["baseline"] == 1.0
    assert 0.0 <= result["ours_presence_macro_aupr"] <= 1.0
    assert result["ours_max_fold_mean_macro_aupr"] == 1.0
    assert result["gain_ci_low"] <= result["gain_ci_high"]


_TINY = [
    ("This SOW renews automatically for successive one year terms.", {"auto_renewal"}),
    ("The term shall automatically renew unless notice of non-renewal is given.", {"auto_renewal"}),
    ("This SOW is governed by the laws of England and Wales.", {"governing_law"}),
    ("The laws of the State of New York govern this agreement.", {"governing_law"}),
    ("The kickoff meeting takes place in the client's offices.", set()),
    ("Weekly status reports summarise progress and risks.", set()),
]


@pytest.fixture(scope="module")
def tiny_model() -> ClauseClassifier:
    texts = [clause_features_text(t) for t, _ in _TINY] * 3
    labels = [y for _, y in _TINY] * 3
    return ClauseClassifier(labels=["auto_renewal", "governing_law"], min_df=1, calibration_cv=2).fit(
        texts, labels
    )


def test_presence_signals_describe_the_documents_clauses(tiny_model: ClauseClassifier) -> None:
    text = "\n\n".join([_TINY[4][0], "GOVERNING LAW", _TINY[2][0], _TINY[3][0], _TINY[5][0]]) + "\n"
    clauses = [c for c in segment_text(text) if len(c.text.split()) >= 4]
    scores = clause_scores(tiny_model, clauses)
    classes = list(tiny_model.classes_)
    signals = presence_signals(clauses, scores.probability, scores.clause, classes)
    assert signals.shape == (len(classes), len(PRESENCE_SIGNALS))
    law = classes.index("governing_law")
    column = scores.probability[:, law]
    row = dict(zip(PRESENCE_SIGNALS, signals[law], strict=True))
    best = np.clip(column.max(), 1e-12, 1 - 1e-12)  # a certain clause is no infinite evidence
    assert row["best_logit"] == pytest.approx(np.log(best / (1 - best)), abs=1e-6)
    assert row["log_clauses_over_half"] == pytest.approx(np.log1p((column >= 0.5).sum()))
    assert row["best_logit"] >= row["top3_mean_logit"]
    heading = clauses[int(column.argmax())].heading
    assert row["best_heading_cued"] == float("governing_law" in cued_types(heading))
    # The document's own probability, which the suite ranks contracts by, is its best clause's.
    assert np.array_equal(scores.document, scores.probability.max(axis=0))


def test_presence_stage_ranks_documents_by_their_signals(tiny_model: ClauseClassifier) -> None:
    documents = {
        "law": [_TINY[2][0], _TINY[4][0]],
        "both_laws": [_TINY[2][0], _TINY[3][0], _TINY[5][0]],
        "none": [_TINY[4][0], _TINY[5][0]],
        "renewal": [_TINY[0][0], _TINY[5][0]],
    }
    law = list(tiny_model.classes_).index("governing_law")

    def law_signals(paragraphs: list[str]) -> np.ndarray:
        clauses = segment_text("\n\n".join(paragraphs) + "\n")
        scores = clause_scores(tiny_model, clauses)
        return presence_signals(clauses, scores.probability, scores.clause, list(tiny_model.classes_))[law]

    signals = np.stack([law_signals(p) for p in documents.values() for _ in range(3)])
    target = np.array([int("law" in name) for name in documents for _ in range(3)])
    stage = presence_stage(signals, target)
    with_law = law_signals([_TINY[3][0], _TINY[4][0]])
    without = law_signals([_TINY[4][0], _TINY[1][0]])
    assert stage.predict_proba(with_law[None])[0, 1] > 0.5 > stage.predict_proba(without[None])[0, 1]
