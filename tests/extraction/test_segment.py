# ruff: noqa: E501  (segmentation inputs are test data and read better unbroken)
"""Segmentation: headings, clauses, sentences, page breaks and exact offsets."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extraction.document import Document, Page
from extraction.schemas import DocumentInfo
from extraction.segment import (
    CLAUSE_SPLITTER,
    SECTION_SPLITTER,
    find_sentence_spans,
    is_heading,
    non_clause_kind,
    sections_of,
    segment_document,
    segment_text,
    segmentation_pipeline,
)


def _document(*pages: str) -> Document:
    info = DocumentInfo(sha256="0" * 64, pages=len(pages), media_type="text/plain")
    return Document(pages=[Page(i + 1, text) for i, text in enumerate(pages)], info=info)


@pytest.mark.parametrize(
    "line",
    ["7. Fees and Payment", "Article IV – Term", "ARTICLE 4. FEES", "§ 3 Liability", "Section 12. General",
     "SCHEDULE 2 – RATE CARD", "FEES AND PAYMENT", "A. Services", "Exhibit A", "Clause 5: Term",
     "GCC 21. TERMINATION FOR CONVENIENCE", "H.3 PAYMENT", "SC4 Indemnity", "B12 Service Levels",
     "III. Protection of Company", "XII. General Terms"],
)  # fmt: skip
def test_is_heading_accepts_common_heading_styles(line: str) -> None:
    assert is_heading(line)


@pytest.mark.parametrize(
    "line",
    ["1.1 The Supplier shall pay all invoices.", "Client shall pay within 30 days.", "", "   ",
     "The fees are fixed for the Term, and the parties agree as follows in this Statement of Work:",
     "C2 The Customer will pay each invoice within", "PRIVILEGED AND CONFIDENTIAL", "Strictly Private and Confidential",
     "DRAFT", "SUBJECT TO CONTRACT"],
)  # fmt: skip
def test_is_heading_rejects_clauses(line: str) -> None:
    assert not is_heading(line)


def test_pipeline_is_a_blank_english_pipeline_with_our_components() -> None:
    nlp = segmentation_pipeline()
    assert nlp.lang == "en"
    assert nlp.pipe_names == [SECTION_SPLITTER, CLAUSE_SPLITTER]


TEXT = """STATEMENT OF WORK

1. Fees and Payment
1.1 The Services are charged at the rates below. Acme Inc. shall pay e.g. travel at cost.
1.2 Client shall pay each invoice within thirty (30) days of receipt.
(a) Disputed amounts are excluded.

ARTICLE II – TERM

