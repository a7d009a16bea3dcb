"""CORS for the widget on publisher pages: listed origins, widget paths only, never moderation."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from rostra.api.app import create_app
from rostra.config import Settings
from rostra.services import accounts

PUBLISHER = "https://news.example"
STRANGER = "https://evil.example"
ARTICLE = "cors-article"


class Site:
    def __init__(self, client: TestClient, admin: str) -> None:
        self.client = client
        self.admin = {"Authorization": f"Bearer {admin}"}

    def preflight(self, path: str, origin: str, method: str = "POST", headers: str = "") -> Any:
        request_headers = {"Origin": origin, "Access-Control-Request-Method": method}
        if headers:
            request_headers["Access-Control-Request-Headers"] = headers
        return self.client.options(path, headers=request_headers)

    def post_comment(self, origin: str | None = None) -> Any:
        return self.client.post(
            f"/api/v1/articles/{ARTICLE}/comments",
            json={"text": "Hello from the publisher's page", "author_name": "Reader"},
            headers={"Origin": origin} if origin else {},
        )


@pytest.fixture
def make_site(
    make_settings: Callable[..., Settings], screener: Any
) -> Iterator[Callable[..., Site]]:
    clients: list[TestClient] = []

    def build(origins: list[str]) -> Site:
        app = create_app(make_settings(widget_origins=origins), screener=screener)
        with app.state.rostra.sessions() as session:
            admin = accounts.create_api_token(session=session, name="a", role="admin", actor="t")[1]
            accounts.create_moderator(
                session=session, username="m", password="correct horse battery", actor="test"
            )
            session.commit()
        client = TestClient(app, raise_server_exceptions=False)
        clients.append(client)
        site = Site(client, admin)
        created = client.post(
            "/api/v1/articles",
            json={
                "id": ARTICLE,
                "url": f"https://news.example/{ARTICLE}",
                "title": "CORS",
                "body": "Body.",
                "language": "en",
            },
            headers=site.admin,
        )
        assert created.status_code == 201, created.text
        return site

    yield build
    for client in clients:
        client.close()
        client.app.state.rostra.engine.dispose()  # type: ignore[attr-defined]


def cors_headers(response: Any) -> dict[str, str]:
    return {
        k.lower(): v for k, v in response.headers.items() if k.lower().startswith("access-control-")
    }


#: Every request a cross-origin widget makes (method, path, extra request headers).
def widget_requests(comment_id: int) -> list[tuple[str, str, str]]:
    return [
        ("GET", f"/api/v1/articles/{ARTICLE}", ""),
        ("GET", f"/api/v1/articles/{ARTICLE}/comments?sort=newest&limit=20", ""),
        ("POST", f"/api/v1/articles/{ARTICLE}/comments", "content-type"),
        ("GET", f"/api/v1/comments/{comment_id}", "x-author-token"),
        ("POST", f"/api/v1/comments/{comment_id}/reports", "content-type"),
        ("GET", f"/api/v1/comment-counts?article_id={ARTICLE}", ""),
        ("GET", "/widget/i18n/ckb.json", ""),
        ("GET", "/widget/widget.css", ""),
        ("GET", "/embed.js", ""),
    ]


def test_a_listed_origin_may_call_the_widget_api_and_fetch_its_files(
    make_site: Callable[..., Site],
) -> None:
    site = make_site([PUBLISHER])
    comment_id = int(site.post_comment().json()["id"])
    for method, path, headers in widget_requests(comment_id):
        preflight = site.preflight(path.split("?")[0], PUBLISHER, method, headers)
        assert preflight.status_code == 200, (path, preflight.text)
        allowed = cors_headers(preflight)
        assert allowed["access-control-allow-origin"] == PUBLISHER, path
        assert "access-control-allow-credentials" not in allowed
        assert {"content-type", "x-author-token"} <= {
            h.strip().lower() for h in allowed["access-control-allow-headers"].split(",")
        }
        assert set(allowed["access-control-allow-methods"].split(", ")) == {
            "GET",
            "POST",
            "OPTIONS",
        }
        # The security headers are still there, on the preflight answer too.
        assert preflight.headers["x-content-type-options"] == "nosniff"
    posted = site.post_comment(PUBLISHER)
    assert posted.status_code == 202
    assert posted.headers["access-control-allow-origin"] == PUBLISHER
    assert "Origin" in posted.headers["vary"]
    assert "retry-after" in posted.headers["access-control-expose-headers"].lower()
    assert "access-control-allow-credentials" not in cors_headers(posted)
    assert posted.headers["content-security-policy"].startswith("default-src 'none'")
    strings = site.client.get("/widget/i18n/ckb.json", headers={"Origin": PUBLISHER})
    assert strings.headers["access-control-allow-origin"] == PUBLISHER


def test_an_origin_not_listed_gets_no_cors_allowance(make_site: Callable[..., Site]) -> None:
    site = make_site([PUBLISHER])
    comment_id = int(site.post_comment().json()["id"])
    for method, path, headers in widget_requests(comment_id):
        preflight = site.preflight(path.split("?")[0], STRANGER, method, headers)
        assert preflight.status_code >= 400, path
        assert "access-control-allow-origin" not in cors_headers(preflight), path
        if method == "GET":
            simple = site.client.get(path, headers={"Origin": STRANGER})
            assert "access-control-allow-origin" not in cors_headers(simple), path
    posted = site.post_comment(STRANGER)
    assert "access-control-allow-origin" not in cors_headers(posted)


def test_without_widget_origins_nothing_sends_cors(make_site: Callable[..., Site]) -> None:
    site = make_site([])
    comment_id = int(site.post_comment().json()["id"])
    for method, path, headers in widget_requests(comment_id):
        assert cors_headers(site.preflight(path.split("?")[0], PUBLISHER, method, headers)) == {}
        if method == "GET":
            assert cors_headers(site.client.get(path, headers={"Origin": PUBLISHER})) == {}
    # Same-origin use is untouched.
    assert site.post_comment().status_code == 202


@pytest.mark.parametrize("origins", [[PUBLISHER], ["*"]], ids=["listed", "star"])
def test_moderation_admin_auth_and_the_dashboard_never_get_cors(
    make_site: Callable[..., Site], origins: list[str]
) -> None:
    site = make_site(origins)
    comment_id = int(site.post_comment().json()["id"])
    closed = [
        ("GET", "/api/v1/moderation/queue", "authorization"),
        ("POST", f"/api/v1/moderation/comments/{comment_id}/decisions", "authorization"),
        ("GET", "/api/v1/admin/stats", "authorization"),
        ("GET", "/api/v1/admin/site", "authorization"),
        ("POST", "/api/v1/auth/login", "content-type"),
        ("GET", "/api/v1/auth/me", ""),
        ("POST", "/api/v1/articles", "authorization"),  # article creation is a token's job
        ("GET", "/moderate/queue", ""),
        ("GET", "/moderate/login", ""),
        ("POST", f"/moderate/api/comments/{comment_id}/decisions", "x-csrf-token"),
        ("GET", "/moderate/static/dashboard.js", ""),
        ("GET", "/demo/", ""),
        ("GET", "/openapi.json", ""),
        ("GET", "/healthz", ""),
    ]
    for method, path, headers in closed:
        assert cors_headers(site.preflight(path, PUBLISHER, method, headers)) == {}, path
    for method, path, _ in closed:
        if method == "GET":
            response = site.client.get(path, headers={"Origin": PUBLISHER, **site.admin})
            assert cors_headers(response) == {}, path
    decided = site.client.post(
        f"/api/v1/moderation/comments/{comment_id}/decisions",
        json={"decision": "approve", "reasons": []},
        headers={"Origin": PUBLISHER, **site.admin},
    )
    assert decided.status_code in (200, 201)
    assert cors_headers(decided) == {}


def test_star_allows_any_origin_on_the_widget_paths_without_credentials(
    make_site: Callable[..., Site],
) -> None:
    site = make_site(["*"])
    preflight = site.preflight(
        f"/api/v1/articles/{ARTICLE}/comments", STRANGER, "POST", "content-type"
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in cors_headers(preflight)
    posted = site.post_comment(STRANGER)
    assert posted.headers["access-control-allow-origin"] == "*"


def test_widget_origins_setting_reads_a_comma_separated_list(
    monkeypatch: pytest.MonkeyPatch, make_settings: Callable[..., Settings]
) -> None:
    monkeypatch.setenv("ROSTRA_WIDGET_ORIGINS", " https://News.Example/ ,http://127.0.0.1:8080,")
    assert Settings().widget_origins == ["https://news.example", "http://127.0.0.1:8080"]
    monkeypatch.setenv("ROSTRA_WIDGET_ORIGINS", "")
    assert Settings().widget_origins == []
    monkeypatch.delenv("ROSTRA_WIDGET_ORIGINS")
    assert Settings().widget_origins == []
    for wrong in ("news.example", "https://news.example/comments", "ftp://news.example"):
        with pytest.raises(ValidationError, match="not an origin"):
            make_settings(widget_origins=[wrong])
