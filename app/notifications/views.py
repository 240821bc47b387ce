"""消息: what happened to the citizen's cases, newest first; opening one marks it read and goes to the case."""

from collections.abc import Awaitable, Callable

import flet as ft

from api_client.models import Notification, NotificationPage
from app.applications.presenting import local_time
from app.context import AppContext
from app.device_cache import Reading
from app.notifications.badge import badge_text, show_unread
from app.notifications.service import NotificationService
from app.shell.screen import Screen
from app.widgets.buttons import icon_button
from app.widgets.entries import entry_tile
from app.widgets.paged_list import PagedList
from app.widgets.states import update_if_shown


def notification_tile(ctx: AppContext, service: NotificationService, note: Notification) -> ft.Control:
    t = ctx.t
    title = ft.Text(note.title, weight=ft.FontWeight.W_400 if note.read else ft.FontWeight.W_700)
    dot = ft.Icon(
        ft.Icons.CIRCLE, size=10, color=ft.Colors.PRIMARY, visible=not note.read, semantics_label=t("messages.unread")
    )

    async def opened(_: ft.Event[ft.ListTile]) -> None:
        if not note.read:
            await service.mark_read(note.id)
            note.read = True
            dot.visible = False
            title.weight = ft.FontWeight.W_400
            show_unread(ctx, max(0, ctx.unread_messages - 1))
            update_if_shown(tile)
        if note.link:
            ctx.go(note.link)

    tile = ft.Semantics(
        identifier=f"message-{note.id}",
        content=ft.ListTile(
            leading=dot,
            title=title,
            subtitle=ft.Column([ft.Text(note.body), ft.Text(local_time(note.created_at), size=12)], spacing=2),
            on_click=ctx.guard(opened),
        ),
    )
    return tile


def messages_screen(ctx: AppContext) -> Screen:
    t = ctx.t
    if ctx.profile is None:
        body = ft.Column(
            [ft.Text(t("me.guest")), ft.FilledButton(t("me.login"), on_click=lambda _: ctx.go("/me/login"))]
        )
        return Screen(t("messages.title"), body, back_route="/me")
    service = NotificationService(ctx.api)

    async def load_page(cursor: str | None) -> Reading[NotificationPage]:
        page = await service.inbox(cursor)
        show_unread(ctx, page.unread_count)
        return Reading(page)

    inbox: PagedList[Notification] = PagedList(
        t, load_page, lambda note: notification_tile(ctx, service, note), empty_text=t("messages.none")
    )

    async def all_read(_: ft.Event[ft.IconButton]) -> None:
        await service.mark_all_read()
        await inbox.reload()

    actions: list[ft.Control] = [icon_button(ft.Icons.DONE_ALL, t("messages.all_read"), on_click=ctx.guard(all_read))]
    return Screen(t("messages.title"), inbox, loads=[inbox.reload], actions=actions, back_route="/me")


def me_entries(ctx: AppContext) -> tuple[list[ft.Control], Callable[[], Awaitable[None]]]:
    """我的办件 and 消息 on 我的, and the load that counts the unread messages for their badges."""
    t = ctx.t
    icon = ft.Icon(ft.Icons.MAIL_OUTLINE, badge=badge_text(ctx.unread_messages))
    unread = ft.Text(t("messages.unread_count", count=ctx.unread_messages), visible=ctx.unread_messages > 0)

    async def count() -> None:
        total = await NotificationService(ctx.api).unread_count()
        show_unread(ctx, total)
        icon.badge = badge_text(total)
        unread.value = t("messages.unread_count", count=total)
        unread.visible = total > 0
        update_if_shown(icon)
        update_if_shown(unread)

    entries: list[ft.Control] = [
        entry_tile(
            ctx.go, "/applications", ft.Icons.ASSIGNMENT_TURNED_IN_OUTLINED, t("applications.mine"), "my-applications"
        ),
        entry_tile(ctx.go, "/appeals", ft.Icons.FORUM_OUTLINED, t("following.mine"), "my-appeals"),
        entry_tile(ctx.go, "/me/messages", icon, t("messages.title"), "my-messages", subtitle=unread),
    ]
    return entries, count
