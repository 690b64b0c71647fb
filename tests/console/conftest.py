"""A migrated console app on a temporary SQLite home, with reviewers' keys and seeded items."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from service.app import create_app
from service.auth import create_api_key
from service.db.migrate import upgrade_database
from service.db.models import DocumentRow, ExtractionRow
from service.reviews.service import open_review
from service.settings import Settings

PAGE_TEXT = (
    "4. Fees and Payment\n"
    "Invoices are issued monthly in arrears. "
    "Client shall pay each invoice within sixty (60) days of receipt.\n"
    "5. Term\n"
    "This SOW renews automatically for successive twelve (12) month terms unless either party gives notice.\n"
)
RENEWAL_QUOTE = (
    "This SOW renews automatically for successive twelve (12) month terms unless either party gives notice."
)
PAYMENT_QUOTE = "Client shall pay each invoice within sixty (60) days of receipt."


@dataclass
class ConsoleWorld:
    settings: Settings
    app: Any
    keys: dict[str, str]
    clause_review: str
    payment_review: str
    entry_review: str


def evidence(quote: str) -> dict[str, Any]:
    start = PAGE_TEXT.index(quote)
    return {"page": 1, "start": start, "end": start + len(quote), "quote": quote}


def seed_items(db: Session, engine_key_id: str) -> tuple[str, str, str]:
    content = PAGE_TEXT.encode()
    sha = hashlib.sha256(content).hexdigest()
    db.add(
        DocumentRow(
            sha256=sha,
            filename="northwind-sow.txt",
            media_type="text/plain",
            size_bytes=len(content),
            content=content,
        )
    )
    result = {
        "document": {"sha256": sha, "filename": "northwind-sow.txt", "pages": 1, "media_type": "text/plain"},
        "billing": {
            "payment_terms_days": {"value": 60, "confidence": 0.93, "evidence": [evidence(PAYMENT_QUOTE)]},
            "invoice_frequency": {
                "value": "monthly",
                "confidence": 0.9,
                "evidence": [evidence("Invoices are issued monthly in arrears.")],
            },
        },
        "clauses": [],
        "pages": [{"number": 1, "text": PAGE_TEXT}],
    }
    db.add(
        ExtractionRow(
            id="ext_console_1",
            document_sha256=sha,
            submitted_by=engine_key_id,
            backend="local",
            result=result,
        )
    )
    db.flush()
    subject = {"type": "sow_extraction", "id": "ext_console_1"}

    def clause_review(
        route: str,
        severity: str,
        title: str,
        rule: str,
        clause_type: str,
        reason: str,
        confidence: float,
        quote: str,
    ) -> str:
        return open_review(
            db,
            kind="clause",
            route=route,
            severity=severity,
            title=title,
            rule=rule,
            subject=subject,
            model_version="clauses/1",
            actor=engine_key_id,
            finding={
                "type": clause_type,
                "reason": reason,
                "confidence": confidence,
                "evidence": [evidence(quote)],
            },
        ).id

    clause = clause_review(
        "legal",
        "medium",
        "Auto-renewal for 12-month terms",
        "auto_renewal.present",
        "auto_renewal",
        "Renews automatically for 12-month terms",
        0.88,
        RENEWAL_QUOTE,
    )
    payment = clause_review(
        "finance",
        "medium",
        "Payment due in 60 days",
        "payment_terms.long",
        "payment_terms",
        "Payment due 60 days after invoice; policy 45",
        0.9,
        PAYMENT_QUOTE,
    )
    clause_review(
        "legal",
        "low",
        "Non-solicitation for 24 months",
        "non_solicitation.long",
        "non_solicitation",
        "Non-solicit runs 24 months; policy maximum 12",
        0.8,
        RENEWAL_QUOTE,
    )
    entry = open_review(
        db,
        kind="time_entry",
        route="finance",
        severity="high",
        title="TE-1042: 14 h in one day",
        rule="hours_vs_person",
        subject={"type": "time_entry", "id": "TE-1042"},
        model_version="4",
        actor=engine_key_id,
        finding={
            "id": "TE-1042",
            "risk": 0.91,
            "reasons": [
                {
                    "code": "hours_vs_person",
                    "feature": "hours",
                    "value": 14.0,
                    "expected": 7.5,
                    "message": "14.0 h is 1.9x this person's usual day",
                }
            ],
            "controls": [],
        },
    )
    return clause, payment, entry.id


@pytest.fixture
def console_world(tmp_path: Path) -> Iterator[ConsoleWorld]:
    settings = Settings(home=tmp_path / "home", bootstrap_models=False, log_json=False)
    settings.ensure_home()
    upgrade_database(settings.resolved_database_url)
    app = create_app(settings)
    with TestClient(app):
        with app.state.session_factory() as db:
            keys = {
                role: create_api_key(db, role=role, name=f"{role} reviewer")
                for role in ("engine", "legal", "finance", "delivery", "admin", "analyst")
            }
            ids = seed_items(db, keys["engine"].id)
            db.commit()
        yield ConsoleWorld(
            settings=settings,
            app=app,
            keys={r: k.key for r, k in keys.items()},
            clause_review=ids[0],
            payment_review=ids[1],
            entry_review=ids[2],
        )


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "page has no CSRF token"
    return match.group(1)


def signed_in_client(world: ConsoleWorld, role: str) -> TestClient:
    client = TestClient(world.app)
    form = client.get("/sign-in")
    response = client.post(
        "/sign-in",
        data={"api_key": world.keys[role], "csrf_token": csrf_of(form.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return client
