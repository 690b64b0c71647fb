from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pytest

from anomaly import TimeEntryAnomalyModel, read_time_entries, score_time_entries
from anomaly.reasons import explain_time_entries
from tests.anomaly.conftest import entry

MONDAY = dt.date(2026, 5, 4)


def test_reason_message_reads_in_one_line(time_model: TimeEntryAnomalyModel) -> None:
    result = score_time_entries([entry(1, "E-1", MONDAY, hours=20.0)], model=time_model)
    item = result.results[0]
    assert item.flagged and item.reasons
    codes = [r.code for r in item.reasons]
    assert codes[0] in {"hours_vs_person", "day_vs_person", "hours_vs_project", "week_vs_person"}
    top = (
        next(r for r in item.reasons if r.code == "hours_vs_person")
        if "hours_vs_person" in codes
        else item.reasons[0]
    )
    assert "\n" not in top.message
    if top.code == "hours_vs_person":
        assert top.message == "20.0 h is 2.5x this person's usual entry (8.0 h)"
        assert (top.value, top.expected) == (20.0, 8.0)
    contributions = [r.contribution for r in item.reasons]
    assert contributions == sorted(contributions, reverse=True)


def test_moving_the_top_feature_back_lowers_the_anomaly(
    time_model: TimeEntryAnomalyModel, global_random_seed: int
) -> None:
    rng = np.random.default_rng(global_random_seed)
    rows = [
        entry(1, "E-1", MONDAY, hours=float(rng.uniform(14, 22))),
        entry(2, "E-2", MONDAY, bill_rate=float(rng.uniform(300, 500))),
        entry(3, "E-3", MONDAY, logged_at="2026-08-30T10:00:00"),
        entry(4, "E-1", MONDAY + dt.timedelta(days=5)),
    ]
    result = score_time_entries(rows, model=time_model)
    features = time_model.features(read_time_entries(rows).frame)
    expected = time_model.history_.feature_medians
    checked = 0
    for i, item in enumerate(result.results):
        if not item.reasons:
            continue
        j = list(features.names).index(item.reasons[0].code)
        moved = features.matrix[i].copy()
        moved[j] = expected[j]
        before, after = (
            time_model.score_matrix(features.matrix[i : i + 1])[0],
            time_model.score_matrix(moved[None])[0],
        )
        assert after > before  # higher score = less abnormal
        # a grouped reason is credited with moving its whole group back, never less than its lead alone
        assert item.reasons[0].contribution >= (after - before) - 1e-6
        checked += 1
    assert checked >= 2


def test_unflagged_items_carry_no_reasons(time_model: TimeEntryAnomalyModel) -> None:
    result = score_time_entries([entry(1, "E-1", MONDAY)], model=time_model)
    assert not result.results[0].flagged
    assert result.results[0].reasons == []


def test_explanations_read_as_a_mapping_and_build_each_row_once(time_model: TimeEntryAnomalyModel) -> None:
    rows = [
        entry(1, "E-1", MONDAY, hours=20.0),
        entry(2, "E-2", MONDAY),
        entry(3, "E-3", MONDAY, bill_rate=450.0),
    ]
    features = time_model.features(read_time_entries(rows).frame)
    explained = explain_time_entries(time_model, features, np.array([2, 0, 2]))
    assert len(explained) == 2 and list(explained) == [2, 0]
    assert 1 not in explained and explained.get(1) is None
    with pytest.raises(KeyError):
        explained[1]
    first = explained[0]
    assert first and first[0].feature == "hours"
    assert explained[0] is first  # a served result and its review read the same objects
    assert [r.contribution for r in first] == sorted((r.contribution for r in first), reverse=True)
    # The reasons of a row do not depend on which other rows are explained with it.
    alone = explain_time_entries(time_model, features, np.array([0]))[0]
    assert [r.model_dump() for r in alone] == [r.model_dump() for r in first]


def test_reasons_from_the_batch_scores_equal_reasons_scored_afresh(time_model: TimeEntryAnomalyModel) -> None:
    rows = [
        entry(1, "E-1", MONDAY, hours=19.0),
        entry(2, "E-2", MONDAY, bill_rate=390.0, role="Analyst"),
        entry(3, "E-3", MONDAY + dt.timedelta(days=5), logged_at="2026-07-30T10:00:00"),
        entry(4, "E-1", MONDAY + dt.timedelta(days=1)),
    ]
    features = time_model.features(read_time_entries(rows).frame)
    scores = time_model.score_matrix(features.matrix)
    explained = np.array([0, 1, 2])
    given = explain_time_entries(time_model, features, explained, scores=scores)
    afresh = explain_time_entries(time_model, features, explained)
    assert any(given[i] for i in explained)
    assert {i: [r.model_dump() for r in given[i]] for i in given} == {
        i: [r.model_dump() for r in afresh[i]] for i in afresh
    }


