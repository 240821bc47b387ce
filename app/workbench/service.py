"""工作台 for the views: the officer's department's cases, decisions and the queue; the only caller of those APIs."""

import asyncio

from api_client import AsyncClient, ops
from api_client.models import (
    AcceptanceDecision,
    OfficerCaseDetail,
    OfficerCaseSummary,
    Page,
    QueueStatus,
    Refusal,
    StepDecision,
    StepDecisionKind,
)

COUNT_LIMIT = 100


class WorkbenchService:
    def __init__(self, api: AsyncClient) -> None:
        self._api = api

    async def inbox(self, view: str, cursor: str | None = None) -> Page[OfficerCaseSummary]:
        """`view`: open (default), overdue or due_soon; overdue cases lead (earliest deadline first)."""
        return await self._api.send(
            ops.applications.officer_inbox(overdue=view == "overdue", due_soon=view == "due_soon", cursor=cursor)
        )

    async def counts(self) -> dict[str, str]:
        """Cases per view, as shown on the workbench ("100+" past one page of 100)."""

        async def count(view: str) -> str:
            page = await self._api.send(
                ops.applications.officer_inbox(
                    overdue=view == "overdue", due_soon=view == "due_soon", limit=COUNT_LIMIT
                )
            )
            return f"{COUNT_LIMIT}+" if page.next_cursor else str(len(page.items))

        views = ("open", "overdue", "due_soon")
        return dict(zip(views, await asyncio.gather(*(count(v) for v in views)), strict=True))

    async def case(self, number: str) -> OfficerCaseDetail:
        return await self._api.send(ops.applications.officer_case(number))

    async def material(self, number: str, attachment_id: str) -> bytes:
        return await self._api.send(ops.applications.officer_material(number, attachment_id))

    async def accept(self, number: str, note: str | None) -> OfficerCaseDetail:
        return await self._api.send(ops.applications.accept(number, AcceptanceDecision(note=note or None)))

    async def refuse(self, number: str, reason: str) -> OfficerCaseDetail:
        return await self._api.send(ops.applications.refuse(number, Refusal(reason=reason)))

    async def decide(
        self, number: str, decision: StepDecisionKind, note: str | None, materials: list[str]
    ) -> OfficerCaseDetail:
        body = StepDecision(decision=decision, note=note or None, materials=materials)
        return await self._api.send(ops.applications.decide(number, body))

    async def queue(self) -> QueueStatus:
        return await self._api.send(ops.appointments.queue_status())

    async def call_next(self) -> QueueStatus:
        return await self._api.send(ops.appointments.call_next())
