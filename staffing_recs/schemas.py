"""Inputs and outputs of the staffing recommender (``contracts/staffing.md``).

Inputs ignore fields they do not know, so a firm's richer export still loads,
and read ``null`` as "not given" (the field's default). Values are read the way
other firms write them: skill levels as words or "4 - Advanced", "L4", "4/5";
skills as one "SFDC; Apex" string; currencies as symbols ("£") or names; a
person's ``level`` in another firm's ladder ("P3", "Senior Manager") is kept
only as its number, if it has one (ranking does not use it). Every constraint
the recommender relies on (dates in order, levels 1–5, non-negative rates and
hours, a request's time zone and countries understood) is validated here,
once, with an error naming the entry and field.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections import Counter
from collections.abc import Iterable
from typing import Any, Literal, get_args

from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticUseDefault

from staffing_recs.errors import DuplicatePersonError, InvalidPeopleError, InvalidRequestError
from staffing_recs.exports import (
    CEFR_LEVELS,
    OPEN_END,
    OPEN_START,
    TableError,
    directory_records,
    is_inactive_status,
    key_form,
    person_record,
    request_record,
    seniority_of,
    team_records,
)
from staffing_recs.geography import canonical_zone, country_codes

FactorName = Literal["skills", "availability", "margin", "utilization", "continuity", "timezone"]
# A role longer than this is a data error, and capacity is computed day by day over it.
MAX_PERIOD_DAYS = 5 * 366
FACTORS: tuple[FactorName, ...] = (
    "skills",
    "availability",
    "margin",
    "utilization",
    "continuity",
    "timezone",
)


class _Input(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)


class _LenientInput(_Input):
    """An input whose nulls mean "not given" (skills, the most numerous, handle theirs
    in their own validators: a validator per object costs on a 10,000-person directory)."""

    @model_validator(mode="before")
    @classmethod
    def _null_is_not_given(cls, data: Any) -> Any:
        # Exports write null for what they do not know: a field that cannot hold None
        # then takes its default (and a required one says it is missing).
        if isinstance(data, dict) and None in data.values():
            drop = _null_dropped(cls)
            return {key: value for key, value in data.items() if value is not None or key not in drop}
        return data


@functools.cache
def _null_dropped(model: type[BaseModel]) -> frozenset[str]:
    """The input keys (names and aliases) of ``model``'s fields that cannot hold None."""
    keys: set[str] = set()
    for name, info in model.model_fields.items():
        if info.default is None or type(None) in get_args(info.annotation):
            continue
        keys.add(name)
        if isinstance(info.validation_alias, AliasChoices):
            keys.update(alias for alias in info.validation_alias.choices if isinstance(alias, str))
    return frozenset(keys)


