"""The seeded public appeals read as real, on SQLite and PostgreSQL: at least 300 answered public ones, no title
twice, each with the department that handles its kind of problem, a place that runs from title to answer, answers
that mention the money they recovered, and a realistic share of late, overdue and reopened cases."""

import datetime as dt
import re
from collections import Counter

from fastapi.testclient import TestClient
from sqlalchemy import select

from api_client.models import APPEAL_CATEGORIES
from server.appeals.models import Appeal, AppealMessage
from server.config import Settings
from server.core.clock import china_date
from server.db import make_engine, make_sessionmaker, utcnow
from server.departments.models import Department
from server.seed.appeal_stories import PLACES, STORIES, TOWNS
from server.seed.appeals import seed_appeals

COUNTIES = sorted({county for counties in PLACES.values() for county in counties}, key=len, reverse=True)
CITIES = sorted(PLACES)


def test_seeded_appeals_read_as_real(settings: Settings, http: TestClient) -> None:
    engine = make_engine(settings.database_url)
    with make_sessionmaker(engine)() as db:
        added = seed_appeals(db)
        assert seed_appeals(db) == 0  # a second start adds nothing
        appeals = list(db.scalars(select(Appeal)))
        codes = {d.id: d.code for d in db.scalars(select(Department))}
        messages: dict[int, list[AppealMessage]] = {a.id: [] for a in appeals}
        for message in db.scalars(select(AppealMessage).order_by(AppealMessage.id)):
            messages[message.appeal_id].append(message)
    engine.dispose()
    assert added == len(appeals)
    answered = [a for a in appeals if a.status in ("replied", "closed")]
    assert len([a for a in answered if a.public]) >= 300
    assert len({a.title for a in appeals}) == len(appeals)
    assert {a.category for a in appeals} == set(APPEAL_CATEGORIES)
    handlers: dict[str, set[str]] = {}
    for story in STORIES:
        handlers.setdefault(story.category, set()).add(story.department)
    assert len({a.department_id for a in appeals}) >= 10
    for appeal in appeals:
        assert codes[appeal.department_id] in handlers[appeal.category], appeal.title
        places = [p for p in (*COUNTIES, *CITIES, *TOWNS) if p in appeal.title]
        assert places, appeal.title
        answers = [m.body for m in messages[appeal.id] if m.kind in ("reply", "close")]
        assert messages[appeal.id][0].kind == "submitted"
        assert all(p in appeal.content for p in places), appeal.title
        if appeal.status == "pending":
            assert answers == []
            continue
        assert answers and all(any(p in a for p in places) for a in answers), appeal.title
        if appeal.amount_recovered_yuan:
            assert str(appeal.amount_recovered_yuan) in answers[0]
        assert not re.search(r"\{\w+\}", appeal.content + "".join(answers))
    today = china_date(utcnow())
    overdue = [a for a in appeals if a.status == "pending" and a.due_on < today]
    late = [a for a in answered if a.answered_on_time is False]
    reopened = [a for a in appeals if a.reopened]
    assert 0.02 <= len(overdue) / len(appeals) <= 0.10
    assert 0.03 <= len(late) / len(answered) <= 0.15
    assert 0.02 <= len(reopened) / len(appeals) <= 0.12
    assert all(m.kind != "reopen" or a.rating is not None for a in reopened for m in messages[a.id])
    ratings = Counter(a.rating for a in answered if a.rating)
    assert ratings["满意"] > ratings["基本满意"] > ratings["不满意"] > 0
    assert all(m.at <= utcnow() + dt.timedelta(minutes=1) for ms in messages.values() for m in ms)

    stats = http.get("/api/v1/stats").json()
    assert (stats["received"], stats["handled"]) == (len(appeals), len(answered))
    mailbox = http.get("/api/v1/public-appeals", params={"category": "拖欠农民工工资"}).json()["items"]
    assert mailbox and all(a["replies"] for a in mailbox)
    assert all(not re.search(r"1[3-9]\d{9}", a["content"]) for a in mailbox)
    found = http.get("/api/v1/search", params={"q": "农民工工资", "scope": "appeals"}).json()["items"]
    assert found and all(r["code"] for r in found)
