"""Answering a query from the segment index, with the same SQL and the same answers on both databases.

No term is compulsory: a document's score is the sum, over the query's terms, of the term's score there
(title, keywords, body; see `server.search.text`) times the term's weight, which grows with its rarity
(1 + log2 of documents per document holding it, up to MAX_TERM_WEIGHT). So a question whose words do
not all occur still finds the documents that hold its core terms, those holding more of them first.

Ranking reads the posting lists of the terms best first, in parallel (Fagin's threshold algorithm):
each document met is fetched and scored exactly, unless its postings show it cannot enter the page;
unread postings weigh at most the current heads of their lists, so reading stops once the page cannot
change. It never reads more than SCAN_LIMIT postings nor fetches more than READ_BUDGET documents per
result wanted (MIN_READ_BUDGET at least), both counted from the first result, so a deeper page may read more:
past that, a query of several common words, each in the titles of thousands of documents, answers from the best
documents met (the cost of a query does not grow with the corpus). Paging ends after MAX_RESULTS results.

A term nothing holds is corrected before ranking: to the title word with the same pinyin (a homophone
typed by mistake: 社宝 → 社保), else split into its character pairs. The page says so in `suggestions`;
a page with no results suggests related title words instead of being empty.
Results are ordered by score, then publish date and id, newest first; cursors carry that key and the number of
results before it.
"""

import bisect
import datetime as dt
import html
import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import islice
from typing import NamedTuple

from sqlalchemy import Connection, func, select

from api_client import models as wire
from server.core.pagination import decode_cursor, encode_cursor
from server.search.analysis import Analysis, analyze, term_with_synonyms
from server.search.lexicon import GOVERNMENT_TERMS, is_word
from server.search.models import SCOPE_CODES, Scope, SearchDocument, SearchTerm
from server.search.segments import PostingStream, day_number, from_day_number, open_streams
from server.search.text import CJK_RUN, Phrase, Term, pinyin_key, spans

SCAN_LIMIT = 2000
SLIP_CANDIDATES = 2000
MIN_BATCH = 16
READ_BUDGET = 3  # documents fetched per result wanted, at most (and at least MIN_READ_BUDGET)
MIN_READ_BUDGET = 64
# Results a query pages through at most: each page re-reads the lists from the top, so a page's cost grows with its
# depth; past this, people add a word rather than read on (a cursor cannot ask for more).
MAX_RESULTS = 500
MAX_TERM_WEIGHT = 8
MAX_SUGGESTIONS = 5
SNIPPET_LENGTH = 80
SNIPPET_LEAD = 20

RankKey = tuple[int, int, int]  # score, day number, ref id


class _Document(NamedTuple):
    ref_id: int
    kind: str | None
    title: str
    keywords: str
    content: str
    published_on: dt.date


@dataclass(frozen=True)
class _Hit:
    key: RankKey
    document: _Document


@dataclass(frozen=True)
class WeightedTerm:
    """A term, what it weighs (rarer terms weigh more), and what finds it."""

    term: Term
    weight: int
    # Per form found somewhere: the stream of its rarest token, and what the form's score is below the
    # token's weight at most (1 for synonyms, see `Term.score`).
    drivers: tuple[tuple[PostingStream, int], ...]

    def bound(self, weights: dict[PostingStream, int]) -> int:
        """The most this term can add to a document whose postings weigh at most `weights`."""
        return self.weight * max(0, *(weights.get(stream, 0) - penalty for stream, penalty in self.drivers))


@dataclass(frozen=True)
class QueryPlan:
    typed: Analysis  # the query as typed (converted)
    searched: Analysis  # after corrections of words nothing holds
    terms: list[WeightedTerm]

    @property
    def corrected(self) -> bool:
        return self.searched.corrected


