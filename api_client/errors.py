"""One exception class per HTTP status the API uses, under one base, plus transport failures."""

from typing import ClassVar

import httpx


class YiwangError(Exception):
    """Base of every error this client raises."""


class APIConnectionError(YiwangError):
    """The server could not be reached (no network, refused, DNS, TLS)."""

    def __init__(self, message: str = "无法连接服务器，请检查网络") -> None:
        super().__init__(message)
        self.message = message


class APITimeoutError(APIConnectionError):
    """The server did not answer in time."""

    def __init__(self) -> None:
        super().__init__("服务器响应超时，请稍后再试")


class APIStatusError(YiwangError):
    """The server answered with an error status; `code` is the stable machine code."""

    status_code: ClassVar[int] = 0

    def __init__(
        self,
        response: httpx.Response,
        code: str,
        message: str,
        field: str | None = None,
    ) -> None:
        super().__init__(f"{response.status_code} {code}: {message}")
        self.response = response
        self.code = code
        self.message = message
        self.field = field
        self.field_errors: dict[
            str, str
        ] = {}  # a form's 422: every wrong field's message (form.<key>, materials.<key>)
        self.request_id = response.headers.get("x-request-id")


class BadRequestError(APIStatusError):
    status_code = 400


class AuthenticationError(APIStatusError):
    status_code = 401


class PermissionDeniedError(APIStatusError):
    status_code = 403


class NotFoundError(APIStatusError):
    status_code = 404


class ConflictError(APIStatusError):
    status_code = 409


class PayloadTooLargeError(APIStatusError):
    status_code = 413


class UnprocessableEntityError(APIStatusError):
    status_code = 422


class RateLimitError(APIStatusError):
    status_code = 429

    @property
    def retry_after(self) -> float | None:
        """Seconds the server asked us to wait, when it said."""
        from api_client._retry import parse_retry_after

        return parse_retry_after(self.response.headers.get("retry-after"))


class InternalServerError(APIStatusError):
    status_code = 500


_BY_STATUS: dict[int, type[APIStatusError]] = {
    cls.status_code: cls
    for cls in (
        BadRequestError,
        AuthenticationError,
        PermissionDeniedError,
        NotFoundError,
        ConflictError,
        PayloadTooLargeError,
        UnprocessableEntityError,
        RateLimitError,
    )
}


def error_class_for(status: int) -> type[APIStatusError]:
    if status >= 500:
        return InternalServerError
    return _BY_STATUS.get(status, APIStatusError)
