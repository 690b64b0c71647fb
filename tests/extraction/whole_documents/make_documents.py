"""Render the whole-document SOWs of ``documents.py`` with real producers.

Run from the repository root (needs LibreOffice, Chromium, python-docx and Pillow)::

    .venv/bin/python -m tests.extraction.whole_documents.make_documents

Each document names its producer in ``render``:

- ``docx``: python-docx's WordprocessingML, kept as DOCX (tracked insertions and
  deletions, footnotes, a header per section);
- ``docx-libreoffice-pdf``: the same DOCX converted by ``soffice --headless
  --convert-to pdf`` (a picture of a table, two-column sections, a landscape
  section; ``rotate_page_with`` then turns the page holding that text a quarter
  turn into its content stream, as some printer drivers draw landscape pages);
- ``html-chromium-pdf``: an HTML page printed by headless Chromium
  (``--print-to-pdf``) with CSS ``@page`` margin boxes, a repeated ``thead`` and
  CSS columns;
- ``text``: plain text in pages separated by form feeds, with a running header and
  footer, words hyphenated at line ends and Windows line endings.

The outputs are committed next to this script, so the tests never need these tools.
"""

from __future__ import annotations

import html
import io
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path
from typing import Any

from tests.extraction.whole_documents.batch2 import DOCUMENTS as BATCH2
from tests.extraction.whole_documents.documents import DOCUMENTS as BATCH1
from tests.extraction.whole_documents.documents import SHY

DOCUMENTS = [*BATCH1, *BATCH2]

HERE = Path(__file__).resolve().parent
_CHANGE = re.compile(r"\[-(.*?)-\]|\[\+(.*?)\+\]", re.DOTALL)
_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_AUTHOR = {"w:author": "Legal Review", "w:date": "2026-05-02T10:15:00Z"}


def accepted(text: str) -> str:
    """The text with tracked deletions dropped and insertions kept (what is signed)."""
    return _CHANGE.sub(lambda m: m.group(2) or "", text)


def output_name(document: dict[str, Any]) -> str:
    suffix = {"docx": ".docx", "docx-comments": ".docx", "text": ".txt"}.get(document["render"], ".pdf")
    return document["name"] + suffix


# --- DOCX ----------------------------------------------------------------------------------------


class _Revisions:
    def __init__(self) -> None:
        self.next_id = 100

    def mark(self, tag: str) -> Any:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        element = OxmlElement(tag)
        element.set(qn("w:id"), str(self.next_id))
        self.next_id += 1
        for key, value in _AUTHOR.items():
            element.set(qn(key), value)
        return element


def _run(text: str, *, deleted: bool = False) -> Any:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = OxmlElement("w:r")
    node = OxmlElement("w:delText" if deleted else "w:t")
    node.set(qn("xml:space"), "preserve")
    node.text = text
    run.append(node)
    return run


def _add_text(paragraph: Any, text: str, revisions: _Revisions) -> None:
    position = 0
    for match in _CHANGE.finditer(text):
        if match.start() > position:
            paragraph.add_run(text[position : match.start()])
        deleted = match.group(1) is not None
        wrapper = revisions.mark("w:del" if deleted else "w:ins")
        wrapper.append(_run(match.group(1) if deleted else match.group(2), deleted=deleted))
        paragraph._p.append(wrapper)
        position = match.end()
    if position < len(text):
        paragraph.add_run(text[position:])
    if _CHANGE.fullmatch(text) and text.startswith("[-"):
        # The whole paragraph was deleted, its mark too: accepting the change removes it.
        ppr = paragraph._p.get_or_add_pPr()
        from docx.oxml import OxmlElement

        rpr = OxmlElement("w:rPr")
        rpr.append(revisions.mark("w:del"))
        ppr.append(rpr)


