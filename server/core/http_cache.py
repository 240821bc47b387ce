"""Conditional requests (ETag, If-None-Match, 304) and an in-process cache for hot read paths.

The ETag is a hash of the exact response body, so every worker and both databases give equal bodies
equal tags, and a client revalidating after a restart still gets its 304.

`ReadCache` keeps recent response bodies for at most `ttl` seconds (DEFAULT_TTL, 5 s). A write made
in this process clears every cache at once (`content_changed`); a write made elsewhere (another
uvicorn worker, the `seed` command) is served stale for at most the TTL. Browsers and proxies may add
their `max-age` on top of that, which is why list responses carry a short one.
"""

import hashlib
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from fastapi import FastAPI, Request, Response
from pydantic import BaseModel

NOT_MODIFIED: dict[int | str, dict[str, str]] = {304: {"description": "Not modified: the If-None-Match tag is current"}}
DEFAULT_TTL = 5.0
DEFAULT_MAX_ENTRIES = 2048

_registry: "weakref.WeakSet[ReadCache]" = weakref.WeakSet()
_registry_lock = threading.Lock()
_app_caches_lock = threading.Lock()


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


class ReadCache:
    """A small LRU of response bodies with a time-to-live; loads run outside the lock."""

    def __init__(
        self,
        ttl: float = DEFAULT_TTL,
        max_entries: int = DEFAULT_MAX_ENTRIES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self._clock = clock
        self._entries: OrderedDict[Hashable, tuple[float, JsonBody]] = OrderedDict()
        self._lock = threading.Lock()
        with _registry_lock:
            _registry.add(self)

    @classmethod
    def of_app(cls, app: FastAPI, name: str) -> "ReadCache":
        """The app's cache called `name`, made on first use."""
        with _app_caches_lock:
            caches: dict[str, ReadCache] | None = getattr(app.state, "read_caches", None)
            if caches is None:
                caches = app.state.read_caches = {}
            if name not in caches:
                caches[name] = cls()
            return caches[name]

    def get_or_load(self, key: Hashable, load: Callable[[], JsonBody]) -> JsonBody:
        now = self._clock()
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry[0] > now:
                self._entries.move_to_end(key)
                return entry[1]
        body = load()
        with self._lock:
            self._entries[key] = (now + self.ttl, body)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return body

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def content_changed() -> None:
    """Forget every cached body in this process; call after committing a write to published content."""
    with _registry_lock:
        caches = list(_registry)
    for cache in caches:
        cache.clear()
