"""rostra's error tree. Every error has a stable ``code`` and a message a person understands.

The API turns each one into ``{"error": {"code", "message"}}`` with its HTTP status, so the
codes here are part of the public contract (docs/api.md lists them). Never reuse or rename one.
"""

from __future__ import annotations

from typing import Any, ClassVar


class RostraError(Exception):
    """Base class. ``code`` is stable; ``status`` is the HTTP status the API answers with."""

    code: ClassVar[str] = "error"
    status: ClassVar[int] = 400

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class InvalidInput(RostraError):
    code = "invalid_input"
    status = 422


class EmptyComment(InvalidInput):
    code = "comment_empty"


class CommentTooLong(InvalidInput):
    code = "comment_too_long"


class ForbiddenCharacters(InvalidInput):
    code = "forbidden_characters"


class InvalidParent(InvalidInput):
    code = "invalid_parent"


class InvalidReasons(InvalidInput):
    code = "invalid_reasons"


class InvalidCursor(InvalidInput):
    code = "invalid_cursor"
    status = 400


class InvalidSsoToken(RostraError):
    code = "invalid_sso_token"
    status = 401


class NotFound(RostraError):
    code = "not_found"
    status = 404


class ArticleNotFound(NotFound):
    code = "article_not_found"


class CommentNotFound(NotFound):
    code = "comment_not_found"


class AuthorNotFound(NotFound):
    code = "author_not_found"


class ModeratorNotFound(NotFound):
    code = "moderator_not_found"


class TokenNotFound(NotFound):
    code = "token_not_found"


class SiteNotFound(NotFound):
    code = "site_not_found"


class Conflict(RostraError):
    code = "conflict"
    status = 409


class ArticleExists(Conflict):
    code = "article_exists"


class ModeratorExists(Conflict):
    code = "moderator_exists"


class NotBanned(Conflict):
    code = "not_banned"


class AuthorBanned(RostraError):
    code = "author_banned"
    status = 403


class CommentImmutable(RostraError):
    """Raised by the store when anything tries to change accepted comment text."""

    code = "comment_immutable"
    status = 409


class AlreadyDecided(Conflict):
    """Raised by the store when the screen would decide a comment that is already decided.

    The screen decides only a pending comment with no decision: a moderator who decided while
    the screen was still reading is never overruled. No route answers with it.
    """

    code = "already_decided"


class DecisionImmutable(RostraError):
    """Raised by the store when anything tries to change or delete a recorded decision."""

    code = "decision_immutable"
    status = 409


class RateLimited(RostraError):
    code = "rate_limited"
    status = 429

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message, retry_after=retry_after)
        self.retry_after = max(1, int(retry_after))


class LoginThrottled(RateLimited):
    code = "login_throttled"


class AuthenticationRequired(RostraError):
    code = "authentication_required"
    status = 401


class InvalidCredentials(RostraError):
    code = "invalid_credentials"
    status = 401


class PermissionDenied(RostraError):
    code = "permission_denied"
    status = 403


class CsrfFailed(RostraError):
    code = "csrf_failed"
    status = 403
