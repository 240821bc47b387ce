"""The holiday table, readable by anyone; an admin enters next year's schedule once it is published."""

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Response
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api_client import models as wire
from server.core.deps import CurrentUser, DbSession
from server.core.errors import ApiError, error_responses
from server.core.idempotency import IdempotentWrite
from server.workdays.models import CalendarDay, CalendarYear
from server.workdays.seed import replace_year

router = APIRouter(tags=["calendar"])

Year = Annotated[int, Path(ge=2000, le=2100)]


def schedule(db: Session, year: int) -> wire.CalendarSchedule:
    known = db.get(CalendarYear, year)
    days = list(
        db.scalars(
            select(CalendarDay)
            .where(CalendarDay.day >= dt.date(year, 1, 1), CalendarDay.day <= dt.date(year, 12, 31))
            .order_by(CalendarDay.day)
        )
    )
    return wire.CalendarSchedule(
        year=year,
        known=known is not None,
        source=known.source if known else None,
        holidays=[wire.CalendarEntry(day=d.day, name=d.name) for d in days if not d.is_workday],
        workdays=[wire.CalendarEntry(day=d.day, name=d.name) for d in days if d.is_workday],
    )


@router.get("/calendar/{year}", response_model=wire.CalendarSchedule, responses=error_responses())
def read_calendar(year: Year, db: DbSession) -> wire.CalendarSchedule:
    return schedule(db, year)


@router.put("/admin/calendar/{year}", response_model=wire.CalendarSchedule, responses=error_responses(401, 403, 409))
def publish_calendar(
    year: Year, body: wire.CalendarScheduleUpdate, user: CurrentUser, write: IdempotentWrite
) -> Response:
    """Replaces the year's schedule: holidays on weekdays become days off, listed weekend days working days."""
    if user.role != "admin":
        raise ApiError(403, "forbidden")
    entries = [*body.holidays, *body.workdays]
    if any(entry.day.year != year for entry in entries):
        raise ApiError(422, "calendar_date_outside_year", "holidays")
    if {e.day for e in body.holidays} & {e.day for e in body.workdays}:
        raise ApiError(422, "calendar_date_twice", "workdays")
    try:
        replace_year(
            write.db,
            year,
            {e.day: e.name.strip() for e in body.holidays},
            {e.day: e.name.strip() for e in body.workdays},
            f"admin:{user.id}",
        )
    except IntegrityError as exc:  # another admin published the same year at the same moment
        raise ApiError(409, "concurrent_change") from exc
    return write.respond(schedule(write.db, year))
