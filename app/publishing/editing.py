"""What the 发布 editor holds apart from its controls: the draft being written, its checks and its bodies.

`ArticleDraft` is kept on the device as typed (`app.drafts`), one for a new document and one per
document being edited, with the Idempotency-Key of its publication: a publish retried after a lost answer
replays the first document instead of making a second. The checks are `api_client.forms.article_problems`
(the server's rules, the server's message codes). `Debouncer` lets the preview and the saved draft follow
the text once typing pauses, so no keystroke waits for Markdown to be laid out or storage to answer.
"""

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable, Mapping, Sequence

from pydantic import Field

from api_client.forms import article_problems
from api_client.models import ArticleCreate, ArticleDetail, ArticleKind, ArticleUpdate
from app.drafts import KeptDraft

TEXT_FIELDS = ("title", "document_number", "written_on", "summary", "body")
"""The editor's text fields, in the order they are shown; kind and topics are chosen, not typed."""
PREVIEW_DELAY = 0.3
"""Seconds of no typing before the preview and the kept draft catch up."""
CHINA = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")


def china_today() -> dt.date:
    """The server publishes on China's date and refuses a 成文日期 after it."""
    return dt.datetime.now(CHINA).date()


class ArticleDraft(KeptDraft):
    article_id: int | None = None
    """None for a new document; else the document being edited."""
    kind: ArticleKind = "policy"
    title: str = ""
    document_number: str = ""
    written_on: str = ""
    summary: str = ""
    body: str = ""
    topics: list[str] = Field(default_factory=list)
    interprets_id: int | None = None

    @property
    def draft_key(self) -> str:
        return draft_key_of(self.article_id)

    @classmethod
    def of(cls, article: ArticleDetail) -> "ArticleDraft":
        """The document as published, to be edited."""
        return cls(
            article_id=article.id,
            kind=article.kind,
            title=article.title,
            document_number=article.document_number or "",
            written_on=article.written_on.isoformat() if article.written_on else "",
            summary=article.summary,
            body=article.body,
            topics=list(article.topics),
            interprets_id=article.interprets.id if article.interprets else None,
        )

    def take(self, values: Mapping[str, str]) -> None:
        """The text fields as typed."""
        for name in TEXT_FIELDS:
            if name in values:
                setattr(self, name, values[name])

    def problems(self, today: dt.date, known_topics: Sequence[str]) -> dict[str, str]:
        values = {name: getattr(self, name) for name in TEXT_FIELDS}
        problems = article_problems({**values, "kind": self.kind}, self.topics, today, known_topics)
        if self.kind == "interpretation" and self.article_id is None and self.interprets_id is None:
            problems["interprets_id"] = "field_required"
        return problems

    def differs_from(self, original: ArticleDetail | None) -> bool:
        """Whether this draft holds anything not published: what was typed and not yet sent."""
        if original is not None:
            return bool(self.update_body(original).model_fields_set)
        return any(_comparable(getattr(self, name)) for name in TEXT_FIELDS) or bool(self.topics)

    def create_body(self) -> ArticleCreate:
        return ArticleCreate(
            kind=self.kind,
            title=self.title.strip(),
            summary=self.summary.strip(),
            body=self.body,
            document_number=self.document_number.strip() or None,
            written_on=dt.date.fromisoformat(self.written_on.strip()) if self.written_on.strip() else None,
            topics=self.topics,
            interprets_id=self.interprets_id if self.kind == "interpretation" else None,
        )

    def update_body(self, original: ArticleDetail) -> ArticleUpdate:
        """Only what changed from `original`, so an edit never rewrites what someone else changed meanwhile."""
        now = ArticleDraft.of(original)
        changed = {
            name: getattr(self, name)
            for name in (*TEXT_FIELDS, "topics")
            if _comparable(getattr(self, name)) != _comparable(getattr(now, name))
        }
        if "document_number" in changed:
            changed["document_number"] = changed["document_number"].strip() or None
        if "written_on" in changed:
            day = changed["written_on"].strip()
            changed["written_on"] = dt.date.fromisoformat(day) if day else None
        for name in ("title", "summary"):
            if name in changed:
                changed[name] = changed[name].strip()
        return ArticleUpdate.model_validate(changed)


def draft_key_of(article_id: int | None) -> str:
    return f"publish/{article_id if article_id is not None else 'new'}"


def _comparable(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


def replacement_choices(documents: Sequence[tuple[int, str]], article_id: int) -> list[tuple[int, str]]:
    """The department's documents in force that may replace `article_id` (never itself)."""
    return [(doc_id, title) for doc_id, title in documents if doc_id != article_id]


class Debouncer:
    """Runs `action` once calls to `poke` pause for `delay` seconds; `flush` runs it at once if one is due."""

    def __init__(self, delay: float, action: Callable[[], Awaitable[None]]) -> None:
        self._delay = delay
        self._action = action
        self._waiting: asyncio.Task[None] | None = None

    def poke(self) -> None:
        if self._waiting is not None:
            self._waiting.cancel()
        self._waiting = asyncio.get_running_loop().create_task(self._after_pause())

    async def flush(self) -> None:
        if self._waiting is not None and not self._waiting.done():
            self._waiting.cancel()
            self._waiting = None
            await self._action()

    async def _after_pause(self) -> None:
        await asyncio.sleep(self._delay)
        self._waiting = None
        await self._action()
