"""Receiving an upload without trusting its size, name or declared type; finding a caller's own files; the fast
channel's anonymous uploads: throttled per address, claimed by one appeal at most, purged when left unclaimed."""

import datetime as dt
import hashlib
import os
import secrets
from collections.abc import AsyncGenerator, Iterable
from dataclasses import dataclass
from typing import IO, Any, cast

from sqlalchemy import CursorResult, delete, select, update
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import Request

from api_client import models as wire
from api_client.models.attachments import MAX_ATTACHMENT_BYTES, sniff_format
from api_client.validation import has_unprintable
from server.accounts.throttle import reserve_by_address
from server.attachments.models import AnonymousUploadAttempt, StoredAttachment
from server.attachments.storage import FileStorage
from server.core.errors import ApiError

ENVELOPE_BYTES = 64 * 1024  # multipart boundaries and part headers around the file
# The request-size middleware's bound for uploads: above this route's own, so a file just over the limit gets the
# route's specific answer (文件不能超过 10 MB) and only a far larger body the generic one.
UPLOAD_BODY_LIMIT = MAX_ATTACHMENT_BYTES + 2 * ENVELOPE_BYTES
FILE_FIELD = "file"
# The fast channel's uploads: a day to attach them to an appeal, then they are deleted; 20 per address per hour.
ANONYMOUS_UPLOAD_TTL = dt.timedelta(hours=24)
ANONYMOUS_UPLOAD_WINDOW = dt.timedelta(hours=1)
MAX_ANONYMOUS_UPLOADS = 20
PURGE_BATCH = 100


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


def reserve_anonymous_upload(db: Session, client_address: str, now: dt.datetime) -> None:
    """Counts an anonymous upload from this address (committed, before the body is read), or 429 with Retry-After,
    as registrations are counted."""
    reserve_by_address(
        db,
        AnonymousUploadAttempt,
        client_address,
        MAX_ANONYMOUS_UPLOADS,
        ANONYMOUS_UPLOAD_WINDOW,
        "anonymous_upload_throttled",
        now,
    )


def purge_unclaimed(db: Session, storage: FileStorage, now: dt.datetime) -> int:
    """Deletes anonymous uploads no appeal claimed within ANONYMOUS_UPLOAD_TTL, rows first (committed), then bytes.

    Run opportunistically by each anonymous upload, a batch at a time. A claim racing the purge loses cleanly: the
    claim's condition wants a young, unclaimed row and the purge's an old, unclaimed one; whichever writes first
    wins the row and the other finds nothing.
    """
    expired = (
        StoredAttachment.owner_id.is_(None),
        StoredAttachment.claimed_at.is_(None),
        StoredAttachment.created_at <= now - ANONYMOUS_UPLOAD_TTL,
    )
    ids = list(db.scalars(select(StoredAttachment.id).where(*expired).limit(PURGE_BATCH)))
    if not ids:
        return 0
    keys = list(
        db.scalars(
            delete(StoredAttachment)
            .where(StoredAttachment.id.in_(ids), *expired)
            .returning(StoredAttachment.storage_key)
            .execution_options(synchronize_session=False)
        )
    )
    db.commit()
    for key in keys:
        storage.delete(key)
    return len(keys)


def claim_anonymous(db: Session, ids: Iterable[str], now: dt.datetime) -> bool:
    """Marks these anonymous uploads as attached, in the caller's transaction: all of them or (False) none.

    Each must be ownerless, unclaimed and younger than ANONYMOUS_UPLOAD_TTL. The conditional UPDATE is the race
    guard: of two submissions naming one upload, the second waits for the first (a row lock on PostgreSQL, the
    write lock on SQLite) and then no longer matches.
    """
    wanted = set(ids)
    if not wanted:
        return True
    if any(not isinstance(i, str) or len(i) != 32 for i in wanted):
        return False
    result = db.execute(
        update(StoredAttachment)
        .where(
            StoredAttachment.id.in_(wanted),
            StoredAttachment.owner_id.is_(None),
            StoredAttachment.claimed_at.is_(None),
            StoredAttachment.created_at > now - ANONYMOUS_UPLOAD_TTL,
        )
        .values(claimed_at=now)
        .execution_options(synchronize_session=False)
    )
    return int(cast(CursorResult[Any], result).rowcount) == len(wanted)
