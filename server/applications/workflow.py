"""The officers' side: their department's inbox, acceptance, and each department's step of the approval.

Every decision first claims the case (a conditional UPDATE that bumps its revision), then moves its own
step with a conditional UPDATE (`state = 'pending'`), then derives the case's status from all steps, in
one transaction: two officers deciding at once cannot both win, and the derived status never misses a step.
"""

import datetime as dt
import secrets

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from api_client import models as wire
from server.accounts.models import User
from server.applications import views
from server.applications.deadlines import DUE_SOON_WORKING_DAYS, pause, set_due
from server.applications.models import Application, ApplicationAccess, ApplicationStep
from server.applications.service import changed_rows, claim, guide_form, record, set_status
from server.core.clock import china_date
from server.core.errors import ApiError, not_found
from server.core.pagination import decode_cursor, encode_cursor
from server.notifications.service import notify
from server.services.models import ServiceItem
from server.workdays.calendar import load_calendar

DECISION_ACTIONS = {"pass": "审查通过", "reject": "审查不通过", "supplement": "要求补正材料"}
STEP_STATES = {"pass": "passed", "reject": "rejected", "supplement": "supplement"}


def case_for(db: Session, officer: User, number: str) -> tuple[Application, ApplicationStep]:
    """The case and this officer's department's step; 404 for a case the department has no part in."""
    row = db.execute(
        select(Application, ApplicationStep)
        .join(ApplicationStep, ApplicationStep.application_id == Application.id)
        .where(Application.number == number[:20], ApplicationStep.department_id == officer.department_id)
    ).first()
    if row is None:
        raise not_found()
    return row[0], row[1]


def inbox(
    db: Session,
    officer: User,
    now: dt.datetime,
    *,
    status: wire.ApplicationStatus | None,
    overdue: bool,
    due_soon: bool,
    cursor: str | None,
    limit: int,
) -> wire.Page[wire.OfficerCaseSummary]:
    """The department's open cases (or those in `status`), the earliest deadline first: overdue ones lead."""
    calendar, today = load_calendar(db), china_date(now)
    step = ApplicationStep
    query = select(step).where(step.department_id == officer.department_id)
    query = query.where(step.case_status == status) if status else query.where(step.case_status.in_(wire.OPEN_STATUSES))
    if overdue:
        query = query.where(step.case_status == "in_review", step.case_due_on < today)
    if due_soon:
        soon = calendar.add_working_days(today, DUE_SOON_WORKING_DAYS).due_on
        query = query.where(step.case_status == "in_review", step.case_due_on >= today, step.case_due_on <= soon)
    if cursor:
        last_due, last_id = decode_cursor(cursor, dt.date, int)
        query = query.where(
            (step.case_due_on > last_due) | ((step.case_due_on == last_due) & (step.application_id > last_id))
        )
    steps = list(db.scalars(query.order_by(step.case_due_on, step.application_id).limit(limit + 1)))
    more = len(steps) > limit
    steps = steps[:limit]
    cases = {
        a.id: a for a in db.scalars(select(Application).where(Application.id.in_([s.application_id for s in steps])))
    }
    names = views.Names(db, items={a.item_id for a in cases.values()}, users={a.applicant_id for a in cases.values()})
    items = [
        wire.OfficerCaseSummary(
            **views.summary(cases[s.application_id], names, calendar, today).model_dump(),
            applicant_name=names.users.get(cases[s.application_id].applicant_id, ""),
            my_step=s.state,
        )
        for s in steps
    ]
    last = steps[-1] if steps else None
    return wire.Page[wire.OfficerCaseSummary](
        items=items,
        next_cursor=encode_cursor([last.case_due_on.isoformat(), last.application_id]) if more and last else None,
    )


def log_access(db: Session, officer: User, application: Application, now: dt.datetime) -> None:
    assert officer.department_id is not None
    db.add(
        ApplicationAccess(
            application_id=application.id, officer_id=officer.id, department_id=officer.department_id, at=now
        )
    )


def read(db: Session, officer: User, number: str, now: dt.datetime) -> wire.OfficerCaseDetail:
    """The case for an officer of a department on it; the read is logged and shown to the citizen."""
    application, step = case_for(db, officer, number)
    log_access(db, officer, application, now)
    db.commit()
    return officer_detail(db, application, step, now)


def officer_detail(
    db: Session, application: Application, step: ApplicationStep, now: dt.datetime
) -> wire.OfficerCaseDetail:
    detail, _ = views.detail(db, application, load_calendar(db), china_date(now))
    applicant = db.get_one(User, application.applicant_id)
    return wire.OfficerCaseDetail(
        **detail.model_dump(),
        applicant_name=applicant.name,
        applicant_phone=application.contact_phone,
        my_step=step.state,
    )


def _implementing(officer: User, application: Application) -> None:
    if application.department_id != officer.department_id:
        raise ApiError(403, "not_implementing_department")


