"""What the app keeps on the citizen's device so that reading works with no network.

It lives in `ft.SharedPreferences`: the browser's localStorage in web mode, the platform's preferences
store on desktop and mobile. Entries are JSON with the time they were fetched; the oldest are dropped
once more than `capacity` are kept, so a phone's small quota is never exceeded.

A feature keeps a read for offline use by asking through the cache instead of the client::

    reading = await ctx.cache.read(ctx.api, "service-item:123", ops.service_items.get(...), ServiceItem)
    reading.value       # the server's answer, or the device's copy when offline
    reading.offline     # True for the device's copy: show `offline_banner(reading, t)`

With no copy and no network, `read` raises the client's `APIConnectionError` like a plain `send`.
"""

import asyncio
import datetime as dt
import json
from dataclasses import dataclass
from typing import Generic, TypeVar

import flet as ft
from pydantic import BaseModel, TypeAdapter, ValidationError

from api_client import APIConnectionError, AsyncClient, NotModified, Operation

ModelT = TypeVar("ModelT", bound=BaseModel)
ValueT_co = TypeVar("ValueT_co", covariant=True)

PREFIX = "yiwang.cache."
INDEX_KEY = "yiwang.cache-index"


@dataclass(frozen=True)
class Cached(Generic[ModelT]):
    value: ModelT
    fetched_at: dt.datetime
    etag: str | None = None


@dataclass(frozen=True)
class Reading(Generic[ValueT_co]):
    """What a screen shows: the value, and whether it is the device's copy from `fetched_at`."""

    value: ValueT_co
    offline: bool = False
    fetched_at: dt.datetime | None = None


class DeviceCache:
    def __init__(self, preferences: ft.SharedPreferences, capacity: int = 200) -> None:
        self._preferences = preferences
        self._capacity = capacity
        self._index_lock = asyncio.Lock()  # screens load in parallel: one index update at a time

    async def put(self, key: str, value: BaseModel, etag: str | None = None) -> None:
        entry = {"at": dt.datetime.now(dt.UTC).isoformat(), "etag": etag, "value": value.model_dump(mode="json")}
        await self._preferences.set(PREFIX + key, json.dumps(entry, ensure_ascii=False))
        async with self._index_lock:
            index = [k for k in await self._index() if k != key] + [key]
            for stale in index[: -self._capacity]:
                await self._preferences.remove(PREFIX + stale)
            await self._preferences.set(INDEX_KEY, json.dumps(index[-self._capacity :]))

    async def get(self, key: str, model: type[ModelT]) -> Cached[ModelT] | None:
        """The cached value, or None when absent or written by an older, incompatible version."""
        raw = await self._preferences.get(PREFIX + key)
        if not isinstance(raw, str):
            return None
        try:
            entry = json.loads(raw)
            value = TypeAdapter(model).validate_python(entry["value"])
            return Cached(value, dt.datetime.fromisoformat(entry["at"]), entry.get("etag"))
        except (ValueError, KeyError, TypeError, ValidationError):
            return None

    async def read(self, api: AsyncClient, key: str, op: Operation[ModelT], model: type[ModelT]) -> Reading[ModelT]:
        """Online: the server's answer (a 304 reuses the device copy). Offline: the device copy, marked so."""
        cached = await self.get(key, model)
        try:
            result = await api.send_conditional(op, cached.etag if cached else None)
        except APIConnectionError:
            if cached is None:
                raise
            return Reading(cached.value, offline=True, fetched_at=cached.fetched_at)
        if isinstance(result, NotModified) and cached is not None:
            return Reading(cached.value)
        if isinstance(result, NotModified):  # the copy vanished between the two calls: ask plainly
            return Reading(await api.send(op))
        await self.put(key, result.value, result.etag)
        return Reading(result.value)

    async def _index(self) -> list[str]:
        raw = await self._preferences.get(INDEX_KEY)
        try:
            index = json.loads(raw) if isinstance(raw, str) else []
        except ValueError:
            return []
        return [k for k in index if isinstance(k, str)]
