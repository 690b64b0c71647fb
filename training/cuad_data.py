"""CUAD (``../shared/data/cuad``) read for clause training and evaluation.

CUAD categories map to our clause types as ``contracts/extraction.md`` says.
The split is fixed by contract: a contract is in ``dev`` when the first byte of
the sha256 of its title is below 20% of 256, so the training spec and the CUAD
eval suite agree without sharing state, and no dev contract is ever trained on.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from extraction.segment import find_clause_spans

#: CUAD category -> our clause type.
CUAD_TO_TYPE: dict[str, str] = {
    "Cap On Liability": "limitation_of_liability",
    "Uncapped Liability": "uncapped_liability",
    "Renewal Term": "auto_renewal",
    "Notice Period To Terminate Renewal": "auto_renewal",
    "Termination For Convenience": "termination_for_convenience",
    "Most Favored Nation": "most_favored_nation",
    "No-Solicit Of Employees": "non_solicitation",
    "Non-Compete": "non_compete",
    "Exclusivity": "exclusivity",
    "Ip Ownership Assignment": "ip_assignment",
    "Liquidated Damages": "liquidated_damages",
    "Audit Rights": "audit_rights",
    "Change Of Control": "change_of_control",
    "Anti-Assignment": "anti_assignment",
    "Governing Law": "governing_law",
    "Warranty Duration": "warranty",
    "Insurance": "insurance",
    "Minimum Commitment": "minimum_commitment",
    "Price Restrictions": "rate_change",
}
MAPPED_TYPES: tuple[str, ...] = tuple(dict.fromkeys(CUAD_TO_TYPE.values()))
#: Types CUAD does not label: its unlabelled paragraphs may still hold them, so
#: paragraphs that read like them are not used as negatives.
UNMAPPED_CUES = re.compile(
    r"indemnif|confidential|accept(?:ance|ed)|payment|invoice|interest\s+(?:at|on)|late\s+(?:fee|charge)",
    re.I,
)
DEV_FRACTION = 0.2


@dataclass(frozen=True)
class CuadSpan:
    clause_type: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class CuadContract:
    title: str
    text: str
    spans: tuple[CuadSpan, ...]  # mapped categories only
    labelled: tuple[tuple[int, int], ...]  # every labelled span of any of the 41 categories

    @property
    def types(self) -> set[str]:
        return {s.clause_type for s in self.spans}


def cuad_folder(shared_data: Path | None) -> Path | None:
    """``shared_data/cuad`` when it holds CUAD, else None."""
    if shared_data is None:
        return None
    folder = Path(shared_data) / "cuad"
    return folder if (folder / "spans.jsonl").is_file() and (folder / "txt").is_dir() else None


def cuad_split(title: str) -> str:
    first = hashlib.sha256(title.encode("utf-8")).digest()[0]
    return "dev" if first < int(256 * DEV_FRACTION) else "train"


def read_cuad(folder: Path, *, split: str | None = None, limit: int | None = None) -> Iterator[CuadContract]:
    """The contracts of CUAD (optionally one split), with their mapped spans."""
    count = 0
    with (folder / "spans.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            title = record["title"]
            if split is not None and cuad_split(title) != split:
                continue
            path = folder / "txt" / record["txt_file"]
            if not path.is_file():
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
            spans: list[CuadSpan] = []
            labelled: list[tuple[int, int]] = []
            for category, label in record["labels"].items():
                for span in label.get("spans", []):
                    start, end = int(span["start"]), int(span["end"])
                    labelled.append((start, end))
                    if category in CUAD_TO_TYPE:
                        spans.append(CuadSpan(CUAD_TO_TYPE[category], start, end, text[start:end]))
            yield CuadContract(title, text, tuple(spans), tuple(labelled))
            count += 1
            if limit is not None and count >= limit:
                return


def paragraph_spans(contract: CuadContract) -> list[tuple[int, int]]:
    """Clause-sized paragraphs of a CUAD text (the same rules as the segmenter)."""
    return find_clause_spans(contract.text, 0, len(contract.text))


def paragraph_labels(contract: CuadContract, spans: list[tuple[int, int]]) -> list[set[str]]:
    """Mapped types whose labelled spans overlap each paragraph."""
    out: list[set[str]] = []
    for s, e in spans:
        out.append({c.clause_type for c in contract.spans if c.start < e and s < c.end})
    return out


def cuad_training_examples(
    folder: Path, *, negatives_per_contract: int = 30, limit: int | None = None
) -> tuple[list[str], list[set[str]]]:
    """(texts, label sets) from the train split: labelled spans and the paragraphs
    that hold them as positives (inference scores paragraph-sized segments), and
    paragraphs overlapping no label of any category as negatives."""
    texts: list[str] = []
    labels: list[set[str]] = []
    for contract in read_cuad(folder, split="train", limit=limit):
        by_text: dict[str, set[str]] = {}
        for span in contract.spans:
            body = span.text.strip()
            if len(body.split()) >= 4:
                by_text.setdefault(body, set()).add(span.clause_type)
        for body, types in by_text.items():
            # Inference sees clause-sized segments (see MAX_CLAUSE_CHARS); very long spans are cut.
            texts.append(body[:2000])
            labels.append(types)
        kept = 0
        spans = paragraph_spans(contract)
        for (s, e), types in zip(spans, paragraph_labels(contract, spans), strict=True):
            body = contract.text[s:e]
            if types and body.strip() not in by_text and len(body.split()) >= 4:
                texts.append(body[:2000])
                labels.append(types)
        step = max(1, len(spans) // max(1, negatives_per_contract * 2))
        for s, e in spans[::step]:
            if kept >= negatives_per_contract:
                break
            body = contract.text[s:e]
            if len(body.split()) < 8 or any(ls < e and s < le for ls, le in contract.labelled):
                continue
            if UNMAPPED_CUES.search(body):
                continue
            texts.append(body)
            labels.append(set())
            kept += 1
    return texts, labels


__all__ = [
    "CUAD_TO_TYPE",
    "MAPPED_TYPES",
    "CuadContract",
    "CuadSpan",
    "cuad_folder",
    "cuad_split",
    "cuad_training_examples",
    "paragraph_labels",
    "paragraph_spans",
    "read_cuad",
]
