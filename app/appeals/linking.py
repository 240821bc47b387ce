"""After a log-in or a registration: when this device keeps fast-channel appeals, offer once to link them to the
account, so that they appear in 我的诉求 (and are opened by the account, not by the stored credentials)."""

import flet as ft

from api_client import YiwangError
from app.appeals.service import AppealService
from app.context import AppContext
from app.widgets.states import describe_error


async def offer_to_link(ctx: AppContext) -> None:
    t = ctx.t
    service = AppealService(ctx.api, ctx.store)
    cases = await service.fast_channel_cases()
    if not cases:
        return

    async def link(_: ft.Event[ft.Button]) -> None:
        ctx.page.pop_dialog()
        try:
            result = await service.link_to_account()
        except YiwangError as exc:
            ctx.notify(describe_error(exc, t))
            return
        ctx.notify(t("following.linked", count=len(result.linked)))
        ctx.go("/appeals")

    ctx.page.show_dialog(
        ft.AlertDialog(
            modal=True,
            title=ft.Text(t("following.link_title")),
            content=ft.Text(t("following.link_body", count=len(cases))),
            actions=[
                ft.TextButton(t("following.link_later"), on_click=lambda _: ctx.page.pop_dialog()),
                ft.Semantics(
                    identifier="link-fast-channel",
                    content=ft.FilledButton(t("following.link"), on_click=link),
                ),
            ],
        )
    )
