"""Following appeals in the app: 我的诉求 (the account's and this device's fast-channel appeals), one appeal with
its timeline and actions (补充, 评价, 申请重办) through the account and through stored credentials, 进度查询 on a
new device (wrong credentials, throttled, found and kept here), and the offer to link after logging in.

Officers answer through the typed client over the same in-process API; anonymous appeals are made the same way."""

import datetime as dt
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import flet as ft
import pytest
from pydantic import TypeAdapter
from sqlalchemy import update

from api_client import AsyncClient, NotFoundError, ops
from api_client.models import AppealCreate, AppealReceipt, OfficerClose, OfficerReply, TokenPair
from app.credentials import FAST_CHANNEL_ENTRY, FastChannelCase
from server.appeals.models import Appeal
from server.appeals.service import LOOKUP_FAILURES
from server.config import Settings
from server.db import make_engine
from tests.server.application_world import make_people, png_bytes
from tests.ui.conftest import AppFactory, Network
from tests.ui.harness import FletHarness
from tests.ui.test_services import log_in
from tests.ui.test_shell import group_name

COMPLAINT = AppealCreate(
    type="投诉",
    category="拖欠农民工工资",
    department="rst",
    title="工地拖欠三个月工资",
    content="我在沈阳市浑南区某工地做钢筋工，项目部拖欠我和工友三个月工资共计四万余元，多次讨要未果。",
)


@pytest.fixture
def people(tmp_path: Path, ui: AppFactory) -> dict[str, dict[str, str]]:
    return make_people(Settings.resolve(data_dir=tmp_path))


@pytest.fixture
async def clients(network: Network, people: dict[str, dict[str, str]]) -> AsyncIterator[dict[str, AsyncClient]]:
    """Typed clients over the app's in-process API: the citizen, the rst officer and an anonymous person."""
    assert network.inner is not None
    made = {}
    for who in ("citizen", "rst", "anonymous"):
        client = AsyncClient("http://testserver", transport=network.inner)
        if who in people:
            token = people[who]["Authorization"].removeprefix("Bearer ")
            client.set_tokens(TokenPair(access_token=token, refresh_token="unused", expires_in=3600))
        made[who] = client
    yield made
    for client in made.values():
        await client.aclose()


async def fast_appeal(clients: dict[str, AsyncClient], title: str = "工地拖欠三个月工资") -> AppealReceipt:
    receipt = await clients["anonymous"].send(ops.appeals.submit(COMPLAINT.model_copy(update={"title": title})))
    assert receipt.credentials is not None
    return receipt


def keep_on_device(h: FletHarness, *receipts: AppealReceipt) -> None:
    """What submitting through the fast channel on this device leaves in its credential store."""
    cases = [
        FastChannelCase(number=r.appeal.number, title=r.appeal.title, credentials=r.credentials)
        for r in receipts
        if r.credentials is not None
    ]
    h.secure_storage[FAST_CHANNEL_ENTRY] = TypeAdapter(list[FastChannelCase]).dump_json(cases).decode()


def kept_numbers(h: FletHarness) -> list[str]:
    raw = h.secure_storage.get(FAST_CHANNEL_ENTRY)
    return [] if not raw else [c["number"] for c in json.loads(raw)]


def field(h: FletHarness, label: str) -> Any:
    return h.get(type=ft.TextField, label=label)


def tile(h: FletHarness, title: str) -> Any:
    return h.get(lambda c: isinstance(c, ft.ListTile) and isinstance(c.title, ft.Text) and c.title.value == title)


def button(h: FletHarness, identifier: str) -> Any:
    return h.get(lambda c: isinstance(c, ft.Semantics) and c.identifier == identifier).content


async def test_logged_out_the_list_shows_this_devices_fast_channel_appeals(
    ui: AppFactory, clients: dict[str, AsyncClient]
) -> None:
    receipt = await fast_appeal(clients)
    await clients["citizen"].send(ops.appeals.submit(COMPLAINT.model_copy(update={"title": "账号里的一件诉求"})))
    async with ui() as h:
        keep_on_device(h, receipt)
        await h.route("/appeals")
        text = h.all_text()
        assert "本机快速通道诉求" in text and "工地拖欠三个月工资" in text
        assert "办理中" in text and "剩余" in text and "投诉 · 拖欠农民工工资" in text
        assert "账号里的一件诉求" not in text
        assert h.find(text="登录") and "登录后可查看账号下的全部诉求" in text
        await h.click(tile(h, "工地拖欠三个月工资"))
        assert h.page.route == f"/appeals/device/{receipt.appeal.number}"
        assert "办理过程" in h.all_text() and "提交诉求" in h.all_text()


def make_overdue(tmp_path: Path, number: str) -> None:
    """The due date a month ago, as if the department had let it lie."""
    engine = make_engine(Settings.resolve(data_dir=tmp_path).database_url)
    with engine.begin() as connection:
        connection.execute(
            update(Appeal).where(Appeal.number == number).values(due_on=dt.date.today() - dt.timedelta(days=30))
        )
    engine.dispose()


