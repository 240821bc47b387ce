"""Headers every API answer carries, and cross-origin access (closed unless configured)."""

from fastapi import FastAPI
from starlette.datastructures import MutableHeaders
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

_ALWAYS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


class SecurityHeadersMiddleware:
    """nosniff, no referrer, no framing on every answer, and `Cache-Control: no-store` on every answer that did
    not choose its own caching: profiles, tokens, errors and anything personal are never kept by a browser or
    proxy, while public reads keep their `public, max-age` (server/core/http_cache.py)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in _ALWAYS.items():
                    headers.setdefault(name, value)
                headers.setdefault("Cache-Control", "no-store")
            await send(message)

        await self.app(scope, receive, send_with_headers)


def allow_cross_origin(app: FastAPI, origins: tuple[str, ...]) -> None:
    """Lets web pages from `origins` call the API (YIWANG_CORS_ORIGINS); with none, browsers keep the same-origin
    rule. Bearer tokens, not cookies, so no credentials mode."""
    if not origins:
        return
    app.add_middleware(
        CORSMiddleware,
        allow_origins=list(origins),
        allow_methods=["GET", "POST", "PATCH", "PUT", "DELETE"],
        allow_headers=[
            "Authorization",
            "Content-Type",
            "Accept-Language",
            "Idempotency-Key",
            "If-None-Match",
            "X-Request-ID",
        ],
        expose_headers=["ETag", "Retry-After", "X-Request-ID", "Idempotent-Replayed"],
        max_age=600,
    )
