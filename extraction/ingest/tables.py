"""Recover tables from final page text.

Readers render a table row as one line whose cells are separated by a tab, a
pipe, or a run of two or more spaces (the PDF reader pads each cell to its
horizontal position, so cells line up in columns the way they did on the page).
Consecutive such lines form a table; a table that ends a page and one that
starts the next page with the same number of columns (after its header, when
the header is repeated) are one table continued across the page break, and so
are a table and the next page's first table when that one starts by repeating
the header row (footnotes or a footer may stand between them).
"""

from __future__ import annotations

import re

from extraction.document import Page, Table, TableCell

_CELL_SPLIT = re.compile(r"\t+|\s*\|\s*| {2,}")
_RULE_LINE = re.compile(r"^[\s|:+\-=_]+$")
_DIGIT = re.compile(r"\d")


def split_cells(page: int, line: str, line_start: int) -> list[TableCell]:
    """Cells of one line (offsets into the page text); a line of prose gives one cell."""
    cells: list[TableCell] = []
    position = 0
    for match in [*_CELL_SPLIT.finditer(line), None]:
        end = match.start() if match else len(line)
        raw = line[position:end]
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            start = line_start + position + lead
            cells.append(
                TableCell(
                    page=page, start=start, end=start + len(stripped), text=stripped, column=position + lead
                )
            )
        if match:
            position = match.end()
    return cells


def _looks_like_header(cells: tuple[TableCell, ...]) -> bool:
    return not any(_DIGIT.search(c.text) for c in cells) and all(len(c.text) <= 40 for c in cells)


def _page_rows(page: Page) -> list[tuple[int, tuple[TableCell, ...] | None]]:
    """Each non-blank line as (index, cells) where cells is None for a line that is not a row.

    A short single-cell line between two rows, starting in a column of the row above,
    is the rest of a cell wrapped across a page break or a note inside the table: it
    is left out of the rows without ending the table.
    """
    rows: list[tuple[int, tuple[TableCell, ...] | None]] = []
    offset = 0
    lines = page.text.split("\n")
    for index, line in enumerate(lines):
        if line.strip() and not _RULE_LINE.match(line):
            split = tuple(split_cells(page.number, line, offset))
            is_row = len(split) >= 2 and max(len(c.text) for c in split) <= 120
            rows.append((index, split if is_row else None))
        offset += len(line) + 1
    kept: list[tuple[int, tuple[TableCell, ...] | None]] = []
    for position, (index, cells) in enumerate(rows):
        if cells is None and 0 < position < len(rows) - 1 and kept and kept[-1][1] is not None:
            above: tuple[TableCell, ...] = kept[-1][1] or ()
            below = rows[position + 1][1]
            line = lines[index]
            column = len(line) - len(line.lstrip())
            if (
                below is not None
                and len(line.strip()) <= 40
                and len(_CELL_SPLIT.split(line.strip())) == 1
                and any(c.column == column for c in above)
            ):
                continue
        kept.append((index, cells))
    return kept


def find_tables(pages: list[Page]) -> list[Table]:
    """Tables of two or more rows, merged across page breaks.

    Parameters
    ----------
    pages
        The document's pages with their final text.

    Returns
    -------
    list of Table
        In reading order; ``header`` is empty when the first row has digits in it.
    """
    blocks: list[tuple[list[tuple[TableCell, ...]], bool, bool]] = []  # rows, starts_page, ends_page
    for page in pages:
        line_rows = _page_rows(page)
        current: list[tuple[TableCell, ...]] = []
        start_index = 0
        for position, (_, cells) in enumerate(line_rows):
            if cells is not None:
                if not current:
                    start_index = position
                current.append(cells)
                continue
            if current:
                blocks.append((current, start_index == 0, False))
                current = []
        if current:
            blocks.append((current, start_index == 0, True))

    tables: list[Table] = []
    pending: tuple[tuple[TableCell, ...], list[tuple[TableCell, ...]]] | None = None
    previous_ended_page = False
    for rows, starts_page, ends_page in blocks:
        # A table goes on across a page break when it ended its page and the next page
        # starts with rows as wide; or, whatever stood below it (footnotes, a page's own
        # footer), when the next page starts by repeating its header row.
        continues = (
            pending is not None
            and starts_page
            and rows[0][0].page > _last_page(pending)
            and _same_width(pending, rows)
            and (previous_ended_page or _repeats_header(pending, rows))
        )
        if continues and pending is not None:
            header, body = pending
            if header and [c.text.lower() for c in rows[0]] == [c.text.lower() for c in header]:
                rows = rows[1:]
            body.extend(rows)
        else:
            if pending is not None:
                tables.extend(_emit(*pending))
            header = rows[0] if _looks_like_header(rows[0]) else ()
            pending = (header, list(rows[1:] if header else rows))
        previous_ended_page = ends_page
    if pending is not None:
        tables.extend(_emit(*pending))
    return tables


def _repeats_header(
    pending: tuple[tuple[TableCell, ...], list[tuple[TableCell, ...]]], rows: list[tuple[TableCell, ...]]
) -> bool:
    header = pending[0]
    return bool(header) and [c.text.lower() for c in rows[0]] == [c.text.lower() for c in header]


def _last_page(pending: tuple[tuple[TableCell, ...], list[tuple[TableCell, ...]]]) -> int:
    header, body = pending
    return body[-1][0].page if body else header[0].page


def _same_width(pending: tuple[tuple[TableCell, ...], list[tuple[TableCell, ...]]], rows: list) -> bool:
    header, body = pending
    width = len(header) if header else max((len(r) for r in body), default=0)
    return abs(max(len(r) for r in rows) - width) <= 1


def _emit(header: tuple[TableCell, ...], body: list[tuple[TableCell, ...]]) -> list[Table]:
    if len(body) + (1 if header else 0) < 2 or not body:
        return []
    return [Table(header=header, rows=tuple(body))]


__all__ = ["find_tables", "split_cells"]