async def test_logged_in_both_lists_and_an_overdue_appeal_is_flagged(
    ui: AppFactory, clients: dict[str, AsyncClient], tmp_path: Path
) -> None:
    receipt = await fast_appeal(clients, "快速通道的诉求")
    mine = await clients["citizen"].send(ops.appeals.submit(COMPLAINT.model_copy(update={"title": "账号里的一件诉求"})))
    make_overdue(tmp_path, mine.appeal.number)
    async with ui() as h:
        await log_in(h)
        keep_on_device(h, receipt)
        await h.click(button(h, "my-appeals"))  # 我的 leads to 我的诉求
        assert h.page.route == "/appeals"
        text = h.all_text()
        assert "账号诉求" in text and "账号里的一件诉求" in text and "快速通道的诉求" in text
        assert "登录后可查看账号下的全部诉求" not in text
        assert text.count("督办") == 1 and "已超期" in text
        await h.click(tile(h, "账号里的一件诉求"))
        assert h.page.route == f"/appeals/{mine.appeal.number}"
        assert mine.appeal.number in h.all_text() and "办理时限" in h.all_text()


async def test_account_appeal_follow_up_rating_and_reopen(ui: AppFactory, clients: dict[str, AsyncClient]) -> None:
    mine = await clients["citizen"].send(ops.appeals.submit(COMPLAINT))
    number = mine.appeal.number
    async with ui() as h:
        await log_in(h)
        await h.route(f"/appeals/{number}")
        assert not h.find(lambda c: isinstance(c, ft.Semantics) and c.identifier == "send-appeal-rating")
        await h.click(button(h, "send-follow-up"))
        assert field(h, "补充内容（最多 2000 字）").error == "此项为必填项"
        await h.type(field(h, "补充内容（最多 2000 字）"), "项目部负责人电话 024-12345678")
        await h.click(button(h, "send-follow-up"))
        assert "补充说明" in h.all_text() and "项目部负责人电话 024-12345678" in h.texts()

        await clients["rst"].send(ops.appeals.reply(number, OfficerReply(body="已约谈项目部，责令本月底前支付。")))
        await h.route("/appeals")
        await h.route(f"/appeals/{number}")
        assert "部门答复 · 省人力资源和社会保障厅" in h.all_text()
        assert "已约谈项目部，责令本月底前支付。" in h.texts() and "已答复" in h.texts()
        await h.click(button(h, "send-appeal-rating"))
        assert "请选择满意程度" in h.texts()
        assert group_name(h.get(type=ft.RadioGroup)) == "满意程度"
        await h.select(h.get(type=ft.RadioGroup), "不满意")
        await h.type(field(h, "评价意见（选填）"), "月底已过，仍未到账")
        await h.click(button(h, "send-appeal-rating"))
        assert "您的评价：不满意：月底已过，仍未到账" in h.texts()
        assert not h.find(type=ft.RadioGroup)

        await h.type(field(h, "重办理由"), "工资仍未支付")
        await h.click(button(h, "send-reopen"))
        text = h.all_text()
        assert "申请重办 · 我" in text and "工资仍未支付" in h.texts() and "办理中" in h.texts()
        assert not h.find(lambda c: isinstance(c, ft.Semantics) and c.identifier == "send-reopen")


async def test_a_refused_action_keeps_the_text_and_says_why(ui: AppFactory, clients: dict[str, AsyncClient]) -> None:
    mine = await clients["citizen"].send(ops.appeals.submit(COMPLAINT))
    number = mine.appeal.number
    async with ui() as h:
        await log_in(h)
        await h.route(f"/appeals/{number}")
        await clients["rst"].send(ops.appeals.close(number, OfficerClose(note="已办结")))  # meanwhile
        await h.type(field(h, "补充内容（最多 2000 字）"), "还想补充一句")
        await h.click(button(h, "send-follow-up"))
        assert "诉求当前状态不允许此操作，请刷新后重试" in h.all_text()
        assert field(h, "补充内容（最多 2000 字）").value == "还想补充一句"


async def test_fast_channel_appeal_acts_with_its_stored_credentials(
    ui: AppFactory, clients: dict[str, AsyncClient]
) -> None:
    receipt = await fast_appeal(clients)
    number = receipt.appeal.number
    await clients["rst"].send(ops.appeals.reply(number, OfficerReply(body="已责成项目部支付。")))
    async with ui() as h:
        keep_on_device(h, receipt)
        await h.route(f"/appeals/device/{number}")
        assert "已责成项目部支付。" in h.texts()
        await h.type(field(h, "补充内容（最多 2000 字）"), "钱已收到一半")
        await h.click(button(h, "send-follow-up"))
        await h.select(h.get(type=ft.RadioGroup), "基本满意")
        await h.click(button(h, "send-appeal-rating"))
        assert "您的评价：基本满意" in h.texts()
    assert receipt.credentials is not None
    seen = await clients["anonymous"].send(
        ops.appeals.lookup(receipt.credentials.username, receipt.credentials.password)
    )
    assert [m.kind for m in seen.messages] == ["submitted", "reply", "follow_up", "rating"]
    assert seen.rating == "基本满意"


