"""The dashboard's reads: queues with counts, filters and search, author pages and statistics.

Built on the service's models and ``rostra.store.queries``; only what the dashboard needs and
the store does not offer (free-text search, highest-risk ordering, queue counts, author notes,
statistics) lives here. No writes except author notes, which are audit events.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

from sqlalchemy import Float, String, Text, and_, cast, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from rostra.events import Event
from rostra.store import queries
from rostra.store.models import (
    Article,
    AuditEvent,
    Author,
    Comment,
    Decision,
    Moderator,
    Report,
    Verdict,
)

QUEUES = ("pending", "reported", "rejected", "approved")
SORTS = ("oldest", "risk", "newest")


@dataclass(frozen=True, slots=True, kw_only=True)
class AuthorNoted(Event):
    """A moderator wrote a note on an author (kept in the audit log, append-only)."""

    name: ClassVar[str] = "author-noted"


@dataclass
class QueueFilters:
    queue: str = "pending"
    article_id: str | None = None
    language: str | None = None
    category: str | None = None
    search: str | None = None
    sort: str = "oldest"
    page: int = 1
    per_page: int = 25


@dataclass
class QueueEntry:
    comment: Comment
    article: Article
    verdict: Verdict | None
    open_reports: int
    counts: queries.AuthorCounts
    risk: float
    #: The author's latest other comments (newest first), for the history at a glance.
    recent: list[Comment] = field(default_factory=list)


@dataclass
class QueuePage:
    entries: list[QueueEntry]
    total: int
    counts: dict[str, int]
    has_next: bool
    articles: list[tuple[str, str]] = field(default_factory=list)


def _open_report_exists() -> Any:
    return exists().where(Report.comment_id == Comment.id, Report.resolved_at.is_(None))


def _queue_condition(queue: str) -> Any:
    if queue == "reported":
        return _open_report_exists()
    return Comment.status == queue


def category_condition(category: str) -> Any:
    """Comments whose *current* reasons include ``category``.

    A rejected comment's reasons are those of its current decision (a moderator may have
    rejected it for another guideline than the screen saw); any other comment's are the
    screen's, plus those its current decision names, if any. Category ids are snake_case words
    checked against the policy by the caller.
    """
    pattern = f'%"{category}"%'
    current = aliased(Decision)
    by_decision = exists().where(
        current.id == queries.latest_id(Decision), cast(current.reasons, String).like(pattern)
    )
    by_screen = cast(Verdict.reasons, String).like(pattern)
    return or_(
        and_(Comment.status == "rejected", by_decision),
        and_(Comment.status != "rejected", or_(by_screen, by_decision)),
    )


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def queue_counts(*, session: Session, site_id: str) -> dict[str, int]:
    """How many comments each queue holds (reported: with an open reader report)."""
    counts: dict[str, int] = {}
    for queue in QUEUES:
        counts[queue] = (
            session.scalar(
                select(func.count(Comment.id)).where(
                    Comment.site_id == site_id, _queue_condition(queue)
                )
            )
            or 0
        )
    return counts


def top_score(dialect: str) -> Any:
    """SQL for the highest category score of the joined ``Verdict`` row (0 without one).

    The scores are a JSON object (category -> score); the database reads its values with
    ``json_each`` (SQLite and PostgreSQL both have it), so "highest risk first" is sorted and
    paginated by the database over the whole queue. Same value as :func:`risk_of`.
    """
    if dialect == "postgresql":
        each = func.json_each(Verdict.scores).table_valued("key", "value").alias("score")
        value: Any = cast(cast(each.c.value, Text), Float)
        numeric: Any = func.json_typeof(each.c.value) == "number"
    else:
        each = func.json_each(Verdict.scores).table_valued("value", "type").alias("score")
        value = each.c.value
        numeric = each.c.type.in_(("integer", "real"))
    top = select(func.max(value)).select_from(each).where(numeric).correlate(Verdict)
    return func.coalesce(top.scalar_subquery(), 0.0)


def risk_of(verdict: Verdict | None) -> float:
    """The highest category score of the screen's verdict (0 when there is none)."""
    if verdict is None or not verdict.scores:
        return 0.0
    values = [float(v) for v in verdict.scores.values() if isinstance(v, int | float)]
    return max(values, default=0.0)