This SOW begins on 1 March 2025. It ends on 31 December 2025.
"""


def test_sections_follow_headings() -> None:
    headings = [s.heading for s in sections_of(TEXT)]
    assert headings == ["STATEMENT OF WORK", "1. Fees and Payment", "ARTICLE II – TERM"]


def test_numbered_items_split_into_clauses_with_their_heading() -> None:
    clauses = segment_text(TEXT)
    texts = [c.text for c in clauses]
    assert texts[0].startswith("1.1 The Services")
    assert texts[1] == "1.2 Client shall pay each invoice within thirty (30) days of receipt."
    assert texts[2] == "(a) Disputed amounts are excluded."
    assert clauses[1].heading == "1. Fees and Payment"
    assert clauses[-1].heading == "ARTICLE II – TERM"
    for clause in clauses:
        assert TEXT[clause.start : clause.end] == clause.text


def test_sentences_respect_abbreviations() -> None:
    clause = segment_text(TEXT)[0]
    assert [s.text for s in clause.sentences] == [
        "1.1 The Services are charged at the rates below.",
        "Acme Inc. shall pay e.g. travel at cost.",
    ]
    last = segment_text(TEXT)[-1]
    assert len(last.sentences) == 2


def test_spacy_sentences_match_the_clause_sentences() -> None:
    doc = segmentation_pipeline()(TEXT)
    sentences = [s.text.strip() for s in doc.sents]
    assert "1.2 Client shall pay each invoice within thirty (30) days of receipt." in sentences
    assert [s.label_ for s in doc.spans["sections"]][1] == "1. Fees and Payment"


def test_clause_across_a_page_break_keeps_the_page_it_starts_on() -> None:
    document = _document(
        "1. Termination\n1.1 Client may terminate this SOW for convenience",
        "on fifteen (15) days' written notice.\n1.2 Either party may terminate for material breach.",
    )
    clauses = segment_document(document)
    crossing = next(c for c in clauses if "for convenience" in c.text)
    assert crossing.page == 1
    assert "fifteen (15)" in crossing.text
    evidence = document.evidence_for_span(crossing.start, crossing.end)
    assert [e.page for e in evidence] == [1, 2]
    for item in evidence:
        assert document.pages[item.page - 1].text[item.start : item.end] == item.quote
    assert next(c for c in clauses if c.text.startswith("1.2")).page == 2


def test_long_unnumbered_text_is_cut_at_sentences() -> None:
    wall = " ".join(f"The Supplier shall perform obligation number {i} diligently." for i in range(60))
    clauses = segment_text(wall)
    assert len(clauses) > 1
    assert all(len(c.text) <= 900 for c in clauses)
    assert all(wall[c.start : c.end] == c.text for c in clauses)


_words = st.sampled_from(
    ["Client", "shall", "pay", "Inc.", "30", "days", "(a)", "1.1", "notice", "U.S.", "Fees"]
)
_sentence = st.lists(_words, min_size=1, max_size=12).map(lambda ws: " ".join(ws) + ".")
_paragraph = st.lists(_sentence, min_size=1, max_size=4).map(" ".join)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(_paragraph, min_size=1, max_size=6), st.sampled_from(["\n\n", "\n", "\n1.2 ", "\nARTICLE X\n"])
)
def test_offsets_always_slice_to_the_text(paragraphs: list[str], joiner: str) -> None:
    text = joiner.join(paragraphs)
    for clause in segment_text(text):
        assert text[clause.start : clause.end] == clause.text
        for sentence in clause.sentences:
            assert text[sentence.start : sentence.end] == sentence.text
            assert clause.start <= sentence.start <= sentence.end <= clause.end
    for s, e in find_sentence_spans(text, 0, len(text)):
        assert text[s:e].strip() == text[s:e]


@pytest.mark.parametrize(
    ("text", "kind"),
    [("IN WITNESS WHEREOF, the parties have executed this SOW.", "signature"),
     ("ACME INC.                    BRIGHTLINE LLP\nBy: ____________          By: ____________\nName: Ana Ruiz               Name: Tom Li\nTitle: CFO                   Title: Partner", "signature"),
     ("Signed for and on behalf of the Buyer      Signed for and on behalf of the Supplier", "signature"),
     ("4. Liquidated Damages ..................... 5", "contents"),
     ('"Service Credits" means the credits calculated under Clause 6;', "definitions"),
     ('In this SOW: "Charges" means the charges in Clause 3.', "definitions"),
     ('2.1 Definitions. In this Order, "Fee Credits" means the credits in the Framework.', "definitions"),
     ("AGREED AND ACCEPTED:\nNorthwind Traders Ltd\nBy: ______________________", "signature"),
     ("If the above terms are acceptable to you, please sign and return the enclosed copy.", "signature"),
     ("Yours faithfully,", "signature"),
     ("Definitions of acceptance criteria are in the test plan and the Client shall apply them.", None),
     ("Client: Acme Corporation (ABN 12 345 678 901)\nAgency: Magpie Creative Pty Ltd", "parties"),
     ("Supplier shall pay liquidated damages of 1% per week of delay.", None),
     ("Payment Terms: Net 30 days from invoice date.", None),
     ("Client: Acme Corporation shall pay all invoices within 30 days.", None),
     ("Agreed and accepted by the parties' duly authorised representatives.", "signature"),
     ("MASTER CONSULTING ORDER (English translation for information only)", "title"),
     ("WORK PACKAGE No. 12", "title"),
     ("NO SERVICE CREDITS APPLY.", None),
     ("SUPPLIER LIABILITY IS UNCAPPED", None),
     ("PURCHASE ORDER 4471\nReference: FIN-2026-09 - Ledger Migration\nCustomer: Halden Water plc\nSupplier: Oriel Data Ltd", "parties"),
     ("Consultant will staff the roles below:\n    Architect ........ $210 per hour\n    Analyst .......... $140 per hour", None)],
)  # fmt: skip
def test_non_clause_kind(text: str, kind: str | None) -> None:
    assert non_clause_kind(text) == kind


def test_page_furniture_is_not_a_clause() -> None:
    text = (
        "CONTENTS\n1. Fees ........ 2\n2. Governing Law ........ 3\n\n1. FEES\nClient shall pay within 30 days.\n\n"
        "2. GOVERNING LAW\nThis SOW is governed by the laws of Ireland.\n\n"
        "IN WITNESS WHEREOF the parties have signed this SOW.\n\nBy: ________\nName: Ana Ruiz\n"
    )
    assert [c.text for c in segment_text(text)] == [
        "Client shall pay within 30 days.",
        "This SOW is governed by the laws of Ireland.",
    ]


def test_a_sentence_case_heading_heads_only_the_paragraph_under_it() -> None:
    text = (
        "Dear Sirs\n\nGoverning law\nThis letter is governed by English law.\n\n"
        "We look forward to working with you on this matter.\n"
    )
    clauses = segment_text(text)
    governing = next(c for c in clauses if "English law" in c.text)
    assert governing.heading == "Governing law" and governing.text.startswith("This letter")
    assert next(c for c in clauses if c.text.startswith("We look")).heading == ""


def test_a_document_marking_heads_nothing() -> None:
    # A letter stamped "PRIVILEGED AND CONFIDENTIAL" is not a confidentiality section.
    text = "PRIVILEGED AND CONFIDENTIAL\n\nDear Ms Lee\n\nFees. Our fees are charged by the hour.\n"
    assert {c.heading for c in segment_text(text)} == {""}


def test_a_letter_prefixed_heading_is_not_a_clause_of_its_own() -> None:
    text = "GCC 18. LIQUIDATED DAMAGES\n18.1 The Purchaser shall recover 0.5% of the contract value per week of delay.\n"
    (clause,) = segment_text(text)
    assert clause.heading == "GCC 18. LIQUIDATED DAMAGES" and clause.text.startswith("18.1")


@pytest.mark.parametrize(
    "text",
    ["Secrecy. The Consultant shall treat as secret all information.",
     "8.2 Exclusions. The limitation shall not apply to fraud.",
     "Section 4.2 Termination for Convenience. The Client may terminate on notice."],
)  # fmt: skip
def test_a_run_in_heading_is_part_of_the_sentence_it_heads(text: str) -> None:
    assert find_sentence_spans(text, 0, len(text)) == [(0, len(text))]


@pytest.mark.parametrize(
    "line",
    ["16. Assignment; Governing Law", "12. Indemnification; Limitation of Liability", "INDEMNITY; LIABILITY"],
)
def test_a_heading_joining_two_titles_with_a_semicolon_is_a_heading(line: str) -> None:
    assert is_heading(line)


def test_a_heading_of_two_titles_stays_out_of_the_clauses_it_heads() -> None:
    text = (
        "12. Indemnification; Limitation of Liability\n12.1 Indemnity\nThe Firm shall indemnify the Client.\n\n"
        "16. Assignment; Governing Law\nNeither party may assign this SOW without consent. This SOW is governed by Colorado law."
    )
    clauses = segment_text(text)
    assert [c.heading for c in clauses] == ["12.1 Indemnity", "16. Assignment; Governing Law"]
    assert clauses[1].text.startswith("Neither party may assign")
    # No sentence is a heading's tail ("Limitation of Liability", "Governing Law").
    assert all(s.text.split()[0] not in ("Limitation", "Governing") for c in clauses for s in c.sentences)


@pytest.mark.parametrize(
    ("text", "first"),
    [
        (
            "8.1 Limitation of liability. Each party's liability is limited to the fees.",
            "8.1 Limitation of liability. Each",
        ),
        ("Governing law. This SOW is governed by the laws of Queensland.", "Governing law. This SOW"),
        ("Fees are fixed. The Client pays monthly.", "Fees are fixed."),
        ("Time is of the essence. The Firm starts on 1 May.", "Time is of the essence."),
        ("See clause 4. The Firm starts on 1 May.", "See clause 4."),
    ],
)
def test_a_run_in_heading_in_sentence_case_belongs_to_its_sentence(text: str, first: str) -> None:
    spans = find_sentence_spans(text, 0, len(text))
    assert text[spans[0][0] : spans[0][1]].startswith(first)
    assert len(spans) == (1 if first.endswith(("Each", "This SOW")) else 2)


@pytest.mark.parametrize(
    "text",
    [
        "Ref.      Deliverable                          Target Date\nD-1       Data mart design          February 26, 2027\n"
        "D-2       Ingestion pipelines                  May 14, 2027\nD-3       Migrated reports       August 13, 2027",
        "Classification     Rate (CAD/hour)    Est. hours\nPrincipal          $245               80\n"
        "Senior Engineer    $205               340\nResident Engineer\nField review       $142               760",
        "Position\tName\tRate\nTechnical Director\tR. Paekau\t$265/hr\nField Technician\tvarious\t$118/hr",
    ],
)
def test_a_table_of_figures_is_no_clause(text: str) -> None:
    assert non_clause_kind(text) == "table"
    assert not segment_text(f"5. Schedule\n{text}")


@pytest.mark.parametrize(
    "text",
    [
        # a row that states a duty is a term, whatever its layout
        "Term            Value\nPayment         The Client shall pay within 30 days\nLate fee        1.5% per month",
        # two rows are no table to drop
        "Role        Rate\nArchitect   $265",
        # prose whose lines happen to hold double spaces
        "The Firm  will deliver the report.\nThe Client  reviews it.\nIt then pays.",
    ],
)
def test_rows_with_a_duty_or_too_few_rows_stay_clauses(text: str) -> None:
    assert non_clause_kind(text) != "table"


def test_a_numbered_sub_heading_on_its_own_line_heads_its_text_and_is_no_part_of_it() -> None:
    text = (
        "2. Scope\n2.1 In-Scope Services\nThe Firm will build the data mart.\n"
        "2.2 Out of Scope\nThe following are excluded: remediation of source data.\n\n"
        "10. Confidentiality\n10.1 The Consultant\nshall not disclose monitoring results to any third party.\n"
        "10.2 Records kept\nfor seven years may be audited."
    )
    clauses = segment_text(text)
    assert [(c.heading, c.text.split()[0]) for c in clauses] == [
        ("2.1 In-Scope Services", "The"),
        ("2.2 Out of Scope", "The"),
        ("10. Confidentiality", "10.1"),
        ("10. Confidentiality", "10.2"),
    ]
