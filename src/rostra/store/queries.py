"""Store queries. Every function is keyword-only and takes the caller's ``Session``.

The caller owns the transaction (commit or roll back); these functions only add, flush and
read. The API and the dashboard share them, so their docstrings are the contract.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Integer,
    String,
    Table,
    and_,
    bindparam,
    cast,
    delete,
    exists,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from rostra import errors
from rostra.events import Event, utcnow
from rostra.store.models import (
    ApiToken,
    Article,
    AuditEvent,
    Author,
    Ban,
    Comment,
    Decision,
    LoginThrottle,
    Moderator,
    RateCounter,
    Report,
    Site,
    Verdict,
)

# -- audit ---------------------------------------------------------------------------------------


def record_event(*, session: Session, event: Event) -> AuditEvent:
    """Append ``event`` to the audit log in the caller's transaction."""
    row = AuditEvent(**_event_values(event))
    session.add(row)
    return row


def _event_values(event: Event) -> dict[str, Any]:
    """An audit event's column values (:func:`record_event` and :func:`insert_event`)."""
    return {
        "name": event.name,
        "actor": event.actor,
        "subject_type": event.subject_type,
        "subject_id": event.subject_id,
        "data": event.data,
        "created_at": event.at,
    }


def audit_events(
    *, session: Session, subject_type: str | None = None, subject_id: str | None = None
) -> list[AuditEvent]:
    """Audit events, oldest first, optionally for one subject."""
    query = select(AuditEvent).order_by(AuditEvent.id)
    if subject_type is not None:
        query = query.where(AuditEvent.subject_type == subject_type)
    if subject_id is not None:
        query = query.where(AuditEvent.subject_id == subject_id)
    return list(session.scalars(query))


# -- sites and articles --------------------------------------------------------------------------


def get_site(*, session: Session, site_id: str) -> Site:
    site = session.get(Site, site_id)
    if site is None:
        raise errors.SiteNotFound(f"site {site_id!r} does not exist")
    return site


def ensure_site(*, session: Session, site_id: str, name: str, moderation_mode: str = "pre") -> Site:
    """Return the site, creating it with ``name`` and ``moderation_mode`` when missing."""
    site = session.get(Site, site_id)
    if site is None:
        site = Site(id=site_id, name=name, moderation_mode=moderation_mode)
        session.add(site)
        session.flush()
    return site


def get_article(*, session: Session, article_id: str, site_id: str | None = None) -> Article:
    """The article, or :class:`~rostra.errors.ArticleNotFound` (also when on another site)."""
    article = session.get(Article, article_id)
    if article is None or (site_id is not None and article.site_id != site_id):
        raise errors.ArticleNotFound(f"article {article_id!r} does not exist")
    return article


def create_article(
    *,
    session: Session,
    site_id: str,
    article_id: str,
    url: str,
    title: str,
    body: str,
    language: str,
    actor: str,
) -> Article:
    """Add an article; :class:`~rostra.errors.ArticleExists` when the id is taken."""
    if session.get(Article, article_id) is not None:
        raise errors.ArticleExists(f"article {article_id!r} already exists")
    article = Article(
        id=article_id, site_id=site_id, url=url, title=title, body=body, language=language
    )
    session.add(article)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        raise errors.ArticleExists(f"article {article_id!r} already exists") from None
    from rostra.events import ArticleCreated

    record_event(
        session=session,
        event=ArticleCreated(actor=actor, subject_type="article", subject_id=article_id),
    )
    return article


# -- authors and bans ----------------------------------------------------------------------------


def get_author(*, session: Session, author_id: int, site_id: str | None = None) -> Author:
    author = session.get(Author, author_id)
    if author is None or (site_id is not None and author.site_id != site_id):
        raise errors.AuthorNotFound(f"author {author_id} does not exist")
    return author


def active_ban(*, session: Session, author_id: int, now: datetime | None = None) -> Ban | None:
    """The ban in force for the author at ``now`` (the longest one), or None."""
    now = now or utcnow()
    query = (
        select(Ban)
        .where(
            Ban.author_id == author_id,
            Ban.lifted_at.is_(None),
            or_(Ban.until.is_(None), Ban.until > now),
        )
        .order_by(Ban.until.is_(None).desc(), Ban.until.desc())
    )
    return session.scalars(query).first()


def add_ban(
    *,
    session: Session,
    site_id: str,
    author_id: int,
    until: datetime | None,
    reason: str | None,
    actor: str,
) -> Ban:
    """Ban an author until ``until`` (None: until lifted)."""
    from rostra.events import AuthorBanned

    ban = Ban(site_id=site_id, author_id=author_id, until=until, reason=reason, created_by=actor)
    session.add(ban)
    session.flush()
    record_event(
        session=session,
        event=AuthorBanned(
            actor=actor,
            subject_type="author",
            subject_id=str(author_id),
            data={"ban_id": ban.id, "until": until.isoformat() if until else None},
        ),
    )
    return ban


