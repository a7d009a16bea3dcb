"""perspective feedback: labelled decisions sent to comments:suggestscore (issue 6)

Revision ID: perspective_0001
Revises: 0001
Create Date: 2026-11-25 05:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "perspective_0001"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "perspective_feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.String(length=64), nullable=False),
        sa.Column("api_token_id", sa.Integer(), nullable=True),
        sa.Column("label", sa.String(length=16), nullable=True),
        sa.Column("attribute_scores", sa.JSON(), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("context", sa.JSON(), nullable=True),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("detected_language", sa.String(length=16), nullable=True),
        sa.Column("community_id", sa.String(length=500), nullable=True),
        sa.Column("client_token", sa.String(length=500), nullable=True),
        sa.Column("session_id", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "label IN ('approved', 'rejected')", name=op.f("ck_perspective_feedback_label")
        ),
        sa.ForeignKeyConstraint(
            ["api_token_id"],
            ["api_token.id"],
            name=op.f("fk_perspective_feedback_api_token_id_api_token"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_perspective_feedback")),
    )
    with op.batch_alter_table("perspective_feedback", schema=None) as batch_op:
        batch_op.create_index("ix_perspective_feedback_site", ["site_id", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("perspective_feedback", schema=None) as batch_op:
        batch_op.drop_index("ix_perspective_feedback_site")
    op.drop_table("perspective_feedback")
