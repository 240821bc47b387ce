"""The citizen's side: submit, read, supplement, withdraw, rate, and the anonymous progress lookup."""

import datetime as dt
import math
import secrets
from collections.abc import Mapping, Sequence
from typing import Any, cast

from sqlalchemy import CursorResult, Update, delete, func, select, update
from sqlalchemy.orm import Session

from api_client import models as wire
from api_client.forms import clean_form, form_problems, material_problems
from server.accounts.models import User
from server.applications import views
from server.applications.deadlines import set_due
from server.applications.models import (
    NOT_DUE,
    Application,
    ApplicationEvent,
    ApplicationMaterial,
    ApplicationStep,
    LookupAttempt,
)
from server.attachments.service import owned_attachments
from server.core.clock import china_date
from server.core.errors import ApiError, not_found
from server.core.field_errors import FieldErrors
from server.core.pagination import decode_cursor, encode_cursor
from server.departments.models import Department
from server.departments.routes import to_wire as department_to_wire
from server.services.models import ServiceItem, ServiceItemDepartment
from server.workdays.calendar import load_calendar

LOOKUP_WINDOW = dt.timedelta(minutes=10)
LOOKUP_LIMIT = 20
LOOKUP_HINT = "凭办件编号和提交时的手机号，无需登录即可查询办理进度"


def guide_form(item: ServiceItem) -> tuple[list[wire.FormField], list[wire.Material]]:
    guide = item.guide
    return (
        [wire.FormField.model_validate(f) for f in guide.get("form", [])],
        [wire.Material.model_validate(m) for m in guide.get("materials", [])],
    )


def new_number(now: dt.datetime) -> str:
    """办件编号: the date and ten random digits, so numbers say when and cannot be enumerated."""
    return f"{china_date(now):%Y%m%d}{secrets.randbelow(10**10):010d}"


def record(
    db: Session,
    application: Application,
    now: dt.datetime,
    action: str,
    *,
    department_id: int | None = None,
    officer_id: int | None = None,
    note: str | None = None,
) -> None:
    db.add(
        ApplicationEvent(
            application_id=application.id,
            at=now,
            status=application.status,
            action=action,
            department_id=department_id,
            officer_id=officer_id,
            note=note,
        )
    )


def set_status(db: Session, application: Application, status: str) -> None:
    """The case's status, mirrored onto its steps (the officers' inbox reads them) in the same transaction."""
    application.status = status
    changed_rows(
        db, update(ApplicationStep).where(ApplicationStep.application_id == application.id).values(case_status=status)
    )


def checked_materials(
    db: Session,
    owner: User,
    materials: Sequence[wire.Material],
    given: Mapping[str, list[str]],
    only: Sequence[str] | None = None,
) -> dict[str, str]:
    """Problems with the attachments given per material: unknown or someone else's ids, formats, required ones."""
    owned = owned_attachments(db, owner.id, [i for ids in given.values() for i in ids])
    problems = {
        f"materials.{key}": "attachment_unknown" for key, ids in given.items() if any(i not in owned for i in ids)
    }
    formats: dict[str, list[wire.FileFormat]] = {
        key: [cast(wire.FileFormat, owned[i].format) for i in ids if i in owned] for key, ids in given.items()
    }
    for key, code in material_problems(materials, formats, only).items():
        problems.setdefault(f"materials.{key}", code)
    return problems


