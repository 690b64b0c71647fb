# ruff: noqa: E501  (the SOW text: escaped quotes make some lines run long)
"""The text of the whole-document SOWs, as blocks that ``make_documents.py`` renders.

Six complete SOWs as six different firms would write them (Sweden, the UK, the
US, Germany, Australia, Canada), each with a cover page, a table of contents,
definitions, the framework agreement it is issued under, scope, deliverables,
a rate card or payment schedule, expenses, the legal terms and signature
blocks. All names, figures and wording are invented for these tests.

Blocks are tuples:

- ``("cover", [lines])``: the cover page (a page break follows);
- ``("toc", [(number, title, page)])``: a table of contents with dot leaders;
- ``("h", text)``, ``("p", text)`` or ``("p", text, {"footnote": note})``;
- ``("ul", [items])``: a bulleted list; ``("ol", [items])``: a lettered list;
- ``("table", header, rows, options)``: options ``image`` (drawn as a picture),
  ``deleted`` / ``inserted`` (row indexes marked as tracked changes in DOCX);
- ``("section", options)``: a new DOCX section (``columns``, ``landscape``,
  ``header``, ``continuous``); HTML and text renderers start a column block or a page;
- ``("break",)``: a page break; ``("sign", left_lines, right_lines)``: signature blocks.

In paragraph text, ``[-words-]`` is a tracked deletion and ``[+words+]`` a tracked
insertion (DOCX only; the other renderers print the accepted text), and ``\\u00ad``
marks where a word may be hyphenated.
"""

from __future__ import annotations

from typing import Any

SHY = "\u00ad"

# --- A: Sweden, time and materials, DOCX rendered by LibreOffice -----------------------------------

