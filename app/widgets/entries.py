"""Rows that open another screen, as on 我的 (个人资料, 我的办件, 消息, 预约, 督办, 设置): an icon, a title, maybe a
line under it, and a chevron. With an `identifier` the row gets a Semantics handle for the browser tests::

    entry_tile(ctx.go, "/applications", ft.Icons.ASSIGNMENT_TURNED_IN_OUTLINED, t("applications.mine"), "my-applications")
"""

from collections.abc import Callable

import flet as ft


def entry_tile(
    go: Callable[[str], None],
    route: str,
    icon: ft.IconData | ft.Icon,
    title: str,
    identifier: str | None = None,
    subtitle: ft.Control | None = None,
) -> ft.Control:
    tile = ft.ListTile(
        leading=icon if isinstance(icon, ft.Icon) else ft.Icon(icon),
        title=ft.Text(title),
        subtitle=subtitle,
        trailing=ft.Icon(ft.Icons.CHEVRON_RIGHT),
        on_click=lambda _: go(route),
    )
    return ft.Semantics(identifier=identifier, content=tile) if identifier else tile
