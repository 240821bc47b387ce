"""Tests of the pure-Python Flet harness (tests/ui/harness.py) with tiny inline apps."""

import asyncio

import flet as ft
import pytest
from flet.messaging.protocol import MessageAction

try:  # rootdir-relative import works when tests/ is a package or on sys.path
    from harness import FletAppError, FletHarness
except ImportError:  # pragma: no cover
    from tests.ui.harness import FletAppError, FletHarness


def _patches(h: FletHarness) -> list:
    return [body for action, body in h.messages if action == MessageAction.PATCH_CONTROL]


# --------------------------------------------------------------------------- click
def counter_app(page: ft.Page):
    page.title = "计数"
    status = ft.Text("还没有点击", key="status")
    count = 0

    def on_click(e):
        nonlocal count
        count += 1
        status.value = f"已点击 {count} 次"  # no update(): auto-update after the handler

    page.add(status, ft.Button("点击我", on_click=on_click))


@pytest.mark.asyncio
async def test_click_changes_text_and_sends_a_real_diff():
    async with FletHarness(counter_app) as h:
        assert "还没有点击" in h.texts()
        before = len(_patches(h))

        await h.click("点击我")
        assert h.get(key="status").value == "已点击 1 次"
        await h.click(h.get(ft.Button))
        assert "已点击 2 次" in h.texts()

        # the update went over the "wire" as a non-empty patch with the new value
        new = _patches(h)[before:]
        assert new and "已点击 2 次" in repr(new[-1])


@pytest.mark.asyncio
async def test_click_refuses_disabled_or_unmounted_controls():
    def app(page: ft.Page):
        page.add(ft.Button("禁用", disabled=True, on_click=lambda e: None))

    async with FletHarness(app) as h:
        with pytest.raises(AssertionError, match="disabled"):
            await h.click("禁用")
        orphan = ft.Button("孤儿", on_click=lambda e: None)
        with pytest.raises(AssertionError, match="not mounted"):
            await h.click(orphan)


# --------------------------------------------------------------------------- typing
def form_app(page: ft.Page):
    greeting = ft.Text("", key="greeting")
    submitted = ft.Text("", key="submitted")

    def changed(e: ft.ControlEvent):
        greeting.value = f"你好，{e.control.value}" if e.control.value else ""

    def submit(e):
        if not name.value.strip():
            name.error = "请输入姓名"
        else:
            name.error = None
            submitted.value = f"已提交：{name.value}"

    name = ft.TextField(label="姓名", on_change=changed, on_submit=submit)
    page.add(name, greeting, submitted)


@pytest.mark.asyncio
async def test_type_into_textfield_change_and_submit():
    async with FletHarness(form_app) as h:
        field = h.get(ft.TextField, label="姓名")
        await h.type(field, "   ", submit=True)
        assert field.error == "请输入姓名"
        assert "请输入姓名" in h.all_text()

        await h.type(field, "张三", submit=True)
        assert field.value == "张三"
        assert h.get(key="greeting").value == "你好，张三"
        assert "已提交：张三" in h.texts()
        assert "请输入姓名" not in h.all_text()


# --------------------------------------------------------------------------- routing
def routed_app(page: ft.Page):
    pops = []

    def build_views():
        page.views.clear()
        page.views.append(
            ft.View(
                route="/",
                controls=[
                    ft.AppBar(title=ft.Text("首页")),
                    ft.Button("去设置", on_click=lambda e: page.navigate("/settings")),
                ],
            )
        )
        if page.route == "/settings":
            page.views.append(
                ft.View(route="/settings", controls=[ft.AppBar(title=ft.Text("设置")), ft.Text("语言：中文")])
            )
        page.update()

    def route_change(e: ft.RouteChangeEvent):
        assert e.route == page.route
        build_views()

    async def view_pop(e: ft.ViewPopEvent):
        pops.append(e.route)
        page.views.remove(e.view)
        await page.push_route(page.views[-1].route)

    page.on_route_change = route_change
    page.on_view_pop = view_pop
    page.data = pops
    build_views()


@pytest.mark.asyncio
async def test_route_change_swaps_views():
    async with FletHarness(routed_app, route="/") as h:
        assert h.texts() == ["首页"]

        # app-initiated: page.navigate -> push_route invocation -> client route change
        await h.click("去设置")
        assert h.page.route == "/settings"
        assert [v.route for v in h.views] == ["/", "/settings"]
        assert "语言：中文" in h.texts() and "首页" not in h.texts()  # only the top view
        assert any(i.name == "push_route" and i.args == {"route": "/settings"} for i in h.invocations)

        # AppBar back arrow
        await h.back()
        assert h.page.data == ["/settings"]
        assert h.page.route == "/"
        assert [v.route for v in h.views] == ["/"]

        # browser-initiated (typed URL / deep link)
        await h.route("/settings")
        assert h.top_view.route == "/settings"


@pytest.mark.asyncio
async def test_deep_link_initial_route():
    async with FletHarness(routed_app, route="/settings") as h:
        assert h.page.route == "/settings"
        assert "设置" in h.texts()


