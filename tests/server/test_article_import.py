"""`import-articles` on SQLite and PostgreSQL: good files load (and are found by search), broken ones are
reported by file and line without stopping the others, and importing the same folder again changes nothing."""

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from server.__main__ import main
from server.articles.importing import import_folder
from server.articles.models import Article, ArticleTopic
from server.config import Settings
from server.db import make_engine
from server.search.engine import search
from server.search.models import SearchDocument
from tests.server.article_corpus import load_corpus

TODAY = dt.date(2026, 11, 20)
OLD = """---
标题: 辽宁省鲟鳇鱼增殖放流补助办法
类型: 政策文件
文号: 辽农发〔2024〕31号
部门: nynct
成文日期: 2024-03-01
发布日期: 2024-03-10
主题: 惠农政策
替代文件: 辽农发〔2026〕5号
---
## 第一章 总则

**第一条** 为保护鲟鳇鱼资源，制定本办法。
"""
NEW = """---
title: 辽宁省鲟鳇鱼增殖放流补助办法（2026年修订）
kind: policy
document_number: 辽农发〔2026〕5号
department: nynct
written_on: 2026-02-01
published_on: 2026-02-10
topics: hnzc, yshj
validity: 有效
summary: 修订后的补助标准：每尾8元。
---
**第一条** 《辽宁省鲟鳇鱼增殖放流补助办法》（辽农发〔2024〕31号）同时废止。

| 放流品种 | 补助标准 |
| --- | --- |
| 史氏鲟 | 8元/尾 |
"""
NOTICE = """\ufeff---\r\n标题：关于开展2026年鲟鳇鱼增殖放流活动的通知\r\n类型：通知公告\r\n部门：nynct\r\n发布日期：2026-05-01\r\n主题：hnzc\r\n---\r\n各市农业农村局：\r\n\r\n现就有关事项通知如下。\r\n"""
BROKEN = {
    "broken/no-header.md": ("# 只有正文\n", 1, "元数据头"),
    "broken/bad-date.md": (NOTICE.replace("2026-05-01", "2026-13-01").replace("2026年", "2027年"), 5, "日期"),
    "broken/unknown-topic.md": (
        NOTICE.replace("主题：hnzc", "主题：hnzc、外星").replace("2026年", "2028年"),
        6,
        "主题",
    ),
    "broken/unknown-key.md": (OLD.replace("成文日期", "印发日期").replace("31号", "32号"), 6, "元数据"),
    "broken/department.md": (OLD.replace("部门: nynct", "部门: nope").replace("31号", "33号"), 5, "部门"),
    "broken/taken-number.md": (
        NEW.replace("〔2026〕5号", "〔2026〕12号")
        .replace("（2026年修订）", "（又一版）")
        .replace("辽农发〔2026〕12号", "辽人社发〔2026〕12号"),
        4,
        "已被",
    ),
    "broken/surrogate.md": (NOTICE.replace("各市农业农村局", "各市\udfff").replace("2026年", "2029年"), 8, "UTF-8"),
    "broken/missing-successor.md": (
        OLD.replace("辽农发〔2026〕5号", "辽农发〔2030〕1号").replace("31号", "34号"),
        9,
        "替代文件",
    ),
    "broken/policy-without-number.md": (
        OLD.replace("文号: 辽农发〔2024〕31号\n", "").replace("替代文件: 辽农发〔2026〕5号\n", ""),
        1,
        "文号",
    ),
    "broken/future.md": (NOTICE.replace("2026-05-01", "2027-01-01").replace("2026年", "2030年"), 5, "发布日期"),
}


def write_folder(root: Path) -> None:
    (root / "broken").mkdir(parents=True)
    (root / "2024-old.md").write_text(OLD, encoding="utf-8")
    (root / "2026-new.md").write_text(NEW, encoding="utf-8")
    (root / "notice.md").write_bytes(NOTICE.encode("utf-8"))
    for name, (content, _line, _words) in BROKEN.items():
        (root / name).write_text(content, encoding="utf-8", errors="surrogatepass")
    (root / "broken" / "latin1.md").write_bytes("---\n标题: 乱码\n".encode("gbk") + b"\n")


