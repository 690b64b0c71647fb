"""The console in a real headless Chromium, against a live server: what a reviewer actually does.

Screenshots of each page land in ``test-artifacts/console/``.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any, ClassVar

import httpx
import pytest
import uvicorn

from tests.console.conftest import RENEWAL_QUOTE, ConsoleWorld

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "console"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _require_chromium() -> str:
    if CHROMIUM:
        return CHROMIUM
    if os.environ.get("CI") == "true":
        pytest.fail("Chromium is not installed; .ci/run installs Debian's chromium package")
    pytest.skip("Chromium is not installed (apt-get install chromium); CI runs these tests")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _Receiver(BaseHTTPRequestHandler):
    received: ClassVar[list[dict[str, Any]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("content-length", 0)))
        type(self).received.append({"headers": dict(self.headers), "body": json.loads(body)})
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def live_console(console_world: ConsoleWorld) -> Iterator[tuple[str, ConsoleWorld, list[dict[str, Any]]]]:
    _Receiver.received = []
    receiver = HTTPServer(("127.0.0.1", 0), _Receiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(console_world.app, host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/healthz").status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.1)
    hook = httpx.post(
        base + "/v1/webhooks",
        headers={"Authorization": f"Bearer {console_world.keys['engine']}"},
        json={"url": f"http://127.0.0.1:{receiver.server_port}/hook", "events": ["review.decided"]},
    )
    assert hook.status_code == 201, hook.text
    try:
        yield base, console_world, _Receiver.received
    finally:
        server.should_exit = True
        thread.join(10)
        receiver.shutdown()


@pytest.fixture
def browser_page() -> Iterator[Any]:
    executable = _require_chromium()
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            headless=True,
            args=CHROMIUM_FLAGS,  # Playwright gives each launch a fresh, empty profile
        )
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        try:
            yield page
        finally:
            browser.close()


def _sign_in(page: Any, base: str, key: str) -> None:
    page.goto(base + "/")
    page.fill("#api_key", key)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/queue")


def test_legal_reviewer_approves_a_clause_in_the_browser(live_console, browser_page) -> None:
    base, world, received = live_console
    page = browser_page
    page.goto(base + "/")
    page.screenshot(path=str(ARTIFACTS / "sign-in.png"))
    _sign_in(page, base, world.keys["legal"])
    page.screenshot(path=str(ARTIFACTS / "queue-legal.png"), full_page=True)
    rows = page.locator("tr[data-review-id]")
    ids = {rows.nth(i).get_attribute("data-review-id") for i in range(rows.count())}
    assert world.clause_review in ids and world.payment_review not in ids and world.entry_review not in ids

    page.click(f"a[href='/items/{world.clause_review}']")
    mark = page.locator("mark.evidence")
    assert mark.first.inner_text() == RENEWAL_QUOTE
    assert mark.first.is_visible()
    page.screenshot(path=str(ARTIFACTS / "clause-item.png"), full_page=True)

    page.fill("#reason", "Standard renewal for this client; notice period agreed")
    page.click("button[value=approved]")
    page.wait_for_selector("text=Decision recorded")
    assert page.locator("li[data-action=decided]").count() == 1
    page.screenshot(path=str(ARTIFACTS / "clause-decided.png"), full_page=True)

    page.goto(base + "/queue")
    assert page.locator(f"tr[data-review-id='{world.clause_review}']").count() == 0

    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not any(
        r["body"]["data"]["id"] == world.clause_review for r in received
    ):
        time.sleep(0.2)
    decided = [r for r in received if r["body"]["data"]["id"] == world.clause_review]
    assert decided and decided[0]["body"]["type"] == "review.decided"
    assert decided[0]["headers"].get("webhook-signature", "").startswith("v1,")


def test_reject_without_reason_is_refused_in_the_browser(live_console, browser_page) -> None:
    base, world, _ = live_console
    page = browser_page
    _sign_in(page, base, world.keys["legal"])
    page.click(f"a[href='/items/{world.clause_review}']")
    page.click("button[value=rejected]")
    assert page.locator(".notice.error").inner_text().startswith("A reason is required")
    assert page.locator("[data-status]").first.inner_text() == "pending"
    page.screenshot(path=str(ARTIFACTS / "reject-refused.png"), full_page=True)


def test_finance_overrides_a_payment_term_in_the_browser(live_console, browser_page) -> None:
    base, world, _ = live_console
    page = browser_page
    _sign_in(page, base, world.keys["finance"])
    page.goto(base + f"/items/{world.payment_review}")
    assert page.locator("#field").input_value() == "payment_terms_days"
    page.fill("#reason", "Client agreed net 30 in the signed amendment")
    page.fill("#value", "30")
    page.click("button[value=overridden]")
    page.wait_for_selector("text=Decision recorded")
    assert "payment_terms_days" in page.locator("aside").inner_text()
    page.screenshot(path=str(ARTIFACTS / "payment-overridden.png"), full_page=True)

    page.goto(base + f"/items/{world.entry_review}")
    page.screenshot(path=str(ARTIFACTS / "time-entry-item.png"), full_page=True)
    page.goto(base + "/insights")
    page.screenshot(path=str(ARTIFACTS / "insights.png"), full_page=True)


def test_a_post_without_the_csrf_token_is_refused(live_console, browser_page) -> None:
    base, world, _ = live_console
    page = browser_page
    _sign_in(page, base, world.keys["legal"])
    # The session cookie goes along, the form token does not: a forged cross-site form.
    response = page.request.post(
        base + f"/items/{world.clause_review}/decision", form={"outcome": "approved", "reason": "forged"}
    )
    assert response.status == 403
    page.goto(base + f"/items/{world.clause_review}")
    assert page.locator("[data-status]").first.inner_text() == "pending"
