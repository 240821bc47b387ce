"""The public mailbox, masking of personal data, scope=appeals in search, and /stats equal to counts the test
makes itself, on SQLite and PostgreSQL."""

import datetime as dt
from collections import Counter

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from server.appeals.masking import mask_personal_data
from server.config import Settings
from server.core.clock import CHINA
from tests.server.appeal_world import AppealWorld, make_appeal_world


@pytest.fixture
def world(app: FastAPI, http: TestClient, settings: Settings) -> AppealWorld:
    return make_appeal_world(app, http, settings)


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("我叫王小明，家住和平区", "我叫王＊＊，家住和平区"),
        ("联系人：李华。", "联系人：李＊。"),
        ("村里的刘大海先生反映", "村里的刘＊＊先生反映"),
        ("电话13812345678", "电话138＊＊＊＊5678"),
        ("身份证号11010519491231002X", "身份证号1101＊＊＊＊＊＊＊＊＊＊002X"),
        ("南京街12号楼3单元502室", "南京街＊＊号楼＊单元＊＊＊室"),
        ("座机024-22880001", "座机024-＊＊＊＊＊＊＊"),
        ("补贴标准为每亩120元", "补贴标准为每亩120元"),
    ],
)
def test_personal_data_is_masked(text: str, masked: str) -> None:
    assert mask_personal_data(text) == masked


def test_public_mailbox_shows_answered_public_appeals_masked_and_searchable(world: AppealWorld) -> None:
    content = "我叫王小明，电话13812345678，住沈阳市和平区南京街12号楼3单元502室，小区旁工厂夜间排放刺鼻废气。"
    shown = world.appeal(
        type="投诉", category="环境污染", department="不确定", title="工厂夜间排放刺鼻废气", content=content
    ).json()["appeal"]["number"]
    private = world.appeal(type="投诉", category="环境污染", title="私密投诉不公开", public=False).json()["appeal"]
    unanswered = world.appeal(type="咨询", category="教育", title="尚未答复的咨询").json()["appeal"]["number"]
    world.post("sthjt", f"/officer/appeals/{shown}/reply", {"body": "经查王小明反映属实，已责令该厂停产整改。"})
    world.post("rst", f"/officer/appeals/{private['number']}/transfer", {"department": "sthjt", "reason": "环保"})
    world.post("sthjt", f"/officer/appeals/{private['number']}/reply", {"body": "已处理"})

    page = world.get(None, "/public-appeals").json()
    assert [a["number"] for a in page["items"]] == [shown]
    item = page["items"][0]
    assert "王小明" not in item["content"] and "13812345678" not in item["content"]
    assert "王＊＊" in item["content"] and "138＊＊＊＊5678" in item["content"]
    assert item["replies"][0]["body"] == "经查王＊＊反映属实，已责令该厂停产整改。"
    assert item["department"]["code"] == "sthjt"
    assert world.get(None, "/public-appeals", category="教育").json()["items"] == []
    assert len(world.get(None, "/public-appeals", department="sthjt").json()["items"]) == 1
    assert unanswered not in str(page)

    found = world.get(None, "/search", q="废气", scope="appeals").json()
    assert [(r["scope"], r["code"]) for r in found["items"]] == [("appeal", shown)]
    assert "王小明" not in str(found)
    hidden = world.get(None, "/search", q="私密投诉不公开", scope="appeals").json()["items"]
    assert private["number"] not in [r["code"] for r in hidden]


def test_markup_is_stored_and_returned_as_plain_text(world: AppealWorld) -> None:
    title = "<script>alert(1)</script>"
    response = world.appeal(title=title, content="<img src=x onerror=alert(1)> 工资被拖欠已经三个月")
    assert response.status_code == 201, response.text
    detail = response.json()["appeal"]
    assert detail["title"] == title
    assert detail["content"].startswith("<img src=x onerror=alert(1)>")


def test_stats_equal_counts_made_by_the_test(world: AppealWorld) -> None:
    plan = [
        # (category, department, answer, rating, amount, submitted)
        ("拖欠农民工工资", "rst", "reply", "满意", 30000, (2025, 8, 4)),
        ("拖欠农民工工资", "rst", "close", "不满意", 12000, (2025, 8, 20)),
        ("环境污染", "sthjt", "reply", "基本满意", 0, (2025, 9, 1)),
        ("环境污染", "sthjt", None, None, 0, (2025, 9, 2)),
        ("住房", "zjt", "late", None, 0, (2025, 9, 3)),
        ("教育", "jyt", None, None, 0, (2025, 9, 26)),
    ]
    expected_received: Counter[str] = Counter()
    expected_handled: Counter[str] = Counter()
    months: Counter[str] = Counter()
    for index, (category, department, answer, rating, amount, (y, m, d)) in enumerate(plan):
        world.clock.moment = dt.datetime(y, m, d, 9, tzinfo=CHINA)
        number = world.appeal(
            type="投诉", category=category, department=department, title=f"统计用诉求第{index + 1}件"
        ).json()["appeal"]["number"]
        expected_received[category] += 1
        months[f"{y}-{m:02d}"] += 1
        if answer is None:
            continue
        if answer == "late":
            world.clock.moment += dt.timedelta(days=40)
        path = "close" if answer == "close" else "reply"
        body = {"note": "办结"} if path == "close" else {"body": "已处理", "amount_recovered_yuan": amount}
        assert world.post(department, f"/officer/appeals/{number}/{path}", body).status_code == 200
        expected_handled[category] += 1
        if rating:
            assert world.post("citizen", f"/appeals/{number}/rating", {"satisfaction": rating}).status_code == 200
    stats = world.get(None, "/stats").json()
    handled = sum(expected_handled.values())
    assert stats["received"] == len(plan)
    assert stats["handled"] == handled
    assert stats["on_time"] == handled - 1
    assert stats["on_time_rate"] == round((handled - 1) / handled, 4)
    assert (stats["rated"], stats["satisfied"]) == (3, 2)
    assert stats["satisfaction_rate"] == round(2 / 3, 4)
    assert stats["amount_recovered_yi_yuan"] == round(30000 / 1e8, 4)
    assert {r["key"]: (r["received"], r["handled"]) for r in stats["by_category"]} == {
        c: (expected_received[c], expected_handled[c]) for c in expected_received
    }
    assert {r["key"]: r["received"] for r in stats["by_month"]} == dict(months)
    assert sum(r["received"] for r in stats["by_department"]) == len(plan)
