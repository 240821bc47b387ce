"""The responsive frame: a bottom navigation bar on phones, a navigation rail on wider windows."""

from collections.abc import Callable, Mapping

import flet as ft

from app.i18n import Translator
from app.shell.boundary import ErrorBoundary
from app.shell.routes import DESTINATIONS, RouteMatch, is_compact
from app.shell.screen import Screen
from app.widgets.buttons import icon_button


def _icon(route: str, icon: ft.IconData, badges: Mapping[str, str]) -> ft.Icon:
    """A destination's icon, with its badge (the unread count on 我的) when there is one."""
    return ft.Icon(icon, badge=badges.get(route))


def navigation_bar(
    t: Translator, selected: int, on_select: Callable[[int], None], badges: Mapping[str, str] | None = None
) -> ft.NavigationBar:
    return ft.NavigationBar(
        destinations=[
            ft.NavigationBarDestination(
                icon=_icon(d.route, d.icon, badges or {}), selected_icon=d.selected_icon, label=t(d.label_key)
            )
            for d in DESTINATIONS
        ],
        selected_index=selected,
        on_change=lambda e: on_select(int(e.control.selected_index)),
    )


def navigation_rail(
    t: Translator, selected: int, on_select: Callable[[int], None], badges: Mapping[str, str] | None = None
) -> ft.NavigationRail:
    return ft.NavigationRail(
        destinations=[
            ft.NavigationRailDestination(
                icon=_icon(d.route, d.icon, badges or {}), selected_icon=d.selected_icon, label=t(d.label_key)
            )
            for d in DESTINATIONS
        ],
        selected_index=selected,
        label_type=ft.NavigationRailLabelType.ALL,
        min_width=88,
        on_change=lambda e: on_select(int(e.control.selected_index or 0)),
    )


def frame(
    screen: Screen,
    boundary: ErrorBoundary,
    match: RouteMatch,
    width: float | None,
    t: Translator,
    go: Callable[[str], None],
    badges: Mapping[str, str] | None = None,
) -> ft.View:
    """One view for the route: app bar, the body inside its error boundary, and navigation placed for
    the window's width."""

    def select(index: int) -> None:
        go(DESTINATIONS[index].route)

    back = None
    if screen.back_route is not None:
        back_route = screen.back_route
        back = icon_button(ft.Icons.ARROW_BACK, t("common.back"), on_click=lambda _: go(back_route))
    appbar = ft.AppBar(
        title=ft.Text(screen.title), leading=back, automatically_imply_leading=False, actions=screen.actions
    )
    body = ft.Container(boundary, expand=True, padding=ft.Padding.symmetric(horizontal=16, vertical=8))
    if is_compact(width):
        return ft.View(
            route=match.route,
            appbar=appbar,
            controls=[body],
            navigation_bar=navigation_bar(t, match.destination, select, badges),
            padding=0,
        )
    return ft.View(
        route=match.route,
        appbar=appbar,
        controls=[
            ft.Row(
                [navigation_rail(t, match.destination, select, badges), ft.VerticalDivider(width=1), body],
                expand=True,
                vertical_alignment=ft.CrossAxisAlignment.STRETCH,
            )
        ],
        padding=0,
    )
