"""互动交流: for now the departments that take citizens' messages; appeals come next."""

import flet as ft

from app.appeals.mailbox import interaction_links
from app.context import AppContext
from app.shell.screen import Screen
from app.widgets.department_list import department_list
from app.widgets.states import AsyncSection, section_title


def interaction_screen(ctx: AppContext) -> Screen:
    t = ctx.t
    directory = AsyncSection(t, load=ctx.departments.all, build=lambda items: department_list(t, items))
    body = ft.ListView(
        [
            ft.Text(t("interaction.intro")),
            interaction_links(ctx),
            section_title(t("interaction.choose_department")),
            directory,
        ],
        spacing=12,
    )
    return Screen(t("nav.interaction"), body, loads=[directory.reload])
