# ruff: noqa: E501
"""POST/GET /v1/sow/extractions: shape, storage, review items, idempotency, bad uploads, access."""

from __future__ import annotations

import io
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from service.db.models import DocumentRow, ExtractionRow, ReviewItemRow
from service.model_serving import LoadedModel

PROBLEM = "https://handoff.dev/problems/"
SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

SOW_TEXT = """STATEMENT OF WORK No. 4

1. Fees and Payment

1.1 The Services are provided for a fixed fee of $50,000.00.
1.2 Invoices are payable net 30.
1.3 This Statement of Work renews automatically for successive twelve-month terms unless either party gives notice.

2. Term

2.1 The Services commence on March 2, 2026 and end on June 30, 2026.
"""


@pytest.fixture(scope="module")
def clause_model() -> Any:
    from extraction.clauses import ClauseClassifier
    from training.clauses import generated_examples
    from training.sow_generator import generate_sows

    texts, labels = generated_examples(generate_sows(6, seed=1, split="train"))
    return ClauseClassifier(char_ngram_range=None, calibration=None).fit(texts, labels)


@pytest.fixture
def api(client: TestClient, clause_model: Any) -> TestClient:
    client.app.state.serving_models.loaded["clauses"] = LoadedModel(  # type: ignore[attr-defined]
        "clauses", "handoff-clauses", "7", clause_model
    )
    return client


def auth(key: str, **extra: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}", **extra}


def _counts(session_factory: sessionmaker[Session]) -> tuple[int, int, int]:
    with session_factory() as db:
        return (
            db.scalar(select(func.count()).select_from(DocumentRow)) or 0,
            db.scalar(select(func.count()).select_from(ExtractionRow)) or 0,
            db.scalar(select(func.count()).select_from(ReviewItemRow)) or 0,
        )


def _pdf(text: str) -> bytes:
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=letter)
    y = 740
    for line in text.splitlines():
        page.drawString(72, y, line)
        y -= 14
    page.save()
    return buffer.getvalue()


def test_post_text_returns_201_stores_and_opens_routed_reviews(
    api: TestClient, make_api_key: Any, session_factory: sessionmaker[Session]
) -> None:
    engine = make_api_key("engine")
    response = api.post("/v1/sow/extractions", json={"text": SOW_TEXT}, headers=auth(engine))
    assert response.status_code == 201, response.text
    body = response.json()
    assert set(body) == {"id", "result", "reviews"} and body["id"].startswith("ext_")
    result = body["result"]
    assert result["billing"]["total_fee"]["value"] == 50000.0
    assert result["billing"]["payment_terms_days"]["value"] == 30
    assert result["model"]["versions"]["clauses"] == "7"
    nonstandard = [c for c in result["clauses"] if c["nonstandard"]]
    assert nonstandard, "late_payment.absent at least must fire: payment terms without a late fee"
    assert len(body["reviews"]) == len(nonstandard)
    with session_factory() as db:
        assert db.get(DocumentRow, result["document"]["sha256"]) is not None
        stored = db.get(ExtractionRow, body["id"])
        assert stored is not None and stored.result == result
        items = list(db.scalars(select(ReviewItemRow).where(ReviewItemRow.subject_id == body["id"])))
    assert sorted(i.id for i in items) == sorted(body["reviews"])
    by_rule = {i.rule: i for i in items}
    for finding in nonstandard:
        item = by_rule[finding["rule"]]
        assert (item.route, item.severity) == (finding["route"], finding["severity"])
        assert item.subject_type == "sow_extraction"
        assert item.model_version == "clauses/7"
        assert item.finding["evidence"] == finding["evidence"]
    assert by_rule["late_payment.absent"].route == "finance"


