"""Widgets every feature uses: loading, error-with-retry and empty states, and async sections."""

import logging
from collections.abc import Awaitable, Callable
from typing import Any

import flet as ft

from api_client import APIConnectionError, APIStatusError, YiwangError
from app.i18n import Translator

log = logging.getLogger("yiwang.app")


def describe_error(exc: Exception, t: Translator) -> str:
    """A message a citizen can act on: the server's own words for API errors, ours for the network."""
    if isinstance(exc, APIStatusError):
        return exc.message
    if isinstance(exc, APIConnectionError):
        return t("state.offline")
    log.exception("unexpected error in the app", exc_info=exc)
    return t("state.offline")


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
    async def retry(_: ft.Event[ft.Button]) -> None:
        await on_retry()

    return ft.Container(
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
    )


def empty_state(text: str) -> ft.Control:
    return ft.Container(
        ft.Column(
            [ft.Icon(ft.Icons.INBOX_OUTLINED, size=40, color=ft.Colors.OUTLINE), ft.Text(text)],
            horizontal_alignment=ft.CrossAxisAlignment.CENTER,
        ),
        alignment=ft.Alignment.CENTER,
        padding=32,
    )


class AsyncSection(ft.Container):
    """Shows loading, then the built content, an empty state or an error with a retry button."""

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
            self.content = error_state(describe_error(exc, self._t), self._t, self.reload)
        else:
            self.content = empty_state(self._empty_text) if self._is_empty(data) else self._build(data)
        update_if_shown(self)


def section_title(text: str) -> ft.Text:
    return ft.Text(text, theme_style=ft.TextThemeStyle.TITLE_MEDIUM, weight=ft.FontWeight.W_600)


class FormFields:
    """Named text fields whose values survive failed submissions and show errors under each field."""

    def __init__(self, fields: dict[str, ft.TextField]) -> None:
        self.fields = fields

    def values(self) -> dict[str, str]:
        return {name: field.value or "" for name, field in self.fields.items()}

    def show_errors(self, messages: dict[str, str]) -> None:
        for name, field in self.fields.items():
            field.error = messages.get(name)

    def column(self) -> list[ft.Control]:
        return list(self.fields.values())
