"""诉求 on the workbench: the department's appeal inbox (earliest due first, by status and due date), one appeal
with the citizen's files and its timeline, and reply, transfer and close; and 督办, the administrators' list of
overdue appeals across departments (the server lets only administrators read it)."""

from collections.abc import Awaitable, Callable
from urllib.parse import urlencode

import flet as ft

from api_client import APIStatusError
from api_client.forms import field_problem
from api_client.messages import message_for
from api_client.models import (
    APPEAL_STATUS_LABELS,
    AppealDeadline,
    AppealMessage,
    AppealStatus,
    Department,
    FormField,
    OfficerAppealDetail,
    OfficerAppealSummary,
    Page,
)
from app.applications.presenting import local_time
from app.context import AppContext
from app.device_cache import Reading
from app.i18n import Translator
from app.shell.screen import Screen
from app.widgets.attached_files import ShownFile, attached_file_rows
from app.widgets.choices import name_choice, named_dropdown
from app.widgets.entries import entry_tile
from app.widgets.filters import filter_dropdown, filter_row
from app.widgets.forms import FieldErrors, Form
from app.widgets.paged_list import PagedList
from app.widgets.states import AsyncSection, section_title, update_if_shown
from app.widgets.tags import status_tag
from app.workbench.appeals_service import DUE_FILTERS, InboxFilter, OfficerAppealService
from app.workbench.sections import workbench_sections
from app.workbench.views import is_officer, workbench_screen

STATUSES: tuple[AppealStatus, ...] = ("pending", "replied", "closed")
STATUS_COLOURS: dict[AppealStatus, ft.ColorValue] = {
    "pending": ft.Colors.BLUE,
    "replied": ft.Colors.GREEN,
    "closed": ft.Colors.GREY,
}
Reload = Callable[[], Awaitable[None]]
MAX_YUAN = 10**12
# The server's rules for what an officer writes (`api_client.models.appeals`), in the forms kit's terms.
REPLY_BODY = FormField(key="body", label="", type="textarea", max_length=2000)
AMOUNT = FormField(key="amount", label="", type="integer", required=False, min_value=0, max_value=MAX_YUAN)
REASON = FormField(key="reason", label="", type="text", max_length=200)
REASON_MIN_LENGTH = 2
CLOSE_NOTE = FormField(key="note", label="", type="textarea", required=False, max_length=500)


def is_supervisor(ctx: AppContext) -> bool:
    """The server lets administrators (and only them) read 督办 (`/supervision/appeals`)."""
    return ctx.profile is not None and ctx.profile.role == "admin"


def status_text(status: AppealStatus, t: Translator) -> str:
    return APPEAL_STATUS_LABELS[status] if t.language == "zh" else t(f"officer_appeals.status_{status}")


def due_text(deadline: AppealDeadline, t: Translator) -> str:
    """The due date, and while unanswered the working days left (or past it)."""
    due = t("officer_appeals.due_on", date=deadline.due_on.isoformat())
    if deadline.days_left is None:
        return due
    if deadline.overdue:
        left = t("officer_appeals.overdue_days", days=-deadline.days_left)
    elif deadline.days_left == 0:
        left = t("officer_appeals.due_today")
    else:
        left = t("applications.days_left", days=deadline.days_left)
    return f"{due} · {left}"


def _flags(appeal: OfficerAppealSummary | OfficerAppealDetail, t: Translator) -> list[ft.Control]:
    flags = [status_tag(status_text(appeal.status, t), STATUS_COLOURS[appeal.status])]
    if appeal.supervised:
        flags.append(status_tag(t("officer_appeals.supervised"), ft.Colors.RED))
    if appeal.reopened:
        flags.append(status_tag(t("officer_appeals.reopened"), ft.Colors.ORANGE))
    return flags


def appeal_tile(ctx: AppContext, appeal: OfficerAppealSummary, *, opens: bool = True) -> ft.Control:
    """One row of an inbox: number, type and category, title, due date with days left, 督办 and 重新办理."""
    t = ctx.t
    late = appeal.deadline.overdue
    where = f"{appeal.number} · {appeal.department.short_name}" if not opens else appeal.number
    return ft.Semantics(
        identifier=f"appeal-{appeal.number}",
        content=ft.ListTile(
            leading=ft.Icon(
                ft.Icons.WARNING_AMBER if late else ft.Icons.FORUM_OUTLINED, color=ft.Colors.ERROR if late else None
            ),
            title=ft.Text(appeal.title, weight=ft.FontWeight.W_600),
            subtitle=ft.Column(
                [
                    ft.Row(
                        [*_flags(appeal, t), ft.Text(f"{appeal.type} · {appeal.category}", size=12)],
                        wrap=True,
                        spacing=6,
                    ),
                    ft.Text(due_text(appeal.deadline, t), size=12, color=ft.Colors.ERROR if late else None),
                    ft.Text(where, size=12, color=ft.Colors.OUTLINE),
                ],
                spacing=2,
            ),
            on_click=(lambda _: ctx.go(f"/workbench/appeal/{appeal.number}")) if opens else None,
        ),
    )


