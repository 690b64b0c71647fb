"""Ingestion: exact offsets, normalisation, tables, and every bad input with real malformed files."""

from __future__ import annotations

import io
import zipfile
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extraction import (
    CorruptDocumentError,
    DecompressionBombError,
    DocumentTooLargeError,
    EmptyDocumentError,
    EncryptedDocumentError,
    ExtractionLimits,
    MislabelledMediaError,
    TextEncodingError,
    TruncatedDocumentError,
    UnsupportedMediaError,
    ingest,
)
from extraction.document import Document, Page
from extraction.schemas import DocumentInfo


def _pdf(paragraphs: list[str], *, table: list[list[str]] | None = None, footer: bool = False) -> bytes:
    from reportlab.lib.pagesizes import letter
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate
    from reportlab.platypus import Table as RLTable

    buffer = io.BytesIO()
    styles = getSampleStyleSheet()

    def draw_footer(canvas, doc):  # type: ignore[no-untyped-def]
        canvas.setFont("Helvetica", 8)
        canvas.drawString(72, 30, "Acme Consulting LLP - Confidential")
        canvas.drawRightString(540, 30, f"Page {doc.page}")

    story: list = [Paragraph(p, styles["Normal"]) for p in paragraphs]
    if table:
        story.append(RLTable(table, repeatRows=1))
    template = SimpleDocTemplate(buffer, pagesize=letter)
    if footer:
        template.build(story, onFirstPage=draw_footer, onLaterPages=draw_footer)
    else:
        template.build(story)
    return buffer.getvalue()


def _docx(
    paragraphs: list[str], *, page_break_after: int | None = None, table: list[list[str]] | None = None
) -> bytes:
    import docx
    from docx.enum.text import WD_BREAK

    document = docx.Document()
    for index, text in enumerate(paragraphs):
        paragraph = document.add_paragraph(text)
        if page_break_after is not None and index == page_break_after:
            paragraph.add_run().add_break(WD_BREAK.PAGE)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@given(
    pages=st.lists(st.text(alphabet=st.characters(codec="utf-8"), max_size=80), min_size=1, max_size=4),
    data=st.data(),
)
@settings(max_examples=60, deadline=None)
def test_evidence_for_span_always_slices_to_the_quote(pages: list[str], data: st.DataObject) -> None:
    document = Document(
        pages=[Page(i + 1, t) for i, t in enumerate(pages)],
        info=DocumentInfo(sha256="0", pages=len(pages), media_type="text/plain"),
    )
    start = data.draw(st.integers(0, len(document.text)))
    end = data.draw(st.integers(start, len(document.text)))
    for evidence in document.evidence_for_span(start, end):
        assert document.page(evidence.page).text[evidence.start : evidence.end] == evidence.quote


@given(
    text=st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=300)
)
@settings(max_examples=60, deadline=None)
def test_ingested_text_pages_are_final_so_offsets_slice(text: str) -> None:
    try:
        document = ingest(text.encode("utf-8"), filename="x.txt")
    except (EmptyDocumentError, UnsupportedMediaError):
        return
    for page in document.pages:
        for start in range(0, len(page.text), 7):
            evidence = document.evidence(page.number, start, start + 5)
            assert page.text[evidence.start : evidence.end] == evidence.quote
    assert "\f" not in "".join(p.text for p in document.pages)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("The of\ufb01ce and the \ufb02oor", "The office and the floor"),
        ("net\u00a030\u2009days", "net 30 days"),
        ("zero\u200bwidth", "zerowidth"),
        ("The senior consul-\ntant will attend.", "The senior consultant\nwill attend."),
        ("soft\u00ad\nhyphen here", "softhyphen\nhere"),
        ("well-\nKnown stays", "well-\nKnown stays"),
        # A compound the document writes with its hyphen, or whose halves are its words, keeps it.
        ("A non-\ncompete applies. The non-compete lasts.", "A non-compete\napplies. The non-compete lasts."),
        (
            "Any third-\nparty claim by a party or a third person.",
            "Any third-party\nclaim by a party or a third person.",
        ),
        ("The consul-\ntant and the consultant.", "The consultant\nand the consultant."),
    ],
)
def test_ingest_text_normalises_before_offsets_are_fixed(raw: str, expected: str) -> None:
    document = ingest(raw.encode("utf-8"), filename="sow.txt")
    assert document.pages[0].text == expected