def queue_page(*, session: Session, site_id: str, filters: QueueFilters) -> QueuePage:
    """One page of a queue with its filters, search and ordering applied."""
    open_reports = (
        select(func.count(Report.id))
        .where(Report.comment_id == Comment.id, Report.resolved_at.is_(None))
        .correlate(Comment)
        .scalar_subquery()
    )
    query = (
        select(Comment, Article, Verdict, open_reports)
        .join(Article, Article.id == Comment.article_id)
        .join(Author, Author.id == Comment.author_id)
        .outerjoin(
            Verdict,
            and_(Verdict.comment_id == Comment.id, Verdict.id == queries.latest_id(Verdict)),
        )
        .where(Comment.site_id == site_id, _queue_condition(filters.queue))
    )
    if filters.article_id:
        query = query.where(Comment.article_id == filters.article_id)
    if filters.language:
        query = query.where(
            or_(Comment.language == filters.language, Verdict.language == filters.language)
        )
    if filters.category:
        query = query.where(category_condition(filters.category))
    if filters.search:
        pattern = _like_pattern(filters.search.strip())
        query = query.where(
            or_(
                Comment.text.ilike(pattern, escape="\\"),
                Author.name.ilike(pattern, escape="\\"),
            )
        )
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    per_page = max(1, filters.per_page)
    offset = (max(1, filters.page) - 1) * per_page
    if filters.sort == "risk":
        order: tuple[Any, ...] = (top_score(session.get_bind().dialect.name).desc(), Comment.id)
    elif filters.sort == "newest":
        order = (Comment.id.desc(),)
    else:
        order = (Comment.id,)
    rows = list(session.execute(query.order_by(*order).offset(offset).limit(per_page + 1)).all())
    has_next = len(rows) > per_page
    rows = rows[:per_page]
    counts = queries.author_history_counts(
        session=session, author_ids=[r[0].author_id for r in rows]
    )
    recent = recent_by_author(
        session=session, author_ids=[r[0].author_id for r in rows], per_author=3
    )
    entries = [
        QueueEntry(
            comment=c,
            article=a,
            verdict=v,
            open_reports=n or 0,
            counts=counts.get(c.author_id, queries.AuthorCounts()),
            risk=risk_of(v),
            recent=[x for x in recent.get(c.author_id, []) if x.id != c.id][:3],
        )
        for c, a, v, n in rows
    ]
    articles = [
        (a_id, title)
        for a_id, title in session.execute(
            select(Article.id, Article.title)
            .where(Article.site_id == site_id)
            .order_by(Article.created_at)
        ).all()
    ]
    return QueuePage(
        entries=entries,
        total=total,
        counts=queue_counts(session=session, site_id=site_id),
        has_next=has_next,
        articles=articles,
    )


def recent_by_author(
    *, session: Session, author_ids: Sequence[int], per_author: int = 3
) -> dict[int, list[Comment]]:
    """Each author's latest comments, newest first (``per_author`` + 1 each, at most)."""
    ids = sorted(set(author_ids))
    found: dict[int, list[Comment]] = {i: [] for i in ids}
    if not ids:
        return found
    ranked = (
        select(
            Comment.id,
            func.row_number()
            .over(partition_by=Comment.author_id, order_by=Comment.id.desc())
            .label("rank"),
        )
        .where(Comment.author_id.in_(ids))
        .subquery()
    )
    rows = session.scalars(
        select(Comment)
        .join(ranked, ranked.c.id == Comment.id)
        .where(ranked.c.rank <= per_author + 1)
        .order_by(Comment.id.desc())
    )
    for comment in rows:
        found[comment.author_id].append(comment)
    return found


def moderator_names(*, session: Session) -> dict[int, str]:
    return {m.id: m.display_name or m.username for m in session.scalars(select(Moderator))}


# -- authors -------------------------------------------------------------------------------------


