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

# Canadian provinces and Australian states by code, where no country has that code
# (SK, NL and PE are Slovakia, the Netherlands and Peru, so they are not read as provinces).
_REGION_CODES: dict[str, str] = {
    **{code: "CA" for code in ("ON", "QC", "BC", "AB", "MB", "NS", "NB", "NT", "NU", "YT")},
    **{code: "AU" for code in ("NSW", "VIC", "QLD", "TAS", "ACT")},
}
# States, provinces and regions written in full where the country should be ("Pune, Maharashtra").
_REGION_NAMES: dict[str, str] = {
    _key(name): country
    for country, names in (
        ("US", (
            "Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut", "Delaware",
            "Florida", "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa", "Kansas", "Kentucky",
            "Louisiana", "Maine", "Maryland", "Massachusetts", "Michigan", "Minnesota", "Mississippi",
            "Missouri", "Montana", "Nebraska", "Nevada", "New Hampshire", "New Jersey", "New Mexico",
            "New York State", "North Carolina", "North Dakota", "Ohio", "Oklahoma", "Oregon", "Pennsylvania",
            "Rhode Island", "South Carolina", "South Dakota", "Tennessee", "Texas", "Utah", "Vermont",
            "Virginia", "Washington State", "West Virginia", "Wisconsin", "Wyoming", "District of Columbia",
        )),
        ("CA", (
            "Ontario", "Quebec", "British Columbia", "Alberta", "Manitoba", "Saskatchewan", "Nova Scotia",
            "New Brunswick", "Newfoundland and Labrador", "Newfoundland", "Prince Edward Island", "Yukon",
        )),
        ("IN", (
            "Maharashtra", "Karnataka", "Telangana", "Tamil Nadu", "Haryana", "Uttar Pradesh", "Delhi NCR",
            "NCR", "West Bengal", "Gujarat", "Kerala", "Andhra Pradesh", "Rajasthan", "Madhya Pradesh",
            "Odisha",
        )),
        ("AU", ("New South Wales", "Queensland", "Western Australia",
                "South Australia", "Tasmania", "Australian Capital Territory")),
        ("GB", ("Greater London", "Greater Manchester", "West Midlands")),
        ("DE", ("Bavaria", "Bayern", "Hesse", "Hessen", "Baden-Württemberg", "North Rhine-Westphalia")),
        ("MX", ("Jalisco", "Nuevo León", "Nuevo Leon", "CDMX")),
    )
    for name in names
}  # fmt: skip
# IANA zones of the United States (and the abbreviations read as US zones): a location
# whose last part is both a state and a country code ("Fort Wayne, IN") is in the US when
# the person's own time zone is a US one.
_US_ZONE_PREFIXES = ("US/", "America/Indiana/", "America/Kentucky/", "America/North_Dakota/")
_US_ZONES = frozenset(
    [
        "America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles", "America/Phoenix",
        "America/Anchorage", "America/Detroit", "America/Boise", "America/Juneau", "America/Adak",
        "America/Nome", "America/Sitka", "America/Menominee", "America/Metlakatla", "America/Yakutat",
        "America/Indianapolis", "America/Louisville", "Pacific/Honolulu",
    ]
)  # fmt: skip

