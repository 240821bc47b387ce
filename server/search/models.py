"""The portable search index. Scopes are small integers here because index rows repeat them."""

import datetime as dt
from typing import Literal

from sqlalchemy import Date, Index, Integer, LargeBinary, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base

Scope = Literal["article", "service", "appeal"]
SCOPE_CODES: dict[Scope, int] = {"article": 1, "service": 2, "appeal": 3}


class SearchDocument(Base):
    """The searchable text of one item: what results show and what the exact scoring reads.

    `segment` is the segment holding its current postings; postings of the same item in older
    segments are stale (the item was indexed again) and merges drop them.
    """

    __tablename__ = "search_documents"
    __table_args__ = (Index("ix_search_documents_segment", "segment"),)

    scope: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    ref_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str | None] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(300))
    keywords: Mapped[str] = mapped_column(Text)
    content: Mapped[str] = mapped_column(Text)
    published_on: Mapped[dt.date] = mapped_column(Date)
    segment: Mapped[int | None] = mapped_column(Integer)


class SearchSegment(Base):
    """One batch of indexed documents: its posting lists are written once and merged later, never edited."""

    __tablename__ = "search_segments"
    __table_args__ = (Index("ix_search_segments_scope", "scope", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    scope: Mapped[int] = mapped_column(SmallInteger)
    documents: Mapped[int] = mapped_column(Integer)
    postings: Mapped[int] = mapped_column(Integer)


class SearchBlock(Base):
    """Up to BLOCK_POSTINGS postings of one token in one segment, packed, in rank order.

    Block 0 holds a token's best postings, so a query reads one row per token and segment to start;
    `postings` is the token's total in the segment (for term weights and for knowing when a list ends).
    """

    __tablename__ = "search_blocks"
    __table_args__ = ({"sqlite_with_rowid": False},)

    segment: Mapped[int] = mapped_column(Integer, primary_key=True)
    token: Mapped[str] = mapped_column(String(32), primary_key=True)
    block: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    postings: Mapped[int] = mapped_column(Integer)
    payload: Mapped[bytes] = mapped_column(LargeBinary)


class SearchTerm(Base):
    """A word of 2-4 characters seen in titles or keywords, its pinyin, and how many documents have it there."""

    __tablename__ = "search_terms"
    __table_args__ = (Index("ix_search_terms_pinyin", "scope", "pinyin"),)

    scope: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    term: Mapped[str] = mapped_column(String(8), primary_key=True)
    pinyin: Mapped[str] = mapped_column(String(32))
    documents: Mapped[int] = mapped_column(Integer)


class SearchSynonym(Base):
    """A word people type and an official word it also means, added by an administrator (all scopes)."""

    __tablename__ = "search_synonyms"

    word: Mapped[str] = mapped_column(String(16), primary_key=True)
    synonym: Mapped[str] = mapped_column(String(16), primary_key=True)
