"""政务公开 screens: the filtered feed, search, an article, bookmarks and followed topics."""

import asyncio
from collections.abc import Callable
from typing import Any

import flet as ft

from api_client import YiwangError
from api_client.models import (
    ArticleDetail,
    ArticleFilters,
    ArticleSummary,
    Department,
    Page,
    SearchPage,
    SearchResult,
    Topic,
)
from app.articles.presenting import disclosure_route, filters_from_query, search_route, suggestions
from app.articles.widgets import article_markdown, article_tile, search_result_tile
from app.context import AppContext
from app.device_cache import Reading
from app.shell.links import share_link
from app.shell.not_found import not_found_screen
from app.shell.screen import Screen
from app.widgets.buttons import icon_button, relabel
from app.widgets.filters import filter_dropdown, filter_row
from app.widgets.paged_list import PagedList
from app.widgets.search_field import full_width, search_field
from app.widgets.states import AsyncSection, offline_banner, section_title, update_if_shown

KINDS = ("policy", "notice", "news", "interpretation")
MIN_SCALE, MAX_SCALE, SCALE_STEP = 0.8, 1.6, 0.1


def _search_bar(ctx: AppContext, value: str = "", autofocus: bool = False) -> ft.TextField:
    def search(query: str) -> None:
        if query:
            ctx.go(search_route(query))

    return search_field(ctx.t("articles.search"), ctx.t("articles.search_hint"), value, search, autofocus)


def _kind_chips(ctx: AppContext, filters: ArticleFilters) -> ft.Control:
    def chip(kind: str | None) -> ft.Control:
        label = ctx.t(f"articles.kind.{kind}") if kind else ctx.t("articles.all_kinds")
        chosen = filters.model_copy(update={"kind": kind})
        return ft.Chip(
            label=ft.Text(label),
            selected=filters.kind == kind,
            on_select=lambda _: ctx.go(disclosure_route(chosen)),
        )

    return ft.Row([chip(None), *(chip(k) for k in KINDS)], wrap=True, spacing=6, run_spacing=6)


def _filter_dropdowns(
    ctx: AppContext, filters: ArticleFilters, topics: list[Topic], departments: list[Department]
) -> ft.Control:
    t = ctx.t

    def choose(field: str) -> Callable[[str | None], None]:
        return lambda code: ctx.go(disclosure_route(filters.model_copy(update={field: code})))

    return filter_row(
        filter_dropdown(
            "topic-filter",
            t("articles.topic"),
            filters.topic,
            [(tp.code, tp.name) for tp in topics],
            t("articles.any"),
            choose("topic"),
        ),
        filter_dropdown(
            "department-filter",
            t("articles.department"),
            filters.department,
            [(d.code, d.short_name) for d in departments],
            t("articles.any"),
            choose("department"),
        ),
    )


def disclosure_screen(ctx: AppContext) -> Screen:
    t = ctx.t
    filters = filters_from_query(ctx.route.query)
    filter_row = ft.Container(padding=ft.Padding.only(top=4, bottom=4))

    async def show_filters() -> None:
        """With no network and nothing kept, the filters stay away; the feed says why and offers 重试."""
        try:
            topics, departments = await ctx.articles.topics(), await ctx.departments.all()
        except YiwangError:
            return
        filter_row.content = _filter_dropdowns(ctx, filters, topics, departments)
        update_if_shown(filter_row)

    async def load_page(cursor: str | None) -> Reading[Page[ArticleSummary]]:
        if cursor is None and filter_row.content is None:  # first open, and 重试 after a failure
            _, first = await asyncio.gather(show_filters(), ctx.articles.articles(filters))
            return first
        return await ctx.articles.articles(filters, cursor)

    shortcuts = ft.Row(
        [
            ft.OutlinedButton(
                t("articles.bookmarks"),
                icon=ft.Icons.BOOKMARKS_OUTLINED,
                on_click=lambda _: ctx.go("/disclosure/bookmarks"),
            ),
            ft.OutlinedButton(
                t("articles.topics"), icon=ft.Icons.TOPIC_OUTLINED, on_click=lambda _: ctx.go("/disclosure/topics")
            ),
        ],
        wrap=True,
    )
    feed: PagedList[ArticleSummary] = PagedList(
        t,
        load_page,
        lambda article: article_tile(ctx, article),
        header=[full_width(_search_bar(ctx)), shortcuts, _kind_chips(ctx, filters), filter_row],
    )

    async def refresh(_: ft.Event[ft.IconButton]) -> None:
        await feed.reload()

    actions: list[ft.Control] = [icon_button(ft.Icons.REFRESH, t("articles.refresh"), on_click=refresh)]
    return Screen(t("nav.disclosure"), feed, loads=[feed.reload], actions=actions)