NORDVIK: dict[str, Any] = {
    "name": "se_tm_framework",
    "render": "docx-libreoffice-pdf",
    "header": ("Nordvik Konsult AB", "SOW NK-HB-2026-03 \u2013 Confidential"),
    "footer": "Page {page} of {pages}",
    "blocks": [
        (
            "cover",
            [
                "STATEMENT OF WORK",
                "Grid Forecasting Platform \u2013 Phase 2",
                "between Havsbris Energi AB (\u201cHavsbris\u201d) and Nordvik Konsult AB (\u201cNordvik\u201d)",
                "SOW reference: NK-HB-2026-03",
                "Issued under the Framework Agreement for Consultancy Services dated 14 June 2024",
                "Version 1.2 \u2013 9 February 2026",
            ],
        ),
        (
            "toc",
            [
                ("1", "Definitions", "2"),
                ("2", "Background and Framework Agreement", "2"),
                ("3", "Scope of Services", "2"),
                ("4", "Deliverables and Acceptance", "3"),
                ("5", "Fees and Rate Card", "3"),
                ("6", "Invoicing and Payment", "4"),
                ("7", "Term", "4"),
                ("8", "Legal Terms", "4"),
                ("9", "Signatures", "5"),
            ],
        ),
        ("break",),
        ("h", "1. Definitions"),
        (
            "p",
            "In this SOW the following terms have the meanings given below. Other capitalised terms "
            "have the meaning given to them in the Framework Agreement.",
        ),
        (
            "ul",
            [
                "\u201cBusiness Day\u201d means a day on which banks are open for general business in Stockholm.",
                "\u201cChange Request\u201d means a written request under Section 8.9 to change the Services, "
                "the fees or the timetable.",
                "\u201cDeliverable\u201d means any document, model or software listed in Section 4.",
                "\u201cFramework Agreement\u201d means the framework agreement for consultancy services "
                "between the parties dated 14 June 2024.",
                "\u201cServices\u201d means the services described in Section 3.",
            ],
        ),
        ("h", "2. Background and Framework Agreement"),
        (
            "p",
            "Havsbris operates 41 onshore wind parks in Sweden and Finland and needs day-ahead production "
            "forecasts for its trading desk. Phase 1, completed in December 2025, delivered a prototype "
            "forecasting model. This SOW covers Phase 2: production hardening, integration with the trading "
            "systems and handover to the Havsbris operations team.",
        ),
        (
            "p",
            "This SOW is issued under, and is governed by, the Framework Agreement. If this SOW and the "
            "Framework Agreement conflict, this SOW prevails for the Services only.",
        ),
        ("h", "3. Scope of Services"),
        ("p", "Nordvik will perform the following Services:"),
        (
            "ul",
            [
                "re-implement the Phase 1 prototype as a production forecasting service running in "
                "Havsbris\u2019 Azure tenancy;",
                "integrate the service with the Nord Pool bidding workflow and the SCADA historian;",
                "build monitoring, alerting and model retraining pipelines; and",
                "train the Havsbris operations team and hand over the runbooks.",
            ],
        ),
        (
            "p",
            "The following are out of scope: hardware procurement, changes to the SCADA configuration and "
            "round-the-clock operational support after handover.",
        ),
        ("h", "4. Deliverables and Acceptance"),
        (
            "table",
            ["No.", "Deliverable", "Target date"],
            [
                ["D1", "Solution architecture document", "3 April 2026"],
                ["D2", "Forecasting service in production", "26 June 2026"],
                ["D3", "Monitoring and retraining pipelines", "2 October 2026"],
                ["D4", "Runbooks and training of the operations team", "4 December 2026"],
            ],
            {},
        ),
        (
            "p",
            "Each Deliverable shall be deemed accepted unless Havsbris notifies Nordvik in writing of a "
            "material deviation from the agreed specification within ten (10) Business Days of delivery.",
        ),
        ("h", "5. Fees and Rate Card"),
        (
            "p",
            "The Services are provided on a time and materials basis. Nordvik charges the hours actually "
            "worked at the hourly rates below.",
            {"footnote": "All rates exclude Swedish VAT (moms), which is added at the applicable rate."},
        ),
        (
            "table",
            ["Role", "Level", "Hourly rate (SEK)"],
            [
                ["Engagement Manager", "Senior", "1\u00a0850"],
                ["Solution Architect", "Senior", "1\u00a0720"],
                ["Data Scientist", "Senior", "1\u00a0580"],
                ["Data Scientist", "Mid", "1\u00a0290"],
                ["Data Engineer", "Senior", "1\u00a0540"],
                ["Data Engineer", "Mid", "1\u00a0240"],
                ["DevOps Engineer", "Mid", "1\u00a0310"],
                ["Test Analyst", "Mid", "980"],
            ],
            {},
        ),
        (
            "p",
            "Nordvik estimates the fees for the Services at SEK 2\u00a0450\u00a0000. The fees invoiced under "
            "this SOW shall not exceed SEK 2\u00a0800\u00a0000 without an approved Change Request.",
        ),
        (
            "p",
            "The hourly rates are fixed until 31 December 2026. Any later adjustment follows the annual "
            "index clause of the Framework Agreement.",
        ),
        (
            "p",
            "Travel and accommodation for work outside Stockholm are reimbursed at cost in accordance with "
            "Havsbris\u2019 travel policy, up to a total of SEK 120\u00a0000 for the term of this SOW.",
        ),
        ("h", "6. Invoicing and Payment"),
        (
            "p",
            "Nordvik invoices monthly in arrears on the basis of the approved time reports. Havsbris shall "
            "pay each correct invoice within thirty (30) days of the invoice date.",
        ),
        (
            "p",
            "If Havsbris pays late, Nordvik may charge interest at 1% per month on the overdue amount from "
            "the due date until payment is made.",
        ),
        ("h", "7. Term"),
        (
            "p",
            "This SOW starts on 2 March 2026 and ends on 18 December 2026. It then renews automatically for "
            "successive periods of six (6) months unless either party gives written notice of non-renewal "
            "at least sixty (60) days before the end of the then-current period.",
        ),
        ("h", "8. Legal Terms"),
        (
            "p",
            "8.1 Limitation of liability. Each party\u2019s total liability under this SOW is limited to an "
            "amount equal to the fees paid under this SOW. This limitation does not apply to wilful "
            "misconduct or gross negligence.",
        ),
        (
            "p",
            "8.2 Confidentiality. Each party shall keep confidential all information received from the other "
            "party under this SOW and use it only for the purposes of this SOW. This obligation survives for "
            "five (5) years after the end of this SOW.",
        ),
        (
            "p",
            "8.3 Non-solicitation. During the term of this SOW and for twenty-four (24) months thereafter, "
            "Havsbris shall not, directly or indirectly, employ or engage any Nordvik consultant who has "
            "worked on the Services without Nordvik\u2019s prior written consent.",
        ),
        (
            "p",
            "8.4 Warranty. Nordvik warrants that the Services will be performed with due care and skill. "
            "Nordvik will re-perform, at no charge, any Services that do not conform to this warranty and "
            "that Havsbris reports within thirty (30) days of their performance.",
        ),
        (
            "p",
            "8.5 Termination for convenience. Havsbris may terminate this SOW for convenience on thirty (30) "
            "days\u2019 written notice. Havsbris shall pay for the Services performed and the expenses "
            "incurred up to the termination date.",
        ),
        (
            "p",
            "8.6 Insurance. Nordvik shall maintain professional liability insurance with cover of at least "
            "SEK 10\u00a0000\u00a0000 per claim during the term of this SOW.",
        ),
        (
            "p",
            "8.7 Intellectual property. The intellectual property rights in each Deliverable pass to Havsbris "
            "upon payment of the fees invoiced for it. Nordvik retains its pre-existing tools and methods and "
            "grants Havsbris a perpetual licence to use them as part of the Deliverables.",
        ),
        (
            "p",
            "8.8 Governing law and disputes. This SOW is governed by the laws of Sweden. Any dispute shall "
            "be finally settled by arbitration administered by the SCC Arbitration Institute, seated in "
            "Stockholm.",
        ),
        (
            "p",
            "8.9 Changes. Either party may submit a Change Request. No change is binding until both parties "
            "have signed it.",
        ),
        ("h", "9. Signatures"),
        ("p", "This SOW has been signed in two identical copies, of which the parties have taken one each."),
        (
            "sign",
            ["For Havsbris Energi AB", "Name: ______________________", "Title: Head of Trading", "Date:"],
            ["For Nordvik Konsult AB", "Name: ______________________", "Title: Managing Director", "Date:"],
        ),
    ],
}

# --- B: UK, fixed price in milestones, HTML printed by Chromium -----------------------------------

KESTREL_MILESTONES = [
    [
        "M1",
        "Discovery and service design",
        "Service design and research findings signed off by the Customer\u2019s product owner",
        "\u00a327,900",
        "20 February 2026",
    ],
    [
        "M2",
        "Private beta",
        "Portal available to 200 invited tenants; accessibility audit to WCAG 2.2 AA passed",
        "\u00a346,500",
        "30 April 2026",
    ],
    [
        "M3",
        "Public beta",
        "Repairs, rent account and messaging journeys live for all tenants; load test passed",
        "\u00a355,800",
        "30 June 2026",
    ],
    [
        "M4",
        "Live service",
        "Legacy portal switched off; service assessment passed; support handed to the Customer",
        "\u00a337,200",
        "31 August 2026",
    ],
    [
        "M5",
        "Hypercare complete",
        "Four weeks of hypercare with no open priority 1 or 2 incidents",
        "\u00a318,600",
        "30 September 2026",
    ],
]

