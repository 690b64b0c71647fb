# ruff: noqa: E501  (regular expressions read better unbroken)
"""Find amounts of money in text: symbols or ISO codes before or after, any of the
common digit-grouping conventions, scale words, and amounts in words with the
figures in brackets.

Decimal separator rule: when both ``,`` and ``.`` occur, the last one is the
decimal separator (``1,250,000.00`` / ``1.250.000,00``); a single separator
followed by exactly three digits groups thousands (``1,250`` and ``1.250`` are
both 1250); followed by one or two digits it is a decimal point. Spaces, thin
spaces and apostrophes always group thousands (``1 250 000,00``, ``1'250'000``).

The bare ``$`` is USD unless the text near it (or the document) names another
dollar: ``C$``/``CA$``/``CAD``/"Canadian", ``A$``/``AU$``/``AUD``/"Australian",
``NZ$``, ``S$``, ``HK$``. Callers pass ``dollar`` = the document's dollar.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extraction.billing.numbers import NUMBER_WORDS, words_to_number

ISO_CODES = (
    "USD", "EUR", "GBP", "CAD", "AUD", "NZD", "CHF", "JPY", "INR", "SGD", "HKD", "SEK", "NOK", "DKK",
    "ZAR", "MXN", "BRL", "CNY", "PLN", "AED", "SAR", "QAR", "KWD", "BHD", "OMR", "EGP", "KRW", "MYR",
    "THB", "IDR", "CZK", "HUF", "NGN", "KES", "CLP", "COP", "ILS", "TWD", "PHP", "PKR", "BDT", "LKR",
    "VND", "ARS", "ISK", "GHS", "UAH", "KZT", "TZS", "UGX", "BGN", "RSD",
)  # fmt: skip
# The rest of ISO 4217 in use. Read in upper case only ("try 3 options" is no lira) and only
# before or after a figure that looks like money (see _MONEY_SHAPED).
OTHER_ISO_CODES = (
    "AFN", "ALL", "AMD", "ANG", "AOA", "AWG", "AZN", "BAM", "BBD", "BIF", "BMD", "BND", "BOB", "BSD",
    "BTN", "BWP", "BYN", "BZD", "CDF", "CRC", "CUP", "CVE", "DJF", "DOP", "DZD", "ERN", "ETB", "FJD",
    "FKP", "GEL", "GIP", "GMD", "GNF", "GTQ", "GYD", "HNL", "HTG", "IQD", "IRR", "JMD", "JOD", "KGS",
    "KHR", "KMF", "KPW", "KYD", "LAK", "LBP", "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK",
    "MNT", "MOP", "MRU", "MUR", "MVR", "MWK", "MZN", "NAD", "NIO", "NPR", "PAB", "PEN", "PGK", "PYG",
    "RON", "RUB", "RWF", "SBD", "SCR", "SDG", "SHP", "SLE", "SOS", "SRD", "SSP", "STN", "SVC", "SYP",
    "SZL", "TJS", "TMT", "TND", "TOP", "TRY", "TTD", "UYU", "UZS", "VES", "VUV", "WST", "XAF", "XCD",
    "XOF", "XPF", "YER", "ZMW", "ZWL",
)  # fmt: skip
# Codes that are also names of other things: "upgrade to PHP 8.2" is a language version, so
# these codes need a figure that looks like money (three digits or more, or grouped).
_AMBIGUOUS_CODES = {"PHP", *OTHER_ISO_CODES}
# Codes that spell English words or common acronyms ("ALL 12", "TOP 100", "AMD 5950"): these
# also need a grouped figure or cents.
_WORDLIKE_CODES = {
    "ALL",
    "TOP",
    "TRY",
    "CUP",
    "PEN",
    "MAD",
    "GEL",
    "BOB",
    "SOS",
    "AMD",
    "CVE",
    "SVC",
    "MOP",
    "BAM",
    "DOP",
    "TMT",
    "SHP",
    "ERN",
    "PAB",
}
PREFIX_SYMBOLS = {
    "US$": "USD", "U.S.$": "USD", "C$": "CAD", "CA$": "CAD", "CAN$": "CAD", "A$": "AUD", "AU$": "AUD",
    "NZ$": "NZD", "S$": "SGD", "HK$": "HKD", "R$": "BRL", "$": "$", "€": "EUR", "£": "GBP", "¥": "JPY",
    "₹": "INR", "Rs.": "INR", "Rs": "INR", "Fr.": "CHF", "SFr.": "CHF", "₱": "PHP", "₩": "KRW",
    "₦": "NGN", "NT$": "TWD", "MX$": "MXN", "N$": "NAD", "E£": "EGP", "CN¥": "CNY", "₪": "ILS", "฿": "THB",
    "₺": "TRY", "₴": "UAH", "₽": "RUB", "₸": "KZT", "₫": "VND", "₡": "CRC", "₲": "PYG", "₾": "GEL",
}  # fmt: skip
# Letters written as a currency sign in their countries ("RM 85,000", "KSh 2,400,000", "SR 420,000",
# "Dhs 300,000", "120 000 zł", "480 000 Kč", "3 500 000 Ft"): read in this exact case, and only with a
# figure that looks like money, since the same letters are room numbers, titles and abbreviations.
# "kr" is the krona/krone of whichever Nordic country the document is from (document_krona).
LETTER_SIGNS = {
    "RM": "MYR", "Rp": "IDR", "Rp.": "IDR", "KSh": "KES", "Ksh": "KES", "KShs": "KES", "Kshs": "KES",
    "RMB": "CNY", "SR": "SAR", "QR": "QAR", "KD": "KWD", "BD": "BHD", "RO": "OMR", "Dhs": "AED",
    "Dhs.": "AED", "Dh": "AED", "kr": "kr", "kr.": "kr", "Kr.": "kr", "Kr": "kr", "TSh": "TZS", "USh": "UGX",
    "GH₵": "GHS", "zł": "PLN", "Kč": "CZK", "Ft": "HUF", "лв": "BGN",
    "TL": "TRY", "Lek": "ALL",
}  # fmt: skip
_LETTER_SUFFIXES = ("zł", "zl", "Kč", "Ft", "kr", "kr.", "лв", "TL", "Dhs", "SR", "QR", "KD", "RM")

_WORD_CURRENCIES = [
    (r"u\.?s\.?\s+dollars?|united\s+states\s+dollars?|american\s+dollars?", "USD"),
    (r"canadian\s+dollars?", "CAD"),
    (r"australian\s+dollars?", "AUD"),
    (r"new\s+zealand\s+dollars?", "NZD"),
    (r"singapore\s+dollars?", "SGD"),
    (r"pounds?\s+sterling|british\s+pounds?|sterling|pounds?", "GBP"),
    (r"euros?", "EUR"),
    (r"swiss\s+francs?", "CHF"),
    (r"(?:indian\s+)?rupees?", "INR"),
    (r"(?:japanese\s+)?yen", "JPY"),
    (r"philippine\s+pesos?", "PHP"),
    (r"(?:mexican\s+)?pesos", "MXN"),
    (r"z[lł]ot(?:y|ys|ych|e)", "PLN"),
    (r"saudi\s+riyals?", "SAR"),
    (r"qatari\s+riyals?", "QAR"),
    (r"(?:uae\s+|emirati\s+)?dirhams?", "AED"),
    (r"(?:south\s+african\s+)?rand", "ZAR"),
    (r"(?:brazilian\s+)?reais", "BRL"),
    (r"(?:swedish\s+)?kronor", "SEK"),
    (r"(?:romanian\s+)?lei", "RON"),
    (r"turkish\s+lira", "TRY"),
    (r"(?:malaysian\s+)?ringgit", "MYR"),
    (r"baht", "THB"),
    (r"shekels?", "ILS"),
    (r"kenyan\s+shillings?", "KES"),
    (r"omani\s+rials?", "OMR"),
    (r"kuwaiti\s+dinars?", "KWD"),
    (r"bahraini\s+dinars?", "BHD"),
    (r"(?:czech\s+)?korun[ay]?", "CZK"),
    (r"forint", "HUF"),
    (r"rupiah", "IDR"),
    (r"(?:chinese\s+)?yuan|renminbi", "CNY"),
    (r"danish\s+kroner", "DKK"),
    (r"norwegian\s+kroner", "NOK"),
    (r"dollars?", "$"),
]
_SCALE_WORDS = {
    "million": 1e6, "mn": 1e6, "mm": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9, "b": 1e9,
    "thousand": 1e3, "k": 1e3, "lakh": 1e5, "lakhs": 1e5, "lac": 1e5, "lacs": 1e5, "crore": 1e7,
    "crores": 1e7, "cr": 1e7,
}  # fmt: skip

# A symbol that starts with a letter ("Rs.", "C$", "Fr.") starts a word: "hrs. 40" is no rupee amount.
_SYMBOL = "|".join(
    (r"(?<![A-Za-z])" if s[0].isalpha() else "") + re.escape(s)
    for s in sorted(PREFIX_SYMBOLS, key=len, reverse=True)
)


def _by_first_letter(codes: tuple[str, ...]) -> str:
    """``A(?:ED|UD)|B(?:RL)|…``: three-letter codes grouped by their first letter, so the
    pattern tries one small group at each position instead of every code."""
    groups: dict[str, list[str]] = {}
    for code in codes:
        groups.setdefault(code[0], []).append(code[1:])
    return "|".join(f"{first}(?:{'|'.join(sorted(rest))})" for first, rest in sorted(groups.items()))


_CODE = _by_first_letter(ISO_CODES)
_OTHER_CODE = _by_first_letter(OTHER_ISO_CODES)
_LETTER_PREFIX = "|".join(re.escape(s) for s in sorted(LETTER_SIGNS, key=len, reverse=True))
_LETTER_SUFFIX = "|".join(sorted(_LETTER_SUFFIXES, key=len, reverse=True))
_WORDCUR = "|".join(p for p, _ in _WORD_CURRENCIES)
_NUMBER = r"\d{1,2}(?:,\d{2})+,\d{3}(?:\.\d{1,2})?(?!\d)|\d{1,3}(?:(?:,\d{3})+|(?:\.\d{3})+|(?:[ \u2009\u202f']\d{3})+)(?:[.,]\d{1,2})?(?!\d)|\d+(?:[.,]\d{1,2})?(?!\d)"
_SCALE = r"(?:\s?(?:million|billion|thousand|mn|mm|bn|lakhs?|lacs?|crores?|cr|[mMkK](?!\.\w)))\b"

# "CHF 1'250'000.–", "€ 125,-": a Swiss/German dash for "no cents" belongs to the amount.
_NO_CENTS = r"(?:[.,][–—-]{1,2}(?![\d]))?"
MONEY_RE = re.compile(
    rf"(?P<pre>{_SYMBOL}|\b(?:{_CODE})\b(?:\s?[$€£])?|(?-i:\b(?:{_OTHER_CODE})\b|(?<![\w.])(?:{_LETTER_PREFIX})(?!\w)))\s?(?P<num1>{_NUMBER})(?P<scale1>{_SCALE})?{_NO_CENTS}"
    rf"|(?<![\w.,])(?P<num2>{_NUMBER})(?P<scale2>{_SCALE})?\s?(?P<post>[€£₫]|\$(?!\s?\d)|\b(?:{_CODE})\b|\b(?:{_WORDCUR})\b|(?-i:\b(?:{_OTHER_CODE})\b|(?:{_LETTER_SUFFIX})(?![\w]|\.\w)))",
    re.IGNORECASE,
)
# "Two Hundred Forty-Nine Thousand Five Hundred and No/100 Dollars": cents written as a fraction
# of 100 between the words and the currency, as on a cheque.
_WORDS_MONEY_RE = re.compile(
    rf"\b(?P<words>{NUMBER_WORDS})(?:\s+and\s+(?P<cents>no|\d{{1,2}})\s?/\s?100)?\s+(?P<cur>{_WORDCUR})\b(?:\s*\((?P<fig>[^)]{{1,40}})\))?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Money:
    """An amount found in text; ``currency`` is an ISO code, or None when none was written."""

    amount: float
    currency: str | None
    start: int
    end: int


def parse_number(raw: str) -> float | None:
    """A figure with grouping/decimal separators as a float (see the module rule)."""
    text = raw.strip().replace("\u2009", " ").replace("\u202f", " ").replace("'", " ")
    text = text.replace(" ", "")
    if not text:
        return None
    if "," in text and "." in text:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        group = "." if decimal == "," else ","
        text = text.replace(group, "").replace(decimal, ".")
    elif "," in text or "." in text:
        sep = "," if "," in text else "."
        head, _, tail = text.rpartition(sep)
        if text.count(sep) > 1 or len(tail) == 3:
            text = text.replace(sep, "")
        else:
            text = head.replace(sep, "") + "." + tail
    try:
        return float(text)
    except ValueError:
        return None


def _currency(token: str | None, dollar: str, krona: str = "SEK") -> str | None:
    if not token:
        return None
    upper = token.upper()
    if upper[:3] in ISO_CODES and not upper[3:].strip(" $€£"):
        return upper[:3]  # "CAD $212,500": the code decides, the symbol repeats it
    if token in OTHER_ISO_CODES:
        return token
    if token in LETTER_SIGNS or token == "zl":
        code = LETTER_SIGNS.get(token, "PLN")
        return krona if code == "kr" else code
    for symbol, code in PREFIX_SYMBOLS.items():
        if token.upper() == symbol.upper():
            return dollar if code == "$" else code
    for pattern, code in _WORD_CURRENCIES:
        if re.fullmatch(pattern, token, re.IGNORECASE):
            return dollar if code == "$" else code
    return None


def symbol_currency(symbol: str) -> str | None:
    """The ISO code a currency symbol names ("£" GBP, "HK$" HKD), or None for the bare "$"."""
    for known, code in PREFIX_SYMBOLS.items():
        if symbol.upper() == known.upper():
            return None if code == "$" else code
    return None


def _scale(token: str | None) -> float:
    return _SCALE_WORDS.get(token.strip().lower(), 1.0) if token else 1.0


# "R1 450 000,00": South African drafting writes the rand as a bare R. Elsewhere "R2" is a
# release or a reference, so only documents that are South African read it (and only figures
# of three digits or more, or grouped ones).
_RAND_RE = re.compile(
    r"(?<![\w.$/-])R\s?(?P<num>\d{1,3}(?:[ \u00a0\u2009\u202f,.']\d{3})+(?:[.,]\d{2})?|\d{3,}(?:[.,]\d{2})?)(?![\d,.]\d)"
    rf"(?P<scale>{_SCALE})?"
)


def document_rand(text: str) -> bool:
    """Whether a bare ``R`` before a figure means the South African rand in this document."""
    if re.search(r"\bZAR\b|\b[Rr]and\b|South\s+Africa|\(Pty\)\s+Ltd|\bSARS\b", text):
        return True
    # "R4 200; Senior Manager R2 950": figures after a bare R grouped by spaces (the South
    # African way of writing amounts), more than once.
    return len(re.findall(r"(?<![\w.$/-])R\s?\d{1,3}(?: \d{3})+(?![\d,.]\d)", text)) >= 2


def find_money(text: str, *, dollar: str = "USD", rand: bool = False, krona: str = "SEK") -> list[Money]:
    """Every amount of money in ``text``, in order, without overlaps.

    Parameters
    ----------
    text
        Any text (offsets in the result index it).
    dollar
        The ISO code a bare ``$`` or "dollars" means in this document.
    rand
        Read a bare ``R`` before a figure as ZAR (see :func:`document_rand`).
    krona
        The ISO code ``kr`` means in this document (see :func:`document_krona`).

    Returns
    -------
    list of Money
        An amount in words followed by its figures in brackets is one item
        spanning both.
    """
    found: list[Money] = []
    taken: list[tuple[int, int]] = []
    for match in _WORDS_MONEY_RE.finditer(text):
        currency = _currency(match.group("cur"), dollar)
        amount: float | None = None
        if match.group("fig"):
            inner = list(MONEY_RE.finditer(match.group("fig")))
            figures = re.search(_NUMBER, match.group("fig"))
            if inner:
                value = _from_match(inner[0], dollar, krona)
                amount = value.amount if value else None
                currency = (value.currency if value else None) or currency
            elif figures:
                amount = parse_number(figures.group(0))
        if amount is None:
            words_value = words_to_number(match.group("words"))
            amount = float(words_value) if words_value is not None else None
            cents = match.group("cents")
            if amount is not None and cents and cents.isdigit():
                amount += int(cents) / 100
            end = match.end("cur")
        else:
            end = match.end()
        if amount is not None:
            found.append(Money(amount, currency, match.start(), end))
            taken.append((match.start(), end))
    for match in MONEY_RE.finditer(text):
        if any(s <= match.start() < e for s, e in taken):
            continue
        money = _from_match(match, dollar, krona)
        if money is not None and not _money_shaped(match):
            continue
        if money is not None:
            found.append(money)
            taken.append((match.start(), match.end()))
    if rand:
        for match in _RAND_RE.finditer(text):
            figure = parse_number(match.group("num"))
            if figure is None or any(s < match.end() and match.start() < e for s, e in taken):
                continue
            found.append(Money(figure * _scale(match.group("scale")), "ZAR", match.start(), match.end()))
    return _merge_restatements(sorted(found, key=lambda m: m.start), text)


def _merge_restatements(found: list[Money], text: str) -> list[Money]:
    """Figures followed by the same amount in brackets ("USD 480,000 (four hundred eighty
    thousand dollars)") are one statement of one amount, not two mentions."""
    merged: list[Money] = []
    for money in found:
        if merged:
            prev = merged[-1]
            gap = text[prev.end : money.start]
            closing = re.match(r"\s*\)", text[money.end :])
            if (
                re.fullmatch(r"\s*\(\s*", gap)
                and closing
                and abs(prev.amount - money.amount) < 0.005
                and (money.currency is None or prev.currency is None or money.currency == prev.currency)
            ):
                merged[-1] = Money(
                    prev.amount, prev.currency or money.currency, prev.start, money.end + closing.end()
                )
                continue
        merged.append(money)
    return merged


