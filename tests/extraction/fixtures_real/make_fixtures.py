"""Build the real-producer ingestion fixtures in this folder (needs LibreOffice and Chromium).

Run from the repository root::

    .venv/bin/python tests/extraction/fixtures_real/make_fixtures.py

It writes DOCX files with python-docx (Word styles, numbering, headers and
footers with PAGE/NUMPAGES fields, tables with repeated header rows and merged
cells, a footnote, a text box, a two-column section, odd characters), converts
them to PDF with LibreOffice (``soffice --headless --convert-to pdf``), re-saves
one DOCX through LibreOffice (another producer's XML), prints an HTML SOW to PDF
with headless Chromium, and makes a signed-envelope PDF with a scanned
(image-only) page. ``expected.json`` records the source text each test checks
against. The tests read only the committed files; they never need these tools.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent

FIRM = "Brightline Advisory LLC"
DOC_ID = "SOW BL-2291"
CLIENT = "Halvorsen Marine AS"

ROLES = [
    ("Engagement Partner", "410.00"),
    ("Principal Architect", "355.00"),
    ("Senior Consultant", "265.00"),
    ("Consultant", "210.00"),
    ("Business Analyst", "185.00"),
    ("Data Engineer", "230.00"),
    ("Quality Analyst", "160.00"),
    ("Project Coordinator", "120.00"),
]


def _rate_rows(count: int) -> list[list[str]]:
    rows = []
    for i in range(count):
        role, rate = ROLES[i % len(ROLES)]
        grade = i // len(ROLES) + 1
        rows.append([f"{role} (band {grade})", f"${float(rate) + grade * 5:,.2f}", "per hour"])
    return rows


# Text with the characters real documents carry: smart quotes, non-breaking spaces,
# soft hyphens, a literal ligature, en and em dashes.
SPECIAL = (
    "The \u201cClient\u201d will pay each invoice net\u00a030 from receipt; the "
    "\ufb01nal invoice follows acceptance \u2014 see Section\u00a04. Travel is "
    "reim\u00adburs\u00adable at cost, and the \u2018not-to-exceed\u2019 amount is "
    "USD\u00a0250,000."
)
SPECIAL_EXPECTED = (
    "The \u201cClient\u201d will pay each invoice net 30 from receipt; the "
    "final invoice follows acceptance \u2014 see Section 4. Travel is "
    "reimbursable at cost, and the \u2018not-to-exceed\u2019 amount is USD 250,000."
)

BACKGROUND = [
    (
        f"{CLIENT} (the \u201cClient\u201d) has engaged {FIRM} (the \u201cConsultant\u201d) to "
        "modernise its vessel maintenance planning. This Statement of Work describes the "
        "services, the deliverables, the fees and the terms on which they are provided."
    ),
    (
        "The engagement covers the discovery of the current planning process, the design of a "
        "replacement scheduling service, its implementation in the Client's cloud tenancy, and "
        "the training of the Client's planners and superintendents."
    ),
]

SCOPE_ITEMS = [
    "Interview the fleet planners and document the current maintenance workflow.",
    "Design the scheduling service and agree the integration points with the Client.",
    "Build, test and deploy the scheduling service in the Client's environment.",
    "Train up to forty planners and hand over the operating runbooks.",
]

TWO_COLUMN = [
    (
        "Acceptance. Each deliverable is deemed accepted ten business days after delivery "
        "unless the Client gives written notice of a material nonconformity, describing it "
        "in reasonable detail so that the Consultant can remedy it."
    ),
    (
        "Change control. Either party may propose a change to the scope. A change binds the "
        "parties only when both sign a change order that states its effect on the fees, the "
        "schedule and the deliverables of this Statement of Work."
    ),
    (
        "Confidentiality. Each party keeps the other's confidential information secret and "
        "uses it only to perform or receive the services, during the term and for three "
        "years after it ends, except where disclosure is required by law."
    ),
    (
        "Termination. The Client may terminate this Statement of Work for convenience on "
        "thirty days' written notice and pays for the services performed and the expenses "
        "incurred up to the date the termination takes effect."
    ),
]

MILESTONES_HEADER = ["Milestone", "Deliverable", "Amount", "Due date"]
MILESTONES = [
    ["M1 Discovery", "Current-state report", "$60,000.00", "15 March 2026"],
    ["M2 Design", "Solution design", "$45,000.00", "30 April 2026"],
    ["M3 Build", "Solution design", "$95,000.00", "31 July 2026"],
    ["M4 Handover", "Runbooks and training", "$50,000.00", "30 September 2026"],
]

TEXT_BOX = "Note: all fees exclude value added tax, which is invoiced in addition."
FOOTNOTE = "Calendar days, counted from the date the invoice is received."


def _field(paragraph: Any, instruction: str, shown: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def run_with(child: Any) -> None:
        run = OxmlElement("w:r")
        run.append(child)
        paragraph._p.append(run)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run_with(instr)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run_with(separate)
    text = OxmlElement("w:t")
    text.text = shown
    run_with(text)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def _repeat_header(row: Any) -> None:
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def _add_footnote(document: Any, paragraph: Any, text: str) -> None:
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import parse_xml

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    xml = (
        f'<w:footnotes xmlns:w="{w}">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
        "</w:r></w:p></w:footnote>"
        '<w:footnote w:id="1"><w:p><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
        f'<w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> {text}</w:t></w:r></w:p></w:footnote>'
        "</w:footnotes>"
    )
    part = Part(
        PackURI("/word/footnotes.xml"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
        xml.encode(),
        document.part.package,
    )
    document.part.relate_to(part, RT.FOOTNOTES)
    paragraph._p.append(
        parse_xml(
            f'<w:r xmlns:w="{w}"><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
            '<w:footnoteReference w:id="1"/></w:r>'
        )
    )


def _add_text_box(paragraph: Any, text: str) -> None:
    from docx.oxml import parse_xml

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    v = "urn:schemas-microsoft-com:vml"
    paragraph._p.append(
        parse_xml(
            f'<w:r xmlns:w="{w}" xmlns:v="{v}"><w:pict>'
            '<v:shape id="notebox" type="#_x0000_t202" style="width:420pt;height:36pt">'
            f"<v:textbox><w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent>"
            "</v:textbox></v:shape></w:pict></w:r>"
        )
    )


def _columns(section: Any, count: int) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    sect = section._sectPr
    for old in sect.findall(qn("w:cols")):
        sect.remove(old)
    cols = OxmlElement("w:cols")
    cols.set(qn("w:num"), str(count))
    cols.set(qn("w:space"), "720")
    sect.append(cols)


def build_word_sow(path: Path) -> dict[str, Any]:
    """The Word-style SOW; returns what the tests compare against."""
    import docx
    from docx.enum.section import WD_SECTION
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.shared import Pt

    document = docx.Document()
    document.settings.element.append(OxmlElement("w:autoHyphenation"))
    section = document.sections[0]
    section.different_first_page_header_footer = True
    header = section.header.paragraphs[0]
    header.text = f"{FIRM}\tCONFIDENTIAL\t{DOC_ID}"
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("Page ")
    _field(footer, "PAGE", "1")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES", "1")
    first_footer = section.first_page_footer.paragraphs[0]
    first_footer.text = "Brightline Advisory LLC \u00b7 12 Harbour Street \u00b7 Bergen"

    paragraphs: list[str] = []
    document.add_paragraph("Statement of Work No. 7", style="Title")
    paragraphs.append("Statement of Work No. 7")
    document.add_paragraph("1. Background", style="Heading 1")
    paragraphs.append("1. Background")
    for text in BACKGROUND:
        document.add_paragraph(text)
        paragraphs.append(text)
    document.add_paragraph("2. Scope of services", style="Heading 1")
    paragraphs.append("2. Scope of services")
    document.add_paragraph("The Consultant will:")
    paragraphs.append("The Consultant will:")
    for item in SCOPE_ITEMS:
        document.add_paragraph(item, style="List Number")
        paragraphs.append(item)
    document.add_paragraph("3. Fees and payment", style="Heading 1")
    paragraphs.append("3. Fees and payment")
    special = document.add_paragraph(SPECIAL)
    paragraphs.append(SPECIAL_EXPECTED)
    payment = document.add_paragraph(
        "Invoices are issued monthly in arrears and are payable within thirty (30) days"
    )
    _add_footnote(document, payment, FOOTNOTE)
    paragraphs.append("Invoices are issued monthly in arrears and are payable within thirty (30) days")
    box_holder = document.add_paragraph()
    _add_text_box(box_holder, TEXT_BOX)
    del special

    intro = "Time and materials services are charged at the following hourly rates:"
    document.add_paragraph(intro)
    paragraphs.append(intro)
    rates = _rate_rows(44)
    table = document.add_table(rows=1 + len(rates), cols=3)
    table.style = "Table Grid"
    for c, value in enumerate(["Role", "Rate (USD)", "Unit"]):
        table.cell(0, c).text = value
    _repeat_header(table.rows[0])
    for r, row in enumerate(rates, start=1):
        for c, value in enumerate(row):
            table.cell(r, c).text = value

    document.add_paragraph("4. Milestones", style="Heading 1")
    paragraphs.append("4. Milestones")
    milestones = document.add_table(rows=3 + len(MILESTONES), cols=4)
    milestones.style = "Table Grid"
    milestones.cell(0, 0).merge(milestones.cell(0, 3)).text = "Fixed-fee milestones (USD)"
    for c, value in enumerate(MILESTONES_HEADER):
        milestones.cell(1, c).text = value
    for r, row in enumerate(MILESTONES, start=2):
        for c, value in enumerate(row):
            if not (c == 1 and r == 4):
                milestones.cell(r, c).text = value
    # "Solution design" is one cell spanning M2 and M3.
    milestones.cell(3, 1).merge(milestones.cell(4, 1))
    last = 2 + len(MILESTONES)
    milestones.cell(last, 0).merge(milestones.cell(last, 1)).text = "Total"
    milestones.cell(last, 2).text = "$250,000.00"

    two = document.add_section(WD_SECTION.CONTINUOUS)
    _columns(two, 2)
    document.add_paragraph("5. General terms", style="Heading 1")
    paragraphs.append("5. General terms")
    for text in TWO_COLUMN:
        p = document.add_paragraph(text)
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        paragraphs.append(text)
    one = document.add_section(WD_SECTION.CONTINUOUS)
    _columns(one, 1)
    document.add_paragraph("6. Signatures", style="Heading 1")
    paragraphs.append("6. Signatures")
    sign = document.add_paragraph(f"For {FIRM}\tFor {CLIENT}")
    sign.paragraph_format.tab_stops.add_tab_stop(Pt(260))
    paragraphs.append(f"For {FIRM}")
    document.save(str(path))
    return {
        "paragraphs": paragraphs,
        "list_items": SCOPE_ITEMS,
        "rate_header": ["Role", "Rate (USD)", "Unit"],
        "rates": rates,
        "milestone_header": MILESTONES_HEADER,
        "milestones": MILESTONES,
        "running_header": ["CONFIDENTIAL", DOC_ID],
        "running_footer": "Page",
        "first_page_footer": "12 Harbour Street",
        "text_box": TEXT_BOX,
        "footnote": FOOTNOTE,
        "two_column": TWO_COLUMN,
    }


HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Statement of Work</title>
<style>
@page {{ size: A4; margin: 22mm 18mm;
  @top-left {{ content: "{firm}"; font-size: 8pt; }}
  @top-right {{ content: "Order form OF-5531"; font-size: 8pt; }}
  @bottom-center {{ content: "Page " counter(page) " of " counter(pages); font-size: 8pt; }} }}
body {{ font-family: "DejaVu Serif", serif; font-size: 10.5pt; line-height: 1.35; }}
table {{ border-collapse: collapse; width: 100%; }}
td, th {{ border: 0.5pt solid #888; padding: 2pt 4pt; text-align: left; }}
thead {{ display: table-header-group; }}
.narrow {{ width: 45%; text-align: justify; }}
</style></head><body>
<h1>Order Form and Statement of Work</h1>
{body}
</body></html>
"""


