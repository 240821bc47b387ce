import datetime as dt

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base


class Article(Base):
    """A published document. Lists read it newest first: every filter has an index ending (published_on, id)."""

    __tablename__ = "articles"
    __table_args__ = (
        Index("ix_articles_published", "published_on", "id"),
        Index("ix_articles_kind_published", "kind", "published_on", "id"),
        Index("ix_articles_department_published", "department_id", "published_on", "id"),
        Index("ix_articles_validity_published", "validity", "published_on", "id"),
        Index("ix_articles_document_number", "document_number", unique=True),
        Index("ix_articles_source_ref", "source_ref", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    document_number: Mapped[str | None] = mapped_column(String(64))
    written_on: Mapped[dt.date | None] = mapped_column(Date)
    published_on: Mapped[dt.date] = mapped_column(Date)
    validity: Mapped[str] = mapped_column(String(16))
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id"), index=True)
    interprets_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id"), index=True)
    source_ref: Mapped[str | None] = mapped_column(String(200))  # where an imported article came from


class ArticleTopic(Base):
    """An article under a topic; carries the publish date so a topic's list is one index range."""

    __tablename__ = "article_topics"

    topic: Mapped[str] = mapped_column(String(16), primary_key=True)
    published_on: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True, index=True)


class ArticleAttachment(Base):
    __tablename__ = "article_attachments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    size_bytes: Mapped[int] = mapped_column(Integer)
    url: Mapped[str] = mapped_column(String(500))
