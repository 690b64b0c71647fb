"""Layouts seen in SOWs rendered by other firms' tools: running lines in two parts, tables
that go on under a "(continued)" title or stand one under another, wrapped cells closed by
a drawn rule.

Inputs are plain text pages joined by form feeds, so each case holds exactly the lines it is
about (the text reader and the PDF reader share everything after the page's lines).
"""

from __future__ import annotations

from extraction import ingest
from extraction.document import Document, Table
from extraction.ingest.normalise import remove_headers_footers


def _text(*pages: str) -> Document:
    return ingest("\f".join(pages).encode("utf-8"), filename="sow.txt")


def _cells(table: Table) -> list[list[str]]:
    return [[c.text + "".join(f" {r.text}" for r in c.continued) for c in row] for row in table.rows]


def test_a_running_header_of_two_lines_in_two_parts_is_no_table_header() -> None:
    # Each line of the header has a left and a right part, so the first looks like a table's
    # header row over a row of as many cells; it repeats on every page with no table under it.
    pages = [
        [
            "NORTHWIND ENGINEERING - Fee Proposal P-7 Rev. 2    Harbour Water Board",
            f"Project No. 24117 / Issued for Signature          {n} / 3",
            body,
        ]
        for n, body in enumerate(
            ["1. Scope. Design of the intake.", "2. Fees. A lump sum of $80,000.", "3. Law. Alberta law."],
            start=1,
        )
    ]
    cleaned, removed = remove_headers_footers(pages)
    assert removed == 6
    assert [lines for lines in cleaned] == [[p[2]] for p in pages]


def test_a_table_header_repeated_after_a_page_break_is_still_kept() -> None:
    head = "Role          Rate (USD/hr)    Est. hours"
    pages = [
        [
            "Firm LLC    SOW 12",
            head,
            "Architect     $265             360",
            "Engineer      $235             520",
        ],
        [
            "Firm LLC    SOW 12",
            head,
            "Analyst       $140             60",
            "Coordinator   $95              20",
        ],
        ["Firm LLC    SOW 12", "The Client shall pay within 30 days."],
    ]
    cleaned, _ = remove_headers_footers(pages)
    assert cleaned[1][0] == head
    assert all("Firm LLC" not in line for lines in cleaned for line in lines)


def test_a_heading_between_two_tables_is_no_rest_of_the_last_row() -> None:
    document = _text(
        "Schedule 1 - Fees\n\nItem\tBasis\tAmount (AUD)\nAccount Director\tper hour\t240\n"
        "Photography day\tper day\t3,200\n\nSchedule 2 - Brands\n\nBrand\tCategory\tNotes\n"
        "Sunday Oats\tPorridge\tWinter campaign\nLittle Harvest\tSnack bars\tNew launch"
    )
    fees, brands = document.tables
    assert _cells(fees)[-1] == ["Photography day", "per day", "3,200"]
    assert [c.text for c in brands.header] == ["Brand", "Category", "Notes"]


def test_a_table_continued_under_a_title_on_the_next_page_is_one_table() -> None:
    rule = "-" * 60
    head = "Position                Name           Rate       Est. hours"
    document = _text(
        f"SCHEDULE 2 - HOURLY RATES\n\n{rule}\n{head}\n{rule}\n"
        "Technical Director      R. Paekau      $265/hr    40\n"
        "Senior Environmental    M. Ostrowski   $185/hr    210\n"
        f"Scientist\n{rule}",
        f"SCHEDULE 2 - HOURLY RATES (continued)\n\n{rule}\n{head}\n{rule}\n"
        "Field Technician        various        $118/hr    380\n"
        f"Administration          various        $82/hr     24\n{rule}\n\nNote: mileage is extra.",
    )
    assert len(document.tables) == 1
    rows = _cells(document.tables[0])
    assert [r[0] for r in rows] == [
        "Technical Director", "Senior Environmental Scientist", "Field Technician", "Administration",
    ]  # fmt: skip
    assert {c.page for row in document.tables[0].rows for c in row} == {1, 2}


def test_a_new_table_after_prose_on_the_next_page_is_not_joined_to_the_last_one() -> None:
    document = _text(
        "Rates\n\nRole        Rate\nArchitect   $265\nEngineer    $235",
        "The client reviews each deliverable within ten days of delivery.\n"
        "It then tells the firm in writing.\nAcceptance follows.\n\n"
        "Role        Rate\nTrainer     $120\nWriter      $90",
    )
    assert len(document.tables) == 2