@pytest.mark.parametrize("amount", ["65.000"])
def test_post_with_the_billing_fill_champion_fills_and_reports_its_version(
    api: TestClient, make_api_key: Any, billing_fill: Any, amount: str
) -> None:
    from tests.conftest import TAUGHT_FEE_TEXT

    engine = make_api_key("engine")
    text = TAUGHT_FEE_TEXT.format(amount=amount)
    without = api.post("/v1/sow/extractions", json={"text": text}, headers=auth(engine))
    assert without.status_code == 201, without.text
    assert without.json()["result"]["billing"]["total_fee"] is None
    assert "billing-fill" not in without.json()["result"]["model"]["versions"]
    api.app.state.serving_models.loaded["billing-fill"] = LoadedModel(  # type: ignore[attr-defined]
        "billing-fill", "handoff-billing-fill", "2", billing_fill
    )
    response = api.post("/v1/sow/extractions", json={"text": text}, headers=auth(engine))
    assert response.status_code == 201, response.text
    result = response.json()["result"]
    assert result["model"]["versions"]["billing-fill"] == "2"
    assert result["model"]["versions"]["clauses"] == "7"
    fee = result["billing"]["total_fee"]
    assert fee["value"] == 65000.0 and fee["evidence"][0]["quote"] == f"Honorar gesamt: EUR {amount}"


@SQLITE_ONLY
def test_post_multipart_pdf_and_get_it_back(api: TestClient, make_api_key: Any) -> None:
    engine = make_api_key("engine")
    files = {"file": ("sow.pdf", _pdf(SOW_TEXT), "application/pdf")}
    created = api.post("/v1/sow/extractions", files=files, headers=auth(engine))
    assert created.status_code == 201, created.text
    assert created.json()["result"]["document"]["media_type"] == "application/pdf"
    got = api.get(f"/v1/sow/extractions/{created.json()['id']}", headers=auth(engine))
    assert got.status_code == 200
    assert got.json() == created.json()


@SQLITE_ONLY
def test_idempotent_replay_creates_nothing_new(
    api: TestClient, make_api_key: Any, session_factory: sessionmaker[Session]
) -> None:
    engine = make_api_key("engine")
    headers = auth(engine, **{"Idempotency-Key": "sow-1"})
    first = api.post("/v1/sow/extractions", json={"text": SOW_TEXT}, headers=headers)
    counts = _counts(session_factory)
    again = api.post("/v1/sow/extractions", json={"text": SOW_TEXT}, headers=headers)
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert _counts(session_factory) == counts
    other = api.post("/v1/sow/extractions", json={"text": SOW_TEXT + "\nMore."}, headers=headers)
    assert other.status_code == 422 and other.json()["type"] == PROBLEM + "idempotency-key-reused"


