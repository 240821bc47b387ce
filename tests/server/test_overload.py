"""Overload: more requests than database connections are queued and served, or refused with 503 and
Retry-After after a bounded wait; never a 500 or a pool time-out, and /health answers meanwhile.

The app runs in a real uvicorn server on a free 127.0.0.1 port, so sync routes and dependencies use anyio's
thread pool exactly as in production, and the requests come from an async client over real sockets.
"""

import asyncio
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import AsyncExitStack, ExitStack, contextmanager
from pathlib import Path

import anyio
import httpx
import pytest
import uvicorn
from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

import server.db
from server.accounts import passwords
from server.accounts.passwords import HASHES_AT_ONCE
from server.app import create_app
from server.config import WORKERS_ENV, Settings, worker_processes
from server.core.admission import PASSWORD_ROUTES, WAIT_SECONDS, DatabaseGate
from server.core.deps import CurrentUser
from server.core.errors import ApiError
from server.db import POOL_CONNECTIONS
from server.seed import DEMO_PASSWORD

ROOT = Path(__file__).resolve().parents[2]

HOLD_SECONDS = 0.25
# The longest any answer may take: the gate's wait plus the time one request holds its connection, plus slack
# for a busy machine. Before the gate, requests stalled for the pool's 30 s time-out and then failed with 500.
BOUND_SECONDS = WAIT_SECONDS + HOLD_SECONDS + 3.0


def add_holding_route(app: FastAPI) -> None:
    """A route shaped like GET /me (the token is checked in one thread hop, the handler runs in another) whose
    handler keeps the connection for a while, as a slow query would."""
    router = APIRouter()

    @router.get("/api/v1/test/hold")
    def hold(user: CurrentUser) -> dict[str, int]:
        time.sleep(HOLD_SECONDS)
        return {"id": user.id}

    app.include_router(router)


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """The app in uvicorn on a thread, listening on a free loopback port; stopped when the block ends."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", backlog=1024))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()


def register(base: str) -> dict[str, str]:
    body = {"phone": "13712345678", "password": "Passw0rd!", "name": "王小明"}
    response = httpx.post(f"{base}/api/v1/auth/register", json=body, timeout=30)
    assert response.status_code == 201, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def timed(client: httpx.AsyncClient, path: str, **kwargs: object) -> tuple[httpx.Response, float]:
    started = time.perf_counter()
    response = await client.get(path, **kwargs)  # type: ignore[arg-type]
    return response, time.perf_counter() - started


async def burst(base: str, auth: dict[str, str], holders: int, readers: int) -> dict[str, list]:
    """`holders` slow requests and `readers` GET /me at once, while /health is probed every 50 ms."""
    limits = httpx.Limits(max_connections=holders + readers + 10, max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:
        languages = [{"Accept-Language": "zh-CN"}, {"Accept-Language": "en"}]
        load = [timed(client, "/api/v1/test/hold", headers=auth | languages[n % 2]) for n in range(holders)]
        load += [timed(client, "/api/v1/me", headers=auth) for _ in range(readers)]
        running = asyncio.gather(*load)
        health = []
        await asyncio.sleep(0.2)  # let the burst fill the gate first
        while not running.done() and len(health) < 200:
            health.append(await timed(client, "/api/v1/health"))
            await asyncio.sleep(0.05)
        answers = await running
    return {"answers": answers, "health": health}


def assert_graceful(answers: list[tuple[httpx.Response, float]]) -> None:
    statuses = sorted({response.status_code for response, _ in answers})
    assert set(statuses) <= {200, 503}, statuses
    for response, _ in answers:
        if response.status_code == 503:
            assert response.json()["code"] == "server_busy"
            assert int(response.headers["Retry-After"]) > 0
    slowest = max(seconds for _, seconds in answers)
    assert slowest < BOUND_SECONDS, f"an answer took {slowest:.1f} s"


def test_more_requests_than_connections_are_served_or_503_and_health_stays_fast(app: FastAPI) -> None:
    add_holding_route(app)
    with serving(app) as base:
        auth = register(base)
        result = asyncio.run(burst(base, auth, holders=4 * POOL_CONNECTIONS, readers=2 * POOL_CONNECTIONS))
    answers = result["answers"]
    assert_graceful(answers)
    assert sum(response.status_code == 200 for response, _ in answers) >= len(answers) // 2, "most are served"
    health = result["health"]
    assert health and all(response.status_code == 200 for response, _ in health)
    assert max(seconds for _, seconds in health) < 1.0


def test_past_the_bounded_wait_the_answer_is_503_with_retry_after(app: FastAPI) -> None:
    add_holding_route(app)
    app.state.database_gate = DatabaseGate(slots=2, wait=0.3, retry_after=3)
    with serving(app) as base:
        auth = register(base)
        answers = asyncio.run(burst(base, auth, holders=20, readers=0))["answers"]
    assert_graceful(answers)
    busy = [response for response, _ in answers if response.status_code == 503]
    assert busy, "a 0.3 s wait for the one slot of a route cannot serve 20 requests holding it 0.25 s each"
    assert {response.headers["Retry-After"] for response in busy} == {"3"}
    messages = {response.json()["message"] for response in busy}
    assert messages == {"服务器繁忙，请稍后再试", "The server is busy; please try again in a moment"}


def test_gate_gives_no_route_more_than_half_and_frees_slots_of_callers_that_gave_up() -> None:
    anyio.run(gate_scenario)


async def gate_scenario() -> None:
    gate = DatabaseGate(slots=4, wait=0.2)
    async with gate.admit("GET /slow"), gate.admit("GET /slow"):
        started = time.perf_counter()
        with pytest.raises(ApiError, match="server_busy"):
            async with gate.admit("GET /slow"):
                pass
        assert 0.15 < time.perf_counter() - started < 1.0
        async with gate.admit("GET /me"), gate.admit("GET /me"):
            with pytest.raises(ApiError, match="server_busy"):
                async with gate.admit("GET /other"):
                    pass
    # every slot is back, including those of the callers that timed out
    with anyio.fail_after(1):
        async with gate.admit("GET /a"), gate.admit("GET /a"), gate.admit("GET /b"), gate.admit("GET /b"):
            pass


def test_password_routes_hold_no_more_slots_than_can_hash(app: FastAPI) -> None:
    async def scenario() -> None:
        gate: DatabaseGate = app.state.database_gate
        gate.wait = 0.1
        async with AsyncExitStack() as holding:
            for _ in range(HASHES_AT_ONCE + 1):
                await holding.enter_async_context(gate.admit(PASSWORD_ROUTES[0]))
            with pytest.raises(ApiError, match="server_busy"):
                async with gate.admit(PASSWORD_ROUTES[0]):
                    pass
            async with gate.admit("GET /api/v1/me"):  # the rest of the API is not kept waiting
                pass

    assert DatabaseGate(POOL_CONNECTIONS).route_slots > HASHES_AT_ONCE + 1
    anyio.run(scenario)


def test_a_password_check_that_gets_no_turn_in_time_is_503(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "HASH_QUEUE_SECONDS", 0.2)
    release = threading.Event()
    busy = [passwords._hashing.submit(release.wait, 10) for _ in range(HASHES_AT_ONCE)]
    try:
        started = time.perf_counter()
        with pytest.raises(ApiError, match="server_busy") as refused:
            passwords.verify_password(None, "Passw0rd!")
        assert time.perf_counter() - started < 2
        assert refused.value.status == 503 and refused.value.headers["Retry-After"] == "2"
    finally:
        release.set()
    assert all(job.result(timeout=10) for job in busy)
    assert passwords.verify_password(passwords.hash_password("Passw0rd!"), "Passw0rd!")


@pytest.mark.skipif(sys.platform != "linux", reason="thread nice values are Linux's")
def test_hashing_threads_yield_the_cpu_to_serving_threads() -> None:
    def niceness() -> int:
        return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    serving = niceness()
    assert passwords._hashing.submit(niceness).result(timeout=10) >= passwords.HASH_NICENESS
    assert niceness() == serving


def test_worker_count_reaches_the_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(WORKERS_ENV, "3")
    assert worker_processes() == 3
    for junk in ("", "0", "-2", "many"):
        monkeypatch.setenv(WORKERS_ENV, junk)
        assert worker_processes() == 1


def test_a_connection_still_late_is_503_not_500(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """The pool's own time-out, should anything take a connection without a slot: 503 server_busy, not 500."""
    monkeypatch.setattr(server.db, "POOL_TIMEOUT_SECONDS", 0.2)
    app = create_app(settings)
    app.state.database_gate = DatabaseGate(slots=POOL_CONNECTIONS + 1)
    with ExitStack() as held, TestClient(app) as http:
        for _ in range(POOL_CONNECTIONS):
            held.enter_context(app.state.engine.connect())
        response = http.get("/api/v1/departments")
    app.state.engine.dispose()
    assert response.status_code == 503
    assert response.json()["code"] == "server_busy"
    assert response.headers["Retry-After"] == "2"