def lift_bans(*, session: Session, author_id: int, actor: str) -> int:
    """Lift every ban in force for the author; returns how many were lifted."""
    from rostra.events import AuthorUnbanned

    now = utcnow()
    bans = session.scalars(
        select(Ban).where(
            Ban.author_id == author_id,
            Ban.lifted_at.is_(None),
            or_(Ban.until.is_(None), Ban.until > now),
        )
    ).all()
    for ban in bans:
        ban.lifted_at = now
        ban.lifted_by = actor
    if bans:
        record_event(
            session=session,
            event=AuthorUnbanned(
                actor=actor,
                subject_type="author",
                subject_id=str(author_id),
                data={"ban_ids": [b.id for b in bans]},
            ),
        )
    return len(bans)


def author_bans(*, session: Session, author_id: int) -> list[Ban]:
    return list(session.scalars(select(Ban).where(Ban.author_id == author_id).order_by(Ban.id)))


@dataclass(frozen=True, slots=True)
class AuthorCounts:
    approved: int = 0
    rejected: int = 0
    pending: int = 0


def author_history_counts(
    *, session: Session, author_ids: Iterable[int]
) -> dict[int, AuthorCounts]:
    """Per author: how many of their comments are approved, rejected and pending."""
    ids = sorted(set(author_ids))
    if not ids:
        return {}
    rows = session.execute(
        select(Comment.author_id, Comment.status, func.count())
        .where(Comment.author_id.in_(ids))
        .group_by(Comment.author_id, Comment.status)
    ).all()
    raw: dict[int, dict[str, int]] = {i: {} for i in ids}
    for author_id, status, count in rows:
        raw[author_id][status] = count
    return {i: AuthorCounts(**c) for i, c in raw.items()}


# -- comments ------------------------------------------------------------------------------------


def get_comment(*, session: Session, comment_id: int, site_id: str | None = None) -> Comment:
    """The comment, or :class:`~rostra.errors.CommentNotFound` (also when on another site).

    This is :meth:`Session.get`: a comment already in the session is returned as it was
    loaded, without a query. To read its status as it is now, with its row locked, use
    :func:`lock_comment_status`.
    """
    comment = session.get(Comment, comment_id)
    if comment is None or (site_id is not None and comment.site_id != site_id):
        raise errors.CommentNotFound(f"comment {comment_id} does not exist")
    return comment


def latest_decision(*, session: Session, comment_id: int) -> Decision | None:
    return session.scalars(
        select(Decision).where(Decision.comment_id == comment_id).order_by(Decision.id.desc())
    ).first()


def add_decision(
    *,
    session: Session,
    comment: Comment,
    decision: str,
    reasons: Sequence[str],
    note: str | None,
    actor_kind: str,
    moderator_id: int | None = None,
    actor: str | None = None,
) -> Decision:
    """Append a decision that supersedes the previous one and set the comment's status.

    The screen (``actor_kind="screen"``) decides only a comment that is still pending and has
    no decision: otherwise :class:`~rostra.errors.AlreadyDecided` is raised and nothing is
    written, so a moderator who decided while the screen was reading is never overruled.
    That check and the status change are one conditional ``UPDATE``, made before anything
    else is read: it holds the comment's row lock (PostgreSQL) or the database write lock
    (SQLite) until the caller commits, so the previous decision read after it is the real
    latest one even when two deciders race, in one process or several.

    Open reports on the comment are resolved by any moderator decision.
    """
    from rostra.events import DecisionMade

    if actor is None:
        actor = "screen" if actor_kind == "screen" else f"moderator:{moderator_id}"
    status = "approved" if decision == "approve" else "rejected"
    now = utcnow()
    claim = update(Comment).where(Comment.id == comment.id)
    if actor_kind == "screen":
        claim = claim.where(
            Comment.status == "pending",
            ~exists().where(Decision.comment_id == Comment.id),
        )
    result = session.execute(
        claim.values(status=status, decided_at=now).execution_options(synchronize_session=False)
    )
    if actor_kind == "screen" and not getattr(result, "rowcount", 0):
        session.refresh(comment)
        raise errors.AlreadyDecided(
            f"comment {comment.id} is already {comment.status}; the screen decides only "
            "pending comments"
        )
    # The same values through the ORM: keeps the loaded object in step, and the session's
    # change tracking (which invalidates cached thread pages on commit) sees the new status.
    comment.status = status
    comment.decided_at = now
    previous = latest_decision(session=session, comment_id=comment.id)
    row = Decision(
        comment_id=comment.id,
        decision=decision,
        reasons=list(reasons),
        note=note,
        actor_kind=actor_kind,
        actor=actor,
        moderator_id=moderator_id,
        supersedes_id=previous.id if previous else None,
    )
    session.add(row)
    session.flush()
    if actor_kind == "moderator":
        session.execute(
            update(Report)
            .where(Report.comment_id == comment.id, Report.resolved_at.is_(None))
            .values(resolved_at=now)
        )
    record_event(
        session=session,
        event=DecisionMade(
            actor=actor,
            subject_type="comment",
            subject_id=str(comment.id),
            data={"decision": decision, "reasons": list(reasons), "decision_id": row.id},
        ),
    )
    return row


