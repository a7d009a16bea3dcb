"""Store rules: comment text is immutable, decisions append-only, by ORM and by raw SQL."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session, sessionmaker

from rostra import errors
from rostra.config import Settings
from rostra.store import queries
from rostra.store.db import make_engine, make_session_factory
from rostra.store.models import Comment, Decision

from .support import add_pending_comment


@pytest.fixture
def store(make_settings: Callable[..., Settings]) -> Iterator[tuple[Engine, sessionmaker[Session]]]:
    settings = make_settings()
    engine = make_engine(settings.database_url, schema=settings.database_schema)
    yield engine, make_session_factory(engine)
    engine.dispose()


def _comment_with_decision(sessions: sessionmaker[Session]) -> tuple[int, int]:
    with sessions() as session:
        comment = add_pending_comment(session, "original words")
        decision = queries.add_decision(
            session=session, comment=comment, decision="approve", reasons=[], note=None,
            actor_kind="moderator", moderator_id=None, actor="test",
        )  # fmt: skip
        session.commit()
        return comment.id, decision.id


def test_orm_refuses_to_change_comment_text(store: tuple[Engine, sessionmaker[Session]]) -> None:
    _, sessions = store
    comment_id, _ = _comment_with_decision(sessions)
    with sessions() as session:
        comment = session.get(Comment, comment_id)
        assert comment is not None
        comment.text = "edited words"
        with pytest.raises(errors.CommentImmutable):
            session.commit()
    with sessions() as session:
        assert session.get(Comment, comment_id).text == "original words"  # type: ignore[union-attr]


def test_orm_still_updates_status(store: tuple[Engine, sessionmaker[Session]]) -> None:
    _, sessions = store
    comment_id, _ = _comment_with_decision(sessions)
    with sessions() as session:
        comment = session.get(Comment, comment_id)
        assert comment is not None
        comment.status = "rejected"
        session.commit()


def test_raw_sql_cannot_change_comment_text(store: tuple[Engine, sessionmaker[Session]]) -> None:
    engine, sessions = store
    comment_id, _ = _comment_with_decision(sessions)
    with pytest.raises(DatabaseError, match="immutable"), engine.begin() as connection:
        connection.execute(
            text("UPDATE comment SET text = 'edited' WHERE id = :id"), {"id": comment_id}
        )
    with engine.begin() as connection:  # same text is not a change; status may move
        connection.execute(
            text("UPDATE comment SET status = 'rejected', text = text WHERE id = :id"),
            {"id": comment_id},
        )
        stored = connection.execute(
            text("SELECT text, status FROM comment WHERE id = :id"), {"id": comment_id}
        ).one()
    assert tuple(stored) == ("original words", "rejected")


def test_raw_sql_cannot_delete_comments(store: tuple[Engine, sessionmaker[Session]]) -> None:
    engine, sessions = store
    comment_id, _ = _comment_with_decision(sessions)
    with pytest.raises(DatabaseError), engine.begin() as connection:
        connection.execute(text("DELETE FROM comment WHERE id = :id"), {"id": comment_id})


def test_decisions_are_append_only(store: tuple[Engine, sessionmaker[Session]]) -> None:
    engine, sessions = store
    _, decision_id = _comment_with_decision(sessions)
    with sessions() as session:
        decision = session.get(Decision, decision_id)
        assert decision is not None
        decision.note = "rewritten"
        with pytest.raises(errors.DecisionImmutable):
            session.commit()
    with pytest.raises(DatabaseError, match="append-only"), engine.begin() as connection:
        connection.execute(
            text("UPDATE decision SET decision = 'reject' WHERE id = :id"), {"id": decision_id}
        )
    with pytest.raises(DatabaseError, match="append-only"), engine.begin() as connection:
        connection.execute(text("DELETE FROM decision WHERE id = :id"), {"id": decision_id})


def test_timestamps_come_back_timezone_aware(store: tuple[Engine, sessionmaker[Session]]) -> None:
    _, sessions = store
    comment_id, _ = _comment_with_decision(sessions)
    with sessions() as session:
        created = session.get(Comment, comment_id).created_at  # type: ignore[union-attr]
    assert created.tzinfo is not None
    assert abs((datetime.now(UTC) - created).total_seconds()) < 60
