"""互动交流 for the views: submitting (with the draft's Idempotency-Key), my appeals and the fast-channel appeals
kept on this device (the public mailbox and figures are `app.appeals.public`, read through the device cache)."""

import asyncio
import math
from typing import Protocol

from api_client import AsyncClient, RateLimitError, ops
from api_client.models import (
    AppealCreate,
    AppealDeadlineRule,
    AppealDeadlineRules,
    AppealDetail,
    AppealFollowUp,
    AppealPage,
    AppealRatingSubmit,
    AppealReceipt,
    AppealReopen,
    AttachmentInfo,
    FastChannelCredentials,
    FastChannelFollowUp,
    FastChannelLink,
    FastChannelLookup,
    FastChannelRating,
    FastChannelReopen,
    LinkResult,
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

    async def upload_anonymously(self, filename: str, content: bytes) -> AttachmentInfo:
        """The fast channel's upload: no account; the appeal must cite it within a day."""
        return await self._api.send(ops.attachments.upload_anonymous(filename, content))

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

    async def attachment(self, attachment_id: str) -> bytes:
        """A file of the account's own: its uploads, and the photos of fast-channel appeals it linked."""
        return await self._api.send(ops.attachments.download(attachment_id))

    async def attachment_with_credentials(self, credentials: FastChannelCredentials, attachment_id: str) -> bytes:
        return await self._api.send(ops.appeals.attachment_with_credentials(attachment_id, _held(credentials)))

    async def follow_up_with_credentials(self, credentials: FastChannelCredentials, body: str) -> AppealDetail:
        return await self._api.send(
            ops.appeals.follow_up_with_credentials(FastChannelFollowUp(credentials=_held(credentials), body=body))
        )

    async def rate_with_credentials(
        self, credentials: FastChannelCredentials, satisfaction: Satisfaction, comment: str
    ) -> AppealDetail:
        body = FastChannelRating(credentials=_held(credentials), satisfaction=satisfaction, comment=comment)
        return await self._api.send(ops.appeals.rate_with_credentials(body))

    async def reopen_with_credentials(self, credentials: FastChannelCredentials, reason: str) -> AppealDetail:
        body = FastChannelReopen(credentials=_held(credentials), reason=reason)
        return await self._api.send(ops.appeals.reopen_with_credentials(body))

    async def kept_case(self, number: str) -> FastChannelCase | None:
        return next((c for c in await self._store.load_fast_channel() if c.number == number), None)

    async def kept_appeals(self) -> list[tuple[FastChannelCase, AppealDetail | Exception]]:
        """Each fast-channel appeal of this device opened by its credentials, at once; one that fails to open
        comes with its error, so the others still show."""
        cases = list(reversed(await self._store.load_fast_channel()))  # newest first
        opened = await asyncio.gather(
            *(self.lookup(c.credentials.username, c.credentials.password) for c in cases), return_exceptions=True
        )
        shown: list[tuple[FastChannelCase, AppealDetail | Exception]] = []
        for case, result in zip(cases, opened, strict=True):
            if not isinstance(result, AppealDetail | Exception):
                raise result  # cancelled: the reader left
            shown.append((case, result))
        return shown

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
        credentials = [_held(c.credentials) for c in cases]
        result = await self._api.send(ops.appeals.link(FastChannelLink(credentials=credentials)))
        linked = set(result.linked)
        await self._store.save_fast_channel([c for c in cases if c.number not in linked])
        return result


def _held(credentials: FastChannelCredentials) -> FastChannelLookup:
    return FastChannelLookup(username=credentials.username, password=credentials.password)


def wait_minutes(error: RateLimitError) -> int:
    """The server's Retry-After in whole minutes (at least one); the client's own reading of it stops at 60 s."""
    try:
        seconds = float(error.response.headers.get("retry-after", "60"))
    except ValueError:
        seconds = 60
    return max(1, math.ceil(seconds / 60))


class OpenedAppeal(Protocol):
    """An appeal the detail screen can read and act on: through the account, or through stored credentials."""

    async def load(self) -> AppealDetail: ...

    async def attachment(self, attachment_id: str) -> bytes: ...

    async def follow_up(self, body: str) -> AppealDetail: ...

    async def rate(self, satisfaction: Satisfaction, comment: str) -> AppealDetail: ...

    async def reopen(self, reason: str) -> AppealDetail: ...


class AccountAppeal:
    def __init__(self, service: AppealService, number: str) -> None:
        self._service = service
        self._number = number

    async def load(self) -> AppealDetail:
        return await self._service.detail(self._number)

    async def attachment(self, attachment_id: str) -> bytes:
        return await self._service.attachment(attachment_id)

    async def follow_up(self, body: str) -> AppealDetail:
        return await self._service.follow_up(self._number, body)

    async def rate(self, satisfaction: Satisfaction, comment: str) -> AppealDetail:
        return await self._service.rate(self._number, satisfaction, comment)

    async def reopen(self, reason: str) -> AppealDetail:
        return await self._service.reopen(self._number, reason)


class CredentialAppeal:
    """A fast-channel appeal: every read and write carries its credentials (no account, no token)."""

    def __init__(self, service: AppealService, credentials: FastChannelCredentials) -> None:
        self._service = service
        self.credentials = credentials

    async def load(self) -> AppealDetail:
        return await self._service.lookup(self.credentials.username, self.credentials.password)

    async def attachment(self, attachment_id: str) -> bytes:
        return await self._service.attachment_with_credentials(self.credentials, attachment_id)

    async def follow_up(self, body: str) -> AppealDetail:
        return await self._service.follow_up_with_credentials(self.credentials, body)

    async def rate(self, satisfaction: Satisfaction, comment: str) -> AppealDetail:
        return await self._service.rate_with_credentials(self.credentials, satisfaction, comment)

    async def reopen(self, reason: str) -> AppealDetail:
        return await self._service.reopen_with_credentials(self.credentials, reason)
