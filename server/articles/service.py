"""Reading articles: Core queries on a plain connection (no ORM on the hot paths), keyset pages newest first."""

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Row, Select, or_, select, tuple_

from api_client import models as wire
from server.articles.models import Article, ArticleAttachment, ArticleTopic
from server.articles.topics import TOPIC_NAMES, TOPICS
from server.core.errors import ApiError, not_found
from server.core.pagination import decode_cursor, encode_cursor
from server.departments.models import Department

AnyRow = Row[*tuple[Any, ...]]
AnySelect = Select[*tuple[Any, ...]]
_TOPIC_ORDER = {code: n for n, (code, _name) in enumerate(TOPICS)}
_SUMMARY_COLUMNS = (
    Article.id,
    Article.kind,
    Article.title,
    Article.summary,
    Article.document_number,
    Article.written_on,
    Article.published_on,
    Article.validity,
    Department.code.label("department_code"),
    Department.name.label("department_name"),
    Department.short_name.label("department_short_name"),
    Department.phone.label("department_phone"),
)
_REF_COLUMNS = (
    Article.id,
    Article.kind,
    Article.title,
    Article.document_number,
    Article.published_on,
    Article.validity,
)


def topics() -> list[wire.Topic]:
    return [wire.Topic(code=code, name=name) for code, name in TOPICS]


def list_page(
    db: Connection, filters: wire.ArticleFilters, cursor: str | None, limit: int
) -> wire.Page[wire.ArticleSummary]:
    query = _filtered(db, filters)
    order_date, order_id = (
        (ArticleTopic.published_on, ArticleTopic.article_id) if filters.topic else (Article.published_on, Article.id)
    )
    if cursor:
        query = query.where(tuple_(order_date, order_id) < tuple_(*_decode_list_cursor(cursor)))
    rows = list(db.execute(query.order_by(order_date.desc(), order_id.desc()).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    topics_of = _topics_of(db, [row.id for row in rows])
    items = [_summary(row, topics_of[row.id]) for row in rows]
    next_cursor = encode_cursor([rows[-1].published_on.isoformat(), rows[-1].id]) if more else None
    return wire.Page[wire.ArticleSummary](items=items, next_cursor=next_cursor)


def _filtered(db: Connection, filters: wire.ArticleFilters) -> AnySelect:
    query: AnySelect = select(*_SUMMARY_COLUMNS).join(Department, Department.id == Article.department_id)
    published = Article.published_on
    if filters.topic:
        if filters.topic not in TOPIC_NAMES:
            raise ApiError(422, "value_invalid", "topic")
        query = query.join(ArticleTopic, ArticleTopic.article_id == Article.id).where(
            ArticleTopic.topic == filters.topic
        )
        published = ArticleTopic.published_on
    if filters.department:
        department_id = db.scalar(select(Department.id).where(Department.code == filters.department))
        if department_id is None:
            raise ApiError(422, "value_invalid", "department")
        query = query.where(Article.department_id == department_id)
    if filters.kind:
        query = query.where(Article.kind == filters.kind)
    if filters.validity:
        query = query.where(Article.validity == filters.validity)
    if filters.published_from and filters.published_to and filters.published_from > filters.published_to:
        raise ApiError(422, "value_invalid", "published_from")
    if filters.published_from:
        query = query.where(published >= filters.published_from)
    if filters.published_to:
        query = query.where(published <= filters.published_to)
    return query


def _decode_list_cursor(cursor: str) -> tuple[dt.date, int]:
    published, article_id = decode_cursor(cursor, dt.date, int)
    return published, article_id


def _topics_of(db: Connection, article_ids: Sequence[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    if article_ids:
        rows = db.execute(
            select(ArticleTopic.article_id, ArticleTopic.topic).where(ArticleTopic.article_id.in_(article_ids))
        )
        for article_id, topic in rows:
            found[article_id].append(topic)
    for codes in found.values():
        codes.sort(key=lambda code: _TOPIC_ORDER.get(code, len(_TOPIC_ORDER)))
    return found


def _summary_fields(row: AnyRow, topic_codes: list[str]) -> dict[str, Any]:
    return {
        "id": row.id,
        "kind": row.kind,
        "title": row.title,
        "summary": row.summary,
        "department": wire.Department(
            code=row.department_code,
            name=row.department_name,
            short_name=row.department_short_name,
            phone=row.department_phone,
        ),
        "document_number": row.document_number,
        "written_on": row.written_on,
        "published_on": row.published_on,
        "validity": row.validity,
        "topics": topic_codes,
    }


def _summary(row: AnyRow, topic_codes: list[str]) -> wire.ArticleSummary:
    return wire.ArticleSummary(**_summary_fields(row, topic_codes))


def _ref(row: AnyRow) -> wire.ArticleRef:
    return wire.ArticleRef(
        id=row.id,
        kind=row.kind,
        title=row.title,
        document_number=row.document_number,
        published_on=row.published_on,
        validity=row.validity,
    )


def detail(db: Connection, article_id: int) -> wire.ArticleDetail:
    row = db.execute(
        select(*_SUMMARY_COLUMNS, Article.body, Article.superseded_by_id, Article.interprets_id)
        .join(Department, Department.id == Article.department_id)
        .where(Article.id == article_id)
    ).one_or_none()
    if row is None:
        raise not_found()
    attachments = db.execute(
        select(ArticleAttachment.name, ArticleAttachment.size_bytes, ArticleAttachment.url)
        .where(ArticleAttachment.article_id == article_id)
        .order_by(ArticleAttachment.position)
    )
    linked = db.execute(
        select(*_REF_COLUMNS, Article.superseded_by_id, Article.interprets_id)
        .where(
            or_(
                Article.id.in_([i for i in (row.superseded_by_id, row.interprets_id) if i is not None]),
                Article.superseded_by_id == article_id,
                Article.interprets_id == article_id,
            )
        )
        .order_by(Article.published_on.desc(), Article.id.desc())
    ).all()
    return wire.ArticleDetail(
        **_summary_fields(row, _topics_of(db, [article_id])[article_id]),
        body=row.body,
        attachments=[wire.Attachment(name=a.name, size_bytes=a.size_bytes, url=a.url) for a in attachments],
        superseded_by=next((_ref(r) for r in linked if r.id == row.superseded_by_id), None),
        supersedes=[_ref(r) for r in linked if r.superseded_by_id == article_id],
        interprets=next((_ref(r) for r in linked if r.id == row.interprets_id), None),
        interpretations=[_ref(r) for r in linked if r.interprets_id == article_id],
    )
