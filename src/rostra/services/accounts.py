"""Moderator passwords (argon2id), API tokens (hashed, optionally expiring), server-side
sessions, and login back-off.

Sessions: the signed cookie names a ``moderator_session`` row by a random secret (only its
hash is stored). A request is signed in only while that row is unrevoked and unexpired and the
moderator is active, so signing out, deactivating the account or changing its password ends
every copy of the cookie at once, not only the browser's.

Back-off: after ``login_max_failures`` failures for an account *or* an anonymized IP, that key
is blocked for ``login_backoff_seconds``, doubling with each further failure up to
``login_backoff_max_seconds``. The state is in the database, so every process shares it.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from rostra import errors
from rostra.config import Settings
from rostra.events import LoginFailed, LoginSucceeded, utcnow
from rostra.store import queries
from rostra.store.models import ApiToken, Moderator, ModeratorSession
from rostra.store.privacy import hash_token

_hasher = PasswordHasher()
#: Verified against when the username does not exist, so timing does not reveal accounts.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))
TOKEN_PREFIX = "rostra_"  # noqa: S105 - a label, not a secret
MIN_PASSWORD_LENGTH = 10


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise errors.InvalidInput(
            f"a password needs at least {MIN_PASSWORD_LENGTH} characters", field="password"
        )
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


@dataclass(frozen=True, slots=True)
class NewToken:
    token: str
    token_hash: str
    prefix: str


def new_token() -> NewToken:
    """A fresh 256-bit bearer token. Only its hash is stored; show ``token`` once."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    return NewToken(token=token, token_hash=hash_token(token), prefix=token[:12])


#: Longest lifetime a token may be given at creation (and the shortest), in seconds.
MAX_TOKEN_SECONDS = 5 * 366 * 24 * 3600
MIN_TOKEN_SECONDS = 60


def create_api_token(
    *,
    session: Session,
    name: str,
    role: str,
    actor: str,
    expires_in: timedelta | None = None,
) -> tuple[ApiToken, str]:
    """Create a token with ``role``; returns the row and the plain token (shown once).

    ``expires_in``: refused from creation + this on; None makes a token that lives until revoked.
    """
    if role not in ("admin", "moderator", "perspective"):
        raise errors.InvalidInput(f"unknown role {role!r}; use admin, moderator or perspective")
    if expires_in is not None and not (
        MIN_TOKEN_SECONDS <= expires_in.total_seconds() <= MAX_TOKEN_SECONDS
    ):
        raise errors.InvalidInput(
            f"a token lives {MIN_TOKEN_SECONDS} s to {MAX_TOKEN_SECONDS // 86400} days",
            field="expires_in",
        )
    fresh = new_token()
    row = queries.create_api_token(
        session=session,
        name=name,
        role=role,
        token_hash=fresh.token_hash,
        prefix=fresh.prefix,
        actor=actor,
    )
    if expires_in is not None:
        row.expires_at = row.created_at + expires_in
    return row, fresh.token


def authenticate_token(*, session: Session, token: str) -> ApiToken | None:
    """The live token: not revoked and not expired, else None."""
    row = queries.find_api_token(session=session, token_hash=hash_token(token))
    if row is None or (row.expires_at is not None and row.expires_at <= utcnow()):
        return None
    return row


_DURATION_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def parse_duration(text: str) -> timedelta:
    """``90d``, ``12h``, ``30m``, ``3600s`` or ``3600`` (seconds) as a timedelta."""
    value = text.strip().lower()
    unit = value[-1:] if value[-1:] in _DURATION_UNITS else "s"
    number = value[:-1] if value[-1:] in _DURATION_UNITS else value
    if not number.isdigit():
        raise errors.InvalidInput(
            f"{text!r} is not a duration; write e.g. 90d, 12h, 30m or 3600s", field="expires_in"
        )
    return timedelta(seconds=int(number) * _DURATION_UNITS[unit])


# -- sessions ----------------------------------------------------------------------------------


def open_session(*, session: Session, settings: Settings, moderator_id: int) -> str:
    """Record a new signed-in browser; returns the secret its cookie must carry.

    Rows that expired are deleted here, so the table holds about one row per live session.
    """
    now = utcnow()
    session.execute(delete(ModeratorSession).where(ModeratorSession.expires_at <= now))
    secret = secrets.token_urlsafe(32)
    session.add(
        ModeratorSession(
            secret_hash=hash_token(secret),
            moderator_id=moderator_id,
            created_at=now,
            expires_at=now + timedelta(seconds=settings.session_max_age_seconds),
        )
    )
    session.flush()
    return secret


