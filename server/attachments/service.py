"""Receiving an upload without trusting its size, name or declared type; finding a caller's own files."""

import hashlib
import os
import secrets
from collections.abc import AsyncGenerator, Iterable
from dataclasses import dataclass
from typing import IO

from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import Request

from api_client import models as wire
from api_client.models.attachments import MAX_ATTACHMENT_BYTES, sniff_format
from api_client.validation import has_unprintable
from server.attachments.models import StoredAttachment
from server.core.errors import ApiError

ENVELOPE_BYTES = 64 * 1024  # multipart boundaries and part headers around the file
# The request-size middleware's bound for uploads: above this route's own, so a file just over the limit gets the
# route's specific answer (文件不能超过 10 MB) and only a far larger body the generic one.
UPLOAD_BODY_LIMIT = MAX_ATTACHMENT_BYTES + 2 * ENVELOPE_BYTES
FILE_FIELD = "file"


@dataclass
class ReceivedFile:
    file: IO[bytes]
    filename: str
    format: wire.FileFormat
    size: int
    sha256: str


async def _counted(request: Request, limit: int) -> AsyncGenerator[bytes, None]:
    """The body as it arrives, cut off with 413 as soon as it passes `limit`: nothing larger is buffered."""
    total = 0
    async for chunk in request.stream():
        total += len(chunk)
        if total > limit:
            raise ApiError(413, "attachment_too_large", FILE_FIELD)
        yield chunk


def clean_filename(name: str | None) -> str:
    """The last path component, printable, at most 255 characters; the name is only ever shown."""
    base = os.path.basename((name or "").replace("\\", "/"))
    base = "".join(c for c in base if not has_unprintable(c)).strip()
    return base[-255:] or "附件"


async def receive_upload(request: Request) -> ReceivedFile:
    """The single file of a multipart body: 413 over the size limit, 415 unless it is really PDF/JPEG/PNG."""
    limit = MAX_ATTACHMENT_BYTES + ENVELOPE_BYTES
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise ApiError(413, "attachment_too_large", FILE_FIELD)
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise ApiError(415, "upload_not_multipart", FILE_FIELD)
    parser = MultiPartParser(request.headers, _counted(request, limit), max_files=1, max_fields=4)
    try:
        form = await parser.parse()
    except MultiPartException as exc:
        raise ApiError(422, "body_invalid", FILE_FIELD) from exc
    upload = form.get(FILE_FIELD)
    if not isinstance(upload, UploadFile):
        await form.close()
        raise ApiError(422, "field_required", FILE_FIELD)
    return _checked(upload)


def _checked(upload: UploadFile) -> ReceivedFile:
    source = upload.file
    digest, size = hashlib.sha256(), 0
    source.seek(0)
    while chunk := source.read(1 << 16):
        digest.update(chunk)
        size += len(chunk)
    source.seek(0)
    head = source.read(16)
    source.seek(0)
    file_format = sniff_format(head)
    for failed, status, code in (
        (size > MAX_ATTACHMENT_BYTES, 413, "attachment_too_large"),
        (size == 0, 422, "attachment_empty"),
        (file_format is None, 415, "attachment_type_invalid"),
    ):
        if failed:
            source.close()
            raise ApiError(status, code, FILE_FIELD)
    assert file_format is not None
    return ReceivedFile(source, clean_filename(upload.filename), file_format, size, digest.hexdigest())


def new_attachment_id() -> str:
    return secrets.token_hex(16)


def to_wire(row: StoredAttachment) -> wire.AttachmentInfo:
    return wire.AttachmentInfo(
        id=row.id, filename=row.filename, format=row.format, size=row.size, created_at=row.created_at
    )


def owned_attachments(db: Session, owner_id: int, ids: Iterable[str]) -> dict[str, StoredAttachment]:
    """The caller's own attachments among `ids`; anybody else's are simply absent (the caller sees 404/422)."""
    wanted = {i for i in ids if isinstance(i, str) and len(i) == 32}
    if not wanted:
        return {}
    rows = db.scalars(
        select(StoredAttachment).where(StoredAttachment.owner_id == owner_id, StoredAttachment.id.in_(wanted))
    )
    return {row.id: row for row in rows}
