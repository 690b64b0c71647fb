"""What other producers write, read the way a person reads the page.

The whole-document SOWs in ``whole_documents/`` (LibreOffice, Chromium, python-docx
and plain text; see its ``make_documents.py``) and small PDFs built here: Chromium's
marked-content soft hyphens and ligatures, a table on a page whose content is drawn a
quarter turn, a picture of a table beside text, a page left blank but for its running
header, running headers that contain the page's own number, a year alone on a line,
two-column terms, narrow table columns, tracked changes in a DOCX.
"""

from __future__ import annotations

import io
import re
from functools import cache
from pathlib import Path
from typing import Any

import pypdf
import pytest
from pypdf.generic import ArrayObject, ByteStringObject, DictionaryObject, NameObject, TextStringObject

from extraction import ingest
from extraction.document import Document
from extraction.ingest.layout import TextGeometry, quarter_turn, to_text_frame
from extraction.ingest.normalise import join_hyphenation, remove_headers_footers

WHOLE = Path(__file__).resolve().parent / "whole_documents"
REAL = Path(__file__).resolve().parent / "fixtures_real"


@cache
def _document(name: str) -> Document:
    folder = WHOLE if (WHOLE / name).exists() else REAL
    return ingest((folder / name).read_bytes(), filename=name)


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _rows(document: Document, page: int) -> list[list[str]]:
    return [[c.text for c in row] for t in document.tables if page in t.pages for row in t.rows]


# --- marked content -----------------------------------------------------------------------------


def _span(actual: Any) -> list[Any]:
    return [NameObject("/Span"), DictionaryObject({NameObject("/ActualText"): actual})]


@pytest.mark.parametrize(
    ("actual", "shown"),
    [
        (ByteStringObject(b"\xfe\xff\x00\xad"), "\u00ad"),  # UTF-16BE with its byte-order mark
        (ByteStringObject(b"fi"), "fi"),  # PDFDocEncoding, as Chromium writes a ligature
        (TextStringObject("ffl"), "ffl"),
    ],
)
def test_actual_text_replaces_what_the_span_shows(actual: Any, shown: str) -> None:
    geometry = TextGeometry({}, {})
    geometry.before(b"BDC", _span(actual), [1, 0, 0, 1, 0, 0], [1, 0, 0, 1, 0, 0])
    first, second = [ByteStringObject(b"\x00\x03")], [ArrayObject([ByteStringObject(b"\x00\x04"), -120])]
    geometry.before(b"Tj", first, [1, 0, 0, 1, 0, 0], [1, 0, 0, 1, 0, 0])
    geometry.before(b"TJ", second, [1, 0, 0, 1, 0, 0], [1, 0, 0, 1, 0, 0])
    geometry.before(b"EMC", [], [1, 0, 0, 1, 0, 0], [1, 0, 0, 1, 0, 0])
    after = [ByteStringObject(b"\x00\x05")]
    geometry.before(b"Tj", after, [1, 0, 0, 1, 0, 0], [1, 0, 0, 1, 0, 0])
    assert first == [shown]
    assert list(second[0]) == [""]
    assert after == [ByteStringObject(b"\x00\x05")]


def test_chromium_soft_hyphens_are_not_spaces_and_a_break_at_one_joins() -> None:
    text = _flat(_document("ca_subcontract_weekly.pdf").text)
    assert "firm for its duration and any extension, and shall not increase" in text
    html = _flat(_document("html_sow.pdf").text)
    assert "the Supplier's aggregate liability is limited" in html
    assert "indemnification obligations" in html and "\u00ad" not in html


def test_a_soft_hyphen_marked_break_followed_by_the_drawn_hyphen_joins() -> None:
    assert join_hyphenation(["aggregate lia\u00ad\u2010", "bility is limited"]) == [
        "aggregate liability",
        "is limited",
    ]


def test_libreoffice_hyphenation_joins_and_an_authors_hyphen_at_a_line_end_stays() -> None:
    text = _flat(_document("se_tm_framework.pdf").text)
    assert "needs day-ahead production forecasts" in text
    for word in ("capitalised", "December 2025", "running in", "overdue", "renews", "Arbitration"):
        assert word in text
    assert "\u00ad" not in text


# --- rotation ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dx", "dy", "turn"), [(1, 0, 0), (0, 2, 1), (-1, 0, 2), (0, -3, 3), (1, 1, None), (1, 1e-5, 0)]
)
def test_quarter_turn_of_a_baseline_direction(dx: float, dy: float, turn: int | None) -> None:
    assert quarter_turn(dx, dy) == turn
    if turn is not None:
        x, y = to_text_frame(turn, dx, dy)
        assert x > 0 and abs(y) < 1e-3 * x


def test_table_on_a_page_whose_content_is_drawn_a_quarter_turn_keeps_its_cells() -> None:
    document = _document("au_fixed_two_column.pdf")
    rows = _rows(document, 7)
    assert ["2", "Hydrological model calibrated", "35%", "109,340"] in rows
    assert ["4", "Final report accepted by the board", "20%", "62,480"] in rows


