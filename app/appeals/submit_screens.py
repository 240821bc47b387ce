"""Sending an appeal: the form of one type (`/interaction/new/<type>`) and the receipt (`/interaction/submitted/<n>`)
with the number, the due date and, for the fast channel, the credentials with 复制, the store's word on keeping
them and a QR code. The receipt reads the appeal again (fast-channel ones with the credentials kept on this
device), so leaving it and coming back shows the same."""

import flet as ft

from api_client.models import AppealReceipt, FastChannelCredentials
from app.appeals.compose import AppealForm, draft_title
from app.appeals.composing import TYPE_SLUGS, credentials_text, draft_key, qr_png
from app.appeals.following import attached_files
from app.appeals.service import AppealService
from app.context import AppContext
from app.service_items.drafts import Draft, DraftStore
from app.shell.not_found import not_found_screen
from app.shell.screen import Screen
from app.widgets.states import AsyncSection, section_title

QR_SIZE = 220


def receipt_route(number: str) -> str:
    return f"/interaction/submitted/{number}"


def compose_screen(ctx: AppContext) -> Screen:
    appeal_type = TYPE_SLUGS.get(ctx.route.params["type"])
    if appeal_type is None:
        return not_found_screen(ctx)
    t = ctx.t
    drafts = DraftStore(ctx.preferences, Draft)
    service = AppealService(ctx.api, ctx.store)

    def submitted(receipt: AppealReceipt) -> None:
        ctx.go(receipt_route(receipt.appeal.number))

    async def load() -> AppealForm:
        departments = await ctx.departments.all()
        key = draft_key(appeal_type)
        draft = await drafts.load(key) or Draft(item_code=key)
        form = AppealForm(ctx, appeal_type, departments, draft, drafts, service, submitted)
        await drafts.save(draft)
        return form

    def build(form: AppealForm) -> ft.Control:
        """The submit button stays in view under the scrolling form."""
        fields = ft.ListView(form.controls(), spacing=12, expand=True)
        return ft.Column([fields, ft.Container(form.form.button, padding=ft.Padding.only(top=8))], expand=True)

    section = AsyncSection(t, load=load, build=build)
    section.expand = True
    return Screen(draft_title(ctx, appeal_type), section, loads=[section.reload], back_route="/interaction")


def _credentials_card(ctx: AppContext, number: str, credentials: FastChannelCredentials) -> ft.Control:
    """Plain texts, not selectable ones: Flutter web leaves selectable text out of what a screen reader reads."""
    t = ctx.t
    text = credentials_text(number, credentials)
    clipboard = ft.Clipboard()  # a service: held by the handler below for as long as the card is shown

    async def copy(_: ft.Event[ft.Button]) -> None:
        await clipboard.set(text)
        ctx.notify(t("receipt.copied"))

    kept = ctx.store.remembers
    return ft.Container(
        ft.Column(
            [
                section_title(t("receipt.credentials")),
                ft.Text(t("receipt.username", value=credentials.username), size=18),
                ft.Text(t("receipt.password", value=credentials.password), size=18),
                ft.Text(t("receipt.only_key"), color=ft.Colors.ERROR),
                ft.Semantics(
                    identifier="copy-credentials",
                    content=ft.FilledTonalButton(t("receipt.copy"), icon=ft.Icons.COPY, on_click=ctx.guard(copy)),
                ),
                ft.ListTile(
                    leading=ft.Icon(
                        ft.Icons.CHECK_CIRCLE if kept else ft.Icons.WARNING_AMBER,
                        color=ft.Colors.PRIMARY if kept else ft.Colors.ERROR,
                    ),
                    title=ft.Text(t("receipt.save_local")),
                    subtitle=ft.Text(t("receipt.saved") if kept else t("receipt.not_saved")),
                ),
                ft.Image(
                    src=qr_png(text),
                    width=QR_SIZE,
                    height=QR_SIZE,
                    semantics_label=t("receipt.qr"),
                ),
                ft.Text(t("receipt.qr"), size=12),
            ],
            spacing=8,
            horizontal_alignment=ft.CrossAxisAlignment.START,
        ),
        padding=12,
        border_radius=8,
        bgcolor=ft.Colors.SECONDARY_CONTAINER,
    )


def _receipt_view(ctx: AppContext, receipt: AppealReceipt) -> ft.Control:
    t = ctx.t
    appeal = receipt.appeal
    deadline = appeal.deadline
    follow = "/appeals" if receipt.credentials is None else "/appeals/lookup"
    return ft.Column(
        [
            ft.Row([ft.Icon(ft.Icons.TASK_ALT, color=ft.Colors.PRIMARY, size=32), section_title(t("receipt.screen"))]),
            ft.Text(t("receipt.number", number=appeal.number), weight=ft.FontWeight.W_600),
            ft.Text(appeal.title),
            ft.Text(t("receipt.department", name=appeal.department.name)),
            ft.Text(t("receipt.due", due=deadline.due_on.isoformat(), days=deadline.days)),
            *attached_files(appeal, t),
            *([_credentials_card(ctx, appeal.number, receipt.credentials)] if receipt.credentials else []),
            ft.Row(
                [
                    ft.FilledButton(
                        t("receipt.mine") if receipt.credentials is None else t("receipt.lookup"),
                        on_click=lambda _: ctx.go(follow),
                    ),
                    ft.TextButton(t("receipt.back"), on_click=lambda _: ctx.go("/interaction")),
                ],
                wrap=True,
            ),
        ],
        spacing=10,
    )


def receipt_screen(ctx: AppContext) -> Screen:
    number = ctx.route.params["number"]
    service = AppealService(ctx.api, ctx.store)
    section = AsyncSection(ctx.t, load=lambda: service.receipt(number), build=lambda r: _receipt_view(ctx, r))
    return Screen(ctx.t("receipt.screen"), ft.ListView([section]), loads=[section.reload], back_route="/interaction")