def _field(paragraph: Any, instruction: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for kind in ("begin", "instr", "separate", "shown", "end"):
        run = OxmlElement("w:r")
        if kind == "instr":
            node = OxmlElement("w:instrText")
            node.set(qn("xml:space"), "preserve")
            node.text = f" {instruction} "
        elif kind == "shown":
            node = OxmlElement("w:t")
            node.text = "1"
        else:
            node = OxmlElement("w:fldChar")
            node.set(qn("w:fldCharType"), kind)
        run.append(node)
        paragraph._p.append(run)


def _header_footer(section: Any, document_spec: dict[str, Any], header: tuple[str, str]) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
    from docx.shared import Inches

    section.header.is_linked_to_previous = False
    paragraph = section.header.paragraphs[0]
    paragraph.text = f"{header[0]}\t{header[1]}"
    paragraph.paragraph_format.tab_stops.add_tab_stop(Inches(6.2), WD_TAB_ALIGNMENT.RIGHT)
    section.footer.is_linked_to_previous = False
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for piece in re.split(r"(\{page\}|\{pages\})", document_spec["footer"]):
        if piece == "{page}":
            _field(footer, "PAGE")
        elif piece == "{pages}":
            _field(footer, "NUMPAGES")
        elif piece:
            footer.add_run(piece)


def _columns(section: Any, count: int) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    sect = section._sectPr
    for old in sect.findall(qn("w:cols")):
        sect.remove(old)
    cols = OxmlElement("w:cols")
    cols.set(qn("w:num"), str(count))
    cols.set(qn("w:space"), "567")
    sect.append(cols)


def _repeat_header(row: Any) -> None:
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def _mark_row(row: Any, tag: str, revisions: _Revisions) -> None:
    row._tr.get_or_add_trPr().append(revisions.mark(tag))
    for cell in row.cells:
        paragraph = cell.paragraphs[0]
        text = paragraph.text
        for run in list(paragraph.runs):
            run._r.getparent().remove(run._r)
        wrapper = revisions.mark(tag)
        wrapper.append(_run(text, deleted=tag == "w:del"))
        paragraph._p.append(wrapper)


def _table_image(header: list[str], rows: list[list[str]], path: Path) -> None:
    from PIL import Image, ImageDraw, ImageFont

    try:
        font: Any = ImageFont.truetype("DejaVuSans.ttf", 26)
        bold: Any = ImageFont.truetype("DejaVuSans-Bold.ttf", 26)
    except OSError:
        font = bold = ImageFont.load_default()
    widths = [620, 420]
    height = 56
    image = Image.new("RGB", (sum(widths) + 4, height * (len(rows) + 1) + 4), "white")
    draw = ImageDraw.Draw(image)
    for r, row in enumerate([header, *rows]):
        x = 2
        for c, value in enumerate(row):
            draw.rectangle([x, 2 + r * height, x + widths[c], 2 + (r + 1) * height], outline="black", width=2)
            draw.text((x + 14, 14 + r * height), value, fill="black", font=bold if r == 0 else font)
            x += widths[c]
    image.save(path, dpi=(200, 200))


def _add_footnotes(document: Any, notes: list[tuple[Any, str]]) -> None:
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import parse_xml

    if not notes:
        return
    body = "".join(
        f'<w:footnote w:id="{i}"><w:p><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
        f'<w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> {html.escape(text)}</w:t></w:r></w:p>'
        "</w:footnote>"
        for i, (_, text) in enumerate(notes, start=1)
    )
    xml = (
        f'<w:footnotes xmlns:w="{_W_NS}">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
        f"</w:r></w:p></w:footnote>{body}</w:footnotes>"
    )
    part = Part(
        PackURI("/word/footnotes.xml"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
        xml.encode(),
        document.part.package,
    )
    document.part.relate_to(part, RT.FOOTNOTES)
    for i, (paragraph, _) in enumerate(notes, start=1):
        paragraph._p.append(
            parse_xml(
                f'<w:r xmlns:w="{_W_NS}"><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
                f'<w:footnoteReference w:id="{i}"/></w:r>'
            )
        )


def render_docx(spec: dict[str, Any], path: Path, work: Path) -> None:
    import docx
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT, WD_TAB_LEADER
    from docx.oxml import OxmlElement
    from docx.shared import Inches, Pt

    document = docx.Document()
    document.settings.element.append(OxmlElement("w:autoHyphenation"))
    document.styles["Normal"].font.size = Pt(10.5)
    revisions = _Revisions()
    section = document.sections[0]
    section.different_first_page_header_footer = True
    _header_footer(section, spec, spec["header"])
    notes: list[tuple[Any, str]] = []
    for block in spec["blocks"]:
        kind = block[0]
        if kind == "cover":
            first, *rest = block[1]
            document.add_paragraph(first, style="Title")
            for line in rest:
                document.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.CENTER
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        elif kind == "toc":
            document.add_paragraph("Contents", style="Heading 1")
            for number, title, page in block[1]:
                paragraph = document.add_paragraph(f"{number}\t{title}\t{page}")
                stops = paragraph.paragraph_format.tab_stops
                stops.add_tab_stop(Inches(0.5))
                stops.add_tab_stop(Inches(6.2), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
        elif kind == "break":
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        elif kind == "h":
            document.add_paragraph(block[1], style="Heading 1")
        elif kind == "p":
            paragraph = document.add_paragraph()
            _add_text(paragraph, block[1], revisions)
            if len(block) > 2 and block[2].get("footnote"):
                notes.append((paragraph, block[2]["footnote"]))
        elif kind in ("ul", "ol"):
            for item in block[1]:
                document.add_paragraph(item, style="List Bullet" if kind == "ul" else "List Number")
        elif kind == "table":
            header, rows, options = block[1], block[2], block[3]
            if options.get("image"):
                image = work / f"{spec['name']}-table.png"
                _table_image(header, rows, image)
                document.add_picture(str(image), width=Inches(5.2))
                continue
            table = document.add_table(rows=1 + len(rows), cols=len(header))
            table.style = "Table Grid"
            for c, value in enumerate(header):
                table.cell(0, c).text = value
            _repeat_header(table.rows[0])
            for r, row in enumerate(rows, start=1):
                for c, value in enumerate(row):
                    table.cell(r, c).text = value
            for index in options.get("deleted", []):
                _mark_row(table.rows[index + 1], "w:del", revisions)
            for index in options.get("inserted", []):
                _mark_row(table.rows[index + 1], "w:ins", revisions)
            document.add_paragraph()
        elif kind == "section":
            options = block[1]
            start = WD_SECTION.CONTINUOUS if options.get("continuous") else WD_SECTION.NEW_PAGE
            if "columns" in options and "header" not in options and "landscape" not in options:
                start = WD_SECTION.CONTINUOUS
            new = document.add_section(start)
            new.different_first_page_header_footer = False
            if "columns" in options:
                _columns(new, options["columns"])
            if options.get("landscape"):
                new.orientation = WD_ORIENT.LANDSCAPE
                new.page_width, new.page_height = new.page_height, new.page_width
            if "header" in options:
                _header_footer(new, spec, options["header"])
        elif kind == "sign":
            table = document.add_table(rows=1, cols=2)
            for c, lines in enumerate(block[1:3]):
                cell = table.cell(0, c)
                cell.paragraphs[0].text = lines[0]
                for line in lines[1:]:
                    cell.add_paragraph(line)
        else:
            raise ValueError(f"unknown block {kind}")
    _add_footnotes(document, notes)
    document.save(str(path))


# --- HTML for Chromium ---------------------------------------------------------------------------

_CSS = """
@page {{ size: A4; margin: 22mm 18mm 20mm 18mm;
  @top-left {{ content: "{left}"; font-size: 8pt; color: #555; }}
  @top-right {{ content: "{right}"; font-size: 8pt; color: #555; }}
  @bottom-center {{ content: {footer}; font-size: 8pt; }} }}
@page :first {{ @top-left {{ content: none; }} @top-right {{ content: none; }}
  @bottom-center {{ content: none; }} }}
body {{ font-family: "Liberation Sans", "DejaVu Sans", sans-serif; font-size: 10pt; line-height: 1.4; }}
h1 {{ font-size: 22pt; margin-top: 60mm; }}
h2 {{ font-size: 12pt; margin: 14pt 0 4pt; }}
.cover {{ page-break-after: always; text-align: center; }}
.cover p {{ font-size: 12pt; }}
.toc div {{ display: flex; }}
.toc .dots {{ flex: 1; border-bottom: 1px dotted #333; margin: 0 4px 4px; }}
.cols {{ column-count: 2; column-gap: 8mm; text-align: justify; hyphens: manual; }}
table.grid {{ border-collapse: collapse; width: 100%; margin: 6pt 0; }}
table.grid td, table.grid th {{ border: 0.6pt solid #777; padding: 3pt 5pt; text-align: left;
  vertical-align: top; }}
table.grid thead {{ display: table-header-group; }}
table.grid tr {{ page-break-inside: avoid; }}
table.sign {{ width: 100%; margin-top: 18pt; }}
table.sign td {{ width: 50%; vertical-align: top; padding-right: 12pt; }}
.break {{ page-break-after: always; }}
.notes {{ font-size: 8pt; border-top: 0.5pt solid #999; margin-top: 12pt; }}
"""


def _css_string(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _footer_css(template: str) -> str:
    parts = []
    for piece in re.split(r"(\{page\}|\{pages\})", template):
        if piece == "{page}":
            parts.append("counter(page)")
        elif piece == "{pages}":
            parts.append("counter(pages)")
        elif piece:
            parts.append(f'"{_css_string(piece)}"')
    return " ".join(parts)


def render_html(spec: dict[str, Any]) -> str:
    out: list[str] = []
    notes: list[str] = []
    in_columns = False
    for block in spec["blocks"]:
        kind = block[0]
        if kind == "cover":
            first, *rest = block[1]
            lines = "".join(f"<p>{html.escape(line)}</p>" for line in rest)
            out.append(f'<div class="cover"><h1>{html.escape(first)}</h1>{lines}</div>')
        elif kind == "toc":
            rows = "".join(
                f"<div><span>{html.escape(n)}&nbsp;&nbsp;{html.escape(t)}</span><span class=dots></span>"
                f"<span>{p}</span></div>"
                for n, t, p in block[1]
            )
            out.append(f'<h2>Contents</h2><div class="toc">{rows}</div>')
        elif kind == "break":
            out.append('<div class="break"></div>')
        elif kind == "h":
            out.append(f"<h2>{html.escape(block[1])}</h2>")
        elif kind == "p":
            text = html.escape(accepted(block[1]))
            if len(block) > 2 and block[2].get("footnote"):
                notes.append(block[2]["footnote"])
                text += f"<sup>{len(notes)}</sup>"
            out.append(f"<p>{text}</p>")
        elif kind in ("ul", "ol"):
            tag = "ul" if kind == "ul" else 'ol type="a"'
            items = "".join(f"<li>{html.escape(item)}</li>" for item in block[1])
            out.append(f"<{tag}>{items}</{tag.split()[0]}>")
        elif kind == "table":
            header, rows, options = block[1], block[2], block[3]
            head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
            body = "".join(
                "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows
            )
            style = f' style="margin-top: {options["spacer"]}em"' if options.get("spacer") else ""
            out.append(
                f'<table class="grid"{style}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
            )
        elif kind == "section":
            columns = block[1].get("columns", 1)
            if in_columns:
                out.append("</div>")
                in_columns = False
            if columns > 1:
                out.append('<div class="cols">')
                in_columns = True
        elif kind == "sign":
            cells = "".join(
                "<td>" + "<br>".join(html.escape(x) for x in lines) + "</td>" for lines in block[1:3]
            )
            out.append(f'<table class="sign"><tr>{cells}</tr></table>')
        else:
            raise ValueError(f"unknown block {kind}")
    if in_columns:
        out.append("</div>")
    if notes:
        items = "".join(f"<p><sup>{i}</sup> {html.escape(n)}</p>" for i, n in enumerate(notes, start=1))
        out.append(f'<div class="notes">{items}</div>')
    left, right = spec["header"]
    css = _CSS.format(left=_css_string(left), right=_css_string(right), footer=_footer_css(spec["footer"]))
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(spec["name"])}'
        f"</title><style>{css}</style></head><body>\n" + "\n".join(out) + "\n</body></html>\n"
    )


# --- plain text ----------------------------------------------------------------------------------

_WIDTH = 76
_BODY_LINES = 52


def _wrap(text: str, *, indent: str = "", first: str = "") -> list[str]:
    """Wrap at :data:`_WIDTH`, hyphenating a word at a soft hyphen when it does not fit."""
    lines: list[str] = []
    current = first
    for word in text.split():
        candidate = f"{current} {word}" if current.strip() else current + word
        if len(candidate.replace(SHY, "")) <= _WIDTH:
            current = candidate
            continue
        pieces = word.split(SHY)
        for cut in range(len(pieces) - 1, 0, -1):
            head = "".join(pieces[:cut]) + "-"
            trial = f"{current} {head}" if current.strip() else current + head
            if len(trial) <= _WIDTH:
                lines.append(trial)
                current = indent + "".join(pieces[cut:])
                break
        else:
            lines.append(current.replace(SHY, ""))
            current = indent + word
    lines.append(current.replace(SHY, ""))
    return [line.replace(SHY, "") for line in lines]


def render_text(spec: dict[str, Any]) -> str:
    cover: list[str] = []
    body: list[str] = []
    for block in spec["blocks"]:
        kind = block[0]
        if kind == "cover":
            cover = ["", "", "", ""]
            for line in block[1]:
                cover.extend(textwrap.wrap(line, _WIDTH) or [""])
                cover.append("")
            cover = [line.center(_WIDTH).rstrip() for line in cover]
        elif kind == "toc":
            body += ["CONTENTS", ""]
            for number, title, page in block[1]:
                label = f"{number:<5}{title} "
                body.append(label + "." * (_WIDTH - len(label) - len(page) - 1) + " " + page)
            body.append("")
        elif kind == "break":
            body.append("\f")
        elif kind == "h":
            body += [block[1].upper(), ""]
        elif kind == "p":
            if len(block) > 2 and block[2].get("footnote"):
                raise ValueError("the text renderer has no footnotes")
            body += [*_wrap(accepted(block[1])), ""]
        elif kind in ("ul", "ol"):
            for index, item in enumerate(block[1]):
                label = "  -  " if kind == "ul" else f"  ({chr(ord('a') + index)}) "
                body += _wrap(item, indent=" " * len(label), first=label)
            body.append("")
        elif kind == "table":
            header, rows = block[1], block[2]
            body.append(f"    {header[0]:<32}{header[1]:>18}")
            body.append("    " + "-" * 50)
            body += [f"    {row[0]:<32}{row[1]:>18}" for row in rows]
            body.append("")
        elif kind == "sign":
            body += ["", ""]
            left, right = block[1], block[2]
            for a, b in zip(left, right, strict=True):
                body.append(f"{a:<40}{b}".rstrip())
        elif kind != "section":
            raise ValueError(f"unknown block {kind}")
    pages: list[list[str]] = [[]]
    for line in body:
        if line == "\f":
            if pages[-1]:
                pages.append([])
            continue
        if len(pages[-1]) >= _BODY_LINES:
            pages.append([])
        if not pages[-1] and not line.strip():
            continue
        pages[-1].append(line)
    count = len(pages) + 1
    left, right = spec["header"]
    out = ["\n".join(cover)]
    for number, lines in enumerate(pages, start=2):
        header = left + " " * max(2, _WIDTH - len(left) - len(right)) + right
        footer = spec["footer"].format(page=number, pages=count).center(_WIDTH).rstrip()
        padding = [""] * (_BODY_LINES - len(lines))
        out.append("\n".join([header, "", *lines, *padding, "", footer]))
    return "\n\f".join(out).replace("\n", "\r\n") + "\r\n"


# --- reportlab ------------------------------------------------------------------------------------


def _reportlab_story(
    spec: dict[str, Any], styles: dict[str, Any], notes_of: dict[int, list[str]]
) -> list[Any]:
    """Flowables for the blocks; a footnote is marked in the text and drawn on its page."""
    from reportlab.lib import colors
    from reportlab.platypus import ListFlowable, ListItem, PageBreak, Paragraph, Spacer, Table, TableStyle

    story: list[Any] = []
    counter = 0
    for block in spec["blocks"]:
        kind = block[0]
        if kind == "cover":
            first, *rest = block[1]
            story += [Spacer(1, 120), Paragraph(html.escape(first), styles["title"])]
            story += [Paragraph(html.escape(line), styles["centre"]) for line in rest]
            story.append(PageBreak())
        elif kind == "h":
            story.append(Paragraph(html.escape(block[1]), styles["h"]))
        elif kind == "p":
            text = html.escape(accepted(block[1]))
            if len(block) > 2 and block[2].get("footnote"):
                counter += 1
                text += f"<super>{counter}</super>"
                story.append(_NoteAnchor(counter, block[2]["footnote"], notes_of))
            story.append(Paragraph(text, styles["body"]))
        elif kind in ("ul", "ol"):
            items = [ListItem(Paragraph(html.escape(i), styles["body"])) for i in block[1]]
            story.append(ListFlowable(items, bulletType="bullet" if kind == "ul" else "a", leftIndent=18))
        elif kind == "table":
            header, rows = block[1], block[2]
            data = [[Paragraph(f"<b>{html.escape(h)}</b>", styles["cell"]) for h in header]]
            data += [[Paragraph(html.escape(c), styles["cell"]) for c in row] for row in rows]
            widths = [130, 220, 110] if len(header) == 3 else None
            # reportlab's cells are bottom-aligned unless told otherwise: left as it is.
            table = Table(data, colWidths=widths, repeatRows=1)
            table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.grey)]))
            story += [Spacer(1, 6), table, Spacer(1, 6)]
        elif kind == "sign":
            cells = [
                [
                    Paragraph("<br/>".join(html.escape(x) for x in lines), styles["body"])
                    for lines in block[1:3]
                ]
            ]
            story += [Spacer(1, 24), Table(cells, colWidths=[230, 230])]
        elif kind == "columns":
            from reportlab.platypus.doctemplate import NextPageTemplate

            story += [NextPageTemplate("columns"), PageBreak()]
        elif kind == "scan":
            story.append(_scanned_page(block[1]))
        else:
            raise ValueError(f"unknown block {kind}")
    return story