# -- the reader's post, in Core statements ---------------------------------------------------------
#
# Accepting a comment is the service's hottest write. These functions run Core statements on
# the session's connection, in its transaction: no ORM objects are loaded, tracked or flushed.
# The statements are built once, with bound parameters: building one cost several times what
# executing it costs (about 150 against 30 µs for a small SELECT on SQLite). The store rules
# still hold: these functions add rows and change only ``comment.language`` (the text is
# guarded by the database triggers as well as the ORM events), and a status change goes
# through :func:`add_decision` (ORM), which the per-process thread cache watches. An author's
# rename goes through the ORM for the same reason.


def _table(model: Any) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


_SITE = _table(Site)
_ARTICLE = _table(Article)
_AUTHOR = _table(Author)
_BAN = _table(Ban)
_COMMENT = _table(Comment)
_VERDICT = _table(Verdict)
_AUDIT_EVENT = _table(AuditEvent)
_RATE_COUNTER = _table(RateCounter)

_POST_TARGET = (
    select(
        _SITE.c.id,
        _SITE.c.name,
        _SITE.c.moderation_mode,
        _SITE.c.policy_toml,
        _SITE.c.sso_secret,
        _SITE.c.created_at,
        _ARTICLE.c.id,
        _ARTICLE.c.title,
        _ARTICLE.c.body,
        _ARTICLE.c.language,
        _ARTICLE.c.passage_vector_key,
        _ARTICLE.c.passage_vector,
    )
    .select_from(
        _SITE.outerjoin(
            _ARTICLE,
            and_(_ARTICLE.c.id == bindparam("article_id"), _ARTICLE.c.site_id == _SITE.c.id),
        )
    )
    .where(_SITE.c.id == bindparam("site_id"))
)
_REPLY_PARENT = select(_COMMENT.c.article_id, _COMMENT.c.status, _COMMENT.c.root_id).where(
    _COMMENT.c.id == bindparam("comment_id")
)
_RECENT_TEXTS = (
    select(_COMMENT.c.text)
    .where(_COMMENT.c.site_id == bindparam("site_id"))
    .order_by(_COMMENT.c.id.desc())
    .limit(bindparam("limit", type_=Integer))
)
_ACTIVE_BAN = and_(
    _BAN.c.author_id == _AUTHOR.c.id,
    _BAN.c.lifted_at.is_(None),
    or_(_BAN.c.until.is_(None), _BAN.c.until > bindparam("now", type_=_BAN.c.until.type)),
)
_POSTING_AUTHOR = select(
    _AUTHOR.c.id,
    _AUTHOR.c.name,
    exists().where(_ACTIVE_BAN).correlate(_AUTHOR),
    select(_BAN.c.until)
    .where(_ACTIVE_BAN)
    .order_by(_BAN.c.until.is_(None).desc(), _BAN.c.until.desc())
    .limit(1)
    .correlate(_AUTHOR)
    .scalar_subquery(),
).where(
    _AUTHOR.c.site_id == bindparam("site_id"),
    _AUTHOR.c.identity_key == bindparam("identity_key"),
)
# ON CONFLICT DO NOTHING: two first posts by one new author at once must not abort the
# transaction (PostgreSQL aborts it on a unique violation, and a Core insert inside the
# session's savepoint did not roll back to it); the loser reads the winner's row.
_INSERT_AUTHOR: dict[str, Any] = {
    dialect: insert_for(_AUTHOR)
    .on_conflict_do_nothing(index_elements=["site_id", "identity_key"])
    .returning(_AUTHOR.c.id)
    for dialect, insert_for in (("postgresql", pg_insert), ("sqlite", sqlite_insert))
}
_INSERT_COMMENT = insert(_COMMENT).returning(_COMMENT.c.id)
_INSERT_EVENT = insert(_AUDIT_EVENT)
_INSERT_VERDICT = insert(_VERDICT)
_SET_LANGUAGE = (
    update(_COMMENT)
    .where(_COMMENT.c.id == bindparam("comment_id"))
    .values(language=bindparam("language"))
    .returning(_COMMENT.c.status)
)
_LOCK_STATUS = (
    select(_COMMENT.c.status)
    .where(_COMMENT.c.id == bindparam("comment_id"))
    .with_for_update(key_share=True)
)
_COUNT_HIT: dict[str, Any] = {
    dialect: insert_for(_RATE_COUNTER)
    .on_conflict_do_update(
        index_elements=["key", "window_start"], set_={"count": _RATE_COUNTER.c.count + 1}
    )
    .returning(_RATE_COUNTER.c.count)
    for dialect, insert_for in (("postgresql", pg_insert), ("sqlite", sqlite_insert))
}
_PRUNE_KEY = delete(_RATE_COUNTER).where(
    _RATE_COUNTER.c.key == bindparam("key"),
    _RATE_COUNTER.c.window_start < bindparam("expired_before"),
)


