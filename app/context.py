"""What one app session (one browser tab or window) carries: its page, API client, store and language."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TypeVar

import flet as ft

from api_client import AsyncClient
from api_client.models import Profile
from app.articles.service import ArticleService
from app.credentials import CredentialStore
from app.departments import DepartmentDirectory
from app.device_cache import DeviceCache
from app.i18n import Translator
from app.shell.boundary import ErrorBoundary
from app.shell.routes import RouteMatch

EventT = TypeVar("EventT")


@dataclass
class AppContext:
    page: ft.Page
    api: AsyncClient
    store: CredentialStore
    t: Translator
    cache: DeviceCache
    """Reads kept on the device for offline use (`cache.read(api, key, op, model)`)."""
    departments: DepartmentDirectory
    articles: ArticleService
    profile: Profile | None = None
    route: RouteMatch = field(default_factory=lambda: RouteMatch("/", "/", 0))
    """The route being shown, with its parameters; set by the navigator before a screen is built."""
    boundary: ErrorBoundary | None = None
    """The error boundary of the screen being built; set by the navigator."""
    preferences: ft.SharedPreferences = field(default_factory=ft.SharedPreferences)
    unread_messages: int = 0
    """消息 not yet read, as last counted: the badge on 我的 (`app.notifications.badge`)."""
    rerender: Callable[[], None] = lambda: None
    """Rebuilds the current screen (after a language change or a log-in); set by the shell."""

    def go(self, route: str) -> None:
        """Navigate from a sync event handler; the browser history gets the route too."""
        self.page.navigate(route)

    def notify(self, message: str) -> None:
        """A snack bar. The page is updated too: showing a dialog counts as the handler's update, so
        whatever else the handler changed would otherwise wait for the next event to reach the screen."""
        self.page.show_dialog(ft.SnackBar(ft.Text(message), show_close_icon=True))
        self.page.update()

    def guard(self, handler: Callable[[EventT], Awaitable[None] | None]) -> Callable[[EventT], Awaitable[None]]:
        """`handler` run inside the error boundary of the screen being built (see `app.shell.boundary`)."""
        if self.boundary is None:
            raise RuntimeError("guard() is for screen builders; the navigator sets the boundary first")
        return self.boundary.guard(handler)
