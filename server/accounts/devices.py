"""Devices that logged in before: each gets a random token, kept by the client and only hashed here.

A device token earns no access by itself; it only lets the owner's own phone or computer keep logging in
while strangers' wrong guesses have locked the phone number (see throttle.reserve_login_attempt).
"""

import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.accounts.models import TrustedDevice, User
from server.accounts.tokens import token_hash
from server.db import utcnow


def recognise(db: Session, device_token: str | None, phone: str) -> TrustedDevice | None:
    """The device behind this token, if it logged in to the account of this phone before."""
    if not device_token:
        return None
    device = db.scalar(select(TrustedDevice).where(TrustedDevice.token_hash == token_hash(device_token)))
    return device if device is not None and device.user.phone == phone else None


def trust(db: Session, user: User, known: TrustedDevice | None, sent_token: str | None) -> str:
    """The device token to hand back after a successful log-in: the same one, or a new one for a new device."""
    if known is not None and sent_token:
        known.last_login_at = utcnow()
        return sent_token
    token = secrets.token_urlsafe(32)
    db.add(TrustedDevice(user_id=user.id, token_hash=token_hash(token), last_login_at=utcnow()))
    return token
