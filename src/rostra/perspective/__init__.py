"""A Perspective-compatible endpoint over rostra's screen (issue 6).

Clients written for Google's Perspective API (Coral, Comentario, Discourse plugins, Google's
Python and Node clients) switch to rostra by changing one URL:

* ``POST {prefix}/v1alpha1/comments:analyze``
* ``POST {prefix}/v1alpha1/comments:suggestscore``
* ``GET  {prefix}/$discovery/rest?version=v1alpha1``

``create_app`` calls :func:`mount` last. Settings of its own are read from the environment
with the prefix ``ROSTRA_PERSPECTIVE_`` (see :class:`PerspectiveSettings` and
docs/perspective.md).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.orm import Session, sessionmaker

from rostra.perspective.analyze import PolicyScreener
from rostra.perspective.attributes import ATTRIBUTES, PRODUCTION_ATTRIBUTES
from rostra.perspective.keys import KeyVerifier
from rostra.perspective.redact import install_key_redaction, redact_keys
from rostra.perspective.router import LazyScreen, PerspectiveEndpoint, build_router
from rostra.screening import Policy, ScreenContext, Verdict
from rostra.services.ratelimit import DatabaseRateLimiter, RateLimiter
from rostra.services.ratelimit_failover import FailoverRedisRateLimiter

__all__ = [
    "ATTRIBUTES",
    "PRODUCTION_ATTRIBUTES",
    "PerspectiveEndpoint",
    "PerspectiveSettings",
    "PolicyScreener",
    "mount",
    "redact_keys",
]


class PerspectiveSettings(BaseSettings):
    """The endpoint's own settings (environment prefix ``ROSTRA_PERSPECTIVE_``)."""

    model_config = SettingsConfigDict(env_prefix="ROSTRA_PERSPECTIVE_", extra="ignore", frozen=True)

    #: Mount the endpoint at all.
    enabled: bool = True
    #: Where the endpoint lives; Coral's "custom endpoint" is ``<server><prefix>/v1alpha1``.
    prefix: str = "/perspective"
    #: Requests per key per window; above it, HTTP 429 RESOURCE_EXHAUSTED.
    rate_limit: int = Field(default=600, ge=1)
    rate_limit_window_seconds: int = Field(default=60, ge=1)
    #: Largest request body (comment plus context), in bytes.
    max_body_bytes: int = Field(default=1024 * 1024, ge=32 * 1024)

    @field_validator("prefix")
    @classmethod
    def _clean_prefix(cls, value: str) -> str:
        value = "/" + value.strip().strip("/")
        if value == "/":
            raise ValueError("the Perspective prefix cannot be the site root")
        return value


def _session_factory(settings: Any) -> sessionmaker[Session]:
    from rostra.store.db import make_engine, make_session_factory

    url = getattr(settings, "database_url", "sqlite:///./var/rostra.db")
    engine = make_engine(url, schema=getattr(settings, "database_schema", None))
    return make_session_factory(engine)


def _policy(settings: Any) -> Policy:
    policy_file = getattr(settings, "policy_file", None)
    return Policy.from_file(policy_file) if policy_file else Policy.default()


def _default_screen_factory(settings: Any) -> PolicyScreener:
    from rostra.services.screener import build_screener

    policy = _policy(settings)
    return WithPolicy(build_screener(policy), policy)


class WithPolicy:
    """A screener that does not expose its policy, paired with the policy its scores follow."""

    def __init__(self, screener: Any, policy: Policy) -> None:
        self.policy = getattr(screener, "policy", None) or policy
        self._screener = screener

    def screen(self, text: str, context: ScreenContext) -> Verdict:
        verdict: Verdict = self._screener.screen(text, context)
        return verdict


def mount(
    app: FastAPI,
    settings: Any = None,
    *,
    screen: PolicyScreener | None = None,
    sessions: sessionmaker[Session] | None = None,
    limiter: RateLimiter | None = None,
    config: PerspectiveSettings | None = None,
) -> PerspectiveEndpoint | None:
    """Add the Perspective routes to ``app``; returns the endpoint (None when disabled).

    Parameters
    ----------
    app:
        The rostra FastAPI application.
    settings:
        rostra's :class:`rostra.config.Settings` (``database_url``, ``redis_url``,
        ``site_id`` and ``policy_file`` are read from it).
    screen:
        The screen to use. Otherwise the service's screener (``app.state.rostra.screener``)
        at request time, else one built once from ``settings.policy_file`` (or the default
        policy) by the service's ``build_screener``.
    sessions, limiter, config:
        Overrides for tests: database sessions and rate limiter (default: the service's
        runtime, else a new engine on ``settings.database_url`` and Redis when
        ``settings.redis_url`` is set or the database), and the endpoint's settings.
    """
    config = config or PerspectiveSettings()
    if not config.enabled:
        return None
    # Inside rostra's app, share the service's runtime: its sessions, rate limiter, site and
    # screen (``create_app`` builds them once per process).
    runtime = getattr(app.state, "rostra", None)
    settings = settings if settings is not None else getattr(runtime, "settings", None)
    if sessions is None:
        shared_sessions = getattr(runtime, "sessions", None)
        sessions = (
            shared_sessions
            if isinstance(shared_sessions, sessionmaker)
            else _session_factory(settings)
        )
    if limiter is None:
        limiter = getattr(runtime, "limiter", None)
    if limiter is None:
        redis_url = getattr(settings, "redis_url", None)
        limiter = DatabaseRateLimiter(sessions)
        if redis_url:
            limiter = FailoverRedisRateLimiter(redis_url, fallback=limiter)
    fallback = LazyScreen(lambda: _default_screen_factory(settings))
    adapted: dict[int, PolicyScreener] = {}

    def screen_for(request: Request) -> PolicyScreener:
        if screen is not None:
            return screen
        shared = getattr(getattr(request.app.state, "rostra", None), "screener", None)
        if shared is None:
            return fallback.get()
        if hasattr(shared, "policy"):
            return shared  # type: ignore[no-any-return]
        # A screener without a policy (a test double): score it on the site's policy.
        if id(shared) not in adapted:
            adapted[id(shared)] = WithPolicy(shared, _policy(settings))
        return adapted[id(shared)]

    endpoint = PerspectiveEndpoint(
        screen_for=screen_for,
        keys=KeyVerifier(sessions),
        sessions=sessions,
        site_id=str(getattr(settings, "site_id", "default")),
        prefix=config.prefix,
        limiter=limiter,
        rate_limit=config.rate_limit,
        rate_limit_window_seconds=config.rate_limit_window_seconds,
        max_body_bytes=config.max_body_bytes,
    )
    app.include_router(build_router(endpoint))
    if isinstance(getattr(app.state, "body_limits", None), dict):
        # rostra's body-size middleware caps every route at ROSTRA_MAX_BODY_BYTES (64 KiB)
        # before this endpoint sees the body. Give these routes room: twice this endpoint's
        # own limit, so the endpoint itself answers oversize bodies in Google's envelope and
        # the middleware stays the backstop against huge ones.
        from rostra.api.errors import set_body_limit

        set_body_limit(app, config.prefix + "/", 2 * config.max_body_bytes)
    install_key_redaction()
    return endpoint
