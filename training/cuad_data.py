"""CUAD (``../shared/data/cuad``) read for clause training and evaluation.

CUAD categories map to our clause types as ``contracts/extraction.md`` says.
The split is fixed by contract: a contract is in ``dev`` when the first byte of
the sha256 of its title is below 20% of 256, so the training spec and the CUAD
eval suite agree without sharing state, and no dev contract is ever trained on.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from extraction.clauses import clause_features_text, cued_types, party_names
from extraction.segment import Clause, find_clause_spans

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


#: Types for which a CUAD clause that reads like one (carries its cue words) but is not
#: labelled with it is a negative. Contracts are ranked by their best clause, so the clauses
#: that mention a type without being it are the ones to learn from; but where CUAD's category
#: is narrower than ours or drafted for other deals (its exclusivity and non-competes are
#: distribution and licence territories, its IP assignment runs either way, Price
#: Restrictions and Minimum Commitment cover part of what our types do), those near misses
#: teach our SOW phrasings to be negatives. Measured (``docs/extraction.md``, "Clauses on
#: CUAD"): as negatives for all 18 mapped types, grouped-CV macro AUPR 0.824 -> 0.831, but
#: generated held-out SOW recall fell for non-compete 39/39 -> 21/39, exclusivity 42 -> 16,
#: IP assignment 114 -> 75 and rate change 34 -> 22 of their clauses. Liquidated damages and
#: warranty gained on CUAD (0.622 -> 0.638, 0.819 -> 0.858) at no cost on SOWs: they are in.
HARD_NEGATIVE_TYPES: tuple[str, ...] = (
    "limitation_of_liability",
    "uncapped_liability",
    "auto_renewal",
    "termination_for_convenience",
    "most_favored_nation",
    "non_solicitation",
    "liquidated_damages",
    "audit_rights",
    "change_of_control",
    "anti_assignment",
    "governing_law",
    "warranty",
    "insurance",
)


@dataclass(frozen=True)
class CuadExamples:
    """Training examples from CUAD: classifier feature texts, their label sets, and
    the types each example speaks for (``ClauseClassifier.fit(known=...)``)."""

    texts: list[str]
    labels: list[set[str]]
    known: list[set[str]]


def _sampled(title: str, start: int, share: float) -> bool:
    digest = hashlib.sha256(f"{title}:{start}".encode()).digest()
    return int.from_bytes(digest[:4], "big") < share * 2**32


def contract_examples(
    contract: CuadContract,
    clauses: Sequence[Clause],
    *,
    hard_negative_types: Collection[str] = HARD_NEGATIVE_TYPES,
    sample_share: float = 0.1,
) -> list[tuple[str, set[str], set[str]]]:
    """One train contract's (feature text, labels, known types) examples at the grain
    inference scores: every clause of ``clauses`` (the contract as the segmenter cuts it),
    labelled with the mapped types whose lawyers' spans it overlaps, plus the spans
    themselves as positives.

    A clause with a label speaks for every mapped type. A clause without one is a
    negative only for the types it could be mistaken for (it carries their cue words,
    and the type is in ``hard_negative_types``), and, for a ``sample_share`` of the
    clauses (by a hash of title and offset, so the sample is fixed), for every mapped
    type. Unmapped types (indemnities, confidentiality, payment) never learn from CUAD.
    :func:`merge_examples` joins several contracts' examples for ``ClauseClassifier.fit``.
    """
    mapped = set(MAPPED_TYPES)
    hard = set(hard_negative_types) & mapped
    out: list[tuple[str, set[str], set[str]]] = []
    parties = party_names(contract.text)
    for span in contract.spans:
        body = span.text.strip()
        if len(body.split()) >= 4:
            # Inference sees clause-sized segments (see MAX_CLAUSE_CHARS); very long spans are cut.
            out.append((clause_features_text(body[:2000], "", parties), {span.clause_type}, mapped))
    for clause in clauses:
        if len(clause.text.split()) < 4:
            continue
        types = {s.clause_type for s in contract.spans if s.start < clause.end and clause.start < s.end}
        if types:
            known = mapped
        else:
            known = cued_types(clause.text) & hard
            if _sampled(contract.title, clause.start, sample_share):
                known = mapped
            if not known:
                continue
        out.append((clause_features_text(clause.text, clause.heading, parties), types, known))
    return out


def presence_examples(
    contract: CuadContract, clauses: Sequence[Clause]
) -> list[tuple[str, set[str], set[str]]]:
    """A train contract's examples for the presence head
    (:meth:`extraction.clauses.ClauseClassifier.fit_presence_head`): every clause, and the
    lawyers' spans, an example for every mapped type, so CUAD's near misses are its
    negatives (the head learns CUAD's definitions; the clause model keeps ours)."""
    return contract_examples(contract, clauses, hard_negative_types=MAPPED_TYPES, sample_share=1.0)


def merge_examples(examples: Iterable[tuple[str, set[str], set[str]]]) -> CuadExamples:
    """One example per distinct feature text, labels and known types merged."""
    by_text: dict[str, tuple[set[str], set[str]]] = {}
    for text, labels, known in examples:
        old = by_text.setdefault(text, (set(), set()))
        old[0].update(labels)
        old[1].update(known)
    texts = list(by_text)
    return CuadExamples(
        texts=texts,
        labels=[by_text[t][0] for t in texts],
        known=[by_text[t][1] for t in texts],
    )


__all__ = [
    "CUAD_TO_TYPE",
    "HARD_NEGATIVE_TYPES",
    "MAPPED_TYPES",
    "CuadContract",
    "CuadExamples",
    "CuadSpan",
    "contract_examples",
    "cuad_folder",
    "cuad_split",
    "merge_examples",
    "paragraph_labels",
    "paragraph_spans",
    "presence_examples",
    "read_cuad",
]
