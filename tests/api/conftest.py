"""API fixtures: the real app on a fresh database, with real tokens and a scripted screen."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

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


@dataclass
class Api:
    """A test client plus the credentials and helpers most tests need."""

    client: TestClient
    settings: Settings
    admin_token: str
    moderator_token: str
    perspective_token: str

    @property
    def admin(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.admin_token}"}

    @property
    def moderator(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.moderator_token}"}

    def create_article(self, **overrides: Any) -> dict[str, Any]:
        body = {**ARTICLE, **overrides}
        response = self.client.post("/api/v1/articles", json=body, headers=self.admin)
        assert response.status_code == 201, response.text
        return dict(response.json())

    def post_comment(
        self, text: str, *, article_id: str = ARTICLE["id"], expect: int = 202, **fields: Any
    ) -> dict[str, Any]:
        body = {"text": text, "author_name": "Reader", **fields}
        response = self.client.post(f"/api/v1/articles/{article_id}/comments", json=body)
        assert response.status_code == expect, response.text
        return dict(response.json())

    def decide(self, comment_id: int, decision: str, reasons: list[str] | None = None) -> Any:
        return self.client.post(
            f"/api/v1/moderation/comments/{comment_id}/decisions",
            json={"decision": decision, "reasons": reasons or []},
            headers=self.moderator,
        )

    def approved(self, text: str, **fields: Any) -> dict[str, Any]:
        comment = self.post_comment(text, **fields)
        assert self.decide(comment["id"], "approve").status_code == 201
        return comment


@pytest.fixture
def make_api(make_settings: Callable[..., Settings], screener: Any) -> Iterator[Callable[..., Api]]:
    clients: list[TestClient] = []

    def build(*, client_ip: str = "203.0.113.7", screen: Any = None, **overrides: Any) -> Api:
        settings = make_settings(**overrides)
        app = create_app(settings, screener=screen or screener)
        runtime = app.state.rostra
        with runtime.sessions() as session:
            tokens = {
                role: accounts.create_api_token(
                    session=session, name=role, role=role, actor="test"
                )[1]
                for role in ("admin", "moderator", "perspective")
            }
            session.commit()
        client = TestClient(app, client=(client_ip, 40000), raise_server_exceptions=False)
        clients.append(client)
        return Api(client, settings, tokens["admin"], tokens["moderator"], tokens["perspective"])

    yield build
    for client in clients:
        client.close()
        client.app.state.rostra.engine.dispose()  # type: ignore[attr-defined]


@pytest.fixture
def api(make_api: Callable[..., Api]) -> Api:
    """The app with an article already created (site in ``pre`` moderation mode)."""
    built = make_api()
    built.create_article()
    return built


def set_mode(api: Api, mode: str) -> None:
    response = api.client.patch(
        "/api/v1/admin/site", json={"moderation_mode": mode}, headers=api.admin
    )
    assert response.status_code == 200, response.text
