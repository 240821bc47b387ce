"""网上办事 in the app: the generated application form, its draft, 我的办件, 消息 and the officers' workbench.

The item is the application tests' own (two departments approve in parallel; every field type), over the
real API in-process; people are made directly with the demo password and log in through the app."""

import datetime as dt
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import flet as ft
import pytest

from api_client import AsyncClient, ops
from api_client.models import AcceptanceDecision, StepDecision, TokenPair
from app.service_items.drafts import PREFIX
from app.widgets.paged_list import PagedList
from server.config import Settings
from server.db import make_engine
from server.seed.services import seed_service_items
from tests.server.application_world import ITEM_CODE, VALID_ID, make_item, make_people, pdf_bytes, png_bytes
from tests.ui.conftest import AppFactory, Network
from tests.ui.harness import FletHarness
from tests.ui.test_shell import unnamed_controls

APPLY = f"/services/item/{ITEM_CODE}/apply"
DRAFT = PREFIX + ITEM_CODE


@pytest.fixture
def network() -> Network:
    return Network(lossy_path="/api/v1/applications")


@pytest.fixture
def people(tmp_path: Path, ui: AppFactory) -> dict[str, dict[str, str]]:
    """The item and its people, in the database the `ui` fixture just copied."""
    settings = Settings.resolve(data_dir=tmp_path)
    make_item(settings)
    return make_people(settings)


@pytest.fixture
async def officers(network: Network, people: dict[str, dict[str, str]]) -> AsyncIterator[dict[str, AsyncClient]]:
    """Typed clients of the two approving departments' officers, over the same in-process API."""
    assert network.inner is not None
    clients = {}
    for who in ("rst", "xfjy"):
        client = AsyncClient("http://testserver", transport=network.inner)
        token = people[who]["Authorization"].removeprefix("Bearer ")
        client.set_tokens(TokenPair(access_token=token, refresh_token="unused", expires_in=3600))
        clients[who] = client
    yield clients
    for client in clients.values():
        await client.aclose()


async def log_in(h: FletHarness, phone: str = "13800138000") -> None:
    await h.route("/me/login")
    await h.type(h.get(type=ft.TextField, label="手机号"), phone)
    await h.type(h.get(type=ft.TextField, label="密码"), "Demo12345")
    await h.click(h.get(type=ft.FilledButton, text="登录"))
    assert h.page.route == "/me", h.texts()


def field(h: FletHarness, label: str) -> Any:
    return h.get(lambda c: isinstance(c, ft.TextField | ft.Dropdown) and c.label == label)


def offer_files(h: FletHarness, *files: tuple[str, bytes]) -> None:
    """What the browser's file chooser hands back: the next pick gets these files."""
    h.on_invoke(
        "FilePicker",
        "pick_files",
        lambda _: [{"id": i, "name": name, "size": len(data), "bytes": data} for i, (name, data) in enumerate(files)],
    )


async def pick(h: FletHarness, material_key: str, *files: tuple[str, bytes]) -> None:
    offer_files(h, *files)
    button = h.get(lambda c: isinstance(c, ft.Semantics) and c.identifier == f"pick-{material_key}").content
    await h.click(button)


async def fill_valid_form(h: FletHarness) -> None:
    await h.type(field(h, "身份证号码"), VALID_ID)
    await h.type(field(h, "学校名称"), "沈阳市和平区启航职业培训学校")
    await h.type(field(h, "拟开办日期"), "2026-03-01")
    await h.type(field(h, "开办资金（元）"), "500000")
    await h.type(field(h, "计划招生人数"), "300")
    await h.select(field(h, "培训类别"), "职业技能培训")


async def apply_with_materials(h: FletHarness) -> None:
    await h.route(APPLY)
    await fill_valid_form(h)
    await pick(h, "id_card", ("id.png", png_bytes()))
    await pick(h, "site_proof", ("site.pdf", pdf_bytes()))


async def submitted_application(h: FletHarness) -> str:
    """张三 logs in and applies with every material; the number of the new case."""
    await log_in(h)
    await apply_with_materials(h)
    await h.click(h.get(type=ft.FilledButton, text="提交申请"))
    return h.page.route.rsplit("/", 1)[1]


async def ask_for_the_site_proof_again(officers: dict[str, AsyncClient], number: str, who: str, note: str) -> None:
    """人社厅 accepts the case, then the department `who` asks for the site proof again (补正) with `note`."""
    await officers["rst"].send(ops.applications.accept(number, AcceptanceDecision()))
    await officers[who].send(
        ops.applications.decide(number, StepDecision(decision="supplement", note=note, materials=["site_proof"]))
    )


