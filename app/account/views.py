"""我的 and its sub-screens. Builders only: the rules live in `checks`, the calls in `service`."""

from collections.abc import Awaitable, Callable
from typing import Protocol

import flet as ft

from api_client.models import Profile, ProfileUpdate
from app.account import checks
from app.account.service import AccountService
from app.appeals.linking import offer_to_link
from app.context import AppContext
from app.i18n import Translator
from app.notifications.views import me_entries
from app.shell.screen import Screen
from app.widgets.choices import choice_group
from app.widgets.entries import entry_tile
from app.widgets.forms import Form
from app.workbench.appeals_views import supervision_entries


class SettingsApplier(Protocol):
    """Changes and remembers the language or the theme (`app.account.session_settings`)."""

    async def __call__(self, language: str | None = None, theme: str | None = None) -> None: ...


def _service(ctx: AppContext) -> AccountService:
    return AccountService(ctx.api, ctx.store)


async def _signed_in(ctx: AppContext, profile: Profile) -> None:
    ctx.profile = profile
    ctx.go("/me")
    await offer_to_link(ctx)  # this device's fast-channel appeals, if any, into the account


def me_screen(ctx: AppContext) -> Screen:
    t = ctx.t
    items: list[ft.Control] = []
    loads: list[Callable[[], Awaitable[None]]] = []
    if not ctx.store.remembers:
        items.append(
            ft.Container(
                ft.Row([ft.Icon(ft.Icons.INFO_OUTLINE), ft.Text(t("me.not_remembered"), expand=True)]),
                bgcolor=ft.Colors.SECONDARY_CONTAINER,
                padding=12,
                border_radius=8,
            )
        )
    if ctx.profile is None:
        items += [
            ft.Text(t("me.guest")),
            ft.Row(
                [
                    ft.FilledButton(t("me.login"), on_click=lambda _: ctx.go("/me/login")),
                    ft.OutlinedButton(t("me.register"), on_click=lambda _: ctx.go("/me/register")),
                ]
            ),
        ]
    else:
        items.append(_profile_card(ctx, ctx.profile))
        items.append(entry_tile(ctx.go, "/me/profile", ft.Icons.BADGE_OUTLINED, t("me.profile")))
        entries, count_unread = me_entries(ctx)
        items += entries
        items.append(
            entry_tile(ctx.go, "/me/appointments", ft.Icons.EVENT_AVAILABLE, t("visits.title"), "my-appointments")
        )
        items += supervision_entries(ctx)
        loads.append(count_unread)
    items.append(entry_tile(ctx.go, "/me/settings", ft.Icons.SETTINGS_OUTLINED, t("me.settings")))
    if ctx.profile is not None:

        async def logout(_: ft.Event[ft.ListTile]) -> None:
            await _service(ctx).logout()
            ctx.profile = None
            ctx.notify(t("me.logged_out"))
            ctx.rerender()

        items.append(
            ft.ListTile(leading=ft.Icon(ft.Icons.LOGOUT), title=ft.Text(t("me.logout")), on_click=ctx.guard(logout))
        )
    return Screen(t("me.title"), ft.ListView(items, spacing=8), loads=loads)


def _profile_card(ctx: AppContext, profile: Profile) -> ft.Control:
    role = ctx.t(f"me.role.{profile.role}")
    return ft.Card(
        ft.Container(
            ft.Row(
                [
                    ft.CircleAvatar(ft.Text(profile.name[:1]), radius=28),
                    ft.Column(
                        [
                            ft.Text(profile.name, theme_style=ft.TextThemeStyle.TITLE_LARGE),
                            ft.Text(f"{profile.phone} · {role}"),
                        ],
                        spacing=2,
                    ),
                ]
            ),
            padding=16,
        )
    )


def _phone_field(t: Translator, value: str = "") -> ft.TextField:
    return ft.TextField(
        label=t("form.phone"),
        value=value,
        keyboard_type=ft.KeyboardType.PHONE,
        max_length=11,
        input_filter=ft.NumbersOnlyInputFilter(),
    )


def login_screen(ctx: AppContext) -> Screen:
    t = ctx.t
    form = Form(
        ctx,
        {
            "phone": _phone_field(t),
            "password": ft.TextField(label=t("form.password"), password=True, can_reveal_password=True),
        },
        submit_label=t("form.submit_login"),
        identifier="login-submit",
        check=checks.login_errors,
        send=lambda v: _service(ctx).login(v["phone"], v["password"]),
        done=lambda profile: _signed_in(ctx, profile),
    )
    body = ft.ListView(
        [
            *form.fields.values(),
            form.button,
            ft.TextButton(t("form.no_account"), on_click=lambda _: ctx.go("/me/register")),
            ft.Text(t("form.demo_hint"), color=ft.Colors.OUTLINE),
        ],
        spacing=12,
    )
    return Screen(t("me.login"), body, back_route="/me")


