"""Addresses a citizen can share: what the browser shows, not the socket the app talks over."""

from urllib.parse import urlsplit, urlunsplit

_BROWSER_SCHEMES = {"ws": "http", "wss": "https", "http": "http", "https": "https"}


def share_link(page_url: str | None, route: str) -> str | None:
    """The http(s) address of `route` in the web app whose session socket is `page_url`.

    Flet's web server reports the session's WebSocket address (`ws://host:port/base`); the same host
    and path over http(s) is the page. A desktop window has no such address: None.
    """
    if not page_url:
        return None
    parts = urlsplit(page_url)
    scheme = _BROWSER_SCHEMES.get(parts.scheme)
    if scheme is None or not parts.netloc:
        return None
    return urlunsplit((scheme, parts.netloc, parts.path.rstrip("/") + route, "", ""))
