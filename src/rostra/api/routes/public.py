"""Public API: articles, reader comments, threads, reports, comment counts."""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import re
from typing import Annotated, Literal

from fastapi import APIRouter, Body, Header, Query, Request, Response, status

from rostra import errors
from rostra.api import schemas
from rostra.api.deps import AdminDep, Runtime, RuntimeDep, SessionDep
from rostra.services.comments import accept_comment_async, warm_article_soon
from rostra.services.policy import site_policy
from rostra.services.threadcache import ThreadCache
from rostra.store import queries
from rostra.store.models import Comment
from rostra.store.privacy import hash_ip, hash_token

router = APIRouter(prefix="/api/v1", tags=["public"])

Sort = Literal["newest", "oldest"]


def encode_cursor(sort: str, after_id: int) -> str:
    raw = json.dumps({"s": sort, "a": after_id}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None, sort: str) -> int | None:
    """The id after which the page starts; :class:`InvalidCursor` for anything else."""
    if cursor is None:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
        after_id = data["a"]
        if (
            data["s"] != sort
            or not isinstance(after_id, int)
            or isinstance(after_id, bool)
            or not 0 <= after_id <= schemas.MAX_ID
        ):
            raise ValueError("cursor for another listing")
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeDecodeError):
        raise errors.InvalidCursor(
            "the cursor is not valid for this listing; start again without it"
        ) from None
    return after_id


def _client_ip(request: Request) -> str | None:
    return request.client.host if request.client else None


@router.post(
    "/articles",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.ArticlePublic,
    operation_id="public-create_article",
)
def create_article(
    body: schemas.ArticleCreate, runtime: RuntimeDep, session: SessionDep, principal: AdminDep
) -> schemas.ArticlePublic:
    """Register an article that readers can comment on (admin token)."""
    article = queries.create_article(
        session=session,
        site_id=runtime.settings.site_id,
        article_id=body.id,
        url=body.url,
        title=body.title,
        body=body.body,
        language=body.language,
        actor=principal.actor,
    )
    session.commit()
    warm_article_soon(
        runtime.screener,
        sessions=runtime.sessions,
        site_id=runtime.settings.site_id,
        article_id=article.id,
        title=article.title,
        body=article.body,
        language=article.language,
    )
    return schemas.ArticlePublic.model_validate(article, from_attributes=True)


@router.get(
    "/articles/{article_id}",
    response_model=schemas.ArticlePublic,
    operation_id="public-get_article",
)
def get_article(
    article_id: schemas.ArticleIdPath, runtime: RuntimeDep, session: SessionDep
) -> schemas.ArticlePublic:
    """One article."""
    article = queries.get_article(
        session=session, article_id=article_id, site_id=runtime.settings.site_id
    )
    return schemas.ArticlePublic.model_validate(article, from_attributes=True)


@router.post(
    "/articles/{article_id}/comments",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=schemas.CommentAccepted,
    operation_id="public-create_comment",
)
async def create_comment(
    article_id: schemas.ArticleIdPath,
    body: schemas.CommentCreate,
    request: Request,
    runtime: RuntimeDep,
) -> schemas.CommentAccepted:
    """Post a comment; it is pending until decided (by the screen or a moderator)."""
    accepted = await accept_comment_async(
        sessions=runtime.sessions,
        screener=runtime.screener,
        limiter=runtime.limiter,
        settings=runtime.settings,
        site_id=runtime.settings.site_id,
        article_id=article_id,
        text=body.text,
        author_name=body.author_name,
        author_email=body.author_email,
        parent_id=body.parent_id,
        client_ip=_client_ip(request),
        sso_token=body.sso_token,
    )
    return schemas.CommentAccepted(
        id=accepted.id,
        status=accepted.status,
        reasons=list(accepted.reasons),
        author_token=accepted.author_token,
    )


def _public(comment: Comment, replies: dict[int, list[Comment]]) -> schemas.CommentPublic:
    return schemas.CommentPublic(
        id=comment.id,
        parent_id=comment.parent_id,
        author_name=comment.author.name,
        text=comment.text,
        created_at=comment.created_at,
        replies=[_public(r, replies) for r in replies.get(comment.id, [])],
    )


def _thread_cache(request: Request) -> ThreadCache:
    cache = getattr(request.app.state, "thread_cache", None)
    if not isinstance(cache, ThreadCache):
        cache = request.app.state.thread_cache = ThreadCache(
            ttl=request.app.state.rostra.settings.thread_cache_seconds
        )
    return cache


