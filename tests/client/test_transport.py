"""Client behaviour pinned with httpx.MockTransport: retries, Retry-After, idempotency keys, errors, refresh."""

import json
from collections.abc import Callable

import httpx
import pytest

from api_client import (
    APIConnectionError,
    APITimeoutError,
    AsyncClient,
    AuthenticationError,
    Client,
    InternalServerError,
    NotFoundError,
    RateLimitError,
    RetryPolicy,
    UnprocessableEntityError,
    ops,
)
from api_client._retry import parse_retry_after
from api_client.models import ProfileUpdate, TokenPair

PROFILE = {"id": 1, "phone": "13800138000", "name": "张三", "role": "citizen"}
TOKENS = {"access_token": "a1", "refresh_token": "r1", "token_type": "bearer", "expires_in": 1800}


def error(status: int, code: str, field: str | None = None, **headers: str) -> httpx.Response:
    return httpx.Response(status, json={"code": code, "message": "出错了", "field": field}, headers=headers)


class Recorder:
    """A scripted server: answers in order and remembers every request."""

    def __init__(self, *answers: httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer(request) if callable(answer) else answer


def sync_client(recorder: Recorder, sleeps: list[float], **kwargs: object) -> Client:
    return Client("http://api.test", transport=httpx.MockTransport(recorder), sleep=sleeps.append, **kwargs)  # type: ignore[arg-type]


def test_retries_5xx_then_succeeds_with_the_same_idempotency_key() -> None:
    recorder = Recorder(error(503, "internal_error"), error(502, "internal_error"), httpx.Response(200, json=PROFILE))
    sleeps: list[float] = []
    profile = sync_client(recorder, sleeps).send(ops.accounts.update_me(ProfileUpdate(name="张三")))
    assert profile.name == "张三"
    assert len(recorder.requests) == 3
    keys = {r.headers["idempotency-key"] for r in recorder.requests}
    assert len(keys) == 1 and len(keys.pop()) >= 16
    assert len(sleeps) == 2 and 0.375 <= sleeps[0] <= 0.5 and 0.75 <= sleeps[1] <= 1.0


def test_caller_supplied_idempotency_key_is_sent() -> None:
    recorder = Recorder(httpx.Response(201, json=TOKENS))
    from api_client.models import RegisterRequest

    body = RegisterRequest(phone="13800138000", password="Passw0rd", name="张三")
    sync_client(recorder, []).send(ops.accounts.register(body, idempotency_key="draft-42"))
    assert recorder.requests[0].headers["idempotency-key"] == "draft-42"


def test_two_logical_writes_get_two_keys_and_reads_get_none() -> None:
    recorder = Recorder(*(httpx.Response(200, json=PROFILE) for _ in range(3)))
    client = sync_client(recorder, [])
    client.send(ops.accounts.update_me(ProfileUpdate(name="a")))
    client.send(ops.accounts.update_me(ProfileUpdate(name="a")))
    client.send(ops.accounts.me())
    first, second, read = recorder.requests
    assert first.headers["idempotency-key"] != second.headers["idempotency-key"]
    assert "idempotency-key" not in read.headers


def test_gives_up_after_max_retries_with_the_typed_error() -> None:
    recorder = Recorder(*(error(500, "internal_error") for _ in range(3)))
    with pytest.raises(InternalServerError) as caught:
        sync_client(recorder, []).send(ops.system.health())
    assert caught.value.code == "internal_error" and len(recorder.requests) == 3


def test_429_honours_retry_after() -> None:
    recorder = Recorder(error(429, "login_throttled", **{"Retry-After": "7"}), httpx.Response(200, json=TOKENS))
    sleeps: list[float] = []
    sync_client(recorder, sleeps).send(ops.accounts.login("13800138000", "x"))
    assert sleeps == [7.0]


def test_retry_after_too_long_is_surfaced_not_slept() -> None:
    answers = [error(429, "login_throttled", **{"Retry-After": "900"}) for _ in range(3)]
    sleeps: list[float] = []
    with pytest.raises(RateLimitError) as caught:
        sync_client(Recorder(*answers), sleeps).send(ops.accounts.login("13800138000", "x"))
    assert caught.value.code == "login_throttled"
    assert caught.value.retry_after is None
    assert all(s <= 8.0 for s in sleeps)


def test_parse_retry_after_forms() -> None:
    assert parse_retry_after("3") == 3.0
    assert parse_retry_after("0") == 0.0
    assert parse_retry_after(None) is None
    assert parse_retry_after("soon") is None
    assert parse_retry_after("61") is None
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past: retry now


def test_4xx_are_not_retried_and_map_to_classes() -> None:
    for status, cls in ((404, NotFoundError), (422, UnprocessableEntityError)):
        recorder = Recorder(error(status, "x_invalid", "phone", **{"x-request-id": "rid-1"}))
        with pytest.raises(cls) as caught:
            sync_client(recorder, []).send(ops.system.health())
        assert (caught.value.field, caught.value.request_id, len(recorder.requests)) == ("phone", "rid-1", 1)


def test_connect_errors_are_retried_then_raised_as_connection_error() -> None:
    request = httpx.Request("GET", "http://api.test")
    recorder = Recorder(*(httpx.ConnectError("refused", request=request) for _ in range(3)))
    with pytest.raises(APIConnectionError) as caught:
        sync_client(recorder, []).send(ops.system.health())
    assert not isinstance(caught.value, APITimeoutError) and len(recorder.requests) == 3


def test_timeouts_are_their_own_error() -> None:
    request = httpx.Request("GET", "http://api.test")
    recorder = Recorder(*(httpx.ReadTimeout("slow", request=request) for _ in range(2)))
    with pytest.raises(APITimeoutError):
        sync_client(recorder, [], retry=RetryPolicy(max_retries=1)).send(ops.system.health())
    assert len(recorder.requests) == 2


def test_non_json_error_body_still_maps() -> None:
    recorder = Recorder(httpx.Response(404, text="<html>nginx</html>"))
    with pytest.raises(NotFoundError) as caught:
        sync_client(recorder, []).send(ops.system.health())
    assert caught.value.code == "http_404"


def test_401_refreshes_once_then_replays_the_call_and_stores_new_tokens() -> None:
    new_tokens = {**TOKENS, "access_token": "a2", "refresh_token": "r2"}
    recorder = Recorder(
        error(401, "token_invalid"), httpx.Response(200, json=new_tokens), httpx.Response(200, json=PROFILE)
    )
    saved: list[TokenPair | None] = []
    client = sync_client(recorder, [], tokens=TokenPair(**TOKENS), on_tokens=saved.append)
    assert client.send(ops.accounts.me()).id == 1
    me, refresh, replay = recorder.requests
    assert me.headers["authorization"] == "Bearer a1"
    assert refresh.url.path == "/api/v1/auth/refresh" and json.loads(refresh.content) == {"refresh_token": "r1"}
    assert replay.headers["authorization"] == "Bearer a2"
    assert saved and saved[-1] is not None and saved[-1].access_token == "a2"


def test_failed_refresh_clears_tokens_and_raises_401() -> None:
    recorder = Recorder(error(401, "token_invalid"), error(401, "refresh_invalid"))
    saved: list[TokenPair | None] = []
    client = sync_client(recorder, [], tokens=TokenPair(**TOKENS), on_tokens=saved.append)
    with pytest.raises(AuthenticationError):
        client.send(ops.accounts.me())
    assert client.tokens is None and saved == [None]
    assert len(recorder.requests) == 2


async def test_async_client_retries_with_the_same_key_and_refreshes() -> None:
    recorder = Recorder(
        error(503, "internal_error"),
        error(401, "token_invalid"),
        httpx.Response(200, json={**TOKENS, "access_token": "a2"}),
        httpx.Response(200, json=PROFILE),
    )
    sleeps: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    async with AsyncClient(
        "http://api.test",
        tokens=TokenPair(**TOKENS),
        transport=httpx.MockTransport(recorder),
        sleep=fake_sleep,
    ) as client:
        profile = await client.send(ops.accounts.update_me(ProfileUpdate(name="张三")))
    assert profile.name == "张三" and len(sleeps) == 1
    writes = [r for r in recorder.requests if r.url.path == "/api/v1/me"]
    assert len(writes) == 3 and len({r.headers["idempotency-key"] for r in writes}) == 1
    assert writes[-1].headers["authorization"] == "Bearer a2"


def test_language_header_and_prefix() -> None:
    recorder = Recorder(httpx.Response(200, json={"status": "ok", "version": "1", "database": "sqlite"}))
    sync_client(recorder, [], language="en").send(ops.system.health())
    request = recorder.requests[0]
    assert request.url == "http://api.test/api/v1/health" and request.headers["accept-language"] == "en"


def test_a_client_acting_for_someone_forwards_their_address_on_every_request() -> None:
    """The web app's server speaks for many browsers; each citizen's address goes with their requests."""
    recorder = Recorder(
        error(503, "internal_error"), httpx.Response(200, json=PROFILE), httpx.Response(200, json=PROFILE)
    )
    client = sync_client(recorder, [], forwarded_for="203.0.113.9")
    client.send(ops.accounts.update_me(ProfileUpdate(name="张三")))
    client.send(ops.accounts.me())
    assert [r.headers["x-forwarded-for"] for r in recorder.requests] == ["203.0.113.9"] * 3
    plain = Recorder(httpx.Response(200, json=PROFILE))
    sync_client(plain, []).send(ops.accounts.me())
    assert "x-forwarded-for" not in plain.requests[0].headers
