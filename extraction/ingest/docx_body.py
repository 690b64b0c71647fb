"""What a Word body says, read from its XML the way Word shows it.

- Paragraph text is the runs' text; a tab *stop definition* (``w:pPr/w:tabs``) is
  not a tab, a no-break hyphen is a hyphen, a soft hyphen is kept for
  normalisation to drop; deleted text and field codes are not text.
- Tracked changes are read as accepted (the signed text): insertions and the
  destination of a move are text, deletions, the source of a move and a deleted
  table row are not.
- List numbering is rendered: the label Word draws ("1.", "(a)", "2.1", "iv.",
  a bullet) comes from ``numbering.xml`` through the paragraph's own numbering or
  its style's (following ``basedOn``), with counters per list and level, restarts
  of deeper levels and ``startOverride``.
- Content controls (``w:sdt``), custom XML and smart tags are looked through.
- A text box's text is read once: ``mc:AlternateContent`` carries it twice (the
  DrawingML choice and a VML fallback); the fallback is skipped. Its paragraphs
  become lines of their own.
- Tables: only a row's own cells (a nested table's cells stay inside their cell);
  a cell spanning columns (``gridSpan``) is followed by ``-`` placeholders so cells
  stay under their header; a vertically merged cell repeats the text of the cell
  it continues (a unit or a deliverable that covers several rows); a row that is a
  single cell across the table (a caption) is a line of text, not a row.
- Footnotes and endnotes are appended after the body, each with its number.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_TRANSPARENT = {f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml", f"{_W}smartTag"}
_SKIP = {
    f"{_W}pPr",
    f"{_W}rPr",
    f"{_W}delText",
    f"{_W}instrText",
    f"{_W}del",
    f"{_W}moveFrom",
    f"{_W}sdtPr",
    f"{_W}sdtEndPr",
    f"{_MC}Fallback",
}
_BULLETS = {"\uf0b7": "•", "\uf0a7": "▪", "\uf076": "◆", "\uf0d8": "➢", "\uf0fc": "✓", "o": "◦"}


def flatten(node: Any) -> Iterator[Any]:
    """Block-level children of ``node``, looking through content controls and custom XML."""
    for child in node.iterchildren():
        if child.tag in _TRANSPARENT:
            yield from flatten(child)
        else:
            yield child


def _val(node: Any, path: str) -> str | None:
    found = node.find(path) if node is not None else None
    return None if found is None else found.get(f"{_W}val")


def _roman(number: int) -> str:
    out = ""
    for value, letters in (
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ):
        while number >= value:
            out += letters
            number -= value
    return out


def _letters(number: int) -> str:
    # Word repeats the letter past z: aa, bb, ...
    return chr(ord("a") + (number - 1) % 26) * ((number - 1) // 26 + 1)


def _format(number: int, fmt: str) -> str:
    if fmt == "lowerLetter":
        return _letters(number)
    if fmt == "upperLetter":
        return _letters(number).upper()
    if fmt == "lowerRoman":
        return _roman(number)
    if fmt == "upperRoman":
        return _roman(number).upper()
    if fmt in ("decimalZero",):
        return f"{number:02d}"
    if fmt == "none":
        return ""
    return str(number)


class Numbering:
    """List labels from ``numbering.xml`` and the styles' numbering."""

    def __init__(self, numbering: Any, styles: Any) -> None:
        self._levels: dict[str, dict[int, tuple[int, str, str]]] = {}  # abstractNumId -> levels
        self._nums: dict[str, tuple[str, dict[int, int]]] = {}  # numId -> (abstractNumId, overrides)
        self._counters: dict[str, dict[int, int]] = {}
        self._style_num: dict[str, tuple[str, int]] = {}
        if numbering is not None:
            for abstract in numbering.iterchildren(f"{_W}abstractNum"):
                levels: dict[int, tuple[int, str, str]] = {}
                for lvl in abstract.iterchildren(f"{_W}lvl"):
                    index = int(lvl.get(f"{_W}ilvl", "0"))
                    start = int(_val(lvl, f"{_W}start") or "1")
                    levels[index] = (
                        start,
                        _val(lvl, f"{_W}numFmt") or "decimal",
                        _val(lvl, f"{_W}lvlText") or "",
                    )
                self._levels[abstract.get(f"{_W}abstractNumId", "")] = levels
            for num in numbering.iterchildren(f"{_W}num"):
                overrides = {
                    int(o.get(f"{_W}ilvl", "0")): int(_val(o, f"{_W}startOverride") or "1")
                    for o in num.iterchildren(f"{_W}lvlOverride")
                    if o.find(f"{_W}startOverride") is not None
                }
                self._nums[num.get(f"{_W}numId", "")] = (_val(num, f"{_W}abstractNumId") or "", overrides)
        if styles is not None:
            based: dict[str, str] = {}
            own: dict[str, tuple[str | None, int]] = {}
            for style in styles.iterchildren(f"{_W}style"):
                style_id = style.get(f"{_W}styleId", "")
                parent = _val(style, f"{_W}basedOn")
                if parent:
                    based[style_id] = parent
                num_pr = style.find(f"{_W}pPr/{_W}numPr")
                if num_pr is not None:
                    own[style_id] = (_val(num_pr, f"{_W}numId"), int(_val(num_pr, f"{_W}ilvl") or "0"))
            for style_id in {*based, *own}:
                seen: set[str] = set()
                current: str | None = style_id
                while current and current not in own and current not in seen:
                    seen.add(current)
                    current = based.get(current)
                if current in own and own[current][0]:
                    num_id, level = own[current]
                    self._style_num[style_id] = (num_id or "", level)

    def label(self, paragraph: Any) -> str:
        """The label Word draws before ``paragraph`` ("" when it is not in a list)."""
        ppr = paragraph.find(f"{_W}pPr")
        num_pr = ppr.find(f"{_W}numPr") if ppr is not None else None
        num_id: str | None = None
        level = 0
        style = _val(ppr, f"{_W}pStyle") if ppr is not None else None
        if style and style in self._style_num:
            num_id, level = self._style_num[style]
        if num_pr is not None:
            num_id = _val(num_pr, f"{_W}numId") or num_id
            level = int(_val(num_pr, f"{_W}ilvl") or level)
        if not num_id or num_id == "0" or num_id not in self._nums:
            return ""
        abstract, overrides = self._nums[num_id]
        levels = self._levels.get(abstract, {})
        if level not in levels:
            return ""
        counters = self._counters.setdefault(num_id, {})
        start = overrides.get(level, levels[level][0])
        counters[level] = counters.get(level, start - 1) + 1
        for deeper in [k for k in counters if k > level]:
            del counters[deeper]
        _, fmt, text = levels[level]
        if fmt == "bullet":
            return _BULLETS.get(text, text if text.isprintable() and text.strip() else "•")
        label = text
        for index in range(level, -1, -1):
            if f"%{index + 1}" in label:
                number = counters.get(index, levels.get(index, (1, "decimal", ""))[0])
                index_fmt = levels.get(index, (1, "decimal", ""))[1]
                label = label.replace(f"%{index + 1}", _format(number, index_fmt))
        return label.strip()


