from datetime import date

from sqlalchemy import Boolean, Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base


class CalendarYear(Base):
    """A year whose official holiday schedule (国务院办公厅通知) is in the table; other years are guessed."""

    __tablename__ = "calendar_years"

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(64))


class CalendarDay(Base):
    """A day that breaks the Monday-to-Friday rule: a holiday on a weekday or a make-up working weekend day."""

    __tablename__ = "calendar_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    is_workday: Mapped[bool] = mapped_column(Boolean)
    name: Mapped[str] = mapped_column(String(32))
