"""The clause classifier's ModelSpec: ``clauses`` / ``handoff-clauses``.

Training data: clause segments of generated SOWs from the *train* families
(segmented by the same pipeline the service uses, so training sees what
inference sees), plus their sentences as evidence-grain examples, plus a
phrasebook of every train writer's drafts outside any document (so no phrasing is
in one seed's training set and missing from the next), plus, when
``inputs.shared_data`` holds CUAD, the clauses of CUAD's train split at the same
grain (:func:`segmented_contracts`, :func:`training.cuad_data.contract_examples`), each one informing only
the mapped types it can speak for (``fit(known=...)``), plus the hand-written clause cases of
other firms (:mod:`training.handwritten_clauses`; ``ClauseSpec(handwritten_batches=...)``
takes only some batches, which is how ``evals.clauses_later_batches`` judges them on the
batches after). Without ``../shared`` the model trains on generated and hand-written data.

With CUAD, the model also gets a presence head (:func:`fit_presence_head`): a CUAD-only
logistic regression per mapped type whose best clause is blended into the contract-level
presence score (``clause_scores(...).document``), never into the clause findings. A
presence stage fitted on out-of-fold contract signals of the clause model alone moved
CUAD macro AUPR by -0.0001 to +0.003 within folds and was dropped; the head, a second
opinion with CUAD's own definitions, moved it 0.827 -> 0.839 (``docs/extraction.md``).

Saved folder: ``model.joblib`` (the fitted :class:`ClauseClassifier`, whose
calibrators are inside it) and ``meta.json`` (format version, label set,
thresholds, library versions). ``load`` checks both and raises
:class:`~extraction.errors.ClauseModelError` on anything unexpected.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from extraction.clauses import ClauseClassifier, clause_features_text, party_names
from extraction.errors import ClauseModelError
from extraction.schemas import CLAUSE_TYPES
from extraction.segment import Clause, segment_text, segmentation_pipeline
from training.cuad_data import (
    HARD_NEGATIVE_TYPES,
    MAPPED_TYPES,
    CuadContract,
    contract_examples,
    cuad_folder,
    merge_examples,
    presence_examples,
    read_cuad,
)
from training.handwritten_clauses import handwritten_examples
from training.model_folder import load_model_folder, save_model_folder
from training.sow_generator import GeneratedSow, generate_sows, phrasebook
from training.spec import ProgressCallback, TrainedModel, TrainingInputs

_LABEL = re.compile(r"^\s*(?:\d{1,2}(?:\.\d{1,3}){0,3}\.?|\([a-z0-9]{1,4}\))\s+")
FORMAT_VERSION = 1
#: Weight of a CUAD example against a generated one (each type's fit and calibrator).
CUAD_WEIGHT = 1.0
#: Share of a CUAD contract's unlabelled clauses that are negatives for every mapped type
#: (:func:`training.cuad_data.contract_examples`).
CUAD_SAMPLE_SHARE = 0.1

INPUT_EXAMPLE = [
    "Client may terminate this SOW for convenience on fifteen (15) days' written notice.",
    "This SOW shall automatically renew for successive 12-month periods unless either party gives "
    "ninety (90) days' notice of non-renewal.",
]


def generated_examples(sows: list[GeneratedSow]) -> tuple[list[str], list[set[str]]]:
    """(feature texts, label sets) for the segments and sentences of generated SOWs."""
    nlp = segmentation_pipeline()
    texts: list[str] = []
    labels: list[set[str]] = []
    for sow in sows:
        quotes = [(c.quote, c.type) for c in sow.clauses if c.quote]
        text = sow.text
        parties = party_names(text)
        for clause in segment_text(text, nlp=nlp):
            types = {t for q, t in quotes if q in clause.text or clause.text in q}
            texts.append(clause_features_text(clause.text, clause.heading, parties))
            labels.append(types)
            if types and 1 < len(clause.sentences) <= 4:
                # Each sentence is labelled by the clauses it belongs to, so a fee
                # paragraph that mixes topics teaches each sentence its own type.
                for sentence in clause.sentences:
                    body = _LABEL.sub("", sentence.text)
                    own = {t for q, t in quotes if body in q or q in body}
                    texts.append(clause_features_text(sentence.text, clause.heading, parties))
                    labels.append(own)
    return texts, labels


#: Drafts per clause writer in the phrasebook (:func:`training.sow_generator.phrasebook`).
PHRASEBOOK_PER_WRITER = {True: 4, False: 8}  # keyed by quick


def phrasebook_examples(per_writer: int, *, seed: int) -> tuple[list[str], list[set[str]]]:
    """(feature texts, label sets) for the phrasebook's drafts, each read as a clause of a
    document whose preamble defines its two labels (so they fold as in documents)."""
    texts: list[str] = []
    labels: list[set[str]] = []
    for text, clause_type, (firm, client) in phrasebook(per_writer, seed=seed):
        parties = party_names(f'Northwind Ltd ("{firm}") and Acme plc ("{client}").\n{text}')
        texts.append(clause_features_text(text, "", parties))
        labels.append({clause_type} if clause_type else set())
    return texts, labels


def deduplicate(texts: list[str], labels: list[set[str]]) -> tuple[list[str], list[set[str]]]:
    """One example per distinct feature text (labels merged): generated boilerplate
    repeats across documents, and repeats only slow the fit."""
    merged: dict[str, set[str]] = {}
    for text, labs in zip(texts, labels, strict=True):
        merged.setdefault(text, set()).update(labs)
    return list(merged), list(merged.values())


def generated_training_set(count: int, *, seed: int, quick: bool) -> tuple[list[str], list[set[str]], int]:
    """The generated part of the training set: ``count`` train-family SOWs and the
    phrasebook (:data:`PHRASEBOOK_PER_WRITER`), deduplicated; (texts, label sets, drafts
    taken from the phrasebook). :meth:`ClauseSpec.train` and the CUAD cross-validation
    (:func:`evals.cuad.cross_validate`) both train on it."""
    doc_texts, doc_labels = generated_examples(generate_sows(count, seed=seed, split="train"))
    book_texts, book_labels = phrasebook_examples(PHRASEBOOK_PER_WRITER[quick], seed=seed)
    texts, labels = deduplicate(doc_texts + book_texts, doc_labels + book_labels)
    return texts, labels, len(book_texts)


def classifier_params(seed: int) -> dict[str, Any]:
    """The :class:`ClauseClassifier` settings the spec trains with."""
    return {
        "word_ngram_range": (1, 2),
        "char_ngram_range": None,
        "min_df": 2,
        "C": 8.0,
        "calibration": "sigmoid",
        "calibration_cv": 3,
        "random_state": seed,
    }


@dataclass(frozen=True)
class SegmentedContract:
    """A CUAD train contract, its clauses as inference segments them, and its examples."""

    contract: CuadContract
    clauses: list[Clause]
    examples: list[tuple[str, set[str], set[str]]]


def segmented_contracts(
    folder: Path,
    *,
    limit: int | None = None,
    hard_negative_types: Collection[str] = HARD_NEGATIVE_TYPES,
    sample_share: float = CUAD_SAMPLE_SHARE,
) -> list[SegmentedContract]:
    """CUAD's train split, each contract segmented once as inference segments it (training
    and the cross-validation's scoring both need the clauses), with its training examples
    (:func:`training.cuad_data.contract_examples`, given ``hard_negative_types`` and
    ``sample_share``)."""
    nlp = segmentation_pipeline()
    out: list[SegmentedContract] = []
    for contract in read_cuad(folder, split="train", limit=limit):
        clauses = [c for c in segment_text(contract.text, nlp=nlp) if len(c.text.split()) >= 4]
        examples = contract_examples(
            contract, clauses, hard_negative_types=hard_negative_types, sample_share=sample_share
        )
        out.append(SegmentedContract(contract, clauses, examples))
    return out


def fit_presence_head(model: ClauseClassifier, contracts: list[SegmentedContract]) -> ClauseClassifier:
    """Fit ``model``'s presence head on ``contracts`` (:func:`training.cuad_data.presence_examples`)."""
    examples = merge_examples(ex for c in contracts for ex in presence_examples(c.contract, c.clauses))
    return model.fit_presence_head(examples.texts, examples.labels, types=list(MAPPED_TYPES))


