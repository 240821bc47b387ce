"""Request-scoped dependencies: the database session and who is asking."""

import ipaddress
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from server.accounts.models import AuthSession, User
from server.accounts.tokens import session_for_access_token
from server.core.admission import DatabaseSlot
from server.core.errors import ApiError
from server.core.field_crypto import FieldCipher

_bearer = HTTPBearer(auto_error=False, description="The access token from /auth/login")


def get_db(request: Request, _slot: DatabaseSlot) -> Iterator[Session]:
    """One short session per request, opened once the request has a database slot; routes commit their own
    writes."""
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


def current_officer(user: Annotated[User, Depends(current_user)]) -> User:
    """The caller, who must be an officer of a department; department-scoped queries use its department_id."""
    if user.role != "officer" or user.department_id is None:
        raise ApiError(403, "forbidden")
    return user


CurrentSession = Annotated[AuthSession, Depends(current_session)]
CurrentUser = Annotated[User, Depends(current_user)]
CurrentOfficer = Annotated[User, Depends(current_officer)]


def client_address(request: Request) -> str:
    """The caller's address. X-Forwarded-For counts only when the peer is a configured proxy (default: none).

    Walking the header from the right, the first address that is not one of our proxies is the client; the
    entries left of it were written by the client itself and prove nothing.
    """
    peer = request.client.host if request.client else "unknown"
    proxies: TrustedProxies = request.app.state.trusted_proxies
    if not proxies.trusts(peer):
        return peer
    forwarded = [hop.strip() for hop in request.headers.get("x-forwarded-for", "").split(",") if hop.strip()]
    for hop in reversed(forwarded):
        if not proxies.trusts(hop):
            return hop[:64]
    return peer


class TrustedProxies:
    """The reverse proxies in front of the server, from Settings.trusted_proxies."""

    def __init__(self, entries: tuple[str, ...]) -> None:
        self._networks = [ipaddress.ip_network(entry, strict=False) for entry in entries]

    def trusts(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in self._networks)


def id_cipher(request: Request) -> FieldCipher:
    """The resident-ID key, read when first needed (`server.lifecycle.prepare` creates it on the first start)."""
    state = request.app.state
    if getattr(state, "id_cipher", None) is None:
        state.id_cipher = FieldCipher.for_settings(state.settings)
    cipher: FieldCipher = state.id_cipher
    return cipher


IdCipher = Annotated[FieldCipher, Depends(id_cipher)]
