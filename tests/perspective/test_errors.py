"""Every error answers in Google's envelope with Perspective's errorType where it has one."""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
import redis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from rostra.perspective import PerspectiveSettings
from rostra.perspective.analyze import MAX_COMMENT_BYTES
from rostra.perspective.errors import ERROR_DETAIL_TYPE
from rostra.services.accounts import authenticate_token
from rostra.services.ratelimit import RedisRateLimiter
from rostra.store.models import ApiToken

from .conftest import WORDS, BrokenAnalyzer, WordListAnalyzer, build_app, make_screen, new_token

ANALYZE = "/perspective/v1alpha1/comments:analyze"
SUGGEST = "/perspective/v1alpha1/comments:suggestscore"


def assert_envelope(
    response: Any, code: int, status: str, error_type: str | None = None
) -> dict[str, Any]:
    assert response.status_code == code
    assert response.headers["content-type"].startswith("application/json")
    error = response.json()["error"]
    assert set(error) >= {"code", "message", "status"}
    assert error["code"] == code
    assert error["status"] == status
    assert isinstance(error["message"], str)
    assert error["message"]
    if error_type is None:
        assert "details" not in error
    else:
        assert error["details"] == [{"@type": ERROR_DETAIL_TYPE, "errorType": error_type}]
    return error


@pytest.fixture
def client(app: FastAPI) -> TestClient:
    return TestClient(app)


def analyze(client: TestClient, key: str, body: Any) -> Any:
    return client.post(f"{ANALYZE}?key={key}", json=body)


@pytest.mark.parametrize(
    "body",
    [
        {"requestedAttributes": {"TOXICITY": {}}},
        {"comment": {}, "requestedAttributes": {"TOXICITY": {}}},
        {"comment": {"text": ""}, "requestedAttributes": {"TOXICITY": {}}},
        {"comment": {"text": " \n\t "}, "requestedAttributes": {"TOXICITY": {}}},
    ],
)
def test_comment_empty(client: TestClient, key: str, body: dict[str, Any]) -> None:
    assert_envelope(analyze(client, key, body), 400, "INVALID_ARGUMENT", "COMMENT_EMPTY")


