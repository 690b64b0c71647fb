# ruff: noqa: E501  (the SOW text)
"""The second batch of whole-document SOWs: five more firms, more producers.

Written after the first batch's fixes, as five other firms would write and produce
them (New Zealand, Singapore, Ireland, South Africa, the US), in the block format of
``documents.py``; ``make_documents.py`` renders them with the producer each names:

- ``reportlab``: reportlab's platypus, as report generators and billing systems
  write PDFs: running header and footer drawn on the canvas, footnotes drawn at the
  foot of the page they belong to, a rate table whose cells are bottom-aligned
  paragraphs (reportlab's default), its header row repeated after a page break;
- ``reportlab-frames-scan``: two text frames per page for the terms (drawn column by
  column) and a signature page that is only a scanned image;
- ``html-chromium-landscape``: HTML printed by Chromium with a named landscape
  ``@page`` for the milestone schedule, table rows allowed to break across pages;
- ``docx-libreoffice-pdf``: python-docx with Word footnotes, converted by LibreOffice
  (footnotes at the foot of their page, a landscape section for the rate card);
- ``docx-comments``: python-docx kept as DOCX, with tracked changes, a reviewer's
  comments (which are not the SOW's text) and footnotes.

All names, figures and wording are invented for these tests.
"""

from __future__ import annotations

from typing import Any

# --- F: New Zealand, time and materials, reportlab ------------------------------------------------

