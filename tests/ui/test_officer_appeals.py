"""诉求 on the officers' workbench and 督办, driven through the app over the real API in-process: the citizen
submits through the typed client; officers and the administrator log in through the app."""

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, get_args

import flet as ft
import httpx
import pytest

from api_client import AsyncClient, PermissionDeniedError, ops
from api_client.models import AppealCreate, AppealStatus, TokenPair
from api_client.models.appeals import MessageKind
from app.i18n import STRINGS
from app.workbench.appeals_service import DUE_FILTERS
from server.config import Settings
from server.core.clock import CHINA, current_time
from tests.server.application_world import Clock, make_people, png_bytes
from tests.ui.conftest import AppFactory, Network
from tests.ui.harness import FletHarness

WAGES = {
    "type": "投诉",
    "category": "拖欠农民工工资",
    "title": "工地拖欠三个月工资",
    "content": "我在沈阳市浑南区某工地做钢筋工，项目部拖欠我和工友三个月工资共计四万余元，多次讨要未果。",
    "location": {"address": "沈阳市浑南区创新路 88 号工地"},
    "contact_phone": "13800138000",
}
NOISE = {
    "type": "举报",
    "category": "其他",
    "department": "gat",
    "title": "深夜飙车噪音扰民",
    "content": "每晚十一点后有改装车在滨河路反复飙车，噪音很大，附近居民无法休息，请公安部门管一管。",
}


def officer_writes(network: Network) -> list[tuple[str, str]]:
    """(path, Idempotency-Key) of every officer's write on an appeal."""
    return [(path, key) for path, key in network.writes if path.startswith("/api/v1/officer/appeals/")]


@pytest.fixture
def network() -> Network:
    return Network()


@pytest.fixture
def people(tmp_path: Path, ui: AppFactory) -> dict[str, dict[str, str]]:
    return make_people(Settings.resolve(data_dir=tmp_path))


@pytest.fixture
async def clients(network: Network, people: dict[str, dict[str, str]]) -> AsyncIterator[dict[str, AsyncClient]]:
    """Typed clients of the citizen, the two departments' officers and the administrator."""
    assert network.inner is not None
    made = {}
    for who in ("citizen", "rst", "gat", "admin"):
        client = AsyncClient("http://testserver", transport=network.inner)
        token = people[who]["Authorization"].removeprefix("Bearer ")
        client.set_tokens(TokenPair(access_token=token, refresh_token="unused", expires_in=3600))
        made[who] = client
    yield made
    for client in made.values():
        await client.aclose()


async def submit(citizen: AsyncClient, fields: dict[str, Any], **extra: Any) -> str:
    receipt = await citizen.send(ops.appeals.submit(AppealCreate.model_validate({**fields, **extra})))
    return receipt.appeal.number


async def submit_long_ago(network: Network, citizen: AsyncClient, fields: dict[str, Any]) -> str:
    """Submitted in early September 2025: long overdue today, so 督办."""
    assert isinstance(network.inner, httpx.ASGITransport)
    backend: Any = network.inner.app
    backend.dependency_overrides[current_time] = Clock(dt.datetime(2025, 9, 1, 10, tzinfo=CHINA))
    try:
        return await submit(citizen, fields)
    finally:
        del backend.dependency_overrides[current_time]


async def log_in(h: FletHarness, phone: str) -> None:
    await h.route("/me/login")
    await h.type(h.get(type=ft.TextField, label="手机号"), phone)
    await h.type(h.get(type=ft.TextField, label="密码"), "Demo12345")
    await h.click(h.get(type=ft.FilledButton, text="登录"))
    assert h.page.route == "/me", h.texts()


def by_identifier(h: FletHarness, identifier: str) -> Any:
    return h.get(lambda c: isinstance(c, ft.Semantics) and c.identifier == identifier).content


def field(h: FletHarness, label: str) -> Any:
    return h.get(lambda c: isinstance(c, ft.TextField | ft.Dropdown) and c.label == label)


def listed(h: FletHarness, number: str) -> bool:
    return bool(h.find(lambda c: isinstance(c, ft.Semantics) and c.identifier == f"appeal-{number}"))


