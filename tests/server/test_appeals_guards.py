"""Appeal endpoints under many requests at once and under hostile input, on SQLite and PostgreSQL: exactly one
of several competing writes wins, and every bad request is a clear 4xx with nothing half-saved."""

import base64
import json
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel, ValidationError

from api_client import models as wire
from server.config import Settings
from tests.server.appeal_world import COMPLAINT, AppealWorld, make_appeal_world
from tests.server.application_world import pdf_bytes
from tests.server.concurrency import at_once

LONE = "\udcff"


@pytest.fixture
def world(app: FastAPI, http: TestClient, settings: Settings) -> AppealWorld:
    return make_appeal_world(app, http, settings)


def request(
    who: dict[str, str] | None, method: str, path: str, body: Any = None, key: str | None = None
) -> dict[str, Any]:
    headers = dict(who or {})
    if key:
        headers["Idempotency-Key"] = key
    spec: dict[str, Any] = {"method": method, "url": f"/api/v1{path}", "headers": headers}
    if body is not None:
        spec["json"] = body
    return spec


def codes(responses: list[Any]) -> list[int]:
    return sorted(r.status_code for r in responses)


def test_competing_writes_on_one_appeal_have_one_winner(app: FastAPI, world: AppealWorld) -> None:
    citizen, rst = world.tokens["citizen"], world.tokens["rst"]
    number = world.appeal(department="rst").json()["appeal"]["number"]
    follow_ups = at_once(
        app, [request(citizen, "POST", f"/appeals/{number}/follow-ups", {"body": f"补充{i}"}) for i in range(6)]
    )
    assert codes(follow_ups) == [200] * 6
    replies = at_once(
        app, [request(rst, "POST", f"/officer/appeals/{number}/reply", {"body": f"答复{i}"}) for i in range(6)]
    )
    assert codes(replies) == [200] * 6  # a department may answer again; each answer is kept
    ratings = at_once(
        app, [request(citizen, "POST", f"/appeals/{number}/rating", {"satisfaction": "不满意"}) for _ in range(6)]
    )
    assert codes(ratings) == [200] + [409] * 5
    reopens = at_once(
        app, [request(citizen, "POST", f"/appeals/{number}/reopen", {"reason": "未解决"}) for _ in range(6)]
    )
    assert codes(reopens) == [200] + [409] * 5
    closes = at_once(app, [request(rst, "POST", f"/officer/appeals/{number}/close", {}) for _ in range(6)])
    assert codes(closes) == [200] + [409] * 5
    detail = world.get("citizen", f"/appeals/{number}").json()
    kinds = [m["kind"] for m in detail["messages"]]
    assert (kinds.count("follow_up"), kinds.count("reply"), kinds.count("rating"), kinds.count("reopen")) == (
        6,
        6,
        1,
        1,
    )
    assert kinds.count("close") == 1


def test_competing_transfers_move_the_appeal_once(app: FastAPI, world: AppealWorld) -> None:
    number = world.appeal(department="gat").json()["appeal"]["number"]
    targets = ["rst", "sthjt", "zjt", "jyt"]
    moves = at_once(
        app,
        [
            request(
                world.tokens["gat"], "POST", f"/officer/appeals/{number}/transfer", {"department": t, "reason": "转办"}
            )
            for t in targets
        ],
    )
    assert codes(moves)[0] == 200 and set(codes(moves)[1:]) <= {404, 409}  # the losers no longer hold it
    assert sum(r.status_code == 200 for r in moves) == 1
    detail = world.get("citizen", f"/appeals/{number}").json()
    assert [m["kind"] for m in detail["messages"]].count("transfer") == 1


