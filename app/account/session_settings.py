"""The citizen's language and theme: applied to the session and remembered on the device."""

import flet as ft

from app.context import AppContext
from app.i18n import Language

LANGUAGE_KEY = "yiwang.language"
THEME_KEY = "yiwang.theme"
THEMES = {"system": ft.ThemeMode.SYSTEM, "light": ft.ThemeMode.LIGHT, "dark": ft.ThemeMode.DARK}
LOCALES = {"zh": ft.Locale("zh", "CN", script_code="Hans"), "en": ft.Locale("en", "US")}


def apply_language(page: ft.Page, language: Language) -> None:
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
            apply_language(page, lang)
            await self.ctx.preferences.set(LANGUAGE_KEY, lang)
        if theme in THEMES:
            page.theme_mode = THEMES[theme]
            await self.ctx.preferences.set(THEME_KEY, theme)
        self.ctx.rerender()
