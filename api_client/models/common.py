"""Wire shapes every endpoint shares."""

from typing import Generic, Literal, TypeVar

from pydantic import BaseModel

ItemT = TypeVar("ItemT")


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
