"""Eval suite ``cuad``: real contracts labelled by lawyers (``../shared/data/cuad``).

On the fixed dev split of :mod:`training.cuad_data` (by contract, ~20%):

- **presence**: for each of the 19 mapped CUAD categories (18 of our types), a
  contract's score is the model's document-level probability
  (``clause_scores(...).document``: the highest probability any clause gets, blended with
  the model's CUAD presence head when it has one); scored with AUPR
  (``average_precision_score``) per type and macro-averaged, and with macro-F1 of the
  findings (the best clause at the model's thresholds);
- **baseline**: TF-IDF word 1-2 grams + one-vs-rest logistic regression trained
  on the train split's paragraphs (labelled by overlap with the lawyers'
  spans), the same contract-level max, the same metrics; its ``C`` is the one
  3-fold cross-validation by contract on the train split chose (see
  :data:`BASELINE_C`), so the comparison is with a tuned baseline;
- **gain**: model minus baseline macro AUPR with a 95% paired bootstrap interval
  over dev contracts (with a few positive contracts per type, a gain of a
  hundredth is inside the noise);
- **evidence**: for each present type, the model's top evidence (the sentence
  run it would quote) against the labelled spans, a hit when the word-set
  Jaccard (lower-cased, ``. , ; :`` stripped) reaches 0.5, as the CUAD paper
  scores it; the baseline's top paragraph is scored the same way.

Skipped, with the reason, when CUAD is absent. ``context.quick`` uses fewer
contracts; ``context.options["cache_dir"]`` keeps the fitted baseline between
runs. The model scored is the one the suite is given (the registered champion);
the notes say whether it was trained with CUAD.
"""

from __future__ import annotations

import hashlib
import re
import warnings
from pathlib import Path
from typing import Any

import joblib
import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score

from evals.plots import bar_figure
from evals.suite import EvalContext, EvalResult, Headline
from extraction.clauses import ClauseClassifier, clause_scores, evidence_span
from extraction.segment import segment_text, segmentation_pipeline
from training.cuad_data import (
    MAPPED_TYPES,
    CuadContract,
    cuad_folder,
    paragraph_labels,
    paragraph_spans,
    read_cuad,
)

_STRIP = re.compile(r"[.,;:]")
#: The baseline's inverse regularisation: contract-level macro AUPR in 3-fold CV by
#: contract on the train split (328 contracts) was 0.757 / 0.783 / 0.808 / 0.813 at
#: C = 0.5 / 2 / 8 / 32.
BASELINE_C = 32.0
BOOTSTRAP_RESAMPLES = 200


def jaccard(a: str, b: str) -> float:
    """Word-set Jaccard as the CUAD paper computes it."""
    x, y = set(_STRIP.sub("", a.lower()).split()), set(_STRIP.sub("", b.lower()).split())
    return len(x & y) / len(x | y) if x | y else 0.0


def _macro(values: dict[str, float]) -> float:
    return float(np.mean(list(values.values()))) if values else 0.0


def paired_bootstrap_gain(
    truth: np.ndarray, model_scores: np.ndarray, baseline_scores: np.ndarray, *, resamples: int, seed: int
) -> tuple[float, float]:
    """95% interval of (model - baseline) macro AUPR over resamples of the contracts
    (rows); a type enters a resample's macro only when it has positives and negatives."""
    rng = np.random.default_rng(seed)
    gains: list[float] = []
    n = len(truth)
    for _ in range(resamples):
        rows = rng.integers(0, n, n)
        sample = truth[rows]
        counts = sample.sum(axis=0)
        columns = [k for k in range(sample.shape[1]) if 0 < counts[k] < n]
        if not columns:
            continue
        ours = [average_precision_score(sample[:, k], model_scores[rows, k]) for k in columns]
        theirs = [average_precision_score(sample[:, k], baseline_scores[rows, k]) for k in columns]
        gains.append(float(np.mean(ours) - np.mean(theirs)))
    if not gains:
        return 0.0, 0.0
    return float(np.percentile(gains, 2.5)), float(np.percentile(gains, 97.5))


def _f1(truth: np.ndarray, predicted: np.ndarray) -> float:
    tp = int((truth & predicted).sum())
    fp = int((~truth & predicted).sum())
    fn = int((truth & ~predicted).sum())
    return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0


