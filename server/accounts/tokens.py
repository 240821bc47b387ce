"""Opaque bearer tokens: random strings handed out once, kept only as hashes, revocable at once."""

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from api_client.models import TokenPair
from server.accounts.models import AuthSession, User
from server.core.errors import ApiError
from server.db import utcnow

ACCESS_TTL = dt.timedelta(minutes=30)
REFRESH_TTL = dt.timedelta(days=30)
# A phone that lost the response to a refresh may present the previous refresh token once more.
REFRESH_GRACE = dt.timedelta(seconds=60)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class _Issued:
    pair: TokenPair
    access_hash: str
    refresh_hash: str


def _issue() -> _Issued:
    access, refresh = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    pair = TokenPair(access_token=access, refresh_token=refresh, expires_in=int(ACCESS_TTL.total_seconds()))
    return _Issued(pair, token_hash(access), token_hash(refresh))


def start_session(db: Session, user: User) -> TokenPair:
    issued, now = _issue(), utcnow()
    db.add(
        AuthSession(
            user_id=user.id,
            access_hash=issued.access_hash,
            refresh_hash=issued.refresh_hash,
            access_expires_at=now + ACCESS_TTL,
            refresh_expires_at=now + REFRESH_TTL,
        )
    )
    return issued.pair


def rotate(db: Session, refresh_token: str) -> TokenPair:
    """New tokens for a valid refresh token (or the one just replaced, within the grace window)."""
    digest, now = token_hash(refresh_token), utcnow()
    session = db.scalar(
        select(AuthSession).where(or_(AuthSession.refresh_hash == digest, AuthSession.previous_refresh_hash == digest))
    )
    if session is None or session.revoked_at is not None or session.refresh_expires_at <= now:
        raise ApiError(401, "refresh_invalid")
    if session.refresh_hash != digest and (session.rotated_at is None or now - session.rotated_at > REFRESH_GRACE):
        raise ApiError(401, "refresh_invalid")
    issued = _issue()
    if session.refresh_hash == digest:  # a retry within the grace window does not extend the window
        session.previous_refresh_hash = digest
        session.rotated_at = now
    session.access_hash = issued.access_hash
    session.refresh_hash = issued.refresh_hash
    session.access_expires_at = now + ACCESS_TTL
    session.refresh_expires_at = now + REFRESH_TTL
    return issued.pair


def session_for_access_token(db: Session, access_token: str) -> AuthSession:
    session = db.scalar(select(AuthSession).where(AuthSession.access_hash == token_hash(access_token)))
    if session is None or session.revoked_at is not None or session.access_expires_at <= utcnow():
        raise ApiError(401, "token_invalid", headers={"WWW-Authenticate": "Bearer"})
    return session


def revoke(db: Session, session: AuthSession) -> None:
    db.execute(update(AuthSession).where(AuthSession.id == session.id).values(revoked_at=utcnow()))