_WORDS = re.compile(r"[^\W\d_]+(?:[ .][^\W\d_]+)*")
_TOKENS = re.compile(r"[^\W\d_]+")

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
        ("Indianapolis", "US", "America/Indiana/Indianapolis"), ("Columbus", "US", "America/New_York"),
        ("Detroit", "US", "America/Detroit"), ("Pittsburgh", "US", "America/New_York"),
        ("Baltimore", "US", "America/New_York"), ("Raleigh", "US", "America/New_York"),
        ("Tampa", "US", "America/New_York"), ("Orlando", "US", "America/New_York"),
        ("Nashville", "US", "America/Chicago"), ("St. Louis", "US", "America/Chicago"),
        ("Kansas City", "US", "America/Chicago"), ("Milwaukee", "US", "America/Chicago"),
        ("New Orleans", "US", "America/Chicago"), ("San Antonio", "US", "America/Chicago"),
        ("Salt Lake City", "US", "America/Denver"), ("Las Vegas", "US", "America/Los_Angeles"),
        ("San Jose", "US", "America/Los_Angeles"), ("Sacramento", "US", "America/Los_Angeles"),
        ("Honolulu", "US", "Pacific/Honolulu"), ("Anchorage", "US", "America/Anchorage"),
        ("Edmonton", "CA", "America/Edmonton"), ("Winnipeg", "CA", "America/Winnipeg"),
        ("Halifax", "CA", "America/Halifax"), ("Quebec City", "CA", "America/Toronto"),
        ("Mississauga", "CA", "America/Toronto"), ("Waterloo", "CA", "America/Toronto"),
        ("Guadalajara", "MX", "America/Mexico_City"), ("Tijuana", "MX", "America/Tijuana"),
        ("Adelaide", "AU", "Australia/Adelaide"), ("Canberra", "AU", "Australia/Sydney"),
        ("New Delhi", "IN", "Asia/Kolkata"), ("Delhi", "IN", "Asia/Kolkata"),
        ("Gurgaon", "IN", "Asia/Kolkata"),
        ("Gurugram", "IN", "Asia/Kolkata"), ("Noida", "IN", "Asia/Kolkata"),
        ("Chennai", "IN", "Asia/Kolkata"),
        ("Kolkata", "IN", "Asia/Kolkata"), ("Ahmedabad", "IN", "Asia/Kolkata"),
        ("Kochi", "IN", "Asia/Kolkata"),
        ("Manchester", "GB", "Europe/London"), ("Edinburgh", "GB", "Europe/London"),
        ("Glasgow", "GB", "Europe/London"), ("Belfast", "GB", "Europe/London"),
        ("Leeds", "GB", "Europe/London"),
        ("Frankfurt", "DE", "Europe/Berlin"), ("Hamburg", "DE", "Europe/Berlin"),
        ("Zurich", "CH", "Europe/Zurich"),
        ("Geneva", "CH", "Europe/Zurich"), ("Milan", "IT", "Europe/Rome"), ("Rome", "IT", "Europe/Rome"),
        ("Lisbon", "PT", "Europe/Lisbon"), ("Porto", "PT", "Europe/Lisbon"),
        ("Warsaw", "PL", "Europe/Warsaw"),
        ("Krakow", "PL", "Europe/Warsaw"), ("Prague", "CZ", "Europe/Prague"),
        ("Bucharest", "RO", "Europe/Bucharest"),
        ("Cluj-Napoca", "RO", "Europe/Bucharest"), ("Stockholm", "SE", "Europe/Stockholm"),
        ("Copenhagen", "DK", "Europe/Copenhagen"), ("Oslo", "NO", "Europe/Oslo"),
        ("Helsinki", "FI", "Europe/Helsinki"),
        ("Brussels", "BE", "Europe/Brussels"), ("Vienna", "AT", "Europe/Vienna"),
        ("Budapest", "HU", "Europe/Budapest"),
        ("Cork", "IE", "Europe/Dublin"), ("Johannesburg", "ZA", "Africa/Johannesburg"),
        ("Cape Town", "ZA", "Africa/Johannesburg"), ("Lagos", "NG", "Africa/Lagos"),
        ("Nairobi", "KE", "Africa/Nairobi"),
        ("Cairo", "EG", "Africa/Cairo"), ("Dubai", "AE", "Asia/Dubai"), ("Abu Dhabi", "AE", "Asia/Dubai"),
        ("Riyadh", "SA", "Asia/Riyadh"), ("Tel Aviv", "IL", "Asia/Jerusalem"),
        ("Istanbul", "TR", "Europe/Istanbul"),
        ("Shanghai", "CN", "Asia/Shanghai"), ("Beijing", "CN", "Asia/Shanghai"),
        ("Shenzhen", "CN", "Asia/Shanghai"),
        ("Hong Kong", "HK", "Asia/Hong_Kong"), ("Taipei", "TW", "Asia/Taipei"), ("Seoul", "KR", "Asia/Seoul"),
        ("Osaka", "JP", "Asia/Tokyo"), ("Kuala Lumpur", "MY", "Asia/Kuala_Lumpur"),
        ("Bangkok", "TH", "Asia/Bangkok"),
        ("Jakarta", "ID", "Asia/Jakarta"), ("Ho Chi Minh City", "VN", "Asia/Ho_Chi_Minh"),
        ("Hanoi", "VN", "Asia/Ho_Chi_Minh"),
        ("Cebu", "PH", "Asia/Manila"), ("Auckland", "NZ", "Pacific/Auckland"),
        ("Wellington", "NZ", "Pacific/Auckland"),
        ("Buenos Aires", "AR", "America/Argentina/Buenos_Aires"), ("Santiago", "CL", "America/Santiago"),
        ("Bogota", "CO", "America/Bogota"), ("Medellin", "CO", "America/Bogota"),
        ("Lima", "PE", "America/Lima"),
        ("Montevideo", "UY", "America/Montevideo"), ("Curitiba", "BR", "America/Sao_Paulo"),
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


