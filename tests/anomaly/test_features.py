from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd
import pytest

from anomaly import TimeEntryAnomalyModel, read_time_entries
from anomaly.features import TIME_ENTRY_FEATURES, _is_holiday, _largest_other_day, _ratio, _surprisal, _up
from anomaly.text_similarity import description_bands, jaccard
from tests.anomaly.conftest import entry, weekdays

MONDAY = dt.date(2026, 5, 4)


def _features(model: TimeEntryAnomalyModel, rows: list[dict]) -> dict[str, np.ndarray]:
    frame = read_time_entries(rows).frame
    features = model.features(frame)
    return {name: features.matrix[:, j] for j, name in enumerate(TIME_ENTRY_FEATURES)} | features.display


def test_history_learns_each_persons_usual(time_model: TimeEntryAnomalyModel) -> None:
    history = time_model.history_
    usual = dict(zip(history.persons, history.med_hours[:-1], strict=False))
    assert usual == {"E-1": 8.0, "E-2": 7.5, "E-3": 6.0}
    rates = dict(zip(history.persons, history.med_rate[:-1], strict=False))
    assert rates == {"E-1": 150.0, "E-2": 225.0, "E-3": 110.0}
    assert history.weekend_days[:-1].tolist() == [0, 0, 0]


@pytest.mark.parametrize(
    ("person", "hours", "expected"), [("E-1", 16.0, 1.0), ("E-3", 12.0, 1.0), ("E-1", 8.0, 0.0)]
)
def test_hours_are_relative_to_the_persons_own_usual(
    time_model: TimeEntryAnomalyModel, person: str, hours: float, expected: float
) -> None:
    values = _features(time_model, [entry(1, person, MONDAY, hours=hours)])
    assert values["hours_vs_person"][0] == pytest.approx(expected)  # log2 of the ratio


def test_twelve_hours_is_unusual_for_the_part_timer_only(time_model: TimeEntryAnomalyModel) -> None:
    values = _features(time_model, [entry(1, "E-3", MONDAY, hours=9.0), entry(2, "E-1", MONDAY, hours=9.0)])
    assert values["hours_vs_person"][0] > values["hours_vs_person"][1] > 0


def test_daily_total_sums_across_projects(time_model: TimeEntryAnomalyModel) -> None:
    rows = [entry(1, "E-1", MONDAY, hours=6.0), entry(2, "E-1", MONDAY, hours=6.0, project_id="P-2")]
    values = _features(time_model, rows)
    assert values["day_total"].tolist() == [12.0, 12.0]
    assert values["day_vs_person"][0] == pytest.approx(np.log2(12 / 8))


def test_calendar_weekend_and_holiday(time_model: TimeEntryAnomalyModel) -> None:
    rows = [
        entry(1, "E-1", MONDAY),
        entry(2, "E-1", dt.date(2026, 5, 9)),
        entry(3, "E-1", dt.date(2026, 5, 25)),
    ]
    values = _features(time_model, rows)
    assert values["off_day"][1] > 3 * values["off_day"][0]
    assert values["holiday"].tolist() == [False, False, True]
    assert values["holiday_work"][2] > 0 and values["holiday_work"][0] == 0


def test_entry_lag_against_the_persons_habit(time_model: TimeEntryAnomalyModel) -> None:
    rows = [entry(1, "E-1", MONDAY), entry(2, "E-1", MONDAY, logged_at="2026-07-01T09:00:00")]
    values = _features(time_model, rows)
    assert values["entry_lag"][0] == pytest.approx(0.0, abs=0.3)
    assert values["entry_lag"][1] > 3.0
    assert values["lag"][1] == pytest.approx(58.375)  # May 4 to July 1, 09:00


def test_rate_against_the_card_and_the_persons_usual(time_model: TimeEntryAnomalyModel) -> None:
    values = _features(
        time_model,
        [entry(1, "E-1", MONDAY, bill_rate=300.0), entry(2, "E-1", MONDAY, billable=False, bill_rate=0)],
    )
    assert values["rate_vs_card"][0] == pytest.approx(1.0)  # log2(300 / 150)
    assert values["rate_vs_person"][0] == pytest.approx(1.0)
    assert values["rate_vs_card"][1] == 0.0  # non-billable time has no rate to compare


