"""Appointments and queue numbers on SQLite and PostgreSQL: seats never overbooked, numbers never repeated."""

import datetime as dt
import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from server.accounts.models import User
from server.accounts.tokens import start_session
from server.appointments.service import BOOKING_DAYS, SLOT_CAPACITY, SLOT_STARTS, today
from server.config import Settings
from server.db import make_engine, make_sessionmaker
from server.departments.models import Department
from server.seed.services import catalogue, seed_service_items

BY_NAME = {draft.name: draft for draft in catalogue()}
BIRTH = BY_NAME["出生登记"].code  # 公安厅, needs one visit
FOOD = BY_NAME["食品生产许可（新办）"].code  # 市场监管局, needs a visit
ONLINE = BY_NAME["失业保险金申领"].code  # fully online: nothing to book
Headers = dict[str, str]


@pytest.fixture(autouse=True)
def seeded(settings: Settings) -> None:
    engine = make_engine(settings.database_url)
    seed_service_items(engine)
    engine.dispose()


def accounts(settings: Settings, count: int, role: str = "citizen", department: str | None = None) -> list[Headers]:
    """Accounts with live sessions, made straight in the database (no password hashing: nobody logs in)."""
    engine = make_engine(settings.database_url)
    found = []
    with make_sessionmaker(engine)() as db:
        department_id = db.scalar(select(Department.id).where(Department.code == department)) if department else None
        first = db.scalar(select(User.id).order_by(User.id.desc()).limit(1)) or 0
        for n in range(count):
            user = User(
                phone=f"13{first + n + 1:09d}",
                name=f"测试{n}",
                password_hash="unused",
                role=role,
                department_id=department_id,
            )
            db.add(user)
            db.flush()
            found.append({"Authorization": f"Bearer {start_session(db, user).access_token}"})
        db.commit()
    engine.dispose()
    return found


def slots(http: TestClient, code: str, **params: Any) -> list[dict[str, Any]]:
    response = http.get("/api/v1/appointment-slots", params={"item": code, **params})
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def book(http: TestClient, who: Headers, date: str, start: str, code: str = BIRTH, key: str | None = None) -> Any:
    headers = {**who, **({"Idempotency-Key": key} if key else {})}
    return http.post("/api/v1/appointments", json={"item_code": code, "date": date, "start": start}, headers=headers)


def test_slots_cover_the_next_working_days(http: TestClient) -> None:
    found = slots(http, BIRTH)
    days = sorted({dt.date.fromisoformat(slot["date"]) for slot in found})
    assert len(days) == BOOKING_DAYS and len(found) == BOOKING_DAYS * len(SLOT_STARTS)
    assert all(day > today() and day.weekday() < 5 for day in days)
    assert found[0] == {"date": days[0].isoformat(), "start": "09:00", "end": "09:30", "capacity": 3, "available": 3}
    assert {slot["start"] for slot in found} >= {"11:30", "13:00", "16:30"} and "12:00" not in {
        s["start"] for s in found
    }
    assert len(slots(http, BIRTH, date=days[1].isoformat())) == len(SLOT_STARTS)
    for params, code in [
        ({"item": ONLINE}, "item_online_only"),
        ({"item": "nope"}, "item_unknown"),
        ({"item": "A" * 40}, "item_unknown"),
        ({"item": BIRTH, "date": today().isoformat()}, "date_not_bookable"),
        ({"item": BIRTH, "date": "2026-02-30"}, "value_invalid"),
    ]:
        response = http.get("/api/v1/appointment-slots", params=params)
        assert (response.status_code, response.json()["code"]) == (422, code), params