@dataclass(frozen=True, slots=True)
class PostTarget:
    """What a post needs of its site and article, read in one statement."""

    site: Site  # transient: not attached to any session
    article_id: str
    article_title: str
    article_body: str
    article_language: str
    #: The article's stored passage vector and what it was computed from (None until kept).
    article_vector_key: str | None = None
    article_vector: bytes | None = None


def post_target(*, session: Session, site_id: str, article_id: str) -> PostTarget:
    """The site and the article a reader posts under (one query).

    :class:`~rostra.errors.SiteNotFound` / :class:`~rostra.errors.ArticleNotFound` as
    :func:`get_site` and :func:`get_article` (an article of another site is not found).
    """
    row = (
        session.connection()
        .execute(_POST_TARGET, {"site_id": site_id, "article_id": article_id})
        .first()
    )
    if row is None:
        raise errors.SiteNotFound(f"site {site_id!r} does not exist")
    if row[6] is None:
        raise errors.ArticleNotFound(f"article {article_id!r} does not exist")
    site = Site(
        id=row[0],
        name=row[1],
        moderation_mode=row[2],
        policy_toml=row[3],
        sso_secret=row[4],
        created_at=row[5],
    )
    return PostTarget(site, row[6], row[7], row[8], row[9], row[10], row[11])


def keep_article_vector(
    *, session: Session, site_id: str, article_id: str, key: str, vector: bytes
) -> bool:
    """Store an article's passage vector (the caller decides it is needed: article_vectors).

    Returns whether the article exists. The caller holds the write lock (SQLite) and commits.
    """
    result = session.connection().execute(
        update(_ARTICLE)
        .where(_ARTICLE.c.id == article_id, _ARTICLE.c.site_id == site_id)
        .values(passage_vector_key=key, passage_vector=vector)
    )
    return bool(result.rowcount)


@dataclass(frozen=True, slots=True)
class ReplyParent:
    id: int
    article_id: str
    status: str
    root_id: int | None


def reply_parent(*, session: Session, comment_id: int) -> ReplyParent | None:
    """What a reply needs of the comment it answers, or None when there is no such comment."""
    row = session.connection().execute(_REPLY_PARENT, {"comment_id": comment_id}).first()
    return None if row is None else ReplyParent(comment_id, row[0], row[1], row[2])


def recent_texts(*, session: Session, site_id: str, limit: int) -> list[str]:
    """The texts of the site's last ``limit`` comments, newest first."""
    rows = session.connection().execute(_RECENT_TEXTS, {"site_id": site_id, "limit": limit})
    return [text for (text,) in rows]


@dataclass(frozen=True, slots=True)
class PostingAuthor:
    id: int
    banned: bool
    #: The end of the ban in force (None with ``banned``: until lifted).
    banned_until: datetime | None


def posting_author(
    *,
    session: Session,
    site_id: str,
    kind: str,
    identity_key: str,
    name: str,
    email_hash: str | None = None,
    sso_subject: str | None = None,
    now: datetime | None = None,
) -> PostingAuthor:
    """The author with this identity on the site, created on first sight, and their ban.

    One query for a returning author. The display name of a returning author is updated to
    the latest one they used, through the ORM (so the thread cache sees the rename). The ban
    in force is the longest one, as :func:`active_ban` orders them.
    """
    params = {"site_id": site_id, "identity_key": identity_key, "now": now or utcnow()}
    connection = session.connection()
    row = connection.execute(_POSTING_AUTHOR, params).first()
    if row is None:
        dialect = "postgresql" if connection.dialect.name == "postgresql" else "sqlite"
        created = connection.execute(
            _INSERT_AUTHOR[dialect],
            {
                "site_id": site_id,
                "kind": kind,
                "identity_key": identity_key,
                "name": name,
                "email_hash": email_hash,
                "sso_subject": sso_subject,
            },
        ).scalar_one_or_none()
        if created is not None:
            return PostingAuthor(int(created), False, None)
        # created concurrently by another request (PostgreSQL waited for it to commit)
        row = connection.execute(_POSTING_AUTHOR, params).one()
    author_id, old_name, is_banned, until = row
    if old_name != name:
        author = get_author(session=session, author_id=author_id)
        author.name = name
    return PostingAuthor(author_id, bool(is_banned), until)


