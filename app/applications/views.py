"""我的办件: the citizen's cases with status and days left, and one case: timeline, a chip per department's
step, who read it, 补正, withdrawal, 好差评 and the certificate."""

from collections.abc import Awaitable, Callable

import flet as ft

from api_client.models import ApplicationDetail, ApplicationSummary, Certificate, Page
from app.applications.presenting import access_log, deadline_text, local_time, status_chip, step_chips, timeline
from app.applications.service import ApplicationService
from app.context import AppContext
from app.device_cache import Reading
from app.service_items.apply import MaterialPicker
from app.service_items.drafts import Draft, DraftStore
from app.service_items.service import ServiceCatalogue
from app.shell.screen import Screen
from app.widgets.buttons import icon_button
from app.widgets.paged_list import PagedList
from app.widgets.states import AsyncSection, section_title, update_if_shown

WITHDRAWABLE = ("submitted", "in_review", "supplement")
Reload = Callable[[], Awaitable[None]]


def _login_first(ctx: AppContext, title: str) -> Screen:
    body = ft.Column(
        [ft.Text(ctx.t("me.guest")), ft.FilledButton(ctx.t("me.login"), on_click=lambda _: ctx.go("/me/login"))],
        spacing=12,
    )
    return Screen(title, body, back_route="/me")


def application_tile(ctx: AppContext, case: ApplicationSummary) -> ft.Control:
    t = ctx.t
    return ft.ListTile(
        title=ft.Text(case.item_name, weight=ft.FontWeight.W_600),
        subtitle=ft.Column(
            [
                ft.Row([status_chip(case.status, t), ft.Text(deadline_text(case.deadline, t), size=12)], wrap=True),
                ft.Text(f"{case.number} · {local_time(case.submitted_at)}", size=12, color=ft.Colors.OUTLINE),
            ],
            spacing=2,
        ),
        trailing=ft.Icon(ft.Icons.CHEVRON_RIGHT),
        on_click=lambda _: ctx.go(f"/applications/{case.number}"),
    )


def my_applications_screen(ctx: AppContext) -> Screen:
    t = ctx.t
    if ctx.profile is None:
        return _login_first(ctx, t("applications.mine"))
    service = ApplicationService(ctx.api)

    async def load_page(cursor: str | None) -> Reading[Page[ApplicationSummary]]:
        return Reading(await service.mine(cursor))

    cases: PagedList[ApplicationSummary] = PagedList(
        t, load_page, lambda case: application_tile(ctx, case), empty_text=t("applications.none")
    )
    return Screen(t("applications.mine"), cases, loads=[cases.reload], back_route="/me")


class Supplement:
    """补正: the materials the departments asked for, each with a picker; kept as a draft like an application."""

    def __init__(self, ctx: AppContext, case: ApplicationDetail, draft: Draft, drafts: DraftStore[Draft]) -> None:
        self.ctx = ctx
        self.case = case
        self.draft = draft
        self.drafts = drafts
        self.service = ApplicationService(ctx.api)
        self.picker = ft.FilePicker()  # kept here so the service stays registered
        self.pickers: list[MaterialPicker] = []

    async def save_draft(self) -> None:
        await self.drafts.save(self.draft)


async def _supplement_section(ctx: AppContext, case: ApplicationDetail, reload: Reload) -> ft.Control:
    t = ctx.t
    guide = (await ServiceCatalogue(ctx.api, ctx.cache).guide(case.item_code)).value
    drafts = DraftStore(ctx.preferences, Draft)
    draft_key = f"{case.number}.supplement"
    supplement = Supplement(ctx, case, await drafts.load(draft_key) or Draft(item_code=draft_key), drafts)
    wanted = [m for m in guide.materials if m.key in case.requested_materials]
    supplement.pickers = [MaterialPicker(supplement, m) for m in wanted]
    note = ft.TextField(label=t("applications.supplement_note"), multiline=True, max_length=500)

    async def send(_: ft.Event[ft.Button]) -> None:
        files = {key: [f.id for f in uploaded] for key, uploaded in supplement.draft.materials.items() if uploaded}
        missing = [p for p in supplement.pickers if not files.get(p.material.key)]
        for picker in missing:
            picker.show_error(t("apply.material_missing"))
        if missing:
            ctx.page.update()
            return
        await supplement.service.supplement(case.number, files, (note.value or "").strip() or None)
        await drafts.remove(draft_key)
        ctx.notify(t("applications.supplemented"))
        await reload()

    return ft.Container(
        ft.Column(
            [
                section_title(t("applications.supplement")),
                ft.Text(t("applications.supplement_hint")),
                *supplement.pickers,
                note,
                ft.Semantics(
                    identifier="send-supplement",
                    content=ft.FilledButton(t("applications.send_supplement"), on_click=ctx.guard(send)),
                ),
            ],
            spacing=8,
        ),
        padding=12,
        border_radius=8,
        bgcolor=ft.Colors.TERTIARY_CONTAINER,
    )