def test_rarity_of_role_and_project_for_the_person(time_model: TimeEntryAnomalyModel) -> None:
    rows = [entry(1, "E-1", MONDAY), entry(2, "E-1", MONDAY, role="Principal", project_id="P-2")]
    values = _features(time_model, rows)
    assert values["role_rarity"][0] == pytest.approx(0.0)
    assert values["role_rarity"][1] == pytest.approx(-np.log(1e-3))
    assert values["project_rarity"][1] > values["project_rarity"][0]


def test_unseen_person_falls_back_to_population(time_model: TimeEntryAnomalyModel) -> None:
    values = _features(time_model, [entry(1, "E-NEW", MONDAY, hours=7.5, role="Consultant")])
    assert not values["known_person"][0]
    assert values["usual_hours"][0] == pytest.approx(np.median([8.0, 7.5, 6.0]))
    assert np.isfinite(values["project_rarity"][0])


def test_description_reuse_counts_near_duplicates_the_same_day(time_model: TimeEntryAnomalyModel) -> None:
    rows = [
        entry(1, "E-1", MONDAY, hours=2, description="Prepared steering committee deck for client"),
        entry(2, "E-1", MONDAY, hours=2, description="prepared steering committee deck for client!"),
        entry(3, "E-1", MONDAY, hours=2, description="Code review of the billing service"),
    ]
    values = _features(time_model, rows)
    assert values["description_reuse"].tolist() == [1.0, 1.0, 0.0]


def test_description_bands_match_near_duplicates_only() -> None:
    bands = description_bands(
        np.array(
            [
                "Weekly status call with ACME team",
                "weekly status call with ACME team.",
                "Data migration scripts",
                "",
            ]
        )
    )
    assert (bands[0] == bands[1]).all()
    assert not (bands[0] == bands[2]).any()
    assert (bands[3] == 0).all()
    assert jaccard("a b c d", "a b c d") == 1.0


def test_in_place_ratio_steps_equal_their_formulas() -> None:
    # The feature columns are computed in place into the matrix; the values must be the plain
    # formulas' on every edge: zero, negative and missing usuals, infinities, NaN.
    value = np.array([8.0, 8.0, 8.0, -3.0, np.inf, np.nan, 0.0, 1e9, 2.0, 5.0])
    usual = np.array([4.0, 0.0, -2.0, 6.0, 3.0, 3.0, 0.0, 1.0, np.nan, np.inf])
    with np.errstate(divide="ignore", invalid="ignore"):
        plain = value / usual
    plain = np.clip(np.where(np.isfinite(plain), plain, 1.0), 0.0, 50.0)
    out = np.full(len(value), 7.0)
    assert np.array_equal(_ratio(value, usual, out=out), plain) and np.array_equal(out, plain)
    assert np.array_equal(_up(value, usual), np.maximum(np.log2(np.maximum(plain, 1e-3)), 0.0))
    share = np.array([0.0, 1e-6, 0.2, 1.0, 3.0, np.nan, -1.0])
    column = np.empty((len(share), 2))[:, 0]  # a strided column, as of a matrix in C order
    expected = -np.log(np.clip(share, 1e-3, 1.0))
    assert np.array_equal(_surprisal(share, out=column), expected, equal_nan=True)
    assert np.array_equal(column, expected, equal_nan=True)


def test_feature_matrix_is_fortran_ordered_for_the_forest(time_model: TimeEntryAnomalyModel) -> None:
    # The compiled forest walk reads the matrix as it lies; each feature column is contiguous.
    day = dt.date(2026, 3, 2)
    rows = [entry(i, "E-1", day + dt.timedelta(days=i % 5), hours=6 + i % 3) for i in range(40)]
    features = time_model.features(read_time_entries(rows).frame)
    assert features.matrix.flags.f_contiguous and features.matrix.dtype == np.float64
    assert features.matrix.shape == (40, len(TIME_ENTRY_FEATURES))


@pytest.mark.parametrize("far", [False, True])
def test_holiday_lookup_equals_a_set_of_country_days(far: bool) -> None:
    # Days before 1970 (negative day numbers), a country without holidays, the empty country,
    # and (far) dates centuries apart, which the lookup matches without a table of every day.
    rng = np.random.default_rng(3)
    holidays = pd.Index(["GB|-3", "GB|10", "US|10", "US|12", "DE|400", "GB|9000000"])
    countries = np.array(["GB", "US", "FR", "", "DE"], dtype=object)[rng.integers(0, 5, size=500)]
    day = rng.integers(-5, 15, size=500)
    day[::50] = 400
    if far:
        day[7] = 9_000_000
    known = set(holidays)
    expected = np.array([f"{c}|{d}" in known and c != "" for c, d in zip(countries, day, strict=True)])
    assert expected.any()
    assert np.array_equal(_is_holiday(countries, day, holidays), expected)


