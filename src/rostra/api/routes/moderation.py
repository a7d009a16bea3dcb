"""Moderation API: the review queue, decisions with history, bans (moderator or admin)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, status
from sqlalchemy.orm import Session

from rostra.api import schemas
from rostra.api.deps import ModeratorDep, RuntimeDep, SessionDep
from rostra.api.routes.public import decode_cursor, encode_cursor
from rostra.services import moderation
from rostra.services.policy import site_policy
from rostra.store import queries
from rostra.store.models import Author, Ban, Comment, Decision, Report, Verdict
from rostra.store.queries import AuthorCounts

router = APIRouter(prefix="/api/v1/moderation", tags=["moderation"])


def verdict_out(verdict: Verdict) -> schemas.VerdictOut:
    return schemas.VerdictOut.model_validate(verdict, from_attributes=True)


def author_out(
    session: Session, author: Author, counts: AuthorCounts, *, ban: Ban | None = None
) -> schemas.AuthorOut:
    ban = ban if ban is not None else queries.active_ban(session=session, author_id=author.id)
    return schemas.AuthorOut(
        id=author.id,
        name=author.name,
        kind=author.kind,
        approved=counts.approved,
        rejected=counts.rejected,
        pending=counts.pending,
        banned=ban is not None,
        banned_until=ban.until if ban else None,
    )


def decision_out(decision: Decision) -> schemas.DecisionOut:
    return schemas.DecisionOut(
        id=decision.id,
        comment_id=decision.comment_id,
        decision=decision.decision,
        reasons=list(decision.reasons),
        note=decision.note,
        actor=decision.actor,
        supersedes_id=decision.supersedes_id,
        created_at=decision.created_at,
    )


def _item(
    session: Session,
    comment: Comment,
    title: str,
    verdict: Verdict | None,
    open_reports: int,
    counts: AuthorCounts,
) -> schemas.QueueItemOut:
    return schemas.QueueItemOut(
        id=comment.id,
        text=comment.text,
        status=comment.status,
        language=comment.language,
        parent_id=comment.parent_id,
        created_at=comment.created_at,
        article=schemas.ArticleRef(id=comment.article_id, title=title),
        author=author_out(session, comment.author, counts),
        verdict=verdict_out(verdict) if verdict else None,
        open_reports=open_reports,
    )


@router.get("/queue", response_model=schemas.QueueOut, operation_id="moderation-list_review_queue")
def list_review_queue(
    runtime: RuntimeDep,
    session: SessionDep,
    _principal: ModeratorDep,
    status_: Annotated[
        Literal["pending", "approved", "rejected", "all"] | None,
        Query(
            alias="status",
            description="`pending` by default; `all` by default with `reported=true` "
            "(readers report published comments).",
        ),
    ] = None,
    reported: bool | None = None,
    category: Annotated[str | None, Query(max_length=64, pattern=r"^[a-z_]+$")] = None,
    language: schemas.LanguageQuery = None,
    article_id: schemas.ArticleIdQuery = None,
    sort: Literal["oldest", "newest"] = "oldest",
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> schemas.QueueOut:
    """Comments to review, oldest first, with article, author history and the screen's verdict.

    Without ``status``, only pending comments are listed, except with ``reported=true``:
    readers report published (approved) comments, so then every status is.
    """
    if status_ is None:
        status_ = "all" if reported is True else "pending"
    items = queries.review_queue(
        session=session,
        site_id=runtime.settings.site_id,
        status=None if status_ == "all" else status_,
        reported=reported,
        category=category,
        language=language,
        article_id=article_id,
        sort=sort,
        after_id=decode_cursor(cursor, f"queue-{sort}"),
        limit=limit + 1,
    )
    page = items[:limit]
    return schemas.QueueOut(
        data=[
            _item(session, i.comment, i.article_title, i.verdict, i.open_reports, i.author_counts)
            for i in page
        ],
        next=encode_cursor(f"queue-{sort}", page[-1].comment.id) if len(items) > limit else None,
    )


def _report_out(report: Report) -> schemas.ReportOut:
    return schemas.ReportOut.model_validate(report, from_attributes=True)


def comment_moderation(
    session: Session, *, site_id: str, comment_id: int
) -> schemas.CommentModeration:
    history = queries.comment_with_history(session=session, comment_id=comment_id, site_id=site_id)
    base = _item(
        session,
        history.comment,
        history.article.title,
        history.verdicts[-1] if history.verdicts else None,
        sum(1 for r in history.reports if r.resolved_at is None),
        history.author_counts,
    )
    return schemas.CommentModeration(
        **base.model_dump(),
        verdicts=[verdict_out(v) for v in history.verdicts],
        decisions=[decision_out(d) for d in history.decisions],
        reports=[_report_out(r) for r in history.reports],
    )


@router.get(
    "/comments/{comment_id}",
    response_model=schemas.CommentModeration,
    operation_id="moderation-get_comment",
)
def get_comment(
    comment_id: schemas.IdPath, runtime: RuntimeDep, session: SessionDep, _principal: ModeratorDep
) -> schemas.CommentModeration:
    """A comment with its verdicts, reports and full decision history."""
    return comment_moderation(session, site_id=runtime.settings.site_id, comment_id=comment_id)


@router.post(
    "/comments/{comment_id}/decisions",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.DecisionOut,
    operation_id="moderation-create_decision",
)
def create_decision(
    comment_id: schemas.IdPath,
    body: schemas.DecisionCreate,
    runtime: RuntimeDep,
    session: SessionDep,
    principal: ModeratorDep,
) -> schemas.DecisionOut:
    """Approve or reject a comment; a later decision supersedes (undo is a new decision)."""
    settings = runtime.settings
    site = queries.get_site(session=session, site_id=settings.site_id)
    decision = moderation.decide(
        session=session,
        site_id=settings.site_id,
        comment_id=comment_id,
        moderator_id=principal.moderator_id,
        actor=principal.actor,
        decision=body.decision,
        reasons=body.reasons,
        note=body.note,
        policy=site_policy(site, policy_file=settings.policy_file),
    )
    session.commit()
    return decision_out(decision)


@router.get(
    "/authors/{author_id}",
    response_model=schemas.AuthorDetail,
    operation_id="moderation-get_author",
)
def get_author(
    author_id: schemas.IdPath, runtime: RuntimeDep, session: SessionDep, _principal: ModeratorDep
) -> schemas.AuthorDetail:
    """An author's history counts and bans."""
    author = queries.get_author(
        session=session, author_id=author_id, site_id=runtime.settings.site_id
    )
    counts = queries.author_history_counts(session=session, author_ids=[author.id])[author.id]
    base = author_out(session, author, counts)
    bans = queries.author_bans(session=session, author_id=author.id)
    return schemas.AuthorDetail(
        **base.model_dump(),
        bans=[schemas.BanOut.model_validate(b, from_attributes=True) for b in bans],
    )


@router.post(
    "/authors/{author_id}/bans",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.BanOut,
    operation_id="moderation-ban_author",
)
def ban_author(
    author_id: schemas.IdPath,
    body: schemas.BanCreate,
    runtime: RuntimeDep,
    session: SessionDep,
    principal: ModeratorDep,
) -> schemas.BanOut:
    """Ban an author for some days (or until lifted); their new comments are refused."""
    ban = moderation.ban_author(
        session=session,
        site_id=runtime.settings.site_id,
        author_id=author_id,
        days=body.days,
        reason=body.reason,
        actor=principal.actor,
    )
    session.commit()
    return schemas.BanOut.model_validate(ban, from_attributes=True)


@router.delete(
    "/authors/{author_id}/bans",
    response_model=schemas.AuthorDetail,
    operation_id="moderation-unban_author",
)
def unban_author(
    author_id: schemas.IdPath, runtime: RuntimeDep, session: SessionDep, principal: ModeratorDep
) -> schemas.AuthorDetail:
    """Lift every ban in force for an author."""
    moderation.unban_author(
        session=session,
        site_id=runtime.settings.site_id,
        author_id=author_id,
        actor=principal.actor,
    )
    session.commit()
    return get_author(author_id, runtime, session, principal)
