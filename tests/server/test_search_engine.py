"""The engine's shortcuts (posting lists in rank order, early stops, pruning) against a brute-force reading.

On a few hundred generated articles, every page of every query must equal what scoring each document
one by one gives, on both databases.
"""

from sqlalchemy import select

from server.config import Settings
from server.db import make_engine
from server.search.engine import parse_query, search
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
]


def test_every_page_equals_scoring_every_document(settings: Settings) -> None:
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
            terms = parse_query(db, "article", query).terms
            expected = []
            for ref_id, title, keywords, content, published_on in documents:
                scores = [term.score(title, keywords, content) for term in terms]
                if all(score is not None for score in scores):
                    expected.append((sum(s for s in scores if s is not None), published_on, ref_id))
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
