"""政务公开: article lists, details and the topic vocabulary. Send reads with `send_conditional` to use ETags."""

from pydantic import TypeAdapter

from api_client._operation import Operation
from api_client.models import ArticleDetail, ArticleFilters, ArticleSummary, Page, Topic

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