KESTREL: dict[str, Any] = {
    "name": "uk_fixed_milestones",
    "render": "html-chromium-pdf",
    "header": ("Kestrel Digital Ltd", "SOW 4 \u2013 Tenant Portal Rebuild"),
    "footer": "Page {page} of {pages}",
    "blocks": [
        (
            "cover",
            [
                "Kestrel Digital",
                "Statement of Work No. 4",
                "Tenant Portal Rebuild",
                "Call-off under the Master Services Agreement dated 3 March 2025 between Kestrel Digital "
                "Ltd and Fenwick Homes Housing Association (the \u201cMSA\u201d)",
                "Reference KD/FH/SOW-04 \u00b7 5 January 2026",
            ],
        ),
        (
            "toc",
            [
                ("1", "Interpretation", "2"),
                ("2", "Background", "2"),
                ("3", "Scope", "2"),
                ("4", "Timetable", "2"),
                ("5", "Charges and Milestone Schedule", "3"),
                ("6", "Acceptance", "3"),
                ("7", "Delay", "4"),
                ("8", "Terms", "4"),
                ("9", "Signatures", "5"),
            ],
        ),
        ("break",),
        ("h", "1. Interpretation"),
        (
            "p",
            "Words defined in the MSA have the same meaning in this SOW. In addition:",
        ),
        (
            "ul",
            [
                "\u201cAcceptance Certificate\u201d means the certificate the Customer issues under "
                "paragraph 6 when a Milestone is achieved;",
                "\u201cMilestone\u201d means an event listed in the Milestone Schedule, and "
                "\u201cMilestone Payment\u201d the sum shown against it;",
                "\u201cRetention\u201d means the sum withheld under paragraph 5.4;",
                "\u201cWorking Day\u201d means a day other than a Saturday, Sunday or public holiday in "
                "England.",
            ],
        ),
        ("h", "2. Background"),
        (
            "p",
            "Fenwick Homes Housing Association (the \u201cCustomer\u201d) manages 14,000 homes in the North "
            "East of England. Its tenant portal is twelve years old, is not accessible and cannot be "
            "updated by the Customer\u2019s own staff. The Customer has selected Kestrel Digital Ltd (the "
            "\u201cSupplier\u201d) to rebuild the portal under the MSA.",
        ),
        ("h", "3. Scope"),
        ("p", "The Supplier shall:"),
        (
            "ul",
            [
                "research the needs of tenants, including tenants with access needs and tenants without "
                "internet access at home;",
                "design, build and test the repairs, rent account and messaging journeys;",
                "migrate 31,000 tenant accounts from the legacy portal; and",
                "support the live service during four weeks of hypercare.",
            ],
        ),
        (
            "p",
            "Hosting charges, the Customer\u2019s housing management system licences and content writing "
            "for the public website are outside the scope of this SOW.",
        ),
        ("h", "4. Timetable"),
        (
            "p",
            "The Supplier shall start the Services on 12 January 2026 (the \u201cStart Date\u201d) and "
            "complete them by 30 September 2026. The target dates for each Milestone are set out in the "
            "Milestone Schedule.",
        ),
        ("h", "5. Charges and Milestone Schedule"),
        (
            "p",
            "5.1 The Charges for the Services are a fixed price of \u00a3186,000 (excluding VAT), payable in "
            "Milestone Payments as set out in the Milestone Schedule below.",
            {"footnote": "VAT is charged at the rate in force on the date of each invoice."},
        ),
        (
            "table",
            ["No.", "Milestone", "Acceptance criteria", "Milestone Payment", "Target date"],
            KESTREL_MILESTONES,
            {"spacer": 9},
        ),
        (
            "p",
            "5.2 The Supplier shall invoice each Milestone Payment on the Customer\u2019s issue of the "
            "Acceptance Certificate for that Milestone.",
        ),
        (
            "p",
            "5.3 The Customer shall pay each valid invoice within sixty (60) days of receipt.",
        ),
        (
            "p",
            "5.4 The Customer shall retain 10% of each Milestone Payment (the \u201cRetention\u201d). The "
            "Retention is released with the payment for Milestone M5.",
        ),
        (
            "p",
            "5.5 The Charges are inclusive of all expenses. The Supplier shall not be entitled to recover "
            "travel, subsistence or other expenses.",
        ),
        ("h", "6. Acceptance"),
        (
            "p",
            "The Customer shall test each Deliverable against its acceptance criteria. A Milestone is "
            "achieved only when the Customer, in its sole discretion, issues an Acceptance Certificate for it.",
        ),
        ("h", "7. Delay"),
        (
            "p",
            "If Milestone M4 is not achieved by its target date for reasons attributable to the Supplier, "
            "the Supplier shall pay the Customer liquidated damages of \u00a3750 for each Working Day of "
            "delay, up to a maximum of 10% of the Charges.",
        ),
        ("h", "8. Terms"),
        ("section", {"columns": 2}),
        (
            "p",
            "8.1 Intellectual property. All Intellectual Property Rights in the Deliverables shall vest in "
            "the Customer on creation. The Supplier hereby assigns to the Customer, with full title "
            "guarantee, all such rights, including those in any Supplier Background IPR incorporated in the "
            "Deliverables.",
        ),
        (
            "p",
            f"8.2 Liability. Subject to paragraph 8.3, each party\u2019s total aggre{SHY}gate liability "
            "arising under or in connection with this SOW shall not exceed 150% of the Charges.",
        ),
        (
            "p",
            "8.3 Nothing in this SOW limits either party\u2019s liability for death or personal injury "
            "caused by its negligence, or for fraud.",
        ),
        (
            "p",
            "8.4 Insurance. The Supplier shall maintain professional indemnity insurance of not less than "
            "\u00a32,000,000 for each claim and public liability insurance of not less than \u00a35,000,000.",
        ),
        (
            "p",
            "8.5 Confidentiality. Each party shall keep the other\u2019s Confidential Information "
            "confidential in accordance with clause 14 of the MSA.",
        ),
        (
            "p",
            "8.6 Data protection. The Supplier processes tenants\u2019 personal data only on the "
            "Customer\u2019s documented instructions and in accordance with the data processing schedule of "
            "the MSA.",
        ),
        (
            "p",
            "8.7 Termination. The Customer may terminate this SOW at any time on thirty (30) days\u2019 "
            "written notice, in which case it shall pay for the Milestones achieved and a fair proportion "
            "of the Milestone in progress.",
        ),
        (
            "p",
            "8.8 Governing law. This SOW and any dispute arising from it are governed by the law of England "
            "and Wales, and the courts of England have exclusive jurisdiction.",
        ),
        ("section", {"columns": 1}),
        ("h", "9. Signatures"),
        (
            "sign",
            [
                "Signed for and on behalf of Kestrel Digital Ltd",
                "Name: Priya Raman",
                "Position: Delivery Director",
                "Date:",
            ],
            [
                "Signed for and on behalf of Fenwick Homes Housing Association",
                "Name: Colin Hetherington",
                "Position: Director of Customer Services",
                "Date:",
            ],
        ),
    ],
}

