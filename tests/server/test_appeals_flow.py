"""The whole appeal loop through the API on SQLite and PostgreSQL: submit, reply, follow-up, rating, reopen,
transfer, close, overdue flagging (督办) with a controllable clock, and who may see what."""

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from server.config import Settings
from tests.server.appeal_world import AppealWorld, make_appeal_world


@pytest.fixture
def world(app: FastAPI, http: TestClient, settings: Settings) -> AppealWorld:
    return make_appeal_world(app, http, settings)


def test_submit_reply_follow_up_rate_reopen_and_close(world: AppealWorld) -> None:
    submitted = world.appeal(key="k1", department="不确定")
    assert submitted.status_code == 201, submitted.text
    receipt = submitted.json()
    assert receipt["credentials"] is None
    appeal = receipt["appeal"]
    number = appeal["number"]
    # 拖欠农民工工资 routes to 人力资源社会保障厅; 15 working days from Friday 26 September 2025 across the
    # National Day holiday (1-8 October, make-up days 28 September and 11 October).
    assert appeal["department"]["code"] == "rst"
    assert appeal["deadline"] == {
        "due_on": "2025-10-23",
        "days": 15,
        "day_kind": "working",
        "overdue": False,
        "days_left": 15,
    }
    assert appeal["status"] == "pending"
    assert [m["kind"] for m in appeal["messages"]] == ["submitted"]
    assert world.appeal(key="k1", department="不确定").json()["appeal"]["number"] == number  # replayed

    mine = world.get("citizen", "/appeals").json()
    assert [a["number"] for a in mine["items"]] == [number]

    asked = world.post("citizen", f"/appeals/{number}/follow-ups", {"body": "补充：工地负责人姓王，电话已提供。"})
    assert asked.status_code == 200, asked.text

    inbox = world.get("rst", "/officer/appeals").json()
    assert [a["number"] for a in inbox["items"]] == [number]
    assert world.get("rst", f"/officer/appeals/{number}").json()["citizen_name"] == "张三"

    replied = world.post(
        "rst",
        f"/officer/appeals/{number}/reply",
        {"body": "经核查，项目部已结清工资。", "amount_recovered_yuan": 42000},
    )
    assert replied.status_code == 200, replied.text
    assert replied.json()["status"] == "replied"
    notes = world.get("citizen", "/notifications").json()["items"]
    assert any(number in n["body"] for n in notes)

    rated = world.post("citizen", f"/appeals/{number}/rating", {"satisfaction": "不满意", "comment": "只结了一半"})
    assert rated.status_code == 200, rated.text
    assert rated.json()["can_reopen"] is True
    assert world.post("citizen", f"/appeals/{number}/rating", {"satisfaction": "满意"}).status_code == 409

    world.clock.at(2025, 10, 9)
    reopened = world.post("citizen", f"/appeals/{number}/reopen", {"reason": "仍有两万元未支付"})
    assert reopened.status_code == 200, reopened.text
    body = reopened.json()
    assert (body["status"], body["reopened"], body["rating"], body["can_reopen"]) == ("pending", True, None, False)
    assert body["deadline"]["due_on"] == "2025-10-29"  # 15 working days from 9 October (11 October works)
    assert world.post("citizen", f"/appeals/{number}/reopen", {"reason": "再次"}).status_code == 409

    closed = world.post("rst", f"/officer/appeals/{number}/close", {"note": "余款已支付"})
    assert closed.status_code == 200, closed.text
    world.post("citizen", f"/appeals/{number}/rating", {"satisfaction": "满意"})
    final = world.get("citizen", f"/appeals/{number}").json()
    assert final["status"] == "closed"
    assert final["rating"] == "满意"
    assert final["can_reopen"] is False
    assert [m["kind"] for m in final["messages"]] == [
        "submitted",
        "follow_up",
        "reply",
        "rating",
        "reopen",
        "close",
        "rating",
    ]


