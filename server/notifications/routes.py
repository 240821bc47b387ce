"""The caller's inbox. Time-driven messages (a deadline coming up) are written when the inbox is read."""

from fastapi import APIRouter, Response

from api_client import models as wire
from server.applications.deadlines import warn_due_soon
from server.core.clock import Now
from server.core.deps import CurrentUser, DbSession
from server.core.errors import error_responses
from server.core.idempotency import IdempotentWrite
from server.core.pagination import Cursor, Limit
from server.notifications import service

router = APIRouter(prefix="/notifications", tags=["notifications"])


@router.get("", response_model=wire.NotificationPage, responses=error_responses(401))
def list_notifications(
    user: CurrentUser, db: DbSession, now: Now, cursor: Cursor = None, limit: Limit = 20
) -> wire.NotificationPage:
    warn_due_soon(db, user.id, now)
    db.commit()
    return service.inbox(db, user.id, cursor, limit)


@router.post("/read", response_model=wire.Ack, responses=error_responses(401, 409))
def mark_notifications_read(change: wire.MarkRead, user: CurrentUser, write: IdempotentWrite, now: Now) -> Response:
    service.mark_read(write.db, user.id, change, now)
    return write.respond(wire.Ack())
