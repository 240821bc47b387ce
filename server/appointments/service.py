"""Booking seats in the service centre's half-hour slots, and today's queue numbers (叫号).

Days are China's (UTC+8, no daylight saving) at the server's clock (`server.core.clock`), so tests can
move it. Slots exist on the next BOOKING_DAYS working days from tomorrow, counted by the same working-day
calendar as the applications' deadlines: public holidays are closed, make-up working weekends (调休) open.
A slot's row is made on its first booking.
"""

import datetime as dt
from typing import Any

from sqlalchemy import Row, Select, and_, case, func, insert, literal, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api_client import models as wire
from server.accounts.models import User
from server.appointments.models import Appointment, AppointmentSlot, QueueCounter, QueueTicket
from server.core.clock import china_date
from server.core.errors import ApiError, not_found
from server.core.pagination import decode_cursor, encode_cursor
from server.db import utcnow
from server.departments.models import Department
from server.services.models import ServiceItem
from server.services.service import ITEM_CODE
from server.workdays.calendar import WorkCalendar, load_calendar

BOOKING_DAYS = 10
SLOT_CAPACITY = 3
SLOT_MINUTES = 30
SLOT_STARTS = tuple(
    f"{hour:02d}:{minute:02d}" for hour in (9, 10, 11, 13, 14, 15, 16) for minute in (0, 30)
)  # 09:00-11:30 and 13:00-16:30: the halls' opening hours, lunch excepted

AnyRow = Row[*tuple[Any, ...]]


def booking_days(calendar: WorkCalendar, today: dt.date) -> list[dt.date]:
    """The working days on which slots can be booked: the next BOOKING_DAYS after `today`."""
    day, found = today, list[dt.date]()
    while len(found) < BOOKING_DAYS:
        day += dt.timedelta(days=1)
        if calendar.is_workday(day):
            found.append(day)
    return found


def _bookable_days(calendar: WorkCalendar, day: dt.date | None, now: dt.datetime) -> list[dt.date]:
    """The days to offer: all bookable ones, or just `day`, refused with the reason the hall is closed then."""
    today = china_date(now)
    days = booking_days(calendar, today)
    if day is None or day in days:
        return days if day is None else [day]
    if day > today and not calendar.is_workday(day):
        raise ApiError(422, "date_holiday" if calendar.is_holiday(day) else "date_rest_day", "date")
    raise ApiError(422, "date_not_bookable", "date")


def slot_end(start: str) -> str:
    hour, minute = int(start[:2]), int(start[3:]) + SLOT_MINUTES
    return f"{hour + minute // 60:02d}:{minute % 60:02d}"


def _visit_item(db: Session, code: str) -> tuple[int, int, str, str]:
    """(item id, department id, name, hall address) of an item that needs a visit to the centre."""
    if not ITEM_CODE.fullmatch(code):
        raise ApiError(422, "item_unknown", "item_code")
    row = db.execute(
        select(
            ServiceItem.id, ServiceItem.department_id, ServiceItem.name, ServiceItem.visits, ServiceItem.guide
        ).where(ServiceItem.code == code)
    ).one_or_none()
    if row is None:
        raise ApiError(422, "item_unknown", "item_code")
    if row.visits == 0:
        raise ApiError(422, "item_online_only", "item_code")
    return row.id, row.department_id, row.name, row.guide["hall_address"]


def slots(db: Session, code: str, day: dt.date | None, now: dt.datetime) -> list[wire.AppointmentSlot]:
    _item_id, department_id, _name, _hall = _visit_item(db, code)
    calendar = load_calendar(db)
    days = _bookable_days(calendar, day, now)
    booked = {
        (slot_day, start): count
        for slot_day, start, count in db.execute(
            select(AppointmentSlot.day, AppointmentSlot.start, AppointmentSlot.booked).where(
                AppointmentSlot.department_id == department_id, AppointmentSlot.day.in_(days)
            )
        )
    }
    return [
        wire.AppointmentSlot(
            date=slot_day,
            start=start,
            end=slot_end(start),
            capacity=SLOT_CAPACITY,
            available=max(0, SLOT_CAPACITY - booked.get((slot_day, start), 0)),
            provisional=not calendar.is_known(slot_day),
        )
        for slot_day in days
        for start in SLOT_STARTS
    ]