def _rotated(name: str, *, into_content: bool) -> bytes:
    reader = pypdf.PdfReader(str(REAL / name))
    writer = pypdf.PdfWriter()
    for page in reader.pages:
        page.rotate(90)
        if into_content:
            page.transfer_rotation_to_content()
        writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("into_content", [False, True], ids=["rotate-entry", "rotated-content"])
def test_a_rotated_pdf_reads_as_the_upright_one(into_content: bool) -> None:
    upright = _document("html_sow.pdf")
    turned = ingest(_rotated("html_sow.pdf", into_content=into_content), filename="turned.pdf")
    assert [p.text for p in turned.pages] == [p.text for p in upright.pages]


# --- pictures and blank pages ----------------------------------------------------------------------


def _pdf_with_pictures(pages: list[tuple[str, bool, bool]]) -> bytes:
    """One page per (text, draws the shared logo, draws a picture of its own)."""
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    logo = ImageReader(Image.new("RGB", (60, 20), "navy"))
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=(612, 792))
    for number, (text, with_logo, with_picture) in enumerate(pages, start=1):
        pdf.setFont("Helvetica", 9)
        pdf.drawString(72, 760, "Acme Advisory LLP                              SOW 12")
        pdf.drawString(290, 30, f"Page {number} of {len(pages)}")
        if with_logo:
            pdf.drawImage(logo, 380, 650, width=180, height=180)
        if with_picture:
            picture = ImageReader(Image.new("RGB", (300, 120), (250, 250, 240 - number)))
            pdf.drawImage(picture, 72, 300, width=400, height=160)
        pdf.setFont("Helvetica", 11)
        for i, line in enumerate(text.split("\n")):
            pdf.drawString(72, 700 - 14 * i, line)
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def test_a_picture_beside_text_is_named_and_a_logo_on_every_page_is_not() -> None:
    data = _pdf_with_pictures(
        [
            ("1. Scope\nThe Supplier designs the service.", True, False),
            ("2. Rates\nThe rates for variations are set out below:", True, True),
            ("3. Terms\nThe Customer pays within 30 days.", True, False),
        ]
    )
    warnings = ingest(data, filename="pictures.pdf").warnings
    assert len(warnings) == 1 and warnings[0].startswith("page 2 has an image"), warnings
    whole = _document("au_fixed_two_column.pdf").warnings
    assert [w[:24] for w in whole] == ["page 6 has an image besi"], whole


def test_a_page_blank_but_for_its_running_header_is_no_scan() -> None:
    data = _pdf_with_pictures(
        [
            ("1. Scope\nThe Supplier designs the service.", False, False),
            ("", False, False),
            ("2. Terms", False, False),
        ]
    )
    document = ingest(data, filename="blank.pdf")
    assert document.pages[1].text == "" and not document.warnings
    scanned = _document("signed_envelope.pdf")
    assert any(w.startswith("page 2 has no extractable text") for w in scanned.warnings)


# --- running headers and footers ---------------------------------------------------------------


def test_a_running_header_holding_the_page_number_is_removed_on_that_page_too() -> None:
    bodies = ["Scope of the work.", "Fees are fixed.", "Acceptance tests.", "Liability caps.", "Signatures."]
    pages = [
        ["Kestrel Digital  SOW 4 - Portal", body, f"Page {n} of 5"] for n, body in enumerate(bodies, start=1)
    ]
    cleaned, _ = remove_headers_footers(pages)
    assert cleaned == [[body] for body in bodies]
    assert "SOW 4" not in _flat(_document("uk_fixed_milestones.pdf").pages[3].text)


def test_a_year_alone_on_the_last_line_is_text_not_a_page_number() -> None:
    pages = [["Issued under the Framework Agreement dated 14 June", "2024"], ["Body", "2"], ["Body two", "3"]]
    cleaned, _ = remove_headers_footers(pages)
    assert cleaned[0] == pages[0] and cleaned[1] == ["Body"]
    assert "dated 14 June 2024" in _flat(_document("se_tm_framework.pdf").pages[0].text)


# --- columns and tables ----------------------------------------------------------------------------


def test_two_column_terms_keep_each_clause_on_lines_of_its_own() -> None:
    lines = _document("uk_fixed_milestones.pdf").pages[4].text.split("\n")
    assert lines[0].startswith("8.7 Termination.") and len(lines[0]) < 80
    assert any(line.startswith("8.8 Governing law.") for line in lines)


def test_a_narrow_first_column_header_is_its_own_cell() -> None:
    document = _document("uk_fixed_milestones.pdf")
    headers = [[c.text for c in t.header] for t in document.tables if t.header]
    assert ["No.", "Milestone", "Acceptance criteria", "Milestone Payment", "Target date"] in headers
    table = next(t for t in document.tables if len(t.header) == 5)
    assert table.pages == (3, 4) and len(table.rows) == 5


