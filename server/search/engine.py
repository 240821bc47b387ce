"""Answering a query from the portable index, with the same SQL and the same answers on both databases.

1. The query is normalized (traditional → simplified, full-width → ASCII, lower case) and split into
   words at spaces and punctuation, so `"`, `*`, `OR` or unbalanced quotes are just text. Latin words
   that spell the pinyin of words seen in titles or keywords become them (shebao → 社保,
   shebaojiaofei → the phrase 社保缴费).
2. A one-word query whose word is itself a token (社保, 2026, 〔2026〕12号, a character) is read straight
   from its posting list, which is stored in rank order: the page is one index range, whatever the size
   of the corpus.
3. Otherwise the engine walks the posting list of the query's rarest token (`search_tokens` counts
   documents per token) in rank order, checking each document for every word (phrase and word
   boundaries included) and scoring it. A token's weight bounds the score of any word containing it,
   so the walk stops as soon as no unread posting can beat the page (exact for one-word queries). It
   never reads more than SCAN_LIMIT postings: a query of several words that are each common but
   rarely together answers from the best SCAN_LIMIT documents of its rarest token.
Results are ordered by score, then publish date and id, newest first; cursors carry that key.
"""

import bisect
import datetime as dt
import html
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any, NamedTuple

from sqlalchemy import Connection, UnaryExpression, select, tuple_

from api_client import models as wire
from api_client.models.search import MAX_QUERY_LENGTH
from server.core.errors import ApiError
from server.core.pagination import decode_cursor, encode_cursor
from server.search.models import SCOPE_CODES, Scope, SearchDocument, SearchPosting, SearchTerm, SearchToken
from server.search.text import (
    Term,
    is_pinyin_candidate,
    make_document_number_term,
    make_term,
    normalize_query,
    spans,
    split_query,
)

SCAN_LIMIT = 1000
FIRST_CHUNK = 50
MAX_PINYIN_LETTERS = 40
MAX_WORD_PINYIN = 24
SNIPPET_LENGTH = 80
SNIPPET_LEAD = 20

RankKey = tuple[int, dt.date, int]


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    terms: list[Term]


class _Document(NamedTuple):
    ref_id: int
    kind: str | None
    title: str
    keywords: str
    content: str


@dataclass(frozen=True)
class _Hit:
    key: RankKey
    kind: str | None
    title: str
    content: str


def parse_query(db: Connection, scope: Scope, raw: str) -> ParsedQuery:
    """Words to search for; a query with no letters, digits or characters has none."""
    query = raw.strip()
    if not query:
        raise ApiError(422, "query_empty", "q")
    if len(query) > MAX_QUERY_LENGTH:
        raise ApiError(422, "query_too_long", "q")
    numbers, words = split_query(normalize_query(query))
    words = _pinyin_to_words(db, SCOPE_CODES[scope], words)
    terms = [make_term(word) for word in words] + [make_document_number_term(*number) for number in numbers]
    return ParsedQuery(" ".join(term.text for term in terms), terms)


def _pinyin_to_words(db: Connection, scope: int, words: list[str]) -> list[str]:
    """Replace words typed in pinyin by the Chinese they spell, the most frequent reading first."""
    candidates = [w for w in words if is_pinyin_candidate(w) and len(w) <= MAX_PINYIN_LETTERS]
    if not candidates:
        return words
    pieces = {
        w[i:j] for w in candidates for i in range(len(w)) for j in range(i + 2, min(len(w), i + MAX_WORD_PINYIN) + 1)
    }
    best: dict[str, tuple[int, str]] = {}
    rows = db.execute(
        select(SearchTerm.pinyin, SearchTerm.term, SearchTerm.documents).where(
            SearchTerm.scope == scope, SearchTerm.pinyin.in_(sorted(pieces))
        )
    )
    for pinyin, term, count in rows:
        if pinyin not in best or (-count, term) < (-best[pinyin][0], best[pinyin][1]):
            best[pinyin] = (count, term)
    return list(dict.fromkeys(_segment(word, best) if word in candidates else word for word in words))


