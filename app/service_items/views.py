"""网上办事 screens: the catalogue by theme, department and audience, search, an item's guide, applying,
and for items that need a visit, booking a slot and taking a queue number."""

import asyncio
import datetime as dt
from collections.abc import Callable
from urllib.parse import quote, urlencode

import flet as ft

from api_client import YiwangError
from api_client.models import (
    AUDIENCE_LABELS,
    ITEM_TYPE_LABELS,
    MATERIAL_FORM_LABELS,
    AppointmentSlot,
    Department,
    Page,
    Receipt,
    SearchPage,
    SearchResult,
    ServiceItemFilters,
    ServiceItemGuide,
    ServiceItemSummary,
    ServiceTheme,
)
from app.applications.service import ApplicationService
from app.context import AppContext
from app.device_cache import Reading
from app.service_items.apply import ApplicationForm
from app.service_items.drafts import Draft, DraftStore
from app.service_items.service import ServiceCatalogue
from app.shell.screen import Screen
from app.widgets.department_list import department_list
from app.widgets.filters import filter_dropdown, filter_row
from app.widgets.paged_list import PagedList
from app.widgets.search_field import full_width, search_field
from app.widgets.states import AsyncSection, offline_banner, section_title, update_if_shown

WEEKDAYS = "一二三四五六日"


def day_label(day: dt.date, language: str) -> str:
    weekday = f"周{WEEKDAYS[day.weekday()]}" if language == "zh" else day.strftime("%a")
    return f"{day.month}/{day.day} {weekday}"


def _catalogue(ctx: AppContext) -> ServiceCatalogue:
    return ServiceCatalogue(ctx.api, ctx.cache)


def filters_from_query(query: dict[str, str]) -> ServiceItemFilters:
    audience = query.get("audience")
    return ServiceItemFilters(
        department=query.get("department") or None,
        theme=query.get("theme") or None,
        audience=audience if audience in ("person", "business") else None,
        online=True if query.get("online") == "true" else None,
    )


def services_route(filters: ServiceItemFilters) -> str:
    query = {k: str(v).lower() if isinstance(v, bool) else v for k, v in filters.model_dump(exclude_none=True).items()}
    query.pop("sort", None)
    return "/services" + (f"?{urlencode(query)}" if query else "")


def item_route(code: str) -> str:
    return f"/services/item/{quote(code, safe='')}"


def item_tile(ctx: AppContext, item: ServiceItemSummary) -> ft.Control:
    t = ctx.t
    visits = t("services.online") if item.online else t("services.visits", count=item.visits)
    days = t("services.instant") if item.promised_days == 0 else t("services.days", days=item.promised_days)
    return ft.ListTile(
        title=ft.Text(item.name, weight=ft.FontWeight.W_600),
        subtitle=ft.Text(f"{item.department.short_name} · {days} · {visits}"),
        trailing=ft.Icon(ft.Icons.CHEVRON_RIGHT),
        on_click=lambda _: ctx.go(item_route(item.code)),
    )


def _search_bar(ctx: AppContext, value: str = "") -> ft.Control:
    def search(query: str) -> None:
        if query:
            ctx.go(f"/services/search?{urlencode({'q': query})}")

    return full_width(search_field(ctx.t("services.search"), ctx.t("services.search_hint"), value, search))


def _audience_chips(ctx: AppContext, filters: ServiceItemFilters) -> ft.Control:
    def chip(audience: str | None, label: str) -> ft.Control:
        chosen = filters.model_copy(update={"audience": audience, "theme": None})
        return ft.Chip(
            label=ft.Text(label),
            selected=filters.audience == audience,
            on_select=lambda _: ctx.go(services_route(chosen)),
        )

    online = filters.model_copy(update={"online": None if filters.online else True})
    return ft.Row(
        [
            chip(None, ctx.t("services.all")),
            *(chip(a, label) for a, label in AUDIENCE_LABELS.items()),
            ft.Chip(
                label=ft.Text(ctx.t("services.online_only")),
                selected=bool(filters.online),
                on_select=lambda _: ctx.go(services_route(online)),
            ),
        ],
        wrap=True,
    )


