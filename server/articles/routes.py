"""Thin HTTP layer over the article queries (ETags and Cache-Control) and over publishing.

Repeated reads are answered by `CachedReadsMiddleware` before they reach these routes (see server/app.py);
what arrives here opens a database connection in the thread pool. A write clears this process's read cache
once committed; other workers serve their cached copies for at most the cache's TTL (5 s).
"""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.concurrency import run_in_threadpool

from api_client import models as wire
from server.accounts.models import User
from server.articles import publishing, service
from server.core.admission import database_slot
from server.core.clock import Now, china_date
from server.core.deps import CurrentUser
from server.core.errors import ApiError, error_responses
from server.core.http_cache import NOT_MODIFIED, JsonBody, conditional_response, content_changed
from server.core.idempotency import IdempotentWrite
from server.core.pagination import Cursor, Limit

LIST_CACHE_CONTROL = "public, max-age=10"
DETAIL_CACHE_CONTROL = "public, max-age=60"
TOPICS_CACHE_CONTROL = "public, max-age=3600"
_TOPICS = JsonBody.of(wire.Page[wire.Topic](items=service.topics()))

articles = APIRouter(prefix="/articles", tags=["articles"], dependencies=[Depends(database_slot)])
topics = APIRouter(prefix="/topics", tags=["articles"])

ArticleId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def current_publisher(user: CurrentUser) -> User:
    """An officer of a department (publishes for it) or an admin (for any); citizens cannot write."""
    if user.role == "admin" or (user.role == "officer" and user.department_id is not None):
        return user
    raise ApiError(403, "forbidden")


Publisher = Annotated[User, Depends(current_publisher)]


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


@articles.post("", status_code=201, response_model=wire.ArticleDetail, responses=error_responses(401, 403, 409))
def publish_article(body: wire.ArticleCreate, user: Publisher, write: IdempotentWrite, now: Now) -> Response:
    response = write.respond(publishing.create(write.db, user, body, china_date(now)), status_code=201)
    content_changed()
    return response


@articles.patch("/{article_id}", response_model=wire.ArticleDetail, responses=error_responses(401, 403, 404, 409))
def update_article(
    article_id: ArticleId, body: wire.ArticleUpdate, user: Publisher, write: IdempotentWrite, now: Now
) -> Response:
    response = write.respond(publishing.update_article(write.db, user, article_id, body, china_date(now)))
    content_changed()
    return response


@articles.post("/{article_id}/repeal", response_model=wire.ArticleDetail, responses=error_responses(401, 403, 404, 409))
def repeal_article(
    article_id: ArticleId, body: wire.ArticleRepeal, user: Publisher, write: IdempotentWrite
) -> Response:
    response = write.respond(publishing.repeal(write.db, user, article_id, body))
    content_changed()
    return response
