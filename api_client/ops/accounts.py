"""Registration, log-in, tokens and the caller's profile."""

from pydantic import TypeAdapter

from api_client._operation import Operation, new_idempotency_key
from api_client.models import (
    Ack,
    LoginRequest,
    Profile,
    ProfileUpdate,
    RefreshRequest,
    RegisterRequest,
    TokenPair,
)

_TOKENS = TypeAdapter(TokenPair)
_PROFILE = TypeAdapter(Profile)
_ACK = TypeAdapter(Ack)


def register(body: RegisterRequest, idempotency_key: str | None = None) -> Operation[TokenPair]:
    return Operation(
        "POST", "/auth/register", _TOKENS, body=body, idempotency_key=idempotency_key or new_idempotency_key()
    )


def login(phone: str, password: str, device_token: str | None = None) -> Operation[TokenPair]:
    """`device_token`: the one this device got at its last log-in (the client's `device_token`), if any."""
    body = LoginRequest(phone=phone, password=password, device_token=device_token)
    return Operation("POST", "/auth/login", _TOKENS, body=body)


def refresh(refresh_token: str) -> Operation[TokenPair]:
    return Operation("POST", "/auth/refresh", _TOKENS, body=RefreshRequest(refresh_token=refresh_token))


def logout() -> Operation[Ack]:
    return Operation("POST", "/auth/logout", _ACK, authenticated=True)


def me() -> Operation[Profile]:
    return Operation("GET", "/me", _PROFILE, authenticated=True)


def update_me(body: ProfileUpdate, idempotency_key: str | None = None) -> Operation[Profile]:
    return Operation(
        "PATCH",
        "/me",
        _PROFILE,
        body=body,
        authenticated=True,
        idempotency_key=idempotency_key or new_idempotency_key(),
    )
