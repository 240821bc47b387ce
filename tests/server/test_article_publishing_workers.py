"""A write through one worker reaches another worker's search and cached reads within the cache's staleness
bound: the app here and a uvicorn process of its own over one PostgreSQL database, as `--workers 2` runs."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from server.app import create_app
from server.config import Settings
from server.core.http_cache import DEFAULT_TTL
from tests.conftest import _reset_postgres
from tests.server.application_world import make_people
from tests.server.article_corpus import load_corpus
from tests.server.test_article_publishing import draft

STARTUP_SECONDS = 60
SLACK_SECONDS = 2.0  # polling interval and request time on a busy machine


@pytest.fixture
def pg_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    url = request.getfixturevalue("postgres_database")
    _reset_postgres(url)
    return Settings(database_url=url, data_dir=tmp_path)


@pytest.fixture
def other_worker(pg_settings: Settings) -> Iterator[httpx.Client]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "server.app:app_from_env",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        env={**os.environ, **pg_settings.to_env()},
    )
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}/api/v1", timeout=10) as client:
            deadline = time.monotonic() + STARTUP_SECONDS
            while True:
                try:
                    if client.get("/health").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline, "the second worker did not start"
                time.sleep(0.2)
            yield client
    finally:
        worker.terminate()
        worker.wait(timeout=20)


def test_a_write_through_one_worker_is_seen_by_the_other_within_the_bound(
    pg_settings: Settings, other_worker: httpx.Client
) -> None:
    load_corpus(pg_settings)
    people = make_people(pg_settings)
    topic = {"topic": "jycy", "limit": 100}

    def seen() -> dict[str, Any]:
        return {
            "list": [item["id"] for item in other_worker.get("/articles", params=topic).json()["items"]],
            "search": [item["id"] for item in other_worker.get("/search", params={"q": "鲟鳇鱼"}).json()["items"]],
            "title": other_worker.get("/articles/1").json()["title"],
        }

    before = seen()  # now in the other worker's read cache
    assert before["search"] == [] and before["title"] == "辽宁省城乡居民基本养老保险实施办法"
    app = create_app(pg_settings)
    try:
        with TestClient(app) as http:
            created = http.post("/api/v1/articles", json=draft(), headers=people["rst"])
            assert created.status_code == 201, created.text
            new_id = created.json()["id"]
            patched = http.patch(
                "/api/v1/articles/1", json={"title": "辽宁省城乡居民基本养老保险经办规程"}, headers=people["rst"]
            )
            assert patched.status_code == 200, patched.text
            written = time.monotonic()
    finally:
        app.state.engine.dispose()
    while True:
        now = seen()
        if new_id in now["list"] and now["search"][:1] == [new_id] and now["title"].endswith("经办规程"):
            break
        assert time.monotonic() - written < DEFAULT_TTL + SLACK_SECONDS, now
        time.sleep(0.25)
    assert now["list"][0] == new_id
