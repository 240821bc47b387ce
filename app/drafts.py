"""Drafts kept on the device as people type, so a closed app or a lost network loses nothing.

A draft lives in `ft.SharedPreferences` (the browser's localStorage in web mode) under one key per thing
being written (an application for an item, a document being published or edited). It holds what was typed
and the Idempotency-Key of its submission: a retry after a lost answer sends the same key, so the server
replays the first answer instead of writing twice. The key changes only when the content changed after a
failed attempt (the server refuses an old key with a different body); the draft is removed once the
answer arrives.
"""

import hashlib
import json
from typing import Generic, TypeVar

import flet as ft
from pydantic import BaseModel, Field, ValidationError

from api_client import new_idempotency_key

PREFIX = "yiwang.draft."


class KeptDraft(BaseModel):
    idempotency_key: str = Field(default_factory=new_idempotency_key)
    sent_fingerprint: str | None = None
    """The body last sent with `idempotency_key`, hashed; None until a first attempt."""

    @property
    def draft_key(self) -> str:
        """Where the draft is kept (after `PREFIX`): one draft per thing being written."""
        raise NotImplementedError

    def key_for(self, body: BaseModel) -> str:
        """The Idempotency-Key to send `body` with: the draft's own, renewed if the body changed since it was sent."""
        fingerprint = hashlib.sha256(body.model_dump_json().encode()).hexdigest()
        if self.sent_fingerprint is not None and self.sent_fingerprint != fingerprint:
            self.idempotency_key = new_idempotency_key()
        self.sent_fingerprint = fingerprint
        return self.idempotency_key


DraftT = TypeVar("DraftT", bound=KeptDraft)


class DraftStore(Generic[DraftT]):
    """The drafts of one kind (`model`); a draft that no longer parses is treated as absent."""

    def __init__(self, preferences: ft.SharedPreferences, model: type[DraftT]) -> None:
        self._preferences = preferences
        self._model = model

    async def load(self, draft_key: str) -> DraftT | None:
        raw = await self._preferences.get(PREFIX + draft_key)
        if not isinstance(raw, str):
            return None
        try:
            return self._model.model_validate(json.loads(raw))
        except (ValueError, ValidationError):
            return None

    async def save(self, draft: DraftT) -> None:
        await self._preferences.set(PREFIX + draft.draft_key, draft.model_dump_json())

    async def remove(self, draft_key: str) -> None:
        await self._preferences.remove(PREFIX + draft_key)
