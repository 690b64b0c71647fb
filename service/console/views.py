"""What each console page shows, computed from the stored records.

Templates only lay out what these functions return: the SOW page text cut
into plain and highlighted segments, chart bars, the insights figures.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.auth import Principal
from service.console.corrections import RULE_FIELDS, correction_fields
from service.db.models import ApiKey, DocumentRow, ExtractionRow
from service.insights import review_insights
from service.problems import ProblemError
from service.reviews.schemas import ReviewItem

ANOMALY_KINDS = {"time_entry", "invoice", "project_burn", "burn", "anomaly"}


def new_token() -> str:
    return secrets.token_urlsafe(32)


def now() -> datetime:
    return datetime.now(UTC)


@dataclass
class PageExcerpt:
    number: int
    # (text, is_evidence) in page order; evidence segments are highlighted
    segments: list[tuple[str, bool]]


@dataclass
class Bar:
    label: str
    value: float
    marked: bool = False
    note: str = ""


@dataclass
class ItemView:
    template: str  # which item partial lays it out
    finding: dict[str, Any]
    pages: list[PageExcerpt] = field(default_factory=list)
    billing: list[dict[str, Any]] = field(default_factory=list)
    extraction_id: str | None = None
    has_document: bool = False
    bars: list[Bar] = field(default_factory=list)
    chart_title: str = ""
    correction_fields: dict[str, tuple[str, str, tuple[str, ...]]] = field(default_factory=dict)
    preselected_field: str | None = None


def item_view(db: Session, item: ReviewItem, *, principal: Principal) -> ItemView:
    finding = dict(item.finding or {})
    fields = correction_fields(item)
    if item.subject.type == "sow_extraction":
        view = _sow_view(db, item, finding)
    elif item.kind in ANOMALY_KINDS or "risk" in finding or "controls" in finding:
        view = _anomaly_view(finding)
    elif item.kind.startswith("staffing") or "candidates" in finding:
        view = ItemView(template="staffing", finding=finding)
    else:
        view = ItemView(template="generic", finding=finding)
    view.correction_fields = fields
    view.preselected_field = finding.get("field") or RULE_FIELDS.get(item.rule or "")
    return view


def _evidence_of(finding: dict[str, Any]) -> list[dict[str, Any]]:
    evidence = finding.get("evidence") or []
    return [e for e in evidence if isinstance(e, dict) and {"page", "start", "end"} <= e.keys()]


def _sow_view(db: Session, item: ReviewItem, finding: dict[str, Any]) -> ItemView:
    view = ItemView(template="clause", finding=finding, extraction_id=item.subject.id)
    extraction = db.get(ExtractionRow, item.subject.id)
    if extraction is None:
        return view
    result = extraction.result or {}
    view.billing = _billing_rows(result.get("billing") or {})
    document = db.get(DocumentRow, extraction.document_sha256)
    view.has_document = document is not None
    texts = _page_texts(result, document)
    evidence = _evidence_of(finding)
    for number in sorted({int(e["page"]) for e in evidence}):
        text = texts.get(number)
        if text is None:
            continue
        spans = sorted((int(e["start"]), int(e["end"])) for e in evidence if int(e["page"]) == number)
        view.pages.append(PageExcerpt(number=number, segments=_segments(text, spans)))
    return view


def _page_texts(result: dict[str, Any], document: DocumentRow | None) -> dict[int, str]:
    stored = result.get("pages")
    if stored:
        return {int(p["number"]): p["text"] for p in stored}
    if document is None:
        return {}
    # The same ingestion that produced the offsets, so they slice the same text.
    from extraction.errors import ExtractionError
    from extraction.ingest import ingest

    try:
        parsed = ingest(document.content, filename=document.filename, media_type=document.media_type)
    except ExtractionError:
        return {}
    return {page.number: page.text for page in parsed.pages}


def _segments(text: str, spans: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    segments: list[tuple[str, bool]] = []
    cursor = 0
    for start, end in spans:
        start, end = max(start, cursor), min(end, len(text))
        if start >= end:
            continue
        if start > cursor:
            segments.append((text[cursor:start], False))
        segments.append((text[start:end], True))
        cursor = end
    if cursor < len(text):
        segments.append((text[cursor:], False))
    return segments


def _billing_rows(billing: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for name, value in billing.items():
        if value is None or value == []:
            continue
        values = value if isinstance(value, list) else [value]
        for entry in values:
            if not isinstance(entry, dict) or "value" not in entry:
                continue
            shown = entry["value"]
            if isinstance(shown, dict):
                shown = ", ".join(f"{k} {v}" for k, v in shown.items() if v is not None)
            evidence = (entry.get("evidence") or [{}])[0]
            rows.append(
                {
                    "field": name.replace("_", " "),
                    "value": shown,
                    "confidence": entry.get("confidence"),
                    "page": evidence.get("page"),
                    "quote": evidence.get("quote"),
                }
            )
    return rows


def _anomaly_view(finding: dict[str, Any]) -> ItemView:
    view = ItemView(template="anomaly", finding=finding)
    history = finding.get("history")
    if isinstance(history, list) and history:
        view.chart_title = "Recent history (this item in red)"
        view.bars = [
            Bar(
                label=str(h.get("label", h.get("date", ""))),
                value=float(h.get("value", 0) or 0),
                marked=bool(h.get("current")),
            )
            for h in history[-30:]
            if isinstance(h, dict)
        ]
    else:
        reasons = [r for r in finding.get("reasons") or [] if isinstance(r, dict)]
        numeric = [
            r
            for r in reasons
            if isinstance(r.get("value"), int | float) and isinstance(r.get("expected"), int | float)
        ]
        if numeric:
            view.chart_title = "This item against what is usual"
            for reason in numeric[:6]:
                feature = str(reason.get("feature") or reason.get("code"))
                view.bars.append(Bar(label=f"{feature} usual", value=float(reason["expected"])))
                view.bars.append(Bar(label=f"{feature} here", value=float(reason["value"]), marked=True))
    return view


def actor_names(db: Session, key_ids: list[str]) -> dict[str, str]:
    """Audit events name API keys by id; people read names."""
    wanted = {k for k in key_ids if k}
    if not wanted:
        return {}
    rows = db.scalars(select(ApiKey).where(ApiKey.id.in_(wanted)))
    return {row.id: f"{row.name} ({row.role})" for row in rows}


def decision_conflict_message(problem: ProblemError) -> str:
    if problem.status == 409:
        return f"Someone decided this item first ({problem.detail}) Your decision was not recorded."
    if problem.status == 412:
        return "This item changed while you were reading it. Review it again before deciding."
    return problem.detail or problem.title


def source_document(db: Session, item: ReviewItem) -> DocumentRow | None:
    if item.subject.type != "sow_extraction":
        return None
    extraction = db.get(ExtractionRow, item.subject.id)
    return db.get(DocumentRow, extraction.document_sha256) if extraction else None


def insights_view(db: Session, *, principal: Principal) -> dict[str, Any]:
    """Charts of the process figures, restricted to the reviewer's own route."""
    insights = review_insights(db)
    route = principal.review_route
    rows = [r for r in insights.routes if route is None or r.route == route]
    depth: dict[str, int] = defaultdict(int)
    oldest: dict[str, float] = defaultdict(float)
    for row in rows:
        depth[row.route] += row.pending
        oldest[row.route] = max(oldest[row.route], row.oldest_pending_age_seconds or 0)
    decided = [r for r in rows if r.decided]
    age_unit, age_scale = _duration_unit(max(oldest.values(), default=0))
    time_unit, time_scale = _duration_unit(
        max((r.time_to_decision.p95_seconds or 0 for r in decided), default=0)
    )
    return {
        "insights": insights,
        "rows": rows,
        "age_unit": age_unit,
        "time_unit": time_unit,
        "depth_bars": [Bar(label=k, value=v) for k, v in sorted(depth.items())],
        "age_bars": [Bar(label=k, value=round(v / age_scale, 1)) for k, v in sorted(oldest.items())],
        "decision_bars": [
            Bar(
                label=f"{r.route} · {r.rule or 'manual'}",
                value=round((r.time_to_decision.p50_seconds or 0) / time_scale, 1),
                note=f"p95 {round((r.time_to_decision.p95_seconds or 0) / time_scale, 1)} {time_unit}",
            )
            for r in decided
        ],
        "approval_bars": [
            Bar(label=f"{r.route} · {r.rule or 'manual'}", value=round(100 * (r.approval_rate or 0)))
            for r in rows
            if r.approval_rate is not None
        ],
        "model_bars": [
            Bar(
                label=m.model_version, value=round(100 * (m.approval_share or 0)), note=f"{m.decided} decided"
            )
            for m in insights.model_versions
            if m.approval_share is not None
        ],
    }


def _duration_unit(longest_seconds: float) -> tuple[str, float]:
    """Hours once anything waits two hours or more, minutes before that: bars people can read."""
    return ("h", 3600.0) if longest_seconds >= 7200 else ("min", 60.0)