def segment_f1(model: ClauseClassifier, texts: list[str], labels: list[set[str]]) -> dict[str, float]:
    """Micro and macro F1 of clause types at segment level."""
    predicted = model.predict(texts)
    scores: list[float] = []
    tp_all = fp_all = fn_all = 0
    for label in model.classes_:
        tp = sum(1 for p, y in zip(predicted, labels, strict=True) if label in p and label in y)
        fp = sum(1 for p, y in zip(predicted, labels, strict=True) if label in p and label not in y)
        fn = sum(1 for p, y in zip(predicted, labels, strict=True) if label not in p and label in y)
        tp_all, fp_all, fn_all = tp_all + tp, fp_all + fp, fn_all + fn
        if tp + fn:
            scores.append(2 * tp / (2 * tp + fp + fn))
    micro = 2 * tp_all / max(1, 2 * tp_all + fp_all + fn_all)
    return {"segment_micro_f1": micro, "segment_macro_f1": float(np.mean(scores)) if scores else 0.0}


class ClauseSpec:
    """Builds, saves and loads the clause classifier.

    ``handwritten_batches`` names the batches of hand-written cases it trains on
    (:func:`training.handwritten_clauses.batch_of`); None, the default, is all of them.
    """

    short_name = "clauses"
    registered_name = "handoff-clauses"

    def __init__(self, *, handwritten_batches: Collection[int] | None = None) -> None:
        self.handwritten_batches = handwritten_batches

    def train(self, inputs: TrainingInputs, *, progress: ProgressCallback | None = None) -> TrainedModel:
        """Fit the classifier on generated train families (and CUAD's train split when present)."""
        count = 120 if inputs.quick else 400
        report = progress or (lambda _d, _c, _t: None)
        report("generating SOWs", 0, 3)
        texts, labels, drafts = generated_training_set(count, seed=inputs.seed, quick=inputs.quick)
        known: list[set[str] | None] = [None] * len(texts)
        weights = [1.0] * len(texts)
        sources = {"generated_segments": len(texts), "phrasebook_drafts": drafts}
        hand = handwritten_examples(batches=self.handwritten_batches)
        texts += hand.texts
        labels += hand.labels
        known += hand.known
        weights += hand.weights
        sources |= {"handwritten_cases": hand.cases, "handwritten_examples": len(hand.texts)}
        folder = cuad_folder(inputs.shared_data)
        if folder is not None:
            report("reading CUAD", 1, 3)
            contracts = segmented_contracts(folder, limit=60 if inputs.quick else None)
            cuad = merge_examples(ex for c in contracts for ex in c.examples)
            texts += cuad.texts
            labels += cuad.labels
            known += cuad.known
            weights += [CUAD_WEIGHT] * len(cuad.texts)
            sources["cuad_examples"] = len(cuad.texts)
        sources["unique_examples"] = len(texts)
        report("fitting", 2, 3)
        params = classifier_params(inputs.seed)
        model = ClauseClassifier(**params).fit(texts, labels, known=known, sample_weight=weights)
        if folder is not None:
            fit_presence_head(model, contracts)
        # Recorded on the model so evals can say what the champion was trained on.
        model.training_sources_ = {"cuad": folder is not None, "generated_documents": count, **sources}
        held_out = generate_sows(40 if inputs.quick else 120, seed=inputs.seed + 1, split="test")
        test_texts, test_labels = generated_examples(held_out)
        metrics = segment_f1(model, test_texts, test_labels)
        report("done", 3, 3)
        digest = hashlib.sha256()
        for text, labs in zip(texts, labels, strict=True):
            digest.update(text.encode("utf-8"))
            digest.update(",".join(sorted(labs)).encode("utf-8"))
        return TrainedModel(
            model=model,
            params={
                **params,
                "quick": inputs.quick,
                "documents": count,
                "cuad": folder is not None,
                **sources,
            },
            metrics=metrics,
            data_sha256=digest.hexdigest(),
            input_example=list(INPUT_EXAMPLE),
        )

    def save(self, model: Any, directory: Path) -> None:
        if not isinstance(model, ClauseClassifier):
            raise ClauseModelError(f"expected a ClauseClassifier, got {type(model).__name__}")
        save_model_folder(
            model,
            directory,
            {"labels": [str(x) for x in model.classes_], "thresholds": model.thresholds_},
            format_version=FORMAT_VERSION,
        )

    def load(self, directory: Path) -> ClauseClassifier:
        model, meta = load_model_folder(
            directory, what="clause model", format_version=FORMAT_VERSION, error=ClauseModelError
        )
        if not isinstance(model, ClauseClassifier) or not hasattr(model, "estimators_"):
            raise ClauseModelError("clause model file does not hold a fitted ClauseClassifier")
        if [str(x) for x in model.classes_] != meta.get("labels"):
            raise ClauseModelError("clause model labels do not match its metadata")
        unknown = set(meta["labels"]) - set(CLAUSE_TYPES)
        if unknown:
            raise ClauseModelError(f"clause model has unknown labels: {', '.join(sorted(unknown))}")
        return model

    def predict(self, model: ClauseClassifier, rows: Any) -> list[str]:
        """Batch scoring for the pyfunc wrapper: the ``input`` column of texts -> JSON label lists."""
        texts = [clause_features_text(str(t)) for t in rows["input"]]
        return [json.dumps(labels) for labels in model.predict(texts)]


SPEC = ClauseSpec()

__all__ = [
    "INPUT_EXAMPLE",
    "PHRASEBOOK_PER_WRITER",
    "SPEC",
    "ClauseSpec",
    "SegmentedContract",
    "classifier_params",
    "deduplicate",
    "fit_presence_head",
    "generated_examples",
    "generated_training_set",
    "phrasebook_examples",
    "segment_f1",
    "segmented_contracts",
]
