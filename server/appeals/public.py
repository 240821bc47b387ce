"""The public mailbox (answered public appeals, personal data masked) and the transparency figures, both read
from the appeals themselves: nothing here is typed in."""

from collections import Counter
from typing import cast

from sqlalchemy import Connection, func, select
from sqlalchemy.orm import Session

from api_client import models as wire
from server.accounts.models import User
from server.appeals.masking import mask_personal_data
from server.appeals.models import Appeal, AppealMessage
from server.appeals.service import ANSWERED, NUMBER_PATTERN, Names, known_names
from server.core.clock import china_date
from server.core.errors import not_found
from server.core.pagination import decode_cursor, encode_cursor
from server.departments.models import Department

YUAN_PER_YI = 100_000_000


def public_appeals(
    db: Session,
    *,
    category: wire.AppealCategory | None,
    appeal_type: wire.AppealType | None,
    department: str | None,
    cursor: str | None,
    limit: int,
) -> wire.Page[wire.PublicAppeal]:
    """Newest first; only public appeals that have an answer."""
    query = select(Appeal).where(Appeal.public.is_(True), Appeal.status.in_(ANSWERED))
    if category:
        query = query.where(Appeal.category == category)
    if appeal_type:
        query = query.where(Appeal.type == appeal_type)
    if department:
        query = query.join(Department, Department.id == Appeal.department_id).where(Department.code == department)
    if cursor:
        (last_id,) = decode_cursor(cursor, int)
        query = query.where(Appeal.id < last_id)
    rows = list(db.scalars(query.order_by(Appeal.id.desc()).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    return wire.Page[wire.PublicAppeal](
        items=_published(db, rows), next_cursor=encode_cursor([rows[-1].id]) if more else None
    )


def public_appeal(db: Session, number: str) -> wire.PublicAppeal:
    """One appeal as the mailbox shows it; 404 for a number that is not public or not answered yet, exactly as for
    one that does not exist, so the mailbox does not tell which private appeals exist."""
    if NUMBER_PATTERN.fullmatch(number) is None:
        raise not_found()
    appeal = db.scalar(
        select(Appeal).where(Appeal.number == number, Appeal.public.is_(True), Appeal.status.in_(ANSWERED))
    )
    if appeal is None:
        raise not_found()
    return _published(db, [appeal])[0]


def _published(db: Session, rows: list[Appeal]) -> list[wire.PublicAppeal]:
    """The appeals with their answers, every text masked with the names each appeal introduces."""
    departments = Names(db, {a.department_id for a in rows})
    department_names = {d.id: d.name for d in db.scalars(select(Department))}
    citizens = {a.citizen_id for a in rows if a.citizen_id is not None}
    citizen_names = {i: n for i, n in db.execute(select(User.id, User.name).where(User.id.in_(citizens)))}
    names = {a.id: known_names(a, citizen_names.get(a.citizen_id or 0)) for a in rows}
    replies: dict[int, list[wire.AppealMessage]] = {a.id: [] for a in rows}
    for message in db.scalars(
        select(AppealMessage)
        .where(AppealMessage.appeal_id.in_(list(replies)), AppealMessage.kind.in_(("reply", "close")))
        .order_by(AppealMessage.id)
    ):
        replies[message.appeal_id].append(
            wire.AppealMessage(
                kind=cast(wire.MessageKind, message.kind),
                at=message.at,
                author="department",
                department=department_names.get(message.department_id or 0),
                body=mask_personal_data(message.body, names[message.appeal_id]),
            )
        )
    return [
        wire.PublicAppeal(
            number=a.number,
            type=cast(wire.AppealType, a.type),
            category=cast(wire.AppealCategory, a.category),
            title=mask_personal_data(a.title, names[a.id]),
            content=mask_personal_data(a.content, names[a.id]),
            department=departments.wire(a.department_id),
            status=cast(wire.AppealStatus, a.status),
            submitted_at=a.submitted_at,
            replies=replies[a.id],
            rating=cast(wire.Satisfaction | None, a.rating),
        )
        for a in rows
    ]


def _rows(counts: dict[str, tuple[int, int]]) -> list[wire.AppealCountRow]:
    return [
        wire.AppealCountRow(key=key, received=received, handled=handled)
        for key, (received, handled) in sorted(counts.items(), key=lambda kv: (-kv[1][0], kv[0]))
    ]


def stats(db: Session) -> wire.AppealStats:
    """Received, handled (answered), on time (first answer by the due date), satisfaction (满意 or 基本满意 among
    rated), money recovered, and the same counts by department, category and month of submission."""
    handled_filter = Appeal.status.in_(ANSWERED)
    received, handled, on_time, rated, satisfied, recovered = db.execute(
        select(
            func.count(),
            func.count().filter(handled_filter),
            func.count().filter(handled_filter, Appeal.answered_on_time.is_(True)),
            func.count(Appeal.rating),
            func.count().filter(Appeal.rating.in_(("满意", "基本满意"))),
            func.coalesce(func.sum(Appeal.amount_recovered_yuan), 0),
        )
    ).one()
    by_department = {
        name: (r, h)
        for name, r, h in db.execute(
            select(Department.name, func.count(), func.count().filter(handled_filter))
            .join(Department, Department.id == Appeal.department_id)
            .group_by(Department.name)
        )
    }
    by_category = {
        category: (r, h)
        for category, r, h in db.execute(
            select(Appeal.category, func.count(), func.count().filter(handled_filter)).group_by(Appeal.category)
        )
    }
    months: Counter[str] = Counter()
    handled_months: Counter[str] = Counter()
    for submitted_at, status in db.execute(select(Appeal.submitted_at, Appeal.status)):
        month = f"{china_date(submitted_at):%Y-%m}"
        months[month] += 1
        handled_months[month] += status in ANSWERED
    return wire.AppealStats(
        received=received,
        handled=handled,
        on_time=on_time,
        on_time_rate=round(on_time / handled, 4) if handled else None,
        rated=rated,
        satisfied=satisfied,
        satisfaction_rate=round(satisfied / rated, 4) if rated else None,
        amount_recovered_yi_yuan=round(int(recovered) / YUAN_PER_YI, 4),
        by_department=_rows(by_department),
        by_category=_rows(by_category),
        by_month=[
            wire.AppealCountRow(key=month, received=months[month], handled=handled_months[month])
            for month in sorted(months)
        ],
    )


def appeal_numbers(db: Connection, ids: list[int]) -> dict[int, str]:
    """The 诉求编号 of search results, which the mailbox's links take; only public answered appeals."""
    if not ids:
        return {}
    rows = db.execute(
        select(Appeal.id, Appeal.number).where(Appeal.id.in_(ids), Appeal.public.is_(True), Appeal.status.in_(ANSWERED))
    )
    return {ref_id: number for ref_id, number in rows}
