"""The pieces every feature builds on: routes per feature, the error boundary, PagedList and Form."""

import asyncio
import json
from dataclasses import dataclass, field

import flet as ft
import httpx
import pytest
from pydantic import BaseModel

from api_client import APIConnectionError, NotFoundError
from app.device_cache import DeviceCache, Reading
from app.i18n import Translator
from app.shell.boundary import ErrorBoundary
from app.shell.features import ROUTES
from app.shell.routes import Route, RouteTable
from app.shell.screen import Screen
from app.widgets.paged_list import PagedList
from tests.ui.conftest import AppFactory, Network
from tests.ui.harness import FletHarness

ZH = Translator("zh")


def blank(_: object) -> Screen:
    return Screen("", ft.Text(""))


def test_features_declare_routes_and_the_table_refuses_two_claims() -> None:
    article = ROUTES.match("/disclosure/article/7?from=home")
    assert article.template == "/disclosure/article/:id"
    assert article.params == {"id": "7"} and article.query == {"from": "home"}
    assert article.destination == 1
    unknown = ROUTES.match("/interaction/nothing")
    assert unknown.template is None and ROUTES.builder(unknown) is None
    assert unknown.destination == 3, "the bar still shows which pillar the address belongs to"
    with pytest.raises(ValueError, match="/x"):
        RouteTable([Route("/x", blank), Route("/x", blank)])


@dataclass
class FakePage:
    items: list[int]
    next_cursor: str | None


@dataclass
class FakeSource:
    """Pages of numbers 0..total-1, `size` at a time; `fail` makes the next call raise like a lost network."""

    total: int
    size: int = 20
    fail: bool = False
    offline_first: bool = False
    calls: list[str | None] = field(default_factory=list)
    delay: float = 0.0

    async def load(self, cursor: str | None) -> Reading[FakePage]:
        self.calls.append(cursor)
        await asyncio.sleep(self.delay)
        if self.fail:
            raise APIConnectionError()
        start = int(cursor or 0)
        end = min(start + self.size, self.total)
        page = FakePage(list(range(start, end)), str(end) if end < self.total else None)
        return Reading(page, offline=self.offline_first and cursor is None)


def paged_app(source: FakeSource, **options: object) -> tuple[list[PagedList[int]], object]:
    made: list[PagedList[int]] = []

    async def main(page: ft.Page) -> None:
        items: PagedList[int] = PagedList(ZH, source.load, lambda n: ft.Text(f"第 {n} 项"), **options)  # type: ignore[arg-type]
        made.append(items)
        page.add(items)
        await items.reload()

    return made, main


def shown(h: FletHarness) -> list[str]:
    return [t for t in h.texts() if t.startswith("第 ")]


async def test_paged_list_appends_pages_and_ends() -> None:
    source = FakeSource(total=45)
    _, main = paged_app(source)
    async with FletHarness(main) as h:
        assert len(shown(h)) == 20 and h.find(text="加载更多")
        await h.click("加载更多")
        await h.click("加载更多")
        assert len(shown(h)) == 45
        assert "没有更多了" in h.texts() and not h.find(text="加载更多")
        assert source.calls == [None, "20", "40"]


async def test_paged_list_asks_once_for_a_page_however_often_asked() -> None:
    source = FakeSource(total=100)
    made, main = paged_app(source)
    async with FletHarness(main) as h:
        source.delay = 0.2
        items = made[0]
        await asyncio.gather(items.load_more(), items.load_more(), items.load_more())
        await h.settle()
        assert source.calls == [None, "20"]
        assert len(shown(h)) == 40


async def test_paged_list_double_refresh_shows_the_first_page_once() -> None:
    source = FakeSource(total=100)
    made, main = paged_app(source)
    async with FletHarness(main) as h:
        source.delay = 0.2
        items = made[0]
        await asyncio.gather(items.reload(), items.reload())
        await h.settle()
        assert shown(h) == [f"第 {n} 项" for n in range(20)]
        await h.click("加载更多")
        assert len(shown(h)) == 40


async def test_paged_list_failed_next_page_keeps_items_and_retries_on_request_only() -> None:
    source = FakeSource(total=100)
    made, main = paged_app(source)
    async with FletHarness(main) as h:
        source.fail = True
        await h.click("加载更多")
        assert len(shown(h)) == 20
        assert "无法连接服务器，请检查网络" in h.texts()
        scroll = {"event_type": "end", "pixels": 900, "min_scroll_extent": 0, "max_scroll_extent": 1000}
        await h.fire(made[0].list_view, "scroll", {**scroll, "viewport_dimension": 800})
        assert source.calls == [None, "20"], "scrolling does not hammer a server that just failed"
        source.fail = False
        await h.click("重试")
        assert len(shown(h)) == 40


