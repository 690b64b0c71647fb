"""Other firms' exports and delivery managers' requests, read into the contract's shape.

Directories come out of HR systems and resource-management tools, requests out of
a delivery manager's form or e-mail; neither is written to our contract. This
module turns what they write into the contract's records before validation:

- keys in any case and spelling (``Worker_ID``, ``Resource Name``, ``Time_Zone``),
  mapped through tables of the names exports use for each field;
- tables (``{"columns": [...], "data": [[...]]}``, a list whose first row is the
  header) into records, and any wrapper holding one list of records;
- "Skill 1".."Skill N" columns, levels written with the skill ("Python (Expert)",
  "LLMs - Advanced", "German C1"), languages with CEFR levels, certifications as
  objects, bookings with ``from``/``to``/``hours``, monthly "Alloc % May 2026"
  columns, a status "On leave until 2026-05-15" or "Terminated";
- a request's "start": "ASAP" (the day it was made), "early Q3", "May 2026", a
  "duration": "6 months", hours as "50%", "full time" or "20 h/week", a budget per
  day, "must have" and "nice to have" lists, a location as words ("US only", "EU",
  "Remote - EMEA") with the time zone beside it, a team's shared fields.

What cannot be read is an error naming the field as the input wrote it and what
was expected; nothing is guessed. Records already in the contract's shape pass
through unchanged (checked by their keys, so a 10,000-person directory in our
own shape pays one set comparison per person).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Any

# A booking or leave with no start date already runs; one with no end date runs past any request.
OPEN_START = dt.date(2000, 1, 3)
OPEN_END = dt.date(2099, 12, 31)
# A working day, for rates quoted per day.
HOURS_PER_DAY = 8.0
FULL_TIME_HOURS = 40.0
# Shares above this are an error in a request (a person's booking may be over 100 %).
MAX_REQUEST_SHARE = 100.0


def key_form(key: str) -> str:
    """A key as compared: case, spaces, underscores and punctuation ignored ("Worker_ID" is "workerid")."""
    return re.sub(r"[^a-z0-9%]", "", key.casefold())


def _table(mapping: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {key_form(alias): field for field, aliases in mapping.items() for alias in (field, *aliases)}


PERSON_FIELDS = _table(
    {
        "person_id": ("employee_id", "employee_number", "employee_no", "emp_id", "worker_id", "resource_id",
                      "staff_id", "consultant_id", "user_id", "id"),
        "name": ("full_name", "worker", "worker_name", "resource_name", "employee_name", "legal_name",
                 "display_name", "consultant_name", "resource"),
        "title": ("job_title", "business_title", "position", "role", "designation", "job_role"),
        "level": ("grade", "job_level", "seniority", "band", "career_level"),
        "location": ("office", "work_location", "based_in", "base_location", "primary_location"),
        "timezone": ("tz", "time_zone", "timezone_name", "zone"),
        "cost_rate": ("cost", "hourly_cost", "cost_per_hour", "internal_cost", "internal_rate", "loaded_cost",
                      "cost_rate_per_hour", "hourly_rate"),
        "day_cost": ("day_rate", "cost_per_day", "daily_cost", "daily_rate", "day_cost"),
        "currency": ("cost_currency", "ccy"),
        "target_utilization": ("target_utilisation", "utilization_target", "utilisation_target",
                               "billable_target"),
        "skills": ("skill_set", "skillset", "competencies", "expertise"),
        "languages": ("spoken_languages", "language_skills"),
        "certifications": ("certs", "certificates"),
        "clearances": ("clearance", "security_clearance"),
        "allocations": ("assignments", "bookings", "projects", "engagements", "commitments"),
        "time_off": ("leave", "leaves", "absences", "absence", "pto", "vacation", "holidays"),
        "client_history": ("past_clients", "clients"),
        "hours_per_week": ("weekly_hours", "contracted_hours", "standard_hours", "scheduled_weekly_hours",
                           "scheduled_hours", "working_hours", "hours"),
        "fte": (),
        "profile": ("bio", "summary", "resume"),
        "status": ("worker_status", "employment_status", "employee_status"),
        "employment_type": ("worker_type", "employment", "contract_type", "engagement_type"),
        "leave_until": ("on_leave_until", "leave_end_date", "leave_until_date"),
        "return_date": ("leave_return_date", "expected_return", "expected_return_date", "returns_on"),
        "city": (),
        "country": (),
    }
)  # fmt: skip
# The contract's own person keys: a record holding only these is read as it is.
_CONTRACT_PERSON_KEYS = frozenset(
    ["person_id", "name", "title", "level", "location", "timezone", "cost_rate", "currency",
     "target_utilization", "skills", "certifications", "clearances", "allocations", "time_off",
     "client_history", "hours_per_week", "profile", "employee_id", "employee_number", "worker_id", "id",
     "weekly_hours", "contracted_hours", "standard_hours", "fte", "grade", "status", "employment_type",
     "seniority"]
)  # fmt: skip

SKILL_FIELDS = _table(
    {
        "name": ("skill", "skill_name", "language", "certification", "title"),
        "level": ("proficiency", "rating", "skill_level", "proficiency_level", "cefr", "cefr_level", "score"),
    }
)
BOOKING_FIELDS = _table(
    {
        "project_id": ("project", "project_name", "project_code", "engagement", "assignment"),
        "start_date": ("start", "from", "begin", "begins", "from_date", "starts_on"),
        "end_date": ("end", "to", "until", "finish", "to_date", "ends_on"),
        "hours_per_week": ("hours", "hrs_per_week", "hrs/wk", "hours/week", "weekly_hours", "hours_week",
                           "hpw"),
        "period": ("dates", "date_range"),
        "percent": ("allocation", "allocation_percent", "allocated", "allocated_percent", "pct", "%",
                    "percentage", "allocation_pct", "allocation %", "share"),
        "fte": (),
    }
)  # fmt: skip
LEAVE_FIELDS = _table(
    {
        "start_date": ("start", "from", "begin", "first_day", "from_date", "starts_on"),
        "end_date": ("end", "to", "until", "last_day", "to_date", "ends_on"),
        "return_date": ("returns", "return", "returns_on", "back_on"),
        "period": ("dates", "date_range"),
    }
)

REQUEST_FIELDS = _table(
    {
        "request_id": ("id", "ref", "reference", "request_number", "request_no", "req_id"),
        "project_id": ("project", "project_code"),
        "client_id": ("client", "customer", "account", "client_name"),
        "role": ("title", "role_title", "position", "job_title", "role_name"),
        "description": ("details", "summary", "role_description", "brief", "notes"),
        "start_date": ("start", "from", "starting", "start_by", "starts", "start_on"),
        "end_date": ("end", "to", "until", "finish", "ends", "end_by"),
        "duration": ("length", "term"),
        "hours_per_week": ("hours", "weekly_hours", "hrs_per_week", "hours/week"),
        "allocation": ("percent_of_time", "time", "commitment", "load", "effort", "fte", "utilization",
                       "utilisation", "percentage", "capacity"),
        "bill_rate": ("rate", "budget", "max_rate", "budget_rate", "billing_rate", "hourly_rate",
                      "budget_per_hour", "rate_card"),
        "day_rate": ("budget_per_day", "daily_rate", "day_budget", "max_day_rate", "rate_per_day"),
        "min_margin": ("margin_target", "target_margin", "minimum_margin", "margin"),
        "must_have": ("must_haves", "required_skills", "mandatory", "mandatory_skills", "essential",
                      "essential_skills", "must", "skills_required", "skills_mandatory", "skills_must",
                      "must_have_skills", "key_skills", "core_skills", "skills_essential"),
        "nice_to_have": ("nice_to_haves", "preferred", "preferred_skills", "optional_skills", "desirable",
                         "desired_skills", "bonus", "nice", "skills_desired", "skills_preferred",
                         "skills_optional", "skills_nice_to_have", "nice_to_have_skills",
                         "additional_skills"),
        "countries": (),
        "timezone": ("tz", "time_zone", "client_timezone"),
        "max_timezone_offset_hours": ("max_offset", "max_timezone_offset", "timezone_tolerance",
                                      "max_offset_hours", "tz_tolerance"),
        "requested_on": ("requested_at", "request_date", "submitted_on", "submitted", "created_at",
                         "created", "raised_on", "date_raised", "as_of"),
        "seniority": ("level", "grade", "seniority_level"),
    }
)  # fmt: skip


def _rename(record: dict[str, Any], table: dict[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """The record with its keys mapped to field names (a field already present keeps its own
    value), and each field's key as the input wrote it (for error messages)."""
    out: dict[str, Any] = {}
    written: dict[str, str] = {}
    for key, value in record.items():
        field = table.get(key_form(key)) if isinstance(key, str) else None
        if field is None:
            out.setdefault(key, value)
            continue
        if field in out and key != field and (written.get(field) == field or out[field] is not None):
            continue  # the field's own key wins, else the first alias with a value
        out[field] = value
        written[field] = key
    return out, written


