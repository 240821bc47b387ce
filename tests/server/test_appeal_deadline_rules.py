"""GET /appeal-deadlines: the working days per type the app shows before submitting, equal to what a submission
gets, on SQLite and PostgreSQL; many at once and hostile query strings are answered, never a 500."""

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from server.appeals.deadlines import DEADLINES_ENV, deadline_days
from tests.server.concurrency import at_once

RULES = "/api/v1/appeal-deadlines"


@pytest.fixture(autouse=True)
def fresh_rules() -> Iterator[None]:
    deadline_days.cache_clear()
    yield
    deadline_days.cache_clear()


def test_the_rules_are_the_defaults_in_working_days_and_match_a_submission(http: TestClient) -> None:
    response = http.get(RULES)
    assert response.status_code == 200, response.text
    rules = {rule["type"]: (rule["days"], rule["day_kind"]) for rule in response.json()["items"]}
    assert rules == {
        "咨询": (7, "working"),
        "投诉": (15, "working"),
        "建议": (15, "working"),
        "举报": (15, "working"),
        "评议": (15, "working"),
    }
    receipt = http.post(
        "/api/v1/appeals",
        json={
            "type": "咨询",
            "category": "社保",
            "title": "社保转移咨询",
            "content": "请问跨省社保转移怎么办理？谢谢。",
        },
    )
    assert receipt.status_code == 201, receipt.text
    assert receipt.json()["appeal"]["deadline"]["days"] == rules["咨询"][0]


def test_an_override_in_the_environment_is_what_the_rules_say(
    http: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(DEADLINES_ENV, "咨询=5,投诉=10")
    deadline_days.cache_clear()
    days = {rule["type"]: rule["days"] for rule in http.get(RULES).json()["items"]}
    assert (days["咨询"], days["投诉"], days["举报"]) == (5, 10, 15)


def test_many_at_once(app: FastAPI) -> None:
    responses = at_once(app, [{"method": "GET", "url": RULES}] * 60)
    assert {r.status_code for r in responses} == {200}
    assert len({r.content for r in responses}) == 1


@pytest.mark.parametrize(
    "query",
    ["type=%ED%A0%80", "x=" + "a" * 5000, "limit=-1&cursor=%00", "type=%FF%FE"],
)
def test_hostile_query_strings_are_answered_without_a_server_error(http: TestClient, query: str) -> None:
    response = http.get(f"{RULES}?{query}")
    assert response.status_code < 500, response.text
    assert http.post(RULES, json={}).status_code == 405
