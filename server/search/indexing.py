"""Writing documents into the search index, in bulk, inside the caller's transaction."""

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter

from sqlalchemy import Connection, Insert, Table
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


@lru_cache(maxsize=200_000)
def _cached_pinyin(term: str) -> str:
    return pinyin_key(term)


def index_documents(connection: Connection, scope: Scope, sources: Sequence[SearchSource]) -> None:
    """Add new documents: their text, a posting per distinct token, token counts and title words' pinyin."""
    code = SCOPE_CODES[scope]
    documents = []
    postings: list[tuple[int, str, int, object, int]] = []
    native_dates = connection.dialect.name == "postgresql"
    title_words: Counter[str] = Counter()
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
        title_words.update(vocabulary(title))
    connection.execute(SearchDocument.__table__.insert(), documents)
    # Postings are most of the rows: sorted by token and handed straight to the driver they insert several times faster.
    postings.sort(key=itemgetter(1))
    mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    connection.exec_driver_sql(
        f"INSERT INTO search_postings (scope, token, weight, published_on, ref_id) VALUES ({', '.join([mark] * 5)})",
        postings,
    )
    if token_documents:
        connection.execute(
            _add_counts(connection.dialect.name, SearchToken.__table__, "token", "documents"),
            [{"scope": code, "token": token, "documents": count} for token, count in sorted(token_documents.items())],
        )
    if title_words:
        connection.execute(
            _add_counts(connection.dialect.name, SearchTerm.__table__, "term", "title_count"),
            [
                {"scope": code, "term": term, "pinyin": _cached_pinyin(term), "title_count": count}
                for term, count in sorted(title_words.items())
            ],
        )


def _add_counts(dialect: str, table: Table, key: str, count: str) -> Insert:
    """Insert new keys and add to the count of known ones (the same upsert on both databases)."""
    statement = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
    return statement.on_conflict_do_update(
        index_elements=[table.c.scope, table.c[key]],
        set_={count: table.c[count] + statement.excluded[count]},
    )
