"""政务公开 lists and details, on SQLite and PostgreSQL: filters, cursors, links, ETags and the read cache."""

import datetime as dt
from typing import Any

import pytest
from fastapi.testclient import TestClient

from server.articles.ingest import insert_articles
from server.config import Settings
from server.db import make_engine
from tests.server.article_corpus import CORPUS, extra_article, load_corpus

ALL_NEWEST_FIRST = [id_ for _, id_ in sorted(((d.published_on, d.id) for d in CORPUS), reverse=True)]


@pytest.fixture(autouse=True)
def corpus(settings: Settings) -> None:
    load_corpus(settings)


def ids(http: TestClient, **params: Any) -> list[int]:
    response = http.get("/api/v1/articles", params={"limit": 100, **params})
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


def walk(http: TestClient, limit: int, **params: Any) -> list[int]:
    seen: list[int] = []
    cursor = None
    while True:
        page = http.get("/api/v1/articles", params={"limit": limit, "cursor": cursor, **params}).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            return seen


def test_list_is_newest_first_and_items_are_summaries(http: TestClient) -> None:
    response = http.get("/api/v1/articles", params={"limit": 100})
    items = response.json()["items"]
    assert [item["id"] for item in items] == ALL_NEWEST_FIRST
    first = items[0]
    assert first["title"] == "《辽宁省城乡居民基本养老保险实施办法》政策解读"
    assert "body" not in first
    policy = next(item for item in items if item["id"] == 1)
    assert policy["document_number"] == "辽人社发〔2026〕12号"
    assert policy["department"]["code"] == "rst"
    assert policy["department"]["short_name"] == "人力资源社会保障厅"
    assert policy["topics"] == ["shbz", "ylfw"]
    assert policy["written_on"] == "2026-03-01"
    assert response.json()["next_cursor"] is None


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "policy"}, [1, 8, 6, 2]),
        ({"kind": "interpretation"}, [3]),
        ({"department": "gat"}, [8, 7]),
        ({"topic": "hjgl"}, [8, 7]),
        ({"topic": "ylfw"}, [1, 9]),
        ({"validity": "amended"}, [2]),
        ({"validity": "repealed"}, [6]),
        ({"published_from": "2026-01-01"}, [3, 1, 8, 5]),
        ({"published_to": "2024-12-31"}, [6, 2]),
        ({"published_from": "2025-04-02", "published_to": "2025-09-09"}, [9, 10, 7]),
        ({"kind": "policy", "topic": "shbz", "validity": "valid"}, [1]),
        ({"department": "rst", "published_from": "2026-01-01", "topic": "shbz"}, [3, 1]),
        ({"kind": "news", "department": "gat"}, []),
    ],
)
def test_each_filter_and_combinations(http: TestClient, params: dict[str, str], expected: list[int]) -> None:
    assert ids(http, **params) == expected


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"topic": "nope"}, "topic"),
        ({"department": "nope"}, "department"),
        ({"kind": "rumour"}, "kind"),
        ({"validity": "maybe"}, "validity"),
        ({"published_from": "2026-13-01"}, "published_from"),
        ({"published_from": "2026-02-01", "published_to": "2026-01-01"}, "published_from"),
        ({"limit": "0"}, "limit"),
    ],
)
def test_bad_filters_are_clear_422s(http: TestClient, params: dict[str, str], field: str) -> None:
    response = http.get("/api/v1/articles", params=params)
    assert response.status_code == 422
    assert response.json()["field"] == field
    assert response.json()["code"] == "value_invalid"


@pytest.mark.parametrize("params", [{}, {"topic": "shbz"}, {"department": "rst"}, {"kind": "policy"}])
def test_cursor_walks_every_page_without_duplicates_or_gaps(http: TestClient, params: dict[str, str]) -> None:
    expected = ids(http, **params)
    for limit in (1, 2, 3):
        assert walk(http, limit, **params) == expected


def test_cursor_is_stable_when_articles_are_added_mid_walk(http: TestClient, settings: Settings) -> None:
    first = http.get("/api/v1/articles", params={"limit": 4}).json()
    assert [item["id"] for item in first["items"]] == [3, 1, 8, 5]
    load_corpus(
        settings,
        [
            extra_article(11, dt.date(2026, 6, 1)),  # newer than the whole first page
            extra_article(12, dt.date(2022, 1, 1)),  # in the part not read yet
            extra_article(13, dt.date(2026, 1, 5)),  # the cursor's day, but a higher id: sorts before it
        ],
    )
    assert walk_from(http, first["next_cursor"]) == [4, 9, 10, 7, 6, 12, 2]
    assert ids(http)[:6] == [11, 3, 1, 8, 13, 5]


def walk_from(http: TestClient, cursor: str | None) -> list[int]:
    seen: list[int] = []
    while cursor is not None:
        page = http.get("/api/v1/articles", params={"limit": 3, "cursor": cursor}).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
    return seen


