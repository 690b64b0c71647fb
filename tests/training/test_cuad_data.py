"""CUAD training examples at the segmenter's grain, on a tiny hand-made CUAD folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extraction.clauses import clause_features_text
from training.cuad_data import MAPPED_TYPES, cuad_split, cuad_training_examples, read_cuad, segment_labels

LAW = "This Agreement shall be governed by the laws of the State of Delaware."
RENEW = "This Agreement shall automatically renew for successive one year terms unless terminated."
FILLER = "The parties shall meet monthly to review the marketing plan and the sales forecast."
INDEMNITY = "Each party shall indemnify and hold harmless the other party from third party claims."


def _titles(split: str, count: int) -> list[str]:
    out: list[str] = []
    i = 0
    while len(out) < count:
        title = f"contract-{i}"
        if cuad_split(title) == split:
            out.append(title)
        i += 1
    return out


def _write_cuad(root: Path) -> Path:
    """Two train and one dev contract: headed sections, a labelled governing-law clause
    in each, a renewal clause in the first, and an indemnity CUAD does not label."""
    folder = root / "cuad"
    (folder / "txt").mkdir(parents=True)
    records = []
    for n, title in enumerate(_titles("train", 2) + _titles("dev", 1)):
        parts = ["1. Services", FILLER, "2. Indemnity", INDEMNITY, "3. General", LAW]
        if n == 0:
            parts += ["4. Term", RENEW]
        text = "\n\n".join(parts) + "\n"
        (folder / "txt" / f"{title}.txt").write_text(text, encoding="utf-8")
        labels: dict[str, dict[str, list[dict[str, object]]]] = {}
        for category, quote in (("Governing Law", LAW), ("Renewal Term", RENEW)):
            if quote in text:
                start = text.index(quote)
                labels[category] = {"spans": [{"text": quote, "start": start, "end": start + len(quote)}]}
        records.append(json.dumps({"title": title, "txt_file": f"{title}.txt", "labels": labels}))
    (folder / "spans.jsonl").write_text("\n".join(records) + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def cuad(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _write_cuad(tmp_path_factory.mktemp("shared"))


def test_examples_are_the_segments_of_train_contracts_with_their_headings(cuad: Path) -> None:
    texts, labels = cuad_training_examples(cuad)
    by_text = dict(zip(texts, labels, strict=True))
    # Segments carry their heading, as inference reads them.
    assert by_text[clause_features_text(LAW, "3. General")] == {"governing_law"}
    assert by_text[clause_features_text(RENEW, "4. Term")] == {"auto_renewal"}
    # Real clauses labelled with no mapped type are the negatives.
    assert by_text[clause_features_text(FILLER, "1. Services")] == set()
    assert by_text[clause_features_text(INDEMNITY, "2. Indemnity")] == set()
    # The lawyers' spans are positives at sentence grain too.
    assert by_text[clause_features_text(LAW)] == {"governing_law"}


def test_examples_never_come_from_dev_contracts(cuad: Path) -> None:
    texts, _ = cuad_training_examples(cuad)
    # Two train contracts, each with four segments; only the first has a renewal clause.
    assert texts.count(clause_features_text(LAW, "3. General")) == 2
    assert texts.count(clause_features_text(RENEW, "4. Term")) == 1
    assert len(list(read_cuad(cuad, split="dev"))) == 1


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [(0, 10, set()), (None, None, {"governing_law"})],
)
def test_segment_labels_by_overlap(
    cuad: Path, start: int | None, end: int | None, expected: set[str]
) -> None:
    contract = next(read_cuad(cuad, split="train"))
    law = next(s for s in contract.spans if s.clause_type == "governing_law")
    lo = law.start + 5 if start is None else start
    hi = law.end - 5 if end is None else end
    assert segment_labels(contract, lo, hi) == expected


def test_mapped_types_cover_the_contract_table() -> None:
    assert "indemnification" not in MAPPED_TYPES and "rate_change" in MAPPED_TYPES
