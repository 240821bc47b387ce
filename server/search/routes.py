from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response

from api_client import models as wire
from server.appeals.public import appeal_numbers
from server.core.admission import database_slot
from server.core.errors import error_responses
from server.core.http_cache import NOT_MODIFIED, JsonBody, conditional_response
from server.core.pagination import Cursor, Limit
from server.search import engine
from server.search.models import Scope
from server.services.service import codes_of

SEARCH_CACHE_CONTROL = "public, max-age=30"
_INDEX_SCOPES: dict[wire.SearchScope, Scope] = {"articles": "article", "services": "service", "appeals": "appeal"}

router = APIRouter(prefix="/search", tags=["search"], dependencies=[Depends(database_slot)])


@router.get(
    "",
    response_model=wire.SearchPage,
    responses={**NOT_MODIFIED, **error_responses()},
)
def search(
    request: Request,
    q: Annotated[
        wire.SingleLineText,
        Query(
            description=f"What people type: words, phrases, 文号, pinyin; at most {wire.MAX_QUERY_LENGTH} characters"
        ),
    ],
    scope: wire.SearchScope = "articles",
    cursor: Cursor = None,
    limit: Limit = 20,
) -> Response:
    with request.app.state.engine.connect() as db:
        page = engine.search(db, _INDEX_SCOPES[scope], q, cursor, limit)
        if scope == "services":  # results name items by 事项编码, which the guide's URL takes
            codes = codes_of(db, [result.id for result in page.items])
            page.items = [result.model_copy(update={"code": codes.get(result.id)}) for result in page.items]
        if scope == "appeals":  # results name public appeals by 诉求编号
            numbers = appeal_numbers(db, [result.id for result in page.items])
            page.items = [result.model_copy(update={"code": numbers.get(result.id)}) for result in page.items]
    return conditional_response(request, JsonBody.of(page), SEARCH_CACHE_CONTROL)
