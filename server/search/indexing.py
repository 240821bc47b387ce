"""Writing documents into the search index, in bulk, inside the caller's transaction."""

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, Insert, delete, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from server.search.models import SCOPE_CODES, Scope, SearchDocument, SearchSegment, SearchTerm
from server.search.segments import Posting, day_number, lock_scope, merge_segments, write_segment
from server.search.text import fold, pinyin_key, posting_weights, vocabulary

REINDEX_BATCH = 5000


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
    """Make the items findable as given; an item indexed before is replaced (its old postings go stale)."""
    if not sources:
        return
    code = SCOPE_CODES[scope]
    lock_scope(connection, code)
    latest = {source.ref_id: source for source in sources}
    connection.execute(
        delete(SearchDocument).where(SearchDocument.scope == code, SearchDocument.ref_id.in_(sorted(latest)))
    )
    folded = [
        SearchSource(s.ref_id, s.kind, fold(s.title), fold(s.keywords), fold(s.content), s.published_on)
        for s in latest.values()
    ]
    rows = [(s.ref_id, s.title, s.keywords, s.content, s.published_on) for s in folded]
    segment = write_segment(connection, code, _postings(rows), len(rows))
    connection.execute(
        insert(SearchDocument),
        [{"scope": code, "segment": segment, **dataclasses.asdict(source)} for source in folded],
    )
    words: Counter[str] = Counter()
    for source in folded:
        words.update(vocabulary(source.title, source.keywords))
    if words:
        connection.execute(
            _add_counts(connection.dialect.name),
            [
                {"scope": code, "term": term, "pinyin": pinyin_key(term), "documents": count}
                for term, count in sorted(words.items())
            ],
        )
    merge_segments(connection, code)


def remove_documents(connection: Connection, scope: Scope, ref_ids: Sequence[int]) -> None:
    """Items no longer findable: their text goes now, their postings at the next merge."""
    if ref_ids:
        connection.execute(
            delete(SearchDocument).where(
                SearchDocument.scope == SCOPE_CODES[scope], SearchDocument.ref_id.in_(sorted(set(ref_ids)))
            )
        )


def index_unindexed(connection: Connection) -> int:
    """Index stored documents that have no postings yet (after the upgrade to segments); returns how many."""
    done = 0
    for (code,) in connection.execute(select(SearchDocument.scope).distinct()).all():
        lock_scope(connection, code)
        while True:
            rows = connection.execute(
                select(
                    SearchDocument.ref_id,
                    SearchDocument.title,
                    SearchDocument.keywords,
                    SearchDocument.content,
                    SearchDocument.published_on,
                )
                .where(SearchDocument.scope == code, SearchDocument.segment.is_(None))
                .order_by(SearchDocument.ref_id)
                .limit(REINDEX_BATCH)
            ).all()
            if not rows:
                break
            segment = write_segment(connection, code, _postings(rows), len(rows))
            connection.execute(
                update(SearchDocument)
                .where(SearchDocument.scope == code, SearchDocument.ref_id.in_([row[0] for row in rows]))
                .values(segment=segment)
            )
            merge_segments(connection, code)
            done += len(rows)
    return done


def merge_every_scope(connection: Connection) -> None:
    """Bring every scope's segments to the merge policy: indexes written under the former one could keep
    dozens of segments, and a query pays for each."""
    for (code,) in connection.execute(select(SearchSegment.scope).distinct()).all():
        lock_scope(connection, code)
        merge_segments(connection, code)


def _postings(rows: Sequence[tuple[int, str, str, str, dt.date]]) -> dict[str, list[Posting]]:
    lists: dict[str, list[Posting]] = {}
    for ref_id, title, keywords, content, published_on in rows:
        day = day_number(published_on)
        for token, weight in posting_weights(title, keywords, content).items():
            lists.setdefault(token, []).append((weight, day, ref_id))
    return lists


def _add_counts(dialect: str) -> Insert:
    """Insert new words and add to the count of known ones (the same upsert on both databases)."""
    statement = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(SearchTerm)
    return statement.on_conflict_do_update(
        index_elements=["scope", "term"], set_={"documents": SearchTerm.documents + statement.excluded["documents"]}
    )
