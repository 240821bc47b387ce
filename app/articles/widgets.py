"""Building blocks of the 政务公开 screens: article tiles, the paged feed, the offline banner."""

from collections.abc import Awaitable, Callable
from typing import Any

import flet as ft

from api_client import YiwangError
from api_client.models import ArticleRef, ArticleSummary, Page, SearchResult, split_highlights
from app.articles.presenting import offline_note
from app.articles.service import Reading
from app.context import AppContext
from app.i18n import Translator
from app.widgets import describe_error, empty_state, error_state, loading_state, update_if_shown

PageLoader = Callable[[str | None], Awaitable[Reading[Page[ArticleSummary]]]]


def offline_banner(reading: Reading[Any], t: Translator) -> ft.Control:
    return ft.Container(
        ft.Row([ft.Icon(ft.Icons.CLOUD_OFF, size=18), ft.Text(offline_note(reading.fetched_at, t), expand=True)]),
        bgcolor=ft.Colors.TERTIARY_CONTAINER,
        padding=ft.Padding.symmetric(horizontal=12, vertical=8),
        border_radius=8,
        visible=reading.offline,
    )


def validity_chip(validity: str, t: Translator) -> ft.Control | None:
    if validity == "valid":
        return None
    color = ft.Colors.ERROR if validity == "repealed" else ft.Colors.TERTIARY
    return ft.Container(
        ft.Text(t(f"articles.validity.{validity}"), size=12, color=color, weight=ft.FontWeight.W_600),
        border=ft.Border.all(1, color),
        border_radius=4,
        padding=ft.Padding.symmetric(horizontal=6, vertical=1),
    )


def article_meta(t: Translator, kind: str, department: str | None, date: str) -> str:
    return " · ".join(part for part in (t(f"articles.kind.{kind}"), department, date) if part)


def article_tile(ctx: AppContext, article: ArticleSummary | ArticleRef) -> ft.Control:
    department = article.department.short_name if isinstance(article, ArticleSummary) else None
    meta = article_meta(ctx.t, article.kind, department, article.published_on.isoformat())
    if article.document_number:
        meta = f"{article.document_number} · {meta}"
    badge = validity_chip(article.validity, ctx.t)
    return ft.ListTile(
        title=ft.Text(article.title, max_lines=2, overflow=ft.TextOverflow.ELLIPSIS, weight=ft.FontWeight.W_500),
        subtitle=ft.Text(meta, size=12, color=ft.Colors.ON_SURFACE_VARIANT),
        trailing=badge,
        on_click=lambda _: ctx.go(f"/disclosure/article/{article.id}"),
        content_padding=ft.Padding.symmetric(horizontal=4),
    )


def search_result_tile(ctx: AppContext, result: SearchResult) -> ft.Control:
    spans = [
        ft.TextSpan(text, ft.TextStyle(color=ft.Colors.PRIMARY, weight=ft.FontWeight.BOLD) if match else None)
        for text, match in split_highlights(result.snippet)
    ]
    kind = ctx.t(f"articles.kind.{result.kind}") if result.kind else ""
    return ft.ListTile(
        title=ft.Text(result.title, max_lines=2, weight=ft.FontWeight.W_500),
        subtitle=ft.Column(
            [
                ft.Text(spans=spans, max_lines=3, size=13),
                ft.Text(f"{kind} · {result.published_on.isoformat()}", size=12, color=ft.Colors.ON_SURFACE_VARIANT),
            ],
            spacing=2,
        ),
        on_click=lambda _: ctx.go(f"/disclosure/article/{result.id}"),
        content_padding=ft.Padding.symmetric(horizontal=4),
    )


class ArticleFeed(ft.Column):
    """Articles a page at a time, loaded as the reader nears the end: never thousands of controls at once."""

    def __init__(self, ctx: AppContext, load_page: PageLoader) -> None:
        self._ctx = ctx
        self._load_page = load_page
        self._cursor: str | None = None
        self._loading = False
        self._banner = ft.Container(visible=False)
        self._list = ft.ListView(expand=True, spacing=0, on_scroll=self._scrolled, scroll_interval=250)
        self._more = ft.TextButton(ctx.t("articles.load_more"), on_click=self._more_clicked)
        self._end = ft.Text(ctx.t("articles.end"), color=ft.Colors.OUTLINE, text_align=ft.TextAlign.CENTER)
        super().__init__([self._banner, self._list], expand=True, spacing=8)

    async def reload(self) -> None:
        self._cursor = None
        self._list.controls = [loading_state(self._ctx.t)]
        update_if_shown(self)
        try:
            reading = await self._load_page(None)
        except YiwangError as exc:
            self._list.controls = [error_state(describe_error(exc, self._ctx.t), self._ctx.t, self.reload)]
            update_if_shown(self)
            return
        self._banner.content = offline_banner(reading, self._ctx.t)
        self._banner.visible = reading.offline
        self._list.controls = []
        if not reading.value.items:
            self._list.controls = [empty_state(self._ctx.t("state.empty"))]
        self._append(reading.value)
        update_if_shown(self)

    def _append(self, page: Page[ArticleSummary]) -> None:
        controls = self._list.controls
        if controls and (controls[-1] is self._more or controls[-1] is self._end):
            controls.pop()
        controls.extend(article_tile(self._ctx, a) for a in page.items)
        self._cursor = page.next_cursor
        if self._cursor:
            controls.append(self._more)
        elif page.items:
            controls.append(self._end)

    async def load_more(self) -> None:
        if self._loading or not self._cursor:
            return
        self._loading = True
        try:
            reading = await self._load_page(self._cursor)
        except YiwangError as exc:
            self._ctx.notify(describe_error(exc, self._ctx.t))
        else:
            self._append(reading.value)
            update_if_shown(self)
        finally:
            self._loading = False

    async def _scrolled(self, event: ft.OnScrollEvent) -> None:
        if event.extent_after < 400:
            await self.load_more()

    async def _more_clicked(self, _: ft.Event[ft.TextButton]) -> None:
        await self.load_more()
