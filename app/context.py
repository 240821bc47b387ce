"""What one app session (one browser tab or window) carries: its page, API client, store and language."""

from collections.abc import Callable
from dataclasses import dataclass, field

import flet as ft

from api_client import AsyncClient
from api_client.models import Profile
from app.articles.service import ArticleService
from app.credentials import CredentialStore
from app.departments import DepartmentDirectory
from app.i18n import Translator
from app.shell.routes import RouteMatch, match


@dataclass
class AppContext:
    page: ft.Page
    api: AsyncClient
    store: CredentialStore
    t: Translator
    departments: DepartmentDirectory
    articles: ArticleService
    profile: Profile | None = None
    route: RouteMatch = field(default_factory=lambda: match("/"))
    """The route being shown, with its parameters; set by the navigator before a screen is built."""
    preferences: ft.SharedPreferences = field(default_factory=ft.SharedPreferences)
    rerender: Callable[[], None] = lambda: None
    """Rebuilds the current screen (after a language change or a log-in); set by the shell."""

    def go(self, route: str) -> None:
        """Navigate from a sync event handler; the browser history gets the route too."""
        self.page.navigate(route)

    def notify(self, message: str) -> None:
        self.page.show_dialog(ft.SnackBar(ft.Text(message), show_close_icon=True))