def build_html_sow(path: Path) -> dict[str, Any]:
    firm = "Quayside Digital Ltd"
    paragraphs = [
        (
            "This order form is made between Quayside Digital Ltd (the \u201cSupplier\u201d) and Marlow "
            "Freight plc (the \u201cCustomer\u201d) and incorporates the Supplier's standard terms."
        ),
        (
            "Services are provided on a time and materials basis. The Supplier invoices "
            "fortnightly and the Customer pays each invoice within forty-five (45) days."
        ),
        (
            "Fees are capped at \u00a3180,000 for the initial term, which runs from 1\u00a0February "
            "2026 to 31\u00a0January 2027."
        ),
    ]
    rates = [
        [f"{role} {level}", f"\u00a3{900 + 75 * i:,}", "per day"]
        for i, (role, level) in enumerate(
            (r, lvl)
            for lvl in ("I", "II", "III", "IV", "V", "VI")
            for r in ("Developer", "Designer", "Tester")
        )
    ]
    body = [f"<p>{paragraphs[0]}</p>", f"<p>{paragraphs[1]}</p>"]
    for n in range(1, 9):
        body.append(
            f"<p>Clause {n}. The Supplier performs the services with reasonable skill and care, "
            "in accordance with good industry practice, using appropriately qualified and "
            "experienced personnel, and keeps the Customer informed of progress at the agreed "
            "intervals.</p>"
        )
    body.append(
        "<p>Day rates:</p><table><thead><tr><th>Role</th><th>Day rate</th><th>Unit</th></tr></thead><tbody>"
    )
    body.extend(f"<tr><td>{a}</td><td>{b}</td><td>{c}</td></tr>" for a, b, c in rates)
    body.append("</tbody></table>")
    body.append(f"<p>{paragraphs[2]}</p>")
    long_words = (
        "Notwith\u00adstanding anything to the contrary, the Supplier's aggregate lia\u00adbility "
        "is limited to the fees paid in the twelve months preceding the claim; "
        "indem\u00adnification obligations survive termi\u00adnation."
    )
    body.append(f'<p class="narrow">{long_words}</p>')
    path.with_suffix(".html").write_text(HTML.format(firm=firm, body="\n".join(body)), encoding="utf-8")
    return {
        "paragraphs": paragraphs,
        "rate_header": ["Role", "Day rate", "Unit"],
        "rates": [[a, b.replace("\u00a0", " "), c] for a, b, c in rates],
        "running_header": ["Order form OF-5531"],
        "running_footer": "Page",
        "long_words": (
            "Notwithstanding anything to the contrary, the Supplier's aggregate liability is limited"
        ),
    }


