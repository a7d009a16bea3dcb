"""A small per-process cache of rendered public thread pages, invalidated by commits.

Reading a 200-comment thread cost 12–17 ms of CPU (three queries, 200 ORM rows, pydantic),
so one process could serve about 70 reads a second. Pages are cached as the JSON bytes sent.

Staleness, precisely:

- Within one process a page is never served stale: every ORM commit in the process that
  changes a comment's status (a moderator's or the screen's decision, from the API, the
  dashboard or the CLI) invalidates that article's pages, and one that renames an author
  invalidates every page. A page rendered from a read that began before such a commit is not
  stored (each entry remembers the invalidation counters it was read under).
- Changes committed by *another* process (``rostra serve --workers N``, a second host, a
  ``rostra`` command) are seen when the entry expires: ``ttl`` seconds, 1 by default
  (``ROSTRA_THREAD_CACHE_SECONDS``; 0 turns the cache off). So are rows changed by raw SQL.
- Bans do not hide published comments, so they do not touch the page.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from rostra.store.models import Author, Comment

_DIRTY = "rostra_thread_cache_dirty"


@dataclass(frozen=True, slots=True)
class Stamp:
    everything: int
    article: int


@dataclass(frozen=True, slots=True)
class _Entry:
    article_id: str
    stamp: Stamp
    expires: float
    body: bytes


class ThreadCache:
    """Rendered pages by key; see the module docstring for when an entry is dropped."""

    def __init__(self, *, ttl: float, max_entries: int = 1024) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self._lock = threading.Lock()
        self._entries: OrderedDict[Hashable, _Entry] = OrderedDict()
        self._everything = 0
        self._articles: dict[str, int] = {}
        _CACHES.add(self)

    @property
    def enabled(self) -> bool:
        return self.ttl > 0

    def stamp(self, article_id: str) -> Stamp:
        """Take this *before* reading the database for a page of ``article_id``."""
        with self._lock:
            return Stamp(self._everything, self._articles.get(article_id, 0))

    def get(self, key: Hashable) -> bytes | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            current = Stamp(self._everything, self._articles.get(entry.article_id, 0))
            if entry.stamp != current or entry.expires <= time.monotonic():
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return entry.body

    def put(self, key: Hashable, article_id: str, stamp: Stamp, body: bytes) -> None:
        if not self.enabled:
            return
        with self._lock:
            if stamp != Stamp(self._everything, self._articles.get(article_id, 0)):
                return  # something was committed while the page was read
            self._entries[key] = _Entry(article_id, stamp, time.monotonic() + self.ttl, body)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def invalidate(self, article_ids: set[str], *, everything: bool = False) -> None:
        with self._lock:
            if everything:
                self._everything += 1
                self._entries.clear()
                return
            for article_id in article_ids:
                self._articles[article_id] = self._articles.get(article_id, 0) + 1
            if article_ids:
                for key in [k for k, e in self._entries.items() if e.article_id in article_ids]:
                    del self._entries[key]


_CACHES: weakref.WeakSet[ThreadCache] = weakref.WeakSet()


def _status_changed(comment: Comment) -> bool:
    return bool(inspect(comment).attrs.status.history.has_changes())


@event.listens_for(Session, "after_flush")
def _note_changes(session: Session, _context: Any) -> None:
    dirty: dict[str, Any] = session.info.setdefault(_DIRTY, {"articles": set(), "all": False})
    for obj in session.new:
        if isinstance(obj, Comment) and obj.status == "approved":
            dirty["articles"].add(obj.article_id)
    for obj in session.dirty:
        if isinstance(obj, Comment) and _status_changed(obj):
            dirty["articles"].add(obj.article_id)
        elif isinstance(obj, Author) and inspect(obj).attrs.name.history.has_changes():
            dirty["all"] = True


@event.listens_for(Session, "after_commit")
def _invalidate(session: Session) -> None:
    dirty = session.info.pop(_DIRTY, None)
    if not dirty or not (dirty["articles"] or dirty["all"]):
        return
    for cache in list(_CACHES):
        cache.invalidate(dirty["articles"], everything=dirty["all"])


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(_DIRTY, None)