def plan_query(db: Connection, scope: Scope, raw_query: str) -> QueryPlan:
    """The weighted terms a query is answered with (its 422s for empty or overlong queries)."""
    code = SCOPE_CODES[scope]
    typed = analyze(db, code, raw_query)
    if not typed.terms:
        return QueryPlan(typed, typed, [])
    streams, documents = open_streams(db, code, _tokens(typed.terms))
    searched = _correct_unknown_terms(db, code, typed, streams)
    if searched is not typed:
        streams, documents = open_streams(db, code, _tokens(searched.terms))
    return QueryPlan(typed, searched, _weigh(searched.terms, streams, documents))


def search(db: Connection, scope: Scope, raw_query: str, cursor: str | None, limit: int) -> wire.SearchPage:
    plan = plan_query(db, scope, raw_query)
    after, depth = _decode_rank_cursor(cursor) if cursor else (None, 0)
    if not plan.typed.terms:
        return wire.SearchPage(items=[], next_cursor=None, query="")
    code = SCOPE_CODES[scope]
    limit = min(limit, MAX_RESULTS - depth)
    hits = _rank(db, code, plan.terms, after, depth, limit + 1) if limit > 0 else []
    page = hits[:limit]
    suggestions = [plan.searched.text] if plan.corrected else []
    if not hits and after is None:
        suggestions = _related_words(db, code, plan.searched)
    return wire.SearchPage(
        items=[_result(scope, hit, plan.searched.terms) for hit in page],
        next_cursor=_encode_rank_cursor(page[-1].key, depth + len(page)) if len(hits) > limit else None,
        query=plan.searched.text,
        suggestions=suggestions,
    )


def _tokens(terms: Sequence[Term]) -> set[str]:
    return {token for term in terms for phrase in term.alternatives for token in phrase.tokens}


def _known(phrase: Phrase, streams: dict[str, PostingStream]) -> bool:
    return all(streams[token].total for token in phrase.tokens)


def _correct_unknown_terms(
    db: Connection, scope: int, analysis: Analysis, streams: dict[str, PostingStream]
) -> Analysis:
    """Terms no document holds in any form: a slip corrected (社宝 → 社保, 医疗保验 → 医疗保险), else
    a word of three or more characters split into its character pairs. Returns `analysis` if none."""
    unknown = [
        term
        for term in analysis.terms
        if CJK_RUN.fullmatch(term.text) and not any(_known(phrase, streams) for phrase in term.alternatives)
    ]
    corrections: dict[str, str] = {}
    replacements: dict[str, list[Term]] = {}
    for term in unknown:
        # A real word (孩子) that no document holds is not a slip: only its neighbours answer.
        fixed = (
            None
            if is_word(term.text)
            else _homophone(db, scope, term.text) or _one_character_slip(db, scope, term.text)
        )
        if fixed is not None:
            corrections[term.text] = fixed
            replacements[term.text] = [term_with_synonyms(db, fixed)]
        elif len(term.text) > 2 and not term.whole:
            pairs = dict.fromkeys(term.text[i : i + 2] for i in range(len(term.text) - 1))
            replacements[term.text] = [term_with_synonyms(db, pair) for pair in pairs]
    if not replacements:
        return analysis
    terms: list[Term] = []
    for term in analysis.terms:
        terms.extend(replacements.get(term.text, [term]))
    unique = list({term.text: term for term in terms}.values())
    text = analysis.text
    for wrong, right in sorted(corrections.items(), key=lambda pair: -len(pair[0])):
        text = text.replace(wrong, right)
    return Analysis(text, unique, corrected=bool(corrections))


def _homophone(db: Connection, scope: int, word: str) -> str | None:
    """The most frequent title word, in the dictionary, read the same way as `word` (社宝 → 社保)."""
    if len(word) < 2:
        return None
    rows = db.execute(
        select(SearchTerm.term)
        .where(SearchTerm.scope == scope, SearchTerm.pinyin == pinyin_key(word), SearchTerm.term != word)
        .order_by(SearchTerm.documents.desc(), SearchTerm.term)
        .limit(SLIP_CANDIDATES)
    )
    return next((str(term) for (term,) in rows if is_word(term)), None)