def _theme_and_department(
    ctx: AppContext, filters: ServiceItemFilters, themes: list[ServiceTheme], departments: list[Department]
) -> ft.Control:
    t = ctx.t
    shown = [th for th in themes if filters.audience is None or th.audience == filters.audience]

    def choose(field: str) -> Callable[[str | None], None]:
        return lambda value: ctx.go(services_route(filters.model_copy(update={field: value})))

    return filter_row(
        filter_dropdown(
            "services-theme",
            t("services.theme"),
            filters.theme,
            [(th.name, th.name) for th in shown],
            t("articles.any"),
            choose("theme"),
        ),
        filter_dropdown(
            "services-department",
            t("services.department"),
            filters.department,
            [(d.code, d.short_name) for d in departments],
            t("articles.any"),
            choose("department"),
        ),
    )


def services_screen(ctx: AppContext) -> Screen:
    """Hot items first (the catalogue's `popular` order), narrowed by audience, theme, department, online."""
    t = ctx.t
    catalogue = _catalogue(ctx)
    filters = filters_from_query(ctx.route.query)
    filter_row = ft.Container(padding=ft.Padding.only(top=4, bottom=4))

    async def show_filters() -> None:
        try:
            themes, departments = await catalogue.themes(), await ctx.departments.all()
        except YiwangError:
            return
        filter_row.content = _theme_and_department(ctx, filters, themes, departments)
        update_if_shown(filter_row)

    async def load_page(cursor: str | None) -> Reading[Page[ServiceItemSummary]]:
        if cursor is None and filter_row.content is None:
            _, first = await asyncio.gather(show_filters(), catalogue.items(filters))
            return first
        return await catalogue.items(filters, cursor)

    shortcuts = ft.Row(
        [
            ft.OutlinedButton(
                t("applications.mine"), icon=ft.Icons.ASSIGNMENT_TURNED_IN, on_click=lambda _: ctx.go("/applications")
            ),
            ft.OutlinedButton(
                t("messages.title"), icon=ft.Icons.MAIL_OUTLINE, on_click=lambda _: ctx.go("/me/messages")
            ),
            ft.OutlinedButton(
                t("services.directory"), icon=ft.Icons.CALL, on_click=lambda _: ctx.go("/services/departments")
            ),
        ],
        wrap=True,
    )
    unfiltered = filters == ServiceItemFilters()
    items: PagedList[ServiceItemSummary] = PagedList(
        t,
        load_page,
        lambda item: item_tile(ctx, item),
        header=[
            _search_bar(ctx),
            shortcuts,
            _audience_chips(ctx, filters),
            filter_row,
            section_title(t("services.hot") if unfiltered else t("services.results")),
        ],
        empty_text=t("services.none"),
    )
    return Screen(t("nav.services"), items, loads=[items.reload])


def departments_screen(ctx: AppContext) -> Screen:
    """The departments in the service centre with their enquiry phones (a row calls the department)."""
    t = ctx.t
    directory = AsyncSection(t, load=ctx.departments.all, build=lambda items: department_list(t, items))
    body = ft.ListView([section_title(t("services.directory_intro")), directory], spacing=12)
    return Screen(t("services.directory"), body, loads=[directory.reload], back_route="/services")


def _result_tile(ctx: AppContext, result: SearchResult) -> ft.Control:
    return ft.ListTile(
        title=ft.Text(result.title, weight=ft.FontWeight.W_600),
        subtitle=ft.Text(result.snippet.replace("<em>", "").replace("</em>", ""), max_lines=2),
        trailing=ft.Icon(ft.Icons.CHEVRON_RIGHT),
        on_click=lambda _: ctx.go(item_route(result.code or "")),
    )


def service_search_screen(ctx: AppContext) -> Screen:
    t = ctx.t
    query = ctx.route.query.get("q", "").strip()
    catalogue = _catalogue(ctx)

    async def load_page(cursor: str | None) -> Reading[SearchPage]:
        return await catalogue.search(query, cursor)

    if not query:
        body: ft.Control = ft.ListView([_search_bar(ctx)])
        return Screen(t("services.search"), body, back_route="/services")
    results: PagedList[SearchResult] = PagedList(
        t, load_page, lambda r: _result_tile(ctx, r), header=[_search_bar(ctx, query)], empty_text=t("services.none")
    )
    return Screen(t("services.search"), results, loads=[results.reload], back_route="/services")


def _fact(label: str, value: str) -> ft.Control:
    return ft.Container(
        ft.Column([ft.Text(label, size=12, color=ft.Colors.OUTLINE), ft.Text(value, weight=ft.FontWeight.W_600)]),
        padding=ft.Padding.symmetric(horizontal=12, vertical=8),
        border_radius=8,
        bgcolor=ft.Colors.SURFACE_CONTAINER_HIGHEST,
    )