def test_many_submissions_reads_and_lookups_at_once(app: FastAPI, world: AppealWorld) -> None:
    citizen = world.tokens["citizen"]
    made = at_once(
        app,
        [
            request(citizen, "POST", "/appeals", {**COMPLAINT, "title": f"并发提交第{i}件"}, key=f"c{i}")
            for i in range(10)
        ],
    )
    assert codes(made) == [201] * 10
    anonymous = at_once(app, [request(None, "POST", "/appeals", COMPLAINT, key=f"a{i}") for i in range(6)])
    assert codes(anonymous) == [201] * 6
    credentials = [r.json()["credentials"] for r in anonymous]
    assert len({c["username"] for c in credentials}) == 6
    lookups = at_once(app, [request(None, "POST", "/appeals/lookup", c) for c in credentials])
    assert codes(lookups) == [200] * 6
    links = at_once(app, [request(citizen, "POST", "/appeals/link", {"credentials": credentials}) for _ in range(4)])
    assert codes(links) == [200] * 4
    reads = at_once(
        app,
        [request(citizen, "GET", "/appeals?limit=100")] * 4
        + [request(None, "GET", "/public-appeals"), request(None, "GET", "/stats")] * 3
        + [
            request(world.tokens["rst"], "GET", "/officer/appeals"),
            request(world.tokens["admin"], "GET", "/supervision/appeals"),
        ]
        + [request(citizen, "GET", f"/appeals/{r.json()['appeal']['number']}") for r in made[:4]]
        + [request(world.tokens["rst"], "GET", f"/officer/appeals/{r.json()['appeal']['number']}") for r in made[:4]],
    )
    assert {r.status_code for r in reads} == {200}
    assert len(world.get("citizen", "/appeals", limit=100).json()["items"]) == 16


def cursor_of(key: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode().rstrip("=")


def raw_post(world: AppealWorld, who: str | None, path: str, body: Any) -> Any:
    """JSON with non-ASCII escaped, so lone surrogates get through to the server."""
    headers = {**(world.tokens[who] if who else {}), "Content-Type": "application/json"}
    return world.http.post(f"/api/v1{path}", content=json.dumps(body).encode(), headers=headers)


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        ({"title": f"标题{LONE}标题"}, "text_invalid", "title"),
        ({"content": f"内容{LONE}" * 5}, "text_invalid", "content"),
        ({"content": "内容\x00" * 5}, "text_invalid", "content"),
        ({"content": "字" * 2001}, "value_invalid", "content"),
        ({"content": "   "}, "value_invalid", "content"),
        ({"content": " \n\t" * 20}, "value_invalid", "content"),  # whitespace only, however long
        ({"title": "\u3000" * 8}, "value_invalid", "title"),  # ideographic spaces
        ({"location": {"address": " " * 20}}, "value_invalid", "location"),
        ({"title": ""}, "value_invalid", "title"),
        ({"title": "长" * 61}, "value_invalid", "title"),
        ({"category": "外星人"}, "value_invalid", "category"),
        ({"type": "投诉建议"}, "value_invalid", "type"),
        ({"department": "no-such"}, "department_unknown", "department"),
        ({"department": "x" * 500}, "value_invalid", "department"),
        ({"location": {"address": "沈阳", "latitude": 91}}, "value_invalid", "location"),
        ({"contact_phone": "12345"}, "value_invalid", "contact_phone"),
        ({"attachments": ["0" * 32]}, "attachment_unknown", "attachments"),
        ({"attachments": ["../../etc/passwd"]}, "value_invalid", "attachments"),
    ],
)
def test_bad_submissions_are_refused_and_nothing_is_saved(
    world: AppealWorld, change: dict[str, Any], code: str, field: str
) -> None:
    for who in ("citizen", None):
        response = raw_post(world, who, "/appeals", {**COMPLAINT, **change})
        assert response.status_code == 422, response.text
        assert (response.json()["code"], response.json()["field"]) == (code, field)
    assert world.get("citizen", "/appeals").json()["items"] == []


def test_someone_elses_attachment_cannot_be_attached(app: FastAPI, world: AppealWorld) -> None:
    theirs = world.upload("other", pdf_bytes())
    response = world.appeal(attachments=[theirs])
    assert (response.status_code, response.json()["code"]) == (422, "attachment_unknown")
    mine = world.upload("citizen", pdf_bytes("photo of the site"))
    number = world.appeal(attachments=[mine]).json()["appeal"]["number"]
    assert world.get("citizen", f"/appeals/{number}").json()["attachments"] == [mine]
    read = world.get("rst", f"/officer/appeals/{number}/attachments/{mine}")
    assert (read.status_code, read.content) == (200, pdf_bytes("photo of the site"))
    at_the_same_time = at_once(
        app, [request(world.tokens["rst"], "GET", f"/officer/appeals/{number}/attachments/{mine}")] * 6
    )
    assert {(r.status_code, r.content) for r in at_the_same_time} == {(200, pdf_bytes("photo of the site"))}
    for who, attachment in (("gat", mine), ("rst", theirs), ("rst", "x" * 5000)):
        assert world.get(who, f"/officer/appeals/{number}/attachments/{attachment}").status_code == 404


