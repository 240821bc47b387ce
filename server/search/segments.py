"""Posting lists packed into blocks, written a segment at a time and merged like a log-structured index.

A posting is 7 bytes (weight, day of publication, item id) instead of a table row of ~50 bytes with its
index entry, which is what kept the old index at eight times the text it indexed. Every call that
indexes documents writes one new segment: per token, its postings in rank order (weight, then date,
then id, best first), cut into blocks of BLOCK_POSTINGS. Nothing is updated in place, so the SQL is
plain inserts and range reads, identical on SQLite and PostgreSQL. The newest segment is merged into
its elder neighbour when it holds at least as many postings (a binary counter: each posting is
rewritten about log2 times), up to MAX_MERGE_POSTINGS per segment, so a scope has a few segments
whatever the number of writes; merges drop postings of items indexed again since. Block 0 of a
token is small (FIRST_BLOCK_POSTINGS): most queries read only the best postings of each list.

Why not the databases' own full-text indexes (SQLite FTS5 over pre-cut tokens, PostgreSQL tsvector
with GIN): both are compact, but they rank differently (bm25, ts_rank) or not at all, and neither
hands back a token's documents in our rank order, so identical answers on both would mean fetching
every match and ranking it in Python, at a cost that grows with the corpus. Packed lists in rank
order keep one SQL for both databases, let a query stop after the best postings, and stay within
about 1.6-2.5 times the text they index.
"""

import datetime as dt
import heapq
import struct
from collections.abc import Iterable, Sequence
from itertools import groupby, pairwise
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, delete, insert, select, text, update

from server.search.models import SearchBlock, SearchDocument, SearchSegment

Posting = tuple[int, int, int]  # weight, day number (days since 1970-01-01), ref id
POSTING = struct.Struct(">BHI")
FIRST_BLOCK_POSTINGS = 128
BLOCK_POSTINGS = 2048
MAX_MERGE_POSTINGS = 4_000_000
MAX_SEGMENTS = 40
EPOCH = dt.date(1970, 1, 1)


def day_number(day: dt.date) -> int:
    return (day - EPOCH).days


def from_day_number(number: int) -> dt.date:
    return EPOCH + dt.timedelta(days=number)


def pack(postings: Sequence[Posting]) -> bytes:
    return b"".join([POSTING.pack(*posting) for posting in postings])


def unpack(payload: bytes) -> list[Posting]:
    return list(POSTING.iter_unpack(payload))


def write_segment(connection: Connection, scope: int, lists: dict[str, list[Posting]], documents: int) -> int:
    """A new segment holding `lists` (token → postings, any order); returns its id. Merges may follow."""
    total = sum(len(postings) for postings in lists.values())
    segment = connection.execute(
        insert(SearchSegment).values(scope=scope, documents=documents, postings=total).returning(SearchSegment.id)
    ).scalar_one()
    _write_blocks(connection, segment, ((token, sorted(lists[token], reverse=True)) for token in sorted(lists)))
    return int(segment)


