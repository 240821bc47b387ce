"""Thin HTTP layer over the article queries: ETags and Cache-Control.

Repeated reads are answered by `CachedReadsMiddleware` before they reach these routes (see server/app.py);
what arrives here opens a database connection in the thread pool.
"""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.concurrency import run_in_threadpool

from api_client import models as wire
from server.articles import service
from server.core.admission import database_slot
from server.core.errors import error_responses
from server.core.http_cache import NOT_MODIFIED, JsonBody, conditional_response
from server.core.pagination import Cursor, Limit

LIST_CACHE_CONTROL = "public, max-age=10"
DETAIL_CACHE_CONTROL = "public, max-age=60"
TOPICS_CACHE_CONTROL = "public, max-age=3600"
_TOPICS = JsonBody.of(wire.Page[wire.Topic](items=service.topics()))

articles = APIRouter(prefix="/articles", tags=["articles"], dependencies=[Depends(database_slot)])
topics = APIRouter(prefix="/topics", tags=["articles"])

ArticleId = Annotated[int, Path(ge=1, le=2**31 - 1)]


@articles.get("", response_model=wire.Page[wire.ArticleSummary], responses={**NOT_MODIFIED, **error_responses()})
async def list_articles(
    request: Request, filters: Annotated[wire.ArticleFilters, Query()], cursor: Cursor = None, limit: Limit = 20
) -> Response:
    def load() -> JsonBody:
        with request.app.state.engine.connect() as db:
            return JsonBody.of(service.list_page(db, filters, cursor, limit))

    return conditional_response(request, await run_in_threadpool(load), LIST_CACHE_CONTROL)


@articles.get("/{article_id}", response_model=wire.ArticleDetail, responses={**NOT_MODIFIED, **error_responses(404)})
async def get_article(request: Request, article_id: ArticleId) -> Response:
    def load() -> JsonBody:
        with request.app.state.engine.connect() as db:
            return JsonBody.of(service.detail(db, article_id))

    return conditional_response(request, await run_in_threadpool(load), DETAIL_CACHE_CONTROL)


@topics.get("", response_model=wire.Page[wire.Topic], responses={**NOT_MODIFIED, **error_responses()})
async def list_topics(request: Request) -> Response:
    return conditional_response(request, _TOPICS, TOPICS_CACHE_CONTROL)