def _money_shaped(match: re.Match[str]) -> bool:
    """Whether a figure next to an ambiguous code or letters reads as money: three digits or
    more, or grouped; a code that spells a word ("ALL", "TOP") needs grouping or cents."""
    token = (match.group("pre") or match.group("post") or "").strip()
    figure = match.group("num1") or match.group("num2") or ""
    if token in _WORDLIKE_CODES:
        return bool(re.search(r"\d[,.' \u2009\u202f]\d{3}|\d[.,]\d{2}$", figure))
    if token.upper() in _AMBIGUOUS_CODES or token in LETTER_SIGNS or token == "zl":
        return bool(re.search(r"\d{3}|\d[,.' \u2009\u202f]\d{3}", figure))
    return True


def _from_match(match: re.Match[str], dollar: str, krona: str = "SEK") -> Money | None:
    if match.group("num1") is not None:
        number, scale, cur = match.group("num1"), match.group("scale1"), match.group("pre")
    else:
        number, scale, cur = match.group("num2"), match.group("scale2"), match.group("post")
    value = parse_number(number)
    if value is None:
        return None
    if scale and len(scale.strip()) == 1 and value >= 1000:
        # "$1,250,000.00 M" is no millions: a letter after a figure already in thousands is
        # something else (a currency note such as "M.N.", an abbreviation).
        if match.group("num1") is not None:
            return Money(value, _currency(cur, dollar, krona), match.start(), match.start("scale1"))
        scale = None
    # "5 m" after an ISO code is millions; a bare trailing "m" after digits without a currency is not money.
    return Money(value * _scale(scale), _currency(cur, dollar, krona), match.start(), match.end())


