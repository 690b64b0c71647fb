"""Service load: requests/s and p50/p99 latency of the review API over loopback.

Starts ``handoff serve`` as a subprocess with a temporary ``HANDOFF_HOME`` (and,
when PostgreSQL is reachable, a fresh database it creates and drops), with one
and with several uvicorn workers, and drives it from an async httpx client:

- ``GET /healthz`` on the same server is the baseline: the framework's floor,
  with no authentication and no database;
- ``POST /v1/reviews`` with a fresh ``Idempotency-Key`` each time;
- ``GET /v1/reviews`` (the first page of the queue filled by the POSTs);
- ``GET /v1/reviews`` offered at a fixed rate (open loop, ``--rate``), whose
  latency is measured from each request's scheduled start, so a stalled
  server shows up in p99 instead of slowing the client down.

The closed-loop scenarios keep ``--concurrency`` requests in flight for
``--seconds``. The client shares the machine's cores with the server, so the
ratios against the baseline are what carries over to other machines.

Run ``python -m bench service_load [--seconds 10] [--workers 1,2]
[--databases sqlite,postgresql] [--concurrency 16] [--rate 500]``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"
REVIEW_BODY = {
    "kind": "manual",
    "route": "finance",
    "severity": "medium",
    "title": "Check invoice INV-7",
    "finding": {"note": "client disputes line 3", "amount": "1200.00"},
    "subject": {"type": "invoice", "id": "INV-7"},
}


@dataclass(frozen=True)
class ScenarioResult:
    name: str
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
        return ordered[index]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _handoff_command() -> list[str]:
    # The console script next to this interpreter, so the benchmark measures the checkout's venv.
    script = Path(sys.executable).with_name("handoff")
    return [str(script)] if script.exists() else [sys.executable, "-m", "service.cli"]


def _run_cli(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [*_handoff_command(), *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"handoff {' '.join(args)} failed: {done.stderr.strip()[-500:]}")
    return done.stdout


@contextmanager
def _postgres_database(admin_url: str) -> Iterator[str | None]:
    """A fresh database on the server at ``admin_url``, dropped afterwards; None when unreachable."""
    try:
        import psycopg
    except ImportError:
        yield None
        return
    plain = admin_url.replace("postgresql+psycopg://", "postgresql://")
    name = f"handoff_bench_{uuid.uuid4().hex[:10]}"
    try:
        with psycopg.connect(plain, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as exc:
        print(f"   PostgreSQL not reachable ({str(exc).strip().splitlines()[0]}); skipping it", flush=True)
        yield None
        return
    base, _, _ = plain.rpartition("/")
    try:
        yield f"{base}/{name}".replace("postgresql://", "postgresql+psycopg://", 1)
    finally:
        with psycopg.connect(plain, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class ServerProcess:
    """``handoff serve`` on a free loopback port with its own temporary home."""

    def __init__(self, *, workers: int, database_url: str | None) -> None:
        self.workers = workers
        self.home = Path(tempfile.mkdtemp(prefix="handoff-bench-"))
        self.port = _free_port()
        self.env = {
            **os.environ,
            "HANDOFF_HOME": str(self.home),
            "HANDOFF_BOOTSTRAP_MODELS": "false",
            "HANDOFF_LOG_LEVEL": "WARNING",
            "MLFLOW_DISABLE_TELEMETRY": "true",
        }
        if database_url:
            self.env["HANDOFF_DATABASE_URL"] = database_url
        else:
            self.env.pop("HANDOFF_DATABASE_URL", None)
        self.process: subprocess.Popen[bytes] | None = None
        self.key = ""

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> ServerProcess:
        _run_cli(self.env, "db", "upgrade")
        created = json.loads(
            _run_cli(self.env, "keys", "create", "--role", "admin", "--name", "bench", "--format", "json")
        )
        self.key = created["key"]
        self.log = (self.home / "serve.log").open("wb")
        command = [
            *_handoff_command(),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--workers",
            str(self.workers),
        ]
        self.process = subprocess.Popen(command, env=self.env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"handoff serve exited with {self.process.returncode}; see {self.home}")
            try:
                if httpx.get(self.base_url + "/readyz", timeout=1).status_code < 500:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError("handoff serve did not become ready within 120 s")

    def __exit__(self, *exc: object) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        shutil.rmtree(self.home, ignore_errors=True)


Request = Callable[[httpx.AsyncClient], Awaitable[httpx.Response]]


async def _closed_loop(
    name: str, client: httpx.AsyncClient, make: Request, *, seconds: float, concurrency: int
) -> ScenarioResult:
    latencies: list[float] = []
    errors = 0
    end = time.perf_counter() + seconds

    async def worker() -> None:
        nonlocal errors
        while time.perf_counter() < end:
            started = time.perf_counter()
            try:
                response = await make(client)
                ok = response.status_code < 400
            except httpx.HTTPError:
                ok = False
            if ok:
                latencies.append((time.perf_counter() - started) * 1000)
            else:
                errors += 1

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    return ScenarioResult(name, len(latencies), errors, elapsed, latencies)


async def _open_loop(
    name: str, client: httpx.AsyncClient, make: Request, *, seconds: float, rate: float
) -> ScenarioResult:
    latencies: list[float] = []
    errors = 0
    interval = 1.0 / rate
    begin = time.perf_counter()
    total = int(seconds * rate)

    async def one(scheduled: float) -> None:
        nonlocal errors
        try:
            response = await make(client)
            ok = response.status_code < 400
        except httpx.HTTPError:
            ok = False
        if ok:
            latencies.append((time.perf_counter() - scheduled) * 1000)
        else:
            errors += 1

    tasks = []
    for index in range(total):
        scheduled = begin + index * interval
        delay = scheduled - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(scheduled)))
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - begin
    return ScenarioResult(name, len(latencies), errors, elapsed, latencies)


def _report(label: str, result: ScenarioResult, baseline: ScenarioResult | None) -> dict[str, object]:
    ratio = result.rate / baseline.rate if baseline and baseline.rate else float("nan")
    print(
        f"   {label:<10} {result.name:<26} {result.rate:8.0f} req/s  p50 {result.percentile(50):6.1f} ms"
        f"  p99 {result.percentile(99):6.1f} ms  errors {result.errors:4d}"
        + (f"  ratio to /healthz {ratio:5.2f}" if baseline and result is not baseline else ""),
        flush=True,
    )
    return {
        "config": label,
        "scenario": result.name,
        "rps": round(result.rate, 1),
        "p50_ms": round(result.percentile(50), 2),
        "p99_ms": round(result.percentile(99), 2),
        "errors": result.errors,
        "ratio_to_healthz": round(ratio, 3),
    }


async def _run_scenarios(
    server: ServerProcess, args: argparse.Namespace, label: str
) -> list[dict[str, object]]:
    headers = {"Authorization": f"Bearer {server.key}"}
    limits = httpx.Limits(
        max_connections=args.concurrency * 4, max_keepalive_connections=args.concurrency * 4
    )
    async with httpx.AsyncClient(
        base_url=server.base_url, headers=headers, limits=limits, timeout=30
    ) as client:

        async def healthz(c: httpx.AsyncClient) -> httpx.Response:
            return await c.get("/healthz")

        async def create_review(c: httpx.AsyncClient) -> httpx.Response:
            return await c.post(
                "/v1/reviews", json=REVIEW_BODY, headers={"Idempotency-Key": uuid.uuid4().hex}
            )

        async def list_reviews(c: httpx.AsyncClient) -> httpx.Response:
            return await c.get("/v1/reviews", params={"limit": 20})

        # Warm up connections and each worker's first-request costs before measuring.
        await _closed_loop("warm-up", client, healthz, seconds=1.0, concurrency=args.concurrency)
        await _closed_loop("warm-up", client, list_reviews, seconds=0.5, concurrency=2)
        rows = []
        baseline = await _closed_loop(
            "GET /healthz (baseline)", client, healthz, seconds=args.seconds, concurrency=args.concurrency
        )
        rows.append(_report(label, baseline, baseline))
        for name, make in (("POST /v1/reviews", create_review), ("GET /v1/reviews", list_reviews)):
            result = await _closed_loop(
                name, client, make, seconds=args.seconds, concurrency=args.concurrency
            )
            rows.append(_report(label, result, baseline))
        if args.rate > 0:
            paced = await _open_loop(
                f"GET /v1/reviews @{args.rate:g}/s",
                client,
                list_reviews,
                seconds=args.seconds,
                rate=args.rate,
            )
            rows.append(_report(label, paced, baseline))
        return rows


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench service_load", description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each scenario")
    parser.add_argument("--concurrency", type=int, default=16, help="requests in flight, closed loop")
    parser.add_argument("--rate", type=float, default=500.0, help="offered GET rate, open loop (0 skips)")
    parser.add_argument("--workers", default="1,2", help="comma-separated uvicorn worker counts")
    parser.add_argument("--databases", default="sqlite,postgresql", help="sqlite and/or postgresql")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("HANDOFF_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL),
        help="a server where the benchmark may create and drop a database",
    )
    parser.add_argument("--json", type=Path, default=None, help="also write the rows to this file")
    args = parser.parse_args(argv)
    worker_counts = [int(w) for w in args.workers.split(",") if w.strip()]
    databases = [d.strip() for d in args.databases.split(",") if d.strip()]
    print(
        f"   {os.cpu_count()} cores; {args.seconds:g} s per scenario; concurrency {args.concurrency}",
        flush=True,
    )
    rows: list[dict[str, object]] = []
    for database in databases:
        for workers in worker_counts:
            label = f"{database}/{workers}w"
            if database == "sqlite":
                with ServerProcess(workers=workers, database_url=None) as server:
                    rows += asyncio.run(_run_scenarios(server, args, label))
            elif database == "postgresql":
                with _postgres_database(args.postgres_url) as url:
                    if url is None:
                        continue
                    with ServerProcess(workers=workers, database_url=url) as server:
                        rows += asyncio.run(_run_scenarios(server, args, label))
            else:
                raise SystemExit(f"unknown database {database!r}: use sqlite or postgresql")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main(sys.argv[1:])
