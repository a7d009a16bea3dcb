"""One in-process lock per SQLite engine around short write transactions.

SQLite lets one writer at a time hold the database. When many threads of one process try at
once, the losers sleep in SQLite's busy handler (1, 2, 5 … 100 ms steps), so a burst of posts
turned into seconds of latency while the CPU sat idle. Queuing the writers on a Python lock
instead hands the database over the moment the previous commit ends. Other processes still
meet SQLite's busy timeout, as before. PostgreSQL has row locks and gets a no-op.
"""

from __future__ import annotations

import threading
from contextlib import AbstractContextManager, nullcontext
from weakref import WeakKeyDictionary

from sqlalchemy import Engine

_LOCKS: WeakKeyDictionary[Engine, threading.Lock] = WeakKeyDictionary()
_GUARD = threading.Lock()


def write_lock(engine: Engine | None) -> AbstractContextManager[object]:
    """Hold this around a write transaction (first write to commit) on ``engine``."""
    if engine is None or engine.dialect.name != "sqlite":
        return nullcontext()
    with _GUARD:
        lock = _LOCKS.get(engine)
        if lock is None:
            lock = _LOCKS[engine] = threading.Lock()
    return lock
