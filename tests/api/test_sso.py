"""Optional publisher SSO: a reader identity as an HS256 JWT signed with the site's secret."""

from __future__ import annotations

import time

import jwt

from api.conftest import Api

SECRET = "publisher-sso-secret-with-enough-length-123"


def _token(secret: str = SECRET, **claims: object) -> str:
    payload = {"sub": "user-42", "name": "Signed In Reader", "exp": int(time.time()) + 600}
    payload.update(claims)
    return jwt.encode(payload, secret, algorithm="HS256")


def _enable(api: Api) -> None:
    response = api.client.patch(
        "/api/v1/admin/site", json={"sso_secret": SECRET}, headers=api.admin
    )
    assert response.status_code == 200
    assert response.json()["sso_enabled"] is True


def test_sso_reader_posts_under_their_publisher_identity(api: Api) -> None:
    _enable(api)
    first = api.post_comment("signed in", sso_token=_token(), author_name="ignored")
    second = api.post_comment("again", sso_token=_token(name="Renamed Reader"))
    detail = api.client.get(
        f"/api/v1/moderation/comments/{second['id']}", headers=api.moderator
    ).json()
    assert detail["author"]["kind"] == "sso"
    assert detail["author"]["name"] == "Renamed Reader"
    assert detail["author"]["pending"] == 2  # both comments, one author
    first_detail = api.client.get(
        f"/api/v1/moderation/comments/{first['id']}", headers=api.moderator
    ).json()
    assert first_detail["author"]["id"] == detail["author"]["id"]


def test_bad_expired_or_unsigned_sso_tokens_are_refused(api: Api) -> None:
    _enable(api)
    for token in (
        _token(secret="another-secret-of-sufficient-length-000"),
        _token(exp=int(time.time()) - 10),
        "not.a.jwt",
        jwt.encode({"sub": "x", "exp": int(time.time()) + 60}, key=None, algorithm="none"),  # type: ignore[arg-type]
        jwt.encode({"name": "no subject", "exp": int(time.time()) + 60}, SECRET, algorithm="HS256"),
        # signed, but a subject no reader identity can have (NUL is refused by PostgreSQL)
        _token(sub=""),
        _token(sub="user\x00-42"),
        _token(sub="user-\ud800"),
    ):
        body = api.post_comment("hi", sso_token=token, expect=401)
        assert body["code"] == "invalid_sso_token"


def test_sso_token_when_site_has_no_secret(api: Api) -> None:
    body = api.post_comment("hi", sso_token=_token(), expect=401)
    assert body["code"] == "invalid_sso_token"
    assert "does not accept" in body["message"]
