"""The workbench's parts side by side at the top of each: 办件 (applications) and 诉求 (appeals)."""

import flet as ft

from app.context import AppContext

SECTIONS = {"cases": "/workbench", "appeals": "/workbench/appeals"}


def workbench_sections(ctx: AppContext, current: str) -> ft.Control:
    """A segmented choice; choosing a part opens its inbox (its address, so Back returns here)."""
    t = ctx.t

    def chosen(event: ft.Event[ft.SegmentedButton]) -> None:
        picked = next(iter(event.control.selected), current)
        if picked != current:
            ctx.go(SECTIONS[picked])

    return ft.Semantics(
        identifier="workbench-sections",
        content=ft.SegmentedButton(
            segments=[
                ft.Segment(value="cases", label=ft.Text(t("workbench.section_cases")), icon=ft.Icons.ASSIGNMENT),
                ft.Segment(value="appeals", label=ft.Text(t("workbench.section_appeals")), icon=ft.Icons.FORUM),
            ],
            selected=[current],
            on_change=chosen,
        ),
    )
