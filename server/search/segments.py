"""Posting lists packed into blocks, written a segment at a time and merged like a log-structured index.

A posting is 7 bytes (weight, day of publication, item id) instead of a table row of ~50 bytes with its
index entry, which is what kept the old index at eight times the text it indexed. Every call that
indexes documents writes one new segment: per token, its postings in rank order (weight, then date,
then id, best first), cut into blocks of BLOCK_POSTINGS. Nothing is updated in place, so the SQL is
plain inserts and range reads, identical on SQLite and PostgreSQL. The newest segments are merged
into one with their elder neighbours while each elder holds at most MERGE_RATIO times the postings
of those after it, up to MAX_MERGE_POSTINGS per segment: sizes then fall geometrically from the
oldest segment to the newest, so a scope has a few segments (two at 100,000 articles) and each
posting is rewritten a few times, even when batches shrink a little from one write to the next
(which kept the plain binary counter this replaces from ever merging). A query pays per segment
(a row and a list head per token), so that count, not the corpus, must stay small. Merges drop
postings of items indexed again since. Block 0 of a token is small (FIRST_BLOCK_POSTINGS): most
queries read only the best postings of each list.

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
POSTING = struct.Struct(">BHI")  # big-endian unsigned: packed postings sort as bytes in rank order
REF_ID = struct.Struct(">I")
FIRST_BLOCK_POSTINGS = 128
BLOCK_POSTINGS = 2048
MERGE_RATIO = 2
MAX_MERGE_POSTINGS = 32_000_000
MAX_SEGMENTS = 40
EPOCH = dt.date(1970, 1, 1)


def day_number(day: dt.date) -> int:
    return (day - EPOCH).days


def from_day_number(number: int) -> dt.date:
    return EPOCH + dt.timedelta(days=number)


def pack(postings: Sequence[Posting]) -> bytes:
    return b"".join([POSTING.pack(*posting) for posting in postings])


def write_segment(connection: Connection, scope: int, lists: dict[str, list[Posting]], documents: int) -> int:
    """A new segment holding `lists` (token → postings, any order); returns its id. Merges may follow."""
    total = sum(len(postings) for postings in lists.values())
    segment = connection.execute(
        insert(SearchSegment).values(scope=scope, documents=documents, postings=total).returning(SearchSegment.id)
    ).scalar_one()
    _write_blocks(connection, segment, ((token, pack(sorted(lists[token], reverse=True))) for token in sorted(lists)))
    return int(segment)


def _write_blocks(connection: Connection, segment: int, lists: Iterable[tuple[str, bytes]]) -> None:
    """Each token's packed postings (rank order) cut into blocks."""
    rows = [
        (segment, token, number, len(packed) // POSTING.size, packed[start:end])
        for token, packed in lists
        if packed
        for number, (start, end) in enumerate(_block_bounds(len(packed) // POSTING.size))
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
    """Byte ranges of the blocks of a list of `count` postings."""
    size = POSTING.size
    bounds = [(0, min(count, FIRST_BLOCK_POSTINGS) * size)]
    for start in range(FIRST_BLOCK_POSTINGS, count, BLOCK_POSTINGS):
        bounds.append((start * size, min(count, start + BLOCK_POSTINGS) * size))
    return bounds


def lock_scope(connection: Connection, scope: int) -> None:
    """Writers of one scope take turns on PostgreSQL (SQLite has one writer anyway), so merges never race."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(7310, :scope)"), {"scope": scope})


def merge_segments(connection: Connection, scope: int) -> None:
    """Merge the newest segments with the elders not much bigger than them (or the smallest pair if too many)."""
    while True:
        segments = [
            (int(segment), int(postings))
            for segment, postings in connection.execute(
                select(SearchSegment.id, SearchSegment.postings)
                .where(SearchSegment.scope == scope)
                .order_by(SearchSegment.id)
            )
        ]
        if len(segments) > MAX_SEGMENTS:
            older, newer = min(pairwise(segments), key=lambda pair: pair[0][1] + pair[1][1])
            run = [older, newer]
        else:
            run = _newest_run(segments)
        if len(run) < 2:
            return
        _merge(connection, scope, [segment for segment, _ in run])


def _newest_run(segments: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The newest segment and, going back, each elder holding at most MERGE_RATIO times the postings
    of the segments after it, while they fit in MAX_MERGE_POSTINGS (oldest first)."""
    if not segments:
        return []
    run, total = [segments[-1]], segments[-1][1]
    for segment in reversed(segments[:-1]):
        if segment[1] > MERGE_RATIO * total or segment[1] + total > MAX_MERGE_POSTINGS:
            break
        run.append(segment)
        total += segment[1]
    return run[::-1]


def _merge(connection: Connection, scope: int, merged_ids: list[int]) -> None:
    """Rewrite neighbouring segments (oldest first) as one under the newest id, keeping only live postings.

    Postings stay packed: a list is cut into its 7-byte postings, which sort as bytes in rank order, so
    merging costs no Python object per field and holds only the packed lists in memory.
    """
    newest = merged_ids[-1]
    live: dict[int, set[bytes]] = {segment: set() for segment in merged_ids}
    for ref_id, segment in connection.execute(
        select(SearchDocument.ref_id, SearchDocument.segment).where(
            SearchDocument.scope == scope, SearchDocument.segment.in_(merged_ids)
        )
    ):
        if segment is not None:
            live[segment].add(REF_ID.pack(ref_id))
    indexed = connection.execute(
        select(SearchSegment.id, SearchSegment.documents).where(SearchSegment.id.in_(merged_ids))
    ).all()
    # Segments whose items were all still there need no filtering (the usual case).
    stale = {segment for segment, documents in indexed if len(live[segment]) < documents}
    rows = connection.execute(
        select(SearchBlock.token, SearchBlock.segment, SearchBlock.payload)
        .where(SearchBlock.segment.in_(merged_ids))
        .order_by(SearchBlock.token, SearchBlock.segment, SearchBlock.block)
    )
    size = POSTING.size
    merged: list[tuple[str, bytes]] = []
    for token, group in groupby(rows, key=itemgetter(0)):
        postings: list[bytes] = []
        for _, segment, payload in group:
            packed = bytes(payload)
            cut = [packed[start : start + size] for start in range(0, len(packed), size)]
            if segment in stale:
                kept = live[segment]
                cut = [posting for posting in cut if posting[3:] in kept]
            postings += cut
        postings.sort(reverse=True)  # runs already in order: a merge, for the sort
        merged.append((token, b"".join(postings)))
    connection.execute(delete(SearchBlock).where(SearchBlock.segment.in_(merged_ids)))
    _write_blocks(connection, newest, merged)
    connection.execute(
        update(SearchDocument)
        .where(SearchDocument.scope == scope, SearchDocument.segment.in_(merged_ids[:-1]))
        .values(segment=newest)
    )
    connection.execute(
        update(SearchSegment)
        .where(SearchSegment.id == newest)
        .values(
            documents=sum(len(refs) for refs in live.values()),
            postings=sum(len(packed) // size for _, packed in merged),
        )
    )
    connection.execute(delete(SearchSegment).where(SearchSegment.id.in_(merged_ids[:-1])))


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
