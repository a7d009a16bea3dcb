"""Request and response bodies of the v1 API (pydantic: the API is a boundary)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import Path, Query
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

_IN = ConfigDict(strict=True, extra="ignore", str_max_length=200_000)
#: Ids are 32-bit on PostgreSQL; larger numbers are refused as input, never sent to SQL.
MAX_ID = 2_147_483_647
#: Publisher ids for articles: URL-safe, no spaces or control characters.
ARTICLE_ID_PATTERN = r"^[A-Za-z0-9._~:-]{1,200}$"

#: Path parameters: a row id, and a publisher article id.
IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]
ArticleIdPath = Annotated[str, Path(pattern=ARTICLE_ID_PATTERN)]
ArticleIdQuery = Annotated[str | None, Query(pattern=ARTICLE_ID_PATTERN)]
LanguageQuery = Annotated[str | None, Query(pattern=r"^[a-z]{2,5}$")]


def _refuse_unstorable(value: Any) -> None:
    """NUL and lone surrogates cannot be stored (PostgreSQL) or encoded; refuse them early."""
    if isinstance(value, str):
        if "\x00" in value or any("\ud800" <= ch <= "\udfff" for ch in value):
            raise ValueError("text contains a NUL or an invalid (surrogate) character")
    elif isinstance(value, dict):
        for item in value.values():
            _refuse_unstorable(item)
    elif isinstance(value, list):
        for item in value:
            _refuse_unstorable(item)


class Input(BaseModel):
    """Base of every request body: strict types, and no unstorable characters anywhere."""

    model_config = _IN

    @model_validator(mode="before")
    @classmethod
    def _storable(cls, data: Any) -> Any:
        _refuse_unstorable(data)
        return data


class ErrorBody(BaseModel):
    """Every error: a stable ``code``, a ``message`` for people, optional ``details``."""

    code: str
    message: str
    details: dict[str, Any] = Field(default_factory=dict)


# -- articles --------------------------------------------------------------------------------------


class ArticleCreate(Input):
    id: str = Field(min_length=1, max_length=200, pattern=ARTICLE_ID_PATTERN)
    url: str = Field(min_length=1, max_length=2000)
    title: str = Field(min_length=1, max_length=500)
    body: str = Field(default="", max_length=200_000)
    language: str = Field(min_length=2, max_length=16, pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]+)?$")

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("the url must start with http:// or https://")
        return value


class ArticlePublic(BaseModel):
    id: str
    url: str
    title: str
    body: str
    language: str
    created_at: datetime


# -- comments --------------------------------------------------------------------------------------


class CommentCreate(BaseModel):
    """Text, name and e-mail are checked by the service (with their own error codes)."""

    model_config = _IN

    text: str
    author_name: str | None = Field(default=None, max_length=1000)
    author_email: str | None = Field(default=None, max_length=1000)
    parent_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    #: A publisher SSO token (HS256 JWT signed with the site's secret).
    sso_token: str | None = Field(default=None, max_length=4000)


class CommentAccepted(BaseModel):
    id: int
    status: Literal["pending", "approved", "rejected"]
    #: Guideline categories (site policy ids) when the comment was rejected.
    reasons: list[str]
    #: Secret for reading one's own comment and its status; returned only once.
    author_token: str


class CommentPublic(BaseModel):
    id: int
    parent_id: int | None
    author_name: str
    text: str
    created_at: datetime
    replies: list[CommentPublic] = Field(default_factory=list)


class CommentsPublic(BaseModel):
    data: list[CommentPublic]
    count: int
    next: str | None


class CommentOwn(BaseModel):
    """A comment as its author (with the author token) or any reader (if approved) sees it."""

    id: int
    article_id: str
    parent_id: int | None
    author_name: str
    text: str
    status: Literal["pending", "approved", "rejected"]
    #: The guideline categories of a rejection; empty otherwise.
    reasons: list[str]
    created_at: datetime


class ReportCreate(Input):
    """A reader's report; both fields are optional, and so is the body itself."""

    reason: str | None = Field(default=None, max_length=64)
    note: str | None = Field(default=None, max_length=1000)


class ReportAccepted(BaseModel):
    comment_id: int
    created: bool


class CommentCounts(BaseModel):
    counts: dict[str, int]


# -- moderation ------------------------------------------------------------------------------------


class VerdictOut(BaseModel):
    recommendation: str
    language: str
    language_confidence: float
    scores: dict[str, float]
    reasons: list[str]
    evidence: list[dict[str, Any]]
    errors: list[str]
    model_version: str
    policy_version: str
    elapsed_ms: float
    created_at: datetime


class AuthorOut(BaseModel):
    id: int
    name: str
    kind: str
    approved: int
    rejected: int
    pending: int
    banned_until: datetime | None = None
    banned: bool = False