def _is_us_zone(zone: str | None) -> bool:
    if not zone:
        return False
    name = canonical_zone(zone)
    return isinstance(name, str) and (name in _US_ZONES or name.startswith(_US_ZONE_PREFIXES))


def _country_in_words(text: str) -> str | None:
    """The last country (or state, province) named inside free text: "Remote - US", "US Remote",
    "Sydney NSW". Two- and three-letter codes count only when written in capitals."""
    words = _TOKENS.findall(text)
    found: str | None = None
    for size in (3, 2, 1):
        for first in range(len(words) - size + 1):
            piece = words[first : first + size]
            phrase = " ".join(piece)
            if size == 1 and len(phrase) <= 3 and not phrase.isupper():
                continue
            key = _key(phrase)
            code = _BY_NAME.get(key) or _REGION_NAMES.get(key) or _REGION_CODES.get(phrase.upper())
            if code is None and size == 1 and phrase.isupper() and phrase in _US_STATES:
                code = "US"
            if code is not None:
                found = code  # the last one wins: "UK office, remote from IN" is IN
        if found is not None:
            return found
    return None


@functools.lru_cache(maxsize=16384)
def country_of_location(location: str | None, zone: str | None = None) -> str | None:
    """The country of a ``"City, CC"`` location (the part after the last comma).

    The last part may be an ISO code, a country's name, a state or province
    ("Toronto, ON", "Pune, Maharashtra"); a location without one is read for a
    country word ("Remote - US", "US Remote") or a known city ("New Delhi"). A
    trailing code that is both a US state and a country ("IN", "CA", "CO") is
    the country, unless the city is a known US one ("Indianapolis, IN") or the
    person's own ``zone`` is a US zone ("Fort Wayne, IN" on America/Indiana/...).
    A code no country has ("Pune, MH") defers to a known city.
    """
    if not location or not location.strip():
        return None
    parts = [p.strip() for p in location.split(",") if p.strip()]
    if not parts:
        return None
    last = parts[-1]
    city = _CITIES.get(_key(parts[0])) if len(parts) > 1 or _key(parts[0]) not in _BY_NAME else None
    upper = last.upper()
    if (
        len(last) == 2
        and upper in _US_STATES
        and len(parts) > 1
        and (upper not in _COUNTRIES or (city is not None and city[0] == "US") or _is_us_zone(zone))
    ):
        return "US"
    known = _BY_NAME.get(_key(last))
    if known is not None:
        return known
    if len(parts) > 1 and upper in _REGION_CODES:
        return _REGION_CODES[upper]
    region = _REGION_NAMES.get(_key(last))
    if region is not None:
        return region
    if len(last) == 2 and last.isalpha() and len(parts) > 1:
        # An ISO code we do not list, unless a known city says otherwise ("Pune, MH").
        return city[0] if city is not None else upper
    in_words = _country_in_words(last)
    if in_words is not None:
        return in_words
    if city is not None:
        return city[0]
    whole = _CITIES.get(_key(location.split("(")[0]))
    return whole[0] if whole else None


def zone_of_location(location: str | None) -> str | None:
    """A time zone for a location when the person gives none: the city's (when the city is
    in the location's country: "Dublin, OH" is not Dublin's zone), or the country's when the
    whole country keeps one zone (not the US, Canada, Brazil, Australia...)."""
    if not location or not location.strip():
        return None
    country = country_of_location(location)
    city = _CITIES.get(_key(location.split(",")[0]))
    if city is not None and (country is None or city[0] == country):
        return city[1]
    return _COUNTRY_ZONES.get(country) if country else None


