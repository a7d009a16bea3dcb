"""server-side moderator sessions (revocable on sign-out) and API token expiry (issue 5 §4)

Revision ID: 0002
Revises: perspective_0001
Create Date: 2026-11-25 08:00:00

Sessions signed before this revision carry no server-side id and are refused afterwards:
moderators sign in again once after the upgrade.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "perspective_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "moderator_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("moderator_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["moderator_id"],
            ["moderator.id"],
            name=op.f("fk_moderator_session_moderator_id_moderator"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_moderator_session")),
        sa.UniqueConstraint("secret_hash", name=op.f("uq_moderator_session_secret_hash")),
    )
    with op.batch_alter_table("moderator_session", schema=None) as batch_op:
        batch_op.create_index("ix_moderator_session_moderator", ["moderator_id"], unique=False)
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.add_column(sa.Column("expires_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.drop_column("expires_at")
    with op.batch_alter_table("moderator_session", schema=None) as batch_op:
        batch_op.drop_index("ix_moderator_session_moderator")
    op.drop_table("moderator_session")
