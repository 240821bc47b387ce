"""The fast channel (快速通道) on SQLite and PostgreSQL: generated credentials shown once and replayed on a retry,
lookup with one generic failure, throttling per username and per client, and linking to an account."""

import datetime as dt
import math
import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from server.appeals.models import Appeal
from server.appeals.service import LOOKUP_FAILURES, PASSWORD_ALPHABET, PASSWORD_LENGTH
from server.config import Settings
from server.db import make_engine, make_sessionmaker
from tests.server.appeal_world import AppealWorld, make_appeal_world
from tests.server.concurrency import at_once


@pytest.fixture
def world(app: FastAPI, http: TestClient, settings: Settings) -> AppealWorld:
    return make_appeal_world(app, http, settings)


def count_appeals(settings: Settings) -> int:
    engine = make_engine(settings.database_url)
    with make_sessionmaker(engine)() as db:
        count = db.scalar(select(func.count()).select_from(Appeal)) or 0
    engine.dispose()
    return count


def test_anonymous_submission_gets_strong_credentials_replayed_on_retry(world: AppealWorld, settings: Settings) -> None:
    first = world.appeal(None, key="fast-1")
    assert first.status_code == 201, first.text
    credentials = first.json()["credentials"]
    assert re.fullmatch(r"ks\d{10}", credentials["username"])
    password = credentials["password"]
    assert len(password) == PASSWORD_LENGTH and set(password) <= set(PASSWORD_ALPHABET)
    assert PASSWORD_LENGTH * math.log2(len(PASSWORD_ALPHABET)) >= 60
    retry = world.appeal(None, key="fast-1")
    assert retry.status_code == 201
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert retry.json() == first.json()
    assert count_appeals(settings) == 1
    engine = make_engine(settings.database_url)
    with make_sessionmaker(engine)() as db:
        stored = db.scalars(select(Appeal)).one()
        assert stored.citizen_id is None
        assert password not in (stored.fast_password_hash or "")
    engine.dispose()

    found = world.lookup(credentials["username"], password)
    assert found.status_code == 200, found.text
    assert found.json()["number"] == first.json()["appeal"]["number"]
    number = found.json()["number"]
    world.post("rst", f"/officer/appeals/{number}/reply", {"body": "已责成项目部支付。"})
    replies = world.lookup(credentials["username"], password.lower()).json()["messages"]
    assert [m["kind"] for m in replies] == ["submitted", "reply"]


def test_concurrent_retries_of_one_submission_make_one_appeal(
    app: FastAPI, world: AppealWorld, settings: Settings
) -> None:
    body = {
        "type": "咨询",
        "category": "社保",
        "title": "灵活就业社保补贴咨询",
        "content": "请问灵活就业人员社会保险补贴如何申请，需要哪些材料？",
    }
    responses = at_once(
        app, [{"method": "POST", "url": "/api/v1/appeals", "json": body, "headers": {"Idempotency-Key": "same"}}] * 8
    )
    assert {r.status_code for r in responses} <= {201, 409}
    done = [r.json() for r in responses if r.status_code == 201]
    assert done and all(d == done[0] for d in done)
    assert count_appeals(settings) == 1


def test_wrong_credentials_are_one_generic_failure(world: AppealWorld) -> None:
    credentials = world.appeal(None).json()["credentials"]
    wrong_password = world.lookup(credentials["username"], "A" * 16)
    unknown_user = world.lookup("ks0000000000", "A" * 16)
    malformed = world.lookup("<script>", "x")
    for response in (wrong_password, unknown_user, malformed):
        assert response.status_code == 404
        assert response.json()["code"] == "appeal_credentials_invalid"
        assert response.json()["message"] == wrong_password.json()["message"]
    another = world.appeal(None).json()["credentials"]
    crossed = world.lookup(credentials["username"], another["password"])
    assert crossed.status_code == 404


def test_lookups_are_throttled_per_username_and_per_client(app: FastAPI, world: AppealWorld) -> None:
    credentials = world.appeal(None).json()["credentials"]
    guesses = [
        {
            "method": "POST",
            "url": "/api/v1/appeals/lookup",
            "json": {"username": credentials["username"], "password": f"G{i}"},
        }
        for i in range(LOOKUP_FAILURES + 5)
    ]
    # From many addresses at once: the username's allowance holds however the guesses arrive.
    answers = [at_once(app, [guess], (f"198.51.100.{i}", 4000))[0] for i, guess in enumerate(guesses)]
    assert sum(a.status_code == 404 for a in answers) == LOOKUP_FAILURES
    throttled = [a for a in answers if a.status_code == 429]
    assert len(throttled) == 5
    assert int(throttled[0].headers["Retry-After"]) > 0
    right = {"username": credentials["username"], "password": credentials["password"]}
    late = at_once(app, [{"method": "POST", "url": "/api/v1/appeals/lookup", "json": right}], ("203.0.113.9", 1))
    assert late[0].status_code == 429
    world.clock.moment += dt.timedelta(minutes=16)  # the window (15 minutes, on the server's clock) has passed
    assert world.lookup(**right).status_code == 200

    # One client guessing many usernames at once: at most LOOKUP_FAILURES are checked.
    other = world.appeal(None).json()["credentials"]
    burst = at_once(
        app,
        [
            {"method": "POST", "url": "/api/v1/appeals/lookup", "json": {"username": f"ks{i:010d}", "password": "X"}}
            for i in range(LOOKUP_FAILURES + 5)
        ],
        ("192.0.2.77", 5000),
    )
    assert sorted({r.status_code for r in burst}) == [404, 429]
    assert sum(r.status_code == 404 for r in burst) == LOOKUP_FAILURES
    mine = {"method": "POST", "url": "/api/v1/appeals/lookup", "json": other}
    assert at_once(app, [mine], ("192.0.2.77", 5001))[0].status_code == 429
    assert at_once(app, [mine], ("192.0.2.78", 5001))[0].status_code == 200


def test_fast_channel_appeals_link_to_an_account_with_their_credentials(world: AppealWorld) -> None:
    first = world.appeal(None).json()
    second = world.appeal(None, title="再次反映工资拖欠问题").json()
    wrong = world.post(
        "citizen",
        "/appeals/link",
        {"credentials": [first["credentials"], {**second["credentials"], "password": "AAAA"}]},
    )
    assert (wrong.status_code, wrong.json()["code"]) == (404, "appeal_credentials_invalid")
    assert world.get("citizen", "/appeals").json()["items"] == []
    linked = world.post(
        "citizen",
        "/appeals/link",
        {"credentials": [first["credentials"], second["credentials"]]},
        {"Idempotency-Key": "l1"},
    )
    assert linked.status_code == 200, linked.text
    numbers = sorted([first["appeal"]["number"], second["appeal"]["number"]])
    assert linked.json()["linked"] == numbers
    assert sorted(a["number"] for a in world.get("citizen", "/appeals").json()["items"]) == numbers
    # Now the account can rate and follow up; another account cannot take them over.
    stolen = world.post("other", "/appeals/link", {"credentials": [first["credentials"]]})
    assert stolen.status_code == 404
    assert world.get("other", f"/appeals/{numbers[0]}").status_code == 404
    assert world.lookup(**first["credentials"]).status_code == 200