# --- C: US, mixed fixed fee and T&M, DOCX with tracked changes ---------------------------------------

COBALT: dict[str, Any] = {
    "name": "us_mixed_tracked",
    "render": "docx",
    "header": ("Cobalt Ridge Consulting LLC", "SOW #2 \u2013 Confidential"),
    "footer": "Page {page}",
    "blocks": [
        (
            "cover",
            [
                "Cobalt Ridge Consulting LLC",
                "Statement of Work #2",
                "Revenue Cycle Analytics",
                "Prepared for Meridian Health Partners, Inc.",
                "Under the Master Consulting Agreement dated January 15, 2025",
                "Draft for signature \u2013 May 4, 2026",
            ],
        ),
        ("section", {"header": ("Cobalt Ridge Consulting LLC", "SOW #2 \u2013 Confidential")}),
        (
            "toc",
            [
                ("1.", "Definitions", "2"),
                ("2.", "Project Overview", "2"),
                ("3.", "Phase 1 \u2013 Assessment", "2"),
                ("4.", "Phase 2 \u2013 Implementation", "3"),
                ("5.", "Expenses", "3"),
                ("6.", "Invoicing and Payment", "3"),
                ("7.", "Term", "3"),
                ("8.", "Additional Terms", "4"),
                ("9.", "Signatures", "5"),
            ],
        ),
        ("break",),
        ("h", "1. Definitions"),
        (
            "p",
            "This Statement of Work (\u201cSOW\u201d) is entered into by Cobalt Ridge Consulting LLC "
            "(\u201cConsultant\u201d) and Meridian Health Partners, Inc. (\u201cClient\u201d) under the Master "
            "Consulting Agreement between them dated January 15, 2025 (the \u201cAgreement\u201d). Capitalized "
            "terms not defined here have the meanings given in the Agreement.",
        ),
        (
            "ul",
            [
                "\u201cAssessment Report\u201d means the written report described in Section 3.",
                "\u201cEffective Date\u201d means June 1, 2026.",
                "\u201cServices\u201d means the Phase 1 and Phase 2 services described in this SOW.",
            ],
        ),
        ("h", "2. Project Overview"),
        (
            "p",
            "Client operates four hospitals and 38 outpatient clinics in upstate New York. Client wants to "
            "reduce claim denials and shorten the time from discharge to final bill. Consultant will assess "
            "the current revenue cycle (Phase 1) and then build and roll out denial analytics and work "
            "queues (Phase 2).",
        ),
        ("h", "3. Phase 1 \u2013 Assessment"),
        (
            "p",
            "Consultant will interview revenue cycle leaders, analyze 24 months of claims and remittance "
            "data, and deliver the Assessment Report with a prioritized roadmap. Consultant will perform "
            "Phase 1 for a fixed fee of $85,000, invoiced upon delivery of the Assessment Report.",
        ),
        ("h", "4. Phase 2 \u2013 Implementation"),
        (
            "p",
            "Consultant will perform Phase 2 on a time and materials basis at the hourly rates below.",
            {"footnote": "Rates apply to hours worked remotely or on site; travel time is not billed."},
        ),
        (
            "table",
            ["Role", "Hourly Rate"],
            [
                ["Managing Director", "$395"],
                ["Senior Manager", "$325"],
                ["Manager", "$275"],
                ["Data Architect", "$310"],
                ["Senior Consultant", "$225"],
                ["Consultant", "$180"],
                ["Analyst", "$140"],
                ["Associate", "$120"],
            ],
            {"inserted": [3], "deleted": [7]},
        ),
        (
            "p",
            "Phase 2 fees will not exceed $400,000 without Client\u2019s prior written approval. The total "
            "estimated fees for Phases 1 and 2 are $465,000.",
        ),
        ("h", "5. Expenses"),
        (
            "p",
            "Client will reimburse reasonable, pre-approved travel expenses at cost[+, not to exceed "
            "$30,000 in the aggregate+]. Consultant will submit receipts with each invoice.",
            {"footnote": "Client\u2019s travel policy dated March 2025 applies to air travel and lodging."},
        ),
        ("h", "6. Invoicing and Payment"),
        (
            "p",
            "Consultant will invoice Phase 2 fees and expenses monthly. Client will pay each undisputed "
            "invoice within [-sixty (60)-][+forty-five (45)+] days of receipt. Past-due amounts bear a late "
            "charge of 1.5% per month.",
        ),
        ("h", "7. Term"),
        (
            "p",
            "This SOW begins on June 1, 2026 and continues until December 31, 2026, unless terminated "
            "earlier under the Agreement or Section 8.2.",
        ),
        ("section", {"header": ("Cobalt Ridge Consulting LLC", "SOW #2 \u2013 Additional Terms")}),
        ("h", "8. Additional Terms"),
        (
            "p",
            "8.1 Pricing. Consultant represents that the rates in this SOW are no less favorable than the "
            "rates Consultant charges any other client for comparable services. If Consultant offers lower "
            "rates to another client, it will offer the same rates to Client.",
        ),
        (
            "p",
            "8.2 Termination for Convenience. Client may terminate this SOW for convenience upon ten (10) "
            "days\u2019 written notice to Consultant.",
        ),
        (
            "p",
            "8.3 Indemnification. Consultant shall defend, indemnify and hold harmless Client and its "
            "affiliates from and against any and all claims, losses, damages and expenses arising out of or "
            "relating to the Services.",
        ),
        (
            "p",
            "8.4 Limitation of Liability. Consultant\u2019s aggregate liability under this SOW shall not "
            "exceed three (3) times the total fees paid or payable under this SOW.",
        ),
        (
            "p",
            "8.5 Audit. Client may, upon ten (10) business days\u2019 notice, audit Consultant\u2019s time "
            "records and invoices relating to this SOW once per calendar year.",
        ),
        (
            "p",
            "8.6 Non-Solicitation. During the term and for twelve (12) months thereafter, neither party "
            "shall solicit for employment any employee of the other party who was involved in the Services.",
        ),
        (
            "p",
            "8.7 Warranty. Consultant warrants that the Services will be performed in a professional and "
            "workmanlike manner and will re-perform any nonconforming Services reported within ninety (90) "
            "days after their performance.",
        ),
        (
            "p",
            "8.8 Confidentiality. Section 9 (Confidentiality) of the Agreement applies to all Client data "
            "and protected health information Consultant receives under this SOW.",
        ),
        (
            "p",
            "[-8.9 Exclusivity. During the term, Client shall not engage any other consultant to perform "
            "revenue cycle analytics services.-]",
        ),
        (
            "p",
            "8.9 Governing Law. This SOW is governed by the laws of the State of New York, without regard "
            "to its conflict of laws principles.",
        ),
        ("h", "9. Signatures"),
        ("p", "IN WITNESS WHEREOF, the parties have executed this SOW as of the Effective Date."),
        (
            "sign",
            [
                "COBALT RIDGE CONSULTING LLC",
                "By: ________________________",
                "Name: Dana Whitfield",
                "Title: Managing Director",
            ],
            [
                "MERIDIAN HEALTH PARTNERS, INC.",
                "By: ________________________",
                "Name: Luis Ortega",
                "Title: Chief Financial Officer",
            ],
        ),
    ],
}

