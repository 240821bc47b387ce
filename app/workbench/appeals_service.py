"""诉求 on the workbench, for the views: the department's appeal inbox, one appeal with the citizen's files, reply,
transfer and close, and the administrators' 督办 list; the only caller of those APIs in the app."""

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from api_client import AsyncClient, ops
from api_client.models import (
    AppealStatus,
    AppealTransfer,
    OfficerAppealDetail,
    OfficerAppealSummary,
    OfficerClose,
    OfficerReply,
    Page,
)

CHINA = dt.timezone(dt.timedelta(hours=8))
DueFilter = Literal["overdue", "today", "3", "7"]
DUE_FILTERS: tuple[DueFilter, ...] = ("overdue", "today", "3", "7")


def china_today() -> dt.date:
    """Deadlines are China's dates, wherever the app runs."""
    return dt.datetime.now(CHINA).date()


@dataclass(frozen=True)
class InboxFilter:
    """What the inbox shows: a status (None: the open ones) and a due filter (逾期, or due within N days)."""

    status: AppealStatus | None = None
    due: DueFilter | None = None

    def due_by(self, today: dt.date) -> dt.date | None:
        if self.due is None or self.due == "overdue":
            return None
        return today if self.due == "today" else today + dt.timedelta(days=int(self.due))


class OfficerAppealService:
    def __init__(self, api: AsyncClient) -> None:
        self._api = api

    async def inbox(self, chosen: InboxFilter, cursor: str | None = None) -> Page[OfficerAppealSummary]:
        """The officer's department's appeals, the earliest due first."""
        return await self._api.send(
            ops.appeals.officer_inbox(
                status=chosen.status,
                overdue=chosen.due == "overdue",
                due_by=chosen.due_by(china_today()),
                cursor=cursor,
            )
        )

    async def appeal(self, number: str) -> OfficerAppealDetail:
        return await self._api.send(ops.appeals.officer_appeal(number))

    async def attachment(self, number: str, attachment_id: str) -> bytes:
        return await self._api.send(ops.appeals.officer_attachment(number, attachment_id))

    async def reply(self, number: str, body: str, amount_recovered_yuan: int) -> OfficerAppealDetail:
        reply = OfficerReply(body=body, amount_recovered_yuan=amount_recovered_yuan)
        return await self._api.send(ops.appeals.reply(number, reply))

    async def transfer(self, number: str, department: str, reason: str) -> OfficerAppealDetail:
        return await self._api.send(ops.appeals.transfer(number, AppealTransfer(department=department, reason=reason)))

    async def close(self, number: str, note: str) -> OfficerAppealDetail:
        return await self._api.send(ops.appeals.close(number, OfficerClose(note=note)))

    async def supervised(self, cursor: str | None = None) -> Page[OfficerAppealSummary]:
        """督办: unanswered appeals past their due date in every department (administrators only)."""
        return await self._api.send(ops.appeals.supervised(cursor))
