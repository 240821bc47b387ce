"""Search as new users type it: questions, everyday words, pinyin abbreviations, slips; on both databases."""

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import quote

import pytest
from alembic import command
from fastapi.testclient import TestClient
from sqlalchemy import Connection, func, select, text

from server.__main__ import main
from server.config import Settings
from server.db import make_engine
from server.lifecycle import alembic_config, migrate
from server.search import indexing
from server.search.engine import MAX_RESULTS
from server.search.engine import search as engine_search
from server.search.indexing import SearchSource, index_documents, remove_documents
from server.search.models import SCOPE_CODES, Scope, SearchDocument, SearchSegment
from server.search.segments import MAX_SEGMENTS
from server.search.text import posting_weights
from tests.server.article_corpus import extra_article, load_corpus

# Beside the hand-written corpus: documents in official words that people ask about in everyday ones.
UNEMPLOYMENT, IDENTITY_CARD, HOUSING_FUND = 21, 22, 23


@pytest.fixture(autouse=True)
def corpus(settings: Settings) -> None:
    load_corpus(settings)
    load_corpus(
        settings,
        [
            extra_article(UNEMPLOYMENT, dt.date(2025, 2, 1), "辽宁省失业保险金申领办法"),
            extra_article(IDENTITY_CARD, dt.date(2025, 3, 1), "关于居民身份证补领有关事项的通知"),
            extra_article(HOUSING_FUND, dt.date(2025, 4, 1), "辽宁省住房公积金提取办法"),
        ],
    )


def search(http: TestClient, q: str, **params: Any) -> dict[str, Any]:
    response = http.get("/api/v1/search", params={"q": q, "limit": 50, **params})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def found(http: TestClient, q: str) -> list[int]:
    return [item["id"] for item in search(http, q)["items"]]


@pytest.mark.parametrize(
    ("q", "first"),
    [
        ("养老保险怎么交", 1),  # 养老保险 + 交 (→ 缴费); fillers dropped
        ("低保申请条件", 6),  # 申请 and 条件 are not in #6's title: no all-or-nothing AND
        ("失业金", UNEMPLOYMENT),  # 失业金 → 失业保险金
        ("失业金怎么领", UNEMPLOYMENT),
        ("身份证丢了怎么办", IDENTITY_CARD),  # 身份证 → 居民身份证, 丢 → 补领
        ("怎么办理社保卡", 4),
        ("社保卡在哪里办理", 4),
        ("如何落户？", 7),
        ("医保怎么报销呢", 5),
    ],
)
def test_questions_and_everyday_words_find_the_official_documents(http: TestClient, q: str, first: int) -> None:
    page = search(http, q)
    assert page["items"], q
    assert page["items"][0]["id"] == first
    assert page["suggestions"] == []


def test_a_document_holding_more_of_the_terms_ranks_higher(http: TestClient) -> None:
    # #1 and #2 hold 养老保险 and 缴费; #9 holds neither as a phrase; #10 only 缴费.
    assert found(http, "养老保险缴费怎么交")[:3] == [1, 2, 3]


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("sb", "社保"), ("sheb", "社保"), ("shb", "社保"), ("db", "低保"), ("ylbx", "养老保险"), ("hk", "户口")],
)
def test_pinyin_abbreviations_as_typed_on_a_phone(http: TestClient, typed: str, meant: str) -> None:
    page = search(http, typed)
    assert page["query"] == meant
    assert page["items"] == search(http, meant)["items"]
    assert page["items"]


def test_abbreviations_of_government_terms_convert(http: TestClient) -> None:
    page = search(http, "gjj")
    assert page["query"] == "公积金"
    assert [item["id"] for item in page["items"]] == [HOUSING_FUND]


def test_a_homophone_slip_is_corrected_and_said(http: TestClient) -> None:
    page = search(http, "社宝卡")
    assert page["query"] == "社保卡"
    assert page["suggestions"] == ["社保卡"]
    assert page["items"] == search(http, "社保卡")["items"]


def test_a_slip_without_a_homophone_still_finds_the_rest_of_the_word(http: TestClient) -> None:
    assert search(http, "养老保除")["items"][0]["id"] in {1, 2, 3}


def test_nothing_found_suggests_related_words_instead_of_a_bare_page(http: TestClient) -> None:
    page = search(http, "保险箱密码")
    assert page["items"] == [] or page["items"][0]["title"]
    nothing = search(http, "量子计算机")
    assert nothing["items"] == []
    assert nothing["suggestions"]
    for word in nothing["suggestions"]:
        assert search(http, word)["items"], word