def submit(db: Session, user: User, body: wire.ApplicationCreate, now: dt.datetime) -> wire.Receipt:
    item = db.scalar(select(ServiceItem).where(ServiceItem.code == body.item_code))
    if item is None:
        raise ApiError(422, "item_unknown", "item_code")
    fields, materials = guide_form(item)
    problems = {f"form.{k}": c for k, c in form_problems(fields, body.form, china_date(now)).items()}
    problems.update(checked_materials(db, user, materials, body.materials))
    if problems:
        raise FieldErrors(problems)
    approving = list(
        db.scalars(
            select(ServiceItemDepartment.department_id)
            .where(ServiceItemDepartment.item_id == item.id)
            .order_by(ServiceItemDepartment.position)
        )
    )
    departments = [item.department_id, *(d for d in approving if d != item.department_id)]
    application = Application(
        number=new_number(now),
        item_id=item.id,
        department_id=item.department_id,
        applicant_id=user.id,
        contact_phone=user.phone,
        status="submitted",
        form=clean_form(fields, body.form),
        requested_materials=[],
        submitted_at=now,
        working_days_used=0,
        due_provisional=False,
        due_soon_warned=False,
        revision=0,
    )
    db.add(application)
    db.flush()
    db.add_all(
        ApplicationMaterial(application_id=application.id, material_key=key, attachment_id=attachment_id, round=0)
        for key, ids in body.materials.items()
        for attachment_id in dict.fromkeys(ids)
    )
    db.add_all(
        ApplicationStep(
            application_id=application.id,
            department_id=department_id,
            state="pending",
            case_status="submitted",
            case_due_on=NOT_DUE,
        )
        for department_id in departments
    )
    record(db, application, now, "提交申请")
    db.flush()
    names = {m.key: m.name for m in materials}
    return wire.Receipt(
        number=application.number,
        item_code=item.code,
        item_name=item.name,
        department=department_to_wire(db.get_one(Department, item.department_id)),
        applicant_name=user.name,
        submitted_at=now,
        promised_days=item.promised_days,
        materials=[
            wire.MaterialReceived(key=k, name=names[k], files=len(set(v))) for k, v in body.materials.items() if v
        ],
        lookup_hint=LOOKUP_HINT,
    )


def mine(db: Session, user: User, number: str) -> Application:
    """The caller's own application; anyone else's is 404, indistinguishable from one that does not exist."""
    application = db.scalar(
        select(Application).where(Application.number == number[:20], Application.applicant_id == user.id)
    )
    if application is None:
        raise not_found()
    return application