# ----------------------------------------------------------------------------- levels
# Levels written beside a skill, and CEFR language levels on the 1-5 scale: B2 is
# professional working proficiency (3), so a B1 speaker does not meet a B2 requirement.
CEFR_LEVELS = {"a1": 1, "a2": 1, "b1": 2, "b2": 3, "c1": 4, "c2": 5}
_EXTRA_LEVEL_WORDS = {
    "native": 5, "mother tongue": 5, "bilingual": 5, "fluent": 4, "conversational": 2, "elementary": 1,
    "mid": 3, "mid-level": 3, "principal": 5, "professional": 4, "limited": 2,
}  # fmt: skip
_CEFR = re.compile(r"^([abc][12])\+?$", re.IGNORECASE)
_CEFR_LIKE = re.compile(r"^[a-z]\d\+?$", re.IGNORECASE)


_LEVEL_NUMBER_TEXT = re.compile(r"^(?:l|level\s*|min\.?\s*)?([1-5])(?:\s*/\s*5)?\s*\+?$")


def level_word(text: str, words: dict[str, int]) -> int | None:
    """A 1-5 level for a level written as a word, a CEFR code or a number on the 1-5 scale
    ("4", "4+", "L4", "4/5"), else None."""
    key = " ".join(text.strip().casefold().split())
    cefr = _CEFR.match(key)
    if cefr:
        return CEFR_LEVELS[cefr.group(1)]
    number = _LEVEL_NUMBER_TEXT.match(key)
    if number:
        return int(number.group(1))
    return words.get(key) or _EXTRA_LEVEL_WORDS.get(key)


