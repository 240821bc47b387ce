"""互动交流 in the app: the choice of type with the server's deadlines, the appeal form (checks, draft, attachments),
submitting logged in and through the fast channel (credentials, copy, QR, kept in the credential store), a retry
with the draft's key, and published answers shown while a consultation is typed. Over the real API in-process."""

import json
from pathlib import Path
from typing import Any

import flet as ft
import pytest

from app.appeals.composing import draft_key
from app.credentials import FAST_CHANNEL_ENTRY
from app.service_items.drafts import PREFIX
from server.config import Settings
from server.db import make_engine, make_sessionmaker
from server.seed.appeals import seed_appeals
from server.seed.services import seed_service_items
from tests.server.application_world import make_people, png_bytes
from tests.ui.conftest import AppFactory, Network
from tests.ui.harness import FletHarness
from tests.ui.test_officer_appeals import log_in as officer_log_in
from tests.ui.test_services import field, log_in, pick

CONSULT = "/interaction/new/consultation"
COMPLAIN = "/interaction/new/complaint"
SUBMIT_PATH = "/api/v1/appeals"


@pytest.fixture
def network() -> Network:
    return Network(lossy_path=SUBMIT_PATH)


@pytest.fixture
def people(tmp_path: Path, ui: AppFactory) -> dict[str, dict[str, str]]:
    return make_people(Settings.resolve(data_dir=tmp_path))


@pytest.fixture
def published(tmp_path: Path, ui: AppFactory) -> None:
    """Public answered appeals and the service catalogue, for answers before asking."""
    engine = make_engine(Settings.resolve(data_dir=tmp_path).database_url)
    seed_service_items(engine)
    with make_sessionmaker(engine)() as db:
        seed_appeals(db, 120)
    engine.dispose()


def tile(h: FletHarness, title: str) -> ft.ListTile:
    return h.get(lambda c: isinstance(c, ft.ListTile) and isinstance(c.title, ft.Text) and c.title.value == title)


def tiles_with_icon(h: FletHarness, icon: ft.IconData) -> list[ft.ListTile]:
    return [c for c in h.find(type=ft.ListTile) if isinstance(c.leading, ft.Icon) and c.leading.icon == icon]


def switch(h: FletHarness) -> ft.Switch:
    return h.get(type=ft.Switch)


async def fill(h: FletHarness, title: str = "拖欠农民工工资三个月未发", content: str | None = None) -> None:
    await h.select(field(h, "问题类别"), "拖欠农民工工资")
    await h.type(field(h, "标题"), title)
    await h.type(
        field(h, "内容"),
        content or "我在沈阳市和平区某工地打工，包工头已拖欠我们十二名工人三个月工资共计十万元，多次讨要无果。",
    )


async def submit(h: FletHarness) -> None:
    await h.click(h.get(type=ft.FilledButton, text="提交"))


def stored_draft(h: FletHarness, key: str) -> dict[str, Any]:
    return json.loads(h.prefs[PREFIX + key])


async def test_the_landing_offers_five_types_with_the_servers_deadlines_and_the_ways_to_follow(ui: AppFactory) -> None:
    async with ui() as h:
        await h.route("/interaction")
        texts = h.texts()
        for kind in ("咨询", "投诉", "建议", "举报", "评议"):
            assert kind in texts
        assert "询问政策规定、办事条件和流程" in texts
        assert texts.count("7 个工作日内答复") == 1 and texts.count("15 个工作日内答复") == 4
        for entry in ("我的诉求", "进度查询", "公开信箱", "数据公开"):
            assert entry in texts
        assert "可受理的部门" in texts and any("公安厅" in text for text in texts), "the directory stays"
        await h.click(tile(h, "公开信箱"))
        assert h.page.route == "/interaction/mailbox"
        await h.route("/interaction")
        await h.click(h.get(lambda c: isinstance(c, ft.Semantics) and c.identifier == "appeal-type-complaint").content)
        assert h.page.route == COMPLAIN
        assert "我要投诉" in h.all_text()


async def test_checks_under_each_field_and_nothing_sent_while_wrong(ui: AppFactory, network: Network) -> None:
    async with ui() as h:
        await h.route(COMPLAIN)
        text = h.all_text()
        assert "快速通道" in text and "登录后提交" in text, "logged out, the form says how it goes"
        assert h.find(lambda c: isinstance(c, ft.Semantics) and c.identifier == "pick-attachments"), (
            "the fast channel takes photos too"
        )
        await submit(h)
        assert field(h, "问题类别").error_text == "此项为必填项"
        assert field(h, "标题").error == "此项为必填项"
        assert field(h, "内容").error == "此项为必填项"

        content = field(h, "内容")
        await h.type(content, "字" * 2001)
        assert content.counter == "2001/2000"
        assert content.error == "内容请填写 10 到 2000 个字", "over the limit is said as typed"
        await h.type(content, "字" * 2000)
        assert content.error is None and content.counter == "2000/2000"
        await h.type(field(h, "标题"), "工资")
        await h.type(field(h, "联系电话（选填）"), "12345")
        await submit(h)
        assert field(h, "标题").error == "标题请填写 4 到 60 个字"
        assert field(h, "联系电话（选填）").error == "手机号格式不正确"
        assert not network.keys_sent(SUBMIT_PATH), "nothing is sent while the form has problems"
        assert stored_draft(h, draft_key("投诉"))["form"]["content"] == "字" * 2000, "nothing typed is lost"