def fit_baseline(
    texts: list[str], labels: list[set[str]], *, C: float = BASELINE_C
) -> tuple[TfidfVectorizer, dict[str, LogisticRegression]]:
    """The baseline: TF-IDF word 1-2 grams and one logistic regression per mapped type."""
    vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, max_features=200_000)
    features = vectorizer.fit_transform(texts)
    models: dict[str, LogisticRegression] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for clause_type in MAPPED_TYPES:
            target = np.array([clause_type in labs for labs in labels], dtype=int)
            if 0 < target.sum() < len(target):
                models[clause_type] = LogisticRegression(
                    C=C, solver="liblinear", dual=True, max_iter=2000
                ).fit(features, target)
    return vectorizer, models


def _paragraphs(contracts: list[CuadContract]) -> tuple[list[str], list[set[str]]]:
    texts: list[str] = []
    labels: list[set[str]] = []
    for contract in contracts:
        spans = paragraph_spans(contract)
        texts.extend(contract.text[s:e] for s, e in spans)
        labels.extend(paragraph_labels(contract, spans))
    return texts, labels


class CuadSuite:
    name = "cuad"
    model_short_name = "clauses"

    def _baseline(self, train: list[CuadContract]) -> tuple[TfidfVectorizer, dict[str, LogisticRegression]]:
        return fit_baseline(*_paragraphs(train))

    def _cached_baseline(
        self, train: list[CuadContract], cache_dir: Any
    ) -> tuple[TfidfVectorizer, dict[str, LogisticRegression]]:
        """The baseline, fitted once per train split when ``options["cache_dir"]`` is given
        (it is most of the suite's time and does not depend on the model under test)."""
        if cache_dir is None:
            return self._baseline(train)
        digest = hashlib.sha256(f"C={BASELINE_C}".encode("ascii"))
        for contract in train:
            digest.update(contract.title.encode("utf-8"))
            digest.update(str(len(contract.text)).encode("ascii"))
        path = Path(cache_dir) / f"cuad-baseline-{digest.hexdigest()[:16]}.joblib"
        if path.is_file():
            try:
                cached = joblib.load(path)
                return cached["vectorizer"], cached["models"]
            except Exception:  # a damaged cache is refitted, never trusted
                path.unlink(missing_ok=True)
        vectorizer, models = self._baseline(train)
        path.parent.mkdir(parents=True, exist_ok=True)
        joblib.dump({"vectorizer": vectorizer, "models": models}, path)
        return vectorizer, models

    def run(self, model: Any, context: EvalContext) -> EvalResult:
        folder = cuad_folder(context.shared_data)
        if folder is None:
            return EvalResult(
                suite=self.name,
                model_short_name=self.model_short_name,
                metrics={},
                headline={},
                skipped="CUAD is not available (pass --shared-data pointing at a folder with cuad/)",
            )
        if not isinstance(model, ClauseClassifier):
            raise TypeError(f"the cuad suite scores a ClauseClassifier, got {type(model).__name__}")
        dev = list(read_cuad(folder, split="dev", limit=30 if context.quick else None))
        train = list(read_cuad(folder, split="train", limit=80 if context.quick else None))
        types = [t for t in MAPPED_TYPES if t in set(model.classes_)]
        columns = {str(label): j for j, label in enumerate(model.classes_)}
        truth = np.array([[t in c.types for t in types] for c in dev], dtype=bool)

        nlp = segmentation_pipeline()
        model_scores = np.zeros((len(dev), len(types)))
        # Findings are the clauses at or above the threshold: F1 is scored on the best clause.
        best_clause = np.zeros((len(dev), len(types)))
        evidence_hits: dict[str, list[int]] = {t: [] for t in types}
        for i, contract in enumerate(dev):
            clauses = [c for c in segment_text(contract.text, nlp=nlp) if len(c.text.split()) >= 4]
            if not clauses:
                continue
            # The extractor's own scores: the document-level probability, and the evidence
            # detect_clauses would quote from the best clause (sentence-raised).
            scores = clause_scores(model, clauses, contract.text)
            for k, clause_type in enumerate(types):
                column = scores.probability[:, columns[clause_type]]
                best = int(np.argmax(column))
                model_scores[i, k] = scores.document[columns[clause_type]]
                best_clause[i, k] = column[best]
                if not truth[i, k]:
                    continue
                start, end = evidence_span(clauses[best], columns[clause_type], scores, best)
                quote = contract.text[start:end]
                spans = [s.text for s in contract.spans if s.clause_type == clause_type]
                evidence_hits[clause_type].append(int(max(jaccard(quote, s) for s in spans) >= 0.5))

        vectorizer, baseline = self._cached_baseline(train, context.options.get("cache_dir"))
        baseline_scores = np.zeros((len(dev), len(types)))
        baseline_hits: dict[str, list[int]] = {t: [] for t in types}
        for i, contract in enumerate(dev):
            bounds = paragraph_spans(contract)
            if not bounds:
                continue
            paragraphs = [contract.text[a:b] for a, b in bounds]
            features = vectorizer.transform(paragraphs)
            for k, clause_type in enumerate(types):
                if clause_type not in baseline:
                    continue
                column = baseline[clause_type].predict_proba(features)[:, 1]
                best = int(np.argmax(column))
                baseline_scores[i, k] = column[best]
                if truth[i, k]:
                    labelled = [s.text for s in contract.spans if s.clause_type == clause_type]
                    baseline_hits[clause_type].append(
                        int(max(jaccard(paragraphs[best], s) for s in labelled) >= 0.5)
                    )

        thresholds = np.array([model.thresholds_[t] for t in types])
        rows: list[dict[str, Any]] = []
        aupr: dict[str, float] = {}
        base_aupr: dict[str, float] = {}
        f1: dict[str, float] = {}
        base_f1: dict[str, float] = {}
        for k, clause_type in enumerate(types):
            positives = int(truth[:, k].sum())
            if positives == 0 or positives == len(dev):
                continue
            aupr[clause_type] = float(average_precision_score(truth[:, k], model_scores[:, k]))
            base_aupr[clause_type] = float(average_precision_score(truth[:, k], baseline_scores[:, k]))
            f1[clause_type] = _f1(truth[:, k], best_clause[:, k] >= thresholds[k])
            base_f1[clause_type] = _f1(truth[:, k], baseline_scores[:, k] >= 0.5)
            hits = evidence_hits[clause_type]
            rows.append({
                "type": clause_type, "dev_contracts_with_type": positives,
                "aupr": round(aupr[clause_type], 4), "baseline_aupr": round(base_aupr[clause_type], 4),
                "f1": round(f1[clause_type], 4), "baseline_f1": round(base_f1[clause_type], 4),
                "evidence_hit_rate": round(float(np.mean(hits)), 4) if hits else None,
            })  # fmt: skip
        scored = [k for k, t in enumerate(types) if t in aupr]
        gain_low, gain_high = paired_bootstrap_gain(
            truth[:, scored],
            model_scores[:, scored],
            baseline_scores[:, scored],
            resamples=BOOTSTRAP_RESAMPLES,
            seed=context.seed,
        )
        all_hits = [h for hs in evidence_hits.values() for h in hs]
        all_base_hits = [h for hs in baseline_hits.values() for h in hs]
        metrics = {
            "macro_aupr": _macro(aupr),
            "baseline_macro_aupr": _macro(base_aupr),
            "aupr_gain_over_baseline": _macro(aupr) - _macro(base_aupr),
            "aupr_gain_ci_low": gain_low,
            "aupr_gain_ci_high": gain_high,
            "macro_f1": _macro(f1),
            "baseline_macro_f1": _macro(base_f1),
            "evidence_jaccard_hit_rate": float(np.mean(all_hits)) if all_hits else 0.0,
            "baseline_paragraph_jaccard_hit_rate": float(np.mean(all_base_hits)) if all_base_hits else 0.0,
            "dev_contracts": float(len(dev)),
            "train_contracts_for_baseline": float(len(train)),
        }
        for clause_type, value in aupr.items():
            metrics[f"aupr.{clause_type}"] = value
        trained_on = getattr(model, "training_sources_", {})
        figures = [
            ("AUPR per type (model)", bar_figure(aupr, metric="AUPR")),
            ("AUPR per type (TF-IDF + LR baseline)", bar_figure(base_aupr, metric="AUPR")),
        ]
        return EvalResult(
            suite=self.name,
            model_short_name=self.model_short_name,
            metrics=metrics,
            headline={
                "macro_aupr": Headline("higher", 0.01),
                "evidence_jaccard_hit_rate": Headline("higher", 0.02),
            },
            tables={"types": rows},
            figures=figures,
            notes=[
                f"dev split: {len(dev)} contracts; the baseline (TF-IDF word 1-2 grams, min_df 2, "
                f"sublinear tf, liblinear logistic regression C={BASELINE_C:g}) is trained on "
                f"{len(train)} train-split contracts.",
                f"gain over the baseline {_macro(aupr) - _macro(base_aupr):+.3f} macro AUPR, 95% paired "
                f"bootstrap interval [{gain_low:+.3f}, {gain_high:+.3f}] ({BOOTSTRAP_RESAMPLES} resamples "
                "of the dev contracts).",
                "model = the clause classifier given to the suite; trained with CUAD's train split: "
                f"{bool(trained_on.get('cuad'))}.",
            ],
        )