def snapshot(engine: Engine) -> list[Any]:
    with engine.connect() as db:
        articles = db.execute(select(Article.__table__).order_by(Article.id)).all()
        topics = db.execute(select(ArticleTopic.__table__).order_by(ArticleTopic.article_id, ArticleTopic.topic)).all()
        documents = db.execute(
            select(SearchDocument.ref_id, SearchDocument.segment).order_by(SearchDocument.ref_id)
        ).all()
    return [articles, topics, documents]


@pytest.fixture
def engine(settings: Settings) -> Engine:
    load_corpus(settings)
    return make_engine(settings.database_url)


def test_good_files_load_and_broken_ones_are_reported_by_file_and_line(engine: Engine, tmp_path: Path) -> None:
    write_folder(tmp_path)
    report = import_folder(engine, tmp_path, TODAY)
    assert sorted(report.added) == ["2024-old.md", "2026-new.md", "notice.md"]
    problems = {problem.path: problem for problem in report.problems}
    assert set(problems) == {*BROKEN, "broken/latin1.md"}
    for name, (_content, line, words) in BROKEN.items():
        assert problems[name].line == line, problems[name]
        assert words in problems[name].message, problems[name]
        assert str(problems[name]).startswith(f"{name}:{line}: ")
    assert report.summary() == f"added 3, updated 0, unchanged 0, failed {len(BROKEN) + 1}"
    with engine.connect() as db:
        rows = {
            r.document_number or r.title: r for r in db.execute(select(Article).where(Article.source_ref.is_not(None)))
        }
        old, new = rows["辽农发〔2024〕31号"], rows["辽农发〔2026〕5号"]
        assert (old.validity, old.superseded_by_id) == ("amended", new.id)
        assert new.validity == "valid" and new.summary == "修订后的补助标准：每尾8元。"
        notice = rows["关于开展2026年鲟鳇鱼增殖放流活动的通知"]
        assert notice.kind == "notice" and notice.body.startswith("各市农业农村局：\n\n") and "\r" not in notice.body
        assert notice.summary == "各市农业农村局： 现就有关事项通知如下。"
        found = [item.id for item in search(db, "article", "鲟鳇鱼 增殖放流", None, 10).items]
        assert set(found) == {old.id, new.id, notice.id}
        assert set(db.scalars(select(ArticleTopic.topic).where(ArticleTopic.article_id == new.id))) == {"hnzc", "yshj"}
    engine.dispose()


def test_importing_twice_changes_nothing_and_an_edited_file_is_updated(engine: Engine, tmp_path: Path) -> None:
    write_folder(tmp_path)
    import_folder(engine, tmp_path, TODAY)
    before = snapshot(engine)
    again = import_folder(engine, tmp_path, TODAY)
    assert again.added == [] and again.updated == []
    assert sorted(again.unchanged) == ["2024-old.md", "2026-new.md", "notice.md"]
    assert snapshot(engine) == before
    (tmp_path / "notice.md").write_text(NOTICE.replace("现就有关事项", "现就放流活动有关事项"), encoding="utf-8")
    edited = import_folder(engine, tmp_path, TODAY)
    assert edited.updated == ["notice.md"] and edited.added == []
    with engine.connect() as db:
        assert db.scalar(select(Article.body).where(Article.source_ref == "import:notice.md")).count("放流活动") == 1
    engine.dispose()


def test_the_command_reports_and_exits_non_zero_when_a_file_is_bad(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "notice.md").write_text(NOTICE.replace("2026-05-01", "2025-05-01"), encoding="utf-8")
    (folder / "bad.md").write_text("no header\n", encoding="utf-8")
    data = tmp_path / "data"
    with pytest.raises(SystemExit) as exited:
        main(["import-articles", str(folder), "--data-dir", str(data)])
    assert exited.value.code == 1
    out, err = capsys.readouterr()
    assert "bad.md:1: " in err and "added 1, updated 0, unchanged 0, failed 1" in out
    (folder / "bad.md").unlink()
    main(["import-articles", str(folder), "--data-dir", str(data)])
    assert "added 0, updated 0, unchanged 1, failed 0" in capsys.readouterr().out
