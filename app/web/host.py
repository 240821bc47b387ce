"""Our ASGI app for the web client: files from the prebuilt web root (shell.py) with ServeStatic, which answers with
the precompressed variant the browser accepts, ETag/Last-Modified and 304s; every other request (the session
WebSocket, OAuth callback, uploads) goes to Flet's own FastAPI app, unchanged.

Caching: everything under ``/_v/<build id>/`` is immutable for a year (the id changes with any file); the HTML shell,
the manifest and the unversioned copies are revalidated on every visit (``no-cache`` + ETag), so a new release is
picked up at the next load. Client-side routes (``/disclosure``, ``/me/login``) get the shell.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import flet as ft
import flet_web.fastapi as flet_fastapi
import uvicorn
from servestatic import ServeStaticASGI
from servestatic.asgi import FileServerASGI
from servestatic.responders import StaticFile
from starlette.types import ASGIApp, Receive, Scope, Send

from app.theme_fonts import WEB_FALLBACK_FILE
from app.web.shell import APP_DESCRIPTION, APP_NAME, CJK_FALLBACK_FAMILIES, FALLBACK_FONTS_DIR, WebRoot, build_web_root

log = logging.getLogger("yiwang.web")

FLET_ENDPOINTS = ("/ws", "/oauth_callback", "/upload")
# The shell is deliberately NOT cross-origin isolated (no COOP/COEP, which Flet's own server sends): in an isolated
# page skwasm lays out text on the main thread while a worker rasterises, and this Flutter build shares Skia's glyph
# cache between the two without a lock (flutter/flutter#190039, fixed upstream by #190048). The heap corrupts:
# garbled glyphs, wasm "memory access out of bounds" / "null function", and now and then a tab spinning at 100 %.
# Single-threaded skwasm, which Flutter picks in a page that is not isolated, has no second thread to race with.
# A server keeps a disconnected session this long (Flet's default is an hour): a phone that lost its network comes
# back to its screen and typed values within it; later, to a new session at the same route.
SESSION_TIMEOUT_SECONDS = 15 * 60

AppMain = Callable[[ft.Page], Awaitable[None]]


def _is_client_route(path: str) -> bool:
    last = path.rsplit("/", 1)[-1]
    return "." not in last and not path.startswith(FLET_ENDPOINTS)


class WebHost:
    """Static files first (exact, precomputed table: no filesystem lookup per request), then Flet."""

    def __init__(self, root: WebRoot, flet_app: ASGIApp) -> None:
        self.root = root
        self.flet_app = flet_app
        self.static = ServeStaticASGI(
            None,
            max_age=None,
            allow_all_origins=True,
            immutable_file_test=lambda _path, url: url.startswith(root.prefix),
            add_headers_function=self._headers,
            allow_unsafe_symlinks=True,  # the web root links into Flet's package and our assets
            index_file=True,
        )
        self.static.add_files(root.directory, "/")
        self.static.add_files(root.directory, root.prefix)
        shell = self.static.files["/"]
        assert isinstance(shell, StaticFile)
        self.shell = shell
        self.fallback_font = self.static.files[f"{root.prefix}fonts/{WEB_FALLBACK_FILE}"]
        self.fallback_prefixes = tuple(
            f"{root.prefix}{FALLBACK_FONTS_DIR}{family}/" for family in CJK_FALLBACK_FAMILIES
        )

    def _headers(self, headers: Any, _path: str, url: str) -> None:
        if not url.startswith(self.root.prefix):
            headers["Cache-Control"] = "no-cache"

    def _file_for(self, path: str) -> Any:
        found = self.static.files.get(path)
        if found is not None:
            return found
        if path.startswith(self.fallback_prefixes):
            # Flutter asks for a Google Fonts slice of a CJK family for characters our primary face lacks; the Ext
            # face has every Han character those slices have (all are cut from Noto CJK), under one immutable URL.
            return self.fallback_font
        if _is_client_route(path):
            return self.shell
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in ("GET", "HEAD"):
            found = self._file_for(scope["path"])
            if found is not None:
                await FileServerASGI(found)(scope, receive, send)
                return
        await self.flet_app(scope, receive, send)


def create_web_app(main: AppMain, assets_dir: Path, cache_dir: Path | None = None) -> WebHost:
    root = build_web_root(assets_dir, cache_dir)
    flet_app = flet_fastapi.app(
        main,
        assets_dir=str(assets_dir),
        app_name=APP_NAME,
        app_description=APP_DESCRIPTION,
        no_cdn=True,
        session_timeout_seconds=SESSION_TIMEOUT_SECONDS,
    )
    outer = flet_fastapi.FastAPI(openapi_url=None, docs_url=None, redoc_url=None)  # runs Flet's session manager
    outer.mount("/", flet_app)
    return WebHost(root, outer)


def serve(main: AppMain, host: str, port: int, assets_dir: Path) -> None:
    """Serves the web app until interrupted (what `ft.run(view=None)` did, with our file serving)."""
    app = create_web_app(main, assets_dir)
    uvicorn.run(app, host=host, port=port, ws="websockets-sansio", log_level="warning")
