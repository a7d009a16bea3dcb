"""Admin API: moderators, API tokens, the site's settings and statistics (admin role)."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, status

from rostra import errors
from rostra.api import schemas
from rostra.api.deps import AdminDep, RuntimeDep, SessionDep
from rostra.events import ModeratorChanged, SiteChanged
from rostra.services import accounts
from rostra.services.policy import site_policy
from rostra.store import queries

router = APIRouter(prefix="/api/v1/admin", tags=["admin"])


@router.get(
    "/moderators", response_model=list[schemas.ModeratorOut], operation_id="admin-list_moderators"
)
def list_moderators(session: SessionDep, _principal: AdminDep) -> list[schemas.ModeratorOut]:
    """Every moderator account."""
    return [
        schemas.ModeratorOut.model_validate(m, from_attributes=True)
        for m in queries.list_moderators(session=session)
    ]


@router.post(
    "/moderators",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.ModeratorOut,
    operation_id="admin-create_moderator",
)
def create_moderator(
    body: schemas.ModeratorCreate, session: SessionDep, principal: AdminDep
) -> schemas.ModeratorOut:
    """Create a moderator account."""
    moderator = accounts.create_moderator(
        session=session,
        username=body.username,
        password=body.password,
        role=body.role,
        display_name=body.display_name,
        actor=principal.actor,
    )
    session.commit()
    return schemas.ModeratorOut.model_validate(moderator, from_attributes=True)


@router.patch(
    "/moderators/{moderator_id}",
    response_model=schemas.ModeratorOut,
    operation_id="admin-update_moderator",
)
def update_moderator(
    moderator_id: schemas.IdPath,
    body: schemas.ModeratorUpdate,
    session: SessionDep,
    principal: AdminDep,
) -> schemas.ModeratorOut:
    """Change a moderator's role, name or password, or deactivate the account."""
    moderator = queries.get_moderator(session=session, moderator_id=moderator_id)
    if principal.moderator_id == moderator_id and (
        body.active is False or body.role == "moderator"
    ):
        raise errors.PermissionDenied("you cannot deactivate or demote your own account")
    changed: list[str] = []
    if body.role is not None:
        moderator.role = body.role
        changed.append("role")
    if body.active is not None:
        moderator.active = body.active
        changed.append("active")
    if body.display_name is not None:
        moderator.display_name = body.display_name
        changed.append("display_name")
    if body.password is not None:
        moderator.password_hash = accounts.hash_password(body.password)
        changed.append("password")
    if body.active is False or body.password is not None:
        # A deactivated account, or one whose password may have leaked, keeps no browser in.
        accounts.close_all_sessions(session=session, moderator_id=moderator_id)
    queries.record_event(
        session=session,
        event=ModeratorChanged(
            actor=principal.actor,
            subject_type="moderator",
            subject_id=str(moderator_id),
            data={"changed": changed},
        ),
    )
    session.commit()
    return schemas.ModeratorOut.model_validate(moderator, from_attributes=True)


@router.get("/tokens", response_model=list[schemas.TokenOut], operation_id="admin-list_tokens")
def list_tokens(session: SessionDep, _principal: AdminDep) -> list[schemas.TokenOut]:
    """Every API token (without the secret)."""
    return [
        schemas.TokenOut.model_validate(t, from_attributes=True)
        for t in queries.list_api_tokens(session=session)
    ]


@router.post(
    "/tokens",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.TokenCreated,
    operation_id="admin-create_token",
)
def create_token(
    body: schemas.TokenCreate, session: SessionDep, principal: AdminDep
) -> schemas.TokenCreated:
    """Create an API token; the secret is in this response only."""
    row, token = accounts.create_api_token(
        session=session,
        name=body.name,
        role=body.role,
        actor=principal.actor,
        expires_in=(
            timedelta(seconds=body.expires_in_seconds) if body.expires_in_seconds else None
        ),
    )
    session.commit()
    base = schemas.TokenOut.model_validate(row, from_attributes=True)
    return schemas.TokenCreated(**base.model_dump(), token=token)


@router.delete(
    "/tokens/{token_id}", response_model=schemas.TokenOut, operation_id="admin-revoke_token"
)
def revoke_token(
    token_id: schemas.IdPath, session: SessionDep, principal: AdminDep
) -> schemas.TokenOut:
    """Revoke an API token."""
    row = queries.revoke_api_token(session=session, token_id=token_id, actor=principal.actor)
    session.commit()
    return schemas.TokenOut.model_validate(row, from_attributes=True)


def _site_out(runtime: RuntimeDep, session: SessionDep) -> schemas.SiteOut:
    site = queries.get_site(session=session, site_id=runtime.settings.site_id)
    policy = site_policy(site, policy_file=runtime.settings.policy_file)
    return schemas.SiteOut(
        id=site.id,
        name=site.name,
        moderation_mode=site.moderation_mode,
        categories=list(policy.categories),
        sso_enabled=bool(site.sso_secret),
    )


@router.get("/site", response_model=schemas.SiteOut, operation_id="admin-get_site")
def get_site(runtime: RuntimeDep, session: SessionDep, _principal: AdminDep) -> schemas.SiteOut:
    """The site's name, moderation mode, policy categories and whether SSO is on."""
    return _site_out(runtime, session)


@router.patch("/site", response_model=schemas.SiteOut, operation_id="admin-update_site")
def update_site(
    body: schemas.SiteUpdate, runtime: RuntimeDep, session: SessionDep, principal: AdminDep
) -> schemas.SiteOut:
    """Change the site's name, moderation mode (pre/assisted/auto) or SSO secret."""
    site = queries.get_site(session=session, site_id=runtime.settings.site_id)
    if body.name is not None:
        site.name = body.name
    if body.moderation_mode is not None:
        site.moderation_mode = body.moderation_mode
    if body.sso_secret is not None:
        if body.sso_secret and len(body.sso_secret) < 32:
            raise errors.InvalidInput(
                "an SSO secret needs at least 32 characters", field="sso_secret"
            )
        site.sso_secret = body.sso_secret or None
    queries.record_event(
        session=session,
        event=SiteChanged(
            actor=principal.actor,
            subject_type="site",
            subject_id=site.id,
            data={"fields": sorted(body.model_dump(exclude_none=True, exclude={"sso_secret"}))},
        ),
    )
    session.commit()
    return _site_out(runtime, session)


@router.get("/stats", response_model=schemas.StatsOut, operation_id="admin-get_stats")
def get_stats(runtime: RuntimeDep, session: SessionDep, _principal: AdminDep) -> schemas.StatsOut:
    """Comment counts by status, decisions by actor, and reported comments."""
    site_id = runtime.settings.site_id
    return schemas.StatsOut(
        comments=queries.status_counts(session=session, site_id=site_id),
        decisions=queries.decision_counts(session=session, site_id=site_id),
        reported_comments=queries.open_report_count(session=session, site_id=site_id),
    )
