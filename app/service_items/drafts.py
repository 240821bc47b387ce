"""Application drafts (one per item, see `app.drafts`): the typed values, the uploaded materials and the
Idempotency-Key of the submission, so a retry after a lost answer never opens a second case."""

from pydantic import Field

from api_client.models import ApplicationCreate
from app.drafts import PREFIX, DraftStore, KeptDraft
from app.widgets.attachments import UploadedFile

__all__ = ["PREFIX", "Draft", "DraftStore", "UploadedFile"]


class Draft(KeptDraft):
    item_code: str
    form: dict[str, str] = Field(default_factory=dict)
    materials: dict[str, list[UploadedFile]] = Field(default_factory=dict)

    @property
    def draft_key(self) -> str:
        return self.item_code

    def body(self) -> ApplicationCreate:
        return ApplicationCreate(
            item_code=self.item_code,
            form={k: v for k, v in self.form.items() if v.strip()},
            materials={k: [f.id for f in files] for k, files in self.materials.items() if files},
        )
