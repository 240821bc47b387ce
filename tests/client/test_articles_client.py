"""The typed client for 政务公开 and search: against the in-process app, and a mock for the wire details."""

import datetime as dt
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from api_client import AsyncClient, Client, Fetched, NotFoundError, NotModified, UnprocessableEntityError, ops
from api_client.models import ArticleDetail, ArticleFilters, ArticleSummary, Page, SearchPage
from server.config import Settings
from tests.server.article_corpus import extra_article, load_corpus


@pytest.fixture
async def api(app: FastAPI, settings: Settings) -> AsyncIterator[AsyncClient]:
    load_corpus(settings)
    async with AsyncClient("http://yiwang.test", transport=httpx.ASGITransport(app=app)) as client:
        yield client


async def test_lists_filters_and_walks_pages(api: AsyncClient) -> None:
    filters = ArticleFilters(topic="shbz", published_from=dt.date(2025, 1, 1))
    seen: list[int] = []
    cursor = None
    while True:
        page = await api.send(ops.articles.list_articles(filters, cursor=cursor, limit=2))
        seen += [article.id for article in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == [3, 1, 4, 10]
    topics = await api.send(ops.articles.list_topics())
    assert topics.items[0].name == "社会保障"


async def test_detail_and_its_links(api: AsyncClient) -> None:
    article = await api.send(ops.articles.get_article(2))
    assert isinstance(article, ArticleDetail)
    assert article.validity == "amended"
    assert article.superseded_by is not None
    assert article.superseded_by.document_number == "辽人社发〔2026〕12号"
    with pytest.raises(NotFoundError) as missing:
        await api.send(ops.articles.get_article(999))
    assert missing.value.code == "not_found"


async def test_search_and_its_errors(api: AsyncClient) -> None:
    result = await api.send(ops.search.search("shebao"))
    assert isinstance(result, SearchPage)
    assert result.query == "社保"
    assert [item.id for item in result.items] == [4, 10, 5]  # 社保 also means 社会保险 (#10)
    assert result.items[0].scope == "article"
    assert result.suggestions == []
    with pytest.raises(UnprocessableEntityError) as empty:
        await api.send(ops.search.search("  "))
    assert empty.value.code == "query_empty"
    assert empty.value.message == "请输入要搜索的内容"


async def test_conditional_reads_answer_not_modified_until_content_changes(
    api: AsyncClient, settings: Settings
) -> None:
    first = await api.send_conditional(ops.articles.list_articles(limit=3), None)
    assert isinstance(first, Fetched)
    assert first.etag
    assert [a.id for a in first.value.items] == [3, 1, 8]
    again = await api.send_conditional(ops.articles.list_articles(limit=3), first.etag)
    assert again == NotModified(etag=first.etag)
    load_corpus(settings, [extra_article(11, dt.date(2026, 6, 1))])
    changed = await api.send_conditional(ops.articles.list_articles(limit=3), first.etag)
    assert isinstance(changed, Fetched)
    assert changed.etag != first.etag
    assert changed.value.items[0].id == 11


def test_sync_client_sends_if_none_match_and_parses_both_outcomes() -> None:
    requests: list[httpx.Request] = []
    body = Page[ArticleSummary](items=[]).model_dump_json().encode()

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        if request.headers.get("if-none-match") == '"v1"':
            return httpx.Response(304, headers={"etag": '"v1"'})
        return httpx.Response(200, content=body, headers={"etag": '"v1"', "content-type": "application/json"})

    with Client("http://yiwang.test", transport=httpx.MockTransport(handler)) as client:
        op = ops.articles.list_articles(ArticleFilters(kind="policy", published_to=dt.date(2026, 1, 31)), limit=5)
        fresh = client.send_conditional(op, None)
        cached = client.send_conditional(op, '"v1"')
    assert isinstance(fresh, Fetched) and fresh.etag == '"v1"' and fresh.value.items == []
    assert cached == NotModified(etag='"v1"')
    assert "if-none-match" not in requests[0].headers
    assert requests[1].headers["if-none-match"] == '"v1"'
    assert dict(requests[0].url.params) == {"kind": "policy", "published_to": "2026-01-31", "limit": "5"}
    assert requests[0].url.path == "/api/v1/articles"


def test_search_op_builds_its_query() -> None:
    op = ops.search.search("养老保险 缴费", cursor="abc", limit=10)
    assert op.path == "/search"
    assert op.params() == {"q": "养老保险 缴费", "scope": "articles", "cursor": "abc", "limit": 10}
    assert ops.articles.get_article(7).path == "/articles/7"