@dataclass
class AuthorPage:
    author: Author
    counts: queries.AuthorCounts
    recent: list[tuple[Comment, str]]
    bans: list[Any]
    active_ban: Any
    notes: list[AuditEvent]


def author_page(*, session: Session, site_id: str, author_id: int, recent: int = 20) -> AuthorPage:
    author = queries.get_author(session=session, author_id=author_id, site_id=site_id)
    counts = queries.author_history_counts(session=session, author_ids=[author.id])
    rows = session.execute(
        select(Comment, Article.title)
        .join(Article, Article.id == Comment.article_id)
        .where(Comment.author_id == author.id)
        .order_by(Comment.id.desc())
        .limit(recent)
    ).all()
    return AuthorPage(
        author=author,
        counts=counts.get(author.id, queries.AuthorCounts()),
        recent=[(c, t) for c, t in rows],
        bans=queries.author_bans(session=session, author_id=author.id),
        active_ban=queries.active_ban(session=session, author_id=author.id),
        notes=author_notes(session=session, author_id=author.id),
    )


def author_notes(*, session: Session, author_id: int) -> list[AuditEvent]:
    """Moderator notes on an author, newest first."""
    return list(
        session.scalars(
            select(AuditEvent)
            .where(
                AuditEvent.name == AuthorNoted.name,
                AuditEvent.subject_type == "author",
                AuditEvent.subject_id == str(author_id),
            )
            .order_by(AuditEvent.id.desc())
        )
    )


def add_author_note(
    *, session: Session, site_id: str, author_id: int, note: str, actor: str
) -> AuditEvent:
    """Append a moderator's note on an author (notes are never edited, like decisions)."""
    queries.get_author(session=session, author_id=author_id, site_id=site_id)
    text = note.strip()
    if not text:
        raise ValueError("a note cannot be empty")
    return queries.record_event(
        session=session,
        event=AuthorNoted(
            actor=actor,
            subject_type="author",
            subject_id=str(author_id),
            data={"note": text[:2000]},
        ),
    )


# -- statistics ----------------------------------------------------------------------------------