def document_krona(text: str) -> str:
    """Which krona or krone a bare ``kr`` means: the Nordic code the document names most, else
    its country, company forms and tax words (SEK when nothing tells)."""
    codes = {code: len(re.findall(rf"\b{code}\b", text)) for code in ("SEK", "NOK", "DKK", "ISK")}
    if any(codes.values()):
        return max(codes, key=lambda k: codes[k])
    places = {
        "SEK": r"\bSverige\b|\bSweden\b|\bSwedish\b|\bAB\b|\btimme\b|\bvecka\b|\bmomsen\b|\bexklusive\s+moms\b|\bär\b|\boch\b",
        "NOK": r"\bNorge\b|\bNorway\b|\bNorwegian\b|\bASA?\b|\bmva\b|\bMVA\b|\buke\b|\bikke\b",
        "DKK": r"\bDanmark\b|\bDenmark\b|\bDanish\b|\bApS\b|\bA/S\b|\bCVR\b|\buge\b|\bekskl\.\s+moms\b|\bpr\.\s+time\b",
        "ISK": r"\bÍsland\b|\bIceland\b|\bIcelandic\b|\bkt\.",
    }
    found = {code: len(re.findall(pattern, text)) for code, pattern in places.items()}
    if any(found.values()):
        return max(found, key=lambda k: found[k])
    return "SEK"


