"""Redis unreachable: rate limits fall back to the database, never a 500 (issue 5 §1).

Real refused connections: a port nothing listens on, and a ``redis-server`` of the test's own
that it stops and starts again (the shared Redis is never touched).
"""

from __future__ import annotations

import logging
import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator

import pytest
import redis
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from api.conftest import ARTICLE, Api
from api.test_rate_limit import _clear_of_window_edge
from rostra.services.ratelimit import DatabaseRateLimiter
from rostra.services.ratelimit_failover import FailoverRedisRateLimiter
from rostra.store.models import RateCounter

URL = f"/api/v1/articles/{ARTICLE['id']}/comments"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _counters(api: Api) -> int:
    with api.client.app.state.rostra.sessions() as session:  # type: ignore[attr-defined]
        return int(session.scalar(select(func.count()).select_from(RateCounter)) or 0)


def test_posting_with_redis_refusing_keeps_the_limits_in_the_database(
    make_api: Callable[..., Api], caplog: pytest.LogCaptureFixture
) -> None:
    _clear_of_window_edge(120)
    closed = f"redis://127.0.0.1:{_free_port()}/0"
    api = make_api(
        redis_url=closed,
        rate_limit_window_seconds=120,
        rate_limit_per_author=3,
        rate_limit_per_ip=100,
    )
    api.create_article()
    caplog.set_level(logging.WARNING, logger="rostra.services.ratelimit_failover")
    body = {"text": "hello while Redis is down", "author_name": "Ann"}
    codes = [api.client.post(URL, json=body).status_code for _ in range(4)]
    assert codes == [202, 202, 202, 429]
    limited = api.client.post(URL, json=body)
    assert limited.json()["code"] == "rate_limited"
    assert int(limited.headers["retry-after"]) >= 1
    # The counts are in the database, and other readers are unaffected.
    assert _counters(api) > 0
    other = TestClient(api.client.app, client=("192.0.2.9", 1))
    assert other.post(URL, json={"text": "hi", "author_name": "Bob"}).status_code == 202
    limiter = api.client.app.state.rostra.limiter  # type: ignore[attr-defined]
    assert isinstance(limiter, FailoverRedisRateLimiter)
    assert limiter.using_fallback
    # One warning for the outage, not one per request.
    warnings = [r for r in caplog.records if "Redis unreachable" in r.getMessage()]
    assert len(warnings) == 1
    # Reports are rate limited through the same limiter: no 500 either.
    comment = api.approved("a comment to report")
    assert api.client.post(f"/api/v1/comments/{comment['id']}/reports", json={}).status_code == 202


@pytest.fixture
def own_redis() -> Iterator[Callable[[bool], str]]:
    """A private ``redis-server`` on a free port; ``toggle(True/False)`` starts or stops it."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed")
    port = _free_port()
    url = f"redis://127.0.0.1:{port}/0"
    running: list[subprocess.Popen[bytes]] = []

    def toggle(up: bool) -> str:
        if up:
            args = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
            process = subprocess.Popen(
                [*args, "--appendonly", "no"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            running.append(process)
            client = redis.Redis.from_url(url, socket_connect_timeout=0.2)
            for _ in range(200):
                try:
                    if client.ping():
                        break
                except redis.ConnectionError:
                    time.sleep(0.05)
            client.close()
        else:
            process = running.pop()
            process.terminate()
            process.wait(timeout=10)
        return url

    yield toggle
    for process in running:
        process.terminate()
        process.wait(timeout=10)


def test_limiter_falls_back_while_redis_is_down_and_returns_when_it_is_back(
    make_api: Callable[..., Api], own_redis: Callable[[bool], str]
) -> None:
    api = make_api()
    url = own_redis(True)
    limiter = FailoverRedisRateLimiter(
        url,
        prefix="t:",
        fallback=DatabaseRateLimiter(api.client.app.state.rostra.sessions),  # type: ignore[attr-defined]
        retry_seconds=0,
    )
    direct = redis.Redis.from_url(url)
    assert limiter.hit("up", limit=5, window=3600) is None
    assert not limiter.using_fallback
    assert any(direct.scan_iter(match="t:up:*"))
    before = _counters(api)

    own_redis(False)
    waits = limiter.hit_many([("down", 1, 3600), ("down", 1, 3600)])
    assert waits[0] is None
    assert waits[1] is not None
    assert 1 <= waits[1] <= 3600
    assert limiter.using_fallback
    assert _counters(api) > before

    own_redis(True)
    assert limiter.hit("back", limit=5, window=3600) is None
    assert not limiter.using_fallback
    assert any(direct.scan_iter(match="t:back:*"))
    direct.close()
