"""The portable search index. Scopes are small integers here because postings repeat them on every row."""

import datetime as dt
from typing import Literal

from sqlalchemy import Date, Index, Integer, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base

Scope = Literal["article", "service", "appeal"]
SCOPE_CODES: dict[Scope, int] = {"article": 1, "service": 2, "appeal": 3}


class SearchDocument(Base):
    """The searchable text of one item: what results show and what phrase checks read."""

    __tablename__ = "search_documents"

    scope: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    ref_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str | None] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(300))
    keywords: Mapped[str] = mapped_column(Text)
    content: Mapped[str] = mapped_column(Text)
    published_on: Mapped[dt.date] = mapped_column(Date)


class SearchPosting(Base):
    """One token of one document. The key is the rank order, so a token's best matches are an index range."""

    __tablename__ = "search_postings"
    __table_args__ = (
        # Document order: which of a query's other tokens a candidate holds, and their weights.
        Index("ix_search_postings_document", "scope", "ref_id", "token", "weight"),
        {"sqlite_with_rowid": False},
    )

    scope: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    token: Mapped[str] = mapped_column(String(32), primary_key=True)
    weight: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    published_on: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    ref_id: Mapped[int] = mapped_column(Integer, primary_key=True)


class SearchToken(Base):
    """How many documents hold a token: the engine walks the rarest token of a query."""

    __tablename__ = "search_tokens"

    scope: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    token: Mapped[str] = mapped_column(String(32), primary_key=True)
    documents: Mapped[int] = mapped_column(Integer)


class SearchTerm(Base):
    """A word of 2-4 characters seen in titles or keywords, its pinyin, and how many documents have it there."""

    __tablename__ = "search_terms"
    __table_args__ = (Index("ix_search_terms_pinyin", "scope", "pinyin"),)

    scope: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    term: Mapped[str] = mapped_column(String(8), primary_key=True)
    pinyin: Mapped[str] = mapped_column(String(32))
    documents: Mapped[int] = mapped_column(Integer)