def _display_varying_all_but(inputs: tuple[str, ...], columns: set[str]) -> dict[str, np.ndarray]:
    """A two-row display whose ``inputs`` are the same in both rows and every other column differs."""
    text = {"role", "modal_role", "project"}
    flags = {"known_person", "known_project", "billable", "holiday"}
    display: dict[str, np.ndarray] = {}
    for name in columns:
        pair: list[Any]
        if name in text:
            pair = ["Analyst", "Partner"]
        elif name in flags:
            pair = [True, False]
        elif name in {"weekday", "reuse"}:
            pair = [5, 2]
        else:
            pair = [0.25, 3.75]
        values = [pair[0], pair[0]] if name in inputs else pair
        display[name] = np.array(values, dtype=object if name in text else None)
    return display


@pytest.mark.parametrize("kind", ["time_entries", "invoices"])
def test_a_message_reads_only_the_columns_its_feature_lists(kind: str) -> None:
    # Messages are shared between rows equal in the listed columns: a column read but not listed
    # would give one row another's text.
    from anomaly import reasons

    table, describe = (
        (reasons._TIME_ENTRY_INPUTS, reasons._time_entry_reason)
        if kind == "time_entries"
        else (reasons._INVOICE_INPUTS, reasons._invoice_reason)
    )
    columns = {c for inputs in table.values() for c in inputs}
    for name, inputs in table.items():
        display = _display_varying_all_but(inputs, columns)
        assert describe(name, 0, display) == describe(name, 1, display), name


def test_a_credit_note_is_described_against_credit_notes() -> None:
    # The model compares a credit note with the history's credit notes; its reason must not call
    # that usual "this client's usual invoice".
    from anomaly.reasons import _invoice_reason

    display = {
        "total": np.array([-9000.0, 9000.0]),
        "usual_total": np.array([-1500.0, 1500.0]),
        "n_lines": np.array([6.0, 6.0]),
        "usual_lines": np.array([1.0, 2.0]),
        "due_days": np.array([45.0, 45.0]),
        "usual_due_days": np.array([0.0, 30.0]),
    }
    credit, invoice = (
        [
            _invoice_reason(name, i, display)[3]
            for name in ("total_vs_client", "lines_vs_client", "due_days_vs_client")
        ]
        for i in (0, 1)
    )
    assert credit == [
        "total -9,000 is 6.0x this client's usual credit note (-1,500)",
        "6 lines; the firm's credit notes usually have 1",
        "due 45 days after issue; the firm's credit notes usually get 0",
    ]
    assert invoice == [
        "total 9,000 is 6.0x this client's usual invoice (1,500)",
        "6 lines; this client's invoices usually have 2",
        "due 45 days after issue; this client usually gets 30",
    ]


def test_reason_documents_equal_the_reason_objects_dumped(time_model: TimeEntryAnomalyModel) -> None:
    rows = [
        entry(1, "E-1", MONDAY, hours=20.0),
        entry(2, "E-1", MONDAY + dt.timedelta(days=7), hours=20.0),  # the same message as row 0
        entry(3, "E-2", MONDAY, bill_rate=450.0),
        entry(4, "E-3", MONDAY + dt.timedelta(days=5), logged_at="2026-07-30T10:00:00"),
        entry(5, "E-2", MONDAY),
        entry(6, "E-1", MONDAY + dt.timedelta(days=1), hours=0.1),
    ]
    features = time_model.features(read_time_entries(rows).frame)
    explained = explain_time_entries(time_model, features, np.array([0, 1, 2, 3, 5, 2]))
    positions = [3, 4, 0, 5, 1, 2, 0]
    documents = explained.documents(positions)
    assert sum(map(len, documents)) >= 5 and documents[1] == []
    fresh = explain_time_entries(time_model, features, np.array([0, 1, 2, 3, 5, 2]))
    assert documents == [[r.model_dump(mode="json") for r in fresh.get(i) or []] for i in positions]
    assert documents[2][0]["message"] == documents[4][0]["message"]
    assert documents[2][0] is not documents[4][0]  # one caller's edit is not another row's


def test_reason_documents_share_a_message_only_between_identical_values() -> None:
    from anomaly.reasons import _TIME_ENTRY_INPUTS, Explanations, _time_entry_reason

    # 0.0 and -0.0 are equal keys in a dict but print differently; NaN is equal to no key.
    hours = np.array([0.0, -0.0, 0.0, np.nan, np.nan, 2.5])
    display = {"hours": hours, "usual_hours": np.full(6, 8.0), "known_person": np.ones(6, dtype=bool)}
    explained = Explanations(
        np.arange(6),
        ("hours_vs_person",),
        np.zeros((6, 1), dtype=int),
        np.full((6, 1), 0.5),
        np.ones(6, dtype=int),
        display,
        _time_entry_reason,
        _TIME_ENTRY_INPUTS,
    )
    messages = [reasons[0]["message"] for reasons in explained.documents(list(range(6)))]
    assert messages == [_time_entry_reason("hours_vs_person", i, display)[3] for i in range(6)]
    assert messages[0] == messages[2] != messages[1]
