"""Sessions and tokens expire or are revoked, brute force is slowed, the default secret is refused
outside development, and every response carries the security headers (issue 5 §4)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from pydantic import ValidationError

from rostra.api.auth import SESSION_COOKIE
from rostra.config import DEFAULT_SECRET_KEY, Settings

from .conftest import PASSWORD, ROLES, World
from .test_access import TABLE


def _session_cookie(world: World, moderator_id: int, age: int) -> str:
    """A cookie signed with the real secret, as if it had been issued ``age`` seconds ago."""

    class Backdated(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time()) - age

    signer = URLSafeTimedSerializer(
        world.settings.secret_key.get_secret_value(), salt="rostra-session", signer=Backdated
    )
    return signer.dumps({"m": moderator_id, "c": "csrf-token"})


def test_session_expires_after_its_max_age(world: World) -> None:
    moderator = world.moderator_ids["mod"]
    max_age = world.settings.session_max_age_seconds
    world.client.cookies.clear()
    fresh = _session_cookie(world, moderator, age=max_age - 60)
    stale = _session_cookie(world, moderator, age=max_age + 60)
    me = world.client.get("/api/v1/auth/me", headers={"Cookie": f"{SESSION_COOKIE}={fresh}"})
    assert me.status_code == 200, me.text
    old = world.client.get("/api/v1/auth/me", headers={"Cookie": f"{SESSION_COOKIE}={stale}"})
    assert old.status_code == 401
    page = world.client.get(
        "/moderate/queue", headers={"Cookie": f"{SESSION_COOKIE}={stale}"}, follow_redirects=False
    )
    assert page.status_code == 303
    assert page.headers["location"].startswith("/moderate/login")


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


def test_rostras_own_pages_keep_their_strict_policy(world: World) -> None:
    """The middleware fills gaps only: the dashboard's script-src 'self' policy is kept."""
    page = world.client.get("/moderate/login")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers.get_list("content-security-policy") == [
        page.headers["content-security-policy"]
    ]
