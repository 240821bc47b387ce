"""互动交流: the choice of what to send (each type with what it is for and the server's answer deadline), the ways
to follow appeals (mine, lookup by credentials, the public mailbox, the figures) and the department directory."""

import flet as ft

from api_client import YiwangError
from api_client.models import APPEAL_TYPES, AppealDeadlineRule, AppealType
from app.appeals.composing import SLUG_OF, new_route
from app.appeals.service import AppealService
from app.context import AppContext
from app.shell.screen import Screen
from app.widgets.department_list import department_list
from app.widgets.states import AsyncSection, section_title, update_if_shown

TYPE_ICONS: dict[AppealType, ft.IconData] = {
    "咨询": ft.Icons.HELP_OUTLINE,
    "投诉": ft.Icons.REPORT_PROBLEM_OUTLINED,
    "建议": ft.Icons.LIGHTBULB_OUTLINE,
    "举报": ft.Icons.GAVEL,
    "评议": ft.Icons.THUMBS_UP_DOWN_OUTLINED,
}
FOLLOW_ENTRIES = (
    ("/appeals", "interaction.mine", ft.Icons.INBOX_OUTLINED),
    ("/appeals/lookup", "interaction.lookup", ft.Icons.KEY_OUTLINED),
    ("/interaction/mailbox", "interaction.mailbox", ft.Icons.MARK_EMAIL_READ_OUTLINED),
    ("/interaction/stats", "interaction.stats", ft.Icons.INSERT_CHART_OUTLINED),
)


def _type_tile(ctx: AppContext, appeal_type: AppealType, deadline: ft.Text) -> ft.Control:
    slug = SLUG_OF[appeal_type]
    t = ctx.t
    return ft.Semantics(
        identifier=f"appeal-type-{slug}",
        content=ft.ListTile(
            leading=ft.Icon(TYPE_ICONS[appeal_type], color=ft.Colors.PRIMARY),
            title=ft.Text(t(f"appeal_type.{slug}"), weight=ft.FontWeight.W_600),
            subtitle=ft.Column([ft.Text(t(f"appeal_purpose.{slug}")), deadline], spacing=2),
            trailing=ft.Icon(ft.Icons.CHEVRON_RIGHT),
            on_click=lambda _: ctx.go(new_route(appeal_type)),
        ),
    )


def _entry(ctx: AppContext, route: str, key: str, icon: ft.IconData) -> ft.Control:
    return ft.ListTile(
        leading=ft.Icon(icon),
        title=ft.Text(ctx.t(key)),
        subtitle=ft.Text(ctx.t(f"{key}_hint"), size=12),
        trailing=ft.Icon(ft.Icons.CHEVRON_RIGHT),
        on_click=lambda _: ctx.go(route),
    )


def interaction_screen(ctx: AppContext) -> Screen:
    t = ctx.t
    service = AppealService(ctx.api, ctx.store)
    deadlines = {kind: ft.Text(size=12, color=ft.Colors.OUTLINE, visible=False) for kind in APPEAL_TYPES}

    async def load_deadlines() -> None:
        """The server's rules, not numbers of ours; offline the device's copy, or nothing said."""
        try:
            rules: list[AppealDeadlineRule] = await service.deadline_rules(ctx.cache)
        except YiwangError:
            return  # the types stay usable; the deadline is on the receipt anyway
        for rule in rules:
            text = deadlines[rule.type]
            text.value = t("interaction.deadline", days=rule.days)
            text.visible = True
            update_if_shown(text)

    directory = AsyncSection(t, load=ctx.departments.all, build=lambda items: department_list(t, items))
    body = ft.ListView(
        [
            ft.Text(t("interaction.intro")),
            section_title(t("interaction.choose_type")),
            *(_type_tile(ctx, kind, deadlines[kind]) for kind in APPEAL_TYPES),
            section_title(t("interaction.follow")),
            *(_entry(ctx, route, key, icon) for route, key, icon in FOLLOW_ENTRIES),
            section_title(t("interaction.choose_department")),
            directory,
        ],
        spacing=8,
    )
    return Screen(t("nav.interaction"), body, loads=[load_deadlines, directory.reload])
