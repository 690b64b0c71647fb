"""Recover tables from final page text.

Readers render a table row as one line whose cells are separated by a tab, a
pipe, or a run of two or more spaces (the PDF reader pads each cell to its
horizontal position, so cells line up in columns the way they did on the page).
Consecutive such lines form a table; a table that ends a page and one that
starts the next page with the same number of columns (after its header, when
the header is repeated) are one table continued across the page break, and so
are a table and the next page's first table when that one starts by repeating
the header row (footnotes or a footer may stand between them).

A short line of one cell set under a column of the rows beside it is the rest of a
cell that wrapped onto a line of its own; it does not end the table but goes to that
cell's ``continued``. That is how a row broken across a page break is read: the rest
of its cells opens the next page (under the repeated header, or alone) and is given
back to the previous page's last row, each part still a span of its own page.
"""

from __future__ import annotations

import re
from dataclasses import replace

from extraction.document import Page, Table, TableCell

_CELL_SPLIT = re.compile(r"\t+|\s*\|\s*| {2,}")
_RULE_LINE = re.compile(r"^[\s|:+\-=_]+$")
_DIGIT = re.compile(r"\d")
_DRAWN_RULE = re.compile(r"^\s*[-=_]{3,}[-=_+|\s]*$")


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


_Row = tuple[TableCell, ...]
# A cell's wrapped rest on a line of its own: short, one cell, starting in a column of a row.
_FRAGMENT_CHARS = 60
# Lines a page may set above a table continued from the page before ("Table 2 (continued)").
_CONTINUED_TITLE_LINES = 2
_LONG_CELL_CHARS = 1500


def _page_rows(page: Page) -> list[tuple[_Row | None, list[TableCell]]]:
    """Each non-blank line that is not a cell's rest, as ``(cells, rests)``; cells None for prose.

    A short single-cell line next to a row, starting in a column of a row beside it, is the
    rest of a cell that wrapped onto a line of its own (the PDF reader joins a cell's lines
    within a page, so this is mostly a row broken across a page break, or a note inside the
    table). It does not end the table: it is kept in ``rests`` of the line before it (of a
    placeholder ``(None, rests)`` at the top of the page, for the previous page's last row).
    """
    lines = page.text.split("\n")
    items: list[tuple[int, _Row | None, int]] = []  # (line index, cells or None, offset)
    offset = 0
    for index, line in enumerate(lines):
        if line.strip() and not _RULE_LINE.match(line):
            split = tuple(split_cells(page.number, line, offset))
            longest = max((len(c.text) for c in split), default=0)
            # A row of three or more cells may hold a long description; two cells of long
            # text are more likely prose that a wide gap split.
            is_row = len(split) >= 2 and (longest <= 120 or (len(split) >= 3 and longest <= _LONG_CELL_CHARS))
            items.append((index, split if is_row else None, offset))
        offset += len(line) + 1
    out: list[tuple[_Row | None, list[TableCell]]] = []
    for position, (index, cells, offset) in enumerate(items):
        if cells is None:
            line = lines[index]
            column = len(line) - len(line.lstrip())
            # The row above (past the rests already given to it) or the row below.
            above = out[-1][0] if out and out[-1][0] is not None else None
            below = items[position + 1][1] if position + 1 < len(items) else None
            neighbours = [row for row in (above, below) if row]
            at_top = bool(not out or (out[-1][0] is None and out[-1][1]))
            aligned = any(abs(c.column - column) <= 1 for row in neighbours for c in row or ())
            # In the first column only between two rows that touch it: a line there with a blank
            # line on either side is the next table's heading ("Schedule 2 - Brands"), not a rest.
            # Or right under the table's last row, closed by a rule ("Scientist" under "Senior
            # Environmental" in a plain-text table drawn between lines of dashes).
            touches_above = position > 0 and items[position - 1][0] == index - 1
            enclosed = above is not None and (
                (below is not None and touches_above and items[position + 1][0] == index + 1)
                or (touches_above and index + 1 < len(lines) and bool(_DRAWN_RULE.search(lines[index + 1])))
            )
            if (
                len(line.strip()) <= _FRAGMENT_CHARS
                and len(_CELL_SPLIT.split(line.strip())) == 1
                and (
                    (aligned and column > 0)
                    # In the first column only between two rows: a line there after a table
                    # is more likely the next heading.
                    or (column == 0 and enclosed and aligned)
                    # Padded under a column at the top of the page: the previous page's row goes on.
                    or (at_top and column > 0)
                )
            ):
                rest = split_cells(page.number, line, offset)
                if out and (out[-1][0] is not None or at_top):
                    out[-1][1].extend(rest)
                else:
                    out.append((None, list(rest)))
                continue
        out.append((cells, []))
    return out


