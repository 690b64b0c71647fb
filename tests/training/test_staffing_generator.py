from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from staffing_recs import FACTORS, PeopleIndex, SkillTaxonomy, StaffingRankingModel
from training.registry import get_model_spec
from training.spec import TrainingInputs
from training.staffing import FEEDBACK_WEIGHT, SPEC, decisions_from_feedback
from training.staffing_generator import HIDDEN_PREFERENCES, generate_history, generate_people


def test_generator_is_seeded_and_writes_skills_by_alias(global_random_seed: int) -> None:
    first = generate_history(seed=global_random_seed, n_people=40, n_requests=20)
    again = generate_history(seed=global_random_seed, n_people=40, n_requests=20)
    assert first.chosen == again.chosen
    assert [p.model_dump() for p in first.people] == [p.model_dump() for p in again.people]
    written = {s.name for p in first.people for s in p.skills}
    taxonomy = SkillTaxonomy.default()
    assert any(taxonomy.resolve(name).how == "alias" for name in written)
    assert all(taxonomy.resolve(name).known for name in written)


def test_chosen_candidates_were_eligible(global_random_seed: int) -> None:
    history = generate_history(seed=global_random_seed, n_people=60, n_requests=30)
    assert history.decisions and len(history.chosen) == len(history.decisions)
    ids = {p.person_id for p in history.people}
    assert set(history.chosen.values()) <= ids
    for decision in history.decisions:
        assert decision.features.shape[1] == len(FACTORS)
        assert 0 <= decision.chosen < len(decision.features)


def test_ranking_model_recovers_hidden_preferences(global_random_seed: int) -> None:
    history = generate_history(seed=global_random_seed, n_people=120, n_requests=90, noise=0.005)
    model = StaffingRankingModel(C=10.0, random_state=0).fit(history.decisions)
    learned = np.array([model.weights_[f] for f in FACTORS])
    hidden = np.array([HIDDEN_PREFERENCES[f] for f in FACTORS])
    hidden = hidden / hidden.sum()
    # The manager's weights order the factors; the learned ones should mostly agree.
    assert np.corrcoef(learned, hidden)[0, 1] > 0.5
    assert model.pairwise_accuracy(history.decisions) > 0.75


def test_spec_trains_quick_saves_and_reloads(tmp_path: Path) -> None:
    assert get_model_spec("staffing") is SPEC
    trained = SPEC.train(TrainingInputs(seed=3, quick=True))
    assert trained.metrics["n_decisions"] > 10
    assert trained.metrics["holdout_pairwise_accuracy"] > 0.6
    SPEC.save(trained.model, tmp_path)
    loaded = SPEC.load(tmp_path)
    assert loaded.weights_ == trained.model.weights_
    import pandas as pd

    rows = pd.DataFrame(trained.input_example)
    np.testing.assert_allclose(SPEC.predict(loaded, rows), SPEC.predict(trained.model, rows))


def _feedback_line(
    review_id: str, outcome: str, candidates: list[dict], corrections: dict | None = None
) -> str:
    label = {"approved": "true_positive", "rejected": "false_positive", "overridden": "corrected"}[outcome]
    return json.dumps(
        {
            "review_id": review_id,
            "model": "staffing",
            "model_version": "default",
            "kind": "staffing",
            "rule": "margin.below_policy",
            "outcome": outcome,
            "label": label,
            "finding": {"candidates": candidates},
            "subject": {},
            "corrections": corrections,
        }
    )


def test_feedback_decisions_become_weighted_training_pairs(tmp_path: Path) -> None:
    cheap = {"person_id": "E-1", "breakdown": dict.fromkeys(FACTORS, 0.5) | {"margin": 0.9, "skills": 0.4}}
    expert = {"person_id": "E-2", "breakdown": dict.fromkeys(FACTORS, 0.5) | {"margin": 0.2, "skills": 0.95}}
    path = tmp_path / "feedback.jsonl"
    lines = [
        _feedback_line("rev_1", "overridden", [expert, cheap], {"person_id": "E-1"}),
        _feedback_line("rev_2", "approved", [cheap, expert]),
        _feedback_line("rev_3", "rejected", [cheap, expert]),
    ]
    path.write_text("\n".join(lines) + "\n")
    from training.feedback import read_feedback

    decisions = decisions_from_feedback(read_feedback(path, model="staffing"))
    assert [d.chosen for d in decisions] == [1, 0]
    assert all(d.weight == FEEDBACK_WEIGHT for d in decisions)
    trained = SPEC.train(TrainingInputs(seed=1, quick=True, feedback=path))
    assert trained.metrics["n_feedback_decisions"] == 2


def test_spec_trains_on_a_firm_history_file(tmp_path: Path) -> None:
    history = generate_history(seed=5, n_people=60, n_requests=40)
    document = {
        "people": [p.model_dump(mode="json") for p in history.people],
        "requests": [r.model_dump(mode="json") for r in history.requests],
        "decisions": [{"request_id": r, "person_id": p} for r, p in history.chosen.items()]
        + [{"request_id": "R-unknown", "person_id": "E-1"}],
    }
    path = tmp_path / "staffing_history.json"
    path.write_text(json.dumps(document))
    trained = SPEC.train(TrainingInputs(data=tmp_path, quick=True))
    assert trained.params["source"] == "history"
    assert trained.params["skipped_decisions"] == 1
    assert trained.metrics["n_decisions"] >= len(history.chosen) * 0.7


def test_generated_people_index_cleanly() -> None:
    people = generate_people(50, rng=np.random.default_rng(0))
    index = PeopleIndex.build(people, SkillTaxonomy.default())
    assert index.unknown_skills == {}
    assert len(index) == 50
    with pytest.raises(ValueError):
        PeopleIndex.build(people + people[:1], SkillTaxonomy.default())