class _NoteAnchor:
    """A zero-size flowable that records, on the page it lands on, the footnote it anchors."""

    def __new__(cls, number: int, text: str, notes_of: dict[int, list[str]]) -> Any:
        from reportlab.platypus import Flowable

        class Anchor(Flowable):
            def wrap(self, *_: Any) -> tuple[float, float]:
                return 0, 0

            def draw(self) -> None:
                notes_of.setdefault(self.canv.getPageNumber(), []).append(f"{number} {text}")

        return Anchor()


def _scanned_page(lines: list[str]) -> Any:
    """A page that is only a picture of text: a signed page scanned and put back in the PDF."""
    from PIL import Image, ImageDraw, ImageFilter, ImageFont
    from reportlab.platypus import Image as Picture
    from reportlab.platypus import PageBreak

    try:
        font: Any = ImageFont.truetype("DejaVuSerif.ttf", 30)
    except OSError:
        font = ImageFont.load_default()
    image = Image.new("L", (1700, 2200), 245)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        draw.text((150, 250 + i * 110), line, fill=20, font=font)
    draw.line([(260, 520), (900, 505)], fill=30, width=4)  # a signature stroke
    buffer = io.BytesIO()
    image.rotate(0.6, fillcolor=245).filter(ImageFilter.GaussianBlur(0.8)).save(buffer, format="PNG")
    buffer.seek(0)
    picture = Picture(buffer, width=460, height=595)
    return [PageBreak(), picture]


