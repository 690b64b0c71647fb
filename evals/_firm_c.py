"""A third firm for the anomaly evals, written apart from both other simulators:
"Vistula Systems", an engineering and IT consultancy with a Kraków office (Poland) and a
Brno office (Czechia), exporting a fiscal year of timesheets from its PSA tool.

What makes it unlike the others:

- Calendars: Polish and Czech public holidays (Christmas Eve is a holiday in both from
  2025), a Saturday-Sunday weekend, a summer of leave and a quiet week after Christmas.
- Leave is *booked*, not absent: most people log a full day on the internal code
  ``INT-LEAVE`` (non-billable) when they are off; sick days go on ``INT-SICK``.
- Kraków logs in quarter hours, Brno in decimal hours to a tenth; a few seniors log whole
  hours only. Everyone has a daily stand-up entry of the same text and length.
- Logging: some log every evening, some on Friday afternoon, some in the first days of the
  next month (the PSA's month-end reminder).
- Projects: time-and-materials engagements billed from a client rate card, fixed-fee
  projects (no hourly rate on the entry), internal codes. The card is revised on
  1 January (about +7%): the history before it is billed at the old card, the context
  carries the card in force. One project closes in December, one in the scored batch.
- Year-end crunch: go-lives before Christmas mean 9-10.5 h days for the delivery teams in
  the first three weeks of December.
- People: part-timers on four days a week (their own day off) or six-hour days, joiners
  during the year, leavers; the HR export gives the leavers' exit dates except one.

Misbilling a finance reviewer at such a firm chases, labelled in ``label_kind`` (empty for
ordinary rows), in the scored batch with a trace in the history:

``closed_code`` time booked on a project code after its close date; ``autopilot_month``
the same hours and text on one project every working day for a month, replacing the
person's usual split days; ``billed_on_leave`` client hours on a day the person booked as
leave; ``junior_at_senior_rate`` after the card revision, a junior's hours billed at the
senior rate (half of them also relabelled as the senior role); ``rounded_to_hour`` a
quarter-hour logger's entries rounded up to the next whole hour or more; ``ghost_after_exit``
hours by someone who left in January (no exit date in the export); ``copied_colleague`` a
colleague's entry on the same project and day copied under another person;
``part_time_day_off`` a part-timer billing their contracted day off.

Its invoices (``FirmC.invoices`` / ``lines``, ``FIRM_C_INVOICE_KINDS``) are described with
``_simulate_invoices``: two VAT entities, reverse charge, T&M per role, fixed-fee advances and
instalments, credit notes, a not-to-exceed; they draw from their own random stream, so the
time entries are those of a seed with or without them.

Deterministic per seed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["FIRM_C_INVOICE_KINDS", "FIRM_C_TIME_KINDS", "FirmC", "simulate_firm_c"]

FIRM_C_TIME_KINDS: tuple[str, ...] = (
    "closed_code",
    "autopilot_month",
    "billed_on_leave",
    "junior_at_senior_rate",
    "rounded_to_hour",
    "ghost_after_exit",
    "copied_colleague",
    "part_time_day_off",
)

_HOLIDAYS: dict[str, tuple[str, ...]] = {
    "PL": (
        "2025-08-15", "2025-11-01", "2025-11-11", "2025-12-24", "2025-12-25", "2025-12-26",
        "2026-01-01", "2026-01-06", "2026-04-05", "2026-04-06", "2026-05-01", "2026-05-03",
        "2026-06-04",
    ),
    "CZ": (
        "2025-09-28", "2025-10-28", "2025-11-17", "2025-12-24", "2025-12-25", "2025-12-26",
        "2026-01-01", "2026-04-03", "2026-04-06", "2026-05-01", "2026-05-08",
    ),
}  # fmt: skip

#: Old card (to 31 December) per role, in PLN per hour; clients pay it in their currency.
_CARD_PLN = {
    "Junior Engineer": 140.0,
    "Engineer": 210.0,
    "Senior Engineer": 290.0,
    "Architect": 380.0,
    "Project Manager": 320.0,
    "Test Engineer": 170.0,
}
_TO_CURRENCY = {"PLN": 1.0, "EUR": 0.235, "CZK": 5.85}
_REVISION = dt.date(2026, 1, 1)
_REVISION_UPLIFT = 1.07
#: An autopilot month replaces at least this many working days with the same line.
_AUTOPILOT_MIN_DAYS = 12

_TASKS = (
    "code review", "implementation", "bug fixing", "integration tests", "deployment",
    "design workshop", "requirements clarification", "performance tuning", "data migration",
    "documentation", "client meeting", "sprint planning", "UAT support", "refactoring",
)  # fmt: skip
_PM_TASKS = ("status report", "client steering call", "budget review", "risk log update", "planning")


@dataclass
class _Engagement:
    code: str
    client: str
    currency: str
    billing: str  # tm | fixed | internal
    ticket_prefix: str
    opens: dt.date
    closes: dt.date | None

    def rate(self, role: str, day: dt.date) -> float:
        if self.billing != "tm":
            return float("nan")
        pln = _CARD_PLN[role] * (_REVISION_UPLIFT if day >= _REVISION else 1.0)
        return round(pln * _TO_CURRENCY[self.currency], 2)

    def open_on(self, day: dt.date) -> bool:
        return self.opens <= day and (self.closes is None or day <= self.closes)


@dataclass
class _Staff:
    pid: str
    office: str
    role: str
    unit: float
    logging: str  # evening | friday | month_end
    day_hours: float
    day_off: int | None  # weekday a four-day part-timer does not work
    joins: dt.date
    leaves: dt.date | None
    books_leave: bool
    engagements: list[tuple[_Engagement, float]] = field(default_factory=list)
    leave_days: set[dt.date] = field(default_factory=set)


@dataclass(frozen=True)
class FirmC:
    """Contract-shaped entries (with ``label_kind``), the context, and the batch cut."""

    entries: pd.DataFrame
    context: dict[str, Any]
    cut: pd.Timestamp
    invoices: pd.DataFrame = field(default_factory=pd.DataFrame)
    lines: pd.DataFrame = field(default_factory=pd.DataFrame)

    def split_entries(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        early = self.entries["work_date"] < self.cut
        return self.entries[early].reset_index(drop=True), self.entries[~early].reset_index(drop=True)

    def split_invoices(self) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """History invoices and lines (issued before the cut), then the batch's."""
        early = self.invoices["issue_date"] < self.cut
        parts: list[pd.DataFrame] = []
        for heads in (self.invoices[early], self.invoices[~early]):
            parts.append(heads.reset_index(drop=True))
            parts.append(
                self.lines[self.lines["invoice_id"].isin(set(heads["invoice_id"]))].reset_index(drop=True)
            )
        return parts[0], parts[1], parts[2], parts[3]


