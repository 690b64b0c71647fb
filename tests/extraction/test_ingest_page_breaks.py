"""Text and tables that go on across a page break, read as the page shows them.

A row broken across the break keeps the rest of its cells; a paragraph the break cuts
(with a running header, a page number and a footnote between its halves) reads as one
clause whose evidence is exact on each page; a word hyphenated across the break is
joined where it starts.

The table PDFs are drawn by hand with reportlab's canvas, one string at a time and in the
order a word processor draws them (a row's cells left to right, a wrapped cell's
lines under its first one), so each case holds exactly the geometry it is about.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from extraction import ingest
from extraction.document import Document, Table, TableCell
from extraction.segment import Clause, segment_document

WHOLE = Path(__file__).resolve().parent / "whole_documents"
Drawn = tuple[float, float, str] | tuple[float, float, str, float]


def _pdf(pages: list[list[Drawn]], *, font: str = "Helvetica") -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer, pagesize=A4)
    for strings in pages:
        for item in strings:
            x, y, text = item[0], item[1], item[2]
            sheet.setFont(font, item[3] if len(item) > 3 else 10)
            sheet.drawString(x, y, text)
        sheet.showPage()
    sheet.save()
    return buffer.getvalue()


def _furniture(number: int, count: int) -> list[Drawn]:
    return [(72, 800, "Marlowe Hart Consulting Pty Ltd", 8), (480, 40, f"Page {number} of {count}", 8)]


def _table(document: Document, first_header: str) -> Table:
    tables = [t for t in document.tables if t.header and t.header[0].text == first_header]
    assert len(tables) == 1, [[c.text for c in t.header] for t in document.tables]
    return tables[0]


def _assert_cells_slice(document: Document, table: Table) -> None:
    cells: list[TableCell] = [c for row in (table.header, *table.rows) for c in row]
    for cell in cells:
        for part in (cell, *cell.continued):
            assert document.page(part.page).text[part.start : part.end] == part.text


_X = (72.0, 130.0, 420.0)  # Stage | Deliverable | Fee


def _row(y: float, stage: str, deliverable: list[str], fee: str) -> list[Drawn]:
    """One row as a word processor draws it: each cell in turn, a wrapped cell line by line."""
    drawn: list[Drawn] = [(_X[0], y, stage)]
    drawn += [(_X[1], y - 12 * i, line) for i, line in enumerate(deliverable)]
    drawn.append((_X[2], y, fee))
    return drawn


def _milestone_pdf(*, repeat_header: bool) -> bytes:
    header: list[Drawn] = [(_X[0], 0, "Stage"), (_X[1], 0, "Deliverable"), (_X[2], 0, "Fee (AUD)")]
    first: list[Drawn] = [*_furniture(1, 2), (72, 760, "Schedule 2 - Payment milestones")]
    first += [(x, 730, t) for x, _, t, *_ in header]
    y = 712.0
    for stage in range(1, 9):
        first += _row(
            y, f"S{stage}", ["Design and build of workstream", f"number {stage}"], f"{stage * 11},000"
        )
        y -= 30
    # The last row breaks across the page: two lines here, the rest of its cell overleaf.
    first += _row(y, "S9", ["Cut-over of the billing platform", "and decommissioning of"], "99,000")
    second: list[Drawn] = _furniture(2, 2)
    top = 760.0
    if repeat_header:
        second += [(x, top, t) for x, _, t, *_ in header]
        top -= 18
    second += [(_X[1], top, "the legacy ledgers"), (_X[1], top - 12, "at all three sites")]
    top -= 36
    second += _row(top, "S10", ["Hypercare and handover"], "12,500")
    second += [
        (72, top - 40, "All fees are exclusive of GST and payable within 30 days of a valid tax invoice.")
    ]
    return _pdf([first, second])


@pytest.mark.parametrize("repeat_header", [True, False])
def test_a_cell_broken_across_a_page_break_keeps_its_rest(repeat_header: bool) -> None:
    document = ingest(_milestone_pdf(repeat_header=repeat_header), filename="schedule.pdf")
    table = _table(document, "Stage")
    assert [c.text for c in table.header] == ["Stage", "Deliverable", "Fee (AUD)"]
    assert [r[0].text for r in table.rows] == [f"S{i}" for i in range(1, 11)]
    broken = table.rows[8]
    assert [c.text for c in broken] == [
        "S9",
        "Cut-over of the billing platform and decommissioning of",
        "99,000",
    ]
    assert broken[1].full_text == (
        "Cut-over of the billing platform and decommissioning of the legacy ledgers at all three sites"
    )
    assert {part.page for part in broken[1].continued} == {2}
    assert [c.text for c in table.rows[9]] == ["S10", "Hypercare and handover", "12,500"]
    assert table.pages == (1, 2)
    _assert_cells_slice(document, table)
    # The repeated header is the header again, not a body row with the rest glued to it.
    assert not any(row[0].text == "Stage" for row in table.rows)
    assert "Deliverable the legacy" not in document.text


def test_a_header_cell_that_wraps_at_the_top_of_a_page_keeps_its_words() -> None:
    # No table ends the page before, so the line under the header is the header's own.
    header: list[Drawn] = [(_X[0], 760, "Role"), (_X[1], 760, "Level"), (_X[2], 760, "Daily rate")]
    header.append((_X[2], 748, "(NZD)"))
    rows: list[Drawn] = []
    for i, (role, level, rate) in enumerate([("Partner", "L5", "3,400"), ("Analyst", "L2", "1,150")]):
        rows += [(_X[0], 730 - 14 * i, role), (_X[1], 730 - 14 * i, level), (_X[2], 730 - 14 * i, rate)]
    document = ingest(_pdf([[(72, 790, "Rates"), *header, *rows]]), filename="rates.pdf")
    table = _table(document, "Role")
    assert table.header[2].full_text == "Daily rate (NZD)"
    assert [[c.text for c in r] for r in table.rows] == [
        ["Partner", "L5", "3,400"],
        ["Analyst", "L2", "1,150"],
    ]


def test_a_cell_that_wraps_onto_a_line_of_its_own_in_every_row_is_no_running_footer() -> None:
    # "GBP" / "12,000": the amount column is narrow, so every row ends on a line of
    # "GBP" and the last rows of each page put "GBP" among the page's bottom lines.
    pages: list[list[Drawn]] = []
    stage = 0
    for number in (1, 2):
        drawn: list[Drawn] = [*_furniture(number, 2), (_X[0], 770, "No."), (_X[1], 770, "Milestone")]
        drawn.append((_X[2], 770, "Amount"))
        y = 750.0
        for _ in range(14):
            stage += 1
            drawn += [(_X[0], y, f"M{stage}"), (_X[1], y, f"Release {stage} accepted in production")]
            drawn += [(_X[2], y, "GBP"), (_X[2], y - 12, f"{stage},000")]
            y -= 30
        pages.append(drawn)
    document = ingest(_pdf(pages), filename="milestones.pdf")
    table = _table(document, "No.")
    assert len(table.rows) == 28
    assert [c.text for c in table.rows[-1]] == ["M28", "Release 28 accepted in production", "GBP 28,000"]
    assert "Marlowe Hart" not in document.text


def test_a_narrow_first_column_close_to_the_next_cell_is_still_a_column() -> None:
    # "M10" ends a few points before its deliverable starts: a word gap, not a cell gap,
    # but the rows above start their second cell there. The next page knows it too.
    rows: list[Drawn] = [(72, 770, "No."), (100, 770, "Milestone"), (400, 770, "Amount")]
    y = 750.0
    for stage in range(1, 13):
        rows += [(72, y, f"M{stage}"), (93.5, y, f"Go-live of release {stage}"), (400, y, f"EUR {stage},500")]
        if stage < 10:
            rows[-2] = (100, y, f"Go-live of release {stage}")
        y -= 16
    second: list[Drawn] = [(86, 770, "No."), (200, 770, "Milestone"), (400, 770, "Amount")]
    second += [(72, 750, "M13"), (93.5, 750, "Go-live of release 13"), (400, 750, "EUR 13,500")]
    document = ingest(_pdf([rows, second]), filename="m.pdf")
    cells = [[c.text for c in r] for t in document.tables for r in t.rows]
    assert ["M10", "Go-live of release 10", "EUR 10,500"] in cells
    assert ["M13", "Go-live of release 13", "EUR 13,500"] in cells


def test_a_cell_taller_than_a_dozen_lines_stays_in_its_row() -> None:
    drawn: list[Drawn] = [(_X[0], 770, "Stage"), (_X[1], 770, "Deliverable"), (_X[2], 770, "Fee")]
    drawn += _row(750, "S1", ["Discovery"], "8,000")
    drawn += _row(730, "S2", [f"Build line {i} of the integration layer" for i in range(1, 17)], "64,000")
    drawn += _row(520, "S3", ["Handover"], "6,000")
    document = ingest(_pdf([drawn]), filename="tall.pdf")
    table = _table(document, "Stage")
    assert [r[0].text for r in table.rows] == ["S1", "S2", "S3"]
    assert table.rows[1][2].text == "64,000"
    assert table.rows[1][1].text.endswith("Build line 16 of the integration layer")


def test_a_footer_under_the_last_lines_of_a_short_page_is_removed() -> None:
    pages: list[list[Drawn]] = []
    for number in (1, 2, 3):
        lines = 30 if number < 3 else 3
        drawn: list[Drawn] = [
            (72, 780 - 16 * i, f"Clause {number}.{i} binds the parties.") for i in range(lines)
        ]
        drawn.append((72, 40, "Marlowe Hart  |  Commercial in confidence", 8))
        pages.append(drawn)
    document = ingest(_pdf(pages), filename="short.pdf")
    assert all("Commercial in confidence" not in p.text for p in document.pages)
    assert document.pages[2].text.splitlines() == [f"Clause 3.{i} binds the parties." for i in range(3)]


def test_word_symbol_font_bullets_are_list_labels_not_a_table() -> None:
    # LibreOffice keeps Word's Symbol-font bullet as U+F0B7, set off from its text by a tab.
    document = ingest((WHOLE / "se_tm_framework.pdf").read_bytes(), filename="se_tm_framework.pdf")
    assert "\uf0b7" not in document.text
    assert "• “Business Day” means a day on which banks are open" in document.text
    assert not [t for t in document.tables for row in t.rows if row[0].text in ("•", "\uf0b7")]


# --- a paragraph that runs on across a page break ------------------------------------------------

_TERMINATION = (
    "33. Termination. The Client may terminate this Statement of Work for convenience by giving "
    "the Adviser not less than thirty (30) Business Days<super>1</super> written notice, in which "
    "event the Client shall pay the Adviser for all Services performed up to the effective date of "
    "termination together with any non-cancellable commitments properly incurred before the notice "
    "was received, and the Adviser shall deliver to the Client all work in progress."
)
_NOTE = "1 A Business Day is a day other than a Saturday, Sunday or public holiday in Lagos."


def _running_paragraph_pdf(fillers: int, *, last: str = _TERMINATION) -> bytes:
    """A clause the page break cuts, with a running header, a page number and a footnote between."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    body = ParagraphStyle("body", fontName="Times-Roman", fontSize=11, leading=14)

    class WithFurniture(SimpleDocTemplate):
        # Drawn after the page's text, where a word processor puts its footnotes.
        def afterPage(self) -> None:
            sheet = self.canv
            sheet.setFont("Helvetica", 8)
            sheet.drawString(72, A4[1] - 40, "Okafor & Lindqvist Advisory")
            sheet.drawRightString(A4[0] - 72, 30, str(self.page))
            if self.page == 1:
                sheet.setFont("Times-Roman", 8)
                sheet.drawString(72, 62, _NOTE)

    story = [
        Paragraph(f"{i}. The Adviser shall keep records of the time spent and make them available.", body)
        for i in range(1, fillers + 1)
    ]
    story.append(Paragraph(last, body))
    story += [Paragraph(f"{i}. The Adviser shall comply with the site rules.", body) for i in range(34, 40)]
    buffer = io.BytesIO()
    WithFurniture(buffer, pagesize=A4, bottomMargin=90).build(story)
    return buffer.getvalue()


