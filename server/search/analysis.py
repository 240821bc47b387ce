"""From what people type to what the index is asked: words, pinyin, fillers, synonyms.

1. Normalize (traditional → simplified, full-width → ASCII, lower case) and split at spaces and
   punctuation, so `"`, `*`, `OR` or unbalanced quotes are just text; document numbers are taken whole.
2. Latin words that spell pinyin become Chinese: full pinyin of words seen in titles (shebao → 社保,
   typed without spaces: shebaojiaofei → 社保缴费), abbreviations of government terms (sb, sheb → 社保,
   gjj → 公积金, ylbx → 养老保险), then the most frequent title word the letters begin (gongj → 公积金).
3. Chinese words are cut by jieba (with the government terms) and fillers dropped: 养老保险怎么交 asks
   about 养老保险 and 交 (lone characters cut from a word are dropped unless they are everyday words
   with synonyms, like 交 → 缴费). A word cut in several without fillers keeps its whole form as one
   more term, so that documents holding the exact phrase rank first and a slip in it (养老保线) can be
   corrected as a whole.
4. Each term is also said in its synonyms (shipped and added by administrators): 失业金 also matches
   失业保险金; a term scores as its best-matching form.
"""

from dataclasses import dataclass

from sqlalchemy import Connection, select

from api_client.models.search import MAX_QUERY_LENGTH
from server.core.errors import ApiError
from server.search.lexicon import FILLERS, expand_abbreviation, segment, shipped_synonyms
from server.search.models import SearchSynonym, SearchTerm
from server.search.text import (
    Term,
    is_pinyin_candidate,
    make_document_number_phrase,
    make_phrase,
    normalize_query,
    split_query,
)

MAX_PINYIN_LETTERS = 40
MAX_WORD_PINYIN = 24
MAX_TERMS = 12


@dataclass(frozen=True)
class Analysis:
    text: str  # the query as searched: converted words, for the page's `query`
    terms: list[Term]
    corrected: bool = False  # words nothing held were corrected (社宝 → 社保): say "did you mean"


def analyze(db: Connection, scope: int, raw: str) -> Analysis:
    """The terms of a query; a query with no letters, digits or characters has none."""
    query = raw.strip()
    if not query:
        raise ApiError(422, "query_empty", "q")
    if len(query) > MAX_QUERY_LENGTH:
        raise ApiError(422, "query_too_long", "q")
    numbers, words = split_query(normalize_query(query))
    words = _pinyin_to_words(db, scope, words)
    number_phrases = [make_document_number_phrase(*number) for number in numbers]
    pieces: dict[str, bool] = {}  # word → kept whole beside its pieces
    with_synonyms = _synonyms(db, words)
    for word in words:
        # A word with synonyms is a term as typed, even one the segmenter does not know (added by an admin).
        for piece, whole in [(word, False)] if with_synonyms[word] else _meaningful_pieces(word):
            pieces.setdefault(piece, whole)
    if not pieces and not numbers:
        pieces = dict.fromkeys(words, False)  # only fillers: search them rather than nothing
    unique = list(pieces)[:MAX_TERMS]
    synonyms = _synonyms(db, unique)
    # A synonym that is itself a term of the query (交 → 缴费 in 缴费怎么交) would count twice.
    terms = [
        Term(
            word,
            tuple(
                make_phrase(form)
                for form in dict.fromkeys([word, *synonyms[word]])
                if form == word or form not in pieces
            ),
            pieces[word],
        )
        for word in unique
    ]
    terms += [Term(phrase.text, (phrase,)) for phrase in number_phrases]
    return Analysis(" ".join([*words, *(phrase.text for phrase in number_phrases)]), terms)


def term_with_synonyms(db: Connection, word: str) -> Term:
    forms = [word, *_synonyms(db, [word]).get(word, ())]
    return Term(word, tuple(make_phrase(form) for form in dict.fromkeys(forms)))


def _meaningful_pieces(word: str) -> list[tuple[str, bool]]:
    """The words of a query word without fillers, plus the whole word when it was cut and nothing dropped."""
    if word.isascii():
        return [(word, False)]
    cut = segment(word)
    kept = [(piece, False) for piece in cut if piece not in FILLERS and _stands_alone(piece, cut)]
    if len(cut) > 1 and not FILLERS.intersection(cut):
        return [(word, True), *kept]
    return kept


def _stands_alone(piece: str, cut: list[str]) -> bool:
    """A lone character cut from a longer word (发 of 辽人社发) says little, unless it is a known everyday word (交)."""
    return len(piece) > 1 or len(cut) == 1 or bool(shipped_synonyms(piece))


def _synonyms(db: Connection, words: list[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {word: list(shipped_synonyms(word)) for word in words}
    if words:
        rows = db.execute(
            select(SearchSynonym.word, SearchSynonym.synonym)
            .where(SearchSynonym.word.in_(words))
            .order_by(SearchSynonym.word, SearchSynonym.synonym)
        )
        for word, synonym in rows:
            found[word].append(synonym)
    return found


def _pinyin_to_words(db: Connection, scope: int, words: list[str]) -> list[str]:
    """Replace words typed in pinyin by the Chinese they spell or abbreviate."""
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
    converted = []
    for word in words:
        if word in candidates:
            spelled = _segment_pinyin(word, best)
            word = spelled or expand_abbreviation(word) or _pinyin_prefix(db, scope, word) or word
        converted.append(word)
    return list(dict.fromkeys(converted))


def _pinyin_prefix(db: Connection, scope: int, letters: str) -> str | None:
    """The title word whose pinyin `letters` begin, the most frequent (gongjij → 公积金)."""
    if len(letters) < 3:
        return None
    row = db.execute(
        select(SearchTerm.term)
        .where(SearchTerm.scope == scope, SearchTerm.pinyin > letters, SearchTerm.pinyin < _next_prefix(letters))
        .order_by(SearchTerm.documents.desc(), SearchTerm.term)
        .limit(1)
    ).first()
    return row[0] if row else None


def _next_prefix(letters: str) -> str:
    """The first string after every string that starts with `letters` (lower-case Latin letters)."""
    return letters[:-1] + chr(ord(letters[-1]) + 1)


def _segment_pinyin(letters: str, best: dict[str, tuple[int, str]]) -> str | None:
    """The phrase spelled by `letters` in the fewest known words (ties: the more frequent), if any.

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
    return found[2] if found is not None else None
