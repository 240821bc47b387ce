"""Writing an appeal, as pure functions the form screen uses: which type a route names, the draft's values to the
wire body, the checks (the wire model's own rules, so the app and the server agree), the "answer before asking"
query, where a search result opens, and the fast-channel credentials as text and as a QR code.

The draft is the applications' draft (`app.service_items.drafts.Draft`) under `appeal.<type slug>`: its `form`
holds the typed fields by their wire names (`location` is the address text; `public` is "true" or "false"), its
`materials["attachments"]` the uploaded files.
"""

import io
from collections.abc import Mapping

import segno
from pydantic import ValidationError

from api_client.models import (
    APPEAL_TYPES,
    UNDECIDED_DEPARTMENT,
    AppealCreate,
    AppealType,
    FastChannelCredentials,
    SearchResult,
)
from api_client.models.search import MAX_QUERY_LENGTH
from app.service_items.drafts import Draft

TYPE_SLUGS: dict[str, AppealType] = dict(
    zip(("consultation", "complaint", "suggestion", "report", "evaluation"), APPEAL_TYPES, strict=True)
)
SLUG_OF: dict[AppealType, str] = {kind: slug for slug, kind in TYPE_SLUGS.items()}
DRAFT_PREFIX = "appeal."
ATTACHMENTS = "attachments"
ATTACHMENT_LIMIT = 9  # AppealCreate.attachments max_length
CONTENT_LIMIT = 2000  # AppealCreate.content max_length
TITLE_LIMIT = 60  # AppealCreate.title max_length
TEXT_FIELDS = ("title", "content", "location", "contact_phone")
SUGGESTION_MIN_CHARS = 2

_CODES = {
    ("title", "too_short"): "appeal_title_length",
    ("title", "too_long"): "appeal_title_length",
    ("content", "too_short"): "appeal_content_length",
    ("content", "too_long"): "appeal_content_length",
    ("location", "too_long"): "address_too_long",
    ("contact_phone", "string_pattern_mismatch"): "phone_invalid",
}


def draft_key(appeal_type: AppealType) -> str:
    return DRAFT_PREFIX + SLUG_OF[appeal_type]


def new_route(appeal_type: AppealType) -> str:
    return f"/interaction/new/{SLUG_OF[appeal_type]}"


def _wire_values(appeal_type: AppealType, values: Mapping[str, str], attachments: list[str]) -> dict[str, object]:
    address = values.get("location", "").strip()
    phone = values.get("contact_phone", "").strip()
    return {
        "type": appeal_type,
        "category": values.get("category") or None,
        "department": values.get("department") or UNDECIDED_DEPARTMENT,
        "title": values.get("title", ""),
        "content": values.get("content", ""),
        "attachments": attachments,
        "location": {"address": address} if address else None,
        "contact_phone": phone or None,
        "public": values.get("public", "true") != "false",
    }


def appeal_problems(appeal_type: AppealType, values: Mapping[str, str], attachments: list[str]) -> dict[str, str]:
    """Message codes per field, named as the server names them in its errors (category, department, title,
    content, location, contact_phone, attachments)."""
    problems = {name: "field_required" for name in ("category", "title", "content") if not values.get(name, "").strip()}
    try:
        AppealCreate.model_validate(_wire_values(appeal_type, values, attachments))
    except ValidationError as exc:
        for error in exc.errors():
            name = str(error["loc"][0])
            kind = error["type"]
            code = "text_invalid" if kind == "text_invalid" else _CODES.get((name, kind), "value_invalid")
            problems.setdefault(name, code)
    return problems


def appeal_body(appeal_type: AppealType, draft: Draft) -> AppealCreate:
    """The draft as the request body; call it once `appeal_problems` is empty."""
    attachments = [f.id for f in draft.materials.get(ATTACHMENTS, [])]
    return AppealCreate.model_validate(_wire_values(appeal_type, draft.form, attachments))


def counter_text(content: str) -> str:
    return f"{len(content.strip())}/{CONTENT_LIMIT}"


def suggestion_query(title: str, content: str) -> str | None:
    """What to search for published answers: the title, then the start of the content, within the search's limit;
    None while there is too little to search for."""
    text = " ".join(part for part in (title.strip(), " ".join(content.split())) if part)
    if sum(1 for c in text if not c.isspace()) < SUGGESTION_MIN_CHARS:
        return None
    return text[:MAX_QUERY_LENGTH].strip()


def result_route(result: SearchResult) -> str:
    """Where a suggestion opens: a service guide, a public appeal in the mailbox, or an article."""
    if result.scope == "service" and result.code:
        return f"/services/item/{result.code}"
    if result.scope == "appeal" and result.code:
        return f"/interaction/mailbox/{result.code}"
    return f"/disclosure/article/{result.id}"


def credentials_text(number: str, credentials: FastChannelCredentials) -> str:
    """What 复制 puts on the clipboard and the QR code holds: everything needed to look the appeal up again."""
    return (
        f"一网通办 快速通道\n诉求编号：{number}\n用户名：{credentials.username}\n密码：{credentials.password}\n"
        "查询：互动交流 → 进度查询"
    )


def qr_png(text: str) -> bytes:
    """A QR code of `text` as PNG bytes, made in memory (nothing is written to disk)."""
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=6, border=2)
    return buffer.getvalue()
