# ruff: noqa: E501  (contract texts read better unbroken)
"""The grouped cross-validation over CUAD's train split, on a small fake CUAD folder."""

from __future__ import annotations

import json
from pathlib import Path

from evals.cuad import cross_validate, cv_fold
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
    # The presence head (trained on the other fold's contracts) keeps that order.
    assert row["ours"] == 1.0 and result["ours_macro_aupr"] == 1.0
    assert result["ours_max_fold_mean_macro_aupr"] == 1.0
    assert result["gain_ci_low"] <= result["gain_ci_high"]
