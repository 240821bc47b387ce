"""anonymous attachments for the fast channel: ownerless uploads, claimed once, throttled per address

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29 05:40:00

`attachments.owner_id` becomes nullable (an anonymous upload has no owner) and `claimed_at` records when such an
upload was attached to an appeal. On SQLite the NOT NULL is removed by editing the stored table definition, the
procedure SQLite documents for dropping a NOT NULL constraint (lang_altertable.html, "otheralter"): a batch copy
of the table would have to drop it, which foreign keys from appeal and application rows forbid inside the
migration's transaction.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import server.db

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _sqlite_owner_nullable(nullable: bool) -> None:
    connection = op.get_bind()
    (sql,) = connection.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'attachments'"
    ).one()
    required, optional = "owner_id INTEGER NOT NULL", "owner_id INTEGER"
    old, new = (required, optional) if nullable else (optional + ",", required + ",")
    if sql.count(old) != 1:
        raise RuntimeError("attachments.owner_id is not defined as this migration expects")
    (version,) = connection.exec_driver_sql("PRAGMA schema_version").one()
    connection.exec_driver_sql("PRAGMA writable_schema=ON")
    connection.exec_driver_sql(
        "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = 'attachments'", (sql.replace(old, new),)
    )
    connection.exec_driver_sql(f"PRAGMA schema_version={int(version) + 1}")
    connection.exec_driver_sql("PRAGMA writable_schema=OFF")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_owner_nullable(True)
    else:
        op.alter_column("attachments", "owner_id", existing_type=sa.Integer(), nullable=True)
    # Plain ADD COLUMN and CREATE INDEX (no batch copy), for the same reason.
    op.add_column("attachments", sa.Column("claimed_at", server.db.UtcDateTime(timezone=True), nullable=True))
    op.create_index("ix_attachments_unclaimed", "attachments", ["owner_id", "claimed_at", "created_at"])
    op.create_table(
        "anonymous_upload_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_address", sa.String(length=64), nullable=False),
        sa.Column("at", server.db.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_anonymous_upload_attempts")),
    )
    op.create_index(
        op.f("ix_anonymous_upload_attempts_client_address"), "anonymous_upload_attempts", ["client_address"]
    )
    op.create_index(op.f("ix_anonymous_upload_attempts_at"), "anonymous_upload_attempts", ["at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_anonymous_upload_attempts_at"), table_name="anonymous_upload_attempts")
    op.drop_index(op.f("ix_anonymous_upload_attempts_client_address"), table_name="anonymous_upload_attempts")
    op.drop_table("anonymous_upload_attempts")
    op.drop_index("ix_attachments_unclaimed", table_name="attachments")
    attached = op.get_bind().execute(sa.text("SELECT count(*) FROM attachments WHERE claimed_at IS NOT NULL")).scalar()
    if attached:
        raise RuntimeError(f"{attached} anonymous uploads are evidence of appeals: they need an owner to downgrade")
    op.execute("DELETE FROM attachments WHERE owner_id IS NULL")
    op.drop_column("attachments", "claimed_at")
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_owner_nullable(False)
    else:
        op.alter_column("attachments", "owner_id", existing_type=sa.Integer(), nullable=False)
