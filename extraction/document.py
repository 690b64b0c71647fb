"""A document as pages of final text, and the one way to point into it.

Ingestion (:mod:`extraction.ingest`) does all normalisation before a
:class:`Page` is built, so a page's ``text`` is fixed and every offset anyone
computes indexes it. Evidence is only ever made by :meth:`Document.evidence`
(or :meth:`Document.evidence_for_span` across pages), which slices the page
text, so ``page.text[start:end] == quote`` holds by construction.

``Document.text`` is the pages joined by :data:`PAGE_SEPARATOR`; analysers that
prefer one string work in those *global* offsets and convert back with
:meth:`Document.locate` / :meth:`Document.evidence_for_span`.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from functools import cached_property

from extraction.schemas import DocumentInfo, Evidence, PageText

# A form feed on a line of its own: a regex over the joined text sees a page
# break as a blank-ish line, and "\f" never occurs inside a page's text.
PAGE_SEPARATOR = "\n\f\n"


@dataclass(frozen=True)
class Page:
    """One page: 1-based ``number`` and its final ``text``."""

    number: int
    text: str


@dataclass(frozen=True)
class TableCell:
    """One cell of a recovered table: a span of a page's text."""

    page: int
    start: int
    end: int
    text: str
    column: int = 0
    """Character column of the cell within its line (cells of one column line up)."""
    continued: tuple[TableCell, ...] = ()
    """The rest of the cell where it wraps past its own line: on the next page when its row
    breaks across a page break ("Forecasting service in" / "production"). ``text`` stays
    the span ``[start, end)`` of ``page``; :attr:`full_text` is the whole cell."""

    @property
    def full_text(self) -> str:
        """The cell's text with its continued parts, joined by a space."""
        return " ".join([self.text, *(part.text for part in self.continued)])


@dataclass(frozen=True)
class Table:
    """A table recovered from the page layout; rows may continue across pages.

    ``header`` holds the header cells (empty when none was recognised); each
    row holds its cells left to right.
    """

    header: tuple[TableCell, ...]
    rows: tuple[tuple[TableCell, ...], ...]

    @property
    def pages(self) -> tuple[int, ...]:
        seen = {c.page for row in self.rows for c in row} | {c.page for c in self.header}
        return tuple(sorted(seen))


@dataclass
class Document:
    """Pages of text plus what is known about the file they came from."""

    pages: list[Page]
    info: DocumentInfo
    warnings: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)

    @cached_property
    def text(self) -> str:
        """All pages joined by :data:`PAGE_SEPARATOR`."""
        return PAGE_SEPARATOR.join(p.text for p in self.pages)

    @cached_property
    def page_offsets(self) -> list[int]:
        """The global offset at which each page's text starts in :attr:`text`."""
        offsets: list[int] = []
        position = 0
        for page in self.pages:
            offsets.append(position)
            position += len(page.text) + len(PAGE_SEPARATOR)
        return offsets

    def page(self, number: int) -> Page:
        if not 1 <= number <= len(self.pages):
            raise IndexError(f"page {number} is outside 1..{len(self.pages)}")
        return self.pages[number - 1]

    def evidence(self, page: int, start: int, end: int) -> Evidence:
        """Evidence for ``[start, end)`` of page ``page`` (1-based), quoting the page text.

        Parameters
        ----------
        page
            1-based page number.
        start, end
            Character offsets into that page's text; clamped to the page.

        Returns
        -------
        Evidence
            With ``quote == page_text[start:end]``.
        """
        text = self.page(page).text
        start = max(0, min(start, len(text)))
        end = max(start, min(end, len(text)))
        return Evidence(page=page, start=start, end=end, quote=text[start:end])

    def locate(self, offset: int) -> tuple[int, int]:
        """Map a global offset in :attr:`text` to ``(page_number, offset_in_page)``.

        An offset inside a separator maps to the end of the page before it.
        """
        index = max(0, bisect.bisect_right(self.page_offsets, offset) - 1)
        local = offset - self.page_offsets[index]
        return index + 1, min(local, len(self.pages[index].text))

    def evidence_for_span(self, start: int, end: int, *, strip: bool = True) -> list[Evidence]:
        """Evidence for a global span, one item per page it touches.

        Parameters
        ----------
        start, end
            Global offsets into :attr:`text`.
        strip
            Trim surrounding whitespace from each quote (offsets move with it).

        Returns
        -------
        list of Evidence
            Empty when the span holds only whitespace.
        """
        if not self.pages or end <= start:
            return []
        first_page, first_local = self.locate(start)
        last_page, last_local = self.locate(end)
        out: list[Evidence] = []
        for number in range(first_page, last_page + 1):
            text = self.pages[number - 1].text
            s = first_local if number == first_page else 0
            e = last_local if number == last_page else len(text)
            if strip:
                while s < e and text[s].isspace():
                    s += 1
                while e > s and text[e - 1].isspace():
                    e -= 1
            if e > s:
                out.append(self.evidence(number, s, e))
        return out

    def page_texts(self) -> list[PageText]:
        return [PageText(number=p.number, text=p.text) for p in self.pages]


__all__ = ["PAGE_SEPARATOR", "Document", "Page", "Table", "TableCell"]
