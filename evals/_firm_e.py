"""A fifth firm for the anomaly evals, written apart from the other four simulators:
"Stonefly Cascade Consulting, Inc.", an engineering and environmental consultancy with a
Portland, Oregon office (PDX) and a Spokane, Washington office (GEG), exporting a year of
timesheets and invoices from its project accounting system (USD, no sales tax on its services).

What makes it unlike the others:

- Field crews. Staff scientists, staff engineers and union field technicians (IUOE; overtime
  at 1.5x after 8 h a day or 40 h a week, and for all Saturday and Sunday work) sample
  groundwater, stormwater and wetlands, survey fish passage and observe construction. Field
  days run 10-12 h with the drive; trips to eastern Oregon are 3-4 day overnight runs with
  travel on the first and last day. Union overtime is booked as its own labour category
  ``Field Technician OT`` at 1.5x the straight rate, which every rate card lists.
- Seasons and weather. The field season is June to October; winter is reports, shop time,
  training and reduced hours for technicians. Stormwater sampling happens *because* it rains
  (qualifying storm events, sometimes on a Saturday); other field days are rained out: on a
  contract that pays weather standby the crew bills a half day of standby, elsewhere the
  technicians spend the day on equipment maintenance (overhead ``OH-120``). Summer field
  interns join in June and leave in September; the next summer's start in mid-May.
- Project codes with task numbers in the narrative (``Task 2: Groundwater sampling ...``);
  Oregon DOT work is an on-call agreement with task orders as their own projects
  (``21044-TO14``), each with a not-to-exceed and a period of performance, like the Forest
  Service's task orders. Everybody books a full timesheet: holidays (``HOL``) and paid time off
  (``PTO``) as non-billable time, overheads (``OH-...``) for admin, safety training, shop,
  proposals. Salaried staff log daily or on Friday/Monday; technicians' field logs are keyed
  on the Monday after the week, in quarter hours.
- Rate cards: the private standard schedule rises 4% on 1 January; Oregon DOT's negotiated
  schedule and the Forest Service's rates are fixed for the contract year; Clark County and the
  City of Spokane hold 2025 rates for the contract term.
- Invoices per project (per task order) per month, issued 8-20 days after month end, numbered
  per project (``24210-11``): labour per category at the card rate (project managers write hours
  down on the pre-bill, never up), mileage at the IRS rate or a 4x4 truck day rate on forest
  roads, GSA per diem for overnight trips, equipment at day rates per field day, concrete
  cylinder sets, subconsultants (labs, drillers) at cost with the contract's markup (none on
  government work, 5% or 10% elsewhere), a lump-sum Phase I ESA billed by percent complete,
  5% retainage on the City of Spokane, Clark County and Port contracts (Clark County's is
  released on a separate invoice once its final report is accepted), and a "held pending
  amendment" line on the invoice that reaches a task order's NTE (nothing billed after it).

Misbilling a billing controller at such a firm chases, labelled in ``label_kind`` (empty for
ordinary rows), in the scored batch (the last month) with a trace in the history:

Time entries (``FIRM_E_TIME_KINDS``):

``ot_rate_not_overtime`` a technician's straight hours (short day, short week) booked at the
overtime category or rate; ``weather_standby_billed`` a rained-out crew day billed to the client
as weather standby on a contract that does not pay standby; ``crew_day_padded`` one crew
member's field day 2.5-4.5 h longer than the rest of the crew's; ``task_order_shift`` hours worked
on a task order out of budget charged to another task order of the same agreement (the
narrative still names the first one's site); ``after_period_of_performance`` time on a task
order or contract after its end date; ``labor_category_upcoded`` a staff scientist's or staff
engineer's hours on government work billed in the senior category (or at its rate);
``field_log_entered_twice`` a technician's field day keyed again from the paper field log by
the office (same hours, reworded, days later); ``copied_timesheet`` a week's timesheet copied
from the previous week (across Memorial Day or Thanksgiving, where the copy bills the holiday).

Invoices (``FIRM_E_INVOICE_KINDS``):

``over_nte`` the invoice that passes a task order's or contract's NTE without the held-amount
line; ``retainage_not_withheld`` a retainage contract's invoice without its retainage;
``sub_markup_not_allowed`` a markup on subconsultants where the contract pays them at cost (or
above its rate); ``sub_invoice_rebilled`` last month's lab or driller invoice billed again;
``equipment_over_field_days`` equipment billed for more days than the crew was in the field;
``per_diem_overbilled`` per diem for more person-days than the crew spent away (or above the GSA
rate); ``labor_over_recorded`` a labour category billed for more hours than were recorded.

The batch's invoices bill April (issued in May) and May (issued in June): score them with the
time entries from the first billed period. Invoices draw from their own random stream.
Deterministic per seed. Call ``simulate_firm_e(seed)``; ``n_people`` (default 42) makes it
smaller.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from evals._firm_c import FirmC

__all__ = ["FIRM_E_INVOICE_KINDS", "FIRM_E_TIME_KINDS", "FirmE", "simulate_firm_e"]

FIRM_E_TIME_KINDS: tuple[str, ...] = (
    "ot_rate_not_overtime",
    "weather_standby_billed",
    "crew_day_padded",
    "task_order_shift",
    "after_period_of_performance",
    "labor_category_upcoded",
    "field_log_entered_twice",
    "copied_timesheet",
)

FIRM_E_INVOICE_KINDS: tuple[str, ...] = (
    "over_nte",
    "retainage_not_withheld",
    "sub_markup_not_allowed",
    "sub_invoice_rebilled",
    "equipment_over_field_days",
    "per_diem_overbilled",
    "labor_over_recorded",
)


@dataclass(frozen=True)
class FirmE(FirmC):
    """Stonefly Cascade Consulting: contract-shaped entries and invoices (with ``label_kind``),
    the context and the batch cut; the same fields and splits as :class:`FirmC`."""


# The firm's holiday calendar (both offices): no MLK or Presidents' Day, unlike its federal clients.
_HOLIDAYS: dict[dt.date, str] = {
    dt.date(2025, 7, 4): "Independence Day",
    dt.date(2025, 9, 1): "Labor Day",
    dt.date(2025, 11, 27): "Thanksgiving",
    dt.date(2025, 11, 28): "Day after Thanksgiving",
    dt.date(2025, 12, 25): "Christmas Day",
    dt.date(2026, 1, 1): "New Year's Day",
    dt.date(2026, 5, 25): "Memorial Day",
}

_OT = "Field Technician OT"
_ROLES = (
    "Principal",
    "Senior Engineer",
    "Project Engineer",
    "Staff Engineer",
    "Senior Scientist",
    "Staff Scientist",
    "Field Technician",
    _OT,
    "GIS/CAD Technician",
    "Project Administrator",
)
#: The 2025 private standard schedule (USD per hour).
_STANDARD_2025 = {
    "Principal": 265.0,
    "Senior Engineer": 215.0,
    "Project Engineer": 172.0,
    "Staff Engineer": 138.0,
    "Senior Scientist": 195.0,
    "Staff Scientist": 128.0,
    "Field Technician": 98.0,
    "GIS/CAD Technician": 112.0,
    "Project Administrator": 86.0,
}
_COST = {
    "Principal": 92.0,
    "Senior Engineer": 74.0,
    "Project Engineer": 58.0,
    "Staff Engineer": 45.0,
    "Senior Scientist": 66.0,
    "Staff Scientist": 41.0,
    "Field Technician": 38.5,
    "GIS/CAD Technician": 39.0,
    "Project Administrator": 31.0,
}
_UPCODE = {"Staff Scientist": "Senior Scientist", "Staff Engineer": "Project Engineer"}
_NEW_YEAR = dt.date(2026, 1, 1)
_IRS_MILE = {2025: 0.70, 2026: 0.725}
_FIELD_ROLES = ("Staff Scientist", "Staff Engineer", "Field Technician")


def _quarter(hours: float) -> float:
    return max(0.25, round(hours * 4.0) / 4.0)


def _half(hours: float) -> float:
    return max(0.5, round(hours * 2.0) / 2.0)


@dataclass
class _Project:
    code: str
    client: str
    name: str
    office: str  # PDX | GEG
    sector: str  # gov | private
    card: str  # standard | odot | usfs | frozen
    program: str  # trips | days | quarterly | storms | construction | inspections | drilling | hazmat
    site: str
    opens: dt.date
    closes: dt.date | None
    windows: tuple[tuple[dt.date, dt.date], ...] = ()
    months: tuple[int, ...] = ()
    crew: int = 2
    freq: float = 0.2
    overnight: bool = False
    per_diem: float = 0.0
    town: str = ""
    miles: float = 0.0
    retainage: float = 0.0
    markup: float = 0.0
    standby: bool = False
    nte: str = ""  # "" | loose | batch | history
    lump_sum: float = 0.0
    terms_days: int = 30
    po: str = ""
    subs: tuple[str, ...] = ()
    points: tuple[str, ...] = ()
    report: str = "report"
    weight: float = 1.0

    def open_on(self, day: dt.date) -> bool:
        return self.opens <= day and (self.closes is None or day <= self.closes)

    def rate(self, role: str, day: dt.date) -> float:
        if role == _OT:
            return round(1.5 * self.rate("Field Technician", day), 2)
        base = _STANDARD_2025[role]
        if self.card == "standard":
            return float(round(base * 1.04)) if day >= _NEW_YEAR else base
        if self.card == "odot":
            return float(round(base * 0.88, 2))
        if self.card == "usfs":
            return float(round(base * 0.92, 2))
        return base  # frozen: 2025 rates held for the term


def _d(s: str) -> dt.date:
    return dt.date.fromisoformat(s)


def _projects(first: dt.date) -> list[_Project]:
    return [
        _Project(
            "21044-TO11",
            "C1180",
            "ODOT on-call: US-97 Lava Butte wildlife crossing biological monitoring",
            "PDX",
            "gov",
            "odot",
            "trips",
            "US-97 Lava Butte",
            first,
            _d("2026-03-31"),
            windows=((_d("2025-06-09"), _d("2025-09-26")),),
            overnight=True,
            per_diem=186.0,
            town="Bend, OR",
            miles=330.0,
            nte="loose",
            po="ODOT Agreement 73000-00041186, WOC 11",
            points=(
                "crossing structure 2",
                "wildlife fence segment B",
                "camera stations C1-C6",
                "wetland W-4",
            ),
            report="biological assessment",
            weight=1.2,
        ),
        _Project(
            "21044-TO14",
            "C1180",
            "ODOT on-call: I-84 Hood River culvert replacements (fish passage)",
            "PDX",
            "gov",
            "odot",
            "days",
            "I-84 Hood River culverts",
            first,
            _d("2026-09-30"),
            windows=((_d("2025-07-07"), _d("2025-09-19")), (_d("2026-04-06"), _d("2026-05-29"))),
            freq=0.3,
            miles=132.0,
            nte="batch",
            po="ODOT Agreement 73000-00041186, WOC 14",
            points=("Phelps Creek culvert", "Lenz Creek culvert", "Odell Creek crossing"),
            report="fish passage and hazmat screening memo",
            weight=1.2,
        ),
        _Project(
            "21044-TO17",
            "C1180",
            "ODOT on-call: OR-213 stormwater facility effectiveness monitoring",
            "PDX",
            "gov",
            "odot",
            "storms",
            "OR-213 bioswales",
            _d("2026-01-12"),
            _d("2027-01-29"),
            months=(1, 2, 3, 4, 5, 10, 11, 12),
            freq=0.45,
            miles=38.0,
            nte="loose",
            po="ODOT Agreement 73000-00041186, WOC 17",
            subs=("Rosewood Analytical Laboratories",),
            points=("bioswale inlet BS-1", "bioswale outlet BS-2", "ponds P-3"),
            report="monitoring plan",
        ),
        _Project(
            "24107",
            "C2204",
            "City of Spokane: NPDES Phase I stormwater outfall monitoring 2025-26",
            "GEG",
            "gov",
            "frozen",
            "storms",
            "Spokane outfalls",
            first,
            _d("2026-12-31"),
            months=(1, 2, 3, 4, 5, 6, 9, 10, 11, 12),
            freq=0.55,
            miles=22.0,
            retainage=5.0,
            nte="batch",
            po="City of Spokane PO 2025-001882",
            subs=("Inland Northwest Environmental Labs",),
            points=("outfall CSO-34", "outfall SW-12", "outfall SW-7"),
            report="annual monitoring report",
            weight=1.1,
        ),
        _Project(
            "23088",
            "C2051",
            "Clark County Public Works: Salmon Creek wetland mitigation monitoring (year 3)",
            "PDX",
            "gov",
            "frozen",
            "days",
            "Salmon Creek mitigation site",
            first,
            _d("2026-02-27"),
            windows=((_d("2025-06-02"), _d("2025-09-26")),),
            freq=0.12,
            miles=44.0,
            retainage=5.0,
            po="Clark County contract 2023-PW-0417",
            points=("transect T-1", "transect T-4", "photo points PP-1 to PP-9"),
            report="year 3 monitoring report",
            weight=0.8,
        ),
        _Project(
            "25012-TO02",
            "C3310",
            "USFS Umatilla NF: aquatic organism passage surveys 2025",
            "GEG",
            "gov",
            "usfs",
            "trips",
            "Umatilla NF road crossings",
            _d("2025-06-23"),
            _d("2026-03-31"),
            windows=((_d("2025-07-14"), _d("2025-09-26")),),
            overnight=True,
            per_diem=166.0,
            town="Pendleton, OR",
            miles=0.0,
            nte="history",
            terms_days=30,
            po="12363N25F0042",
            points=("FR-52 crossing 17", "FR-54 crossing 3", "Camas Creek crossings"),
            report="AOP survey report",
            weight=1.1,
        ),
        _Project(
            "25012-TO03",
            "C3310",
            "USFS Umatilla NF: aquatic organism passage surveys 2026",
            "GEG",
            "gov",
            "usfs",
            "trips",
            "Umatilla NF road crossings",
            _d("2026-03-16"),
            _d("2026-09-30"),
            windows=((_d("2026-04-20"), _d("2026-06-30")),),
            overnight=True,
            per_diem=166.0,
            town="Pendleton, OR",
            miles=0.0,
            nte="loose",
            po="12363N26F0009",
            points=("FR-31 crossing 8", "Ukiah district crossings", "FR-5230 crossing 2"),
            report="AOP survey report",
        ),
        _Project(
            "24210",
            "C1422",
            "Cascade Pacific Rail: Troutdale former fueling yard groundwater monitoring",
            "PDX",
            "private",
            "standard",
            "quarterly",
            "Troutdale yard",
            first,
            None,
            months=(8, 11, 2, 5),
            miles=36.0,
            markup=10.0,
            standby=True,
            subs=("Rosewood Analytical Laboratories",),
            points=("MW-1", "MW-4", "MW-9", "RW-2"),
            report="quarterly groundwater monitoring report",
        ),
        _Project(
            "25044",
            "C1507",
            "Willamette Crossing Apartments LLC: geotechnical construction observation and CMT",
            "PDX",
            "private",
            "standard",
            "construction",
            "Willamette Crossing, Wilsonville",
            _d("2025-07-14"),
            None,
            windows=((_d("2025-07-14"), _d("2025-10-31")), (_d("2026-03-02"), _d("2026-05-29"))),
            crew=1,
            miles=52.0,
            standby=True,
            points=("building A footings", "podium slab", "building B pad", "retaining wall RW-2"),
            report="field reports",
            weight=1.3,
        ),
        _Project(
            "25061",
            "C1533",
            "Columbia Ridge Logistics: Phase I and Phase II ESA, Gresham warehouse",
            "PDX",
            "private",
            "standard",
            "drilling",
            "Gresham warehouse site",
            first,
            _d("2025-11-28"),
            windows=((_d("2025-09-08"), _d("2025-09-19")),),
            freq=0.3,
            miles=28.0,
            markup=10.0,
            lump_sum=7_400.0,
            subs=("Tillamook Direct Push LLC", "Rosewood Analytical Laboratories"),
            points=("B-1 to B-4", "B-5 to B-8", "former UST area"),
            report="Phase II ESA report",
            weight=0.8,
        ),
        _Project(
            "24155",
            "C1470",
            "Northfork Timber Co.: Molalla log yard 1200-C erosion control inspections",
            "PDX",
            "private",
            "standard",
            "inspections",
            "Molalla log yard",
            _d("2025-09-02"),
            None,
            crew=1,
            miles=68.0,
            points=("sediment basin 1", "outfall to Bear Creek", "north stockpile"),
            report="inspection reports",
            weight=0.6,
        ),
        _Project(
            "25090",
            "C2230",
            "Spokane Valley Aggregates: quarry groundwater permit compliance",
            "GEG",
            "private",
            "standard",
            "quarterly",
            "Spokane Valley quarry",
            first,
            None,
            months=(10, 4),
            miles=30.0,
            markup=10.0,
            subs=("Inland Northwest Environmental Labs",),
            points=("MW-2", "MW-5", "pit sump"),
            report="annual groundwater report",
            weight=0.7,
        ),
        _Project(
            "26003",
            "C2298",
            "Port of Camas-Washougal: Steigerwald Yard MTCA remedial investigation",
            "PDX",
            "gov",
            "standard",
            "drilling",
            "Steigerwald Yard",
            _d("2026-02-02"),
            None,
            windows=((_d("2026-04-13"), _d("2026-05-22")),),
            freq=0.35,
            miles=46.0,
            retainage=5.0,
            markup=5.0,
            nte="loose",
            po="Port contract 26-014",
            subs=("Tillamook Direct Push LLC", "Rosewood Analytical Laboratories"),
            points=("SB-1 to SB-6", "shoreline transect", "former boat shop"),
            report="remedial investigation work plan",
            weight=1.1,
        ),
        _Project(
            "26011",
            "C1610",
            "Beaverton School District: hazardous building materials surveys, summer 2026",
            "PDX",
            "gov",
            "standard",
            "hazmat",
            "Beaverton schools",
            _d("2026-03-23"),
            None,
            windows=((_d("2026-04-20"), _d("2026-05-29")),),
            freq=0.3,
            miles=30.0,
            markup=5.0,
            retainage=5.0,
            po="BSD PO 4500231877",
            subs=("Rosewood Analytical Laboratories",),
            points=("Elmonica Elementary", "Raleigh Park Elementary", "Whitford Middle School"),
            report="hazardous materials survey reports",
        ),
        _Project(
            "25118",
            "C2315",
            "Meadowlark Solar LLC: wetland and habitat surveys, Lincoln County WA",
            "GEG",
            "private",
            "standard",
            "days",
            "Meadowlark Solar site",
            _d("2026-03-02"),
            None,
            windows=((_d("2026-04-06"), _d("2026-06-26")),),
            freq=0.22,
            miles=124.0,
            points=("array area north", "wetland W-2", "shrub-steppe plots"),
            report="critical areas report",
        ),
        _Project(
            "24302",
            "C1488",
            "Halcyon Brewing Co.: 1200-Z industrial stormwater monitoring",
            "PDX",
            "private",
            "standard",
            "storms",
            "Halcyon brewery",
            first,
            None,
            months=(1, 3, 4, 5, 10, 11, 12),
            freq=0.12,
            crew=1,
            miles=18.0,
            markup=10.0,
            subs=("Rosewood Analytical Laboratories",),
            points=("catch basin CB-2", "outfall 001"),
            report="discharge monitoring report",
            weight=0.4,
        ),
        _Project(
            "26019",
            "C1655",
            "Sandy River Estates HOA: streambank erosion assessment",
            "PDX",
            "private",
            "standard",
            "days",
            "Sandy River bank",
            _d("2026-03-09"),
            None,
            windows=((_d("2026-04-06"), _d("2026-05-29")),),
            freq=0.12,
            miles=58.0,
            points=("reach 1 (upstream)", "reach 2 (HOA trail)", "outfall gully"),
            report="streambank assessment memo",
            weight=0.6,
        ),
        _Project(
            "24088",
            "C1398",
            "Gorge Fruit Packers Inc.: WPCF land application monitoring",
            "PDX",
            "private",
            "standard",
            "quarterly",
            "Odell process water fields",
            first,
            None,
            months=(7, 10, 1, 4),
            miles=132.0,
            markup=10.0,
            subs=("Rosewood Analytical Laboratories",),
            points=("lysimeter L-2", "MW-3", "irrigation field 4"),
            report="annual WPCF report",
            weight=0.6,
        ),
        _Project(
            "25166",
            "C2342",
            "City of Cheney: wellhead protection program update",
            "GEG",
            "gov",
            "frozen",
            "days",
            "Cheney well fields",
            _d("2025-10-06"),
            _d("2026-09-30"),
            windows=((_d("2026-04-13"), _d("2026-05-22")),),
            freq=0.06,
            crew=1,
            miles=36.0,
            po="City of Cheney PSA 2025-31",
            points=("well 6 capture zone", "Wellfield 2"),
            report="wellhead protection plan",
            weight=0.7,
        ),
        _Project(
            "26007",
            "C2360",
            "Latah Creek Development LLC: geotechnical investigation, Latah Creek subdivision",
            "GEG",
            "private",
            "standard",
            "drilling",
            "Latah Creek subdivision",
            _d("2026-03-02"),
            None,
            windows=((_d("2026-04-20"), _d("2026-05-15")),),
            freq=0.3,
            miles=24.0,
            markup=10.0,
            subs=("Palouse Drilling and Push Services", "Inland Northwest Environmental Labs"),
            points=("TP-1 to TP-8", "B-1 to B-5", "detention pond area"),
            report="geotechnical report",
            weight=0.8,
        ),
    ]


_OVERHEAD = {
    "OH-100": "General and administrative",
    "OH-110": "Health and safety training",
    "OH-120": "Field equipment maintenance / shop",
    "OH-200": "Proposals and marketing",
    "OH-300": "Professional development",
    "PTO": "Paid time off",
    "HOL": "Holiday",
}

_FIELD_TEXT = {
    "trips": (
        "Task 2: Field survey at {pt}",
        "Task 2: Habitat and photo-point survey, {pt}",
        "Task 2: Culvert/crossing condition assessment, {pt}",
    ),
    "days": (
        "Task 2: Field survey at {pt}",
        "Task 2: Vegetation and habitat data plots, {pt}",
        "Task 2: Wetland delineation data plots, {pt}",
    ),
    "quarterly": (
        "Task 2: Groundwater sampling, low-flow purge at {pt}",
        "Task 2: Water levels and LNAPL gauging, {pt}",
        "Task 2: Decon and IDW drum inventory",
    ),
    "storms": (
        "Task 2: Stormwater sampling, qualifying storm event, {pt}",
        "Task 2: Composite sampler set-up and retrieval, {pt}",
    ),
    "construction": (
        "Task 3: Construction observation and compaction testing, {pt}",
        "Task 3: Concrete placement observation and cylinders, {pt}",
        "Task 3: Rebar inspection prior to pour, {pt}",
    ),
    "inspections": (
        "Task 2: 1200-C erosion control inspection, {pt}",
        "Task 2: Post-storm BMP inspection, {pt}",
    ),
    "drilling": (
        "Task 4: Oversee direct-push drilling and soil sampling, {pt}",
        "Task 4: Monitoring well installation oversight, {pt}",
    ),
    "hazmat": (
        "Task 2: Asbestos bulk sampling and lead paint XRF, {pt}",
        "Task 2: Hazardous materials inventory walk-through, {pt}",
    ),
}

_OFFICE_TEXT = {
    "Principal": (
        "Task 1: QA/QC review of draft {rep}",
        "Task 1: Call with client re schedule and scope",
        "Task 1: Senior review of field approach",
    ),
    "Senior Engineer": (
        "Task 1: Project management: budget and schedule review",
        "Task 1: Coordinate with client re field schedule",
        "Task 3: Review draft {rep}",
        "Task 3: Respond to client comments on draft {rep}",
    ),
    "Senior Scientist": (
        "Task 1: Project management: budget and schedule review",
        "Task 3: Review draft {rep}",
        "Task 3: Respond to client comments on draft {rep}",
        "Task 1: Coordinate subconsultants and lab schedule",
    ),
    "Project Engineer": (
        "Task 3: Data evaluation and calculations for {rep}",
        "Task 3: Draft {rep} sections",
        "Task 1: Field planning, HASP update and utility locate request",
    ),
    "Staff Engineer": (
        "Task 3: Prepare data tables for {rep}",
        "Task 3: Draft {rep} sections",
        "Task 2: Field prep: equipment, bottle order and HASP review",
    ),
    "Staff Scientist": (
        "Task 3: Prepare data tables for {rep}",
        "Task 3: Draft {rep} sections",
        "Task 3: Review lab data and validation flags",
        "Task 2: Field prep: equipment, bottle order and HASP review",
    ),
    "Field Technician": (
        "Task 2: Field prep: calibrate meters and load equipment",
        "Task 2: Sample bottle prep and cooler drop-off at lab",
    ),
    "GIS/CAD Technician": (
        "Task 3: Figures: site plan and sample locations",
        "Task 3: GIS data entry from field forms",
    ),
    "Project Administrator": (
        "Task 1: Monthly invoice backup and progress report",
        "Task 1: Subconsultant invoices and lien waivers",
    ),
}

_STANDBY_TEXT = "Weather standby per contract: {site} field work postponed (rain)"
_RAIN_SHOP = "Rain day: equipment maintenance and decon, {site} field day postponed"


@dataclass
class _Person:
    pid: str
    office: str
    role: str
    union: bool
    logging: str  # daily | weekly
    joins: dt.date
    leaves: dt.date | None
    projects: list[tuple[_Project, float]] = field(default_factory=list)
    away: set[dt.date] = field(default_factory=set)

    def employed(self, day: dt.date) -> bool:
        return self.joins <= day and (self.leaves is None or day <= self.leaves)


def _people(rng: np.random.Generator, n_people: int, first: dt.date) -> list[_Person]:
    mix = (
        "Field Technician",
        "Staff Scientist",
        "Senior Engineer",
        "Field Technician",
        "Staff Engineer",
        "Principal",
        "Staff Scientist",
        "Field Technician",
        "Project Engineer",
        "Senior Scientist",
        "Field Technician",
        "Staff Scientist",
        "GIS/CAD Technician",
        "Staff Engineer",
        "Project Administrator",
        "Senior Engineer",
        "Field Technician",
        "Staff Scientist",
        "Principal",
        "Senior Scientist",
    )
    people: list[_Person] = []
    for k in range(n_people):
        role = mix[k % len(mix)]
        office = "GEG" if k % 10 in (3, 6, 9) else "PDX"
        joins, leaves = first, None
        if rng.random() < 0.05:
            joins = first + dt.timedelta(days=int(rng.integers(30, 240)))
        people.append(
            _Person(
                pid=f"{(3 if office == 'PDX' else 5)}{100 + 7 * k:03d}",
                office=office,
                role=role,
                union=role == "Field Technician",
                logging="weekly"
                if role == "Field Technician"
                else str(rng.choice(["daily", "weekly"], p=[0.55, 0.45])),
                joins=joins,
                leaves=leaves,
            )
        )
    # Seasonal field interns: last summer's, and this summer's starting mid-May.
    for j in range(max(2, n_people // 12)):
        office = "GEG" if j % 3 == 2 else "PDX"
        for joins, leaves in ((dt.date(2025, 6, 9), dt.date(2025, 9, 5)), (dt.date(2026, 5, 11), None)):
            people.append(
                _Person(
                    pid=f"{(3 if office == 'PDX' else 5)}9{len(people):02d}",
                    office=office,
                    role="Staff Scientist",
                    union=False,
                    logging="daily",
                    joins=joins,
                    leaves=leaves,
                )
            )
    # One staff engineer leaves in January; one technician retires at the end of February.
    engineers = [p for p in people if p.role == "Staff Engineer" and p.leaves is None and p.joins == first]
    if len(engineers) > 1:
        engineers[-1].leaves = dt.date(2026, 1, 16)
    techs = [p for p in people if p.role == "Field Technician" and p.joins == first]
    if len(techs) > 3:
        techs[-1].leaves = dt.date(2026, 2, 27)
    return people


def _staff(
    rng: np.random.Generator, people: list[_Person], projects: list[_Project]
) -> dict[str, list[_Person]]:
    """Teams per project from its office; returns each project's field pool."""

    def pick(office: str, roles: tuple[str, ...], k: int, chosen: set[str]) -> list[_Person]:
        pool = [p for p in people if p.office == office and p.role in roles and p.pid not in chosen]
        if not pool:
            pool = [p for p in people if p.role in roles and p.pid not in chosen]
        if not pool:
            return []
        return [pool[int(i)] for i in rng.choice(len(pool), size=min(k, len(pool)), replace=False)]

    pools: dict[str, list[_Person]] = {}
    for m in projects:
        chosen: set[str] = set()
        team: list[_Person] = []
        if m.program == "construction":
            plan: tuple[tuple[tuple[str, ...], int], ...] = (
                (("Principal",), 1),
                (("Senior Engineer",), 1),
                (("Project Engineer",), 1),
                (("Field Technician",), 3),
                (("Project Administrator",), 1),
            )
        else:
            lead = ("Senior Engineer",) if m.program in ("drilling", "quarterly") else ("Senior Scientist",)
            plan = (
                (("Principal",), 1),
                (lead, 1),
                (("Staff Scientist", "Staff Engineer"), 2 + int(rng.random() < 0.5)),
                (("Field Technician",), 1 + int(rng.random() < 0.6)),
                (("GIS/CAD Technician",), 1),
                (("Project Administrator",), int(m.sector == "gov" or rng.random() < 0.4)),
                (("Project Engineer",), int(m.program in ("drilling", "quarterly", "storms"))),
            )
        for roles, k in plan:
            got = pick(m.office, roles, k, chosen)
            chosen.update(p.pid for p in got)
            team.extend(got)
        for p in team:
            p.projects.append((m, m.weight * float(rng.uniform(0.6, 1.4))))
        pools[m.code] = [p for p in team if p.role in _FIELD_ROLES]
    # Interns go where the field work is.
    interns = [
        p for p in people if p.joins.month in (5, 6) and p.role == "Staff Scientist" and p.pid[1] == "9"
    ]
    for p in interns:
        live = [m for m in projects if m.office == p.office and m.windows and m.program != "construction"]
        for m in live[:3]:
            p.projects.append((m, 1.0))
            pools[m.code].append(p)
    for p in people:
        if not p.projects:
            same = [m for m in projects if m.office == p.office]
            m = same[int(rng.integers(len(same)))]
            p.projects.append((m, 1.0))
            if p.role in _FIELD_ROLES:
                pools[m.code].append(p)
    return pools