def paragraph_parts(
    paragraph: Any, *, rendered_breaks: bool = False, label: str = ""
) -> list[tuple[str, bool]]:
    """Text of a paragraph split at page breaks: ``[(text, break_after), ...]``."""
    parts: list[tuple[str, bool]] = []
    buffer: list[str] = [f"{label} "] if label else []

    def walk(node: Any) -> None:
        nonlocal buffer
        for child in node.iterchildren():
            tag = child.tag
            if tag in _SKIP:
                continue
            if tag == f"{_W}t":
                if child.text:
                    buffer.append(child.text)
            elif tag == f"{_W}tab":
                buffer.append("\t")
            elif tag == f"{_W}noBreakHyphen":
                buffer.append("-")
            elif tag == f"{_W}softHyphen":
                buffer.append("\u00ad")
            elif tag in (f"{_W}br", f"{_W}cr"):
                if child.get(f"{_W}type") == "page":
                    parts.append(("".join(buffer), True))
                    buffer = []
                else:
                    buffer.append("\n")
            elif tag == f"{_W}lastRenderedPageBreak":
                if rendered_breaks:
                    parts.append(("".join(buffer), True))
                    buffer = []
            elif tag == f"{_W}p":  # a paragraph inside a text box: a line of its own
                if buffer and not "".join(buffer).endswith("\n"):
                    buffer.append("\n")
                walk(child)
                buffer.append("\n")
            else:
                walk(child)

    walk(paragraph)
    parts.append(("".join(buffer), False))
    return parts


def _cell_text(cell: Any) -> str:
    texts: list[str] = []
    for node in cell.iter(f"{_W}p"):
        skip = False
        for ancestor in node.iterancestors():
            if ancestor is cell:
                break
            # A text box's paragraph is read with the paragraph holding it; a fallback never.
            if ancestor.tag in (f"{_W}p", f"{_MC}Fallback"):
                skip = True
                break
        if not skip:
            texts.append("".join(t for t, _ in paragraph_parts(node)).replace("\n", " ").replace("\t", " "))
    return " ".join(t.strip() for t in texts if t.strip())


def table_lines(table: Any) -> list[str]:
    """One line per row, cells joined by a tab (see the module docstring)."""
    grid = table.find(f"{_W}tblGrid")
    width = len(grid.findall(f"{_W}gridCol")) if grid is not None else 0
    lines: list[str] = []
    above: dict[int, str] = {}
    for row in flatten(table):
        if row.tag != f"{_W}tr":
            continue
        row_properties = row.find(f"{_W}trPr")
        if row_properties is not None and row_properties.find(f"{_W}del") is not None:
            continue  # a tracked deletion of the whole row
        cells: list[str] = []
        column = 0
        spans = 0
        for cell in flatten(row):
            if cell.tag != f"{_W}tc":
                continue
            tcpr = cell.find(f"{_W}tcPr")
            span = int(_val(tcpr, f"{_W}gridSpan") or "1") if tcpr is not None else 1
            merge = tcpr.find(f"{_W}vMerge") if tcpr is not None else None
            text = _cell_text(cell)
            if merge is not None and merge.get(f"{_W}val", "continue") == "continue" and not text:
                text = above.get(column, "")
            above[column] = text
            cells.append(text or "-")
            cells.extend("-" for _ in range(span - 1))
            column += span
            spans += 1
        if not cells:
            continue
        if spans == 1 and (width <= 1 or column >= width) and width > 1:
            lines.append(cells[0] if cells[0] != "-" else "")
            continue
        lines.append("\t".join(cells))
    return lines


def notes(part: Any, tag: str) -> list[str]:
    """Footnote or endnote lines ("1 Calendar days, ...") from a notes part's XML."""
    lines: list[str] = []
    if part is None:
        return lines
    number = 0
    for note in part.iterchildren(f"{_W}{tag}"):
        if note.get(f"{_W}type") in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        number += 1
        text = " ".join(
            "".join(t for t, _ in paragraph_parts(p)).strip() for p in note.iter(f"{_W}p")
        ).strip()
        if text:
            lines.append(f"{number} {text}")
    return lines


__all__ = ["Numbering", "flatten", "notes", "paragraph_parts", "table_lines"]