def render_reportlab(spec: dict[str, Any], path: Path) -> None:
    from reportlab.lib.fonts import addMapping
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

    # Embedded TrueType subsets, as report generators write them (the base 14 fonts have no "ō").
    fonts = {"Serif": "DejaVuSerif.ttf", "Serif-Bold": "DejaVuSerif-Bold.ttf", "Sans": "DejaVuSans.ttf",
             "Sans-Bold": "DejaVuSans-Bold.ttf"}  # fmt: skip
    for name, file in fonts.items():
        pdfmetrics.registerFont(TTFont(name, file))
    addMapping("Serif", 0, 0, "Serif")
    addMapping("Serif", 1, 0, "Serif-Bold")
    addMapping("Sans", 0, 0, "Sans")
    addMapping("Sans", 1, 0, "Sans-Bold")
    styles = {
        "body": ParagraphStyle("body", fontName="Serif", fontSize=10, leading=13.5, spaceAfter=5),
        "cell": ParagraphStyle("cell", fontName="Sans", fontSize=8.5, leading=11),
        "h": ParagraphStyle(
            "h", fontName="Sans-Bold", fontSize=10.5, leading=14, spaceBefore=8, spaceAfter=3
        ),
        "title": ParagraphStyle("title", fontName="Sans-Bold", fontSize=19, leading=26, alignment=1),
        "centre": ParagraphStyle("centre", fontName="Serif", fontSize=12, leading=18, alignment=1),
    }
    notes_of: dict[int, list[str]] = {}
    width, height = A4
    left, right = spec["header"]

    def furniture(canvas: Any, document: Any) -> None:
        number = canvas.getPageNumber()
        canvas.saveState()
        if number > 1 or spec["blocks"][0][0] != "cover":
            canvas.setFont("Sans", 7.5)
            canvas.drawString(56, height - 36, left)
            canvas.drawRightString(width - 56, height - 36, right)
            canvas.drawCentredString(width / 2, 28, spec["footer"].format(page=number))
        canvas.setFont("Serif", 7.5)
        for i, note in enumerate(notes_of.get(number, [])):
            canvas.drawString(56, 70 - 11 * i, note)
        canvas.restoreState()

    document = BaseDocTemplate(str(path), pagesize=A4, title=spec["name"])
    body = Frame(56, 90, width - 112, height - 150, id="body")
    gutter = 18
    half = (width - 112 - gutter) / 2
    columns = [
        Frame(56, 90, half, height - 150, id="left"),
        Frame(56 + half + gutter, 90, half, height - 150, id="right"),
    ]
    # Footnotes are drawn when the page ends, after its text (where a word processor puts them).
    document.addPageTemplates(
        [
            PageTemplate("body", frames=[body], onPageEnd=furniture),
            PageTemplate("columns", frames=columns, onPageEnd=furniture),
        ]
    )
    story: list[Any] = []
    for item in _reportlab_story(spec, styles, notes_of):
        story.extend(item if isinstance(item, list) else [item])
    document.build(story)


