"""The in-process read cache, entity tags, and the cache in front of the application."""

from fastapi.testclient import TestClient
from pydantic import BaseModel

from server.core.http_cache import JsonBody, ReadCache, content_changed, etag_matches


class Item(BaseModel):
    name: str


def keep(cache: ReadCache[str], key: str, value: str) -> None:
    """What the middleware does on a miss: read the generation, load, store under that generation."""
    _, generation = cache.lookup(key)
    cache.store(key, value, generation)


def test_hits_until_the_ttl_then_misses() -> None:
    now = [100.0]
    cache: ReadCache[str] = ReadCache(ttl=5, clock=lambda: now[0])
    keep(cache, "k", "v1")
    now[0] += 4.9
    assert cache.lookup("k")[0] == "v1"
    now[0] += 0.2
    assert cache.lookup("k")[0] is None


def test_content_changed_clears_every_cache_at_once() -> None:
    caches: list[ReadCache[str]] = [ReadCache(), ReadCache()]
    for cache in caches:
        keep(cache, "k", "old")
    content_changed()
    assert [cache.lookup("k")[0] for cache in caches] == [None, None]


def test_a_load_that_overlapped_a_write_is_not_kept() -> None:
    cache: ReadCache[str] = ReadCache()
    _, generation = cache.lookup("k")
    cache.clear()  # a write commits while the load is reading
    cache.store("k", "maybe stale", generation)
    assert cache.lookup("k")[0] is None


def test_keeps_at_most_max_entries_dropping_the_least_recently_used() -> None:
    cache: ReadCache[str] = ReadCache(max_entries=2)
    keep(cache, "a", "a")
    keep(cache, "b", "b")
    assert cache.lookup("a")[0] == "a"  # touch a: b is now the oldest
    keep(cache, "c", "c")
    assert (cache.lookup("a")[0], cache.lookup("b")[0], cache.lookup("c")[0]) == ("a", None, "c")


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
