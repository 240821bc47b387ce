"""The typed client against the real app in-process (httpx.ASGITransport), on both databases."""

import httpx
import pytest
from fastapi import FastAPI

from api_client import AsyncClient, AuthenticationError, ConflictError, UnprocessableEntityError, ops
from api_client.models import ProfileUpdate, RegisterRequest, TokenPair


def client_for(app: FastAPI, **kwargs: object) -> AsyncClient:
    return AsyncClient("http://testserver", transport=httpx.ASGITransport(app=app), **kwargs)  # type: ignore[arg-type]


async def test_register_login_profile_logout(app: FastAPI) -> None:
    saved: list[TokenPair | None] = []
    async with client_for(app, on_tokens=saved.append) as api:
        assert (await api.send(ops.system.health())).status == "ok"
        body = RegisterRequest(phone="13612345678", password="Passw0rd", name="李雷")
        api.set_tokens(await api.send(ops.accounts.register(body)))
        profile = await api.send(ops.accounts.update_me(ProfileUpdate(id_number="11010519491231002X")))
        assert profile.id_number_masked == "1101**********002X"
        with pytest.raises(ConflictError) as taken:
            await api.send(ops.accounts.register(body))
        assert taken.value.code == "phone_taken" and taken.value.message == "该手机号已注册"
        await api.send(ops.accounts.logout())
        api_tokens = api.tokens
        api.set_tokens(None)
        assert saved[-1] is None and api_tokens is not None
        tokens = await api.send(ops.accounts.login("13612345678", "Passw0rd"))
        assert tokens.access_token != api_tokens.access_token


async def test_expired_access_token_is_refreshed_transparently(app: FastAPI) -> None:
    async with client_for(app) as api:
        body = RegisterRequest(phone="13612345678", password="Passw0rd", name="李雷")
        tokens = await api.send(ops.accounts.register(body))
        api.set_tokens(tokens.model_copy(update={"access_token": "expired-or-forged"}))
        assert (await api.send(ops.accounts.me())).phone == "13612345678"
        assert api.tokens is not None and api.tokens.refresh_token != tokens.refresh_token


async def test_validation_errors_arrive_typed_with_field(app: FastAPI) -> None:
    async with client_for(app, language="en") as api:
        with pytest.raises(AuthenticationError):
            await api.send(ops.accounts.me())
        body = RegisterRequest.model_construct(phone="123", password="Passw0rd", name="x")
        with pytest.raises(UnprocessableEntityError) as caught:
            await api.send(ops.accounts.register(body))
        assert (caught.value.code, caught.value.field) == ("phone_invalid", "phone")
        assert caught.value.message == "The mobile number is not valid"
