"""Countries and time-zone offsets, as the hard constraints and the time-zone factor need them.

A person's country is the part of ``location`` after the last comma ("Chicago,
US"), an ISO 3166 alpha-2 code; names ("Germany"), common alpha-3 codes
("DEU") and everyday forms ("UK", "USA") are accepted too. Offsets are
measured with ``zoneinfo`` on the request's own dates, so daylight saving is
counted as it will be; fixed offsets ("UTC+05:30", "GMT-5") are accepted.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from staffing_recs.taxonomy import normalise_skill_name as _key

# ISO alpha-2 -> names and other codes people write for it.
_COUNTRIES: dict[str, tuple[str, ...]] = {
    "US": ("United States", "United States of America", "USA", "U.S.", "U.S.A.", "America"),
    "CA": ("Canada", "CAN"),
    "MX": ("Mexico", "México", "MEX"),
    "BR": ("Brazil", "Brasil", "BRA"),
    "AR": ("Argentina", "ARG"),
    "CL": ("Chile", "CHL"),
    "CO": ("Colombia", "COL"),
    "PE": ("Peru", "PER"),
    "CR": ("Costa Rica", "CRI"),
    "UY": ("Uruguay", "URY"),
    "GB": (
        "United Kingdom",
        "UK",
        "U.K.",
        "Great Britain",
        "Britain",
        "England",
        "Scotland",
        "Wales",
        "Northern Ireland",
        "GBR",
    ),
    "IE": ("Ireland", "Éire", "IRL"),
    "FR": ("France", "FRA"),
    "DE": ("Germany", "Deutschland", "DEU"),
    "NL": ("Netherlands", "The Netherlands", "Holland", "NLD"),
    "BE": ("Belgium", "BEL"),
    "LU": ("Luxembourg", "LUX"),
    "CH": ("Switzerland", "CHE"),
    "AT": ("Austria", "AUT"),
    "ES": ("Spain", "España", "ESP"),
    "PT": ("Portugal", "PRT"),
    "IT": ("Italy", "Italia", "ITA"),
    "DK": ("Denmark", "DNK"),
    "SE": ("Sweden", "SWE"),
    "NO": ("Norway", "NOR"),
    "FI": ("Finland", "FIN"),
    "IS": ("Iceland", "ISL"),
    "PL": ("Poland", "Polska", "POL"),
    "CZ": ("Czech Republic", "Czechia", "CZE"),
    "SK": ("Slovakia", "SVK"),
    "HU": ("Hungary", "HUN"),
    "RO": ("Romania", "ROU"),
    "BG": ("Bulgaria", "BGR"),
    "GR": ("Greece", "GRC"),
    "HR": ("Croatia", "HRV"),
    "RS": ("Serbia", "SRB"),
    "SI": ("Slovenia", "SVN"),
    "EE": ("Estonia", "EST"),
    "LV": ("Latvia", "LVA"),
    "LT": ("Lithuania", "LTU"),
    "UA": ("Ukraine", "UKR"),
    "TR": ("Turkey", "Türkiye", "TUR"),
    "IL": ("Israel", "ISR"),
    "AE": ("United Arab Emirates", "UAE", "ARE"),
    "SA": ("Saudi Arabia", "SAU"),
    "QA": ("Qatar", "QAT"),
    "EG": ("Egypt", "EGY"),
    "MA": ("Morocco", "MAR"),
    "ZA": ("South Africa", "ZAF"),
    "NG": ("Nigeria", "NGA"),
    "KE": ("Kenya", "KEN"),
    "IN": ("India", "IND"),
    "PK": ("Pakistan", "PAK"),
    "LK": ("Sri Lanka", "LKA"),
    "BD": ("Bangladesh", "BGD"),
    "CN": ("China", "PRC", "CHN"),
    "HK": ("Hong Kong", "HKG"),
    "TW": ("Taiwan", "TWN"),
    "JP": ("Japan", "JPN"),
    "KR": ("South Korea", "Korea", "Republic of Korea", "KOR"),
    "SG": ("Singapore", "SGP"),
    "MY": ("Malaysia", "MYS"),
    "TH": ("Thailand", "THA"),
    "VN": ("Vietnam", "Viet Nam", "VNM"),
    "PH": ("Philippines", "PHL"),
    "ID": ("Indonesia", "IDN"),
    "AU": ("Australia", "AUS"),
    "NZ": ("New Zealand", "NZL"),
}
_BY_NAME: dict[str, str] = {}
for _code, _names in _COUNTRIES.items():
    _BY_NAME[_key(_code)] = _code
    for _name in _names:
        _BY_NAME.setdefault(_key(_name), _code)
# US states and Canadian provinces written where the country should be ("Austin, TX").
_US_STATES = set(
    [
        "AL",
        "AK",
        "AZ",
        "AR",
        "CA",
        "CO",
        "CT",
        "DE",
        "FL",
        "GA",
        "HI",
        "ID",
        "IL",
        "IN",
        "IA",
        "KS",
        "KY",
        "LA",
        "ME",
        "MD",
        "MA",
        "MI",
        "MN",
        "MS",
        "MO",
        "MT",
        "NE",
        "NV",
        "NH",
        "NJ",
        "NM",
        "NY",
        "NC",
        "ND",
        "OH",
        "OK",
        "OR",
        "PA",
        "RI",
        "SC",
        "SD",
        "TN",
        "TX",
        "UT",
        "VT",
        "VA",
        "WA",
        "WV",
        "WI",
        "WY",
        "DC",
    ]
)


_WORDS = re.compile(r"[^\W\d_]+(?:[ .][^\W\d_]+)*")

# Countries that keep one zone (mainland), for people who give a location but no zone.
_COUNTRY_ZONES: dict[str, str] = {
    "GB": "Europe/London", "IE": "Europe/Dublin", "FR": "Europe/Paris", "DE": "Europe/Berlin",
    "NL": "Europe/Amsterdam", "BE": "Europe/Brussels", "LU": "Europe/Luxembourg", "CH": "Europe/Zurich",
    "AT": "Europe/Vienna", "ES": "Europe/Madrid", "PT": "Europe/Lisbon", "IT": "Europe/Rome",
    "DK": "Europe/Copenhagen", "SE": "Europe/Stockholm", "NO": "Europe/Oslo", "FI": "Europe/Helsinki",
    "IS": "Atlantic/Reykjavik", "PL": "Europe/Warsaw", "CZ": "Europe/Prague", "SK": "Europe/Bratislava",
    "HU": "Europe/Budapest", "RO": "Europe/Bucharest", "BG": "Europe/Sofia", "GR": "Europe/Athens",
    "HR": "Europe/Zagreb", "RS": "Europe/Belgrade", "SI": "Europe/Ljubljana", "EE": "Europe/Tallinn",
    "LV": "Europe/Riga", "LT": "Europe/Vilnius", "UA": "Europe/Kyiv", "TR": "Europe/Istanbul",
    "IL": "Asia/Jerusalem", "AE": "Asia/Dubai", "SA": "Asia/Riyadh", "QA": "Asia/Qatar", "EG": "Africa/Cairo",
    "MA": "Africa/Casablanca", "ZA": "Africa/Johannesburg", "NG": "Africa/Lagos", "KE": "Africa/Nairobi",
    "IN": "Asia/Kolkata", "PK": "Asia/Karachi", "LK": "Asia/Colombo", "BD": "Asia/Dhaka",
    "CN": "Asia/Shanghai", "HK": "Asia/Hong_Kong", "TW": "Asia/Taipei", "JP": "Asia/Tokyo",
    "KR": "Asia/Seoul", "SG": "Asia/Singapore", "MY": "Asia/Kuala_Lumpur", "TH": "Asia/Bangkok",
    "VN": "Asia/Ho_Chi_Minh", "PH": "Asia/Manila", "NZ": "Pacific/Auckland", "CO": "America/Bogota",
    "PE": "America/Lima", "AR": "America/Argentina/Buenos_Aires", "CL": "America/Santiago",
    "CR": "America/Costa_Rica", "UY": "America/Montevideo",
}  # fmt: skip
# Large cities of countries with several zones (and a few everywhere), as (country, zone).
_CITIES: dict[str, tuple[str, str]] = {
    _key(city): (country, zone)
    for city, country, zone in (
        ("New York", "US", "America/New_York"), ("NYC", "US", "America/New_York"),
        ("Boston", "US", "America/New_York"), ("Washington", "US", "America/New_York"),
        ("Atlanta", "US", "America/New_York"), ("Miami", "US", "America/New_York"),
        ("Philadelphia", "US", "America/New_York"), ("Charlotte", "US", "America/New_York"),
        ("Chicago", "US", "America/Chicago"), ("Dallas", "US", "America/Chicago"),
        ("Houston", "US", "America/Chicago"), ("Austin", "US", "America/Chicago"),
        ("Minneapolis", "US", "America/Chicago"), ("Denver", "US", "America/Denver"),
        ("Phoenix", "US", "America/Phoenix"), ("Seattle", "US", "America/Los_Angeles"),
        ("San Francisco", "US", "America/Los_Angeles"), ("Los Angeles", "US", "America/Los_Angeles"),
        ("San Diego", "US", "America/Los_Angeles"), ("Portland", "US", "America/Los_Angeles"),
        ("Toronto", "CA", "America/Toronto"), ("Montreal", "CA", "America/Toronto"),
        ("Ottawa", "CA", "America/Toronto"), ("Calgary", "CA", "America/Edmonton"),
        ("Vancouver", "CA", "America/Vancouver"), ("Mexico City", "MX", "America/Mexico_City"),
        ("Monterrey", "MX", "America/Monterrey"), ("Sao Paulo", "BR", "America/Sao_Paulo"),
        ("Rio de Janeiro", "BR", "America/Sao_Paulo"), ("Sydney", "AU", "Australia/Sydney"),
        ("Melbourne", "AU", "Australia/Melbourne"), ("Brisbane", "AU", "Australia/Brisbane"),
        ("Perth", "AU", "Australia/Perth"), ("London", "GB", "Europe/London"),
        ("Dublin", "IE", "Europe/Dublin"), ("Paris", "FR", "Europe/Paris"), ("Berlin", "DE", "Europe/Berlin"),
        ("Munich", "DE", "Europe/Berlin"), ("Amsterdam", "NL", "Europe/Amsterdam"),
        ("Madrid", "ES", "Europe/Madrid"), ("Barcelona", "ES", "Europe/Madrid"),
        ("Bangalore", "IN", "Asia/Kolkata"), ("Bengaluru", "IN", "Asia/Kolkata"),
        ("Mumbai", "IN", "Asia/Kolkata"), ("Pune", "IN", "Asia/Kolkata"), ("Hyderabad", "IN", "Asia/Kolkata"),
        ("Manila", "PH", "Asia/Manila"), ("Singapore", "SG", "Asia/Singapore"), ("Tokyo", "JP", "Asia/Tokyo"),
    )
}  # fmt: skip


def country_code(text: str | None) -> str | None:
    """An ISO alpha-2 code for a country written as a code or a name; None if not recognised."""
    if not text:
        return None
    stripped = text.strip()
    known = _BY_NAME.get(_key(stripped))
    if known is None and len(stripped) == 2 and stripped.isalpha():
        return stripped.upper()
    return known


def country_of_location(location: str | None) -> str | None:
    """The country of a ``"City, CC"`` location (the part after the last comma).

    A location without a comma is read as a country on its own ("Germany") or a
    known city ("New York"); "Remote - US" finds the country word. A trailing US
    state code means the US when a city precedes it and the code is no
    country's ISO code ("Austin, TX"; "Toronto, CA" is Canada), or when the city
    is a known US one ("Denver, CO").
    """
    if not location or not location.strip():
        return None
    parts = [p.strip() for p in location.split(",") if p.strip()]
    if not parts:
        return None
    last = parts[-1]
    # The contract's form is an ISO code, so a code that is also a US state ("CA", "IN",
    # "CO") is the country; only a state code that is no country code means the US.
    if len(last) == 2 and last.upper() in _US_STATES and len(parts) > 1:
        city = _CITIES.get(_key(parts[0]))
        # "Denver, CO" is Colorado: a known US city settles a code that is both.
        if last.upper() not in _COUNTRIES or (city is not None and city[0] == "US"):
            return "US"
    code = country_code(last)
    if code is not None:
        return code
    # "Remote - US", "Remote (UK)": a known country word at the end; else a known city.
    for word in reversed(_WORDS.findall(last)):
        known = _BY_NAME.get(_key(word))
        if known is not None:
            return known
    city = _CITIES.get(_key(parts[0]))
    return city[0] if city else None


def zone_of_location(location: str | None) -> str | None:
    """A time zone for a location when the person gives none: the city's, or the country's
    when the whole country keeps one zone (not the US, Canada, Brazil, Australia...)."""
    if not location or not location.strip():
        return None
    city = _CITIES.get(_key(location.split(",")[0]))
    if city is not None:
        return city[1]
    country = country_of_location(location)
    return _COUNTRY_ZONES.get(country) if country else None


def country_codes(values: Iterable[str]) -> tuple[set[str], list[str]]:
    """Codes for the countries a request allows, and the entries not understood."""
    codes: set[str] = set()
    unknown: list[str] = []
    for value in values:
        code = country_code(value)
        if code is None:
            unknown.append(value)
        else:
            codes.add(code)
    return codes, unknown


# Abbreviations people write for a zone; each maps to a zone that follows its daylight saving.
ZONE_ABBREVIATIONS: dict[str, str] = {
    "EST": "America/New_York", "EDT": "America/New_York", "ET": "America/New_York",
    "CST": "America/Chicago", "CDT": "America/Chicago", "CT": "America/Chicago",
    "MST": "America/Denver", "MDT": "America/Denver", "MT": "America/Denver",
    "PST": "America/Los_Angeles", "PDT": "America/Los_Angeles", "PT": "America/Los_Angeles",
    "BST": "Europe/London", "WET": "Europe/Lisbon", "CET": "Europe/Paris", "CEST": "Europe/Paris",
    "EET": "Europe/Athens", "IST": "Asia/Kolkata", "SGT": "Asia/Singapore", "JST": "Asia/Tokyo",
    "AEST": "Australia/Sydney", "AEDT": "Australia/Sydney", "NZST": "Pacific/Auckland",
}  # fmt: skip

_FIXED_OFFSET = re.compile(r"^(?:utc|gmt)?\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?$", re.IGNORECASE)


@functools.lru_cache(maxsize=1024)
def _zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError, TypeError):
        return None


@functools.lru_cache(maxsize=4096)
def utc_offset_hours(zone: str | None, on: dt.date) -> float | None:
    """The zone's UTC offset in hours at noon on ``on``; None when the zone is unknown."""
    if not zone or not zone.strip():
        return None
    name = zone.strip()
    if name.upper() in ("UTC", "GMT", "Z"):
        return 0.0
    match = _FIXED_OFFSET.match(name)
    if match:
        sign = -1.0 if match.group(1) == "-" else 1.0
        hours = int(match.group(2)) + int(match.group(3) or 0) / 60
        # Real offsets run from -12 to +14 hours; anything else is not a zone.
        return sign * hours if hours <= 14 else None
    info = _zone(ZONE_ABBREVIATIONS.get(name.upper(), name))
    if info is None:
        return None
    offset = dt.datetime(on.year, on.month, on.day, 12, tzinfo=info).utcoffset()
    return None if offset is None else offset.total_seconds() / 3600


@functools.lru_cache(maxsize=16384)
def max_offset_hours(zone: str | None, reference: str | None, start: dt.date, end: dt.date) -> float | None:
    """The largest distance in hours between two zones over a period (start, middle, end and the
    first of each month are checked, so a daylight-saving change inside the period counts)."""
    days = {start, end, start + (end - start) / 2}
    cursor = dt.date(start.year, start.month, 1)
    while cursor <= end:
        if cursor >= start:
            days.add(cursor)
        if cursor.year == dt.MAXYEAR and cursor.month == 12:
            break
        cursor = dt.date(cursor.year + cursor.month // 12, cursor.month % 12 + 1, 1)
    worst: float | None = None
    for day in days:
        a, b = utc_offset_hours(zone, day), utc_offset_hours(reference, day)
        if a is None or b is None:
            return None
        worst = abs(a - b) if worst is None else max(worst, abs(a - b))
    return worst
