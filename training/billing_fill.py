"""The learned billing fill's ModelSpec: ``billing-fill`` / ``handoff-billing-fill``.

Training data: every figure candidate (:func:`extraction.billing.candidates.find_candidates`) of
generated SOWs from the *train* families, labelled by the values the generator wrote. Only the
project's own generators: the hand-written realistic cases live in the test tree, which is not
package data, so the shipped model never depends on them. The reader's scores are then
calibrated (:func:`extraction.billing.calibration.fit_calibrator`) on held-out SOWs of the
*test* families, and its metrics are the reader's own precision and recall there on the eight
scalar figure fields.

Saved folder: ``model.joblib`` (the :class:`~extraction.billing.fill.LearnedBillingFill`) and
``meta.json`` (format version, fields, threshold, library version). ``load`` checks both and
raises :class:`~extraction.errors.BillingFillModelError` on anything unexpected.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Literal

from extraction.billing.calibration import fit_calibrator
from extraction.billing.candidates import (
    FIELD_KINDS,
    CandidateReader,
    FigureCandidate,
    find_candidates,
    labels_for,
)
from extraction.billing.fill import LearnedBillingFill
from extraction.errors import BillingFillModelError
from extraction.ingest import ingest
from training.model_folder import load_model_folder, save_model_folder
from training.sow_generator import generate_sows
from training.spec import ProgressCallback, TrainedModel, TrainingInputs

FORMAT_VERSION = 1
#: Generated training SOWs, keyed by ``quick``: the 300 of the experiment either way (quick train
#: 8.5 CPU s with MLflow logging, full 12.5 CPU s).
TRAIN_DOCUMENTS = {True: 300, False: 300}
#: Held-out SOWs (test families) for calibration and metrics, keyed by ``quick``.
HELD_OUT_DOCUMENTS = {True: 40, False: 120}

INPUT_EXAMPLE = [
    "STATEMENT OF WORK\n\nCeiling Price: USD 120,000\nInvoices are payable within thirty (30) days.",
]


def generated_examples(
    count: int, *, seed: int, split: Literal["train", "test"] = "train"
) -> tuple[list[list[FigureCandidate]], list[dict[str, Any]]]:
    """Candidates and expected figure values of ``count`` generated SOWs.

    The expected values are the generator's scalar figure fields and its rates and milestones
    (the reader's item models learn from those too).
    """
    docs, expected = [], []
    for sow in generate_sows(count, seed=seed, split=split):
        document = ingest(sow.text.encode("utf-8"), filename="sow.txt")
        docs.append(find_candidates([p.text for p in document.pages]))
        want: dict[str, Any] = {k: v["value"] for k, v in sow.billing.items() if k in FIELD_KINDS and v}
        for name in ("rates", "milestones"):
            want[name] = [item["value"] for item in sow.billing.get(name) or []]
        expected.append(want)
    return docs, expected


def reader_counts(
    reader: CandidateReader,
    documents: list[list[FigureCandidate]],
    expected: list[dict[str, Any]],
) -> dict[str, list[int]]:
    """Per scalar figure field ``[tp, fp, fn]`` of the reader alone (a wrong value is both)."""
    counts = {name: [0, 0, 0] for name in FIELD_KINDS}
    for candidates, want in zip(documents, expected, strict=True):
        found = reader.propose(candidates)
        for name in FIELD_KINDS:
            right = name in found and name in labels_for(found[name][0], want)
            counts[name][0] += right
            counts[name][1] += name in found and not right
            counts[name][2] += want.get(name) is not None and not right
    return counts


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall and F1 (1.0 for an empty denominator)."""
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def reader_metrics(counts: dict[str, list[int]]) -> dict[str, float]:
    """Micro precision / recall / F1 over the eight fields, and each field's F1."""
    tp, fp, fn = (sum(row[i] for row in counts.values()) for i in range(3))
    p, r, f1 = prf(tp, fp, fn)
    metrics = {"learned_precision": p, "learned_recall": r, "learned_f1": f1}
    for name, row in counts.items():
        metrics[f"learned_f1.{name}"] = prf(*row)[2]
    return metrics


def reader_params(seed: int) -> dict[str, Any]:
    """The :class:`CandidateReader` settings the spec trains with (those of the experiment)."""
    return {"threshold": 0.5, "C": 1.0, "n_features": 2**18, "random_state": seed}


class BillingFillSpec:
    """Builds, saves and loads the learned billing fill."""

    short_name = "billing-fill"
    registered_name = "handoff-billing-fill"

    def train(self, inputs: TrainingInputs, *, progress: ProgressCallback | None = None) -> TrainedModel:
        """Fit the candidate reader on generated SOWs, calibrate it on held-out ones."""
        report = progress or (lambda _d, _c, _t: None)
        count, held = TRAIN_DOCUMENTS[inputs.quick], HELD_OUT_DOCUMENTS[inputs.quick]
        report("generating SOWs", 0, 3)
        docs, expected = generated_examples(count, seed=inputs.seed)
        report("fitting", 1, 3)
        params = reader_params(inputs.seed)
        reader = CandidateReader(**params).fit(docs, expected)
        report("calibrating", 2, 3)
        test_docs, test_expected = generated_examples(held, seed=inputs.seed + 1, split="test")
        samples = [
            (name, score, name in labels_for(candidate, want))
            for candidates, want in zip(test_docs, test_expected, strict=True)
            for name, (candidate, _value, score) in reader.propose(candidates).items()
        ]
        sources = {"generated_documents": count, "held_out_documents": held, "realistic_cases": 0}
        fill = LearnedBillingFill(reader=reader, calibrator=fit_calibrator(samples), training_sources=sources)
        metrics = reader_metrics(reader_counts(reader, test_docs, test_expected))
        report("done", 3, 3)
        digest = hashlib.sha256()
        for candidates, want in zip(docs, expected, strict=True):
            for c in candidates:
                digest.update(f"{c.kind}|{c.value}|{' '.join(c.tokens)}\n".encode())
            digest.update(json.dumps(want, sort_keys=True, default=str).encode("utf-8"))
        return TrainedModel(
            model=fill,
            params={**params, "quick": inputs.quick, **sources, "fields": ",".join(FIELD_KINDS)},
            metrics=metrics,
            data_sha256=digest.hexdigest(),
            input_example=list(INPUT_EXAMPLE),
        )

    def save(self, model: Any, directory: Path) -> None:
        if not isinstance(model, LearnedBillingFill):
            raise BillingFillModelError(f"expected a LearnedBillingFill, got {type(model).__name__}")
        save_model_folder(
            model,
            directory,
            {"fields": sorted(model.reader.models_), "threshold": model.reader.threshold},
            format_version=FORMAT_VERSION,
        )

    def load(self, directory: Path) -> LearnedBillingFill:
        model, meta = load_model_folder(
            directory, what="billing fill model", format_version=FORMAT_VERSION, error=BillingFillModelError
        )
        if not isinstance(model, LearnedBillingFill) or not hasattr(model.reader, "models_"):
            raise BillingFillModelError("billing fill model file does not hold a fitted LearnedBillingFill")
        if sorted(model.reader.models_) != meta.get("fields"):
            raise BillingFillModelError("billing fill model fields do not match its metadata")
        return model

    def predict(self, model: LearnedBillingFill, rows: Any) -> list[str]:
        """Batch scoring for the pyfunc wrapper: the ``input`` column of texts -> JSON proposals."""
        out = []
        for text in rows["input"]:
            found = model.proposals([str(text)])
            out.append(json.dumps({name: value for name, (_c, value, _s) in sorted(found.items())}))
        return out


SPEC = BillingFillSpec()

__all__ = [
    "HELD_OUT_DOCUMENTS",
    "INPUT_EXAMPLE",
    "SPEC",
    "TRAIN_DOCUMENTS",
    "BillingFillSpec",
    "generated_examples",
    "reader_counts",
    "reader_metrics",
    "reader_params",
]
