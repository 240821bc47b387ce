"""Uploading a file (a material, evidence) and reading it back."""

from pydantic import TypeAdapter

from api_client._operation import Operation, new_idempotency_key
from api_client.models import ATTACHMENT_CONTENT_TYPES, AttachmentInfo
from api_client.models.attachments import sniff_format

_INFO = TypeAdapter(AttachmentInfo)
_BYTES = TypeAdapter(bytes)


def _content_type(content: bytes) -> str:
    detected = sniff_format(content[:16]) if isinstance(content, bytes) else None
    return ATTACHMENT_CONTENT_TYPES[detected] if detected else "application/octet-stream"


def upload(filename: str, content: bytes, idempotency_key: str | None = None) -> Operation[AttachmentInfo]:
    """One PDF, JPEG or PNG file; the server recognises it by content and refuses anything else (415)."""
    return Operation(
        "POST",
        "/attachments",
        _INFO,
        files={"file": (filename, content, _content_type(content))},
        authenticated=True,
        idempotency_key=idempotency_key or new_idempotency_key(),
    )


def upload_anonymous(filename: str, content: bytes, idempotency_key: str | None = None) -> Operation[AttachmentInfo]:
    """The fast channel's upload, without an account: cite the id in an anonymous appeal within 24 hours (once);
    at most 20 per network per hour (429 `anonymous_upload_throttled`)."""
    return Operation(
        "POST",
        "/attachments/anonymous",
        _INFO,
        files={"file": (filename, content, _content_type(content))},
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