def _rating_section(ctx: AppContext, case: ApplicationDetail, reload: Reload) -> ft.Control:
    t = ctx.t
    if case.rating is not None:
        stars = "★" * case.rating.score + "☆" * (5 - case.rating.score)
        return ft.Column(
            [section_title(t("applications.rating")), ft.Text(f"{stars} {case.rating.comment or ''}")], spacing=4
        )
    chosen = {"score": 0}
    row = ft.Row(spacing=0)
    comment = ft.TextField(label=t("applications.rating_comment"), multiline=True, max_length=500)
    error = ft.Text(visible=False, color=ft.Colors.ERROR)

    def paint() -> None:
        row.controls = [
            ft.Semantics(
                identifier=f"rate-{score}",
                content=icon_button(
                    ft.Icons.STAR if score <= chosen["score"] else ft.Icons.STAR_BORDER,
                    t("applications.stars", score=score),
                    on_click=chooser(score),
                    icon_color=ft.Colors.AMBER,
                ),
            )
            for score in range(1, 6)
        ]

    def chooser(score: int) -> Callable[[ft.Event[ft.IconButton]], None]:
        def choose(_: ft.Event[ft.IconButton]) -> None:
            chosen["score"] = score
            error.visible = False
            paint()

        return choose

    async def send(_: ft.Event[ft.Button]) -> None:
        if not chosen["score"]:
            error.value = t("applications.choose_stars")
            error.visible = True
            update_if_shown(error)
            return
        await ApplicationService(ctx.api).rate(case.number, chosen["score"], (comment.value or "").strip() or None)
        ctx.notify(t("applications.rated"))
        await reload()

    paint()
    return ft.Column(
        [
            section_title(t("applications.rate")),
            row,
            error,
            comment,
            ft.Semantics(
                identifier="send-rating",
                content=ft.FilledButton(t("applications.send_rating"), on_click=ctx.guard(send)),
            ),
        ],
        spacing=8,
    )


def _certificate_section(
    ctx: AppContext, case: ApplicationDetail, certificate: Certificate, picker: ft.FilePicker
) -> ft.Control:
    t = ctx.t
    service = ApplicationService(ctx.api)

    async def download(_: ft.Event[ft.Button]) -> None:
        content = await service.certificate_pdf(case.number)
        await picker.save_file(file_name=f"{certificate.number}.pdf", src_bytes=content)

    async def verify(_: ft.Event[ft.TextButton]) -> None:
        await ft.UrlLauncher().launch_url(service.verification_url(certificate.number))

    return ft.Container(
        ft.Column(
            [
                section_title(t("applications.certificate")),
                ft.Text(t("applications.certificate_number", number=certificate.number), selectable=True),
                ft.Text(t("applications.issued_at", at=local_time(certificate.issued_at)), size=12),
                ft.Row(
                    [
                        ft.Semantics(
                            identifier="download-certificate",
                            content=ft.FilledButton(
                                t("applications.download"), icon=ft.Icons.PICTURE_AS_PDF, on_click=ctx.guard(download)
                            ),
                        ),
                        ft.TextButton(t("applications.verify"), on_click=ctx.guard(verify)),
                    ],
                    wrap=True,
                ),
            ],
            spacing=6,
        ),
        padding=12,
        border_radius=8,
        bgcolor=ft.Colors.SECONDARY_CONTAINER,
    )


def application_screen(ctx: AppContext) -> Screen:
    t = ctx.t
    number = ctx.route.params["number"]
    if ctx.profile is None:
        return _login_first(ctx, t("applications.detail"))
    service = ApplicationService(ctx.api)
    picker = ft.FilePicker()  # for saving the certificate; the screen keeps the reference

    async def load() -> tuple[ApplicationDetail, ft.Control | None]:
        case = await service.detail(number)
        supplement = await _supplement_section(ctx, case, section.reload) if case.status == "supplement" else None
        return case, supplement

    def build(loaded: tuple[ApplicationDetail, ft.Control | None]) -> ft.Control:
        case, supplement = loaded
        parts: list[ft.Control] = [
            ft.Text(case.item_name, theme_style=ft.TextThemeStyle.TITLE_LARGE, weight=ft.FontWeight.W_600),
            ft.Row([status_chip(case.status, t), ft.Text(deadline_text(case.deadline, t))], wrap=True),
            ft.Text(f"{t('applications.number')} {case.number}", selectable=True),
            ft.Text(f"{case.department.name} · {local_time(case.submitted_at)}", size=12),
            section_title(t("applications.steps")),
            step_chips(case, t) if case.steps else ft.Text(t("applications.no_steps"), color=ft.Colors.OUTLINE),
        ]
        if supplement is not None:
            parts.append(supplement)
        if case.certificate is not None:
            parts.append(_certificate_section(ctx, case, case.certificate, picker))
        if case.status == "completed":
            parts.append(_rating_section(ctx, case, section.reload))
        parts += timeline(case, t)
        parts += [section_title(t("applications.materials"))]
        parts += [ft.Text(f"· {m.name}：{len(m.files)} {t('applications.files')}") for m in case.materials]
        parts += access_log(case, t)
        if case.status in WITHDRAWABLE:
            parts.append(_withdraw_button(ctx, case, section.reload))
        return ft.Column(parts, spacing=8)

    section = AsyncSection(t, load=load, build=build)
    return Screen(t("applications.detail"), ft.ListView([section]), loads=[section.reload], back_route="/applications")


def _withdraw_button(ctx: AppContext, case: ApplicationDetail, reload: Reload) -> ft.Control:
    t = ctx.t

    async def confirmed(_: ft.Event[ft.TextButton]) -> None:
        ctx.page.pop_dialog()
        await ApplicationService(ctx.api).withdraw(case.number)
        ctx.notify(t("applications.withdrawn"))
        await reload()

    def ask(_: ft.Event[ft.OutlinedButton]) -> None:
        ctx.page.show_dialog(
            ft.AlertDialog(
                title=ft.Text(t("applications.withdraw_confirm")),
                actions=[
                    ft.TextButton(t("common.cancel"), on_click=lambda _: ctx.page.pop_dialog()),
                    ft.TextButton(t("applications.withdraw"), on_click=ctx.guard(confirmed)),
                ],
            )
        )

    return ft.Semantics(
        identifier="withdraw-application",
        content=ft.OutlinedButton(t("applications.withdraw"), icon=ft.Icons.UNDO, on_click=ask),
    )