def _rain(rng: np.random.Generator, days: list[dt.date]) -> dict[str, set[dt.date]]:
    wet = {
        1: 0.6,
        2: 0.55,
        3: 0.55,
        4: 0.45,
        5: 0.35,
        6: 0.2,
        7: 0.06,
        8: 0.08,
        9: 0.18,
        10: 0.4,
        11: 0.62,
        12: 0.6,
    }
    out: dict[str, set[dt.date]] = {"PDX": set(), "GEG": set()}
    for office, dry in (("PDX", 1.0), ("GEG", 0.55)):
        state = False
        for d in days:
            p = wet[d.month] * dry
            # Wet spells: rain tomorrow is likelier after rain today.
            state = rng.random() < (min(0.92, p + 0.3) if state else max(0.02, p - 0.12))
            if state:
                out[office].add(d)
    return out


@dataclass
class _FieldDay:
    project: _Project
    hours: float
    travel: float  # part of ``hours`` on the road (first and last day of a trip)
    crew: int


def _schedule(
    rng: np.random.Generator,
    projects: list[_Project],
    pools: dict[str, list[_Person]],
    days: list[dt.date],
    rain: dict[str, set[dt.date]],
) -> tuple[dict[tuple[str, dt.date], _FieldDay], dict[tuple[str, dt.date], _Project]]:
    """Each project's field days, staffed from its pool; and the crew days rained out."""
    field_days: dict[tuple[str, dt.date], _FieldDay] = {}
    rained: dict[tuple[str, dt.date], _Project] = {}
    workdays = [d for d in days if d.weekday() < 5 and d not in _HOLIDAYS]

    def crew_for(m: _Project, day: dt.date, k: int) -> list[_Person]:
        free = [
            p
            for p in pools[m.code]
            if p.employed(day)
            and day not in p.away
            and (p.pid, day) not in field_days
            and (p.pid, day) not in rained
        ]
        if m.program == "construction":
            free = [p for p in free if p.role == "Field Technician"] or free
        if not free:
            return []
        # Keep a technician on the crew when there is one.
        order = sorted(range(len(free)), key=lambda i: (free[i].role != "Field Technician", rng.random()))
        if k == 1 or rng.random() < 0.5:
            order = [int(i) for i in rng.permutation(len(free))]
        return [free[i] for i in order[:k]]

    def book(
        m: _Project,
        day: dt.date,
        lo: float,
        hi: float,
        k: int,
        travel: float = 0.0,
        same: list[_Person] | None = None,
    ) -> list[_Person]:
        if not m.open_on(day):
            return []
        crew = crew_for(m, day, k)
        if same:
            # A trip keeps its crew (whoever of it is free that day).
            crew = [p for p in same if p in crew_for(m, day, len(pools[m.code]))] or crew
        if not crew:
            return []
        washed = (
            m.program not in ("storms", "inspections")
            and day in rain[m.office]
            and rng.random() < (0.3 if m.program == "construction" else 0.5)
            and day.weekday() < 5
        )
        hours = _half(float(rng.uniform(lo, hi)))
        for p in crew:
            if washed:
                rained[(p.pid, day)] = m
            else:
                # Crew members leave and come back together, give or take the last half hour.
                h = hours if rng.random() < 0.75 else _half(hours + float(rng.choice([-0.5, 0.5])))
                field_days[(p.pid, day)] = _FieldDay(m, h, travel, len(crew))
        return crew

    for m in projects:
        if m.program in ("trips",):
            for lo, hi in m.windows:
                d = lo
                while d <= hi:
                    if d.weekday() == 0 or (d.weekday() == 1 and rng.random() < 0.5):
                        n = 4 if m.per_diem and rng.random() < 0.6 else 3
                        trip = [d + dt.timedelta(days=j) for j in range(n)]
                        trip = [x for x in trip if x.weekday() < 5 and x not in _HOLIDAYS]
                        crew: list[_Person] = []
                        for j, x in enumerate(trip):
                            travel = float(rng.uniform(3.0, 4.5)) if j in (0, len(trip) - 1) else 0.0
                            crew = book(m, x, 10.0, 12.0, m.crew, travel, crew) or crew
                        d += dt.timedelta(days=int(rng.choice([14, 21])))
                    else:
                        d += dt.timedelta(days=1)
        elif m.program in ("days", "drilling", "hazmat"):
            for lo, hi in m.windows:
                for d in workdays:
                    if lo <= d <= hi and rng.random() < m.freq:
                        book(m, d, 9.0, 11.5 if m.program != "hazmat" else 9.5, m.crew)
        elif m.program == "quarterly":
            for month in sorted({(d.year, d.month) for d in workdays if d.month in m.months}):
                mdays = [d for d in workdays if (d.year, d.month) == month and 8 <= d.day <= 24]
                if not mdays:
                    continue
                start = int(rng.integers(0, max(1, len(mdays) - 3)))
                for d in mdays[start : start + int(rng.integers(2, 4))]:
                    book(m, d, 9.5, 11.5, m.crew)
        elif m.program == "storms":
            for d in days:
                if d in rain[m.office] and d.month in m.months and rng.random() < m.freq:
                    if d.weekday() >= 5 and rng.random() < 0.6:
                        continue
                    if d in _HOLIDAYS:
                        continue
                    book(m, d, 5.0, 9.5, m.crew)
        elif m.program == "construction":
            for lo, hi in m.windows:
                for d in days:
                    if not lo <= d <= hi or d in _HOLIDAYS:
                        continue
                    if d.weekday() < 5 and rng.random() < 0.85:
                        book(m, d, 8.5, 11.0, 1 + int(rng.random() < 0.25))
                    elif d.weekday() == 5 and rng.random() < 0.18:  # Saturday pours
                        book(m, d, 6.0, 9.0, 1)
        elif m.program == "inspections":
            for d in workdays:
                if not m.open_on(d):
                    continue
                after_rain = (d - dt.timedelta(days=1)) in rain[m.office] and rng.random() < 0.35
                if d.weekday() == 1 or after_rain:
                    book(m, d, 3.0, 5.5, 1)
    return field_days, rained


