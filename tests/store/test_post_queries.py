"""The reader's post in Core statements: the same answers as the ORM reads beside them."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from rostra import errors
from rostra.events import utcnow
from rostra.store import queries
from rostra.store.models import Author, Ban, Comment

from .support import add_pending_comment


def _posting(session: Session, name: str = "R") -> queries.PostingAuthor:
    return queries.posting_author(
        session=session, site_id="s", kind="guest", identity_key="guest:1", name=name
    )


def test_post_target_reads_site_and_article_or_says_which_is_missing(
    sessions: sessionmaker[Session],
) -> None:
    with sessions() as session:
        add_pending_comment(session, "words")
        session.commit()
        target = queries.post_target(session=session, site_id="s", article_id="a")
        assert (target.site.id, target.article_id, target.article_language) == ("s", "a", "en")
        assert target.site.moderation_mode == "pre"
        with pytest.raises(errors.ArticleNotFound):
            queries.post_target(session=session, site_id="s", article_id="nope")
        with pytest.raises(errors.SiteNotFound):
            queries.post_target(session=session, site_id="other", article_id="a")
        queries.ensure_site(session=session, site_id="other", name="Other")
        with pytest.raises(errors.ArticleNotFound):  # an article of another site
            queries.post_target(session=session, site_id="other", article_id="a")


@pytest.mark.parametrize(
    ("bans", "expected"),
    [
        ([], None),
        ([("expired", None)], None),
        ([("lifted", None)], None),
        ([(2, None)], 2),
        ([(2, None), (30, None)], 30),  # the longest ban is the one in force
        ([(2, None), ("forever", None)], "forever"),
        ([("expired", None), (5, None), ("lifted", None)], 5),
    ],
)
def test_posting_author_sees_the_same_ban_as_active_ban(
    sessions: sessionmaker[Session], bans: list[tuple[object, None]], expected: object
) -> None:
    now = utcnow()
    with sessions() as session:
        add_pending_comment(session, "words")
        author_id = _posting(session).id
        for kind, _ in bans:
            until = None if kind in ("forever", "lifted") else now + timedelta(days=-1)
            if isinstance(kind, int):
                until = now + timedelta(days=kind)
            ban = Ban(site_id="s", author_id=author_id, until=until, created_by="test")
            if kind == "lifted":
                ban.lifted_at, ban.lifted_by = now, "test"
            session.add(ban)
        session.commit()
        found = _posting(session)
        orm = queries.active_ban(session=session, author_id=author_id)
    assert found.id == author_id
    assert found.banned is (orm is not None) is (expected is not None)
    assert found.banned_until == (orm.until if orm is not None else None)
    if isinstance(expected, int):
        assert found.banned_until is not None
        assert found.banned_until > now + timedelta(days=expected - 1)


def test_posting_author_creates_once_and_renames_through_the_orm(
    sessions: sessionmaker[Session],
) -> None:
    with sessions() as session:
        add_pending_comment(session, "words")
        session.commit()
        first = queries.posting_author(
            session=session, site_id="s", kind="guest", identity_key="guest:new", name="New"
        )
        again = queries.posting_author(
            session=session, site_id="s", kind="guest", identity_key="guest:new", name="Renamed"
        )
        assert (first.id, first.banned) == (again.id, False)
        # The rename is a tracked ORM change: the thread cache watches those on commit.
        assert any(isinstance(o, Author) and o.name == "Renamed" for o in session.dirty)
        session.commit()
        names = session.scalars(select(Author.name).where(Author.id == first.id)).all()
    assert names == ["Renamed"]


def test_lock_comment_status_sets_the_language_and_keeps_the_text_guarded(
    sessions: sessionmaker[Session],
) -> None:
    with sessions() as session:
        comment_id = add_pending_comment(session, "words").id
        session.commit()
    with sessions() as session:
        status = queries.lock_comment_status(session=session, comment_id=comment_id, language="ckb")
        assert status == "pending"
        assert queries.lock_comment_status(session=session, comment_id=comment_id) == "pending"
        with pytest.raises(errors.CommentNotFound):
            queries.lock_comment_status(session=session, comment_id=comment_id + 1, language="en")
        session.commit()
        assert session.scalar(select(Comment.language).where(Comment.id == comment_id)) == "ckb"
    with sessions() as session, pytest.raises(DBAPIError):  # the trigger still guards the text
        session.execute(
            text("UPDATE comment SET text = 'changed' WHERE id = :id"), {"id": comment_id}
        )


def test_insert_comment_and_event_write_what_the_orm_wrote(
    sessions: sessionmaker[Session],
) -> None:
    with sessions() as session:
        parent = add_pending_comment(session, "parent")
        session.commit()
        author_id = parent.author_id
        reply = queries.ReplyParent(parent.id, "a", "approved", None)
        comment_id = queries.insert_comment(
            session=session, site_id="s", article_id="a", author_id=author_id,
            text="a reply", parent=reply, ip_hash=None, author_token_hash="1" * 64,
        )  # fmt: skip
        session.commit()
        row = session.get(Comment, comment_id)
        assert row is not None
        assert (row.status, row.parent_id, row.root_id, row.text) == (
            "pending",
            parent.id,
            parent.id,
            "a reply",
        )
        assert row.created_at is not None
        assert row.created_at.tzinfo is not None
        assert queries.recent_texts(session=session, site_id="s", limit=1) == ["a reply"]
        found = queries.reply_parent(session=session, comment_id=parent.id)
        assert found == queries.ReplyParent(parent.id, "a", "pending", None)
        assert queries.reply_parent(session=session, comment_id=comment_id + 1) is None


def test_a_new_author_posting_twice_at_once_gets_one_row_and_a_usable_transaction(
    sessions: sessionmaker[Session],
) -> None:
    """PostgreSQL: the second first-post waits for the first, then reads its author row.

    A unique violation would abort the second transaction (the bug this guards against: its
    next statement failed and the reader got a 500). SQLite serializes writers with the
    service's write lock instead, so there the race cannot happen in one process.
    """
    with sessions() as setup:
        add_pending_comment(setup, "seed")  # site s, article a, author guest:1
        setup.commit()
    if sessions.kw["bind"].dialect.name != "postgresql":
        pytest.skip("row-level concurrency: PostgreSQL only")
    first, second = sessions(), sessions()
    try:
        mine = queries.posting_author(
            session=first, site_id="s", kind="guest", identity_key="guest:new", name="N"
        )  # inserted, not committed yet
        result: dict[str, object] = {}

        def other() -> None:
            try:
                theirs = queries.posting_author(
                    session=second, site_id="s", kind="guest", identity_key="guest:new", name="N"
                )
                # the transaction is still usable after the conflict
                queries.recent_texts(session=second, site_id="s", limit=1)
                result["id"] = theirs.id
            except Exception as exc:  # pragma: no cover - reported below
                result["error"] = exc

        thread = threading.Thread(target=other)
        thread.start()
        thread.join(0.5)
        assert thread.is_alive()  # waiting for the first insert to commit or roll back
        first.commit()
        thread.join(10)
        assert result == {"id": mine.id}
        second.commit()
    finally:
        first.close()
        second.close()
    with sessions() as check:
        keys = check.scalars(select(Author.identity_key).where(Author.site_id == "s")).all()
        assert sorted(keys) == ["guest:1", "guest:new"]
