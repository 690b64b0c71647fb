"""Rebuild a PDF page's lines and table rows from pypdf's text fragments and their geometry.

pypdf's ``extract_text`` decides the reading order and where lines break; we keep
that. What it does not tell us is how far apart two pieces of text on one line
are: it joins them with a single space whether they are two words or two table
cells 150 points apart, and it puts a space before a hyphen that a word processor
drew as its own piece ("ma -" / "terial"). So while pypdf runs, a second visitor
(:class:`TextGeometry`) follows the text-showing operators and measures where each
piece of text ends, from the font's glyph widths, the font size, character and
word spacing, horizontal scaling and ``TJ`` adjustments. With both ends known:

- two pieces closer than a fraction of a space are one word (no space);
- pieces a normal gap apart are joined by one space;
- pieces more than about an em apart are separate *cells*; a line of two or more
  cells is rendered with each cell padded to its horizontal position, which
  :mod:`extraction.ingest.tables` reads back as a table row.

Table cells that wrap inside their cell are drawn by most word processors cell
by cell: the first cell's lines, then the second cell on the row's baseline
again. A line that returns to the baseline of a line a few lines up (and to its
right) is that row's next cell; the lines it jumped over, when each starts where
a cell of the row starts, are the wrapped rest of those cells, and their text is
appended to the cell. The row then reads as one line, cells in order.

Text drawn a quarter turn (a landscape table on a page whose content stream is
rotated, a sideways margin note) is measured in its own frame: positions are turned
so that its baseline runs left to right, and cells are found the same way. When a
piece's end cannot be measured (a font we cannot read, text inside a form XObject,
skewed text), pypdf's own spacing is kept.

Marked content with an ``/ActualText`` (Chromium draws a soft hyphen as a space
glyph inside a span whose actual text is U+00AD) is read as that actual text: the
visitor replaces the operands of the first text-showing operator in the span before
pypdf decodes them, and empties the rest.

The visitor also records the images the page draws (image XObjects, at the size
the current matrix gives them), so that a page whose text sits beside a picture of
a table or a scan can be named in a warning.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass, field
from typing import Any

# Points per character column when padding table cells to their x position.
COLUMN_POINTS = 4.5
_SAME_BASELINE = 2.5
# Gaps in ems of the font size: below _JOIN the pieces are one word; above _CELL a new cell.
_JOIN_EM = 0.12
_CELL_EM = 1.0
_CELL_MIN_POINTS = 7.0
# A list label's text starts at the next tab stop; a number much further left of its text is a
# table's first column ("2" under "Stage", the deliverable three inches to its right).
_LABEL_MAX_EM = 6.0
# How far up (lines, and line heights) a row's next cell may return to the row's baseline:
# a description cell may wrap over most of a page.
_LOOK_BACK = 60
_ROW_DEPTH_LINES = 60
_NEAR_LINES = 8
# The lines above which a page may still hold the rest of the previous page's last row.
_OPENING_LINES = 3
# The longest first cell ("M10", "D2.1", "CLIN 0001") told apart from its row by the columns.
_SHORT_LABEL_CHARS = 9
# Where, among the columns carried from page to page, the rows' left edge is kept.
_LEFT_KEY = -(10**9)
# A single "cell" that would gather this much text from the lines below it is a column of
# prose (two-column terms drawn column by column), not a table cell wrapping.
_COLUMN_PROSE_CHARS = 160
_HYPHENS = ("-", "\u2010", "\u00ad")
SOFT_HYPHEN = "\u00ad"
_MANY_SPACES = re.compile(r" {3,}")
# A list or heading label set off by a tab ("(a)", "1.2", "iv.", "•", "Section 4"): its text
# follows on the same line as one paragraph, not as a table cell. Word's bullets come out of
# its Symbol and Wingdings fonts as private-use characters (U+F0B7 is the round bullet).
_LIST_LABEL = re.compile(
    r"^(?:\(?\d{1,3}(?:\.\d{1,3})*[.)]?|\(?[A-Za-z]{1,4}[.)]|\([A-Za-z0-9]{1,4}\)|[•·▪‣◦●■–\-\uf020-\uf0ff]"
    r"|(?:section|article|clause)\s+[\dIVXLC]+(?:\.\d+)*\.?)$",
    re.IGNORECASE,
)

_PdfFont: Any
try:  # pypdf's font model gives glyph widths keyed by character code
    from pypdf.generic._font import Font as _PdfFont
except ImportError:  # pragma: no cover - another pypdf layout; geometry falls back to pypdf's spacing
    _PdfFont = None
_ArrayObject: Any
_decode_pdfdoc: Any
try:  # pypdf shows a TJ operand only when it is its ArrayObject
    from pypdf.generic import ArrayObject as _ArrayObject
except ImportError:  # pragma: no cover
    _ArrayObject = None
try:
    from pypdf.generic._utils import decode_pdfdocencoding as _decode_pdfdoc
except ImportError:  # pragma: no cover - latin-1 is PDFDocEncoding for the printable ASCII range
    _decode_pdfdoc = None


def quarter_turn(dx: float, dy: float) -> int | None:
    """How many quarter turns (anticlockwise) text running along ``(dx, dy)`` is rotated; None if skewed."""
    if abs(dy) <= 1e-3 * abs(dx):
        return 0 if dx > 0 else 2
    if abs(dx) <= 1e-3 * abs(dy):
        return 1 if dy > 0 else 3
    return None


def to_text_frame(turn: int, x: float, y: float) -> tuple[float, float]:
    """A point in the frame of text rotated ``turn`` quarter turns, where its baseline runs along +x."""
    if turn == 1:
        return y, -x
    if turn == 2:
        return -x, -y
    if turn == 3:
        return -y, x
    return x, y


_TEXT_SHOWING = (b"Tj", b"TJ", b"'", b'"')


@dataclass
class _FontWidths:
    widths: dict[str, float]
    default: float
    two_byte: bool


class TextGeometry:
    """Operator visitor measuring the horizontal extent of every text-showing operator.

    ``spans`` maps a rounded baseline ``y`` to ``(start_x, end_x)`` pairs in page
    space. One instance per page; the font cache may be shared across pages.
    """

    def __init__(
        self,
        page_fonts: dict[str, Any],
        cache: dict[int, _FontWidths | None],
        *,
        images: dict[str, Any] | None = None,
    ) -> None:
        self._page_fonts = page_fonts
        self._cache = cache
        self._images = images or {}
        self.drawn_images: list[tuple[Any, float]] = []
        """(image key, page-space area) of each image the page draws itself."""
        # One entry per open marked-content span: [actual text, already shown] or None.
        self._marked: list[list[Any] | None] = []
        self.spans: dict[int, list[tuple[float, float]]] = {}
        self._font: _FontWidths | None = None
        self._size = 0.0
        self._char_space = 0.0
        self._word_space = 0.0
        self._scale = 1.0
        self._stack: list[tuple[_FontWidths | None, float, float, float, float]] = []
        self._depth = 0
        self._last_key: tuple[float, ...] | None = None
        self._pen = 0.0

    def _widths(self, name: Any) -> _FontWidths | None:
        font_ref = self._page_fonts.get(name) if self._depth == 0 else None
        if font_ref is None or _PdfFont is None:
            return None
        try:
            font_dict = font_ref.get_object()
        except Exception:  # a broken font object only costs us its geometry
            return None
        key = id(font_dict)
        if key not in self._cache:
            try:
                font = _PdfFont.from_font_resource(font_dict)
                self._cache[key] = _FontWidths(
                    widths=dict(font.character_widths),
                    default=float(font.character_widths.get("default", 500)),
                    two_byte=str(font_dict.get("/Subtype")) == "/Type0",
                )
            except Exception:
                self._cache[key] = None
        return self._cache[key]

    def _advance(self, string: Any, font: _FontWidths) -> float:
        raw = string.get_original_bytes() if hasattr(string, "get_original_bytes") else string
        if isinstance(raw, str):
            raw = raw.encode("latin-1", "replace")
        size, widths, default = self._size, font.widths, font.default
        total = 0.0
        if font.two_byte:
            for i in range(0, len(raw) - 1, 2):
                total += widths.get(chr(raw[i] << 8 | raw[i + 1]), default) * size / 1000 + self._char_space
        else:
            for code in raw:
                total += widths.get(chr(code), default) * size / 1000 + self._char_space
                if code == 32:
                    total += self._word_space
        return total

    def before(self, operator: bytes, operands: list[Any], cm: Any, tm: Any) -> None:
        if operator in (b"Tj", b"TJ"):
            self._show(operator, operands, cm, tm)
        if operator in _TEXT_SHOWING:
            self._use_actual_text(operator, operands)
        if operator == b"BDC":
            self._marked.append(_actual_text(operands))
        elif operator == b"BMC":
            self._marked.append(None)
        elif operator == b"EMC":
            if self._marked:
                self._marked.pop()
        elif operator == b"Tf" and len(operands) >= 2:
            self._font = self._widths(operands[0])
            self._size = _number(operands[1], self._size)
        elif operator == b"Tc" and operands:
            self._char_space = _number(operands[0], 0.0)
        elif operator == b"Tw" and operands:
            self._word_space = _number(operands[0], 0.0)
        elif operator == b"Tz" and operands:
            self._scale = _number(operands[0], 100.0) / 100
        elif operator == b"q":
            self._stack.append((self._font, self._size, self._char_space, self._word_space, self._scale))
        elif operator == b"Q" and self._stack:
            self._font, self._size, self._char_space, self._word_space, self._scale = self._stack.pop()
        elif operator == b"Do":
            if not self._depth and operands and str(operands[0]) in self._images:
                area = abs(float(cm[0]) * float(cm[3]) - float(cm[1]) * float(cm[2]))
                self.drawn_images.append((self._images[str(operands[0])], area))
            self._depth += 1
            self._last_key = None
        elif operator in (b"BT", b"'", b'"'):
            self._last_key = None

    def _use_actual_text(self, operator: bytes, operands: list[Any]) -> None:
        span = next((m for m in self._marked if m is not None), None)
        if span is None or not operands:
            return
        shown = "" if span[1] else span[0]
        span[1] = True
        # pypdf takes a str operand as text as it stands (bytes are decoded with the font).
        if operator == b"TJ":
            operands[0] = _ArrayObject([shown]) if _ArrayObject is not None else [shown]
        elif operator == b'"':
            if len(operands) >= 3:
                operands[2] = shown
        else:
            operands[0] = shown

    def after(self, operator: bytes, operands: list[Any], cm: Any, tm: Any) -> None:
        if operator == b"Do":
            self._depth = max(0, self._depth - 1)
            self._last_key = None

    def _show(self, operator: bytes, operands: list[Any], cm: Any, tm: Any) -> None:
        font = self._font
        if font is None or self._depth or not operands:
            self._last_key = None
            return
        m0 = tm[0] * cm[0] + tm[1] * cm[2]
        m1 = tm[0] * cm[1] + tm[1] * cm[3]
        turn = quarter_turn(float(m0), float(m1))
        if turn is None:  # skewed text: no geometry
            self._last_key = None
            return
        x, y = to_text_frame(
            turn,
            float(tm[4] * cm[0] + tm[5] * cm[2] + cm[4]),
            float(tm[4] * cm[1] + tm[5] * cm[3] + cm[5]),
        )
        key = (*tm, *cm)
        # pypdf does not move the text matrix after showing text, so consecutive
        # operators at the same matrix continue from where the last one ended.
        start = self._pen if key == self._last_key else x
        scale = math.hypot(m0, m1) * self._scale
        spans = self.spans.setdefault(round(float(y)), [])
        advance = 0.0
        if operator == b"Tj":
            advance = self._advance(operands[0], font)
            spans.append((float(start), float(start + advance * scale)))
        else:
            # Each string of a TJ array is a span of its own: a producer may set a whole table
            # row in one TJ, moving from cell to cell with large adjustments between strings.
            for item in operands[0] if isinstance(operands[0], list) else []:
                if isinstance(item, (int, float)):
                    advance -= float(item) / 1000 * self._size
                elif isinstance(item, (str, bytes)):
                    before = advance
                    advance += self._advance(item, font)
                    spans.append((float(start + before * scale), float(start + advance * scale)))
        end = start + advance * scale
        self._last_key = key
        self._pen = end

    def end_of(self, x: float, y: float, limit: float) -> float | None:
        """Where the text that starts at ``(x, y)`` ends, looking no further right than ``limit``."""
        best: float | None = None
        base = round(y)
        for key in (base, base - 1, base + 1):
            for start, end in self.spans.get(key, ()):
                if x - 0.5 <= start < limit - 0.01 and (best is None or end > best):
                    best = end
        return best


def _actual_text(operands: list[Any]) -> list[Any] | None:
    properties: Any = operands[1] if len(operands) >= 2 else None
    try:
        properties = properties.get_object() if hasattr(properties, "get_object") else properties
        actual = properties.get("/ActualText") if hasattr(properties, "get") else None
    except Exception:  # a broken property list is just an unlabelled span
        return None
    return None if actual is None else [_text_string(actual), False]


def _text_string(value: Any) -> str:
    """A PDF text string: UTF-16BE or UTF-8 after their byte-order marks, else PDFDocEncoding."""
    if isinstance(value, str):
        return str(value)
    raw = bytes(value)
    if raw.startswith(b"\xfe\xff"):
        return raw[2:].decode("utf-16-be", "replace")
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", "replace")
    if _decode_pdfdoc is not None:
        try:
            return str(_decode_pdfdoc(raw))
        except Exception:  # a byte PDFDocEncoding leaves undefined
            pass
    return raw.decode("latin-1")


def _number(value: Any, default: float) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


@dataclass
class _Piece:
    x: float
    y: float
    text: str
    size: float
    spaced: bool = False  # pypdf put a space before it
    drawn_space: bool = False  # the PDF drew a space (or a no-break space) of its own before it


@dataclass
class _Cell:
    x: float
    text: str
    # (x, offset in text) of each later piece joined to this cell as the next word.
    joints: list[tuple[float, int]] = field(default_factory=list)
    # The joint after a list label ("1", "No.") the cell starts with, if it does.
    label_at: tuple[float, int] | None = None


@dataclass
class _Line:
    y: float | None = None
    size: float = 10.0
    pieces: list[_Piece] = field(default_factory=list)
    cells: list[_Cell] = field(default_factory=list)
    wrapped_ys: list[float] = field(default_factory=list)

    @property
    def x(self) -> float | None:
        return self.cells[0].x if self.cells else None

    @property
    def text(self) -> str:
        return " ".join(c.text for c in self.cells)


def _tidy_piece(text: str) -> str:
    # pypdf adds a space for a TJ gap after a space that is already there ("Each  deliverable"
    # in justified text); a run of three or more is kept (text laid out with spaces).
    if "  " in text and not _MANY_SPACES.search(text):
        text = text.replace("  ", " ")
    return text


def _cells_of(line: _Line, geometry: TextGeometry | None) -> list[_Cell]:
    cells: list[_Cell] = []
    previous: _Piece | None = None
    last = max((i for i, p in enumerate(line.pieces) if p.text.strip()), default=-1)
    for index, piece in enumerate(line.pieces):
        text = _tidy_piece(piece.text)
        if previous is None or not cells:
            if text.strip():
                cells.append(_Cell(piece.x, text.lstrip()))
                previous = piece
            continue
        end = geometry.end_of(previous.x, previous.y, piece.x) if geometry else None
        current = cells[-1]
        if end is None:
            current.text += (" " if piece.spaced and not current.text.endswith(" ") else "") + text
        else:
            gap = piece.x - end
            em = max(previous.size, piece.size, 1.0)
            lone_hyphen = text.strip() in _HYPHENS
            label = len(cells) == 1 and bool(_LIST_LABEL.match(current.text.strip()))
            if label and _JOIN_EM * em < gap <= _LABEL_MAX_EM * em:
                current.text = current.text.rstrip() + " "
                current.joints.append((piece.x, len(current.text)))
                current.label_at = current.joints[-1]
                current.text += text.lstrip()
            elif gap > max(_CELL_EM * em, _CELL_MIN_POINTS) and not lone_hyphen and text.strip():
                cells.append(_Cell(piece.x, text.strip()))
            elif (gap > _JOIN_EM * em or piece.drawn_space) and not lone_hyphen:
                joint = "" if current.text.endswith(" ") or text.startswith(" ") else " "
                current.text += joint + text
                current.joints.append((piece.x, len(current.text) - len(text)))
            else:
                if text.startswith(" ") and not lone_hyphen:
                    current.joints.append((piece.x, len(current.text) + 1))
                if lone_hyphen and index == last and current.text.rstrip()[-1:].isalpha():
                    # The word processor drew its hyphenation as a piece of its own: a soft
                    # hyphen says so, and the word is joined whatever the words around it.
                    text = SOFT_HYPHEN
                current.text = (current.text.rstrip() if lone_hyphen else current.text) + text
        previous = piece
    if len(cells) >= 2 and cells[0].label_at is not None:
        # A "label" with more cells after its text is a narrow first column ("No." over
        # "1", "2"), not a list item: a list item's text runs on as one paragraph.
        x, at = cells[0].label_at
        head = cells[0]
        rest = _Cell(x, head.text[at:], [(jx, ja - at) for jx, ja in head.joints if ja > at])
        cells[0:1] = [_Cell(head.x, head.text[:at]), rest]
    for cell in cells:
        cell.text = cell.text.strip() if len(cells) > 1 else cell.text.rstrip()
    return [c for c in cells if c.text] or ([_Cell(cells[0].x, "")] if cells else [])


def _join_wrapped(head: str, tail: str) -> str:
    if head.endswith(SOFT_HYPHEN) or (
        head.endswith(("-", "\u2010")) and head[-2:-1].islower() and tail[:1].islower()
    ):
        return head[:-1] + tail
    return f"{head} {tail}"


def _aligned_cell(row: _Line, x: float) -> _Cell | None:
    for cell in row.cells:
        if abs(cell.x - x) <= 2.0:
            return cell
    return None


def _absorb_wrapped(row: _Line, lines: list[_Line], incoming: _Line) -> bool:
    """Give ``lines``, jumped over by ``incoming`` on its way back to ``row``'s baseline, to their cells.

    A line below the row that starts where one of the row's cells starts is the wrapped
    rest of that cell. A line above the row, at the x where ``incoming`` starts, is the
    beginning of the cell ``incoming`` ends: the producer aligns its cells to the bottom
    of the row (reportlab's default), so a wrapped cell's last line sits on the row's
    baseline and its earlier lines above it.
    """
    targets: list[tuple[_Cell, _Line]] = []
    heads: list[_Line] = []
    depth = _ROW_DEPTH_LINES if len(row.cells) >= 2 else _NEAR_LINES
    for line in lines:
        if line.y is None or row.y is None or not line.text.strip():
            continue
        if len(line.cells) != 1:
            return False
        if (
            incoming.x is not None
            and abs(line.cells[0].x - incoming.x) <= 2.0
            and 0.3 * row.size < line.y - row.y < depth * row.size
            and not targets
        ):
            heads.append(line)
            continue
        if not 0.3 * row.size < row.y - line.y < depth * row.size or heads:
            return False
        cell = _aligned_cell(row, line.cells[0].x)
        if cell is None:
            return False
        targets.append((cell, line))
    for cell, line in targets:
        cell.text = _join_wrapped(cell.text, line.cells[0].text)
        if line.y is not None:
            row.wrapped_ys.append(line.y)
    if heads:
        text = heads[0].cells[0].text
        for line in [*heads[1:], incoming]:
            text = _join_wrapped(text, line.cells[0].text)
        incoming.cells[0].text = text
    return True


def assemble_lines(
    fragments: list[tuple[str, float, float, float, bool]],
    geometry: TextGeometry | None,
    *,
    columns: dict[int, int] | None = None,
    notes: list[str] | None = None,
) -> list[str]:
    """Page lines from pypdf's fragments ``(text, x, y, font_size, synthetic)``.

    ``synthetic`` marks the spaces and newlines pypdf inserts itself (no font); a
    piece of only spaces, inserted or drawn, is treated as the gap it stands for.
    ``columns`` carries, from page to page, the x (rounded) at which the previous page's
    rows start their second cell (with how many rows do) and their left edge, and is
    updated to this page's: a table continued on a page whose only row is its (centred)
    header still knows its columns, and the rest of a row broken across the page break
    is set under the column it belongs to. ``notes``, when given, receives the page's
    footnote lines as rendered (see :func:`footnote_block`).
    """
    lines: list[_Line] = []
    current = _Line()
    pending_space = drawn = False
    for text, x, y, size, synthetic in fragments:
        pieces = text.split("\n")
        for index, piece in enumerate(pieces):
            if index > 0:
                lines.append(current)
                current = _Line()
                pending_space = drawn = False
            if not piece:
                continue
            if not piece.strip():
                pending_space = True
                drawn = drawn or not synthetic
                continue
            if current.y is None:
                current.y, current.size = y, size
            current.pieces.append(_Piece(x, y, piece, size, spaced=pending_space, drawn_space=drawn))
            pending_space = drawn = False
    lines.append(current)
    for line in lines:
        line.cells = _cells_of(line, geometry)
    carried = columns if columns is not None else {}
    previous_columns = dict(carried)
    _split_short_first_cells(lines, carried)

    merged: list[_Line] = []
    for line in lines:
        if line.y is not None and line.text.strip() and _merge_into_row(merged, line):
            continue
        merged.append(line)
    _split_at_columns(merged)
    carried.clear()
    rows = [line for line in merged if len(line.cells) >= 2]
    for row in rows:
        x = round(row.cells[1].x)
        carried[x] = carried.get(x, 0) + 1
    if rows:
        carried[_LEFT_KEY] = round(min(row.cells[0].x for row in rows))
    rendered = _render(merged, previous_columns)
    if notes is not None:
        notes.extend(rendered[i] for i in footnote_block(merged))
    breaks = _paragraph_breaks(merged)
    out: list[str] = []
    for index, text in enumerate(rendered):
        if index in breaks and out and out[-1].strip():
            out.append("")
        out.append(text)
    return out


# A gap this much wider than the page's usual line pitch is space between paragraphs.
_PARAGRAPH_GAP = 1.45


def _paragraph_breaks(lines: list[_Line]) -> set[int]:
    """Indexes of the lines that start a paragraph after a wider gap than the line pitch.

    pypdf puts no blank line between paragraphs; a word processor leaves space there
    (space before or after, or an empty paragraph). The pitch is the most common gap
    between consecutive lines of text going down the page; a line further below the
    line before it than about one and a half times that starts a new paragraph. A line
    above the one before (the next column, a cell drawn after its row) starts none.
    """
    filled = [(i, line) for i, line in enumerate(lines) if line.y is not None and line.text.strip()]
    gaps: dict[float, int] = {}
    for (_, above), (_, below) in itertools.pairwise(filled):
        assert above.y is not None and below.y is not None
        gap = above.y - below.y
        if 0.5 * above.size < gap < 3 * max(above.size, 1.0):
            key = round(gap * 2) / 2
            gaps[key] = gaps.get(key, 0) + 1
    if sum(gaps.values()) < 3:
        return set()
    pitch = max(gaps, key=lambda k: (gaps[k], -k))
    breaks: set[int] = set()
    for (_, above), (index, below) in itertools.pairwise(filled):
        assert above.y is not None and below.y is not None
        gap = above.y - below.y
        if len(above.cells) >= 2 and len(below.cells) >= 2:
            continue  # the rows of a table stay one block, however far apart
        if gap > _PARAGRAPH_GAP * pitch + 0.5 and gap < 12 * pitch:
            breaks.add(index)
    return breaks


# A footnote starts with its mark: a number or a symbol, then its text.
_NOTE_MARK = re.compile(r"^\s*(?:\d{1,3}|[*†‡§¹²³⁴⁵⁶⁷⁸⁹])\s*\S")
# A footnote is set at most this share of the body's size (11 pt body, 8-9 pt notes).
_NOTE_SIZE = 0.88


def footnote_block(lines: list[_Line]) -> list[int]:
    """Indexes of the footnote lines at the foot of the page (none when there are none).

    Footnotes are the last lines of the page set smaller than the body, the first of
    them starting with its mark; a running footer, smaller too, may follow them.
    """
    sizes: dict[float, int] = {}
    for line in lines:
        if line.cells:
            key = round(line.size * 2) / 2
            sizes[key] = sizes.get(key, 0) + len(line.text)
    if not sizes:
        return []
    body = max(sizes, key=lambda k: sizes[k])
    small = [i for i, line in enumerate(lines) if line.cells and line.size <= _NOTE_SIZE * body]
    run: list[int] = []
    for i in range(len(lines) - 1, -1, -1):
        if not lines[i].cells:
            continue
        if i not in small:
            break
        run.append(i)
    run.reverse()
    first = next((k for k, i in enumerate(run) if _NOTE_MARK.match(lines[i].text)), None)
    return [] if first is None else run[first:]


def _split_short_first_cells(lines: list[_Line], carried: dict[int, int]) -> None:
    """Split a line's first word off where the next word starts a column of the table around it.

    A narrow first column ("M10" under "No.") can sit closer to the next cell than the
    cell gap; then the row reads as one cell and its wrapped cells below cannot find it.
    Rows whose second cell starts at that x (at least two of them) show it is a column.
    """
    own: dict[int, int] = {}
    for line in lines:
        if len(line.cells) >= 2:
            x = round(line.cells[1].x)
            own[x] = own.get(x, 0) + 1
    seconds = {x: n for x, n in carried.items() if x != _LEFT_KEY}
    for x, n in own.items():
        seconds[x] = seconds.get(x, 0) + n
    if not seconds:
        return
    for line in lines:
        if len(line.cells) != 1 or not line.cells[0].joints:
            continue
        cell = line.cells[0]
        joint_x, at = cell.joints[0]
        head = cell.text[:at].strip()
        column = max(seconds.get(round(joint_x) + d, 0) for d in (-1, 0, 1))
        if column >= 2 and head and len(head) <= _SHORT_LABEL_CHARS and " " not in head:
            line.cells = [_Cell(cell.x, head), _Cell(joint_x, cell.text[at:].strip())]


def _split_at_columns(lines: list[_Line]) -> None:
    """Split a row's cell where a word starts at a column another row starts a cell at.

    A narrow column's header sits closer to the next header than a word gap ("No." and
    "Milestone", 9 points apart in bold): the rows below, whose cells start at the
    same x, show it is two cells.
    """
    rows = [line for line in lines if len(line.cells) >= 2]
    if len(rows) < 2:
        return
    starts = [{round(c.x) for c in row.cells} for row in rows]
    for index, row in enumerate(rows):
        others: set[int] = set().union(*(s for j, s in enumerate(starts) if j != index))
        cells: list[_Cell] = []
        for cell in row.cells:
            cuts = [
                (x, at)
                for x, at in cell.joints
                if round(x) in others or round(x) + 1 in others or round(x) - 1 in others
            ]
            if not cuts or len(cell.text) > 120:
                cells.append(cell)
                continue
            start_x, start = cell.x, 0
            for x, at in cuts:
                head = cell.text[start:at].strip()
                if head:
                    cells.append(_Cell(start_x, head))
                start_x, start = x, at
            cells.append(_Cell(start_x, cell.text[start:].strip()))
        row.cells = [c for c in cells if c.text]


def _merge_into_row(merged: list[_Line], line: _Line) -> bool:
    """Add ``line`` to a row above it that it continues; True when it was absorbed."""
    assert line.y is not None and line.x is not None
    last_y = next((m.y for m in reversed(merged) if m.y is not None), None)
    # Only a line that goes back up the page returns to an earlier row's baseline; for
    # the others (prose, line after line) the near look-back is enough.
    climbs = last_y is not None and line.y > last_y + _SAME_BASELINE
    reach = _LOOK_BACK if climbs else _NEAR_LINES
    for back in range(1, min(reach, len(merged)) + 1):
        row = merged[-back]
        if back > _NEAR_LINES and len(row.cells) < 2:
            continue
        if row.y is None or not any(c.text.strip() for c in row.cells):
            continue
        far = back > _NEAR_LINES or row.y - line.y > _NEAR_LINES * max(row.size, 1.0)
        if far and len(row.cells) < 2:
            # Only a row that is already a row reaches that far (a tall description cell);
            # a line far below a lone line on its baseline is the other column of a block.
            continue
        if abs(row.y - line.y) <= _SAME_BASELINE and line.x > row.cells[-1].x + 1.0:
            jumped = merged[len(merged) - back + 1 :]
            if (
                len(row.cells) == 1
                and len(jumped) >= 2
                and len(row.text) + sum(len(j.text) for j in jumped) > _COLUMN_PROSE_CHARS
            ):
                return False
            if back > 1 and not _absorb_wrapped(row, jumped, line):
                return False
            del merged[len(merged) - back + 1 :]
            row.cells.extend(line.cells)
            return True
        if back == 1 and len(row.cells) >= 2 and len(line.cells) == 1:
            # A wrapped cell's later lines drawn after the row's other cells.
            if any(abs(line.y - wy) <= _SAME_BASELINE for wy in row.wrapped_ys) or (
                0.3 * row.size < row.y - line.y < 1.6 * row.size and _continues_cell(row, line)
            ):
                cell = _aligned_cell(row, line.x)
                if cell is not None:
                    cell.text = _join_wrapped(cell.text, line.cells[0].text)
                    row.wrapped_ys.append(line.y)
                    return True
            return False
        if row.y - line.y > _ROW_DEPTH_LINES * max(row.size, 1.0):
            break
    return False


def _continues_cell(row: _Line, line: _Line) -> bool:
    # A wrapped cell that is not the row's first, in a row that is not a list item: a
    # line under the first cell is more likely the next row, and a line under a list
    # item's text is its paragraph going on.
    return (
        line.x is not None
        and line.x > row.cells[0].x + 1.0
        and _aligned_cell(row, line.x) is not None
        and len(row.cells) >= 3
    )


def _under_a_later_cell(line: _Line, neighbours: list[_Line]) -> bool:
    x = line.cells[0].x
    return any(
        len(row.cells) >= 2 and any(abs(cell.x - x) <= 2.0 for cell in row.cells[1:]) for row in neighbours
    )


def _render(lines: list[_Line], previous_columns: dict[int, int]) -> list[str]:
    left = min((line.cells[0].x for line in lines if len(line.cells) >= 2), default=None)
    if left is None:
        left = previous_columns.get(_LEFT_KEY, 0.0)
    # The lines that open the page, before any row, may be the rest of the previous page's
    # last row when no header is repeated: they sit under a column that page's rows had.
    opening = True
    out: list[str] = []
    padded_x: float | None = None
    for index, line in enumerate(lines):
        if len(line.cells) < 2:
            text = line.cells[0].text if line.cells else ""
            x = line.cells[0].x if line.cells else None
            if x is not None and (
                (padded_x is not None and abs(x - padded_x) <= 2.0)
                or _under_a_later_cell(line, lines[index - 1 : index] + lines[index + 1 : index + 2])
                or (opening and any(abs(round(x) - k) <= 1 for k in previous_columns if k != _LEFT_KEY))
            ):
                # The rest of a row's later cell on lines of their own (the row broke across
                # the page): padded to its column, so the table reader gives it back to it.
                text = " " * max(1, round((x - left) / COLUMN_POINTS)) + text
                padded_x = x
            else:
                padded_x = None
                # Past the running header's few lines, the page's own text has begun.
                opening = opening and index < _OPENING_LINES
            out.append(text)
            continue
        padded_x = None
        opening = False
        rendered = ""
        for cell in line.cells:
            target = round((cell.x - left) / COLUMN_POINTS)
            gap = target - len(rendered)
            rendered += " " * (max(2, gap) if rendered else max(0, gap)) + cell.text
        out.append(rendered)
    return out


__all__ = [
    "COLUMN_POINTS",
    "TextGeometry",
    "assemble_lines",
    "footnote_block",
    "quarter_turn",
    "to_text_frame",
]