def search_screen(ctx: AppContext) -> Screen:
    t = ctx.t
    query = ctx.route.query.get("q", "").strip()
    # Not on the web: a field focused before a screen reader switches Flutter web's accessibility on keeps the
    # browser's caret, but what is typed there never reaches the app (seen in Chromium, tests/browser/test_app.py).
    bar = _search_bar(ctx, query, autofocus=not query and not ctx.page.web)
    if query:

        async def load_page(cursor: str | None) -> Reading[SearchPage]:
            if cursor is None:
                await ctx.articles.remember_search(query)
            return await ctx.articles.search(query, cursor)

        results: PagedList[SearchResult] = PagedList(
            t,
            load_page,
            lambda result: search_result_tile(ctx, result),
            header=[full_width(bar)],
            empty_text=t("articles.no_results"),
        )
        return Screen(t("articles.search"), results, loads=[results.reload], back_route="/disclosure")

    hints = ft.Column(spacing=4)

    async def show_hints() -> None:
        history = await ctx.articles.history()
        try:
            topic_names = [tp.name for tp in await ctx.articles.topics()]
        except YiwangError:  # suggestions without topic names are still useful offline
            topic_names = []
        typed_now = (bar.value or "").strip()
        # With nothing typed the history has its own row; suggestions then offer other words.
        words = suggestions(typed_now, history, topic_names)
        if not typed_now:
            words = [w for w in words if w not in history]

        async def clear(_: ft.Event[ft.TextButton]) -> None:
            await ctx.articles.clear_history()
            await show_hints()

        hints.controls = []
        if history and not typed_now:
            hints.controls.append(
                ft.Row(
                    [section_title(t("articles.history")), ft.TextButton(t("articles.clear_history"), on_click=clear)]
                )
            )
            hints.controls.append(_word_chips(ctx, history))
        if words:
            hints.controls += [section_title(t("articles.suggestions")), _word_chips(ctx, words)]
        update_if_shown(hints)

    async def typed(_: ft.Event[ft.TextField]) -> None:
        await show_hints()

    bar.on_change = typed
    body = ft.ListView([full_width(bar), hints], spacing=8, expand=True)
    return Screen(t("articles.search"), body, loads=[show_hints], back_route="/disclosure")


def _word_chips(ctx: AppContext, words: list[str]) -> ft.Control:
    return ft.Row(
        [ft.Chip(label=ft.Text(w), on_click=lambda _, w=w: ctx.go(search_route(w))) for w in words],
        wrap=True,
        spacing=6,
    )


def _metadata(ctx: AppContext, article: ArticleDetail) -> ft.Control:
    t = ctx.t
    rows = [
        (t("articles.document_number"), article.document_number),
        (t("articles.issuer"), article.department.name),
        (t("articles.written_on"), article.written_on.isoformat() if article.written_on else None),
        (t("articles.published_on"), article.published_on.isoformat()),
        (t("articles.validity"), t(f"articles.validity.{article.validity}")),
    ]
    return ft.Container(
        ft.Column(
            [
                ft.Row([ft.Text(label, width=72, color=ft.Colors.ON_SURFACE_VARIANT), ft.Text(value, expand=True)])
                for label, value in rows
                if value
            ],
            spacing=4,
        ),
        bgcolor=ft.Colors.SURFACE_CONTAINER,
        border_radius=8,
        padding=12,
    )


