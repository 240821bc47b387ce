"""Thin HTTP layer over the account rules."""

from fastapi import APIRouter, Request, Response
from sqlalchemy import select

from api_client import models as wire
from server.accounts import devices, service, throttle, tokens
from server.accounts.models import User
from server.accounts.passwords import verify_password
from server.core.deps import CurrentSession, CurrentUser, IdCipher, client_address
from server.core.errors import ApiError, error_responses
from server.core.idempotency import IdempotentWrite

auth = APIRouter(prefix="/auth", tags=["accounts"])
me = APIRouter(prefix="/me", tags=["accounts"])


@auth.post("/register", status_code=201, response_model=wire.TokenPair, responses=error_responses(409, 429))
def register(body: wire.RegisterRequest, request: Request, write: IdempotentWrite) -> Response:
    throttle.reserve_registration(write.db, client_address(request))
    user = service.create_user(write.db, phone=body.phone, password=body.password, name=body.name)
    device_token = devices.trust(write.db, user, known=None, sent_token=None)
    return write.respond(tokens.start_session(write.db, user, device_token), status_code=201)


@auth.post("/login", response_model=wire.TokenPair, responses=error_responses(401, 409, 429))
def login(body: wire.LoginRequest, request: Request, write: IdempotentWrite) -> Response:
    """The attempt is counted before the password is hashed; see throttle.reserve_login_attempt."""
    db, address = write.db, client_address(request)
    device = devices.recognise(db, body.device_token, body.phone)
    device_id = device.id if device is not None else None
    attempt = throttle.reserve_login_attempt(db, body.phone, address, device_id)
    user = db.scalar(select(User).where(User.phone == body.phone))
    try:
        verified = verify_password(user.password_hash if user else None, body.password)
    except ApiError:  # 503: no hashing thread in time, so this guess was never heard
        throttle.withdraw(db, attempt)
        raise
    if not verified or user is None:
        raise ApiError(401, "credentials_invalid")
    throttle.forgive(db, body.phone, address, device_id)
    device_token = devices.trust(db, user, device, body.device_token)
    return write.respond(tokens.start_session(db, user, device_token))


@auth.post("/refresh", response_model=wire.TokenPair, responses=error_responses(401, 409))
def refresh(body: wire.RefreshRequest, write: IdempotentWrite) -> Response:
    return write.respond(tokens.rotate(write.db, body.refresh_token))


@auth.post("/logout", response_model=wire.Ack, responses=error_responses(401, 409))
def logout(session: CurrentSession, write: IdempotentWrite) -> Response:
    tokens.revoke(write.db, session)
    return write.respond(wire.Ack())


@me.get("", response_model=wire.Profile, responses=error_responses(401))
def read_me(user: CurrentUser) -> wire.Profile:
    return service.profile(user)


@me.patch("", response_model=wire.Profile, responses=error_responses(401, 409))
def update_me(change: wire.ProfileUpdate, user: CurrentUser, write: IdempotentWrite, id_cipher: IdCipher) -> Response:
    service.update_profile(write.db, user, change, id_cipher)
    return write.respond(service.profile(user))
