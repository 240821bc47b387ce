"""Opaque keyset cursors: the sort key of the last item, never an OFFSET."""

import base64
import json
from typing import Annotated, Any

from fastapi import Query

from server.core.errors import ApiError

Limit = Annotated[int, Query(ge=1, le=100, description="Items per page")]
Cursor = Annotated[str | None, Query(max_length=512, description="`next_cursor` of the previous page")]


def encode_cursor(key: list[Any]) -> str:
    raw = json.dumps(key, separators=(",", ":"), ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, arity: int) -> list[Any]:
    """The sort key inside `cursor`; a tampered or foreign cursor is a clear 422, not a 500."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        key = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError(422, "cursor_invalid", "cursor") from exc
    if not isinstance(key, list) or len(key) != arity:
        raise ApiError(422, "cursor_invalid", "cursor")
    return key


MAX_ROW_ID = 2**31 - 1


def decode_id(value: Any) -> int:
    """A row id out of a cursor: an int the database column can hold, else 422 (not an overflow 500)."""
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_ROW_ID:
        raise ApiError(422, "cursor_invalid", "cursor")
    return value
