"""Moderator login and logout (session cookie + CSRF token)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from rostra import errors
from rostra.api import schemas
from rostra.api.auth import SESSION_COOKIE, end_session, read_session, start_session
from rostra.api.deps import ModeratorDep, RuntimeDep, SessionDep
from rostra.services import accounts
from rostra.store import queries
from rostra.store.privacy import hash_ip

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])


@router.post("/login", response_model=schemas.LoginOut, operation_id="auth-login")
def login(
    body: schemas.LoginRequest,
    request: Request,
    response: Response,
    runtime: RuntimeDep,
    session: SessionDep,
) -> schemas.LoginOut:
    """Log in with username and password; sets the session and CSRF cookies."""
    settings = runtime.settings
    moderator = accounts.login(
        session=session,
        settings=settings,
        username=body.username,
        password=body.password,
        ip_hash=hash_ip(request.client.host if request.client else None, secret=settings.secret),
    )
    secret = accounts.open_session(session=session, settings=settings, moderator_id=moderator.id)
    session.commit()
    csrf = start_session(response, settings=settings, moderator_id=moderator.id, secret=secret)
    return schemas.LoginOut(
        moderator=schemas.ModeratorOut.model_validate(moderator, from_attributes=True),
        csrf_token=csrf,
    )


@router.post("/logout", status_code=204, operation_id="auth-logout")
def logout(
    request: Request, response: Response, runtime: RuntimeDep, session: SessionDep
) -> Response:
    """End the session on the server and forget its cookies.

    A copy of the cookie taken before this (a stolen one) is refused from now on. No CSRF
    token is asked: a forged sign-out can only end a session, never start or use one.
    """
    cookie = request.cookies.get(SESSION_COOKIE)
    data = read_session(cookie, settings=runtime.settings) if cookie else None
    if data is not None:
        accounts.close_session(session=session, secret=data.secret)
        session.commit()
    response.status_code = 204
    end_session(response)
    return response


@router.get("/me", response_model=schemas.ModeratorOut, operation_id="auth-me")
def me(session: SessionDep, principal: ModeratorDep) -> schemas.ModeratorOut:
    """The logged-in moderator (session callers only)."""
    if principal.moderator_id is None:
        raise errors.PermissionDenied("an API token is not a moderator account")
    moderator = queries.get_moderator(session=session, moderator_id=principal.moderator_id)
    return schemas.ModeratorOut.model_validate(moderator, from_attributes=True)
