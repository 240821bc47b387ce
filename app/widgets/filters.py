"""Filter dropdowns above a list (政务公开's topic and department, 网上办事's theme and department).

    row = filter_row(
        filter_dropdown("topic-filter", t("articles.topic"), filters.topic, [(tp.code, tp.name) for tp in topics],
                        t("articles.any"), lambda code: ctx.go(route_with(topic=code))),
        ...,
    )

The choice goes into the route (the screen is rebuilt from it), so the dropdown holds no state of its own.
"""

from collections.abc import Callable, Sequence

import flet as ft


def filter_dropdown(
    identifier: str,
    label: str,
    value: str | None,
    options: Sequence[tuple[str, str]],
    any_text: str,
    on_choose: Callable[[str | None], None],
) -> ft.Control:
    """`options` are (key, text); "" is 不限. Flutter web leaves a dropdown's label out of its button, so the name and
    the choice go on a Semantics around it, which also carries the test identifier."""
    dropdown = ft.Dropdown(
        label=label,
        value=value or "",
        options=[ft.DropdownOption(key="", text=any_text), *(ft.DropdownOption(key=k, text=v) for k, v in options)],
        on_select=lambda e: on_choose(e.control.value or None),
        dense=True,
        menu_height=400,
    )
    chosen = next((text for key, text in options if key == value), any_text)
    return ft.Semantics(identifier=identifier, label=label, value=chosen, content=dropdown, col={"xs": 12, "sm": 6})


def filter_row(*dropdowns: ft.Control) -> ft.ResponsiveRow:
    """Side by side on wide screens, one above the other on a phone: a dropdown is as wide as its longest choice,
    and half a phone is too narrow for 人力资源社会保障厅."""
    return ft.ResponsiveRow(list(dropdowns), spacing=8, run_spacing=8)