async def test_paged_list_first_page_states() -> None:
    empty = FakeSource(total=0)
    _, main = paged_app(empty, empty_text="这里什么也没有")
    async with FletHarness(main) as h:
        assert "这里什么也没有" in h.texts()

    failing = FakeSource(total=5, fail=True)
    _, main = paged_app(failing)
    async with FletHarness(main) as h:
        assert "无法连接服务器，请检查网络" in h.texts() and not shown(h)
        failing.fail = False
        await h.click("重试")
        assert len(shown(h)) == 5

    kept = FakeSource(total=5, offline_first=True)
    _, main = paged_app(kept, header=[ft.Text("页头")])
    async with FletHarness(main) as h:
        assert h.texts()[0] == "页头"
        assert any(t.startswith("离线 · 更新于") for t in h.texts())


def boundary_app(rebuilt: list[int], told: list[str]) -> tuple[list[ErrorBoundary], object]:
    made: list[ErrorBoundary] = []

    async def main(page: ft.Page) -> None:
        boundary = ErrorBoundary(ZH, told.append, lambda: rebuilt.append(1))
        made.append(boundary)

        async def lookup(_: ft.Event[ft.Button]) -> None:
            request = httpx.Request("GET", "http://x/api/v1/articles/9")
            raise NotFoundError(httpx.Response(404, request=request), "not_found", "内容不存在")

        async def broken(_: ft.Event[ft.Button]) -> None:
            raise KeyError("bug")

        boundary.content = ft.Column(
            [
                ft.Button("查找", on_click=boundary.guard(lookup)),
                ft.Button("出错", on_click=boundary.guard(broken)),
            ]
        )
        page.add(boundary)

    return made, main


async def test_error_boundary_turns_failures_into_messages_not_crashes() -> None:
    rebuilt: list[int] = []
    told: list[str] = []
    made, main = boundary_app(rebuilt, told)
    async with FletHarness(main) as h:
        await h.click("查找")
        assert told == ["内容不存在"] and "出错" in [b.content for b in h.find(type=ft.Button)]
        await h.click("出错")
        assert h.errors == []
        assert "出了点问题，请重试" in h.texts()
        await h.click("重试")
        assert rebuilt == [1]

        async def failing_load() -> None:
            raise APIConnectionError()

        await made[0].run(failing_load)
        assert "无法连接服务器，请检查网络" in h.texts()

        async def missing_load() -> None:
            request = httpx.Request("GET", "http://x/api/v1/articles/9")
            raise NotFoundError(httpx.Response(404, request=request), "not_found", "内容不存在")

        await made[0].run(missing_load)
        assert "找不到该内容，它可能已被删除或您无权查看" in h.texts() and not h.find(text="重试")


async def register_form(h: FletHarness, phone: str) -> None:
    await h.type(h.get(type=ft.TextField, label="姓名"), "韩梅梅")
    await h.type(h.get(type=ft.TextField, label="手机号"), phone)
    await h.type(h.get(type=ft.TextField, label="密码"), "Passw0rd")


async def test_form_sends_once_however_often_tapped(ui: AppFactory, network: Network) -> None:
    async with ui(route="/me/register", settle_timeout=5) as h:
        await register_form(h, "13512345678")
        network.delay = 0.3
        button = h.get(type=ft.FilledButton, text="注册并登录")
        # A second and third tap while the first is on its way.
        await asyncio.gather(*(h.fire(button, "click", None, settle=False) for _ in range(3)))
        await h.settle()
        assert network.sent.count("POST /api/v1/auth/register") == 1
        assert h.page.route == "/me"


async def test_form_puts_the_servers_error_under_its_field_and_keeps_the_values(ui: AppFactory) -> None:
    async with ui(route="/me/register") as h:
        await register_form(h, "13800138000")
        await h.click("注册并登录")
        await h.route("/me/register")  # the same number once more
        await register_form(h, "13800138000")
        await h.click("注册并登录")
        phone = h.get(type=ft.TextField, label="手机号")
        assert phone.error == "该手机号已注册"
        assert phone.value == "13800138000" and h.get(type=ft.TextField, label="姓名").value == "韩梅梅"
        assert not h.get(type=ft.FilledButton, text="注册并登录").disabled


async def test_form_field_error_goes_once_the_value_is_right(ui: AppFactory) -> None:
    async with ui(route="/me/login") as h:
        phone = h.get(type=ft.TextField, label="手机号")
        await h.type(phone, "12345")
        await h.click("登录")
        assert phone.error == "手机号格式不正确"
        await h.type(phone, "1380013800")
        assert phone.error == "手机号格式不正确"
        await h.type(phone, "13800138000")
        assert phone.error is None


class Note(BaseModel):
    text: str


async def test_device_cache_index_keeps_every_key_written_at_once() -> None:
    async def main(page: ft.Page) -> None:
        cache = DeviceCache(ft.SharedPreferences(), capacity=3)
        await asyncio.gather(*(cache.put(f"k{i}", Note(text=str(i))) for i in range(5)))

    async with FletHarness(main) as h:
        index = json.loads(h.prefs["yiwang.cache-index"])
        assert len(index) == 3
        assert sorted(k for k in h.prefs if k.startswith("yiwang.cache.")) == sorted(f"yiwang.cache.{k}" for k in index)
