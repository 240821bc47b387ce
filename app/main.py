"""The app's entry: one `main(page)` per session, bound to the backend's URL."""

import logging
from collections.abc import Awaitable, Callable
from functools import partial

import flet as ft
import httpx

from api_client import AsyncClient
from api_client.models import TokenPair
from app.account.service import AccountService
from app.account.views import login_screen, me_screen, profile_screen, register_screen, settings_screen
from app.appeals.views import interaction_screen
from app.articles.service import ArticleService
from app.articles.views import (
    article_screen,
    bookmarks_screen,
    disclosure_screen,
    search_screen,
    topics_screen,
)
from app.context import AppContext
from app.credentials import CredentialStore, open_store
from app.departments import DepartmentDirectory
from app.device_cache import DeviceCache
from app.home.views import home_screen
from app.i18n import Language, Translator
from app.service_items.views import services_screen
from app.shell.navigator import Navigator, ScreenBuilder
from app.theme_fonts import apply_fonts

log = logging.getLogger("yiwang.app")

LANGUAGE_KEY = "yiwang.language"
THEME_KEY = "yiwang.theme"
THEMES = {"system": ft.ThemeMode.SYSTEM, "light": ft.ThemeMode.LIGHT, "dark": ft.ThemeMode.DARK}
LOCALES = {"zh": ft.Locale("zh", "CN", script_code="Hans"), "en": ft.Locale("en", "US")}


def _apply_language(page: ft.Page, language: Language) -> None:
    page.locale_configuration = ft.LocaleConfiguration(
        supported_locales=list(LOCALES.values()), current_locale=LOCALES[language]
    )


class SessionSettings:
    """Applies a language or theme change to this session and remembers it on the device."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    async def __call__(self, language: str | None = None, theme: str | None = None) -> None:
        page = self.ctx.page
        if language in LOCALES:
            lang: Language = "en" if language == "en" else "zh"
            self.ctx.t.language = lang
            self.ctx.api.language = lang
            _apply_language(page, lang)
            await self.ctx.preferences.set(LANGUAGE_KEY, lang)
        if theme in THEMES:
            page.theme_mode = THEMES[theme]
            await self.ctx.preferences.set(THEME_KEY, theme)
        self.ctx.rerender()


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
        _apply_language(page, language)

        store = await open_store(page)
        api = AsyncClient(
            api_url,
            language=language,
            transport=transport,
            on_tokens=lambda tokens: _save_later(page, store, tokens),
            device_token=await store.load_device_token(),
            on_device_token=lambda token: _save_device_later(page, store, token),
        )
        articles = ArticleService(api, preferences, DeviceCache(preferences))
        ctx = AppContext(
            page, api, store, Translator(language), DepartmentDirectory(api), articles, preferences=preferences
        )
        settings = SessionSettings(ctx)
        builders: dict[str, ScreenBuilder] = {
            "home": home_screen,
            "disclosure": disclosure_screen,
            "search": search_screen,
            "article": article_screen,
            "bookmarks": bookmarks_screen,
            "topics": topics_screen,
            "services": services_screen,
            "interaction": interaction_screen,
            "me": me_screen,
            "login": login_screen,
            "register": register_screen,
            "profile": profile_screen,
            "settings": partial(settings_screen, apply_settings=settings),
        }
        navigator = Navigator(ctx, builders)
        page.on_route_change = navigator.route_changed
        page.on_resize = navigator.resized

        async def closed(_: ft.Event[ft.Page]) -> None:
            await api.aclose()

        page.on_close = closed
        navigator.show(page.route or "/")

        profile = await AccountService(api, store).restore()
        if profile is not None:
            ctx.profile = profile
            navigator.rerender()

    return main
