"""One writer at a time per SQLite database, queued rather than left to SQLite's busy handler.

SQLite lets one writer at a time hold the database. Writers that find it taken sleep in
SQLite's busy handler (1, 2, 5 … 100 ms steps) and retry, so a burst of posts turned into
seconds of latency while the CPU sat idle. Queuing them instead hands the database over the
moment the previous commit ends:

* within a process, on a ``threading.Lock`` per engine;
* across processes (``rostra serve --workers N``, or a CLI command beside the server), on an
  exclusive ``flock`` of a file beside the database, ``<database>-writer.lock``. The kernel
  wakes the next waiter when the holder unlocks, or when the holder dies, so a killed worker
  cannot leave the lock held.

Only the hot write transactions (a post, its verdict, the rate counters) take the queue;
anything else that writes still meets SQLite's busy timeout, as before. An in-memory or URI
database has no file to lock beside and gets the in-process lock only. PostgreSQL has row
locks and gets a no-op.
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from weakref import WeakKeyDictionary

from sqlalchemy import Engine

from rostra.store.db import sqlite_file

__all__ = ["lock_file_path", "write_lock"]

#: Appended to the database file's name for the cross-process lock file.
LOCK_FILE_SUFFIX = "-writer.lock"


def lock_file_path(engine: Engine) -> Path | None:
    """The file the processes sharing ``engine``'s SQLite database lock, or None if none."""
    if engine.dialect.name != "sqlite":
        return None
    database = sqlite_file(engine.url.database or "")
    return None if database is None else database.with_name(database.name + LOCK_FILE_SUFFIX)


class _WriterQueue:
    """The in-process lock first (``flock`` does not exclude threads sharing one open file),
    then the cross-process one."""

    def __init__(self, path: Path | None) -> None:
        self._threads = threading.Lock()
        self._path = path
        self._fd: int | None = None

    def _file(self) -> int | None:
        # Opened on first use, under the thread lock, and kept for the life of the engine.
        if self._path is not None and self._fd is None:
            self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        return self._fd

    @contextmanager
    def hold(self) -> Iterator[None]:
        with self._threads:
            fd = self._file()
            if fd is None:
                yield
                return
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)

    def __del__(self) -> None:
        if self._fd is not None:
            os.close(self._fd)


_QUEUES: WeakKeyDictionary[Engine, _WriterQueue] = WeakKeyDictionary()
_GUARD = threading.Lock()


def write_lock(engine: Engine | None) -> AbstractContextManager[object]:
    """Hold this around a write transaction (first write to commit) on ``engine``."""
    if engine is None or engine.dialect.name != "sqlite":
        return nullcontext()
    with _GUARD:
        queue = _QUEUES.get(engine)
        if queue is None:
            queue = _QUEUES[engine] = _WriterQueue(lock_file_path(engine))
    return queue.hold()
