"""Initial schema: every table, plus the triggers that keep comment text immutable
and decisions append-only even against raw SQL.

Revision ID: 0001
Revises:
Create Date: 2026-11-25 04:57:36.437888
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    _create_tables()
    _create_guards()


def _create_tables() -> None:

    op.create_table(
        "api_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "role IN ('admin', 'moderator', 'perspective')", name=op.f("ck_api_token_role")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_token_token_hash")),
    )
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("subject_type", sa.String(length=32), nullable=False),
        sa.Column("subject_id", sa.String(length=200), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index(
            "ix_audit_event_subject", ["subject_type", "subject_id"], unique=False
        )

    op.create_table(
        "login_throttle",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", sa.DateTime(), nullable=False),
        sa.Column("blocked_until", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_login_throttle")),
    )
    op.create_table(
        "moderator",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("password_hash", sa.String(length=300), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_login_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint("role IN ('moderator', 'admin')", name=op.f("ck_moderator_role")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_moderator")),
        sa.UniqueConstraint("username", name=op.f("uq_moderator_username")),
    )
    op.create_table(
        "rate_counter",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("window_start", sa.Integer(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key", "window_start", name=op.f("pk_rate_counter")),
    )
    op.create_table(
        "site",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("moderation_mode", sa.String(length=16), nullable=False),
        sa.Column("policy_toml", sa.Text(), nullable=True),
        sa.Column("sso_secret", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "moderation_mode IN ('pre', 'assisted', 'auto')", name=op.f("ck_site_mode")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_site")),
    )
    op.create_table(
        "article",
        sa.Column("id", sa.String(length=200), nullable=False),
        sa.Column("site_id", sa.String(length=64), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["site_id"], ["site.id"], name=op.f("fk_article_site_id_site")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_article")),
    )
    with op.batch_alter_table("article", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_article_site_id"), ["site_id"], unique=False)

    op.create_table(
        "author",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("identity_key", sa.String(length=200), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("email_hash", sa.String(length=64), nullable=True),
        sa.Column("sso_subject", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("kind IN ('guest', 'sso')", name=op.f("ck_author_kind")),
        sa.ForeignKeyConstraint(["site_id"], ["site.id"], name=op.f("fk_author_site_id_site")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_author")),
        sa.UniqueConstraint("site_id", "identity_key", name="uq_author_site_identity"),
    )
    op.create_table(
        "ban",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.String(length=64), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("until", sa.DateTime(), nullable=True),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("lifted_at", sa.DateTime(), nullable=True),
        sa.Column("lifted_by", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(["author_id"], ["author.id"], name=op.f("fk_ban_author_id_author")),
        sa.ForeignKeyConstraint(["site_id"], ["site.id"], name=op.f("fk_ban_site_id_site")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ban")),
    )
    with op.batch_alter_table("ban", schema=None) as batch_op:
        batch_op.create_index("ix_ban_author", ["author_id", "lifted_at"], unique=False)

    op.create_table(
        "comment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.String(length=64), nullable=False),
        sa.Column("article_id", sa.String(length=200), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("root_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=True),
        sa.Column("ip_hash", sa.String(length=64), nullable=True),
        sa.Column("author_token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'approved', 'rejected')", name=op.f("ck_comment_status")
        ),
        sa.ForeignKeyConstraint(
            ["article_id"], ["article.id"], name=op.f("fk_comment_article_id_article")
        ),
        sa.ForeignKeyConstraint(
            ["author_id"], ["author.id"], name=op.f("fk_comment_author_id_author")
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["comment.id"], name=op.f("fk_comment_parent_id_comment")
        ),
        sa.ForeignKeyConstraint(
            ["root_id"], ["comment.id"], name=op.f("fk_comment_root_id_comment")
        ),
        sa.ForeignKeyConstraint(["site_id"], ["site.id"], name=op.f("fk_comment_site_id_site")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comment")),
    )
    with op.batch_alter_table("comment", schema=None) as batch_op:
        batch_op.create_index(
            "ix_comment_article_status", ["article_id", "status", "id"], unique=False
        )
        batch_op.create_index("ix_comment_author", ["author_id"], unique=False)
        batch_op.create_index("ix_comment_root", ["root_id"], unique=False)
        batch_op.create_index("ix_comment_status_id", ["status", "id"], unique=False)

    op.create_table(
        "decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("comment_id", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("actor_kind", sa.String(length=16), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("moderator_id", sa.Integer(), nullable=True),
        sa.Column("supersedes_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "actor_kind IN ('screen', 'moderator')", name=op.f("ck_decision_actor_kind")
        ),
        sa.CheckConstraint("decision IN ('approve', 'reject')", name=op.f("ck_decision_decision")),
        sa.ForeignKeyConstraint(
            ["comment_id"], ["comment.id"], name=op.f("fk_decision_comment_id_comment")
        ),
        sa.ForeignKeyConstraint(
            ["moderator_id"], ["moderator.id"], name=op.f("fk_decision_moderator_id_moderator")
        ),
        sa.ForeignKeyConstraint(
            ["supersedes_id"], ["decision.id"], name=op.f("fk_decision_supersedes_id_decision")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision")),
    )
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.create_index("ix_decision_comment", ["comment_id", "id"], unique=False)

    op.create_table(
        "report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("comment_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=64), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("reporter_key", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["comment_id"], ["comment.id"], name=op.f("fk_report_comment_id_comment")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report")),
        sa.UniqueConstraint("comment_id", "reporter_key", name="uq_report_comment_reporter"),
    )
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.create_index("ix_report_open", ["comment_id", "resolved_at"], unique=False)

    op.create_table(
        "verdict",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("comment_id", sa.Integer(), nullable=False),
        sa.Column("recommendation", sa.String(length=16), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("language_confidence", sa.Double(), nullable=False),
        sa.Column("scores", sa.JSON(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("errors", sa.JSON(), nullable=False),
        sa.Column("model_version", sa.String(length=200), nullable=False),
        sa.Column("policy_version", sa.String(length=100), nullable=False),
        sa.Column("elapsed_ms", sa.Double(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["comment_id"], ["comment.id"], name=op.f("fk_verdict_comment_id_comment")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_verdict")),
    )
    with op.batch_alter_table("verdict", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_verdict_comment_id"), ["comment_id"], unique=False)


def downgrade() -> None:
    _drop_guards()
    _drop_tables()


def _drop_tables() -> None:

    with op.batch_alter_table("verdict", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_verdict_comment_id"))

    op.drop_table("verdict")
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.drop_index("ix_report_open")

    op.drop_table("report")
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.drop_index("ix_decision_comment")

    op.drop_table("decision")
    with op.batch_alter_table("comment", schema=None) as batch_op:
        batch_op.drop_index("ix_comment_status_id")
        batch_op.drop_index("ix_comment_root")
        batch_op.drop_index("ix_comment_author")
        batch_op.drop_index("ix_comment_article_status")

    op.drop_table("comment")
    with op.batch_alter_table("ban", schema=None) as batch_op:
        batch_op.drop_index("ix_ban_author")

    op.drop_table("ban")
    op.drop_table("author")
    with op.batch_alter_table("article", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_article_site_id"))

    op.drop_table("article")
    op.drop_table("site")
    op.drop_table("rate_counter")
    op.drop_table("moderator")
    op.drop_table("login_throttle")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_event_subject")

    op.drop_table("audit_event")
    op.drop_table("api_token")


_SQLITE_GUARDS = (
    """
    CREATE TRIGGER comment_text_immutable BEFORE UPDATE OF text ON comment
    WHEN NEW.text IS NOT OLD.text
    BEGIN SELECT RAISE(ABORT, 'comment text is immutable'); END
    """,
    """
    CREATE TRIGGER comment_never_deleted BEFORE DELETE ON comment
    BEGIN SELECT RAISE(ABORT, 'comments are never deleted'); END
    """,
    """
    CREATE TRIGGER decision_no_update BEFORE UPDATE ON decision
    BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END
    """,
    """
    CREATE TRIGGER decision_no_delete BEFORE DELETE ON decision
    BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END
    """,
)

_POSTGRES_GUARDS = (
    """
    CREATE FUNCTION rostra_comment_text_immutable() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'comment text is immutable'
            USING ERRCODE = 'integrity_constraint_violation';
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE FUNCTION rostra_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION '% rows are append-only', TG_TABLE_NAME
            USING ERRCODE = 'integrity_constraint_violation';
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER comment_text_immutable BEFORE UPDATE OF text ON comment
    FOR EACH ROW WHEN (NEW.text IS DISTINCT FROM OLD.text)
    EXECUTE FUNCTION rostra_comment_text_immutable()
    """,
    """
    CREATE TRIGGER comment_never_deleted BEFORE DELETE ON comment
    FOR EACH ROW EXECUTE FUNCTION rostra_append_only()
    """,
    """
    CREATE TRIGGER decision_no_update BEFORE UPDATE OR DELETE ON decision
    FOR EACH ROW EXECUTE FUNCTION rostra_append_only()
    """,
)


def _create_guards() -> None:
    dialect = op.get_bind().dialect.name
    statements = _POSTGRES_GUARDS if dialect == "postgresql" else _SQLITE_GUARDS
    for statement in statements:
        op.execute(statement)


def _drop_guards() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS decision_no_update ON decision")
        op.execute("DROP TRIGGER IF EXISTS comment_never_deleted ON comment")
        op.execute("DROP TRIGGER IF EXISTS comment_text_immutable ON comment")
        op.execute("DROP FUNCTION IF EXISTS rostra_append_only()")
        op.execute("DROP FUNCTION IF EXISTS rostra_comment_text_immutable()")
    else:
        for name in (
            "decision_no_delete",
            "decision_no_update",
            "comment_never_deleted",
            "comment_text_immutable",
        ):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
