"""网上办事: for now the department directory; the service catalogue comes next."""

import flet as ft

from app.context import AppContext
from app.shell.screen import Screen
from app.widgets.department_list import department_list
from app.widgets.states import AsyncSection, section_title


def services_screen(ctx: AppContext) -> Screen:
    t = ctx.t
    directory = AsyncSection(t, load=ctx.departments.all, build=lambda items: department_list(t, items))
    body = ft.ListView([section_title(t("services.intro")), directory], spacing=12)
    return Screen(t("nav.services"), body, loads=[directory.reload])