def test_pdf_repeated_footer_and_page_numbers_are_removed() -> None:
    paragraphs = [
        f"Paragraph {i} of the services description, long enough to fill the page." for i in range(90)
    ]
    document = ingest(_pdf(paragraphs, footer=True), filename="sow.pdf")
    assert len(document.pages) >= 2
    for page in document.pages:
        assert "Confidential" not in page.text
        assert not any(line.strip().startswith("Page ") for line in page.text.splitlines())
    assert "Paragraph 0 of the services" in document.pages[0].text


def test_pdf_rate_table_is_recovered_across_a_page_break() -> None:
    rows = [["Role", "Rate", "Unit"]] + [
        [f"Consultant Grade {i}", f"${100 + i}.00", "per hour"] for i in range(70)
    ]
    document = ingest(_pdf(["Rate card follows."], table=rows), filename="rates.pdf")
    assert len(document.pages) >= 2
    tables = [t for t in document.tables if t.header and t.header[0].text == "Role"]
    assert len(tables) == 1
    table = tables[0]
    assert len(table.rows) == 70
    assert len(table.pages) >= 2
    assert [c.text for c in table.rows[-1]] == ["Consultant Grade 69", "$169.00", "per hour"]
    for row in table.rows:
        for cell in row:
            assert document.page(cell.page).text[cell.start : cell.end] == cell.text


def test_pdf_page_without_text_is_warned_about_by_number() -> None:
    import pypdf

    writer = pypdf.PdfWriter()
    writer.append(pypdf.PdfReader(io.BytesIO(_pdf(["Fees are payable net 30."]))))
    writer.add_blank_page(width=612, height=792)
    buffer = io.BytesIO()
    writer.write(buffer)
    document = ingest(buffer.getvalue(), filename="scan.pdf")
    assert any("page 2" in w and "no extractable text" in w for w in document.warnings)


def test_docx_explicit_page_break_and_table() -> None:
    data = _docx(
        ["First page text.", "Second page text."],
        page_break_after=0,
        table=[["Role", "Rate"], ["Analyst", "$100"]],
    )
    document = ingest(data, filename="sow.docx")
    assert [p.text.splitlines()[0] for p in document.pages] == ["First page text.", "Second page text."]
    assert document.tables and [c.text for c in document.tables[0].rows[0]] == ["Analyst", "$100"]


@pytest.mark.parametrize(
    ("data", "encoding_note"),
    [
        ("Fees: €1.250,00 – net 30".encode("utf-16"), None),
        ("Fees: €1.250,00 – net 30".encode("utf-16-le"), "utf-16-le"),
        ("Fees: €1.250,00 – net 30".encode("cp1252"), "cp1252"),
        ("\ufeffFees: €1.250,00 – net 30".encode(), None),
    ],
)
def test_text_encodings_are_detected(data: bytes, encoding_note: str | None) -> None:
    document = ingest(data, filename="sow.txt")
    assert document.pages[0].text == "Fees: €1.250,00 – net 30"
    if encoding_note:
        assert any(encoding_note in w.lower() or "windows-1252" in w.lower() for w in document.warnings)


def _encrypted_pdf(user_password: str) -> bytes:
    import pypdf

    writer = pypdf.PdfWriter()
    writer.append(pypdf.PdfReader(io.BytesIO(_pdf(["Secret fees net 30."]))))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="AES-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _zero_page_pdf() -> bytes:
    import pypdf

    buffer = io.BytesIO()
    pypdf.PdfWriter().write(buffer)
    return buffer.getvalue()


def _bomb_pdf() -> bytes:
    import pypdf
    from pypdf.generic import DecodedStreamObject, NameObject

    writer = pypdf.PdfWriter()
    page = writer.add_blank_page(width=612, height=792)
    stream = DecodedStreamObject()
    stream.set_data(b"BT /F1 12 Tf (x) Tj ET\n" + b" " * 8_000_000)
    compressed = stream.flate_encode()
    page[NameObject("/Contents")] = writer._add_object(compressed)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _zip_bomb_docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<w:document>" + b"A" * 30_000_000 + b"</w:document>")
    return buffer.getvalue()


def _png() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + zlib.compress(b"\x00" * 100)


