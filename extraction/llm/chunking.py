"""Split a long document into overlapping chunks that fit the model's input budget.

Chunks follow the document's structure: pages are cut into sections at
headings ("3. Fees", "ARTICLE 4", "Schedule B", an all-capitals line), a
section too long for the budget is cut at paragraphs, then lines, then
whitespace. Neighbouring chunks share whole sections up to the overlap
budget, so a clause that sits on a boundary is read whole at least once; the
backend de-duplicates what both chunks report.

Each chunk's text marks page starts with ``[page N]``; the model is asked to
name the page of each quote, which the locator tries first.

Tokens are estimated at about four characters each (no tokenizer download);
the estimate errs high for English prose, which keeps chunks within budget.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

CHARS_PER_TOKEN = 4

_HEADING = re.compile(
    r"""^[ \t]*(?:
        (?i:section|article|schedule|exhibit|appendix|annex|attachment)\b[^\n]{0,80}
      | \d{1,2}(?:\.\d{1,2})*\.?[ \t]+[A-Z][^\n]{0,80}
      | [A-Z][A-Z0-9 ,&/'()\-]{3,80}
    )[ \t]*$""",
    re.MULTILINE | re.VERBOSE,
)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


def estimate_tokens(text: str) -> int:
    """A cautious token count for ``text`` (about four characters a token)."""
    return math.ceil(len(text) / CHARS_PER_TOKEN)


@dataclass(frozen=True)
class Span:
    """``[start, end)`` of page ``page``'s text."""

    page: int
    start: int
    end: int


@dataclass(frozen=True)
class Chunk:
    """A part of the document sent in one request."""

    index: int
    spans: tuple[Span, ...]
    text: str

    @property
    def pages(self) -> tuple[int, ...]:
        return tuple(dict.fromkeys(span.page for span in self.spans))


def _section_starts(text: str) -> list[int]:
    return sorted({0, *(match.start() for match in _HEADING.finditer(text))})


def _split_to_fit(text: str, start: int, end: int, limit: int) -> list[tuple[int, int]]:
    """Cut ``text[start:end]`` into pieces of at most ``limit`` characters at the gentlest break."""
    if end - start <= limit:
        return [(start, end)]
    pieces: list[tuple[int, int]] = []
    position = start
    while end - position > limit:
        window = text[position : position + limit]
        cut = -1
        for pattern in ("\n\n", "\n", ". ", " "):
            found = window.rfind(pattern)
            if found > limit // 4:
                cut = found + len(pattern)
                break
        if cut <= 0:
            cut = limit
        pieces.append((position, position + cut))
        position += cut
    pieces.append((position, end))
    return pieces


def _units(pages: Iterable[tuple[int, str]], limit_chars: int) -> list[Span]:
    units: list[Span] = []
    for number, text in pages:
        if not text:
            continue
        starts = _section_starts(text)
        bounds = [*starts, len(text)]
        for section_start, section_end in itertools.pairwise(bounds):
            if section_end <= section_start:
                continue
            if section_end - section_start <= limit_chars:
                units.append(Span(number, section_start, section_end))
                continue
            # A long section: paragraphs first, each cut further only if it must be.
            paragraph_start = section_start
            breaks = [m.end() for m in _PARAGRAPH_BREAK.finditer(text, section_start, section_end)]
            for paragraph_end in [*breaks, section_end]:
                if paragraph_end <= paragraph_start:
                    continue
                pieces = _split_to_fit(text, paragraph_start, paragraph_end, limit_chars)
                units.extend(Span(number, piece_start, piece_end) for piece_start, piece_end in pieces)
                paragraph_start = paragraph_end
    return units


def _render(spans: Sequence[Span], page_texts: dict[int, str]) -> str:
    parts: list[str] = []
    previous: Span | None = None
    for span in spans:
        contiguous = previous is not None and previous.page == span.page and previous.end == span.start
        if not contiguous:
            parts.append(("\n\n" if parts else "") + f"[page {span.page}]\n")
        parts.append(page_texts[span.page][span.start : span.end])
        previous = span
    return "".join(parts)


def chunk_pages(pages: Sequence[tuple[int, str]], *, max_tokens: int, overlap_tokens: int = 0) -> list[Chunk]:
    """Overlapping chunks of the document, each within ``max_tokens``.

    Parameters
    ----------
    pages
        ``(page_number, page_text)`` pairs in reading order.
    max_tokens
        The input budget of one chunk (the prompt's own tokens not included).
    overlap_tokens
        Up to this many tokens of whole sections at the end of one chunk
        open the next.

    Returns
    -------
    list of Chunk
        In document order; empty when no page has text. Every character of
        every page is in at least one chunk.
    """
    if max_tokens <= 0:
        raise ValueError("max_tokens must be positive")
    page_texts = dict(pages)
    # Leave room for the [page N] markers the rendering adds.
    limit_chars = max(1, max_tokens * CHARS_PER_TOKEN - 64)
    overlap_chars = max(0, min(overlap_tokens * CHARS_PER_TOKEN, limit_chars // 2))
    units = _units(pages, limit_chars)
    chunks: list[Chunk] = []
    first = 0
    while first < len(units):
        last = first
        size = 0
        while last < len(units) and size + (units[last].end - units[last].start) <= limit_chars:
            size += units[last].end - units[last].start
            last += 1
        last = max(last, first + 1)  # a unit never exceeds the limit, but guarantee progress
        spans = tuple(units[first:last])
        chunks.append(Chunk(len(chunks), spans, _render(spans, page_texts)))
        if last >= len(units):
            break
        # Step back over whole units that fit the overlap, never back to this chunk's first unit,
        # and never so far that the next chunk would have no room for a unit of its own.
        room = min(overlap_chars, limit_chars - (units[last].end - units[last].start))
        next_first = last
        carried = 0
        while next_first - 1 > first:
            previous = units[next_first - 1]
            if carried + (previous.end - previous.start) > room:
                break
            next_first -= 1
            carried += previous.end - previous.start
        first = next_first
    return chunks


__all__ = ["CHARS_PER_TOKEN", "Chunk", "Span", "chunk_pages", "estimate_tokens"]
