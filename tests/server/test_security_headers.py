"""Headers on every API answer (SQLite and PostgreSQL): no sniffing, no referrer, nothing personal cached, and
cross-origin access closed unless configured."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from server.app import create_app
from server.config import Settings
from tests.server.article_corpus import load_corpus
from tests.server.test_accounts import PASSWORD, bearer, register

ORIGIN = "https://gov.example.cn"


def assert_hardened(headers: dict[str, str] | object) -> None:
    assert headers["x-content-type-options"] == "nosniff"  # type: ignore[index]
    assert headers["referrer-policy"] == "no-referrer"  # type: ignore[index]


def test_personal_answers_are_never_stored(http: TestClient) -> None:
    tokens = register(http)
    answers = [
        http.post("/api/v1/auth/login", json={"phone": "13712345678", "password": PASSWORD}),
        http.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}),
        http.get("/api/v1/me", headers=bearer(tokens)),
        http.patch("/api/v1/me", json={"address": "沈阳市"}, headers=bearer(tokens)),
        http.get("/api/v1/me"),
        http.post("/api/v1/auth/login", json={"phone": "13712345678", "password": "wrong1234"}),
    ]
    for response in answers:
        assert response.headers["cache-control"] == "no-store", response.request.url
        assert_hardened(response.headers)


def test_public_reads_keep_their_own_caching(http: TestClient, settings: Settings) -> None:
    load_corpus(settings)
    for path, cache_control in (
        ("/api/v1/articles", "public, max-age=10"),
        ("/api/v1/articles/1", "public, max-age=60"),
        ("/api/v1/search?q=社保", "public, max-age=30"),
    ):
        first, cached = http.get(path), http.get(path)
        for response in (first, cached):
            assert response.headers["cache-control"] == cache_control
            assert_hardened(response.headers)
    missing = http.get("/api/v1/articles/999999")
    assert (missing.status_code, missing.headers["cache-control"]) == (404, "no-store")


def test_cross_origin_access_is_closed_by_default(http: TestClient) -> None:
    preflight = http.options(
        "/api/v1/me",
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "authorization",
        },
    )
    assert "access-control-allow-origin" not in preflight.headers
    read = http.get("/api/v1/health", headers={"Origin": ORIGIN})
    assert read.status_code == 200
    assert "access-control-allow-origin" not in read.headers


@pytest.fixture
def cors_http(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setenv("YIWANG_CORS_ORIGINS", f"{ORIGIN}, https://other.example.cn")
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    configured = Settings.resolve(data_dir=settings.data_dir)
    assert configured.cors_origins == (ORIGIN, "https://other.example.cn")
    assert configured.to_env()["YIWANG_CORS_ORIGINS"] == f"{ORIGIN},https://other.example.cn"
    app = create_app(configured)
    with TestClient(app) as client:
        yield client
    app.state.engine.dispose()


def test_configured_origins_may_call_the_api(cors_http: TestClient) -> None:
    preflight = cors_http.options(
        "/api/v1/me",
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "PATCH",
            "Access-Control-Request-Headers": "authorization,idempotency-key",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == ORIGIN
    read = cors_http.get("/api/v1/health", headers={"Origin": ORIGIN})
    assert read.headers["access-control-allow-origin"] == ORIGIN
    assert "x-request-id" in read.headers["access-control-expose-headers"].lower()
    stranger = cors_http.get("/api/v1/health", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in stranger.headers
