"""公开信箱 and 数据公开 for the views: reads anyone may make, each first page kept on the device for offline reading
(like 政务公开's feed), since people open the mailbox to read what others were answered."""

import json
from dataclasses import asdict, dataclass

from api_client import AsyncClient, ops
from api_client.models import (
    APPEAL_CATEGORIES,
    APPEAL_TYPES,
    AppealCategory,
    AppealStats,
    AppealType,
    Page,
    PublicAppeal,
    SearchPage,
)
from app.device_cache import DeviceCache, Reading

PAGE_SIZE = 20


@dataclass(frozen=True)
class MailboxFilters:
    appeal_type: AppealType | None = None
    category: AppealCategory | None = None
    department: str | None = None

    @classmethod
    def from_query(cls, query: dict[str, str]) -> "MailboxFilters":
        """The route's `type`, `category` and `department`; an unknown type or category is no filter."""
        appeal_type = next((t for t in APPEAL_TYPES if t == query.get("type")), None)
        category = next((c for c in APPEAL_CATEGORIES if c == query.get("category")), None)
        return cls(appeal_type, category, query.get("department") or None)

    def query(self) -> dict[str, str]:
        """The route query that gives these filters back."""
        values = {"type": self.appeal_type, "category": self.category, "department": self.department}
        return {k: v for k, v in values.items() if v}


class PublicMailbox:
    def __init__(self, api: AsyncClient, cache: DeviceCache) -> None:
        self._api = api
        self._cache = cache

    async def appeals(self, filters: MailboxFilters, cursor: str | None = None) -> Reading[Page[PublicAppeal]]:
        """Newest first; the first page of each filter set is kept on the device, later pages need the network."""
        op = ops.appeals.public_appeals(
            filters.category, filters.appeal_type, filters.department, cursor=cursor, limit=PAGE_SIZE
        )
        if cursor is not None:
            return Reading(await self._api.send(op))
        key = "public-appeals:" + json.dumps(asdict(filters), ensure_ascii=False, sort_keys=True)
        return await self._cache.read(self._api, key, op, Page[PublicAppeal])

    async def appeal(self, number: str) -> Reading[PublicAppeal]:
        return await self._cache.read(
            self._api, f"public-appeal:{number}", ops.appeals.public_appeal(number), PublicAppeal
        )

    async def search(self, query: str, cursor: str | None = None) -> Reading[SearchPage]:
        """Questions as people type them (`scope=appeals`); the first page of each is kept like the list's."""
        op = ops.search.search(query, scope="appeals", cursor=cursor, limit=PAGE_SIZE)
        if cursor is not None:
            return Reading(await self._api.send(op))
        return await self._cache.read(self._api, "appeal-search:" + query, op, SearchPage)

    async def stats(self) -> Reading[AppealStats]:
        return await self._cache.read(self._api, "appeal-stats", ops.appeals.stats(), AppealStats)
