"""Wire shapes every endpoint shares."""

from typing import Annotated, Generic, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, Field

from api_client.validation import check_long_text, check_single_line_text

ItemT = TypeVar("ItemT")

# Every free-text field of a request (body or query) is one of these, so what is stored can be stored and shown:
# no lone surrogates, no NUL or other control characters (422 `text_invalid` naming the field). Add length and
# format checks on top, e.g. `Annotated[SingleLineText, Field(max_length=50)]`.
SingleLineText = Annotated[
    str, AfterValidator(check_single_line_text), Field(json_schema_extra={"pattern": r"^[^\x00-\x1f\x7f-\x9f]*$"})
]
"""A name, an address, a code, a search: control characters refused."""
LongText = Annotated[
    str, AfterValidator(check_long_text), Field(json_schema_extra={"pattern": r"^[^\x00-\x08\x0b-\x1f\x7f-\x9f]*$"})
]
"""A letter, a complaint, a description: newline (CRLF becomes LF) and tab allowed, other control characters refused."""
# The same, stripped of surrounding whitespace BEFORE any length limit added on top applies, so that a text of
# spaces is too short rather than accepted as "" (a length limit on SingleLineText itself counts the spaces).
TrimmedLine = Annotated[SingleLineText, AfterValidator(str.strip)]
TrimmedText = Annotated[LongText, AfterValidator(str.strip)]


class ErrorBody(BaseModel):
    """Every error response: a stable machine code and a message in the caller's language."""

    code: str
    message: str
    field: str | None = None


class Page(BaseModel, Generic[ItemT]):
    """A slice of a list; pass `next_cursor` back as `cursor` for the next slice (None: the end)."""

    items: list[ItemT]
    next_cursor: str | None = None


class Health(BaseModel):
    status: Literal["ok"]
    version: str
    database: Literal["sqlite", "postgresql"]


class Ack(BaseModel):
    """The answer of a write that has nothing else to say."""

    ok: bool = True