KOWHAI: dict[str, Any] = {
    "name": "nz_tm_reportlab",
    "render": "reportlab",
    "header": ("Kōwhai Data Limited", "Statement of Work KD-TDH-07"),
    "footer": "Page {page}",
    "blocks": [
        (
            "cover",
            [
                "Statement of Work KD-TDH-07",
                "Patient-flow analytics for Te Awa District Health",
                "Supplier: Kōwhai Data Limited (NZBN 9429041234567)",
                "Customer: Te Awa District Health",
                "Under the All-of-Government Consultancy Services Agreement dated 3 May 2023",
            ],
        ),
        ("h", "1 Purpose"),
        (
            "p",
            "This Statement of Work (SOW) sets out the analytics services Kōwhai Data Limited (the Supplier) will provide to Te Awa District Health (the Customer) under the All-of-Government Consultancy Services Agreement (the Agreement). Words defined in the Agreement have the same meaning here.",
        ),
        ("h", "2 Services"),
        (
            "p",
            "The Supplier will build a patient-flow forecasting model for the emergency department and the two surgical wards, integrate it with the Customer's bed management system, and train the Customer's analysts to run and retrain it. The Supplier will report progress to the Customer's project sponsor every fortnight.",
        ),
        (
            "ul",
            [
                "discovery workshops with clinical and operations staff;",
                "data engineering on the patient administration system extracts;",
                "model development, validation and documentation; and",
                "deployment support and knowledge transfer.",
            ],
        ),
        ("h", "3 Term"),
        (
            "p",
            "The Services start on 2 March 2026 and end on 30 October 2026, unless this SOW is terminated earlier under clause 9.",
        ),
        ("h", "4 Charges"),
        (
            "p",
            "The Services are charged on a time and materials basis at the hourly rates below, for hours actually worked and recorded in the Supplier's timesheets.",
            {"footnote": "Rates exclude GST, which is added to each invoice at the prevailing rate."},
        ),
        (
            "table",
            ["Role", "What the role does", "Hourly rate (NZD)"],
            [
                [
                    "Engagement Lead",
                    "Accountable for delivery, reporting and the relationship with the sponsor",
                    "295",
                ],
                [
                    "Principal Data Scientist",
                    "Designs the forecasting approach and reviews all models before release",
                    "265",
                ],
                ["Data Scientist", "Builds, validates and documents the models", "210"],
                [
                    "Data Engineer",
                    "Builds the extract pipelines and the integration with the bed management system",
                    "195",
                ],
                ["Business Analyst", "Runs the workshops and writes the operating procedures", "165"],
            ],
            {},
        ),
        (
            "p",
            "The Supplier estimates the Charges for the Services at NZD 420,000. The total Charges under this SOW must not exceed NZD 460,000 without a variation signed by both parties.",
        ),
        (
            "p",
            "Travel and accommodation outside Nelson are reimbursed at actual cost where the Customer has approved the travel in advance, in line with the Customer's travel policy.",
        ),
        ("h", "5 Invoicing and payment"),
        (
            "p",
            "The Supplier will invoice monthly in arrears, attaching the timesheets for the month. The Customer will pay each valid GST invoice within thirty (30) days of the invoice date.",
        ),
        ("h", "6 Personnel"),
        (
            "p",
            "Neither party will, during the term of this SOW and for six (6) months after it ends, solicit for employment any employee of the other party who was involved in the Services, without that party's written consent. General advertising is not solicitation.",
        ),
        ("h", "7 Intellectual property"),
        (
            "p",
            "Intellectual property in the deliverables vests in the Customer when the Customer has paid the Charges for them. The Supplier keeps its pre-existing tools and methods and grants the Customer a non-exclusive licence to use them as part of the deliverables.",
        ),
        ("h", "8 Liability and insurance"),
        (
            "p",
            "Each party's total liability under this SOW is limited to the total Charges paid or payable under it. The limit does not apply to liability for fraud or for breach of confidentiality.",
        ),
        (
            "p",
            "The Supplier indemnifies the Customer against any claim that the deliverables infringe the intellectual property rights of a third party.",
        ),
        (
            "p",
            "The Supplier will hold professional indemnity insurance of at least NZD 2,000,000 for each claim for the term and three years after it.",
        ),
        ("h", "9 Termination"),
        (
            "p",
            "The Customer may terminate this SOW for convenience by giving the Supplier ten (10) working days' written notice. The Customer will pay the Supplier for the Services performed up to the date the termination takes effect.",
        ),
        ("h", "10 Confidentiality and privacy"),
        (
            "p",
            "The Supplier will keep the Customer's information confidential and will handle health information only as the Health Information Privacy Code 2020 allows.",
            {"footnote": "Issued by the Privacy Commissioner under the Privacy Act 2020."},
        ),
        ("h", "11 Governing law"),
        ("p", "This SOW is governed by the laws of New Zealand."),
        (
            "sign",
            ["Signed for Kōwhai Data Limited", "Name: Aroha Ngata", "Title: Director", "Date:"],
            [
                "Signed for Te Awa District Health",
                "Name: Michael Brennan",
                "Title: Chief Operating Officer",
                "Date:",
            ],
        ),
    ],
}

# --- G: Singapore, fixed fee in milestones, Chromium with a landscape schedule -----------------------