@pytest.mark.parametrize(
    ("make", "filename", "limits", "error", "words"),
    [
        (lambda: _encrypted_pdf("secret"), "locked.pdf", None, EncryptedDocumentError, "password"),
        (lambda: _pdf(["Fees net 30."])[:-200], "cut.pdf", None, TruncatedDocumentError, "truncated"),
        (lambda: b"just some plain text, not a PDF", "fake.pdf", None, MislabelledMediaError, "plain text"),
        (lambda: _docx(["hello"]), "sow.pdf", None, MislabelledMediaError, "DOCX"),
        (_zero_page_pdf, "empty.pdf", None, EmptyDocumentError, "no pages"),
        (
            lambda: _pdf([f"Line {i} " * 40 for i in range(80)]),
            "long.pdf",
            ExtractionLimits(max_pages=1),
            DocumentTooLargeError,
            "limit",
        ),
        (
            _bomb_pdf,
            "bomb.pdf",
            ExtractionLimits(max_stream_bytes=1_000_000),
            DecompressionBombError,
            "expands",
        ),
        (lambda: b"PK but not really a zip file", "sow.docx", None, CorruptDocumentError, "ZIP"),
        (lambda: b"plain words", "sow.docx", None, CorruptDocumentError, "not a ZIP"),
        (
            _zip_bomb_docx,
            "bomb.docx",
            ExtractionLimits(max_stream_bytes=5_000_000),
            DecompressionBombError,
            "expands",
        ),
        (lambda: b"caf\x81\x8d\x90 bytes", "sow.txt", None, TextEncodingError, "Windows-1252"),
        (_png, "scan.png", None, UnsupportedMediaError, "PNG"),
        (lambda: b"x" * 2000, "big.txt", ExtractionLimits(max_bytes=1000), DocumentTooLargeError, "limit"),
        (lambda: b"   \n  ", "blank.txt", None, EmptyDocumentError, "empty"),
    ],
)
def test_bad_input_raises_a_specific_error(make, filename, limits, error, words) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(error) as caught:
        ingest(make(), filename=filename, limits=limits)
    assert words.lower() in str(caught.value).lower()
    assert "\n" not in str(caught.value)


def test_encrypted_pdf_with_empty_user_password_opens_with_a_warning() -> None:
    document = ingest(_encrypted_pdf(""), filename="restricted.pdf")
    assert "Secret fees net 30." in document.pages[0].text
    assert any("empty user password" in w for w in document.warnings)


def test_docx_without_explicit_breaks_uses_words_rendered_page_breaks() -> None:
    import docx
    from docx.oxml import OxmlElement

    document = docx.Document()
    document.add_paragraph("Page one text.")
    second = document.add_paragraph()
    run = second.add_run()
    run._r.append(OxmlElement("w:lastRenderedPageBreak"))
    run.add_text("Page two text.")
    buffer = io.BytesIO()
    document.save(buffer)
    pages = ingest(buffer.getvalue(), filename="saved-by-word.docx").pages
    assert [p.text for p in pages] == ["Page one text.", "Page two text."]


def test_long_docx_without_any_breaks_is_cut_into_virtual_pages() -> None:
    from extraction.ingest.docx import VIRTUAL_PAGE_CHARS

    paragraphs = [f"Paragraph {i} " + "word " * 40 for i in range(60)]
    pages = ingest(_docx(paragraphs), filename="long.docx").pages
    assert len(pages) > 1
    assert all(len(p.text) < 2 * VIRTUAL_PAGE_CHARS for p in pages)
    assert "\n".join(p.text for p in pages).count("Paragraph ") == 60


def test_three_part_running_header_above_a_table_is_removed_but_a_repeated_table_header_kept() -> None:
    header = "Acme Advisory    CONFIDENTIAL    SOW-7"
    table_head = "Role    Rate (EUR)    Unit"
    pages = [
        f"{header}\nFees are charged on a time and materials basis.\n{table_head}\n"
        "Business Analyst    245 EUR    Hourly\nDeveloper    130 EUR    Hourly",
        f"{header}\n{table_head}\nArchitect    310 EUR    Hourly\nTester    95 EUR    Hourly",
        f"{header}\nThe client pays each invoice within thirty days of receipt.",
    ]
    document = ingest("\f".join(pages).encode("utf-8"), filename="sow.txt")
    assert all("CONFIDENTIAL" not in p.text for p in document.pages)
    assert document.pages[1].text.startswith(table_head)
    tables = [t for t in document.tables if t.header and t.header[0].text == "Role"]
    assert len(tables) == 1
    assert [c.text for c in tables[0].rows[-1]] == ["Tester", "95 EUR", "Hourly"]


