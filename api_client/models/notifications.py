"""消息: what happened to the citizen's cases (and, later, replies to appeals)."""

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, Field


class Notification(BaseModel):
    id: int
    kind: str = Field(
        description="What happened: application_accepted, supplement_requested, step_decided, "
        "application_completed, deadline_soon, ...; other pillars add their own kinds"
    )
    title: str
    body: str
    link: str | None = Field(None, description="The app route to open, e.g. /applications/2025…")
    created_at: dt.datetime
    read: bool


class NotificationPage(BaseModel):
    items: list[Notification]
    next_cursor: str | None = None
    unread_count: int


class MarkRead(BaseModel):
    """Which notifications to mark read: the ids, or every one when `all` is true."""

    ids: list[Annotated[int, Field(ge=1, le=2**31 - 1)]] = Field(default_factory=list, max_length=100)
    all: bool = False
