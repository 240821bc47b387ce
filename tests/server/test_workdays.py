"""Working days from the holiday table on SQLite and PostgreSQL: National Day 2025 with its make-up days,
a year the table does not know, an admin publishing next year's schedule, and deadlines that use them."""

import datetime as dt
import json

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from server.config import Settings
from server.db import make_engine, make_sessionmaker
from server.workdays.calendar import WorkCalendar, load_calendar
from tests.server.application_world import World, make_world


@pytest.fixture
def calendar(settings: Settings) -> WorkCalendar:
    engine = make_engine(settings.database_url)
    with make_sessionmaker(engine)() as db:
        loaded = load_calendar(db)
    engine.dispose()
    return loaded


def test_national_day_2025_with_its_make_up_sunday_and_saturday(calendar: WorkCalendar) -> None:
    assert calendar.is_workday(dt.date(2025, 9, 28))  # Sunday, worked for the holiday
    assert calendar.is_workday(dt.date(2025, 10, 11))  # Saturday, worked for the holiday
    assert not any(calendar.is_workday(dt.date(2025, 10, day)) for day in range(1, 9))
    assert not calendar.is_workday(dt.date(2025, 9, 27))  # an ordinary Saturday
    # From Friday 26 September: 28, 29, 30 September, 9, 10, 11 October.
    assert [calendar.add_working_days(dt.date(2025, 9, 26), n).due_on for n in (1, 3, 4, 6, 7)] == [
        dt.date(2025, 9, 28),
        dt.date(2025, 9, 30),
        dt.date(2025, 10, 9),
        dt.date(2025, 10, 11),
        dt.date(2025, 10, 13),
    ]
    assert calendar.working_days_between(dt.date(2025, 9, 26), dt.date(2025, 10, 13)) == 7
    assert calendar.working_days_between(dt.date(2025, 10, 13), dt.date(2025, 9, 26)) == -7
    assert calendar.add_working_days(dt.date(2025, 9, 26), 0).due_on == dt.date(2025, 9, 26)
    assert calendar.add_working_days(dt.date(2025, 9, 26), 20).known


def test_a_year_without_a_schedule_is_counted_by_weekends_and_says_so(calendar: WorkCalendar) -> None:
    last_known = max(calendar.known_years)
    deadline = calendar.add_working_days(dt.date(last_known, 12, 24), 10)
    assert deadline.due_on.year == last_known + 1
    assert not deadline.known
    assert not calendar.is_known(dt.date(last_known + 1, 3, 3)) and calendar.is_known(dt.date(last_known, 3, 3))


@pytest.mark.parametrize(("month", "day"), [(1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3)])
def test_holidays_fixed_by_date_in_law_are_closed_even_in_an_unpublished_year(
    calendar: WorkCalendar, month: int, day: int
) -> None:
    """元旦, 劳动节 and 国庆节 fall on fixed dates whatever the year's schedule adds around them."""
    unpublished = next(
        year for year in range(max(calendar.known_years) + 1, 2100) if dt.date(year, month, day).weekday() < 5
    )
    assert not calendar.is_workday(dt.date(unpublished, month, day))
    assert calendar.is_holiday(dt.date(unpublished, month, day))
    assert calendar.is_workday(dt.date(unpublished, 10, 8)) == (dt.date(unpublished, 10, 8).weekday() < 5)


