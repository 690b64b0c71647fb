"""The ``staffing`` model: factor weights learned from staffing decisions.

Training data, in order of preference:

- ``inputs.data``: a firm's own history, a JSON file (or a folder holding
  ``staffing_history.json``) ``{"people": [...], "requests": [...],
  "decisions": [{"request_id", "person_id"}]}``; each decision becomes the
  breakdowns of that request's eligible candidates and the one chosen;
- otherwise a generated history (``training.staffing_generator``);
- plus, from ``inputs.feedback``, reviewers' decisions on staffing review
  items: approving keeps the recommended (first) candidate, overriding with
  ``corrections.person_id`` picks another one of the candidates in the finding.
  They count ``FEEDBACK_WEIGHT`` times a historical decision.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from staffing_recs import (
    FACTORS,
    PeopleIndex,
    SkillTaxonomy,
    StaffingDecision,
    StaffingRankingModel,
    parse_people,
    parse_requests,
)
from staffing_recs.recommender import evaluate_request
from training.errors import FeedbackFormatError
from training.feedback import FeedbackExample, read_feedback
from training.spec import ProgressCallback, TrainedModel, TrainingInputs
from training.staffing_generator import generate_history

__all__ = ["FEEDBACK_WEIGHT", "SPEC", "StaffingSpec", "decisions_from_feedback", "decisions_from_history"]

FEEDBACK_WEIGHT = 3.0
HISTORY_FILE = "staffing_history.json"


def decisions_from_feedback(examples: Sequence[FeedbackExample]) -> list[StaffingDecision]:
    """Reviewers' choices among the candidates a staffing review item showed them."""
    decisions: list[StaffingDecision] = []
    for example in examples:
        candidates = example.finding.get("candidates") or []
        if len(candidates) < 2 or example.outcome == "rejected":
            continue  # a rejection says the pick was wrong, not which one was right
        try:
            features = np.array([[float(c["breakdown"][f]) for f in FACTORS] for c in candidates])
            ids = [str(c["person_id"]) for c in candidates]
        except (KeyError, TypeError, ValueError):
            raise FeedbackFormatError(
                f"review {example.review_id}: finding.candidates need person_id and a full breakdown"
            ) from None
        chosen = 0
        if example.outcome == "overridden":
            wanted = (example.corrections or {}).get("person_id")
            if wanted not in ids:
                continue
            chosen = ids.index(str(wanted))
        decisions.append(StaffingDecision(features=features, chosen=chosen, weight=FEEDBACK_WEIGHT))
    return decisions


def decisions_from_history(
    document: dict[str, Any], *, taxonomy: SkillTaxonomy
) -> tuple[list[StaffingDecision], int]:
    """Decisions from a firm's history file, and how many were skipped (chosen person not eligible)."""
    people = parse_people(document.get("people"))
    requests = {r.request_id: r for r in parse_requests(document.get("requests"))}
    index = PeopleIndex.build(people, taxonomy)
    decisions: list[StaffingDecision] = []
    skipped = 0
    for decision in document.get("decisions") or []:
        request = requests.get(str(decision.get("request_id")))
        if request is None:
            skipped += 1
            continue
        evaluation = evaluate_request(request, index)
        ids = [evaluation.person_id(int(p)) for p in evaluation.eligible]
        chosen = str(decision.get("person_id"))
        if chosen not in ids or len(ids) < 2:
            skipped += 1
            continue
        decisions.append(StaffingDecision(features=evaluation.factors.values, chosen=ids.index(chosen)))
    return decisions, skipped


def _features_sha(decisions: Sequence[StaffingDecision]) -> str:
    digest = hashlib.sha256()
    for decision in decisions:
        digest.update(np.ascontiguousarray(decision.features, dtype=np.float64).tobytes())
        digest.update(str(decision.chosen).encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class StaffingSpec:
    short_name: str = "staffing"
    registered_name: str = "handoff-staffing"
    n_people: int = 300
    n_requests: int = 240
    quick_n_people: int = 120
    quick_n_requests: int = 80

    def train(self, inputs: TrainingInputs, *, progress: ProgressCallback | None = None) -> TrainedModel:
        """Fit the ranking weights on a firm's history or a generated one, plus reviewers' feedback."""
        if progress:
            progress("building staffing decisions", 0, 3)
        taxonomy = SkillTaxonomy.default()
        skipped = 0
        if inputs.data is not None:
            path = inputs.data / HISTORY_FILE if inputs.data.is_dir() else inputs.data
            document = json.loads(Path(path).read_text(encoding="utf-8"))
            decisions, skipped = decisions_from_history(document, taxonomy=taxonomy)
            source = "history"
        else:
            history = generate_history(
                seed=inputs.seed,
                n_people=self.quick_n_people if inputs.quick else self.n_people,
                n_requests=self.quick_n_requests if inputs.quick else self.n_requests,
                taxonomy=taxonomy,
            )
            decisions = history.decisions
            source = "generated"
        feedback: list[StaffingDecision] = []
        if inputs.feedback is not None:
            feedback = decisions_from_feedback(read_feedback(inputs.feedback, model=self.short_name))
        # Hold out a fifth of the history to report how well the weights generalise.
        rng = np.random.default_rng(inputs.seed)
        order = rng.permutation(len(decisions))
        cut = max(1, len(decisions) // 5) if len(decisions) >= 10 else 0
        held_out = [decisions[i] for i in order[:cut]]
        fitting = [decisions[i] for i in order[cut:]] + feedback
        if progress:
            progress("fitting pairwise ranking", 1, 3)
        model = StaffingRankingModel(random_state=inputs.seed).fit(fitting)
        metrics = {
            "n_decisions": float(len(fitting)),
            "n_feedback_decisions": float(len(feedback)),
            "train_pairwise_accuracy": model.pairwise_accuracy(fitting),
        }
        if held_out:
            metrics["holdout_pairwise_accuracy"] = model.pairwise_accuracy(held_out)
            metrics["holdout_top1_accuracy"] = float(
                np.mean([int(np.argmax(model.score(d.features))) == d.chosen for d in held_out])
            )
        if progress:
            progress("done", 3, 3)
        return TrainedModel(
            model=model,
            params={
                "source": source,
                "quick": inputs.quick,
                "seed": inputs.seed,
                "skipped_decisions": skipped,
                "C": model.C,
                **{f"weight_{k}": round(v, 4) for k, v in model.weights_.items()},
            },
            metrics=metrics,
            data_sha256=_features_sha(fitting),
            input_example=[dict.fromkeys(FACTORS, 0.5), dict.fromkeys(FACTORS, 1.0)],
        )

    def save(self, model: Any, directory: Path) -> None:
        model.save(directory)

    def load(self, directory: Path) -> StaffingRankingModel:
        return StaffingRankingModel.load(directory)

    def predict(self, model: StaffingRankingModel, rows: Any) -> Any:
        """Scores for rows of factor values (a DataFrame with the breakdown's columns)."""
        return model.score(np.asarray(rows[list(FACTORS)], dtype=np.float64))


SPEC = StaffingSpec()
