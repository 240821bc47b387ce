"""我的诉求 and following an appeal: the account's appeals and this device's fast-channel appeals (each opened by
its stored credentials), one appeal with its timeline and the citizen's actions (补充, 评价, 申请重办), and 进度查询
by credentials typed on another device, with the offer to keep them here."""

import os
from collections.abc import Awaitable, Callable
from typing import cast, get_args

import flet as ft

from api_client import NotFoundError, RateLimitError
from api_client.models import AppealDetail, AppealSummary, AttachmentInfo, FastChannelCredentials, Page, Satisfaction
from app.appeals.presenting import appeal_tile, kind_text, status_row, timeline
from app.appeals.service import (
    AccountAppeal,
    AppealService,
    CredentialAppeal,
    OpenedAppeal,
    wait_minutes,
)
from app.applications.presenting import local_time
from app.context import AppContext
from app.credentials import FastChannelCase
from app.device_cache import Reading
from app.i18n import Translator
from app.shell.screen import Screen
from app.widgets.attached_files import ShownFile, attached_file_rows
from app.widgets.choices import choice_group
from app.widgets.forms import FieldErrors, Form, required
from app.widgets.paged_list import PagedList
from app.widgets.states import AsyncSection, describe_error, section_title, update_if_shown

SATISFACTIONS: tuple[Satisfaction, ...] = get_args(Satisfaction)
FOLLOW_UP_MAX = 2000
COMMENT_MAX = 500
REASON_MIN, REASON_MAX = 2, 200


def _service(ctx: AppContext) -> AppealService:
    return AppealService(ctx.api, ctx.store)


def device_route(number: str) -> str:
    return f"/appeals/device/{number}"


def _kept_section(ctx: AppContext) -> AsyncSection:
    """本机快速通道诉求: each kept case opened by its credentials; one that fails still shows its title."""
    t = ctx.t

    def opener(number: str) -> Callable[[], None]:
        return lambda: ctx.go(device_route(number))

    def row(case: FastChannelCase, result: AppealDetail | Exception) -> ft.Control:
        if isinstance(result, AppealDetail):
            return appeal_tile(result, t, opener(case.number))
        return ft.ListTile(
            title=ft.Text(case.title),
            subtitle=ft.Text(f"{case.number} · {describe_error(result, t)}", color=ft.Colors.ERROR),
            on_click=lambda _: ctx.go(device_route(case.number)),
        )

    def build(opened: list[tuple[FastChannelCase, AppealDetail | Exception]]) -> ft.Control:
        if not opened:  # one quiet line: most devices keep none, and the account's list follows
            return ft.Text(t("following.device_none"), color=ft.Colors.OUTLINE)
        return ft.Column([row(case, result) for case, result in opened], spacing=0)

    return AsyncSection(t, load=_service(ctx).kept_appeals, build=build, is_empty=lambda _: False)


def _lookup_entry(ctx: AppContext) -> ft.Control:
    return ft.TextButton(
        ctx.t("following.lookup"), icon=ft.Icons.MANAGE_SEARCH, on_click=lambda _: ctx.go("/appeals/lookup")
    )


def my_appeals_screen(ctx: AppContext) -> Screen:
    t = ctx.t
    kept = _kept_section(ctx)
    device_part: list[ft.Control] = [
        section_title(t("following.device")),
        ft.Text(t("following.device_hint"), size=12),
        kept,
    ]
    if ctx.profile is None:
        prompt = ft.Container(
            ft.Column(
                [
                    ft.Text(t("following.login_prompt")),
                    ft.FilledButton(t("me.login"), on_click=lambda _: ctx.go("/me/login")),
                ],
                spacing=8,
            ),
            padding=12,
            border_radius=8,
            bgcolor=ft.Colors.SECONDARY_CONTAINER,
        )
        body = ft.ListView([prompt, *device_part, _lookup_entry(ctx)], spacing=8)
        return Screen(t("following.mine"), body, loads=[kept.reload], back_route="/interaction")
    service = _service(ctx)

    async def load_page(cursor: str | None) -> Reading[Page[AppealSummary]]:
        return Reading(await service.mine(cursor))

    mine: PagedList[AppealSummary] = PagedList(
        t,
        load_page,
        lambda appeal: appeal_tile(appeal, t, lambda: ctx.go(f"/appeals/{appeal.number}")),
        header=[*device_part, _lookup_entry(ctx), section_title(t("following.account"))],
        empty_text=t("following.none"),
    )
    return Screen(t("following.mine"), mine, loads=[kept.reload, mine.reload], back_route="/interaction")


def _file_label(file: AttachmentInfo) -> str:
    return f"{file.filename}（{file.format.upper()} · {max(1, file.size // 1024)} KB）"