def _tag(text: str) -> ft.Control:
    """A label that is not a button (a Chip without a handler looks disabled)."""
    return ft.Container(
        ft.Text(text, size=13),
        border=ft.Border.all(1, ft.Colors.OUTLINE_VARIANT),
        border_radius=8,
        padding=ft.Padding.symmetric(horizontal=10, vertical=4),
    )


def _bullets(lines: list[str], numbered: bool = False) -> list[ft.Control]:
    return [ft.Text(f"{i}. {line}" if numbered else f"· {line}", selectable=True) for i, line in enumerate(lines, 1)]


def guide_view(ctx: AppContext, reading: Reading[ServiceItemGuide]) -> ft.Control:
    t = ctx.t
    guide = reading.value
    days = t("services.instant") if guide.promised_days == 0 else t("services.days", days=guide.promised_days)
    facts = ft.Row(
        [
            _fact(t("services.promised"), days),
            _fact(t("services.statutory"), t("services.days", days=guide.statutory_days)),
            _fact(t("services.fee"), guide.fee),
            _fact(t("services.visit_count"), t("services.visits", count=guide.visits)),
            _fact(t("services.online_label"), t("services.yes") if guide.online else t("services.no")),
        ],
        wrap=True,
    )
    materials = [
        ft.Checkbox(
            label=f"{m.name}（{t('apply.required') if m.required else t('apply.optional')} · "
            f"{MATERIAL_FORM_LABELS[m.form]} × {m.count}）",
            value=False,
        )
        for m in guide.materials
    ]
    actions: list[ft.Control] = [
        ft.Semantics(
            identifier="apply-online",
            content=ft.FilledButton(
                t("services.apply"),
                icon=ft.Icons.EDIT_DOCUMENT,
                on_click=lambda _: ctx.go(item_route(guide.code) + "/apply"),
            ),
        )
    ]
    if guide.visits > 0:
        actions.append(
            ft.OutlinedButton(
                t("services.book"),
                icon=ft.Icons.EVENT,
                on_click=lambda _: ctx.go(item_route(guide.code) + "/book"),
            )
        )
        actions.append(_ticket_button(ctx, guide))
    return ft.Column(
        [
            offline_banner(reading, t),
            ft.Text(guide.name, theme_style=ft.TextThemeStyle.HEADLINE_SMALL, weight=ft.FontWeight.W_600),
            ft.Text(
                f"{ITEM_TYPE_LABELS[guide.type]} · {guide.department.name} · {AUDIENCE_LABELS[guide.audience]}",
                color=ft.Colors.ON_SURFACE_VARIANT,
            ),
            ft.Text(f"{t('services.code')} {guide.code}", size=12, selectable=True),
            ft.Row(actions, wrap=True),
            facts,
            section_title(t("services.approving")),
            ft.Row([_tag(d.short_name) for d in guide.approving_departments], wrap=True),
            section_title(t("services.conditions")),
            *_bullets(guide.conditions),
            section_title(t("services.materials")),
            ft.Text(t("services.materials_hint"), size=12, color=ft.Colors.OUTLINE),
            *materials,
            section_title(t("services.steps")),
            *_bullets(guide.steps, numbered=True),
            section_title(t("services.hall")),
            ft.Text(f"{guide.hall_address}（{guide.hall_hours}）", selectable=True),
            ft.Text(
                t("services.phones", consult=guide.consult_phone, complaint=guide.complaint_phone), selectable=True
            ),
            section_title(t("services.legal_basis")),
            *_bullets(guide.legal_basis),
        ],
        spacing=8,
    )


def _ticket_button(ctx: AppContext, guide: ServiceItemGuide) -> ft.Control:
    t = ctx.t

    async def take(_: ft.Event[ft.OutlinedButton]) -> None:
        if ctx.profile is None:
            ctx.go("/me/login")
            return
        ticket = await _catalogue(ctx).take_ticket(guide.code)
        ctx.page.show_dialog(
            ft.AlertDialog(
                title=ft.Text(t("services.ticket_title", number=ticket.number)),
                content=ft.Text(
                    t(
                        "services.ticket_body",
                        department=ticket.department.name,
                        ahead=ticket.people_ahead,
                        serving=ticket.now_serving,
                    )
                ),
                actions=[ft.TextButton(t("common.ok"), on_click=lambda _: ctx.page.pop_dialog())],
            )
        )

    return ft.Semantics(
        identifier="take-ticket",
        content=ft.OutlinedButton(t("services.ticket"), icon=ft.Icons.CONFIRMATION_NUMBER, on_click=ctx.guard(take)),
    )