async def test_the_form_comes_from_the_definition_prefilled_and_checked_as_typed(
    ui: AppFactory, network: Network, people: dict[str, dict[str, str]]
) -> None:
    async with ui() as h:
        await log_in(h)
        await h.route(APPLY)
        assert field(h, "申请人姓名").value == "张三", "the name comes from the profile"
        assert field(h, "联系电话").value == "13800138000"
        assert field(h, "身份证号码").value == "", "the profile only has the masked number"
        assert field(h, "电子邮箱（选填）").value == ""
        category = field(h, "培训类别")
        assert [o.key for o in category.options] == ["职业技能培训", "创业培训"]
        assert field(h, "备注（选填）").multiline
        assert unnamed_controls(h) == [], "every field, select and icon button has a name"

        phone = field(h, "联系电话")
        await h.type(phone, "1380013800")
        assert phone.error == "手机号格式不正确"
        await h.type(phone, "13800138000")
        assert phone.error is None
        id_number = field(h, "身份证号码")
        await h.type(id_number, VALID_ID[:-1] + "1")
        assert id_number.error and "身份证" in id_number.error
        await h.type(field(h, "计划招生人数"), "9000")
        assert field(h, "计划招生人数").error

        await h.click(field(h, "拟开办日期").suffix)
        calendar = h.get(type=ft.DatePicker)
        await h.fire(calendar, "change", None, props={"value": dt.datetime(2026, 3, 1)})
        assert field(h, "拟开办日期").value == "2026-03-01"
        assert json.loads(h.prefs[DRAFT])["form"]["founded_on"] == "2026-03-01"

        await h.click(h.get(type=ft.FilledButton, text="提交申请"))
        assert field(h, "学校名称").error == "此项为必填项"
        assert category.error_text == "此项为必填项"
        assert "请上传此项材料" in h.texts()
        assert not network.keys_sent("/api/v1/applications"), "nothing is sent while the form has problems"

        named = category.parent
        assert isinstance(named, ft.Semantics) and named.label == "培训类别" and named.value == ""
        await h.select(category, "创业培训")
        assert named.value == "创业培训", "a screen reader hears the choice after the select's name"


async def test_materials_are_checked_before_upload_and_server_errors_land_under_their_fields(
    ui: AppFactory, network: Network, people: dict[str, dict[str, str]]
) -> None:
    async with ui() as h:
        await log_in(h)
        await h.route(APPLY)
        await pick(h, "site_proof", ("site.png", png_bytes()))  # this material takes PDF only
        assert any("不是此项材料接受的格式" in text for text in h.texts())
        await pick(h, "id_card", ("big.png", b"\x89PNG\r\n\x1a\n" + bytes(11 * 1024 * 1024)))
        assert any("超过 10 MB" in text for text in h.texts())
        assert "POST /api/v1/attachments" not in network.sent
        network.online = False
        await pick(h, "id_card", ("id.png", png_bytes()))
        assert "无法连接服务器，请检查网络" in h.texts(), "a lost network is said under the material"
        assert not json.loads(h.prefs[DRAFT])["materials"].get("id_card")
        network.online = True

        # An attachment the server does not know (a draft from another account): only the server can tell.
        draft = json.loads(h.prefs[DRAFT])
        stranger = {"id": "0" * 32, "filename": "old.png", "format": "png", "size": 10}
        draft["materials"] = {"id_card": [stranger], "site_proof": [{**stranger, "format": "pdf"}]}
        h.prefs[DRAFT] = json.dumps(draft)
        await h.route("/services")
        await h.route(APPLY)
        await fill_valid_form(h)
        await h.click(h.get(type=ft.FilledButton, text="提交申请"))
        assert len(network.keys_sent("/api/v1/applications")) == 1
        errors = [t for t in h.texts() if "附件" in t or "材料" in t]
        assert any("附件" in t for t in errors), h.texts()
        assert h.page.route == APPLY