def test_admin_publishes_next_years_schedule(app: FastAPI, http: TestClient, settings: Settings) -> None:
    world = make_world(app, http, settings)
    year = 2031
    before = world.get(None, f"/calendar/{year}").json()
    assert (before["known"], before["holidays"], before["source"]) == (False, [], None)
    schedule = {
        "holidays": [{"day": f"{year}-10-0{d}", "name": "国庆节"} for d in range(1, 8)],
        "workdays": [{"day": f"{year}-09-28", "name": "国庆节"}],
    }
    assert (
        world.http.put(f"/api/v1/admin/calendar/{year}", json=schedule, headers=world.headers("citizen")).status_code
        == 403
    )
    assert world.http.put(f"/api/v1/admin/calendar/{year}", json=schedule).status_code == 401
    published = world.http.put(f"/api/v1/admin/calendar/{year}", json=schedule, headers=world.headers("admin"))
    assert published.status_code == 200, published.text
    body = published.json()
    assert body["known"] is True
    assert body["source"].startswith("admin:")
    # Weekend holidays change nothing and are not stored; the worked Sunday is.
    assert [h["day"] for h in body["holidays"]] == [f"{year}-10-0{d}" for d in (1, 2, 3, 6, 7)]
    assert body["workdays"] == [{"day": f"{year}-09-28", "name": "国庆节"}]
    # Publishing again replaces the year.
    again = world.http.put(
        f"/api/v1/admin/calendar/{year}", json={"holidays": [], "workdays": []}, headers=world.headers("admin")
    ).json()
    assert (again["known"], again["holidays"]) == (True, [])
    for bad in (
        {"holidays": [{"day": "2030-10-01", "name": "国庆节"}], "workdays": []},
        {"holidays": [{"day": f"{year}-10-01", "name": "x"}], "workdays": [{"day": f"{year}-10-01", "name": "x"}]},
        {"holidays": [{"day": f"{year}-10-01", "name": "\ud800"}], "workdays": []},
        {"holidays": [{"day": "not a date", "name": "x"}], "workdays": []},
    ):
        response = world.http.put(
            f"/api/v1/admin/calendar/{year}",
            content=json.dumps(bad).encode(),
            headers={**world.headers("admin"), "Content-Type": "application/json"},
        )
        assert response.status_code == 422, response.text
    assert world.get(None, "/calendar/1999").status_code == 422


def test_a_deadline_in_an_unknown_year_is_provisional(app: FastAPI, http: TestClient, settings: Settings) -> None:
    world = make_world(app, http, settings, promised_days=20)
    engine = make_engine(settings.database_url)
    with make_sessionmaker(engine)() as db:
        last_known = max(load_calendar(db).known_years)
    engine.dispose()
    world.clock.at(last_known, 12, 20)
    number = world.submit()["number"]
    deadline = world.post("rst", f"/officer/applications/{number}/accept").json()["deadline"]
    assert deadline["provisional"] is True
    assert "尚未公布" in deadline["note"]
    assert deadline["due_on"].startswith(str(last_known + 1))


def test_overdue_and_due_soon_in_the_inbox_and_a_warning_to_the_citizen(world_factory: World) -> None:
    world = world_factory
    late = world.submit()["number"]
    world.post("rst", f"/officer/applications/{late}/accept")  # due 10 October 2025
    world.clock.at(2025, 10, 9)
    soon = world.submit()["number"]
    world.post("rst", f"/officer/applications/{soon}/accept")  # due 15 October 2025 (11 October is worked)
    waiting = world.submit()["number"]

    world.clock.at(2025, 10, 13)
    inbox = world.get("rst", "/officer/applications").json()["items"]
    assert [c["number"] for c in inbox] == [late, soon, waiting]  # overdue first, not yet accepted last
    assert inbox[0]["deadline"]["overdue"] is True
    assert inbox[0]["deadline"]["days_left"] == -2  # Saturday 11 and Monday 13 October were working days
    assert inbox[1]["deadline"]["days_left"] == 2
    assert inbox[0]["my_step"] == "pending"
    assert [c["number"] for c in world.get("rst", "/officer/applications", overdue=True).json()["items"]] == [late]
    assert [c["number"] for c in world.get("rst", "/officer/applications", due_soon=True).json()["items"]] == [soon]
    assert [c["number"] for c in world.get("xfjy", "/officer/applications", status="submitted").json()["items"]] == [
        waiting
    ]
    page = world.get("rst", "/officer/applications", limit=2).json()
    rest = world.get("rst", "/officer/applications", limit=2, cursor=page["next_cursor"]).json()
    assert [c["number"] for c in page["items"] + rest["items"]] == [late, soon, waiting]

    inbox_page = world.get("citizen", "/notifications").json()
    warnings = [n for n in inbox_page["items"] if n["kind"] == "deadline_soon"]
    assert len(warnings) == 2  # one per case under review near its date, said once
    world.get("citizen", "/notifications")
    assert len([n for n in world.get("citizen", "/notifications").json()["items"] if n["kind"] == "deadline_soon"]) == 2


@pytest.fixture
def world_factory(app: FastAPI, http: TestClient, settings: Settings) -> World:
    return make_world(app, http, settings)
