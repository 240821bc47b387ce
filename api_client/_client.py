"""The sync and async clients: one request core, one retry policy, transparent token refresh."""

import asyncio
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar, cast

import httpx
from pydantic import ValidationError

from api_client._operation import Fetched, NotModified, Operation, with_etag
from api_client._retry import RetryPolicy
from api_client.errors import APIConnectionError, APIStatusError, APITimeoutError, error_class_for
from api_client.models import ErrorBody, FieldErrorsBody, TokenPair
from api_client.ops import accounts

T = TypeVar("T")
TokenListener = Callable[[TokenPair | None], None]
DeviceTokenListener = Callable[[str], None]

API_PREFIX = "/api/v1"
USER_AGENT = "yiwang-api-client/0.1"


class _Core:
    """What both clients share: building requests, reading responses, holding the tokens."""

    def __init__(
        self,
        base_url: str,
        *,
        tokens: TokenPair | None,
        on_tokens: TokenListener | None,
        language: str,
        retry: RetryPolicy,
        device_token: str | None,
        on_device_token: DeviceTokenListener | None,
        forwarded_for: str | None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        # Whom this client acts for, when it is a server acting for a browser (the web app): sent as X-Forwarded-For,
        # so that per-address limits count each citizen apart. The backend believes it only from a trusted proxy.
        self.forwarded_for = forwarded_for
        self.tokens = tokens
        self.language = language
        self.retry = retry
        self.device_token = device_token
        self._on_tokens = on_tokens
        self._on_device_token = on_device_token

    def set_tokens(self, tokens: TokenPair | None) -> None:
        """Adopt new tokens (after log-in, refresh or log-out) and tell the listener to store them.

        A device token that comes with them is kept across log-outs (and reported to `on_device_token`):
        sent with the next log-in, it lets this device in while strangers' wrong guesses lock the phone.
        """
        self.tokens = tokens
        if self._on_tokens is not None:
            self._on_tokens(tokens)
        if tokens is not None and tokens.device_token and tokens.device_token != self.device_token:
            self.device_token = tokens.device_token
            if self._on_device_token is not None:
                self._on_device_token(tokens.device_token)

    def _request(self, op: Operation[Any]) -> httpx.Request:
        headers = {"accept": "application/json", "accept-language": self.language, "user-agent": USER_AGENT}
        if op.is_write:
            headers["idempotency-key"] = op.idempotency_key
        if op.authenticated and self.tokens is not None:
            headers["authorization"] = f"Bearer {self.tokens.access_token}"
        if self.forwarded_for:
            headers["x-forwarded-for"] = self.forwarded_for
        headers.update(op.headers)
        return httpx.Request(
            op.method,
            f"{self.base_url}{API_PREFIX}{op.path}",
            params=op.params(),
            json=op.json_body(),
            files=op.files,
            headers=headers,
        )

    def _needs_refresh(self, op: Operation[Any], response: httpx.Response, sent_token: str | None) -> bool:
        return response.status_code == 401 and op.authenticated and sent_token is not None and self.tokens is not None

    def _parse(self, op: Operation[T], response: httpx.Response) -> T:
        if response.is_success:
            if op.raw_response:
                return cast(T, response.content)
            return op.response.validate_json(response.content)
        raise _status_error(response)

    def _parse_conditional(self, op: Operation[T], response: httpx.Response) -> Fetched[T] | NotModified:
        if response.status_code == 304:
            return NotModified(etag=response.headers.get("etag", ""))
        return Fetched(self._parse(op, response), response.headers.get("etag"))


def _status_error(response: httpx.Response) -> APIStatusError:
    try:
        body = FieldErrorsBody.model_validate_json(response.content)
    except ValidationError:
        try:
            body = FieldErrorsBody(**ErrorBody.model_validate_json(response.content).model_dump(), errors=[])
        except ValidationError:
            body = FieldErrorsBody(code=f"http_{response.status_code}", message=response.reason_phrase, errors=[])
    error = error_class_for(response.status_code)(response, body.code, body.message, body.field)
    error.field_errors = {e.field: e.message for e in body.errors}
    return error


def _transport_error(exc: httpx.TransportError) -> APIConnectionError:
    return APITimeoutError() if isinstance(exc, httpx.TimeoutException) else APIConnectionError()


class Client(_Core):
    """Blocking client, for scripts, tests and benchmarks. Never use it on Flet's event loop."""

    def __init__(
        self,
        base_url: str,
        *,
        tokens: TokenPair | None = None,
        on_tokens: TokenListener | None = None,
        language: str = "zh",
        retry: RetryPolicy | None = None,
        timeout: float = 15.0,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        device_token: str | None = None,
        on_device_token: DeviceTokenListener | None = None,
        forwarded_for: str | None = None,
    ) -> None:
        super().__init__(
            base_url,
            tokens=tokens,
            on_tokens=on_tokens,
            language=language,
            retry=retry or RetryPolicy(),
            device_token=device_token,
            on_device_token=on_device_token,
            forwarded_for=forwarded_for,
        )
        self._http = httpx.Client(timeout=timeout, transport=transport)
        self._sleep = sleep
        self._refresh_lock = threading.Lock()

    def send(self, op: Operation[T]) -> T:
        return self._parse(op, self._exchange(op))

    def send_conditional(self, op: Operation[T], etag: str | None) -> Fetched[T] | NotModified:
        """A read with If-None-Match: `NotModified` when the copy held under `etag` is current."""
        return self._parse_conditional(op, self._exchange(with_etag(op, etag)))

    def _exchange(self, op: Operation[Any]) -> httpx.Response:
        sent_token = self.tokens.access_token if self.tokens else None
        response = self._send_with_retries(op)
        if self._needs_refresh(op, response, sent_token) and self._refresh(sent_token):
            response = self._send_with_retries(op)
        return response

    def _send_with_retries(self, op: Operation[Any]) -> httpx.Response:
        attempt = 0
        while True:
            try:
                response = self._http.send(self._request(op))
            except httpx.TransportError as exc:
                if not self.retry.should_retry(attempt, None):
                    raise _transport_error(exc) from exc
                self._sleep(self.retry.delay(attempt, None))
            else:
                if not self.retry.should_retry(attempt, response):
                    return response
                response.close()
                self._sleep(self.retry.delay(attempt, response))
            attempt += 1

    def _refresh(self, stale_token: str | None) -> bool:
        """Trade the refresh token for new tokens once, however many calls saw the 401."""
        with self._refresh_lock:
            if self.tokens is None:
                return False
            if self.tokens.access_token != stale_token:
                return True
            op = accounts.refresh(self.tokens.refresh_token)
            response = self._send_with_retries(op)
            if not response.is_success:
                self.set_tokens(None)
                return False
            self.set_tokens(op.response.validate_json(response.content))
            return True

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncClient(_Core):
    """Non-blocking client: what the app uses, on Flet's event loop."""

    def __init__(
        self,
        base_url: str,
        *,
        tokens: TokenPair | None = None,
        on_tokens: TokenListener | None = None,
        language: str = "zh",
        retry: RetryPolicy | None = None,
        timeout: float = 15.0,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Callable[[float], Any] = asyncio.sleep,
        device_token: str | None = None,
        on_device_token: DeviceTokenListener | None = None,
        forwarded_for: str | None = None,
    ) -> None:
        super().__init__(
            base_url,
            tokens=tokens,
            on_tokens=on_tokens,
            language=language,
            retry=retry or RetryPolicy(),
            device_token=device_token,
            on_device_token=on_device_token,
            forwarded_for=forwarded_for,
        )
        self._http = httpx.AsyncClient(timeout=timeout, transport=transport)
        self._sleep = sleep
        self._refresh_lock = asyncio.Lock()

    async def send(self, op: Operation[T]) -> T:
        return self._parse(op, await self._exchange(op))

    async def send_conditional(self, op: Operation[T], etag: str | None) -> Fetched[T] | NotModified:
        """A read with If-None-Match: `NotModified` when the copy held under `etag` is current."""
        return self._parse_conditional(op, await self._exchange(with_etag(op, etag)))

    async def _exchange(self, op: Operation[Any]) -> httpx.Response:
        sent_token = self.tokens.access_token if self.tokens else None
        response = await self._send_with_retries(op)
        if self._needs_refresh(op, response, sent_token) and await self._refresh(sent_token):
            response = await self._send_with_retries(op)
        return response

    async def _send_with_retries(self, op: Operation[Any]) -> httpx.Response:
        attempt = 0
        while True:
            try:
                response = await self._http.send(self._request(op))
            except httpx.TransportError as exc:
                if not self.retry.should_retry(attempt, None):
                    raise _transport_error(exc) from exc
                await self._sleep(self.retry.delay(attempt, None))
            else:
                if not self.retry.should_retry(attempt, response):
                    return response
                await response.aclose()
                await self._sleep(self.retry.delay(attempt, response))
            attempt += 1

    async def _refresh(self, stale_token: str | None) -> bool:
        """Trade the refresh token for new tokens once, however many calls saw the 401."""
        async with self._refresh_lock:
            if self.tokens is None:
                return False
            if self.tokens.access_token != stale_token:
                return True
            op = accounts.refresh(self.tokens.refresh_token)
            response = await self._send_with_retries(op)
            if not response.is_success:
                self.set_tokens(None)
                return False
            self.set_tokens(op.response.validate_json(response.content))
            return True

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> "AsyncClient":
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()
