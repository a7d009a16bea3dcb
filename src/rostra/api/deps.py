"""FastAPI dependencies: the runtime, database sessions, and who is calling (by role).

Other packages (web, perspective) import these: ``SessionDep``, ``RuntimeDep``,
``require_role(...)`` for bearer-token or session callers, ``require_token(...)`` for
bearer tokens only, and the ready-made ``ModeratorDep``, ``AdminDep``, ``PerspectiveDep``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from rostra import errors
from rostra.api.auth import CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE, csrf_ok, read_session
from rostra.config import Settings
from rostra.services.accounts import authenticate_token, session_moderator
from rostra.services.ratelimit import RateLimiter
from rostra.services.screener import Screener

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass
class Runtime:
    """Everything one app instance shares: built once in ``create_app``."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    screener: Screener
    limiter: RateLimiter


# ``async`` although they await nothing: FastAPI runs a plain-function dependency in the
# request thread pool, a hand-over to another thread and back on every request (about 7% of
# a comment post's CPU, docs/benchmarks.md "Cheaper write path"). They do no I/O.
async def get_runtime(request: Request) -> Runtime:
    runtime = request.app.state.rostra
    assert isinstance(runtime, Runtime)
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


async def get_settings(runtime: RuntimeDep) -> Settings:
    return runtime.settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


def get_session(runtime: RuntimeDep) -> Iterator[Session]:
    """A session per request; the handler commits, anything uncommitted is rolled back."""
    with runtime.sessions() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


@dataclass(frozen=True, slots=True)
class Principal:
    """An authenticated caller."""

    role: str
    #: How the audit log names the caller: ``moderator:<id>`` or ``token:<id>``.
    actor: str
    via: str  # "token" or "session"
    moderator_id: int | None = None
    token_id: int | None = None


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if not header:
        return None
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise errors.AuthenticationRequired("use 'Authorization: Bearer <token>'")
    return value.strip()


def authenticate(request: Request, session: Session, settings: Settings) -> Principal:
    """Who is calling: a bearer token, else a session cookie (with CSRF on writes)."""
    token = _bearer(request)
    if token is not None:
        row = authenticate_token(session=session, token=token)
        if row is None:
            raise errors.AuthenticationRequired("the API token is not valid or was revoked")
        return Principal(role=row.role, actor=f"token:{row.id}", via="token", token_id=row.id)
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        data = read_session(cookie, settings=settings)
        moderator = (
            session_moderator(session=session, moderator_id=data.moderator_id, secret=data.secret)
            if data
            else None
        )
        if data is None or moderator is None:
            raise errors.AuthenticationRequired("your session has expired; log in again")
        if request.method not in SAFE_METHODS and not csrf_ok(
            data, header=request.headers.get(CSRF_HEADER), cookie=request.cookies.get(CSRF_COOKIE)
        ):
            raise errors.CsrfFailed(f"missing or wrong {CSRF_HEADER} header")
        return Principal(
            role=moderator.role,
            actor=f"moderator:{moderator.id}",
            via="session",
            moderator_id=moderator.id,
        )
    raise errors.AuthenticationRequired("log in or send an API token")


def require_role(*roles: str, tokens_only: bool = False) -> Callable[..., Principal]:
    """A dependency admitting callers whose role is one of ``roles``."""
    allowed = frozenset(roles)

    def dependency(request: Request, session: SessionDep, settings: SettingsDep) -> Principal:
        principal = authenticate(request, session, settings)
        if tokens_only and principal.via != "token":
            raise errors.AuthenticationRequired("this endpoint needs an API token")
        if principal.role not in allowed:
            raise errors.PermissionDenied(
                f"this needs the role {' or '.join(sorted(allowed))}; you have {principal.role}"
            )
        return principal

    return dependency


def require_token(*roles: str) -> Callable[..., Principal]:
    """A dependency admitting only bearer tokens with one of ``roles``."""
    return require_role(*roles, tokens_only=True)


ModeratorDep = Annotated[Principal, Depends(require_role("moderator", "admin"))]
AdminDep = Annotated[Principal, Depends(require_role("admin"))]
PerspectiveDep = Annotated[Principal, Depends(require_token("perspective", "admin"))]
