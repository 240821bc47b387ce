"""The search field above a list (政务公开, 网上办事, 公开信箱): Enter hands the trimmed words on.

field = search_field(t("services.search"), t("services.search_hint"), query, on_search=lambda q: ...)
header = [full_width(field)]
"""

from collections.abc import Callable

import flet as ft


def search_field(
    label: str, hint: str, value: str, on_search: Callable[[str], None], autofocus: bool = False
) -> ft.TextField:
    async def submit(event: ft.Event[ft.TextField]) -> None:
        on_search((event.control.value or "").strip())

    return ft.TextField(
        value=value,
        label=label,
        hint_text=hint,
        prefix_icon=ft.Icons.SEARCH,
        autofocus=autofocus,
        max_length=100,
        counter="",
        on_submit=submit,
        dense=True,
        expand=True,
    )


def full_width(field: ft.Control) -> ft.Control:
    """The field across the screen, with room above it for its floating label (a list clips at its top)."""
    return ft.Container(ft.Row([field]), padding=ft.Padding.only(top=8))
