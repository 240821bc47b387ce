"""Application drafts kept on the device as the citizen types, so a closed app or a lost network loses nothing.

A draft lives in `ft.SharedPreferences` (the browser's localStorage in web mode) under one key per item. It
holds the typed values, the uploaded materials and the Idempotency-Key of its submission: a retry after a
lost answer sends the same key, so the server replays the first receipt instead of opening a second case.
The key changes only when the citizen changes the application after a failed attempt (the server refuses
an old key with a different body); the draft is removed once the receipt arrives. Appeals keep theirs here
too, under `appeal.<type>` (`app.appeals.composing`).
"""

import hashlib
import json

import flet as ft
from pydantic import BaseModel, Field, ValidationError

from api_client import new_idempotency_key
from api_client.models import ApplicationCreate
from app.widgets.attachments import UploadedFile

PREFIX = "yiwang.draft."


class Draft(BaseModel):
    item_code: str
    idempotency_key: str = Field(default_factory=new_idempotency_key)
    form: dict[str, str] = Field(default_factory=dict)
    materials: dict[str, list[UploadedFile]] = Field(default_factory=dict)
    sent_fingerprint: str | None = None
    """The body last sent with `idempotency_key`, hashed; None until a first attempt."""

    def body(self) -> ApplicationCreate:
        return ApplicationCreate(
            item_code=self.item_code,
            form={k: v for k, v in self.form.items() if v.strip()},
            materials={k: [f.id for f in files] for k, files in self.materials.items() if files},
        )

    def key_for(self, body: BaseModel) -> str:
        """The Idempotency-Key to send `body` with: the draft's own, renewed if the body changed since it was sent."""
        fingerprint = hashlib.sha256(body.model_dump_json().encode()).hexdigest()
        if self.sent_fingerprint is not None and self.sent_fingerprint != fingerprint:
            self.idempotency_key = new_idempotency_key()
        self.sent_fingerprint = fingerprint
        return self.idempotency_key


class DraftStore:
    def __init__(self, preferences: ft.SharedPreferences) -> None:
        self._preferences = preferences

    async def load(self, item_code: str) -> Draft | None:
        raw = await self._preferences.get(PREFIX + item_code)
        if not isinstance(raw, str):
            return None
        try:
            return Draft.model_validate(json.loads(raw))
        except (ValueError, ValidationError):
            return None

    async def save(self, draft: Draft) -> None:
        await self._preferences.set(PREFIX + draft.item_code, draft.model_dump_json())

    async def remove(self, item_code: str) -> None:
        await self._preferences.remove(PREFIX + item_code)