MERLION: dict[str, Any] = {
    "name": "sg_fixed_chromium",
    "render": "html-chromium-landscape",
    "header": ("Merlion Analytics Pte. Ltd.", "Project Order PO-2026-118"),
    "footer": "{page} / {pages}",
    "blocks": [
        (
            "cover",
            [
                "PROJECT ORDER PO-2026-118",
                "Warehouse slotting optimisation",
                "Merlion Analytics Pte. Ltd. (UEN 201912345K) (\u201cthe Consultant\u201d)",
                "Straits Logistics Pte. Ltd. (\u201cthe Company\u201d)",
                "Issued under the Master Consultancy Agreement dated 1 July 2025",
            ],
        ),
        ("h", "1. Background"),
        (
            "p",
            "The Company operates three bonded warehouses in Tuas. The Consultant will design and deploy a slotting optimisation engine that re-assigns pick locations weekly from order history, so that travel distance per pick falls.",
        ),
        ("h", "2. Scope"),
        (
            "ol",
            [
                "analyse eighteen months of warehouse management system data;",
                "build and test the slotting engine in the Company's cloud environment;",
                "run a four-week pilot in Warehouse 2 and measure the result; and",
                "roll the engine out to all three warehouses and hand it over.",
            ],
        ),
        ("h", "3. Fees and Payment Schedule"),
        (
            "p",
            "The Company shall pay the Consultant a fixed fee of SGD 264,000 (exclusive of GST) for the Services, in the instalments set out in the Payment Schedule in the Annex. The fixed fee includes all expenses of the Consultant.",
        ),
        (
            "p",
            "The Consultant shall invoice each instalment when the milestone it is tied to is achieved. The Company shall pay each invoice within thirty (30) days after the date of the invoice. Overdue amounts bear interest at one per cent (1%) per month from the due date until paid.",
        ),
        ("h", "4. Acceptance"),
        (
            "p",
            "Each deliverable is deemed accepted ten (10) Business Days after delivery unless the Company notifies the Consultant in writing of a material non-conformity with the agreed acceptance criteria within that period.",
        ),
        ("h", "5. Delay"),
        (
            "p",
            "If the pilot report is delivered after 30 September 2026 for reasons attributable to the Consultant, the Consultant shall pay the Company liquidated damages of SGD 1,000 for each day of delay, up to ten per cent (10%) of the fixed fee.",
        ),
        ("h", "6. Intellectual Property"),
        (
            "p",
            "All intellectual property rights in the deliverables, including the slotting engine's source code, shall vest in the Company upon their creation. The Consultant hereby assigns those rights to the Company with full title guarantee.",
        ),
        ("h", "7. Restriction"),
        (
            "p",
            "During the term of this Project Order and for twelve (12) months after it ends, the Consultant shall not provide warehouse slotting or layout optimisation services to any third-party logistics provider operating in Singapore that competes with the Company.",
        ),
        ("h", "8. Liability"),
        (
            "p",
            "The Consultant's aggregate liability arising out of this Project Order shall not exceed three (3) times the fixed fee.",
        ),
        ("h", "9. Term and Termination"),
        (
            "p",
            "This Project Order starts on 6 April 2026 and ends on 18 December 2026. Either party may terminate it by written notice if the other commits a material breach and fails to remedy it within thirty (30) days of being asked to.",
        ),
        ("h", "10. Law and Disputes"),
        (
            "p",
            "This Project Order is governed by the laws of Singapore. Any dispute shall be referred to arbitration administered by the Singapore International Arbitration Centre.",
        ),
        (
            "sign",
            ["For Merlion Analytics Pte. Ltd.", "Name: Tan Wei Ling", "Designation: Managing Director"],
            ["For Straits Logistics Pte. Ltd.", "Name: Rajesh Kumar", "Designation: Head of Operations"],
        ),
        ("landscape",),
        ("h", "Annex \u2013 Payment Schedule"),
        (
            "table",
            ["No.", "Milestone", "Achieved when", "Share", "Amount (SGD)"],
            [
                [
                    "1",
                    "Data assessment",
                    "The data assessment report is accepted by the Company",
                    "15%",
                    "39,600",
                ],
                [
                    "2",
                    "Engine build",
                    "The slotting engine passes the agreed system tests in the Company's test environment, the test evidence has been delivered and the operations team has signed the test summary",
                    "30%",
                    "79,200",
                ],
                [
                    "3",
                    "Pilot",
                    "The four-week pilot in Warehouse 2 is completed and the pilot report is accepted",
                    "25%",
                    "66,000",
                ],
                [
                    "4",
                    "Roll-out and handover",
                    "The engine is live in all three warehouses, the runbooks are delivered and two Company engineers have completed the handover training",
                    "30%",
                    "79,200",
                ],
            ],
            {},
        ),
    ],
}

# --- H: Ireland, monthly retainer, python-docx with footnotes -> LibreOffice -------------------------

