"""The screen's vocabulary: categories, languages, signals and the verdict.

Everything here is a frozen dataclass or a str-Enum so that verdicts are hashable, comparable
and serialise to the same JSON every time (the screen is deterministic).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rostra.screening.normalize import NormalizedText


class Category(StrEnum):
    """Guideline categories; the stable identifiers used by the API, the store and the UI."""

    PROFANITY = "profanity"
    VULGARITY = "vulgarity"
    THREAT = "threat"
    PERSONAL_ATTACK = "personal_attack"
    SEXISM = "sexism"
    RACISM = "racism"
    HOMOPHOBIA = "homophobia"
    XENOPHOBIA = "xenophobia"
    PROMOTION = "promotion"
    OFF_TOPIC = "off_topic"


CATEGORIES: tuple[str, ...] = tuple(c.value for c in Category)
#: The four abuse categories, reported separately and grouped as "abuse" in the UI.
ABUSE_CATEGORIES: frozenset[str] = frozenset(
    {Category.SEXISM, Category.RACISM, Category.HOMOPHOBIA, Category.XENOPHOBIA}
)


class Language(StrEnum):
    EN = "en"
    AR = "ar"
    CKB = "ckb"  # Sorani Kurdish
    KMR = "kmr"  # Kurmanji Kurdish
    TR = "tr"
    FA = "fa"
    OTHER = "other"


LANGUAGES: tuple[str, ...] = tuple(lang.value for lang in Language)


class Recommendation(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"
    REVIEW = "review"


class ModerationMode(StrEnum):
    """How far the screen may decide on its own (see DESIGN.md)."""

    PRE = "pre"  # humans decide everything; the screen sorts and annotates
    ASSISTED = "assisted"  # the screen may reject clear violations; humans approve
    AUTO = "auto"  # the screen approves clear passes and rejects clear violations


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open character range [start, end) in the *original* comment text."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Signal:
    """One analyzer's opinion on one category."""

    category: str
    score: float
    analyzer: str
    spans: tuple[Span, ...] = ()
    #: Whether this signal may vouch for another analyzer's reject in a corroboration category
    #: (policy ``[corroboration]``). False when the analyzer itself judged the comment
    #: borderline on purpose, e.g. contact details attributed to an official source.
    corroborates: bool = True

    def __post_init__(self) -> None:
        if not 0.0 <= self.score <= 1.0:
            raise ValueError(f"signal score {self.score!r} outside [0, 1] from {self.analyzer}")


@dataclass(frozen=True, slots=True)
class ArticleContext:
    title: str
    body: str = ""
    language: str | None = None


@dataclass(frozen=True, slots=True)
class ScreenContext:
    """What the screen may know besides the comment text itself."""

    article: ArticleContext | None = None
    #: A language the client believes the comment is in; a hint only.
    lang_hint: str | None = None
    #: Recent comment texts on the same site (newest last), for duplicate and flood detection.
    recent_texts: tuple[str, ...] = ()
    #: An opaque key for the author, for per-author flood detection.
    author_key: str | None = None
    #: True when the comment replies to another comment: it answers that comment, not the
    #: article, so it is never judged off-topic against the article.
    is_reply: bool = False
    #: The caller may not keep the text (Perspective's ``doNotStore``): analyzers screen it
    #: without putting it, or the context's texts, in any cache. The shared sentence encoder
    #: is not handed the context: wrap the screen call in
    #: :func:`rostra.screening.embedding.ephemeral` for it.
    ephemeral: bool = False


@dataclass(frozen=True, slots=True)
class ScreenDoc:
    """What each analyzer receives: the comment, its normalized form and its language."""

    text: str
    normalized: NormalizedText
    lang: str
    lang_confidence: float
    context: ScreenContext = field(default_factory=ScreenContext)
    #: Every candidate language with its share of the evidence, strongest first (may be empty).
    lang_candidates: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True, slots=True)
class Evidence:
    category: str
    start: int
    end: int
    text: str
    analyzer: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "analyzer": self.analyzer,
        }


@dataclass(frozen=True, slots=True)
class Verdict:
    """The screen's answer for one comment."""

    language: str
    language_confidence: float
    scores: Mapping[str, float]
    evidence: tuple[Evidence, ...]
    recommendation: Recommendation
    reasons: tuple[str, ...]
    model_version: str
    policy_version: str
    #: Analyzer failures; any failure forces the recommendation to review.
    errors: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "recommendation": self.recommendation.value,
            "language": self.language,
            "language_confidence": round(self.language_confidence, 4),
            "scores": {k: round(v, 4) for k, v in sorted(self.scores.items())},
            "reasons": list(self.reasons),
            "evidence": [e.to_dict() for e in self.evidence],
            "model_version": self.model_version,
            "policy_version": self.policy_version,
            "errors": list(self.errors),
        }