def test_hostile_input_on_every_other_endpoint_is_a_clear_4xx(world: AppealWorld) -> None:
    number = world.appeal(department="rst").json()["appeal"]["number"]
    hostile_bodies = [
        ("citizen", f"/appeals/{number}/follow-ups", {"body": LONE}),
        ("citizen", f"/appeals/{number}/follow-ups", {"body": "长" * 2001}),
        ("citizen", f"/appeals/{number}/follow-ups", {"body": ""}),
        ("citizen", f"/appeals/{number}/follow-ups", {"body": " " * 40}),
        ("citizen", f"/appeals/{number}/reopen", {"reason": " " * 40}),
        ("rst", f"/officer/appeals/{number}/reply", {"body": "\n" * 40}),
        ("rst", f"/officer/appeals/{number}/transfer", {"department": "gat", "reason": " " * 40}),
        ("citizen", f"/appeals/{number}/rating", {"satisfaction": "very good"}),
        ("citizen", f"/appeals/{number}/rating", {"satisfaction": "满意", "comment": LONE}),
        ("citizen", f"/appeals/{number}/reopen", {"reason": "x" * 10_000}),
        ("citizen", "/appeals/link", {"credentials": []}),
        ("citizen", "/appeals/link", {"credentials": [{"username": LONE, "password": "x"}]}),
        (None, "/appeals/lookup", {"username": "u" * 10_000, "password": "p"}),
        (None, "/appeals/lookup", {"username": "ks1", "password": LONE}),
        (None, "/appeals/lookup", [1, 2, 3]),
        ("rst", f"/officer/appeals/{number}/reply", {"body": LONE}),
        ("rst", f"/officer/appeals/{number}/reply", {"body": "答复", "amount_recovered_yuan": -5}),
        ("rst", f"/officer/appeals/{number}/reply", {"body": "答复", "amount_recovered_yuan": 2**70}),
        ("rst", f"/officer/appeals/{number}/transfer", {"department": "gat", "reason": LONE}),
        ("rst", f"/officer/appeals/{number}/close", {"note": "\x00"}),
    ]
    for who, path, body in hostile_bodies:
        response = raw_post(world, who, path, body)
        assert response.status_code == 422, (path, body, response.text)
    for who, path in [
        ("citizen", "/appeals/" + "9" * 5000),
        ("citizen", f"/appeals/{number}%00"),
        ("rst", "/officer/appeals/" + LONE.encode("utf-8", "surrogatepass").hex()),
        ("other", f"/appeals/{number}"),
    ]:
        assert world.http.get(f"/api/v1{path}", headers=world.tokens[who]).status_code == 404, path
    for who, path, params in [
        ("citizen", "/appeals", {"cursor": cursor_of(["x"])}),
        ("citizen", "/appeals", {"cursor": cursor_of([2**64])}),
        (None, "/public-appeals", {"cursor": cursor_of([{}])}),
        (None, "/public-appeals", {"category": "外星人"}),
        (None, "/public-appeals", {"department": "x" * 100}),
        ("rst", "/officer/appeals", {"cursor": cursor_of(["2025-13-45", 1])}),
        ("rst", "/officer/appeals", {"due_by": "not-a-date"}),
        ("admin", "/supervision/appeals", {"cursor": cursor_of([1, 2, 3])}),
        (None, "/search", {"q": "工资", "scope": "appeals", "cursor": cursor_of([None])}),
    ]:
        response = world.http.get(f"/api/v1{path}", params=params, headers=world.tokens[who] if who else {})
        assert response.status_code == 422, (path, params, response.text)
    detail = world.get("citizen", f"/appeals/{number}").json()
    assert [m["kind"] for m in detail["messages"]] == ["submitted"]
    assert detail["status"] == "pending"


APPEAL_REQUEST_MODELS = [
    wire.AppealCreate,
    wire.AppealLocation,
    wire.AppealFollowUp,
    wire.AppealRatingSubmit,
    wire.AppealReopen,
    wire.FastChannelLookup,
    wire.FastChannelLink,
    wire.OfficerReply,
    wire.OfficerClose,
    wire.AppealTransfer,
]


@pytest.mark.parametrize("model", APPEAL_REQUEST_MODELS, ids=lambda m: m.__name__)
def test_every_appeal_request_field_refuses_what_no_database_can_store(model: type[BaseModel]) -> None:
    for field in model.model_fields:
        for probe in ("\udfff", "\x00", "正文\udfff", "13712345678\x00", "a\x7f"):
            with pytest.raises(ValidationError) as refused:
                model.model_validate({field: probe})
            assert field in [error["loc"][0] for error in refused.value.errors()], (model, field, probe)
