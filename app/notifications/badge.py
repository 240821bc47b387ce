"""The unread count on 我的: kept in the session's context for the next frame, and painted on the one shown."""

import flet as ft

from app.context import AppContext
from app.shell.routes import DESTINATIONS
from app.widgets.states import update_if_shown

ME = next(i for i, d in enumerate(DESTINATIONS) if d.route == "/me")


def badge_text(count: int) -> str | None:
    if count <= 0:
        return None
    return "99+" if count > 99 else str(count)


def show_unread(ctx: AppContext, count: int) -> None:
    ctx.unread_messages = count
    if not ctx.page.views:
        return
    view = ctx.page.views[-1]
    bars: list[ft.NavigationBar | ft.NavigationRail] = []
    if isinstance(view.navigation_bar, ft.NavigationBar):
        bars.append(view.navigation_bar)
    bars += [
        c for row in view.controls if isinstance(row, ft.Row) for c in row.controls if isinstance(c, ft.NavigationRail)
    ]
    for bar in bars:
        icon = bar.destinations[ME].icon
        if isinstance(icon, ft.Icon):
            icon.badge = badge_text(count)
            update_if_shown(icon)
