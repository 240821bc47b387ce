"""政务公开 in the app: the paged feed and its filters, search, an article, bookmarks, offline reading."""

from pathlib import Path

import flet as ft
from sqlalchemy import select

from app.widgets.paged_list import PagedList
from server.articles.models import Article
from server.db import make_engine
from tests.ui.conftest import AppFactory, Network


def feed_titles(h) -> list[str]:  # type: ignore[no-untyped-def]
    feed = h.get(type=PagedList)
    return [tile.title.value for tile in feed.item_controls if isinstance(tile, ft.ListTile)]


def chip(h, label: str) -> ft.Chip:  # type: ignore[no-untyped-def]
    return h.get(lambda c: isinstance(c, ft.Chip) and isinstance(c.label, ft.Text) and c.label.value == label)


async def test_feed_pages_in_on_scroll_instead_of_rendering_everything(ui: AppFactory) -> None:
    async with ui(route="/disclosure") as h:
        first = feed_titles(h)
        assert len(first) == 20
        feed = h.get(type=PagedList)
        await h.fire(
            feed.list_view,
            "scroll",
            {
                "event_type": "end",
                "pixels": 900,
                "min_scroll_extent": 0,
                "max_scroll_extent": 1000,
                "viewport_dimension": 800,
            },
        )
        assert len(feed_titles(h)) == 40
        assert feed_titles(h)[:20] == first
        assert len(set(feed_titles(h))) == 40


async def test_kind_tabs_and_topic_filter_narrow_the_feed_and_live_in_the_route(ui: AppFactory) -> None:
    async with ui(route="/disclosure") as h:
        await h.fire(chip(h, "通知公告"), "select", True)
        assert h.page.route == "/disclosure?kind=notice"
        tiles = [t for t in h.find(type=ft.ListTile) if t.subtitle and "通知公告" in (t.subtitle.value or "")]
        assert tiles and len(tiles) == len(feed_titles(h))
        topic = h.get(type=ft.Dropdown, label="主题")
        await h.select(topic, "shbz")
        assert h.page.route == "/disclosure?kind=notice&topic=shbz"
        assert chip(h, "通知公告").selected


async def test_search_highlights_matches_and_remembers_the_query(ui: AppFactory) -> None:
    async with ui(route="/disclosure/search") as h:
        field = h.get(type=ft.TextField, label="搜索")
        await h.type(field, "社保", submit=True)
        assert h.page.route.startswith("/disclosure/search?q=")
        marked = [
            span.text
            for text in h.find(type=ft.Text)
            for span in (text.spans or [])
            if span.style is not None and span.style.weight == ft.FontWeight.BOLD
        ]
        assert marked and all("社" in m or "保" in m for m in marked)
        assert h.prefs["yiwang.search-history"][0] == "社保"
        await h.route("/disclosure/search")
        assert chip(h, "社保"), "the last search is offered again"


async def test_pinyin_search_finds_chinese(ui: AppFactory) -> None:
    async with ui(route="/disclosure/search?q=shebao") as h:
        assert not h.find(text="没有找到相关内容，换个词试试")
        assert h.find(type=ft.ListTile)


async def test_article_shows_metadata_body_and_is_bookmarked_for_offline(ui: AppFactory) -> None:
    async with ui(route="/disclosure?kind=policy") as h:
        await h.click(h.find(type=ft.ListTile)[0])
        assert h.page.route.startswith("/disclosure/article/")
        text = h.all_text()
        assert "发文机关" in text and "成文日期" in text and "文号" in text
        assert h.find(type=ft.Markdown)
        await h.click(h.get(type=ft.IconButton, tooltip="收藏"))
        assert "已收藏，可离线阅读" in h.all_text()
        await h.route("/disclosure/bookmarks")
        assert len(h.find(type=ft.ListTile)) == 1


