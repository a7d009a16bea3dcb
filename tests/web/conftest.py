"""Web fixtures: the real app (``create_app``, which mounts ``rostra.web``) on a fresh database."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from rostra.api.app import create_app
from rostra.config import Settings
from rostra.services import accounts

ARTICLE_ID = "erbil-drones"
PASSWORD = "correct horse battery"


@dataclass
class Web:
    client: TestClient
    settings: Settings
    admin_token: str
    username: str = "moderator1"

    @property
    def admin(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.admin_token}"}

    def login(self, password: str = PASSWORD) -> Any:
        return self.client.post(
            "/moderate/login",
            data={"username": self.username, "password": password, "next": "/moderate/queue"},
            follow_redirects=False,
        )

    def csrf(self) -> dict[str, str]:
        return {"X-CSRF-Token": self.client.cookies.get("rostra_csrf") or ""}

    def post(self, text: str, author: str = "Reader", article_id: str = ARTICLE_ID) -> int:
        response = self.client.post(
            f"/api/v1/articles/{article_id}/comments", json={"text": text, "author_name": author}
        )
        assert response.status_code == 202, response.text
        return int(response.json()["id"])

    def decide(self, comment_id: int, decision: str, reasons: list[str] | None = None) -> Any:
        return self.client.post(
            f"/moderate/api/comments/{comment_id}/decisions",
            json={"decision": decision, "reasons": reasons or []},
            headers=self.csrf(),
        )


@pytest.fixture
def make_web(make_settings: Callable[..., Settings], screener: Any) -> Iterator[Callable[[], Web]]:
    clients: list[TestClient] = []

    def build() -> Web:
        settings = make_settings()
        app = create_app(settings, screener=screener)
        with app.state.rostra.sessions() as session:
            admin = accounts.create_api_token(session=session, name="a", role="admin", actor="t")[1]
            accounts.create_moderator(
                session=session,
                username="moderator1",
                password=PASSWORD,
                display_name="Mod One",
                actor="test",
            )
            session.commit()
        client = TestClient(app, raise_server_exceptions=False)
        clients.append(client)
        web = Web(client=client, settings=settings, admin_token=admin)
        for article_id, language, title in (
            (ARTICLE_ID, "en", "Drones target bases in Erbil and Anbar"),
            ("ckb-article", "ckb", "بەرگریی ئاسمانی هەولێر"),
        ):
            response = client.post(
                "/api/v1/articles",
                json={
                    "id": article_id,
                    "url": f"https://news.example/{article_id}",
                    "title": title,
                    "body": "First paragraph.\n\nSecond <b>paragraph</b>.",
                    "language": language,
                },
                headers=web.admin,
            )
            assert response.status_code == 201, response.text
        return web

    yield build
    for client in clients:
        client.close()
        client.app.state.rostra.engine.dispose()  # type: ignore[attr-defined]


@pytest.fixture
def web(make_web: Callable[[], Web]) -> Web:
    return make_web()


@pytest.fixture
def signed_in(web: Web) -> Web:
    response = web.login()
    assert response.status_code == 303, response.text
    return web