# Areas requests and remote workers name instead of countries ("EU", "Remote - EMEA").
_EU = (
    "AT",
    "BE",
    "BG",
    "HR",
    "CY",
    "CZ",
    "DK",
    "EE",
    "FI",
    "FR",
    "DE",
    "GR",
    "HU",
    "IE",
    "IT",
    "LV",
    "LT",
    "LU",
    "MT",
    "NL",
    "PL",
    "PT",
    "RO",
    "SK",
    "SI",
    "ES",
    "SE",
)
_EUROPE = (
    *_EU,
    "GB",
    "CH",
    "NO",
    "IS",
    "LI",
    "UA",
    "RS",
    "BA",
    "ME",
    "MK",
    "AL",
    "MD",
    "XK",
    "AD",
    "MC",
    "SM",
    "VA",
    "GI",
    "IM",
    "JE",
    "GG",
    "FO",
    "BY",
    "TR",
)
_MIDDLE_EAST = (
    "AE",
    "SA",
    "QA",
    "BH",
    "KW",
    "OM",
    "IL",
    "JO",
    "LB",
    "IQ",
    "IR",
    "YE",
    "SY",
    "PS",
    "CY",
    "TR",
)
_AFRICA = (
    "EG",
    "MA",
    "DZ",
    "TN",
    "LY",
    "ZA",
    "NG",
    "KE",
    "GH",
    "ET",
    "TZ",
    "UG",
    "RW",
    "SN",
    "CI",
    "CM",
    "AO",
    "MZ",
    "ZM",
    "ZW",
    "BW",
    "NA",
    "MU",
    "SD",
    "MG",
    "CD",
    "CG",
    "GA",
    "BJ",
    "TG",
    "ML",
    "BF",
    "NE",
)
_LATAM = (
    "MX",
    "BR",
    "AR",
    "CL",
    "CO",
    "PE",
    "CR",
    "UY",
    "PY",
    "BO",
    "EC",
    "VE",
    "PA",
    "GT",
    "HN",
    "SV",
    "NI",
    "DO",
    "CU",
    "PR",
    "JM",
    "TT",
)
_APAC = (
    "CN",
    "HK",
    "MO",
    "TW",
    "JP",
    "KR",
    "SG",
    "MY",
    "TH",
    "VN",
    "PH",
    "ID",
    "AU",
    "NZ",
    "IN",
    "LK",
    "BD",
    "PK",
    "NP",
    "KH",
    "LA",
    "MM",
    "BN",
    "MN",
    "FJ",
    "PG",
)
AREAS: dict[str, frozenset[str]] = {
    _key(name): frozenset(codes)
    for names, codes in (
        (("EU", "EU27", "European Union"), _EU),
        (("EEA", "European Economic Area"), (*_EU, "NO", "IS", "LI")),
        (("Europe",), _EUROPE),
        (("EMEA", "Europe, Middle East and Africa"), (*_EUROPE, *_MIDDLE_EAST, *_AFRICA)),
        (("Middle East", "ME region"), _MIDDLE_EAST),
        (("MENA",), (*_MIDDLE_EAST, "EG", "MA", "DZ", "TN", "LY")),
        (("Africa",), _AFRICA),
        (("LATAM", "LatAm", "Latin America", "South America", "Central America"), _LATAM),
        (("APAC", "Asia Pacific", "Asia-Pacific", "Asia"), _APAC),
        (("ANZ",), ("AU", "NZ")),
        (("North America", "NAM", "NORAM"), ("US", "CA", "MX")),
        (("Americas", "AMER"), ("US", "CA", *_LATAM)),
        (("DACH",), ("DE", "AT", "CH")),
        (("Nordics", "Nordic", "Nordic countries", "Scandinavia"), ("DK", "SE", "NO", "FI", "IS")),
        (("Benelux",), ("BE", "NL", "LU")),
        (("Iberia", "Iberian Peninsula"), ("ES", "PT")),
        (("UK&I", "UKI", "UK and Ireland", "British Isles"), ("GB", "IE")),
        (("CEE", "Central and Eastern Europe", "Eastern Europe"),
         ("PL", "CZ", "SK", "HU", "RO", "BG", "HR", "SI", "EE", "LV", "LT", "RS", "UA", "BA", "ME", "MK",
          "AL", "MD")),
        (("Baltics", "Baltic states"), ("EE", "LV", "LT")),
    )
    for name in names
}  # fmt: skip
# Words around a place in a request or a remote worker's location ("US only", "Remote - EMEA").
_PLACE_FILLER = frozenset(
    ["remote", "remotely", "only", "based", "onsite", "on", "site", "hybrid", "office", "in", "from",
     "within", "anywhere", "preferred", "ideally", "time", "zones", "zone", "timezones", "candidates",
     "people", "located", "location", "must", "be", "the", "any", "country", "countries", "ok", "fine",
     "wide", "region"]
)  # fmt: skip
_PLACE_TOKENS = re.compile(r"[^\W\d_]+(?:&[^\W\d_]+)?")
_PLACE_SPLIT = re.compile(r"\s*(?:/|\bor\b|\band\b|\+)\s*", re.IGNORECASE)


