"""The app's entry: one `main(page)` per session, bound to the backend's URL."""

import logging
from collections.abc import Awaitable, Callable

import flet as ft
import httpx

from api_client import AsyncClient
from api_client.models import TokenPair
from app.account.service import AccountService
from app.account.session_settings import LANGUAGE_KEY, THEME_KEY, THEMES, apply_language
from app.articles.service import ArticleService
from app.context import AppContext
from app.credentials import CredentialStore, open_store
from app.departments import DepartmentDirectory
from app.device_cache import DeviceCache
from app.i18n import Language, Translator
from app.notifications.service import NotificationService
from app.shell.features import ROUTES
from app.shell.navigator import Navigator
from app.theme_fonts import apply_fonts

log = logging.getLogger("yiwang.app")


def _save_later(page: ft.Page, store: CredentialStore, tokens: TokenPair | None) -> None:
    """The client reports new tokens synchronously; the store writes them without blocking it."""
    page.run_task(store.save, tokens)


def _save_device_later(page: ft.Page, store: CredentialStore, device_token: str) -> None:
    page.run_task(store.save_device_token, device_token)


def create_main(
    api_url: str, transport: httpx.AsyncBaseTransport | None = None
) -> Callable[[ft.Page], Awaitable[None]]:
    """`transport` lets the API run in-process (tests, and mobile builds that cannot open a port)."""

    async def main(page: ft.Page) -> None:
        page.title = "一网通办"
        apply_fonts(page)
        preferences = ft.SharedPreferences()
        language: Language = "en" if await preferences.get(LANGUAGE_KEY) == "en" else "zh"
        page.theme_mode = THEMES.get(str(await preferences.get(THEME_KEY)), ft.ThemeMode.SYSTEM)
        apply_language(page, language)

        store = await open_store(page)
        api = AsyncClient(
            api_url,
            language=language,
            transport=transport,
            on_tokens=lambda tokens: _save_later(page, store, tokens),
            device_token=await store.load_device_token(),
            on_device_token=lambda token: _save_device_later(page, store, token),
        )
        cache = DeviceCache(preferences)
        ctx = AppContext(
            page,
            api,
            store,
            Translator(language),
            cache,
            DepartmentDirectory(api, cache),
            ArticleService(api, preferences, cache),
            preferences=preferences,
        )
        navigator = Navigator(ctx, ROUTES)
        page.on_route_change = navigator.route_changed
        page.on_resize = navigator.resized

        async def closed(_: ft.Event[ft.Page]) -> None:
            await api.aclose()

        page.on_close = closed
        navigator.show(page.route or "/")

        profile = await AccountService(api, store).restore()
        if profile is not None:
            ctx.profile = profile
            ctx.unread_messages = await NotificationService(api).count_quietly()
            navigator.rerender()

    return main
