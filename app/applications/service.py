"""我的办件 for the views: submitting (with the draft's Idempotency-Key), uploads, progress, rating, certificates."""

from api_client import AsyncClient, ops
from api_client._client import API_PREFIX
from api_client.models import (
    ApplicationCreate,
    ApplicationDetail,
    ApplicationSummary,
    AttachmentInfo,
    Page,
    RatingSubmit,
    Receipt,
    SupplementSubmit,
)


class ApplicationService:
    def __init__(self, api: AsyncClient) -> None:
        self._api = api

    async def upload(self, filename: str, content: bytes) -> AttachmentInfo:
        return await self._api.send(ops.attachments.upload(filename, content))

    async def submit(self, body: ApplicationCreate, idempotency_key: str) -> Receipt:
        """`idempotency_key` comes from the draft: a retry after a lost answer replays the first receipt."""
        return await self._api.send(ops.applications.submit(body, idempotency_key))

    async def mine(self, cursor: str | None = None) -> Page[ApplicationSummary]:
        return await self._api.send(ops.applications.mine(cursor))

    async def detail(self, number: str) -> ApplicationDetail:
        return await self._api.send(ops.applications.detail(number))

    async def supplement(self, number: str, materials: dict[str, list[str]], note: str | None) -> ApplicationDetail:
        body = SupplementSubmit(materials=materials, note=note or None)
        return await self._api.send(ops.applications.supplement(number, body))

    async def withdraw(self, number: str) -> ApplicationDetail:
        return await self._api.send(ops.applications.withdraw(number))

    async def rate(self, number: str, score: int, comment: str | None) -> ApplicationDetail:
        return await self._api.send(ops.applications.rate(number, RatingSubmit(score=score, comment=comment or None)))

    async def certificate_pdf(self, number: str) -> bytes:
        return await self._api.send(ops.applications.certificate_pdf(number))

    def verification_url(self, certificate_number: str) -> str:
        """The public check the certificate's QR code opens."""
        return f"{self._api.base_url}{API_PREFIX}/certificates/{certificate_number}"