def _clause_with(document: Document, words: str) -> Clause:
    found = [c for c in segment_document(document) if words in re.sub(r"\s+", " ", c.text)]
    assert len(found) == 1, [c.text[:60] for c in segment_document(document)]
    return found[0]


# With these fillers the page break falls after "together with any" (checked below).
_FILLERS_TO_CUT = 43


def test_a_clause_cut_by_a_page_break_and_its_footnote_reads_as_one_clause() -> None:
    document = ingest(_running_paragraph_pdf(_FILLERS_TO_CUT), filename="sow.pdf")
    assert "33. Termination" in document.pages[0].text
    assert "shall deliver to the Client" in document.pages[1].text
    clause = _clause_with(document, "33. Termination")
    flat = re.sub(r"\s+", " ", clause.text.replace("\f", " "))
    assert "together with any non-cancellable commitments" in flat
    assert flat.endswith("all work in progress.")
    assert "public holiday in Lagos" not in flat and "Okafor" not in flat
    # The footnote stays on its own page, read above the page's body.
    assert _NOTE in document.pages[0].text
    assert document.pages[0].text.index(_NOTE) < document.pages[0].text.index("1. The Adviser")
    evidence = document.evidence_for_span(clause.start, clause.end)
    assert [e.page for e in evidence] == [1, 2]
    for item in evidence:
        assert document.page(item.page).text[item.start : item.end] == item.quote