async def test_an_appeal_not_kept_here_points_to_the_lookup(ui: AppFactory) -> None:
    async with ui() as h:
        await h.route("/appeals/device/S202509260000000001")
        assert "本机没有保存这件诉求的查询账号" in h.all_text()
        await h.click("进度查询")
        assert h.page.route == "/appeals/lookup"


async def test_lookup_on_a_new_device_failure_then_success_and_keep(
    ui: AppFactory, clients: dict[str, AsyncClient]
) -> None:
    receipt = await fast_appeal(clients)
    credentials = receipt.credentials
    assert credentials is not None
    await clients["rst"].send(ops.appeals.reply(receipt.appeal.number, OfficerReply(body="已责成项目部支付。")))
    async with ui() as h:
        await h.route("/appeals/lookup")
        await h.type(field(h, "查询账号"), credentials.username)
        await h.type(field(h, "查询密码"), "WRONGPASSWORD234")
        await h.click(button(h, "lookup-appeal"))
        assert "查询账号或密码不正确" in h.texts()
        assert field(h, "查询账号").value == credentials.username
        assert not h.find(lambda c: isinstance(c, ft.Semantics) and c.identifier == "keep-on-device")

        await h.type(field(h, "查询密码"), credentials.password.lower())
        await h.click(button(h, "lookup-appeal"))
        assert "查询账号或密码不正确" not in h.texts()
        assert "已责成项目部支付。" in h.texts() and receipt.appeal.title in h.texts()
        assert kept_numbers(h) == []
        await h.click(button(h, "keep-on-device"))
        assert kept_numbers(h) == [receipt.appeal.number]
        await h.route("/appeals")
        assert receipt.appeal.title in h.texts()


async def test_lookup_throttled_shows_the_wait(ui: AppFactory, clients: dict[str, AsyncClient]) -> None:
    receipt = await fast_appeal(clients)
    credentials = receipt.credentials
    assert credentials is not None
    for attempt in range(LOOKUP_FAILURES):
        with pytest.raises(NotFoundError):
            await clients["anonymous"].send(ops.appeals.lookup(credentials.username, f"GUESS{attempt}"))
    async with ui() as h:
        await h.route("/appeals/lookup")
        await h.type(field(h, "查询账号"), credentials.username)
        await h.type(field(h, "查询密码"), credentials.password)
        await h.click(button(h, "lookup-appeal"))
        assert "查询过于频繁，请 15 分钟后再试" in h.texts()
        assert field(h, "查询密码").value == credentials.password


async def test_after_logging_in_the_device_offers_to_link_its_fast_channel_appeals(
    ui: AppFactory, clients: dict[str, AsyncClient]
) -> None:
    receipt = await fast_appeal(clients, "快速通道的诉求")
    async with ui() as h:
        keep_on_device(h, receipt)
        await log_in(h)
        assert "本机保存了 1 件快速通道诉求" in h.all_text()
        await h.click(button(h, "link-fast-channel"))
        assert h.page.route == "/appeals"
        assert "已关联 1 件诉求" in h.all_text()
        assert kept_numbers(h) == []
        assert "快速通道的诉求" in h.texts()
    page = await clients["citizen"].send(ops.appeals.mine())
    assert [a.number for a in page.items] == [receipt.appeal.number]


async def test_a_linked_fast_channel_photo_opens_from_the_account(
    ui: AppFactory, clients: dict[str, AsyncClient]
) -> None:
    photo = await clients["anonymous"].send(ops.attachments.upload_anonymous("欠条.png", png_bytes()))
    body = COMPLAINT.model_copy(update={"attachments": [photo.id]})
    receipt = await clients["anonymous"].send(ops.appeals.submit(body))
    async with ui() as h:
        keep_on_device(h, receipt)
        await log_in(h)
        await h.click(button(h, "link-fast-channel"))
        await h.route(f"/appeals/{receipt.appeal.number}")
        assert "欠条.png（PNG · 1 KB）" in h.texts()
        await h.click(button(h, "appeal-attachment-1"))
        (shown,) = [d.content for d in h.dialogs() if isinstance(d, ft.AlertDialog) and isinstance(d.content, ft.Image)]
        assert shown.src == png_bytes(), "the photo is now the account's, opened without the credentials"


async def test_no_offer_when_the_device_keeps_none_and_not_now_keeps_them(
    ui: AppFactory, clients: dict[str, AsyncClient]
) -> None:
    async with ui() as h:
        await log_in(h)
        assert not h.dialogs()
        await h.route("/appeals")
        assert "本机没有保存快速通道诉求" in h.texts() and "还没有提交过诉求" in h.all_text()
    receipt = await fast_appeal(clients)
    async with ui() as h:
        keep_on_device(h, receipt)
        await log_in(h)
        await h.click("暂不关联")
        assert kept_numbers(h) == [receipt.appeal.number]
        assert "本机保存了" not in h.all_text()
