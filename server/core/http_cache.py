"""Conditional requests (ETag, If-None-Match, 304) and an in-process cache for hot read paths.

The ETag is a hash of the exact response body, so every worker and both databases give equal bodies
equal tags, and a client revalidating after a restart still gets its 304.

`ReadCache` keeps recent values for at most `ttl` seconds (DEFAULT_TTL, 5 s). A write made in this
process clears every cache at once (`content_changed`); a write made elsewhere (another uvicorn worker,
the `seed` command) is served stale for at most the TTL. Browsers and proxies may add their `max-age` on
top of that, which is why list responses carry a short one.

`CachedReadsMiddleware` puts such a cache in front of the whole application for public reads: a repeated
GET of an article, a list page or a search is answered before routing, which on a cached read costs
more than the handler itself.
"""

import hashlib
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Generic, TypeVar

from fastapi import Request, Response
from pydantic import BaseModel
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

NOT_MODIFIED: dict[int | str, dict[str, str]] = {304: {"description": "Not modified: the If-None-Match tag is current"}}
DEFAULT_TTL = 5.0
DEFAULT_MAX_ENTRIES = 2048

ValueT = TypeVar("ValueT")

_registry: "weakref.WeakSet[ReadCache[object]]" = weakref.WeakSet()
_registry_lock = threading.Lock()


@dataclass(frozen=True)
class JsonBody:
    """A serialized response and its entity tag."""

    content: bytes
    etag: str

    @classmethod
    def of(cls, model: BaseModel) -> "JsonBody":
        content = model.model_dump_json().encode()
        return cls(content, '"' + hashlib.blake2b(content, digest_size=16).hexdigest() + '"')


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """RFC 9110 weak comparison: `*`, or any listed tag equal to ours with or without W/."""
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    return any(tag.strip().removeprefix("W/") == etag for tag in if_none_match.split(","))


def conditional_response(request: Request, body: JsonBody, cache_control: str) -> Response:
    """200 with the body, or 304 without it when the client already holds this version."""
    headers = {"ETag": body.etag, "Cache-Control": cache_control}
    if etag_matches(request.headers.get("if-none-match"), body.etag):
        return Response(status_code=304, headers=headers)
    return Response(body.content, media_type="application/json", headers=headers)


class ReadCache(Generic[ValueT]):
    """A small LRU with a time-to-live. A value loaded while a `clear` happened is not kept: `store` takes the
    generation that `lookup` reported before the load."""

    def __init__(
        self,
        ttl: float = DEFAULT_TTL,
        max_entries: int = DEFAULT_MAX_ENTRIES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self.clock = clock  # replaceable, for tests of expiry
        self._entries: OrderedDict[Hashable, tuple[float, ValueT]] = OrderedDict()
        self._generation = 0
        self._lock = threading.Lock()
        with _registry_lock:
            _registry.add(self)  # type: ignore[arg-type]

    def lookup(self, key: Hashable) -> tuple[ValueT | None, int]:
        """The fresh value for `key` (or None), and the generation a value loaded now must be stored under."""
        now = self.clock()
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry[0] > now:
                self._entries.move_to_end(key)
                return entry[1], self._generation
            return None, self._generation

    def store(self, key: Hashable, value: ValueT, generation: int) -> None:
        """Keeps `value` unless the content changed since `generation` was read."""
        with self._lock:
            if generation == self._generation:
                self._entries[key] = (self.clock() + self.ttl, value)
                self._entries.move_to_end(key)
                while len(self._entries) > self.max_entries:
                    self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._generation += 1


@dataclass(frozen=True)
class CachedResponse:
    body: JsonBody
    cache_control: str


class CachedReadsMiddleware:
    """Answers repeated anonymous GETs under `prefixes` from memory, with ETag and 304, before routing.

    Only 200 answers that the application itself marked `public` and tagged are kept, so what is cached
    is exactly what the routes decided may be cached; errors and personal data never are. A request with
    `Cache-Control: no-cache` goes to the application (and refreshes the copy), as HTTP caches do.
    """

    def __init__(self, app: ASGIApp, prefixes: tuple[str, ...], cache: ReadCache[CachedResponse] | None = None):
        self.app = app
        self.prefixes = prefixes
        self.cache = cache or ReadCache()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or not scope["path"].startswith(self.prefixes):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        if "authorization" in headers:
            await self.app(scope, receive, send)
            return
        key = (scope["path"], scope["query_string"])
        cached, generation = self.cache.lookup(key)
        if cached is not None and "no-cache" not in headers.get("cache-control", ""):
            await self._answer(cached, headers.get("if-none-match"), send)
            return
        await self.app(scope, receive, self._keeping(key, generation, send))

    async def _answer(self, cached: CachedResponse, if_none_match: str | None, send: Send) -> None:
        fresh = etag_matches(if_none_match, cached.body.etag)
        response_headers = [
            (b"etag", cached.body.etag.encode()),
            (b"cache-control", cached.cache_control.encode()),
        ]
        if not fresh:
            response_headers += [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(cached.body.content)).encode()),
            ]
        await send({"type": "http.response.start", "status": 304 if fresh else 200, "headers": response_headers})
        await send({"type": "http.response.body", "body": b"" if fresh else cached.body.content})

    def _keeping(self, key: Hashable, generation: int, send: Send) -> Send:
        state: dict[str, object] = {}
        parts: list[bytes] = []

        async def send_and_keep(message: Message) -> None:
            if message["type"] == "http.response.start":
                response_headers = Headers(raw=message.get("headers", []))
                cache_control = response_headers.get("cache-control", "")
                if message["status"] == 200 and "etag" in response_headers and cache_control.startswith("public"):
                    state.update(etag=response_headers["etag"], cache_control=cache_control)
            elif message["type"] == "http.response.body" and state:
                parts.append(message.get("body", b""))
                if not message.get("more_body", False):
                    body = JsonBody(b"".join(parts), str(state["etag"]))
                    self.cache.store(key, CachedResponse(body, str(state["cache_control"])), generation)
            await send(message)

        return send_and_keep


def content_changed() -> None:
    """Forget every cached body in this process; call after committing a write to published content."""
    with _registry_lock:
        caches = list(_registry)
    for cache in caches:
        cache.clear()
