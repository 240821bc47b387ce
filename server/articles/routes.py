"""Thin HTTP layer over the article queries: ETags, Cache-Control and the in-process cache.

Routes open a database session only when the cache misses: a hit is a dictionary look-up.
"""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from api_client import models as wire
from server.articles import service
from server.core.errors import error_responses
from server.core.http_cache import NOT_MODIFIED, JsonBody, ReadCache, conditional_response
from server.core.pagination import Cursor, Limit

LIST_CACHE_CONTROL = "public, max-age=10"
DETAIL_CACHE_CONTROL = "public, max-age=60"
TOPICS_CACHE_CONTROL = "public, max-age=3600"
_TOPICS = JsonBody.of(wire.Page[wire.Topic](items=service.topics()))

articles = APIRouter(prefix="/articles", tags=["articles"])
topics = APIRouter(prefix="/topics", tags=["articles"])

ArticleId = Annotated[int, Path(ge=1, le=2**31 - 1)]


@articles.get("", response_model=wire.Page[wire.ArticleSummary], responses={**NOT_MODIFIED, **error_responses()})
def list_articles(
    request: Request, filters: Annotated[wire.ArticleFilters, Query()], cursor: Cursor = None, limit: Limit = 20
) -> Response:
    def load() -> JsonBody:
        with request.app.state.sessions() as db:
            return JsonBody.of(service.list_page(db, filters, cursor, limit))

    if cursor is None:
        body = ReadCache.of_app(request.app, "articles").get_or_load(("list", filters, limit), load)
    else:
        body = load()
    return conditional_response(request, body, LIST_CACHE_CONTROL)


@articles.get("/{article_id}", response_model=wire.ArticleDetail, responses={**NOT_MODIFIED, **error_responses(404)})
def get_article(request: Request, article_id: ArticleId) -> Response:
    def load() -> JsonBody:
        with request.app.state.sessions() as db:
            return JsonBody.of(service.detail(db, article_id))

    body = ReadCache.of_app(request.app, "articles").get_or_load(("detail", article_id), load)
    return conditional_response(request, body, DETAIL_CACHE_CONTROL)


@topics.get("", response_model=wire.Page[wire.Topic], responses={**NOT_MODIFIED, **error_responses()})
def list_topics(request: Request) -> Response:
    return conditional_response(request, _TOPICS, TOPICS_CACHE_CONTROL)
