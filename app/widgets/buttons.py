"""Icon buttons that a screen reader can name.

Flutter web puts an `IconButton`'s tooltip on a wrapper node, leaving the button itself nameless; the
icon's semantics label is merged into the button, so the name goes there (the tooltip stays for the
mouse). Use `icon_button` for every icon-only button and `relabel` when its meaning flips::

    bookmark = icon_button(ft.Icons.BOOKMARK_BORDER, t("articles.bookmark"), on_click=toggle)
    relabel(bookmark, ft.Icons.BOOKMARK, t("articles.unbookmark"))
"""

from collections.abc import Awaitable, Callable
from typing import Any

import flet as ft


def icon_button(
    icon: ft.IconData,
    label: str,
    on_click: Callable[[ft.Event[ft.IconButton]], Awaitable[None] | None] | None = None,
    **options: Any,
) -> ft.IconButton:
    return ft.IconButton(icon=ft.Icon(icon, semantics_label=label), tooltip=label, on_click=on_click, **options)


def relabel(button: ft.IconButton, icon: ft.IconData, label: str) -> None:
    button.icon = ft.Icon(icon, semantics_label=label)
    button.tooltip = label