def _one_character_slip(db: Connection, scope: int, word: str) -> str | None:
    """The most frequent title word of the same length that differs from `word` in one character after
    the first (医疗保验 → 医疗保险); words of three or four characters only, where a slip is unambiguous."""
    if len(word) not in (3, 4):
        return None
    rows = db.execute(
        select(SearchTerm.term)
        .where(
            SearchTerm.scope == scope,
            SearchTerm.term >= word[0],
            SearchTerm.term < chr(ord(word[0]) + 1),
            func.length(SearchTerm.term) == len(word),
        )
        .order_by(SearchTerm.documents.desc(), SearchTerm.term)
        .limit(SLIP_CANDIDATES)
    )
    for (candidate,) in rows:
        if sum(a != b for a, b in zip(candidate, word, strict=True)) == 1 and is_word(candidate):
            return str(candidate)
    return None


def _related_words(db: Connection, scope: int, analysis: Analysis) -> list[str]:
    """Words to try when nothing matched: title words sharing a character with the query, else common terms."""
    characters = sorted({char for char in analysis.text if CJK_RUN.fullmatch(char)})
    found: list[str] = []
    if characters:
        rows = db.execute(
            select(SearchTerm.term)
            .where(
                SearchTerm.scope == scope,
                func.length(SearchTerm.term) >= 2,
                SearchTerm.term.in_([t for t in GOVERNMENT_TERMS if set(t) & set(characters)]),
            )
            .order_by(SearchTerm.documents.desc(), SearchTerm.term)
            .limit(MAX_SUGGESTIONS)
        )
        found = [row[0] for row in rows]
    if not found:
        rows = db.execute(
            select(SearchTerm.term)
            .where(SearchTerm.scope == scope, SearchTerm.term.in_(GOVERNMENT_TERMS))
            .order_by(SearchTerm.documents.desc(), SearchTerm.term)
            .limit(MAX_SUGGESTIONS)
        )
        found = [row[0] for row in rows]
    return found


def _weigh(terms: Sequence[Term], streams: dict[str, PostingStream], documents: int) -> list[WeightedTerm]:
    """Each term's weight (rarer terms weigh more) and the posting streams that can find it."""
    weighted = []
    for term in terms:
        drivers: dict[PostingStream, int] = {}
        for position, phrase in enumerate(term.alternatives):
            if _known(phrase, streams):
                driver = min((streams[token] for token in phrase.tokens), key=lambda s: (s.total, s.token))
                drivers[driver] = min(drivers.get(driver, 1), 1 if position else 0)
        if not drivers:
            continue
        holding = max(driver.total for driver in drivers)
        weight = 1 + int(math.log2(max(documents, holding) / holding))
        weighted.append(WeightedTerm(term, min(weight, MAX_TERM_WEIGHT), tuple(drivers.items())))
    return weighted


def _documents(db: Connection, scope: int, ref_ids: Sequence[int]) -> dict[int, _Document]:
    rows = db.execute(
        select(
            SearchDocument.ref_id,
            SearchDocument.kind,
            SearchDocument.title,
            SearchDocument.keywords,
            SearchDocument.content,
            SearchDocument.published_on,
        ).where(SearchDocument.scope == scope, SearchDocument.ref_id.in_(ref_ids))
    )
    return {row[0]: _Document(*row) for row in rows}


