"""The demo article page: an article rendered like a publisher would, with the widget embedded.

It embeds the widget exactly as a publisher does, with one script tag, and is served under the
same strict Content-Security-Policy a careful publisher would set.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse

from rostra.web.context import (
    WIDGET_LANGUAGES,
    WebContext,
    text_direction,
    web_context,
    widget_strings,
)

router = APIRouter(prefix="/demo", include_in_schema=False)

Ctx = Annotated[WebContext, Depends(web_context)]


def _html(body: str, status_code: int = 200) -> HTMLResponse:
    from rostra.web import STRICT_CSP

    return HTMLResponse(
        body,
        status_code=status_code,
        headers={"Content-Security-Policy": STRICT_CSP, "X-Content-Type-Options": "nosniff"},
    )


@router.get("", response_class=HTMLResponse)
@router.get("/", response_class=HTMLResponse)
def demo_index(ctx: Ctx) -> HTMLResponse:
    from sqlalchemy import select

    from rostra.store.models import Article

    with ctx.session() as session:
        articles = list(
            session.scalars(
                select(Article).where(Article.site_id == ctx.site_id).order_by(Article.created_at)
            )
        )
        rows = [(a.id, a.title, a.language) for a in articles]
    page = ctx.templates.get_template("demo_index.html").render(articles=rows)
    return _html(page)


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def demo_article(article_id: str, ctx: Ctx) -> HTMLResponse:
    from sqlalchemy import select

    from rostra.store.models import Article

    with ctx.session() as session:
        article = session.scalar(select(Article).where(Article.id == article_id))
        if article is None:
            page = ctx.templates.get_template("demo_missing.html").render(article_id=article_id)
            return _html(page, status_code=404)
        lang = article.language if article.language in WIDGET_LANGUAGES else "en"
        paragraphs = [p.strip() for p in article.body.split("\n\n") if p.strip()]
        page = ctx.templates.get_template("demo_article.html").render(
            article_id=article.id,
            title=article.title,
            url=article.url,
            paragraphs=paragraphs,
            lang=lang,
            dir=text_direction(lang),
            comments_heading=widget_strings(lang)["comments"],
        )
    return _html(page)