def _away(rng: np.random.Generator, p: _Person, workdays: list[dt.date]) -> None:
    """A week in summer (not for technicians), a week at year end, scattered days; technicians take
    more of their time in the slow winter months."""
    mine = [d for d in workdays if p.employed(d)]
    if not mine:
        return
    if p.role != "Field Technician":
        summer = [d for d in mine if dt.date(2025, 6, 23) <= d <= dt.date(2025, 8, 29)]
        if summer and rng.random() < 0.8:
            s = int(rng.integers(0, max(1, len(summer) - 5)))
            p.away.update(summer[s : s + 5])
    if rng.random() < 0.7:
        p.away.update(
            d for d in mine if dt.date(2025, 12, 22) <= d <= dt.date(2026, 1, 2) and rng.random() < 0.7
        )
    winter = [d for d in mine if d.month in (12, 1, 2)]
    if p.role == "Field Technician" and winter:
        p.away.update(
            winter[int(i)] for i in rng.choice(len(winter), size=min(len(winter), 9), replace=False)
        )
    for i in rng.choice(len(mine), size=min(len(mine), 5), replace=False):
        p.away.add(mine[int(i)])


def _logged_at(p: _Person, day: dt.date, rng: np.random.Generator) -> dt.datetime:
    if p.logging == "daily" and rng.random() < 0.85:
        return dt.datetime.combine(day, dt.time(16)) + dt.timedelta(minutes=float(rng.integers(0, 200)))
    # Timesheets are due Monday 10:00: Friday afternoon, or Monday morning for the week before.
    friday = day + dt.timedelta(days=4 - day.weekday())
    if p.role != "Field Technician" and day.weekday() < 5 and rng.random() < 0.6:
        return dt.datetime.combine(friday, dt.time(14)) + dt.timedelta(minutes=float(rng.integers(0, 240)))
    monday = day + dt.timedelta(days=7 - day.weekday())
    return dt.datetime.combine(monday, dt.time(7)) + dt.timedelta(minutes=float(rng.integers(0, 200)))


