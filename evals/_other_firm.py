"""A firm that is *not* drawn from ``training.firm_generator``: an independent
simulator the anomaly evals use to see how the scorer does on habits,
calendars and kinds of misbilling it was not built around.

"Meridian Advisory" has offices in Israel and Saudi Arabia (Friday-Saturday
weekends, their own holidays, a Ramadan month of short days), the Netherlands
(7.5 h days, a summer of leave) and Singapore. Its people log in different
ways: consultants split a day into several quarter-hour entries across
projects, day loggers book one whole day, part-timers work four days with
their own day off, night-shift support engineers work a rota that includes
weekends and holidays on a fixed-fee managed service, and some people log
weekly or once a month. Rates come from client-level rate cards in each
project's currency; some projects are monthly retainers with no hourly rate;
some people are promoted mid-year; some leave, some join late.

Misbilling is injected (labelled in ``label_kind``, empty for normal items)
with its own kinds, mostly in the later batch the evals score, with a trace
in the history too (a real history is not clean). Deterministic per seed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import pandas as pd

__all__ = [
    "OTHER_INVOICE_KINDS",
    "OTHER_TIME_KINDS",
    "Habits",
    "OtherFirm",
    "simulate_other_firm",
]

OTHER_TIME_KINDS: tuple[str, ...] = (
    "padding_creep",
    "cloned_entry",
    "higher_role_rate",
    "closed_project",
    "leaver_billing",
    "rounded_up",
    "backfilled_late",
    "cross_project_duplicate",
    "off_day_billing",
    "holiday_billing",
    "marathon_day",
    "wrong_currency",
)
OTHER_INVOICE_KINDS: tuple[str, ...] = (
    "hours_not_matching_time",
    "split_under_cap",
    "wrong_tax",
    "rate_above_card",
    "resent_duplicate",
    "retainer_overbilled",
    "line_amount_error",
    "wrong_currency",
    "billed_after_close",
)

# Monday = 0 ... Sunday = 6
_OFFICES: dict[str, dict[str, Any]] = {
    "IL": {
        "weekend": (4, 5),
        "day": 8.6,
        "currency": "ILS",
        "vat": 18.0,
        "holidays": [
            "2026-04-02", "2026-04-08", "2026-04-22", "2026-05-22", "2026-09-12",
            "2026-09-13", "2026-09-21", "2026-09-26", "2026-10-03",
        ],
    },
    "SA": {
        "weekend": (4, 5),
        "day": 8.0,
        "currency": "SAR",
        "vat": 15.0,
        "holidays": [
            "2026-02-22", "2026-03-19", "2026-03-22", "2026-03-23", "2026-05-26",
            "2026-05-27", "2026-05-28", "2026-05-31", "2026-09-23",
        ],
        "short_days": ("2026-02-18", "2026-03-18", 6.0),
    },
    "NL": {
        "weekend": (5, 6),
        "day": 7.5,
        "currency": "EUR",
        "vat": 21.0,
        "holidays": [
            "2026-01-01", "2026-04-06", "2026-04-27", "2026-05-14", "2026-05-25",
            "2026-12-25", "2026-12-26",
        ],
    },
    "SG": {
        "weekend": (5, 6),
        "day": 8.5,
        "currency": "SGD",
        "vat": 9.0,
        "holidays": [
            "2026-01-01", "2026-02-17", "2026-02-18", "2026-03-21", "2026-04-03",
            "2026-05-01", "2026-05-27", "2026-06-01", "2026-08-10", "2026-11-09",
            "2026-12-25",
        ],
    },
}  # fmt: skip
_FX = {"USD": 1.0, "ILS": 3.7, "SAR": 3.75, "EUR": 0.92, "SGD": 1.35}
_LADDER = ("Associate", "Specialist", "Lead", "Director", "Partner")
_BASE_RATE = {"Associate": 95.0, "Specialist": 140.0, "Lead": 190.0, "Director": 260.0, "Partner": 340.0}
_SUPPORT = "Support Engineer"
_WORDS = {
    "Associate": ["data cleansing", "slide prep", "minutes and actions", "model inputs", "desk research"],
    "Specialist": [
        "integration testing",
        "config changes",
        "vendor call",
        "analysis of {x}",
        "backlog grooming",
    ],
    "Lead": ["design authority", "workstream sync", "{x} deep dive", "review of test results", "planning"],
    "Director": ["steerco prep", "client exec meeting", "commercials", "{x} escalation", "QA of deliverable"],
    "Partner": ["relationship call", "board pack review", "proposal for phase 2", "{x} strategy session"],
}
_TOPICS = ["pricing", "payroll", "CRM", "supply chain", "risk model", "ERP cutover", "data lake", "treasury"]
_FEE_LINE = {"service": "Managed service", "retainer": "Advisory retainer"}
_SUPPORT_WORDS = ["night shift monitoring", "incident triage", "on-call handover", "batch job checks"]


@dataclass
class OtherFirm:
    """Contract-shaped frames (with ``label_kind``), the context, and the history/batch cut."""

    entries: pd.DataFrame
    invoices: pd.DataFrame
    lines: pd.DataFrame
    context: dict[str, Any]
    cut: pd.Timestamp  # entries and invoices on/after it are the scored batch

    def split_entries(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        early = self.entries["work_date"] < self.cut
        return self.entries[early].reset_index(drop=True), self.entries[~early].reset_index(drop=True)

    def split_invoices(self) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        early = self.invoices["issue_date"] < self.cut
        history, batch = self.invoices[early], self.invoices[~early]
        lines_of = self.lines.groupby("invoice_id")
        pick = lambda ids: self.lines[self.lines["invoice_id"].isin(set(ids))].reset_index(drop=True)  # noqa: E731
        del lines_of
        return (
            history.reset_index(drop=True),
            pick(history["invoice_id"]),
            batch.reset_index(drop=True),
            pick(batch["invoice_id"]),
        )


@dataclass(frozen=True)
class Habits:
    """How the firm's people work and log; the defaults are Meridian's."""

    #: Share of people in each office (IL, SA, NL, SG).
    office_mix: tuple[float, float, float, float] = (0.35, 0.2, 0.25, 0.2)
    #: Share logging the same day, at the end of the week, once a month.
    logging_mix: tuple[float, float, float] = (0.55, 0.35, 0.1)
    #: Hours unit of the consultants who split their days (0.1: six-minute units).
    consultant_step: float = 0.25
    #: Share of days with one to three extra hours.
    long_day_share: float = 0.06


@dataclass
class _Person:
    pid: str
    office: str
    kind: str  # consultant | day_logger | part_time | support
    role: str
    promoted_on: dt.date | None
    next_role: str | None
    joined: dt.date
    left: dt.date | None
    logging: str  # same_day | weekly | monthly
    pace: float
    step: float
    off_day: int | None
    leave: list[tuple[dt.date, dt.date]]

    def role_on(self, day: dt.date) -> str:
        if self.promoted_on is not None and self.next_role and day >= self.promoted_on:
            return self.next_role
        return self.role


def _dates(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=k) for k in range((end - start).days + 1)]


def _round_to(value: float, step: float) -> float:
    return max(step, round(value / step) * step)


def simulate_other_firm(
    seed: int = 0,
    *,
    n_people: int = 48,
    n_clients: int = 9,
    n_projects: int = 22,
    start: str = "2026-01-04",
    end: str = "2026-12-24",
    batch_from: str = "2026-09-01",
    anomaly_rate: float = 0.03,
    invoice_anomaly_rate: float = 0.15,
    people_dates: bool = True,
    habits: Habits | None = None,
) -> OtherFirm:
    """Simulate Meridian Advisory's year; the batch starts at ``batch_from``.

    ``people_dates``: the people export carries hire and leaving dates (an HR system's);
    without them a leaver is known only from their entries. ``habits``: how people work and
    log (``Habits()`` by default)."""
    habits = habits or Habits()
    rng = np.random.default_rng(seed)
    first, last, cut = (
        dt.date.fromisoformat(start),
        dt.date.fromisoformat(end),
        dt.date.fromisoformat(batch_from),
    )
    days = _dates(first, last)
    offices = list(_OFFICES)
    holidays = {o: {dt.date.fromisoformat(h) for h in _OFFICES[o]["holidays"]} for o in offices}

    # Clients: their own country (tax), currency and a client-level rate multiplier.
    clients: list[dict[str, Any]] = []
    for c in range(n_clients):
        country = offices[int(rng.integers(len(offices)))] if rng.random() < 0.75 else "US"
        currency = _OFFICES[country]["currency"] if country in _OFFICES else "USD"
        clients.append(
            {
                "client_id": f"CL{c + 1:02d}",
                "country": country,
                "currency": currency,
                "multiplier": float(rng.uniform(0.85, 1.2)),
                "due": int(rng.choice([14, 30, 45, 60])),
                "name": [
                    "Orion",
                    "Basalt",
                    "Kestrel",
                    "Lumen",
                    "Tamar",
                    "Nadir",
                    "Halcyon",
                    "Vireo",
                    "Quill",
                ][c % 9],
            }
        )

    # Projects: time and materials with a card, monthly retainers, one managed service.
    projects: list[dict[str, Any]] = []
    for j in range(n_projects):
        client = clients[j % n_clients]
        kind = "service" if j == 0 else ("retainer" if rng.random() < 0.2 else "tm")
        p_start = first + dt.timedelta(days=int(rng.integers(0, 150))) if j > 3 else first
        length = int(rng.integers(120, 400))
        p_end = last if kind == "service" else min(p_start + dt.timedelta(days=length), last)
        if j in (1, 2):  # two projects that close before the batch starts
            p_end = cut - dt.timedelta(days=int(rng.integers(10, 40)))
        fx = _FX[client["currency"]]
        card = [
            {
                "role": r,
                "rate": float(round(_BASE_RATE[r] * client["multiplier"] * fx / 5) * 5),
                "unit": "hour",
            }
            for r in _LADDER
        ]
        fee = float(round(rng.uniform(15000, 60000) * fx, -2)) if kind != "tm" else 0.0
        projects.append(
            {
                "project_id": f"MA-{j + 101}",
                "client": client,
                "kind": kind,
                "start": p_start,
                "end": p_end,
                "card": card if kind == "tm" else [],
                "fee": fee,
                "currency": client["currency"],
                "tag": str(rng.choice(_TOPICS)),
            }
        )
    card_rate = {(p["project_id"], c["role"]): c["rate"] for p in projects for c in p["card"]}

    # People.
    people: list[_Person] = []
    for i in range(n_people):
        home = str(rng.choice(offices, p=list(habits.office_mix)))
        roll = rng.random()
        kind = (
            "support"
            if i < 4
            else ("part_time" if roll < 0.18 else "day_logger" if roll < 0.38 else "consultant")
        )
        role = _SUPPORT if kind == "support" else str(rng.choice(_LADDER, p=[0.3, 0.3, 0.2, 0.13, 0.07]))
        promoted = None
        next_role = None
        if role in _LADDER[:-1] and rng.random() < 0.15:
            promoted = first + dt.timedelta(days=int(rng.integers(60, 330)))
            next_role = _LADDER[_LADDER.index(role) + 1]
        joined = first
        if i >= n_people - 3:  # joiners: no history before the batch
            joined = cut + dt.timedelta(days=int(rng.integers(0, 20)))
        left = cut - dt.timedelta(days=int(rng.integers(30, 70))) if i in (5, 6) else None
        workdays = [d for d in range(7) if d not in _OFFICES[home]["weekend"]]
        leave = []
        for _ in range(int(rng.integers(1, 4))):
            a = first + dt.timedelta(days=int(rng.integers(0, 340)))
            leave.append((a, a + dt.timedelta(days=int(rng.integers(4, 12)))))
        if home == "NL":
            a = dt.date(2026, 7, 6) + dt.timedelta(days=int(rng.integers(0, 35)))
            leave.append((a, a + dt.timedelta(days=20)))
        people.append(
            _Person(
                pid=f"mer{i + 1:03d}",
                office=home,
                kind=kind,
                role=role,
                promoted_on=promoted,
                next_role=next_role,
                joined=joined,
                left=left,
                logging=str(rng.choice(["same_day", "weekly", "monthly"], p=list(habits.logging_mix))),
                pace=float(rng.uniform(0.9, 1.12)),
                step=1.0
                if kind in ("support", "day_logger")
                else (0.5 if kind == "part_time" else habits.consultant_step),
                off_day=int(rng.choice(workdays)) if kind == "part_time" else None,
                leave=leave,
            )
        )

    service = projects[0]
    other = [p for p in projects if p["kind"] != "service"]
    rows: list[dict[str, Any]] = []
    seq = [0]

    def logged_at(person: _Person, day: dt.date) -> dt.datetime:
        if person.logging == "same_day":
            lag = dt.timedelta(hours=float(rng.uniform(8, 16)), days=int(rng.random() < 0.15))
        elif person.logging == "weekly":
            weekend = _OFFICES[person.office]["weekend"]
            end_of_week = next(k for k in range(7) if (day.weekday() + k) % 7 == (weekend[0] - 1) % 7)
            lag = dt.timedelta(days=end_of_week, hours=float(rng.uniform(14, 19)))
        else:
            month_end = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
            lag = dt.timedelta(days=(month_end - day).days + int(rng.integers(0, 4)), hours=10)
        return dt.datetime.combine(day, dt.time(0)) + lag

    def add(
        person: _Person, day: dt.date, project: dict[str, Any], hours: float, text: str, **extra: Any
    ) -> None:
        seq[0] += 1
        role = person.role_on(day)
        hourly = project["kind"] == "tm"
        rows.append(
            {
                "entry_id": f"W{seq[0]:07d}",
                "person_id": person.pid,
                "project_id": project["project_id"],
                "client_id": project["client"]["client_id"],
                "work_date": day,
                "hours": float(hours),
                "billable": True,
                "role": role,
                "bill_rate": card_rate.get((project["project_id"], role), np.nan) if hourly else np.nan,
                "currency": project["currency"],
                "description": text,
                "logged_at": logged_at(person, day),
                "label_kind": "",
                **extra,
            }
        )

    def text_for(role: str, project: dict[str, Any]) -> str:
        words = _WORDS.get(role, _SUPPORT_WORDS)
        line = str(rng.choice(words)).replace("{x}", project["tag"])
        if rng.random() < 0.35:
            line += f" #{int(rng.integers(100, 999))}"
        return line

    # Each non-support person is on one to three projects at a time (re-drawn per month).
    for person in people:
        office = _OFFICES[person.office]
        rota_offset = int(rng.integers(0, 8))
        assignment: dict[tuple[int, int], list[dict[str, Any]]] = {}
        for day in days:
            if day < person.joined or (person.left and day > person.left):
                continue
            if any(a <= day <= b for a, b in person.leave):
                continue
            if person.kind == "support":
                if ((day - first).days + rota_offset) % 8 >= 4:  # four nights on, four off
                    continue
                add(person, day, service, 10.0, str(rng.choice(_SUPPORT_WORDS)))
                if rng.random() < 0.3:
                    add(person, day, service, 1.0, "on-call handover")
                continue
            if day.weekday() in office["weekend"] or day in holidays[person.office]:
                continue
            if person.off_day is not None and day.weekday() == person.off_day:
                continue
            month = (day.year, day.month)
            if month not in assignment:
                live = [p for p in other if p["start"] <= day <= p["end"]]
                k = 1 if person.kind == "day_logger" else int(rng.integers(1, 4))
                picks: list[int] = (
                    rng.choice(len(live), size=min(k, len(live)), replace=False).tolist() if live else []
                )
                assignment[month] = [live[int(x)] for x in picks]
            mine = [p for p in assignment[month] if p["start"] <= day <= p["end"]]
            if not mine:
                continue
            standard = office["day"]
            short = office.get("short_days")
            if short and dt.date.fromisoformat(short[0]) <= day <= dt.date.fromisoformat(short[1]):
                standard = short[2]
            if person.kind == "part_time":
                standard *= 0.9
            if day.month == 12 and day.day > 18:
                standard *= 0.7  # year end
            total = standard * person.pace * float(rng.normal(1.0, 0.06))
            if rng.random() < habits.long_day_share:
                total += float(rng.uniform(1, 3))  # a long day
            if person.kind == "day_logger":
                add(person, day, mine[0], _round_to(standard, 1.0), text_for(person.role_on(day), mine[0]))
                continue
            pieces = int(rng.integers(2, 6)) if person.kind == "consultant" else int(rng.integers(1, 3))
            weights = rng.dirichlet(np.ones(pieces))
            for w in weights:
                project = mine[int(rng.integers(len(mine)))]
                add(
                    person,
                    day,
                    project,
                    _round_to(total * w, person.step),
                    text_for(person.role_on(day), project),
                )
            if rng.random() < 0.08:
                rows.append({**rows[-1]})  # placeholder replaced below by an internal entry
                seq[0] += 1
                rows[-1].update(
                    entry_id=f"W{seq[0]:07d}",
                    project_id="MA-INTERNAL",
                    client_id="",
                    billable=False,
                    bill_rate=np.nan,
                    hours=_round_to(float(rng.uniform(0.5, 2.0)), person.step),
                    description=str(rng.choice(["training", "internal admin", "recruiting interviews"])),
                )

    entries = pd.DataFrame(rows)
    entries = _inject_time(entries, people, projects, card_rate, holidays, cut, rng, anomaly_rate)
    entries["work_date"] = pd.to_datetime(entries["work_date"])
    entries["logged_at"] = pd.to_datetime(entries["logged_at"])
    entries = entries.sort_values(["work_date", "person_id", "entry_id"]).reset_index(drop=True)

    invoices, lines = _invoices(entries, projects, clients, first, last, cut, rng, invoice_anomaly_rate)

    context = {
        "projects": [
            {
                "project_id": p["project_id"],
                "client_id": p["client"]["client_id"],
                "currency": p["currency"],
                "start_date": p["start"].isoformat(),
                "end_date": p["end"].isoformat(),
                "not_to_exceed": None,
                "payment_terms_days": p["client"]["due"],
                "invoice_frequency": "monthly",
                "rate_card": p["card"],
            }
            for p in projects
        ],
        "people": [
            {
                "person_id": person.pid,
                "role": person.role_on(last),  # HR lists today's role
                "hours_per_day": _OFFICES[person.office]["day"],
                "country": person.office,
                **(_employment(person, k, first) if people_dates else {}),
            }
            for k, person in enumerate(people)
        ],
        "holidays": [{"country": o, "date": h} for o in offices for h in _OFFICES[o]["holidays"]],
    }
    return OtherFirm(entries=entries, invoices=invoices, lines=lines, context=context, cut=pd.Timestamp(cut))


def _employment(person: _Person, k: int, first: dt.date) -> dict[str, str]:
    """Hire date (years back for the established staff, drawn without the simulation's
    generator so the entries do not depend on it) and the leaving date of a leaver."""
    hired = person.joined if person.joined > first else first - dt.timedelta(days=60 + (k * 389) % 2400)
    dates = {"start_date": hired.isoformat()}
    if person.left is not None:
        dates["end_date"] = person.left.isoformat()
    return dates


def _inject_time(
    entries: pd.DataFrame,
    people: list[_Person],
    projects: list[dict[str, Any]],
    card_rate: dict[tuple[str, str], float],
    holidays: dict[str, set[dt.date]],
    cut: dt.date,
    rng: np.random.Generator,
    rate: float,
) -> pd.DataFrame:
    """Inject each kind of misbilling, mostly into the batch (a trace into the history)."""
    by_id = {p.pid: p for p in people}
    project_by_id = {p["project_id"]: p for p in projects}
    frame = entries.copy()
    cell: Any = frame.at
    work = pd.to_datetime(frame["work_date"]).dt.date
    work_days: list[Any] = list(work)
    in_batch = (work >= cut).to_numpy()
    billable = frame["billable"].to_numpy(dtype=bool)
    regular = np.array([by_id[p].kind != "support" for p in frame["person_id"]])
    n_batch = int(in_batch.sum())
    per_kind = max(3, int(rate * n_batch / len(OTHER_TIME_KINDS)))
    extra: list[dict[str, Any]] = []
    next_id = [len(frame) + 1]

    def new_id() -> str:
        next_id[0] += 1
        return f"W{9_000_000 + next_id[0]:07d}"

    def pick(mask: np.ndarray, k: int) -> np.ndarray:
        where = np.flatnonzero(mask & (frame["label_kind"].to_numpy() == ""))
        return rng.choice(where, size=min(k, len(where)), replace=False) if len(where) else where

    hist_share = 0.15  # a trace of each kind in the history too

    def split_k(k: int) -> tuple[int, int]:
        return k, max(1, round(k * hist_share))

    # padding_creep: two people inflate one project's entries, 15% more rising to 60% over the batch.
    tm = frame["bill_rate"].notna().to_numpy()
    candidates = [p.pid for p in people if p.kind in ("consultant", "day_logger") and p.left is None]
    batch_days = sorted(set(work[in_batch]))
    span = max((batch_days[-1] - batch_days[0]).days, 1) if batch_days else 1
    for pid in rng.choice(candidates, size=2, replace=False):
        mine = (frame["person_id"] == pid).to_numpy() & in_batch & tm
        if not mine.any():
            continue
        proj = frame.loc[mine, "project_id"].mode().iloc[0]
        for i in np.flatnonzero(mine & (frame["project_id"] == proj).to_numpy()):
            t = (work_days[i] - batch_days[0]).days / span
            factor = 1.0 + 0.6 * t
            if factor < 1.15:
                continue
            cell[i, "hours"] = min(24.0, _round_to(cell[i, "hours"] * factor, by_id[pid].step))
            cell[i, "label_kind"] = "padding_creep"

    def inject(kind: str, mask: np.ndarray, k: int, change: Any) -> None:
        for i in pick(mask, k):
            if change(int(i)) is not False:
                cell[int(i), "label_kind"] = kind

    k_batch, k_hist = split_k(per_kind)
    for k, window in ((k_batch, in_batch), (k_hist, ~in_batch)):
        base = window & billable & regular

        # cloned_entry: a colleague's entry copied onto someone else on the project.
        def clone(i: int) -> bool:
            row = _record(frame, i)
            mates = frame.index[
                (frame["project_id"] == row["project_id"]) & (frame["person_id"] != row["person_id"])
            ]
            if not len(mates):
                return False
            mate = cell[int(rng.choice(mates)), "person_id"]
            person = by_id[mate]
            role = person.role_on(row["work_date"])
            extra.append(
                {
                    **row,
                    "entry_id": new_id(),
                    "person_id": mate,
                    "role": role,
                    "bill_rate": card_rate.get((row["project_id"], role), row["bill_rate"]),
                    "logged_at": row["logged_at"] + dt.timedelta(hours=float(rng.uniform(1, 30))),
                    "label_kind": "cloned_entry",
                }
            )
            return False

        inject("cloned_entry", base & tm, k, clone)

        # higher_role_rate: billed as the next role up, at that role's card rate.
        def higher(i: int) -> bool:
            role = cell[i, "role"]
            if role not in _LADDER[:-1]:
                return False
            up = _LADDER[_LADDER.index(role) + 1]
            cell[i, "role"] = up
            cell[i, "bill_rate"] = card_rate[(cell[i, "project_id"], up)]
            return True

        inject("higher_role_rate", base & tm, k, higher)

        # rounded_up: a quarter-hour (or finer) logger rounds an entry up to the next whole hour
        # and then some.
        quarter = np.array([by_id[p].step < 0.5 for p in frame["person_id"]])
        fractional = (frame["hours"].to_numpy() % 1.0) > 0

        def round_up(i: int) -> bool:
            cell[i, "hours"] = float(np.ceil(cell[i, "hours"]) + 1.0)
            return True

        inject("rounded_up", base & quarter & fractional, k, round_up)

        # backfilled_late: logged 40-100 days after the work by someone who logs same day or weekly.
        prompt = np.array([by_id[p].logging != "monthly" for p in frame["person_id"]])

        def backfill(i: int) -> bool:
            cell[i, "logged_at"] = pd.Timestamp(cell[i, "work_date"]) + pd.Timedelta(
                days=float(rng.uniform(40, 100))
            )
            return True

        inject("backfilled_late", base & prompt, k, backfill)

        # cross_project_duplicate: the same entry also booked on another live project.
        def cross(i: int) -> bool:
            row = _record(frame, i)
            live = [
                p
                for p in projects
                if p["kind"] == "tm"
                and p["project_id"] != row["project_id"]
                and p["start"] <= row["work_date"] <= p["end"]
            ]
            if not live:
                return False
            target = live[int(rng.integers(len(live)))]
            extra.append(
                {
                    **row,
                    "entry_id": new_id(),
                    "project_id": target["project_id"],
                    "client_id": target["client"]["client_id"],
                    "bill_rate": card_rate.get((target["project_id"], row["role"]), row["bill_rate"]),
                    "currency": target["currency"],
                    "logged_at": row["logged_at"] + dt.timedelta(minutes=float(rng.uniform(1, 90))),
                    "label_kind": "cross_project_duplicate",
                }
            )
            return False

        inject("cross_project_duplicate", base & tm, k, cross)

        # off_day_billing: an entry moved to the person's weekend (Friday/Saturday in IL and SA).
        def off_day(i: int) -> bool:
            person = by_id[cell[i, "person_id"]]
            day = cell[i, "work_date"]
            weekend = _OFFICES[person.office]["weekend"]
            shift = (weekend[int(rng.integers(2))] - day.weekday()) % 7
            cell[i, "work_date"] = day + dt.timedelta(days=shift)
            cell[i, "logged_at"] = cell[i, "logged_at"] + dt.timedelta(days=shift)
            return True

        inject("off_day_billing", base, k, off_day)

        # holiday_billing: an entry moved onto a public holiday of the person's office.
        def holiday(i: int) -> bool:
            person = by_id[cell[i, "person_id"]]
            day = cell[i, "work_date"]
            near = [
                h for h in holidays[person.office] if 0 < (h - day).days <= 40 and (h >= cut) == (day >= cut)
            ]
            weekend = _OFFICES[person.office]["weekend"]
            near = [h for h in near if h.weekday() not in weekend]
            if not near:
                return False
            h = min(near)
            cell[i, "logged_at"] = cell[i, "logged_at"] + (h - day)
            cell[i, "work_date"] = h
            return True

        inject("holiday_billing", base, 4 * k, holiday)

        # marathon_day: one entry of a day blown up so the day passes 15 hours.
        def marathon(i: int) -> bool:
            cell[i, "hours"] = float(rng.choice([9.0, 10.5, 12.0]))
            return True

        inject("marathon_day", base, k, marathon)

        # wrong_currency: booked in the office's currency instead of the project's.
        def currency(i: int) -> bool:
            office = _OFFICES[by_id[cell[i, "person_id"]].office]["currency"]
            if office == cell[i, "currency"]:
                return False
            cell[i, "currency"] = office
            return True

        inject("wrong_currency", base & tm, k, currency)

    # closed_project: more hours on a project after it closed (only in the batch).
    for project in projects[1:3]:
        staff = frame.loc[frame["project_id"] == project["project_id"], "person_id"].unique()
        for pid in staff[:3]:
            person = by_id[pid]
            if person.left is not None:
                continue
            for _ in range(max(1, per_kind // 4)):
                day = cut + dt.timedelta(days=int(rng.integers(0, 60)))
                if day.weekday() in _OFFICES[person.office]["weekend"]:
                    continue
                role = person.role_on(day)
                extra.append(
                    _entry(
                        person,
                        project,
                        day,
                        2.0 + float(rng.integers(0, 5)),
                        role,
                        card_rate,
                        "closed_project",
                    )
                )
                extra[-1]["entry_id"] = new_id()

    # leaver_billing: someone who left keeps billing their last project in the batch.
    for person in [p for p in people if p.left is not None][:1]:
        last_project = frame.loc[frame["person_id"] == person.pid, "project_id"]
        if not len(last_project):
            continue
        last = project_by_id.get(last_project.iloc[-1])
        if last is None or last["kind"] == "service":
            continue
        project = last
        for k in range(per_kind * 2):
            day = cut + dt.timedelta(days=int(k * 3 + rng.integers(0, 3)))
            if day.weekday() in _OFFICES[person.office]["weekend"] or day > project["end"]:
                continue
            hours = _round_to(float(rng.uniform(3, 8)), person.step)
            extra.append(
                _entry(person, project, day, hours, person.role_on(day), card_rate, "leaver_billing")
            )
            extra[-1]["entry_id"] = new_id()
            extra[-1]["logged_at"] = dt.datetime.combine(day, dt.time(0)) + dt.timedelta(
                days=float(rng.uniform(5, 20))
            )

    if extra:
        frame = pd.concat([frame, pd.DataFrame(extra)], ignore_index=True)
    return frame


def _record(frame: pd.DataFrame, i: int) -> dict[str, Any]:
    return {str(k): v for k, v in frame.loc[i].to_dict().items()}


def _entry(
    person: _Person,
    project: dict[str, Any],
    day: dt.date,
    hours: float,
    role: str,
    card_rate: dict[tuple[str, str], float],
    kind: str,
) -> dict[str, Any]:
    return {
        "entry_id": "",
        "person_id": person.pid,
        "project_id": project["project_id"],
        "client_id": project["client"]["client_id"],
        "work_date": day,
        "hours": hours,
        "billable": True,
        "role": role,
        "bill_rate": card_rate.get((project["project_id"], role), np.nan),
        "currency": project["currency"],
        "description": f"{project['tag']} follow-up",
        "logged_at": dt.datetime.combine(day, dt.time(18)),
        "label_kind": kind,
    }


def _invoices(
    entries: pd.DataFrame,
    projects: list[dict[str, Any]],
    clients: list[dict[str, Any]],
    first: dt.date,
    last: dt.date,
    cut: dt.date,
    rng: np.random.Generator,
    rate: float,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Monthly invoices: hourly lines per role from the month's *correct* time, or a fixed fee."""
    clean = entries[entries["billable"] & (entries["label_kind"] == "")]
    clean = clean.assign(month=pd.to_datetime(clean["work_date"]).dt.to_period("M"))
    logged = clean.groupby(["project_id", "month", "role"])["hours"].sum()
    heads: list[dict[str, Any]] = []
    lines: list[dict[str, Any]] = []
    number = [5000]

    def tax_rate(client: dict[str, Any]) -> float:
        # Cross-border services are reverse-charged (no tax); at home, the office's VAT.
        return float(_OFFICES[client["country"]]["vat"]) if client["country"] in _OFFICES else 0.0

    def issue(month: pd.Period) -> dt.date:
        day = (month + 1).start_time.date() + dt.timedelta(days=int(rng.integers(1, 6)))
        return day

    def emit(
        project: dict[str, Any], month: pd.Period, body: list[dict[str, Any]], kind: str = "", **over: Any
    ) -> dict[str, Any]:
        number[0] += int(rng.integers(1, 3))
        client = project["client"]
        issued = over.pop("issue_date", issue(month))
        subtotal = round(sum(b["amount"] for b in body), 2)
        tax = round(subtotal * over.pop("tax_pp", tax_rate(client)) / 100.0, 2)
        head = {
            "invoice_id": f"INV-{project['project_id']}-{month}-{number[0]}",
            "invoice_number": f"MA/{issued.year}/{number[0]}",
            "client_id": client["client_id"],
            "project_id": project["project_id"],
            "issue_date": issued,
            "due_date": issued + dt.timedelta(days=client["due"]),
            "currency": project["currency"],
            "subtotal": subtotal,
            "tax": tax,
            "total": round(subtotal + tax, 2),
            "po_number": f"PO-{client['client_id']}-{project['project_id'][-3:]}",
            "label_kind": kind,
        }
        head.update(over)
        heads.append(head)
        for b in body:
            lines.append({**b, "invoice_id": head["invoice_id"]})
        return head

    months = pd.period_range(first, last, freq="M")[:-1]
    for project in projects:
        for month in months:
            start, end = month.start_time.date(), month.end_time.date()
            if end < project["start"] or start > project["end"]:
                continue
            period = {"period_start": max(start, project["start"]), "period_end": min(end, project["end"])}
            if project["kind"] == "tm":
                body = []
                for key, hours in logged.items():
                    p, m, role = cast(tuple[str, Any, str], key)
                    if p != project["project_id"] or m != month:
                        continue
                    price = next(c["rate"] for c in project["card"] if c["role"] == role)
                    body.append(
                        {
                            "description": f"{role} services {month}",
                            "quantity": float(hours),
                            "unit_price": price,
                            "amount": round(float(hours) * price, 2),
                            "role": role,
                            **period,
                        }
                    )
                if not body:
                    continue
            else:
                body = [
                    {
                        "description": f"{_FEE_LINE[project['kind']]} {month}",
                        "quantity": 1.0,
                        "unit_price": project["fee"],
                        "amount": project["fee"],
                        "role": "",
                        **period,
                    }
                ]
            emit(project, month, body)

    invoices = pd.DataFrame(heads)
    line_frame = pd.DataFrame(lines)
    invoices, line_frame = _inject_invoices(invoices, line_frame, projects, cut, rng, rate, emit)
    for column in ("issue_date", "due_date"):
        invoices[column] = pd.to_datetime(invoices[column])
    for column in ("period_start", "period_end"):
        line_frame[column] = pd.to_datetime(line_frame[column])
    return invoices.reset_index(drop=True), line_frame.reset_index(drop=True)


def _inject_invoices(
    invoices: pd.DataFrame,
    lines: pd.DataFrame,
    projects: list[dict[str, Any]],
    cut: dt.date,
    rng: np.random.Generator,
    rate: float,
    emit: Any,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    by_id = {p["project_id"]: p for p in projects}
    issued = pd.to_datetime(invoices["issue_date"]).dt.date
    batch = np.flatnonzero((issued >= cut).to_numpy())
    per_kind = max(2, round(rate * len(batch) / len(OTHER_INVOICE_KINDS)))
    chosen = rng.permutation(batch)
    heads: list[dict[str, Any]] = [{str(k): v for k, v in r.items()} for r in invoices.to_dict("records")]
    line_rows: list[dict[str, Any]] = [{str(k): v for k, v in r.items()} for r in lines.to_dict("records")]
    lines_of: dict[str, list[int]] = {}
    for k, row in enumerate(line_rows):
        lines_of.setdefault(row["invoice_id"], []).append(k)
    used: set[int] = set()
    # Also a trace in the history.
    hist = rng.permutation(np.flatnonzero((issued < cut).to_numpy()))[: len(OTHER_INVOICE_KINDS)]

    def retotal(i: int, tax_pp: float | None = None) -> None:
        head = heads[i]
        subtotal = round(sum(line_rows[k]["amount"] for k in lines_of[head["invoice_id"]]), 2)
        pp = (
            tax_pp
            if tax_pp is not None
            else (100.0 * head["tax"] / head["subtotal"] if head["subtotal"] else 0.0)
        )
        head["subtotal"] = subtotal
        head["tax"] = round(subtotal * pp / 100.0, 2)
        head["total"] = round(subtotal + head["tax"], 2)

    def hourly(i: int) -> bool:
        return by_id[heads[i]["project_id"]]["kind"] == "tm"

    new_heads: list[dict[str, Any]] = []
    new_lines: list[dict[str, Any]] = []
    number = [90000]

    def apply(kind: str, i: int) -> bool:
        head = heads[i]
        mine = lines_of[head["invoice_id"]]
        project = by_id[head["project_id"]]
        if kind == "hours_not_matching_time" and hourly(i):
            k = mine[int(rng.integers(len(mine)))]
            line_rows[k]["quantity"] = float(round(line_rows[k]["quantity"] * rng.uniform(1.2, 1.4) + 4))
            line_rows[k]["amount"] = round(line_rows[k]["quantity"] * line_rows[k]["unit_price"], 2)
            retotal(i)
            return True
        if kind == "rate_above_card" and hourly(i):
            for k in mine:
                line_rows[k]["unit_price"] = round(line_rows[k]["unit_price"] * 1.08, 2)
                line_rows[k]["amount"] = round(line_rows[k]["quantity"] * line_rows[k]["unit_price"], 2)
            retotal(i)
            return True
        if kind == "wrong_tax":
            pp = 100.0 * head["tax"] / head["subtotal"] if head["subtotal"] else 0.0
            wrong = 17.0 if pp == 18.0 else (0.0 if pp > 0 else 20.0)
            retotal(i, wrong)
            return True
        if kind == "retainer_overbilled" and not hourly(i):
            for k in mine:
                line_rows[k]["unit_price"] = round(line_rows[k]["unit_price"] * rng.uniform(1.12, 1.3), -1)
                line_rows[k]["amount"] = line_rows[k]["unit_price"] * line_rows[k]["quantity"]
            retotal(i)
            return True
        if kind == "line_amount_error":
            k = mine[0]
            line_rows[k]["amount"] = round(
                line_rows[k]["amount"] + float(rng.choice([90.0, 900.0, -450.0])), 2
            )
            retotal(i)
            return True
        if kind == "wrong_currency":
            head["currency"] = "USD" if head["currency"] != "USD" else "EUR"
            return True
        if kind == "billed_after_close" and project["end"] < dt.date(2026, 12, 1):
            number[0] += 1
            later = pd.Timestamp(project["end"]) + pd.offsets.MonthBegin(1)
            body = [
                {
                    **line_rows[k],
                    "period_start": later.date(),
                    "period_end": (later + pd.offsets.MonthEnd(0)).date(),
                }
                for k in mine
            ]
            copy = {**head}
            copy.update(
                invoice_id=f"{head['invoice_id']}-X{number[0]}",
                invoice_number=f"MA/2026/{number[0]}",
                issue_date=(later + pd.offsets.MonthBegin(1)).date() + dt.timedelta(days=2),
                label_kind="billed_after_close",
            )
            copy["due_date"] = copy["issue_date"] + (head["due_date"] - head["issue_date"])
            new_heads.append(copy)
            new_lines.extend({**b, "invoice_id": copy["invoice_id"]} for b in body)
            return False
        if kind == "resent_duplicate":
            number[0] += 1
            copy = {**head}
            copy.update(
                invoice_id=f"{head['invoice_id']}-D{number[0]}",
                invoice_number=f"MA/2026/{number[0]}",
                issue_date=head["issue_date"] + dt.timedelta(days=int(rng.integers(20, 35))),
                label_kind="resent_duplicate",
            )
            copy["due_date"] = copy["issue_date"] + (head["due_date"] - head["issue_date"])
            new_heads.append(copy)
            new_lines.extend({**line_rows[k], "invoice_id": copy["invoice_id"]} for k in mine)
            return False
        if kind == "split_under_cap" and len(mine) >= 1:
            # Half of every line moves to a second invoice a few days later: each half stays under
            # the client's approval limit.
            number[0] += 1
            copy = {**head}
            copy.update(
                invoice_id=f"{head['invoice_id']}-S{number[0]}",
                invoice_number=f"MA/2026/{number[0]}",
                issue_date=head["issue_date"] + dt.timedelta(days=int(rng.integers(2, 9))),
                label_kind="split_under_cap",
            )
            copy["due_date"] = copy["issue_date"] + (head["due_date"] - head["issue_date"])
            for k in mine:
                half = {**line_rows[k]}
                if half["role"]:
                    half["quantity"] = float(np.floor(half["quantity"] / 2))
                    line_rows[k]["quantity"] -= half["quantity"]
                    line_rows[k]["amount"] = round(line_rows[k]["quantity"] * line_rows[k]["unit_price"], 2)
                else:
                    half["unit_price"] = round(half["unit_price"] / 2, 2)
                    line_rows[k]["unit_price"] = round(line_rows[k]["unit_price"] - half["unit_price"], 2)
                    line_rows[k]["amount"] = line_rows[k]["unit_price"]
                half["amount"] = round(half["quantity"] * half["unit_price"], 2)
                new_lines.append({**half, "invoice_id": copy["invoice_id"]})
            pp = 100.0 * head["tax"] / head["subtotal"] if head["subtotal"] else 0.0
            retotal(i)
            copy["subtotal"] = round(
                sum(x["amount"] for x in new_lines if x["invoice_id"] == copy["invoice_id"]), 2
            )
            copy["tax"] = round(copy["subtotal"] * pp / 100.0, 2)
            copy["total"] = round(copy["subtotal"] + copy["tax"], 2)
            new_heads.append(copy)
            return True
        return False

    for pool, k_per in ((chosen, per_kind), (hist, 1)):
        queue = [int(x) for x in pool]
        for kind in OTHER_INVOICE_KINDS:
            done = 0
            for i in list(queue):
                if done >= k_per:
                    break
                if i in used:
                    continue
                if apply(kind, i):
                    heads[i]["label_kind"] = kind
                    used.add(i)
                    queue.remove(i)
                    done += 1
                elif (
                    kind in ("resent_duplicate", "billed_after_close")
                    and new_heads
                    and new_heads[-1]["label_kind"] == kind
                ):
                    used.add(i)
                    queue.remove(i)
                    done += 1
    out = pd.DataFrame(heads + new_heads)
    out_lines = pd.DataFrame(line_rows + new_lines)
    return out, out_lines
