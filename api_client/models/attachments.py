"""Uploaded files (申请材料, appeal evidence): recognised by their content, owned by the uploader."""

import datetime as dt

from pydantic import BaseModel, Field

from api_client.models.service_items import FileFormat

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
ATTACHMENT_CONTENT_TYPES: dict[FileFormat, str] = {
    "pdf": "application/pdf",
    "jpeg": "image/jpeg",
    "png": "image/png",
}


class AttachmentInfo(BaseModel):
    id: str = Field(description="Opaque id to cite in an application or appeal")
    filename: str
    format: FileFormat
    size: int = Field(description="Bytes")
    created_at: dt.datetime


def sniff_format(head: bytes) -> FileFormat | None:
    """The format from the file's first bytes (magic numbers), whatever its name says; None if not allowed."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    return None