def simulate_firm_e(
    seed: int = 0,
    *,
    n_people: int = 42,
    start: str = "2025-06-01",
    end: str = "2026-05-31",
    batch_from: str = "2026-05-01",
    anomaly_rate: float = 0.025,
) -> FirmE:
    """Stonefly Cascade Consulting's year to ``end``; the scored batch starts at ``batch_from``."""
    rng = np.random.default_rng(seed + 51_000)
    first, last, cut = (dt.date.fromisoformat(x) for x in (start, end, batch_from))
    days = [first + dt.timedelta(days=k) for k in range((last - first).days + 1)]
    workdays = [d for d in days if d.weekday() < 5 and d not in _HOLIDAYS]
    projects = _projects(first)
    people = _people(rng, n_people, first)
    pools = _staff(rng, people, projects)
    for p in people:
        _away(rng, p, workdays)
    rain = _rain(rng, days)
    field_days, rained = _schedule(rng, projects, pools, days, rain)
    # Reports follow field work: a project's office work rises for a month after a field day.
    recent: dict[str, list[dt.date]] = {}
    for (_, d), f in field_days.items():
        recent.setdefault(f.project.code, []).append(d)
    busy_until = {
        code: {d + dt.timedelta(days=k) for d in ds for k in range(1, 35)} for code, ds in recent.items()
    }

    rows: list[dict[str, Any]] = []

    def book(
        p: _Person,
        m: _Project | None,
        day: dt.date,
        hours: float,
        text: str,
        *,
        code: str = "",
        billable: bool = True,
        kind: str = "office",
        rain_for: str = "",
    ) -> None:
        rows.append(
            {
                "person_id": p.pid,
                "project_id": m.code if m else code,
                "client_id": m.client if m else "STONEFLY",
                "work_date": day,
                "hours": hours,
                "billable": bool(m is not None and billable),
                "role": p.role,
                "bill_rate": m.rate(p.role, day) if m else float("nan"),
                "currency": "USD",
                "description": text,
                "logged_at": _logged_at(p, day, rng),
                "label_kind": "",
                "_kind": kind,
                "_rain_for": rain_for,
            }
        )

    def text_for(m: _Project, role: str) -> str:
        pool = _OFFICE_TEXT[role]
        return pool[int(rng.integers(len(pool)))].format(rep=m.report)

    for p in people:
        for day in days:
            if not p.employed(day):
                continue
            weekend = day.weekday() >= 5
            fd = field_days.get((p.pid, day))
            if fd is not None:
                m = fd.project
                texts = _FIELD_TEXT[m.program]
                pts = m.points or (m.site,)
                work = fd.hours - fd.travel
                if fd.travel:
                    leg = (
                        "Travel to"
                        if (p.pid, day - dt.timedelta(days=1)) not in field_days
                        else "Return travel from"
                    )
                    book(p, m, day, _quarter(fd.travel), f"Task 2: {leg} {m.town or m.site}", kind="field")
                first_part = (
                    _quarter(work * float(rng.uniform(0.45, 0.7)))
                    if work > 6 and rng.random() < 0.5
                    else work
                )
                for h in (first_part, work - first_part):
                    if h >= 0.25:
                        text = texts[int(rng.integers(len(texts)))].format(
                            pt=pts[int(rng.integers(len(pts)))]
                        )
                        book(p, m, day, _quarter(h), text, kind="field")
                continue
            if weekend:
                # Salaried project managers now and then catch up on a weekend.
                if p.role in ("Senior Engineer", "Senior Scientist", "Principal") and rng.random() < 0.04:
                    mine = [x for x, _ in p.projects if x.open_on(day)]
                    if mine:
                        m = mine[int(rng.integers(len(mine)))]
                        book(p, m, day, _quarter(float(rng.uniform(1.0, 3.5))), text_for(m, p.role))
                continue
            if day in _HOLIDAYS:
                book(p, None, day, 8.0, f"Holiday: {_HOLIDAYS[day]}", code="HOL")
                continue
            if day in p.away:
                book(p, None, day, 8.0, "Paid time off", code="PTO")
                continue
            washed = rained.get((p.pid, day))
            total = 8.0
            if washed is not None:
                if washed.standby:
                    book(p, washed, day, 4.0, _STANDBY_TEXT.format(site=washed.site), kind="standby")
                    total = 4.0
                if p.role == "Field Technician":
                    book(
                        p,
                        None,
                        day,
                        total,
                        _RAIN_SHOP.format(site=washed.site),
                        code="OH-120",
                        kind="shop",
                        rain_for=washed.code,
                    )
                    continue
            if p.role in ("Senior Engineer", "Senior Scientist", "Principal") and rng.random() < 0.3:
                total += _quarter(float(rng.uniform(0.5, 2.0)))
            if p.role == "Field Technician" and day.month in (11, 12, 1, 2) and rng.random() < 0.3:
                total = 6.0  # the slow season's short days
            overhead = {
                "Principal": 0.35,
                "Senior Engineer": 0.12,
                "Senior Scientist": 0.12,
                "Project Administrator": 0.45,
                "Field Technician": 0.55,
                "GIS/CAD Technician": 0.1,
            }.get(p.role, 0.08)
            if p.role == "Field Technician" and 5 <= day.month <= 10:
                overhead = 0.3
            live = [
                (x, w * (2.5 if day in busy_until.get(x.code, set()) else 1.0))
                for x, w in p.projects
                if x.open_on(day)
                and not (x.program == "construction" and p.role != "Field Technician" and rng.random() < 0.5)
            ]
            if not live:
                overhead = 1.0
            oh_hours = _quarter(total * overhead * float(rng.uniform(0.5, 1.5))) if overhead < 1.0 else total
            oh_hours = min(total, oh_hours)
            if oh_hours >= 0.25:
                if p.role == "Principal":
                    code = "OH-200" if rng.random() < 0.7 else "OH-100"
                elif p.role == "Field Technician":
                    code = "OH-120" if rng.random() < 0.75 else "OH-110"
                else:
                    code = str(rng.choice(["OH-100", "OH-110", "OH-200", "OH-300"], p=[0.5, 0.15, 0.2, 0.15]))
                book(p, None, day, oh_hours, _OVERHEAD[code], code=code)
            left = total - oh_hours
            if left < 0.25 or not live:
                continue
            weights = np.array([w for _, w in live])
            k = min(len(live), 1 + int(rng.poisson(0.8)))
            picks = rng.choice(len(live), size=k, replace=False, p=weights / weights.sum())
            shares = rng.dirichlet(weights[picks] * 2.0) * left
            done = 0.0
            for j, (i, h) in enumerate(zip(picks, shares, strict=True)):
                m = live[int(i)][0]
                h = left - done if j == k - 1 else _quarter(float(h))
                if h < 0.25:
                    continue
                done += h
                # A change-order request or rework the client is not charged for.
                nb = rng.random() < 0.025
                text = "Task 1: Prepare change order request (non-billable)" if nb else text_for(m, p.role)
                book(p, m, day, _quarter(h), text, billable=not nb)

    frame = pd.DataFrame(rows)
    frame = _overtime(frame, {p.pid: p for p in people}, {m.code: m for m in projects})
    frame["work_date"] = pd.to_datetime(frame["work_date"])
    frame["logged_at"] = pd.to_datetime(frame["logged_at"])
    frame = _misbill(rng, frame, people, projects, rain, first, cut, last, anomaly_rate)
    frame = frame.sort_values(["work_date", "person_id", "logged_at"], kind="stable").reset_index(drop=True)
    frame.insert(0, "entry_id", [f"SC{seed:02d}-{k:06d}" for k in range(len(frame))])
    invoices, lines, ntes = _simulate_invoices(seed, frame, projects, first, last, cut)
    context = _context(people, projects, ntes)
    entries = frame.drop(columns=["_kind", "_rain_for"])
    return FirmE(entries=entries, context=context, cut=pd.Timestamp(cut), invoices=invoices, lines=lines)