def _segment(letters: str, best: dict[str, tuple[int, str]]) -> str:
    """The phrase spelled by `letters` in the fewest known words (ties: the more frequent), or `letters`.

    Pinyin typed without spaces is one phrase: jiuyechuangye → 就业创业, shebaojiaofei → 社保缴费.
    """
    # plan[i]: (words, -frequency, phrase) for the prefix of length i
    plan: list[tuple[int, int, str] | None] = [(0, 0, "")] + [None] * len(letters)
    for end in range(1, len(letters) + 1):
        for start in range(max(0, end - MAX_WORD_PINYIN), end - 1):
            known, before = best.get(letters[start:end]), plan[start]
            if known is None or before is None:
                continue
            option = (before[0] + 1, before[1] - known[0], before[2] + known[1])
            current = plan[end]
            if current is None or option[:2] < current[:2]:
                plan[end] = option
    found = plan[-1]
    return found[2] if found is not None else letters


def search(db: Connection, scope: Scope, raw_query: str, cursor: str | None, limit: int) -> wire.SearchPage:
    parsed = parse_query(db, scope, raw_query)
    after = _decode_rank_cursor(cursor) if cursor else None
    if not parsed.terms:
        return wire.SearchPage(items=[], next_cursor=None, query="")
    code = SCOPE_CODES[scope]
    single = parsed.terms[0]
    if len(parsed.terms) == 1 and single.tokens == (single.text,):
        hits = _read_posting_list(db, code, single.text, after, limit + 1)
    else:
        hits = _walk_rarest_token(db, code, parsed.terms, after, limit + 1)
    page = hits[:limit]
    next_cursor = _encode_rank_cursor(page[-1].key) if len(hits) > limit else None
    return wire.SearchPage(
        items=[_result(scope, hit, parsed.terms) for hit in page], next_cursor=next_cursor, query=parsed.text
    )


def _rank_order() -> tuple[UnaryExpression[Any], ...]:
    return (SearchPosting.weight.desc(), SearchPosting.published_on.desc(), SearchPosting.ref_id.desc())


def _postings(db: Connection, scope: int, token: str, after: RankKey | None, count: int) -> list[RankKey]:
    query = select(SearchPosting.weight, SearchPosting.published_on, SearchPosting.ref_id).where(
        SearchPosting.scope == scope, SearchPosting.token == token
    )
    if after is not None:
        query = query.where(
            tuple_(SearchPosting.weight, SearchPosting.published_on, SearchPosting.ref_id) < tuple_(*after)
        )
    return [(w, p, r) for w, p, r in db.execute(query.order_by(*_rank_order()).limit(count))]


def _documents(db: Connection, scope: int, ref_ids: Sequence[int]) -> dict[int, _Document]:
    rows = db.execute(
        select(
            SearchDocument.ref_id,
            SearchDocument.kind,
            SearchDocument.title,
            SearchDocument.keywords,
            SearchDocument.content,
        ).where(SearchDocument.scope == scope, SearchDocument.ref_id.in_(ref_ids))
    )
    return {row[0]: _Document(*row) for row in rows}


def _read_posting_list(db: Connection, scope: int, token: str, after: RankKey | None, count: int) -> list[_Hit]:
    keys = _postings(db, scope, token, after, count)
    documents = _documents(db, scope, [key[2] for key in keys])
    return [_Hit(key, documents[key[2]].kind, documents[key[2]].title, documents[key[2]].content) for key in keys]


def _top_weight(db: Connection, scope: int, token: str) -> int:
    query = select(SearchPosting.weight).where(SearchPosting.scope == scope, SearchPosting.token == token)
    return db.scalar(query.order_by(*_rank_order()).limit(1)) or 0


def _token_weights(
    db: Connection, scope: int, ref_ids: Sequence[int], tokens: Sequence[str]
) -> dict[tuple[int, str], int]:
    """The weight of each of `tokens` in each of the documents, where it occurs (document-order index)."""
    rows = db.execute(
        select(SearchPosting.ref_id, SearchPosting.token, SearchPosting.weight).where(
            SearchPosting.scope == scope, SearchPosting.ref_id.in_(ref_ids), SearchPosting.token.in_(tokens)
        )
    )
    return {(ref_id, token): weight for ref_id, token, weight in rows}


