"""The whole application flow through the API on SQLite and PostgreSQL: parallel approval by two
departments with a 补正 round, completion with a certificate, rating, and the rejection path."""

import datetime as dt
import io
import re

import pytest
import segno
from fastapi import FastAPI
from fastapi.testclient import TestClient
from PIL import Image
from pypdf import PdfReader

from server.config import Settings
from tests.server.application_world import ITEM_CODE, World, make_world, pdf_bytes


@pytest.fixture
def world(app: FastAPI, http: TestClient, settings: Settings) -> World:
    return make_world(app, http, settings)


def test_parallel_approval_with_a_supplement_round_then_certificate_and_rating(world: World) -> None:
    receipt = world.submit()
    number = receipt["number"]
    assert re.fullmatch(r"20250926\d{10}", number)
    assert receipt["item_name"] == "民办职业培训学校设立审批"
    assert receipt["department"]["code"] == "rst"
    assert {m["key"]: m["files"] for m in receipt["materials"]} == {"id_card": 1, "site_proof": 1}
    assert "手机号" in receipt["lookup_hint"]

    mine = world.get("citizen", f"/applications/{number}").json()
    assert mine["status"] == "submitted"
    assert [(s["department"]["code"], s["state"]) for s in mine["steps"]] == [("rst", "pending"), ("xfjy", "pending")]
    assert mine["form"]["id_number"] == "11010519491231002X"
    assert mine["deadline"]["due_on"] is None

    # Only the implementing department accepts; the fire brigade sees the case but cannot accept it.
    assert world.post("xfjy", f"/officer/applications/{number}/accept").status_code == 403
    accepted = world.post("rst", f"/officer/applications/{number}/accept", {"note": "材料齐全"})
    assert accepted.status_code == 200, accepted.text
    # Accepted on Friday 26 September 2025; five working days: Sunday 28 (make-up day), 29, 30, then the
    # National Day holiday (1-8 October), then 9 and 10 October.
    assert accepted.json()["deadline"]["due_on"] == "2025-10-10"
    assert accepted.json()["status"] == "in_review"

    # Tuesday 30 September: the fire brigade asks for a new proof of the premises; the clock stops.
    world.clock.at(2025, 9, 30)
    asked = world.post(
        "xfjy",
        f"/officer/applications/{number}/decision",
        {"decision": "supplement", "note": "场所证明不清晰", "materials": ["site_proof"]},
    )
    assert asked.status_code == 200, asked.text
    assert asked.json()["status"] == "supplement"
    assert asked.json()["deadline"]["paused"] is True
    assert asked.json()["requested_materials"] == ["site_proof"]
    # While the citizen supplements, no department decides.
    blocked = world.post("rst", f"/officer/applications/{number}/decision", {"decision": "pass"})
    assert blocked.status_code == 409
    assert blocked.json()["code"] == "application_state_conflict"

    world.clock.at(2025, 10, 13)
    missing = world.post("citizen", f"/applications/{number}/supplement", {"materials": {}})
    assert missing.status_code == 422
    assert missing.json()["errors"] == [
        {"field": "materials.site_proof", "code": "material_required", "message": "请上传此项材料"}
    ]
    new_proof = world.upload("citizen", pdf_bytes("clear copy"))
    supplemented = world.post(
        "citizen",
        f"/applications/{number}/supplement",
        {"materials": {"site_proof": [new_proof]}, "note": "已重新扫描"},
    )
    assert supplemented.status_code == 200, supplemented.text
    body = supplemented.json()
    assert body["status"] == "in_review"
    # Three working days were used (28, 29, 30 September); two remain from Monday 13 October.
    assert body["deadline"]["due_on"] == "2025-10-15"
    assert body["deadline"]["days_left"] == 2
    site_files = next(m for m in body["materials"] if m["key"] == "site_proof")["files"]
    assert len(site_files) == 2

    first = world.post("rst", f"/officer/applications/{number}/decision", {"decision": "pass", "note": "同意"})
    assert first.status_code == 200, first.text
    assert first.json()["status"] == "in_review"
    done = world.post("xfjy", f"/officer/applications/{number}/decision", {"decision": "pass"})
    assert done.status_code == 200, done.text
    detail = world.get("citizen", f"/applications/{number}").json()
    assert detail["status"] == "completed"
    assert [s["state"] for s in detail["steps"]] == ["passed", "passed"]
    certificate = detail["certificate"]["number"]
    actions = [e["action"] for e in detail["timeline"]]
    assert actions[:3] == ["提交申请", "受理", "进入并联审查"]
    assert "消防救援总队要求补正材料" in actions
    assert actions[-1] == f"办结，出具证书 {certificate}"
    accept_event = detail["timeline"][1]
    assert (accept_event["department"]["code"], accept_event["officer_name"], accept_event["note"]) == (
        "rst",
        "赵科长",
        "材料齐全",
    )

    pdf = world.get("citizen", f"/applications/{number}/certificate")
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf.content))
    # pypdf reads fpdf2's CID-keyed CFF text with a NUL before each character; the characters are all there.
    text = re.sub(r"[\s\x00]+", "", reader.pages[0].extract_text())
    for expected in ("办理结果证明", "民办职业培训学校设立审批", "张三", "准予办理", "省消防救援总队", certificate):
        assert expected in text
    fonts = reader.pages[0]["/Resources"]["/Font"]
    descriptor = next(iter(fonts.values())).get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
    assert any(k in descriptor for k in ("/FontFile2", "/FontFile3")), "the Chinese font is embedded"
    verify_url = f"http://testserver/api/v1/certificates/{certificate}"
    assert_qr_encodes(reader, verify_url)
    verified = world.http.get(verify_url).json()
    assert verified["valid"] is True
    assert verified["holder"] == "张*"
    assert verified["item_name"] == "民办职业培训学校设立审批"

    assert world.post("citizen", f"/applications/{number}/rating", {"score": 5, "comment": "很方便"}).status_code == 200
    again = world.post("citizen", f"/applications/{number}/rating", {"score": 1})
    assert again.status_code == 409
    assert again.json()["code"] == "already_rated"
    stats = world.get(None, "/departments/rst/stats").json()
    assert (stats["ratings"], stats["average_rating"], stats["decided_steps"], stats["on_time_rate"]) == (
        1,
        5.0,
        1,
        1.0,
    )

    kinds = [n["kind"] for n in world.get("citizen", "/notifications").json()["items"]]
    assert kinds == ["application_completed", "step_decided", "supplement_requested", "application_accepted"]
    lookup = world.get(None, "/applications/lookup", number=number, phone="13800138000").json()
    assert lookup["status"] == "completed"
    assert all(e["note"] is None and e["officer_name"] is None for e in lookup["timeline"])


