"""Follow-up, rating and reopening by the holder of fast-channel credentials, on SQLite and PostgreSQL: the same
credentials, throttle and generic failure as a lookup, Idempotency-Key honoured, one winner among competing
writes, hostile input refused, and the credentials of one appeal never acting on another."""

import json
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from server.appeals.service import LOOKUP_FAILURES
from server.config import Settings
from tests.server.appeal_world import AppealWorld, make_appeal_world
from tests.server.concurrency import at_once

LONE = "\udcff"
FOLLOW_UP = "/api/v1/appeals/fast-channel/follow-ups"
RATING = "/api/v1/appeals/fast-channel/rating"
REOPEN = "/api/v1/appeals/fast-channel/reopen"


@pytest.fixture
def world(app: FastAPI, http: TestClient, settings: Settings) -> AppealWorld:
    return make_appeal_world(app, http, settings)


def fast_appeal(world: AppealWorld, **overrides: Any) -> tuple[str, dict[str, str]]:
    receipt = world.appeal(None, department="rst", **overrides).json()
    return receipt["appeal"]["number"], receipt["credentials"]


def act(world: AppealWorld, path: str, body: dict[str, Any], key: str | None = None) -> Any:
    return world.http.post(path, json=body, headers={"Idempotency-Key": key} if key else {})


def kinds(world: AppealWorld, credentials: dict[str, str]) -> list[str]:
    return [m["kind"] for m in world.lookup(**credentials).json()["messages"]]


def test_the_whole_loop_through_the_fast_channel(world: AppealWorld) -> None:
    number, credentials = fast_appeal(world)
    followed = act(world, FOLLOW_UP, {"credentials": credentials, "body": "补充：项目部电话 024-12345678。"})
    assert followed.status_code == 200, followed.text
    assert followed.json()["number"] == number
    early = act(world, RATING, {"credentials": credentials, "satisfaction": "满意"})
    assert (early.status_code, early.json()["code"]) == (409, "appeal_state_conflict")

    world.post("rst", f"/officer/appeals/{number}/reply", {"body": "已约谈项目部，限期支付。"})
    assert world.lookup(**credentials).json()["can_rate"] is True
    rated = act(world, RATING, {"credentials": credentials, "satisfaction": "不满意", "comment": "仍未到账"})
    assert rated.status_code == 200, rated.text
    assert (rated.json()["rating"], rated.json()["can_reopen"]) == ("不满意", True)
    reopened = act(world, REOPEN, {"credentials": credentials, "reason": "工资至今未到账"})
    assert reopened.status_code == 200, reopened.text
    assert (reopened.json()["status"], reopened.json()["reopened"], reopened.json()["can_reopen"]) == (
        "pending",
        True,
        False,
    )
    again = act(world, REOPEN, {"credentials": credentials, "reason": "再次申请重办"})
    assert again.status_code == 409
    assert kinds(world, credentials) == ["submitted", "follow_up", "reply", "rating", "reopen"]
    inbox = world.get("rst", f"/officer/appeals/{number}").json()
    assert [m["body"] for m in inbox["messages"] if m["kind"] == "follow_up"] == ["补充：项目部电话 024-12345678。"]


def test_a_retried_write_is_replayed_and_needs_the_same_credentials(world: AppealWorld) -> None:
    _, credentials = fast_appeal(world)
    body = {"credentials": credentials, "body": "补充一张照片的说明。"}
    first = act(world, FOLLOW_UP, body, key="f-1")
    retry = act(world, FOLLOW_UP, body, key="f-1")
    assert (first.status_code, retry.status_code) == (200, 200)
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert retry.json() == first.json()
    assert kinds(world, credentials).count("follow_up") == 1
    _, other = fast_appeal(world, title="另一件拖欠工资问题")
    stranger = act(world, FOLLOW_UP, {"credentials": other, "body": "补充一张照片的说明。"}, key="f-1")
    assert (stranger.status_code, stranger.json()["code"]) == (422, "idempotency_key_reused")
    guessed = act(world, FOLLOW_UP, {**body, "credentials": {**credentials, "password": "A" * 16}}, key="f-2")
    assert guessed.status_code == 404
    assert act(world, FOLLOW_UP, body, key="f-2").status_code == 200  # a refused write frees its key


def test_credentials_of_one_appeal_never_act_on_another(world: AppealWorld) -> None:
    number_a, a = fast_appeal(world)
    number_b, b = fast_appeal(world, title="另一个工地拖欠工资")
    for number in (number_a, number_b):
        world.post("rst", f"/officer/appeals/{number}/reply", {"body": "已处理。"})
    crossed = [
        {"username": a["username"], "password": b["password"]},
        {"username": b["username"], "password": a["password"]},
    ]
    for credentials in crossed:
        for path, extra in (
            (FOLLOW_UP, {"body": "冒充补充"}),
            (RATING, {"satisfaction": "不满意"}),
            (REOPEN, {"reason": "冒充重办"}),
        ):
            response = act(world, path, {"credentials": credentials, **extra})
            assert (response.status_code, response.json()["code"]) == (404, "appeal_credentials_invalid")
    assert act(world, RATING, {"credentials": a, "satisfaction": "满意"}).json()["number"] == number_a
    assert kinds(world, b) == ["submitted", "reply"]
    assert world.lookup(**b).json()["rating"] is None
    account_appeal = world.appeal("citizen").json()["appeal"]["number"]
    assert world.get("citizen", f"/appeals/{account_appeal}").json()["messages"][-1]["kind"] == "submitted"