@router.get(
    "/articles/{article_id}/comments",
    response_model=schemas.CommentsPublic,
    operation_id="public-list_comments",
)
def list_comments(
    article_id: schemas.ArticleIdPath,
    request: Request,
    runtime: RuntimeDep,
    sort: Sort = "newest",
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> Response:
    """Approved comments of an article, threaded, newest or oldest first, by cursor."""
    # Served from a per-process cache of rendered pages (services/threadcache.py says exactly
    # when a page can be stale); a cursor is decoded before a page is cached under it.
    cache = _thread_cache(request)
    key = (article_id, sort, cursor, limit)
    body = cache.get(key)
    if body is None:
        body = _render_thread(runtime, cache, key, article_id, sort, cursor, limit)
    return Response(body, media_type="application/json")


def _render_thread(
    runtime: Runtime,
    cache: ThreadCache,
    key: tuple[str, str, str | None, int],
    article_id: str,
    sort: str,
    cursor: str | None,
    limit: int,
) -> bytes:
    """Read and render a thread page, and cache it."""
    stamp = cache.stamp(article_id)
    with runtime.sessions() as session:
        queries.get_article(
            session=session, article_id=article_id, site_id=runtime.settings.site_id
        )
        after_id = decode_cursor(cursor, sort)
        page = queries.public_thread(
            session=session, article_id=article_id, sort=sort, after_id=after_id, limit=limit
        )
        rendered = schemas.CommentsPublic(
            data=[_public(root, page.replies) for root in page.roots],
            count=page.count,
            next=encode_cursor(sort, page.next_after_id) if page.next_after_id else None,
        )
    body = rendered.model_dump_json().encode()
    cache.put(key, article_id, stamp, body)
    return body


@router.get(
    "/comments/{comment_id}",
    response_model=schemas.CommentOwn,
    operation_id="public-get_comment",
)
def get_comment(
    comment_id: schemas.IdPath,
    runtime: RuntimeDep,
    session: SessionDep,
    x_author_token: Annotated[str | None, Header(max_length=200)] = None,
) -> schemas.CommentOwn:
    """A comment: its author (X-Author-Token) sees it in any status, others only if approved."""
    try:
        comment = queries.get_comment(
            session=session, comment_id=comment_id, site_id=runtime.settings.site_id
        )
    except errors.CommentNotFound:
        raise errors.CommentNotFound(f"comment {comment_id} is not visible") from None
    is_author = x_author_token is not None and hmac.compare_digest(
        hash_token(x_author_token), comment.author_token_hash
    )
    if comment.status != "approved" and not is_author:
        raise errors.CommentNotFound(f"comment {comment_id} is not visible")
    reasons: list[str] = []
    if comment.status == "rejected" and is_author:
        decision = queries.latest_decision(session=session, comment_id=comment.id)
        reasons = list(decision.reasons) if decision else []
    return schemas.CommentOwn(
        id=comment.id,
        article_id=comment.article_id,
        parent_id=comment.parent_id,
        author_name=comment.author.name,
        text=comment.text,
        status=comment.status,
        reasons=reasons,
        created_at=comment.created_at,
    )


@router.post(
    "/comments/{comment_id}/reports",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=schemas.ReportAccepted,
    operation_id="public-report_comment",
)
def report_comment(
    comment_id: schemas.IdPath,
    request: Request,
    runtime: RuntimeDep,
    session: SessionDep,
    body: Annotated[schemas.ReportCreate | None, Body()] = None,
) -> schemas.ReportAccepted:
    """Flag a published comment for a moderator to look at again.

    The body is optional: no body (or an empty one) is a report without a reason.
    """
    settings = runtime.settings
    body = body if body is not None else schemas.ReportCreate()
    comment = session.get(Comment, comment_id)
    if comment is None or comment.site_id != settings.site_id or comment.status != "approved":
        raise errors.CommentNotFound(f"comment {comment_id} is not published")
    if body.reason is not None:
        site = queries.get_site(session=session, site_id=settings.site_id)
        categories = site_policy(site, policy_file=settings.policy_file).categories
        if body.reason not in categories:
            raise errors.InvalidReasons(
                f"unknown guideline category {body.reason!r}; use one of {list(categories)}",
                field="reason",
            )
    ip_hash = hash_ip(_client_ip(request), secret=settings.secret) or "unknown"
    wait = runtime.limiter.hit(
        f"report-ip:{ip_hash}",
        limit=settings.rate_limit_per_ip,
        window=settings.rate_limit_window_seconds,
    )
    if wait is not None:
        raise errors.RateLimited(
            f"too many reports from this network; try again in {wait} seconds", retry_after=wait
        )
    _, created = queries.add_report(
        session=session, comment=comment, reason=body.reason, note=body.note, reporter_key=ip_hash
    )
    session.commit()
    return schemas.ReportAccepted(comment_id=comment.id, created=created)


@router.get(
    "/comment-counts",
    response_model=schemas.CommentCounts,
    operation_id="public-comment_counts",
)
def comment_counts(
    session: SessionDep,
    article_id: Annotated[list[str], Query(min_length=1, max_length=100)],
) -> schemas.CommentCounts:
    """Approved comment counts for up to 100 articles (repeat ?article_id=…)."""
    bad = [a for a in article_id if not re.fullmatch(schemas.ARTICLE_ID_PATTERN, a)]
    if bad:
        raise errors.InvalidInput("an article id is not valid", field="article_id")
    return schemas.CommentCounts(
        counts=queries.comment_counts(session=session, article_ids=article_id)
    )
