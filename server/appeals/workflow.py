"""The officers' side: their department's inbox, reply, transfer, close; and the supervisor's overdue list.

An officer sees an appeal only while it is with their department (`Appeal.department_id`): after a transfer
the old department gets 404, like any department it was never routed to.
"""

import datetime as dt

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from api_client import models as wire
from server.accounts.models import User
from server.appeals.models import Appeal, AppealAttachment
from server.appeals.service import (
    Names,
    add_message,
    claim,
    department_named,
    detail,
    publish,
    summary,
    well_formed,
)
from server.attachments.models import StoredAttachment
from server.core.clock import china_date
from server.core.errors import ApiError, not_found
from server.core.pagination import decode_cursor, encode_cursor
from server.notifications.service import notify
from server.workdays.calendar import load_calendar

OPEN = ("pending", "replied")


def case_for(db: Session, officer: User, number: str) -> Appeal:
    appeal = db.scalar(
        select(Appeal).where(Appeal.number == well_formed(number), Appeal.department_id == officer.department_id)
    )
    if appeal is None:
        raise not_found()
    return appeal


def attachment_of(db: Session, officer: User, number: str, attachment_id: str) -> StoredAttachment:
    appeal = case_for(db, officer, number)
    row = db.scalar(
        select(StoredAttachment)
        .join(AppealAttachment, AppealAttachment.attachment_id == StoredAttachment.id)
        .where(AppealAttachment.appeal_id == appeal.id, StoredAttachment.id == attachment_id[:32])
    )
    if row is None:
        raise not_found()
    return row


def _page(
    db: Session, statement: Select[Appeal], now: dt.datetime, cursor: str | None, limit: int
) -> wire.Page[wire.OfficerAppealSummary]:
    """Earliest due date first (overdue ones lead), keyset-paged by (due date, id)."""
    if cursor:
        last_due, last_id = decode_cursor(cursor, dt.date, int)
        statement = statement.where((Appeal.due_on > last_due) | ((Appeal.due_on == last_due) & (Appeal.id > last_id)))
    rows = list(db.scalars(statement.order_by(Appeal.due_on, Appeal.id).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    names, calendar, today = Names(db, {a.department_id for a in rows}), load_calendar(db), china_date(now)
    return wire.Page[wire.OfficerAppealSummary](
        items=[
            wire.OfficerAppealSummary(**summary(a, names, calendar, today).model_dump(), reopened=a.reopened)
            for a in rows
        ],
        next_cursor=encode_cursor([rows[-1].due_on.isoformat(), rows[-1].id]) if more and rows else None,
    )


def inbox(
    db: Session,
    officer: User,
    now: dt.datetime,
    *,
    status: wire.AppealStatus | None,
    overdue: bool,
    due_by: dt.date | None,
    cursor: str | None,
    limit: int,
) -> wire.Page[wire.OfficerAppealSummary]:
    """The department's open appeals (or those in `status`), optionally only overdue or due by a date."""
    query = select(Appeal).where(Appeal.department_id == officer.department_id)
    query = query.where(Appeal.status == status) if status else query.where(Appeal.status.in_(OPEN))
    if overdue:
        query = query.where(Appeal.status == "pending", Appeal.due_on < china_date(now))
    if due_by is not None:
        query = query.where(Appeal.due_on <= due_by)
    return _page(db, query, now, cursor, limit)


def supervised(db: Session, now: dt.datetime, cursor: str | None, limit: int) -> wire.Page[wire.OfficerAppealSummary]:
    """督办: every unanswered appeal past its due date, across departments."""
    query = select(Appeal).where(Appeal.status == "pending", Appeal.due_on < china_date(now))
    return _page(db, query, now, cursor, limit)


def officer_detail(db: Session, appeal: Appeal, now: dt.datetime) -> wire.OfficerAppealDetail:
    citizen = db.get(User, appeal.citizen_id) if appeal.citizen_id is not None else None
    return wire.OfficerAppealDetail(
        **detail(db, appeal, now).model_dump(), citizen_name=citizen.name if citizen else None
    )


def _tell_citizen(db: Session, appeal: Appeal, title: str, body: str, now: dt.datetime) -> None:
    if appeal.citizen_id is not None:
        notify(db, appeal.citizen_id, "appeal_update", title, body, f"/appeals/{appeal.number}", now)


def _mark_answered(appeal: Appeal, now: dt.datetime) -> None:
    if appeal.answered_on_time is None:
        appeal.answered_on_time = china_date(now) <= appeal.due_on
    appeal.answered_at = now


def reply(
    db: Session, officer: User, number: str, body: wire.OfficerReply, now: dt.datetime
) -> wire.OfficerAppealDetail:
    appeal = case_for(db, officer, number)
    claim(db, appeal, Appeal.status.in_(OPEN) & (Appeal.department_id == officer.department_id))
    appeal.status = "replied"
    appeal.amount_recovered_yuan += body.amount_recovered_yuan
    _mark_answered(appeal, now)
    add_message(db, appeal, "reply", body.body, now, officer=officer)
    _tell_citizen(
        db, appeal, "您的诉求已答复", f"您的诉求 {appeal.number}「{appeal.title}」已有答复，请查看并评价。", now
    )
    db.flush()
    publish(db, [appeal])
    return officer_detail(db, appeal, now)


def close(
    db: Session, officer: User, number: str, body: wire.OfficerClose, now: dt.datetime
) -> wire.OfficerAppealDetail:
    appeal = case_for(db, officer, number)
    claim(db, appeal, Appeal.status.in_(OPEN) & (Appeal.department_id == officer.department_id))
    appeal.status, appeal.closed_at = "closed", now
    _mark_answered(appeal, now)
    add_message(db, appeal, "close", body.note or "已办结", now, officer=officer)
    _tell_citizen(db, appeal, "您的诉求已办结", f"您的诉求 {appeal.number}「{appeal.title}」已办结。", now)
    db.flush()
    publish(db, [appeal])
    return officer_detail(db, appeal, now)


def transfer(
    db: Session, officer: User, number: str, body: wire.AppealTransfer, now: dt.datetime
) -> wire.OfficerAppealDetail:
    """To the department that can handle it, with the reason; the due date stays (the clock keeps running)."""
    appeal = case_for(db, officer, number)
    target = department_named(db, body.department, "department")
    if target.id == officer.department_id:
        raise ApiError(422, "transfer_same_department", "department")
    claim(db, appeal, (Appeal.status == "pending") & (Appeal.department_id == officer.department_id))
    appeal.department_id = target.id
    add_message(db, appeal, "transfer", f"转办至{target.name}：{body.reason}", now, officer=officer)
    _tell_citizen(db, appeal, "您的诉求已转办", f"您的诉求 {appeal.number} 已转至{target.name}办理。", now)
    db.flush()
    return officer_detail(db, appeal, now)
