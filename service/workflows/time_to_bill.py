"""Time to bill: a week of time entries becomes an invoice finance can send.

Entries -> anomaly scoring -> finance decides the flagged -> the approved
entries become invoice lines -> the invoice is scored -> finance decides its
flags -> the invoice is released (or held).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from service.client import HandoffClient
from service.workflows.decisions import await_review_decisions
from service.workflows.runner import ProcessDefinition


@dataclass(frozen=True)
class InvoiceHeader:
    invoice_id: str
    invoice_number: str
    client_id: str
    project_id: str
    currency: str
    payment_terms_days: int = 30
    tax_rate: float = 0.0
    po_number: str | None = None


def billable_entries(
    entries: Sequence[Mapping[str, Any]], decisions: Mapping[str, Mapping[str, Any]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Split entries into what is billed and what finance took out, applying corrections."""
    by_entry = {d.get("subject_id"): d for d in decisions.values()}
    billed, removed = [], []
    for entry in entries:
        decision = by_entry.get(entry["entry_id"])
        if not entry.get("billable", True):
            continue
        if decision and decision["status"] == "rejected":
            removed.append({**entry, "reason": decision.get("reason")})
            continue
        corrected = dict(entry)
        if decision and decision["status"] == "overridden":
            corrected.update({k: v for k, v in (decision.get("corrections") or {}).items() if k in entry})
        billed.append(corrected)
    return billed, removed


def build_invoice(
    entries: Sequence[Mapping[str, Any]], header: InvoiceHeader
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """One line per role and rate over the entries' period, with the header's arithmetic."""
    grouped: dict[tuple[str, float], float] = defaultdict(float)
    for entry in entries:
        grouped[(entry.get("role") or "Consultant", float(entry["bill_rate"]))] += float(entry["hours"])
    days = sorted(date.fromisoformat(e["work_date"]) for e in entries) or [date.today()]
    period_start, period_end = days[0], days[-1]
    lines: list[dict[str, Any]] = [
        {
            "invoice_id": header.invoice_id,
            "description": f"{role}: professional services",
            "quantity": round(hours, 2),
            "unit_price": rate,
            "amount": round(hours * rate, 2),
            "role": role,
            "period_start": period_start.isoformat(),
            "period_end": period_end.isoformat(),
        }
        for (role, rate), hours in sorted(grouped.items())
    ]
    subtotal = round(sum(float(line["amount"]) for line in lines), 2)
    tax = round(subtotal * header.tax_rate, 2)
    issue = period_end + timedelta(days=1)
    invoice = {
        "invoice_id": header.invoice_id,
        "invoice_number": header.invoice_number,
        "client_id": header.client_id,
        "project_id": header.project_id,
        "issue_date": issue.isoformat(),
        "due_date": (issue + timedelta(days=header.payment_terms_days)).isoformat(),
        "currency": header.currency,
        "subtotal": subtotal,
        "tax": tax,
        "total": round(subtotal + tax, 2),
        "po_number": header.po_number,
    }
    return invoice, lines


def time_to_bill_process(
    engine: HandoffClient,
    *,
    entries: Sequence[Mapping[str, Any]],
    context: Mapping[str, Any] | None,
    header: InvoiceHeader,
) -> ProcessDefinition:
    entries = [dict(e) for e in entries]

    def score_time_entries(data: dict[str, Any]) -> None:
        response = engine.score_time_entries(
            entries, context=context, idempotency_key=f"{data['run_id']}:entries"
        )
        data["entry_results"] = response["results"]
        data["rejected_rows"] = response.get("rejected", [])
        data["entry_review_ids"] = list(response.get("reviews", []))

    def make_invoice(data: dict[str, Any]) -> None:
        billed, removed = billable_entries(entries, data.get("entry_decisions", {}))
        invoice, lines = build_invoice(billed, header)
        data.update(invoice=invoice, invoice_lines=lines, removed_entries=removed)

    def score_invoice(data: dict[str, Any]) -> None:
        response = engine.score_invoices(
            [data["invoice"]],
            lines=data["invoice_lines"],
            context=context,
            idempotency_key=f"{data['run_id']}:invoice",
        )
        data["invoice_result"] = response["results"][0] if response["results"] else None
        data["invoice_review_ids"] = list(response.get("reviews", []))

    def release_invoice(data: dict[str, Any]) -> None:
        held = [d for d in data.get("invoice_decisions", {}).values() if d["status"] == "rejected"]
        data["invoice_status"] = "held" if held else "ready"

    return ProcessDefinition.packaged(
        "time_to_bill",
        actions={
            "score_time_entries": score_time_entries,
            "build_invoice": make_invoice,
            "score_invoice": score_invoice,
            "release_invoice": release_invoice,
        },
        waiters={
            "await_entry_review": await_review_decisions(
                engine, ids_key="entry_review_ids", decisions_key="entry_decisions"
            ),
            "await_invoice_review": await_review_decisions(
                engine, ids_key="invoice_review_ids", decisions_key="invoice_decisions"
            ),
        },
    )
