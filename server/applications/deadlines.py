"""The promised time limit in working days from acceptance; the clock stops while the citizen supplements."""

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from api_client import models as wire
from server.applications.models import Application, ApplicationStep
from server.core.clock import china_date
from server.notifications.service import notify
from server.workdays.calendar import WorkCalendar, load_calendar

DUE_SOON_WORKING_DAYS = 3
CANDIDATE_WINDOW = dt.timedelta(days=21)  # wide enough for three working days across any holiday week
PROVISIONAL_NOTE = "截止日期所在年份的法定节假日安排尚未公布，暂按周末推算，公布后可能调整"


def set_due(db: Session, application: Application, calendar: WorkCalendar, start: dt.date, days: int) -> None:
    """Runs the clock from `start` for `days` working days and copies the due date onto the steps."""
    deadline = calendar.add_working_days(start, max(days, 0))
    application.clock_started_on = start
    application.due_on = deadline.due_on
    application.due_provisional = not deadline.known
    db.execute(
        update(ApplicationStep)
        .where(ApplicationStep.application_id == application.id)
        .values(case_due_on=deadline.due_on)
    )


def pause(application: Application, calendar: WorkCalendar, today: dt.date) -> None:
    if application.clock_started_on is not None:
        application.working_days_used += calendar.working_days_between(application.clock_started_on, today)
        application.clock_started_on = None


def deadline_view(application: Application, calendar: WorkCalendar, today: dt.date) -> wire.Deadline:
    if application.due_on is None:
        return wire.Deadline()
    running = application.status == "in_review"
    days_left = calendar.working_days_between(today, application.due_on)
    overdue = running and today > application.due_on
    return wire.Deadline(
        due_on=application.due_on,
        days_left=days_left if application.status in wire.OPEN_STATUSES else None,
        overdue=overdue,
        paused=application.status == "supplement",
        provisional=application.due_provisional,
        note=PROVISIONAL_NOTE if application.due_provisional else None,
    )


def warn_due_soon(db: Session, applicant_id: int, now: dt.datetime) -> None:
    """Tells the applicant once when a case under review gets within three working days of its deadline."""
    today = china_date(now)
    candidates = list(
        db.scalars(
            select(Application).where(
                Application.applicant_id == applicant_id,
                Application.status == "in_review",
                Application.due_soon_warned.is_(False),
                Application.due_on <= today + CANDIDATE_WINDOW,
            )
        )
    )
    if not candidates:
        return
    calendar = load_calendar(db)
    for application in candidates:
        assert application.due_on is not None
        if calendar.working_days_between(today, application.due_on) <= DUE_SOON_WORKING_DAYS:
            application.due_soon_warned = True
            notify(
                db,
                applicant_id,
                "deadline_soon",
                "办件即将到期",
                f"您的办件 {application.number} 承诺办结日期为 {application.due_on:%Y年%m月%d日}，我们正在加紧办理。",
                f"/applications/{application.number}",
                now,
            )