def test_tampered_cursor_is_a_clear_422(http: TestClient) -> None:
    for cursor in ("!!!", "WyJ4Il0", "WyIyMDI2LTEzLTAxIiwxXQ"):  # garbage, ["x"], ["2026-13-01",1]
        response = http.get("/api/v1/articles", params={"cursor": cursor})
        assert response.status_code == 422
        assert response.json()["code"] == "cursor_invalid"


def test_detail_has_body_links_attachments_and_topics(http: TestClient) -> None:
    article = http.get("/api/v1/articles/1").json()
    assert article["body"].startswith("各市人民政府")
    assert "| 一档 | 200元 |" in article["body"]
    assert [a["name"] for a in article["attachments"]] == ["附件1：参保登记表.pdf", "附件2：缴费档次说明.pdf"]
    assert article["attachments"][1]["size_bytes"] == 860_000
    assert article["superseded_by"] is None
    assert [ref["id"] for ref in article["supersedes"]] == [2]
    assert article["supersedes"][0]["validity"] == "amended"
    assert [ref["id"] for ref in article["interpretations"]] == [3]
    assert article["interprets"] is None

    old = http.get("/api/v1/articles/2").json()
    assert old["validity"] == "amended"
    assert old["superseded_by"] == {
        "id": 1,
        "kind": "policy",
        "title": "辽宁省城乡居民基本养老保险实施办法",
        "document_number": "辽人社发〔2026〕12号",
        "published_on": "2026-03-10",
        "validity": "valid",
    }

    interpretation = http.get("/api/v1/articles/3").json()
    assert interpretation["interprets"]["id"] == 1
    assert interpretation["interpretations"] == []

    repealed = http.get("/api/v1/articles/6").json()
    assert repealed["validity"] == "repealed"
    assert repealed["superseded_by"] is None


def test_unknown_or_malformed_ids(http: TestClient) -> None:
    missing = http.get("/api/v1/articles/999")
    assert missing.status_code == 404
    assert missing.json()["code"] == "not_found"
    for bad in ("abc", "0", "99999999999999999999"):
        response = http.get(f"/api/v1/articles/{bad}")
        assert response.status_code == 422
        assert response.json()["field"] == "article_id"


@pytest.mark.parametrize(
    ("path", "cache_control"),
    [
        ("/api/v1/articles?limit=5", "public, max-age=10"),
        ("/api/v1/articles?topic=shbz", "public, max-age=10"),
        ("/api/v1/articles/1", "public, max-age=60"),
        ("/api/v1/topics", "public, max-age=3600"),
    ],
)
def test_etag_and_304(http: TestClient, path: str, cache_control: str) -> None:
    first = http.get(path)
    etag = first.headers["etag"]
    assert first.headers["cache-control"] == cache_control
    assert etag.startswith('"') and etag.endswith('"')
    again = http.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    assert http.get(path, headers={"If-None-Match": f'"other", W/{etag}'}).status_code == 304
    assert http.get(path, headers={"If-None-Match": '"other"'}).status_code == 200


def test_etag_changes_when_content_changes(http: TestClient, settings: Settings) -> None:
    before = http.get("/api/v1/articles", params={"limit": 5})
    load_corpus(settings, [extra_article(11, dt.date(2026, 6, 1))])
    after = http.get("/api/v1/articles", params={"limit": 5}, headers={"If-None-Match": before.headers["etag"]})
    assert after.status_code == 200  # a write in this process clears the cache at once
    assert after.json()["items"][0]["id"] == 11
    assert after.headers["etag"] != before.headers["etag"]


def test_cached_first_page_expires_for_writes_made_elsewhere(http: TestClient, settings: Settings) -> None:
    """Another worker's write is not announced here: the TTL bounds how long the old page is served."""
    now = [0.0]
    cache = http.app.state.read_cache  # type: ignore[attr-defined]
    cache.clock = lambda: now[0]
    assert ids(http)[0] == 3
    engine = make_engine(settings.database_url)
    with engine.begin() as connection:  # committed without content_changed(), as another process would
        insert_articles(connection, [extra_article(11, dt.date(2026, 6, 1))])
    engine.dispose()
    now[0] = cache.ttl - 0.1
    assert ids(http)[0] == 3
    now[0] = cache.ttl + 0.1
    assert ids(http)[0] == 11


def test_topics_vocabulary(http: TestClient) -> None:
    topics = http.get("/api/v1/topics").json()["items"]
    assert {"code": "shbz", "name": "社会保障"} in topics
    assert [t["name"] for t in topics][:7] == [
        "社会保障",
        "就业创业",
        "教育",
        "医疗卫生",
        "住房",
        "惠农政策",
        "营商环境",
    ]
