"""A real ``handoff serve`` killed with SIGKILL in the middle of a burst of writes, then restarted.

What must hold afterwards: every request that got a 2xx is in the store; nothing
is half-written (each item has its ``created`` audit event and its outbox
event, exactly once); retrying the requests whose answer was lost, with their
Idempotency-Keys, creates nothing twice; and the outbox delivers every
``review.created`` event to the subscriber after the restart.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from service.webhooks.signing import verify

pytestmark = pytest.mark.slow

REVIEW = {
    "kind": "manual",
    "route": "finance",
    "severity": "medium",
    "title": "Check invoice INV-7",
    "finding": {"note": "client disputes line 3"},
    "subject": {"type": "invoice", "id": "INV-7"},
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _handoff() -> list[str]:
    script = Path(sys.executable).with_name("handoff")
    return [str(script)] if script.exists() else [sys.executable, "-m", "service.cli"]


class Subscriber:
    """A loopback webhook receiver that keeps every delivery's headers and body."""

    def __init__(self) -> None:
        self.deliveries: list[tuple[dict[str, str], bytes]] = []
        self.lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                with outer.lock:
                    outer.deliveries.append((dict(self.headers), body))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def created_ids(self) -> set[str]:
        with self.lock:
            bodies = [json.loads(body) for _, body in self.deliveries]
        return {b["data"]["id"] for b in bodies if b["type"] == "review.created"}

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@dataclass
class Server:
    env: dict[str, str]
    process: subprocess.Popen[bytes] | None = None
    port: int = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.port = _free_port()
        log = open(Path(self.env["HANDOFF_HOME"]) / f"serve-{self.port}.log", "wb")  # noqa: SIM115
        self.process = subprocess.Popen(
            [*_handoff(), "serve", "--host", "127.0.0.1", "--port", str(self.port)],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so SIGKILL reaches any worker it forks
        )
        log.close()
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"handoff serve exited: {self.log_tail()}"
            try:
                # healthz: readyz stays 503 without models (HANDOFF_BOOTSTRAP_MODELS=false).
                if httpx.get(self.base + "/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"handoff serve never became ready: {self.log_tail()}")

    def log_tail(self) -> str:
        return (Path(self.env["HANDOFF_HOME"]) / f"serve-{self.port}.log").read_text(errors="replace")[-2000:]

    def kill(self) -> None:
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)


@pytest.fixture
def crash_env(tmp_path: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("HANDOFF_")}
    env.update(
        HANDOFF_HOME=str(tmp_path / "home"),
        HANDOFF_BOOTSTRAP_MODELS="false",
        HANDOFF_LOG_LEVEL="WARNING",
        MLFLOW_DISABLE_TELEMETRY="true",
        # Fast retries and a short lease, so deliveries held by the killed process come back quickly.
        HANDOFF_WEBHOOK_POLL_SECONDS="0.1",
        HANDOFF_WEBHOOK_TIMEOUT_SECONDS="1",
        HANDOFF_WEBHOOK_BACKOFF_BASE_SECONDS="0.2",
        HANDOFF_WEBHOOK_BACKOFF_MAX_SECONDS="1",
    )
    return env


@pytest.fixture
def subscriber() -> Iterator[Subscriber]:
    receiver = Subscriber()
    yield receiver
    receiver.close()


def _cli(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([*_handoff(), *args], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_kill_9_mid_burst_loses_nothing_and_the_outbox_still_delivers(
    crash_env: dict[str, str], subscriber: Subscriber
) -> None:
    key = json.loads(
        _cli(crash_env, "keys", "create", "--role", "engine", "--name", "crash", "--format", "json")
    )["key"]
    auth = {"Authorization": f"Bearer {key}"}
    server = Server(crash_env)
    server.start()
    try:
        hook = httpx.post(
            server.base + "/v1/webhooks",
            json={"url": subscriber.url, "events": ["review.created"]},
            headers=auth,
            timeout=10,
        )
        assert hook.status_code == 201, hook.text
        secret = hook.json()["secret"]

        # The burst: workers post until the server dies; each records (key, status, id) or a lost answer.
        answered: dict[str, str] = {}  # idempotency key -> review id, for every 2xx
        lost: list[str] = []
        lock = threading.Lock()
        dead = threading.Event()
        enough = threading.Event()

        def post_until_dead(worker: int) -> None:
            with httpx.Client(base_url=server.base, headers=auth, timeout=5) as client:
                while not dead.is_set():
                    idem = f"crash-{worker}-{uuid.uuid4().hex}"
                    try:
                        response = client.post("/v1/reviews", json=REVIEW, headers={"Idempotency-Key": idem})
                    except httpx.HTTPError:
                        # The server died with this request in flight: its outcome is unknown.
                        with lock:
                            lost.append(idem)
                        return
                    with lock:
                        if 200 <= response.status_code < 300:
                            answered[idem] = response.json()["id"]
                            if len(answered) >= 60:
                                enough.set()
                        else:
                            lost.append(idem)

        with ThreadPoolExecutor(max_workers=6) as pool:
            workers = [pool.submit(post_until_dead, n) for n in range(6)]
            assert enough.wait(60), f"the server answered too few requests: {server.log_tail()}"
            server.kill()
            time.sleep(0.3)  # let the in-flight requests fail
            dead.set()
            for worker in workers:
                worker.result()
        assert answered
        print(f"burst: {len(answered)} answered, {len(lost)} lost at the kill")

        server.start()
        base = server.base
        with httpx.Client(base_url=base, headers=auth, timeout=10) as client:
            # Every request that got a 2xx is there.
            for review_id in answered.values():
                assert client.get(f"/v1/reviews/{review_id}").status_code == 200
            # Retrying every request whose answer was lost: created now or replayed, never twice.
            for idem in lost:
                retry = client.post("/v1/reviews", json=REVIEW, headers={"Idempotency-Key": idem})
                assert retry.status_code == 201, retry.text
                answered[idem] = retry.json()["id"]
            # A second retry of every request is a replay of the same item.
            sample = list(answered.items())[:: max(1, len(answered) // 20)]
            for idem, review_id in sample:
                replay = client.post("/v1/reviews", json=REVIEW, headers={"Idempotency-Key": idem})
                assert replay.headers.get("Idempotent-Replayed") == "true"
                assert replay.json()["id"] == review_id

        expected = set(answered.values())
        assert len(expected) == len(answered)  # one item per key

        # Nothing half-written: every stored item has exactly one created event and one outbox event.
        database = Path(crash_env["HANDOFF_HOME"]) / "handoff.db"
        with sqlite3.connect(database) as db:
            stored = {row[0] for row in db.execute("SELECT id FROM review_items")}
            created_events = dict(
                db.execute(
                    "SELECT review_id, count(*) FROM review_events"
                    " WHERE action = 'created' GROUP BY review_id"
                ).fetchall()
            )
            outbox = dict(
                db.execute(
                    "SELECT json_extract(payload, '$.id'), count(*) FROM outbox_events"
                    " WHERE event_type = 'review.created' GROUP BY 1"
                ).fetchall()
            )
        assert stored == expected
        assert created_events == dict.fromkeys(expected, 1)
        assert outbox == dict.fromkeys(expected, 1)

        # The outbox still delivers after the restart, including what the killed process had claimed.
        deadline = time.monotonic() + 60
        while not expected <= subscriber.created_ids() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert subscriber.created_ids() == expected
        print(f"delivered {len(subscriber.deliveries)} for {len(expected)} items")
        with subscriber.lock:
            for headers, body in subscriber.deliveries:
                verify(headers, body, secret=secret)
    finally:
        server.stop()
