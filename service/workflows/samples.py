"""The demo's sample firm: a signed SOW, the people directory, a week of time."""

from __future__ import annotations

import io
import json
import re
from importlib import resources
from typing import Any

from service.workflows.deal_to_delivery import ProjectInfo

_SAMPLES = resources.files("service.workflows") / "samples"


def _json(name: str) -> Any:
    return json.loads((_SAMPLES / name).read_text(encoding="utf-8"))


def sample_sow_text() -> str:
    return (_SAMPLES / "northwind_sow.txt").read_text(encoding="utf-8")


def sample_sow_pdf() -> bytes:
    """The sample SOW as a signed PDF would look: headings, paragraphs and a rate table."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import LETTER
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
    story: list[Any] = []
    table_rows: list[list[str]] = []
    for line in sample_sow_text().splitlines():
        cells = [c for c in re.split(r"\s{3,}", line.strip()) if c]
        if len(cells) == 2 and (table_rows or line.startswith("Role")):
            table_rows.append(cells)
            continue
        if table_rows:
            table = Table(table_rows, colWidths=[220, 160])
            table.setStyle(
                TableStyle(
                    [
                        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                        ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                    ]
                )
            )
            story += [table, Spacer(1, 8)]
            table_rows = []
        if not line.strip():
            continue
        style = styles["Heading2"] if re.match(r"^(\d+\. |STATEMENT OF WORK)", line) else styles["BodyText"]
        story.append(Paragraph(line.replace("&", "&amp;"), style))
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=LETTER, title="Statement of Work No. 7").build(story)
    return buffer.getvalue()


def sample_people() -> list[dict[str, Any]]:
    return list(_json("people.json"))


def sample_project() -> ProjectInfo:
    raw = _json("project.json")
    return ProjectInfo(
        project_code=raw["project_code"],
        client_id=raw["client_id"],
        client_name=raw["client_name"],
        role_profiles=raw["role_profiles"],
    )


def sample_time_entries() -> list[dict[str, Any]]:
    return list(_json("time_entries.json"))


def sample_time_context() -> dict[str, Any]:
    return dict(_json("time_context.json"))
