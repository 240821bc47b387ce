"""消息 for the views: the inbox, marking read, and the unread count behind the badge on 我的."""

from api_client import AsyncClient, YiwangError, ops
from api_client.models import NotificationPage


class NotificationService:
    def __init__(self, api: AsyncClient) -> None:
        self._api = api

    async def inbox(self, cursor: str | None = None) -> NotificationPage:
        return await self._api.send(ops.notifications.inbox(cursor))

    async def unread_count(self) -> int:
        return (await self._api.send(ops.notifications.inbox(limit=1))).unread_count

    async def count_quietly(self) -> int:
        """For the badge at start-up: offline (or any API refusal) the badge waits for the next count."""
        try:
            return await self.unread_count()
        except YiwangError:
            return 0

    async def mark_read(self, notification_id: int) -> None:
        await self._api.send(ops.notifications.mark_read([notification_id]))

    async def mark_all_read(self) -> None:
        await self._api.send(ops.notifications.mark_read(everything=True))
