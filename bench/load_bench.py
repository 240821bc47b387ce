"""Load benchmark: the backend under hundreds of concurrent clients (a script, not a test).

    python bench/load_bench.py [--databases sqlite,postgresql] [--clients 500] [--seconds 30]
                               [--login-clients 50] [--readers 50] [--login-seconds 15] [--pg-workers 2]

For each database it seeds a fresh database (`python -m server seed`), starts the real server
(`python -m server`; on PostgreSQL with `--workers 2`) on a free 127.0.0.1 port, and drives it from a
separate process with aiohttp, one keep-alive connection per client:
- me: every client reads GET /api/v1/me with a valid token, back to back;
- mixed: reads of /me, PATCH /me with an Idempotency-Key, article lists that skip the read cache
  (Cache-Control: no-cache, so they reach the database) and article details;
- bare: as many clients against a bare FastAPI endpoint served by uvicorn with the same workers, the
  ceiling that the throughput is compared with;
- login: --login-clients clients logging in over and over (argon2id) while --readers others read /health,
  uncached article lists and article details: the readers' latency shows whether the capped hashing leaves
  the rest of the API fast while log-ins queue.
Throughout each run a separate process reads /health every 0.1 s (the "health probe" rows), as a monitor would.
Printed per run: answers by status, connection errors, p50/p99/max latency, requests/s and the ratio to bare.
Expected: no status 500 and no connection error; 503 (with Retry-After) only past the bounded wait.
PostgreSQL comes from YIWANG_BENCH_PG_URL, else from tools/test-postgres.sh; --databases sqlite skips it.
"""

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

API = "/api/v1"
DEMO_PASSWORD = "Demo12345"
DEMO_PHONES = ["13800138000", "13800138001", "13900000001", "13900000002", "13900000003", "13900000000"]
DEMO_ARTICLES = 1000
MAX_REQUESTS_PER_CLIENT = 1_000_000  # every loop is bounded in count as well as in time
REQUEST_TIMEOUT = 60.0  # far past any bounded wait: a request this slow is a hang, counted as an error
PG_DATABASE = "yiwang_load_bench"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def postgres_admin_url() -> str:
    url = os.environ.get("YIWANG_BENCH_PG_URL")
    if url:
        return url
    return subprocess.run(
        [str(ROOT / "tools/test-postgres.sh")], check=True, capture_output=True, text=True
    ).stdout.strip()


def prepare_database(database: str, work_dir: Path) -> list[str]:
    """A fresh database with the demo accounts and articles; returns the server's database options."""
    if database == "sqlite":
        folder = work_dir / "sqlite"
        for name in ("yiwang.db", "yiwang.db-wal", "yiwang.db-shm"):
            (folder / name).unlink(missing_ok=True)
        options = ["--data-dir", str(folder)]
    else:
        from sqlalchemy import create_engine, text

        admin_url = postgres_admin_url()
        admin = create_engine(
            admin_url.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT"
        )
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)'))
            conn.execute(
                text(f"CREATE DATABASE \"{PG_DATABASE}\" ENCODING 'UTF8' LC_CTYPE 'C.UTF-8' TEMPLATE template0")
            )
        admin.dispose()
        options = ["--database-url", admin_url.rsplit("/", 1)[0] + f"/{PG_DATABASE}"]
    subprocess.run([sys.executable, "-m", "server", "seed", *options], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return options


def _get(port: int, path: str, token: str | None = None) -> bytes:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=10) as response:
        return bytes(response.read())


def login(port: int, phone: str) -> str:
    body = json.dumps({"phone": phone, "password": DEMO_PASSWORD}).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{API}/auth/login", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return str(json.loads(response.read())["access_token"])


@contextmanager
def server(command: list[str], log: Path) -> Iterator[int]:
    """A server process on a free port, stopped (by its own pid) when the block ends; its output goes to `log`."""
    port = free_port()
    with log.open("wb") as output:
        process = subprocess.Popen([*command, "--port", str(port)], cwd=ROOT, stdout=output, stderr=output)
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    _get(port, f"{API}/health")
                    break
                except OSError:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"server did not start: {command} (see {log})")
                time.sleep(0.2)
            yield port
        finally:
            process.terminate()
            process.wait(timeout=30)


# ---------------------------------------------------------------- the load generator (a separate process)


