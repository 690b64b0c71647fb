"""The batch-scale shortcuts of ingestion and features against the straightforward paths:
checks run once per distinct CSV value against checks run on every row, the codes the CSV
reader hands to the features against the features' own hashing, and the counting
shortcuts of the features against per-row references."""

from __future__ import annotations

import bisect
import dataclasses
import random
from collections import defaultdict
from typing import Any

import numpy as np
import pandas as pd
import pytest
from joblib import parallel_config

from anomaly import TimeEntryAnomalyModel, ingest, read_time_entries, score_time_entries
from anomaly.features import (
    Factorized,
    _count_before,
    _description_reuse,
    _equals,
    _Groups,
    _lookup,
    group_ids,
    time_entry_features,
)
from anomaly.text_similarity import description_bands
from training.firm_generator import generate_firm

OPTIONAL = ["client_id", "role", "bill_rate", "currency", "description", "logged_at"]


def _messy_entries(seed: int, n: int, *, absent: list[str], extra: bool, multiline: bool) -> pd.DataFrame:
    """Time entries with every kind of bad value, stray whitespace and repeated ids, as text."""
    rng = random.Random(seed)

    def pick(good: list[str], bad: list[str]) -> str:
        return rng.choice(bad) if rng.random() < 0.08 else rng.choice(good)

    rows = []
    for i in range(n):
        row = {
            "entry_id": pick([f"TE-{i}", f" TE-{i}", f"TE-{i} "], ["", " ", "TE-1", f"TE-{i // 2}"]),
            "person_id": pick(["E-1", "E-2", " E-1", "E-3 "], ["", "  "]),
            "project_id": pick(["P-1", "P-2"], ["", " "]),
            "client_id": pick(["C-1", "", "C-2 "], ["x"]),
            "work_date": pick(
                ["2026-01-05", "2026-01-06", " 2026-01-07", "2026-02-28"],
                ["2026-02-30", "05/01/2026", "", "2026-1-5", "soon", "2026-01-05T10:00:00"],
            ),
            "hours": pick(
                ["8", "7.5", " 6 ", "0.25", "24"],
                ["NaN", "nan", "inf", "-inf", "-2", "0", "25", "eight", "", "1e1", "+3", "1,5"],
            ),
            "billable": pick(["true", "false", "TRUE", "yes", "0", "1", " t "], ["maybe", "", "2"]),
            "role": pick(["Consultant", "Senior Consultant", "", " Manager"], ["x"]),
            "bill_rate": pick(["150", "225.5", ""], ["-5", "abc", "inf", "NaN"]),
            "currency": pick(["USD", "eur", "", " GBP"], ["XYZ", "US"]),
            "description": pick(
                ["stand-up", "Design review, client", ""] + (["notes\nsecond line"] if multiline else []),
                ["x"],
            ),
            "logged_at": pick(
                ["2026-01-05T18:00:00", "", "2026-01-05 18:00:00", "2026-01-05T18:00:00.5+02:00"],
                ["yesterday", "2026-13-01T00:00:00"],
            ),
        }
        if extra:
            row["colour"] = pick(["blue", "red"], ["x"])
        for name in absent:
            row.pop(name)
        rows.append(row)
    return pd.DataFrame(rows)


