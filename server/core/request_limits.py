"""Bounds on what a request may make the server hold: header count and size, body size; and query strings that
are not UTF-8 (a lone surrogate sent as %ED%BF%BF), which Starlette would silently turn into U+FFFD.

The body limit is checked before the body is read: a declared Content-Length over the limit is refused at once,
and a streamed (chunked) body is counted as it arrives and refused the moment it passes the limit, so a 100 MB
upload costs the server at most the limit. JSON requests get `MAX_JSON_BODY`; a path prefix may opt into its own
limit (uploads). Header *bytes* are bounded first by the HTTP server (`MAX_HEADER_BYTES`, see `server_options`).
"""

from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.core.errors import error_response

MAX_JSON_BODY = 1024 * 1024
MAX_HEADER_BYTES = 16 * 1024
MAX_HEADERS = 100
# The client may still be sending: the connection cannot be reused after a refusal.
_CLOSE = {"Connection": "close"}


class BodyTooLarge(HTTPException):
    """Raised from `receive` when a streamed body passes the limit; the error handlers turn it into a 413."""

    def __init__(self) -> None:
        super().__init__(413, headers=_CLOSE)


def server_options() -> dict[str, Any]:
    """uvicorn settings for every server we start: they bound the request line and headers (h11 answers 400 past
    them; httptools puts no bound on header size), and turn uvicorn's proxy headers off, since uvicorn believes
    X-Forwarded-For from 127.0.0.1: `server.core.deps.client_address` decides whom to believe instead."""
    return {"http": "h11", "h11_max_incomplete_event_size": MAX_HEADER_BYTES, "proxy_headers": False}


class RequestLimitsMiddleware:
    def __init__(
        self, app: ASGIApp, body_limit: int = MAX_JSON_BODY, body_limits_by_prefix: Mapping[str, int] | None = None
    ) -> None:
        self.app = app
        self.body_limit = body_limit
        # Longest prefix first, so /api/v1/attachments/x finds its own limit before a shorter prefix's.
        self.prefixed = sorted((body_limits_by_prefix or {}).items(), key=lambda item: -len(item[0]))

    def limit_for(self, path: str) -> int:
        return next((limit for prefix, limit in self.prefixed if path.startswith(prefix)), self.body_limit)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers: list[tuple[bytes, bytes]] = scope["headers"]
        if len(headers) > MAX_HEADERS or sum(len(name) + len(value) for name, value in headers) > MAX_HEADER_BYTES:
            await _refuse(scope, receive, send, 431, "headers_too_large")
            return
        if (parameter := _undecodable_parameter(scope["query_string"])) is not None:
            await _refuse(scope, receive, send, 422, "text_invalid", parameter)
            return
        limit = self.limit_for(scope["path"])
        declared = next((value for name, value in headers if name == b"content-length"), None)
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _refuse(scope, receive, send, 413, "payload_too_large")
            return

        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge()
            return message

        async def noting_start(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, noting_start)
        except BodyTooLarge:
            if started:
                raise
            await _refuse(scope, receive, send, 413, "payload_too_large")


def _undecodable_parameter(query_string: bytes) -> str | None:
    """The name of the first query parameter whose value is not valid UTF-8."""
    for name, value in parse_qsl(query_string.decode("latin-1"), keep_blank_values=True, encoding="latin-1"):
        try:
            value.encode("latin-1").decode("utf-8")
        except UnicodeDecodeError:
            return name.encode("latin-1").decode("utf-8", "replace")
    return None


async def _refuse(scope: Scope, receive: Receive, send: Send, status: int, code: str, field: str | None = None) -> None:
    headers = _CLOSE if status in (413, 431) else None
    response = error_response(Request(scope), status, code, field, headers=headers)
    await response(scope, receive, send)
