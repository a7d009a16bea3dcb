"""Flood limits (429 + Retry-After) per author and per anonymized IP, in the DB or Redis."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable

import pytest
import redis
from fastapi.testclient import TestClient

from api.conftest import ARTICLE, Api
from testkit import REDIS_URL

URL = f"/api/v1/articles/{ARTICLE['id']}/comments"


def _redis_available() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


BACKENDS = [
    pytest.param("database", id="database"),
    pytest.param(
        "redis",
        id="redis",
        marks=pytest.mark.skipif(not _redis_available(), reason=f"no Redis at {REDIS_URL}"),
    ),
]


def _clear_of_window_edge(window: int, margin: float = 15.0) -> None:
    """Windows are fixed: wait out the end of the current one so a test stays inside one."""
    left = window - time.time() % window
    if left < margin:
        time.sleep(left + 0.05)


def _limits(backend: str, **limits: int) -> dict[str, object]:
    _clear_of_window_edge(120)
    values: dict[str, object] = {"rate_limit_window_seconds": 120, **limits}
    if backend == "redis":
        values["redis_url"] = REDIS_URL
        values["redis_key_prefix"] = f"rostra-test-{uuid.uuid4().hex}:"
    return values


def _post(client: TestClient, name: str, email: str | None = None) -> tuple[int, dict, dict]:  # type: ignore[type-arg]
    body = {"text": "hello", "author_name": name}
    if email:
        body["author_email"] = email
    response = client.post(URL, json=body)
    return response.status_code, response.json(), dict(response.headers)


@pytest.mark.parametrize("backend", BACKENDS)
def test_per_author_limit(make_api: Callable[..., Api], backend: str) -> None:
    api = make_api(**_limits(backend, rate_limit_per_author=3, rate_limit_per_ip=100))
    api.create_article()
    for _ in range(3):
        assert _post(api.client, "Ann", "ann@example.org")[0] == 202
    status, body, headers = _post(api.client, "Ann", "ann@example.org")
    assert status == 429
    assert body["code"] == "rate_limited"
    assert "this author" in body["message"]
    assert 1 <= int(headers["retry-after"]) <= 120
    # Another author on the same network is not affected.
    assert _post(api.client, "Bob", "bob@example.org")[0] == 202


@pytest.mark.parametrize("backend", BACKENDS)
def test_per_ip_limit_groups_the_anonymized_network(
    make_api: Callable[..., Api], backend: str
) -> None:
    api = make_api(
        client_ip="198.51.100.10",
        **_limits(backend, rate_limit_per_author=100, rate_limit_per_ip=3),
    )
    api.create_article()
    for i in range(3):
        assert _post(api.client, f"reader{i}")[0] == 202
    neighbour = TestClient(api.client.app, client=("198.51.100.99", 1))  # same /24
    status, body, headers = _post(neighbour, "someone-else")
    assert status == 429
    assert "this network" in body["message"]
    assert "retry-after" in headers
    elsewhere = TestClient(api.client.app, client=("192.0.2.1", 1))
    assert _post(elsewhere, "far-away")[0] == 202


@pytest.mark.parametrize("backend", BACKENDS)
def test_limits_are_shared_between_app_instances(
    make_settings: Callable[..., object], backend: str, screener: object
) -> None:
    from rostra.api.app import create_app
    from rostra.services import accounts

    settings = make_settings(**_limits(backend, rate_limit_per_author=3, rate_limit_per_ip=100))
    first = create_app(settings, screener=screener)  # type: ignore[arg-type]
    second = create_app(settings, screener=screener)  # type: ignore[arg-type]
    with first.state.rostra.sessions() as session:
        _, token = accounts.create_api_token(session=session, name="a", role="admin", actor="t")
        session.commit()
    one, two = TestClient(first), TestClient(second)
    assert (
        one.post(
            "/api/v1/articles", json=ARTICLE, headers={"Authorization": f"Bearer {token}"}
        ).status_code
        == 201
    )
    assert _post(one, "Ann", "a@example.org")[0] == 202
    assert _post(two, "Ann", "a@example.org")[0] == 202
    assert _post(one, "Ann", "a@example.org")[0] == 202
    assert _post(two, "Ann", "a@example.org")[0] == 429
    for app in (first, second):
        app.state.rostra.engine.dispose()


def test_reports_are_rate_limited_per_network(make_api: Callable[..., Api]) -> None:
    _clear_of_window_edge(60)
    api = make_api(rate_limit_per_ip=3)
    api.create_article()
    ids = [api.approved(f"c{i}")["id"] for i in range(3)]
    reader = TestClient(api.client.app, client=("192.0.2.50", 1))
    codes = [
        reader.post(f"/api/v1/comments/{i}/reports", json={}).status_code for i in [*ids, ids[0]]
    ]
    assert codes == [202, 202, 202, 429]


def test_database_limiter_prunes_old_windows(make_settings: Callable[..., object]) -> None:
    from sqlalchemy import func, select

    from rostra.services.ratelimit import DatabaseRateLimiter
    from rostra.store.db import make_engine, make_session_factory
    from rostra.store.models import RateCounter

    settings = make_settings()
    engine = make_engine(settings.database_url, schema=settings.database_schema)  # type: ignore[attr-defined]
    sessions = make_session_factory(engine)
    with sessions.begin() as session:
        session.add(RateCounter(key="ip:stale", window_start=1_000, count=3))
    limiter = DatabaseRateLimiter(sessions, prune_every=2)
    assert limiter.hit("ip:a", limit=5, window=60) is None
    assert limiter.hit("ip:b", limit=5, window=60) is None
    with sessions() as session:
        keys = set(session.scalars(select(RateCounter.key)))
        assert keys == {"ip:a", "ip:b"}
        assert session.scalar(select(func.count()).select_from(RateCounter)) == 2
    engine.dispose()
