from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import clone

from anomaly import (
    ModelArtifactError,
    NotFittedError,
    TimeEntryAnomalyModel,
    TrainingDataError,
    load_model,
    read_context,
    read_time_entries,
    save_model,
    score_time_entries,
)
from training.firm_generator import generate_firm


@pytest.fixture(scope="module")
def firm_entries() -> tuple:
    firm = generate_firm(seed=5, n_people=15, n_projects=6, months=4)
    return firm.entries.drop(columns=["label_kind"]), read_context(firm.context)


def test_fit_returns_self_and_learned_state_ends_in_underscore(firm_entries: tuple) -> None:
    entries, context = firm_entries
    model = TimeEntryAnomalyModel(n_estimators=20, random_state=1)
    assert model.fit(entries, context=context) is model
    assert model.n_features_in_ == len(model.feature_names_in_)
    assert clone(model).get_params() == model.get_params()


def test_unfitted_model_raises_not_fitted() -> None:
    with pytest.raises(NotFittedError):
        score_time_entries([], model=TimeEntryAnomalyModel())


def test_too_little_history_is_a_training_error() -> None:
    rows = read_time_entries(
        b"entry_id,person_id,project_id,work_date,hours,billable\nTE-1,E-1,P-1,2026-01-05,8,true\n"
    )
    with pytest.raises(TrainingDataError, match="at least"):
        TimeEntryAnomalyModel().fit(rows)


def test_overfit_save_reload_gives_identical_scores(
    firm_entries: tuple, tmp_path: Path, global_random_seed: int
) -> None:
    entries, context = firm_entries
    model = TimeEntryAnomalyModel(n_estimators=30, random_state=global_random_seed).fit(
        entries, context=context
    )
    before = score_time_entries(entries, model=model)
    save_model(model, tmp_path / "m")
    reloaded = load_model(tmp_path / "m", kind="time-entries")
    after = score_time_entries(entries, model=reloaded)
    assert [r.model_dump() for r in before.results] == [r.model_dump() for r in after.results]


def test_corrupt_model_folder_is_a_clear_error(firm_entries: tuple, tmp_path: Path) -> None:
    entries, context = firm_entries
    model = TimeEntryAnomalyModel(n_estimators=10, random_state=0).fit(entries, context=context)
    save_model(model, tmp_path / "m")
    (tmp_path / "m" / "model.joblib").write_bytes(b"garbage")
    with pytest.raises(ModelArtifactError, match="checksum"):
        load_model(tmp_path / "m")
    with pytest.raises(ModelArtifactError, match="not an anomaly model folder"):
        load_model(tmp_path / "empty")
    save_model(model, tmp_path / "n")
    with pytest.raises(ModelArtifactError, match="not invoices"):
        load_model(tmp_path / "n", kind="invoices")


def test_flagged_share_on_training_data_is_the_budget(firm_entries: tuple, global_random_seed: int) -> None:
    entries, context = firm_entries
    for budget in (0.02, 0.05):
        model = TimeEntryAnomalyModel(n_estimators=50, review_budget=budget, random_state=global_random_seed)
        model.fit(entries, context=context)
        risk = model.risk(model.score_matrix(model.features(read_time_entries(entries).frame).matrix))
        assert abs(float(np.mean(risk >= 0.5)) - budget) <= 0.25 * budget + 2 / len(entries)


def test_risk_is_monotone_in_the_score(firm_entries: tuple) -> None:
    entries, context = firm_entries
    model = TimeEntryAnomalyModel(n_estimators=10, random_state=0).fit(entries, context=context)
    scores = np.linspace(-1.0, 0.0, 200)
    risk = model.risk(scores)
    assert np.all(np.diff(risk) <= 1e-12)  # lower score (more abnormal) -> higher risk
    assert risk[0] > 0.5 > risk[-1]


_FITTED: dict[str, TimeEntryAnomalyModel] = {}


def _small_model() -> TimeEntryAnomalyModel:
    if "m" not in _FITTED:
        firm = generate_firm(seed=3, n_people=6, n_projects=3, months=2)
        _FITTED["m"] = TimeEntryAnomalyModel(n_estimators=10, random_state=0).fit(
            firm.entries.drop(columns=["label_kind"]), context=firm.context
        )
    return _FITTED["m"]


@settings(max_examples=60, deadline=None)
@given(
    scores=st.lists(
        st.floats(allow_nan=False, allow_infinity=False, min_value=-1e6, max_value=1e6), min_size=1
    ),
    budget=st.floats(min_value=1e-4, max_value=0.5),
)
def test_risk_never_leaves_the_unit_interval(scores: list[float], budget: float) -> None:
    risk = _small_model().risk(np.array(scores), review_budget=budget)
    assert np.all((risk >= 0.0) & (risk <= 1.0))


@pytest.mark.parametrize("budget", [0.0, 1.0, -0.1])
def test_review_budget_must_be_a_share(budget: float) -> None:
    with pytest.raises(ValueError, match="review_budget"):
        _small_model().risk(np.array([-0.5]), review_budget=budget)


def test_a_model_needing_a_feature_the_code_dropped_is_refused_clearly(
    firm_entries: tuple, tmp_path: Path
) -> None:
    entries, context = firm_entries
    model = TimeEntryAnomalyModel(n_estimators=10, random_state=0).fit(entries, context=context)
    # As if saved by an older release that computed a feature this code no longer has.
    model.feature_names_in_ = np.array([*model.feature_names_in_[:-1], "hours_vs_moon"], dtype=object)
    with pytest.raises(ModelArtifactError, match=r"hours_vs_moon.*retrain"):
        score_time_entries(entries, model=model)
    save_model(model, tmp_path / "m")
    with pytest.raises(ModelArtifactError, match=r"no longer computes \(hours_vs_moon\)"):
        load_model(tmp_path / "m", kind="time-entries")


def test_an_older_invoice_model_scores_on_the_features_it_was_fitted_on() -> None:
    from anomaly import InvoiceAnomalyModel, read_invoices
    from anomaly.features import INVOICE_FEATURES
    from tests.anomaly.conftest import invoice_context, invoice_rows

    invoices, lines = invoice_rows()
    model = InvoiceAnomalyModel(n_estimators=10, random_state=0).fit(
        invoices, lines, context=invoice_context()
    )
    batch = read_invoices(invoices, lines)
    heads, items = batch.invoices, batch.lines
    full = model.features(heads, items)
    model.feature_names_in_ = np.array(INVOICE_FEATURES[1:], dtype=object)  # as if saved before the first
    older = model.features(heads, items)
    assert older.names == INVOICE_FEATURES[1:]
    assert np.array_equal(older.matrix, full.matrix[:, 1:])
    model.feature_names_in_ = np.array([*INVOICE_FEATURES[1:], "vat_vs_moon"], dtype=object)
    with pytest.raises(ModelArtifactError, match=r"vat_vs_moon"):
        model.features(heads, items)
