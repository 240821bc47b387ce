"""`python -m server import-articles PATH`: a folder of Markdown documents, each with a metadata header.

    ---
    标题: 辽宁省失业保险金申领发放办法        (title)
    类型: 政策文件                           (kind: policy / notice / news / interpretation, or their labels)
    文号: 辽人社发〔2026〕12号                (document_number; required for policy documents)
    部门: rst                                (department code)
    成文日期: 2026-03-01                      (written_on, optional)
    发布日期: 2026-03-10                      (published_on)
    主题: 社会保障、就业创业                   (topics: codes or names)
    效力: 有效                               (validity: 有效 / 已修订 / 已废止, or valid / amended / repealed)
    替代文件: 辽人社发〔2026〕30号            (superseded_by: the 文号 of the document replacing this one)
    摘要: …                                  (summary, optional)
    ---
    Markdown body

Each file is checked on its own and written in its own transaction: a bad file is reported by file and
line and the others still load. An imported article remembers its file (`source_ref`: the path inside
the folder), so importing again updates what changed and leaves the rest alone: twice is once.
"""

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Connection, Engine, delete, insert, select, update

from api_client import models as wire
from api_client.models.articles import ARTICLE_KIND_LABELS, VALIDITY_LABELS
from server.articles.models import Article, ArticleTopic
from server.articles.publishing import index_article, summary_of
from server.articles.topics import TOPIC_NAMES
from server.core.http_cache import content_changed
from server.departments.models import Department

MAX_FILE_BYTES = 1_000_000
_KEYS = {
    "title": "title",
    "标题": "title",
    "kind": "kind",
    "类型": "kind",
    "文号": "document_number",
    "document_number": "document_number",
    "department": "department",
    "部门": "department",
    "发布机构": "department",
    "written_on": "written_on",
    "成文日期": "written_on",
    "published_on": "published_on",
    "发布日期": "published_on",
    "topics": "topics",
    "主题": "topics",
    "validity": "validity",
    "效力": "validity",
    "superseded_by": "superseded_by",
    "替代文件": "superseded_by",
    "summary": "summary",
    "摘要": "summary",
}
_KINDS: dict[str, str] = {
    **{kind: kind for kind in ARTICLE_KIND_LABELS},
    **{label: kind for kind, label in ARTICLE_KIND_LABELS.items()},
}
_VALIDITIES: dict[str, str] = {
    **{v: v for v in VALIDITY_LABELS},
    **{label: v for v, label in VALIDITY_LABELS.items()},
}
_TOPICS = {**{code: code for code in TOPIC_NAMES}, **{name: code for code, name in TOPIC_NAMES.items()}}
_LIST_SEPARATORS = re.compile(r"[,，、\s]+")


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def summary(self) -> str:
        failed = len({problem.path for problem in self.problems})
        return f"added {len(self.added)}, updated {len(self.updated)}, unchanged {len(self.unchanged)}, failed {failed}"


@dataclass(frozen=True)
class _Document:
    """A file that passed its checks: the article's fields, and the 文号 of the document replacing it."""

    path: str
    fields: dict[str, Any]
    topics: list[str]
    validity: str
    superseded_by: str | None
    lines: dict[str, int]