async def test_the_draft_is_kept_across_leaving_and_coming_back(ui: AppFactory) -> None:
    async with ui() as h:
        await h.route(COMPLAIN)
        await fill(h)
        await h.type(field(h, "问题发生地点（选填）"), "沈阳市和平区南京南街 12 号")
        await h.fire(switch(h), "change", None, props={"value": False})
        await h.select(field(h, "受理部门"), "rst")
        key = stored_draft(h, draft_key("投诉"))["idempotency_key"]
        await h.route("/interaction")
        await h.route("/")
        await h.route(COMPLAIN)
        assert field(h, "标题").value == "拖欠农民工工资三个月未发"
        assert field(h, "问题类别").value == "拖欠农民工工资"
        assert field(h, "受理部门").value == "rst"
        assert field(h, "问题发生地点（选填）").value == "沈阳市和平区南京南街 12 号"
        assert switch(h).value is False
        assert stored_draft(h, draft_key("投诉"))["idempotency_key"] == key
        await h.route(CONSULT)
        assert field(h, "标题").value == "", "each type has its own draft"


async def test_logged_in_submit_with_a_photo_shows_the_number_and_working_day_due_date(
    ui: AppFactory, network: Network, people: dict[str, dict[str, str]]
) -> None:
    async with ui() as h:
        await log_in(h)
        await h.route(COMPLAIN)
        assert "快速通道" not in h.all_text()
        await pick(h, "attachments", ("site.png", png_bytes()))
        assert "site.png" in h.texts()
        assert h.find(type=ft.IconButton, tooltip="删除 site.png") or "删除 site.png" in h.all_text()
        markup = "<b>工资</b>拖欠<script>alert(1)</script>"
        await fill(h, title=markup)
        await submit(h)
        answer = network.created[-1]
        number = answer["appeal"]["number"]
        assert answer["credentials"] is None and len(answer["appeal"]["attachments"]) == 1
        assert h.page.route == f"/interaction/submitted/{number}"
        texts = h.texts()
        assert f"诉求编号：{number}" in texts
        assert markup in texts, "markup is shown as the plain text it is"
        assert not h.find(type=ft.Markdown)
        due = answer["appeal"]["deadline"]["due_on"]
        assert f"{due} 前答复（15 个工作日，周末和法定节假日不计）" in texts
        assert "快速通道查询凭证" not in texts
        assert PREFIX + draft_key("投诉") not in h.prefs, "a sent draft is gone"


async def test_fast_channel_submit_shows_the_credentials_once_with_copy_qr_and_keeps_them(
    ui: AppFactory, network: Network
) -> None:
    async with ui() as h:
        await h.route(COMPLAIN)
        await fill(h)
        await submit(h)
        answer = network.created[-1]
        number, credentials = answer["appeal"]["number"], answer["credentials"]
        assert h.page.route == f"/interaction/submitted/{number}"
        texts = h.texts()
        assert f"用户名：{credentials['username']}" in texts
        assert f"密码：{credentials['password']}" in texts
        assert any("唯一凭证" in text for text in texts)
        assert any("已自动保存到本机" in text for text in texts), "the secure storage remembers"
        qr = h.get(type=ft.Image)
        assert isinstance(qr.src, bytes) and qr.src.startswith(b"\x89PNG") and qr.semantics_label
        kept = json.loads(h.secure_storage[FAST_CHANNEL_ENTRY])
        assert [(c["number"], c["credentials"]) for c in kept] == [(number, credentials)]

        await h.click(h.get(type=ft.FilledTonalButton, text="复制"))
        assert credentials["password"] in h.clipboard and number in h.clipboard

        await h.route("/interaction")
        await h.route(f"/interaction/submitted/{number}")
        assert f"密码：{credentials['password']}" in h.texts(), "leaving the receipt loses nothing"


