"""What an address that matches no route shows: it says so and leads home, under the same address."""

import flet as ft

from app.context import AppContext
from app.shell.screen import Screen


def not_found_screen(ctx: AppContext) -> Screen:
    t = ctx.t
    body = ft.Container(
        ft.Column(
            [
                ft.Icon(ft.Icons.TRAVEL_EXPLORE, size=48, color=ft.Colors.OUTLINE),
                ft.Text(t("state.not_found"), theme_style=ft.TextThemeStyle.TITLE_LARGE),
                ft.Text(t("state.not_found_detail"), text_align=ft.TextAlign.CENTER),
                ft.FilledButton(t("state.go_home"), icon=ft.Icons.HOME, on_click=lambda _: ctx.go("/")),
            ],
            horizontal_alignment=ft.CrossAxisAlignment.CENTER,
            spacing=12,
        ),
        alignment=ft.Alignment.TOP_CENTER,
        padding=ft.Padding.only(top=48, left=16, right=16),
    )
    return Screen(t("state.not_found"), body)
