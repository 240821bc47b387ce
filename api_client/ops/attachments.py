"""Uploading a file (a material, evidence) and reading it back."""

from pydantic import TypeAdapter

from api_client._operation import Operation, new_idempotency_key
from api_client.models import ATTACHMENT_CONTENT_TYPES, AttachmentInfo
from api_client.models.attachments import sniff_format

_INFO = TypeAdapter(AttachmentInfo)
_BYTES = TypeAdapter(bytes)


def upload(filename: str, content: bytes, idempotency_key: str | None = None) -> Operation[AttachmentInfo]:
    """One PDF, JPEG or PNG file; the server recognises it by content and refuses anything else (415)."""
    detected = sniff_format(content[:16]) if isinstance(content, bytes) else None
    content_type = ATTACHMENT_CONTENT_TYPES[detected] if detected else "application/octet-stream"
    return Operation(
        "POST",
        "/attachments",
        _INFO,
        files={"file": (filename, content, content_type)},
        authenticated=True,
        idempotency_key=idempotency_key or new_idempotency_key(),
    )


def download(attachment_id: str) -> Operation[bytes]:
    return Operation(
        "GET",
        "/attachments/{attachment_id}",
        _BYTES,
        path_params={"attachment_id": attachment_id},
        authenticated=True,
        headers={"accept": "*/*"},
        raw_response=True,
    )