def _place_core(text: str) -> str:
    """A place without the words around it: "US only" is "US", "Remote - EMEA" is "EMEA"."""
    return " ".join(w for w in _PLACE_TOKENS.findall(text) if w.casefold() not in _PLACE_FILLER)


@functools.lru_cache(maxsize=4096)
def area_of_location(location: str | None) -> str | None:
    """The area a location names when it names no country ("Remote - EMEA" is EMEA), as its key."""
    if not location:
        return None
    core = _place_core(location)
    for candidate in (core, *core.split()):
        key = _key(candidate)
        if key in AREAS:
            return key
    return None


def area_countries(area: str) -> frozenset[str]:
    """The countries of an area key (``area_of_location``)."""
    return AREAS.get(area, frozenset())


def allowed_places(values: Iterable[str]) -> tuple[set[str], set[str], list[str]]:
    """What a request's countries allow: country codes (areas expanded), the areas named (keys),
    and the entries not understood. Entries may be names, codes, areas or words around them
    ("US only", "Remote - EMEA", "LATAM or Iberia")."""
    codes: set[str] = set()
    areas: set[str] = set()
    unknown: list[str] = []
    for value in values:
        understood = False
        for part in [p for p in _PLACE_SPLIT.split(value) if p.strip()] or [value]:
            key = _key(part)
            core = _place_core(part)
            if key in AREAS or _key(core) in AREAS:
                area = key if key in AREAS else _key(core)
                areas.add(area)
                codes.update(AREAS[area])
                understood = True
                continue
            code = _BY_NAME.get(key) or (_BY_NAME.get(_key(core)) if core else None)
            if code is None:
                code = country_code(part) if len(part.strip()) == 2 else None
            if code is None and core and len(core) == 2 and core.isalpha() and core.isupper():
                code = core
            if code is not None:
                codes.add(code)
                understood = True
        if not understood:
            unknown.append(value)
    return codes, areas, unknown


def country_codes(values: Iterable[str]) -> tuple[set[str], list[str]]:
    """Codes for the countries a request allows (areas such as "EU" expanded), and the entries
    not understood."""
    codes, _, unknown = allowed_places(values)
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

