"""互动交流 for the views: submitting (with the draft's Idempotency-Key), my appeals, the fast-channel appeals kept
on this device, the public mailbox and the published figures."""

import asyncio

from api_client import AsyncClient, ops
from api_client.models import (
    AppealCategory,
    AppealCreate,
    AppealDeadlineRule,
    AppealDeadlineRules,
    AppealDetail,
    AppealFollowUp,
    AppealPage,
    AppealRatingSubmit,
    AppealReceipt,
    AppealReopen,
    AppealStats,
    AppealType,
    AttachmentInfo,
    FastChannelLink,
    FastChannelLookup,
    LinkResult,
    Page,
    PublicAppeal,
    Satisfaction,
    SearchResult,
)
from app.credentials import CredentialStore, FastChannelCase
from app.device_cache import DeviceCache

SUGGESTIONS_PER_SCOPE = 3


class AppealService:
    def __init__(self, api: AsyncClient, store: CredentialStore) -> None:
        self._api = api
        self._store = store

    async def upload(self, filename: str, content: bytes) -> AttachmentInfo:
        return await self._api.send(ops.attachments.upload(filename, content))

    async def submit(self, body: AppealCreate, idempotency_key: str) -> AppealReceipt:
        """`idempotency_key` comes from the draft: a retry after a lost answer replays the first receipt, with the
        same fast-channel credentials, which are kept on this device before the receipt is shown."""
        receipt = await self._api.send(ops.appeals.submit(body, idempotency_key))
        if receipt.credentials is not None:
            await self.remember(
                FastChannelCase(
                    number=receipt.appeal.number, title=receipt.appeal.title, credentials=receipt.credentials
                )
            )
        return receipt

    async def receipt(self, number: str) -> AppealReceipt:
        """A submitted appeal again, for its receipt screen: a fast-channel one kept on this device is opened with
        its credentials (and shows them), any other as the logged-in citizen's own."""
        kept = next((c for c in await self._store.load_fast_channel() if c.number == number), None)
        if kept is not None:
            appeal = await self.lookup(kept.credentials.username, kept.credentials.password)
            return AppealReceipt(appeal=appeal, credentials=kept.credentials)
        return AppealReceipt(appeal=await self.detail(number))

    async def deadline_rules(self, cache: DeviceCache) -> list[AppealDeadlineRule]:
        """The server's deadline per type, kept on the device so the choice of type says it offline too."""
        reading = await cache.read(self._api, "appeal-deadlines", ops.appeals.deadline_rules(), AppealDeadlineRules)
        return list(reading.value.items)

    async def answers_before_asking(self, query: str) -> tuple[list[SearchResult], list[SearchResult]]:
        """The closest published answers (public appeals) and service guides for what the citizen is typing."""
        appeals, services = await asyncio.gather(
            self._api.send(ops.search.search(query, scope="appeals", limit=SUGGESTIONS_PER_SCOPE)),
            self._api.send(ops.search.search(query, scope="services", limit=SUGGESTIONS_PER_SCOPE)),
        )
        return list(appeals.items), list(services.items)

    async def mine(self, cursor: str | None = None) -> AppealPage:
        return await self._api.send(ops.appeals.mine(cursor))

    async def detail(self, number: str) -> AppealDetail:
        return await self._api.send(ops.appeals.detail(number))

    async def follow_up(self, number: str, body: str) -> AppealDetail:
        return await self._api.send(ops.appeals.follow_up(number, AppealFollowUp(body=body)))

    async def rate(self, number: str, satisfaction: Satisfaction, comment: str) -> AppealDetail:
        return await self._api.send(
            ops.appeals.rate(number, AppealRatingSubmit(satisfaction=satisfaction, comment=comment))
        )

    async def reopen(self, number: str, reason: str) -> AppealDetail:
        return await self._api.send(ops.appeals.reopen(number, AppealReopen(reason=reason)))

    async def lookup(self, username: str, password: str) -> AppealDetail:
        return await self._api.send(ops.appeals.lookup(username, password))

    async def fast_channel_cases(self) -> list[FastChannelCase]:
        """The fast-channel appeals submitted (or looked up and kept) on this device, newest last."""
        return await self._store.load_fast_channel()

    async def remember(self, case: FastChannelCase) -> None:
        kept = [c for c in await self._store.load_fast_channel() if c.number != case.number]
        await self._store.save_fast_channel([*kept, case])

    async def link_to_account(self) -> LinkResult:
        """Moves this device's fast-channel appeals into the logged-in account; the linked ones are forgotten here,
        since the account now opens them."""
        cases = await self._store.load_fast_channel()
        if not cases:
            return LinkResult(linked=[])
        credentials = [
            FastChannelLookup(username=c.credentials.username, password=c.credentials.password) for c in cases
        ]
        result = await self._api.send(ops.appeals.link(FastChannelLink(credentials=credentials)))
        linked = set(result.linked)
        await self._store.save_fast_channel([c for c in cases if c.number not in linked])
        return result

    async def public_appeals(
        self,
        category: AppealCategory | None = None,
        appeal_type: AppealType | None = None,
        department: str | None = None,
        cursor: str | None = None,
    ) -> Page[PublicAppeal]:
        return await self._api.send(ops.appeals.public_appeals(category, appeal_type, department, cursor))

    async def stats(self) -> AppealStats:
        return await self._api.send(ops.appeals.stats())
