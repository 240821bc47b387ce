"""The department directory, fetched once per session: it changes a few times a year."""

from api_client import AsyncClient, ops
from api_client.models import Department


class DepartmentDirectory:
    def __init__(self, api: AsyncClient) -> None:
        self._api = api
        self._departments: list[Department] | None = None

    async def all(self) -> list[Department]:
        if self._departments is None:
            page = await self._api.send(ops.departments.list_departments(limit=100))
            departments = list(page.items)
            while page.next_cursor:
                page = await self._api.send(ops.departments.list_departments(cursor=page.next_cursor, limit=100))
                departments += page.items
            self._departments = departments
        return self._departments
