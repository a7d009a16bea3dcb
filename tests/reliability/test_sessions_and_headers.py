"""Sessions and tokens expire or are revoked, brute force is slowed, the default secret is refused
outside development, and every response carries the security headers (issue 5 §4)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from pydantic import ValidationError
from sqlalchemy import update

from rostra.api.auth import SESSION_COOKIE, read_session
from rostra.config import DEFAULT_SECRET_KEY, Settings
from rostra.services import accounts
from rostra.store.models import ApiToken, ModeratorSession
from rostra.store.privacy import hash_token

from .conftest import PASSWORD, ROLES, Session, World
from .test_access import TABLE


def _backdated(world: World, session: Session, age: int) -> str:
    """The same session's cookie, re-signed with the real secret as if issued ``age`` s ago."""

    class Backdated(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time()) - age

    cookie = _cookie_value(session)
    data = read_session(cookie, settings=world.settings)
    assert data is not None
    signer = URLSafeTimedSerializer(
        world.settings.secret_key.get_secret_value(), salt="rostra-session", signer=Backdated
    )
    return signer.dumps({"m": data.moderator_id, "c": data.csrf_token, "s": data.secret})


def _cookie_value(session: Session) -> str:
    for part in session.cookie.split("; "):
        name, _, value = part.partition("=")
        if name == SESSION_COOKIE:
            return value
    raise AssertionError(f"no {SESSION_COOKIE} in {session.cookie!r}")


def _me(world: World, cookie: str) -> int:
    world.client.cookies.clear()
    return world.client.get(
        "/api/v1/auth/me", headers={"Cookie": f"{SESSION_COOKIE}={cookie}"}
    ).status_code


def _bounced(world: World, cookie: str) -> bool:
    world.client.cookies.clear()
    page = world.client.get(
        "/moderate/queue", headers={"Cookie": f"{SESSION_COOKIE}={cookie}"}, follow_redirects=False
    )
    return page.status_code == 303 and page.headers["location"].startswith("/moderate/login")


def test_session_expires_after_its_max_age(world: World) -> None:
    session = world.login("spare")
    max_age = world.settings.session_max_age_seconds
    assert _me(world, _backdated(world, session, age=max_age - 60)) == 200
    stale = _backdated(world, session, age=max_age + 60)
    assert _me(world, stale) == 401
    assert _bounced(world, stale)


