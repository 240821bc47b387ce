"""Publishing: officers write their department's documents, admins any department's.

Each write is one transaction with its Idempotency-Key, the article rows and the article's search entry
(`index_documents` replaces an entry indexed before), so search never shows what the database does not
hold. The route clears this process's read cache after the commit; other workers' caches expire within
their TTL (server/core/http_cache.py). A document is published on the day it is posted (China's date),
so citizens following its topics count it as new on 首页.
"""

import datetime as dt
from typing import Any, cast

from sqlalchemy import Connection, CursorResult, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api_client import models as wire
from server.accounts.models import User
from server.articles.ingest import ArticleDraft, markdown_to_text, search_source
from server.articles.models import Article, ArticleTopic
from server.articles.service import detail
from server.articles.topics import TOPIC_NAMES
from server.core.errors import ApiError, not_found
from server.departments.models import Department
from server.search.indexing import index_documents

SUMMARY_FROM_BODY = 120


def create(db: Session, user: User, body: wire.ArticleCreate, today: dt.date) -> wire.ArticleDetail:
    connection = db.connection()
    department_id, department_code = _publishing_department(connection, user, body.department)
    topics = _topic_codes(body.topics)
    if body.kind == "policy" and not body.document_number:
        raise ApiError(422, "field_required", "document_number")
    if body.interprets_id is not None and body.kind != "interpretation":
        raise ApiError(422, "value_invalid", "interprets_id")
    if body.interprets_id is not None and not connection.scalar(
        select(Article.id).where(Article.id == body.interprets_id, Article.kind == "policy")
    ):
        raise ApiError(422, "value_invalid", "interprets_id")
    _check_written_on(body.written_on, today)
    _check_number_free(connection, body.document_number, None)
    row = {
        "kind": body.kind,
        "title": body.title.strip(),
        "summary": body.summary.strip() or summary_of(body.body),
        "body": body.body,
        "department_id": department_id,
        "document_number": body.document_number,
        "written_on": body.written_on,
        "published_on": today,
        "validity": "valid",
        "interprets_id": body.interprets_id,
    }
    article_id = _inserted(connection, row)
    _write_topics(connection, article_id, topics, today)
    index_article(connection, article_id, department_code)
    return detail(connection, article_id)


def update_article(
    db: Session, user: User, article_id: int, body: wire.ArticleUpdate, today: dt.date
) -> wire.ArticleDetail:
    connection = db.connection()
    current = _editable(connection, user, article_id)
    changes: dict[str, Any] = {}
    sent = body.model_fields_set
    if "title" in sent and body.title is not None:
        changes["title"] = body.title.strip()
    if "body" in sent and body.body is not None:
        changes["body"] = body.body
    if "summary" in sent and body.summary is not None:
        changes["summary"] = body.summary.strip() or summary_of(changes.get("body", current.body))
    if "document_number" in sent:
        if body.document_number is None and current.kind == "policy":
            raise ApiError(422, "field_required", "document_number")
        _check_number_free(connection, body.document_number, article_id)
        changes["document_number"] = body.document_number
    if "written_on" in sent:
        _check_written_on(body.written_on, today)
        changes["written_on"] = body.written_on
    if changes:
        try:
            connection.execute(update(Article).where(Article.id == article_id).values(**changes))
        except IntegrityError as exc:
            raise ApiError(409, "document_number_taken", "document_number") from exc
    if "topics" in sent and body.topics is not None:
        connection.execute(delete(ArticleTopic).where(ArticleTopic.article_id == article_id))
        _write_topics(connection, article_id, _topic_codes(body.topics), current.published_on)
    index_article(connection, article_id, current.department_code)
    return detail(connection, article_id)


