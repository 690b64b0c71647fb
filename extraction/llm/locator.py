"""Find a model's quote in the page text and turn it into offsets.

Models copy quotes imperfectly: curly quotes for straight ones, a line break
where the page has a space, a capital letter, a dropped comma. The locator
tries the quote exactly first, then in a normalised form in which case,
whitespace and punctuation do not count, and maps the match back to the
original text through an offset table built once per page.

Both searches are ``str.find`` scans, linear in the page length for each
quote; there is no pairwise comparison of positions. A match must start and
end on word boundaries, so "30 days" is not found inside "130 days".
"""

from __future__ import annotations

import functools
import unicodedata
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

# A quote shorter than this (normalised) could match almost anywhere.
MIN_QUOTE_CHARS = 4
# Occurrences tried per page before giving up on one that sits on word boundaries.
_MAX_CANDIDATES = 10_000


@dataclass(frozen=True)
class QuoteMatch:
    """Where a quote was found: ``page_text[start:end] == text``."""

    page: int
    start: int
    end: int
    text: str
    exact: bool


# Between two digits these group thousands or mark decimals; they are dropped, so a quote
# that writes "45000" matches a page that says "45,000".
_DIGIT_JOINERS = frozenset(",.'’")


@functools.lru_cache(maxsize=8192)
def _fold(char: str) -> str | None:
    """What one character becomes: its word pieces, "" for a separator, None to ignore it."""
    if unicodedata.category(char).startswith("M"):
        # Combining marks belong to the letter before them, so "é" matches whether
        # the page stores it composed or decomposed.
        return None
    if not char.isalnum():
        return ""
    # NFKD folds ligatures and full-width forms and splits accents off (dropped here, as
    # non-word pieces), so "café" matches "cafe"; casefold handles case. A character that
    # folds to no word pieces at all (a fraction slash) is a separator.
    return "".join(piece for piece in unicodedata.normalize("NFKD", char).casefold() if piece.isalnum())


def normalise(text: str) -> str:
    """The form quotes are compared in: case-folded words joined by single spaces.

    Parameters
    ----------
    text
        Any text.

    Returns
    -------
    str
        Letters and digits case-folded, without accents; a comma, period or
        apostrophe between two digits dropped ("45,000" is "45000"); every run of whitespace, punctuation
        and symbols becomes one space; no leading or trailing space.
    """
    return _NormalisedText.build(text).text


@dataclass
class _NormalisedText:
    """A normalised text and, for each of its characters, the original character it came from."""

    text: str
    origin: array[int] = field(repr=False)  # origin[i]: index in the original of normalised char i

    @classmethod
    def build(cls, original: str) -> _NormalisedText:
        out: list[str] = []
        origin: array[int] = array("l")
        separator_at = -1  # where the current run of separators began, -1 outside one
        last = len(original) - 1
        for index, char in enumerate(original):
            pieces = _fold(char)
            if pieces is None:
                continue
            if not pieces:
                if (
                    char in _DIGIT_JOINERS
                    and 0 < index < last
                    and original[index - 1].isdigit()
                    and original[index + 1].isdigit()
                ):
                    continue
                if out and separator_at < 0:
                    separator_at = index
                continue
            if separator_at >= 0:
                out.append(" ")
                origin.append(separator_at)
                separator_at = -1
            for piece in pieces:
                out.append(piece)
                origin.append(index)
        return cls("".join(out), origin)

    def starts_group(self, position: int) -> bool:
        return position == 0 or self.origin[position - 1] != self.origin[position]

    def ends_group(self, position: int) -> bool:
        """Whether normalised char ``position - 1`` is the last one its original char produced."""
        return position == len(self.text) or self.origin[position] != self.origin[position - 1]


def _is_word(char: str) -> bool:
    return char.isalnum()


def _find_exact(page_text: str, quote: str) -> tuple[int, int] | None:
    if not quote:
        return None
    position = page_text.find(quote)
    tried = 0
    while position != -1 and tried < _MAX_CANDIDATES:
        end = position + len(quote)
        left_ok = not _is_word(quote[0]) or position == 0 or not _is_word(page_text[position - 1])
        right_ok = not _is_word(quote[-1]) or end == len(page_text) or not _is_word(page_text[end])
        if left_ok and right_ok:
            return position, end
        tried += 1
        position = page_text.find(quote, position + 1)
    return None


class QuoteLocator:
    """Locates quotes in a document's pages; normalised pages are built once, on first need.

    Parameters
    ----------
    pages
        ``(page_number, page_text)`` pairs, page numbers 1-based.
    """

    def __init__(self, pages: Iterable[tuple[int, str]]) -> None:
        self._pages: dict[int, str] = dict(pages)
        self._normalised: dict[int, _NormalisedText] = {}

    @property
    def page_numbers(self) -> list[int]:
        return list(self._pages)

    def _normalised_page(self, number: int) -> _NormalisedText:
        cached = self._normalised.get(number)
        if cached is None:
            cached = self._normalised[number] = _NormalisedText.build(self._pages[number])
        return cached

    def _find_normalised(self, number: int, wanted: str) -> tuple[int, int] | None:
        page = self._normalised_page(number)
        haystack = page.text
        position = haystack.find(wanted)
        tried = 0
        while position != -1 and tried < _MAX_CANDIDATES:
            end = position + len(wanted)
            on_word_boundary = (position == 0 or haystack[position - 1] == " ") and (
                end == len(haystack) or haystack[end] == " "
            )
            # A match must cover whole original characters, or the slice would normalise differently.
            if on_word_boundary and page.starts_group(position) and page.ends_group(end):
                return page.origin[position], page.origin[end - 1] + 1
            tried += 1
            position = haystack.find(wanted, position + 1)
        return None

    def locate(self, quote: str, *, pages: Sequence[int] = ()) -> QuoteMatch | None:
        """Find ``quote``, trying ``pages`` first (in order), then every other page.

        Parameters
        ----------
        quote
            The text as the model quoted it.
        pages
            Page numbers to try first, e.g. the page the model named and the
            pages of the chunk it read.

        Returns
        -------
        QuoteMatch or None
            The first match, exact matches preferred over normalised ones;
            None when the quote is too short or is not in the document.
        """
        wanted = normalise(quote)
        if len(wanted) < MIN_QUOTE_CHARS:
            return None
        order = [p for p in dict.fromkeys(pages) if p in self._pages]
        order += [p for p in self._pages if p not in set(order)]
        stripped = quote.strip()
        for number in order:
            span = _find_exact(self._pages[number], stripped)
            if span is not None:
                return QuoteMatch(number, span[0], span[1], self._pages[number][span[0] : span[1]], True)
        for number in order:
            span = self._find_normalised(number, wanted)
            if span is not None:
                return QuoteMatch(number, span[0], span[1], self._pages[number][span[0] : span[1]], False)
        return None


__all__ = ["MIN_QUOTE_CHARS", "QuoteLocator", "QuoteMatch", "normalise"]
