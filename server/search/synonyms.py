"""Synonyms an administrator adds (or removes) without a release, on top of those shipped in `lexicon`."""

from sqlalchemy import Connection, delete, select
from sqlalchemy.dialects import postgresql, sqlite

from server.search.lexicon import SHIPPED_SYNONYMS, is_valid_synonym_word
from server.search.models import SearchSynonym
from server.search.text import normalize_query


class SynonymError(ValueError):
    """A word that cannot be a synonym (empty, too long, punctuation)."""


def _word(raw: str) -> str:
    word = normalize_query(raw.strip())
    if not is_valid_synonym_word(word):
        raise SynonymError(raw)
    return word


def add_synonyms(connection: Connection, raw_word: str, raw_synonyms: list[str]) -> tuple[str, list[str]]:
    """Let `raw_word` also find documents using any of `raw_synonyms`; returns both as stored."""
    word = _word(raw_word)
    synonyms = list(dict.fromkeys(_word(raw) for raw in raw_synonyms if _word(raw) != word))
    if synonyms:
        statement = (postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert)(SearchSynonym)
        connection.execute(
            statement.on_conflict_do_nothing(), [{"word": word, "synonym": synonym} for synonym in synonyms]
        )
    return word, synonyms


def remove_synonyms(connection: Connection, raw_word: str, raw_synonyms: list[str]) -> int:
    """Forget added synonyms of a word (all of them when none are named); returns how many went."""
    word = _word(raw_word)
    statement = delete(SearchSynonym).where(SearchSynonym.word == word)
    if raw_synonyms:
        statement = statement.where(SearchSynonym.synonym.in_([_word(raw) for raw in raw_synonyms]))
    return connection.execute(statement).rowcount


def all_synonyms(connection: Connection) -> dict[str, list[str]]:
    """Shipped and added synonyms, by word."""
    found = {word: list(synonyms) for word, synonyms in SHIPPED_SYNONYMS.items()}
    rows = connection.execute(select(SearchSynonym.word, SearchSynonym.synonym).order_by(SearchSynonym.word))
    for word, synonym in rows:
        found.setdefault(word, [])
        if synonym not in found[word]:
            found[word].append(synonym)
    return dict(sorted(found.items()))