def test_running_line_with_an_id_containing_the_page_number_is_removed() -> None:
    # "3C1F..." holds a "1" on page 1: only whole-number tokens are masked as page numbers.
    line = "Envelope ID: 3C1F9A27-55D0-4E8B-9B61-0F2A7D4C8E19"
    bodies = ["Services.", "Fees are fixed.", "Payment is net 30.", "Term is one year.", "Law: England."]
    pages = [f"{line}\n{body}" for body in bodies]
    document = ingest("\f".join(pages).encode("utf-8"), filename="sow.txt")
    assert [p.text for p in document.pages] == bodies


def _docx_with_body_xml(body_xml: str) -> bytes:
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    body = document.element.body
    namespaces = (
        'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'xmlns:v="urn:schemas-microsoft-com:vml"'
    )
    for element in parse_xml(f"<w:wrap {namespaces}>{body_xml}</w:wrap>").iterchildren():
        body.insert(len(body) - 1, element)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_content_controls_alternate_content_and_nested_tables() -> None:
    def p(text: str) -> str:
        return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"

    box = "<w:txbxContent>" + p("Fees exclude VAT.") + "</w:txbxContent>"
    body = (
        "<w:sdt><w:sdtPr/><w:sdtContent>" + p("Client: Halvorsen Marine AS") + "</w:sdtContent></w:sdt>"
        '<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>' + box + "</w:drawing>"
        "</mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>" + box + "</v:textbox></v:shape></w:pict>"
        "</mc:Fallback></mc:AlternateContent></w:r></w:p>"
        '<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="4320"/></w:tabs></w:pPr>'
        "<w:r><w:t>Net 30</w:t></w:r><w:r><w:noBreakHyphen/><w:t>day terms</w:t></w:r></w:p>"
        "<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid>"
        "<w:tr><w:tc>" + p("Role") + "</w:tc><w:tc>" + p("Rate") + "</w:tc></w:tr>"
        "<w:tr><w:tc>"
        + p("Analyst")
        + "</w:tc><w:tc><w:tbl><w:tr><w:tc>"
        + p("$100")
        + "</w:tc><w:tc>"
        + p("per hour")
        + "</w:tc></w:tr></w:tbl>"
        + p("")
        + "</w:tc></w:tr></w:tbl>"
    )
    document = ingest(_docx_with_body_xml(body), filename="sow.docx")
    text = document.text
    assert "Client: Halvorsen Marine AS" in text
    assert text.count("Fees exclude VAT.") == 1
    assert "\nNet 30-day terms" in text
    assert [[c.text for c in row] for row in document.tables[0].rows] == [["Analyst", "$100 per hour"]]


def test_footer_block_of_four_lines_and_a_filings_own_page_numbers_are_removed() -> None:
    # A court filing's stamp carries its own page numbers ("Page 7 of 60" on the PDF's
    # page 6); a four-line legend sits at the bottom of every page; a short line of the
    # body that repeats deep in the page is not taken with it.
    pages = []
    for n in range(1, 7):
        pages.append(
            "\n".join(
                [
                    "Case 18-10248",
                    f"Doc 632-1 Filed 04/18/18 Page {n + 1} of 60",
                    f"Section {n + 4}. The agent conducts the sale of the assets listed in schedule {n + 9}.",
                    "Agreed.",
                    "The merchant pays the agent's expenses within thirty days of each invoice.",
                    f"Clause {n + 4}.2 ends the section and the parties move on to the next matter here.",
                    "CERTAIN PORTIONS OF THIS EXHIBIT HAVE BEEN OMITTED",
                    "PURSUANT TO A REQUEST FOR CONFIDENTIAL TREATMENT",
                    "UNDER RULE 24B-2. OMISSIONS ARE DESIGNATED [***].",
                    "FILED SEPARATELY WITH THE COMMISSION.",
                ]
            )
        )
    document = ingest("\f".join(pages).encode("utf-8"), filename="sow.txt")
    for page in document.pages:
        assert "Filed 04/18/18" not in page.text
        assert "OMITTED" not in page.text and "COMMISSION" not in page.text
        assert page.text.startswith("Section ")
        assert "Agreed." in page.text
