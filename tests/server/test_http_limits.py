"""Request size limits and connection handling, in process and over a real uvicorn socket (SQLite and PostgreSQL):
an oversized body is refused before it is read, oversized or too many headers are refused, and an answer after
which the server closes the connection says `Connection: close`."""

import http.client
import json
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Message

import main as embedded
import server.__main__ as cli
from server.config import Settings
from server.core.request_limits import MAX_HEADERS, MAX_JSON_BODY, RequestLimitsMiddleware, server_options

MB = 1024 * 1024


async def call(app: ASGIApp, path: str, chunks: Iterator[bytes], content_length: int | None) -> dict[str, Any]:
    """One POST straight through the ASGI interface, counting how many body chunks the app pulled."""
    headers = [(b"content-type", b"application/json"), (b"host", b"testserver")]
    if content_length is not None:
        headers.append((b"content-length", str(content_length).encode()))
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": headers,
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
        "state": {},
    }
    result: dict[str, Any] = {"chunks_read": 0, "body": b""}

    async def receive() -> Message:
        result["chunks_read"] += 1
        chunk = next(chunks, None)
        return {"type": "http.request", "body": chunk or b"", "more_body": chunk is not None}

    async def send(message: Message) -> None:
        if message["type"] == "http.response.start":
            result["status"] = message["status"]
            result["headers"] = {k.decode().lower(): v.decode() for k, v in message["headers"]}
        elif message["type"] == "http.response.body":
            result["body"] += message.get("body", b"")

    await app(scope, receive, send)
    return result


def endless(chunk: int = 64 * 1024) -> Iterator[bytes]:
    while True:
        yield b" " * chunk


async def test_declared_oversized_body_is_413_before_any_byte_is_read(app: FastAPI) -> None:
    answer = await call(app, "/api/v1/auth/register", endless(), content_length=100 * MB)
    assert answer["status"] == 413
    assert answer["chunks_read"] == 0
    assert answer["headers"]["connection"] == "close"
    assert json.loads(answer["body"])["code"] == "payload_too_large"


async def test_streamed_body_is_refused_as_soon_as_it_passes_the_limit(app: FastAPI) -> None:
    answer = await call(app, "/api/v1/auth/login", endless(), content_length=None)
    assert answer["status"] == 413
    assert answer["chunks_read"] <= MAX_JSON_BODY // (64 * 1024) + 1
    assert json.loads(answer["body"])["code"] == "payload_too_large"


