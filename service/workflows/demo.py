"""`handoff demo`: the whole flow on the embedded defaults, deal to delivery and time to bill.

Starts `handoff serve` on a free local port, creates the keys a firm would
hand out, runs both BPMN processes on the sample firm, and stops at each
human step: for a person to decide in the console, or, with auto-approve, for
the scripted reviewer. Ends with what happened and how long each handoff took.
"""

from __future__ import annotations

import itertools
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from service.auth import create_api_key
from service.client import HandoffClient
from service.db.migrate import upgrade_database
from service.db.session import make_engine, make_session_factory
from service.settings import Settings
from service.workflows.deal_to_delivery import deal_to_delivery_process
from service.workflows.runner import ProcessDefinition, ProcessRun
from service.workflows.samples import (
    sample_people,
    sample_project,
    sample_sow_pdf,
    sample_time_context,
    sample_time_entries,
)
from service.workflows.scripted_reviewer import decide_pending
from service.workflows.time_to_bill import InvoiceHeader, time_to_bill_process

REVIEWER_ROLES = ("legal", "finance", "delivery")
Say = Callable[[str], None]


@dataclass
class DemoResult:
    base_url: str
    deal: dict[str, Any]
    bill: dict[str, Any]
    decisions: list[dict[str, Any]] = field(default_factory=list)
    deal_history: list[dict[str, Any]] = field(default_factory=list)
    bill_history: list[dict[str, Any]] = field(default_factory=list)

    def scorecard(self) -> dict[str, Any]:
        """The process-intelligence figures of this run."""
        setup = self.deal.get("project_setup") or {}
        touches = sum(len(self.deal.get(k, {})) for k in ("contract_decisions", "staffing_decisions"))
        touches += sum(len(self.bill.get(k, {})) for k in ("entry_decisions", "invoice_decisions"))
        return {
            "signature_to_project_ready_seconds": _elapsed(self.deal_history, "started", None),
            "handoffs": _handoffs(self.deal_history) + _handoffs(self.bill_history),
            "projects_with_complete_financial_setup": 1.0 if setup.get("complete") else 0.0,
            "manual_touches_per_project": touches,
            "week_to_invoice_ready_seconds": _elapsed(self.bill_history, "started", None),
        }


def _at(history: list[dict[str, Any]], step: str | None) -> datetime | None:
    entries = [h for h in history if step is None or h["step"] == step]
    return datetime.fromisoformat(entries[-1]["at"]) if entries else None


def _elapsed(history: list[dict[str, Any]], start: str, end: str | None) -> float | None:
    began, ended = _at(history, start), _at(history, end)
    return round((ended - began).total_seconds(), 2) if began and ended else None


