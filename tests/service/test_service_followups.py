"""Round-two service follow-ups: review items written column-wise, webhook delivery re-checking
internal addresses, a chunked empty multipart body."""

from __future__ import annotations

import copy
import datetime as dt
import gc
import socket
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

import service.api.anomaly as anomaly_api
from anomaly import AnomalyScore, ControlHit, ScoringResult, read_context, score_invoices, score_time_entries
from anomaly.schemas import _LazyScores
from service.auth import Principal
from service.db.models import ReviewItemRow, WebhookDeliveryRow, WebhookRow
from service.problems import ProblemError
from service.settings import Settings
from service.webhooks.signing import verify
from service.webhooks.urls import (
    InternalAddressError,
    UnresolvedHostError,
    check_webhook_url,
    pin_public_address,
)
from tests.anomaly.conftest import context_dict, entry, invoice_rows
from tests.service.test_anomaly_api import models, served
from tests.service.test_stranger_input import UPLOAD_ENDPOINTS, assert_problem, auth, keys, row_counts
from tests.service.test_webhooks_dispatcher import (
    FakeClock,
    Subscriber,
    add_webhook,
    attempt_count,
    deliveries,
    emit,
    make_dispatcher,
)

__all__ = ["keys", "models", "served"]  # fixtures, imported so pytest finds them here

SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@pytest.fixture
def anomaly_keys(make_api_key: Any) -> dict[str, str]:
    return {"engine": make_api_key("engine")}


# --- an empty multipart body of unknown length ----------------------------------------------------


def _no_bytes() -> Iterator[bytes]:
    # A generator body is sent chunked, without Content-Length, as a streaming client sends it.
    yield from ()


@pytest.mark.parametrize("boundary", ["; boundary=x7Qp", ""], ids=["with-boundary", "no-boundary"])
@pytest.mark.parametrize("path", UPLOAD_ENDPOINTS)
def test_a_chunked_empty_multipart_body_is_the_empty_body_422(
    client: TestClient,
    keys: dict[str, str],
    session_factory: sessionmaker[Session],
    path: str,
    boundary: str,
) -> None:
    before = row_counts(session_factory)
    headers = auth(keys["engine"], **{"Content-Type": f"multipart/form-data{boundary}"})
    response = client.post(path, content=_no_bytes(), headers=headers)
    assert "content-length" not in {k.lower() for k in response.request.headers}
    problem = assert_problem(response, 422, "validation-error")
    assert problem["errors"] == [{"loc": ["body"], "msg": "Field required", "type": "missing"}]
    assert row_counts(session_factory) == before


# --- anomaly review items, written from the column-wise documents ----------------------------------


def _reviews_as_pydantic_wrote_them(result: ScoringResult, kind: str) -> list[dict[str, Any]]:
    """What each flagged item's review held when the route dumped every ``AnomalyScore``."""
    expected = []
    for item in result.flagged:
        if item.controls:
            title = item.controls[0].message
        elif item.reasons:
            title = item.reasons[0].message
        else:
            title = f"unusual (risk {item.risk:.2f})"
        expected.append(
            {
                "kind": kind,
                "route": item.route or "finance",
                "severity": item.severity if item.severity != "none" else "low",
                "title": title[:500],
                "rule": item.controls[0].rule if item.controls else "anomaly.model",
                "finding": item.model_dump(mode="json"),
                "subject": {"type": kind, "id": item.id},
                "model_version": f"{'time-entries' if kind == 'time_entry' else 'invoices'}/3",
            }
        )
    return expected


def _time_entry_batch() -> list[dict[str, Any]]:
    day = dt.date(2026, 5, 4)
    return [
        entry(1, "E-1", day),
        entry(2, "E-1", day + dt.timedelta(days=1), bill_rate=190.0),  # off the rate card
        entry(3, "E-2", day + dt.timedelta(days=5)),  # a Saturday
        entry(4, "E-1", day + dt.timedelta(days=2), hours=19.5, description="x"),
        entry(5, "E-2", day + dt.timedelta(days=3), currency="EUR", bill_rate=95.0),
        entry(6, "E-1", day + dt.timedelta(days=3), project_id="P-9", hours=0.25),
    ]


def _invoice_batch() -> dict[str, Any]:
    invoices, lines = invoice_rows(months=9)
    batch = copy.deepcopy([i for i in invoices if i["invoice_id"].startswith("I-8-")])
    ids = {i["invoice_id"] for i in batch}
    batch[1]["total"] += 250.0  # no longer subtotal + tax
    batch[0]["due_date"] = batch[0]["issue_date"]
    return {"items": batch, "lines": [x for x in lines if x["invoice_id"] in ids]}