ARDMORE: dict[str, Any] = {
    "name": "ie_retainer_libreoffice",
    "render": "docx-libreoffice-pdf",
    "header": ("Ardmore Advisory Limited", "Engagement Schedule 3"),
    "footer": "{page}",
    "blocks": [
        (
            "cover",
            [
                "ENGAGEMENT SCHEDULE 3",
                "Regulatory and market advisory retainer",
                "Ardmore Advisory Limited and Corrib Energy DAC",
                "Made under the Consultancy Framework Agreement of 12 January 2024",
            ],
        ),
        ("h", "1. Engagement"),
        (
            "p",
            "Corrib Energy DAC (\u201cCorrib\u201d) engages Ardmore Advisory Limited (\u201cArdmore\u201d) to provide regulatory and wholesale market advice on a retained basis. This Schedule forms part of the Consultancy Framework Agreement (the \u201cFramework\u201d).",
        ),
        ("h", "2. Services and Resourcing"),
        (
            "p",
            "Ardmore shall advise Corrib on CRU consultations, capacity auctions, grid connection policy and the single electricity market rules, and shall attend Corrib's monthly regulatory committee.",
        ),
        (
            "p",
            "Ardmore shall make available two senior consultants for not less than eight (8) days each per calendar month throughout the Term.",
        ),
        ("h", "3. Retainer Fee"),
        (
            "p",
            "Corrib shall pay Ardmore a monthly retainer of EUR 22,500 (exclusive of VAT) for the Services. Work beyond the retained days, where Corrib has requested it in writing, is charged at the day rates in the rate card below.",
            {"footnote": "VAT is charged at the standard rate in force on the date of supply."},
        ),
        (
            "table",
            ["Grade", "Day rate (EUR)"],
            [
                ["Director", "1,600"],
                ["Senior Consultant", "1,150"],
                ["Analyst", "780"],
            ],
            {},
        ),
        (
            "p",
            "The day rates are reviewed on each anniversary of the Start Date and may be increased by no more than the annual change in the Irish HICP published by the CSO.",
        ),
        ("h", "4. Invoices"),
        (
            "p",
            "Ardmore shall invoice the retainer monthly in advance and any additional days monthly in arrears. Corrib shall pay each undisputed invoice within forty-five (45) days of receipt. Late payments carry interest under the European Communities (Late Payment in Commercial Transactions) Regulations 2012.",
        ),
        (
            "p",
            "Reasonable travel expenses within Ireland are included in the retainer. Travel outside Ireland is reimbursed at cost, up to EUR 10,000 in each year of the Term, where Corrib has approved it in advance.",
        ),
        ("h", "5. Term"),
        (
            "p",
            "This Schedule starts on 1 April 2026 (the \u201cStart Date\u201d) and continues until 31 March 2027. It renews automatically for further periods of twelve (12) months unless either party gives the other at least sixty (60) days' written notice before the end of the then-current period.",
        ),
        ("h", "6. Records and Audit"),
        (
            "p",
            "Ardmore shall keep accurate records of the time spent on the Services. Corrib may, on ten (10) Business Days' notice and no more than once a year, audit those records.",
        ),
        ("h", "7. Liability"),
        (
            "p",
            "Ardmore's total liability under this Schedule in any year is limited to the fees paid in that year.",
            {
                "footnote": "This limit applies in place of clause 14.2 of the Framework for the Services only."
            },
        ),
        ("h", "8. Other Terms"),
        (
            "p",
            "Each party shall keep the other's confidential information confidential and use it only for this Schedule. Neither party may assign this Schedule without the other's prior written consent. This Schedule is governed by the laws of Ireland and the parties submit to the exclusive jurisdiction of the Irish courts.",
        ),
        (
            "sign",
            ["Signed for Ardmore Advisory Limited", "Director", "Date"],
            ["Signed for Corrib Energy DAC", "Director", "Date"],
        ),
    ],
}