async def test_an_officer_sees_only_their_department_filters_opens_the_files_and_replies_once(
    ui: AppFactory, network: Network, clients: dict[str, AsyncClient]
) -> None:
    citizen = clients["citizen"]
    photo = await citizen.send(ops.attachments.upload("site.png", png_bytes()))
    wages = await submit(citizen, WAGES, attachments=[photo.id])
    late = await submit_long_ago(network, citizen, {**WAGES, "title": "包工头欠薪半年不付"})
    noise = await submit(citizen, NOISE)

    async with ui() as h:
        await log_in(h, "13900000002")
        await h.route("/")
        sections = by_identifier(h, "workbench-sections")
        await h.fire(sections, "change", ["appeals"], props={"selected": ["appeals"]})
        assert h.page.route == "/workbench/appeals"
        assert listed(h, wages) and listed(h, late) and not listed(h, noise)
        texts = h.texts()
        assert texts.index("包工头欠薪半年不付") < texts.index("工地拖欠三个月工资"), "the earliest due first"
        assert "督办" in texts and any("到期 · 已逾期" in t and "个工作日" in t for t in texts)
        assert "投诉 · 拖欠农民工工资" in texts and wages in texts

        await h.select(by_identifier(h, "appeal-due-filter"), "overdue")
        assert h.page.route == "/workbench/appeals?due=overdue"
        assert listed(h, late) and not listed(h, wages)
        await h.select(by_identifier(h, "appeal-status-filter"), "closed")
        assert h.page.route == "/workbench/appeals?status=closed&due=overdue"
        assert "暂无诉求" in h.texts()

        await h.route(f"/workbench/appeal/{noise}")
        assert "找不到该内容，它可能已被删除或您无权查看" in h.all_text(), "another department's appeal is 404"

        await h.route(f"/workbench/appeal/{wages}")
        texts = h.texts()
        assert WAGES["content"] in texts and "诉求人：张三" in texts and "联系电话：13800138000" in texts
        assert "地点：沈阳市浑南区创新路 88 号工地" in texts
        await h.click(by_identifier(h, "appeal-attachment-1"))
        (dialog,) = h.dialogs()
        assert isinstance(dialog, ft.AlertDialog) and isinstance(dialog.content, ft.Image)
        h.on_invoke("FilePicker", "save_file", lambda args: args["file_name"])
        await h.click(h.get(type=ft.TextButton, text="下载"))
        (saved,) = [i for i in h.invocations if i.name == "save_file"]
        assert saved.args["file_name"] == f"{wages}-附件1.png" and saved.args["src_bytes"] == png_bytes()
        await h.click(h.get(type=ft.TextButton, text="关闭"))

        reply = by_identifier(h, "reply-appeal")
        await h.click(reply)
        assert "此项为必填项" in h.all_text() and not officer_writes(network), "checked before sending"
        await h.type(field(h, "答复内容"), "已责成项目部三日内结清工资。")
        await h.type(field(h, "为群众挽回金额（元，选填）"), "42000")
        network.delay = 0.2
        await asyncio.gather(
            h.fire(reply, "click", settle=False), h.fire(reply, "click", settle=False)
        )  # a double tap reaches the server once
        await h.settle()
        network.delay = 0
        replies = [w for w in officer_writes(network) if w[0].endswith("/reply")]
        assert len(replies) == 1 and replies[0][1], replies
        assert "已答复" in h.texts()
        assert "已责成项目部三日内结清工资。" in h.texts(), "the reply is on the timeline"

    detail = await citizen.send(ops.appeals.detail(wages))
    assert detail.status == "replied"
    assert [m.body for m in detail.messages if m.kind == "reply"] == ["已责成项目部三日内结清工资。"]
    stats = await citizen.send(ops.appeals.stats())
    assert stats.amount_recovered_yi_yuan > 0


