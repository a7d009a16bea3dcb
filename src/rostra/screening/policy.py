"""The screening policy: which categories, which thresholds, which mode, which analyzers.

The policy file is a boundary (publishers write it), so it is validated with pydantic and
unknown keys are refused. ``Policy.decide`` is the one place where scores become a
recommendation.
"""

from __future__ import annotations

import tomllib
from collections.abc import Collection, Iterable, Mapping
from importlib.resources import files
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator

from rostra.screening.types import (
    CATEGORIES,
    LANGUAGES,
    ModerationMode,
    Recommendation,
    Signal,
)


class Thresholds(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    reject: float | None = None
    review: float | None = None


class LanguageSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    min_confidence: float | None = None
    auto_approve: bool | None = None
    reject: float | None = None
    review: float | None = None


_NO_LANGUAGE_SETTINGS = LanguageSettings()


class ThresholdTable(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    default: Thresholds = Thresholds(reject=0.85, review=0.45)
    category: dict[str, Thresholds] = Field(default_factory=dict)


class Corroboration(BaseModel):
    """Analyzers whose score alone may send a comment to review but never reject it.

    In ``categories``, a score from one of ``analyzers`` at or above the reject threshold
    rejects only when another analyzer (not listed) also gives that category a score above
    zero; otherwise the category is borderline and the comment goes to a moderator.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    analyzers: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()


class AnalyzerSpec(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)

    factory: str

    def settings(self) -> dict[str, Any]:
        return dict(self.model_extra or {})


class PolicyError(ValueError):
    pass


class Policy(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    version: str
    mode: ModerationMode = ModerationMode.AUTO
    categories: tuple[str, ...] = CATEGORIES
    thresholds: ThresholdTable = ThresholdTable()
    languages: dict[str, LanguageSettings] = Field(default_factory=dict)
    corroboration: Corroboration = Corroboration()
    analyzers: tuple[AnalyzerSpec, ...] = ()
    #: Per-language decision table, built on first use: the policy is immutable and ``decide``
    #: runs for every comment.
    #: ``model_copy`` shares private attributes, so each entry keeps the objects it was built
    #: from and is used only while they are still this policy's own.
    _decision_cache: dict[
        str, tuple[object, object, object, tuple[tuple[str, float, float], ...]]
    ] = PrivateAttr(default_factory=dict)

    @field_validator("categories")
    @classmethod
    def _known_categories(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = sorted(set(value) - set(CATEGORIES))
        if unknown:
            raise ValueError(f"unknown categories {unknown}; known: {list(CATEGORIES)}")
        return value

    @field_validator("thresholds")
    @classmethod
    def _sane_thresholds(cls, value: ThresholdTable) -> ThresholdTable:
        unknown = sorted(set(value.category) - set(CATEGORIES))
        if unknown:
            raise ValueError(f"thresholds for unknown categories {unknown}")
        tables = {"default": value.default, **value.category}
        for name, table in tables.items():
            if (
                table.reject is not None
                and table.review is not None
                and table.review > table.reject
            ):
                raise ValueError(
                    f"thresholds.{name}: review {table.review} above reject {table.reject}"
                )
        return value

    @field_validator("corroboration")
    @classmethod
    def _known_corroboration_categories(cls, value: Corroboration) -> Corroboration:
        unknown = sorted(set(value.categories) - set(CATEGORIES))
        if unknown:
            raise ValueError(f"corroboration.categories: unknown categories {unknown}")
        return value

    @field_validator("languages")
    @classmethod
    def _known_languages(cls, value: dict[str, LanguageSettings]) -> dict[str, LanguageSettings]:
        unknown = sorted(set(value) - set(LANGUAGES) - {"default"})
        if unknown:
            raise ValueError(f"settings for unknown languages {unknown}; known: {list(LANGUAGES)}")
        for lang, settings in value.items():
            if settings.min_confidence is not None and not 0.0 <= settings.min_confidence <= 1.0:
                raise ValueError(f"languages.{lang}.min_confidence must be in [0, 1]")
        return value

    # -- loading -----------------------------------------------------------------------------

    @classmethod
    def default(cls) -> Policy:
        text = files("rostra.screening").joinpath("default_policy.toml").read_text("utf-8")
        return cls.from_toml(text)

    @classmethod
    def from_toml(cls, text: str) -> Policy:
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise PolicyError(f"policy file is not valid TOML: {exc}") from exc
        return cls.from_mapping(data)

    @classmethod
    def from_file(cls, path: str | Path) -> Policy:
        return cls.from_toml(Path(path).read_text("utf-8"))

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Policy:
        try:
            return cls.model_validate(dict(data))
        except ValueError as exc:
            raise PolicyError(f"invalid policy: {exc}") from exc

    # -- thresholds ----------------------------------------------------------------------------

    def _language(self, lang: str) -> LanguageSettings:
        return self.languages.get(lang, _NO_LANGUAGE_SETTINGS)

    def _language_default(self) -> LanguageSettings:
        return self.languages.get("default", _NO_LANGUAGE_SETTINGS)

    def threshold(self, category: str, lang: str, kind: str) -> float:
        """The ``kind`` ("reject" or "review") threshold for ``category`` in ``lang``.

        Precedence: category-specific, then language, then the default. A category's own
        threshold wins because some categories (off-topic) are never meant to auto-reject.
        """
        per_category = self.thresholds.category.get(category)
        value = getattr(per_category, kind) if per_category is not None else None
        if value is None:
            value = getattr(self._language(lang), kind)
        if value is None:
            value = getattr(self.thresholds.default, kind)
        if value is None:
            raise PolicyError(f"no {kind} threshold for {category} in {lang}")
        return float(value)

    def min_confidence(self, lang: str) -> float:
        value = self._language(lang).min_confidence
        if value is None:
            value = self._language_default().min_confidence
        return 0.5 if value is None else value

    def auto_approve(self, lang: str) -> bool:
        value = self._language(lang).auto_approve
        if value is None:
            value = self._language_default().auto_approve
        return True if value is None else value

    def uncorroborated(self, signals: Iterable[Signal]) -> frozenset[str]:
        """The corroboration categories that no analyzer outside ``corroboration.analyzers``
        scored above zero in ``signals`` (with a signal that ``corroborates``): their scores
        may not reject (see ``decide``)."""
        needed = self.corroboration.categories
        if not needed:
            return frozenset()
        vouching = self.corroboration.analyzers
        seen = {
            s.category
            for s in signals
            if s.score > 0.0 and s.corroborates and s.analyzer not in vouching
        }
        return frozenset(c for c in needed if c not in seen)

    # -- the decision --------------------------------------------------------------------------

    def decide(
        self,
        scores: Mapping[str, float],
        *,
        lang: str,
        lang_confidence: float,
        failed: bool = False,
        uncorroborated: Collection[str] = (),
    ) -> tuple[Recommendation, tuple[str, ...]]:
        """Turn calibrated scores into a recommendation and the categories behind it.

        Reasons are the violating categories (for reject) or the borderline ones (for
        review), strongest first. The screen never approves when an analyzer failed or the
        language is too uncertain to trust. A category in ``uncorroborated`` (see
        :meth:`uncorroborated`) is at most borderline, whatever its score.
        """
        violations: list[tuple[float, str]] = []
        borderline: list[tuple[float, str]] = []
        cached = self._decision_cache.get(lang)
        if (
            cached is not None
            and cached[0] is self.thresholds
            and cached[1] is self.languages
            and cached[2] is self.categories
        ):
            table = cached[3]
        else:
            table = tuple(
                (c, self.threshold(c, lang, "reject"), self.threshold(c, lang, "review"))
                for c in self.categories
            )
            self._decision_cache[lang] = (self.thresholds, self.languages, self.categories, table)
        for category, reject_at, review_at in table:
            score = scores.get(category, 0.0)
            if score >= reject_at and category not in uncorroborated:
                violations.append((score, category))
            elif score >= review_at:
                borderline.append((score, category))
        violations.sort(key=lambda sc: (-sc[0], sc[1]))
        borderline.sort(key=lambda sc: (-sc[0], sc[1]))
        confident = lang_confidence >= self.min_confidence(lang) and not failed
        may_reject = self.mode in (ModerationMode.ASSISTED, ModerationMode.AUTO) and confident
        if violations:
            reasons = tuple(c for _, c in violations) + tuple(c for _, c in borderline)
            if may_reject:
                return Recommendation.REJECT, reasons
            return Recommendation.REVIEW, reasons
        if borderline:
            return Recommendation.REVIEW, tuple(c for _, c in borderline)
        if self.mode is ModerationMode.AUTO and confident and self.auto_approve(lang):
            return Recommendation.APPROVE, ()
        return Recommendation.REVIEW, ()
