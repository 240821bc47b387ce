"""What a feature hands the shell: a title, a body, and the loads to start once it is on screen."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import flet as ft


@dataclass
class Screen:
    title: str
    body: ft.Control
    loads: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    """Started once the screen is shown, inside the screen's error boundary (`app.shell.boundary`)."""
    actions: list[ft.Control] = field(default_factory=list)
    back_route: str | None = None