def insert_comment(
    *,
    session: Session,
    site_id: str,
    article_id: str,
    author_id: int,
    text: str,
    parent: ReplyParent | None,
    ip_hash: str | None,
    author_token_hash: str,
) -> int:
    """Add a pending comment (one ``INSERT``; the caller commits it before screening).

    Returns the new comment's id.
    """
    result = session.connection().execute(
        _INSERT_COMMENT,
        {
            "site_id": site_id,
            "article_id": article_id,
            "author_id": author_id,
            "parent_id": parent.id if parent else None,
            "root_id": (parent.root_id or parent.id) if parent else None,
            "text": text,
            "status": "pending",
            "language": None,
            "ip_hash": ip_hash,
            "author_token_hash": author_token_hash,
            "decided_at": None,
        },
    )
    return int(result.scalar_one())


def insert_event(*, session: Session, event: Event) -> None:
    """:func:`record_event` as one ``INSERT`` on the session's connection."""
    session.connection().execute(_INSERT_EVENT, _event_values(event))


def insert_verdict(*, session: Session, comment_id: int, verdict: Any, elapsed_ms: float) -> None:
    """Store a :class:`rostra.screening.Verdict` for the comment (one ``INSERT``)."""
    data = verdict.to_dict()
    session.connection().execute(
        _INSERT_VERDICT,
        {
            "comment_id": comment_id,
            "recommendation": data["recommendation"],
            "language": data["language"],
            "language_confidence": data["language_confidence"],
            "scores": data["scores"],
            "reasons": data["reasons"],
            "evidence": data["evidence"],
            "errors": data["errors"],
            "model_version": data["model_version"],
            "policy_version": data["policy_version"],
            "elapsed_ms": round(elapsed_ms, 3),
        },
    )


def lock_comment_status(*, session: Session, comment_id: int, language: str | None = None) -> str:
    """The comment's status, read with its row locked until the transaction ends.

    Read from the database whatever the session already holds. On PostgreSQL the row is
    locked until the transaction ends (``FOR NO KEY UPDATE``: other deciders wait, inserts
    that only reference the comment do not); with ``language``, the comment's language is set
    in the same statement (an ``UPDATE … RETURNING``, which takes that lock too). SQLite has
    no row locks: hold the write lock (``store.writelock``).
    :class:`~rostra.errors.CommentNotFound` if there is no such comment.
    """
    connection = session.connection()
    if language is not None:
        result = connection.execute(_SET_LANGUAGE, {"comment_id": comment_id, "language": language})
    else:
        result = connection.execute(_LOCK_STATUS, {"comment_id": comment_id})
    status = result.scalar_one_or_none()
    if status is None:
        raise errors.CommentNotFound(f"comment {comment_id} does not exist")
    return str(status)


@dataclass
class CommentHistory:
    """A comment with everything a moderator needs to decide it."""

    comment: Comment
    article: Article
    verdicts: list[Verdict]
    decisions: list[Decision]
    reports: list[Report]
    author_counts: AuthorCounts
    active_ban: Ban | None


def comment_with_history(
    *, session: Session, comment_id: int, site_id: str | None = None
) -> CommentHistory:
    """The comment with its article, verdicts, full decision history, reports and author."""
    comment = get_comment(session=session, comment_id=comment_id, site_id=site_id)
    article = get_article(session=session, article_id=comment.article_id)
    verdicts = list(
        session.scalars(
            select(Verdict).where(Verdict.comment_id == comment.id).order_by(Verdict.id)
        )
    )
    decisions = list(
        session.scalars(
            select(Decision).where(Decision.comment_id == comment.id).order_by(Decision.id)
        )
    )
    reports = list(
        session.scalars(select(Report).where(Report.comment_id == comment.id).order_by(Report.id))
    )
    counts = author_history_counts(session=session, author_ids=[comment.author_id])
    return CommentHistory(
        comment=comment,
        article=article,
        verdicts=verdicts,
        decisions=decisions,
        reports=reports,
        author_counts=counts[comment.author_id],
        active_ban=active_ban(session=session, author_id=comment.author_id),
    )


