"""Log-in and registration throttling, counted in the database (shared by workers) and checked atomically.

Each check first writes a lock row for its subjects (a phone, a client address, a device). On PostgreSQL that
upsert locks the row until commit, so two requests for one phone count one after the other; on SQLite it is
the transaction's first write, which takes the database's single write lock. The attempt is then recorded in
the same transaction, before the password is hashed, so at most MAX_FAILURES guesses are ever checked per
window however many arrive at once.
"""

import datetime as dt
import math
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, func, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from server.accounts.models import LoginFailure, RegistrationAttempt, ThrottleLock
from server.core.errors import ApiError
from server.db import utcnow

WINDOW = dt.timedelta(minutes=15)
MAX_FAILURES = 10
REGISTRATION_WINDOW = dt.timedelta(minutes=10)
MAX_REGISTRATIONS = 20


def _lock(db: Session, subjects: list[str]) -> None:
    insert = sqlite_insert if db.get_bind().dialect.name == "sqlite" else postgresql_insert
    for subject in sorted(subjects):  # one order everywhere: no deadlock between two workers
        statement = insert(ThrottleLock).values(subject=subject)
        db.execute(
            statement.on_conflict_do_update(index_elements=["subject"], set_={"subject": statement.excluded.subject})
        )


def _throttled(code: str, oldest: dt.datetime, window: dt.timedelta, now: dt.datetime) -> ApiError:
    wait = math.ceil((oldest + window - now).total_seconds())
    return ApiError(429, code, headers={"Retry-After": str(max(wait, 1))})


def reserve_login_attempt(db: Session, phone: str, client_address: str, device_id: int | None) -> int:
    """Counts this attempt as a failure before the password is checked (committed), or 429 with Retry-After.

    A device that logged in to this phone's account before has its own allowance; everyone else shares
    the phone's and is also limited per client address. Returns the counted attempt's id, for `withdraw`.
    """
    now = utcnow()
    since = now - WINDOW
    unknown_device = LoginFailure.device_id.is_(None)
    limits: dict[str, ColumnElement[bool]] = (
        {f"device:{device_id}": LoginFailure.device_id == device_id}
        if device_id is not None
        else {
            f"phone:{phone}": and_(LoginFailure.phone == phone, unknown_device),
            f"address:{client_address}": and_(LoginFailure.client_address == client_address, unknown_device),
        }
    )
    _lock(db, list(limits))
    for condition in limits.values():
        count, oldest = db.execute(
            select(func.count(), func.min(LoginFailure.at)).where(condition, LoginFailure.at > since)
        ).one()
        if count >= MAX_FAILURES:
            db.commit()
            raise _throttled("login_throttled", oldest, WINDOW, now)
    db.execute(delete(LoginFailure).where(LoginFailure.at <= since))
    attempt = LoginFailure(phone=phone, client_address=client_address, device_id=device_id, at=now)
    db.add(attempt)
    db.flush()
    attempt_id = attempt.id
    db.commit()
    return attempt_id


def withdraw(db: Session, attempt_id: int) -> None:
    """Uncounts an attempt whose password was never checked (the server was too busy to hear it): a crowd must not
    lock the owner out with failures nobody made."""
    db.execute(delete(LoginFailure).where(LoginFailure.id == attempt_id))
    db.commit()


def forgive(db: Session, phone: str, client_address: str, device_id: int | None) -> None:
    """A right password forgives the failures of whoever gave it: this device, or this address's unknown devices."""
    condition = (
        LoginFailure.device_id == device_id
        if device_id is not None
        else and_(
            LoginFailure.phone == phone, LoginFailure.client_address == client_address, LoginFailure.device_id.is_(None)
        )
    )
    db.execute(delete(LoginFailure).where(condition))


def reserve_registration(db: Session, client_address: str) -> None:
    """Counts a registration from this address (committed), or 429: stops probing which phones have accounts."""
    reserve_by_address(
        db, RegistrationAttempt, client_address, MAX_REGISTRATIONS, REGISTRATION_WINDOW, "register_throttled", utcnow()
    )


def reserve_by_address(
    db: Session,
    attempts: Any,
    client_address: str,
    limit: int,
    window: dt.timedelta,
    code: str,
    now: dt.datetime,
) -> None:
    """Counts one more attempt from `client_address` in the table `attempts` (columns client_address and at), or
    429 `code` with Retry-After once `limit` are within `window`. Committed at once; a lock row per address and
    table serialises the count across workers."""
    since = now - window
    _lock(db, [f"{attempts.__tablename__}:{client_address}"])
    count, oldest = db.execute(
        select(func.count(), func.min(attempts.at)).where(
            attempts.client_address == client_address, attempts.at > since
        )
    ).one()
    if count >= limit:
        db.commit()
        raise _throttled(code, oldest, window, now)
    db.execute(delete(attempts).where(attempts.at <= since))
    db.add(attempts(client_address=client_address, at=now))
    db.commit()
