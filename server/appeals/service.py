"""The citizen's side of appeals: submit (logged in or through the fast channel), read, follow up, rate, reopen,
look up with fast-channel credentials and link those appeals to an account.

Every write first claims the appeal with a conditional UPDATE (its condition is the state the write needs, and
it bumps the revision), so two requests at once cannot both rate, both reopen or both answer.
"""

import datetime as dt
import hashlib
import hmac
import math
import re
import secrets
from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import ColumnElement, CursorResult, delete, func, select, update
from sqlalchemy.orm import Session

from api_client import models as wire
from server.accounts.models import User
from server.accounts.throttle import _lock as lock_subjects
from server.appeals.deadlines import deadline_view, due_on
from server.appeals.masking import mask_personal_data, names_in
from server.appeals.models import Appeal, AppealAttachment, AppealLookupAttempt, AppealMessage
from server.attachments.models import StoredAttachment
from server.attachments.service import claim_anonymous, owned_attachments
from server.attachments.service import to_wire as attachment_to_wire
from server.core.clock import china_date
from server.core.errors import ApiError, not_found
from server.core.pagination import decode_cursor, encode_cursor
from server.departments.models import Department
from server.departments.routes import to_wire as department_to_wire
from server.search.indexing import SearchSource, index_documents
from server.workdays.calendar import WorkCalendar, load_calendar

# The department that really handles each category when the citizen picks 不确定.
CATEGORY_DEPARTMENTS: dict[str, str] = {
    "拆迁征地": "zrzyt",
    "粮食直补": "nynct",
    "滥收费": "scjgj",
    "学校搬迁": "jyt",
    "拖欠农民工工资": "rst",
    "惠农政策落实": "nynct",
    "环境污染": "sthjt",
    "交通出行": "jtt",
    "教育": "jyt",
    "医疗": "wsjkw",
    "社保": "rst",
    "住房": "zjt",
    "其他": "xfj",
}
PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # 32 letters without look-alikes: 5 bits each
PASSWORD_LENGTH = 16  # 80 bits
LOOKUP_WINDOW = dt.timedelta(minutes=15)
LOOKUP_FAILURES = 10
ANSWERED = ("replied", "closed")
NUMBER_PATTERN = re.compile(r"S\d{18}")


def new_number(now: dt.datetime) -> str:
    """诉求编号: S, the date and ten random digits, so numbers say when and cannot be enumerated."""
    return f"S{china_date(now):%Y%m%d}{secrets.randbelow(10**10):010d}"


def new_credentials() -> tuple[str, str]:
    username = f"ks{secrets.randbelow(10**10):010d}"
    password = "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(PASSWORD_LENGTH))
    return username, password


def password_digest(password: str) -> str:
    return hashlib.sha256(password.strip().upper().encode()).hexdigest()


def changed_rows(db: Session, statement: Any) -> int:
    result = db.execute(statement.execution_options(synchronize_session=False))
    return int(cast(CursorResult[Any], result).rowcount)


def claim(db: Session, appeal: Appeal, condition: ColumnElement[bool]) -> None:
    """Takes the appeal for this write if `condition` still holds, else 409; later writers queue behind it."""
    claimed = changed_rows(
        db,
        update(Appeal).where(Appeal.id == appeal.id, condition).values(revision=Appeal.revision + 1),
    )
    if claimed == 0:
        db.rollback()
        raise ApiError(409, "appeal_state_conflict")
    db.refresh(appeal)


def add_message(
    db: Session,
    appeal: Appeal,
    kind: wire.MessageKind,
    body: str,
    now: dt.datetime,
    *,
    officer: User | None = None,
) -> None:
    db.add(
        AppealMessage(
            appeal_id=appeal.id,
            kind=kind,
            at=now,
            author="department" if officer is not None else "citizen",
            department_id=officer.department_id if officer is not None else None,
            officer_id=officer.id if officer is not None else None,
            body=body,
        )
    )


def department_named(db: Session, code: str, field: str) -> Department:
    department = db.scalar(select(Department).where(Department.code == code))
    if department is None:
        raise ApiError(422, "department_unknown", field)
    return department


