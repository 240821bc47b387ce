"""Log-in throttling by phone and by client address, counted in the database (shared by workers)."""

import datetime as dt
import math

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from server.accounts.models import LoginFailure
from server.core.errors import ApiError
from server.db import utcnow

WINDOW = dt.timedelta(minutes=15)
MAX_FAILURES = 10


def check_allowed(db: Session, phone: str, client_address: str) -> None:
    """429 with Retry-After once either the phone or the address has too many recent failures."""
    since = utcnow() - WINDOW
    for column, value in ((LoginFailure.phone, phone), (LoginFailure.client_address, client_address)):
        count, oldest = db.execute(
            select(func.count(), func.min(LoginFailure.at)).where(column == value, LoginFailure.at > since)
        ).one()
        if count >= MAX_FAILURES:
            oldest_at = oldest if oldest.tzinfo else oldest.replace(tzinfo=dt.UTC)
            wait = math.ceil((oldest_at + WINDOW - utcnow()).total_seconds())
            raise ApiError(429, "login_throttled", headers={"Retry-After": str(max(wait, 1))})


def record_failure(db: Session, phone: str, client_address: str) -> None:
    db.add(LoginFailure(phone=phone, client_address=client_address, at=utcnow()))
    db.execute(delete(LoginFailure).where(LoginFailure.at < utcnow() - WINDOW))


def clear_failures(db: Session, phone: str) -> None:
    """A successful log-in forgives the phone's failures, not the address's."""
    db.execute(delete(LoginFailure).where(LoginFailure.phone == phone))
