"""article.passage_vector: the encoder's vector of an article, kept across workers and restarts

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07 07:10:00

Each ``rostra serve`` worker kept article vectors in memory only, so the first comment on an
article in every worker, and after every restart, paid for encoding the article (~100 ms of
one core). Both columns are nullable: existing articles get their vector from their next
comment. Downgrading drops the vectors, which are only a cache.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("article", schema=None) as batch_op:
        batch_op.add_column(sa.Column("passage_vector_key", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("passage_vector", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("article", schema=None) as batch_op:
        batch_op.drop_column("passage_vector")
        batch_op.drop_column("passage_vector_key")
