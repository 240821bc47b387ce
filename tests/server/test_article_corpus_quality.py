"""The seeded corpus reads as real in substance, checked over every stored article on both databases.

The rules here are a reader's, written independently of the generator's vocabulary: who may issue on
what, that tiers are ordered and their figures move one way, that a measure has one version in force,
that a title's document is the one its body cites, and that no word is doubled.
"""

import re
from collections import defaultdict
from itertools import pairwise
from typing import Any

import pytest
from sqlalchemy import select

from server.articles.models import Article
from server.config import Settings
from server.db import make_engine
from server.departments.models import Department
from server.seed import DEMO_ARTICLES
from server.seed.article_vocabulary import POLICY_FORMS
from server.seed.articles import seed_articles

# Words in a title → the only departments that may issue it.
COMPETENT = {
    "失业保险": {"rst"},
    "最低生活保障": {"mzt"},
    "低保": {"mzt"},
    "医疗保险": {"ybj"},
    "医保": {"ybj"},
    "社保卡": {"rst"},
    "公积金": {"gjj"},
    "户口": {"gat"},
    "居民身份证": {"gat"},
    "居住证": {"gat"},
    "驾驶证": {"gat"},
    "留抵退税": {"swj"},
    "工伤保险": {"rst"},
    "特困人员": {"mzt"},
}
# Tier labels in the order a table must list them.
TIER_ORDERS = [
    ["一类地区", "二类地区", "三类地区"],
    ["一档", "二档", "三档", "四档", "五档", "六档", "七档", "八档"],
    ["一级", "二级", "三级", "四级", "五级", "六级", "七级", "八级", "九级", "十级"],
    ["初级工", "中级工", "高级工", "技师", "高级技师"],
    ["轻度失能", "中度失能", "重度失能"],
    ["能力完好", "轻度失能", "中度失能", "重度失能"],
    ["完全自理", "部分失能", "完全失能"],
    ["一般困难", "较大困难", "重大困难"],
]
DOUBLED = re.compile(r"([\u4e00-\u9fff]{2,})\1")
NUMBER = re.compile(r"^(\d+)")
REVISED = re.compile(r"（\d{4}年修订）$")
WRAPPED = re.compile(r"关于印发《(.+)》的通知$")


@pytest.fixture
def corpus(settings: Settings) -> list[Any]:
    engine = make_engine(settings.database_url)
    seed_articles(engine, DEMO_ARTICLES)
    with engine.connect() as db:
        rows = db.execute(
            select(
                Article.id,
                Article.kind,
                Article.title,
                Article.summary,
                Article.body,
                Article.validity,
                Article.superseded_by_id,
                Article.published_on,
                Department.code.label("department"),
            ).join(Department, Department.id == Article.department_id)
        ).all()
    engine.dispose()
    assert len(rows) == DEMO_ARTICLES
    return list(rows)


def tables(body: str) -> list[list[list[str]]]:
    """The Markdown tables of a body, each as rows of cells (header first, rule left out)."""
    found: list[list[list[str]]] = []
    current: list[list[str]] = []
    for line in [*body.splitlines(), ""]:
        if line.startswith("|"):
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            if not all(set(cell) <= set("-: ") for cell in cells):
                current.append(cells)
        elif current:
            found.append(current)
            current = []
    return found


def test_titles_are_unique_and_no_word_is_doubled(corpus: list[Any]) -> None:
    titles = [row.title for row in corpus]
    assert len(titles) == len(set(titles))
    for row in corpus:
        for text in (row.title, row.summary, row.body):
            assert not DOUBLED.search(text), (row.id, DOUBLED.search(text))


def test_the_issuing_department_handles_the_subject(corpus: list[Any]) -> None:
    for row in corpus:
        for word, departments in COMPETENT.items():
            if word in row.title:
                assert row.department in departments, (row.title, row.department)
    assert not [row.title for row in corpus if row.department == "yjj" and "医疗保险" in row.title]


def test_tiers_are_ordered_and_their_figures_move_one_way(corpus: list[Any]) -> None:
    checked = 0
    for row in corpus:
        for table in tables(row.body):
            labels = [cells[0] for cells in table[1:]]
            order = next((o for o in TIER_ORDERS if labels and all(label in o for label in labels)), None)
            if order is None:
                continue
            positions = [order.index(label) for label in labels]
            assert positions == sorted(positions), (row.title, labels)
            for column in range(1, len(table[0])):
                figures = [int(m.group(1)) for cells in table[1:] if (m := NUMBER.match(cells[column]))]
                if len(figures) == len(labels) > 1:
                    rising = all(a < b for a, b in pairwise(figures))
                    falling = all(a > b for a, b in pairwise(figures))
                    assert rising or falling, (row.title, table[0][column], figures)
            checked += 1
    assert checked > 50


def test_each_subject_has_its_own_provisions(corpus: list[Any]) -> None:
    headers: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for row in corpus:
        if row.kind != "policy":
            continue
        for subject in ("社保卡", "失业保险", "最低生活保障"):
            if subject in row.title and "稳岗" not in row.title:
                headers[subject].update(tuple(table[0]) for table in tables(row.body))
    assert all(headers.values()) and len(headers) == 3
    assert not headers["社保卡"] & headers["失业保险"]
    assert not headers["社保卡"] & headers["最低生活保障"]
    assert not headers["失业保险"] & headers["最低生活保障"]
    every_header = {tuple(table[0]) for row in corpus for table in tables(row.body)}
    assert len(every_header) >= 30


def _measure_name(title: str) -> str | None:
    """辽宁省关于印发《X（2024年修订）》的通知 and 辽宁省X → X: the measure a policy is a version of."""
    wrapped = WRAPPED.search(title)
    name = wrapped.group(1) if wrapped else title
    name = REVISED.sub("", name).removeprefix("辽宁省")
    return name if any(name.endswith(form.name) for form in POLICY_FORMS) else None


def test_a_measure_has_exactly_one_version_in_force(corpus: list[Any]) -> None:
    by_id = {row.id: row for row in corpus}
    versions: dict[str, list[Any]] = defaultdict(list)
    for row in corpus:
        if row.kind == "policy" and (name := _measure_name(row.title)) is not None:
            versions[name].append(row)
    assert sum(len(rows) > 1 for rows in versions.values()) >= 10
    for name, rows in versions.items():
        assert sum(row.validity == "valid" for row in rows) <= 1, name
        for row in rows:
            if row.validity == "amended":
                assert row.superseded_by_id is not None, row.title
    for row in corpus:
        if row.superseded_by_id is not None:
            successor = by_id[row.superseded_by_id]
            assert row.validity in ("amended", "repealed")
            assert successor.published_on > row.published_on
            assert f"《{row.title}》" in successor.body
        else:
            assert row.validity in ("valid", "repealed")


def test_the_body_cites_the_document_its_title_names(corpus: list[Any]) -> None:
    self_reference = {form.name: form.self_reference for form in POLICY_FORMS}
    for row in corpus:
        for cited in re.findall(r"《([^》]+)》", row.title):
            assert f"《{cited}》" in row.body or cited in row.body, row.title
        if row.kind == "policy" and not WRAPPED.search(row.title) and (name := _measure_name(row.title)):
            form = next(form for form in self_reference if name.endswith(form))
            assert self_reference[form] in row.body, row.title
        elif row.kind in ("policy", "notice") and (about := re.match(r"^关于(.+)的(通知|公告)$", row.title)):
            assert about.group(1) in row.body, row.title