@dataclass
class Stats:
    days: list[tuple[str, int]]
    decided_by: dict[str, int]
    rejections_by_category: list[tuple[str, int]]
    rejections_by_language: list[tuple[str, int]]
    agreement: float | None
    agreement_n: int
    median_hours_people: float | None
    median_hours_screen: float | None
    total: int
    #: Per arrival day (same labels as ``days``): the share of moderator decisions that agree
    #: with the screen, and the median hours to a moderator's first decision (None: no data).
    agreement_days: list[tuple[str, float | None]] = field(default_factory=list)
    median_hours_people_days: list[tuple[str, float | None]] = field(default_factory=list)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def stats(*, session: Session, site_id: str, days: int = 30, now: datetime | None = None) -> Stats:
    """Figures for the stats page over the last ``days`` days (by comment arrival).

    ``decided_by`` counts the *current* decision of each comment by actor (screen or people)
    and the still pending ones; agreement is the share of moderator decisions that match the
    screen's approve/reject recommendation (``review`` recommendations are not counted).
    """
    now = _aware(now or datetime.now(UTC))
    since = now - timedelta(days=days)
    comments = list(
        session.execute(
            select(
                Comment.id, Comment.created_at, Comment.decided_at, Comment.status, Comment.language
            ).where(Comment.site_id == site_id, Comment.created_at >= since)
        ).all()
    )
    ids = [c.id for c in comments]
    day_of = {c.id: _aware(c.created_at).date().isoformat() for c in comments}
    per_day: Counter[str] = Counter(day_of.values())
    start = since.date()
    all_days = [(start + timedelta(days=i)).isoformat() for i in range(days + 1)]
    day_series = [(day[5:], per_day.get(day, 0)) for day in all_days]
    latest: dict[int, Decision] = {}
    first: dict[int, Decision] = {}
    if ids:
        for row in session.scalars(
            select(Decision).where(Decision.comment_id.in_(ids)).order_by(Decision.id)
        ):
            latest[row.comment_id] = row
            first.setdefault(row.comment_id, row)
    verdicts: dict[int, Verdict] = {}
    if ids:
        for found in session.scalars(
            select(Verdict).where(Verdict.comment_id.in_(ids)).order_by(Verdict.id)
        ):
            verdicts[found.comment_id] = found
    decided_by = {"screen": 0, "moderator": 0, "pending": 0}
    by_category: Counter[str] = Counter()
    by_language: Counter[str] = Counter()
    agree = disagree = 0
    hours_people: list[float] = []
    hours_screen: list[float] = []
    agree_by_day: dict[str, list[bool]] = {}
    hours_people_by_day: dict[str, list[float]] = {}
    for c in comments:
        d = latest.get(c.id)
        if d is None:
            decided_by["pending"] += 1
            continue
        decided_by[d.actor_kind] = decided_by.get(d.actor_kind, 0) + 1
        # Time to a decision is time to the *first* one: a later change of mind is not delay.
        once = first[c.id]
        hours = max(0.0, (_aware(once.created_at) - _aware(c.created_at)).total_seconds() / 3600)
        if once.actor_kind == "screen":
            hours_screen.append(hours)
        else:
            hours_people.append(hours)
            hours_people_by_day.setdefault(day_of[c.id], []).append(hours)
        v = verdicts.get(c.id)
        if d.decision == "reject":
            for reason in d.reasons or []:
                by_category[str(reason)] += 1
            by_language[c.language or (v.language if v else None) or "other"] += 1
        if (
            d.actor_kind == "moderator"
            and v is not None
            and v.recommendation in ("approve", "reject")
        ):
            if v.recommendation == d.decision:
                agree += 1
            else:
                disagree += 1
            agree_by_day.setdefault(day_of[c.id], []).append(v.recommendation == d.decision)
    return Stats(
        days=day_series,
        decided_by=decided_by,
        rejections_by_category=by_category.most_common(),
        rejections_by_language=by_language.most_common(),
        agreement=(agree / (agree + disagree)) if agree + disagree else None,
        agreement_n=agree + disagree,
        median_hours_people=statistics.median(hours_people) if hours_people else None,
        median_hours_screen=statistics.median(hours_screen) if hours_screen else None,
        total=len(comments),
        agreement_days=[
            (
                day[5:],
                sum(agree_by_day[day]) / len(agree_by_day[day]) if day in agree_by_day else None,
            )
            for day in all_days
        ],
        median_hours_people_days=[
            (
                day[5:],
                statistics.median(hours_people_by_day[day]) if day in hours_people_by_day else None,
            )
            for day in all_days
        ],
    )


#: The unit strings of :func:`format_duration` (dashboard i18n keys; English without one).
DURATION_UNITS = {"unit_s": "{n} s", "unit_min": "{n} min", "unit_h": "{n} h", "unit_d": "{n} d"}


def format_duration(hours: float | None, t: Callable[..., str] | None = None) -> str:
    """A short duration in the dashboard's language: ``42 s``, ``17 min``, ``3.5 h``, ``2.1 d``.

    ``t`` is the page's translator (``unit_s``, ``unit_min``, ``unit_h``, ``unit_d``); without
    one the units are English.

    Examples
    --------
    >>> format_duration(0.5), format_duration(3.5), format_duration(None)
    ('30 min', '3.5 h', '–')
    """
    if hours is None:
        return "–"
    seconds = hours * 3600
    if seconds < 90:
        key, n = "unit_s", f"{seconds:.0f}"
    elif seconds < 5400:
        key, n = "unit_min", f"{seconds / 60:.0f}"
    elif hours < 48:
        key, n = "unit_h", f"{hours:.1f}"
    else:
        key, n = "unit_d", f"{hours / 24:.1f}"
    if t is None:
        return DURATION_UNITS[key].replace("{n}", n)
    return t(key, n=n)


def filter_choices(values: Sequence[str], chosen: str | None) -> str | None:
    """``chosen`` when it is one of ``values`` (filters from the query string are untrusted)."""
    return chosen if chosen in values else None
