"""消息 on SQLite and PostgreSQL: written by the workflow, paged, an unread count, marking read only one's own."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from server.config import Settings
from tests.server.application_world import World, make_world


@pytest.fixture
def world(app: FastAPI, http: TestClient, settings: Settings) -> World:
    return make_world(app, http, settings)


def test_inbox_pages_counts_unread_and_marks_only_ones_own(world: World, app: FastAPI) -> None:
    numbers = [world.submit()["number"] for _ in range(3)]
    for number in numbers:
        world.post("rst", f"/officer/applications/{number}/accept")
    world.post("rst", f"/officer/applications/{numbers[0]}/decision", {"decision": "pass"})
    page = world.get("citizen", "/notifications", limit=3).json()
    assert page["unread_count"] == 4
    assert [n["kind"] for n in page["items"]] == ["step_decided", "application_accepted", "application_accepted"]
    assert page["items"][0]["link"] == f"/applications/{numbers[0]}"
    assert all(not n["read"] for n in page["items"])
    rest = world.get("citizen", "/notifications", limit=3, cursor=page["next_cursor"]).json()
    assert len(rest["items"]) == 1 and rest["next_cursor"] is None
    assert world.get("other", "/notifications").json() == {"items": [], "next_cursor": None, "unread_count": 0}

    mine = page["items"][0]["id"]
    assert world.post("other", "/notifications/read", {"ids": [mine]}).status_code == 200
    assert world.get("citizen", "/notifications").json()["unread_count"] == 4  # someone else's ids change nothing
    world.post("citizen", "/notifications/read", {"ids": [mine]})
    after = world.get("citizen", "/notifications").json()
    assert after["unread_count"] == 3
    assert after["items"][0]["read"] is True

    def mark_all(_: int) -> int:
        with TestClient(app) as client:
            return client.post(
                "/api/v1/notifications/read", json={"all": True}, headers=world.headers("citizen")
            ).status_code

    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(mark_all, range(8))) == [200] * 8
    assert world.get("citizen", "/notifications").json()["unread_count"] == 0


@pytest.mark.parametrize(
    "body", [{"ids": ["x"]}, {"ids": list(range(101))}, {"all": "maybe"}, {"ids": [2**70]}, [], "x"]
)
def test_hostile_mark_read_bodies_are_422(world: World, body: object) -> None:
    assert world.post("citizen", "/notifications/read", body).status_code == 422


def test_notifications_need_a_token(world: World) -> None:
    assert world.http.get("/api/v1/notifications").status_code == 401
    assert world.http.post("/api/v1/notifications/read", json={"all": True}).status_code == 401
