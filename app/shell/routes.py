"""Routes to screens, as pure data: which destination a route belongs to and which screen shows it."""

from dataclasses import dataclass, field
from urllib.parse import parse_qsl, unquote

import flet as ft


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

# Route templates to screens; `:name` segments become `RouteMatch.params`.
SCREENS = {
    "/": "home",
    "/disclosure": "disclosure",
    "/disclosure/search": "search",
    "/disclosure/bookmarks": "bookmarks",
    "/disclosure/topics": "topics",
    "/disclosure/article/:id": "article",
    "/services": "services",
    "/interaction": "interaction",
    "/me": "me",
    "/me/login": "login",
    "/me/register": "register",
    "/me/profile": "profile",
    "/me/settings": "settings",
}

# A phone held upright is narrower than this: navigation goes to a bottom bar.
COMPACT_WIDTH = 600


@dataclass(frozen=True)
class RouteMatch:
    route: str
    screen: str
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


def match(route: str) -> RouteMatch:
    """Unknown routes fall back to the home screen rather than a dead end."""
    path, _, query = route.partition("?")
    path = path.rstrip("/") or "/"
    found = next(
        (
            (screen, params)
            for template, screen in SCREENS.items()
            if (params := _match_template(template, path)) is not None
        ),
        None,
    )
    if found is None:
        return RouteMatch("/", "home", 0)
    screen, params = found
    destination = max(
        (i for i, d in enumerate(DESTINATIONS) if path == d.route or path.startswith(d.route + "/")),
        key=lambda i: len(DESTINATIONS[i].route),
        default=0,
    )
    return RouteMatch(path, screen, destination, params, dict(parse_qsl(query)))


def is_compact(width: float | None) -> bool:
    return width is not None and width < COMPACT_WIDTH