def _handoffs(history: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each human step and how long the process waited on it."""
    rows = []
    for before, step in itertools.pairwise(history):
        if step["step"].startswith("await_"):
            waited = datetime.fromisoformat(step["at"]) - datetime.fromisoformat(before["at"])
            rows.append({"step": step["step"], "waited_seconds": round(waited.total_seconds(), 2)})
    return rows


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def create_demo_keys(settings: Settings) -> dict[str, str]:
    """An engine key and one personal key per reviewer route, in the demo's home."""
    upgrade_database(settings.resolved_database_url)
    engine = make_engine(settings.resolved_database_url)
    try:
        with make_session_factory(engine)() as db:
            keys = {
                role: create_api_key(db, role=role, name=f"demo {role}").key
                for role in ("engine", *REVIEWER_ROLES)
            }
            db.commit()
    finally:
        engine.dispose()
    return keys


def start_service(settings: Settings, *, port: int, log_path: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "HANDOFF_HOME": str(settings.home.resolve()), "MLFLOW_DISABLE_TELEMETRY": "true"}
    log = log_path.open("ab")
    return subprocess.Popen(
        [sys.executable, "-m", "service.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def wait_until_ready(
    base_url: str, process: subprocess.Popen[bytes], *, timeout_seconds: float, say: Say
) -> None:
    import httpx

    deadline = time.monotonic() + timeout_seconds
    said = False
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"handoff serve exited with {process.returncode}; see the serve log")
        try:
            if httpx.get(base_url + "/readyz", timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if not said:
            say("Waiting for the service (a fresh home trains its default models first)…")
            said = True
        time.sleep(1.0)
    raise TimeoutError(f"the service at {base_url} was not ready in {timeout_seconds:.0f} s")


def _drive(
    run: ProcessRun,
    *,
    reviewers: dict[str, HandoffClient],
    auto_approve: bool,
    base_url: str,
    decisions: list[dict[str, Any]],
    say: Say,
    timeout_seconds: float,
) -> None:
    deadline = time.monotonic() + timeout_seconds
    announced: list[str] = []
    while not run.completed:
        run.step()
        if run.completed:
            return
        waiting = run.waiting_on()
        if auto_approve:
            decisions.extend(decide_pending(reviewers))
            continue
        if waiting != announced:
            say(
                f"Waiting on people: {', '.join(waiting)}. Decide in the console at {base_url}/ "
                "(sign in with the reviewer keys above)."
            )
            announced = waiting
        if time.monotonic() > deadline:
            raise TimeoutError(f"nobody decided within {timeout_seconds:.0f} s; the process state is kept")
        time.sleep(2.0)


def run_demo(
    settings: Settings,
    *,
    auto_approve: bool,
    say: Say,
    port: int | None = None,
    ready_timeout_seconds: float = 900,
    decision_timeout_seconds: float = 3600,
) -> DemoResult:
    home = settings.ensure_home()
    keys = create_demo_keys(settings)
    port = port or _free_port()
    base_url = f"http://127.0.0.1:{port}"
    process = start_service(settings, port=port, log_path=home / "demo-serve.log")
    try:
        wait_until_ready(base_url, process, timeout_seconds=ready_timeout_seconds, say=say)
        say(f"Handoff is serving at {base_url} (console at {base_url}/).")
        if not auto_approve:
            for role in REVIEWER_ROLES:
                say(f"  {role} reviewer key: {keys[role]}")
        engine = HandoffClient(base_url, keys["engine"])
        reviewers = {role: HandoffClient(base_url, keys[role]) for role in REVIEWER_ROLES}
        engine.upsert_people(sample_people())
        run_id = uuid.uuid4().hex[:12]
        state_dir = home / "workflows" / run_id
        decisions: list[dict[str, Any]] = []

        say("Deal to delivery: the signed SOW arrives.")

        def run(definition: ProcessDefinition, name: str) -> ProcessRun:
            process = ProcessRun.start(
                definition, state_path=state_dir / f"{name}.json", data={"run_id": f"{run_id}-{name}"}
            )
            _drive(
                process,
                reviewers=reviewers,
                auto_approve=auto_approve,
                base_url=base_url,
                decisions=decisions,
                say=say,
                timeout_seconds=decision_timeout_seconds,
            )
            return process

        deal = run(
            deal_to_delivery_process(
                engine, sow=sample_sow_pdf(), filename="northwind-sow-7.pdf", project=sample_project()
            ),
            "deal_to_delivery",
        )

        say("Time to bill: the first week of time is closed.")
        project = sample_project()
        setup = deal.data.get("project_setup") or {}
        terms = (setup.get("payment_terms_days") or {}).get("value") or 30
        header = InvoiceHeader(
            invoice_id=f"INV-{run_id[:6]}",
            invoice_number=f"NW-{run_id[:6].upper()}",
            client_id=project.client_id,
            project_id=project.project_code,
            currency="USD",
            payment_terms_days=int(terms),
        )
        bill = run(
            time_to_bill_process(
                engine, entries=sample_time_entries(), context=sample_time_context(), header=header
            ),
            "time_to_bill",
        )
        return DemoResult(
            base_url=base_url,
            deal=deal.data,
            bill=bill.data,
            decisions=decisions,
            deal_history=deal.history,
            bill_history=bill.history,
        )
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
