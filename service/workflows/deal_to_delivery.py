"""Deal to delivery: a signed SOW becomes a project that is set up to bill and staffed.

SOW -> extraction -> legal/finance decide its findings -> ERP project set-up
and billing schedule (every value traced to its evidence, reviewers'
corrections applied) -> a staffing request per role -> the delivery lead
decides any staffing flag -> the team is confirmed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from extraction.schemas import BILLING_SCALAR_FIELDS
from service.client import HandoffClient
from service.workflows.decisions import await_review_decisions
from service.workflows.runner import ProcessDefinition

BILLING_FIELDS = BILLING_SCALAR_FIELDS
# What a project needs before it can bill: without these, finance sets it up by hand.
REQUIRED_FOR_BILLING = ("billing_model", "currency", "payment_terms_days", "invoice_frequency", "start_date")


@dataclass(frozen=True)
class ProjectInfo:
    project_code: str
    client_id: str
    client_name: str
    # role title on the rate card -> what a staffing request for it asks for
    role_profiles: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    default_hours_per_week: float = 40.0


def build_project_setup(
    extraction: Mapping[str, Any], decisions: Mapping[str, Mapping[str, Any]], project: ProjectInfo
) -> dict[str, Any]:
    """The ERP-ready project set-up: each value with its evidence and where it came from.

    A reviewer's override replaces the extracted value (``corrections`` keyed by
    billing field name, or ``{"value": …}`` on a finding about one field).
    """
    billing = extraction.get("billing") or {}
    corrections: dict[str, tuple[Any, str]] = {}
    for review_id, decision in decisions.items():
        if decision.get("status") != "overridden" or not decision.get("corrections"):
            continue
        for name, value in dict(decision["corrections"]).items():
            if name in BILLING_FIELDS:
                corrections[name] = (value, review_id)

    fields: dict[str, Any] = {}
    for name in BILLING_FIELDS:
        if name in corrections:
            value, review_id = corrections[name]
            original = billing.get(name) or {}
            fields[name] = {
                "value": value,
                "source": f"reviewer override ({review_id})",
                "evidence": original.get("evidence", []),
            }
        elif billing.get(name):
            fields[name] = {
                "value": billing[name]["value"],
                "source": "extraction",
                "confidence": billing[name].get("confidence"),
                "evidence": billing[name]["evidence"],
            }
        else:
            fields[name] = None

    rate_card = [
        {**item["value"], "evidence": item["evidence"], "confidence": item.get("confidence")}
        for item in billing.get("rates") or []
    ]
    milestones = [
        {**item["value"], "evidence": item["evidence"], "confidence": item.get("confidence")}
        for item in billing.get("milestones") or []
    ]
    missing = [name for name in REQUIRED_FOR_BILLING if fields.get(name) is None]
    if not (rate_card or milestones or fields.get("total_fee")):
        missing.append("rates, milestones or total_fee")
    return {
        "project_code": project.project_code,
        "client": {"id": project.client_id, "name": project.client_name},
        "document_sha256": (extraction.get("document") or {}).get("sha256"),
        **fields,
        "rate_card": rate_card,
        "milestones": milestones,
        "complete": not missing,
        "missing": missing,
    }


def staffing_requests(setup: Mapping[str, Any], project: ProjectInfo) -> list[dict[str, Any]]:
    """One staffing request per rate-card role, shaped by the role's profile."""
    start = (setup.get("start_date") or {}).get("value")
    end = (setup.get("end_date") or {}).get("value")
    currency = (setup.get("currency") or {}).get("value") or "USD"
    requests = []
    for index, rate in enumerate(setup.get("rate_card") or [], start=1):
        profile = dict(project.role_profiles.get(rate["role"], {}))
        if not profile.get("skills") or not start or not end:
            continue
        hourly = rate["rate"] if rate.get("unit", "hour") == "hour" else rate["rate"] / 8
        requests.append(
            {
                "request_id": f"{project.project_code}-R{index}",
                "project_id": project.project_code,
                "client_id": project.client_id,
                "role": rate["role"],
                "start_date": start,
                "end_date": end,
                "hours_per_week": profile.get("hours_per_week", project.default_hours_per_week),
                "skills": profile["skills"],
                "bill_rate": hourly,
                "currency": rate.get("currency") or currency,
                "min_margin": profile.get("min_margin", 0.35),
                "location": profile.get("location"),
                "clearance": profile.get("clearance"),
            }
        )
    return requests


def deal_to_delivery_process(
    engine: HandoffClient, *, sow: bytes, filename: str, project: ProjectInfo
) -> ProcessDefinition:
    """The process definition, its actions calling the API as the ``engine`` key."""

    def extract_sow(data: dict[str, Any]) -> None:
        response = engine.submit_extraction(
            content=sow, filename=filename, idempotency_key=f"{data['run_id']}:extract"
        )
        data["extraction_id"] = response["id"]
        data["extraction"] = response["result"]
        data["contract_review_ids"] = list(response.get("reviews", []))

    def build_setup(data: dict[str, Any]) -> None:
        data["project_setup"] = build_project_setup(
            data["extraction"], data.get("contract_decisions", {}), project
        )

    def request_staffing(data: dict[str, Any]) -> None:
        requests = staffing_requests(data["project_setup"], project)
        data["staffing_requests"] = requests
        data["recommendations"] = {}
        data["staffing_review_ids"] = []
        for request in requests:
            recommendation = engine.recommend_staff(
                request, idempotency_key=f"{data['run_id']}:staff:{request['request_id']}"
            )
            data["recommendations"][request["request_id"]] = recommendation
            data["staffing_review_ids"].extend(recommendation.get("reviews", []))

    def confirm_staffing(data: dict[str, Any]) -> None:
        requests = data["staffing_requests"]
        team = (
            engine.assign_team(requests, idempotency_key=f"{data['run_id']}:team")
            if requests
            else {"assignments": [], "unfilled": [], "total_score": 0.0, "flags": []}
        )
        data["team"] = team
        data["staffing_confirmed"] = not team.get("unfilled")

    return ProcessDefinition.packaged(
        "deal_to_delivery",
        actions={
            "extract_sow": extract_sow,
            "build_project_setup": build_setup,
            "request_staffing": request_staffing,
            "confirm_staffing": confirm_staffing,
        },
        waiters={
            "await_contract_review": await_review_decisions(
                engine, ids_key="contract_review_ids", decisions_key="contract_decisions"
            ),
            "await_delivery_approval": await_review_decisions(
                engine, ids_key="staffing_review_ids", decisions_key="staffing_decisions"
            ),
        },
    )