def _attach(row: _Row, rests: list[TableCell]) -> _Row:
    """``row`` with each rest appended to the cell of its column (the nearest one left of it)."""
    cells = list(row)
    for rest in rests:
        at = max(
            (i for i, c in enumerate(cells) if c.column <= rest.column + 1),
            key=lambda i: cells[i].column,
            default=0,
        )
        cells[at] = replace(cells[at], continued=(*cells[at].continued, rest))
    return tuple(cells)


def find_tables(pages: list[Page]) -> list[Table]:
    """Tables of two or more rows, merged across page breaks.

    Parameters
    ----------
    pages
        The document's pages with their final text.

    Returns
    -------
    list of Table
        In reading order; ``header`` is empty when the first row has digits in it. A cell
        whose row breaks across a page break carries its rest in ``continued``.
    """
    # rows, lines of prose above it on its page, ends_page, rests carried to the row before the
    # block (the top of a page)
    blocks: list[tuple[list[_Row], int, bool, list[TableCell]]] = []
    for page in pages:
        line_rows = _page_rows(page)
        current: list[_Row] = []
        lead: list[TableCell] = []
        start_index = 0
        for position, (cells, rests) in enumerate(line_rows):
            if cells is None and rests and position == 0:
                lead = rests  # a cell's rest at the very top of the page
                if blocks and blocks[-1][2] and len(line_rows) == 1:
                    # Nothing but that rest on the page: it goes to the table that ended the last one.
                    blocks[-1][0][-1] = _attach(blocks[-1][0][-1], lead)
                continue
            if cells is not None:
                if not current:
                    start_index = position
                current.append(_attach(cells, rests) if rests else cells)
                continue
            if current:
                blocks.append((current, start_index - (1 if lead else 0), False, lead))
                current, lead = [], []
            elif lead and blocks and blocks[-1][2] and position == 1:
                blocks[-1][0][-1] = _attach(blocks[-1][0][-1], lead)
                lead = []
        if current:
            blocks.append((current, start_index - (1 if lead else 0), True, lead))

    tables: list[Table] = []
    pending: tuple[_Row, list[_Row]] | None = None
    previous_ended_page = False
    for rows, above, ends_page, lead in blocks:
        # A table goes on across a page break when it ended its page and the next page
        # starts with rows as wide; or, whatever stood below it (footnotes, a page's own
        # footer), when the next page starts by repeating its header row; or, when it ended its
        # page, the next page repeats its header under a line or two of its own ("SCHEDULE 2 -
        # HOURLY RATES (continued)").
        repeats = pending is not None and _repeats_header(pending, rows)
        continues = (
            pending is not None
            and rows[0][0].page > _last_page(pending)
            and _same_width(pending, rows)
            and (
                (above <= 0 and (previous_ended_page or repeats))
                or (above <= _CONTINUED_TITLE_LINES and previous_ended_page and repeats)
            )
        )
        if continues and pending is not None:
            header, body = pending
            carried = list(lead)
            if header and _same_texts(rows[0], header):
                # The rest of a cell broken across the page is drawn under the repeated header.
                carried.extend(c for cell in rows[0] for c in cell.continued)
                rows = rows[1:]
            if carried and body:
                body[-1] = _attach(body[-1], carried)
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


def _same_texts(row: _Row, header: _Row) -> bool:
    return [c.text.lower() for c in row] == [c.text.lower() for c in header]


def _repeats_header(pending: tuple[_Row, list[_Row]], rows: list[_Row]) -> bool:
    header = pending[0]
    return bool(header) and _same_texts(rows[0], header)


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