def submit(db: Session, caller: User | None, body: wire.AppealCreate, now: dt.datetime) -> wire.AppealReceipt:
    """A logged-in citizen's appeal, or an anonymous one answered with fast-channel credentials (shown once).

    A citizen cites their own uploads; an anonymous submitter cites anonymous uploads, each claimed by this appeal
    (see claim_anonymous): anything else is the same 422, so nobody learns whether someone else's id exists.
    """
    code = CATEGORY_DEPARTMENTS[body.category] if body.department == wire.UNDECIDED_DEPARTMENT else body.department
    department = department_named(db, code, "department")
    if caller is not None:
        owned = owned_attachments(db, caller.id, body.attachments)
        known = all(a in owned for a in body.attachments)
    else:
        known = claim_anonymous(db, body.attachments, now)
    if not known:
        raise ApiError(422, "attachment_unknown", "attachments")
    days, due = due_on(load_calendar(db), body.type, now)
    credentials = new_credentials() if caller is None else None
    appeal = Appeal(
        number=new_number(now),
        type=body.type,
        category=body.category,
        department_id=department.id,
        title=body.title,
        content=body.content,
        location_address=body.location.address if body.location else None,
        latitude=body.location.latitude if body.location else None,
        longitude=body.location.longitude if body.location else None,
        contact_phone=body.contact_phone,
        public=body.public,
        citizen_id=caller.id if caller is not None else None,
        fast_username=credentials[0] if credentials else None,
        fast_password_hash=password_digest(credentials[1]) if credentials else None,
        status="pending",
        submitted_at=now,
        deadline_days=days,
        due_on=due,
        reopened=False,
        amount_recovered_yuan=0,
        revision=0,
    )
    db.add(appeal)
    db.flush()
    db.add_all(AppealAttachment(appeal_id=appeal.id, attachment_id=a) for a in sorted(set(body.attachments)))
    add_message(db, appeal, "submitted", body.content, now)
    db.flush()
    return wire.AppealReceipt(
        appeal=detail(db, appeal, now),
        credentials=wire.FastChannelCredentials(username=credentials[0], password=credentials[1])
        if credentials
        else None,
    )


class Names:
    """Department rows for a batch of appeals, read once."""

    def __init__(self, db: Session, ids: set[int]) -> None:
        self.departments = (
            {d.id: d for d in db.scalars(select(Department).where(Department.id.in_(ids)))} if ids else {}
        )

    def wire(self, department_id: int) -> wire.Department:
        return department_to_wire(self.departments[department_id])


def summary(appeal: Appeal, names: Names, calendar: WorkCalendar, today: dt.date) -> wire.AppealSummary:
    deadline = deadline_view(calendar, appeal.due_on, appeal.deadline_days, appeal.status, today)
    return wire.AppealSummary(
        number=appeal.number,
        type=cast(wire.AppealType, appeal.type),
        category=cast(wire.AppealCategory, appeal.category),
        title=appeal.title,
        department=names.wire(appeal.department_id),
        status=cast(wire.AppealStatus, appeal.status),
        submitted_at=appeal.submitted_at,
        deadline=deadline,
        supervised=deadline.overdue,
    )


def messages_of(db: Session, appeal: Appeal, names: dict[int, str]) -> list[wire.AppealMessage]:
    rows = db.scalars(select(AppealMessage).where(AppealMessage.appeal_id == appeal.id).order_by(AppealMessage.id))
    return [
        wire.AppealMessage(
            kind=cast(wire.MessageKind, m.kind),
            at=m.at,
            author=cast(Any, m.author),
            department=names.get(m.department_id) if m.department_id is not None else None,
            body=m.body,
        )
        for m in rows
    ]


def detail(db: Session, appeal: Appeal, now: dt.datetime) -> wire.AppealDetail:
    today, calendar = china_date(now), load_calendar(db)
    names = {d.id: d.name for d in db.scalars(select(Department))}
    departments = Names(db, {appeal.department_id})
    base = summary(appeal, departments, calendar, today)
    answered = appeal.status in ANSWERED
    files = list(
        db.scalars(
            select(StoredAttachment)
            .join(AppealAttachment, AppealAttachment.attachment_id == StoredAttachment.id)
            .where(AppealAttachment.appeal_id == appeal.id)
            .order_by(StoredAttachment.id)
        )
    )
    return wire.AppealDetail(
        **base.model_dump(),
        content=appeal.content,
        location=wire.AppealLocation(
            address=appeal.location_address, latitude=appeal.latitude, longitude=appeal.longitude
        )
        if appeal.location_address
        else None,
        contact_phone=appeal.contact_phone,
        public=appeal.public,
        attachments=[f.id for f in files],
        files=[attachment_to_wire(f) for f in files],
        messages=messages_of(db, appeal, names),
        rating=cast(wire.Satisfaction | None, appeal.rating),
        rating_comment=appeal.rating_comment,
        reopened=appeal.reopened,
        can_rate=answered and appeal.rating is None,
        can_reopen=appeal.rating == "不满意" and not appeal.reopened,
    )


