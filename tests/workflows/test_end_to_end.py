"""Both processes end to end against a live `handoff serve`, decisions made through the API.

One server per module: a fresh home, so the first start trains and promotes
the default models exactly as a new user's `make run` does.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from service.client import HandoffClient
from service.settings import Settings
from service.workflows import ProcessRun, deal_to_delivery_process, time_to_bill_process
from service.workflows.demo import (
    REVIEWER_ROLES,
    _free_port,
    create_demo_keys,
    start_service,
    wait_until_ready,
)
from service.workflows.samples import (
    sample_people,
    sample_project,
    sample_sow_pdf,
    sample_time_context,
    sample_time_entries,
)
from service.workflows.scripted_reviewer import decide_pending
from service.workflows.time_to_bill import InvoiceHeader

pytestmark = pytest.mark.slow


@dataclass
class LiveService:
    base_url: str
    settings: Settings
    keys: dict[str, str]

    def engine(self, **kwargs: Any) -> HandoffClient:
        return HandoffClient(self.base_url, self.keys["engine"], **kwargs)

    def reviewers(self) -> dict[str, HandoffClient]:
        return {role: HandoffClient(self.base_url, self.keys[role]) for role in REVIEWER_ROLES}


@pytest.fixture(scope="module")
def live_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveService]:
    home = tmp_path_factory.mktemp("e2e-home")
    settings = Settings(home=home)
    keys = create_demo_keys(settings)
    port = _free_port()
    os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
    process = start_service(settings, port=port, log_path=home / "serve.log")
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_ready(base_url, process, timeout_seconds=600, say=lambda _: None)
        service = LiveService(base_url=base_url, settings=settings, keys=keys)
        service.engine().upsert_people(sample_people())
        yield service
    finally:
        process.terminate()
        process.wait(20)


def _run_to_completion(run: ProcessRun, reviewers: dict[str, HandoffClient], *, max_rounds: int = 10) -> None:
    for _ in range(max_rounds):
        run.step()
        if run.completed:
            return
        decide_pending(reviewers)
    raise AssertionError(f"process still waiting on {run.waiting_on()}")


def test_deal_to_delivery_end_to_end(live_service: LiveService, tmp_path: Path) -> None:
    engine = live_service.engine()
    run = ProcessRun.start(
        deal_to_delivery_process(
            engine, sow=sample_sow_pdf(), filename="northwind.pdf", project=sample_project()
        ),
        state_path=tmp_path / "deal.json",
        data={"run_id": "e2e-deal"},
    )
    run.step()
    assert run.waiting_on() == ["await_contract_review"]
    review_ids = run.data["contract_review_ids"]
    assert review_ids, "the sample SOW has nonstandard clauses"
    assert all(engine.get_review(r)["status"] == "pending" for r in review_ids)

    _run_to_completion(run, live_service.reviewers())

    setup = run.data["project_setup"]
    assert setup["currency"]["value"] == "USD"
    assert setup["payment_terms_days"] == {**setup["payment_terms_days"], "value": 45}
    assert setup["payment_terms_days"]["source"].startswith("reviewer override")
    assert {r["role"] for r in setup["rate_card"]} >= {"Salesforce Developer", "Business Analyst"}
    assert all(r["evidence"] for r in setup["rate_card"])
    assigned = {a["request_id"] for a in run.data["team"]["assignments"]}
    assert assigned, "the sample people can staff the project"
    assert all(engine.get_review(r)["status"] != "pending" for r in review_ids)


def test_time_to_bill_end_to_end(live_service: LiveService, tmp_path: Path) -> None:
    entries = sample_time_entries()
    header = InvoiceHeader(
        invoice_id="INV-E2E",
        invoice_number="NW-E2E-1",
        client_id="C-NW",
        project_id="NW-CRM-2027",
        currency="USD",
        payment_terms_days=45,
    )
    run = ProcessRun.start(
        time_to_bill_process(
            live_service.engine(), entries=entries, context=sample_time_context(), header=header
        ),
        state_path=tmp_path / "bill.json",
        data={"run_id": "e2e-bill"},
    )
    _run_to_completion(run, live_service.reviewers())

    results = {r["id"]: r for r in run.data["entry_results"]}
    assert set(results) == {e["entry_id"] for e in entries}
    flagged = {entry_id for entry_id, r in results.items() if r["flagged"]}
    assert flagged, "the sample week has planted anomalies"
    billed_hours = sum(line["quantity"] for line in run.data["invoice_lines"])
    removed = {e["entry_id"] for e in run.data["removed_entries"]}
    assert removed <= flagged
    assert billed_hours == pytest.approx(sum(e["hours"] for e in entries if e["entry_id"] not in removed))
    assert run.data["invoice"]["total"] == pytest.approx(
        sum(line["amount"] for line in run.data["invoice_lines"])
    )
    assert run.data["invoice_status"] in {"ready", "held"}


def test_restart_during_a_waiting_user_task_resumes(live_service: LiveService, tmp_path: Path) -> None:
    state = tmp_path / "deal.json"

    def definition() -> Any:
        return deal_to_delivery_process(
            live_service.engine(), sow=sample_sow_pdf(), filename="northwind.pdf", project=sample_project()
        )

    first = ProcessRun.start(definition(), state_path=state, data={"run_id": "e2e-restart"})
    first.step()
    assert first.waiting_on() == ["await_contract_review"]
    del first  # the engine process goes away while people decide

    decide_pending(live_service.reviewers())
    resumed = ProcessRun.resume(definition(), state_path=state)
    assert resumed.waiting_on() == ["await_contract_review"]
    _run_to_completion(resumed, live_service.reviewers())
    assert resumed.completed
    assert resumed.data["project_setup"]["payment_terms_days"]["value"] == 45  # the decision made while away
    assert [h["step"] for h in resumed.history].count("extract_sow") == 1


class _LoseFirstResponse(httpx.HTTPTransport):
    """Delivers the first extraction request, then drops its answer: committed, but never heard."""

    def __init__(self) -> None:
        super().__init__()
        self.dropped = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        if request.method == "POST" and request.url.path == "/v1/sow/extractions" and not self.dropped:
            response.read()
            self.dropped += 1
            raise httpx.ReadError("connection lost before the response arrived", request=request)
        return response


def test_a_failed_call_is_retried_with_the_same_key_and_creates_nothing_twice(
    live_service: LiveService, tmp_path: Path
) -> None:
    transport = _LoseFirstResponse()
    engine = live_service.engine(transport=transport, sleep=lambda _: None)
    before = _count_extractions(live_service.settings)
    run = ProcessRun.start(
        deal_to_delivery_process(
            engine, sow=sample_sow_pdf(), filename="retry.pdf", project=sample_project()
        ),
        state_path=tmp_path / "deal.json",
        data={"run_id": "e2e-retry"},
    )
    run.step()

    assert transport.dropped == 1
    assert _count_extractions(live_service.settings) == before + 1
    extraction_id = run.data["extraction_id"]
    opened = live_service.engine().iter_reviews(subject_id=extraction_id)
    assert sorted(r["id"] for r in opened) == sorted(run.data["contract_review_ids"])


def _count_extractions(settings: Settings) -> int:
    with sqlite3.connect(settings.home / "handoff.db") as db:
        return int(db.execute("select count(*) from extractions").fetchone()[0])


def test_handoff_demo_runs_both_processes_and_prints_the_scorecard(live_service: LiveService) -> None:
    import json
    import subprocess
    import sys

    # Same home as the live service, so its champions are reused instead of trained again.
    env = {**os.environ, "HANDOFF_HOME": str(live_service.settings.home)}
    done = subprocess.run(
        [sys.executable, "-m", "service.cli", "demo", "--auto-approve", "--format", "json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    summary = json.loads(done.stdout)
    assert summary["erp_payload"]["complete"] is True
    assert summary["extraction"]["billing"]["currency"] == "USD"
    assert {d["outcome"] for d in summary["decisions"]} >= {"approved", "overridden"}
    assert summary["invoice"]["status"] in {"ready", "held"}
    card = summary["scorecard"]
    assert card["projects_with_complete_financial_setup"] == 1.0
    # The scripted reviewer also clears items other tests left in this shared home's queues.
    assert 0 < card["manual_touches_per_project"] <= len(summary["decisions"])
    assert card["handoffs"][0]["step"] == "await_contract_review"
