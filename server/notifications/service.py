"""Writing to and reading a user's inbox. `notify` joins the caller's transaction: no message for a rolled-back change."""

import datetime as dt

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from api_client import models as wire
from server.core.pagination import decode_cursor, encode_cursor
from server.notifications.models import Notification


def notify(db: Session, user_id: int, kind: str, title: str, body: str, link: str | None, now: dt.datetime) -> None:
    db.add(Notification(user_id=user_id, kind=kind, title=title[:100], body=body, link=link, created_at=now))


def inbox(db: Session, user_id: int, cursor: str | None, limit: int) -> wire.NotificationPage:
    """Newest first, keyset-paged by id, with the unread count for the badge."""
    query = select(Notification).where(Notification.user_id == user_id).order_by(Notification.id.desc())
    if cursor:
        (last_id,) = decode_cursor(cursor, int)
        query = query.where(Notification.id < last_id)
    rows = list(db.scalars(query.limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    unread = db.scalar(select(func.count()).where(Notification.user_id == user_id, Notification.read_at.is_(None)))
    return wire.NotificationPage(
        items=[
            wire.Notification(
                id=n.id,
                kind=n.kind,
                title=n.title,
                body=n.body,
                link=n.link,
                created_at=n.created_at,
                read=n.read_at is not None,
            )
            for n in rows
        ],
        next_cursor=encode_cursor([rows[-1].id]) if more else None,
        unread_count=unread or 0,
    )


def mark_read(db: Session, user_id: int, change: wire.MarkRead, now: dt.datetime) -> None:
    """Only the caller's own notifications change; ids of anyone else's are ignored."""
    statement = update(Notification).where(Notification.user_id == user_id, Notification.read_at.is_(None))
    if not change.all:
        statement = statement.where(Notification.id.in_(change.ids))
    db.execute(statement.values(read_at=now))
