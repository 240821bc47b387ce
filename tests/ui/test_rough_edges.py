"""The reader's rough edges from issue 6, each driven like a citizen would meet it."""

import logging

import flet as ft
import pytest
from flet.messaging.protocol import MessageAction

from app.shell.links import share_link
from tests.ui.conftest import AppFactory, Network
from tests.ui.harness import FletHarness
from tests.ui.test_shell import register


def sent_since(h: FletHarness, start: int) -> str:
    """What went over the wire to the browser since message `start`: the client only shows that."""
    return repr([body for action, body in h.messages[start:] if action == MessageAction.PATCH_CONTROL])


def test_share_link_is_the_address_a_browser_opens() -> None:
    assert (
        share_link("ws://127.0.0.1:8650", "/disclosure/article/714") == "http://127.0.0.1:8650/disclosure/article/714"
    )
    assert (
        share_link("wss://gov.example.cn/app", "/disclosure/article/7")
        == "https://gov.example.cn/app/disclosure/article/7"
    )
    assert share_link("http://127.0.0.1:8550/", "/x") == "http://127.0.0.1:8550/x"
    assert share_link("tcp://127.0.0.1:5000", "/x") is None, "a desktop window has no address to share"
    assert share_link(None, "/x") is None


async def test_copy_link_copies_the_http_address_not_the_socket(ui: AppFactory) -> None:
    async with ui(route="/disclosure/article/7", page_url="ws://127.0.0.1:8650") as h:
        await h.click(h.get(type=ft.IconButton, tooltip="复制链接"))
        assert h.clipboard == "http://127.0.0.1:8650/disclosure/article/7"
        assert "链接已复制" in h.all_text()


async def test_bookmark_icon_and_label_change_on_screen_at_once(ui: AppFactory) -> None:
    async with ui(route="/disclosure/article/1") as h:
        button = h.get(type=ft.IconButton, tooltip="收藏")
        start = len(h.messages)
        await h.click(button)
        assert button.tooltip == "取消收藏"
        assert "取消收藏" in sent_since(h, start), "the new label never reached the browser"
        start = len(h.messages)
        await h.click(button)
        assert "'收藏'" in sent_since(h, start)


async def test_load_more_on_search_results_offline_keeps_the_results_and_offers_retry(
    ui: AppFactory, network: Network
) -> None:
    async with ui(route="/disclosure/search?q=通知", settle_timeout=10) as h:
        first = len(h.find(type=ft.ListTile))
        assert first == 20
        network.online = False
        await h.click("加载更多")
        assert h.errors == []
        assert len(h.find(type=ft.ListTile)) == first, "what was found stays on screen"
        assert "无法连接服务器，请检查网络" in h.all_text()
        network.online = True
        await h.click("重试")
        assert len(h.find(type=ft.ListTile)) > first


async def test_disclosure_offline_with_nothing_cached_shows_an_error_with_retry(
    ui: AppFactory, network: Network, caplog: pytest.LogCaptureFixture
) -> None:
    network.online = False
    async with ui(route="/disclosure", settle_timeout=10) as h:
        assert h.errors == []
        assert not [r for r in caplog.records if r.levelno >= logging.ERROR], "an unhandled error was logged"
        assert "无法连接服务器，请检查网络" in h.all_text()
        network.online = True
        await h.click("重试")
        assert len(h.find(type=ft.ListTile)) == 20
        assert h.find(type=ft.Dropdown, label="发文部门"), "the filters come back with the network"


async def test_disclosure_offline_after_a_visit_shows_the_kept_feed_and_filters(
    ui: AppFactory, network: Network
) -> None:
    async with ui(route="/disclosure") as h:
        prefs = dict(h.prefs)
    network.online = False
    async with ui(route="/disclosure", prefs=prefs, settle_timeout=10) as h:
        assert h.errors == []
        assert "离线 · 更新于" in h.all_text()
        assert len(h.find(type=ft.ListTile)) == 20
        department = h.get(type=ft.Dropdown, label="发文部门")
        assert len(department.options) == 41


async def test_unknown_route_says_not_found_and_leads_home(ui: AppFactory) -> None:
    async with ui(route="/no-such-page") as h:
        assert "页面不存在" in h.all_text()
        assert "40 个部门" not in h.texts(), "not the home screen under a wrong address"
        await h.click("返回首页")
        assert h.page.route == "/"
        assert "40 个部门" in h.texts()


async def test_article_address_with_a_bad_id_is_not_found(ui: AppFactory) -> None:
    async with ui(route="/disclosure/article/abc") as h:
        assert "页面不存在" in h.all_text()


async def test_department_rows_are_buttons_that_call_the_department(ui: AppFactory) -> None:
    async with ui(route="/services/departments") as h:
        tiles = [t for t in h.find(type=ft.ListTile) if isinstance(t.title, ft.Text) and t.title.value == "省公安厅"]
        assert len(tiles) == 1
        url = tiles[0].url
        assert isinstance(url, str) and url.startswith("tel:")


GONE = "找不到该内容，它可能已被删除或您无权查看"


async def test_a_missing_article_says_so_and_leads_home_instead_of_retry(ui: AppFactory) -> None:
    async with ui(route="/disclosure/article/999999") as h:
        assert GONE in h.all_text()
        assert not h.find(text="重试"), "asking again for what does not exist cannot help"
        await h.click("返回首页")
        assert h.page.route == "/"
        assert "40 个部门" in h.texts()


async def test_someone_elses_or_no_application_is_not_found(ui: AppFactory) -> None:
    async with ui(route="/me/register") as h:
        await register(h)
        await h.route("/applications/202601010000000001")
        assert GONE in h.all_text() and not h.find(text="重试")
        await h.route("/appeals/A000000000000000000")
        assert GONE in h.all_text() and not h.find(text="重试")


async def test_a_detail_screen_offline_still_offers_retry(ui: AppFactory, network: Network) -> None:
    network.online = False
    async with ui(route="/disclosure/article/7") as h:
        assert "无法连接服务器，请检查网络" in h.all_text() and GONE not in h.all_text()
        network.online = True
        await h.click("重试")
        assert h.find(type=ft.IconButton, tooltip="收藏")