def latest_id(model: type[Verdict] | type[Decision]) -> Any:
    """The id of the comment's latest verdict or decision, looked up per comment (an index seek).

    Not ``IN (SELECT max(id) … GROUP BY comment_id)``: SQLite probes that whole list for every
    comment, which made counting a queue of 5,000 take seconds. Aliased, so the outer query may
    join the same table.
    """
    other = aliased(model)
    return (
        select(func.max(other.id))
        .where(other.comment_id == Comment.id)
        .correlate(Comment)
        .scalar_subquery()
    )


@dataclass
class QueueItem:
    comment: Comment
    article_title: str
    verdict: Verdict | None
    open_reports: int
    author_counts: AuthorCounts = field(default_factory=AuthorCounts)


def review_queue(
    *,
    session: Session,
    site_id: str,
    status: str | None = "pending",
    reported: bool | None = None,
    category: str | None = None,
    language: str | None = None,
    article_id: str | None = None,
    sort: str = "oldest",
    after_id: int | None = None,
    limit: int = 50,
) -> list[QueueItem]:
    """The moderation queue, oldest first by default (``sort="newest"`` reverses it).

    Filters: ``status`` (None for every status), ``reported`` (has open reports, or not),
    ``category`` (in the screen's reasons or a report's reason), ``language`` (the screen's
    language id), ``article_id``. ``after_id`` is the last id of the previous page.
    Each item carries its article title, latest verdict, open report count and the
    author's history counts.
    """
    open_reports = (
        select(func.count(Report.id))
        .where(Report.comment_id == Comment.id, Report.resolved_at.is_(None))
        .correlate(Comment)
        .scalar_subquery()
    )
    query = (
        select(Comment, Article.title, Verdict, open_reports)
        .join(Article, Article.id == Comment.article_id)
        .outerjoin(
            Verdict, and_(Verdict.comment_id == Comment.id, Verdict.id == latest_id(Verdict))
        )
        .where(Comment.site_id == site_id)
    )
    if status is not None:
        query = query.where(Comment.status == status)
    if article_id is not None:
        query = query.where(Comment.article_id == article_id)
    if language is not None:
        query = query.where(or_(Comment.language == language, Verdict.language == language))
    has_open_report = exists().where(Report.comment_id == Comment.id, Report.resolved_at.is_(None))
    if reported is True:
        query = query.where(has_open_report)
    elif reported is False:
        query = query.where(~has_open_report)
    if category is not None:
        # Category ids are validated snake_case words, so a LIKE on the JSON text is exact.
        query = query.where(
            or_(
                cast(Verdict.reasons, String).like(f'%"{category}"%'),
                exists().where(Report.comment_id == Comment.id, Report.reason == category),
            )
        )
    if sort == "newest":
        if after_id is not None:
            query = query.where(Comment.id < after_id)
        query = query.order_by(Comment.id.desc())
    else:
        if after_id is not None:
            query = query.where(Comment.id > after_id)
        query = query.order_by(Comment.id)
    rows = session.execute(query.limit(limit)).all()
    items = [
        QueueItem(comment=c, article_title=title, verdict=v, open_reports=n or 0)
        for c, title, v, n in rows
    ]
    counts = author_history_counts(session=session, author_ids=[i.comment.author_id for i in items])
    for item in items:
        item.author_counts = counts[item.comment.author_id]
    return items


@dataclass
class ThreadPage:
    """One page of an article's public thread: top-level comments with their replies."""

    roots: list[Comment]
    replies: dict[int, list[Comment]]
    count: int
    next_after_id: int | None


def public_thread(
    *,
    session: Session,
    article_id: str,
    sort: str = "newest",
    after_id: int | None = None,
    limit: int = 20,
) -> ThreadPage:
    """Approved comments of an article: a page of top-level ones, each with every approved reply.

    A reply is shown only when its whole chain up to the top-level comment is approved.
    ``count`` is the number of comments shown on all pages, replies included
    (:func:`comment_counts`).
    """
    query = select(Comment).where(
        Comment.article_id == article_id,
        Comment.status == "approved",
        Comment.parent_id.is_(None),
    )
    if sort == "oldest":
        if after_id is not None:
            query = query.where(Comment.id > after_id)
        query = query.order_by(Comment.id)
    else:
        if after_id is not None:
            query = query.where(Comment.id < after_id)
        query = query.order_by(Comment.id.desc())
    fetched = list(session.scalars(query.limit(limit + 1)))
    roots = fetched[:limit]
    next_after_id = roots[-1].id if len(fetched) > limit else None
    replies: dict[int, list[Comment]] = {}
    if roots:
        candidates = session.scalars(
            select(Comment)
            .where(Comment.root_id.in_([r.id for r in roots]), Comment.status == "approved")
            .order_by(Comment.id)
        ).all()
        visible = {r.id for r in roots}
        for reply in candidates:  # ids grow with time, so a parent comes before its replies
            if reply.parent_id in visible:
                visible.add(reply.id)
                replies.setdefault(reply.parent_id, []).append(reply)
    count = comment_counts(session=session, article_ids=[article_id])[article_id]
    return ThreadPage(roots=roots, replies=replies, count=count, next_after_id=next_after_id)


