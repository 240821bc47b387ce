import flet as ft

from api_client.models import Department
from app.context import AppContext
from app.shell.screen import Screen
from app.widgets import AsyncSection, section_title


def department_list(ctx: AppContext, departments: list[Department]) -> ft.Control:
    return ft.Column(
        [
            ft.ListTile(
                leading=ft.Icon(ft.Icons.ACCOUNT_BALANCE_OUTLINED),
                title=ft.Text(d.name),
                subtitle=ft.Text(ctx.t("services.department_phone", phone=d.phone)) if d.phone else None,
            )
            for d in departments
        ],
        spacing=0,
    )


def services_screen(ctx: AppContext) -> Screen:
    t = ctx.t
    directory = AsyncSection(t, load=ctx.departments.all, build=lambda items: department_list(ctx, items))
    body = ft.ListView([section_title(t("services.intro")), directory], spacing=12)
    return Screen(t("nav.services"), body, loads=[directory.reload])
