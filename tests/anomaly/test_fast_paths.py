"""The batch-scale shortcuts of the scoring path against straightforward reference
implementations, on generated data: blocked forest scoring, the range penalty, group ids,
per-distinct-value lookups, holidays, reasons and burn (the daily-hours limit: test_controls)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from joblib import parallel_config
from sklearn.ensemble import IsolationForest

from anomaly import TimeEntryAnomalyModel, forest_scoring, read_context, read_time_entries, score_time_entries
from anomaly.burn import learn_burn_history
from anomaly.features import Factorized, _codes, _is_holiday, group_ids, unique_apply
from anomaly.forest_scoring import forest_scores
from anomaly.model import make_isolation_forest
from anomaly.reasons import _MIN_CONTRIBUTION, _group_contributions, attribute, explain_time_entries
from training.firm_generator import generate_firm


@pytest.fixture(scope="module")
def firm() -> Any:
    return generate_firm(seed=5, n_people=14, n_projects=5, months=3)


@pytest.fixture(scope="module")
def fitted(firm: Any) -> TimeEntryAnomalyModel:
    entries = firm.entries.drop(columns=["label_kind"])
    return TimeEntryAnomalyModel(random_state=3).fit(entries, context=firm.context)


def test_blocked_forest_scores_equal_score_samples_bit_for_bit(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(0)
    train = rng.normal(size=(2000, 6))
    forest = make_isolation_forest(random_state=1).fit(train)
    batch = np.vstack([rng.normal(size=(1500, 6)), rng.normal(scale=4.0, size=(37, 6))])
    expected = forest.score_samples(batch)
    monkeypatch.setattr(forest_scoring, "BLOCK_ROWS", 256)  # several blocks, a ragged last one
    assert np.array_equal(forest_scores(forest, batch), expected)
    with parallel_config(backend="threading", n_jobs=2):
        assert np.array_equal(forest_scores(forest, batch), expected)
    assert np.array_equal(forest_scores(forest, batch[:1]), expected[:1])


def test_blocked_forest_falls_back_for_a_forest_on_feature_subsets() -> None:
    rng = np.random.default_rng(1)
    forest = IsolationForest(n_estimators=10, max_features=0.5, random_state=2).fit(rng.normal(size=(300, 4)))
    batch = rng.normal(size=(50, 4))
    assert np.array_equal(forest_scores(forest, batch), forest.score_samples(batch))


def test_range_penalty_equals_the_full_computation(
    fitted: TimeEntryAnomalyModel, firm: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    matrix = fitted.features(read_time_entries(firm.entries.drop(columns=["label_kind"])).frame).matrix
    # Rows at the usual (medians) but one feature, each feature in turn a unit above its usual
    # range and a unit below: the shortcut's inside test must read each column against its own range.
    usual = fitted.history_.feature_medians
    low, high, unit = fitted.usual_low_, fitted.usual_high_, fitted.feature_units_
    assert np.all((low <= usual) & (usual <= high))
    width = matrix.shape[1]
    beyond = np.tile(usual, (2 * width, 1))
    for k in range(width):
        beyond[2 * k, k] = high[k] + unit[k]
        beyond[2 * k + 1, k] = low[k] - unit[k]
    matrix = np.asfortranarray(np.vstack([matrix, beyond]))  # as features lie: column-major
    full = np.log1p(fitted.range_excess(matrix)).sum(axis=1)
    assert (full[-2 * width :] > 0).all() and (full == 0).any()

    excess = fitted.range_excess
    computed: list[int] = []

    def counted(rows: np.ndarray) -> np.ndarray:
        computed.append(len(rows))
        return excess(rows)

    monkeypatch.setattr(fitted, "range_excess", counted)
    assert np.array_equal(fitted.range_penalty(matrix), full)
    # Only the rows outside the range somewhere are computed: a column read against another
    # column's range picks other rows (here, among others, usual rows outside a wrong range).
    outside = ~np.all((matrix >= low[None, :]) & (matrix <= high[None, :]), axis=1)
    assert computed == [int(outside.sum())]


def _same_partition(groups: np.ndarray, *keys: np.ndarray) -> bool:
    """Rows share a group number exactly when they share every key; numbers are dense."""
    numbers: dict[tuple[Any, ...], int] = {}
    reference = np.array([numbers.setdefault(row, len(numbers)) for row in zip(*keys, strict=True)])
    pairs = set(zip(groups.tolist(), reference.tolist(), strict=True))
    dense = set(groups.tolist()) == set(range(len(numbers)))
    return dense and len(pairs) == len(numbers)


def test_group_ids_partition_rows_by_every_key() -> None:
    rng = np.random.default_rng(2)
    a = rng.integers(0, 40, size=3000)
    b = rng.integers(-(2**40), 2**40, size=3000) * rng.integers(0, 2, size=3000)  # wide keys
    names = np.array(["x", "y", "z", ""], dtype=object)[rng.integers(0, 4, size=3000)]
    flags = rng.integers(0, 2, size=3000).astype(bool)
    assert _same_partition(group_ids(a, b, Factorized(names), flags), a, b, names, flags)
    assert _same_partition(group_ids(a, flags), a, flags)
    assert _same_partition(group_ids(Factorized(names)), names)
    assert len(group_ids(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))) == 0


def test_unique_apply_and_codes_equal_a_per_row_application() -> None:
    rng = np.random.default_rng(3)
    people = np.array(["E-1", "E-2", "E-3", ""], dtype=object)[rng.integers(0, 4, size=500)]
    rates = np.array([100.0, 150.0, np.nan, 225.5])[rng.integers(0, 4, size=500)]
    calls: list[tuple[Any, ...]] = []

    def describe(person: str, rate: float) -> str:
        calls.append((person, rate))
        return f"{person}:{rate}"

    result = unique_apply(describe, people, Factorized(rates))
    assert list(result) == [f"{p}:{r}" for p, r in zip(people, rates, strict=True)]
    assert len(calls) == len({(p, str(r)) for p, r in zip(people, rates, strict=True)})
    index = pd.Index(["E-3", "E-1"])
    assert list(_codes(Factorized(people), index)) == [{"E-3": 0, "E-1": 1}.get(p, -1) for p in people]


def test_holidays_match_the_country_and_day_keys() -> None:
    holidays = pd.Index(["US|20500", "GB|20500", "US|20510", "de|20501"])
    country = np.array(["US", "GB", "", "DE", "de", "US", "FR"], dtype=object)
    day = np.array([20500, 20510, 20500, 20501, 20501, 20510, 20500])
    expected = [f"{c}|{d}" in set(holidays) and c != "" for c, d in zip(country, day, strict=True)]
    assert list(_is_holiday(country, day, holidays)) == expected


def _reference_reasons(model: TimeEntryAnomalyModel, features: Any, rows: np.ndarray) -> dict[int, list]:
    """The per-row crediting loop the vectorised one replaced: (code, contribution) per reason."""
    matrix = features.matrix[rows]
    low, high = model.history_.feature_range
    expected = model.history_.feature_medians
    off = (matrix < low[None, :] - 1e-9) | (matrix > high[None, :] + 1e-9)
    contributions = attribute(model.score_matrix, matrix, expected, mask=off)
    groups = _group_contributions(model.score_matrix, matrix, expected, off, features.names)
    out: dict[int, list] = {}
    for k, i in enumerate(rows):
        out[int(i)] = []
        if not off[k].any():
            continue
        credited = contributions[k].copy()
        for members, rise in groups.items():
            cols = [j for j in members if off[k, j] and contributions[k, j] > _MIN_CONTRIBUTION]
            if len(cols) >= 2 or (cols and rise[k] > 0):
                lead = max(cols, key=lambda j: contributions[k, j])
                for j in members:
                    credited[j] = 0.0
                credited[lead] = max(rise[k], contributions[k, lead])
        for j in np.argsort(-credited, kind="stable")[: model.max_reasons]:
            if credited[j] <= _MIN_CONTRIBUTION:
                break
            out[int(i)].append((features.names[j], round(float(credited[j]), 6)))
    return out


def test_vectorised_reasons_equal_the_per_row_reference(fitted: TimeEntryAnomalyModel, firm: Any) -> None:
    features = fitted.features(read_time_entries(firm.entries.drop(columns=["label_kind"])).frame)
    scores = fitted.score_matrix(features.matrix)
    rows = np.argsort(scores)[:150]  # the most abnormal, many with several reasons
    got = explain_time_entries(fitted, features, rows)
    reference = _reference_reasons(fitted, features, rows)
    assert {i: [(r.code, r.contribution) for r in reasons] for i, reasons in got.items()} == reference
    assert any(len(v) >= 2 for v in reference.values())
    for reasons in got.values():
        for reason in reasons:
            assert reason.value is None or isinstance(reason.value, str | float)
            assert type(reason).model_validate(reason.model_dump()) == reason


def test_burn_daily_totals_equal_a_string_keyed_group_by(firm: Any) -> None:
    frame = read_time_entries(firm.entries.drop(columns=["label_kind"])).frame
    context = read_context(firm.context)
    cost = {p.person_id: p.cost_rate for p in context.people if p.cost_rate is not None}
    rate = np.nan_to_num(frame["bill_rate"].to_numpy(dtype=float))
    cost_rate = frame["person_id"].map(cost).to_numpy(dtype=float)
    hours = frame["hours"].to_numpy(dtype=float)
    expected = (
        pd.DataFrame(
            {
                "project_id": frame["project_id"].to_numpy(dtype=object),
                "day": frame["work_date"].to_numpy(dtype="datetime64[D]").astype(np.int64),
                "billed": np.where(frame["billable"].to_numpy(dtype=bool), hours * rate, 0.0),
                "cost": hours * np.nan_to_num(cost_rate),
                "costed_hours": np.where(np.isfinite(cost_rate), hours, 0.0),
                "hours": hours,
            }
        )
        .groupby(["project_id", "day"], as_index=False)
        .sum()
    )
    pd.testing.assert_frame_equal(learn_burn_history(frame, context), expected)


def test_scoring_is_the_same_inside_a_threaded_parallel_config(
    fitted: TimeEntryAnomalyModel, firm: Any
) -> None:
    entries = firm.entries.drop(columns=["label_kind"])
    plain = score_time_entries(entries, model=fitted, context=firm.context).to_dict()
    with parallel_config(backend="threading", n_jobs=2):
        threaded = score_time_entries(entries, model=fitted, context=firm.context).to_dict()
    assert plain == threaded
