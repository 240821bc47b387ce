"""How an appeal reads: its status, due date (days left, or 督办 when overdue), type and category, and the
message timeline. Shared by 我的诉求, the fast-channel list and the detail screens."""

from collections.abc import Callable

import flet as ft

from api_client.models import APPEAL_STATUS_LABELS, AppealDetail, AppealStatus, AppealSummary
from app.applications.presenting import local_time
from app.i18n import Translator
from app.widgets.states import section_title
from app.widgets.tags import status_tag

STATUS_COLOURS: dict[AppealStatus, ft.ColorValue] = {
    "pending": ft.Colors.BLUE,
    "replied": ft.Colors.GREEN,
    "closed": ft.Colors.GREY,
}


def status_label(status: AppealStatus, t: Translator) -> str:
    return APPEAL_STATUS_LABELS[status] if t.language == "zh" else t(f"following.status.{status}")


def status_chip(status: AppealStatus, t: Translator) -> ft.Control:
    return status_tag(status_label(status, t), STATUS_COLOURS[status])


def supervised_chip(t: Translator) -> ft.Control:
    return status_tag(t("following.supervised"), ft.Colors.RED)


def due_text(appeal: AppealSummary, t: Translator) -> str:
    """The due date, with the working days left while unanswered, or how late it is."""
    due = t("following.due_on", date=appeal.deadline.due_on.isoformat())
    left = appeal.deadline.days_left
    if appeal.deadline.overdue:
        return f"{due} · {t('following.overdue', days=-left if left is not None else 0)}"
    if left is not None and appeal.status == "pending":
        return f"{due} · {t('following.days_left', days=left)}"
    return due


def kind_text(appeal: AppealSummary) -> str:
    """类型 · 分类 · department, as one line."""
    return " · ".join((appeal.type, appeal.category, appeal.department.short_name))


def status_row(appeal: AppealSummary, t: Translator) -> ft.Control:
    chips = [status_chip(appeal.status, t)] + ([supervised_chip(t)] if appeal.supervised else [])
    due = ft.Text(due_text(appeal, t), size=12, color=ft.Colors.ERROR if appeal.deadline.overdue else None)
    return ft.Row([*chips, due], wrap=True, spacing=6)


def appeal_tile(appeal: AppealSummary, t: Translator, open_it: Callable[[], None]) -> ft.Control:
    return ft.ListTile(
        title=ft.Text(appeal.title, weight=ft.FontWeight.W_600),
        subtitle=ft.Column(
            [
                status_row(appeal, t),
                ft.Text(kind_text(appeal), size=12),
                ft.Text(f"{appeal.number} · {local_time(appeal.submitted_at)}", size=12, color=ft.Colors.OUTLINE),
            ],
            spacing=2,
        ),
        trailing=ft.Icon(ft.Icons.CHEVRON_RIGHT),
        on_click=lambda _: open_it(),
    )


MESSAGE_ICONS = {
    "submitted": ft.Icons.SEND,
    "follow_up": ft.Icons.ADD_COMMENT_OUTLINED,
    "reply": ft.Icons.QUESTION_ANSWER_OUTLINED,
    "transfer": ft.Icons.SWAP_HORIZ,
    "close": ft.Icons.TASK_ALT,
    "rating": ft.Icons.STAR_OUTLINE,
    "reopen": ft.Icons.REPLAY,
}


def timeline(appeal: AppealDetail, t: Translator) -> list[ft.Control]:
    """Every message, oldest first as a conversation reads: who said it (the department for its answers), when."""
    rows: list[ft.Control] = [section_title(t("following.timeline"))]
    for message in appeal.messages:
        who = message.department if message.author == "department" and message.department else t("following.me")
        rows.append(
            ft.ListTile(
                leading=ft.Icon(MESSAGE_ICONS[message.kind]),
                title=ft.Text(f"{t(f'following.kind.{message.kind}')} · {who}", weight=ft.FontWeight.W_600),
                subtitle=ft.Column([ft.Text(message.body), ft.Text(local_time(message.at), size=12)], spacing=2),
            )
        )
    return rows