def test_comment_too_long_is_above_20_kb_of_utf8(client: TestClient, key: str) -> None:
    # 'ش' is two bytes of UTF-8: 10,240 of them are exactly the limit.
    at_limit = "ش" * (MAX_COMMENT_BYTES // 2)
    ok = analyze(
        client, key, {"comment": {"text": at_limit}, "requestedAttributes": {"TOXICITY": {}}}
    )
    assert ok.status_code == 200
    over = analyze(
        client, key, {"comment": {"text": at_limit + "a"}, "requestedAttributes": {"TOXICITY": {}}}
    )
    error = assert_envelope(over, 400, "INVALID_ARGUMENT", "COMMENT_TOO_LONG")
    assert "ش" not in error["message"]


@pytest.mark.parametrize("attributes", [None, {}])
def test_no_requested_attributes(client: TestClient, key: str, attributes: Any) -> None:
    body: dict[str, Any] = {"comment": {"text": "hello there"}}
    if attributes is not None:
        body["requestedAttributes"] = attributes
    assert_envelope(analyze(client, key, body), 400, "INVALID_ARGUMENT", "NO_REQUESTED_ATTRIBUTES")


@pytest.mark.parametrize("text", ["!!! 123 :-)", "12345", "🙂🙂🙂", "...", "Ωραίο άρθρο"])
def test_text_rostra_cannot_place_is_screened_not_failed(
    client: TestClient, key: str, text: str
) -> None:
    """Issue 6 §4: no LANGUAGE_DETECTION_FAILED while rostra can screen the text. Text with no
    letters (or in a script none of rostra's languages use) is screened as rostra's own API
    screens it, as language "other", reported "und"; with or without ``languages``."""
    body: dict[str, Any] = {"comment": {"text": text}, "requestedAttributes": {"TOXICITY": {}}}
    for extra in ({}, {"languages": ["en"]}):
        response = analyze(client, key, {**body, **extra})
        assert response.status_code == 200, response.text
        data = response.json()
        assert data["detectedLanguages"] == data["languages"] == ["und"]
        assert data["attributeScores"]["TOXICITY"]["summaryScore"]["value"] == 0.0


#: JSON escapes of characters that cannot be screened, and how the message names them.
FORBIDDEN_ESCAPES = [
    ("\\ud800", "U+D800", "surrogate"),  # a lone high surrogate
    ("\\udfff", "U+DFFF", "surrogate"),  # a lone low surrogate
    ("\\udc00\\ud800", "U+DC00", "surrogate"),  # a pair in the wrong order
]


@pytest.mark.parametrize(("escape", "codepoint", "kind"), FORBIDDEN_ESCAPES)
@pytest.mark.parametrize("path", [ANALYZE, SUGGEST])
def test_forbidden_characters_are_invalid_argument(
    client: TestClient, key: str, path: str, escape: str, codepoint: str, kind: str
) -> None:
    """A lone surrogate used to answer 500 (fastText cannot read it); now a clear 400."""
    raw = (
        '{"comment": {"text": "You idiot ' + escape + ' there"}, '
        '"requestedAttributes": {"TOXICITY": {}}, '
        '"attributeScores": {"TOXICITY": {"summaryScore": {"value": 1}}}, '
        '"languages": ["en"]}'
    )
    response = client.post(
        f"{path}?key={key}", content=raw.encode(), headers={"Content-Type": "application/json"}
    )
    error = assert_envelope(response, 400, "INVALID_ARGUMENT")
    # Names the character and where it is (in UTF-16 code units), never the text.
    assert f"{codepoint} at offset 10" in error["message"]
    assert kind in error["message"]
    assert "idiot" not in error["message"]


@pytest.mark.parametrize("escape", ["\\u202e", "\\u0000", "\\u2066", "\\u200b"])
def test_invisible_characters_are_screened_not_refused(
    client: TestClient, key: str, escape: str
) -> None:
    """Coral lets a comment through unscored when the call fails, so a refusal would let abuse
    through by adding one invisible character: controls, direction overrides and zero-width
    characters are screened like the rest (the normalizer removes them)."""
    raw = (
        '{"comment": {"text": "You idiot ' + escape + ' there"}, '
        '"requestedAttributes": {"TOXICITY": {}}, "languages": ["en"]}'
    )
    response = client.post(
        f"{ANALYZE}?key={key}", content=raw.encode(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 200, response.text
    assert response.json()["attributeScores"]["TOXICITY"]["summaryScore"]["value"] >= 0.8


def test_carriage_returns_are_line_breaks_not_forbidden(client: TestClient, key: str) -> None:
    body = {
        "comment": {"text": "You idiot.\r\nSecond line.\rThird."},
        "requestedAttributes": {"TOXICITY": {}},
        "spanAnnotations": True,
    }
    response = analyze(client, key, body)
    assert response.status_code == 200, response.text
    spans = response.json()["attributeScores"]["TOXICITY"]["spanScores"]
    assert {"begin": 4, "end": 9} in [{"begin": s["begin"], "end": s["end"]} for s in spans]


def test_unknown_language_hint_never_fails(client: TestClient, key: str) -> None:
    body = {
        "comment": {"text": "You are an idiot."},
        "requestedAttributes": {"TOXICITY": {}},
        "languages": ["xx-Klingon", "zz"],
    }
    response = analyze(client, key, body)
    assert response.status_code == 200
    assert response.json()["detectedLanguages"] == ["en"]


def test_unknown_requested_attribute(client: TestClient, key: str) -> None:
    body = {
        "comment": {"text": "hello there"},
        "requestedAttributes": {"TOXICITY": {}, "FLIRTATION": {}},
    }
    error = assert_envelope(analyze(client, key, body), 400, "INVALID_ARGUMENT")
    assert error["message"] == "Unknown requested attribute: FLIRTATION"


def test_unsupported_score_type_and_bad_threshold(client: TestClient, key: str) -> None:
    body = {
        "comment": {"text": "hello there"},
        "requestedAttributes": {"TOXICITY": {"scoreType": "STD_DEV_SCORE"}},
    }
    assert (
        "PROBABILITY"
        in assert_envelope(analyze(client, key, body), 400, "INVALID_ARGUMENT")["message"]
    )
    body = {
        "comment": {"text": "hello there"},
        "requestedAttributes": {"TOXICITY": {"scoreThreshold": 1.5}},
    }
    assert_envelope(analyze(client, key, body), 400, "INVALID_ARGUMENT")


def test_invalid_json_and_wrong_types(client: TestClient, key: str) -> None:
    response = client.post(
        f"{ANALYZE}?key={key}", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert_envelope(response, 400, "INVALID_ARGUMENT")
    assert_envelope(analyze(client, key, [1, 2]), 400, "INVALID_ARGUMENT")
    secret = "my private words"
    error = assert_envelope(
        analyze(
            client, key, {"comment": {"text": [secret]}, "requestedAttributes": {"TOXICITY": {}}}
        ),
        400,
        "INVALID_ARGUMENT",
    )
    assert "comment.text" in error["message"]
    assert secret not in error["message"]


def test_missing_key_is_permission_denied(client: TestClient) -> None:
    response = client.post(
        ANALYZE, json={"comment": {"text": "hi"}, "requestedAttributes": {"TOXICITY": {}}}
    )
    assert_envelope(response, 403, "PERMISSION_DENIED")


def test_invalid_key(client: TestClient) -> None:
    response = analyze(client, "rostra_not-a-real-token", {"comment": {"text": "hi"}})
    error = assert_envelope(response, 400, "INVALID_ARGUMENT")
    assert error["message"].startswith("API key not valid")
    assert "rostra_not-a-real-token" not in response.text


def test_key_in_google_header_works(client: TestClient, key: str) -> None:
    response = client.post(
        ANALYZE,
        json={"comment": {"text": "hello there"}, "requestedAttributes": {"TOXICITY": {}}},
        headers={"X-Goog-Api-Key": key},
    )
    assert response.status_code == 200


def test_token_of_another_role_is_refused(
    client: TestClient, sessions: sessionmaker[Session]
) -> None:
    admin = new_token(sessions, role="admin")
    response = analyze(
        client, admin, {"comment": {"text": "hi"}, "requestedAttributes": {"TOXICITY": {}}}
    )
    assert_envelope(response, 403, "PERMISSION_DENIED")


def test_revoked_key_is_invalid(
    client: TestClient, key: str, sessions: sessionmaker[Session]
) -> None:
    body = {"comment": {"text": "hello there"}, "requestedAttributes": {"TOXICITY": {}}}
    assert analyze(client, key, body).status_code == 200
    with sessions() as session:
        token = authenticate_token(session=session, token=key)
        assert token is not None
        session.execute(
            update(ApiToken).where(ApiToken.id == token.id).values(revoked_at=datetime.now(UTC))
        )
        session.commit()
    assert_envelope(analyze(client, key, body), 400, "INVALID_ARGUMENT")


def test_rate_limit_per_key_is_resource_exhausted(sessions: sessionmaker[Session]) -> None:
    app, _ = build_app(sessions, config=PerspectiveSettings(rate_limit=3))
    client = TestClient(app)
    limited, other = new_token(sessions), new_token(sessions)
    body = {"comment": {"text": "hello there"}, "requestedAttributes": {"TOXICITY": {}}}
    assert [analyze(client, limited, body).status_code for _ in range(3)] == [200, 200, 200]
    response = analyze(client, limited, body)
    assert_envelope(response, 429, "RESOURCE_EXHAUSTED")
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    # Another key has its own quota.
    assert analyze(client, other, body).status_code == 200


def test_body_too_large(sessions: sessionmaker[Session], key: str) -> None:
    app, _ = build_app(sessions, config=PerspectiveSettings(max_body_bytes=32 * 1024))
    body = {
        "comment": {"text": "hello"},
        "context": {"articleAndParentComment": {"article": {"text": "x" * 40_000}}},
        "requestedAttributes": {"TOXICITY": {}},
    }
    assert_envelope(analyze(TestClient(app), key, body), 413, "INVALID_ARGUMENT")


def test_a_failing_analyzer_is_unavailable_not_a_low_score(
    sessions: sessionmaker[Session], key: str
) -> None:
    app, _ = build_app(sessions, screen=make_screen(WordListAnalyzer(WORDS), BrokenAnalyzer()))
    body = {"comment": {"text": "hello there"}, "requestedAttributes": {"TOXICITY": {}}}
    response = analyze(TestClient(app), key, body)
    assert_envelope(response, 503, "UNAVAILABLE")
    assert "model file missing" not in response.text


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"comment": {"text": "hi there"}}, 400),
        ({"comment": {"text": "hi there"}, "attributeScores": {}}, 400),
        ({"comment": {"text": "hi there"}, "attributeScores": {"TOXICITY": {}}}, 400),
        (
            {
                "comment": {"text": "hi there"},
                "attributeScores": {"TOXICITY": {"summaryScore": {"value": 2}}},
            },
            400,
        ),
        (
            {
                "comment": {"text": "hi there"},
                "attributeScores": {"bad name!": {"summaryScore": {"value": 1}}},
            },
            400,
        ),
    ],
)
def test_suggestscore_validation(
    client: TestClient, key: str, body: dict[str, Any], status: int
) -> None:
    assert_envelope(client.post(f"{SUGGEST}?key={key}", json=body), status, "INVALID_ARGUMENT")