def accept(db: Session, officer: User, number: str, note: str | None, now: dt.datetime) -> wire.OfficerCaseDetail:
    """受理: the clock starts; every approving department's step opens at once (并联)."""
    application, step = case_for(db, officer, number)
    _implementing(officer, application)
    claim(db, application, "submitted")
    item = db.get_one(ServiceItem, application.item_id)
    calendar, today = load_calendar(db), china_date(now)
    application.accepted_on = today
    application.status = "accepted"  # recorded on the timeline, then straight into parallel review
    record(db, application, now, "受理", department_id=officer.department_id, officer_id=officer.id, note=note)
    set_status(db, application, "in_review")
    set_due(db, application, calendar, today, item.promised_days)
    record(db, application, now, "进入并联审查", department_id=officer.department_id, officer_id=officer.id)
    notify(
        db,
        application.applicant_id,
        "application_accepted",
        f"已受理：{item.name}",
        f"您的办件 {application.number} 已受理，承诺 {item.promised_days} 个工作日内办结"
        f"（{application.due_on:%Y年%m月%d日}前）。",
        f"/applications/{application.number}",
        now,
    )
    db.flush()
    return officer_detail(db, application, step, now)


def refuse(db: Session, officer: User, number: str, reason: str, now: dt.datetime) -> wire.OfficerCaseDetail:
    application, step = case_for(db, officer, number)
    if not reason:
        raise ApiError(422, "field_required", "reason")
    _implementing(officer, application)
    claim(db, application, "submitted")
    item = db.get_one(ServiceItem, application.item_id)
    set_status(db, application, "refused")
    application.closed_at = now
    record(db, application, now, "不予受理", department_id=officer.department_id, officer_id=officer.id, note=reason)
    notify(
        db,
        application.applicant_id,
        "application_refused",
        f"不予受理：{item.name}",
        f"您的办件 {application.number} 不予受理。理由：{reason}",
        f"/applications/{application.number}",
        now,
    )
    db.flush()
    return officer_detail(db, application, step, now)


def certificate_number(now: dt.datetime) -> str:
    return f"LNZW{china_date(now):%Y}{secrets.token_hex(5).upper()}"


def decide(
    db: Session, officer: User, number: str, decision: wire.StepDecision, now: dt.datetime
) -> wire.OfficerCaseDetail:
    application, step = case_for(db, officer, number)
    note = (decision.note or "").strip() or None
    item = db.get_one(ServiceItem, application.item_id)
    if decision.decision != "pass" and note is None:
        raise ApiError(422, "field_required", "note")
    if decision.decision == "supplement":
        known = {m.key for m in guide_form(item)[1]}
        if not decision.materials:
            raise ApiError(422, "field_required", "materials")
        if any(key not in known for key in decision.materials):
            raise ApiError(422, "material_unknown", "materials")
    claim(db, application, "in_review")
    today = china_date(now)
    moved = changed_rows(
        db,
        update(ApplicationStep)
        .where(ApplicationStep.id == step.id, ApplicationStep.state == "pending")
        .values(
            state=STEP_STATES[decision.decision],
            note=note,
            officer_id=officer.id,
            decided_at=now,
            on_time=application.due_on is None or today <= application.due_on,
        ),
    )
    if moved == 0:
        raise ApiError(409, "step_already_decided")
    db.refresh(step)
    states = list(db.scalars(select(ApplicationStep.state).where(ApplicationStep.application_id == application.id)))
    department = views.Names(db).departments[officer.department_id or 0]
    link = f"/applications/{application.number}"
    record(
        db,
        application,
        now,
        f"{department.short_name}{DECISION_ACTIONS[decision.decision]}",
        department_id=officer.department_id,
        officer_id=officer.id,
        note=note,
    )
    if decision.decision == "reject":
        set_status(db, application, "rejected")
        application.closed_at = now
        record(db, application, now, "审查未通过", department_id=officer.department_id, note=note)
        notify(
            db,
            application.applicant_id,
            "application_rejected",
            f"未通过：{item.name}",
            f"{department.short_name}审查未通过。理由：{note}",
            link,
            now,
        )
    elif decision.decision == "supplement":
        calendar = load_calendar(db)
        pause(application, calendar, today)
        application.requested_materials = list(dict.fromkeys(decision.materials))
        set_status(db, application, "supplement")
        record(db, application, now, "等待申请人补正，办理时限暂停计算", department_id=officer.department_id)
        names = {m.key: m.name for m in guide_form(item)[1]}
        wanted = "、".join(names[k] for k in application.requested_materials)
        notify(
            db,
            application.applicant_id,
            "supplement_requested",
            f"需补正：{item.name}",
            f"{department.short_name}请您补正：{wanted}。说明：{note}",
            link,
            now,
        )
    elif all(state == "passed" for state in states):
        set_status(db, application, "completed")
        application.closed_at = now
        application.certificate_number = certificate_number(now)
        record(db, application, now, f"办结，出具证书 {application.certificate_number}")
        notify(
            db,
            application.applicant_id,
            "application_completed",
            f"已办结：{item.name}",
            f"您的办件 {application.number} 已办结，证书编号 {application.certificate_number}，可在办件详情下载。",
            link,
            now,
        )
    else:
        notify(
            db,
            application.applicant_id,
            "step_decided",
            f"{department.short_name}审查通过",
            f"您的办件 {application.number}：{department.short_name}审查通过，其他部门仍在审查。",
            link,
            now,
        )
    db.flush()
    return officer_detail(db, application, step, now)
