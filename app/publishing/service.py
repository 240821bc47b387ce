"""发布 for the views: the department's documents, the topic vocabulary, and the writes; the only caller of those APIs.

The department's documents come from the public list filtered by department (it holds every validity, so
repealed ones too); the server decides who may write each one (another department's is a 404)."""

from api_client import AsyncClient, ops
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

IN_FORCE_LIMIT = 100


class PublishingService:
    def __init__(self, api: AsyncClient) -> None:
        self._api = api

    async def documents(self, department: str, cursor: str | None = None) -> Page[ArticleSummary]:
        """The department's documents, newest first, whatever their validity."""
        return await self._api.send(ops.articles.list_articles(ArticleFilters(department=department), cursor))

    async def in_force(self, department: str) -> list[ArticleSummary]:
        """The department's newest documents in force: what may replace a document or be interpreted."""
        page = await self._api.send(
            ops.articles.list_articles(ArticleFilters(department=department, validity="valid"), limit=IN_FORCE_LIMIT)
        )
        return page.items

    async def document(self, article_id: int) -> ArticleDetail:
        return await self._api.send(ops.articles.get_article(article_id))

    async def topics(self) -> list[Topic]:
        return (await self._api.send(ops.articles.list_topics())).items

    async def publish(self, body: ArticleCreate, idempotency_key: str) -> ArticleDetail:
        return await self._api.send(ops.articles.publish_article(body, idempotency_key))

    async def update(self, article_id: int, body: ArticleUpdate) -> ArticleDetail:
        return await self._api.send(ops.articles.update_article(article_id, body))

    async def repeal(self, article_id: int, replaced_by: int | None) -> ArticleDetail:
        """已修订 when another document replaces it, else 已废止."""
        body = ArticleRepeal(validity="amended" if replaced_by else "repealed", superseded_by_id=replaced_by)
        return await self._api.send(ops.articles.repeal_article(article_id, body))
