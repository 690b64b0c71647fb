"""Service load: requests/s and p50/p99 latency of the review API over loopback.

Starts ``handoff serve`` as a subprocess with a temporary ``HANDOFF_HOME`` (and,
when PostgreSQL is reachable, a fresh database it creates and drops), with one
and with several uvicorn workers, and drives it from an asyncio client over keep-alive
connections:

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

Run ``python -m bench service_load [--seconds=10] [--workers=1,2]
[--databases=sqlite,postgresql] [--concurrency=16] [--rate=100,500]`` (options
in the ``--name=value`` form: the bench runner takes bare words for benchmark names).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                log = (self.home / "serve.log").read_text(errors="replace")[-1500:]
                self.__exit__()
                raise RuntimeError(f"handoff serve exited with {self.process.returncode}: {log}")
            try:
                # /healthz, not /readyz: with HANDOFF_BOOTSTRAP_MODELS=false no model is loaded and
                # readyz says 503, while the review API (all this benchmark calls) is up.
                if httpx.get(self.base_url + "/healthz", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.__exit__()
        raise RuntimeError("handoff serve did not become ready within 180 s")

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


class _Connection:
    """One keep-alive HTTP/1.1 connection, with just enough protocol for the requests this benchmark sends.

    The load generator shares the two cores with the server; httpx's async client spends more CPU per
    request than the endpoints it measures (about 2.6 ms against 0.8 ms for /healthz, measured here),
    so the load goes over raw asyncio streams instead. httpx is still used to set the server up.
    """

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, head: bytes, body: bytes = b"") -> int:
        if self.writer is None or self.reader is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        self.writer.write(head + body)
        try:
            status_and_headers = await self.reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, ConnectionError):
            await self.close()
            raise
        lines = status_and_headers.split(b"\r\n")
        status = int(lines[0].split(b" ", 2)[1])
        length, chunked, closing = 0, False, False
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding" and b"chunked" in value.lower():
                chunked = True
            elif name == b"connection" and b"close" in value.lower():
                closing = True
        if chunked:
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                await self.reader.readexactly(size + 2)
                if size == 0:
                    break
        elif length:
            await self.reader.readexactly(length)
        if closing:
            await self.close()
        return status

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(ConnectionError, OSError):
                await self.writer.wait_closed()
        self.reader = self.writer = None


# A request: given a connection, send one and return the status.
Request = Callable[[_Connection], Awaitable[int]]


async def _timed(connection: _Connection, make: Request) -> bool:
    try:
        return await make(connection) < 400
    except (OSError, asyncio.IncompleteReadError, ValueError):
        return False


async def _closed_loop(
    name: str, address: tuple[str, int], make: Request, *, seconds: float, concurrency: int
) -> ScenarioResult:
    latencies: list[float] = []
    errors = 0
    end = time.perf_counter() + seconds

    async def worker() -> None:
        nonlocal errors
        connection = _Connection(*address)
        try:
            while time.perf_counter() < end:
                started = time.perf_counter()
                if await _timed(connection, make):
                    latencies.append((time.perf_counter() - started) * 1000)
                else:
                    errors += 1
        finally:
            await connection.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    return ScenarioResult(name, len(latencies), errors, elapsed, latencies)


async def _open_loop(
    name: str,
    address: tuple[str, int],
    make: Request,
    *,
    seconds: float,
    rate: float,
    max_connections: int = 64,
) -> ScenarioResult:
    """Offer ``rate`` requests/s for ``seconds``, each timed from its scheduled start.

    A slow answer never delays the next request's start (up to ``max_connections`` in flight).
    Requests not answered within two seconds after the window count as errors, so an
    overloaded server cannot stretch the run.
    """
    latencies: list[float] = []
    errors = 0
    # At most max_connections in flight: past that, requests queue for a connection (their wait
    # counts in their latency) instead of opening sockets without bound on an overloaded server.
    pool: asyncio.Queue[_Connection] = asyncio.Queue()
    connections = [_Connection(*address) for _ in range(max_connections)]
    for connection in connections:
        pool.put_nowait(connection)
    interval = 1.0 / rate
    begin = time.perf_counter()
    total = int(seconds * rate)

    async def one(scheduled: float) -> None:
        nonlocal errors
        connection = await pool.get()
        try:
            ok = await _timed(connection, make)
        finally:
            pool.put_nowait(connection)
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
    _, late = await asyncio.wait(tasks, timeout=2.0)
    for task in late:
        task.cancel()
    await asyncio.gather(*late, return_exceptions=True)
    errors += len(late)
    elapsed = time.perf_counter() - begin
    for connection in connections:
        await connection.close()
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


def _request_head(
    method: str, path: str, *, host: str, key: str, extra: dict[str, str] | None = None
) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}", f"Authorization: Bearer {key}"]
    lines += [f"{name}: {value}" for name, value in (extra or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


async def _run_scenarios(
    server: ServerProcess, args: argparse.Namespace, label: str
) -> list[dict[str, object]]:
    address = ("127.0.0.1", server.port)
    host = f"127.0.0.1:{server.port}"
    healthz_head = _request_head("GET", "/healthz", host=host, key=server.key)
    list_head = _request_head("GET", "/v1/reviews?limit=20", host=host, key=server.key)
    review_body = json.dumps(REVIEW_BODY).encode()

    async def healthz(connection: _Connection) -> int:
        return await connection.request(healthz_head)

    async def create_review(connection: _Connection) -> int:
        extra = {
            "Content-Type": "application/json",
            "Content-Length": str(len(review_body)),
            "Idempotency-Key": uuid.uuid4().hex,
        }
        head = _request_head("POST", "/v1/reviews", host=host, key=server.key, extra=extra)
        return await connection.request(head, review_body)

    async def list_reviews(connection: _Connection) -> int:
        return await connection.request(list_head)

    # Warm up connections and each worker's first-request costs before measuring.
    await _closed_loop("warm-up", address, healthz, seconds=1.0, concurrency=args.concurrency)
    await _closed_loop("warm-up", address, list_reviews, seconds=0.5, concurrency=2)
    rows = []
    baseline = await _closed_loop(
        "GET /healthz (baseline)", address, healthz, seconds=args.seconds, concurrency=args.concurrency
    )
    rows.append(_report(label, baseline, baseline))
    for name, make in (("POST /v1/reviews", create_review), ("GET /v1/reviews", list_reviews)):
        result = await _closed_loop(name, address, make, seconds=args.seconds, concurrency=args.concurrency)
        rows.append(_report(label, result, baseline))
    for rate in args.rates:
        paced = await _open_loop(
            f"GET /v1/reviews @{rate:g}/s", address, list_reviews, seconds=args.seconds, rate=rate
        )
        rows.append(_report(label, paced, baseline))
    return rows


def _event_loop_runner() -> Callable[[Coroutine[Any, Any, Any]], Any]:
    # uvloop (installed with uvicorn[standard]) halves the client's own CPU per request.
    try:
        import uvloop
    except ImportError:
        return asyncio.run
    return uvloop.run


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench service_load", description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each scenario")
    parser.add_argument("--concurrency", type=int, default=16, help="requests in flight, closed loop")
    parser.add_argument(
        "--rate", default="100,500", help="comma-separated offered GET rates, open loop (empty skips)"
    )
    parser.add_argument("--workers", default="1,2", help="comma-separated uvicorn worker counts")
    parser.add_argument("--databases", default="sqlite,postgresql", help="sqlite and/or postgresql")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("HANDOFF_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL),
        help="a server where the benchmark may create and drop a database",
    )
    parser.add_argument("--json", type=Path, default=None, help="also write the rows to this file")
    args = parser.parse_args(argv)
    args.rates = [float(r) for r in args.rate.split(",") if r.strip() and float(r) > 0]
    worker_counts = [int(w) for w in args.workers.split(",") if w.strip()]
    databases = [d.strip() for d in args.databases.split(",") if d.strip()]
    print(
        f"   {os.cpu_count()} cores; {args.seconds:g} s per scenario; concurrency {args.concurrency}",
        flush=True,
    )
    rows: list[dict[str, object]] = []
    run = _event_loop_runner()
    for database in databases:
        for workers in worker_counts:
            label = f"{database}/{workers}w"
            if database == "sqlite":
                with ServerProcess(workers=workers, database_url=None) as server:
                    rows += run(_run_scenarios(server, args, label))
            elif database == "postgresql":
                with _postgres_database(args.postgres_url) as url:
                    if url is None:
                        continue
                    with ServerProcess(workers=workers, database_url=url) as server:
                        rows += run(_run_scenarios(server, args, label))
            else:
                raise SystemExit(f"unknown database {database!r}: use sqlite or postgresql")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main(sys.argv[1:])