def _scan_page(lines: list[str]) -> bytes:
    """A one-page PDF holding only a picture of text, as a scanner makes."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("L", (850, 1100), 255)
    draw = ImageDraw.Draw(image)
    try:
        font: Any = ImageFont.truetype("DejaVuSans.ttf", 22)
    except OSError:
        font = ImageFont.load_default()
    for i, line in enumerate(lines):
        draw.text((80, 120 + 40 * i), line, fill=0, font=font)
    out = io.BytesIO()
    image.save(out, format="PDF", resolution=100.0)
    return out.getvalue()


def build_signed_envelope(source_pdf: Path, path: Path) -> dict[str, Any]:
    """A LibreOffice PDF with an e-signature envelope stamp on every page and a scanned page 2."""
    import pypdf
    from reportlab.pdfgen import canvas

    envelope = "Envelope ID: 3C1F9A27-55D0-4E8B-9B61-0F2A7D4C8E19"
    reader = pypdf.PdfReader(str(source_pdf))
    writer = pypdf.PdfWriter()
    scan = pypdf.PdfReader(io.BytesIO(_scan_page(["SCHEDULE B - SIGNED ORIGINAL", "(scanned copy)"])))
    for index, page in enumerate(reader.pages):
        stamp = io.BytesIO()
        box = page.mediabox
        c = canvas.Canvas(stamp, pagesize=(float(box.width), float(box.height)))
        c.setFont("Helvetica", 7)
        c.drawString(24, float(box.height) - 18, envelope)
        c.save()
        page.merge_page(pypdf.PdfReader(io.BytesIO(stamp.getvalue())).pages[0])
        writer.add_page(page)
        if index == 0:
            writer.add_page(scan.pages[0])
    with path.open("wb") as handle:
        writer.write(handle)
    return {"envelope": envelope, "scanned_page": 2}


def _soffice(source: Path, fmt: str, outdir: Path) -> Path:
    binary = shutil.which("soffice") or shutil.which("libreoffice")
    if not binary:
        raise SystemExit("LibreOffice (soffice) is needed to build these fixtures")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                binary,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                fmt,
                "--outdir",
                str(outdir),
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
    return outdir / f"{source.stem}.{fmt.split(':')[0]}"


def _chromium(html: Path, pdf: Path) -> None:
    binary = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if not binary:
        raise SystemExit("Chromium is needed to build the HTML fixture")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                binary,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                f"--user-data-dir={profile}",
                "--no-pdf-header-footer",
                f"--print-to-pdf={pdf}",
                html.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )


def main() -> None:
    expected: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        docx_path = HERE / "word_sow.docx"
        expected["word_sow"] = build_word_sow(docx_path)
        pdf = _soffice(docx_path, "pdf", HERE)
        assert pdf == HERE / "word_sow.pdf"
        resaved_dir = work / "resaved"
        resaved_dir.mkdir()
        resaved = _soffice(docx_path, "docx:MS Word 2007 XML", resaved_dir)
        shutil.copy(resaved, HERE / "word_sow_libreoffice.docx")
        html_pdf = work / "html_sow.pdf"
        expected["html_sow"] = build_html_sow(html_pdf)
        _chromium(html_pdf.with_suffix(".html"), HERE / "html_sow.pdf")
        expected["signed_envelope"] = build_signed_envelope(pdf, HERE / "signed_envelope.pdf")
    (HERE / "expected.json").write_text(json.dumps(expected, indent=1, ensure_ascii=False) + "\n")
    for name in sorted(HERE.iterdir()):
        if name.suffix in (".pdf", ".docx"):
            print(f"{name.name}: {name.stat().st_size} bytes")


if __name__ == "__main__":
    main()
