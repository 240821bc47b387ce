"""A short status in white on its colour: a case's or an appeal's status, 督办, an appointment's state.
Every feature's statuses share this one look::

    status_tag(status_label(case.status, t), STATUS_COLOURS[case.status])
"""

import flet as ft


def status_tag(text: str, colour: ft.ColorValue) -> ft.Control:
    return ft.Container(
        ft.Text(text, color=ft.Colors.WHITE, size=12, weight=ft.FontWeight.W_600),
        bgcolor=colour,
        border_radius=12,
        padding=ft.Padding.symmetric(horizontal=8, vertical=2),
    )
