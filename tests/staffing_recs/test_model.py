from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from staffing_recs import FACTORS, StaffingDecision, StaffingModelError, StaffingRankingModel, recommend

from .conftest import make_person, make_request


def _decisions(seed: int, hidden: np.ndarray, n: int = 60) -> list[StaffingDecision]:
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        features = rng.uniform(0, 1, size=(6, len(FACTORS)))
        out.append(StaffingDecision(features=features, chosen=int(np.argmax(features @ hidden))))
    return out


def test_overfit_save_reload_same_predictions(tmp_path: Path, global_random_seed: int) -> None:
    hidden = np.array([0.1, 0.0, 0.7, 0.1, 0.1, 0.0])
    decisions = _decisions(global_random_seed, hidden)
    model = StaffingRankingModel(C=100.0, random_state=global_random_seed).fit(decisions)
    assert model.pairwise_accuracy(decisions) > 0.9
    assert max(model.weights_.items(), key=lambda item: item[1])[0] == "margin"
    assert sum(model.weights_.values()) == pytest.approx(1.0)
    model.save(tmp_path)
    again = StaffingRankingModel.load(tmp_path)
    probe = np.random.default_rng(0).uniform(size=(10, len(FACTORS)))
    np.testing.assert_allclose(model.score(probe), again.score(probe))
    # The weights drive recommend exactly as the defaults would.
    cheap = make_person("E-cheap", cost_rate=40, skills=[{"name": "Salesforce", "level": 3}])
    expert = make_person("E-expert", cost_rate=150, skills=[{"name": "Salesforce", "level": 5}])
    assert recommend(make_request(), [cheap, expert], model=again).candidates[0].person_id == "E-cheap"


def test_load_errors(tmp_path: Path) -> None:
    with pytest.raises(StaffingModelError, match="missing"):
        StaffingRankingModel.load(tmp_path)
    (tmp_path / "staffing_weights.json").write_text("{broken")
    with pytest.raises(StaffingModelError, match="corrupt"):
        StaffingRankingModel.load(tmp_path)


def test_fit_needs_decisions() -> None:
    with pytest.raises(StaffingModelError, match="too few"):
        StaffingRankingModel().fit([])
    with pytest.raises(StaffingModelError, match="not fitted"):
        StaffingRankingModel().score(np.zeros((1, len(FACTORS))))