def test_book_list_cancel_and_replay(http: TestClient, settings: Settings) -> None:
    me, other = accounts(settings, 2)
    day = slots(http, BIRTH)[0]["date"]
    assert book(http, {}, day, "10:00").status_code == 401
    first = book(http, me, day, "10:00", key="k1")
    assert first.status_code == 201, first.text
    appointment = first.json()
    assert appointment["item_name"] == "出生登记" and appointment["department"]["code"] == "gat"
    assert (appointment["start"], appointment["end"], appointment["status"]) == ("10:00", "10:30", "booked")
    assert appointment["hall_address"].startswith("辽宁省政务服务中心")
    replay = book(http, me, day, "10:00", key="k1")
    assert (replay.status_code, replay.json()["id"], replay.headers["idempotent-replayed"]) == (
        201,
        appointment["id"],
        "true",
    )
    again = book(http, me, day, "11:00")
    assert (again.status_code, again.json()["code"]) == (409, "appointment_exists")
    slot = next(s for s in slots(http, BIRTH, date=day) if s["start"] == "10:00")
    assert slot["available"] == SLOT_CAPACITY - 1
    mine = http.get("/api/v1/appointments", headers=me).json()
    assert [a["id"] for a in mine["items"]] == [appointment["id"]]
    assert http.get("/api/v1/appointments", headers=other).json()["items"] == []
    path = f"/api/v1/appointments/{appointment['id']}"
    assert http.get(path, headers=other).status_code == 404
    assert http.post(f"{path}/cancel", headers=other).status_code == 404
    cancelled = http.post(f"{path}/cancel", headers=me)
    assert (cancelled.status_code, cancelled.json()["status"]) == (200, "cancelled")
    assert http.post(f"{path}/cancel", headers=me).json()["status"] == "cancelled"  # twice frees one seat
    slot = next(s for s in slots(http, BIRTH, date=day) if s["start"] == "10:00")
    assert slot["available"] == SLOT_CAPACITY
    assert book(http, me, day, "11:00").status_code == 201  # a cancelled booking does not block a new one


def test_concurrent_bookings_of_the_last_seats_never_overbook(http: TestClient, settings: Settings) -> None:
    people = accounts(settings, 12)
    day = slots(http, BIRTH)[2]["date"]
    with ThreadPoolExecutor(max_workers=12) as pool:
        answers = list(pool.map(lambda who: book(http, who, day, "14:30"), people))
    statuses = sorted(answer.status_code for answer in answers)
    assert statuses == [201] * SLOT_CAPACITY + [409] * (len(people) - SLOT_CAPACITY)
    assert {a.json()["code"] for a in answers if a.status_code == 409} == {"slot_full"}
    slot = next(s for s in slots(http, BIRTH, date=day) if s["start"] == "14:30")
    assert slot["available"] == 0
    winner = next(n for n, a in enumerate(answers) if a.status_code == 201)
    http.post(f"/api/v1/appointments/{answers[winner].json()['id']}/cancel", headers=people[winner])
    losers = [people[n] for n, a in enumerate(answers) if a.status_code == 409]
    with ThreadPoolExecutor(max_workers=8) as pool:
        retries = list(pool.map(lambda who: book(http, who, day, "14:30").status_code, losers))
    assert sorted(retries) == [201] + [409] * (len(losers) - 1)


def test_hostile_booking_input_is_a_4xx(http: TestClient, settings: Settings) -> None:
    (me,) = accounts(settings, 1)
    day = slots(http, BIRTH)[0]["date"]
    bodies: list[Any] = [
        {"item_code": "A" * 41, "date": day, "start": "09:00"},
        {"item_code": "\u0000", "date": day, "start": "09:00"},
        {"item_code": "\udcff", "date": day, "start": "09:00"},
        {"item_code": ONLINE, "date": day, "start": "09:00"},
        {"item_code": BIRTH, "date": "2099-01-01", "start": "09:00"},
        {"item_code": BIRTH, "date": "not a date", "start": "09:00"},
        {"item_code": BIRTH, "date": day, "start": "12:00"},
        {"item_code": BIRTH, "date": day, "start": "25:00"},
        {"item_code": BIRTH, "date": day},
        [1, 2, 3],
        "x" * 100_000,
    ]
    for body in bodies:
        response = http.post(
            "/api/v1/appointments", content=_json(body), headers={**me, "Content-Type": "application/json"}
        )
        assert 400 <= response.status_code < 500, (body, response.text)
    for bad in ("0", "-1", "abc", "99999999999999"):
        assert http.get(f"/api/v1/appointments/{bad}", headers=me).status_code == 422
    assert http.get("/api/v1/appointments/12345", headers=me).status_code == 404
    assert http.get("/api/v1/appointments", params={"cursor": "!!"}, headers=me).status_code == 422


