"""What a token is and what a match weighs: the rules indexing and querying must share.

Tokens are every pair of adjacent Chinese characters (bigrams), every run of digits, every run of Latin
letters, every document number (文号: 〔2026〕12号), and, in titles only, single Chinese characters.
Bigrams find any Chinese substring of two or more characters without a segmenter's guesses (jieba cuts
养老保险费 so that 养老保险 is not a word of it).

A term scores TITLE_WEIGHT when it occurs in the title, KEYWORD_WEIGHT when it occurs in the keywords
(document number, department, topics) and one point per occurrence in the content, up to CONTENT_CAP.
A phrase occurs only where each of its tokens does, so a token's score bounds the score of every term
containing it; the engine relies on that to stop reading a posting list early.
"""

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import islice

from opencc import OpenCC
from pypinyin import lazy_pinyin

TITLE_WEIGHT = 8
KEYWORD_WEIGHT = 4
CONTENT_CAP = 4
MAX_TOKEN_LENGTH = 32
VOCABULARY_LENGTHS = (2, 3, 4)

CJK = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(f"([{CJK}]+)|([0-9]+)|([a-z]+)")
_TERM = re.compile(f"[{CJK}0-9a-z]+")
_CJK_CHAR = re.compile(f"[{CJK}]")
CJK_RUN = re.compile(f"[{CJK}]+")
# The year and serial number of a 文号 as published (〔2026〕12号) and as typed (2026 12号, [2026]12号).
_OPEN, _CLOSE = "〔［[（(", "〕］]）)"
_DOCUMENT_NUMBER = re.compile(rf"[{re.escape(_OPEN)}]\s*((?:19|20)\d\d)\s*[{re.escape(_CLOSE)}]\s*(\d{{1,5}})\s*号")
_TYPED_DOCUMENT_NUMBER = re.compile(
    rf"(?<!\d)[{re.escape(_OPEN)}]?\s*((?:19|20)\d\d)\s*[{re.escape(_CLOSE)}\s-]?\s*(\d{{1,5}})\s*号"
)
# Full-width digits and Latin letters as people type them on a Chinese keyboard: ２０２６ → 2026.
_FOLD = str.maketrans(
    {chr(code): chr(code - 0xFEE0) for code in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]}
)


def fold(text: str) -> str:
    """Full-width digits and letters to ASCII; Chinese punctuation is left as published."""
    return text.translate(_FOLD)


@cache
def _to_simplified() -> OpenCC:
    return OpenCC("t2s")


def normalize_query(query: str) -> str:
    """What people type, in the form the index holds: simplified characters, ASCII, lower case."""
    return _to_simplified().convert(fold(query)).lower()


def tokens(text: str) -> list[str]:
    """Bigrams of each Chinese run and whole digit or Latin runs, in order, repeats kept."""
    found: list[str] = []
    for match in _RUN.finditer(text.lower()):
        run = match.group()
        if match.group(1):
            found.extend(run[i : i + 2] for i in range(len(run) - 1))
        elif len(run) <= MAX_TOKEN_LENGTH:
            found.append(run)
    return found


def posting_weights(title: str, keywords: str, content: str) -> dict[str, int]:
    """Each token of a (folded) document with the score a term equal to it would get there."""
    in_title = set(tokens(title))
    in_keywords = set(tokens(keywords))
    in_content = Counter(tokens(content))
    weights = {
        token: TITLE_WEIGHT * (token in in_title)
        + KEYWORD_WEIGHT * (token in in_keywords)
        + min(in_content[token], CONTENT_CAP)
        for token in in_title | in_keywords | in_content.keys()
    }
    for char in set(_CJK_CHAR.findall(title)):
        weights[char] = TITLE_WEIGHT + KEYWORD_WEIGHT * (char in keywords) + min(content.count(char), CONTENT_CAP)
    numbers = [[document_number(*m.groups()) for m in _DOCUMENT_NUMBER.finditer(f)] for f in (title, keywords, content)]
    in_content = Counter(numbers[2])
    for number in {*numbers[0], *numbers[1], *numbers[2]}:
        weights[number] = (
            TITLE_WEIGHT * (number in numbers[0])
            + KEYWORD_WEIGHT * (number in numbers[1])
            + min(in_content[number], CONTENT_CAP)
        )
    return weights


def document_number(year: str, serial: str) -> str:
    """The token of a 文号 year and serial: 〔2026〕12号, however the brackets were typed."""
    return f"〔{year}〕{int(serial)}号"


def vocabulary(*texts: str) -> set[str]:
    """Chinese words of 2 to 4 characters the texts may contain, for pinyin look-up (shebao → 社保)."""
    found: set[str] = set()
    for text in texts:
        for match in _RUN.finditer(text):
            if match.group(1):
                run = match.group()
                for size in VOCABULARY_LENGTHS:
                    found.update(run[i : i + size] for i in range(len(run) - size + 1))
    return found