def list_mine(
    db: Session, user: User, cursor: str | None, limit: int, now: dt.datetime
) -> wire.Page[wire.ApplicationSummary]:
    query = select(Application).where(Application.applicant_id == user.id).order_by(Application.id.desc())
    if cursor:
        (last_id,) = decode_cursor(cursor, int)
        query = query.where(Application.id < last_id)
    rows = list(db.scalars(query.limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    names = views.Names(db, items={r.item_id for r in rows})
    calendar, today = load_calendar(db), china_date(now)
    return wire.Page[wire.ApplicationSummary](
        items=[views.summary(r, names, calendar, today) for r in rows],
        next_cursor=encode_cursor([rows[-1].id]) if more else None,
    )


def read(db: Session, user: User, number: str, now: dt.datetime) -> wire.ApplicationDetail:
    application = mine(db, user, number)
    return views.detail(db, application, load_calendar(db), china_date(now))[0]


def changed_rows(db: Session, statement: Update) -> int:
    """How many rows a conditional UPDATE changed: 0 means its condition no longer held."""
    result = db.execute(statement.execution_options(synchronize_session=False))
    return int(cast(CursorResult[Any], result).rowcount)


def claim(db: Session, application: Application, *statuses: str) -> None:
    """Takes the case for this write (bumps its revision) if it is in one of `statuses`, else 409.

    The UPDATE comes first, so concurrent writers to one case queue on its row (PostgreSQL) or on the
    database (SQLite) and each sees the others' committed changes.
    """
    claimed = changed_rows(
        db,
        update(Application)
        .where(Application.id == application.id, Application.status.in_(statuses))
        .values(revision=Application.revision + 1),
    )
    if claimed == 0:
        raise ApiError(409, "application_state_conflict")
    db.refresh(application)


def supplement(
    db: Session, user: User, number: str, body: wire.SupplementSubmit, now: dt.datetime
) -> wire.ApplicationDetail:
    application = mine(db, user, number)
    claim(db, application, "supplement")
    item = db.get_one(ServiceItem, application.item_id)
    _, materials = guide_form(item)
    problems = checked_materials(db, user, materials, body.materials, only=application.requested_materials)
    if problems:
        raise FieldErrors(problems)
    last_round = db.scalar(
        select(func.max(ApplicationMaterial.round)).where(ApplicationMaterial.application_id == application.id)
    )
    db.add_all(
        ApplicationMaterial(
            application_id=application.id, material_key=key, attachment_id=attachment_id, round=(last_round or 0) + 1
        )
        for key, ids in body.materials.items()
        for attachment_id in dict.fromkeys(ids)
    )
    db.execute(
        update(ApplicationStep)
        .where(ApplicationStep.application_id == application.id, ApplicationStep.state == "supplement")
        .values(state="pending", decided_at=None, officer_id=None)
    )
    calendar, today = load_calendar(db), china_date(now)
    application.requested_materials = []
    set_status(db, application, "in_review")
    set_due(db, application, calendar, today, item.promised_days - application.working_days_used)
    record(db, application, now, "补正材料，恢复审查", note=body.note)
    db.flush()
    return views.detail(db, application, calendar, today)[0]


def withdraw(db: Session, user: User, number: str, now: dt.datetime) -> wire.ApplicationDetail:
    application = mine(db, user, number)
    claim(db, application, *wire.OPEN_STATUSES)
    set_status(db, application, "withdrawn")
    application.closed_at = now
    record(db, application, now, "申请人撤回申请")
    db.flush()
    return views.detail(db, application, load_calendar(db), china_date(now))[0]


def rate(db: Session, user: User, number: str, body: wire.RatingSubmit, now: dt.datetime) -> wire.ApplicationDetail:
    application = mine(db, user, number)
    if application.status != "completed":
        raise ApiError(409, "rating_not_allowed")
    rated = changed_rows(
        db,
        update(Application)
        .where(Application.id == application.id, Application.rating.is_(None))
        .values(rating=body.score, rating_comment=(body.comment or "").strip() or None, rated_at=now),
    )
    if rated == 0:
        raise ApiError(409, "already_rated")
    db.refresh(application)
    return views.detail(db, application, load_calendar(db), china_date(now))[0]


def lookup(db: Session, number: str, phone: str, client_address: str, now: dt.datetime) -> wire.ApplicationLookup:
    """Status and public timeline for whoever knows both the number and the phone; throttled per address."""
    since = now - LOOKUP_WINDOW
    count, oldest = db.execute(
        select(func.count(), func.min(LookupAttempt.at)).where(
            LookupAttempt.client_address == client_address, LookupAttempt.at > since
        )
    ).one()
    if count >= LOOKUP_LIMIT:
        oldest_at = oldest if oldest.tzinfo else oldest.replace(tzinfo=dt.UTC)
        wait = math.ceil((oldest_at + LOOKUP_WINDOW - now).total_seconds())
        raise ApiError(429, "lookup_throttled", headers={"Retry-After": str(max(wait, 1))})
    db.add(LookupAttempt(client_address=client_address[:64], at=now))
    db.execute(delete(LookupAttempt).where(LookupAttempt.at < since))
    db.commit()
    application = db.scalar(
        select(Application).where(Application.number == number[:20], Application.contact_phone == phone[:16])
    )
    if application is None:
        raise not_found()
    events = list(
        db.scalars(
            select(ApplicationEvent)
            .where(ApplicationEvent.application_id == application.id)
            .order_by(ApplicationEvent.id)
        )
    )
    names = views.Names(db, items=[application.item_id])
    return wire.ApplicationLookup(
        number=application.number,
        item_name=names.items[application.item_id].name,
        status=application.status,
        timeline=views.timeline(events, names, public=True),
    )