def attached_files(appeal: AppealDetail, t: Translator) -> list[ft.Control]:
    """The attachments by name and size (the receipt), nothing when there are none."""
    if not appeal.attachments:
        return []
    return [
        ft.Text(t("following.attachments", count=len(appeal.attachments))),
        *(ft.Text(f"· {_file_label(f)}", size=12) for f in appeal.files),
    ]


def _openable_files(
    ctx: AppContext, opened: OpenedAppeal, appeal: AppealDetail, saver: ft.FilePicker
) -> list[ft.Control]:
    """The attachments, each opened on a tap with the same right that opened the appeal (account or credentials)."""
    if not appeal.attachments:
        return []
    files = [ShownFile(f.id, _file_label(f), os.path.splitext(f.filename)[0] or appeal.number) for f in appeal.files]
    return [
        ft.Text(ctx.t("following.attachments", count=len(appeal.attachments))),
        *attached_file_rows(ctx, files, opened.attachment, saver),
    ]


def _facts(appeal: AppealDetail, ctx: AppContext, files: list[ft.Control]) -> list[ft.Control]:
    t = ctx.t
    facts: list[ft.Control] = [
        ft.Text(appeal.title, theme_style=ft.TextThemeStyle.TITLE_LARGE, weight=ft.FontWeight.W_600),
        status_row(appeal, t),
        ft.Text(kind_text(appeal)),
        ft.Text(f"{t('following.number')} {appeal.number}"),
        ft.Text(t("following.submitted_at", at=local_time(appeal.submitted_at)), size=12),
        section_title(t("following.content")),
        ft.Text(appeal.content),
    ]
    if appeal.location is not None:
        facts.append(ft.Text(t("following.location", address=appeal.location.address)))
    facts += files
    if appeal.rating is not None:
        comment = f"：{appeal.rating_comment}" if appeal.rating_comment else ""
        facts.append(ft.Text(t("following.rated_as", rating=appeal.rating) + comment))
    return facts


Done = Callable[[AppealDetail], Awaitable[None]]


def _follow_up_form(ctx: AppContext, opened: OpenedAppeal, done: Done) -> ft.Control:
    t = ctx.t
    form = Form(
        ctx,
        {
            "body": ft.TextField(
                label=t("following.follow_up_label"), multiline=True, min_lines=2, max_length=FOLLOW_UP_MAX
            )
        },
        submit_label=t("following.follow_up_send"),
        identifier="send-follow-up",
        check=lambda v: required(v, "body"),
        send=lambda v: opened.follow_up(v["body"]),
        done=done,
    )
    return ft.Column([section_title(t("following.follow_up")), *form.fields.values(), form.button], spacing=8)


def _rating_form(ctx: AppContext, opened: OpenedAppeal, done: Done) -> ft.Control:
    t = ctx.t
    choice = ft.RadioGroup(
        ft.Row([ft.Radio(value=s, label=t(f"following.satisfaction.{s}")) for s in SATISFACTIONS], wrap=True)
    )
    choice_error = ft.Text(t("following.choose_satisfaction"), color=ft.Colors.ERROR, visible=False)

    def check(values: dict[str, str]) -> FieldErrors:
        choice_error.visible = not choice.value
        return {"satisfaction": "field_required"} if not choice.value else {}

    def chosen(_: ft.Event[ft.RadioGroup]) -> None:
        choice_error.visible = False

    choice.on_change = chosen
    form = Form(
        ctx,
        {"comment": ft.TextField(label=t("following.rating_comment"), multiline=True, max_length=COMMENT_MAX)},
        submit_label=t("following.rating_send"),
        identifier="send-appeal-rating",
        check=check,
        send=lambda v: opened.rate(cast(Satisfaction, choice.value), v["comment"]),
        done=done,
    )
    return ft.Column(
        [
            section_title(t("following.rate")),
            choice_group(t("following.satisfaction"), choice),
            choice_error,
            *form.fields.values(),
            form.button,
        ],
        spacing=8,
    )


def _reopen_form(ctx: AppContext, opened: OpenedAppeal, done: Done) -> ft.Control:
    t = ctx.t

    def check(values: dict[str, str]) -> FieldErrors:
        errors = required(values, "reason")
        if not errors and len(values["reason"]) < REASON_MIN:
            errors["reason"] = "value_invalid"
        return errors

    form = Form(
        ctx,
        {"reason": ft.TextField(label=t("following.reopen_reason"), max_length=REASON_MAX)},
        submit_label=t("following.reopen_send"),
        identifier="send-reopen",
        check=check,
        send=lambda v: opened.reopen(v["reason"]),
        done=done,
    )
    return ft.Column(
        [
            section_title(t("following.reopen")),
            ft.Text(t("following.reopen_hint"), size=12),
            *form.fields.values(),
            form.button,
        ],
        spacing=8,
    )


