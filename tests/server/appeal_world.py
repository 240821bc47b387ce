"""A small world for appeal tests: citizens, officers of three departments and an admin with tokens, and a clock
the tests move (the same people and clock as the application tests)."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from server.accounts.models import User
from server.accounts.tokens import start_session
from server.config import Settings
from server.core.clock import CHINA, current_time
from server.db import make_engine, make_sessionmaker
from server.departments.models import Department
from tests.server.application_world import Clock, World, make_people

COMPLAINT = {
    "type": "投诉",
    "category": "拖欠农民工工资",
    "title": "工地拖欠三个月工资",
    "content": "我在沈阳市浑南区某工地做钢筋工，项目部拖欠我和工友三个月工资共计四万余元，多次讨要未果。",
}


@dataclass
class AppealWorld(World):
    def appeal(self, who: str | None = "citizen", key: str | None = None, **overrides: Any) -> Any:
        headers = self.headers(who, key) if who else ({"Idempotency-Key": key} if key else {})
        return self.http.post("/api/v1/appeals", json={**COMPLAINT, **overrides}, headers=headers)

    def lookup(self, username: str, password: str, client: str | None = None) -> Any:
        headers = {"X-Forwarded-For": client} if client else {}
        return self.http.post(
            "/api/v1/appeals/lookup", json={"username": username, "password": password}, headers=headers
        )


EXTRA_OFFICERS = {"sthjt": "13900000021", "zjt": "13900000022", "jyt": "13900000023"}


def make_officers(settings: Settings) -> dict[str, dict[str, str]]:
    """An officer for each department the appeal tests route to beyond the application world's."""
    engine = make_engine(settings.database_url)
    tokens = {}
    with make_sessionmaker(engine)() as db:
        departments = {d.code: d for d in db.scalars(select(Department))}
        for code, phone in EXTRA_OFFICERS.items():
            user = User(
                phone=phone, name=f"{code}科员", password_hash="-", role="officer", department=departments[code]
            )
            db.add(user)
            db.flush()
            tokens[code] = {"Authorization": f"Bearer {start_session(db, user).access_token}"}
        db.commit()
    engine.dispose()
    return tokens


def make_appeal_world(app: FastAPI, http: TestClient, settings: Settings) -> AppealWorld:
    clock = Clock(dt.datetime(2025, 9, 26, 10, tzinfo=CHINA))  # a Friday before the National Day holiday
    app.dependency_overrides[current_time] = clock
    return AppealWorld(http, clock, {**make_people(settings), **make_officers(settings)})
