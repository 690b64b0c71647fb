"""A generated professional-services firm: people with their own habits,
projects with rate cards, caps and dates, clients, time entries and the
invoices built from them, with labelled injected anomalies of every kind the
anomaly package looks for. Deterministic per seed.

Habits vary per person (hours per day, 4-day weeks, part-timers, people who
do work Saturdays, logging the same day or in a weekly batch, leave blocks),
per country (public holidays), and over the year (August and late December
are quiet). The label columns (``label_kind``; empty for normal items) are
not contract columns, so scoring ignores them.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd

__all__ = [
    "INVOICE_ANOMALY_KINDS",
    "TIME_ENTRY_ANOMALY_KINDS",
    "Firm",
    "generate_firm",
]

ROLES: dict[str, float] = {
    "Analyst": 120.0,
    "Consultant": 165.0,
    "Senior Consultant": 225.0,
    "Manager": 280.0,
    "Principal": 360.0,
}
_ROLE_ORDER = list(ROLES)
COUNTRIES: dict[str, dict[str, Any]] = {
    "US": {
        "currency": "USD",
        "tax": 0.0,
        "holidays": ["01-01", "01-20", "05-26", "07-04", "09-01", "11-27", "12-25"],
    },
    "GB": {
        "currency": "GBP",
        "tax": 20.0,
        "holidays": ["01-01", "04-18", "04-21", "05-05", "05-26", "08-25", "12-25", "12-26"],
    },
    "DE": {
        "currency": "EUR",
        "tax": 19.0,
        "holidays": ["01-01", "04-18", "04-21", "05-01", "05-29", "10-03", "12-25", "12-26"],
    },
    "IN": {
        "currency": "INR",
        "tax": 18.0,
        "holidays": ["01-26", "03-14", "08-15", "10-02", "10-20", "11-05"],
    },
}
_TASKS = {
    "Analyst": [
        "data extraction for {p}",
        "build reporting dashboard",
        "prepare workshop materials",
        "update tracker and status",
    ],
    "Consultant": [
        "requirements workshop with {c}",
        "process mapping sessions",
        "draft options paper",
        "stakeholder interviews",
    ],
    "Senior Consultant": [
        "solution design review",
        "lead {c} workshop",
        "review deliverables with team",
        "draft recommendations deck",
    ],
    "Manager": [
        "weekly steering committee",
        "plan sprint and resourcing",
        "client status meeting {c}",
        "risk and issue review",
    ],
    "Principal": [
        "executive sponsor check-in",
        "quality review of deliverables",
        "account planning {c}",
        "scope discussion with {c}",
    ],
}

TIME_ENTRY_ANOMALY_KINDS: tuple[str, ...] = (
    "padded_hours",
    "rate_not_on_card",
    "billed_as_other_role",
    "outside_sow_dates",
    "unusual_weekend_work",
    "unusual_holiday_work",
    "over_daily_hours",
    "not_staffed",
    "duplicate_entry",
    "late_logging",
)
INVOICE_ANOMALY_KINDS: tuple[str, ...] = (
    "line_arithmetic",
    "total_mismatch",
    "duplicate_invoice",
    "over_not_to_exceed",
    "period_without_time",
    "price_not_on_card",
    "unusual_tax_rate",
    "second_invoice_in_cycle",
    "currency_mismatch",
    "padded_invoice",
)


@dataclass
class Firm:
    """What ``generate_firm`` made: contract-shaped frames with label columns, and the context."""

    entries: pd.DataFrame
    invoices: pd.DataFrame
    lines: pd.DataFrame
    context: dict[str, Any]
    seed: int

    def write(self, directory: Path) -> dict[str, Path]:
        """Write ``time_entries.csv``, ``invoices.csv``, ``invoice_lines.csv`` and ``context.json``.

        Parameters
        ----------
        directory
            Created if missing.

        Returns
        -------
        dict
            name -> written path.
        """
        directory.mkdir(parents=True, exist_ok=True)
        paths = {
            "entries": directory / "time_entries.csv",
            "invoices": directory / "invoices.csv",
            "lines": directory / "invoice_lines.csv",
            "context": directory / "context.json",
        }
        entries = self.entries.copy()
        entries["logged_at"] = entries["logged_at"].dt.strftime("%Y-%m-%dT%H:%M:%S")
        entries.to_csv(paths["entries"], index=False, date_format="%Y-%m-%d")
        self.invoices.to_csv(paths["invoices"], index=False, date_format="%Y-%m-%d")
        self.lines.to_csv(paths["lines"], index=False, date_format="%Y-%m-%d")
        paths["context"].write_text(json.dumps(self.context, indent=1, default=str), encoding="utf-8")
        return paths


def _holidays(countries: list[str], start: dt.date, end: dt.date) -> list[dict[str, str]]:
    out = []
    for country in countries:
        for year in range(start.year, end.year + 1):
            for md in COUNTRIES[country]["holidays"]:
                day = dt.date.fromisoformat(f"{year}-{md}")
                if start <= day <= end:
                    out.append({"country": country, "date": day.isoformat()})
    return out


def generate_firm(
    *,
    seed: int = 42,
    n_people: int = 60,
    n_projects: int = 24,
    months: int = 9,
    start: dt.date = dt.date(2025, 1, 6),
    anomaly_rate: float = 0.02,
    invoice_anomaly_rate: float = 0.08,
    countries: tuple[str, ...] = ("US", "GB", "DE", "IN"),
) -> Firm:
    """Generate a firm's time entries, invoices and context with labelled anomalies.

    Parameters
    ----------
    seed
        Everything is deterministic per seed.
    n_people, n_projects, months, start
        Size and period of the history.
    anomaly_rate
        Share of time entries that are injected anomalies (spread over ``TIME_ENTRY_ANOMALY_KINDS``).
    invoice_anomaly_rate
        Share of invoices that are injected anomalies (``INVOICE_ANOMALY_KINDS``).
    countries
        Countries people and clients are in (their holidays apply).

    Returns
    -------
    Firm
    """
    rng = np.random.default_rng(seed)
    end = start + dt.timedelta(days=int(months * 30.4))
    country_list = list(countries)

    # ---- people and their habits
    people: list[dict[str, Any]] = []
    for k in range(n_people):
        role = _ROLE_ORDER[int(rng.choice(5, p=[0.25, 0.3, 0.22, 0.15, 0.08]))]
        habit = rng.choice(
            ["full", "full", "full", "four_day", "part_time", "weekender"],
            p=[0.5, 0.15, 0.05, 0.1, 0.12, 0.08],
        )
        hours_per_day = {"full": 8.0, "four_day": 9.0, "part_time": 5.0, "weekender": 8.0}[str(habit)]
        if habit == "full" and rng.random() < 0.3:
            hours_per_day = 7.5
        people.append(
            {
                "person_id": f"E-{100 + k}",
                "role": role,
                "cost_rate": round(ROLES[role] * float(rng.uniform(0.35, 0.5)), 2),
                "hours_per_day": hours_per_day,
                "country": country_list[int(rng.integers(len(country_list)))],
                "habit": str(habit),
                "lag_days": float(rng.choice([0, 0, 1, 3, 6])),
                "leave_start": start
                + dt.timedelta(days=int(rng.integers(20, max(21, (end - start).days - 20)))),
                "leave_days": int(rng.choice([0, 5, 10, 14])),
            }
        )

    # ---- clients and projects
    n_clients = max(2, n_projects // 3)
    clients = [
        {"client_id": f"C-{k + 1}", "country": country_list[k % len(country_list)], "name": f"Client {k + 1}"}
        for k in range(n_clients)
    ]
    projects: list[dict[str, Any]] = []
    for k in range(n_projects):
        client = clients[k % n_clients]
        country = client["country"]
        p_start = start + dt.timedelta(days=int(rng.integers(0, 60)))
        p_end = min(
            end + dt.timedelta(days=int(rng.integers(-30, 90))),
            p_start + dt.timedelta(days=int(rng.integers(120, 400))),
        )
        discount = float(rng.choice([1.0, 0.95, 0.9, 1.05]))
        team_size = int(rng.integers(3, 8))
        team = [
            people[int(i)]["person_id"]
            for i in rng.choice(n_people, size=min(team_size, n_people), replace=False)
        ]
        projects.append(
            {
                "project_id": f"P-{k + 1}",
                "client_id": client["client_id"],
                "currency": COUNTRIES[country]["currency"],
                "start_date": p_start.isoformat(),
                "end_date": p_end.isoformat(),
                "payment_terms_days": int(rng.choice([30, 30, 45, 60])),
                "invoice_frequency": "monthly",
                "rate_card": [
                    {"role": r, "rate": round(v * discount), "unit": "hour"} for r, v in ROLES.items()
                ],
                "team": team,
                "_tax": COUNTRIES[country]["tax"],
                "_cap_factor": float(rng.choice([0.9, 1.2, 1.3, 1.5], p=[0.12, 0.28, 0.3, 0.3])),
            }
        )
    # every person on at least one project
    staffed: dict[str, list[int]] = {p["person_id"]: [] for p in people}
    for j, project in enumerate(projects):
        for pid in project["team"]:
            staffed[pid].append(j)
    for person in people:
        if not staffed[person["person_id"]]:
            j = int(rng.integers(n_projects))
            projects[j]["team"].append(person["person_id"])
            staffed[person["person_id"]].append(j)

    holidays = _holidays(country_list, start - dt.timedelta(days=7), end + dt.timedelta(days=400))
    holiday_set = {(h["country"], h["date"]) for h in holidays}

    # ---- normal time entries
    rows: list[dict[str, Any]] = []
    days = [start + dt.timedelta(days=i) for i in range((end - start).days)]
    for person in people:
        pid = person["person_id"]
        mine = staffed[pid]
        weights = rng.dirichlet(np.ones(len(mine)) * 2.0)
        leave = {person["leave_start"] + dt.timedelta(days=i) for i in range(person["leave_days"])}
        for day in days:
            weekday = day.weekday()
            habit = person["habit"]
            if weekday == 6 or (weekday == 5 and (habit != "weekender" or rng.random() > 0.5)):
                continue
            if habit == "four_day" and weekday == 4:
                continue
            if day in leave or (person["country"], day.isoformat()) in holiday_set:
                continue
            quiet = day.month == 8 or (day.month == 12 and day.day > 20)
            if rng.random() < (0.25 if quiet else 0.04):
                continue
            active = [
                j for j in mine if projects[j]["start_date"] <= day.isoformat() <= projects[j]["end_date"]
            ]
            if not active:
                continue
            total = person["hours_per_day"] * float(rng.choice([1.0, 1.0, 1.0, 0.9375, 1.0625]))
            if weekday == 5:
                total = float(rng.choice([2.0, 3.0, 4.0]))
            n_split = 1 if len(active) == 1 or rng.random() < 0.6 else min(2, len(active))
            share = np.array([weights[mine.index(j)] for j in active])
            chosen = rng.choice(active, size=n_split, replace=False, p=share / share.sum())
            parts = (
                [total] if n_split == 1 else [round(total * 0.5 * 4) / 4, total - round(total * 0.5 * 4) / 4]
            )
            for j, hours in zip(chosen, parts, strict=False):
                project = projects[int(j)]
                task = _TASKS[person["role"]][int(rng.integers(4))].format(
                    p=project["project_id"], c=project["client_id"]
                )
                billable = rng.random() > 0.06
                card = {c["role"]: c["rate"] for c in project["rate_card"]}
                lag = person["lag_days"] + float(rng.integers(0, 2))
                if person["lag_days"] == 6:  # weekly batch on Friday
                    lag = float((4 - weekday) % 7) if weekday <= 4 else 6.0
                rows.append(
                    {
                        "person_id": pid,
                        "project_id": project["project_id"],
                        "client_id": project["client_id"],
                        "work_date": day,
                        "hours": round(float(hours) * 4) / 4,
                        "billable": bool(billable),
                        "role": person["role"],
                        "bill_rate": float(card[person["role"]]) if billable else 0.0,
                        "currency": project["currency"],
                        "description": task,
                        "logged_at": pd.Timestamp(day)
                        + pd.Timedelta(days=lag, hours=float(rng.uniform(16, 19))),
                        "label_kind": "",
                    }
                )
    entries = pd.DataFrame(rows)
    entries = _inject_time_anomalies(entries, people, projects, holidays, rng, anomaly_rate)
    entries = entries.sort_values(["work_date", "person_id"], kind="stable").reset_index(drop=True)
    entries.insert(0, "entry_id", [f"TE-{i + 1}" for i in range(len(entries))])
    entries["work_date"] = pd.to_datetime(entries["work_date"])

    # ---- invoices from the (normal and anomalous) billable time, monthly per project
    invoices, lines = _build_invoices(entries, projects, rng)
    invoices, lines = _inject_invoice_anomalies(invoices, lines, projects, rng, invoice_anomaly_rate)

    # caps: a factor of what each project would bill over its whole duration
    billed = invoices[invoices["label_kind"] == ""].groupby("project_id")["subtotal"].sum()
    for project in projects:
        planned = float(billed.get(project["project_id"], 0.0))
        project["not_to_exceed"] = round(max(planned * project["_cap_factor"], 10_000.0), -3)
    context = {
        "projects": [{k: v for k, v in p.items() if not k.startswith("_")} for p in projects],
        "people": [
            {k: p[k] for k in ("person_id", "role", "cost_rate", "hours_per_day", "country")} for p in people
        ],
        "holidays": holidays,
    }
    # over-NTE invoices are made after the caps are known
    invoices = _label_over_cap(invoices, projects)
    return Firm(entries=entries, invoices=invoices, lines=lines, context=context, seed=seed)


def _inject_time_anomalies(
    entries: Any,
    people: list[dict[str, Any]],
    projects: list[dict[str, Any]],
    holidays: list[dict[str, str]],
    rng: np.random.Generator,
    rate: float,
) -> pd.DataFrame:
    n_total = round(len(entries) * rate)
    if n_total == 0:
        return entries
    kinds = list(TIME_ENTRY_ANOMALY_KINDS)
    person_by_id = {p["person_id"]: p for p in people}
    project_by_id = {p["project_id"]: p for p in projects}
    weekenders = {p["person_id"] for p in people if p["habit"] == "weekender"}
    new_rows: list[dict[str, Any]] = []
    candidates = rng.permutation(np.flatnonzero(entries["billable"].to_numpy()))
    used = 0
    for k in range(n_total):
        kind = kinds[k % len(kinds)]
        i = int(candidates[used % len(candidates)])
        used += 1
        base: dict[str, Any] = entries.loc[i].to_dict()
        person = person_by_id[base["person_id"]]
        project = project_by_id[base["project_id"]]
        card = {c["role"]: c["rate"] for c in project["rate_card"]}
        if kind == "padded_hours":
            entries.loc[i, "hours"] = min(24.0, round(base["hours"] * float(rng.uniform(1.7, 2.6)) * 4) / 4)
            entries.loc[i, "label_kind"] = kind
        elif kind == "rate_not_on_card":
            entries.loc[i, "bill_rate"] = round(base["bill_rate"] * float(rng.uniform(1.08, 1.25)))
            entries.loc[i, "label_kind"] = kind
        elif kind == "billed_as_other_role":
            level = _ROLE_ORDER.index(person["role"])
            other = _ROLE_ORDER[min(level + int(rng.integers(1, 3)), 4)] if level < 4 else _ROLE_ORDER[3]
            entries.loc[i, ["role", "bill_rate", "label_kind"]] = [other, float(card[other]), kind]
        elif kind == "outside_sow_dates":
            after = dt.date.fromisoformat(project["end_date"]) + dt.timedelta(days=int(rng.integers(3, 40)))
            before = dt.date.fromisoformat(project["start_date"]) - dt.timedelta(
                days=int(rng.integers(3, 30))
            )
            day = after if rng.random() < 0.5 else before
            while day.weekday() >= 5:
                day += dt.timedelta(days=1)
            new_rows.append(
                {
                    **base,
                    "work_date": day,
                    "logged_at": pd.Timestamp(day) + pd.Timedelta(hours=18),
                    "label_kind": kind,
                }
            )
        elif kind == "unusual_weekend_work":
            if base["person_id"] in weekenders:
                continue
            day = base["work_date"] + dt.timedelta(days=(5 - base["work_date"].weekday()) % 7 or 7)
            new_rows.append(
                {
                    **base,
                    "work_date": day,
                    "logged_at": pd.Timestamp(day) + pd.Timedelta(hours=20),
                    "label_kind": kind,
                    "hours": float(rng.choice([4.0, 6.0, 8.0])),
                }
            )
        elif kind == "unusual_holiday_work":
            mine = [
                h
                for h in holidays
                if h["country"] == person["country"]
                and dt.date.fromisoformat(h["date"]).weekday() < 5
                and project["start_date"] <= h["date"] <= project["end_date"]
            ]
            if not mine or person["habit"] == "weekender":
                continue
            day = dt.date.fromisoformat(mine[int(rng.integers(len(mine)))]["date"])
            new_rows.append(
                {
                    **base,
                    "work_date": day,
                    "logged_at": pd.Timestamp(day) + pd.Timedelta(hours=18),
                    "label_kind": kind,
                    "hours": person["hours_per_day"],
                }
            )
        elif kind == "over_daily_hours":
            other_projects = [j for j in project_by_id if j != base["project_id"]]
            extra_project = (
                project_by_id[other_projects[int(rng.integers(len(other_projects)))]]
                if other_projects
                else project
            )
            new_rows.append(
                {
                    **base,
                    "project_id": extra_project["project_id"],
                    "client_id": extra_project["client_id"],
                    "currency": extra_project["currency"],
                    "hours": float(rng.choice([7.0, 8.0, 9.0])),
                    "description": _TASKS[person["role"]][0].format(
                        p=extra_project["project_id"], c=extra_project["client_id"]
                    ),
                    "label_kind": kind,
                }
            )
        elif kind == "not_staffed":
            outside = [
                p
                for p in projects
                if base["person_id"] not in p["team"]
                and p["start_date"] <= base["work_date"].isoformat() <= p["end_date"]
            ]
            if not outside:
                continue
            target = outside[int(rng.integers(len(outside)))]
            target_card = {c["role"]: c["rate"] for c in target["rate_card"]}
            entries.loc[i, ["project_id", "client_id", "currency", "bill_rate", "label_kind"]] = [
                target["project_id"],
                target["client_id"],
                target["currency"],
                float(target_card[person["role"]]),
                kind,
            ]
        elif kind == "duplicate_entry":
            text = str(base["description"])
            variants = [text + ".", text.capitalize(), text + " (cont.)", text.replace(" and ", " & ")]
            new_rows.append(
                {
                    **base,
                    "description": variants[int(rng.integers(len(variants)))],
                    "logged_at": base["logged_at"] + pd.Timedelta(minutes=int(rng.integers(5, 300))),
                    "label_kind": kind,
                }
            )
        elif kind == "late_logging":
            entries.loc[i, ["logged_at", "label_kind"]] = [
                base["logged_at"] + pd.Timedelta(days=int(rng.integers(35, 120))),
                kind,
            ]
    if new_rows:
        entries = pd.concat([entries, pd.DataFrame(new_rows)], ignore_index=True)
    return entries


def _build_invoices(
    entries: pd.DataFrame, projects: list[dict[str, Any]], rng: np.random.Generator
) -> tuple[pd.DataFrame, pd.DataFrame]:
    billable = entries[entries["billable"]].copy()
    billable["month"] = billable["work_date"].dt.to_period("M")
    project_by_id = {p["project_id"]: p for p in projects}
    invoice_rows: list[dict[str, Any]] = []
    line_rows: list[dict[str, Any]] = []
    number = 1000 + int(rng.integers(0, 500))
    for keys, group in billable.groupby(["project_id", "month"], sort=True):
        project_id, month = cast(tuple[str, Any], keys)
        project = project_by_id[project_id]
        invoice_id = f"INV-{len(invoice_rows) + 1:05d}"
        number += 1
        month_end = month.to_timestamp(how="end").normalize()
        issue = month_end + pd.Timedelta(days=int(rng.integers(1, 6)))
        card = {c["role"]: c["rate"] for c in project["rate_card"]}
        subtotal = 0.0
        for role, role_group in group.groupby("role"):
            quantity = float(role_group["hours"].sum())
            price = float(card.get(str(role), role_group["bill_rate"].median()))
            amount = round(quantity * price, 2)
            subtotal += amount
            line_rows.append(
                {
                    "invoice_id": invoice_id,
                    "description": f"{role} services {month}",
                    "quantity": quantity,
                    "unit_price": price,
                    "amount": amount,
                    "role": role,
                    "period_start": month.to_timestamp(how="start").normalize(),
                    "period_end": month_end,
                    "label_kind": "",
                }
            )
        tax = round(subtotal * project["_tax"] / 100.0, 2)
        invoice_rows.append(
            {
                "invoice_id": invoice_id,
                "invoice_number": f"{project['client_id']}-{number}",
                "client_id": project["client_id"],
                "project_id": project_id,
                "issue_date": issue,
                "due_date": issue + pd.Timedelta(days=project["payment_terms_days"]),
                "currency": project["currency"],
                "subtotal": round(subtotal, 2),
                "tax": tax,
                "total": round(subtotal + tax, 2),
                "po_number": f"PO-{project_id}",
                # A month billed only from time injected outside the SOW dates has no
                # legitimate time behind it: the invoice is an anomaly of that kind too.
                "label_kind": "period_without_time"
                if (group["label_kind"] == "outside_sow_dates").all()
                else "",
            }
        )
    return pd.DataFrame(invoice_rows), pd.DataFrame(line_rows)


def _totals(invoices: Any, lines: Any, i: int, tax_pp: float) -> None:
    invoice_id = invoices.at[i, "invoice_id"]
    subtotal = round(float(lines.loc[lines["invoice_id"] == invoice_id, "amount"].sum()), 2)
    tax = round(subtotal * tax_pp / 100.0, 2)
    invoices.loc[i, ["subtotal", "tax", "total"]] = [subtotal, tax, round(subtotal + tax, 2)]


def _inject_invoice_anomalies(
    invoices: Any,
    lines: Any,
    projects: list[dict[str, Any]],
    rng: np.random.Generator,
    rate: float,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    project_by_id = {p["project_id"]: p for p in projects}
    kinds = [k for k in INVOICE_ANOMALY_KINDS if k != "over_not_to_exceed"]
    n_total = max(len(kinds), round(len(invoices) * rate))
    # the first invoice of each project stays clean, so every project has a normal to learn
    first = invoices.groupby("project_id").head(1).index
    candidates = [int(i) for i in rng.permutation(invoices.index.difference(first))]
    new_invoices: list[dict[str, Any]] = []
    new_lines: list[dict[str, Any]] = []
    for k in range(min(n_total, len(candidates))):
        kind = kinds[k % len(kinds)]
        i = candidates[k]
        invoice: dict[str, Any] = invoices.loc[i].to_dict()
        project = project_by_id[invoice["project_id"]]
        mine = lines.index[lines["invoice_id"] == invoice["invoice_id"]]
        line = int(mine[int(rng.integers(len(mine)))])
        if kind == "line_arithmetic":
            lines.loc[line, "amount"] = round(lines.at[line, "amount"] * float(rng.uniform(1.1, 1.4)), 2)
            _totals(invoices, lines, i, project["_tax"])
        elif kind == "total_mismatch":
            invoices.loc[i, "total"] = round(
                invoice["total"] + float(rng.choice([100.0, 1000.0, 0.1 * invoice["total"]])), 2
            )
        elif kind == "price_not_on_card":
            price = round(lines.at[line, "unit_price"] * float(rng.uniform(1.08, 1.3)))
            lines.loc[line, ["unit_price", "amount"]] = [price, round(price * lines.at[line, "quantity"], 2)]
            _totals(invoices, lines, i, project["_tax"])
        elif kind == "padded_invoice":
            quantity = round(lines.at[line, "quantity"] * float(rng.uniform(1.4, 2.0)) * 4) / 4
            lines.loc[line, ["quantity", "amount"]] = [
                quantity,
                round(quantity * lines.at[line, "unit_price"], 2),
            ]
            _totals(invoices, lines, i, project["_tax"])
        elif kind == "unusual_tax_rate":
            wrong = float(
                rng.choice([t for t in (0.0, 5.0, 8.875, 18.0, 19.0, 20.0, 25.0) if t != project["_tax"]])
            )
            _totals(invoices, lines, i, wrong)
        elif kind == "currency_mismatch":
            invoices.loc[i, "currency"] = "USD" if project["currency"] != "USD" else "EUR"
        elif kind in ("duplicate_invoice", "second_invoice_in_cycle", "period_without_time"):
            new_id = f"INV-X{len(new_invoices) + 1:04d}"
            issue = invoice["issue_date"] + pd.Timedelta(days=int(rng.integers(2, 12)))
            # keep the copy in the same month (a monthly cycle) for the second-invoice kind
            if kind == "second_invoice_in_cycle" and issue.month != invoice["issue_date"].month:
                issue = invoice["issue_date"] + pd.Timedelta(days=1)
            copy = {
                **invoice,
                "invoice_id": new_id,
                "invoice_number": f"{invoice['client_id']}-{9000 + len(new_invoices)}",
                "issue_date": issue,
                "due_date": issue + pd.Timedelta(days=project["payment_terms_days"]),
                "label_kind": kind,
            }
            copied_lines = [{**lines.loc[j].to_dict(), "invoice_id": new_id} for j in mine]
            if kind == "second_invoice_in_cycle":
                for row in copied_lines:
                    row["quantity"] = round(row["quantity"] * float(rng.uniform(0.2, 0.5)) * 4) / 4
                    row["amount"] = round(row["quantity"] * row["unit_price"], 2)
                    row["description"] = row["description"] + " (additional)"
            if kind == "period_without_time":
                # a month after the project ended, when nobody logged time on it
                start = pd.Timestamp(project["end_date"]) + pd.DateOffset(months=1)
                period = start.to_period("M")
                for row in copied_lines:
                    row["period_start"] = period.to_timestamp(how="start").normalize()
                    row["period_end"] = period.to_timestamp(how="end").normalize()
                    row["description"] = f"{row['role']} services {period}"
                issue = period.to_timestamp(how="end").normalize() + pd.Timedelta(days=3)
                copy["issue_date"], copy["due_date"] = (
                    issue,
                    issue + pd.Timedelta(days=project["payment_terms_days"]),
                )
            subtotal = round(sum(r["amount"] for r in copied_lines), 2)
            tax = round(subtotal * project["_tax"] / 100.0, 2)
            copy.update({"subtotal": subtotal, "tax": tax, "total": round(subtotal + tax, 2)})
            new_invoices.append(copy)
            new_lines.extend(copied_lines)
            continue
        invoices.loc[i, "label_kind"] = kind
    if new_invoices:
        invoices = pd.concat([invoices, pd.DataFrame(new_invoices)], ignore_index=True)
        lines = pd.concat([lines, pd.DataFrame(new_lines)], ignore_index=True)
    invoices = invoices.sort_values(["issue_date", "invoice_id"], kind="stable").reset_index(drop=True)
    return invoices, lines


def _label_over_cap(invoices: pd.DataFrame, projects: list[dict[str, Any]]) -> pd.DataFrame:
    """Projects whose cap is below what they bill (cap factor < 1) carry over-NTE invoices: label them."""
    cap = {p["project_id"]: p["not_to_exceed"] for p in projects}
    ordered = invoices.sort_values(["issue_date", "invoice_id"], kind="stable")
    cumulative = ordered.groupby("project_id")["total"].cumsum()
    over = (cumulative > ordered["project_id"].map(cap)) & (ordered["label_kind"] == "")
    invoices.loc[over[over].index, "label_kind"] = "over_not_to_exceed"
    return invoices
