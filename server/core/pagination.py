"""Opaque keyset cursors: the sort key of the last item, never an OFFSET."""

import base64
import binascii
import datetime as dt
import json
from typing import Annotated, Any

from fastapi import Query

from api_client.validation import has_forbidden_characters
from server.core.errors import ApiError

Limit = Annotated[int, Query(ge=1, le=100, description="Items per page")]
Cursor = Annotated[str | None, Query(max_length=512, description="`next_cursor` of the previous page")]

# Both databases store at most signed 64-bit integers; a larger number in a query is an error, not a page.
_INT64 = range(-(2**63), 2**63)
CursorPart = type[int] | type[str] | type[dt.date]


def encode_cursor(key: list[Any]) -> str:
    raw = json.dumps(key, separators=(",", ":"), ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, *shape: CursorPart) -> list[Any]:
    """The sort key inside `cursor`, each part checked against `shape` (int, str or dt.date as an ISO string), so no tampered
    or foreign cursor reaches a query: it is a clear 422 `cursor_invalid`, never a 500."""
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(key, list) or len(key) != len(shape):
            raise ValueError(cursor)
        return [_decode_part(value, kind) for value, kind in zip(key, shape, strict=True)]
    except (ValueError, UnicodeDecodeError, binascii.Error, RecursionError) as exc:
        raise ApiError(422, "cursor_invalid", "cursor") from exc


def _decode_part(value: Any, kind: CursorPart) -> Any:
    if kind is int and type(value) is int and value in _INT64:
        return value
    if kind is str and isinstance(value, str) and not has_forbidden_characters(value):
        return value
    if kind is dt.date and isinstance(value, str):
        return dt.date.fromisoformat(value)
    raise ValueError(value)
