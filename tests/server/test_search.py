"""Search as people type it, with the same assertions on SQLite and PostgreSQL (same corpus, same answers)."""

import datetime as dt
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api_client.models import split_highlights
from server.config import Settings
from server.search.text import TITLE_WEIGHT
from tests.server.article_corpus import extra_article, load_corpus


@pytest.fixture(autouse=True)
def corpus(settings: Settings) -> None:
    load_corpus(settings)


def search(http: TestClient, q: str, **params: Any) -> dict[str, Any]:
    response = http.get("/api/v1/search", params={"q": q, "limit": 50, **params})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def found(http: TestClient, q: str) -> list[int]:
    return [item["id"] for item in search(http, q)["items"]]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        # Two-character words, the commonest queries: title matches first, then by date, newest first.
        # 社保 also means 社会保险 (#10), a point below the word as typed.
        ("社保", [4, 10, 5]),
        ("户口", [7]),
        ("医保", [5]),
        ("低保", [6]),
        ("落户", [7]),
        # A phrase matches only where its characters are adjacent: #9 has 养老 and 保险 apart.
        ("养老保险", [3, 1, 2]),
        # Several words: no word is compulsory; documents holding more of them, and rarer ones, come first.
        ("养老保险 缴费", [1, 2, 3, 10]),
        ("缴费", [10, 1, 2, 3]),
        # Document numbers with or without brackets; 12号 never matches 112号.
        ("〔2026〕12号", [1]),
        ("2026 12号", [1]),
        # A single character matches titles only.
        ("户", [7]),
    ],
)
def test_finds_what_people_type(http: TestClient, q: str, expected: list[int]) -> None:
    assert found(http, q) == expected


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("shebao", "社保"),
        ("hukou", "户口"),
        ("dibao", "低保"),
        ("yanglaobaoxian", "养老保险"),
        ("YangLao BaoXian", "养老 保险"),
        ("醫保", "医保"),
        ("戶口", "户口"),
        ("養老保險 繳費", "养老保险 缴费"),
        ("２０２６　１２号", "〔2026〕12号"),
        ("2026 12号", "〔2026〕12号"),
        ("[2026]12号", "〔2026〕12号"),
    ],
)
def test_pinyin_traditional_and_full_width_find_the_same(http: TestClient, typed: str, meant: str) -> None:
    converted = search(http, typed)
    assert converted["query"] == meant
    assert converted["items"] == search(http, meant)["items"]
    assert converted["items"]


@pytest.mark.parametrize(("q", "first"), [("辽人社发〔2026〕12号", 1), ("辽公发〔2026〕112号", 8)])
def test_a_full_document_number_comes_first(http: TestClient, q: str, first: int) -> None:
    assert found(http, q)[0] == first


def test_pinyin_typed_without_spaces_is_one_phrase(http: TestClient) -> None:
    result = search(http, "yanglaobaoxianjiaofei")
    assert result["query"] == "养老保险缴费"
    # The phrase's pieces are terms too; the one document holding the whole phrase ranks above the
    # other document that has no 养老保险 in its title.
    assert [item["id"] for item in result["items"]] == [1, 3, 2, 10]
    assert search(http, "shebaoka")["query"] == "社保卡"


def test_ranking_is_relevance_then_recency(http: TestClient) -> None:
    items = search(http, "社保")["items"]
    # One term: its weight multiplies every score alike (title 8, body occurrences 3 and 1, synonym -1).
    scores = [(item["id"], item["score"]) for item in items]
    weight = scores[2][1]
    assert scores == [(4, (TITLE_WEIGHT + 3) * weight), (10, (TITLE_WEIGHT - 1) * weight), (5, weight)]
    # Equal scores fall back to the publish date, newest first.
    same = search(http, "养老保险")["items"]
    assert same[1]["score"] == same[2]["score"]
    assert same[1]["published_on"] > same[2]["published_on"]