def test_transfer_moves_the_appeal_and_the_clock_keeps_running(world: AppealWorld) -> None:
    number = world.appeal(department="gat", type="咨询", category="其他").json()["appeal"]["number"]
    assert world.get("gat", f"/officer/appeals/{number}").status_code == 200
    same = world.post("gat", f"/officer/appeals/{number}/transfer", {"department": "gat", "reason": "本部门"})
    assert same.status_code == 422
    unknown = world.post("gat", f"/officer/appeals/{number}/transfer", {"department": "nope", "reason": "试试"})
    assert (unknown.status_code, unknown.json()["code"]) == (422, "department_unknown")
    world.clock.at(2025, 9, 29)
    moved = world.post("gat", f"/officer/appeals/{number}/transfer", {"department": "rst", "reason": "属劳动保障事项"})
    assert moved.status_code == 200, moved.text
    assert moved.json()["department"]["code"] == "rst"
    assert moved.json()["deadline"]["due_on"] == "2025-10-13"  # 7 working days from 26 September, unchanged
    assert world.get("gat", f"/officer/appeals/{number}").status_code == 404
    assert world.get("gat", "/officer/appeals").json()["items"] == []
    assert [a["number"] for a in world.get("rst", "/officer/appeals").json()["items"]] == [number]
    assert world.post("gat", f"/officer/appeals/{number}/reply", {"body": "答复"}).status_code == 404


def test_overdue_appeals_are_supervised_and_listed_for_the_administrator(world: AppealWorld) -> None:
    late = world.appeal(type="咨询", department="rst").json()["appeal"]["number"]
    answered = world.appeal(type="咨询", department="gat", title="咨询户口迁移手续").json()["appeal"]["number"]
    world.post("gat", f"/officer/appeals/{answered}/reply", {"body": "请携带户口簿到派出所办理。"})
    world.clock.at(2025, 10, 13)  # the due date itself: not yet overdue
    assert world.get("citizen", f"/appeals/{late}").json()["supervised"] is False
    assert world.get("admin", "/supervision/appeals").json()["items"] == []
    world.clock.at(2025, 10, 14)
    detail = world.get("citizen", f"/appeals/{late}").json()
    assert detail["supervised"] is True
    assert detail["deadline"]["overdue"] is True
    assert detail["deadline"]["days_left"] == -1
    listed = world.get("admin", "/supervision/appeals").json()["items"]
    assert [(a["number"], a["supervised"]) for a in listed] == [(late, True)]
    assert [a["number"] for a in world.get("rst", "/officer/appeals", overdue="true").json()["items"]] == [late]
    assert world.get("rst", "/supervision/appeals").status_code == 403
    assert world.get("citizen", "/supervision/appeals").status_code == 403
    replied_late = world.post("rst", f"/officer/appeals/{late}/reply", {"body": "迟到的答复"}).json()
    assert replied_late["supervised"] is False
    stats = world.get(None, "/stats").json()
    assert (stats["handled"], stats["on_time"]) == (2, 1)


def test_other_people_and_departments_get_404(world: AppealWorld) -> None:
    number = world.appeal(department="rst").json()["appeal"]["number"]
    assert world.get("other", f"/appeals/{number}").status_code == 404
    assert world.post("other", f"/appeals/{number}/follow-ups", {"body": "别人的诉求"}).status_code == 404
    assert world.post("other", f"/appeals/{number}/rating", {"satisfaction": "满意"}).status_code == 404
    assert world.get("gat", f"/officer/appeals/{number}").status_code == 404
    assert world.post("gat", f"/officer/appeals/{number}/reply", {"body": "越权"}).status_code == 404
    assert world.post("gat", f"/officer/appeals/{number}/close", {}).status_code == 404
    assert world.get("citizen", "/officer/appeals").status_code == 403
    assert world.get(None, f"/appeals/{number}").status_code == 401
