"""rostra's browser pages: the reader widget, the moderator dashboard and the demo article page.

``mount(app, settings)`` is called at the end of ``rostra.api.app.create_app``. It adds:

- ``/embed.js`` and ``/widget/*`` — the embeddable widget (static, no build step);
- ``/moderate/*`` — the server-rendered moderator dashboard;
- ``/demo/articles/{article_id}`` — an article page with the widget embedded, for ``make run``.

Every HTML page is sent with a strict Content-Security-Policy (no inline script or style), so
the pages themselves prove that the widget works under one.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI
from fastapi.responses import FileResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

if TYPE_CHECKING:
    from rostra.config import Settings

WEB_DIR = Path(__file__).parent
WIDGET_DIR = WEB_DIR / "widget"

#: The policy of every page rostra renders. The widget needs nothing more than 'self'.
STRICT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def demo_urls(base_url: str, article_ids: Iterable[str]) -> list[str]:
    """The demo article pages for ``article_ids`` on a server at ``base_url``.

    Examples
    --------
    >>> demo_urls("http://127.0.0.1:8000/", ["erbil-drones"])
    ['http://127.0.0.1:8000/demo/articles/erbil-drones']
    """
    from urllib.parse import quote

    root = base_url.rstrip("/")
    return [f"{root}/demo/articles/{quote(str(a), safe='')}" for a in article_ids]


def dashboard_url(base_url: str) -> str:
    """The moderator dashboard on a server at ``base_url``."""
    return base_url.rstrip("/") + "/moderate"


def mount(app: FastAPI, settings: Settings | Any = None) -> None:
    """Add the widget, the dashboard and the demo pages to ``app``."""
    from rostra.web import dashboard, demo_page
    from rostra.web.context import WebContext

    ctx = WebContext.for_app(app, settings)
    app.state.rostra_web = ctx

    @app.get("/embed.js", include_in_schema=False)
    def embed_js() -> FileResponse:
        return FileResponse(
            WIDGET_DIR / "embed.js",
            media_type="text/javascript; charset=utf-8",
            headers={"Cache-Control": "public, max-age=300"},
        )

    if getattr(ctx.settings, "environment", "development") == "development":
        # `make run` prints the site's address: land a newcomer on the demo articles.
        @app.get("/", include_in_schema=False)
        def start_page() -> RedirectResponse:
            return RedirectResponse("/demo/", status_code=307)

    @app.get("/moderate", include_in_schema=False)
    def moderate_root() -> RedirectResponse:
        return RedirectResponse("/moderate/queue", status_code=303)

    app.mount("/widget", StaticFiles(directory=WIDGET_DIR), name="rostra-widget")
    app.mount(
        "/moderate/static",
        StaticFiles(directory=WEB_DIR / "dashboard" / "static"),
        name="rostra-dashboard-static",
    )
    app.include_router(dashboard.router)
    app.include_router(demo_page.router)


__all__ = ["STRICT_CSP", "dashboard_url", "demo_urls", "mount"]
