"""Appointments and queue numbers on SQLite and PostgreSQL: seats never overbooked, numbers never repeated,
booking days counted by the working-day calendar (National Day 2025 with its make-up Sunday and Saturday)."""

import base64
import datetime as dt
import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from server.accounts.models import User
from server.accounts.tokens import start_session
from server.appointments.service import BOOKING_DAYS, SLOT_CAPACITY, SLOT_STARTS
from server.config import Settings
from server.core.clock import CHINA, current_time
from server.core.pagination import encode_cursor
from server.db import make_engine, make_sessionmaker
from server.departments.models import Department
from server.seed.services import catalogue, seed_service_items
from tests.server.application_world import Clock

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


@pytest.fixture(autouse=True)
def clock(app: FastAPI) -> Clock:
    """Wednesday 24 September 2025, a week before National Day: the server's clock, moved by the tests."""
    moment = Clock(dt.datetime(2025, 9, 24, 10, tzinfo=CHINA))
    app.dependency_overrides[current_time] = moment
    return moment


def today(clock: Clock) -> dt.date:
    return clock.moment.astimezone(CHINA).date()


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


def test_slots_cover_the_next_working_days(http: TestClient, clock: Clock) -> None:
    clock.at(2025, 11, 18)  # a Tuesday far from any holiday
    found = slots(http, BIRTH)
    days = sorted({dt.date.fromisoformat(slot["date"]) for slot in found})
    assert len(days) == BOOKING_DAYS and len(found) == BOOKING_DAYS * len(SLOT_STARTS)
    assert all(day > today(clock) and day.weekday() < 5 for day in days)
    first = {"date": days[0].isoformat(), "start": "09:00", "end": "09:30", "capacity": 3, "available": 3}
    assert found[0] == {**first, "provisional": False}
    assert {slot["start"] for slot in found} >= {"11:30", "13:00", "16:30"} and "12:00" not in {
        s["start"] for s in found
    }
    assert len(slots(http, BIRTH, date=days[1].isoformat())) == len(SLOT_STARTS)
    for params, code in [
        ({"item": ONLINE}, "item_online_only"),
        ({"item": "nope"}, "item_unknown"),
        ({"item": "A" * 40}, "item_unknown"),
        ({"item": BIRTH, "date": today(clock).isoformat()}, "date_not_bookable"),
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


def test_booking_days_skip_national_day_and_open_its_make_up_weekend_days(http: TestClient, settings: Settings) -> None:
    (me,) = accounts(settings, 1)
    days = [slot["date"] for slot in slots(http, BIRTH) if slot["start"] == "09:00"]
    # From Wednesday 24 September 2025: Sunday 28 September and Saturday 11 October are worked (调休);
    # 1-8 October are the holiday; Saturday 27 September and Sunday 12 October are ordinary rest days.
    assert days == [
        "2025-09-25",
        "2025-09-26",
        "2025-09-28",
        "2025-09-29",
        "2025-09-30",
        "2025-10-09",
        "2025-10-10",
        "2025-10-11",
        "2025-10-13",
        "2025-10-14",
    ]
    for day, code in (("2025-10-01", "date_holiday"), ("2025-10-08", "date_holiday"), ("2025-09-27", "date_rest_day")):
        listed = http.get("/api/v1/appointment-slots", params={"item": BIRTH, "date": day})
        assert (listed.status_code, listed.json()["code"], listed.json()["field"]) == (422, code, "date")
        booked = book(http, me, day, "09:00")
        assert (booked.status_code, booked.json()["code"]) == (422, code), day
    refused = book(http, me, "2025-10-03", "09:00").json()
    assert refused["message"] == "该日为法定节假日，政务服务中心不办公，请选择其他工作日"
    english = http.post(
        "/api/v1/appointments",
        json={"item_code": BIRTH, "date": "2025-10-03", "start": "09:00"},
        headers={**me, "Accept-Language": "en"},
    ).json()
    assert "public holiday" in english["message"]
    far_holiday = book(http, me, "2026-01-01", "09:00").json()["code"]
    assert far_holiday == "date_holiday"  # New Year's Day: a holiday however far ahead
    for day in ("2025-09-28", "2025-10-11"):
        made = book(http, me, day, "09:30")
        assert made.status_code == 201, made.text
        assert (made.json()["date"], made.json()["cancellable"]) == (day, True)
    assert book(http, me, "2025-10-15", "09:00").json()["code"] == "date_not_bookable"  # the eleventh working day


def test_a_schedule_an_admin_publishes_moves_the_booking_days(
    http: TestClient, settings: Settings, clock: Clock
) -> None:
    """The same table as the deadlines: a year an admin enters changes the hall's days, no second list."""
    (admin,) = accounts(settings, 1, role="admin")
    (me,) = accounts(settings, 1)
    clock.at(2031, 9, 26)  # a Friday in a year the package does not know
    offered = [slot for slot in slots(http, BIRTH) if slot["start"] == "09:00"]
    before = [slot["date"] for slot in offered]
    # Weekends and the holidays fixed by date in law (国庆 1-3 October), every day marked provisional.
    assert before[:4] == ["2031-09-29", "2031-09-30", "2031-10-06", "2031-10-07"]
    assert {slot["provisional"] for slot in offered} == {True}
    assert book(http, me, "2031-10-03", "09:00").json()["code"] == "date_holiday"
    schedule = {
        "holidays": [{"day": f"2031-10-0{d}", "name": "国庆节"} for d in range(1, 8)],
        "workdays": [{"day": "2031-09-28", "name": "国庆节"}, {"day": "2031-10-11", "name": "国庆节"}],
    }
    assert http.put("/api/v1/admin/calendar/2031", json=schedule, headers=admin).status_code == 200
    offered = [slot for slot in slots(http, BIRTH) if slot["start"] == "09:00"]
    after = [slot["date"] for slot in offered]
    assert after[:4] == ["2031-09-28", "2031-09-29", "2031-09-30", "2031-10-08"]
    assert {slot["provisional"] for slot in offered} == {False}
    assert "2031-10-11" in after and not any("2031-10-01" <= day <= "2031-10-07" for day in after)
    assert book(http, me, "2031-10-02", "09:00").json()["code"] == "date_holiday"


def test_my_appointments_upcoming_soonest_first_then_past_latest_first(
    http: TestClient, settings: Settings, clock: Clock
) -> None:
    me, other = accounts(settings, 2)
    made = {}
    for label, code, day, start in (
        ("late", BIRTH, "2025-10-10", "09:00"),
        ("first", BIRTH, "2025-09-25", "14:00"),
        ("first_food", FOOD, "2025-09-25", "09:30"),
        ("sunday", BIRTH, "2025-09-28", "10:00"),
        ("dropped", FOOD, "2025-10-13", "10:00"),
    ):
        answer = book(http, me, day, start, code=code)
        assert answer.status_code == 201, answer.text
        made[label] = answer.json()["id"]
    assert http.post(f"/api/v1/appointments/{made['dropped']}/cancel", headers=me).status_code == 200
    book(http, other, "2025-09-25", "09:00")

    def listed(limit: int) -> list[tuple[int, bool, bool]]:
        found, cursor = [], None
        while True:
            params = {"limit": limit, **({"cursor": cursor} if cursor else {})}
            page = http.get("/api/v1/appointments", params=params, headers=me)
            assert page.status_code == 200, page.text
            found += [(a["id"], a["upcoming"], a["cancellable"]) for a in page.json()["items"]]
            cursor = page.json()["next_cursor"]
            if cursor is None:
                return found

    assert (
        listed(20)
        == listed(1)
        == listed(2)
        == [
            (made["first_food"], True, True),
            (made["first"], True, True),
            (made["sunday"], True, True),
            (made["late"], True, True),
            (made["dropped"], False, False),
        ]
    )
    clock.at(2025, 9, 25)  # the day of two visits: still ahead, no longer cancellable
    assert listed(20)[:2] == [(made["first_food"], True, False), (made["first"], True, False)]
    refused = http.post(f"/api/v1/appointments/{made['first']}/cancel", headers=me)
    assert (refused.status_code, refused.json()["code"]) == (409, "appointment_past")
    clock.at(2025, 9, 29)
    assert listed(3) == [
        (made["late"], True, True),
        (made["dropped"], False, False),
        (made["sunday"], False, False),
        (made["first"], False, False),
        (made["first_food"], False, False),
    ]
    assert http.post(f"/api/v1/appointments/{made['sunday']}/cancel", headers=me).status_code == 409
    assert http.post(f"/api/v1/appointments/{made['late']}/cancel", headers=other).status_code == 404


def test_cancel_is_idempotent_and_frees_the_seat_once(http: TestClient, settings: Settings) -> None:
    me, *others = accounts(settings, SLOT_CAPACITY + 1)
    day = "2025-09-26"
    mine = book(http, me, day, "15:00").json()
    for who in others[:-1]:
        assert book(http, who, day, "15:00").status_code == 201
    path = f"/api/v1/appointments/{mine['id']}/cancel"
    key = {"Idempotency-Key": "cancel-once"}
    first = http.post(path, headers={**me, **key})
    replay = http.post(path, headers={**me, **key})
    assert (first.status_code, replay.status_code, replay.headers["idempotent-replayed"]) == (200, 200, "true")
    assert first.json() == replay.json() and first.json()["status"] == "cancelled"
    with ThreadPoolExecutor(max_workers=6) as pool:
        again = list(pool.map(lambda _: http.post(path, headers=me), range(6)))
    assert {(a.status_code, a.json()["status"]) for a in again} == {(200, "cancelled")}
    slot = next(s for s in slots(http, BIRTH, date=day) if s["start"] == "15:00")
    assert slot["available"] == 1  # one seat freed, however often it was cancelled
    assert book(http, others[-1], day, "15:00").status_code == 201
    assert book(http, me, day, "15:00").json()["code"] == "slot_full"


def test_cancels_and_bookings_at_once_on_the_last_seats_never_overbook(http: TestClient, settings: Settings) -> None:
    holders = accounts(settings, SLOT_CAPACITY)
    newcomers = accounts(settings, 10)
    day, start = "2025-09-29", "16:30"
    held = [book(http, who, day, start).json()["id"] for who in holders]

    def act(job: tuple[str, int]) -> Any:
        kind, n = job
        if kind == "cancel":
            return http.post(f"/api/v1/appointments/{held[n % len(held)]}/cancel", headers=holders[n % len(held)])
        return book(http, newcomers[n], day, start)

    jobs = [("cancel", n) for n in range(2 * len(held))] + [("book", n) for n in range(len(newcomers))]
    jobs = [job for pair in zip(jobs[::2], jobs[1::2], strict=False) for job in pair] + jobs[len(jobs) // 2 * 2 :]
    with ThreadPoolExecutor(max_workers=12) as pool:
        answers = list(pool.map(act, jobs))
    assert all(a.status_code in (200, 201, 409) for a in answers), [a.text for a in answers if a.status_code >= 500]
    assert all(a.json()["code"] == "slot_full" for a in answers if a.status_code == 409)
    won = [n for (kind, n), a in zip(jobs, answers, strict=True) if kind == "book" and a.status_code == 201]
    assert len(won) <= SLOT_CAPACITY
    slot = next(s for s in slots(http, BIRTH, date=day) if s["start"] == start)
    assert slot["available"] == SLOT_CAPACITY - len(won)
    # Every holder has cancelled by now: exactly the seats left are still to be had, one each.
    retries = [book(http, newcomers[n], day, start).status_code for n in range(len(newcomers)) if n not in won]
    assert retries.count(201) == SLOT_CAPACITY - len(won) and set(retries) <= {201, 409}
    won += [
        n
        for n, status in zip((n for n in range(len(newcomers)) if n not in won), retries, strict=True)
        if status == 201
    ]
    live = [
        a
        for who in newcomers + holders
        for a in http.get("/api/v1/appointments", headers=who).json()["items"]
        if a["status"] == "booked"
    ]
    assert len(live) == len(won)


def test_hostile_input_to_the_list_and_cancel_is_a_4xx(http: TestClient, settings: Settings) -> None:
    me, other = accounts(settings, 2)
    theirs = book(http, other, "2025-09-25", "09:00").json()["id"]
    assert http.post(f"/api/v1/appointments/{theirs}/cancel", headers=me).status_code == 404
    assert http.post(f"/api/v1/appointments/{theirs}/cancel").status_code == 401
    for bad in ("0", "-1", "abc", "99999999999999", "%F0%9F%98%80", "1" * 5000):
        assert http.post(f"/api/v1/appointments/{bad}/cancel", headers=me).status_code in (404, 414, 422), bad
    assert http.post("/api/v1/appointments/2147483647/cancel", headers=me).status_code == 404
    raw_key = "\udcff".encode("utf-8", "surrogatepass")  # a lone surrogate, as bytes on the wire
    answer = http.post(f"/api/v1/appointments/{theirs}/cancel", headers={**me, "Idempotency-Key": raw_key})  # type: ignore[dict-item]
    assert 400 <= answer.status_code < 500
    cursors = [
        "!!",
        encode_cursor([2, "2025-09-25", "09:00", 1]),
        encode_cursor([0, "not a date", "09:00", 1]),
        base64.urlsafe_b64encode(json.dumps([1, "2025-09-25", "\ud800", 1]).encode()).decode(),  # lone surrogate
        encode_cursor([0, "2025-09-25", "09:00", 2**70]),
        encode_cursor([0, "2025-09-25", "09:00"]),
        "A" * 600,
    ]
    for cursor in cursors:
        answer = http.get("/api/v1/appointments", params={"cursor": cursor}, headers=me)
        assert answer.status_code == 422, (cursor, answer.text)
    for limit in ("0", "101", "-5", "x"):
        assert http.get("/api/v1/appointments", params={"limit": limit}, headers=me).status_code == 422
    assert http.get("/api/v1/appointments", headers=me).json()["items"] == []
