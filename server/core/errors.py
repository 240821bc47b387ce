"""JSON errors with a stable code and a message in the caller's language, for every failure path."""

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from api_client.messages import Language, message_for
from api_client.models import ErrorBody

log = logging.getLogger("yiwang.errors")


class ApiError(Exception):
    """Raised by routes and services; turned into `ErrorBody` JSON by the handler below."""

    def __init__(
        self,
        status: int,
        code: str,
        field: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.field = field
        self.headers = dict(headers or {})


def not_found() -> ApiError:
    return ApiError(404, "not_found")


def request_language(request: Request) -> Language:
    """English only when the caller asks for it first; Chinese otherwise."""
    accept = request.headers.get("accept-language", "").strip().lower()
    return "en" if accept.startswith("en") else "zh"


def error_response(
    request: Request,
    status: int,
    code: str,
    field: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    body = ErrorBody(code=code, message=message_for(code, request_language(request)), field=field)
    return JSONResponse(body.model_dump(), status_code=status, headers=dict(headers or {}))


_PYDANTIC_CODES = {"missing": "field_required", "json_invalid": "body_invalid"}


def _validation_code(error: Mapping[str, Any]) -> tuple[str, str | None]:
    """Our code and the field name for the first pydantic error; custom checks carry their own code."""
    location = [str(part) for part in error.get("loc", ())]
    if location and location[0] in ("body", "query", "path", "header"):
        location = location[1:]  # where it came from; a field may itself be called "body"
    field = next((part for part in location if not part.isdigit()), None)
    kind = str(error.get("type", ""))
    if kind in _PYDANTIC_CODES:
        return _PYDANTIC_CODES[kind], field
    if kind.endswith(("_invalid", "_too_short", "_too_long", "_too_weak")):
        return kind, field
    return "value_invalid", field


def _first_meaningful(errors: Iterable[Mapping[str, Any]]) -> Mapping[str, Any]:
    """A union (e.g. `IdNumber | ""`) reports one error per branch; the custom check says most."""
    errors = list(errors)
    for error in errors:
        if str(error.get("type", "")).endswith(("_invalid", "_too_short", "_too_long", "_too_weak")):
            return error
    return errors[0] if errors else {}


def _allowed_methods(request: Request) -> str:
    """Every method some route serves at this path; Starlette's 405 names only the first route's."""
    routes = request.app.router.routes
    return ", ".join(
        method
        for method in ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
        if any(route.matches({**request.scope, "method": method})[0] is Match.FULL for route in routes)
    )


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> JSONResponse:
        return error_response(request, exc.status, exc.code, exc.field, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        code, field = _validation_code(_first_meaningful(exc.errors()))
        return error_response(request, 422, code, field)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 400:  # FastAPI's "error parsing the body" (bad UTF-8, nesting too deep, ...)
            return error_response(request, 422, "body_invalid")
        code = {404: "not_found", 405: "method_not_allowed", 413: "payload_too_large"}.get(
            exc.status_code, "value_invalid" if exc.status_code < 500 else "internal_error"
        )
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            headers["Allow"] = _allowed_methods(request)
        return error_response(request, exc.status_code, code, headers=headers)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        # The server closes the connection after an unhandled error: say so, or a client reuses a dead connection.
        return error_response(request, 500, "internal_error", headers={"Connection": "close"})


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the error statuses a route can answer with. Any request can meet 413 and 431 (see
    server/core/request_limits.py), 422, 500 and, when the server is overloaded, 503, so those are always there."""
    return {status: {"model": ErrorBody} for status in sorted({*statuses, 413, 422, 431, 500, 503})}
