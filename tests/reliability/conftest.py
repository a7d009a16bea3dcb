"""Reliability fixtures: the real app on a fresh database with every kind of caller ready.

``World`` holds one app plus a credential for each role the access table speaks of:
anonymous, a comment's author (its X-Author-Token), another author, a moderator and an admin
(each both as a bearer token and as a logged-in session with its CSRF token), and a
Perspective key.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from e2e.conftest import server, shoot  # noqa: F401  (the demo server fixture)
from rostra.api.app import create_app
from rostra.config import Settings
from rostra.services import accounts

ARTICLE = {
    "id": "erbil-drones",
    "url": "https://news.example/erbil-drones",
    "title": "Drones target bases in Erbil and Anbar",
    "body": "Armed drones were launched at bases in Erbil and Anbar overnight.",
    "language": "en",
}
PASSWORD = "correct horse battery staple"
#: The account behind each shared session of the world.
SESSION_USERS = {"moderator": "mod", "admin": "boss"}

ROLES = (
    "anonymous",
    "author",
    "other_author",
    "moderator_token",
    "moderator_session",
    "admin_token",
    "admin_session",
    "perspective",
)


@dataclass
class Session:
    cookie: str
    csrf: str

    def headers(self) -> dict[str, str]:
        return {"Cookie": self.cookie, "X-CSRF-Token": self.csrf}


@dataclass
class World:
    app: FastAPI
    client: TestClient
    settings: Settings
    tokens: dict[str, str]
    sessions: dict[str, Session]
    moderator_ids: dict[str, int]
    author_tokens: dict[str, str] = field(default_factory=dict)
    pending_comment: int = 0
    approved_comment: int = 0
    author_id: int = 0
    _serial: Iterator[int] = field(default_factory=itertools.count)

    def unique(self, stem: str) -> str:
        return f"{stem}{next(self._serial)}"

    @property
    def admin(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens['admin']}"}

    def headers_for(self, role: str) -> dict[str, str]:
        """What a caller of ``role`` sends with every request."""
        if role == "anonymous":
            return {}
        if role in ("author", "other_author"):
            return {"X-Author-Token": self.author_tokens[role]}
        if role.endswith("_session"):
            return self.sessions[role.removesuffix("_session")].headers()
        token = self.tokens[role.removesuffix("_token")]
        # Perspective clients send the key as X-Goog-Api-Key; the API reads a bearer token.
        return {"Authorization": f"Bearer {token}", "X-Goog-Api-Key": token}

    def post_comment(self, text: str, author: str = "Reader") -> dict[str, Any]:
        response = self.client.post(
            f"/api/v1/articles/{ARTICLE['id']}/comments",
            json={"text": text, "author_name": author},
        )
        assert response.status_code == 202, response.text
        return dict(response.json())

    def approve(self, comment_id: int) -> None:
        response = self.client.post(
            f"/api/v1/moderation/comments/{comment_id}/decisions",
            json={"decision": "approve", "reasons": []},
            headers=self.admin,
        )
        assert response.status_code == 201, response.text

    def author_of(self, comment_id: int) -> int:
        response = self.client.get(f"/api/v1/moderation/comments/{comment_id}", headers=self.admin)
        assert response.status_code == 200, response.text
        return int(response.json()["author"]["id"])

    def renew_session(self, who: str) -> None:
        """Sign ``who`` (moderator or admin) in again after a test ended their session."""
        self.sessions[who] = self.login(SESSION_USERS[who])

    def login(self, username: str) -> Session:
        response = self.client.post(
            "/api/v1/auth/login", json={"username": username, "password": PASSWORD}
        )
        assert response.status_code == 200, response.text
        cookie = "; ".join(f"{k}={v}" for k, v in response.cookies.items())
        self.client.cookies.clear()
        return Session(cookie=cookie, csrf=response.json()["csrf_token"])


def build_world(settings: Settings, screener: Any) -> World:
    app = create_app(settings, screener=screener)
    runtime = app.state.rostra
    moderator_ids: dict[str, int] = {}
    with runtime.sessions() as session:
        tokens = {
            role: accounts.create_api_token(session=session, name=role, role=role, actor="test")[1]
            for role in ("admin", "moderator", "perspective")
        }
        for username, role in (("mod", "moderator"), ("boss", "admin"), ("spare", "moderator")):
            row = accounts.create_moderator(
                session=session, username=username, password=PASSWORD, role=role, actor="test"
            )
            session.flush()
            moderator_ids[username] = row.id
        session.commit()
    client = TestClient(app, client=("203.0.113.7", 40000), raise_server_exceptions=False)
    world = World(app, client, settings, tokens, {}, moderator_ids)
    world.sessions = {"moderator": world.login("mod"), "admin": world.login("boss")}
    response = client.post("/api/v1/articles", json=ARTICLE, headers=world.admin)
    assert response.status_code == 201, response.text
    pending = world.post_comment("A pending comment by Alice.", author="Alice")
    approved = world.post_comment("An approved comment by Bob.", author="Bob")
    world.approve(approved["id"])
    world.author_tokens = {
        "author": pending["author_token"],
        "other_author": approved["author_token"],
    }
    world.pending_comment = pending["id"]
    world.approved_comment = approved["id"]
    world.author_id = world.author_of(pending["id"])
    return world


@pytest.fixture(scope="module")
def world(test_database: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """One world per test module: building it hashes five passwords, which is slow on purpose.

    Rows that change state (bans, revocations, decisions) make their own targets, so sharing
    the world between the tests of a module does not couple them.
    """
    from testkit import TEST_SECRET, ScriptedScreener

    tmp_path = tmp_path_factory.mktemp("world")
    url = test_database.url_for(tmp_path)
    test_database.reset()
    settings = Settings(
        environment="test",
        database_url=url,
        database_schema=test_database.schema,
        secret_key=TEST_SECRET,
        var_dir=tmp_path / "var",
        rate_limit_per_author=100_000,
        rate_limit_per_ip=100_000,
        screen_time_budget=1.0,
    )
    built = build_world(settings, ScriptedScreener())
    yield built
    built.client.close()
    built.app.state.rostra.engine.dispose()