def _validity_notice(ctx: AppContext, article: ArticleDetail) -> ft.Control | None:
    if article.validity == "valid":
        return None
    t = ctx.t
    repealed = article.validity == "repealed"
    lines: list[ft.Control] = [
        ft.Row(
            [
                ft.Icon(ft.Icons.GAVEL if repealed else ft.Icons.EDIT_NOTE, color=ft.Colors.ON_ERROR_CONTAINER),
                ft.Text(
                    t("articles.repealed_notice" if repealed else "articles.amended_notice"),
                    weight=ft.FontWeight.BOLD,
                    color=ft.Colors.ON_ERROR_CONTAINER,
                    expand=True,
                ),
            ]
        )
    ]
    if article.superseded_by is not None:
        replacement = article.superseded_by
        lines.append(
            ft.TextButton(
                t("articles.replaced_by", title=replacement.title),
                on_click=lambda _: ctx.go(f"/disclosure/article/{replacement.id}"),
            )
        )
    return ft.Semantics(
        identifier="validity-notice",
        content=ft.Container(
            ft.Column(lines, spacing=4), bgcolor=ft.Colors.ERROR_CONTAINER, border_radius=8, padding=12
        ),
    )


def _article_view(ctx: AppContext, reading: Reading[ArticleDetail], scale: float) -> ft.Control:
    t = ctx.t
    article = reading.value
    body = article_markdown(article.body, scale)
    parts: list[ft.Control | None] = [
        offline_banner(reading, t) if reading.offline else None,
        _validity_notice(ctx, article),
        # Not selectable: Flutter web leaves selectable text out of the accessibility tree.
        ft.Text(article.title, theme_style=ft.TextThemeStyle.TITLE_LARGE, weight=ft.FontWeight.BOLD),
        _metadata(ctx, article),
        ft.Text(article.summary, italic=True, color=ft.Colors.ON_SURFACE_VARIANT) if article.summary else None,
        ft.Semantics(identifier="article-body", content=body),
    ]
    if article.interprets is not None:
        parts += [section_title(t("articles.original")), article_tile(ctx, article.interprets)]
    if article.interpretations:
        parts += [
            section_title(t("articles.interpretations")),
            *(article_tile(ctx, i) for i in article.interpretations),
        ]
    if article.supersedes:
        parts += [section_title(t("articles.supersedes")), *(article_tile(ctx, i) for i in article.supersedes)]
    if article.attachments:
        parts.append(section_title(t("articles.attachments")))
        parts += [
            ft.ListTile(
                leading=ft.Icon(ft.Icons.PICTURE_AS_PDF_OUTLINED),
                title=ft.Text(a.name),
                subtitle=ft.Text(f"{a.size_bytes / 1024:.0f} KB"),
                url=a.url,
            )
            for a in article.attachments
        ]
    return ft.Column([p for p in parts if p is not None], spacing=12)


