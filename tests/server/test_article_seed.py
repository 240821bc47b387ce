"""The article generator: deterministic, idempotent, consistent links, and real structure."""

import re
from pathlib import Path

from sqlalchemy import func, select

from server.__main__ import main
from server.articles.models import Article, ArticleAttachment, ArticleTopic
from server.config import Settings
from server.db import make_engine, make_sessionmaker
from server.search.models import SearchDocument
from server.seed import DEMO_ARTICLES
from server.seed.articles import article_stream, seed_articles

DOCUMENT_NUMBER = re.compile(r"^辽\w+发〔20(19|2[0-6])〕\d{1,3}号$")


def test_topping_up_gives_the_same_articles_as_one_run(settings: Settings) -> None:
    engine = make_engine(settings.database_url)
    assert seed_articles(engine, 120, batch_size=50) == 120
    assert seed_articles(engine, 120) == 0  # a second start adds nothing
    assert seed_articles(engine, 300, batch_size=70) == 180
    with make_sessionmaker(engine)() as db:
        stored = list(db.execute(select(Article.id, Article.title, Article.published_on).order_by(Article.id)))
        assert [tuple(row) for row in stored] == [
            (draft.id, draft.title, draft.published_on) for draft, _ in zip(article_stream(), range(300), strict=False)
        ]
        assert db.scalar(select(func.count()).select_from(SearchDocument)) == 300
        superseded = db.execute(select(Article.validity, Article.superseded_by_id).where(Article.validity != "valid"))
        for validity, successor in superseded:
            assert validity in ("amended", "repealed")
            if validity == "amended":
                assert successor is not None
        orphans = db.scalar(select(func.count()).where(Article.superseded_by_id > 300))
        assert orphans == 0
    engine.dispose()


def test_generated_articles_read_like_the_real_thing() -> None:
    drafts = [draft for draft, _ in zip(article_stream(), range(DEMO_ARTICLES), strict=False)]
    kinds = {kind: [d for d in drafts if d.kind == kind] for kind in ("policy", "notice", "news", "interpretation")}
    assert all(len(group) > 40 for group in kinds.values())
    for policy in kinds["policy"]:
        assert policy.document_number is not None and DOCUMENT_NUMBER.match(policy.document_number)
        assert policy.written_on is not None and policy.written_on < policy.published_on
        assert "| --- |" in policy.body
    assert any("**第一条**" in p.body and "## 第五章 附则" in p.body for p in kinds["policy"])
    numbers = [p.document_number for p in kinds["policy"]]
    assert len(numbers) == len(set(numbers))
    by_id = {d.id: d for d in drafts}
    for interpretation in kinds["interpretation"]:
        original = by_id[interpretation.interprets_id or 0]
        assert original.kind == "policy"
        assert original.published_on <= interpretation.published_on
        assert original.document_number in interpretation.body
    revisions = [d for d in drafts if d.supersedes is not None]
    assert revisions
    for revision in revisions:
        assert revision.supersedes is not None
        assert by_id[revision.supersedes.article_id].published_on < revision.published_on
    years = {d.published_on.year for d in drafts}
    assert years >= set(range(2019, 2027))
    assert not any("lorem" in d.body.lower() for d in drafts)


def test_titles_stay_unique_at_benchmark_scale() -> None:
    titles = [draft.title for draft, _ in zip(article_stream(), range(30_000), strict=False)]
    assert len(titles) == len(set(titles))


def test_seed_command_tops_up_to_the_requested_count(tmp_path: Path) -> None:
    main(["seed", "--articles", str(DEMO_ARTICLES + 150), "--data-dir", str(tmp_path)])
    engine = make_engine(f"sqlite:///{tmp_path / 'yiwang.db'}")
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(Article)) == DEMO_ARTICLES + 150
        assert connection.scalar(select(func.count()).select_from(ArticleTopic)) >= DEMO_ARTICLES + 150
        assert connection.scalar(select(func.count()).select_from(ArticleAttachment)) > 0
    engine.dispose()
