"""The moderator dashboard: server-rendered pages under ``/moderate`` with a little scripting.

Reads are rendered here from the store. Writes (decisions, bans, notes) are small JSON
endpoints under ``/moderate/api`` that the page's script calls with the session cookie and the
service's CSRF double-submit token (``X-CSRF-Token``); they authenticate through the service's
own ``require_role`` dependency and act through the service layer (``rostra.services``), so a
decision made here is the same append-only, audited decision as one made through the API.
"""

from __future__ import annotations

import hmac
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from rostra import errors
from rostra.api.auth import SESSION_COOKIE, end_session, read_session, start_session
from rostra.api.deps import Principal, require_role
from rostra.api.schemas import MAX_BAN_DAYS, MIN_BAN_DAYS
from rostra.screening import Policy, PolicyError
from rostra.services import accounts, moderation
from rostra.services.policy import site_policy
from rostra.store import queries
from rostra.store.models import Moderator
from rostra.store.privacy import hash_ip
from rostra.web.context import WebContext, text_direction, web_context
from rostra.web.dashboard import charts, data
from rostra.web.dashboard.highlight import evidence_words, highlight_segments
from rostra.web.dashboard.i18n import (
    CONTENT_LANGUAGE_NAMES,
    DASHBOARD_LANGUAGES,
    LANGUAGE_NAMES,
    pick_language,
    translator,
)

router = APIRouter(prefix="/moderate", include_in_schema=False)
LANG_COOKIE = "rostra_ui_lang"
Ctx = Annotated[WebContext, Depends(web_context)]
ModeratorCaller = Annotated[Principal, Depends(require_role("moderator", "admin"))]


class LoginRequired(Exception):
    """Raised by page handlers when nobody is signed in; answered with a redirect."""


def _csp() -> dict[str, str]:
    from rostra.web import STRICT_CSP

    return {
        "Content-Security-Policy": STRICT_CSP,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "Cache-Control": "no-store",
    }


def _signed_in(request: Request, ctx: WebContext, session: Session) -> tuple[Moderator, str]:
    raw = request.cookies.get(SESSION_COOKIE)
    found = read_session(raw, settings=ctx.settings) if raw else None
    moderator = (
        accounts.session_moderator(
            session=session, moderator_id=found.moderator_id, secret=found.secret
        )
        if found
        else None
    )
    if found is None or moderator is None:
        raise LoginRequired
    return moderator, found.csrf_token


def _lang(request: Request) -> str:
    return pick_language(
        request.query_params.get("lang"),
        request.cookies.get(LANG_COOKIE),
        request.headers.get("accept-language"),
    )


def _policy(ctx: WebContext, session: Session) -> Policy:
    site = queries.get_site(session=session, site_id=ctx.site_id)
    return site_policy(site, policy_file=getattr(ctx.settings, "policy_file", None))


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else ""


def _render(
    request: Request,
    ctx: WebContext,
    template: str,
    *,
    status_code: int = 200,
    moderator: Moderator | None = None,
    csrf: str = "",
    **values: Any,
) -> HTMLResponse:
    lang = _lang(request)
    t = translator(lang)
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    language_links = [
        (
            code,
            LANGUAGE_NAMES[code],
            "/moderate/lang?" + urlencode({"set": code, "next": here}),
        )
        for code in DASHBOARD_LANGUAGES
    ]
    page = ctx.templates.get_template(template).render(
        t=t,
        lang=lang,
        dir=text_direction(lang),
        moderator=moderator,
        csrf=csrf,
        path=request.url.path,
        language_links=language_links,
        content_language_names=CONTENT_LANGUAGE_NAMES,
        when=_when,
        text_direction=text_direction,
        **values,
    )
    response = HTMLResponse(page, status_code=status_code, headers=_csp())
    if request.query_params.get("lang") in DASHBOARD_LANGUAGES:
        response.set_cookie(LANG_COOKIE, _lang(request), samesite="lax", path="/moderate")
    return response


