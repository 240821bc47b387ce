"""The engine's shortcuts (lists read best first, early stops, packed segments) against a brute-force reading.

On a few hundred generated articles, every page of every query must equal what scoring each document
one by one gives, on both databases: the weighted sum of its terms' scores, zero scores left out.
Within the reading budget the first page is the same as well.
"""

import datetime as dt

import pytest
from sqlalchemy import select

from server.config import Settings
from server.db import make_engine
from server.search import engine as search_engine
from server.search.engine import plan_query, search
from server.search.models import SCOPE_CODES, SearchDocument
from server.seed.articles import seed_articles

QUERIES = [
    "社保",
    "医保",
    "社",
    "养老保险",
    "就业创业",
    "住房公积金",
    "社保卡",
    "资格认证工作",
    "养老保险 缴费",
    "医保 异地",
    "补贴 申请 材料",
    "〔2024〕3号",
    "2025 5号",
    "shebao",
    "gongjijin",
    "2026",
    "养老 养老保险 保险",
    "服务 政务服务",
    "养老保险怎么交",
    "失业金怎么领",
    "身份证丢了怎么办",
    "gjj",
    "社宝卡",
]


def test_every_page_equals_scoring_every_document(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    # The reading limits make answers approximate on large corpora only; here every list is read out.
    monkeypatch.setattr(search_engine, "MIN_READ_BUDGET", 10**6)
    engine = make_engine(settings.database_url)
    seed_articles(engine, 400)
    with engine.connect() as db:
        documents = db.execute(
            select(
                SearchDocument.ref_id,
                SearchDocument.title,
                SearchDocument.keywords,
                SearchDocument.content,
                SearchDocument.published_on,
            ).where(SearchDocument.scope == SCOPE_CODES["article"])
        ).all()
        for query in QUERIES:
            terms = plan_query(db, "article", query).terms
            expected: list[tuple[int, dt.date, int]] = []
            for ref_id, title, keywords, content, published_on in documents:
                score = sum(t.weight * t.term.score(title, keywords, content) for t in terms)
                if score:
                    expected.append((score, published_on, ref_id))
            expected.sort(reverse=True)
            assert expected, query
            seen = []
            cursor = None
            while True:
                page = search(db, "article", query, cursor, 7)
                seen += [(item.score, item.published_on, item.id) for item in page.items]
                cursor = page.next_cursor
                if cursor is None:
                    break
            assert seen == expected, query
    engine.dispose()


def test_the_reading_budget_keeps_the_best_documents_met(settings: Settings) -> None:
    engine = make_engine(settings.database_url)
    seed_articles(engine, 400)
    with engine.connect() as db:
        for query in QUERIES:
            page = search(db, "article", query, None, 20)
            scores = [(item.score, item.published_on, item.id) for item in page.items]
            assert scores == sorted(scores, reverse=True), query
            assert page.items, query
    engine.dispose()