def _snap(hours: float, unit: float) -> float:
    return round(max(unit, round(hours / unit) * unit), 2)


def _ticket_text(e: _Engagement, rng: np.random.Generator) -> str:
    return f"{e.ticket_prefix}-{int(rng.integers(100, 900))} {_TASKS[int(rng.integers(len(_TASKS)))]}"


def _logged_at(day: dt.date, habit: str, rng: np.random.Generator) -> dt.datetime:
    if habit == "evening":
        return dt.datetime.combine(day, dt.time(17)) + dt.timedelta(minutes=float(rng.integers(0, 240)))
    if habit == "friday":
        friday = day + dt.timedelta(days=(4 - day.weekday()) % 7)
        return dt.datetime.combine(friday, dt.time(15)) + dt.timedelta(minutes=float(rng.integers(0, 180)))
    next_month = (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    return dt.datetime.combine(next_month, dt.time(9)) + dt.timedelta(hours=float(rng.integers(0, 72)))


def _engagements(rng: np.random.Generator, first: dt.date, last: dt.date, cut: dt.date) -> list[_Engagement]:
    clients = [
        ("K-ORLEN", "PLN"),
        ("K-BANKA", "CZK"),
        ("K-AUTOTEC", "EUR"),
        ("K-MEDIQ", "PLN"),
        ("K-LOGI", "EUR"),
    ]
    out = []
    for n in range(11):
        client, currency = clients[n % len(clients)]
        billing = "fixed" if n % 4 == 3 else "tm"
        opens = first if n < 8 else first + dt.timedelta(days=int(rng.integers(60, 170)))
        out.append(
            _Engagement(
                code=f"VS-{2025 if opens.year == 2025 else 2026}-{100 + 7 * n}",
                client=client,
                currency=currency,
                billing=billing,
                ticket_prefix=["ORL", "BNK", "ATC", "MDQ", "LOG"][n % len(clients)] + str(n),
                opens=opens,
                closes=None,
            )
        )
    out[2].closes = dt.date(2025, 12, 19)  # delivered before Christmas
    out[5].closes = cut + dt.timedelta(days=19)  # closes inside the scored batch
    for code in ("INT-ADMIN", "INT-LEAVE", "INT-SICK", "INT-TRAINING"):
        out.append(_Engagement(code, "VISTULA", "PLN", "internal", code[4:7], first, None))
    return out


def _staff(
    rng: np.random.Generator, n_people: int, first: dt.date, last: dt.date, cut: dt.date
) -> list[_Staff]:
    roles = [
        "Junior Engineer",
        "Engineer",
        "Engineer",
        "Senior Engineer",
        "Test Engineer",
        "Architect",
        "Project Manager",
    ]
    people = []
    for k in range(n_people):
        office = "PL" if rng.random() < 0.65 else "CZ"
        role = roles[k % len(roles)]
        unit = 0.25 if office == "PL" else 0.1
        if role in ("Architect", "Senior Engineer") and rng.random() < 0.35:
            unit = 1.0
        part = rng.random()
        day_off = int(rng.choice([0, 4])) if part < 0.12 else None
        day_hours = 6.0 if 0.12 <= part < 0.2 else 8.0
        joins = first if rng.random() > 0.15 else first + dt.timedelta(days=int(rng.integers(30, 200)))
        leaves = None
        if joins == first and rng.random() < 0.1:
            leaves = first + dt.timedelta(days=int(rng.integers(90, 200)))
        people.append(
            _Staff(
                pid=f"{office.lower()}{1000 + 37 * k}",
                office=office,
                role=role,
                unit=unit,
                logging=str(rng.choice(["evening", "friday", "month_end"], p=[0.5, 0.35, 0.15])),
                day_hours=day_hours,
                day_off=day_off,
                joins=joins,
                leaves=leaves,
                books_leave=bool(rng.random() < 0.8),
            )
        )
    # The one leaver the HR export will not date: left in January, before the batch.
    ghost = next(p for p in people if p.role == "Engineer" and p.joins == first and p.day_off is None)
    ghost.leaves = dt.date(2026, 1, 23)
    return people


def _assign(rng: np.random.Generator, people: list[_Staff], engagements: list[_Engagement]) -> None:
    client_work = [e for e in engagements if e.billing != "internal"]
    for p in people:
        n = 1 if p.role in ("Junior Engineer", "Test Engineer") else int(rng.integers(1, 4))
        picks = rng.choice(len(client_work), size=n, replace=False)
        weights = rng.dirichlet(np.ones(n) * 2.0)
        p.engagements = [(client_work[int(i)], float(w)) for i, w in zip(picks, weights, strict=True)]


def _leave(rng: np.random.Generator, p: _Staff, workdays: list[dt.date]) -> None:
    """Two summer weeks, the days after Christmas for most, and scattered single days."""
    summer = [d for d in workdays if dt.date(2025, 7, 1) <= d <= dt.date(2025, 8, 29)]
    if summer:
        start = int(rng.integers(0, max(1, len(summer) - 10)))
        p.leave_days.update(summer[start : start + 10])
    if rng.random() < 0.7:
        p.leave_days.update(d for d in workdays if dt.date(2025, 12, 29) <= d <= dt.date(2026, 1, 2))
    for d in rng.choice(len(workdays), size=8, replace=False):
        p.leave_days.add(workdays[int(d)])


def simulate_firm_c(
    seed: int = 0,
    *,
    n_people: int = 44,
    start: str = "2025-07-01",
    end: str = "2026-04-30",
    batch_from: str = "2026-03-02",
    anomaly_rate: float = 0.025,
) -> FirmC:
    """Vistula Systems' year to ``end``; the scored batch starts at ``batch_from``."""
    rng = np.random.default_rng(seed + 7_000)
    first, last, cut = (dt.date.fromisoformat(x) for x in (start, end, batch_from))
    holidays = {c: {dt.date.fromisoformat(h) for h in hs} for c, hs in _HOLIDAYS.items()}
    engagements = _engagements(rng, first, last, cut)
    by_code = {e.code: e for e in engagements}
    people = _staff(rng, n_people, first, last, cut)
    _assign(rng, people, engagements)

    rows: list[dict[str, Any]] = []

    def book(
        p: _Staff, e: _Engagement, day: dt.date, hours: float, text: str, *, role: str | None = None
    ) -> None:
        billed_role = role or p.role
        rows.append(
            {
                "person_id": p.pid,
                "project_id": e.code,
                "client_id": e.client,
                "work_date": day,
                "hours": hours,
                "billable": e.billing != "internal",
                "role": billed_role,
                "bill_rate": e.rate(billed_role, day),
                "currency": e.currency,
                "description": text,
                "logged_at": _logged_at(day, p.logging, rng),
                "label_kind": "",
            }
        )

    all_days = [first + dt.timedelta(days=k) for k in range((last - first).days + 1)]
    for p in people:
        workdays = [
            d
            for d in all_days
            if d.weekday() < 5
            and d not in holidays[p.office]
            and d >= p.joins
            and (p.leaves is None or d <= p.leaves)
            and d.weekday() != p.day_off
        ]
        _leave(rng, p, workdays)
        for day in workdays:
            if day in p.leave_days:
                if p.books_leave:
                    book(p, by_code["INT-LEAVE"], day, p.day_hours, "Annual leave")
                continue
            if rng.random() < 0.02:
                book(p, by_code["INT-SICK"], day, p.day_hours, "Sick leave")
                continue
            live = [(e, w) for e, w in p.engagements if e.open_on(day)]
            crunch = dt.date(2025, 12, 1) <= day <= dt.date(2025, 12, 19) and p.role != "Project Manager"
            total = p.day_hours + (float(rng.uniform(1.0, 2.5)) if crunch else float(rng.normal(0, 0.4)))
            if p.role != "Project Manager":
                book(
                    p,
                    by_code["INT-ADMIN"] if not live else live[0][0],
                    day,
                    0.25 if p.unit < 1 else 1.0,
                    "Daily stand-up",
                )
                total -= 0.25 if p.unit < 1 else 1.0
            if rng.random() < 0.05:
                hours = _snap(float(rng.uniform(1, 3)), p.unit)
                book(p, by_code["INT-TRAINING"], day, hours, "Internal training")
                total -= hours
            if not live:
                book(
                    p, by_code["INT-ADMIN"], day, _snap(max(total, p.unit), p.unit), "Bench / internal tasks"
                )
                continue
            weights = np.array([w for _, w in live])
            pieces = 1 + int(rng.random() < 0.5) + int(rng.random() < 0.2)
            split = rng.dirichlet(np.ones(pieces) * 3) * max(total, p.unit)
            for hours in split:
                e = live[int(rng.choice(len(live), p=weights / weights.sum()))][0]
                task = (
                    _PM_TASKS[int(rng.integers(len(_PM_TASKS)))]
                    if p.role == "Project Manager"
                    else _TASKS[int(rng.integers(len(_TASKS)))]
                )
                ticket = f"{e.ticket_prefix}-{int(rng.integers(100, 900))}"
                book(p, e, day, _snap(float(hours), p.unit), f"{ticket} {task}")

    frame = pd.DataFrame(rows)
    frame = _misbill(rng, frame, people, engagements, holidays, first, cut, last, anomaly_rate)
    frame = frame.sort_values(["work_date", "person_id", "logged_at"], kind="stable").reset_index(drop=True)
    frame.insert(0, "entry_id", [f"TS{seed:02d}-{k:06d}" for k in range(len(frame))])
    frame["work_date"] = pd.to_datetime(frame["work_date"])
    frame["logged_at"] = pd.to_datetime(frame["logged_at"])
    invoices, lines, caps = _simulate_invoices(seed, frame, engagements, first, last, cut)
    context = _context(people, engagements, holidays, caps)
    return FirmC(entries=frame, context=context, cut=pd.Timestamp(cut), invoices=invoices, lines=lines)


def _misbill(
    rng: np.random.Generator,
    frame: pd.DataFrame,
    people: list[_Staff],
    engagements: list[_Engagement],
    holidays: dict[str, set[dt.date]],
    first: dt.date,
    cut: dt.date,
    last: dt.date,
    rate: float,
) -> pd.DataFrame:
    by_pid = {p.pid: p for p in people}
    by_code = {e.code: e for e in engagements}
    in_batch = frame["work_date"] >= cut
    per_kind = max(6, int(rate * int(in_batch.sum()) / len(FIRM_C_TIME_KINDS)))
    client_rows = frame["billable"] & (frame["description"] != "Daily stand-up")
    added: list[dict[str, Any]] = []

    def sample(mask: pd.Series, n: int) -> np.ndarray:
        idx = np.flatnonzero(mask.to_numpy() & (frame["label_kind"] == "").to_numpy())
        return rng.choice(idx, size=min(n, len(idx)), replace=False) if len(idx) else idx

    def cell(i: Any, column: str) -> Any:
        return frame.at[i, column]

    def like(row: pd.Series, **changes: Any) -> dict[str, Any]:
        out: dict[str, Any] = {str(k): v for k, v in row.to_dict().items()}
        out.update(changes)
        return out

    # rounded_to_hour: quarter-hour entries pushed up to the next whole hour (plus one, now and then).
    quarter = frame["person_id"].map(lambda pid: by_pid[pid].unit == 0.25) & client_rows
    fractional = (frame["hours"] % 1) > 0
    for phase, n in ((in_batch, per_kind * 2), (~in_batch, per_kind // 2)):
        for i in sample(quarter & fractional & phase, n):
            frame.at[i, "hours"] = float(np.ceil(cell(i, "hours")) + (1 if rng.random() < 0.3 else 0))
            frame.at[i, "label_kind"] = "rounded_to_hour"

    # junior_at_senior_rate: after the card revision, a junior's T&M hours at the senior rate.
    juniors = [p.pid for p in people if p.role == "Junior Engineer"]
    tm = frame["project_id"].map(lambda c: by_code[c].billing == "tm")
    after = frame["work_date"] >= _REVISION
    for phase, n in ((in_batch, per_kind), (~in_batch & after, per_kind // 3)):
        for j, i in enumerate(sample(frame["person_id"].isin(juniors) & tm & client_rows & phase, n)):
            e = by_code[cell(i, "project_id")]
            frame.at[i, "bill_rate"] = e.rate("Senior Engineer", cell(i, "work_date"))
            if j % 2 == 0:
                frame.at[i, "role"] = "Senior Engineer"
            frame.at[i, "label_kind"] = "junior_at_senior_rate"

    # billed_on_leave: client hours added on a day the person booked as leave.
    leave = frame[(frame["project_id"] == "INT-LEAVE")]
    for phase, n in ((leave["work_date"] >= cut, per_kind), (leave["work_date"] < cut, per_kind // 3)):
        candidates = leave[phase.to_numpy()]
        for i in rng.choice(candidates.index.to_numpy(), size=min(n, len(candidates)), replace=False):
            p = by_pid[cell(i, "person_id")]
            day = cell(i, "work_date")
            live = [e for e, _ in p.engagements if e.open_on(day)]
            if not live:
                continue
            e = live[0]
            hours = _snap(float(rng.uniform(2, 6)), p.unit)
            added.append(
                like(
                    frame.loc[i],
                    project_id=e.code,
                    client_id=e.client,
                    billable=True,
                    bill_rate=e.rate(p.role, day),
                    currency=e.currency,
                    hours=hours,
                    description=_ticket_text(e, rng),
                    label_kind="billed_on_leave",
                )
            )

    # copied_colleague: a colleague's entry duplicated under someone else who works that day.
    staffed = frame[client_rows & (frame["label_kind"] == "")]
    worked = set(zip(frame["person_id"], frame["work_date"], strict=True))
    for phase, n in ((staffed["work_date"] >= cut, per_kind), (staffed["work_date"] < cut, per_kind // 3)):
        source = staffed[phase.to_numpy()]
        for i in rng.choice(source.index.to_numpy(), size=min(4 * n, len(source)), replace=False):
            if n <= 0:
                break
            row = frame.loc[i]
            others = [
                p
                for p in people
                if p.pid != row["person_id"]
                and any(e.code == row["project_id"] for e, _ in p.engagements)
                and (p.pid, row["work_date"]) in worked
            ]
            if not others:
                continue
            other = others[int(rng.integers(len(others)))]
            added.append(
                like(
                    row,
                    person_id=other.pid,
                    role=other.role,
                    bill_rate=by_code[row["project_id"]].rate(other.role, row["work_date"]),
                    # One can only copy what is already there.
                    logged_at=row["logged_at"] + dt.timedelta(hours=float(rng.uniform(1, 30))),
                    label_kind="copied_colleague",
                )
            )
            n -= 1

    # part_time_day_off: a four-day part-timer bills their day off.
    part_timers = [p for p in people if p.day_off is not None and p.leaves is None]
    for k in range(per_kind + per_kind // 3):
        if not part_timers:
            break
        p = part_timers[k % len(part_timers)]
        span_start, span_end = (
            (cut, last) if k < per_kind else (max(first, p.joins), cut - dt.timedelta(days=1))
        )
        offs = [
            span_start + dt.timedelta(days=d)
            for d in range((span_end - span_start).days + 1)
            if (span_start + dt.timedelta(days=d)).weekday() == p.day_off
            and span_start + dt.timedelta(days=d) not in holidays[p.office]
        ]
        if not offs:
            continue
        day = offs[int(rng.integers(len(offs)))]
        e = p.engagements[0][0]
        if not e.open_on(day):
            continue
        added.append(
            {
                "person_id": p.pid,
                "project_id": e.code,
                "client_id": e.client,
                "work_date": day,
                "hours": _snap(float(rng.uniform(4, p.day_hours)), p.unit),
                "billable": e.billing != "internal",
                "role": p.role,
                "bill_rate": e.rate(p.role, day),
                "currency": e.currency,
                "description": _ticket_text(e, rng),
                "logged_at": _logged_at(day, p.logging, rng),
                "label_kind": "part_time_day_off",
            }
        )

    # closed_code: hours on codes after they closed (December's project in January, the
    # batch's project after its close date).
    for e in engagements:
        if e.closes is None:
            continue
        closes = e.closes
        crew = [p for p in people if any(x.code == e.code for x, _ in p.engagements) and p.leaves is None][:3]
        for p in crew:
            for _ in range(max(2, per_kind // 3)):
                day = closes + dt.timedelta(days=int(rng.integers(3, 35)))
                if day.weekday() >= 5 or day in holidays[p.office] or day > last:
                    continue
                added.append(
                    {
                        "person_id": p.pid,
                        "project_id": e.code,
                        "client_id": e.client,
                        "work_date": day,
                        "hours": _snap(float(rng.uniform(1, 4)), p.unit),
                        "billable": True,
                        "role": p.role,
                        "bill_rate": e.rate(p.role, day),
                        "currency": e.currency,
                        "description": f"{e.ticket_prefix}-{int(rng.integers(100, 900))} warranty fixes",
                        "logged_at": _logged_at(day, p.logging, rng),
                        "label_kind": "closed_code",
                    }
                )

    # ghost_after_exit: the undated leaver's login bills their old project, a few days a week.
    ghost = next(p for p in people if p.leaves == dt.date(2026, 1, 23))
    e = next((x for x, _ in ghost.engagements if x.closes is None), ghost.engagements[0][0])
    for day in (cut + dt.timedelta(days=d) for d in range((last - cut).days + 1)):
        if day.weekday() >= 5 or day in holidays[ghost.office] or rng.random() < 0.5:
            continue
        added.append(
            {
                "person_id": ghost.pid,
                "project_id": e.code,
                "client_id": e.client,
                "work_date": day,
                "hours": _snap(float(rng.uniform(3, 7)), ghost.unit),
                "billable": True,
                "role": ghost.role,
                "bill_rate": e.rate(ghost.role, day),
                "currency": e.currency,
                "description": _ticket_text(e, rng),
                "logged_at": dt.datetime.combine(last, dt.time(10)),
                "label_kind": "ghost_after_exit",
            }
        )

    # autopilot_month: one person's April (and one history month for another) becomes one line a day.
    frame = pd.concat([frame, pd.DataFrame(added)], ignore_index=True)
    splitters = [
        p
        for p in people
        if p.leaves is None and p.unit < 1 and p.day_off is None and p.role != "Project Manager"
    ]
    months = [(cut.replace(day=1) + dt.timedelta(days=32)).replace(day=1), dt.date(2025, 10, 1)]
    for month in months:
        month_end = (month + dt.timedelta(days=32)).replace(day=1)
        in_month = frame["billable"] & (frame["work_date"] >= month) & (frame["work_date"] < month_end)
        busy = frame.loc[in_month].groupby("person_id")["work_date"].nunique()
        # Someone with client work that month (a person on the bench has nothing to fill).
        fillers = [p for p in splitters if busy.get(p.pid, 0) >= _AUTOPILOT_MIN_DAYS]
        who = fillers[int(rng.integers(len(fillers)))]
        open_all_month = [x for x, _ in who.engagements if x.open_on(month) and x.open_on(month_end)]
        e = open_all_month[0] if open_all_month else who.engagements[0][0]
        mask = (
            (frame["person_id"] == who.pid)
            & (frame["work_date"] >= month)
            & (frame["work_date"] < month_end)
            & frame["billable"]
            & (frame["label_kind"] == "")
        )
        days = sorted(set(frame.loc[mask, "work_date"]))
        frame = frame[~mask]
        text = f"{e.ticket_prefix} development"
        frame = pd.concat(
            [
                frame,
                pd.DataFrame(
                    [
                        {
                            "person_id": who.pid,
                            "project_id": e.code,
                            "client_id": e.client,
                            "work_date": day,
                            "hours": 8.0,
                            "billable": True,
                            "role": who.role,
                            "bill_rate": e.rate(who.role, day),
                            "currency": e.currency,
                            "description": text,
                            "logged_at": _logged_at(day, who.logging, rng),
                            "label_kind": "autopilot_month",
                        }
                        for day in days
                    ]
                ),
            ],
            ignore_index=True,
        )
    return frame


def _context(
    people: list[_Staff],
    engagements: list[_Engagement],
    holidays: dict[str, set[dt.date]],
    caps: dict[str, float],
) -> dict[str, Any]:
    projects = []
    for e in engagements:
        if e.billing == "internal":
            continue
        item: dict[str, Any] = {
            "project_id": e.code,
            "client_id": e.client,
            "currency": e.currency,
            "start_date": e.opens.isoformat(),
            "payment_terms_days": _TERMS_DAYS[e.currency],
            "invoice_frequency": "monthly" if e.billing == "tm" else "milestone",
        }
        if e.code in caps:
            item["not_to_exceed"] = caps[e.code]
        if e.closes is not None:
            item["end_date"] = e.closes.isoformat()
        if e.billing == "tm":
            item["rate_card"] = [
                {"role": role, "rate": e.rate(role, _REVISION), "unit": "hour"} for role in _CARD_PLN
            ]
        projects.append(item)
    staff = []
    for p in people:
        item = {
            "person_id": p.pid,
            "role": p.role,
            "hours_per_day": p.day_hours,
            "country": p.office,
            "hire_date": p.joins.isoformat(),
        }
        if p.leaves is not None and p.leaves != dt.date(2026, 1, 23):
            item["leaving_date"] = p.leaves.isoformat()
        staff.append(item)
    return {
        "projects": projects,
        "people": staff,
        "holidays": [
            {"country": c, "date": d.isoformat()} for c, days in holidays.items() for d in sorted(days)
        ],
    }


# --- Invoices ------------------------------------------------------------------------------
#
# Vistula invoices from two legal entities: the Kraków company (VAT 23%, numbers
# ``FV/2026/03/014``) bills Polish clients and, reverse charged at 0%, the EU clients in EUR;
# the Brno branch (DPH 21%, numbers ``2026100042``) bills the Czech ones. T&M projects are
# invoiced monthly in arrears from the PSA's billable hours per role at the card in force
# for the month; fixed-fee projects bill a 20% advance when they open (dated before the
# work, which is normal there) and monthly instalments of the rest. Corrections are
# credit notes (negative lines naming the invoice they correct). Some T&M projects carry
# a not-to-exceed.

FIRM_C_INVOICE_KINDS: tuple[str, ...] = (
    "vat_on_reverse_charge",
    "wrong_entity_vat",
    "hours_above_logged",
    "old_card_rate",
    "credit_over_original",
    "issued_before_period_end",
    "over_cap",
)

_VAT = {"K-ORLEN": 23.0, "K-MEDIQ": 23.0, "K-BANKA": 21.0, "K-AUTOTEC": 0.0, "K-LOGI": 0.0}
_TERMS_DAYS = {"PLN": 30, "CZK": 14, "EUR": 45}
_ADVANCE_SHARE = 0.2
_INSTALMENTS = 8


def _working_day_after(day: dt.date, days: int) -> dt.date:
    out = day + dt.timedelta(days=days)
    while out.weekday() >= 5:
        out += dt.timedelta(days=1)
    return out


class _Ledger:
    """Issued invoices and lines, numbered per entity the way each office's system does."""

    def __init__(self, seed: int) -> None:
        self.heads: list[dict[str, Any]] = []
        self.lines: list[dict[str, Any]] = []
        self.counter: dict[tuple[str, int], int] = {}
        self.seed = seed

    def number(self, e: _Engagement, issued: dt.date, credit: bool) -> str:
        czech = e.currency == "CZK"
        key = ("CZ" if czech else "PL") + ("K" if credit else ""), issued.year
        self.counter[key] = self.counter.get(key, 0) + 1
        seq = self.counter[key]
        if czech:
            return f"{issued.year}{'2' if credit else '1'}{seq:05d}"
        return f"{'KOR' if credit else 'FV'}/{issued.year}/{issued.month:02d}/{seq:03d}"

    def issue(
        self,
        e: _Engagement,
        issued: dt.date,
        body: list[dict[str, Any]],
        *,
        kind: str = "",
        vat: float | None = None,
        credit: bool = False,
    ) -> dict[str, Any]:
        number = self.number(e, issued, credit)
        net = round(sum(b["amount"] for b in body), 2)
        tax = round(net * (_VAT[e.client] if vat is None else vat) / 100.0, 2)
        head = {
            "invoice_id": f"VSI{self.seed:02d}-{len(self.heads):05d}",
            "invoice_number": number,
            "client_id": e.client,
            "project_id": e.code,
            "issue_date": issued,
            "due_date": issued + dt.timedelta(days=_TERMS_DAYS[e.currency]),
            "currency": e.currency,
            "subtotal": net,
            "tax": tax,
            "total": round(net + tax, 2),
            "po_number": f"ZAM-{e.client[2:]}-{e.code[-3:]}",
            "label_kind": kind,
        }
        self.heads.append(head)
        self.lines.extend({**b, "invoice_id": head["invoice_id"]} for b in body)
        return head


def _role_lines(
    e: _Engagement, hours: dict[str, float], start: dt.date, end: dt.date, price_day: dt.date
) -> list[dict[str, Any]]:
    return [
        {
            "description": f"{role}: T&M services {start:%m/%Y}",
            "quantity": round(h, 2),
            "unit_price": e.rate(role, price_day),
            "amount": round(round(h, 2) * e.rate(role, price_day), 2),
            "role": role,
            "period_start": start,
            "period_end": end,
        }
        for role, h in sorted(hours.items())
        if h > 0
    ]


def _simulate_invoices(
    seed: int,
    entries: pd.DataFrame,
    engagements: list[_Engagement],
    first: dt.date,
    last: dt.date,
    cut: dt.date,
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, float]]:
    """All invoices of the year (the last month's are issued after ``last``), with the
    misbilling of ``FIRM_C_INVOICE_KINDS`` injected; returns the not-to-exceed per project."""
    rng = np.random.default_rng(seed + 9_000)
    ledger = _Ledger(seed)
    # Finance bills the project's billable hours inside its open dates (time booked on a
    # closed code is the PSA's problem, not the client's).
    closes = {e.code: pd.Timestamp(e.closes or last) for e in engagements}
    billable = entries[entries["billable"] & (entries["work_date"] <= entries["project_id"].map(closes))]
    month_of = pd.to_datetime(billable["work_date"]).dt.to_period("M")
    logged = billable.groupby([billable["project_id"], month_of, billable["role"]])["hours"].sum()
    hours_by: dict[tuple[str, Any], dict[str, float]] = {}
    for code, month, role, h in zip(
        logged.index.get_level_values(0),
        logged.index.get_level_values(1),
        logged.index.get_level_values(2),
        logged.to_numpy(),
        strict=True,
    ):
        hours_by.setdefault((str(code), month), {})[str(role)] = float(h)
    months = pd.period_range(first, last, freq="M")
    client_work = [e for e in engagements if e.billing != "internal"]
    # Which batch month gets which misbilling: two of each kind over the batch's invoices.
    plan: dict[str, int] = {k: 2 for k in FIRM_C_INVOICE_KINDS}
    trace = {"vat_on_reverse_charge", "hours_above_logged", "credit_over_original"}

    def wants(kind: str, issued: dt.date, ok: bool) -> bool:
        if not ok:
            return False
        if issued >= cut:
            if plan[kind] > 0 and rng.random() < 0.5:
                plan[kind] -= 1
                return True
            return False
        if kind in trace and rng.random() < 0.04:
            trace.discard(kind)
            return True
        return False

    tm_invoices: list[tuple[dict[str, Any], _Engagement]] = []
    for e in client_work:
        ends = e.closes or last
        fee = round(float(rng.integers(36, 80)) * 10_000 * _TO_CURRENCY[e.currency], -2)
        if e.billing == "fixed":
            advance = round(fee * _ADVANCE_SHARE, 2)
            ledger.issue(
                e,
                e.opens,
                [
                    {
                        "description": f"Advance {int(_ADVANCE_SHARE * 100)}% of the fixed fee",
                        "quantity": 1.0,
                        "unit_price": advance,
                        "amount": advance,
                        "role": "",
                        "period_start": e.opens,
                        "period_end": ends,
                    }
                ],
            )
            instalment = round(fee * (1 - _ADVANCE_SHARE) / _INSTALMENTS, 2)
            for n, month in enumerate(m for m in months if m.start_time.date() >= e.opens):
                if n >= _INSTALMENTS:
                    break
                start, end = month.start_time.date(), month.end_time.date()
                ledger.issue(
                    e,
                    _working_day_after(end, int(rng.integers(1, 6))),
                    [
                        {
                            "description": f"Fixed fee, instalment {n + 1}/{_INSTALMENTS}",
                            "quantity": 1.0,
                            "unit_price": instalment,
                            "amount": instalment,
                            "role": "",
                            "period_start": start,
                            "period_end": end,
                        }
                    ],
                )
            continue
        for month in months:
            start = max(month.start_time.date(), e.opens)
            end = min(month.end_time.date(), ends)
            if start > end:
                continue
            hours = hours_by.get((e.code, month), {})
            if not hours:
                continue
            issued = _working_day_after(month.end_time.date(), int(rng.integers(2, 8)))
            kind = ""
            body = _role_lines(e, hours, start, end, start)
            vat: float | None = None
            if wants("vat_on_reverse_charge", issued, _VAT[e.client] == 0.0):
                kind, vat = "vat_on_reverse_charge", 23.0
            elif wants("wrong_entity_vat", issued, _VAT[e.client] > 0):
                kind, vat = "wrong_entity_vat", 44.0 - _VAT[e.client]
            elif wants("hours_above_logged", issued, True):
                k = int(rng.integers(len(body)))
                extra = max(2.0, round(body[k]["quantity"] * float(rng.uniform(0.1, 0.25))))
                body[k]["quantity"] = round(body[k]["quantity"] + extra, 2)
                body[k]["amount"] = round(body[k]["quantity"] * body[k]["unit_price"], 2)
                kind = "hours_above_logged"
            elif wants("old_card_rate", issued, start >= _REVISION):
                body = _role_lines(e, hours, start, end, _REVISION - dt.timedelta(days=1))
                kind = "old_card_rate"
            elif wants("issued_before_period_end", issued, True):
                issued = start + dt.timedelta(days=int(rng.integers(12, 20)))
                kind = "issued_before_period_end"
            if e.currency == "EUR" and rng.random() < 0.2:
                cost = round(float(rng.uniform(300, 1400)), 2)
                body.append(
                    {
                        "description": "Travel expenses (flights, hotel), at cost",
                        "quantity": 1.0,
                        "unit_price": cost,
                        "amount": cost,
                        "role": "",
                        "period_start": pd.NaT,
                        "period_end": pd.NaT,
                    }
                )
            head = ledger.issue(e, issued, body, kind=kind, vat=vat)
            tm_invoices.append((head, e))

    invoices = pd.DataFrame(ledger.heads)
    # A not-to-exceed on the T&M projects that started with the year, 6-15% above what the
    # year bills; a change request invoiced on top breaks it.
    caps: dict[str, float] = {}
    for e in client_work:
        if e.billing != "tm" or e.opens != first or e.closes is not None:
            continue
        billed = float(invoices.loc[invoices["project_id"] == e.code, "total"].sum())
        if billed > 0:
            caps[e.code] = round(billed * float(rng.uniform(1.06, 1.15)), -3)
    # The change request goes on the capped project's last invoice (nothing billed after it).
    last_of: dict[str, dict[str, Any]] = {}
    for head, e in tm_invoices:
        if e.code in caps and head["issue_date"] >= last_of.get(e.code, head)["issue_date"]:
            last_of[e.code] = head
    targets = [h for h in last_of.values() if not h["label_kind"] and h["issue_date"] >= cut]
    for k in rng.permutation(len(targets))[: plan["over_cap"]]:
        head = targets[int(k)]
        code = head["project_id"]
        gross = 1 + _VAT[head["client_id"]] / 100.0
        to_date = float(invoices.loc[invoices["project_id"] == code, "total"].sum())
        amount = round((caps[code] - to_date) / gross + caps[code] * float(rng.uniform(0.02, 0.06)), -2)
        ledger.lines.append(
            {
                "invoice_id": head["invoice_id"],
                "description": "Change request CR-07: additional scope",
                "quantity": 1.0,
                "unit_price": amount,
                "amount": amount,
                "role": "",
                "period_start": pd.NaT,
                "period_end": pd.NaT,
            }
        )
        head["subtotal"] = round(head["subtotal"] + amount, 2)
        head["tax"] = round(head["subtotal"] * _VAT[head["client_id"]] / 100.0, 2)
        head["total"] = round(head["subtotal"] + head["tax"], 2)
        head["label_kind"] = "over_cap"
    # Credit notes: a disputed part of one line, two to four weeks later; now and then, one
    # that credits more than the invoice it corrects.
    lines_by_invoice: dict[str, list[dict[str, Any]]] = {}
    for line in ledger.lines:
        lines_by_invoice.setdefault(line["invoice_id"], []).append(line)
    for head, e in list(tm_invoices):
        if head["label_kind"] or rng.random() > 0.12:
            continue
        issued = _working_day_after(head["issue_date"], int(rng.integers(14, 30)))
        originals = [x for x in lines_by_invoice[head["invoice_id"]] if x["role"]]
        if wants("credit_over_original", issued, True):
            # Credits half as much again as the whole invoice, spread over its hourly lines.
            hourly_net = sum(x["amount"] for x in originals)
            factor = 1.5 * head["subtotal"] / hourly_net
            body = [
                {
                    **x,
                    "description": f"Correction to {head['invoice_number']}: {x['role']} hours",
                    "quantity": -round(x["quantity"] * factor, 2),
                    "amount": -round(round(x["quantity"] * factor, 2) * x["unit_price"], 2),
                }
                for x in originals
            ]
            kind = "credit_over_original"
        else:
            x = originals[int(rng.integers(len(originals)))]
            q = max(1.0, round(x["quantity"] * float(rng.uniform(0.03, 0.15))))
            body = [
                {
                    **x,
                    "description": f"Correction to {head['invoice_number']}: {x['role']} hours not accepted",
                    "quantity": -q,
                    "amount": -round(q * x["unit_price"], 2),
                }
            ]
            kind = ""
        vat = 100.0 * head["tax"] / head["subtotal"] if head["subtotal"] else 0.0
        ledger.issue(e, issued, body, kind=kind, vat=round(vat), credit=True)

    invoices = pd.DataFrame(ledger.heads)
    lines = pd.DataFrame(ledger.lines)
    for column in ("issue_date", "due_date"):
        invoices[column] = pd.to_datetime(invoices[column])
    for column in ("period_start", "period_end"):
        lines[column] = pd.to_datetime(lines[column])
    return invoices, lines, caps