def assert_qr_encodes(reader: PdfReader, url: str) -> None:
    """The QR image in the PDF has exactly the modules of a QR code for `url`."""
    image = reader.pages[0].images[0].image.convert("L")
    expected = segno.make(url, error="m")
    size = expected.symbol_size(scale=1, border=2)[0]
    modules = image.resize((size, size), Image.NEAREST)
    dark = [[modules.getpixel((x, y)) < 128 for x in range(size)] for y in range(size)]
    matrix = [[bool(v) for v in row] for row in expected.matrix_iter(scale=1, border=2)]
    assert dark == matrix


def test_a_rejection_closes_the_case_for_every_department(world: World) -> None:
    number = world.submit()["number"]
    world.post("rst", f"/officer/applications/{number}/accept")
    no_note = world.post("xfjy", f"/officer/applications/{number}/decision", {"decision": "reject"})
    assert (no_note.status_code, no_note.json()["field"]) == (422, "note")
    rejected = world.post(
        "xfjy", f"/officer/applications/{number}/decision", {"decision": "reject", "note": "场所不符合消防要求"}
    )
    assert rejected.status_code == 200
    assert rejected.json()["status"] == "rejected"
    assert world.post("rst", f"/officer/applications/{number}/decision", {"decision": "pass"}).status_code == 409
    assert world.post("citizen", f"/applications/{number}/withdraw").status_code == 409
    rating = world.post("citizen", f"/applications/{number}/rating", {"score": 3})
    assert (rating.status_code, rating.json()["code"]) == (409, "rating_not_allowed")
    assert world.get("citizen", f"/applications/{number}/certificate").status_code == 404
    notes = world.get("citizen", "/notifications").json()["items"]
    assert notes[0]["kind"] == "application_rejected"
    assert "场所不符合消防要求" in notes[0]["body"]


def test_refusal_and_withdrawal(world: World) -> None:
    refused = world.submit()["number"]
    empty = world.post("rst", f"/officer/applications/{refused}/refuse", {"reason": "  "})
    assert empty.status_code == 422
    answer = world.post("rst", f"/officer/applications/{refused}/refuse", {"reason": "不属于本部门职权范围"})
    assert answer.json()["status"] == "refused"
    assert world.post("rst", f"/officer/applications/{refused}/accept").status_code == 409

    withdrawn = world.submit()["number"]
    world.post("rst", f"/officer/applications/{withdrawn}/accept")
    answer = world.post("citizen", f"/applications/{withdrawn}/withdraw")
    assert answer.json()["status"] == "withdrawn"
    assert world.post("xfjy", f"/officer/applications/{withdrawn}/decision", {"decision": "pass"}).status_code == 409
    inbox = world.get("rst", "/officer/applications").json()["items"]
    assert inbox == []
    closed = world.get("rst", "/officer/applications", status="withdrawn").json()["items"]
    assert [c["number"] for c in closed] == [withdrawn]


def test_officer_reads_are_logged_for_the_citizen(world: World) -> None:
    number = world.submit()["number"]
    world.clock.moment += dt.timedelta(minutes=5)
    assert world.get("xfjy", f"/officer/applications/{number}").status_code == 200
    case = world.get("rst", f"/officer/applications/{number}").json()
    assert case["applicant_name"] == "张三"
    material = case["materials"][0]["files"][0]["id"]
    assert world.get("rst", f"/officer/applications/{number}/attachments/{material}").status_code == 200
    log = world.get("citizen", f"/applications/{number}").json()["access_log"]
    assert [(a["officer_name"], a["department"]["code"]) for a in log] == [
        ("孙参谋", "xfjy"),
        ("赵科长", "rst"),
        ("赵科长", "rst"),
    ]


def test_item_code_must_exist(world: World) -> None:
    response = world.post("citizen", "/applications", {"item_code": "NOPE", "form": {}, "materials": {}})
    assert (response.status_code, response.json()["code"], response.json()["field"]) == (
        422,
        "item_unknown",
        "item_code",
    )
    assert ITEM_CODE