def _json(body: Any) -> bytes:
    return json.dumps(body, ensure_ascii=False).encode("utf-8", "surrogatepass")


def test_queue_numbers_are_unique_under_concurrency_and_officers_call_in_order(
    http: TestClient, settings: Settings
) -> None:
    people = accounts(settings, 8)
    officers = accounts(settings, 3, role="officer", department="gat")
    (other_officer,) = accounts(settings, 1, role="officer", department="scjgj")

    def take(who: Headers) -> Any:
        return http.post("/api/v1/queue-tickets", json={"item_code": BIRTH}, headers=who)

    with ThreadPoolExecutor(max_workers=8) as pool:
        tickets = [answer.json() for answer in pool.map(take, people)]
    assert sorted(t["number"] for t in tickets) == list(range(1, 9))
    for ticket in tickets:
        assert (ticket["status"], ticket["people_ahead"], ticket["now_serving"]) == ("waiting", ticket["number"] - 1, 0)
    again = take(people[0])
    assert (again.status_code, again.json()["code"]) == (409, "ticket_exists")
    assert http.post("/api/v1/queue-tickets", json={"item_code": FOOD}, headers=people[0]).status_code == 201

    assert http.post("/api/v1/officer/queue/call-next", headers=people[0]).status_code == 403
    assert http.get("/api/v1/officer/queue", headers=people[0]).status_code == 403
    assert http.post("/api/v1/officer/queue/call-next").status_code == 401
    with ThreadPoolExecutor(max_workers=6) as pool:
        calls = list(pool.map(lambda who: http.post("/api/v1/officer/queue/call-next", headers=who), officers * 2))
    assert {c.status_code for c in calls} == {200}
    assert http.get("/api/v1/officer/queue", headers=officers[0]).json()["now_serving"] == 6
    status = http.get("/api/v1/officer/queue", headers=officers[0]).json()
    assert (status["last_issued"], status["waiting"], status["department"]["code"]) == (8, 2, "gat")
    foreign = http.get("/api/v1/officer/queue", headers=other_officer).json()
    assert (foreign["department"]["code"], foreign["last_issued"], foreign["now_serving"]) == ("scjgj", 1, 0)

    by_number = {t["number"]: (t["id"], people[n]) for n, t in enumerate(tickets)}
    seventh_id, seventh = by_number[7]
    view = http.get(f"/api/v1/queue-tickets/{seventh_id}", headers=seventh).json()
    assert (view["status"], view["people_ahead"], view["now_serving"]) == ("waiting", 0, 6)
    sixth_id, sixth = by_number[6]
    assert http.get(f"/api/v1/queue-tickets/{sixth_id}", headers=sixth).json()["status"] == "serving"
    first_id, first = by_number[1]
    assert http.get(f"/api/v1/queue-tickets/{first_id}", headers=first).json()["status"] == "passed"
    assert http.get(f"/api/v1/queue-tickets/{first_id}", headers=seventh).status_code == 404
    mine = sorted(t["number"] for t in http.get("/api/v1/queue-tickets", headers=seventh).json()["items"])
    assert mine == ([1, 7] if seventh is people[0] else [7])  # people[0] also holds number 1 at 市场监管局

    key = {"Idempotency-Key": "call-7"}
    called = http.post("/api/v1/officer/queue/call-next", headers={**officers[0], **key}).json()
    replayed = http.post("/api/v1/officer/queue/call-next", headers={**officers[0], **key}).json()
    assert called["now_serving"] == replayed["now_serving"] == 7  # a retried call does not skip a number
    assert http.post("/api/v1/officer/queue/call-next", headers=officers[1]).json()["now_serving"] == 8
    empty = http.post("/api/v1/officer/queue/call-next", headers=officers[2])
    assert (empty.status_code, empty.json()["code"]) == (409, "queue_empty")
    for body in ({"item_code": ONLINE}, {"item_code": "\u0000"}, {"item_code": ""}, {}):
        assert 400 <= http.post("/api/v1/queue-tickets", json=body, headers=people[1]).status_code < 500
