"""Accepting a comment: validate, store durably, screen within a budget, apply the mode.

The order matters. The comment is committed as ``pending`` before the screen sees it, so a
crash or a slow screen never loses it; the screen's verdict and any automatic decision are a
second transaction. If the screen raises, runs past the budget or finds its bounded queue
full, the comment simply stays pending for a moderator: never lost, never approved by default.

Before anything is stored, the rate limits are counted (per author, per network, and
site-wide per text, so a wave of one promotional text is refused before it costs a row and a
screen); with the database limiter they are counted in the comment's own transaction.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import secrets
import threading
import time
import unicodedata
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import jwt
from sqlalchemy import Engine
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
from rostra.services import article_vectors
from rostra.services.policy import site_policy
from rostra.services.ratelimit import Check, DatabaseRateLimiter, RateLimiter, hit_all
from rostra.services.screener import Screener
from rostra.services.validation import clean_author_name, clean_comment_text, clean_email
from rostra.store import queries
from rostra.store.models import Site
from rostra.store.privacy import hash_email, hash_identity, hash_ip, hash_token
from rostra.store.writelock import write_lock

log = logging.getLogger(__name__)

#: Screens run here so a slow one can be abandoned after the time budget.
SCREEN_WORKERS = 4
_SCREEN_POOL = ThreadPoolExecutor(max_workers=SCREEN_WORKERS, thread_name_prefix="rostra-screen")
#: Screens running or waiting in one process. Past this the comment is left pending for a
#: moderator without being screened: a flood must not queue the next reader's screen behind
#: minutes of work, nor tie up request threads that the thread reads also need.
SCREEN_QUEUE_LIMIT = 32
_SCREEN_SLOTS = threading.BoundedSemaphore(SCREEN_QUEUE_LIMIT)
RECENT_TEXTS = 20
#: Texts with fewer letters than this are not counted as one text site-wide ("Thank you!"
#: is written by many honest readers at once); see :func:`text_fingerprint`.
FINGERPRINT_MIN_LETTERS = 32


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


def warm_article_soon(
    screener: Screener,
    *,
    sessions: sessionmaker[Session],
    site_id: str,
    article_id: str,
    title: str,
    body: str,
    language: str,
) -> Future[Any] | None:
    """Encode a new article for the relevance analyzer in the screen pool, off the request,
    and keep its vector on the article's row for the other workers and later restarts.

    Otherwise its first comment pays for the article's vector. Only when the screen has the
    relevance analyzer: loading the encoder for a screen that never uses it would cost memory.
    Returns the pool's future (None when there is nothing to do); nobody needs to wait on it.
    """
    from rostra.screening.analyzers.relevance import warm_article

    embedder = article_vectors.relevance_embedder(screener)
    if embedder is None:
        return None
    article = ArticleContext(title=title, body=body, language=language)

    def warm() -> None:
        try:
            warm_article(article, embedder)
            kept = article_vectors.to_keep(
                embedder, title=title, body=body, stored_key=None, stored_vector=None
            )
            if kept is None:
                return
            with sessions() as session, write_lock(_engine(sessions)):
                queries.keep_article_vector(
                    session=session,
                    site_id=site_id,
                    article_id=article_id,
                    key=kept.key,
                    vector=kept.vector,
                )
                session.commit()
        except Exception:
            log.exception("could not warm the relevance analyzer for an article")

    return _SCREEN_POOL.submit(warm)


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
    subject = str(claims["sub"])
    # The subject is the reader's identity: an empty one would merge every such reader into
    # one author, and a control character or lone surrogate cannot be stored (PostgreSQL
    # refuses NUL), which must be the token's fault (401), not the server's (500).
    if not subject.strip() or any(unicodedata.category(ch) in ("Cc", "Cs") for ch in subject):
        raise errors.InvalidSsoToken(
            "the sign-in token's subject is empty or holds control characters"
        )
    name = claims.get("name")
    email = claims.get("email")
    return SsoIdentity(
        subject=subject[:200],
        name=name if isinstance(name, str) else None,
        email=email if isinstance(email, str) else None,
    )


def text_fingerprint(text: str) -> str | None:
    """What near-identical copies of a text share: its letters, case-folded, in order.

    Digits, punctuation, spaces and symbols are dropped, so "call +964 750 1234 (7)" and
    "call +964 750 9876 (12)" are one text. None for texts too short to be a flood signal.
    """
    letters = "".join(ch for ch in text.casefold() if ch.isalpha())
    if len(letters) < FINGERPRINT_MIN_LETTERS:
        return None
    return hashlib.blake2b(letters.encode("utf-8"), digest_size=16).hexdigest()


def _rate_checks(
    settings: Settings, *, ip_hash: str | None, who: str, text: str
) -> tuple[list[Check], list[str]]:
    window = settings.rate_limit_window_seconds
    checks: list[Check] = [(f"author:{who}", settings.rate_limit_per_author, window)]
    labels = ["comments from this author"]
    if ip_hash:
        checks.append((f"ip:{ip_hash}", settings.rate_limit_per_ip, window))
        labels.append("comments from this network")
    fingerprint = text_fingerprint(text)
    if fingerprint is not None:
        # Site-wide, across authors and networks: a wave of one promotional text from many
        # names is refused here, before it costs a stored row and a screen.
        checks.append((f"text:{fingerprint}", settings.rate_limit_per_text, window))
        labels.append("copies of this text")
    return checks, labels


def _refuse_if_over(waits: list[int | None], labels: list[str]) -> None:
    for wait, label in zip(waits, labels, strict=True):
        if wait is not None:
            raise errors.RateLimited(
                f"too many {label}; try again in {wait} seconds", retry_after=wait
            )


def _parent(session: Session, parent_id: int | None, article_id: str) -> queries.ReplyParent | None:
    if parent_id is None:
        return None
    parent = queries.reply_parent(session=session, comment_id=parent_id)
    if parent is None:
        raise errors.InvalidParent(f"comment {parent_id} does not exist", field="parent_id")
    if parent.article_id != article_id:
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


@dataclass(frozen=True, slots=True)
class StoredComment:
    """A comment committed as pending, with what the screen needs to read it."""

    id: int
    author_token: str
    text: str
    context: ScreenContext
    site: Site
    article_id: str
    #: The article's stored passage vector and its key (article_vectors), None if not kept.
    article_vector_key: str | None = None
    article_vector: bytes | None = None


def _engine(sessions: sessionmaker[Session]) -> Engine | None:
    bind = sessions.kw.get("bind")
    return bind if isinstance(bind, Engine) else None


def store_comment(
    *,
    sessions: sessionmaker[Session],
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
) -> StoredComment:
    """Validate, rate-limit and commit one reader comment as pending (no screen yet)."""
    text = clean_comment_text(text, max_length=settings.comment_max_length)
    email = clean_email(author_email)
    ip_hash = hash_ip(client_ip, secret=settings.secret)
    author_token = secrets.token_urlsafe(24)
    engine = _engine(sessions)

    with sessions() as session:
        # Core statements on the session's connection throughout (store.queries, "the
        # reader's post"): the ORM's per-object work was half of this function's CPU.
        target = queries.post_target(session=session, site_id=site_id, article_id=article_id)
        site = target.site
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
        checks, labels = _rate_checks(settings, ip_hash=ip_hash, who=identity, text=text)
        # On SQLite, where writers take turns anyway, a database limiter counts inside the
        # comment's own transaction below (one turn at the write lock instead of two). On
        # PostgreSQL that would hold the network's counter row locked for the whole insert
        # and serialize its posts, so there, as with Redis, the limiter is asked first, after
        # releasing this session's connection: holding one while a limiter waits for another
        # deadlocks the pool.
        in_transaction = (
            engine is not None
            and engine.dialect.name == "sqlite"
            and isinstance(limiter, DatabaseRateLimiter)
            and limiter.shares(sessions)
        )
        if not in_transaction:
            session.commit()
            _refuse_if_over(hit_all(limiter, checks), labels)
        parent = _parent(session, parent_id, target.article_id)
        # Read before the write lock: the lock is held only from the first write to commit.
        recent = tuple(
            reversed(queries.recent_texts(session=session, site_id=site_id, limit=RECENT_TEXTS))
        )
        with write_lock(engine):
            if isinstance(limiter, DatabaseRateLimiter) and in_transaction:
                waits = limiter.count_in(session, checks)
                if any(wait is not None for wait in waits):
                    session.commit()  # a refused attempt still counts
                    _refuse_if_over(waits, labels)
            author = queries.posting_author(
                session=session,
                site_id=site_id,
                kind=kind,
                identity_key=identity,
                name=name,
                email_hash=email_hash,
                sso_subject=sso.subject if sso else None,
            )
            if author.banned:
                session.commit()  # keep the author row; nothing else was written
                ban_end = author.banned_until
                until = f"until {ban_end:%Y-%m-%d %H:%M} UTC" if ban_end else "until further notice"
                raise errors.AuthorBanned(
                    f"this author is banned from commenting {until}",
                    until=ban_end.isoformat() if ban_end else None,
                )
            comment_id = queries.insert_comment(
                session=session,
                site_id=site_id,
                article_id=target.article_id,
                author_id=author.id,
                text=text,
                parent=parent,
                ip_hash=ip_hash,
                author_token_hash=hash_token(author_token),
            )
            queries.insert_event(
                session=session,
                event=CommentAccepted(
                    actor=f"author:{author.id}",
                    subject_type="comment",
                    subject_id=str(comment_id),
                    data={"article_id": target.article_id, "parent_id": parent_id},
                ),
            )
            session.commit()  # durable before the screen sees it
        context = ScreenContext(
            article=ArticleContext(
                title=target.article_title,
                body=target.article_body,
                language=target.article_language,
            ),
            lang_hint=target.article_language,
            recent_texts=recent,
            author_key=identity,
            is_reply=parent is not None,
        )
    return StoredComment(
        comment_id,
        author_token,
        text,
        context,
        site,
        target.article_id,
        target.article_vector_key,
        target.article_vector,
    )


async def accept_comment_async(
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
    """Accept one reader comment (see the module docstring for the order of steps).

    No request thread waits for the screen: the store and the verdict run in the request
    thread pool, the screen in its own bounded pool, awaited without holding a request
    thread, so thread reads keep their threads.
    """
    from starlette.concurrency import run_in_threadpool

    stored = await run_in_threadpool(
        lambda: store_comment(
            sessions=sessions,
            limiter=limiter,
            settings=settings,
            site_id=site_id,
            article_id=article_id,
            text=text,
            author_name=author_name,
            author_email=author_email,
            parent_id=parent_id,
            client_ip=client_ip,
            sso_token=sso_token,
        )
    )
    started = time.perf_counter()
    future = _submit_screen(screener, stored)
    verdict: Verdict | None = None
    failure: str | None = None
    if isinstance(future, str):
        failure = future
    else:
        try:
            result = await asyncio.wait_for(
                asyncio.wrap_future(future), timeout=settings.screen_time_budget
            )
            verdict, failure = _check_verdict(result)
        except TimeoutError:
            future.cancel()
            failure = f"screen exceeded its {settings.screen_time_budget:g}s budget"
        except Exception as exc:
            log.error("screen failed on comment %s", stored.id, exc_info=exc)
            failure = f"{type(exc).__name__}: {exc}"
    elapsed_ms = (time.perf_counter() - started) * 1000
    return await run_in_threadpool(
        lambda: record_screen(
            sessions=sessions,
            settings=settings,
            stored=stored,
            verdict=verdict,
            failure=failure,
            elapsed_ms=elapsed_ms,
            article_vector=_article_vector_to_keep(screener, stored),
        )
    )


def _prime_article_vector(screener: Screener, stored: StoredComment) -> None:
    """Hand the article's stored vector to the screen's encoder cache (article_vectors)."""
    embedder = article_vectors.relevance_embedder(screener)
    article = stored.context.article
    if embedder is not None and article is not None:
        article_vectors.prime(
            embedder,
            title=article.title,
            body=article.body,
            key=stored.article_vector_key,
            vector=stored.article_vector,
        )


def _article_vector_to_keep(
    screener: Screener, stored: StoredComment
) -> article_vectors.KeptVector | None:
    """The article's vector if this process computed it and the row does not hold it yet."""
    embedder = article_vectors.relevance_embedder(screener)
    article = stored.context.article
    if embedder is None or article is None:
        return None
    return article_vectors.to_keep(
        embedder,
        title=article.title,
        body=article.body,
        stored_key=stored.article_vector_key,
        stored_vector=stored.article_vector,
    )