class _Invalid(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def import_folder(engine: Engine, folder: Path, today: dt.date) -> ImportReport:
    """Loads every `*.md` under `folder` (in name order); see the module docstring for the format."""
    report = ImportReport()
    with engine.connect() as connection:
        departments = {
            code: department_id for code, department_id in connection.execute(select(Department.code, Department.id))
        }
    documents: list[_Document] = []
    for path in sorted(folder.rglob("*.md")):
        name = path.relative_to(folder).as_posix()
        try:
            documents.append(_read(path, name, departments, today))
        except _Invalid as exc:
            report.problems.append(Problem(name, exc.line, exc.message))
    with engine.connect() as connection:
        numbers = {d.fields["document_number"] for d in documents} | set(
            connection.scalars(
                select(Article.document_number).where(
                    Article.document_number.in_([d.superseded_by for d in documents if d.superseded_by])
                )
            )
        )
    for document in [d for d in documents if d.superseded_by and d.superseded_by not in numbers]:
        report.problems.append(
            Problem(document.path, document.lines["superseded_by"], f"找不到替代文件 {document.superseded_by}")
        )
        documents.remove(document)
    written: list[_Document] = []
    for document in documents:
        try:
            with engine.begin() as connection:
                outcome = _write(connection, document)
        except _Invalid as exc:
            report.problems.append(Problem(document.path, exc.line, exc.message))
            continue
        getattr(report, outcome).append(document.path)
        written.append(document)
    for document in written:  # validity last: the replacing document may come later in the folder
        try:
            with engine.begin() as connection:
                if _settle(connection, document) and document.path in report.unchanged:
                    report.unchanged.remove(document.path)
                    report.updated.append(document.path)
        except _Invalid as exc:
            report.problems.append(Problem(document.path, exc.line, exc.message))
    content_changed()
    return report


def _read(path: Path, name: str, departments: dict[str, int], today: dt.date) -> _Document:
    raw = path.read_bytes()
    if len(raw) > MAX_FILE_BYTES:
        raise _Invalid(1, f"文件超过 {MAX_FILE_BYTES // 1000} KB")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _Invalid(raw[: exc.start].count(b"\n") + 1, "不是 UTF-8 文本") from exc
    lines = text.replace("\r\n", "\n").split("\n")
    if not lines or lines[0].strip() != "---":
        raise _Invalid(1, "缺少元数据头：第一行应为 ---")
    header: dict[str, tuple[str, int]] = {}
    end = None
    for number, line in enumerate(lines[1:], 2):
        if line.strip() == "---":
            end = number
            break
        if not line.strip():
            continue
        separator = min((at for at in (line.find(":"), line.find("：")) if at >= 0), default=-1)
        key, value = line[:separator], line[separator + 1 :]
        if separator < 0 or key.strip() not in _KEYS:
            raise _Invalid(number, f"无法识别的元数据：{line.strip()[:40]}")
        header[_KEYS[key.strip()]] = (value.strip(), number)
    if end is None:
        raise _Invalid(len(lines), "元数据头没有以 --- 结束")
    body = "\n".join(lines[end:]).strip()
    return _checked(name, header, body, end + 1, departments, today)


def _checked(
    name: str,
    header: dict[str, tuple[str, int]],
    body: str,
    body_line: int,
    departments: dict[str, int],
    today: dt.date,
) -> _Document:
    def value(key: str) -> str:
        return header.get(key, ("", 0))[0]

    def line(key: str) -> int:
        return header.get(key, ("", 1))[1] or 1

    for required in ("title", "kind", "department", "published_on", "topics"):
        if not value(required):
            raise _Invalid(line(required), f"缺少 {required}")
    kind = _KINDS.get(value("kind"))
    if kind is None:
        raise _Invalid(line("kind"), f"未知的类型：{value('kind')}")
    if value("department") not in departments:
        raise _Invalid(line("department"), f"未知的部门代码：{value('department')}")
    topics = [_TOPICS.get(topic) for topic in _LIST_SEPARATORS.split(value("topics")) if topic]
    if not topics or None in topics:
        raise _Invalid(line("topics"), f"未知的主题：{value('topics')}")
    validity = _VALIDITIES.get(value("validity") or ("amended" if value("superseded_by") else "valid"))
    if validity is None:
        raise _Invalid(line("validity"), f"未知的效力状态：{value('validity')}")
    if validity == "amended" and not value("superseded_by"):
        raise _Invalid(line("validity"), "已修订的文件需要写明替代文件的文号")
    if validity == "valid" and value("superseded_by"):
        raise _Invalid(line("superseded_by"), "有效的文件不能有替代文件")
    dates = {key: _date(value(key), line(key)) for key in ("published_on", "written_on")}
    if dates["published_on"] is None or dates["published_on"] > today:
        raise _Invalid(line("published_on"), "发布日期不能晚于今天")
    if dates["written_on"] is not None and dates["written_on"] > dates["published_on"]:
        raise _Invalid(line("written_on"), "成文日期不能晚于发布日期")
    try:
        checked = wire.ArticleCreate(
            kind=kind,
            title=value("title"),
            summary=value("summary"),
            body=body,
            department=value("department"),
            document_number=value("document_number") or None,
            topics=[topic for topic in topics if topic],
        )
    except ValidationError as exc:
        error = exc.errors()[0]
        key = str(error["loc"][0]) if error["loc"] else "body"
        raise _Invalid(body_line if key == "body" else line(key), f"{key}: {error['msg']}") from exc
    if kind == "policy" and not checked.document_number:
        raise _Invalid(line("document_number"), "政策文件需要文号")
    fields = {
        "kind": checked.kind,
        "title": checked.title.strip(),
        "summary": checked.summary.strip() or summary_of(checked.body),
        "body": checked.body,
        "department_id": departments[value("department")],
        "document_number": checked.document_number,
        "written_on": dates["written_on"],
        "published_on": dates["published_on"],
        "source_ref": f"import:{name}",
    }
    lines = {key: line(key) for key in ("document_number", "superseded_by")}
    return _Document(name, fields, checked.topics, validity, value("superseded_by") or None, lines)


def _date(text: str, line: int) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise _Invalid(line, f"日期格式应为 年-月-日：{text[:20]}") from exc


def _write(connection: Connection, document: _Document) -> str:
    """added, updated or unchanged."""
    fields = document.fields
    number = fields["document_number"]
    if number is not None:
        holder = connection.execute(
            select(Article.id, Article.source_ref).where(Article.document_number == number)
        ).one_or_none()
        if holder is not None and holder.source_ref != fields["source_ref"]:
            raise _Invalid(document.lines["document_number"], f"文号 {number} 已被文章 {holder.id} 使用")
    columns = [getattr(Article, key) for key in fields]
    current = connection.execute(
        select(Article.id, *columns).where(Article.source_ref == fields["source_ref"])
    ).one_or_none()
    department_code = connection.scalar(select(Department.code).where(Department.id == fields["department_id"]))
    assert department_code is not None
    if current is None:
        values = {"validity": "valid", **fields}  # its validity is settled once every file is in
        article_id = connection.execute(insert(Article).values(**values).returning(Article.id)).scalar_one()
        _write_topics(connection, article_id, document.topics, fields["published_on"])
        index_article(connection, article_id, department_code)
        return "added"
    stored_topics = set(connection.scalars(select(ArticleTopic.topic).where(ArticleTopic.article_id == current.id)))
    stored = {key: getattr(current, key) for key in fields}
    if stored == fields and stored_topics == set(document.topics):
        return "unchanged"
    connection.execute(update(Article).where(Article.id == current.id).values(**fields))
    connection.execute(delete(ArticleTopic).where(ArticleTopic.article_id == current.id))
    _write_topics(connection, current.id, document.topics, fields["published_on"])
    index_article(connection, current.id, department_code)
    return "updated"


def _settle(connection: Connection, document: _Document) -> bool:
    """Gives the article the validity its header declares, linked to the document replacing it; True when that
    changed anything."""
    successor = None
    if document.superseded_by is not None:
        successor = connection.scalar(select(Article.id).where(Article.document_number == document.superseded_by))
        if successor is None:
            raise _Invalid(document.lines["superseded_by"], f"找不到替代文件 {document.superseded_by}")
    article = connection.execute(
        select(Article.id, Article.validity, Article.superseded_by_id).where(
            Article.source_ref == document.fields["source_ref"]
        )
    ).one()
    if successor == article.id:
        raise _Invalid(document.lines["superseded_by"], "替代文件不能是文件本身")
    if (article.validity, article.superseded_by_id) == (document.validity, successor):
        return False
    connection.execute(
        update(Article).where(Article.id == article.id).values(validity=document.validity, superseded_by_id=successor)
    )
    return True


def _write_topics(connection: Connection, article_id: int, topics: list[str], published_on: dt.date) -> None:
    connection.execute(
        insert(ArticleTopic), [{"topic": t, "published_on": published_on, "article_id": article_id} for t in topics]
    )
