"""Audit events: what happened, who did it, when. Names are past tense ("decision-made").

The store writes each one as an ``audit_event`` row in the same transaction as the change it
describes, so the audit log never disagrees with the data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    name: ClassVar[str] = "event"

    actor: str
    subject_type: str
    subject_id: str
    data: dict[str, Any] = field(default_factory=dict)
    at: datetime = field(default_factory=utcnow)


@dataclass(frozen=True, slots=True, kw_only=True)
class CommentAccepted(Event):
    name: ClassVar[str] = "comment-accepted"


@dataclass(frozen=True, slots=True, kw_only=True)
class VerdictIssued(Event):
    name: ClassVar[str] = "verdict-issued"


@dataclass(frozen=True, slots=True, kw_only=True)
class ScreenFailed(Event):
    name: ClassVar[str] = "screen-failed"


@dataclass(frozen=True, slots=True, kw_only=True)
class DecisionMade(Event):
    name: ClassVar[str] = "decision-made"


@dataclass(frozen=True, slots=True, kw_only=True)
class CommentReported(Event):
    name: ClassVar[str] = "comment-reported"


@dataclass(frozen=True, slots=True, kw_only=True)
class AuthorBanned(Event):
    name: ClassVar[str] = "author-banned"


@dataclass(frozen=True, slots=True, kw_only=True)
class AuthorUnbanned(Event):
    name: ClassVar[str] = "author-unbanned"


@dataclass(frozen=True, slots=True, kw_only=True)
class ArticleCreated(Event):
    name: ClassVar[str] = "article-created"


@dataclass(frozen=True, slots=True, kw_only=True)
class ModeratorCreated(Event):
    name: ClassVar[str] = "moderator-created"


@dataclass(frozen=True, slots=True, kw_only=True)
class ModeratorChanged(Event):
    name: ClassVar[str] = "moderator-changed"


@dataclass(frozen=True, slots=True, kw_only=True)
class TokenCreated(Event):
    name: ClassVar[str] = "token-created"


@dataclass(frozen=True, slots=True, kw_only=True)
class TokenRevoked(Event):
    name: ClassVar[str] = "token-revoked"


@dataclass(frozen=True, slots=True, kw_only=True)
class LoginSucceeded(Event):
    name: ClassVar[str] = "login-succeeded"


@dataclass(frozen=True, slots=True, kw_only=True)
class LoginFailed(Event):
    name: ClassVar[str] = "login-failed"


@dataclass(frozen=True, slots=True, kw_only=True)
class SiteChanged(Event):
    name: ClassVar[str] = "site-changed"
