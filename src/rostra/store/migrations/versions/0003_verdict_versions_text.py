"""verdict.model_version and policy_version as text: a policy's analyzers set their length

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07 03:40:00

``model_version`` joins every analyzer's version (the default screen's is 151 characters since
the lexicon and promotion lists carry content ids); a policy with a few more analyzers passed
200, and PostgreSQL then refused the verdict row, so the comment stayed pending with no
verdict. Downgrading truncates nothing: it fails on PostgreSQL if a longer value is stored.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("verdict", schema=None) as batch_op:
        batch_op.alter_column("model_version", existing_type=sa.String(length=200), type_=sa.Text())
        batch_op.alter_column(
            "policy_version", existing_type=sa.String(length=100), type_=sa.Text()
        )


def downgrade() -> None:
    with op.batch_alter_table("verdict", schema=None) as batch_op:
        batch_op.alter_column(
            "policy_version", existing_type=sa.Text(), type_=sa.String(length=100)
        )
        batch_op.alter_column("model_version", existing_type=sa.Text(), type_=sa.String(length=200))
