"""Moderator sessions: a signed, HttpOnly, SameSite=Lax cookie plus a CSRF double-submit token.

The session cookie carries the moderator id, the secret naming its server-side session row
(:func:`rostra.services.accounts.open_session`) and a random CSRF token, signed with the site
secret (itsdangerous). The signature and its age are checked here; whether the session is
still live (not signed out, not revoked) is checked against the database by the caller.

The same CSRF token is also set in a readable cookie; a cookie-authenticated write must echo
it in ``X-CSRF-Token``. A cross-site page can neither read the cookie nor forge the signed
copy, so it cannot make a valid write.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from fastapi import Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from rostra.config import Settings

SESSION_COOKIE = "rostra_session"
CSRF_COOKIE = "rostra_csrf"
CSRF_HEADER = "X-CSRF-Token"


@dataclass(frozen=True, slots=True)
class SessionData:
    moderator_id: int
    csrf_token: str
    #: Names the server-side session row; signing out revokes that row.
    secret: str


def _serializer(settings: Settings) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(settings.secret_key.get_secret_value(), salt="rostra-session")


def start_session(response: Response, *, settings: Settings, moderator_id: int, secret: str) -> str:
    """Set the session and CSRF cookies on ``response``; returns the CSRF token.

    ``secret`` comes from :func:`rostra.services.accounts.open_session`.
    """
    csrf = secrets.token_urlsafe(24)
    value = _serializer(settings).dumps({"m": moderator_id, "c": csrf, "s": secret})
    common: dict[str, Any] = {
        "max_age": settings.session_max_age_seconds,
        "secure": settings.cookie_secure,
        "samesite": "lax",
        "path": "/",
    }
    response.set_cookie(SESSION_COOKIE, value, httponly=True, **common)
    response.set_cookie(CSRF_COOKIE, csrf, httponly=False, **common)
    return csrf


def end_session(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.delete_cookie(CSRF_COOKIE, path="/")


def read_session(value: str, *, settings: Settings) -> SessionData | None:
    try:
        data = _serializer(settings).loads(value, max_age=settings.session_max_age_seconds)
    except BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    moderator_id, csrf, secret = data.get("m"), data.get("c"), data.get("s")
    # A cookie without a session secret predates server-side sessions: it cannot be revoked,
    # so it is refused.
    if not isinstance(moderator_id, int) or not isinstance(csrf, str):
        return None
    if not isinstance(secret, str) or not secret:
        return None
    return SessionData(moderator_id=moderator_id, csrf_token=csrf, secret=secret)


def csrf_ok(session: SessionData, *, header: str | None, cookie: str | None) -> bool:
    """The header, the readable cookie and the signed session must all carry the same token."""
    if not header or not cookie:
        return False
    return hmac.compare_digest(header, session.csrf_token) and hmac.compare_digest(
        cookie, session.csrf_token
    )
