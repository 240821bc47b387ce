"""What applications refuse, on SQLite and PostgreSQL: bad form values (one message per field), missing or
foreign materials, other people's cases, hostile input, concurrent decisions and the lookup throttle."""

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from server.config import Settings
from server.core.pagination import encode_cursor
from tests.server.application_world import ITEM_CODE, VALID_FORM, World, make_world, pdf_bytes, png_bytes


@pytest.fixture
def world(app: FastAPI, http: TestClient, settings: Settings) -> World:
    return make_world(app, http, settings)


def materials(world: World) -> dict[str, list[str]]:
    return {
        "id_card": [world.upload("citizen", png_bytes(), "id.png")],
        "site_proof": [world.upload("citizen", pdf_bytes())],
    }


def submit_raw(
    world: World, form: dict[str, str], files: dict[str, list[str]] | None = None, who: str = "citizen"
) -> Any:
    body = {"item_code": ITEM_CODE, "form": form, "materials": files if files is not None else {}}
    return world.post(who, "/applications", body)


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("applicant_name", "", "field_required"),
        ("applicant_name", "   ", "field_required"),
        ("applicant_name", "张" * 21, "value_too_long"),
        ("applicant_name", "张\x00三", "text_invalid"),
        ("school_name", "启航\u202e学校", "text_invalid"),
        ("id_number", "110105194912310021", "id_number_invalid"),  # wrong check character
        ("id_number", "11010520491231002X", "id_number_invalid"),  # born in the future
        ("id_number", "110105194913310028", "id_number_invalid"),  # month 13
        ("phone", "12800138000", "phone_invalid"),
        ("phone", "1380013800", "phone_invalid"),
        ("email", "not-an-address", "email_invalid"),
        ("founded_on", "2025-02-30", "date_invalid"),
        ("founded_on", "2025/11/01", "date_invalid"),
        ("capital", "12.345", "amount_invalid"),
        ("capital", "-5", "amount_invalid"),
        ("capital", "100000000.01", "value_out_of_range"),
        ("trainees", "3.5", "integer_invalid"),
        ("trainees", "0", "value_out_of_range"),
        ("trainees", "9" * 13, "integer_invalid"),
        ("category", "学历教育", "option_invalid"),
        ("remarks", "备" * 201, "value_too_long"),
        ("nickname", "x", "field_unknown"),
    ],
)
def test_each_bad_value_is_named_with_its_own_message(world: World, field: str, value: str, code: str) -> None:
    response = submit_raw(world, {**VALID_FORM, field: value}, materials(world))
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["code"] == "form_invalid"
    assert [(e["field"], e["code"]) for e in body["errors"]] == [(f"form.{field}", code)]
    assert body["errors"][0]["message"]


def test_every_problem_at_once_one_message_per_field_in_the_callers_language(world: World) -> None:
    form = {**VALID_FORM, "phone": "123", "capital": "abc"}
    del form["applicant_name"]
    files = {"site_proof": [world.upload("citizen", png_bytes(), "p.png")]}
    body = {"item_code": ITEM_CODE, "form": form, "materials": files}
    response = world.post("citizen", "/applications", body, headers={"Accept-Language": "en"})
    assert response.status_code == 422
    errors = {e["field"]: (e["code"], e["message"]) for e in response.json()["errors"]}
    assert errors == {
        "form.applicant_name": ("field_required", "This field is required"),
        "form.phone": ("phone_invalid", "The mobile number is not valid"),
        "form.capital": ("amount_invalid", "Enter an amount with at most two decimals"),
        "materials.id_card": ("material_required", "Upload this document"),
        "materials.site_proof": ("material_format_invalid", "This document does not accept this file format"),
    }


def test_attachments_must_be_the_callers_own_and_materials_known(world: World) -> None:
    foreign = world.upload("other", pdf_bytes())
    files = materials(world)
    response = submit_raw(world, VALID_FORM, {**files, "site_proof": [foreign]})
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [
        ("materials.site_proof", "attachment_unknown")
    ]
    response = submit_raw(world, VALID_FORM, {**files, "diploma": files["id_card"]})
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [("materials.diploma", "material_unknown")]
    response = submit_raw(world, VALID_FORM, {**files, "site_proof": ["0" * 32]})
    assert response.json()["errors"][0]["code"] == "attachment_unknown"


