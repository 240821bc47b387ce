"""Every API call as a function returning an `Operation`, grouped by domain.

`client.send(ops.accounts.login(phone, password))` works the same on `Client` and `AsyncClient`.
"""

from api_client.ops import (
    accounts,
    appeals,
    applications,
    appointments,
    articles,
    attachments,
    calendar,
    departments,
    notifications,
    search,
    service_items,
    system,
)

__all__ = [
    "accounts",
    "appeals",
    "applications",
    "appointments",
    "articles",
    "attachments",
    "calendar",
    "departments",
    "notifications",
    "search",
    "service_items",
    "system",
]
