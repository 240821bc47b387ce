"""Radio groups and dropdowns that a screen reader names.

A `RadioGroup` has no semantics node of its own, so a reader announces 中文, English without saying what they
choose. A labelled container node around the group is what Flutter web turns into `role="group"` with that
`aria-label`, the name a reader says on entering the group. Flutter web also leaves a dropdown's label out of its
button, so its name and its choice go on a Semantics around it (which can carry a test identifier too)::

    language = choice_group(t("settings.language"), ft.RadioGroup(ft.Row([...]), on_change=changed))
    named = named_dropdown("appeal-category", t("compose.category"), category)
    category.on_select = lambda _: name_choice(named)    # keep the spoken choice current
"""

import flet as ft


def choice_group(label: str, group: ft.RadioGroup) -> ft.Semantics:
    return ft.Semantics(label=label, container=True, content=group)


def named_dropdown(identifier: str | None, label: str, dropdown: ft.Dropdown) -> ft.Semantics:
    named = ft.Semantics(identifier=identifier, label=label, content=dropdown)
    name_choice(named)
    return named


def name_choice(named: ft.Semantics) -> None:
    """The dropdown's chosen option becomes the value a reader says after its name (call after each choice)."""
    dropdown = named.content
    assert isinstance(dropdown, ft.Dropdown)
    named.value = next((str(o.text) for o in dropdown.options or [] if o.key == dropdown.value), "")