# --- I: South Africa, mixed, DOCX with tracked changes and comments ---------------------------------

FYNBOS: dict[str, Any] = {
    "name": "za_mixed_comments",
    "render": "docx-comments",
    "header": ("Fynbos Digital (Pty) Ltd", "SOW FD-KM-2026-02 (draft for signature)"),
    "footer": "Page {page} of {pages}",
    "comments": [
        ("Phase 2 is charged", "Karoo Legal: please confirm the Phase 2 roles before signature."),
        ("for any loss", "Fynbos: we cannot accept an unlimited indemnity; to be discussed."),
    ],
    "blocks": [
        (
            "cover",
            [
                "STATEMENT OF WORK FD-KM-2026-02",
                "Claims portal modernisation",
                "Fynbos Digital (Pty) Ltd (\u201cFynbos\u201d) for Karoo Mutual Insurance Limited (\u201cKaroo\u201d)",
                "Under the Master Services Agreement dated 2 February 2025",
            ],
        ),
        ("h", "1. Scope"),
        (
            "p",
            "Fynbos will rebuild Karoo's claims portal in two phases. Phase 1 delivers the new portal for motor claims. Phase 2 adds household and funeral claims and is performed on a time and materials basis.",
        ),
        ("h", "2. Fees"),
        (
            "p",
            "Phase 1 is delivered for a fixed fee of ZAR 1,450,000 (excluding VAT), invoiced in full on Karoo's acceptance of the Phase 1 release.",
        ),
        (
            "p",
            "Phase 2 is charged at the hourly rates below for hours worked. The fees for Phase 2 shall not exceed ZAR 900,000 without a change request signed by both parties.",
            {"footnote": "All amounts exclude VAT at 15%."},
        ),
        (
            "table",
            ["Role", "Rate per hour (ZAR)"],
            [
                ["Solution Architect", "1,950"],
                ["Senior Developer", "1,480"],
                ["UX Designer", "1,300"],
                ["Test Analyst", "980"],
                ["Junior Developer", "760"],
            ],
            {"inserted": [2], "deleted": [4]},
        ),
        ("h", "3. Invoicing and Payment"),
        (
            "p",
            "Phase 2 is invoiced monthly in arrears. Karoo shall pay each invoice within [-sixty (60)-][+thirty (30)+] days of the invoice date. Interest on late payments accrues at the prime lending rate plus two per cent per year.",
        ),
        (
            "p",
            "Karoo shall reimburse Fynbos's pre-approved travel expenses at cost, up to ZAR 80,000 in total.",
        ),
        ("h", "4. Term"),
        (
            "p",
            "This SOW starts on 4 May 2026 and ends on 26 February 2027.",
        ),
        ("h", "5. Indemnity and Liability"),
        (
            "p",
            "Fynbos shall indemnify Karoo for any loss arising out of or relating to the Services.",
        ),
        (
            "p",
            "Fynbos's liability for a breach of its data protection obligations under POPIA is unlimited.",
        ),
        ("h", "6. Staff"),
        (
            "p",
            "Karoo shall not, during the Term and for twenty-four (24) months afterwards, employ or engage any Fynbos employee who worked on the Services.",
        ),
        (
            "p",
            "[-Karoo shall use Fynbos exclusively for all digital claims work during the Term.-]",
        ),
        ("h", "7. Termination"),
        (
            "p",
            "Karoo may terminate this SOW for convenience on thirty (30) days' written notice and shall pay for all work performed up to the termination date.",
        ),
        ("h", "8. Confidentiality and Law"),
        (
            "p",
            "Each party shall treat the other's confidential information as confidential and shall process personal information only in accordance with POPIA. This SOW is governed by the law of the Republic of South Africa.",
        ),
        (
            "sign",
            ["For Fynbos Digital (Pty) Ltd", "Name: Thandi Mokoena", "Capacity: CEO"],
            ["For Karoo Mutual Insurance Limited", "Name: Pieter du Plessis", "Capacity: CIO"],
        ),
    ],
}