async def test_a_fast_channel_photo_is_uploaded_anonymously_listed_and_seen_by_the_officer(
    ui: AppFactory, network: Network, people: dict[str, dict[str, str]]
) -> None:
    async with ui() as h:
        await h.route(COMPLAIN)
        await pick(h, "attachments", ("工地现场.png", png_bytes()))
        assert "工地现场.png" in h.texts()
        assert "POST /api/v1/attachments/anonymous" in network.sent and "POST /api/v1/attachments" not in network.sent
        await fill(h)
        await submit(h)
        answer = network.created[-1]
        number, credentials = answer["appeal"]["number"], answer["credentials"]
        assert credentials is not None and len(answer["appeal"]["attachments"]) == 1
        assert h.page.route == f"/interaction/submitted/{number}"
        texts = h.texts()
        assert "附件 1 个" in texts and "· 工地现场.png（PNG · 1 KB）" in texts, "the receipt lists the file"

        await h.route(f"/appeals/device/{number}")
        await h.click(h.get(lambda c: isinstance(c, ft.Semantics) and c.identifier == "appeal-attachment-1").content)
        assert "工地现场.png（PNG · 1 KB）" in h.texts(), "the fast-channel case view lists the file"
        (mine,) = [d.content for d in h.dialogs() if isinstance(d, ft.AlertDialog) and isinstance(d.content, ft.Image)]
        assert mine.src == png_bytes(), "and opens it with the credentials"
        assert "POST /api/v1/appeals/fast-channel/attachments/" + answer["appeal"]["attachments"][0] in network.sent
        h.on_invoke("FilePicker", "save_file", lambda args: args["file_name"])
        await h.click(h.get(type=ft.TextButton, text="下载"))
        (saved,) = [i for i in h.invocations if i.name == "save_file"]
        assert saved.args["file_name"] == "工地现场.png" and saved.args["src_bytes"] == png_bytes()
        await h.click(h.get(type=ft.TextButton, text="关闭"))

        await officer_log_in(h, "13900000002")
        await h.route(f"/workbench/appeal/{number}")
        await h.click(h.get(lambda c: isinstance(c, ft.Semantics) and c.identifier == "appeal-attachment-1").content)
        (photo,) = [d.content for d in h.dialogs() if isinstance(d, ft.AlertDialog) and isinstance(d.content, ft.Image)]
        assert photo.src == png_bytes(), "the department sees the citizen's photo"


async def test_a_store_that_forgets_says_so(ui: AppFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("app.credentials._keyring_usable", lambda: False)  # a desktop with no keyring
    async with ui(web=False, platform="linux") as h:
        await h.route(COMPLAIN)
        await fill(h)
        await submit(h)
        texts = h.texts()
        assert not any("已自动保存到本机" in text for text in texts), "a memory-only store must not claim to keep them"
        assert any("本机不能长期保存" in text for text in texts)
        assert any(text.startswith("密码：") for text in texts)


async def test_a_retry_after_a_lost_answer_gets_the_same_appeal_and_credentials(
    ui: AppFactory, network: Network
) -> None:
    async with ui() as h:
        await h.route(COMPLAIN)
        await fill(h)
        network.lose_answers = 100  # the appeal is made, but the phone never hears so, however often it asks
        await submit(h)
        assert h.page.route == COMPLAIN
        assert field(h, "标题").value == "拖欠农民工工资三个月未发", "nothing typed is lost"
        first = network.created[0]
        network.lose_answers = 0
        await submit(h)
        assert len(set(network.keys_sent(SUBMIT_PATH))) == 1 and len(network.keys_sent(SUBMIT_PATH)) >= 2
        assert h.page.route == f"/interaction/submitted/{first['appeal']['number']}"
        assert f"密码：{first['credentials']['password']}" in h.texts()
        assert {a["appeal"]["number"] for a in network.created} == {first["appeal"]["number"]}


async def test_published_answers_appear_while_a_consultation_is_typed(
    ui: AppFactory, network: Network, published: None
) -> None:
    async with ui() as h:
        await h.route(CONSULT)
        title = field(h, "标题")
        await h.type(title, "种粮补贴什么时候发", settle=False)
        await h.type(title, "种粮农民一次性补贴发放时间")
        assert network.sent.count("GET /api/v1/search") == 2, "one lookup per pause, both scopes"
        text = h.all_text()
        assert "这些答复也许能解答您的问题" in text and "已公开的答复" in text
        tiles = tiles_with_icon(h, ft.Icons.QUESTION_ANSWER_OUTLINED)
        assert tiles, h.texts()
        await h.click(tiles[0])
        assert h.page.route.startswith("/interaction/mailbox/S")
        await h.route(CONSULT)
        assert field(h, "标题").value == "种粮农民一次性补贴发放时间", "the draft waits while an answer is read"

        await h.type(field(h, "标题"), "失业金怎么领")
        guides = tiles_with_icon(h, ft.Icons.MENU_BOOK)
        assert guides, h.texts()
        await h.click(guides[0])
        assert h.page.route.startswith("/services/item/")


async def test_other_types_do_not_look_up_answers(ui: AppFactory, network: Network) -> None:
    async with ui() as h:
        await h.route(COMPLAIN)
        await fill(h)
        assert "GET /api/v1/search" not in network.sent
