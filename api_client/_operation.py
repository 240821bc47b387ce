"""An API call described as data: built by the functions in `api_client.ops`, sent by either client."""

import dataclasses
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, TypeAdapter

ResponseT = TypeVar("ResponseT")

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def new_idempotency_key() -> str:
    """A fresh key for one logical write; keep it with a draft to make re-sending safe."""
    return uuid.uuid4().hex


@dataclass(frozen=True)
class Operation(Generic[ResponseT]):
    """One logical operation. A write keeps its Idempotency-Key for every retry of this object."""

    method: str
    route: str
    response: TypeAdapter[ResponseT]
    path_params: Mapping[str, str | int] = field(default_factory=dict)
    query: Mapping[str, Any] = field(default_factory=dict)
    body: BaseModel | None = None
    authenticated: bool = False
    idempotency_key: str = field(default_factory=new_idempotency_key)
    headers: Mapping[str, str] = field(default_factory=dict)
    files: Mapping[str, tuple[str, bytes, str]] | None = None  # multipart upload: field -> (name, bytes, type)
    raw_response: bool = False  # the body as bytes (a PDF, a file), not JSON

    @property
    def path(self) -> str:
        return self.route.format(**self.path_params)

    @property
    def is_write(self) -> bool:
        return self.method in WRITE_METHODS

    def params(self) -> dict[str, Any]:
        """Query parameters without the unset ones."""
        return {k: v for k, v in self.query.items() if v is not None and v != ""}

    def json_body(self) -> Any:
        if self.body is None:
            return None
        return self.body.model_dump(mode="json", exclude_unset=True)


@dataclass(frozen=True)
class Fetched(Generic[ResponseT]):
    """A conditional read that brought a (new) body; keep `etag` to ask again cheaply."""

    value: ResponseT
    etag: str | None


@dataclass(frozen=True)
class NotModified:
    """A conditional read answered 304: the copy held under `etag` is still current."""

    etag: str


def with_etag(op: Operation[ResponseT], etag: str | None) -> Operation[ResponseT]:
    """The same read, asking the server to answer 304 when `etag` is still current."""
    if etag is None:
        return op
    return dataclasses.replace(op, headers={**op.headers, "if-none-match": etag})