@pytest.mark.parametrize("kind", ["time_entry", "invoice"])
def test_anomaly_review_items_are_those_the_pydantic_dump_opened(
    served: TestClient,
    anomaly_keys: dict[str, str],
    models: dict[str, Any],
    settings: Settings,
    kind: str,
) -> None:
    if kind == "time_entry":
        context = context_dict()
        context["projects"][0]["not_to_exceed"] = 5_000_000  # no burn reviews, entry reviews only
        body: dict[str, Any] = {"items": _time_entry_batch(), "context": context}
        path = "/v1/anomaly/time-entries/score"
        result = score_time_entries(
            body["items"],
            model=models["time-entries"],
            context=read_context(context),
            review_budget=settings.review_budget,
            model_version="3",
        )
    else:
        body = _invoice_batch()
        path = "/v1/anomaly/invoices/score"
        result = score_invoices(
            body["items"],
            body["lines"],
            model=models["invoices"],
            review_budget=settings.review_budget,
            model_version="3",
        )
    expected = _reviews_as_pydantic_wrote_them(result, kind)
    assert len(expected) >= 2, "the batch must flag more than one item to compare"

    response = served.post(path, json=body, headers={"Authorization": f"Bearer {anomaly_keys['engine']}"})
    assert response.status_code == 200, response.text
    opened = [
        served.get(f"/v1/reviews/{review_id}", headers={"Authorization": f"Bearer {anomaly_keys['engine']}"})
        for review_id in response.json()["reviews"]
    ]
    assert all(r.status_code == 200 for r in opened)
    stored = [{field: r.json()[field] for field in expected[0]} for r in opened if r.json()["kind"] == kind]
    assert stored == expected


@SQLITE_ONLY
def test_reviews_of_a_plain_list_of_scores_hold_their_dumps(session_factory: sessionmaker[Session]) -> None:
    # A result holding AnomalyScore objects (not the column-wise scores) is dumped item by item.
    scores = [
        AnomalyScore(
            id=f"TE-{i}",
            risk=risk,
            flagged=risk > 0.5,
            severity="high" if risk > 0.5 else "none",
            route="finance" if risk > 0.5 else None,
            score=-0.6,
            model_version="3",
            controls=[ControlHit(rule="weekend_work", message="worked on a Saturday")] if i else [],
        )
        for i, risk in enumerate([0.9, 0.1, 0.7])
    ]
    with session_factory() as db:
        answer = anomaly_api._answer_with_reviews(
            db,
            ScoringResult(scores, []),
            kind="time_entry",
            model_name="time-entries",
            model_version="3",
            principal=Principal(key_id="key_test", name="test", role="engine"),
        )
        rows = [db.get(ReviewItemRow, review_id) for review_id in answer["reviews"]]
    findings = [row.finding for row in rows if row is not None]
    assert answer["results"] == [s.model_dump(mode="json") for s in scores]
    assert findings == [scores[0].model_dump(mode="json"), scores[2].model_dump(mode="json")]