# --- J: US credit union, T&M with NTE, two-column terms and a scanned signature page --------------

BLUEGRASS: dict[str, Any] = {
    "name": "us_tm_frames_scan",
    "render": "reportlab-frames-scan",
    "header": ("Bluegrass Systems Group, LLC", "SOW 2026-14 \u2013 Harbor Point Credit Union"),
    "footer": "{page}",
    "blocks": [
        ("h", "STATEMENT OF WORK 2026-14"),
        (
            "p",
            "This Statement of Work is entered into between Bluegrass Systems Group, LLC (\u201cContractor\u201d) and Harbor Point Credit Union (\u201cClient\u201d) under the Professional Services Agreement dated March 3, 2025.",
        ),
        ("h", "1. Services"),
        (
            "p",
            "Contractor will migrate Client's online banking platform from its current hosting provider to Client's cloud tenancy, including the member database, the bill-pay integration and the mobile app back end, and will support the cut-over weekend.",
        ),
        ("h", "2. Fees"),
        (
            "p",
            "Contractor will perform the Services on a time and materials basis at the hourly rates below. Total fees under this SOW will not exceed $185,000 without Client's written approval.",
        ),
        (
            "table",
            ["Labor category", "Hourly rate"],
            [
                ["Project Manager", "$210.00"],
                ["Cloud Architect", "$245.00"],
                ["Systems Engineer", "$185.00"],
                ["Database Administrator", "$175.00"],
            ],
            {},
        ),
        (
            "p",
            "Contractor invoices every two weeks for the hours worked in that period. Client will pay each invoice within forty-five (45) days of receipt. No travel expenses are reimbursable under this SOW.",
        ),
        (
            "p",
            "Contractor represents that the rates in this SOW are no higher than the rates it charges any other credit union for comparable services.",
        ),
        ("columns",),
        ("h", "3. Term"),
        (
            "p",
            "The Services begin on June 1, 2026 and end on September 30, 2026.",
        ),
        ("h", "4. Acceptance"),
        (
            "p",
            "Each deliverable is accepted when Client confirms in writing that it has been completed to Client's satisfaction.",
        ),
        ("h", "5. Warranty"),
        (
            "p",
            "Contractor warrants that the Services will be performed in a professional and workmanlike manner and will re-perform any non-conforming Services reported within ninety (90) days.",
        ),
        ("h", "6. Limitation of Liability"),
        (
            "p",
            "Contractor's total liability arising out of this SOW will not exceed the fees paid by Client in the twelve (12) months before the claim.",
        ),
        ("h", "7. Insurance"),
        (
            "p",
            "Contractor will maintain cyber liability insurance of at least $5,000,000 per occurrence and name Client as an additional insured.",
        ),
        ("h", "8. Termination"),
        (
            "p",
            "Client may terminate this SOW for convenience on thirty (30) days' written notice and will pay for Services performed through the effective date of termination.",
        ),
        ("h", "9. Confidentiality"),
        (
            "p",
            "Contractor will protect member information as required by the Gramm-Leach-Bliley Act and Client's information security policy.",
        ),
        ("h", "10. Governing Law"),
        (
            "p",
            "This SOW is governed by the laws of the Commonwealth of Kentucky.",
        ),
        (
            "scan",
            [
                "IN WITNESS WHEREOF, the parties have executed this SOW.",
                "BLUEGRASS SYSTEMS GROUP, LLC",
                "By: ____________________  Name: Dana Whitaker  Title: President",
                "HARBOR POINT CREDIT UNION",
                "By: ____________________  Name: Luis Ortega  Title: CEO",
            ],
        ),
    ],
}

DOCUMENTS: list[dict[str, Any]] = [KOWHAI, MERLION, ARDMORE, FYNBOS, BLUEGRASS]
