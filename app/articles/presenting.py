"""Pure helpers that turn article data into what screens say: suggestions and routes."""

from urllib.parse import quote, urlencode

from api_client.models import ArticleFilters

POPULAR_QUERIES = ("社保", "医保", "户口", "落户", "低保", "公积金", "养老保险", "营业执照", "高龄津贴", "就业补贴")


def suggestions(typed: str, history: list[str], topics: list[str], limit: int = 8) -> list[str]:
    """What to offer while the citizen types: earlier searches first, then popular words and topics."""
    typed = typed.strip()
    pool = [*history, *POPULAR_QUERIES, *topics]
    seen: list[str] = []
    for word in pool:
        if word not in seen and (not typed or typed in word or word.startswith(typed)) and word != typed:
            seen.append(word)
    return seen[:limit]


def disclosure_route(filters: ArticleFilters) -> str:
    """The 政务公开 route for a filter set, so that filters survive Back and can be shared."""
    query = urlencode(filters.model_dump(mode="json", exclude_none=True))
    return "/disclosure" + (f"?{query}" if query else "")


def filters_from_query(query: dict[str, str]) -> ArticleFilters:
    """Filters from a route's query; anything malformed is dropped rather than failing the screen."""
    allowed = {k: v for k, v in query.items() if k in ("kind", "topic", "department")}
    try:
        return ArticleFilters.model_validate(allowed)
    except ValueError:
        return ArticleFilters()


def search_route(query: str) -> str:
    return f"/disclosure/search?q={quote(query)}"