async def test_the_draft_survives_a_restart_and_is_submitted_once_with_its_key(
    ui: AppFactory, network: Network, people: dict[str, dict[str, str]]
) -> None:
    async with ui() as h:
        await log_in(h)
        await apply_with_materials(h)
        saved = json.loads(h.prefs[DRAFT])
        assert saved["form"]["school_name"] == "沈阳市和平区启航职业培训学校"
        assert [f["filename"] for f in saved["materials"]["site_proof"]] == ["site.pdf"]
        prefs, secure = dict(h.prefs), dict(h.secure_storage)

    restarted = ui(prefs=prefs)
    restarted.secure_storage = secure
    async with restarted as h:
        await h.route(APPLY)
        assert field(h, "学校名称").value == "沈阳市和平区启航职业培训学校"
        assert field(h, "身份证号码").value == VALID_ID, "typed once, kept by the draft"
        assert field(h, "培训类别").value == "职业技能培训"
        assert "site.pdf" in h.texts()

        network.lose_answers = 100  # the case is made, but the phone never hears so, however often it asks
        await h.click(h.get(type=ft.FilledButton, text="提交申请"))
        assert h.page.route == APPLY
        assert DRAFT in h.prefs, "the draft and its key stay for the retry"
        network.lose_answers = 0
        await h.click(h.get(type=ft.FilledButton, text="提交申请"))
        assert (
            len(network.keys_sent("/api/v1/applications")) >= 2
            and len(set(network.keys_sent("/api/v1/applications"))) == 1
        )
        assert h.page.route.startswith("/applications/")
        assert DRAFT not in h.prefs
        await h.route("/applications")
        assert sum(1 for text in h.texts() if text == "民办职业培训学校设立审批") == 1


async def test_my_application_follows_the_officers_to_a_certificate_and_a_rating(
    ui: AppFactory, network: Network, officers: dict[str, AsyncClient]
) -> None:
    async with ui() as h:
        number = await submitted_application(h)
        assert "已提交" in h.texts() and "待受理" in h.texts()
        await h.route("/applications")
        assert "民办职业培训学校设立审批" in h.texts()

        await officers["rst"].send(ops.applications.accept(number, AcceptanceDecision()))
        await h.route(f"/applications/{number}")
        assert "人力资源社会保障厅 · 待审" in h.texts() and "消防救援总队 · 待审" in h.texts()
        assert any("剩余" in t for t in h.texts())
        assert any("赵科长" in t for t in h.texts()), "the access log names who opened the case"

        await h.route("/me")
        me_icon = h.top_view.navigation_bar.destinations[4].icon
        assert me_icon.badge == "1", "受理 was announced"

        for who in ("rst", "xfjy"):
            await officers[who].send(ops.applications.decide(number, StepDecision(decision="pass")))
        await h.route(f"/applications/{number}")
        assert "已办结" in h.texts()
        assert any(t.startswith("证书编号") for t in h.texts())

        h.on_invoke("FilePicker", "save_file", lambda args: args["file_name"])
        await h.click(h.get(type=ft.FilledButton, text="下载证书 PDF"))
        saved = [i for i in h.invocations if i.name == "save_file"]
        assert saved and saved[-1].args["src_bytes"][:5] == b"%PDF-"

        await h.click(h.get(lambda c: isinstance(c, ft.Semantics) and c.identifier == "rate-5").content)
        await h.type(h.get(type=ft.TextField, label="评价内容（选填）"), "很快")
        await h.click(h.get(type=ft.FilledButton, text="提交评价"))
        assert "★★★★★ 很快" in h.texts()


async def test_messages_badge_counts_unread_and_opening_one_reads_it(
    ui: AppFactory, network: Network, officers: dict[str, AsyncClient]
) -> None:
    async with ui() as h:
        number = await submitted_application(h)
        await ask_for_the_site_proof_again(officers, number, "rst", "请补充场所证明")
        await h.route("/me")
        assert "2 条未读" in h.texts()
        await h.route("/me/messages")
        messages = [c for c in h.find(type=ft.Semantics) if (c.identifier or "").startswith("message-")]
        unread = [c for c in messages if c.content.leading.visible]
        assert len(unread) == 2
        await h.click(unread[0].content)
        assert h.page.route == f"/applications/{number}"
        assert h.top_view.navigation_bar.destinations[4].icon.badge == "1"
        assert "补正材料" in h.texts(), "the case asks for the document again"


async def test_an_officer_gets_the_workbench_accepts_and_decides(
    ui: AppFactory, network: Network, people: dict[str, dict[str, str]]
) -> None:
    async with ui() as h:
        number = await submitted_application(h)

    async with ui() as h:
        await log_in(h, "13900000002")
        await h.route("/")
        assert h.page.title.startswith("工作台")
        assert "在办 1" in h.texts() and "已超期 0" in h.texts()
        assert any("当前叫号" in t for t in h.texts())
        await h.route(f"/workbench/case/{number}")
        assert "申请人 张三 · 13800138000" in h.texts()
        assert "id.png" in h.texts() and "site.pdf" in h.texts()
        await h.click(h.get(type=ft.FilledButton, text="受理"))
        assert "审查中" in h.texts()
        await h.click(h.get(type=ft.FilledButton, text="通过"))
        assert "人力资源社会保障厅 · 通过" in h.texts()
        assert "消防救援总队 · 待审" in h.texts()
        await h.route("/workbench")
        await h.click(h.get(type=ft.FilledButton, text="叫下一号"))


