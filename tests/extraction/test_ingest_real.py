"""Ingestion of documents from other producers than our generator.

The fixtures in ``fixtures_real/`` were made once by ``fixtures_real/make_fixtures.py``
(python-docx, LibreOffice, Chromium, a signed-envelope stamp and a scanned page);
``expected.json`` holds the source text. The CUAD test reads real EDGAR PDFs from
the shared data folder when it is there.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from extraction import ingest
from extraction.document import Document

FIXTURES = Path(__file__).resolve().parent / "fixtures_real"
CUAD = Path(__file__).resolve().parents[3] / "shared" / "data" / "cuad"


@cache
def _expected() -> dict[str, Any]:
    return json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))


@cache
def _document(name: str) -> Document:
    return ingest((FIXTURES / name).read_bytes(), filename=name)


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _rows(document: Document, header: list[str]) -> list[list[str]]:
    tables = [t for t in document.tables if [c.text for c in t.header] == header]
    assert len(tables) == 1, [[c.text for c in t.header] for t in document.tables]
    return [[c.text for c in row] for row in tables[0].rows]


def _assert_offsets_exact(document: Document) -> None:
    for table in document.tables:
        for row in (table.header, *table.rows):
            for cell in row:
                assert document.page(cell.page).text[cell.start : cell.end] == cell.text
    for page, start in zip(document.pages, document.page_offsets, strict=True):
        assert document.text[start : start + len(page.text)] == page.text


@pytest.mark.parametrize("name", ["word_sow.pdf", "signed_envelope.pdf"])
def test_libreoffice_pdf_paragraphs_read_verbatim_and_in_order(name: str) -> None:
    # Hyphenation drawn as its own piece ("ma" "-" / "terial"), no-break spaces drawn
    # separately ("net" "\u00a0" "30"), justified text and a literal ligature.
    document = _document(name)
    text = _flat(document.text)
    positions = [text.find(_flat(p)) for p in _expected()["word_sow"]["paragraphs"]]
    assert -1 not in positions
    assert positions == sorted(positions)
    assert "net 30 from receipt; the final invoice" in text
    assert "material nonconformity" in text
    _assert_offsets_exact(document)


@pytest.mark.parametrize("name", ["word_sow.pdf", "signed_envelope.pdf"])
def test_libreoffice_rate_table_with_wrapped_cells_is_one_table_across_pages(name: str) -> None:
    document = _document(name)
    expected = _expected()["word_sow"]
    rows = _rows(document, expected["rate_header"])
    pages = {c.page for t in document.tables for r in t.rows for c in r if t.header}
    assert len(pages) >= 2
    # Cells that wrap inside their cell ("Engagement Partner" / "(band 1)") read as one
    # cell; one row that Word split across the page break is the only one not recovered.
    recovered = [r for r in expected["rates"] if r in rows]
    assert len(recovered) >= len(expected["rates"]) - 1
    assert ["Engagement Partner (band 1)", "$415.00", "per hour"] in rows
    milestones = _rows(document, expected["milestone_header"])
    assert ["M4 Handover", "Runbooks and training", "$50,000.00", "30 September 2026"] in milestones


@pytest.mark.parametrize("name", ["word_sow.pdf", "signed_envelope.pdf", "html_sow.pdf"])
def test_running_headers_footers_and_page_numbers_are_removed(name: str) -> None:
    # The three-part running header ("Firm  CONFIDENTIAL  SOW BL-2291") sits right above
    # the rate table's repeated header row on two pages: it goes, the table header stays.
    document = _document(name)
    key = "html_sow" if name == "html_sow.pdf" else "word_sow"
    for page in document.pages:
        for marker in _expected()[key]["running_header"]:
            assert marker not in page.text
        assert not re.search(r"\bPage \d+ of \d+\b", page.text)


def test_signed_envelope_id_on_every_page_is_removed_and_the_scan_is_named() -> None:
    document = _document("signed_envelope.pdf")
    expected = _expected()["signed_envelope"]
    assert all(expected["envelope"] not in p.text for p in document.pages)
    assert any("page 2 has no extractable text" in w for w in document.warnings)


def test_chromium_pdf_table_cells_and_drawn_hyphen() -> None:
    document = _document("html_sow.pdf")
    expected = _expected()["html_sow"]
    assert _rows(document, expected["rate_header"]) == expected["rates"]
    text = _flat(document.text)
    for paragraph in expected["paragraphs"]:
        assert _flat(paragraph) in text
    assert "the Supplier's aggregate liability is limited" in text
    _assert_offsets_exact(document)


def _cuad_sample() -> list[Path]:
    if not (CUAD / "pdf").is_dir():
        return []
    pdfs = sorted((CUAD / "pdf").glob("*.pdf"))
    small = [p for p in pdfs if p.stat().st_size < 150_000]
    return small[:: max(1, len(small) // 6)][:6]


_WORDS = re.compile(r"[a-z0-9]+")


def _words(text: str) -> list[str]:
    return _WORDS.findall(text.lower().replace("\u201c", '"').replace("\u201d", '"'))


@pytest.mark.skipif(not (CUAD / "pdf").is_dir(), reason="shared CUAD data not present")
@pytest.mark.parametrize("path", _cuad_sample(), ids=lambda p: p.name[:40])
def test_cuad_pdf_text_matches_cuads_own_text(path: Path) -> None:
    from collections import Counter

    txt = CUAD / "txt" / (path.stem + ".txt")
    document = ingest(path.read_bytes(), filename=path.name)
    _assert_offsets_exact(document)
    ours, truth = Counter(_words(document.text)), Counter(_words(txt.read_text(errors="replace")))
    common = sum((ours & truth).values())
    # CUAD's text comes from the filing's HTML; page furniture and OCR-free PDFs differ a little.
    assert common / max(sum(truth.values()), 1) > 0.9
    assert common / max(sum(ours.values()), 1) > 0.9


@pytest.mark.parametrize("name", ["word_sow.docx", "word_sow_libreoffice.docx"])
def test_docx_lists_text_box_footnote_and_merged_cells(name: str) -> None:
    document = _document(name)
    expected = _expected()["word_sow"]
    text = document.text
    for number, item in enumerate(expected["list_items"], start=1):
        assert f"\n{number}. {item}\n" in text
    assert text.count(expected["text_box"]) == 1
    assert text.count(expected["footnote"]) == 1
    # A tab stop defined on the paragraph is not a tab in its text.
    assert "\nFor Brightline Advisory LLC\tFor Halvorsen Marine AS" in text
    assert _rows(document, expected["rate_header"]) == expected["rates"]
    milestones = _rows(document, expected["milestone_header"])
    # The vertically merged "Solution design" covers M2 and M3; "Total" spans two columns.
    assert milestones[:4] == expected["milestones"]
    assert milestones[4] == ["Total", "-", "$250,000.00", "-"]
    assert "\nFixed-fee milestones (USD)\n" in text
    for marker in expected["running_header"]:
        assert marker not in text
    _assert_offsets_exact(document)
