"""Uploaded files, generic: applications cite them as materials, appeals as evidence."""

import datetime as dt

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base, UtcDateTime


class StoredAttachment(Base):
    """An uploaded file: metadata here, bytes in the file storage under `storage_key`.

    An anonymous upload (快速通道) has no owner: its random id is the only key to it, and it can be attached to one
    appeal only (`claimed_at`), within ANONYMOUS_UPLOAD_TTL, after which an unclaimed one is deleted.
    """

    __tablename__ = "attachments"
    __table_args__ = (Index("ix_attachments_unclaimed", "owner_id", "claimed_at", "created_at"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, doc="Random, so ids cannot be guessed")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    format: Mapped[str] = mapped_column(String(8))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    claimed_at: Mapped[dt.datetime | None] = mapped_column(
        UtcDateTime, doc="When an anonymous upload was attached to an appeal (it can be attached once)"
    )


class AnonymousUploadAttempt(Base):
    """An anonymous upload counted against its client address (the throttle's window, in the database)."""

    __tablename__ = "anonymous_upload_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_address: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)
