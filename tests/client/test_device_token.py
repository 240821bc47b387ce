"""The typed client keeps the device token the server hands out and sends it back with the next log-in."""

import httpx
import pytest
from fastapi import FastAPI

from api_client import AsyncClient, RateLimitError, ops
from api_client.models import RegisterRequest
from api_client.ops.accounts import login
from tests.server.concurrency import send_at_once

PHONE, PASSWORD = "13612345678", "Passw0rd"


def test_login_operation_carries_the_device_token() -> None:
    assert login(PHONE, PASSWORD, "dev-1").json_body()["device_token"] == "dev-1"


async def test_the_owners_app_logs_in_while_strangers_have_locked_the_phone(app: FastAPI) -> None:
    remembered: list[str] = []
    transport = httpx.ASGITransport(app=app, client=("192.0.2.10", 1))
    async with AsyncClient("http://testserver", transport=transport, on_device_token=remembered.append) as api:
        api.set_tokens(
            await api.send(ops.accounts.register(RegisterRequest(phone=PHONE, password=PASSWORD, name="李雷")))
        )
        assert api.device_token and remembered == [api.device_token]
        await api.send(ops.accounts.logout())
        api.set_tokens(None)
        assert api.device_token == remembered[0]  # a log-out keeps the device known

    guesses = [{"method": "POST", "url": "/api/v1/auth/login", "json": {"phone": PHONE, "password": "guess1234"}}] * 11
    await send_at_once(app, guesses, client_address=("203.0.113.5", 1))

    async with AsyncClient(
        "http://testserver", transport=httpx.ASGITransport(app=app, client=("192.0.2.10", 1))
    ) as stranger:
        with pytest.raises(RateLimitError):
            await stranger.send(ops.accounts.login(PHONE, PASSWORD))
    transport = httpx.ASGITransport(app=app, client=("192.0.2.10", 1))
    async with AsyncClient("http://testserver", transport=transport, device_token=remembered[0]) as owner:
        tokens = await owner.send(ops.accounts.login(PHONE, PASSWORD, owner.device_token))
        assert tokens.device_token == remembered[0]
