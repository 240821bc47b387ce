"""How a case's status, deadline and steps read: shared by 我的办件 and the officers' workbench."""

import datetime as dt

import flet as ft

from api_client.models import (
    APPLICATION_STATUS_LABELS,
    ApplicationDetail,
    ApplicationStatus,
    Deadline,
    StepState,
)
from app.i18n import Translator
from app.widgets.states import section_title
from app.widgets.tags import status_tag

STATUS_COLOURS: dict[ApplicationStatus, ft.ColorValue] = {
    "submitted": ft.Colors.BLUE,
    "accepted": ft.Colors.BLUE,
    "in_review": ft.Colors.BLUE,
    "supplement": ft.Colors.ORANGE,
    "completed": ft.Colors.GREEN,
    "refused": ft.Colors.RED,
    "rejected": ft.Colors.RED,
    "withdrawn": ft.Colors.GREY,
}
STEP_ICONS: dict[StepState, ft.IconData] = {
    "pending": ft.Icons.HOURGLASS_EMPTY,
    "passed": ft.Icons.CHECK_CIRCLE,
    "rejected": ft.Icons.CANCEL,
    "supplement": ft.Icons.ERROR_OUTLINE,
}


def status_label(status: ApplicationStatus, t: Translator) -> str:
    return APPLICATION_STATUS_LABELS[status] if t.language == "zh" else t(f"status.{status}")


def status_chip(status: ApplicationStatus, t: Translator) -> ft.Control:
    return status_tag(status_label(status, t), STATUS_COLOURS[status])


def deadline_text(deadline: Deadline, t: Translator) -> str:
    if deadline.paused:
        return t("applications.paused")
    if deadline.days_left is None:
        return t("applications.not_accepted")
    text = (
        t("applications.overdue", days=-deadline.days_left)
        if deadline.overdue
        else t("applications.days_left", days=deadline.days_left)
    )
    return text + (f"（{deadline.note}）" if deadline.provisional and deadline.note else "")


def local_time(moment: dt.datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def step_chips(case: ApplicationDetail, t: Translator) -> ft.Control:
    return ft.Row(
        [
            ft.Semantics(
                identifier=f"step-{step.department.code}",
                content=ft.Chip(
                    leading=ft.Icon(STEP_ICONS[step.state], size=18),
                    label=ft.Text(f"{step.department.short_name} · {t(f'step.{step.state}')}"),
                    tooltip=step.note,
                ),
            )
            for step in case.steps
        ],
        wrap=True,
    )


def timeline(case: ApplicationDetail, t: Translator) -> list[ft.Control]:
    rows: list[ft.Control] = [section_title(t("applications.timeline"))]
    for event in reversed(case.timeline):
        who = " · ".join(
            x for x in (event.department.short_name if event.department else None, event.officer_name) if x
        )
        rows.append(
            ft.ListTile(
                leading=ft.Icon(ft.Icons.CIRCLE, size=12, color=STATUS_COLOURS[event.status]),
                title=ft.Text(event.action),
                subtitle=ft.Text(" · ".join(x for x in (local_time(event.at), who, event.note) if x)),
                dense=True,
            )
        )
    return rows


def access_log(case: ApplicationDetail, t: Translator) -> list[ft.Control]:
    rows: list[ft.Control] = [section_title(t("applications.access_log"))]
    if not case.access_log:
        rows.append(ft.Text(t("applications.no_access"), color=ft.Colors.OUTLINE))
    rows += [
        ft.Text(f"{local_time(entry.at)} · {entry.department.short_name} · {entry.officer_name}")
        for entry in case.access_log
    ]
    return rows
