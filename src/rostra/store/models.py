"""rostra's tables. Singular snake_case names, ``*_at`` timestamps, ``*_id`` foreign keys.

Two rules are enforced here and again by database triggers (see the first migration):
comment text never changes after it is stored, and decisions are append-only.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rostra.events import utcnow
from rostra.store.base import Base

COMMENT_STATUSES = ("pending", "approved", "rejected")
MODERATION_MODES = ("pre", "assisted", "auto")
MODERATOR_ROLES = ("moderator", "admin")
TOKEN_ROLES = ("admin", "moderator", "perspective")


class Site(Base):
    __tablename__ = "site"
    __table_args__ = (
        CheckConstraint("moderation_mode IN ('pre', 'assisted', 'auto')", name="mode"),
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    moderation_mode: Mapped[str] = mapped_column(String(16), default="pre")
    #: The site's policy file (TOML text); the process default policy when NULL.
    policy_toml: Mapped[str | None] = mapped_column(Text, default=None)
    #: Shared secret for publisher SSO (HS256 JWT); SSO disabled when NULL.
    sso_secret: Mapped[str | None] = mapped_column(String(200), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Article(Base):
    __tablename__ = "article"

    #: The publisher's own article id.
    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    site_id: Mapped[str] = mapped_column(ForeignKey("site.id"), index=True)
    url: Mapped[str] = mapped_column(String(2000))
    title: Mapped[str] = mapped_column(String(500))
    body: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: The encoder's vector of the article's passage (384 little-endian float32), kept so
    #: that no worker and no restart encodes an article twice; ``passage_vector_key`` names
    #: the encoder and the passage it was computed from (``Embedder.passage_key``). Deferred:
    #: only the comment path reads it.
    passage_vector_key: Mapped[str | None] = mapped_column(String(64), default=None, deferred=True)
    passage_vector: Mapped[bytes | None] = mapped_column(LargeBinary, default=None, deferred=True)


class Author(Base):
    __tablename__ = "author"
    __table_args__ = (
        UniqueConstraint("site_id", "identity_key", name="uq_author_site_identity"),
        CheckConstraint("kind IN ('guest', 'sso')", name="kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[str] = mapped_column(ForeignKey("site.id"))
    kind: Mapped[str] = mapped_column(String(8))
    #: Stable key for "the same author": the SSO subject, the e-mail hash, or name + IP hash.
    identity_key: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(200))
    #: Keyed hash of the normalized e-mail address; the address itself is never stored.
    email_hash: Mapped[str | None] = mapped_column(String(64), default=None)
    sso_subject: Mapped[str | None] = mapped_column(String(200), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Comment(Base):
    __tablename__ = "comment"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'approved', 'rejected')", name="status"),
        Index("ix_comment_article_status", "article_id", "status", "id"),
        Index("ix_comment_status_id", "status", "id"),
        Index("ix_comment_root", "root_id"),
        Index("ix_comment_author", "author_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[str] = mapped_column(ForeignKey("site.id"))
    article_id: Mapped[str] = mapped_column(ForeignKey("article.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("author.id"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comment.id"), default=None)
    #: The top of the reply thread (NULL for a top-level comment), for one-query threads.
    root_id: Mapped[int | None] = mapped_column(ForeignKey("comment.id"), default=None)
    #: Immutable: a store listener and a database trigger refuse any change.
    text: Mapped[str] = mapped_column(Text)
    #: Projection of the latest decision; "pending" until one exists.
    status: Mapped[str] = mapped_column(String(16), default="pending")
    language: Mapped[str | None] = mapped_column(String(16), default=None)
    #: Keyed hash of the anonymized address (ADR 0003); never the address itself.
    ip_hash: Mapped[str | None] = mapped_column(String(64), default=None)
    author_token_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(default=None)

    author: Mapped[Author] = relationship(lazy="joined", innerjoin=True)
    article: Mapped[Article] = relationship(lazy="raise")


class Verdict(Base):
    __tablename__ = "verdict"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comment.id"), index=True)
    recommendation: Mapped[str] = mapped_column(String(16))
    language: Mapped[str] = mapped_column(String(16))
    language_confidence: Mapped[float]
    scores: Mapped[dict[str, Any]] = mapped_column(JSON)
    reasons: Mapped[list[str]] = mapped_column(JSON)
    evidence: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    errors: Mapped[list[str]] = mapped_column(JSON)
    # Text: the length grows with the analyzers a policy lists (migration 0003).
    model_version: Mapped[str] = mapped_column(Text)
    policy_version: Mapped[str] = mapped_column(Text)
    elapsed_ms: Mapped[float]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Decision(Base):
    """Append-only: a later decision supersedes an earlier one, never overwrites it."""

    __tablename__ = "decision"
    __table_args__ = (
        CheckConstraint("decision IN ('approve', 'reject')", name="decision"),
        CheckConstraint("actor_kind IN ('screen', 'moderator')", name="actor_kind"),
        Index("ix_decision_comment", "comment_id", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comment.id"))
    decision: Mapped[str] = mapped_column(String(16))
    reasons: Mapped[list[str]] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(Text, default=None)
    actor_kind: Mapped[str] = mapped_column(String(16))
    #: Who decided, as the audit log names them: ``screen``, ``moderator:<id>``, ``token:<id>``.
    actor: Mapped[str] = mapped_column(String(200))
    moderator_id: Mapped[int | None] = mapped_column(ForeignKey("moderator.id"), default=None)
    #: The decision this one replaces (NULL for the first).
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("decision.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Ban(Base):
    __tablename__ = "ban"
    __table_args__ = (Index("ix_ban_author", "author_id", "lifted_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[str] = mapped_column(ForeignKey("site.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("author.id"))
    reason: Mapped[str | None] = mapped_column(Text, default=None)
    #: NULL means until lifted.
    until: Mapped[datetime | None] = mapped_column(default=None)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    lifted_at: Mapped[datetime | None] = mapped_column(default=None)
    lifted_by: Mapped[str | None] = mapped_column(String(200), default=None)


class Moderator(Base):
    __tablename__ = "moderator"
    __table_args__ = (CheckConstraint("role IN ('moderator', 'admin')", name="role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    #: argon2id hash (argon2-cffi).
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(16), default="moderator")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(default=None)


class ApiToken(Base):
    __tablename__ = "api_token"
    __table_args__ = (
        CheckConstraint("role IN ('admin', 'moderator', 'perspective')", name="role"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    #: SHA-256 of the token; the token itself is shown once and never stored.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: The first characters, so people can tell their tokens apart.
    prefix: Mapped[str] = mapped_column(String(16))
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
    #: Refused from this moment on; None: valid until revoked.
    expires_at: Mapped[datetime | None] = mapped_column(default=None)


class ModeratorSession(Base):
    """A signed-in browser. The cookie names it, so signing out can end it on the server.

    Only a hash of the cookie's random part is stored: a copy of the table opens no session.
    """

    __tablename__ = "moderator_session"
    __table_args__ = (Index("ix_moderator_session_moderator", "moderator_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: SHA-256 of the random secret carried in the signed cookie.
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    moderator_id: Mapped[int] = mapped_column(ForeignKey("moderator.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)


class AuditEvent(Base):
    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_subject", "subject_type", "subject_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    actor: Mapped[str] = mapped_column(String(200))
    subject_type: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[str] = mapped_column(String(200))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Report(Base):
    __tablename__ = "report"
    __table_args__ = (
        UniqueConstraint("comment_id", "reporter_key", name="uq_report_comment_reporter"),
        Index("ix_report_open", "comment_id", "resolved_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comment.id"))
    #: A guideline category the reader chose, if any.
    reason: Mapped[str | None] = mapped_column(String(64), default=None)
    note: Mapped[str | None] = mapped_column(Text, default=None)
    #: Who reported: the reader's anonymized IP hash (one open report per reader per comment).
    reporter_key: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Set when a moderator decides the comment after the report.
    resolved_at: Mapped[datetime | None] = mapped_column(default=None)


class RateCounter(Base):
    """Fixed-window counters shared by every process through the database."""

    __tablename__ = "rate_counter"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    window_start: Mapped[int] = mapped_column(Integer, primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class LoginThrottle(Base):
    """Failed-login state per account and per anonymized IP (key ``account:…``/``ip:…``)."""

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime]
    blocked_until: Mapped[datetime | None] = mapped_column(default=None)
