"""account hardening: sealed resident ID numbers, refresh-token reuse detection, atomic throttles, trusted devices

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 23:40:00

The plain `users.id_number` values are encrypted with the key `server.lifecycle.migrate` hands over
(config attribute "id_cipher", see server/core/field_crypto.py) and the plain column is dropped.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import context, op

import server.db
from api_client.validation import mask_id_number
from server.core.field_crypto import FieldCipher, id_number_context

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _cipher() -> FieldCipher:
    cipher = context.config.attributes.get("id_cipher")
    if cipher is None:
        raise RuntimeError("resident ID numbers need the ID key: migrate with server.lifecycle.prepare(settings)")
    return cipher


_plain_users = sa.table(
    "users",
    sa.column("id", sa.Integer),
    sa.column("id_number", sa.String),
    sa.column("id_number_sealed", sa.LargeBinary),
    sa.column("id_number_masked", sa.String),
)


def upgrade() -> None:
    connection = op.get_bind()
    users = _plain_users
    plain = connection.execute(sa.select(users.c.id, users.c.id_number).where(users.c.id_number.is_not(None))).all()
    cipher = _cipher() if plain else None  # before any change: SQLite does not roll DDL back here
    op.create_table(
        "trusted_devices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("last_login_at", server.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_trusted_devices_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trusted_devices")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_trusted_devices_token_hash")),
    )
    op.create_index(op.f("ix_trusted_devices_user_id"), "trusted_devices", ["user_id"], unique=False)
    op.create_table(
        "retired_refresh_tokens",
        sa.Column("refresh_hash", sa.String(length=64), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("retired_at", server.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["auth_sessions.id"],
            name=op.f("fk_retired_refresh_tokens_session_id_auth_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("refresh_hash", name=op.f("pk_retired_refresh_tokens")),
    )
    op.create_index(
        op.f("ix_retired_refresh_tokens_session_id"), "retired_refresh_tokens", ["session_id"], unique=False
    )
    op.create_table(
        "registration_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_address", sa.String(length=64), nullable=False),
        sa.Column("at", server.db.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registration_attempts")),
    )
    op.create_index(op.f("ix_registration_attempts_at"), "registration_attempts", ["at"], unique=False)
    op.create_index(
        op.f("ix_registration_attempts_client_address"), "registration_attempts", ["client_address"], unique=False
    )
    op.create_table(
        "throttle_locks",
        sa.Column("subject", sa.String(length=96), nullable=False),
        sa.PrimaryKeyConstraint("subject", name=op.f("pk_throttle_locks")),
    )
    op.add_column("auth_sessions", sa.Column("grace_pair", sa.LargeBinary(), nullable=True))
    op.add_column("auth_sessions", sa.Column("reuse_count", sa.Integer(), server_default="0", nullable=False))
    # Nothing references login_failures, so SQLite may rebuild it to add the foreign key.
    with op.batch_alter_table("login_failures", schema=None) as batch_op:
        batch_op.add_column(sa.Column("device_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_login_failures_device_id_trusted_devices"),
            "trusted_devices",
            ["device_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.create_index(batch_op.f("ix_login_failures_device_id"), ["device_id"], unique=False)

    op.add_column("users", sa.Column("id_number_sealed", sa.LargeBinary(), nullable=True))
    op.add_column("users", sa.Column("id_number_masked", sa.String(length=18), nullable=True))
    if cipher is not None:
        for user_id, id_number in plain:
            normalised = id_number.upper()
            connection.execute(
                users.update()
                .where(users.c.id == user_id)
                .values(
                    id_number_sealed=cipher.seal(normalised, id_number_context(user_id)),
                    id_number_masked=mask_id_number(normalised),
                    id_number=None,
                )
            )
    # A plain DROP COLUMN: rebuilding `users` on SQLite would cascade-delete every session.
    op.execute("ALTER TABLE users DROP COLUMN id_number")


def downgrade() -> None:
    op.add_column("users", sa.Column("id_number", sa.String(length=18), nullable=True))
    users = sa.table(
        "users", sa.column("id", sa.Integer), sa.column("id_number", sa.String), sa.column("id_number_sealed", sa.LargeBinary)
    )
    connection = op.get_bind()
    sealed = connection.execute(
        sa.select(users.c.id, users.c.id_number_sealed).where(users.c.id_number_sealed.is_not(None))
    ).all()
    if sealed:
        cipher = _cipher()
        for user_id, value in sealed:
            connection.execute(
                users.update().where(users.c.id == user_id).values(id_number=cipher.open(value, id_number_context(user_id)))
            )
    op.execute("ALTER TABLE users DROP COLUMN id_number_masked")
    op.execute("ALTER TABLE users DROP COLUMN id_number_sealed")
    with op.batch_alter_table("login_failures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_login_failures_device_id"))
        batch_op.drop_constraint(batch_op.f("fk_login_failures_device_id_trusted_devices"), type_="foreignkey")
        batch_op.drop_column("device_id")
    op.drop_column("auth_sessions", "reuse_count")
    op.drop_column("auth_sessions", "grace_pair")
    op.drop_table("throttle_locks")
    op.drop_index(op.f("ix_registration_attempts_client_address"), table_name="registration_attempts")
    op.drop_index(op.f("ix_registration_attempts_at"), table_name="registration_attempts")
    op.drop_table("registration_attempts")
    op.drop_index(op.f("ix_retired_refresh_tokens_session_id"), table_name="retired_refresh_tokens")
    op.drop_table("retired_refresh_tokens")
    op.drop_index(op.f("ix_trusted_devices_user_id"), table_name="trusted_devices")
    op.drop_table("trusted_devices")