def _rank(
    db: Connection, scope: int, terms: list[WeightedTerm], after: RankKey | None, depth: int, wanted: int
) -> list[_Hit]:
    """The best `wanted` hits after `after`, the `depth`-th hit: lists read in parallel, best first, a growing batch
    at a time. The `depth` hits before the page are met again on the way, so the reading allowance grows with it.

    A document met in a batch is fetched and scored only if it can still enter the page: its postings
    read so far, and the heads of the lists it was not met in, bound its score (and its postings give
    its date). Heads only go down and the page only gets better, so a document passed over once never
    needs reading again.
    """
    streams = list(dict.fromkeys(stream for term in terms for stream, _ in term.drivers))
    best: list[_Hit] = []  # the best `wanted` hits so far, best first
    decided: set[int] = set()
    read, fetched, batch = 0, 0, max(wanted, MIN_BATCH)
    budget = max(MIN_READ_BUDGET, READ_BUDGET * (depth + wanted))
    scan_limit = SCAN_LIMIT * (1 + depth // MIN_READ_BUDGET)
    while True:
        met: dict[int, dict[PostingStream, int]] = {}
        days: dict[int, int] = {}
        for stream in streams:
            for _ in range(batch):
                posting = stream.pop()
                if posting is None:
                    break
                read += 1
                weight, day, ref_id = posting
                if ref_id not in decided:
                    known = met.setdefault(ref_id, {})
                    known[stream] = max(weight, known.get(stream, 0))
                    days[ref_id] = max(day, days.get(ref_id, day))
        heads = {stream: head[0] for stream in streams if (head := stream.peek()) is not None}
        decided.update(met)
        bounds = sorted(
            ((sum(t.bound(heads | known) for t in terms), days[ref], ref) for ref, known in met.items()), reverse=True
        )
        if len(best) == wanted:
            bounds = [bound for bound in bounds if bound > best[-1].key]
        candidates = [ref for _, _, ref in bounds[: budget - fetched]]
        fetched += len(candidates)
        documents = _documents(db, scope, candidates) if candidates else {}
        for ref_id in candidates:
            document = documents.get(ref_id)
            if document is None:
                continue  # removed from the index; its postings go at the next merge
            score = sum(t.weight * t.term.score(document.title, document.keywords, document.content) for t in terms)
            key = (score, day_number(document.published_on), ref_id)
            if score and (after is None or key < after) and (len(best) < wanted or key > best[-1].key):
                bisect.insort(best, _Hit(key, document), key=_descending)
                del best[wanted:]
        bound = _unread_bound(terms, streams, heads)
        if bound is None or (len(best) == wanted and best[-1].key > bound) or read >= scan_limit or fetched >= budget:
            return best
        batch *= 2


def _descending(hit: _Hit) -> tuple[int, int, int]:
    return (-hit.key[0], -hit.key[1], -hit.key[2])


def _unread_bound(
    terms: list[WeightedTerm], streams: list[PostingStream], heads: dict[PostingStream, int]
) -> RankKey | None:
    """The best key a document not yet met could have, or None when every list is read."""
    alive = [head for stream in streams if (head := stream.peek()) is not None]
    if not alive:
        return None
    day, ref_id = max((head[1], head[2]) for head in alive)
    return sum(term.bound(heads) for term in terms), day, ref_id


def _result(scope: Scope, hit: _Hit, terms: list[Term]) -> wire.SearchResult:
    document = hit.document
    return wire.SearchResult(
        scope=scope,
        id=document.ref_id,
        title=document.title,
        snippet=snippet(document.content, [phrase for term in terms for phrase in term.alternatives]),
        kind=document.kind,
        published_on=from_day_number(hit.key[1]),
        score=hit.key[0],
    )


def snippet(content: str, phrases: list[Phrase]) -> str:
    """About SNIPPET_LENGTH characters around the first match, matches in <em>, the rest HTML-escaped."""
    found = spans(phrases, content)
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


def _encode_rank_cursor(key: RankKey, depth: int) -> str:
    return encode_cursor([key[0], from_day_number(key[1]).isoformat(), key[2], depth])


def _decode_rank_cursor(cursor: str) -> tuple[RankKey, int]:
    """The last key shown and how many results came before the next page (clamped: a forged depth buys nothing)."""
    score, published, ref_id, depth = decode_cursor(cursor, int, dt.date, int, int)
    return (score, day_number(published), ref_id), min(max(depth, 0), MAX_RESULTS)