def test_an_administrator_adds_a_synonym_from_the_command_line(
    http: TestClient, settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    where = ["--database-url", settings.database_url]
    assert found(http, "退休工资") == []
    main(["synonyms", *where, "add", "退休工資", "养老保险", "养老保险"])  # traditional 資 is folded
    assert "退休工资 → 养老保险" in capsys.readouterr().out
    assert sorted(found(http, "退休工资 ")[:3]) == [1, 2, 3]  # another URL: the read cache does not answer
    main(["synonyms", *where, "list"])
    assert "退休工资 → 养老保险" in capsys.readouterr().out
    main(["synonyms", *where, "remove", "退休工资"])
    assert "removed 1" in capsys.readouterr().out
    assert found(http, " 退休工资") == []


@pytest.mark.parametrize("word", ["", "社保！", "a" * 17, "\ud800", "社 保"])
def test_synonym_words_are_checked(settings: Settings, word: str) -> None:
    with pytest.raises(SystemExit):
        main(["synonyms", "--database-url", settings.database_url, "add", word, "社会保险"])
    with pytest.raises(SystemExit):
        main(["synonyms", "--database-url", settings.database_url, "add", "社保", word])


@pytest.mark.parametrize(
    "encoded",
    [
        "%ED%A0%80%E7%A4%BE%E4%BF%9D",  # a lone surrogate (UTF-8 of U+D800), then 社保
        "%E7%A4%BE%E4%BF%9D%ED%BF%BF",
        "%FF%FE",
        quote("怎么" * 50),
        quote("吗"),
        quote("了了了"),
        quote("sb" * 50),
        quote("〔2026〕" * 12),
    ],
)
def test_hostile_questions_are_answered_not_errors(http: TestClient, encoded: str) -> None:
    response = http.get(f"/api/v1/search?q={encoded}")
    assert response.status_code in (200, 422), response.text


def test_many_questions_at_once_get_the_same_answers(http: TestClient) -> None:
    queries = ["养老保险怎么交", "sb", "社宝卡", "失业金", "量子计算机"] * 8
    alone = {q: search(http, q) for q in set(queries)}
    with ThreadPoolExecutor(max_workers=8) as pool:
        together = list(pool.map(lambda q: (q, search(http, q)), queries))
    assert all(page == alone[q] for q, page in together)


def _source(ref_id: int, title: str) -> SearchSource:
    return SearchSource(ref_id, "notice", title, "", "正文。", dt.date(2026, 1, ref_id % 28 + 1))


def test_indexing_again_replaces_and_removing_forgets(settings: Settings) -> None:
    engine = make_engine(settings.database_url)
    with engine.begin() as db:
        index_documents(db, "appeal", [_source(1, "小区噪音扰民"), _source(2, "路灯不亮")])
    with engine.begin() as db:
        index_documents(db, "appeal", [_source(1, "小区停车难")])
    with engine.connect() as db:
        assert [i.id for i in engine_search(db, "appeal", "噪音", None, 10).items] == []
        assert [i.id for i in engine_search(db, "appeal", "停车", None, 10).items] == [1]
        assert [i.id for i in engine_search(db, "article", "停车", None, 10).items] == []  # scopes apart
    with engine.begin() as db:
        remove_documents(db, "appeal", [2])
    with engine.connect() as db:
        assert engine_search(db, "appeal", "路灯", None, 10).items == []
    engine.dispose()


def test_many_small_writes_keep_few_segments_and_exact_answers(settings: Settings) -> None:
    engine = make_engine(settings.database_url)
    for n in range(1, 61):
        with engine.begin() as db:
            index_documents(db, "service", [_source(n, f"第{n}号 社保卡补领")])
    with engine.connect() as db:
        segments = db.scalar(
            select(func.count()).select_from(SearchSegment).where(SearchSegment.scope == SCOPE_CODES["service"])
        )
        assert segments is not None and segments <= 8 < MAX_SEGMENTS
        ids: list[int] = []
        cursor = None
        while True:
            page = engine_search(db, "service", "社保卡", cursor, 7)
            ids += [item.id for item in page.items]
            cursor = page.next_cursor
            if cursor is None:
                break
        assert sorted(ids) == list(range(1, 61))
    engine.dispose()


def test_documents_indexed_before_the_upgrade_are_indexed_again(settings: Settings) -> None:
    engine = make_engine(settings.database_url)
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0007")
        command.downgrade(config, "-1")  # the posting-row index, as before this change
    with engine.begin() as connection:
        assert connection.scalar(text("SELECT count(*) FROM search_documents")) == 13
        connection.execute(text("DELETE FROM search_documents WHERE ref_id > 10"))
    migrate(engine)
    with engine.connect() as db:
        assert db.scalar(select(func.count()).where(SearchDocument.segment.is_(None))) == 0
        assert [item.id for item in engine_search(db, "article", "社保", None, 10).items] == [4, 10, 5]
    engine.dispose()


def _segments(db: Connection, scope: Scope) -> list[tuple[int, int]]:
    rows = db.execute(
        select(SearchSegment.documents, SearchSegment.postings)
        .where(SearchSegment.scope == SCOPE_CODES[scope])
        .order_by(SearchSegment.id)
    )
    return [(documents, postings) for documents, postings in rows]


def _all_pages(db: Connection, scope: Scope, q: str) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] = []
    cursor = None
    while True:
        page = engine_search(db, scope, q, cursor, 7)
        found += [(item.score, item.id) for item in page.items]
        cursor = page.next_cursor
        if cursor is None:
            return found


