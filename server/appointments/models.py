"""Visits to the service centre: booked seats in half-hour slots, and today's queue numbers per department.

Overbooking is impossible by construction: a slot row counts its booked seats and a booking takes one
with a conditional UPDATE (`booked < capacity`), in the same transaction as the appointment. Queue
numbers come from a counter row per department and day, advanced by UPDATE ... RETURNING; both
statements serialise on the row on PostgreSQL and on the database write lock on SQLite.
"""

import datetime as dt

from sqlalchemy import Date, ForeignKey, Index, Integer, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base, UtcDateTime, utcnow


class AppointmentSlot(Base):
    __tablename__ = "appointment_slots"
    __table_args__ = (UniqueConstraint("department_id", "day", "start"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    day: Mapped[dt.date] = mapped_column(Date)
    start: Mapped[str] = mapped_column(String(5))
    capacity: Mapped[int] = mapped_column(Integer)
    booked: Mapped[int] = mapped_column(Integer, default=0)


class Appointment(Base):
    __tablename__ = "appointments"
    __table_args__ = (
        # One live booking per person, item and day; cancelled ones do not count.
        Index(
            "ux_appointments_live",
            "user_id",
            "item_id",
            "day",
            unique=True,
            sqlite_where=text("status = 'booked'"),
            postgresql_where=text("status = 'booked'"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("service_items.id"))
    slot_id: Mapped[int] = mapped_column(ForeignKey("appointment_slots.id"), index=True)
    day: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="booked")
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    cancelled_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class QueueCounter(Base):
    """The last number issued and the number being served, per department and day."""

    __tablename__ = "queue_counters"

    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    last_issued: Mapped[int] = mapped_column(Integer, default=0)
    now_serving: Mapped[int] = mapped_column(Integer, default=0)


class QueueTicket(Base):
    __tablename__ = "queue_tickets"
    __table_args__ = (
        UniqueConstraint("department_id", "day", "number", name="uq_queue_tickets_number"),
        # one number per person and department a day
        UniqueConstraint("department_id", "day", "user_id", name="uq_queue_tickets_person"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    day: Mapped[dt.date] = mapped_column(Date)
    number: Mapped[int] = mapped_column(Integer)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("service_items.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    called_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    called_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