def test_the_flagged_items_documents_are_written_once_for_the_answer_and_the_reviews(
    served: TestClient, anomaly_keys: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    written: list[int] = []
    documents = _LazyScores.documents

    def counted(self: _LazyScores, indices: Any = None) -> list[dict[str, Any]]:
        out = documents(self, indices)
        written.append(len(out))
        return out

    monkeypatch.setattr(_LazyScores, "documents", counted)
    context = context_dict()
    context["projects"][0]["not_to_exceed"] = 5_000_000  # entry reviews only
    headers = {"Authorization": f"Bearer {anomaly_keys['engine']}"}
    body = {"items": _time_entry_batch(), "context": context}
    response = served.post("/v1/anomaly/time-entries/score", json=body, headers=headers)
    assert response.status_code == 200, response.text
    answer = response.json()
    flagged = [item for item in answer["results"] if item["flagged"]]
    assert len(flagged) >= 2 and len(answer["reviews"]) == len(flagged)
    assert written == [len(answer["results"])]  # one pass over the items, none again for the reviews
    stored = [
        served.get(f"/v1/reviews/{rid}", headers=headers).json()["finding"] for rid in answer["reviews"]
    ]
    assert stored == flagged


# --- webhook delivery when internal addresses are refused (DNS rebinding) -------------------------


def _public_only(tmp_path: Path, **overrides: Any) -> Settings:
    return Settings(
        home=tmp_path,
        webhook_allow_private=False,
        webhook_max_attempts=3,
        webhook_backoff_base_seconds=2.0,
        webhook_backoff_max_seconds=30.0,
        webhook_timeout_seconds=2.0,
        **overrides,
    )


class ScriptedResolver:
    """Answers each name with the addresses it is given now, and counts the look-ups."""

    def __init__(self, answers: dict[str, list[str]]) -> None:
        self.answers = answers
        self.asked: list[str] = []

    def __call__(self, name: str) -> list[str]:
        self.asked.append(name)
        if name not in self.answers:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return list(self.answers[name])


def _hook_at(factory: sessionmaker[Session], url: str) -> WebhookRow:
    hook = add_webhook(factory)
    with factory() as db:
        row = db.get(WebhookRow, hook.id)
        assert row is not None
        row.url = url
        db.commit()
    return hook


def _one_delivery(factory: sessionmaker[Session]) -> WebhookDeliveryRow:
    (row,) = deliveries(factory)
    return row


@pytest.mark.parametrize(
    "rebound",
    [
        ["10.0.0.7"],
        ["127.0.0.1"],
        ["169.254.169.254"],
        ["::1"],
        ["::ffff:10.0.0.7"],
        ["93.184.215.14", "10.0.0.7"],
    ],
    ids=["private", "loopback", "metadata", "ipv6-loopback", "ipv4-mapped", "public-and-private"],
)
def test_a_name_rebound_to_an_internal_address_is_not_delivered_and_the_attempt_says_why(
    session_factory: sessionmaker[Session], tmp_path: Path, rebound: list[str]
) -> None:
    # Registered while engine.example resolved to a public address; it resolves elsewhere now.
    check_webhook_url(
        "https://engine.example/h",
        allow_private=False,
        resolve=ScriptedResolver({"engine.example": ["93.184.215.14"]}),
    )
    _hook_at(session_factory, "https://engine.example/h")
    emit(session_factory, "review.created", "rev_1")
    subscriber, clock = Subscriber(), FakeClock()
    outcomes: list[str] = []
    resolver = ScriptedResolver({"engine.example": rebound})
    dispatcher = make_dispatcher(
        _public_only(tmp_path),
        session_factory,
        subscriber,
        clock,
        resolve=resolver,
        record_outcome=outcomes.append,
    )

    assert dispatcher.run_once() == 1

    assert subscriber.received == []
    assert resolver.asked == ["engine.example"]
    row = _one_delivery(session_factory)
    assert (row.status, row.attempts, row.last_status_code) == ("pending", 1, None)
    assert row.last_error is not None
    assert "engine.example" in row.last_error and "internal address" in row.last_error
    assert "HANDOFF_WEBHOOK_ALLOW_PRIVATE" in row.last_error
    assert attempt_count(session_factory) == 1
    assert outcomes == ["retry"]


def test_a_refused_delivery_is_retried_and_sent_once_the_name_is_public_again(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    hook = _hook_at(session_factory, "https://engine.example:8443/h?tenant=7")
    event_id = emit(session_factory, "review.created", "rev_1")
    subscriber, clock = Subscriber(), FakeClock()
    resolver = ScriptedResolver({"engine.example": ["10.0.0.7"]})
    dispatcher = make_dispatcher(_public_only(tmp_path), session_factory, subscriber, clock, resolve=resolver)
    assert dispatcher.run_once() == 1
    assert subscriber.received == []

    resolver.answers["engine.example"] = ["2606:4700::6810:85e5", "93.184.215.14"]
    clock.advance(60)
    assert dispatcher.run_once() == 1

    # Sent to the address just checked, so the name cannot resolve elsewhere before the connect;
    # the subscriber still sees its own name (Host) and TLS verifies its certificate for it.
    (request,) = subscriber.received
    assert str(request.url) == "https://[2606:4700::6810:85e5]:8443/h?tenant=7"
    assert request.headers["host"] == "engine.example:8443"
    assert request.extensions["sni_hostname"] == "engine.example"
    assert verify(request.headers, request.content, secret=hook.secret, now=clock().timestamp()) == event_id
    row = _one_delivery(session_factory)
    assert (row.status, row.attempts, row.last_status_code) == ("delivered", 2, 204)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://10.1.2.3/h", "10.1.2.3 is an internal address"),
        ("http://localhost:9000/h", "'localhost' is this machine"),
        ("http://gone.example/h", "'gone.example' does not resolve"),
    ],
    ids=["stored-internal-literal", "local-name", "unresolvable"],
)
def test_a_stored_url_the_setting_now_refuses_is_not_delivered(
    session_factory: sessionmaker[Session], tmp_path: Path, url: str, reason: str
) -> None:
    # Rows registered while internal addresses were allowed, or a name since withdrawn.
    _hook_at(session_factory, url)
    emit(session_factory, "review.created", "rev_1")
    subscriber = Subscriber()
    dispatcher = make_dispatcher(
        _public_only(tmp_path), session_factory, subscriber, FakeClock(), resolve=ScriptedResolver({})
    )
    assert dispatcher.run_once() == 1
    assert subscriber.received == []
    row = _one_delivery(session_factory)
    assert row.status == "pending" and row.last_status_code is None
    assert row.last_error is not None and reason in row.last_error