def repeal(db: Session, user: User, article_id: int, body: wire.ArticleRepeal) -> wire.ArticleDetail:
    """In force → 已废止 or 已修订; the conditional UPDATE lets only one of two simultaneous repeals through."""
    connection = db.connection()
    _editable(connection, user, article_id)
    if body.validity == "amended" and body.superseded_by_id is None:
        raise ApiError(422, "field_required", "superseded_by_id")
    if body.superseded_by_id is not None and (
        body.superseded_by_id == article_id
        or connection.scalar(select(Article.validity).where(Article.id == body.superseded_by_id)) != "valid"
    ):
        raise ApiError(422, "value_invalid", "superseded_by_id")
    changed = connection.execute(
        update(Article)
        .where(Article.id == article_id, Article.validity == "valid")
        .values(validity=body.validity, superseded_by_id=body.superseded_by_id)
    )
    if cast(CursorResult[Any], changed).rowcount != 1:
        raise ApiError(409, "article_not_in_force")
    return detail(connection, article_id)


def _publishing_department(connection: Connection, user: User, code: str | None) -> tuple[int, str]:
    if user.role == "officer":
        own = connection.execute(
            select(Department.id, Department.code).where(Department.id == user.department_id)
        ).one()
        if code is not None and code != own.code:
            raise ApiError(403, "forbidden", "department")
        return own.id, own.code
    if code is None:
        raise ApiError(422, "field_required", "department")
    found = connection.execute(select(Department.id, Department.code).where(Department.code == code)).one_or_none()
    if found is None:
        raise ApiError(422, "value_invalid", "department")
    return found.id, found.code


def _editable(connection: Connection, user: User, article_id: int) -> Any:
    """The article when the caller may edit it; another department's document is 404 to an officer."""
    query = (
        select(Article.id, Article.kind, Article.body, Article.published_on, Department.code.label("department_code"))
        .join(Department, Department.id == Article.department_id)
        .where(Article.id == article_id)
    )
    if user.role != "admin":
        query = query.where(Article.department_id == user.department_id)
    row = connection.execute(query).one_or_none()
    if row is None:
        raise not_found()
    return row


def _topic_codes(codes: list[str]) -> list[str]:
    unique = list(dict.fromkeys(codes))
    if not unique or any(code not in TOPIC_NAMES for code in unique):
        raise ApiError(422, "value_invalid", "topics")
    return unique


def _check_written_on(written_on: dt.date | None, today: dt.date) -> None:
    if written_on is not None and not dt.date(1949, 10, 1) <= written_on <= today:
        raise ApiError(422, "value_invalid", "written_on")


def _check_number_free(connection: Connection, number: str | None, article_id: int | None) -> None:
    """A 文号 names one document (the unique index decides between simultaneous writers)."""
    if number is None:
        return
    holder = connection.scalar(select(Article.id).where(Article.document_number == number))
    if holder is not None and holder != article_id:
        raise ApiError(409, "document_number_taken", "document_number")


def _inserted(connection: Connection, row: dict[str, Any]) -> int:
    try:
        article_id = connection.execute(insert(Article).values(**row).returning(Article.id)).scalar_one()
    except IntegrityError as exc:
        raise ApiError(409, "document_number_taken", "document_number") from exc
    return int(article_id)


def _write_topics(connection: Connection, article_id: int, topics: list[str], published_on: dt.date) -> None:
    connection.execute(
        insert(ArticleTopic), [{"topic": t, "published_on": published_on, "article_id": article_id} for t in topics]
    )


def summary_of(body: str) -> str:
    text = " ".join(markdown_to_text(body).split())
    return text if len(text) <= SUMMARY_FROM_BODY else text[: SUMMARY_FROM_BODY - 1] + "…"


def index_article(connection: Connection, article_id: int, department_code: str) -> None:
    """(Re)index the article as stored now: the search entry always matches the row."""
    row = connection.execute(
        select(
            Article.id,
            Article.kind,
            Article.title,
            Article.summary,
            Article.body,
            Article.published_on,
            Article.document_number,
            Department.name,
        )
        .join(Department, Department.id == Article.department_id)
        .where(Article.id == article_id)
    ).one()
    topics = tuple(connection.scalars(select(ArticleTopic.topic).where(ArticleTopic.article_id == article_id)))
    draft = ArticleDraft(
        id=row.id,
        kind=row.kind,
        title=row.title,
        summary=row.summary,
        body=row.body,
        department_code=department_code,
        published_on=row.published_on,
        document_number=row.document_number,
        topics=topics,
    )
    index_documents(connection, "article", [search_source(draft, row.name)])
