"""Routes to screens. Each feature declares its own routes; the shell collects them (`app.shell.features`).

A feature folder has a `routes.py` with a tuple of `Route`s; a new feature adds its tuple to
`app/shell/features.py` and nothing else in the shell changes::

    ROUTES = (
        Route("/services", services_screen),
        Route("/services/item/:code", item_screen),     # `:code` arrives as ctx.route.params["code"]
    )

A builder takes the session's `AppContext` and returns a `Screen`; the query string is in
`ctx.route.query`. The bottom-bar destination is the one whose route is the longest prefix of the path.
Addresses that match no route get the not-found screen.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, unquote

import flet as ft

from app.shell.screen import Screen

if TYPE_CHECKING:
    from app.context import AppContext

ScreenBuilder = Callable[["AppContext"], Screen]


@dataclass(frozen=True)
class Destination:
    route: str
    label_key: str
    icon: ft.IconData
    selected_icon: ft.IconData


DESTINATIONS: tuple[Destination, ...] = (
    Destination("/", "nav.home", ft.Icons.HOME_OUTLINED, ft.Icons.HOME),
    Destination("/disclosure", "nav.disclosure", ft.Icons.ARTICLE_OUTLINED, ft.Icons.ARTICLE),
    Destination("/services", "nav.services", ft.Icons.ASSIGNMENT_OUTLINED, ft.Icons.ASSIGNMENT),
    Destination("/interaction", "nav.interaction", ft.Icons.FORUM_OUTLINED, ft.Icons.FORUM),
    Destination("/me", "nav.me", ft.Icons.PERSON_OUTLINE, ft.Icons.PERSON),
)

# A phone held upright is narrower than this: navigation goes to a bottom bar.
COMPACT_WIDTH = 600


@dataclass(frozen=True)
class Route:
    template: str
    """A path such as "/disclosure/article/:id"; `:name` segments become `RouteMatch.params`."""
    build: ScreenBuilder


@dataclass(frozen=True)
class RouteMatch:
    route: str
    template: str | None
    """The matched `Route.template`; None when no route matches (the not-found screen)."""
    destination: int
    params: dict[str, str] = field(default_factory=dict)
    query: dict[str, str] = field(default_factory=dict)


def _match_template(template: str, path: str) -> dict[str, str] | None:
    want, have = template.strip("/").split("/"), path.strip("/").split("/")
    if len(want) != len(have):
        return None
    params = {}
    for expected, actual in zip(want, have, strict=True):
        if expected.startswith(":"):
            if not actual:
                return None
            params[expected[1:]] = unquote(actual)
        elif expected != actual:
            return None
    return params


def destination_of(path: str) -> int:
    return max(
        (i for i, d in enumerate(DESTINATIONS) if path == d.route or path.startswith(d.route + "/")),
        key=lambda i: len(DESTINATIONS[i].route),
        default=0,
    )


class RouteTable:
    """Every route of the app; two features claiming one template is a programming error."""

    def __init__(self, routes: Iterable[Route]) -> None:
        self._routes: dict[str, Route] = {}
        for route in routes:
            if route.template in self._routes:
                raise ValueError(f"two screens claim the route {route.template}")
            self._routes[route.template] = route

    def match(self, route: str) -> RouteMatch:
        path, _, query = route.partition("?")
        path = path.rstrip("/") or "/"
        found = next(
            (
                (template, params)
                for template in self._routes
                if (params := _match_template(template, path)) is not None
            ),
            None,
        )
        template, params = found if found is not None else (None, {})
        return RouteMatch(path, template, destination_of(path), params, dict(parse_qsl(query)))

    def builder(self, match: RouteMatch) -> ScreenBuilder | None:
        return self._routes[match.template].build if match.template is not None else None


def is_compact(width: float | None) -> bool:
    return width is not None and width < COMPACT_WIDTH
