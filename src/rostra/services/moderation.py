"""Moderator actions: decide a comment (append-only), ban and unban authors."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from rostra import errors
from rostra.events import utcnow
from rostra.screening import Policy
from rostra.store import queries
from rostra.store.models import Ban, Decision


def decide(
    *,
    session: Session,
    site_id: str,
    comment_id: int,
    moderator_id: int | None,
    decision: str,
    reasons: Sequence[str],
    note: str | None,
    policy: Policy,
    actor: str | None = None,
) -> Decision:
    """Record a moderator's decision; it supersedes any earlier one (undo = a new decision).

    A rejection must name at least one category of the site's policy; every reason given
    must be one of them. ``actor`` defaults to ``moderator:<moderator_id>``.
    """
    if decision not in ("approve", "reject"):
        raise errors.InvalidInput("decision must be 'approve' or 'reject'", field="decision")
    unique_reasons = list(dict.fromkeys(reasons))
    unknown = [r for r in unique_reasons if r not in policy.categories]
    if unknown:
        raise errors.InvalidReasons(
            f"unknown guideline categories {unknown}; this site's are {list(policy.categories)}",
            field="reasons",
        )
    if decision == "reject" and not unique_reasons:
        raise errors.InvalidReasons(
            "a rejection must name at least one guideline category", field="reasons"
        )
    comment = queries.get_comment(session=session, comment_id=comment_id, site_id=site_id)
    return queries.add_decision(
        session=session,
        comment=comment,
        decision=decision,
        reasons=unique_reasons,
        note=note,
        actor_kind="moderator",
        moderator_id=moderator_id,
        actor=actor,
    )


def ban_author(
    *,
    session: Session,
    site_id: str,
    author_id: int,
    days: float | None,
    reason: str | None,
    actor: str,
) -> Ban:
    """Ban an author for ``days`` (None: until lifted). New comments are refused meanwhile."""
    queries.get_author(session=session, author_id=author_id, site_id=site_id)
    until: datetime | None = None
    if days is not None:
        if days <= 0:
            raise errors.InvalidInput("a ban lasts a positive number of days", field="days")
        until = utcnow() + timedelta(days=days)
    return queries.add_ban(
        session=session,
        site_id=site_id,
        author_id=author_id,
        until=until,
        reason=reason,
        actor=actor,
    )


def unban_author(*, session: Session, site_id: str, author_id: int, actor: str) -> int:
    queries.get_author(session=session, author_id=author_id, site_id=site_id)
    lifted = queries.lift_bans(session=session, author_id=author_id, actor=actor)
    if lifted == 0:
        raise errors.NotBanned(f"author {author_id} is not banned")
    return lifted