# Zone names as people, HR systems and Windows write them, each to an IANA zone that keeps
# its daylight saving ("Eastern Time" is New York's zone in July too).
_ZONE_NAMES: dict[str, str] = {
    _key(name): zone
    for zone, names in (
        ("America/New_York", ("Eastern", "Eastern Time", "Eastern Standard Time", "Eastern Daylight Time",
                              "US Eastern", "US/Eastern Time", "Eastern Time (US & Canada)", "EST5EDT")),
        ("America/Chicago", ("Central", "Central Time", "Central Standard Time", "Central Daylight Time",
                             "US Central", "Central Time (US & Canada)", "CST6CDT")),
        ("America/Denver", ("Mountain", "Mountain Time", "Mountain Standard Time", "Mountain Daylight Time",
                            "US Mountain", "Mountain Time (US & Canada)", "MST7MDT")),
        ("America/Phoenix", ("Arizona", "US Mountain Standard Time")),
        ("America/Los_Angeles", ("Pacific", "Pacific Time", "Pacific Standard Time", "Pacific Daylight Time",
                                 "US Pacific", "Pacific Time (US & Canada)", "PST8PDT")),
        ("America/Anchorage", ("Alaska", "Alaskan Standard Time", "Alaska Time")),
        ("Pacific/Honolulu", ("Hawaii", "Hawaiian Standard Time", "Hawaii Time", "HST")),
        ("America/Halifax", ("Atlantic", "Atlantic Time", "Atlantic Standard Time",
                             "Atlantic Time (Canada)")),
        ("America/Mexico_City", ("Central Standard Time (Mexico)", "Mexico City Time")),
        ("America/Sao_Paulo", ("Brasilia Time", "E. South America Standard Time", "BRT")),
        ("America/Bogota", ("SA Pacific Standard Time", "Colombia Time", "COT")),
        ("America/Argentina/Buenos_Aires", ("Argentina Standard Time", "Argentina Time", "ART")),
        ("Europe/London", ("GMT Standard Time", "Greenwich Mean Time", "British Summer Time", "UK Time",
                           "British Time", "London Time", "Greenwich Standard Time")),
        ("Europe/Dublin", ("Irish Standard Time", "Irish Time")),
        ("Europe/Paris", ("Central European Time", "Central European Standard Time",
                          "Central European Summer Time", "Central Europe Standard Time",
                          "Romance Standard Time", "W. Europe Standard Time")),
        ("Europe/Lisbon", ("Western European Time", "WEST")),
        ("Europe/Warsaw", ("Central European Standard Time (Poland)",)),
        ("Europe/Athens", ("Eastern European Time", "Eastern European Summer Time", "GTB Standard Time",
                           "E. Europe Standard Time", "FLE Standard Time", "EEST")),
        ("Europe/Moscow", ("Moscow Time", "Russian Standard Time", "MSK")),
        ("Europe/Istanbul", ("Turkey Time", "Turkey Standard Time", "TRT")),
        ("Africa/Johannesburg", ("South Africa Standard Time", "SAST")),
        ("Asia/Dubai", ("Gulf Standard Time", "Arabian Standard Time", "GST")),
        ("Asia/Jerusalem", ("Israel Standard Time", "Israel Time")),
        ("Asia/Kolkata", ("India Standard Time", "Indian Standard Time", "India Time", "Indian Time")),
        ("Asia/Karachi", ("Pakistan Standard Time", "PKT")),
        ("Asia/Dhaka", ("Bangladesh Standard Time",)),
        ("Asia/Shanghai", ("China Standard Time", "China Time", "Beijing Time")),
        ("Asia/Hong_Kong", ("Hong Kong Time", "HKT")),
        ("Asia/Singapore", ("Singapore Standard Time", "Singapore Time", "Malay Peninsula Standard Time")),
        ("Asia/Manila", ("Philippine Standard Time", "Philippine Time", "Philippines Time", "PHT", "PHST")),
        ("Asia/Tokyo", ("Japan Standard Time", "Tokyo Standard Time", "Japan Time")),
        ("Asia/Seoul", ("Korea Standard Time", "KST")),
        ("Australia/Sydney", ("Australian Eastern Time", "Australian Eastern Standard Time",
                              "AUS Eastern Standard Time", "Sydney Time")),
        ("Australia/Brisbane", ("E. Australia Standard Time",)),
        ("Australia/Perth", ("Australian Western Standard Time", "W. Australia Standard Time", "AWST")),
        ("Pacific/Auckland", ("New Zealand Standard Time", "New Zealand Time", "NZDT", "NZT")),
    )
    for name in names
}  # fmt: skip
_MINUS_SIGNS = str.maketrans({"\u2212": "-", "\u2013": "-", "\u2012": "-", "\u2010": "-"})
_FIXED_OFFSET = re.compile(
    r"^(?:utc|gmt)?\s*([+-])\s*(\d{1,2})(?:(?::|\s*h\s*)?(\d{2})|\.(\d{1,2}))?\s*h?$", re.IGNORECASE
)
_OFFSET_INSIDE = re.compile(r"\(?\s*((?:utc|gmt)\s*[+-]\s*\d{1,2}(?:[:.]?\d{1,2})?)\s*\)?", re.IGNORECASE)