def _inbox_filter(query: dict[str, str]) -> InboxFilter:
    status = query.get("status")
    due = query.get("due")
    return InboxFilter(
        status=next((s for s in STATUSES if s == status), None),
        due=next((d for d in DUE_FILTERS if d == due), None),
    )


def appeal_inbox_screen(ctx: AppContext) -> Screen:
    t = ctx.t
    if not is_officer(ctx):
        return workbench_screen(ctx)
    service = OfficerAppealService(ctx.api)
    chosen = _inbox_filter(ctx.route.query)

    def route_with(**changes: str | None) -> str:
        query = {"status": chosen.status, "due": chosen.due, **changes}
        kept = {k: v for k, v in query.items() if v}
        return "/workbench/appeals" + (f"?{urlencode(kept)}" if kept else "")

    filters = filter_row(
        filter_dropdown(
            "appeal-status-filter",
            t("officer_appeals.status"),
            chosen.status,
            [(s, status_text(s, t)) for s in STATUSES],
            t("officer_appeals.status_open"),
            lambda status: ctx.go(route_with(status=status)),
        ),
        filter_dropdown(
            "appeal-due-filter",
            t("officer_appeals.due"),
            chosen.due,
            [(d, t(f"officer_appeals.filter_{d}")) for d in DUE_FILTERS],
            t("officer_appeals.due_any"),
            lambda due: ctx.go(route_with(due=due)),
        ),
    )

    async def load_page(cursor: str | None) -> Reading[Page[OfficerAppealSummary]]:
        return Reading(await service.inbox(chosen, cursor))

    appeals: PagedList[OfficerAppealSummary] = PagedList(
        t,
        load_page,
        lambda appeal: appeal_tile(ctx, appeal),
        header=[workbench_sections(ctx, "appeals"), filters, section_title(t("officer_appeals.inbox_title"))],
        empty_text=t("officer_appeals.none"),
    )
    return Screen(t("officer_appeals.title"), appeals, loads=[appeals.reload], back_route="/workbench")


def _found(problems: dict[str, str | None]) -> FieldErrors:
    return {name: code for name, code in problems.items() if code}


def _reply_form(ctx: AppContext, service: OfficerAppealService, number: str, reload: Reload) -> list[ft.Control]:
    """答复, with the money recovered for the people (元) that the transparency figures add up."""
    t = ctx.t

    def check(values: dict[str, str]) -> FieldErrors:
        return _found(
            {"body": field_problem(REPLY_BODY, values["body"]), "amount": field_problem(AMOUNT, values["amount"])}
        )

    async def send(values: dict[str, str]) -> OfficerAppealDetail:
        return await service.reply(number, values["body"], int(values["amount"] or 0))

    async def done(_: OfficerAppealDetail) -> None:
        ctx.notify(t("officer_appeals.replied"))
        await reload()

    form: Form[OfficerAppealDetail] = Form(
        ctx,
        {
            "body": ft.TextField(
                label=t("officer_appeals.reply_body"), multiline=True, min_lines=3, max_length=REPLY_BODY.max_length
            ),
            "amount": ft.TextField(
                label=t("officer_appeals.amount"),
                helper=t("officer_appeals.amount_help"),
                keyboard_type=ft.KeyboardType.NUMBER,
                input_filter=ft.NumbersOnlyInputFilter(),
                max_length=12,  # the forms kit takes whole numbers of up to 12 digits
            ),
        },
        submit_label=t("officer_appeals.reply"),
        identifier="reply-appeal",
        check=check,
        send=send,
        done=done,
    )
    return [section_title(t("officer_appeals.reply_title")), *form.fields.values(), form.button]