def comment_counts(*, session: Session, article_ids: Sequence[str]) -> dict[str, int]:
    """Published comment counts per article id (0 for unknown or empty articles).

    A comment counts when a reader can see it: approved, and every comment above it approved
    too (:func:`public_thread` hides a reply under a parent that was later rejected, so the
    count must not promise it).
    """
    counts = dict.fromkeys(article_ids, 0)
    if not article_ids:
        return counts
    wanted = list(article_ids)
    visible = (
        select(Comment.id, Comment.article_id)
        .where(
            Comment.article_id.in_(wanted),
            Comment.status == "approved",
            Comment.parent_id.is_(None),
        )
        .cte("visible", recursive=True)
    )
    reply = aliased(Comment)
    visible = visible.union_all(
        select(reply.id, reply.article_id)
        .join(visible, reply.parent_id == visible.c.id)
        .where(reply.article_id.in_(wanted), reply.status == "approved")
    )
    rows = session.execute(
        select(visible.c.article_id, func.count()).group_by(visible.c.article_id)
    ).all()
    for article_id, count in rows:
        counts[article_id] = count
    return counts


def add_report(
    *,
    session: Session,
    comment: Comment,
    reason: str | None,
    note: str | None,
    reporter_key: str,
) -> tuple[Report, bool]:
    """Record a reader's report. Returns ``(report, created)``; one per reader per comment."""
    from rostra.events import CommentReported

    existing = session.scalars(
        select(Report).where(Report.comment_id == comment.id, Report.reporter_key == reporter_key)
    ).first()
    if existing is not None:
        return existing, False
    report = Report(comment_id=comment.id, reason=reason, note=note, reporter_key=reporter_key)
    try:
        with session.begin_nested():
            session.add(report)
            session.flush()
    except IntegrityError:
        existing = session.scalars(
            select(Report).where(
                Report.comment_id == comment.id, Report.reporter_key == reporter_key
            )
        ).one()
        return existing, False
    record_event(
        session=session,
        event=CommentReported(
            actor="reader",
            subject_type="comment",
            subject_id=str(comment.id),
            data={"report_id": report.id, "reason": reason},
        ),
    )
    return report, True


# -- moderators and tokens -----------------------------------------------------------------------


def get_moderator_by_username(*, session: Session, username: str) -> Moderator | None:
    return session.scalars(select(Moderator).where(Moderator.username == username)).first()


def get_moderator(*, session: Session, moderator_id: int) -> Moderator:
    moderator = session.get(Moderator, moderator_id)
    if moderator is None:
        raise errors.ModeratorNotFound(f"moderator {moderator_id} does not exist")
    return moderator


def list_moderators(*, session: Session) -> list[Moderator]:
    return list(session.scalars(select(Moderator).order_by(Moderator.id)))


def create_moderator(
    *,
    session: Session,
    username: str,
    display_name: str,
    password_hash: str,
    role: str,
    actor: str,
) -> Moderator:
    """Add a moderator; :class:`~rostra.errors.ModeratorExists` when the username is taken."""
    from rostra.events import ModeratorCreated

    if get_moderator_by_username(session=session, username=username) is not None:
        raise errors.ModeratorExists(f"moderator {username!r} already exists")
    moderator = Moderator(
        username=username, display_name=display_name, password_hash=password_hash, role=role
    )
    session.add(moderator)
    session.flush()
    record_event(
        session=session,
        event=ModeratorCreated(
            actor=actor,
            subject_type="moderator",
            subject_id=str(moderator.id),
            data={"username": username, "role": role},
        ),
    )
    return moderator


def create_api_token(
    *, session: Session, name: str, role: str, token_hash: str, prefix: str, actor: str
) -> ApiToken:
    from rostra.events import TokenCreated

    token = ApiToken(name=name, role=role, token_hash=token_hash, prefix=prefix, created_by=actor)
    session.add(token)
    session.flush()
    record_event(
        session=session,
        event=TokenCreated(
            actor=actor,
            subject_type="api_token",
            subject_id=str(token.id),
            data={"name": name, "role": role},
        ),
    )
    return token


