"""Writing documents into the search index, in bulk, inside the caller's transaction."""

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Insert, insert
from sqlalchemy.dialects import postgresql, sqlite

from server.search.models import SCOPE_CODES, Scope, SearchDocument, SearchTerm, SearchToken
from server.search.text import fold, pinyin_key, posting_weights, vocabulary


@dataclass(frozen=True)
class SearchSource:
    """What a domain module hands over to make one of its items findable."""

    ref_id: int
    kind: str | None
    title: str
    keywords: str
    content: str
    published_on: dt.date


def index_documents(connection: Connection, scope: Scope, sources: Sequence[SearchSource]) -> None:
    """Add new documents: their text, a posting per distinct token, token counts, and the pinyin of words in titles and keywords."""
    code = SCOPE_CODES[scope]
    documents = []
    postings: list[tuple[int, str, int, object, int]] = []
    native_dates = connection.dialect.name == "postgresql"
    words: Counter[str] = Counter()
    token_documents: Counter[str] = Counter()
    for source in sources:
        title, keywords, content = fold(source.title), fold(source.keywords), fold(source.content)
        documents.append(
            {
                "scope": code,
                "ref_id": source.ref_id,
                "kind": source.kind,
                "title": title,
                "keywords": keywords,
                "content": content,
                "published_on": source.published_on,
            }
        )
        published = source.published_on if native_dates else source.published_on.isoformat()
        weights = posting_weights(title, keywords, content)
        postings.extend((code, token, weight, published, source.ref_id) for token, weight in weights.items())
        token_documents.update(weights.keys())
        words.update(vocabulary(title, keywords))
    connection.execute(insert(SearchDocument), documents)
    _insert_postings(connection, postings)
    if token_documents:
        connection.execute(
            _add_counts(connection.dialect.name, SearchToken, "token", "documents"),
            [{"scope": code, "token": token, "documents": count} for token, count in sorted(token_documents.items())],
        )
    if words:
        connection.execute(
            _add_counts(connection.dialect.name, SearchTerm, "term", "documents"),
            [
                {"scope": code, "term": term, "pinyin": pinyin_key(term), "documents": count}
                for term, count in sorted(words.items())
            ],
        )


def _insert_postings(connection: Connection, postings: list[tuple[int, str, int, object, int]]) -> None:
    """Postings are most of the rows, so they skip SQLAlchemy's per-row work: COPY on PostgreSQL, the
    driver's executemany on SQLite, sorted by token so that pages fill in order."""
    postings.sort(key=itemgetter(1))
    columns = "search_postings (scope, token, weight, published_on, ref_id)"
    if connection.dialect.name == "postgresql":
        psycopg_connection: Any = connection.connection.driver_connection
        with psycopg_connection.cursor() as cursor, cursor.copy(f"COPY {columns} FROM STDIN") as copy:
            for row in postings:
                copy.write_row(row)
    else:
        connection.exec_driver_sql(f"INSERT INTO {columns} VALUES (?, ?, ?, ?, ?)", postings)


def _add_counts(dialect: str, entity: type[SearchToken | SearchTerm], key: str, count: str) -> Insert:
    """Insert new keys and add to the count of known ones (the same upsert on both databases)."""
    statement = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(entity)
    return statement.on_conflict_do_update(
        index_elements=["scope", key], set_={count: getattr(entity, count) + statement.excluded[count]}
    )