async def test_a_transfer_leaves_the_inbox_for_the_other_departments_and_a_close_ends_it(
    ui: AppFactory, network: Network, clients: dict[str, AsyncClient]
) -> None:
    wrong = await submit(
        clients["citizen"], {**WAGES, "title": "小区门口有人聚众赌博", "category": "其他", "department": "rst"}
    )
    other = await submit(clients["citizen"], WAGES)

    async with ui() as h:
        await log_in(h, "13900000002")
        await h.route(f"/workbench/appeal/{wrong}")
        transfer = by_identifier(h, "transfer-appeal")
        await h.type(field(h, "转办理由"), "涉")
        await h.click(transfer)
        assert "请至少用两个字说明理由" in h.all_text() and "此项为必填项" in h.all_text()
        assert not officer_writes(network)
        await h.type(field(h, "转办理由"), "涉嫌赌博，属公安机关职责")
        await h.select(field(h, "转办部门"), "gat")
        assert h.get(type=ft.Semantics, identifier="transfer-department").value == "省公安厅"
        await h.click(transfer)
        assert "已不在本部门的诉求中" in " ".join(h.texts())
        await h.route("/workbench/appeals")
        assert not listed(h, wrong) and listed(h, other)

        await h.route(f"/workbench/appeal/{other}")
        await h.type(field(h, "办结说明（选填）"), "已协调结清工资，诉求人确认。")
        await h.click(by_identifier(h, "close-appeal"))
        assert "已办结" in h.texts() and "已协调结清工资，诉求人确认。" in h.texts()
        assert not h.find(lambda c: isinstance(c, ft.Semantics) and c.identifier == "reply-appeal")
        await h.route("/workbench/appeals")
        assert not listed(h, other), "a closed appeal is no longer open"

    async with ui() as h:
        await log_in(h, "13900000001")
        await h.route("/workbench/appeals")
        assert listed(h, wrong)
        await h.route(f"/workbench/appeal/{wrong}")
        assert "转办 · 省人力资源和社会保障厅" in h.texts()
        assert "转办至省公安厅：涉嫌赌博，属公安机关职责" in h.texts()

    citizen_view = await clients["citizen"].send(ops.appeals.detail(wrong))
    assert citizen_view.department.code == "gat"
    assert len({key for _, key in officer_writes(network)}) == len(officer_writes(network)) == 2


async def test_a_reply_refused_by_the_server_keeps_the_text_and_says_why(
    ui: AppFactory, network: Network, clients: dict[str, AsyncClient]
) -> None:
    number = await submit(clients["citizen"], WAGES)
    async with ui() as h:
        await log_in(h, "13900000002")
        await h.route(f"/workbench/appeal/{number}")
        await clients["rst"].send(ops.appeals.close(number))  # a colleague closed it meanwhile
        await h.type(field(h, "答复内容"), "已联系项目部核实。")
        await h.type(field(h, "为群众挽回金额（元，选填）"), "1.5")
        await h.click(by_identifier(h, "reply-appeal"))
        assert "请填写整数" in h.all_text() and not officer_writes(network)
        await h.type(field(h, "为群众挽回金额（元，选填）"), "")
        await h.click(by_identifier(h, "reply-appeal"))
        assert "诉求当前状态不允许此操作，请刷新后重试" in h.all_text()
        assert field(h, "答复内容").value == "已联系项目部核实。"
        assert not by_identifier(h, "reply-appeal").disabled


async def test_supervision_lists_overdue_appeals_of_every_department_for_the_administrator_only(
    ui: AppFactory, network: Network, clients: dict[str, AsyncClient]
) -> None:
    citizen = clients["citizen"]
    wages = await submit_long_ago(network, citizen, WAGES)
    noise = await submit_long_ago(network, citizen, NOISE)
    fresh = await submit(citizen, WAGES)

    async with ui() as h:
        await log_in(h, "13900000000")
        await h.click(by_identifier(h, "supervision"))
        assert h.page.route == "/workbench/supervision"
        assert listed(h, wages) and listed(h, noise) and not listed(h, fresh)
        texts = h.texts()
        assert f"{wages} · 人力资源社会保障厅" in texts and f"{noise} · 公安厅" in texts, "each with its department"

    async with ui() as h:
        await log_in(h, "13900000002")
        assert not h.find(lambda c: isinstance(c, ft.Semantics) and c.identifier == "supervision")
        await h.route("/workbench/supervision")
        assert "督办仅供管理员查看" in h.texts()
    with pytest.raises(PermissionDeniedError):
        await clients["rst"].send(ops.appeals.supervised())


def test_every_kind_status_and_due_filter_has_its_words_in_both_languages() -> None:
    keys = [
        *(f"officer_appeals.kind_{kind}" for kind in get_args(MessageKind)),
        *(f"officer_appeals.status_{status}" for status in get_args(AppealStatus)),
        *(f"officer_appeals.filter_{due}" for due in DUE_FILTERS),
    ]
    assert [key for key in keys if key not in STRINGS] == []