_IN_BRACKETS = re.compile(r"^(?P<name>.*\S)\s*\(\s*(?P<level>[^()]+?)\s*\)$")
_AFTER_DASH = re.compile(r"^(?P<name>.*\S)\s+[-–—:]\s+(?P<level>\S.*)$")
_TRAILING_CEFR = re.compile(r"^(?P<name>.*\S)\s+(?P<level>[ABC][12]\+?)$")
# "Java:5"; and "Java 4+" (a trailing number alone is a version: "Java 8", "Python 3").
_AFTER_COLON = re.compile(r"^(?P<name>[^:]*[^:\s])\s*:\s*(?P<level>[^:]+)$")
_TRAILING_AT_LEAST = re.compile(r"^(?P<name>.*\S)\s+(?P<level>[1-5]\+)$")


def split_level(text: str, words: dict[str, int]) -> tuple[str, int | None]:
    """A skill written with its level ("Python (Expert)", "LLMs - Advanced", "German C1",
    "k8s (advanced)") as its name and level; other text is returned whole, with None."""
    for pattern in (_IN_BRACKETS, _AFTER_DASH, _TRAILING_CEFR, _AFTER_COLON, _TRAILING_AT_LEAST):
        match = pattern.match(text.strip())
        if match:
            level = level_word(match.group("level"), words)
            if level is not None:
                return match.group("name").strip(), level
    return text, None


# ----------------------------------------------------------------------------- people
_SKILL_COLUMN = re.compile(r"^(?:skill|competency|technology)(\d+)(level|rating|proficiency)?$")
_MONTHS = {name.casefold(): number for number, name in enumerate(calendar.month_abbr) if name}
_MONTH_KEY = re.compile(
    r"(?i)\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?[\s\-/'_]*(\d{4}|\d{2})\b"
)
_ISO_MONTH_KEY = re.compile(r"\b(20\d{2})[-/](0[1-9]|1[0-2])\b")
_BOOKED_MARKERS = ("alloc", "%", "booked", "assigned", "utili", "scheduled")
_AVAILABLE_MARKERS = ("avail", "free")
_PERCENT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*%?\s*$")
_INACTIVE = re.compile(
    r"(?i)\b(terminated|inactive|left|leaver|resigned|retired|withdrawn|separated|offboarded|former|"
    r"alumni|deceased|dismissed)\b"
)
_ON_LEAVE = re.compile(
    r"(?i)\b(on\s+leave|leave\s+of\s+absence|loa|sabbatical|parental|maternity|paternity|medical\s+leave|"
    r"sick\s+leave|long[-\s]term\s+leave)\b"
)
_ISO_DATE = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")


def _month_of_key(key: str) -> tuple[int, int] | None:
    match = _ISO_MONTH_KEY.search(key)
    if match:
        return int(match.group(1)), int(match.group(2))
    match = _MONTH_KEY.search(key)
    if match:
        year = int(match.group(2))
        return (year + 2000 if year < 100 else year), _MONTHS[match.group(1).casefold()[:3]]
    return None


