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
    """The app's connection to the in-process API, which a test can cut (`online = False`)."""

    def __init__(self) -> None:
        self.inner: httpx.AsyncBaseTransport | None = None
        self.online = True
        self.delay = 0.0
        self.sent: list[str] = []
        """"METHOD /path" of every request the app made, in order."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(f"{request.method} {request.url.path}")
        await asyncio.sleep(self.delay)
        if not self.online or self.inner is None:
            raise httpx.ConnectError("network is down", request=request)
        return await self.inner.handle_async_request(request)


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
