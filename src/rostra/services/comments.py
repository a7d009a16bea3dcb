"""Accepting a comment: validate, store durably, screen within a budget, apply the mode.

The order matters. The comment is committed as ``pending`` before the screen sees it, so a
crash or a slow screen never loses it; the screen's verdict and any automatic decision are a
second transaction. If the screen raises or runs past the budget, the comment simply stays
pending for a moderator: never lost, never approved by default.
"""

from __future__ import annotations

import logging
import secrets
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Any

import jwt
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from rostra import errors
from rostra.config import Settings
from rostra.events import CommentAccepted, ScreenFailed, VerdictIssued
from rostra.screening import (
    ArticleContext,
    ModerationMode,
    Recommendation,
    ScreenContext,
    Verdict,
)
from rostra.services.policy import site_policy
from rostra.services.ratelimit import RateLimiter
from rostra.services.screener import Screener
from rostra.services.validation import clean_author_name, clean_comment_text, clean_email
from rostra.store import queries
from rostra.store.models import Article, Comment, Site
from rostra.store.privacy import hash_email, hash_identity, hash_ip, hash_token

log = logging.getLogger(__name__)

#: Screens run here so a slow one can be abandoned after the time budget.
_SCREEN_POOL = ThreadPoolExecutor(max_workers=4, thread_name_prefix="rostra-screen")
RECENT_TEXTS = 20


@dataclass(frozen=True, slots=True)
class AcceptedComment:
    id: int
    status: str
    reasons: tuple[str, ...]
    author_token: str


@dataclass(frozen=True, slots=True)
class SsoIdentity:
    subject: str
    name: str | None
    email: str | None


def read_sso_token(token: str, *, secret: str | None) -> SsoIdentity:
    """Verify a publisher SSO token (HS256 JWT with ``sub`` and ``exp``) with the site secret."""
    if not secret:
        raise errors.InvalidSsoToken("this site does not accept sign-in tokens")
    try:
        claims: dict[str, Any] = jwt.decode(
            token, secret, algorithms=["HS256"], options={"require": ["sub", "exp"]}
        )
    except jwt.PyJWTError as exc:
        raise errors.InvalidSsoToken(f"the sign-in token is not valid: {exc}") from None
    name = claims.get("name")
    email = claims.get("email")
    return SsoIdentity(
        subject=str(claims["sub"])[:200],
        name=name if isinstance(name, str) else None,
        email=email if isinstance(email, str) else None,
    )


def _check_rate(limiter: RateLimiter, settings: Settings, *, ip_hash: str | None, who: str) -> None:
    window = settings.rate_limit_window_seconds
    checks = [(f"author:{who}", settings.rate_limit_per_author, "this author")]
    if ip_hash:
        checks.append((f"ip:{ip_hash}", settings.rate_limit_per_ip, "this network"))
    for key, limit, label in checks:
        wait = limiter.hit(key, limit=limit, window=window)
        if wait is not None:
            raise errors.RateLimited(
                f"too many comments from {label}; try again in {wait} seconds", retry_after=wait
            )


def _parent(session: Session, parent_id: int | None, article: Article) -> Comment | None:
    if parent_id is None:
        return None
    parent = session.get(Comment, parent_id)
    if parent is None:
        raise errors.InvalidParent(f"comment {parent_id} does not exist", field="parent_id")
    if parent.article_id != article.id:
        raise errors.InvalidParent(
            f"comment {parent_id} belongs to another article", field="parent_id"
        )
    if parent.status != "approved":
        raise errors.InvalidParent(
            f"comment {parent_id} is not published, so it cannot be replied to",
            field="parent_id",
        )
    return parent


def automatic_decision(
    verdict: Verdict, *, mode: str, categories: tuple[str, ...]
) -> tuple[str, tuple[str, ...]] | None:
    """What the screen may decide alone under the site's moderation mode, or None.

    ``pre``: nothing. ``assisted``: clear violations only. ``auto``: clear passes and clear
    violations. A verdict with analyzer errors decides nothing, and a rejection needs at least
    one reason that is a category of the site's policy.
    """
    if verdict.errors:
        return None
    site_mode = ModerationMode(mode)
    if verdict.recommendation is Recommendation.REJECT and site_mode in (
        ModerationMode.ASSISTED,
        ModerationMode.AUTO,
    ):
        reasons = tuple(r for r in verdict.reasons if r in categories)
        return ("reject", reasons) if reasons else None
    if verdict.recommendation is Recommendation.APPROVE and site_mode is ModerationMode.AUTO:
        return ("approve", ())
    return None