# --- HTML with a landscape schedule for Chromium ---------------------------------------------------

_LANDSCAPE_CSS = """
@page {{ size: A4; margin: 20mm 20mm 22mm 20mm;
  @top-right {{ content: "{left} — {right}"; font-size: 7.5pt; font-family: serif; }}
  @bottom-right {{ content: {footer}; font-size: 7.5pt; }} }}
@page :first {{ @top-right {{ content: none; }} }}
@page schedule {{ size: A4 landscape; }}
body {{ font-family: "DejaVu Serif", Georgia, serif; font-size: 10.5pt; line-height: 1.45; }}
.cover {{ page-break-after: always; padding-top: 50mm; }}
.cover h1 {{ font-size: 20pt; letter-spacing: 0.5pt; }}
h2 {{ font-size: 11pt; text-transform: none; margin: 12pt 0 3pt; }}
ol {{ list-style-type: lower-roman; }}
.schedule {{ page: schedule; }}
table.pay {{ border-collapse: collapse; width: 100%; font-size: 9.5pt; }}
table.pay th {{ background: #e8e8e8; }}
table.pay td, table.pay th {{ border: 0.5pt solid #444; padding: 4pt 6pt; vertical-align: top;
  text-align: left; }}
table.pay td:nth-child(4), table.pay td:nth-child(5) {{ text-align: right; }}
table.pay tr {{ break-inside: auto; }}
.sign {{ display: flex; gap: 20mm; margin-top: 16pt; }}
.sign div {{ flex: 1; }}
"""


