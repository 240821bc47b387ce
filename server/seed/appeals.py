"""Public appeals of the past year for a first start: coherent problems, places and answers per category, each
with the department that really handles it, a realistic share of late answers, overdue and reopened cases.
Deterministic for a given day; added once (a second start adds nothing)."""

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.appeals.deadlines import due_on
from server.appeals.models import Appeal, AppealMessage
from server.appeals.service import new_number, publish
from server.core.clock import CHINA, china_date
from server.core.http_cache import content_changed
from server.db import utcnow
from server.departments.models import Department
from server.seed.appeal_stories import (
    COMPANIES,
    GIVEN,
    MACHINES,
    PLACES,
    REOPEN_REASONS,
    ROADS,
    SATISFIED_COMMENTS,
    SCHOOLS,
    STORIES,
    SURNAMES,
    TOWNS,
    UNSATISFIED_COMMENTS,
    VILLAGES,
    Story,
)
from server.workdays.calendar import WorkCalendar, load_calendar

DEMO_APPEALS = 380
OVERDUE_PENDING_SHARE = 0.04
RECENT_PENDING_SHARE = 0.04
LATE_ANSWER_SHARE = 0.08
RATED_SHARE = 0.75


@dataclass(frozen=True)
class AppealDraft:
    story: Story
    title: str
    content: str
    reply: str
    recovered: int


def drafts(rng: random.Random, count: int) -> Iterator[AppealDraft]:
    """Stories in turn, each at a place not used for its title before: no two titles alike."""
    titles: set[str] = set()
    cities = sorted(PLACES)
    for index in range(count * 2):
        story = STORIES[index % len(STORIES)]
        for _attempt in range(60):
            city = rng.choice(cities)
            amount = rng.randint(*story.recovered) // 100 * 100 if story.recovered[1] else 0
            year = 2025 - rng.randint(0, 1)
            n = rng.randint(3, 40)
            slots = {
                "city": city,
                "county": rng.choice(PLACES[city]),
                "town": rng.choice(TOWNS),
                "village": rng.choice(VILLAGES),
                "road": rng.choice(ROADS),
                "school": rng.choice(SCHOOLS),
                "company": rng.choice(COMPANIES),
                "machine": rng.choice(MACHINES),
                "name": rng.choice(SURNAMES) + rng.choice(GIVEN),
                "phone": f"1{rng.choice('3589')}{rng.randint(0, 999_999_999):09d}",
                "year": year,
                "month": rng.randint(3, 11),
                "n": n,
                "more": rng.randint(8, 12),
                "months": rng.randint(2, 8),
                "gap": rng.randint(1, 6),
                "price": rng.choice(story.prices),
                "area": rng.randint(45, 130),
                "few": rng.randint(3, 6),
                "money": amount,
            }
            title = story.title.format(**slots)
            if title not in titles and len(title) <= 60:
                titles.add(title)
                yield AppealDraft(story, title, story.content.format(**slots), story.reply.format(**slots), amount)
                break
        if len(titles) >= count:
            return


def _moment(day: dt.date, rng: random.Random) -> dt.datetime:
    local = dt.datetime.combine(day, dt.time(rng.randint(8, 19), rng.randint(0, 59)), CHINA)
    return local.astimezone(dt.UTC)


def _answer_day(calendar: WorkCalendar, start: dt.date, due: dt.date, late: bool, rng: random.Random) -> dt.date:
    if late:
        return due + dt.timedelta(days=rng.randint(1, 12))
    days = calendar.working_days_between(start, due)
    return calendar.add_working_days(start, rng.randint(1, max(days, 1))).due_on