# --- DOCX tracked changes ----------------------------------------------------------------------


def test_docx_tracked_changes_read_as_accepted() -> None:
    text = _document("us_mixed_tracked.docx").text
    flat = _flat(text)
    assert "within forty-five (45) days of receipt" in flat and "sixty (60)" not in flat
    assert "not to exceed $30,000 in the aggregate" in flat
    assert "Data Architect\t$310" in text and "Associate" not in text
    assert "Exclusivity" not in flat
    assert "-\t-" not in text  # a deleted row leaves no empty row behind


def test_docx_moved_text_is_read_once_at_its_destination() -> None:
    import docx
    from docx.oxml import parse_xml

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    document = docx.Document()
    document.add_paragraph("Payment terms follow.")
    body = document.element.body
    moved = (
        f'<w:p xmlns:w="{w}"><w:moveFrom w:id="1" w:author="A" w:date="2026-01-01T00:00:00Z">'
        "<w:r><w:t>Invoices are payable within 30 days.</w:t></w:r></w:moveFrom></w:p>"
    )
    arrived = (
        f'<w:p xmlns:w="{w}"><w:moveTo w:id="2" w:author="A" w:date="2026-01-01T00:00:00Z">'
        "<w:r><w:t>Invoices are payable within 30 days.</w:t></w:r></w:moveTo></w:p>"
    )
    body.insert(0, parse_xml(moved))
    body.insert(len(body) - 1, parse_xml(arrived))
    out = io.BytesIO()
    document.save(out)
    text = ingest(out.getvalue(), filename="moved.docx").text
    assert text.count("Invoices are payable within 30 days.") == 1


# --- the second batch's producers ------------------------------------------------------------------


def test_chromium_row_set_in_one_tj_keeps_its_narrow_first_column() -> None:
    # Chromium sets each row of the landscape schedule in one TJ, moving from cell to cell
    # with large adjustments; "No." / "1" is a column, not a list label before "Milestone".
    document = _document("sg_fixed_chromium.pdf")
    tables = [t for t in document.tables if t.header and t.header[0].text == "No."]
    assert len(tables) == 1
    assert [c.text for c in tables[0].header] == [
        "No.",
        "Milestone",
        "Achieved when",
        "Share",
        "Amount (SGD)",
    ]
    rows = [[c.text for c in r] for r in tables[0].rows]
    assert [r[:2] for r in rows] == [
        ["1", "Data assessment"],
        ["2", "Engine build"],
        ["3", "Pilot"],
        ["4", "Roll-out and handover"],
    ]
    assert [r[-2:] for r in rows] == [
        ["15%", "39,600"],
        ["30%", "79,200"],
        ["25%", "66,000"],
        ["30%", "79,200"],
    ]


def test_reportlab_bottom_aligned_cells_read_as_one_row_each() -> None:
    # reportlab aligns cells to the bottom of the row: the role and the rate sit on the
    # baseline of the description's last line, its earlier lines above them.
    document = _document("nz_tm_reportlab.pdf")
    tables = [t for t in document.tables if t.header and t.header[0].text == "Role"]
    assert len(tables) == 1
    rows = [[c.text for c in r] for r in tables[0].rows]
    assert rows[0] == [
        "Engagement Lead",
        "Accountable for delivery, reporting and the relationship with the sponsor",
        "295",
    ]
    assert [r[0] for r in rows] == [
        "Engagement Lead", "Principal Data Scientist", "Data Scientist", "Data Engineer", "Business Analyst",
    ]  # fmt: skip
    assert [r[2] for r in rows] == ["295", "265", "210", "195", "165"]


def test_space_between_paragraphs_is_a_blank_line_and_table_rows_stay_together() -> None:
    document = _document("sg_fixed_chromium.pdf")
    page = document.pages[1].text
    assert "4. Acceptance\n\nEach deliverable is deemed accepted" in page
    assert "\n\n" not in page.split("2. Scope\n\n")[1].split("\n\n")[0]  # the list stays one block
    schedule = document.pages[3].text
    rows = schedule[schedule.index("No.") :]
    assert "\n\n" not in rows
    _offsets_slice(document)


def test_docx_table_after_a_paragraph_is_a_block_of_its_own() -> None:
    import docx

    source = docx.Document()
    source.add_paragraph("This SOW is governed by the laws of Ontario.")
    table = source.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "For the Client"
    table.cell(0, 1).text = "For the Consultant"
    buffer = io.BytesIO()
    source.save(buffer)
    document = ingest(buffer.getvalue(), filename="sow.docx")
    assert "laws of Ontario.\n\nFor the Client\tFor the Consultant" in document.pages[0].text


def _offsets_slice(document: Document) -> None:
    for page, start in zip(document.pages, document.page_offsets, strict=True):
        assert document.text[start : start + len(page.text)] == page.text
    for table in document.tables:
        for row in (table.header, *table.rows):
            for cell in row:
                for part in (cell, *cell.continued):
                    assert document.page(part.page).text[part.start : part.end] == part.text
