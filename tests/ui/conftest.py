"""UI tests run the real app against the real API in-process, on a SQLite copy with the departments."""

import asyncio
import shutil
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.main import create_main
from server.app import create_app
from server.config import Settings
from server.db import make_engine
from server.seed.articles import seed_articles
from tests.ui.harness import FletHarness

AppFactory = Callable[..., FletHarness]


ARTICLES = 160  # by then the generator has replaced (repealed) a document: 7 by 75


class Network(httpx.AsyncBaseTransport):
    """The app's connection to the in-process API, which a test can cut (`online = False`), and which can lose the
    answers to the POSTs on `lossy_path` after the server did the work (`lose_answers`), as a phone network does."""

    def __init__(self, lossy_path: str | None = None) -> None:
        self.inner: httpx.AsyncBaseTransport | None = None
        self.online = True
        self.delay = 0.0
        self.sent: list[str] = []
        """"METHOD /path" of every request the app made, in order."""
        self.writes: list[tuple[str, str]] = []
        """(path, Idempotency-Key) of every write the app sent, in order."""
        self.lossy_path = lossy_path
        self.lose_answers = 0
        self.created: list[dict[str, Any]] = []
        """The bodies of the 201 answers to `lossy_path`, heard or lost."""

    def keys_sent(self, path: str) -> list[str]:
        """The Idempotency-Keys of the writes sent to exactly `path`."""
        return [key for sent_to, key in self.writes if sent_to == path]

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(f"{request.method} {request.url.path}")
        await asyncio.sleep(self.delay)
        if not self.online or self.inner is None:
            raise httpx.ConnectError("network is down", request=request)
        if request.method in ("POST", "PUT", "PATCH", "DELETE"):
            self.writes.append((request.url.path, request.headers.get("idempotency-key", "")))
        response = await self.inner.handle_async_request(request)
        if request.method != "POST" or request.url.path != self.lossy_path:
            return response
        await response.aread()
        if response.status_code == 201:
            self.created.append(response.json())
        if self.lose_answers:
            self.lose_answers -= 1
            raise httpx.ReadError("the answer was lost", request=request)
        return response


@pytest.fixture(scope="session")
def ui_template(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Path:
    """The departments plus generated articles (policies, notices, news, interpretations)."""
    path = tmp_path_factory.mktemp("ui-template") / "yiwang.db"
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    seed_articles(engine, ARTICLES)
    engine.dispose()
    return path


@pytest.fixture
def network() -> Network:
    return Network()


@pytest.fixture
async def ui(tmp_path: Path, ui_template: Path, network: Network) -> AsyncIterator[AppFactory]:
    """`ui(route=..., width=...)` -> a harness running the app over a fresh backend."""
    shutil.copy(ui_template, tmp_path / "yiwang.db")
    backend = create_app(Settings.resolve(data_dir=tmp_path))
    network.inner = httpx.ASGITransport(app=backend)

    def make(**options: Any) -> FletHarness:
        options.setdefault("settle_timeout", 10)  # settle ends when the app is idle; this only bounds a busy machine
        return FletHarness(create_main("http://testserver", transport=network), **options)

    yield make
    backend.state.engine.dispose()
