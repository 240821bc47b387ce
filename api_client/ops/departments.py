"""The department directory."""

from pydantic import TypeAdapter

from api_client._operation import Operation
from api_client.models import Department, Page

_PAGE = TypeAdapter(Page[Department])
_ONE = TypeAdapter(Department)


def list_departments(cursor: str | None = None, limit: int | None = None) -> Operation[Page[Department]]:
    return Operation("GET", "/departments", _PAGE, query={"cursor": cursor, "limit": limit})


def get_department(code: str) -> Operation[Department]:
    return Operation("GET", "/departments/{code}", _ONE, path_params={"code": code})
