"""The wire models: the one definition of the API contract, used by the client and the server alike."""

from api_client.models.accounts import (
    LoginRequest,
    Profile,
    ProfileUpdate,
    RefreshRequest,
    RegisterRequest,
    Role,
    TokenPair,
)
from api_client.models.articles import (
    ARTICLE_KIND_LABELS,
    VALIDITY_LABELS,
    ArticleDetail,
    ArticleFilters,
    ArticleKind,
    ArticleRef,
    ArticleSummary,
    Attachment,
    Topic,
    Validity,
)
from api_client.models.common import Ack, ErrorBody, Health, Page
from api_client.models.departments import Department
from api_client.models.search import (
    MAX_QUERY_LENGTH,
    ResultScope,
    SearchPage,
    SearchResult,
    SearchScope,
    split_highlights,
)

__all__ = [
    "ARTICLE_KIND_LABELS",
    "MAX_QUERY_LENGTH",
    "VALIDITY_LABELS",
    "Ack",
    "ArticleDetail",
    "ArticleFilters",
    "ArticleKind",
    "ArticleRef",
    "ArticleSummary",
    "Attachment",
    "Department",
    "ErrorBody",
    "Health",
    "LoginRequest",
    "Page",
    "Profile",
    "ProfileUpdate",
    "RefreshRequest",
    "RegisterRequest",
    "ResultScope",
    "Role",
    "SearchPage",
    "SearchResult",
    "SearchScope",
    "TokenPair",
    "Topic",
    "Validity",
    "split_highlights",
]
