"""One appeal of the public mailbox (`GET /public-appeals/{number}`), on SQLite and PostgreSQL: the same masked
text and answers as the list, 404 for anything the list would not show, never 500 under many requests at once or
under hostile numbers."""

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from server.config import Settings
from tests.server.appeal_world import AppealWorld, make_appeal_world
from tests.server.concurrency import at_once

LONE = "\udcff"
CONTENT = "我叫王小明，电话13812345678，住沈阳市和平区南京街12号楼3单元502室，小区旁工厂夜间排放刺鼻废气。"


@pytest.fixture
def world(app: FastAPI, http: TestClient, settings: Settings) -> AppealWorld:
    return make_appeal_world(app, http, settings)


def answered(world: AppealWorld, title: str, public: bool = True) -> str:
    number: str = world.appeal(
        type="投诉", category="环境污染", department="sthjt", title=title, content=CONTENT, public=public
    ).json()["appeal"]["number"]
    assert world.post(
        "sthjt", f"/officer/appeals/{number}/reply", {"body": "经查王小明反映属实，已责令整改。"}
    ).is_success
    return number


def test_an_answered_public_appeal_reads_as_in_the_list_and_masked(world: AppealWorld) -> None:
    number = answered(world, "工厂夜间排放刺鼻废气")
    response = world.get(None, f"/public-appeals/{number}")
    assert response.status_code == 200, response.text
    shown = response.json()
    assert shown == world.get(None, "/public-appeals").json()["items"][0]
    assert "王小明" not in str(shown) and "13812345678" not in str(shown) and "502" not in shown["content"]
    assert "王＊＊" in shown["content"] and shown["replies"][0]["body"] == "经查王＊＊反映属实，已责令整改。"
    assert (shown["department"]["code"], shown["status"]) == ("sthjt", "replied")


def test_private_unanswered_and_unknown_appeals_are_404(world: AppealWorld) -> None:
    private = answered(world, "私密投诉不公开", public=False)
    unanswered = world.appeal(title="尚未答复的投诉").json()["appeal"]["number"]
    unknown = "S" + "0" * 18
    for number in (private, unanswered, unknown):
        response = world.get(None, f"/public-appeals/{number}")
        assert (response.status_code, response.json()["code"]) == (404, "not_found"), number
    # the submitter's own token changes nothing: the mailbox shows only what it shows everyone
    assert world.get("citizen", f"/public-appeals/{private}").status_code == 404


def test_hostile_numbers_are_a_clear_4xx(world: AppealWorld) -> None:
    number = answered(world, "工厂夜间排放刺鼻废气")
    for path in [
        "9" * 5000,
        "S" + "9" * 5000,
        f"{number}%00",
        f"{number}%20",
        number.lower(),
        "S%27%20OR%201=1--",
        LONE.encode("utf-8", "surrogatepass").hex(),
        "%ED%B3%BF",  # a lone surrogate, UTF-8 encoded
        "%FF%FE",
        "..%2F..%2Fetc%2Fpasswd",
    ]:
        response = world.http.get(f"/api/v1/public-appeals/{path}")
        assert response.status_code == 404, (path, response.text)
        assert response.json()["code"] == "not_found"


def test_many_readers_at_once_get_the_same_answer(app: FastAPI, world: AppealWorld) -> None:
    numbers = [answered(world, f"工厂夜间排放刺鼻废气第{i}次") for i in range(3)]
    hidden = answered(world, "私密投诉不公开", public=False)
    requests = [{"method": "GET", "url": f"/api/v1/public-appeals/{n}"} for n in [*numbers, hidden] * 6]
    requests += [{"method": "GET", "url": "/api/v1/public-appeals", "params": {"limit": 2}}] * 4
    responses = at_once(app, requests)
    by_number: dict[str, set[str]] = {}
    for request, response in zip(requests, responses, strict=True):
        if request["url"].endswith("/public-appeals"):
            assert response.status_code == 200
            continue
        by_number.setdefault(request["url"].rsplit("/", 1)[1], set()).add(f"{response.status_code} {response.text}")
    for number in numbers:
        (answer,) = by_number[number]
        assert answer.startswith("200 ") and number in answer
    (refused,) = by_number[hidden]
    assert refused.startswith("404 ")