def well_formed(number: str) -> str:
    """The number as stored, or 404 before any query for something that cannot be one (NUL, 5,000 digits)."""
    if NUMBER_PATTERN.fullmatch(number) is None:
        raise not_found()
    return number


def mine(db: Session, user: User, number: str) -> Appeal:
    appeal = db.scalar(select(Appeal).where(Appeal.number == well_formed(number), Appeal.citizen_id == user.id))
    if appeal is None:
        raise not_found()
    return appeal


def list_mine(db: Session, user: User, cursor: str | None, limit: int, now: dt.datetime) -> wire.AppealPage:
    """Newest first, keyset-paged by id."""
    query = select(Appeal).where(Appeal.citizen_id == user.id)
    if cursor:
        (last_id,) = decode_cursor(cursor, int)
        query = query.where(Appeal.id < last_id)
    rows = list(db.scalars(query.order_by(Appeal.id.desc()).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    names, calendar, today = Names(db, {a.department_id for a in rows}), load_calendar(db), china_date(now)
    return wire.AppealPage(
        items=[summary(a, names, calendar, today) for a in rows],
        next_cursor=encode_cursor([rows[-1].id]) if more else None,
    )


def follow_up(db: Session, appeal: Appeal, body: wire.AppealFollowUp, now: dt.datetime) -> wire.AppealDetail:
    """A further question or detail while the appeal is not closed; the department sees it on the timeline."""
    claim(db, appeal, Appeal.status.in_(("pending", "replied")))
    add_message(db, appeal, "follow_up", body.body, now)
    db.flush()
    return detail(db, appeal, now)


def rate(db: Session, appeal: Appeal, body: wire.AppealRatingSubmit, now: dt.datetime) -> wire.AppealDetail:
    claim(db, appeal, Appeal.status.in_(ANSWERED) & Appeal.rating.is_(None))
    appeal.rating = body.satisfaction
    appeal.rating_comment = body.comment or None
    add_message(db, appeal, "rating", f"{body.satisfaction}{'：' + body.comment if body.comment else ''}", now)
    db.flush()
    return detail(db, appeal, now)


def reopen(db: Session, appeal: Appeal, body: wire.AppealReopen, now: dt.datetime) -> wire.AppealDetail:
    """Once, after 不满意: back to the same department with a new period from today; the rating starts over."""
    claim(db, appeal, (Appeal.rating == "不满意") & Appeal.reopened.is_(False))
    days, due = due_on(load_calendar(db), appeal.type, now)
    appeal.status, appeal.reopened, appeal.rating, appeal.rating_comment = "pending", True, None, None
    appeal.deadline_days, appeal.due_on, appeal.closed_at = days, due, None
    add_message(db, appeal, "reopen", body.reason, now)
    db.flush()
    return detail(db, appeal, now)


def _throttle(db: Session, subjects: list[str], now: dt.datetime) -> None:
    """429 with Retry-After when any subject has LOOKUP_FAILURES failures in the window (counted atomically)."""
    lock_subjects(db, subjects)
    since = now - LOOKUP_WINDOW
    for subject in subjects:
        count, oldest = db.execute(
            select(func.count(), func.min(AppealLookupAttempt.at)).where(
                AppealLookupAttempt.subject == subject, AppealLookupAttempt.at > since
            )
        ).one()
        if count >= LOOKUP_FAILURES:
            db.commit()
            wait = math.ceil((oldest + LOOKUP_WINDOW - now).total_seconds())
            raise ApiError(429, "appeal_lookup_throttled", headers={"Retry-After": str(max(wait, 1))})
    db.execute(delete(AppealLookupAttempt).where(AppealLookupAttempt.at <= since))


def _credential_subjects(credentials: list[wire.FastChannelLookup], client: str) -> list[str]:
    return [f"appeal-address:{client}", *sorted({f"appeal-user:{c.username.strip().lower()}" for c in credentials})]


def _holder_of(db: Session, credentials: wire.FastChannelLookup) -> Appeal | None:
    appeal = db.scalar(select(Appeal).where(Appeal.fast_username == credentials.username.strip().lower()))
    digest = password_digest(credentials.password)
    if appeal is None or appeal.fast_password_hash is None:
        hmac.compare_digest(digest, "0" * 64)  # the same work for a username that does not exist
        return None
    return appeal if hmac.compare_digest(digest, appeal.fast_password_hash) else None


def _verified(db: Session, credentials: list[wire.FastChannelLookup], client: str, now: dt.datetime) -> list[Appeal]:
    """The appeals these credentials open, all or none: any wrong pair is one generic failure, counted."""
    subjects = _credential_subjects(credentials, client)
    _throttle(db, subjects, now)
    appeals = [_holder_of(db, c) for c in credentials]
    if any(a is None for a in appeals):
        db.add_all(AppealLookupAttempt(subject=s, at=now) for s in subjects)
        db.commit()
        raise ApiError(404, "appeal_credentials_invalid")
    return [a for a in appeals if a is not None]


def held(db: Session, credentials: wire.FastChannelLookup, client: str, now: dt.datetime) -> Appeal:
    """The one appeal these fast-channel credentials open, throttled and failing like a lookup; the lock rows
    stay in the transaction, so a write made next commits with them."""
    (appeal,) = _verified(db, [credentials], client, now)
    return appeal


def held_attachment(db: Session, appeal: Appeal, attachment_id: str) -> StoredAttachment:
    """A file attached to the appeal the caller's credentials opened; anything else is 404."""
    if len(attachment_id) != 32:
        raise not_found()
    row = db.scalar(
        select(StoredAttachment)
        .join(AppealAttachment, AppealAttachment.attachment_id == StoredAttachment.id)
        .where(AppealAttachment.appeal_id == appeal.id, StoredAttachment.id == attachment_id)
    )
    if row is None:
        raise not_found()
    return row


def lookup(db: Session, credentials: wire.FastChannelLookup, client: str, now: dt.datetime) -> wire.AppealDetail:
    appeal = held(db, credentials, client, now)
    db.commit()
    return detail(db, appeal, now)


def link(db: Session, user: User, body: wire.FastChannelLink, client: str, now: dt.datetime) -> wire.LinkResult:
    """Moves fast-channel appeals, and their anonymous attachments, into the caller's account; an appeal already in
    another account counts as wrong credentials (the same generic failure)."""
    appeals = _verified(db, body.credentials, client, now)
    for appeal in appeals:
        claimed = changed_rows(
            db,
            update(Appeal)
            .where(Appeal.id == appeal.id, (Appeal.citizen_id.is_(None)) | (Appeal.citizen_id == user.id))
            .values(citizen_id=user.id, revision=Appeal.revision + 1),
        )
        if claimed == 0:
            db.rollback()
            raise ApiError(404, "appeal_credentials_invalid")
    attached = select(AppealAttachment.attachment_id).where(AppealAttachment.appeal_id.in_([a.id for a in appeals]))
    db.execute(  # their anonymous photos become the account's, readable like its own uploads
        update(StoredAttachment)
        .where(StoredAttachment.id.in_(attached), StoredAttachment.owner_id.is_(None))
        .values(owner_id=user.id)
        .execution_options(synchronize_session=False)
    )
    return wire.LinkResult(linked=sorted({a.number for a in appeals}))


def known_names(appeal: Appeal, citizen_name: str | None) -> set[str]:
    """The names to mask in everything published about this appeal: the account holder's and those it introduces."""
    names = names_in(f"{appeal.title}\n{appeal.content}")
    return names | {citizen_name} if citizen_name else names


def publish(db: Session, appeals: Sequence[Appeal]) -> None:
    """Public appeals with an answer go into the search index (again, when answered again), their texts masked."""
    shown = [a for a in appeals if a.public and a.status in ANSWERED]
    if not shown:
        return
    ids = [a.id for a in shown]
    answers: dict[int, list[str]] = {i: [] for i in ids}
    for appeal_id, body in db.execute(
        select(AppealMessage.appeal_id, AppealMessage.body)
        .where(AppealMessage.appeal_id.in_(ids), AppealMessage.kind.in_(("reply", "close")))
        .order_by(AppealMessage.id)
    ):
        answers[appeal_id].append(body)
    departments = {d.id: d.short_name for d in db.scalars(select(Department))}
    citizens = {a.citizen_id for a in shown if a.citizen_id is not None}
    citizen_names = {i: n for i, n in db.execute(select(User.id, User.name).where(User.id.in_(citizens)))}
    sources = []
    for appeal in shown:
        names = known_names(appeal, citizen_names.get(appeal.citizen_id or 0))
        sources.append(
            SearchSource(
                ref_id=appeal.id,
                kind=appeal.category,
                title=mask_personal_data(appeal.title, names),
                keywords=f"{appeal.category} {appeal.type} {departments[appeal.department_id]}",
                content=mask_personal_data("\n".join([appeal.content, *answers[appeal.id]]), names),
                published_on=china_date(appeal.submitted_at),
            )
        )
    index_documents(db.connection(), "appeal", sources)
