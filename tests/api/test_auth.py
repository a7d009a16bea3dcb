"""Login with back-off, session cookies with CSRF, roles on every route, admin endpoints."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from api.conftest import Api
from rostra.api.auth import CSRF_COOKIE, SESSION_COOKIE
from rostra.services import accounts
from rostra.store.models import ApiToken, Moderator

PASSWORD = "correct horse battery"


def _add_moderator(api: Api, username: str = "maria", role: str = "moderator") -> int:
    with api.client.app.state.rostra.sessions() as session:  # type: ignore[attr-defined]
        moderator = accounts.create_moderator(
            session=session, username=username, password=PASSWORD, role=role, actor="test"
        )
        session.commit()
        return moderator.id


def _login(api: Api, username: str = "maria", password: str = PASSWORD) -> tuple[int, dict]:  # type: ignore[type-arg]
    response = api.client.post(
        "/api/v1/auth/login", json={"username": username, "password": password}
    )
    return response.status_code, response.json()


def test_passwords_and_tokens_are_stored_hashed(api: Api) -> None:
    _add_moderator(api)
    with api.client.app.state.rostra.sessions() as session:  # type: ignore[attr-defined]
        moderator = session.query(Moderator).filter_by(username="maria").one()
        assert moderator.password_hash.startswith("$argon2id$")
        assert PASSWORD not in moderator.password_hash
        hashes = [t.token_hash for t in session.query(ApiToken)]
    assert api.admin_token not in hashes
    assert all(len(h) == 64 for h in hashes)


def test_login_sets_httponly_samesite_cookie(api: Api) -> None:
    _add_moderator(api)
    response = api.client.post(
        "/api/v1/auth/login", json={"username": "maria", "password": PASSWORD}
    )
    assert response.status_code == 200
    cookies = response.headers.get_list("set-cookie")
    session_cookie = next(c for c in cookies if c.startswith(SESSION_COOKIE + "="))
    assert "HttpOnly" in session_cookie
    assert "SameSite=lax" in session_cookie or "samesite=lax" in session_cookie.lower()
    csrf_cookie = next(c for c in cookies if c.startswith(CSRF_COOKIE + "="))
    assert "HttpOnly" not in csrf_cookie
    assert response.json()["moderator"]["username"] == "maria"
    me = api.client.get("/api/v1/auth/me")
    assert me.json()["username"] == "maria"


def test_cookie_writes_need_the_csrf_header(api: Api) -> None:
    _add_moderator(api)
    comment = api.post_comment("to decide")
    status, body = _login(api)
    assert status == 200
    url = f"/api/v1/moderation/comments/{comment['id']}/decisions"
    # Reads work with the cookie alone.
    assert api.client.get("/api/v1/moderation/queue").status_code == 200
    missing = api.client.post(url, json={"decision": "approve"})
    assert missing.status_code == 403
    assert missing.json()["code"] == "csrf_failed"
    wrong = api.client.post(url, json={"decision": "approve"}, headers={"X-CSRF-Token": "forged"})
    assert wrong.status_code == 403
    ok = api.client.post(
        url, json={"decision": "approve"}, headers={"X-CSRF-Token": body["csrf_token"]}
    )
    assert ok.status_code == 201
    assert ok.json()["actor"].startswith("moderator:")


def test_tampered_session_cookie_is_refused(api: Api) -> None:
    _add_moderator(api)
    _login(api)
    value = api.client.cookies.get(SESSION_COOKIE)
    assert value
    api.client.cookies.set(
        SESSION_COOKIE, value[:-2] + ("A" if value[-2] != "A" else "B") + value[-1]
    )
    response = api.client.get("/api/v1/moderation/queue")
    assert response.status_code == 401


def test_logout_clears_the_session(api: Api) -> None:
    _add_moderator(api)
    _login(api)
    assert api.client.post("/api/v1/auth/logout").status_code == 204
    assert api.client.get("/api/v1/moderation/queue").status_code == 401


def test_wrong_password_and_unknown_user_look_the_same(api: Api) -> None:
    _add_moderator(api)
    wrong = _login(api, password="wrong password!")
    unknown = _login(api, username="nobody")
    assert wrong[0] == unknown[0] == 401
    assert wrong[1]["code"] == unknown[1]["code"] == "invalid_credentials"


def test_login_backs_off_per_account(make_api: Callable[..., Api]) -> None:
    api = make_api(login_max_failures=3, login_backoff_seconds=60)
    _add_moderator(api)
    for _ in range(3):
        assert _login(api, password="bad password")[0] == 401
    response = api.client.post(
        "/api/v1/auth/login", json={"username": "maria", "password": PASSWORD}
    )
    assert response.status_code == 429
    assert response.json()["code"] == "login_throttled"
    assert 1 <= int(response.headers["Retry-After"]) <= 60


def test_login_backs_off_per_ip_across_accounts(make_api: Callable[..., Api]) -> None:
    api = make_api(login_max_failures=3, login_backoff_seconds=60)
    _add_moderator(api)
    for name in ("a1", "a2", "a3"):
        assert _login(api, username=name, password="guess guess")[0] == 401
    assert _login(api)[0] == 429


def test_deactivated_moderator_cannot_log_in(api: Api) -> None:
    moderator_id = _add_moderator(api)
    response = api.client.patch(
        f"/api/v1/admin/moderators/{moderator_id}", json={"active": False}, headers=api.admin
    )
    assert response.status_code == 200
    assert _login(api)[0] == 401


def test_admin_manages_moderators(api: Api) -> None:
    created = api.client.post(
        "/api/v1/admin/moderators",
        json={"username": "sara", "password": PASSWORD, "role": "admin"},
        headers=api.admin,
    )
    assert created.status_code == 201
    assert "password" not in created.json()
    assert "password_hash" not in created.json()
    dup = api.client.post(
        "/api/v1/admin/moderators",
        json={"username": "sara", "password": PASSWORD},
        headers=api.admin,
    )
    assert dup.status_code == 409
    short = api.client.post(
        "/api/v1/admin/moderators", json={"username": "x", "password": "short"}, headers=api.admin
    )
    assert short.status_code == 422
    listed = api.client.get("/api/v1/admin/moderators", headers=api.admin).json()
    assert [m["username"] for m in listed] == ["sara"]
    assert api.client.get("/api/v1/admin/moderators", headers=api.moderator).status_code == 403
    assert _login(api, username="sara")[0] == 200


def test_admin_cannot_demote_itself_by_session(api: Api) -> None:
    admin_id = _add_moderator(api, "boss", role="admin")
    _status, body = _login(api, "boss")
    response = api.client.patch(
        f"/api/v1/admin/moderators/{admin_id}",
        json={"active": False},
        headers={"X-CSRF-Token": body["csrf_token"]},
    )
    assert response.status_code == 403


def test_admin_creates_lists_and_revokes_tokens(api: Api) -> None:
    created = api.client.post(
        "/api/v1/admin/tokens", json={"name": "ci", "role": "moderator"}, headers=api.admin
    )
    assert created.status_code == 201
    token = created.json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert api.client.get("/api/v1/moderation/queue", headers=headers).status_code == 200
    listed = api.client.get("/api/v1/admin/tokens", headers=api.admin).json()
    assert all("token" not in t for t in listed)
    assert "ci" in [t["name"] for t in listed]
    revoked = api.client.delete(f"/api/v1/admin/tokens/{created.json()['id']}", headers=api.admin)
    assert revoked.status_code == 200
    assert revoked.json()["revoked_at"] is not None
    assert api.client.get("/api/v1/moderation/queue", headers=headers).status_code == 401
    assert api.client.delete("/api/v1/admin/tokens/999", headers=api.admin).status_code == 404
    bad_role = api.client.post(
        "/api/v1/admin/tokens", json={"name": "x", "role": "root"}, headers=api.admin
    )
    assert bad_role.status_code == 422


def test_admin_site_settings_and_stats(api: Api) -> None:
    site = api.client.get("/api/v1/admin/site", headers=api.admin).json()
    assert site["moderation_mode"] == "pre"
    assert "personal_attack" in site["categories"]
    short = api.client.patch("/api/v1/admin/site", json={"sso_secret": "short"}, headers=api.admin)
    assert short.status_code == 422
    api.approved("one")
    api.post_comment("two")
    stats = api.client.get("/api/v1/admin/stats", headers=api.admin).json()
    assert stats["comments"] == {"pending": 1, "approved": 1, "rejected": 0}
    assert stats["decisions"] == {"moderator:approve": 1}


PUBLIC_ROUTES = {
    ("GET", "/api/v1/articles/{article_id}"),
    ("POST", "/api/v1/articles/{article_id}/comments"),
    ("GET", "/api/v1/articles/{article_id}/comments"),
    ("GET", "/api/v1/comments/{comment_id}"),
    ("POST", "/api/v1/comments/{comment_id}/reports"),
    ("GET", "/api/v1/comment-counts"),
    ("POST", "/api/v1/auth/login"),
    ("POST", "/api/v1/auth/logout"),
    ("GET", "/healthz"),
}


def test_every_non_public_route_refuses_anonymous_callers(api: Api) -> None:
    checked = 0
    for path, operations in api.client.get("/openapi.json").json()["paths"].items():
        if not path.startswith(
            (
                "/api/v1/articles",
                "/api/v1/comment",
                "/api/v1/moderation",
                "/api/v1/admin",
                "/api/v1/auth",
            )
        ):
            continue
        for method in operations:
            if (method.upper(), path) in PUBLIC_ROUTES:
                continue
            concrete = path
            for name in ("comment_id", "author_id", "moderator_id", "token_id", "article_id"):
                concrete = concrete.replace("{" + name + "}", "1")
            response = api.client.request(method.upper(), concrete, json={})
            assert response.status_code == 401, (method, path, response.status_code)
            checked += 1
    assert checked >= 15


@pytest.mark.parametrize(
    "path", ["/api/v1/admin/tokens", "/api/v1/admin/moderators", "/api/v1/admin/stats"]
)
def test_moderator_role_cannot_reach_admin_routes(api: Api, path: str) -> None:
    assert api.client.get(path, headers=api.moderator).status_code == 403
