"""Request-scoped dependencies: the database session and who is asking."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from server.accounts.models import AuthSession, User
from server.accounts.tokens import session_for_access_token
from server.core.errors import ApiError

_bearer = HTTPBearer(auto_error=False, description="The access token from /auth/login")


def get_db(request: Request) -> Iterator[Session]:
    """One short session per request; routes commit their own writes."""
    with request.app.state.sessions() as session:
        yield session


DbSession = Annotated[Session, Depends(get_db)]
BearerCredentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def current_session(db: DbSession, credentials: BearerCredentials) -> AuthSession:
    if credentials is None:
        raise ApiError(401, "not_authenticated", headers={"WWW-Authenticate": "Bearer"})
    return session_for_access_token(db, credentials.credentials)


def current_user(session: Annotated[AuthSession, Depends(current_session)]) -> User:
    return session.user


def optional_user(db: DbSession, credentials: BearerCredentials) -> User | None:
    """The caller when a valid token came with the request; anyone else is anonymous here."""
    if credentials is None:
        return None
    try:
        return session_for_access_token(db, credentials.credentials).user
    except ApiError:
        return None


CurrentSession = Annotated[AuthSession, Depends(current_session)]
CurrentUser = Annotated[User, Depends(current_user)]
OptionalUser = Annotated[User | None, Depends(optional_user)]


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def current_officer(user: CurrentUser) -> User:
    """An officer of one department; department-scoped queries take `user.department_id` from here."""
    if user.role != "officer" or user.department_id is None:
        raise ApiError(403, "forbidden")
    return user


CurrentOfficer = Annotated[User, Depends(current_officer)]