def _upsert(db: Session, model: type[AppointmentSlot | QueueCounter], values: dict[str, Any], keys: list[str]) -> None:
    """Insert the row unless it exists (the same statement on both databases)."""
    dialect = postgresql if db.get_bind().dialect.name == "postgresql" else sqlite
    db.execute(dialect.insert(model).values(**values).on_conflict_do_nothing(index_elements=keys))


def book(db: Session, user: User, request: wire.AppointmentRequest, now: dt.datetime) -> wire.Appointment:
    item_id, department_id, _name, _hall = _visit_item(db, request.item_code)
    _bookable_days(load_calendar(db), request.date, now)
    if request.start not in SLOT_STARTS:
        raise ApiError(422, "value_invalid", "start")
    live = select(Appointment.id).where(
        Appointment.user_id == user.id,
        Appointment.item_id == item_id,
        Appointment.day == request.date,
        Appointment.status == "booked",
    )
    if db.scalar(live) is not None:
        raise ApiError(409, "appointment_exists")
    slot_key = {"department_id": department_id, "day": request.date, "start": request.start}
    _upsert(db, AppointmentSlot, {**slot_key, "capacity": SLOT_CAPACITY, "booked": 0}, list(slot_key))
    slot_id = db.scalar(
        update(AppointmentSlot)
        .where(
            AppointmentSlot.department_id == department_id,
            AppointmentSlot.day == request.date,
            AppointmentSlot.start == request.start,
            AppointmentSlot.booked < AppointmentSlot.capacity,
        )
        .values(booked=AppointmentSlot.booked + 1)
        .returning(AppointmentSlot.id)
    )
    if slot_id is None:
        raise ApiError(409, "slot_full", "start")
    try:
        appointment_id = db.scalar(
            insert(Appointment)
            .values(
                user_id=user.id,
                item_id=item_id,
                slot_id=slot_id,
                day=request.date,
                status="booked",
                created_at=utcnow(),
            )
            .returning(Appointment.id)
        )
    except IntegrityError as exc:  # the same person booked the same item and day at the same moment
        raise ApiError(409, "appointment_exists") from exc
    assert appointment_id is not None
    return appointment(db, user, appointment_id, now)


def _appointments(user: User) -> Select[*tuple[Any, ...]]:
    return (
        select(
            Appointment.id,
            Appointment.status,
            Appointment.created_at,
            Appointment.day,
            AppointmentSlot.start,
            ServiceItem.code.label("item_code"),
            ServiceItem.name.label("item_name"),
            ServiceItem.guide,
            Department.code.label("department_code"),
            Department.name.label("department_name"),
            Department.short_name.label("department_short_name"),
            Department.phone.label("department_phone"),
        )
        .join(AppointmentSlot, AppointmentSlot.id == Appointment.slot_id)
        .join(ServiceItem, ServiceItem.id == Appointment.item_id)
        .join(Department, Department.id == ServiceItem.department_id)
        .where(Appointment.user_id == user.id)
    )


def _department(row: AnyRow) -> wire.Department:
    return wire.Department(
        code=row.department_code,
        name=row.department_name,
        short_name=row.department_short_name,
        phone=row.department_phone,
    )


def _appointment(row: AnyRow, today: dt.date) -> wire.Appointment:
    upcoming = row.status == "booked" and row.day >= today
    return wire.Appointment(
        id=row.id,
        item_code=row.item_code,
        item_name=row.item_name,
        department=_department(row),
        date=row.day,
        start=row.start,
        end=slot_end(row.start),
        hall_address=row.guide["hall_address"],
        status=row.status,
        upcoming=upcoming,
        cancellable=upcoming and row.day > today,
        created_at=row.created_at if row.created_at.tzinfo else row.created_at.replace(tzinfo=dt.UTC),
    )


def appointment(db: Session, user: User, appointment_id: int, now: dt.datetime) -> wire.Appointment:
    row = db.execute(_appointments(user).where(Appointment.id == appointment_id)).one_or_none()
    if row is None:
        raise not_found()
    return _appointment(row, china_date(now))


