"""The in-process read cache, entity tags, and the cache in front of the application."""

from fastapi.testclient import TestClient
from pydantic import BaseModel

from server.core.http_cache import JsonBody, ReadCache, content_changed, etag_matches


class Item(BaseModel):
    name: str


async def test_hits_until_the_ttl_then_loads_again() -> None:
    now = [100.0]
    cache = ReadCache(ttl=5, clock=lambda: now[0])
    loads: list[str] = []

    def load() -> JsonBody:
        loads.append("x")
        return JsonBody.of(Item(name=f"v{len(loads)}"))

    first = await cache.get_or_load("k", load)
    now[0] += 4.9
    assert await cache.get_or_load("k", load) is first
    now[0] += 0.2
    assert (await cache.get_or_load("k", load)).content == b'{"name":"v2"}'
    assert len(loads) == 2


async def test_content_changed_clears_every_cache_at_once() -> None:
    caches = [ReadCache(), ReadCache()]
    for cache in caches:
        await cache.get_or_load("k", lambda: JsonBody.of(Item(name="old")))
    content_changed()
    for cache in caches:
        assert (await cache.get_or_load("k", lambda: JsonBody.of(Item(name="new")))).content == b'{"name":"new"}'


async def test_a_load_that_overlapped_a_write_is_served_but_not_kept() -> None:
    cache = ReadCache()

    def load_during_write() -> JsonBody:
        cache.clear()  # a write commits while this load is reading
        return JsonBody.of(Item(name="maybe stale"))

    assert (await cache.get_or_load("k", load_during_write)).content == b'{"name":"maybe stale"}'
    assert (await cache.get_or_load("k", lambda: JsonBody.of(Item(name="fresh")))).content == b'{"name":"fresh"}'


async def test_keeps_at_most_max_entries_dropping_the_least_recently_used() -> None:
    cache = ReadCache(max_entries=2)
    await cache.get_or_load("a", lambda: JsonBody.of(Item(name="a")))
    await cache.get_or_load("b", lambda: JsonBody.of(Item(name="b")))
    await cache.get_or_load("a", lambda: JsonBody.of(Item(name="reloaded a")))  # touch a: b is now oldest
    await cache.get_or_load("c", lambda: JsonBody.of(Item(name="c")))
    assert (await cache.get_or_load("a", lambda: JsonBody.of(Item(name="?")))).content == b'{"name":"a"}'
    assert (await cache.get_or_load("b", lambda: JsonBody.of(Item(name="b again")))).content == b'{"name":"b again"}'


def test_etags_are_body_hashes_and_if_none_match_follows_rfc_9110() -> None:
    body = JsonBody.of(Item(name="社保"))
    assert body == JsonBody.of(Item(name="社保"))
    assert body.etag != JsonBody.of(Item(name="医保")).etag
    assert etag_matches(body.etag, body.etag)
    assert etag_matches(f'"x", W/{body.etag}', body.etag)
    assert etag_matches("*", body.etag)
    assert not etag_matches('"x"', body.etag)
    assert not etag_matches(None, body.etag)


def test_repeated_public_reads_are_answered_from_memory(http: TestClient) -> None:
    path = "/api/v1/articles?limit=2"
    first = http.get(path)
    engine = http.app.state.engine  # type: ignore[attr-defined]
    http.app.state.engine = None  # type: ignore[attr-defined]  # any read that reaches a route now fails
    try:
        again = http.get(path)
        revalidated = http.get(path, headers={"If-None-Match": first.headers["etag"]})
        direct = TestClient(http.app, raise_server_exceptions=False)
        personal = direct.get(path, headers={"Authorization": "Bearer x"})
        no_cache = direct.get(path, headers={"Cache-Control": "no-cache"})
    finally:
        http.app.state.engine = engine  # type: ignore[attr-defined]
    assert again.status_code == 200 and again.content == first.content
    assert again.headers["etag"] == first.headers["etag"] and again.headers["x-request-id"]
    assert again.headers["cache-control"] == first.headers["cache-control"]
    assert revalidated.status_code == 304 and revalidated.content == b""
    assert personal.status_code == 500, "a request with credentials never uses the shared cache"
    assert no_cache.status_code == 500, "no-cache asks the application itself"


def test_errors_are_not_kept(http: TestClient) -> None:
    assert http.get("/api/v1/articles/999999").status_code == 404
    assert http.get("/api/v1/articles", params={"topic": "nope"}).status_code == 422
    assert len(http.app.state.read_cache._entries) == 0  # type: ignore[attr-defined]
