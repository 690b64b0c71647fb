"""Numbers written in words ("one hundred and twenty-five thousand", "forty-five")."""

from __future__ import annotations

import re

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "a": 1, "an": 1,
}  # fmt: skip
_SCALES = {
    "hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
    "lakh": 100_000, "lakhs": 100_000, "lac": 100_000, "lacs": 100_000, "crore": 10_000_000,
    "crores": 10_000_000,
}  # fmt: skip
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
    "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
    "twentieth": 20, "thirtieth": 30,
}  # fmt: skip

_WORD = r"(?:" + "|".join(sorted({*_UNITS, *_SCALES} - {"a", "an"}, key=len, reverse=True)) + r")"
#: A run of number words ("one hundred and twenty-five thousand"), for use inside larger patterns.
NUMBER_WORDS = rf"(?:{_WORD}(?:[\s-]+(?:and[\s-]+)?{_WORD})*)"
_NUMBER_WORDS_RE = re.compile(rf"\b{NUMBER_WORDS}\b", re.IGNORECASE)


def words_to_number(text: str) -> int | None:
    """The integer a run of English number words spells, or None.

    >>> words_to_number("one hundred and twenty-five thousand")
    125000
    """
    tokens = [t for t in re.split(r"[\s-]+", text.lower().strip()) if t and t != "and"]
    if not tokens:
        return None
    total = 0
    current = 0
    seen = False
    for token in tokens:
        if token in _UNITS:
            current += _UNITS[token]
            seen = True
        elif token == "hundred":
            current = max(current, 1) * 100
            seen = True
        elif token in _SCALES:
            total += max(current, 1) * _SCALES[token]
            current = 0
            seen = True
        elif token in _ORDINALS:
            current += _ORDINALS[token]
            seen = True
        else:
            return None
    return total + current if seen else None


def find_number_words(text: str) -> list[tuple[int, int, int]]:
    """Every run of number words in ``text`` as (value, start, end)."""
    out: list[tuple[int, int, int]] = []
    for match in _NUMBER_WORDS_RE.finditer(text):
        value = words_to_number(match.group(0))
        if value is not None:
            out.append((value, match.start(), match.end()))
    return out


def ordinal_to_number(word: str) -> int | None:
    """1 for "first" / "1st", 21 for "twenty-first"."""
    word = word.lower().strip()
    digits = re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)?", word)
    if digits:
        return int(digits.group(1))
    parts = re.split(r"[\s-]+", word)
    if parts[-1] in _ORDINALS:
        head = words_to_number(" ".join(parts[:-1])) if len(parts) > 1 else 0
        return (head or 0) + _ORDINALS[parts[-1]]
    return None


__all__ = ["NUMBER_WORDS", "find_number_words", "ordinal_to_number", "words_to_number"]
