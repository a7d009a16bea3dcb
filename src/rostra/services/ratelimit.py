"""Fixed-window rate limits shared across processes: in the database, or in Redis when set."""

from __future__ import annotations

import time
from typing import Protocol

from sqlalchemy.orm import Session, sessionmaker

from rostra.store import queries


class RateLimiter(Protocol):
    def hit(self, key: str, *, limit: int, window: int) -> int | None:
        """Count one event for ``key``; return seconds to wait if over ``limit``, else None."""
        ...


def _window(window: int, now: float) -> tuple[int, int]:
    start = int(now // window) * window
    return start, start + window


class DatabaseRateLimiter:
    """Counters in the ``rate_counter`` table, one short transaction per hit.

    Every ``prune_every`` hits, counters of windows that ended long ago are deleted for every
    key, so one-off visitors do not grow the table forever.
    """

    def __init__(self, sessions: sessionmaker[Session], *, prune_every: int = 500) -> None:
        self.sessions = sessions
        self.prune_every = prune_every
        self._hits = 0

    def hit(self, key: str, *, limit: int, window: int) -> int | None:
        now = time.time()
        start, end = _window(window, now)
        self._hits += 1
        with self.sessions.begin() as session:
            count = queries.increment_rate_counter(
                session=session, key=key, window_start=start, expired_before=start
            )
            if self._hits % self.prune_every == 0:
                queries.prune_rate_counters(
                    session=session, before=int(now) - 2 * max(window, 3600)
                )
        if count > limit:
            return max(1, int(end - now + 0.999))
        return None


class RedisRateLimiter:
    """Counters in Redis (``INCR`` + ``EXPIRE``), for several processes on one site."""

    def __init__(self, url: str, *, prefix: str = "rostra:rl:") -> None:
        import redis

        self.client = redis.Redis.from_url(url)
        self.prefix = prefix

    def hit(self, key: str, *, limit: int, window: int) -> int | None:
        now = time.time()
        start, end = _window(window, now)
        redis_key = f"{self.prefix}{key}:{start}"
        pipe = self.client.pipeline()
        pipe.incr(redis_key)
        pipe.expire(redis_key, window + 1)
        count, _ = pipe.execute()
        if int(count) > limit:
            return max(1, int(end - now + 0.999))
        return None