@lru_cache(maxsize=100_000)
def pinyin_key(word: str) -> str:
    """Toneless pinyin without separators, as typed on a phone keyboard: 社保 → shebao."""
    return "".join(lazy_pinyin(word))


@dataclass(frozen=True)
class Phrase:
    """Characters that must occur together, e.g. 养老保险; the tokens it is found by."""

    text: str
    tokens: tuple[str, ...]
    pattern: re.Pattern[str]
    counter: re.Pattern[str]
    chinese: bool  # Chinese characters only: no word boundaries or letter case to mind

    @property
    def title_only(self) -> bool:
        """A single character would match nearly everything in bodies: it matches titles only."""
        return len(self.text) == 1 and not self.text.isascii()

    def score(self, title: str, keywords: str, content: str) -> int:
        """The phrase's score in a document, 0 when it does not occur there."""
        if self.chinese:  # plain substring tests, much faster than the patterns
            in_title = self.text in title
            if self.title_only and not in_title:
                return 0
            in_keywords = self.text in keywords
            in_content = _count_overlapping(content, self.text)
        else:
            in_title = self.pattern.search(title) is not None
            if self.title_only and not in_title:
                return 0
            in_keywords = self.pattern.search(keywords) is not None
            in_content = sum(1 for _ in islice(self.counter.finditer(content), CONTENT_CAP))
        return TITLE_WEIGHT * in_title + KEYWORD_WEIGHT * in_keywords + in_content


def _count_overlapping(text: str, phrase: str) -> int:
    """Occurrences of `phrase` in `text`, overlapping ones included (as the regex counter), up to CONTENT_CAP."""
    count, position = 0, text.find(phrase)
    while position >= 0 and count < CONTENT_CAP:
        count += 1
        position = text.find(phrase, position + 1)
    return count


@dataclass(frozen=True)
class Term:
    """One thing a query asks about, said in one or more ways (社保, 社会保险, 社会保障卡): the best one scores.

    The first way is the word as typed; the others (synonyms) score a point less, so that documents
    using the very word come first among equals. `whole` marks a query word kept whole beside its
    pieces (养老保险缴费 beside 养老保险 and 缴费): a bonus for the exact phrase, never corrected.
    """

    text: str
    alternatives: tuple[Phrase, ...]
    whole: bool = False

    def score(self, title: str, keywords: str, content: str) -> int:
        typed, *synonyms = self.alternatives
        best = typed.score(title, keywords, content)
        for phrase in synonyms:
            best = max(best, phrase.score(title, keywords, content) - 1)
        return best


def make_phrase(text: str) -> Phrase:
    """A phrase from a normalized query word; digit and Latin runs at its ends match whole runs only."""
    head = "(?<![0-9])" if text[0].isdigit() else "(?<![a-z])" if text[0].isascii() else ""
    tail = "(?![0-9])" if text[-1].isdigit() else "(?![a-z])" if text[-1].isascii() else ""
    return _phrase(text, tuple(dict.fromkeys(tokens(text))) or (text,), head + re.escape(text) + tail)


def make_document_number_phrase(year: str, serial: str) -> Phrase:
    """A phrase for one 文号 (year and serial), with whatever brackets it was published."""
    text = document_number(year, serial)
    body = rf"[{re.escape(_OPEN)}]\s*{year}\s*[{re.escape(_CLOSE)}]\s*0*{int(serial)}\s*号"
    return _phrase(text, (text,), body)


def _phrase(text: str, phrase_tokens: tuple[str, ...], body: str) -> Phrase:
    return Phrase(
        text=text,
        tokens=phrase_tokens,
        pattern=re.compile(body, re.IGNORECASE),
        counter=re.compile(f"(?={body})", re.IGNORECASE),
        chinese=CJK_RUN.fullmatch(text) is not None and body == re.escape(text),
    )


def split_query(normalized: str) -> tuple[list[tuple[str, str]], list[str]]:
    """The document numbers (year, serial) in a normalized query, and its other words.

    Punctuation, spaces and operator characters separate words; repeated words count once.
    """
    numbers = list(dict.fromkeys(m.groups() for m in _TYPED_DOCUMENT_NUMBER.finditer(normalized)))
    rest = _TYPED_DOCUMENT_NUMBER.sub(" ", normalized)
    return [(year, serial) for year, serial in numbers], list(dict.fromkeys(_TERM.findall(rest)))


def is_pinyin_candidate(word: str) -> bool:
    return word.isascii() and word.isalpha() and len(word) >= 2


def spans(phrases: Iterable[Phrase], text: str) -> list[tuple[int, int]]:
    """Where any of the phrases occurs in `text`, merged where they overlap, in order."""
    found = sorted(match.span() for phrase in phrases for match in phrase.pattern.finditer(text))
    merged: list[tuple[int, int]] = []
    for start, end in found:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
