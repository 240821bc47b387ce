"""消息: the caller's inbox and its unread count."""

from pydantic import TypeAdapter

from api_client._operation import Operation
from api_client.models import Ack, MarkRead, NotificationPage

_PAGE = TypeAdapter(NotificationPage)
_ACK = TypeAdapter(Ack)


def inbox(cursor: str | None = None, limit: int = 20) -> Operation[NotificationPage]:
    return Operation("GET", "/notifications", _PAGE, query={"cursor": cursor, "limit": limit}, authenticated=True)


def mark_read(ids: list[int] | None = None, everything: bool = False) -> Operation[Ack]:
    return Operation(
        "POST", "/notifications/read", _ACK, body=MarkRead(ids=ids or [], all=everything), authenticated=True
    )
