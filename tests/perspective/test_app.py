"""The endpoint inside rostra's own app: ``create_app`` mounts it, tokens come from the
service's token store, and the service's screener answers."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from rostra.api.app import create_app
from rostra.config import Settings
from rostra.perspective.models import PerspectiveFeedback
from rostra.services.accounts import create_api_token

from .conftest import make_screen


def perspective_token(app_sessions: sessionmaker[Session], role: str = "perspective") -> str:
    with app_sessions() as session:
        _row, token = create_api_token(session=session, name="coral", role=role, actor="test")
        session.commit()
    return str(token)


def test_create_app_mounts_the_endpoint_on_the_service_runtime(settings: Settings) -> None:
    app = create_app(settings, screener=make_screen())
    runtime = app.state.rostra
    token = perspective_token(runtime.sessions)
    client = TestClient(app)
    document = client.get("/perspective/$discovery/rest?version=v1alpha1").json()
    assert document["rootUrl"] == "http://testserver/perspective/"
    response = client.post(
        f"/perspective/v1alpha1/comments:analyze?key={token}",
        json={
            "comment": {"text": "You are an idiot."},
            "requestedAttributes": {"TOXICITY": {}},
            "languages": ["en"],
            "doNotStore": True,
        },
    )
    assert response.status_code == 200
    assert response.json()["attributeScores"]["TOXICITY"]["summaryScore"]["value"] > 0.8
    feedback = client.post(
        f"/perspective/v1alpha1/comments:suggestscore?key={token}",
        json={
            "comment": {"text": "You are an idiot."},
            "attributeScores": {"DELETED": {"summaryScore": {"value": 1}}},
            "clientToken": "comment:1",
        },
    )
    assert feedback.status_code == 200
    with runtime.sessions() as session:
        row = session.query(PerspectiveFeedback).one()
    assert row.site_id == settings.site_id
    assert row.label == "rejected"


def test_service_screener_without_policy_is_scored_on_the_default_policy(
    settings: Settings,
    screener: Any,
) -> None:
    # The service's test double returns 0.99 for the category named in the text.
    app = create_app(settings, screener=screener)
    token = perspective_token(app.state.rostra.sessions)
    response = TestClient(app).post(
        f"/perspective/v1alpha1/comments:analyze?key={token}",
        json={
            "comment": {"text": "[reject:threat] see you"},
            "requestedAttributes": {"THREAT": {}, "INSULT": {}},
            "languages": ["en"],
        },
    )
    assert response.status_code == 200
    scores = response.json()["attributeScores"]
    assert scores["THREAT"]["summaryScore"]["value"] > 0.85
    assert scores["INSULT"]["summaryScore"]["value"] == 0.0
    # rostra detects English itself: the client's `languages` is a hint it needs only for
    # text it cannot place, so the screen gets none here.
    assert screener.seen[-1][1].lang_hint is None


def test_moderator_tokens_cannot_call_it(settings: Settings) -> None:
    app = create_app(settings, screener=make_screen())
    token = perspective_token(app.state.rostra.sessions, role="moderator")
    response = TestClient(app).post(
        f"/perspective/v1alpha1/comments:analyze?key={token}",
        json={"comment": {"text": "hello"}, "requestedAttributes": {"TOXICITY": {}}},
    )
    assert response.status_code == 403
    assert response.json()["error"]["status"] == "PERMISSION_DENIED"


def test_long_article_context_passes_the_service_body_limit(settings: Settings) -> None:
    """The comment API keeps 64 KiB; the Perspective routes accept a long article as context
    and answer oversize bodies in Google's envelope."""
    app = create_app(settings, screener=make_screen())
    token = perspective_token(app.state.rostra.sessions)
    client = TestClient(app)

    def analyze(article_chars: int) -> Any:
        return client.post(
            f"/perspective/v1alpha1/comments:analyze?key={token}",
            json={
                "comment": {"text": "The salaries must be paid"},
                "context": {"articleAndParentComment": {"article": {"text": "x" * article_chars}}},
                "requestedAttributes": {"TOXICITY": {}},
            },
        )

    assert settings.max_body_bytes < 100_000
    assert analyze(100_000).status_code == 200
    too_large = analyze(1_100_000)
    assert too_large.status_code == 413
    assert too_large.json()["error"]["status"] == "INVALID_ARGUMENT"


def test_deeply_nested_json_is_invalid_argument(settings: Settings) -> None:
    app = create_app(settings, screener=make_screen())
    token = perspective_token(app.state.rostra.sessions)
    response = TestClient(app).post(
        f"/perspective/v1alpha1/comments:analyze?key={token}",
        content=b"[" * 100_000 + b"]" * 100_000,
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json()["error"]["status"] == "INVALID_ARGUMENT"
