"""The app's entry: one `main(page)` per session, bound to the backend's URL."""

import asyncio
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
        # Each read is a round trip to the device: the first screen waits for one, not three in a row.
        saved_language, saved_theme, store = await asyncio.gather(
            preferences.get(LANGUAGE_KEY), preferences.get(THEME_KEY), open_store(page)
        )
        language: Language = "en" if saved_language == "en" else "zh"
        page.theme_mode = THEMES.get(str(saved_theme), ft.ThemeMode.SYSTEM)
        apply_language(page, language)

        api = AsyncClient(
            api_url,
            language=language,
            transport=transport,
            on_tokens=lambda tokens: _save_later(page, store, tokens),
            device_token=None,  # read from the store after the first screen is up (below)
            on_device_token=lambda token: _save_device_later(page, store, token),
            forwarded_for=page.client_ip if page.web else None,
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

        device_token, profile = await asyncio.gather(store.load_device_token(), AccountService(api, store).restore())
        if api.device_token is None:  # unless the server has just handed out a newer one
            api.device_token = device_token
        if profile is not None:
            ctx.profile = profile
            ctx.unread_messages = await NotificationService(api).count_quietly()
            navigator.rerender()

    return main
