"""Adding articles in bulk: Core inserts of the rows, their topics, attachments, links and search entries.

The seed (1,000 articles on first start) and the generator for benchmarks (up to a million) both come
through here, in batches, inside the caller's transaction. Ids are given by the caller so that links
between articles (interpretations, superseding documents) can be written in the same batch.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, bindparam, func, insert, select, text, update

from api_client.models import ArticleKind, Validity
from api_client.models.articles import ARTICLE_KIND_LABELS
from server.articles.models import Article, ArticleAttachment, ArticleTopic
from server.articles.topics import TOPIC_NAMES
from server.departments.models import Department
from server.search.indexing import SearchSource, index_documents


@dataclass(frozen=True)
class AttachmentDraft:
    name: str
    size_bytes: int
    url: str


@dataclass(frozen=True)
class Supersession:
    """This draft replaces an earlier article, which from now on has `validity` (amended or repealed)."""

    article_id: int
    validity: Validity


@dataclass(frozen=True)
class ArticleDraft:
    id: int
    kind: ArticleKind
    title: str
    summary: str
    body: str
    department_code: str
    published_on: dt.date
    document_number: str | None = None
    written_on: dt.date | None = None
    validity: Validity = "valid"
    topics: tuple[str, ...] = ()
    attachments: tuple[AttachmentDraft, ...] = ()
    interprets_id: int | None = None
    supersedes: Supersession | None = None


def insert_articles(connection: Connection, drafts: Sequence[ArticleDraft]) -> None:
    """Insert the drafts and index them for search. The caller commits, then calls `content_changed`."""
    if not drafts:
        return
    departments = {
        code: (dept_id, name)
        for dept_id, code, name in connection.execute(select(Department.id, Department.code, Department.name))
    }
    connection.execute(
        insert(Article),
        [
            {
                "id": d.id,
                "kind": d.kind,
                "title": d.title,
                "summary": d.summary,
                "body": d.body,
                "department_id": departments[d.department_code][0],
                "document_number": d.document_number,
                "written_on": d.written_on,
                "published_on": d.published_on,
                "validity": d.validity,
                "superseded_by_id": None,
                "interprets_id": d.interprets_id,
            }
            for d in drafts
        ],
    )
    superseded = [d for d in drafts if d.supersedes is not None]
    if superseded:
        connection.execute(
            update(Article)
            .where(Article.id == bindparam("old_id"))
            .values(validity=bindparam("new_validity"), superseded_by_id=bindparam("new_id")),
            [
                {"old_id": d.supersedes.article_id, "new_validity": d.supersedes.validity, "new_id": d.id}
                for d in superseded
                if d.supersedes is not None
            ],
        )
    topic_rows = [{"topic": t, "published_on": d.published_on, "article_id": d.id} for d in drafts for t in d.topics]
    if topic_rows:
        connection.execute(insert(ArticleTopic), topic_rows)
    attachment_rows = [
        {"article_id": d.id, "position": n, "name": a.name, "size_bytes": a.size_bytes, "url": a.url}
        for d in drafts
        for n, a in enumerate(d.attachments)
    ]
    if attachment_rows:
        connection.execute(insert(ArticleAttachment), attachment_rows)
    index_documents(connection, "article", [search_source(d, departments[d.department_code][1]) for d in drafts])
    if connection.dialect.name == "postgresql":
        connection.execute(
            text("SELECT setval(pg_get_serial_sequence('articles', 'id'), (SELECT max(id) FROM articles))")
        )


def search_source(draft: ArticleDraft, department_name: str) -> SearchSource:
    """What search knows of an article: title; 文号, department, kind and topics as keywords; summary and text."""
    keywords = " ".join(
        filter(
            None,
            [
                draft.document_number,
                department_name,
                ARTICLE_KIND_LABELS[draft.kind],
                *(TOPIC_NAMES[t] for t in draft.topics),
            ],
        )
    )
    return SearchSource(
        ref_id=draft.id,
        kind=draft.kind,
        title=draft.title,
        keywords=keywords,
        content=f"{draft.summary}\n{markdown_to_text(draft.body)}",
        published_on=draft.published_on,
    )


def last_article_id(connection: Connection) -> int:
    return connection.scalar(select(func.coalesce(func.max(Article.id), 0))) or 0


def markdown_to_text(markdown: str) -> str:
    """The words of a Markdown body, for search and snippets: no heading marks, emphasis or table rules."""
    lines = []
    for raw in markdown.splitlines():
        line = raw.strip()
        if not line or set(line) <= set("|-: "):
            continue
        line = line.lstrip("#").strip().replace("**", "")
        if line.startswith("|"):
            line = "  ".join(cell.strip() for cell in line.strip("|").split("|"))
        elif line[:2] in ("- ", "* "):
            line = line[2:]
        lines.append(line)
    return "\n".join(lines)