class _Output(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _check_period(start: dt.date, end: dt.date, what: str) -> None:
    if end < start:
        raise ValueError(f"{what}: end_date {end.isoformat()} is before start_date {start.isoformat()}")


# Words some directories use instead of the 1-5 scale.
LEVEL_WORDS: dict[str, int] = {
    "aware": 1, "awareness": 1, "novice": 1, "beginner": 2, "basic": 2, "junior": 2, "working": 3,
    "intermediate": 3, "practitioner": 3, "proficient": 3, "competent": 3, "advanced": 4, "senior": 4,
    "strong": 4, "expert": 5, "master": 5, "lead": 5,
}  # fmt: skip


_LETTER_AND_DIGIT = re.compile(r"^[a-z]\d\+?$")
# Level words seen in language and seniority columns.
_MORE_LEVEL_WORDS = {"native": 5, "mother tongue": 5, "bilingual": 5, "fluent": 4, "mid": 3, "principal": 5}
_NOT_GIVEN = frozenset(["", "-", "--", "?", "n/a", "na", "none", "unknown", "not rated", "tbd"])
_LEVEL_NUMBER = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*(?:/|of|out of)?\s*(\d+)?", re.IGNORECASE)


def _level_from_word(value: Any) -> Any:
    """A 1-5 level from how directories write it: 4, 4.0, "4", "L4", "Level 4", "4 - Advanced",
    "4/5", "8/10" (rescaled), "Advanced"; a fraction is rounded down (3.5 is 3). Anything else
    is returned unchanged, for validation to reject with the field named."""
    if isinstance(value, float) and math.isfinite(value) and value >= 1:
        return int(value)
    if value is None:
        raise PydanticUseDefault()
    if not isinstance(value, str):
        return value
    text = value.strip().casefold()
    if text in _NOT_GIVEN:
        raise PydanticUseDefault()
    if text in LEVEL_WORDS:
        return LEVEL_WORDS[text]
    if _LETTER_AND_DIGIT.match(text) and not text.startswith("l"):
        # A CEFR language level ("B2", "C1+"); a code that is none ("C3") is an error, not a 3.
        return CEFR_LEVELS.get(text.rstrip("+"), value)
    if text in _MORE_LEVEL_WORDS:
        return _MORE_LEVEL_WORDS[text]
    match = _LEVEL_NUMBER.search(text)
    if match:
        number = float(match.group(1))
        scale = int(match.group(2)) if match.group(2) else 5
        if scale in (5, 10, 100) and 0 < number <= scale:
            return max(1, int(number * 5 / scale)) if scale != 5 else int(number)
        return value
    for word in re.findall(r"[a-z]+", text):
        if word in LEVEL_WORDS:
            return LEVEL_WORDS[word]
    return value


@functools.lru_cache(maxsize=4096)
def _cached_title_seniority(title: str) -> int | None:
    return seniority_of(title)


def _title_seniority(title: Any) -> int | None:
    return _cached_title_seniority(title) if isinstance(title, str) and title else None


def _ladder_level(value: Any) -> Any:
    """A person's seniority in the firm's own ladder: its number ("P3" is 3), else None."""
    if isinstance(value, bool) or value is None or isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if math.isfinite(value) else None
    digits = re.search(r"\d+", str(value))
    return int(digits.group()) if digits else None


# Symbols and names written for a currency; "$" alone is left as written (it is several).
_CURRENCY_WORDS: dict[str, str] = {
    "US$": "USD", "USD$": "USD", "U.S.$": "USD", "US DOLLAR": "USD", "US DOLLARS": "USD",
    "£": "GBP", "GBP£": "GBP", "STERLING": "GBP", "POUND": "GBP", "POUNDS": "GBP", "POUNDS STERLING": "GBP",
    "€": "EUR", "EURO": "EUR", "EUROS": "EUR",
    "₹": "INR", "RS": "INR", "RS.": "INR", "RUPEE": "INR", "RUPEES": "INR", "INDIAN RUPEES": "INR",
    "C$": "CAD", "CA$": "CAD", "CAN$": "CAD", "CANADIAN DOLLAR": "CAD", "CANADIAN DOLLARS": "CAD",
    "A$": "AUD", "AU$": "AUD", "AUSTRALIAN DOLLAR": "AUD", "AUSTRALIAN DOLLARS": "AUD",
    "NZ$": "NZD", "S$": "SGD", "HK$": "HKD", "R$": "BRL", "MX$": "MXN",
    "¥": "JPY", "JP¥": "JPY", "YEN": "JPY", "CN¥": "CNY", "RMB": "CNY", "YUAN": "CNY",
    "ZŁ": "PLN", "ZLOTY": "PLN", "SWISS FRANC": "CHF", "SWISS FRANCS": "CHF", "₱": "PHP",
}  # fmt: skip


def normalise_currency(value: Any) -> Any:
    """An ISO 4217 code for how a currency is written ("usd", "£", "Euro", "US$"); unknown
    text is kept as written, upper-cased, so it never equals a different currency."""
    if not isinstance(value, str):
        return value
    text = " ".join(value.split()).upper()
    return _CURRENCY_WORDS.get(text, text)


_MONEY = re.compile(
    r"^(?P<before>[^\d\s.,+-]{1,4}\.?)?\s*(?P<amount>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*"
    r"(?P<after>[^\d\s/.,]{1,4}\.?)?\s*(?:(?:/|per)\s*(?:h|hr|hour|hrs|hours))?$",
    re.IGNORECASE,
)
# A full-time week, for directories that give a person's FTE share instead of hours.
FULL_TIME_HOURS = 40.0


def _rate_and_currency(data: dict[str, Any], rate_key: str, what: str) -> dict[str, Any]:
    """A rate written with its currency ("95 USD", "£70/hr", "1,200.50") as a number, the
    currency taken from it when none is given; a currency contradicting it is an error."""
    value = data.get(rate_key)
    if not isinstance(value, str):
        return data
    match = _MONEY.match(value.strip())
    if match is None:
        return data
    data = {**data, rate_key: float(match.group("amount").replace(",", ""))}
    written = match.group("before") or match.group("after")
    if written:
        code = normalise_currency(written)
        given = normalise_currency(data.get("currency")) if data.get("currency") else None
        if given is None:
            data["currency"] = code
        elif given != code:
            raise ValueError(f"{what} {value!r} is in {code} but currency is {given}")
    return data


_LIST_SEPARATORS = re.compile(r"\s*[;,|\n]\s*")


def _split_text_list(value: Any) -> Any:
    """A list field written as one string ("PMP; CSM") is the list of its parts."""
    if isinstance(value, str):
        return [part for part in _LIST_SEPARATORS.split(value.strip()) if part]
    return value


def _named_items(value: Any, level_key: str) -> Any:
    """Accept ``["Salesforce", ...]``, ``{"Salesforce": 4}`` and ``"SFDC; Apex"`` as well as the
    contract's objects."""
    value = _split_text_list(value)
    if isinstance(value, dict):
        return [{"name": name, level_key: level} for name, level in value.items()]
    if isinstance(value, list):
        return [{"name": item} if isinstance(item, str) else item for item in value]
    return value


class Skill(_Input):
    name: str = Field(min_length=1, validation_alias=AliasChoices("name", "skill", "skill_name"))
    level: int = Field(
        default=3,
        ge=1,
        le=5,
        description="1 (aware) to 5 (expert)",
        validation_alias=AliasChoices("level", "proficiency", "rating", "skill_level"),
    )

    @field_validator("level", mode="before")
    @classmethod
    def _level_words(cls, value: Any) -> Any:
        return _level_from_word(value)


# An allocation with no end date runs past any request (OPEN_END); one with no start date
# already runs (OPEN_START): both defined with the readers of exports.


class Allocation(_LenientInput):
    project_id: str = ""
    start_date: dt.date = Field(default=OPEN_START, description="not given: already running")
    end_date: dt.date = Field(default=OPEN_END, description="not given: open-ended")
    hours_per_week: float = Field(
        ge=0, description="a booking by percentage or FTE share is turned into hours by the person"
    )

    @model_validator(mode="after")
    def _dates_in_order(self) -> Allocation:
        _check_period(self.start_date, self.end_date, f"allocation {self.project_id or '(no project)'}")
        return self


class TimeOff(_LenientInput):
    start_date: dt.date
    end_date: dt.date = Field(description="not given: the start day only")

    @model_validator(mode="before")
    @classmethod
    def _one_day(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("end_date") is None and data.get("start_date") is not None:
            return {**data, "end_date": data["start_date"]}
        return data

    @model_validator(mode="after")
    def _dates_in_order(self) -> TimeOff:
        _check_period(self.start_date, self.end_date, "time_off")
        return self


# Keys exports use for a booking's share of the person's week, as a percentage (or "fte", a fraction).
_PERCENT_KEYS = ("percent", "allocation_percent", "allocation_pct", "percentage")
_HOURS_KEYS = ("hours_per_week", "weekly_hours", "contracted_hours", "standard_hours")


def _person_hours(data: dict[str, Any]) -> float:
    for key in _HOURS_KEYS:
        value = data.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
            return float(value)
    fte = data.get("fte")
    if isinstance(fte, int | float) and not isinstance(fte, bool) and 0 < fte <= 1:
        return round(FULL_TIME_HOURS * float(fte), 2)
    return FULL_TIME_HOURS


def _bookings_in_hours(data: dict[str, Any]) -> dict[str, Any]:
    """Bookings given as a percentage or FTE share of the person's week, in hours."""
    allocations = data.get("allocations")
    if not isinstance(allocations, list):
        return data
    hours = _person_hours(data)
    converted = []
    for item in allocations:
        if isinstance(item, dict) and item.get("hours_per_week") is None:
            share = next((item[k] for k in _PERCENT_KEYS if isinstance(item.get(k), int | float)), None)
            if share is None and isinstance(item.get("fte"), int | float):
                share = float(item["fte"]) * 100
            if share is not None and 0 <= share <= 300:  # over-booked people exist (125 %)
                item = {**item, "hours_per_week": round(float(share) / 100 * hours, 2)}
        converted.append(item)
    return {**data, "allocations": converted}


class Person(_LenientInput):
    person_id: str = Field(
        min_length=1,
        validation_alias=AliasChoices("person_id", "employee_id", "employee_number", "worker_id", "id"),
    )
    name: str = ""
    title: str = ""
    level: int | None = Field(default=None, description="seniority in the firm's own ladder; not ranked on")
    location: str = ""
    timezone: str | None = None
    cost_rate: float | None = Field(default=None, ge=0, description="None: unknown, margin not computed")
    currency: str | None = Field(
        default=None, description="of cost_rate; None: not given, taken as the bill rate's currency"
    )
    target_utilization: float = Field(default=0.8, ge=0, le=1)
    skills: list[Skill] = Field(default_factory=list)
    certifications: list[str] = Field(default_factory=list)
    clearances: list[str] = Field(default_factory=list)
    allocations: list[Allocation] = Field(default_factory=list)
    time_off: list[TimeOff] = Field(default_factory=list)
    client_history: list[str] = Field(default_factory=list)
    hours_per_week: float = Field(
        default=FULL_TIME_HOURS,
        gt=0,
        le=168,
        validation_alias=AliasChoices("hours_per_week", "weekly_hours", "contracted_hours", "standard_hours"),
    )
    profile: str | None = Field(default=None, description="free-text profile; skills are read out of it")
    status: str | None = Field(
        default=None, description="the HR status as written; 'Terminated' is not staffed"
    )
    employment_type: str | None = Field(default=None, description="as written: employee, contractor...")
    seniority: int | None = Field(
        default=None,
        ge=0,
        le=5,
        description="0 intern .. 5 principal, read from the level's or title's words",
    )

    @property
    def inactive(self) -> bool:
        """Whether the HR status says the person no longer works here."""
        return is_inactive_status(self.status)

    @model_validator(mode="before")
    @classmethod
    def _rates_and_fte(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        data = person_record(data, LEVEL_WORDS, _MONEY)
        if data.get("seniority") is None:
            rung = seniority_of(data.get("level")) if isinstance(data.get("level"), str) else None
            rung = rung if rung is not None else _title_seniority(data.get("title"))
            if rung is not None:
                data = {**data, "seniority": rung}
        elif isinstance(data.get("seniority"), str):
            data = {**data, "seniority": seniority_of(data["seniority"])}
        data = _rate_and_currency(data, "cost_rate", "cost_rate")
        if all(data.get(k) is None for k in _HOURS_KEYS) and data.get("fte") is not None:
            # "fte": 0.6 is a part-timer: 24 h of a 40 h week.
            data = {**data, "hours_per_week": _person_hours(data)}
        data = _bookings_in_hours(data)
        return data

    @field_validator("person_id", mode="before")
    @classmethod
    def _id_as_text(cls, value: Any) -> Any:
        # Firms export numeric employee numbers; they are ids, not numbers.
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @field_validator("level", mode="before")
    @classmethod
    def _ladder(cls, value: Any) -> Any:
        return _ladder_level(value)

    @field_validator("currency", mode="before")
    @classmethod
    def _currency_code(cls, value: Any) -> Any:
        value = normalise_currency(value)
        return None if value == "" else value

    @field_validator("skills", mode="before")
    @classmethod
    def _skill_shorthands(cls, value: Any) -> Any:
        return _named_items(value, "level")

    @field_validator("certifications", "clearances", "client_history", mode="before")
    @classmethod
    def _text_lists(cls, value: Any) -> Any:
        return _split_text_list(value)

    @field_validator("target_utilization", mode="before")
    @classmethod
    def _percent_as_fraction(cls, value: Any) -> Any:
        # "80" means 80 % in many HR exports; a fraction above 1 is never meant.
        if isinstance(value, int | float) and not isinstance(value, bool) and 1 < value <= 100:
            return value / 100
        return value


class SkillRequirement(_Input):
    name: str = Field(min_length=1, validation_alias=AliasChoices("name", "skill", "skill_name"))
    min_level: int = Field(default=1, ge=1, le=5, validation_alias=AliasChoices("min_level", "level"))
    weight: float = Field(default=1.0, ge=0)
    required: bool = True

    @field_validator("weight", "required", mode="before")
    @classmethod
    def _null_default(cls, value: Any) -> Any:
        if value is None:
            raise PydanticUseDefault()
        return value

    @field_validator("min_level", mode="before")
    @classmethod
    def _level_words(cls, value: Any) -> Any:
        return _level_from_word(value)

    @field_validator("required", mode="before")
    @classmethod
    def _required_words(cls, value: Any) -> Any:
        # Forms write "Yes"/"Must have"/"Nice to have" for the flag.
        if isinstance(value, str):
            word = key_form(value)
            if word in ("yes", "y", "true", "must", "musthave", "required", "mandatory", "essential"):
                return True
            if word in ("no", "n", "false", "nice", "nicetohave", "optional", "preferred", "desirable"):
                return False
        return value


class LocationConstraint(_LenientInput):
    countries: list[str] = Field(default_factory=list, description="ISO codes or names; empty: anywhere")
    timezone: str | None = Field(default=None, description="the zone offsets are measured from")
    max_timezone_offset_hours: float | None = Field(default=None, ge=0)

    @field_validator("countries", mode="before")
    @classmethod
    def _one_country(cls, value: Any) -> Any:
        return _split_text_list(value)

    @field_validator("countries")
    @classmethod
    def _countries_understood(cls, value: list[str]) -> list[str]:
        # One country not understood is noted; none understood would silently allow anywhere.
        codes, unknown = country_codes(value)
        if value and not codes:
            raise ValueError(
                f"none of the countries {', '.join(map(repr, unknown))} is understood "
                "(give ISO codes such as 'US', 'GB', 'IN', or country names)"
            )
        return value

    @field_validator("timezone")
    @classmethod
    def _zone_understood(cls, value: str | None) -> str | None:
        if value is not None and value.strip() and canonical_zone(value) is None:
            raise ValueError(
                f"time zone {value!r} is not understood (give an IANA name such as "
                "'America/New_York', an abbreviation such as 'EST', or an offset such as 'UTC+05:30')"
            )
        return value or None


class RoleRequest(_LenientInput):
    request_id: str = Field(min_length=1)
    project_id: str = ""
    client_id: str = ""
    role: str = ""
    start_date: dt.date
    end_date: dt.date
    hours_per_week: float = Field(gt=0, le=168)
    skills: list[SkillRequirement] = Field(default_factory=list)
    description: str | None = Field(default=None, description="free text; skills are read out of it")
    bill_rate: float | None = Field(default=None, ge=0)
    currency: str = "USD"
    min_margin: float | None = Field(default=None, ge=-1, lt=1)
    location: LocationConstraint | None = None
    clearance: str | None = None
    seniority: int | None = Field(
        default=None,
        ge=0,
        le=5,
        description="the seniority asked for (0 intern .. 5 principal); a ranking signal",
    )

    @field_validator("seniority", mode="before")
    @classmethod
    def _seniority_words(cls, value: Any) -> Any:
        return seniority_of(value, lowest=True) if isinstance(value, str) else value

    @model_validator(mode="after")
    def _seniority_from_role(self) -> RoleRequest:
        if self.seniority is None and self.role:
            self.seniority = seniority_of(self.role, lowest=True)
        return self

    @field_validator("currency", mode="before")
    @classmethod
    def _currency_code(cls, value: Any) -> Any:
        return normalise_currency(value)

    @model_validator(mode="before")
    @classmethod
    def _bill_rate_with_currency(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        # A delivery manager's request ("start": "ASAP", "budget": "$1,000/day", "must_have": [...]).
        data = request_record(data, LEVEL_WORDS, _MONEY)
        return _rate_and_currency(data, "bill_rate", "bill_rate")

    @field_validator("skills", mode="before")
    @classmethod
    def _skill_shorthands(cls, value: Any) -> Any:
        return _named_items(value, "min_level")

    @model_validator(mode="after")
    def _dates_in_order(self) -> RoleRequest:
        _check_period(self.start_date, self.end_date, f"request {self.request_id}")
        if (self.end_date - self.start_date).days > MAX_PERIOD_DAYS:
            raise ValueError(f"request {self.request_id}: the period is longer than 5 years")
        return self


class ScoreBreakdown(_Output):
    """Each soft factor in [0, 1]; higher is better."""

    skills: float
    availability: float
    margin: float
    utilization: float
    continuity: float
    timezone: float


class Candidate(_Output):
    person_id: str
    rank: int
    score: float = Field(description="weighted mean of the breakdown, in [0, 1]; higher is better")
    breakdown: ScoreBreakdown
    margin: float | None = Field(description="(bill - cost) / bill at the offered rate; None if unknown")
    available_hours_per_week: float = Field(description="the least free hours in any week of the period")
    explanation: str


class Exclusion(_Output):
    person_id: str
    reasons: list[str]


class NearMiss(_Output):
    person_id: str
    changes: list[str] = Field(description="what would make this person eligible")


class StaffingFlag(_Output):
    rule: str
    route: str = "delivery"
    severity: Literal["low", "medium", "high"]
    message: str
    request_id: str | None = None
    details: dict[str, Any] = Field(default_factory=dict)


class Recommendation(_Output):
    request_id: str
    model_version: str
    candidates: list[Candidate]
    excluded: list[Exclusion]
    flags: list[StaffingFlag]
    unknown_skills: list[str] = Field(default_factory=list, description="names the taxonomy does not know")
    notes: list[str] = Field(default_factory=list)


class Assignment(_Output):
    request_id: str
    person_id: str
    score: float


class Unfilled(_Output):
    request_id: str
    reasons: list[str]


class Fallback(_Output):
    request_id: str
    person_ids: list[str] = Field(description="next best eligible people for this role, best first")


class TeamAssignment(_Output):
    model_version: str
    assignments: list[Assignment]
    unfilled: list[Unfilled]
    total_score: float
    flags: list[StaffingFlag]
    fallbacks: list[Fallback] = Field(default_factory=list)
    unknown_skills: list[str] = Field(default_factory=list)


def _first_error(error: ValidationError) -> str:
    first = error.errors()[0]
    more = f" (and {error.error_count() - 1} more)" if error.error_count() > 1 else ""
    message = str(first["msg"])
    if not first["loc"] and message.startswith("Value error, "):
        # The readers of exports name the field as the input wrote it.
        return message.removeprefix("Value error, ") + more
    where = ".".join(str(p) for p in first["loc"]) or "(root)"
    shown = first.get("input")
    got = ""
    if first["type"] == "missing":
        hint = _MISSING_HINTS.get(str(first["loc"][-1])) if first["loc"] else None
        got = f" (give {hint})" if hint else ""
    elif isinstance(shown, str | int | float) and len(str(shown)) <= 60:
        got = f" (got {shown!r})"
    return f"{where}: {message.removeprefix('Value error, ')}{got}{more}"


# What to give for a required field that is missing, with the names exports use for it.
_MISSING_HINTS = {
    "person_id": "person_id, or employee_id, worker_id, resource_id, id",
    "request_id": "request_id, or id, ref",
    "name": "the skill's name, or skill, language",
    "start_date": "start_date or start: YYYY-MM-DD, 'ASAP' with requested_on, 'early Q3', 'May 2026'",
    "end_date": "end_date or end, or a duration such as '3 months'",
    "hours_per_week": "hours_per_week, or allocation: '50%', 'full time', '20 h/week'",
}


PEOPLE_KEYS = ("people", "employees", "consultants", "resources", "staff", "data", "items", "records")


def parse_people(data: Any) -> list[Person]:
    """Validate a people directory: a JSON list of people, or ``{"people": [...]}``.

    Parameters
    ----------
    data : list or dict
        Decoded JSON.

    Returns
    -------
    list of Person

    Raises
    ------
    InvalidPeopleError
        When the shape is wrong, naming the entry and field at fault.
    DuplicatePersonError
        When two entries share a ``person_id``.
    """
    # {"people": [...]}, another export's wrapper ({"employees": [...]}, {"workers": [...]}), or a
    # table ({"columns": [...], "data": [[...], ...]}).
    try:
        data = directory_records(data, PEOPLE_KEYS)
    except TableError as error:
        raise InvalidPeopleError(f"people table: {error}") from None
    if not isinstance(data, list):
        raise InvalidPeopleError(
            'people must be a JSON list of people, a wrapper holding one list of them ({"people": [...]}) '
            f'or a table ({{"columns": [...], "data": [[...], ...]}}), got {type(data).__name__}'
            + (f" with keys {', '.join(sorted(map(str, data))[:5])}" if isinstance(data, dict) else "")
        )
    people: list[Person] = []
    for position, entry in enumerate(data):
        if isinstance(entry, Person):
            people.append(entry)
            continue
        if not isinstance(entry, dict):
            raise InvalidPeopleError(f"people[{position}] must be an object, got {type(entry).__name__}")
        try:
            people.append(Person.model_validate(entry))
        except ValidationError as error:
            raise InvalidPeopleError(
                f"people[{position}] ({_record_id(entry)}): {_first_error(error)}"
            ) from None
    check_unique_people(people)
    return people


def _record_id(entry: dict[str, Any]) -> str:
    """The person id of a record as an export writes it ("Worker_ID", "Resource ID"), for errors."""
    for key, value in entry.items():
        if isinstance(key, str) and key_form(key) in _ID_KEYS and value not in (None, ""):
            return str(value)
    return "?"


_ID_KEYS = frozenset(
    key_form(k)
    for k in ("person_id", "employee_id", "employee_number", "worker_id", "resource_id", "staff_id", "id")
)


def check_unique_people(people: Iterable[Person]) -> None:
    """Raise ``DuplicatePersonError`` when two people share an id."""
    counts = Counter(p.person_id for p in people)
    duplicates = sorted(pid for pid, n in counts.items() if n > 1)
    if duplicates:
        raise DuplicatePersonError(duplicates)


def parse_request(data: Any) -> RoleRequest:
    """Validate one role request, raising ``InvalidRequestError`` with the field at fault."""
    if isinstance(data, RoleRequest):
        return data
    if not isinstance(data, dict):
        raise InvalidRequestError(f"a role request must be a JSON object, got {type(data).__name__}")
    try:
        return RoleRequest.model_validate(data)
    except ValidationError as error:
        raise InvalidRequestError(f"request {data.get('request_id', '?')}: {_first_error(error)}") from None


def parse_requests(data: Any) -> list[RoleRequest]:
    """Validate a team request file: a JSON list of role requests (or ``{"requests": [...]}``)."""
    if isinstance(data, dict):
        # {"requests": [...]}, or a team written once with its roles: {"start": ..., "roles": [...]}.
        roles = team_records(data)
        if roles is not None:
            data = roles
    if not isinstance(data, list):
        raise InvalidRequestError(f"requests must be a JSON list of role requests, got {type(data).__name__}")
    requests = [parse_request(item) for item in data]
    counts = Counter(r.request_id for r in requests)
    duplicates = sorted(rid for rid, n in counts.items() if n > 1)
    if duplicates:
        raise InvalidRequestError(f"duplicate request_id in requests: {', '.join(duplicates)}")
    return requests
