"""Builders for hand-made time entries, invoices and contexts, and small fitted models."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest

from anomaly import InvoiceAnomalyModel, ScoringContext, TimeEntryAnomalyModel, read_context

START = dt.date(2026, 1, 5)  # a Monday
PEOPLE: dict[str, dict[str, Any]] = {
    "E-1": {"role": "Consultant", "rate": 150.0, "hours": 8.0},
    "E-2": {"role": "Senior Consultant", "rate": 225.0, "hours": 7.5},
    "E-3": {"role": "Analyst", "rate": 110.0, "hours": 6.0},
}


def weekdays(first: dt.date, n: int) -> list[dt.date]:
    """The first ``n`` Mondays-to-Fridays from ``first`` on."""
    days: list[dt.date] = []
    day = first
    while len(days) < n:
        if day.weekday() < 5:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def context_dict(**overrides: Any) -> dict[str, Any]:
    """Two projects with rate cards, the three people, US holidays."""
    base: dict[str, Any] = {
        "projects": [
            {
                "project_id": "P-1",
                "client_id": "C-1",
                "currency": "USD",
                "start_date": "2026-01-01",
                "end_date": "2026-12-31",
                "not_to_exceed": 500000,
                "invoice_frequency": "monthly",
                "rate_card": [
                    {"role": "Consultant", "rate": 150, "unit": "hour"},
                    {"role": "Senior Consultant", "rate": 225, "unit": "hour"},
                    {"role": "Analyst", "rate": 110, "unit": "hour"},
                ],
            },
            {
                "project_id": "P-2",
                "client_id": "C-2",
                "currency": "USD",
                "start_date": "2026-01-01",
                "end_date": "2026-12-31",
                "rate_card": [{"role": "Consultant", "rate": 150, "unit": "hour"}],
            },
        ],
        "people": [
            {"person_id": p, "role": v["role"], "cost_rate": v["rate"] * 0.4, "country": "US"}
            for p, v in PEOPLE.items()
        ],
        "holidays": [
            {"country": "US", "date": "2026-01-19"},
            {"country": "US", "date": "2026-02-16"},
            {"country": "US", "date": "2026-05-25"},
        ],
    }
    base.update(overrides)
    return base


def entry(i: int, person: str, day: dt.date, **overrides: Any) -> dict[str, Any]:
    habit = PEOPLE.get(person, {"role": "Consultant", "rate": 150.0, "hours": 8.0})
    row = {
        "entry_id": f"TE-{i}",
        "person_id": person,
        "project_id": "P-1",
        "client_id": "C-1",
        "work_date": day.isoformat(),
        "hours": habit["hours"],
        "billable": True,
        "role": habit["role"],
        "bill_rate": habit["rate"],
        "currency": "USD",
        "description": f"client work day {i % 5} for {person}",
        "logged_at": f"{day.isoformat()}T18:00:00",
    }
    row.update(overrides)
    return row


def history_rows(weeks: int = 16) -> list[dict[str, Any]]:
    """Weekday work for each person (their usual hours, give or take; logged the same
    day or the next), skipping the US holidays in the context. Seeded, so fixed."""
    import numpy as np

    rng = np.random.default_rng(7)
    holidays = {dt.date(2026, 1, 19), dt.date(2026, 2, 16), dt.date(2026, 5, 25)}
    rows = []
    i = 0
    for d in range(weeks * 7):
        day = START + dt.timedelta(days=d)
        if day.weekday() >= 5 or day in holidays:
            continue
        for person, habit in PEOPLE.items():
            i += 1
            hours = habit["hours"] + float(rng.choice([-0.5, 0.0, 0.0, 0.0, 0.5]))
            logged = day + dt.timedelta(days=int(rng.choice([0, 0, 1, 2])))
            rows.append(
                entry(
                    i,
                    person,
                    day,
                    hours=hours,
                    logged_at=f"{logged.isoformat()}T{int(rng.integers(9, 20))}:00:00",
                )
            )
    return rows


@pytest.fixture(scope="module")
def small_context() -> ScoringContext:
    return read_context(context_dict())


@pytest.fixture(scope="module")
def history() -> list[dict[str, Any]]:
    return history_rows()


@pytest.fixture(scope="module")
def time_model(history: list[dict[str, Any]], small_context: ScoringContext) -> TimeEntryAnomalyModel:
    return TimeEntryAnomalyModel(n_estimators=50, random_state=0).fit(history, context=small_context)


def invoice_rows(months: int = 8) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """A monthly invoice per project, each a Consultant line and an Analyst line, 10% tax."""
    invoices, lines = [], []
    for m in range(months):
        for k, project in enumerate(("P-1", "P-2")):
            month_start = dt.date(2025, 6 + m, 1) if 6 + m <= 12 else dt.date(2026, m - 6, 1)
            issue = month_start + dt.timedelta(days=34)
            issue = issue.replace(day=3)
            invoice_id = f"I-{m}-{k}"
            q1, q2 = 80.0 + 4 * (m % 3), 40.0 + 2 * (m % 2)
            amounts = [q1 * 150.0, q2 * 110.0]
            subtotal = sum(amounts)
            invoices.append(
                {
                    "invoice_id": invoice_id,
                    "invoice_number": f"N-{100 + 2 * m + k}",
                    "client_id": f"C-{k + 1}",
                    "project_id": project,
                    "issue_date": issue.isoformat(),
                    "due_date": (issue + dt.timedelta(days=30)).isoformat(),
                    "currency": "USD",
                    "subtotal": subtotal,
                    "tax": round(subtotal * 0.1, 2),
                    "total": round(subtotal * 1.1, 2),
                }
            )
            period_end = month_start.replace(day=28) + dt.timedelta(days=4)
            period_end = period_end - dt.timedelta(days=period_end.day)
            for role, q, price, amount in (
                ("Consultant", q1, 150.0, amounts[0]),
                ("Analyst", q2, 110.0, amounts[1]),
            ):
                lines.append(
                    {
                        "invoice_id": invoice_id,
                        "description": f"{role} services",
                        "quantity": q,
                        "unit_price": price,
                        "amount": amount,
                        "role": role,
                        "period_start": month_start.isoformat(),
                        "period_end": period_end.isoformat(),
                    }
                )
    return invoices, lines


def invoice_context() -> ScoringContext:
    ctx = context_dict()
    ctx["projects"][1]["rate_card"].append({"role": "Analyst", "rate": 110, "unit": "hour"})
    ctx["projects"][0]["not_to_exceed"] = 1_000_000
    return read_context(ctx)


@pytest.fixture(scope="module")
def invoice_model() -> InvoiceAnomalyModel:
    invoices, lines = invoice_rows()
    return InvoiceAnomalyModel(n_estimators=50, random_state=0).fit(
        invoices, lines, context=invoice_context()
    )


Rows = list[dict[str, Any]]
RowFactory = Callable[..., dict[str, Any]]


def frame(rows: Rows) -> pd.DataFrame:
    return pd.DataFrame(rows)