def _whole_hour_model() -> TimeEntryAnomalyModel:
    # E-1 logs quarter hours (3.25 + 4.25 = a 7.5 h day), E-2 whole hours (4 + 4).
    rows: list[dict[str, Any]] = []
    for d in range(60):
        day = dt.date(2026, 1, 5) + dt.timedelta(days=d)
        if day.weekday() >= 5:
            continue
        for person, pieces in (("E-1", (3.25, 4.25)), ("E-2", (4.0, 4.0))):
            for hours in pieces:
                rows.append(entry(len(rows), person, day, hours=hours))
    return TimeEntryAnomalyModel(n_estimators=20, random_state=0).fit(rows)


@pytest.mark.parametrize(
    ("person", "pieces", "fires"),
    [
        ("E-1", (5.0, 4.25), True),  # 4.25 rounded up to 5: a whole hour on a longer day
        ("E-1", (4.0, 3.5), False),  # a whole hour, but the day is the usual 7.5 h
        ("E-1", (4.75, 4.25), False),  # a longer day, in quarter hours
        ("E-2", (5.0, 4.0), False),  # a longer day from someone who always logs whole hours
        ("E-9", (5.0, 4.25), False),  # no history: no habit to break
    ],
)
def test_whole_hour_day_is_a_rare_whole_hour_on_a_longer_day(
    person: str, pieces: tuple[float, float], fires: bool
) -> None:
    model = _whole_hour_model()
    rows = [entry(k, person, MONDAY, hours=h) for k, h in enumerate(pieces)]
    values = _features(model, rows)["whole_hour_day"]
    assert values[1] == 0.0 or pieces[1] % 1 == 0
    assert bool(values[0] > 0.5) is fires
    if not fires:
        assert values[0] < 0.1


def test_a_model_fitted_before_a_feature_scores_on_its_own_features() -> None:
    model = _whole_hour_model()
    rows = [entry(0, "E-1", MONDAY, hours=5.0), entry(1, "E-1", MONDAY, hours=4.25)]
    frame = read_time_entries(rows).frame
    full = model.features(frame)
    model.feature_names_in_ = np.array(TIME_ENTRY_FEATURES[:-1], dtype=object)
    older = model.features(frame)
    assert older.names == TIME_ENTRY_FEATURES[:-1]
    assert np.array_equal(older.matrix, full.matrix[:, :-1])
    assert older.matrix.flags.f_contiguous


def test_an_ordinary_day_does_not_inherit_a_long_day_of_its_week(time_model: TimeEntryAnomalyModel) -> None:
    usual_week = time_model.history_.med_week[list(time_model.history_.persons).index("E-1")]
    days = weekdays(MONDAY, 5)
    marathon = [entry(k, "E-1", d, hours=14.0 if k == 4 else 8.0) for k, d in enumerate(days)]
    values = _features(time_model, marathon)
    # The week is 46 h against 40, but only the 14-hour Friday is its excess.
    assert values["week_total"].tolist() == [46.0] * 5
    assert values["week_vs_person"][:4].tolist() == pytest.approx([0.0] * 4)
    assert values["week_vs_person"][4] == pytest.approx(np.log2(46 / usual_week))
    # A day long itself keeps its whole week: a week long on every day is long on every entry.
    long_week = [entry(k, "E-1", d, hours=10.0) for k, d in enumerate(days)]
    assert _features(time_model, long_week)["week_vs_person"].tolist() == pytest.approx(
        [np.log2(50 / usual_week)] * 5
    )


def test_largest_other_day_of_the_week() -> None:
    # Rows: person-days 0, 0, 1, 2 in week 0 and 3 in week 1; day 1 and day 2 tie.
    person_day = np.array([0, 0, 1, 2, 3])
    person_week = np.array([0, 0, 0, 0, 1])
    excess = np.array([1.0, 1.0, 3.0, 3.0, 2.0])
    assert _largest_other_day(person_day, person_week, excess).tolist() == [3.0, 3.0, 3.0, 3.0, 0.0]
    assert _largest_other_day(np.zeros(0, int), np.zeros(0, int), np.zeros(0)).tolist() == []
