"""工作台: what an officer sees instead of the citizen home. Their department's cases with counts and the
overdue first, a case with its materials, acceptance, the department's step decision with a note, and 叫号."""

from collections.abc import Awaitable, Callable
from typing import Any

import flet as ft

from api_client.models import OfficerCaseDetail, OfficerCaseSummary, Page, QueueStatus, StepDecisionKind
from app.applications.presenting import deadline_text, local_time, status_chip, step_chips, timeline
from app.context import AppContext
from app.device_cache import Reading
from app.service_items.service import ServiceCatalogue
from app.shell.screen import Screen
from app.widgets.paged_list import PagedList
from app.widgets.states import AsyncSection, section_title, update_if_shown
from app.workbench.sections import workbench_sections
from app.workbench.service import WorkbenchService

VIEWS = ("open", "overdue", "due_soon")
Reload = Callable[[], Awaitable[None]]
Handler = Callable[[ft.Event[Any]], Awaitable[None]]


def is_officer(ctx: AppContext) -> bool:
    return ctx.profile is not None and ctx.profile.role == "officer"


def case_tile(ctx: AppContext, case: OfficerCaseSummary) -> ft.Control:
    t = ctx.t
    late = case.deadline.overdue
    return ft.ListTile(
        leading=ft.Icon(
            ft.Icons.WARNING_AMBER if late else ft.Icons.ASSIGNMENT, color=ft.Colors.ERROR if late else None
        ),
        title=ft.Text(f"{case.item_name} · {case.applicant_name}", weight=ft.FontWeight.W_600),
        subtitle=ft.Column(
            [
                ft.Row(
                    [
                        status_chip(case.status, t),
                        ft.Text(t("workbench.my_step", state=t(f"step.{case.my_step}")), size=12),
                        ft.Text(deadline_text(case.deadline, t), size=12, color=ft.Colors.ERROR if late else None),
                    ],
                    wrap=True,
                ),
                ft.Text(case.number, size=12, color=ft.Colors.OUTLINE),
            ],
            spacing=2,
        ),
        on_click=lambda _: ctx.go(f"/workbench/case/{case.number}"),
    )


def _queue_card(ctx: AppContext, service: WorkbenchService) -> AsyncSection:
    t = ctx.t

    def build(status: QueueStatus) -> ft.Control:
        text = ft.Text(t("workbench.queue", serving=status.now_serving, waiting=status.waiting))

        async def call(_: ft.Event[ft.Button]) -> None:
            called = await service.call_next()
            text.value = t("workbench.queue", serving=called.now_serving, waiting=called.waiting)
            update_if_shown(text)
            ctx.notify(t("workbench.called", number=called.now_serving))

        return ft.Card(
            ft.Container(
                ft.Row(
                    [
                        ft.Icon(ft.Icons.CONFIRMATION_NUMBER),
                        ft.Column(
                            [ft.Text(status.department.short_name, weight=ft.FontWeight.W_600), text], expand=True
                        ),
                        ft.Semantics(
                            identifier="call-next",
                            content=ft.FilledButton(t("workbench.call_next"), on_click=ctx.guard(call)),
                        ),
                    ]
                ),
                padding=12,
            )
        )

    return AsyncSection(t, load=service.queue, build=build, is_empty=lambda _: False)


def _publish_entry(ctx: AppContext) -> ft.Control:
    """发布: the department's documents, to publish, edit or repeal (`app.publishing`)."""
    return ft.Semantics(
        identifier="workbench-publish",
        content=ft.OutlinedButton(
            ctx.t("publish.entry"), icon=ft.Icons.EDIT_DOCUMENT, on_click=lambda _: ctx.go("/workbench/publish")
        ),
    )


def workbench_screen(ctx: AppContext) -> Screen:
    t = ctx.t
    if not is_officer(ctx):
        body = ft.Column([ft.Text(t("workbench.officers_only"))])
        return Screen(t("workbench.title"), body, back_route="/")
    service = WorkbenchService(ctx.api)
    view = ctx.route.query.get("view", "open")
    view = view if view in VIEWS else "open"

    def counts_row(counts: dict[str, str]) -> ft.Control:
        return ft.Row(
            [
                ft.Semantics(
                    identifier=f"workbench-{name}",
                    content=ft.Chip(
                        label=ft.Text(t(f"workbench.{name}", count=counts[name])),
                        selected=name == view,
                        on_select=lambda _, name=name: ctx.go(f"/workbench?view={name}"),
                    ),
                )
                for name in VIEWS
            ],
            wrap=True,
        )

    counts = AsyncSection(t, load=service.counts, build=counts_row, is_empty=lambda _: False)
    queue = _queue_card(ctx, service)

    async def load_page(cursor: str | None) -> Reading[Page[OfficerCaseSummary]]:
        return Reading(await service.inbox(view, cursor))

    cases: PagedList[OfficerCaseSummary] = PagedList(
        t,
        load_page,
        lambda case: case_tile(ctx, case),
        header=[
            workbench_sections(ctx, "cases"),
            queue,
            counts,
            _publish_entry(ctx),
            section_title(t(f"workbench.title_{view}")),
        ],
        empty_text=t("workbench.none"),
    )
    return Screen(t("workbench.title"), cases, loads=[cases.reload, counts.reload, queue.reload])


