"""Thin HTTP layer over the catalogue queries: ETags and Cache-Control, like the articles.

Repeated anonymous reads are answered by `CachedReadsMiddleware` before they reach these routes.
"""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.concurrency import run_in_threadpool

from api_client import models as wire
from server.core.errors import error_responses
from server.core.http_cache import NOT_MODIFIED, JsonBody, conditional_response
from server.core.pagination import Cursor, Limit
from server.services import service

LIST_CACHE_CONTROL = "public, max-age=60"
GUIDE_CACHE_CONTROL = "public, max-age=300"
THEMES_CACHE_CONTROL = "public, max-age=3600"
_THEMES = JsonBody.of(wire.Page[wire.ServiceTheme](items=service.THEMES))

service_items = APIRouter(prefix="/service-items", tags=["service items"])
service_themes = APIRouter(prefix="/service-themes", tags=["service items"])

ItemCode = Annotated[str, Path(min_length=1, max_length=40, description="事项编码")]


@service_items.get(
    "", response_model=wire.Page[wire.ServiceItemSummary], responses={**NOT_MODIFIED, **error_responses()}
)
async def list_service_items(
    request: Request, filters: Annotated[wire.ServiceItemFilters, Query()], cursor: Cursor = None, limit: Limit = 20
) -> Response:
    def load() -> JsonBody:
        with request.app.state.engine.connect() as db:
            return JsonBody.of(service.list_page(db, filters, cursor, limit))

    return conditional_response(request, await run_in_threadpool(load), LIST_CACHE_CONTROL)


@service_items.get("/{code}", response_model=wire.ServiceItemGuide, responses={**NOT_MODIFIED, **error_responses(404)})
async def get_service_item(request: Request, code: ItemCode) -> Response:
    def load() -> JsonBody:
        with request.app.state.engine.connect() as db:
            return JsonBody.of(service.guide(db, code))

    return conditional_response(request, await run_in_threadpool(load), GUIDE_CACHE_CONTROL)


@service_themes.get("", response_model=wire.Page[wire.ServiceTheme], responses={**NOT_MODIFIED, **error_responses()})
async def list_service_themes(request: Request) -> Response:
    return conditional_response(request, _THEMES, THEMES_CACHE_CONTROL)
