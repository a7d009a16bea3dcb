"""Who may do what: every route × every role, from a table (issue 5 §4).

The routes are enumerated from the running app, so a route added without a row in ``TABLE``
fails ``test_every_route_has_a_row``. Each row says which roles are admitted; every role is
then tried against the route and must be admitted or refused exactly as the row says.

"Admitted" means a 2xx, or a 3xx that is not a bounce to the sign-in page. "Refused" means
401/403, a bounce to ``/moderate/login``, or (for rows marked ``hidden``) a 404 that does not
even confirm the thing exists. Any other answer (422, 500...) fails: the row's request must be
one an admitted caller can actually make, or the row proves nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi import FastAPI
from starlette.routing import Mount

from .conftest import ARTICLE, PASSWORD, ROLES, World

EVERYONE = frozenset(ROLES)
STAFF = frozenset({"moderator_token", "moderator_session", "admin_token", "admin_session"})
ADMINS = frozenset({"admin_token", "admin_session"})
STAFF_SESSIONS = frozenset({"moderator_session", "admin_session"})

Request = tuple[str, str, dict[str, Any]]


@dataclass(frozen=True)
class Row:
    admitted: frozenset[str]
    request: Callable[[World], Request]
    #: The route answers a refused caller with 404, so it does not confirm what exists.
    hidden: bool = False
    #: Calling it ends the caller's session on the server (sign-out): the world signs in again.
    ends_session: bool = False


def _get(path: str) -> Callable[[World], Request]:
    return lambda _w: ("GET", path, {})


def _decide(w: World) -> Request:
    comment = w.post_comment("Another comment to decide.", author=w.unique("reader"))
    body = {"decision": "approve", "reasons": []}
    return ("POST", f"/api/v1/moderation/comments/{comment['id']}/decisions", {"json": body})


def _dashboard_decide(w: World) -> Request:
    comment = w.post_comment("A comment decided on the dashboard.", author=w.unique("reader"))
    body = {"decision": "approve", "reasons": []}
    return ("POST", f"/moderate/api/comments/{comment['id']}/decisions", {"json": body})


def _dashboard_bulk(w: World) -> Request:
    ids = [w.post_comment("Bulk item.", author=w.unique("reader"))["id"] for _ in range(2)]
    body = {"decision": "approve", "reasons": [], "comment_ids": ids}
    return ("POST", "/moderate/api/decisions", {"json": body})


def _fresh_author(w: World) -> int:
    return w.author_of(w.post_comment("Someone to ban.", author=w.unique("banme"))["id"])


def _ban(prefix: str) -> Callable[[World], Request]:
    def build(w: World) -> Request:
        body = {"days": 1}
        return ("POST", f"{prefix}/authors/{_fresh_author(w)}/bans", {"json": body})

    return build


def _unban(prefix: str) -> Callable[[World], Request]:
    def build(w: World) -> Request:
        author = _fresh_author(w)
        response = w.client.post(
            f"/api/v1/moderation/authors/{author}/bans", json={"days": 1}, headers=w.admin
        )
        assert response.status_code == 201, response.text
        return ("DELETE", f"{prefix}/authors/{author}/bans", {})

    return build


def _revoke_token(w: World) -> Request:
    response = w.client.post(
        "/api/v1/admin/tokens",
        json={"name": w.unique("victim"), "role": "moderator"},
        headers=w.admin,
    )
    assert response.status_code == 201, response.text
    return ("DELETE", f"/api/v1/admin/tokens/{response.json()['id']}", {})


def _perspective_analyze(_w: World) -> Request:
    body = {
        "comment": {"text": "Thank you for the report."},
        "requestedAttributes": {"TOXICITY": {}},
    }
    return ("POST", "/perspective/v1alpha1/comments:analyze", {"json": body})


def _perspective_suggest(_w: World) -> Request:
    body = {
        "comment": {"text": "Thank you for the report."},
        "attributeScores": {"TOXICITY": {"summaryScore": {"value": 0.1}}},
    }
    return ("POST", "/perspective/v1alpha1/comments:suggestscore", {"json": body})


TABLE: dict[tuple[str, str], Row] = {
    # The API's documentation page, its Swagger UI files and the schema are public.
    ("GET", "/openapi.json"): Row(EVERYONE, _get("/openapi.json")),
    ("GET", "/docs"): Row(EVERYONE, _get("/docs")),
    ("GET", "/docs/oauth2-redirect"): Row(EVERYONE, _get("/docs/oauth2-redirect")),
    ("MOUNT", "/docs/assets"): Row(EVERYONE, _get("/docs/assets/swagger-ui.css")),
    ("GET", "/healthz"): Row(EVERYONE, _get("/healthz")),
    # Public API: reading and posting need nobody; creating an article needs an admin token
    # or session; a pending comment is visible to its author only.
    ("POST", "/api/v1/articles"): Row(
        ADMINS,
        lambda w: ("POST", "/api/v1/articles", {"json": {**ARTICLE, "id": w.unique("art")}}),
    ),
    ("GET", "/api/v1/articles/{article_id}"): Row(
        EVERYONE, _get(f"/api/v1/articles/{ARTICLE['id']}")
    ),
    ("POST", "/api/v1/articles/{article_id}/comments"): Row(
        EVERYONE,
        lambda w: (
            "POST",
            f"/api/v1/articles/{ARTICLE['id']}/comments",
            {"json": {"text": "Good reporting.", "author_name": w.unique("reader")}},
        ),
    ),
    ("GET", "/api/v1/articles/{article_id}/comments"): Row(
        EVERYONE, _get(f"/api/v1/articles/{ARTICLE['id']}/comments")
    ),
    ("GET", "/api/v1/comments/{comment_id}"): Row(
        frozenset({"author"}),
        lambda w: ("GET", f"/api/v1/comments/{w.pending_comment}", {}),
        hidden=True,
    ),
    ("POST", "/api/v1/comments/{comment_id}/reports"): Row(
        EVERYONE,
        lambda w: ("POST", f"/api/v1/comments/{w.approved_comment}/reports", {"json": {}}),
    ),
    ("GET", "/api/v1/comment-counts"): Row(
        EVERYONE, _get(f"/api/v1/comment-counts?article_id={ARTICLE['id']}")
    ),
    # Moderation API: moderators and admins, by token or session.
    ("GET", "/api/v1/moderation/queue"): Row(STAFF, _get("/api/v1/moderation/queue")),
    ("GET", "/api/v1/moderation/comments/{comment_id}"): Row(
        STAFF, lambda w: ("GET", f"/api/v1/moderation/comments/{w.pending_comment}", {})
    ),
    ("POST", "/api/v1/moderation/comments/{comment_id}/decisions"): Row(STAFF, _decide),
    ("GET", "/api/v1/moderation/authors/{author_id}"): Row(
        STAFF, lambda w: ("GET", f"/api/v1/moderation/authors/{w.author_id}", {})
    ),
    ("POST", "/api/v1/moderation/authors/{author_id}/bans"): Row(STAFF, _ban("/api/v1/moderation")),
    ("DELETE", "/api/v1/moderation/authors/{author_id}/bans"): Row(
        STAFF, _unban("/api/v1/moderation")
    ),
    # Sign-in is public; "who am I" is for sessions (a token is not an account).
    ("POST", "/api/v1/auth/login"): Row(
        EVERYONE,
        lambda _w: (
            "POST",
            "/api/v1/auth/login",
            {"json": {"username": "spare", "password": PASSWORD}},
        ),
    ),
    ("POST", "/api/v1/auth/logout"): Row(
        EVERYONE, lambda _w: ("POST", "/api/v1/auth/logout", {}), ends_session=True
    ),
    ("GET", "/api/v1/auth/me"): Row(STAFF_SESSIONS, _get("/api/v1/auth/me")),
    # Administration: admins only.
    ("GET", "/api/v1/admin/moderators"): Row(ADMINS, _get("/api/v1/admin/moderators")),
    ("POST", "/api/v1/admin/moderators"): Row(
        ADMINS,
        lambda w: (
            "POST",
            "/api/v1/admin/moderators",
            {"json": {"username": w.unique("newmod"), "password": PASSWORD}},
        ),
    ),
    ("PATCH", "/api/v1/admin/moderators/{moderator_id}"): Row(
        ADMINS,
        lambda w: (
            "PATCH",
            f"/api/v1/admin/moderators/{w.moderator_ids['spare']}",
            {"json": {"display_name": w.unique("Spare ")}},
        ),
    ),
    ("GET", "/api/v1/admin/tokens"): Row(ADMINS, _get("/api/v1/admin/tokens")),
    ("POST", "/api/v1/admin/tokens"): Row(
        ADMINS,
        lambda w: (
            "POST",
            "/api/v1/admin/tokens",
            {"json": {"name": w.unique("tok"), "role": "moderator"}},
        ),
    ),
    ("DELETE", "/api/v1/admin/tokens/{token_id}"): Row(ADMINS, _revoke_token),
    ("GET", "/api/v1/admin/site"): Row(ADMINS, _get("/api/v1/admin/site")),
    ("PATCH", "/api/v1/admin/site"): Row(
        ADMINS, lambda _w: ("PATCH", "/api/v1/admin/site", {"json": {"moderation_mode": "pre"}})
    ),
    ("GET", "/api/v1/admin/stats"): Row(ADMINS, _get("/api/v1/admin/stats")),
    # Widget and its assets are public (publishers embed them).
    ("GET", "/embed.js"): Row(EVERYONE, _get("/embed.js")),
    ("MOUNT", "/widget"): Row(EVERYONE, _get("/widget/widget.css")),
    ("MOUNT", "/moderate/static"): Row(EVERYONE, _get("/moderate/static/dashboard.css")),
    # Dashboard pages read the session cookie only; everyone else is sent to sign in.
    ("GET", "/moderate"): Row(EVERYONE, _get("/moderate")),
    ("GET", "/moderate/login"): Row(EVERYONE, _get("/moderate/login")),
    ("POST", "/moderate/login"): Row(
        EVERYONE,
        lambda _w: (
            "POST",
            "/moderate/login",
            {"data": {"username": "spare", "password": PASSWORD, "next": "/moderate/queue"}},
        ),
    ),
    ("GET", "/moderate/lang"): Row(EVERYONE, _get("/moderate/lang?set=ar&next=/moderate/queue")),
    ("GET", "/moderate/queue"): Row(STAFF_SESSIONS, _get("/moderate/queue")),
    ("GET", "/moderate/comments/{comment_id}"): Row(
        STAFF_SESSIONS, lambda w: ("GET", f"/moderate/comments/{w.pending_comment}", {})
    ),
    ("GET", "/moderate/authors/{author_id}"): Row(
        STAFF_SESSIONS, lambda w: ("GET", f"/moderate/authors/{w.author_id}", {})
    ),
    ("GET", "/moderate/stats"): Row(STAFF_SESSIONS, _get("/moderate/stats")),
    # The dashboard's JSON actions take a session (with CSRF) or a staff token.
    ("POST", "/moderate/api/comments/{comment_id}/decisions"): Row(STAFF, _dashboard_decide),
    ("POST", "/moderate/api/decisions"): Row(STAFF, _dashboard_bulk),
    ("POST", "/moderate/api/authors/{author_id}/bans"): Row(STAFF, _ban("/moderate/api")),
    ("DELETE", "/moderate/api/authors/{author_id}/bans"): Row(STAFF, _unban("/moderate/api")),
    ("POST", "/moderate/api/authors/{author_id}/notes"): Row(
        STAFF,
        lambda w: ("POST", f"/moderate/api/authors/{w.author_id}/notes", {"json": {"note": "hi"}}),
    ),
    # Demo pages exist for `make run`; they are public like any article page.
    ("GET", "/demo/"): Row(EVERYONE, _get("/demo/")),
    ("GET", "/demo"): Row(EVERYONE, _get("/demo")),
    ("GET", "/demo/articles/{article_id}"): Row(EVERYONE, _get(f"/demo/articles/{ARTICLE['id']}")),
    # Perspective: only keys of role perspective (not even admin tokens); discovery is public.
    ("POST", "/perspective/v1alpha1/comments:analyze"): Row(
        frozenset({"perspective"}), _perspective_analyze
    ),
    ("POST", "/perspective/v1alpha1/comments:suggestscore"): Row(
        frozenset({"perspective"}), _perspective_suggest
    ),
    ("GET", "/perspective/$discovery/rest"): Row(EVERYONE, _get("/perspective/$discovery/rest")),
}

# Routes whose logout semantics make "bounce to sign-in" the normal answer for everyone.
SIGN_OUT = {("POST", "/moderate/logout")}


def app_routes(app: FastAPI) -> Iterator[tuple[str, str]]:
    """Every (method, path) the app answers, including routers FastAPI includes lazily."""
    for route in app.routes:
        if isinstance(route, Mount):
            yield ("MOUNT", route.path)
            continue
        contexts = getattr(route, "effective_route_contexts", None)
        if callable(contexts):
            for context in contexts():
                for method in sorted(context.methods or ()):
                    yield (method, context.path)
            continue
        for method in sorted(getattr(route, "methods", None) or ()):
            if method != "HEAD":
                yield (method, route.path)  # type: ignore[attr-defined]


def test_every_route_has_a_row(world: World) -> None:
    routes = set(app_routes(world.app))
    known = set(TABLE) | SIGN_OUT
    assert routes - known == set(), "routes without a row in the access table"
    assert known - routes == set(), "rows for routes that no longer exist"


def _admitted(status: int, location: str, hidden: bool) -> bool | None:
    if status in (401, 403) or (hidden and status == 404):
        return False
    if 300 <= status < 400 and location.startswith("/moderate/login"):
        return False
    if 200 <= status < 400:
        return True
    return None


@pytest.mark.parametrize(("method", "path"), sorted(TABLE), ids=lambda v: str(v))
def test_route_admits_exactly_its_roles(world: World, method: str, path: str) -> None:
    row = TABLE[(method, path)]
    outcomes: dict[str, tuple[int, str]] = {}
    wrong: list[str] = []
    for role in ROLES:
        verb, url, options = row.request(world)
        world.client.cookies.clear()
        headers = {**options.pop("headers", {}), **world.headers_for(role)}
        response = world.client.request(
            verb, url, headers=headers, follow_redirects=False, **options
        )
        location = response.headers.get("location", "")
        outcomes[role] = (response.status_code, location)
        if row.ends_session and role.endswith("_session"):
            world.renew_session(role.removesuffix("_session"))
        admitted = _admitted(response.status_code, location, row.hidden)
        if admitted is None:
            wrong.append(f"{role}: unexpected {response.status_code} {response.text[:200]}")
        elif admitted != (role in row.admitted):
            expected = "admitted" if role in row.admitted else "refused"
            wrong.append(f"{role}: expected {expected}, got {response.status_code} {location}")
    assert not wrong, f"{method} {path}: " + "; ".join(wrong)


def test_sign_out_needs_the_session_and_its_form_token(world: World) -> None:
    """The sign-out form carries the CSRF token; without it a session is not signed out."""
    for role in ROLES:
        world.client.cookies.clear()
        csrf = ""
        if role.endswith("_session"):
            csrf = world.sessions[role.removesuffix("_session")].csrf
        response = world.client.post(
            "/moderate/logout",
            data={"csrf": csrf},
            headers=world.headers_for(role),
            follow_redirects=False,
        )
        assert response.status_code == 303, (role, response.text)
        if role.endswith("_session"):
            # The answer deletes both cookies.
            cleared = response.headers.get_list("set-cookie")
            assert any(c.startswith("rostra_session=") for c in cleared), role
            world.renew_session(role.removesuffix("_session"))
    # A session without the form token is refused and keeps its cookies.
    world.client.cookies.clear()
    response = world.client.post(
        "/moderate/logout",
        data={"csrf": "wrong"},
        headers=world.headers_for("moderator_session"),
        follow_redirects=False,
    )
    assert response.status_code == 403
    assert not response.headers.get_list("set-cookie")