def _overtime(frame: pd.DataFrame, by_pid: dict[str, _Person], by_code: dict[str, _Project]) -> pd.DataFrame:
    """Union technicians' hours past 8 a day or 40 a week, and all weekend hours, move to the
    overtime category (an entry that crosses the line is split in two)."""
    out: list[dict[str, Any]] = []
    frame = frame.assign(_order=np.arange(len(frame)))
    for pid, mine in frame.groupby("person_id", sort=False):
        if not by_pid[str(pid)].union:
            out.extend(_records(mine))
            continue
        week_hours: dict[tuple[int, int], float] = {}
        for _day, today in mine.groupby("work_date", sort=True):
            day = today["work_date"].iloc[0]
            iso = day.isocalendar()
            wk = (iso[0], iso[1])
            worked = 0.0
            for rec in _records(today):
                if rec["project_id"] in ("PTO", "HOL"):
                    week_hours[wk] = week_hours.get(wk, 0.0) + rec["hours"]
                    out.append(rec)
                    continue
                h = float(rec["hours"])
                if day.weekday() >= 5:
                    straight = 0.0
                else:
                    room = min(max(0.0, 8.0 - worked), max(0.0, 40.0 - week_hours.get(wk, 0.0)))
                    straight = min(h, room)
                worked += h
                week_hours[wk] = week_hours.get(wk, 0.0) + straight
                if straight > 0:
                    out.append({**rec, "hours": straight})
                if h - straight > 0:
                    m = by_code.get(str(rec["project_id"]))
                    out.append(
                        {
                            **rec,
                            "hours": h - straight,
                            "role": _OT,
                            "bill_rate": m.rate(_OT, day) if m else float("nan"),
                            "description": f"{rec['description']} (OT)",
                        }
                    )
    result = pd.DataFrame(out).sort_values("_order", kind="stable").drop(columns="_order")
    result["hours"] = result["hours"].astype(float).round(2)
    return result.reset_index(drop=True)


