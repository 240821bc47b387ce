"""articles published by departments: one article per 文号, and the source an import came from

Revision ID: 0009
Revises: 0007
Create Date: 2026-11-29 00:10:00

A 文号 names one document, so it is unique (several articles may have none). `source_ref` is where an
imported article came from (`python -m server import-articles`), so a second import finds it again.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source_ref", sa.String(length=200), nullable=True))
        batch_op.create_index("ix_articles_source_ref", ["source_ref"], unique=True)
        batch_op.create_index("ix_articles_document_number", ["document_number"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.drop_index("ix_articles_document_number")
        batch_op.drop_index("ix_articles_source_ref")
        batch_op.drop_column("source_ref")
