"""政务公开: article lists, details and the topic vocabulary (send reads with `send_conditional` to use ETags), and
publishing: officers for their department, admins for any."""

from pydantic import TypeAdapter

from api_client._operation import Operation, new_idempotency_key
from api_client.models import (
    ArticleCreate,
    ArticleDetail,
    ArticleFilters,
    ArticleRepeal,
    ArticleSummary,
    ArticleUpdate,
    Page,
    Topic,
)

_PAGE = TypeAdapter(Page[ArticleSummary])
_DETAIL = TypeAdapter(ArticleDetail)
_TOPICS = TypeAdapter(Page[Topic])


def list_articles(
    filters: ArticleFilters | None = None, cursor: str | None = None, limit: int | None = None
) -> Operation[Page[ArticleSummary]]:
    query = filters.model_dump(mode="json", exclude_none=True) if filters is not None else {}
    return Operation("GET", "/articles", _PAGE, query={**query, "cursor": cursor, "limit": limit})


def get_article(article_id: int) -> Operation[ArticleDetail]:
    return Operation("GET", "/articles/{article_id}", _DETAIL, path_params={"article_id": article_id})


def list_topics() -> Operation[Page[Topic]]:
    return Operation("GET", "/topics", _TOPICS)


def publish_article(body: ArticleCreate, idempotency_key: str | None = None) -> Operation[ArticleDetail]:
    """Keep `idempotency_key` with the draft: re-sending after a lost answer never publishes it twice."""
    return Operation(
        "POST",
        "/articles",
        _DETAIL,
        body=body,
        authenticated=True,
        idempotency_key=idempotency_key or new_idempotency_key(),
    )


def update_article(article_id: int, body: ArticleUpdate) -> Operation[ArticleDetail]:
    return Operation(
        "PATCH",
        "/articles/{article_id}",
        _DETAIL,
        path_params={"article_id": article_id},
        body=body,
        authenticated=True,
    )


def repeal_article(article_id: int, body: ArticleRepeal) -> Operation[ArticleDetail]:
    return Operation(
        "POST",
        "/articles/{article_id}/repeal",
        _DETAIL,
        path_params={"article_id": article_id},
        body=body,
        authenticated=True,
    )
