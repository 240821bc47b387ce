"""我的预约: today's queue numbers, then the citizen's hall appointments (upcoming first, then earlier ones),
each upcoming one cancellable after a confirmation, which frees its seat for others."""

from collections.abc import Awaitable, Callable

import flet as ft

from api_client.models import Appointment, Page, QueueTicket
from app.context import AppContext
from app.device_cache import Reading
from app.service_items.service import ServiceCatalogue
from app.service_items.views import day_label
from app.shell.screen import Screen
from app.widgets.paged_list import PagedList
from app.widgets.states import AsyncSection, section_title
from app.widgets.tags import status_tag

APPOINTMENTS_ROUTE = "/me/appointments"
STATUS_COLOURS = {
    "booked": ft.Colors.BLUE_700,
    "today": ft.Colors.GREEN_700,
    "cancelled": ft.Colors.GREY_600,
    "past": ft.Colors.GREY_600,
}
Reload = Callable[[], Awaitable[None]]


def appointment_state(appointment: Appointment) -> str:
    """booked (ahead, cancellable), today (ahead, too late to cancel), cancelled, or past."""
    if appointment.status == "cancelled":
        return "cancelled"
    if not appointment.upcoming:
        return "past"
    return "booked" if appointment.cancellable else "today"


def ticket_tile(ctx: AppContext, ticket: QueueTicket) -> ft.Control:
    t = ctx.t
    progress = {
        "waiting": t("visits.ticket_waiting", ahead=ticket.people_ahead, serving=ticket.now_serving),
        "serving": t("visits.ticket_serving"),
        "passed": t("visits.ticket_passed", serving=ticket.now_serving),
    }[ticket.status]
    return ft.ListTile(
        leading=ft.Icon(ft.Icons.CONFIRMATION_NUMBER_OUTLINED),
        title=ft.Text(
            f"{t('visits.ticket_number', number=ticket.number)} · {ticket.department.short_name}",
            weight=ft.FontWeight.W_600,
        ),
        subtitle=ft.Column([ft.Text(ticket.item_name), ft.Text(progress, size=12)], spacing=2),
    )


def _cancel_button(ctx: AppContext, appointment: Appointment, reload: Reload) -> ft.Control:
    t = ctx.t
    catalogue = ServiceCatalogue(ctx.api, ctx.cache)

    async def confirmed(_: ft.Event[ft.TextButton]) -> None:
        ctx.page.pop_dialog()
        await catalogue.cancel_appointment(appointment.id)
        ctx.notify(t("visits.cancelled"))
        await reload()

    def ask(_: ft.Event[ft.OutlinedButton]) -> None:
        body = t(
            "visits.cancel_body",
            item=appointment.item_name,
            date=day_label(appointment.date, t.language),
            start=appointment.start,
            end=appointment.end,
            department=appointment.department.short_name,
        )
        ctx.page.show_dialog(
            ft.AlertDialog(
                title=ft.Text(t("visits.cancel_confirm")),
                content=ft.Text(body),
                actions=[
                    ft.TextButton(t("visits.keep"), on_click=lambda _: ctx.page.pop_dialog()),
                    ft.Semantics(
                        identifier="confirm-cancel-appointment",
                        content=ft.TextButton(t("visits.cancel"), on_click=ctx.guard(confirmed)),
                    ),
                ],
            )
        )

    return ft.Semantics(
        identifier=f"cancel-appointment-{appointment.id}",
        label=t("visits.cancel_named", date=appointment.date.isoformat(), start=appointment.start),
        content=ft.OutlinedButton(t("visits.cancel"), icon=ft.Icons.EVENT_BUSY, on_click=ask),
    )


def appointment_tile(ctx: AppContext, appointment: Appointment, reload: Reload) -> ft.Control:
    t = ctx.t
    state = appointment_state(appointment)
    when = f"{appointment.date.isoformat()} {day_label(appointment.date, t.language)} {appointment.start}-{appointment.end}"
    lines: list[ft.Control] = [
        ft.Row([status_tag(t(f"visits.status.{state}"), STATUS_COLOURS[state]), ft.Text(when)], wrap=True),
        ft.Text(f"{appointment.department.name} · {appointment.hall_address}", size=12, color=ft.Colors.OUTLINE),
    ]
    if appointment.cancellable:
        lines.append(ft.Row([_cancel_button(ctx, appointment, reload)], alignment=ft.MainAxisAlignment.END))
    return ft.ListTile(
        leading=ft.Icon(ft.Icons.EVENT_AVAILABLE if appointment.upcoming else ft.Icons.HISTORY),
        title=ft.Text(appointment.item_name, weight=ft.FontWeight.W_600),
        subtitle=ft.Column(lines, spacing=4),
    )


def my_appointments_screen(ctx: AppContext) -> Screen:
    t = ctx.t
    if ctx.profile is None:
        body = ft.Column(
            [ft.Text(t("me.guest")), ft.FilledButton(t("me.login"), on_click=lambda _: ctx.go("/me/login"))],
            spacing=12,
        )
        return Screen(t("visits.title"), body, back_route="/me")
    catalogue = ServiceCatalogue(ctx.api, ctx.cache)
    shown_groups: set[bool] = set()  # which of upcoming/earlier already has its heading in the list

    async def load_page(cursor: str | None) -> Reading[Page[Appointment]]:
        if cursor is None:
            shown_groups.clear()
        return Reading(await catalogue.my_appointments(cursor))

    def build(appointment: Appointment) -> ft.Control:
        tile = appointment_tile(ctx, appointment, appointments.reload)
        if appointment.upcoming in shown_groups:
            return tile
        shown_groups.add(appointment.upcoming)
        heading = section_title(t("visits.upcoming" if appointment.upcoming else "visits.past"))
        return ft.Column([ft.Container(heading, padding=ft.Padding.only(left=16, top=8)), tile], spacing=0)

    async def load_tickets() -> list[QueueTicket]:
        return await catalogue.my_tickets()

    tickets = AsyncSection(
        t,
        load=load_tickets,
        build=lambda found: ft.Column([ticket_tile(ctx, ticket) for ticket in found], spacing=0),
        empty_text=t("visits.no_tickets"),
    )
    appointments: PagedList[Appointment] = PagedList(
        t,
        load_page,
        build,
        header=[section_title(t("visits.tickets")), tickets, section_title(t("visits.appointments"))],
        empty_text=t("visits.none"),
    )
    return Screen(t("visits.title"), appointments, loads=[tickets.reload, appointments.reload], back_route="/me")
