"""Search across published content."""

from pydantic import TypeAdapter

from api_client._operation import Operation
from api_client.models import SearchPage, SearchScope

_PAGE = TypeAdapter(SearchPage)


def search(
    q: str, scope: SearchScope = "articles", cursor: str | None = None, limit: int | None = None
) -> Operation[SearchPage]:
    return Operation("GET", "/search", _PAGE, query={"q": q, "scope": scope, "cursor": cursor, "limit": limit})
