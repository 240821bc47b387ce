"""Every table, imported in one place so Alembic and `create_all` see the whole schema."""

from server.accounts.models import (
    AuthSession,
    LoginFailure,
    RegistrationAttempt,
    RetiredRefreshToken,
    ThrottleLock,
    TrustedDevice,
    User,
)
from server.appointments.models import Appointment, AppointmentSlot, QueueCounter, QueueTicket
from server.articles.models import Article, ArticleAttachment, ArticleTopic
from server.core.idempotency import IdempotencyRecord
from server.db import Base
from server.departments.models import Department
from server.search.models import SearchBlock, SearchDocument, SearchSegment, SearchSynonym, SearchTerm
from server.services.models import ServiceItem, ServiceItemDepartment, ServiceItemTheme

__all__ = [
    "Appointment",
    "AppointmentSlot",
    "Article",
    "ArticleAttachment",
    "ArticleTopic",
    "AuthSession",
    "Base",
    "Department",
    "IdempotencyRecord",
    "LoginFailure",
    "QueueCounter",
    "QueueTicket",
    "RegistrationAttempt",
    "RetiredRefreshToken",
    "SearchBlock",
    "SearchDocument",
    "SearchSegment",
    "SearchSynonym",
    "SearchTerm",
    "ServiceItem",
    "ServiceItemDepartment",
    "ServiceItemTheme",
    "ThrottleLock",
    "TrustedDevice",
    "User",
]
