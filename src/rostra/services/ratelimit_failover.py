"""Redis rate limits that survive Redis going away (issue 5 §1, docs/operator.md "Redis").

When Redis cannot be reached (refused, timed out, reset, read-only…), the counts move to the
fallback limiter, the database one that single-process sites use, so limits keep holding
across every process that shares the database: no 500, no 503, and no flood let in because a
cache went down. Redis is tried again ``retry_seconds`` later, so an outage costs one fast
failure per process per interval, not one per request. Counts restart in the other store when
it takes over, so for one window a client may get up to twice its limit.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence

import redis

from rostra.services.ratelimit import RateLimiter, RedisRateLimiter

log = logging.getLogger(__name__)

Check = tuple[str, int, int]


class FailoverRedisRateLimiter(RedisRateLimiter):
    """:class:`RedisRateLimiter` that counts in ``fallback`` while Redis is unreachable."""

    def __init__(
        self,
        url: str,
        *,
        fallback: RateLimiter,
        prefix: str = "rostra:rl:",
        timeout: float = 0.5,
        retry_seconds: float = 5.0,
    ) -> None:
        super().__init__(url, prefix=prefix)
        # Bounded waits: a Redis host that drops packets must not hold a request for minutes.
        self.client = redis.Redis.from_url(
            url, socket_connect_timeout=timeout, socket_timeout=timeout
        )
        self.fallback = fallback
        self.retry_seconds = retry_seconds
        self._down_until = 0.0
        self._down = False
        self._lock = threading.Lock()

    @property
    def using_fallback(self) -> bool:
        return self._down

    def hit(self, key: str, *, limit: int, window: int) -> int | None:
        if self._skip_redis():
            return self.fallback.hit(key, limit=limit, window=window)
        try:
            wait = super().hit(key, limit=limit, window=window)
        except redis.RedisError as exc:
            self._failed(exc)
            return self.fallback.hit(key, limit=limit, window=window)
        self._recovered()
        return wait

    def hit_many(self, checks: Sequence[Check]) -> list[int | None]:
        if self._skip_redis():
            return self._fallback_many(checks)
        try:
            waits = super().hit_many(checks)
        except redis.RedisError as exc:
            self._failed(exc)
            return self._fallback_many(checks)
        self._recovered()
        return waits

    def _fallback_many(self, checks: Sequence[Check]) -> list[int | None]:
        many = getattr(self.fallback, "hit_many", None)
        if callable(many):
            return list(many(checks))
        return [self.fallback.hit(k, limit=limit, window=w) for k, limit, w in checks]

    def _skip_redis(self) -> bool:
        return self._down and time.monotonic() < self._down_until

    def _failed(self, exc: Exception) -> None:
        with self._lock:
            self._down_until = time.monotonic() + self.retry_seconds
            if not self._down:
                self._down = True
                log.warning(
                    "Redis unreachable (%s: %s); rate limits counted in the database until it "
                    "answers again (retrying every %.0f s)",
                    type(exc).__name__,
                    exc,
                    self.retry_seconds,
                )

    def _recovered(self) -> None:
        if self._down:
            with self._lock:
                if self._down:
                    self._down = False
                    log.warning("Redis answers again; rate limits counted in Redis")