def _misbill(
    rng: np.random.Generator,
    frame: pd.DataFrame,
    people: list[_Person],
    projects: list[_Project],
    rain: dict[str, set[dt.date]],
    first: dt.date,
    cut: dt.date,
    last: dt.date,
    rate: float,
) -> pd.DataFrame:
    by_pid = {p.pid: p for p in people}
    by_code = {m.code: m for m in projects}
    cut_ts = pd.Timestamp(cut)
    in_batch = (frame["work_date"] >= cut_ts).to_numpy()
    history = ~in_batch & (frame["work_date"] >= pd.Timestamp(first + dt.timedelta(days=60))).to_numpy()
    per_kind = max(6, int(rate * int(in_batch.sum()) / len(FIRM_E_TIME_KINDS)))
    client = frame["project_id"].isin(list(by_code)).to_numpy()
    billable = frame["billable"].to_numpy(dtype=bool) & client
    fieldwork = (frame["_kind"] == "field").to_numpy()
    dates = frame["work_date"].dt.date.to_numpy()
    added: list[dict[str, Any]] = []
    dropped: set[int] = set()

    def free() -> np.ndarray:
        return (frame["label_kind"] == "").to_numpy() & ~np.isin(np.arange(len(frame)), list(dropped))

    def sample(mask: np.ndarray, n: int) -> np.ndarray:
        idx = np.flatnonzero(mask & free())
        return rng.choice(idx, size=min(n, len(idx)), replace=False) if len(idx) else idx

    def phases(n: int) -> list[tuple[np.ndarray, int]]:
        return [(in_batch, n), (history, max(1, n // 3))]

    # ot_rate_not_overtime: a technician's straight hours on a short day booked as overtime.
    day_total = frame.groupby(["person_id", "work_date"])["hours"].transform("sum").to_numpy()
    tech = (frame["role"] == "Field Technician").to_numpy()
    weekday = (frame["work_date"].dt.weekday < 5).to_numpy()
    for phase, n in phases(per_kind):
        for j, i in enumerate(sample(tech & billable & weekday & (day_total <= 8.0) & phase, n)):
            m = by_code[str(frame.at[i, "project_id"])]
            frame.at[i, "bill_rate"] = m.rate(_OT, dates[i])
            if j % 3 != 2:
                frame.at[i, "role"] = _OT
                frame.at[i, "description"] = str(frame.at[i, "description"]) + " (OT)"
            frame.at[i, "label_kind"] = "ot_rate_not_overtime"

    # weather_standby_billed: a rained-out technician's shop day billed to a client as standby
    # where the contract pays none.
    no_standby = frame["_rain_for"].map(lambda c: bool(c) and not by_code[c].standby).to_numpy()
    for phase, n in phases(per_kind):
        picked = sample(no_standby & phase, n)
        for i in picked:
            m = by_code[str(frame.at[i, "_rain_for"])]
            role = by_pid[str(frame.at[i, "person_id"])].role
            for column, value in (
                ("project_id", m.code),
                ("client_id", m.client),
                ("billable", True),
                ("role", role),
                ("bill_rate", m.rate(role, dates[i])),
                ("description", _STANDBY_TEXT.format(site=m.site)),
            ):
                frame.at[i, column] = value
            frame.at[i, "label_kind"] = "weather_standby_billed"
        if len(picked) == 0 and phase is in_batch:
            # No rained-out day this month: a crew member bills standby on a wet day anyway.
            wet = [d for d in _working_days(cut, last) if d in rain["PDX"]] or _working_days(cut, last)
            m = next(x for x in projects if x.code == "21044-TO14")
            crew = [p for p in people if any(x.code == m.code for x, _ in p.projects) and p.union] or people[
                :1
            ]
            for _ in range(min(3, n)):
                p = crew[int(rng.integers(len(crew)))]
                d = wet[int(rng.integers(len(wet)))]
                added.append(
                    _entry(p, m, d, 8.0, _STANDBY_TEXT.format(site=m.site), "weather_standby_billed", rng)
                )

    # crew_day_padded: one member of a two-person crew adds hours to a field day.
    crew_size = frame[fieldwork].groupby(["project_id", "work_date"])["person_id"].transform("nunique")
    crew_mask = np.zeros(len(frame), dtype=bool)
    crew_mask[np.flatnonzero(fieldwork)[(crew_size >= 2).to_numpy()]] = True
    not_straight = (frame["role"] != "Field Technician").to_numpy()
    for phase, n in phases(per_kind):
        for i in sample(crew_mask & not_straight & billable & phase, n):
            frame.at[i, "hours"] = _quarter(
                float(frame["hours"].to_numpy(dtype=float)[i]) + float(rng.uniform(2.5, 4.5))
            )
            frame.at[i, "label_kind"] = "crew_day_padded"

    # task_order_shift: a task order out of budget; its hours charged to a sister task order.
    for phase, src, dst, n in (
        (in_batch, "21044-TO14", "21044-TO17", per_kind),
        (
            history & (frame["work_date"] >= pd.Timestamp("2026-01-12")).to_numpy(),
            "21044-TO11",
            "21044-TO17",
            max(1, per_kind // 3),
        ),
    ):
        rows = (frame["project_id"] == src).to_numpy() & billable & phase
        for i in sample(rows, n):
            frame.at[i, "project_id"] = dst
            frame.at[i, "label_kind"] = "task_order_shift"

    # after_period_of_performance: comments on final deliverables answered after the end date.
    for code, lo, hi, n in (
        ("21044-TO11", cut, last, per_kind // 2 + 1),
        ("25012-TO02", cut, last, per_kind - per_kind // 2),
        ("23088", dt.date(2026, 3, 2), cut - dt.timedelta(days=1), max(1, per_kind // 6)),
        ("25061", dt.date(2025, 12, 1), dt.date(2025, 12, 31), max(1, per_kind // 6)),
    ):
        m = by_code[code]
        team = [
            p for p, in_team in ((p, any(x.code == code for x, _ in p.projects)) for p in people) if in_team
        ]
        team = [p for p in team if p.role not in ("Field Technician",) and p.leaves is None] or team
        wd = _working_days(lo, hi)
        if not team or not wd:
            continue
        for _ in range(n):
            p = team[int(rng.integers(len(team)))]
            text = str(
                rng.choice(
                    [
                        f"Task 3: Revise final {m.report} per agency comments",
                        f"Task 3: Respond to reviewer comments on {m.report}",
                        "Task 1: Closeout: records and data transmittal",
                    ]
                )
            )
            added.append(
                _entry(
                    p,
                    m,
                    wd[int(rng.integers(len(wd)))],
                    _quarter(float(rng.uniform(0.75, 4.0))),
                    text,
                    "after_period_of_performance",
                    rng,
                )
            )

    # labor_category_upcoded: a staff scientist or engineer billed in the senior category on government work.
    gov = frame["project_id"].map(lambda c: c in by_code and by_code[c].sector == "gov").to_numpy()
    junior = frame["role"].isin(list(_UPCODE)).to_numpy()
    for phase, n in phases(per_kind):
        # Someone on one or two people's timesheets, as a wrong default labour category would be.
        who = frame.loc[junior & gov & billable & phase & free(), "person_id"].value_counts()
        for pid in who.index[:2]:
            mask = junior & gov & billable & phase & (frame["person_id"] == pid).to_numpy()
            for j, i in enumerate(sample(mask, max(1, n // 2))):
                m = by_code[str(frame.at[i, "project_id"])]
                upper = _UPCODE[str(frame.at[i, "role"])]
                frame.at[i, "bill_rate"] = m.rate(upper, dates[i])
                if j % 3 != 2:
                    frame.at[i, "role"] = upper
                frame.at[i, "label_kind"] = "labor_category_upcoded"

    # field_log_entered_twice: the office keys a technician's field day again from the paper log.
    techs_field = fieldwork & frame["person_id"].map(lambda pid: by_pid[pid].union).to_numpy() & billable
    for phase, n in phases(per_kind):
        keys = frame[techs_field & phase & free()].groupby(["person_id", "work_date"]).size()
        copied = 0
        for j in rng.permutation(len(keys)):
            if copied >= n:
                break
            pid, day = keys.index[int(j)]
            idx = np.flatnonzero(
                (frame["person_id"] == pid).to_numpy()
                & (frame["work_date"] == day).to_numpy()
                & techs_field
                & free()
            )
            when = pd.Timestamp(day) + pd.Timedelta(
                days=int(rng.integers(3, 9)), hours=float(rng.uniform(9, 16))
            )
            for i in idx:
                rec = {str(c): v for c, v in frame.loc[i].items()}
                rec["description"] = (
                    f"Per field log {pd.Timestamp(day):%m/%d}: " + str(rec["description"]).split(": ", 1)[-1]
                )
                rec["logged_at"] = when.floor("min")
                rec["label_kind"] = "field_log_entered_twice"
                added.append(rec)
            copied += len(idx)

    # copied_timesheet: the week of a holiday filled by copying the week before.
    office_staff = [
        p for p in people if not p.union and p.role not in ("Field Technician",) and p.leaves is None
    ]
    for week, n_people in ((dt.date(2026, 5, 25), 1), (dt.date(2025, 11, 24), 1)):
        prev = week - dt.timedelta(days=7)
        if not first <= prev or week > last:
            continue
        wk = (frame["work_date"] >= pd.Timestamp(week)) & (
            frame["work_date"] < pd.Timestamp(week + dt.timedelta(days=5))
        )
        pw = (frame["work_date"] >= pd.Timestamp(prev)) & (
            frame["work_date"] < pd.Timestamp(prev + dt.timedelta(days=5))
        )
        done = 0
        for j in rng.permutation(len(office_staff)):
            if done >= n_people:
                break
            p = office_staff[int(j)]
            mine = (frame["person_id"] == p.pid).to_numpy()
            src_rows = np.flatnonzero(mine & pw.to_numpy() & free())
            dst_rows = np.flatnonzero(mine & wk.to_numpy())
            if (
                not 6 <= len(src_rows) <= 12
                or billable[src_rows].sum() < 4
                or (frame.loc[src_rows, "project_id"] == "PTO").any()
            ):
                continue
            if not (frame.loc[dst_rows, "label_kind"] == "").all():
                continue
            dropped.update(int(i) for i in dst_rows)
            friday = pd.Timestamp(week + dt.timedelta(days=4)) + pd.Timedelta(
                hours=16, minutes=int(rng.integers(0, 90))
            )
            for i in src_rows:
                rec = {str(c): v for c, v in frame.loc[i].items()}
                rec["work_date"] = rec["work_date"] + pd.Timedelta(days=7)
                rec["logged_at"] = friday
                rec["label_kind"] = "copied_timesheet"
                proj = by_code.get(str(rec["project_id"]))
                if proj is not None:
                    rec["bill_rate"] = proj.rate(str(rec["role"]), rec["work_date"].date())
                added.append(rec)
            done += 1

    keep = np.ones(len(frame), dtype=bool)
    keep[list(dropped)] = False
    frame = pd.concat([frame[keep], pd.DataFrame(added)], ignore_index=True)
    frame["billable"] = frame["billable"].astype(bool)
    frame["hours"] = frame["hours"].astype(float)
    frame["bill_rate"] = frame["bill_rate"].astype(float)
    frame["work_date"] = pd.to_datetime(frame["work_date"])
    frame["logged_at"] = pd.to_datetime(frame["logged_at"])
    frame["_rain_for"] = frame["_rain_for"].fillna("")
    return frame


def _entry(
    p: _Person, m: _Project, day: dt.date, hours: float, text: str, kind: str, rng: np.random.Generator
) -> dict[str, Any]:
    return {
        "person_id": p.pid,
        "project_id": m.code,
        "client_id": m.client,
        "work_date": pd.Timestamp(day),
        "hours": hours,
        "billable": True,
        "role": p.role,
        "bill_rate": m.rate(p.role, day),
        "currency": "USD",
        "description": text,
        "logged_at": pd.Timestamp(_logged_at(p, day, rng)),
        "label_kind": kind,
        "_kind": "office" if "standby" not in kind else "standby",
        "_rain_for": "",
    }


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): v for k, v in rec.items()} for rec in frame.to_dict("records")]


def _working_days(lo: dt.date, hi: dt.date) -> list[dt.date]:
    return [
        lo + dt.timedelta(days=k)
        for k in range((hi - lo).days + 1)
        if (lo + dt.timedelta(days=k)).weekday() < 5 and (lo + dt.timedelta(days=k)) not in _HOLIDAYS
    ]


def _context(people: list[_Person], projects: list[_Project], ntes: dict[str, float]) -> dict[str, Any]:
    items = []
    for m in projects:
        item: dict[str, Any] = {
            "project_id": m.code,
            "client_id": m.client,
            "currency": "USD",
            "start_date": m.opens.isoformat(),
            "payment_terms_days": m.terms_days,
            "invoice_frequency": "monthly",
            # The card in force in the batch (2026).
            "rate_card": [
                {"role": r, "rate": m.rate(r, dt.date(2026, 5, 1)), "unit": "hour"} for r in _ROLES
            ],
        }
        if m.closes is not None:
            item["end_date"] = m.closes.isoformat()
        if m.code in ntes:
            item["not_to_exceed"] = ntes[m.code]
        items.append(item)
    staff = []
    for p in people:
        row: dict[str, Any] = {
            "person_id": p.pid,
            "role": p.role,
            "cost_rate": _COST[p.role],
            "hours_per_day": 8.0,
            "country": "US",
            "hire_date": p.joins.isoformat(),
        }
        if p.leaves is not None:
            row["leaving_date"] = p.leaves.isoformat()
        staff.append(row)
    return {
        "projects": items,
        "people": staff,
        "holidays": [{"country": "US", "date": d.isoformat()} for d in sorted(_HOLIDAYS)],
    }


# --- Invoices ------------------------------------------------------------------------------

_EQUIPMENT = {
    "trips": (("Sub-meter GPS (Trimble R2)", 120.0), ("4x4 field truck, forest roads", 135.0)),
    "days": (("Sub-meter GPS (Trimble R2)", 120.0),),
    "quarterly": (
        ("Multiparameter water quality meter (YSI ProDSS)", 145.0),
        ("Peristaltic pump and tubing", 65.0),
        ("Electronic water level meter", 35.0),
    ),
    "storms": (("Automated composite sampler (ISCO 6712)", 95.0), ("Turbidity meter", 25.0)),
    "construction": (("Nuclear density gauge (Troxler 3440)", 75.0),),
    "inspections": (("Turbidity meter", 25.0),),
    "drilling": (("Photoionization detector (MiniRAE 3000)", 95.0),),
    "hazmat": (("XRF lead paint analyzer", 250.0),),
}


def _line(description: str, quantity: float, price: float, role: str, start: Any, end: Any) -> dict[str, Any]:
    return {
        "description": description,
        "quantity": round(quantity, 2),
        "unit_price": round(price, 3),
        "amount": round(round(quantity, 2) * round(price, 3), 2),
        "role": role,
        "period_start": start,
        "period_end": end,
    }


def _issue_after(day: dt.date, days: int) -> dt.date:
    out = day + dt.timedelta(days=days)
    while out.weekday() >= 5:
        out += dt.timedelta(days=1)
    return out


def _simulate_invoices(
    seed: int,
    entries: pd.DataFrame,
    projects: list[_Project],
    first: dt.date,
    last: dt.date,
    cut: dt.date,
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, float]]:
    """The year's invoices (the last month's issued after ``last``) with the misbilling of
    ``FIRM_E_INVOICE_KINDS``; returns the NTE of each task order or contract that has one."""
    rng = np.random.default_rng(seed + 53_000)
    ends = {m.code: pd.Timestamp(m.closes or last) for m in projects}
    billable = entries[
        entries["billable"]
        & entries["project_id"].isin(list(ends))
        & (entries["work_date"] <= entries["project_id"].map(ends))
    ]
    month_of = billable["work_date"].dt.to_period("M")
    hours = billable.groupby([billable["project_id"], month_of, billable["role"]])["hours"].sum()
    by_month: dict[tuple[str, Any], dict[str, float]] = {}
    flat = hours.reset_index()
    for code, month, role, h in zip(
        flat["project_id"], flat["work_date"], flat["role"], flat["hours"], strict=True
    ):
        by_month.setdefault((str(code), month), {})[str(role)] = float(h)
    fw = billable[billable["_kind"] == "field"]
    fw_month = fw["work_date"].dt.to_period("M")
    field_dates: dict[tuple[str, Any], list[pd.Timestamp]] = {}
    person_days: dict[tuple[str, Any], int] = {}
    for (code, month), part in fw.groupby([fw["project_id"], fw_month]):
        field_dates[(str(code), month)] = sorted(set(part["work_date"]))
        person_days[(str(code), month)] = int(part[["person_id", "work_date"]].drop_duplicates().shape[0])
    months = pd.period_range(first, last, freq="M")
    plan = {
        "retainage_not_withheld": 1,
        "sub_markup_not_allowed": 1,
        "sub_invoice_rebilled": 1,
        "equipment_over_field_days": 2,
        "per_diem_overbilled": 1,
        "labor_over_recorded": 1,
    }
    history_trace = {
        "equipment_over_field_days",
        "per_diem_overbilled",
        "labor_over_recorded",
        "sub_invoice_rebilled",
    }
    used: set[tuple[str, str]] = set()

    def wants(kind: str, m: _Project, issued: dt.date, ok: bool) -> bool:
        # A task order about to reach its NTE keeps its batch invoices for that.
        if not ok or (m.nte == "batch" and issued >= cut):
            return False
        if issued >= cut:
            # Retainage and per diem go wrong on the first invoice they can; the rest at random.
            chance = kind in ("retainage_not_withheld", "per_diem_overbilled") or rng.random() < 0.7
            if plan[kind] > 0 and (kind, m.code) not in used and chance:
                plan[kind] -= 1
                used.add((kind, m.code))
                return True
            return False
        if kind in history_trace and issued >= dt.date(2025, 11, 1) and rng.random() < 0.2:
            history_trace.discard(kind)
            return True
        return False

    drafts: list[tuple[_Project, dt.date, list[dict[str, Any]], str, dt.date, dt.date]] = []
    last_subs: dict[str, list[dict[str, Any]]] = {}
    withheld: dict[str, float] = {}
    order = [projects[int(i)] for i in rng.permutation(len(projects))]
    for m in order:
        for month in months:
            start = max(month.start_time.date(), m.opens)
            end = min(month.end_time.date(), m.closes or last)
            if start > end:
                continue
            recorded = by_month.get((m.code, month), {})
            if not recorded:
                continue
            issued = _issue_after(month.end_time.date(), int(rng.integers(8, 21)))
            kind = ""
            body: list[dict[str, Any]] = []
            billed = dict(recorded)
            if m.lump_sum and month.month in (6, 7) and month.year == 2025:
                share = 0.6 if month.month == 6 else 0.4
                body.append(
                    _line(
                        f"Task 1: Phase I ESA (lump sum ${m.lump_sum:,.0f}) - {share:.0%} of fee "
                        f"({'60' if share == 0.6 else '100'}% complete to date)",
                        share,
                        m.lump_sum,
                        "",
                        start,
                        end,
                    )
                )
                billed = {}
            elif rng.random() < 0.22:
                # The project manager writes time down on the pre-bill, never up.
                role = sorted(billed)[int(rng.integers(len(billed)))]
                billed[role] = round(billed[role] * float(rng.uniform(0.75, 0.95)), 2)
            if billed and wants("labor_over_recorded", m, issued, True):
                if rng.random() < 0.35 and "Principal" not in billed:
                    billed["Principal"] = _quarter(float(rng.uniform(3.0, 8.0)))
                else:
                    role = max(billed, key=lambda r: billed[r])
                    billed[role] = round(recorded[role] * float(rng.uniform(1.15, 1.35)) + 2.0, 2)
                kind = "labor_over_recorded"
            for role in (r for r in _ROLES if r in billed):
                body.append(
                    _line(
                        f"Professional services {start:%B %Y}: {role}",
                        billed[role],
                        m.rate(role, start),
                        role,
                        start,
                        end,
                    )
                )
            fdates = field_dates.get((m.code, month), [])
            if fdates:
                n_days = len(fdates)
                if m.overnight:
                    pd_days = person_days[(m.code, month)]
                    price = m.per_diem
                    if not kind and wants("per_diem_overbilled", m, issued, True):
                        if rng.random() < 0.5:
                            pd_days += int(rng.integers(2, 6))
                        else:
                            price = round(m.per_diem * 1.3, 0)
                        kind = "per_diem_overbilled"
                    body.append(
                        _line(
                            f"Per diem, {m.town} (GSA lodging and M&IE): person-days",
                            pd_days,
                            price,
                            "",
                            start,
                            end,
                        )
                    )
                else:
                    miles = n_days * m.miles
                    body.append(
                        _line(
                            f"Mileage: {n_days} field days x {m.miles:.0f} mi round trip",
                            miles,
                            _IRS_MILE[start.year],
                            "",
                            start,
                            end,
                        )
                    )
                equip_days = n_days
                if not kind and wants("equipment_over_field_days", m, issued, True):
                    equip_days = max(n_days + 4, len(_working_days(start, end)))
                    kind = "equipment_over_field_days"
                for name, day_rate in _EQUIPMENT[m.program]:
                    body.append(_line(f"Equipment: {name}, per day", equip_days, day_rate, "", start, end))
                if m.program == "construction":
                    sets = int(sum(rng.integers(0, 3) for _ in fdates))
                    if sets:
                        body.append(
                            _line(
                                "Concrete cylinder compressive strength tests (set of 4)",
                                sets,
                                95.0,
                                "",
                                start,
                                end,
                            )
                        )
                subs: list[dict[str, Any]] = []
                for sub in m.subs:
                    if "Drill" in sub or "Push" in sub:
                        if m.program != "drilling":
                            continue
                        cost = round(n_days * float(rng.uniform(2_400, 3_600)), 2)
                    else:
                        cost = round(n_days * float(rng.uniform(350, 900)), 2)
                    initials = "".join(w[0] for w in sub.split()[:3]).upper()
                    ref = f"{initials}-{month.year % 100}-{int(rng.integers(1000, 9999))}"
                    subs.append(_line(f"Subconsultant: {sub}, invoice {ref}", 1.0, cost, "", start, end))
                if (
                    subs
                    and not kind
                    and wants("sub_invoice_rebilled", m, issued, bool(last_subs.get(m.code)))
                ):
                    subs.extend({**s, "period_start": start, "period_end": end} for s in last_subs[m.code])
                    kind = "sub_invoice_rebilled"
                body.extend(subs)
                pct = m.markup
                if subs and not kind and wants("sub_markup_not_allowed", m, issued, m.markup < 10.0):
                    pct, kind = (10.0 if m.markup == 0 else 15.0), "sub_markup_not_allowed"
                if subs and pct:
                    base = sum(s["amount"] for s in subs)
                    body.append(
                        _line(
                            f"Markup on subconsultants ({pct:.0f}%)",
                            1.0,
                            round(base * pct / 100.0, 2),
                            "",
                            start,
                            end,
                        )
                    )
                last_subs[m.code] = subs
            if m.retainage:
                if not kind and wants("retainage_not_withheld", m, issued, True):
                    kind = "retainage_not_withheld"
                else:
                    held = round(sum(b["amount"] for b in body) * m.retainage / 100.0, 2)
                    withheld[m.code] = withheld.get(m.code, 0.0) + held
                    body.append(
                        _line(f"Less retainage withheld ({m.retainage:.0f}%)", 1.0, -held, "", start, end)
                    )
            drafts.append((m, issued, body, kind, start, end))
        if m.code == "23088" and m.closes is not None and withheld.get(m.code):
            # Final report accepted: the retainage comes back on its own invoice.
            drafts.append(
                (
                    m,
                    _issue_after(m.closes, 12),
                    [
                        _line(
                            f"Release of retainage (final report accepted {m.closes:%m/%d/%Y})",
                            1.0,
                            round(withheld[m.code], 2),
                            "",
                            pd.NaT,
                            pd.NaT,
                        )
                    ],
                    "",
                    m.closes,
                    m.closes,
                )
            )

    # NTEs: a tight one is reached by a given invoice, which carries the amount held pending an
    # amendment; nothing is billed after it. One batch invoice of each tight one leaves it out.
    ntes: dict[str, float] = {}
    for m in projects:
        if not m.nte:
            continue
        mine = sorted(
            ((issued, sum(b["amount"] for b in body)) for x, issued, body, *_ in drafts if x.code == m.code),
            key=lambda t: t[0],
        )
        if not mine:
            continue
        total = sum(a for _, a in mine)
        if m.nte == "loose":
            ntes[m.code] = float(round(total * float(rng.uniform(1.15, 1.6)), -3))
            continue
        target = [i for i, (issued, _) in enumerate(mine) if (issued >= cut) == (m.nte == "batch")]
        if m.nte == "history":
            target = [
                i for i, (issued, _) in enumerate(mine) if dt.date(2025, 11, 1) <= issued < cut
            ] or target
        if not target:
            ntes[m.code] = float(round(total * 1.2, -3))
            continue
        k = target[0]
        before = sum(a for _, a in mine[:k])
        ntes[m.code] = float(round(before + mine[k][1] * float(rng.uniform(0.35, 0.7)), -2))
    billed_to_date = dict.fromkeys(ntes, 0.0)
    skipped: set[str] = set()
    heads: list[dict[str, Any]] = []
    lines: list[dict[str, Any]] = []
    numbers: dict[str, int] = {}
    for m, issued, body, kind, start, end in sorted(drafts, key=lambda d: (d[1], d[0].code)):
        if m.code in ntes:
            amount = round(sum(b["amount"] for b in body), 2)
            over = billed_to_date[m.code] + amount - ntes[m.code]
            if over > 0:
                if issued >= cut and m.code not in skipped and not kind:
                    kind = "over_nte"
                    skipped.add(m.code)
                elif over >= amount - 0.01:
                    continue  # nothing left under the NTE: the time waits for an amendment
                else:
                    body = [
                        *body,
                        _line(
                            f"Amount over NTE (${ntes[m.code]:,.0f}) held pending amendment",
                            1.0,
                            -round(over, 2),
                            "",
                            start,
                            end,
                        ),
                    ]
            billed_to_date[m.code] += round(sum(b["amount"] for b in body), 2)
        numbers[m.code] = numbers.get(m.code, 0) + 1
        net = round(sum(b["amount"] for b in body), 2)
        head = {
            "invoice_id": f"SCI{seed:02d}-{len(heads):05d}",
            "invoice_number": f"{m.code}-{numbers[m.code]:02d}",
            "client_id": m.client,
            "project_id": m.code,
            "issue_date": issued,
            "due_date": issued + dt.timedelta(days=m.terms_days),
            "currency": "USD",
            "subtotal": net,
            "tax": 0.0,
            "total": net,
            "po_number": m.po or None,
            "label_kind": kind,
        }
        heads.append(head)
        lines.extend({**b, "invoice_id": head["invoice_id"]} for b in body)

    invoices = pd.DataFrame(heads)
    out_lines = pd.DataFrame(lines)
    for column in ("issue_date", "due_date"):
        invoices[column] = pd.to_datetime(invoices[column])
    for column in ("period_start", "period_end"):
        out_lines[column] = pd.to_datetime(out_lines[column])
    invoices = invoices.sort_values(["issue_date", "invoice_id"], kind="stable").reset_index(drop=True)
    return invoices, out_lines, ntes
