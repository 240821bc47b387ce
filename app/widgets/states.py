"""Loading, empty, error-with-retry and offline states, and `AsyncSection` for one part of a screen.

A screen part that loads on its own (a home section, an article) is an `AsyncSection`; its `reload` goes
into the screen's `loads`, which the shell starts once the screen is shown::

    section = AsyncSection(ctx.t, load=service.fetch, build=lambda data: ft.Text(data.name))
    return Screen(title, ft.ListView([section]), loads=[section.reload])

A failed load shows `failure_state` in place of the part; the rest of the screen stays usable: a lost
network or a server error offers 重试, while a 404 (the object is gone or not the reader's) says so and leads
home, since asking again cannot help. Lists that page use `app.widgets.paged_list.PagedList` instead.
"""

import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import flet as ft

from api_client import APIConnectionError, APIStatusError, NotFoundError, YiwangError
from app.device_cache import Reading
from app.i18n import Translator

log = logging.getLogger("yiwang.app")


def describe_error(exc: BaseException, t: Translator) -> str:
    """A message a citizen can act on: the server's own words for API errors, ours for the network."""
    if isinstance(exc, APIStatusError):
        return exc.message
    if isinstance(exc, APIConnectionError):
        return t("state.offline")
    log.exception("unexpected error in the app", exc_info=exc)
    return t("state.failed")


def update_if_shown(control: ft.Control) -> None:
    """Updates `control` unless the reader has already left its screen (a load can finish after that)."""
    try:
        control.page  # noqa: B018 (raises once the control is no longer on a page)
    except RuntimeError:
        return
    control.update()


def loading_state(t: Translator) -> ft.Control:
    return ft.Container(
        ft.Column(
            [ft.ProgressRing(), ft.Text(t("state.loading"))],
            horizontal_alignment=ft.CrossAxisAlignment.CENTER,
        ),
        alignment=ft.Alignment.CENTER,
        padding=32,
    )


def error_state(message: str, t: Translator, on_retry: Callable[[], Awaitable[None]]) -> ft.Control:
    """The failure in words and a 重试 button that runs `on_retry`."""

    async def retry(_: ft.Event[ft.Button]) -> None:
        await on_retry()

    return ft.Semantics(
        identifier="error-state",
        content=ft.Container(
            ft.Column(
                [
                    ft.Icon(ft.Icons.CLOUD_OFF, size=40, color=ft.Colors.ERROR),
                    ft.Text(message, text_align=ft.TextAlign.CENTER),
                    ft.Button(t("state.retry"), icon=ft.Icons.REFRESH, on_click=retry),
                ],
                horizontal_alignment=ft.CrossAxisAlignment.CENTER,
            ),
            alignment=ft.Alignment.CENTER,
            padding=32,
        ),
    )


def not_found_state(t: Translator) -> ft.Control:
    """What a 404 shows: the object is gone or not the reader's to see, so instead of 重试 a way home."""

    def go_home(event: ft.Event[ft.Button]) -> None:
        event.page.navigate("/")

    return ft.Semantics(
        identifier="not-found-state",
        content=ft.Container(
            ft.Column(
                [
                    ft.Icon(ft.Icons.SEARCH_OFF, size=40, color=ft.Colors.OUTLINE),
                    ft.Text(t("state.gone"), text_align=ft.TextAlign.CENTER),
                    ft.FilledButton(t("state.go_home"), icon=ft.Icons.HOME, on_click=go_home),
                ],
                horizontal_alignment=ft.CrossAxisAlignment.CENTER,
            ),
            alignment=ft.Alignment.CENTER,
            padding=32,
        ),
    )


def failure_state(exc: BaseException, t: Translator, on_retry: Callable[[], Awaitable[None]]) -> ft.Control:
    """The state for a failed load: `not_found_state` for a 404, else `error_state` with 重试."""
    if isinstance(exc, NotFoundError):
        return not_found_state(t)
    return error_state(describe_error(exc, t), t, on_retry)


def empty_state(text: str) -> ft.Control:
    return ft.Container(
        ft.Column(
            [ft.Icon(ft.Icons.INBOX_OUTLINED, size=40, color=ft.Colors.OUTLINE), ft.Text(text)],
            horizontal_alignment=ft.CrossAxisAlignment.CENTER,
        ),
        alignment=ft.Alignment.CENTER,
        padding=32,
    )


def offline_note(fetched_at: dt.datetime | None, t: Translator) -> str:
    local = (fetched_at or dt.datetime.now(dt.UTC)).astimezone()
    return t("state.kept_offline", time=local.strftime("%m-%d %H:%M"))


def offline_banner(reading: Reading[Any], t: Translator) -> ft.Control:
    """ "离线 · 更新于 …" above what is shown from the device's copy; invisible for fresh data."""
    return ft.Container(
        ft.Row([ft.Icon(ft.Icons.CLOUD_OFF, size=18), ft.Text(offline_note(reading.fetched_at, t), expand=True)]),
        bgcolor=ft.Colors.TERTIARY_CONTAINER,
        padding=ft.Padding.symmetric(horizontal=12, vertical=8),
        border_radius=8,
        visible=reading.offline,
    )


def section_title(text: str) -> ft.Text:
    return ft.Text(text, theme_style=ft.TextThemeStyle.TITLE_MEDIUM, weight=ft.FontWeight.W_600)


class AsyncSection(ft.Container):
    """Shows loading, then the built content, an empty state, or `failure_state` (重试, or a way home on a 404)."""

    def __init__(
        self,
        t: Translator,
        load: Callable[[], Awaitable[Any]],
        build: Callable[[Any], ft.Control],
        is_empty: Callable[[Any], bool] = lambda data: not data,
        empty_text: str | None = None,
    ) -> None:
        super().__init__(content=loading_state(t))
        self._t = t
        self._load = load
        self._build = build
        self._is_empty = is_empty
        self._empty_text = empty_text or t("state.empty")

    async def reload(self) -> None:
        self.content = loading_state(self._t)
        update_if_shown(self)
        try:
            data = await self._load()
        except YiwangError as exc:
            self.content = failure_state(exc, self._t, self.reload)
        else:
            self.content = empty_state(self._empty_text) if self._is_empty(data) else self._build(data)
        update_if_shown(self)
