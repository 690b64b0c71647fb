"""Both reference processes run on SpiffWorkflow, wait on people, and resume after a restart."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from service.workflows import (
    ForbiddenScriptError,
    InvoiceHeader,
    ProcessDefinition,
    ProcessRun,
    ProjectInfo,
    build_invoice,
    build_project_setup,
    deal_to_delivery_process,
    time_to_bill_process,
)
from service.workflows.time_to_bill import billable_entries


def grounded(value: Any, quote: str = "quote") -> dict[str, Any]:
    return {
        "value": value,
        "confidence": 0.9,
        "evidence": [{"page": 1, "start": 0, "end": len(quote), "quote": quote}],
    }


EXTRACTION = {
    "document": {"sha256": "abc", "filename": "sow.pdf", "pages": 3, "media_type": "application/pdf"},
    "billing": {
        "billing_model": grounded("time_and_materials"),
        "currency": grounded("USD"),
        "payment_terms_days": grounded(60, "payable within sixty (60) days"),
        "invoice_frequency": grounded("monthly"),
        "start_date": grounded("2027-01-04"),
        "end_date": grounded("2027-06-25"),
        "not_to_exceed": grounded(250000),
        "rates": [grounded({"role": "Salesforce Developer", "rate": 210, "unit": "hour", "currency": "USD"})],
        "milestones": [],
    },
    "clauses": [],
}
PROJECT = ProjectInfo(
    project_code="NW-001",
    client_id="C-1",
    client_name="Northwind",
    role_profiles={
        "Salesforce Developer": {
            "skills": [{"name": "Salesforce", "min_level": 3, "required": True}],
            "hours_per_week": 30,
        }
    },
)


def test_deal_to_delivery_waits_for_reviews_and_resumes_after_restart(fake_api, tmp_path: Path) -> None:
    fake_api.extraction_result = EXTRACTION
    fake_api.extraction_findings = ["payment_terms.long", "late_payment.absent"]
    state = tmp_path / "d2d.json"

    def definition() -> ProcessDefinition:
        return deal_to_delivery_process(fake_api, sow=b"%PDF", filename="sow.pdf", project=PROJECT)

    run = ProcessRun.start(definition(), state_path=state, data={"run_id": "run-1"})
    run.step()
    assert run.waiting_on() == ["await_contract_review"]
    first, second = run.data["contract_review_ids"]

    # The engine restarts: a new runner picks the process up from its state file.
    fake_api.decide(
        first, "overridden", reason="agreed net 30 by email", corrections={"payment_terms_days": 30}
    )
    resumed = ProcessRun.resume(definition(), state_path=state)
    assert resumed.waiting_on() == ["await_contract_review"]
    resumed.step()
    assert resumed.waiting_on() == ["await_contract_review"]  # the second item is still pending
    fake_api.decide(second, "approved")
    resumed.step()

    assert resumed.completed
    setup = resumed.data["project_setup"]
    assert setup["payment_terms_days"]["value"] == 30
    assert setup["payment_terms_days"]["source"] == f"reviewer override ({first})"
    assert setup["currency"]["evidence"][0]["quote"] == "quote"
    assert setup["complete"] is True
    assert resumed.data["staffing_confirmed"] is True
    assert [name for name, _ in fake_api.calls].count("extract") == 1
    steps = [h["step"] for h in resumed.history]
    assert steps.index("extract_sow") < steps.index("await_contract_review") < steps.index("confirm_staffing")


def test_deal_to_delivery_asks_the_delivery_lead_about_staffing_flags(fake_api, tmp_path: Path) -> None:
    fake_api.extraction_result = EXTRACTION
    fake_api.staffing_flags = 1
    run = ProcessRun.start(
        deal_to_delivery_process(fake_api, sow=b"x", filename="s.pdf", project=PROJECT),
        state_path=tmp_path / "s.json",
        data={"run_id": "run-2"},
    )
    run.step()
    assert run.waiting_on() == ["await_delivery_approval"]
    fake_api.decide(run.data["staffing_review_ids"][0], "approved", reason="margin accepted for this client")
    run.step()
    assert run.completed
    assert next(iter(run.data["staffing_decisions"].values()))["status"] == "approved"


def test_time_to_bill_removes_rejected_entries_from_the_invoice(fake_api, tmp_path: Path) -> None:
    entries = [
        {
            "entry_id": "TE-1",
            "person_id": "E-1",
            "project_id": "P-1",
            "work_date": "2027-01-04",
            "hours": 8,
            "billable": True,
            "role": "Developer",
            "bill_rate": 200,
        },
        {
            "entry_id": "TE-2",
            "person_id": "E-1",
            "project_id": "P-1",
            "work_date": "2027-01-05",
            "hours": 14,
            "billable": True,
            "role": "Developer",
            "bill_rate": 200,
        },
        {
            "entry_id": "TE-3",
            "person_id": "E-2",
            "project_id": "P-1",
            "work_date": "2027-01-06",
            "hours": 6,
            "billable": True,
            "role": "Analyst",
            "bill_rate": 150,
        },
    ]
    fake_api.flag_entries = ["TE-2", "TE-3"]
    header = InvoiceHeader(
        invoice_id="INV-1",
        invoice_number="2027-001",
        client_id="C-1",
        project_id="P-1",
        currency="USD",
        tax_rate=0.1,
    )
    run = ProcessRun.start(
        time_to_bill_process(fake_api, entries=entries, context=None, header=header),
        state_path=tmp_path / "t.json",
        data={"run_id": "run-3"},
    )
    run.step()
    assert run.waiting_on() == ["await_entry_review"]
    te2, te3 = run.data["entry_review_ids"]
    fake_api.decide(te2, "rejected", reason="14 h logged twice")
    fake_api.decide(te3, "overridden", reason="was 5 h", corrections={"hours": 5})
    run.step()

    assert run.completed
    invoice, lines = run.data["invoice"], run.data["invoice_lines"]
    assert {line["role"]: line["quantity"] for line in lines} == {"Analyst": 5, "Developer": 8}
    assert invoice["subtotal"] == 8 * 200 + 5 * 150
    assert invoice["total"] == pytest.approx(invoice["subtotal"] * 1.1)
    assert [e["entry_id"] for e in run.data["removed_entries"]] == ["TE-2"]
    assert run.data["invoice_status"] == "ready"


def test_billable_entries_skips_non_billable_time() -> None:
    entries = [{"entry_id": "A", "billable": False, "hours": 3, "bill_rate": 100, "work_date": "2027-01-04"}]
    assert billable_entries(entries, {}) == ([], [])


def test_build_invoice_groups_by_role_and_rate() -> None:
    header = InvoiceHeader(
        invoice_id="I",
        invoice_number="N",
        client_id="C",
        project_id="P",
        currency="EUR",
        payment_terms_days=45,
    )
    entries = [
        {"entry_id": str(i), "hours": 2.5, "bill_rate": 100, "role": "Dev", "work_date": f"2027-02-0{i}"}
        for i in range(1, 4)
    ]
    invoice, lines = build_invoice(entries, header)
    assert len(lines) == 1 and lines[0]["quantity"] == 7.5 and lines[0]["amount"] == 750
    assert (invoice["issue_date"], invoice["due_date"]) == ("2027-02-04", "2027-03-21")


def test_project_setup_lists_what_is_missing_for_billing() -> None:
    extraction = {"billing": {"currency": grounded("GBP")}}
    setup = build_project_setup(extraction, {}, PROJECT)
    assert setup["complete"] is False
    assert "payment_terms_days" in setup["missing"] and "rates, milestones or total_fee" in setup["missing"]


def test_a_process_file_with_an_arbitrary_script_is_refused(tmp_path: Path) -> None:
    source = (
        Path(deal_to_delivery_process.__code__.co_filename).parent / "processes" / "deal_to_delivery.bpmn"
    )
    hostile = tmp_path / "deal_to_delivery.bpmn"
    hostile.write_text(source.read_text().replace("extract_sow()", "__import__('os').system('touch pwned')"))
    definition = ProcessDefinition(
        "deal_to_delivery", hostile, actions={"extract_sow": lambda d: None}, waiters={}
    )
    with pytest.raises(ForbiddenScriptError):
        ProcessRun.start(definition, state_path=tmp_path / "x.json", data={})
    assert not (tmp_path / "pwned").exists()
