"""The departments of the service centre as rows a citizen can tap to call the department."""

import flet as ft

from api_client.models import Department
from app.i18n import Translator


def department_list(t: Translator, departments: list[Department]) -> ft.Control:
    """Each row is a button that dials the department's enquiry line (a tel: link); rows without a
    phone are plain text, so nothing looks tappable that is not."""
    return ft.Column(
        [
            ft.ListTile(
                leading=ft.Icon(ft.Icons.ACCOUNT_BALANCE_OUTLINED),
                title=ft.Text(d.name),
                subtitle=ft.Text(t("services.department_phone", phone=d.phone)) if d.phone else None,
                trailing=ft.Icon(ft.Icons.CALL_OUTLINED, color=ft.Colors.PRIMARY) if d.phone else None,
                url=f"tel:{d.phone}" if d.phone else None,
            )
            for d in departments
        ],
        spacing=0,
    )