def _materials(
    ctx: AppContext, service: WorkbenchService, case: OfficerCaseDetail, picker: ft.FilePicker
) -> list[ft.Control]:
    t = ctx.t
    rows: list[ft.Control] = [section_title(t("applications.materials"))]
    for material in case.materials:
        rows.append(ft.Text(material.name, weight=ft.FontWeight.W_600))
        if not material.files:
            rows.append(ft.Text(t("workbench.no_files"), color=ft.Colors.OUTLINE))
        for file in material.files:

            async def save(_: ft.Event[ft.ListTile], file_id: str = file.id, name: str = file.filename) -> None:
                content = await service.material(case.number, file_id)
                await picker.save_file(file_name=name, src_bytes=content)

            rows.append(
                ft.ListTile(
                    leading=ft.Icon(ft.Icons.ATTACH_FILE),
                    title=ft.Text(file.filename),
                    subtitle=ft.Text(f"{file.format.upper()} · {max(1, file.size // 1024)} KB"),
                    on_click=ctx.guard(save),
                    dense=True,
                )
            )
    return rows


def _decisions(ctx: AppContext, service: WorkbenchService, case: OfficerCaseDetail, reload: Reload) -> list[ft.Control]:
    t = ctx.t
    profile = ctx.profile
    note = ft.TextField(label=t("workbench.note"), multiline=True, max_length=500)
    controls: list[ft.Control] = []
    if case.status == "submitted" and profile is not None and profile.department_code == case.department.code:

        async def accept(_: ft.Event[ft.Button]) -> None:
            await service.accept(case.number, (note.value or "").strip() or None)
            ctx.notify(t("workbench.accepted"))
            await reload()

        async def refuse(_: ft.Event[ft.OutlinedButton]) -> None:
            reason = (note.value or "").strip()
            if not reason:
                note.error = t("workbench.reason_needed")
                update_if_shown(note)
                return
            await service.refuse(case.number, reason)
            ctx.notify(t("workbench.refused"))
            await reload()

        controls += [
            section_title(t("workbench.acceptance")),
            note,
            ft.Row(
                [
                    ft.Semantics(
                        identifier="accept-case",
                        content=ft.FilledButton(t("workbench.accept"), on_click=ctx.guard(accept)),
                    ),
                    ft.Semantics(
                        identifier="refuse-case",
                        content=ft.OutlinedButton(t("workbench.refuse"), on_click=ctx.guard(refuse)),
                    ),
                ],
                wrap=True,
            ),
        ]
    elif case.status == "in_review" and case.my_step == "pending":
        boxes = {m.key: ft.Checkbox(label=m.name) for m in case.materials}

        def decide(kind: StepDecisionKind) -> Handler:
            async def decided(_: ft.Event[ft.Button]) -> None:
                text = (note.value or "").strip()
                if kind != "pass" and not text:
                    note.error = t("workbench.note_needed")
                    update_if_shown(note)
                    return
                chosen = [key for key, box in boxes.items() if box.value] if kind == "supplement" else []
                if kind == "supplement" and not chosen:
                    note.error = t("workbench.choose_materials")
                    update_if_shown(note)
                    return
                await service.decide(case.number, kind, text or None, chosen)
                ctx.notify(t("workbench.decided"))
                await reload()

            return decided

        controls += [
            section_title(t("workbench.decision")),
            note,
            ft.Text(t("workbench.supplement_which"), size=12),
            *boxes.values(),
            ft.Row(
                [
                    ft.Semantics(
                        identifier="decide-pass",
                        content=ft.FilledButton(t("workbench.pass"), on_click=ctx.guard(decide("pass"))),
                    ),
                    ft.Semantics(
                        identifier="decide-supplement",
                        content=ft.OutlinedButton(t("workbench.supplement"), on_click=ctx.guard(decide("supplement"))),
                    ),
                    ft.Semantics(
                        identifier="decide-reject",
                        content=ft.OutlinedButton(t("workbench.reject"), on_click=ctx.guard(decide("reject"))),
                    ),
                ],
                wrap=True,
            ),
        ]
    return controls


def case_screen(ctx: AppContext) -> Screen:
    t = ctx.t
    number = ctx.route.params["number"]
    if not is_officer(ctx):
        return workbench_screen(ctx)
    service = WorkbenchService(ctx.api)
    picker = ft.FilePicker()  # for saving materials; the screen keeps the reference

    async def load() -> tuple[OfficerCaseDetail, dict[str, str]]:
        case = await service.case(number)
        guide = (await ServiceCatalogue(ctx.api, ctx.cache).guide(case.item_code)).value
        return case, {f.key: f.label for f in guide.form}

    def build(loaded: tuple[OfficerCaseDetail, dict[str, str]]) -> ft.Control:
        case, labels = loaded
        parts: list[ft.Control] = [
            ft.Text(case.item_name, theme_style=ft.TextThemeStyle.TITLE_LARGE, weight=ft.FontWeight.W_600),
            ft.Row([status_chip(case.status, t), ft.Text(deadline_text(case.deadline, t))], wrap=True),
            ft.Text(f"{t('applications.number')} {case.number} · {local_time(case.submitted_at)}", selectable=True),
            ft.Text(t("workbench.applicant", name=case.applicant_name, phone=case.applicant_phone), selectable=True),
            section_title(t("applications.steps")),
            step_chips(case, t),
            *_decisions(ctx, service, case, section.reload),
            section_title(t("workbench.form")),
            *(ft.Text(f"{labels.get(key, key)}：{value}", selectable=True) for key, value in case.form.items()),
            *_materials(ctx, service, case, picker),
            *timeline(case, t),
        ]
        return ft.Column(parts, spacing=8)

    section = AsyncSection(t, load=load, build=build)
    return Screen(t("workbench.case"), ft.ListView([section]), loads=[section.reload], back_route="/workbench")
