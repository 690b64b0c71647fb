"""`handoff demo`: deal to delivery and time to bill, end to end, with a summary."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from service.cli._app import app
from service.cli._output import OutputFormat, emit_json, fail
from service.settings import Settings


@app.command()
def demo(
    auto_approve: Annotated[
        bool, typer.Option("--auto-approve", help="Decide each human step as a scripted reviewer would.")
    ] = False,
    port: Annotated[
        int | None, typer.Option(help="Port for the demo's service (default: a free one).")
    ] = None,
    output_format: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.table,
) -> None:
    """Run both reference processes on the sample firm against a live local service."""
    from service.client import HandoffAPIError
    from service.workflows.demo import run_demo

    settings = Settings()
    status = Console(stderr=True)
    try:
        result = run_demo(settings, auto_approve=auto_approve, port=port, say=status.print)
    except (HandoffAPIError, RuntimeError, TimeoutError, OSError) as exc:
        fail(f"demo failed: {exc}")
    summary = {
        "extraction": _extraction_summary(result.deal),
        "decisions": result.decisions,
        "erp_payload": result.deal.get("project_setup"),
        "team": result.deal.get("team"),
        "invoice": {
            "header": result.bill.get("invoice"),
            "lines": result.bill.get("invoice_lines"),
            "status": result.bill.get("invoice_status"),
            "removed_entries": [
                {"entry_id": e["entry_id"], "reason": e.get("reason")}
                for e in result.bill.get("removed_entries", [])
            ],
        },
        "scorecard": result.scorecard(),
    }
    if output_format is OutputFormat.json:
        emit_json(summary)
        return
    _print_summary(summary, Console(file=sys.stdout))


def _extraction_summary(deal: dict[str, Any]) -> dict[str, Any]:
    result = deal.get("extraction") or {}
    billing = result.get("billing") or {}
    return {
        "extraction_id": deal.get("extraction_id"),
        "billing": {k: v["value"] for k, v in billing.items() if isinstance(v, dict) and "value" in v},
        "rates": [r["value"] for r in billing.get("rates") or []],
        "clauses": [
            {"type": c["type"], "nonstandard": c["nonstandard"], "rule": c.get("rule")}
            for c in result.get("clauses") or []
        ],
        "review_items": deal.get("contract_review_ids", []),
    }


def _print_summary(summary: dict[str, Any], console: Console) -> None:
    extraction = summary["extraction"]
    console.rule("What was extracted")
    terms = Table("term", "value")
    for name, value in extraction["billing"].items():
        terms.add_row(name, str(value))
    for rate in extraction["rates"]:
        terms.add_row("rate", f"{rate['role']}: {rate['rate']} {rate.get('currency') or ''}/{rate['unit']}")
    console.print(terms)
    clauses = Table("clause", "nonstandard", "rule")
    for clause in extraction["clauses"]:
        clauses.add_row(clause["type"], "yes" if clause["nonstandard"] else "no", clause["rule"] or "")
    console.print(clauses)

    console.rule("What was flagged and decided")
    decided = Table("route", "item", "outcome", "reason")
    for d in summary["decisions"]:
        decided.add_row(d["route"], d["title"], d["outcome"], d["reason"] or "")
    console.print(decided if summary["decisions"] else "Decided in the console.")

    console.rule("ERP project set-up")
    setup = summary["erp_payload"] or {}
    payload = Table("field", "value", "source")
    for name in (
        "project_code",
        "billing_model",
        "currency",
        "payment_terms_days",
        "invoice_frequency",
        "start_date",
        "end_date",
        "not_to_exceed",
    ):
        value = setup.get(name)
        if isinstance(value, dict):
            payload.add_row(name, str(value["value"]), value.get("source", ""))
        else:
            payload.add_row(name, str(value), "")
    console.print(payload)
    console.print(
        f"complete financial set-up: {setup.get('complete')}  missing: {setup.get('missing') or '-'}"
    )

    console.rule("The team")
    team = Table("request", "person", "score")
    for a in (summary["team"] or {}).get("assignments", []):
        team.add_row(a["request_id"], a["person_id"], f"{a['score']:.2f}")
    console.print(team)

    console.rule("The invoice")
    invoice = summary["invoice"]
    lines = Table("line", "hours", "rate", "amount")
    for line in invoice["lines"] or []:
        lines.add_row(
            line["description"], str(line["quantity"]), str(line["unit_price"]), str(line["amount"])
        )
    console.print(lines)
    header = invoice["header"] or {}
    console.print(
        f"total {header.get('total')} {header.get('currency')}, due {header.get('due_date')}; "
        f"status {invoice['status']}; removed: {invoice['removed_entries'] or 'none'}"
    )

    console.rule("Scorecard")
    card = summary["scorecard"]
    console.print(f"signature to project ready: {card['signature_to_project_ready_seconds']} s")
    console.print(f"week closed to invoice ready: {card['week_to_invoice_ready_seconds']} s")
    for handoff in card["handoffs"]:
        console.print(f"  waited {handoff['waited_seconds']} s on {handoff['step']}")
    console.print(
        f"projects launched with complete financial set-up: "
        f"{card['projects_with_complete_financial_setup']:.0%}"
    )
    console.print(f"manual touches per project: {card['manual_touches_per_project']}")
