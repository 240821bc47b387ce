"""An application, its materials, one step per approving department, its timeline and who read it.

The officer inbox reads steps only: each step carries a copy of its case's status and due date
(`case_status`, `case_due_on`), updated in the same statement that changes the case, so a department's
inbox is one index range even at hundreds of thousands of cases.
"""

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, SmallInteger, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base, UtcDateTime

NOT_DUE = dt.date(9999, 12, 31)  # sort key of a case with no deadline yet: after every dated case


class Application(Base):
    __tablename__ = "applications"
    __table_args__ = (Index("ix_applications_applicant", "applicant_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True, doc="办件编号")
    item_id: Mapped[int] = mapped_column(ForeignKey("service_items.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), doc="The implementing department")
    applicant_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    contact_phone: Mapped[str] = mapped_column(String(16), doc="The applicant's phone at submission: lookup key")
    status: Mapped[str] = mapped_column(String(16))
    form: Mapped[dict[str, Any]] = mapped_column(JSON)
    requested_materials: Mapped[list[str]] = mapped_column(JSON, default=list)
    submitted_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    accepted_on: Mapped[dt.date | None] = mapped_column(Date)
    clock_started_on: Mapped[dt.date | None] = mapped_column(Date, doc="None while paused or not yet accepted")
    working_days_used: Mapped[int] = mapped_column(Integer, default=0, doc="Before the current pause")
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    due_provisional: Mapped[bool] = mapped_column(Boolean, default=False)
    due_soon_warned: Mapped[bool] = mapped_column(Boolean, default=False)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    certificate_number: Mapped[str | None] = mapped_column(String(24), unique=True)
    rating: Mapped[int | None] = mapped_column(SmallInteger)
    rating_comment: Mapped[str | None] = mapped_column(Text)
    rated_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    revision: Mapped[int] = mapped_column(Integer, default=0, doc="Bumped first by every write: serialises them")


class ApplicationMaterial(Base):
    """An attachment given for a material; a 补正 round adds rows with a higher round."""

    __tablename__ = "application_materials"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    material_key: Mapped[str] = mapped_column(String(32))
    attachment_id: Mapped[str] = mapped_column(ForeignKey("attachments.id"))
    round: Mapped[int] = mapped_column(Integer, default=0)


class ApplicationStep(Base):
    """One department's part of the parallel approval (并联审批): exactly one row per (case, department)."""

    __tablename__ = "application_steps"
    __table_args__ = (
        UniqueConstraint("application_id", "department_id"),
        Index("ix_application_steps_inbox", "department_id", "case_due_on", "application_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    state: Mapped[str] = mapped_column(String(16), default="pending")
    note: Mapped[str | None] = mapped_column(Text)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    on_time: Mapped[bool | None] = mapped_column(Boolean, doc="Decided by the case's due date")
    case_status: Mapped[str] = mapped_column(String(16))
    case_due_on: Mapped[dt.date] = mapped_column(Date)


class ApplicationEvent(Base):
    """A line of the timeline: every transition, with when, which department, which officer and a note."""

    __tablename__ = "application_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(100))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str | None] = mapped_column(Text)


class ApplicationAccess(Base):
    """An officer read the case (detail or a material); the citizen sees this log."""

    __tablename__ = "application_access"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class LookupAttempt(Base):
    """A progress lookup without log-in, counted per client address in the database (shared by workers)."""

    __tablename__ = "application_lookups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_address: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)