def seed_appeals(db: Session, count: int = DEMO_APPEALS) -> int:
    """Adds `count` appeals unless the table has some; returns how many it added."""
    if db.scalar(select(func.count()).select_from(Appeal)):
        return 0
    now = utcnow()
    today = china_date(now)
    rng = random.Random(f"appeals-{today.isoformat()}")
    calendar = load_calendar(db)
    departments = {code: id_ for id_, code in db.execute(select(Department.id, Department.code))}
    planned: list[tuple[dt.datetime, bool, AppealDraft]] = []
    for draft in drafts(rng, count):
        roll = rng.random()
        pending = roll < OVERDUE_PENDING_SHARE + RECENT_PENDING_SHARE
        if roll < OVERDUE_PENDING_SHARE:
            submitted_on = today - dt.timedelta(days=rng.randint(30, 60))
        elif pending:
            submitted_on = today - dt.timedelta(days=rng.randint(0, 3))
        else:
            submitted_on = today - dt.timedelta(days=rng.randint(100, 330))  # later answers and ratings are past too
        submitted_at = min(_moment(submitted_on, rng), now - dt.timedelta(minutes=5))  # today's: before now
        planned.append((submitted_at, pending, draft))
    planned.sort(key=lambda plan: plan[0])  # ids in submission order, as real appeals get them
    made: list[Appeal] = []
    for submitted_at, pending, draft in planned:
        story = draft.story
        submitted_on = china_date(submitted_at)
        days, due = due_on(calendar, story.type, submitted_at)
        appeal = Appeal(
            number=new_number(submitted_at),
            type=story.type,
            category=story.category,
            department_id=departments[story.department],
            title=draft.title,
            content=draft.content,
            public=True,
            status="pending",
            submitted_at=submitted_at,
            deadline_days=days,
            due_on=due,
            reopened=False,
            amount_recovered_yuan=0,
            revision=0,
        )
        db.add(appeal)
        db.flush()
        messages = [
            AppealMessage(appeal_id=appeal.id, kind="submitted", at=submitted_at, author="citizen", body=draft.content)
        ]
        if not pending:
            late = rng.random() < LATE_ANSWER_SHARE
            answered_on = _answer_day(calendar, submitted_on, due, late, rng)
            answered_at = _moment(answered_on, rng)
            closes = rng.random() < 0.6
            appeal.status = "closed" if closes else "replied"
            appeal.answered_at, appeal.answered_on_time = answered_at, not late
            appeal.closed_at = answered_at if closes else None
            appeal.amount_recovered_yuan = draft.recovered
            messages.append(_department_message(appeal, "close" if closes else "reply", answered_at, draft.reply))
            if rng.random() < RATED_SHARE:
                messages += _rate(appeal, calendar, answered_on, draft, rng)
        db.add_all(messages)
        made.append(appeal)
    db.flush()
    publish(db, made)
    db.commit()
    content_changed()
    return len(made)


def _department_message(appeal: Appeal, kind: str, at: dt.datetime, body: str) -> AppealMessage:
    return AppealMessage(
        appeal_id=appeal.id, kind=kind, at=at, author="department", department_id=appeal.department_id, body=body
    )


def _rate(
    appeal: Appeal, calendar: WorkCalendar, answered_on: dt.date, draft: AppealDraft, rng: random.Random
) -> list[AppealMessage]:
    """满意 about six times in ten, 不满意 about one in seven; most 不满意 are reopened, answered again and rated."""
    roll = rng.random()
    rating = "满意" if roll < 0.62 else "基本满意" if roll < 0.86 else "不满意"
    comment = rng.choice(UNSATISFIED_COMMENTS if rating == "不满意" else SATISFIED_COMMENTS)
    rated_on = answered_on + dt.timedelta(days=rng.randint(0, 3))
    appeal.rating, appeal.rating_comment = rating, comment
    messages = [
        AppealMessage(
            appeal_id=appeal.id, kind="rating", at=_moment(rated_on, rng), author="citizen", body=f"{rating}：{comment}"
        )
    ]
    if rating != "不满意" or rng.random() < 0.35:
        return messages
    reopened_at = _moment(rated_on + dt.timedelta(days=1), rng)
    days, due = due_on(calendar, appeal.type, reopened_at)
    second_on = _answer_day(calendar, china_date(reopened_at), due, False, rng)
    second_at = _moment(second_on, rng)
    appeal.reopened, appeal.deadline_days, appeal.due_on = True, days, due
    appeal.status, appeal.closed_at, appeal.answered_at = "closed", second_at, second_at
    second_rating = rng.choice(("满意", "基本满意", "基本满意", "不满意"))
    appeal.rating, appeal.rating_comment = second_rating, None
    return [
        *messages,
        AppealMessage(
            appeal_id=appeal.id, kind="reopen", at=reopened_at, author="citizen", body=rng.choice(REOPEN_REASONS)
        ),
        _department_message(appeal, "close", second_at, "经再次核查办理：" + draft.reply),
        AppealMessage(
            appeal_id=appeal.id, kind="rating", at=_moment(second_on, rng), author="citizen", body=second_rating
        ),
    ]
