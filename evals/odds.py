"""Eval suite ``odds``: the project's own isolation-forest configuration
(``anomaly.model.make_isolation_forest``) on the classic ODDS outlier
benchmarks, next to the Isolation Forest paper's Table 3 (Liu, Ting and Zhou,
ICDM 2008: psi = 256, t = 100, fit and scored on all data).

Data: ``<shared_data>/odds`` as packaged by ADBench (``adbench_classical/*.npz``)
and PyOD (``pyod_odds_mat/*.mat``), keys ``X`` and ``y`` (1 = anomaly). Cite
ODDS (Rayana 2016) and ADBench (Han et al., NeurIPS 2022) with these numbers.
The suite is skipped, with the reason, when the folder is absent.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import roc_auc_score

from anomaly.model import make_isolation_forest
from evals.suite import EvalContext, EvalResult, Headline

__all__ = ["PAPER_AUC", "SUITE", "OddsSuite"]

# dataset -> (file under odds/, paper AUC, allowed gap)
PAPER_AUC: dict[str, tuple[str, float, float]] = {
    "http": ("adbench_classical/16_http.npz", 1.00, 0.03),
    "forestcover": ("adbench_classical/10_cover.npz", 0.88, 0.08),
    "smtp": ("adbench_classical/34_smtp.npz", 0.88, 0.03),
    "shuttle": ("adbench_classical/32_shuttle.npz", 1.00, 0.03),
    "mammography": ("adbench_classical/23_mammography.npz", 0.86, 0.03),
    "annthyroid": ("adbench_classical/2_annthyroid.npz", 0.82, 0.03),
    "satellite": ("adbench_classical/30_satellite.npz", 0.71, 0.03),
    "pima": ("adbench_classical/29_Pima.npz", 0.67, 0.03),
    "breastw": ("adbench_classical/4_breastw.npz", 0.99, 0.03),
    "arrhythmia": ("pyod_odds_mat/arrhythmia.mat", 0.80, 0.03),
    "ionosphere": ("adbench_classical/18_Ionosphere.npz", 0.85, 0.03),
}


def _load(path: Path) -> tuple[np.ndarray, np.ndarray]:
    if path.suffix == ".mat":
        from scipy.io import loadmat

        data = loadmat(path)
    else:
        data = np.load(path, allow_pickle=True)
    return np.asarray(data["X"], dtype=float), np.asarray(data["y"]).ravel().astype(int)


@dataclass(frozen=True)
class OddsSuite:
    name: str = "odds"
    model_short_name: str | None = None

    def run(self, model: Any, context: EvalContext) -> EvalResult:
        folder = context.shared_data / "odds" if context.shared_data is not None else None
        if folder is None or not folder.is_dir():
            return EvalResult(
                suite=self.name,
                model_short_name="",
                metrics={},
                headline={},
                skipped="the ODDS data folder (<shared data>/odds) is not present; pass --shared-data",
            )
        seeds = [context.seed] if context.quick else [context.seed + k for k in range(3)]
        rows: list[dict[str, Any]] = []
        metrics: dict[str, float] = {}
        missing = []
        for dataset, (relative, paper, allowed) in PAPER_AUC.items():
            path = folder / relative
            if not path.is_file():
                missing.append(dataset)
                continue
            features, labels = _load(path)
            started = time.perf_counter()
            aucs = []
            for seed in seeds:
                forest = make_isolation_forest(random_state=seed).fit(features)
                aucs.append(roc_auc_score(labels, -forest.score_samples(features)))
            auc = float(np.mean(aucs))
            gap = abs(auc - paper)
            rows.append(
                {
                    "dataset": dataset,
                    "n": len(labels),
                    "d": features.shape[1],
                    "anomaly_rate": round(float(labels.mean()), 4),
                    "auc": round(auc, 4),
                    "auc_std": round(float(np.std(aucs)), 4),
                    "paper_auc": paper,
                    "gap": round(gap, 4),
                    "allowed_gap": allowed,
                    "reproduced": gap <= allowed,
                    "seconds": round(time.perf_counter() - started, 2),
                }
            )
            metrics[f"auc_{dataset}"] = auc
        reproduced = [r["reproduced"] for r in rows]
        metrics["datasets"] = float(len(rows))
        metrics["reproduced_share"] = float(np.mean(reproduced)) if rows else float("nan")
        metrics["mean_auc"] = float(np.mean([r["auc"] for r in rows])) if rows else float("nan")
        metrics["max_gap"] = float(max((r["gap"] for r in rows), default=float("nan")))
        figures = []
        if rows:
            from evals.plots import bar_figure

            figures.append(
                (
                    "ODDS AUC (ours)",
                    bar_figure(
                        {r["dataset"]: r["auc"] for r in rows},
                        metric="AUC",
                        title="Isolation forest AUC on ODDS",
                    ),
                )
            )
        notes = [
            "IsolationForest(n_estimators=100, max_samples=256), fit and scored on all data, "
            f"mean over seeds {seeds}.",
            "Paper: Liu, Ting, Zhou, Isolation Forest, ICDM 2008, Table 3. Data: ODDS via ADBench/PyOD.",
        ]
        if missing:
            notes.append("missing files: " + ", ".join(missing))
        return EvalResult(
            suite=self.name,
            model_short_name="",
            metrics=metrics,
            headline={"reproduced_share": Headline(direction="higher", tolerance=0.0)},
            tables={"AUC against the paper": rows},
            figures=figures,
            notes=notes,
        )


SUITE = OddsSuite()
