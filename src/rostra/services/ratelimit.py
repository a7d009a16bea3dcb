"""Fixed-window rate limits shared across processes: in the database, or in Redis when set."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Protocol

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from rostra.store import queries
from rostra.store.writelock import write_lock

#: One check of :func:`hit_all`: (key, limit, window).
Check = tuple[str, int, int]


class RateLimiter(Protocol):
    def hit(self, key: str, *, limit: int, window: int) -> int | None:
        """Count one event for ``key``; return seconds to wait if over ``limit``, else None."""
        ...


def _window(window: int, now: float) -> tuple[int, int]:
    start = int(now // window) * window
    return start, start + window


class DatabaseRateLimiter:
    """Counters in the ``rate_counter`` table, one short transaction per hit.

    A post counts its keys in its own write transaction instead (:meth:`count_in`), which
    saves a transaction, and on SQLite a turn at the write lock, per comment.

    Every ``prune_every`` hits, counters of windows that ended long ago are deleted for every
    key, so one-off visitors do not grow the table forever.
    """

    def __init__(self, sessions: sessionmaker[Session], *, prune_every: int = 500) -> None:
        self.sessions = sessions
        self.prune_every = prune_every
        self._hits = 0

    def hit(self, key: str, *, limit: int, window: int) -> int | None:
        return self.hit_many([(key, limit, window)])[0]

    def hit_many(self, checks: Sequence[Check]) -> list[int | None]:
        """Count one event for every key in one transaction (a post checks two or three)."""
        bind = self.sessions.kw.get("bind")
        with (
            write_lock(bind if isinstance(bind, Engine) else None),
            self.sessions.begin() as session,
        ):
            return self.count_in(session, checks)

    def shares(self, sessions: sessionmaker[Session]) -> bool:
        """True when the counters live in the database behind ``sessions``."""
        return bool(sessions.kw.get("bind") is self.sessions.kw.get("bind"))

    def count_in(self, session: Session, checks: Sequence[Check]) -> list[int | None]:
        """Count in the caller's write transaction (the caller commits, even when refused)."""
        now = time.time()
        self._hits += 1
        waits: list[int | None] = []
        for key, limit, window in checks:
            start, end = _window(window, now)
            count = queries.increment_rate_counter(
                session=session, key=key, window_start=start, expired_before=start
            )
            waits.append(max(1, int(end - now + 0.999)) if count > limit else None)
        if self._hits % self.prune_every == 0:
            longest = max(window for _, _, window in checks)
            queries.prune_rate_counters(session=session, before=int(now) - 2 * max(longest, 3600))
        return waits


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

    def hit_many(self, checks: Sequence[Check]) -> list[int | None]:
        """Count one event for every key in one round trip."""
        now = time.time()
        pipe = self.client.pipeline()
        ends = []
        for key, _limit, window in checks:
            start, end = _window(window, now)
            ends.append(end)
            redis_key = f"{self.prefix}{key}:{start}"
            pipe.incr(redis_key)
            pipe.expire(redis_key, window + 1)
        replies = pipe.execute()
        return [
            max(1, int(end - now + 0.999)) if int(replies[2 * i]) > limit else None
            for i, ((_key, limit, _window), end) in enumerate(zip(checks, ends, strict=True))
        ]


def hit_all(limiter: RateLimiter, checks: Sequence[Check]) -> list[int | None]:
    """Count one event per check, in one transaction or round trip when the limiter can."""
    if isinstance(limiter, (DatabaseRateLimiter, RedisRateLimiter)):
        return limiter.hit_many(checks)
    return [limiter.hit(key, limit=limit, window=window) for key, limit, window in checks]
