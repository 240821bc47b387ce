"""The app shell: destinations, responsive navigation, routes, accounts and settings, driven like a user."""

import logging

import flet as ft
import pytest

from tests.ui.conftest import AppFactory, Network
from tests.ui.harness import FletHarness


async def register(h: FletHarness) -> None:
    """Fills in and sends the registration form as a citizen would (the screen must be open)."""
    await h.type(h.get(type=ft.TextField, label="姓名"), "韩梅梅")
    await h.type(h.get(type=ft.TextField, label="手机号"), "13512345678")
    await h.type(h.get(type=ft.TextField, label="密码"), "Passw0rd")
    await h.click("注册并登录")


DESTINATION_LABELS = ["首页", "政务公开", "网上办事", "互动交流", "我的"]


async def test_phone_width_has_a_bottom_bar_with_five_destinations(ui: AppFactory) -> None:
    async with ui(width=390) as h:
        bar = h.get(type=ft.NavigationBar)
        assert [d.label for d in bar.destinations] == DESTINATION_LABELS
        assert not h.find(type=ft.NavigationRail)
        assert "40 个部门" in h.texts()


async def test_wide_window_uses_a_rail_and_switches_back_on_resize(ui: AppFactory) -> None:
    async with ui(width=1280, height=800) as h:
        rail = h.get(type=ft.NavigationRail)
        assert [d.label for d in rail.destinations] == DESTINATION_LABELS
        await h.resize(390, 844)
        assert h.find(type=ft.NavigationBar) and not h.find(type=ft.NavigationRail)


async def test_each_destination_is_reachable_from_the_bar(ui: AppFactory) -> None:
    async with ui() as h:
        for index, (label, route) in enumerate(
            zip(DESTINATION_LABELS, ["/", "/disclosure", "/services", "/interaction", "/me"], strict=True)
        ):
            await h.select(h.get(type=ft.NavigationBar), index)
            assert h.page.route == route
            assert h.get(type=ft.AppBar).title.value in (label, "一网通办")
            assert h.get(type=ft.NavigationBar).selected_index == index


async def test_deep_link_and_unknown_route(ui: AppFactory) -> None:
    async with ui(route="/services/departments") as h:
        assert "省公安厅" in h.texts()
        await h.route("/no/such/page")
        assert "页面不存在" in h.all_text()
        assert h.get(type=ft.NavigationBar).selected_index == 0


async def test_register_keeps_tokens_not_password_and_shows_the_profile(ui: AppFactory) -> None:
    async with ui(route="/me/register") as h:
        await register(h)
        assert h.page.route == "/me"
        assert "韩梅梅" in h.texts()
        stored = " ".join(h.secure_storage.values())
        assert "access_token" in stored and "Passw0rd" not in stored


async def test_bad_input_shows_errors_under_fields_and_keeps_what_was_typed(ui: AppFactory) -> None:
    async with ui(route="/me/login") as h:
        phone = h.get(type=ft.TextField, label="手机号")
        await h.type(phone, "12345")
        await h.click("登录")
        assert phone.error == "手机号格式不正确"
        assert h.get(type=ft.TextField, label="密码").error == "此项为必填项"
        assert phone.value == "12345"


async def test_wrong_password_says_so_and_keeps_the_form(ui: AppFactory) -> None:
    async with ui(route="/me/register") as h:
        await register(h)
        await h.click("退出登录")
        assert "已退出登录" in h.all_text()
        assert h.secure_storage == {} or "access_token" not in " ".join(h.secure_storage.values())
        await h.route("/me/login")
        await h.type(h.get(type=ft.TextField, label="手机号"), "13512345678")
        await h.type(h.get(type=ft.TextField, label="密码"), "Wrong1234")
        await h.click("登录")
        assert "手机号或密码不正确" in h.all_text()
        assert h.get(type=ft.TextField, label="手机号").value == "13512345678"


async def test_remembered_login_is_restored_on_the_next_visit(ui: AppFactory) -> None:
    async with ui(route="/me/register") as h:
        await register(h)
        remembered = dict(h.secure_storage)
    second = ui(route="/me")
    second.secure_storage.update(remembered)
    async with second as h:
        assert "韩梅梅" in h.texts()