def test_results_carry_scope_title_kind_date_and_marked_snippet(http: TestClient) -> None:
    first = search(http, "社保")["items"][0]
    assert first["scope"] == "article"
    assert first["id"] == 4
    assert first["title"] == "关于做好社保卡申领工作的通知"
    assert first["kind"] == "notice"
    assert first["published_on"] == "2025-11-20"
    assert first["snippet"].startswith("第三代<em>社保</em>卡全面开放申领")
    assert [text for text, marked in split_highlights(first["snippet"]) if marked] == ["社保", "社保", "社保"]


def test_snippet_escapes_text_and_marks_every_term(http: TestClient) -> None:
    snippet = search(http, "缴费 上限")["items"][0]["snippet"]
    assert snippet.startswith("灵活就业人员<em>缴费</em>基数&lt;<em>上限</em>时按实际申报。")
    pieces = split_highlights(snippet)
    assert pieces[:4] == [("灵活就业人员", False), ("缴费", True), ("基数<", False), ("上限", True)]


def test_long_content_snippets_are_cut_around_the_first_match(http: TestClient) -> None:
    snippet = search(http, "待遇标准")["items"][0]["snippet"]
    assert "<em>待遇标准</em>" in snippet
    assert len("".join(text for text, _ in split_highlights(snippet))) <= 82  # 80 characters and the … marks


@pytest.mark.parametrize("q", ["保险", "社保", "养老保险", "养老保险 缴费", "〔2026〕12号"])
def test_search_pages_by_cursor(http: TestClient, q: str) -> None:
    everything = found(http, q)
    assert everything
    seen: list[int] = []
    cursor = None
    while True:
        page = search(http, q, limit=1, cursor=cursor)
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == everything


def test_new_articles_are_found_at_once(http: TestClient, settings: Settings) -> None:
    assert 11 not in found(http, "资格认证")
    load_corpus(settings, [extra_article(11, dt.date(2026, 6, 1))])
    assert found(http, "资格认证") == [11]


@pytest.mark.parametrize(
    ("q", "code"),
    [("", "query_empty"), ("   ", "query_empty"), ("　", "query_empty"), ("社" * 101, "query_too_long")],
)
def test_empty_and_long_queries_are_clear_422s(http: TestClient, q: str, code: str) -> None:
    zh = http.get("/api/v1/search", params={"q": q})
    en = http.get("/api/v1/search", params={"q": q}, headers={"Accept-Language": "en"})
    assert zh.status_code == en.status_code == 422
    assert zh.json()["code"] == code
    assert zh.json()["field"] == "q"
    assert zh.json()["message"] != en.json()["message"]


def test_missing_query_and_unknown_scope_are_422s(http: TestClient) -> None:
    assert http.get("/api/v1/search").json()["code"] == "field_required"
    assert http.get("/api/v1/search", params={"q": "社保", "scope": "everything"}).status_code == 422
    assert http.get("/api/v1/search", params={"q": "社保", "cursor": "junk!"}).json()["code"] == "cursor_invalid"


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("！？。……", []),
        ("***", []),
        ('"社保', [4, 10, 5]),
        ('社保"', [4, 10, 5]),
        ('"社保卡"', [4, 5]),
        ("社保*", [4, 10, 5]),
        ("社保 OR 医保", [5, 4, 10]),  # no operators: "or" is a word, found nowhere
        ("NEAR(社保 医保)", [5, 4, 10]),
        ("社保 AND 医保", [5, 4, 10]),
        ("社保 医保", [5, 4, 10]),
        ("'; DROP TABLE articles; --", []),
        ("%_%", []),
        ("社" * 100, []),
        ("a", []),
        ("🙂", []),
    ],
)
def test_operators_and_punctuation_are_plain_text_never_errors(http: TestClient, q: str, expected: list[int]) -> None:
    assert found(http, q) == expected


def test_all_punctuation_reports_an_empty_query(http: TestClient) -> None:
    assert search(http, "，。！") == {"items": [], "next_cursor": None, "query": "", "suggestions": []}


def test_search_has_etags(http: TestClient) -> None:
    first = http.get("/api/v1/search", params={"q": "社保"})
    assert first.headers["cache-control"] == "public, max-age=30"
    again = http.get("/api/v1/search", params={"q": "社保"}, headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    other = http.get("/api/v1/search", params={"q": "医保"}, headers={"If-None-Match": first.headers["etag"]})
    assert other.status_code == 200
