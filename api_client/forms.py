"""The rules an application form is held to, as pure functions over an item's `FormField`s and `Material`s.

The server checks every submission with them and the app runs them under each field as people type,
so both sides always agree. Each returns error codes (see `api_client.messages`) keyed by the field.
"""

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal

from api_client.models.service_items import FileFormat, FormField, Material
from api_client.validation import has_unprintable, is_valid_email, is_valid_id_number, is_valid_phone

DEFAULT_MAX_LENGTH = {"text": 100, "textarea": 2000}
MAX_VALUE_LENGTH = 2000
MAX_FILES_PER_MATERIAL = 10
_AMOUNT = re.compile(r"^\d{1,12}(\.\d{1,2})?$")
_INTEGER = re.compile(r"^-?\d{1,12}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _number_problem(field: FormField, number: Decimal) -> str | None:
    if field.min_value is not None and number < Decimal(str(field.min_value)):
        return "value_out_of_range"
    if field.max_value is not None and number > Decimal(str(field.max_value)):
        return "value_out_of_range"
    return None


def field_problem(field: FormField, raw: str | None, today: dt.date | None = None) -> str | None:
    """The error code for one value of `field`, or None when it is acceptable (empty optional fields are)."""
    value = (raw or "").strip()
    if not value:
        return "field_required" if field.required else None
    if len(value) > MAX_VALUE_LENGTH:
        return "value_too_long"
    if has_unprintable(value, allow_newlines=field.type == "textarea"):
        return "text_invalid"
    kind = field.type
    if kind in DEFAULT_MAX_LENGTH:
        limit = field.max_length or DEFAULT_MAX_LENGTH[kind]
        return "value_too_long" if len(value) > limit else None
    if kind == "id_number":
        return None if is_valid_id_number(value, today) else "id_number_invalid"
    if kind == "phone":
        return None if is_valid_phone(value) else "phone_invalid"
    if kind == "email":
        return None if is_valid_email(value) else "email_invalid"
    if kind == "date":
        if not _DATE.match(value):
            return "date_invalid"
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            return "date_invalid"
        return None
    if kind == "amount":
        if not _AMOUNT.match(value):
            return "amount_invalid"
        return _number_problem(field, Decimal(value))
    if kind == "integer":
        if not _INTEGER.match(value):
            return "integer_invalid"
        return _number_problem(field, Decimal(value))
    if kind == "select":
        return None if value in field.options else "option_invalid"
    return "value_invalid"


def form_problems(
    fields: Sequence[FormField], values: Mapping[str, str], today: dt.date | None = None
) -> dict[str, str]:
    """Every field's problem at once (one per field), plus values for fields the form does not have."""
    problems = {f.key: code for f in fields if (code := field_problem(f, values.get(f.key), today))}
    known = {f.key for f in fields}
    problems.update({key: "field_unknown" for key in values if key not in known})
    return problems


def clean_form(fields: Sequence[FormField], values: Mapping[str, str]) -> dict[str, str]:
    """The values as stored: trimmed, resident IDs in upper case, empty optional fields left out."""
    cleaned = {}
    for field in fields:
        value = (values.get(field.key) or "").strip()
        if value:
            cleaned[field.key] = value.upper() if field.type == "id_number" else value
    return cleaned


def material_problems(
    materials: Sequence[Material], provided: Mapping[str, Sequence[FileFormat]], only: Sequence[str] | None = None
) -> dict[str, str]:
    """Required materials missing, files in a format the material does not take, unknown materials.

    `provided` maps a material key to the formats of the files given for it; `only` limits the check to
    the materials named (a 补正 round asks for some, and those become required).
    """
    by_key = {m.key: m for m in materials}
    wanted = set(only) if only is not None else {m.key for m in materials}
    problems = {key: "material_unknown" for key in provided if key not in by_key or key not in wanted}
    for key in wanted & by_key.keys():
        files = provided.get(key, [])
        material = by_key[key]
        if not files and (material.required or only is not None):
            problems[key] = "material_required"
        elif len(files) > MAX_FILES_PER_MATERIAL:
            problems[key] = "material_too_many"
        elif any(f not in material.formats for f in files):
            problems[key] = "material_format_invalid"
    return problems


ARTICLE_TITLE_LENGTH = (2, 200)
DOCUMENT_NUMBER_LENGTH = (3, 64)
MAX_ARTICLE_SUMMARY = 500
MAX_ARTICLE_BODY = 200_000
MAX_ARTICLE_TOPICS = 5
EARLIEST_WRITTEN_ON = dt.date(1949, 10, 1)


def article_problems(
    values: Mapping[str, str], topics: Sequence[str], today: dt.date, known_topics: Sequence[str]
) -> dict[str, str]:
    """A document's metadata and body as `ArticleCreate`/`ArticleUpdate` and the publishing rules take them.

    `values` holds kind, title, summary, document_number, written_on (YYYY-MM-DD or empty) and body.
    """
    problems: dict[str, str] = {}
    title = values.get("title", "").strip()
    if not title:
        problems["title"] = "field_required"
    elif has_unprintable(title):
        problems["title"] = "text_invalid"
    elif not ARTICLE_TITLE_LENGTH[0] <= len(title) <= ARTICLE_TITLE_LENGTH[1]:
        problems["title"] = "article_title_length"
    summary = values.get("summary", "")
    if has_unprintable(summary, allow_newlines=True):
        problems["summary"] = "text_invalid"
    elif len(summary.strip()) > MAX_ARTICLE_SUMMARY:
        problems["summary"] = "value_too_long"
    number = values.get("document_number", "").strip()
    if not number:
        if values.get("kind") == "policy":
            problems["document_number"] = "field_required"
    elif has_unprintable(number):
        problems["document_number"] = "text_invalid"
    elif not DOCUMENT_NUMBER_LENGTH[0] <= len(number) <= DOCUMENT_NUMBER_LENGTH[1]:
        problems["document_number"] = "document_number_length"
    written = values.get("written_on", "").strip()
    if written:
        try:
            day = dt.date.fromisoformat(written) if _DATE.match(written) else None
        except ValueError:
            day = None
        if day is None:
            problems["written_on"] = "date_invalid"
        elif not EARLIEST_WRITTEN_ON <= day <= today:
            problems["written_on"] = "written_on_out_of_range"
    body = values.get("body", "")
    if not body.strip():
        problems["body"] = "field_required"
    elif has_unprintable(body, allow_newlines=True):
        problems["body"] = "text_invalid"
    elif len(body) > MAX_ARTICLE_BODY:
        problems["body"] = "value_too_long"
    if not 1 <= len(topics) <= MAX_ARTICLE_TOPICS or any(code not in known_topics for code in topics):
        problems["topics"] = "article_topics_count"
    return problems
