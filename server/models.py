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
from server.appeals.models import Appeal, AppealAttachment, AppealLookupAttempt, AppealMessage
from server.applications.models import (
    Application,
    ApplicationAccess,
    ApplicationEvent,
    ApplicationMaterial,
    ApplicationStep,
    LookupAttempt,
)
from server.appointments.models import Appointment, AppointmentSlot, QueueCounter, QueueTicket
from server.articles.models import Article, ArticleAttachment, ArticleTopic
from server.attachments.models import AnonymousUploadAttempt, StoredAttachment
from server.core.idempotency import IdempotencyRecord
from server.db import Base
from server.departments.models import Department
from server.notifications.models import Notification
from server.search.models import SearchBlock, SearchDocument, SearchSegment, SearchSynonym, SearchTerm
from server.services.models import ServiceItem, ServiceItemDepartment, ServiceItemTheme
from server.workdays.models import CalendarDay, CalendarYear

__all__ = [
    "AnonymousUploadAttempt",
    "Appeal",
    "AppealAttachment",
    "AppealLookupAttempt",
    "AppealMessage",
    "Application",
    "ApplicationAccess",
    "ApplicationEvent",
    "ApplicationMaterial",
    "ApplicationStep",
    "Appointment",
    "AppointmentSlot",
    "Article",
    "ArticleAttachment",
    "ArticleTopic",
    "AuthSession",
    "Base",
    "CalendarDay",
    "CalendarYear",
    "Department",
    "IdempotencyRecord",
    "LoginFailure",
    "LookupAttempt",
    "Notification",
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
    "StoredAttachment",
    "ThrottleLock",
    "TrustedDevice",
    "User",
]