@pytest.mark.parametrize(
    "body",
    [
        {"item_code": ITEM_CODE, "form": "x"},
        {"item_code": ITEM_CODE, "form": {"applicant_name": 5}},
        {"item_code": ITEM_CODE, "form": {"\ud800": "x"}},
        {"item_code": "\ud800", "form": {}},
        {"item_code": ITEM_CODE, "form": {"applicant_name": "张\ud800三"}},
        {"item_code": ITEM_CODE, "form": {}, "materials": {"id_card": ["../../etc/passwd"]}},
        {"item_code": ITEM_CODE, "form": {}, "materials": {"id_card": ["a" * 32] * 11}},
        {"item_code": ITEM_CODE, "form": {f"f{i}": "x" for i in range(101)}},
        {"item_code": ITEM_CODE, "form": {"remarks": "x" * 100_000}},
        [],
        None,
    ],
)
def test_hostile_submissions_are_422_never_500(world: World, body: Any) -> None:
    response = world.post("citizen", "/applications", body)
    assert response.status_code == 422, response.text


def test_malformed_json_and_bad_cursors(world: World) -> None:
    raw = world.http.post(
        "/api/v1/applications",
        content=b'{"item_code": ',
        headers={**world.headers("citizen"), "Content-Type": "application/json"},
    )
    assert raw.status_code == 422
    for path in ("/applications", "/officer/applications", "/notifications"):
        who = "rst" if path.startswith("/officer") else "citizen"
        big = encode_cursor([2**70]) if who == "citizen" else encode_cursor(["2025-10-01", 2**70])
        for cursor in ("!!!", "WyJ4Il0", "WzEsMiwzXQ", "WyJ4IiwieCJd", big, encode_cursor(["x", 1])):
            assert world.get(who, path, cursor=cursor).status_code == 422, (path, cursor)


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/decision", {"decision": "supplement", "note": "x", "materials": []}),
        ("/decision", {"decision": "supplement", "note": "x", "materials": ["diploma"]}),
        ("/decision", {"decision": "maybe"}),
        ("/decision", {"decision": "pass", "note": "\ud800"}),
        ("/decision", {"decision": "pass", "note": "x" * 501}),
        ("/refuse", {}),
    ],
)
def test_bad_officer_decisions_are_422(world: World, path: str, body: dict[str, Any]) -> None:
    number = world.submit()["number"]
    if path == "/decision":
        world.post("rst", f"/officer/applications/{number}/accept")
    response = world.post("rst", f"/officer/applications/{number}{path}", body)
    assert response.status_code == 422, response.text


def test_other_people_and_other_departments_get_404(world: World) -> None:
    number = world.submit()["number"]
    for path in ("", "/certificate"):
        assert world.get("other", f"/applications/{number}{path}").status_code == 404
    for action, body in (("supplement", {"materials": {}}), ("withdraw", {}), ("rating", {"score": 5})):
        assert world.post("other", f"/applications/{number}/{action}", body).status_code == 404
    assert [a["number"] for a in world.get("other", "/applications").json()["items"]] == []
    # 公安厅 has no part in this case: its officers cannot see or decide it.
    assert world.get("gat", f"/officer/applications/{number}").status_code == 404
    assert world.post("gat", f"/officer/applications/{number}/accept").status_code == 404
    assert world.get("gat", "/officer/applications").json()["items"] == []
    # A citizen is no officer, and nobody is without a token.
    assert world.get("citizen", "/officer/applications").status_code == 403
    assert world.http.get(f"/api/v1/applications/{number}").status_code == 401
    # The citizen's materials are theirs and the case's officers' only.
    case = world.get("rst", f"/officer/applications/{number}").json()
    material = case["materials"][0]["files"][0]["id"]
    assert world.get("gat", f"/officer/applications/{number}/attachments/{material}").status_code == 404
    assert world.get("other", f"/attachments/{material}").status_code == 404
    assert world.get("citizen", f"/attachments/{material}").status_code == 200
    # Nobody's access log grows from a refused read.
    assert [a["officer_name"] for a in world.get("citizen", f"/applications/{number}").json()["access_log"]] == [
        "赵科长"
    ]


def test_two_officers_deciding_the_same_step_at_once_one_wins(world: World, app: FastAPI) -> None:
    numbers = [world.submit()["number"] for _ in range(3)]
    for number in numbers:
        world.post("rst", f"/officer/applications/{number}/accept")

    def decide(args: tuple[str, str, str]) -> int:
        number, who, decision = args
        with TestClient(app) as client:
            body = {"decision": decision, "note": "并发决定"}
            response = client.post(
                f"/api/v1/officer/applications/{number}/decision", json=body, headers=world.headers(who)
            )
            return response.status_code

    with ThreadPoolExecutor(max_workers=4) as pool:
        for number in numbers:
            # Two officers of 人社厅: one passes, one rejects, at the same moment.
            statuses = sorted(pool.map(decide, [(number, "rst", "pass"), (number, "rst2", "reject")]))
            assert statuses == [200, 409], statuses
            state = world.get("citizen", f"/applications/{number}").json()
            rst_step = state["steps"][0]["state"]
            assert state["status"] == ("rejected" if rst_step == "rejected" else "in_review")


