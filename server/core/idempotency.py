"""Idempotency-Key on every write: a retried request gets the stored response, never a second effect.

The response is stored in the same transaction as the business write (`Idempotency.respond`). It is
encrypted with a key derived from the Idempotency-Key itself, which the server keeps only as a hash: a
copy of the database reveals no replayable response (log-in tokens, fast-channel passwords).

Of several requests arriving at once with one key, exactly one does the work (the one whose record INSERT
commits first); the others get its stored response, or 409 `idempotency_in_progress` with Retry-After while it
runs. A write that fails frees the key; a record left by a crashed attempt is taken over after
IN_FLIGHT_TIMEOUT.
"""

import datetime as dt
import hashlib
import os
from collections.abc import AsyncIterator
from typing import Annotated, Any, cast

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from fastapi import Depends, FastAPI, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.security.utils import get_authorization_scheme_param
from pydantic import BaseModel
from sqlalchemy import CursorResult, Integer, LargeBinary, String, UniqueConstraint, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from server.accounts.models import User
from server.accounts.tokens import session_for_access_token
from server.core.deps import DbSession
from server.core.errors import ApiError
from server.db import Base, UtcDateTime, utcnow

IN_FLIGHT_TIMEOUT = dt.timedelta(seconds=60)
IN_PROGRESS_RETRY_AFTER = "1"  # seconds: most writes finish well within one
RETENTION = dt.timedelta(hours=24)
MAX_KEY_LENGTH = 255


class IdempotencyRecord(Base):
    __tablename__ = "idempotency_records"
    __table_args__ = (UniqueConstraint("scope", "key_hash"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scope: Mapped[str] = mapped_column(String(32))
    key_hash: Mapped[str] = mapped_column(String(64))
    fingerprint: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int | None] = mapped_column(Integer)
    body: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)


class IdempotentReplay(Exception):
    def __init__(self, status_code: int, body: bytes) -> None:
        super().__init__("replay")
        self.status_code = status_code
        self.body = body


def _derive(purpose: str, key: str) -> bytes:
    return hashlib.sha256(f"{purpose}:{key}".encode()).digest()


class Idempotency:
    """Handed to write routes; `respond` commits the write together with its stored response."""

    def __init__(self, db: Session, record: IdempotencyRecord | None, key: str | None) -> None:
        self.db = db
        self.record = record
        self._key = key
        self.completed = False

    def respond(self, model: BaseModel, status_code: int = 200) -> Response:
        response = self.seal(model, status_code)
        self.db.commit()
        self.completed = True
        return response

    def seal(self, model: BaseModel, status_code: int = 200) -> Response:
        """Stores the response with the key in the current transaction, for whoever commits it."""
        body = model.model_dump_json().encode()
        if self.record is not None and self._key is not None:
            nonce = os.urandom(12)
            sealed = nonce + AESGCM(_derive("seal", self._key)).encrypt(nonce, body, None)
            self.record.status_code = status_code
            self.record.body = sealed
            self.db.add(self.record)
        return Response(body, status_code=status_code, media_type="application/json")

    def abandon(self) -> None:
        """The write failed: free the key so the caller can retry with it."""
        self.db.rollback()
        if self.record is not None:
            self.db.execute(
                delete(IdempotencyRecord).where(
                    IdempotencyRecord.id == self.record.id, IdempotencyRecord.status_code.is_(None)
                )
            )
            self.db.commit()


def _in_progress() -> ApiError:
    return ApiError(409, "idempotency_in_progress", "Idempotency-Key", headers={"Retry-After": IN_PROGRESS_RETRY_AFTER})


def _answer_used_key(existing: IdempotencyRecord, key: str, fingerprint: str) -> None:
    """What a key already used stands for: 422 for another body, the stored response once finished; returns while
    the first request is still running (the caller decides between 409 and taking over a dead attempt)."""
    if existing.fingerprint != fingerprint:
        raise ApiError(422, "idempotency_key_reused", "Idempotency-Key")
    if existing.status_code is not None and existing.body is not None:
        nonce, sealed = existing.body[:12], existing.body[12:]
        raise IdempotentReplay(existing.status_code, AESGCM(_derive("seal", key)).decrypt(nonce, sealed, None))


def _claim(db: Session, scope: str, key: str, fingerprint: str) -> IdempotencyRecord:
    """The pending record for this key, or the replay/conflict the key already stands for.

    The UNIQUE (scope, key_hash) constraint decides which of several simultaneous requests does the work:
    the one whose INSERT commits. The others read the winner's record and replay it or answer 409.
    """
    key_hash = _derive("lookup", key).hex()
    for _attempt in range(3):
        now = utcnow()
        record = IdempotencyRecord(scope=scope, key_hash=key_hash, fingerprint=fingerprint, created_at=now)
        db.add(record)
        try:
            db.commit()
        except IntegrityError:
            db.rollback()
        else:
            _purge_expired(db, now)
            return record
        existing = db.scalar(
            select(IdempotencyRecord).where(IdempotencyRecord.scope == scope, IdempotencyRecord.key_hash == key_hash)
        )
        if existing is None:
            continue  # the holder failed and freed the key in between: claim it again
        _answer_used_key(existing, key, fingerprint)
        if now - existing.created_at < IN_FLIGHT_TIMEOUT:
            raise _in_progress()
        if _take_over(db, existing, now):  # the first attempt died mid-way: this one takes over
            return existing
    raise _in_progress()