# --------------------------------------------------------------------------- responsive
def responsive_app(page: ft.Page):
    destinations = [("首页", ft.Icons.HOME), ("办事", ft.Icons.WORK), ("我的", ft.Icons.PERSON)]
    title = ft.Text("首页", key="title")

    def on_change(e):
        title.value = destinations[e.control.selected_index][0]

    bar = ft.NavigationBar(
        destinations=[ft.NavigationBarDestination(icon=i, label=lbl) for lbl, i in destinations],
        on_change=on_change,
    )
    rail = ft.NavigationRail(
        destinations=[ft.NavigationRailDestination(icon=i, label=lbl) for lbl, i in destinations],
        on_change=on_change,
    )
    body = ft.Column([title], expand=True)

    def layout():
        wide = (page.width or 0) >= 600
        page.navigation_bar = None if wide else bar
        page.controls = [ft.Row([rail, ft.VerticalDivider(width=1), body], expand=True)] if wide else [body]
        page.update()

    page.on_resize = lambda e: layout()
    layout()


@pytest.mark.asyncio
async def test_navigation_bar_vs_rail_on_resize():
    async with FletHarness(responsive_app, width=390, height=844) as h:
        assert h.find(ft.NavigationBar) and not h.find(ft.NavigationRail)

        await h.select(h.get(ft.NavigationBar), 1)
        assert h.get(key="title").value == "办事"

        await h.resize(1280, 800)
        assert h.page.width == 1280
        assert h.find(ft.NavigationRail) and not h.find(ft.NavigationBar)
        await h.select(h.get(ft.NavigationRail), 2)
        assert h.get(key="title").value == "我的"

        await h.resize(360, 740)
        assert h.find(ft.NavigationBar) and not h.find(ft.NavigationRail)


# --------------------------------------------------------------------------- async work
def async_app(page: ft.Page):
    status = ft.Text("空闲", key="status")
    ring = ft.ProgressRing(visible=False)
    prefs = ft.SharedPreferences()  # keep a reference: services are dropped otherwise

    async def load(e):
        ring.visible = True
        status.value = "加载中…"
        page.update()
        await asyncio.sleep(0.2)
        await prefs.set("last", "已加载")
        ring.visible = False
        status.value = await prefs.get("last")
        page.update()

    async def ticker():
        await asyncio.sleep(0.1)
        page.show_dialog(ft.SnackBar(ft.Text("后台任务完成")))

    page.add(
        status, ring, ft.Button("加载", on_click=load), ft.Button("后台", on_click=lambda e: page.run_task(ticker))
    )


@pytest.mark.asyncio
async def test_async_handler_sleep_then_update_and_services():
    async with FletHarness(async_app) as h:
        # settle=False: observe the intermediate state while the handler sleeps
        task = asyncio.create_task(h.click("加载", settle=False))
        await asyncio.sleep(0.05)
        assert h.get(key="status").value == "加载中…"
        assert h.find(ft.ProgressRing)
        await task
        assert h.get(key="status").value == "已加载"
        assert not h.find(ft.ProgressRing)
        assert h.prefs == {"last": "已加载"}

        await h.click("后台")  # page.run_task + settle waits for it
        assert [type(d) for d in h.dialogs()] == [ft.SnackBar]
        assert "后台任务完成" in h.texts()
        await h.dismiss()
        assert h.dialogs() == [] and "后台任务完成" not in h.texts()


@pytest.mark.asyncio
async def test_custom_invoke_handler_and_app_errors():
    async def app(page: ft.Page):
        paths = ft.StoragePaths()
        out = ft.Text(key="out")

        async def show(e):
            out.value = await paths.get_temporary_directory()

        def boom(e):
            raise ValueError("坏了")

        page.data = paths
        page.add(out, ft.Button("路径", on_click=show), ft.Button("崩溃", on_click=boom))

    # StoragePaths raises FletUnsupportedPlatformException when page.web is True
    async with FletHarness(app, web=False, platform="linux") as h:
        h.on_invoke("StoragePaths", "get_temporary_directory", lambda args: "/tmp/yiwang")
        await h.click("路径")
        assert h.get(key="out").value == "/tmp/yiwang"
        with pytest.raises(FletAppError, match="坏了"):
            await h.click("崩溃")


# --------------------------------------------------------------------------- dialogs & client actions
def dialog_app(page: ft.Page):
    result = ft.Text("", key="result")

    def confirm(e):
        page.pop_dialog()  # the client then reports "dismiss"; settle() plays that part
        result.value = "已确认"

    def ask(e):
        page.show_dialog(
            ft.AlertDialog(
                modal=True,
                title=ft.Text("确认提交？"),
                actions=[
                    ft.TextButton("取消", on_click=lambda e: page.pop_dialog()),
                    ft.TextButton("确定", on_click=confirm),
                ],
            )
        )

    page.add(result, ft.Button("提交", on_click=ask), ft.Button("复制编号", action=ft.CopyToClipboard("YW-0001")))


@pytest.mark.asyncio
async def test_alert_dialog_and_client_action():
    async with FletHarness(dialog_app) as h:
        await h.click("提交")
        assert [type(d) for d in h.dialogs()] == [ft.AlertDialog]
        assert "确认提交？" in h.texts()
        await h.click("确定")
        assert h.dialogs() == [] and h.page._dialogs.controls == []
        assert h.get(key="result").value == "已确认"

        await h.click("复制编号")  # ft.CopyToClipboard runs on the client, no on_click needed
        assert h.clipboard == "YW-0001"