def test_both_departments_passing_at_once_completes_exactly_once(world: World, app: FastAPI) -> None:
    numbers = [world.submit()["number"] for _ in range(3)]
    for number in numbers:
        world.post("rst", f"/officer/applications/{number}/accept")

    def decide(args: tuple[str, str]) -> int:
        number, who = args
        with TestClient(app) as client:
            url = f"/api/v1/officer/applications/{number}/decision"
            return client.post(url, json={"decision": "pass"}, headers=world.headers(who)).status_code

    with ThreadPoolExecutor(max_workers=4) as pool:
        jobs = [(number, who) for number in numbers for who in ("rst", "xfjy")]
        assert list(pool.map(decide, jobs)) == [200] * 6
    for number in numbers:
        case = world.get("citizen", f"/applications/{number}").json()
        assert case["status"] == "completed"
        assert case["certificate"] is not None
        assert [e["action"] for e in case["timeline"]].count(f"办结，出具证书 {case['certificate']['number']}") == 1


def test_many_submissions_at_once_and_an_idempotent_retry(world: World, app: FastAPI) -> None:
    files = [materials(world) for _ in range(12)]

    def submit(index: int) -> tuple[int, str]:
        with TestClient(app) as client:
            body = {"item_code": ITEM_CODE, "form": VALID_FORM, "materials": files[index % 6]}
            headers = world.headers("citizen", key=f"draft-{index % 6}")
            response = client.post("/api/v1/applications", json=body, headers=headers)
            return response.status_code, response.json().get("number", response.json().get("code"))

    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(submit, range(12)))
    numbers = {number for status, number in results if status == 201}
    assert all(status in (201, 409) for status, _ in results), results
    assert len(numbers) == 6  # a retried draft replays its number or waits (409), never makes a second case
    listed = world.get("citizen", "/applications", limit=4).json()
    walked = [a["number"] for a in listed["items"]]
    walked += [a["number"] for a in world.get("citizen", "/applications", cursor=listed["next_cursor"]).json()["items"]]
    assert set(walked) == numbers
    again = world.http.post(
        "/api/v1/applications",
        json={"item_code": ITEM_CODE, "form": VALID_FORM, "materials": files[0]},
        headers=world.headers("citizen", key="draft-0"),
    )
    assert again.status_code == 201
    assert again.headers["idempotent-replayed"] == "true"


def test_lookup_needs_number_and_phone_and_is_throttled_per_address(world: World) -> None:
    number = world.submit()["number"]
    assert world.get(None, "/applications/lookup", number=number, phone="13800138001").status_code == 404
    assert world.get(None, "/applications/lookup", number="0" * 18, phone="13800138000").status_code == 404
    undecodable = world.http.get(f"/api/v1/applications/lookup?number={number}&phone=%ED%A0%80")
    assert (undecodable.status_code, undecodable.json()["code"]) == (422, "text_invalid")
    found = world.get(None, "/applications/lookup", number=number, phone="13800138000")
    assert found.json()["status"] == "submitted"
    statuses = [
        world.get(None, "/applications/lookup", number=number, phone="13800138000").status_code for _ in range(20)
    ]
    assert statuses.count(429) >= 1
    throttled = world.get(None, "/applications/lookup", number=number, phone="13800138000")
    assert throttled.status_code == 429
    assert int(throttled.headers["retry-after"]) > 0
    assert throttled.json()["message"] == "查询过于频繁，请稍后再试"


def test_reads_and_calendar_publishing_at_once(world: World, app: FastAPI) -> None:
    number = world.submit()["number"]
    world.post("rst", f"/officer/applications/{number}/accept")
    reads = [
        ("citizen", f"/api/v1/applications/{number}"),
        ("citizen", "/api/v1/applications"),
        ("rst", "/api/v1/officer/applications"),
        ("xfjy", f"/api/v1/officer/applications/{number}"),
        (None, "/api/v1/departments/rst/stats"),
        (None, "/api/v1/calendar/2025"),
        ("citizen", "/api/v1/notifications"),
    ]
    schedule = {"holidays": [{"day": "2032-10-01", "name": "国庆节"}], "workdays": []}

    def call(index: int) -> int:
        with TestClient(app) as client:
            if index % 8 == 7:
                url, headers = "/api/v1/admin/calendar/2032", world.headers("admin")
                return client.put(url, json=schedule, headers=headers).status_code
            who, path = reads[index % len(reads)]
            return client.get(path, headers=world.headers(who) if who else {}).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert set(pool.map(call, range(48))) == {200}
    assert len(world.get("citizen", f"/applications/{number}").json()["access_log"]) == 6
    assert world.get(None, "/calendar/2032").json()["holidays"] == [{"day": "2032-10-01", "name": "国庆节"}]