def session_moderator(*, session: Session, moderator_id: int, secret: str) -> Moderator | None:
    """The active moderator signed in by this cookie's session, or None if it ended."""
    row = session.scalars(
        select(ModeratorSession).where(ModeratorSession.secret_hash == hash_token(secret))
    ).first()
    if (
        row is None
        or row.moderator_id != moderator_id
        or row.revoked_at is not None
        or row.expires_at <= utcnow()
    ):
        return None
    moderator = session.get(Moderator, moderator_id)
    if moderator is None or not moderator.active:
        return None
    return moderator


def close_session(*, session: Session, secret: str) -> bool:
    """Sign one browser out on the server; True if a live session ended."""
    result = session.execute(
        update(ModeratorSession)
        .where(
            ModeratorSession.secret_hash == hash_token(secret),
            ModeratorSession.revoked_at.is_(None),
        )
        .values(revoked_at=utcnow())
    )
    return bool(getattr(result, "rowcount", 0))


def close_all_sessions(*, session: Session, moderator_id: int) -> int:
    """End every live session of a moderator (deactivated, or password changed)."""
    result = session.execute(
        update(ModeratorSession)
        .where(
            ModeratorSession.moderator_id == moderator_id,
            ModeratorSession.revoked_at.is_(None),
        )
        .values(revoked_at=utcnow())
    )
    return int(getattr(result, "rowcount", 0))


def live_sessions(*, session: Session, moderator_id: int, now: datetime | None = None) -> int:
    """How many signed-in browsers a moderator has (for tests and the admin's view)."""
    now = now or utcnow()
    rows = session.scalars(
        select(ModeratorSession.id).where(
            ModeratorSession.moderator_id == moderator_id,
            ModeratorSession.revoked_at.is_(None),
            ModeratorSession.expires_at > now,
        )
    )
    return len(list(rows))


def create_moderator(
    *,
    session: Session,
    username: str,
    password: str,
    role: str = "moderator",
    display_name: str | None = None,
    actor: str,
) -> Moderator:
    username = username.strip()
    if not username or len(username) > 100 or any(ch.isspace() for ch in username):
        raise errors.InvalidInput("a username is 1-100 characters without spaces")
    if role not in ("moderator", "admin"):
        raise errors.InvalidInput(f"unknown role {role!r}; use moderator or admin")
    return queries.create_moderator(
        session=session,
        username=username,
        display_name=display_name or username,
        password_hash=hash_password(password),
        role=role,
        actor=actor,
    )


def _check_throttle(session: Session, key: str) -> None:
    row = queries.get_login_throttle(session=session, key=key)
    now = utcnow()
    if row is not None and row.blocked_until is not None and row.blocked_until > now:
        wait = int((row.blocked_until - now).total_seconds() + 0.999)
        raise errors.LoginThrottled(
            f"too many failed logins; try again in {wait} seconds", retry_after=wait
        )


def login(
    *,
    session: Session,
    settings: Settings,
    username: str,
    password: str,
    ip_hash: str | None,
) -> Moderator:
    """Check a moderator's password with back-off. Commits the failure count before raising."""
    keys = [f"account:{username.strip().casefold()[:150]}"]
    if ip_hash:
        keys.append(f"ip:{ip_hash}")
    for key in keys:
        _check_throttle(session, key)
    moderator = queries.get_moderator_by_username(session=session, username=username.strip())
    valid = verify_password(moderator.password_hash if moderator else _DUMMY_HASH, password)
    now = utcnow()
    if moderator is None or not valid or not moderator.active:
        for key in keys:
            row = queries.get_login_throttle(session=session, key=key)
            stale = timedelta(seconds=settings.login_backoff_max_seconds)
            if row is not None and now - row.last_failure_at > stale:
                queries.clear_login_failures(session=session, key=key)
            queries.record_login_failure(
                session=session,
                key=key,
                now=now,
                max_failures=settings.login_max_failures,
                base=settings.login_backoff_seconds,
                cap=settings.login_backoff_max_seconds,
            )
        queries.record_event(
            session=session,
            event=LoginFailed(
                actor="anonymous", subject_type="moderator", subject_id=username[:150]
            ),
        )
        session.commit()
        raise errors.InvalidCredentials("wrong username or password")
    queries.clear_login_failures(session=session, key=keys[0])
    moderator.last_login_at = now
    queries.record_event(
        session=session,
        event=LoginSucceeded(
            actor=f"moderator:{moderator.id}",
            subject_type="moderator",
            subject_id=str(moderator.id),
        ),
    )
    session.commit()
    return moderator