def test_wrong_credentials_fail_like_a_lookup_and_share_its_throttle(app: FastAPI, world: AppealWorld) -> None:
    _, credentials = fast_appeal(world)
    lookup_failure = world.lookup(credentials["username"], "B" * 16).json()
    wrong = act(world, FOLLOW_UP, {"credentials": {**credentials, "password": "A" * 16}, "body": "补充"})
    unknown = act(world, RATING, {"credentials": {"username": "ks0", "password": "x"}, "satisfaction": "满意"})
    for response in (wrong, unknown):
        assert response.status_code == 404
        assert response.json() == lookup_failure
    guesses = [
        {
            "method": "POST",
            "url": FOLLOW_UP,
            "json": {"credentials": {**credentials, "password": f"G{i}"}, "body": "猜测"},
        }
        for i in range(LOOKUP_FAILURES)
    ]
    answers = [at_once(app, [g], (f"198.51.100.{i}", 4000))[0] for i, g in enumerate(guesses)]
    assert sum(a.status_code == 404 for a in answers) == LOOKUP_FAILURES - 2  # two came before, for this username
    assert all(a.status_code == 429 and int(a.headers["Retry-After"]) > 0 for a in answers if a.status_code != 404)
    right = at_once(app, [{"method": "POST", "url": REOPEN, "json": {"credentials": credentials, "reason": "再办"}}])
    assert right[0].status_code == 429  # the username is locked for writes and lookups alike
    assert world.lookup(**credentials).status_code == 429


def test_competing_fast_channel_writes_have_one_winner(app: FastAPI, world: AppealWorld) -> None:
    number, credentials = fast_appeal(world)

    def post(path: str, body: dict[str, Any], key: str | None = None) -> dict[str, Any]:
        headers = {"Idempotency-Key": key} if key else {}
        return {"method": "POST", "url": path, "json": {"credentials": credentials, **body}, "headers": headers}

    follow_ups = at_once(app, [post(FOLLOW_UP, {"body": f"补充{i}"}) for i in range(6)])
    assert sorted(r.status_code for r in follow_ups) == [200] * 6
    same_key = at_once(app, [post(FOLLOW_UP, {"body": "同一次补充"}, key="same")] * 6)
    assert {r.status_code for r in same_key} <= {200, 409}
    world.post("rst", f"/officer/appeals/{number}/reply", {"body": "已答复。"})
    ratings = at_once(app, [post(RATING, {"satisfaction": "不满意"}) for _ in range(6)])
    assert sorted(r.status_code for r in ratings) == [200] + [409] * 5
    reopens = at_once(app, [post(REOPEN, {"reason": "未解决"}) for _ in range(6)])
    assert sorted(r.status_code for r in reopens) == [200] + [409] * 5
    timeline = kinds(world, credentials)
    assert (timeline.count("follow_up"), timeline.count("rating"), timeline.count("reopen")) == (7, 1, 1)


def raw(world: AppealWorld, path: str, body: Any) -> Any:
    """JSON with non-ASCII escaped, so lone surrogates get through to the server."""
    return world.http.post(path, content=json.dumps(body).encode(), headers={"Content-Type": "application/json"})


def test_hostile_input_is_a_clear_4xx_and_changes_nothing(world: AppealWorld) -> None:
    number, credentials = fast_appeal(world)
    world.post("rst", f"/officer/appeals/{number}/reply", {"body": "已答复。"})
    hostile = [
        (FOLLOW_UP, {"credentials": credentials, "body": LONE}),
        (FOLLOW_UP, {"credentials": credentials, "body": "长" * 2001}),
        (FOLLOW_UP, {"credentials": {"username": LONE, "password": "x"}, "body": "补充"}),
        (FOLLOW_UP, {"credentials": {"username": "u" * 10_000, "password": "p"}, "body": "补充"}),
        (FOLLOW_UP, {"credentials": {**credentials, "password": "\x00" * 16}, "body": "补充"}),
        (FOLLOW_UP, {"body": "没有凭据"}),
        (FOLLOW_UP, {"credentials": "ks1:PASSWORD", "body": "补充"}),
        (RATING, {"credentials": credentials, "satisfaction": "very good"}),
        (RATING, {"credentials": credentials, "satisfaction": "满意", "comment": "<script>" * 100}),
        (RATING, {"credentials": [credentials], "satisfaction": "满意"}),
        (REOPEN, {"credentials": credentials, "reason": "x" * 10_000}),
        (REOPEN, {"credentials": credentials, "reason": f"原因{LONE}"}),
        (REOPEN, [1, 2, 3]),
    ]
    for path, body in hostile:
        response = raw(world, path, body)
        assert 400 <= response.status_code < 500, (path, body, response.text)
        assert response.json()["code"] and response.json()["message"]
    huge = world.http.post(
        FOLLOW_UP,
        content=b'{"body": "' + b"x" * 2_000_000 + b'"}',
        headers={"Content-Type": "application/json"},
    )
    assert huge.status_code == 413
    found = world.lookup(**credentials).json()
    assert [m["kind"] for m in found["messages"]] == ["submitted", "reply"] and found["rating"] is None