def test_a_public_literal_address_is_sent_as_it_is(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    _hook_at(session_factory, "http://93.184.215.14/h")
    emit(session_factory, "review.created", "rev_1")
    subscriber, resolver = Subscriber(), ScriptedResolver({})
    dispatcher = make_dispatcher(
        _public_only(tmp_path), session_factory, subscriber, FakeClock(), resolve=resolver
    )
    assert dispatcher.run_once() == 1
    (request,) = subscriber.received
    assert str(request.url) == "http://93.184.215.14/h" and "sni_hostname" not in request.extensions
    assert resolver.asked == []
    assert _one_delivery(session_factory).status == "delivered"


def test_internal_addresses_allowed_means_no_lookup_before_delivery(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    # The default: the engine on the firm's own network is delivered to by its URL, unchanged.
    hook = add_webhook(session_factory)
    emit(session_factory, "review.created", "rev_1")
    subscriber, resolver = Subscriber(), ScriptedResolver({})
    settings = _public_only(tmp_path).model_copy(update={"webhook_allow_private": True})
    dispatcher = make_dispatcher(settings, session_factory, subscriber, FakeClock(), resolve=resolver)
    assert dispatcher.run_once() == 1
    (request,) = subscriber.received
    assert str(request.url) == hook.url and resolver.asked == []
    assert _one_delivery(session_factory).status == "delivered"


def test_registration_refuses_a_name_that_resolves_to_an_internal_address() -> None:
    resolver = ScriptedResolver({"engine.example": ["93.184.215.14", "192.168.1.20"]})
    with pytest.raises(ProblemError) as refused:
        check_webhook_url("https://engine.example/h", allow_private=False, resolve=resolver)
    assert (refused.value.status, refused.value.slug) == (422, "webhook-url-internal")
    assert "192.168.1.20" in refused.value.detail


@pytest.mark.parametrize(
    ("url", "answers", "internal"),
    [
        ("http://localhost:8080/h", {}, "localhost"),
        ("http://api.localhost/h", {}, "api.localhost"),
        ("http://10.0.0.7/h", {}, "10.0.0.7"),
        ("http://[::ffff:127.0.0.1]/h", {}, "::ffff:7f00:1"),  # IPv4-mapped loopback
        ("http://169.254.169.254/latest", {}, "169.254.169.254"),
        ("https://engine.example/h", {"engine.example": ["93.184.215.14", "10.1.2.3"]}, "10.1.2.3"),
        ("https://engine.example/h", {"engine.example": ["93.184.215.14"]}, None),
        ("http://93.184.215.14/h", {}, None),
        ("https://not-yet.example/h", {}, None),  # unresolvable: registered, not delivered
        ("https://empty.example/h", {"empty.example": []}, None),
    ],
)
def test_registration_refuses_what_delivery_would_refuse_as_internal(
    url: str, answers: dict[str, list[str]], internal: str | None
) -> None:
    # One check for both: a URL is judged alike when registered and when delivered to.
    resolver = ScriptedResolver(answers)
    try:
        check_webhook_url(url, allow_private=False, resolve=resolver)
    except ProblemError as exc:
        assert (exc.slug, internal) == ("webhook-url-internal", internal) and internal is not None
        assert f"({internal})" in exc.detail
    else:
        assert internal is None
    try:
        pin_public_address(url, resolve=resolver)
    except InternalAddressError as exc:
        assert exc.address == internal
    except UnresolvedHostError:
        assert internal is None and not answers.get(urlsplit(url).hostname or "")
    else:
        assert internal is None


# --- handoff score: the loaded heap frozen out of the collector -----------------------------------


def test_loading_the_champion_for_handoff_score_freezes_what_is_loaded(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import training.lifecycle
    from service.cli.anomaly import load_anomaly_champion

    model = object()
    monkeypatch.setattr(
        training.lifecycle, "load_champion", lambda *a, **k: SimpleNamespace(model=model, version=4)
    )
    gc.unfreeze()  # the app fixtures' lifespans froze this process's heap already
    try:
        assert gc.get_freeze_count() == 0
        assert load_anomaly_champion("time-entries", Settings(home=tmp_path)) == (model, "4")
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