async def test_text_size_is_adjustable_and_remembered(ui: AppFactory) -> None:
    async with ui(route="/disclosure/article/1") as h:
        before = h.get(type=ft.Markdown).md_style_sheet.p_text_style.size
        await h.click(h.get(type=ft.IconButton, tooltip="增大字号"))
        after = h.get(type=ft.Markdown).md_style_sheet.p_text_style.size
        assert after > before
        assert h.prefs["yiwang.text-scale"] > 1


def repealed_article(template: Path) -> tuple[int, int]:
    engine = make_engine(f"sqlite:///{template}")
    with engine.connect() as db:
        row = db.execute(
            select(Article.id, Article.superseded_by_id).where(
                Article.validity == "repealed", Article.superseded_by_id.is_not(None)
            )
        ).first()
    engine.dispose()
    assert row is not None, "the generated corpus has repealed documents"
    return row[0], row[1]


async def test_repealed_document_says_so_and_links_its_replacement(ui: AppFactory, ui_template: Path) -> None:
    repealed, replacement = repealed_article(ui_template)
    async with ui(route=f"/disclosure/article/{repealed}") as h:
        assert "本文件已废止，请以新文件为准" in h.all_text()
        await h.click(h.get(type=ft.TextButton, text_contains="现行文件"))
        assert h.page.route == f"/disclosure/article/{replacement}"


async def test_offline_shows_the_cached_copy_with_a_banner(ui: AppFactory, network: Network) -> None:
    async with ui(route="/disclosure/article/2") as h:
        title = h.get(type=ft.Text, theme_style=ft.TextThemeStyle.TITLE_LARGE).value
        prefs = dict(h.prefs)
    network.online = False
    offline = ui(route="/disclosure/article/2", prefs=prefs, settle_timeout=10)
    async with offline as h:
        assert h.get(type=ft.Text, theme_style=ft.TextThemeStyle.TITLE_LARGE).value == title
        assert "离线 · 更新于" in h.all_text()
        await h.route("/disclosure/article/3")  # never opened: a clear error, not a crash
        assert "无法连接服务器，请检查网络" in h.all_text()


async def test_bookmarks_are_readable_offline_even_when_not_cached(ui: AppFactory, network: Network) -> None:
    async with ui(route="/disclosure/article/5") as h:
        await h.click(h.get(type=ft.IconButton, tooltip="收藏"))
        title = h.get(type=ft.Text, theme_style=ft.TextThemeStyle.TITLE_LARGE).value
        prefs = {k: v for k, v in h.prefs.items() if not k.startswith("yiwang.cache")}
    network.online = False
    async with ui(route="/disclosure/bookmarks", prefs=prefs, settle_timeout=10) as h:
        await h.click(h.get(type=ft.ListTile))
        assert h.get(type=ft.Text, theme_style=ft.TextThemeStyle.TITLE_LARGE).value == title
        assert "离线" in h.all_text()


async def test_home_shows_latest_notices_policies_and_new_in_followed_topics(ui: AppFactory) -> None:
    async with ui(route="/disclosure/topics") as h:
        await h.fire(h.get(type=ft.Checkbox, label="社会保障"), "change", props={"value": True})
        assert h.prefs["yiwang.followed-topics"] == ["shbz"]
        prefs = {**h.prefs, "yiwang.last-visit": "2000-01-01"}
    async with ui(route="/", prefs=prefs) as h:
        text = h.all_text()
        assert "最新通知公告" in text and "重要政策文件" in text
        tiles = [t.subtitle.value for t in h.find(type=ft.ListTile) if isinstance(t.subtitle, ft.Text)]
        assert sum("通知公告" in s for s in tiles) == 5
        assert sum("政策文件" in s for s in tiles) == 5
        counts = [c for c in h.find(type=ft.Chip) if "社会保障 新增" in (c.label.value or "")]
        assert len(counts) == 1 and not counts[0].label.value.endswith(" 0 篇")
        assert h.prefs["yiwang.last-visit"] != "2000-01-01"