def _take_over(db: Session, stale: IdempotencyRecord, now: dt.datetime) -> bool:
    """Restart a dead attempt's record; a conditional UPDATE lets only one of several takers win."""
    taken = db.execute(
        update(IdempotencyRecord)
        .where(
            IdempotencyRecord.id == stale.id,
            IdempotencyRecord.created_at == stale.created_at,
            IdempotencyRecord.status_code.is_(None),
        )
        .values(created_at=now)
        .execution_options(synchronize_session=False)
    )
    db.commit()
    if cast(CursorResult[Any], taken).rowcount != 1:
        return False
    stale.created_at = now
    return True


def _purge_expired(db: Session, now: dt.datetime) -> None:
    db.execute(delete(IdempotencyRecord).where(IdempotencyRecord.created_at < now - RETENTION))
    db.commit()


def _caller(request: Request, db: Session) -> User | None:
    """Who sent a valid token, read from the header directly: a security dependency here would mark every write,
    register and log-in included, as needing a token in the OpenAPI document."""
    scheme, token = get_authorization_scheme_param(request.headers.get("authorization"))
    if scheme.lower() != "bearer" or not token:
        return None
    try:
        return session_for_access_token(db, token).user
    except ApiError:
        return None


def request_fingerprint(method: str, path: str, body: bytes) -> str:
    return hashlib.sha256(b"\n".join([method.encode(), path.encode(), body])).hexdigest()


async def idempotency(request: Request, db: DbSession) -> AsyncIterator[Idempotency]:
    key = request.headers.get("idempotency-key")
    record = None
    if key:
        if len(key) > MAX_KEY_LENGTH:
            raise ApiError(422, "value_invalid", "Idempotency-Key")
        fingerprint = request_fingerprint(request.method, request.url.path, await request.body())
        scope = _scope(await run_in_threadpool(_caller, request, db))
        record = await run_in_threadpool(_claim, db, scope, key, fingerprint)
    handle = Idempotency(db, record, key)
    try:
        yield handle
    finally:
        if not handle.completed:
            await run_in_threadpool(handle.abandon)


def _scope(caller: User | None) -> str:
    return f"user:{caller.id}" if caller is not None else "anonymous"


IdempotentWrite = Annotated[Idempotency, Depends(idempotency)]


def install_replay_handler(app: FastAPI) -> None:
    @app.exception_handler(IdempotentReplay)
    async def replay(_request: Request, exc: IdempotentReplay) -> Response:
        return Response(
            exc.body,
            status_code=exc.status_code,
            media_type="application/json",
            headers={"Idempotent-Replayed": "true"},
        )


def begin_write(db: Session, caller: User | None, key: str | None, fingerprint: str) -> Idempotency:
    """For routes that stream their own body (uploads): claim the key against a fingerprint they computed."""
    if key and len(key) > MAX_KEY_LENGTH:
        raise ApiError(422, "value_invalid", "Idempotency-Key")
    record = _claim(db, _scope(caller), key, fingerprint) if key else None
    return Idempotency(db, record, key)


def claim_in_transaction(db: Session, caller: User | None, key: str | None, fingerprint: str) -> Idempotency:
    """For writes that commit the key together with their change, in one transaction (group commit):
    raises the replay or conflict the key already stands for, else adds its pending record, uncommitted."""
    if not key:
        return Idempotency(db, None, None)
    if len(key) > MAX_KEY_LENGTH:
        raise ApiError(422, "value_invalid", "Idempotency-Key")
    scope, key_hash = _scope(caller), _derive("lookup", key).hex()

    def stand_by_existing() -> None:
        existing = db.scalar(
            select(IdempotencyRecord).where(IdempotencyRecord.scope == scope, IdempotencyRecord.key_hash == key_hash)
        )
        if existing is not None:
            _answer_used_key(existing, key, fingerprint)
            raise _in_progress()

    stand_by_existing()
    record = IdempotencyRecord(scope=scope, key_hash=key_hash, fingerprint=fingerprint, created_at=utcnow())
    try:  # a concurrent first use of the key (PostgreSQL: waits for it to commit) is answered as it then stands
        with db.begin_nested():
            db.add(record)
    except IntegrityError:
        stand_by_existing()
        raise _in_progress() from None
    return Idempotency(db, record, key)