@dataclass
class Tally:
    statuses: Counter[int] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    retry_after_missing: int = 0

    def summary(self, elapsed: float) -> dict[str, Any]:
        ordered = sorted(self.latencies)

        def pick(q: float) -> float:
            return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else 0.0

        return {
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "errors": dict(self.errors),
            "count": len(ordered),
            "per_second": sum(self.statuses.values()) / elapsed,
            "ok_per_second": sum(n for status, n in self.statuses.items() if status < 300) / elapsed,
            "p50_ms": pick(0.5),
            "p99_ms": pick(0.99),
            "max_ms": ordered[-1] if ordered else 0.0,
            "retry_after_missing": self.retry_after_missing,
        }


async def drive(args: argparse.Namespace) -> dict[str, Any]:
    import aiohttp

    tokens: list[str] = args.tokens.split(",") if args.tokens else []
    tallies: dict[str, Tally] = {}
    base = f"http://127.0.0.1:{args.port}"
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT)
    connector = aiohttp.TCPConnector(limit=args.clients + args.readers + 1, limit_per_host=0, force_close=False)
    started = time.perf_counter()
    deadline = started + args.seconds

    async with aiohttp.ClientSession(base, connector=connector, timeout=timeout) as session:

        async def call(group: str, method: str, path: str, **kwargs: Any) -> None:
            tally = tallies.setdefault(group, Tally())
            sent = time.perf_counter()
            try:
                async with session.request(method, path, **kwargs) as response:
                    await response.read()
                    tally.statuses[response.status] += 1
                    if response.status == 503 and "Retry-After" not in response.headers:
                        tally.retry_after_missing += 1
            except (aiohttp.ClientError, TimeoutError) as exc:
                tally.errors[type(exc).__name__] += 1
            tally.latencies.append((time.perf_counter() - sent) * 1000)

        def auth(n: int) -> dict[str, str]:
            return {"Authorization": f"Bearer {tokens[n % len(tokens)]}"}

        async def me_client(n: int) -> None:
            for _ in range(MAX_REQUESTS_PER_CLIENT):
                if time.perf_counter() >= deadline:
                    return
                await call("GET /me", "GET", f"{API}/me", headers=auth(n))

        async def mixed_client(n: int) -> None:
            for i in range(MAX_REQUESTS_PER_CLIENT):
                if time.perf_counter() >= deadline:
                    return
                step = (n + i) % 10
                if step < 4:
                    await call("GET /me", "GET", f"{API}/me", headers=auth(n))
                elif step < 6:
                    headers = {**auth(n), "Idempotency-Key": uuid.uuid4().hex}
                    body = {"address": f"沈阳市和平区测试路{n}号{i}室"}
                    await call("PATCH /me", "PATCH", f"{API}/me", headers=headers, json=body)
                elif step < 8:
                    path = f"{API}/articles?limit=20&kind={('notice', 'policy')[i % 2]}"
                    await call("GET /articles (no-cache)", "GET", path, headers={"Cache-Control": "no-cache"})
                else:
                    article = 1 + (n * 7919 + i * 104729) % DEMO_ARTICLES
                    await call("GET /articles/{id}", "GET", f"{API}/articles/{article}")

        async def bare_client(_n: int) -> None:
            for _ in range(MAX_REQUESTS_PER_CLIENT):
                if time.perf_counter() >= deadline:
                    return
                await call("GET /me (bare)", "GET", f"{API}/me")

        async def login_client(n: int) -> None:
            for i in range(MAX_REQUESTS_PER_CLIENT):
                if time.perf_counter() >= deadline:
                    return
                body = {"phone": DEMO_PHONES[(n + i) % len(DEMO_PHONES)], "password": DEMO_PASSWORD}
                headers = {"Idempotency-Key": uuid.uuid4().hex}
                await call("POST /auth/login", "POST", f"{API}/auth/login", headers=headers, json=body)

        async def reader_client(n: int) -> None:
            for i in range(MAX_REQUESTS_PER_CLIENT):
                if time.perf_counter() >= deadline:
                    return
                step = (n + i) % 3
                if step == 0:
                    await call("GET /health", "GET", f"{API}/health")
                elif step == 1:
                    path = f"{API}/articles?limit=20&kind={('notice', 'policy')[i % 2]}"
                    await call("GET /articles (no-cache)", "GET", path, headers={"Cache-Control": "no-cache"})
                else:
                    article = 1 + (n * 7919 + i * 104729) % DEMO_ARTICLES
                    await call("GET /articles/{id}", "GET", f"{API}/articles/{article}")

        async def health_probe() -> None:
            for _ in range(MAX_REQUESTS_PER_CLIENT):
                if time.perf_counter() >= deadline:
                    return
                await call("health probe", "GET", f"{API}/health")
                await asyncio.sleep(0.1)

        if args.scenario == "probe":
            await health_probe()
        else:
            client = {"me": me_client, "mixed": mixed_client, "bare": bare_client, "login": login_client}[args.scenario]
            runs = [client(n) for n in range(args.clients)]
            await asyncio.gather(*runs, *(reader_client(n) for n in range(args.readers)))
    elapsed = time.perf_counter() - started
    return {group: tally.summary(elapsed) for group, tally in sorted(tallies.items())}