async def test_profile_edit_validates_id_number_and_masks_it(ui: AppFactory) -> None:
    async with ui(route="/me/register") as h:
        await register(h)
        await h.click("个人资料")
        id_field = h.get(type=ft.TextField, label="身份证号")
        await h.type(id_field, "110105194912310021")
        await h.click("保存")
        assert id_field.error and "身份证号码不正确" in id_field.error
        await h.type(id_field, "11010519491231002X")
        await h.click("保存")
        assert "已保存" in h.all_text()
        assert "1101**********002X" in h.all_text()


def group_name(group: ft.RadioGroup) -> str | None:
    """What a screen reader says on entering a radio group: the label of the nearest Semantics around it, when that
    is a node of its own (`container`; Flutter web makes it role="group" with that aria-label)."""
    node = group.parent
    while node is not None and not isinstance(node, ft.Semantics):
        node = node.parent
    return node.label if isinstance(node, ft.Semantics) and node.container else None


def unnamed_controls(h: FletHarness) -> list[str]:
    """The interactive controls on screen that a screen reader could not name (see `app.widgets.buttons` and
    `app.widgets.choices` for how each kind gets its name in Flutter web)."""

    def named_around(control: ft.Control) -> bool:
        node = control.parent
        while node is not None and not isinstance(node, ft.Semantics):
            node = node.parent
        return isinstance(node, ft.Semantics) and bool(node.label)

    def unnamed(c: object) -> bool:
        if isinstance(c, ft.IconButton):
            return not (isinstance(c.icon, ft.Icon) and c.icon.semantics_label)
        if isinstance(c, ft.TextField | ft.Checkbox | ft.Switch | ft.Radio):
            return not c.label
        if isinstance(c, ft.Dropdown):
            return not named_around(c)
        if isinstance(c, ft.RadioGroup):
            return not group_name(c)
        return False

    return [h.describe(c) for c in h.find(unnamed)]


@pytest.mark.parametrize(
    "route",
    [
        "/disclosure",
        "/disclosure/search?q=社保",
        "/disclosure/article/7",
        "/services",
        "/interaction/mailbox",
        "/interaction/new/complaint",
        "/me/login",
        "/me/register",
        "/me/settings",
    ],
)
async def test_every_interactive_control_has_a_name(ui: AppFactory, route: str) -> None:
    async with ui(route=route) as h:
        assert h.find(lambda c: isinstance(c, ft.IconButton | ft.TextField | ft.Dropdown | ft.RadioGroup))
        assert unnamed_controls(h) == []


async def test_settings_choices_are_named_groups(ui: AppFactory) -> None:
    async with ui(route="/me/settings") as h:
        assert group_name(h.get(type=ft.RadioGroup, value="zh")) == "语言"
        assert group_name(h.get(type=ft.RadioGroup, value="system")) == "主题"
        await h.fire(h.get(type=ft.RadioGroup, value="zh"), "change", props={"value": "en"})
        assert group_name(h.get(type=ft.RadioGroup, value="en")) == "Language"
        assert group_name(h.get(type=ft.RadioGroup, value="system")) == "Theme"


async def test_language_switch_to_english_is_remembered(ui: AppFactory) -> None:
    async with ui(route="/me/settings") as h:
        await h.fire(h.get(type=ft.RadioGroup, value="zh"), "change", props={"value": "en"})
        assert h.prefs["yiwang.language"] == "en"
        assert h.get(type=ft.NavigationBar).destinations[0].label == "Home"


async def test_unreachable_backend_shows_an_error_with_retry(ui: AppFactory) -> None:
    from app.main import create_main

    async with FletHarness(create_main("http://127.0.0.1:9"), settle_timeout=10) as h:
        assert "无法连接服务器，请检查网络" in h.all_text()
        assert h.find(text="重试")


async def test_leaving_a_screen_before_its_data_arrives_is_harmless(
    ui: AppFactory, network: Network, caplog: pytest.LogCaptureFixture
) -> None:
    network.delay = 0.3
    async with ui(route="/", settle_timeout=5) as h:
        await h.route("/services", settle=False)
        await h.route("/me", settle=False)
        await h.settle()
        assert h.errors == []
        assert "登录后可办理业务、查看进度" in h.texts()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
