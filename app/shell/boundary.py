"""The error boundary: one per screen, so that nothing a screen does can crash the session.

The navigator wraps every screen's body in an `ErrorBoundary` and runs the screen's `loads` inside it:
a load that raises (no network, a server error, a bug) replaces the screen's body by the error state
with 重试, which builds the screen again. Widgets that load parts of a screen (`AsyncSection`,
`PagedList`, `Form`) handle their own failures in place; the boundary catches what is left.

Event handlers that call the backend themselves go through `ctx.guard(handler)` (the boundary of the
screen being built): a failed call tells the citizen in a snack bar and leaves the screen as it was;
anything unexpected is logged and shown as the error state instead of "App crashed"::

    async def toggle(_: ft.Event[ft.IconButton]) -> None:
        await ctx.articles.toggle_bookmark(article)

    bookmark = icon_button(ft.Icons.BOOKMARK_BORDER, t("articles.bookmark"), on_click=ctx.guard(toggle))
"""

import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import flet as ft

from api_client import YiwangError
from app.i18n import Translator
from app.widgets.states import describe_error, failure_state, update_if_shown

log = logging.getLogger("yiwang.app")

EventT = TypeVar("EventT")


class ErrorBoundary(ft.Container):
    def __init__(self, t: Translator, notify: Callable[[str], None], rebuild: Callable[[], None]) -> None:
        super().__init__(expand=True)
        self._t = t
        self._tell = notify
        self._rebuild = rebuild

    async def run(self, load: Callable[[], Awaitable[Any]]) -> None:
        try:
            await load()
        except Exception as exc:
            self.fail(exc)

    def fail(self, exc: Exception) -> None:
        """The screen's body gives way to the error state; 重试 builds the screen again (a 404 leads home)."""

        async def retry() -> None:
            self._rebuild()

        self.content = failure_state(exc, self._t, retry)
        update_if_shown(self)

    def guard(self, handler: Callable[[EventT], Awaitable[None] | None]) -> Callable[[EventT], Awaitable[None]]:
        async def guarded(event: EventT) -> None:
            try:
                outcome = handler(event)
                if outcome is not None:
                    await outcome
            except YiwangError as exc:
                self._tell(describe_error(exc, self._t))
            except Exception as exc:
                self.fail(exc)

        return guarded