def appeal_view(ctx: AppContext, opened: OpenedAppeal, appeal: AppealDetail) -> ft.Column:
    """The appeal and its actions; after an action the view shows the appeal as the server now has it."""
    t = ctx.t
    view = ft.Column(spacing=8)
    saver = ft.FilePicker()  # for saving the attachments
    view.data = saver  # a service lives only while something holds it: the view does, as long as it is shown

    async def acted(updated: AppealDetail) -> None:
        ctx.notify(t("following.saved"))
        paint(updated)
        update_if_shown(view)

    def paint(current: AppealDetail) -> None:
        parts = _facts(current, ctx, _openable_files(ctx, opened, current, saver)) + timeline(current, t)
        if current.status != "closed":
            parts.append(_follow_up_form(ctx, opened, acted))
        if current.can_rate:
            parts.append(_rating_form(ctx, opened, acted))
        if current.can_reopen:
            parts.append(_reopen_form(ctx, opened, acted))
        view.controls = parts

    paint(appeal)
    return view


def appeal_screen(ctx: AppContext) -> Screen:
    """One appeal of the account."""
    t = ctx.t
    if ctx.profile is None:
        return my_appeals_screen(ctx)
    opened = AccountAppeal(_service(ctx), ctx.route.params["number"])
    section = AsyncSection(t, load=opened.load, build=lambda appeal: appeal_view(ctx, opened, appeal))
    return Screen(t("following.detail"), ft.ListView([section]), loads=[section.reload], back_route="/appeals")


def device_appeal_screen(ctx: AppContext) -> Screen:
    """One fast-channel appeal of this device, opened by its stored credentials."""
    t = ctx.t
    service = _service(ctx)
    number = ctx.route.params["number"]

    async def load() -> tuple[CredentialAppeal, AppealDetail] | None:
        case = await service.kept_case(number)
        if case is None:
            return None
        opened = CredentialAppeal(service, case.credentials)
        return opened, await opened.load()

    def build(loaded: tuple[CredentialAppeal, AppealDetail]) -> ft.Control:
        return appeal_view(ctx, *loaded)

    section = AsyncSection(
        t, load=load, build=build, is_empty=lambda loaded: loaded is None, empty_text=t("following.not_on_device")
    )
    body = ft.ListView([section, _lookup_entry(ctx)])
    return Screen(t("following.detail"), body, loads=[section.reload], back_route="/appeals")


def lookup_screen(ctx: AppContext) -> Screen:
    """进度查询 with the fast-channel username and password; on success the appeal, and the offer to keep it here."""
    t = ctx.t
    service = _service(ctx)
    problem = ft.Text(color=ft.Colors.ERROR, visible=False)
    found = ft.Column(spacing=8)
    typed: dict[str, str] = {}

    async def send(values: dict[str, str]) -> AppealDetail | None:
        problem.visible = False
        typed.update(values)
        try:
            return await service.lookup(values["username"], values["password"])
        except RateLimitError as exc:
            problem.value = t("following.lookup_throttled", minutes=wait_minutes(exc))
        except NotFoundError as exc:
            problem.value = exc.message  # one generic message, whichever part was wrong
        problem.visible = True
        found.controls = []
        return None

    async def done(appeal: AppealDetail | None) -> None:
        if appeal is None:
            return
        credentials = FastChannelCredentials(username=typed["username"], password=typed["password"])
        kept = await service.kept_case(appeal.number)
        keep_row: ft.Control = (
            ft.Text(t("following.kept"), color=ft.Colors.OUTLINE)
            if kept is not None
            else _keep_button(ctx, FastChannelCase(number=appeal.number, title=appeal.title, credentials=credentials))
        )
        found.controls = [keep_row, appeal_view(ctx, CredentialAppeal(service, credentials), appeal)]
        update_if_shown(found)

    form = Form(
        ctx,
        {
            "username": ft.TextField(label=t("following.username"), max_length=32),
            "password": ft.TextField(
                label=t("following.password"), password=True, can_reveal_password=True, max_length=64
            ),
        },
        submit_label=t("following.lookup_send"),
        identifier="lookup-appeal",
        check=lambda v: required(v, "username", "password"),
        send=send,
        done=done,
    )
    body = ft.ListView(
        [ft.Text(t("following.lookup_hint")), *form.fields.values(), form.button, problem, found], spacing=12
    )
    return Screen(t("following.lookup"), body, back_route="/appeals")


def _keep_button(ctx: AppContext, case: FastChannelCase) -> ft.Control:
    t = ctx.t
    holder = ft.Container()

    async def keep(_: ft.Event[ft.Button]) -> None:
        await _service(ctx).remember(case)
        holder.content = ft.Text(t("following.kept"), color=ft.Colors.OUTLINE)
        ctx.notify(t("following.kept"))

    holder.content = ft.Semantics(
        identifier="keep-on-device",
        content=ft.FilledButton(t("following.keep"), icon=ft.Icons.SAVE_ALT, on_click=ctx.guard(keep)),
    )
    return ft.Column([ft.Text(t("following.keep_hint"), size=12), holder], spacing=4)
