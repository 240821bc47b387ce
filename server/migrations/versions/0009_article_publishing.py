"""articles published by departments: one article per 文号, and the source an import came from

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 00:10:00

A 文号 names one document, so it is unique (several articles may have none). `source_ref` is where an
imported article came from (`python -m server import-articles`), so a second import finds it again.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ALTER TABLE ADD COLUMN and CREATE INDEX (no batch copy): other tables reference articles, and
    # SQLite refuses to drop a referenced table while foreign keys are on.
    op.add_column("articles", sa.Column("source_ref", sa.String(length=200), nullable=True))
    op.create_index("ix_articles_source_ref", "articles", ["source_ref"], unique=True)
    op.create_index("ix_articles_document_number", "articles", ["document_number"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_articles_document_number", table_name="articles")
    op.drop_index("ix_articles_source_ref", table_name="articles")
    op.drop_column("articles", "source_ref")