# --- D: Germany, monthly retainer, plain text with form feeds ----------------------------------------

BRANDT: dict[str, Any] = {
    "name": "de_retainer_text",
    "render": "text",
    "header": ("Brandt & K\u00f6hler Unternehmensberatung GmbH", "RA-2026-014"),
    "footer": "- {page} -",
    "blocks": [
        (
            "cover",
            [
                "RETAINER AGREEMENT",
                "Statement of Work RA-2026-014",
                "Logistics Network Strategy",
                "between",
                "Rheinwerk Logistik SE, Cologne (the \u201cClient\u201d)",
                "and",
                "Brandt & K\u00f6hler Unternehmensberatung GmbH, D\u00fcsseldorf (the \u201cConsultant\u201d)",
                "subject to the Consultant's General Terms and Conditions for Consulting Services "
                "(version 2024)",
            ],
        ),
        (
            "toc",
            [
                ("1.", "Definitions", "2"),
                ("2.", "Subject Matter", "2"),
                ("3.", "Services", "2"),
                ("4.", "Term", "2"),
                ("5.", "Remuneration", "3"),
                ("6.", "Invoicing and Payment", "3"),
                ("7.", "Expenses", "3"),
                ("8.", "Team and Availability", "3"),
                ("9.", "Exclusivity and Non-Competition", "4"),
                ("10.", "Liability", "4"),
                ("11.", "Confidentiality", "4"),
                ("12.", "Termination", "4"),
                ("13.", "Final Provisions", "4"),
            ],
        ),
        ("break",),
        ("h", "1. Definitions"),
        (
            "ul",
            [
                "\u201cConsultant Day\u201d means eight hours of work by one consultant, whether on site or "
                "remotely.",
                "\u201cGTC\u201d means the Consultant's General Terms and Conditions for Consulting Services "
                "(version 2024), which apply in addition to this Agreement.",
                "\u201cTerm\u201d has the meaning given in Section 4.",
            ],
        ),
        ("h", "2. Subject Matter"),
        (
            "p",
            "The Client operates 23 contract logistics ware\u00adhouses in Germany, Austria and Switzerland. "
            "The Consultant advises the Client on the redesign of its ware\u00adhouse network and on the "
            "related transformation programme. If this Agreement and the GTC conflict, this Agreement "
            "prevails.",
        ),
        ("h", "3. Services"),
        ("p", "The Consultant provides the following services on a continuing basis:"),
        (
            "ol",
            [
                "strategic advice to the Client's management board on the network strategy;",
                "monthly steering committee preparation and attendance;",
                "quantitative network modelling of site, capacity and cost scenarios; and",
                "support of the programme office with planning and reporting.",
            ],
        ),
        ("h", "4. Term"),
        (
            "p",
            "This Agreement commences on 1 April 2026 and ends on 31 March 2027 (the \u201cTerm\u201d). It "
            "ends on that date without the need for notice of termination; any extension requires a written "
            "agreement of the parties.",
        ),
        ("h", "5. Remuneration"),
        (
            "p",
            "The Client pays a monthly retainer fee of EUR 18.500,00 (eighteen thousand five hundred euros) "
            "plus statutory VAT. The total retainer fees for the Term amount to EUR 222.000,00.",
        ),
        (
            "p",
            "The retainer covers up to ten (10) Consultant Days per calendar month. Additional Consultant "
            "Days are remunerated at the following day rates:",
        ),
        (
            "table",
            ["Role", "Day rate (EUR)"],
            [["Partner", "2.400,00"], ["Senior Manager", "1.850,00"], ["Consultant", "1.250,00"]],
            {},
        ),
        (
            "p",
            "The day rates are fixed for the Term. Unused Consultant Days are not carried over to the "
            "following month and are not refunded.",
        ),
        ("h", "6. Invoicing and Payment"),
        (
            "p",
            "The Consultant invoices the retainer fee monthly in advance at the beginning of each calendar "
            "month. Additional Consultant Days and expenses are invoiced monthly in arrears. Invoices are "
            "payable within 14 days of receipt without deduction.",
        ),
        (
            "p",
            "If the Client is in default of payment, default interest of nine percentage points above the "
            "base interest rate (section 288(2) German Civil Code) is payable.",
        ),
        ("h", "7. Expenses"),
        (
            "p",
            "Travel expenses are reimbursed at cost against receipts, up to EUR 15.000,00 per contract year. "
            "Rail travel is second class for journeys under four hours.",
        ),
        ("h", "8. Team and Availability"),
        (
            "p",
            "The Consultant guarantees the availability of a core team of at least two (2) consultants for a "
            "minimum of eight (8) Consultant Days per calendar month each. Members of the core team are "
            "replaced only with the Client's consent, which may not be unreasonably withheld.",
        ),
        ("h", "9. Exclusivity and Non-Competition"),
        (
            "p",
            "9.1 During the Term, the Client shall not engage any other management consultancy for the "
            "logistics network strategy covered by this Agreement.",
        ),
        (
            "p",
            "9.2 During the Term and for twelve (12) months after its end, the Consultant shall not advise "
            "any competitor of the Client in the contract logistics sector in Germany, Austria or "
            "Switzerland.",
        ),
        ("h", "10. Liability"),
        (
            "p",
            "The Consultant's liability for slight negligence is limited to the total retainer fees for the "
            "Term. This limitation does not apply to intent, gross negligence or injury to life, body or "
            "health.",
        ),
        ("h", "11. Confidentiality"),
        (
            "p",
            "The Consultant shall treat as confidential all business and trade secrets of the Client that "
            "become known to it in the course of the services, during the Term and for three (3) years "
            "after its end.",
        ),
        ("h", "12. Termination"),
        (
            "p",
            "Either party may terminate this Agreement for convenience with three (3) months' notice to the "
            "end of a calendar month. The retainer fee remains payable up to the end of the notice period. "
            "The right to terminate for good cause remains unaffected.",
        ),
        ("h", "13. Final Provisions"),
        (
            "p",
            "This Agreement is governed by the laws of the Federal Republic of Germany. The exclusive place "
            "of jurisdiction is Cologne. Amendments must be made in writing.",
        ),
        (
            "sign",
            [
                "Cologne, 12 March 2026",
                "Rheinwerk Logistik SE",
                "____________________________",
                "Dr. Katrin Vogel, CFO",
            ],
            [
                "D\u00fcsseldorf, 12 March 2026",
                "Brandt & K\u00f6hler Unternehmensberatung GmbH",
                "____________________________",
                "Matthias Brandt, Managing Director",
            ],
        ),
    ],
}