def _transfer_form(
    ctx: AppContext,
    service: OfficerAppealService,
    appeal: OfficerAppealDetail,
    departments: list[Department],
    transferred: Callable[[OfficerAppealDetail], None],
) -> list[ft.Control]:
    """转办 to another department with the reason; the due date stays, and the appeal leaves this inbox."""
    t = ctx.t
    label = t("officer_appeals.transfer_to")
    picker = ft.Dropdown(
        label=label,
        options=[ft.DropdownOption(key=d.code, text=d.name) for d in departments if d.code != appeal.department.code],
        menu_height=400,
        expand=True,
    )

    named = named_dropdown("transfer-department", label, picker)

    def picked(_: ft.Event[ft.Dropdown]) -> None:
        picker.error_text = None
        name_choice(named)
        update_if_shown(named)

    picker.on_select = picked

    def check(values: dict[str, str]) -> FieldErrors:
        reason = values["reason"]
        problems = _found({"reason": field_problem(REASON, reason)})
        if not problems and len(reason) < REASON_MIN_LENGTH:
            problems["reason"] = "reason_too_short"
        if not picker.value:
            picker.error_text = message_for("field_required", t.language)
            problems["department"] = "field_required"
        else:
            picker.error_text = None
        return problems

    async def send(values: dict[str, str]) -> OfficerAppealDetail:
        try:
            return await service.transfer(appeal.number, picker.value or "", values["reason"])
        except APIStatusError as exc:
            if exc.field == "department":
                picker.error_text = exc.message
            raise

    form: Form[OfficerAppealDetail] = Form(
        ctx,
        {"reason": ft.TextField(label=t("officer_appeals.transfer_reason"), max_length=REASON.max_length)},
        submit_label=t("officer_appeals.transfer"),
        identifier="transfer-appeal",
        check=check,
        send=send,
        done=transferred,
    )
    return [
        section_title(t("officer_appeals.transfer_title")),
        ft.Text(t("officer_appeals.transfer_note"), size=12, color=ft.Colors.OUTLINE),
        named,
        *form.fields.values(),
        form.button,
    ]


def _close_form(ctx: AppContext, service: OfficerAppealService, number: str, reload: Reload) -> list[ft.Control]:
    t = ctx.t

    async def send(values: dict[str, str]) -> OfficerAppealDetail:
        return await service.close(number, values["note"])

    async def done(_: OfficerAppealDetail) -> None:
        ctx.notify(t("officer_appeals.closed"))
        await reload()

    form: Form[OfficerAppealDetail] = Form(
        ctx,
        {"note": ft.TextField(label=t("officer_appeals.close_note"), multiline=True, max_length=CLOSE_NOTE.max_length)},
        submit_label=t("officer_appeals.close"),
        identifier="close-appeal",
        check=lambda values: _found({"note": field_problem(CLOSE_NOTE, values["note"])}),
        send=send,
        done=done,
    )
    return [section_title(t("officer_appeals.close_title")), *form.fields.values(), form.button]


def _attachments(
    ctx: AppContext, service: OfficerAppealService, appeal: OfficerAppealDetail, saver: ft.FilePicker
) -> list[ft.Control]:
    """The citizen's photos open in a dialog (with 下载); a PDF is handed to the browser or the system to save."""
    t = ctx.t
    rows: list[ft.Control] = [section_title(t("officer_appeals.attachments"))]
    if not appeal.attachments:
        rows.append(ft.Text(t("officer_appeals.no_attachments"), color=ft.Colors.OUTLINE))
    names = [t("officer_appeals.attachment", index=index) for index in range(1, len(appeal.attachments) + 1)]
    files = [ShownFile(i, name, f"{appeal.number}-{name}") for i, name in zip(appeal.attachments, names, strict=True)]
    return rows + attached_file_rows(ctx, files, lambda i: service.attachment(appeal.number, i), saver)


def _timeline(appeal: OfficerAppealDetail, t: Translator) -> list[ft.Control]:
    def who(message: AppealMessage) -> str:
        if message.author == "citizen":
            return t("officer_appeals.by_citizen")
        return message.department or t("officer_appeals.by_department")

    rows: list[ft.Control] = [section_title(t("officer_appeals.timeline"))]
    for message in reversed(appeal.messages):
        rows.append(
            ft.ListTile(
                leading=ft.Icon(ft.Icons.CIRCLE, size=12, color=ft.Colors.PRIMARY),
                title=ft.Text(f"{t(f'officer_appeals.kind_{message.kind}')} · {who(message)}"),
                subtitle=ft.Column(
                    [ft.Text(local_time(message.at), size=12), ft.Text(message.body, selectable=True)], spacing=2
                ),
                dense=True,
            )
        )
    return rows


def _facts(appeal: OfficerAppealDetail, t: Translator) -> list[ft.Control]:
    citizen = appeal.citizen_name or t("officer_appeals.anonymous")
    facts = [
        t("officer_appeals.citizen", name=citizen),
        t("officer_appeals.contact", phone=appeal.contact_phone or t("officer_appeals.none_given")),
    ]
    if appeal.location is not None:
        place = appeal.location.address
        if appeal.location.latitude is not None and appeal.location.longitude is not None:
            place += f"（{appeal.location.latitude:.5f}, {appeal.location.longitude:.5f}）"
        facts.append(t("officer_appeals.location", place=place))
    facts.append(t("officer_appeals.public") if appeal.public else t("officer_appeals.private"))
    if appeal.rating is not None:
        rating = appeal.rating + (f"：{appeal.rating_comment}" if appeal.rating_comment else "")
        facts.append(t("officer_appeals.rating", rating=rating))
    return [ft.Text(fact, selectable=True) for fact in facts]


