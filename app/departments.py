"""The department directory, fetched once per session (it changes a few times a year) and kept on the
device so that filters and lists that name departments work offline."""

from api_client import AsyncClient, ops
from api_client.models import Department, Page
from app.device_cache import DeviceCache


class DepartmentDirectory:
    def __init__(self, api: AsyncClient, cache: DeviceCache) -> None:
        self._api = api
        self._cache = cache
        self._departments: list[Department] | None = None

    async def all(self) -> list[Department]:
        if self._departments is None:
            first = await self._cache.read(
                self._api, "departments", ops.departments.list_departments(limit=100), Page[Department]
            )
            departments, cursor = list(first.value.items), first.value.next_cursor
            while cursor:
                page = await self._api.send(ops.departments.list_departments(cursor=cursor, limit=100))
                departments += page.items
                cursor = page.next_cursor
            self._departments = departments
        return self._departments
