"""The screen never overrules a decision: the store's own check, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from rostra import errors
from rostra.store import queries
from rostra.store.models import Comment, Decision

from .support import add_pending_comment


def _pending_comment(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        comment = add_pending_comment(session, "words")
        session.commit()
        return comment.id


def _decide(session: Session, comment: Comment, decision: str, actor_kind: str) -> Decision:
    return queries.add_decision(
        session=session,
        comment=comment,
        decision=decision,
        reasons=["threat"] if decision == "reject" else [],
        note=None,
        actor_kind=actor_kind,
        moderator_id=None,
        actor="test" if actor_kind == "moderator" else None,
    )


def _decisions(sessions: sessionmaker[Session], comment_id: int) -> list[tuple[str, str]]:
    with sessions() as session:
        rows = session.scalars(
            select(Decision).where(Decision.comment_id == comment_id).order_by(Decision.id)
        )
        return [(d.actor_kind, d.decision) for d in rows]


def test_screen_does_not_overrule_a_decision_committed_after_it_read_the_comment(
    sessions: sessionmaker[Session],
) -> None:
    """The screen's session loaded the comment as pending; a moderator (another connection,
    as another process would) rejects and commits; the screen's approval is then refused."""
    comment_id = _pending_comment(sessions)
    with sessions() as screen_session:
        stale = queries.get_comment(session=screen_session, comment_id=comment_id)
        assert stale.status == "pending"
        screen_session.commit()  # end the read (on SQLite a read would hold a snapshot)
        with sessions() as moderator_session:
            fresh = queries.get_comment(session=moderator_session, comment_id=comment_id)
            _decide(moderator_session, fresh, "reject", "moderator")
            moderator_session.commit()
        assert stale.status == "pending"  # the screen's object has not seen it
        with pytest.raises(errors.AlreadyDecided):
            _decide(screen_session, stale, "approve", "screen")
        assert stale.status == "rejected"  # read again: the caller can answer the truth
        screen_session.commit()
    assert _decisions(sessions, comment_id) == [("moderator", "reject")]
    with sessions() as session:
        assert queries.get_comment(session=session, comment_id=comment_id).status == "rejected"


def test_screen_decides_a_pending_comment_once(sessions: sessionmaker[Session]) -> None:
    comment_id = _pending_comment(sessions)
    with sessions() as session:
        assert queries.lock_comment_status(session=session, comment_id=comment_id) == "pending"
        comment = queries.get_comment(session=session, comment_id=comment_id)
        _decide(session, comment, "reject", "screen")
        session.commit()
    with sessions() as session:
        comment = queries.get_comment(session=session, comment_id=comment_id)
        with pytest.raises(errors.AlreadyDecided):
            _decide(session, comment, "approve", "screen")
        session.rollback()
    assert _decisions(sessions, comment_id) == [("screen", "reject")]


def test_a_moderator_may_overrule_the_screen(sessions: sessionmaker[Session]) -> None:
    comment_id = _pending_comment(sessions)
    with sessions() as session:
        comment = queries.get_comment(session=session, comment_id=comment_id)
        first = _decide(session, comment, "reject", "screen")
        session.commit()
    with sessions() as session:
        comment = queries.get_comment(session=session, comment_id=comment_id)
        second = _decide(session, comment, "approve", "moderator")
        session.commit()
        assert second.supersedes_id == first.id
        assert comment.status == "approved"
    assert _decisions(sessions, comment_id) == [("screen", "reject"), ("moderator", "approve")]


def test_lock_comment_status_reads_the_row_again(sessions: sessionmaker[Session]) -> None:
    """``session.get`` returns the object already in the session; the lock reads the row."""
    comment_id = _pending_comment(sessions)
    with sessions() as session:
        loaded = queries.get_comment(session=session, comment_id=comment_id)
        session.commit()
        with sessions() as other:
            _decide(other, queries.get_comment(session=other, comment_id=comment_id), "approve",
                    "moderator")  # fmt: skip
            other.commit()
        assert queries.get_comment(session=session, comment_id=comment_id).status == "pending"
        assert queries.lock_comment_status(session=session, comment_id=comment_id) == "approved"
        assert loaded.status == "pending"  # the session's object is left as it was loaded
        session.commit()
    with sessions() as session, pytest.raises(errors.CommentNotFound):
        queries.lock_comment_status(session=session, comment_id=comment_id + 1)