def test_every_operation_documents_503(app: FastAPI) -> None:
    for path, operations in app.openapi()["paths"].items():
        for method, operation in operations.items():
            assert "503" in operation["responses"], f"{method.upper()} {path}"


def test_two_workers_on_postgresql_hold_a_burst(postgres_database: str) -> None:
    """`python -m server --workers 2` on its own database: demo log-in, then a burst of GET /me, graceful."""
    name = f"yiwang_test_workers_{os.getpid()}"
    admin = create_engine(postgres_database.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' LC_CTYPE 'C.UTF-8' TEMPLATE template0"))
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = postgres_database.rsplit("/", 1)[0] + f"/{name}"
    command = [sys.executable, "-m", "server", "--database-url", url, "--workers", "2", "--port", str(port)]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert process.poll() is None and time.monotonic() < deadline, "the server did not start"
            try:
                if httpx.get(f"{base}/api/v1/health", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.3)
        login = httpx.post(
            f"{base}/api/v1/auth/login", json={"phone": "13800138000", "password": DEMO_PASSWORD}, timeout=30
        )
        assert login.status_code == 200, login.text
        auth = {"Authorization": f"Bearer {login.json()['access_token']}"}
        result = asyncio.run(burst_reads(base, auth, requests=8 * POOL_CONNECTIONS))
    finally:
        process.terminate()
        _, errors = process.communicate(timeout=30)
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    assert_graceful(result["answers"])
    assert max(seconds for _, seconds in result["health"]) < 1.0
    assert b"Traceback" not in errors, errors.decode(errors="replace")[-2000:]


async def burst_reads(base: str, auth: dict[str, str], requests: int) -> dict[str, list]:
    limits = httpx.Limits(max_connections=requests + 10, max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:
        running = asyncio.gather(*(timed(client, "/api/v1/me", headers=auth) for _ in range(requests)))
        health = []
        while not running.done() and len(health) < 200:
            health.append(await timed(client, "/api/v1/health"))
            await asyncio.sleep(0.05)
        return {"answers": await running, "health": health}
