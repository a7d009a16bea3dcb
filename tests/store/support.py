"""What the store tests seed: a site, an article and one guest's comment."""

from __future__ import annotations

from sqlalchemy.orm import Session

from rostra.store import queries
from rostra.store.models import Comment


def add_pending_comment(session: Session, text: str) -> Comment:
    """Site ``s``, article ``a`` and a pending comment by guest ``R`` (not committed)."""
    queries.ensure_site(session=session, site_id="s", name="S")
    queries.create_article(
        session=session, site_id="s", article_id="a", url="https://x.example/a",
        title="A", body="", language="en", actor="test",
    )  # fmt: skip
    author = queries.posting_author(
        session=session, site_id="s", kind="guest", identity_key="guest:1", name="R"
    )
    comment_id = queries.insert_comment(
        session=session, site_id="s", article_id="a", author_id=author.id,
        text=text, parent=None, ip_hash=None, author_token_hash="0" * 64,
    )  # fmt: skip
    comment = session.get(Comment, comment_id)
    assert comment is not None
    return comment