def test_session_expires_on_the_server_whatever_the_cookie_says(world: World) -> None:
    """The server's own expiry holds even for a cookie whose signature is still fresh."""
    session = world.login("spare")
    cookie = _cookie_value(session)
    assert _me(world, cookie) == 200
    data = read_session(cookie, settings=world.settings)
    assert data is not None
    with world.app.state.rostra.sessions.begin() as db:
        db.execute(
            update(ModeratorSession)
            .where(ModeratorSession.secret_hash == hash_token(data.secret))
            .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
    assert _me(world, cookie) == 401
    assert _bounced(world, cookie)


def test_a_cookie_without_a_server_side_session_is_refused(world: World) -> None:
    """Correctly signed, fresh, but naming no session row (forged, or from before sessions)."""
    data = read_session(_cookie_value(world.login("spare")), settings=world.settings)
    assert data is not None
    signer = URLSafeTimedSerializer(
        world.settings.secret_key.get_secret_value(), salt="rostra-session"
    )
    legacy = signer.dumps({"m": data.moderator_id, "c": data.csrf_token})
    invented = signer.dumps({"m": data.moderator_id, "c": data.csrf_token, "s": "x" * 43})
    other = signer.dumps({"m": world.moderator_ids["boss"], "c": data.csrf_token, "s": data.secret})
    assert [_me(world, c) for c in (legacy, invented, other)] == [401, 401, 401]


def test_signing_out_of_the_api_refuses_a_stolen_copy_of_the_cookie(world: World) -> None:
    mine, elsewhere = world.login("spare"), world.login("spare")
    stolen = _cookie_value(mine)
    assert _me(world, stolen) == 200
    world.client.cookies.clear()
    out = world.client.post("/api/v1/auth/logout", headers=mine.headers())
    assert out.status_code == 204
    assert _me(world, stolen) == 401
    assert _bounced(world, stolen)
    world.client.cookies.clear()
    write = world.client.post("/moderate/api/decisions", json={}, headers=mine.headers())
    assert write.status_code == 401
    # Only that browser signed out: the same moderator's other session lives on.
    assert _me(world, _cookie_value(elsewhere)) == 200


def test_signing_out_of_the_dashboard_refuses_a_stolen_copy_of_the_cookie(world: World) -> None:
    mine = world.login("spare")
    stolen = _cookie_value(mine)
    world.client.cookies.clear()
    out = world.client.post(
        "/moderate/logout", data={"csrf": mine.csrf}, headers=mine.headers(), follow_redirects=False
    )
    assert out.status_code == 303
    assert _me(world, stolen) == 401
    assert _bounced(world, stolen)


def test_changing_a_password_ends_every_session_of_the_account(world: World) -> None:
    created = world.client.post(
        "/api/v1/admin/moderators",
        json={"username": world.unique("rotate"), "password": PASSWORD},
        headers=world.admin,
    )
    assert created.status_code == 201, created.text
    username, moderator_id = created.json()["username"], created.json()["id"]
    first, second = world.login(username), world.login(username)
    changed = world.client.patch(
        f"/api/v1/admin/moderators/{moderator_id}",
        json={"password": "a new and different password"},
        headers=world.admin,
    )
    assert changed.status_code == 200, changed.text
    assert [_me(world, _cookie_value(s)) for s in (first, second)] == [401, 401]
    with world.app.state.rostra.sessions() as db:
        assert accounts.live_sessions(session=db, moderator_id=moderator_id) == 0


def test_deactivating_a_moderator_revokes_their_live_session(world: World) -> None:
    session = world.login("spare")
    assert world.client.get("/api/v1/auth/me", headers=session.headers()).status_code == 200
    off = world.client.patch(
        f"/api/v1/admin/moderators/{world.moderator_ids['spare']}",
        json={"active": False},
        headers=world.admin,
    )
    assert off.status_code == 200, off.text
    try:
        assert world.client.get("/api/v1/auth/me", headers=session.headers()).status_code == 401
        page = world.client.get(
            "/moderate/queue", headers=session.headers(), follow_redirects=False
        )
        assert page.headers["location"].startswith("/moderate/login")
    finally:
        world.client.patch(
            f"/api/v1/admin/moderators/{world.moderator_ids['spare']}",
            json={"active": True},
            headers=world.admin,
        )


def test_token_with_an_expiry_is_refused_once_it_expires(world: World) -> None:
    created = world.client.post(
        "/api/v1/admin/tokens",
        json={"name": "contractor", "role": "moderator", "expires_in_seconds": 3600},
        headers=world.admin,
    )
    assert created.status_code == 201, created.text
    body = created.json()
    expires = datetime.fromisoformat(body["expires_at"])
    created_at = datetime.fromisoformat(body["created_at"])
    assert expires - created_at == timedelta(seconds=3600)
    bearer = {"Authorization": f"Bearer {body['token']}"}
    assert world.client.get("/api/v1/moderation/queue", headers=bearer).status_code == 200
    with world.app.state.rostra.sessions.begin() as db:
        row = db.get(ApiToken, body["id"])
        assert row is not None
        row.expires_at = datetime.now(UTC) - timedelta(seconds=1)
    assert world.client.get("/api/v1/moderation/queue", headers=bearer).status_code == 401
    listed = world.client.get("/api/v1/admin/tokens", headers=world.admin).json()
    assert [t["expires_at"] is not None for t in listed if t["id"] == body["id"]] == [True]


def test_expired_perspective_key_is_refused(world: World) -> None:
    created = world.client.post(
        "/api/v1/admin/tokens",
        json={"name": "partner", "role": "perspective", "expires_in_seconds": 600},
        headers=world.admin,
    )
    assert created.status_code == 201, created.text
    key = created.json()["token"]
    body = {"comment": {"text": "Thank you."}, "requestedAttributes": {"TOXICITY": {}}}
    url = "/perspective/v1alpha1/comments:analyze"
    world.client.cookies.clear()
    live = world.client.post(url, headers={"X-Goog-Api-Key": key}, json=body)
    assert live.status_code == 200, live.text
    with world.app.state.rostra.sessions.begin() as db:
        row = db.get(ApiToken, created.json()["id"])
        assert row is not None
        row.expires_at = datetime.now(UTC) - timedelta(seconds=1)
    expired = world.client.post(url, headers={"X-Goog-Api-Key": key}, json=body)
    assert expired.status_code in (400, 401, 403), expired.text


@pytest.mark.parametrize("seconds", [0, 59, 10**9])
def test_token_lifetime_out_of_bounds_is_refused(world: World, seconds: int) -> None:
    created = world.client.post(
        "/api/v1/admin/tokens",
        json={"name": "odd", "role": "moderator", "expires_in_seconds": seconds},
        headers=world.admin,
    )
    assert created.status_code == 422


def test_revoked_token_is_refused_at_once(world: World) -> None:
    created = world.client.post(
        "/api/v1/admin/tokens", json={"name": "laptop", "role": "moderator"}, headers=world.admin
    )
    assert created.status_code == 201
    bearer = {"Authorization": f"Bearer {created.json()['token']}"}
    assert world.client.get("/api/v1/moderation/queue", headers=bearer).status_code == 200
    revoked = world.client.delete(
        f"/api/v1/admin/tokens/{created.json()['id']}", headers=world.admin
    )
    assert revoked.status_code in (200, 204)
    assert world.client.get("/api/v1/moderation/queue", headers=bearer).status_code == 401
    assert world.client.post("/moderate/api/decisions", json={}, headers=bearer).status_code == 401


def test_login_brute_force_is_slowed_on_both_sign_in_doors(world: World) -> None:
    """After the allowed failures, even the right password waits (API and dashboard form)."""
    created = world.client.post(
        "/api/v1/admin/moderators",
        json={"username": "target", "password": PASSWORD},
        headers=world.admin,
    )
    assert created.status_code == 201, created.text
    world.client.cookies.clear()
    statuses = [
        world.client.post(
            "/api/v1/auth/login", json={"username": "target", "password": f"guess-{i}-wrong"}
        ).status_code
        for i in range(world.settings.login_max_failures)
    ]
    assert set(statuses) == {401}
    right = world.client.post(
        "/api/v1/auth/login", json={"username": "target", "password": PASSWORD}
    )
    assert right.status_code == 429
    assert int(right.headers["retry-after"]) >= world.settings.login_backoff_seconds - 1
    form = world.client.post(
        "/moderate/login",
        data={"username": "target", "password": PASSWORD, "next": "/moderate/queue"},
        follow_redirects=False,
    )
    assert form.status_code == 429
    assert SESSION_COOKIE not in form.cookies


@pytest.mark.parametrize("environment", ["test", "production"])
def test_default_secret_is_refused_outside_development(environment: str) -> None:
    with pytest.raises(ValidationError, match="ROSTRA_SECRET_KEY"):
        Settings(environment=environment, secret_key=DEFAULT_SECRET_KEY)  # type: ignore[arg-type]
    Settings(environment="development", secret_key=DEFAULT_SECRET_KEY)  # type: ignore[arg-type]


def test_rostra_serve_will_not_start_in_production_with_the_default_secret(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ROSTRA_")}
    env.update(
        ROSTRA_ENVIRONMENT="production",
        ROSTRA_DATABASE_URL=f"sqlite:///{tmp_path / 'r.db'}",
        ROSTRA_VAR_DIR=str(tmp_path),
    )
    result = subprocess.run(
        [sys.executable, "-m", "rostra", "serve", "--port", "1"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert result.returncode != 0
    assert "ROSTRA_SECRET_KEY" in result.stderr
    assert not (tmp_path / "r.db").exists(), "it must refuse before touching the database"


def _assert_security_headers(response: object, what: str) -> None:
    headers = response.headers  # type: ignore[attr-defined]
    csp = headers.get("content-security-policy", "")
    assert "frame-ancestors 'none'" in csp, f"{what}: CSP {csp!r}"
    assert "unsafe-eval" not in csp, what
    assert headers.get("x-content-type-options") == "nosniff", what
    assert headers.get("referrer-policy") in ("same-origin", "no-referrer"), what
    assert headers.get("x-frame-options") == "DENY", what


@pytest.mark.parametrize("role", ["anonymous", "admin_session"])
def test_every_route_answers_with_security_headers(world: World, role: str) -> None:
    assert role in ROLES
    for (method, path), row in sorted(TABLE.items()):
        verb, url, options = row.request(world)
        world.client.cookies.clear()
        response = world.client.request(
            verb, url, headers=world.headers_for(role), follow_redirects=False, **options
        )
        _assert_security_headers(response, f"{role} {method} {path} -> {response.status_code}")


def test_error_answers_carry_security_headers_too(world: World) -> None:
    cases = {
        "404": world.client.get("/no/such/page"),
        "405": world.client.put("/api/v1/comment-counts"),
        "413": world.client.post(
            "/api/v1/articles/erbil-drones/comments",
            content=b"{" + b" " * (world.settings.max_body_bytes + 10) + b"}",
            headers={"Content-Type": "application/json"},
        ),
        "400": world.client.post(
            "/api/v1/articles/erbil-drones/comments",
            content=b"{not json",
            headers={"Content-Type": "application/json"},
        ),
    }
    for status, response in cases.items():
        assert str(response.status_code) == status, response.text
        _assert_security_headers(response, status)


def test_a_500_from_a_real_bug_carries_security_headers_too(world: World) -> None:
    """Starlette answers an unhandled exception outside every user middleware, so the
    catch-all handler sets the headers itself. A route that raises stands in for the bug."""
    from fastapi.testclient import TestClient

    @world.app.get("/__test__/boom", include_in_schema=False)
    def boom() -> None:
        raise RuntimeError("a bug")

    try:
        client = TestClient(world.app, raise_server_exceptions=False)
        response = client.get("/__test__/boom")
        assert response.status_code == 500
        assert response.json()["code"] == "internal_error"
        assert "a bug" not in response.text
        _assert_security_headers(response, "500")
    finally:
        world.app.router.routes[:] = [
            r for r in world.app.router.routes if getattr(r, "path", "") != "/__test__/boom"
        ]


def test_rostras_own_pages_keep_their_strict_policy(world: World) -> None:
    """The middleware fills gaps only: the dashboard's script-src 'self' policy is kept."""
    page = world.client.get("/moderate/login")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers.get_list("content-security-policy") == [
        page.headers["content-security-policy"]
    ]