def article_screen(ctx: AppContext) -> Screen:
    t = ctx.t
    try:
        article_id = int(ctx.route.params["id"])
    except ValueError:
        return not_found_screen(ctx)
    state: dict[str, Any] = {"reading": None, "scale": 1.0}
    clipboard = ft.Clipboard()
    bookmark = icon_button(ft.Icons.BOOKMARK_BORDER, t("articles.bookmark"), disabled=True)

    def paint_bookmark(marked: bool) -> None:
        if marked:
            relabel(bookmark, ft.Icons.BOOKMARK, t("articles.unbookmark"))
        else:
            relabel(bookmark, ft.Icons.BOOKMARK_BORDER, t("articles.bookmark"))

    async def load() -> Reading[ArticleDetail]:
        state["scale"] = await ctx.articles.text_scale()
        reading = await ctx.articles.article(article_id)
        state["reading"] = reading
        paint_bookmark(await ctx.articles.is_bookmarked(article_id))
        bookmark.disabled = False
        update_if_shown(bookmark)
        return reading

    section = AsyncSection(t, load=load, build=lambda r: _article_view(ctx, r, state["scale"]))

    async def toggle_bookmark(_: ft.Event[ft.IconButton]) -> None:
        if state["reading"] is None:
            return
        marked = await ctx.articles.toggle_bookmark(state["reading"].value)
        paint_bookmark(marked)
        ctx.notify(t("articles.bookmarked" if marked else "articles.unbookmarked"))

    async def rescale(step: float) -> None:
        state["scale"] = min(MAX_SCALE, max(MIN_SCALE, round(state["scale"] + step, 2)))
        await ctx.articles.set_text_scale(state["scale"])
        if state["reading"] is not None:
            section.content = _article_view(ctx, state["reading"], state["scale"])
            update_if_shown(section)

    async def smaller(_: ft.Event[ft.IconButton]) -> None:
        await rescale(-SCALE_STEP)

    async def larger(_: ft.Event[ft.IconButton]) -> None:
        await rescale(SCALE_STEP)

    bookmark.on_click = ctx.guard(toggle_bookmark)
    actions: list[ft.Control] = [
        icon_button(ft.Icons.TEXT_DECREASE, t("articles.text_smaller"), on_click=ctx.guard(smaller)),
        icon_button(ft.Icons.TEXT_INCREASE, t("articles.text_larger"), on_click=ctx.guard(larger)),
        bookmark,
    ]
    link = share_link(ctx.page.url, f"/disclosure/article/{article_id}")
    if link is not None:  # a desktop window has no address to share

        async def copy_link(_: ft.Event[ft.IconButton]) -> None:
            await clipboard.set(link)
            ctx.notify(t("articles.copied"))

        actions.append(icon_button(ft.Icons.LINK, t("articles.copy_link"), on_click=ctx.guard(copy_link)))
    body = ft.ListView([section], expand=True)
    return Screen(t("nav.disclosure"), body, loads=[section.reload], actions=actions, back_route="/disclosure")


def bookmarks_screen(ctx: AppContext) -> Screen:
    t = ctx.t
    section = AsyncSection(
        t,
        load=ctx.articles.bookmarks,
        build=lambda items: ft.Column([article_tile(ctx, a) for a in items], spacing=0),
        empty_text=t("articles.no_bookmarks"),
    )
    return Screen(
        t("articles.bookmarks"), ft.ListView([section], expand=True), loads=[section.reload], back_route="/disclosure"
    )


def topics_screen(ctx: AppContext) -> Screen:
    t = ctx.t

    async def load() -> tuple[list[Topic], list[str]]:
        return await ctx.articles.topics(), await ctx.articles.followed_topics()

    def build(data: tuple[list[Topic], list[str]]) -> ft.Control:
        topics, followed = data
        chosen = set(followed)

        async def toggle(e: ft.Event[ft.Checkbox]) -> None:
            code = str(e.control.data)
            chosen.symmetric_difference_update({code})
            await ctx.articles.set_followed([tp.code for tp in topics if tp.code in chosen])
            ctx.notify(t("articles.saved_topics"))

        return ft.Column(
            [ft.Text(t("articles.follow_hint"))]
            + [ft.Checkbox(label=tp.name, value=tp.code in chosen, data=tp.code, on_change=toggle) for tp in topics],
            spacing=4,
        )

    section = AsyncSection(t, load=load, build=build)
    return Screen(
        t("articles.topics"), ft.ListView([section], expand=True), loads=[section.reload], back_route="/disclosure"
    )