def document_dollar(text: str) -> str:
    """Which dollar a bare ``$`` means, from cues in the document (USD by default)."""
    # A code before a capitalised word is a name, not a currency ("CAD Technician").
    name = r"(?!\s+(?-i:[A-Z][a-z]))"
    cues: dict[str, float] = {
        "CAD": len(re.findall(rf"\bCAD\b{name}|\bCA?N?\$|canadian\s+dollar", text, re.IGNORECASE)),
        "AUD": len(re.findall(rf"\bAUD\b{name}|\bAU?\$|australian\s+dollar", text, re.IGNORECASE)),
        "NZD": len(re.findall(rf"\bNZD\b{name}|NZ\$|new\s+zealand\s+dollar", text, re.IGNORECASE)),
        "SGD": len(re.findall(rf"\bSGD\b{name}|\bS\$|singapore\s+dollar", text, re.IGNORECASE)),
        "USD": len(
            re.findall(rf"\bUSD\b{name}|US\$|u\.s\.\s+dollar|united\s+states\s+dollar", text, re.IGNORECASE)
        ),
        # "$1,250,000.00 M.N." (moneda nacional): Mexico writes its peso with the dollar sign.
        "MXN": len(re.findall(r"\bMXN\b|\bMX\$|\bM\.\s?N\.|mexican\s+pesos?|\bpesos\b", text, re.IGNORECASE)),
    }
    if any(cues.values()):
        best = max(cues, key=lambda k: cues[k])
        return best
    # No dollar is named: the country shows through its company forms and sales taxes.
    places = {
        "AUD": r"\bPty\.?\s+Ltd\b|\bABN\b|\bACN\b|\bAustralia\b|\bCommonwealth\s+of\s+Australia\b",
        "NZD": r"\bNZBN\b|\bNew\s+Zealand\b|\bInland\s+Revenue\b",
        "CAD": r"\bHST\b|\bQST\b|\bTVQ\b|\bTPS\b|\bGST/HST\b|\bCanada\b|\bOntario\b|\bQu[ée]bec\b|\bBritish\s+Columbia\b|\bAlberta\b",
        "SGD": r"\bPte\.?\s+Ltd\b|\bSingapore\b|\bUEN\b",
    }
    found = {code: len(re.findall(pattern, text)) for code, pattern in places.items()}
    if any(found.values()):
        return max(found, key=lambda k: found[k])
    # GST alone: Australia is the largest market that bills in a bare "$" plus GST.
    if re.search(r"\bGST\b", text) and re.search(r"\$\s?\d", text):
        return "AUD"
    return "USD"


__all__ = [
    "ISO_CODES",
    "LETTER_SIGNS",
    "MONEY_RE",
    "OTHER_ISO_CODES",
    "PREFIX_SYMBOLS",
    "Money",
    "document_dollar",
    "document_krona",
    "document_rand",
    "find_money",
    "parse_number",
    "symbol_currency",
]
