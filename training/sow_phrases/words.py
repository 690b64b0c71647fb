"""Number words and the phrasing picker shared by the clause writers."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")

_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def number_words(n: int) -> str:
    """English words for ``0 <= n < 1_000_000`` ("forty-five", "one hundred twenty")."""
    if n < 0 or n >= 1_000_000:
        raise ValueError(f"number_words supports 0..999999, got {n}")
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + (f"-{_ONES[ones]}" if ones else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return f"{_ONES[hundreds]} hundred" + (f" {number_words(rest)}" if rest else "")
    thousands, rest = divmod(n, 1000)
    return f"{number_words(thousands)} thousand" + (f" {number_words(rest)}" if rest else "")


class Phraser:
    """Draws phrasings for one document.

    Train families draw only from the head (~70%) of every option list; held-out
    families prefer the tail, which no train family ever sees.
    """

    def __init__(self, rng: random.Random, *, held_out: bool) -> None:
        self.rng = rng
        self.held_out = held_out

    def pick(self, options: Sequence[T]) -> T:
        if len(options) == 1:
            return options[0]
        cut = max(1, math.ceil(len(options) * 0.7))
        if self.held_out:
            if cut < len(options) and self.rng.random() < 0.65:
                return self.rng.choice(options[cut:])
            return self.rng.choice(options)
        return self.rng.choice(options[:cut])

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def choice(self, options: Sequence[T]) -> T:
        """A plain uniform choice (values, not phrasings)."""
        return self.rng.choice(options)


def number_phrase(n: int, style: str) -> str:
    """Write ``n`` the way a drafting style does: ``words_digits`` → "thirty (30)"."""
    if style == "digits":
        return str(n)
    if style == "words":
        return number_words(n)
    if style == "digits_words":
        return f"{n} ({number_words(n)})"
    return f"{number_words(n)} ({n})"
