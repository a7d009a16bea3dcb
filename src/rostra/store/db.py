"""Engines and sessions for SQLite (WAL) and PostgreSQL, plus the store's own guards.

The guards make the two store rules hold for every ORM user, not only for the API: comment
text is immutable and decisions are append-only. Database triggers (first migration) make the
same rules hold for raw SQL.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from rostra.errors import CommentImmutable, DecisionImmutable
from rostra.store.models import Comment, Decision


def sqlite_file(database: str) -> Path | None:
    """The file a SQLite URL's database part names, or None (in memory, or a ``file:`` URI)."""
    if database in ("", ":memory:") or database.startswith("file:"):
        return None
    return Path(database)


def make_engine(url: str, *, schema: str | None = None) -> Engine:
    """Create an engine: SQLite gets WAL, foreign keys and a busy timeout; PostgreSQL a pool.

    ``schema`` puts every PostgreSQL connection on that ``search_path`` (per-worker tests).
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        file = sqlite_file(database)
        if file is not None:
            file.parent.mkdir(parents=True, exist_ok=True)
        # Requests run in a thread pool (40 threads): keep enough connections that a burst
        # waits on SQLite's own lock (busy timeout) rather than on the pool. An in-memory
        # database keeps SQLAlchemy's own pool for it (one database per thread), which takes
        # no sizes.
        in_memory = database in ("", ":memory:") or "mode=memory" in database
        pool: dict[str, Any] = (
            {} if in_memory else {"pool_size": 20, "max_overflow": 30, "pool_timeout": 30}
        )
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, **pool
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            # WAL + NORMAL survives a process crash (SIGKILL) without losing committed
            # transactions; only a power loss can drop the last ones.
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    connect_args: dict[str, Any] = {}
    if schema:
        connect_args["options"] = f"-csearch_path={schema}"
    return create_engine(
        url, pool_size=10, max_overflow=10, pool_pre_ping=True, connect_args=connect_args
    )


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@event.listens_for(Comment, "before_update")
def _comment_text_is_immutable(_mapper: Any, _connection: Any, target: Comment) -> None:
    history = inspect(target).attrs.text.history
    if history.has_changes():
        raise CommentImmutable(f"comment {target.id}: text cannot change after it is accepted")


@event.listens_for(Comment, "before_delete")
def _comment_is_never_deleted(_mapper: Any, _connection: Any, target: Comment) -> None:
    raise CommentImmutable(f"comment {target.id}: comments are decided, never deleted")


@event.listens_for(Decision, "before_update")
def _decision_is_append_only(_mapper: Any, _connection: Any, target: Decision) -> None:
    raise DecisionImmutable(f"decision {target.id}: decisions are append-only")


@event.listens_for(Decision, "before_delete")
def _decision_is_never_deleted(_mapper: Any, _connection: Any, target: Decision) -> None:
    raise DecisionImmutable(f"decision {target.id}: decisions are append-only")
