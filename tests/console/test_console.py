"""The console's flows over HTTP: sign-in, scoping, deciding, CSRF and conflicts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from service.console.sessions import SESSION_COOKIE
from service.db.models import ConsoleSessionRow, ReviewEventRow, ReviewItemRow, utcnow
from tests.console.conftest import RENEWAL_QUOTE, ConsoleWorld, csrf_of, signed_in_client


def test_console_redirects_to_sign_in_without_a_session(console_world: ConsoleWorld) -> None:
    client = TestClient(console_world.app)
    for path in ("/", "/queue", f"/items/{console_world.clause_review}", "/insights"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/sign-in"


def test_sign_in_sets_a_strict_http_only_cookie(console_world: ConsoleWorld) -> None:
    client = TestClient(console_world.app)
    form = client.get("/sign-in")
    response = client.post(
        "/sign-in",
        data={"api_key": console_world.keys["legal"], "csrf_token": csrf_of(form.text)},
        follow_redirects=False,
    )
    cookie = response.headers["set-cookie"]
    assert (
        SESSION_COOKIE in cookie
        and "HttpOnly" in cookie
        and "SameSite=strict" in cookie.replace("Strict", "strict")
    )
    assert "Secure" not in cookie  # plain HTTP here; Secure is set when served over TLS


@pytest.mark.parametrize("key", ["hk_not_a_key", ""])
def test_sign_in_refuses_a_bad_key(console_world: ConsoleWorld, key: str) -> None:
    client = TestClient(console_world.app)
    form = client.get("/sign-in")
    response = client.post("/sign-in", data={"api_key": key, "csrf_token": csrf_of(form.text)})
    assert response.status_code == 401
    assert "not valid" in response.text
    assert SESSION_COOKIE not in client.cookies


def test_sign_in_refuses_an_engine_key(console_world: ConsoleWorld) -> None:
    client = TestClient(console_world.app)
    form = client.get("/sign-in")
    response = client.post(
        "/sign-in", data={"api_key": console_world.keys["engine"], "csrf_token": csrf_of(form.text)}
    )
    assert response.status_code == 401 and "Engine keys are for the API" in response.text


def test_sign_in_without_its_form_token_is_refused(console_world: ConsoleWorld) -> None:
    client = TestClient(console_world.app)
    response = client.post("/sign-in", data={"api_key": console_world.keys["legal"], "csrf_token": "forged"})
    assert response.status_code == 403


def test_legal_sees_only_legal_items(console_world: ConsoleWorld) -> None:
    client = signed_in_client(console_world, "legal")
    queue = client.get("/queue").text
    assert console_world.clause_review in queue
    assert console_world.payment_review not in queue and console_world.entry_review not in queue
    assert client.get(f"/items/{console_world.payment_review}").status_code == 404


def test_queue_filters_and_counts(console_world: ConsoleWorld) -> None:
    client = signed_in_client(console_world, "finance")
    page = client.get("/queue").text
    assert "clause (1)" in page and "time_entry (1)" in page
    filtered = client.get("/queue", params={"kind": "time_entry"}).text
    assert console_world.entry_review in filtered and console_world.payment_review not in filtered
    oldest = client.get("/queue", params={"order": "oldest"}).text
    assert oldest.index(console_world.payment_review) < oldest.index(console_world.entry_review)
    assert console_world.entry_review not in client.get("/queue", params={"age": "1d"}).text


def test_clause_page_highlights_the_evidence(console_world: ConsoleWorld) -> None:
    client = signed_in_client(console_world, "legal")
    page = client.get(f"/items/{console_world.clause_review}").text
    assert f'<mark class="evidence">{RENEWAL_QUOTE}</mark>' in page
    assert "Billing terms in this SOW" in page and "payment terms days" in page
    download = client.get(f"/items/{console_world.clause_review}/document")
    assert download.status_code == 200 and download.content.startswith(b"4. Fees and Payment")


def test_approve_records_the_decision_and_leaves_the_queue(console_world: ConsoleWorld) -> None:
    client = signed_in_client(console_world, "legal")
    page = client.get(f"/items/{console_world.clause_review}").text
    response = client.post(
        f"/items/{console_world.clause_review}/decision",
        data={"csrf_token": csrf_of(page), "outcome": "approved", "reason": "standard for this client"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    decided = client.get(response.headers["location"]).text
    assert (
        "Decision recorded" in decided
        and 'data-action="decided"' in decided
        and "A decision is final" in decided
    )
    assert console_world.clause_review not in client.get("/queue").text
    with console_world.app.state.session_factory() as db:
        assert db.get(ReviewItemRow, console_world.clause_review).status == "approved"


def test_reject_without_a_reason_is_refused(console_world: ConsoleWorld) -> None:
    client = signed_in_client(console_world, "legal")
    page = client.get(f"/items/{console_world.clause_review}").text
    response = client.post(
        f"/items/{console_world.clause_review}/decision",
        data={"csrf_token": csrf_of(page), "outcome": "rejected", "reason": "  "},
    )
    assert response.status_code == 422 and "A reason is required" in response.text
    with console_world.app.state.session_factory() as db:
        assert db.get(ReviewItemRow, console_world.clause_review).status == "pending"


def test_finance_overrides_a_payment_term_with_a_validated_value(console_world: ConsoleWorld) -> None:
    client = signed_in_client(console_world, "finance")
    page = client.get(f"/items/{console_world.payment_review}").text
    assert 'value="payment_terms_days" selected' in page
    for value, message in (
        ("thirty", "enter a number"),
        ("30.5", "whole number of days"),
        ("-1", "not negative"),
    ):
        bad = client.post(
            f"/items/{console_world.payment_review}/decision",
            data={
                "csrf_token": csrf_of(page),
                "outcome": "overridden",
                "reason": "agreed 30",
                "field": "payment_terms_days",
                "value": value,
            },
        )
        assert bad.status_code == 422 and message in bad.text
    good = client.post(
        f"/items/{console_world.payment_review}/decision",
        data={
            "csrf_token": csrf_of(page),
            "outcome": "overridden",
            "reason": "client agreed net 30 by email",
            "field": "payment_terms_days",
            "value": "30",
        },
        follow_redirects=False,
    )
    assert good.status_code == 303
    with console_world.app.state.session_factory() as db:
        row = db.get(ReviewItemRow, console_world.payment_review)
        assert row.status == "overridden" and row.decision["corrections"] == {"payment_terms_days": 30}


def test_post_without_csrf_token_is_refused_and_changes_nothing(console_world: ConsoleWorld) -> None:
    client = signed_in_client(console_world, "legal")
    response = client.post(
        f"/items/{console_world.clause_review}/decision", data={"outcome": "approved", "reason": "x"}
    )
    assert response.status_code == 403
    with console_world.app.state.session_factory() as db:
        assert db.get(ReviewItemRow, console_world.clause_review).status == "pending"
        assert db.query(ReviewEventRow).filter_by(review_id=console_world.clause_review).count() == 1


def test_second_reviewer_sees_a_clear_message_not_an_error_page(console_world: ConsoleWorld) -> None:
    first = signed_in_client(console_world, "legal")
    second = signed_in_client(console_world, "legal")
    page_first = first.get(f"/items/{console_world.clause_review}").text
    page_second = second.get(f"/items/{console_world.clause_review}").text
    first.post(
        f"/items/{console_world.clause_review}/decision",
        data={"csrf_token": csrf_of(page_first), "outcome": "approved", "reason": "fine"},
    )
    late = second.post(
        f"/items/{console_world.clause_review}/decision",
        data={"csrf_token": csrf_of(page_second), "outcome": "rejected", "reason": "no"},
    )
    assert late.status_code == 409
    assert "Someone decided this item first" in late.text and "<form" in late.text


def test_time_entry_page_shows_reasons_and_a_chart(console_world: ConsoleWorld) -> None:
    client = signed_in_client(console_world, "finance")
    page = client.get(f"/items/{console_world.entry_review}").text
    assert "14.0 h is 1.9x this person&#39;s usual day" in page
    assert "<svg" in page and 'class="bar marked"' in page


def test_sign_out_ends_the_session(console_world: ConsoleWorld) -> None:
    client = signed_in_client(console_world, "legal")
    page = client.get("/queue").text
    client.post("/sign-out", data={"csrf_token": csrf_of(page)})
    assert client.get("/queue", follow_redirects=False).status_code == 303


def test_expired_session_needs_a_new_sign_in(console_world: ConsoleWorld) -> None:
    client = signed_in_client(console_world, "legal")
    with console_world.app.state.session_factory() as db:
        for row in db.query(ConsoleSessionRow):
            row.expires_at = utcnow() - timedelta(seconds=1)
        db.commit()
    assert client.get("/queue", follow_redirects=False).headers["location"] == "/sign-in"


def test_insights_page_draws_charts(console_world: ConsoleWorld) -> None:
    client = signed_in_client(console_world, "analyst")
    page = client.get("/insights")
    assert page.status_code == 200 and "Pending items per route" in page.text and "<svg" in page.text
    assert client.get("/queue").status_code == 403
