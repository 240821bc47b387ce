"""How long a department has to answer, per appeal type, in working days counted with the applications' clock.

Defaults follow the province's rules for 12345-style appeals: a consultation within 7 working days (the
rule says 5-7), a complaint, report, suggestion or evaluation within 15. YIWANG_APPEAL_DEADLINES overrides
them, e.g. `咨询=5,投诉=10`. The due date is fixed at submission (a transfer does not restart it); reopening
an appeal gives the department a new period from the day it is reopened.
"""

import datetime as dt
import functools
import os

from api_client import models as wire
from server.core.clock import china_date
from server.workdays.calendar import WorkCalendar

DEADLINES_ENV = "YIWANG_APPEAL_DEADLINES"
DEFAULT_DAYS: dict[str, int] = {"咨询": 7, "投诉": 15, "举报": 15, "建议": 15, "评议": 15}


@functools.cache
def deadline_days() -> dict[str, int]:
    """The working days per type: the defaults, with what the environment names replaced."""
    days = dict(DEFAULT_DAYS)
    for part in os.environ.get(DEADLINES_ENV, "").split(","):
        kind, _, value = part.partition("=")
        if kind.strip() in days and value.strip().isdigit() and 0 < int(value) <= 60:
            days[kind.strip()] = int(value)
    return days


def due_on(calendar: WorkCalendar, appeal_type: str, start: dt.datetime) -> tuple[int, dt.date]:
    """The working days allowed and the due date counted from `start` (the day itself does not count)."""
    days = deadline_days()[appeal_type]
    return days, calendar.add_working_days(china_date(start), days).due_on


def deadline_view(calendar: WorkCalendar, due: dt.date, days: int, status: str, today: dt.date) -> wire.AppealDeadline:
    open_ = status == "pending"
    return wire.AppealDeadline(
        due_on=due,
        days=days,
        overdue=open_ and today > due,
        days_left=calendar.working_days_between(today, due) if open_ else None,
    )


def deadline_rules() -> wire.AppealDeadlineRules:
    days = deadline_days()
    return wire.AppealDeadlineRules(
        items=[wire.AppealDeadlineRule(type=kind, days=days[kind]) for kind in wire.APPEAL_TYPES]
    )