def _encrypted_pdf() -> bytes:
    import pypdf

    writer = pypdf.PdfWriter()
    writer.append(pypdf.PdfReader(io.BytesIO(_pdf("secret"))))
    writer.encrypt(user_password="pw", owner_password="owner", algorithm="AES-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@SQLITE_ONLY
@pytest.mark.parametrize(
    ("make", "name", "status", "slug"),
    [
        (lambda: b"plain text, not a pdf", "sow.pdf", 415, "mislabelled-media"),
        (lambda: b"\x89PNG\r\n\x1a\n0000", "scan.png", 415, "unsupported-media"),
        (_encrypted_pdf, "locked.pdf", 422, "encrypted-document"),
        (lambda: _pdf(SOW_TEXT)[:-300], "cut.pdf", 422, "truncated-document"),
        (lambda: b"not a zip at all", "sow.docx", 422, "corrupt-document"),
        (lambda: b"caf\x81\x8d bytes", "sow.txt", 422, "text-encoding"),
        (lambda: b"   ", "blank.txt", 422, "empty-document"),
    ],
)
def test_bad_upload_gets_its_problem_type_and_stores_nothing(
    api: TestClient, make_api_key: Any, session_factory: sessionmaker[Session], make, name, status, slug
) -> None:  # type: ignore[no-untyped-def]
    engine = make_api_key("engine")
    response = api.post(
        "/v1/sow/extractions",
        files={"file": (name, make(), "application/octet-stream")},
        headers=auth(engine),
    )
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["type"] == PROBLEM + slug
    assert _counts(session_factory) == (0, 0, 0)


@SQLITE_ONLY
def test_too_large_upload_is_413(api: TestClient, make_api_key: Any, settings: Any) -> None:
    engine = make_api_key("engine")
    api.app.state.settings = settings.model_copy(update={"max_body_bytes": 1000})  # type: ignore[attr-defined]
    response = api.post("/v1/sow/extractions", json={"text": "x " * 2000}, headers=auth(engine))
    assert response.status_code == 413
    assert response.json()["type"].startswith(PROBLEM)


@SQLITE_ONLY
def test_llm_backend_without_a_server_is_503(api: TestClient, make_api_key: Any) -> None:
    engine = make_api_key("engine")
    response = api.post("/v1/sow/extractions?backend=llm", json={"text": SOW_TEXT}, headers=auth(engine))
    assert response.status_code == 503 and response.json()["type"] == PROBLEM + "backend-unavailable"


@SQLITE_ONLY
def test_read_access_by_submitter_admin_and_routed_reviewer(api: TestClient, make_api_key: Any) -> None:
    engine, other_engine = make_api_key("engine"), make_api_key("engine")
    created = api.post("/v1/sow/extractions", json={"text": SOW_TEXT}, headers=auth(engine)).json()
    path = f"/v1/sow/extractions/{created['id']}"
    routes = {c["route"] for c in created["result"]["clauses"] if c["nonstandard"]}
    assert api.get(path, headers=auth(other_engine)).status_code == 404
    assert api.get(path, headers=auth(make_api_key("admin"))).status_code == 200
    for role in ("legal", "finance", "delivery"):
        expected = 200 if role in routes else 404
        assert api.get(path, headers=auth(make_api_key(role))).status_code == expected, role
    assert api.get(path, headers=auth(make_api_key("analyst"))).status_code == 403
    assert (
        api.post(
            "/v1/sow/extractions", json={"text": SOW_TEXT}, headers=auth(make_api_key("legal"))
        ).status_code
        == 403
    )


@SQLITE_ONLY
def test_missing_body_is_a_validation_problem(api: TestClient, make_api_key: Any) -> None:
    engine = make_api_key("engine")
    assert api.post("/v1/sow/extractions", json={"nottext": 1}, headers=auth(engine)).status_code == 422
    response = api.post(
        "/v1/sow/extractions", content=b"raw", headers=auth(engine, **{"Content-Type": "application/pdf"})
    )
    assert response.status_code == 415


@SQLITE_ONLY
def test_same_document_twice_is_stored_once_with_two_extractions(
    api: TestClient, make_api_key: Any, session_factory: sessionmaker[Session]
) -> None:
    engine = make_api_key("engine")
    first = api.post("/v1/sow/extractions", json={"text": SOW_TEXT}, headers=auth(engine)).json()
    second = api.post("/v1/sow/extractions", json={"text": SOW_TEXT}, headers=auth(engine)).json()
    assert first["id"] != second["id"]
    documents, extractions, _ = _counts(session_factory)
    assert (documents, extractions) == (1, 2)
    missing = api.get("/v1/sow/extractions/ext_00000000000000000000000000", headers=auth(engine))
    assert missing.status_code == 404 and missing.json()["type"] == PROBLEM + "extraction-not-found"


@SQLITE_ONLY
def test_an_invalid_firm_playbook_is_a_503_problem_and_stores_nothing(
    api: TestClient, make_api_key: Any, session_factory: sessionmaker[Session], tmp_path: Any
) -> None:
    broken = tmp_path / "playbook.json"
    broken.write_text('{"rules": "not a list"')
    api.app.state.settings.playbook_path = broken  # type: ignore[attr-defined]
    before = _counts(session_factory)
    response = api.post("/v1/sow/extractions", json={"text": SOW_TEXT}, headers=auth(make_api_key("engine")))
    assert response.status_code == 503
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["type"] == PROBLEM + "invalid-playbook"
    assert _counts(session_factory) == before