def test_body_just_under_the_limit_is_read_and_validated(http: TestClient) -> None:
    name = "王" * ((MAX_JSON_BODY - 200) // 3)  # three UTF-8 bytes each
    body = json.dumps({"phone": "13712345678", "password": "Passw0rd", "name": name}, ensure_ascii=False)
    response = http.post("/api/v1/auth/register", content=body.encode(), headers={"Content-Type": "application/json"})
    assert (response.status_code, response.json()["code"]) == (422, "name_invalid")
    too_big = http.post("/api/v1/auth/register", content=b" " * (MAX_JSON_BODY + 1))
    assert (too_big.status_code, too_big.json()["code"]) == (413, "payload_too_large")


async def test_a_path_prefix_can_opt_into_a_larger_limit() -> None:
    async def size(request: Request) -> JSONResponse:
        return JSONResponse({"bytes": len(await request.body())})

    app = Starlette(routes=[Route("/uploads", size, methods=["POST"]), Route("/other", size, methods=["POST"])])
    limited = RequestLimitsMiddleware(app, body_limits_by_prefix={"/uploads": 3 * MB})

    async def post(path: str, total: int, declared: bool) -> dict[str, Any]:
        return await call(limited, path, iter([b"x" * MB] * (total // MB)), total if declared else None)

    for declared in (True, False):
        accepted = await post("/uploads", 2 * MB, declared)
        assert (accepted["status"], json.loads(accepted["body"])) == (200, {"bytes": 2 * MB})
        assert (await post("/uploads", 4 * MB, declared))["status"] == 413
        assert (await post("/other", 2 * MB, declared))["status"] == 413
    assert limited.limit_for("/uploads/123") == 3 * MB
    assert limited.limit_for("/other") == MAX_JSON_BODY


def test_too_many_headers_are_refused(http: TestClient) -> None:
    headers = {f"x-filler-{n}": "1" for n in range(MAX_HEADERS + 1)}
    response = http.get("/api/v1/health", headers=headers)
    assert (response.status_code, response.json()["code"]) == (431, "headers_too_large")
    assert http.get("/api/v1/health", headers=dict(list(headers.items())[:50])).status_code == 200


@pytest.fixture
def served(app: FastAPI) -> Iterator[tuple[FastAPI, int]]:
    """The app behind a real uvicorn socket, started the way `python -m server` and `main.py` start it."""

    @app.get("/boom", include_in_schema=False)
    def boom() -> None:
        raise RuntimeError("a bug")

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="critical", **server_options()))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    yield app, port
    server.should_exit = True
    thread.join(10)


def raw_exchange(port: int, request: bytes) -> bytes:
    """What the server answers before closing; empty when it reset the connection while we were still sending."""
    received = b""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        try:
            conn.sendall(request)
            while chunk := conn.recv(65536):
                received += chunk
        except (ConnectionResetError, BrokenPipeError):
            pass
    return received


def test_headers_over_16_kb_are_refused_by_the_server(served: tuple[FastAPI, int]) -> None:
    _, port = served
    over = b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * (17 * 1024) + b"\r\n\r\n"
    assert raw_exchange(port, over).startswith(b"HTTP/1.1 431")  # arrived whole: counted by the middleware
    huge = b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * (1024 * 1024) + b"\r\n\r\n"
    refused = raw_exchange(port, huge)  # never buffered past 16 KB: h11 answers 400 and closes mid-request
    assert refused == b"" or refused.startswith(b"HTTP/1.1 400")
    small = b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 8192 + b"\r\nConnection: close\r\n\r\n"
    assert raw_exchange(port, small).startswith(b"HTTP/1.1 200")


def test_oversized_upload_is_answered_without_waiting_for_its_body(served: tuple[FastAPI, int]) -> None:
    _, port = served
    head = (
        b"POST /api/v1/auth/register HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Content-Length: 104857600\r\n\r\n{"
    )
    answer = raw_exchange(port, head)  # the 100 MB never follow; the server answers and closes anyway
    assert answer.startswith(b"HTTP/1.1 413")
    assert b"connection: close" in answer.lower()


def test_a_500_says_connection_close_and_the_server_keeps_serving(served: tuple[FastAPI, int]) -> None:
    _, port = served
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", "/boom")
    failed = conn.getresponse()
    assert failed.status == 500
    assert failed.getheader("connection") == "close"
    assert json.loads(failed.read())["code"] == "internal_error"
    conn.close()
    again = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    again.request("GET", "/api/v1/health")
    assert again.getresponse().status == 200
    again.close()


def embedded_backend_config(monkeypatch: pytest.MonkeyPatch, settings: Settings) -> Any:
    """The uvicorn configuration `main.start_embedded_backend` would serve, without preparing or serving it."""
    configs: list[uvicorn.Config] = []

    class StartedServer:
        def __init__(self, config: uvicorn.Config) -> None:
            configs.append(config)
            self.started = True

        def run(self) -> None:
            pass

    monkeypatch.setattr(embedded, "prepare", lambda settings: None)
    monkeypatch.setattr(uvicorn, "Server", StartedServer)
    embedded.start_embedded_backend(settings)
    (config,) = configs
    return config


def test_both_ways_of_starting_the_server_apply_the_header_limits(
    monkeypatch: pytest.MonkeyPatch, settings: Settings
) -> None:
    started: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: started.append(kwargs))
    monkeypatch.setattr("server.lifecycle.prepare", lambda settings: None)
    for name, value in settings.to_env().items():  # serve() exports the settings for its workers: undo that
        monkeypatch.setenv(name, value)
    cli.serve(settings, "127.0.0.1", 8000, 1)

    config = embedded_backend_config(monkeypatch, settings)
    started.append({"http": config.http, "h11_max_incomplete_event_size": config.h11_max_incomplete_event_size})
    config.app.state.engine.dispose()
    for options in started:
        assert options["http"] == "h11"
        assert options["h11_max_incomplete_event_size"] == 16 * 1024
    assert len(started) == 2


def test_the_embedded_backend_believes_the_web_app_on_this_machine(
    monkeypatch: pytest.MonkeyPatch, settings: Settings
) -> None:
    """The web app forwards each citizen's address; the backend it starts counts per-address limits by that, and
    still believes no one else."""
    app = embedded_backend_config(monkeypatch, settings).app
    proxies = app.state.trusted_proxies
    assert proxies.trusts("127.0.0.1") and proxies.trusts("::1")
    assert not proxies.trusts("10.0.0.2") and not proxies.trusts("203.0.113.9")
    app.state.engine.dispose()
