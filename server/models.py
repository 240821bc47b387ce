"""Every table, imported in one place so Alembic and `create_all` see the whole schema."""

from server.accounts.models import AuthSession, LoginFailure, User
from server.articles.models import Article, ArticleAttachment, ArticleTopic
from server.core.idempotency import IdempotencyRecord
from server.db import Base
from server.departments.models import Department
from server.search.models import SearchBlock, SearchDocument, SearchSegment, SearchSynonym, SearchTerm
from server.services.models import ServiceItem, ServiceItemDepartment, ServiceItemTheme

__all__ = [
    "Article",
    "ArticleAttachment",
    "ArticleTopic",
    "AuthSession",
    "Base",
    "Department",
    "IdempotencyRecord",
    "LoginFailure",
    "SearchBlock",
    "SearchDocument",
    "SearchSegment",
    "SearchSynonym",
    "SearchTerm",
    "ServiceItem",
    "ServiceItemDepartment",
    "ServiceItemTheme",
    "User",
]