def render_html_landscape(spec: dict[str, Any]) -> str:
    out: list[str] = []
    for block in spec["blocks"]:
        kind = block[0]
        if kind == "cover":
            first, *rest = block[1]
            out.append('<section class="cover"><h1>' + html.escape(first) + "</h1>")
            out += [f"<p>{html.escape(line)}</p>" for line in rest]
            out.append("</section>")
        elif kind == "h":
            out.append(f"<h2>{html.escape(block[1])}</h2>")
        elif kind == "p":
            out.append(f"<p>{html.escape(accepted(block[1]))}</p>")
        elif kind in ("ul", "ol"):
            items = "".join(f"<li>{html.escape(i)}</li>" for i in block[1])
            out.append(f"<{kind}>{items}</{kind}>")
        elif kind == "landscape":
            out.append('<section class="schedule">')
        elif kind == "table":
            head = "".join(f"<th>{html.escape(h)}</th>" for h in block[1])
            body = "".join(
                "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>" for r in block[2]
            )
            out.append(f'<table class="pay"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>')
        elif kind == "sign":
            cells = "".join(
                "<div>" + "<br>".join(html.escape(x) for x in lines) + "</div>" for lines in block[1:3]
            )
            out.append(f'<div class="sign">{cells}</div>')
        else:
            raise ValueError(f"unknown block {kind}")
    if any(b[0] == "landscape" for b in spec["blocks"]):
        out.append("</section>")
    left, right = spec["header"]
    css = _LANDSCAPE_CSS.format(
        left=_css_string(left), right=_css_string(right), footer=_footer_css(spec["footer"])
    )
    return (
        f'<!doctype html><html lang="en-SG"><head><meta charset="utf-8"><style>{css}</style></head><body>'
        + "\n".join(out)
        + "</body></html>\n"
    )


