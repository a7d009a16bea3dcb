"""The application factory: ``create_app(settings, screener=...)``.

The screen is built once per process here. Other packages extend the app through
``rostra.web.mount(app, settings)`` and ``rostra.perspective.mount(app, settings)`` when
those modules provide them.
"""

from __future__ import annotations

import importlib
import logging

from fastapi import FastAPI
from fastapi_offline import FastAPIOffline
from sqlalchemy.exc import SQLAlchemyError

from rostra import __version__
from rostra.api.deps import Runtime
from rostra.api.errors import BodySizeLimit, install_error_handlers
from rostra.api.routes import admin, auth, moderation, public
from rostra.api.schemas import ErrorBody
from rostra.api.security_headers import SecurityHeaders, WidgetCors
from rostra.config import Settings
from rostra.services.policy import default_policy
from rostra.services.ratelimit import DatabaseRateLimiter, RateLimiter
from rostra.services.ratelimit_failover import FailoverRedisRateLimiter
from rostra.services.screener import Screener, build_screener
from rostra.store import queries
from rostra.store.db import make_engine, make_session_factory

log = logging.getLogger(__name__)

DESCRIPTION = """\
rostra's JSON API. Readers post comments (202, pending until decided); moderators decide
them (approve or reject with guideline categories, never edit). Every error is
`{"code", "message", "details"}` with a stable `code` (see docs/api.md).
"""


def _mount_extension(app: FastAPI, module_name: str, settings: Settings) -> None:
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            raise
        return
    mount = getattr(module, "mount", None)
    if not callable(mount):
        return
    try:
        mount(app, settings)
    except Exception:
        # Another area's extension must not take the comment service down with it.
        log.exception("could not mount %s; the API runs without it", module_name)


#: Where Swagger UI's files are served (fastapi-offline's copies).
DOCS_ASSETS = "/docs/assets"


def create_app(settings: Settings | None = None, *, screener: Screener | None = None) -> FastAPI:
    """Build the rostra app on ``settings`` (from the environment when None).

    ``screener`` replaces the real screen (tests inject a small deterministic one).
    """
    settings = settings or Settings()
    engine = make_engine(settings.database_url, schema=settings.database_schema)
    sessions = make_session_factory(engine)
    if screener is None:
        screener = build_screener(default_policy(settings.policy_file))
    limiter: RateLimiter = DatabaseRateLimiter(sessions)
    if settings.redis_url:
        # Redis down must not mean 500s or no limits: count in the database meanwhile.
        limiter = FailoverRedisRateLimiter(
            settings.redis_url, prefix=f"{settings.redis_key_prefix}rl:", fallback=limiter
        )
    # FastAPIOffline: FastAPI with /docs served from Swagger UI's files shipped in the
    # fastapi-offline package, so the interactive docs make no third-party request. No ReDoc:
    # its page still fetches a logo from cdn.redoc.ly (/openapi.json serves any other viewer).
    app = FastAPIOffline(
        title="rostra",
        version=__version__,
        description=DESCRIPTION,
        static_url=DOCS_ASSETS,
        redoc_url=None,
        responses={
            "4XX": {"model": ErrorBody, "description": "An error with a stable `code`"},
            "5XX": {"model": ErrorBody, "description": "A server error (a bug)"},
        },
    )
    app.state.rostra = Runtime(
        settings=settings, engine=engine, sessions=sessions, screener=screener, limiter=limiter
    )
    install_error_handlers(app)
    app.state.body_limits = {}
    app.add_middleware(
        BodySizeLimit, max_bytes=settings.max_body_bytes, overrides=app.state.body_limits
    )
    if settings.widget_origins:
        # Publisher pages on other origins: CORS on the widget's API and files only (ADR 0034).
        if "*" in settings.widget_origins:
            log.warning(
                "ROSTRA_WIDGET_ORIGINS=*: any web site can load the widget's API; "
                "list the publisher origins instead"
            )
        app.add_middleware(WidgetCors, origins=settings.widget_origins)
    app.add_middleware(SecurityHeaders)  # outermost: even a 413 carries the headers
    for router in (public.router, moderation.router, auth.router, admin.router):
        app.include_router(router)

    @app.get("/healthz", tags=["meta"], operation_id="meta-health")
    def health() -> dict[str, str]:
        """Liveness: the process answers."""
        return {"status": "ok"}

    try:
        with sessions.begin() as session:
            queries.ensure_site(session=session, site_id=settings.site_id, name=settings.site_id)
    except SQLAlchemyError as exc:
        log.warning("could not prepare site %r (run `rostra migrate`?): %s", settings.site_id, exc)

    _mount_extension(app, "rostra.web", settings)
    _mount_extension(app, "rostra.perspective", settings)
    return app


def create_warm_app() -> FastAPI:
    """The app of one ``rostra serve --workers N`` process: from the environment, screen warm.

    Warming here, before uvicorn hands the worker any connection, keeps the first readers of
    every worker from paying for the models' lazy loading.
    """
    from rostra.services.screener import warm_up

    app = create_app()
    seconds = warm_up(app.state.rostra.screener)
    log.info("screen ready (%.1fs warm-up)", seconds)
    return app