# --- E: Australia, fixed fee by instalments, two columns, a rate table drawn as an image, a rotated page ---

SOUTHERN_CROSS: dict[str, Any] = {
    "name": "au_fixed_two_column",
    "render": "docx-libreoffice-pdf",
    "rotate_page_with": "Annexure B",
    "header": ("Southern Cross Analytics Pty Ltd", "Contract MBWA-C-2291"),
    "footer": "Page {page} of {pages}",
    "blocks": [
        (
            "cover",
            [
                "CONSULTANCY SERVICES",
                "Statement of Work",
                "Murray Basin Water Authority",
                "Regional Water Security Options Study",
                "Contract No. MBWA-C-2291, issued under Standing Offer Arrangement SOA-17",
                "Consultant: Southern Cross Analytics Pty Ltd (ABN 51 824 753 556)",
            ],
        ),
        (
            "toc",
            [
                ("1", "Definitions", "2"),
                ("2", "Background", "2"),
                ("3", "Services", "2"),
                ("4", "Fee and Payment", "2"),
                ("5", "Term", "3"),
                ("6", "Contract Conditions", "3"),
                ("7", "Execution", "4"),
                ("A", "Annexure A \u2013 Schedule of Rates", "5"),
                ("B", "Annexure B \u2013 Payment Schedule", "6"),
            ],
        ),
        ("break",),
        ("h", "1. Definitions"),
        (
            "ul",
            [
                "Authority means the Murray Basin Water Authority.",
                "Contract Material means all material created by the Consultant in performing the Services.",
                "Fee means the fixed fee in clause 4.1.",
                "Pre-existing Material means material of the Consultant that exists before the date of this "
                "Contract or is developed independently of it.",
                "SOA means Standing Offer Arrangement SOA-17 between the Authority and the Consultant.",
            ],
        ),
        ("h", "2. Background"),
        (
            "p",
            "The Authority supplies bulk water to eleven towns and 2,300 irrigation licence holders. Three "
            "consecutive dry years have reduced storage to 34% of capacity. The Authority requires an "
            "options study for long-term regional water security, prepared under the SOA.",
        ),
        ("h", "3. Services"),
        ("p", "The Consultant must:"),
        (
            "ol",
            [
                "prepare an inception report confirming the method, data and stakeholder plan;",
                "calibrate a hydrological model of the catchment against 40 years of streamflow records;",
                "assess at least six supply and demand options, including a pipeline interconnection and "
                "managed aquifer recharge; and",
                "prepare draft and final options reports and present them to the Authority\u2019s board.",
            ],
        ),
        ("h", "4. Fee and Payment"),
        (
            "p",
            "4.1 The Fee for the Services is a fixed fee of AUD 312,400 (exclusive of GST), payable in the "
            "instalments set out in the Payment Schedule at Annexure B.",
        ),
        (
            "p",
            "4.2 The Consultant may invoice each instalment on the Authority\u2019s written acceptance of the "
            "relevant Deliverable. The Authority will pay a correctly rendered tax invoice within thirty (30) "
            "days after receiving it.",
        ),
        (
            "p",
            "4.3 Interest on overdue amounts accrues at 0.75% per month from the due date.",
        ),
        (
            "p",
            "4.4 The Fee includes all travel, accommodation and disbursements. Variations are priced at the "
            "Schedule of Rates in Annexure A.",
            {"footnote": "Rates in Annexure A are exclusive of GST."},
        ),
        ("h", "5. Term"),
        (
            "p",
            "The Services commence on 2 February 2026 and must be completed by 27 November 2026.",
        ),
        ("h", "6. Contract Conditions"),
        ("section", {"columns": 2, "continuous": True}),
        (
            "p",
            "6.1 Liability. The Consultant\u2019s liability to the Authority under or in connection with this "
            "Contract is limited to an amount equal to the Fee.",
        ),
        (
            "p",
            "6.2 Indemnity. The Consultant indemnifies the Authority against any loss arising from a "
            "negligent act or omission of the Consultant or its personnel, reduced to the extent that the "
            "Authority contributed to the loss.",
        ),
        (
            "p",
            "6.3 Insurance. The Consultant must hold professional indemnity insurance of at least AUD 5 "
            "million per claim and maintain it for six years after completion of the Services.",
        ),
        (
            "p",
            "6.4 Intellectual property. Ownership of the Intellectual Property in the Contract Material vests "
            "in the Authority on payment of the Fee for that material. The Consultant retains ownership of "
            "its Pre-existing Material.",
        ),
        (
            "p",
            "6.5 Termination for convenience. The Authority may terminate this Contract at any time by notice "
            "with immediate effect. The Consultant is then entitled only to payment of the instalments for "
            "Deliverables already accepted.",
        ),
        (
            "p",
            "6.6 Confidentiality. The Consultant must not disclose any Authority information without the "
            "Authority\u2019s prior written consent, except as required by law.",
        ),
        (
            "p",
            "6.7 Assignment. The Consultant must not assign this Contract without the Authority\u2019s prior "
            "written consent.",
        ),
        (
            "p",
            "6.8 Change in control. The Consultant must notify the Authority of any change in its control. "
            "The Authority may terminate this Contract if it does not approve the change.",
        ),
        (
            "p",
            "6.9 Governing law. This Contract is governed by the law of New South Wales.",
        ),
        ("section", {"columns": 1, "continuous": True}),
        ("h", "7. Execution"),
        ("p", "Executed as an agreement."),
        (
            "sign",
            [
                "Signed for Murray Basin Water Authority by its authorised officer",
                "Signature:",
                "Name: Helen Tran",
                "Date:",
            ],
            [
                "Executed by Southern Cross Analytics Pty Ltd under section 127 of the Corporations Act 2001",
                "Director:",
                "Director/Secretary:",
                "Date:",
            ],
        ),
        ("break",),
        ("h", "Annexure A \u2013 Schedule of Rates"),
        ("p", "Rates for approved variations (AUD per hour, exclusive of GST):"),
        (
            "table",
            ["Role", "Rate (AUD per hour)"],
            [
                ["Project Director", "$345"],
                ["Principal Hydrologist", "$295"],
                ["Senior Water Engineer", "$245"],
                ["Water Resources Engineer", "$190"],
                ["GIS Analyst", "$150"],
            ],
            {"image": True},
        ),
        ("section", {"landscape": True}),
        ("h", "Annexure B \u2013 Payment Schedule"),
        (
            "table",
            ["Stage", "Deliverable", "% of Fee", "Amount (AUD, excl. GST)"],
            [
                ["1", "Inception report accepted", "20%", "62,480"],
                ["2", "Hydrological model calibrated", "35%", "109,340"],
                ["3", "Draft options report", "25%", "78,100"],
                ["4", "Final report accepted by the board", "20%", "62,480"],
            ],
            {},
        ),
    ],
}