# --- DOCX with a reviewer's comments -----------------------------------------------------------------


def render_docx_with_comments(spec: dict[str, Any], path: Path, work: Path) -> None:
    import docx

    render_docx(spec, path, work)
    document = docx.Document(str(path))
    for anchor, text in spec.get("comments", []):
        for paragraph in document.paragraphs:
            runs = [r for r in paragraph.runs if anchor in r.text]
            if runs:
                document.add_comment(runs, text=text, author="Reviewer", initials="RV")
                break
        else:
            raise ValueError(f"no run holds the comment anchor {anchor!r}")
    document.save(str(path))


# --- producers -----------------------------------------------------------------------------------


def _soffice(source: Path, outdir: Path) -> Path:
    binary = shutil.which("soffice") or shutil.which("libreoffice")
    if not binary:
        raise SystemExit("LibreOffice (soffice) is needed to render these documents")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [binary, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
             "--outdir", str(outdir), str(source)],
            check=True, capture_output=True, timeout=300,
        )  # fmt: skip
    return outdir / f"{source.stem}.pdf"


def _chromium(page: Path, pdf: Path) -> None:
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if not binary:
        raise SystemExit("Chromium is needed to render these documents")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
             "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri()],
            check=True, capture_output=True, timeout=300,
        )  # fmt: skip


