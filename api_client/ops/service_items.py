"""网上办事 catalogue: item lists, guides and the life-event themes. Send reads with `send_conditional` to use ETags."""

from urllib.parse import quote

from pydantic import TypeAdapter

from api_client._operation import Operation
from api_client.models import Page, ServiceItemFilters, ServiceItemGuide, ServiceItemSummary, ServiceTheme

_PAGE = TypeAdapter(Page[ServiceItemSummary])
_GUIDE = TypeAdapter(ServiceItemGuide)
_THEMES = TypeAdapter(Page[ServiceTheme])


def list_service_items(
    filters: ServiceItemFilters | None = None, cursor: str | None = None, limit: int | None = None
) -> Operation[Page[ServiceItemSummary]]:
    query = filters.model_dump(mode="json", exclude_none=True) if filters is not None else {}
    return Operation("GET", "/service-items", _PAGE, query={**query, "cursor": cursor, "limit": limit})


def get_service_item(code: str) -> Operation[ServiceItemGuide]:
    return Operation("GET", "/service-items/{code}", _GUIDE, path_params={"code": quote(code, safe="")})


def list_service_themes() -> Operation[Page[ServiceTheme]]:
    return Operation("GET", "/service-themes", _THEMES)
