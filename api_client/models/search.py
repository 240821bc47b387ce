"""Search results across scopes (articles and service items now; public appeals later)."""

import datetime as dt
import html
import re
from typing import Literal

from pydantic import BaseModel, Field

from api_client.models.common import Page

SearchScope = Literal["articles", "services", "appeals"]
ResultScope = Literal["article", "service", "appeal"]
MAX_QUERY_LENGTH = 100

_MARK = re.compile(r"<em>(.*?)</em>", re.DOTALL)


class SearchResult(BaseModel):
    scope: ResultScope
    id: int = Field(description="The item's id in its scope, e.g. for /articles/{id}")
    title: str
    snippet: str = Field(
        description=(
            "Plain text with `&`, `<` and `>` escaped as HTML entities; every match is wrapped in "
            "`<em>…</em>`. `…` at either end marks cut text. `split_highlights` parses it."
        )
    )
    kind: str | None = Field(None, description="For articles: the article kind; for service items: the item type")
    code: str | None = Field(
        None, description="For service items: the 事项编码, for /service-items/{code}; for appeals: the 诉求编号"
    )
    published_on: dt.date
    score: int = Field(description="Relevance; results are ordered by score, then publish date, newest first")


class SearchPage(Page[SearchResult]):
    query: str = Field(
        description="What was searched after conversion: simplified characters, pinyin turned into words "
        "(shebao → 社保), typing slips corrected (社宝 → 社保); empty when the query had no searchable characters"
    )
    suggestions: list[str] = Field(
        default_factory=list,
        description="Did you mean: the corrected query when words of the query matched nothing and were "
        "corrected, or related words to try when nothing matched at all",
    )


def split_highlights(snippet: str) -> list[tuple[str, bool]]:
    """A snippet as (text, is_match) pieces with the entities decoded, ready for styled text spans."""
    pieces: list[tuple[str, bool]] = []
    position = 0
    for mark in _MARK.finditer(snippet):
        if mark.start() > position:
            pieces.append((html.unescape(snippet[position : mark.start()]), False))
        pieces.append((html.unescape(mark.group(1)), True))
        position = mark.end()
    if position < len(snippet):
        pieces.append((html.unescape(snippet[position:]), False))
    return pieces
