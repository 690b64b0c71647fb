# ruff: noqa: E501  (contract texts read better unbroken)
"""CUAD read for training: which segmented clause of a train contract speaks for which type."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extraction.clauses import clause_features_text, cued_types
from training.clauses import SPEC, segmented_contracts
from training.cuad_data import (
    HARD_NEGATIVE_TYPES,
    MAPPED_TYPES,
    cuad_split,
    merge_examples,
    presence_examples,
)
from training.spec import TrainingInputs

_LAW = "This Agreement shall be governed by the laws of the State of Delaware."
_ASSIGN = "Neither party may assign or transfer this Agreement without the prior written consent of the other party."
_INDEMNITY = "Distributor shall indemnify and hold harmless the Company from all third-party claims."
_WARRANTY = (
    "Each party represents and warrants that it has full power and authority to enter into this Agreement."
)
_FILLER = "The parties shall meet monthly to review the marketing plan and the sales forecast."


def _one_train_contract(root: Path) -> Path:
    folder = root / "cuad"
    (folder / "txt").mkdir(parents=True)
    title = next(f"contract-{i}" for i in range(100) if cuad_split(f"contract-{i}") == "train")
    text = "\n\n".join([_FILLER, _LAW, _ASSIGN, _INDEMNITY, _WARRANTY, "Signed: ____"]) + "\n"
    (folder / "txt" / "c.txt").write_text(text, encoding="utf-8")
    start = text.index(_LAW)
    labels = {"Governing Law": {"spans": [{"text": _LAW, "start": start, "end": start + len(_LAW)}]}}
    record = {"title": title, "txt_file": "c.txt", "labels": labels}
    (folder / "spans.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize("share", [0.0])
def test_cuad_examples_speak_only_for_the_types_they_can_inform(tmp_path: Path, share: float) -> None:
    (contract,) = segmented_contracts(_one_train_contract(tmp_path), sample_share=share)
    assert all(len(c.text.split()) >= 4 for c in contract.clauses)  # as inference scores them
    examples = merge_examples(contract.examples)
    by_body = {
        text: (labels, known)
        for text, labels, known in zip(examples.texts, examples.labels, examples.known, strict=True)
    }
    # A labelled clause is a negative for every other mapped type.
    assert by_body[clause_features_text(_LAW)] == ({"governing_law"}, set(MAPPED_TYPES))
    assign_labels, assign_known = by_body[clause_features_text(_ASSIGN)]
    # Unlabelled and read like an assignment clause: a negative for the close-definition types
    # whose cue words it carries, not for IP assignment (CUAD's is narrower than ours, so the word
    # "assign" does not make a clause a negative there) and not for types it does not read like.
    assert assign_labels == set() and "anti_assignment" in assign_known
    assert assign_known == cued_types(_ASSIGN) & set(HARD_NEGATIVE_TYPES)
    assert "ip_assignment" not in assign_known and "governing_law" not in assign_known
    # CUAD never labels indemnities: a clause that reads like one, and plain filler, say nothing.
    assert clause_features_text(_INDEMNITY) not in by_body
    assert clause_features_text(_FILLER) not in by_body
    # A warranty that is not the Warranty Duration the lawyers label is a negative for warranty.
    _, warranty_known = by_body[clause_features_text(_WARRANTY)]
    assert "warranty" in warranty_known
    assert all(k <= set(MAPPED_TYPES) for k in examples.known)


def test_a_sampled_cuad_clause_is_a_negative_for_every_mapped_type(tmp_path: Path) -> None:
    (contract,) = segmented_contracts(_one_train_contract(tmp_path), sample_share=1.0)
    examples = merge_examples(contract.examples)
    sampled = dict(zip(examples.texts, examples.known, strict=True))
    assert sampled[clause_features_text(_FILLER)] == set(MAPPED_TYPES)
    assert sampled[clause_features_text(_INDEMNITY)] == set(MAPPED_TYPES)


def test_presence_examples_speak_for_every_mapped_type(tmp_path: Path) -> None:
    (contract,) = segmented_contracts(_one_train_contract(tmp_path))
    examples = merge_examples(presence_examples(contract.contract, contract.clauses))
    labelled = dict(zip(examples.texts, examples.labels, strict=True))
    # Near misses too: the assignment clause is no governing law, the warranty no mapped type.
    assert labelled[clause_features_text(_LAW)] == {"governing_law"}
    assert labelled[clause_features_text(_ASSIGN)] == set()
    assert labelled[clause_features_text(_WARRANTY)] == set()
    assert all(k == set(MAPPED_TYPES) for k in examples.known)


def test_the_spec_fits_a_presence_head_only_with_cuad(tmp_path: Path) -> None:
    folder = _one_train_contract(tmp_path)
    with_cuad = SPEC.train(TrainingInputs(quick=True, shared_data=folder.parent)).model
    assert with_cuad.presence_head_ is not None
    # Only governing law has positives in the one contract.
    assert set(with_cuad.presence_head_.models) == {"governing_law"}
    assert SPEC.train(TrainingInputs(quick=True)).model.presence_head_ is None