def register_screen(ctx: AppContext) -> Screen:
    t = ctx.t
    form = Form(
        ctx,
        {
            "name": ft.TextField(label=t("form.name"), max_length=50),
            "phone": _phone_field(t),
            "password": ft.TextField(
                label=t("form.password"),
                password=True,
                can_reveal_password=True,
                helper=t("form.password_hint"),
            ),
        },
        submit_label=t("form.submit_register"),
        identifier="register-submit",
        check=checks.register_errors,
        send=lambda v: _service(ctx).register(v["phone"], v["password"], v["name"]),
        done=lambda profile: _signed_in(ctx, profile),
    )
    body = ft.ListView(
        [
            *form.fields.values(),
            form.button,
            ft.TextButton(t("form.have_account"), on_click=lambda _: ctx.go("/me/login")),
        ],
        spacing=12,
    )
    return Screen(t("me.register"), body, back_route="/me")


def _profile_change(values: dict[str, str]) -> ProfileUpdate:
    """The ID number is only sent when the citizen typed a new one (the field starts empty)."""
    return ProfileUpdate.model_validate(
        {
            "name": values["name"],
            "phone": values["phone"],
            "address": values["address"],
            "email": values["email"],
            **({"id_number": values["id_number"]} if values["id_number"] else {}),
        }
    )


def profile_screen(ctx: AppContext) -> Screen:
    t = ctx.t
    profile = ctx.profile
    if profile is None:
        return login_screen(ctx)
    id_hint = t("form.id_number_hint", masked=profile.id_number_masked) if profile.id_number_masked else None

    def saved(updated: Profile) -> None:
        ctx.profile = updated
        ctx.notify(t("form.saved"))
        ctx.rerender()

    form = Form(
        ctx,
        {
            "name": ft.TextField(label=t("form.name"), value=profile.name, max_length=50),
            "phone": _phone_field(t, profile.phone),
            "id_number": ft.TextField(label=t("form.id_number"), helper=id_hint, max_length=18),
            "address": ft.TextField(label=t("form.address"), value=profile.address or "", max_length=200),
            "email": ft.TextField(
                label=t("form.email"), value=profile.email or "", keyboard_type=ft.KeyboardType.EMAIL
            ),
        },
        submit_label=t("form.save"),
        identifier="profile-save",
        check=checks.profile_errors,
        send=lambda v: _service(ctx).update_profile(_profile_change(v)),
        done=saved,
    )
    return Screen(t("me.profile"), ft.ListView([*form.fields.values(), form.button], spacing=12), back_route="/me")


def settings_screen(ctx: AppContext, apply_settings: SettingsApplier) -> Screen:
    t = ctx.t

    async def language_changed(e: ft.Event[ft.RadioGroup]) -> None:
        await apply_settings(language=e.control.value)

    async def theme_changed(e: ft.Event[ft.RadioGroup]) -> None:
        await apply_settings(theme=e.control.value)

    language = choice_group(
        t("settings.language"),
        ft.RadioGroup(
            ft.Row([ft.Radio(value="zh", label="中文"), ft.Radio(value="en", label="English")]),
            value=t.language,
            on_change=language_changed,
        ),
    )
    current_theme = {ft.ThemeMode.LIGHT: "light", ft.ThemeMode.DARK: "dark"}.get(
        ctx.page.theme_mode or ft.ThemeMode.SYSTEM, "system"
    )
    theme = choice_group(
        t("settings.theme"),
        ft.RadioGroup(
            ft.Row(
                [
                    ft.Radio(value="system", label=t("settings.theme.system")),
                    ft.Radio(value="light", label=t("settings.theme.light")),
                    ft.Radio(value="dark", label=t("settings.theme.dark")),
                ],
                wrap=True,
            ),
            value=current_theme,
            on_change=theme_changed,
        ),
    )
    body = ft.ListView(
        [
            ft.Text(t("settings.language"), weight=ft.FontWeight.BOLD),
            language,
            ft.Divider(),
            ft.Text(t("settings.theme"), weight=ft.FontWeight.BOLD),
            theme,
        ],
        spacing=8,
    )
    return Screen(t("me.settings"), body, back_route="/me")
