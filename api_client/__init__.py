"""Typed client for the Yiwang API: wire models, sync and async clients, typed errors.

from api_client import AsyncClient, ops
async with AsyncClient("http://127.0.0.1:8000") as api:
    tokens = await api.send(ops.accounts.login("13800138000", "secret123"))
"""

from api_client import ops
from api_client._client import API_PREFIX, AsyncClient, Client, TokenListener
from api_client._operation import Fetched, NotModified, Operation, new_idempotency_key
from api_client._retry import RetryPolicy
from api_client.errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PayloadTooLargeError,
    PermissionDeniedError,
    RateLimitError,
    UnprocessableEntityError,
    YiwangError,
)

__all__ = [
    "API_PREFIX",
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncClient",
    "AuthenticationError",
    "BadRequestError",
    "Client",
    "ConflictError",
    "Fetched",
    "InternalServerError",
    "NotFoundError",
    "NotModified",
    "Operation",
    "PayloadTooLargeError",
    "PermissionDeniedError",
    "RateLimitError",
    "RetryPolicy",
    "TokenListener",
    "UnprocessableEntityError",
    "YiwangError",
    "new_idempotency_key",
    "ops",
]
