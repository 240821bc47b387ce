import datetime as dt

from sqlalchemy import ForeignKey, Integer, String
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
    id_number: Mapped[str | None] = mapped_column(String(18))
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
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)

    user: Mapped[User] = relationship(lazy="joined")


class LoginFailure(Base):
    """A failed log-in, kept in the database so every worker process sees the same count."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    phone: Mapped[str] = mapped_column(String(32), index=True)
    client_address: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)