@pytest.mark.parametrize("seed", range(6))
def test_csv_checked_per_distinct_value_equals_checked_per_row(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    absent = random.Random(seed).sample(OPTIONAL, seed % 4)
    data = (
        _messy_entries(seed, 300, absent=absent, extra=seed % 2 == 0, multiline=seed % 3 == 0)
        .to_csv(index=False)
        .encode()
    )
    fast = read_time_entries(data)
    assert fast.factors, "the CSV reader's codes are handed on"
    # The careful reader: pandas' C parser, plain text columns, every check on every row.
    monkeypatch.setattr(ingest, "_read_csv_fast", lambda data, wanted=None: None)
    careful = read_time_entries(data)
    assert careful.factors == {}
    assert len(fast.rejected) > 20 and len(fast.frame) > 20
    pd.testing.assert_frame_equal(fast.frame, careful.frame, check_exact=True)
    assert [r.model_dump() for r in fast.rejected] == [r.model_dump() for r in careful.rejected]
    assert set(fast.factors) == {"person_id", "project_id", "client_id", "role", "currency", "description"}
    for name, factors in fast.factors.items():
        own = Factorized(fast.frame[name].to_numpy(dtype=object))
        assert np.array_equal(factors.codes, own.codes), name
        assert list(factors.uniques) == list(own.uniques), name


def test_columns_encoded_in_threads_read_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    data = (
        _messy_entries(8, 500, absent=["currency"], extra=True, multiline=False).to_csv(index=False).encode()
    )
    expected = read_time_entries(data)
    monkeypatch.setattr(ingest, "_THREADED_ROWS", 0)
    with parallel_config(backend="threading", n_jobs=2):
        threaded = read_time_entries(data)
    pd.testing.assert_frame_equal(threaded.frame, expected.frame, check_exact=True)
    assert threaded.rejected == expected.rejected
    assert all(np.array_equal(threaded.factors[k].codes, f.codes) for k, f in expected.factors.items())


def test_a_csv_with_a_value_spanning_lines_reads_the_same_in_small_blocks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    frame = _messy_entries(7, 400, absent=[], extra=False, multiline=True)
    data = frame.to_csv(index=False).encode()
    expected = read_time_entries(data)
    import pyarrow.csv as pa_csv

    read_csv = pa_csv.read_csv

    def small_blocks(source: Any, **options: Any) -> Any:
        return read_csv(source, read_options=pa_csv.ReadOptions(block_size=512), **options)

    monkeypatch.setattr(pa_csv, "read_csv", small_blocks)
    again = read_time_entries(data)
    assert again.factors
    pd.testing.assert_frame_equal(again.frame, expected.frame, check_exact=True)
    assert "notes\nsecond line" in set(again.frame["description"])


@pytest.fixture(scope="module")
def firm() -> Any:
    return generate_firm(seed=11, n_people=12, n_projects=4, months=3)


def test_features_on_the_readers_codes_equal_features_on_their_own(firm: Any) -> None:
    entries = firm.entries.drop(columns=["label_kind"])
    model = TimeEntryAnomalyModel(random_state=2).fit(entries, context=firm.context)
    text = entries.assign(
        work_date=entries["work_date"].dt.strftime("%Y-%m-%d"),
        logged_at=entries["logged_at"].dt.strftime("%Y-%m-%dT%H:%M:%S"),
    )
    rows = text.to_dict(orient="records")
    rows[3]["hours"] = "-1"  # a rejected row: codes of the kept rows only
    rows[5]["person_id"] = " " + str(rows[5]["person_id"])  # trimmed onto another value
    batch = read_time_entries(pd.DataFrame(rows).to_csv(index=False).encode())
    assert batch.factors and len(batch.rejected) == 1
    given = time_entry_features(batch.frame, model.history_, model.context_, factors=batch.factors)
    own = time_entry_features(batch.frame, model.history_, model.context_)
    assert np.array_equal(given.matrix, own.matrix)
    assert np.array_equal(given.display["bands"], own.display["bands"])
    with pytest.raises(ValueError, match="codes"):
        time_entry_features(batch.frame.iloc[1:], model.history_, model.context_, factors=batch.factors)


def _count_before_reference(keys: list[np.ndarray], day: np.ndarray) -> np.ndarray:
    days: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    for i, key in enumerate(zip(*keys, strict=True)):
        days[key].append(int(day[i]))
    for values in days.values():
        values.sort()
    return np.array(
        [bisect.bisect_left(days[key], int(day[i])) for i, key in enumerate(zip(*keys, strict=True))],
        dtype=float,
    )


# A counting table; radix sorts (small ranges); sorts of wide day numbers.
@pytest.mark.parametrize(("people", "day_range"), [(30, 60), (2000, 60_000), (30, 10**7)])
def test_count_before_equals_a_per_row_count(people: int, day_range: int) -> None:
    rng = np.random.default_rng(day_range)
    n = 3000
    person = rng.integers(0, people, size=n)
    role = np.array(["a", "b", "c"], dtype=object)[rng.integers(0, 3, size=n)]
    day = rng.integers(0, day_range, size=n) + 20_000
    expected = _count_before_reference([person, role], day)
    assert (expected > 0).any()
    assert np.array_equal(_count_before(person, Factorized(role), day=day), expected)
    assert np.array_equal(_count_before(person, day=day), _count_before_reference([person], day))


def test_description_reuse_equals_a_pairwise_count() -> None:
    rng = np.random.default_rng(5)
    n = 2500
    texts = np.array(
        ["daily stand-up with the team", "daily stand-up with the team today", "design review", "", "x y"],
        dtype=object,
    )
    description = texts[rng.integers(0, len(texts), size=n)]
    person_day = group_ids(rng.integers(0, 40, size=n), rng.integers(0, 20, size=n))
    hours = rng.choice([1.0, 2.0, 7.5], size=n)
    bands, reuse = _description_reuse(Factorized(description), person_day, hours)
    assert np.array_equal(bands, description_bands(description))
    groups: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i in range(n):
        groups[(int(person_day[i]), round(hours[i] * 100))].append(i)
    expected = np.zeros(n)
    for members in groups.values():
        for i in members:
            for b in range(bands.shape[1]):
                if bands[i, b] != 0:
                    same = sum(1 for j in members if j != i and bands[j, b] == bands[i, b])
                    expected[i] = max(expected[i], same)
    assert (expected > 0).any() and (expected == 0).any()
    assert np.array_equal(reuse, expected)


def test_lookups_once_per_pair_equal_lookups_per_row() -> None:
    rng = np.random.default_rng(7)
    n = 5000
    person = Factorized(np.array([f"E-{i}" for i in rng.integers(0, 50, size=n)], dtype=object))
    role = Factorized(np.array(["a", "b", "", "c"], dtype=object)[rng.integers(0, 4, size=n)])
    keys = person.codes * 10 + role.codes
    known = np.unique(keys)[::2]
    series = pd.Series(rng.normal(size=len(known)), index=known)
    groups = _Groups(person, role)
    assert np.array_equal(groups.lookup(series, lambda rows: keys[rows], -1.0), _lookup(series, keys, -1.0))
    assert np.array_equal(_equals(role, ""), role.uniques[role.codes] == "")


def test_scoring_on_the_readers_codes_equals_scoring_without_them(firm: Any) -> None:
    entries = firm.entries.drop(columns=["label_kind"])
    model = TimeEntryAnomalyModel(random_state=4).fit(entries, context=firm.context)
    text = entries.assign(
        work_date=entries["work_date"].dt.strftime("%Y-%m-%d"),
        logged_at=entries["logged_at"].dt.strftime("%Y-%m-%dT%H:%M:%S"),
    )
    batch = read_time_entries(text.to_csv(index=False).encode())
    assert batch.factors
    with_codes = score_time_entries(batch, model=model)
    without = score_time_entries(dataclasses.replace(batch, factors={}), model=model)
    assert len(with_codes.flagged) > 0
    assert [r.model_dump() for r in with_codes.results] == [r.model_dump() for r in without.results]
    assert [b.model_dump() for b in with_codes.burn] == [b.model_dump() for b in without.burn]
