"""An appeal (诉求), its messages (the timeline both sides see), its attachments and fast-channel lookup attempts.

Each appeal sits with exactly one department at a time (`department_id`): a transfer moves it, so the old
department's inbox and reads lose it at once. Who asked is either an account (`citizen_id`) or the holder
of fast-channel credentials (`fast_username` and a SHA-256 of the generated password: 80 random bits need
no slow hash).
"""

import datetime as dt

from sqlalchemy import BigInteger, Boolean, Date, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base, UtcDateTime


class Appeal(Base):
    __tablename__ = "appeals"
    __table_args__ = (
        Index("ix_appeals_citizen", "citizen_id", "id"),
        Index("ix_appeals_inbox", "department_id", "due_on", "id"),
        Index("ix_appeals_public", "public", "status", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True, doc="诉求编号")
    type: Mapped[str] = mapped_column(String(8))
    category: Mapped[str] = mapped_column(String(16), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), doc="The department handling it now")
    title: Mapped[str] = mapped_column(String(60))
    content: Mapped[str] = mapped_column(Text)
    location_address: Mapped[str | None] = mapped_column(String(200))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    contact_phone: Mapped[str | None] = mapped_column(String(16))
    public: Mapped[bool] = mapped_column(Boolean)
    citizen_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    fast_username: Mapped[str | None] = mapped_column(String(32), unique=True)
    fast_password_hash: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    submitted_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    deadline_days: Mapped[int] = mapped_column(Integer)
    due_on: Mapped[dt.date] = mapped_column(Date)
    answered_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, doc="The last answer (reply or close)")
    answered_on_time: Mapped[bool | None] = mapped_column(Boolean, doc="The first answer came by the due date")
    closed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    rating: Mapped[str | None] = mapped_column(String(8))
    rating_comment: Mapped[str | None] = mapped_column(Text)
    reopened: Mapped[bool] = mapped_column(Boolean, default=False)
    amount_recovered_yuan: Mapped[int] = mapped_column(BigInteger, default=0)
    revision: Mapped[int] = mapped_column(Integer, default=0, doc="Bumped first by every write: serialises them")


class AppealMessage(Base):
    """A line of the timeline: the submission, follow-ups, replies, transfers, the rating, the reopening."""

    __tablename__ = "appeal_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    appeal_id: Mapped[int] = mapped_column(ForeignKey("appeals.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    author: Mapped[str] = mapped_column(String(16))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)


class AppealAttachment(Base):
    __tablename__ = "appeal_attachments"

    appeal_id: Mapped[int] = mapped_column(ForeignKey("appeals.id", ondelete="CASCADE"), primary_key=True)
    attachment_id: Mapped[str] = mapped_column(ForeignKey("attachments.id"), primary_key=True)


class AppealLookupAttempt(Base):
    """A failed or counted fast-channel lookup, per subject (`username:...` or `address:...`), in the database."""

    __tablename__ = "appeal_lookup_attempts"
    __table_args__ = (Index("ix_appeal_lookup_attempts_subject", "subject", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject: Mapped[str] = mapped_column(String(100))
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)