def accept_comment(
    *,
    sessions: sessionmaker[Session],
    screener: Screener,
    limiter: RateLimiter,
    settings: Settings,
    site_id: str,
    article_id: str,
    text: str,
    author_name: str | None,
    author_email: str | None = None,
    parent_id: int | None = None,
    client_ip: str | None = None,
    sso_token: str | None = None,
) -> AcceptedComment:
    """Accept one reader comment (see the module docstring for the order of steps)."""
    text = clean_comment_text(text, max_length=settings.comment_max_length)
    email = clean_email(author_email)
    ip_hash = hash_ip(client_ip, secret=settings.secret)
    author_token = secrets.token_urlsafe(24)

    with sessions() as session:
        site = queries.get_site(session=session, site_id=site_id)
        article = queries.get_article(session=session, article_id=article_id, site_id=site_id)
        sso = read_sso_token(sso_token, secret=site.sso_secret) if sso_token else None
        name = clean_author_name(
            (sso.name if sso and sso.name else author_name) or "",
            max_length=settings.author_name_max_length,
        )
        email_hash = hash_email(email, secret=settings.secret) if email else None
        if sso is not None:
            kind, identity = "sso", "sso:" + hash_identity(sso.subject, secret=settings.secret)
        elif email_hash is not None:
            kind, identity = "guest", f"email:{email_hash}"
        else:
            raw = f"{name.casefold()}|{ip_hash or ''}"
            kind, identity = "guest", "guest:" + hash_identity(raw, secret=settings.secret)
        # Release this session's connection first: a database rate limiter takes its own, and
        # holding one while waiting for another deadlocks the pool when every thread does it.
        session.commit()
        _check_rate(limiter, settings, ip_hash=ip_hash, who=identity)
        parent = _parent(session, parent_id, article)
        author = queries.get_or_create_author(
            session=session,
            site_id=site_id,
            kind=kind,
            identity_key=identity,
            name=name,
            email_hash=email_hash,
            sso_subject=sso.subject if sso else None,
        )
        ban = queries.active_ban(session=session, author_id=author.id)
        if ban is not None:
            session.commit()  # keep the author row; nothing else was written
            until = f"until {ban.until:%Y-%m-%d %H:%M} UTC" if ban.until else "until further notice"
            raise errors.AuthorBanned(
                f"this author is banned from commenting {until}",
                until=ban.until.isoformat() if ban.until else None,
            )
        comment = queries.add_comment(
            session=session,
            site_id=site_id,
            article_id=article.id,
            author_id=author.id,
            text=text,
            parent=parent,
            ip_hash=ip_hash,
            author_token_hash=hash_token(author_token),
        )
        queries.record_event(
            session=session,
            event=CommentAccepted(
                actor=f"author:{author.id}",
                subject_type="comment",
                subject_id=str(comment.id),
                data={"article_id": article.id, "parent_id": comment.parent_id},
            ),
        )
        recent = tuple(
            reversed(
                session.scalars(
                    select(Comment.text)
                    .where(Comment.site_id == site_id, Comment.id != comment.id)
                    .order_by(Comment.id.desc())
                    .limit(RECENT_TEXTS)
                ).all()
            )
        )
        context = ScreenContext(
            article=ArticleContext(
                title=article.title, body=article.body, language=article.language
            ),
            lang_hint=article.language,
            recent_texts=recent,
            author_key=identity,
            is_reply=parent is not None,
        )
        comment_id = comment.id
        session.commit()  # durable before the screen sees it

    return _screen_and_decide(
        sessions=sessions,
        screener=screener,
        settings=settings,
        site=site,
        comment_id=comment_id,
        text=text,
        context=context,
        author_token=author_token,
    )


def _screen_and_decide(
    *,
    sessions: sessionmaker[Session],
    screener: Screener,
    settings: Settings,
    site: Site,
    comment_id: int,
    text: str,
    context: ScreenContext,
    author_token: str,
) -> AcceptedComment:
    started = time.perf_counter()
    failure: str | None = None
    verdict: Verdict | None = None
    try:
        future = _SCREEN_POOL.submit(screener.screen, text, context)
        result = future.result(timeout=settings.screen_time_budget)
        if not isinstance(result, Verdict):
            raise TypeError(f"screen returned {type(result).__name__}, not a Verdict")
        verdict = result
    except FutureTimeout:
        future.cancel()
        failure = f"screen exceeded its {settings.screen_time_budget:g}s budget"
    except Exception as exc:
        log.exception("screen failed on comment %s", comment_id)
        failure = f"{type(exc).__name__}: {exc}"
    elapsed_ms = (time.perf_counter() - started) * 1000

    try:
        with sessions() as session:
            comment = queries.get_comment(session=session, comment_id=comment_id)
            if verdict is None:
                queries.record_event(
                    session=session,
                    event=ScreenFailed(
                        actor="screen",
                        subject_type="comment",
                        subject_id=str(comment_id),
                        data={"error": failure, "elapsed_ms": round(elapsed_ms, 1)},
                    ),
                )
                session.commit()
                return AcceptedComment(comment_id, "pending", (), author_token)
            queries.add_verdict(
                session=session, comment_id=comment_id, verdict=verdict, elapsed_ms=elapsed_ms
            )
            comment.language = verdict.language
            queries.record_event(
                session=session,
                event=VerdictIssued(
                    actor="screen",
                    subject_type="comment",
                    subject_id=str(comment_id),
                    data={
                        "recommendation": verdict.recommendation.value,
                        "reasons": list(verdict.reasons),
                    },
                ),
            )
            policy = site_policy(site, policy_file=settings.policy_file)
            decided = automatic_decision(
                verdict, mode=site.moderation_mode, categories=policy.categories
            )
            status = "pending"
            reasons: tuple[str, ...] = ()
            if decided is not None:
                decision, reasons = decided
                queries.add_decision(
                    session=session,
                    comment=comment,
                    decision=decision,
                    reasons=reasons,
                    note=None,
                    actor_kind="screen",
                )
                status = comment.status
            session.commit()
            return AcceptedComment(comment_id, status, tuple(reasons), author_token)
    except Exception:
        # The comment is already stored as pending; a failure here leaves it for a human.
        log.exception("could not record the verdict for comment %s", comment_id)
        return AcceptedComment(comment_id, "pending", (), author_token)