def test_shrinking_batches_still_merge_into_few_segments(settings: Settings) -> None:
    # Each write a little smaller than the one before, as when a corpus is loaded oldest first.
    engine = make_engine(settings.database_url)
    ref_id = 0
    for size in range(10, 0, -1):  # 55 items
        with engine.begin() as db:
            index_documents(db, "service", [_source(ref_id + n, f"第{ref_id + n}号 社保卡补领") for n in range(size)])
        ref_id += size
    with engine.connect() as db:
        assert len(_segments(db, "service")) <= 3  # 10 before the merge policy tolerated shrinking batches
        assert sorted(item_id for _, item_id in _all_pages(db, "service", "社保卡")) == list(range(ref_id))
    engine.dispose()


def test_an_index_of_many_segments_is_merged_on_start_without_stale_postings(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = make_engine(settings.database_url)
    with monkeypatch.context() as unmerged:  # an index written under a policy that never merged
        unmerged.setattr(indexing, "merge_segments", lambda connection, scope: None)
        for batch in range(10):
            with engine.begin() as db:
                index_documents(db, "appeal", [_source(batch * 5 + n, f"第{n}号 路灯不亮 噪音") for n in range(5)])
        with engine.begin() as db:
            index_documents(db, "appeal", [_source(n, "小区停车难") for n in range(0, 50, 3)])  # indexed again
            remove_documents(db, "appeal", list(range(1, 50, 7)))
    with engine.connect() as db:
        assert len(_segments(db, "appeal")) == 11
        # Term weights count stale postings until a merge drops them: scores may change, not what is found.
        before = {q: sorted(i for _, i in _all_pages(db, "appeal", q)) for q in ("路灯", "停车", "噪音 停车", "第3号")}
    migrate(engine)
    with engine.connect() as db:
        [(documents, postings)] = _segments(db, "appeal")
        live = db.execute(
            select(SearchDocument.title, SearchDocument.keywords, SearchDocument.content).where(
                SearchDocument.scope == SCOPE_CODES["appeal"]
            )
        ).all()
        assert documents == len(live)
        assert postings == sum(len(posting_weights(*row)) for row in live)  # stale postings dropped
        assert {q: sorted(i for _, i in _all_pages(db, "appeal", q)) for q in before} == before
        assert before["路灯"] and before["停车"]
    engine.dispose()


def test_paging_reaches_every_match_far_past_the_first_pages(settings: Settings) -> None:
    """Each page reads the lists again from the top; its allowance grows with its depth, so the 150th match of a
    common word is reached, in order and once, and paging ends at MAX_RESULTS, with no cursor to go further."""
    engine = make_engine(settings.database_url)
    with engine.begin() as db:
        index_documents(db, "service", [_source(n, f"第{n}号 社保卡补领") for n in range(150)])
        index_documents(db, "appeal", [_source(n, f"第{n}号 路灯不亮") for n in range(MAX_RESULTS + 30)])
    with engine.connect() as db:
        found = _all_pages(db, "service", "社保卡")
        assert sorted(item_id for _, item_id in found) == list(range(150))
        assert [score for score, _ in found] == sorted((score for score, _ in found), reverse=True)
        assert len(_all_pages(db, "appeal", "路灯")) == MAX_RESULTS
    engine.dispose()
