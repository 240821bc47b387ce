"""POST /attachments (multipart, streamed and counted), the fast channel's POST /attachments/anonymous, and the
owner's download."""

import hashlib
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request, Response
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session

from api_client.models.attachments import ATTACHMENT_CONTENT_TYPES, MAX_ATTACHMENT_BYTES, AttachmentInfo
from server.accounts.models import User
from server.attachments.models import StoredAttachment
from server.attachments.service import (
    FILE_FIELD,
    ReceivedFile,
    new_attachment_id,
    purge_unclaimed,
    receive_upload,
    reserve_anonymous_upload,
    to_wire,
)
from server.attachments.storage import FileStorage, FolderStorage
from server.core.clock import Now
from server.core.deps import CurrentUser, DbSession, client_address
from server.core.errors import error_responses, not_found
from server.core.idempotency import begin_write

router = APIRouter(prefix="/attachments", tags=["attachments"])


def file_storage(request: Request) -> FileStorage:
    """The attachment folder under the data directory; override this dependency to store elsewhere."""
    return FolderStorage(request.app.state.settings.data_dir / "attachments")


Storage = Annotated[FileStorage, Depends(file_storage)]

_UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": [FILE_FIELD],
                    "properties": {FILE_FIELD: {"type": "string", "format": "binary"}},
                }
            }
        },
        "description": f"One PDF, JPEG or PNG file of at most {MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB",
    }
}


def _store(
    db: Session, storage: FileStorage, user: User | None, received: ReceivedFile, key: str | None, now: Now
) -> Response:
    path = "/attachments" if user is not None else "/attachments/anonymous"
    fingerprint = hashlib.sha256(f"POST\n{path}\n{received.filename}\n{received.sha256}".encode()).hexdigest()
    write = begin_write(db, user, key, fingerprint)
    storage_key = storage.save(received.file)
    try:
        row = StoredAttachment(
            id=new_attachment_id(),
            owner_id=user.id if user is not None else None,
            filename=received.filename,
            format=received.format,
            size=received.size,
            sha256=received.sha256,
            storage_key=storage_key,
            created_at=now,
        )
        db.add(row)
        db.flush()
        return write.respond(to_wire(row), status_code=201)
    except BaseException:
        storage.delete(storage_key)
        write.abandon()
        raise


@router.post(
    "",
    status_code=201,
    response_model=AttachmentInfo,
    responses=error_responses(401, 409, 413, 415),
    openapi_extra=_UPLOAD_BODY,
)
async def upload_attachment(request: Request, user: CurrentUser, db: DbSession, storage: Storage, now: Now) -> Response:
    received = await receive_upload(request)
    try:
        return await run_in_threadpool(_store, db, storage, user, received, request.headers.get("idempotency-key"), now)
    finally:
        received.file.close()


def _admit_anonymous(db: Session, storage: FileStorage, address: str, now: Now) -> None:
    reserve_anonymous_upload(db, address, now)
    purge_unclaimed(db, storage, now)


@router.post(
    "/anonymous",
    status_code=201,
    response_model=AttachmentInfo,
    responses=error_responses(409, 413, 415, 429),
    openapi_extra=_UPLOAD_BODY,
)
async def upload_anonymous_attachment(request: Request, db: DbSession, storage: Storage, now: Now) -> Response:
    """The fast channel's upload, without an account: the file has no owner and its random id is the only key to
    it. Cite it in an anonymous POST /appeals within 24 hours (once), or it is deleted. At most 20 per client
    address per hour (429 with Retry-After), counted before the body is read; each upload also purges a batch of
    expired ones."""
    await run_in_threadpool(_admit_anonymous, db, storage, client_address(request), now)
    received = await receive_upload(request)
    try:
        return await run_in_threadpool(_store, db, storage, None, received, request.headers.get("idempotency-key"), now)
    finally:
        received.file.close()


@router.get(
    "/{attachment_id}",
    response_class=Response,
    responses={**error_responses(401, 404), 200: {"content": {t: {} for t in ATTACHMENT_CONTENT_TYPES.values()}}},
)
def download_attachment(attachment_id: str, user: CurrentUser, db: DbSession, storage: Storage) -> Response:
    row = db.get(StoredAttachment, attachment_id[:32])
    if row is None or row.owner_id != user.id:
        raise not_found()
    return file_response(row, storage)


def file_response(row: StoredAttachment, storage: FileStorage) -> Response:
    """The bytes, typed by the format recognised on upload, never by what the uploader claimed."""
    disposition = f"attachment; filename*=UTF-8''{quote(row.filename)}"
    return Response(
        storage.read(row.storage_key),
        media_type=ATTACHMENT_CONTENT_TYPES[row.format],  # type: ignore[index]
        headers={"Content-Disposition": disposition, "X-Content-Type-Options": "nosniff"},
    )
