"""The one table the Perspective endpoint owns: feedback from ``comments:suggestscore``.

Coral and other clients send a moderator's decision on each comment back as a suggested score
(Coral: ``APPROVED`` or ``DELETED`` with value 1; others ``TOXICITY`` 0 for approved, 1 for
rejected). rostra keeps it per site as labelled data for measuring and tuning the screen. The
comment text is kept only when the client did not ask otherwise (``doNotStore``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from rostra.events import utcnow
from rostra.store.base import Base

FEEDBACK_LABELS = ("approved", "rejected")


class PerspectiveFeedback(Base):
    __tablename__ = "perspective_feedback"
    __table_args__ = (
        CheckConstraint("label IN ('approved', 'rejected')", name="label"),
        Index("ix_perspective_feedback_site", "site_id", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[str] = mapped_column(String(64))
    #: The API token (role ``perspective``) that sent it; never the key itself.
    api_token_id: Mapped[int | None] = mapped_column(ForeignKey("api_token.id"), default=None)
    #: approved / rejected, derived from the suggested scores; NULL when they say neither.
    label: Mapped[str | None] = mapped_column(String(16), default=None)
    #: The suggested scores as sent: {ATTRIBUTE: value}.
    attribute_scores: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: The comment text; NULL when the client sent ``doNotStore: true``.
    text: Mapped[str | None] = mapped_column(Text, default=None)
    #: The client's context entries (Coral: its comment id and story URL); NULL with doNotStore.
    context: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    detected_language: Mapped[str | None] = mapped_column(String(16), default=None)
    community_id: Mapped[str | None] = mapped_column(String(500), default=None)
    client_token: Mapped[str | None] = mapped_column(String(500), default=None)
    session_id: Mapped[str | None] = mapped_column(String(200), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
