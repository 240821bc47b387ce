"""Thin HTTP layer over the account rules."""

from fastapi import APIRouter, Request, Response
from sqlalchemy import select

from api_client import models as wire
from server.accounts import service, throttle, tokens
from server.accounts.models import User
from server.accounts.passwords import verify_password
from server.core.deps import CurrentSession, CurrentUser, client_address
from server.core.errors import ApiError, error_responses
from server.core.idempotency import IdempotentWrite

auth = APIRouter(prefix="/auth", tags=["accounts"])
me = APIRouter(prefix="/me", tags=["accounts"])


@auth.post("/register", status_code=201, response_model=wire.TokenPair, responses=error_responses(409))
def register(body: wire.RegisterRequest, write: IdempotentWrite) -> Response:
    user = service.create_user(write.db, phone=body.phone, password=body.password, name=body.name)
    return write.respond(tokens.start_session(write.db, user), status_code=201)


@auth.post("/login", response_model=wire.TokenPair, responses=error_responses(401, 409, 429))
def login(body: wire.LoginRequest, request: Request, write: IdempotentWrite) -> Response:
    db, address = write.db, client_address(request)
    throttle.check_allowed(db, body.phone, address)
    user = db.scalar(select(User).where(User.phone == body.phone))
    if not verify_password(user.password_hash if user else None, body.password) or user is None:
        throttle.record_failure(db, body.phone, address)
        db.commit()
        raise ApiError(401, "credentials_invalid")
    throttle.clear_failures(db, body.phone)
    return write.respond(tokens.start_session(db, user))


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
def update_me(change: wire.ProfileUpdate, user: CurrentUser, write: IdempotentWrite) -> Response:
    service.update_profile(write.db, user, change)
    write.db.flush()
    return write.respond(service.profile(user))