SUITE = CuadSuite()

#: Folds of the grouped cross-validation over the train split (:func:`cross_validate`).
CV_FOLDS = 5
CV_BASELINE_CS = (8.0, 32.0)


def cv_fold(title: str, folds: int = CV_FOLDS) -> int:
    """A train contract's cross-validation fold (fixed by its title, whole contracts)."""
    return hashlib.sha256(f"cv:{title}".encode()).digest()[0] % folds


def _macro_aupr(truth: np.ndarray, scores: np.ndarray, types: list[str]) -> dict[str, float]:
    return {
        t: float(average_precision_score(truth[:, k], scores[:, k]))
        for k, t in enumerate(types)
        if 0 < truth[:, k].sum() < len(truth)
    }


def cross_validate(
    folder: Path,
    *,
    folds: int = CV_FOLDS,
    baseline_cs: tuple[float, ...] = CV_BASELINE_CS,
    seed: int = 42,
    documents: int = 400,
) -> dict[str, Any]:
    """Grouped ``folds``-fold cross-validation over CUAD's train split: ours against the
    baseline on the same folds, contract-level macro AUPR of the pooled out-of-fold
    scores (dev's 79 contracts give about +-0.025; this gives four times the contracts).

    Ours is trained as :mod:`training.clauses` trains it (its generated training set plus
    the other folds' contracts, and its presence head on those contracts) and ranks
    contracts by ``clause_scores(...).document`` (``ours``: the best clause blended with the
    presence head); ``ours_max`` is the clause model's best clause alone. ``gain_ci_*`` is
    the 95% paired bootstrap interval of ``ours`` minus the baseline over the contracts
    (``ours_max_gain_ci_*`` the same for ``ours_max``). The baseline's C is chosen per
    fold among ``baseline_cs`` by the macro AUPR its out-of-fold scores reach on the
    other folds (the candidates' models for those folds did see the held-out fold's
    paragraphs in training, never its scores).
    """
    from training.clauses import (
        classifier_params,
        fit_presence_head,
        generated_training_set,
        segmented_contracts,
    )
    from training.cuad_data import merge_examples

    contracts = segmented_contracts(folder)
    generated = generated_training_set(documents, seed=seed, quick=False)
    fold_of = np.array([cv_fold(c.contract.title, folds) for c in contracts])
    types = list(MAPPED_TYPES)
    truth = np.array([[t in c.contract.types for t in types] for c in contracts], dtype=bool)
    best_clause = np.zeros(truth.shape)
    presence = np.zeros(truth.shape)
    baseline = {C: np.zeros(truth.shape) for C in baseline_cs}
    paragraphs = [_paragraphs([c.contract]) for c in contracts]
    for fold in range(folds):
        kept = [i for i in range(len(contracts)) if fold_of[i] != fold]
        held = [i for i in range(len(contracts)) if fold_of[i] == fold]
        cuad = merge_examples(ex for i in kept for ex in contracts[i].examples)
        known: list[set[str] | None] = [None] * len(generated[0])
        model = ClauseClassifier(**classifier_params(seed)).fit(
            generated[0] + cuad.texts, generated[1] + cuad.labels, known=known + list(cuad.known)
        )
        fit_presence_head(model, [contracts[i] for i in kept])
        columns = [list(model.classes_).index(t) for t in types]
        for i in held:
            clauses = contracts[i].clauses
            if not clauses:
                continue
            scores = clause_scores(model, clauses, contracts[i].contract.text)
            best_clause[i] = scores.probability[:, columns].max(axis=0)
            presence[i] = scores.document[columns]
        texts = [p for i in kept for p in paragraphs[i][0]]
        labels = [lab for i in kept for lab in paragraphs[i][1]]
        for C in baseline_cs:
            vectorizer, models = fit_baseline(texts, labels, C=C)
            for i in held:
                if not paragraphs[i][0]:
                    continue
                features = vectorizer.transform(paragraphs[i][0])
                for k, t in enumerate(types):
                    if t in models:
                        baseline[C][i, k] = models[t].predict_proba(features)[:, 1].max()
    tuned = np.zeros(truth.shape)
    chosen: list[float] = []
    for fold in range(folds):
        train, test = fold_of != fold, fold_of == fold
        C = max(baseline_cs, key=lambda c: _macro(_macro_aupr(truth[train], baseline[c][train], types)))
        chosen.append(C)
        tuned[test] = baseline[C][test]
    by_C = {f"baseline_C{c:g}_macro_aupr": _macro(_macro_aupr(truth, b, types)) for c, b in baseline.items()}
    ours_max = _macro_aupr(truth, best_clause, types)
    ours = _macro_aupr(truth, presence, types)
    theirs = _macro_aupr(truth, tuned, types)

    def within_folds(scores: np.ndarray) -> float:
        # Each fold is scored by its own models; pooling folds also ranks their offsets.
        per_fold = [_macro_aupr(truth[fold_of == f], scores[fold_of == f], types) for f in range(folds)]
        return float(np.mean([_macro(values) for values in per_fold]))

    ranked = [k for k, t in enumerate(types) if t in theirs]
    gain_low, gain_high = paired_bootstrap_gain(
        truth[:, ranked], presence[:, ranked], tuned[:, ranked], resamples=BOOTSTRAP_RESAMPLES, seed=seed
    )
    max_low, max_high = paired_bootstrap_gain(
        truth[:, ranked], best_clause[:, ranked], tuned[:, ranked], resamples=BOOTSTRAP_RESAMPLES, seed=seed
    )
    return {
        "contracts": len(contracts),
        "folds": folds,
        "gain_ci_low": gain_low,
        "gain_ci_high": gain_high,
        "ours_macro_aupr": _macro(ours),
        "ours_max_macro_aupr": _macro(ours_max),
        "ours_max_gain_ci_low": max_low,
        "ours_max_gain_ci_high": max_high,
        "baseline_macro_aupr": _macro(theirs),
        "ours_fold_mean_macro_aupr": within_folds(presence),
        "ours_max_fold_mean_macro_aupr": within_folds(best_clause),
        "baseline_fold_mean_macro_aupr": within_folds(tuned),
        "baseline_C_per_fold": chosen,
        **by_C,
        "types": [
            {
                "type": t,
                "contracts_with_type": int(truth[:, types.index(t)].sum()),
                "ours": round(ours[t], 4),
                "ours_max": round(ours_max[t], 4),
                "baseline": round(theirs[t], 4),
            }
            for t in ours_max
        ],
    }


def main(argv: list[str] | None = None) -> None:
    """``python -m evals.cuad --shared-data DIR``: the grouped cross-validation, as JSON."""
    import argparse
    import json

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--shared-data", type=Path, required=True)
    parser.add_argument("--folds", type=int, default=CV_FOLDS)
    args = parser.parse_args(argv)
    folder = cuad_folder(args.shared_data)
    if folder is None:
        raise SystemExit(f"no CUAD under {args.shared_data}")
    print(json.dumps(cross_validate(folder, folds=args.folds), indent=2))


if __name__ == "__main__":
    main()

__all__ = [
    "BASELINE_C",
    "CV_FOLDS",
    "SUITE",
    "CuadSuite",
    "cross_validate",
    "cv_fold",
    "fit_baseline",
    "jaccard",
    "paired_bootstrap_gain",
]