def test_a_page_that_ends_its_sentence_keeps_its_footnotes_at_its_foot() -> None:
    short = _TERMINATION.split(", in which")[0] + "."
    document = ingest(_running_paragraph_pdf(_FILLERS_TO_CUT, last=short), filename="sow.pdf")
    first = document.pages[0].text.rstrip()
    assert first.endswith(_NOTE)


@pytest.mark.parametrize(
    ("head", "tail", "joined", "left"),
    [
        ("deliver the final report to the consul-", "tant panel within ten days.", "consultant", "panel"),
        (
            "the parties agree that the non-",
            "compete covenant in clause 9 applies.",
            "non-compete",
            "covenant",
        ),
    ],
)
def test_a_word_hyphenated_across_a_page_break_is_joined_where_it_starts(
    head: str, tail: str, joined: str, left: str
) -> None:
    lines = [f"Line {i} of the services description." for i in range(3)]
    lines += [f"4. Reports. We will {head}", "\f" + tail, "5. Non-compete. The non-compete covenant binds."]
    text = "\n".join(lines)
    document = ingest(text.encode("utf-8"), filename="sow.txt")
    assert document.pages[0].text.splitlines()[-1].split()[-1] == joined
    assert document.pages[1].text.startswith(left)


def test_docx_paragraph_across_a_rendered_page_break_is_one_clause_on_two_pages() -> None:
    import docx
    from docx.oxml import OxmlElement

    document_xml = docx.Document()
    document_xml.add_paragraph("1. Scope. The Consultant will review the billing platform.")
    paragraph = document_xml.add_paragraph()
    paragraph.add_run("2. Payment. The Client shall pay each invoice within sixty (60) days ")
    # Where Word's last layout broke the page: in the middle of the sentence.
    breaker = paragraph.add_run()
    breaker._r.append(OxmlElement("w:lastRenderedPageBreak"))
    breaker.add_text("of receipt, and interest accrues on late payments at 1% per month.")
    document_xml.add_paragraph("3. Law. This SOW is governed by the laws of Ontario.")
    buffer = io.BytesIO()
    document_xml.save(buffer)
    document = ingest(buffer.getvalue(), filename="sow.docx")
    assert len(document.pages) == 2
    clause = _clause_with(document, "2. Payment")
    assert clause.text.rstrip().endswith("at 1% per month.")
    evidence = document.evidence_for_span(clause.start, clause.end)
    assert [e.page for e in evidence] == [1, 2]
    for item in evidence:
        assert document.page(item.page).text[item.start : item.end] == item.quote