def item_screen(ctx: AppContext) -> Screen:
    code = ctx.route.params["code"]
    catalogue = _catalogue(ctx)

    async def load() -> Reading[ServiceItemGuide]:
        return await catalogue.guide(code)

    section = AsyncSection(ctx.t, load=load, build=lambda reading: guide_view(ctx, reading))
    return Screen(
        ctx.t("services.guide"), ft.ListView([section], spacing=8), loads=[section.reload], back_route="/services"
    )


def _needs_login(ctx: AppContext, title: str, back: str) -> Screen:
    t = ctx.t
    body = ft.Column(
        [ft.Text(t("me.guest")), ft.FilledButton(t("me.login"), on_click=lambda _: ctx.go("/me/login"))],
        spacing=12,
    )
    return Screen(title, body, back_route=back)


def apply_screen(ctx: AppContext) -> Screen:
    t = ctx.t
    code = ctx.route.params["code"]
    back = item_route(code)
    if ctx.profile is None:
        return _needs_login(ctx, t("services.apply"), back)
    drafts = DraftStore(ctx.preferences, Draft)
    service = ApplicationService(ctx.api)

    def submitted(receipt: Receipt) -> None:
        ctx.notify(t("apply.submitted", number=receipt.number))
        ctx.go(f"/applications/{receipt.number}")

    async def load() -> ApplicationForm:
        guide = (await _catalogue(ctx).guide(code)).value
        draft = await drafts.load(code) or Draft(item_code=code)
        form = ApplicationForm(ctx, guide, draft, drafts, service, submitted)
        await drafts.save(draft)
        return form

    def build(form: ApplicationForm) -> ft.Control:
        """The submit button stays in view under the scrolling form, as on a phone's form pages."""
        title = ft.Text(form.guide.name, theme_style=ft.TextThemeStyle.TITLE_LARGE)
        fields = ft.ListView([title, *form.controls()], spacing=12, expand=True)
        return ft.Column([fields, ft.Container(form.form.button, padding=ft.Padding.only(top=8))], expand=True)

    section = AsyncSection(t, load=load, build=build)
    section.expand = True
    return Screen(t("services.apply"), section, loads=[section.reload], back_route=back)


def _slot_tile(ctx: AppContext, code: str, slot: AppointmentSlot) -> ft.Control:
    t = ctx.t

    async def book(_: ft.Event[ft.ListTile]) -> None:
        appointment = await _catalogue(ctx).book(code, slot.date, slot.start)
        ctx.page.show_dialog(
            ft.SnackBar(
                ft.Text(t("services.booked", date=appointment.date.isoformat(), start=appointment.start)),
                action=t("services.see_appointments"),
                on_action=lambda _: ctx.go("/me/appointments"),
                show_close_icon=True,
            )
        )
        ctx.go(item_route(code))

    return ft.ListTile(
        title=ft.Text(f"{slot.date.isoformat()} {slot.start}-{slot.end}"),
        subtitle=ft.Text(t("services.seats", available=slot.available, capacity=slot.capacity)),
        disabled=slot.available == 0,
        on_click=ctx.guard(book),
    )


def booking_screen(ctx: AppContext) -> Screen:
    t = ctx.t
    code = ctx.route.params["code"]
    if ctx.profile is None:
        return _needs_login(ctx, t("services.book"), item_route(code))

    async def load() -> list[AppointmentSlot]:
        return await _catalogue(ctx).slots(code)

    section = AsyncSection(
        t, load=load, build=lambda slots: _slots_by_day(ctx, code, slots), empty_text=t("services.no_slots")
    )
    return Screen(t("services.book"), ft.ListView([section]), loads=[section.reload], back_route=item_route(code))


def _slots_by_day(ctx: AppContext, code: str, slots: list[AppointmentSlot]) -> ft.Control:
    """One working day's slots at a time, chosen by a chip per day: ten days of half hours is too long a list."""
    days = sorted({s.date for s in slots})
    shown = ft.Column(spacing=0)
    chips = ft.Row(wrap=True)

    def show(day: dt.date) -> None:
        of_day = [s for s in slots if s.date == day]
        notice = [ft.Text(ctx.t("services.provisional_day", year=day.year))] if of_day[0].provisional else []
        shown.controls = notice + [_slot_tile(ctx, code, s) for s in of_day]
        chips.controls = [
            ft.Chip(
                label=ft.Text(day_label(d, ctx.t.language)),
                selected=d == day,
                on_select=lambda _, d=d: show(d),
            )
            for d in days
        ]

    show(days[0])
    return ft.Column([chips, shown], spacing=8)