class ArticleRef(BaseModel):
    id: str
    title: str


class QueueItemOut(BaseModel):
    id: int
    text: str
    status: str
    language: str | None
    parent_id: int | None
    created_at: datetime
    article: ArticleRef
    author: AuthorOut
    verdict: VerdictOut | None
    open_reports: int


class QueueOut(BaseModel):
    data: list[QueueItemOut]
    next: str | None


class DecisionCreate(Input):
    decision: Literal["approve", "reject"]
    reasons: list[str] = Field(default_factory=list, max_length=20)
    note: str | None = Field(default=None, max_length=2000)


class DecisionOut(BaseModel):
    id: int
    comment_id: int
    decision: str
    reasons: list[str]
    note: str | None
    actor: str
    supersedes_id: int | None
    created_at: datetime


class ReportOut(BaseModel):
    id: int
    reason: str | None
    note: str | None
    created_at: datetime
    resolved_at: datetime | None


class CommentModeration(QueueItemOut):
    verdicts: list[VerdictOut]
    decisions: list[DecisionOut]
    reports: list[ReportOut]


#: The shortest ban, in days: one hour. Anything shorter is over before anyone notices
#: (``{"days": 1e-9}`` used to create a ban that had already expired).
MIN_BAN_DAYS = 1 / 24
MAX_BAN_DAYS = 3650


class BanCreate(Input):
    #: Length of the ban in days (fractions allowed: 0.5 is 12 hours), from one hour (1/24,
    #: about 0.0417) to 3650; omit for a ban until lifted.
    days: float | None = Field(
        default=None,
        le=MAX_BAN_DAYS,
        allow_inf_nan=False,
        description="Length of the ban in days, from one hour (1/24 ≈ 0.0417; 0.5 is 12 hours) "
        "to 3650. Omit (or null) for a ban until lifted.",
    )
    reason: str | None = Field(default=None, max_length=1000)

    @field_validator("days", mode="before")
    @classmethod
    def _int_days(cls, value: Any) -> Any:
        return float(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @field_validator("days")
    @classmethod
    def _at_least_an_hour(cls, value: float | None) -> float | None:
        if value is not None and not value >= MIN_BAN_DAYS:
            raise PydanticCustomError(
                "ban_too_short",
                "a ban lasts at least one hour: days must be 1/24 (about 0.0417) or more; "
                "omit days for a ban until lifted",
            )
        return value


class BanOut(BaseModel):
    id: int
    author_id: int
    until: datetime | None
    reason: str | None
    created_by: str
    created_at: datetime
    lifted_at: datetime | None


class AuthorDetail(AuthorOut):
    bans: list[BanOut]


# -- auth and admin --------------------------------------------------------------------------------


class LoginRequest(Input):
    username: str = Field(min_length=1, max_length=200)
    password: str = Field(min_length=1, max_length=1000)


class ModeratorOut(BaseModel):
    id: int
    username: str
    display_name: str
    role: str
    active: bool
    created_at: datetime
    last_login_at: datetime | None


class LoginOut(BaseModel):
    moderator: ModeratorOut
    #: Send this back in the ``X-CSRF-Token`` header on every cookie-authenticated write.
    csrf_token: str


class ModeratorCreate(Input):
    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=10, max_length=1000)
    role: Literal["moderator", "admin"] = "moderator"
    display_name: str | None = Field(default=None, max_length=200)


class ModeratorUpdate(Input):
    role: Literal["moderator", "admin"] | None = None
    active: bool | None = None
    password: str | None = Field(default=None, min_length=10, max_length=1000)
    display_name: str | None = Field(default=None, min_length=1, max_length=200)


class TokenCreate(Input):
    name: str = Field(min_length=1, max_length=200)
    role: Literal["admin", "moderator", "perspective"]
    #: Seconds until the token is refused; omitted or null: until revoked.
    expires_in_seconds: int | None = Field(default=None, ge=60, le=5 * 366 * 24 * 3600)


class TokenOut(BaseModel):
    id: int
    name: str
    role: str
    prefix: str
    created_by: str
    created_at: datetime
    revoked_at: datetime | None
    expires_at: datetime | None = None


class TokenCreated(TokenOut):
    #: The bearer token. Shown once; only its hash is stored.
    token: str


class SiteOut(BaseModel):
    id: str
    name: str
    moderation_mode: str
    categories: list[str]
    sso_enabled: bool


class SiteUpdate(Input):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    moderation_mode: Literal["pre", "assisted", "auto"] | None = None
    #: Set a publisher SSO secret (≥ 32 characters); an empty string disables SSO.
    sso_secret: str | None = Field(default=None, max_length=200)


class StatsOut(BaseModel):
    comments: dict[str, int]
    decisions: dict[str, int]
    reported_comments: int