def _walk_rarest_token(db: Connection, scope: int, terms: list[Term], after: RankKey | None, wanted: int) -> list[_Hit]:
    all_tokens = sorted({token for term in terms for token in term.tokens})
    counts: dict[str, int] = {
        token: documents
        for token, documents in db.execute(
            select(SearchToken.token, SearchToken.documents).where(
                SearchToken.scope == scope, SearchToken.token.in_(all_tokens)
            )
        )
    }
    if len(counts) < len(all_tokens):
        return []  # a token no document has: no document has every word
    driver = min(all_tokens, key=counts.__getitem__)
    # The rarest token of each other word: a document holds the word only if it holds that token, and
    # the word scores there no more than the token's weight. Unread documents are bounded by top weights.
    checks = [min(term.tokens, key=counts.__getitem__) for term in terms if driver not in term.tokens]
    others_bound = sum(_top_weight(db, scope, token) for token in checks)
    driver_terms = len(terms) - len(checks)  # each word holding the driver scores at most its weight
    best: list[_Hit] = []  # the best `wanted` hits so far, worst first
    position: RankKey | None = None
    scanned, chunk = 0, FIRST_CHUNK
    while scanned < SCAN_LIMIT:
        requested = min(chunk, SCAN_LIMIT - scanned)
        keys = _postings(db, scope, driver, position, requested)
        held = _token_weights(db, scope, [key[2] for key in keys], checks) if checks else {}
        candidates: list[RankKey] = []
        for weight, published, ref_id in keys:
            others = [held.get((ref_id, token)) for token in checks]
            if None in others:
                continue
            bound = (weight * driver_terms + sum(w for w in others if w is not None), published, ref_id)
            if len(best) < wanted or bound > best[0].key:
                candidates.append(bound)
        documents = _documents(db, scope, [candidate[2] for candidate in candidates]) if candidates else {}
        for _bound, published, ref_id in candidates:
            document = documents[ref_id]
            scores = [term.score(document.title, document.keywords, document.content) for term in terms]
            if any(score is None for score in scores):
                continue
            key = (sum(s for s in scores if s is not None), published, ref_id)
            if (after is None or key < after) and (len(best) < wanted or key > best[0].key):
                bisect.insort(best, _Hit(key, document.kind, document.title, document.content), key=_hit_key)
                del best[:-wanted]
        scanned += len(keys)
        if len(keys) < requested:
            break
        position = keys[-1]
        if len(best) == wanted and best[0].key > (position[0] * driver_terms + others_bound, *position[1:]):
            break
        chunk *= 2
    return best[::-1]


def _hit_key(hit: _Hit) -> RankKey:
    return hit.key


def _result(scope: Scope, hit: _Hit, terms: list[Term]) -> wire.SearchResult:
    return wire.SearchResult(
        scope=scope,
        id=hit.key[2],
        title=hit.title,
        snippet=snippet(hit.content, terms),
        kind=hit.kind,
        published_on=hit.key[1],
        score=hit.key[0],
    )


def snippet(content: str, terms: list[Term]) -> str:
    """About SNIPPET_LENGTH characters around the first match, matches in <em>, the rest HTML-escaped."""
    found = spans(terms, content)
    start = max(0, found[0][0] - SNIPPET_LEAD) if found else 0
    end = min(len(content), start + SNIPPET_LENGTH)
    parts = ["…" if start else ""]
    position = start
    for match_start, match_end in islice((s for s in found if s[0] < end), 50):
        if match_start < position:
            continue
        match_end = min(match_end, end)
        parts += [html.escape(content[position:match_start], quote=False), "<em>"]
        parts += [html.escape(content[match_start:match_end], quote=False), "</em>"]
        position = match_end
    parts += [html.escape(content[position:end], quote=False), "…" if end < len(content) else ""]
    return "".join(parts).replace("\n", " ")


def _encode_rank_cursor(key: RankKey) -> str:
    return encode_cursor([key[0], key[1].isoformat(), key[2]])


def _decode_rank_cursor(cursor: str) -> RankKey:
    score, published, ref_id = decode_cursor(cursor, int, dt.date, int)
    return score, published, ref_id