def _screen(screener: Screener, stored: StoredComment) -> Verdict:
    # Primed in the screen's thread: the encoder's lock may be held by another screen, and
    # the event loop (accept_comment_async) must not wait for it.
    _prime_article_vector(screener, stored)
    return screener.screen(stored.text, stored.context)


def _submit_screen(screener: Screener, stored: StoredComment) -> Future[Any] | str:
    """Start the screen in its pool, or say why not (the pool is full)."""
    if not _SCREEN_SLOTS.acquire(blocking=False):
        return f"screen busy: {SCREEN_QUEUE_LIMIT} comments already waiting in this process"
    try:
        future = _SCREEN_POOL.submit(_screen, screener, stored)
    except BaseException:
        _SCREEN_SLOTS.release()
        raise
    future.add_done_callback(lambda _f: _SCREEN_SLOTS.release())
    return future


def _check_verdict(result: object) -> tuple[Verdict | None, str | None]:
    if not isinstance(result, Verdict):
        return None, f"TypeError: screen returned {type(result).__name__}, not a Verdict"
    return result, None


def record_screen(
    *,
    sessions: sessionmaker[Session],
    settings: Settings,
    stored: StoredComment,
    verdict: Verdict | None,
    failure: str | None,
    elapsed_ms: float,
    article_vector: article_vectors.KeptVector | None = None,
) -> AcceptedComment:
    """Store the screen's verdict (or why there is none) and any automatic decision.

    The screen never overrules a decision: a moderator may decide the comment while the
    screen is still reading it. So the comment is read again here, locked (its row on
    PostgreSQL, the write lock on SQLite), and the verdict is recorded but no automatic
    decision is made unless the comment is still pending with no decision;
    :func:`queries.add_decision` checks the same in its ``UPDATE`` against writers in other
    processes. The answer carries the comment's real status and, when it is rejected, the
    reasons of the decision in force, whoever made it.
    """
    comment_id, author_token, site = stored.id, stored.author_token, stored.site
    engine = _engine(sessions)
    made: tuple[str, ...] | None = None  # the reasons of the screen's decision, if it made one
    try:
        with sessions() as session:
            policy = site_policy(site, policy_file=settings.policy_file)
            with write_lock(engine):
                # The comment's row is locked first (PostgreSQL; SQLite: the write lock), in
                # the statement that records the verdict's language when there is a verdict.
                status = queries.lock_comment_status(
                    session=session,
                    comment_id=comment_id,
                    language=verdict.language if verdict is not None else None,
                )
                if verdict is None:
                    queries.insert_event(
                        session=session,
                        event=ScreenFailed(
                            actor="screen",
                            subject_type="comment",
                            subject_id=str(comment_id),
                            data={"error": failure, "elapsed_ms": round(elapsed_ms, 1)},
                        ),
                    )
                else:
                    queries.insert_verdict(
                        session=session,
                        comment_id=comment_id,
                        verdict=verdict,
                        elapsed_ms=elapsed_ms,
                    )
                    queries.insert_event(
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
                    decided = automatic_decision(
                        verdict, mode=site.moderation_mode, categories=policy.categories
                    )
                    if decided is not None and status == "pending":
                        decision, reasons = decided
                        # Through the ORM: the status change is what the thread cache watches.
                        comment = queries.get_comment(session=session, comment_id=comment_id)
                        try:
                            queries.add_decision(
                                session=session,
                                comment=comment,
                                decision=decision,
                                reasons=reasons,
                                note=None,
                                actor_kind="screen",
                            )
                            made = reasons
                        except errors.AlreadyDecided:
                            log.info(
                                "comment %s was decided while the screen read it; "
                                "its verdict is kept, its decision is not",
                                comment_id,
                            )
                        status = comment.status
                if article_vector is not None:
                    # In the verdict's transaction: no extra turn at the write lock.
                    queries.keep_article_vector(
                        session=session,
                        site_id=site.id,
                        article_id=stored.article_id,
                        key=article_vector.key,
                        vector=article_vector.vector,
                    )
                answer = _answer(session, comment_id, status, author_token, made)
                session.commit()
                return answer
    except Exception:
        # The comment is already stored as pending; a failure here leaves it for a human.
        log.exception("could not record the verdict for comment %s", comment_id)
        return AcceptedComment(comment_id, "pending", (), author_token)


def _answer(
    session: Session,
    comment_id: int,
    status: str,
    author_token: str,
    made: tuple[str, ...] | None,
) -> AcceptedComment:
    """The comment's real status, with the reasons of the decision in force if rejected.

    ``made``: the reasons of the decision the screen just made (None if it made none).
    """
    reasons: tuple[str, ...] = ()
    if made is not None:
        reasons = made if status == "rejected" else ()
    elif status == "rejected":
        latest = queries.latest_decision(session=session, comment_id=comment_id)
        reasons = tuple(latest.reasons) if latest is not None else ()
    return AcceptedComment(comment_id, status, reasons, author_token)
