"""Perspective's errors in Google's JSON error envelope.

Clients written for Google parse ``{"error": {"code", "message", "status", "details"}}``; the
``details`` entry of type ``google.commentanalyzer.v1alpha1.Error`` carries Perspective's
``errorType``. Messages never echo the comment text or the API key.
"""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse

ERROR_DETAIL_TYPE = "type.googleapis.com/google.commentanalyzer.v1alpha1.Error"

#: HTTP status -> Google's canonical status name.
_STATUS_NAMES = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    413: "INVALID_ARGUMENT",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
}


class PerspectiveError(Exception):
    """An error answered in Google's envelope. ``error_type`` is Perspective's ``errorType``."""

    def __init__(
        self,
        message: str,
        *,
        code: int = 400,
        error_type: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.error_type = error_type
        self.headers = headers or {}

    @property
    def status(self) -> str:
        return _STATUS_NAMES.get(self.code, "UNKNOWN")

    def envelope(self) -> dict[str, Any]:
        error: dict[str, Any] = {
            "code": self.code,
            "message": self.message,
            "status": self.status,
        }
        if self.error_type is not None:
            error["details"] = [{"@type": ERROR_DETAIL_TYPE, "errorType": self.error_type}]
        return {"error": error}

    def response(self) -> JSONResponse:
        return JSONResponse(self.envelope(), status_code=self.code, headers=self.headers)


def comment_empty() -> PerspectiveError:
    return PerspectiveError("Comment must be non-empty.", error_type="COMMENT_EMPTY")


def comment_too_long(limit: int) -> PerspectiveError:
    return PerspectiveError(
        f"Comment text too long; the limit is {limit} bytes of UTF-8.",
        error_type="COMMENT_TOO_LONG",
    )


_LONE_SURROGATE = "a lone UTF-16 surrogate (half of a character, not valid Unicode text)"


def lone_surrogate(where: str, codepoint: int, offset: int) -> PerspectiveError:
    """A field of the request (``where``) holds a lone surrogate; ``offset`` in UTF-16 units."""
    shown = "".join(ch for ch in where if ch.isprintable())
    return PerspectiveError(
        f"Invalid JSON payload received. Invalid value at '{shown}': it contains "
        f"{_LONE_SURROGATE}: U+{codepoint:04X} at offset {offset} (UTF-16 code units). "
        "Remove it and try again."
    )


def no_requested_attributes() -> PerspectiveError:
    return PerspectiveError(
        "No attributes requested: requestedAttributes must name at least one attribute.",
        error_type="NO_REQUESTED_ATTRIBUTES",
    )


def unknown_attribute(name: str) -> PerspectiveError:
    # The name comes from the client; keep it short and printable in the message.
    shown = "".join(ch for ch in name[:64] if ch.isprintable())
    # Perspective answers this one with the message alone (no errorType); clients match it.
    return PerspectiveError(f"Unknown requested attribute: {shown}")


def invalid_argument(message: str) -> PerspectiveError:
    return PerspectiveError(message)


def missing_key() -> PerspectiveError:
    return PerspectiveError("The request is missing a valid API key.", code=403)


def invalid_key() -> PerspectiveError:
    return PerspectiveError("API key not valid. Please pass a valid API key.", code=400)


def rate_limited(retry_after: int) -> PerspectiveError:
    return PerspectiveError(
        "Quota exceeded for this API key: too many requests per minute. "
        f"Retry after {retry_after} seconds.",
        code=429,
        headers={"Retry-After": str(retry_after)},
    )


def screen_unavailable() -> PerspectiveError:
    return PerspectiveError(
        "The screen could not read this comment completely; retry, or send the comment to "
        "human review.",
        code=503,
        headers={"Retry-After": "5"},
    )
