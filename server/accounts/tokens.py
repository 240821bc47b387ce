"""Opaque bearer tokens: random strings handed out once, kept only as hashes, revocable at once."""

import datetime as dt
import hashlib
import os
import secrets
from dataclasses import dataclass
from typing import Any, cast

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from api_client.models import TokenPair
from server.accounts.models import AuthSession, RetiredRefreshToken, User
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


def start_session(db: Session, user: User, device_token: str | None = None) -> TokenPair:
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
    return issued.pair.model_copy(update={"device_token": device_token})


def _grace_cipher(previous_refresh_token: str) -> AESGCM:
    """Only a holder of the previous refresh token can open the pair kept for its retry."""
    return AESGCM(hashlib.sha256(f"grace:{previous_refresh_token}".encode()).digest())


def _seal_pair(previous_refresh_token: str, pair: TokenPair) -> bytes:
    nonce = os.urandom(12)
    return nonce + _grace_cipher(previous_refresh_token).encrypt(nonce, pair.model_dump_json().encode(), None)


def _open_pair(previous_refresh_token: str, sealed: bytes) -> TokenPair:
    plain = _grace_cipher(previous_refresh_token).decrypt(sealed[:12], sealed[12:], None)
    return TokenPair.model_validate_json(plain)


def _refuse(db: Session, revoke_session_id: int | None = None) -> ApiError:
    """401 for a refresh token that cannot be used; revokes the whole session when it was a replay."""
    if revoke_session_id is not None:
        db.execute(update(AuthSession).where(AuthSession.id == revoke_session_id).values(revoked_at=utcnow()))
    db.commit()
    return ApiError(401, "refresh_invalid")


def rotate(db: Session, refresh_token: str) -> TokenPair:
    """New tokens for the current refresh token; reuse of an old one is detected (OAuth 2.0 Security BCP).

    The previous token may come back once within REFRESH_GRACE (a phone that lost the answer) and gets the
    same new pair; a second time it is refused, and any later use, or a use of an older token, revokes the
    session: two parties hold its tokens, so neither is trusted.
    """
    digest, now = token_hash(refresh_token), utcnow()
    session = db.scalar(select(AuthSession).where(AuthSession.refresh_hash == digest))
    if session is not None:
        if session.revoked_at is not None or session.refresh_expires_at <= now:
            raise _refuse(db)
        issued = _issue()
        rotated = db.execute(
            update(AuthSession)
            .where(AuthSession.id == session.id, AuthSession.refresh_hash == digest)
            .values(
                access_hash=issued.access_hash,
                refresh_hash=issued.refresh_hash,
                previous_refresh_hash=digest,
                access_expires_at=now + ACCESS_TTL,
                refresh_expires_at=now + REFRESH_TTL,
                rotated_at=now,
                grace_pair=_seal_pair(refresh_token, issued.pair),
                reuse_count=0,
            )
            .execution_options(synchronize_session=False)
        )
        if cast(CursorResult[Any], rotated).rowcount == 1:
            if session.previous_refresh_hash is not None:
                db.add(
                    RetiredRefreshToken(
                        refresh_hash=session.previous_refresh_hash, session_id=session.id, retired_at=now
                    )
                )
            return issued.pair
        # Another request rotated this token a moment ago: this one is its retry.
    reused = db.execute(
        update(AuthSession)
        .where(AuthSession.previous_refresh_hash == digest)
        .values(reuse_count=AuthSession.reuse_count + 1)
        .returning(
            AuthSession.id,
            AuthSession.reuse_count,
            AuthSession.rotated_at,
            AuthSession.grace_pair,
            AuthSession.revoked_at,
        )
        .execution_options(synchronize_session=False)
    ).one_or_none()
    if reused is not None:
        within_grace = reused.rotated_at is not None and now - reused.rotated_at <= REFRESH_GRACE
        if reused.revoked_at is not None:
            raise _refuse(db)
        if within_grace and reused.reuse_count == 1 and reused.grace_pair is not None:
            return _open_pair(refresh_token, reused.grace_pair)
        raise _refuse(db, None if within_grace and reused.reuse_count == 2 else reused.id)
    retired = db.scalar(select(RetiredRefreshToken.session_id).where(RetiredRefreshToken.refresh_hash == digest))
    raise _refuse(db, retired)


def session_for_access_token(db: Session, access_token: str) -> AuthSession:
    session = db.scalar(select(AuthSession).where(AuthSession.access_hash == token_hash(access_token)))
    if session is None or session.revoked_at is not None or session.access_expires_at <= utcnow():
        raise ApiError(401, "token_invalid", headers={"WWW-Authenticate": "Bearer"})
    return session


def revoke(db: Session, session: AuthSession) -> None:
    db.execute(update(AuthSession).where(AuthSession.id == session.id).values(revoked_at=utcnow()))