def _write_blocks(connection: Connection, segment: int, lists: Iterable[tuple[str, list[Posting]]]) -> None:
    rows = [
        (segment, token, number, len(postings), pack(postings[start:end]))
        for token, postings in lists
        if postings
        for number, (start, end) in enumerate(_block_bounds(len(postings)))
    ]
    columns = "search_blocks (segment, token, block, postings, payload)"
    if connection.dialect.name == "postgresql":
        driver: Any = connection.connection.driver_connection
        with driver.cursor() as cursor, cursor.copy(f"COPY {columns} FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    elif rows:
        connection.exec_driver_sql(f"INSERT INTO {columns} VALUES (?, ?, ?, ?, ?)", rows)


def _block_bounds(count: int) -> list[tuple[int, int]]:
    bounds = [(0, min(count, FIRST_BLOCK_POSTINGS))]
    for start in range(FIRST_BLOCK_POSTINGS, count, BLOCK_POSTINGS):
        bounds.append((start, min(count, start + BLOCK_POSTINGS)))
    return bounds


def lock_scope(connection: Connection, scope: int) -> None:
    """Writers of one scope take turns on PostgreSQL (SQLite has one writer anyway), so merges never race."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(7310, :scope)"), {"scope": scope})


def merge_segments(connection: Connection, scope: int) -> None:
    """Merge the newest segment into its elder neighbour while they are of comparable size (or too many)."""
    while True:
        segments = connection.execute(
            select(SearchSegment.id, SearchSegment.postings)
            .where(SearchSegment.scope == scope)
            .order_by(SearchSegment.id)
        ).all()
        if len(segments) < 2:
            return
        pairs = list(pairwise(segments))
        if len(segments) > MAX_SEGMENTS:
            older, newer = min(pairs, key=lambda pair: pair[0][1] + pair[1][1])
        else:
            older, newer = pairs[-1]
            if newer[1] < older[1] or older[1] + newer[1] > MAX_MERGE_POSTINGS:
                return
        _merge_pair(connection, scope, older[0], newer[0])


def _merge_pair(connection: Connection, scope: int, older: int, newer: int) -> None:
    """Rewrite two neighbouring segments as one (under the newer id), keeping only live postings."""
    live = {
        (ref_id, segment)
        for ref_id, segment in connection.execute(
            select(SearchDocument.ref_id, SearchDocument.segment).where(
                SearchDocument.scope == scope, SearchDocument.segment.in_([older, newer])
            )
        )
    }
    rows = connection.execute(
        select(SearchBlock.token, SearchBlock.segment, SearchBlock.payload)
        .where(SearchBlock.segment.in_([older, newer]))
        .order_by(SearchBlock.token, SearchBlock.segment, SearchBlock.block)
    )
    merged: list[tuple[str, list[Posting]]] = []
    for token, group in groupby(rows, key=itemgetter(0)):
        postings = [p for _, segment, payload in group for p in unpack(payload) if (p[2], segment) in live]
        postings.sort(reverse=True)
        merged.append((token, postings))
    connection.execute(delete(SearchBlock).where(SearchBlock.segment.in_([older, newer])))
    _write_blocks(connection, newer, merged)
    connection.execute(
        update(SearchDocument)
        .where(SearchDocument.scope == scope, SearchDocument.segment == older)
        .values(segment=newer)
    )
    documents = sum(1 for _ in live)
    connection.execute(
        update(SearchSegment)
        .where(SearchSegment.id == newer)
        .values(documents=documents, postings=sum(len(p) for _, p in merged))
    )
    connection.execute(delete(SearchSegment).where(SearchSegment.id == older))


def scope_segments(connection: Connection, scope: int) -> tuple[list[int], int]:
    """The ids of a scope's segments and how many documents they index (stale ones included)."""
    rows = connection.execute(
        select(SearchSegment.id, SearchSegment.documents).where(SearchSegment.scope == scope)
    ).all()
    return [row[0] for row in rows], sum(row[1] for row in rows)


class PostingStream:
    """One token's postings over every segment, best first, read a block at a time as they are consumed.

    Blocks stay packed: a posting is unpacked when it reaches the head of its segment's queue.
    """

    def __init__(self, connection: Connection, token: str, firsts: list[tuple[int, int, bytes]]) -> None:
        self._connection = connection
        self.token = token
        self.total = sum(total for _, total, _ in firsts)
        self._heap: list[tuple[tuple[int, int, int], int, int]] = []  # (negated posting, segment, offset)
        self._blocks: dict[int, bytes] = {}
        self._block_numbers: dict[int, int] = {}
        self._remaining: dict[int, int] = {}
        for segment, total, payload in firsts:
            self._blocks[segment] = payload
            self._block_numbers[segment] = 0
            self._remaining[segment] = total - len(payload) // POSTING.size
            self._push(segment, 0)

    def _push(self, segment: int, offset: int) -> None:
        payload = self._blocks[segment]
        if offset < len(payload):
            weight, day, ref_id = POSTING.unpack_from(payload, offset)
            heapq.heappush(self._heap, ((-weight, -day, -ref_id), segment, offset))
        elif self._remaining[segment] > 0:
            number = self._block_numbers[segment] + 1
            payload = self._connection.execute(
                select(SearchBlock.payload).where(
                    SearchBlock.segment == segment, SearchBlock.token == self.token, SearchBlock.block == number
                )
            ).scalar_one()
            self._blocks[segment], self._block_numbers[segment] = payload, number
            self._remaining[segment] -= len(payload) // POSTING.size
            self._push(segment, 0)

    def peek(self) -> Posting | None:
        if not self._heap:
            return None
        weight, day, ref_id = self._heap[0][0]
        return -weight, -day, -ref_id

    def pop(self) -> Posting | None:
        if not self._heap:
            return None
        (weight, day, ref_id), segment, offset = heapq.heappop(self._heap)
        self._push(segment, offset + POSTING.size)
        return -weight, -day, -ref_id


def open_streams(connection: Connection, scope: int, tokens: Iterable[str]) -> tuple[dict[str, PostingStream], int]:
    """A stream per token (empty for unknown tokens) and the number of documents in the scope."""
    wanted = sorted(set(tokens))
    segments, documents = scope_segments(connection, scope)
    firsts: dict[str, list[tuple[int, int, bytes]]] = {token: [] for token in wanted}
    if segments and wanted:
        rows = connection.execute(
            select(SearchBlock.token, SearchBlock.segment, SearchBlock.postings, SearchBlock.payload)
            .where(SearchBlock.segment.in_(segments), SearchBlock.token.in_(wanted), SearchBlock.block == 0)
            .order_by(SearchBlock.token, SearchBlock.segment)
        )
        for token, segment, total, payload in rows:
            firsts[token].append((segment, total, payload))
    return {token: PostingStream(connection, token, firsts[token]) for token in wanted}, documents