def _transferred_state(ctx: AppContext, appeal: OfficerAppealDetail) -> ft.Control:
    t = ctx.t
    return ft.Semantics(
        identifier="appeal-transferred",
        content=ft.Column(
            [
                ft.Icon(ft.Icons.FORWARD_TO_INBOX, size=48, color=ft.Colors.PRIMARY),
                ft.Text(
                    t("officer_appeals.transferred", number=appeal.number, department=appeal.department.name),
                    text_align=ft.TextAlign.CENTER,
                ),
                ft.FilledButton(t("officer_appeals.back_to_inbox"), on_click=lambda _: ctx.go("/workbench/appeals")),
            ],
            horizontal_alignment=ft.CrossAxisAlignment.CENTER,
            spacing=12,
        ),
    )


def appeal_screen(ctx: AppContext) -> Screen:
    t = ctx.t
    if not is_officer(ctx):
        return workbench_screen(ctx)
    number = ctx.route.params["number"]
    service = OfficerAppealService(ctx.api)
    saver = ft.FilePicker()  # for saving the citizen's files; the screen keeps the reference

    async def load() -> tuple[OfficerAppealDetail, list[Department]]:
        return await service.appeal(number), await ctx.departments.all()

    def transferred(appeal: OfficerAppealDetail) -> None:
        """The appeal is now another department's: this one can no longer open it, so the screen says where it went."""
        ctx.notify(t("officer_appeals.transfer_done"))
        section.content = _transferred_state(ctx, appeal)
        update_if_shown(section)

    def build(loaded: tuple[OfficerAppealDetail, list[Department]]) -> ft.Control:
        appeal, departments = loaded
        late = appeal.deadline.overdue
        actions: list[ft.Control] = []
        if appeal.status != "closed":
            actions += _reply_form(ctx, service, appeal.number, section.reload)
            if appeal.status == "pending":
                actions += _transfer_form(ctx, service, appeal, departments, transferred)
            actions += _close_form(ctx, service, appeal.number, section.reload)
        parts: list[ft.Control] = [
            ft.Text(appeal.title, theme_style=ft.TextThemeStyle.TITLE_LARGE, weight=ft.FontWeight.W_600),
            ft.Row([*_flags(appeal, t), ft.Text(f"{appeal.type} · {appeal.category}")], wrap=True, spacing=6),
            ft.Text(due_text(appeal.deadline, t), color=ft.Colors.ERROR if late else None),
            ft.Text(
                f"{t('officer_appeals.number')} {appeal.number} · {local_time(appeal.submitted_at)}", selectable=True
            ),
            section_title(t("officer_appeals.content")),
            ft.Text(appeal.content, selectable=True),
            *_facts(appeal, t),
            *_attachments(ctx, service, appeal, saver),
            *actions,
            *_timeline(appeal, t),
        ]
        return ft.Column(parts, spacing=8, horizontal_alignment=ft.CrossAxisAlignment.STRETCH)

    section = AsyncSection(t, load=load, build=build)
    return Screen(
        t("officer_appeals.appeal"),
        ft.ListView([section], padding=12),
        loads=[section.reload],
        back_route="/workbench/appeals",
    )


def supervision_screen(ctx: AppContext) -> Screen:
    """督办 across departments, overdue ones of longest standing first; for administrators only."""
    t = ctx.t
    if not is_supervisor(ctx):
        return Screen(t("supervision.title"), ft.Text(t("supervision.admins_only")), back_route="/")
    service = OfficerAppealService(ctx.api)

    async def load_page(cursor: str | None) -> Reading[Page[OfficerAppealSummary]]:
        return Reading(await service.supervised(cursor))

    appeals: PagedList[OfficerAppealSummary] = PagedList(
        t,
        load_page,
        lambda appeal: appeal_tile(ctx, appeal, opens=False),
        header=[ft.Text(t("supervision.intro"), color=ft.Colors.ON_SURFACE_VARIANT)],
        empty_text=t("supervision.none"),
    )
    return Screen(t("supervision.title"), appeals, loads=[appeals.reload], back_route="/me")


def supervision_entries(ctx: AppContext) -> list[ft.Control]:
    """督办 on 我的, for those the server lets read it."""
    if not is_supervisor(ctx):
        return []
    return [
        entry_tile(
            ctx.go,
            "/workbench/supervision",
            ft.Icon(ft.Icons.ALARM, color=ft.Colors.ERROR),
            ctx.t("supervision.title"),
            "supervision",
            subtitle=ft.Text(ctx.t("supervision.entry")),
        )
    ]