@functools.lru_cache(maxsize=1)
def _zones_by_lower_name() -> dict[str, str]:
    import zoneinfo

    return {name.casefold(): name for name in zoneinfo.available_timezones()}


def _fixed_offset(text: str) -> float | None:
    match = _FIXED_OFFSET.match(text)
    if not match:
        return None
    sign = -1.0 if match.group(1) == "-" else 1.0
    hours = float(int(match.group(2)))
    if match.group(3):
        hours += int(match.group(3)) / 60
    elif match.group(4):
        # "+5.5" is five and a half hours; "+5.30" and "+5.45" are minutes.
        digits = match.group(4)
        hours += int(digits) / 60 if digits in ("30", "45") else float("0." + digits)
    # Real offsets run from -12 to +14 hours; anything else is not a zone.
    return sign * hours if hours <= 14 else None


def _named_zone(text: str) -> str | None:
    name = text.strip()
    if not name:
        return None
    if _zone(name) is not None and "/" in name:
        return name
    upper = name.upper()
    if upper in ZONE_ABBREVIATIONS:
        return ZONE_ABBREVIATIONS[upper]
    key = _key(name)
    if key in _ZONE_NAMES:
        return _ZONE_NAMES[key]
    by_lower = _zones_by_lower_name().get(name.casefold().replace(" ", "_"))
    if by_lower is not None:
        return by_lower
    city = _CITIES.get(key)
    if city is not None:
        return city[1]
    # IANA's own names without a slash ("Japan", "Singapore", "EST5EDT").
    return name if _zone(name) is not None else None


@functools.lru_cache(maxsize=4096)
def canonical_zone(zone: str | None) -> str | float | None:
    """What a written time zone means: an IANA name, a fixed UTC offset in hours, or None.

    Accepted: IANA names in any case ("america/new_york", "Asia/Calcutta"), abbreviations
    ("EST", "IST" is India), everyday and Windows names ("Eastern Time", "Pacific Time (US &
    Canada)", "India Standard Time"), Windows display names ("(UTC-05:00) Eastern Time (US &
    Canada)", "(GMT+05:30) Chennai, Kolkata..."), fixed offsets ("UTC+05:30", "GMT-5", "+5.5",
    with a typographic minus too) and a name with its offset ("UTC+05:30 (IST)", "ET (UTC-5)").
    A name wins over an offset written with it, so daylight saving is kept.
    """
    if zone is None:
        return None
    text = zone.translate(_MINUS_SIGNS).strip()
    if not text:
        return None
    if text.upper() in ("UTC", "GMT", "Z", "ZULU", "UCT", "COORDINATED UNIVERSAL TIME"):
        return 0.0
    fixed = _fixed_offset(text)
    if fixed is not None:
        return fixed
    named = _named_zone(text)
    if named is not None:
        return named
    # "(UTC-05:00) Eastern Time (US & Canada)", "UTC+05:30 (IST)", "ET (UTC-5)", "PST/PDT".
    offsets = _OFFSET_INSIDE.findall(text)
    rest = _OFFSET_INSIDE.sub(" ", text).strip(" ()-,;")
    candidates = [rest, *re.findall(r"\(([^()]*)\)", text), *rest.split("/"), *rest.split(",")]
    for candidate in candidates:
        named = _named_zone(candidate.strip(" ()"))
        if named is not None:
            return named
    for written in offsets:
        fixed = _fixed_offset(written.replace(" ", ""))
        if fixed is not None:
            return fixed
    return None


@functools.lru_cache(maxsize=1024)
def _zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError, TypeError):
        return None


@functools.lru_cache(maxsize=4096)
def utc_offset_hours(zone: str | None, on: dt.date) -> float | None:
    """The zone's UTC offset in hours at noon on ``on``; None when the zone is not understood
    (see ``canonical_zone`` for the forms accepted)."""
    meaning = canonical_zone(zone)
    if meaning is None:
        return None
    if isinstance(meaning, float):
        return meaning
    info = _zone(meaning)
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