@pytest.fixture
def catalogue(tmp_path: Path, ui: AppFactory) -> None:
    """The seeded catalogue of 500 items (instead of the test item), and the people."""
    settings = Settings.resolve(data_dir=tmp_path)
    engine = make_engine(settings.database_url)
    seed_service_items(engine)
    engine.dispose()
    make_people(settings)


async def test_catalogue_by_audience_theme_and_search_then_a_guide_a_booking_and_a_number(
    ui: AppFactory, catalogue: None
) -> None:
    async with ui(route="/services") as h:
        assert "热门事项" in h.texts()
        names = [t.title.value for t in h.get(type=PagedList).item_controls if isinstance(t, ft.ListTile)]
        assert len(names) == 20

        await h.fire(h.get(lambda c: isinstance(c, ft.Chip) and c.label.value == "个人"), "select", True)
        assert h.page.route == "/services?audience=person"
        await h.select(h.get(type=ft.Dropdown, label="主题"), "户籍办理")
        assert h.page.route == "/services?theme=%E6%88%B7%E7%B1%8D%E5%8A%9E%E7%90%86&audience=person"
        assert "符合条件的事项" in h.texts() and "出生登记" in h.texts()

        await h.type(h.get(type=ft.TextField, label="搜索事项"), "失业金怎么领", submit=True)
        assert h.page.route.startswith("/services/search?q=")
        first = next(t for t in h.get(type=PagedList).item_controls if isinstance(t, ft.ListTile))
        assert "失业保险金" in first.title.value

        await h.route("/services?audience=person&theme=户籍办理")
        await h.click(h.get(type=ft.ListTile, title=h.get(type=ft.Text, text="出生登记")))
        assert h.page.route.startswith("/services/item/")
        for heading in ("承诺时限", "收费标准", "跑动次数", "全程网办", "审批部门（并联审批）", "申请材料", "办理流程"):
            assert heading in h.texts(), heading
        checklist = h.find(type=ft.Checkbox)
        assert checklist and all(not box.value for box in checklist)
        code = h.page.route.rsplit("/", 1)[1]

        await h.click(h.get(type=ft.OutlinedButton, text="现场取号"))
        assert h.page.route == "/me/login", "a number needs a login"
        await log_in(h)
        await h.route(f"/services/item/{code}")
        await h.click(h.get(type=ft.OutlinedButton, text="现场取号"))
        assert any(t.startswith("您的号码：") for t in h.all_text().split("\n")) or "您的号码" in h.all_text()

        await h.route(f"/services/item/{code}/book")
        days = h.find(type=ft.Chip)
        assert len(days) >= 5 and days[0].selected, "one working day's slots at a time"
        first_day = {t.title.value.split()[0] for t in h.find(type=ft.ListTile)}
        await h.fire(days[1], "select", True)
        second_day = {t.title.value.split()[0] for t in h.find(type=ft.ListTile)}
        assert len(first_day) == len(second_day) == 1 and first_day != second_day
        slot = next(t for t in h.find(type=ft.ListTile) if not t.disabled)
        await h.click(slot)
        assert h.page.route == f"/services/item/{code}"


async def test_a_supplement_round_and_a_withdrawal(
    ui: AppFactory, network: Network, officers: dict[str, AsyncClient]
) -> None:
    async with ui() as h:
        number = await submitted_application(h)
        await ask_for_the_site_proof_again(officers, number, "xfjy", "场所证明不清晰")
        await h.route("/applications")
        await h.route(f"/applications/{number}")
        assert "需补正" in h.texts() and "等待补正，计时暂停" in h.texts()
        await h.click(h.get(type=ft.FilledButton, text="提交补正"))
        assert "请上传此项材料" in h.texts(), "nothing is sent without the document asked for"
        await pick(h, "site_proof", ("clear.pdf", pdf_bytes("clear")))
        await h.click(h.get(type=ft.FilledButton, text="提交补正"))
        assert "审查中" in h.texts()

        await h.click(h.get(type=ft.OutlinedButton, text="撤回申请"))
        await h.click(h.get(type=ft.TextButton, text="撤回申请"))
        assert "已撤回" in h.texts()
        assert not h.find(type=ft.OutlinedButton, text="撤回申请")
