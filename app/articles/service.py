"""政务公开 for the views: reads that fall back to the device cache, bookmarks, history, followed topics."""

import asyncio
import datetime as dt
import json

import flet as ft
from pydantic import TypeAdapter, ValidationError

from api_client import APIConnectionError, AsyncClient, ops
from api_client.models import ArticleDetail, ArticleFilters, ArticleSummary, Page, SearchPage, Topic
from app.device_cache import DeviceCache, Reading

BOOKMARKS_KEY = "yiwang.bookmarks"
HISTORY_KEY = "yiwang.search-history"
FOLLOWED_KEY = "yiwang.followed-topics"
LAST_VISIT_KEY = "yiwang.last-visit"
TEXT_SCALE_KEY = "yiwang.text-scale"
HISTORY_SIZE = 10
PAGE_SIZE = 20

_BOOKMARKS = TypeAdapter(list[ArticleDetail])


def filters_key(filters: ArticleFilters) -> str:
    return "articles:" + json.dumps(filters.model_dump(mode="json", exclude_none=True), sort_keys=True)


class ArticleService:
    def __init__(self, api: AsyncClient, preferences: ft.SharedPreferences, cache: DeviceCache) -> None:
        self._api = api
        self._preferences = preferences
        self._cache = cache
        self._topics: list[Topic] | None = None
        self._previous_visit: dt.date | None = None

    async def articles(self, filters: ArticleFilters, cursor: str | None = None) -> Reading[Page[ArticleSummary]]:
        """The first page of each filter set is kept for offline reading; later pages need the network."""
        op = ops.articles.list_articles(filters, cursor=cursor, limit=PAGE_SIZE)
        if cursor is not None:
            return Reading(await self._api.send(op))
        return await self._cache.read(self._api, filters_key(filters), op, Page[ArticleSummary])

    async def article(self, article_id: int) -> Reading[ArticleDetail]:
        """Bookmarked articles stay readable offline even after the cache has let them go."""
        try:
            reading = await self._cache.read(
                self._api, f"article:{article_id}", ops.articles.get_article(article_id), ArticleDetail
            )
        except APIConnectionError:
            bookmarked = next((b for b in await self.bookmarks() if b.id == article_id), None)
            if bookmarked is None:
                raise
            return Reading(bookmarked, offline=True)
        if reading.offline:
            return reading
        if await self.is_bookmarked(article_id):  # keep the bookmarked copy current
            await self._store_bookmark(reading.value)
        return reading

    async def topics(self) -> list[Topic]:
        if self._topics is None:
            self._topics = (
                await self._cache.read(self._api, "topics", ops.articles.list_topics(), Page[Topic])
            ).value.items
        return self._topics

    async def search(self, query: str, cursor: str | None = None) -> Reading[SearchPage]:
        """Like the feed, the first page of each search is kept for offline reading."""
        op = ops.search.search(query, cursor=cursor, limit=PAGE_SIZE)
        if cursor is not None:
            return Reading(await self._api.send(op))
        return await self._cache.read(self._api, "search:" + query, op, SearchPage)

    # Bookmarks: whole articles, so that they can be read offline.
    async def bookmarks(self) -> list[ArticleDetail]:
        raw = await self._preferences.get(BOOKMARKS_KEY)
        try:
            return _BOOKMARKS.validate_json(raw) if isinstance(raw, str) else []
        except ValidationError:
            return []

    async def is_bookmarked(self, article_id: int) -> bool:
        return any(b.id == article_id for b in await self.bookmarks())

    async def toggle_bookmark(self, article: ArticleDetail) -> bool:
        """Adds or removes the bookmark; True when the article is now bookmarked."""
        if await self.is_bookmarked(article.id):
            kept = [b for b in await self.bookmarks() if b.id != article.id]
            await self._preferences.set(BOOKMARKS_KEY, _BOOKMARKS.dump_json(kept).decode())
            return False
        await self._store_bookmark(article)
        return True

    async def _store_bookmark(self, article: ArticleDetail) -> None:
        others = [b for b in await self.bookmarks() if b.id != article.id]
        await self._preferences.set(BOOKMARKS_KEY, _BOOKMARKS.dump_json([article, *others]).decode())

    # Search history, newest first.
    async def history(self) -> list[str]:
        return await self._string_list(HISTORY_KEY)

    async def remember_search(self, query: str) -> None:
        history = [query, *(q for q in await self.history() if q != query)][:HISTORY_SIZE]
        await self._preferences.set(HISTORY_KEY, history)

    async def clear_history(self) -> None:
        await self._preferences.remove(HISTORY_KEY)

    # Followed topics and what is new in them since the last visit.
    async def followed_topics(self) -> list[str]:
        return await self._string_list(FOLLOWED_KEY)

    async def set_followed(self, codes: list[str]) -> None:
        await self._preferences.set(FOLLOWED_KEY, codes)

    async def new_since_last_visit(self, today: dt.date) -> dict[str, int]:
        """Per followed topic, articles published since the previous visit's day (at most one page each).

        The previous visit is read once per session and today's date stored, so re-opening 首页
        in the same session keeps showing the same counts.
        """
        if self._previous_visit is None:
            stored = await self._preferences.get(LAST_VISIT_KEY)
            self._previous_visit = dt.date.fromisoformat(stored) if isinstance(stored, str) else today
            await self._preferences.set(LAST_VISIT_KEY, today.isoformat())
        codes = await self.followed_topics()
        pages = await asyncio.gather(  # one round trip's wait for all topics, not one per topic
            *(
                self._api.send(
                    ops.articles.list_articles(
                        ArticleFilters(topic=code, published_from=self._previous_visit), limit=100
                    )
                )
                for code in codes
            )
        )
        return {code: len(page.items) for code, page in zip(codes, pages, strict=True)}

    async def text_scale(self) -> float:
        value = await self._preferences.get(TEXT_SCALE_KEY)
        return float(value) if isinstance(value, int | float) else 1.0

    async def set_text_scale(self, scale: float) -> None:
        await self._preferences.set(TEXT_SCALE_KEY, scale)

    async def _string_list(self, key: str) -> list[str]:
        value = await self._preferences.get(key)
        return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []
