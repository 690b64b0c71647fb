"""A firm's conventions are learned from its history, not assumed: its weekend, the projects
and roles people move onto, its people's current roles, rates per client and currency, its
habit of repeating entries, and the time logged for the invoices being scored."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd
import pytest

from anomaly import (
    InvoiceAnomalyModel,
    TimeEntryAnomalyModel,
    read_context,
    score_invoices,
    score_time_entries,
)
from anomaly.features import TIME_ENTRY_FEATURES, time_entry_features
from tests.anomaly.conftest import context_dict, entry

SUNDAY = dt.date(2026, 1, 4)


def _il_context(**overrides: Any) -> dict[str, Any]:
    ctx = context_dict(**overrides)
    for person in ctx["people"]:
        person["country"] = "IL"
    ctx["holidays"] = [{"country": "IL", "date": "2026-04-02"}]
    return ctx


def _sunday_to_thursday(weeks: int = 12) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for d in range(weeks * 7):
        day = SUNDAY + dt.timedelta(days=d)
        if day.weekday() in (4, 5):  # Friday, Saturday
            continue
        for person in ("E-1", "E-2", "E-3"):
            rows.append(entry(len(rows), person, day, hours=8.0 + 0.25 * (d % 3)))
    return rows


def _controls(result: Any) -> set[str]:
    return {c.rule for c in result.controls}


def test_a_friday_saturday_firm_has_its_own_weekend() -> None:
    ctx = read_context(_il_context())
    model = TimeEntryAnomalyModel(n_estimators=50, random_state=0).fit(_sunday_to_thursday(), context=ctx)
    assert model.history_.weekend[0].tolist() == [False, False, False, False, True, True, False]
    sunday, friday = dt.date(2026, 4, 5), dt.date(2026, 4, 10)
    batch = [
        entry(1, "E-1", sunday, hours=8.0, logged_at=f"{sunday}T18:00:00"),
        entry(2, "E-2", friday, hours=8.0, logged_at=f"{friday}T18:00:00"),
    ]
    results = score_time_entries(batch, model=model, context=ctx).results
    assert "unusual_weekend_work" not in _controls(results[0])
    assert not any(r.code == "off_day" for r in results[0].reasons)
    assert "unusual_weekend_work" in _controls(results[1])
    assert "Friday" in results[1].controls[0].message


def test_project_and_role_rarity_are_against_what_came_before_the_day() -> None:
    ctx = read_context(context_dict())
    rows: list[dict[str, Any]] = []
    for d in range(84):
        day = dt.date(2026, 1, 5) + dt.timedelta(days=d)
        if day.weekday() >= 5:
            continue
        rows.append(entry(len(rows), "E-1", day, project_id="P-1" if d < 42 else "P-2"))
        rows.append(entry(len(rows), "E-2", day))
    model = TimeEntryAnomalyModel(n_estimators=50, random_state=0).fit(rows, context=ctx)
    frame = pd.DataFrame(rows)
    from anomaly.ingest import read_time_entries

    validated = read_time_entries(frame).frame
    fitted = time_entry_features(validated, model.history_, ctx, fitting=True)
    rarity = fitted.matrix[:, TIME_ENTRY_FEATURES.index("project_rarity")]
    moved = (validated["project_id"] == "P-2").to_numpy()
    # The first day on the new project was rare when it happened; later days much less so.
    first_day = np.flatnonzero(moved)[0]
    last_day = np.flatnonzero(moved)[-1]
    assert rarity[first_day] > 2.0
    assert rarity[last_day] < 1.0

    # Scoring: a project the person moves onto is rare on its first day and less so weeks on.
    start = dt.date(2026, 4, 6)
    batch = [
        entry(1000 + k, "E-2", start + dt.timedelta(days=k), project_id="P-2")
        for k in range(40)
        if (start + dt.timedelta(days=k)).weekday() < 5
    ]
    scored = model.features(read_time_entries(batch).frame, ctx)
    column = scored.matrix[:, TIME_ENTRY_FEATURES.index("project_rarity")]
    assert column[0] > 2.0
    assert column[-1] < column[0] - 1.0


def _one_role_history(person_role: str = "Consultant") -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for d in range(70):
        day = dt.date(2026, 1, 5) + dt.timedelta(days=d)
        if day.weekday() >= 5:
            continue
        for person in ("E-1", "E-3"):
            rows.append(entry(len(rows), person, day))
    return rows


def test_a_promotion_is_not_billing_as_another_role() -> None:
    ctx_dict = context_dict()
    ctx_dict["people"][0]["role"] = "Senior Consultant"  # E-1 promoted; the record moved on
    ctx = read_context(ctx_dict)
    model = TimeEntryAnomalyModel(n_estimators=50, random_state=0).fit(_one_role_history(), context=ctx)
    day = dt.date(2026, 3, 23)
    batch = [
        entry(1, "E-1", day),  # still billed as Consultant, as all their history
        entry(2, "E-1", day + dt.timedelta(days=1), role="Senior Consultant", bill_rate=225.0),
        entry(3, "E-3", day, role="Manager", bill_rate=110.0),  # a role that is not theirs
    ]
    results = score_time_entries(batch, model=model, context=ctx).results
    assert "billed_as_other_role" not in _controls(results[0])
    assert "billed_as_other_role" not in _controls(results[1])
    assert not any(r.code == "role_rarity" for r in results[1].reasons)
    assert "billed_as_other_role" in _controls(results[2])
    features = model.features(pd.DataFrame(batch).pipe(_validated), ctx)
    role_rarity = features.matrix[:, TIME_ENTRY_FEATURES.index("role_rarity")]
    assert role_rarity[1] < 1.0 < role_rarity[2]


@pytest.mark.parametrize("days_in_new_role", [1, 15])
def test_a_promotion_the_record_gives_is_no_role_rarity_however_new(days_in_new_role: int) -> None:
    # A long history in the old role makes the new one rare for months by its share alone; the
    # people record saying it is theirs now leaves the feature at the firm's usual value.
    ctx_dict = context_dict()
    ctx_dict["people"][0]["role"] = "Senior Consultant"
    ctx = read_context(ctx_dict)
    model = TimeEntryAnomalyModel(n_estimators=50, random_state=0).fit(_one_role_history(), context=ctx)
    first = dt.date(2026, 3, 23)
    batch = [
        entry(k, "E-1", first + dt.timedelta(days=k), role="Senior Consultant", bill_rate=225.0)
        for k in range(days_in_new_role)
    ] + [entry(100, "E-3", first, role="Manager", bill_rate=110.0)]
    column = TIME_ENTRY_FEATURES.index("role_rarity")
    role_rarity = model.features(pd.DataFrame(batch).pipe(_validated), ctx).matrix[:, column]
    usual = model.history_.feature_medians[column]
    assert np.allclose(role_rarity[:-1], usual)
    assert role_rarity[-1] > usual + 1.0


def _validated(frame: pd.DataFrame) -> pd.DataFrame:
    from anomaly.ingest import read_time_entries

    return read_time_entries(frame).frame


def test_a_persons_rate_is_compared_within_a_project_and_role() -> None:
    ctx = read_context(context_dict(projects=[]))  # no rate cards: only the learned rates
    rows: list[dict[str, Any]] = []
    for d in range(70):
        day = dt.date(2026, 1, 5) + dt.timedelta(days=d)
        if day.weekday() >= 5:
            continue
        # One client pays 150 USD, another (in another currency) 555 an hour.
        rows.append(entry(len(rows), "E-1", day, hours=4.0, project_id="P-1", bill_rate=150.0))
        rows.append(
            entry(len(rows), "E-1", day, hours=4.0, project_id="P-9", bill_rate=555.0, currency="ILS")
        )
        rows.append(entry(len(rows), "E-3", day))
    model = TimeEntryAnomalyModel(n_estimators=50, random_state=0).fit(rows, context=ctx)
    day = dt.date(2026, 3, 23)
    batch = [
        entry(1, "E-1", day, hours=4.0, project_id="P-1", bill_rate=150.0),
        entry(2, "E-1", day, hours=4.0, project_id="P-9", bill_rate=555.0, currency="ILS"),
        entry(3, "E-1", day + dt.timedelta(days=1), hours=4.0, project_id="P-1", bill_rate=555.0),
    ]
    features = model.features(_validated(pd.DataFrame(batch)), ctx)
    rate = features.matrix[:, TIME_ENTRY_FEATURES.index("rate_vs_person")]
    assert rate[0] == 0.0 and rate[1] == 0.0
    assert rate[2] > 1.0


def test_a_person_who_habitually_repeats_entries_is_not_double_billing() -> None:
    ctx = read_context(context_dict())
    rows: list[dict[str, Any]] = []
    for d in range(70):
        day = dt.date(2026, 1, 5) + dt.timedelta(days=d)
        if day.weekday() >= 5:
            continue
        for _ in range(2):  # E-1 books two identical stand-ups every day
            rows.append(entry(len(rows), "E-1", day, hours=0.5, description="daily stand-up"))
        rows.append(entry(len(rows), "E-1", day, hours=7.0))
        rows.append(entry(len(rows), "E-3", day, description=f"analysis {d}"))
    model = TimeEntryAnomalyModel(n_estimators=50, random_state=0).fit(rows, context=ctx)
    assert model.history_.repeat_share[0] > 0.2
    day = dt.date(2026, 3, 23)
    batch = [
        entry(1, "E-1", day, hours=0.5, description="daily stand-up"),
        entry(2, "E-1", day, hours=0.5, description="daily stand-up"),
        entry(3, "E-3", day, hours=6.0, description="analysis of the ledger"),
        entry(4, "E-3", day, hours=6.0, description="analysis of the ledger"),
    ]
    results = score_time_entries(batch, model=model, context=ctx).results
    assert "duplicate_entry" not in _controls(results[1])
    assert "duplicate_entry" in _controls(results[3])


@pytest.mark.parametrize(
    ("copies", "one_instant", "flagged"), [(3, True, True), (2, True, False), (3, False, False)]
)
def test_a_day_recorded_again_at_one_instant_is_a_duplicate_even_for_a_habitual_repeater(
    copies: int, one_instant: bool, flagged: bool
) -> None:
    # E-1's history repeats entries routinely (the habit exempts them from duplicate_entry); in
    # the batch ``copies`` of one day's entries come back later, at one instant or one by one.
    ctx = read_context(context_dict())
    rows: list[dict[str, Any]] = []
    for d in range(70):
        day = dt.date(2026, 1, 5) + dt.timedelta(days=d)
        if day.weekday() >= 5:
            continue
        for _ in range(2):
            rows.append(entry(len(rows), "E-1", day, hours=0.5, description="daily stand-up"))
        rows.append(entry(len(rows), "E-1", day, hours=7.0))
        rows.append(entry(len(rows), "E-3", day, description=f"analysis {d}"))
    model = TimeEntryAnomalyModel(n_estimators=50, random_state=0).fit(rows, context=ctx)
    day = dt.date(2026, 3, 23)
    day_entries = [
        entry(k, "E-1", day, hours=h, description=text, logged_at=f"{day.isoformat()}T1{k}:00:00")
        for k, (h, text) in enumerate([(1.5, "ledger review"), (2.0, "close checklist"), (4.5, "VAT return")])
    ]
    again = [
        dict(
            r,
            entry_id=f"{r['entry_id']}-again",
            logged_at=f"{(day + dt.timedelta(days=2)).isoformat()}T0{3 if one_instant else k}:00:00",
        )
        for k, r in enumerate(day_entries[:copies])
    ]
    results = score_time_entries(day_entries + again, model=model, context=ctx).results
    assert [("duplicate_entry" in _controls(r)) for r in results[3:]] == [flagged] * copies


def _invoice(year: int, month: int, hours: float) -> tuple[dict[str, Any], dict[str, Any]]:
    start = dt.date(year, month, 1)
    end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    issue = end + dt.timedelta(days=3)
    amount = hours * 150.0
    head = {
        "invoice_id": f"I-{year}-{month}",
        "invoice_number": f"N-{year}-{month}",
        "client_id": "C-1",
        "project_id": "P-1",
        "issue_date": issue.isoformat(),
        "due_date": (issue + dt.timedelta(days=30)).isoformat(),
        "currency": "USD",
        "subtotal": amount,
        "tax": 0.0,
        "total": amount,
    }
    line = {
        "invoice_id": f"I-{year}-{month}",
        "description": "Consultant services",
        "quantity": hours,
        "unit_price": 150.0,
        "amount": amount,
        "role": "Consultant",
        "period_start": start.isoformat(),
        "period_end": end.isoformat(),
    }
    return head, line


def _month_of_time(year: int, month: int) -> list[dict[str, Any]]:
    start = dt.date(year, month, 1)
    rows: list[dict[str, Any]] = []
    day = start
    while day.month == month:
        if day.weekday() < 5:
            rows.append(entry(year * 10000 + month * 100 + day.day, "E-1", day, hours=8.0))
        day += dt.timedelta(days=1)
    return rows


def test_billed_hours_are_set_against_the_time_given_at_scoring() -> None:
    ctx = read_context(context_dict())
    heads: list[dict[str, Any]] = []
    lines: list[dict[str, Any]] = []
    time: list[dict[str, Any]] = []
    for month in range(1, 13):
        logged = _month_of_time(2025, month)
        head, line = _invoice(2025, month, 8.0 * len(logged))
        heads.append(head)
        lines.append(line)
        time.extend(logged)
    model = InvoiceAnomalyModel(n_estimators=50, random_state=0).fit(
        heads, lines, time_entries=time, context=ctx
    )
    january = _month_of_time(2026, 1)  # a month the fit never saw
    fair_head, fair_line = _invoice(2026, 1, 8.0 * len(january))
    column = list(model.feature_names_in_).index("hours_vs_logged")

    def hours_feature(head: dict[str, Any], line: dict[str, Any], entries: Any) -> float:
        from anomaly.ingest import read_invoices, read_time_entries

        batch = read_invoices([head], [line])
        frame = read_time_entries(entries).frame if entries else None
        return float(model.features(batch.invoices, batch.lines, ctx, time_entries=frame).matrix[0, column])

    # The fit never saw this month's time: with it, a fair invoice matches; without it, no evidence.
    assert hours_feature(fair_head, fair_line, january) == 0.0
    assert hours_feature(fair_head, fair_line, None) == 0.0
    padded_head, padded_line = _invoice(2026, 1, 8.0 * len(january) + 60.0)
    assert hours_feature(padded_head, padded_line, january) > 0.2
    fair = score_invoices([fair_head], [fair_line], model=model, context=ctx, time_entries=january).results[0]
    assert not any(r.code == "hours_vs_logged" for r in fair.reasons)
    assert "hours_over_logged" not in _controls(fair)
    padded = score_invoices(
        [padded_head], [padded_line], model=model, context=ctx, time_entries=january
    ).results[0]
    assert "hours_over_logged" in _controls(padded)


def test_description_reuse_counts_copies_not_a_repeated_phrase(
    time_model: TimeEntryAnomalyModel, small_context: Any
) -> None:
    day = dt.date(2026, 5, 4)
    batch = [
        entry(1, "E-1", day, hours=0.5, description="status call with client"),
        entry(2, "E-1", day, hours=1.5, description="status call with client"),
        entry(3, "E-2", day, hours=2.0, description="status call with client", project_id="P-2"),
        entry(4, "E-2", day, hours=2.0, description="status call with client"),
    ]
    features = time_model.features(_validated(pd.DataFrame(batch)), small_context)
    reuse = features.matrix[:, TIME_ENTRY_FEATURES.index("description_reuse")]
    assert reuse.tolist() == [0.0, 0.0, 1.0, 1.0]