def run_driver(port: int, scenario: str, clients: int, seconds: float, readers: int = 0, tokens: str = "") -> Any:
    """The load generator in its own process, and beside it the health probe in another, as a monitor would be:
    neither shares an event loop (or a GIL) with the other or with this script."""
    command = [sys.executable, str(Path(__file__)), "drive", "--port", str(port), "--seconds", str(seconds)]
    load = [*command, "--scenario", scenario, "--clients", str(clients), "--readers", str(readers)]
    if tokens:
        load += ["--tokens", tokens]
    drivers = [
        subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.PIPE, text=True)
        for argv in (load, [*command, "--scenario", "probe", "--clients", "0"])
    ]
    results: dict[str, Any] = {}
    for driver in drivers:
        output, _ = driver.communicate(timeout=seconds + REQUEST_TIMEOUT + 120)
        if driver.returncode != 0:
            raise RuntimeError(f"load driver failed: {driver.args}")
        results.update(json.loads(output))
    return results


# ---------------------------------------------------------------- the bare comparison app


def bare_app() -> Any:
    """FastAPI answering fixed bytes the size of the real /me: the ceiling for this machine and these workers."""
    from fastapi import FastAPI, Response

    body = Path(os.environ["LOAD_BENCH_BODY"]).read_bytes()
    app = FastAPI()

    @app.get(f"{API}/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get(f"{API}/me")
    async def me() -> Response:
        return Response(body, media_type="application/json")

    return app


# ---------------------------------------------------------------- measuring and printing


@dataclass
class Measured:
    database: str
    workers: int
    runs: dict[str, dict[str, Any]] = field(default_factory=dict)
    tracebacks: int = 0


def measure(database: str, args: argparse.Namespace) -> Measured:
    workers = args.pg_workers if database == "postgresql" else 1
    print(f"preparing {database} ...", flush=True)
    options = prepare_database(database, args.work_dir)
    command = [sys.executable, "-m", "server", *options, "--workers", str(workers)]
    result = Measured(database, workers)
    log = args.work_dir / f"server-{database}.log"
    with server(command, log) as port:
        tokens = ",".join(login(port, phone) for phone in DEMO_PHONES)
        profile = _get(port, f"{API}/me", tokens.split(",")[0])
        for scenario in [s for s in ("me", "mixed") if s in args.scenarios]:
            print(f"  {database}: {scenario}, {args.clients} clients, {args.seconds:g} s ...", flush=True)
            result.runs[scenario] = run_driver(port, scenario, args.clients, args.seconds, tokens=tokens)
        if "login" in args.scenarios:
            print(
                f"  {database}: login, {args.login_clients} clients + {args.readers} readers, {args.login_seconds:g} s",
                flush=True,
            )
            result.runs["login"] = run_driver(
                port, "login", args.login_clients, args.login_seconds, readers=args.readers
            )
    result.tracebacks = log.read_text(errors="replace").count("Traceback")
    if not {"me", "mixed"} & set(args.scenarios):
        return result
    body = args.work_dir / "bare-body.json"
    body.write_bytes(profile)
    bare = [sys.executable, "-m", "uvicorn", "--app-dir", str(Path(__file__).parent), "--factory"]
    bare += ["load_bench:bare_app", "--host", "127.0.0.1", "--workers", str(workers), "--log-level", "warning"]
    os.environ["LOAD_BENCH_BODY"] = str(body)
    print(f"  {database}: bare FastAPI, {args.clients} clients ...", flush=True)
    with server(bare, args.work_dir / "server-bare.log") as port:
        result.runs["bare"] = run_driver(port, "bare", args.clients, args.seconds)
    return result


def print_tables(results: list[Measured], args: argparse.Namespace) -> None:
    header = ["database", "run", "requests", "statuses", "conn errors", "p50 ms", "p99 ms", "max ms", "req/s"]
    header += ["2xx/s", "ratio"]
    lines: list[list[str]] = []
    for result in results:
        name = f"{result.database} x{result.workers}"
        bare = result.runs["bare"]["GET /me (bare)"]["per_second"] if "bare" in result.runs else 0.0
        for scenario in [s for s in ("me", "mixed", "bare", "login") if s in result.runs]:
            groups = result.runs[scenario]
            total = sum(g["per_second"] for group, g in groups.items() if group != "health probe")
            for group, figures in groups.items():
                statuses = " ".join(f"{status}:{count}" for status, count in figures["statuses"].items())
                if figures["retry_after_missing"]:
                    statuses += f" (503 without Retry-After: {figures['retry_after_missing']})"
                errors = " ".join(f"{kind}:{count}" for kind, count in figures["errors"].items()) or "0"
                ratio = (
                    f"{total / bare:.2f}" if bare and scenario in ("me", "mixed") and group != "health probe" else ""
                )
                lines.append(
                    [
                        name,
                        f"{scenario}: {group}",
                        f"{figures['count']:,}",
                        statuses,
                        errors,
                        f"{figures['p50_ms']:.0f}",
                        f"{figures['p99_ms']:.0f}",
                        f"{figures['max_ms']:.0f}",
                        f"{figures['per_second']:,.1f}",
                        f"{figures['ok_per_second']:,.1f}",
                        ratio,
                    ]
                )
        lines.append([name, "server log: tracebacks", str(result.tracebacks)] + [""] * (len(header) - 3))
    widths = [max(len(h), *(len(line[i]) for line in lines)) for i, h in enumerate(header)]
    print(
        f"\nLoad: {args.clients} clients for {args.seconds:g} s (me, mixed, bare); login: {args.login_clients} "
        f"clients logging in + {args.readers} readers for {args.login_seconds:g} s. ratio = the run's req/s over "
        "bare FastAPI's with the same workers and clients; 2xx/s of POST /auth/login = logins/s. "
        "Targets: no 500, no connection error, health probe < 1 s."
    )
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    for line in lines:
        print(
            "  ".join(
                cell.ljust(w) if n < 2 else cell.rjust(w) for n, (cell, w) in enumerate(zip(line, widths, strict=True))
            )
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command")
    driver = commands.add_parser("drive", help="(internal) the load generator; prints JSON")
    driver.add_argument("--port", type=int, required=True)
    driver.add_argument("--scenario", choices=["me", "mixed", "bare", "login", "probe"], required=True)
    driver.add_argument("--clients", type=int, required=True)
    driver.add_argument("--readers", type=int, default=0)
    driver.add_argument("--seconds", type=float, required=True)
    driver.add_argument("--tokens", default="")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--clients", type=int, default=500, help="concurrent clients for the me, mixed and bare runs")
    parser.add_argument("--seconds", type=float, default=30.0, help="length of the me, mixed and bare runs")
    parser.add_argument("--login-clients", type=int, default=50)
    parser.add_argument("--readers", type=int, default=50, help="clients reading while the others log in")
    parser.add_argument("--login-seconds", type=float, default=15.0)
    parser.add_argument("--scenarios", type=lambda v: v.split(","), default=["me", "mixed", "login"])
    parser.add_argument("--pg-workers", type=int, default=2, help="uvicorn workers on PostgreSQL")
    parser.add_argument("--work-dir", type=Path, default=Path(tempfile.gettempdir()) / "yiwang-load-bench")
    args = parser.parse_args()
    if args.command == "drive":
        print(json.dumps(asyncio.run(drive(args))))
        return
    args.work_dir.mkdir(parents=True, exist_ok=True)
    results = [measure(database, args) for database in args.databases.split(",")]
    print_tables(results, args)


if __name__ == "__main__":
    main()