def _to_login(request: Request) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse("/moderate/login?" + urlencode({"next": target}), status_code=303)


def _safe_next(target: str | None) -> str:
    """Only same-site dashboard paths: never an open redirect."""
    if target and target.startswith("/moderate") and not target.startswith("//"):
        return target
    return "/moderate/queue"


# -- sign-in -------------------------------------------------------------------------------------


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, ctx: Ctx, next: str | None = None) -> Response:
    with ctx.session() as session:
        try:
            _signed_in(request, ctx, session)
            return RedirectResponse(_safe_next(next), status_code=303)
        except LoginRequired:
            pass
    return _render(request, ctx, "login.html", next=_safe_next(next), error=None)


@router.post("/login", response_class=HTMLResponse)
def login_submit(
    request: Request,
    ctx: Ctx,
    username: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    next: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    client = request.client.host if request.client else None
    with ctx.session() as session:
        try:
            moderator = accounts.login(
                session=session,
                settings=ctx.settings,
                username=username,
                password=password,
                ip_hash=hash_ip(client, secret=ctx.settings.secret),
            )
        except errors.LoginThrottled:
            return _render(
                request,
                ctx,
                "login.html",
                status_code=429,
                next=_safe_next(next),
                error="login_throttled",
                username=username,
            )
        except (errors.InvalidCredentials, errors.InvalidInput):
            return _render(
                request,
                ctx,
                "login.html",
                status_code=401,
                next=_safe_next(next),
                error="login_failed",
                username=username,
            )
        secret = accounts.open_session(
            session=session, settings=ctx.settings, moderator_id=moderator.id
        )
        session.commit()
        response = RedirectResponse(_safe_next(next), status_code=303)
        start_session(response, settings=ctx.settings, moderator_id=moderator.id, secret=secret)
        return response


@router.post("/logout")
def logout(request: Request, ctx: Ctx, csrf: Annotated[str, Form(max_length=200)] = "") -> Response:
    with ctx.session() as session:
        try:
            _, token = _signed_in(request, ctx, session)
        except LoginRequired:
            return RedirectResponse("/moderate/login", status_code=303)
        if not hmac.compare_digest(csrf, token):
            raise errors.CsrfFailed("the sign-out form is stale; reload the page")
        found = read_session(request.cookies.get(SESSION_COOKIE, ""), settings=ctx.settings)
        if found is not None:
            # On the server too: a copy of the cookie must not outlive the sign-out.
            accounts.close_session(session=session, secret=found.secret)
            session.commit()
    response = RedirectResponse("/moderate/login", status_code=303)
    end_session(response)
    return response


@router.get("/lang")
def set_language(set: str = "en", next: str | None = None) -> Response:
    response = RedirectResponse(_safe_next(next), status_code=303)
    if set in DASHBOARD_LANGUAGES:
        response.set_cookie(
            LANG_COOKIE, set, samesite="lax", path="/moderate", max_age=365 * 24 * 3600
        )
    return response


# -- pages ---------------------------------------------------------------------------------------


@router.get("/queue", response_class=HTMLResponse)
def queue(
    request: Request,
    ctx: Ctx,
    queue: str = "pending",
    article: Annotated[str | None, Query(max_length=200)] = None,
    language: Annotated[str | None, Query(max_length=16)] = None,
    category: Annotated[str | None, Query(max_length=64)] = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
    sort: str = "oldest",
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> Response:
    with ctx.session() as session:
        try:
            moderator, csrf = _signed_in(request, ctx, session)
        except LoginRequired:
            return _to_login(request)
        policy = _policy(ctx, session)
        filters = data.QueueFilters(
            queue=queue if queue in data.QUEUES else "pending",
            article_id=article or None,
            language=data.filter_choices(tuple(CONTENT_LANGUAGE_NAMES), language),
            category=data.filter_choices(policy.categories, category),
            search=(q or "").strip() or None,
            sort=sort if sort in data.SORTS else "oldest",
            page=page,
        )
        result = data.queue_page(session=session, site_id=ctx.site_id, filters=filters)
        items = [_item_view(entry, policy) for entry in result.entries]
        base_query = {
            k: v
            for k, v in {
                "queue": filters.queue,
                "article": filters.article_id,
                "language": filters.language,
                "category": filters.category,
                "q": filters.search,
                "sort": filters.sort,
            }.items()
            if v
        }
        return _render(
            request,
            ctx,
            "queue.html",
            moderator=moderator,
            csrf=csrf,
            filters=filters,
            result=result,
            items=items,
            categories=list(policy.categories),
            queues=data.QUEUES,
            sorts=data.SORTS,
            languages=[c for c in CONTENT_LANGUAGE_NAMES if c != "other"],
            next_url=(
                "/moderate/queue?" + urlencode({**base_query, "page": page + 1})
                if result.has_next
                else None
            ),
            prev_url=(
                "/moderate/queue?" + urlencode({**base_query, "page": page - 1})
                if page > 1
                else None
            ),
            queue_url=lambda name: "/moderate/queue?" + urlencode({"queue": name}),
            # Decided items leave the page; its first page again shows what is left.
            reload_url="/moderate/queue?" + urlencode(base_query),
        )


#: Meter bands when the policy has no threshold for a score's category.
DEFAULT_BANDS = (0.5, 0.8)


def score_bands(policy: Policy, category: str, lang: str | None) -> tuple[float, float]:
    """``(low, high)`` for a score's ``<meter>``: the policy's review and reject thresholds.

    With ``optimum`` at 0, a score under ``low`` shows as good, between as a warning, and at
    or over the reject threshold as bad: a high risk is never green.
    """
    try:
        review = policy.threshold(category, lang or "other", "review")
        reject = policy.threshold(category, lang or "other", "reject")
    except PolicyError:  # no threshold anywhere for this category: the defaults
        review, reject = DEFAULT_BANDS
    low = min(max(float(review), 0.0), 1.0)
    # <meter> counts a value equal to ``high`` as merely suboptimal; the reject threshold is bad.
    high = min(max(float(reject) - 0.0005, low), 1.0)
    return round(low, 4), round(high, 4)


def _item_view(entry: data.QueueEntry, policy: Policy) -> dict[str, Any]:
    verdict = entry.verdict
    evidence = list(verdict.evidence or []) if verdict is not None else []
    lang = verdict.language if verdict is not None else None
    scores = (
        sorted(
            (
                (str(k), float(v), *score_bands(policy, str(k), lang))
                for k, v in (verdict.scores or {}).items()
                if float(v) >= 0.05
            ),
            key=lambda row: -row[1],
        )
        if verdict is not None
        else []
    )
    return {
        "comment": entry.comment,
        "article": entry.article,
        "verdict": verdict,
        "segments": highlight_segments(entry.comment.text, evidence),
        "evidence_words": evidence_words(entry.comment.text, evidence),
        "scores": scores,
        "reasons": list(verdict.reasons or []) if verdict is not None else [],
        "open_reports": entry.open_reports,
        "counts": entry.counts,
        "risk": entry.risk,
        "language": entry.comment.language or (verdict.language if verdict else None),
        "recent": entry.recent,
    }


@router.get("/comments/{comment_id}", response_class=HTMLResponse)
def comment_page(request: Request, ctx: Ctx, comment_id: int) -> Response:
    with ctx.session() as session:
        try:
            moderator, csrf = _signed_in(request, ctx, session)
        except LoginRequired:
            return _to_login(request)
        try:
            history = queries.comment_with_history(
                session=session, comment_id=comment_id, site_id=ctx.site_id
            )
        except errors.NotFound:
            return _render(
                request, ctx, "missing.html", status_code=404, moderator=moderator, csrf=csrf
            )
        latest = history.verdicts[-1] if history.verdicts else None
        entry = data.QueueEntry(
            comment=history.comment,
            article=history.article,
            verdict=latest,
            open_reports=sum(1 for r in history.reports if r.resolved_at is None),
            counts=history.author_counts,
            risk=data.risk_of(latest),
        )
        superseded = {d.supersedes_id for d in history.decisions if d.supersedes_id}
        policy = _policy(ctx, session)
        return _render(
            request,
            ctx,
            "comment.html",
            moderator=moderator,
            csrf=csrf,
            item=_item_view(entry, policy),
            history=history,
            superseded=superseded,
            names=data.moderator_names(session=session),
            categories=list(policy.categories),
        )


@router.get("/authors/{author_id}", response_class=HTMLResponse)
def author_page(request: Request, ctx: Ctx, author_id: int) -> Response:
    with ctx.session() as session:
        try:
            moderator, csrf = _signed_in(request, ctx, session)
        except LoginRequired:
            return _to_login(request)
        try:
            info = data.author_page(session=session, site_id=ctx.site_id, author_id=author_id)
        except errors.NotFound:
            return _render(
                request, ctx, "missing.html", status_code=404, moderator=moderator, csrf=csrf
            )
        return _render(request, ctx, "author.html", moderator=moderator, csrf=csrf, info=info)


@router.get("/stats", response_class=HTMLResponse)
def stats_page(
    request: Request, ctx: Ctx, days: Annotated[int, Query(ge=1, le=365)] = 30
) -> Response:
    with ctx.session() as session:
        try:
            moderator, csrf = _signed_in(request, ctx, session)
        except LoginRequired:
            return _to_login(request)
        figures = data.stats(session=session, site_id=ctx.site_id, days=days)
    t = translator(_lang(request))
    rtl = text_direction(_lang(request)) == "rtl"

    def duration(hours: float | None) -> str:
        return data.format_duration(hours, t)

    def percent(value: float) -> str:
        return f"{value:.0f} %"

    decided_rows = [
        (t("decided_screen"), float(figures.decided_by.get("screen", 0))),
        (t("decided_people"), float(figures.decided_by.get("moderator", 0))),
        (t("decided_pending"), float(figures.decided_by.get("pending", 0))),
    ]
    category_rows = [(t.category(c), float(n)) for c, n in figures.rejections_by_category]  # type: ignore[attr-defined]
    language_rows = [
        (CONTENT_LANGUAGE_NAMES.get(code, code), float(n))
        for code, n in figures.rejections_by_language
    ]
    return _render(
        request,
        ctx,
        "stats.html",
        moderator=moderator,
        csrf=csrf,
        days=days,
        figures=figures,
        decided_rows=decided_rows,
        category_rows=category_rows,
        language_rows=language_rows,
        chart_days=charts.column_chart(
            [(d, float(n)) for d, n in figures.days], title=t("chart_per_day")
        ),
        chart_agreement=charts.column_chart(
            [(d, None if v is None else v * 100) for d, v in figures.agreement_days],
            title=t("chart_agreement_day"),
            fmt=percent,
            top=100.0,
        ),
        chart_median=charts.column_chart(
            figures.median_hours_people_days, title=t("chart_median_day"), fmt=duration
        ),
        agreement_rows=[
            (d, "–" if v is None else percent(v * 100)) for d, v in figures.agreement_days
        ],
        median_rows=[(d, duration(v)) for d, v in figures.median_hours_people_days],
        chart_decided=charts.bar_chart(decided_rows, title=t("chart_decided_by"), rtl=rtl),
        chart_categories=charts.bar_chart(category_rows, title=t("chart_rej_category"), rtl=rtl),
        chart_languages=charts.bar_chart(language_rows, title=t("chart_rej_language"), rtl=rtl),
        median_people=duration(figures.median_hours_people),
        median_screen=duration(figures.median_hours_screen),
    )


# -- writes (JSON; session cookie + X-CSRF-Token, checked by the service's dependency) ------------


class DecisionIn(BaseModel):
    decision: str = Field(pattern="^(approve|reject)$")
    reasons: list[str] = Field(default_factory=list, max_length=20)
    note: str | None = Field(default=None, max_length=2000)


class BulkDecisionIn(DecisionIn):
    comment_ids: list[int] = Field(min_length=1, max_length=200)


class BanIn(BaseModel):
    #: The same bounds as the API's bans: at least an hour, at most ten years.
    days: float | None = Field(default=None, ge=MIN_BAN_DAYS, le=MAX_BAN_DAYS, allow_inf_nan=False)
    note: str | None = Field(default=None, max_length=2000)


class NoteIn(BaseModel):
    note: str = Field(min_length=1, max_length=2000)


@router.post("/api/comments/{comment_id}/decisions", status_code=201)
def decide_comment(
    comment_id: int, body: DecisionIn, caller: ModeratorCaller, ctx: Ctx
) -> JSONResponse:
    with ctx.session() as session:
        row = moderation.decide(
            session=session,
            site_id=ctx.site_id,
            comment_id=comment_id,
            moderator_id=caller.moderator_id,
            decision=body.decision,
            reasons=body.reasons,
            note=body.note,
            policy=_policy(ctx, session),
            actor=caller.actor,
        )
        session.commit()
        return JSONResponse(
            {
                "id": row.id,
                "comment_id": comment_id,
                "decision": row.decision,
                "reasons": list(row.reasons),
            },
            status_code=201,
        )


@router.post("/api/decisions", status_code=201)
def decide_many(body: BulkDecisionIn, caller: ModeratorCaller, ctx: Ctx) -> JSONResponse:
    """Bulk decision: all or nothing, in one transaction."""
    with ctx.session() as session:
        policy = _policy(ctx, session)
        for comment_id in dict.fromkeys(body.comment_ids):
            moderation.decide(
                session=session,
                site_id=ctx.site_id,
                comment_id=comment_id,
                moderator_id=caller.moderator_id,
                decision=body.decision,
                reasons=body.reasons,
                note=body.note,
                policy=policy,
                actor=caller.actor,
            )
        session.commit()
    return JSONResponse({"decided": len(set(body.comment_ids))}, status_code=201)


@router.post("/api/authors/{author_id}/bans", status_code=201)
def ban(author_id: int, body: BanIn, caller: ModeratorCaller, ctx: Ctx) -> JSONResponse:
    with ctx.session() as session:
        row = moderation.ban_author(
            session=session,
            site_id=ctx.site_id,
            author_id=author_id,
            days=body.days,
            reason=body.note,
            actor=caller.actor,
        )
        session.commit()
        return JSONResponse(
            {"id": row.id, "until": row.until.isoformat() if row.until else None},
            status_code=201,
        )


@router.delete("/api/authors/{author_id}/bans")
def unban(author_id: int, caller: ModeratorCaller, ctx: Ctx) -> JSONResponse:
    with ctx.session() as session:
        lifted = moderation.unban_author(
            session=session, site_id=ctx.site_id, author_id=author_id, actor=caller.actor
        )
        session.commit()
    return JSONResponse({"lifted": lifted})


@router.post("/api/authors/{author_id}/notes", status_code=201)
def add_note(author_id: int, body: NoteIn, caller: ModeratorCaller, ctx: Ctx) -> JSONResponse:
    with ctx.session() as session:
        try:
            row = data.add_author_note(
                session=session,
                site_id=ctx.site_id,
                author_id=author_id,
                note=body.note,
                actor=caller.actor,
            )
        except ValueError as exc:
            raise errors.InvalidInput(str(exc), field="note") from None
        session.commit()
        return JSONResponse({"id": row.id}, status_code=201)