def _later(day: dt.date, start: str, appointment_id: int) -> Any:
    """Rows after (day, start, id) in ascending order, spelt out: the same SQL on both databases."""
    return or_(
        Appointment.day > day,
        and_(
            Appointment.day == day,
            or_(
                AppointmentSlot.start > start,
                and_(AppointmentSlot.start == start, Appointment.id > appointment_id),
            ),
        ),
    )


def _earlier(day: dt.date, start: str, appointment_id: int) -> Any:
    return or_(
        Appointment.day < day,
        and_(
            Appointment.day == day,
            or_(
                AppointmentSlot.start < start,
                and_(AppointmentSlot.start == start, Appointment.id < appointment_id),
            ),
        ),
    )


def my_appointments(
    db: Session, user: User, cursor: str | None, limit: int, now: dt.datetime
) -> wire.Page[wire.Appointment]:
    """Upcoming visits first, soonest first; then past and cancelled ones, latest first.

    The cursor carries the group (0 upcoming, 1 the rest) with the last row's (day, start, id)."""
    today = china_date(now)
    group = case((and_(Appointment.status == "booked", Appointment.day >= today), literal(0)), else_=literal(1))
    upcoming = group == 0
    query = _appointments(user)
    if cursor:
        after_group, day, start, after_id = decode_cursor(cursor, int, dt.date, str, int)
        if after_group == 0:
            query = query.where(or_(and_(upcoming, _later(day, start, after_id)), ~upcoming))
        elif after_group == 1:
            query = query.where(~upcoming, _earlier(day, start, after_id))
        else:
            raise ApiError(422, "cursor_invalid", "cursor")
    ordered = query.add_columns(group.label("sort_group")).order_by(
        group,
        case((upcoming, Appointment.day)),
        case((upcoming, AppointmentSlot.start)),
        case((upcoming, Appointment.id)),
        Appointment.day.desc(),
        AppointmentSlot.start.desc(),
        Appointment.id.desc(),
    )
    rows = list(db.execute(ordered.limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    last = rows[-1] if rows else None
    return wire.Page[wire.Appointment](
        items=[_appointment(row, today) for row in rows],
        next_cursor=encode_cursor([last.sort_group, last.day.isoformat(), last.start, last.id])
        if more and last
        else None,
    )


def cancel(db: Session, user: User, appointment_id: int, now: dt.datetime) -> wire.Appointment:
    """Cancels a booked appointment and frees its seat; cancelling a cancelled one changes nothing.

    The conditional UPDATE on the appointment's status makes concurrent cancels free the seat once."""
    current = appointment(db, user, appointment_id, now)
    if current.status == "booked" and not current.cancellable:
        raise ApiError(409, "appointment_past")
    slot_id = db.scalar(
        update(Appointment)
        .where(Appointment.id == appointment_id, Appointment.user_id == user.id, Appointment.status == "booked")
        .values(status="cancelled", cancelled_at=utcnow())
        .returning(Appointment.slot_id)
    )
    if slot_id is not None:
        db.execute(
            update(AppointmentSlot).where(AppointmentSlot.id == slot_id).values(booked=AppointmentSlot.booked - 1)
        )
    return appointment(db, user, appointment_id, now)


def take_ticket(db: Session, user: User, code: str, now: dt.datetime) -> wire.QueueTicket:
    item_id, department_id, _name, _hall = _visit_item(db, code)
    day = china_date(now)
    mine = select(QueueTicket.id).where(
        QueueTicket.department_id == department_id, QueueTicket.day == day, QueueTicket.user_id == user.id
    )
    if db.scalar(mine) is not None:
        raise ApiError(409, "ticket_exists")
    _upsert(
        db,
        QueueCounter,
        {"department_id": department_id, "day": day, "last_issued": 0, "now_serving": 0},
        ["department_id", "day"],
    )
    number = db.scalar(
        update(QueueCounter)
        .where(QueueCounter.department_id == department_id, QueueCounter.day == day)
        .values(last_issued=QueueCounter.last_issued + 1)
        .returning(QueueCounter.last_issued)
    )
    try:
        ticket_id = db.scalar(
            insert(QueueTicket)
            .values(
                department_id=department_id,
                day=day,
                number=number,
                user_id=user.id,
                item_id=item_id,
                created_at=utcnow(),
            )
            .returning(QueueTicket.id)
        )
    except IntegrityError as exc:
        raise ApiError(409, "ticket_exists") from exc
    assert ticket_id is not None
    return ticket(db, user, ticket_id)


def _tickets(user: User) -> Select[*tuple[Any, ...]]:
    return (
        select(
            QueueTicket.id,
            QueueTicket.number,
            QueueTicket.day,
            QueueTicket.created_at,
            func.coalesce(QueueCounter.now_serving, 0).label("now_serving"),
            ServiceItem.code.label("item_code"),
            ServiceItem.name.label("item_name"),
            Department.code.label("department_code"),
            Department.name.label("department_name"),
            Department.short_name.label("department_short_name"),
            Department.phone.label("department_phone"),
        )
        .join(ServiceItem, ServiceItem.id == QueueTicket.item_id)
        .join(Department, Department.id == QueueTicket.department_id)
        .outerjoin(
            QueueCounter,
            (QueueCounter.department_id == QueueTicket.department_id) & (QueueCounter.day == QueueTicket.day),
        )
        .where(QueueTicket.user_id == user.id)
    )


def _ticket(row: AnyRow) -> wire.QueueTicket:
    serving = row.now_serving
    status: wire.TicketStatus = "waiting" if row.number > serving else "serving" if row.number == serving else "passed"
    return wire.QueueTicket(
        id=row.id,
        number=row.number,
        item_code=row.item_code,
        item_name=row.item_name,
        department=_department(row),
        day=row.day,
        status=status,
        people_ahead=max(0, row.number - serving - 1),
        now_serving=serving,
        created_at=row.created_at if row.created_at.tzinfo else row.created_at.replace(tzinfo=dt.UTC),
    )


def ticket(db: Session, user: User, ticket_id: int) -> wire.QueueTicket:
    row = db.execute(_tickets(user).where(QueueTicket.id == ticket_id)).one_or_none()
    if row is None:
        raise not_found()
    return _ticket(row)


def my_tickets(db: Session, user: User, now: dt.datetime) -> wire.Page[wire.QueueTicket]:
    rows = db.execute(_tickets(user).where(QueueTicket.day == china_date(now)).order_by(QueueTicket.id))
    return wire.Page[wire.QueueTicket](items=[_ticket(row) for row in rows])


def queue_status(db: Session, officer: User, now: dt.datetime) -> wire.QueueStatus:
    day = china_date(now)
    counter = db.execute(
        select(QueueCounter.now_serving, QueueCounter.last_issued).where(
            QueueCounter.department_id == officer.department_id, QueueCounter.day == day
        )
    ).one_or_none()
    serving, issued = (counter.now_serving, counter.last_issued) if counter else (0, 0)
    department = officer.department
    assert department is not None
    return wire.QueueStatus(
        department=wire.Department(
            code=department.code, name=department.name, short_name=department.short_name, phone=department.phone
        ),
        day=day,
        now_serving=serving,
        last_issued=issued,
        waiting=issued - serving,
    )


def call_next(db: Session, officer: User, now: dt.datetime) -> wire.QueueStatus:
    """Advance the department's queue by one; two officers calling at once get two different numbers."""
    day = china_date(now)
    number = db.scalar(
        update(QueueCounter)
        .where(
            QueueCounter.department_id == officer.department_id,
            QueueCounter.day == day,
            QueueCounter.now_serving < QueueCounter.last_issued,
        )
        .values(now_serving=QueueCounter.now_serving + 1)
        .returning(QueueCounter.now_serving)
    )
    if number is None:
        raise ApiError(409, "queue_empty")
    db.execute(
        update(QueueTicket)
        .where(QueueTicket.department_id == officer.department_id, QueueTicket.day == day, QueueTicket.number == number)
        .values(called_at=utcnow(), called_by_id=officer.id)
    )
    return queue_status(db, officer, now)
