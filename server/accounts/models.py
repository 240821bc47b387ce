import datetime as dt

from sqlalchemy import ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.db import Base, UtcDateTime, utcnow
from server.departments.models import Department


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    phone: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(16), default="citizen")
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)
    # The resident ID number, AES-GCM encrypted with a key kept outside the database (server/core/field_crypto.py),
    # and its masked form for display, so showing the profile needs no key.
    id_number_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    id_number_masked: Mapped[str | None] = mapped_column(String(18))
    address: Mapped[str | None] = mapped_column(String(256))
    email: Mapped[str | None] = mapped_column(String(256))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)

    department: Mapped[Department | None] = relationship(lazy="joined")


class AuthSession(Base):
    """One log-in. Tokens are stored only as SHA-256 hashes, so a leaked table opens no account."""

    __tablename__ = "auth_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    access_hash: Mapped[str] = mapped_column(String(64), unique=True)
    refresh_hash: Mapped[str] = mapped_column(String(64), unique=True)
    previous_refresh_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    access_expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    refresh_expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    rotated_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    # The current pair sealed with a key derived from the previous refresh token: what a retried refresh gets back.
    grace_pair: Mapped[bytes | None] = mapped_column(LargeBinary)
    # How often the previous refresh token came back after the rotation (once is a retry; more is reuse).
    reuse_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)

    user: Mapped[User] = relationship(lazy="joined")


class RetiredRefreshToken(Base):
    """A refresh token replaced two or more rotations ago: presenting it again means it leaked."""

    __tablename__ = "retired_refresh_tokens"

    refresh_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("auth_sessions.id", ondelete="CASCADE"), index=True)
    retired_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class TrustedDevice(Base):
    """A device that logged in to this account before; it keeps its own log-in allowance (OWASP device cookie)."""

    __tablename__ = "trusted_devices"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    last_login_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)

    user: Mapped[User] = relationship(lazy="joined")


class LoginFailure(Base):
    """A failed log-in, kept in the database so every worker process sees the same count.

    A row is written before the password is checked (the attempt is reserved) and removed if it was right.
    """

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    phone: Mapped[str] = mapped_column(String(32), index=True)
    client_address: Mapped[str] = mapped_column(String(64), index=True)
    device_id: Mapped[int | None] = mapped_column(ForeignKey("trusted_devices.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)


class RegistrationAttempt(Base):
    """A registration from a client address, counted to stop phone-number probing."""

    __tablename__ = "registration_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_address: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)


class ThrottleLock(Base):
    """One row per throttled subject (a phone, an address, a device): writing it serialises that subject's checks."""

    __tablename__ = "throttle_locks"

    subject: Mapped[str] = mapped_column(String(96), primary_key=True)