def _percent_value(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        match = _PERCENT.match(value)
        return float(match.group(1)) if match else None
    return None


def _monthly_bookings(record: dict[str, Any]) -> tuple[list[dict[str, Any]], list[str]]:
    """Bookings from "Alloc % May 2026"-style columns (or "Available % ..."), consecutive months at
    one share merged; and the columns read."""
    months: list[tuple[tuple[int, int], float]] = []
    used: list[str] = []
    for key, value in record.items():
        if not isinstance(key, str):
            continue
        month = _month_of_key(key)
        if month is None:
            continue
        lowered = key.casefold()
        available = any(m in lowered for m in _AVAILABLE_MARKERS)
        marked = available or any(m in lowered for m in _BOOKED_MARKERS)
        if value is None or (isinstance(value, str) and not value.strip()):
            used.append(key)
            continue
        share = _percent_value(value)
        if share is None or not 0 <= share <= 300:
            if marked:
                raise ValueError(f"column {key!r}: {value!r} is not a percentage (give 0-100, such as '50%')")
            continue
        if not marked and not (isinstance(value, str) and "%" in value):
            continue  # a month column that is not about allocation
        used.append(key)
        months.append((month, max(0.0, 100.0 - share) if available else share))
    bookings: list[dict[str, Any]] = []
    for (year, number), share in sorted(months):
        start = dt.date(year, number, 1)
        end = dt.date(year, number, calendar.monthrange(year, number)[1])
        if share <= 0:
            continue
        last = bookings[-1] if bookings else None
        if last and last["percent"] == share and last["end_date"] == start - dt.timedelta(days=1):
            last["end_date"] = end
        else:
            bookings.append({"project_id": "", "start_date": start, "end_date": end, "percent": share})
    return bookings, used


def _skill_item(item: Any, words: dict[str, int], *, level_key: str) -> Any:
    if isinstance(item, str):
        name, level = split_level(item, words)
        return {"name": name, level_key: level} if level is not None else {"name": name}
    if isinstance(item, dict) and not ({"name", level_key} >= item.keys()):
        renamed, _ = _rename(item, SKILL_FIELDS)
        out: dict[str, Any] = {"name": renamed.get("name"), level_key: renamed.get("level")}
        if isinstance(out["name"], str) and out[level_key] is None:
            name, level = split_level(out["name"], words)
            out = {"name": name, level_key: level}
        for key in ("weight", "required"):
            if key in item:
                out[key] = item[key]
        return {k: v for k, v in out.items() if v is not None}
    return item


_LIST_SPLIT = re.compile(r"\s*[;,|\n]\s*")


def _items(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, str):
        return [part for part in _LIST_SPLIT.split(value.strip()) if part]
    if isinstance(value, dict):
        return [{"name": k, "level": v} for k, v in value.items()]
    if isinstance(value, list):
        return value
    return [value]


def _leave_from_status(status: str, record: dict[str, Any]) -> dict[str, Any] | None:
    """Time off for a person whose status says they are on leave: until the date in the status
    ("On leave until 2026-05-15"), the day before a return date, else with no end."""
    if not _ON_LEAVE.search(status):
        return None
    until = _ISO_DATE.search(status)
    if until:
        return {"start_date": OPEN_START, "end_date": until.group(1), "reason": status}
    for key in ("leave_until", "return_date"):
        value = record.get(key)
        if isinstance(value, str) and value.strip():
            try:
                day = dt.date.fromisoformat(value.strip()[:10])
            except ValueError:
                raise ValueError(f"{key} {value!r} is not a date (give YYYY-MM-DD)") from None
            end = day if key == "leave_until" else day - dt.timedelta(days=1)
            return {"start_date": OPEN_START, "end_date": end.isoformat(), "reason": status}
    return {"start_date": OPEN_START, "end_date": OPEN_END, "reason": status}


_COST_NOT_GIVEN = frozenset(["", "-", "--", "?", "n/a", "na", "none", "unknown", "tbd", "tbc"])


def person_record(
    record: dict[str, Any], level_words: dict[str, int], money: re.Pattern[str]
) -> dict[str, Any]:
    """One directory record in the contract's shape (records already in it are returned as given).

    Raises
    ------
    ValueError
        Naming the field (as written) and what was expected.
    """
    if record.keys() <= _CONTRACT_PERSON_KEYS and not isinstance(record.get("status"), str):
        return record
    monthly, monthly_keys = _monthly_bookings(record)
    skill_columns: dict[int, dict[str, Any]] = {}
    rest: dict[str, Any] = {}
    for key, value in record.items():
        if not isinstance(key, str) or key in monthly_keys:
            continue
        column = _SKILL_COLUMN.match(key_form(key))
        if column:
            slot = skill_columns.setdefault(int(column.group(1)), {})
            slot["level" if column.group(2) else "name"] = value
            continue
        rest[key] = value
    out, written = _rename(rest, PERSON_FIELDS)
    skills = [_skill_item(s, level_words, level_key="level") for s in _items(out.get("skills"))]
    for _, slot in sorted(skill_columns.items()):
        name = slot.get("name")
        if isinstance(name, str) and name.strip():
            item = _skill_item(name, level_words, level_key="level")
            if slot.get("level") not in (None, ""):
                item["level"] = slot["level"]
            skills.append(item)
    for language in _items(out.pop("languages", None)):
        if isinstance(language, str):
            token = language.split()[-1] if language.split() else ""
            if _CEFR_LIKE.match(token) and not _CEFR.match(token):
                raise ValueError(
                    f"languages: {language!r}: {token!r} is not a CEFR level (A1 to C2) or a level word"
                )
        skills.append(_skill_item(language, level_words, level_key="level"))
    if skills or "skills" in out:
        out["skills"] = skills
    if "certifications" in out:
        out["certifications"] = [
            _skill_item(c, {}, level_key="level").get("name") if isinstance(c, dict) else c
            for c in _items(out["certifications"])
        ]
    day_cost = out.pop("day_cost", None)
    if day_cost is not None and out.get("cost_rate") is None:
        out["cost_rate"] = (
            day_cost / HOURS_PER_DAY if isinstance(day_cost, int | float) else f"{day_cost}/day"
        )
        written["cost_rate"] = written.get("day_cost", "cost_rate")
    cost = out.get("cost_rate")
    if isinstance(cost, str):
        if cost.strip().casefold() in _COST_NOT_GIVEN:
            out["cost_rate"] = None
        else:
            out["cost_rate"] = _per_hour(
                cost, key=written.get("cost_rate", "cost_rate"), money=money, per_day=False
            )
    if isinstance(out.get("location"), dict):
        # {"city": "Munich", "country": "DE"}
        place = {key_form(k): v for k, v in out["location"].items()}
        out["location"] = ", ".join(
            str(place[k]) for k in ("city", "town", "office", "state", "region", "country") if place.get(k)
        )
    for rate_key in ("cost_rate", "rate"):
        rate = out.get(rate_key)
        if isinstance(rate, dict):
            # {"cost": 90, "currency": "EUR", "unit": "day"}
            fields = {key_form(k): v for k, v in rate.items()}
            amount = next(
                (fields[k] for k in ("cost", "costrate", "amount", "value", "rate") if k in fields), None
            )
            unit = str(fields.get("unit") or fields.get("per") or "hour").casefold()
            if isinstance(amount, int | float) and unit.startswith(("d", "day")):
                amount = amount / HOURS_PER_DAY
            out.pop(rate_key)
            out["cost_rate"] = amount
            if fields.get("currency") and not out.get("currency"):
                out["currency"] = fields["currency"]
    if not out.get("location") and (out.get("city") or out.get("country")):
        out["location"] = ", ".join(str(p) for p in (out.get("city"), out.get("country")) if p)
    listed = _items(out.get("allocations"))
    if listed and all(isinstance(b, str) for b in listed) and written.get("allocations") != "allocations":
        # "projects": ["P-1", "P-2"] is a history of names, not bookings with dates and hours.
        out.pop("allocations")
        listed = []
    bookings = [_with_period(_rename(b, BOOKING_FIELDS)[0]) if isinstance(b, dict) else b for b in listed]
    for booking in bookings:
        if isinstance(booking, dict):
            share = booking.get("percent")
            if isinstance(share, str) and _percent_value(share) is not None:
                booking["percent"] = _percent_value(share)
    if bookings or monthly:
        out["allocations"] = bookings + monthly
    leave = [_leave_record(x) if isinstance(x, dict) else x for x in _items(out.get("time_off"))]
    status = out.get("status")
    if isinstance(status, str) and status.strip():
        from_status = _leave_from_status(status, out)
        if from_status is not None:
            leave.append(from_status)
    if leave or "time_off" in out:
        out["time_off"] = leave
    for key in ("leave_until", "return_date", "city", "country"):
        out.pop(key, None)
    # null is "not given" (the field's default), as for records in the contract's shape
    return {key: value for key, value in out.items() if value is not None}


_PERIOD = re.compile(
    r"^\s*(\d{4}-\d{2}-\d{2})\s*(?:to|until|till|-|–|—|/|\.\.)\s*(\d{4}-\d{2}-\d{2})\s*$", re.I
)


def _with_period(record: dict[str, Any]) -> dict[str, Any]:
    """A booking or leave written with one "2026-03-02 to 2026-04-24" period."""
    period = record.pop("period", None)
    if period is None:
        return record
    match = _PERIOD.match(period) if isinstance(period, str) else None
    if match is None:
        raise ValueError(f"period {period!r} is not a date range (give 'YYYY-MM-DD to YYYY-MM-DD')")
    record.setdefault("start_date", match.group(1))
    record.setdefault("end_date", match.group(2))
    return record


def _leave_record(item: dict[str, Any]) -> dict[str, Any]:
    renamed = _with_period(_rename(item, LEAVE_FIELDS)[0])
    back = renamed.pop("return_date", None)
    if renamed.get("end_date") is None and isinstance(back, str) and back.strip():
        try:
            renamed["end_date"] = (
                dt.date.fromisoformat(back.strip()[:10]) - dt.timedelta(days=1)
            ).isoformat()
        except ValueError:
            raise ValueError(f"time_off return date {back!r} is not a date (give YYYY-MM-DD)") from None
    return renamed


# Seniority words of titles, grades and requests, on one ladder (0 intern .. 5 principal).
SENIORITY_WORDS: dict[str, int] = {
    "intern": 0, "trainee": 0, "apprentice": 0, "graduate": 1, "junior": 1, "jr": 1, "entry": 1,
    "associate": 1, "mid": 2, "midlevel": 2, "intermediate": 2, "experienced": 2, "senior": 3, "sr": 3,
    "lead": 4, "staff": 4, "principal": 5, "director": 5, "head": 5, "distinguished": 5,
}  # fmt: skip
SENIORITY_NAMES = {0: "Intern", 1: "Junior", 2: "Mid", 3: "Senior", 4: "Lead", 5: "Principal"}
_SENIORITY_TOKEN = re.compile(r"[a-z]+")


def seniority_of(text: Any, *, lowest: bool = False) -> int | None:
    """The seniority rung a title, grade or request names ("Senior SFDC admin" is 3), else None;
    the highest when several are named ("Senior Lead"), or with ``lowest`` the lowest (a
    request for a "mid/senior" developer accepts a mid)."""
    if not isinstance(text, str) or not text:
        return None
    words = _SENIORITY_TOKEN.findall(
        text.casefold().replace("mid-level", "midlevel").replace("mid level", "midlevel")
    )
    rungs = [SENIORITY_WORDS[w] for w in words if w in SENIORITY_WORDS]
    if not rungs:
        return None
    return min(rungs) if lowest else max(rungs)


def is_inactive_status(status: str | None) -> bool:
    """Whether an HR status says the person no longer works here ("Terminated", "Inactive")."""
    return bool(status) and _INACTIVE.search(status or "") is not None and not _ON_LEAVE.search(status or "")


# ----------------------------------------------------------------------------- directories
class TableError(ValueError):
    """A table-shaped directory whose rows do not fit its columns."""


def _rows_to_records(columns: list[Any], rows: list[Any]) -> list[dict[str, Any]]:
    if not all(isinstance(c, str) for c in columns):
        raise TableError("the table's columns must be names (strings)")
    records: list[dict[str, Any]] = []
    for position, row in enumerate(rows):
        if not isinstance(row, list):
            raise TableError(f"row {position} must be a list of cells, got {type(row).__name__}")
        if len(row) != len(columns):
            first = f" ({row[0]})" if row else ""
            raise TableError(
                f"row {position}{first} has {len(row)} cells but the table has {len(columns)} columns"
            )
        records.append(dict(zip(columns, row, strict=True)))
    return records


def _has_id(record: dict[str, Any]) -> bool:
    return any(PERSON_FIELDS.get(key_form(k)) == "person_id" for k in record if isinstance(k, str))


def directory_records(data: Any, wrapper_keys: tuple[str, ...]) -> Any:
    """The list of records inside an export: a known wrapper key, a table (columns and rows of
    cells), or the one list of records a wrapper holds. Anything else is returned as given."""
    if isinstance(data, dict):
        columns = data.get("columns") or data.get("headers") or data.get("fields")
        rows = data.get("data", data.get("rows", data.get("values")))
        if isinstance(columns, list) and isinstance(rows, list) and all(isinstance(r, list) for r in rows):
            return _rows_to_records(columns, rows)
        known = [key for key in wrapper_keys if isinstance(data.get(key), list)]
        if known:
            return directory_records(data[known[0]], wrapper_keys)
        if len(data) > 1 and all(isinstance(k, str) and isinstance(v, dict) for k, v in data.items()):
            # {"KS-01": {...}, "KS-02": {...}}: records keyed by their id.
            return [
                {"person_id": key, **value} if not _has_id(value) else value for key, value in data.items()
            ]
        lists = [value for value in data.values() if isinstance(value, list) and value]
        records = [v for v in lists if all(isinstance(item, dict | list) for item in v)]
        if len(records) == 1:
            return directory_records(records[0], wrapper_keys)
        return data
    if (
        isinstance(data, list)
        and len(data) > 1
        and all(isinstance(row, list) for row in data)
        and all(isinstance(cell, str) for cell in data[0])
    ):
        return _rows_to_records(data[0], data[1:])
    return data


# ----------------------------------------------------------------------------- requests
_ASAP = re.compile(
    r"(?i)^\s*(asap|a\.s\.a\.p\.?|as soon as possible|immediately|immediate|now|right away)\s*$"
)
_QUARTER = re.compile(
    r"(?i)^\s*(?P<when>early|mid|late|start of|beginning of|end of|begin|start|end)?[\s-]*"
    r"q(?P<q>[1-4])[\s-]*(?:fy)?(?P<year>\d{4}|'?\d{2})?\s*$"
)
_MONTH_TEXT = re.compile(
    r"(?i)^\s*(?P<when>early|mid|late|start of|beginning of|end of)?[\s-]*"
    r"(?P<month>jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s*(?P<year>\d{4})?\s*$"
)
_DURATION = re.compile(
    r"(?i)^\s*(?:~|about|approx\.?|circa)?\s*(?P<n>\d+(?:\.\d+)?)\s*"
    r"(?P<unit>months?|mos?|mths?|m|weeks?|wks?|w|days?|d|years?|yrs?|y)\s*$"
)
_HOURS_TEXT = re.compile(
    r"(?i)^\s*(?P<n>\d+(?:\.\d+)?)\s*(?:h|hr|hrs|hours?)\b\s*(?:(?:/|per|a|each)\s*(?:w|wk|week))?\s*$"
)
_DAYS_TEXT = re.compile(r"(?i)^\s*(?P<n>[1-5](?:\.5)?)\s*days?\s*(?:/|per|a|each)\s*(?:w|wk|week)\s*$")
_SHARE_TEXT = re.compile(
    r"^\s*(?P<n>\d+(?:\.\d+)?)\s*%\s*(?:of\s+(?:the\s+)?(?:time|week))?\s*(?:fte)?\s*$", re.I
)
_FTE_TEXT = re.compile(r"(?i)^\s*(?P<n>\d*\.?\d+)\s*fte\s*$")
_FULL_TIME = re.compile(r"(?i)^\s*(full[\s-]?time|ft|fulltime|100\s*%)\s*$")


def _year_for(quarter_or_month_start: int, requested: dt.date | None, per_year: int) -> int | None:
    if requested is None:
        return None
    current = (requested.month - 1) // (12 // per_year) + 1 if per_year == 4 else requested.month
    return requested.year if quarter_or_month_start >= current else requested.year + 1


def read_date(value: Any, *, key: str, requested: dt.date | None, as_end: bool) -> Any:
    """A start or end date as a delivery manager writes it, or the value unchanged when it is
    not text (validation reads dates). ``as_end`` picks a period's last day ("Q3" ends 30 September)."""
    if not isinstance(value, str) or not value.strip():
        return value
    text = value.strip()
    if re.match(r"^\d{4}-\d{2}-\d{2}", text):
        try:
            return dt.date.fromisoformat(text[:10])
        except ValueError:
            raise ValueError(f"{key} {value!r} is not a date (give YYYY-MM-DD)") from None
    if _ASAP.match(text):
        if requested is None:
            raise ValueError(
                f"{key} {value!r} needs the day the request was made: give requested_on, or a date"
            )
        return requested
    quarter = _QUARTER.match(text)
    month_match = _MONTH_TEXT.match(text)
    match = quarter or month_match
    if match is None:
        raise ValueError(
            f"{key} {value!r} is not a date: give YYYY-MM-DD, 'ASAP' (with requested_on), a quarter such as "
            "'early Q3' or a month such as 'May 2026'"
        )
    when = (match.group("when") or "").casefold()
    if quarter:
        first_month = 3 * (int(quarter.group("q")) - 1) + 1
        months: tuple[int, ...] = (first_month, first_month + 1, first_month + 2)
    else:
        first_month = _MONTHS[match.group("month").casefold()[:3]]
        months = (first_month,)
    year_text = (match.group("year") or "").lstrip("'")
    if year_text:
        year: int | None = int(year_text) + (2000 if len(year_text) == 2 else 0)
    elif quarter:
        year = _year_for(int(quarter.group("q")), requested, 4)
    else:
        year = _year_for(first_month, requested, 12)
    if year is None:
        raise ValueError(f"{key} {value!r} names no year: add the year, or give requested_on")
    return _period_day(year, months, when, as_end=as_end)


def _period_day(year: int, months: tuple[int, ...], when: str, *, as_end: bool) -> dt.date:
    if when in ("mid",):
        middle = months[len(months) // 2]
        return dt.date(year, middle, 15)
    if when in ("late", "end of", "end") or (as_end and when not in ("early", "start of", "beginning of")):
        last = months[-1]
        if when == "late" and not as_end:
            return dt.date(year, last, 1) if len(months) > 1 else dt.date(year, last, 20)
        return dt.date(year, last, calendar.monthrange(year, last)[1])
    return dt.date(year, months[0], 1)


def end_from_duration(start: dt.date, value: Any, *, key: str) -> dt.date:
    """The last day of a period of ``value`` ("6 months", "12 weeks", 90 days) from ``start``."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise ValueError(f"{key} {value!r} has no unit: write '6 months', '12 weeks' or '90 days'")
    match = _DURATION.match(value) if isinstance(value, str) else None
    if match is None:
        raise ValueError(f"{key} {value!r} is not a duration: write '6 months', '12 weeks' or '90 days'")
    n = float(match.group("n"))
    unit = match.group("unit").casefold()[0]
    if unit == "m" or unit == "y":
        months = round(n * (12 if unit == "y" else 1))
        year, month = divmod(start.month - 1 + months, 12)
        target_year, target_month = start.year + year, month + 1
        day = min(start.day, calendar.monthrange(target_year, target_month)[1])
        return dt.date(target_year, target_month, day) - dt.timedelta(days=1)
    days = n * 7 if unit == "w" else n
    return start + dt.timedelta(days=round(days) - 1)


# Request keys whose plain number is a share of the week, not hours.
_SHARE_KEYS = frozenset(key_form(k) for k in ("allocation", "percentage", "percent_of_time", "utilization",
                                               "utilisation", "percent", "share"))  # fmt: skip


def read_hours(value: Any, *, key: str) -> Any:
    """A role's hours per week from "20 h/week", "full time", "50%", "0.5 FTE", "3 days/week"."""
    if isinstance(value, bool) or value is None:
        return value
    form = key_form(key)
    if isinstance(value, str) and re.fullmatch(r"\s*\d+(?:\.\d+)?\s*", value):
        value = float(value)
    if isinstance(value, int | float):
        if form == "fte":
            if not 0 < value <= 1:
                raise ValueError(f"{key} {value!r}: a full-time equivalent is more than 0 and at most 1")
            return FULL_TIME_HOURS * float(value)
        if form in _SHARE_KEYS:
            # "allocation": 50 is 50 % of the week; 0.5 is half of it.
            share = float(value) * (100 if value <= 1 else 1)
            if not 0 < share <= MAX_REQUEST_SHARE:
                raise ValueError(
                    f"{key} {value!r}: a role takes more than 0% and at most 100% of a 40 h week"
                )
            return FULL_TIME_HOURS * share / 100
        return value
    if not isinstance(value, str):
        return value
    text = value.strip()
    if _FULL_TIME.match(text):
        return FULL_TIME_HOURS
    for pattern, scale in ((_HOURS_TEXT, 1.0), (_DAYS_TEXT, HOURS_PER_DAY)):
        match = pattern.match(text)
        if match:
            return float(match.group("n")) * scale
    written_share = _SHARE_TEXT.match(text)
    if written_share:
        percent = float(written_share.group("n"))
        if not 0 < percent <= MAX_REQUEST_SHARE:
            raise ValueError(f"{key} {value!r}: a role takes more than 0% and at most 100% of a 40 h week")
        return FULL_TIME_HOURS * percent / 100
    fte = _FTE_TEXT.match(text)
    if fte and 0 < float(fte.group("n")) <= 1:
        return FULL_TIME_HOURS * float(fte.group("n"))
    raise ValueError(
        f"{key} {value!r} is not an amount of time: give hours per week (20, '20 h/week'), "
        "a share ('50%', '0.5 FTE'), '3 days/week' or 'full time'"
    )


def read_share(value: Any) -> Any:
    """A margin written as a percentage ("30%", 30) as a fraction."""
    if isinstance(value, str):
        match = _PERCENT.match(value)
        if match:
            number = float(match.group(1))
            return number / 100 if "%" in value or number > 1 else number
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 1 < value <= 100:
        return value / 100
    return value


def _skill_list(value: Any, words: dict[str, int], *, required: bool) -> list[Any]:
    out = []
    for item in _items(value):
        skill = _skill_item(item, words, level_key="min_level")
        if isinstance(skill, dict):
            skill.setdefault("required", required)
            if not required:
                skill.setdefault("weight", 0.5)
        out.append(skill)
    return out


def request_record(
    record: dict[str, Any], level_words: dict[str, int], money: re.Pattern[str]
) -> dict[str, Any]:
    """One role request in the contract's shape (a request already in it is returned as given).

    Raises
    ------
    ValueError
        Naming the field as the request wrote it and what was expected.
    """
    out, written = _rename(record, REQUEST_FIELDS)

    def name(field: str) -> str:
        return written.get(field, field)

    requested = out.pop("requested_on", None)
    requested_day: dt.date | None = None
    if isinstance(requested, str) and requested.strip():
        try:
            requested_day = dt.date.fromisoformat(requested.strip()[:10])
        except ValueError:
            raise ValueError(
                f"{name('requested_on')} {requested!r} is not a date (give YYYY-MM-DD)"
            ) from None
    elif isinstance(requested, dt.date):
        requested_day = requested
    if "start_date" in out:
        out["start_date"] = read_date(out["start_date"], key=name("start_date"), requested=requested_day,
                                      as_end=False)  # fmt: skip
    if "end_date" in out:
        out["end_date"] = read_date(
            out["end_date"], key=name("end_date"), requested=requested_day, as_end=True
        )
    duration = out.pop("duration", None)
    if duration is not None and out.get("end_date") is None:
        start = out.get("start_date")
        if isinstance(start, dt.date):
            out["end_date"] = end_from_duration(start, duration, key=name("duration"))
    allocation = out.pop("allocation", None)
    if out.get("hours_per_week") is None and allocation is not None:
        out["hours_per_week"] = read_hours(allocation, key=name("allocation"))
    elif isinstance(out.get("hours_per_week"), str):
        out["hours_per_week"] = read_hours(out["hours_per_week"], key=name("hours_per_week"))
    day_rate = out.pop("day_rate", None)
    if out.get("bill_rate") is None and day_rate is not None:
        out["bill_rate"] = _per_hour(day_rate, key=name("day_rate"), money=money, per_day=True)
    elif out.get("bill_rate") is not None:
        out["bill_rate"] = _per_hour(out["bill_rate"], key=name("bill_rate"), money=money, per_day=False)
    if "min_margin" in out:
        out["min_margin"] = read_share(out["min_margin"])
    skills = list(_items(out.get("skills")))
    must, nice = out.pop("must_have", None), out.pop("nice_to_have", None)
    if must is not None or nice is not None:
        skills = (
            [_skill_item(s, level_words, level_key="min_level") for s in skills]
            + _skill_list(must, level_words, required=True)
            + _skill_list(nice, level_words, required=False)
        )
        out["skills"] = skills
    elif skills and any(isinstance(s, str) for s in skills):
        out["skills"] = [_skill_item(s, level_words, level_key="min_level") for s in skills]
    location = out.get("location")
    loose = {k: out.pop(k) for k in ("countries", "timezone", "max_timezone_offset_hours") if k in out}
    if isinstance(location, str):
        out["location"] = {"countries": location, **loose}
    elif isinstance(location, dict):
        out["location"] = {**loose, **location}
    elif loose:
        out["location"] = loose
    return {key: value for key, value in out.items() if value is not None}


_PER_DAY_TEXT = re.compile(r"(?i)\s*(?:/|per|a)\s*(?:d|day|days|diem)\s*$|\s+daily\s*$")


def _per_hour(value: Any, *, key: str, money: re.Pattern[str], per_day: bool) -> Any:
    """A rate per hour from a rate written per hour or per day ("$1,000/day", "€1,100")."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        return value / HOURS_PER_DAY if per_day else value
    if not isinstance(value, str):
        return value
    text = value.strip()
    daily = _PER_DAY_TEXT.search(text)
    if daily:
        text, per_day = text[: daily.start()], True
    match = money.match(text)
    if match is None:
        raise ValueError(
            f"{key} {value!r} is not a rate: give a number with an optional currency and unit, "
            "such as 120, 'EUR 120/hr' or '$1,000/day'"
        )
    if not per_day:
        return text
    amount = float(match.group("amount").replace(",", "")) / HOURS_PER_DAY
    currency = match.group("before") or match.group("after") or ""
    return f"{currency} {amount:.6g}".strip() if currency else amount


def team_records(data: dict[str, Any]) -> list[Any] | None:
    """The roles of a team request written with shared fields ({"team": ..., "start": ...,
    "roles": [...]}), each role with the team's fields it does not set itself; None if ``data``
    is not such a request."""
    for key in ("roles", "positions", "requests", "team_members", "members"):
        roles = data.get(key)
        if isinstance(roles, list):
            shared = {
                k: v
                for k, v in data.items()
                if k != key and key_form(k) not in ("team", "teamname", "teamid", "name")
            }
            common = _rename(shared, REQUEST_FIELDS)[0]
            return [
                {**common, **_rename(role, REQUEST_FIELDS)[0]} if isinstance(role, dict) else role
                for role in roles
            ]
    return None