# --- F: Canada, subcontract work order, T&M weekly, HTML printed by Chromium ---------------------

LAKESHORE: dict[str, Any] = {
    "name": "ca_subcontract_weekly",
    "render": "html-chromium-pdf",
    "header": ("Tamarack Systems Integration Corp.", "Work Order No. 7"),
    "footer": "{page} / {pages}",
    "blocks": [
        (
            "cover",
            [
                "Subcontract Work Order No. 7",
                "Data Platform Migration \u2013 Ministry Programme",
                "Prime: Tamarack Systems Integration Corp. (\u201cPrime\u201d)",
                "Subcontractor: Lakeshore Data Engineering Inc. (\u201cSubcontractor\u201d)",
                "Issued under the Subcontracting Agreement dated September 9, 2024 (the \u201cSubcontract\u201d)",
            ],
        ),
        (
            "toc",
            [
                ("1", "Definitions", "2"),
                ("2", "Purpose", "2"),
                ("3", "Statement of Work", "2"),
                ("4", "Rates and Estimated Value", "2"),
                ("5", "Timesheets, Invoices and Payment", "3"),
                ("6", "Period of Performance", "3"),
                ("7", "Special Conditions", "3"),
                ("8", "Acceptance of this Work Order", "4"),
            ],
        ),
        ("break",),
        ("h", "1. Definitions"),
        ("section", {"columns": 2}),
        (
            "ul",
            [
                "\u201cClient\u201d means the provincial ministry for which Prime delivers the Programme.",
                "\u201cProgramme\u201d means the data platform migration programme under Prime\u2019s contract "
                "with the Client.",
                "\u201cWorking Day\u201d means a day of at least 7.5 hours worked by one resource.",
                "\u201cResources\u201d means the individuals named in Section 4.",
            ],
        ),
        ("section", {"columns": 1}),
        ("h", "2. Purpose"),
        (
            "p",
            "Prime has engaged Subcontractor to provide data engineering resources to the Programme. This "
            "Work Order is governed by the Subcontract; if they conflict, the Subcontract prevails except "
            "for the rates and the period of performance stated here.",
        ),
        ("h", "3. Statement of Work"),
        ("p", "Subcontractor\u2019s Resources will, under the direction of Prime\u2019s programme lead:"),
        (
            "ul",
            [
                "migrate 140 batch pipelines from the on-premises scheduler to the Client\u2019s cloud "
                "platform;",
                "re-write reconciliation reports and validate them against the legacy outputs; and",
                "document each migrated pipeline in the Programme\u2019s run book.",
            ],
        ),
        ("h", "4. Rates and Estimated Value"),
        (
            "p",
            "Services are billed on a time and materials basis at the following daily rates, in Canadian "
            "dollars:",
        ),
        (
            "table",
            ["Resource category", "Named resource", "Daily rate"],
            [
                ["Lead Data Engineer", "A. Mbeki", "CAD\u00a01,280"],
                ["Data Engineer", "J. Tremblay", "CAD\u00a01,040"],
                ["Data Engineer", "S. Kaur", "CAD\u00a01,040"],
                ["Junior Data Engineer", "M. Rossi", "CAD\u00a0720"],
            ],
            {},
        ),
        (
            "p",
            "A per diem of CAD\u00a095 applies to each Working Day spent outside the Greater Toronto Area at "
            "Prime\u2019s request. Travel expenses are otherwise not billable under this Work Order.",
        ),
        (
            "p",
            "The estimated value of this Work Order is CAD\u00a0410,000. The aggregate fees under this Work "
            "Order shall not exceed CAD\u00a0450,000 without a written amendment.",
        ),
        (
            "p",
            f"The rates in this Work Order are firm for its dura{SHY}tion and any exten{SHY}sion, and shall "
            "not increase.",
        ),
        ("h", "5. Timesheets, Invoices and Payment"),
        (
            "p",
            "Subcontractor submits timesheets approved by Prime\u2019s programme lead and invoices weekly, "
            "every Friday.",
        ),
        (
            "p",
            "Prime pays each invoice within ten (10) business days after Prime receives payment from the "
            "Client for the corresponding services.",
        ),
        ("h", "6. Period of Performance"),
        (
            "p",
            "The period of performance is April 6, 2026 to March 31, 2027. Prime may extend this Work Order by "
            "up to two further periods of six months each by written notice to Subcontractor.",
        ),
        ("h", "7. Special Conditions"),
        (
            "p",
            "7.1 Non-solicitation. Subcontractor shall not, during the period of performance and for "
            "eighteen (18) months after it ends, solicit or hire any employee of Prime or of the Client.",
        ),
        (
            "p",
            "7.2 Termination. Prime may terminate this Work Order for convenience on fifteen (15) days\u2019 "
            "written notice to Subcontractor.",
        ),
        (
            "p",
            "7.3 Indemnity. Subcontractor shall indemnify Prime against third-party claims to the extent "
            "caused by the negligence of Subcontractor\u2019s Resources or by their infringement of "
            "intellectual property rights.",
        ),
        (
            "p",
            "7.4 Insurance. Subcontractor shall maintain commercial general liability insurance of at least "
            "CAD\u00a02,000,000 per occurrence and errors and omissions insurance of at least "
            "CAD\u00a01,000,000.",
        ),
        (
            "p",
            "7.5 Confidentiality. Subcontractor\u2019s Resources shall sign the Client\u2019s confidentiality "
            "undertaking before receiving access to Client systems, and shall keep all Client data "
            "confidential.",
        ),
        (
            "p",
            "7.6 Governing law. This Work Order is governed by the laws of the Province of Ontario and the "
            "federal laws of Canada applicable therein.",
        ),
        ("h", "8. Acceptance of this Work Order"),
        (
            "sign",
            [
                "TAMARACK SYSTEMS INTEGRATION CORP.",
                "Per: ______________________",
                "Name: Gordon Fraser, VP Delivery",
                "Date:",
            ],
            [
                "LAKESHORE DATA ENGINEERING INC.",
                "Per: ______________________",
                "Name: Amara Mbeki, President",
                "Date:",
            ],
        ),
    ],
}

DOCUMENTS: list[dict[str, Any]] = [NORDVIK, KESTREL, COBALT, BRANDT, SOUTHERN_CROSS, LAKESHORE]
