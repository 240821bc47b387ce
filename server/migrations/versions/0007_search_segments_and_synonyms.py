"""search index in packed segments; synonyms an administrator adds

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28 23:30:00

Posting rows (one per token and document, ~280 per article) become packed blocks per token and
segment. Documents already indexed keep their text and are re-indexed from it right after the
upgrade (`server.lifecycle.migrate` calls `server.search.indexing.index_unindexed`).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("search_postings", schema=None) as batch_op:
        batch_op.drop_index("ix_search_postings_document")
    op.drop_table("search_postings")
    op.drop_table("search_tokens")
    with op.batch_alter_table("search_documents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("segment", sa.Integer(), nullable=True))
        batch_op.create_index("ix_search_documents_segment", ["segment"], unique=False)
    op.create_table(
        "search_segments",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("scope", sa.SmallInteger(), nullable=False),
        sa.Column("documents", sa.Integer(), nullable=False),
        sa.Column("postings", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_segments")),
    )
    with op.batch_alter_table("search_segments", schema=None) as batch_op:
        batch_op.create_index("ix_search_segments_scope", ["scope", "id"], unique=False)
    op.create_table(
        "search_blocks",
        sa.Column("segment", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.Column("block", sa.SmallInteger(), nullable=False),
        sa.Column("postings", sa.Integer(), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("segment", "token", "block", name=op.f("pk_search_blocks")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "search_synonyms",
        sa.Column("word", sa.String(length=16), nullable=False),
        sa.Column("synonym", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("word", "synonym", name=op.f("pk_search_synonyms")),
    )


def downgrade() -> None:
    """Back to posting rows, empty: documents indexed since are found again only after re-seeding."""
    op.drop_table("search_synonyms")
    op.drop_table("search_blocks")
    with op.batch_alter_table("search_segments", schema=None) as batch_op:
        batch_op.drop_index("ix_search_segments_scope")
    op.drop_table("search_segments")
    with op.batch_alter_table("search_documents", schema=None) as batch_op:
        batch_op.drop_index("ix_search_documents_segment")
        batch_op.drop_column("segment")
    op.create_table(
        "search_tokens",
        sa.Column("scope", sa.SmallInteger(), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.Column("documents", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("scope", "token", name=op.f("pk_search_tokens")),
    )
    op.create_table(
        "search_postings",
        sa.Column("scope", sa.SmallInteger(), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.Column("weight", sa.SmallInteger(), nullable=False),
        sa.Column("published_on", sa.Date(), nullable=False),
        sa.Column("ref_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("scope", "token", "weight", "published_on", "ref_id", name=op.f("pk_search_postings")),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("search_postings", schema=None) as batch_op:
        batch_op.create_index("ix_search_postings_document", ["scope", "ref_id", "token", "weight"], unique=False)