def _rotate_page_holding(pdf: Path, marker: str) -> None:
    import pypdf

    reader = pypdf.PdfReader(str(pdf))
    writer = pypdf.PdfWriter()
    for page in reader.pages:
        landscape = float(page.mediabox.width) > float(page.mediabox.height)
        if landscape and marker in (page.extract_text() or ""):
            page.rotate(90)
            page.transfer_rotation_to_content()
        writer.add_page(page)
    buffer = io.BytesIO()
    writer.write(buffer)
    pdf.write_bytes(buffer.getvalue())


def render(spec: dict[str, Any], work: Path) -> Path:
    target = HERE / output_name(spec)
    mode = spec["render"]
    if mode == "text":
        target.write_bytes(render_text(spec).encode("utf-8"))
    elif mode == "docx":
        render_docx(spec, target, work)
    elif mode == "docx-libreoffice-pdf":
        source = work / f"{spec['name']}.docx"
        render_docx(spec, source, work)
        shutil.copy(_soffice(source, work), target)
        if spec.get("rotate_page_with"):
            _rotate_page_holding(target, spec["rotate_page_with"])
    elif mode == "html-chromium-pdf":
        page = work / f"{spec['name']}.html"
        page.write_text(render_html(spec), encoding="utf-8")
        _chromium(page, target)
    elif mode == "html-chromium-landscape":
        page = work / f"{spec['name']}.html"
        page.write_text(render_html_landscape(spec), encoding="utf-8")
        _chromium(page, target)
    elif mode in ("reportlab", "reportlab-frames-scan"):
        render_reportlab(spec, target)
    elif mode == "docx-comments":
        render_docx_with_comments(spec, target, work)
    else:
        raise ValueError(f"unknown producer {mode}")
    return target


def main(argv: list[str]) -> None:
    wanted = set(argv)
    with tempfile.TemporaryDirectory() as tmp:
        for spec in DOCUMENTS:
            if wanted and spec["name"] not in wanted:
                continue
            path = render(spec, Path(tmp))
            print(f"{path.name}: {path.stat().st_size} bytes")


if __name__ == "__main__":
    main(sys.argv[1:])
