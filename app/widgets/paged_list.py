"""`PagedList`: the one list that loads pages by cursor, for every feed, search result and inbox.

A feature gives it a page loader and a way to draw one item; the list does the rest: loading, empty and
error-with-retry states, the next page when the citizen nears the end or taps 加载更多, and the
"离线 · 更新于 …" banner when the first page is the device's copy. A page that fails to load never
crashes the session: what is already shown stays, with the error and 重试 where the next page would be.

    async def load_page(cursor: str | None) -> Reading[Page[ServiceItem]]:
        return await service.items(filters, cursor)      # Reading(...) from DeviceCache.read, or Reading(page)

    items = PagedList(ctx.t, load_page, lambda item: ft.ListTile(title=ft.Text(item.name)),
                      header=[search_bar, filters], empty_text=t("services.none"))
    return Screen(title, items, loads=[items.reload])

`header` controls scroll away with the list (on a phone the list gets the whole screen). The loader's
page is anything with `items` and `next_cursor` (`api_client.models.Page`, `SearchPage`, ...). Only the
Python controls of loaded pages exist, so keep pages small (20) rather than loading everything.
"""

from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, Protocol, TypeVar

import flet as ft

from api_client import YiwangError
from app.device_cache import Reading
from app.i18n import Translator
from app.widgets.states import (
    describe_error,
    empty_state,
    failure_state,
    loading_state,
    offline_banner,
    update_if_shown,
)

ItemT = TypeVar("ItemT")
ItemT_co = TypeVar("ItemT_co", covariant=True)


class PageOf(Protocol[ItemT_co]):
    @property
    def items(self) -> Sequence[ItemT_co]: ...

    @property
    def next_cursor(self) -> str | None: ...


PageLoader = Callable[[str | None], Awaitable[Reading[PageOf[ItemT]]]]

# Start on the next page when less than this many pixels are left below the viewport.
NEAR_END = 400


class PagedList(ft.Column, Generic[ItemT]):
    def __init__(
        self,
        t: Translator,
        load_page: PageLoader[ItemT],
        build_item: Callable[[ItemT], ft.Control],
        *,
        header: Sequence[ft.Control] = (),
        empty_text: str | None = None,
    ) -> None:
        self._t = t
        self._load_page = load_page
        self._build_item = build_item
        self._header = [ft.Column(list(header), spacing=8)] if header else []
        self._empty_text = empty_text or t("state.empty")
        self._cursor: str | None = None
        self._busy = False
        self._failed = False  # the last page failed: scrolling waits for 重试 instead of asking again
        self._generation = 0  # counts reloads; answers for an older one are dropped
        self._banner = ft.Container(visible=False)
        self._footer = ft.Container(loading_state(t))
        self.more_button = ft.TextButton(t("state.load_more"), on_click=self._more_clicked)
        self.list_view = ft.ListView(
            [*self._header, self._banner, self._footer],
            expand=True,
            spacing=0,
            on_scroll=self._scrolled,
            scroll_interval=250,
        )
        super().__init__([self.list_view], expand=True)

    @property
    def item_controls(self) -> list[ft.Control]:
        """The controls drawn for the loaded items, in order."""
        controls = self.list_view.controls
        return controls[len(self._header) + 1 : -1]

    async def reload(self) -> None:
        """Starts again from the first page (on open, 刷新 and 重试); an answer to an earlier start that
        arrives later is dropped, so a double 刷新 never shows the page twice."""
        self._generation += 1
        generation = self._generation
        self._busy = True
        self._failed = False
        self._cursor = None
        self.list_view.controls = [*self._header, self._banner, self._footer]
        self._banner.visible = False
        self._footer.content = loading_state(self._t)
        update_if_shown(self)
        try:
            reading = await self._load_page(None)
        except YiwangError as exc:
            if generation == self._generation:
                self._footer.content = failure_state(exc, self._t, self.reload)
        else:
            if generation == self._generation:
                self._banner.content = offline_banner(reading, self._t)
                self._banner.visible = reading.offline
                self._append(reading.value)
        finally:
            if generation == self._generation:
                self._busy = False
        update_if_shown(self)

    async def load_more(self) -> None:
        """The next page, once: scrolling and 加载更多 during a load do not ask twice."""
        if self._busy or not self._cursor:
            return
        generation = self._generation
        self._busy = True
        self._failed = False
        self._footer.content = ft.Container(ft.ProgressRing(width=24, height=24), alignment=ft.Alignment.CENTER)
        update_if_shown(self._footer)
        try:
            reading = await self._load_page(self._cursor)
        except YiwangError as exc:
            if generation == self._generation:
                self._failed = True
                self._footer.content = self._inline_error(describe_error(exc, self._t))
        else:
            if generation == self._generation:
                self._append(reading.value)
        finally:
            if generation == self._generation:
                self._busy = False
        update_if_shown(self)

    def _append(self, page: PageOf[ItemT]) -> None:
        controls = self.list_view.controls
        controls[-1:-1] = [self._build_item(item) for item in page.items]
        self._cursor = page.next_cursor
        if not self.item_controls:
            self._footer.content = empty_state(self._empty_text)
        elif self._cursor:
            self._footer.content = ft.Container(self.more_button, alignment=ft.Alignment.CENTER)
        else:
            self._footer.content = ft.Text(
                self._t("state.end"), color=ft.Colors.OUTLINE, text_align=ft.TextAlign.CENTER
            )

    def _inline_error(self, message: str) -> ft.Control:
        async def retry(_: ft.Event[ft.TextButton]) -> None:
            await self.load_more()

        return ft.Semantics(
            identifier="load-more-error",
            content=ft.Row(
                [
                    ft.Icon(ft.Icons.CLOUD_OFF, color=ft.Colors.ERROR, size=18),
                    ft.Text(message, expand=True),
                    ft.TextButton(self._t("state.retry"), on_click=retry),
                ],
            ),
        )

    async def _scrolled(self, event: ft.OnScrollEvent) -> None:
        if event.extent_after < NEAR_END and not self._failed:
            await self.load_more()

    async def _more_clicked(self, _: ft.Event[ft.TextButton]) -> None:
        await self.load_more()
