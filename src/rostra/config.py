"""Service settings, read from the environment with the prefix ``ROSTRA_``.

Every setting has a default that works for ``make run`` on a laptop. Outside development the
default secret key is refused, because it signs session cookies and keys the IP hashes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

#: The development-only secret. Never valid outside ``environment = "development"``.
DEFAULT_SECRET_KEY = "rostra-development-secret-do-not-use-in-production"  # noqa: S105


def normalize_origin(origin: str) -> str:
    """``scheme://host[:port]`` in lower case, as browsers send it in ``Origin`` (or ``*``).

    A trailing slash is dropped; a path, query, user info or a scheme other than http(s) is
    refused, because a browser never sends one and the entry would silently match nothing.

    Examples
    --------
    >>> normalize_origin("https://News.Example/")
    'https://news.example'
    >>> normalize_origin("http://127.0.0.1:8080")
    'http://127.0.0.1:8080'
    """
    text = origin.strip()
    if text == "*":
        return text
    parts = urlsplit(text)
    if (
        parts.scheme.lower() not in ("http", "https")
        or not parts.hostname
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
        or parts.username
        or parts.password
    ):
        raise ValueError(
            f"ROSTRA_WIDGET_ORIGINS: {origin!r} is not an origin like https://news.example"
        )
    host = parts.hostname.lower()
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    port = f":{parts.port}" if parts.port is not None else ""
    return f"{parts.scheme.lower()}://{host}{port}"


class Settings(BaseSettings):
    """Settings for one rostra process (see docs/operator.md for each one)."""

    model_config = SettingsConfigDict(env_prefix="ROSTRA_", extra="ignore", frozen=True)

    environment: Literal["development", "test", "production"] = "development"
    database_url: str = "sqlite:///./var/rostra.db"
    #: A PostgreSQL schema to use instead of ``public`` (tests use one per worker).
    database_schema: str | None = None
    redis_url: str | None = None
    #: Prefix of every Redis key rostra writes (several sites can share one Redis).
    redis_key_prefix: str = "rostra:"
    secret_key: SecretStr = SecretStr(DEFAULT_SECRET_KEY)
    #: The site every public request belongs to (one deployment, one publisher).
    site_id: str = "default"
    comment_max_length: int = Field(default=5000, ge=1, le=100_000)
    author_name_max_length: int = Field(default=80, ge=1, le=1000)
    #: Seconds the screen may take before a comment is left pending for a human.
    screen_time_budget: float = Field(default=2.0, gt=0)
    #: A policy TOML file; the packaged default policy when unset.
    policy_file: Path | None = None
    #: Largest request body accepted, in bytes (413 above it).
    max_body_bytes: int = Field(default=64 * 1024, ge=1024)
    #: Fixed-window rate limits for posting comments and reports.
    rate_limit_window_seconds: int = Field(default=60, ge=1)
    rate_limit_per_author: int = Field(default=6, ge=1)
    rate_limit_per_ip: int = Field(default=30, ge=1)
    #: Site-wide copies of one text (its letters; 32 or more) per window, from anyone.
    rate_limit_per_text: int = Field(default=10, ge=1)
    #: Seconds a rendered public thread page may be reused by one process (0: no cache).
    thread_cache_seconds: float = Field(default=1.0, ge=0)
    #: Login back-off: after this many failures an account or IP waits, doubling each time.
    login_max_failures: int = Field(default=5, ge=1)
    login_backoff_seconds: int = Field(default=30, ge=1)
    login_backoff_max_seconds: int = Field(default=3600, ge=1)
    session_max_age_seconds: int = Field(default=12 * 3600, ge=60)
    #: Set on HTTPS deployments so cookies carry the Secure flag.
    cookie_secure: bool = False
    #: Where ``serve --demo`` keeps its development credentials file.
    var_dir: Path = Path("var")
    #: Publisher origins (``https://news.example``) whose pages may embed the widget when
    #: rostra runs on another origin: they get CORS on the public widget API and the widget's
    #: files only, never on the moderation, admin or auth API or the dashboard. Comma-separated
    #: in ``ROSTRA_WIDGET_ORIGINS``. Empty (the default): the widget works on rostra's own
    #: origin only. ``*`` allows any origin (not recommended: any site can post through it).
    widget_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)

    @field_validator("widget_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [part for part in (p.strip() for p in value.split(",")) if part]
        return value

    @field_validator("widget_origins")
    @classmethod
    def _check_origins(cls, value: list[str]) -> list[str]:
        return [normalize_origin(origin) for origin in value]

    @model_validator(mode="after")
    def _refuse_default_secret(self) -> Settings:
        if (
            self.environment != "development"
            and self.secret_key.get_secret_value() == DEFAULT_SECRET_KEY
        ):
            raise ValueError(
                "ROSTRA_SECRET_KEY is the development default; set a long random secret "
                f"before running with ROSTRA_ENVIRONMENT={self.environment}"
            )
        if len(self.secret_key.get_secret_value()) < 16:
            raise ValueError("ROSTRA_SECRET_KEY must be at least 16 characters")
        return self

    @property
    def secret(self) -> bytes:
        return self.secret_key.get_secret_value().encode("utf-8")