def test_suggestscore_comment_empty(client: TestClient, key: str) -> None:
    body = {
        "comment": {"text": ""},
        "attributeScores": {"TOXICITY": {"summaryScore": {"value": 1}}},
    }
    assert_envelope(
        client.post(f"{SUGGEST}?key={key}", json=body), 400, "INVALID_ARGUMENT", "COMMENT_EMPTY"
    )


def test_discovery_unknown_version(client: TestClient) -> None:
    assert_envelope(client.get("/perspective/$discovery/rest?version=v9"), 404, "NOT_FOUND")


def test_rate_limit_shared_through_redis(sessions: sessionmaker[Session]) -> None:
    """Two app instances (two processes in production) share one key's quota in Redis."""
    redis_url = os.environ.get("ROSTRA_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    prefix = f"rostra:test:{uuid.uuid4().hex}:"
    try:
        redis.Redis.from_url(redis_url).ping()
    except redis.RedisError:
        pytest.skip(f"no Redis at {redis_url}")
    config = PerspectiveSettings(rate_limit=2)
    first, _ = build_app(
        sessions, config=config, limiter=RedisRateLimiter(redis_url, prefix=prefix)
    )
    second, _ = build_app(
        sessions, config=config, limiter=RedisRateLimiter(redis_url, prefix=prefix)
    )
    key = new_token(sessions)
    body = {"comment": {"text": "hello there"}, "requestedAttributes": {"TOXICITY": {}}}
    assert analyze(TestClient(first), key, body).status_code == 200
    assert analyze(TestClient(second), key, body).status_code == 200
    assert_envelope(analyze(TestClient(first), key, body), 429, "RESOURCE_EXHAUSTED")


def test_the_shipped_screen_screens_text_without_letters(
    shipped_app: FastAPI, shipped_key: str
) -> None:
    response = analyze(
        TestClient(shipped_app),
        shipped_key,
        {"comment": {"text": "!!! 123"}, "requestedAttributes": {"TOXICITY": {}, "SPAM": {}}},
    )
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["detectedLanguages"] == ["und"]
    for scores in data["attributeScores"].values():
        assert 0.0 <= scores["summaryScore"]["value"] <= 1.0


LONE_SURROGATE_FIELDS = [
    # (name, JSON members added to a valid request, the path the message names)
    ("clientToken", '"clientToken": "tok\\ud800"', "clientToken"),
    ("sessionId", '"sessionId": "\\udfff"', "sessionId"),
    ("communityId", '"communityId": "Coral:\\ud800"', "communityId"),
    ("languages", '"languages": ["en", "\\ud800"]', "languages[1]"),
    (
        "article",
        '"context": {"articleAndParentComment": {"article": {"text": "a \\ud800"}}}',
        "context.articleAndParentComment.article.text",
    ),
    (
        "entries",
        '"context": {"entries": [{"text": "ok"}, {"text": "\\udc00"}]}',
        "context.entries[1].text",
    ),
    ("a key", '"unknownField": {"\\ud800": 1}', "a key of unknownField"),
]


@pytest.mark.parametrize(
    ("field", "member", "where"),
    LONE_SURROGATE_FIELDS,
    ids=[f for f, _, _ in LONE_SURROGATE_FIELDS],
)
@pytest.mark.parametrize("path", [ANALYZE, SUGGEST])
def test_a_lone_surrogate_anywhere_is_invalid_argument(
    client: TestClient, key: str, path: str, field: str, member: str, where: str
) -> None:
    """Not only the comment: a lone surrogate cannot be stored, echoed (clientToken) or
    screened, and used to answer 500 from several fields."""
    raw = (
        '{"comment": {"text": "Fine reporting."}, "requestedAttributes": {"TOXICITY": {}}, '
        '"attributeScores": {"TOXICITY": {"summaryScore": {"value": 1}}}, ' + member + "}"
    )
    response = client.post(
        f"{path}?key={key}", content=raw.encode(), headers={"Content-Type": "application/json"}
    )
    error = assert_envelope(response, 400, "INVALID_ARGUMENT")
    assert f"Invalid value at '{where}'" in error["message"], field
    assert "surrogate" in error["message"]


def test_escaped_surrogate_pairs_are_text(client: TestClient, key: str) -> None:
    """A well-formed pair is one character (an emoji): only lone halves are refused."""
    raw = (
        '{"comment": {"text": "You idiot \\ud83d\\ude00"}, "clientToken": "\\ud83d\\ude00", '
        '"requestedAttributes": {"TOXICITY": {}}, "spanAnnotations": true}'
    )
    response = client.post(
        f"{ANALYZE}?key={key}", content=raw.encode(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["clientToken"] == "\U0001f600"
    # The emoji is two UTF-16 code units: the comment is 12 long.
    assert data["attributeScores"]["TOXICITY"]["spanScores"][0]["end"] == 12