def find_api_token(*, session: Session, token_hash: str) -> ApiToken | None:
    """The unrevoked token with this hash, or None."""
    return session.scalars(
        select(ApiToken).where(ApiToken.token_hash == token_hash, ApiToken.revoked_at.is_(None))
    ).first()


def list_api_tokens(*, session: Session) -> list[ApiToken]:
    return list(session.scalars(select(ApiToken).order_by(ApiToken.id)))


def revoke_api_token(*, session: Session, token_id: int, actor: str) -> ApiToken:
    from rostra.events import TokenRevoked

    token = session.get(ApiToken, token_id)
    if token is None:
        raise errors.TokenNotFound(f"token {token_id} does not exist")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        record_event(
            session=session,
            event=TokenRevoked(actor=actor, subject_type="api_token", subject_id=str(token_id)),
        )
    return token


# -- login throttling and rate counters ------------------------------------------------------------


def get_login_throttle(*, session: Session, key: str) -> LoginThrottle | None:
    return session.get(LoginThrottle, key)


def record_login_failure(
    *, session: Session, key: str, now: datetime, max_failures: int, base: int, cap: int
) -> LoginThrottle:
    """Count a failure; from ``max_failures`` on, block for ``base * 2**k`` seconds (≤ cap)."""
    from datetime import timedelta

    row = session.get(LoginThrottle, key, with_for_update=True)
    if row is None:
        try:
            with session.begin_nested():
                row = LoginThrottle(key=key, failures=0, last_failure_at=now)
                session.add(row)
                session.flush()
        except IntegrityError:  # another request recorded the first failure meanwhile
            row = session.get(LoginThrottle, key, with_for_update=True, populate_existing=True)
            assert row is not None
    row.failures += 1
    row.last_failure_at = now
    if row.failures >= max_failures:
        seconds = min(cap, base * 2 ** (row.failures - max_failures))
        row.blocked_until = now + timedelta(seconds=seconds)
    session.flush()
    return row


def clear_login_failures(*, session: Session, key: str) -> None:
    session.execute(delete(LoginThrottle).where(LoginThrottle.key == key))


def increment_rate_counter(
    *, session: Session, key: str, window_start: int, expired_before: int
) -> int:
    """Atomically add one to the counter for ``(key, window_start)`` and return it.

    When this is the first hit of a window, the key's counters of windows that started before
    ``expired_before`` are pruned. Core statements on the session's connection (in its
    transaction): a post counts two or three keys, and the ORM's per-statement work was most
    of their cost.
    """
    connection = session.connection()
    count = int(
        connection.execute(
            _COUNT_HIT["postgresql" if connection.dialect.name == "postgresql" else "sqlite"],
            {"key": key, "window_start": window_start, "count": 1},
        ).scalar_one()
    )
    if count == 1:  # older windows of this key can only exist before its first hit here
        connection.execute(_PRUNE_KEY, {"key": key, "expired_before": expired_before})
    return count


def prune_rate_counters(*, session: Session, before: int) -> int:
    """Delete every counter whose window started before ``before`` (epoch seconds)."""
    result = session.execute(delete(RateCounter).where(RateCounter.window_start < before))
    return int(getattr(result, "rowcount", 0) or 0)


# -- statistics ----------------------------------------------------------------------------------


def status_counts(*, session: Session, site_id: str) -> dict[str, int]:
    """How many comments of the site are pending, approved and rejected."""
    counts = {"pending": 0, "approved": 0, "rejected": 0}
    rows = session.execute(
        select(Comment.status, func.count(Comment.id))
        .where(Comment.site_id == site_id)
        .group_by(Comment.status)
    ).all()
    for status, count in rows:
        counts[status] = count
    return counts


def decision_counts(*, session: Session, site_id: str) -> dict[str, int]:
    """Decisions recorded on the site by actor kind and decision (``"screen:reject"`` …)."""
    rows = session.execute(
        select(Decision.actor_kind, Decision.decision, func.count(Decision.id))
        .join(Comment, Comment.id == Decision.comment_id)
        .where(Comment.site_id == site_id)
        .group_by(Decision.actor_kind, Decision.decision)
    ).all()
    return {f"{kind}:{decision}": count for kind, decision, count in rows}


def open_report_count(*, session: Session, site_id: str) -> int:
    """How many comments of the site have at least one open report."""
    return int(
        session.scalar(
            select(func.count(func.distinct(Report.comment_id)))
            .join(Comment, Comment.id == Report.comment_id)
            .where(Comment.site_id == site_id, Report.resolved_at.is_(None))
        )
        or 0
    )
